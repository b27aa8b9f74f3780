// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_portdev.c - the port device files of started domains,
 * /dev/dlb/<device>/<domain>/<port>: their minors, device nodes (named and
 * owned through devtmpfs, no udev rule needed), and the open that hands a
 * file to the backend while counting it in the domain, so that a domain
 * with an open port cannot stop.
 *
 * One cdev covers the core's whole minor region; open finds the port by
 * minor. A port is open at most once at a time: its rings have one owner,
 * which may share the file (fork, SCM_RIGHTS) but not the port.
 *
 * Revocation, for a forced stop (the pattern of drm_dev_unplug()): the
 * backend's file operations run inside an SRCU read section entered by
 * dlb_portdev_enter(), which reports the file dead from then on. A forced stop
 * marks the file dead, waits for the sections in progress
 * (dlb_portdev_revoke_sync()), then wakes the waiters and zaps the file's
 * mappings (dlb_portdev_revoke_finish()); the backend maps pages at fault
 * time only, inside a section, so none can appear after the zap, and a
 * later access raises SIGBUS. The dead file holds nothing but this
 * structure until it is closed.
 */

#include <linux/cdev.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/xarray.h>

#include "compat.h"
#include "dlb.h"

static struct class dlb_port_class = {
	.name = "dlb_port",
};

static struct cdev dlb_port_cdev;

/* minor -> struct dlb_portdev; its own lock guards lookups against removal */
static DEFINE_XARRAY_ALLOC(dlb_portdevs);

/*
 * Read side: the backend's file operations on port files, each a short
 * section that never waits for the device's lock or for userspace (copies
 * to and from user memory and blocking waits happen outside). Write side:
 * forced stops. One for all devices, since sections are short.
 */
DEFINE_STATIC_SRCU(dlb_portdev_srcu);

static char *dlb_portdev_devnode(DLB_DEVNODE_CONST struct device *dev,
				 umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	const struct dlb_portdev *pd =
		container_of(dev, struct dlb_portdev, dev);

	/* Owner and group may use the port; nobody else. */
	if (mode)
		*mode = 0660;
	if (uid)
		*uid = pd->uid;
	if (gid)
		*gid = pd->gid;
	return kstrdup(pd->node, GFP_KERNEL);
}

static void dlb_portdev_release(struct device *dev)
{
	kfree(container_of(dev, struct dlb_portdev, dev));
}

static const struct device_type dlb_portdev_type = {
	.name = "dlb_port",
	.devnode = dlb_portdev_devnode,
	.release = dlb_portdev_release,
};

/**
 * dlb_portdev_create() - make the device file of a port of a starting domain
 * @domain: the domain, being started
 * @port: the port, with its id assigned
 * @priv: the backend's state of the port, handed to its file operations
 * @groups: the backend's sysfs attributes of the port device, or NULL
 *
 * Context: process context, the device's lock held (from domain_start).
 * Return: the port device, or an ERR_PTR(): -ENOSPC when no minor is
 * left, -ENOMEM, or what registration returned.
 */
struct dlb_portdev *dlb_portdev_create(struct dlb_domain *domain,
				       struct dlb_port *port, void *priv,
				       const struct attribute_group **groups)
{
	struct dlb_device *dlb = domain->dlb;
	struct dlb_portdev *pd;
	size_t len;
	u32 minor;
	int err;

	lockdep_assert_held(&dlb->lock);

	len = strlen(dev_name(&dlb->dev)) + strlen(dlb_domain_name(domain)) +
	      strlen(dlb_port_name(port)) + sizeof("dlb///");
	pd = kzalloc(struct_size(pd, node, len), GFP_KERNEL);
	if (!pd)
		return ERR_PTR(-ENOMEM);
	snprintf(pd->node, len, DLB_NAME "/%s/%s/%s", dev_name(&dlb->dev),
		 dlb_domain_name(domain), dlb_port_name(port));
	pd->dlb = dlb;
	pd->domain = domain;
	pd->type = port->type;
	pd->id = port->id;
	pd->priv = priv;
	pd->uid = domain->uid;
	pd->gid = domain->gid;
	init_waitqueue_head(&pd->wq);

	/* Published with NULL: open must not find it before it is ready. */
	err = xa_alloc(&dlb_portdevs, &minor, NULL,
		       XA_LIMIT(0, DLB_MAX_MINORS - 1), GFP_KERNEL);
	if (err) {
		kfree(pd);
		return ERR_PTR(err == -EBUSY ? -ENOSPC : err);
	}
	pd->minor = minor;

	device_initialize(&pd->dev);
	pd->dev.class = &dlb_port_class;
	pd->dev.type = &dlb_portdev_type;
	pd->dev.parent = &dlb->dev;
	pd->dev.groups = groups;
	pd->dev.devt = MKDEV(MAJOR(dlb_devt), MINOR(dlb_devt) + minor);
	/* Names are [a-z0-9_-], so '.' keeps the three parts apart. */
	err = dev_set_name(&pd->dev, "%s.%s.%s", dev_name(&dlb->dev),
			   dlb_domain_name(domain), dlb_port_name(port));
	if (err)
		goto err_put;
	err = device_add(&pd->dev);
	if (err)
		goto err_put;

	xa_store(&dlb_portdevs, minor, pd, GFP_KERNEL);
	return pd;

err_put:
	xa_erase(&dlb_portdevs, minor);
	put_device(&pd->dev);
	return ERR_PTR(err);
}

