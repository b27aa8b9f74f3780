/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test_util.h - helpers shared by the engine's unit and model tests: the
 * runner (its TAP from tests/lib/tap.h), configuration builders, and a port's view (enqueue, dequeue,
 * tokens, completions) on top of the public API.
 */
#ifndef DLB_TEST_UTIL_H
#define DLB_TEST_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlb_cq.h"
#include "dlb_engine.h"
#include "tap.h"

#define T_NPORTS	(DLB_ENG_MAX_LDB_PORTS + DLB_ENG_MAX_DIR_PORTS)

/* One test's state: the engine and a CQ reader per port. */
struct t_ctx {
	struct dlb_eng_config *cfg;
	struct dlb_eng *eng;
	struct dlb_cq_reader rd[T_NPORTS];
	int failed;
};

/* Failure reporting: TAP diagnostics, then the test is marked failed. */
void t_fail(struct t_ctx *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define T_ASSERT(t, cond, ...)						\
	do {								\
		if (!(cond)) {						\
			t_fail(t, __FILE__, __LINE__, __VA_ARGS__);	\
			return;						\
		}							\
	} while (0)

#define T_EQ(t, a, b)							\
	T_ASSERT(t, (long long)(a) == (long long)(b),			\
		 "%s == %lld, expected %s == %lld", #a, (long long)(a),	\
		 #b, (long long)(b))

static inline u32 t_pidx(u32 port)
{
	return DLB_ENG_IS_DIR(port) ? DLB_ENG_MAX_LDB_PORTS + DLB_ENG_INDEX(port) :
				      port;
}

/* Configuration builders. */
struct dlb_eng_config *t_cfg(u32 nldb_q, u32 nldb_p, u32 ndir, u32 ldb_credits,
			     u32 dir_credits);
void t_cfg_queue(struct dlb_eng_config *cfg, u32 q, u32 num_seq, u32 atomic,
		 u32 thr);
void t_cfg_port(struct dlb_eng_config *cfg, u32 port, u32 cq_depth, u32 hist);
void t_cfg_link(struct dlb_eng_config *cfg, u32 port, u32 q, u32 prio);

/* Create the engine from t->cfg (frees cfg); 0 or the error. */
int t_start(struct t_ctx *t, struct dlb_eng_config *cfg);
/* Check invariants, destroy, check no allocation is left. */
void t_finish(struct t_ctx *t);
/* Invariants hold now. */
void t_check(struct t_ctx *t, const char *file, int line);
#define T_CHECK(t) t_check(t, __FILE__, __LINE__)

/* Enqueue one QE; returns what dlb_eng_enqueue() returned. */
int t_send(struct t_ctx *t, u32 port, u8 cmd, u8 sched, u8 qid, u8 prio,
	   u16 lock_id, u64 data);
static inline int t_new(struct t_ctx *t, u32 port, u8 sched, u8 qid,
			u16 lock_id, u64 data)
{
	return t_send(t, port, DLB_CMD_NEW, sched, qid, 0, lock_id, data);
}

/* Read up to max entries of a port's CQ (without returning tokens). */
u32 t_read(struct t_ctx *t, u32 port, struct dlb_deq *out, u32 max);
/* Return n tokens. */
int t_tokens(struct t_ctx *t, u32 port, u32 n);
/* Schedule until nothing moves; returns events moved. */
u32 t_sched(struct t_ctx *t);

struct dlb_eng_port_stats t_pst(struct t_ctx *t, u32 port);
struct dlb_eng_queue_stats t_qst(struct t_ctx *t, u32 queue);

/* TAP runner. */
struct t_case {
	const char *name;
	void (*fn)(struct t_ctx *t);
};

int t_run(const struct t_case *cases, unsigned int n);

#endif /* DLB_TEST_UTIL_H */
