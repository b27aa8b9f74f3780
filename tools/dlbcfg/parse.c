// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - a dlb.cfg file (libconfig syntax, see dlb.cfg(5)) into an
 * object tree, checked against the schema as it goes: unknown settings,
 * wrong types, values out of range or not allowed, bad or duplicate
 * names, links to nothing. Every problem is reported with its FILE:LINE
 * and object path, and parsing goes on so one run shows them all.
 *
 * Objects are groups with a `name` in lists named after the subdir that
 * holds them (`domains`, `queues`, `ports`), because directory names may
 * start with a digit, which a libconfig setting name may not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <libconfig.h>
#include <libgen.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dlb_name.h"
#include "dlbcfg.h"

/* Link priorities: 0 (highest) to 7; the schema documents it in prose. */
#define LINK_PRIO_MAX 7

struct parser {
	const struct schema *s;
	const char *file;	/* the top file, for settings without one */
	const char *dir;	/* its directory, where @include looks */
};

/*
 * libconfig names an included file as the @include line spells it; name
 * it as the user can open it, from the current directory.
 */
static const char *st_file(const struct parser *p, const config_setting_t *st)
{
	const char *f = config_setting_source_file(st);
	const char *r;
	char *full;

	if (!f)
		return intern(p->file);
	if (!strcmp(f, p->file) || f[0] == '/' || !p->dir ||
	    !strcmp(p->dir, "."))
		return intern(f);
	full = xasprintf("%s/%s", p->dir, f);
	r = intern(full);
	free(full);
	return r;
}

static int st_line(const config_setting_t *st)
{
	return config_setting_source_line(st);
}

#define ST_ERR(p, st, path, ...) \
	cfg_error(st_file(p, st), st_line(st), path, __VA_ARGS__)

static bool st_is_int(const config_setting_t *st)
{
	return config_setting_type(st) == CONFIG_TYPE_INT ||
	       config_setting_type(st) == CONFIG_TYPE_INT64;
}

static const char *type_word(const config_setting_t *st)
{
	switch (config_setting_type(st)) {
	case CONFIG_TYPE_GROUP: return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: return "an integer";
	case CONFIG_TYPE_FLOAT: return "a float";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL: return "a boolean";
	case CONFIG_TYPE_ARRAY: return "an array";
	case CONFIG_TYPE_LIST: return "a list";
	}
	return "nothing";
}

