// SPDX-License-Identifier: GPL-2.0
/*
 * dlb-bench: the scheduling engine against DPDK's event_sw, same closed
 * loop, same run. This file owns the command line, the case matrix, the
 * loop and its timing, the callgrind child and the report.
 *
 * The loop, per round: top the window up with NEW bursts of BENCH_BURST
 * through port 0, one scheduling step, then drain every port, RELEASing
 * (or FORWARDing to stage 1, later RELEASing) each event. A repetition is
 * a fixed number of events, timed around the loop by CLOCK_MONOTONIC and
 * by the thread's CPU time. Each case runs one warm-up repetition per
 * backend (which also checks the scheduling type's promise), then
 * alternates the backends repetition by repetition so that noise on this
 * shared machine hits both, and reports the median of each.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <valgrind/callgrind.h>

#include "bench.h"

const char *const bench_sched_names[BENCH_NUM_SCHED] = {
	[BENCH_ATOMIC] = "atomic",
	[BENCH_ORDERED] = "ordered",
	[BENCH_UNORDERED] = "unordered",
	[BENCH_DIRECTED] = "directed",
};

#define MAX_LIST	8
/* Rounds without any event moving before a case is declared stalled. */
#define STALL_ROUNDS	1000000

struct list {
	unsigned int n;
	unsigned int v[MAX_LIST];
};

static struct {
	struct list sched, ports, flows, stages;
	unsigned int window;
	uint64_t events;
	unsigned int reps;
	uint64_t cg_events;
	const char *cg_keep;	/* keep the callgrind dumps in this folder */
	const char *evsw_args;	/* event_sw vdev arguments */
	int peer;		/* 1: event_sw, 0: none */
	int cpu_clock;		/* report thread CPU time, not wall time */
	int callgrind;
	int cg_child;		/* under valgrind: 1 whole loop, 2 core */
	int csv;
	const char *csv_file;
	int verbose;
} opt = {
	.sched = { 4, { BENCH_ATOMIC, BENCH_ORDERED, BENCH_UNORDERED,
			BENCH_DIRECTED } },
	.ports = { 3, { 4, 16, 64 } },
	.flows = { 2, { 1024, 65536 } },
	.stages = { 2, { 1, 2 } },
	.window = 1024,
	.events = 1000000,
	.reps = 5,
	.cg_events = 50000,
	.peer = 1,
	.cpu_clock = 1,
};

/* Elapsed time of one repetition, by both clocks. */
struct bench_time {
	uint64_t wall;		/* CLOCK_MONOTONIC */
	uint64_t cpu;		/* CLOCK_THREAD_CPUTIME_ID */
};

/* Result of one backend on one case. */
struct side {
	int status;		/* 0, -ENOTSUP (limit) or -errno */
	char why[96];
	double wall, wall_min;	/* median and best ns per event, wall clock */
	double cpu, cpu_min;	/* the same by thread CPU time */
	double ns;		/* the one reported: wall or cpu (--clock) */
	double ir;		/* callgrind instructions per event, or < 0 */
	double core_ir;		/* the same in the scheduler's calls only */
};

struct result {
	struct bench_case c;
	struct side eng, peer;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: dlb-bench [OPTION]...\n"
"Drive the dlb scheduling engine and DPDK's event_sw through the same\n"
"single-threaded closed loop and print ns/event for both, their ratio and,\n"
"with --callgrind, instructions per event of both.\n"
"\n"
"  -s, --sched LIST     atomic,ordered,unordered,directed (default: all)\n"
"  -p, --ports LIST     port counts (default: 4,16,64)\n"
"  -f, --flows LIST     flow counts, k = 1024 (default: 1k,64k)\n"
"  -S, --stages LIST    1 = NEW/RELEASE, 2 = NEW/FORWARD/RELEASE\n"
"                       (default: 1,2)\n"
"  -n, --events N       events per timed repetition (default: 1000000)\n"
"  -r, --reps N         timed repetitions per backend; the median is\n"
"                       reported (default: 5)\n"
"  -w, --window N       most events in flight (default: 1024)\n"
"      --peer NAME      event_sw or none (default: event_sw)\n"
"      --evsw-args ARGS event_sw vdev arguments, e.g. sched_quanta=512\n"
"                       (default: none, event_sw's defaults)\n"
"      --clock NAME     wall (CLOCK_MONOTONIC) or cpu (the thread's CPU\n"
"                       time, which leaves out time other processes took\n"
"                       the CPU); both go to --csv (default: cpu)\n"
"      --callgrind      also count instructions per event of both sides\n"
"                       under valgrind --tool=callgrind (also CALLGRIND=1)\n"
"      --cg-events N    events per case under callgrind (default: 50000)\n"
"      --cg-keep DIR    keep the callgrind dumps in DIR (created), one per\n"
"                       backend and case, for callgrind_annotate\n"
"      --csv            machine-readable output instead of the table\n"
"      --csv-file FILE  also write the machine-readable output to FILE\n"
"  -v, --verbose        progress per repetition on stderr; twice: also\n"
"                       rounds and mean events in flight\n"
"  -h, --help           this help\n"
"\n"
"Progress goes to stderr, results to stdout. Exit status: 0 when every\n"
"case ran (or was beyond a side's limits, shown n/a) and every event came\n"
"out as promised, 1 when a case failed, 2 on bad usage. Missing a speed\n"
"target is not a failure: this is a benchmark, not a test.\n");
}

