/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_eng_atomic.h - the per-event operations of atomic scheduling (flow
 * lists, insert, take, complete), inline because every atomic event goes
 * through them on the hot path; the rules and the rarer operations are in
 * dlb_eng_atomic.c.
 *
 * The engine's headers are a chain, each including the one below it:
 * dlb_eng_queue.h -> dlb_eng_atomic.h -> dlb_eng_internal.h -> dlb_engine.h.
 */
#ifndef DLB_ENG_ATOMIC_H
#define DLB_ENG_ATOMIC_H

#include "dlb_eng_internal.h"

static __always_inline void
dlb_eng_flow_unpinned_push(struct dlb_eng *eng, struct dlb_eng_queue *q, u32 fi)
{
	struct dlb_eng_flow *f = &eng->flows[fi];
	u32 prio = DLB_META_PRIO(eng->slots[f->wait.head].qe.meta);

	f->list = DLB_ENG_FLOW_UNPINNED;
	f->prio = prio;
	f->next = DLB_ENG_NIL;
	if (q->atom_head[prio] == DLB_ENG_NIL)
		q->atom_head[prio] = fi;
	else
		eng->flows[q->atom_tail[prio]].next = fi;
	q->atom_tail[prio] = fi;
	q->atom_mask |= 1u << prio;
}

static __always_inline void
dlb_eng_flow_pinned_push(struct dlb_eng *eng, struct dlb_eng_port *p, u32 qid,
			 u32 fi)
{
	struct dlb_eng_flow *f = &eng->flows[fi];

	f->list = DLB_ENG_FLOW_PINNED;
	f->next = DLB_ENG_NIL;
	f->prev = p->pin_tail[qid];
	if (p->pin_head[qid] == DLB_ENG_NIL)
		p->pin_head[qid] = fi;
	else
		eng->flows[p->pin_tail[qid]].next = fi;
	p->pin_tail[qid] = fi;
	p->pinned_mask |= dlb_eng_bit32(qid);
	eng->ldb_want |= dlb_eng_bit64(p->id);
}

static __always_inline void
dlb_eng_flow_pinned_remove(struct dlb_eng *eng, struct dlb_eng_port *p, u32 qid,
			   u32 fi)
{
	struct dlb_eng_flow *f = &eng->flows[fi];

	if (f->prev == DLB_ENG_NIL)
		p->pin_head[qid] = f->next;
	else
		eng->flows[f->prev].next = f->next;
	if (f->next == DLB_ENG_NIL)
		p->pin_tail[qid] = f->prev;
	else
		eng->flows[f->next].prev = f->prev;
	if (p->pin_head[qid] == DLB_ENG_NIL)
		p->pinned_mask &= ~dlb_eng_bit32(qid);
	f->list = DLB_ENG_FLOW_IDLE;
}

/* Put an idle flow with waiting events on the list it belongs to. */
static __always_inline void
dlb_eng_flow_make_ready(struct dlb_eng *eng, struct dlb_eng_queue *q, u32 fi)
{
	struct dlb_eng_flow *f = &eng->flows[fi];
	struct dlb_eng_port *p;

	if (f->list != DLB_ENG_FLOW_IDLE || !f->nwait)
		return;
	if (!f->held) {
		dlb_eng_flow_unpinned_push(eng, q, fi);
		return;
	}
	p = &eng->ldb_p[f->port];
	if (p->linkq & dlb_eng_bit32(q->id))
		dlb_eng_flow_pinned_push(eng, p, q->id, fi);
	/* else parked until its held events complete */
}

/*
 * A new flow's set-up, shared by every maker of a flow:
 * dlb_eng_flow_setup() makes flow @f, just taken off the pool, the flow
 * of @lock_id in queue @qid, holding nothing, with @nwait events waiting:
 * none (@s %DLB_ENG_NIL) or the one in slot @s, whose next the caller
 * sets. Then either dlb_eng_flow_list_set() puts it alone on a list and
 * dlb_eng_flow_publish() enters it in the queue's table, or the table
 * entry comes first and dlb_eng_flow_unpinned_push() lists it. (Each
 * maker's order of these stores is the one that compiles shortest.)
 */
static __always_inline void dlb_eng_flow_setup(struct dlb_eng_flow *f,
					       u16 lock_id, u8 qid, u32 s,
					       u32 nwait)
{
	f->wait.head = s;
	f->wait.tail = s;
	f->prev = DLB_ENG_NIL;
	f->nwait = nwait;
	f->held = 0;
	f->lock_id = lock_id;
	f->queue = qid;
}

/* A new flow is alone on list @list, in bucket @prio (if unpinned). */
static __always_inline void dlb_eng_flow_list_set(struct dlb_eng_flow *f,
						  u8 list, u8 prio)
{
	f->next = DLB_ENG_NIL;
	f->list = list;
	f->prio = prio;
}

/* Flow @fi, set up, becomes the flow of @lock_id in @q. */
static __always_inline void dlb_eng_flow_publish(struct dlb_eng_queue *q,
						 u16 lock_id, u32 fi)
{
	q->flow_of[lock_id] = (u16)(fi + 1);
}

