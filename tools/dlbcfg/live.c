// SPDX-License-Identifier: GPL-2.0
/*
 * live.c - the live configfs tree (and the device's sysfs resources) read
 * into the same object tree a file gives, driven by the schema: which
 * subdirs hold which objects, which files are attributes, and which
 * symlinks are links. Nothing here writes.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlbcfg.h"

char *live_path(const char *rel)
{
	return xasprintf("%s/%s", dlbcfg_opts.root, rel);
}

char *live_dir(const struct obj *o)
{
	char *rel = obj_path(o), *abs;

	abs = live_path(rel);
	free(rel);
	return abs;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries of @dir that are directories (@want_dirs) or symlinks, sorted. */
static char **list_dir(const char *dir, bool want_dirs, unsigned int *nr)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **out = NULL;
	unsigned int n = 0;

	*nr = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		char *p;
		struct stat st;
		bool take;

		if (e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st)) {
			free(p);
			continue;
		}
		free(p);
		take = want_dirs ? S_ISDIR(st.st_mode) : S_ISLNK(st.st_mode);
		if (!take)
			continue;
		out = xrealloc(out, (n + 1) * sizeof(*out));
		out[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(out, n, sizeof(*out), name_cmp);
	*nr = n;
	return out;
}

static void free_list(char **l, unsigned int n)
{
	while (n--)
		free(l[n]);
	free(l);
}

/* "q 3" lines of a link priorities attribute, onto the object's links. */
static void read_prios(struct obj *o, const char *text)
{
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *l = strndup(line, len), *sp;
		struct obj_link *k;

		if (!l)
			die(EXIT_REFUSED, "out of memory");
		sp = strrchr(l, ' ');
		if (sp) {
			*sp = '\0';
			k = obj_link(o, l);
			if (k)
				k->prio = atoi(sp + 1);
		}
		free(l);
		line = nl ? nl + 1 : NULL;
	}
}

static void read_obj(struct obj *o)
{
	char *dir = live_dir(o);
	unsigned int i, j, n;
	char **names;

	/* links first: the priorities attribute refers to them */
	if (o->g->link_target) {
		names = list_dir(dir, false, &n);
		for (i = 0; i < n; i++) {
			char *p = xasprintf("%s/%s", dir, names[i]);
			char buf[PATH_MAX];
			ssize_t len = readlink(p, buf, sizeof(buf) - 1);

			free(p);
			if (len < 0)
				continue;
			buf[len] = '\0';
			/* the link's target names the object, not the link */
			obj_add_link(o, strrchr(buf, '/') ? strrchr(buf, '/') + 1 :
				     buf, -1, NULL, 0);
		}
		free_list(names, n);
	}
	for (i = 0; i < o->g->nr_attrs; i++) {
		const struct sch_attr *sa = &o->g->attrs[i];
		char *p, *v;

		if (sa->type == AT_ACTION)
			continue;	/* write-only */
		p = xasprintf("%s/%s", dir, sa->name);
		v = read_attr(p);
		free(p);
		if (!v)
			continue;
		if (sa->type == AT_LINKS)
			read_prios(o, v);
		else
			obj_set_attr(o, sa, v, NULL, 0);
		free(v);
	}
	for (i = 0; i < o->g->nr_subdirs; i++) {
		char *sub;

		if (!o->g->child_kind[i])
			continue;
		sub = xasprintf("%s/%s", dir, o->g->subdirs[i]);
		names = list_dir(sub, true, &n);
		free(sub);
		for (j = 0; j < n; j++)
			read_obj(obj_new(o->g->child_kind[i], names[j], o, i));
		free_list(names, n);
	}
	free(dir);
}

/* The committed vdev of @t that is the device @name, or NULL. */
static const struct obj *vdev_of_device(const struct tree *t, const char *name)
{
	unsigned int d, i;

	for (d = 0; d < t->nr_devs; d++) {
		const struct obj *dev = t->devs[d];
		int vc = sch_find_subdir(dev->g, "vdevs");

		for (i = 0; vc >= 0 && i < dev->nr_children[vc]; i++) {
			const struct obj_attr *a =
				obj_attr(dev->children[vc][i], "device");

			if (a && !strcmp(a->val, name))
				return dev->children[vc][i];
		}
	}
	return NULL;
}

/*
 * A committed vdev's device has no directory of its own (its domains are
 * in the vdev's): a command naming it by its dlbN is told the name that
 * lasts.
 */
static void refuse_vdev_device(const struct tree *t, const char *only_dev)
{
	const struct obj *vd;
	char *path;

	if (!only_dev)
		return;
	vd = vdev_of_device(t, only_dev);
	if (!vd)
		return;
	path = obj_path(vd);
	die(EXIT_USAGE, "%s is the vdev %s while it is committed: name it %s",
	    only_dev, path, path);
}

/* Drop what @o holds outside @t: other domains, vdevs left empty. */
static void prune(struct obj *o, const struct target *t)
{
	unsigned int j, k, keep;

	for (j = 0; j < o->g->nr_subdirs; j++) {
		for (k = 0, keep = 0; k < o->nr_children[j]; k++) {
			struct obj *c = o->children[j][k];
			bool in = true;

			if (sch_find_type(c->g, AT_START)) {
				in = target_domain(t, c);
			} else if (obj_is_vdev(c)) {
				prune(c, t);
				in = target_vdev(t, c) ||
				     c->nr_children[obj_domains(c)];
			}
			if (in)
				o->children[j][keep++] = c;
			else
				obj_free(c);
		}
		o->nr_children[j] = keep;
	}
}

/*
 * The live tree, or only what @only names. A missing root gives an empty
 * tree: nothing is configured (the module is not loaded).
 */
struct tree *live_read(const struct schema *s, const struct target *only)
{
	struct tree *t = xcalloc(1, sizeof(*t));
	unsigned int i, keep = 0, n;
	char **names;

	names = list_dir(dlbcfg_opts.root, true, &n);
	for (i = 0; i < n; i++) {
		struct obj *dev = obj_new(s->root, names[i], NULL, 0);

		read_obj(dev);
		t->devs = xrealloc(t->devs, (t->nr_devs + 1) * sizeof(dev));
		t->devs[t->nr_devs++] = dev;
	}
	free_list(names, n);
	refuse_vdev_device(t, only ? only->dev : NULL);
	for (i = 0; only && i < t->nr_devs; i++) {
		if (only->dev && strcmp(only->dev, t->devs[i]->name)) {
			obj_free(t->devs[i]);
			continue;
		}
		prune(t->devs[i], only);
		t->devs[keep++] = t->devs[i];
	}
	if (only)
		t->nr_devs = keep;
	return t;
}

bool sysfs_resources(const char *dev, const char *set, struct resources *r)
{
	unsigned int i;

	for (i = 0; i < sizeof(r->num) / sizeof(r->num[0]); i++) {
		char *p = xasprintf("%s/%s/%s/%s", dlbcfg_opts.sysfs, dev, set,
				    dlb_resource_names[i]);
		char *v = read_attr(p);

		free(p);
		if (!v)
			return false;
		r->num[i] = strtoull(v, NULL, 10);
		free(v);
	}
	return true;
}
