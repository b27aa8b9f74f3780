// SPDX-License-Identifier: GPL-2.0
/*
 * test_model.c - model-based randomized test of the scheduling engine.
 *
 * Random multi-port traffic (enqueues, invalid QEs, scheduler steps,
 * consumers that read, complete, forward and return tokens at random, link
 * changes and port resets) runs against the engine and against a simple
 * reference model of the rules, which checks at every step:
 * - no loss and no duplication: every accepted event is delivered exactly
 *   once per time it is stored, and everything drains at the end;
 * - atomic exclusivity: a flow's delivered, uncompleted events are at one
 *   port; events go only to ports linked to their queue;
 * - ordered egress: forwards of an ordered queue's events (all sent to DIR
 *   queue 0, which nothing else feeds) arrive in scheduling order, and only
 *   once every older event of that queue was completed;
 * - credits and tokens: refusals happen exactly when the model's pool is
 *   full; CQ occupancy, history and credits match the model; the engine's
 *   own invariant checker passes.
 * Seeded: SEED=N reproduces a run (the seed is printed); MODEL_OPS=N sets
 * the operations per configuration.
 */
#include <time.h>

#include "test_util.h"

#define M_MAX_EVENTS	(1u << 17)
#define M_NONE		0xffffffffu
#define M_NCONFIGS	8

enum m_state { M_FREE, M_STORED, M_DELIVERED, M_DONE };

struct m_event {
	u8 state;
	u8 qid;
	u8 sched;
	u8 prio;
	u16 lock_id;
	u16 port;	/* t_pidx() of the port holding it */
	u32 seq;	/* ordered: position in its queue's order */
	u32 oseq;	/* forward of an ordered event: its origin's seq */
	u8 oq;		/* origin queue of such a forward */
};

struct m_port {
	u32 held[DLB_ENG_MAX_HIST + DLB_ENG_MAX_CQ_DEPTH];
	u32 nheld;	/* ldb: delivered, not completed; dir: not returned */
	u32 owed;	/* tokens not yet returned */
};

struct m_flow {
	u32 held;
	u32 port;
};

struct model {
	struct t_ctx *t;
	u64 rng;
	struct dlb_eng_config cfg;
	struct m_event *ev;
	u32 nev;
	struct m_port *port;	/* T_NPORTS */
	struct m_flow *flow;	/* [queue][lock_id] */
	u8 *seq_done;		/* [queue][seq] */
	u32 next_seq[DLB_ENG_MAX_LDB_QUEUES];
	u32 low_open[DLB_ENG_MAX_LDB_QUEUES];
	u32 last_fwd[DLB_ENG_MAX_LDB_QUEUES];
	u32 linked[DLB_ENG_MAX_LDB_PORTS];	/* queue mask */
	u32 stored[2];
	u32 nlocks;
	u64 drops[T_NPORTS][DLB_ENG_NUM_DROPS];
	int bad;
	/* what the run exercised, printed as a diagnostic */
	u32 n_deliver[4], n_fwd_checked, n_refused, n_resets, n_links;
};

static u64 m_rand(struct model *m)
{
	/* xorshift64* */
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 2685821657736338717ull;
}

static u32 m_below(struct model *m, u32 n)
{
	return n ? (u32)((m_rand(m) >> 11) % n) : 0;
}

#define M_FAIL(m, ...)							\
	do {								\
		t_fail((m)->t, __FILE__, __LINE__, __VA_ARGS__);	\
		(m)->bad = 1;						\
		return;							\
	} while (0)

#define M_REQ(m, cond, ...)						\
	do {								\
		if (!(cond))						\
			M_FAIL(m, __VA_ARGS__);				\
	} while (0)

static u32 m_port_handle(const struct model *m, u32 idx)
{
	(void)m;
	return idx < DLB_ENG_MAX_LDB_PORTS ? idx :
	       DLB_ENG_DIR(idx - DLB_ENG_MAX_LDB_PORTS);
}

/* A random port of the domain, as an index (t_pidx). */
static u32 m_any_port(struct model *m)
{
	u32 n = m->cfg.num_ldb_ports + m->cfg.num_dir_ports;
	u32 k = m_below(m, n);

	return k < m->cfg.num_ldb_ports ? k :
	       DLB_ENG_MAX_LDB_PORTS + (k - m->cfg.num_ldb_ports);
}

static struct m_flow *m_flow(struct model *m, u32 q, u32 lock)
{
	return &m->flow[q * 65536 + lock];
}

