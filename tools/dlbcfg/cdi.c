// SPDX-License-Identifier: GPL-2.0
/*
 * cdi.c - a Container Device Interface spec (the JSON file podman and
 * containerd read from /etc/cdi/) for the port files of started domains:
 * one CDI device per domain, and one per vdev with all its domains' port
 * files, so `podman run --device dlb.dev/domain=NAME` hands a container
 * exactly those character devices. Names follow the configfs paths with
 * dots: dlb0.DOMAIN, dlb0.vdevs.VDEV, dlb0.vdevs.VDEV.DOMAIN (object names
 * have no dots, so they never collide).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "dlbcfg.h"

/* The oldest CDI version with every field written here (podman 4.3 reads it). */
#define CDI_VERSION	"0.3.0"
#define CDI_KIND	"dlb.dev/domain"

struct cdi_dev {
	char *name;
	struct strbuf nodes;	/* deviceNodes entries, JSON */
	unsigned int nr_nodes;
};

struct cdi {
	struct cdi_dev *devs;
	unsigned int nr_devs;
	const char *dev_dir;	/* /dev/dlb */
	unsigned int nr_skipped;
};

static struct cdi_dev *cdi_add(struct cdi *c, char *name)
{
	struct cdi_dev *d;

	c->devs = xrealloc(c->devs, (c->nr_devs + 1) * sizeof(*d));
	d = &c->devs[c->nr_devs++];
	memset(d, 0, sizeof(*d));
	d->name = name;
	return d;
}

/* One port file as a deviceNodes entry; false if it is not there. */
static bool add_node(struct cdi_dev *d, const char *path)
{
	struct stat st;

	errno = 0;
	if (stat(path, &st) || !S_ISCHR(st.st_mode))
		return false;
	sb_printf(&d->nodes,
		  "%s\n          { \"path\": \"%s\", \"type\": \"c\", \"major\": %u, \"minor\": %u, \"fileMode\": %u, \"permissions\": \"rw\", \"uid\": %u, \"gid\": %u }",
		  d->nr_nodes ? "," : "", path, major(st.st_rdev),
		  minor(st.st_rdev), (unsigned int)(st.st_mode & 07777),
		  (unsigned int)st.st_uid, (unsigned int)st.st_gid);
	d->nr_nodes++;
	return true;
}

/*
 * The port files of the live domain @dom of device @devname onto each of
 * @to (the domain's CDI device, and its vdev's). A stopped domain has no
 * port files: it is skipped with a warning.
 */
static void add_domain(struct cdi *c, const char *devname,
		       const struct obj *dom, struct cdi_dev **to,
		       unsigned int nr_to)
{
	const struct obj_attr *st = obj_attr(dom, "start");
	int pc = sch_find_subdir(dom->g, "ports");
	unsigned int i, j;
	char *rel = obj_path(dom);

	if (!st || strcmp(st->val, "1") || pc < 0) {
		warning("%s: not started, so it has no port files; left out",
		      rel);
		c->nr_skipped++;
		free(rel);
		return;
	}
	for (i = 0; i < dom->nr_children[pc]; i++) {
		char *path = xasprintf("%s/%s/%s/%s", c->dev_dir, devname,
				       dom->name, dom->children[pc][i]->name);

		for (j = 0; j < nr_to; j++) {
			if (!add_node(to[j], path)) {
				warning("%s: %s: %s", rel, path,
				      errno ? strerror(errno) :
					      "not a character device");
				c->nr_skipped++;
				break;
			}
		}
		free(path);
	}
	free(rel);
}

/* The device name a live vdev is, or NULL if not committed. */
static const char *vdev_device(const struct obj *vd)
{
	const struct obj_attr *a = obj_attr(vd, "device");

	return vdev_committed(vd) && a && *a->val ? a->val : NULL;
}

/*
 * The CDI devices of @dev, a live device pruned to what @only names: each
 * domain; each vdev (if @only names it whole) and each of its domains.
 */
