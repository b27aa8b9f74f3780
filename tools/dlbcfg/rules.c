// SPDX-License-Identifier: GPL-2.0
/*
 * rules.c - what a domain must satisfy to start, and what it costs, as the
 * module checks and reserves them at start. The rules themselves are not
 * here: they are module/rules/dlb_rules.c, the kernel's own code, built
 * into dlbcfg with env/dlb_rules_env.h. This file describes a file's
 * domains to it, in the kernel's order (queues and ports by name), and
 * reports its verdicts at the FILE:LINE of the object at fault, with the
 * kernel's reason text and errno: "DEV/domains/DOMAIN: queue Q: reason
 * (start: EINVAL)", where the kernel logs "domain DOMAIN: queue Q: reason"
 * and a start fails with EINVAL.
 */
#include <stdlib.h>
#include <string.h>

#include "dlbcfg.h"
#include "dlb_rules.h"

/* An attribute's value: the file's, else the schema's default. */
static const char *val(const struct obj *o, const char *name)
{
	const struct obj_attr *a = obj_attr(o, name);
	const struct sch_attr *sa;

	if (a)
		return a->val;
	sa = sch_find_attr(o->g, name);
	return sa ? sa->def : "";
}

static u32 num(const struct obj *o, const char *name)
{
	return strtoul(val(o, name), NULL, 10);
}

static int name_index(const char *const *names, unsigned int n,
		      const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], name))
			return i;
	}
	return 0;	/* the schema has checked it */
}

static enum dlb_type type_of(const struct obj *o)
{
	return name_index(dlb_type_names, DLB_NUM_TYPES, val(o, "type"));
}

/* The errno the kernel returns with a verdict, as the kernel names it. */
static const char *errno_name(int err)
{
	switch (err) {
	case -EINVAL:
		return "EINVAL";
	case -ENOSPC:
		return "ENOSPC";
	case -EBUSY:
		return "EBUSY";
	}
	return "?";
}

static int coll_of(const struct obj *o, const char *name)
{
	int c = sch_find_subdir(o->g, name);

	return c >= 0 && o->g->child_kind[c] ? c : -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct obj *const *)a)->name,
		      (*(const struct obj *const *)b)->name);
}

/* A domain of the file as the shared rules see it, and where each is. */
struct desc {
	struct dlb_rules_domain rd;
	const struct obj **queues, **ports;
};

static const struct obj **sorted(const struct obj *dom, int c,
				 unsigned int *n)
{
	const struct obj **v;

	*n = c >= 0 ? dom->nr_children[c] : 0;
	v = xcalloc(*n + 1, sizeof(*v));
	if (*n)
		memcpy(v, dom->children[c], *n * sizeof(*v));
	qsort(v, *n, sizeof(*v), by_name);
	return v;
}

static unsigned int index_of(const struct obj **v, unsigned int n,
			     const char *name)
{
	unsigned int i;

	for (i = 0; i < n && strcmp(v[i]->name, name); i++)
		;
	return i;
}

/*
 * Describe @dom to the rules, making its links as apply does (in the
 * file's order) under the rules of a link; report the links the kernel
 * would refuse. Return: whether every link could be made.
 */