static void m_random_config(struct model *m, u32 k)
{
	struct dlb_eng_config *c = &m->cfg;
	u32 i, q, l, nl;

	memset(c, 0, sizeof(*c));
	c->num_ldb_queues = 1 + m_below(m, k < 2 ? 2 : 6);
	c->num_ldb_ports = 1 + m_below(m, k < 2 ? 3 : 10);
	c->num_dir_ports = 1 + m_below(m, 3);
	c->ldb_credits = 2 + m_below(m, k & 1 ? 8 : 96);
	c->dir_credits = 1 + m_below(m, k & 1 ? 4 : 32);
	m->nlocks = k & 2 ? 4 : 2 + m_below(m, 2000);
	for (q = 0; q < c->num_ldb_queues; q++) {
		c->ldb_queues[q].num_seq = m_below(m, 4) ? 64u << m_below(m, 2) : 0;
		c->ldb_queues[q].atomic_inflights =
			m_below(m, 4) ? 1 + m_below(m, k & 1 ? 4 : 64) : 0;
		c->ldb_queues[q].depth_threshold = m_below(m, 64);
	}
	for (i = 0; i < c->num_ldb_ports; i++) {
		c->ldb_ports[i].cq_depth = 1u << m_below(m, 5);
		c->ldb_ports[i].hist_list_size =
			c->ldb_ports[i].cq_depth + m_below(m, 8);
		nl = m_below(m, c->num_ldb_queues + 1);
		for (l = 0; l < nl && l < DLB_ENG_MAX_LINKS; l++) {
			q = m_below(m, c->num_ldb_queues);
			if (m->linked[i] & (1u << q))
				continue;
			m->linked[i] |= 1u << q;
			c->ldb_ports[i].links[c->ldb_ports[i].num_links].queue = (u8)q;
			c->ldb_ports[i].links[c->ldb_ports[i].num_links].prio =
				(u8)m_below(m, 8);
			c->ldb_ports[i].num_links++;
		}
	}
	for (i = 0; i < c->num_dir_ports; i++)
		c->dir_ports[i].cq_depth = 1u << m_below(m, 4);
}

static u32 m_new_event(struct model *m, u8 sched, u8 qid, u8 prio, u16 lock)
{
	struct m_event *e;

	if (m->nev >= M_MAX_EVENTS)
		return M_NONE;
	e = &m->ev[m->nev];
	memset(e, 0, sizeof(*e));
	e->state = M_FREE;
	e->sched = sched;
	e->qid = qid;
	e->prio = prio;
	e->lock_id = lock;
	e->seq = M_NONE;
	e->oseq = M_NONE;
	return m->nev++;
}

/* A random valid destination; false if the domain has none. */
static bool m_pick_dest(struct model *m, u8 *sched, u8 *qid)
{
	const struct dlb_eng_queue_config *qc;
	u32 q, tries;

	if (m->cfg.num_dir_ports > 1 && !m_below(m, 4)) {
		*sched = DLB_SCHED_DIRECTED;
		*qid = (u8)(1 + m_below(m, m->cfg.num_dir_ports - 1));
		return true;
	}
	for (tries = 0; tries < 8; tries++) {
		q = m_below(m, m->cfg.num_ldb_queues);
		qc = &m->cfg.ldb_queues[q];
		*qid = (u8)q;
		switch (m_below(m, 3)) {
		case 0:
			if (!qc->atomic_inflights)
				continue;
			*sched = DLB_SCHED_ATOMIC;
			return true;
		case 1:
			if (!qc->num_seq)
				continue;
			*sched = DLB_SCHED_ORDERED;
			return true;
		default:
			*sched = DLB_SCHED_UNORDERED;
			return true;
		}
	}
	return false;
}

static u32 m_pool(u8 sched)
{
	return sched == DLB_SCHED_DIRECTED ? 1 : 0;
}

static u32 m_pool_size(const struct model *m, u32 pool)
{
	return pool ? m->cfg.dir_credits : m->cfg.ldb_credits;
}

/* Send one QE and check acceptance against the model. */
static int m_send(struct model *m, u32 pidx, const struct dlb_qe *qe,
		  bool expect_ok)
{
	int ret = dlb_eng_enqueue(m->t->eng, m_port_handle(m, pidx), qe, 1);

	m->n_refused += ret == 0;
	if (ret != (expect_ok ? 1 : 0)) {
		t_fail(m->t, __FILE__, __LINE__,
		       "enqueue cmd %#x from port %u returned %d, expected %d",
		       qe->cmd, pidx, ret, expect_ok ? 1 : 0);
		m->bad = 1;
	}
	return ret;
}

