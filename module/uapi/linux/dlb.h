/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dlb.h - the userspace ABI of dlb's data path: the 16-byte queue entry
 * (QE) a port enqueues, the 16-byte dequeue entry the device writes into a
 * port's consumer queue (CQ), and the memory a port device file
 * /dev/dlb/<device>/<domain>/<port> lets its owner map.
 *
 * The QE and dequeue-entry layouts follow DLB 2.0's hardware format, so one
 * application binary can drive the software device and real hardware.
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
 * A mapping must start at one of these offsets and may not extend past its
 * region (EINVAL); the CQ cannot be mapped or mprotect()ed writable.
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
 *    producer either sees the flag or its work is seen.
 *  Consumer (the application), to dequeue:
 *    reads CQ entries in order; entry i belongs to the consumer when its
 *    status byte, loaded with acquire ordering, carries DLB_DEQ_GEN equal
 *    to the generation of the pass over the ring (1 on the first pass after
 *    the port is opened, then alternating). After copying entries out it
 *    adds their number to cq_tokens with release ordering (E), which
 *    returns their CQ slots (the tokens), then does step 4 above.
 *    Returning tokens this way never waits behind QEs in the producer ring.
 *    QE commands with a token (the _T commands, BAT_T) return tokens too:
 *    use one way or the other for a slot, never both.
 *
 * A load-balanced port takes events from its linked queues only while its
 * file is open: events wait in their queues until some linked port is open.
 *
 * Crash rule. When the last reference to a port file goes (close, exit,
 * kill), QEs published in the ring (below prod) are processed as if the
 * port were alive; what the device refuses for lack of credit at that point
 * is discarded and counted. Slots written but not published are ignored.
 * Then every event the port held (delivered and not completed) goes back to
 * its queue for the other linked ports: atomic flows are released, ordered
 * events keep their place in order. The port can then be opened again and
 * starts from zeroed indices and generation 1.
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
	__u32 rsvd3[13];
};

#endif /* _UAPI_LINUX_DLB_H */