static int parse_uint(const char *s, unsigned long long max,
		      unsigned long long *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (*end == 'k' || *end == 'K') {
		v *= 1024;
		end++;
	} else if (*end == 'm' || *end == 'M') {
		v *= 1024 * 1024;
		end++;
	}
	if (*end || v == 0 || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_list(const char *arg, struct list *l, int sched,
		      unsigned long long max)
{
	char buf[256], *tok, *save;
	unsigned long long v;
	unsigned int i;

	if (strlen(arg) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, arg);
	l->n = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (l->n == MAX_LIST)
			return -EINVAL;
		if (sched) {
			for (i = 0; i < BENCH_NUM_SCHED; i++)
				if (!strcmp(tok, bench_sched_names[i]))
					break;
			if (i == BENCH_NUM_SCHED)
				return -EINVAL;
			l->v[l->n++] = i;
			continue;
		}
		if (parse_uint(tok, max, &v))
			return -EINVAL;
		l->v[l->n++] = (unsigned int)v;
	}
	return l->n ? 0 : -EINVAL;
}

static __attribute__((noreturn)) void bad_usage(const char *what,
						const char *arg)
{
	fprintf(stderr, "dlb-bench: invalid %s '%s'\n", what, arg);
	fprintf(stderr, "Try 'dlb-bench --help'.\n");
	exit(2);
}

enum {
	OPT_PEER = 256, OPT_CLOCK, OPT_CALLGRIND, OPT_CG_EVENTS, OPT_CG_KEEP,
	OPT_CSV, OPT_CSV_FILE, OPT_CG_CHILD, OPT_CG_CORE, OPT_EVSW_ARGS,
};

static void parse_args(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "sched", required_argument, NULL, 's' },
		{ "ports", required_argument, NULL, 'p' },
		{ "flows", required_argument, NULL, 'f' },
		{ "stages", required_argument, NULL, 'S' },
		{ "events", required_argument, NULL, 'n' },
		{ "reps", required_argument, NULL, 'r' },
		{ "window", required_argument, NULL, 'w' },
		{ "peer", required_argument, NULL, OPT_PEER },
		{ "clock", required_argument, NULL, OPT_CLOCK },
		{ "evsw-args", required_argument, NULL, OPT_EVSW_ARGS },
		{ "callgrind", no_argument, NULL, OPT_CALLGRIND },
		{ "cg-events", required_argument, NULL, OPT_CG_EVENTS },
		{ "cg-keep", required_argument, NULL, OPT_CG_KEEP },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "csv-file", required_argument, NULL, OPT_CSV_FILE },
		{ "cg-child", no_argument, NULL, OPT_CG_CHILD },
		{ "cg-core", no_argument, NULL, OPT_CG_CORE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	const char *env;
	unsigned int i;
	int c;

	env = getenv("CALLGRIND");
	if (env && *env && strcmp(env, "0"))
		opt.callgrind = 1;

	while ((c = getopt_long(argc, argv, "s:p:f:S:n:r:w:vh", lopts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_list(optarg, &opt.sched, 1, 0))
				bad_usage("scheduling type list", optarg);
			break;
		case 'p':
			/* Port ids are 8 bits in event_sw; 64 is DLB's LDB. */
			if (parse_list(optarg, &opt.ports, 0, 64))
				bad_usage("port list (1-64)", optarg);
			break;
		case 'f':
			/* lock_id is 16 bits. */
			if (parse_list(optarg, &opt.flows, 0, 65536))
				bad_usage("flow list (1-65536)", optarg);
			break;
		case 'S':
			if (parse_list(optarg, &opt.stages, 0, 2))
				bad_usage("stage list (1 or 2)", optarg);
			break;
		case 'n':
			if (parse_uint(optarg, 1ULL << 40, &v))
				bad_usage("event count", optarg);
			opt.events = v;
			break;
		case 'r':
			if (parse_uint(optarg, 1000, &v))
				bad_usage("repetition count", optarg);
			opt.reps = (unsigned int)v;
			break;
		case 'w':
			if (parse_uint(optarg, 1 << 20, &v) || v < BENCH_BURST)
				bad_usage("window (>= 32)", optarg);
			opt.window = (unsigned int)v;
			break;
		case OPT_PEER:
			if (!strcmp(optarg, "event_sw"))
				opt.peer = 1;
			else if (!strcmp(optarg, "none"))
				opt.peer = 0;
			else
				bad_usage("peer (event_sw or none)", optarg);
			break;
		case OPT_EVSW_ARGS:
			if (strlen(optarg) > 200)
				bad_usage("event_sw arguments", optarg);
			opt.evsw_args = optarg;
			break;
		case OPT_CLOCK:
			if (!strcmp(optarg, "wall"))
				opt.cpu_clock = 0;
			else if (!strcmp(optarg, "cpu"))
				opt.cpu_clock = 1;
			else
				bad_usage("clock (wall or cpu)", optarg);
			break;
		case OPT_CALLGRIND:
			opt.callgrind = 1;
			break;
		case OPT_CG_EVENTS:
			if (parse_uint(optarg, 1ULL << 40, &v))
				bad_usage("callgrind event count", optarg);
			opt.cg_events = v;
			break;
		case OPT_CG_KEEP:
			opt.cg_keep = optarg;
			opt.callgrind = 1;
			break;
		case OPT_CSV_FILE:
			opt.csv_file = optarg;
			break;
		case OPT_CSV:
			opt.csv = 1;
			break;
		case OPT_CG_CHILD:
			opt.cg_child = 1;
			break;
		case OPT_CG_CORE:
			opt.cg_child = 2;
			break;
		case 'v':
			opt.verbose++;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			fprintf(stderr, "Try 'dlb-bench --help'.\n");
			exit(2);
		}
	}
	if (optind < argc)
		bad_usage("argument", argv[optind]);
	for (i = 0; i < opt.ports.n; i++)
		if (opt.ports.v[i] < 1)
			bad_usage("port count", "0");
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void case_name(const struct bench_case *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s/p%u/f%u/s%u", bench_sched_names[c->sched],
		 c->ports, c->flows, c->stages);
}

