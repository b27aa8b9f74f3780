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
 * Cost: the command byte is looked at once (the three commonest first,
 * each of which tries a run of QEs, then one case per other command), so
 * a QE pays only for its own checks; the port's counters are summed per
 * burst.
 */
#include "dlb_eng_queue.h"

/*
 * Complete history entry @h of an LDB port (its oldest held event), of
 * queue @q, whose completed counter the caller updates; the caller also
 * advances the history list. Returns @fwd unless absorbed into the
 * reorder buffer.
 */
static __always_inline u32
dlb_eng_complete_in(struct dlb_eng *eng, struct dlb_eng_queue *q,
		    const struct dlb_eng_hist *h, u32 fwd)
{
	switch (DLB_META_SCHED(h->qe.meta)) {
	case DLB_SCHED_ATOMIC:
		dlb_eng_atomic_complete(eng, q, h->ref);
		break;
	case DLB_SCHED_ORDERED:
		if (h->ref != q->sn_head) {
			dlb_eng_ordered_mark(q, h->ref, fwd);
			return DLB_ENG_NIL;
		}
		/*
		 * The oldest sequence number leaves. With the next one not
		 * done yet (completions mostly come in order) it leaves
		 * alone, and its forward enters its queue right away.
		 */
		q->sn_head++;
		if (likely(q->sn_head == q->sn_next ||
			   !dlb_eng_sn_done(q, q->sn_head))) {
			dlb_eng_path(DLB_ENG_PATH_ORD_IN_ORDER, 1);
			if (!q->ready)
				dlb_eng_queue_update_ready(eng, q);
			return fwd;
		}
		dlb_eng_ordered_release(eng, q, fwd);
		return DLB_ENG_NIL;
	default:
		break;
	}
	return fwd;
}

/* dlb_eng_complete_in() that finds the queue and counts the completion. */
static __always_inline u32
dlb_eng_complete_entry(struct dlb_eng *eng, const struct dlb_eng_hist *h,
		       u32 fwd)
{
	struct dlb_eng_queue *q = &eng->ldb_q[h->qe.qid];

	q->st.completed++;
	return dlb_eng_complete_in(eng, q, h, fwd);
}

/* Complete the oldest held event of @p; returns @fwd unless absorbed. */
static __always_inline u32
dlb_eng_complete(struct dlb_eng *eng, struct dlb_eng_port *p, u32 fwd)
{
	const struct dlb_eng_hist *h = &p->hist[p->hist_head];

	if (++p->hist_head == p->hist_cap)
		p->hist_head = 0;
	p->hist_count--;
	return dlb_eng_complete_entry(eng, h, fwd);
}

/*
 * A run of REL_T QEs, the consumers' usual completion: each returns one
 * token and completes the oldest held event, so as many as the port has
 * both tokens and held events for are valid together; the history
 * position stays in locals for the run. Returns the number done, 0 when
 * the first one is invalid (left to dlb_eng_enqueue()'s own case).
 */
static __always_inline u32
dlb_eng_rel_run(struct dlb_eng *eng, struct dlb_eng_port *p,
		const struct dlb_qe *qes, u32 n)
{
	const struct dlb_eng_hist *h, *hend;
	struct dlb_eng_queue *q = NULL;
	u32 k, qid = DLB_ENG_NIL, cnt = 0;
	u16 v, mask, ukey;
	u8 sched = 0;

	n = min_t(u32, n, min_t(u32, p->cq_occ, p->hist_count));
	if (!n)
		return 0;
	/*
	 * Entries of the queue and sched type of the previous one (one
	 * masked 16-bit word of the entry compared at once) need no new
	 * lookup: unordered ones are only counted. Completions are counted
	 * per run of entries of one queue.
	 */
	mask = dlb_eng_qid_meta(0xff, DLB_META_SCHED_MASK);
	ukey = ~mask;	/* matches no entry until a queue is known */
	h = &p->hist[p->hist_head];
	hend = &p->hist[p->hist_cap];
	for (k = 0; k < n && qes[k].cmd == DLB_CMD_REL_T; k++) {
		v = dlb_eng_qid_meta_of(&h->qe);
		if ((v & mask) != ukey) {
			ukey = v & mask;
			sched = DLB_META_SCHED(h->qe.meta);
			if (h->qe.qid != qid) {
				if (q)
					q->st.completed += cnt;
				qid = h->qe.qid;
				q = &eng->ldb_q[qid];
				cnt = 0;
			}
		}
		cnt++;
		if (sched != DLB_SCHED_UNORDERED)
			dlb_eng_complete_in(eng, q, h, DLB_ENG_NIL);
		if (++h == hend)
			h = p->hist;
	}
	if (q)
		q->st.completed += cnt;
	p->hist_head = (u32)(h - p->hist);
	p->hist_count -= k;
	p->cq_occ -= k;
	dlb_eng_path(DLB_ENG_PATH_REL_RUN, k);
	return k;
}

