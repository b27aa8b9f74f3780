// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_sw_ring.c - the device side of the port ring protocol of the ABI
 * (uapi/linux/dlb.h): a port's producer ring (its layout, reset for a new
 * owner, the producer index read (A), the consumer index published (B),
 * the token count taken (E), the need-wakeup flags with their barrier (C))
 * and its CQ (the position read() works from, and the check (G) a blocked
 * read() makes; the engine writes entries (F)). Every load or store of a
 * ring page field on the device side is here, as one scheduling pass over
 * a domain's rings is.
 *
 * It calls only the engine: the domain's lifecycle (dlb_sw_domain.c), the
 * thread (dlb_sw_sched.c) and the file operations (dlb_sw_port.c) call it.
 */

#include <linux/build_bug.h>
#include <linux/math64.h>
#include <linux/wait.h>

#include "dlb_sw.h"

/* Events one pass schedules per domain before looking at the others. */
#define DLB_SW_SCHED_BUDGET	256

/* The ring header is one page and the layout the ABI documents. */
static_assert(sizeof(struct dlb_pp_ring) == 256);
static_assert(offsetof(struct dlb_pp_ring, cons) == 64);
static_assert(offsetof(struct dlb_pp_ring, cq_tokens) == 128);
static_assert(offsetof(struct dlb_pp_ring, entries) == 192);
static_assert(offsetof(struct dlb_pp_ring, protocol) == 204);
static_assert(sizeof(struct dlb_pp_ring) <= DLB_PP_RING_OFFSET);
static_assert(DLB_PP_REGION_SIZE ==
	      DLB_PP_RING_OFFSET + DLB_PP_ENTRIES * sizeof(struct dlb_qe));
static_assert((DLB_PP_ENTRIES & (DLB_PP_ENTRIES - 1)) == 0);

static struct dlb_qe *dlb_sw_ring_qes(struct dlb_sw_port *p)
{
	return (struct dlb_qe *)((u8 *)p->ring + DLB_PP_RING_OFFSET);
}

/* Where read() looks next: @pos modulo the depth, with its pass's bit. */
static void dlb_sw_port_read_at(struct dlb_sw_port *p, u64 pos)
{
	u32 pass = (u32)div_u64(pos, p->cq_depth);

	WRITE_ONCE(p->read_head, (u32)pos & (p->cq_depth - 1));
	WRITE_ONCE(p->read_gen, (pass & 1) ? 0 : DLB_DEQ_GEN);
}

/**
 * dlb_sw_port_ring_reset() - zero a port's ring for a new owner
 * @p: the port; no mapping of it exists
 *
 * Context: the domain's lock held, or the domain not yet running.
 */
void dlb_sw_port_ring_reset(struct dlb_sw_port *p)
{
	memset(p->ring, 0, DLB_PP_REGION_SIZE);
	p->ring->entries = DLB_PP_ENTRIES;
	p->ring->cq_depth = p->cq_depth;
	p->ring->ring_offset = DLB_PP_RING_OFFSET;
	p->ring->protocol = DLB_PP_PROTO_SW_V1;
	/* A new owner's first enqueue wakes the thread; harmless if awake. */
	p->ring->flags = DLB_PP_NEED_WAKEUP;
	p->cons = 0;
	p->tokens_seen = 0;
	p->prod_bad = false;
	p->tokens_bad = false;
	dlb_sw_port_read_at(p, 0);
}

/*
 * An index its writer stored that cannot be right: ignore it, so that a
 * stale or torn store costs the port nothing, and count it once however
 * many passes see it before its writer stores a possible one. @bad is the
 * index's "counted" flag, cleared when a possible value is read.
 */
static void dlb_sw_port_bad_index(struct dlb_sw_port *p, bool *bad)
{
	if (*bad)
		return;
	*bad = true;
	p->ring_errors++;
}

/**
 * dlb_sw_port_sync_tokens() - return the tokens a consumer counted
 * @sd: the domain
 * @p: the port
 *
 * A count that went backwards or more than a CQ ahead is ignored and
 * counted in @p->ring_errors: its tokens are taken when the consumer stores
 * a possible count. A possible count that returns more tokens than the
 * port has CQ entries is dropped by the engine and counted on the port
 * (DLB_ENG_DROP_TOKENS).
 *
 * Context: @sd->lock held.
 * Return: tokens returned.
 */
u32 dlb_sw_port_sync_tokens(struct dlb_sw_domain *sd, struct dlb_sw_port *p)
{
	struct dlb_qe qe;
	u32 t, delta;

	lockdep_assert_held(&sd->lock);
	/* (E) in the ABI: pairs with the consumer's release. */
	t = smp_load_acquire(&p->ring->cq_tokens);
	delta = t - p->tokens_seen;
	if (unlikely(delta > p->cq_depth)) {
		dlb_sw_port_bad_index(p, &p->tokens_bad);
		return 0;
	}
	p->tokens_bad = false;
	if (!delta)
		return 0;
	p->tokens_seen = t;
	dlb_qe_init_bat_t(&qe, delta);
	dlb_eng_enqueue(sd->eng, p->handle, &qe, 1);
	return delta;
}

