// SPDX-License-Identifier: GPL-2.0
/*
 * dlb-dpbench - what the kernel data path costs over the scheduling engine
 * alone, on one workload run three ways in the same machine:
 *
 *   engine  the engine (module/engine/, built into this program) called
 *           directly: enqueue, schedule, read the CQs; one thread
 *   mmap    the example pipeline's port files through libdlbk's rings; the
 *           kernel's scheduler thread runs the engine on another CPU
 *   rw      the same port files through read() and write()
 *
 * The workload is one thread driving the example pipeline of
 * scripts/examples/pipeline.sh (rx -> stage1 atomic -> w0,w1 -> stage2
 * ordered -> w0,w1 -> egress directed -> tx) in a closed loop with a window
 * of events in flight: the engine case builds the same domain from the same
 * numbers. Under TCG only ratios mean something: each path's cost per event
 * divided by the engine's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dlb_cq.h"
#include "dlb_engine.h"
#include "libdlbk.h"
#include "tool.h"

#define BURST	32
#define WINDOW	256	/* half of the pipeline's 512 LDB credits */

/* The pipeline's ids: queues and ports are numbered in name order. */
enum { Q_STAGE1, Q_STAGE2 };		/* LDB queues */
enum { Q_EGRESS };			/* DIR queue (tx's) */
enum { P_RX, P_W0, P_W1, P_TX };	/* index in struct bench.ports */

enum mode { M_ENGINE, M_MMAP, M_RW };
static const char *const mode_names[] = { "engine", "mmap", "rw" };

struct bench {
	enum mode mode;
	struct dlb_eng *eng;
	u32 handle[4];
	struct dlb_cq_reader reader[4];
	struct dlbk_port *mm[4];
	int fd[4];
};

static void engine_create(struct bench *b)
{
	struct dlb_eng_config *cfg = calloc(1, sizeof(*cfg));
	struct dlb_eng_port_config *w;
	char why[128];
	int i;

	if (!cfg)
		die(2, "out of memory");
	/* Mirrors scripts/examples/pipeline.sh and the control defaults. */
	cfg->ldb_credits = 512;
	cfg->dir_credits = 64;
	cfg->num_ldb_queues = 2;
	cfg->ldb_queues[Q_STAGE1].atomic_inflights = 128;
	cfg->ldb_queues[Q_STAGE2].num_seq = 64;
	cfg->num_ldb_ports = 3;
	cfg->num_dir_ports = 1;
	cfg->ldb_ports[0].cq_depth = 32;		/* rx */
	for (i = 1; i <= 2; i++) {			/* w0, w1 */
		w = &cfg->ldb_ports[i];
		w->cq_depth = 64;
		w->hist_list_size = 64;
		w->num_links = 2;
		w->links[0].queue = Q_STAGE1;
		w->links[0].prio = 4;
		w->links[1].queue = Q_STAGE2;
		w->links[1].prio = 0;
	}
	cfg->dir_ports[0].cq_depth = 32;		/* tx */
	if (dlb_eng_create(cfg, &b->eng, why, sizeof(why)))
		die(2, "engine: %s", why);
	free(cfg);
	b->handle[P_RX] = 0;
	b->handle[P_W0] = 1;
	b->handle[P_W1] = 2;
	b->handle[P_TX] = DLB_ENG_DIR(0);
	for (i = 0; i < 4; i++) {
		u32 depth;
		struct dlb_deq *cq = dlb_eng_port_cq(b->eng, b->handle[i],
						     &depth);

		dlb_cq_reader_init(&b->reader[i], cq, depth);
	}
}

static void ports_open(struct bench *b, const char *dir)
{
	static const char *const names[] = { "rx", "w0", "w1", "tx" };
	char path[512];
	int i;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (b->mode == M_MMAP) {
			b->mm[i] = dlbk_port_open(path);
			if (!b->mm[i])
				die(2, "%s: %s", path, strerror(errno));
		} else {
			b->fd[i] = open(path, O_RDWR | O_NONBLOCK);
			if (b->fd[i] < 0)
				die(2, "%s: %s", path, strerror(errno));
		}
	}
}

static void ports_close(struct bench *b)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (b->mode == M_MMAP)
			dlbk_port_close(b->mm[i]);
		else if (b->mode == M_RW)
			close(b->fd[i]);
	}
	dlb_eng_destroy(b->eng);
}

static u32 put(struct bench *b, int p, const struct dlb_qe *qes, u32 n)
{
	ssize_t ret;
	int r;

	switch (b->mode) {
	case M_ENGINE:
		r = dlb_eng_enqueue(b->eng, b->handle[p], qes, n);
		return r < 0 ? 0 : (u32)r;
	case M_MMAP:
		return dlbk_port_enqueue(b->mm[p], qes, n);
	default:
		ret = write(b->fd[p], qes, n * sizeof(*qes));
		return ret < 0 ? 0 : (u32)ret / sizeof(*qes);
	}
}

