// SPDX-License-Identifier: GPL-2.0
/*
 * test_unit.c - unit tests of the scheduling engine, one per rule, each
 * with exact expectations: which port, which order, which counter.
 */
#include "test_util.h"

#define A DLB_SCHED_ATOMIC
#define U DLB_SCHED_UNORDERED
#define O DLB_SCHED_ORDERED
#define D DLB_SCHED_DIRECTED

static int t_create_err(struct dlb_eng_config *cfg, char *why, size_t len)
{
	struct dlb_eng *eng = NULL;
	int ret = dlb_eng_create(cfg, &eng, why, len);

	dlb_eng_destroy(eng);
	free(cfg);
	return ret;
}

static void test_config_cq_depth(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 2, 0, 16, 0);
	char why[128];

	cfg->ldb_ports[1].cq_depth = 12;
	T_EQ(t, t_create_err(cfg, why, sizeof(why)), -EINVAL);
	T_ASSERT(t, strstr(why, "ldb port 1: cq_depth 12"), "reason: %s", why);
	T_EQ(t, dlb_env_allocs, 0);
}

static void test_config_seq(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 1, 0, 16, 0);
	char why[128];

	t_cfg_queue(cfg, 1, 96, 0, 0);
	T_EQ(t, t_create_err(cfg, why, sizeof(why)), -EINVAL);
	T_ASSERT(t, strstr(why, "ldb queue 1: num_seq 96"), "reason: %s", why);
	cfg = t_cfg(2, 1, 0, 16, 0);
	t_cfg_queue(cfg, 0, 2048, 0, 0);
	T_EQ(t, t_create_err(cfg, why, sizeof(why)), -EINVAL);
	cfg = t_cfg(2, 1, 0, 16, 0);
	t_cfg_queue(cfg, 0, 1024, 0, 0);
	t_cfg_queue(cfg, 1, 0, 0, 0);
	T_EQ(t, t_create_err(cfg, why, sizeof(why)), 0);
}

static void test_config_links(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 1, 0, 16, 0);
	char why[128];

	t_cfg_link(cfg, 0, 2, 0);
	T_EQ(t, t_create_err(cfg, why, sizeof(why)), -EINVAL);
	T_ASSERT(t, strstr(why, "link to queue 2"), "reason: %s", why);
	cfg = t_cfg(2, 1, 0, 16, 0);
	t_cfg_link(cfg, 0, 1, 0);
	t_cfg_link(cfg, 0, 1, 3);
	T_EQ(t, t_create_err(cfg, why, sizeof(why)), -EINVAL);
	T_ASSERT(t, strstr(why, "linked twice"), "reason: %s", why);
	cfg = t_cfg(1, 1, 0, 16, 0);
	t_cfg_port(cfg, 0, 16, 8);
	T_EQ(t, t_create_err(cfg, why, sizeof(why)), -EINVAL);
	T_ASSERT(t, strstr(why, "hist_list_size 8"), "reason: %s", why);
}

static void test_create_alloc_fail(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(3, 4, 2, 64, 32);
	struct dlb_eng *eng = NULL;
	long n;
	int ret;

	t_cfg_link(cfg, 0, 0, 0);
	for (n = 1; n < 100; n++) {
		dlb_env_fail_at = n;
		ret = dlb_eng_create(cfg, &eng, NULL, 0);
		if (!ret)
			break;
		T_EQ(t, ret, -ENOMEM);
		T_EQ(t, dlb_env_allocs, 0);
	}
	dlb_env_fail_at = 0;
	/* 1 engine + 3 flow tables + 3 reorder buffers + 6 CQs + 4 histories + slots + flows */
	T_EQ(t, n, 20);
	dlb_eng_destroy(eng);
	free(cfg);
	T_EQ(t, dlb_env_allocs, 0);
}

static void test_cq_caller_memory(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(0, 0, 1, 0, 4);
	static struct dlb_deq ring[4];
	struct dlb_deq *cq;
	u32 depth;

	t_cfg_port(cfg, DLB_ENG_DIR(0), 4, 0);
	cfg->dir_ports[0].cq_mem = ring;
	T_EQ(t, t_start(t, cfg), 0);
	cq = dlb_eng_port_cq(t->eng, DLB_ENG_DIR(0), &depth);
	T_ASSERT(t, cq == ring && depth == 4, "cq %p depth %u", (void *)cq,
		 depth);
	T_EQ(t, t_new(t, DLB_ENG_DIR(0), D, 0, 0, 0x1234), 1);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, ring[0].data, 0x1234);
	T_EQ(t, ring[0].status & DLB_DEQ_GEN, 1);
	T_EQ(t, ring[0].qid, 0);
	T_EQ(t, DLB_META_SCHED(ring[0].meta), D);
}

static void test_credits_refused(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 0, 2, 0);
	struct dlb_qe qes[3];
	u32 i;

	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 3; i++)
		dlb_qe_init(&qes[i], DLB_CMD_NEW, U, 0, 0, 0, i);
	T_EQ(t, dlb_eng_enqueue(t->eng, 0, qes, 3), 2);
	T_EQ(t, t_pst(t, 0).refused, 1);
	T_EQ(t, t_qst(t, 0).refused, 1);
	T_EQ(t, t_pst(t, 0).enqueued, 2);
	T_EQ(t, dlb_eng_credits(t->eng, false), 0);
	T_EQ(t, dlb_eng_enqueue(t->eng, 0, &qes[2], 1), 0);
	T_EQ(t, t_pst(t, 0).refused, 2);
	T_CHECK(t);
	/* The credit comes back when an event reaches the CQ. */
	T_EQ(t, dlb_eng_schedule(t->eng, 1), 1);
	T_EQ(t, dlb_eng_credits(t->eng, false), 1);
	T_EQ(t, dlb_eng_enqueue(t->eng, 0, &qes[2], 1), 1);
	T_EQ(t, t_sched(t), 2);
	T_EQ(t, dlb_eng_credits(t->eng, false), 2);
	T_EQ(t, t_pst(t, 0).scheduled, 3);
}

static void test_credits_pools(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 1, 1, 1);

	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	T_EQ(t, t_new(t, 0, U, 0, 0, 1), 1);
	T_EQ(t, t_new(t, 0, U, 0, 0, 2), 0);
	T_EQ(t, t_new(t, 0, D, 0, 0, 3), 1);
	T_EQ(t, t_new(t, 0, D, 0, 0, 4), 0);
	T_EQ(t, dlb_eng_credits(t->eng, false), 0);
	T_EQ(t, dlb_eng_credits(t->eng, true), 0);
	T_EQ(t, t_pst(t, 0).refused, 2);
}

