// SPDX-License-Identifier: BSD-3-Clause
/*
 * dlbk-evcheck.c - check the event_dlbk semantics that DPDK's own tests do
 * not reach, through the public eventdev API of event device 0: every
 * field a QE carries comes back unchanged through an atomic queue and a
 * single-link (directed) queue, a dequeue timeout sleeps instead of
 * spinning, new_event_threshold refuses new events beyond it until
 * they are released and so keeps a flooding producer from starving the
 * forwards of a two-stage pipeline, and the ports' xstats and rte_event_dev_dump() count
 * what went through them, a port linked and unlinked while events flow
 * loses nothing and gets nothing once unlinked, stop hands every event left in the device to
 * the stop-flush callback, and an all-types queue schedules each event by
 * its own sched_type, a burst cut short says ENOSPC, quiesce takes
 * no event from a port's CQ, an event for a queue the device does not have
 * is refused, setup calls and start answer as eventdev says (links after
 * a second setup, EDQUOT, ENOLINK, ESTALE, new_event_threshold -1), and
 * a stop-flush callback belongs to its device, and an attached domain
 * that changed between setup and start fails the start. Prints one TAP
 * line per check; exits 1 if any fails.
 *
 *   [EVCHECK_ADM=<domain dir>] dlbk-evcheck <EAL options>
 *	--vdev=event_dlbk0[,...] [--vdev=event_dlbk1,...]
 *	[--vdev=event_dlbk2,domain=<domain>]
 *
 * The per-device stop-flush check needs the second device, the attach
 * check the third, attached to the tests' adm domain (each skipped
 * without).
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eventdev.h>

#define DEV 0
#define Q_ATOMIC 0
#define Q_SINGLE 1
#define P_WORKER 0	/* linked to the atomic queue */
#define P_SINGLE 1	/* linked to the single-link queue; also the producer */
#define P_EXTRA 2	/* linked to the atomic queue only while running */
#define LINK_EVENTS 400
#define THRESHOLD 16
#define XS_EVENTS 10
#define FLUSH_EVENTS 5
#define FLOOD_EVENTS 5000
#define FLUSH_MARK 0xf1f1f1f1ull
#define DLBK_EVCHECK_MAX_QUEUES 8	/* event_dlbk's, one past its last */
#define QUIESCE_EVENTS 4
#define QUIESCE_MARK 0x9e9e0000ull	/* payload of the first */

static int checks, failures;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok)
		failures++;
	printf("%sok %d - %s\n", ok ? "" : "not ", checks, what);
}

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Dequeue one event from @port, waiting up to 2 s in 100 ms dequeues. */
static int dequeue_one(uint8_t port, struct rte_event *ev, uint64_t ticks)
{
	int i;

	for (i = 0; i < 20; i++)
		if (rte_event_dequeue_burst(DEV, port, ev, 1, ticks) == 1)
			return 1;
	return 0;
}

/* Configure event device @dev: 2 queues, @ports ports, 64 events, @flags. */
static int configure_dev(uint8_t dev, uint8_t ports, uint32_t flags)
{
	struct rte_event_dev_config cfg = { 0 };
	struct rte_event_dev_info info;
	int err;

	err = rte_event_dev_info_get(dev, &info);
	if (err)
		return err;
	cfg.nb_event_queues = 2;
	cfg.nb_event_ports = ports;
	cfg.nb_events_limit = 64;
	cfg.nb_event_queue_flows = info.max_event_queue_flows;
	cfg.nb_event_port_dequeue_depth = 32;
	cfg.nb_event_port_enqueue_depth = 32;
	cfg.event_dev_cfg = flags;
	return rte_event_dev_configure(dev, &cfg);
}

/* Configure event device 0 with 3 ports. */
static int configure(uint32_t flags)
{
	return configure_dev(DEV, 3, flags);
}

static int setup(uint64_t *ticks)
{
	struct rte_event_queue_conf qc;
	struct rte_event_port_conf pc;
	uint8_t q;
	int err;

	err = configure(RTE_EVENT_DEV_CFG_PER_DEQUEUE_TIMEOUT);
	if (err)
		return err;

	rte_event_queue_default_conf_get(DEV, Q_ATOMIC, &qc);
	qc.schedule_type = RTE_SCHED_TYPE_ATOMIC;
	err = rte_event_queue_setup(DEV, Q_ATOMIC, &qc);
	if (err)
		return err;
	qc.event_queue_cfg = RTE_EVENT_QUEUE_CFG_SINGLE_LINK;
	err = rte_event_queue_setup(DEV, Q_SINGLE, &qc);
	if (err)
		return err;

	rte_event_port_default_conf_get(DEV, P_WORKER, &pc);
	err = rte_event_port_setup(DEV, P_WORKER, &pc);
	if (err)
		return err;
	err = rte_event_port_setup(DEV, P_EXTRA, &pc);
	if (err)
		return err;
	pc.new_event_threshold = THRESHOLD;
	err = rte_event_port_setup(DEV, P_SINGLE, &pc);
	if (err)
		return err;
	q = Q_ATOMIC;
	if (rte_event_port_link(DEV, P_WORKER, &q, NULL, 1) != 1)
		return -rte_errno;
	q = Q_SINGLE;
	if (rte_event_port_link(DEV, P_SINGLE, &q, NULL, 1) != 1)
		return -rte_errno;
	err = rte_event_dequeue_timeout_ticks(DEV, 100 * 1000 * 1000, ticks);
	if (err)
		return err;
	return rte_event_dev_start(DEV);
}

