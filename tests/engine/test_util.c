// SPDX-License-Identifier: GPL-2.0
/*
 * test_util.c - the engine tests' runner (TAP by tests/lib/tap.c) and port
 * helpers.
 */
#include "test_util.h"

void t_fail(struct t_ctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vdiag(file, line, fmt, ap);
	va_end(ap);
	t->failed = 1;
}

struct dlb_eng_config *t_cfg(u32 nldb_q, u32 nldb_p, u32 ndir, u32 ldb_credits,
			     u32 dir_credits)
{
	struct dlb_eng_config *cfg = calloc(1, sizeof(*cfg));
	u32 i;

	if (!cfg)
		abort();
	cfg->num_ldb_queues = nldb_q;
	cfg->num_ldb_ports = nldb_p;
	cfg->num_dir_ports = ndir;
	cfg->ldb_credits = ldb_credits;
	cfg->dir_credits = dir_credits;
	for (i = 0; i < nldb_q; i++) {
		cfg->ldb_queues[i].num_seq = 64;
		cfg->ldb_queues[i].atomic_inflights = 64;
	}
	for (i = 0; i < nldb_p; i++)
		cfg->ldb_ports[i].cq_depth = 8;
	for (i = 0; i < ndir; i++)
		cfg->dir_ports[i].cq_depth = 8;
	return cfg;
}

void t_cfg_queue(struct dlb_eng_config *cfg, u32 q, u32 num_seq, u32 atomic,
		 u32 thr)
{
	cfg->ldb_queues[q].num_seq = num_seq;
	cfg->ldb_queues[q].atomic_inflights = atomic;
	cfg->ldb_queues[q].depth_threshold = thr;
}

void t_cfg_port(struct dlb_eng_config *cfg, u32 port, u32 cq_depth, u32 hist)
{
	struct dlb_eng_port_config *pc = DLB_ENG_IS_DIR(port) ?
		&cfg->dir_ports[DLB_ENG_INDEX(port)] : &cfg->ldb_ports[port];

	pc->cq_depth = cq_depth;
	pc->hist_list_size = hist;
}

void t_cfg_link(struct dlb_eng_config *cfg, u32 port, u32 q, u32 prio)
{
	struct dlb_eng_port_config *pc = &cfg->ldb_ports[port];

	pc->links[pc->num_links].queue = (u8)q;
	pc->links[pc->num_links].prio = (u8)prio;
	pc->num_links++;
}

int t_start(struct t_ctx *t, struct dlb_eng_config *cfg)
{
	char why[128];
	u32 i, depth;
	struct dlb_deq *cq;
	int ret;

	t->cfg = cfg;
	ret = dlb_eng_create(cfg, &t->eng, why, sizeof(why));
	if (ret) {
		tap_note("create: %d %s", ret, why);
		t->eng = NULL;
		return ret;
	}
	for (i = 0; i < cfg->num_ldb_ports; i++) {
		cq = dlb_eng_port_cq(t->eng, i, &depth);
		dlb_cq_reader_init(&t->rd[i], cq, depth);
	}
	for (i = 0; i < cfg->num_dir_ports; i++) {
		cq = dlb_eng_port_cq(t->eng, DLB_ENG_DIR(i), &depth);
		dlb_cq_reader_init(&t->rd[t_pidx(DLB_ENG_DIR(i))], cq, depth);
	}
	return 0;
}

void t_check(struct t_ctx *t, const char *file, int line)
{
	char why[256];

	if (t->eng && dlb_eng_check(t->eng, why, sizeof(why)))
		t_fail(t, file, line, "invariant: %s", why);
}

void t_finish(struct t_ctx *t)
{
	T_CHECK(t);
	dlb_eng_destroy(t->eng);
	t->eng = NULL;
	free(t->cfg);
	t->cfg = NULL;
	if (dlb_env_allocs) {
		t_fail(t, __FILE__, __LINE__, "%ld allocations left",
		       dlb_env_allocs);
		dlb_env_allocs = 0;
	}
}

int t_send(struct t_ctx *t, u32 port, u8 cmd, u8 sched, u8 qid, u8 prio,
	   u16 lock_id, u64 data)
{
	struct dlb_qe qe;

	dlb_qe_init(&qe, cmd, sched, qid, prio, lock_id, data);
	return dlb_eng_enqueue(t->eng, port, &qe, 1);
}

u32 t_read(struct t_ctx *t, u32 port, struct dlb_deq *out, u32 max)
{
	return dlb_cq_read(&t->rd[t_pidx(port)], out, max);
}

int t_tokens(struct t_ctx *t, u32 port, u32 n)
{
	struct dlb_qe qe;

	dlb_qe_init_bat_t(&qe, n);
	return dlb_eng_enqueue(t->eng, port, &qe, 1);
}

u32 t_sched(struct t_ctx *t)
{
	u32 n = 0, k;

	do {
		k = dlb_eng_schedule(t->eng, 64);
		n += k;
	} while (k);
	return n;
}

struct dlb_eng_port_stats t_pst(struct t_ctx *t, u32 port)
{
	struct dlb_eng_port_stats st;

	memset(&st, 0, sizeof(st));
	dlb_eng_port_stats(t->eng, port, &st);
	return st;
}

struct dlb_eng_queue_stats t_qst(struct t_ctx *t, u32 queue)
{
	struct dlb_eng_queue_stats st;

	memset(&st, 0, sizeof(st));
	dlb_eng_queue_stats(t->eng, queue, &st);
	return st;
}

int t_run(const struct t_case *cases, unsigned int n)
{
	unsigned int i, failed = 0;
	struct t_ctx *t;

	for (i = 0; i < n; i++) {
		t = calloc(1, sizeof(*t));
		if (!t)
			abort();
		dlb_env_allocs = 0;
		dlb_env_fail_at = 0;
		cases[i].fn(t);
		if (t->eng || t->cfg)
			t_finish(t);
		tap_result(!t->failed, cases[i].name);
		failed += t->failed;
		free(t);
	}
	return failed ? 1 : 0;
}
