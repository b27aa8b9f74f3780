// SPDX-License-Identifier: GPL-2.0
/*
 * show.c - the live tree for people: `show` prints it as an indented tree
 * with every attribute, read-only state (ids, depths, generations)
 * included, and the device's resources in use; `dot` draws queues, ports
 * and links as a Graphviz graph, one cluster per domain.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "dlbcfg.h"

/* "dlb0.pipeline.w0": the port device's name, its objects' names joined */
static char *port_dev_name(const struct obj *o)
{
	char *up, *r;

	if (!o->parent)
		return xstrdup(o->name);
	up = port_dev_name(o->parent);
	r = xasprintf("%s.%s", up, o->name);
	free(up);
	return r;
}

static int not_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/*
 * A started port's counters live with its device file, in sysfs
 * (/sys/class/dlb_port/<dev>.<domain>.<port>/stats/, one file per
 * counter), not in configfs: shown on one line, by name, when there.
 */
static void show_port_stats(FILE *f, const struct obj *o, int lvl)
{
	char *name = port_dev_name(o), *dir, *p, *v;
	struct dirent **ents;
	int i, n;

	dir = xasprintf("%s/%s/stats", dlbcfg_opts.port_sysfs, name);
	free(name);
	n = scandir(dir, &ents, not_dot, alphasort);
	if (n <= 0) {
		free(dir);
		return;
	}
	fprintf(f, "%*s   stats:", 2 * lvl, "");
	for (i = 0; i < n; i++) {
		p = xasprintf("%s/%s", dir, ents[i]->d_name);
		v = read_attr(p);
		if (v)
			fprintf(f, " %s %s;", ents[i]->d_name, v);
		free(v);
		free(p);
		free(ents[i]);
	}
	free(ents);
	fputc('\n', f);
	free(dir);
}

/* A started domain's share of the device, "num_" left out. */
static void show_domain_use(FILE *f, const struct obj *o, int lvl)
{
	const struct obj_attr *a = obj_attr(o, sch_find_type(o->g, AT_START)->name);
	struct resources r;
	unsigned int i;

	if (!a || strcmp(a->val, "1"))
		return;
	rules_domain_cost(o, &r);
	fprintf(f, "%*s   uses:", 2 * lvl, "");
	for (i = 0; i < sizeof(r.num) / sizeof(r.num[0]); i++) {
		if (r.num[i])
			fprintf(f, " %s %llu;", dlb_resource_names[i] + 4, r.num[i]);
	}
	fputc('\n', f);
}

static void show_obj(FILE *f, const struct obj *o, int lvl)
{
	unsigned int i, j;

	fprintf(f, "%*s%s %s", 2 * lvl, "", o->g->name, o->name);
	for (i = 0; i < o->g->nr_attrs; i++) {
		const struct sch_attr *sa = &o->g->attrs[i];
		const struct obj_attr *a = obj_attr(o, sa->name);

		if (a && sa->type != AT_LINKS)
			fprintf(f, " %s=%s", sa->name, a->val);
	}
	fputc('\n', f);
	for (i = 0; i < o->nr_links; i++) {
		fprintf(f, "%*s-> %s %s", 2 * lvl + 2, "",
			o->g->link_target->name, o->links[i].target);
		if (o->links[i].prio >= 0)
			fprintf(f, " priority=%d", o->links[i].prio);
		fputc('\n', f);
	}
	if (o->g->link_target)
		show_port_stats(f, o, lvl);
	if (sch_find_type(o->g, AT_START))
		show_domain_use(f, o, lvl);
	for (i = 0; i < o->g->nr_subdirs; i++)
		for (j = 0; j < o->nr_children[i]; j++)
			show_obj(f, o->children[i][j], lvl + 1);
}

void show_tree(FILE *f, const struct tree *t)
{
	struct resources total, avail;
	unsigned int i, r;

	for (i = 0; i < t->nr_devs; i++) {
		const struct obj *d = t->devs[i];

		show_obj(f, d, 0);
		if (sysfs_resources(d->name, "total_resources", &total) &&
		    sysfs_resources(d->name, "avail_resources", &avail)) {
			fprintf(f, "  resources in use (of total):");
			for (r = 0; r < sizeof(total.num) / sizeof(total.num[0]); r++)
				fprintf(f, "%s %s %llu/%llu", r ? "," : "",
					dlb_resource_names[r] + 4,
					total.num[r] - avail.num[r], total.num[r]);
			fputc('\n', f);
		}
	}
}

static const char *val(const struct obj *o, const char *name)
{
	const struct obj_attr *a = obj_attr(o, name);

	return a ? a->val : NULL;
}

/* Node ids are whole paths: names repeat across domains. */
static void dot_nodes(FILE *f, const struct obj *o)
{
	unsigned int i, j;
	char *path = obj_path(o);
	const char *type = val(o, "type"), *sched = val(o, "sched_type");

	bool dir = type && !strcmp(type, "dir");

	/* a file may leave type and sched_type out: draw what they will be */
	if (!sched)
		sched = dir ? "directed" : "atomic";
	if (o->g->link_target) {
		fprintf(f, "    \"%s\" [shape=ellipse, label=\"%s%s\"];\n",
			path, o->name, dir ? "\\n(dir)" : "");
	} else if (o->g->made_by == MADE_BY_MKDIR &&
		   !sch_find_type(o->g, AT_START)) {
		fprintf(f, "    \"%s\" [shape=box, %slabel=\"%s\\n%s\"];\n",
			path, dir ? "style=rounded, " : "", o->name, sched);
	}
	for (i = 0; i < o->nr_links; i++) {
		const struct obj *scope;
		char *sp;
		int coll;

		scope = obj_link_scope(o, &coll);
		if (!scope)
			continue;
		sp = obj_path(scope);
		/* events flow from the queue to the port */
		fprintf(f, "    \"%s/%s/%s\" -> \"%s\"", sp,
			scope->g->subdirs[coll], o->links[i].target, path);
		if (o->links[i].prio >= 0)
			fprintf(f, " [label=\"%d\"]", o->links[i].prio);
		fprintf(f, ";\n");
		free(sp);
	}
	free(path);
	for (i = 0; i < o->g->nr_subdirs; i++)
		for (j = 0; j < o->nr_children[i]; j++)
			dot_nodes(f, o->children[i][j]);
}

static void dot_units(FILE *f, const struct obj *o)
{
	unsigned int i, j;

	if (sch_find_type(o->g, AT_START)) {
		char *path = obj_path(o);
		const char *start = val(o, sch_find_type(o->g, AT_START)->name);

		fprintf(f, "  subgraph \"cluster_%s\" {\n", path);
		/* "dlb0/pipeline": the collection names add nothing here */
		fprintf(f, "    label=\"%s/%s (%s)\";\n", o->parent->name,
			o->name, start && !strcmp(start, "1") ? "started" : "stopped");
		dot_nodes(f, o);
		fprintf(f, "  }\n");
		free(path);
		return;
	}
	for (i = 0; i < o->g->nr_subdirs; i++)
		for (j = 0; j < o->nr_children[i]; j++)
			dot_units(f, o->children[i][j]);
}

void dot_tree(FILE *f, const struct tree *t)
{
	unsigned int i;

	fprintf(f, "digraph dlb {\n");
	fprintf(f, "  rankdir=LR;\n");
	fprintf(f, "  node [fontname=\"sans\"];\n");
	for (i = 0; i < t->nr_devs; i++)
		dot_units(f, t->devs[i]);
	fprintf(f, "}\n");
}