static u32 get(struct bench *b, int p, struct dlb_deq *out, u32 max)
{
	struct dlb_qe tok;
	ssize_t ret;
	u32 n;

	switch (b->mode) {
	case M_ENGINE:
		n = dlb_cq_read(&b->reader[p], out, max);
		if (n) {
			dlb_qe_init_bat_t(&tok, n);
			dlb_eng_enqueue(b->eng, b->handle[p], &tok, 1);
		}
		return n;
	case M_MMAP:
		return dlbk_port_dequeue(b->mm[p], out, max, 0);
	default:
		ret = read(b->fd[p], out, max * sizeof(*out));
		return ret < 0 ? 0 : (u32)ret / sizeof(*out);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Returns seconds for @events events through the pipeline, or -1. */
static double run(struct bench *b, u64 events)
{
	struct dlb_qe qes[BURST], pend[2][BURST];
	u32 npend[2] = { 0, 0 }, n, i, k, w;
	struct dlb_deq in[BURST];
	u64 sent = 0, got = 0, idle = 0;
	double t0 = now();

	while (got < events) {
		u64 before = got;

		k = events - sent < BURST ? events - sent : BURST;
		if (k > WINDOW - (sent - got))
			k = WINDOW - (sent - got);
		for (i = 0; i < k; i++) {
			dlbk_qe_set(&qes[i], DLB_SCHED_ATOMIC, Q_STAGE1, 0,
				   (sent + i) % 64, sent + i);
			qes[i].cmd = DLB_CMD_NEW;
		}
		if (k)
			sent += put(b, P_RX, qes, k);

		for (w = 0; w < 2; w++) {
			if (!npend[w]) {
				n = get(b, P_W0 + w, in, BURST);
				for (i = 0; i < n; i++) {
					int last = DLB_META_SCHED(in[i].meta) !=
						   DLB_SCHED_ATOMIC;

					dlbk_qe_set(&pend[w][i],
						   last ? DLB_SCHED_DIRECTED :
							  DLB_SCHED_ORDERED,
						   last ? Q_EGRESS : Q_STAGE2, 0,
						   in[i].lock_id, in[i].data);
					pend[w][i].cmd = DLB_CMD_FWD;
				}
				npend[w] = n;
			}
			if (npend[w]) {
				n = put(b, P_W0 + w, pend[w], npend[w]);
				memmove(pend[w], pend[w] + n,
					(npend[w] - n) * sizeof(pend[w][0]));
				npend[w] -= n;
			}
		}

		got += get(b, P_TX, in, BURST);
		if (b->mode == M_ENGINE)
			dlb_eng_schedule(b->eng, 1024);
		if (got == before && ++idle > 50000000)
			return -1;
		if (got != before)
			idle = 0;
	}
	return now() - t0;
}

int main(int argc, char **argv)
{
	const char *dir = DLB_DEVFS "/dlb0/pipeline";
	double secs[3] = { 0, 0, 0 };
	u64 events = 200000;
	struct bench b;
	int m, opt, only = -1, r, rounds = 3;
	double t;

	tool_prog = "dlb-dpbench";
	while ((opt = getopt(argc, argv, "m:n:r:h")) != -1) {
		switch (opt) {
		case 'r':
			rounds = (int)opt_uint("-r", optarg, 1, 1000);
			break;
		case 'm':
			for (only = M_ENGINE; only <= M_RW; only++)
				if (!strcmp(optarg, mode_names[only]))
					break;
			if (only > M_RW)
				die(2, "-m: '%s' is not engine, mmap or rw", optarg);
			break;
		case 'n':
			events = opt_uint("-n", optarg, 1, 1ULL << 40);
			break;
		case 'h':
			printf("Usage: dlb-dpbench [-m MODE] [-n EVENTS] [-r ROUNDS] [PORTDIR]\n"
			       "Time EVENTS (default 200000) through the example pipeline\n"
			       "by the engine alone, the mmap rings and read()/write(),\n"
			       "and print each path's cost relative to the engine.\n"
			       "PORTDIR defaults to %s (the pipeline, started).\n"
			       "-m runs one MODE only: engine, mmap or rw.\n"
			       "Each mode keeps its best of ROUNDS (default 3) runs.\n",
			       dir);
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc)
		dir = argv[optind];

	/*
	 * Rounds alternate the modes and each keeps its best time: on a
	 * shared machine the slow outliers are other people's work.
	 */
	for (r = 0; r < rounds; r++) {
		for (m = M_ENGINE; m <= M_RW; m++) {
			if (only >= 0 && m != only && m != M_ENGINE)
				continue;
			memset(&b, 0, sizeof(b));
			b.mode = m;
			if (m == M_ENGINE)
				engine_create(&b);
			else
				ports_open(&b, dir);
			t = run(&b, m == M_RW ? events / 4 : events);
			ports_close(&b);
			if (t < 0) {
				printf("%-6s stalled\n", mode_names[m]);
				return 1;
			}
			if (m == M_RW)
				t *= 4;	/* per the same number of events */
			if (!secs[m] || t < secs[m])
				secs[m] = t;
		}
	}
	for (m = M_ENGINE; m <= M_RW; m++) {
		if (!secs[m])
			continue;
		printf("%-6s %10.0f events/s  %8.0f ns/event  %5.2fx engine\n",
		       mode_names[m], events / secs[m], secs[m] * 1e9 / events,
		       secs[m] / secs[M_ENGINE]);
	}
	return 0;
}
