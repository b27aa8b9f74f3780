// SPDX-License-Identifier: BSD-3-Clause
/*
 * dlbk_xstats.c - event_dlbk's extended statistics and the counters part
 * of rte_event_dev_dump(), read from what the kernel counts: the device's
 * scheduler thread (sysfs sched_stats/), each port's counters (sysfs
 * /sys/class/dlb_port/<dev>.<domain>.<port>/stats/), each queue's depth
 * (configfs), plus the driver's own counts of what its ports did.
 *
 * The kernel's counters cannot be reset, so a reset keeps their values as
 * a baseline here and later reads subtract it; start takes that baseline
 * too, so counts are this run's even in attach mode, where the domain's
 * ports may have counted before. Gauges (occupancy, depth, ring indices)
 * are never reset. While the device is stopped the kernel's counters are
 * gone and read as 0.
 *
 * Ids: the device's first, then DLBK_XS_PORT per port, then DLBK_XS_QUEUE
 * per queue; names are "dev_<stat>", "port_<p>_<stat>", "queue_<q>_<stat>".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <eventdev_pmd.h>

#include "event_dlbk.h"

enum dlbk_xs_src {
	XS_SCHED,	/* sysfs /sys/class/dlb/<dev>/sched_stats/<name> */
	XS_PORT,	/* sysfs the port's stats/<name> */
	XS_QUEUE,	/* configfs the queue's <name> */
	XS_DRV,		/* the driver's counter or gauge */
};

struct dlbk_xs_def {
	const char *name;
	enum dlbk_xs_src src;
	bool gauge;	/* a level, not a count: never reset */
};

static const struct dlbk_xs_def dlbk_xs_dev[DLBK_XS_DEV] = {
	{ "sched_passes", XS_SCHED, false },
	{ "sched_sleeps", XS_SCHED, false },
	{ "sched_naps", XS_SCHED, false },
	{ "sched_caller_passes", XS_SCHED, false },
	{ "inflights", XS_DRV, true },
};

/* The kernel's port counters (module/dlb_sw_stats.c), then the driver's. */
static const struct dlbk_xs_def dlbk_xs_port[DLBK_XS_PORT] = {
	{ "enqueued", XS_PORT, false },
	{ "refused", XS_PORT, false },
	{ "scheduled", XS_PORT, false },
	{ "completed", XS_PORT, false },
	{ "tokens", XS_PORT, false },
	{ "rescheduled", XS_PORT, false },
	{ "dropped_bad_cmd", XS_PORT, false },
	{ "dropped_bad_qid", XS_PORT, false },
	{ "dropped_bad_sched", XS_PORT, false },
	{ "dropped_tokens", XS_PORT, false },
	{ "dropped_no_held", XS_PORT, false },
	{ "cq_occupancy", XS_PORT, true },
	{ "held", XS_PORT, true },
	{ "ring_errors", XS_PORT, false },
	{ "discarded", XS_PORT, false },
	{ "closes", XS_PORT, false },
	{ "ring_prod", XS_PORT, true },
	{ "ring_cons", XS_PORT, true },
	{ "ring_cq_tokens", XS_PORT, true },
	{ "need_wakeup", XS_PORT, true },
	{ "drv_new", XS_DRV, false },
	{ "drv_forwarded", XS_DRV, false },
	{ "drv_released", XS_DRV, false },
	{ "drv_dequeued", XS_DRV, false },
	{ "drv_held", XS_DRV, true },
};

static const struct dlbk_xs_def dlbk_xs_queue[DLBK_XS_QUEUE] = {
	{ "depth", XS_QUEUE, true },
};

#define XS_PORT0	DLBK_XS_DEV
#define XS_QUEUE0	(XS_PORT0 + DLBK_MAX_PORTS * DLBK_XS_PORT)

/* Which stat @id is: its definition, port or queue number (via @obj). */
static const struct dlbk_xs_def *xs_def(uint64_t id, unsigned int *obj)
{
	if (id < XS_PORT0) {
		*obj = 0;
		return &dlbk_xs_dev[id];
	}
	if (id < XS_QUEUE0) {
		*obj = (unsigned int)((id - XS_PORT0) / DLBK_XS_PORT);
		return &dlbk_xs_port[(id - XS_PORT0) % DLBK_XS_PORT];
	}
	if (id < DLBK_XS_TOTAL) {
		*obj = (unsigned int)((id - XS_QUEUE0) / DLBK_XS_QUEUE);
		return &dlbk_xs_queue[(id - XS_QUEUE0) % DLBK_XS_QUEUE];
	}
	return NULL;
}

