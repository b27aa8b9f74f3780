/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlbcfg.h - the types every dlbcfg module shares: the schema as loaded,
 * the object tree (one for the file, one for the live configfs tree), the
 * error reporter and the operations apply performs.
 */
#ifndef DLBCFG_H
#define DLBCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dlb_resources.h"	/* enum dlb_resource, dlb_resource_names[] */
#include "tool.h"		/* die(), warning(), attr_*(), DLB_* paths */

/* Exit statuses, the same for every subcommand (see dlbcfg(8)). */
enum {
	EXIT_OK = 0,
	EXIT_INVALID = 1,	/* the file is invalid */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_REFUSED = 3,	/* the kernel (or the live tree) refused */
	EXIT_DIFFERS = 4,	/* diff --exit-code: there are changes */
};

#ifndef DLBCFG_SCHEMA_DEFAULT
#define DLBCFG_SCHEMA_DEFAULT	"/usr/share/dlb/dlb.schema"
#endif

/*
 * ---- common.c: error reporting, options, small helpers -----------------
 * die() and warning() are the tools' (tools/common/tool.h); tool_prog is
 * "dlbcfg" or "dlbcfg apply".
 */

extern bool dlbcfg_verbose;
extern bool dlbcfg_quiet;	/* cfg_error() only counts (the fuzzer) */

