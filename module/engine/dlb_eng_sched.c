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
 * A pick moves a batch (dlb_eng_pick_size()): at most the port's fair
 * share of the queue's depth among the ports that could take it (taken
 * once per round of picks over them), and never past the port's load
 * quarter, so a burst still spreads over the ports as if they were served
 * event by event, while the per-pick work (the masks above, load and
 * readiness updates, counters) is paid once per batch. Within a batch, a
 * queue holding one kind of shared work is served by a loop for that kind
 * (dlb_eng_deliver_runs(), dlb_eng_deliver_atomic()): runs of slots are
 * taken off a FIFO's head and freed as one chain, and entries are written
 * in stretches that wrap neither the CQ nor the history list; the general
 * per-event path (dlb_eng_queue_take()) handles replay, pinned flows and
 * mixed queues.
 */
#include "dlb_eng_queue.h"

/* dlb_eng_port_update_load() for an LDB port, inline for deliveries. */
static __always_inline void dlb_eng_ldb_update_load(struct dlb_eng *eng,
						    struct dlb_eng_port *p)
{
	u32 lvl;

	lvl = dlb_eng_ldb_level(p);
	if (lvl == p->level)
		return;
	if (p->level < DLB_ENG_NUM_LEVELS)
		eng->ldb_lvl[p->level] &= ~dlb_eng_bit64(p->id);
	if (lvl < DLB_ENG_NUM_LEVELS)
		eng->ldb_lvl[lvl] |= dlb_eng_bit64(p->id);
	p->level = (u8)lvl;
}

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
	if (p->dir) {
		if (p->cq_occ < p->cq_depth)
			eng->dir_open |= dlb_eng_bit64(p->id);
		else
			eng->dir_open &= ~dlb_eng_bit64(p->id);
		return;
	}
	dlb_eng_ldb_update_load(eng, p);
}

/*
 * The 2-bit depth indication of an event leaving a queue of depth @depth,
 * and in *@lo the depth at or below which it drops: the largest threshold
 * under @depth. Deliveries take events one by one from a queue, so they
 * recompute it only when the depth reaches *@lo.
 */
static __always_inline u8 dlb_eng_depth_ind(const struct dlb_eng_queue *q,
					    u32 depth, u32 *lo)
{
	u32 ind = (depth > q->ind_thr[1]) + (depth > q->ind_thr[2]) +
		  (depth > q->ind_thr[3]);

	*lo = q->ind_thr[ind];
	return (u8)ind;
}

/*
 * A port's CQ write position, copied into locals for a burst: the entries
 * are written through byte-sized fields, which may alias anything, so
 * without the copy the compiler reloads the port's fields for every event.
 * @pend is the second word's status while the entry is being written.
 */
struct dlb_eng_cqw {
	struct dlb_deq *cq;
	u32 mask;
	u32 widx;
	u8 gen;
	u64 pend;
};

static __always_inline void dlb_eng_cqw_begin(struct dlb_eng_cqw *w,
					      const struct dlb_eng_port *p)
{
	w->cq = p->cq;
	w->mask = p->cq_mask;
	w->widx = p->cq_widx;
	w->gen = p->gen;
	w->pend = dlb_eng_deq_w1(0, 0, 0, 0, 0, w->gen ^ DLB_DEQ_GEN);
}

static __always_inline void dlb_eng_cqw_end(const struct dlb_eng_cqw *w,
					    struct dlb_eng_port *p)
{
	p->cq_widx = w->widx;
	p->gen = w->gen;
}

/* The status byte of the entries written now, with depth indication @ind. */
static __always_inline u8 dlb_eng_cq_status(const struct dlb_eng_cqw *w,
					    u8 ind)
{
	return (u8)(w->gen | (ind << DLB_DEQ_DEPTH_SHIFT));
}

/*
 * Write the event of QE words @w0, @w1 into CQ entry @e with status byte
 * @status; @pend is the second word's status while it is being written.
 * A dequeue entry has the QE's layout with rsvd zeroed and the command
 * byte replaced by the status, so the entry is written as two words, its
 * status still showing the previous pass's generation so that a consumer
 * polling it does not take it yet; then the status is written alone.
 */