/*
 * A burst the port cannot take whole is cut short with rte_errno ENOSPC,
 * eventdev's word for backpressure, whatever rte_errno held before: DPDK's
 * timer adapter drops the first event left over when it reads EINVAL
 * there. A burst of RELEASEs longer than the port's enqueue depth, from
 * a port that holds nothing (so the burst changes nothing), is cut at the
 * depth.
 */
static void cut_short_errno(uint8_t port)
{
	struct rte_event ev[64];
	uint32_t depth = 0;
	unsigned int i;
	uint16_t n = 0;
	int ok;

	memset(ev, 0, sizeof(ev));
	for (i = 0; i < RTE_DIM(ev); i++)
		ev[i].op = RTE_EVENT_OP_RELEASE;
	ok = !rte_event_port_attr_get(DEV, port, RTE_EVENT_PORT_ATTR_ENQ_DEPTH,
				      &depth) && depth + 8 <= RTE_DIM(ev);
	if (ok) {
		rte_errno = EINVAL;
		n = rte_event_enqueue_burst(DEV, port, ev, (uint16_t)(depth + 8));
		printf("# %u of %u taken (enqueue depth %u), rte_errno %d\n",
		       n, depth + 8, depth, rte_errno);
		ok = n == depth && rte_errno == ENOSPC;
	}
	check(ok, "a burst cut short sets rte_errno ENOSPC, not what it held before");
}

/*
 * An event for a queue the device does not have (queue_id beyond
 * nb_event_queues, set up or not) is refused with EINVAL, NEW or
 * FORWARD; the event a refused FORWARD came from is still held, and
 * forwarded next to a real queue it arrives there.
 */
static const uint8_t bad_queues[] = { 2, DLBK_EVCHECK_MAX_QUEUES, 255 };

/* Whether @port's enqueue of @ev refuses it with EINVAL for each bad queue. */
static int bad_queues_refused(uint8_t port, struct rte_event ev)
{
	unsigned int i;
	int ok = 1;

	for (i = 0; i < RTE_DIM(bad_queues); i++) {
		ev.queue_id = bad_queues[i];
		rte_errno = 0;
		ok &= rte_event_enqueue_burst(DEV, port, &ev, 1) == 0 &&
		      rte_errno == EINVAL;
	}
	return ok;
}

static void bad_queue(const struct rte_event *proto, uint64_t ticks)
{
	struct rte_event ev = *proto, in;
	int ok;

	ok = bad_queues_refused(P_SINGLE, ev);
	ev.queue_id = Q_ATOMIC;
	ok &= rte_event_enqueue_burst(DEV, P_SINGLE, &ev, 1) == 1 &&
	      dequeue_one(P_WORKER, &in, ticks);
	in.op = RTE_EVENT_OP_FORWARD;
	ok &= bad_queues_refused(P_WORKER, in);
	in.queue_id = Q_SINGLE;
	ok &= rte_event_enqueue_burst(DEV, P_WORKER, &in, 1) == 1 &&
	      dequeue_one(P_SINGLE, &in, ticks) && in.u64 == proto->u64 &&
	      in.queue_id == Q_SINGLE;
	in.op = RTE_EVENT_OP_RELEASE;
	ok &= rte_event_enqueue_burst(DEV, P_SINGLE, &in, 1) == 1;
	check(ok, "an event for a queue the device does not have is refused with EINVAL, NEW or FORWARD");
}

static int same_fields(const struct rte_event *a, const struct rte_event *b)
{
	return a->flow_id == b->flow_id && a->event_type == b->event_type &&
	       a->sub_event_type == b->sub_event_type &&
	       a->priority == b->priority && a->u64 == b->u64;
}

/* Events of earlier checks that link_while_running() dequeued. */
static int foreign;

/*
 * Take what @port has (waiting up to @ticks once), counting each event of
 * link_while_running() in @seen; return how many of those came. Events of
 * earlier checks still in the device are counted apart, in foreign.
 */
static int take(uint8_t port, uint64_t ticks, uint8_t *seen)
{
	struct rte_event ev[16];
	int i, n, own = 0;

	n = rte_event_dequeue_burst(DEV, port, ev, 16, ticks);
	for (i = 0; i < n; i++) {
		if (ev[i].u64 >= 1000 && ev[i].u64 < 1000 + LINK_EVENTS) {
			seen[ev[i].u64 - 1000]++;
			own++;
		} else {
			foreign++;
		}
	}
	return own;
}

