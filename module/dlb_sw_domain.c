// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_sw_domain.c - a started domain of the software device: its engine
 * built from the control plane's configuration, each port's producer ring
 * and CQ memory and device file, the links of a port while its file is
 * open, the crash rule applied when the file goes, and the count of the
 * events a forced stop drops. The rings' protocol is dlb_sw_ring.c's; the
 * scheduler thread (dlb_sw_sched.c) runs the domains this hands it.
 */

#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "dlb_sw.h"

/**
 * dlb_sw_port_close() - apply the crash rule to a port whose file went
 * @sd: the domain
 * @p: the port, enabled
 *
 * What its owner published is taken; the QEs credit refuses then are
 * discarded and counted in @p->discarded (dlb_sw_port_discard()). The port's
 * links go, so nothing new is scheduled to it, and the engine takes back
 * every event it held (delivered, not completed) for the other ports.
 * The ring and the CQ start afresh for the next owner.
 *
 * Context: the device's lock and @sd->lock held.
 */
void dlb_sw_port_close(struct dlb_sw_domain *sd, struct dlb_sw_port *p)
{
	struct dlb_eng_port_stats st;

	lockdep_assert_held(&sd->lock);
	dlb_sw_port_discard(sd, p);
	dlb_sw_port_disable(sd, p);
	dlb_eng_port_reset(sd->eng, p->handle);
	if (!dlb_eng_port_stats(sd->eng, p->handle, &st))
		p->cq_base = st.scheduled;
	dlb_sw_port_ring_reset(p);
	p->closes++;
}

/* The engine's configuration of one started domain, from the control plane. */
static void dlb_sw_domain_config(struct dlb_domain *domain,
				 struct dlb_eng_config *cfg)
{
	struct dlb_eng_queue_config *qc;
	struct dlb_eng_port_config *pc;
	struct dlb_queue *queue;
	struct dlb_port *port;
	enum dlb_sched_type sched;

	cfg->ldb_credits = domain->ldb_credits;
	cfg->dir_credits = domain->dir_credits;

	list_for_each_entry(queue, &domain->queues, node) {
		sched = dlb_queue_sched_type(queue);
		if (queue->type == DLB_TYPE_DIR) {
			qc = &cfg->dir_queues[queue->id];
		} else {
			qc = &cfg->ldb_queues[queue->id];
			cfg->num_ldb_queues++;
			if (sched == DLB_SCHED_ORDERED)
				qc->num_seq = queue->sequence_numbers;
			if (sched == DLB_SCHED_ATOMIC)
				qc->atomic_inflights = queue->atomic_inflights;
		}
		qc->depth_threshold = queue->depth_threshold;
	}

	list_for_each_entry(port, &domain->ports, node) {
		if (port->type == DLB_TYPE_DIR) {
			pc = &cfg->dir_ports[port->id];
			cfg->num_dir_ports++;
		} else {
			pc = &cfg->ldb_ports[port->id];
			cfg->num_ldb_ports++;
			pc->hist_list_size = port->hist_list_size;
			/*
			 * No links yet: a port takes events only while its
			 * file is open (dlb_sw_port_enable()), so the
			 * events of a consumer that went away are not sent
			 * to it again but to the ports still there.
			 */
		}
		pc->cq_depth = port->cq_depth;
	}
}

/*
 * A port's producer ring or CQ: zeroed, and mapped to userspace a page at
 * a time when it faults (dlb_sw_port_fault()). Failing it fails the start
 * with ENOMEM, which the start reports in one line of its own: no stack
 * dump from the allocator.
 */
static void *dlb_sw_region_alloc(size_t size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
}

static void dlb_sw_domain_free(struct dlb_sw_domain *sd)
{
	unsigned int i;

	for (i = 0; i < sd->nr_ports; i++) {
		if (sd->ports[i].pd)
			dlb_portdev_destroy(sd->ports[i].pd);
	}
	dlb_eng_destroy(sd->eng);
	for (i = 0; i < sd->nr_ports; i++) {
		vfree(sd->ports[i].ring);
		vfree(sd->ports[i].cq);
	}
	mutex_destroy(&sd->lock);
	kfree(sd);
}

/* Index in sd->ports of a port: load-balanced ports first. */
static unsigned int dlb_sw_port_index(const struct dlb_eng_config *cfg,
				      const struct dlb_port *port)
{
	return port->type == DLB_TYPE_LDB ? port->id :
					    cfg->num_ldb_ports + port->id;
}

/**
 * dlb_sw_domain_create() - give a starting domain its engine, rings and
 *	port files, and hand it to the scheduler thread
 * @sw: the device
 * @domain: the domain, validated, with resources reserved and ids assigned
 *
 * Context: process context, the device's lock held.
 * Return: 0, -ENOMEM, -EINVAL if the engine refuses the configuration
 * (logged), or why a port file could not be made.
 */
