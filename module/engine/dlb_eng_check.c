// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_eng_check.c - the domain-wide invariant checker, for tests, fuzzers
 * and debugging: walks every structure and verifies that credits, tokens,
 * storage, flows, history lists and sequence numbers are conserved and
 * consistent with the summary bits the scheduler relies on. Linear in the
 * domain's size; never on the data path.
 */
#include "dlb_eng_internal.h"

struct dlb_eng_checker {
	const struct dlb_eng *eng;
	char *why;
	size_t why_len;
	u32 stored[2];	/* slots charged to each pool */
	u32 used;	/* slots found in structures */
	u32 *held;	/* per flow: atomic history entries seen */
	u32 listed;	/* flows whose state says they are on a list */
	u32 on_lists;	/* flows found on lists */
	u32 live_flows;	/* flows in use */
};

static __printf(2, 3) int dlb_eng_fail(struct dlb_eng_checker *c,
					 const char *fmt, ...)
{
	va_list ap;

	if (c->why) {
		va_start(ap, fmt);
		dlb_env_vsnprintf(c->why, c->why_len, fmt, ap);
		va_end(ap);
	}
	return -EFAULT;
}

/* Walk a FIFO of slots; *n gets its length. */
static int dlb_eng_check_fifo(struct dlb_eng_checker *c,
			      const struct dlb_eng_fifo *f, u32 *n,
			      const char *what, u32 id)
{
	const struct dlb_eng *eng = c->eng;
	u32 s, last = DLB_ENG_NIL, k = 0;

	for (s = f->head; s != DLB_ENG_NIL; s = eng->slots[s].next) {
		if (!(s < eng->nslots && k < eng->nslots))
			return dlb_eng_fail(c, "%s %u: bad slot link", what,
					    id);
		last = s;
		k++;
	}
	if (!(f->tail == last))
		return dlb_eng_fail(c, "%s %u: tail is not the last slot", what,
				    id);
	*n = k;
	c->used += k;
	return 0;
}

/* A prio FIFO: slots of sched @sched and priority of their FIFO. */
static int dlb_eng_check_prio(struct dlb_eng_checker *c,
			      const struct dlb_eng_prio_fifo *pf, u8 sched,
			      u32 qid, u32 *n)
{
	const struct dlb_eng *eng = c->eng;
	u32 prio, k, s;
	int ret;

	*n = 0;
	for (prio = 0; prio < DLB_NUM_PRIOS; prio++) {
		ret = dlb_eng_check_fifo(c, &pf->f[prio], &k, "queue", qid);
		if (ret)
			return ret;
		if (!k != !(pf->mask & (1u << prio)))
			return dlb_eng_fail(c,
					    "queue %u: priority mask disagrees at %u",
					    qid, prio);
		for (s = pf->f[prio].head; s != DLB_ENG_NIL;
		     s = eng->slots[s].next) {
			if (!(DLB_META_PRIO(eng->slots[s].qe.meta) == prio &&
			      DLB_META_SCHED(eng->slots[s].qe.meta) == sched &&
			      eng->slots[s].qe.qid == qid))
				return dlb_eng_fail(c,
						    "queue %u: event in the wrong FIFO",
						    qid);
		}
		*n += k;
	}
	return 0;
}

static bool dlb_eng_flow_live(const struct dlb_eng *eng, u32 fi)
{
	const struct dlb_eng_flow *f = &eng->flows[fi];

	return f->queue < eng->nldb_q && eng->ldb_q[f->queue].flow_of &&
	       eng->ldb_q[f->queue].flow_of[f->lock_id] == fi + 1;
}

