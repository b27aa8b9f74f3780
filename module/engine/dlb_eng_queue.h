/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_eng_queue.h - queues: where events wait between enqueue and their
 * CQ, priorities within a queue, and which queues have work.
 *
 * A DIR queue is one FIFO per QE priority (struct dlb_eng_prio_fifo); its
 * port serves the highest non-empty priority first. An LDB queue has four
 * sources of events:
 * - replay: events a port reset put back, served before anything else so
 *   that reset does not reorder them behind newer work;
 * - un: unordered events, a FIFO per QE priority;
 * - ord: ordered events waiting for a sequence number, a FIFO per QE
 *   priority; blocked while all the queue's sequence numbers are in use;
 * - atomic flows (dlb_eng_atomic.c): unpinned ready flows bucketed by the
 *   priority of their first event, and per port the flows pinned to it.
 * Shared sources (all but pinned flows) are compared by priority; ties
 * rotate so no source starves another of the same priority.
 *
 * A queue is "ready" when some linked port could take shared work from it;
 * the bit is kept in eng->q_ready, and when it rises every linked port is
 * marked as possibly having work (eng->ldb_want), one 64-bit OR
 * (dlb_eng_queue_update_ready(), in dlb_eng_internal.h, for every file).
 *
 * Everything here is on the hot path of both enqueue and schedule, so it is
 * inline. It sits on top of the chain of the engine's headers: it includes
 * dlb_eng_atomic.h, which includes dlb_eng_internal.h.
 */
#ifndef DLB_ENG_QUEUE_H
#define DLB_ENG_QUEUE_H

#include "dlb_eng_atomic.h"

static inline void dlb_eng_queue_init(struct dlb_eng_queue *q)
{
	u32 i;

	for (i = 0; i < DLB_NUM_PRIOS; i++) {
		dlb_eng_fifo_init(&q->un.f[i]);
		dlb_eng_fifo_init(&q->ord.f[i]);
		q->atom_head[i] = DLB_ENG_NIL;
		q->atom_tail[i] = DLB_ENG_NIL;
	}
	dlb_eng_fifo_init(&q->replay);
	dlb_eng_fifo_init(&q->arrival);
}

/**
 * dlb_eng_ordered_assign() - give the next sequence number
 * @q: the queue; its window is not full
 *
 * The reorder buffer needs no update: outside the window every sequence
 * number is left not done and without forward (dlb_eng_ordered_release()
 * cleans what it releases; the oldest, released on completion, was never
 * marked).
 *
 * Context: engine call.
 * Return: the sequence number (free-running).
 */
static __always_inline u32 dlb_eng_ordered_assign(struct dlb_eng_queue *q)
{
	return q->sn_next++;
}

/*
 * An ordered event of @q with sequence number @sn completed, not the
 * oldest: it waits in the reorder buffer, with the slot @fwd its
 * completion forwards (or %DLB_ENG_NIL), until the older ones are done.
 */
static __always_inline void dlb_eng_ordered_mark(struct dlb_eng_queue *q,
						 u32 sn, u32 fwd)
{
	u32 i = sn & (q->num_seq - 1);

	q->sn_done[i / 64] |= (u64)1 << (i % 64);
	if (fwd != DLB_ENG_NIL) {
		q->sn_done[q->num_seq / 64 + i / 64] |= (u64)1 << (i % 64);
		q->sn_fwd[i] = fwd;
	}
}

/**
 * dlb_eng_queue_insert() - an event enters a queue
 * @eng: the engine
 * @q: the queue, LDB or DIR
 * @s: the event's slot, already charged to its credit pool
 *
 * Context: engine call.
 */
static __always_inline void
dlb_eng_queue_insert(struct dlb_eng *eng, struct dlb_eng_queue *q, u32 s)
{
	q->depth++;
	q->st.enqueued++;
	if (q->dir) {
		dlb_eng_prio_push(eng, &q->un, s, false);
		eng->dir_ready |= dlb_eng_bit64(q->id);
		return;
	}
	switch (DLB_META_SCHED(eng->slots[s].qe.meta)) {
	case DLB_SCHED_UNORDERED:
		dlb_eng_prio_push(eng, &q->un, s, false);
		break;
	case DLB_SCHED_ORDERED:
		dlb_eng_prio_push(eng, &q->ord, s, false);
		break;
	default:
		dlb_eng_atomic_insert(eng, q, s);
		break;
	}
	/* An insert can make a queue ready, never unready. */
	if (!q->ready)
		dlb_eng_queue_update_ready(eng, q);
}

