// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_eng_core.c - the engine's lifetime and control: configuration
 * checks, creation with every allocation the engine will ever make,
 * destruction, links (static and dynamic), and counters.
 *
 * Sizes fixed at creation:
 * - slots: both credit pools, plus one history list per LDB port and one
 *   CQ per DIR port. An event is accepted only while its pool has credit,
 *   and delivery or reset only move events between storage and ports, so
 *   stored + held never exceeds that (see dlb_eng_reset.c).
 * - flows: the queues' atomic inflights plus the LDB history lists (every
 *   flow object has an event waiting or held), at most 65535.
 * - per atomic-capable queue, a 128 KiB lock_id -> flow table; per ordered
 *   queue, its reorder buffer; per LDB port, its history list; CQs the
 *   caller did not provide.
 */
#include "dlb_eng_queue.h"

#define DLB_ENG_MAX_THRESHOLD	16777216u	/* keeps depth arithmetic in range */

#ifdef DLB_ENG_COUNT_PATHS
u64 dlb_eng_path_events[DLB_ENG_NUM_PATHS];
#endif

/**
 * dlb_eng_port_get() - a port by handle
 * @eng: the engine
 * @h: LDB port index or DLB_ENG_DIR(index)
 *
 * Context: engine call.
 * Return: the port, or NULL if @h names no port of the domain.
 */
struct dlb_eng_port *dlb_eng_port_get(struct dlb_eng *eng, u32 h)
{
	u32 i = DLB_ENG_INDEX(h);

	if (DLB_ENG_IS_DIR(h))
		return i < eng->ndir ? &eng->dir_p[i] : NULL;
	return i < eng->nldb_p ? &eng->ldb_p[i] : NULL;
}

/**
 * dlb_eng_queue_get() - a queue by handle
 * @eng: the engine
 * @h: LDB queue index or DLB_ENG_DIR(index)
 *
 * Context: engine call.
 * Return: the queue, or NULL if @h names no queue of the domain.
 */
struct dlb_eng_queue *dlb_eng_queue_get(struct dlb_eng *eng, u32 h)
{
	u32 i = DLB_ENG_INDEX(h);

	if (DLB_ENG_IS_DIR(h))
		return i < eng->ndir ? &eng->dir_q[i] : NULL;
	return i < eng->nldb_q ? &eng->ldb_q[i] : NULL;
}

static bool dlb_eng_is_pow2(u32 x)
{
	return x && !(x & (x - 1));
}

#define dlb_eng_bad(...)					\
	({							\
		if (why)					\
			dlb_env_snprintf(why, why_len, __VA_ARGS__); \
		-EINVAL;					\
	})

static int dlb_eng_check_queue(const struct dlb_eng_queue_config *qc,
			       bool dir, u32 i, char *why, size_t why_len)
{
	const char *t = dir ? "dir" : "ldb";

	if (qc->depth_threshold > DLB_ENG_MAX_THRESHOLD)
		return dlb_eng_bad("%s queue %u: depth_threshold %u above %u",
				   t, i, qc->depth_threshold,
				   DLB_ENG_MAX_THRESHOLD);
	if (dir && (qc->num_seq || qc->atomic_inflights))
		return dlb_eng_bad("dir queue %u: num_seq and atomic_inflights must be 0",
				   i);
	if (qc->num_seq && (!dlb_eng_is_pow2(qc->num_seq) ||
			    qc->num_seq < DLB_ENG_MIN_SEQ ||
			    qc->num_seq > DLB_ENG_MAX_SEQ))
		return dlb_eng_bad("ldb queue %u: num_seq %u not 0 or a power of two in [%u, %u]",
				   i, qc->num_seq, DLB_ENG_MIN_SEQ,
				   DLB_ENG_MAX_SEQ);
	if (qc->atomic_inflights > DLB_ENG_MAX_ATOMIC)
		return dlb_eng_bad("ldb queue %u: atomic_inflights %u above %u",
				   i, qc->atomic_inflights, DLB_ENG_MAX_ATOMIC);
	return 0;
}