/* The live flows of @q; walks the flow pool, not the lock_id table. */
static int dlb_eng_check_flows(struct dlb_eng_checker *c,
			       const struct dlb_eng_queue *q, u32 *waiting)
{
	const struct dlb_eng *eng = c->eng;
	const struct dlb_eng_flow *f;
	const struct dlb_eng_port *p;
	u32 fi, k, s;
	int ret;

	*waiting = 0;
	for (fi = 0; fi < eng->nflows; fi++) {
		f = &eng->flows[fi];
		if (f->queue != q->id || !dlb_eng_flow_live(eng, fi))
			continue;
		c->live_flows++;
		ret = dlb_eng_check_fifo(c, &f->wait, &k, "flow", fi);
		if (ret)
			return ret;
		if (!(k == f->nwait))
			return dlb_eng_fail(c, "flow %u: nwait %u, %u waiting",
					    fi, f->nwait, k);
		if (!(f->nwait || f->held))
			return dlb_eng_fail(c,
					    "flow %u: live with nothing waiting or held",
					    fi);
		for (s = f->wait.head; s != DLB_ENG_NIL; s = eng->slots[s].next)
			if (!(eng->slots[s].qe.lock_id == f->lock_id &&
			      eng->slots[s].qe.qid == q->id &&
			      DLB_META_SCHED(eng->slots[s].qe.meta) == DLB_SCHED_ATOMIC))
				return dlb_eng_fail(c, "flow %u: foreign event",
						    fi);
		if (f->list != DLB_ENG_FLOW_IDLE)
			c->listed++;
		switch (f->list) {
		case DLB_ENG_FLOW_UNPINNED:
			if (f->held || !f->nwait)
				return dlb_eng_fail(c,
						    "flow %u: unpinned but held %u waiting %u",
						    fi, f->held, f->nwait);
			break;
		case DLB_ENG_FLOW_PINNED:
			p = &eng->ldb_p[f->port];
			if (!(f->held && f->nwait &&
			      (p->linkq & dlb_eng_bit32(q->id))))
				return dlb_eng_fail(c,
						    "flow %u: pinned but held %u waiting %u",
						    fi, f->held, f->nwait);
			break;
		default:
			if (f->nwait && !f->held)
				return dlb_eng_fail(c,
						    "flow %u: events waiting on no list",
						    fi);
			break;
		}
		if (!(c->held[fi] == f->held))
			return dlb_eng_fail(c,
					    "flow %u: held %u, history has %u",
					    fi, f->held, c->held[fi]);
		*waiting += f->nwait;
	}
	return 0;
}

static int dlb_eng_check_lists(struct dlb_eng_checker *c,
			       const struct dlb_eng_queue *q)
{
	const struct dlb_eng *eng = c->eng;
	const struct dlb_eng_port *p;
	u32 prio, fi, last, prev, k, i;

	for (prio = 0; prio < DLB_NUM_PRIOS; prio++) {
		last = DLB_ENG_NIL;
		k = 0;
		for (fi = q->atom_head[prio]; fi != DLB_ENG_NIL;
		     fi = eng->flows[fi].next) {
			if (!(fi < eng->nflows && k++ < eng->nflows))
				return dlb_eng_fail(c,
						    "queue %u: bad unpinned list",
						    q->id);
			if (!(eng->flows[fi].list == DLB_ENG_FLOW_UNPINNED &&
			      eng->flows[fi].prio == prio &&
			      eng->flows[fi].queue == q->id))
				return dlb_eng_fail(c,
						    "queue %u: flow %u on the wrong list",
						    q->id, fi);
			last = fi;
		}
		c->on_lists += k;
		if (!(q->atom_tail[prio] == last &&
		      !k == !(q->atom_mask & (1u << prio))))
			return dlb_eng_fail(c,
					    "queue %u: unpinned list %u tail or mask",
					    q->id, prio);
	}
	for (i = 0; i < eng->nldb_p; i++) {
		p = &eng->ldb_p[i];
		if (!(p->pinned_mask & dlb_eng_bit32(q->id))) {
			if (!(p->pin_head[q->id] == DLB_ENG_NIL))
				return dlb_eng_fail(c,
						    "port %u: pinned list without mask bit",
						    i);
			continue;
		}
		prev = DLB_ENG_NIL;
		k = 0;
		for (fi = p->pin_head[q->id]; fi != DLB_ENG_NIL;
		     fi = eng->flows[fi].next) {
			if (!(fi < eng->nflows && k++ < eng->nflows))
				return dlb_eng_fail(c,
						    "port %u: bad pinned list",
						    i);
			if (!(eng->flows[fi].list == DLB_ENG_FLOW_PINNED &&
			      eng->flows[fi].port == i &&
			      eng->flows[fi].queue == q->id &&
			      eng->flows[fi].prev == prev))
				return dlb_eng_fail(c,
						    "port %u: flow %u on the wrong pinned list",
						    i, fi);
			prev = fi;
		}
		c->on_lists += k;
		if (!(k && p->pin_tail[q->id] == prev))
			return dlb_eng_fail(c, "port %u: pinned list %u tail",
					    i, q->id);
	}
	return 0;
}

