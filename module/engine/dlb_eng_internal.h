/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_eng_internal.h - the scheduling engine's private data structures and
 * the small inline helpers every engine file uses.
 *
 * Why each operation is O(1), independent of the number of ports, queues
 * and flows:
 * - Events live in one preallocated array of slots (a QE plus a next index);
 *   every queue-like structure is an intrusive singly-linked FIFO of slot
 *   indices (head, tail), so push, push-front and pop are O(1) and nothing
 *   is allocated per event. The array is sized so it cannot run out:
 *   credits bound the events stored in queues and reorder buffers, plus at
 *   most one history list (or DIR CQ) worth per port put back by a reset.
 * - Non-empty priority levels are 8-bit masks; the highest priority is a
 *   count-trailing-zeros. Queues with work are a 32-bit mask, LDB ports a
 *   64-bit mask, so choosing among them is a few word operations.
 * - Atomic flows are found by direct indexing: each atomic-capable queue has
 *   a 65536-entry table from lock_id to flow object. Flow objects come from
 *   a preallocated pool through a free list.
 * - Ordered queues keep a ring of sequence numbers: a bitmap of the
 *   completed ones and the forwards they park; release takes runs of
 *   completed ones a 64-bit word at a time, each once (amortised O(1)).
 * - History lists and CQs are rings indexed by free-running counters.
 *
 * Why the constant is small: the per-event work is done in runs, so what
 * can be paid once per run is. A burst of NEW QEs for one queue takes a
 * chain of slots off the free list (already linked in order) and appends
 * it to the queue's FIFO in one step; one table lookup (eng->dest)
 * validates a destination; REL_T and FWD_T runs keep the history position
 * in locals and count completions per run of one queue. A scheduler pick
 * moves up to %DLB_ENG_BATCH events: it takes a run of slots off a FIFO's
 * head and frees it as one chain, and writes CQ and history entries as
 * two 64-bit words each, in stretches that wrap neither ring and share
 * one depth indication. No division or modulo is done per event.
 */
#ifndef DLB_ENG_INTERNAL_H
#define DLB_ENG_INTERNAL_H

#include "dlb_engine.h"

#define DLB_ENG_NIL		0xffffffffu	/* no slot, no flow */
#define DLB_ENG_NUM_FLOW_IDS	65536
#define DLB_ENG_MAX_FLOWS	65535		/* flow table holds index + 1 */
#define DLB_ENG_NUM_LEVELS	4		/* port load levels */
#define DLB_ENG_BATCH		32		/* most events per pick */

/* Credit pools. */
#define DLB_ENG_POOL_LDB	0
#define DLB_ENG_POOL_DIR	1

/**
 * struct dlb_eng_slot - storage for one event waiting in the engine
 * @qe: the event (its cmd byte is not used)
 * @next: next slot in whatever FIFO holds this one, or %DLB_ENG_NIL
 * @sn: a put-back ordered event's sequence number (in a replay FIFO)
 */
struct dlb_eng_slot {
	struct dlb_qe qe;
	u32 next;
	u32 sn;
};

/* A FIFO of slots (or, with struct dlb_eng_flow's next, of flows). */
struct dlb_eng_fifo {
	u32 head;
	u32 tail;
};

/*
 * A FIFO per QE priority and the mask of non-empty ones (first, in the
 * cache line of the highest priorities' FIFOs).
 */
struct dlb_eng_prio_fifo {
	u8 mask;
	struct dlb_eng_fifo f[DLB_NUM_PRIOS];
};

/* Which ready list a flow is on. */
enum dlb_eng_flow_list {
	DLB_ENG_FLOW_IDLE,	/* none: nothing waiting, or parked */
	DLB_ENG_FLOW_UNPINNED,	/* its queue's unpinned list: any port */
	DLB_ENG_FLOW_PINNED,	/* its port's pinned list: that port only */
};

/**
 * struct dlb_eng_flow - one atomic flow with events waiting or held
 * @wait: its waiting events, oldest first
 * @next: next flow in its ready list
 * @prev: previous flow in a pinned list (doubly linked so a flow can leave
 *	it in O(1) when its last held event completes)
 * @nwait: events in @wait
 * @held: events of the flow in @port's history list
 * @lock_id: the flow id
 * @queue: LDB queue
 * @port: the LDB port it is pinned to, meaningful while @held > 0
 * @list: enum dlb_eng_flow_list
 * @prio: the unpinned bucket it is in
 */
