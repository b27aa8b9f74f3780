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

/* Directories of @l the file lacks, children before parents. */
static void diff_rmdirs(struct unit_ops *u, const struct obj *w,
			const struct obj *l)
{
	unsigned int i, j, k;

	for (i = 0; i < l->g->nr_subdirs; i++) {
		for (j = 0; j < l->nr_children[i]; j++) {
			const struct obj *lc = l->children[i][j];

			diff_rmdirs(u, w ? obj_child(w, i, lc->name) : NULL, lc);
		}
	}
	if (w)
		return;
	if (l->g->made_by == MADE_BY_MKDIR) {
		struct op *op = op_add(&u->rmdir, OP_RMDIR, obj_path(l),
				       NULL, NULL);

		op->frozen = true;
		/* what mkdir must write back if this run is undone */
		op->restore = xcalloc(l->nr_attrs, sizeof(*op->restore));
		for (k = 0; k < l->nr_attrs; k++) {
			const struct sch_attr *sa = l->attrs[k].sa;

			if (!sa->writable || sa->type == AT_START ||
			    sa->type == AT_LINKS)
				continue;
			op->restore[op->nr_restore] = l->attrs[k];
			op->restore[op->nr_restore++].val =
				xstrdup(l->attrs[k].val);
		}
	}
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

static bool unit_selected(const struct obj *dev, const struct obj *dom,
			  const char *only)
{
	const char *slash;

	if (!only)
		return true;
	slash = strchr(only, '/');
	if (!slash)
		return !strcmp(only, dom->name);
	return !strncmp(only, dev->name, slash - only) &&
	       !dev->name[slash - only] && !strcmp(slash + 1, dom->name);
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
				    !unit_selected(wd, w, o->only_dom))
					continue;
				plan_unit(p, w, obj_child(ld, c, w->name), o);
			}
		}
	}
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
	const char *r = dlbcfg_opts.root;
	char *dir = xstrdup(op->path);

	*(char *)base(dir) = '\0';
	if (dry_run) {
		switch (op->kind) {
		case OP_STOP:
			if (op->aux)
				fprintf(f, "echo 1 > %s/%s\n", r, op->aux);
			else
				fprintf(f, "echo 0 > %s/%s\n", r, op->path);
			break;
		case OP_UNLINK:
			fprintf(f, "rm %s/%s\n", r, op->path);
			break;
		case OP_RMDIR:
			fprintf(f, "rmdir %s/%s\n", r, op->path);
			break;
		case OP_MKDIR:
			fprintf(f, "mkdir %s/%s\n", r, op->path);
			break;
		case OP_WRITE:
		case OP_PRIO:
			fprintf(f, "echo '%s' > %s/%s\n", op->val, r, op->path);
			break;
		case OP_LINK:
			fprintf(f, "ln -s %s/%s %s/%s\n", r, op->val, r,
				op->path);
			break;
		case OP_START:
			fprintf(f, "echo \"1 $(cat %s/%sgeneration)\" > %s/%s\n",
				r, dir, r, op->path);
			break;
		}
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

void plan_clear(struct plan *p, const struct tree *live, const char *only_dom,
		bool force)
{
	unsigned int d, c, i;

	memset(p, 0, sizeof(*p));
	for (d = 0; d < live->nr_devs; d++) {
		const struct obj *ld = live->devs[d];

		for (c = 0; c < ld->g->nr_subdirs; c++) {
			for (i = 0; i < ld->nr_children[c]; i++) {
				const struct obj *l = ld->children[c][i];
				const struct sch_attr *sa, *fa;
				const struct obj_attr *ls;
				struct unit_ops u = { 0 };
				unsigned long nr_open;
				struct op *op;
				char *unit;

				sa = sch_find_type(l->g, AT_START);
				if (!sa || !unit_selected(ld, l, only_dom))
					continue;
				ls = obj_attr(l, sa->name);
				nr_open = open_ports(l);
				fa = sch_find_type(l->g, AT_ACTION);
				if (ls && !strcmp(ls->val, "1") && nr_open &&
				    (!force || !fa)) {
					warnx("%s/%s: stop: %s: %lu port file(s) open%s",
					      ld->name, l->name,
					      strerror(EBUSY), nr_open,
					      fa ? " (--force revokes them)" :
						   "");
					p->nr_refused++;
					continue;
				}
				if (ls && !strcmp(ls->val, "1")) {
					op = op_add(&u.stop, OP_STOP,
						    sub(l, sa->name), "0", "1");
					/* undone by a start, like a stop */
					if (nr_open)
						op->aux = sub(l, fa->name);
				}
				diff_unlinks(&u, NULL, l);
				diff_rmdirs(&u, NULL, l);
				unit = obj_path(l);
				add_unit(p, &u, unit);
				free(unit);
			}
		}
	}
}
