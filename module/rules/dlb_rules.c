// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_rules.c - the start rules of a scheduling domain and the reservation
 * of what it needs from its device, with the reason for each refusal, for
 * dlb.ko and dlbcfg alike (see dlb_rules.h). Also the name tables of the
 * enumerated attributes and resources those rules and their messages use.
 *
 * Plain C: its environment is dlb_rules_env.h, nothing else.
 */

#include "dlb_rules.h"

const char * const dlb_resource_names[DLB_NUM_RESOURCES] = {
#define DLB_RES(_enum, _name, _what)	\
	[DLB_RES_##_enum] = #_name,
#include "dlb_resource_table.h"
#undef DLB_RES
};

const u32 dlb_resource_dlb2_totals[DLB_NUM_RESOURCES] = {
#define DLB_RES(_enum, _name, _what)	\
	[DLB_RES_##_enum] = DLB_MAX_##_enum,
#include "dlb_resource_table.h"
#undef DLB_RES
};

const char * const dlb_type_names[DLB_NUM_TYPES] = {
	[DLB_TYPE_LDB] = "ldb",
	[DLB_TYPE_DIR] = "dir",
};

const char * const dlb_sched_type_names[DLB_NUM_QUEUE_SCHED] = {
	[DLB_SCHED_ATOMIC]	= "atomic",
	[DLB_SCHED_UNORDERED]	= "unordered",
	[DLB_SCHED_ORDERED]	= "ordered",
	[DLB_SCHED_DIRECTED]	= "directed",
	[DLB_QUEUE_SCHED_ALL]	= "all",
};

/**
 * dlb_rules_queue_takes() - whether a queue takes events of a sched type
 * @queue_sched: the queue's sched_type, an enum dlb_sched_type or
 *	%DLB_QUEUE_SCHED_ALL
 * @sched: the sched type of an event (a QE's sched field)
 *
 * A load-balanced queue takes unordered events whatever its sched_type,
 * atomic ones if it is atomic or all (it has atomic inflights), ordered
 * ones if it is ordered or all (it has sequence numbers); a directed queue
 * takes directed events only. The table of the uapi header, and what a
 * queue reserves at start.
 *
 * Context: any.
 * Return: true if the queue takes them.
 */
bool dlb_rules_queue_takes(unsigned int queue_sched, enum dlb_sched_type sched)
{
	if (queue_sched == DLB_SCHED_DIRECTED || sched == DLB_SCHED_DIRECTED)
		return queue_sched == sched;
	return sched == DLB_SCHED_UNORDERED || queue_sched == sched ||
	       queue_sched == DLB_QUEUE_SCHED_ALL;
}

/* "any", then "0" to "3": index = cos + 1. */
const char * const dlb_cos_names[DLB_NUM_COS + 1] = {
	"any", "0", "1", "2", "3",
};

/* Fill in @v; the message is "@kind @name: reason", or "@name: reason". */
static int __printf(6, 7)
dlb_rules_refuse(struct dlb_rules_verdict *v, int err, enum dlb_rules_obj obj,
		 unsigned int index, const char *name, const char *fmt, ...)
{
	static const char * const kinds[] = {
		[DLB_RULES_DOMAIN] = "",
		[DLB_RULES_QUEUE] = "queue ",
		[DLB_RULES_PORT] = "port ",
	};
	va_list ap;
	int len;

	v->err = err;
	v->obj = obj;
	v->index = index;
	len = dlb_rules_snprintf(v->msg, sizeof(v->msg), "%s%s: ", kinds[obj],
				 name);
	if (len < 0 || (size_t)len >= sizeof(v->msg))
		return err;
	va_start(ap, fmt);
	dlb_rules_vsnprintf(v->msg + len, sizeof(v->msg) - len, fmt, ap);
	va_end(ap);
	return err;
}

/* Why a queue breaks a rule, or NULL. */
static const char *dlb_rules_queue_why(const struct dlb_rules_queue *q)
{
	unsigned int sched = q->sched_type;
	bool ordered = dlb_rules_queue_takes(sched, DLB_SCHED_ORDERED);

	if (q->type == DLB_TYPE_LDB) {
		if (sched == DLB_SCHED_DIRECTED)
			return "sched_type directed needs type dir";
		if (sched == DLB_QUEUE_SCHED_ALL && !q->sequence_numbers)
			return "a queue of sched_type all needs sequence_numbers";
		if (ordered && !q->sequence_numbers)
			return "an ordered queue needs sequence_numbers";
		if (!ordered && q->sequence_numbers)
			return "sequence_numbers needs sched_type ordered or all";
		if (sched == DLB_QUEUE_SCHED_ALL && !q->atomic_inflights)
			return "a queue of sched_type all needs atomic_inflights";
		if (sched == DLB_SCHED_ATOMIC && !q->atomic_inflights)
			return "an atomic queue needs atomic_inflights";
		if (!q->nr_links)
			return "a load-balanced queue needs a linked load-balanced port";
		return NULL;
	}
	if (sched != DLB_SCHED_DIRECTED)
		return "a directed queue needs sched_type directed";
	if (q->sequence_numbers)
		return "sequence_numbers needs sched_type ordered or all";
	if (q->nr_links != 1)
		return "a directed queue needs exactly one linked directed port";
	return NULL;
}

/* Why a port breaks a rule, or NULL; a link to the other type aside. */
static const char *dlb_rules_port_why(const struct dlb_rules_port *p)
{
	if (p->type == DLB_TYPE_LDB && p->hist_list_size < p->cq_depth)
		return "hist_list_size is below cq_depth";
	if (p->cq_depth_threshold > p->cq_depth)
		return "cq_depth_threshold is above cq_depth";
	if (p->type == DLB_TYPE_DIR && p->nr_links != 1)
		return "a directed port needs exactly one linked directed queue";
	return NULL;
}

/**
 * dlb_rules_link() - whether a port may link one more queue
 * @port: the port, with its links so far in @port->nr_links
 * @port_index: its index in the domain, for @v
 * @queue: the queue, with the ports linked to it so far in @queue->nr_links
 * @v: the verdict, filled in on failure
 *
 * The rules a link must satisfy when it is made, while the domain is
 * stopped or started alike; the kernel checks them at each symlink, and
 * dlbcfg for each link of a file in the order apply makes them.
 *
 * Context: any.
 * Return: 0; -EINVAL if @queue is of the other type; -ENOSPC if @port has
 * all the links a port of its type has; -EBUSY if @queue is directed and
 * feeds a port already.
 */
int dlb_rules_link(const struct dlb_rules_port *port, unsigned int port_index,
		   const struct dlb_rules_queue *queue,
		   struct dlb_rules_verdict *v)
{
	unsigned int max_links = port->type == DLB_TYPE_DIR ? 1 : DLB_MAX_LINKS;

	if (port->type != queue->type)
		return dlb_rules_refuse(v, -EINVAL, DLB_RULES_PORT, port_index,
					port->name,
					"a %s port cannot link %s queue %s",
					dlb_type_names[port->type],
					dlb_type_names[queue->type],
					queue->name);
	if (port->nr_links >= max_links)
		return dlb_rules_refuse(v, -ENOSPC, DLB_RULES_PORT, port_index,
					port->name,
					"already has %u link(s), the most a %s port has",
					max_links, dlb_type_names[port->type]);
	if (queue->type == DLB_TYPE_DIR && queue->nr_links)
		return dlb_rules_refuse(v, -EBUSY, DLB_RULES_QUEUE, 0,
					queue->name,
					"a directed queue feeds one port, and it has one");
	return 0;
}

/**
 * dlb_rules_validate() - check the rules a domain must satisfy to start
 * @domain: the domain
 * @v: the verdict, filled in on failure
 *
 * Queues first, then ports, each in name order, then the credit pools:
 * the first broken rule is the one reported.
 *
 * Context: any.
 * Return: 0, or -EINVAL with @v saying which object breaks which rule.
 */
int dlb_rules_validate(const struct dlb_rules_domain *domain,
		       struct dlb_rules_verdict *v)
{
	bool ldb_queues = false, dir_queues = false;
	const struct dlb_rules_queue *q;
	const struct dlb_rules_port *p;
	const char *why;
	unsigned int i, j;

	for (i = 0; i < domain->nr_queues; i++) {
		q = &domain->queues[i];
		if (q->type == DLB_TYPE_LDB)
			ldb_queues = true;
		else
			dir_queues = true;
		why = dlb_rules_queue_why(q);
		if (why)
			return dlb_rules_refuse(v, -EINVAL, DLB_RULES_QUEUE, i,
						q->name, "%s", why);
	}

	for (i = 0; i < domain->nr_ports; i++) {
		p = &domain->ports[i];
		why = dlb_rules_port_why(p);
		if (why)
			return dlb_rules_refuse(v, -EINVAL, DLB_RULES_PORT, i,
						p->name, "%s", why);
		for (j = 0; j < p->nr_links; j++) {
			q = &domain->queues[p->link_queue[j]];
			if (q->type != p->type)
				return dlb_rules_refuse(v, -EINVAL,
							DLB_RULES_PORT, i,
							p->name,
							"a %s port cannot link %s queue %s",
							dlb_type_names[p->type],
							dlb_type_names[q->type],
							q->name);
		}
	}

	if (ldb_queues && !domain->ldb_credits)
		return dlb_rules_refuse(v, -EINVAL, DLB_RULES_DOMAIN, 0,
					"ldb_credits",
					"load-balanced queues need credits");
	if (dir_queues && !domain->dir_credits)
		return dlb_rules_refuse(v, -EINVAL, DLB_RULES_DOMAIN, 0,
					"dir_credits",
					"directed queues need credits");
	return 0;
}

/**
 * dlb_rules_cos_total() - how many load-balanced ports a class of service has
 * @ldb_ports: the device's load-balanced ports
 * @cos: the class, 0 to %DLB_NUM_COS - 1
 *
 * The ports are split as evenly as they go, the lower classes taking the
 * remainder.
 *
 * Context: any.
 * Return: the number of ports of class @cos.
 */
u32 dlb_rules_cos_total(u32 ldb_ports, int cos)
{
	return ldb_ports / DLB_NUM_COS +
	       ((u32)cos < ldb_ports % DLB_NUM_COS ? 1 : 0);
}

/**
 * dlb_rules_avail_init() - a device's availability with nothing reserved
 * @a: filled in
 * @total: the device's totals
 *
 * Context: any.
 */
void dlb_rules_avail_init(struct dlb_rules_avail *a,
			  const struct dlb_resources *total)
{
	int i;

	*a = (struct dlb_rules_avail){ .num = *total };
	for (i = 0; i < DLB_NUM_COS; i++)
		a->cos[i] = dlb_rules_cos_total(total->num[DLB_RES_LDB_PORTS],
						i);
	a->nr_sn_groups = total->num[DLB_RES_SEQUENCE_NUMBERS] /
			  DLB_SN_GROUP_SIZE;
	if (a->nr_sn_groups > DLB_MAX_SN_GROUPS)
		a->nr_sn_groups = DLB_MAX_SN_GROUPS;
}

/*
 * Take @n of @res into @reserved for the object @obj/@index/@name, or say
 * it is short.
 */
static int dlb_rules_take(struct dlb_rules_avail *a,
			  struct dlb_resources *reserved,
			  enum dlb_resource res, u32 n, enum dlb_rules_obj obj,
			  unsigned int index, const char *name,
			  struct dlb_rules_verdict *v)
{
	if (a->num.num[res] >= n) {
		a->num.num[res] -= n;
		reserved->num[res] += n;
		return 0;
	}
	return dlb_rules_refuse(v, -ENOSPC, obj, index, name,
				"%u of %s wanted, %u left", n,
				dlb_resource_names[res], a->num.num[res]);
}

/*
 * A slot of the queue's size: in a group already cut into slots of that
 * size if one has room, else in an unused group, whose slot size it then
 * fixes.
 */
static int dlb_rules_take_sn(struct dlb_rules_avail *a,
			     struct dlb_rules_domain *domain,
			     unsigned int index, struct dlb_rules_verdict *v)
{
	struct dlb_rules_queue *q = &domain->queues[index];
	u32 size = q->sequence_numbers;
	unsigned int g, slot, slots = DLB_SN_GROUP_SIZE / size;

	for (g = 0; g < a->nr_sn_groups; g++) {
		if (a->sn[g].slot_size != size)
			continue;
		for (slot = 0; slot < slots; slot++) {
			if (!(a->sn[g].used & (1UL << slot)))
				goto found;
		}
	}
	for (g = 0; g < a->nr_sn_groups; g++) {
		if (!a->sn[g].used) {
			a->sn[g].slot_size = size;
			slot = 0;
			goto found;
		}
	}
	return dlb_rules_refuse(v, -ENOSPC, DLB_RULES_QUEUE, index, q->name,
				"no sequence-number group has a free slot of %u",
				size);

found:
	a->sn[g].used |= 1UL << slot;
	a->num.num[DLB_RES_SEQUENCE_NUMBERS] -= size;
	domain->reserved.num[DLB_RES_SEQUENCE_NUMBERS] += size;
	q->sn_group = g;
	q->sn_slot = slot;
	return 0;
}

/* A class of service for a load-balanced port: its own, or the emptiest. */
static int dlb_rules_take_cos(struct dlb_rules_avail *a,
			      struct dlb_rules_domain *domain,
			      unsigned int index, struct dlb_rules_verdict *v)
{
	struct dlb_rules_port *p = &domain->ports[index];
	int cos = p->cos, i;

	if (cos == DLB_COS_ANY) {
		for (i = 0; i < DLB_NUM_COS; i++) {
			if (a->cos[i] && (cos < 0 || a->cos[i] > a->cos[cos]))
				cos = i;
		}
	}
	if (cos < 0 || !a->cos[cos])
		return dlb_rules_refuse(v, -ENOSPC, DLB_RULES_PORT, index,
					p->name,
					"no load-balanced port of class of service %s left",
					dlb_cos_names[cos + 1]);
	a->cos[cos]--;
	p->cos_reserved = cos;
	return 0;
}

/**
 * dlb_rules_reserve() - take what a valid domain needs from @a
 * @a: what the device has left; the caller passes a copy and commits it
 *	only on success, so a failure midway changes nothing
 * @domain: the domain; its queues' and ports' out fields and @reserved
 *	are filled in
 * @v: the verdict, filled in on failure
 *
 * The domain, its credit pools, then each queue and each port in name
 * order, then the history list entries of all its ports: the first that
 * does not fit is the one reported. Where in the device the history list
 * range lies is the caller's business (the ports' @hist_base are relative
 * to it).
 *
 * Context: any.
 * Return: 0, or -ENOSPC with @v saying which object found which resource
 * short.
 */
int dlb_rules_reserve(struct dlb_rules_avail *a,
		      struct dlb_rules_domain *domain,
		      struct dlb_rules_verdict *v)
{
	struct dlb_rules_queue *q;
	struct dlb_rules_port *p;
	unsigned int i;
	u32 hist = 0;
	int ret;

	domain->reserved = (struct dlb_resources){ };
	for (i = 0; i < domain->nr_queues; i++) {
		domain->queues[i].sn_group = -1;
		domain->queues[i].sn_slot = -1;
	}
	for (i = 0; i < domain->nr_ports; i++) {
		domain->ports[i].cos_reserved = DLB_COS_ANY;
		domain->ports[i].hist_base = 0;
	}

	ret = dlb_rules_take(a, &domain->reserved, DLB_RES_SCHED_DOMAINS, 1,
			     DLB_RULES_DOMAIN, 0, "domain", v);
	if (!ret)
		ret = dlb_rules_take(a, &domain->reserved, DLB_RES_LDB_CREDITS,
				     domain->ldb_credits, DLB_RULES_DOMAIN, 0,
				     "ldb_credits", v);
	if (!ret)
		ret = dlb_rules_take(a, &domain->reserved, DLB_RES_DIR_CREDITS,
				     domain->dir_credits, DLB_RULES_DOMAIN, 0,
				     "dir_credits", v);
	if (ret)
		return ret;

	for (i = 0; i < domain->nr_queues; i++) {
		q = &domain->queues[i];
		if (q->type != DLB_TYPE_LDB)
			continue;	/* paid for by its directed port */
		ret = dlb_rules_take(a, &domain->reserved, DLB_RES_LDB_QUEUES, 1,
				     DLB_RULES_QUEUE, i, q->name, v);
		if (!ret && dlb_rules_queue_takes(q->sched_type,
						  DLB_SCHED_ATOMIC))
			ret = dlb_rules_take(a, &domain->reserved,
					     DLB_RES_ATOMIC_INFLIGHTS,
					     q->atomic_inflights,
					     DLB_RULES_QUEUE, i, q->name, v);
		if (!ret && dlb_rules_queue_takes(q->sched_type,
						  DLB_SCHED_ORDERED))
			ret = dlb_rules_take_sn(a, domain, i, v);
		if (ret)
			return ret;
	}

	for (i = 0; i < domain->nr_ports; i++) {
		p = &domain->ports[i];
		if (p->type == DLB_TYPE_DIR) {
			ret = dlb_rules_take(a, &domain->reserved, DLB_RES_DIR_PORTS, 1,
					     DLB_RULES_PORT, i, p->name, v);
		} else {
			ret = dlb_rules_take(a, &domain->reserved, DLB_RES_LDB_PORTS, 1,
					     DLB_RULES_PORT, i, p->name, v);
			if (!ret)
				ret = dlb_rules_take_cos(a, domain, i, v);
			p->hist_base = hist;
			hist += p->hist_list_size;
		}
		if (ret)
			return ret;
	}

	return dlb_rules_take(a, &domain->reserved, DLB_RES_HIST_LIST_ENTRIES, hist,
			      DLB_RULES_DOMAIN, 0, "ports", v);
}

/* Why a vdev's quota cannot make a usable device, or NULL; @res the culprit. */
static const char *dlb_rules_quota_why(const struct dlb_resources *q,
				       enum dlb_resource *res)
{
	const u32 *n = q->num;

	*res = DLB_RES_SCHED_DOMAINS;
	if (!n[DLB_RES_SCHED_DOMAINS])
		return "a device needs at least one scheduling domain";
	*res = DLB_RES_LDB_PORTS;
	if (!n[DLB_RES_LDB_PORTS] && !n[DLB_RES_DIR_PORTS])
		return "a device needs at least one port: num_ldb_ports or num_dir_ports";
	if (n[DLB_RES_LDB_PORTS] && !n[DLB_RES_LDB_CREDITS])
		return "load-balanced ports need num_ldb_credits";
	if (n[DLB_RES_LDB_PORTS] && !n[DLB_RES_HIST_LIST_ENTRIES])
		return "load-balanced ports need num_hist_list_entries";
	*res = DLB_RES_DIR_PORTS;
	if (n[DLB_RES_DIR_PORTS] && !n[DLB_RES_DIR_CREDITS])
		return "directed ports need num_dir_credits";
	*res = DLB_RES_LDB_QUEUES;
	if (n[DLB_RES_LDB_QUEUES] && !n[DLB_RES_LDB_PORTS])
		return "load-balanced queues need num_ldb_ports";
	*res = DLB_RES_SEQUENCE_NUMBERS;
	if (n[DLB_RES_SEQUENCE_NUMBERS] % DLB_SN_GROUP_SIZE)
		return "not a multiple of the group size 1024";
	return NULL;
}

/**
 * dlb_rules_quota_validate() - check that a virtual device's quota makes a
 *	device on which a domain can start
 * @quota: the quota, one amount per resource
 * @v: the verdict, filled in on failure; its message names the resource
 *
 * Context: any.
 * Return: 0, or -EINVAL with @v saying which resource breaks which rule.
 */
int dlb_rules_quota_validate(const struct dlb_resources *quota,
			     struct dlb_rules_verdict *v)
{
	enum dlb_resource res;
	const char *why = dlb_rules_quota_why(quota, &res);

	if (!why)
		return 0;
	return dlb_rules_refuse(v, -EINVAL, DLB_RULES_DOMAIN, 0,
				dlb_resource_names[res], "%s", why);
}

/**
 * dlb_rules_reserve_quota() - take a virtual device's quota from @a
 * @a: what the parent device has left; as for dlb_rules_reserve(), the
 *	caller commits it only on success
 * @quota: the quota, valid by dlb_rules_quota_validate()
 * @sn_groups: out: a bit per sequence-number group of the parent taken
 *	whole by the quota
 * @v: the verdict, filled in on failure
 *
 * Every counted resource in enum order; the load-balanced ports of each
 * class of service of the virtual device from the same class of the
 * parent (the virtual device splits its ports as any device does); the
 * sequence numbers as whole unused groups, each then marked as one slot
 * of %DLB_SN_GROUP_SIZE in use. Where the history list range lies is the
 * caller's business, as for a domain.
 *
 * Context: any.
 * Return: 0, or -ENOSPC with @v naming the resource that is short.
 */
int dlb_rules_reserve_quota(struct dlb_rules_avail *a,
			    const struct dlb_resources *quota,
			    unsigned int *sn_groups,
			    struct dlb_rules_verdict *v)
{
	u32 want, ports = quota->num[DLB_RES_LDB_PORTS];
	struct dlb_resources taken = { };
	unsigned int g, groups;
	int i, ret;

	for (i = 0; i < DLB_NUM_RESOURCES; i++) {
		ret = dlb_rules_take(a, &taken, (enum dlb_resource)i,
				     quota->num[i], DLB_RULES_DOMAIN, 0,
				     dlb_resource_names[i], v);
		if (ret)
			return ret;
	}

	for (i = 0; i < DLB_NUM_COS; i++) {
		want = dlb_rules_cos_total(ports, i);
		if (a->cos[i] < want)
			return dlb_rules_refuse(v, -ENOSPC, DLB_RULES_DOMAIN, 0,
						dlb_resource_names[DLB_RES_LDB_PORTS],
						"%u of class of service %d wanted, %u left",
						want, i, a->cos[i]);
		a->cos[i] -= want;
	}

	*sn_groups = 0;
	groups = quota->num[DLB_RES_SEQUENCE_NUMBERS] / DLB_SN_GROUP_SIZE;
	for (g = 0; g < a->nr_sn_groups && groups; g++) {
		if (a->sn[g].used)
			continue;
		a->sn[g].slot_size = DLB_SN_GROUP_SIZE;
		a->sn[g].used = 1;
		*sn_groups |= 1U << g;
		groups--;
	}
	if (groups)
		return dlb_rules_refuse(v, -ENOSPC, DLB_RULES_DOMAIN, 0,
					dlb_resource_names[DLB_RES_SEQUENCE_NUMBERS],
					"%u more unused group(s) of 1024 wanted",
					groups);
	return 0;
}