/*
 * Events flow from the single-link port through the atomic queue to the
 * worker; P_EXTRA is linked to that queue a quarter of the way through and
 * unlinked at three quarters. Every event arrives once, P_EXTRA gets some
 * while linked, and after its unlink (and taking what its consumer queue
 * already held) it gets none.
 */
static void link_while_running(uint64_t ticks)
{
	struct rte_event ev[8];
	uint8_t seen[LINK_EVENTS] = { 0 }, q = Q_ATOMIC;
	int sent = 0, got = 0, extra = 0, after = 0, once = 1, dups = 0, i, tries;
	int linked = -1, unlinked = -1, in_progress = -1;
	bool is_unlinked = false;

	memset(ev, 0, sizeof(ev));
	while (sent < LINK_EVENTS) {
		if (sent >= LINK_EVENTS / 4 && linked < 0)
			linked = rte_event_port_link(DEV, P_EXTRA, &q, NULL, 1);
		if (sent >= 3 * LINK_EVENTS / 4 && unlinked < 0) {
			unlinked = rte_event_port_unlink(DEV, P_EXTRA, &q, 1);
			in_progress = rte_event_port_unlinks_in_progress(DEV, P_EXTRA);
			/* What its consumer queue held before the unlink. */
			while ((i = take(P_EXTRA, ticks / 10, seen)) > 0) {
				got += i;
				extra += i;
			}
			is_unlinked = true;
		}
		for (i = 0; i < 8; i++) {
			ev[i].op = RTE_EVENT_OP_NEW;
			ev[i].queue_id = Q_ATOMIC;
			ev[i].sched_type = RTE_SCHED_TYPE_ATOMIC;
			ev[i].flow_id = (uint32_t)(sent + i) % 16;
			ev[i].u64 = 1000 + (uint64_t)(sent + i);
		}
		sent += rte_event_enqueue_burst(DEV, P_SINGLE, ev, 8);
		got += take(P_WORKER, 0, seen);
		i = take(P_EXTRA, 0, seen);
		got += i;
		extra += i;
		after += is_unlinked ? i : 0;
	}
	for (tries = 0; got < LINK_EVENTS && tries < 40; tries++) {
		got += take(P_WORKER, ticks / 2, seen);
		i = take(P_EXTRA, 0, seen);
		got += i;
		after += i;
	}
	/* A last dequeue releases what each port held. */
	take(P_WORKER, 0, seen);
	take(P_EXTRA, 0, seen);
	for (i = 0; i < LINK_EVENTS; i++) {
		once &= seen[i] == 1;
		dups += seen[i] > 1 ? seen[i] - 1 : 0;
	}
	printf("# link %d unlink %d in progress %d; %d of %d events (%d duplicates; %d of earlier checks), %d via the extra port, %d after its unlink\n",
	       linked, unlinked, in_progress, got, LINK_EVENTS, dups, foreign, extra, after);
	check(linked == 1 && unlinked == 1 && got == LINK_EVENTS && once,
	      "link and unlink while events flow lose and duplicate nothing");
	check(extra > 0 && after == 0 && in_progress == 0,
	      "a port linked while running gets events, and none once unlinks_in_progress says 0");
}

/*
 * The classic credit deadlock: a producer floods stage 1 with NEW events
 * while a worker FORWARDs each to stage 2, where a third port releases
 * it. Credits are the queues' room (dlb returns one when an event is
 * scheduled); a FORWARD needs one. Were NEW events not held to
 * new_event_threshold, the producer would take every credit the worker's
 * forwards free, the forwards would wait at the head of the worker's
 * ring with its completions behind them, its consumer queue would stay
 * full, and nothing would move again. With the threshold (here the
 * default, nb_events_limit = the domain's credits), every event reaches
 * stage 2 within the time limit, and the producer, which enqueues bursts
 * each round until one is cut short, is refused (ENOSPC) along the way:
 * the threshold is what held it, however fast the worker forwards.
 */
/*
 * Configure event device 0 with 3 ports at their defaults, an atomic
 * queue 0 and an atomic queue 1 with @q1_cfg (event_queue_cfg); no links.
 */
static int setup_two_queues(uint32_t q1_cfg)
{
	struct rte_event_queue_conf qc;
	struct rte_event_port_conf pc;
	uint8_t p;
	int err;

	err = configure(0);
	if (err)
		return err;
	rte_event_queue_default_conf_get(DEV, 0, &qc);
	qc.schedule_type = RTE_SCHED_TYPE_ATOMIC;
	err = rte_event_queue_setup(DEV, 0, &qc);
	qc.event_queue_cfg = q1_cfg;
	err = err ?: rte_event_queue_setup(DEV, 1, &qc);
	for (p = 0; p < 3 && !err; p++) {
		rte_event_port_default_conf_get(DEV, p, &pc);
		err = rte_event_port_setup(DEV, p, &pc);
	}
	return err;
}

