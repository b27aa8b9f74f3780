// SPDX-License-Identifier: GPL-2.0
/*
 * The device's sysfs attributes, /sys/class/dlb/dlb<N>/: device_type,
 * config_dir, sn_group_slot_sizes, and total_resources/ and
 * avail_resources/ with one read-only file per enum dlb_resource.
 */

#include <linux/device.h>
#include <linux/sysfs.h>

#include "dlb.h"

static ssize_t device_type_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_dlb_device(dev)->ops->type);
}
static DEVICE_ATTR_RO(device_type);

/* Where its domains/ is: /sys/kernel/config/dlb/<config_dir>/domains/. */
static ssize_t config_dir_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_dlb_device(dev)->config_dir);
}
static DEVICE_ATTR_RO(config_dir);

/*
 * The slot size of each sequence-number group, 0 while unused: the first
 * ordered queue started in a group decides it (see dlb_domain.c).
 */
static ssize_t sn_group_slot_sizes_show(struct device *dev,
					struct device_attribute *attr,
					char *buf)
{
	struct dlb_device *dlb = to_dlb_device(dev);
	unsigned int g, nr_groups;
	ssize_t len = 0;

	nr_groups = dlb->total.num[DLB_RES_SEQUENCE_NUMBERS] /
		    DLB_SN_GROUP_SIZE;
	mutex_lock(&dlb->lock);
	for (g = 0; g < nr_groups; g++)
		len += sysfs_emit_at(buf, len, "%s%u", g ? " " : "",
				     dlb->sn_groups[g].slot_size);
	mutex_unlock(&dlb->lock);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
static DEVICE_ATTR_RO(sn_group_slot_sizes);

static struct attribute *dlb_device_attrs[] = {
	&dev_attr_device_type.attr,
	&dev_attr_config_dir.attr,
	&dev_attr_sn_group_slot_sizes.attr,
	NULL,
};

static const struct attribute_group dlb_device_group = {
	.attrs = dlb_device_attrs,
};

/* A resource file: which resource it shows, total or available. */
struct dlb_res_attribute {
	struct device_attribute attr;
	enum dlb_resource res;
};

static enum dlb_resource to_dlb_res(struct device_attribute *attr)
{
	return container_of(attr, struct dlb_res_attribute, attr)->res;
}

static ssize_t dlb_total_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	/* Constant once the device is registered: no lock. */
	return sysfs_emit(buf, "%u\n",
			  to_dlb_device(dev)->total.num[to_dlb_res(attr)]);
}

static ssize_t dlb_avail_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct dlb_device *dlb = to_dlb_device(dev);
	u32 val;

	mutex_lock(&dlb->lock);
	val = dlb->avail.num[to_dlb_res(attr)];
	mutex_unlock(&dlb->lock);

	return sysfs_emit(buf, "%u\n", val);
}

/* The files of total_resources/ and avail_resources/, one per resource. */
#define DLB_RES_ATTR(_set, _name, _enum)				\
	{								\
		.attr = __ATTR(_name, 0444, dlb_##_set##_show, NULL),	\
		.res = DLB_RES_##_enum,					\
	}

static struct dlb_res_attribute dlb_total_res[DLB_NUM_RESOURCES] = {
#define DLB_RES(_enum, _name, _what)					\
	[DLB_RES_##_enum] = DLB_RES_ATTR(total, _name, _enum),
#include "dlb_resource_table.h"
#undef DLB_RES
};

static struct dlb_res_attribute dlb_avail_res[DLB_NUM_RESOURCES] = {
#define DLB_RES(_enum, _name, _what)					\
	[DLB_RES_##_enum] = DLB_RES_ATTR(avail, _name, _enum),
#include "dlb_resource_table.h"
#undef DLB_RES
};

/* NULL-terminated: one more entry than resources. */
static struct attribute *dlb_total_attrs[DLB_NUM_RESOURCES + 1] = {
#define DLB_RES(_enum, _name, _what)					\
	[DLB_RES_##_enum] = &dlb_total_res[DLB_RES_##_enum].attr.attr,
#include "dlb_resource_table.h"
#undef DLB_RES
};

static struct attribute *dlb_avail_attrs[DLB_NUM_RESOURCES + 1] = {
#define DLB_RES(_enum, _name, _what)					\
	[DLB_RES_##_enum] = &dlb_avail_res[DLB_RES_##_enum].attr.attr,
#include "dlb_resource_table.h"
#undef DLB_RES
};

static const struct attribute_group dlb_total_group = {
	.name = "total_resources",
	.attrs = dlb_total_attrs,
};

static const struct attribute_group dlb_avail_group = {
	.name = "avail_resources",
	.attrs = dlb_avail_attrs,
};

const struct attribute_group *dlb_device_groups[] = {
	&dlb_device_group,
	&dlb_total_group,
	&dlb_avail_group,
	NULL,
};
