// SPDX-License-Identifier: BSD-3-Clause
/*
 * dlbk_cfs.c - event_dlbk's control plane: the device's resources from
 * sysfs, and the managed domain in configfs (built and started from the
 * eventdev configuration at rte_event_dev_start(), stopped, removed, its
 * links changed while running). Every step that fails is undone before
 * the error is returned: nothing is left half-made in configfs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <eventdev_pmd.h>

#include "event_dlbk.h"

static int __rte_format_printf(2, 3)
cfs_path(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* Write @val to the attribute @path in one write(); -errno, logged. */
static int cfs_write(const char *path, const char *val)
{
	int err = attr_write(path, val);

	if (err)
		DLBK_LOG(ERR, "writing \"%s\" to %s failed: %s", val, path,
			 strerror(-err));
	return err;
}

static int cfs_write_u32(const char *path, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", v);
	return cfs_write(path, buf);
}

/*
 * The domain's configfs directory, d->path: under the device's own
 * (sysfs config_dir: a vdev's is in its parent's tree). -errno, logged.
 */
int dlbk_domain_path(struct dlbk_dev *d)
{
	char dir[PATH_MAX];
	int err;

	err = dlb_config_dir(NULL, NULL, d->dlbdev, dir, sizeof(dir));
	if (err) {
		DLBK_LOG(ERR, "cannot read %s: %s", dir, strerror(-err));
		return err;
	}
	return cfs_path(d->path, "%s/domains/%s", dir, d->domain);
}

/*
 * The configfs (and port file) name of eventdev port @p or queue @q: the
 * administrator's in attach mode, pNN or qNN in a domain the driver built.
 */
const char *dlbk_port_name(const struct dlbk_dev *d, unsigned int p,
			   char buf[DLBK_OBJ_NAME_SIZE])
{
	if (d->attach)
		return d->att.p[p].name;
	snprintf(buf, DLBK_OBJ_NAME_SIZE, "p%02u", p);
	return buf;
}

const char *dlbk_queue_name(const struct dlbk_dev *d, unsigned int q,
			    char buf[DLBK_OBJ_NAME_SIZE])
{
	if (d->attach)
		return d->att.q[q].name;
	snprintf(buf, DLBK_OBJ_NAME_SIZE, "q%02u", q);
	return buf;
}

/*
 * Read the device's resources from sysfs, @which "total_resources" (what
 * it has: the limits the driver reports) or "avail_resources" (what no
 * domain holds now: what a start can have).
 */
int dlbk_read_rsrc(const char *dlbdev, const char *which,
		   struct dlbk_rsrc *r)
{
	static const struct {
		const char *name;
		size_t off;
	} attrs[] = {
#define DLB_RES(_enum, _name, _what) \
		{ #_name, offsetof(struct dlbk_rsrc, _name) },
#include "dlb_resource_table.h"
#undef DLB_RES
	};
	char path[PATH_MAX];
	unsigned int i;
	uint32_t v;
	int err;

	for (i = 0; i < RTE_DIM(attrs); i++) {
		err = cfs_path(path, DLB_SYSFS_CLASS "/%s/%s/%s", dlbdev, which,
			       attrs[i].name);
		if (!err)
			err = attr_read_u32(path, &v);
		if (err == -ENOENT && i == 0) {
			DLBK_LOG(ERR, "no dlb device %s (%s/%s): is the dlb module loaded?",
				 dlbdev, DLB_SYSFS_CLASS, dlbdev);
			return -ENODEV;
		}
		if (err) {
			DLBK_LOG(ERR, "cannot read %s: %s", path, strerror(-err));
			return err;
		}
		*(uint32_t *)((char *)r + attrs[i].off) = v;
	}
	return 0;
}

/* Remove every symlink in the directory @dir (a port's links). */
static int cfs_unlink_all(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dp;
	int err = 0;

	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((de = readdir(dp))) {
		if (de->d_type != DT_LNK)
			continue;
		err = cfs_path(path, "%s/%s", dir, de->d_name);
		if (!err && unlink(path))
			err = -errno;
		if (err) {
			DLBK_LOG(ERR, "cannot remove the link %s/%s: %s", dir,
				 de->d_name, strerror(-err));
			break;
		}
	}
	closedir(dp);
	return err;
}

/* rmdir every subdirectory of @dir, after @fn on it if given. */
static int cfs_rmdir_all(const char *dir, int (*fn)(const char *))
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dp;
	int err = 0;