static void threshold_flood(void)
{
	struct rte_event ev[32];
	uint8_t q0 = 0, q1 = 1;
	int sent = 0, done = 0, refused = 0, i, n, ok = 1;
	double t0;

	ok &= setup_two_queues(0) == 0;
	ok &= rte_event_port_link(DEV, 1, &q0, NULL, 1) == 1;
	ok &= rte_event_port_link(DEV, 2, &q1, NULL, 1) == 1;
	ok &= rte_event_dev_start(DEV) == 0;
	if (!ok) {
		check(0, "a producer flooding NEW events cannot starve the forwards of stage 1 (new_event_threshold)");
		return;
	}
	t0 = now(CLOCK_MONOTONIC);
	while (done < FLOOD_EVENTS && now(CLOCK_MONOTONIC) - t0 < 20) {
		/* Flood: bursts until one is cut short, whatever the workers do. */
		for (n = 32; sent < FLOOD_EVENTS && n == 32;) {
			int want = FLOOD_EVENTS - sent < 32 ? FLOOD_EVENTS - sent : 32;

			for (i = 0; i < want; i++) {
				memset(&ev[i], 0, sizeof(ev[i]));
				ev[i].op = RTE_EVENT_OP_NEW;
				ev[i].queue_id = 0;
				ev[i].sched_type = RTE_SCHED_TYPE_ATOMIC;
				ev[i].flow_id = (uint32_t)(sent + i) % 64;
			}
			rte_errno = 0;
			n = rte_event_enqueue_burst(DEV, 0, ev, (uint16_t)want);
			sent += n;
			refused += n < want && rte_errno == ENOSPC;
		}
		n = rte_event_dequeue_burst(DEV, 1, ev, 32, 0);
		for (i = 0; i < n; i++) {
			ev[i].op = RTE_EVENT_OP_FORWARD;
			ev[i].queue_id = 1;
		}
		for (i = 0; i < n && now(CLOCK_MONOTONIC) - t0 < 20;)
			i += rte_event_enqueue_burst(DEV, 1, ev + i, (uint16_t)(n - i));
		done += rte_event_dequeue_burst(DEV, 2, ev, 32, 0);
	}
	rte_event_dequeue_burst(DEV, 2, ev, 1, 0);
	printf("# flood: %d sent, %d through both stages in %.2f s, %d bursts cut by the threshold\n",
	       sent, done, now(CLOCK_MONOTONIC) - t0, refused);
	rte_event_dev_stop(DEV);
	check(done == FLOOD_EVENTS && refused > 0,
	      "a producer flooding NEW events cannot starve the forwards of stage 1 (new_event_threshold)");
}

static int flushed;

/* The stop-flush callback: counts the events it is given (and checks
 * they are the ones left: their payload is FLUSH_MARK).
 */
static void count_flushed(uint8_t dev_id, struct rte_event ev, void *arg)
{
	(void)dev_id;
	(void)arg;
	flushed += ev.u64 == FLUSH_MARK ? 1 : 1000;
}

static uint64_t xstat(const char *name)
{
	return rte_event_dev_xstats_by_name_get(DEV, name, NULL);
}

/* Wait up to 2 s for the xstat @name to reach @want; its last value. */
static uint64_t xstat_wait(const char *name, uint64_t want)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 200; i++) {
		v = xstat(name);
		if (v == want)
			break;
		rte_delay_us_sleep(10000);
	}
	printf("# %s %" PRIu64 "\n", name, v);
	return v;
}

/*
 * Wait up to 2 s for the kernel to finish what earlier checks left in
 * flight: releases still in a producer ring are counted as completions only
 * when the scheduler thread takes them, which may be after a reset.
 */
static void xstats_settle(void)
{
	uint64_t last = UINT64_MAX, v;
	int i, still = 0;

	for (i = 0; i < 200 && still < 5; i++) {
		v = xstat("port_0_completed") + xstat("port_0_scheduled") +
		    xstat("port_1_enqueued");
		still = v == last ? still + 1 : 0;
		last = v;
		rte_delay_us_sleep(10000);
	}
}

/*
 * Reset the ports' xstats once the device is quiet; XS_EVENTS NEW events from the single-link port
 * through the atomic queue to the worker, which releases them: each port's
 * counters of the kernel and of the driver say XS_EVENTS.
 */
