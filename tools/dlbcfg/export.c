// SPDX-License-Identifier: GPL-2.0
/*
 * export.c - a tree written as a dlb.cfg file: every writable attribute
 * (so applying it anywhere gives the same configuration, whatever the
 * defaults there), links with their priorities, and whether each domain
 * is started; never read-only state (ids, depths, generations).
 */
#include <stdlib.h>
#include <string.h>

#include "dlbcfg.h"

static void indent(struct strbuf *sb, int n)
{
	sb_printf(sb, "%*s", 2 * n, "");
}

/* Names are checked on the way in; quote anyway for names made by hand. */
static void quoted(struct strbuf *sb, const char *s)
{
	sb_printf(sb, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_printf(sb, "\\%c", *s);
		else
			sb_printf(sb, "%c", *s);
	}
	sb_printf(sb, "\"");
}

static void export_obj(struct strbuf *sb, const struct obj *o, int lvl)
{
	unsigned int i, j;

	indent(sb, lvl);
	sb_printf(sb, "{\n");
	indent(sb, lvl + 1);
	sb_printf(sb, "name = ");
	quoted(sb, o->name);
	sb_printf(sb, ";\n");
	/* schema order, so exports of equal trees are equal */
	for (i = 0; i < o->g->nr_attrs; i++) {
		const struct sch_attr *sa = &o->g->attrs[i];
		const struct obj_attr *a = obj_attr(o, sa->name);

		/* a vdev in a file is committed by apply */
		if (!sa->writable || sa->type == AT_LINKS || !a ||
		    (obj_is_vdev(o) && !strcmp(sa->name, "commit")))
			continue;
		indent(sb, lvl + 1);
		sb_printf(sb, "%s = ", sa->name);
		if (sa->type == AT_START)
			sb_printf(sb, "%s", strcmp(a->val, "0") ? "true" : "false");
		else if (sa->type == AT_ENUM)
			quoted(sb, a->val);
		else
			sb_printf(sb, "%s", a->val);
		sb_printf(sb, ";\n");
	}
	if (o->nr_links) {
		indent(sb, lvl + 1);
		sb_printf(sb, "links = (\n");
		for (i = 0; i < o->nr_links; i++) {
			indent(sb, lvl + 2);
			sb_printf(sb, "{ %s = ", o->g->link_target->name);
			quoted(sb, o->links[i].target);
			if (o->links[i].prio >= 0)
				sb_printf(sb, "; priority = %d", o->links[i].prio);
			sb_printf(sb, "; }%s\n", i + 1 < o->nr_links ? "," : "");
		}
		indent(sb, lvl + 1);
		sb_printf(sb, ");\n");
	}
	for (i = 0; i < o->g->nr_subdirs; i++) {
		if (!o->g->child_kind[i] || !o->nr_children[i])
			continue;
		indent(sb, lvl + 1);
		sb_printf(sb, "%s = (\n", o->g->subdirs[i]);
		for (j = 0; j < o->nr_children[i]; j++) {
			export_obj(sb, o->children[i][j], lvl + 2);
			if (j + 1 < o->nr_children[i])
				sb->buf[sb->len - 1] = ',', sb_printf(sb, "\n");
		}
		indent(sb, lvl + 1);
		sb_printf(sb, ");\n");
	}
	indent(sb, lvl);
	sb_printf(sb, "}\n");
}

void export_tree(struct strbuf *sb, const struct tree *t)
{
	unsigned int i;

	sb_printf(sb, "# dlb configuration (dlb.cfg(5)), written by dlbcfg export.\n");
	sb_printf(sb, "version = 1;\n");
	sb_printf(sb, "devices = (\n");
	for (i = 0; i < t->nr_devs; i++) {
		export_obj(sb, t->devs[i], 1);
		if (i + 1 < t->nr_devs)
			sb->buf[sb->len - 1] = ',', sb_printf(sb, "\n");
	}
	sb_printf(sb, ");\n");
}
