// SPDX-License-Identifier: GPL-2.0
/*
 * The peers from DPDK: its software event devices event_sw and event_dsw,
 * each driven in one thread.
 *
 * The EAL runs with --no-huge --no-pci --vdev=<device>0 on one lcore.
 * event_sw's scheduler is the event device's service, stepped by this
 * thread with rte_service_run_iter_on_app_lcore(): no service core, no
 * second thread. event_dsw has no scheduler: each port moves its own
 * events, and the loop's scheduling step is rte_event_maintain() on every
 * port, which flushes what a port buffered, as an application that stops
 * enqueueing must call it. Each case configures the device with the same
 * queues, ports and links as the engine's case; with implicit release off
 * where the device can (event_sw), so that the loop's RELEASE and FORWARD
 * events are the only completions, as in the engine. event_dsw has no
 * ordered queues: its ordered cases are not run.
 */
#define ALLOW_EXPERIMENTAL_API	/* rte_event_maintain() in DPDK 22.11 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eventdev.h>
#include <rte_lcore.h>
#include <rte_service.h>

#include "bench.h"

/*
 * What differs between the two devices and their capabilities do not say
 * (DPDK 22.11 has no capability for ordered queues). Whether a device has
 * a scheduler service to step and can disable implicit release, it says:
 * evsw_cap().
 */
struct evsw_kind {
	const char *name;	/* the backend's name in the report and logs */
	const char *vdev;	/* its vdev, also its device name */
	int ordered;		/* has ordered queues */
};

static const struct evsw_kind evsw_sw = {
	.name = "event_sw", .vdev = "event_sw0", .ordered = 1,
};

static const struct evsw_kind evsw_dsw = {
	.name = "event_dsw", .vdev = "event_dsw0",
};

static const struct evsw_kind *evsw_kind = &evsw_sw;
static uint8_t evsw_dev;
static uint32_t evsw_service;
static int evsw_configured;
static struct bench_case evsw_case;
static uint8_t evsw_queue_type;
static struct rte_event_dev_info evsw_info;

static const uint8_t evsw_sched_type[BENCH_NUM_SCHED] = {
	[BENCH_ATOMIC] = RTE_SCHED_TYPE_ATOMIC,
	[BENCH_ORDERED] = RTE_SCHED_TYPE_ORDERED,
	[BENCH_UNORDERED] = RTE_SCHED_TYPE_PARALLEL,
	[BENCH_DIRECTED] = RTE_SCHED_TYPE_ATOMIC,	/* ignored: single link */
};

/* @args: the vdev's arguments, e.g. "sched_quanta=256", or NULL. */
static int evsw_init(const struct evsw_kind *kind, const char *argv0,
		     const char *args)
{
	static char vdev[256];
	/*
	 * --no-shconf: no files in /var/run, so runs do not collide with
	 * each other; -m: event_sw alone needs some 40 MiB for its flow tables.
	 */
	char *eal_argv[] = {
		(char *)argv0, "--no-huge", "--no-pci", "--no-shconf",
		"--no-telemetry", vdev, "-l", "0", "-m", "256",
		"--log-level=*:error", NULL,
	};
	int eal_argc = (int)(sizeof(eal_argv) / sizeof(eal_argv[0])) - 1;
	int ret;

	evsw_kind = kind;
	snprintf(vdev, sizeof(vdev), "--vdev=%s%s%s", kind->vdev,
		 args ? "," : "", args ? args : "");
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		warning("%s: rte_eal_init: %s", kind->name,
			rte_strerror(rte_errno));
		return -EIO;
	}
	ret = rte_event_dev_get_dev_id(kind->vdev);
	if (ret < 0) {
		warning("%s: no device %s", kind->name, kind->vdev);
		rte_eal_cleanup();
		return -ENODEV;
	}
	evsw_dev = (uint8_t)ret;
	ret = rte_event_dev_info_get(evsw_dev, &evsw_info);
	if (ret) {
		rte_eal_cleanup();
		return ret;
	}
	return 0;
}

static int evsw_init_sw(const char *argv0, const char *args)
{
	return evsw_init(&evsw_sw, argv0, args);
}

static int evsw_init_dsw(const char *argv0, const char *args)
{
	return evsw_init(&evsw_dsw, argv0, args);
}

/* Whether the device under test has capability @cap (RTE_EVENT_DEV_CAP_*). */
static int evsw_cap(uint32_t cap)
{
	return !!(evsw_info.event_dev_cap & cap);
}

static void evsw_fini(void)
{
	rte_eal_cleanup();
}

static unsigned int evsw_num_queues(const struct bench_case *c)
{
	return c->sched == BENCH_DIRECTED ? c->ports : c->stages;
}

