// SPDX-License-Identifier: GPL-2.0
/*
 * plan.c - the operations that turn the live tree into the file's, domain
 * by domain, in the order configfs needs them: stop, unlink, rmdir, mkdir,
 * attribute writes, links, link priorities, start (nvmetcli's restore
 * order, with removals first). Each operation carries what undoing it
 * needs (old values, the attributes of a removed directory), so apply can
 * roll back. An identical file gives no operation at all.
 *
 * What the file omits is left alone: an attribute not written keeps its
 * value, a domain not named keeps running. Within a named domain, queues,
 * ports and links the file does not list are removed.
 */
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "dlbcfg.h"

struct unit_ops {
	struct plan stop, unlink, rmdir, mkdir, write, link, prio, start;
};

static struct op *op_add(struct plan *p, enum op_kind kind, char *path,
			 const char *val, const char *old)
{
	struct op *op;

	p->ops = xrealloc(p->ops, (p->nr_ops + 1) * sizeof(*op));
	op = &p->ops[p->nr_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->path = path;
	op->val = val ? xstrdup(val) : NULL;
	op->old = old ? xstrdup(old) : NULL;
	return op;
}

static void plan_move(struct plan *dst, struct plan *src)
{
	if (!src->nr_ops)
		return;
	dst->ops = xrealloc(dst->ops,
			    (dst->nr_ops + src->nr_ops) * sizeof(struct op));
	memcpy(dst->ops + dst->nr_ops, src->ops,
	       src->nr_ops * sizeof(struct op));
	dst->nr_ops += src->nr_ops;
	free(src->ops);
	src->ops = NULL;
	src->nr_ops = 0;
}

static char *sub(const struct obj *o, const char *name)
{
	char *p = obj_path(o), *r = xasprintf("%s/%s", p, name);

	free(p);
	return r;
}

/* Path of the object a link of @o names, relative to the root. */
static char *link_target_path(const struct obj *o, const char *target)
{
	const struct obj *scope;
	char *p, *r;
	int coll;

	scope = obj_link_scope(o, &coll);
	if (!scope)
		return xstrdup(target);
	p = obj_path(scope);
	r = xasprintf("%s/%s/%s", p, scope->g->subdirs[coll], target);
	free(p);
	return r;
}

/*
 * Directed links change only while the domain is stopped (a dir queue's
 * id is its port's): the schema says so in prose, so it is said here.
 * The type is the file's if it sets one, else the live one.
 */
static bool dir_link(const struct obj *w, const struct obj *l)
{
	const struct obj_attr *a = w ? obj_attr(w, "type") : NULL;

	if (!a && l)
		a = obj_attr(l, "type");
	return a && !strcmp(a->val, "dir");
}

/* Links of the live object @l that the file's @w (NULL: removed) lacks. */
static void diff_unlinks(struct unit_ops *u, const struct obj *w,
			 const struct obj *l)
{
	const struct sch_attr *pa = sch_find_type(l->g, AT_LINKS);
	unsigned int i, j;

	for (i = 0; i < l->nr_links; i++) {
		struct op *op;

		if (w && obj_link(w, l->links[i].target))
			continue;
		op = op_add(&u->unlink, OP_UNLINK, sub(l, l->links[i].target),
			    NULL, NULL);
		op->val = link_target_path(l, l->links[i].target);
		op->frozen = dir_link(w, l);
		if (l->links[i].prio >= 0 && pa) {
			op->old = xasprintf("%s %d", l->links[i].target,
					    l->links[i].prio);
			op->aux = sub(l, pa->name);
		}
	}
	for (i = 0; i < l->g->nr_subdirs; i++) {
		for (j = 0; j < l->nr_children[i]; j++) {
			const struct obj *lc = l->children[i][j];
			const struct obj *wc = w ? obj_child(w, i, lc->name) :
						   NULL;

			diff_unlinks(u, wc, lc);
		}
	}
}

/*
 * rmdir @l, keeping what mkdir must write back if this run is undone:
 * its configuration, not its state (start, a vdev's commit: undone by
 * their own operations).
 */
static void rmdir_op(struct plan *p, const struct obj *l)
{
	struct op *op = op_add(p, OP_RMDIR, obj_path(l), NULL, NULL);
	unsigned int k;

	op->frozen = true;
	op->restore = xcalloc(l->nr_attrs, sizeof(*op->restore));
	for (k = 0; k < l->nr_attrs; k++) {
		const struct sch_attr *sa = l->attrs[k].sa;

		if (!sa->writable || sa->type == AT_START ||
		    sa->type == AT_LINKS ||
		    (obj_is_vdev(l) && !strcmp(sa->name, "commit")))
			continue;
		op->restore[op->nr_restore] = l->attrs[k];
		op->restore[op->nr_restore++].val = xstrdup(l->attrs[k].val);
	}
}

/* Directories of @l the file lacks, children before parents. */
static void diff_rmdirs(struct unit_ops *u, const struct obj *w,
			const struct obj *l)
{
	unsigned int i, j;

	for (i = 0; i < l->g->nr_subdirs; i++) {
		for (j = 0; j < l->nr_children[i]; j++) {
			const struct obj *lc = l->children[i][j];

			diff_rmdirs(u, w ? obj_child(w, i, lc->name) : NULL, lc);
		}
	}
	if (!w && l->g->made_by == MADE_BY_MKDIR)
		rmdir_op(&u->rmdir, l);
}

/* mkdir, writes, links and priorities that make @l (maybe NULL) into @w. */
static void diff_create(struct unit_ops *u, const struct obj *w,
			const struct obj *l)
{
	unsigned int i, j;

	if (!l) {
		struct op *op = op_add(&u->mkdir, OP_MKDIR, obj_path(w), NULL,
				       NULL);

		op->frozen = true;
		op->file = w->file;
		op->line = w->line;
	}
	for (i = 0; i < w->nr_attrs; i++) {
		const struct obj_attr *a = &w->attrs[i];
		const struct obj_attr *la = l ? obj_attr(l, a->sa->name) : NULL;
		struct op *op;

		if (a->sa->type == AT_START)
			continue;
		if (la && !strcmp(la->val, a->val))
			continue;
		op = op_add(&u->write, OP_WRITE, sub(w, a->sa->name), a->val,
			    la ? la->val : NULL);
		op->frozen = a->sa->frozen;
		op->file = a->file;
		op->line = a->line;
	}
	for (i = 0; i < w->nr_links; i++) {
		const struct obj_link *k = &w->links[i];
		const struct obj_link *lk = l ? obj_link(l, k->target) : NULL;
		const struct sch_attr *pa = sch_find_type(w->g, AT_LINKS);
		struct op *op;

		if (!lk) {
			op = op_add(&u->link, OP_LINK, sub(w, k->target), NULL,
				    NULL);
			op->val = link_target_path(w, k->target);
			op->frozen = dir_link(w, l);
			op->file = k->file;
			op->line = k->line;
		}
		if (k->prio < 0 || !pa || (lk && lk->prio == k->prio))
			continue;
		op = op_add(&u->prio, OP_PRIO, sub(w, pa->name), NULL, NULL);
		op->val = xasprintf("%s %d", k->target, k->prio);
		if (lk && lk->prio >= 0)
			op->old = xasprintf("%s %d", k->target, lk->prio);
		op->file = k->file;
		op->line = k->line;
	}
	for (i = 0; i < w->g->nr_subdirs; i++) {
		for (j = 0; j < w->nr_children[i]; j++) {
			const struct obj *wc = w->children[i][j];

			diff_create(u, wc, l ? obj_child(l, i, wc->name) : NULL);
		}
	}
}

static void unit_ops_free(struct unit_ops *u)
{
	plan_free(&u->stop);
	plan_free(&u->unlink);
	plan_free(&u->rmdir);
	plan_free(&u->mkdir);
	plan_free(&u->write);
	plan_free(&u->link);
	plan_free(&u->prio);
	plan_free(&u->start);
}

/* A unit's operations, in the order configfs needs them, onto @p. */
static void add_unit(struct plan *p, struct unit_ops *u, const char *unit)
{
	struct plan *all[] = { &u->stop, &u->unlink, &u->rmdir, &u->mkdir,
			       &u->write, &u->link, &u->prio, &u->start };
	unsigned int i, j;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		for (j = 0; j < all[i]->nr_ops; j++)
			all[i]->ops[j].unit = xstrdup(unit);
		plan_move(p, all[i]);
	}
}

