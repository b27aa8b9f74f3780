// SPDX-License-Identifier: GPL-2.0
/*
 * The control plane's core: creating and removing domains, queues, ports
 * and links, and the domain state machine. A domain is configured while
 * stopped; dlb_domain_start() validates it as a whole and reserves
 * everything it needs from the device in one step (dlb_domain_rsrc.c, with
 * the rules shared with dlbcfg in rules/dlb_rules.c), assigns ids and hands
 * it to the backend, or fails and changes nothing.
 *
 * Every function here runs under the device's lock (taken here or asserted)
 * and knows nothing of configfs beyond the names of the objects.
 */

#include <linux/slab.h>
#include <linux/string.h>

#include "dlb.h"

/* Defaults that let 32 domains of default shape fit DLB 2.0 exactly. */
#define DLB_DEFAULT_LDB_CREDITS		256
#define DLB_DEFAULT_DIR_CREDITS		128
#define DLB_DEFAULT_DEPTH_THRESHOLD	256
#define DLB_DEFAULT_ATOMIC_INFLIGHTS	64
#define DLB_DEFAULT_CQ_DEPTH		32
#define DLB_DEFAULT_HIST_LIST_SIZE	32

/**
 * dlb_domain_changed() - note a change anywhere below a domain
 * @domain: the domain
 *
 * Every successful configuration write, mkdir, rmdir, link, unlink and
 * priority change bumps the generation, so a tool that read it can tell.
 *
 * Context: the device's lock held.
 */
void dlb_domain_changed(struct dlb_domain *domain)
{
	lockdep_assert_held(&domain->dlb->lock);
	domain->generation++;
}

/**
 * dlb_domain_create() - make a stopped domain with default settings
 * @dlb: the device
 * @name: its name, checked here
 *
 * A device holds at most as many domains, started or not, as it can run:
 * configured domains cost kernel memory, and a domain that could never
 * start is of no use.
 *
 * Context: process context; takes @dlb->lock.
 * Return: the domain, or ERR_PTR(-EINVAL) for a bad name, -ENOSPC when the
 * device has its number of domains, -ENODEV when it is being removed,
 * -ENOMEM.
 */
struct dlb_domain *dlb_domain_create(struct dlb_device *dlb, const char *name)
{
	struct dlb_domain *domain;
	int err;

	if (!dlb_obj_name_valid(name))
		return ERR_PTR(-EINVAL);

	domain = kzalloc(sizeof(*domain), GFP_KERNEL);
	if (!domain)
		return ERR_PTR(-ENOMEM);

	domain->dlb = dlb;
	INIT_LIST_HEAD(&domain->queues);
	INIT_LIST_HEAD(&domain->ports);
	domain->uid = GLOBAL_ROOT_UID;
	domain->gid = GLOBAL_ROOT_GID;
	domain->ldb_credits = DLB_DEFAULT_LDB_CREDITS;
	domain->dir_credits = DLB_DEFAULT_DIR_CREDITS;

	mutex_lock(&dlb->lock);
	if (dlb->closing ||
	    dlb->nr_domains >= dlb->total.num[DLB_RES_SCHED_DOMAINS]) {
		err = dlb->closing ? -ENODEV : -ENOSPC;
		mutex_unlock(&dlb->lock);
		kfree(domain);
		return ERR_PTR(err);
	}
	list_add_tail(&domain->node, &dlb->domains);
	dlb->nr_domains++;
	mutex_unlock(&dlb->lock);

	return domain;
}

/**
 * dlb_domain_remove() - take a domain off its device
 * @domain: the domain; stopped and empty, which configfs guarantees
 *
 * The memory stays until the configfs item's last reference goes.
 *
 * Context: process context; takes the device's lock.
 */
void dlb_domain_remove(struct dlb_domain *domain)
{
	struct dlb_device *dlb = domain->dlb;

	mutex_lock(&dlb->lock);
	WARN_ON_ONCE(domain->started);
	list_del_init(&domain->node);
	dlb->nr_domains--;
	mutex_unlock(&dlb->lock);
}

/* Most objects of each kind a domain may hold: what a device can have. */
/**
 * dlb_queue_stats() - read a queue's statistics from the backend
 * @queue: the queue
 * @st: filled in; all 0 while the domain is stopped (nothing can be
 *	enqueued) or if the backend keeps none
 *
 * Context: process context; takes the device's lock.
 * Return: 0, or the backend's error.
 */
