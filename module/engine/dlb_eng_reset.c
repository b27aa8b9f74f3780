// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_eng_reset.c - port reset: taking back what a dead consumer held.
 *
 * LDB port: every history entry (events in the CQ not yet read, and events
 * read but not completed) is put back, newest first, at the front of where
 * it came from, so it is served before newer work and in its original
 * order: atomic events return to their flow, whose pin is released;
 * ordered and unordered events go to the queue's replay FIFO, ordered ones
 * with their sequence number, so the reorder buffer still releases in
 * order when another port completes them. DIR port: the CQ entries not
 * returned by tokens go back to the front of its queue (read back from the
 * CQ, which the engine wrote and consumers never write).
 *
 * Put-back events are charged to their credit pool again, which may drive
 * the pool below zero; new events are refused until it recovers. Since
 * events are accepted only while stored < pool, and delivery, completion
 * and reset keep stored + held constant or lower it, stored never exceeds
 * pool + held capacity, which is what the slot array is sized for.
 */
#include "dlb_eng_internal.h"

static u32 dlb_eng_reset_dir(struct dlb_eng *eng, struct dlb_eng_port *p)
{
	struct dlb_eng_queue *q = &eng->dir_q[p->id];
	const struct dlb_deq *e;
	struct dlb_qe *qe;
	u32 k, s;

	for (k = 0; k < p->cq_occ; k++) {
		e = &p->cq[(p->cq_widx - 1 - k) & p->cq_mask];
		s = dlb_eng_slot_alloc(eng);
		if (WARN_ON_ONCE(s == DLB_ENG_NIL))
			break;
		qe = &eng->slots[s].qe;
		qe->data = e->data;
		qe->opaque = e->opaque;
		qe->qid = p->id;
		qe->meta = DLB_META(DLB_SCHED_DIRECTED, DLB_META_PRIO(e->meta),
				    DLB_META_MSG(e->meta));
		qe->lock_id = e->lock_id;
		qe->rsvd = 0;
		qe->cmd = DLB_CMD_NEW;
		dlb_eng_prio_push(eng, &q->un, s, true);
		q->depth++;
		q->st.rescheduled++;
		eng->credits[DLB_ENG_POOL_DIR]--;
	}
	if (q->un.mask)
		eng->dir_ready |= dlb_eng_bit64(q->id);
	return k;
}

static u32 dlb_eng_reset_ldb(struct dlb_eng *eng, struct dlb_eng_port *p)
{
	struct dlb_eng_hist *h;
	struct dlb_eng_queue *q;
	u32 k, s, touched = 0, n = 0;

	dlb_eng_atomic_unpin_all(eng, p);
	for (k = p->hist_count; k-- > 0;) {
		h = &p->hist[(p->hist_head + k) % p->hist_cap];
		q = &eng->ldb_q[h->qe.qid];
		s = dlb_eng_slot_alloc(eng);
		if (WARN_ON_ONCE(s == DLB_ENG_NIL))
			break;
		eng->slots[s].qe = h->qe;
		if (DLB_META_SCHED(h->qe.meta) == DLB_SCHED_ATOMIC) {
			dlb_eng_atomic_put_back(eng, q, h->ref, s);
		} else {
			eng->slots[s].sn = h->ref;
			dlb_eng_fifo_push_front(eng, &q->replay, s);
		}
		q->depth++;
		q->st.rescheduled++;
		eng->credits[DLB_ENG_POOL_LDB]--;
		touched |= dlb_eng_bit32(q->id);
		n++;
	}
	for (k = 0; k < p->hist_count; k++) {
		h = &p->hist[(p->hist_head + k) % p->hist_cap];
		if (DLB_META_SCHED(h->qe.meta) == DLB_SCHED_ATOMIC)
			dlb_eng_atomic_release(eng, &eng->ldb_q[h->qe.qid],
					       h->ref);
	}
	p->hist_head = 0;
	p->hist_count = 0;
	while (touched) {
		dlb_eng_queue_update_ready(eng,
					   &eng->ldb_q[dlb_env_ctz32(touched)]);
		touched &= touched - 1;
	}
	return n;
}

int dlb_eng_port_reset(struct dlb_eng *eng, u32 port)
{
	struct dlb_eng_port *p = dlb_eng_port_get(eng, port);
	u32 n;

	if (!p)
		return -EINVAL;
	n = p->dir ? dlb_eng_reset_dir(eng, p) : dlb_eng_reset_ldb(eng, p);
	memset(p->cq, 0, p->cq_depth * sizeof(*p->cq));
	p->cq_widx = 0;
	p->cq_occ = 0;
	p->gen = DLB_DEQ_GEN;
	p->armed = false;
	p->st.resets++;
	p->st.rescheduled += n;
	dlb_eng_port_update_load(eng, p);
	return (int)n;
}
