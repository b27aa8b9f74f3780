// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_eng_sched.c - the scheduler step: which port gets the next event,
 * from which queue, and the write of the event into the port's CQ.
 *
 * DIR: eng->dir_ready (queue has events) & eng->dir_open (CQ has room) is
 * exact; ports are served round robin.
 *
 * LDB: a port can take an event when its CQ has a free slot and its history
 * list has room; such ports sit in eng->ldb_lvl[level] by load (held events
 * in quarters of the history list). eng->ldb_want is a superset of the
 * ports that have work: bits are set when a linked queue becomes ready or a
 * pinned flow of the port gets an event, and cleared when the port is
 * picked and found to have none. The step picks, at the lowest load level
 * that has a wanting port, the next such port after the last one served
 * (round robin, so equally loaded ports share fairly over time), then that
 * port's highest-priority linked queue with work for it, round robin among
 * equal priorities. All of it is a few 64-bit mask operations, whatever the
 * number of ports and queues.
 *
 * One event per pick: like the hardware, interleaving ports event by event
 * is what spreads a burst over them.
 */
#include "dlb_eng_internal.h"

/**
 * dlb_eng_port_update_load() - recompute whether and how much a port can
 *	take, after its CQ occupancy or history changed
 * @eng: the engine
 * @p: the port
 *
 * Context: engine call.
 */
void dlb_eng_port_update_load(struct dlb_eng *eng, struct dlb_eng_port *p)
{
	u32 lvl;

	if (p->dir) {
		if (p->cq_occ < p->cq_depth)
			eng->dir_open |= dlb_eng_bit64(p->id);
		else
			eng->dir_open &= ~dlb_eng_bit64(p->id);
		return;
	}
	if (p->cq_occ >= p->cq_depth || p->hist_count >= p->hist_cap)
		lvl = DLB_ENG_NUM_LEVELS;
	else
		lvl = (p->hist_count >= p->lvl_thr[0]) +
		      (p->hist_count >= p->lvl_thr[1]) +
		      (p->hist_count >= p->lvl_thr[2]);
	if (lvl == p->level)
		return;
	if (p->level < DLB_ENG_NUM_LEVELS)
		eng->ldb_lvl[p->level] &= ~dlb_eng_bit64(p->id);
	if (lvl < DLB_ENG_NUM_LEVELS)
		eng->ldb_lvl[lvl] |= dlb_eng_bit64(p->id);
	p->level = (u8)lvl;
}

/* The 2-bit depth indication of an event leaving a queue of depth @depth. */
static u8 dlb_eng_depth_ind(const struct dlb_eng_queue *q, u32 depth)
{
	return (u8)((depth > q->thr_50) + (depth > q->thr_75) +
		    (depth > q->thr));
}

static __always_inline void
dlb_eng_cq_write(struct dlb_eng_port *p, const struct dlb_qe *qe, u8 ind)
{
	struct dlb_deq *e = &p->cq[p->cq_widx & p->cq_mask];

	e->data = qe->data;
	e->opaque = qe->opaque;
	e->qid = qe->qid;
	e->meta = qe->meta;
	e->lock_id = qe->lock_id;
	e->rsvd = 0;
	/* (A) pairs with (B) in dlb_cq_read(): the entry, then its status. */
	smp_store_release(&e->status,
			  (u8)(p->gen | (ind << DLB_DEQ_DEPTH_SHIFT)));
	p->cq_widx++;
	if (!(p->cq_widx & p->cq_mask))
		p->gen ^= DLB_DEQ_GEN;
}

/*
 * Deliver up to @max events of DIR queue @i to its port; the port has room
 * for them and the queue holds at least one.
 */
static u32 dlb_eng_deliver_dir(struct dlb_eng *eng, u32 i, u32 max)
{
	struct dlb_eng_port *p = &eng->dir_p[i];
	struct dlb_eng_queue *q = &eng->dir_q[i];
	u32 n, s, ref;

	for (n = 0; n < max && q->un.mask; n++) {
		u8 ind = dlb_eng_depth_ind(q, q->depth);

		s = dlb_eng_queue_take(eng, q, p, &ref);
		dlb_eng_cq_write(p, &eng->slots[s].qe, ind);
		dlb_eng_slot_free(eng, s);
	}
	p->cq_occ += n;
	p->armed = false;
	p->st.scheduled += n;
	q->st.scheduled += n;
	eng->credits[DLB_ENG_POOL_DIR] += n;
	if (p->cq_occ >= p->cq_depth)
		eng->dir_open &= ~dlb_eng_bit64(i);
	return n;
}

/*
 * Deliver up to @max events of LDB queue @q to port @p while the queue has
 * work for it; @p has room for @max.
 */