static void test_invalid_cmd(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 0, 4, 0);
	static const u8 bad[] = { 0x04, 0x06, 0x07, 0x0c, 0x0d, 0x0e, 0x0f,
				  0x10, 0x80, 0xff };
	u32 i;

	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		T_EQ(t, t_send(t, 0, bad[i], U, 0, 0, 0, 0), 1);
	T_EQ(t, t_pst(t, 0).dropped[DLB_ENG_DROP_BAD_CMD], ARRAY_SIZE(bad));
	T_EQ(t, t_pst(t, 0).enqueued, 0);
	T_EQ(t, dlb_eng_credits(t->eng, false), 4);
	T_EQ(t, t_sched(t), 0);
}

static void test_invalid_qid(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 1, 1, 4, 4);

	T_EQ(t, t_start(t, cfg), 0);
	T_EQ(t, t_new(t, 0, U, 2, 0, 0), 1);
	T_EQ(t, t_new(t, 0, D, 1, 0, 0), 1);
	T_EQ(t, t_new(t, 0, A, 255, 0, 0), 1);
	T_EQ(t, t_pst(t, 0).dropped[DLB_ENG_DROP_BAD_QID], 3);
	T_EQ(t, dlb_eng_credits(t->eng, false), 4);
	T_EQ(t, dlb_eng_credits(t->eng, true), 4);
	T_EQ(t, dlb_eng_queue_depth(t->eng, 0) + dlb_eng_queue_depth(t->eng, 1) +
		dlb_eng_queue_depth(t->eng, DLB_ENG_DIR(0)), 0);
}

static void test_invalid_sched(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 1, 0, 4, 0);

	t_cfg_queue(cfg, 0, 0, 64, 0);
	t_cfg_queue(cfg, 1, 64, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	T_EQ(t, t_new(t, 0, O, 0, 0, 0), 1);
	T_EQ(t, t_new(t, 0, A, 1, 0, 0), 1);
	T_EQ(t, t_pst(t, 0).dropped[DLB_ENG_DROP_BAD_SCHED], 2);
	T_EQ(t, t_new(t, 0, A, 0, 0, 0), 1);
	T_EQ(t, t_new(t, 0, O, 1, 0, 0), 1);
	T_EQ(t, t_new(t, 0, U, 1, 0, 0), 1);
	T_EQ(t, t_pst(t, 0).enqueued, 3);
	T_EQ(t, t_pst(t, 0).dropped[DLB_ENG_DROP_BAD_SCHED], 2);
	T_EQ(t, t_qst(t, 0).dropped, 1);
	T_EQ(t, t_qst(t, 1).dropped, 1);
	T_EQ(t, t_qst(t, 0).enqueued, 1);
}

static void test_invalid_tokens(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 0, 4, 0);

	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	T_EQ(t, t_tokens(t, 0, 1), 1);
	T_EQ(t, t_pst(t, 0).dropped[DLB_ENG_DROP_TOKENS], 1);
	T_EQ(t, t_new(t, 0, U, 0, 0, 0), 1);
	T_EQ(t, t_new(t, 0, U, 0, 0, 0), 1);
	T_EQ(t, t_sched(t), 2);
	T_EQ(t, t_tokens(t, 0, 3), 1);
	T_EQ(t, t_pst(t, 0).dropped[DLB_ENG_DROP_TOKENS], 2);
	T_EQ(t, t_pst(t, 0).cq_occupancy, 2);
	/* A NEW_T with a token too many is dropped whole: no new event. */
	T_EQ(t, t_tokens(t, 0, 2), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_NEW_T, U, 0, 0, 0, 0), 1);
	T_EQ(t, t_pst(t, 0).dropped[DLB_ENG_DROP_TOKENS], 3);
	T_EQ(t, t_pst(t, 0).enqueued, 2);
	T_EQ(t, t_pst(t, 0).tokens, 2);
	T_EQ(t, dlb_eng_queue_depth(t->eng, 0), 0);
}

static void test_invalid_no_held(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 1, 4, 4);

	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	T_EQ(t, t_send(t, 0, DLB_CMD_REL, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_FWD, U, 0, 0, 0, 0), 1);
	T_EQ(t, t_pst(t, 0).dropped[DLB_ENG_DROP_NO_HELD], 2);
	T_EQ(t, t_pst(t, 0).enqueued, 0);
	/* DIR ports have no history list: completions are invalid there. */
	T_EQ(t, t_new(t, DLB_ENG_DIR(0), D, 0, 0, 0), 1);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, t_send(t, DLB_ENG_DIR(0), DLB_CMD_REL_T, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_pst(t, DLB_ENG_DIR(0)).dropped[DLB_ENG_DROP_NO_HELD], 1);
	T_EQ(t, t_pst(t, DLB_ENG_DIR(0)).cq_occupancy, 1);
}

static void test_invalid_port(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 2, 1, 4, 4);
	struct dlb_qe qe;

	T_EQ(t, t_start(t, cfg), 0);
	dlb_qe_init(&qe, DLB_CMD_NEW, U, 0, 0, 0, 0);
	T_EQ(t, dlb_eng_enqueue(t->eng, 2, &qe, 1), -EINVAL);
	T_EQ(t, dlb_eng_enqueue(t->eng, DLB_ENG_DIR(1), &qe, 1), -EINVAL);
	T_EQ(t, dlb_eng_enqueue(t->eng, 0x200, &qe, 1), -EINVAL);
	T_EQ(t, dlb_eng_port_reset(t->eng, 5), -EINVAL);
	T_EQ(t, dlb_eng_link(t->eng, DLB_ENG_DIR(0), 0, 0), -EINVAL);
	T_EQ(t, dlb_eng_link(t->eng, 0, 1, 0), -EINVAL);
	T_EQ(t, dlb_eng_link(t->eng, 0, 0, 8), -EINVAL);
	T_EQ(t, dlb_eng_unlink(t->eng, 0, 0), -ENOENT);
	T_EQ(t, dlb_eng_credits(t->eng, false), 4);
}

static void test_dir_own_port(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(0, 0, 3, 0, 16);
	struct dlb_deq out[8];
	u32 i;

	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 5; i++)
		T_EQ(t, t_new(t, DLB_ENG_DIR(0), D, 1, 0, 100 + i), 1);
	T_EQ(t, t_sched(t), 5);
	T_EQ(t, t_read(t, DLB_ENG_DIR(0), out, 8), 0);
	T_EQ(t, t_read(t, DLB_ENG_DIR(2), out, 8), 0);
	T_EQ(t, t_read(t, DLB_ENG_DIR(1), out, 8), 5);
	for (i = 0; i < 5; i++) {
		T_EQ(t, out[i].data, 100 + i);
		T_EQ(t, out[i].qid, 1);
	}
	T_EQ(t, t_qst(t, DLB_ENG_DIR(1)).scheduled, 5);
	T_EQ(t, t_pst(t, DLB_ENG_DIR(1)).scheduled, 5);
}

