// SPDX-License-Identifier: BSD-3-Clause
/*
 * event_dlbk.c - a DPDK eventdev driver for the dlb kernel module: the
 * vdev probe and its devargs, the eventdev operations, and the fast path
 * (enqueue and dequeue through the port files' rings with libdlbk).
 *
 *   --vdev=event_dlbk0[,dev=dlb0][,name=<domain>]
 *
 * Managed mode: rte_event_dev_start() builds, links and starts a domain
 * named <domain> (default: dpdk-<pid>-<vdev name>) in configfs; stop stops
 * it, close removes it. Attach mode (domain=<name>): the application uses
 * a started domain an administrator made, checked against its setup
 * calls, and needs only the right to open its port files. The mapping of
 * eventdev semantics onto dlb is in event_dlbk.7.
 */
#define _GNU_SOURCE	/* ppoll() */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <bus_vdev_driver.h>
#include <eventdev_pmd.h>
#include <eventdev_pmd_vdev.h>

#include "dlb_name.h"
#include "event_dlbk.h"

RTE_LOG_REGISTER(dlbk_logtype, pmd.event.dlbk, NOTICE);

#define DLBK_ARG_DEV		"dev"
#define DLBK_ARG_NAME		"name"
#define DLBK_ARG_DOMAIN		"domain"
#define DLBK_ARG_SCHED_CALL	"sched_call"

static const char *const evdlbk_args[] = {
	DLBK_ARG_DEV, DLBK_ARG_NAME, DLBK_ARG_DOMAIN, DLBK_ARG_SCHED_CALL,
	NULL
};

/* eventdev's 0 (highest) to 255 onto dlb's 0 (highest) to 7. */
static inline uint8_t evdlbk_prio(uint8_t rte_prio)
{
	return rte_prio >> 5;
}

static void evdlbk_info_get(struct rte_eventdev *dev,
			  struct rte_event_dev_info *info)
{
	struct dlbk_dev *d = dev->data->dev_private;
	uint32_t credits;

	memset(info, 0, sizeof(*info));
	info->driver_name = "event_dlbk";
	info->min_dequeue_timeout_ns = DLBK_MIN_DEQ_TMO_NS;
	info->max_dequeue_timeout_ns = DLBK_MAX_DEQ_TMO_NS;
	info->dequeue_timeout_ns = 0;
	info->max_event_queues = RTE_MIN(DLBK_MAX_QUEUES, d->rsrc.num_ldb_queues);
	info->max_event_queue_flows = DLBK_MAX_FLOWS;
	info->max_event_queue_priority_levels = 1;
	info->max_event_priority_levels = DLB_NUM_PRIOS;
	/* Every port may have the default CQ depth in the history list. */
	info->max_event_ports = RTE_MIN(RTE_MIN(DLBK_MAX_PORTS, d->rsrc.num_ldb_ports),
					d->rsrc.num_hist_list_entries / DLBK_DEF_CQ_DEPTH);
	info->max_event_port_dequeue_depth = DLBK_MAX_CQ_DEPTH;
	info->max_event_port_enqueue_depth = DLBK_MAX_ENQ_DEPTH;
	info->max_event_port_links = DLBK_MAX_QUEUES;
	info->max_num_events = (int32_t)d->rsrc.num_ldb_credits;
	/*
	 * What a start could have now: other domains may hold credits, and
	 * an application sizes nb_events_limit from this (the domain's
	 * credits must cover it).
	 */
	if (!d->attach && !dev->data->dev_started &&
	    !dlbk_free_credits(d, &credits))
		info->max_num_events = (int32_t)credits;
	info->max_single_link_event_port_queue_pairs = 0;
	if (d->attach) {
		/* What the domain has; its dir queues count as queues. */
		info->max_event_queues = d->att.nb_queues;
		info->max_event_ports = d->att.nb_ports;
		/* new_event_threshold <= the domain's credits: forwards
		 * always find one (the credit deadlock guard).
		 */
		info->max_num_events = (int32_t)d->att.ldb_credits;
	}
	info->event_dev_cap = RTE_EVENT_DEV_CAP_EVENT_QOS |
			      RTE_EVENT_DEV_CAP_DISTRIBUTED_SCHED |
			      RTE_EVENT_DEV_CAP_BURST_MODE |
			      RTE_EVENT_DEV_CAP_IMPLICIT_RELEASE_DISABLE |
			      RTE_EVENT_DEV_CAP_NONSEQ_MODE |
			      RTE_EVENT_DEV_CAP_RUNTIME_PORT_LINK |
			      RTE_EVENT_DEV_CAP_MULTIPLE_QUEUE_PORT |
			      RTE_EVENT_DEV_CAP_CARRY_FLOW_ID |
			      RTE_EVENT_DEV_CAP_MAINTENANCE_FREE |
			      RTE_EVENT_DEV_CAP_QUEUE_ALL_TYPES;
}

static int evdlbk_configure(const struct rte_eventdev *dev)
{
	struct dlbk_dev *d = dev->data->dev_private;
	const struct rte_event_dev_config *c = &dev->data->dev_conf;
	unsigned int q;

	if (d->attach) {
		int err = dlbk_attach_read(d);

		if (err) {
			/* The library releases every queue and port then. */
			d->nb_queues = 0;
			d->nb_ports = 0;
			return err;
		}
	}
	d->conf = *c;
	d->nb_queues = c->nb_event_queues;
	d->nb_ports = c->nb_event_ports;
	d->per_deq_tmo = c->event_dev_cfg & RTE_EVENT_DEV_CFG_PER_DEQUEUE_TIMEOUT;
	d->deq_tmo_ns = c->dequeue_timeout_ns;
	for (q = 0; q < DLBK_MAX_QUEUES; q++)
		if (q >= d->nb_queues)
			d->queues[q].set_up = false;
	return 0;
}