static int xstats_count(void)
{
	struct rte_event ev[XS_EVENTS];
	int i, n, tries, ok;

	xstats_settle();
	if (rte_event_dev_xstats_reset(DEV, RTE_EVENT_DEV_XSTATS_PORT, -1, NULL, 0))
		return 0;
	ok = xstat("port_1_enqueued") == 0 && xstat("port_0_scheduled") == 0;
	memset(ev, 0, sizeof(ev));
	for (i = 0; i < XS_EVENTS; i++) {
		ev[i].op = RTE_EVENT_OP_NEW;
		ev[i].queue_id = Q_ATOMIC;
		ev[i].sched_type = RTE_SCHED_TYPE_ATOMIC;
		ev[i].flow_id = (uint32_t)i;
	}
	n = rte_event_enqueue_burst(DEV, P_SINGLE, ev, XS_EVENTS);
	for (i = 0, tries = 0; i < XS_EVENTS && tries < 20; tries++)
		i += rte_event_dequeue_burst(DEV, P_WORKER, ev, XS_EVENTS, 100000000);
	/* The next dequeue releases them (implicit release). */
	rte_event_dequeue_burst(DEV, P_WORKER, ev, 1, 0);
	printf("# %d enqueued, %d dequeued\n", n, i);
	ok &= n == XS_EVENTS && i == XS_EVENTS;
	ok &= xstat_wait("port_1_enqueued", XS_EVENTS) == XS_EVENTS;
	ok &= xstat_wait("port_1_drv_new", XS_EVENTS) == XS_EVENTS;
	ok &= xstat_wait("port_0_scheduled", XS_EVENTS) == XS_EVENTS;
	ok &= xstat_wait("port_0_completed", XS_EVENTS) == XS_EVENTS;
	ok &= xstat_wait("port_0_drv_dequeued", XS_EVENTS) == XS_EVENTS;
	ok &= xstat_wait("port_0_drv_released", XS_EVENTS) == XS_EVENTS;
	ok &= xstat_wait("port_0_cq_occupancy", 0) == 0;
	return ok;
}

/* The quiesce callback: counts the events it is given (it should be none). */
static void count_quiesced(uint8_t dev_id, struct rte_event ev, void *arg)
{
	(void)dev_id;
	(void)ev;
	++*(int *)arg;
}

/*
 * rte_event_port_quiesce() has nothing to flush: a port's events wait in
 * its CQ, which belongs to the port, not to the lcore that polls it.
 * QUIESCE_EVENTS events of one atomic flow go to the worker, which
 * dequeues the first and leaves the others in its CQ; after a quiesce the
 * port (as if polled from another lcore) still gets them all, in order,
 * and the callback was never called.
 */
static void port_quiesce(const struct rte_event *proto, uint64_t ticks)
{
	struct rte_event ev[QUIESCE_EVENTS], in;
	unsigned int i, got = 0;
	int called = 0, ok;

	for (i = 0; i < QUIESCE_EVENTS; i++) {
		ev[i] = *proto;
		ev[i].u64 = QUIESCE_MARK + i;
	}
	ok = rte_event_enqueue_burst(DEV, P_SINGLE, ev, QUIESCE_EVENTS) ==
	     QUIESCE_EVENTS;
	ok = ok && dequeue_one(P_WORKER, &in, ticks) && in.u64 == QUIESCE_MARK;
	ok = ok && xstat_wait("port_0_cq_occupancy", QUIESCE_EVENTS - 1) ==
		   QUIESCE_EVENTS - 1;
	rte_event_port_quiesce(DEV, P_WORKER, count_quiesced, &called);
	for (i = 1; ok && i < QUIESCE_EVENTS; i++, got++)
		ok = dequeue_one(P_WORKER, &in, ticks) &&
		     in.u64 == QUIESCE_MARK + i;
	/* The next dequeue releases the last one (implicit release). */
	rte_event_dequeue_burst(DEV, P_WORKER, &in, 1, 0);
	printf("# quiesce: %d callbacks, %u of %u events dequeued after it\n",
	       called, got, QUIESCE_EVENTS - 1);
	check(ok && called == 0,
	      "quiesce leaves the events in a port's CQ to the port, in order");
}

/* Whether rte_event_dev_dump() prints a line holding @text. */
static int dump_has(const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int found;

	if (!f)
		return 0;
	rte_event_dev_dump(DEV, f);
	fclose(f);
	found = buf && strstr(buf, text);
	if (!found)
		printf("# dump:\n%s", buf ? buf : "");
	free(buf);
	return found;
}

/*
 * An RTE_EVENT_QUEUE_CFG_ALL_TYPES queue: atomic, ordered and parallel
 * events on one queue come back with their own sched_type, new and
 * forwarded; an event of sched_type 3 (no type) is refused with EINVAL.
 */