/*
 * dlb_eng_new_spread() for DIR queues: NEW QEs of sched type directed,
 * at most @n (the caller has checked the credits), each appended to its
 * queue's FIFO; which queues became ready is gathered and published
 * once. Returns the number accepted.
 */
static __always_inline u32 dlb_eng_new_spread_dir(struct dlb_eng *eng,
						  const struct dlb_qe *qes,
						  u32 n)
{
	struct dlb_eng_queue *const *dest = eng->dest[DLB_SCHED_DIRECTED];
	struct dlb_eng_slot *slots = eng->slots;
	u32 k, s = eng->free_slot, next;
	struct dlb_eng_queue *q;
	u64 ready = 0;
	u8 meta;

	for (k = 0; k < n; k++) {
		meta = qes[k].meta;
		q = dest[qes[k].qid];
		if (qes[k].cmd != DLB_CMD_NEW ||
		    DLB_META_SCHED(meta) != DLB_SCHED_DIRECTED || !q ||
		    s == DLB_ENG_NIL)
			break;
		next = slots[s].next;
		dlb_eng_put_words(&slots[s].qe, dlb_eng_w0(&qes[k]),
				  dlb_eng_w1(&qes[k]));
		slots[s].next = DLB_ENG_NIL;
		dlb_eng_prio_append(slots, &q->un, DLB_META_PRIO(meta), s, s);
		q->depth++;
		q->st.enqueued++;
		ready |= dlb_eng_bit64(q->id);
		s = next;
	}
	eng->free_slot = s;
	eng->dir_ready |= ready;
	dlb_eng_path(DLB_ENG_PATH_NEW_SPREAD_DIR, k);
	return k;
}

/*
 * NEW QEs for unordered, ordered or DIR queues of one credit pool, when
 * consecutive QEs go to different queues (a producer spreading events
 * over DIR queues): each event is appended to its queue on its own, but
 * the credit check and the command dispatch are done once for them all.
 * Returns the number accepted, 0 when the first QE is not for this path;
 * the QE after them is left to dlb_eng_enqueue()'s own cases.
 */
static __always_inline u32 dlb_eng_new_spread(struct dlb_eng *eng,
					      const struct dlb_qe *qes, u32 n)
{
	u8 meta = qes[0].meta;
	struct dlb_eng_queue *q = eng->dest[DLB_META_SCHED(meta)][qes[0].qid];
	struct dlb_eng_slot *slots = eng->slots;
	struct dlb_eng_prio_fifo *pf;
	u32 k, s, pool;
	s32 credits;

	if (!q)
		return 0;
	pool = q->pool;
	credits = eng->credits[pool];
	if (credits <= 0)
		return 0;
	n = min_t(u32, n, (u32)credits);
	if (q->dir) {
		k = dlb_eng_new_spread_dir(eng, qes, n);
		eng->credits[pool] -= (s32)k;
		return k;
	}
	for (k = 0; k < n; k++) {
		meta = qes[k].meta;
		q = eng->dest[DLB_META_SCHED(meta)][qes[k].qid];
		s = eng->free_slot;
		if (qes[k].cmd != DLB_CMD_NEW || !q || q->pool != pool ||
		    DLB_META_SCHED(meta) == DLB_SCHED_ATOMIC ||
		    s == DLB_ENG_NIL)
			break;
		eng->free_slot = slots[s].next;
		dlb_eng_put_words(&slots[s].qe, dlb_eng_w0(&qes[k]),
				  dlb_eng_w1(&qes[k]));
		slots[s].next = DLB_ENG_NIL;
		pf = DLB_META_SCHED(meta) == DLB_SCHED_ORDERED ? &q->ord : &q->un;
		dlb_eng_prio_append(slots, pf, DLB_META_PRIO(meta), s, s);
		q->depth++;
		q->st.enqueued++;
		if (q->dir)
			eng->dir_ready |= dlb_eng_bit64(q->id);
		else if (!q->ready)
			dlb_eng_queue_update_ready(eng, q);
	}
	eng->credits[pool] -= (s32)k;
	dlb_eng_path(DLB_ENG_PATH_NEW_SPREAD, k);
	return k;
}