static char *values_list(const struct sch_attr *a)
{
	struct strbuf sb = { 0 };
	unsigned int i;

	for (i = 0; i < a->nr_values; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", a->values[i]);
	return sb.buf;
}

static bool in_values(const struct sch_attr *a, const char *v)
{
	unsigned int i;

	for (i = 0; i < a->nr_values; i++) {
		if (!strcmp(a->values[i], v))
			return true;
	}
	return false;
}

/*
 * One attribute's value as the kernel would show it, or NULL after
 * reporting why it cannot be.
 */
static char *parse_value(const struct parser *p, const config_setting_t *st,
			 const char *path, const struct sch_attr *a)
{
	const char *n = a->name;
	long long v, lo, hi;
	char *list, *out;

	switch (a->type) {
	case AT_U32:
	case AT_U64:
	case AT_INT:
		if (!st_is_int(st)) {
			ST_ERR(p, st, path, "%s: expects an integer, not %s",
			       n, type_word(st));
			return NULL;
		}
		v = config_setting_get_int64(st);
		lo = a->type == AT_INT ? INT32_MIN : 0;
		hi = a->type == AT_U32 ? UINT32_MAX :
		     a->type == AT_INT ? INT32_MAX : INT64_MAX;
		if (a->has_range) {
			lo = a->min;
			hi = a->max;
		}
		if (v < lo || v > hi) {
			ST_ERR(p, st, path, "%s: %lld is out of range %lld-%lld",
			       n, v, lo, hi);
			return NULL;
		}
		out = xasprintf("%lld", v);
		if (a->nr_values && !in_values(a, out)) {
			list = values_list(a);
			ST_ERR(p, st, path, "%s: %lld is not one of %s",
			       n, v, list);
			free(list);
			free(out);
			return NULL;
		}
		return out;
	case AT_ENUM:
		if (st_is_int(st))
			out = xasprintf("%lld", config_setting_get_int64(st));
		else if (config_setting_type(st) == CONFIG_TYPE_STRING)
			out = xstrdup(config_setting_get_string(st));
		else {
			ST_ERR(p, st, path, "%s: expects a string, not %s",
			       n, type_word(st));
			return NULL;
		}
		if (!in_values(a, out)) {
			list = values_list(a);
			ST_ERR(p, st, path, "%s: \"%s\" is not one of %s",
			       n, out, list);
			free(list);
			free(out);
			return NULL;
		}
		return out;
	case AT_UID:
	case AT_GID:
		if (st_is_int(st)) {
			v = config_setting_get_int64(st);
			/* (uid_t)-1 means "no change" to chown: never valid */
			if (v < 0 || v >= UINT32_MAX) {
				ST_ERR(p, st, path, "%s: %lld is not a valid %s",
				       n, v, sch_type_name(a->type));
				return NULL;
			}
			return xasprintf("%lld", v);
		}
		if (config_setting_type(st) == CONFIG_TYPE_STRING) {
			const char *name = config_setting_get_string(st);

			if (a->type == AT_UID) {
				struct passwd *pw = getpwnam(name);

				if (pw)
					return xasprintf("%u", pw->pw_uid);
			} else {
				struct group *gr = getgrnam(name);

				if (gr)
					return xasprintf("%u", gr->gr_gid);
			}
			ST_ERR(p, st, path, "%s: no %s named \"%s\"", n,
			       a->type == AT_UID ? "user" : "group", name);
			return NULL;
		}
		ST_ERR(p, st, path, "%s: expects a number or a name, not %s",
		       n, type_word(st));
		return NULL;
	case AT_START:
		if (config_setting_type(st) == CONFIG_TYPE_BOOL)
			return xstrdup(config_setting_get_bool(st) ? "1" : "0");
		if (st_is_int(st)) {
			v = config_setting_get_int64(st);
			if (v == 0 || v == 1)
				return xasprintf("%lld", v);
		}
		ST_ERR(p, st, path, "%s: expects true or false", n);
		return NULL;
	case AT_LINKS:
	case AT_ACTION:		/* not writable: refused before */
	case AT_STRING:
	case AT_COMMIT:		/* refused by name before */
		break;
	}
	ST_ERR(p, st, path, "%s: set in 'links', not directly", n);
	return NULL;
}

static void parse_links(const struct parser *p, struct obj *o,
			const config_setting_t *st, const char *path)
{
	const char *key = o->g->link_target->name, *target;
	unsigned int i, n;

	if (!config_setting_is_list(st) && !config_setting_is_array(st)) {
		ST_ERR(p, st, path, "links: expects a list, not %s",
		       type_word(st));
		return;
	}
	n = config_setting_length(st);
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(st, i);
		config_setting_t *m;
		int prio = -1;

		if (config_setting_type(e) == CONFIG_TYPE_STRING) {
			target = config_setting_get_string(e);
		} else if (config_setting_is_group(e)) {
			unsigned int j;

			target = NULL;
			for (j = 0; j < (unsigned int)config_setting_length(e); j++) {
				m = config_setting_get_elem(e, j);
				if (!strcmp(config_setting_name(m), key) &&
				    config_setting_type(m) == CONFIG_TYPE_STRING) {
					target = config_setting_get_string(m);
				} else if (!strcmp(config_setting_name(m), "priority") &&
					   st_is_int(m)) {
					long long v = config_setting_get_int64(m);

					if (v < 0 || v > LINK_PRIO_MAX) {
						ST_ERR(p, m, path, "links: priority %lld is out of range 0-%d",
						       v, LINK_PRIO_MAX);
						v = -1;
					}
					prio = v;
				} else {
					ST_ERR(p, m, path, "links: unknown or mistyped setting '%s' (a link has %s = \"...\" and priority = 0-%d)",
					       config_setting_name(m), key,
					       LINK_PRIO_MAX);
				}
			}
			if (!target) {
				ST_ERR(p, e, path, "links: a link needs %s = \"NAME\"",
				       key);
				continue;
			}
		} else {
			ST_ERR(p, e, path, "links: a link is a name or a group, not %s",
			       type_word(e));
			continue;
		}
		if (obj_link(o, target)) {
			ST_ERR(p, e, path, "links: %s \"%s\" linked twice",
			       key, target);
			continue;
		}
		obj_add_link(o, target, prio, st_file(p, e), st_line(e));
	}
	if (o->nr_links > o->g->link_max)
		ST_ERR(p, st, path, "links: %u links, at most %u",
		       o->nr_links, o->g->link_max);
}