static void m_op_new(struct model *m)
{
	u32 pidx = m_any_port(m), id, pool;
	u8 sched, qid, prio = (u8)m_below(m, 8);
	u16 lock = (u16)m_below(m, m->nlocks);
	struct dlb_qe qe;
	bool ok;

	if (!m_pick_dest(m, &sched, &qid))
		return;
	id = m_new_event(m, sched, qid, prio, lock);
	if (id == M_NONE)
		return;
	pool = m_pool(sched);
	ok = m->stored[pool] < m_pool_size(m, pool);
	dlb_qe_init(&qe, DLB_CMD_NEW, sched, qid, prio, lock, id);
	if (m_send(m, pidx, &qe, ok) == 1) {
		m->ev[id].state = M_STORED;
		m->stored[pool]++;
	} else {
		m->nev--;
	}
}

static void m_op_invalid(struct model *m)
{
	u32 pidx = m_any_port(m);
	struct m_port *mp = &m->port[pidx];
	bool dir = pidx >= DLB_ENG_MAX_LDB_PORTS;
	struct dlb_eng_port_stats st;
	enum dlb_eng_drop why;
	struct dlb_qe qe;

	switch (m_below(m, 5)) {
	case 0:
		dlb_qe_init(&qe, (u8)(0x0c + m_below(m, 4)), 0, 0, 0, 0, 0);
		why = DLB_ENG_DROP_BAD_CMD;
		break;
	case 1:
		dlb_qe_init(&qe, DLB_CMD_NEW, DLB_SCHED_UNORDERED,
			    (u8)(m->cfg.num_ldb_queues + m_below(m, 200)), 0, 0,
			    0);
		why = DLB_ENG_DROP_BAD_QID;
		break;
	case 2:
		dlb_qe_init_bat_t(&qe, mp->owed + 1 + m_below(m, 3));
		why = DLB_ENG_DROP_TOKENS;
		break;
	case 3:
		if (!dir && mp->nheld)
			return;
		dlb_qe_init(&qe, DLB_CMD_REL, 0, 0, 0, 0, 0);
		why = DLB_ENG_DROP_NO_HELD;
		break;
	default:
		dlb_qe_init(&qe, DLB_CMD_NEW, DLB_SCHED_DIRECTED,
			    (u8)(m->cfg.num_dir_ports + m_below(m, 50)), 0, 0, 0);
		why = DLB_ENG_DROP_BAD_QID;
		break;
	}
	m_send(m, pidx, &qe, true);
	m->drops[pidx][why]++;
	dlb_eng_port_stats(m->t->eng, m_port_handle(m, pidx), &st);
	M_REQ(m, st.dropped[why] == m->drops[pidx][why],
	      "port %u: dropped[%d] %llu, model %llu", pidx, why,
	      (unsigned long long)st.dropped[why],
	      (unsigned long long)m->drops[pidx][why]);
}