/* Whether @id is a stat of something configured. */
static bool xs_valid(const struct rte_eventdev *dev, uint64_t id)
{
	struct dlbk_dev *d = dev->data->dev_private;
	unsigned int obj;

	if (!xs_def(id, &obj))
		return false;
	if (id < XS_PORT0)
		return true;
	if (id < XS_QUEUE0)
		return obj < d->nb_ports && dev->data->ports[obj];
	return obj < d->nb_queues;
}

static void xs_name(uint64_t id, char *buf, size_t size)
{
	unsigned int obj;
	const struct dlbk_xs_def *def = xs_def(id, &obj);

	if (id < XS_PORT0)
		snprintf(buf, size, "dev_%s", def->name);
	else if (id < XS_QUEUE0)
		snprintf(buf, size, "port_%u_%s", obj, def->name);
	else
		snprintf(buf, size, "queue_%u_%s", obj, def->name);
}

static uint64_t xs_drv_port(const struct dlbk_evport *ep, const char *name)
{
	if (!strcmp(name, "drv_new"))
		return ep->n_new;
	if (!strcmp(name, "drv_forwarded"))
		return ep->n_fwd;
	if (!strcmp(name, "drv_released"))
		return ep->n_rel;
	if (!strcmp(name, "drv_dequeued"))
		return ep->n_deq;
	return ep->held;
}

/* The value of @id as its source has it, before any baseline. */
static uint64_t xs_raw(const struct rte_eventdev *dev, uint64_t id)
{
	struct dlbk_dev *d = dev->data->dev_private;
	unsigned int obj;
	const struct dlbk_xs_def *def = xs_def(id, &obj);
	char path[PATH_MAX], name[DLBK_OBJ_NAME_SIZE];
	uint64_t v;
	int n;

	switch (def->src) {
	case XS_SCHED:
		/* "sched_passes" is sched_stats/passes */
		n = snprintf(path, sizeof(path), DLB_SYSFS_CLASS "/%s/sched_stats/%s",
			     d->dlbdev, def->name + strlen("sched_"));
		break;
	case XS_PORT:
		n = snprintf(path, sizeof(path),
			     DLB_PORT_SYSFS_CLASS "/%s.%s.%s/stats/%s", d->dlbdev,
			     d->domain, dlbk_port_name(d, obj, name), def->name);
		break;
	case XS_QUEUE:
		n = snprintf(path, sizeof(path), "%s/queues/%s/%s", d->path,
			     dlbk_queue_name(d, obj, name), def->name);
		break;
	default:
		if (id < XS_PORT0)
			return (uint64_t)__atomic_load_n(&d->inflights,
							 __ATOMIC_RELAXED);
		return xs_drv_port(dev->data->ports[obj], def->name);
	}
	if (n < 0 || (size_t)n >= sizeof(path) || attr_read_u64(path, &v))
		return 0;
	return v;
}

static uint64_t xs_value(const struct rte_eventdev *dev, uint64_t id)
{
	struct dlbk_dev *d = dev->data->dev_private;
	uint64_t v = xs_raw(dev, id);

	/* A counter below its baseline started again: count from 0. */
	return v >= d->xs_base[id] ? v - d->xs_base[id] : v;
}

/* How many stats @mode has for @obj (-EINVAL: none), the first's id. */
static int xs_range(const struct rte_eventdev *dev,
		    enum rte_event_dev_xstats_mode mode, unsigned int obj,
		    uint64_t *first)
{
	struct dlbk_dev *d = dev->data->dev_private;

	switch (mode) {
	case RTE_EVENT_DEV_XSTATS_DEVICE:
		*first = 0;
		return DLBK_XS_DEV;
	case RTE_EVENT_DEV_XSTATS_PORT:
		if (obj >= d->nb_ports || !dev->data->ports[obj])
			return -EINVAL;
		*first = XS_PORT0 + (uint64_t)obj * DLBK_XS_PORT;
		return DLBK_XS_PORT;
	case RTE_EVENT_DEV_XSTATS_QUEUE:
		if (obj >= d->nb_queues)
			return -EINVAL;
		*first = XS_QUEUE0 + (uint64_t)obj * DLBK_XS_QUEUE;
		return DLBK_XS_QUEUE;
	}
	return -EINVAL;
}

