// SPDX-License-Identifier: GPL-2.0
/*
 * test_fastpath.c - every fast path of the engine is taken. The engine is
 * built here with DLB_ENG_COUNT_PATHS, so each fast path counts the events
 * it handled (enum dlb_eng_path); closed loops shaped like the benchmark's
 * (tools/bench: NEW bursts through port 0, one scheduling step, every port
 * drained and its events returned as REL_T, or forwarded with FWD_T to a
 * second stage) must send a given share of their events through each fast
 * path. A fast path that stops being taken (a run that no longer starts,
 * a condition that no longer holds) fails here, while every other test
 * still passes through the general paths.
 */
#include "dlb_eng_internal.h"
#include "test_util.h"

#define U DLB_SCHED_UNORDERED
#define O DLB_SCHED_ORDERED
#define A DLB_SCHED_ATOMIC
#define D DLB_SCHED_DIRECTED

#define FP_PORTS	4
#define FP_WINDOW	256	/* events in flight, and credits */
#define FP_BURST	32
#define FP_EVENTS	20000

/* One loop: @sched for both stages; @spread: NEWs alternate two queues. */
struct fp_loop {
	u8 sched;
	u32 stages;
	u32 flows;
	bool spread;
};

static const char *const fp_names[DLB_ENG_NUM_PATHS] = {
	[DLB_ENG_PATH_REL_RUN] = "rel_run",
	[DLB_ENG_PATH_NEW_RUN] = "new_run",
	[DLB_ENG_PATH_NEW_FLOW_RUN] = "new_flow_run",
	[DLB_ENG_PATH_NEW_SPREAD] = "new_spread",
	[DLB_ENG_PATH_NEW_SPREAD_DIR] = "new_spread_dir",
	[DLB_ENG_PATH_FWD_RUN] = "fwd_run",
	[DLB_ENG_PATH_NEW_FLOW] = "new_flow",
	[DLB_ENG_PATH_ORD_IN_ORDER] = "ord_in_order",
	[DLB_ENG_PATH_DELIVER_DIR] = "deliver_dir",
	[DLB_ENG_PATH_DELIVER_UN] = "deliver_un",
	[DLB_ENG_PATH_DELIVER_ORD] = "deliver_ord",
	[DLB_ENG_PATH_DELIVER_ATOMIC] = "deliver_atomic",
	[DLB_ENG_PATH_TAKE_SINGLE] = "take_single",
};

/* The consumers of LDB port @p: REL_T, or FWD_T to queue 1 from queue 0. */
static int fp_drain_ldb(struct t_ctx *t, const struct fp_loop *l, u32 p,
			u64 *done)
{
	struct dlb_deq ev[FP_BURST];
	struct dlb_qe qe[FP_BURST];
	u32 n, i;

	while ((n = t_read(t, p, ev, FP_BURST))) {
		for (i = 0; i < n; i++) {
			if (l->stages == 2 && ev[i].qid == 0) {
				dlb_qe_init(&qe[i], DLB_CMD_FWD_T, l->sched, 1,
					    0, ev[i].lock_id, ev[i].data);
			} else {
				dlb_qe_init(&qe[i], DLB_CMD_REL_T, 0, 0, 0, 0,
					    0);
				(*done)++;
			}
		}
		if (dlb_eng_enqueue(t->eng, p, qe, n) != (int)n)
			return -1;
	}
	return 0;
}

/*
 * The consumers of DIR port @p: one BAT_T for what they read, and with two
 * stages each first-stage event (opaque 0) goes on to the next port's
 * queue as a NEW (opaque 1).
 */
static int fp_drain_dir(struct t_ctx *t, const struct fp_loop *l, u32 p,
			u64 *done)
{
	struct dlb_deq ev[FP_BURST];
	struct dlb_qe qe[FP_BURST + 1];
	u32 n, i, m;

	while ((n = t_read(t, DLB_ENG_DIR(p), ev, FP_BURST))) {
		dlb_qe_init_bat_t(&qe[0], n);
		m = 1;
		for (i = 0; i < n; i++) {
			if (l->stages == 2 && !ev[i].opaque) {
				dlb_qe_init(&qe[m], DLB_CMD_NEW, D,
					    (u8)((p + 1) % FP_PORTS), 0,
					    ev[i].lock_id, ev[i].data);
				qe[m++].opaque = 1;
			} else {
				(*done)++;
			}
		}
		if (dlb_eng_enqueue(t->eng, DLB_ENG_DIR(p), qe, m) != (int)m)
			return -1;
	}
	return 0;
}