int dlb_queue_stats(struct dlb_queue *queue, struct dlb_queue_stats *st)
{
	struct dlb_device *dlb = queue->domain->dlb;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	mutex_lock(&dlb->lock);
	if (queue->domain->started && dlb->ops->queue_stats)
		ret = dlb->ops->queue_stats(dlb, queue, st);
	mutex_unlock(&dlb->lock);
	return ret;
}

static unsigned int dlb_max_queues(const struct dlb_device *dlb)
{
	return dlb->total.num[DLB_RES_LDB_QUEUES] +
	       dlb->total.num[DLB_RES_DIR_PORTS];
}

static unsigned int dlb_max_ports(const struct dlb_device *dlb)
{
	return dlb->total.num[DLB_RES_LDB_PORTS] +
	       dlb->total.num[DLB_RES_DIR_PORTS];
}

/* Insert @node into @head, kept sorted by @name; ids follow this order. */
static void dlb_list_add_sorted(struct list_head *node, const char *name,
				struct list_head *head,
				const char *(*name_of)(struct list_head *))
{
	struct list_head *pos;

	list_for_each(pos, head) {
		if (strcmp(name, name_of(pos)) < 0)
			break;
	}
	list_add_tail(node, pos);
}

static const char *dlb_queue_node_name(struct list_head *node)
{
	return dlb_queue_name(list_entry(node, struct dlb_queue, node));
}

static const char *dlb_port_node_name(struct list_head *node)
{
	return dlb_port_name(list_entry(node, struct dlb_port, node));
}

/**
 * dlb_queue_create() - allocate a queue with default settings
 * @domain: the domain it will belong to
 * @name: the queue's name, checked here
 *
 * The caller names the queue's config group @name before anyone else can
 * see the queue, which happens when dlb_queue_add() puts it in
 * @domain->queues.
 *
 * Context: process context.
 * Return: the queue, or ERR_PTR(-EINVAL) for a bad name, -ENOMEM.
 */
struct dlb_queue *dlb_queue_create(struct dlb_domain *domain,
				   const char *name)
{
	struct dlb_queue *queue;

	if (!dlb_obj_name_valid(name))
		return ERR_PTR(-EINVAL);

	queue = kzalloc(sizeof(*queue), GFP_KERNEL);
	if (!queue)
		return ERR_PTR(-ENOMEM);

	queue->domain = domain;
	INIT_LIST_HEAD(&queue->node);
	queue->type = DLB_TYPE_LDB;
	queue->depth_threshold = DLB_DEFAULT_DEPTH_THRESHOLD;
	queue->atomic_inflights = DLB_DEFAULT_ATOMIC_INFLIGHTS;
	queue->id = -1;
	queue->sn_group = -1;
	queue->sn_slot = -1;
	return queue;
}

/**
 * dlb_queue_add() - make a queue from dlb_queue_create() part of its domain
 * @queue: the queue, its group named
 *
 * Context: process context; takes the device's lock.
 * Return: 0, -EBUSY while the domain is started, or -ENOSPC when the
 * domain has as many queues as the device could ever give it.
 */
int dlb_queue_add(struct dlb_queue *queue)
{
	struct dlb_domain *domain = queue->domain;
	struct dlb_device *dlb = domain->dlb;
	int ret = 0;

	mutex_lock(&dlb->lock);
	if (domain->started) {
		ret = -EBUSY;
	} else if (domain->nr_queues >= dlb_max_queues(dlb)) {
		ret = -ENOSPC;
	} else {
		dlb_list_add_sorted(&queue->node, dlb_queue_name(queue),
				    &domain->queues, dlb_queue_node_name);
		domain->nr_queues++;
		dlb_domain_changed(domain);
	}
	mutex_unlock(&dlb->lock);
	return ret;
}

/**
 * dlb_queue_remove() - take a queue out of its domain
 * @queue: the queue; unlinked, in a stopped domain (configfs guarantees
 *	both while the domain is started: see the configfs glue)
 *
 * Context: process context; takes the device's lock.
 */
void dlb_queue_remove(struct dlb_queue *queue)
{
	struct dlb_domain *domain = queue->domain;

	mutex_lock(&domain->dlb->lock);
	queue->removed = true;
	if (!list_empty(&queue->node)) {
		list_del_init(&queue->node);
		domain->nr_queues--;
		dlb_domain_changed(domain);
	}
	mutex_unlock(&domain->dlb->lock);
}

/**
 * dlb_port_create() - allocate a port with default settings
 * @domain: the domain it will belong to
 * @name: the port's name, checked here
 *
 * Like dlb_queue_create(): dlb_port_add() makes it part of the domain.
 *
 * Context: process context.
 * Return: the port, or ERR_PTR(-EINVAL) for a bad name, -ENOMEM.
 */