int dlb_sw_domain_create(struct dlb_sw_device *sw, struct dlb_domain *domain)
{
	struct dlb_eng_port_config *pc;
	struct dlb_eng_config *cfg;
	struct dlb_sw_domain *sd;
	struct dlb_sw_port *p;
	struct dlb_port *port;
	char why[96];
	int err;

	lockdep_assert_held(&sw->dlb->lock);

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	dlb_sw_domain_config(domain, cfg);

	sd = kzalloc(struct_size(sd, ports, domain->nr_ports), GFP_KERNEL);
	if (!sd) {
		err = -ENOMEM;
		goto out_free_cfg;
	}
	sd->sw = sw;
	sd->domain = domain;
	mutex_init(&sd->lock);
	INIT_LIST_HEAD(&sd->run_node);
	sd->nr_ports = domain->nr_ports;

	list_for_each_entry(port, &domain->ports, node) {
		p = &sd->ports[dlb_sw_port_index(cfg, port)];
		if (port->type == DLB_TYPE_DIR) {
			p->handle = DLB_ENG_DIR(port->id);
			pc = &cfg->dir_ports[port->id];
		} else {
			p->handle = port->id;
			pc = &cfg->ldb_ports[port->id];
		}
		p->sd = sd;
		p->port = port;
		p->cq_depth = port->cq_depth;
		p->cq_threshold = port->cq_depth_threshold;
		p->cq_size = PAGE_ALIGN(port->cq_depth * sizeof(struct dlb_deq));
		p->ring = dlb_sw_region_alloc(PAGE_ALIGN(DLB_PP_REGION_SIZE));
		p->cq = dlb_sw_region_alloc(p->cq_size);
		if (!p->ring || !p->cq) {
			err = -ENOMEM;
			goto out_free_sd;
		}
		pc->cq_mem = p->cq;
		dlb_sw_port_ring_reset(p);
	}

	err = dlb_eng_create(cfg, &sd->eng, why, sizeof(why));
	if (err) {
		if (err == -EINVAL)
			dev_info(&sw->dlb->dev, "domain %s: engine refused it: %s\n",
				 dlb_domain_name(domain), why);
		goto out_free_sd;
	}

	list_for_each_entry(port, &domain->ports, node) {
		p = &sd->ports[dlb_sw_port_index(cfg, port)];
		p->pd = dlb_portdev_create(domain, port, p,
					   dlb_sw_port_groups);
		if (IS_ERR(p->pd)) {
			err = PTR_ERR(p->pd);
			p->pd = NULL;
			goto out_free_sd;
		}
	}

	domain->priv = sd;
	mutex_lock(&sw->run_lock);
	list_add_tail(&sd->run_node, &sw->running);
	mutex_unlock(&sw->run_lock);
	kfree(cfg);
	return 0;

out_free_sd:
	dlb_sw_domain_free(sd);
out_free_cfg:
	kfree(cfg);
	return err;
}

/**
 * dlb_sw_domain_destroy() - undo dlb_sw_domain_create()
 * @sw: the device
 * @domain: the domain; no port file of it is open, so nothing is mapped
 *
 * Context: process context, the device's lock held.
 */
void dlb_sw_domain_destroy(struct dlb_sw_device *sw, struct dlb_domain *domain)
{
	struct dlb_sw_domain *sd = domain->priv;

	lockdep_assert_held(&sw->dlb->lock);
	/* After this the thread no longer looks at the domain. */
	mutex_lock(&sw->run_lock);
	list_del_init(&sd->run_node);
	mutex_unlock(&sw->run_lock);
	domain->priv = NULL;
	dlb_sw_domain_free(sd);
}

/*
 * The events a domain still has, counted when a forced stop drops them:
 * first the rings' published QEs and token counts go into the engine, as
 * a pass would take them (a completion a consumer published is not a
 * loss); then the events stored in queues and reorder buffers, those in
 * CQs or delivered and not completed (held, on load-balanced ports; not
 * returned by tokens, on directed ones), and what the producer rings still
 * hold for lack of credit (see dlb_sw_port_ring_events()).
 */
static u64 dlb_sw_domain_events(struct dlb_sw_domain *sd)
{
	struct dlb_eng_port_stats st;
	struct dlb_sw_port *p;
	u32 held, i;
	s64 n;

	lockdep_assert_held(&sd->lock);
	for (i = 0; i < sd->nr_ports; i++)
		dlb_sw_port_take(sd, &sd->ports[i]);
	n = dlb_eng_stored(sd->eng);
	for (i = 0; i < sd->nr_ports; i++) {
		p = &sd->ports[i];
		held = 0;
		if (!dlb_eng_port_stats(sd->eng, p->handle, &st)) {
			if (p->port->type == DLB_TYPE_LDB)
				held = st.held;
			else
				n += st.cq_occupancy;
		}
		n += held + dlb_sw_port_ring_events(p, held);
	}
	/* Never below 0: a REL takes off only an event counted as held. */
	return n;
}