/* The loop itself, for bench_loop(); @tp says what to check. */
static int bench_loop_run(const struct bench_backend *b,
			  const struct bench_case *c, uint64_t events,
			  int count_instr, const struct bench_tally *tp,
			  struct bench_time *elapsed, char *why, size_t len)
{
	struct bench_gen g = { .flows = c->flows, .ports = c->ports };
	struct bench_tally t = *tp;
	uint64_t inflight = 0, done_before, t0, t1, c0, c1, expect_sum;
	uint64_t rounds = 0, inflight_sum = 0;
	unsigned long idle = 0;
	unsigned int p, n, want, moved;

	c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	t0 = now_ns(CLOCK_MONOTONIC);
	if (count_instr)
		CALLGRIND_TOGGLE_COLLECT;
	while (t.done < events) {
		moved = 0;
		while (g.seq < events && inflight + BENCH_BURST <= c->window) {
			want = events - g.seq < BENCH_BURST ?
			       (unsigned int)(events - g.seq) : BENCH_BURST;
			n = b->produce(&g, want);
			inflight += n;
			moved += n;
			if (n < want)
				break;
		}
		b->schedule();
		t.step++;
		rounds++;
		inflight_sum += inflight;
		done_before = t.done;
		for (p = 0; p < c->ports; p++)
			moved += b->drain(p, &t);
		inflight -= t.done - done_before;
		if (moved) {
			idle = 0;
		} else if (++idle == STALL_ROUNDS) {
			if (count_instr)
				CALLGRIND_TOGGLE_COLLECT;
			snprintf(why, len,
				 "stalled: %" PRIu64 " of %" PRIu64
				 " events out, %" PRIu64 " in flight",
				 t.done, events, inflight);
			return -EDEADLK;
		}
	}
	if (count_instr)
		CALLGRIND_TOGGLE_COLLECT;
	t1 = now_ns(CLOCK_MONOTONIC);
	c1 = now_ns(CLOCK_THREAD_CPUTIME_ID);

	expect_sum = events % 2 ? (events - 1) / 2 * events :
				  events / 2 * (events - 1);
	if (t.done != events || t.sum != expect_sum ||
	    (c->stages == 2 && t.forwarded != events)) {
		snprintf(why, len,
			 "lost events: in %" PRIu64 ", out %" PRIu64
			 ", forwarded %" PRIu64 ", checksum %s",
			 events, t.done, t.forwarded,
			 t.sum == expect_sum ? "ok" : "wrong");
		return -EPROTO;
	}
	if (t.split_flows) {
		snprintf(why, len, "atomicity broken: %" PRIu64 " flows on "
			 "two ports at once", t.split_flows);
		return -EPROTO;
	}
	if (t.out_of_order) {
		snprintf(why, len, "order lost: %" PRIu64 " stage-1 events "
			 "came out after later ones", t.out_of_order);
		return -EPROTO;
	}
	if (opt.verbose > 1)
		fprintf(stderr, "  %s: %" PRIu64 " rounds, %.0f events in "
			"flight on average at a scheduling step\n", b->name,
			rounds, (double)inflight_sum / (double)rounds);
	elapsed->wall = t1 - t0;
	elapsed->cpu = c1 - c0;
	return 0;
}

/*
 * One repetition: @events events through the closed loop; with @check, the
 * scheduling type's promise is checked per event too (see struct
 * bench_tally). Returns 0 and the elapsed time, -EDEADLK when nothing moved
 * for STALL_ROUNDS rounds, -EPROTO when the events that came out are not
 * the events that went in or broke the promise, -ENOMEM.
 */