/* Run loop @l for FP_EVENTS events; the counters say where they went. */
static void fp_run(struct t_ctx *t, const struct fp_loop *l)
{
	bool dir = l->sched == D;
	u32 nq = l->spread ? 2 : l->stages;
	u32 producer = dir ? DLB_ENG_DIR(0) : 0;
	struct dlb_eng_config *cfg;
	struct dlb_qe qe[FP_BURST];
	u64 sent = 0, done = 0, ev;
	u32 p, q, i, rounds = 0;
	int r;

	if (dir) {
		cfg = t_cfg(0, 0, FP_PORTS, 0, FP_WINDOW);
		for (p = 0; p < FP_PORTS; p++)
			t_cfg_port(cfg, DLB_ENG_DIR(p), 64, 0);
	} else {
		cfg = t_cfg(nq, FP_PORTS, 0, FP_WINDOW, 0);
		for (q = 0; q < nq; q++)
			t_cfg_queue(cfg, q, l->sched == O ? FP_WINDOW : 0,
				    l->sched == A ? FP_WINDOW : 0, 0);
		for (p = 0; p < FP_PORTS; p++) {
			t_cfg_port(cfg, p, 64, 64);
			for (q = 0; q < nq; q++)
				t_cfg_link(cfg, p, q, 0);
		}
	}
	T_EQ(t, t_start(t, cfg), 0);
	memset(dlb_eng_path_events, 0, sizeof(dlb_eng_path_events));
	while (done < FP_EVENTS) {
		T_ASSERT(t, ++rounds < 10 * FP_EVENTS, "no progress: %llu of %u",
			 (unsigned long long)done, FP_EVENTS);
		while (sent < FP_EVENTS && sent - done + FP_BURST <= FP_WINDOW) {
			for (i = 0; i < FP_BURST; i++) {
				ev = sent + i;
				q = dir ? ev % FP_PORTS : l->spread ? ev % 2 : 0;
				dlb_qe_init(&qe[i], DLB_CMD_NEW, l->sched,
					    (u8)q, 0, (u16)(ev % l->flows), ev);
			}
			r = dlb_eng_enqueue(t->eng, producer, qe, FP_BURST);
			T_ASSERT(t, r >= 0, "enqueue: %d", r);
			sent += (u32)r;
			if (r < FP_BURST)
				break;
		}
		dlb_eng_schedule(t->eng, FP_WINDOW);
		for (p = 0; p < FP_PORTS; p++) {
			r = dir ? fp_drain_dir(t, l, p, &done) :
				  fp_drain_ldb(t, l, p, &done);
			T_EQ(t, r, 0);
		}
	}
	T_EQ(t, done, FP_EVENTS);
	for (i = 0; i < DLB_ENG_NUM_PATHS; i++)
		tap_note("%-15s %6llu", fp_names[i],
			 (unsigned long long)dlb_eng_path_events[i]);
	t_finish(t);
}

/*
 * Assert that fast path @path carried at least @permille of the loop's
 * events (of each stage's, for deliveries and completions).
 */
#define FP_SHARE(t, path, permille)					\
	T_ASSERT(t, dlb_eng_path_events[path] * 1000 >=			\
		    (u64)(permille) * FP_EVENTS &&			\
		    dlb_eng_path_events[path] > 0,			\
		 "%s carried %llu of %u events, expected at least %u/1000", \
		 fp_names[path],					\
		 (unsigned long long)dlb_eng_path_events[path], FP_EVENTS, \
		 (unsigned int)(permille))

static void test_fp_unordered(struct t_ctx *t)
{
	const struct fp_loop l = { .sched = U, .stages = 1, .flows = 1024 };

	fp_run(t, &l);
	if (t->failed)
		return;
	FP_SHARE(t, DLB_ENG_PATH_NEW_RUN, 1000);
	FP_SHARE(t, DLB_ENG_PATH_DELIVER_UN, 1000);
	FP_SHARE(t, DLB_ENG_PATH_REL_RUN, 1000);
}

static void test_fp_unordered_fwd(struct t_ctx *t)
{
	const struct fp_loop l = { .sched = U, .stages = 2, .flows = 1024 };

	fp_run(t, &l);
	if (t->failed)
		return;
	FP_SHARE(t, DLB_ENG_PATH_NEW_RUN, 1000);
	FP_SHARE(t, DLB_ENG_PATH_FWD_RUN, 1000);
	FP_SHARE(t, DLB_ENG_PATH_DELIVER_UN, 2000);
	FP_SHARE(t, DLB_ENG_PATH_REL_RUN, 1000);
}

static void test_fp_spread(struct t_ctx *t)
{
	const struct fp_loop l = { .sched = U, .stages = 1, .flows = 1024,
				   .spread = true };

	fp_run(t, &l);
	if (t->failed)
		return;
	FP_SHARE(t, DLB_ENG_PATH_NEW_SPREAD, 1000);
}