/**
 * dlb_sw_domain_revoke() - revoke the open port files of a started domain
 *	and count the events it still has, for a forced stop
 * @sw: the device
 * @domain: the domain, started
 *
 * Afterwards no file operation and no scheduling pass touches the domain,
 * no page of it is mapped, and its open files are dead; the caller then
 * stops it as usual (dlb_sw_domain_destroy()), which drops the events.
 *
 * Context: process context, the device's lock held; sleeps.
 * Return: the events the domain still had (see dlb_sw_domain_events()).
 */
u64 dlb_sw_domain_revoke(struct dlb_sw_device *sw, struct dlb_domain *domain)
{
	struct dlb_sw_domain *sd = domain->priv;
	unsigned int i;
	u64 n;

	lockdep_assert_held(&sw->dlb->lock);
	for (i = 0; i < sd->nr_ports; i++)
		dlb_portdev_revoke(sd->ports[i].pd);
	dlb_portdev_revoke_sync();
	/* No file operation is inside the domain now: zap and wake. */
	for (i = 0; i < sd->nr_ports; i++)
		dlb_portdev_revoke_finish(sd->ports[i].pd);

	/* Off the thread's list: the count below is final. */
	mutex_lock(&sw->run_lock);
	list_del_init(&sd->run_node);
	mutex_unlock(&sw->run_lock);

	mutex_lock(&sd->lock);
	n = dlb_sw_domain_events(sd);
	mutex_unlock(&sd->lock);
	return n;
}

/**
 * dlb_sw_domain_link() - link a port of a started domain to a queue, or
 *	change the link's priority, in its engine
 * @sd: the domain
 * @port: the load-balanced port
 * @queue: the load-balanced queue
 * @priority: 0 (highest) to 7
 *
 * Context: process context, the device's lock held; takes @sd->lock.
 * Return: 0, or the engine's -ENOSPC (port has its most links) or -EINVAL.
 */
int dlb_sw_domain_link(struct dlb_sw_domain *sd, struct dlb_port *port,
		       struct dlb_queue *queue, u8 priority)
{
	int ret = 0;

	mutex_lock(&sd->lock);
	/* A closed port gets the link when it is opened. */
	if (sd->ports[port->id].enabled)
		ret = dlb_eng_link(sd->eng, port->id, queue->id, priority);
	mutex_unlock(&sd->lock);
	/* The new link may let waiting events move. */
	dlb_sw_kick(sd->sw);
	return ret;
}

/**
 * dlb_sw_domain_unlink() - unlink a port of a started domain from a queue
 * @sd: the domain
 * @port: the load-balanced port
 * @queue: the load-balanced queue
 *
 * Events already delivered stay with the port and complete normally.
 *
 * Context: process context, the device's lock held; takes @sd->lock.
 */
void dlb_sw_domain_unlink(struct dlb_sw_domain *sd, struct dlb_port *port,
			  struct dlb_queue *queue)
{
	mutex_lock(&sd->lock);
	if (sd->ports[port->id].enabled)
		dlb_eng_unlink(sd->eng, port->id, queue->id);
	mutex_unlock(&sd->lock);
}

/**
 * dlb_sw_port_enable() - give an opened port its links in the engine
 * @sd: the domain
 * @p: the port
 *
 * Context: process context, the device's lock held (the links are the
 * control plane's); takes @sd->lock.
 * Return: 0, or the engine's error for a link (none is then made).
 */
int dlb_sw_port_enable(struct dlb_sw_domain *sd, struct dlb_sw_port *p)
{
	struct dlb_port *port = p->port;
	unsigned int i;
	int ret = 0;

	lockdep_assert_held(&sd->domain->dlb->lock);
	if (port->type != DLB_TYPE_LDB)
		return 0;
	mutex_lock(&sd->lock);
	for (i = 0; i < port->nr_links && !ret; i++)
		ret = dlb_eng_link(sd->eng, p->handle,
				   port->links[i].queue->id,
				   port->links[i].priority);
	while (ret && i--)
		dlb_eng_unlink(sd->eng, p->handle, port->links[i].queue->id);
	p->enabled = !ret;
	mutex_unlock(&sd->lock);
	dlb_sw_kick(sd->sw);
	return ret;
}

/**
 * dlb_sw_port_disable() - take a closing port's links out of the engine
 * @sd: the domain
 * @p: the port
 *
 * Context: the device's lock and @sd->lock held.
 */
void dlb_sw_port_disable(struct dlb_sw_domain *sd, struct dlb_sw_port *p)
{
	struct dlb_port *port = p->port;
	unsigned int i;

	lockdep_assert_held(&sd->domain->dlb->lock);
	lockdep_assert_held(&sd->lock);
	if (!p->enabled)
		return;
	for (i = 0; i < port->nr_links; i++)
		dlb_eng_unlink(sd->eng, p->handle, port->links[i].queue->id);
	p->enabled = false;
}
