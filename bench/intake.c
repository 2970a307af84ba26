/*
 * intake: the intake benchmark (run by hand; prints figures, asserts
 * nothing). See bench/README.
 *
 *   bench/intake [-n N] [-r RATE] [-s SEED] AGENT BENCHDIR
 *
 * Generates N realistic reports from SEED, then for 1 and 4 concurrent
 * senders feeds them through `AGENT deliver`, one process per message
 * as an MTA does, with the background queue runner on, until every
 * report is processed and acknowledged (the "sendmail" is bench/stamp,
 * which records when each acknowledgement left). Prints messages/s and
 * p50/p95 latency from deliver start to acknowledgement, the same for
 * bench/floor (write + fsync + rename only), and the peak RSS of
 * `process` on a 50 MB message. With -r, arrivals are paced at RATE
 * messages/s (latency without a backlog) instead of as fast as the
 * senders can go (throughput).
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *products[] = { "AX-3000 router", "CloudSync API",
    "SmartCam firmware", "Admin portal", "VPN client", "NAS OS",
    "Mobile banking app", "Print server", "IoT gateway", "SSO service" };
static const char *bugs[] = { "SQL injection", "stored XSS",
    "authentication bypass", "path traversal", "command injection",
    "buffer overflow", "CSRF", "SSRF", "hard-coded credentials",
    "insecure deserialisation" };
static const char *vectors[] = {
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:A/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" };

static unsigned long long rng;
static double rate;		/* -r: arrivals per second, 0 = flood */

static unsigned int
rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)((rng >> 33) % n);
}

static long long
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
gen(const char *dir, int n)
{
	char	path[512];
	FILE	*fp;
	int	i, k, lines;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/msg/%d.eml", dir, i);
		if ((fp = fopen(path, "w")) == NULL) {
			perror(path);
			exit(1);
		}
		fprintf(fp, "From: Researcher %d <r%d@lab%d.example.net>\n"
		    "To: security@example.org\n"
		    "Subject: bench-%d: %s in %s\n"
		    "Date: Sun, 22 Nov 2026 10:%02d:%02d +0000\n"
		    "Message-ID: <bench-%d-%u@lab.example.net>\n"
		    "MIME-Version: 1.0\n", i, rnd(500), rnd(50), i,
		    bugs[rnd(10)], products[rnd(10)], rnd(60), rnd(60), i,
		    rnd(1000000));
		if (rnd(4) == 0)
			fprintf(fp, "Content-Type: multipart/mixed; "
			    "boundary=\"b%d\"\n\n--b%d\nContent-Type: "
			    "text/plain; charset=utf-8\n\n", i, i);
		else
			fprintf(fp, "Content-Type: text/plain; "
			    "charset=utf-8\n\n");
		fprintf(fp, "Hello PSIRT,\n\nI found a %s in the %s.\n%s\n\n",
		    bugs[rnd(10)], products[rnd(10)], vectors[rnd(3)]);
		lines = 20 + (int)rnd(60);
		for (k = 0; k < lines; k++)
			fprintf(fp, "Step %d: send request %u to /api/v%u/"
			    "endpoint and observe response code %u.\n", k,
			    rnd(100000), rnd(3), 200 + rnd(300));
		if (strstr(path, "") && (i % 4) == 0) {
			fprintf(fp, "\n--b%d\nContent-Type: application/"
			    "octet-stream\nContent-Disposition: attachment; "
			    "filename=\"poc-%d.bin\"\nContent-Transfer-"
			    "Encoding: base64\n\n", i, i);
			for (k = 0; k < 40; k++)
				fprintf(fp, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"
				    "WVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5\n");
			fprintf(fp, "--b%d--\n", i);
		}
		fclose(fp);
	}
}