static int bench_loop(const struct bench_backend *b,
		      const struct bench_case *c, uint64_t events,
		      int count_instr, int check, struct bench_time *elapsed,
		      char *why, size_t len)
{
	struct bench_tally t = { .step = 1, .flows = c->flows };
	int ret;

	if (check) {
		t.checking = 1;
		if (c->sched == BENCH_ATOMIC)
			t.owner = calloc((size_t)c->flows * c->stages,
					 sizeof(*t.owner));
		if (c->sched == BENCH_ORDERED && c->stages == 2)
			t.next = calloc(c->ports, sizeof(*t.next));
		if ((c->sched == BENCH_ATOMIC && !t.owner) ||
		    (c->sched == BENCH_ORDERED && c->stages == 2 && !t.next)) {
			snprintf(why, len, "out of memory");
			ret = -ENOMEM;
			goto out;
		}
	}
	ret = bench_loop_run(b, c, events, count_instr, &t, elapsed, why, len);
out:
	free(t.owner);
	free(t.next);
	return ret;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double median_ns_per_event(uint64_t *v, unsigned int n,
				  uint64_t events, double *min)
{
	double m;

	qsort(v, n, sizeof(*v), cmp_u64);
	m = n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + v[n / 2]) / 2;
	*min = (double)v[0] / (double)events;
	return m / (double)events;
}

static uint64_t warmup_events(void)
{
	uint64_t w = opt.events / 4;

	return w < 20000 ? (opt.events < 20000 ? opt.events : 20000) : w;
}

/* Why event_sw has no figures when it is not run at all. */
static const char *peer_absent = "not run (--peer none)";

/* Run one case on the enabled backends; fill @r. */
static void run_case(struct result *r, const struct bench_backend *peer)
{
	const struct bench_backend *be[2] = { &bench_engine, peer };
	struct side *sd[2] = { &r->eng, &r->peer };
	static uint64_t wall[2][1000], cpu[2][1000];
	struct bench_time el;
	char name[64];
	unsigned int i, k;
	int live[2] = { 0, 0 };
	int ret;

	case_name(&r->c, name, sizeof(name));
	for (k = 0; k < 2; k++) {
		if (!be[k]) {
			sd[k]->status = -ENOTSUP;
			snprintf(sd[k]->why, sizeof(sd[k]->why), "%s",
				 peer_absent);
			continue;
		}
		sd[k]->status = be[k]->setup(&r->c, sd[k]->why,
					     sizeof(sd[k]->why));
		if (sd[k]->status) {
			be[k]->teardown();
			continue;
		}
		live[k] = 1;
		/* The warm-up also checks the promise, outside the timing. */
		sd[k]->status = bench_loop(be[k], &r->c, warmup_events(), 0,
					   1, &el, sd[k]->why,
					   sizeof(sd[k]->why));
	}
	for (i = 0; i < opt.reps; i++) {
		for (k = 0; k < 2; k++) {
			if (sd[k]->status)
				continue;
			ret = bench_loop(be[k], &r->c, opt.events, 0, 0, &el,
					 sd[k]->why, sizeof(sd[k]->why));
			wall[k][i] = el.wall;
			cpu[k][i] = el.cpu;
			if (ret)
				sd[k]->status = ret;
			else if (opt.verbose)
				fprintf(stderr, "  %s %s rep %u: %.1f ns/event "
					"wall, %.1f cpu\n", name, be[k]->name, i,
					(double)el.wall / (double)opt.events,
					(double)el.cpu / (double)opt.events);
		}
	}
	for (k = 0; k < 2; k++) {
		if (live[k])
			be[k]->teardown();
		if (sd[k]->status)
			continue;
		sd[k]->wall = median_ns_per_event(wall[k], opt.reps,
						  opt.events, &sd[k]->wall_min);
		sd[k]->cpu = median_ns_per_event(cpu[k], opt.reps, opt.events,
						 &sd[k]->cpu_min);
		sd[k]->ns = opt.cpu_clock ? sd[k]->cpu : sd[k]->wall;
	}
}

/*
 * Under valgrind: for each case and backend, warm up, then count only the
 * measured loop and dump the counts as "<backend>:<case>" for the parent.
 * With --cg-core, valgrind's --toggle-collect counts only inside the
 * engine's entry points, and the dump is "core:<case>".
 */