static bool describe(struct desc *d, const struct obj *dom)
{
	struct dlb_rules_domain *rd = &d->rd;
	struct dlb_rules_verdict v;
	int pc = coll_of(dom, "ports");
	unsigned int i, j, k, n;
	bool ok = true;

	memset(d, 0, sizeof(*d));
	rd->ldb_credits = num(dom, "ldb_credits");
	rd->dir_credits = num(dom, "dir_credits");
	d->queues = sorted(dom, coll_of(dom, "queues"), &rd->nr_queues);
	d->ports = sorted(dom, pc, &rd->nr_ports);
	rd->queues = xcalloc(rd->nr_queues + 1, sizeof(*rd->queues));
	rd->ports = xcalloc(rd->nr_ports + 1, sizeof(*rd->ports));

	for (i = 0; i < rd->nr_queues; i++) {
		const struct obj *q = d->queues[i];
		struct dlb_rules_queue *rq = &rd->queues[i];

		rq->name = q->name;
		rq->type = type_of(q);
		/* sched_type follows type until written (see the schema). */
		if (obj_attr(q, "sched_type"))
			rq->sched_type = name_index(dlb_sched_type_names,
						    DLB_NUM_QUEUE_SCHED,
						    val(q, "sched_type"));
		else
			rq->sched_type = rq->type == DLB_TYPE_DIR ?
					 DLB_SCHED_DIRECTED : DLB_SCHED_ATOMIC;
		rq->sequence_numbers = num(q, "sequence_numbers");
		rq->atomic_inflights = num(q, "atomic_inflights");
	}
	for (i = 0; i < rd->nr_ports; i++) {
		const struct obj *p = d->ports[i];
		struct dlb_rules_port *rp = &rd->ports[i];

		rp->name = p->name;
		rp->type = type_of(p);
		rp->cq_depth = num(p, "cq_depth");
		rp->cq_depth_threshold = num(p, "cq_depth_threshold");
		rp->hist_list_size = num(p, "hist_list_size");
		rp->cos = name_index(dlb_cos_names, DLB_NUM_COS + 1,
				     val(p, "cos")) - 1;
	}

	n = pc >= 0 ? dom->nr_children[pc] : 0;
	for (j = 0; j < n; j++) {
		const struct obj *p = dom->children[pc][j];
		unsigned int pi = index_of(d->ports, rd->nr_ports, p->name);
		struct dlb_rules_port *rp = &rd->ports[pi];

		for (k = 0; k < p->nr_links; k++) {
			/* the parser has reported links to no queue */
			i = index_of(d->queues, rd->nr_queues,
				     p->links[k].target);
			if (i == rd->nr_queues)
				continue;
			if (dlb_rules_link(rp, pi, &rd->queues[i], &v)) {
				char *path = obj_path(dom);

				cfg_error(p->links[k].file, p->links[k].line,
					  path, "%s (link: %s)", v.msg,
					  errno_name(v.err));
				free(path);
				ok = false;
				continue;
			}
			rp->link_queue[rp->nr_links++] = i;
			rd->queues[i].nr_links++;
		}
	}
	return ok;
}

static void desc_free(struct desc *d)
{
	free(d->rd.queues);
	free(d->rd.ports);
	free(d->queues);
	free(d->ports);
}

/* Report @v at the line of the object it is about. */
static void report(const struct desc *d, const struct obj *dom,
		   const struct dlb_rules_verdict *v)
{
	const struct obj *o = dom;
	char *path = obj_path(dom);

	if (v->obj == DLB_RULES_QUEUE)
		o = d->queues[v->index];
	else if (v->obj == DLB_RULES_PORT)
		o = d->ports[v->index];
	cfg_error(o->file, o->line, path, "%s (start: %s)", v->msg,
		  errno_name(v->err));
	free(path);
}

static void budget_init(struct dlb_rules_avail *a, const char *dev)
{
	struct resources r;
	struct dlb_resources total;
	unsigned int i;

	for (i = 0; i < DLB_NUM_RESOURCES; i++)
		total.num[i] = dlb_resource_dlb2_totals[i];
	if (sysfs_resources(dev, "total_resources", &r)) {
		for (i = 0; i < DLB_NUM_RESOURCES; i++)
			total.num[i] = r.num[i];
	}
	dlb_rules_avail_init(a, &total);
}

/*
 * The domains of @owner (a device, or a vdev) in its collection @dc,
 * started in file order from what @a has left, as apply starts them.
 */
static void check_domains(const struct obj *owner, int dc,
			  struct dlb_rules_avail *a)
{
	struct dlb_rules_verdict v;
	struct dlb_rules_avail try;
	unsigned int i, nr_doms = a->num.num[DLB_RES_SCHED_DOMAINS];
	struct desc desc;