static void evdlbk_queue_def_conf(struct rte_eventdev *dev, uint8_t queue_id,
				struct rte_event_queue_conf *conf)
{
	struct dlbk_dev *d = dev->data->dev_private;

	RTE_SET_USED(queue_id);
	memset(conf, 0, sizeof(*conf));
	conf->nb_atomic_flows = RTE_MIN(1024u, d->conf.nb_event_queue_flows);
	conf->nb_atomic_order_sequences = conf->nb_atomic_flows;
	conf->schedule_type = RTE_SCHED_TYPE_ATOMIC;
	conf->priority = RTE_EVENT_DEV_PRIORITY_NORMAL;
}

/*
 * The sched type of each QE sent to @q by its event's sched_type, and the
 * sched_type a dequeued event gets back by its QE's: a one-type queue has
 * one of each, whatever the event says (eventdev ignores an event's
 * sched_type then); an all-types queue maps the three eventdev types onto
 * dlb's and has none for the fourth value.
 */
static void evdlbk_queue_sched_map(struct dlbk_queue *q)
{
	static const uint8_t qe_of_rte[4] = {
		[RTE_SCHED_TYPE_ORDERED] = DLB_SCHED_ORDERED,
		[RTE_SCHED_TYPE_ATOMIC] = DLB_SCHED_ATOMIC,
		[RTE_SCHED_TYPE_PARALLEL] = DLB_SCHED_UNORDERED,
		[3] = DLBK_SCHED_BAD,
	};
	static const uint8_t rte_of_qe[4] = {
		[DLB_SCHED_ATOMIC] = RTE_SCHED_TYPE_ATOMIC,
		[DLB_SCHED_UNORDERED] = RTE_SCHED_TYPE_PARALLEL,
		[DLB_SCHED_ORDERED] = RTE_SCHED_TYPE_ORDERED,
		[DLB_SCHED_DIRECTED] = RTE_SCHED_TYPE_ATOMIC,
	};
	unsigned int i;

	for (i = 0; i < 4; i++) {
		q->qe_sched[i] = q->sched == DLBK_SCHED_ALL ? qe_of_rte[i] :
							     q->sched;
		q->rte_of[i] = q->sched == DLBK_SCHED_ALL ? rte_of_qe[i] :
							    q->rte_sched;
	}
}

static int evdlbk_queue_setup(struct rte_eventdev *dev, uint8_t queue_id,
			    const struct rte_event_queue_conf *conf)
{
	struct dlbk_dev *d = dev->data->dev_private;
	struct dlbk_queue *q = &d->queues[queue_id];
	uint32_t cfg = conf->event_queue_cfg;

	memset(q, 0, sizeof(*q));
	q->kid = -1;
	if (cfg & RTE_EVENT_QUEUE_CFG_SINGLE_LINK) {
		q->dir = true;
		q->sched = DLB_SCHED_DIRECTED;
		/* What a dequeued event of it says; DLB has no other. */
		q->rte_sched = conf->schedule_type;
	} else if (cfg & RTE_EVENT_QUEUE_CFG_ALL_TYPES) {
		/* dlb's sched_type all: each QE carries its event's type. */
		q->sched = DLBK_SCHED_ALL;
		q->nb_seq = conf->nb_atomic_order_sequences;
	} else {
		switch (conf->schedule_type) {
		case RTE_SCHED_TYPE_ATOMIC:
			q->sched = DLB_SCHED_ATOMIC;
			break;
		case RTE_SCHED_TYPE_ORDERED:
			q->sched = DLB_SCHED_ORDERED;
			q->nb_seq = conf->nb_atomic_order_sequences;
			break;
		case RTE_SCHED_TYPE_PARALLEL:
			q->sched = DLB_SCHED_UNORDERED;
			break;
		default:
			DLBK_LOG(ERR, "queue %u: unknown schedule_type %u",
				 queue_id, conf->schedule_type);
			return -EINVAL;
		}
		q->rte_sched = conf->schedule_type;
	}
	evdlbk_queue_sched_map(q);
	if (d->attach) {
		const char *const *names = dlbk_sched_names;
		const typeof(d->att.q[0]) *aq = &d->att.q[queue_id];

		if (aq->dir != q->dir || aq->sched != q->sched) {
			DLBK_LOG(ERR, "queue %u: the application sets up %s %s, domain %s's queue %s is %s %s",
				 queue_id, q->dir ? "dir" : "ldb", names[q->sched],
				 d->domain, aq->name, aq->dir ? "dir" : "ldb",
				 names[aq->sched]);
			return -EINVAL;
		}
	}
	q->set_up = true;
	return 0;
}

static void evdlbk_queue_release(struct rte_eventdev *dev, uint8_t queue_id)
{
	struct dlbk_dev *d = dev->data->dev_private;

	d->queues[queue_id].set_up = false;
}

static void evdlbk_port_def_conf(struct rte_eventdev *dev, uint8_t port_id,
			       struct rte_event_port_conf *conf)
{
	struct dlbk_dev *d = dev->data->dev_private;