/*
 * Feed a producer ring's published QEs to the engine. Stops at the first
 * QE refused for lack of credit; it stays in the ring. A producer index
 * behind the device's or more than a ring ahead of it is ignored and
 * counted in @p->ring_errors until the producer stores a possible one.
 * Return: QEs consumed.
 */
static u32 dlb_sw_port_drain(struct dlb_sw_domain *sd, struct dlb_sw_port *p)
{
	const struct dlb_qe *qes = dlb_sw_ring_qes(p);
	u32 prod, avail, idx, chunk, done = 0;
	int n;

	lockdep_assert_held(&sd->lock);
	/* (A) in the ABI: pairs with the producer's release of prod. */
	prod = smp_load_acquire(&p->ring->prod);
	avail = prod - p->cons;
	if (unlikely(avail > DLB_PP_ENTRIES)) {
		dlb_sw_port_bad_index(p, &p->prod_bad);
		return 0;
	}
	p->prod_bad = false;
	if (!avail)
		return 0;

	while (avail) {
		idx = p->cons & (DLB_PP_ENTRIES - 1);
		chunk = min3(avail, DLB_PP_ENTRIES - idx, (u32)DLB_SW_BURST);
		memcpy(sd->buf, &qes[idx], chunk * sizeof(*qes));
		n = dlb_eng_enqueue(sd->eng, p->handle, sd->buf, chunk);
		if (n <= 0)
			break;
		p->cons += n;
		done += n;
		avail -= n;
		if (n < chunk)
			break;
	}
	/* (B) in the ABI: the slots up to cons are the producer's again. */
	smp_store_release(&p->ring->cons, p->cons);
	return done;
}

/**
 * dlb_sw_port_take() - take what a port's owner published in its ring page
 * @sd: the domain
 * @p: the port
 *
 * First the CQ tokens its consumer stored (E), then the QEs below its
 * producer index (A), as far as credit allows. A scheduling pass, the
 * close of the port's file and a forced stop all look at a ring through
 * this, so none of them takes an entry its consumer finished for one it
 * still holds.
 *
 * Context: @sd->lock held.
 * Return: tokens returned plus QEs consumed.
 */
u32 dlb_sw_port_take(struct dlb_sw_domain *sd, struct dlb_sw_port *p)
{
	u32 work = dlb_sw_port_sync_tokens(sd, p);

	return work + dlb_sw_port_drain(sd, p);
}

/**
 * dlb_sw_port_discard() - take what a port's departed owner published,
 *	and discard what credit refuses
 * @sd: the domain
 * @p: the port
 *
 * The crash rule's first two clauses: the published QEs are processed
 * (dlb_sw_port_take()), those credit refuses are counted in
 * @p->discarded. The ring keeps them until dlb_sw_port_ring_reset().
 *
 * Context: @sd->lock held.
 */
void dlb_sw_port_discard(struct dlb_sw_domain *sd, struct dlb_sw_port *p)
{
	u32 left;

	lockdep_assert_held(&sd->lock);
	dlb_sw_port_take(sd, p);
	left = READ_ONCE(p->ring->prod) - p->cons;
	if (left <= DLB_PP_ENTRIES)
		p->discarded += left;
	else
		p->ring_errors++;
}

/**
 * dlb_sw_port_ring_events() - the events a port's producer ring still holds
 * @p: the port
 * @held: the events the port holds
 *
 * Counts the QEs behind one refused for credit: a NEW carries one event; a
 * FWD carries on one the port holds, counted there already; a REL ends
 * one, which the consumer finished, so it is no loss. A completion with
 * nothing held to complete would be dropped as a bad QE, not carried.
 *
 * Context: the domain's lock held; no file operation inside the domain.
 * Return: the events, which may be negative (RELs of held events).
 */
s64 dlb_sw_port_ring_events(struct dlb_sw_port *p, u32 held)
{
	const struct dlb_qe *qes = dlb_sw_ring_qes(p);
	u32 avail = READ_ONCE(p->ring->prod) - p->cons;
	u32 k, idx;
	s64 n = 0;
	u8 cmd;

	/* An impossible prod was counted as a ring error already. */
	if (avail > DLB_PP_ENTRIES)
		return 0;
	for (k = 0; k < avail; k++) {
		idx = (p->cons + k) & (DLB_PP_ENTRIES - 1);
		cmd = READ_ONCE(qes[idx].cmd);
		if (cmd & DLB_CMD_QE_COMP) {
			if (!held)
				continue;
			held--;
			if (!(cmd & DLB_CMD_QE_VALID))
				n--;
		} else if (cmd & DLB_CMD_QE_VALID) {
			n++;
		}
	}
	return n;
}