/* An event arrived in port pidx's CQ. */
static void m_deliver(struct model *m, u32 pidx, const struct dlb_deq *d)
{
	bool dir = pidx >= DLB_ENG_MAX_LDB_PORTS;
	struct m_port *mp = &m->port[pidx];
	struct m_event *e;
	struct m_flow *f;
	u32 id = (u32)d->data, s;

	M_REQ(m, d->data < m->nev, "port %u: unknown event %llu", pidx,
	      (unsigned long long)d->data);
	e = &m->ev[id];
	M_REQ(m, e->state == M_STORED,
	      "port %u: event %u delivered in state %u (duplicate?)", pidx, id,
	      e->state);
	M_REQ(m, d->qid == e->qid && DLB_META_SCHED(d->meta) == e->sched &&
	      DLB_META_PRIO(d->meta) == e->prio && d->lock_id == e->lock_id,
	      "port %u: event %u arrived altered", pidx, id);
	if (dir) {
		M_REQ(m, e->sched == DLB_SCHED_DIRECTED &&
		      e->qid == pidx - DLB_ENG_MAX_LDB_PORTS,
		      "dir port %u got event %u of queue %u", pidx, id, e->qid);
	} else {
		M_REQ(m, e->sched != DLB_SCHED_DIRECTED &&
		      (m->linked[pidx] & (1u << e->qid)),
		      "port %u got event %u of unlinked queue %u", pidx, id,
		      e->qid);
	}
	if (e->sched == DLB_SCHED_ATOMIC) {
		f = m_flow(m, e->qid, e->lock_id);
		M_REQ(m, !f->held || f->port == pidx,
		      "atomic flow %u/%u at port %u and port %u", e->qid,
		      e->lock_id, f->port, pidx);
		f->held++;
		f->port = pidx;
	}
	if (e->sched == DLB_SCHED_ORDERED && e->seq == M_NONE)
		e->seq = m->next_seq[e->qid]++;
	if (e->oseq != M_NONE) {
		/* A forward of an ordered event: in order, and not early. */
		M_REQ(m, m->last_fwd[e->oq] == M_NONE ||
		      e->oseq > m->last_fwd[e->oq],
		      "ordered queue %u: forward of seq %u after seq %u", e->oq,
		      e->oseq, m->last_fwd[e->oq]);
		for (s = m->low_open[e->oq]; s < e->oseq; s++)
			M_REQ(m, m->seq_done[e->oq * M_MAX_EVENTS + s],
			      "ordered queue %u: forward of seq %u released before seq %u completed",
			      e->oq, e->oseq, s);
		m->last_fwd[e->oq] = e->oseq;
	}
	m->n_deliver[e->sched]++;
	m->n_fwd_checked += e->oseq != M_NONE;
	e->state = M_DELIVERED;
	e->port = (u16)pidx;
	m->stored[m_pool(e->sched)]--;
	mp->held[mp->nheld++] = id;
	mp->owed++;
}

static void m_read_all(struct model *m)
{
	struct dlb_deq d[16];
	u32 i, k, n, pidx;

	for (i = 0; i < m->cfg.num_ldb_ports + m->cfg.num_dir_ports; i++) {
		pidx = i < m->cfg.num_ldb_ports ? i :
		       DLB_ENG_MAX_LDB_PORTS + i - m->cfg.num_ldb_ports;
		while ((n = t_read(m->t, m_port_handle(m, pidx), d, 16))) {
			for (k = 0; k < n && !m->bad; k++)
				m_deliver(m, pidx, &d[k]);
		}
	}
}

static void m_op_schedule(struct model *m)
{
	u32 k, steps = 1 + m_below(m, 24);

	/* One event per call: the model learns the exact delivery order. */
	for (k = 0; k < steps && !m->bad; k++) {
		if (!dlb_eng_schedule(m->t->eng, 1))
			break;
		m_read_all(m);
	}
}

static void m_seq_complete(struct model *m, struct m_event *e)
{
	m->seq_done[e->qid * M_MAX_EVENTS + e->seq] = 1;
	while (m->low_open[e->qid] < m->next_seq[e->qid] &&
	       m->seq_done[e->qid * M_MAX_EVENTS + m->low_open[e->qid]])
		m->low_open[e->qid]++;
}

/* The oldest held event of an LDB port completes, maybe with a forward. */
static void m_op_complete(struct model *m, u32 pidx, bool allow_fwd)
{
	struct m_port *mp = &m->port[pidx];
	bool tok = mp->owed && m_below(m, 2);
	u32 id, nid = M_NONE, pool = 0;
	struct m_event *e;
	struct dlb_qe qe;
	u8 sched, qid, prio = (u8)m_below(m, 8);
	u16 lock = (u16)m_below(m, m->nlocks);
	bool ok = true;

	if (!mp->nheld)
		return;
	id = mp->held[0];
	e = &m->ev[id];
	if (allow_fwd && m_below(m, 3)) {
		if (e->sched == DLB_SCHED_ORDERED) {
			sched = DLB_SCHED_DIRECTED;
			qid = 0;
			prio = 0;
		} else if (!m_pick_dest(m, &sched, &qid)) {
			allow_fwd = false;
		}
		if (allow_fwd)
			nid = m_new_event(m, sched, qid, prio, lock);
	}
	if (nid != M_NONE) {
		pool = m_pool(sched);
		ok = m->stored[pool] < m_pool_size(m, pool);
		dlb_qe_init(&qe, tok ? DLB_CMD_FWD_T : DLB_CMD_FWD, sched, qid,
			    prio, lock, nid);
		if (e->sched == DLB_SCHED_ORDERED) {
			m->ev[nid].oq = e->qid;
			m->ev[nid].oseq = e->seq;
		}
	} else {
		dlb_qe_init(&qe, tok ? DLB_CMD_REL_T : DLB_CMD_REL, 0, 0, 0, 0, 0);
	}
	if (m_send(m, pidx, &qe, ok) != 1) {
		if (nid != M_NONE)
			m->nev--;
		return;
	}
	if (nid != M_NONE) {
		m->ev[nid].state = M_STORED;
		m->stored[pool]++;
	}
	if (tok)
		mp->owed--;
	memmove(&mp->held[0], &mp->held[1], --mp->nheld * sizeof(u32));
	e->state = M_DONE;
	if (e->sched == DLB_SCHED_ATOMIC)
		m_flow(m, e->qid, e->lock_id)->held--;
	if (e->sched == DLB_SCHED_ORDERED)
		m_seq_complete(m, e);
}