/*
 * A run of FWD_T QEs for one queue (same qid and meta byte), a pipeline
 * stage's usual burst: each returns a token, completes the oldest held
 * event and carries a new event, so as many as the port has tokens and
 * held events for and the pool has credit for are valid together. Each
 * new event then enters its queue, or the reorder buffer of the ordered
 * event it completes. Returns the number done, 0 when the first QE is not
 * for this path (left to dlb_eng_enqueue()'s own case).
 */
static __always_inline u32
dlb_eng_fwd_run(struct dlb_eng *eng, struct dlb_eng_port *p,
		const struct dlb_qe *qes, u32 n)
{
	const u64 kmask = dlb_eng_deq_w1(0, 0xff, 0xff, 0, 0, 0xff);
	u8 meta = qes[0].meta;
	struct dlb_eng_queue *q = eng->dest[DLB_META_SCHED(meta)][qes[0].qid];
	const struct dlb_eng_hist *h, *hend;
	struct dlb_eng_slot *slots = eng->slots;
	struct dlb_eng_queue *cq = NULL;
	struct dlb_eng_prio_fifo *pf = NULL;
	struct dlb_eng_fifo *f = NULL;
	u32 k, m, s, t, next, cqid = DLB_ENG_NIL, cnt = 0, ins = 0;
	u32 prio = DLB_META_PRIO(meta);
	s32 credits;
	u64 key;

	if (!q)
		return 0;
	credits = eng->credits[q->pool];
	if (unlikely(credits <= 0))
		return 0;
	n = min_t(u32, n, (u32)credits);
	n = min_t(u32, n, min_t(u32, p->cq_occ, p->hist_count));
	/* The run: command, qid and meta (one masked word) as the first. */
	key = dlb_eng_w1(&qes[0]) & kmask;
	for (m = 0; m < n && (dlb_eng_w1(&qes[m]) & kmask) == key; m++)
		;
	if (!m)
		return 0;
	if (DLB_META_SCHED(meta) != DLB_SCHED_ATOMIC) {
		pf = DLB_META_SCHED(meta) == DLB_SCHED_ORDERED ? &q->ord :
								 &q->un;
		f = &pf->f[prio];
	}
	h = &p->hist[p->hist_head];
	hend = &p->hist[p->hist_cap];
	s = eng->free_slot;
	for (k = 0; k < m; k++) {
		if (unlikely(s == DLB_ENG_NIL))
			break;
		next = slots[s].next;
		dlb_eng_put_words(&slots[s].qe, dlb_eng_w0(&qes[k]),
				  dlb_eng_w1(&qes[k]));
		/* Completions are counted per run of one queue. */
		if (h->qe.qid != cqid) {
			if (cq)
				cq->st.completed += cnt;
			cqid = h->qe.qid;
			cq = &eng->ldb_q[cqid];
			cnt = 0;
		}
		cnt++;
		t = s;
		if (DLB_META_SCHED(h->qe.meta) != DLB_SCHED_UNORDERED)
			t = dlb_eng_complete_in(eng, cq, h, s);
		if (t != DLB_ENG_NIL) {
			/* Not absorbed by a reorder buffer: it enters @q. */
			ins++;
			if (f) {
				slots[s].next = DLB_ENG_NIL;
				dlb_eng_fifo_append(slots, f, s, s);
				pf->mask |= 1u << prio;
			} else {
				dlb_eng_atomic_insert(eng, q, s);
			}
		}
		s = next;
		if (++h == hend)
			h = p->hist;
	}
	eng->free_slot = s;
	if (cq)
		cq->st.completed += cnt;
	q->depth += ins;
	q->st.enqueued += ins;
	if (ins && q->dir)
		eng->dir_ready |= dlb_eng_bit64(q->id);
	else if (ins && !q->ready)
		dlb_eng_queue_update_ready(eng, q);
	eng->credits[q->pool] -= (s32)k;
	p->hist_head = (u32)(h - p->hist);
	p->hist_count -= k;
	p->cq_occ -= k;
	dlb_eng_path(DLB_ENG_PATH_FWD_RUN, k);
	return k;
}

/*
 * A run of NEW QEs for one queue at one priority (same qid and meta
 * byte), the producers' usual burst. For an unordered, ordered or DIR
 * queue their slots are taken as a chain off the free list (already
 * linked in order), filled, and appended to the queue's FIFO in one step;
 * atomic events are sorted into their flows one by one. Credits, depth
 * and counters change once. The run stops where the pool runs out
 * of credit, so dlb_eng_enqueue()'s own case refuses the next QE.
 * Returns the number accepted, 0 when the first QE is not for this path.
 */
