// SPDX-License-Identifier: GPL-2.0
/*
 * The dlb class, device numbering and lifetime (allocate, let the backend
 * set up, register; unregister, let the backend take down, put), and the
 * device-wide resource accounting that every backend shares.
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/slab.h>

#include "dlb.h"

static struct class dlb_class = {
	.name = DLB_NAME,
	.dev_groups = dlb_device_groups,
};

static DEFINE_IDA(dlb_ida);
/* The region of port device minors; dlb_portdev.c hands them out. */
dev_t dlb_devt;

/* /sys/kernel/debug/dlb/: a directory per device */
static struct dentry *dlb_debugfs_root;

/* protects dlb_devices */
static DEFINE_MUTEX(dlb_devices_lock);
static LIST_HEAD(dlb_devices);

static void dlb_device_release(struct device *dev)
{
	struct dlb_device *dlb = to_dlb_device(dev);

	/* Waits for readers and writers of the backend's knobs. */
	debugfs_remove_recursive(dlb->debugfs);
	if (dlb->ops->release)
		dlb->ops->release(dlb);
	ida_free(&dlb_ida, dlb->id);
	mutex_destroy(&dlb->lock);
	kfree(dlb);
}

/* Backend state follows struct dlb_device, aligned as kmalloc() aligns. */
#define DLB_PRIV_OFFSET	ALIGN(sizeof(struct dlb_device), ARCH_KMALLOC_MINALIGN)

/**
 * dlb_device_alloc() - allocate a dlb device, not yet visible anywhere
 * @parent: the device it sits on (a PCI function, or the dlb device of
 *	which it is a virtual device), or NULL
 * @ops: the backend's operations; must outlive the device. Its
 *	@dev_groups are the backend's sysfs attributes of the device.
 * @total: the device's resources; all of them start out available
 * @priv_size: bytes of backend state to allocate with it, zeroed, at
 *	@dlb->priv
 * @config_dir: for a virtual device, its vdev's configfs directory relative
 *	to the subsystem's (<parent>/vdevs/<vdev>), which holds its domains;
 *	NULL for any other device, whose directory dlb_device_register()
 *	makes, dlb<N>
 *
 * The first half of creating a device: the backend then sets up its state
 * in @dlb->priv (and its test knobs in @dlb->debugfs) and calls
 * dlb_device_register(), which publishes the device. Until then nothing
 * can reach it; on failure the backend undoes its setup and calls
 * dlb_device_put().
 *
 * Context: process context.
 * Return: the device, or an ERR_PTR(): -ENOSPC when %DLB_MAX_DEVICES exist,
 * -EINVAL for totals the core cannot hold or a @config_dir longer than
 * %DLB_CONFIG_DIR_LEN, -ENOMEM.
 */
struct dlb_device *dlb_device_alloc(struct device *parent,
				    const struct dlb_device_ops *ops,
				    const struct dlb_resources *total,
				    size_t priv_size, const char *config_dir)
{
	struct dlb_device *dlb;
	int id, err, i;

	if (WARN_ON(total->num[DLB_RES_HIST_LIST_ENTRIES] >
		    DLB_MAX_HIST_LIST_ENTRIES ||
		    total->num[DLB_RES_SEQUENCE_NUMBERS] >
		    DLB_MAX_SN_GROUPS * DLB_SN_GROUP_SIZE))
		return ERR_PTR(-EINVAL);

	id = ida_alloc_max(&dlb_ida, DLB_MAX_DEVICES - 1, GFP_KERNEL);
	if (id < 0)
		return ERR_PTR(id);

	dlb = kzalloc(DLB_PRIV_OFFSET + priv_size, GFP_KERNEL);
	if (!dlb) {
		ida_free(&dlb_ida, id);
		return ERR_PTR(-ENOMEM);
	}

	dlb->id = id;
	dlb->ops = ops;
	dlb->priv = priv_size ? (u8 *)dlb + DLB_PRIV_OFFSET : NULL;
	dlb->total = *total;
	dlb->avail = *total;
	for (i = 0; i < DLB_NUM_COS; i++)
		dlb->avail_ldb_ports_cos[i] = dlb_cos_total(dlb, i);
	INIT_LIST_HEAD(&dlb->domains);
	INIT_LIST_HEAD(&dlb->vdevs);
	mutex_init(&dlb->lock);
	INIT_LIST_HEAD(&dlb->node);

	/* From here on the release callback frees everything. */
	device_initialize(&dlb->dev);
	dlb->dev.class = &dlb_class;
	dlb->dev.parent = parent;
	dlb->dev.groups = ops->dev_groups;
	dlb->dev.release = dlb_device_release;
	err = dev_set_name(&dlb->dev, DLB_NAME "%d", id);
	if (!err && strscpy(dlb->config_dir, config_dir ?: dev_name(&dlb->dev),
			    sizeof(dlb->config_dir)) < 0)
		err = -EINVAL;
	if (err) {
		put_device(&dlb->dev);
		return ERR_PTR(err);
	}
	/* debugfs is best effort: its functions accept what this returns. */
	dlb->debugfs = debugfs_create_dir(dev_name(&dlb->dev), dlb_debugfs_root);
	return dlb;
}

