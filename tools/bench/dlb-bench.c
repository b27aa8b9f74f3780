// SPDX-License-Identifier: GPL-2.0
/*
 * dlb-bench: the scheduling engine against a peer, same closed loop, same
 * run: DPDK's event_sw or event_dsw (bench_event_sw.c), or the kernel's
 * data path (a dlb device's port files, bench_dlbk.c) to see what it costs
 * over the engine alone. This file owns the command line and the case matrix;
 * dlb-bench.h says where the rest lives.
 *
 * The loop, per round: top the window up with NEW bursts of BENCH_BURST
 * through port 0, one scheduling step, then drain every port, RELEASing
 * (or FORWARDing to stage 1, later RELEASing) each event. A repetition is
 * a fixed number of events, timed around the loop by CLOCK_MONOTONIC and
 * by the thread's CPU time. Each case runs one warm-up repetition per
 * backend (which also checks the scheduling type's promise), then
 * alternates the backends repetition by repetition so that noise on this
 * shared machine hits both, and reports the median of each. Whether the
 * figures meet the project's speed targets is bench-targets' business,
 * not the instrument's.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlb-bench.h"

const char *const bench_sched_names[BENCH_NUM_SCHED] = {
	[BENCH_ATOMIC] = "atomic",
	[BENCH_ORDERED] = "ordered",
	[BENCH_UNORDERED] = "unordered",
	[BENCH_DIRECTED] = "directed",
	[BENCH_MIXED] = "mixed",
};

struct bench_opts bench_opt = {
	.sched = { 4, { BENCH_ATOMIC, BENCH_ORDERED, BENCH_UNORDERED,
			BENCH_DIRECTED } },
	.ports = { 3, { 4, 16, 64 } },
	.flows = { 2, { 1024, 65536 } },
	.stages = { 2, { 1, 2 } },
	.window = 1024,
	.events = 1000000,
	.reps = 5,
	.cg_events = 50000,
	.peer = PEER_EVSW,
	.cpu_clock = 1,
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: dlb-bench [OPTION]...\n"
"Drive the dlb scheduling engine and a peer through the same single-\n"
"threaded closed loop and print ns/event for both, their ratio and, with\n"
"--callgrind, instructions per event of both. The peer is DPDK's event_sw\n"
"(its scheduler stepped by this thread), DPDK's event_dsw (no scheduler:\n"
"its ports move the events, every port maintained at each step), or a dlb\n"
"device's port files (the kernel's data path, scheduled by the\n"
"device's thread): dlbk through libdlbk's mmap rings, dlbk-rw through\n"
"read() and write(); their domain is made and removed by dlbcfg ($DLBCFG,\n"
"default: dlbcfg on the PATH). Compare those by --clock wall: the\n"
"device's thread is not in this thread's CPU time.\n"
"\n"
"  -s, --sched LIST     atomic,ordered,unordered,directed (default: all\n"
"                       four), or mixed: atomic, ordered and unordered\n"
"                       events in turn on all-types queues (engine only)\n"
"  -p, --ports LIST     port counts (default: 4,16,64)\n"
"  -f, --flows LIST     flow counts, k = 1024 (default: 1k,64k)\n"
"  -S, --stages LIST    1 = NEW/RELEASE, 2 = NEW/FORWARD/RELEASE\n"
"                       (default: 1,2)\n"
"  -n, --events N       events per timed repetition (default: 1000000)\n"
"  -r, --reps N         timed repetitions per backend; the median is\n"
"                       reported (default: 5)\n"
"  -w, --window N       most events in flight (default: 1024)\n"
"      --peer NAME      event_sw, event_dsw, dlbk, dlbk-rw or none\n"
"                       (default: event_sw)\n"
"      --dev DEV        the dlb device of dlbk and dlbk-rw (default: dlb0)\n"
"      --evsw-args ARGS the DPDK peer's vdev arguments, e.g. event_sw's\n"
"                       sched_quanta=512 (default: none, its defaults)\n"
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
"target is not a failure here: bench-targets judges the CSV.\n");
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
		if (parse_uint(tok, 1, max, &v))
			return -EINVAL;
		l->v[l->n++] = (unsigned int)v;
	}
	return l->n ? 0 : -EINVAL;
}

static __attribute__((noreturn)) void bad_usage(const char *what,
						const char *arg)
{
	warning("invalid %s '%s'", what, arg);
	fprintf(stderr, "Try 'dlb-bench --help'.\n");
	exit(2);
}

enum {
	OPT_PEER = 256, OPT_CLOCK, OPT_CALLGRIND, OPT_CG_EVENTS, OPT_CG_KEEP,
	OPT_CSV, OPT_CSV_FILE, OPT_CG_CHILD, OPT_CG_CORE, OPT_EVSW_ARGS,
	OPT_DEV,
};

/* --peer's names, in the order of bench_opts.peer's values. */
static const char *const peer_names[] = {
	"none", "event_sw", "event_dsw", "dlbk", "dlbk-rw",
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
		{ "dev", required_argument, NULL, OPT_DEV },
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
		bench_opt.callgrind = 1;

	while ((c = getopt_long(argc, argv, "s:p:f:S:n:r:w:vh", lopts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_list(optarg, &bench_opt.sched, 1, 0))
				bad_usage("scheduling type list", optarg);
			break;
		case 'p':
			/* Port ids are 8 bits in event_sw; 64 is DLB's LDB. */
			if (parse_list(optarg, &bench_opt.ports, 0, 64))
				bad_usage("port list (1-64)", optarg);
			break;
		case 'f':
			/* lock_id is 16 bits. */
			if (parse_list(optarg, &bench_opt.flows, 0, 65536))
				bad_usage("flow list (1-65536)", optarg);
			break;
		case 'S':
			if (parse_list(optarg, &bench_opt.stages, 0, 2))
				bad_usage("stage list (1 or 2)", optarg);
			break;
		case 'n':
			if (parse_uint(optarg, 1, 1ULL << 40, &v))
				bad_usage("event count", optarg);
			bench_opt.events = v;
			break;
		case 'r':
			if (parse_uint(optarg, 1, 1000, &v))
				bad_usage("repetition count", optarg);
			bench_opt.reps = (unsigned int)v;
			break;
		case 'w':
			if (parse_uint(optarg, BENCH_BURST, 1 << 20, &v))
				bad_usage("window (>= 32)", optarg);
			bench_opt.window = (unsigned int)v;
			break;
		case OPT_PEER:
			for (i = 0; i < sizeof(peer_names) / sizeof(peer_names[0]); i++)
				if (!strcmp(optarg, peer_names[i]))
					break;
			if (i == sizeof(peer_names) / sizeof(peer_names[0]))
				bad_usage("peer (event_sw, event_dsw, dlbk, dlbk-rw or none)",
					  optarg);
			bench_opt.peer = (int)i;
			break;
		case OPT_DEV:
			if (!*optarg || strlen(optarg) > 32 || strchr(optarg, '/'))
				bad_usage("device", optarg);
			bench_opt.dev = optarg;
			break;
		case OPT_EVSW_ARGS:
			if (strlen(optarg) > 200)
				bad_usage("DPDK peer arguments", optarg);
			bench_opt.evsw_args = optarg;
			break;
		case OPT_CLOCK:
			if (!strcmp(optarg, "wall"))
				bench_opt.cpu_clock = 0;
			else if (!strcmp(optarg, "cpu"))
				bench_opt.cpu_clock = 1;
			else
				bad_usage("clock (wall or cpu)", optarg);
			break;
		case OPT_CALLGRIND:
			bench_opt.callgrind = 1;
			break;
		case OPT_CG_EVENTS:
			if (parse_uint(optarg, 1, 1ULL << 40, &v))
				bad_usage("callgrind event count", optarg);
			bench_opt.cg_events = v;
			break;
		case OPT_CG_KEEP:
			bench_opt.cg_keep = optarg;
			bench_opt.callgrind = 1;
			break;
		case OPT_CSV_FILE:
			bench_opt.csv_file = optarg;
			break;
		case OPT_CSV:
			bench_opt.csv = 1;
			break;
		case OPT_CG_CHILD:
			bench_opt.cg_child = 1;
			break;
		case OPT_CG_CORE:
			bench_opt.cg_child = 2;
			break;
		case 'v':
			bench_opt.verbose++;
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
#ifndef HAVE_CALLGRIND
	if (bench_opt.callgrind) {
		warning("--callgrind: built without valgrind's headers; "
			"apt-get install valgrind, then rebuild");
		exit(2);
	}
#endif
	if (bench_opt.callgrind && bench_opt.peer >= PEER_DLBK) {
		warning("--callgrind counts this process only, not the kernel's "
			"work: it cannot measure --peer %s",
			peer_names[bench_opt.peer]);
		exit(2);
	}
	for (i = 0; i < bench_opt.ports.n; i++)
		if (bench_opt.ports.v[i] < 1)
			bad_usage("port count", "0");
}

int main(int argc, char **argv)
{
	const struct bench_backend *peer = NULL;
	struct result *res;
	unsigned int nres = 0, a, b, c, d, i;
	char name[64];
	int ret, status = 0;

	tool_prog = "dlb-bench";
	parse_args(argc, argv);
	res = calloc((size_t)bench_opt.sched.n * bench_opt.ports.n * bench_opt.flows.n *
		     bench_opt.stages.n, sizeof(*res));
	if (!res) {
		perror("dlb-bench");
		return 1;
	}
	for (a = 0; a < bench_opt.sched.n; a++)
		for (d = 0; d < bench_opt.stages.n; d++)
			for (b = 0; b < bench_opt.ports.n; b++)
				for (c = 0; c < bench_opt.flows.n; c++) {
					res[nres].c = (struct bench_case) {
						.sched = bench_opt.sched.v[a],
						.ports = bench_opt.ports.v[b],
						.flows = bench_opt.flows.v[c],
						.stages = bench_opt.stages.v[d],
						.window = bench_opt.window,
					};
					res[nres].eng.ir = -1;
					res[nres].peer.ir = -1;
					res[nres].eng.core_ir = -1;
					res[nres].peer.core_ir = -1;
					nres++;
				}

	ret = bench_engine.init(argv[0], NULL);
	if (ret) {
		warning("engine init: %s", strerror(-ret));
		return 1;
	}
	bench_peer_name = peer_names[bench_opt.peer ? bench_opt.peer : 1];
	if (bench_opt.peer >= PEER_DLBK) {
		peer = bench_opt.peer == PEER_DLBK ? &bench_dlbk : &bench_dlbk_rw;
		if (peer->init(argv[0], bench_opt.dev)) {
			bench_peer_absent = "no such dlb device";
			peer = NULL;
			status = 1;
		}
	} else if (bench_opt.peer) {
		const struct bench_backend *dp = bench_opt.peer == PEER_EVDSW ?
			&bench_event_dsw : &bench_event_sw;

		if (!dp->init) {
			bench_peer_absent = "not built: no libdpdk";
			warning("built without libdpdk: "
				"%s not measured (apt-get install "
				"libdpdk-dev dpdk, then rebuild)", dp->name);
		} else if (dp->init(argv[0], bench_opt.evsw_args)) {
			bench_peer_absent = "EAL or the DPDK device failed to start";
			warning("%s unavailable, measuring the engine alone",
				dp->name);
			status = 1;
		} else {
			peer = dp;
		}
	}
	if (bench_opt.cg_child)
		return bench_cg_child_main(res, nres, peer);

	/*
	 * The callgrind child runs its own EAL; this process's EAL stays
	 * initialised meanwhile, which is harmless with --no-shconf.
	 */
	if (bench_opt.callgrind && bench_run_callgrind(res, nres, !!peer))
		status = 1;

	for (i = 0; i < nres; i++) {
		bench_case_name(&res[i].c, name, sizeof(name));
		warning("[%u/%u] %s", i + 1, nres, name);
		bench_run_case(&res[i], peer);
		if ((res[i].eng.status && res[i].eng.status != -ENOTSUP) ||
		    (peer && res[i].peer.status &&
		     res[i].peer.status != -ENOTSUP))
			status = 1;
	}
	if (peer && peer->fini)
		peer->fini();
	if (bench_engine.fini)
		bench_engine.fini();

	if (bench_opt.csv_file) {
		FILE *f = fopen(bench_opt.csv_file, "w");

		if (f) {
			bench_print_csv(f, res, nres);
			fclose(f);
		} else {
			warning("%s: %s", bench_opt.csv_file,
				strerror(errno));
			status = 1;
		}
	}
	if (bench_opt.csv) {
		bench_print_csv(stdout, res, nres);
	} else {
		printf("dlb-bench: %" PRIu64 " events per repetition, median "
		       "of %u by %s, window %u, burst %u%s\n", bench_opt.events,
		       bench_opt.reps, bench_opt.cpu_clock ? "thread CPU time" :
		       "wall clock", bench_opt.window, BENCH_BURST,
		       bench_opt.callgrind ? "; Ir under callgrind" : "");
		bench_print_table(res, nres);
	}
	free(res);
	return status;
}