static int dlb_eng_check_port(const struct dlb_eng_config *cfg,
			      const struct dlb_eng_port_config *pc, bool dir,
			      u32 i, char *why, size_t why_len)
{
	const char *t = dir ? "dir" : "ldb";
	u32 hist = pc->hist_list_size ? pc->hist_list_size : pc->cq_depth;
	u32 seen = 0, l, qid;

	if (!dlb_eng_is_pow2(pc->cq_depth) ||
	    pc->cq_depth > DLB_ENG_MAX_CQ_DEPTH)
		return dlb_eng_bad("%s port %u: cq_depth %u not a power of two in [1, %u]",
				   t, i, pc->cq_depth, DLB_ENG_MAX_CQ_DEPTH);
	if (dir) {
		if (pc->hist_list_size || pc->num_links)
			return dlb_eng_bad("dir port %u: hist_list_size and num_links must be 0",
					   i);
		return 0;
	}
	if (hist < pc->cq_depth || hist > DLB_ENG_MAX_HIST)
		return dlb_eng_bad("ldb port %u: hist_list_size %u not in [cq_depth %u, %u]",
				   i, hist, pc->cq_depth, DLB_ENG_MAX_HIST);
	if (pc->num_links > DLB_ENG_MAX_LINKS)
		return dlb_eng_bad("ldb port %u: %u links, at most %u",
				   i, pc->num_links, DLB_ENG_MAX_LINKS);
	for (l = 0; l < pc->num_links; l++) {
		qid = pc->links[l].queue;
		if (qid >= cfg->num_ldb_queues)
			return dlb_eng_bad("ldb port %u: link to queue %u, domain has %u",
					   i, qid, cfg->num_ldb_queues);
		if (pc->links[l].prio >= DLB_NUM_PRIOS)
			return dlb_eng_bad("ldb port %u: link priority %u above 7",
					   i, pc->links[l].prio);
		if (seen & dlb_eng_bit32(qid))
			return dlb_eng_bad("ldb port %u: queue %u linked twice",
					   i, qid);
		seen |= dlb_eng_bit32(qid);
	}
	return 0;
}

static int dlb_eng_check_config(const struct dlb_eng_config *cfg, char *why,
				size_t why_len)
{
	u32 i;
	int ret;

	if (cfg->num_ldb_queues > DLB_ENG_MAX_LDB_QUEUES ||
	    cfg->num_ldb_ports > DLB_ENG_MAX_LDB_PORTS ||
	    cfg->num_dir_ports > DLB_ENG_MAX_DIR_PORTS)
		return dlb_eng_bad("at most %u ldb queues, %u ldb ports, %u dir ports",
				   DLB_ENG_MAX_LDB_QUEUES,
				   DLB_ENG_MAX_LDB_PORTS,
				   DLB_ENG_MAX_DIR_PORTS);
	if (cfg->ldb_credits > DLB_ENG_MAX_CREDITS ||
	    cfg->dir_credits > DLB_ENG_MAX_CREDITS)
		return dlb_eng_bad("credit pools hold at most %u",
				   DLB_ENG_MAX_CREDITS);
	for (i = 0; i < cfg->num_ldb_queues; i++) {
		ret = dlb_eng_check_queue(&cfg->ldb_queues[i], false, i, why,
					  why_len);
		if (ret)
			return ret;
	}
	for (i = 0; i < cfg->num_dir_ports; i++) {
		ret = dlb_eng_check_queue(&cfg->dir_queues[i], true, i, why,
					  why_len);
		if (ret)
			return ret;
		ret = dlb_eng_check_port(cfg, &cfg->dir_ports[i], true, i, why,
					 why_len);
		if (ret)
			return ret;
	}
	for (i = 0; i < cfg->num_ldb_ports; i++) {
		ret = dlb_eng_check_port(cfg, &cfg->ldb_ports[i], false, i, why,
					 why_len);
		if (ret)
			return ret;
	}
	return 0;
}

static int dlb_eng_init_queue(struct dlb_eng_queue *q,
			      const struct dlb_eng_queue_config *qc, bool dir,
			      u32 i)
{
	u32 k;

	dlb_eng_queue_init(q);
	q->id = (u8)i;
	q->dir = dir;
	q->pool = dir ? DLB_ENG_POOL_DIR : DLB_ENG_POOL_LDB;
	q->thr = qc->depth_threshold ? qc->depth_threshold :
		 DLB_ENG_DEF_DEPTH_THRESHOLD;
	q->ind_thr[1] = q->thr / 2;
	q->ind_thr[2] = (u32)((u64)q->thr * 3 / 4);
	q->ind_thr[3] = q->thr;
	if (dir)
		return 0;
	q->atomic_limit = qc->atomic_inflights;
	if (q->atomic_limit) {
		q->flow_of = dlb_env_zalloc(DLB_ENG_NUM_FLOW_IDS *
					    sizeof(*q->flow_of));
		if (!q->flow_of)
			return -ENOMEM;
	}
	q->num_seq = qc->num_seq;
	if (q->num_seq) {
		q->sn_done = dlb_env_zalloc(q->num_seq / 64 * 2 *
					    sizeof(*q->sn_done) +
					    q->num_seq * sizeof(*q->sn_fwd));
		if (!q->sn_done)
			return -ENOMEM;
		q->sn_fwd = (u32 *)(q->sn_done + q->num_seq / 64 * 2);
		/* Outside the window: not done, without forward. */
		for (k = 0; k < q->num_seq; k++)
			q->sn_fwd[k] = DLB_ENG_NIL;
	}
	return 0;
}