/**
 * dlb_device_register() - publish a device made by dlb_device_alloc()
 * @dlb: the device, its backend state ready for every operation
 *
 * Adds /sys/class/dlb/dlb<N> with the core's and the backend's attributes,
 * then /sys/kernel/config/dlb/dlb<N>/ (not for a virtual device: its vdev's
 * domains/ takes domains once the commit that made it returns), and only
 * then announces the device (the add uevent), so that whoever reacts to it
 * finds all of it. From the moment the configfs group exists, domains can
 * be made and started: the backend must be ready before this is called.
 *
 * Context: process context; takes dlb_devices_lock.
 * Return: 0, or what registration returned; on error nothing is left
 * published and the caller still holds its reference.
 */
int dlb_device_register(struct dlb_device *dlb)
{
	int err;

	if (WARN_ON(!dlb->ops->vdev_create != !dlb->ops->vdev_destroy))
		return -EINVAL;

	dev_set_uevent_suppress(&dlb->dev, 1);
	err = device_add(&dlb->dev);
	if (err)
		return err;

	/* A virtual device's domains/ is its vdev's, there already. */
	if (!dlb_device_is_virtual(dlb)) {
		err = dlb_configfs_device_add(dlb, dlb_device_has_vdevs(dlb) ?
					      &dlb_vdevs_group_type : NULL);
		if (err)
			goto err_del_device;
	}

	mutex_lock(&dlb_devices_lock);
	list_add_tail(&dlb->node, &dlb_devices);
	mutex_unlock(&dlb_devices_lock);

	dev_set_uevent_suppress(&dlb->dev, 0);
	kobject_uevent(&dlb->dev.kobj, KOBJ_ADD);
	return 0;

err_del_device:
	/* Never announced: no remove event either. */
	device_del(&dlb->dev);
	return err;
}

/**
 * dlb_device_unregister() - undo dlb_device_register()
 * @dlb: the device
 *
 * Removes the device's committed virtual devices first (their struct
 * devices are children of @dlb's), then the configfs group and the class
 * device; afterwards no new operation reaches the backend, which may then
 * take down its state and drop its reference with dlb_device_put().
 *
 * Context: process context. The caller guarantees no domain of @dlb or of
 * its virtual devices exists (configfs pins the module while any does).
 */
void dlb_device_unregister(struct dlb_device *dlb)
{
	if (dlb_device_has_vdevs(dlb))
		dlb_vdevs_remove(dlb);

	mutex_lock(&dlb_devices_lock);
	list_del_init(&dlb->node);
	mutex_unlock(&dlb_devices_lock);

	if (!dlb_device_is_virtual(dlb))
		dlb_configfs_device_remove(dlb);
	device_del(&dlb->dev);
}

/**
 * dlb_device_put() - drop the reference dlb_device_alloc() returned
 * @dlb: the device, not registered (any more)
 *
 * When the last reference goes, @dlb->ops->release runs and the device
 * and its backend state are freed.
 *
 * Context: process context.
 */
void dlb_device_put(struct dlb_device *dlb)
{
	put_device(&dlb->dev);
}

/**
 * dlb_cos_total() - how many load-balanced ports a class of service has
 * @dlb: the device
 * @cos: the class, 0 to %DLB_NUM_COS - 1
 *
 * The device's load-balanced ports are split evenly among the classes; the
 * first classes get one more when the total does not divide (DLB 2.0 has
 * 16 in each of 4).
 *
 * Context: any; the totals are constant.
 * Return: the number of ports of class @cos.
 */
u32 dlb_cos_total(const struct dlb_device *dlb, int cos)
{
	return dlb_rules_cos_total(dlb->total.num[DLB_RES_LDB_PORTS], cos);
}

/**
 * dlb_device_is_virtual() - whether a device is a virtual device of another
 * @dlb: the device
 *
 * Context: any; the parent is set at allocation.
 * Return: true if @dlb's struct device parent is a dlb device.
 */
bool dlb_device_is_virtual(const struct dlb_device *dlb)
{
	return dlb->dev.parent && dlb->dev.parent->class == &dlb_class;
}

/**
 * dlb_device_has_vdevs() - whether a device can have virtual devices
 * @dlb: the device
 *
 * Its backend makes them and it is not one itself: no nesting.
 *
 * Context: any.
 * Return: true if @dlb has a vdevs/ configfs group.
 */
bool dlb_device_has_vdevs(const struct dlb_device *dlb)
{
	return dlb->ops->vdev_create && !dlb_device_is_virtual(dlb);
}

/**
 * dlb_device_init() - register the dlb class and the port minors, and
 *	make the debugfs directory of the devices
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int dlb_device_init(void)
{
	int err;

	err = class_register(&dlb_class);
	if (err)
		return err;

	err = alloc_chrdev_region(&dlb_devt, 0, DLB_MAX_MINORS, DLB_NAME);
	if (err)
		goto err_unregister_class;

	dlb_debugfs_root = debugfs_create_dir(DLB_NAME, NULL);
	return 0;

err_unregister_class:
	class_unregister(&dlb_class);
	return err;
}

/**
 * dlb_device_exit() - undo dlb_device_init()
 *
 * Context: module exit, after every device is destroyed.
 */
void dlb_device_exit(void)
{
	WARN_ON(!list_empty(&dlb_devices));
	debugfs_remove_recursive(dlb_debugfs_root);
	unregister_chrdev_region(dlb_devt, DLB_MAX_MINORS);
	class_unregister(&dlb_class);
}
