// SPDX-License-Identifier: GPL-2.0
/*
 * Reserving a domain's resources from its device at start and releasing
 * them at stop: counted resources, the per-class-of-service ports, the
 * history list as one contiguous range per domain, and sequence-number
 * slots in groups whose slot size their first user sets. dlb_domain.c
 * decides when; this file decides how, and keeps the device's availability
 * (struct dlb_device's @avail and friends) exact.
 */

#include <linux/bitmap.h>
#include <linux/string.h>

#include "dlb.h"

/* The device's availability, copied so a start can fail midway harmlessly. */
struct dlb_alloc {
	struct dlb_resources avail;
	u32 cos[DLB_NUM_COS];
	struct dlb_sn_group sn[DLB_MAX_SN_GROUPS];
};

/*
 * Take @n of resource @res, or say which object found it short: "@kind
 * @name", or a domain attribute @name when @kind is "".
 */
static int dlb_alloc_take(struct dlb_domain *domain, struct dlb_alloc *a,
			  enum dlb_resource res, u32 n, const char *kind,
			  const char *name)
{
	if (a->avail.num[res] >= n) {
		a->avail.num[res] -= n;
		domain->reserved.num[res] += n;
		return 0;
	}
	dlb_domain_info(domain, "%s%s%s: %u of %s wanted, %u left\n", kind,
			*kind ? " " : "", name, n, dlb_resource_names[res],
			a->avail.num[res]);
	return -ENOSPC;
}

/*
 * A slot of @size sequence numbers: in a group already cut into slots of
 * that size if one has room, else in an unused group, whose slot size it
 * then fixes.
 */
static int dlb_alloc_sn(struct dlb_device *dlb, struct dlb_alloc *a,
			struct dlb_queue *queue)
{
	unsigned int nr_groups = dlb->total.num[DLB_RES_SEQUENCE_NUMBERS] /
				 DLB_SN_GROUP_SIZE;
	u32 size = queue->sequence_numbers;
	unsigned int g, slots = DLB_SN_GROUP_SIZE / size, slot;

	for (g = 0; g < nr_groups; g++) {
		if (a->sn[g].slot_size != size)
			continue;
		slot = find_first_zero_bit(&a->sn[g].used, slots);
		if (slot < slots)
			goto found;
	}
	for (g = 0; g < nr_groups; g++) {
		if (!a->sn[g].used) {
			a->sn[g].slot_size = size;
			slot = 0;
			goto found;
		}
	}
	dlb_domain_info(queue->domain, "queue %s: no sequence-number group has a free slot of %u\n",
			dlb_queue_name(queue), size);
	return -ENOSPC;

found:
	__set_bit(slot, &a->sn[g].used);
	a->avail.num[DLB_RES_SEQUENCE_NUMBERS] -= size;
	queue->domain->reserved.num[DLB_RES_SEQUENCE_NUMBERS] += size;
	queue->sn_group = g;
	queue->sn_slot = slot;
	return 0;
}

/* A class of service for a load-balanced port: its own, or the emptiest. */
static int dlb_alloc_cos(struct dlb_alloc *a, struct dlb_port *port)
{
	int cos = port->cos, i;

	if (cos == DLB_COS_ANY) {
		for (i = 0; i < DLB_NUM_COS; i++) {
			if (a->cos[i] && (cos < 0 || a->cos[i] > a->cos[cos]))
				cos = i;
		}
	}
	if (cos < 0 || !a->cos[cos]) {
		dlb_domain_info(port->domain, "port %s: no load-balanced port of class of service %s left\n",
				dlb_port_name(port), dlb_cos_names[cos + 1]);
		return -ENOSPC;
	}
	a->cos[cos]--;
	port->cos_reserved = cos;
	return 0;
}

/**
 * dlb_domain_reserve() - reserve what a validated domain needs, all or nothing
 * @domain: the domain
 *
 * Takes each object's share from a copy of the device's availability, in
 * list (name) order, and commits the copy only if everything fit, so the
 * first object that does not fit is the one the log line names. On
 * failure the caller calls dlb_domain_forget().
 *
 * Context: the device's lock held.
 * Return: 0, or -ENOSPC with one line logged; then the device is unchanged.
 */
