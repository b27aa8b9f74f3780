// SPDX-License-Identifier: GPL-2.0
/*
 * apply.c - run a plan against configfs. Each domain is committed with
 * the generation protocol: the generation is read before the first change
 * and every change this run makes bumps it by one, so start is written as
 * "1 <read + changes>" and fails with ESTALE if anyone else changed the
 * domain meanwhile. On a failure everything done so far is undone in
 * reverse order (all of it, or only the failing domain's with
 * --keep-going), leaving configfs as it was.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlbcfg.h"

static char *abs_path(const char *rel)
{
	return live_path(rel);
}

static int do_write(const char *rel, const char *val)
{
	char *p = abs_path(rel);
	int ret = write_attr(p, val);

	free(p);
	return ret;
}

static int do_mkdir(const char *rel)
{
	char *p = abs_path(rel);
	int ret = mkdir(p, 0755) ? -errno : 0;

	free(p);
	return ret;
}

static int do_rmdir(const char *rel)
{
	char *p = abs_path(rel);
	int ret = rmdir(p) ? -errno : 0;

	free(p);
	return ret;
}

static int do_link(const char *rel, const char *target)
{
	char *p = abs_path(rel), *t = abs_path(target);
	int ret = symlink(t, p) ? -errno : 0;

	free(p);
	free(t);
	return ret;
}

static int do_unlink(const char *rel)
{
	char *p = abs_path(rel);
	int ret = unlink(p) ? -errno : 0;

	free(p);
	return ret;
}

/* What an errno means here, said once for every operation. */
static const char *hint(const struct op *op, int err)
{
	switch (err) {
	case ESTALE:
		return "the domain was changed by someone else while this run configured it";
	case ENOSPC:
		if (op->kind == OP_COMMIT)
			return "the parent device has not that much left (see its avail_resources and dmesg)";
		return op->kind == OP_START ?
		       "the device has not enough left (see dmesg and avail_resources)" :
		       "the device has no room for it";
	case EBUSY:
		if (op->kind == OP_UNCOMMIT)
			return "the vdev still has domains";
		return op->kind == OP_STOP ? "a port file is open" :
		       "busy (frozen while the domain is started?)";
	case ENOENT:
		return "gone (is the module loaded?)";
	case EINVAL:
		return "the kernel refused the value or configuration (see dmesg)";
	}
	return NULL;
}

static void report(const struct op *op, int err)
{
	static const char *const verb[] = {
		[OP_STOP] = "stop", [OP_UNLINK] = "unlink", [OP_RMDIR] = "rmdir",
		[OP_MKDIR] = "mkdir", [OP_WRITE] = "write", [OP_LINK] = "link",
		[OP_PRIO] = "write", [OP_START] = "start",
		[OP_COMMIT] = "commit", [OP_UNCOMMIT] = "uncommit",
	};
	const char *h = hint(op, err);

	fprintf(stderr, "%s:%d: %s: %s: %s%s%s\n", op->file ? op->file : "-",
		op->line, op->aux && op->kind == OP_STOP ? op->aux : op->path,
		op->aux && op->kind == OP_STOP ? "force stop" : verb[op->kind],
		strerror(err),
		h ? ": " : "", h ? h : "");
}

/* Per domain: the generation read before changing it, and changes since. */
struct unit_state {
	const char *unit;
	bool have_gen;
	unsigned long long gen, changes;
};

static void unit_begin(struct unit_state *u, const struct op *op)
{
	char *p, *v;

	if (u->unit && !strcmp(u->unit, op->unit))
		return;
	u->unit = op->unit;
	u->changes = 0;
	u->have_gen = false;
	if (op->kind == OP_MKDIR && !strcmp(op->path, op->unit)) {
		/* a new domain starts at generation 0 */
		u->have_gen = true;
		u->gen = 0;
		return;
	}
	v = xasprintf("%s/generation", op->unit);
	p = live_path(v);
	free(v);
	v = read_attr(p);
	free(p);
	if (v) {
		u->gen = strtoull(v, NULL, 10);
		u->have_gen = true;
		free(v);
	}
}

