// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry and exit: brings up the core (class, minors,
 * configfs subsystem), then the backends, and takes them down in mirror
 * order.
 */

#include <linux/module.h>

#include "dlb.h"

static int __init dlb_init(void)
{
	int err;

	err = dlb_device_init();
	if (err)
		return err;

	err = dlb_portdev_init();
	if (err)
		goto err_device_exit;

	err = dlb_configfs_init();
	if (err)
		goto err_portdev_exit;

	err = dlb_sw_init();
	if (err)
		goto err_configfs_exit;

	return 0;

err_configfs_exit:
	dlb_configfs_exit();
err_portdev_exit:
	dlb_portdev_exit();
err_device_exit:
	dlb_device_exit();
	return err;
}

static void __exit dlb_exit(void)
{
	dlb_sw_exit();
	dlb_configfs_exit();
	dlb_portdev_exit();
	dlb_device_exit();
}

module_init(dlb_init);
module_exit(dlb_exit);

MODULE_DESCRIPTION("Dynamic Load Balancer: event scheduler with a software device");
MODULE_LICENSE("GPL");