	dp = opendir(dir);
	if (!dp)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dp))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		err = cfs_path(path, "%s/%s", dir, de->d_name);
		if (!err && fn)
			err = fn(path);
		if (!err && rmdir(path))
			err = -errno;
		if (err) {
			DLBK_LOG(ERR, "cannot remove %s: %s", path, strerror(-err));
			break;
		}
	}
	closedir(dp);
	return err;
}

int dlbk_domain_stop(struct dlbk_dev *d)
{
	char path[PATH_MAX];
	int err;

	err = cfs_path(path, "%s/start", d->path);
	return err ?: cfs_write(path, "0");
}

/*
 * Remove the domain at @path: stop it if started, unlink, rmdir ports,
 * queues and the domain. A domain whose port files are open belongs to a
 * live application: -EBUSY, and nothing is touched.
 */
int dlbk_domain_remove(struct dlbk_dev *d, const char *path)
{
	char p[PATH_MAX];
	uint32_t started = 0, open_ports = 0;
	int err;

	err = cfs_path(p, "%s/start", path);
	if (!err)
		err = attr_read_u32(p, &started);
	if (err == -ENOENT)
		return 0;
	if (err)
		return err;
	if (started) {
		err = cfs_path(p, "%s/open_ports", path);
		if (!err)
			err = attr_read_u32(p, &open_ports);
		if (err)
			return err;
		if (open_ports) {
			DLBK_LOG(ERR, "domain %s of %s is in use: %u of its port files are open",
				 d->domain, d->dlbdev, open_ports);
			return -EBUSY;
		}
		err = cfs_path(p, "%s/start", path);
		if (!err)
			err = cfs_write(p, "0");
		if (err)
			return err;
	}
	err = cfs_path(p, "%s/ports", path);
	if (!err)
		err = cfs_rmdir_all(p, cfs_unlink_all);
	if (!err)
		err = cfs_path(p, "%s/queues", path);
	if (!err)
		err = cfs_rmdir_all(p, NULL);
	if (!err && rmdir(path)) {
		err = -errno;
		DLBK_LOG(ERR, "cannot remove %s: %s", path, strerror(-err));
	}
	return err;
}

static uint32_t pow2_floor(uint32_t v)
{
	return v ? 1u << (31 - __builtin_clz(v)) : 0;
}

static uint32_t pow2_ceil(uint32_t v)
{
	return v <= 1 ? 1 : 1u << (32 - __builtin_clz(v - 1));
}

/* The values of a queue's configfs sched_type. */
const char *const dlbk_sched_names[DLBK_NUM_SCHED] = {
	[DLB_SCHED_ATOMIC] = "atomic",
	[DLB_SCHED_UNORDERED] = "unordered",
	[DLB_SCHED_ORDERED] = "ordered",
	[DLB_SCHED_DIRECTED] = "directed",
	[DLBK_SCHED_ALL] = "all",
};

/* Whether a queue of sched_type @sched reserves what events of @type need. */
static bool dlbk_sched_has(uint8_t sched, uint8_t type)
{
	return sched == type || sched == DLBK_SCHED_ALL;
}

/*
 * Check what dlb's start rules would refuse with a message naming the
 * eventdev object, and decide which ports are directed.
 */
