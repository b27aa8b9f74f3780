/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_portdev.h - port device files, /dev/dlb/<device>/<domain>/<port>:
 * the handle an application holds on a port of a started domain. The core
 * (dlb_portdev.c) owns the device nodes, their minors, ownership and the
 * open count that keeps a domain from stopping; the backend provides the
 * file operations behind open (struct dlb_device_ops.port_fops).
 *
 * Included by dlb.h; do not include directly.
 */
#ifndef DLB_PORTDEV_H
#define DLB_PORTDEV_H

#include <linux/device.h>
#include <linux/uidgid.h>

/**
 * struct dlb_portdev - the device file of one port of a started domain
 * @dev: the class device; its refcount owns this structure. An open file
 *	holds a reference.
 * @domain: the domain; valid while the file is open or @dead is false
 * @type: load-balanced or directed
 * @id: the port's domain-relative id
 * @priv: the backend's per-port state, valid while the domain is started
 * @minor: minor number within the core's region
 * @uid: owner of the device node (the domain's uid at start)
 * @gid: group of the device node
 * @open: a file is open on it (one at a time); protected by the device's
 *	lock
 * @dead: the domain stopped; protected by the device's lock
 * @node: the node's path below /dev
 */
struct dlb_portdev {
	struct device dev;
	struct dlb_domain *domain;
	enum dlb_type type;
	u32 id;
	void *priv;
	int minor;
	kuid_t uid;
	kgid_t gid;
	bool open;
	bool dead;
	char node[];
};

/* dlb_portdev.c */
struct dlb_portdev *dlb_portdev_create(struct dlb_domain *domain,
				       struct dlb_port *port, void *priv,
				       const struct attribute_group **groups);
void dlb_portdev_destroy(struct dlb_portdev *pd);
void dlb_portdev_close(struct dlb_portdev *pd);
int dlb_portdev_init(void);
void dlb_portdev_exit(void);

#endif /* DLB_PORTDEV_H */