static int dlb_eng_init_port(struct dlb_eng *eng, struct dlb_eng_port *p,
			     const struct dlb_eng_port_config *pc, bool dir,
			     u32 i)
{
	u32 k;

	p->id = (u8)i;
	p->dir = dir;
	p->cq_depth = pc->cq_depth;
	p->cq_mask = pc->cq_depth - 1;
	p->gen = DLB_DEQ_GEN;
	p->level = DLB_ENG_NUM_LEVELS;
	p->rr = DLB_ENG_MAX_LDB_QUEUES - 1;
	for (k = 0; k < DLB_ENG_MAX_LDB_QUEUES; k++) {
		p->pin_head[k] = DLB_ENG_NIL;
		p->pin_tail[k] = DLB_ENG_NIL;
	}
	if (pc->cq_mem) {
		p->cq = pc->cq_mem;
	} else {
		p->cq = dlb_env_zalloc(p->cq_depth * sizeof(*p->cq));
		if (!p->cq)
			return -ENOMEM;
		p->own_cq = true;
	}
	if (!dir) {
		p->hist_cap = pc->hist_list_size ? pc->hist_list_size :
			      pc->cq_depth;
		p->hist = dlb_env_zalloc(p->hist_cap * sizeof(*p->hist));
		if (!p->hist)
			return -ENOMEM;
		for (k = 0; k < DLB_ENG_NUM_LEVELS - 1; k++) {
			p->lvl_thr[k] = ((k + 1) * p->hist_cap + 3) / 4;
			if (!p->lvl_thr[k])
				p->lvl_thr[k] = 1;
		}
	}
	dlb_eng_port_update_load(eng, p);
	return 0;
}

static void dlb_eng_do_link(struct dlb_eng *eng, struct dlb_eng_port *p,
			    struct dlb_eng_queue *q, u32 prio)
{
	u32 qb = dlb_eng_bit32(q->id);

	p->linkq |= qb;
	p->link_prio[q->id] = (u8)prio;
	p->prio_q[prio] |= qb;
	p->prio_used |= (u8)(1u << prio);
	q->linked_ports |= dlb_eng_bit64(p->id);
	if (q->ready)
		eng->ldb_want |= dlb_eng_bit64(p->id);
}

static void dlb_eng_do_unlink(struct dlb_eng_port *p, struct dlb_eng_queue *q)
{
	u32 qb = dlb_eng_bit32(q->id);
	u32 prio = p->link_prio[q->id];

	p->linkq &= ~qb;
	p->prio_q[prio] &= ~qb;
	if (!p->prio_q[prio])
		p->prio_used &= (u8)~(1u << prio);
	q->linked_ports &= ~dlb_eng_bit64(p->id);
}

static u32 dlb_eng_count_flows(const struct dlb_eng_config *cfg)
{
	u64 n = 0;
	bool atomic = false;
	u32 i;

	for (i = 0; i < cfg->num_ldb_queues; i++) {
		n += cfg->ldb_queues[i].atomic_inflights;
		atomic |= cfg->ldb_queues[i].atomic_inflights != 0;
	}
	if (!atomic)
		return 0;
	for (i = 0; i < cfg->num_ldb_ports; i++)
		n += cfg->ldb_ports[i].hist_list_size ?
		     cfg->ldb_ports[i].hist_list_size :
		     cfg->ldb_ports[i].cq_depth;
	return n > DLB_ENG_MAX_FLOWS ? DLB_ENG_MAX_FLOWS : (u32)n;
}

