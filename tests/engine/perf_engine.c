// SPDX-License-Identifier: GPL-2.0
/*
 * perf_engine.c - a quick single-threaded closed loop to see the engine's
 * cost per event (not the benchmark: tools/bench/ compares with event_sw).
 *
 * perf_engine [-t atomic|ordered|unordered|directed] [-p PORTS]
 *             [-f FLOWS] [-n EVENTS] [-i INFLIGHT]
 *
 * INFLIGHT events circulate: every port reads its CQ and forwards each
 * event back to its queue (FWD_T; directed: NEW_T to its own queue), and
 * the scheduler step runs between rounds. Prints ns per event, where an
 * event is one enqueue, one scheduling decision and one dequeue.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dlb_cq.h"
#include "dlb_engine.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: perf_engine [-t atomic|ordered|unordered|directed] [-p PORTS] [-f FLOWS] [-n EVENTS] [-i INFLIGHT]\n");
}

int main(int argc, char **argv)
{
	static struct dlb_cq_reader rd[DLB_ENG_MAX_LDB_PORTS];
	struct dlb_eng_config *cfg = calloc(1, sizeof(*cfg));
	u32 ports = 4, flows = 1024, inflight = 1024, p, i, n;
	u64 events = 4000000, done = 0, rng = 88172645463325252ull;
	struct dlb_qe out[32];
	struct dlb_deq d[32];
	u8 sched = DLB_SCHED_ATOMIC;
	struct dlb_eng *eng;
	const char *t = "atomic";
	char why[128];
	double t0, t1;
	int c;

	while ((c = getopt(argc, argv, "t:p:f:n:i:h")) != -1) {
		switch (c) {
		case 't':
			t = optarg;
			break;
		case 'p':
			ports = (u32)atoi(optarg);
			break;
		case 'f':
			flows = (u32)atoi(optarg);
			break;
		case 'n':
			events = strtoull(optarg, NULL, 0);
			break;
		case 'i':
			inflight = (u32)atoi(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!strcmp(t, "atomic"))
		sched = DLB_SCHED_ATOMIC;
	else if (!strcmp(t, "ordered"))
		sched = DLB_SCHED_ORDERED;
	else if (!strcmp(t, "unordered"))
		sched = DLB_SCHED_UNORDERED;
	else if (!strcmp(t, "directed"))
		sched = DLB_SCHED_DIRECTED;
	else {
		usage(stderr);
		return 2;
	}
	if (!cfg || !ports || ports > 64 || !flows || flows > 65536) {
		usage(stderr);
		return 2;
	}
	cfg->ldb_credits = 8192;
	cfg->dir_credits = 4096;
	if (sched == DLB_SCHED_DIRECTED) {
		cfg->num_dir_ports = ports;
		for (p = 0; p < ports; p++)
			cfg->dir_ports[p].cq_depth = 64;
	} else {
		cfg->num_ldb_queues = 1;
		cfg->ldb_queues[0].num_seq = 1024;
		cfg->ldb_queues[0].atomic_inflights = 2048;
		cfg->num_ldb_ports = ports;
		for (p = 0; p < ports; p++) {
			cfg->ldb_ports[p].cq_depth = 64;
			cfg->ldb_ports[p].num_links = 1;
		}
	}
	if (dlb_eng_create(cfg, &eng, why, sizeof(why))) {
		fprintf(stderr, "perf_engine: %s\n", why);
		return 1;
	}
	for (p = 0; p < ports; p++) {
		u32 h = sched == DLB_SCHED_DIRECTED ? DLB_ENG_DIR(p) : p;
		u32 depth;
		struct dlb_deq *cq = dlb_eng_port_cq(eng, h, &depth);

		dlb_cq_reader_init(&rd[p], cq, depth);
	}
	for (i = 0; i < inflight; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		dlb_qe_init(&out[0], DLB_CMD_NEW, sched,
			    sched == DLB_SCHED_DIRECTED ? i % ports : 0, 0,
			    (u16)(rng % flows), i);
		if (dlb_eng_enqueue(eng, sched == DLB_SCHED_DIRECTED ?
				    DLB_ENG_DIR(0) : 0, out, 1) != 1) {
			fprintf(stderr, "perf_engine: inflight too large\n");
			return 1;
		}
	}
	t0 = now_ns();
	while (done < events) {
		dlb_eng_schedule(eng, 4096);
		for (p = 0; p < ports; p++) {
			u32 h = sched == DLB_SCHED_DIRECTED ? DLB_ENG_DIR(p) : p;

			n = dlb_cq_read(&rd[p], d, 32);
			for (i = 0; i < n; i++) {
				rng ^= rng << 13;
				rng ^= rng >> 7;
				rng ^= rng << 17;
				dlb_qe_init(&out[i], sched == DLB_SCHED_DIRECTED ?
					    DLB_CMD_NEW_T : DLB_CMD_FWD_T, sched,
					    d[i].qid, 0, (u16)(rng % flows),
					    d[i].data);
			}
			if (n && dlb_eng_enqueue(eng, h, out, n) != (int)n) {
				fprintf(stderr, "perf_engine: forward refused\n");
				return 1;
			}
			done += n;
		}
	}
	t1 = now_ns();
	printf("%s ports=%u flows=%u inflight=%u events=%llu: %.1f ns/event\n",
	       t, ports, flows, inflight, (unsigned long long)done,
	       (t1 - t0) / done);
	dlb_eng_destroy(eng);
	free(cfg);
	return 0;
}