static const struct op *first_frozen(const struct unit_ops *u)
{
	const struct plan *ps[] = { &u->unlink, &u->rmdir, &u->mkdir,
				    &u->write, &u->link };
	unsigned int i, j;

	for (i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
		for (j = 0; j < ps[i]->nr_ops; j++)
			if (ps[i]->ops[j].frozen)
				return &ps[i]->ops[j];
	return NULL;
}

static void plan_unit(struct plan *p, const struct obj *w, const struct obj *l,
		      const struct plan_opts *o)
{
	const struct sch_attr *sa = sch_find_type(w->g, AT_START);
	const struct obj_attr *ws = obj_attr(w, sa->name);
	const struct obj_attr *ls = l ? obj_attr(l, sa->name) : NULL;
	bool want_started = ws && !strcmp(ws->val, "1");
	bool live_started = ls && !strcmp(ls->val, "1");
	struct unit_ops u = { 0 };
	char *unit = obj_path(w);
	struct op *op;

	if (l)
		diff_unlinks(&u, w, l);
	if (l)
		diff_rmdirs(&u, w, l);
	diff_create(&u, w, l);

	if (live_started && (!want_started || first_frozen(&u))) {
		if (want_started && !o->force) {
			const struct op *f = first_frozen(&u);

			cfg_error(w->file, w->line, unit,
				  "is started and the file changes what is frozen while started (%s); stop it first, or use --force to stop, change and start it",
				  f ? f->path : "?");
			p->nr_refused++;
			goto out;
		}
		op = op_add(&u.stop, OP_STOP, sub(w, sa->name), "0", "1");
		op->file = ws ? ws->file : w->file;
		op->line = ws ? ws->line : w->line;
		live_started = false;
	}
	if (want_started && !live_started) {
		op = op_add(&u.start, OP_START, sub(w, sa->name), "1", "0");
		op->file = ws->file;
		op->line = ws->line;
	}

	add_unit(p, &u, unit);
out:
	unit_ops_free(&u);
	free(unit);
}

/*
 * Writable attributes of a device itself (none in schema version 1), so
 * a schema that adds one needs no change here; they go before the
 * domains, as a unit of their own without a start.
 */
static void plan_dev_attrs(struct plan *p, const struct obj *w,
			   const struct obj *l)
{
	struct unit_ops u = { 0 };
	unsigned int i;
	char *unit;

	for (i = 0; i < w->nr_attrs; i++) {
		const struct obj_attr *a = &w->attrs[i];
		const struct obj_attr *la = obj_attr(l, a->sa->name);
		struct op *op;

		if (la && !strcmp(la->val, a->val))
			continue;
		op = op_add(&u.write, OP_WRITE, sub(w, a->sa->name), a->val,
			    la ? la->val : NULL);
		op->file = a->file;
		op->line = a->line;
	}
	unit = obj_path(w);
	add_unit(p, &u, unit);
	unit_ops_free(&u);
	free(unit);
}

void plan_free(struct plan *p)
{
	unsigned int i, j;

	for (i = 0; i < p->nr_ops; i++) {
		struct op *op = &p->ops[i];

		for (j = 0; j < op->nr_restore; j++)
			free(op->restore[j].val);
		free(op->restore);
		free(op->path);
		free(op->val);
		free(op->old);
		free(op->aux);
		free(op->unit);
	}
	free(p->ops);
	p->ops = NULL;
	p->nr_ops = 0;
}

/* The last component of a path. */
static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/*
 * dry-run prints a shell script doing what apply would (start with the
 * generation apply would expect); diff prints one change a line.
 */
void op_print(FILE *f, const struct op *op, bool dry_run)
{
	char *dir = xstrdup(op->path), *spath, *sdir, *sval;

	*(char *)base(dir) = '\0';
	if (dry_run) {
		spath = live_path(op->path);
		sdir = xstrdup(spath);
		*(char *)base(sdir) = '\0';
		if (sdir[0] && sdir[strlen(sdir) - 1] == '/')
			sdir[strlen(sdir) - 1] = '\0';
		switch (op->kind) {
		case OP_STOP:
			if (op->aux) {
				sval = live_path(op->aux);
				fprintf(f, "echo 1 > %s\n", sval);
				free(sval);
			} else {
				fprintf(f, "echo 0 > %s\n", spath);
			}
			break;
		case OP_UNLINK:
			fprintf(f, "rm %s\n", spath);
			break;
		case OP_RMDIR:
			fprintf(f, "rmdir %s\n", spath);
			break;
		case OP_MKDIR:
			fprintf(f, "mkdir %s\n", spath);
			break;
		case OP_WRITE:
		case OP_PRIO:
			fprintf(f, "echo '%s' > %s\n", op->val, spath);
			break;
		case OP_LINK:
			sval = live_path(op->val);
			fprintf(f, "ln -s %s %s\n", sval, spath);
			free(sval);
			break;
		case OP_START:
			fprintf(f, "echo \"1 $(cat %s/generation)\" > %s\n",
				sdir, spath);
			break;
		case OP_COMMIT:
		case OP_UNCOMMIT:
			fprintf(f, "echo %s > %s\n", op->val, spath);
			break;
		}
		free(spath);
		free(sdir);
		free(dir);
		return;
	}
	switch (op->kind) {
	case OP_STOP:
		fprintf(f, "- start %.*s%s\n", (int)(strlen(dir) - 1), dir,
			op->aux ? " (forced)" : "");
		break;
	case OP_UNLINK:
		fprintf(f, "- link %.*s -> %s\n", (int)(strlen(dir) - 1), dir,
			base(op->path));
		break;
	case OP_RMDIR:
		fprintf(f, "- %s\n", op->path);
		break;
	case OP_MKDIR:
		fprintf(f, "+ %s\n", op->path);
		break;
	case OP_WRITE:
		if (op->old)
			fprintf(f, "~ %s: %s -> %s\n", op->path, op->old,
				op->val);
		else
			fprintf(f, "~ %s: %s\n", op->path, op->val);
		break;
	case OP_PRIO:
		fprintf(f, "~ %s: %s%s%s\n", op->path, op->old ? op->old : "",
			op->old ? " -> " : "", op->val);
		break;
	case OP_LINK:
		fprintf(f, "+ link %.*s -> %s\n", (int)(strlen(dir) - 1), dir,
			base(op->path));
		break;
	case OP_START:
		fprintf(f, "+ start %.*s\n", (int)(strlen(dir) - 1), dir);
		break;
	case OP_COMMIT:
	case OP_UNCOMMIT:
		fprintf(f, "%c commit %.*s\n", op->kind == OP_COMMIT ? '+' : '-',
			(int)(strlen(dir) - 1), dir);
		break;
	}
	free(dir);
}

/*
 * Stop and remove the selected domains of the live tree, each as one
 * unit: unlinks, rmdirs children first, the domain itself last.
 */
/*
 * A started domain with port files open: stopping it fails with EBUSY, so
 * without @force it is refused here, before anything changes; with @force
 * its stop is a forced stop (the domain's action attribute, force_stop),
 * which revokes the files. Return: the files open, 0 if unknown.
 */
static unsigned long open_ports(const struct obj *l)
{
	const struct obj_attr *a = obj_attr(l, "open_ports");

	return a ? strtoul(a->val, NULL, 10) : 0;
}

/*
 * Stop and remove the live domain @l as one unit; a domain with port
 * files open is refused (counted in @p) unless @force. Return: whether
 * it is in the plan.
 */
static bool clear_domain(struct plan *p, const struct obj *l, bool force)
{
	const struct sch_attr *sa = sch_find_type(l->g, AT_START);
	const struct sch_attr *fa = sch_find_type(l->g, AT_ACTION);
	const struct obj_attr *ls = obj_attr(l, sa->name);
	unsigned long nr_open = open_ports(l);
	struct unit_ops u = { 0 };
	char *unit = obj_path(l);
	struct op *op;

	if (ls && !strcmp(ls->val, "1") && nr_open && (!force || !fa)) {
		/* DEV/DOMAIN as clear takes it; a vdev's by its whole path */
		bool top = l->parent && !l->parent->parent;

		warning("%s%s%s: stop: %s: %lu port file(s) open%s",
		      top ? l->parent->name : unit, top ? "/" : "",
		      top ? l->name : "", strerror(EBUSY), nr_open,
		      fa ? " (--force revokes them)" : "");
		p->nr_refused++;
		free(unit);
		return false;
	}
	if (ls && !strcmp(ls->val, "1")) {
		op = op_add(&u.stop, OP_STOP, sub(l, sa->name), "0", "1");
		/* undone by a start, like a stop */
		if (nr_open)
			op->aux = sub(l, fa->name);
	}
	diff_unlinks(&u, NULL, l);
	diff_rmdirs(&u, NULL, l);
	add_unit(p, &u, unit);
	unit_ops_free(&u);
	free(unit);
	return true;
}

/* Uncommit the live vdev @l (if committed) as a unit of its own. */
static void uncommit_vdev(struct plan *p, const struct obj *l,
			  const char *file, int line)
{
	struct unit_ops u = { 0 };
	char *unit = obj_path(l);
	struct op *op;

	if (vdev_committed(l)) {
		op = op_add(&u.stop, OP_UNCOMMIT, sub(l, "commit"), "0", "1");
		op->file = file;
		op->line = line;
	}
	add_unit(p, &u, unit);
	unit_ops_free(&u);
	free(unit);
}

/*
 * Remove the live vdev @l: its domains, then uncommit and rmdir.
 * Return: false (nothing planned for the vdev itself) if a domain of it
 * was refused.
 */
static bool clear_vdev(struct plan *p, const struct obj *l, bool force)
{
	int dc = obj_domains(l);
	struct unit_ops u = { 0 };
	bool ok = true;
	unsigned int i;
	char *unit;

	for (i = 0; i < l->nr_children[dc]; i++)
		ok &= clear_domain(p, l->children[dc][i], force);
	if (!ok)
		return false;
	uncommit_vdev(p, l, NULL, 0);
	rmdir_op(&u.rmdir, l);
	unit = obj_path(l);
	add_unit(p, &u, unit);
	unit_ops_free(&u);
	free(unit);
	return true;
}

/*
 * Stop and remove the domains of the live tree that @only names, each as
 * one unit: unlinks, rmdirs children first, the domain itself last. The
 * vdevs it names (all without a domain named) go too, after their domains.
 */
void plan_clear(struct plan *p, const struct tree *live,
		const struct target *only, bool force)
{
	unsigned int d, c, i, j;

	memset(p, 0, sizeof(*p));
	for (d = 0; d < live->nr_devs; d++) {
		const struct obj *ld = live->devs[d];

		for (c = 0; c < ld->g->nr_subdirs; c++) {
			for (i = 0; i < ld->nr_children[c]; i++) {
				const struct obj *l = ld->children[c][i];

				if (sch_find_type(l->g, AT_START) &&
				    target_domain(only, l))
					clear_domain(p, l, force);
			}
		}
		for (c = 0; c < ld->g->nr_subdirs; c++) {
			for (i = 0; i < ld->nr_children[c]; i++) {
				const struct obj *v = ld->children[c][i];
				int dc = obj_domains(v);

				if (!obj_is_vdev(v))
					continue;
				if (target_vdev(only, v)) {
					clear_vdev(p, v, force);
					continue;
				}
				for (j = 0; j < v->nr_children[dc]; j++) {
					if (target_domain(only, v->children[dc][j]))
						clear_domain(p, v->children[dc][j],
							     force);
				}
			}
		}
	}
}

/* The first quota of @w whose value differs from the live @l's, or NULL. */
static const struct obj_attr *quota_change(const struct obj *w,
					   const struct obj *l)
{
	unsigned int i;

	for (i = 0; i < w->nr_attrs; i++) {
		const struct obj_attr *la = obj_attr(l, w->attrs[i].sa->name);

		if (!la || strcmp(la->val, w->attrs[i].val))
			return &w->attrs[i];
	}
	return NULL;
}

/*
 * A committed vdev's quotas change only while it has no domains (the
 * kernel refuses uncommit with EBUSY): with --force, when every live
 * domain of it is in the file, they are removed and made again; else the
 * change is refused at the quota's FILE:LINE.
 */
static bool quota_change_ok(struct plan *p, const struct obj *w,
			    const struct obj *l, const struct obj_attr *qa,
			    const struct plan_opts *o)
{
	int dc = obj_domains(l);
	const struct obj_attr *la = obj_attr(l, qa->sa->name);
	char *unit = obj_path(w);
	unsigned int i;
	bool ok = true;

	if (!vdev_committed(l) || !l->nr_children[dc])
		goto out;
	if (!o->force) {
		cfg_error(qa->file, qa->line, unit,
			  "%s: %s -> %s: the vdev is committed and has domains; a quota changes only by removing and making them again (--force does)",
			  qa->sa->name, la ? la->val : "?", qa->val);
		ok = false;
		goto out;
	}
	for (i = 0; i < l->nr_children[dc]; i++) {
		const struct obj *ld = l->children[dc][i];

		if (obj_child(w, dc, ld->name))
			continue;
		cfg_error(qa->file, qa->line, unit,
			  "%s: changing the quota removes domain %s, which the file does not name; name it or clear it first",
			  qa->sa->name, ld->name);
		ok = false;
	}
out:
	if (!ok)
		p->nr_refused++;
	free(unit);
	return ok;
}

/*
 * Make the vdev @w from the live @l (maybe NULL): mkdir, quotas and
 * commit before its domains; a quota change uncommits first, after
 * removing the domains (see quota_change_ok()).
 */
static void plan_vdev(struct plan *p, const struct obj *w, const struct obj *l,
		      const struct plan_opts *o)
{
	const struct obj_attr *qa = l ? quota_change(w, l) : NULL;
	int dc = obj_domains(w);
	bool remake = !l || qa || !vdev_committed(l);
	struct unit_ops u = { 0 };
	char *unit = obj_path(w);
	unsigned int i;
	struct op *op;

	if (qa && !quota_change_ok(p, w, l, qa, o))
		goto out;
	if (qa && vdev_committed(l)) {
		for (i = 0; i < l->nr_children[dc]; i++)
			clear_domain(p, l->children[dc][i], true);
		uncommit_vdev(p, l, qa->file, qa->line);
	}
	if (remake) {
		if (!l) {
			op = op_add(&u.mkdir, OP_MKDIR, xstrdup(unit), NULL,
				    NULL);
			op->file = w->file;
			op->line = w->line;
		}
		for (i = 0; i < w->nr_attrs; i++) {
			const struct obj_attr *a = &w->attrs[i];
			const struct obj_attr *la = l ? obj_attr(l, a->sa->name) :
						       NULL;

			if (la && !strcmp(la->val, a->val))
				continue;
			op = op_add(&u.write, OP_WRITE, sub(w, a->sa->name),
				    a->val, la ? la->val : NULL);
			op->file = a->file;
			op->line = a->line;
		}
		op = op_add(&u.start, OP_COMMIT, sub(w, "commit"), "1", "0");
		op->file = w->file;
		op->line = w->line;
	}
	add_unit(p, &u, unit);
	for (i = 0; i < w->nr_children[dc]; i++) {
		const struct obj *wd = w->children[dc][i];

		plan_unit(p, wd, remake ? NULL : obj_child(l, dc, wd->name), o);
	}
out:
	unit_ops_free(&u);
	free(unit);
}

/*
 * --domain: the domains of the vdev @w that @o names, built in the live
 * vdev @l as they are, which must be committed; its quotas are not
 * looked at.
 */
static void plan_vdev_domains(struct plan *p, const struct obj *w,
			      const struct obj *l, const struct plan_opts *o)
{
	int dc = obj_domains(w);
	unsigned int i;

	for (i = 0; i < w->nr_children[dc]; i++) {
		const struct obj *wd = w->children[dc][i];
		char *path;

		if (!target_domain(o->only, wd))
			continue;
		if (l && vdev_committed(l)) {
			plan_unit(p, wd, obj_child(l, obj_domains(l), wd->name),
				  o);
			continue;
		}
		path = obj_path(wd);
		cfg_error(wd->file, wd->line, path,
			  "vdev %s is not committed: apply the file without --domain first",
			  w->name);
		free(path);
		p->nr_refused++;
	}
}

void plan_build(struct plan *p, const struct tree *want,
		const struct tree *live, const struct plan_opts *o)
{
	unsigned int d, c, i;

	memset(p, 0, sizeof(*p));
	for (d = 0; d < want->nr_devs; d++) {
		const struct obj *wd = want->devs[d];
		const struct obj *ld = tree_dev(live, wd->name);

		if (!ld) {
			cfg_error(wd->file, wd->line, wd->name,
				  "no such device in %s (is the module loaded?)",
				  dlbcfg_opts.root);
			p->nr_refused++;
			continue;
		}
		plan_dev_attrs(p, wd, ld);
		for (c = 0; c < wd->g->nr_subdirs; c++) {
			for (i = 0; i < wd->nr_children[c]; i++) {
				const struct obj *w = wd->children[c][i];

				if (!sch_find_type(w->g, AT_START) ||
				    !target_domain(o->only, w))
					continue;
				plan_unit(p, w, obj_child(ld, c, w->name), o);
			}
		}
		/* vdevs after the domains; --domain: only domains of them */
		for (c = 0; c < wd->g->nr_subdirs; c++) {
			for (i = 0; i < wd->nr_children[c]; i++) {
				const struct obj *w = wd->children[c][i];
				const struct obj *l = obj_child(ld, c, w->name);

				if (!obj_is_vdev(w))
					continue;
				if (target_vdev(o->only, w))
					plan_vdev(p, w, l, o);
				else
					plan_vdev_domains(p, w, l, o);
			}
		}
	}
}
