/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_portdev.h - port device files, /dev/dlb/<device>/<domain>/<port>:
 * the handle an application holds on a port of a started domain. The core
 * (dlb_portdev.c) owns the device nodes, their minors, ownership and the
 * open count that keeps a domain from stopping; the backend provides the
 * file operations behind open (struct dlb_device_ops.port_fops).
 *
 * A forced stop revokes an open file instead of waiting for it: the file
 * is marked dead, its mappings are zapped and its waiters woken, and the
 * backend's file operations, which run between dlb_portdev_enter() and
 * dlb_portdev_leave(), stop touching the port. The file itself stays until
 * its last reference goes, holding only the struct dlb_portdev.
 *
 * Included by dlb.h; do not include directly.
 */
#ifndef DLB_PORTDEV_H
#define DLB_PORTDEV_H

#include <linux/device.h>
#include <linux/uidgid.h>
#include <linux/wait.h>

struct file;

/**
 * struct dlb_portdev - the device file of one port of a started domain
 * @dev: the class device; its refcount owns this structure. An open file
 *	holds a reference.
 * @dlb: the device; outlives every open file (a file pins the module,
 *	and devices go only at module exit)
 * @domain: the domain; valid while @dead is false (a revoked file may
 *	outlive the domain's directory)
 * @type: load-balanced or directed
 * @id: the port's domain-relative id
 * @priv: the backend's per-port state, valid while the domain is started;
 *	file operations use it only between dlb_portdev_enter() and
 *	dlb_portdev_leave()
 * @minor: minor number within the core's region
 * @uid: owner of the device node (the domain's uid at start)
 * @gid: group of the device node
 * @open: a file is open on it (one at a time) and counted in the domain's
 *	nr_open_files; protected by @dlb->lock
 * @dead: the domain stopped, or a forced stop revoked the open file;
 *	written under @dlb->lock, read under it or within
 *	dlb_portdev_enter()
 * @file: the open file while @open, or a revoked one until it is closed;
 *	protected by @dlb->lock
 * @wq: poll() and blocking read() waiters of the open file; here rather
 *	than in @priv because a revoked file's waiters outlive @priv
 * @node: the node's path below /dev
 */
struct dlb_portdev {
	struct device dev;
	struct dlb_device *dlb;
	struct dlb_domain *domain;
	enum dlb_type type;
	u32 id;
	void *priv;
	int minor;
	kuid_t uid;
	kgid_t gid;
	bool open;
	bool dead;
	struct file *file;
	wait_queue_head_t wq;
	char node[];
};

/* dlb_portdev.c */
struct dlb_portdev *dlb_portdev_create(struct dlb_domain *domain,
				       struct dlb_port *port, void *priv,
				       const struct attribute_group **groups);
void dlb_portdev_destroy(struct dlb_portdev *pd);
void dlb_portdev_close(struct dlb_portdev *pd);
bool dlb_portdev_enter(struct dlb_portdev *pd, int *idx)
	__acquires(dlb_portdev_srcu);
void dlb_portdev_leave(int idx) __releases(dlb_portdev_srcu);
bool dlb_portdev_revoke(struct dlb_portdev *pd);
void dlb_portdev_revoke_sync(void);
void dlb_portdev_revoke_finish(struct dlb_portdev *pd);
int dlb_portdev_init(void);
void dlb_portdev_exit(void);

#endif /* DLB_PORTDEV_H */