/**
 * dlb_sw_port_ring_room() - whether a port's producer ring has a free slot
 * @p: the port
 *
 * A lockless hint for poll(): the slot may be taken by the time its owner
 * looks, and more may free up.
 *
 * Return: true if the producer may publish at least one QE.
 */
bool dlb_sw_port_ring_room(struct dlb_sw_port *p)
{
	return READ_ONCE(p->ring->prod) - p->cons < DLB_PP_ENTRIES;
}

/**
 * dlb_sw_port_ring_state() - the ring page's indices and flags, as stored
 * @p: the port
 * @st: filled with what the owner and the device last stored
 *
 * For the port's counters: values as found, impossible ones included.
 *
 * Context: the domain's lock held.
 */
void dlb_sw_port_ring_state(struct dlb_sw_port *p,
			    struct dlb_sw_ring_state *st)
{
	st->prod = READ_ONCE(p->ring->prod);
	st->cons = p->cons;
	st->cq_tokens = READ_ONCE(p->ring->cq_tokens);
	st->need_wakeup = !!(READ_ONCE(p->ring->flags) & DLB_PP_NEED_WAKEUP);
}

/**
 * dlb_sw_port_cq_pos() - the position of a port's CQ
 * @sd: the domain
 * @p: the port
 * @occupancy: set to the entries written from there on, or NULL
 *
 * The position is the number of entries whose tokens came back since the
 * CQ was last reset, however they came back (stored in cq_tokens, sent in
 * a QE, or by read()): the oldest entry its consumer has not finished is
 * at the position modulo the depth. It never goes back while the file is
 * open.
 *
 * Context: @sd->lock held.
 * Return: the position.
 */
u64 dlb_sw_port_cq_pos(struct dlb_sw_domain *sd, struct dlb_sw_port *p,
		       u32 *occupancy)
{
	struct dlb_eng_port_stats st;

	lockdep_assert_held(&sd->lock);
	/* Only a bad handle fails, and a port's is not. */
	if (WARN_ON_ONCE(dlb_eng_port_stats(sd->eng, p->handle, &st)))
		memset(&st, 0, sizeof(st));
	if (occupancy)
		*occupancy = st.cq_occupancy;
	return st.scheduled - p->cq_base - st.cq_occupancy;
}

/**
 * dlb_sw_port_occupancy() - CQ entries written and not yet returned
 * @sd: the domain
 * @p: the port
 *
 * Context: @sd->lock held.
 * Return: the occupancy (what the port's cq_depth_threshold is about).
 */
u32 dlb_sw_port_occupancy(struct dlb_sw_domain *sd, struct dlb_sw_port *p)
{
	struct dlb_eng_port_stats st;

	lockdep_assert_held(&sd->lock);
	if (dlb_eng_port_stats(sd->eng, p->handle, &st))
		return 0;
	return st.cq_occupancy;
}

/**
 * dlb_sw_port_cq_ready() - whether a blocked read() may go on
 * @p: the port
 *
 * A lockless hint: the CQ holds cq_depth_threshold entries past the
 * position read() last found, i.e. the last of them is new. A consumer
 * that returns tokens through its mapping moves the position on; the next
 * read() finds it and moves the hint with it.
 *
 * Context: inside the port file's section.
 * Return: true if so.
 */
bool dlb_sw_port_cq_ready(struct dlb_sw_port *p)
{
	u32 head = READ_ONCE(p->read_head);
	u8 gen = READ_ONCE(p->read_gen);
	u32 last = head + p->cq_threshold - 1;

	/* Past the end of the ring, the entry is of the next pass. */
	if (last >= p->cq_depth) {
		last -= p->cq_depth;
		gen ^= DLB_DEQ_GEN;
	}
	/* (G) of the ABI: pairs with (F), the engine's release of the entry. */
	return (smp_load_acquire(&p->cq[last].status) & DLB_DEQ_GEN) == gen;
}

/**
 * dlb_sw_port_cq_peek() - copy the entries at a CQ's position, taking none
 * @sd: the domain
 * @p: the port
 * @out: where to copy them
 * @max: entries @out holds
 * @pos: set to the position (see dlb_sw_port_cq_pos())
 *
 * Tokens its owner stored in the ring page move the position first.
 *
 * Context: @sd->lock held.
 * Return: entries copied.
 */
u32 dlb_sw_port_cq_peek(struct dlb_sw_domain *sd, struct dlb_sw_port *p,
			struct dlb_deq *out, u32 max, u64 *pos)
{
	u32 n, occ, head;