static void test_dir_prio(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(0, 0, 1, 0, 16);
	static const u8 prio[] = { 5, 1, 7, 1, 0 };
	static const u64 want[] = { 4, 1, 3, 0, 2 };
	struct dlb_deq out[8];
	u32 i;

	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 5; i++)
		T_EQ(t, t_send(t, DLB_ENG_DIR(0), DLB_CMD_NEW, D, 0, prio[i], 0,
			       i), 1);
	T_EQ(t, t_sched(t), 5);
	T_EQ(t, t_read(t, DLB_ENG_DIR(0), out, 8), 5);
	for (i = 0; i < 5; i++) {
		T_EQ(t, out[i].data, want[i]);
		T_EQ(t, DLB_META_PRIO(out[i].meta), prio[want[i]]);
	}
}

static void test_cq_gen_wrap(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(0, 0, 1, 0, 64);
	struct dlb_deq out[4], *cq;
	u32 i, round, depth;

	t_cfg_port(cfg, DLB_ENG_DIR(0), 4, 0);
	T_EQ(t, t_start(t, cfg), 0);
	cq = dlb_eng_port_cq(t->eng, DLB_ENG_DIR(0), &depth);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 4; i++)
			T_EQ(t, t_new(t, DLB_ENG_DIR(0), D, 0, 0, round * 4 + i),
			     1);
		T_EQ(t, t_sched(t), 4);
		for (i = 0; i < 4; i++)
			T_EQ(t, cq[i].status & DLB_DEQ_GEN, (round & 1) ^ 1);
		T_EQ(t, t_read(t, DLB_ENG_DIR(0), out, 4), 4);
		T_EQ(t, out[3].data, round * 4 + 3);
		T_EQ(t, t_read(t, DLB_ENG_DIR(0), out, 4), 0);
		T_EQ(t, t_tokens(t, DLB_ENG_DIR(0), 4), 1);
	}
}