static __always_inline u32
dlb_eng_new_run(struct dlb_eng *eng, const struct dlb_qe *qes, u32 n)
{
	u8 qid = qes[0].qid, meta = qes[0].meta;
	struct dlb_eng_queue *q = eng->dest[DLB_META_SCHED(meta)][qid];
	const u64 kmask = dlb_eng_deq_w1(0, 0xff, 0xff, 0, 0, 0xff);
	struct dlb_eng_slot *slots = eng->slots;
	u32 k, m, s, first, last;
	struct dlb_eng_prio_fifo *pf;
	s32 credits;
	u64 key, w1;

	if (!q)
		return 0;
	credits = eng->credits[q->pool];
	s = eng->free_slot;
	if (unlikely(credits <= 0 || s == DLB_ENG_NIL))
		return 0;
	n = min_t(u32, n, (u32)credits);
	/* The run: command, qid and meta (one masked word) as the first. */
	key = dlb_eng_w1(&qes[0]) & kmask;
	if (DLB_META_SCHED(meta) == DLB_SCHED_ATOMIC) {
		for (m = 1; m < n && (dlb_eng_w1(&qes[m]) & kmask) == key; m++)
			;
		k = dlb_eng_atomic_insert_run(eng, q, qes, m);
		goto counters;
	}
	first = s;
	last = s;
	k = 0;
	do {
		w1 = dlb_eng_w1(&qes[k]);
		if ((w1 & kmask) != key)
			break;
		dlb_eng_put_words(&slots[s].qe, dlb_eng_w0(&qes[k]), w1);
		last = s;
		s = slots[s].next;
		k++;
	} while (k < n && s != DLB_ENG_NIL);
	eng->free_slot = s;
	slots[last].next = DLB_ENG_NIL;
	pf = DLB_META_SCHED(meta) == DLB_SCHED_ORDERED ? &q->ord : &q->un;
	dlb_eng_prio_append(slots, pf, DLB_META_PRIO(meta), first, last);
	dlb_eng_path(DLB_ENG_PATH_NEW_RUN, k);
counters:
	eng->credits[q->pool] -= (s32)k;
	q->depth += k;
	q->st.enqueued += k;
	if (q->dir)
		eng->dir_ready |= dlb_eng_bit64(q->id);
	else if (!q->ready)
		dlb_eng_queue_update_ready(eng, q);
	return k;
}

/*
 * Why a new event has no destination (eng->dest has none); a sched type
 * the queue does not take is counted at the queue too.
 */
