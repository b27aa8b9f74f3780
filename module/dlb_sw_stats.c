// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of a started domain's ports in sysfs, one value per file:
 * /sys/class/dlb_port/<dev>.<domain>.<port>/stats/<counter>. First the
 * engine's counters of the port, then what the device counts of its ring,
 * then the ring's indices as the device sees them (what to look at when
 * traffic stalls). Read-only and present only while the domain is started,
 * like the port; device_del() waits for readers before the domain's memory
 * goes.
 */

#include <linux/device.h>
#include <linux/sysfs.h>

#include "dlb_sw.h"

/* The counters, in the order of their files' attribute list. */
enum dlb_sw_port_stat {
	DLB_SW_ST_ENQUEUED,
	DLB_SW_ST_REFUSED,
	DLB_SW_ST_SCHEDULED,
	DLB_SW_ST_COMPLETED,
	DLB_SW_ST_TOKENS,
	DLB_SW_ST_RESCHEDULED,
	DLB_SW_ST_DROPPED_BAD_CMD,
	DLB_SW_ST_DROPPED_BAD_QID,
	DLB_SW_ST_DROPPED_BAD_SCHED,
	DLB_SW_ST_DROPPED_TOKENS,
	DLB_SW_ST_DROPPED_NO_HELD,
	DLB_SW_ST_CQ_OCCUPANCY,
	DLB_SW_ST_HELD,
	DLB_SW_ST_RING_ERRORS,
	DLB_SW_ST_DISCARDED,
	DLB_SW_ST_CLOSES,
	DLB_SW_ST_RING_PROD,
	DLB_SW_ST_RING_CONS,
	DLB_SW_ST_RING_CQ_TOKENS,
	DLB_SW_ST_NEED_WAKEUP,
	DLB_SW_NUM_PORT_STATS,
};

/* A file of stats/: which counter it shows. */
struct dlb_sw_stat_attribute {
	struct device_attribute attr;
	enum dlb_sw_port_stat stat;
};

/* Every counter of the port at one instant, under the domain's lock. */
static int dlb_sw_port_stats_read(struct dlb_sw_port *p,
				  u64 val[DLB_SW_NUM_PORT_STATS])
{
	struct dlb_sw_domain *sd = p->sd;
	struct dlb_sw_ring_state ring;
	struct dlb_eng_port_stats st;
	int err;

	mutex_lock(&sd->lock);
	err = dlb_eng_port_stats(sd->eng, p->handle, &st);
	val[DLB_SW_ST_RING_ERRORS] = p->ring_errors;
	val[DLB_SW_ST_DISCARDED] = p->discarded;
	val[DLB_SW_ST_CLOSES] = p->closes;
	dlb_sw_port_ring_state(p, &ring);
	val[DLB_SW_ST_RING_PROD] = ring.prod;
	val[DLB_SW_ST_RING_CONS] = ring.cons;
	val[DLB_SW_ST_RING_CQ_TOKENS] = ring.cq_tokens;
	val[DLB_SW_ST_NEED_WAKEUP] = ring.need_wakeup;
	mutex_unlock(&sd->lock);
	if (err)
		return err;

	val[DLB_SW_ST_ENQUEUED] = st.enqueued;
	val[DLB_SW_ST_REFUSED] = st.refused;
	val[DLB_SW_ST_SCHEDULED] = st.scheduled;
	val[DLB_SW_ST_COMPLETED] = st.completed;
	val[DLB_SW_ST_TOKENS] = st.tokens;
	val[DLB_SW_ST_RESCHEDULED] = st.rescheduled;
	val[DLB_SW_ST_DROPPED_BAD_CMD] = st.dropped[DLB_ENG_DROP_BAD_CMD];
	val[DLB_SW_ST_DROPPED_BAD_QID] = st.dropped[DLB_ENG_DROP_BAD_QID];
	val[DLB_SW_ST_DROPPED_BAD_SCHED] = st.dropped[DLB_ENG_DROP_BAD_SCHED];
	val[DLB_SW_ST_DROPPED_TOKENS] = st.dropped[DLB_ENG_DROP_TOKENS];
	val[DLB_SW_ST_DROPPED_NO_HELD] = st.dropped[DLB_ENG_DROP_NO_HELD];
	val[DLB_SW_ST_CQ_OCCUPANCY] = st.cq_occupancy;
	val[DLB_SW_ST_HELD] = st.held;
	return 0;
}