int dlbk_xstats_get_names(const struct rte_eventdev *dev,
			  enum rte_event_dev_xstats_mode mode,
			  uint8_t queue_port_id,
			  struct rte_event_dev_xstats_name *names,
			  uint64_t *ids, unsigned int size)
{
	uint64_t first;
	int i, count = xs_range(dev, mode, queue_port_id, &first);

	if (count < 0 || !names || !ids || size < (unsigned int)count)
		return count;
	for (i = 0; i < count; i++) {
		ids[i] = first + (uint64_t)i;
		xs_name(ids[i], names[i].name, sizeof(names[i].name));
	}
	return count;
}

int dlbk_xstats_get(const struct rte_eventdev *dev,
		    enum rte_event_dev_xstats_mode mode, uint8_t queue_port_id,
		    const uint64_t ids[], uint64_t values[], unsigned int n)
{
	uint64_t first;
	int count = xs_range(dev, mode, queue_port_id, &first);
	unsigned int i;

	if (count < 0)
		return count;
	for (i = 0; i < n; i++) {
		if (ids[i] < first || ids[i] >= first + (uint64_t)count)
			return (int)i;
		values[i] = xs_value(dev, ids[i]);
	}
	return (int)n;
}

uint64_t dlbk_xstats_get_by_name(const struct rte_eventdev *dev,
				 const char *name, uint64_t *id)
{
	char buf[RTE_EVENT_DEV_XSTATS_NAME_SIZE];
	uint64_t i;

	for (i = 0; i < DLBK_XS_TOTAL; i++) {
		if (!xs_valid(dev, i))
			continue;
		xs_name(i, buf, sizeof(buf));
		if (!strcmp(buf, name)) {
			if (id)
				*id = i;
			return xs_value(dev, i);
		}
	}
	if (id)
		*id = UINT64_MAX;
	return (uint64_t)-ENOENT;
}

/* Make the counter @id read 0 from now on (gauges keep their level). */
static void xs_reset_one(struct rte_eventdev *dev, uint64_t id)
{
	struct dlbk_dev *d = dev->data->dev_private;
	unsigned int obj;

	if (!xs_def(id, &obj)->gauge)
		d->xs_base[id] = xs_raw(dev, id);
}

int dlbk_xstats_reset(struct rte_eventdev *dev,
		      enum rte_event_dev_xstats_mode mode, int16_t queue_port_id,
		      const uint64_t ids[], uint32_t nb_ids)
{
	struct dlbk_dev *d = dev->data->dev_private;
	unsigned int obj, last, i;
	uint64_t first;
	int count;

	obj = queue_port_id < 0 ? 0 : (unsigned int)queue_port_id;
	last = obj;
	if (queue_port_id < 0)
		last = mode == RTE_EVENT_DEV_XSTATS_PORT ? d->nb_ports - 1u :
		       mode == RTE_EVENT_DEV_XSTATS_QUEUE ? d->nb_queues - 1u : 0;
	for (; obj <= last && last != UINT_MAX; obj++) {
		count = xs_range(dev, mode, obj, &first);
		if (count < 0)
			continue;
		if (!ids) {
			for (i = 0; i < (unsigned int)count; i++)
				xs_reset_one(dev, first + i);
			continue;
		}
		for (i = 0; i < nb_ids; i++) {
			if (ids[i] < first || ids[i] >= first + (uint64_t)count)
				return -EINVAL;
			xs_reset_one(dev, ids[i]);
		}
	}
	return 0;
}

void dlbk_xstats_start(struct rte_eventdev *dev)
{
	uint64_t i;

	for (i = 0; i < DLBK_XS_TOTAL; i++)
		if (xs_valid(dev, i))
			xs_reset_one(dev, i);
}

void dlbk_xstats_dump(const struct rte_eventdev *dev, FILE *f)
{
	char buf[RTE_EVENT_DEV_XSTATS_NAME_SIZE];
	uint64_t i, v;

	fprintf(f, "  xstats (non-zero; counts since start or the last reset):\n");
	for (i = 0; i < DLBK_XS_TOTAL; i++) {
		if (!xs_valid(dev, i))
			continue;
		v = xs_value(dev, i);
		if (!v)
			continue;
		xs_name(i, buf, sizeof(buf));
		fprintf(f, "    %s %" PRIu64 "\n", buf, v);
	}
}
