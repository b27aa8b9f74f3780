// SPDX-License-Identifier: BSD-3-Clause
/*
 * dlbk-evcheck.c - check the event_dlbk semantics that DPDK's own tests do
 * not reach, through the public eventdev API of event device 0: every
 * field a QE carries comes back unchanged through an atomic queue and a
 * single-link (directed) queue, a dequeue timeout sleeps instead of
 * spinning, and new_event_threshold refuses new events beyond it until
 * they are released. Prints one TAP line per check; exits 1 if any fails.
 *
 *   dlbk-evcheck <EAL options> --vdev=event_dlbk0[,...]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eventdev.h>

#define DEV 0
#define Q_ATOMIC 0
#define Q_SINGLE 1
#define P_WORKER 0	/* linked to the atomic queue */
#define P_SINGLE 1	/* linked to the single-link queue; also the producer */
#define THRESHOLD 16

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

static int setup(uint64_t *ticks)
{
	struct rte_event_dev_info info;
	struct rte_event_dev_config cfg = { 0 };
	struct rte_event_queue_conf qc;
	struct rte_event_port_conf pc;
	uint8_t q;
	int err;

	err = rte_event_dev_info_get(DEV, &info);
	if (err)
		return err;
	cfg.nb_event_queues = 2;
	cfg.nb_event_ports = 2;
	cfg.nb_events_limit = 64;
	cfg.nb_event_queue_flows = info.max_event_queue_flows;
	cfg.nb_event_port_dequeue_depth = 32;
	cfg.nb_event_port_enqueue_depth = 32;
	cfg.event_dev_cfg = RTE_EVENT_DEV_CFG_PER_DEQUEUE_TIMEOUT;
	err = rte_event_dev_configure(DEV, &cfg);
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

static int same_fields(const struct rte_event *a, const struct rte_event *b)
{
	return a->flow_id == b->flow_id && a->event_type == b->event_type &&
	       a->sub_event_type == b->sub_event_type &&
	       a->priority == b->priority && a->u64 == b->u64;
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
	printf("1..8\n");

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

	rte_event_dev_stop(DEV);
	check(rte_event_dev_close(DEV) == 0, "the device stops and closes");
	rte_eal_cleanup();
	printf("# %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