static int cg_child_main(struct result *res, unsigned int nres,
			 const struct bench_backend *peer)
{
	const struct bench_backend *be[2] = { &bench_engine, peer };
	char name[64], tag[96], why[96];
	struct bench_time el;
	unsigned int i, k;
	int ret, status = 0;

	for (i = 0; i < nres; i++) {
		case_name(&res[i].c, name, sizeof(name));
		for (k = 0; k < 2; k++) {
			if (!be[k])
				continue;
			ret = be[k]->setup(&res[i].c, why, sizeof(why));
			if (ret == -ENOTSUP) {
				be[k]->teardown();
				continue;
			}
			if (!ret)
				ret = bench_loop(be[k], &res[i].c,
						 opt.cg_events / 4 + BENCH_BURST,
						 0, 0, &el, why, sizeof(why));
			if (!ret) {
				snprintf(tag, sizeof(tag), "%s:%s",
					 opt.cg_child == 2 ? "core" :
					 be[k]->name, name);
				CALLGRIND_ZERO_STATS;
				ret = bench_loop(be[k], &res[i].c,
						 opt.cg_events,
						 opt.cg_child == 1, 0, &el,
						 why, sizeof(why));
				CALLGRIND_DUMP_STATS_AT(tag);
			}
			be[k]->teardown();
			if (ret) {
				fprintf(stderr, "dlb-bench: callgrind: %s %s: "
					"%s\n", be[k]->name, name, why);
				status = 1;
			}
		}
	}
	return status;
}

/*
 * With --cg-keep, name a case's dump after it ("engine_atomic_p4_f1024_s1"
 * .callgrind); remove the rest.
 */
static void cg_keep_or_remove(const char *dir, const char *path,
			      const char *trig)
{
	char name[PATH_MAX];
	const char *c;
	size_t o;

	if (!opt.cg_keep || !strchr(trig, ':')) {
		unlink(path);
		return;
	}
	o = (size_t)snprintf(name, sizeof(name), "%s/", dir);
	for (c = trig; *c && o < sizeof(name) - 16; c++)
		name[o++] = (*c == '/' || *c == ':') ? '_' : *c;
	snprintf(name + o, sizeof(name) - o, ".callgrind");
	if (rename(path, name))
		unlink(path);
}

/* Read the callgrind dumps in @dir into the results; return cases found. */
static unsigned int cg_collect(const char *dir, struct result *res,
			       unsigned int nres)
{
	char path[PATH_MAX], line[512], trig[128], name[64], tag[96];
	unsigned long long ir;
	unsigned int i, found = 0;
	struct dirent *de;
	DIR *d;
	FILE *f;

	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		/* Only this run's dumps: --cg-keep may hold older ones. */
		if (strncmp(de->d_name, "cg.out", 6))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		trig[0] = '\0';
		ir = 0;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "desc: Trigger: Client Request: %127s",
				   trig) == 1)
				continue;
			if (sscanf(line, "totals: %llu", &ir) == 1 ||
			    sscanf(line, "summary: %llu", &ir) == 1)
				continue;
		}
		fclose(f);
		cg_keep_or_remove(dir, path, trig);
		for (i = 0; trig[0] && i < nres; i++) {
			case_name(&res[i].c, name, sizeof(name));
			snprintf(tag, sizeof(tag), "%s:%s", bench_engine.name,
				 name);
			if (!strcmp(tag, trig)) {
				res[i].eng.ir = (double)ir /
						(double)opt.cg_events;
				found++;
			}
			snprintf(tag, sizeof(tag), "%s:%s",
				 bench_event_sw.name, name);
			if (!strcmp(tag, trig))
				res[i].peer.ir = (double)ir /
						 (double)opt.cg_events;
			snprintf(tag, sizeof(tag), "core:%s", name);
			if (!strcmp(tag, trig))
				res[i].eng.core_ir = (double)ir /
						     (double)opt.cg_events;
		}
	}
	closedir(d);
	if (!opt.cg_keep)
		rmdir(dir);
	return found;
}

static void list_arg(char *buf, size_t len, const struct list *l, int sched)
{
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < l->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "",
				      sched ? bench_sched_names[l->v[i]] : "");
	if (sched)
		return;
	o = 0;
	for (i = 0; i < l->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? "," : "",
				      l->v[i]);
}

/*
 * Run the cases under valgrind --tool=callgrind in a child writing its
 * dumps to @dir. @core: count the engine's entry points only (inclusive),
 * leaving out the loop's own work; otherwise the whole measured loop of
 * both sides. Return the child's exit status, or 127 if it did not run.
 */
static int cg_spawn(const char *dir, const char *self, int core, int peer)
{
	char out[PATH_MAX + 32], ev[32], win[16];
	char sched[128], ports[64], flows[64], stages[16];
	const char *argv[40];
	unsigned int a = 0;
	pid_t pid;
	int st;

	snprintf(out, sizeof(out), "--callgrind-out-file=%s/cg.out.%s", dir,
		 core ? "core" : "loop");
	snprintf(ev, sizeof(ev), "%" PRIu64, opt.cg_events);
	snprintf(win, sizeof(win), "%u", opt.window);
	list_arg(sched, sizeof(sched), &opt.sched, 1);
	list_arg(ports, sizeof(ports), &opt.ports, 0);
	list_arg(flows, sizeof(flows), &opt.flows, 0);
	list_arg(stages, sizeof(stages), &opt.stages, 0);

	argv[a++] = "valgrind";
	argv[a++] = "--tool=callgrind";
	argv[a++] = "-q";
	argv[a++] = "--collect-atstart=no";
	argv[a++] = "--dump-instr=yes";
	argv[a++] = out;
	if (core) {
		argv[a++] = "--toggle-collect=dlb_eng_enqueue";
		argv[a++] = "--toggle-collect=dlb_eng_schedule";
	}
	argv[a++] = self;
	argv[a++] = core ? "--cg-core" : "--cg-child";
	argv[a++] = "--peer";
	argv[a++] = peer && !core ? "event_sw" : "none";
	argv[a++] = "--cg-events";
	argv[a++] = ev;
	argv[a++] = "--window";
	argv[a++] = win;
	argv[a++] = "--sched";
	argv[a++] = sched;
	argv[a++] = "--ports";
	argv[a++] = ports;
	argv[a++] = "--flows";
	argv[a++] = flows;
	argv[a++] = "--stages";
	argv[a++] = stages;
	if (opt.evsw_args && peer && !core) {
		argv[a++] = "--evsw-args";
		argv[a++] = opt.evsw_args;
	}
	argv[a] = NULL;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("dlb-bench: fork");
		return 127;
	}
	if (!pid) {
		execvp("valgrind", (char *const *)argv);
		perror("dlb-bench: cannot run valgrind");
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return 127;
	return WEXITSTATUS(st);
}