/* The flow of @lock_id, created if needed; NIL if the pool is empty. */
static __always_inline u32
dlb_eng_flow_get(struct dlb_eng *eng, struct dlb_eng_queue *q, u16 lock_id)
{
	u32 fi = q->flow_of[lock_id];

	if (fi)
		return fi - 1;
	fi = eng->free_flow;
	if (fi == DLB_ENG_NIL)
		return DLB_ENG_NIL;
	eng->free_flow = eng->flows[fi].next;
	dlb_eng_flow_setup(&eng->flows[fi], lock_id, q->id, DLB_ENG_NIL, 0);
	dlb_eng_flow_list_set(&eng->flows[fi], DLB_ENG_FLOW_IDLE, 0);
	dlb_eng_flow_publish(q, lock_id, fi);
	return fi;
}

static __always_inline void
dlb_eng_flow_free(struct dlb_eng *eng, struct dlb_eng_queue *q, u32 fi)
{
	struct dlb_eng_flow *f = &eng->flows[fi];

	q->flow_of[f->lock_id] = 0;
	f->next = eng->free_flow;
	eng->free_flow = fi;
	if (unlikely(eng->flow_starved))
		dlb_eng_atomic_feed_starved(eng);
}

static __always_inline void
dlb_eng_flow_add(struct dlb_eng *eng, struct dlb_eng_queue *q, u32 fi, u32 s)
{
	struct dlb_eng_flow *f = &eng->flows[fi];

	dlb_eng_fifo_push(eng, &f->wait, s);
	f->nwait++;
	q->atomic_waiting++;
	dlb_eng_flow_make_ready(eng, q, fi);
}

/**
 * dlb_eng_atomic_insert() - an atomic event enters its queue
 * @eng: the engine
 * @q: the queue
 * @s: the event's slot
 *
 * Context: engine call; the caller updates the queue's readiness.
 */
static __always_inline void
dlb_eng_atomic_insert(struct dlb_eng *eng, struct dlb_eng_queue *q, u32 s)
{
	u16 lock_id = eng->slots[s].qe.lock_id;
	struct dlb_eng_flow *f;
	u32 fi;

	if (!q->narrival && q->atomic_waiting < q->atomic_limit) {
		fi = q->flow_of[lock_id];
		if (fi) {
			dlb_eng_flow_add(eng, q, fi - 1, s);
			return;
		}
		/*
		 * A new flow (the common case with many flows): it holds
		 * nothing, so it goes straight to the unpinned list with
		 * this one event, as dlb_eng_flow_get() then
		 * dlb_eng_flow_add() would leave it.
		 */
		fi = eng->free_flow;
		if (likely(fi != DLB_ENG_NIL)) {
			f = &eng->flows[fi];
			eng->free_flow = f->next;
			eng->slots[s].next = DLB_ENG_NIL;
			dlb_eng_flow_setup(f, lock_id, q->id, s, 1);
			dlb_eng_flow_publish(q, lock_id, fi);
			q->atomic_waiting++;
			dlb_eng_flow_unpinned_push(eng, q, fi);
			dlb_eng_path(DLB_ENG_PATH_NEW_FLOW, 1);
			return;
		}
		eng->flow_starved |= dlb_eng_bit32(q->id);
	}
	dlb_eng_fifo_push(eng, &q->arrival, s);
	q->narrival++;
}

/**
 * dlb_eng_atomic_insert_run() - new atomic events of one priority enter
 *	their queue
 * @eng: the engine
 * @q: the queue
 * @qes: the events' QEs, all for @q with the meta byte of the first
 * @m: their number
 *
 * Each event takes a slot off the free list. While the queue sorts
 * arrivals straight into flows (nothing unsorted waits, inflights below
 * the limit) and an event's flow has no object yet, the event becomes a
 * new flow appended to the unpinned list of its priority, as
 * dlb_eng_atomic_insert() would do, with the list's tail and the
 * counters in locals; from the first event that is not so on, each goes
 * through dlb_eng_atomic_insert().
 *
 * Context: engine call; the caller updates the queue's readiness.
 * Return: events taken, fewer than @m only if slots ran out.
 */
