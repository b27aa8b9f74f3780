/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The objects the control plane configures (scheduling
 * domains, their queues, ports and port-to-queue links) and the core
 * operations on them, implemented in dlb_domain.c without any configfs
 * knowledge. The configfs glue (dlb_configfs_*.c) embeds the config groups
 * and is the only caller.
 *
 * Included by dlb.h; do not include directly.
 */
#ifndef DLB_DOMAIN_H
#define DLB_DOMAIN_H

#include <linux/uidgid.h>

#include "uapi/linux/dlb.h"
#include "rules/dlb_name.h"	/* names: dlb_obj_name_valid() */

/* Link priorities 0 (highest) to 7. */
#define DLB_NUM_PRIOS		8
/* Priority of a new link: the middle, so a user can go either way. */
#define DLB_DEFAULT_LINK_PRIO	4

#define DLB_MAX_CQ_DEPTH	1024
#define DLB_MAX_DEPTH_THRESHOLD	8192

/**
 * struct dlb_queue - a queue of a domain, queues/<name>/
 * @group: its configfs directory
 * @domain: the domain it belongs to
 * @node: entry in @domain->queues, kept sorted by name
 * @removed: rmdir has dropped it; a racing link to it must fail
 * @type: load-balanced or directed
 * @sched_type: scheduling type, if @sched_type_set: an enum dlb_sched_type
 *	or %DLB_QUEUE_SCHED_ALL
 * @sched_type_set: whether the user wrote sched_type; if not, the
 *	scheduling type follows @type (atomic or directed)
 * @depth_threshold: the queue depth that reads as 100% in a QE's depth
 *	indication
 * @sequence_numbers: sequence numbers an ordered or all-types queue
 *	reserves (its slot size), 0 for other queues
 * @atomic_inflights: atomic inflight storage an atomic or all-types queue
 *	reserves
 * @nr_links: ports linked to this queue
 * @id: domain-relative queue id (a QE's qid) while started, else -1
 * @sn_group: the sequence-number group of its slot while started, else -1
 * @sn_slot: the slot in @sn_group while started
 *
 * Every field but @group is protected by the device's lock.
 */
struct dlb_queue {
	struct config_group group;
	struct dlb_domain *domain;
	struct list_head node;
	bool removed;
	enum dlb_type type;
	unsigned int sched_type;
	bool sched_type_set;
	u32 depth_threshold;
	u32 sequence_numbers;
	u32 atomic_inflights;
	unsigned int nr_links;
	int id;
	int sn_group;
	int sn_slot;
};

/**
 * struct dlb_link - a port's link to a queue
 * @queue: the queue; configfs keeps it from being removed while linked
 * @priority: 0 (highest) to %DLB_NUM_PRIOS - 1
 */
struct dlb_link {
	struct dlb_queue *queue;
	u8 priority;
};

/**
 * struct dlb_port - a port of a domain, ports/<name>/
 * @group: its configfs directory; holds the link symlinks
 * @domain: the domain it belongs to
 * @node: entry in @domain->ports, kept sorted by name
 * @type: load-balanced or directed
 * @cq_depth: entries of its consumer queue, a power of two
 * @cq_depth_threshold: entries its consumer queue holds before its port
 *	file reads as readable (poll, blocking read), 1 to @cq_depth
 * @hist_list_size: history list entries (load-balanced ports only)
 * @cos: class of service 0-3, or %DLB_COS_ANY (load-balanced ports only)
 * @nr_links: used entries of @links
 * @links: its links, in the order they were made
 * @id: domain-relative port id while started, else -1
 * @cos_reserved: the class of service it got while started
 * @hist_base: first history list entry it got while started
 *
 * Every field but @group is protected by the device's lock.
 */
struct dlb_port {
	struct config_group group;
	struct dlb_domain *domain;
	struct list_head node;
	enum dlb_type type;
	u32 cq_depth;
	u32 cq_depth_threshold;
	u32 hist_list_size;
	int cos;
	unsigned int nr_links;
	struct dlb_link links[DLB_MAX_LINKS];
	int id;
	int cos_reserved;
	u32 hist_base;
};