static void test_cq_peek(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(0, 0, 1, 0, 64);
	struct dlb_cq_reader *r = &t->rd[t_pidx(DLB_ENG_DIR(0))];
	const struct dlb_deq *e;
	struct dlb_deq *cq;
	u32 i, n, depth;

	t_cfg_port(cfg, DLB_ENG_DIR(0), 4, 0);
	T_EQ(t, t_start(t, cfg), 0);
	cq = dlb_eng_port_cq(t->eng, DLB_ENG_DIR(0), &depth);
	for (i = 0; i < 3; i++)
		T_EQ(t, t_new(t, DLB_ENG_DIR(0), D, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 3);
	/* In place, at most @max, and peeking again sees the same. */
	e = dlb_cq_peek(r, 2, &n);
	T_EQ(t, n, 2);
	T_EQ(t, e == &cq[0], 1);
	e = dlb_cq_peek(r, 8, &n);
	T_EQ(t, n, 3);
	T_EQ(t, e[2].data, 2);
	dlb_cq_consume(r, 3);
	e = dlb_cq_peek(r, 8, &n);
	T_EQ(t, n, 0);
	T_EQ(t, t_tokens(t, DLB_ENG_DIR(0), 3), 1);
	/* Entries 3, 0, 1 of the ring: the first peek stops at its end. */
	for (i = 3; i < 6; i++)
		T_EQ(t, t_new(t, DLB_ENG_DIR(0), D, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 3);
	e = dlb_cq_peek(r, 8, &n);
	T_EQ(t, n, 1);
	T_EQ(t, e[0].data, 3);
	dlb_cq_consume(r, 1);
	e = dlb_cq_peek(r, 8, &n);
	T_EQ(t, n, 2);
	T_EQ(t, e == &cq[0], 1);
	T_EQ(t, e[1].data, 5);
	dlb_cq_consume(r, 2);
	e = dlb_cq_peek(r, 8, &n);
	T_EQ(t, n, 0);
}

static void test_cq_depth_limit(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 0, 64, 0);
	struct dlb_deq out[8];

	t_cfg_port(cfg, 0, 4, 16);
	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (u32 i = 0; i < 10; i++)
		T_EQ(t, t_new(t, 0, U, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 4);
	T_EQ(t, dlb_eng_queue_depth(t->eng, 0), 6);
	T_EQ(t, t_read(t, 0, out, 8), 4);
	/* Reading alone frees nothing: the token does. */
	T_EQ(t, t_sched(t), 0);
	T_EQ(t, t_tokens(t, 0, 3), 1);
	T_EQ(t, t_sched(t), 3);
	T_EQ(t, t_pst(t, 0).cq_occupancy, 4);
	T_EQ(t, t_pst(t, 0).held, 7);
}

static void test_cq_depth_ind(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(0, 0, 1, 0, 64);
	static const u8 want[] = { 3, 3, 2, 2, 1, 1, 0, 0, 0, 0 };
	struct dlb_deq out[16];
	u32 i;

	cfg->dir_queues[0].depth_threshold = 8;
	t_cfg_port(cfg, DLB_ENG_DIR(0), 16, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 10; i++)
		T_EQ(t, t_new(t, DLB_ENG_DIR(0), D, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 10);
	T_EQ(t, t_read(t, DLB_ENG_DIR(0), out, 16), 10);
	/* Depths 10..1 against 8: >8, 8 and 7 (<=100%), 6 and 5 (<=75%), <=4. */
	for (i = 0; i < 10; i++)
		T_EQ(t, DLB_DEQ_DEPTH(out[i].status), want[i]);
}

/* Two LDB ports linked to queue 0 at priority 0. */
static int t_two_ports(struct t_ctx *t, u32 nports)
{
	struct dlb_eng_config *cfg = t_cfg(1, nports, 0, 256, 0);
	u32 i;

	for (i = 0; i < nports; i++)
		t_cfg_link(cfg, i, 0, 0);
	return t_start(t, cfg);
}

static void test_atomic_stays(struct t_ctx *t)
{
	struct dlb_deq out[8];
	u32 i;

	T_EQ(t, t_two_ports(t, 2), 0);
	for (i = 0; i < 4; i++)
		T_EQ(t, t_new(t, 0, A, 0, 7, i), 1);
	T_EQ(t, t_sched(t), 4);
	T_EQ(t, t_read(t, 1, out, 8), 0);
	T_EQ(t, t_read(t, 0, out, 8), 4);
	for (i = 0; i < 4; i++) {
		T_EQ(t, out[i].data, i);
		T_EQ(t, out[i].lock_id, 7);
	}
	/* Three completed, one in flight: a new event still goes to port 0. */
	for (i = 0; i < 3; i++)
		T_EQ(t, t_send(t, 0, DLB_CMD_REL_T, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_new(t, 1, A, 0, 7, 4), 1);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, t_read(t, 1, out, 8), 0);
	T_EQ(t, t_read(t, 0, out, 8), 1);
	T_EQ(t, out[0].data, 4);
}

static void test_atomic_moves(struct t_ctx *t)
{
	struct dlb_deq out[8];
	u32 i;

	T_EQ(t, t_two_ports(t, 2), 0);
	T_EQ(t, t_new(t, 0, A, 0, 7, 0), 1);
	T_EQ(t, t_new(t, 0, A, 0, 7, 1), 1);
	T_EQ(t, t_sched(t), 2);
	T_EQ(t, t_read(t, 0, out, 8), 2);
	for (i = 0; i < 2; i++)
		T_EQ(t, t_send(t, 0, DLB_CMD_REL_T, 0, 0, 0, 0, 0), 1);
	/* Nothing in flight at port 0: round robin now picks port 1. */
	T_EQ(t, t_new(t, 0, A, 0, 7, 2), 1);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, t_read(t, 1, out, 8), 1);
	T_EQ(t, out[0].data, 2);
	T_EQ(t, t_qst(t, 0).completed, 2);
}

static void test_atomic_spread(struct t_ctx *t)
{
	struct dlb_deq out[8];
	u32 i, p, n;

	T_EQ(t, t_two_ports(t, 4), 0);
	/* Flows 0..7, two events each. */
	for (i = 0; i < 16; i++)
		T_EQ(t, t_new(t, 0, A, 0, i % 8, i), 1);
	T_EQ(t, t_sched(t), 16);
	for (p = 0; p < 4; p++) {
		n = t_read(t, p, out, 8);
		T_EQ(t, n, 4);
		/* Each port got two flows, both events of each, in order. */
		for (i = 0; i < n; i++)
			T_EQ(t, out[i].lock_id % 4, p);
	}
}

static void test_atomic_inflights(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 2, 0, 64, 0);
	struct dlb_deq out[8];

	t_cfg_queue(cfg, 0, 0, 2, 0);
	t_cfg_link(cfg, 0, 0, 0);
	t_cfg_link(cfg, 1, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	/* Flow 1 x3, then flow 2 x1: only two are sorted into flows. */
	T_EQ(t, t_new(t, 0, A, 0, 1, 0), 1);
	T_EQ(t, t_new(t, 0, A, 0, 1, 1), 1);
	T_EQ(t, t_new(t, 0, A, 0, 1, 2), 1);
	T_EQ(t, t_new(t, 0, A, 0, 2, 3), 1);
	T_EQ(t, t_qst(t, 0).atomic_inflights, 2);
	T_EQ(t, t_qst(t, 0).depth, 4);
	T_CHECK(t);
	T_EQ(t, t_sched(t), 4);
	T_EQ(t, t_qst(t, 0).atomic_inflights, 0);
	T_EQ(t, t_read(t, 0, out, 8), 3);
	T_EQ(t, out[0].data, 0);
	T_EQ(t, out[1].data, 1);
	T_EQ(t, out[2].data, 2);
	T_EQ(t, t_read(t, 1, out, 8), 1);
	T_EQ(t, out[0].data, 3);
}

static void test_ordered_order(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 3, 0, 256, 0);
	static const u32 done_by[] = { 2, 1, 0 };
	struct dlb_deq out[8];
	u32 i, p;

	for (p = 0; p < 3; p++)
		t_cfg_link(cfg, p, 0, 0);
	/* Port 2 also consumes queue 1, where forwards go (at priority 1). */
	t_cfg_link(cfg, 2, 1, 1);
	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 6; i++)
		T_EQ(t, t_new(t, 0, O, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 6);
	/* A burst is shared out: ports 0,1,2 got 0,1 / 2,3 / 4,5. */
	for (i = 0; i < 3; i++) {
		p = done_by[i];
		T_EQ(t, t_read(t, p, out, 8), 2);
		T_EQ(t, out[0].data, 2 * p);
		T_EQ(t, out[1].data, 2 * p + 1);
		T_EQ(t, t_send(t, p, DLB_CMD_FWD_T, U, 1, 0, 0, 100 + 2 * p), 1);
		T_EQ(t, t_send(t, p, DLB_CMD_FWD_T, U, 1, 0, 0, 101 + 2 * p), 1);
		/* Nothing leaves before port 0 completes event 0. */
		if (p)
			T_EQ(t, t_qst(t, 1).depth, 0);
	}
	T_EQ(t, t_qst(t, 1).depth, 6);
	T_EQ(t, t_qst(t, 0).reorder_pending, 0);
	T_EQ(t, t_sched(t), 6);
	T_EQ(t, t_read(t, 2, out, 8), 6);
	for (i = 0; i < 6; i++)
		T_EQ(t, out[i].data, 100 + i);
}

/*
 * A queue with both sequence numbers and atomic inflights (dlb's sched_type
 * all): each event is scheduled by the type its own QE carries.
 */
static const u8 mixed_type[3] = { O, U, A };

static void test_mixed_atomic_pinned(struct t_ctx *t)
{
	struct dlb_deq out[16];
	u32 i, p, n, atom_port = 2, others[2] = { 0, 0 };

	T_EQ(t, t_two_ports(t, 2), 0);
	/* One atomic flow amid ordered and unordered events, interleaved. */
	for (i = 0; i < 12; i++)
		T_EQ(t, t_new(t, 0, mixed_type[i % 3], 0, 7, i), 1);
	T_EQ(t, t_sched(t), 12);
	for (p = 0; p < 2; p++) {
		n = t_read(t, p, out, 16);
		for (i = 0; i < n; i++) {
			/* Each comes back with the type it was sent with. */
			T_EQ(t, DLB_META_SCHED(out[i].meta),
			     mixed_type[out[i].data % 3]);
			if (mixed_type[out[i].data % 3] != A) {
				others[p]++;
				continue;
			}
			if (atom_port == 2)
				atom_port = p;
			T_EQ(t, p, atom_port);
		}
	}
	/* The flow's events all on one port; the others on both. */
	T_ASSERT(t, atom_port < 2, "no atomic event scheduled");
	T_ASSERT(t, others[0] && others[1], "ordered/unordered on %u and %u",
		 others[0], others[1]);
	T_EQ(t, others[0] + others[1], 8);
}

static void test_mixed_ordered_order(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 3, 0, 256, 0);
	struct dlb_deq out[3][16], fin[16];
	u32 n[3], i, k, p, holder = 3, fwd = 0, last;

	for (p = 0; p < 3; p++)
		t_cfg_link(cfg, p, 0, 0);
	t_cfg_port(cfg, 2, 16, 16);
	t_cfg_link(cfg, 2, 1, 1);
	T_EQ(t, t_start(t, cfg), 0);
	/* Ordered, unordered and atomic (a flow each) events on queue 0. */
	for (i = 0; i < 9; i++)
		T_EQ(t, t_new(t, 0, mixed_type[i % 3], 0, (u16)i, i), 1);
	T_EQ(t, t_sched(t), 9);
	for (p = 0; p < 3; p++) {
		n[p] = t_read(t, p, out[p], 16);
		for (i = 0; i < n[p]; i++)
			if (out[p][i].data == 0)
				holder = p;
	}
	T_EQ(t, n[0] + n[1] + n[2], 9);
	T_ASSERT(t, holder < 3, "the first ordered event was not scheduled");
	/* Every port forwards what it got; the first ordered event last. */
	for (k = 0; k < 3; k++) {
		p = (holder + 1 + k) % 3;
		for (i = 0; i < n[p]; i++) {
			T_EQ(t, t_send(t, p, DLB_CMD_FWD_T, U, 1, 0, 0,
				       100 + out[p][i].data), 1);
			fwd += mixed_type[out[p][i].data % 3] != O;
		}
		/*
		 * Until the first ordered event completes, only the forwards
		 * of unordered and atomic events reach queue 1: the order
		 * holds back ordered events alone.
		 */
		if (k < 2)
			T_EQ(t, t_qst(t, 1).depth, fwd);
	}
	T_EQ(t, t_qst(t, 1).depth, 9);
	T_EQ(t, t_qst(t, 0).reorder_pending, 0);
	T_EQ(t, t_sched(t), 9);
	T_EQ(t, t_read(t, 2, fin, 16), 9);
	/* The ordered events' forwards in their original order. */
	for (i = 0, last = 0; i < 9; i++) {
		if (mixed_type[(fin[i].data - 100) % 3] != O)
			continue;
		T_ASSERT(t, !last || fin[i].data > last, "%llu after %u",
			 (unsigned long long)fin[i].data, last);
		last = (u32)fin[i].data;
	}
	T_EQ(t, last, 106);
}

