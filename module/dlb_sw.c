// SPDX-License-Identifier: GPL-2.0
/*
 * The software device backend: its module parameters, the
 * validation of the resource totals they set, and the creation of the
 * software devices at load.
 *
 * The software device has DLB 2.0's resources by default; each total can be
 * lowered (never raised) with a module parameter named after its sysfs file,
 * e.g. sw_num_ldb_ports=8.
 */

/* Every message names the module, as the parameter errors promise. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/stringify.h>

#include "dlb_sw.h"

/* DLB 2.0's totals (rules/dlb_resource_table.h): the most a parameter allows. */
static const struct dlb_resources dlb_sw_max = {
	.num = {
#define DLB_RES(_enum, _name, _what)	\
		[DLB_RES_##_enum] = DLB_MAX_##_enum,
#include "dlb_resource_table.h"
#undef DLB_RES
	},
};

/* Devices made at load; virtual devices may take the rest of the ids. */
#define DLB_SW_MAX_DEVICES	16

static unsigned int sw_devices = 1;
module_param(sw_devices, uint, 0444);
MODULE_PARM_DESC(sw_devices, "Number of software devices to create (default 1)");

static struct dlb_resources dlb_sw_total = dlb_sw_max;

/* sw_<name> for each resource, e.g. sw_num_ldb_ports; checked at load. */
#define DLB_RES(_enum, _name, _what)					\
	module_param_named(sw_##_name, dlb_sw_total.num[DLB_RES_##_enum], \
			   uint, 0444);					\
	MODULE_PARM_DESC(sw_##_name, _what " per software device (at most " \
			 __stringify(DLB_MAX_##_enum) ")");
#include "dlb_resource_table.h"
#undef DLB_RES

static struct dlb_sw_device *dlb_sw_devices[DLB_SW_MAX_DEVICES];

static void dlb_sw_release(struct dlb_device *dlb)
{
	struct dlb_sw_device *sw = dlb->priv;

	WARN_ON(sw->nr_started);
}

/*
 * A test knob, /sys/kernel/debug/dlb/dlb<N>/fail_domain_start: the next N
 * domain starts on the device fail with -EIO, so tests can check that a
 * start the device refuses changes nothing.
 */
static bool dlb_sw_should_fail(struct dlb_sw_device *sw)
{
	return atomic_add_unless(&sw->fail_domain_start, -1, 0);
}

static int dlb_sw_fail_domain_start_get(void *data, u64 *val)
{
	struct dlb_sw_device *sw = data;

	*val = atomic_read(&sw->fail_domain_start);
	return 0;
}

static int dlb_sw_fail_domain_start_set(void *data, u64 val)
{
	struct dlb_sw_device *sw = data;

	if (val > INT_MAX)
		return -EINVAL;
	atomic_set(&sw->fail_domain_start, val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(dlb_sw_fail_domain_start_fops,
			 dlb_sw_fail_domain_start_get,
			 dlb_sw_fail_domain_start_set, "%llu\n");

/* The engine, rings and port files of the domain: dlb_sw_domain.c. */
static int dlb_sw_domain_start(struct dlb_device *dlb,
			       struct dlb_domain *domain)
{
	struct dlb_sw_device *sw = dlb->priv;
	int err;

	lockdep_assert_held(&dlb->lock);
	if (dlb_sw_should_fail(sw))
		return -EIO;
	err = dlb_sw_domain_create(sw, domain);
	if (err)
		return err;
	sw->nr_started++;
	return 0;
}

static void dlb_sw_domain_stop(struct dlb_device *dlb,
			       struct dlb_domain *domain)
{
	struct dlb_sw_device *sw = dlb->priv;

	lockdep_assert_held(&dlb->lock);
	dlb_sw_domain_destroy(sw, domain);
	sw->nr_started--;
}

static u64 dlb_sw_domain_revoke_op(struct dlb_device *dlb,
				   struct dlb_domain *domain)
{
	lockdep_assert_held(&dlb->lock);
	return dlb_sw_domain_revoke(dlb->priv, domain);
}

static int dlb_sw_port_link(struct dlb_device *dlb, struct dlb_port *port,
			    struct dlb_queue *queue, u8 priority)
{
	lockdep_assert_held(&dlb->lock);
	return dlb_sw_domain_link(port->domain->priv, port, queue, priority);
}

static void dlb_sw_port_unlink(struct dlb_device *dlb, struct dlb_port *port,
			       struct dlb_queue *queue)
{
	lockdep_assert_held(&dlb->lock);
	dlb_sw_domain_unlink(port->domain->priv, port, queue);
}

static int dlb_sw_queue_stats(struct dlb_device *dlb, struct dlb_queue *queue,
			      struct dlb_queue_stats *st)
{
	struct dlb_sw_domain *sd = queue->domain->priv;
	u32 handle;

	lockdep_assert_held(&dlb->lock);
	handle = queue->type == DLB_TYPE_DIR ? DLB_ENG_DIR(queue->id) :
					       queue->id;
	mutex_lock(&sd->lock);
	st->depth = dlb_eng_queue_depth(sd->eng, handle);
	mutex_unlock(&sd->lock);
	return 0;
}

static struct dlb_device *dlb_sw_vdev_create(struct dlb_device *parent,
					     const struct dlb_resources *quota,
					     const char *config_dir);
static void dlb_sw_vdev_destroy(struct dlb_device *vdev);

static const struct dlb_device_ops dlb_sw_ops = {
	.type = "sw",
	.dev_groups = dlb_sw_dev_groups,
	.release = dlb_sw_release,
	.domain_start = dlb_sw_domain_start,
	.domain_stop = dlb_sw_domain_stop,
	.domain_revoke = dlb_sw_domain_revoke_op,
	.port_link = dlb_sw_port_link,
	.port_unlink = dlb_sw_port_unlink,
	.queue_stats = dlb_sw_queue_stats,
	.port_fops = &dlb_sw_port_fops,
	.vdev_create = dlb_sw_vdev_create,
	.vdev_destroy = dlb_sw_vdev_destroy,
};

/* Refuse parameters the software device cannot honour, saying why. */
static int dlb_sw_check_params(void)
{
	u32 min, val;
	int i;

	if (sw_devices > DLB_SW_MAX_DEVICES) {
		pr_err("sw_devices=%u is out of range 0-%d\n", sw_devices,
		       DLB_SW_MAX_DEVICES);
		return -EINVAL;
	}

	for (i = 0; i < DLB_NUM_RESOURCES; i++) {
		/* A device needs a domain to be of any use. */
		min = i == DLB_RES_SCHED_DOMAINS ? 1 : 0;
		val = dlb_sw_total.num[i];
		if (val < min || val > dlb_sw_max.num[i]) {
			pr_err("sw_%s=%u is out of range %u-%u\n",
			       dlb_resource_names[i], val, min,
			       dlb_sw_max.num[i]);
			return -EINVAL;
		}
	}

	val = dlb_sw_total.num[DLB_RES_SEQUENCE_NUMBERS];
	if (val % DLB_SN_GROUP_SIZE) {
		pr_err("sw_%s=%u is not a multiple of the group size %d\n",
		       dlb_resource_names[DLB_RES_SEQUENCE_NUMBERS], val,
		       DLB_SN_GROUP_SIZE);
		return -EINVAL;
	}

	return 0;
}

/*
 * Allocate, set up the scheduler thread, register: the device is published
 * only when everything behind it is ready. A virtual device is one made on
 * @parent with @total its quota; it gets its own thread like any other.
 */
static struct dlb_sw_device *dlb_sw_create(struct dlb_device *parent,
					   const struct dlb_resources *total,
					   const char *config_dir)
{
	struct dlb_sw_device *sw;
	struct dlb_device *dlb;
	int err;

	dlb = dlb_device_alloc(parent ? &parent->dev : NULL, &dlb_sw_ops, total,
			       sizeof(*sw), config_dir);
	if (IS_ERR(dlb))
		return ERR_CAST(dlb);
	sw = dlb->priv;
	sw->dlb = dlb;
	debugfs_create_file_unsafe("fail_domain_start", 0600, dlb->debugfs, sw,
				   &dlb_sw_fail_domain_start_fops);

	err = dlb_sw_sched_init(sw);
	if (err)
		goto err_put;

	err = dlb_device_register(dlb);
	if (err)
		goto err_sched_exit;
	return sw;

err_sched_exit:
	dlb_sw_sched_exit(sw);
err_put:
	dlb_device_put(dlb);
	return ERR_PTR(err);
}

/* Mirror of dlb_sw_create(). */
static void dlb_sw_destroy(struct dlb_sw_device *sw)
{
	struct dlb_device *dlb = sw->dlb;

	dlb_device_unregister(dlb);
	dlb_sw_sched_exit(sw);
	dlb_device_put(dlb);
}

static struct dlb_device *dlb_sw_vdev_create(struct dlb_device *parent,
					     const struct dlb_resources *quota,
					     const char *config_dir)
{
	struct dlb_sw_device *sw = dlb_sw_create(parent, quota, config_dir);

	return IS_ERR(sw) ? ERR_CAST(sw) : sw->dlb;
}

static void dlb_sw_vdev_destroy(struct dlb_device *vdev)
{
	dlb_sw_destroy(vdev->priv);
}

/**
 * dlb_sw_exit() - destroy every software device
 *
 * Context: module exit, or the failure path of dlb_sw_init().
 */
void dlb_sw_exit(void)
{
	int i;

	for (i = DLB_SW_MAX_DEVICES - 1; i >= 0; i--) {
		if (!dlb_sw_devices[i])
			continue;
		dlb_sw_destroy(dlb_sw_devices[i]);
		dlb_sw_devices[i] = NULL;
	}
}

/**
 * dlb_sw_init() - check the parameters and create the software devices
 *
 * Context: module init, after the core is initialised.
 * Return: 0, -EINVAL for a bad parameter, or why a device failed; on
 * failure no software device remains.
 */
int dlb_sw_init(void)
{
	struct dlb_sw_device *sw;
	unsigned int i;
	int err;

	err = dlb_sw_check_params();
	if (err)
		return err;

	for (i = 0; i < sw_devices; i++) {
		sw = dlb_sw_create(NULL, &dlb_sw_total, NULL);
		if (IS_ERR(sw)) {
			err = PTR_ERR(sw);
			pr_err("software device %u: creation failed: %d\n", i,
			       err);
			dlb_sw_exit();
			return err;
		}
		dlb_sw_devices[i] = sw;
	}

	return 0;
}
