// SPDX-License-Identifier: GPL-2.0
/*
 * schema.c - configfs-schema/dlb.schema, read at run time: the kinds of
 * directories, where they live, how they are made, their attributes with
 * types, ranges, allowed values, defaults and whether they are frozen.
 * dlbcfg knows the configfs tree only through this file, so an attribute
 * added to the schema needs no change here.
 */
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>

#include "dlbcfg.h"

static const char *const type_names[] = {
	[AT_U32] = "u32", [AT_U64] = "u64", [AT_INT] = "int",
	[AT_ENUM] = "enum", [AT_UID] = "uid", [AT_GID] = "gid",
	[AT_START] = "start", [AT_LINKS] = "links", [AT_ACTION] = "action",
	[AT_STRING] = "string", [AT_COMMIT] = "commit",
};

const char *sch_type_name(enum attr_type t)
{
	return type_names[t];
}

static const char *schema_file;

static void __attribute__((noreturn))
sch_die(const config_setting_t *st, const char *what)
{
	die(EXIT_INVALID, "%s:%d: schema: %s", schema_file,
	    st ? (int)config_setting_source_line(st) : 0, what);
}

static const char *sch_string(const config_setting_t *st, const char *name)
{
	const char *v;

	if (!config_setting_lookup_string(st, name, &v))
		sch_die(st, xasprintf("missing string '%s'", name));
	return v;
}

static char **sch_strings(const config_setting_t *st, const char *name,
			  unsigned int *nr)
{
	config_setting_t *arr = config_setting_get_member(st, name);
	unsigned int i;
	char **out;

	*nr = 0;
	if (!arr)
		return NULL;
	if (!config_setting_is_array(arr) && !config_setting_is_list(arr))
		sch_die(arr, xasprintf("'%s' must be an array", name));
	*nr = config_setting_length(arr);
	out = xcalloc(*nr, sizeof(*out));
	for (i = 0; i < *nr; i++) {
		config_setting_t *e = config_setting_get_elem(arr, i);

		if (config_setting_type(e) == CONFIG_TYPE_STRING)
			out[i] = xstrdup(config_setting_get_string(e));
		else if (config_setting_type(e) == CONFIG_TYPE_INT ||
			 config_setting_type(e) == CONFIG_TYPE_INT64)
			out[i] = xasprintf("%lld",
					   config_setting_get_int64(e));
		else
			sch_die(e, "values must be strings or integers");
	}
	return out;
}

static void sch_attr_load(struct sch_attr *a, const config_setting_t *st)
{
	const char *mode = sch_string(st, "mode"), *type;
	long long v;
	unsigned int t;
	int b;

	a->name = xstrdup(sch_string(st, "name"));
	a->mode = strtoul(mode, NULL, 8);
	a->writable = a->mode & 0200;
	type = sch_string(st, "type");
	for (t = 0; t < sizeof(type_names) / sizeof(type_names[0]); t++) {
		if (!strcmp(type, type_names[t]))
			break;
	}
	if (t == sizeof(type_names) / sizeof(type_names[0]))
		sch_die(st, xasprintf("unknown type '%s'", type));
	a->type = t;
	/* an action (force_stop) is write-only and not configuration */
	if (a->type == AT_ACTION || a->type == AT_STRING)
		a->writable = false;
	if (config_setting_lookup_int64(st, "min", &v)) {
		a->has_range = true;
		a->min = v;
		if (!config_setting_lookup_int64(st, "max", &v))
			sch_die(st, "min without max");
		a->max = v;
	} else {
		int iv;

		/* libconfig keeps small numbers as int, not int64 */
		if (config_setting_lookup_int(st, "min", &iv)) {
			a->has_range = true;
			a->min = iv;
			if (!config_setting_lookup_int(st, "max", &iv))
				sch_die(st, "min without max");
			a->max = iv;
		}
	}
	a->values = sch_strings(st, "values", &a->nr_values);
	if (a->type == AT_ENUM && !a->nr_values)
		sch_die(st, "an enum needs values");
	a->def = xstrdup(sch_string(st, "default"));
	if (config_setting_lookup_bool(st, "frozen", &b))
		a->frozen = b;
}

/* Segments of a schema path, "dlb/<dev>/domains/<domain>" */
static unsigned int path_depth(const char *p)
{
	unsigned int n = 1;

	for (; *p; p++)
		n += *p == '/';
	return n;
}

/* The kind of object made by mkdir directly in @g's subdir @sub. */
static struct sch_group *find_child_kind(struct schema *s,
					 const struct sch_group *g,
					 const char *sub)
{
	size_t plen = strlen(g->path), slen = strlen(sub);
	unsigned int i;

	for (i = 0; i < s->nr_groups; i++) {
		struct sch_group *c = &s->groups[i];

		if (c->made_by != MADE_BY_MKDIR ||
		    path_depth(c->path) != path_depth(g->path) + 2)
			continue;
		if (!strncmp(c->path, g->path, plen) && c->path[plen] == '/' &&
		    !strncmp(c->path + plen + 1, sub, slen) &&
		    c->path[plen + 1 + slen] == '/')
			return c;
	}
	return NULL;
}

