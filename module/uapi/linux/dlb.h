/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dlb.h - the userspace ABI of dlb's data path: the 16-byte queue entry
 * (QE) a port enqueues, the 16-byte dequeue entry the device writes into a
 * port's consumer queue (CQ), and the memory a port device file
 * /dev/dlb/<device>/<domain>/<port> lets its owner map.
 *
 * Two parts. The QE and dequeue-entry layouts and the command bytes
 * (struct dlb_qe, struct dlb_deq, DLB_CMD_*, DLB_META_*, DLB_DEQ_*) are
 * DLB 2.0's hardware format, so one application binary can build and read
 * entries for the software device and real hardware alike. The producer
 * region (struct dlb_pp_ring and the ring behind it), the ring protocol
 * below and read()/write() of entries are the software device's
 * producer-ring protocol; struct dlb_pp_ring's protocol field says which
 * protocol a port speaks (DLB_PP_PROTO_*). A library that does not know the
 * value it finds there must not drive the port.
 *
 * Regions of a port file, selected by the mmap() offset:
 *
 *   DLB_OFF_PP   the producer region, read-write, DLB_PP_REGION_SIZE bytes:
 *                one page of struct dlb_pp_ring (indices and flags), then a
 *                ring of DLB_PP_ENTRIES struct dlb_qe at DLB_PP_RING_OFFSET.
 *   DLB_OFF_CQ   the CQ, read-only, cq_depth struct dlb_deq (cq_depth is in
 *                struct dlb_pp_ring and in the port's configfs directory),
 *                rounded up to a page.
 *
 * Barriers of the data path, one label each:
 *
 *   (A) producer: stores prod with release ordering; pairs with the
 *       device's acquire load of prod
 *   (B) device: stores cons with release ordering; pairs with the
 *       producer's acquire load of cons
 *   (C) device: a full barrier between setting DLB_PP_NEED_WAKEUP and its
 *       last look at prod and cq_tokens before it sleeps; pairs with (D)
 *   (D) producer or consumer: a full barrier between its store (A) or (E)
 *       and its load of flags; pairs with (C)
 *   (E) consumer: stores cq_tokens with release ordering; pairs with the
 *       device's acquire load of cq_tokens
 *   (F) device: writes a dequeue entry's status byte last, with release
 *       ordering; pairs with (G)
 *   (G) consumer: loads a dequeue entry's status byte first, with acquire
 *       ordering, and the rest of the entry after it; pairs with (F)
 *
 * Ring protocol. Indices are free-running __u32 counters; an entry's slot is
 * the index modulo the ring size. Every counter has exactly one writer,
 * which stores it with one aligned 32-bit store (a C11 atomic store, not a
 * byte copy and not a zero-then-write), so a reader sees only values it
 * wrote. The device ignores an index that cannot be right (prod behind
 * cons or more than DLB_PP_ENTRIES ahead of it, cq_tokens behind or more
 * than cq_depth ahead of what it has taken) until its writer stores a
 * possible one, and counts it in the port's ring_errors statistic: a
 * stray store loses nothing, but the port does not move while it stands.
 * The device never acts on what it finds in the fields it writes (cons,
 * flags, entries, cq_depth, ring_offset, protocol): it keeps its own
 * copies, so an owner that overwrites them misleads only itself.
 *
 *  Producer (the application), to enqueue n QEs:
 *    1. wait until prod - cons + n <= DLB_PP_ENTRIES (cons loaded with
 *       acquire ordering, pairs with (B));
 *    2. write the QEs into slots prod .. prod + n - 1;
 *    3. store prod + n into prod with release ordering            (A)
 *    4. full barrier, then load flags; if DLB_PP_NEED_WAKEUP is set, wake
 *       the device with a zero-length write() on the port file    (D)
 *  Device (the kernel's scheduler thread):
 *    loads prod with acquire ordering (pairs with (A)), copies the published
 *    QEs out, processes them in order and stores cons with release
 *    ordering (B). A QE the device refuses for lack of credit stays at cons
 *    and is retried; the producer sees cons stall. Before going to sleep the
 *    device sets DLB_PP_NEED_WAKEUP in every ring, issues a full barrier and
 *    looks at prod and cq_tokens once more (C, pairs with (D)), so a
 *    producer either sees the flag or its work is seen. The first wake-up
 *    write() clears the flags of every ring again, so producers that
 *    publish before the thread runs make no call of their own.
 *  The scheduling call: a zero-length write() on a port file, step 4's
 *    wake-up call, also runs one scheduling pass over the port's domain in
 *    the caller's context first (what every ring of the domain published
 *    is taken, and events are scheduled into the CQs as far as credits,
 *    CQ room and one pass's budget allow), unless the domain is busy (a
 *    pass or another port's file operation holds it): then the call does
 *    not wait and leaves the work to the thread it wakes. It never blocks
 *    and never fails on a live port. A consumer that finds its CQ empty,
 *    or a producer that finds its ring full, may make it instead of
 *    waiting for the thread: events then move whenever any of the
 *    application's threads runs, at the cost of a system call each time.
 *    A program that makes only step 4's calls is scheduled by the thread
 *    (and by the passes those few calls run).
 *  Consumer (the application), to dequeue:
 *    reads CQ entries in order; entry i belongs to the consumer when its
 *    status byte, loaded with acquire ordering (G, pairs with (F)), carries
 *    DLB_DEQ_GEN equal to the generation of the pass over the ring (1 on
 *    the first pass after the port is opened, then alternating). After
 *    copying entries out it adds their number to cq_tokens with release
 *    ordering (E), which returns their CQ slots (the tokens), then does
 *    step 4 above. Returning tokens this way never waits behind QEs in the
 *    producer ring. QE commands with a token (the _T commands, BAT_T)
 *    return tokens too: use one way or the other for a slot, never both.
 *
 * QEs the device drops. Each QE is checked whole before it takes effect;
 * one that fails a check is consumed (cons moves past it, write() counts
 * it as written), changes nothing, and is counted in the port's statistics
 * (/sys/class/dlb_port/<device>.<domain>.<port>/stats):
 *    dropped_bad_cmd    a command byte not among DLB_CMD_*;
 *    dropped_tokens     it returns more tokens than the CQ has entries not
 *                       yet returned (a BAT_T, or the token of a _T
 *                       command: the whole QE goes, its event too);
 *    dropped_no_held    it completes (REL, REL_T, FWD, FWD_T) but the port
 *                       holds no event: always so on a directed port;
 *    dropped_bad_qid    its event names a queue the domain does not have;
 *    dropped_bad_sched  its event's sched type is one the queue does not
 *                       take (below).
 * A cq_tokens store that returns more tokens than are owed, but no more
 * than cq_depth, is taken as a BAT_T: dropped and counted in
 * dropped_tokens, and the count moves on past it.
 *
 * Sched types each kind of queue takes (the queue's configfs sched_type):
 *
 *    queue              ATOMIC   UNORDERED   ORDERED   DIRECTED
 *    load-balanced,     yes      yes         dropped   (a directed
 *      atomic                                           queue's qid)
 *    load-balanced,     dropped  yes         yes       (idem)
 *      ordered
 *    load-balanced,     dropped  yes         dropped   (idem)
 *      unordered
 *    load-balanced,     yes      yes         yes       (idem)
 *      all
 *    directed           -        -           -         yes
 *
 * A load-balanced queue takes the ordered events when it has sequence
 * numbers and the atomic events when it has atomic inflights, as DLB 2.0's
 * load-balanced queues do: sched_type all gives it both, so each event is
 * scheduled by the type its own QE carries (the sched bits of meta), mixed
 * freely on one queue: its atomic events keep their flows, its ordered
 * events their order, as on a queue of one type. Priority still comes
 * first; among the waiting events of equal priority, the types take turns
 * (arrival order holds within a type, not across types).
 *
 * The sched field selects the namespace of qid: DLB_SCHED_DIRECTED names a
 * directed queue, the other three a load-balanced queue, so a directed
 * queue takes only directed events and a directed event never reaches a
 * load-balanced queue. An event is scheduled with the sched type it was
 * enqueued with: an unordered event on an atomic queue is spread over the
 * ports with no flow pinning.
 *
 * Priority. A QE's priority (0 highest, 7 lowest) orders the events waiting
 * in one queue: the higher priority first, arrival order among equals. The
 * events of one atomic flow keep their arrival order whatever their
 * priorities: the priority of the flow's oldest waiting event is the
 * flow's. Which queue a port serves first is the link's priority
 * (configfs), not the QE's. An ordered queue gives an event its sequence number when it
 * schedules it to a port, so the "original order" its forwards are put
 * back into is the order in which the queue handed the events out, the
 * priority order above, not the order they were enqueued in.
 *
 * read() and write(). A program without mmap moves whole entries through
 * the port file. write() takes whole QEs (a multiple of 16 bytes), as if
 * published in the ring, and returns the bytes of those consumed, accepted
 * or dropped; it stops at the first QE refused for lack of credit. A
 * zero-length write() is the scheduling call (above; step 4's wake-up is
 * one). read() copies
 * whole dequeue entries, starting at the CQ's position: the oldest entry
 * whose token has not come back, however tokens came back (cq_tokens, a
 * QE with a token, read() itself). It returns the tokens of the entries
 * that reached the caller's buffer and only those: an entry it could not
 * copy stays in the CQ. So read() and the mapping share one position: a
 * consumer that takes entries through the mapping returns their tokens
 * before it calls read(), or read() returns those entries again. Unless
 * the file is O_NONBLOCK, read() first waits until the CQ holds the port's
 * cq_depth_threshold entries, as poll() does (EPOLLIN; EPOLLOUT while the
 * producer ring has room).
 *
 * Refusals. A refused call changes nothing:
 *    open()    EACCES  not the domain's uid or gid (also through a copy
 *                      of the node made elsewhere), without
 *                      CAP_DAC_OVERRIDE;
 *              EBUSY   the port is open already (one file at a time);
 *              ENODEV  the domain stopped, or is being force-stopped.
 *    mmap()    EINVAL  an offset other than DLB_OFF_PP or DLB_OFF_CQ, or
 *                      a length past the region;
 *              EACCES  the CQ mapped writable; mprotect() making it
 *                      writable later fails with EACCES too.
 *    read()    EINVAL  a length not a multiple of 16 (0 reads nothing);
 *              EAGAIN  O_NONBLOCK and no entry to read;
 *              EFAULT  no entry reached the buffer (none is taken);
 *              EINTR   a signal came while it waited (or restarts).
 *    write()   EINVAL  a length not a multiple of 16;
 *              EFAULT  the first QEs could not be read from the buffer;
 *              EAGAIN  the first QE was refused for lack of credit.
 * A file a forced stop revoked fails every call with ENODEV (poll():
 * EPOLLERR | EPOLLHUP; its mappings raise SIGBUS).
 *
 * A load-balanced port takes events from its linked queues only while its
 * file is open: events wait in their queues until some linked port is open.
 *
 * Crash rule. When the last reference to a port file goes (close, exit,
 * kill), the device first takes what the owner stored in the ring page,
 * as if the port were alive: the tokens counted in cq_tokens (those
 * entries are finished and never come back), then the QEs published in the
 * ring (below prod), in order. The first QE refused for lack of credit
 * and every QE behind it are discarded and counted (the port's discarded
 * statistic), whatever their command: a REL or FWD behind it does not
 * complete its event, which therefore goes back as held. Slots written but
 * not published are ignored. Then every event the port held (delivered and
 * not completed: on a load-balanced port, not released; on a directed port,
 * its token not returned) goes back to its queue for the other linked
 * ports: atomic flows are released, ordered events keep their place in
 * order. The port can then be opened again and starts from zeroed indices
 * and generation 1. A forced stop takes cq_tokens and the published QEs
 * the same way before it counts what it drops.
 */
#ifndef _UAPI_LINUX_DLB_H
#define _UAPI_LINUX_DLB_H

#include <linux/types.h>

/**
 * enum dlb_sched_type - scheduling types, the 2-bit sched field of a QE
 * @DLB_SCHED_ATOMIC: events of one flow (queue, lock_id) are on at most one
 *	port at a time
 * @DLB_SCHED_UNORDERED: spread over ports, no ordering
 * @DLB_SCHED_ORDERED: spread over ports, original order restored when the
 *	consumers forward them
 * @DLB_SCHED_DIRECTED: to a directed queue, which feeds one port
 *
 * The sched field also selects the queue namespace of qid:
 * %DLB_SCHED_DIRECTED names a directed queue, the others a load-balanced
 * queue.
 */
enum dlb_sched_type {
	DLB_SCHED_ATOMIC	= 0,
	DLB_SCHED_UNORDERED	= 1,
	DLB_SCHED_ORDERED	= 2,
	DLB_SCHED_DIRECTED	= 3,
};

/* QE priorities: 0 is the highest, 7 the lowest. */
#define DLB_NUM_PRIOS		8

/* Bits of the command byte. */
#define DLB_CMD_CQ_TOKEN	0x01	/* returns CQ token(s) */
#define DLB_CMD_QE_COMP		0x02	/* completes the oldest held event */
#define DLB_CMD_QE_FRAG		0x04	/* with CQ_TOKEN alone: arm interrupt */
#define DLB_CMD_QE_VALID	0x08	/* carries a new event */

/* The command bytes a port may send; any other byte is invalid. */
#define DLB_CMD_NOOP	0x00	/* nothing */
#define DLB_CMD_BAT_T	0x01	/* return lock_id + 1 CQ tokens */
#define DLB_CMD_REL	0x02	/* complete (release) the oldest held event */
#define DLB_CMD_REL_T	0x03	/* REL + return one token */
#define DLB_CMD_ARM	0x05	/* arm the CQ interrupt */
#define DLB_CMD_NEW	0x08	/* enqueue a new event */
#define DLB_CMD_NEW_T	0x09	/* NEW + return one token */
#define DLB_CMD_FWD	0x0A	/* NEW + REL: forward the oldest held event */
#define DLB_CMD_FWD_T	0x0B	/* FWD + return one token */

/* Packing of the meta byte, shared by struct dlb_qe and struct dlb_deq. */
#define DLB_META_SCHED_MASK	0x03
#define DLB_META_PRIO_SHIFT	2
#define DLB_META_PRIO_MASK	0x1c
#define DLB_META_MSG_SHIFT	5
#define DLB_META_MSG_MASK	0xe0
#define DLB_META(sched, prio, msg_type)					\
	((__u8)(((sched) & 3) | (((prio) & 7) << DLB_META_PRIO_SHIFT) |	\
		(((msg_type) & 7) << DLB_META_MSG_SHIFT)))
#define DLB_META_SCHED(meta)	((meta) & DLB_META_SCHED_MASK)
#define DLB_META_PRIO(meta)	(((meta) & DLB_META_PRIO_MASK) >> DLB_META_PRIO_SHIFT)
#define DLB_META_MSG(meta)	(((meta) & DLB_META_MSG_MASK) >> DLB_META_MSG_SHIFT)

/**
 * struct dlb_qe - a queue entry, written by a producer port
 * @data: the event's payload, opaque to the device
 * @opaque: more payload, opaque to the device
 * @qid: destination queue; a directed queue if the sched field is
 *	%DLB_SCHED_DIRECTED, else a load-balanced queue; numbered within the
 *	scheduling domain (the queue's configfs id)
 * @meta: sched (bits 1:0), priority (bits 4:2), msg_type (bits 7:5); see
 *	DLB_META()
 * @lock_id: the flow of an atomic event; for %DLB_CMD_BAT_T the number of
 *	tokens returned minus one
 * @rsvd: reserved, ignored
 * @cmd: one of the DLB_CMD_* command bytes
 *
 * A QE naming a queue the port's domain does not have, or a sched type the
 * queue does not take, is dropped and counted on the port.
 */
struct dlb_qe {
	__u64 data;
	__u16 opaque;
	__u8 qid;
	__u8 meta;
	__u16 lock_id;
	__u8 rsvd;
	__u8 cmd;
};

/* Bits of the status byte of a dequeue entry. */
#define DLB_DEQ_GEN		0x01	/* flips on every wrap of the CQ */
#define DLB_DEQ_DEPTH_SHIFT	1
#define DLB_DEQ_DEPTH_MASK	0x06	/* queue depth indication, below */
#define DLB_DEQ_DEPTH(status)	(((status) & DLB_DEQ_DEPTH_MASK) >> DLB_DEQ_DEPTH_SHIFT)

/*
 * Queue depth indication: the depth of the event's queue when it was
 * scheduled, relative to the queue's depth_threshold.
 */
#define DLB_DEPTH_LE_50		0	/* at most 50% */
#define DLB_DEPTH_LE_75		1	/* more than 50%, at most 75% */
#define DLB_DEPTH_LE_100	2	/* more than 75%, at most 100% */
#define DLB_DEPTH_GT_100	3	/* more than the threshold */

/**
 * struct dlb_deq - a dequeue entry, written by the device into a CQ
 * @data: the event's payload, as enqueued
 * @opaque: as enqueued
 * @qid: the queue the event was scheduled from (namespace given by the
 *	sched field of @meta)
 * @meta: sched, priority and msg_type, as enqueued
 * @lock_id: the event's flow id, as enqueued
 * @rsvd: zero
 * @status: %DLB_DEQ_GEN and the depth indication. The device writes this
 *	byte last, with release ordering; a consumer reads it first, with
 *	acquire ordering, and owns the entry when its generation bit has the
 *	value expected for the current pass over the ring (1 on the first
 *	pass after the CQ is created or reset, then alternating).
 *
 * Consumers never write a CQ; they return its slots with CQ tokens.
 */
struct dlb_deq {
	__u64 data;
	__u16 opaque;
	__u8 qid;
	__u8 meta;
	__u16 lock_id;
	__u8 rsvd;
	__u8 status;
};

/* mmap() offsets of a port file's regions, in bytes (io_uring style). */
#define DLB_OFF_PP		0x0ULL
#define DLB_OFF_CQ		0x10000000ULL

/* Producer ring: a 4 KiB window of QEs, like a hardware producer port. */
#define DLB_PP_ENTRIES		256
#define DLB_PP_RING_OFFSET	4096
#define DLB_PP_REGION_SIZE	(DLB_PP_RING_OFFSET + DLB_PP_ENTRIES * 16)

/*
 * Values of struct dlb_pp_ring's protocol: the producer-ring protocol of
 * this header (the ring of DLB_PP_ENTRIES QEs with the prod, cons and
 * cq_tokens indices and the need-wakeup flag), version 1. 0 is never used.
 */
#define DLB_PP_PROTO_SW_V1	1

/* Bits of struct dlb_pp_ring's flags. */
#define DLB_PP_NEED_WAKEUP	0x1	/* the scheduler thread is asleep */

/**
 * struct dlb_pp_ring - the first page of the producer region
 * @prod: written by the producer: QEs published, free-running (A)
 * @rsvd0: reserved, zero
 * @cons: written by the device: QEs consumed, free-running (B)
 * @flags: written by the device: DLB_PP_* bits
 * @rsvd1: reserved, zero
 * @cq_tokens: written by the consumer: CQ entries it is done with,
 *	free-running; each increment returns one CQ token (E)
 * @rsvd2: reserved, zero
 * @entries: written by the device, constant: %DLB_PP_ENTRIES
 * @cq_depth: written by the device, constant: entries of the CQ
 * @ring_offset: written by the device, constant: %DLB_PP_RING_OFFSET
 * @protocol: written by the device, constant: the producer-ring protocol
 *	the port speaks, a DLB_PP_PROTO_* value
 * @rsvd3: reserved, zero
 *
 * Each writer's fields sit in their own 64-byte cache line.
 */
struct dlb_pp_ring {
	__u32 prod;
	__u32 rsvd0[15];
	__u32 cons;
	__u32 flags;
	__u32 rsvd1[14];
	__u32 cq_tokens;
	__u32 rsvd2[15];
	__u32 entries;
	__u32 cq_depth;
	__u32 ring_offset;
	__u32 protocol;
	__u32 rsvd3[12];
};

#endif /* _UAPI_LINUX_DLB_H */