	RTE_SET_USED(port_id);
	memset(conf, 0, sizeof(*conf));
	conf->new_event_threshold = RTE_MIN(d->conf.nb_events_limit ?
					    (int32_t)d->conf.nb_events_limit :
					    (int32_t)d->rsrc.num_ldb_credits,
					    (int32_t)d->rsrc.num_ldb_credits);
	conf->dequeue_depth = RTE_MIN(DLBK_DEF_CQ_DEPTH,
				      d->conf.nb_event_port_dequeue_depth ?
				      d->conf.nb_event_port_dequeue_depth :
				      DLBK_DEF_CQ_DEPTH);
	conf->enqueue_depth = RTE_MIN(DLBK_DEF_ENQ_DEPTH,
				      d->conf.nb_event_port_enqueue_depth ?
				      d->conf.nb_event_port_enqueue_depth :
				      DLBK_DEF_ENQ_DEPTH);
}

static void evdlbk_port_release(void *port)
{
	struct dlbk_evport *ep = port;

	if (!ep)
		return;
	dlbk_port_close(ep->port);
	rte_free(ep);
}

static int evdlbk_port_setup(struct rte_eventdev *dev, uint8_t port_id,
			   const struct rte_event_port_conf *conf)
{
	struct dlbk_dev *d = dev->data->dev_private;
	struct dlbk_evport *ep = dev->data->ports[port_id];

	/* RTE_EVENT_PORT_CFG_SINGLE_LINK needs nothing: a port's type
	 * follows its links at start (see dlbk_domain_check()).
	 */
	if (!ep) {
		ep = rte_zmalloc_socket("event_dlbk port", sizeof(*ep),
					RTE_CACHE_LINE_SIZE, dev->data->socket_id);
		if (!ep) {
			DLBK_LOG(ERR, "port %u: out of memory", port_id);
			return -ENOMEM;
		}
		dev->data->ports[port_id] = ep;
	}
	memset(ep, 0, sizeof(*ep));
	ep->dev = d;
	ep->id = port_id;
	ep->kid = -1;
	ep->deq_depth = conf->dequeue_depth;
	ep->enq_depth = conf->enqueue_depth;
	ep->cq_depth = RTE_MIN(rte_align32pow2(conf->dequeue_depth),
			       (uint32_t)DLBK_MAX_CQ_DEPTH);
	/* -1, an open system's "no threshold": the device's own limit. */
	ep->new_threshold = conf->new_event_threshold < 0 ?
			    d->conf.nb_events_limit :
			    conf->new_event_threshold;
	ep->implicit_release = !(conf->event_port_cfg &
				 RTE_EVENT_PORT_CFG_DISABLE_IMPL_REL);
	ep->sched_call = d->sched_call;
	if (d->attach) {
		ep->dir = d->att.p[port_id].dir;
		ep->cq_depth = d->att.p[port_id].cq_depth;
	}
	return 0;
}

/* The other port linked to queue @q, if any. */
static struct dlbk_evport *evdlbk_single_linked(struct rte_eventdev *dev,
						const struct dlbk_evport *ep,
						uint8_t q)
{
	struct dlbk_dev *d = dev->data->dev_private;
	struct dlbk_evport *other;
	unsigned int p;

	for (p = 0; p < d->nb_ports; p++) {
		other = dev->data->ports[p];
		if (other && other != ep && other->linked[q])
			return other;
	}
	return NULL;
}

static int evdlbk_port_link(struct rte_eventdev *dev, void *port,
			  const uint8_t queues[], const uint8_t prios[],
			  uint16_t nb)
{
	struct dlbk_dev *d = dev->data->dev_private;
	struct dlbk_evport *ep = port;
	uint16_t i;
	int err;

	for (i = 0; i < nb; i++) {
		uint8_t q = queues[i];
		struct dlbk_evport *other = d->queues[q].dir ?
			evdlbk_single_linked(dev, ep, q) : NULL;

		if (d->attach) {
			if (!d->att.p[ep->id].linked[q]) {
				DLBK_LOG(ERR, "port %u (%s) is not linked to queue %u (%s) in domain %s, and attach mode changes no link",
					 ep->id, d->att.p[ep->id].name, q,
					 d->att.q[q].name, d->domain);
				rte_errno = EINVAL;
				return i;
			}
		} else if (other) {
			DLBK_LOG(ERR, "port %u, queue %u: the single-link queue is linked to port %u already",
				 ep->id, q, other->id);
			rte_errno = EDQUOT;
			return i;
		} else if (dev->data->dev_started) {
			if (ep->dir || d->queues[q].dir) {
				DLBK_LOG(ERR, "port %u, queue %u: single-link queues are linked only while stopped",
					 ep->id, q);
				rte_errno = EINVAL;
				return i;
			}
			ep->link_prio[q] = evdlbk_prio(prios[i]);
			err = dlbk_link_live(ep, q, true);
			if (err) {
				rte_errno = -err;
				return i;
			}
		}
		ep->linked[q] = 1;
		ep->link_prio[q] = evdlbk_prio(prios[i]);
	}
	return nb;
}

static int evdlbk_port_unlink(struct rte_eventdev *dev, void *port,
			    uint8_t queues[], uint16_t nb)
{
	struct dlbk_dev *d = dev->data->dev_private;
	struct dlbk_evport *ep = port;
	uint16_t i, done = 0;
	int err;

	for (i = 0; i < nb; i++) {
		uint8_t q = queues[i];

		if (!ep->linked[q]) {
			/* Unlinked already: after a port is set up again,
			 * the library unlinks what it still lists.
			 */
			queues[done++] = q;
			continue;
		}
		if (d->attach) {
			DLBK_LOG(ERR, "port %u (%s): attach mode changes no link of domain %s",
				 ep->id, d->att.p[ep->id].name, d->domain);
			rte_errno = EINVAL;
			return done;
		}
		if (dev->data->dev_started) {
			if (ep->dir) {
				DLBK_LOG(ERR, "port %u: a single-link queue is unlinked only while stopped",
					 ep->id);
				rte_errno = EINVAL;
				return done;
			}
			err = dlbk_link_live(ep, q, false);
			if (err) {
				rte_errno = -err;
				return done;
			}
		}
		ep->linked[q] = 0;
		queues[done++] = q;
	}
	return done;
}

