/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * dlb_cq.h - the consumer's side of a CQ ring, and helpers to build the QEs
 * a port sends. Used by the engine's tests and benchmarks, by the kernel
 * when it dequeues for read() on a port file, and by libdlbk when an
 * application dequeues from the mapped CQ: the one reader of the ring.
 * Dual-licensed, like libdlbk, and needing nothing but the environment's
 * types and barriers (dlb_engine_env.h), so any application may link it.
 *
 * Ring protocol: the engine writes entry i of a ring of depth D on its pass
 * p = i / D (counting from 0 since create or reset) with the generation bit
 * (p & 1) ^ 1, writing the status byte last with release ordering (F, in
 * the barrier table of uapi/linux/dlb.h). The consumer keeps its own head
 * and expected generation, reads the status byte with acquire ordering (G,
 * pairs with F) and owns the entry when the generation matches. The engine
 * never overwrites an entry whose slot the consumer has not returned with a
 * CQ token, so the consumer may read the entry at leisure, then return the
 * token.
 */
#ifndef DLB_CQ_H
#define DLB_CQ_H

#include "dlb_engine_env.h"
#include "dlb_qe.h"

static_assert(sizeof(struct dlb_qe) == 16, "a QE is 16 bytes");
static_assert(sizeof(struct dlb_deq) == 16, "a dequeue entry is 16 bytes");

/**
 * struct dlb_cq_reader - a consumer's position in a CQ ring
 * @ring: the ring
 * @mask: depth - 1
 * @head: index of the next entry to read, modulo the depth
 * @gen: generation bit expected at @head
 */
struct dlb_cq_reader {
	const struct dlb_deq *ring;
	u32 mask;
	u32 head;
	u8 gen;
};

/**
 * dlb_cq_reader_init() - start reading a new or reset CQ
 * @r: the reader
 * @ring: the ring
 * @depth: its number of entries, a power of two
 */
static inline void dlb_cq_reader_init(struct dlb_cq_reader *r,
				      const struct dlb_deq *ring, u32 depth)
{
	r->ring = ring;
	r->mask = depth - 1;
	r->head = 0;
	r->gen = DLB_DEQ_GEN;
}

/**
 * dlb_cq_read() - copy out the entries the engine has written
 * @r: the reader
 * @out: where to copy them
 * @max: at most this many
 *
 * The caller must return one CQ token per entry read (BAT_T or a _T
 * command) for the engine to reuse the slots.
 *
 * Return: number of entries copied to @out.
 */
static inline u32 dlb_cq_read(struct dlb_cq_reader *r, struct dlb_deq *out,
			      u32 max)
{
	/*
	 * The position lives in locals: the copies below may alias *r, and
	 * would otherwise make the compiler reload it for every entry.
	 */
	const struct dlb_deq *ring = r->ring;
	u32 head = r->head, mask = r->mask;
	u8 gen = r->gen;
	u32 n;

	for (n = 0; n < max; n++) {
		const struct dlb_deq *e = &ring[head];
		/* (G) of the ABI: pairs with (F) in the engine's CQ write. */
		u8 status = smp_load_acquire(&e->status);

		if ((status & DLB_DEQ_GEN) != gen)
			break;
		out[n] = *e;
		head = (head + 1) & mask;
		if (head == 0)
			gen ^= DLB_DEQ_GEN;
	}
	r->head = head;
	r->gen = gen;
	return n;
}

/**
 * dlb_cq_peek() - the entries the engine has written, read in place
 * @r: the reader
 * @max: at most this many
 * @n: set to the number of entries ready at the returned address, up to
 *	@max and to the end of the ring (the next call continues at its
 *	start)
 *
 * The entries stay the consumer's to read until it returns their CQ
 * tokens; dlb_cq_consume() moves the reader past them first.
 *
 * Return: the first entry ready (valid when *@n is not 0).
 */
static inline const struct dlb_deq *dlb_cq_peek(const struct dlb_cq_reader *r,
						u32 max, u32 *n)
{
	const struct dlb_deq *e = &r->ring[r->head];
	u32 k, end = r->mask + 1 - r->head;

	if (max > end)
		max = end;
	for (k = 0; k < max; k++) {
		/* (G) of the ABI: pairs with (F) in the engine's CQ write. */
		u8 status = smp_load_acquire(&e[k].status);

		if ((status & DLB_DEQ_GEN) != r->gen)
			break;
	}
	*n = k;
	return e;
}

/**
 * dlb_cq_consume() - move a reader past entries taken with dlb_cq_peek()
 * @r: the reader
 * @n: the number of entries, at most what dlb_cq_peek() reported
 */
static inline void dlb_cq_consume(struct dlb_cq_reader *r, u32 n)
{
	r->head = (r->head + n) & r->mask;
	if (n && !r->head)
		r->gen ^= DLB_DEQ_GEN;
}

/**
 * dlb_qe_init() - fill a QE
 * @qe: the QE
 * @cmd: a DLB_CMD_* byte
 * @sched: DLB_SCHED_*
 * @qid: destination queue
 * @prio: QE priority, 0-7
 * @lock_id: flow id
 * @data: payload
 */
static inline void dlb_qe_init(struct dlb_qe *qe, u8 cmd, u8 sched, u8 qid,
			       u8 prio, u16 lock_id, u64 data)
{
	qe->data = data;
	qe->opaque = 0;
	qe->qid = qid;
	qe->meta = DLB_META(sched, prio, 0);
	qe->lock_id = lock_id;
	qe->rsvd = 0;
	qe->cmd = cmd;
}

/**
 * dlb_qe_init_bat_t() - fill a QE that returns CQ tokens
 * @qe: the QE
 * @tokens: 1 to 65536
 */
static inline void dlb_qe_init_bat_t(struct dlb_qe *qe, u32 tokens)
{
	dlb_qe_init(qe, DLB_CMD_BAT_T, 0, 0, 0, (u16)(tokens - 1), 0);
}

#endif /* DLB_CQ_H */