static u32 dlb_eng_deliver_ldb(struct dlb_eng *eng, struct dlb_eng_port *p,
			       struct dlb_eng_queue *q, u32 max)
{
	u32 qb = dlb_eng_bit32(q->id);
	struct dlb_eng_hist *h;
	u32 n, s, ref, idx;

	idx = p->hist_head + p->hist_count;
	if (idx >= p->hist_cap)
		idx -= p->hist_cap;
	for (n = 0; n < max && ((eng->q_ready | p->pinned_mask) & qb); n++) {
		u8 ind = dlb_eng_depth_ind(q, q->depth);

		s = dlb_eng_queue_take(eng, q, p, &ref);
		h = &p->hist[idx];
		if (++idx == p->hist_cap)
			idx = 0;
		h->qe = eng->slots[s].qe;
		h->ref = ref;
		h->queue = q->id;
		h->sched = DLB_META_SCHED(h->qe.meta);
		dlb_eng_cq_write(p, &h->qe, ind);
		dlb_eng_slot_free(eng, s);
	}
	p->hist_count += n;
	p->cq_occ += n;
	p->armed = false;
	p->st.scheduled += n;
	q->st.scheduled += n;
	eng->credits[DLB_ENG_POOL_LDB] += n;
	dlb_eng_port_update_load(eng, p);
	return n;
}

/*
 * How many events port @p may take from @q in one pick: what fits in its
 * CQ, its history list and its current load level (so that a less loaded
 * port is never passed over), and no more than its fair share (rounded
 * up) of the queue's depth among the ports that could take it, so that a
 * small burst still spreads one event per port.
 */
static u32 dlb_eng_pick_size(const struct dlb_eng *eng,
			     const struct dlb_eng_port *p,
			     const struct dlb_eng_queue *q, u32 budget)
{
	u64 open = eng->ldb_lvl[0] | eng->ldb_lvl[1] | eng->ldb_lvl[2] |
		   eng->ldb_lvl[3];
	u32 n = p->cq_depth - p->cq_occ;
	u32 share, ports;

	if (p->level < DLB_ENG_NUM_LEVELS - 1)
		n = min_t(u32, n, p->lvl_thr[p->level] - p->hist_count);
	else
		n = min_t(u32, n, p->hist_cap - p->hist_count);
	ports = dlb_env_popcount64(q->linked_ports & open) | 1;
	share = (q->depth + ports - 1) / ports;
	n = min_t(u32, n, share ? share : 1);
	n = min_t(u32, n, DLB_ENG_BATCH);
	return min_t(u32, n, budget);
}

/* One LDB pick; returns events moved, 0 if no port can take one. */
static u32 dlb_eng_schedule_ldb(struct dlb_eng *eng, u32 budget)
{
	struct dlb_eng_port *p;
	u32 i, l, work, lv, m;
	u64 cand;

	for (;;) {
		cand = 0;
		for (l = 0; l < DLB_ENG_NUM_LEVELS; l++) {
			cand = eng->ldb_lvl[l] & eng->ldb_want;
			if (cand)
				break;
		}
		if (!cand)
			return 0;
		i = dlb_eng_next64(cand, eng->ldb_rr + 1);
		p = &eng->ldb_p[i];
		work = (eng->q_ready | p->pinned_mask) & p->linkq;
		if (work)
			break;
		eng->ldb_want &= ~dlb_eng_bit64(i);
	}
	eng->ldb_rr = i;
	m = 0;
	for (lv = p->prio_used; lv; lv &= lv - 1) {
		m = work & p->prio_q[dlb_env_ctz32(lv)];
		if (m)
			break;
	}
	p->rr = (u8)dlb_eng_next32(m, p->rr + 1u);
	return dlb_eng_deliver_ldb(eng, p, &eng->ldb_q[p->rr],
				   dlb_eng_pick_size(eng, p,
						     &eng->ldb_q[p->rr],
						     budget));
}

u32 dlb_eng_schedule(struct dlb_eng *eng, u32 budget)
{
	struct dlb_eng_port *p;
	u32 n = 0, k, i;
	u64 d;
	bool moved;

	while (n < budget) {
		moved = false;
		d = eng->dir_ready & eng->dir_open;
		if (d) {
			i = dlb_eng_next64(d, eng->dir_rr + 1);
			eng->dir_rr = i;
			p = &eng->dir_p[i];
			k = min_t(u32, p->cq_depth - p->cq_occ, budget - n);
			n += dlb_eng_deliver_dir(eng, i,
						 min_t(u32, k, DLB_ENG_BATCH));
			moved = true;
			if (n == budget)
				break;
		}
		if (eng->ldb_want) {
			k = dlb_eng_schedule_ldb(eng, budget - n);
			n += k;
			moved |= k != 0;
		}
		if (!moved)
			break;
	}
	return n;
}