static void test_ordered_release(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 2, 0, 256, 0);
	struct dlb_deq out[8];
	u32 i;

	t_cfg_link(cfg, 0, 0, 0);
	t_cfg_link(cfg, 1, 1, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 4; i++)
		T_EQ(t, t_new(t, 0, O, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 4);
	T_EQ(t, t_read(t, 0, out, 8), 4);
	/* 0 forwarded, 1 dropped, 2 and 3 forwarded: no stall at 1. */
	T_EQ(t, t_send(t, 0, DLB_CMD_FWD_T, U, 1, 0, 0, 10), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_REL_T, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_FWD_T, U, 1, 0, 0, 12), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_FWD_T, U, 1, 0, 0, 13), 1);
	T_EQ(t, t_sched(t), 3);
	T_EQ(t, t_read(t, 1, out, 8), 3);
	T_EQ(t, out[0].data, 10);
	T_EQ(t, out[1].data, 12);
	T_EQ(t, out[2].data, 13);
	T_EQ(t, t_qst(t, 0).reorder_pending, 0);
}

static void test_ordered_window(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 0, 256, 0);
	struct dlb_deq out[128];

	t_cfg_queue(cfg, 0, 64, 0, 0);
	t_cfg_port(cfg, 0, 128, 128);
	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (u32 i = 0; i < 70; i++)
		T_EQ(t, t_new(t, 0, O, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 64);
	T_EQ(t, t_qst(t, 0).reorder_pending, 64);
	T_EQ(t, t_qst(t, 0).depth, 6);
	T_EQ(t, t_read(t, 0, out, 128), 64);
	/* Releasing the oldest frees one sequence number: one more goes. */
	T_EQ(t, t_send(t, 0, DLB_CMD_REL, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, t_qst(t, 0).reorder_pending, 64);
}

static void test_unordered_spread(struct t_ctx *t)
{
	struct dlb_deq out[8];
	u32 i, p;

	T_EQ(t, t_two_ports(t, 4), 0);
	for (i = 0; i < 12; i++)
		T_EQ(t, t_new(t, 0, U, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 12);
	/*
	 * Each pick takes a fair share of the queue (3 of 12 for 4 ports),
	 * capped where the port's load level would rise (2 of 8 slots):
	 * port p gets 2p, 2p+1, then one of the last four.
	 */
	for (p = 0; p < 4; p++) {
		T_EQ(t, t_read(t, p, out, 8), 3);
		T_EQ(t, out[0].data, 2 * p);
		T_EQ(t, out[1].data, 2 * p + 1);
		T_EQ(t, out[2].data, 8 + p);
	}
}

static void test_prio_links(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(3, 1, 0, 256, 0);
	struct dlb_deq out[8];
	u32 i;

	t_cfg_port(cfg, 0, 8, 0);
	t_cfg_link(cfg, 0, 0, 4);
	t_cfg_link(cfg, 0, 1, 0);
	t_cfg_link(cfg, 0, 2, 7);
	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 2; i++) {
		T_EQ(t, t_new(t, 0, U, 2, 0, 20 + i), 1);
		T_EQ(t, t_new(t, 0, U, 0, 0, i), 1);
		T_EQ(t, t_new(t, 0, U, 1, 0, 10 + i), 1);
	}
	T_EQ(t, t_sched(t), 6);
	T_EQ(t, t_read(t, 0, out, 8), 6);
	T_EQ(t, out[0].data, 10);
	T_EQ(t, out[1].data, 11);
	T_EQ(t, out[2].data, 0);
	T_EQ(t, out[3].data, 1);
	T_EQ(t, out[4].data, 20);
	T_EQ(t, out[5].data, 21);
}

static void test_prio_equal_rr(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 1, 0, 256, 0);
	static const u64 want[] = { 0, 1, 10, 11, 2, 12 };
	struct dlb_deq out[8];
	u32 i;

	t_cfg_link(cfg, 0, 0, 3);
	t_cfg_link(cfg, 0, 1, 3);
	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 3; i++)
		T_EQ(t, t_new(t, 0, U, 0, 0, i), 1);
	for (i = 0; i < 3; i++)
		T_EQ(t, t_new(t, 0, U, 1, 0, 10 + i), 1);
	T_EQ(t, t_sched(t), 6);
	T_EQ(t, t_read(t, 0, out, 8), 6);
	/* Turns of up to one load level (2 of 8 slots), alternating. */
	for (i = 0; i < 6; i++)
		T_EQ(t, out[i].data, want[i]);
}

static void test_prio_qe(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 0, 256, 0);
	struct dlb_deq out[8];

	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	T_EQ(t, t_send(t, 0, DLB_CMD_NEW, U, 0, 6, 0, 0), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_NEW, A, 0, 3, 9, 1), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_NEW, O, 0, 1, 0, 2), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_NEW, U, 0, 3, 0, 3), 1);
	T_EQ(t, t_sched(t), 4);
	T_EQ(t, t_read(t, 0, out, 8), 4);
	T_EQ(t, out[0].data, 2);
	/* Atomic and unordered tie at 3: both go before 6. */
	T_ASSERT(t, (out[1].data == 1 && out[2].data == 3) ||
		 (out[1].data == 3 && out[2].data == 1), "ties: %llu %llu",
		 (unsigned long long)out[1].data,
		 (unsigned long long)out[2].data);
	T_EQ(t, out[3].data, 0);
}