static void m_op_tokens(struct model *m, u32 pidx, u32 n)
{
	struct m_port *mp = &m->port[pidx];
	bool dir = pidx >= DLB_ENG_MAX_LDB_PORTS;
	struct dlb_qe qe;
	u32 k;

	if (!n)
		return;
	dlb_qe_init_bat_t(&qe, n);
	if (m_send(m, pidx, &qe, true) != 1)
		return;
	mp->owed -= n;
	if (!dir)
		return;
	/* DIR ports: a returned token is the event's completion. */
	for (k = 0; k < n; k++)
		m->ev[mp->held[k]].state = M_DONE;
	memmove(&mp->held[0], &mp->held[n], (mp->nheld - n) * sizeof(u32));
	mp->nheld -= n;
}

static void m_op_consume(struct model *m)
{
	u32 pidx = m_any_port(m);
	struct m_port *mp = &m->port[pidx];

	u32 k, n = 1 + m_below(m, 4);

	if (pidx < DLB_ENG_MAX_LDB_PORTS)
		for (k = 0; k < n && !m->bad; k++)
			m_op_complete(m, pidx, true);
	if (m_below(m, 2))
		m_op_tokens(m, pidx, m_below(m, mp->owed + 1));
}

static void m_op_link(struct model *m)
{
	u32 p, q, prio;
	int ret, want;

	if (!m->cfg.num_ldb_ports)
		return;
	p = m_below(m, m->cfg.num_ldb_ports);
	q = m_below(m, m->cfg.num_ldb_queues);
	prio = m_below(m, 8);
	if (m->linked[p] & (1u << q) && m_below(m, 2)) {
		M_REQ(m, dlb_eng_unlink(m->t->eng, p, q) == 0, "unlink failed");
		m->linked[p] &= ~(1u << q);
		return;
	}
	want = !(m->linked[p] & (1u << q)) &&
	       __builtin_popcount(m->linked[p]) >= DLB_ENG_MAX_LINKS ?
	       -ENOSPC : 0;
	ret = dlb_eng_link(m->t->eng, p, q, prio);
	m->n_links++;
	M_REQ(m, ret == want, "link %u-%u returned %d, expected %d", p, q, ret,
	      want);
	if (!ret)
		m->linked[p] |= 1u << q;
}

static void m_op_reset(struct model *m)
{
	u32 pidx = m_any_port(m), k, n, depth;
	struct m_port *mp = &m->port[pidx];
	struct m_event *e;
	int ret;

	u32 adjusted = 0;

	n = mp->nheld;
	m->n_resets++;
	ret = dlb_eng_port_reset(m->t->eng, m_port_handle(m, pidx));
	M_REQ(m, ret == (int)n, "reset of port %u returned %d, model holds %u",
	      pidx, ret, n);
	for (k = 0; k < n; k++) {
		e = &m->ev[mp->held[k]];
		/* Forwards put back arrive again, in order, from the oldest. */
		if (e->oseq != M_NONE && !(adjusted & (1u << e->oq))) {
			adjusted |= 1u << e->oq;
			m->last_fwd[e->oq] = e->oseq ? e->oseq - 1 : M_NONE;
		}
		e->state = M_STORED;
		m->stored[m_pool(e->sched)]++;
		if (e->sched == DLB_SCHED_ATOMIC)
			m_flow(m, e->qid, e->lock_id)->held--;
	}
	mp->nheld = 0;
	mp->owed = 0;
	dlb_cq_reader_init(&m->t->rd[pidx],
			   dlb_eng_port_cq(m->t->eng, m_port_handle(m, pidx),
					   &depth), depth);
}