static int run_op(struct unit_state *u, const struct op *op)
{
	int ret = 0;

	switch (op->kind) {
	case OP_STOP:
		/* a forced stop revokes the open port files; see clear */
		if (op->aux)
			return do_write(op->aux, "1");
		return do_write(op->path, "0");
	case OP_START: {
		char *v = u->have_gen ? xasprintf("1 %llu", u->gen + u->changes) :
					xstrdup("1");

		ret = do_write(op->path, v);
		free(v);
		return ret;
	}
	case OP_COMMIT:
	case OP_UNCOMMIT:
		return do_write(op->path, op->val);
	case OP_UNLINK:
		ret = do_unlink(op->path);
		break;
	case OP_RMDIR:
		ret = do_rmdir(op->path);
		break;
	case OP_MKDIR:
		ret = do_mkdir(op->path);
		if (!strcmp(op->path, op->unit))
			return ret;	/* not a change of its own generation */
		break;
	case OP_WRITE:
	case OP_PRIO:
		ret = do_write(op->path, op->val);
		break;
	case OP_LINK:
		ret = do_link(op->path, op->val);
		break;
	}
	if (!ret)
		u->changes++;
	return ret;
}

/* Undo one done operation; complain but go on if undoing fails. */
static void undo_op(const struct op *op)
{
	unsigned int i;
	int ret = 0;

	switch (op->kind) {
	case OP_STOP:
		ret = do_write(op->path, "1");
		break;
	case OP_START:
		ret = do_write(op->path, "0");
		break;
	case OP_COMMIT:
	case OP_UNCOMMIT:
		ret = do_write(op->path, op->old);
		break;
	case OP_UNLINK:
		ret = do_link(op->path, op->val);
		if (!ret && op->old && op->aux)
			ret = do_write(op->aux, op->old);
		break;
	case OP_RMDIR:
		ret = do_mkdir(op->path);
		for (i = 0; !ret && i < op->nr_restore; i++) {
			char *p = xasprintf("%s/%s", op->path,
					    op->restore[i].sa->name);

			ret = do_write(p, op->restore[i].val);
			free(p);
		}
		break;
	case OP_MKDIR:
		ret = do_rmdir(op->path);
		break;
	case OP_WRITE:
	case OP_PRIO:
		if (op->old)
			ret = do_write(op->path, op->old);
		break;
	case OP_LINK:
		ret = do_unlink(op->path);
		break;
	}
	if (ret)
		warning("rollback: %s: %s (left as is)", op->path, strerror(-ret));
}

static void print_done(const struct op *op)
{
	if (dlbcfg_verbose)
		op_print(stdout, op, true);
}

int apply_plan(const struct plan *p, bool keep_going)
{
	struct unit_state u = { 0 };
	unsigned int i, first = 0, j;
	int status = EXIT_OK, ret;

	for (i = 0; i < p->nr_ops; i++) {
		const struct op *op = &p->ops[i];

		if (!u.unit || strcmp(u.unit, op->unit))
			first = i;	/* where this domain's ops begin */
		unit_begin(&u, op);
		ret = run_op(&u, op);
		if (!ret) {
			print_done(op);
			continue;
		}
		report(op, -ret);
		status = EXIT_REFUSED;
		if (!keep_going) {
			for (j = i; j-- > 0;)
				undo_op(&p->ops[j]);
			warning("rolled back: nothing was changed");
			return status;
		}
		for (j = i; j-- > first;)
			undo_op(&p->ops[j]);
		warning("%s: rolled back, going on with the other domains",
		      op->unit);
		/* skip the rest of this domain */
		while (i + 1 < p->nr_ops && !strcmp(p->ops[i + 1].unit, op->unit))
			i++;
		u.unit = NULL;
	}
	return status;
}
