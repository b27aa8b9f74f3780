// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual devices: /sys/kernel/config/dlb/<dev>/vdevs/<name>/, made by
 * mkdir, one quota attribute per resource, and commit, which validates the
 * quota, reserves it from the parent device all or nothing, and asks the
 * backend (struct dlb_device_ops.vdev_create) for a device whose totals are
 * the quota; uncommit (and the parent's removal) undo it in reverse and give
 * the parent its resources back exactly. The backend makes the device; this
 * file owns the configfs glue, the quota rules' use and the parent's
 * accounting.
 *
 * The virtual device's domains live in vdevs/<name>/domains/, a default
 * group made with the vdev: registering a configfs group from commit (an
 * attribute store, under the fragment's frag_sem) would order frag_sem
 * before a directory's inode lock, the reverse of rmdir's order. Its
 * make_group refuses until commit has made the device.
 *
 * Locks: a vdev's @lock is taken first, then the parent's or the virtual
 * device's lock (never both at once). mkdir in domains/ takes @lock, so
 * neither commit nor the device's registration may take a configfs
 * directory's lock or su_mutex: neither does. The drop_item of a vdev takes
 * only the parent's lock, and a committed vdev cannot be removed (its
 * directory is pinned as a started domain's is).
 */

#include <linux/bitmap.h>
#include <linux/configfs.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "dlb_configfs.h"

/**
 * struct dlb_vdev - a virtual device's configuration, vdevs/<name>/
 * @group: its configfs directory
 * @domains: its domains/ group, the virtual device's once committed
 * @parent: the device it is carved from; the vdev holds a reference
 * @node: entry in @parent->vdevs, under @parent->lock
 * @lock: protects everything below
 * @quota: its totals, written while not committed
 * @dev: the virtual device while committed, else NULL
 * @hist_base: first history list entry of its range in the parent's
 * @sn_groups: the parent's sequence-number groups it holds, a bit each
 */
struct dlb_vdev {
	struct config_group group;
	struct config_group domains;
	struct dlb_device *parent;
	struct list_head node;
	struct mutex lock; /* protects: see @lock above */
	struct dlb_resources quota;
	struct dlb_device *dev;
	u32 hist_base;
	unsigned int sn_groups;
};

static struct dlb_vdev *to_dlb_vdev(struct config_item *item)
{
	return container_of(to_config_group(item), struct dlb_vdev, group);
}

static const char *dlb_vdev_name(struct dlb_vdev *vdev)
{
	return config_item_name(&vdev->group.cg_item);
}

/* Reserve the quota from the parent: all or nothing, one line if refused. */
static int dlb_vdev_reserve(struct dlb_vdev *vdev)
{
	struct dlb_device *parent = vdev->parent;
	u32 hist = vdev->quota.num[DLB_RES_HIST_LIST_ENTRIES];
	struct dlb_rules_verdict v;
	struct dlb_rules_avail a;
	unsigned int sn_groups;
	u32 start;
	int ret;

	mutex_lock(&parent->lock);
	if (parent->closing) {
		ret = -ENODEV;
		dev_info(&parent->dev, "vdev %s: the device is being removed\n",
			 dlb_vdev_name(vdev));
		goto out;
	}
	dlb_rsrc_avail_get(parent, &a);
	ret = dlb_rules_reserve_quota(&a, &vdev->quota, &sn_groups, &v);
	if (ret) {
		dev_info(&parent->dev, "vdev %s: %s\n", dlb_vdev_name(vdev),
			 v.msg);
		goto out;
	}
	ret = dlb_rsrc_hist_find(parent, hist, &start);
	if (ret) {
		dev_info(&parent->dev, "vdev %s: %s: no contiguous range of %u left (fragmented)\n",
			 dlb_vdev_name(vdev),
			 dlb_resource_names[DLB_RES_HIST_LIST_ENTRIES], hist);
		goto out;
	}
	bitmap_set(parent->hist_map, start, hist);
	dlb_rsrc_avail_set(parent, &a);
	vdev->hist_base = start;
	vdev->sn_groups = sn_groups;
out:
	mutex_unlock(&parent->lock);
	return ret;
}

/* Give back exactly what dlb_vdev_reserve() took. */
static void dlb_vdev_release_quota(struct dlb_vdev *vdev)
{
	struct dlb_device *parent = vdev->parent;
	u32 ports = vdev->quota.num[DLB_RES_LDB_PORTS];
	unsigned int g;
	int i;

	mutex_lock(&parent->lock);
	for (i = 0; i < DLB_NUM_RESOURCES; i++)
		parent->avail.num[i] += vdev->quota.num[i];
	for (i = 0; i < DLB_NUM_COS; i++)
		parent->avail_ldb_ports_cos[i] += dlb_rules_cos_total(ports, i);
	bitmap_clear(parent->hist_map, vdev->hist_base,
		     vdev->quota.num[DLB_RES_HIST_LIST_ENTRIES]);
	for (g = 0; g < DLB_MAX_SN_GROUPS; g++) {
		if (vdev->sn_groups & (1U << g))
			parent->sn_groups[g] = (struct dlb_sn_group){ };
	}
	vdev->sn_groups = 0;
	vdev->hist_base = 0;
	mutex_unlock(&parent->lock);
}

/* Validate, reserve, pin, create: the device exists only if all worked. */
static int dlb_vdev_commit(struct dlb_vdev *vdev)
{
	struct dlb_device *parent = vdev->parent;
	char config_dir[DLB_CONFIG_DIR_LEN];
	struct dlb_rules_verdict v;
	struct dlb_device *dev;
	int ret;

	lockdep_assert_held(&vdev->lock);
	if (vdev->dev)
		return -EBUSY;
	/* Cannot be cut short: the names are as long as they may be. */
	snprintf(config_dir, sizeof(config_dir), "%s/vdevs/%s",
		 dev_name(&parent->dev), dlb_vdev_name(vdev));
	ret = dlb_rules_quota_validate(&vdev->quota, &v);
	if (ret) {
		dev_info(&parent->dev, "vdev %s: %s\n", dlb_vdev_name(vdev),
			 v.msg);
		return ret;
	}
	ret = dlb_vdev_reserve(vdev);
	if (ret)
		return ret;
	ret = dlb_cfs_pin(&vdev->group.cg_item);
	if (ret) {
		dev_info(&parent->dev, "vdev %s: being removed\n",
			 dlb_vdev_name(vdev));
		goto err_release;
	}
	dev = parent->ops->vdev_create(parent, &vdev->quota, config_dir);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		dev_info(&parent->dev, "vdev %s: the device cannot be created: %d\n",
			 dlb_vdev_name(vdev), ret);
		goto err_unpin;
	}
	vdev->dev = dev;
	dev_info(&parent->dev, "vdev %s: committed as %s\n",
		 dlb_vdev_name(vdev), dev_name(&dev->dev));
	return 0;

err_unpin:
	configfs_undepend_item(&vdev->group.cg_item);
err_release:
	dlb_vdev_release_quota(vdev);
	return ret;
}

/* Mirror of dlb_vdev_commit(); -EBUSY while the device has a domain. */
static int dlb_vdev_uncommit(struct dlb_vdev *vdev)
{
	struct dlb_device *dev = vdev->dev;
	unsigned int nr;

	lockdep_assert_held(&vdev->lock);
	if (!dev)
		return 0;

	mutex_lock(&dev->lock);
	nr = dev->nr_domains;
	if (!nr)
		dev->closing = true;
	mutex_unlock(&dev->lock);
	if (nr) {
		dev_info(&vdev->parent->dev, "vdev %s: %s has %u domain(s)\n",
			 dlb_vdev_name(vdev), dev_name(&dev->dev), nr);
		return -EBUSY;
	}

	vdev->dev = NULL;
	vdev->parent->ops->vdev_destroy(dev);
	configfs_undepend_item(&vdev->group.cg_item);
	dlb_vdev_release_quota(vdev);
	return 0;
}

static ssize_t dlb_vdev_commit_show(struct config_item *item, char *page)
{
	struct dlb_vdev *vdev = to_dlb_vdev(item);
	bool committed;

	mutex_lock(&vdev->lock);
	committed = vdev->dev;
	mutex_unlock(&vdev->lock);

	return sysfs_emit(page, "%d\n", committed);
}

static ssize_t dlb_vdev_commit_store(struct config_item *item,
				     const char *page, size_t count)
{
	struct dlb_vdev *vdev = to_dlb_vdev(item);
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32(page, &val);
	if (ret || val > 1)
		return -EINVAL;

	mutex_lock(&vdev->lock);
	ret = val ? dlb_vdev_commit(vdev) : dlb_vdev_uncommit(vdev);
	mutex_unlock(&vdev->lock);

	return ret ?: count;
}

CONFIGFS_ATTR(dlb_vdev_, commit);

static ssize_t dlb_vdev_device_show(struct config_item *item, char *page)
{
	struct dlb_vdev *vdev = to_dlb_vdev(item);
	ssize_t len;

	mutex_lock(&vdev->lock);
	len = sysfs_emit(page, "%s\n", vdev->dev ? dev_name(&vdev->dev->dev) :
			 "");
	mutex_unlock(&vdev->lock);

	return len;
}

CONFIGFS_ATTR_RO(dlb_vdev_, device);

static ssize_t dlb_vdev_quota_show(struct config_item *item, char *page,
				   enum dlb_resource res)
{
	struct dlb_vdev *vdev = to_dlb_vdev(item);
	u32 val;

	mutex_lock(&vdev->lock);
	val = vdev->quota.num[res];
	mutex_unlock(&vdev->lock);

	return sysfs_emit(page, "%u\n", val);
}

static ssize_t dlb_vdev_quota_store(struct config_item *item,
				    const char *page, size_t count,
				    enum dlb_resource res)
{
	struct dlb_vdev *vdev = to_dlb_vdev(item);
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32_range(item, dlb_resource_names[res], page, 0,
				      vdev->parent->total.num[res], &val);
	if (ret)
		return ret;

	mutex_lock(&vdev->lock);
	if (vdev->dev)
		ret = -EBUSY;
	else
		vdev->quota.num[res] = val;
	mutex_unlock(&vdev->lock);

	return ret ?: count;
}

/* One show and store per resource, named as total_resources/ names it. */
#define DLB_RES(_enum, _name, _what)					\
static ssize_t dlb_vdev_##_name##_show(struct config_item *item,	\
				       char *page)			\
{									\
	return dlb_vdev_quota_show(item, page, DLB_RES_##_enum);	\
}									\
static ssize_t dlb_vdev_##_name##_store(struct config_item *item,	\
					const char *page, size_t count)	\
{									\
	return dlb_vdev_quota_store(item, page, count, DLB_RES_##_enum); \
}

#include "dlb_resource_table.h"
#undef DLB_RES

/* configfs's CONFIGFS_ATTR(), as an initializer of an array entry. */
#define DLB_VDEV_QUOTA_ATTR(_name)					\
	{								\
		.ca_owner = THIS_MODULE,				\
		.ca_name = __stringify(_name),				\
		.ca_mode = 0644,					\
		.show = dlb_vdev_##_name##_show,			\
		.store = dlb_vdev_##_name##_store,			\
	}

static struct configfs_attribute dlb_vdev_quota_attrs[DLB_NUM_RESOURCES] = {
#define DLB_RES(_enum, _name, _what)					\
	[DLB_RES_##_enum] = DLB_VDEV_QUOTA_ATTR(_name),
#include "dlb_resource_table.h"
#undef DLB_RES
};

/* The quotas, commit, device and the NULL that ends the list. */
static struct configfs_attribute *dlb_vdev_attrs[DLB_NUM_RESOURCES + 3] = {
#define DLB_RES(_enum, _name, _what)					\
	[DLB_RES_##_enum] = &dlb_vdev_quota_attrs[DLB_RES_##_enum],
#include "dlb_resource_table.h"
#undef DLB_RES
	[DLB_NUM_RESOURCES] = &dlb_vdev_attr_commit,
	[DLB_NUM_RESOURCES + 1] = &dlb_vdev_attr_device,
};

/* domains/ of a vdev: the virtual device's domains, once it exists. */
static struct config_group *dlb_vdev_domains_make_group(struct config_group *group,
							const char *name)
{
	struct dlb_vdev *vdev = container_of(group, struct dlb_vdev, domains);
	struct config_group *domain;

	mutex_lock(&vdev->lock);
	if (vdev->dev) {
		domain = dlb_cfs_domain_make(vdev->dev, name);
	} else {
		dev_info(&vdev->parent->dev, "vdev %s: not committed: no device for domain %s\n",
			 dlb_vdev_name(vdev), name);
		domain = ERR_PTR(-ENODEV);
	}
	mutex_unlock(&vdev->lock);

	return domain;
}

static void dlb_vdev_domains_drop_item(struct config_group *group,
				       struct config_item *item)
{
	dlb_cfs_domain_drop(item);
}

static struct configfs_group_operations dlb_vdev_domains_group_ops = {
	.make_group = dlb_vdev_domains_make_group,
	.drop_item = dlb_vdev_domains_drop_item,
};

static const struct config_item_type dlb_vdev_domains_type = {
	.ct_group_ops = &dlb_vdev_domains_group_ops,
	.ct_owner = THIS_MODULE,
};

static void dlb_vdev_release(struct config_item *item)
{
	struct dlb_vdev *vdev = to_dlb_vdev(item);

	put_device(&vdev->parent->dev);
	mutex_destroy(&vdev->lock);
	kfree(vdev);
}

static struct configfs_item_operations dlb_vdev_item_ops = {
	.release = dlb_vdev_release,
};

static const struct config_item_type dlb_vdev_type = {
	.ct_item_ops = &dlb_vdev_item_ops,
	.ct_attrs = dlb_vdev_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group *dlb_vdevs_make_group(struct config_group *group,
						 const char *name)
{
	struct dlb_device *parent = container_of(group, struct dlb_device,
						 cfs_vdevs);
	struct dlb_vdev *vdev;

	if (!dlb_obj_name_valid(name))
		return ERR_PTR(-EINVAL);

	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev)
		return ERR_PTR(-ENOMEM);
	mutex_init(&vdev->lock);
	get_device(&parent->dev);
	vdev->parent = parent;
	config_group_init_type_name(&vdev->group, name, &dlb_vdev_type);
	config_group_init_type_name(&vdev->domains, "domains",
				    &dlb_vdev_domains_type);
	configfs_add_default_group(&vdev->domains, &vdev->group);

	mutex_lock(&parent->lock);
	list_add_tail(&vdev->node, &parent->vdevs);
	mutex_unlock(&parent->lock);

	return &vdev->group;
}

/* Not while committed: the directory is pinned then. */
static void dlb_vdevs_drop_item(struct config_group *group,
				struct config_item *item)
{
	struct dlb_vdev *vdev = to_dlb_vdev(item);
	struct dlb_device *parent = vdev->parent;

	mutex_lock(&parent->lock);
	list_del_init(&vdev->node);
	mutex_unlock(&parent->lock);
	dlb_cfs_unhash(item);
	config_item_put(item);
}

static struct configfs_group_operations dlb_vdevs_group_ops = {
	.make_group = dlb_vdevs_make_group,
	.drop_item = dlb_vdevs_drop_item,
};

const struct config_item_type dlb_vdevs_group_type = {
	.ct_group_ops = &dlb_vdevs_group_ops,
	.ct_owner = THIS_MODULE,
};

/**
 * dlb_vdevs_remove() - remove the virtual devices of a device being removed
 * @parent: the device, about to be unregistered
 *
 * Each committed vdev is uncommitted: its device removed and the quota
 * given back. What remains are uncommitted configurations, which hold no
 * resource. A vdev with domains cannot be removed; they are user-made
 * directories, which pin the module, so the parent's removal at module exit
 * never meets one (a PCI backend's hot removal must stop and remove them
 * first, as it must the parent's own domains).
 *
 * A commit racing with the removal (possible only for a backend whose
 * devices go away while the module stays, such as a PCI one's on hot
 * removal) fails with -ENODEV: @parent->closing is set first, under
 * @parent->lock, which dlb_vdev_reserve() holds while it reserves.
 *
 * Context: process context, no lock held; the parent's configfs group still
 * exists, so no vdev can be dropped meanwhile.
 */
void dlb_vdevs_remove(struct dlb_device *parent)
{
	struct dlb_vdev *vdev, *found;
	int err;

	/* No commit from now on, and no new domain on @parent either. */
	mutex_lock(&parent->lock);
	parent->closing = true;
	mutex_unlock(&parent->lock);

	for (;;) {
		found = NULL;
		mutex_lock(&parent->lock);
		list_for_each_entry(vdev, &parent->vdevs, node) {
			if (READ_ONCE(vdev->dev)) {
				found = vdev;
				config_item_get(&found->group.cg_item);
				break;
			}
		}
		mutex_unlock(&parent->lock);
		if (!found)
			return;

		mutex_lock(&found->lock);
		err = dlb_vdev_uncommit(found);
		mutex_unlock(&found->lock);
		config_item_put(&found->group.cg_item);
		if (err) {
			dev_err(&parent->dev, "vdevs: a virtual device with domains is left behind\n");
			return;
		}
	}
}