static void parse_obj(const struct parser *p, const struct sch_group *g,
		      const config_setting_t *st, struct obj *parent,
		      int coll);

static void parse_coll(const struct parser *p, struct obj *o, int coll,
		       const config_setting_t *st, const char *path)
{
	const struct sch_group *kind = o->g->child_kind[coll];
	unsigned int i, n;

	if (!config_setting_is_list(st)) {
		ST_ERR(p, st, path, "%s: expects a list of groups ( { name = \"...\"; ... }, ... ), not %s",
		       config_setting_name(st), type_word(st));
		return;
	}
	n = config_setting_length(st);
	for (i = 0; i < n; i++)
		parse_obj(p, kind, config_setting_get_elem(st, i), o, coll);
}

static void parse_members(const struct parser *p, struct obj *o,
			  const config_setting_t *st, const char *path)
{
	unsigned int i, n = config_setting_length(st);

	for (i = 0; i < n; i++) {
		config_setting_t *m = config_setting_get_elem(st, i);
		const char *key = config_setting_name(m);
		const struct sch_attr *a;
		int coll;
		char *v;

		if (!strcmp(key, "name"))
			continue;
		coll = sch_find_subdir(o->g, key);
		if (coll >= 0 && o->g->child_kind[coll]) {
			parse_coll(p, o, coll, m, path);
			continue;
		}
		if (!strcmp(key, "links") && o->g->link_target) {
			parse_links(p, o, m, path);
			continue;
		}
		a = sch_find_attr(o->g, key);
		if (!a) {
			ST_ERR(p, m, path, "unknown attribute '%s' of a %s",
			       key, o->g->name);
			continue;
		}
		if (!a->writable) {
			ST_ERR(p, m, path, "%s is read-only", key);
			continue;
		}
		if (o->g == p->s->vdev && !strcmp(key, "commit")) {
			ST_ERR(p, m, path, "commit: not set in a file: apply commits every vdev it makes");
			continue;
		}
		v = parse_value(p, m, path, a);
		if (v) {
			obj_set_attr(o, a, v, st_file(p, m), st_line(m));
			free(v);
		}
	}
}

/*
 * A domain the file does not say to keep stopped is started: applying a
 * file means running it. export writes start = false for stopped ones.
 */
static void default_start(struct obj *o)
{
	const struct sch_attr *sa = sch_find_type(o->g, AT_START);

	if (sa && !obj_attr(o, sa->name))
		obj_set_attr(o, sa, "1", o->file, o->line);
}

static void parse_obj(const struct parser *p, const struct sch_group *g,
		      const config_setting_t *st, struct obj *parent, int coll)
{
	char *ppath = parent ? obj_path(parent) : xstrdup("");
	const char *name;
	struct obj *o;
	char *path;

	if (!config_setting_is_group(st)) {
		ST_ERR(p, st, ppath, "a %s is a group { name = \"...\"; ... }, not %s",
		       g->name, type_word(st));
		goto out;
	}
	if (!config_setting_lookup_string(st, "name", &name)) {
		ST_ERR(p, st, ppath, "a %s needs name = \"...\"", g->name);
		goto out;
	}
	/* Devices are named by the kernel; the rest by the user. */
	if (parent ? !dlb_obj_name_valid(name) :
		     (!*name || strchr(name, '/') || name[0] == '.')) {
		ST_ERR(p, st, ppath, "\"%s\" is not a valid %s name%s", name,
		       g->name, parent ? " ([a-z0-9][a-z0-9_-]*, at most 32)" : "");
		goto out;
	}
	if (parent && obj_child(parent, coll, name)) {
		ST_ERR(p, st, ppath, "%s \"%s\" defined twice", g->name, name);
		goto out;
	}
	o = obj_new(g, name, parent, coll);
	o->file = st_file(p, st);
	o->line = st_line(st);
	path = obj_path(o);
	parse_members(p, o, st, path);
	free(path);
	default_start(o);
out:
	free(ppath);
}