static void test_history_limit(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 0, 256, 0);
	struct dlb_deq out[8];

	t_cfg_port(cfg, 0, 4, 6);
	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (u32 i = 0; i < 10; i++)
		T_EQ(t, t_new(t, 0, U, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 4);
	T_EQ(t, t_read(t, 0, out, 8), 4);
	T_EQ(t, t_tokens(t, 0, 4), 1);
	/* CQ empty again, but the history list holds 4 of 6. */
	T_EQ(t, t_sched(t), 2);
	T_EQ(t, t_pst(t, 0).held, 6);
	T_EQ(t, t_send(t, 0, DLB_CMD_REL, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, t_pst(t, 0).held, 6);
}

static void test_balance_least_loaded(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 2, 0, 256, 0);
	struct dlb_deq out[16];
	u32 i;

	t_cfg_port(cfg, 0, 16, 0);
	t_cfg_port(cfg, 1, 16, 0);
	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 8; i++)
		T_EQ(t, t_new(t, 0, U, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 8);
	/* Port 0 holds 8 of 16 (load level 2); port 1 joins, empty. */
	T_EQ(t, dlb_eng_link(t->eng, 1, 0, 0), 0);
	for (i = 0; i < 8; i++)
		T_EQ(t, t_new(t, 0, U, 0, 0, 8 + i), 1);
	T_EQ(t, t_sched(t), 8);
	/* Port 1 takes every new event until it is as loaded as port 0. */
	T_EQ(t, t_read(t, 0, out, 16), 8);
	T_EQ(t, t_read(t, 1, out, 16), 8);
	T_EQ(t, out[0].data, 8);
	T_EQ(t, out[7].data, 15);
}

static void test_balance_fair(struct t_ctx *t)
{
	struct dlb_deq out[8];
	u32 i, p, n[4] = { 0 };
	int k;

	T_EQ(t, t_two_ports(t, 4), 0);
	/* A closed loop: 1000 events, every port completes what it gets. */
	for (i = 0; i < 1000; i++) {
		T_EQ(t, t_new(t, 0, U, 0, 0, i), 1);
		t_sched(t);
		for (p = 0; p < 4; p++) {
			k = (int)t_read(t, p, out, 8);
			n[p] += k;
			while (k-- > 0)
				T_EQ(t, t_send(t, p, DLB_CMD_REL_T, 0, 0, 0, 0,
					       0), 1);
		}
	}
	for (p = 0; p < 4; p++)
		T_EQ(t, n[p], 250);
}

static void test_counters(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 1, 1, 256, 16);
	struct dlb_deq out[8];

	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	T_EQ(t, t_new(t, DLB_ENG_DIR(0), U, 0, 0, 1), 1);
	T_EQ(t, t_new(t, DLB_ENG_DIR(0), A, 0, 3, 2), 1);
	T_EQ(t, t_new(t, DLB_ENG_DIR(0), D, 0, 0, 3), 1);
	T_EQ(t, t_sched(t), 3);
	T_EQ(t, t_read(t, 0, out, 8), 2);
	T_EQ(t, t_send(t, 0, DLB_CMD_FWD_T, U, 1, 0, 0, 4), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_REL_T, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_pst(t, DLB_ENG_DIR(0)).enqueued, 3);
	T_EQ(t, t_pst(t, DLB_ENG_DIR(0)).scheduled, 1);
	T_EQ(t, t_pst(t, 0).enqueued, 1);
	T_EQ(t, t_pst(t, 0).scheduled, 2);
	T_EQ(t, t_pst(t, 0).completed, 2);
	T_EQ(t, t_pst(t, 0).tokens, 2);
	T_EQ(t, t_qst(t, 0).enqueued, 2);
	T_EQ(t, t_qst(t, 0).scheduled, 2);
	T_EQ(t, t_qst(t, 0).completed, 2);
	T_EQ(t, t_qst(t, 1).enqueued, 1);
	T_EQ(t, t_qst(t, 1).depth, 1);
	T_EQ(t, t_qst(t, DLB_ENG_DIR(0)).scheduled, 1);
}

static void test_link_running(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 2, 0, 256, 0);
	struct dlb_deq out[8];

	T_EQ(t, t_start(t, cfg), 0);
	T_EQ(t, t_new(t, 0, U, 0, 0, 1), 1);
	T_EQ(t, t_sched(t), 0);
	T_EQ(t, dlb_eng_link(t->eng, 1, 0, 2), 0);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, t_read(t, 1, out, 8), 1);
	T_EQ(t, out[0].data, 1);
}