struct dlb_eng_flow {
	struct dlb_eng_fifo wait;
	u32 next;
	u32 prev;
	u32 nwait;
	u32 held;
	u16 lock_id;
	u8 queue;
	u8 port;
	u8 list;
	u8 prio;
};

/**
 * struct dlb_eng_queue - an LDB or DIR queue
 * @un: unordered events (DIR queues: all their events)
 * @ord: ordered events not yet given a sequence number
 * @replay: events put back by a port reset, served first
 * @depth: events waiting in the queue (in any of the above or in flows)
 * @thr: depth threshold
 * @ind_thr: depths above ind_thr[k] (k = 1, 2, 3: 50%, 75%, 100% of @thr)
 *	indicate at least k; ind_thr[0] is 0
 * @linked_ports: LDB ports linked to this queue
 * @round_share: events per pick in the current round of picks
 * @round_left: picks left in that round (see dlb_eng_pick_size())
 * @id: index
 * @dir: a DIR queue
 * @pool: its credit pool, %DLB_ENG_POOL_LDB or %DLB_ENG_POOL_DIR
 * @ready: has work any linked port may take (bit in eng->q_ready)
 * @rr: rotates among sources of equal priority
 * @atom_mask: non-empty levels of @atom_head
 * @atom_head: unpinned ready flows per priority of their head event
 * @atom_tail: tails of those lists
 * @arrival: atomic events not yet sorted into flows (inflights full)
 * @narrival: events in @arrival
 * @atomic_limit: atomic inflights; 0: no atomic events
 * @atomic_waiting: atomic events sorted into flows and waiting
 * @flow_of: lock_id -> flow index + 1, or 0
 * @num_seq: sequence numbers; 0: no ordered events
 * @sn_head: oldest sequence number not released (free-running)
 * @sn_next: next sequence number to assign (free-running)
 * @sn_done: reorder buffer: a bit per sequence number (modulo @num_seq),
 *	set when it completed and waits for older ones; then, as many
 *	words again: the bit is set when its completion forwarded an event
 * @sn_fwd: reorder buffer: per sequence number (modulo @num_seq) the slot
 *	its completion forwarded, or %DLB_ENG_NIL (in @sn_done's allocation)
 * @st: counters
 */
struct dlb_eng_queue {
	/* What every event touches first, in the first two cache lines. */
	u32 depth;
	u8 id;
	bool dir;
	u8 pool;
	bool ready;
	u32 ind_thr[4];
	u8 rr;
	u8 atom_mask;
	u32 thr;
	struct dlb_eng_queue_stats st;
	struct dlb_eng_prio_fifo un;

	struct dlb_eng_prio_fifo ord;
	struct dlb_eng_fifo replay;
	u64 linked_ports;
	u32 round_share;
	u32 round_left;

	u32 atom_head[DLB_NUM_PRIOS];
	u32 atom_tail[DLB_NUM_PRIOS];
	struct dlb_eng_fifo arrival;
	u32 narrival;
	u32 atomic_limit;
	u32 atomic_waiting;
	u16 *flow_of;

	u32 num_seq;
	u32 sn_head;
	u32 sn_next;
	u64 *sn_done;
	u32 *sn_fwd;
};

/**
 * struct dlb_eng_hist - a history list entry: an event delivered to an LDB
 * port and not yet completed
 * @qe: the event, kept to put it back on a port reset; its qid and sched
 *	(DLB_META_SCHED() of meta) name its queue and how it completes
 * @ref: atomic: flow index; ordered: sequence number (free-running)
 */
struct dlb_eng_hist {
	struct dlb_qe qe;
	u32 ref;
};

/**
 * struct dlb_eng_port - an LDB or DIR port
 * @cq: CQ ring
 * @cq_mask: depth - 1
 * @cq_depth: entries
 * @cq_widx: entries written since create or reset (free-running)
 * @cq_occ: entries written and not returned by tokens
 * @gen: generation bit of the current pass
 * @own_cq: the engine allocated @cq
 * @armed: see struct dlb_eng_port_stats
 * @dir: a DIR port
 * @id: index
 * @level: load level 0-3, or %DLB_ENG_NUM_LEVELS when it cannot take events
 * @hist: history list ring (LDB)
 * @hist_cap: its entries
 * @hist_head: oldest entry (free-running)
 * @hist_count: entries in use
 * @lvl_thr: held counts at which the load level rises
 * @linkq: LDB queues linked
 * @link_prio: priority of each linked queue
 * @prio_q: LDB queues linked at each priority
 * @prio_used: priorities with at least one link
 * @rr: rotates among linked queues of equal priority
 * @pick_pinned: the last event came from shared work: pinned flows go
 *	first when both wait (they alternate)
 * @pinned_mask: queues with flows pinned here and ready
 * @pin_head: pinned ready flows per queue
 * @pin_tail: tails of those lists
 * @st: counters
 */