static __always_inline u32
dlb_eng_atomic_insert_run(struct dlb_eng *eng, struct dlb_eng_queue *q,
			  const struct dlb_qe *qes, u32 m)
{
	struct dlb_eng_slot *slots = eng->slots;
	struct dlb_eng_flow *flows = eng->flows;
	u32 prio = DLB_META_PRIO(qes[0].meta);
	u32 tail = q->atom_tail[prio];
	u32 free_slot = eng->free_slot, free_flow = eng->free_flow;
	u16 *flow_of = q->flow_of;
	u32 k = 0, s, fi, room;
	u16 lock_id;

	if (!q->narrival) {
		/* Room in the inflights bounds the run. */
		room = q->atomic_waiting < q->atomic_limit ?
		       q->atomic_limit - q->atomic_waiting : 0;
		room = min_t(u32, room, m);
		for (; k < room; k++) {
			s = free_slot;
			fi = free_flow;
			lock_id = qes[k].lock_id;
			if (s == DLB_ENG_NIL || fi == DLB_ENG_NIL ||
			    flow_of[lock_id])
				break;
			free_slot = slots[s].next;
			free_flow = flows[fi].next;
			dlb_eng_put_words(&slots[s].qe, dlb_eng_w0(&qes[k]),
					  dlb_eng_w1(&qes[k]));
			slots[s].next = DLB_ENG_NIL;
			dlb_eng_flow_setup(&flows[fi], lock_id, q->id, s, 1);
			dlb_eng_flow_list_set(&flows[fi], DLB_ENG_FLOW_UNPINNED,
					      (u8)prio);
			dlb_eng_flow_publish(q, lock_id, fi);
			if (tail == DLB_ENG_NIL)
				q->atom_head[prio] = fi;
			else
				flows[tail].next = fi;
			tail = fi;
		}
		if (k) {
			q->atom_tail[prio] = tail;
			q->atom_mask |= 1u << prio;
			q->atomic_waiting += k;
			dlb_eng_path(DLB_ENG_PATH_NEW_FLOW_RUN, k);
		}
		eng->free_slot = free_slot;
		eng->free_flow = free_flow;
	}
	for (; k < m; k++) {
		s = eng->free_slot;
		if (unlikely(s == DLB_ENG_NIL))
			break;
		eng->free_slot = slots[s].next;
		dlb_eng_put_words(&slots[s].qe, dlb_eng_w0(&qes[k]),
				  dlb_eng_w1(&qes[k]));
		dlb_eng_atomic_insert(eng, q, s);
	}
	return k;
}

/* A flow's event goes to port @p: the flow is (or stays) pinned there. */
static __always_inline u32
dlb_eng_flow_deliver(struct dlb_eng *eng, struct dlb_eng_queue *q,
		     struct dlb_eng_port *p, u32 fi)
{
	struct dlb_eng_flow *f = &eng->flows[fi];
	u32 s = dlb_eng_fifo_pop(eng, &f->wait);

	f->nwait--;
	f->held++;
	f->port = p->id;
	q->atomic_waiting--;
	if (f->nwait)
		dlb_eng_flow_pinned_push(eng, p, q->id, fi);
	if (unlikely(q->narrival))
		dlb_eng_atomic_feed(eng, q);
	return s;
}

/**
 * dlb_eng_atomic_take_unpinned() - take the first event of the highest
 *	priority unpinned flow
 * @eng: the engine
 * @q: the queue; it has unpinned flows
 * @p: the port the event goes to, linked to @q
 * @ref: set to the flow index
 *
 * Context: engine call.
 * Return: the event's slot.
 */
static __always_inline u32
dlb_eng_atomic_take_unpinned(struct dlb_eng *eng, struct dlb_eng_queue *q,
			     struct dlb_eng_port *p, u32 *ref)
{
	u32 prio = dlb_env_ctz32(q->atom_mask);
	u32 fi = q->atom_head[prio];
	struct dlb_eng_flow *f = &eng->flows[fi];

	q->atom_head[prio] = f->next;
	if (f->next == DLB_ENG_NIL) {
		q->atom_tail[prio] = DLB_ENG_NIL;
		q->atom_mask &= ~(1u << prio);
	}
	f->list = DLB_ENG_FLOW_IDLE;
	*ref = fi;
	return dlb_eng_flow_deliver(eng, q, p, fi);
}

/**
 * dlb_eng_atomic_take_pinned() - take the next event of the first flow
 *	pinned to a port
 * @eng: the engine
 * @q: the queue
 * @p: the port; it has pinned ready flows of @q
 * @ref: set to the flow index
 *
 * Context: engine call.
 * Return: the event's slot.
 */
static __always_inline u32
dlb_eng_atomic_take_pinned(struct dlb_eng *eng, struct dlb_eng_queue *q,
			   struct dlb_eng_port *p, u32 *ref)
{
	u32 fi = p->pin_head[q->id];

	dlb_eng_flow_pinned_remove(eng, p, q->id, fi);
	*ref = fi;
	return dlb_eng_flow_deliver(eng, q, p, fi);
}

/**
 * dlb_eng_atomic_complete() - a held event of a flow completed
 * @eng: the engine
 * @q: the flow's queue
 * @fi: the flow
 *
 * When the flow holds nothing more it is free to move: its waiting events
 * become available to every linked port, or the flow object is freed.
 *
 * Context: engine call.
 */
static __always_inline void
dlb_eng_atomic_complete(struct dlb_eng *eng, struct dlb_eng_queue *q, u32 fi)
{
	struct dlb_eng_flow *f = &eng->flows[fi];

	if (--f->held)
		return;
	if (f->list == DLB_ENG_FLOW_PINNED)
		dlb_eng_flow_pinned_remove(eng, &eng->ldb_p[f->port], q->id, fi);
	if (f->nwait) {
		dlb_eng_flow_unpinned_push(eng, q, fi);
		dlb_eng_queue_update_ready(eng, q);
	} else {
		dlb_eng_flow_free(eng, q, fi);
	}
}

#endif /* DLB_ENG_ATOMIC_H */