struct dlb_port *dlb_port_create(struct dlb_domain *domain, const char *name)
{
	struct dlb_port *port;

	if (!dlb_obj_name_valid(name))
		return ERR_PTR(-EINVAL);

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);

	port->domain = domain;
	INIT_LIST_HEAD(&port->node);
	port->type = DLB_TYPE_LDB;
	port->cq_depth = DLB_DEFAULT_CQ_DEPTH;
	port->cq_depth_threshold = 1;
	port->hist_list_size = DLB_DEFAULT_HIST_LIST_SIZE;
	port->cos = DLB_COS_ANY;
	port->id = -1;
	port->cos_reserved = DLB_COS_ANY;
	return port;
}

/**
 * dlb_port_add() - make a port from dlb_port_create() part of its domain
 * @port: the port, its group named
 *
 * Context: process context; takes the device's lock.
 * Return: 0, -EBUSY while the domain is started, or -ENOSPC when the
 * domain has as many ports as the device could ever give it.
 */
int dlb_port_add(struct dlb_port *port)
{
	struct dlb_domain *domain = port->domain;
	struct dlb_device *dlb = domain->dlb;
	int ret = 0;

	mutex_lock(&dlb->lock);
	if (domain->started) {
		ret = -EBUSY;
	} else if (domain->nr_ports >= dlb_max_ports(dlb)) {
		ret = -ENOSPC;
	} else {
		dlb_list_add_sorted(&port->node, dlb_port_name(port),
				    &domain->ports, dlb_port_node_name);
		domain->nr_ports++;
		dlb_domain_changed(domain);
	}
	mutex_unlock(&dlb->lock);
	return ret;
}

/**
 * dlb_port_remove() - take a port out of its domain
 * @port: the port; without links (configfs refuses rmdir of a directory
 *	holding symlinks) in a stopped domain
 *
 * Context: process context; takes the device's lock.
 */
void dlb_port_remove(struct dlb_port *port)
{
	struct dlb_domain *domain = port->domain;

	mutex_lock(&domain->dlb->lock);
	if (!list_empty(&port->node)) {
		list_del_init(&port->node);
		domain->nr_ports--;
		dlb_domain_changed(domain);
	}
	mutex_unlock(&domain->dlb->lock);
}

static int dlb_port_find_link(const struct dlb_port *port,
			      const struct dlb_queue *queue)
{
	unsigned int i;

	for (i = 0; i < port->nr_links; i++) {
		if (port->links[i].queue == queue)
			return i;
	}
	return -1;
}

/*
 * A link or priority change on a started domain reaches the device at once
 * (a dynamic map); on a stopped one, start hands over all links.
 */
static int dlb_port_link_device(struct dlb_port *port, struct dlb_queue *queue,
				u8 priority)
{
	struct dlb_domain *domain = port->domain;
	struct dlb_device *dlb = domain->dlb;
	int ret;

	lockdep_assert_held(&dlb->lock);
	if (!domain->started || port->type != DLB_TYPE_LDB ||
	    !dlb->ops->port_link)
		return 0;
	ret = dlb->ops->port_link(dlb, port, queue, priority);
	if (ret)
		dlb_domain_info(domain, "port %s: the device refused queue %s: %d\n",
				dlb_port_name(port), dlb_queue_name(queue), ret);
	return ret;
}

/* The shared link rules (rules/dlb_rules.c), which dlbcfg checks too. */
static int dlb_port_link_rules(struct dlb_port *port, struct dlb_queue *queue)
{
	const struct dlb_rules_port rp = {
		.name = dlb_port_name(port),
		.type = port->type,
		.nr_links = port->nr_links,
	};
	const struct dlb_rules_queue rq = {
		.name = dlb_queue_name(queue),
		.type = queue->type,
		.nr_links = queue->nr_links,
	};
	struct dlb_rules_verdict v;
	int ret;

	ret = dlb_rules_link(&rp, 0, &rq, &v);
	if (ret)
		dlb_domain_info(port->domain, "%s\n", v.msg);
	return ret;
}

