/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dlb_qe.h - the two 16-byte records that cross between producers, the
 * scheduling engine and consumers: the queue entry (QE) a port enqueues and
 * the dequeue entry the engine writes into a port's consumer queue (CQ).
 *
 * The layouts follow DLB 2.0's hardware format so that one application
 * binary can drive the software device and real hardware alike. This header
 * uses only fixed-width __u types so that it can become the uapi header
 * unchanged; nothing here depends on the engine.
 */
#ifndef DLB_QE_H
#define DLB_QE_H

#include <linux/types.h>

/*
 * Scheduling types, the 2-bit sched field of a QE. The sched field also
 * selects the queue namespace of qid: DLB_SCHED_DIRECTED names a directed
 * queue, the other three a load-balanced queue.
 */
#define DLB_SCHED_ATOMIC	0
#define DLB_SCHED_UNORDERED	1
#define DLB_SCHED_ORDERED	2
#define DLB_SCHED_DIRECTED	3

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
 *	scheduling domain
 * @meta: sched (bits 1:0), priority (bits 4:2), msg_type (bits 7:5); see
 *	DLB_META()
 * @lock_id: the flow of an atomic event; for %DLB_CMD_BAT_T the number of
 *	tokens returned minus one
 * @rsvd: reserved, ignored
 * @cmd: one of the DLB_CMD_* command bytes
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

_Static_assert(sizeof(struct dlb_qe) == 16, "struct dlb_qe is 16 bytes");
_Static_assert(sizeof(struct dlb_deq) == 16, "struct dlb_deq is 16 bytes");

#endif /* DLB_QE_H */
