// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_eng_atomic.c - atomic scheduling: flows, their pinning to one port,
 * and the queue's atomic inflights limit. The per-event operations are
 * inline in dlb_eng_atomic.h; this file has the rarer ones (arrival
 * sorting, port reset and unlink).
 *
 * The rule: all events of a flow (queue, lock_id) that are delivered and
 * not completed are at one port; the flow may move to another port only
 * when it has none there.
 *
 * A flow object exists while the flow has events waiting or held. It is
 * found by direct indexing (q->flow_of[lock_id]) and lives in one of:
 * - the queue's unpinned lists, bucketed by the priority of its first
 *   waiting event: it holds nothing, any linked port may take it;
 * - its port's pinned list for the queue (doubly linked): it holds events
 *   at that port, so only that port may take its next event;
 * - no list ("idle"): nothing waits, or it is parked: it holds events at a
 *   port no longer linked to the queue, and waits for them to complete.
 * Taking an event from a flow moves the flow to the tail of its port's
 * pinned list, so a port serves its flows round robin.
 *
 * Atomic inflights: at most atomic_limit events of a queue are sorted into
 * flows and waiting. Beyond that, events wait unsorted in q->arrival in
 * arrival order and are sorted as room frees (events put back by a port
 * reset are sorted regardless and may exceed the limit for a while). The
 * flow pool is sized for the limits plus the history lists; should it run
 * dry anyway, sorting pauses and resumes when a flow is freed.
 */
#include "dlb_eng_atomic.h"
/**
 * dlb_eng_atomic_feed() - sort events from the arrival FIFO into flows
 *	while room allows
 * @eng: the engine
 * @q: the queue
 *
 * Context: engine call.
 */
void dlb_eng_atomic_feed(struct dlb_eng *eng, struct dlb_eng_queue *q)
{
	u32 s, fi;

	while (q->narrival && q->atomic_waiting < q->atomic_limit) {
		s = q->arrival.head;
		fi = dlb_eng_flow_get(eng, q, eng->slots[s].qe.lock_id);
		if (fi == DLB_ENG_NIL) {
			eng->flow_starved |= dlb_eng_bit32(q->id);
			return;
		}
		dlb_eng_fifo_pop(eng, &q->arrival);
		q->narrival--;
		dlb_eng_flow_add(eng, q, fi, s);
	}
}

/**
 * dlb_eng_atomic_feed_starved() - resume sorting paused for want of flows
 * @eng: the engine
 *
 * Context: engine call.
 */
void dlb_eng_atomic_feed_starved(struct dlb_eng *eng)
{
	u32 m = eng->flow_starved;
	struct dlb_eng_queue *q;

	eng->flow_starved = 0;
	while (m && eng->free_flow != DLB_ENG_NIL) {
		q = &eng->ldb_q[dlb_env_ctz32(m)];
		m &= m - 1;
		dlb_eng_atomic_feed(eng, q);
		dlb_eng_queue_update_ready(eng, q);
	}
	eng->flow_starved |= m;
}

/**
 * dlb_eng_atomic_put_back() - a port reset returns a held event to its flow
 * @eng: the engine
 * @q: the queue
 * @fi: the flow
 * @s: the event's slot
 *
 * Called newest event first, so pushing at the front keeps the flow's
 * order. dlb_eng_atomic_release() lists the flow afterwards.
 *
 * Context: engine call.
 */
void dlb_eng_atomic_put_back(struct dlb_eng *eng, struct dlb_eng_queue *q,
			     u32 fi, u32 s)
{
	struct dlb_eng_flow *f = &eng->flows[fi];

	dlb_eng_fifo_push_front(eng, &f->wait, s);
	f->nwait++;
	f->held--;
	q->atomic_waiting++;
}

/**
 * dlb_eng_atomic_release() - list a flow whose held events were put back
 * @eng: the engine
 * @q: the queue
 * @fi: the flow
 *
 * Context: engine call.
 */
void dlb_eng_atomic_release(struct dlb_eng *eng, struct dlb_eng_queue *q,
			    u32 fi)
{
	if (!eng->flows[fi].held)
		dlb_eng_flow_make_ready(eng, q, fi);
}

/**
 * dlb_eng_atomic_unpin_all() - take every flow off a port's pinned lists
 * @eng: the engine
 * @p: the port
 *
 * The flows become idle; the caller lists them again as appropriate.
 *
 * Context: engine call; linear in the flows pinned to @p.
 */
void dlb_eng_atomic_unpin_all(struct dlb_eng *eng, struct dlb_eng_port *p)
{
	u32 m = p->pinned_mask;
	u32 qid, fi;

	while (m) {
		qid = dlb_env_ctz32(m);
		m &= m - 1;
		for (fi = p->pin_head[qid]; fi != DLB_ENG_NIL;
		     fi = eng->flows[fi].next)
			eng->flows[fi].list = DLB_ENG_FLOW_IDLE;
		p->pin_head[qid] = DLB_ENG_NIL;
		p->pin_tail[qid] = DLB_ENG_NIL;
	}
	p->pinned_mask = 0;
}

/**
 * dlb_eng_atomic_unlink() - a queue was unlinked from a port
 * @eng: the engine
 * @p: the port
 * @q: the queue
 *
 * The flows of @q pinned to @p hold events there: they are parked (no list)
 * until those complete, then become unpinned.
 *
 * Context: engine call; linear in the flows pinned to @p for @q.
 */
void dlb_eng_atomic_unlink(struct dlb_eng *eng, struct dlb_eng_port *p,
			   struct dlb_eng_queue *q)
{
	u32 fi;

	for (fi = p->pin_head[q->id]; fi != DLB_ENG_NIL; fi = eng->flows[fi].next)
		eng->flows[fi].list = DLB_ENG_FLOW_IDLE;
	p->pin_head[q->id] = DLB_ENG_NIL;
	p->pin_tail[q->id] = DLB_ENG_NIL;
	p->pinned_mask &= ~dlb_eng_bit32(q->id);
}