/**
 * dlb_port_link() - link a port to a queue, started domain or not
 * @port: the port
 * @queue: the queue
 *
 * Checks what can be checked now; the types of both ends may still change
 * while the domain is stopped, so dlb_domain_start() checks again. On a
 * started domain this is a dynamic map: the port may receive the queue's
 * events from now on.
 *
 * Context: process context; takes the device's lock.
 * Return: 0; -EINVAL if @queue is in another domain or of the other type;
 * -EEXIST if already linked; -ENOSPC if @port has %DLB_MAX_LINKS links (a
 * directed port: one); -EBUSY if @queue is directed and feeds a port
 * already, or if @port is directed and the domain started; -ENOENT if
 * @queue is being removed.
 */
int dlb_port_link(struct dlb_port *port, struct dlb_queue *queue)
{
	struct dlb_domain *domain = port->domain;
	int ret = 0;

	/* ->domain never changes: safe to compare before locking. */
	if (queue->domain != domain) {
		dlb_domain_info(domain, "port %s: queue %s is in another domain\n",
				dlb_port_name(port), dlb_queue_name(queue));
		return -EINVAL;
	}

	mutex_lock(&domain->dlb->lock);
	if (queue->removed) {
		ret = -ENOENT;
	} else if (dlb_port_find_link(port, queue) >= 0) {
		ret = -EEXIST;
	} else if (domain->started && port->type == DLB_TYPE_DIR) {
		/*
		 * A directed queue's id is its port's, fixed at start: it
		 * cannot move to another port while started.
		 */
		dlb_domain_info(domain, "port %s: directed links change only while stopped\n",
				dlb_port_name(port));
		ret = -EBUSY;
	} else {
		ret = dlb_port_link_rules(port, queue);
		if (!ret)
			ret = dlb_port_link_device(port, queue,
						   DLB_DEFAULT_LINK_PRIO);
	}
	if (!ret) {
		port->links[port->nr_links].queue = queue;
		port->links[port->nr_links].priority = DLB_DEFAULT_LINK_PRIO;
		port->nr_links++;
		queue->nr_links++;
		dlb_domain_changed(domain);
	}
	mutex_unlock(&domain->dlb->lock);
	return ret;
}

/**
 * dlb_port_unlink() - remove a link made by dlb_port_link()
 * @port: the port
 * @queue: the queue
 *
 * Cannot fail: configfs has removed the symlink already. On a started
 * domain this is a dynamic unmap (see the README for events in flight).
 *
 * Context: process context; takes the device's lock.
 */
void dlb_port_unlink(struct dlb_port *port, struct dlb_queue *queue)
{
	struct dlb_domain *domain = port->domain;
	int i;

	mutex_lock(&domain->dlb->lock);
	i = dlb_port_find_link(port, queue);
	if (i >= 0 && domain->started && port->type == DLB_TYPE_LDB &&
	    domain->dlb->ops->port_unlink)
		domain->dlb->ops->port_unlink(domain->dlb, port, queue);
	if (i >= 0) {
		port->nr_links--;
		memmove(&port->links[i], &port->links[i + 1],
			(port->nr_links - i) * sizeof(port->links[0]));
		queue->nr_links--;
		dlb_domain_changed(domain);
	}
	mutex_unlock(&domain->dlb->lock);
}

/**
 * dlb_port_set_link_priority() - change the priority of one link
 * @port: the port
 * @queue: name of the linked queue, not NUL-terminated
 * @len: length of @queue
 * @priority: 0 (highest) to %DLB_NUM_PRIOS - 1, checked by the caller
 *
 * Allowed on a started domain, like linking.
 *
 * Context: process context; takes the device's lock.
 * Return: 0, or -ENOENT if @port has no link to a queue named @queue.
 */
int dlb_port_set_link_priority(struct dlb_port *port, const char *queue,
			       size_t len, u8 priority)
{
	struct dlb_domain *domain = port->domain;
	const char *name;
	unsigned int i;
	int ret = -ENOENT;

	mutex_lock(&domain->dlb->lock);
	for (i = 0; i < port->nr_links; i++) {
		name = dlb_queue_name(port->links[i].queue);
		if (strlen(name) == len && !memcmp(name, queue, len)) {
			ret = dlb_port_link_device(port, port->links[i].queue,
						   priority);
			if (ret)
				break;
			port->links[i].priority = priority;
			dlb_domain_changed(domain);
			ret = 0;
			break;
		}
	}
	mutex_unlock(&domain->dlb->lock);
	return ret;
}

/*
 * Domain-relative ids, in name order: load-balanced queues and ports count
 * from 0, directed ports too, and a directed queue takes its port's id as
 * in DLB.
 */