static __always_inline void dlb_eng_cq_put(struct dlb_deq *e, u64 w0, u64 w1,
					   u64 pend, u8 status)
{
	const u64 keep = dlb_eng_deq_w1(0xffff, 0xff, 0xff, 0xffff, 0, 0);

	dlb_eng_put_words(e, w0, (w1 & keep) | pend);
	/* (A) pairs with (B) in dlb_cq_read(): the entry, then its status. */
	smp_store_release(&e->status, status);
}

/* Account @k entries just written: flip the generation at each lap's end. */
static __always_inline void dlb_eng_cqw_advance(struct dlb_eng_cqw *w, u32 k)
{
	w->widx += k;
	if (!(w->widx & w->mask)) {
		w->gen ^= DLB_DEQ_GEN;
		w->pend ^= dlb_eng_deq_w1(0, 0, 0, 0, 0, DLB_DEQ_GEN);
	}
}

/* Write the event of QE words @w0, @w1 into the next CQ entry. */
static __always_inline void
dlb_eng_cq_write(struct dlb_eng_cqw *w, u64 w0, u64 w1, u8 ind)
{
	dlb_eng_cq_put(&w->cq[w->widx & w->mask], w0, w1, w->pend,
		       dlb_eng_cq_status(w, ind));
	dlb_eng_cqw_advance(w, 1);
}

/* Record the event of QE words @w0, @w1 in history entry @h. */
static __always_inline void dlb_eng_hist_put(struct dlb_eng_hist *h, u64 w0,
					     u64 w1, u32 ref)
{
	dlb_eng_put_words(&h->qe, w0, w1);
	h->ref = ref;
}

/* Where a burst of LDB deliveries writes: history position and CQ. */
struct dlb_eng_ldbw {
	struct dlb_eng_hist *hist;
	u32 cap;
	u32 idx;
	struct dlb_eng_cqw cq;
};

/*
 * Account @k entries just written at the write positions of @w and (with
 * @h, an LDB port) of its history ring: wrap the history index and flip
 * the CQ's generation at the end of each lap.
 */
static __always_inline void dlb_eng_put_advance(struct dlb_eng_ldbw *h,
						struct dlb_eng_cqw *w, u32 k)
{
	if (h) {
		h->idx += k;
		if (h->idx == h->cap)
			h->idx = 0;
	}
	dlb_eng_cqw_advance(w, k);
}

/*
 * Deliver a stretch of a run of slots linked from *@sp: at most @seg
 * events, fewer if the run ends first, and never past the end of the CQ
 * ring or (with @h, an LDB port) the history ring, so that the entries
 * are written through plain pointers, all with one depth indication
 * @ind. Ordered events (@ord) get sequence numbers from @sn on. On
 * return *@sp is the rest of the run and *@lastp the last slot taken.
 */
static __always_inline u32
dlb_eng_put_seg(const struct dlb_eng_slot *slots, u32 *sp, u32 *lastp,
		u32 seg, struct dlb_eng_ldbw *h, struct dlb_eng_cqw *w,
		u32 sn, bool ord, u8 ind)
{
	struct dlb_deq *e = &w->cq[w->widx & w->mask];
	u8 status = dlb_eng_cq_status(w, ind);
	struct dlb_eng_hist *he = NULL;
	u32 s = *sp, last, k = 0;
	u64 w0, w1;

	seg = min_t(u32, seg, w->mask + 1 - (w->widx & w->mask));
	if (h) {
		seg = min_t(u32, seg, h->cap - h->idx);
		he = &h->hist[h->idx];
	}
	do {
		w0 = dlb_eng_w0(&slots[s].qe);
		w1 = dlb_eng_w1(&slots[s].qe);
		if (h) {
			dlb_eng_hist_put(he, w0, w1,
					 ord ? sn + k : DLB_ENG_NIL);
			he++;
		}
		dlb_eng_cq_put(e, w0, w1, w->pend, status);
		e++;
		last = s;
		s = slots[s].next;
		k++;
	} while (k < seg && s != DLB_ENG_NIL);
	*sp = s;
	*lastp = last;
	dlb_eng_put_advance(h, w, k);
	return k;
}