	lockdep_assert_held(&sd->lock);
	dlb_sw_port_sync_tokens(sd, p);
	*pos = dlb_sw_port_cq_pos(sd, p, &occ);
	dlb_sw_port_read_at(p, *pos);
	head = p->read_head;
	/* The engine writes the CQ under the lock: these are all complete. */
	for (n = 0; n < min(max, occ); n++)
		out[n] = p->cq[(head + n) & (p->cq_depth - 1)];
	return n;
}

/**
 * dlb_sw_port_cq_return() - return the tokens of entries read at a position
 * @sd: the domain
 * @p: the port
 * @pos: the position dlb_sw_port_cq_peek() found
 * @n: entries from there that reached the reader
 *
 * Nothing is returned if the position moved since (a concurrent read(),
 * or tokens stored in the ring page).
 *
 * Context: @sd->lock held.
 * Return: true if the tokens were returned.
 */
bool dlb_sw_port_cq_return(struct dlb_sw_domain *sd, struct dlb_sw_port *p,
			   u64 pos, u32 n)
{
	struct dlb_qe qe;

	lockdep_assert_held(&sd->lock);
	dlb_sw_port_sync_tokens(sd, p);
	if (dlb_sw_port_cq_pos(sd, p, NULL) != pos)
		return false;
	dlb_qe_init_bat_t(&qe, n);
	dlb_eng_enqueue(sd->eng, p->handle, &qe, 1);
	dlb_sw_port_read_at(p, pos + n);
	return true;
}

/* A pass over @sd, its lock held: dlb_sw_rings_poll() without the lock. */
static u32 dlb_sw_rings_poll_locked(struct dlb_sw_domain *sd)
{
	u32 work = 0, scheduled;
	struct dlb_sw_port *p;
	unsigned int i;

	lockdep_assert_held(&sd->lock);
	for (i = 0; i < sd->nr_ports; i++)
		work += dlb_sw_port_take(sd, &sd->ports[i]);
	scheduled = dlb_eng_schedule(sd->eng, DLB_SW_SCHED_BUDGET);
	/* Blocked consumers: only those whose CQ reached their threshold. */
	for (i = 0; scheduled && i < sd->nr_ports; i++) {
		p = &sd->ports[i];
		if (wq_has_sleeper(&p->pd->wq) &&
		    dlb_sw_port_occupancy(sd, p) >= p->cq_threshold)
			wake_up_interruptible(&p->pd->wq);
	}
	return work + scheduled;
}

/**
 * dlb_sw_rings_poll() - one scheduling pass over a domain
 * @sd: the domain
 *
 * Takes what every ring published, schedules, and wakes the blocked
 * consumers whose CQ reached their threshold.
 *
 * Context: process context; takes @sd->lock.
 * Return: the work done (tokens, QEs, events scheduled); 0 means the
 * domain had nothing to do.
 */
u32 dlb_sw_rings_poll(struct dlb_sw_domain *sd)
{
	u32 work;

	mutex_lock(&sd->lock);
	work = dlb_sw_rings_poll_locked(sd);
	mutex_unlock(&sd->lock);
	return work;
}

/**
 * dlb_sw_rings_try_poll() - one scheduling pass over a domain, unless its
 *	lock is taken
 * @sd: the domain
 *
 * dlb_sw_rings_poll() for a caller that must not wait: if anyone holds
 * @sd->lock (a pass, a read() or write(), a port's open or close), this
 * returns at once and leaves the work to the scheduler thread. A pass that
 * runs is counted in @sd->caller_passes.
 *
 * Context: process context; tries @sd->lock.
 * Return: true if the pass ran.
 */
bool dlb_sw_rings_try_poll(struct dlb_sw_domain *sd)
{
	if (!mutex_trylock(&sd->lock))
		return false;
	dlb_sw_rings_poll_locked(sd);
	/* The thread reads it unlocked to leave the domain to its callers. */
	WRITE_ONCE(sd->caller_passes, sd->caller_passes + 1);
	mutex_unlock(&sd->lock);
	return true;
}

/**
 * dlb_sw_rings_need_wakeup() - set or clear the need-wakeup flag in every
 *	producer ring of a domain
 * @sd: the domain
 * @on: set, before the thread's last look at the rings and its sleep
 *
 * Setting it is followed by (C) of the ABI: the flags are visible before
 * the thread looks at the rings again; pairs with the full barrier (D)
 * producers and consumers issue between publishing and reading the flags.
 *
 * Context: the thread or dlb_sw_kick(), its device's run_lock held.
 */
void dlb_sw_rings_need_wakeup(struct dlb_sw_domain *sd, bool on)
{
	unsigned int i;

	for (i = 0; i < sd->nr_ports; i++)
		WRITE_ONCE(sd->ports[i].ring->flags,
			   on ? DLB_PP_NEED_WAKEUP : 0);
	if (on) {
		/* (C) in the ABI: pairs with (D), see above. */
		smp_mb();
	}
}