/* One error in a configuration file; counted by dlbcfg_errors. */
void cfg_error(const char *file, int line, const char *path,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
extern unsigned int dlbcfg_errors;

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *intern(const char *s);

/* Options every subcommand takes; parsed by common_getopt(). */
struct common_opts {
	const char *schema;
	const char *root;
	const char *sysfs;
	const char *port_sysfs;	/* port devices' class: their counters */
};

extern struct common_opts dlbcfg_opts;

/*
 * Read an attribute (attr_read() into a new buffer); NULL with errno on
 * failure. Strips one "\n".
 */
char *read_attr(const char *path);
/* Write @val and a newline to the attribute @path in one write(); 0 or -errno. */
int write_attr(const char *path, const char *val);
/* Replace @path with @text atomically (temporary file, fsync, rename). */
int write_file_atomic(const char *path, const char *text, size_t len);

/* A growable string. */
struct strbuf {
	char *buf;
	size_t len, cap;
};

void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_free(struct strbuf *sb);

/* ---- schema.c: configfs-schema/dlb.schema, loaded at run time --------- */

enum attr_type {
	AT_U32, AT_U64, AT_INT, AT_ENUM, AT_UID, AT_GID, AT_START, AT_LINKS,
	AT_ACTION, AT_STRING,
	AT_COMMIT,	/* a vdev's commit: 1 makes the device, 0 removes it */
};

struct sch_attr {
	char *name;
	unsigned int mode;
	enum attr_type type;
	bool has_range;
	long long min, max;
	char **values;		/* enum names, or allowed numbers as text */
	unsigned int nr_values;
	char *def;
	bool frozen;
	bool writable;
};

enum made_by { MADE_BY_DEVICE, MADE_BY_DEFAULT, MADE_BY_MKDIR };

struct sch_group {
	char *name;
	char *path;
	enum made_by made_by;
	char **subdirs;
	unsigned int nr_subdirs;
	/*
	 * For each subdir, the kind of object made in it with mkdir (NULL if
	 * none): the device's "domains" holds "domain" objects.
	 */
	struct sch_group **child_kind;
	struct sch_group *parent;	/* the object kind this one lives in */
	const char *coll;		/* the collection (subdir) it lives in */
	struct sch_group *link_target;	/* kind a symlink in it points at */
	unsigned int link_max;
	struct sch_attr *attrs;
	unsigned int nr_attrs;
};

struct schema {
	char *file;
	struct sch_group *groups;
	unsigned int nr_groups;
	struct sch_group *root;		/* the device */
	/*
	 * The virtual device kind made in the device's "vdevs" (NULL if the
	 * schema has none). Once committed a vdev is a device of its own;
	 * dlbcfg gives the vdev kind a "domains" subdir holding that
	 * device's domains, so a file names them by parent and vdev name.
	 */
	struct sch_group *vdev;
};

/* Load and check; dies with EXIT_INVALID naming the schema's FILE:LINE. */
struct schema *schema_load(const char *file);
void schema_free(struct schema *s);
const struct sch_attr *sch_find_attr(const struct sch_group *g,
				     const char *name);
const struct sch_attr *sch_find_type(const struct sch_group *g,
				     enum attr_type type);
int sch_find_subdir(const struct sch_group *g, const char *name);
const char *sch_type_name(enum attr_type t);

/* ---- model.c: trees of objects -------------------------------------- */

struct obj_attr {
	const struct sch_attr *sa;
	char *val;		/* canonical text, as the kernel shows it */
	const char *file;
	int line;
};

struct obj_link {
	char *target;		/* name of the linked object */
	int prio;		/* -1: not given (the kernel's default) */
	const char *file;
	int line;
};

struct obj {
	const struct sch_group *g;
	char *name;
	struct obj *parent;
	const char *file;
	int line;
	struct obj_attr *attrs;
	unsigned int nr_attrs;
	struct obj_link *links;
	unsigned int nr_links;
	/* children[i] are the objects in subdir g->subdirs[i] */
	struct obj ***children;
	unsigned int *nr_children;
	bool exists;		/* desired tree: found in the live tree */
};

/* The root holds the devices; it has no schema group. */
struct obj *obj_new(const struct sch_group *g, const char *name,
		    struct obj *parent, int coll);
void obj_free(struct obj *o);
struct obj_attr *obj_attr(const struct obj *o, const char *name);
void obj_set_attr(struct obj *o, const struct sch_attr *sa, const char *val,
		  const char *file, int line);
struct obj *obj_child(const struct obj *o, int coll, const char *name);
struct obj_link *obj_link(const struct obj *o, const char *target);
void obj_add_link(struct obj *o, const char *target, int prio,
		  const char *file, int line);
/* "dlb0/domains/d/queues/q": relative to the configfs root. */
char *obj_path(const struct obj *o);
/* The object a link of @o points into: the ancestor holding @o->g's target. */
const struct obj *obj_link_scope(const struct obj *o, int *coll);
/* The domain-level ancestor: the object whose kind has a start attribute. */
struct obj *obj_unit(struct obj *o);
/* Whether @o is a vdev (its kind has commit and the vdev's domains). */
bool obj_is_vdev(const struct obj *o);
/* The collection of @o's kind holding domains, or -1. */
int obj_domains(const struct obj *o);
/* Whether the live vdev @o is committed. */
bool vdev_committed(const struct obj *o);

/*
 * What a command line names: "DEV", "DEV/DOMAIN", "DEV/vdevs/VDEV",
 * "DEV/vdevs/VDEV/DOMAIN", or for --domain a bare "DOMAIN" (any device's
 * or vdev's). A vdev is named by its parent and its name, never by the
 * dlbN it is while committed. NULL parts match anything.
 */
struct target {
	const char *dev, *vdev, *dom;
};

/* Whether the domain @dom (a device's or a vdev's) is in @t (NULL: all). */
bool target_domain(const struct target *t, const struct obj *dom);
/* Whether the vdev @vd itself (quotas, commit) is in @t (NULL: all). */
bool target_vdev(const struct target *t, const struct obj *vd);

struct tree {
	struct obj **devs;
	unsigned int nr_devs;
};

void tree_free(struct tree *t);
struct obj *tree_dev(const struct tree *t, const char *name);

/* ---- parse.c: a libconfig file into a tree, checked against the schema - */

/*
 * Read @file (or @text if not NULL, named @file in messages); reports
 * every problem with cfg_error(). Return: the tree (possibly partial when
 * errors were reported), or NULL if the file could not be parsed at all.
 */
struct tree *parse_config(const struct schema *s, const char *file,
			  const char *text);

/* ---- rules.c: what the schema does not say: DLB's start rules (shared) */

/* Per resource, indexed as the module's table (module/rules/dlb_resources.h). */
struct resources {
	unsigned long long num[DLB_NUM_RESOURCES];
};

/* Check the started domains' rules and that they fit @dev's totals. */
void rules_check(const struct tree *t);
/* What a domain reserves at start, resource by resource (enum dlb_resource). */
void rules_domain_cost(const struct obj *dom, struct resources *r);

/* ---- live.c: the live configfs tree ------------------------------------ */

struct tree *live_read(const struct schema *s, const struct target *only);
char *live_dir(const struct obj *o);	/* absolute path of an object */
/* Absolute path of a configfs-relative one. */
char *live_path(const char *rel);
/* sysfs resources of a device; false if absent. @set: total or avail */
bool sysfs_resources(const char *dev, const char *set, struct resources *r);

/* ---- plan.c: operations from a desired tree and the live tree -------- */

enum op_kind {
	OP_STOP, OP_UNLINK, OP_RMDIR, OP_MKDIR, OP_WRITE, OP_LINK, OP_PRIO,
	OP_START, OP_COMMIT, OP_UNCOMMIT,	/* a vdev's commit: 1, 0 */
};

struct op {
	enum op_kind kind;
	char *path;		/* configfs-relative path */
	char *val;		/* OP_WRITE: new value; OP_LINK/UNLINK: target */
	char *old;		/* OP_WRITE/OP_PRIO: the value to restore */
	char *unit;		/* the domain it belongs to (relative path) */
	struct obj_attr *restore; /* OP_RMDIR: attributes to restore */
	unsigned int nr_restore;
	char *aux;		/* OP_UNLINK: the priorities file, to restore;
				 * OP_STOP: force_stop, for a forced stop */
	bool frozen;		/* needs the unit stopped */
	const char *file;
	int line;
};

struct plan {
	struct op *ops;
	unsigned int nr_ops;
	unsigned int nr_refused;	/* units that need --force */
};

struct plan_opts {
	bool force;
	const struct target *only;	/* --domain, or NULL */
};

void plan_build(struct plan *p, const struct tree *want,
		const struct tree *live, const struct plan_opts *o);
void plan_free(struct plan *p);
void plan_clear(struct plan *p, const struct tree *live,
		const struct target *only, bool force);
void op_print(FILE *f, const struct op *op, bool dry_run);

/* ---- apply.c: run a plan, undoing everything on failure -------------- */

/* Return: 0, or EXIT_REFUSED after rolling back. */
int apply_plan(const struct plan *p, bool keep_going);

/* ---- export.c / show.c ------------------------------------------------- */

void export_tree(struct strbuf *sb, const struct tree *t);
void show_tree(FILE *f, const struct tree *t);
void dot_tree(FILE *f, const struct tree *t);

/* ---- cdi.c: a Container Device Interface spec of port files ---------- */

int cdi_spec(const struct tree *t, const struct target *only,
	     const char *dev_dir, const char *out);

/* ---- subcommands --------------------------------------------------------- */

int cmd_check(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_clear(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_dot(int argc, char **argv);
int cmd_cdi(int argc, char **argv);

#endif /* DLBCFG_H */
