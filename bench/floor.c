/*
 * floor: the cheapest correct intake, for comparison. Copies stdin to
 * DIR/tmp/<unique>, fsyncs, renames into DIR/new/ and fsyncs the
 * directory: the same durability deliver gives, with nothing else.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char		 tmp[512], dst[512], buf[65536], dir[512];
	struct timespec	 ts;
	ssize_t		 n;
	int		 fd, dfd;

	if (argc != 2)
		return 64;
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(tmp, sizeof(tmp), "%s/tmp/%lld.%ld.%d", argv[1],
	    (long long)ts.tv_sec, ts.tv_nsec, (int)getpid());
	snprintf(dst, sizeof(dst), "%s/new/%lld.%ld.%d", argv[1],
	    (long long)ts.tv_sec, ts.tv_nsec, (int)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		return 75;
	while ((n = read(0, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return 75;
	if (fsync(fd) == -1 || close(fd) == -1 || rename(tmp, dst) == -1)
		return 75;
	snprintf(dir, sizeof(dir), "%s/new", argv[1]);
	if ((dfd = open(dir, O_RDONLY)) == -1 || fsync(dfd) == -1)
		return 75;
	close(dfd);
	return 0;
}