/*
 * Deliver @cnt events to an LDB port whose slots and history references
 * are listed in @sa and @ra (events gathered off several flows), in
 * stretches as dlb_eng_put_seg() writes them; *@depthp, *@lop and *@indp
 * carry the queue's depth indication (dlb_eng_depth_ind()) along.
 */
static __always_inline void
dlb_eng_put_arr(const struct dlb_eng_slot *slots, const u32 *sa,
		const u32 *ra, u32 cnt, struct dlb_eng_ldbw *h,
		const struct dlb_eng_queue *q, u32 *depthp, u32 *lop,
		u8 *indp)
{
	struct dlb_eng_cqw *w = &h->cq;
	u32 depth = *depthp, lo = *lop, k = 0, seg, j;
	struct dlb_eng_hist *he;
	struct dlb_deq *e;
	u8 ind = *indp, status;
	u64 w0, w1;

	while (k < cnt) {
		if (depth <= lo)
			ind = dlb_eng_depth_ind(q, depth, &lo);
		seg = min_t(u32, cnt - k, depth - lo);
		seg = min_t(u32, seg, w->mask + 1 - (w->widx & w->mask));
		seg = min_t(u32, seg, h->cap - h->idx);
		he = &h->hist[h->idx];
		e = &w->cq[w->widx & w->mask];
		status = dlb_eng_cq_status(w, ind);
		for (j = k; j < k + seg; j++) {
			w0 = dlb_eng_w0(&slots[sa[j]].qe);
			w1 = dlb_eng_w1(&slots[sa[j]].qe);
			dlb_eng_hist_put(he, w0, w1, ra[j]);
			he++;
			dlb_eng_cq_put(e, w0, w1, w->pend, status);
			e++;
		}
		k += seg;
		depth -= seg;
		dlb_eng_put_advance(h, w, seg);
	}
	*depthp = depth;
	*lop = lo;
	*indp = ind;
}

/* Give a chain of slots, linked from @first to @last, back at once. */
static __always_inline void dlb_eng_slot_free_chain(struct dlb_eng *eng,
						    u32 first, u32 last)
{
	eng->slots[last].next = eng->free_slot;
	eng->free_slot = first;
}

/*
 * Deliver up to @max events from the per-priority FIFOs @pf of queue @q
 * while they hold some, into CQ write position @w and (with @h, an LDB
 * port) history list @h. Events are taken as runs off the head of the
 * highest non-empty priority FIFO: the run's slots are still linked, so
 * the FIFO's head moves once and the run goes back to the free list in one
 * step. Ordered events (@ord) get consecutive sequence numbers, the
 * queue's next ones. Updates the queue's depth.
 *
 * A DIR port takes every event of its queue. For an LDB port the caller
 * has checked that this is what dlb_eng_take_single() would take for each
 * of them: nothing to replay, no pinned flow of @q at the port (neither
 * can change here), no other kind of work in @q, and for ordered events a
 * free sequence number each (@max is capped to them).
 */
static __always_inline u32
dlb_eng_deliver_runs(struct dlb_eng *eng, struct dlb_eng_queue *q,
		     struct dlb_eng_prio_fifo *pf, bool ord,
		     struct dlb_eng_ldbw *h, struct dlb_eng_cqw *w, u32 max)
{
	struct dlb_eng_slot *slots = eng->slots;
	u32 depth = q->depth, sn = q->sn_next;
	u32 n = 0, k, seg, s, first, last, prio, lo;
	u8 ind = dlb_eng_depth_ind(q, depth, &lo);
	struct dlb_eng_fifo *f;

	while (n < max && pf->mask) {
		prio = dlb_env_ctz32(pf->mask);
		f = &pf->f[prio];
		s = f->head;
		first = s;
		do {
			if (depth <= lo)
				ind = dlb_eng_depth_ind(q, depth, &lo);
			seg = min_t(u32, max - n, depth - lo);
			k = dlb_eng_put_seg(slots, &s, &last, seg, h, w, sn,
					    ord, ind);
			depth -= k;
			sn += k;
			n += k;
		} while (n < max && s != DLB_ENG_NIL);
		f->head = s;
		if (s == DLB_ENG_NIL) {
			f->tail = DLB_ENG_NIL;
			pf->mask &= ~(1u << prio);
		}
		dlb_eng_slot_free_chain(eng, first, last);
	}
	q->depth = depth;
	if (ord)
		q->sn_next = sn;
	return n;
}