/* Sequence numbers: each outstanding one is held or replayed exactly once. */
static int dlb_eng_check_sn(struct dlb_eng_checker *c,
			    const struct dlb_eng_queue *q)
{
	const struct dlb_eng *eng = c->eng;
	u8 seen[DLB_ENG_MAX_SEQ / 8] = { 0 };
	const struct dlb_eng_hist *h;
	u32 out = q->sn_next - q->sn_head, mask = q->num_seq - 1;
	u32 i, k, sn, s, fwd, refs = 0, open = 0;
	bool done, fbit, parked;

	if (!(out <= q->num_seq))
		return dlb_eng_fail(c, "queue %u: %u sequence numbers out",
				    q->id, out);
	for (i = 0; i < eng->nldb_p; i++) {
		for (k = 0; k < eng->ldb_p[i].hist_count; k++) {
			h = &eng->ldb_p[i].hist[(eng->ldb_p[i].hist_head + k) %
						eng->ldb_p[i].hist_cap];
			if (DLB_META_SCHED(h->qe.meta) != DLB_SCHED_ORDERED ||
			    h->qe.qid != q->id)
				continue;
			sn = h->ref;
			if (!(sn - q->sn_head < out && !dlb_eng_sn_done(q, sn) &&
			      !(seen[(sn & mask) / 8] & (1u << (sn & 7)))))
				return dlb_eng_fail(c,
						    "queue %u: held sequence number %u bad",
						    q->id, sn);
			seen[(sn & mask) / 8] |= 1u << (sn & 7);
			refs++;
		}
	}
	for (s = q->replay.head; s != DLB_ENG_NIL; s = eng->slots[s].next) {
		if (DLB_META_SCHED(eng->slots[s].qe.meta) != DLB_SCHED_ORDERED)
			continue;
		sn = eng->slots[s].sn;
		if (!(sn - q->sn_head < out && !dlb_eng_sn_done(q, sn) &&
		      !(seen[(sn & mask) / 8] & (1u << (sn & 7)))))
			return dlb_eng_fail(c,
					    "queue %u: replayed sequence number %u bad",
					    q->id, sn);
		seen[(sn & mask) / 8] |= 1u << (sn & 7);
		refs++;
	}
	for (k = 0; k < out; k++) {
		done = dlb_eng_sn_done(q, q->sn_head + k);
		fwd = q->sn_fwd[(q->sn_head + k) & mask];
		if (!(k || !done))
			return dlb_eng_fail(c,
					    "queue %u: oldest sequence number done but kept",
					    q->id);
		if (!done) {
			open++;
			if (!(fwd == DLB_ENG_NIL))
				return dlb_eng_fail(c,
						    "queue %u: forward on an open record",
						    q->id);
			continue;
		}
		if (fwd != DLB_ENG_NIL) {
			if (!(fwd < eng->nslots))
				return dlb_eng_fail(c,
						    "queue %u: bad forward slot",
						    q->id);
			c->used++;
			c->stored[dlb_eng_pool_of(DLB_META_SCHED(eng->slots[fwd].qe.meta))]++;
		}
	}
	for (k = out; k < q->num_seq; k++) {
		done = dlb_eng_sn_done(q, q->sn_head + k);
		fwd = q->sn_fwd[(q->sn_head + k) & mask];
		if (!(!done && fwd == DLB_ENG_NIL))
			return dlb_eng_fail(c,
					    "queue %u: record outside the window not clean",
					    q->id);
	}
	for (k = 0; k < q->num_seq; k++) {
		fbit = (q->sn_done[q->num_seq / 64 + k / 64] >> (k % 64)) & 1;
		parked = q->sn_fwd[k] != DLB_ENG_NIL;
		if (fbit != parked)
			return dlb_eng_fail(c,
					    "queue %u: forward bit %u disagrees",
					    q->id, k);
	}
	if (!(refs == open))
		return dlb_eng_fail(c,
				    "queue %u: %u open sequence numbers, %u held or replayed",
				    q->id, open, refs);
	return 0;
}

