/*
 * replay: run a fuzz target's entry point over files, without
 * libFuzzer, so `make check` (and the sanitizer build) replays the
 * fuzz corpora. Prints TAP, one test per file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
main(int argc, char **argv)
{
	FILE	*fp;
	char	*buf;
	long	 n;
	int	 i;

	printf("1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		if ((fp = fopen(argv[i], "rb")) == NULL ||
		    fseek(fp, 0, SEEK_END) == -1 || (n = ftell(fp)) < 0) {
			printf("not ok %d - %s: cannot read\n", i, argv[i]);
			if (fp)
				fclose(fp);
			continue;
		}
		rewind(fp);
		/* exactly n bytes, as libFuzzer gives: a read one past the
		 * end is then outside the block, where ASan sees it */
		buf = malloc(n > 0 ? (size_t)n : 1);
		if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			printf("not ok %d - %s: short read\n", i, argv[i]);
			fclose(fp);
			free(buf);
			continue;
		}
		fclose(fp);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, (size_t)n);
		free(buf);
		printf("ok %d - %s\n", i, argv[i]);
		fflush(stdout);
	}
	return 0;
}