static void sch_group_load(struct sch_group *g, const config_setting_t *st)
{
	const char *made_by = sch_string(st, "made_by");
	config_setting_t *attrs, *links;
	unsigned int i;

	g->name = xstrdup(sch_string(st, "name"));
	g->path = xstrdup(sch_string(st, "path"));
	if (!strcmp(made_by, "device"))
		g->made_by = MADE_BY_DEVICE;
	else if (!strcmp(made_by, "default"))
		g->made_by = MADE_BY_DEFAULT;
	else if (!strcmp(made_by, "mkdir"))
		g->made_by = MADE_BY_MKDIR;
	else
		sch_die(st, xasprintf("unknown made_by '%s'", made_by));
	g->subdirs = sch_strings(st, "subdirs", &g->nr_subdirs);
	attrs = config_setting_get_member(st, "attributes");
	if (!attrs || !config_setting_is_list(attrs))
		sch_die(st, "'attributes' must be a list");
	g->nr_attrs = config_setting_length(attrs);
	g->attrs = xcalloc(g->nr_attrs, sizeof(*g->attrs));
	for (i = 0; i < g->nr_attrs; i++)
		sch_attr_load(&g->attrs[i], config_setting_get_elem(attrs, i));
	links = config_setting_get_member(st, "links");
	if (links) {
		int max;

		if (!config_setting_lookup_int(links, "max", &max) || max < 1)
			sch_die(links, "links need a max >= 1");
		g->link_max = max;
		/* resolved once every group is loaded */
		g->link_target = (void *)xstrdup(sch_string(links, "target"));
	}
}

/*
 * A vdev's domains/ holds the domains of the device it is committed as
 * (dlb0/vdevs/NAME/domains/DOMAIN): the same kind as a device's, so give
 * the vdev's "domains" subdir the device's domain kind. A file never names
 * a vdev's dynamic dlbN.
 */
static void vdev_domains(struct schema *s)
{
	struct sch_group *v, *dom;
	int vc = sch_find_subdir(s->root, "vdevs");
	int dc = sch_find_subdir(s->root, "domains");
	int n;

	if (vc < 0 || dc < 0 || !s->root->child_kind[vc] ||
	    !s->root->child_kind[dc])
		return;
	v = s->root->child_kind[vc];
	dom = s->root->child_kind[dc];
	n = sch_find_subdir(v, "domains");
	if (!sch_find_attr(v, "commit") || !sch_find_attr(v, "device") ||
	    n < 0)
		sch_die(NULL, "the vdev group needs commit and device attributes and a domains subdir");
	v->child_kind[n] = dom;
	s->vdev = v;
}

struct schema *schema_load(const char *file)
{
	struct schema *s = xcalloc(1, sizeof(*s));
	config_setting_t *groups;
	unsigned int i, j;
	config_t cfg;

	schema_file = file;
	config_init(&cfg);
	if (!config_read_file(&cfg, file)) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			die(EXIT_USAGE, "%s: cannot read the schema (use --schema or DLBCFG_SCHEMA)",
			    file);
		die(EXIT_INVALID, "%s:%d: schema: %s", file,
		    config_error_line(&cfg), config_error_text(&cfg));
	}
	s->file = xstrdup(file);
	groups = config_lookup(&cfg, "groups");
	if (!groups || !config_setting_is_list(groups))
		sch_die(config_root_setting(&cfg), "no 'groups' list");
	s->nr_groups = config_setting_length(groups);
	s->groups = xcalloc(s->nr_groups, sizeof(*s->groups));
	for (i = 0; i < s->nr_groups; i++)
		sch_group_load(&s->groups[i], config_setting_get_elem(groups, i));

	for (i = 0; i < s->nr_groups; i++) {
		struct sch_group *g = &s->groups[i];

		if (g->made_by == MADE_BY_DEVICE) {
			if (s->root)
				sch_die(groups, "more than one device group");
			s->root = g;
		}
		g->child_kind = xcalloc(g->nr_subdirs, sizeof(*g->child_kind));
		for (j = 0; j < g->nr_subdirs; j++) {
			struct sch_group *c = find_child_kind(s, g,
							      g->subdirs[j]);

			g->child_kind[j] = c;
			if (c) {
				c->parent = g;
				c->coll = g->subdirs[j];
			}
		}
		if (g->link_target) {
			char *name = (char *)g->link_target;

			g->link_target = NULL;
			for (j = 0; j < s->nr_groups; j++) {
				if (!strcmp(s->groups[j].name, name))
					g->link_target = &s->groups[j];
			}
			if (!g->link_target)
				sch_die(groups, xasprintf("link target '%s' is no group",
							  name));
			free(name);
		}
	}
	if (!s->root)
		sch_die(groups, "no device group");
	vdev_domains(s);
	config_destroy(&cfg);
	return s;
}

void schema_free(struct schema *s)
{
	unsigned int i, j, k;

	if (!s)
		return;
	for (i = 0; i < s->nr_groups; i++) {
		struct sch_group *g = &s->groups[i];

		for (j = 0; j < g->nr_attrs; j++) {
			struct sch_attr *a = &g->attrs[j];

			for (k = 0; k < a->nr_values; k++)
				free(a->values[k]);
			free(a->values);
			free(a->name);
			free(a->def);
		}
		for (j = 0; j < g->nr_subdirs; j++)
			free(g->subdirs[j]);
		free(g->subdirs);
		free(g->child_kind);
		free(g->attrs);
		free(g->name);
		free(g->path);
	}
	free(s->groups);
	free(s->file);
	free(s);
}

const struct sch_attr *sch_find_attr(const struct sch_group *g,
				     const char *name)
{
	unsigned int i;

	for (i = 0; i < g->nr_attrs; i++) {
		if (!strcmp(g->attrs[i].name, name))
			return &g->attrs[i];
	}
	return NULL;
}

const struct sch_attr *sch_find_type(const struct sch_group *g,
				     enum attr_type type)
{
	unsigned int i;

	for (i = 0; i < g->nr_attrs; i++) {
		if (g->attrs[i].type == type)
			return &g->attrs[i];
	}
	return NULL;
}

int sch_find_subdir(const struct sch_group *g, const char *name)
{
	unsigned int i;

	for (i = 0; i < g->nr_subdirs; i++) {
		if (!strcmp(g->subdirs[i], name))
			return i;
	}
	return -1;
}
