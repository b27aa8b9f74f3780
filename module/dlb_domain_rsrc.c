// SPDX-License-Identifier: GPL-2.0
/*
 * Checking a domain's start rules and reserving its resources from its
 * device at start, releasing them at stop. The rules and the counting
 * (counted resources, the per-class-of-service ports, sequence-number
 * slots) are the shared code of rules/dlb_rules.c, run on a description
 * of the domain made here; this file places the history list as one
 * contiguous range per domain and keeps the device's availability
 * (struct dlb_device's @avail and friends) exact. dlb_domain.c decides
 * when. dlb_vdev.c reserves a virtual device's quota with the same
 * dlb_rsrc_avail_get(), dlb_rsrc_hist_find() and dlb_rsrc_avail_set().
 */

#include <linux/bitmap.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dlb.h"

/**
 * dlb_rsrc_avail_get() - a device's availability, as the shared rules see it
 * @dlb: the device
 * @a: filled in: a copy to reserve from, committed by dlb_rsrc_avail_set()
 *
 * Context: @dlb->lock held.
 */
void dlb_rsrc_avail_get(struct dlb_device *dlb, struct dlb_rules_avail *a)
{
	lockdep_assert_held(&dlb->lock);
	a->num = dlb->avail;
	memcpy(a->cos, dlb->avail_ldb_ports_cos, sizeof(a->cos));
	a->nr_sn_groups = dlb->total.num[DLB_RES_SEQUENCE_NUMBERS] /
			  DLB_SN_GROUP_SIZE;
	memcpy(a->sn, dlb->sn_groups, sizeof(a->sn));
}

/**
 * dlb_rsrc_avail_set() - commit what dlb_rsrc_avail_get() gave, reserved from
 * @dlb: the device
 * @a: the availability after a successful reservation
 *
 * Context: @dlb->lock held.
 */
void dlb_rsrc_avail_set(struct dlb_device *dlb, const struct dlb_rules_avail *a)
{
	lockdep_assert_held(&dlb->lock);
	dlb->avail = a->num;
	memcpy(dlb->avail_ldb_ports_cos, a->cos, sizeof(a->cos));
	memcpy(dlb->sn_groups, a->sn, sizeof(a->sn));
}

/**
 * dlb_rsrc_hist_find() - find a free contiguous range of history list
 *	entries
 * @dlb: the device
 * @n: entries wanted; 0 always fits, at 0
 * @start: out: the first entry of the range; the caller sets it in
 *	@dlb->hist_map
 *
 * Context: @dlb->lock held.
 * Return: 0, or -ENOSPC if no free range of @n entries exists.
 */
int dlb_rsrc_hist_find(struct dlb_device *dlb, u32 n, u32 *start)
{
	u32 total = dlb->total.num[DLB_RES_HIST_LIST_ENTRIES];

	lockdep_assert_held(&dlb->lock);
	*start = 0;
	if (!n)
		return 0;
	*start = bitmap_find_next_zero_area(dlb->hist_map, total, 0, n, 0);
	return *start + n > total ? -ENOSPC : 0;
}

/* A domain as the rules see it; queues and ports follow in one block. */
struct dlb_domain_desc {
	struct dlb_rules_domain rd;
	struct dlb_rules_queue queues[];
};

/* The index of @queue in @domain->queues, which is its index in the desc. */
static unsigned int dlb_queue_index(const struct dlb_domain *domain,
				    const struct dlb_queue *queue)
{
	const struct dlb_queue *q;
	unsigned int i = 0;

	list_for_each_entry(q, &domain->queues, node) {
		if (q == queue)
			break;
		i++;
	}
	return i;
}

/*
 * Describe @domain for the shared rules, in list (name) order. A link to a
 * queue being removed (racing its rmdir) is refused here: the rules know
 * nothing of removal.
 */
static struct dlb_domain_desc *dlb_domain_describe(struct dlb_domain *domain)
{
	struct dlb_rules_queue *rq;
	struct dlb_rules_port *rp;
	struct dlb_domain_desc *d;
	struct dlb_queue *queue;
	struct dlb_port *port;
	unsigned int i;

