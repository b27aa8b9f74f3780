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
 * an ordered event, waits in the reorder buffer for its turn.
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
	p->st.completed++;
	q->st.completed++;
	switch (h->sched) {
	case DLB_SCHED_ATOMIC:
		dlb_eng_atomic_complete(eng, q, h->ref);
		break;
	case DLB_SCHED_ORDERED:
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
 * Bit n set: command byte n is valid (NOOP, BAT_T, REL, REL_T, ARM, NEW,
 * NEW_T, FWD, FWD_T).
 */
#define DLB_ENG_VALID_CMDS	0x0f2fu

int dlb_eng_enqueue(struct dlb_eng *eng, u32 port, const struct dlb_qe *qes,
		    u32 n)
{
	struct dlb_eng_port *p = dlb_eng_port_get(eng, port);
	struct dlb_eng_queue *q;
	enum dlb_eng_drop why;
	const struct dlb_qe *qe;
	u32 i, tokens, pool, s;
	bool load = false;
	int ret = (int)n;
	u8 cmd;

	if (!p)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		qe = &qes[i];
		cmd = qe->cmd;
		if (unlikely(cmd >= 16 || !((DLB_ENG_VALID_CMDS >> cmd) & 1))) {
			why = DLB_ENG_DROP_BAD_CMD;
			goto drop;
		}
		if (!cmd)
			continue;
		tokens = cmd & DLB_CMD_CQ_TOKEN;
		if (unlikely(cmd == DLB_CMD_BAT_T))
			tokens = (u32)qe->lock_id + 1;
		else if (unlikely(cmd == DLB_CMD_ARM))
			tokens = 0;
		if (unlikely(tokens > p->cq_occ)) {
			why = DLB_ENG_DROP_TOKENS;
			goto drop;
		}
		if ((cmd & DLB_CMD_QE_COMP) && unlikely(!p->hist_count)) {
			why = DLB_ENG_DROP_NO_HELD;
			goto drop;
		}
		s = DLB_ENG_NIL;
		q = NULL;
		if (cmd & DLB_CMD_QE_VALID) {
			q = dlb_eng_dest(eng, qe, &why);
			if (unlikely(!q))
				goto drop;
			pool = q->dir ? DLB_ENG_POOL_DIR : DLB_ENG_POOL_LDB;
			if (unlikely(eng->credits[pool] <= 0 ||
				     eng->free_slot == DLB_ENG_NIL)) {
				p->st.refused++;
				q->st.refused++;
				ret = (int)i;
				break;
			}
			eng->credits[pool]--;
			s = dlb_eng_slot_alloc(eng);
			eng->slots[s].qe = *qe;
			p->st.enqueued++;
		}
		if (tokens) {
			p->cq_occ -= tokens;
			p->st.tokens += tokens;
			load = true;
		}
		if (unlikely(cmd == DLB_CMD_ARM))
			p->armed = true;
		if (cmd & DLB_CMD_QE_COMP) {
			s = dlb_eng_complete(eng, p, s);
			load = true;
		}
		if (s != DLB_ENG_NIL)
			dlb_eng_queue_insert(eng, q, s);
		continue;
drop:
		p->st.dropped[why]++;
	}
	/* Tokens and completions only ever lower the load: once is enough. */
	if (load)
		dlb_eng_port_update_load(eng, p);
	return ret;
}