static int evsw_link(const struct bench_case *c, char *why, size_t len)
{
	uint8_t queues[2] = { 0, 1 };
	unsigned int p;
	int n, want;

	for (p = 0; p < c->ports; p++) {
		if (c->sched == BENCH_DIRECTED) {
			queues[0] = (uint8_t)p;
			want = 1;
		} else {
			want = (int)c->stages;
		}
		n = rte_event_port_link(evsw_dev, (uint8_t)p, queues, NULL,
					(uint16_t)want);
		if (n != want) {
			snprintf(why, len, "port %u link: %s", p,
				 rte_strerror(rte_errno));
			return -EINVAL;
		}
	}
	return 0;
}

static int evsw_setup(const struct bench_case *c, char *why, size_t len)
{
	struct rte_event_dev_config dc = { 0 };
	struct rte_event_queue_conf qc = { 0 };
	struct rte_event_port_conf pc = { 0 };
	unsigned int nq = evsw_num_queues(c);
	unsigned int i;
	int ret;

	if (c->sched == BENCH_MIXED) {
		snprintf(why, len, "%s has no all-types queues",
			 evsw_kind->name);
		return -ENOTSUP;
	}
	if (c->sched == BENCH_ORDERED && !evsw_kind->ordered) {
		snprintf(why, len, "%s has no ordered queues", evsw_kind->name);
		return -ENOTSUP;
	}
	if (c->ports > evsw_info.max_event_ports) {
		snprintf(why, len, "%s max %u ports", evsw_kind->name,
			 evsw_info.max_event_ports);
		return -ENOTSUP;
	}
	if (nq > evsw_info.max_event_queues) {
		snprintf(why, len, "%s max %u queues", evsw_kind->name,
			 evsw_info.max_event_queues);
		return -ENOTSUP;
	}
	if (c->window > (unsigned int)evsw_info.max_num_events) {
		snprintf(why, len, "%s max %d events in flight",
			 evsw_kind->name, evsw_info.max_num_events);
		return -ENOTSUP;
	}

	dc.nb_events_limit = (int32_t)evsw_info.max_num_events;
	dc.nb_event_queues = (uint8_t)nq;
	dc.nb_event_ports = (uint8_t)c->ports;
	dc.nb_event_queue_flows = evsw_info.max_event_queue_flows;
	dc.nb_event_port_dequeue_depth = evsw_info.max_event_port_dequeue_depth;
	dc.nb_event_port_enqueue_depth = evsw_info.max_event_port_enqueue_depth;
	ret = rte_event_dev_configure(evsw_dev, &dc);
	if (ret) {
		snprintf(why, len, "configure: %s", rte_strerror(-ret));
		return ret;
	}
	evsw_configured = 1;

	evsw_queue_type = evsw_sched_type[c->sched];
	qc.schedule_type = evsw_queue_type;
	qc.priority = RTE_EVENT_DEV_PRIORITY_NORMAL;
	qc.nb_atomic_flows = evsw_info.max_event_queue_flows;
	/* Reorder window: room for every event the loop keeps in flight. */
	qc.nb_atomic_order_sequences = (uint32_t)evsw_info.max_num_events;
	if (c->sched == BENCH_DIRECTED)
		qc.event_queue_cfg = RTE_EVENT_QUEUE_CFG_SINGLE_LINK;
	for (i = 0; i < nq; i++) {
		ret = rte_event_queue_setup(evsw_dev, (uint8_t)i, &qc);
		if (ret) {
			snprintf(why, len, "queue %u setup: %s", i,
				 rte_strerror(-ret));
			return ret;
		}
	}

	/*
	 * Every port may hold as many events as the device allows, so that
	 * the device's credits, not a smaller port threshold, bound the window.
	 */
	pc.new_event_threshold = evsw_info.max_num_events;
	pc.dequeue_depth = evsw_info.max_event_port_dequeue_depth;
	pc.enqueue_depth = evsw_info.max_event_port_enqueue_depth;
	if (evsw_cap(RTE_EVENT_DEV_CAP_IMPLICIT_RELEASE_DISABLE))
		pc.event_port_cfg = RTE_EVENT_PORT_CFG_DISABLE_IMPL_REL;
	for (i = 0; i < c->ports; i++) {
		ret = rte_event_port_setup(evsw_dev, (uint8_t)i, &pc);
		if (ret) {
			snprintf(why, len, "port %u setup: %s", i,
				 rte_strerror(-ret));
			return ret;
		}
	}
	ret = evsw_link(c, why, len);
	if (ret)
		return ret;

	/* A device that does not schedule in its ports has a service. */
	if (!evsw_cap(RTE_EVENT_DEV_CAP_DISTRIBUTED_SCHED)) {
		ret = rte_event_dev_service_id_get(evsw_dev, &evsw_service);
		if (ret) {
			snprintf(why, len, "no scheduler service: %s",
				 rte_strerror(-ret));
			return ret;
		}
		/* Run it from this thread only, not from a service core. */
		rte_service_runstate_set(evsw_service, 1);
		rte_service_set_runstate_mapped_check(evsw_service, 0);
	}
	ret = rte_event_dev_start(evsw_dev);
	if (ret) {
		snprintf(why, len, "start: %s", rte_strerror(-ret));
		return ret;
	}
	evsw_case = *c;
	return 0;
}