static void all_types(uint64_t ticks)
{
	static const uint8_t types[3] = {
		RTE_SCHED_TYPE_ATOMIC, RTE_SCHED_TYPE_ORDERED,
		RTE_SCHED_TYPE_PARALLEL,
	};
	struct rte_event_queue_conf qc;
	struct rte_event_port_conf pc;
	struct rte_event ev[3], in[3];
	uint8_t q[2] = { 0, 1 }, p;
	int i, n, pass, ok = 1;

	ok &= configure(RTE_EVENT_DEV_CFG_PER_DEQUEUE_TIMEOUT) == 0;
	rte_event_queue_default_conf_get(DEV, 0, &qc);
	qc.event_queue_cfg = RTE_EVENT_QUEUE_CFG_ALL_TYPES;
	ok &= rte_event_queue_setup(DEV, 0, &qc) == 0;
	qc.event_queue_cfg = 0;
	ok &= rte_event_queue_setup(DEV, 1, &qc) == 0;
	for (p = 0; p < 3; p++) {
		rte_event_port_default_conf_get(DEV, p, &pc);
		ok &= rte_event_port_setup(DEV, p, &pc) == 0;
	}
	ok &= rte_event_port_link(DEV, 1, q, NULL, 2) == 2;
	ok &= rte_event_dev_start(DEV) == 0;
	for (i = 0; i < 3; i++) {
		memset(&ev[i], 0, sizeof(ev[i]));
		ev[i].op = RTE_EVENT_OP_NEW;
		ev[i].sched_type = types[i];
		ev[i].flow_id = 7;
		ev[i].u64 = (uint64_t)i;
	}
	ok &= rte_event_enqueue_burst(DEV, 0, ev, 3) == 3;
	/* Each comes back with its type; then each is forwarded as the next
	 * type, through the same queue.
	 */
	for (pass = 0; pass < 2 && ok; pass++) {
		for (n = 0, i = 0; n < 3 && i < 20; i++)
			n += rte_event_dequeue_burst(DEV, 1, in + n,
						     (uint16_t)(3 - n), ticks);
		ok &= n == 3;
		for (i = 0; i < n; i++) {
			ok &= in[i].queue_id == 0 &&
			      in[i].sched_type == types[(in[i].u64 + pass) % 3];
			in[i].op = pass ? RTE_EVENT_OP_RELEASE :
					  RTE_EVENT_OP_FORWARD;
			in[i].sched_type = types[(in[i].u64 + 1) % 3];
		}
		ok &= rte_event_enqueue_burst(DEV, 1, in, (uint16_t)n) == n;
	}
	check(ok, "an all-types queue gives each event back with its own sched_type, new and forwarded");
	ev[0].sched_type = 3;
	rte_errno = 0;
	n = rte_event_enqueue_burst(DEV, 0, ev, 1);
	check(n == 0 && rte_errno == EINVAL,
	      "an event of no sched type to an all-types queue is refused with EINVAL");
	rte_event_dev_stop(DEV);
}

/*
 * Setup calls against what eventdev says of them: a port set up again has
 * no links (the library unlinks what it lists, and the driver agrees), a
 * single-link queue takes one port (EDQUOT for a second), start says
 * ENOLINK for a queue no port links and ESTALE for a port not set up, and
 * a port set up with new_event_threshold -1 (an open system's "none")
 * takes new events.
 */
static void setup_rules(uint64_t ticks)
{
	struct rte_event_port_conf pc;
	struct rte_event ev, in;
	uint8_t q0 = 0, q1 = 1, lq[2], lp[2];
	int ok = 1, links0, links1, err;

	ok &= setup_two_queues(RTE_EVENT_QUEUE_CFG_SINGLE_LINK) == 0;
	ok &= rte_event_port_link(DEV, 0, &q0, NULL, 1) == 1;
	ok &= rte_event_port_link(DEV, 1, &q1, NULL, 1) == 1;
	links0 = rte_event_port_links_get(DEV, 0, lq, lp);
	rte_event_port_default_conf_get(DEV, 0, &pc);
	ok &= rte_event_port_setup(DEV, 0, &pc) == 0;
	links1 = rte_event_port_links_get(DEV, 0, lq, lp);
	printf("# port 0 links: %d, %d after its setup again\n", links0, links1);
	check(ok && links0 == 1 && links1 == 0,
	      "a port set up again has no links");

	rte_errno = 0;
	ok = rte_event_port_link(DEV, 2, &q1, NULL, 1) == 0 && rte_errno == EDQUOT;
	check(ok, "a single-link queue linked to a second port is refused with EDQUOT");

	err = rte_event_dev_start(DEV);
	check(err == -ENOLINK, "start with a queue no port links fails with ENOLINK");

	rte_event_port_default_conf_get(DEV, 2, &pc);
	pc.new_event_threshold = -1;
	ok = rte_event_port_setup(DEV, 2, &pc) == 0 &&
	     rte_event_port_link(DEV, 0, &q0, NULL, 1) == 1 &&
	     rte_event_dev_start(DEV) == 0;
	memset(&ev, 0, sizeof(ev));
	ev.op = RTE_EVENT_OP_NEW;
	ev.queue_id = 0;
	ev.sched_type = RTE_SCHED_TYPE_ATOMIC;
	ev.u64 = 0x5eed;
	ok = ok && rte_event_enqueue_burst(DEV, 2, &ev, 1) == 1 &&
	     dequeue_one(0, &in, ticks) && in.u64 == ev.u64;
	rte_event_dev_stop(DEV);
	check(ok, "a port set up with new_event_threshold -1 takes new events");

	/* A fourth port, never set up. */
	ok = configure_dev(DEV, 4, 0) == 0;
	err = rte_event_dev_start(DEV);
	check(ok && err == -ESTALE, "start with a port not set up fails with ESTALE");
	ok = configure(0) == 0;
}