/* Count instructions of every case, see cg_spawn(); fill res[].*ir. */
static int run_callgrind(struct result *res, unsigned int nres, int peer)
{
	char tmpl[] = "/tmp/dlb-bench-cg.XXXXXX";
	char self[PATH_MAX];
	const char *dir = tmpl;
	ssize_t len;
	int st, core, ret = 0;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (opt.cg_keep) {
		dir = opt.cg_keep;
		if (mkdir(dir, 0755) && errno != EEXIST) {
			fprintf(stderr, "dlb-bench: %s: %s\n", dir,
				strerror(errno));
			return -1;
		}
	} else if (!mkdtemp(tmpl)) {
		len = -1;
	}
	if (len < 0) {
		perror("dlb-bench: callgrind");
		return -1;
	}
	self[len] = '\0';

	fprintf(stderr, "dlb-bench: counting instructions under callgrind "
		"(%" PRIu64 " events per case)...\n", opt.cg_events);
	for (core = 0; core < 2; core++) {
		st = cg_spawn(dir, self, core, peer);
		if (st) {
			fprintf(stderr, "dlb-bench: callgrind run failed%s\n",
				st == 127 ? " (is valgrind installed? "
				"apt-get install valgrind)" : "");
			ret = -1;
		}
		if (st == 127)
			break;
	}
	if (cg_collect(dir, res, nres) != nres) {
		fprintf(stderr, "dlb-bench: callgrind: engine cases missing\n");
		ret = -1;
	}
	return ret;
}

static const char *fmt_ns(const struct side *s, char *buf, size_t len)
{
	if (s->status == -ENOTSUP)
		snprintf(buf, len, "n/a");
	else if (s->status)
		snprintf(buf, len, "FAILED");
	else
		snprintf(buf, len, "%.1f", s->ns);
	return buf;
}