/* Compare the engine's counters with the model's. */
static void m_compare(struct model *m)
{
	struct dlb_eng_port_stats st;
	u32 i, pidx, pool;
	s64 want;

	for (i = 0; i < m->cfg.num_ldb_ports + m->cfg.num_dir_ports; i++) {
		pidx = i < m->cfg.num_ldb_ports ? i :
		       DLB_ENG_MAX_LDB_PORTS + i - m->cfg.num_ldb_ports;
		dlb_eng_port_stats(m->t->eng, m_port_handle(m, pidx), &st);
		M_REQ(m, st.cq_occupancy == m->port[pidx].owed,
		      "port %u: cq occupancy %u, model %u", pidx,
		      st.cq_occupancy, m->port[pidx].owed);
		if (pidx < DLB_ENG_MAX_LDB_PORTS)
			M_REQ(m, st.held == m->port[pidx].nheld,
			      "port %u: held %u, model %u", pidx, st.held,
			      m->port[pidx].nheld);
	}
	for (pool = 0; pool < 2; pool++) {
		want = (s64)m_pool_size(m, pool) - m->stored[pool];
		if (want < 0)
			want = 0;
		M_REQ(m, dlb_eng_credits(m->t->eng, pool) == want,
		      "%s credits %u, model %lld", pool ? "dir" : "ldb",
		      dlb_eng_credits(m->t->eng, pool), (long long)want);
	}
	/* What a forced stop of the domain would count as stored. */
	M_REQ(m, dlb_eng_stored(m->t->eng) ==
		 (u64)(m->stored[0] + m->stored[1]),
	      "stored %llu, model %lld",
	      (unsigned long long)dlb_eng_stored(m->t->eng),
	      (long long)(m->stored[0] + m->stored[1]));
	T_CHECK(m->t);
	if (m->t->failed)
		m->bad = 1;
}

/* Stop producing; link every queue somewhere; complete everything. */
static void m_drain(struct model *m)
{
	u32 q, i, pidx, round, all;

	for (q = 0; q < m->cfg.num_ldb_queues && m->cfg.num_ldb_ports; q++) {
		for (i = 0, all = 0; i < m->cfg.num_ldb_ports; i++)
			all |= m->linked[i];
		if (all & (1u << q))
			continue;
		for (i = 0; i < m->cfg.num_ldb_ports; i++) {
			if (__builtin_popcount(m->linked[i]) < DLB_ENG_MAX_LINKS) {
				M_REQ(m, dlb_eng_link(m->t->eng, i, q, 0) == 0,
				      "drain link failed");
				m->linked[i] |= 1u << q;
				break;
			}
		}
	}
	for (round = 0; round < 100000 && !m->bad; round++) {
		if (!m->stored[0] && !m->stored[1]) {
			for (i = 0, all = 0; i < T_NPORTS; i++)
				all |= m->port[i].nheld;
			if (!all)
				break;
		}
		m_op_schedule(m);
		for (i = 0; i < m->cfg.num_ldb_ports + m->cfg.num_dir_ports; i++) {
			pidx = i < m->cfg.num_ldb_ports ? i :
			       DLB_ENG_MAX_LDB_PORTS + i - m->cfg.num_ldb_ports;
			if (pidx < DLB_ENG_MAX_LDB_PORTS)
				while (m->port[pidx].nheld && !m->bad)
					m_op_complete(m, pidx, false);
			m_op_tokens(m, pidx, m->port[pidx].owed);
		}
	}
	if (m->bad)
		return;
	M_REQ(m, !m->stored[0] && !m->stored[1],
	      "drain: %u ldb and %u dir events never delivered", m->stored[0],
	      m->stored[1]);
	for (i = 0; i < m->nev; i++)
		M_REQ(m, m->ev[i].state == M_DONE,
		      "drain: event %u left in state %u", i, m->ev[i].state);
	for (q = 0; q < m->cfg.num_ldb_queues; q++)
		M_REQ(m, dlb_eng_queue_depth(m->t->eng, q) == 0,
		      "drain: queue %u not empty", q);
	M_REQ(m, dlb_eng_credits(m->t->eng, false) == m->cfg.ldb_credits &&
	      dlb_eng_credits(m->t->eng, true) == m->cfg.dir_credits,
	      "drain: credits not all back");
}