/* Shared sources, as bits of the tie-break rotation. */
#define DLB_ENG_SRC_UN		0x1
#define DLB_ENG_SRC_ORD		0x2
#define DLB_ENG_SRC_ATOM	0x4

static __always_inline u32
dlb_eng_take_shared(struct dlb_eng *eng, struct dlb_eng_queue *q,
		    struct dlb_eng_port *p, u32 *ref)
{
	u32 ordm = dlb_eng_sn_avail(q) ? q->ord.mask : 0;
	u32 all = q->un.mask | ordm | q->atom_mask;
	u32 lb = all & -all;
	u32 src = 0;
	u32 s;

	/* Queues mostly carry one type: skip the tie-break then. */
	if (all == q->un.mask) {
		*ref = DLB_ENG_NIL;
		return dlb_eng_prio_pop(eng, &q->un);
	}
	if (all == q->atom_mask)
		return dlb_eng_atomic_take_unpinned(eng, q, p, ref);
	if (q->un.mask & lb)
		src |= DLB_ENG_SRC_UN;
	if (ordm & lb)
		src |= DLB_ENG_SRC_ORD;
	if (q->atom_mask & lb)
		src |= DLB_ENG_SRC_ATOM;
	if (src & (src - 1)) {
		q->rr = q->rr >= 2 ? 0 : q->rr + 1;
		src = dlb_eng_bit32(dlb_eng_next32(src, q->rr));
	}
	switch (src) {
	case DLB_ENG_SRC_UN:
		*ref = DLB_ENG_NIL;
		return dlb_eng_prio_pop(eng, &q->un);
	case DLB_ENG_SRC_ORD:
		s = dlb_eng_prio_pop(eng, &q->ord);
		*ref = dlb_eng_ordered_assign(q);
		return s;
	default:
		return dlb_eng_atomic_take_unpinned(eng, q, p, ref);
	}
}

/**
 * dlb_eng_queue_take() - take the next event of a queue for a port
 * @eng: the engine
 * @q: the queue; it has work for @p (DIR: it is @p's queue, non-empty)
 * @p: the port
 * @ref: set to the history reference (flow, sequence number or NIL)
 *
 * Context: engine call.
 * Return: the event's slot, still allocated.
 */
static __always_inline u32
dlb_eng_queue_take(struct dlb_eng *eng, struct dlb_eng_queue *q,
		   struct dlb_eng_port *p, u32 *ref)
{
	bool pinned;
	u32 s;

	q->depth--;
	if (q->dir) {
		s = dlb_eng_prio_pop(eng, &q->un);
		if (!q->un.mask)
			eng->dir_ready &= ~dlb_eng_bit64(q->id);
		*ref = DLB_ENG_NIL;
		return s;
	}
	if (!dlb_eng_fifo_empty(&q->replay)) {
		s = dlb_eng_fifo_pop(eng, &q->replay);
		*ref = DLB_META_SCHED(eng->slots[s].qe.meta) == DLB_SCHED_ORDERED ?
		       eng->slots[s].sn : DLB_ENG_NIL;
	} else {
		/*
		 * Pinned flows can only go to this port, shared work to
		 * any: alternate when both wait, so neither starves.
		 */
		pinned = p->pinned_mask & dlb_eng_bit32(q->id);
		if (pinned && q->ready)
			pinned = p->pick_pinned;
		if (pinned)
			s = dlb_eng_atomic_take_pinned(eng, q, p, ref);
		else
			s = dlb_eng_take_shared(eng, q, p, ref);
		p->pick_pinned = !pinned;
	}
	dlb_eng_queue_update_ready(eng, q);
	return s;
}

#endif /* DLB_ENG_QUEUE_H */