static int dlb_eng_check_ldb_queue(struct dlb_eng_checker *c,
				   const struct dlb_eng_queue *q)
{
	const struct dlb_eng *eng = c->eng;
	u32 nun, nord, nrep, narr, nwait, s, i;
	bool ready;
	int ret;

	ret = dlb_eng_check_prio(c, &q->un, DLB_SCHED_UNORDERED, q->id, &nun);
	if (!ret)
		ret = dlb_eng_check_prio(c, &q->ord, DLB_SCHED_ORDERED, q->id,
					 &nord);
	if (!ret)
		ret = dlb_eng_check_fifo(c, &q->replay, &nrep, "replay", q->id);
	if (!ret)
		ret = dlb_eng_check_fifo(c, &q->arrival, &narr, "arrival",
					 q->id);
	if (!ret)
		ret = dlb_eng_check_flows(c, q, &nwait);
	if (!ret)
		ret = dlb_eng_check_lists(c, q);
	if (!ret && q->num_seq)
		ret = dlb_eng_check_sn(c, q);
	if (ret)
		return ret;
	for (s = q->replay.head; s != DLB_ENG_NIL; s = eng->slots[s].next)
		if (!(DLB_META_SCHED(eng->slots[s].qe.meta) == DLB_SCHED_ORDERED ||
		      DLB_META_SCHED(eng->slots[s].qe.meta) == DLB_SCHED_UNORDERED))
			return dlb_eng_fail(c,
					    "queue %u: atomic event in replay",
					    q->id);
	if (!(narr == q->narrival))
		return dlb_eng_fail(c, "queue %u: narrival %u, found %u", q->id,
				    q->narrival, narr);
	if (!(nwait == q->atomic_waiting))
		return dlb_eng_fail(c, "queue %u: atomic_waiting %u, found %u",
				    q->id, q->atomic_waiting, nwait);
	if (!(q->depth == nun + nord + nrep + narr + nwait))
		return dlb_eng_fail(c, "queue %u: depth %u, found %u", q->id,
				    q->depth, nun + nord + nrep + narr + nwait);
	c->stored[DLB_ENG_POOL_LDB] += q->depth;
	if (narr && q->atomic_waiting < q->atomic_limit)
		if (!(eng->free_flow == DLB_ENG_NIL &&
		      (eng->flow_starved & dlb_eng_bit32(q->id))))
			return dlb_eng_fail(c,
					    "queue %u: arrivals not sorted though room",
					    q->id);
	ready = nrep || q->un.mask || q->atom_mask ||
		(q->ord.mask && q->sn_next - q->sn_head < q->num_seq);
	if (!(ready == q->ready &&
	      ready == !!(eng->q_ready & dlb_eng_bit32(q->id))))
		return dlb_eng_fail(c, "queue %u: ready bit wrong", q->id);
	for (i = 0; i < eng->nldb_p; i++)
		if (!(q->linked_ports & dlb_eng_bit64(i)) !=
		    !(eng->ldb_p[i].linkq & dlb_eng_bit32(q->id)))
			return dlb_eng_fail(c,
					    "queue %u: link to port %u one-sided",
					    q->id, i);
	if (!(eng->nldb_p >= 64 || !(q->linked_ports >> eng->nldb_p)))
		return dlb_eng_fail(c,
				    "queue %u: linked to a port outside the domain",
				    q->id);
	return 0;
}