int dlb_domain_reserve(struct dlb_domain *domain)
{
	struct dlb_device *dlb = domain->dlb;
	u32 hist = 0, total_hist, start;
	struct dlb_queue *queue;
	struct dlb_port *port;
	struct dlb_alloc a;
	int ret;

	memcpy(&a.avail, &dlb->avail, sizeof(a.avail));
	memcpy(a.cos, dlb->avail_ldb_ports_cos, sizeof(a.cos));
	memcpy(a.sn, dlb->sn_groups, sizeof(a.sn));
	memset(&domain->reserved, 0, sizeof(domain->reserved));

	ret = dlb_alloc_take(domain, &a, DLB_RES_SCHED_DOMAINS, 1, "",
			     "domain");
	if (!ret)
		ret = dlb_alloc_take(domain, &a, DLB_RES_LDB_CREDITS,
				     domain->ldb_credits, "", "ldb_credits");
	if (!ret)
		ret = dlb_alloc_take(domain, &a, DLB_RES_DIR_CREDITS,
				     domain->dir_credits, "", "dir_credits");
	if (ret)
		return ret;

	list_for_each_entry(queue, &domain->queues, node) {
		if (queue->type != DLB_TYPE_LDB)
			continue;	/* paid for by its directed port */
		ret = dlb_alloc_take(domain, &a, DLB_RES_LDB_QUEUES, 1,
				     "queue", dlb_queue_name(queue));
		if (!ret && dlb_queue_sched_type(queue) == DLB_SCHED_ATOMIC)
			ret = dlb_alloc_take(domain, &a,
					     DLB_RES_ATOMIC_INFLIGHTS,
					     queue->atomic_inflights,
					     "queue", dlb_queue_name(queue));
		if (!ret && dlb_queue_sched_type(queue) == DLB_SCHED_ORDERED)
			ret = dlb_alloc_sn(dlb, &a, queue);
		if (ret)
			return ret;
	}

	list_for_each_entry(port, &domain->ports, node) {
		if (port->type == DLB_TYPE_DIR) {
			ret = dlb_alloc_take(domain, &a, DLB_RES_DIR_PORTS, 1,
					     "port", dlb_port_name(port));
		} else {
			ret = dlb_alloc_take(domain, &a, DLB_RES_LDB_PORTS, 1,
					     "port", dlb_port_name(port));
			if (!ret)
				ret = dlb_alloc_cos(&a, port);
			port->hist_base = hist;
			hist += port->hist_list_size;
		}
		if (ret)
			return ret;
	}

	/* One contiguous range per domain: free entries may be fragmented. */
	total_hist = dlb->total.num[DLB_RES_HIST_LIST_ENTRIES];
	start = 0;
	if (hist) {
		ret = dlb_alloc_take(domain, &a, DLB_RES_HIST_LIST_ENTRIES,
				     hist, "", "ports");
		if (ret)
			return ret;
		start = bitmap_find_next_zero_area(dlb->hist_map, total_hist,
						   0, hist, 0);
		if (start + hist > total_hist) {
			dlb_domain_info(domain, "ports: no contiguous range of %u %s (%u left, fragmented)\n",
					hist,
					dlb_resource_names[DLB_RES_HIST_LIST_ENTRIES],
					a.avail.num[DLB_RES_HIST_LIST_ENTRIES] + hist);
			return -ENOSPC;
		}
		bitmap_set(dlb->hist_map, start, hist);
		list_for_each_entry(port, &domain->ports, node)
			port->hist_base += start;
	}
	domain->hist_base = start;

	memcpy(&dlb->avail, &a.avail, sizeof(a.avail));
	memcpy(dlb->avail_ldb_ports_cos, a.cos, sizeof(a.cos));
	memcpy(dlb->sn_groups, a.sn, sizeof(a.sn));
	return 0;
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

/**
 * dlb_domain_forget() - clear what a failed dlb_domain_reserve() left behind
 * @domain: the domain
 *
 * Only the per-object notes of a reservation that was never committed.
 *
 * Context: the device's lock held.
 */
void dlb_domain_forget(struct dlb_domain *domain)
{
	struct dlb_queue *queue;
	struct dlb_port *port;

	memset(&domain->reserved, 0, sizeof(domain->reserved));
	list_for_each_entry(queue, &domain->queues, node) {
		queue->sn_group = -1;
		queue->sn_slot = -1;
	}
	list_for_each_entry(port, &domain->ports, node) {
		port->cos_reserved = DLB_COS_ANY;
		port->hist_base = 0;
	}
}
