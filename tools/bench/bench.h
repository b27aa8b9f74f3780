/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb-bench's shared definitions: the benchmark case, the event generator
 * every backend uses, and the interface a backend (our engine, DPDK's
 * event_sw) implements so that one closed loop drives both.
 *
 * The loop calls a backend once per burst or per port, never per event, so
 * the indirect calls cost the same on both sides and stay out of the
 * per-event figures; the per-event work lives in each backend's own code,
 * on its native event format.
 */
#ifndef DLB_BENCH_H
#define DLB_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "tool.h"	/* warning(), parse_uint() */

enum bench_sched {
	BENCH_ATOMIC,
	BENCH_ORDERED,
	BENCH_UNORDERED,
	BENCH_DIRECTED,
	/* one all-types queue per stage, event types rotating atomic,
	 * ordered, unordered; only when asked for (event_sw has none)
	 */
	BENCH_MIXED,
	BENCH_NUM_SCHED,
};

extern const char *const bench_sched_names[BENCH_NUM_SCHED];

/* Events per NEW burst and most events taken from a port per dequeue. */
#define BENCH_BURST 32

/**
 * struct bench_case - one workload
 * @sched: scheduling type of every queue of the case
 * @ports: consumer ports; port 0 also produces the NEW events
 * @flows: distinct flow ids (lock_id / flow_id), cycled in order
 * @stages: 1 (NEW, then RELEASE) or 2 (NEW, FORWARD to stage 1, RELEASE)
 * @window: most events in flight; the producer tops up to it each round
 *
 * Load-balanced cases use one queue per stage, linked to every port.
 * Directed cases use one directed queue per port; NEW events go to the
 * queue of port (flow % ports), and the second stage forwards to the next
 * port's queue, since a directed queue feeds exactly one port.
 */
struct bench_case {
	enum bench_sched sched;
	unsigned int ports;
	unsigned int flows;
	unsigned int stages;
	unsigned int window;
};

/**
 * struct bench_gen - the NEW event stream, shared by all backends
 * @seq: number of the next event; also the event's payload
 * @flow: flow of the next event, @seq % flows without a division
 * @dir_port: target port of the next directed event, @seq % ports
 * @flows: copy of bench_case.flows
 * @ports: copy of bench_case.ports
 */
struct bench_gen {
	uint64_t seq;
	uint32_t flow;
	uint32_t dir_port;
	uint32_t flows;
	uint32_t ports;
};

static inline void bench_gen_advance(struct bench_gen *g)
{
	g->seq++;
	if (++g->flow == g->flows)
		g->flow = 0;
	if (++g->dir_port == g->ports)
		g->dir_port = 0;
}

/* Where a flow of one stage was last seen: see bench_tally_owner(). */
struct bench_owner {
	uint64_t step;
	uint32_t port;
};

/**
 * struct bench_tally - what came out of the ports, to prove the run real
 * @done: events released at their last stage
 * @forwarded: events forwarded from stage 0 to stage 1
 * @sum: sum of the payloads (event numbers) of the @done events
 * @step: scheduling steps so far; a backend that schedules inside its
 *	drain (to make room) counts that step too
 * @checking: the warm-up: backends pass every event to bench_tally_check()
 * @owner: NULL, or per stage and flow the port that last dequeued it
 * @flows: flows per stage in @owner
 * @split_flows: atomic events of one flow dequeued from two ports after
 *	the same scheduling step
 * @next: NULL, or per port one more than the last stage-1 event number
 *	it dequeued
 * @out_of_order: stage-1 events dequeued after a later event at one port
 *
 * A run is valid only if @done equals the events produced, @sum equals the
 * sum of their numbers, and for two stages @forwarded equals @done: a
 * configuration that loses, duplicates or skips events cannot report a
 * speed. The warm-up also checks the scheduling type's promise:
 * - atomic: every port is drained after each step, so a flow has events
 *   at one port per step;
 * - ordered, two stages: stage 1 receives the forwarded events in their
 *   original order and hands them out first in, first out, so each port
 *   sees stage-1 events in increasing order. Without order restoration
 *   the forwards of different ports interleave and this fails.
 */
struct bench_tally {
	uint64_t done;
	uint64_t forwarded;
	uint64_t sum;
	uint64_t step;
	int checking;
	struct bench_owner *owner;
	uint32_t flows;
	uint64_t split_flows;
	uint64_t *next;
	uint64_t out_of_order;
};

/* Check an event (number @seq, @flow, @stage) dequeued from @port. */
static inline void bench_tally_check(struct bench_tally *t, unsigned int port,
				     unsigned int stage, uint32_t flow,
				     uint64_t seq)
{
	struct bench_owner *o;

	if (t->owner) {
		o = &t->owner[stage * t->flows + flow];
		if (o->step == t->step && o->port != port)
			t->split_flows++;
		o->step = t->step;
		o->port = port;
	}
	if (t->next && stage == 1) {
		if (seq < t->next[port])
			t->out_of_order++;
		t->next[port] = seq + 1;
	}
}

/**
 * struct bench_backend - one scheduler under test
 * @name: column name ("engine", "event_sw", "event_dsw", "dlbk")
 * @async: the scheduling happens outside the loop (the kernel's thread):
 *	@schedule does nothing, a flow may move between ports within one
 *	round (no atomicity check by round), and waits are longer
 * @init: once per process; argv0 is the program name, @args the
 *	backend's own options or NULL. Return 0 or -errno.
 * @setup: build queues, ports and links for a case. Return 0; -ENOTSUP
 *	when the case exceeds the backend's limits, with the reason in @why;
 *	other -errno on failure, also explained in @why.
 * @teardown: undo @setup
 * @produce: enqueue up to @n NEW events from @g through port 0, advancing
 *	@g by the number accepted; return that number
 * @schedule: one scheduling step
 * @drain: dequeue everything port @port holds, in bursts; RELEASE or
 *	FORWARD each event; account in @t; return events dequeued
 * @fini: once per process, after the last case
 */
struct bench_backend {
	const char *name;
	int async;
	int (*init)(const char *argv0, const char *args);
	int (*setup)(const struct bench_case *c, char *why, size_t len);
	void (*teardown)(void);
	unsigned int (*produce)(struct bench_gen *g, unsigned int n);
	void (*schedule)(void);
	unsigned int (*drain)(unsigned int port, struct bench_tally *t);
	void (*fini)(void);
};

extern const struct bench_backend bench_engine;
extern const struct bench_backend bench_event_sw;
extern const struct bench_backend bench_event_dsw;
extern const struct bench_backend bench_dlbk;
extern const struct bench_backend bench_dlbk_rw;

#endif /* DLB_BENCH_H */
