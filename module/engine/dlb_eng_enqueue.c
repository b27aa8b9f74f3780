// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_eng_enqueue.c - what a port sends: validation of each QE, credits,
 * CQ tokens and completions.
 *
 * Each QE is checked completely before anything is applied, so a QE takes
 * effect whole or not at all:
 * 1. the command byte must be one of the DLB_CMD_* commands;
 * 2. its token return must not exceed the port's CQ occupancy;
 * 3. a completion needs a held event (LDB ports only: DIR ports have no
 *    history list);
 * 4. a new event needs a queue of the domain that takes its sched type;
 * 5. a new event needs a credit of its destination's pool, else the QE is
 *    refused: processing stops and the producer keeps it (backpressure).
 * Failing 1-4 consumes the QE and counts it in dropped[reason]; it changes
 * nothing else.
 *
 * Then tokens are returned, the oldest held event is completed (history
 * lists are FIFOs: completions always apply to the oldest event, as in
 * hardware), and the new event enters its queue, or, for the completion of
 * an ordered event, waits in the reorder buffer for its turn (unless its
 * sequence number is released at once, the in-order case).
 *
 * Cost: each command byte has its own case in one switch, so a QE pays
 * only for its own checks; the port's counters are summed per burst.
 */
#include "dlb_eng_internal.h"

/* Complete the oldest held event of @p; returns @fwd unless absorbed. */
static __always_inline u32
dlb_eng_complete(struct dlb_eng *eng, struct dlb_eng_port *p, u32 fwd)
{
	struct dlb_eng_hist *h = &p->hist[p->hist_head];
	struct dlb_eng_queue *q = &eng->ldb_q[h->queue];

	if (++p->hist_head == p->hist_cap)
		p->hist_head = 0;
	p->hist_count--;
	q->st.completed++;
	switch (h->sched) {
	case DLB_SCHED_ATOMIC:
		dlb_eng_atomic_complete(eng, q, h->ref);
		break;
	case DLB_SCHED_ORDERED:
		/*
		 * The oldest sequence number, with the next one not done
		 * yet (completions mostly come in order): it is released
		 * alone, and its forward enters its queue right away.
		 */
		if (likely(dlb_eng_ordered_alone_next(q, h->ref))) {
			q->sn_head++;
			if (!q->ready)
				dlb_eng_queue_update_ready(eng, q);
			return fwd;
		}
		dlb_eng_ordered_complete(eng, q, h->ref, fwd);
		return DLB_ENG_NIL;
	default:
		break;
	}
	return fwd;
}

/* The destination of a new event, or NULL with *why set. */
static __always_inline struct dlb_eng_queue *
dlb_eng_dest(struct dlb_eng *eng, const struct dlb_qe *qe,
	     enum dlb_eng_drop *why)
{
	u8 sched = DLB_META_SCHED(qe->meta);
	struct dlb_eng_queue *q;

	if (sched == DLB_SCHED_DIRECTED) {
		if (qe->qid >= eng->ndir) {
			*why = DLB_ENG_DROP_BAD_QID;
			return NULL;
		}
		return &eng->dir_q[qe->qid];
	}
	if (qe->qid >= eng->nldb_q) {
		*why = DLB_ENG_DROP_BAD_QID;
		return NULL;
	}
	q = &eng->ldb_q[qe->qid];
	if ((sched == DLB_SCHED_ORDERED && !q->num_seq) ||
	    (sched == DLB_SCHED_ATOMIC && !q->atomic_limit)) {
		*why = DLB_ENG_DROP_BAD_SCHED;
		q->st.dropped++;
		return NULL;
	}
	return q;
}

/*
 * What each QE does to the port's counters is summed over the burst in a
 * struct dlb_eng_enq_acc and applied once at the end: the engine calls are
 * serialised, so nobody can observe the counters mid-burst.
 */
struct dlb_eng_enq_acc {
	u32 enqueued;
	u32 completed;
	u32 tokens;
};

/*
 * A QE that carries a new event (NEW, NEW_T, FWD, FWD_T). Returns 1 when
 * it was consumed (accepted, or dropped with *why set to a reason), 0 when
 * it was refused for lack of credit.
 */