static void test_fp_ordered(struct t_ctx *t)
{
	const struct fp_loop l = { .sched = O, .stages = 1, .flows = 1024 };

	fp_run(t, &l);
	if (t->failed)
		return;
	FP_SHARE(t, DLB_ENG_PATH_NEW_RUN, 1000);
	FP_SHARE(t, DLB_ENG_PATH_DELIVER_ORD, 1000);
	FP_SHARE(t, DLB_ENG_PATH_REL_RUN, 1000);
	FP_SHARE(t, DLB_ENG_PATH_ORD_IN_ORDER, 200);
}

static void test_fp_ordered_fwd(struct t_ctx *t)
{
	const struct fp_loop l = { .sched = O, .stages = 2, .flows = 1024 };

	fp_run(t, &l);
	if (t->failed)
		return;
	FP_SHARE(t, DLB_ENG_PATH_FWD_RUN, 1000);
	FP_SHARE(t, DLB_ENG_PATH_DELIVER_ORD, 2000);
	FP_SHARE(t, DLB_ENG_PATH_ORD_IN_ORDER, 200);
}

static void test_fp_atomic(struct t_ctx *t)
{
	const struct fp_loop l = { .sched = A, .stages = 1, .flows = 1024 };

	fp_run(t, &l);
	if (t->failed)
		return;
	FP_SHARE(t, DLB_ENG_PATH_NEW_FLOW_RUN, 1000);
	FP_SHARE(t, DLB_ENG_PATH_DELIVER_ATOMIC, 1000);
	FP_SHARE(t, DLB_ENG_PATH_REL_RUN, 1000);
}

static void test_fp_atomic_fwd(struct t_ctx *t)
{
	const struct fp_loop l = { .sched = A, .stages = 2, .flows = 1024 };

	fp_run(t, &l);
	if (t->failed)
		return;
	FP_SHARE(t, DLB_ENG_PATH_FWD_RUN, 1000);
	FP_SHARE(t, DLB_ENG_PATH_NEW_FLOW, 1000);
	FP_SHARE(t, DLB_ENG_PATH_DELIVER_ATOMIC, 2000);
}

/*
 * With 128 flows, two events of a flow are often in flight: flows get
 * pinned, the general take serves them, and the shared work in between
 * goes through dlb_eng_take_single().
 */
static void test_fp_atomic_pinned(struct t_ctx *t)
{
	const struct fp_loop l = { .sched = A, .stages = 1, .flows = 128 };

	fp_run(t, &l);
	if (t->failed)
		return;
	FP_SHARE(t, DLB_ENG_PATH_TAKE_SINGLE, 200);
}

static void test_fp_directed(struct t_ctx *t)
{
	const struct fp_loop l = { .sched = D, .stages = 1, .flows = 1024 };

	fp_run(t, &l);
	if (t->failed)
		return;
	FP_SHARE(t, DLB_ENG_PATH_NEW_SPREAD_DIR, 1000);
	FP_SHARE(t, DLB_ENG_PATH_DELIVER_DIR, 1000);
}

static void test_fp_directed_fwd(struct t_ctx *t)
{
	const struct fp_loop l = { .sched = D, .stages = 2, .flows = 1024 };

	fp_run(t, &l);
	if (t->failed)
		return;
	FP_SHARE(t, DLB_ENG_PATH_NEW_SPREAD_DIR, 1000);
	FP_SHARE(t, DLB_ENG_PATH_NEW_RUN, 1000);
	FP_SHARE(t, DLB_ENG_PATH_DELIVER_DIR, 2000);
}

const struct t_case t_fastpath_cases[] = {
	{ "fastpath: unordered NEW/REL_T loop takes new_run, deliver_un and rel_run for every event", test_fp_unordered },
	{ "fastpath: unordered two-stage loop takes fwd_run and deliver_un for every event", test_fp_unordered_fwd },
	{ "fastpath: NEWs alternating two queues take new_spread", test_fp_spread },
	{ "fastpath: ordered loop takes deliver_ord and in-order completions", test_fp_ordered },
	{ "fastpath: ordered two-stage loop takes fwd_run and deliver_ord", test_fp_ordered_fwd },
	{ "fastpath: atomic loop takes new_flow_run and deliver_atomic for every event", test_fp_atomic },
	{ "fastpath: atomic two-stage loop makes new flows inline and takes fwd_run", test_fp_atomic_fwd },
	{ "fastpath: atomic loop with 128 flows takes single events between pinned ones", test_fp_atomic_pinned },
	{ "fastpath: directed loop takes new_spread_dir and deliver_dir for every event", test_fp_directed },
	{ "fastpath: directed two-stage loop takes new_run for the forwards", test_fp_directed_fwd },
};

const unsigned int t_fastpath_ncases = ARRAY_SIZE(t_fastpath_cases);