static void m_run(struct t_ctx *t, u64 seed, u32 k, u32 ops)
{
	struct dlb_eng_config *cfg;
	struct model *m = calloc(1, sizeof(*m));
	u32 i, r;

	if (!m)
		abort();
	m->t = t;
	m->rng = seed * 0x9e3779b97f4a7c15ull + k + 1;
	m->ev = calloc(M_MAX_EVENTS, sizeof(*m->ev));
	m->port = calloc(T_NPORTS, sizeof(*m->port));
	m->flow = calloc((size_t)DLB_ENG_MAX_LDB_QUEUES * 65536,
			 sizeof(*m->flow));
	m->seq_done = calloc((size_t)DLB_ENG_MAX_LDB_QUEUES * M_MAX_EVENTS, 1);
	if (!m->ev || !m->port || !m->flow || !m->seq_done)
		abort();
	for (i = 0; i < DLB_ENG_MAX_LDB_QUEUES; i++)
		m->last_fwd[i] = M_NONE;
	m_random_config(m, k);
	cfg = malloc(sizeof(*cfg));
	if (!cfg)
		abort();
	*cfg = m->cfg;
	if (t_start(t, cfg)) {
		t_fail(t, __FILE__, __LINE__, "config %u refused", k);
		goto out;
	}
	for (i = 0; i < ops && !m->bad; i++) {
		r = m_below(m, 1000);
		if (r < 300)
			m_op_new(m);
		else if (r < 320)
			m_op_invalid(m);
		else if (r < 550)
			m_op_schedule(m);
		else if (r < 970)
			m_op_consume(m);
		else if (r < 995)
			m_op_link(m);
		else
			m_op_reset(m);
		if (!m->bad && (i % 16 == 0 || i + 1 == ops))
			m_compare(m);
	}
	if (!m->bad)
		m_drain(m);
	if (!m->bad)
		m_compare(m);
	tap_note("config %u: %u/%u/%u ldb queues/ports/dir ports, %u flows; delivered %u atomic %u unordered %u ordered %u directed, %u ordered forwards checked, %u refused, %u link changes, %u resets",
		 k, m->cfg.num_ldb_queues, m->cfg.num_ldb_ports,
		 m->cfg.num_dir_ports, m->nlocks, m->n_deliver[0],
		 m->n_deliver[1], m->n_deliver[2], m->n_deliver[3],
		 m->n_fwd_checked, m->n_refused, m->n_links, m->n_resets);
	if (m->bad)
		tap_note("failed at operation %u of config %u; reproduce with SEED=%llu",
			 i, k, (unsigned long long)seed);
out:
	free(m->ev);
	free(m->port);
	free(m->flow);
	free(m->seq_done);
	free(m);
}

static u64 model_seed;
static u32 model_ops;

#define M_CASE(k)							\
	static void test_model_##k(struct t_ctx *t)			\
	{								\
		m_run(t, model_seed, k, model_ops);			\
	}
M_CASE(0) M_CASE(1) M_CASE(2) M_CASE(3) M_CASE(4) M_CASE(5) M_CASE(6) M_CASE(7)

int test_model_main(int argc, char **argv)
{
	static const struct t_case cases[M_NCONFIGS] = {
		{ "model: small domain, many flows: random traffic keeps every rule (config 0)", test_model_0 },
		{ "model: small domain, scarce credits and inflights, many flows (config 1)", test_model_1 },
		{ "model: larger domain, few flows (config 2)", test_model_2 },
		{ "model: larger domain, scarce credits, few flows (config 3)", test_model_3 },
		{ "model: larger domain, many flows (config 4)", test_model_4 },
		{ "model: larger domain, scarce credits, many flows (config 5)", test_model_5 },
		{ "model: larger domain, few flows, second draw (config 6)", test_model_6 },
		{ "model: larger domain, scarce credits, few flows, second draw (config 7)", test_model_7 },
	};
	const char *s = getenv("SEED");
	const char *o = getenv("MODEL_OPS");

	(void)argc;
	(void)argv;
	model_seed = s ? strtoull(s, NULL, 0) : (u64)time(NULL);
	model_ops = o ? (u32)strtoul(o, NULL, 0) : 5000;
	tap_note("model seed %llu (SEED=%llu reproduces), %u operations per config",
		 (unsigned long long)model_seed, (unsigned long long)model_seed,
		 model_ops);
	return t_run(cases, M_NCONFIGS);
}