static int dlb_eng_check_ldb_port(struct dlb_eng_checker *c,
				  const struct dlb_eng_port *p)
{
	const struct dlb_eng *eng = c->eng;
	const struct dlb_eng_hist *h;
	const struct dlb_eng_flow *f;
	u32 k, l, lvl, all = 0;
	u8 used = 0;

	if (p->cq_occ > p->cq_depth)
		return dlb_eng_fail(c, "port %u: cq occupancy %u", p->id,
				    p->cq_occ);
	if (!(p->hist_count <= p->hist_cap && p->hist_head < p->hist_cap))
		return dlb_eng_fail(c, "port %u: history %u/%u", p->id,
				    p->hist_count, p->hist_cap);
	for (k = 0; k < p->hist_count; k++) {
		h = &p->hist[(p->hist_head + k) % p->hist_cap];
		if (!(h->qe.qid < eng->nldb_q &&
		      DLB_META_SCHED(h->qe.meta) != DLB_SCHED_DIRECTED))
			return dlb_eng_fail(c, "port %u: bad history entry",
					    p->id);
		if (DLB_META_SCHED(h->qe.meta) != DLB_SCHED_ATOMIC)
			continue;
		if (!(h->ref < eng->nflows))
			return dlb_eng_fail(c, "port %u: history names no flow",
					    p->id);
		f = &eng->flows[h->ref];
		if (!(f->port == p->id && f->queue == h->qe.qid &&
		      f->lock_id == h->qe.lock_id &&
		      eng->ldb_q[h->qe.qid].flow_of[f->lock_id] == h->ref + 1))
			return dlb_eng_fail(c,
					    "port %u: atomic event of a flow pinned elsewhere",
					    p->id);
		c->held[h->ref]++;
	}
	lvl = dlb_eng_ldb_level(p);
	if (!(lvl == p->level))
		return dlb_eng_fail(c, "port %u: load level %u, expected %u",
				    p->id, p->level, lvl);
	for (l = 0; l < DLB_ENG_NUM_LEVELS; l++)
		if (l == lvl ? !(eng->ldb_lvl[l] & dlb_eng_bit64(p->id)) :
		    !!(eng->ldb_lvl[l] & dlb_eng_bit64(p->id)))
			return dlb_eng_fail(c, "port %u: in load level mask %u",
					    p->id, l);
	for (l = 0; l < DLB_NUM_PRIOS; l++) {
		if (all & p->prio_q[l])
			return dlb_eng_fail(c,
					    "port %u: queue at two priorities",
					    p->id);
		all |= p->prio_q[l];
		if (p->prio_q[l])
			used |= 1u << l;
	}
	if (!(all == p->linkq && used == p->prio_used &&
	      dlb_env_popcount64(p->linkq) <= DLB_ENG_MAX_LINKS))
		return dlb_eng_fail(c, "port %u: link masks disagree", p->id);
	if (p->pinned_mask & ~p->linkq)
		return dlb_eng_fail(c,
				    "port %u: pinned flows of an unlinked queue",
				    p->id);
	if (lvl < DLB_ENG_NUM_LEVELS && ((eng->q_ready | p->pinned_mask) & p->linkq))
		if (!(eng->ldb_want & dlb_eng_bit64(p->id)))
			return dlb_eng_fail(c,
					    "port %u: has work but is not wanted",
					    p->id);
	return 0;
}

