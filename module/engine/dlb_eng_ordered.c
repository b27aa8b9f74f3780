// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_eng_ordered.c - ordered scheduling: sequence numbers and the reorder
 * buffer.
 *
 * The rule: events of an ordered queue are scheduled to ports in parallel;
 * what their completions forward leaves in the order the events were
 * scheduled from the queue, whatever order the ports complete them in.
 *
 * An ordered event is given the queue's next sequence number (sn_next)
 * when it is scheduled (dlb_eng_ordered_assign(), inline in
 * dlb_eng_queue.h). The reorder buffer is a ring of num_seq records,
 * one per sequence number in [sn_head, sn_next); so at most num_seq
 * ordered events of a queue are outstanding, and the queue's ordered
 * events wait while the window is full. Completion marks the record done
 * and parks the forwarded event (if any, already charged to its pool) in
 * it; when the oldest record is done, done records are released from the
 * head in order: forwarded events enter their destination queues, and
 * records of plain releases just free their sequence number, so a dropped
 * event never stalls the order. Each record is released once: amortised
 * O(1) per event.
 *
 * A port reset puts held ordered events back with their sequence numbers
 * (dlb_eng_reset.c); whoever completes them next fills the same record.
 */
#include "dlb_eng_internal.h"

static struct dlb_eng_queue *dlb_eng_dest_queue(struct dlb_eng *eng, u32 s)
{
	const struct dlb_qe *qe = &eng->slots[s].qe;

	if (DLB_META_SCHED(qe->meta) == DLB_SCHED_DIRECTED)
		return &eng->dir_q[qe->qid];
	return &eng->ldb_q[qe->qid];
}

/**
 * dlb_eng_ordered_complete() - an ordered event was completed
 * @eng: the engine
 * @q: its queue
 * @sn: its sequence number
 * @fwd: slot of the event its completion forwards, or %DLB_ENG_NIL
 *
 * Context: engine call.
 */
void dlb_eng_ordered_complete(struct dlb_eng *eng, struct dlb_eng_queue *q,
			      u32 sn, u32 fwd)
{
	u32 mask = q->num_seq - 1;
	struct dlb_eng_sn *r = &q->sn[sn & mask];

	r->done = 1;
	r->fwd = fwd;
	if (sn != q->sn_head)
		return;
	while (q->sn_head != q->sn_next) {
		r = &q->sn[q->sn_head & mask];
		if (!r->done)
			break;
		r->done = 0;
		q->sn_head++;
		if (r->fwd != DLB_ENG_NIL) {
			fwd = r->fwd;
			r->fwd = DLB_ENG_NIL;
			dlb_eng_queue_insert(eng, dlb_eng_dest_queue(eng, fwd),
					     fwd);
		}
	}
	dlb_eng_queue_update_ready(eng, q);
}