static __always_inline int
dlb_eng_enq_event(struct dlb_eng *eng, struct dlb_eng_port *p,
		  const struct dlb_qe *qe, u8 cmd, struct dlb_eng_enq_acc *acc,
		  enum dlb_eng_drop *why)
{
	u32 tokens = cmd & DLB_CMD_CQ_TOKEN;
	struct dlb_eng_queue *q;
	u32 pool, s;

	if (unlikely(tokens > p->cq_occ)) {
		*why = DLB_ENG_DROP_TOKENS;
		return 1;
	}
	if ((cmd & DLB_CMD_QE_COMP) && unlikely(!p->hist_count)) {
		*why = DLB_ENG_DROP_NO_HELD;
		return 1;
	}
	q = dlb_eng_dest(eng, qe, why);
	if (unlikely(!q))
		return 1;
	pool = q->dir ? DLB_ENG_POOL_DIR : DLB_ENG_POOL_LDB;
	if (unlikely(eng->credits[pool] <= 0 || eng->free_slot == DLB_ENG_NIL)) {
		p->st.refused++;
		q->st.refused++;
		return 0;
	}
	eng->credits[pool]--;
	s = dlb_eng_slot_alloc(eng);
	eng->slots[s].qe = *qe;
	acc->enqueued++;
	p->cq_occ -= tokens;
	acc->tokens += tokens;
	if (cmd & DLB_CMD_QE_COMP) {
		acc->completed++;
		s = dlb_eng_complete(eng, p, s);
		if (s == DLB_ENG_NIL)
			return 1;
	}
	dlb_eng_queue_insert(eng, q, s);
	return 1;
}

int dlb_eng_enqueue(struct dlb_eng *eng, u32 port, const struct dlb_qe *qes,
		    u32 n)
{
	struct dlb_eng_port *p = dlb_eng_port_get(eng, port);
	struct dlb_eng_enq_acc acc = { 0 };
	enum dlb_eng_drop why;
	const struct dlb_qe *qe;
	int ret = (int)n;
	u32 i, tokens;
	u8 cmd;

	if (!p)
		return -EINVAL;
	/*
	 * One case per command byte, so that each does only its own checks
	 * (see the top of this file for their order); anything else is not
	 * a command.
	 */
	for (i = 0; i < n; i++) {
		qe = &qes[i];
		cmd = qe->cmd;
		switch (cmd) {
		case DLB_CMD_REL_T:
		case DLB_CMD_REL:
			tokens = cmd & DLB_CMD_CQ_TOKEN;
			if (unlikely(tokens > p->cq_occ)) {
				why = DLB_ENG_DROP_TOKENS;
				goto drop;
			}
			if (unlikely(!p->hist_count)) {
				why = DLB_ENG_DROP_NO_HELD;
				goto drop;
			}
			p->cq_occ -= tokens;
			acc.tokens += tokens;
			acc.completed++;
			dlb_eng_complete(eng, p, DLB_ENG_NIL);
			continue;
		case DLB_CMD_NEW:
		case DLB_CMD_NEW_T:
		case DLB_CMD_FWD:
		case DLB_CMD_FWD_T:
			why = DLB_ENG_NUM_DROPS;
			if (unlikely(!dlb_eng_enq_event(eng, p, qe, cmd, &acc,
							&why))) {
				ret = (int)i;
				goto out;
			}
			if (unlikely(why != DLB_ENG_NUM_DROPS))
				goto drop;
			continue;
		case DLB_CMD_NOOP:
			continue;
		case DLB_CMD_BAT_T:
			tokens = (u32)qe->lock_id + 1;
			if (unlikely(tokens > p->cq_occ)) {
				why = DLB_ENG_DROP_TOKENS;
				goto drop;
			}
			p->cq_occ -= tokens;
			acc.tokens += tokens;
			continue;
		case DLB_CMD_ARM:
			p->armed = true;
			continue;
		default:
			why = DLB_ENG_DROP_BAD_CMD;
			goto drop;
		}
drop:
		p->st.dropped[why]++;
	}
out:
	p->st.enqueued += acc.enqueued;
	p->st.completed += acc.completed;
	p->st.tokens += acc.tokens;
	/* Tokens and completions only ever lower the load: once is enough. */
	if (acc.tokens | acc.completed)
		dlb_eng_port_update_load(eng, p);
	return ret;
}