struct dlb_eng_port {
	struct dlb_deq *cq;
	u32 cq_mask;
	u32 cq_depth;
	u32 cq_widx;
	u32 cq_occ;
	u8 gen;
	bool own_cq;
	bool armed;
	bool dir;
	u8 id;
	u8 level;

	struct dlb_eng_hist *hist;
	u32 hist_cap;
	u32 hist_head;
	u32 hist_count;
	u32 lvl_thr[DLB_ENG_NUM_LEVELS - 1];

	u32 linkq;
	u8 link_prio[DLB_ENG_MAX_LDB_QUEUES];
	u32 prio_q[DLB_NUM_PRIOS];
	u8 prio_used;
	u8 rr;
	bool pick_pinned;
	u32 pinned_mask;
	u32 pin_head[DLB_ENG_MAX_LDB_QUEUES];
	u32 pin_tail[DLB_ENG_MAX_LDB_QUEUES];

	struct dlb_eng_port_stats st;
};

/**
 * struct dlb_eng - one scheduling domain
 * @nldb_q: LDB queues
 * @nldb_p: LDB ports
 * @ndir: DIR ports and queues
 * @credits: available credits per pool; below zero after a reset put back
 *	more events than the pool had room for (new events are refused until
 *	it is positive again)
 * @pool_size: credits per pool
 * @slots: event storage
 * @nslots: its size
 * @free_slot: free list head
 * @flows: flow pool
 * @nflows: its size
 * @free_flow: free list head (through next)
 * @flow_starved: queues whose sorting stopped for want of a flow object
 * @q_ready: LDB queues with shared work (bit per queue)
 * @ldb_want: LDB ports that may have work; a superset, cleared lazily when
 *	a port is found to have none
 * @ldb_lvl: LDB ports able to take an event, per load level
 * @ldb_rr: last LDB port served
 * @dir_ready: DIR queues with events
 * @dir_open: DIR ports whose CQ has room
 * @dir_rr: last DIR port served
 * @dest: per sched type and qid of a QE, the queue that takes it, or NULL
 *	(not in the domain, or not taking that sched type): one load
 *	validates a new event's destination
 * @ldb_q: LDB queues
 * @dir_q: DIR queues
 * @ldb_p: LDB ports
 * @dir_p: DIR ports
 */
struct dlb_eng {
	u32 nldb_q;
	u32 nldb_p;
	u32 ndir;
	s32 credits[2];
	u32 pool_size[2];

	struct dlb_eng_slot *slots;
	u32 nslots;
	u32 free_slot;

	struct dlb_eng_flow *flows;
	u32 nflows;
	u32 free_flow;
	u32 flow_starved;

	u32 q_ready;
	u64 ldb_want;
	u64 ldb_lvl[DLB_ENG_NUM_LEVELS];
	u32 ldb_rr;
	u64 dir_ready;
	u64 dir_open;
	u32 dir_rr;

	struct dlb_eng_queue *dest[4][256];
	struct dlb_eng_queue ldb_q[DLB_ENG_MAX_LDB_QUEUES];
	struct dlb_eng_queue dir_q[DLB_ENG_MAX_DIR_PORTS];
	struct dlb_eng_port ldb_p[DLB_ENG_MAX_LDB_PORTS];
	struct dlb_eng_port dir_p[DLB_ENG_MAX_DIR_PORTS];
};

static inline u64 dlb_eng_bit64(u32 n)
{
	return (u64)1 << n;
}

static inline u32 dlb_eng_bit32(u32 n)
{
	return (u32)1 << n;
}

/* Index of the first set bit of @mask at or after @from, wrapping. */
static inline u32 dlb_eng_next64(u64 mask, u32 from)
{
	u64 hi = from < 64 ? mask & (~(u64)0 << from) : 0;

	return dlb_env_ctz64(hi ? hi : mask);
}