/* An unlink is done when configfs's rm returns: nothing is in progress. */
static int evdlbk_port_unlinks_in_progress(struct rte_eventdev *dev, void *port)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(port);
	return 0;
}

static int evdlbk_timeout_ticks(struct rte_eventdev *dev, uint64_t ns,
			      uint64_t *ticks)
{
	RTE_SET_USED(dev);
	*ticks = ns;	/* a tick is a nanosecond */
	return 0;
}

/*
 * Attach mode: whether the domain as read now (@now) still has, for the
 * device's queues and ports, what the setup calls were checked against
 * (@was): the same names, types and links. Ids may differ (a restart
 * assigns them again). Logs what differs.
 */
static bool evdlbk_attach_same(const struct dlbk_dev *d,
			       const struct dlbk_attach *was,
			       const struct dlbk_attach *now)
{
	unsigned int q, p;

	if (now->nb_queues < d->nb_queues || now->nb_ports < d->nb_ports) {
		DLBK_LOG(ERR, "domain %s changed: it has %u queues and %u ports now",
			 d->domain, now->nb_queues, now->nb_ports);
		return false;
	}
	for (q = 0; q < d->nb_queues; q++) {
		if (strcmp(was->q[q].name, now->q[q].name) ||
		    was->q[q].dir != now->q[q].dir ||
		    was->q[q].sched != now->q[q].sched) {
			DLBK_LOG(ERR, "domain %s changed since setup: queue %u was %s (%s), is %s (%s)",
				 d->domain, q, was->q[q].name,
				 dlbk_sched_names[was->q[q].sched],
				 now->q[q].name,
				 dlbk_sched_names[now->q[q].sched]);
			return false;
		}
	}
	for (p = 0; p < d->nb_ports; p++) {
		if (strcmp(was->p[p].name, now->p[p].name) ||
		    was->p[p].dir != now->p[p].dir ||
		    memcmp(was->p[p].linked, now->p[p].linked,
			   d->nb_queues)) {
			DLBK_LOG(ERR, "domain %s changed since setup: port %u (%s, now %s) or its links",
				 d->domain, p, was->p[p].name, now->p[p].name);
			return false;
		}
	}
	return true;
}

/* Attach mode: the domain as it is now, its ids into the maps. */
static int evdlbk_attach_start(struct rte_eventdev *dev)
{
	struct dlbk_dev *d = dev->data->dev_private;
	struct dlbk_attach was = d->att;
	unsigned int q, p;
	int err;

	err = dlbk_attach_read(d);
	if (err)
		return err;
	if (!evdlbk_attach_same(d, &was, &d->att)) {
		d->att = was;	/* the setup stands; the domain must match it */
		return -EINVAL;
	}
	memset(d->evq_of_ldb, 0xff, sizeof(d->evq_of_ldb));
	memset(d->evq_of_dir, 0xff, sizeof(d->evq_of_dir));
	for (q = 0; q < d->nb_queues; q++) {
		if (!d->queues[q].set_up) {
			DLBK_LOG(ERR, "queue %u was not set up", q);
			return -EINVAL;
		}
		d->queues[q].kid = d->att.q[q].kid;
		if (d->queues[q].dir)
			d->evq_of_dir[d->queues[q].kid] = q;
		else
			d->evq_of_ldb[d->queues[q].kid] = q;
	}
	for (p = 0; p < d->nb_ports; p++) {
		struct dlbk_evport *ep = dev->data->ports[p];

		if (!ep) {
			DLBK_LOG(ERR, "port %u was not set up", p);
			return -ESTALE;
		}
		ep->kid = d->att.p[p].kid;
	}
	return dlbk_domain_open_ports(dev);
}

static int evdlbk_start(struct rte_eventdev *dev)
{
	struct dlbk_dev *d = dev->data->dev_private;
	int err;

	if (d->attach) {
		err = evdlbk_attach_start(dev);
		if (!err) {
			__atomic_store_n(&d->inflights, 0, __ATOMIC_RELAXED);
			dlbk_xstats_start(dev);
		}
		return err;
	}
	err = dlbk_domain_build(dev);
	if (err)
		return err;
	err = dlbk_domain_open_ports(dev);
	if (err) {
		if (dlbk_domain_remove(d, d->path) == 0)
			d->built = false;
		return err;
	}
	__atomic_store_n(&d->inflights, 0, __ATOMIC_RELAXED);
	dlbk_xstats_start(dev);
	return 0;
}

static void evdlbk_drain(struct rte_eventdev *dev);