static int
cmp_ll(const void *a, const void *b)
{
	long long	x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static void
run(char *const argv[], const char *in, int out)
{
	int	fd;

	if (in && (fd = open(in, O_RDONLY)) != -1) {
		dup2(fd, 0);
		close(fd);
	}
	if (out != -1) {
		dup2(out, 1);
		dup2(out, 2);
	}
	execv(argv[0], argv);
	_exit(127);
}

static int
sh(const char *cmd)
{
	return system(cmd);
}

/*
 * One round: mode 0 = agent, 1 = floor. Fills start/done (ns) per msg.
 */
static void
round_(const char *agent, const char *floorp, const char *dir, int n,
    int conc, int mode, const char *label)
{
	char		 inst[512], conf[600], in[512], cmd[8192], stamp[512];
	char		*argv[8];
	long long	*start, *done, *lat, t0, t1, last = 0;
	pid_t		*pids;
	int		 i, running = 0, next = 0, devnull, status, got;
	FILE		*fp;
	char		 line[1024];

	start = calloc((size_t)n, sizeof(*start));
	done = calloc((size_t)n, sizeof(*done));
	lat = calloc((size_t)n, sizeof(*lat));
	pids = calloc((size_t)n, sizeof(*pids));
	snprintf(inst, sizeof(inst), "%s/inst-%s-%d", dir, label, conc);
	snprintf(stamp, sizeof(stamp), "%s/stamps-%s-%d", dir, label, conc);
	snprintf(conf, sizeof(conf), "%s/psirt-agent.conf", inst);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", inst, stamp);
	sh(cmd);
	if (mode == 0) {
		snprintf(cmd, sizeof(cmd), "%s init --address "
		    "security@example.org --sendmail '%s/stamp %s' %s "
		    ">/dev/null && printf 'syslog = no\\n' >> %s && "
		    "sed -i 's/^ack-limit.*/ack-limit 1000000 per hour/' "
		    "%s/policies/psirt.policy", agent, dir, stamp, inst, conf,
		    inst);
	} else
		snprintf(cmd, sizeof(cmd), "mkdir -p %s/tmp %s/new", inst,
		    inst);
	if (sh(cmd) != 0) {
		fprintf(stderr, "set-up failed: %s\n", cmd);
		exit(1);
	}
	devnull = open("/dev/null", O_WRONLY);
	t0 = now_ns();
	while (next < n || running > 0) {
		while (running < conc && next < n) {
			if (rate > 0) {
				long long due = t0 + (long long)(next * 1e9 /
				    rate);

				/* reap while waiting, so exits are timed */
				while (now_ns() < due) {
					pid_t q = waitpid(-1, &status, WNOHANG);

					for (i = 0; q > 0 && i < next; i++)
						if (pids[i] == q) {
							done[i] = now_ns();
							running--;
							break;
						}
					if (q <= 0)
						usleep(200);
				}
			}
			snprintf(in, sizeof(in), "%s/msg/%d.eml", dir, next);
			if (mode == 0) {
				argv[0] = (char *)agent;
				argv[1] = "-c";
				argv[2] = conf;
				argv[3] = "deliver";
				argv[4] = NULL;
			} else {
				argv[0] = (char *)floorp;
				argv[1] = inst;
				argv[2] = NULL;
			}
			start[next] = now_ns();
			if ((pids[next] = fork()) == 0)
				run(argv, in, devnull);
			next++;
			running++;
		}
		pid_t	p = wait(&status);

		if (p == -1)
			break;
		for (i = 0; i < next; i++)
			if (pids[i] == p) {
				done[i] = now_ns();
				if (!WIFEXITED(status) || WEXITSTATUS(status))
					fprintf(stderr, "msg %d: exit %d\n", i,
					    WEXITSTATUS(status));
				running--;
				break;
			}
	}
	if (mode == 0) {
		/* wait for every acknowledgement (bounded: 10 minutes) */
		for (i = 0; i < 60000; i++) {
			got = 0;
			if ((fp = fopen(stamp, "r")) != NULL) {
				while (fgets(line, sizeof(line), fp))
					got++;
				fclose(fp);
			}
			if (got >= n)
				break;
			usleep(10000);
		}
		if ((fp = fopen(stamp, "r")) != NULL) {
			while (fgets(line, sizeof(line), fp)) {
				long long	 t = atoll(line);
				char		*b = strstr(line, "bench-");

				if (b && (i = atoi(b + 6)) >= 0 && i < n) {
					done[i] = t;
					if (t > last)
						last = t;
				}
			}
			fclose(fp);
		}
	}
	t1 = mode == 0 ? last : now_ns();
	for (i = 0, got = 0; i < n; i++)
		if (done[i] > 0)
			lat[got++] = done[i] - start[i];
	qsort(lat, (size_t)got, sizeof(*lat), cmp_ll);
	printf("%-6s senders=%d  messages=%d/%d  %.1f msg/s  p50 %.2f ms  "
	    "p95 %.2f ms\n", label, conc, got, n,
	    got / ((t1 - t0) / 1e9), got ? lat[got / 2] / 1e6 : 0,
	    got ? lat[(got * 95) / 100 < got ? (got * 95) / 100 : got - 1] /
	    1e6 : 0);
	close(devnull);
	free(start);
	free(done);
	free(lat);
	free(pids);
}

static void
rss(const char *agent, const char *dir)
{
	char		 inst[512], conf[600], cmd[8192], big[512];
	char		*argv[6];
	struct rusage	 ru;
	int		 status, devnull;
	pid_t		 p;

	snprintf(inst, sizeof(inst), "%s/inst-rss", dir);
	snprintf(conf, sizeof(conf), "%s/psirt-agent.conf", inst);
	snprintf(big, sizeof(big), "%s/big.eml", dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s && %s init --sendmail /bin/true "
	    "%s >/dev/null && printf 'syslog = no\\nbackground_process = "
	    "no\\n' >> %s && { printf 'From: big@example.net\\nSubject: big"
	    "\\nMIME-Version: 1.0\\nContent-Type: multipart/mixed; "
	    "boundary=b\\n\\n--b\\nContent-Type: text/plain\\n\\nsee\\n--b\\n"
	    "Content-Type: application/octet-stream\\nContent-Transfer-"
	    "Encoding: base64\\n\\n'; head -c 38000000 /dev/urandom | "
	    "base64; printf -- '--b--\\n'; } > %s", inst, agent, inst, conf,
	    big);
	if (sh(cmd) != 0)
		return;
	devnull = open("/dev/null", O_WRONLY);
	argv[0] = (char *)agent;
	argv[1] = "-c";
	argv[2] = conf;
	argv[3] = "deliver";
	argv[4] = NULL;
	if ((p = fork()) == 0)
		run(argv, big, devnull);
	wait4(p, &status, 0, &ru);
	printf("rss    deliver of a %.1f MB message: peak RSS %.1f MB\n",
	    38000000 * 4.0 / 3 / 1e6, ru.ru_maxrss / 1024.0);
	argv[3] = "process";
	if ((p = fork()) == 0)
		run(argv, NULL, devnull);
	wait4(p, &status, 0, &ru);
	printf("rss    process of that message: peak RSS %.1f MB (goal: "
	    "under 3x the size, %.0f MB)\n", ru.ru_maxrss / 1024.0,
	    3 * 38000000 * 4.0 / 3 / 1e6);
	close(devnull);
}

int
main(int argc, char **argv)
{
	char		 floorp[512], cmd[1024], *self;
	int		 ch, n = 1000;
	unsigned long	 seed = 42;

	while ((ch = getopt(argc, argv, "n:r:s:")) != -1)
		switch (ch) {
		case 'n': n = atoi(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 's': seed = strtoul(optarg, NULL, 10); break;
		default: goto usage;
		}
	argc -= optind;
	argv += optind;
	if (argc != 2 || n <= 0)
		goto usage;
	rng = seed;
	self = strdup(argv[1]);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/msg", argv[1]);
	sh(cmd);
	gen(argv[1], n);
	snprintf(floorp, sizeof(floorp), "%s/floor", argv[1]);
	printf("intake benchmark: %d reports, seed %lu, %ld cores, %s\n", n,
	    seed, sysconf(_SC_NPROCESSORS_ONLN), rate > 0 ? "paced" :
	    "as fast as the senders go");
	if (rate > 0)
		printf("arrivals paced at %.0f messages/s\n", rate);
	round_(argv[0], floorp, argv[1], n, 1, 1, "floor");
	round_(argv[0], floorp, argv[1], n, 1, 0, "agent");
	round_(argv[0], floorp, argv[1], n, 4, 1, "floor");
	round_(argv[0], floorp, argv[1], n, 4, 0, "agent");
	rss(argv[0], argv[1]);
	free(self);
	return 0;
usage:
	fprintf(stderr, "usage: intake [-n N] [-r rate] [-s seed] AGENT "
	    "BENCHDIR\n"
	    "  (BENCHDIR must hold the built floor and stamp programs)\n");
	return 64;
}