static inline u32 dlb_eng_next32(u32 mask, u32 from)
{
	u32 hi = from < 32 ? mask & (~(u32)0 << from) : 0;

	return dlb_env_ctz32(hi ? hi : mask);
}

/*
 * The load level an LDB port should be at: %DLB_ENG_NUM_LEVELS when its CQ
 * or history list is full, else how many of its thresholds its held count
 * has reached.
 */
static __always_inline u32 dlb_eng_ldb_level(const struct dlb_eng_port *p)
{
	if (p->cq_occ >= p->cq_depth || p->hist_count >= p->hist_cap)
		return DLB_ENG_NUM_LEVELS;
	return (p->hist_count >= p->lvl_thr[0]) +
	       (p->hist_count >= p->lvl_thr[1]) +
	       (p->hist_count >= p->lvl_thr[2]);
}

/*
 * QEs and dequeue entries as two 64-bit words, so that copies and
 * comparisons are word operations. A mask or value of some fields is
 * built from a record with those fields set (dlb_eng_deq_w1()), so the
 * words mean the same on either byte order; the compiler folds them into
 * constants.
 */
static __always_inline u64 dlb_eng_w0(const void *rec)
{
	u64 v;

	memcpy(&v, rec, sizeof(v));
	return v;
}

static __always_inline u64 dlb_eng_w1(const void *rec)
{
	u64 v;

	memcpy(&v, (const u8 *)rec + sizeof(v), sizeof(v));
	return v;
}

static __always_inline void dlb_eng_put_words(void *rec, u64 w0, u64 w1)
{
	memcpy(rec, &w0, sizeof(w0));
	memcpy((u8 *)rec + sizeof(w0), &w1, sizeof(w1));
}

/* The second word of a dequeue entry (or QE) with just these fields. */
static __always_inline u64 dlb_eng_deq_w1(u16 opaque, u8 qid, u8 meta,
					  u16 lock_id, u8 rsvd, u8 status)
{
	struct dlb_deq d = {
		.opaque = opaque,
		.qid = qid,
		.meta = meta,
		.lock_id = lock_id,
		.rsvd = rsvd,
		.status = status,
	};

	return dlb_eng_w1(&d);
}

static_assert(offsetof(struct dlb_qe, meta) ==
	      offsetof(struct dlb_qe, qid) + 1, "qid and meta are adjacent");

/* The qid and meta bytes of a QE (or dequeue entry) as one 16-bit word. */
static __always_inline u16 dlb_eng_qid_meta_of(const struct dlb_qe *qe)
{
	u16 v;

	/* From the whole QE: the two fields are adjacent. */
	memcpy(&v, (const u8 *)qe + offsetof(struct dlb_qe, qid), sizeof(v));
	return v;
}

/* That word for these values (byte order alike). */
static __always_inline u16 dlb_eng_qid_meta(u8 qid, u8 meta)
{
	struct dlb_qe qe = { .qid = qid, .meta = meta };

	return dlb_eng_qid_meta_of(&qe);
}

static inline void dlb_eng_fifo_init(struct dlb_eng_fifo *f)
{
	f->head = DLB_ENG_NIL;
	f->tail = DLB_ENG_NIL;
}

static inline bool dlb_eng_fifo_empty(const struct dlb_eng_fifo *f)
{
	return f->head == DLB_ENG_NIL;
}

/*
 * Append the chain of slots @first to @last, already linked in order and
 * @last's next %DLB_ENG_NIL, to @f: one step for a run of any length.
 */
static __always_inline void dlb_eng_fifo_append(struct dlb_eng_slot *slots,
						struct dlb_eng_fifo *f,
						u32 first, u32 last)
{
	if (f->tail == DLB_ENG_NIL)
		f->head = first;
	else
		slots[f->tail].next = first;
	f->tail = last;
}

/*
 * One slot at the tail, off the runs' path. It tests the head where
 * dlb_eng_fifo_append() tests the tail (equivalent: both are NIL or
 * neither); written through that helper, its callers (flow and priority
 * pushes) come out a few instructions longer per event in the benchmark.
 */
static inline void dlb_eng_fifo_push(struct dlb_eng *eng,
				     struct dlb_eng_fifo *f, u32 s)
{
	eng->slots[s].next = DLB_ENG_NIL;
	if (f->head == DLB_ENG_NIL)
		f->head = s;
	else
		eng->slots[f->tail].next = s;
	f->tail = s;
}

