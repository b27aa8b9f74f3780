/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_engine.h - the public interface of the scheduling engine: the software
 * device's scheduler with DLB 2.0 semantics.
 *
 * One engine instance is one scheduling domain: its load-balanced (LDB)
 * queues, directed (DIR) queues, LDB and DIR ports, and its two credit
 * pools. The same source builds into dlb.ko and into userspace tests,
 * fuzzers and benchmarks; it reaches its environment only through
 * dlb_engine_env.h.
 *
 * Threading: an engine is single-threaded. The caller serialises every call
 * on one instance (in the kernel: the scheduler thread or a domain lock);
 * the engine takes no locks. Different instances are independent. The only
 * memory shared with another thread is a CQ ring, which the engine writes
 * with release ordering and consumers read (see dlb_cq.h).
 *
 * Memory: everything is allocated by dlb_eng_create(), sized by the
 * configuration; no later call allocates (but the test-only
 * dlb_eng_check()), so none fails for memory.
 *
 * Cost: O(1) per event, independent of the number of ports, queues and
 * flows; dlb_eng_internal.h explains the data structures that make it so.
 *
 * Ports and queues are named by a u32 handle: LDB port/queue n is n, DIR
 * port/queue n is DLB_ENG_DIR(n). DIR queue n feeds DIR port n only.
 *
 * Semantics in brief (each is detailed where it is implemented):
 * - An enqueued NEW or FWD takes one credit from the pool of its destination
 *   queue's type; without credit the QE is refused: dlb_eng_enqueue() stops
 *   there and the producer keeps the QE. The credit returns when the event
 *   is written into a CQ.
 * - Events are scheduled into a port's CQ while the CQ has a free slot
 *   (occupancy = written - tokens returned < cq_depth) and, for an LDB port,
 *   while its history list (events delivered but not completed) has room.
 * - A port serves the highest-priority (0 = highest) linked queue that has
 *   work for it, round robin among links of equal priority; within a queue,
 *   higher QE priority first. Among ports that can take an event, the least
 *   loaded (by history occupancy, in quarters) is preferred, round robin
 *   among equals. One pick gives a port at most its fair share of the
 *   queue's depth (as it was when the current round of picks over the
 *   ports began) and never lifts it past its load quarter, so bursts
 *   spread evenly and a less loaded port is never passed over.
 * - Completions (REL, FWD) always complete the port's oldest held event.
 *   Atomic: a flow (queue, lock_id) has events at one port at a time and
 *   moves only when it has none held there. Ordered: the event gets a
 *   sequence number when scheduled; what its completion forwards leaves in
 *   sequence order; a REL without forward frees the position.
 * - Invalid QEs are consumed, counted per port by reason, and change nothing.
 */
#ifndef DLB_ENGINE_H
#define DLB_ENGINE_H

#include "dlb_engine_env.h"
#include "dlb_qe.h"

static_assert(sizeof(struct dlb_qe) == 16, "a QE is 16 bytes");
static_assert(sizeof(struct dlb_deq) == 16, "a dequeue entry is 16 bytes");

/* Limits of one domain (DLB 2.0's device totals bound them further). */
#define DLB_ENG_MAX_LDB_QUEUES	32
#define DLB_ENG_MAX_LDB_PORTS	64
#define DLB_ENG_MAX_DIR_PORTS	64	/* each with its DIR queue */
#define DLB_ENG_MAX_LINKS	8	/* queues linked to one LDB port */
#define DLB_ENG_MAX_CQ_DEPTH	1024
#define DLB_ENG_MIN_SEQ		64	/* sequence numbers of an ordered queue */
#define DLB_ENG_MAX_SEQ		1024
#define DLB_ENG_MAX_HIST	4096	/* history list entries of one port */
#define DLB_ENG_MAX_ATOMIC	4096	/* atomic inflights of one queue */
#define DLB_ENG_MAX_CREDITS	65536	/* of one pool */
#define DLB_ENG_DEF_DEPTH_THRESHOLD 256

/* Handles of directed ports and queues; LDB handles are plain indices. */
#define DLB_ENG_DIR_FLAG	0x100u
#define DLB_ENG_DIR(n)		((u32)(n) | DLB_ENG_DIR_FLAG)
#define DLB_ENG_IS_DIR(h)	(((h) & DLB_ENG_DIR_FLAG) != 0)
#define DLB_ENG_INDEX(h)	((h) & ~DLB_ENG_DIR_FLAG)