static int dlb_eng_alloc_storage(struct dlb_eng *eng,
				 const struct dlb_eng_config *cfg)
{
	u32 i, n = cfg->ldb_credits + cfg->dir_credits;

	for (i = 0; i < cfg->num_ldb_ports; i++)
		n += eng->ldb_p[i].hist_cap;
	for (i = 0; i < cfg->num_dir_ports; i++)
		n += cfg->dir_ports[i].cq_depth;
	eng->nslots = n;
	eng->free_slot = DLB_ENG_NIL;
	if (n) {
		eng->slots = dlb_env_zalloc((size_t)n * sizeof(*eng->slots));
		if (!eng->slots)
			return -ENOMEM;
	}
	for (i = n; i-- > 0;)
		dlb_eng_slot_free(eng, i);

	n = dlb_eng_count_flows(cfg);
	eng->nflows = n;
	eng->free_flow = DLB_ENG_NIL;
	if (n) {
		eng->flows = dlb_env_zalloc((size_t)n * sizeof(*eng->flows));
		if (!eng->flows)
			return -ENOMEM;
	}
	for (i = n; i-- > 0;) {
		eng->flows[i].next = eng->free_flow;
		eng->free_flow = i;
	}
	return 0;
}

int dlb_eng_create(const struct dlb_eng_config *cfg, struct dlb_eng **engp,
		   char *why, size_t why_len)
{
	const struct dlb_eng_port_config *pc;
	struct dlb_eng *eng;
	u32 i, l;
	int ret;

	if (why && why_len)
		why[0] = '\0';
	ret = dlb_eng_check_config(cfg, why, why_len);
	if (ret)
		return ret;
	eng = dlb_env_zalloc(sizeof(*eng));
	if (!eng)
		return -ENOMEM;
	eng->nldb_q = cfg->num_ldb_queues;
	eng->nldb_p = cfg->num_ldb_ports;
	eng->ndir = cfg->num_dir_ports;
	eng->pool_size[DLB_ENG_POOL_LDB] = cfg->ldb_credits;
	eng->pool_size[DLB_ENG_POOL_DIR] = cfg->dir_credits;
	eng->credits[DLB_ENG_POOL_LDB] = (s32)cfg->ldb_credits;
	eng->credits[DLB_ENG_POOL_DIR] = (s32)cfg->dir_credits;
	eng->ldb_rr = DLB_ENG_MAX_LDB_PORTS - 1;
	eng->dir_rr = DLB_ENG_MAX_DIR_PORTS - 1;

	for (i = 0; i < eng->nldb_q; i++) {
		ret = dlb_eng_init_queue(&eng->ldb_q[i], &cfg->ldb_queues[i],
					 false, i);
		if (ret)
			goto err_destroy;
	}
	for (i = 0; i < eng->ndir; i++) {
		dlb_eng_init_queue(&eng->dir_q[i], &cfg->dir_queues[i], true, i);
		ret = dlb_eng_init_port(eng, &eng->dir_p[i], &cfg->dir_ports[i],
					true, i);
		if (ret)
			goto err_destroy;
	}
	for (i = 0; i < eng->nldb_p; i++) {
		pc = &cfg->ldb_ports[i];
		ret = dlb_eng_init_port(eng, &eng->ldb_p[i], pc, false, i);
		if (ret)
			goto err_destroy;
		for (l = 0; l < pc->num_links; l++)
			dlb_eng_do_link(eng, &eng->ldb_p[i],
					&eng->ldb_q[pc->links[l].queue],
					pc->links[l].prio);
	}
	ret = dlb_eng_alloc_storage(eng, cfg);
	if (ret)
		goto err_destroy;
	for (i = 0; i < eng->ndir; i++)
		eng->dest[DLB_SCHED_DIRECTED][i] = &eng->dir_q[i];
	for (i = 0; i < eng->nldb_q; i++) {
		eng->dest[DLB_SCHED_UNORDERED][i] = &eng->ldb_q[i];
		if (eng->ldb_q[i].num_seq)
			eng->dest[DLB_SCHED_ORDERED][i] = &eng->ldb_q[i];
		if (eng->ldb_q[i].atomic_limit)
			eng->dest[DLB_SCHED_ATOMIC][i] = &eng->ldb_q[i];
	}
	*engp = eng;
	return 0;

err_destroy:
	dlb_eng_destroy(eng);
	return ret;
}