/* Links name objects defined anywhere in their scope: check them last. */
static void check_links(const struct parser *p, struct obj *o)
{
	unsigned int i, j;

	(void)p;
	if (o->nr_links) {
		const struct obj *scope;
		int coll;
		char *path = obj_path(o);

		scope = obj_link_scope(o, &coll);
		for (i = 0; i < o->nr_links; i++) {
			if (!scope || !obj_child(scope, coll, o->links[i].target))
				cfg_error(o->links[i].file, o->links[i].line,
					  path, "links: no %s \"%s\" in %s",
					  o->g->link_target->name,
					  o->links[i].target,
					  scope ? scope->name : "scope");
		}
		free(path);
	}
	for (i = 0; i < o->g->nr_subdirs; i++)
		for (j = 0; j < o->nr_children[i]; j++)
			check_links(p, o->children[i][j]);
}

static void parse_devices(const struct parser *p, struct tree *t,
			  const config_setting_t *list)
{
	unsigned int i, n;

	if (!config_setting_is_list(list)) {
		ST_ERR(p, list, "", "devices: expects a list of groups ( { name = \"dlb0\"; ... } ), not %s",
		       type_word(list));
		return;
	}
	n = config_setting_length(list);
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(list, i);
		const char *name;
		struct obj *o;

		if (config_setting_is_group(e) &&
		    config_setting_lookup_string(e, "name", &name) &&
		    tree_dev(t, name)) {
			ST_ERR(p, e, "", "device \"%s\" defined twice", name);
			continue;
		}
		/*
		 * parse_obj() frees a parentless object's shell only; build
		 * devices here instead so the tree keeps them.
		 */
		if (!config_setting_is_group(e) ||
		    !config_setting_lookup_string(e, "name", &name) ||
		    !*name || strchr(name, '/') || name[0] == '.') {
			parse_obj(p, p->s->root, e, NULL, 0);
			continue;
		}
		o = obj_new(p->s->root, name, NULL, 0);
		o->file = st_file(p, e);
		o->line = st_line(e);
		parse_members(p, o, e, name);
		t->devs = xrealloc(t->devs, (t->nr_devs + 1) * sizeof(o));
		t->devs[t->nr_devs++] = o;
	}
}

struct tree *parse_config(const struct schema *s, const char *file,
			  const char *text)
{
	struct parser p = { .s = s, .file = file };
	config_setting_t *root, *m;
	struct tree *t;
	unsigned int i, n;
	char *dir = NULL;
	config_t cfg;
	int ok;

	config_init(&cfg);
	if (text) {
		/* Fuzzing: @include must not reach the file system. */
		config_set_include_dir(&cfg, "/nonexistent-dlbcfg");
		ok = config_read_string(&cfg, text);
	} else {
		char *copy = xstrdup(file);

		/* @include is relative to the including file, like cpp's. */
		dir = xstrdup(dirname(copy));
		free(copy);
		config_set_include_dir(&cfg, dir);
		p.dir = dir;
		ok = config_read_file(&cfg, file);
	}
	if (!ok) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			cfg_error(file, 0, "", "cannot read the file: %s",
				  strerror(errno));
		else
			cfg_error(config_error_file(&cfg) ?
				  config_error_file(&cfg) : file,
				  config_error_line(&cfg), "", "syntax: %s",
				  config_error_text(&cfg));
		config_destroy(&cfg);
		free(dir);
		return NULL;
	}

	t = xcalloc(1, sizeof(*t));
	root = config_root_setting(&cfg);
	n = config_setting_length(root);
	for (i = 0; i < n; i++) {
		m = config_setting_get_elem(root, i);
		if (!strcmp(config_setting_name(m), "devices")) {
			parse_devices(&p, t, m);
		} else if (!strcmp(config_setting_name(m), "version")) {
			if (!st_is_int(m) || config_setting_get_int64(m) != 1)
				ST_ERR(&p, m, "", "version: only version = 1 is known");
		} else {
			ST_ERR(&p, m, "", "unknown setting '%s' (the file has version and devices)",
			       config_setting_name(m));
		}
	}
	for (i = 0; i < t->nr_devs; i++)
		check_links(&p, t->devs[i]);

	/* File names in the tree are interned: they outlive cfg. */
	config_destroy(&cfg);
	free(dir);
	return t;
}