/**
 * struct dlb_eng_queue_config - one queue
 * @depth_threshold: depth at which the depth indication reads 100%;
 *	0 selects %DLB_ENG_DEF_DEPTH_THRESHOLD
 * @num_seq: LDB only: sequence numbers, 0 (no ordered events accepted) or a
 *	power of two in [%DLB_ENG_MIN_SEQ, %DLB_ENG_MAX_SEQ]; bounds the reorder
 *	window: at most this many ordered events of the queue are scheduled
 *	and not yet released in order
 * @atomic_inflights: LDB only: 0 (no atomic events accepted) or up to
 *	%DLB_ENG_MAX_ATOMIC; atomic events of the queue sorted into flows and
 *	waiting for a port. Further atomic events wait unsorted, in arrival
 *	order, until room frees.
 */
struct dlb_eng_queue_config {
	u32 depth_threshold;
	u32 num_seq;
	u32 atomic_inflights;
};

/**
 * struct dlb_eng_link - a queue linked to an LDB port
 * @queue: LDB queue index
 * @prio: 0 (highest) to 7
 */
struct dlb_eng_link {
	u8 queue;
	u8 prio;
};

/**
 * struct dlb_eng_port_config - one port
 * @cq_depth: CQ entries, a power of two in [1, %DLB_ENG_MAX_CQ_DEPTH]
 * @hist_list_size: LDB only: history list entries, >= @cq_depth and
 *	<= %DLB_ENG_MAX_HIST; 0 selects @cq_depth
 * @num_links: LDB only: entries used in @links
 * @links: LDB only: the queues linked at start; no queue twice
 * @cq_mem: @cq_depth dequeue entries, zeroed, owned by the caller and
 *	valid until dlb_eng_destroy(); NULL: the engine allocates them.
 *	Consumers only read it (a DIR port reset reads entries back; a
 *	consumer that writes it only corrupts its own payloads).
 */
struct dlb_eng_port_config {
	u32 cq_depth;
	u32 hist_list_size;
	u32 num_links;
	struct dlb_eng_link links[DLB_ENG_MAX_LINKS];
	struct dlb_deq *cq_mem;
};

/**
 * struct dlb_eng_config - one scheduling domain
 * @num_ldb_queues: LDB queues used in @ldb_queues
 * @num_ldb_ports: LDB ports used in @ldb_ports
 * @num_dir_ports: DIR ports (and DIR queues) used in @dir_ports and
 *	@dir_queues
 * @ldb_credits: LDB credit pool: events stored in LDB queues and reorder
 *	buffers at once, at most %DLB_ENG_MAX_CREDITS
 * @dir_credits: DIR credit pool, likewise for DIR queues
 * @ldb_queues: LDB queue attributes
 * @dir_queues: DIR queue attributes (only depth_threshold applies)
 * @ldb_ports: LDB port attributes
 * @dir_ports: DIR port attributes
 *
 * About 7 KiB: allocate it, do not put it on a kernel stack.
 */
struct dlb_eng_config {
	u32 num_ldb_queues;
	u32 num_ldb_ports;
	u32 num_dir_ports;
	u32 ldb_credits;
	u32 dir_credits;
	struct dlb_eng_queue_config ldb_queues[DLB_ENG_MAX_LDB_QUEUES];
	struct dlb_eng_queue_config dir_queues[DLB_ENG_MAX_DIR_PORTS];
	struct dlb_eng_port_config ldb_ports[DLB_ENG_MAX_LDB_PORTS];
	struct dlb_eng_port_config dir_ports[DLB_ENG_MAX_DIR_PORTS];
};

/**
 * enum dlb_eng_drop - why an invalid QE was dropped
 * @DLB_ENG_DROP_BAD_CMD: unknown command byte
 * @DLB_ENG_DROP_BAD_QID: destination queue not in the domain
 * @DLB_ENG_DROP_BAD_SCHED: the queue does not take this sched type (ordered
 *	without sequence numbers, atomic without atomic inflights)
 * @DLB_ENG_DROP_TOKENS: returns more CQ tokens than the port holds
 * @DLB_ENG_DROP_NO_HELD: completes an event but the port holds none (always
 *	so on a DIR port, which has no history list)
 * @DLB_ENG_NUM_DROPS: number of reasons
 */
enum dlb_eng_drop {
	DLB_ENG_DROP_BAD_CMD,
	DLB_ENG_DROP_BAD_QID,
	DLB_ENG_DROP_BAD_SCHED,
	DLB_ENG_DROP_TOKENS,
	DLB_ENG_DROP_NO_HELD,
	DLB_ENG_NUM_DROPS,
};