static void evdlbk_stop(struct rte_eventdev *dev)
{
	struct dlbk_dev *d = dev->data->dev_private;
	uint64_t n_new = 0, n_fwd = 0, n_rel = 0, n_deq = 0;
	unsigned int p;

	for (p = 0; p < d->nb_ports; p++) {
		struct dlbk_evport *ep = dev->data->ports[p];

		n_new += ep->n_new;
		n_fwd += ep->n_fwd;
		n_rel += ep->n_rel;
		n_deq += ep->n_deq;
		ep->n_new = ep->n_fwd = ep->n_rel = ep->n_deq = 0;
	}
	evdlbk_drain(dev);
	DLBK_LOG(INFO, "stopping domain %s of %s: events new %" PRIu64 " forwarded %" PRIu64
		 " released %" PRIu64 " dequeued %" PRIu64 ", in flight %d",
		 d->domain, d->dlbdev, n_new, n_fwd, n_rel, n_deq,
		 __atomic_load_n(&d->inflights, __ATOMIC_RELAXED));
	dlbk_domain_close_ports(dev);
	if (d->built)
		dlbk_domain_stop(d);
}

static int evdlbk_close(struct rte_eventdev *dev)
{
	struct dlbk_dev *d = dev->data->dev_private;
	unsigned int p;
	int err = 0;

	dlbk_domain_close_ports(dev);
	if (d->built) {
		err = dlbk_domain_remove(d, d->path);
		if (!err)
			d->built = false;
	}
	/* The library releases no port at close: the ports go here. */
	for (p = 0; p < d->nb_ports; p++) {
		evdlbk_port_release(dev->data->ports[p]);
		dev->data->ports[p] = NULL;
	}
	return err;
}

static void evdlbk_dump(struct rte_eventdev *dev, FILE *f)
{
	struct dlbk_dev *d = dev->data->dev_private;
	unsigned int q, p;

	fprintf(f, "event_dlbk: device %s, domain %s (%s), %u queues, %u ports, inflights %d\n",
		d->dlbdev, d->domain, d->path, d->nb_queues, d->nb_ports,
		__atomic_load_n(&d->inflights, __ATOMIC_RELAXED));
	for (q = 0; q < d->nb_queues; q++)
		fprintf(f, "  queue %u: %s sched %u, dlb id %d\n", q,
			d->queues[q].dir ? "dir" : "ldb", d->queues[q].sched,
			d->queues[q].kid);
	for (p = 0; p < d->nb_ports; p++) {
		struct dlbk_evport *ep = dev->data->ports[p];

		if (ep)
			fprintf(f, "  port %u: %s cq_depth %u, dlb id %d, held %u\n",
				p, ep->dir ? "dir" : "ldb", ep->cq_depth,
				ep->kid, ep->held);
	}
	dlbk_xstats_dump(dev, f);
}

/* --- fast path ---------------------------------------------------------- */

/*
 * Reserve @n NEW events against the port's new_event_threshold; how many
 * may go. The gauge is the domain's NEW events minus its released ones.
 */