/**
 * dlb_portdev_destroy() - remove a port device file of a stopping domain
 * @pd: the port device; no file is open on it
 *
 * An open() racing with this finds the port dead and fails with -ENODEV.
 *
 * Context: process context, the device's lock held (from domain_stop).
 */
void dlb_portdev_destroy(struct dlb_portdev *pd)
{
	lockdep_assert_held(&pd->dlb->lock);
	WARN_ON(pd->open);
	WRITE_ONCE(pd->dead, true);
	xa_erase(&dlb_portdevs, pd->minor);
	device_del(&pd->dev);
	put_device(&pd->dev);
}

static int dlb_portdev_open(struct inode *inode, struct file *file)
{
	unsigned int minor = iminor(inode) - MINOR(dlb_devt);
	const struct file_operations *fops;
	struct dlb_portdev *pd;
	struct dlb_device *dlb;
	int err = 0;

	xa_lock(&dlb_portdevs);
	pd = xa_load(&dlb_portdevs, minor);
	if (pd)
		get_device(&pd->dev);
	xa_unlock(&dlb_portdevs);
	if (!pd)
		return -ENODEV;

	/*
	 * The node is 0660 owner:group, but a copy made with mknod elsewhere
	 * must not widen that.
	 */
	if (!uid_eq(current_fsuid(), pd->uid) && !in_group_p(pd->gid) &&
	    !capable(CAP_DAC_OVERRIDE)) {
		err = -EACCES;
		goto err_put;
	}

	dlb = pd->dlb;
	mutex_lock(&dlb->lock);
	if (pd->dead)
		err = -ENODEV;
	else if (pd->open)
		err = -EBUSY;
	if (!err) {
		pd->open = true;
		pd->file = file;
		pd->domain->nr_open_files++;
	}
	mutex_unlock(&dlb->lock);
	if (err)
		goto err_put;

	/* The file's reference on the module moves to the backend's fops. */
	fops = fops_get(dlb->ops->port_fops);
	file->private_data = pd;
	replace_fops(file, fops);
	if (fops->open) {
		err = fops->open(inode, file);
		if (err) {
			dlb_portdev_close(pd);
			return err;
		}
	}
	return 0;

err_put:
	put_device(&pd->dev);
	return err;
}

/**
 * dlb_portdev_close() - the end of an open port file
 * @pd: the port device
 *
 * Called last by the backend's release, once the port is clean: the
 * domain may stop when no other port file is open. For a file a forced
 * stop revoked, only drops the file's reference: the domain no longer
 * counts it and may be gone.
 *
 * Context: process context; takes the device's lock.
 */
void dlb_portdev_close(struct dlb_portdev *pd)
{
	struct dlb_device *dlb = pd->dlb;

	mutex_lock(&dlb->lock);
	if (pd->open) {
		pd->open = false;
		pd->domain->nr_open_files--;
	}
	pd->file = NULL;
	mutex_unlock(&dlb->lock);
	put_device(&pd->dev);
}

