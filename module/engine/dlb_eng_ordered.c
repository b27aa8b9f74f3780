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
 * dlb_eng_queue.h). The reorder buffer covers num_seq sequence numbers,
 * the window [sn_head, sn_next) modulo num_seq; so at most num_seq
 * ordered events of a queue are outstanding, and the queue's ordered
 * events wait while the window is full. Completion sets the sequence
 * number's bit in a bitmap of done ones and parks the forwarded event (if
 * any, already charged to its pool) beside it; when the oldest one
 * completes, it and the run of done ones after it are released in order
 * (the run found a 64-bit word at a time): forwarded events enter their
 * destination queues, and plain releases just free their sequence number,
 * so a dropped event never stalls the order. Each sequence number is
 * released once: amortised O(1) per event.
 *
 * A port reset puts held ordered events back with their sequence numbers
 * (dlb_eng_reset.c); whoever completes them next fills the same entry.
 */
#include "dlb_eng_queue.h"

static struct dlb_eng_queue *dlb_eng_dest_queue(struct dlb_eng *eng, u32 s)
{
	const struct dlb_qe *qe = &eng->slots[s].qe;

	if (DLB_META_SCHED(qe->meta) == DLB_SCHED_DIRECTED)
		return &eng->dir_q[qe->qid];
	return &eng->ldb_q[qe->qid];
}

/**
 * dlb_eng_ordered_release() - the oldest sequence number of an ordered
 *	queue was completed and left: release what waited behind it
 * @eng: the engine
 * @q: the queue; sn_head was just advanced past the completed one
 * @fwd: slot of the event the completion forwards, or %DLB_ENG_NIL
 *
 * Its forward enters its queue, then each run of done sequence numbers
 * at the head of the window leaves with its forwards, in order.
 *
 * Context: engine call.
 */
void dlb_eng_ordered_release(struct dlb_eng *eng, struct dlb_eng_queue *q,
			     u32 fwd)
{
	u32 mask = q->num_seq - 1, words = q->num_seq / 64;
	u32 i, b, run;
	u64 w, f;

	if (fwd != DLB_ENG_NIL)
		dlb_eng_queue_insert(eng, dlb_eng_dest_queue(eng, fwd), fwd);
	while (q->sn_head != q->sn_next) {
		i = q->sn_head & mask;
		b = i % 64;
		/* Bits past the window are clear: the run stops there. */
		w = q->sn_done[i / 64] >> b;
		if (!(w & 1))
			break;
		run = ~w ? dlb_env_ctz64(~w) : 64;
		w = (~(u64)0 >> (64 - run)) << b;
		q->sn_done[i / 64] &= ~w;
		q->sn_head += run;
		/* The run's forwards, in order. */
		f = q->sn_done[words + i / 64] & w;
		q->sn_done[words + i / 64] &= ~w;
		for (; f; f &= f - 1) {
			i = (i & ~63u) + dlb_env_ctz64(f);
			fwd = q->sn_fwd[i];
			q->sn_fwd[i] = DLB_ENG_NIL;
			dlb_eng_queue_insert(eng, dlb_eng_dest_queue(eng, fwd),
					     fwd);
		}
	}
	dlb_eng_queue_update_ready(eng, q);
}