static enum dlb_eng_drop dlb_eng_dest_why(struct dlb_eng *eng,
					  const struct dlb_qe *qe)
{
	u8 sched = DLB_META_SCHED(qe->meta);

	if (qe->qid >= (sched == DLB_SCHED_DIRECTED ? eng->ndir : eng->nldb_q))
		return DLB_ENG_DROP_BAD_QID;
	eng->ldb_q[qe->qid].st.dropped++;
	return DLB_ENG_DROP_BAD_SCHED;
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
 * What one QE did: a drop reason (enum dlb_eng_drop), or one of these.
 */
#define DLB_ENG_ENQ_DONE	DLB_ENG_NUM_DROPS	/* taken */
#define DLB_ENG_ENQ_REFUSED	(DLB_ENG_NUM_DROPS + 1)	/* no credit */

/* A QE that carries a new event (NEW, NEW_T, FWD, FWD_T), on its own. */
static __always_inline u32
dlb_eng_enq_event(struct dlb_eng *eng, struct dlb_eng_port *p,
		  const struct dlb_qe *qe, u8 cmd, struct dlb_eng_enq_acc *acc)
{
	u32 tokens = cmd & DLB_CMD_CQ_TOKEN;
	struct dlb_eng_queue *q;
	u32 pool, s;

	if (unlikely(tokens > p->cq_occ))
		return DLB_ENG_DROP_TOKENS;
	if ((cmd & DLB_CMD_QE_COMP) && unlikely(!p->hist_count))
		return DLB_ENG_DROP_NO_HELD;
	q = eng->dest[DLB_META_SCHED(qe->meta)][qe->qid];
	if (unlikely(!q))
		return dlb_eng_dest_why(eng, qe);
	pool = q->pool;
	if (unlikely(eng->credits[pool] <= 0 || eng->free_slot == DLB_ENG_NIL)) {
		p->st.refused++;
		q->st.refused++;
		return DLB_ENG_ENQ_REFUSED;
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
			return DLB_ENG_ENQ_DONE;
	}
	dlb_eng_queue_insert(eng, q, s);
	return DLB_ENG_ENQ_DONE;
}

/* A REL or REL_T QE on its own. */
static __always_inline u32 dlb_eng_enq_rel(struct dlb_eng *eng,
					   struct dlb_eng_port *p, u8 cmd,
					   struct dlb_eng_enq_acc *acc)
{
	u32 tokens = cmd & DLB_CMD_CQ_TOKEN;

	if (unlikely(tokens > p->cq_occ))
		return DLB_ENG_DROP_TOKENS;
	if (unlikely(!p->hist_count))
		return DLB_ENG_DROP_NO_HELD;
	p->cq_occ -= tokens;
	acc->tokens += tokens;
	acc->completed++;
	dlb_eng_complete(eng, p, DLB_ENG_NIL);
	return DLB_ENG_ENQ_DONE;
}

/* A BAT_T QE: lock_id + 1 tokens. */
static __always_inline u32 dlb_eng_enq_bat(struct dlb_eng_port *p,
					   const struct dlb_qe *qe,
					   struct dlb_eng_enq_acc *acc)
{
	u32 tokens = (u32)qe->lock_id + 1;

	if (unlikely(tokens > p->cq_occ))
		return DLB_ENG_DROP_TOKENS;
	p->cq_occ -= tokens;
	acc->tokens += tokens;
	return DLB_ENG_ENQ_DONE;
}

int dlb_eng_enqueue(struct dlb_eng *eng, u32 port, const struct dlb_qe *qes,
		    u32 n)
{
	struct dlb_eng_port *p = dlb_eng_port_get(eng, port);
	struct dlb_eng_enq_acc acc = { 0 };
	const struct dlb_qe *qe;
	int ret = (int)n;
	u32 i, k, res;
	u8 cmd;

	if (!p)
		return -EINVAL;
	/*
	 * The command byte is looked at once: the commonest commands
	 * (REL_T, NEW, FWD_T) first, each trying a run before its QE is
	 * taken on its own, then one case for each of the others. Each does
	 * only its own checks (see the top of this file for their order);
	 * anything else is not a command.
	 */
	for (i = 0; i < n; i++) {
		qe = &qes[i];
		cmd = qe->cmd;
		if (cmd == DLB_CMD_REL_T) {
			k = dlb_eng_rel_run(eng, p, qe, n - i);
			if (k) {
				acc.tokens += k;
				acc.completed += k;
				i += k - 1;
				continue;
			}
			res = dlb_eng_enq_rel(eng, p, cmd, &acc);
		} else if (cmd == DLB_CMD_NEW) {
			if (i + 1 == n || qe[1].qid != qe->qid ||
			    qe[1].meta != qe->meta)
				k = dlb_eng_new_spread(eng, qe, n - i);
			else
				k = dlb_eng_new_run(eng, qe, n - i);
			if (k) {
				acc.enqueued += k;
				i += k - 1;
				continue;
			}
			res = dlb_eng_enq_event(eng, p, qe, cmd, &acc);
		} else if (cmd == DLB_CMD_FWD_T) {
			k = dlb_eng_fwd_run(eng, p, qe, n - i);
			if (k) {
				acc.enqueued += k;
				acc.tokens += k;
				acc.completed += k;
				i += k - 1;
				continue;
			}
			res = dlb_eng_enq_event(eng, p, qe, cmd, &acc);
		} else {
			switch (cmd) {
			case DLB_CMD_REL:
				res = dlb_eng_enq_rel(eng, p, cmd, &acc);
				break;
			case DLB_CMD_NEW_T:
			case DLB_CMD_FWD:
				res = dlb_eng_enq_event(eng, p, qe, cmd, &acc);
				break;
			case DLB_CMD_BAT_T:
				res = dlb_eng_enq_bat(p, qe, &acc);
				break;
			case DLB_CMD_ARM:
				p->armed = true;
				continue;
			case DLB_CMD_NOOP:
				continue;
			default:
				res = DLB_ENG_DROP_BAD_CMD;
				break;
			}
		}
		if (likely(res == DLB_ENG_ENQ_DONE))
			continue;
		if (unlikely(res == DLB_ENG_ENQ_REFUSED)) {
			ret = (int)i;
			break;
		}
		p->st.dropped[res]++;
	}
	p->st.enqueued += acc.enqueued;
	p->st.completed += acc.completed;
	p->st.tokens += acc.tokens;
	/* Tokens and completions only ever lower the load: once is enough. */
	if (acc.tokens | acc.completed)
		dlb_eng_port_update_load(eng, p);
	return ret;
}