static void dlb_domain_assign_ids(struct dlb_domain *domain)
{
	int ldb_queue = 0, ldb_port = 0, dir_port = 0;
	struct dlb_queue *queue;
	struct dlb_port *port;

	list_for_each_entry(queue, &domain->queues, node) {
		if (queue->type == DLB_TYPE_LDB)
			queue->id = ldb_queue++;
	}
	list_for_each_entry(port, &domain->ports, node) {
		if (port->type == DLB_TYPE_LDB) {
			port->id = ldb_port++;
		} else {
			port->id = dir_port++;
			port->links[0].queue->id = port->id;
		}
	}
}

/**
 * dlb_domain_start() - validate, reserve and start a domain, all or nothing
 * @domain: the domain
 * @expected_gen: if not NULL, start only if the domain's generation is
 *	still this
 *
 * Logs one line naming the domain, the object and the reason on failure.
 * The caller pins the configfs tree before and unpins it on failure.
 *
 * Context: the device's lock held.
 * Return: 0; -EBUSY if already started; -ESTALE on a generation mismatch;
 * -EINVAL if the configuration breaks a rule; -ENOSPC if the device lacks
 * a resource; or the backend's error. On error nothing changed.
 */
int dlb_domain_start(struct dlb_domain *domain, const u64 *expected_gen)
{
	struct dlb_device *dlb = domain->dlb;
	int ret;

	lockdep_assert_held(&dlb->lock);

	if (domain->started)
		return -EBUSY;

	if (expected_gen && *expected_gen != domain->generation) {
		dlb_domain_info(domain, "generation is %llu, not %llu: changed since read\n",
				domain->generation, *expected_gen);
		return -ESTALE;
	}

	ret = dlb_domain_reserve(domain);
	if (ret)
		return ret;

	dlb_domain_assign_ids(domain);

	if (dlb->ops->domain_start) {
		ret = dlb->ops->domain_start(dlb, domain);
		if (ret) {
			dlb_domain_info(domain, "device failed to start it: %d\n",
					ret);
			dlb_domain_release(domain);
			return ret;
		}
	}

	domain->started = true;
	return 0;
}

/**
 * dlb_domain_stop() - stop a domain and release its resources
 * @domain: the domain
 *
 * Stopping a stopped domain succeeds and does nothing.
 *
 * Context: the device's lock held. The caller unpins the configfs tree on
 * success.
 * Return: 0, or -EBUSY while a port file of the domain is open.
 */
int dlb_domain_stop(struct dlb_domain *domain)
{
	struct dlb_device *dlb = domain->dlb;

	lockdep_assert_held(&dlb->lock);

	if (!domain->started)
		return 0;

	if (domain->nr_open_files) {
		dlb_domain_info(domain, "%u port file(s) open, cannot stop\n",
				domain->nr_open_files);
		return -EBUSY;
	}

	if (dlb->ops->domain_stop)
		dlb->ops->domain_stop(dlb, domain);
	dlb_domain_release(domain);
	domain->started = false;
	return 0;
}

/**
 * dlb_domain_force_stop() - stop a domain even though port files are open
 * @domain: the domain
 *
 * For an administrator who must get a domain back from applications that
 * hold its ports: the open port files are revoked (read, write and mmap
 * fail with -ENODEV, poll reports EPOLLERR | EPOLLHUP, blocked readers
 * wake, mapped pages are zapped so the next access raises SIGBUS), the
 * events the domain still has are dropped and counted in
 * @domain->forced_drops and in one log line, then the domain stops as
 * dlb_domain_stop() stops it. The revoked files hold no resource; they
 * go when their holders close them.
 *
 * Context: the device's lock held; sleeps. The caller unpins the configfs
 * tree on success.
 * Return: 0; -EINVAL if the domain is not started (nothing changes);
 * -EOPNOTSUPP if the backend cannot revoke port files.
 */
int dlb_domain_force_stop(struct dlb_domain *domain)
{
	struct dlb_device *dlb = domain->dlb;
	unsigned int open_files = domain->nr_open_files;
	u64 dropped;
	int ret;

	lockdep_assert_held(&dlb->lock);

	if (!domain->started) {
		dlb_domain_info(domain, "force_stop: not started\n");
		return -EINVAL;
	}
	if (!dlb->ops->domain_revoke)
		return -EOPNOTSUPP;

	dropped = dlb->ops->domain_revoke(dlb, domain);
	domain->forced_drops += dropped;
	dlb_domain_info(domain, "forced stop: %u port file(s) revoked, %llu event(s) dropped\n",
			open_files, dropped);

	ret = dlb_domain_stop(domain);
	/* Revocation took every open file out of the count. */
	WARN_ON_ONCE(ret);
	return ret;
}