/*
 * Deliver up to @max events of DIR queue @i to its port
 * (dlb_eng_deliver_runs()); the port has room for them and the queue
 * holds at least one.
 */
static noinline u32 dlb_eng_deliver_dir(struct dlb_eng *eng, u32 i, u32 max)
{
	struct dlb_eng_port *p = &eng->dir_p[i];
	struct dlb_eng_queue *q = &eng->dir_q[i];
	struct dlb_eng_cqw w;
	u32 n;

	dlb_eng_cqw_begin(&w, p);
	n = dlb_eng_deliver_runs(eng, q, &q->un, false, NULL, &w, max);
	dlb_eng_path(DLB_ENG_PATH_DELIVER_DIR, n);
	dlb_eng_cqw_end(&w, p);
	if (!q->un.mask)
		eng->dir_ready &= ~dlb_eng_bit64(i);
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
 * The next shared event of @q when it holds one kind of work only and
 * nothing to replay, so that no tie-break is needed: the common case, taken
 * without dlb_eng_queue_take()'s per-event readiness update. Returns NIL
 * when @q is mixed (the caller takes the general path) and sets *empty
 * when @q has no shared work left.
 */
static __always_inline u32
dlb_eng_take_single(struct dlb_eng *eng, struct dlb_eng_queue *q,
		    struct dlb_eng_port *p, u32 *ref, bool *empty)
{
	u32 ordm = dlb_eng_sn_avail(q) ? q->ord.mask : 0;
	u32 s;

	*empty = false;
	if (!dlb_eng_fifo_empty(&q->replay))
		return DLB_ENG_NIL;
	if (q->un.mask && !(q->atom_mask | ordm)) {
		*ref = DLB_ENG_NIL;
		s = dlb_eng_prio_pop(eng, &q->un);
	} else if (q->atom_mask && !(q->un.mask | ordm)) {
		s = dlb_eng_atomic_take_unpinned(eng, q, p, ref);
	} else if (ordm && !(q->un.mask | q->atom_mask)) {
		s = dlb_eng_prio_pop(eng, &q->ord);
		*ref = dlb_eng_ordered_assign(q);
	} else {
		*empty = !(q->un.mask | ordm | q->atom_mask);
		return DLB_ENG_NIL;
	}
	q->depth--;
	dlb_eng_path(DLB_ENG_PATH_TAKE_SINGLE, 1);
	return s;
}

/* Record @qe in the port's history list and write it into its CQ. */
static __always_inline void
dlb_eng_ldb_put(struct dlb_eng_ldbw *w, const struct dlb_qe *qe, u32 ref,
		u8 ind)
{
	struct dlb_eng_hist *h = &w->hist[w->idx];
	u64 w0 = dlb_eng_w0(qe), w1 = dlb_eng_w1(qe);

	if (++w->idx == w->cap)
		w->idx = 0;
	dlb_eng_hist_put(h, w0, w1, ref);
	dlb_eng_cq_write(&w->cq, w0, w1, ind);
}

/*
 * Deliver up to @max events of unpinned atomic flows of @q while it has
 * some and no flow of @q is pinned and ready at the port (taking an event
 * can pin its flow there, ending the run); the caller has checked that @q
 * has nothing to replay and no other kind of work, which cannot change
 * here: what dlb_eng_take_single() would take for each of them.
 */
static __always_inline u32
dlb_eng_deliver_atomic(struct dlb_eng *eng, struct dlb_eng_port *p,
		       struct dlb_eng_queue *q, struct dlb_eng_ldbw *w,
		       u32 max)
{
	struct dlb_eng_slot *slots = eng->slots;
	struct dlb_eng_flow *flows = eng->flows;
	u32 qb = dlb_eng_bit32(q->id);
	u32 depth = q->depth, waiting = q->atomic_waiting;
	u32 n = 0, s, ref, lo, prio, fi, next, k, j;
	u8 ind = dlb_eng_depth_ind(q, depth, &lo);
	u32 sa[DLB_ENG_BATCH], ra[DLB_ENG_BATCH];
	u8 pid = p->id;
	struct dlb_eng_flow *f;

	if (unlikely(q->narrival)) {
		/* Taking events sorts arrivals into flows: one at a time. */
		for (; n < max && q->atom_mask && !(p->pinned_mask & qb);
		     n++) {
			if (depth <= lo)
				ind = dlb_eng_depth_ind(q, depth, &lo);
			depth--;
			s = dlb_eng_atomic_take_unpinned(eng, q, p, &ref);
			dlb_eng_ldb_put(w, &slots[s].qe, ref, ind);
			dlb_eng_slot_free(eng, s);
		}
		q->depth = depth;
		return n;
	}
	/*
	 * Otherwise take flows off the head of the highest priority
	 * unpinned list, as dlb_eng_atomic_take_unpinned() would one by
	 * one, with the list's head and the counters in locals, gathering
	 * the events' slots; then write them all, then free the slots as one
	 * chain. A flow with more events waiting is pinned here, which ends
	 * the run.
	 */
	max = min_t(u32, max, DLB_ENG_BATCH);
	while (n < max && q->atom_mask) {
		prio = dlb_env_ctz32(q->atom_mask);
		fi = q->atom_head[prio];
		k = 0;
		do {
			f = &flows[fi];
			s = f->wait.head;
			sa[k] = s;
			ra[k] = fi;
			k++;
			next = f->next;
			f->port = pid;
			f->list = DLB_ENG_FLOW_IDLE;
			/* An unpinned flow holds nothing: now one event. */
			f->held = 1;
			if (likely(f->nwait == 1)) {
				/* Its only event: nothing waits any more. */
				f->wait.head = DLB_ENG_NIL;
				f->wait.tail = DLB_ENG_NIL;
				f->nwait = 0;
			} else {
				f->wait.head = slots[s].next;
				f->nwait--;
				break;
			}
			fi = next;
		} while (n + k < max && fi != DLB_ENG_NIL);
		if (fi != DLB_ENG_NIL && f->nwait)
			fi = next;
		else
			f = NULL;
		q->atom_head[prio] = fi;
		if (fi == DLB_ENG_NIL) {
			q->atom_tail[prio] = DLB_ENG_NIL;
			q->atom_mask &= ~(1u << prio);
		}
		dlb_eng_put_arr(slots, sa, ra, k, w, q, &depth, &lo, &ind);
		for (j = 0; j + 1 < k; j++)
			slots[sa[j]].next = sa[j + 1];
		dlb_eng_slot_free_chain(eng, sa[0], sa[k - 1]);
		n += k;
		waiting -= k;
		if (f) {
			dlb_eng_flow_pinned_push(eng, p, q->id,
						 (u32)(f - flows));
			break;
		}
	}
	q->atomic_waiting = waiting;
	q->depth = depth;
	dlb_eng_path(DLB_ENG_PATH_DELIVER_ATOMIC, n);
	return n;
}

/*
 * Deliver up to @max events of LDB queue @q to port @p while the queue has
 * work for it; @p has room for @max.
 *
 * A queue with one kind of shared work, nothing to replay and no flow
 * pinned at @p, is served by dlb_eng_deliver_runs() (unordered, ordered)
 * or dlb_eng_deliver_atomic().
 * Otherwise (and for what is left), while @p has no flow of @q pinned and
 * ready, each event is shared work, and a queue with one kind of it is
 * served by dlb_eng_take_single(); the queue's readiness is updated once
 * after the loop, or before falling back to the general
 * dlb_eng_queue_take() (replay, pinned flows, mixed kinds), whose loop
 * condition reads it.
 */
static noinline u32 dlb_eng_deliver_ldb(struct dlb_eng *eng,
					struct dlb_eng_port *p,
					struct dlb_eng_queue *q, u32 max)
{
	u32 qb = dlb_eng_bit32(q->id);
	struct dlb_eng_ldbw w;
	u32 n = 0, s, ref, avail, ordm, lo;
	bool empty;
	u8 ind;

	w.hist = p->hist;
	w.cap = p->hist_cap;
	w.idx = p->hist_head + p->hist_count;
	if (w.idx >= w.cap)
		w.idx -= w.cap;
	dlb_eng_cqw_begin(&w.cq, p);
	if (dlb_eng_fifo_empty(&q->replay) && !(p->pinned_mask & qb)) {
		avail = q->num_seq - (q->sn_next - q->sn_head);
		ordm = avail ? q->ord.mask : 0;
		if (!(q->atom_mask | ordm)) {
			n = dlb_eng_deliver_runs(eng, q, &q->un, false, &w,
						 &w.cq, max);
			dlb_eng_path(DLB_ENG_PATH_DELIVER_UN, n);
		} else if (!(q->un.mask | q->atom_mask)) {
			n = dlb_eng_deliver_runs(eng, q, &q->ord, true, &w,
						 &w.cq, min_t(u32, max, avail));
			dlb_eng_path(DLB_ENG_PATH_DELIVER_ORD, n);
		} else if (!(q->un.mask | ordm)) {
			n = dlb_eng_deliver_atomic(eng, p, q, &w, max);
		}
		if (n)
			p->pick_pinned = true;
	}
	for (; n < max; n++) {
		ind = dlb_eng_depth_ind(q, q->depth, &lo);
		s = DLB_ENG_NIL;
		empty = false;
		if (!(p->pinned_mask & qb)) {
			s = dlb_eng_take_single(eng, q, p, &ref, &empty);
			if (empty)
				break;
			if (s != DLB_ENG_NIL)
				p->pick_pinned = true;
		}
		if (s == DLB_ENG_NIL) {
			dlb_eng_queue_update_ready(eng, q);
			if (!((eng->q_ready | p->pinned_mask) & qb))
				break;
			s = dlb_eng_queue_take(eng, q, p, &ref);
		}
		dlb_eng_ldb_put(&w, &eng->slots[s].qe, ref, ind);
		dlb_eng_slot_free(eng, s);
	}
	dlb_eng_cqw_end(&w.cq, p);
	dlb_eng_queue_update_ready(eng, q);
	p->hist_count += n;
	p->cq_occ += n;
	p->armed = false;
	p->st.scheduled += n;
	q->st.scheduled += n;
	eng->credits[DLB_ENG_POOL_LDB] += n;
	dlb_eng_ldb_update_load(eng, p);
	return n;
}

/*
 * How many events port @p may take from @q in one pick: what fits in its
 * CQ, its history list and its current load level (so that a less loaded
 * port is never passed over), and no more than its fair share (rounded
 * up) of the queue's depth among the ports that could take it, so that a
 * small burst still spreads one event per port. The share is taken once
 * for a round of as many picks from @q as there are such ports, so that
 * every port of the round gets as much, not less and less as the depth
 * falls (which would make picks small and many); a share computed anew
 * that is larger (more events arrived) starts a new round.
 */
static u32 dlb_eng_pick_size(const struct dlb_eng *eng,
			     const struct dlb_eng_port *p,
			     struct dlb_eng_queue *q, u32 budget)
{
	u64 open = eng->ldb_lvl[0] | eng->ldb_lvl[1] | eng->ldb_lvl[2] |
		   eng->ldb_lvl[3];
	u32 n = p->cq_depth - p->cq_occ;
	u32 share, ports;

	if (p->level < DLB_ENG_NUM_LEVELS - 1)
		n = min_t(u32, n, p->lvl_thr[p->level] - p->hist_count);
	else
		n = min_t(u32, n, p->hist_cap - p->hist_count);
	ports = dlb_env_popcount64(q->linked_ports & open);
	ports += !ports;
	/* Small depths (the tail of every burst) need no division. */
	share = q->depth <= ports ? 1 : (q->depth + ports - 1) / ports;
	if (q->round_left && q->round_share >= share) {
		share = q->round_share;
		q->round_left--;
	} else {
		q->round_share = share;
		q->round_left = ports - 1;
	}
	n = min_t(u32, n, share);
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
