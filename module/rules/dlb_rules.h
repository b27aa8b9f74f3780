/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_rules.h - the rules a scheduling domain must satisfy to start, and
 * what it reserves from its device when it does: one implementation,
 * dlb_rules.c, portable C built into dlb.ko (dlb_domain.c,
 * dlb_domain_rsrc.c) and into dlbcfg (tools/dlbcfg/rules.c), so that
 * `dlbcfg check` and a start give the same verdict, errno and reason.
 *
 * Each side describes a domain in a struct dlb_rules_domain, its queues
 * and ports in name order (the order in which the kernel assigns ids and
 * reserves), and gets back a struct dlb_rules_verdict. The code reaches
 * its environment only through dlb_rules_env.h: module/rules/kernel/ has
 * the kernel's, tools/dlbcfg/env/ userspace's, selected by include path.
 */
#ifndef DLB_RULES_H
#define DLB_RULES_H

#include "dlb_resources.h"
#include "../uapi/linux/dlb.h"

/* Scheduling types: enum dlb_sched_type of the uapi header. */
#define DLB_NUM_SCHED_TYPES	4

/*
 * A queue's sched_type attribute is one of enum dlb_sched_type, the type of
 * every event it takes, or DLB_QUEUE_SCHED_ALL: a load-balanced queue with
 * both sequence numbers and atomic inflights, whose events each carry their
 * own type (atomic, unordered or ordered), as DLB 2.0's load-balanced queues
 * do. Not a QE value: a QE's 2-bit sched field has no room for it.
 */
#define DLB_QUEUE_SCHED_ALL	DLB_NUM_SCHED_TYPES
#define DLB_NUM_QUEUE_SCHED	(DLB_NUM_SCHED_TYPES + 1)

/* Links per load-balanced port; a directed port has exactly one. */
#define DLB_MAX_LINKS		8

/* A port's cos when any class of service will do. */
#define DLB_COS_ANY		(-1)

/**
 * enum dlb_type - load-balanced or directed, for queues and ports
 * @DLB_TYPE_LDB: load-balanced
 * @DLB_TYPE_DIR: directed
 * @DLB_NUM_TYPES: number of types
 */
enum dlb_type {
	DLB_TYPE_LDB,
	DLB_TYPE_DIR,
	DLB_NUM_TYPES,
};

/**
 * struct dlb_rules_queue - what the rules see of a queue
 * @name: its name
 * @type: load-balanced or directed
 * @sched_type: its effective scheduling type, an enum dlb_sched_type or
 *	%DLB_QUEUE_SCHED_ALL
 * @sequence_numbers: its sequence_numbers attribute
 * @atomic_inflights: its atomic_inflights attribute
 * @nr_links: ports linked to it
 * @sn_group: out: the sequence-number group of its slot, or -1
 * @sn_slot: out: its slot in @sn_group, or -1
 */
struct dlb_rules_queue {
	const char *name;
	enum dlb_type type;
	unsigned int sched_type;
	u32 sequence_numbers;
	u32 atomic_inflights;
	unsigned int nr_links;
	int sn_group;
	int sn_slot;
};

/**
 * struct dlb_rules_port - what the rules see of a port
 * @name: its name
 * @type: load-balanced or directed
 * @cq_depth: its cq_depth attribute
 * @cq_depth_threshold: its cq_depth_threshold attribute
 * @hist_list_size: its hist_list_size attribute
 * @cos: its cos attribute, 0 to %DLB_NUM_COS - 1 or %DLB_COS_ANY
 * @nr_links: used entries of @link_queue
 * @link_queue: the queue of each link, an index into the domain's queues
 * @cos_reserved: out: the class of service it got, or %DLB_COS_ANY
 * @hist_base: out: its first history list entry, relative to the domain's
 */
struct dlb_rules_port {
	const char *name;
	enum dlb_type type;
	u32 cq_depth;
	u32 cq_depth_threshold;
	u32 hist_list_size;
	int cos;
	unsigned int nr_links;
	unsigned int link_queue[DLB_MAX_LINKS];
	int cos_reserved;
	u32 hist_base;
};

/**
 * struct dlb_rules_domain - what the rules see of a domain
 * @ldb_credits: its load-balanced credit pool
 * @dir_credits: its directed credit pool
 * @nr_queues: entries of @queues
 * @queues: its queues, in name order
 * @nr_ports: entries of @ports
 * @ports: its ports, in name order
 * @reserved: out: what it reserved, per resource
 */
struct dlb_rules_domain {
	u32 ldb_credits;
	u32 dir_credits;
	unsigned int nr_queues;
	struct dlb_rules_queue *queues;
	unsigned int nr_ports;
	struct dlb_rules_port *ports;
	struct dlb_resources reserved;
};

/**
 * struct dlb_rules_avail - what a device has left to reserve
 * @num: per resource
 * @cos: load-balanced ports left per class of service
 * @nr_sn_groups: the device's sequence-number groups
 * @sn: the state of each
 */
struct dlb_rules_avail {
	struct dlb_resources num;
	u32 cos[DLB_NUM_COS];
	unsigned int nr_sn_groups;
	struct dlb_sn_group sn[DLB_MAX_SN_GROUPS];
};

/**
 * enum dlb_rules_obj - the kind of object a verdict is about
 * @DLB_RULES_DOMAIN: the domain (one of its attributes)
 * @DLB_RULES_QUEUE: a queue
 * @DLB_RULES_PORT: a port
 */
enum dlb_rules_obj {
	DLB_RULES_DOMAIN,
	DLB_RULES_QUEUE,
	DLB_RULES_PORT,
};

/* Long enough for every reason with the longest names. */
#define DLB_RULES_MSG_MAX	160

/**
 * struct dlb_rules_verdict - why a domain cannot start
 * @err: 0, -EINVAL (a rule is broken), -ENOSPC (a resource is short) or,
 *	from dlb_rules_link(), -EBUSY (a directed queue is taken)
 * @obj: the kind of object at fault
 * @index: the queue's or port's index in the domain
 * @msg: "queue NAME: reason", "port NAME: reason" or "ATTRIBUTE: reason",
 *	the text after "domain NAME: " in the kernel's log line
 */
struct dlb_rules_verdict {
	int err;
	enum dlb_rules_obj obj;
	unsigned int index;
	char msg[DLB_RULES_MSG_MAX];
};

extern const char * const dlb_type_names[DLB_NUM_TYPES];
extern const char * const dlb_sched_type_names[DLB_NUM_QUEUE_SCHED];
bool dlb_rules_queue_takes(unsigned int queue_sched, enum dlb_sched_type sched);
extern const char * const dlb_cos_names[DLB_NUM_COS + 1];

u32 dlb_rules_cos_total(u32 ldb_ports, int cos);
int dlb_rules_link(const struct dlb_rules_port *port, unsigned int port_index,
		   const struct dlb_rules_queue *queue,
		   struct dlb_rules_verdict *v);
int dlb_rules_validate(const struct dlb_rules_domain *domain,
		       struct dlb_rules_verdict *v);
void dlb_rules_avail_init(struct dlb_rules_avail *a,
			  const struct dlb_resources *total);
int dlb_rules_reserve(struct dlb_rules_avail *a,
		      struct dlb_rules_domain *domain,
		      struct dlb_rules_verdict *v);
int dlb_rules_quota_validate(const struct dlb_resources *quota,
			     struct dlb_rules_verdict *v);
int dlb_rules_reserve_quota(struct dlb_rules_avail *a,
			    const struct dlb_resources *quota,
			    unsigned int *sn_groups,
			    struct dlb_rules_verdict *v);

#endif /* DLB_RULES_H */