/*
 * Each device has its own stop-flush callback (DPDK keeps it in the
 * driver's operations): with one registered on device 0, stopping device
 * 1 with an event in it calls none.
 */
static void flush_per_device(void)
{
	struct rte_event_queue_conf qc;
	struct rte_event_port_conf pc;
	struct rte_event ev;
	int before = flushed, ok;
	uint8_t q;

	if (rte_event_dev_count() < 2) {
		checks++;
		printf("ok %d # SKIP a second event device is needed\n", checks);
		return;
	}
	ok = configure_dev(1, 2, 0) == 0;
	rte_event_queue_default_conf_get(1, 0, &qc);
	qc.schedule_type = RTE_SCHED_TYPE_ATOMIC;
	for (q = 0; q < 2; q++)
		ok &= rte_event_queue_setup(1, q, &qc) == 0;
	rte_event_port_default_conf_get(1, 0, &pc);
	ok &= rte_event_port_setup(1, 0, &pc) == 0 &&
	      rte_event_port_setup(1, 1, &pc) == 0;
	ok &= rte_event_port_link(1, 0, NULL, NULL, 0) == 2;
	ok &= rte_event_dev_start(1) == 0;
	memset(&ev, 0, sizeof(ev));
	ev.op = RTE_EVENT_OP_NEW;
	ev.sched_type = RTE_SCHED_TYPE_ATOMIC;
	ok &= rte_event_enqueue_burst(1, 1, &ev, 1) == 1;
	rte_event_dev_stop(1);
	ok &= rte_event_dev_close(1) == 0;
	printf("# device 0's stop-flush callback ran %d times at device 1's stop\n",
	       flushed - before);
	check(ok && flushed == before,
	      "a stop-flush callback registered on one device is not called at another's stop");
}

/* Write @val to the attribute @attr of the domain directory @dir. */
static int cfs_put(const char *dir, const char *attr, const char *val)
{
	char path[512];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	f = fopen(path, "w");
	if (!f)
		return 0;
	ok = fputs(val, f) >= 0;
	return fclose(f) == 0 && ok;
}

/*
 * Attach mode (event device 2, attached to the domain in directory
 * $EVCHECK_ADM, the tests' adm: a0 ordered, a1 atomic, w0 and w1 linked
 * to both, w2 to none): set up as the domain is, then the administrator
 * restarts it with a queue 0z added, whose name sorts first, so that it
 * takes id 0 and the domain's first queue is no longer a0. Start must see
 * that its setup no longer matches and fail with EINVAL.
 */
static void attach_changed(void)
{
	const char *adm = getenv("EVCHECK_ADM");
	struct rte_event_queue_conf qc;
	struct rte_event_port_conf pc;
	uint8_t q[2] = { 0, 1 }, p;
	char queue[512], link[512];
	int ok, err = 0;

	if (rte_event_dev_count() < 3 || !adm) {
		checks++;
		printf("ok %d # SKIP needs event device 2 attached to $EVCHECK_ADM\n",
		       checks);
		return;
	}
	ok = configure_dev(2, 3, 0) == 0;
	rte_event_queue_default_conf_get(2, 0, &qc);
	qc.schedule_type = RTE_SCHED_TYPE_ORDERED;
	ok &= rte_event_queue_setup(2, 0, &qc) == 0;
	qc.schedule_type = RTE_SCHED_TYPE_ATOMIC;
	ok &= rte_event_queue_setup(2, 1, &qc) == 0;
	for (p = 0; p < 3; p++) {
		rte_event_port_default_conf_get(2, p, &pc);
		ok &= rte_event_port_setup(2, p, &pc) == 0;
	}
	ok &= rte_event_port_link(2, 0, q, NULL, 2) == 2 &&
	      rte_event_port_link(2, 1, q, NULL, 2) == 2;
	/* The administrator's change: 0z, linked to w2 (dlb's start rule). */
	snprintf(queue, sizeof(queue), "%s/queues/0z", adm);
	snprintf(link, sizeof(link), "%s/ports/w2/0z", adm);
	ok &= cfs_put(adm, "start", "0") && mkdir(queue, 0755) == 0 &&
	      symlink(queue, link) == 0 && cfs_put(adm, "start", "1");
	if (ok)
		err = rte_event_dev_start(2);
	printf("# attached domain changed between setup and start: start says %d\n",
	       err);
	check(ok && err == -EINVAL,
	      "start fails with EINVAL when an attached domain changed after setup");
	if (!err)
		rte_event_dev_stop(2);
}