/**
 * struct dlb_eng_port_stats - counters and state of one port
 * @enqueued: events accepted from this port (NEW and FWD)
 * @refused: QEs refused for lack of credit (each retry counts again)
 * @dropped: invalid QEs consumed, by enum dlb_eng_drop
 * @scheduled: events written into this port's CQ
 * @completed: held events completed (REL and FWD)
 * @tokens: CQ tokens returned
 * @resets: dlb_eng_port_reset() calls
 * @rescheduled: events taken back from this port by resets
 * @cq_occupancy: CQ entries written and not yet returned by tokens
 * @held: LDB: events in the history list (delivered, not completed)
 * @armed: the consumer armed the CQ interrupt (%DLB_CMD_ARM) and no event
 *	was written since
 */
struct dlb_eng_port_stats {
	u64 enqueued;
	u64 refused;
	u64 dropped[DLB_ENG_NUM_DROPS];
	u64 scheduled;
	u64 completed;
	u64 tokens;
	u64 resets;
	u64 rescheduled;
	u32 cq_occupancy;
	u32 held;
	bool armed;
};

/**
 * struct dlb_eng_queue_stats - counters and state of one queue
 * @enqueued: events accepted into this queue (for ordered forwards: when
 *	released from the reorder buffer into it)
 * @refused: QEs for this queue refused for lack of credit
 * @dropped: QEs for this queue dropped because it does not take their
 *	sched type (%DLB_ENG_DROP_BAD_SCHED; also counted at their port)
 * @scheduled: events scheduled from this queue into CQs
 * @completed: LDB: events of this queue completed by their port
 * @rescheduled: events of this queue put back by port resets
 * @depth: events waiting in the queue (not yet in a CQ)
 * @atomic_inflights: LDB: atomic events sorted into flows and waiting
 * @reorder_pending: LDB: sequence numbers assigned and not yet released
 */
struct dlb_eng_queue_stats {
	u64 enqueued;
	u64 refused;
	u64 dropped;
	u64 scheduled;
	u64 completed;
	u64 rescheduled;
	u32 depth;
	u32 atomic_inflights;
	u32 reorder_pending;
};

struct dlb_eng;

/**
 * dlb_eng_create() - create an engine for one scheduling domain
 * @cfg: the domain; read only during the call (except @cfg's cq_mem
 *	pointers, kept)
 * @engp: set to the new engine on success
 * @why: on -EINVAL, a one-line reason is written here (may be NULL)
 * @why_len: size of @why
 *
 * Context: process context; may sleep (allocates).
 * Return: 0, -EINVAL for an invalid configuration, -ENOMEM.
 */
int dlb_eng_create(const struct dlb_eng_config *cfg, struct dlb_eng **engp,
		   char *why, size_t why_len);

/**
 * dlb_eng_destroy() - free an engine and everything it allocated
 * @eng: the engine, or NULL
 *
 * Caller-provided CQ memory is not touched.
 *
 * Context: process context.
 */
void dlb_eng_destroy(struct dlb_eng *eng);

/**
 * dlb_eng_enqueue() - process QEs written by a port
 * @eng: the engine
 * @port: the producer port's handle
 * @qes: the QEs, processed in order; they must not change during the
 *	call (copy QEs out of memory shared with userspace first)
 * @n: number of QEs, at most INT_MAX
 *
 * Each QE's token return, completion and new event take effect together or
 * not at all. A valid QE that carries a new event but finds its credit pool
 * empty is refused: processing stops before it. Invalid QEs are consumed,
 * counted in the port's dropped[] and have no other effect.
 *
 * Context: any; the caller serialises calls on @eng.
 * Return: number of QEs consumed (accepted or dropped), from 0 to @n; the
 * QE at that index, if any, was refused for lack of credit. -EINVAL if
 * @port is not a port of the domain.
 */
int dlb_eng_enqueue(struct dlb_eng *eng, u32 port, const struct dlb_qe *qes,
		    u32 n);

/**
 * dlb_eng_schedule() - move events from queues into CQs
 * @eng: the engine
 * @budget: at most this many events are moved
 *
 * Context: any; the caller serialises calls on @eng.
 * Return: number of events written into CQs; less than @budget means no
 * more can be moved until ports enqueue, complete or return tokens.
 */
u32 dlb_eng_schedule(struct dlb_eng *eng, u32 budget);

/**
 * dlb_eng_link() - link an LDB queue to an LDB port, or change its priority
 * @eng: the engine
 * @port: LDB port handle
 * @queue: LDB queue handle
 * @prio: 0 (highest) to 7
 *
 * Takes effect at the next schedule. Flows of @queue pinned to @port while
 * it was unlinked stay unschedulable to it until they complete there.
 *
 * Context: any; the caller serialises calls on @eng.
 * Return: 0; -EINVAL for a bad handle or priority; -ENOSPC if @port has
 * %DLB_ENG_MAX_LINKS links already.
 */
