/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_dlb.h - what the backends on dlb's own event format share (the
 * engine, bench_engine.c; the kernel's port files, bench_dlbk.c): how a
 * consumer answers a burst of dequeued entries, the sched type of each
 * case, and the power of two that sizes an ordered queue.
 */
#ifndef DLB_BENCH_DLB_H
#define DLB_BENCH_DLB_H

#include <stdint.h>

#include "dlb_qe.h"
#include "bench.h"

/* A case's sched type as dlb's (none for BENCH_MIXED, whose events rotate). */
static const uint8_t bench_dlb_sched[BENCH_NUM_SCHED] = {
	[BENCH_ATOMIC] = DLB_SCHED_ATOMIC,
	[BENCH_ORDERED] = DLB_SCHED_ORDERED,
	[BENCH_UNORDERED] = DLB_SCHED_UNORDERED,
	[BENCH_DIRECTED] = DLB_SCHED_DIRECTED,
};

static inline uint32_t bench_pow2_at_least(uint32_t v)
{
	uint32_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

/**
 * bench_answer() - the QEs a consumer answers a burst with, counted in @t
 * @t: the tally; with @t->checking, each entry is checked too
 * @c: the case
 * @port: the port the entries came from
 * @dir: the case is directed
 * @ev: the entries
 * @n: how many
 * @fwd: the command forwarding a load-balanced event (FWD or FWD_T)
 * @rel: the command completing one (REL or REL_T)
 * @qe: where the answers go, room for @n
 *
 * A stage-0 event of a two-stage case goes on to stage 1 (LDB: queue 1
 * with @fwd; DIR: a NEW to the next port's queue, since a directed queue
 * feeds one port); an event at its last stage is done: @rel for LDB,
 * nothing for DIR, which holds no history. Stage rides in the opaque
 * field.
 *
 * Return: how many QEs were written to @qe.
 */
static inline unsigned int bench_answer(struct bench_tally *t,
					const struct bench_case *c,
					unsigned int port, int dir,
					const struct dlb_deq *ev,
					unsigned int n, uint8_t fwd,
					uint8_t rel, struct dlb_qe *qe)
{
	const uint8_t next_dir = (uint8_t)((port + 1) % c->ports);
	/* In a local: the stores below may alias *c for the compiler. */
	const int two_stage = c->stages == 2;
	unsigned int i, k = 0;

	if (t->checking)
		for (i = 0; i < n; i++)
			bench_tally_check(t, port, ev[i].opaque,
					  ev[i].lock_id, ev[i].data);
	for (i = 0; i < n; i++) {
		if (two_stage && ev[i].opaque == 0) {
			qe[k++] = (struct dlb_qe) {
				.data = ev[i].data,
				.opaque = 1,
				.qid = dir ? next_dir : 1,
				.meta = ev[i].meta,
				.lock_id = ev[i].lock_id,
				.cmd = dir ? DLB_CMD_NEW : fwd,
			};
			t->forwarded++;
			continue;
		}
		t->done++;
		t->sum += ev[i].data;
		if (!dir)
			qe[k++] = (struct dlb_qe) { .cmd = rel };
	}
	return k;
}

#endif /* DLB_BENCH_DLB_H */