static void cdi_device(struct cdi *c, const struct obj *dev,
		       const struct target *only)
{
	unsigned int k, i, j, vi;

	for (k = 0; k < dev->g->nr_subdirs; k++) {
		for (i = 0; i < dev->nr_children[k]; i++) {
			const struct obj *o = dev->children[k][i];
			struct cdi_dev *to[2];
			unsigned int nr_to = 1;
			const char *vdn;
			int dc;

			if (sch_find_type(o->g, AT_START)) {
				to[0] = cdi_add(c, xasprintf("%s.%s", dev->name,
							     o->name));
				add_domain(c, dev->name, o, to, 1);
				continue;
			}
			if (!obj_is_vdev(o))
				continue;
			vdn = vdev_device(o);
			if (!vdn) {
				warning("%s/vdevs/%s: not committed; left out",
				      dev->name, o->name);
				c->nr_skipped++;
				continue;
			}
			dc = obj_domains(o);
			vi = c->nr_devs;
			if (target_vdev(only, o)) {
				cdi_add(c, xasprintf("%s.vdevs.%s", dev->name,
						     o->name));
				nr_to = 2;
			}
			for (j = 0; j < o->nr_children[dc]; j++) {
				const struct obj *dom = o->children[dc][j];

				to[nr_to - 1] = cdi_add(c, xasprintf("%s.vdevs.%s.%s",
								     dev->name, o->name,
								     dom->name));
				/* cdi_add() moves c->devs */
				if (nr_to == 2)
					to[0] = &c->devs[vi];
				add_domain(c, vdn, dom, to, nr_to);
			}
		}
	}
}

static void cdi_write(struct strbuf *sb, const struct cdi *c)
{
	unsigned int i, n = 0;

	sb_printf(sb, "{\n  \"cdiVersion\": \"%s\",\n  \"kind\": \"%s\",\n  \"devices\": [",
		  CDI_VERSION, CDI_KIND);
	for (i = 0; i < c->nr_devs; i++) {
		const struct cdi_dev *d = &c->devs[i];

		/* CDI wants edits in every device: one without ports has none */
		if (!d->nr_nodes)
			continue;
		sb_printf(sb, "%s\n    {\n      \"name\": \"%s\",\n      \"containerEdits\": {\n        \"deviceNodes\": [%s\n        ]\n      }\n    }",
			  n++ ? "," : "", d->name, d->nodes.buf);
	}
	sb_printf(sb, "\n  ]\n}\n");
}

/*
 * Write the spec for the live tree @t, pruned to what @only names (see
 * live_read()), to @out (NULL or "-": standard output).
 * Return: an exit status.
 */
int cdi_spec(const struct tree *t, const struct target *only,
	     const char *dev_dir, const char *out)
{
	bool one = only->dom || only->vdev;
	struct cdi c = { .dev_dir = dev_dir };
	struct strbuf sb = { 0 };
	unsigned int i, nr = 0;
	int status = EXIT_OK;

	for (i = 0; i < t->nr_devs; i++)
		cdi_device(&c, t->devs[i], only);
	for (i = 0; i < c.nr_devs; i++)
		nr += c.devs[i].nr_nodes > 0;
	if (one && !c.nr_devs) {
		warning("%s/%s%s%s: no such domain", only->dev ?: "*",
		      only->vdev ? "vdevs/" : "", only->vdev ?: "",
		      only->dom ? only->dom : "");
		status = EXIT_REFUSED;
	} else if (one && !nr) {
		status = EXIT_REFUSED;	/* said why above */
	}
	if (!status) {
		cdi_write(&sb, &c);
		if (!out || !strcmp(out, "-"))
			fwrite(sb.buf, 1, sb.len, stdout);
		else if (write_file_atomic(out, sb.buf, sb.len))
			die(EXIT_REFUSED, "%s: %s", out, strerror(errno));
	}
	for (i = 0; i < c.nr_devs; i++) {
		free(c.devs[i].name);
		sb_free(&c.devs[i].nodes);
	}
	free(c.devs);
	sb_free(&sb);
	return status;
}