/**
 * dlb_portdev_enter() - begin a file operation that uses the port
 * @pd: the port device of the file
 * @idx: set to what dlb_portdev_leave() needs
 *
 * Enters the section whether the file is live or not (so that every
 * path calls dlb_portdev_leave() once). While inside, if the file was
 * live, @pd->priv and the domain stay valid even if a forced stop begins.
 * The section must not wait for the device's lock, for userspace memory
 * or for events.
 *
 * Context: any process context; does not sleep.
 * Return: true if the file is live; false if it is dead.
 */
bool dlb_portdev_enter(struct dlb_portdev *pd, int *idx)
	__acquires(dlb_portdev_srcu)
{
	*idx = srcu_read_lock(&dlb_portdev_srcu);
	return !READ_ONCE(pd->dead);
}

/**
 * dlb_portdev_leave() - end a section begun by dlb_portdev_enter()
 * @idx: what dlb_portdev_enter() returned in its @idx
 *
 * Context: any process context.
 */
void dlb_portdev_leave(int idx)
	__releases(dlb_portdev_srcu)
{
	srcu_read_unlock(&dlb_portdev_srcu, idx);
}

/**
 * dlb_portdev_revoke() - mark a port's open file dead, first step of a
 *	forced stop
 * @pd: the port device
 *
 * From now on dlb_portdev_enter() finds the file dead and the domain does
 * not count it as open. Operations already inside a section may still
 * run: call dlb_portdev_revoke_sync(), then dlb_portdev_revoke_finish().
 *
 * Context: process context, the device's lock held.
 * Return: true if a file was open and is now revoked.
 */
bool dlb_portdev_revoke(struct dlb_portdev *pd)
{
	lockdep_assert_held(&pd->dlb->lock);
	if (!pd->open)
		return false;
	WRITE_ONCE(pd->dead, true);
	pd->open = false;
	pd->domain->nr_open_files--;
	/* The file may outlive the domain's directory: no way back to it. */
	pd->domain = NULL;
	return true;
}

/**
 * dlb_portdev_revoke_sync() - wait until no file operation that began
 *	before the files were revoked is still running
 *
 * Context: process context; sleeps. May be called with the device's lock
 * held: no section waits for it.
 */
void dlb_portdev_revoke_sync(void)
{
	synchronize_srcu(&dlb_portdev_srcu);
}

/**
 * dlb_portdev_revoke_finish() - wake a revoked file's waiters and zap its
 *	mappings
 * @pd: the port device, revoked and synced
 *
 * Waiters in poll() and epoll see EPOLLERR | EPOLLHUP, blocked readers
 * return -ENODEV, and the next access through a mapping of the file
 * raises SIGBUS, since faults of a dead file map nothing. The backend may
 * free the port's memory afterwards.
 *
 * Context: process context, the device's lock held (it keeps @pd->file
 * from closing).
 */
void dlb_portdev_revoke_finish(struct dlb_portdev *pd)
{
	lockdep_assert_held(&pd->dlb->lock);
	wake_up_poll(&pd->wq, EPOLLERR | EPOLLHUP);
	/*
	 * The inode's mapping: one file per port at a time, so what else it
	 * maps is of files revoked before, whose pages fault already.
	 */
	if (pd->file)
		unmap_mapping_range(pd->file->f_mapping, 0, 0, 1);
}

static const struct file_operations dlb_portdev_fops = {
	.owner = THIS_MODULE,
	.open = dlb_portdev_open,
};

/**
 * dlb_portdev_init() - register the port class and the minors' cdev
 *
 * Context: module init, after dlb_device_init() allocated the region.
 * Return: 0 or a negative errno.
 */
int dlb_portdev_init(void)
{
	int err;

	err = class_register(&dlb_port_class);
	if (err)
		return err;

	cdev_init(&dlb_port_cdev, &dlb_portdev_fops);
	dlb_port_cdev.owner = THIS_MODULE;
	err = cdev_add(&dlb_port_cdev, dlb_devt, DLB_MAX_MINORS);
	if (err)
		goto err_unregister_class;
	return 0;

err_unregister_class:
	class_unregister(&dlb_port_class);
	return err;
}

/**
 * dlb_portdev_exit() - undo dlb_portdev_init()
 *
 * Context: module exit, after every device is destroyed.
 */
void dlb_portdev_exit(void)
{
	WARN_ON(!xa_empty(&dlb_portdevs));
	cdev_del(&dlb_port_cdev);
	class_unregister(&dlb_port_class);
}
