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

static u8 dlb_eng_depth_ind(u32 depth, u32 thr)
{
	u64 d = depth;

	if (d * 2 <= thr)
		return DLB_DEPTH_LE_50;
	if (d * 4 <= (u64)thr * 3)
		return DLB_DEPTH_LE_75;
	if (d <= thr)
		return DLB_DEPTH_LE_100;
	return DLB_DEPTH_GT_100;
}

static void dlb_eng_cq_write(struct dlb_eng_port *p, const struct dlb_qe *qe,
			     u8 ind)
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
	p->cq_occ++;
	p->armed = false;
	p->st.scheduled++;
}

static void dlb_eng_deliver_dir(struct dlb_eng *eng, u32 i)
{
	struct dlb_eng_port *p = &eng->dir_p[i];
	struct dlb_eng_queue *q = &eng->dir_q[i];
	u8 ind = dlb_eng_depth_ind(q->depth, q->thr);
	u32 ref;
	u32 s = dlb_eng_queue_take(eng, q, p, &ref);

	dlb_eng_cq_write(p, &eng->slots[s].qe, ind);
	dlb_eng_slot_free(eng, s);
	eng->credits[DLB_ENG_POOL_DIR]++;
	q->st.scheduled++;
	if (p->cq_occ >= p->cq_depth)
		eng->dir_open &= ~dlb_eng_bit64(i);
}

static void dlb_eng_deliver_ldb(struct dlb_eng *eng, struct dlb_eng_port *p,
				struct dlb_eng_queue *q)
{
	u8 ind = dlb_eng_depth_ind(q->depth, q->thr);
	struct dlb_eng_hist *h;
	u32 s, ref, idx;

	s = dlb_eng_queue_take(eng, q, p, &ref);
	idx = p->hist_head + p->hist_count;
	if (idx >= p->hist_cap)
		idx -= p->hist_cap;
	h = &p->hist[idx];
	h->qe = eng->slots[s].qe;
	h->ref = ref;
	h->queue = q->id;
	h->sched = DLB_META_SCHED(h->qe.meta);
	p->hist_count++;
	dlb_eng_cq_write(p, &h->qe, ind);
	dlb_eng_slot_free(eng, s);
	eng->credits[DLB_ENG_POOL_LDB]++;
	q->st.scheduled++;
	dlb_eng_port_update_load(eng, p);
}

/* Schedule one LDB event; false if no port can take one. */
static bool dlb_eng_schedule_ldb(struct dlb_eng *eng)
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
			return false;
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
	dlb_eng_deliver_ldb(eng, p, &eng->ldb_q[p->rr]);
	return true;
}

u32 dlb_eng_schedule(struct dlb_eng *eng, u32 budget)
{
	u32 n = 0;
	u64 d;
	bool moved;

	while (n < budget) {
		moved = false;
		d = eng->dir_ready & eng->dir_open;
		if (d) {
			eng->dir_rr = dlb_eng_next64(d, eng->dir_rr + 1);
			dlb_eng_deliver_dir(eng, eng->dir_rr);
			n++;
			moved = true;
			if (n == budget)
				break;
		}
		if (dlb_eng_schedule_ldb(eng)) {
			n++;
			moved = true;
		}
		if (!moved)
			break;
	}
	return n;
}