	d = kvzalloc(struct_size(d, queues, domain->nr_queues) +
		     domain->nr_ports * sizeof(*rp), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->rd.ldb_credits = domain->ldb_credits;
	d->rd.dir_credits = domain->dir_credits;
	d->rd.queues = d->queues;
	d->rd.ports = (struct dlb_rules_port *)&d->queues[domain->nr_queues];

	rq = d->rd.queues;
	list_for_each_entry(queue, &domain->queues, node) {
		rq->name = dlb_queue_name(queue);
		rq->type = queue->type;
		rq->sched_type = dlb_queue_sched_type(queue);
		rq->sequence_numbers = queue->sequence_numbers;
		rq->atomic_inflights = queue->atomic_inflights;
		rq->nr_links = queue->nr_links;
		rq++;
	}
	d->rd.nr_queues = rq - d->rd.queues;

	rp = d->rd.ports;
	list_for_each_entry(port, &domain->ports, node) {
		rp->name = dlb_port_name(port);
		rp->type = port->type;
		rp->cq_depth = port->cq_depth;
		rp->cq_depth_threshold = port->cq_depth_threshold;
		rp->hist_list_size = port->hist_list_size;
		rp->cos = port->cos;
		rp->nr_links = port->nr_links;
		for (i = 0; i < port->nr_links; i++) {
			queue = port->links[i].queue;
			if (queue->removed) {
				dlb_domain_info(domain, "port %s: a linked queue is being removed\n",
						dlb_port_name(port));
				kvfree(d);
				return ERR_PTR(-EBUSY);
			}
			rp->link_queue[i] = dlb_queue_index(domain, queue);
		}
		rp++;
	}
	d->rd.nr_ports = rp - d->rd.ports;
	return d;
}

/*
 * Check the rules and take what @d needs from a copy of the device's
 * availability; commit the copy, with a contiguous history list range,
 * only if everything fit.
 */
static int dlb_domain_reserve_desc(struct dlb_domain *domain,
				   struct dlb_domain_desc *d)
{
	struct dlb_device *dlb = domain->dlb;
	u32 hist, start = 0;
	struct dlb_rules_verdict v;
	struct dlb_rules_avail a;
	struct dlb_queue *queue;
	struct dlb_port *port;
	struct dlb_rules_queue *rq = d->rd.queues;
	struct dlb_rules_port *rp = d->rd.ports;
	int ret;

	ret = dlb_rules_validate(&d->rd, &v);
	if (ret) {
		dlb_domain_info(domain, "%s\n", v.msg);
		return ret;
	}

	dlb_rsrc_avail_get(dlb, &a);
	ret = dlb_rules_reserve(&a, &d->rd, &v);
	if (ret) {
		dlb_domain_info(domain, "%s\n", v.msg);
		return ret;
	}

	/* One contiguous range per domain: free entries may be fragmented. */
	hist = d->rd.reserved.num[DLB_RES_HIST_LIST_ENTRIES];
	if (dlb_rsrc_hist_find(dlb, hist, &start)) {
		dlb_domain_info(domain, "ports: no contiguous range of %u %s (%u left, fragmented)\n",
				hist,
				dlb_resource_names[DLB_RES_HIST_LIST_ENTRIES],
				a.num.num[DLB_RES_HIST_LIST_ENTRIES] + hist);
		return -ENOSPC;
	}
	bitmap_set(dlb->hist_map, start, hist);
	domain->hist_base = start;
	domain->reserved = d->rd.reserved;

	list_for_each_entry(queue, &domain->queues, node) {
		queue->sn_group = rq->sn_group;
		queue->sn_slot = rq->sn_slot;
		rq++;
	}
	list_for_each_entry(port, &domain->ports, node) {
		port->cos_reserved = rp->cos_reserved;
		port->hist_base = start + rp->hist_base;
		rp++;
	}

	dlb_rsrc_avail_set(dlb, &a);
	return 0;
}

/**
 * dlb_domain_reserve() - check a domain's start rules and reserve what it
 *	needs, all or nothing
 * @domain: the domain
 *
 * The rules and the reservation are the shared ones (rules/dlb_rules.c,
 * which dlbcfg check runs too); this adds what only the kernel knows of:
 * links racing the removal of their queue, and where the domain's history
 * list range lies in the device.
 *
 * Context: the device's lock held.
 * Return: 0; -EINVAL if a rule is broken, -ENOSPC if a resource is short,
 * each with one line logged naming the object and the reason; -EBUSY if a
 * linked queue is being removed; -ENOMEM. On error nothing changed.
 */
int dlb_domain_reserve(struct dlb_domain *domain)
{
	struct dlb_domain_desc *d;
	int ret;

	lockdep_assert_held(&domain->dlb->lock);
	d = dlb_domain_describe(domain);
	if (IS_ERR(d))
		return PTR_ERR(d);
	ret = dlb_domain_reserve_desc(domain, d);
	kvfree(d);
	return ret;
}

/**
 * dlb_domain_release() - give back what dlb_domain_reserve() took
 * @domain: the domain
 *
 * Also forgets the ids assigned at start.
 *
 * Context: the device's lock held.
 */
void dlb_domain_release(struct dlb_domain *domain)
{
	struct dlb_device *dlb = domain->dlb;
	struct dlb_sn_group *group;
	struct dlb_queue *queue;
	struct dlb_port *port;
	int i;

	for (i = 0; i < DLB_NUM_RESOURCES; i++)
		dlb->avail.num[i] += domain->reserved.num[i];
	bitmap_clear(dlb->hist_map, domain->hist_base,
		     domain->reserved.num[DLB_RES_HIST_LIST_ENTRIES]);
	memset(&domain->reserved, 0, sizeof(domain->reserved));

	list_for_each_entry(queue, &domain->queues, node) {
		if (queue->sn_group >= 0) {
			group = &dlb->sn_groups[queue->sn_group];
			__clear_bit(queue->sn_slot, &group->used);
			if (!group->used)
				group->slot_size = 0;
		}
		queue->sn_group = -1;
		queue->sn_slot = -1;
		queue->id = -1;
	}
	list_for_each_entry(port, &domain->ports, node) {
		if (port->cos_reserved != DLB_COS_ANY)
			dlb->avail_ldb_ports_cos[port->cos_reserved]++;
		port->cos_reserved = DLB_COS_ANY;
		port->hist_base = 0;
		port->id = -1;
	}
}