static void evsw_teardown(void)
{
	if (!evsw_configured)
		return;
	rte_event_dev_stop(evsw_dev);
	rte_event_dev_close(evsw_dev);
	evsw_configured = 0;
}

static unsigned int evsw_produce(struct bench_gen *g, unsigned int n)
{
	struct rte_event ev[BENCH_BURST];
	const int directed = evsw_case.sched == BENCH_DIRECTED;
	struct bench_gen next = *g;
	unsigned int i;
	uint16_t sent;

	if (n > BENCH_BURST)
		n = BENCH_BURST;
	for (i = 0; i < n; i++) {
		ev[i].event = 0;
		ev[i].op = RTE_EVENT_OP_NEW;
		ev[i].event_type = RTE_EVENT_TYPE_CPU;
		ev[i].sched_type = evsw_queue_type;
		ev[i].flow_id = next.flow;
		ev[i].queue_id = directed ? (uint8_t)next.dir_port : 0;
		ev[i].sub_event_type = 0;	/* stage */
		ev[i].u64 = next.seq;
		bench_gen_advance(&next);
	}
	sent = rte_event_enqueue_burst(evsw_dev, 0, ev, (uint16_t)n);
	/* Advance past the accepted events; the rest are built again. */
	if (sent == n)
		*g = next;
	else
		for (i = 0; i < sent; i++)
			bench_gen_advance(g);
	return sent;
}

static void evsw_schedule(void)
{
	unsigned int p;

	if (!evsw_cap(RTE_EVENT_DEV_CAP_DISTRIBUTED_SCHED)) {
		rte_service_run_iter_on_app_lcore(evsw_service, 0);
		return;
	}
	for (p = 0; p < evsw_case.ports; p++)
		rte_event_maintain(evsw_dev, (uint8_t)p, 0);
}

static unsigned int evsw_drain(unsigned int port, struct bench_tally *t)
{
	struct rte_event ev[BENCH_BURST];
	const int directed = evsw_case.sched == BENCH_DIRECTED;
	const int two_stage = evsw_case.stages == 2;
	const uint8_t next_dir = (uint8_t)((port + 1) % evsw_case.ports);
	unsigned int total = 0;
	uint16_t n, i, sent;
	unsigned long tries;

	for (;;) {
		n = rte_event_dequeue_burst(evsw_dev, (uint8_t)port, ev,
					    BENCH_BURST, 0);
		if (!n)
			break;
		total += n;
		if (t->checking)
			for (i = 0; i < n; i++)
				bench_tally_check(t, port, ev[i].sub_event_type,
						  ev[i].flow_id, ev[i].u64);
		/* Each event goes back in place, as FORWARD or RELEASE. */
		for (i = 0; i < n; i++) {
			if (two_stage && ev[i].sub_event_type == 0) {
				ev[i].op = RTE_EVENT_OP_FORWARD;
				ev[i].sub_event_type = 1;
				ev[i].queue_id = directed ? next_dir : 1;
				t->forwarded++;
				continue;
			}
			t->done++;
			t->sum += ev[i].u64;
			/*
			 * Directed ports too: event_sw returns an event's
			 * credit only when its port releases it.
			 */
			ev[i].op = RTE_EVENT_OP_RELEASE;
		}
		for (i = 0, tries = 0; i < n; i += sent) {
			sent = rte_event_enqueue_burst(evsw_dev, (uint8_t)port,
						       ev + i, n - i);
			/* Releases and forwards take no credit; only a full
			 * port ring refuses them: let the scheduler drain it.
			 */
			if (sent < n - i) {
				if (++tries > 1000000) {
					warning("%s refuses releases",
						evsw_kind->name);
					abort();
				}
				evsw_schedule();
				t->step++;
			}
		}
	}
	return total;
}

/* The two devices differ only in their kind, set by their init. */
#define EVSW_BACKEND(_name, _init) {		\
	.name = (_name),			\
	.init = (_init),			\
	.setup = evsw_setup,			\
	.teardown = evsw_teardown,		\
	.produce = evsw_produce,		\
	.schedule = evsw_schedule,		\
	.drain = evsw_drain,			\
	.fini = evsw_fini,			\
}

const struct bench_backend bench_event_sw =
	EVSW_BACKEND("event_sw", evsw_init_sw);
const struct bench_backend bench_event_dsw =
	EVSW_BACKEND("event_dsw", evsw_init_dsw);
