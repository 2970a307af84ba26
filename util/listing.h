/*
 * listing: a list of problems capped at a number of lines (check, audit
 * verify): past the cap, each kind of problem is only counted, and the
 * end says how many more of each kind there were. A damaged store of
 * 100 000 cases gives a screenful, not 200 000 lines.
 */
#ifndef UTIL_LISTING_H
#define UTIL_LISTING_H

#define LISTING_DEFAULT	100	/* lines, unless --max says otherwise */

struct listing {
	long long	 limit;		/* 0: no cap */
	long long	 shown;
	struct {
		char		*kind;
		long long	 n;
	}		*more;
	size_t		 nmore;
};

void	listing_init(struct listing *, long long limit);
/* 1: print this line of that kind now; 0: it is only counted */
int	listing_want(struct listing *, const char *kind);
/* "PREFIX: N more: KIND" for each kind left out; frees */
void	listing_end(struct listing *, const char *prefix);
/* "--max N" at argv[*i] (moves *i past it): 1 taken, 0 not that, -1
 * a bad N */
int	listing_option(char **argv, int argc, int *i, long long *limit);

#endif