int main(int argc, char **argv)
{
	struct rte_event ev, in, burst[THRESHOLD + 4];
	double t0, c0, wall, cpu;
	uint64_t ticks;
	int i, tries, err;
	uint16_t n;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "dlbk-evcheck: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 2;
	}
	err = setup(&ticks);
	if (err) {
		fprintf(stderr, "dlbk-evcheck: setting up event device 0 failed: %s\n",
			strerror(-err));
		return 2;
	}
	printf("1..26\n");

	/* An event with every field set (priority 0x40 is level 2 of 8). */
	memset(&ev, 0, sizeof(ev));
	ev.flow_id = 0xabcde;
	ev.event_type = 0xa;
	ev.sub_event_type = 0x5c;
	ev.priority = 0x40;
	ev.u64 = 0x1122334455667788ull;
	ev.op = RTE_EVENT_OP_NEW;
	ev.queue_id = Q_ATOMIC;
	ev.sched_type = RTE_SCHED_TYPE_ATOMIC;
	check(rte_event_enqueue_burst(DEV, P_SINGLE, &ev, 1) == 1 &&
	      dequeue_one(P_WORKER, &in, ticks) && same_fields(&ev, &in) &&
	      in.queue_id == Q_ATOMIC && in.sched_type == RTE_SCHED_TYPE_ATOMIC,
	      "an atomic queue gives back flow_id (20 bits), event types, priority and payload");

	in.op = RTE_EVENT_OP_FORWARD;
	in.queue_id = Q_SINGLE;
	check(rte_event_enqueue_burst(DEV, P_WORKER, &in, 1) == 1 &&
	      dequeue_one(P_SINGLE, &in, ticks) && same_fields(&ev, &in) &&
	      in.queue_id == Q_SINGLE,
	      "a forward to a single-link queue reaches its port with every field");

	/* Nothing is pending: a 100 ms dequeue timeout sleeps in the kernel. */
	t0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_THREAD_CPUTIME_ID);
	n = rte_event_dequeue_burst(DEV, P_WORKER, &in, 1, ticks);
	wall = now(CLOCK_MONOTONIC) - t0;
	cpu = now(CLOCK_THREAD_CPUTIME_ID) - c0;
	printf("# timeout: %.3f s wall, %.3f s CPU\n", wall, cpu);
	check(n == 0 && wall >= 0.09 && wall < 1.5,
	      "a dequeue with nothing pending returns after its timeout");
	check(cpu < wall / 2, "a dequeue timeout sleeps rather than spins");

	/* The single-link port still holds the event: release it, so that
	 * no event is in flight.
	 */
	in.op = RTE_EVENT_OP_RELEASE;
	check(rte_event_enqueue_burst(DEV, P_SINGLE, &in, 1) == 1,
	      "a single-link port releases the event it holds");

	bad_queue(&ev, ticks);

	/* new_event_threshold: NEW events beyond it are refused. */
	for (i = 0; i < THRESHOLD + 4; i++) {
		burst[i] = ev;
		burst[i].flow_id = (uint32_t)i;
	}
	rte_errno = 0;
	n = rte_event_enqueue_burst(DEV, P_SINGLE, burst, THRESHOLD + 4);
	printf("# %u of %u new events taken, rte_errno %d\n", n, THRESHOLD + 4,
	       rte_errno);
	check(n == THRESHOLD && rte_errno == ENOSPC,
	      "new events beyond new_event_threshold are refused with ENOSPC");

	/* The worker takes them all; its next dequeue releases them. */
	for (i = 0, tries = 0; i < THRESHOLD && tries < 20; tries++)
		i += rte_event_dequeue_burst(DEV, P_WORKER, burst, THRESHOLD, ticks);
	rte_event_dequeue_burst(DEV, P_WORKER, burst, 1, 0);
	n = rte_event_enqueue_burst(DEV, P_SINGLE, &ev, 1);
	check(i == THRESHOLD && n == 1,
	      "released events make room under the threshold again");
	dequeue_one(P_WORKER, &in, ticks);
	rte_event_dequeue_burst(DEV, P_WORKER, burst, 1, 0);
	cut_short_errno(P_EXTRA);

	link_while_running(ticks);

	check(xstats_count(), "after reset, the ports' xstats count exactly the events that went through");
	check(dump_has("port_0_scheduled 10"), "rte_event_dev_dump() shows the kernel's port counters");
	port_quiesce(&ev, ticks);

	/* Events left in the device at stop go to the flush callback. */
	for (i = 0; i < FLUSH_EVENTS; i++) {
		burst[i] = ev;
		burst[i].u64 = FLUSH_MARK;
	}
	n = rte_event_enqueue_burst(DEV, P_SINGLE, burst, FLUSH_EVENTS);
	rte_event_dev_stop_flush_callback_register(DEV, count_flushed, NULL);
	rte_event_dev_stop(DEV);
	printf("# %u events left in the device, %d flushed at stop\n", n, flushed);
	check(n == FLUSH_EVENTS && flushed == FLUSH_EVENTS,
	      "stop gives every event still in the device to the stop-flush callback");
	flush_per_device();
	threshold_flood();
	all_types(ticks);
	setup_rules(ticks);
	attach_changed();
	check(rte_event_dev_close(DEV) == 0, "the device stops and closes");
	rte_eal_cleanup();
	printf("# %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