static int dlb_eng_check_dir(struct dlb_eng_checker *c, u32 i)
{
	const struct dlb_eng *eng = c->eng;
	const struct dlb_eng_queue *q = &eng->dir_q[i];
	const struct dlb_eng_port *p = &eng->dir_p[i];
	u32 n;
	int ret;

	ret = dlb_eng_check_prio(c, &q->un, DLB_SCHED_DIRECTED, i, &n);
	if (ret)
		return ret;
	if (!(n == q->depth))
		return dlb_eng_fail(c, "dir queue %u: depth %u, found %u", i,
				    q->depth, n);
	if (!n != !(eng->dir_ready & dlb_eng_bit64(i)))
		return dlb_eng_fail(c, "dir queue %u: ready bit wrong", i);
	c->stored[DLB_ENG_POOL_DIR] += n;
	if (p->cq_occ > p->cq_depth)
		return dlb_eng_fail(c, "dir port %u: cq occupancy %u", i,
				    p->cq_occ);
	if (p->cq_occ < p->cq_depth ? !(eng->dir_open & dlb_eng_bit64(i)) :
	    !!(eng->dir_open & dlb_eng_bit64(i)))
		return dlb_eng_fail(c, "dir port %u: open bit wrong", i);
	if (p->hist_count)
		return dlb_eng_fail(c, "dir port %u: holds events", i);
	return 0;
}

static int dlb_eng_check_all(struct dlb_eng_checker *c)
{
	const struct dlb_eng *eng = c->eng;
	u32 i, k, s, nfree_slots, nfree_flows;
	int ret;

	/* The free lists are counted here, not on the hot path. */
	k = 0;
	for (s = eng->free_slot; s != DLB_ENG_NIL; s = eng->slots[s].next) {
		if (!(s < eng->nslots && k < eng->nslots))
			return dlb_eng_fail(c, "slot free list broken");
		k++;
	}
	nfree_slots = k;
	k = 0;
	for (s = eng->free_flow; s != DLB_ENG_NIL; s = eng->flows[s].next) {
		if (!(s < eng->nflows && k < eng->nflows))
			return dlb_eng_fail(c, "flow free list broken");
		k++;
	}
	nfree_flows = k;
	for (i = 0; i < eng->nldb_p; i++) {
		ret = dlb_eng_check_ldb_port(c, &eng->ldb_p[i]);
		if (ret)
			return ret;
	}
	for (i = 0; i < eng->nldb_q; i++) {
		ret = dlb_eng_check_ldb_queue(c, &eng->ldb_q[i]);
		if (ret)
			return ret;
	}
	if (!(c->listed == c->on_lists))
		return dlb_eng_fail(c, "%u flows say they are listed, %u are",
				    c->listed, c->on_lists);
	if (!(c->live_flows + nfree_flows == eng->nflows))
		return dlb_eng_fail(c, "%u live + %u free flows of %u",
				    c->live_flows, nfree_flows,
				    eng->nflows);
	for (i = 0; i < eng->ndir; i++) {
		ret = dlb_eng_check_dir(c, i);
		if (ret)
			return ret;
	}
	if (!(c->used + nfree_slots == eng->nslots))
		return dlb_eng_fail(c, "%u slots in use + %u free of %u",
				    c->used, nfree_slots, eng->nslots);
	for (i = 0; i < 2; i++)
		if (!((s64)eng->credits[i] + c->stored[i] == eng->pool_size[i]))
			return dlb_eng_fail(c,
					    "%s pool: %d credits + %u stored != %u",
					    i ? "dir" : "ldb", eng->credits[i],
					    c->stored[i], eng->pool_size[i]);
	return 0;
}

int dlb_eng_check(const struct dlb_eng *eng, char *why, size_t why_len)
{
	struct dlb_eng_checker c = {
		.eng = eng,
		.why = why,
		.why_len = why_len,
	};
	int ret;

	if (why && why_len)
		why[0] = '\0';
	if (eng->nflows) {
		c.held = dlb_env_zalloc(eng->nflows * sizeof(*c.held));
		if (!c.held)
			return -ENOMEM;
	}
	ret = dlb_eng_check_all(&c);
	dlb_env_free(c.held);
	return ret;
}