	for (i = 0; i < owner->nr_children[dc]; i++) {
		const struct obj *dom = owner->children[dc][i];

		/* mkdir: a device holds as many domains as it runs */
		if (i == nr_doms) {
			char *path = obj_path(dom);

			cfg_error(dom->file, dom->line, path,
				  "more domains than the %s's %u %s",
				  obj_is_vdev(owner) ? "vdev" : "device",
				  nr_doms,
				  dlb_resource_names[DLB_RES_SCHED_DOMAINS]);
			free(path);
			break;
		}
		if (strcmp(val(dom, "start"), "1"))
			continue;
		/* a start the kernel refuses changes nothing */
		try = *a;
		if (!describe(&desc, dom))
			;	/* apply stops at the refused link */
		else if (dlb_rules_validate(&desc.rd, &v) ||
			 dlb_rules_reserve(&try, &desc.rd, &v))
			report(&desc, dom, &v);
		else
			*a = try;
		desc_free(&desc);
	}
}

/*
 * Report the verdict @v on the vdev @vd's quota at the line that sets the
 * resource it names ("num_x: reason"), the vdev's line if the file leaves
 * that resource at its default.
 */
static void quota_report(const struct obj *vd,
			 const struct dlb_rules_verdict *v)
{
	const struct obj_attr *qa = NULL;
	char *path = obj_path(vd);
	unsigned int r;
	size_t len;

	for (r = 0; r < DLB_NUM_RESOURCES && !qa; r++) {
		len = strlen(dlb_resource_names[r]);
		if (!strncmp(v->msg, dlb_resource_names[r], len) &&
		    v->msg[len] == ':')
			qa = obj_attr(vd, dlb_resource_names[r]);
	}
	cfg_error(qa ? qa->file : vd->file, qa ? qa->line : vd->line, path,
		  "%s (commit: %s)", v->msg, errno_name(v->err));
	free(path);
}

/*
 * The vdevs of @dev committed in file order from what the parent's
 * domains left in @a, with the kernel's own checks (EINVAL) and
 * reservation (ENOSPC); then each vdev's domains against its quota.
 */
static void check_vdevs(const struct obj *dev, struct dlb_rules_avail *a)
{
	struct dlb_rules_verdict v;
	unsigned int c, i, r, sn_groups;

	for (c = 0; c < dev->g->nr_subdirs; c++) {
		for (i = 0; i < dev->nr_children[c]; i++) {
			const struct obj *vd = dev->children[c][i];
			struct dlb_rules_avail va, try;
			struct dlb_resources q;

			if (!obj_is_vdev(vd))
				continue;
			for (r = 0; r < DLB_NUM_RESOURCES; r++)
				q.num[r] = num(vd, dlb_resource_names[r]);
			/* a commit the kernel refuses changes nothing */
			try = *a;
			if (dlb_rules_quota_validate(&q, &v) ||
			    dlb_rules_reserve_quota(&try, &q, &sn_groups, &v)) {
				quota_report(vd, &v);
				continue;
			}
			*a = try;
			dlb_rules_avail_init(&va, &q);
			check_domains(vd, obj_domains(vd), &va);
		}
	}
}

void rules_check(const struct tree *t)
{
	struct dlb_rules_avail a;
	unsigned int d;

	for (d = 0; d < t->nr_devs; d++) {
		const struct obj *dev = t->devs[d];
		int dc = coll_of(dev, "domains");

		if (dc < 0)
			continue;
		budget_init(&a, dev->name);
		check_domains(dev, dc, &a);
		check_vdevs(dev, &a);
	}
}

/* What a started domain holds of each resource, as the kernel reserves it. */
void rules_domain_cost(const struct obj *dom, struct resources *r)
{
	struct dlb_rules_verdict v;
	struct dlb_rules_avail a;
	struct dlb_resources all;
	struct desc desc;
	unsigned int i;

	/* a device with plenty of everything: nothing is short */
	for (i = 0; i < DLB_NUM_RESOURCES; i++)
		all.num[i] = ~0U / 2;
	dlb_rules_avail_init(&a, &all);
	describe(&desc, dom);
	memset(r, 0, sizeof(*r));
	if (!dlb_rules_reserve(&a, &desc.rd, &v)) {
		for (i = 0; i < DLB_NUM_RESOURCES; i++)
			r->num[i] = desc.rd.reserved.num[i];
	}
	desc_free(&desc);
}