static inline void dlb_eng_fifo_push_front(struct dlb_eng *eng,
					   struct dlb_eng_fifo *f, u32 s)
{
	eng->slots[s].next = f->head;
	if (f->head == DLB_ENG_NIL)
		f->tail = s;
	f->head = s;
}

/* The FIFO must not be empty. */
static inline u32 dlb_eng_fifo_pop(struct dlb_eng *eng, struct dlb_eng_fifo *f)
{
	u32 s = f->head;

	f->head = eng->slots[s].next;
	if (f->head == DLB_ENG_NIL)
		f->tail = DLB_ENG_NIL;
	return s;
}

static inline u32 dlb_eng_slot_alloc(struct dlb_eng *eng)
{
	u32 s = eng->free_slot;

	if (likely(s != DLB_ENG_NIL))
		eng->free_slot = eng->slots[s].next;
	return s;
}

static inline void dlb_eng_slot_free(struct dlb_eng *eng, u32 s)
{
	eng->slots[s].next = eng->free_slot;
	eng->free_slot = s;
}

static inline u32 dlb_eng_pool_of(u8 sched)
{
	return sched == DLB_SCHED_DIRECTED ? DLB_ENG_POOL_DIR : DLB_ENG_POOL_LDB;
}

/* Whether sequence number @sn of ordered queue @q completed. */
static inline bool dlb_eng_sn_done(const struct dlb_eng_queue *q, u32 sn)
{
	u32 i = sn & (q->num_seq - 1);

	return (q->sn_done[i / 64] >> (i % 64)) & 1;
}

static inline void dlb_eng_prio_push(struct dlb_eng *eng,
				     struct dlb_eng_prio_fifo *pf, u32 s,
				     bool front)
{
	u32 prio = DLB_META_PRIO(eng->slots[s].qe.meta);

	if (front)
		dlb_eng_fifo_push_front(eng, &pf->f[prio], s);
	else
		dlb_eng_fifo_push(eng, &pf->f[prio], s);
	pf->mask |= 1u << prio;
}

/* dlb_eng_fifo_append() to the FIFO of priority @prio of @pf. */
static __always_inline void dlb_eng_prio_append(struct dlb_eng_slot *slots,
						struct dlb_eng_prio_fifo *pf,
						u32 prio, u32 first, u32 last)
{
	dlb_eng_fifo_append(slots, &pf->f[prio], first, last);
	pf->mask |= 1u << prio;
}

/* Pops from the highest non-empty priority; @pf must not be empty. */
static inline u32 dlb_eng_prio_pop(struct dlb_eng *eng,
				   struct dlb_eng_prio_fifo *pf)
{
	u32 prio = dlb_env_ctz32(pf->mask);
	u32 s = dlb_eng_fifo_pop(eng, &pf->f[prio]);

	if (dlb_eng_fifo_empty(&pf->f[prio]))
		pf->mask &= ~(1u << prio);
	return s;
}

/* Whether ordered queue @q has a sequence number free. */
static inline bool dlb_eng_sn_avail(const struct dlb_eng_queue *q)
{
	return q->sn_next - q->sn_head < q->num_seq;
}

/*
 * A queue is "ready" when some linked port could take shared work from it
 * (see dlb_eng_queue.h); when it becomes so, every linked port is marked
 * as possibly having work (eng->ldb_want), one 64-bit OR.
 */
static inline void dlb_eng_queue_update_ready(struct dlb_eng *eng,
					      struct dlb_eng_queue *q)
{
	bool ready = !dlb_eng_fifo_empty(&q->replay) || q->un.mask ||
		     q->atom_mask || (q->ord.mask && dlb_eng_sn_avail(q));

	if (ready == q->ready)
		return;
	q->ready = ready;
	if (ready) {
		eng->q_ready |= dlb_eng_bit32(q->id);
		eng->ldb_want |= q->linked_ports;
	} else {
		eng->q_ready &= ~dlb_eng_bit32(q->id);
	}
}