static int dlbk_domain_check(struct rte_eventdev *dev)
{
	struct dlbk_dev *d = dev->data->dev_private;
	unsigned int q, p, nlinks;

	for (q = 0; q < d->nb_queues; q++) {
		if (!d->queues[q].set_up) {
			DLBK_LOG(ERR, "queue %u was not set up", q);
			return -EINVAL;
		}
	}
	for (p = 0; p < d->nb_ports; p++) {
		struct dlbk_evport *ep = dev->data->ports[p];

		if (!ep) {
			DLBK_LOG(ERR, "port %u was not set up", p);
			return -ESTALE;
		}
		ep->dir = false;
		for (q = 0; q < d->nb_queues; q++)
			if (ep->linked[q] && d->queues[q].dir)
				ep->dir = true;
		nlinks = 0;
		for (q = 0; q < d->nb_queues; q++)
			nlinks += ep->linked[q];
		if (ep->dir && nlinks != 1) {
			DLBK_LOG(ERR, "port %u links a single-link queue and %u other queues: a single-link queue's port links it alone",
				 p, nlinks - 1);
			return -EINVAL;
		}
	}
	for (q = 0; q < d->nb_queues; q++) {
		nlinks = 0;
		for (p = 0; p < d->nb_ports; p++)
			nlinks += ((struct dlbk_evport *)dev->data->ports[p])->linked[q];
		if (!nlinks) {
			DLBK_LOG(ERR, "queue %u has no linked port: dlb starts a domain only when every queue is linked",
				 q);
			return -ENOLINK;
		}
		if (d->queues[q].dir && nlinks != 1) {
			DLBK_LOG(ERR, "single-link queue %u is linked to %u ports", q,
				 nlinks);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Make the queue or port directory @parent/@prefix<NN> (@prefix is
 * "queues/q" or "ports/p") into @dir and set its type: -errno, logged.
 */
static int cfs_make_object(char *dir, const char *parent, const char *prefix,
			   unsigned int i, bool is_dir)
{
	char path[PATH_MAX];
	int err;

	err = cfs_path(dir, "%s/%s%02u", parent, prefix, i);
	if (err)
		return err;
	if (mkdir(dir, 0755)) {
		err = -errno;
		DLBK_LOG(ERR, "cannot make %s: %s", dir, strerror(-err));
		return err;
	}
	return cfs_path(path, "%s/type", dir) ?:
	       cfs_write(path, is_dir ? "dir" : "ldb");
}

static int dlbk_queue_build(struct dlbk_dev *d, unsigned int q,
			    uint32_t seq_cap, uint32_t inflights)
{
	const struct dlbk_queue *dq = &d->queues[q];
	char dir[PATH_MAX], path[PATH_MAX];
	int err;

	err = cfs_make_object(dir, d->path, "queues/q", q, dq->dir);
	if (!err)
		err = cfs_path(path, "%s/sched_type", dir) ?:
		      cfs_write(path, dlbk_sched_names[dq->sched]);
	if (!err && dlbk_sched_has(dq->sched, DLB_SCHED_ORDERED)) {
		uint32_t seq = RTE_MIN(RTE_MAX(pow2_ceil(dq->nb_seq), 64u),
				       seq_cap);

		err = cfs_path(path, "%s/sequence_numbers", dir) ?:
		      cfs_write_u32(path, seq);
	}
	if (!err && dlbk_sched_has(dq->sched, DLB_SCHED_ATOMIC))
		err = cfs_path(path, "%s/atomic_inflights", dir) ?:
		      cfs_write_u32(path, inflights);
	return err;
}

static int dlbk_port_build(struct rte_eventdev *dev, unsigned int p)
{
	struct dlbk_dev *d = dev->data->dev_private;
	struct dlbk_evport *ep = dev->data->ports[p];
	char dir[PATH_MAX], path[PATH_MAX], target[PATH_MAX], buf[32];
	unsigned int q;
	int err;

	err = cfs_make_object(dir, d->path, "ports/p", p, ep->dir);
	if (!err)
		err = cfs_path(path, "%s/cq_depth", dir) ?:
		      cfs_write_u32(path, ep->cq_depth);
	if (!err && !ep->dir)
		err = cfs_path(path, "%s/hist_list_size", dir) ?:
		      cfs_write_u32(path, ep->cq_depth);
	for (q = 0; !err && q < d->nb_queues; q++) {
		if (!ep->linked[q])
			continue;
		err = cfs_path(target, "%s/queues/q%02u", d->path, q) ?:
		      cfs_path(path, "%s/q%02u", dir, q);
		if (!err && symlink(target, path)) {
			err = -errno;
			DLBK_LOG(ERR, "cannot link port %u to queue %u (%s): %s",
				 p, q, path, strerror(-err));
		}
		if (!err && !ep->dir) {
			snprintf(buf, sizeof(buf), "q%02u %u", q, ep->link_prio[q]);
			err = cfs_path(path, "%s/link_priorities", dir) ?:
			      cfs_write(path, buf);
		}
	}
	return err;
}

static int dlbk_read_id(const char *fmt_dir, const char *base, unsigned int i,
			int *id)
{
	char path[PATH_MAX];
	uint32_t v;
	int err;

	err = cfs_path(path, fmt_dir, base, i);
	if (!err)
		err = attr_read_u32(path, &v);
	/* -EINVAL: not a number, e.g. -1, which a domain not started shows. */
	if (err == -EINVAL || (!err && v > 255)) {
		DLBK_LOG(ERR, "%s is not an id (0-255) after start", path);
		return -EIO;
	}
	if (err) {
		DLBK_LOG(ERR, "cannot read %s: %s", path, strerror(-err));
		return err;
	}
	*id = (int)v;
	return 0;
}

static int dlbk_domain_ids(const struct dlbk_dev *d, uint32_t *uid,
			   uint32_t *gid)
{
	char path[PATH_MAX];

	return cfs_path(path, "%s/uid", d->path) ?: attr_read_u32(path, uid) ?:
	       cfs_path(path, "%s/gid", d->path) ?: attr_read_u32(path, gid);
}

/*
 * Which directory in d->path/@kind ("queues" or "ports") is not named as
 * start names them (q00.., p00..), in @why; NULL if none.
 */
static const char *dlbk_domain_misnamed(const struct dlbk_dev *d,
					const char *kind, char *why,
					size_t len)
{
	char dir[PATH_MAX];
	struct dirent *de;
	const char *ret = NULL;
	DIR *dp;

	if (cfs_path(dir, "%s/%s", d->path, kind))
		return "its path is too long";
	dp = opendir(dir);
	if (!dp)
		return "its objects cannot be read";
	while ((de = readdir(dp))) {
		char buf[DLBK_OBJ_NAME_SIZE];
		const char *n = de->d_name;
		bool queue = kind[0] == 'q';
		unsigned int i, max = queue ? DLBK_MAX_QUEUES : DLBK_MAX_PORTS;

		if (de->d_type != DT_DIR || n[0] == '.')
			continue;
		/* Start's own names: dlbk_queue_name(), dlbk_port_name(). */
		for (i = 0; i < max; i++)
			if (!strcmp(n, queue ? dlbk_queue_name(d, i, buf) :
					       dlbk_port_name(d, i, buf)))
				break;
		if (i == max) {
			snprintf(why, len, "its %s %.32s is not named as start names them",
				 queue ? "queue" : "port", n);
			ret = why;
			break;
		}
	}
	closedir(dp);
	return ret;
}

/*
 * Why the domain at d->path is not one a run of ours could have left, or
 * NULL if it could be: start gives the domains it makes this process's
 * uid and gid and names their queues q00.. and ports p00... Any other
 * (an administrator's, for attach mode, say) is someone else's, and start
 * leaves it alone.
 */
static const char *dlbk_domain_not_ours(const struct dlbk_dev *d, char *why,
					size_t len)
{
	uint32_t uid = 0, gid = 0;
	const char *ret;

	if (dlbk_domain_ids(d, &uid, &gid))
		return "its uid and gid cannot be read";
	if (uid != geteuid() || gid != getegid()) {
		snprintf(why, len, "its uid and gid are %u and %u, not this process's %u and %u",
			 uid, gid, (unsigned int)geteuid(),
			 (unsigned int)getegid());
		return why;
	}
	ret = dlbk_domain_misnamed(d, "queues", why, len);
	return ret ?: dlbk_domain_misnamed(d, "ports", why, len);
}

/*
 * The load-balanced credits a managed start could have now: the device's
 * free ones, and those of a started domain of our name that start would
 * take back (left by a run of ours that died).
 */
int dlbk_free_credits(const struct dlbk_dev *d, uint32_t *credits)
{
	uint32_t started = 0, held = 0;
	struct dlbk_rsrc avail;
	char path[PATH_MAX], why[128];
	int err;

	err = dlbk_read_rsrc(d->dlbdev, "avail_resources", &avail);
	if (err)
		return err;
	*credits = avail.num_ldb_credits;
	if (!cfs_path(path, "%s/start", d->path) &&
	    !attr_read_u32(path, &started) && started &&
	    !dlbk_domain_not_ours(d, why, sizeof(why)) &&
	    !cfs_path(path, "%s/ldb_credits", d->path) &&
	    !attr_read_u32(path, &held))
		*credits += held;
	return 0;
}

int dlbk_domain_build(struct rte_eventdev *dev)
{
	struct dlbk_dev *d = dev->data->dev_private;
	uint32_t n_ordered = 0, n_atomic = 0, seq_cap, inflights;
	uint32_t ldb_credits, dir_credits = 0;
	char path[PATH_MAX], buf[32];
	struct dlbk_rsrc avail;
	unsigned int q, p;
	int err;

	err = dlbk_domain_check(dev);
	if (err)
		return err;

	/* A domain of this name left by an earlier run (one that died, or
	 * this one before a reconfiguration) is ours to take back, unless
	 * a live application holds its ports, or it is not one we made.
	 */
	if (access(d->path, F_OK) == 0) {
		if (!d->built) {
			char reason[128];
			const char *why = dlbk_domain_not_ours(d, reason,
							       sizeof(reason));

			if (why) {
				DLBK_LOG(ERR, "domain %s of %s is not one a run of ours left (%s), so it stays: remove it, or name another with name=",
					 d->domain, d->dlbdev, why);
				return -EEXIST;
			}
			DLBK_LOG(NOTICE, "reclaiming domain %s of %s left by an earlier run",
				 d->domain, d->dlbdev);
		}
		err = dlbk_domain_remove(d, d->path);
		if (err)
			return err;
	}
	d->built = false;

	/*
	 * The domain is sized from what the device has free now (other
	 * domains may hold the rest), not from its totals; its credits
	 * must still cover nb_events_limit (see below).
	 */
	err = dlbk_read_rsrc(d->dlbdev, "avail_resources", &avail);
	if (err)
		return err;
	if (avail.num_ldb_credits < (uint32_t)d->conf.nb_events_limit) {
		DLBK_LOG(ERR, "%s has %u load-balanced credits free, fewer than nb_events_limit %d: other domains hold the rest",
			 d->dlbdev, avail.num_ldb_credits,
			 d->conf.nb_events_limit);
		return -ENOSPC;
	}
	for (q = 0; q < d->nb_queues; q++) {
		n_ordered += dlbk_sched_has(d->queues[q].sched,
					    DLB_SCHED_ORDERED);
		n_atomic += dlbk_sched_has(d->queues[q].sched,
					   DLB_SCHED_ATOMIC);
		if (d->queues[q].dir)
			dir_credits = RTE_MIN(d->conf.nb_events_limit,
					      avail.num_dir_credits);
	}
	/* The domain's credit pools hold every event that can be in flight
	 * (new_event_threshold <= nb_events_limit), so forwards always find
	 * a credit.
	 */
	ldb_credits = d->conf.nb_events_limit;
	seq_cap = n_ordered ? RTE_MIN(pow2_floor(avail.num_sequence_numbers /
						  n_ordered), 1024u) : 1024;
	inflights = n_atomic ? RTE_MAX(avail.num_atomic_inflights / n_atomic, 1u) : 1;

	if (mkdir(d->path, 0755)) {
		err = -errno;
		DLBK_LOG(ERR, "cannot make domain %s: %s", d->path, strerror(-err));
		return err;
	}
	d->built = true;
	err = cfs_path(path, "%s/ldb_credits", d->path) ?:
	      cfs_write_u32(path, ldb_credits);
	if (!err)
		err = cfs_path(path, "%s/dir_credits", d->path) ?:
		      cfs_write_u32(path, dir_credits);
	if (!err)
		err = cfs_path(path, "%s/uid", d->path) ?:
		      cfs_write_u32(path, geteuid());
	if (!err)
		err = cfs_path(path, "%s/gid", d->path) ?:
		      cfs_write_u32(path, getegid());
	for (q = 0; !err && q < d->nb_queues; q++)
		err = dlbk_queue_build(d, q, seq_cap, inflights);
	for (p = 0; !err && p < d->nb_ports; p++)
		err = dlbk_port_build(dev, p);
	if (err)
		goto err_remove;

	err = cfs_path(path, "%s/start", d->path);
	if (!err) {
		snprintf(buf, sizeof(buf), "1");
		err = cfs_write(path, buf);
		if (err)
			DLBK_LOG(ERR, "dlb refused to start domain %s (%s): %s; the kernel log names the reason",
				 d->domain, d->dlbdev, strerror(-err));
	}
	if (err)
		goto err_remove;

	memset(d->evq_of_ldb, 0xff, sizeof(d->evq_of_ldb));
	memset(d->evq_of_dir, 0xff, sizeof(d->evq_of_dir));
	for (q = 0; !err && q < d->nb_queues; q++) {
		err = dlbk_read_id("%s/queues/q%02u/id", d->path, q,
				   &d->queues[q].kid);
		if (!err) {
			if (d->queues[q].dir)
				d->evq_of_dir[d->queues[q].kid] = q;
			else
				d->evq_of_ldb[d->queues[q].kid] = q;
		}
	}
	for (p = 0; !err && p < d->nb_ports; p++)
		err = dlbk_read_id("%s/ports/p%02u/id", d->path, p,
				   &((struct dlbk_evport *)dev->data->ports[p])->kid);
	if (err)
		goto err_remove;
	return 0;

err_remove:
	if (dlbk_domain_remove(d, d->path) == 0)
		d->built = false;
	return err;
}

int dlbk_domain_open_ports(struct rte_eventdev *dev)
{
	struct dlbk_dev *d = dev->data->dev_private;
	char path[PATH_MAX], name[DLBK_OBJ_NAME_SIZE];
	unsigned int p;
	int err = 0;

	for (p = 0; p < d->nb_ports; p++) {
		struct dlbk_evport *ep = dev->data->ports[p];

		err = cfs_path(path, DLB_DEVFS "/%s/%s/%s", d->dlbdev,
			       d->domain, dlbk_port_name(d, p, name));
		if (err)
			break;
		ep->port = dlbk_port_open(path);
		if (!ep->port) {
			err = -errno;
			DLBK_LOG(ERR, "cannot open port file %s: %s", path,
				 strerror(-err));
			break;
		}
		ep->held = 0;
	}
	if (err)
		dlbk_domain_close_ports(dev);
	return err;
}

void dlbk_domain_close_ports(struct rte_eventdev *dev)
{
	struct dlbk_dev *d = dev->data->dev_private;
	unsigned int p;

	for (p = 0; p < d->nb_ports; p++) {
		struct dlbk_evport *ep = dev->data->ports[p];

		if (ep && ep->port) {
			dlbk_port_close(ep->port);
			ep->port = NULL;
		}
	}
}

/* Link or unlink a started domain's ldb port and queue in configfs. */
int dlbk_link_live(struct dlbk_evport *ep, uint8_t q, bool link)
{
	struct dlbk_dev *d = ep->dev;
	char path[PATH_MAX], target[PATH_MAX], prio[PATH_MAX], buf[32];
	bool made;
	int err;

	err = cfs_path(path, "%s/ports/p%02u/q%02u", d->path, ep->id, q) ?:
	      cfs_path(target, "%s/queues/q%02u", d->path, q);
	if (err)
		return err;
	if (!link) {
		if (unlink(path) && errno != ENOENT) {
			err = -errno;
			DLBK_LOG(ERR, "cannot unlink port %u from queue %u: %s",
				 ep->id, q, strerror(-err));
		}
		return err;
	}
	made = !symlink(target, path);
	if (!made && errno != EEXIST) {
		err = -errno;
		DLBK_LOG(ERR, "cannot link port %u to queue %u: %s", ep->id, q,
			 strerror(-err));
		return err;
	}
	snprintf(buf, sizeof(buf), "q%02u %u", q, ep->link_prio[q]);
	err = cfs_path(prio, "%s/ports/p%02u/link_priorities", d->path, ep->id) ?:
	      cfs_write(prio, buf);
	if (err && made)
		unlink(path);	/* a link half-made is no link */
	return err;
}

struct dlbk_entry {
	char name[64];
	bool dir;
	int kid;
};

static int dlbk_entry_cmp(const void *a, const void *b)
{
	const struct dlbk_entry *x = a, *y = b;

	if (x->dir != y->dir)
		return x->dir ? 1 : -1;
	return x->kid - y->kid;
}

/*
 * List the started domain's queues or ports (@kind), sorted ldb first,
 * then dir, each by id; how many, or -errno (logged).
 */
static int dlbk_attach_list(struct dlbk_dev *d, const char *kind,
			    struct dlbk_entry *e, unsigned int max)
{
	char dir[PATH_MAX], path[PATH_MAX], type[16];
	struct dirent *de;
	unsigned int n = 0;
	uint32_t id;
	DIR *dp;
	int err = 0;

	err = cfs_path(dir, "%s/%s", d->path, kind);
	if (err)
		return err;
	dp = opendir(dir);
	if (!dp) {
		err = -errno;
		DLBK_LOG(ERR, "cannot read %s: %s", dir, strerror(-err));
		return err;
	}
	while ((de = readdir(dp))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (n == max) {
			DLBK_LOG(ERR, "domain %s has more %s than the driver takes (%u)",
				 d->domain, kind, max);
			err = -E2BIG;
			break;
		}
		if (strlen(de->d_name) >= sizeof(e[n].name)) {
			err = -ENAMETOOLONG;
			break;
		}
		strcpy(e[n].name, de->d_name);
		err = cfs_path(path, "%s/%s/type", dir, de->d_name);
		if (!err)
			err = attr_read(path, type, sizeof(type));
		if (!err)
			err = cfs_path(path, "%s/%s/id", dir, de->d_name);
		if (!err)
			err = attr_read_u32(path, &id);
		if (!err && id > UINT8_MAX)
			err = -ERANGE;	/* a QE's qid has 8 bits */
		if (err) {
			DLBK_LOG(ERR, "cannot read %s: %s", path, strerror(-err));
			break;
		}
		e[n].dir = !strcmp(type, "dir");
		e[n].kid = (int)id;
		n++;
	}
	closedir(dp);
	if (err)
		return err;
	qsort(e, n, sizeof(*e), dlbk_entry_cmp);
	return (int)n;
}

/*
 * Attach mode: read the administrator's domain (it must be started) into
 * @a. Only reads: configfs attributes are world-readable, so this needs no
 * rights beyond the port files'.
 */
static int dlbk_attach_read_into(struct dlbk_dev *d, struct dlbk_attach *a)
{
	struct dlbk_entry ent[DLBK_MAX_PORTS];
	char path[PATH_MAX], buf[PATH_MAX];
	struct dirent *de;
	unsigned int i, q;
	uint32_t started, credits;
	int n, err;
	DIR *dp;

	err = cfs_path(path, "%s/start", d->path);
	if (!err)
		err = attr_read_u32(path, &started);
	if (err == -ENOENT) {
		DLBK_LOG(ERR, "no domain %s on %s (%s)", d->domain, d->dlbdev,
			 d->path);
		return -ENOENT;
	}
	if (err)
		return err;
	if (!started) {
		DLBK_LOG(ERR, "domain %s of %s is not started: attach mode uses a started domain",
			 d->domain, d->dlbdev);
		return -EINVAL;
	}
	memset(a, 0, sizeof(*a));
	err = cfs_path(path, "%s/ldb_credits", d->path);
	if (!err)
		err = attr_read_u32(path, &credits);
	if (err)
		return err;
	a->ldb_credits = credits;

	n = dlbk_attach_list(d, "queues", ent, DLBK_MAX_QUEUES);
	if (n < 0)
		return n;
	a->nb_queues = (uint8_t)n;
	for (i = 0; i < a->nb_queues; i++) {
		char sched[16];

		memcpy(a->q[i].name, ent[i].name, sizeof(a->q[i].name));
		a->q[i].dir = ent[i].dir;
		a->q[i].kid = ent[i].kid;
		err = cfs_path(path, "%s/queues/%s/sched_type", d->path,
			       ent[i].name);
		if (!err)
			err = attr_read(path, sched, sizeof(sched));
		if (err)
			return err;
		for (q = 0; q < DLBK_NUM_SCHED; q++)
			if (!strcmp(sched, dlbk_sched_names[q]))
				a->q[i].sched = (uint8_t)q;
	}

	n = dlbk_attach_list(d, "ports", ent, DLBK_MAX_PORTS);
	if (n < 0)
		return n;
	a->nb_ports = (uint8_t)n;
	for (i = 0; i < a->nb_ports; i++) {
		uint32_t depth;

		memcpy(a->p[i].name, ent[i].name, sizeof(a->p[i].name));
		a->p[i].dir = ent[i].dir;
		a->p[i].kid = ent[i].kid;
		err = cfs_path(path, "%s/ports/%s/cq_depth", d->path,
			       ent[i].name);
		if (!err)
			err = attr_read_u32(path, &depth);
		if (err)
			return err;
		a->p[i].cq_depth = depth;

		/* Its links: symlinks named after anything, to a queue. */
		err = cfs_path(path, "%s/ports/%s", d->path, ent[i].name);
		if (err)
			return err;
		dp = opendir(path);
		if (!dp)
			return -errno;
		while ((de = readdir(dp))) {
			char link[PATH_MAX];
			const char *base;
			ssize_t len;

			if (de->d_type != DT_LNK ||
			    cfs_path(link, "%s/%s", path, de->d_name))
				continue;
			len = readlink(link, buf, sizeof(buf) - 1);
			if (len < 0)
				continue;
			buf[len] = '\0';
			base = strrchr(buf, '/');
			base = base ? base + 1 : buf;
			for (q = 0; q < a->nb_queues; q++)
				if (!strcmp(a->q[q].name, base))
					a->p[i].linked[q] = 1;
		}
		closedir(dp);
	}
	return 0;
}

/*
 * Attach mode: d->att becomes the domain as it is now; unchanged if it
 * cannot be read whole.
 */
int dlbk_attach_read(struct dlbk_dev *d)
{
	struct dlbk_attach a;
	int err;

	err = dlbk_attach_read_into(d, &a);
	if (!err)
		d->att = a;
	return err;
}