static inline uint16_t evdlbk_reserve_new(struct dlbk_evport *ep, uint16_t n)
{
	int32_t cur = __atomic_load_n(&ep->dev->inflights, __ATOMIC_RELAXED);
	int32_t room;
	uint16_t k;

	/* One compare-and-swap, so that ports racing cannot overshoot. */
	do {
		room = ep->new_threshold - cur;
		if (room <= 0)
			return 0;
		k = n > room ? (uint16_t)room : n;
	} while (!__atomic_compare_exchange_n(&ep->dev->inflights, &cur,
					      cur + k, true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return k;
}

static inline void evdlbk_release_gauge(struct dlbk_evport *ep, uint32_t n)
{
	if (n)
		__atomic_fetch_sub(&ep->dev->inflights, (int32_t)n,
				   __ATOMIC_RELAXED);
}

/*
 * Returns false if @ev's queue is not one of the device's, or has no QE
 * sched type for its sched_type (sched_type 3 to an all-types queue):
 * the burst then stops before it with rte_errno EINVAL, as eventdev says.
 */
static inline bool evdlbk_to_qe(const struct dlbk_dev *d,
				const struct rte_event *ev, struct dlb_qe *qe)
{
	const struct dlbk_queue *q;
	uint8_t sched;

	if (unlikely(ev->queue_id >= d->nb_queues))
		return false;
	q = &d->queues[ev->queue_id];
	sched = q->qe_sched[ev->sched_type];

	qe->data = ev->u64;
	/* The 12 bits of event type and sub type, and flow_id's top 4. */
	qe->opaque = (uint16_t)(ev->sub_event_type | (ev->event_type << 8) |
				((ev->flow_id >> 16) << 12));
	qe->qid = (uint8_t)q->kid;
	qe->meta = DLB_META(sched, evdlbk_prio(ev->priority), 0);
	qe->lock_id = (uint16_t)ev->flow_id;
	qe->rsvd = 0;
	return sched != DLBK_SCHED_BAD;
}

static uint16_t evdlbk_enqueue_burst(void *port, const struct rte_event ev[],
				   uint16_t nb)
{
	struct dlbk_evport *ep = port;
	struct dlbk_dev *d = ep->dev;
	struct dlb_qe qes[DLB_PP_ENTRIES];
	uint16_t i, nq = 0, n_new = 0, new_ok;
	uint32_t released = 0, held;
	unsigned int want = RTE_MIN(nb, ep->enq_depth), space;

	space = dlbk_port_space(ep->port);
	if (want > space && ep->sched_call) {
		/* The burst does not fit: empty the ring on this lcore. */
		dlbk_port_schedule(ep->port);
		space = dlbk_port_space(ep->port);
	}
	if (want > space)
		want = space;
	if (want < nb) {
		/* Cut short: backpressure, which callers (the timer adapter's
		 * flush, for one) tell from an invalid event by rte_errno.
		 */
		nb = (uint16_t)want;
		rte_errno = ENOSPC;
	}

	/* The NEW events, and the FORWARDs beyond what the port holds. */
	for (i = 0, held = ep->held; i < nb; i++) {
		if (ev[i].op == RTE_EVENT_OP_NEW)
			n_new++;
		else if (held)
			held--;		/* a FORWARD or RELEASE completes one */
		else
			n_new += ev[i].op == RTE_EVENT_OP_FORWARD;
	}
	new_ok = n_new ? evdlbk_reserve_new(ep, n_new) : 0;

	for (i = 0; i < nb; i++) {
		const struct rte_event *e = &ev[i];

		switch (e->op) {
		case RTE_EVENT_OP_FORWARD:
			if (ep->held) {
				if (unlikely(!evdlbk_to_qe(d, e, &qes[nq]))) {
					rte_errno = EINVAL;
					goto out;
				}
				/* A dir port holds nothing in dlb. */
				qes[nq++].cmd = ep->dir ? DLB_CMD_NEW : DLB_CMD_FWD;
				ep->held--;
				ep->n_fwd++;
				break;
			}
			/* Nothing to forward from: a new event. */
			/* fallthrough */
		case RTE_EVENT_OP_NEW:
			if (!new_ok) {
				rte_errno = ENOSPC;
				goto out;
			}
			if (unlikely(!evdlbk_to_qe(d, e, &qes[nq]))) {
				rte_errno = EINVAL;
				goto out;
			}
			new_ok--;
			ep->n_new++;
			qes[nq++].cmd = DLB_CMD_NEW;
			break;
		case RTE_EVENT_OP_RELEASE:
			if (!ep->held)
				break;
			ep->held--;
			released++;
			ep->n_rel++;
			if (!ep->dir) {
				memset(&qes[nq], 0, sizeof(qes[nq]));
				qes[nq++].cmd = DLB_CMD_REL;
			}
			break;
		default:
			rte_errno = EINVAL;
			goto out;
		}
	}
out:
	/* Reservations the burst did not use go back. */
	evdlbk_release_gauge(ep, released + new_ok);
	if (nq)
		dlbk_port_enqueue(ep->port, qes, nq);	/* takes all: space */
	return i;
}

static uint16_t evdlbk_enqueue(void *port, const struct rte_event *ev)
{
	return evdlbk_enqueue_burst(port, ev, 1);
}

/* Implicit release: what the previous dequeue gave and was not completed. */
static inline void evdlbk_release_held(struct dlbk_evport *ep)
{
	uint32_t n = ep->held;

	if (!ep->dir) {
		n = dlbk_port_release(ep->port, n);
		if (!n)
			return;
	}
	ep->held -= n;
	ep->n_rel += n;
	evdlbk_release_gauge(ep, n);
}

static inline void evdlbk_from_deq(const struct dlbk_dev *d,
				   const struct dlb_deq *e, struct rte_event *ev)
{
	uint8_t sched = DLB_META_SCHED(e->meta);
	uint8_t q = sched == DLB_SCHED_DIRECTED ? d->evq_of_dir[e->qid] :
						   d->evq_of_ldb[e->qid];

	ev->event = 0;
	ev->flow_id = e->lock_id | (uint32_t)(e->opaque >> 12) << 16;
	ev->sub_event_type = e->opaque & 0xff;
	ev->event_type = (e->opaque >> 8) & 0xf;
	ev->op = RTE_EVENT_OP_NEW;
	ev->queue_id = q;
	ev->sched_type = q < DLBK_MAX_QUEUES ? d->queues[q].rte_of[sched] : 0;
	ev->priority = (uint8_t)(DLB_META_PRIO(e->meta) << 5);
	ev->u64 = e->data;
}

static uint16_t evdlbk_dequeue_burst(void *port, struct rte_event ev[],
				   uint16_t nb, uint64_t wait)
{
	struct dlbk_evport *ep = port;
	struct dlbk_dev *d = ep->dev;
	struct dlb_deq deq[DLBK_MAX_CQ_DEPTH];
	unsigned int i, n;

	if (ep->implicit_release && ep->held) {
		evdlbk_release_held(ep);
		if (unlikely(ep->held) && ep->sched_call) {
			/* The ring is full: empty it on this lcore. */
			dlbk_port_schedule(ep->port);
			evdlbk_release_held(ep);
		}
		/* Not all released: new events would be completed in their
		 * place (completions go oldest first). Not yet, then.
		 */
		if (unlikely(ep->held))
			return 0;
	}
	if (nb > ep->deq_depth)
		nb = ep->deq_depth;

	n = dlbk_port_dequeue(ep->port, deq, nb, 0);
	if (!n && ep->sched_call) {
		/* Schedule on this lcore rather than wait for the thread. */
		dlbk_port_schedule(ep->port);
		n = dlbk_port_dequeue(ep->port, deq, nb, 0);
	}
	if (!n) {
		uint64_t ns = d->per_deq_tmo ? wait : d->deq_tmo_ns;

		if (!ns)
			return 0;
		struct timespec ts = {
			.tv_sec = (time_t)(ns / 1000000000u),
			.tv_nsec = (long)(ns % 1000000000u),
		};
		struct pollfd pfd = {
			.fd = dlbk_port_fd(ep->port), .events = POLLIN,
		};

		if (ppoll(&pfd, 1, &ts, NULL) <= 0)
			return 0;
		n = dlbk_port_dequeue(ep->port, deq, nb, 0);
	}

	for (i = 0; i < n; i++)
		evdlbk_from_deq(d, &deq[i], &ev[i]);
	ep->held += n;
	ep->n_deq += n;
	return (uint16_t)n;
}

static uint16_t evdlbk_dequeue(void *port, struct rte_event *ev, uint64_t wait)
{
	return evdlbk_dequeue_burst(port, ev, 1, wait);
}

static void evdlbk_maintain(void *port, int op)
{
	RTE_SET_USED(port);
	RTE_SET_USED(op);
}

/* Whether every queue of the domain is empty, as configfs says. */
static bool evdlbk_queues_empty(const struct dlbk_dev *d)
{
	char path[PATH_MAX];
	unsigned int q;
	uint32_t depth;
	int n;

	for (q = 0; q < d->nb_queues; q++) {
		if (d->attach)
			n = snprintf(path, sizeof(path), "%s/queues/%s/depth",
				     d->path, d->att.q[q].name);
		else
			n = snprintf(path, sizeof(path), "%s/queues/q%02u/depth",
				     d->path, q);
		if (n > 0 && (size_t)n < sizeof(path) &&
		    !attr_read_u32(path, &depth) && depth > 0)
			return false;
	}
	return true;
}

/*
 * At stop: release what the application still holds, then take every
 * event still in the device from the ports' consumer queues, hand each to
 * the stop-flush callback if one is registered, and release it; until the
 * queues are empty and the ports have stayed empty for 10 ms (the kernel's
 * scheduler thread may still be moving events), or 1 s has passed.
 */
static void evdlbk_drain(struct rte_eventdev *dev)
{
	struct dlbk_dev *d = dev->data->dev_private;
	struct dlb_deq deq[DLBK_MAX_CQ_DEPTH];
	struct rte_event ev;
	unsigned int p, i, n, idle = 0, rounds;
	uint64_t flushed = 0;

	for (p = 0; p < d->nb_ports; p++) {
		struct dlbk_evport *ep = dev->data->ports[p];

		if (ep && ep->port && ep->held)
			evdlbk_release_held(ep);
	}
	for (rounds = 0; rounds < 1000 && idle < 10; rounds++) {
		bool got = false, called = !d->sched_call;

		for (p = 0; p < d->nb_ports; p++) {
			struct dlbk_evport *ep = dev->data->ports[p];

			if (!ep || !ep->port)
				continue;
			if (!called) {
				/* One pass schedules into every port. */
				dlbk_port_schedule(ep->port);
				called = true;
			}
			n = dlbk_port_dequeue(ep->port, deq, DLBK_MAX_CQ_DEPTH, 0);
			for (i = 0; i < n; i++) {
				if (!dev->dev_ops->dev_stop_flush)
					continue;
				evdlbk_from_deq(d, &deq[i], &ev);
				dev->dev_ops->dev_stop_flush(dev->data->dev_id, ev,
						    dev->data->dev_stop_flush_arg);
			}
			if (n && !ep->dir)
				dlbk_port_release(ep->port, n);
			flushed += n;
			got |= n > 0;
		}
		idle = got || !evdlbk_queues_empty(d) ? 0 : idle + 1;
		if (!got)
			rte_delay_us_sleep(1000);
	}
	if (flushed)
		DLBK_LOG(INFO, "stop flushed %" PRIu64 " events of domain %s%s",
			 flushed, d->domain,
			 idle < 10 ? ", and gave up with events left" : "");
}

/* Copied into each device: the library keeps its stop-flush callback there. */
static const struct eventdev_ops evdlbk_ops = {
	.dev_infos_get = evdlbk_info_get,
	.dev_configure = evdlbk_configure,
	.dev_start = evdlbk_start,
	.dev_stop = evdlbk_stop,
	.dev_close = evdlbk_close,
	.queue_def_conf = evdlbk_queue_def_conf,
	.queue_setup = evdlbk_queue_setup,
	.queue_release = evdlbk_queue_release,
	.port_def_conf = evdlbk_port_def_conf,
	.port_setup = evdlbk_port_setup,
	.port_release = evdlbk_port_release,
	.port_link = evdlbk_port_link,
	.port_unlink = evdlbk_port_unlink,
	.port_unlinks_in_progress = evdlbk_port_unlinks_in_progress,
	.timeout_ticks = evdlbk_timeout_ticks,
	.dump = evdlbk_dump,
	.xstats_get = dlbk_xstats_get,
	.xstats_get_names = dlbk_xstats_get_names,
	.xstats_get_by_name = dlbk_xstats_get_by_name,
	.xstats_reset = dlbk_xstats_reset,
};

/* --- probe ---------------------------------------------------------------- */

/* dlb_obj_name_valid()'s rule, in words, for a %u of DLB_OBJ_NAME_MAX. */
#define DLBK_NAME_RULE \
	"1 to %u of a-z, 0-9, '_' and '-', the first a letter or digit"

/* name= and domain=: a domain's name, as the kernel takes it. */
static int evdlbk_arg_domain(const char *key, const char *value, void *opaque)
{
	if (!dlb_obj_name_valid(value)) {
		DLBK_LOG(ERR, "devarg %s=%s: a domain name is " DLBK_NAME_RULE,
			 key, value, DLB_OBJ_NAME_MAX);
		return -EINVAL;
	}
	memcpy(opaque, value, strlen(value) + 1);
	return 0;
}

/* dev=: a device's name in sysfs. */
static int evdlbk_arg_name(const char *key, const char *value, void *opaque)
{
	char *dst = opaque;
	size_t max = 32;
	size_t i, len = strlen(value);

	if (!len || len >= max) {
		DLBK_LOG(ERR, "devarg %s=%s: 1 to %zu characters", key, value,
			 max - 1);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		char c = value[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      (c == '.' && i))) {
			DLBK_LOG(ERR, "devarg %s=%s: only letters, digits, '-', '_' and '.' (not first)",
				 key, value);
			return -EINVAL;
		}
	}
	memcpy(dst, value, len + 1);
	return 0;
}

static int evdlbk_arg_bool(const char *key, const char *value, void *opaque)
{
	bool *dst = opaque;

	if (strcmp(value, "0") && strcmp(value, "1")) {
		DLBK_LOG(ERR, "devarg %s=%s: 0 or 1", key, value);
		return -EINVAL;
	}
	*dst = value[0] == '1';
	return 0;
}

static int evdlbk_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const char *params = rte_vdev_device_args(vdev);
	char dlbdev[32] = "dlb0", domain[64] = "", attach[64] = "";
	bool sched_call = true;
	struct rte_kvargs *kv = NULL;
	struct rte_eventdev *dev;
	struct dlbk_rsrc rsrc;
	struct dlbk_dev *d;
	int err;

	if (params && params[0]) {
		kv = rte_kvargs_parse(params, evdlbk_args);
		if (!kv) {
			DLBK_LOG(ERR, "%s: cannot parse devargs \"%s\": known keys are %s, %s, %s and %s",
				 name, params, DLBK_ARG_DEV, DLBK_ARG_NAME,
				 DLBK_ARG_DOMAIN, DLBK_ARG_SCHED_CALL);
			return -EINVAL;
		}
		err = rte_kvargs_process(kv, DLBK_ARG_DEV, evdlbk_arg_name, dlbdev);
		if (!err)
			err = rte_kvargs_process(kv, DLBK_ARG_NAME,
						 evdlbk_arg_domain, domain);
		if (!err)
			err = rte_kvargs_process(kv, DLBK_ARG_DOMAIN,
						 evdlbk_arg_domain, attach);
		if (!err)
			err = rte_kvargs_process(kv, DLBK_ARG_SCHED_CALL,
						 evdlbk_arg_bool, &sched_call);
		rte_kvargs_free(kv);
		if (err)
			return -EINVAL;
	}
	if (attach[0] && domain[0]) {
		DLBK_LOG(ERR, "%s: name=%s (a managed domain) and domain=%s (attach to one) exclude each other",
			 name, domain, attach);
		return -EINVAL;
	}
	if (attach[0])
		memcpy(domain, attach, sizeof(domain));
	else if (!domain[0] &&
		 (snprintf(domain, sizeof(domain), "dpdk-%d-%s", (int)getpid(),
			   name) >= (int)sizeof(domain) ||
		  !dlb_obj_name_valid(domain))) {
		DLBK_LOG(ERR, "%s: the default domain name %s is not one dlb takes (" DLBK_NAME_RULE "): name one with name=",
			 name, domain, DLB_OBJ_NAME_MAX);
		return -EINVAL;
	}

	err = dlbk_read_rsrc(dlbdev, "total_resources", &rsrc);
	if (err)
		return err;

	/* Before the device exists: a secondary's init would write into
	 * the primary's (shared) device data.
	 */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		DLBK_LOG(ERR, "%s: secondary processes are not supported", name);
		return -ENOTSUP;
	}
	dev = rte_event_pmd_vdev_init(name, sizeof(struct dlbk_dev),
				      rte_socket_id(), vdev);
	if (!dev) {
		DLBK_LOG(ERR, "%s: cannot make the event device", name);
		return -ENOMEM;
	}
	d = dev->data->dev_private;
	d->ops = evdlbk_ops;
	dev->dev_ops = &d->ops;
	dev->enqueue = evdlbk_enqueue;
	dev->enqueue_burst = evdlbk_enqueue_burst;
	dev->enqueue_new_burst = evdlbk_enqueue_burst;
	dev->enqueue_forward_burst = evdlbk_enqueue_burst;
	dev->dequeue = evdlbk_dequeue;
	dev->dequeue_burst = evdlbk_dequeue_burst;
	dev->maintain = evdlbk_maintain;

	memcpy(d->dlbdev, dlbdev, sizeof(d->dlbdev));
	memcpy(d->domain, domain, sizeof(d->domain));
	d->rsrc = rsrc;
	d->attach = attach[0] != '\0';
	d->sched_call = sched_call;
	err = dlbk_domain_path(d);
	if (!err && d->attach)
		err = dlbk_attach_read(d);
	if (err) {
		rte_event_pmd_vdev_uninit(name);
		return err;
	}

	event_dev_probing_finish(dev);
	DLBK_LOG(INFO, "%s: dlb device %s, %s domain %s", name, dlbdev,
		 d->attach ? "attached" : "managed", domain);
	return 0;
}

static int evdlbk_remove(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_eventdev *dev;

	if (!name)
		return -EINVAL;
	/* An application that exits without stop or close: the domain
	 * goes with it (close removes it).
	 */
	dev = rte_event_pmd_get_named_dev(name);
	if (dev && dev->data->dev_private) {
		if (dev->data->dev_started) {
			dev->data->dev_started = 0;
			evdlbk_stop(dev);
		}
		evdlbk_close(dev);
	}
	return rte_event_pmd_vdev_uninit(name);
}

static struct rte_vdev_driver evdlbk_vdev_driver = {
	.probe = evdlbk_probe,
	.remove = evdlbk_remove,
};

RTE_PMD_REGISTER_VDEV(event_dlbk, evdlbk_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(event_dlbk,
	DLBK_ARG_DEV "=<dlb device> " DLBK_ARG_NAME "=<domain> "
	DLBK_ARG_DOMAIN "=<domain> " DLBK_ARG_SCHED_CALL "=0|1");