/**
 * enum dlb_eng_path - the fast paths, for the test that shows each is taken
 * @DLB_ENG_PATH_REL_RUN: REL_T QEs completed as a run
 * @DLB_ENG_PATH_NEW_RUN: NEW QEs for one unordered, ordered or DIR queue
 *	appended as one chain
 * @DLB_ENG_PATH_NEW_FLOW_RUN: NEW atomic QEs made new flows in a run
 * @DLB_ENG_PATH_NEW_SPREAD: NEW QEs spread over LDB queues, one credit check
 * @DLB_ENG_PATH_NEW_SPREAD_DIR: NEW QEs spread over DIR queues
 * @DLB_ENG_PATH_FWD_RUN: FWD_T QEs for one queue done as a run
 * @DLB_ENG_PATH_NEW_FLOW: an atomic event made a new flow on its own
 * @DLB_ENG_PATH_ORD_IN_ORDER: an ordered completion of the oldest sequence
 *	number, with no done one behind it (no reorder buffer walk)
 * @DLB_ENG_PATH_DELIVER_DIR: events delivered to DIR ports as FIFO runs
 * @DLB_ENG_PATH_DELIVER_UN: unordered events delivered as FIFO runs
 * @DLB_ENG_PATH_DELIVER_ORD: ordered events delivered as FIFO runs
 * @DLB_ENG_PATH_DELIVER_ATOMIC: atomic events gathered off unpinned flows
 * @DLB_ENG_PATH_TAKE_SINGLE: events taken one by one from a queue holding
 *	one kind of work, without the general take
 * @DLB_ENG_NUM_PATHS: their number
 *
 * Built with DLB_ENG_COUNT_PATHS (the engine's host unit tests), each fast
 * path adds the events it handled to dlb_eng_path_events[]; in every other
 * build (the module, the benchmark) dlb_eng_path() is empty.
 */
enum dlb_eng_path {
	DLB_ENG_PATH_REL_RUN,
	DLB_ENG_PATH_NEW_RUN,
	DLB_ENG_PATH_NEW_FLOW_RUN,
	DLB_ENG_PATH_NEW_SPREAD,
	DLB_ENG_PATH_NEW_SPREAD_DIR,
	DLB_ENG_PATH_FWD_RUN,
	DLB_ENG_PATH_NEW_FLOW,
	DLB_ENG_PATH_ORD_IN_ORDER,
	DLB_ENG_PATH_DELIVER_DIR,
	DLB_ENG_PATH_DELIVER_UN,
	DLB_ENG_PATH_DELIVER_ORD,
	DLB_ENG_PATH_DELIVER_ATOMIC,
	DLB_ENG_PATH_TAKE_SINGLE,
	DLB_ENG_NUM_PATHS
};

#ifdef DLB_ENG_COUNT_PATHS
extern u64 dlb_eng_path_events[DLB_ENG_NUM_PATHS];

static __always_inline void dlb_eng_path(enum dlb_eng_path path, u32 n)
{
	dlb_eng_path_events[path] += n;
}
#else
static __always_inline void dlb_eng_path(enum dlb_eng_path path, u32 n)
{
	(void)path;
	(void)n;
}
#endif

/* dlb_eng_atomic.c (the per-event part is inline: dlb_eng_atomic.h) */
void dlb_eng_atomic_feed(struct dlb_eng *eng, struct dlb_eng_queue *q);
void dlb_eng_atomic_put_back(struct dlb_eng *eng, struct dlb_eng_queue *q,
			     u32 fi, u32 s);
void dlb_eng_atomic_unpin_all(struct dlb_eng *eng, struct dlb_eng_port *p);
void dlb_eng_atomic_release(struct dlb_eng *eng, struct dlb_eng_queue *q,
			    u32 fi);
void dlb_eng_atomic_unlink(struct dlb_eng *eng, struct dlb_eng_port *p,
			   struct dlb_eng_queue *q);
void dlb_eng_atomic_feed_starved(struct dlb_eng *eng);

/* dlb_eng_ordered.c */
void dlb_eng_ordered_release(struct dlb_eng *eng, struct dlb_eng_queue *q,
			     u32 fwd);

/* dlb_eng_sched.c */
void dlb_eng_port_update_load(struct dlb_eng *eng, struct dlb_eng_port *p);

/* dlb_eng_core.c */
struct dlb_eng_port *dlb_eng_port_get(struct dlb_eng *eng, u32 h);
struct dlb_eng_queue *dlb_eng_queue_get(struct dlb_eng *eng, u32 h);

#endif /* DLB_ENG_INTERNAL_H */
