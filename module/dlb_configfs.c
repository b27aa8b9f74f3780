// SPDX-License-Identifier: GPL-2.0
/*
 * The dlb configfs subsystem, /sys/kernel/config/dlb/, and one group per
 * device, dlb<N>/, holding its domains/ group. The levels below are in
 * dlb_configfs_{domain,queue,port}.c; what they share is in
 * dlb_configfs_util.c.
 *
 * Device groups are not made by mkdir: they appear and vanish with their
 * devices. Each holds a reference on its struct dlb_device, because a
 * configfs item can outlive its unregistration while a user still has it
 * open.
 */

#include <linux/configfs.h>
#include <linux/module.h>

#include "dlb_configfs.h"

static struct dlb_device *to_dlb_device_cfs(struct config_item *item)
{
	return container_of(to_config_group(item), struct dlb_device,
			    cfs_group);
}

static void dlb_device_group_release(struct config_item *item)
{
	put_device(&to_dlb_device_cfs(item)->dev);
}

static struct configfs_item_operations dlb_device_group_item_ops = {
	.release = dlb_device_group_release,
};

static const struct config_item_type dlb_device_group_type = {
	.ct_item_ops = &dlb_device_group_item_ops,
	.ct_owner = THIS_MODULE,
};

static const struct config_item_type dlb_root_type = {
	.ct_owner = THIS_MODULE,
};

/* Drop the references config_group_init_type_name() gave the groups. */
static void dlb_configfs_device_put(struct dlb_device *dlb)
{
	configfs_remove_default_groups(&dlb->cfs_group);
	config_item_put(&dlb->cfs_group.cg_item);
}

static struct configfs_subsystem dlb_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = DLB_NAME,
			.ci_type = &dlb_root_type,
		},
	},
};

/**
 * dlb_configfs_device_add() - make /sys/kernel/config/dlb/<dev>/
 * @dlb: the device, already named
 * @vdevs_type: the type of its vdevs/ group, or NULL for none (its backend
 *	makes no virtual devices, or it is one); the caller's choice, so that
 *	this file calls neither dlb_device.c nor dlb_vdev.c
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
int dlb_configfs_device_add(struct dlb_device *dlb,
			    const struct config_item_type *vdevs_type)
{
	int err;

	config_group_init_type_name(&dlb->cfs_group, dev_name(&dlb->dev),
				    &dlb_device_group_type);
	config_group_init_type_name(&dlb->cfs_domains, "domains",
				    &dlb_domains_group_type);
	configfs_add_default_group(&dlb->cfs_domains, &dlb->cfs_group);
	if (vdevs_type) {
		config_group_init_type_name(&dlb->cfs_vdevs, "vdevs",
					    vdevs_type);
		configfs_add_default_group(&dlb->cfs_vdevs, &dlb->cfs_group);
	}

	/* Dropped by dlb_device_group_release(). */
	get_device(&dlb->dev);
	err = configfs_register_group(&dlb_subsys.su_group, &dlb->cfs_group);
	if (err)
		dlb_configfs_device_put(dlb);
	return err;
}

/**
 * dlb_configfs_device_remove() - remove /sys/kernel/config/dlb/<dev>/
 * @dlb: the device
 *
 * Context: process context; no domain of @dlb may exist.
 */
void dlb_configfs_device_remove(struct dlb_device *dlb)
{
	configfs_unregister_group(&dlb->cfs_group);
	dlb_configfs_device_put(dlb);
}

/**
 * dlb_configfs_init() - register the dlb configfs subsystem
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int dlb_configfs_init(void)
{
	config_group_init(&dlb_subsys.su_group);
	mutex_init(&dlb_subsys.su_mutex);
	return configfs_register_subsystem(&dlb_subsys);
}

/**
 * dlb_configfs_exit() - unregister the dlb configfs subsystem
 *
 * Context: module exit, after every device group is removed.
 */
void dlb_configfs_exit(void)
{
	configfs_unregister_subsystem(&dlb_subsys);
	mutex_destroy(&dlb_subsys.su_mutex);
}