static ssize_t dlb_sw_port_stat_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct dlb_portdev *pd = container_of(dev, struct dlb_portdev, dev);
	enum dlb_sw_port_stat stat =
		container_of(attr, struct dlb_sw_stat_attribute, attr)->stat;
	u64 val[DLB_SW_NUM_PORT_STATS];
	int err;

	err = dlb_sw_port_stats_read(pd->priv, val);
	if (err)
		return err;
	return sysfs_emit(buf, "%llu\n", val[stat]);
}

/* Defines the file stats/<_name>, showing counter DLB_SW_ST_<_STAT>. */
#define DLB_SW_PORT_STAT(_name, _STAT)					\
	static struct dlb_sw_stat_attribute dlb_sw_stat_##_name = {	\
		.attr = __ATTR(_name, 0444, dlb_sw_port_stat_show, NULL), \
		.stat = DLB_SW_ST_##_STAT,				\
	}

DLB_SW_PORT_STAT(enqueued, ENQUEUED);
DLB_SW_PORT_STAT(refused, REFUSED);
DLB_SW_PORT_STAT(scheduled, SCHEDULED);
DLB_SW_PORT_STAT(completed, COMPLETED);
DLB_SW_PORT_STAT(tokens, TOKENS);
DLB_SW_PORT_STAT(rescheduled, RESCHEDULED);
DLB_SW_PORT_STAT(dropped_bad_cmd, DROPPED_BAD_CMD);
DLB_SW_PORT_STAT(dropped_bad_qid, DROPPED_BAD_QID);
DLB_SW_PORT_STAT(dropped_bad_sched, DROPPED_BAD_SCHED);
DLB_SW_PORT_STAT(dropped_tokens, DROPPED_TOKENS);
DLB_SW_PORT_STAT(dropped_no_held, DROPPED_NO_HELD);
DLB_SW_PORT_STAT(cq_occupancy, CQ_OCCUPANCY);
DLB_SW_PORT_STAT(held, HELD);
DLB_SW_PORT_STAT(ring_errors, RING_ERRORS);
DLB_SW_PORT_STAT(discarded, DISCARDED);
DLB_SW_PORT_STAT(closes, CLOSES);
DLB_SW_PORT_STAT(ring_prod, RING_PROD);
DLB_SW_PORT_STAT(ring_cons, RING_CONS);
DLB_SW_PORT_STAT(ring_cq_tokens, RING_CQ_TOKENS);
DLB_SW_PORT_STAT(need_wakeup, NEED_WAKEUP);

static struct attribute *dlb_sw_port_stat_attrs[] = {
	&dlb_sw_stat_enqueued.attr.attr,
	&dlb_sw_stat_refused.attr.attr,
	&dlb_sw_stat_scheduled.attr.attr,
	&dlb_sw_stat_completed.attr.attr,
	&dlb_sw_stat_tokens.attr.attr,
	&dlb_sw_stat_rescheduled.attr.attr,
	&dlb_sw_stat_dropped_bad_cmd.attr.attr,
	&dlb_sw_stat_dropped_bad_qid.attr.attr,
	&dlb_sw_stat_dropped_bad_sched.attr.attr,
	&dlb_sw_stat_dropped_tokens.attr.attr,
	&dlb_sw_stat_dropped_no_held.attr.attr,
	&dlb_sw_stat_cq_occupancy.attr.attr,
	&dlb_sw_stat_held.attr.attr,
	&dlb_sw_stat_ring_errors.attr.attr,
	&dlb_sw_stat_discarded.attr.attr,
	&dlb_sw_stat_closes.attr.attr,
	&dlb_sw_stat_ring_prod.attr.attr,
	&dlb_sw_stat_ring_cons.attr.attr,
	&dlb_sw_stat_ring_cq_tokens.attr.attr,
	&dlb_sw_stat_need_wakeup.attr.attr,
	NULL,
};

static_assert(ARRAY_SIZE(dlb_sw_port_stat_attrs) == DLB_SW_NUM_PORT_STATS + 1);

static const struct attribute_group dlb_sw_port_stats_group = {
	.name = "stats",
	.attrs = dlb_sw_port_stat_attrs,
};

/* The sysfs attributes of a software device's port device. */
const struct attribute_group *dlb_sw_port_groups[] = {
	&dlb_sw_port_stats_group,
	NULL,
};
