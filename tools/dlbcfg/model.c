// SPDX-License-Identifier: GPL-2.0
/*
 * model.c - the object tree both the file and the live configfs tree are
 * read into: objects of a schema group with a name, attribute values as
 * the kernel shows them, links by target name, and children per subdir.
 */
#include <stdlib.h>
#include <string.h>

#include "dlbcfg.h"

struct obj *obj_new(const struct sch_group *g, const char *name,
		    struct obj *parent, int coll)
{
	struct obj *o = xcalloc(1, sizeof(*o));

	o->g = g;
	o->name = xstrdup(name);
	o->parent = parent;
	o->children = xcalloc(g->nr_subdirs, sizeof(*o->children));
	o->nr_children = xcalloc(g->nr_subdirs, sizeof(*o->nr_children));
	if (parent) {
		unsigned int n = parent->nr_children[coll];

		parent->children[coll] = xrealloc(parent->children[coll],
						  (n + 1) * sizeof(struct obj *));
		parent->children[coll][n] = o;
		parent->nr_children[coll] = n + 1;
	}
	return o;
}

void obj_free(struct obj *o)
{
	unsigned int i, j;

	if (!o)
		return;
	for (i = 0; i < o->g->nr_subdirs; i++) {
		for (j = 0; j < o->nr_children[i]; j++)
			obj_free(o->children[i][j]);
		free(o->children[i]);
	}
	for (i = 0; i < o->nr_attrs; i++)
		free(o->attrs[i].val);
	for (i = 0; i < o->nr_links; i++)
		free(o->links[i].target);
	free(o->children);
	free(o->nr_children);
	free(o->attrs);
	free(o->links);
	free(o->name);
	free(o);
}

struct obj_attr *obj_attr(const struct obj *o, const char *name)
{
	unsigned int i;

	for (i = 0; i < o->nr_attrs; i++) {
		if (!strcmp(o->attrs[i].sa->name, name))
			return &o->attrs[i];
	}
	return NULL;
}

void obj_set_attr(struct obj *o, const struct sch_attr *sa, const char *val,
		  const char *file, int line)
{
	struct obj_attr *a = obj_attr(o, sa->name);

	if (!a) {
		o->attrs = xrealloc(o->attrs, (o->nr_attrs + 1) * sizeof(*a));
		a = &o->attrs[o->nr_attrs++];
	} else {
		free(a->val);
	}
	a->sa = sa;
	a->val = xstrdup(val);
	a->file = file;
	a->line = line;
}

struct obj *obj_child(const struct obj *o, int coll, const char *name)
{
	unsigned int i;

	for (i = 0; i < o->nr_children[coll]; i++) {
		if (!strcmp(o->children[coll][i]->name, name))
			return o->children[coll][i];
	}
	return NULL;
}

struct obj_link *obj_link(const struct obj *o, const char *target)
{
	unsigned int i;

	for (i = 0; i < o->nr_links; i++) {
		if (!strcmp(o->links[i].target, target))
			return &o->links[i];
	}
	return NULL;
}

void obj_add_link(struct obj *o, const char *target, int prio,
		  const char *file, int line)
{
	struct obj_link *l;

	o->links = xrealloc(o->links, (o->nr_links + 1) * sizeof(*l));
	l = &o->links[o->nr_links++];
	l->target = xstrdup(target);
	l->prio = prio;
	l->file = file;
	l->line = line;
}

char *obj_path(const struct obj *o)
{
	char *up, *p;

	if (!o->parent)
		return xstrdup(o->name);
	up = obj_path(o->parent);
	p = xasprintf("%s/%s/%s", up, o->g->coll, o->name);
	free(up);
	return p;
}

/*
 * Links name their target by its name alone; it is looked up in the
 * nearest ancestor that has a collection of the target's kind (a port's
 * queues are its domain's).
 */
const struct obj *obj_link_scope(const struct obj *o, int *coll)
{
	const struct sch_group *t = o->g->link_target;
	const struct obj *a;
	unsigned int i;

	for (a = o->parent; a && t; a = a->parent) {
		for (i = 0; i < a->g->nr_subdirs; i++) {
			if (a->g->child_kind[i] == t) {
				*coll = i;
				return a;
			}
		}
	}
	return NULL;
}

/* A unit is what is started and committed as a whole: the domain. */
struct obj *obj_unit(struct obj *o)
{
	for (; o; o = o->parent) {
		if (sch_find_type(o->g, AT_START))
			return o;
	}
	return NULL;
}

bool obj_is_vdev(const struct obj *o)
{
	return sch_find_attr(o->g, "commit") && obj_domains(o) >= 0;
}

int obj_domains(const struct obj *o)
{
	int c = sch_find_subdir(o->g, "domains");

	return c >= 0 && o->g->child_kind[c] ? c : -1;
}

bool vdev_committed(const struct obj *o)
{
	const struct obj_attr *a = obj_attr(o, "commit");

	return a && !strcmp(a->val, "1");
}

bool target_domain(const struct target *t, const struct obj *dom)
{
	const struct obj *vd = obj_is_vdev(dom->parent) ? dom->parent : NULL;
	const struct obj *dev = vd ? vd->parent : dom->parent;

	if (!t)
		return true;
	if (t->dev && strcmp(t->dev, dev->name))
		return false;
	if (t->vdev ? !vd || strcmp(t->vdev, vd->name) : t->dev && t->dom && vd)
		return false;	/* "DEV/DOMAIN" is the device's own */
	return !t->dom || !strcmp(t->dom, dom->name);
}

bool target_vdev(const struct target *t, const struct obj *vd)
{
	return !t || (!t->dom && (!t->dev || !strcmp(t->dev, vd->parent->name)) &&
		      (!t->vdev || !strcmp(t->vdev, vd->name)));
}

void tree_free(struct tree *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < t->nr_devs; i++)
		obj_free(t->devs[i]);
	free(t->devs);
	free(t);
}

struct obj *tree_dev(const struct tree *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->nr_devs; i++) {
		if (!strcmp(t->devs[i]->name, name))
			return t->devs[i];
	}
	return NULL;
}