void dlb_eng_destroy(struct dlb_eng *eng)
{
	u32 i;

	if (!eng)
		return;
	for (i = 0; i < DLB_ENG_MAX_LDB_QUEUES; i++) {
		dlb_env_free(eng->ldb_q[i].flow_of);
		dlb_env_free(eng->ldb_q[i].sn_done);
	}
	for (i = 0; i < DLB_ENG_MAX_LDB_PORTS; i++) {
		if (eng->ldb_p[i].own_cq)
			dlb_env_free(eng->ldb_p[i].cq);
		dlb_env_free(eng->ldb_p[i].hist);
	}
	for (i = 0; i < DLB_ENG_MAX_DIR_PORTS; i++)
		if (eng->dir_p[i].own_cq)
			dlb_env_free(eng->dir_p[i].cq);
	dlb_env_free(eng->slots);
	dlb_env_free(eng->flows);
	dlb_env_free(eng);
}

static int dlb_eng_get_link(struct dlb_eng *eng, u32 port, u32 queue,
			    struct dlb_eng_port **pp, struct dlb_eng_queue **qp)
{
	if (DLB_ENG_IS_DIR(port) || DLB_ENG_IS_DIR(queue))
		return -EINVAL;
	*pp = dlb_eng_port_get(eng, port);
	*qp = dlb_eng_queue_get(eng, queue);
	return *pp && *qp ? 0 : -EINVAL;
}

int dlb_eng_link(struct dlb_eng *eng, u32 port, u32 queue, u32 prio)
{
	struct dlb_eng_port *p;
	struct dlb_eng_queue *q;
	int ret = dlb_eng_get_link(eng, port, queue, &p, &q);

	if (ret)
		return ret;
	if (prio >= DLB_NUM_PRIOS)
		return -EINVAL;
	if (p->linkq & dlb_eng_bit32(q->id)) {
		/* A priority change keeps pinned flows where they are. */
		dlb_eng_do_unlink(p, q);
	} else if (dlb_env_popcount64(p->linkq) >= DLB_ENG_MAX_LINKS) {
		return -ENOSPC;
	}
	dlb_eng_do_link(eng, p, q, prio);
	return 0;
}

int dlb_eng_unlink(struct dlb_eng *eng, u32 port, u32 queue)
{
	struct dlb_eng_port *p;
	struct dlb_eng_queue *q;
	int ret = dlb_eng_get_link(eng, port, queue, &p, &q);

	if (ret)
		return ret;
	if (!(p->linkq & dlb_eng_bit32(q->id)))
		return -ENOENT;
	dlb_eng_do_unlink(p, q);
	dlb_eng_atomic_unlink(eng, p, q);
	return 0;
}

struct dlb_deq *dlb_eng_port_cq(struct dlb_eng *eng, u32 port, u32 *depth)
{
	struct dlb_eng_port *p = dlb_eng_port_get(eng, port);

	if (!p)
		return NULL;
	if (depth)
		*depth = p->cq_depth;
	return p->cq;
}

int dlb_eng_port_stats(const struct dlb_eng *eng, u32 port,
		       struct dlb_eng_port_stats *st)
{
	const struct dlb_eng_port *p;

	p = dlb_eng_port_get((struct dlb_eng *)eng, port);
	if (!p)
		return -EINVAL;
	*st = p->st;
	st->cq_occupancy = p->cq_occ;
	st->held = p->hist_count;
	st->armed = p->armed;
	return 0;
}

int dlb_eng_queue_stats(const struct dlb_eng *eng, u32 queue,
			struct dlb_eng_queue_stats *st)
{
	const struct dlb_eng_queue *q;

	q = dlb_eng_queue_get((struct dlb_eng *)eng, queue);
	if (!q)
		return -EINVAL;
	*st = q->st;
	st->depth = q->depth;
	st->atomic_inflights = q->atomic_waiting;
	st->reorder_pending = q->sn_next - q->sn_head;
	return 0;
}

u32 dlb_eng_queue_depth(const struct dlb_eng *eng, u32 queue)
{
	const struct dlb_eng_queue *q;

	q = dlb_eng_queue_get((struct dlb_eng *)eng, queue);
	return q ? q->depth : 0;
}

u32 dlb_eng_credits(const struct dlb_eng *eng, bool dir)
{
	s32 c = eng->credits[dir ? DLB_ENG_POOL_DIR : DLB_ENG_POOL_LDB];

	return c > 0 ? (u32)c : 0;
}

u64 dlb_eng_stored(const struct dlb_eng *eng)
{
	/* A pool's credits plus what is charged to it make its size. */
	return (u64)((s64)eng->pool_size[DLB_ENG_POOL_LDB] -
		     eng->credits[DLB_ENG_POOL_LDB]) +
	       (u64)((s64)eng->pool_size[DLB_ENG_POOL_DIR] -
		     eng->credits[DLB_ENG_POOL_DIR]);
}