/**
 * struct dlb_domain - a scheduling domain, domains/<name>/
 * @group: its configfs directory
 * @queues_group: queues/
 * @ports_group: ports/
 * @dlb: the device
 * @node: entry in @dlb->domains
 * @queues: its queues, sorted by name
 * @ports: its ports, sorted by name
 * @nr_queues: entries of @queues
 * @nr_ports: entries of @ports
 * @started: configuration frozen, resources reserved, scheduling
 * @generation: bumped by every change below the domain
 * @uid: owner of the domain's port device files
 * @gid: group of the domain's port device files
 * @ldb_credits: the load-balanced credit pool
 * @dir_credits: the directed credit pool
 * @nr_open_files: port device files of the domain currently open; stop
 *	is refused while not 0. A forced stop revokes them, which takes them
 *	out of the count.
 * @forced_drops: events dropped by forced stops of the domain, in total
 * @reserved: what the domain holds of the device while started
 * @hist_base: first entry of its history list range while started
 * @priv: the backend's state while started
 *
 * Every field but the groups is protected by @dlb->lock.
 */
struct dlb_domain {
	struct config_group group;
	struct config_group queues_group;
	struct config_group ports_group;
	struct dlb_device *dlb;
	struct list_head node;
	struct list_head queues;
	struct list_head ports;
	unsigned int nr_queues;
	unsigned int nr_ports;
	bool started;
	u64 generation;
	kuid_t uid;
	kgid_t gid;
	u32 ldb_credits;
	u32 dir_credits;
	unsigned int nr_open_files;
	u64 forced_drops;
	struct dlb_resources reserved;
	u32 hist_base;
	void *priv;
};

static inline const char *dlb_domain_name(const struct dlb_domain *domain)
{
	return config_item_name((struct config_item *)&domain->group.cg_item);
}

static inline const char *dlb_queue_name(const struct dlb_queue *queue)
{
	return config_item_name((struct config_item *)&queue->group.cg_item);
}

static inline const char *dlb_port_name(const struct dlb_port *port)
{
	return config_item_name((struct config_item *)&port->group.cg_item);
}

/**
 * dlb_queue_sched_type() - a queue's effective scheduling type
 * @queue: the queue
 *
 * Context: the device's lock held.
 * Return: what the user wrote to sched_type (an enum dlb_sched_type or
 * %DLB_QUEUE_SCHED_ALL), else the type's default: atomic for a
 * load-balanced queue, directed for a directed one.
 */
static inline unsigned int
dlb_queue_sched_type(const struct dlb_queue *queue)
{
	if (queue->sched_type_set)
		return queue->sched_type;
	return queue->type == DLB_TYPE_DIR ? DLB_SCHED_DIRECTED :
					     DLB_SCHED_ATOMIC;
}

/*
 * dlb_domain_info(domain, fmt, ...) - log why a start or link was refused,
 * in one line naming the device and the domain first, then @fmt: object
 * and reason. A macro so that dlb_domain.c and dlb_domain_rsrc.c share it
 * without calling each other: dlb_domain.c uses dlb_domain_rsrc.c, not the
 * other way round.
 */
#define dlb_domain_info(domain, fmt, ...)				\
({									\
	const struct dlb_domain *__d = (domain);			\
									\
	dev_info(&__d->dlb->dev, "domain %s: " fmt,			\
		 dlb_domain_name(__d), ##__VA_ARGS__);			\
})

/* dlb_domain_rsrc.c */
int dlb_domain_reserve(struct dlb_domain *domain);
void dlb_domain_release(struct dlb_domain *domain);

/* dlb_domain.c */
struct dlb_domain *dlb_domain_create(struct dlb_device *dlb,
				     const char *name);
void dlb_domain_remove(struct dlb_domain *domain);
void dlb_domain_changed(struct dlb_domain *domain);
int dlb_domain_start(struct dlb_domain *domain, const u64 *expected_gen);
int dlb_domain_stop(struct dlb_domain *domain);
int dlb_domain_force_stop(struct dlb_domain *domain);
struct dlb_queue *dlb_queue_create(struct dlb_domain *domain,
				   const char *name);
int dlb_queue_add(struct dlb_queue *queue);
void dlb_queue_remove(struct dlb_queue *queue);
int dlb_queue_stats(struct dlb_queue *queue, struct dlb_queue_stats *st);
struct dlb_port *dlb_port_create(struct dlb_domain *domain,
				 const char *name);
int dlb_port_add(struct dlb_port *port);
void dlb_port_remove(struct dlb_port *port);
int dlb_port_link(struct dlb_port *port, struct dlb_queue *queue);
void dlb_port_unlink(struct dlb_port *port, struct dlb_queue *queue);
int dlb_port_set_link_priority(struct dlb_port *port, const char *queue,
			       size_t len, u8 priority);

#endif /* DLB_DOMAIN_H */