int dlb_eng_link(struct dlb_eng *eng, u32 port, u32 queue, u32 prio);

/**
 * dlb_eng_unlink() - unlink an LDB queue from an LDB port while running
 * @eng: the engine
 * @port: LDB port handle
 * @queue: LDB queue handle
 *
 * No new event of @queue is scheduled to @port afterwards. Events already
 * in the port's CQ or history list stay and complete normally; atomic flows
 * of @queue pinned to @port keep their waiting events until their held
 * events complete there, then move to another linked port; ordered events
 * keep their sequence numbers.
 *
 * Context: any; the caller serialises calls on @eng.
 * Return: 0; -EINVAL for a bad handle; -ENOENT if not linked.
 */
int dlb_eng_unlink(struct dlb_eng *eng, u32 port, u32 queue);

/**
 * dlb_eng_port_reset() - take back everything a port holds
 * @eng: the engine
 * @port: port handle
 *
 * For a consumer that died. LDB port: every held event (in the CQ or
 * delivered, not completed) goes back to its queue ahead of newer events,
 * to be scheduled to other linked ports: atomic flows are released, ordered
 * events keep their sequence numbers so order is still restored. DIR port:
 * CQ entries not yet returned by tokens go back to the head of its queue.
 * The port's CQ is then empty and zeroed (a consumer restarts at entry 0,
 * generation 1); its links remain; it is usable again. Events put back take
 * no credit.
 *
 * Context: any; the caller serialises calls on @eng.
 * Return: number of events taken back; -EINVAL for a bad handle.
 */
int dlb_eng_port_reset(struct dlb_eng *eng, u32 port);

/**
 * dlb_eng_port_cq() - a port's CQ ring
 * @eng: the engine
 * @port: port handle
 * @depth: set to the number of entries (may be NULL)
 *
 * Context: any.
 * Return: the ring, or NULL for a bad handle.
 */
struct dlb_deq *dlb_eng_port_cq(struct dlb_eng *eng, u32 port, u32 *depth);

/**
 * dlb_eng_port_stats() - read a port's counters
 * @eng: the engine
 * @port: port handle
 * @st: filled in
 *
 * Context: any; the caller serialises calls on @eng.
 * Return: 0, or -EINVAL for a bad handle.
 */
int dlb_eng_port_stats(const struct dlb_eng *eng, u32 port,
		       struct dlb_eng_port_stats *st);

/**
 * dlb_eng_queue_stats() - read a queue's counters
 * @eng: the engine
 * @queue: queue handle
 * @st: filled in
 *
 * Context: any; the caller serialises calls on @eng.
 * Return: 0, or -EINVAL for a bad handle.
 */
int dlb_eng_queue_stats(const struct dlb_eng *eng, u32 queue,
			struct dlb_eng_queue_stats *st);

/**
 * dlb_eng_queue_depth() - events waiting in a queue
 * @eng: the engine
 * @queue: queue handle
 *
 * Context: any; the caller serialises calls on @eng.
 * Return: the depth, 0 for a bad handle.
 */
u32 dlb_eng_queue_depth(const struct dlb_eng *eng, u32 queue);

/**
 * dlb_eng_credits() - credits left in a pool
 * @eng: the engine
 * @dir: the DIR pool rather than the LDB pool
 *
 * Context: any; the caller serialises calls on @eng.
 * Return: available credits.
 */
u32 dlb_eng_credits(const struct dlb_eng *eng, bool dir);

/**
 * dlb_eng_stored() - events stored in queues and reorder buffers
 * @eng: the engine
 *
 * Everything charged to the credit pools: events waiting in queues or
 * flows, and forwards waiting in a reorder buffer for their turn. Events
 * in CQs or held by ports are not stored.
 *
 * Context: any; the caller serialises calls on @eng.
 * Return: the number of events, both pools together.
 */
u64 dlb_eng_stored(const struct dlb_eng *eng);

/**
 * dlb_eng_check() - verify the domain's invariants
 * @eng: the engine
 * @why: on failure, a one-line description is written here (may be NULL)
 * @why_len: size of @why
 *
 * Walks every structure: credits, tokens, history lists, flows, sequence
 * numbers and storage are conserved and consistent. Cost is linear in the
 * domain's size: for tests and fuzzers, not the data path.
 *
 * Context: process context (allocates a scratch table); the caller
 * serialises calls on @eng.
 * Return: 0 if consistent, -EFAULT otherwise, -ENOMEM.
 */
int dlb_eng_check(const struct dlb_eng *eng, char *why, size_t why_len);

#endif /* DLB_ENGINE_H */
