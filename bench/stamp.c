/*
 * stamp: a benchmark "sendmail". Reads a message on stdin and appends
 * "<CLOCK_REALTIME ns> <Subject>" to the file named by argv[1], so the
 * driver can tell when each acknowledgement left the agent.
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
	char		 buf[65536], line[512], *s, *e;
	size_t		 n, len = 0;
	struct timespec	 ts;
	int		 fd;

	if (argc != 2)
		return 64;
	while ((n = fread(buf + len, 1, sizeof(buf) - 1 - len, stdin)) > 0) {
		len += n;
		if (len == sizeof(buf) - 1)
			len = 4096;	/* the Subject is near the top */
	}
	buf[len] = '\0';
	clock_gettime(CLOCK_REALTIME, &ts);
	s = strstr(buf, "\nSubject: ");
	e = s ? strchr(s + 1, '\n') : NULL;
	snprintf(line, sizeof(line), "%lld %.*s\n",
	    (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec,
	    s && e ? (int)(e - s - 10) : 1, s && e ? s + 10 : "-");
	if ((fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT, 0600)) == -1)
		return 75;
	if (write(fd, line, strlen(line)) < 0)
		return 75;
	close(fd);
	return 0;
}