static void test_unlink_running(struct t_ctx *t)
{
	struct dlb_deq out[8];

	T_EQ(t, t_two_ports(t, 2), 0);
	T_EQ(t, t_new(t, 0, U, 0, 0, 1), 1);
	T_EQ(t, t_new(t, 0, U, 0, 0, 2), 1);
	T_EQ(t, t_sched(t), 2);
	T_EQ(t, dlb_eng_unlink(t->eng, 0, 0), 0);
	T_EQ(t, t_new(t, 0, U, 0, 0, 3), 1);
	T_EQ(t, t_new(t, 0, U, 0, 0, 4), 1);
	T_EQ(t, t_sched(t), 2);
	T_EQ(t, t_read(t, 0, out, 8), 1);
	T_EQ(t, out[0].data, 1);
	/* Held events of the unlinked queue still complete at port 0. */
	T_EQ(t, t_send(t, 0, DLB_CMD_REL_T, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_pst(t, 0).completed, 1);
	T_EQ(t, t_read(t, 1, out, 8), 3);
	T_EQ(t, out[0].data, 2);
	T_EQ(t, out[1].data, 3);
	T_EQ(t, out[2].data, 4);
}

static void test_unlink_atomic(struct t_ctx *t)
{
	struct dlb_deq out[8];

	T_EQ(t, t_two_ports(t, 2), 0);
	T_EQ(t, t_new(t, 0, A, 0, 5, 1), 1);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, t_read(t, 0, out, 8), 1);
	T_EQ(t, t_new(t, 0, A, 0, 5, 2), 1);
	T_EQ(t, dlb_eng_unlink(t->eng, 0, 0), 0);
	/* Flow 5 is held at port 0: its next event waits for it. */
	T_EQ(t, t_sched(t), 0);
	T_EQ(t, t_qst(t, 0).depth, 1);
	T_CHECK(t);
	T_EQ(t, t_send(t, 0, DLB_CMD_REL_T, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, t_read(t, 1, out, 8), 1);
	T_EQ(t, out[0].data, 2);
}

static void test_link_limit(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(9, 1, 0, 256, 0);
	u32 q;

	T_EQ(t, t_start(t, cfg), 0);
	for (q = 0; q < 8; q++)
		T_EQ(t, dlb_eng_link(t->eng, 0, q, q), 0);
	T_EQ(t, dlb_eng_link(t->eng, 0, 8, 0), -ENOSPC);
	/* Changing a priority is not a new link. */
	T_EQ(t, dlb_eng_link(t->eng, 0, 3, 0), 0);
	T_EQ(t, dlb_eng_unlink(t->eng, 0, 3), 0);
	T_EQ(t, dlb_eng_link(t->eng, 0, 8, 0), 0);
}

static void test_reset_atomic(struct t_ctx *t)
{
	struct dlb_deq out[8];
	u32 i;

	T_EQ(t, t_two_ports(t, 2), 0);
	for (i = 0; i < 3; i++)
		T_EQ(t, t_new(t, 0, A, 0, 4, i), 1);
	T_EQ(t, t_sched(t), 3);
	T_EQ(t, t_read(t, 0, out, 1), 1);
	T_EQ(t, t_new(t, 0, A, 0, 4, 3), 1);
	T_EQ(t, dlb_eng_port_reset(t->eng, 0), 3);
	T_CHECK(t);
	T_EQ(t, t_qst(t, 0).depth, 4);
	T_EQ(t, t_qst(t, 0).rescheduled, 3);
	T_EQ(t, t_pst(t, 0).rescheduled, 3);
	T_EQ(t, dlb_eng_unlink(t->eng, 0, 0), 0);
	T_EQ(t, t_sched(t), 4);
	T_EQ(t, t_read(t, 1, out, 8), 4);
	for (i = 0; i < 4; i++)
		T_EQ(t, out[i].data, i);
}

static void test_reset_ordered(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 3, 0, 256, 0);
	struct dlb_deq out[8];
	u32 i;

	t_cfg_link(cfg, 0, 0, 0);
	t_cfg_link(cfg, 1, 0, 0);
	t_cfg_link(cfg, 2, 1, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 4; i++)
		T_EQ(t, t_new(t, 2, O, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 4);
	/* Port 0 holds 0 and 1; port 1 forwards 2 and 3, then port 0 dies. */
	T_EQ(t, t_read(t, 1, out, 8), 2);
	T_EQ(t, out[0].data, 2);
	T_EQ(t, t_send(t, 1, DLB_CMD_FWD_T, U, 1, 0, 0, 12), 1);
	T_EQ(t, t_send(t, 1, DLB_CMD_FWD_T, U, 1, 0, 0, 13), 1);
	T_EQ(t, dlb_eng_port_reset(t->eng, 0), 2);
	T_EQ(t, dlb_eng_unlink(t->eng, 0, 0), 0);
	T_EQ(t, t_qst(t, 1).depth, 0);
	T_EQ(t, t_sched(t), 2);
	T_EQ(t, t_read(t, 1, out, 8), 2);
	T_EQ(t, out[0].data, 0);
	T_EQ(t, out[1].data, 1);
	T_EQ(t, t_send(t, 1, DLB_CMD_FWD_T, U, 1, 0, 0, 10), 1);
	T_EQ(t, t_send(t, 1, DLB_CMD_FWD_T, U, 1, 0, 0, 11), 1);
	T_EQ(t, t_sched(t), 4);
	T_EQ(t, t_read(t, 2, out, 8), 4);
	for (i = 0; i < 4; i++)
		T_EQ(t, out[i].data, 10 + i);
}

static void test_reset_dir(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(0, 0, 1, 0, 4);
	struct dlb_deq out[8];
	u32 i;

	t_cfg_port(cfg, DLB_ENG_DIR(0), 4, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (i = 0; i < 4; i++)
		T_EQ(t, t_new(t, DLB_ENG_DIR(0), D, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 4);
	T_EQ(t, dlb_eng_credits(t->eng, true), 4);
	T_EQ(t, t_new(t, DLB_ENG_DIR(0), D, 0, 0, 4), 1);
	/* Entry 0 was consumed and returned; 1..3 were not. */
	T_EQ(t, t_read(t, DLB_ENG_DIR(0), out, 1), 1);
	T_EQ(t, t_tokens(t, DLB_ENG_DIR(0), 1), 1);
	T_EQ(t, dlb_eng_port_reset(t->eng, DLB_ENG_DIR(0)), 3);
	T_EQ(t, dlb_eng_queue_depth(t->eng, DLB_ENG_DIR(0)), 4);
	/* Four stored in a pool of four: no credit left. */
	T_EQ(t, dlb_eng_credits(t->eng, true), 0);
	dlb_cq_reader_init(&t->rd[t_pidx(DLB_ENG_DIR(0))],
			   dlb_eng_port_cq(t->eng, DLB_ENG_DIR(0), NULL), 4);
	T_EQ(t, t_sched(t), 4);
	T_EQ(t, t_read(t, DLB_ENG_DIR(0), out, 8), 4);
	for (i = 0; i < 4; i++)
		T_EQ(t, out[i].data, i + 1);
}

static void test_reset_reusable(struct t_ctx *t)
{
	struct dlb_deq out[8];
	u32 i;

	T_EQ(t, t_two_ports(t, 1), 0);
	for (i = 0; i < 10; i++)
		T_EQ(t, t_new(t, 0, U, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 8);
	T_EQ(t, dlb_eng_port_reset(t->eng, 0), 8);
	T_EQ(t, t_pst(t, 0).cq_occupancy, 0);
	T_EQ(t, t_pst(t, 0).held, 0);
	T_EQ(t, t_pst(t, 0).resets, 1);
	dlb_cq_reader_init(&t->rd[0], dlb_eng_port_cq(t->eng, 0, NULL), 8);
	T_EQ(t, t_sched(t), 8);
	T_EQ(t, t_read(t, 0, out, 8), 8);
	/* Put-back events first, in their order, then the newer ones. */
	for (i = 0; i < 8; i++)
		T_EQ(t, out[i].data, i);
	T_EQ(t, t_tokens(t, 0, 8), 1);
	for (i = 0; i < 8; i++)
		T_EQ(t, t_send(t, 0, DLB_CMD_REL, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_sched(t), 2);
	T_EQ(t, t_read(t, 0, out, 8), 2);
	T_EQ(t, out[0].data, 8);
}

static void test_reset_credit_debt(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 0, 4, 0);

	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (u32 i = 0; i < 4; i++)
		T_EQ(t, t_new(t, 0, U, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 4);
	for (u32 i = 0; i < 4; i++)
		T_EQ(t, t_new(t, 0, U, 0, 0, 4 + i), 1);
	/* 4 stored + 4 put back: the pool owes 4, new events are refused. */
	T_EQ(t, dlb_eng_port_reset(t->eng, 0), 4);
	T_EQ(t, dlb_eng_credits(t->eng, false), 0);
	T_EQ(t, t_new(t, 0, U, 0, 0, 99), 0);
	T_CHECK(t);
	dlb_cq_reader_init(&t->rd[0], dlb_eng_port_cq(t->eng, 0, NULL), 8);
	T_EQ(t, t_sched(t), 8);
	T_EQ(t, dlb_eng_credits(t->eng, false), 4);
}

static void test_tokens_cmds(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(1, 1, 0, 64, 0);

	t_cfg_port(cfg, 0, 16, 0);
	t_cfg_link(cfg, 0, 0, 0);
	T_EQ(t, t_start(t, cfg), 0);
	for (u32 i = 0; i < 8; i++)
		T_EQ(t, t_new(t, 0, U, 0, 0, i), 1);
	T_EQ(t, t_sched(t), 8);
	T_EQ(t, t_tokens(t, 0, 3), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_REL_T, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_FWD_T, U, 0, 0, 0, 0), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_NEW_T, U, 0, 0, 0, 0), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_ARM, 0, 0, 0, 0, 0), 1);
	T_EQ(t, t_pst(t, 0).armed, 1);
	T_EQ(t, t_pst(t, 0).tokens, 6);
	T_EQ(t, t_pst(t, 0).cq_occupancy, 2);
	T_EQ(t, t_pst(t, 0).held, 6);
	T_EQ(t, t_sched(t), 2);
	T_EQ(t, t_pst(t, 0).armed, 0);
}

static void test_fwd_atomic(struct t_ctx *t)
{
	struct dlb_eng_config *cfg = t_cfg(2, 2, 0, 64, 0);
	struct dlb_deq out[8];

	t_cfg_link(cfg, 0, 0, 0);
	t_cfg_link(cfg, 1, 1, 0);
	T_EQ(t, t_start(t, cfg), 0);
	T_EQ(t, t_new(t, 0, A, 0, 1, 1), 1);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, t_read(t, 0, out, 8), 1);
	T_EQ(t, t_send(t, 0, DLB_CMD_FWD_T, A, 1, 2, 1, 2), 1);
	T_EQ(t, t_qst(t, 0).completed, 1);
	T_EQ(t, t_qst(t, 1).depth, 1);
	T_EQ(t, t_sched(t), 1);
	T_EQ(t, t_read(t, 1, out, 8), 1);
	T_EQ(t, out[0].data, 2);
	T_EQ(t, out[0].qid, 1);
	T_EQ(t, DLB_META_PRIO(out[0].meta), 2);
}

static const struct t_case cases[] = {
	{ "config: a cq_depth that is not a power of two is refused with its reason", test_config_cq_depth },
	{ "config: an ordered queue has 0 or 64..1024 sequence numbers, a power of two", test_config_seq },
	{ "config: links to unknown queues, duplicate links and short history lists are refused", test_config_links },
	{ "create: every allocation failure unwinds without a leak", test_create_alloc_fail },
	{ "cq: events are written into caller-provided CQ memory", test_cq_caller_memory },
	{ "credits: an enqueue without credit is refused back to the producer, not dropped", test_credits_refused },
	{ "credits: the load-balanced and directed pools are separate", test_credits_pools },
	{ "invalid: an unknown command byte is dropped, counted, and changes nothing", test_invalid_cmd },
	{ "invalid: a qid outside the domain is dropped as bad_qid", test_invalid_qid },
	{ "invalid: a sched type the queue does not take is dropped as bad_sched", test_invalid_sched },
	{ "invalid: returning more tokens than the CQ holds is dropped whole", test_invalid_tokens },
	{ "invalid: a completion without a held event is dropped as no_held", test_invalid_no_held },
	{ "invalid: handles outside the domain return -EINVAL", test_invalid_port },
	{ "directed: a directed queue feeds its one port, in order", test_dir_own_port },
	{ "directed: higher QE priority is dequeued first", test_dir_prio },
	{ "cq: the generation bit flips on every wrap of the ring", test_cq_gen_wrap },
	{ "cq: a consumer peeks at ready entries in place, up to the ring's end", test_cq_peek },
	{ "cq: at most cq_depth events are outstanding until tokens return", test_cq_depth_limit },
	{ "cq: the depth indication reports queue depth against its threshold", test_cq_depth_ind },
	{ "atomic: a flow stays on one port while it has events in flight", test_atomic_stays },
	{ "atomic: a flow moves to another port once nothing is in flight", test_atomic_moves },
	{ "atomic: different flows spread over the linked ports", test_atomic_spread },
	{ "atomic: beyond the atomic inflights limit events wait in arrival order", test_atomic_inflights },
	{ "ordered: forwards leave in the original order whatever order ports complete", test_ordered_order },
	{ "ordered: a released (dropped) event does not stall the order", test_ordered_release },
	{ "mixed: on an all-types queue an atomic flow keeps one port, other types spread", test_mixed_atomic_pinned },
	{ "mixed: on an all-types queue only ordered events wait for the order, which holds", test_mixed_ordered_order },
	{ "ordered: the reorder window is bounded by the queue's sequence numbers", test_ordered_window },
	{ "unordered: a burst spreads over equally loaded ports in fair shares", test_unordered_spread },
	{ "priority: a port serves its highest-priority linked queue first", test_prio_links },
	{ "priority: queues linked at equal priority take turns", test_prio_equal_rr },
	{ "priority: QE priority orders events within a queue", test_prio_qe },
	{ "history: a port takes no more events than its history list holds", test_history_limit },
	{ "balance: the least-loaded port is preferred", test_balance_least_loaded },
	{ "balance: equally loaded ports share a closed loop evenly", test_balance_fair },
	{ "counters: enqueued, scheduled, completed and tokens per port and queue", test_counters },
	{ "link: a queue linked while running is served at the next schedule", test_link_running },
	{ "unlink: no new events go to the port; held ones complete there", test_unlink_running },
	{ "unlink: an atomic flow pinned to the port finishes there, then moves", test_unlink_atomic },
	{ "link: a ninth link is refused with -ENOSPC; a priority change is not a link", test_link_limit },
	{ "reset: a dead port's atomic events go to another port in flow order", test_reset_atomic },
	{ "reset: a dead port's ordered events keep their place in the order", test_reset_ordered },
	{ "reset: unconsumed directed CQ entries return to the queue head", test_reset_dir },
	{ "reset: the port is usable again with a fresh CQ, put-back events first", test_reset_reusable },
	{ "reset: put-back events are charged to credits; new ones wait", test_reset_credit_debt },
	{ "tokens: BAT_T, REL_T, FWD_T and NEW_T return tokens; ARM arms", test_tokens_cmds },
	{ "fwd: forwarding an atomic event completes it and enqueues the new one", test_fwd_atomic },
};

int test_model_main(int argc, char **argv);
extern const struct t_case t_fastpath_cases[];
extern const unsigned int t_fastpath_ncases;

int main(int argc, char **argv)
{
	int ret = t_run(cases, ARRAY_SIZE(cases));

	ret |= t_run(t_fastpath_cases, t_fastpath_ncases);
	ret |= test_model_main(argc, argv);
	return tap_done() | ret;
}