static const char *fmt_ir(double ir, char *buf, size_t len)
{
	if (ir < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f", ir);
	return buf;
}

static void print_csv(FILE *f, const struct result *res, unsigned int nres)
{
	const struct result *r;
	unsigned int i;

	fprintf(f, "sched,ports,flows,stages,window,events,reps,"
		   "engine_wall_ns,engine_wall_ns_min,engine_cpu_ns,"
		   "engine_cpu_ns_min,peer_wall_ns,peer_wall_ns_min,peer_cpu_ns,"
		   "peer_cpu_ns_min,ratio_wall,ratio_cpu,engine_ir,engine_core_ir,"
		   "peer_ir,ratio_ir,"
		   "engine_note,peer_note\n");
	for (i = 0; i < nres; i++) {
		r = &res[i];
		fprintf(f, "%s,%u,%u,%u,%u,%" PRIu64 ",%u,",
			   bench_sched_names[r->c.sched], r->c.ports, r->c.flows,
			   r->c.stages, r->c.window, opt.events, opt.reps);
		if (r->eng.status)
			fprintf(f, ",,,,");
		else
			fprintf(f, "%.2f,%.2f,%.2f,%.2f,", r->eng.wall,
				   r->eng.wall_min, r->eng.cpu, r->eng.cpu_min);
		if (r->peer.status)
			fprintf(f, ",,,,");
		else
			fprintf(f, "%.2f,%.2f,%.2f,%.2f,", r->peer.wall,
				   r->peer.wall_min, r->peer.cpu, r->peer.cpu_min);
		if (!r->eng.status && !r->peer.status)
			fprintf(f, "%.2f,%.2f", r->peer.wall / r->eng.wall,
				   r->peer.cpu / r->eng.cpu);
		else
			fprintf(f, ",");
		fprintf(f, ",");
		if (r->eng.ir >= 0)
			fprintf(f, "%.1f", r->eng.ir);
		fprintf(f, ",");
		if (r->eng.core_ir >= 0)
			fprintf(f, "%.1f", r->eng.core_ir);
		fprintf(f, ",");
		if (r->peer.ir >= 0)
			fprintf(f, "%.1f", r->peer.ir);
		fprintf(f, ",");
		if (r->eng.ir > 0 && r->peer.ir >= 0)
			fprintf(f, "%.2f", r->peer.ir / r->eng.ir);
		fprintf(f, ",\"%s\",\"%s\"\n", r->eng.status ? r->eng.why : "",
			   r->peer.status ? r->peer.why : "");
	}
}

static void flows_str(unsigned int f, char *buf, size_t len)
{
	if (f % 1024 == 0)
		snprintf(buf, len, "%uk", f / 1024);
	else
		snprintf(buf, len, "%u", f);
}

static void print_table(const struct result *res, unsigned int nres)
{
	char e[32], p[32], fl[16], ratio[16], ei[16], ci[16], pi[16];
	char iratio[16];
	const struct result *r;
	const struct side *sd;
	unsigned int i, k;

	printf("%-9s %5s %5s %6s | %9s %9s %6s | %7s %6s %9s %6s\n", "", "",
	       "", "", "ns/event", "", "", "Ir/event", "", "", "");
	printf("%-9s %5s %5s %6s | %9s %9s %6s | %7s %6s %9s %6s\n", "sched",
	       "ports", "flows", "stages", "engine", "event_sw", "ratio",
	       "engine", "(core)", "event_sw", "ratio");
	for (i = 0; i < nres; i++) {
		r = &res[i];
		flows_str(r->c.flows, fl, sizeof(fl));
		if (!r->eng.status && !r->peer.status)
			snprintf(ratio, sizeof(ratio), "%.1fx",
				 r->peer.ns / r->eng.ns);
		else
			snprintf(ratio, sizeof(ratio), "-");
		if (r->eng.ir > 0 && r->peer.ir >= 0)
			snprintf(iratio, sizeof(iratio), "%.1fx",
				 r->peer.ir / r->eng.ir);
		else
			snprintf(iratio, sizeof(iratio), "-");
		printf("%-9s %5u %5s %6u | %9s %9s %6s | %7s %6s %9s %6s\n",
		       bench_sched_names[r->c.sched], r->c.ports, fl,
		       r->c.stages, fmt_ns(&r->eng, e, sizeof(e)),
		       fmt_ns(&r->peer, p, sizeof(p)), ratio,
		       fmt_ir(r->eng.ir, ei, sizeof(ei)),
		       fmt_ir(r->eng.core_ir, ci, sizeof(ci)),
		       fmt_ir(r->peer.ir, pi, sizeof(pi)), iratio);
	}
	/* Why a cell is n/a or FAILED, once per distinct reason. */
	for (i = 0; i < nres; i++) {
		for (k = 0; k < 2; k++) {
			sd = k ? &res[i].peer : &res[i].eng;
			if (!sd->status || (i && sd->status == -ENOTSUP &&
			    !strcmp(sd->why, (k ? &res[i - 1].peer :
						  &res[i - 1].eng)->why)))
				continue;
			printf("  %s %s/p%u/f%u/s%u: %s%s\n",
			       k ? "event_sw" : "engine",
			       bench_sched_names[res[i].c.sched],
			       res[i].c.ports, res[i].c.flows,
			       res[i].c.stages,
			       sd->status == -ENOTSUP ? "n/a: " : "FAILED: ",
			       sd->why);
		}
	}
}

/* Worst ratio of engine figures within groups that differ in one knob. */
static double spread(const struct result *res, unsigned int nres, int knob,
		     int use_ir, char *where, size_t len)
{
	double worst = 0, lo, hi, v;
	unsigned int values;
	const struct result *a, *b;
	unsigned int i, j;

	for (i = 0; i < nres; i++) {
		a = &res[i];
		if (a->eng.status)
			continue;
		lo = hi = use_ir ? a->eng.ir : a->eng.ns;
		if (lo <= 0)
			continue;
		values = 0;
		for (j = 0; j < nres; j++) {
			b = &res[j];
			if (b->eng.status || b->c.sched != a->c.sched ||
			    b->c.stages != a->c.stages ||
			    (knob == 0 && b->c.flows != a->c.flows) ||
			    (knob == 1 && b->c.ports != a->c.ports))
				continue;
			v = use_ir ? b->eng.ir : b->eng.ns;
			if (v <= 0)
				continue;
			values++;
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
		if (values > 1 && hi / lo >= worst) {
			worst = hi / lo;
			snprintf(where, len, "%s, %s %u, %u stage%s",
				 bench_sched_names[a->c.sched],
				 knob == 0 ? "flows" : "ports",
				 knob == 0 ? a->c.flows : a->c.ports,
				 a->c.stages, a->c.stages > 1 ? "s" : "");
		}
	}
	return worst;
}

static void print_targets(const struct result *res, unsigned int nres)
{
	char where[96];
	double w, worst;
	unsigned int s, i, n;

	printf("\nTargets (engine):\n");
	for (s = 0; s < BENCH_NUM_SCHED; s++) {
		worst = 0;
		n = 0;
		for (i = 0; i < nres; i++) {
			if (res[i].c.sched != s || res[i].eng.status ||
			    res[i].peer.status)
				continue;
			w = res[i].peer.ns / res[i].eng.ns;
			if (!n++ || w < worst)
				worst = w;
		}
		if (n)
			printf("  %-9s >= 3x fewer ns/event than event_sw: "
			       "worst %.1fx over %u cases: %s\n",
			       bench_sched_names[s], worst, n,
			       worst >= 3 ? "met" : "MISSED");
		worst = 0;
		n = 0;
		for (i = 0; i < nres; i++) {
			if (res[i].c.sched != s || res[i].eng.ir <= 0 ||
			    res[i].peer.ir < 0)
				continue;
			w = res[i].peer.ir / res[i].eng.ir;
			if (!n++ || w < worst)
				worst = w;
		}
		if (n)
			printf("  %-9s    the same by Ir/event: worst %.1fx\n",
			       bench_sched_names[s], worst);
	}
	for (i = 0; i < 4; i++) {
		if (i % 2 && res[0].eng.ir < 0)
			continue;
		where[0] = '\0';
		w = spread(res, nres, i / 2, i % 2, where, sizeof(where));
		if (!where[0])
			continue;
		printf("  %s per event within 1.5x across %s: worst %.2fx "
		       "(%s): %s\n", i % 2 ? "Ir" : "ns",
		       i / 2 ? "flow counts" : "port counts", w, where,
		       w <= 1.5 ? "met" : "MISSED");
	}
}

int main(int argc, char **argv)
{
	const struct bench_backend *peer = NULL;
	struct result *res;
	unsigned int nres = 0, a, b, c, d, i;
	char name[64];
	int ret, status = 0;

	parse_args(argc, argv);
	res = calloc((size_t)opt.sched.n * opt.ports.n * opt.flows.n *
		     opt.stages.n, sizeof(*res));
	if (!res) {
		perror("dlb-bench");
		return 1;
	}
	for (a = 0; a < opt.sched.n; a++)
		for (d = 0; d < opt.stages.n; d++)
			for (b = 0; b < opt.ports.n; b++)
				for (c = 0; c < opt.flows.n; c++) {
					res[nres].c = (struct bench_case) {
						.sched = opt.sched.v[a],
						.ports = opt.ports.v[b],
						.flows = opt.flows.v[c],
						.stages = opt.stages.v[d],
						.window = opt.window,
					};
					res[nres].eng.ir = -1;
					res[nres].peer.ir = -1;
					res[nres].eng.core_ir = -1;
					res[nres].peer.core_ir = -1;
					nres++;
				}

	ret = bench_engine.init(argv[0], NULL);
	if (ret) {
		fprintf(stderr, "dlb-bench: engine init: %s\n", strerror(-ret));
		return 1;
	}
	if (opt.peer) {
		if (!bench_event_sw.init) {
			peer_absent = "not built: no libdpdk";
			fprintf(stderr, "dlb-bench: built without libdpdk: "
				"event_sw not measured (apt-get install "
				"libdpdk-dev dpdk, then rebuild)\n");
		} else if (bench_event_sw.init(argv[0], opt.evsw_args)) {
			peer_absent = "EAL or event_sw0 failed to start";
			fprintf(stderr, "dlb-bench: event_sw unavailable, "
				"measuring the engine alone\n");
			status = 1;
		} else {
			peer = &bench_event_sw;
		}
	}
	if (opt.cg_child)
		return cg_child_main(res, nres, peer);

	/*
	 * The callgrind child runs its own EAL; this process's EAL stays
	 * initialised meanwhile, which is harmless with --no-shconf.
	 */
	if (opt.callgrind && run_callgrind(res, nres, !!peer))
		status = 1;

	for (i = 0; i < nres; i++) {
		case_name(&res[i].c, name, sizeof(name));
		fprintf(stderr, "dlb-bench: [%u/%u] %s\n", i + 1, nres, name);
		run_case(&res[i], peer);
		if ((res[i].eng.status && res[i].eng.status != -ENOTSUP) ||
		    (peer && res[i].peer.status &&
		     res[i].peer.status != -ENOTSUP))
			status = 1;
	}
	if (peer)
		peer->fini();
	if (bench_engine.fini)
		bench_engine.fini();

	if (opt.csv_file) {
		FILE *f = fopen(opt.csv_file, "w");

		if (f) {
			print_csv(f, res, nres);
			fclose(f);
		} else {
			fprintf(stderr, "dlb-bench: %s: %s\n", opt.csv_file,
				strerror(errno));
			status = 1;
		}
	}
	if (opt.csv) {
		print_csv(stdout, res, nres);
	} else {
		printf("dlb-bench: %" PRIu64 " events per repetition, median "
		       "of %u by %s, window %u, burst %u%s\n", opt.events,
		       opt.reps, opt.cpu_clock ? "thread CPU time" :
		       "wall clock", opt.window, BENCH_BURST,
		       opt.callgrind ? "; Ir under callgrind" : "");
		print_table(res, nres);
		print_targets(res, nres);
	}
	free(res);
	return status;
}
