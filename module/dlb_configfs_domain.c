// SPDX-License-Identifier: GPL-2.0
/*
 * Configfs glue for domains:
 * /sys/kernel/config/dlb/<dev>/domains/<domain>/ made by mkdir, its
 * attributes (start, force_stop, generation, open_ports, forced_drops,
 * uid, gid, the credit pools) and its queues/ and ports/ groups. The work
 * is in dlb_domain.c.
 *
 * Every store parses first, then takes the device lock, refuses with -EBUSY
 * if the domain is started, commits and bumps the generation.
 */

#include <linux/configfs.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "dlb_configfs.h"

/*
 * start: "1" starts, "0" stops, "1 <generation>" starts only if the
 * domain's generation is still <generation>. A trailing newline is allowed.
 */
static int dlb_domain_parse_start(const char *page, bool *start,
				  bool *have_gen, u64 *gen)
{
	const char *p = page + 1;

	if (page[0] != '0' && page[0] != '1')
		return -EINVAL;
	*start = page[0] == '1';
	*have_gen = false;

	if (*start && *p == ' ') {
		if (!isdigit(p[1]))
			return -EINVAL;
		*have_gen = true;
		return kstrtou64(p + 1, 10, gen);
	}
	if (*p == '\n')
		p++;
	return *p ? -EINVAL : 0;
}

static ssize_t dlb_domain_config_start_show(struct config_item *item,
					    char *page)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	bool started;

	mutex_lock(&domain->dlb->lock);
	started = domain->started;
	mutex_unlock(&domain->dlb->lock);

	return sysfs_emit(page, "%d\n", started);
}

static ssize_t dlb_domain_config_start_store(struct config_item *item,
					     const char *page, size_t count)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	bool start, have_gen;
	u64 gen;
	int ret;

	ret = dlb_domain_parse_start(page, &start, &have_gen, &gen);
	if (ret)
		return ret;

	mutex_lock(&domain->dlb->lock);
	if (start && domain->started) {
		ret = -EBUSY;
	} else if (start) {
		ret = dlb_cfs_domain_pin(domain);
		if (!ret) {
			ret = dlb_domain_start(domain, have_gen ? &gen : NULL);
			if (ret)
				dlb_cfs_domain_unpin(domain);
		}
	} else if (domain->started) {
		ret = dlb_domain_stop(domain);
		if (!ret)
			dlb_cfs_domain_unpin(domain);
	}
	mutex_unlock(&domain->dlb->lock);

	return ret ?: count;
}

CONFIGFS_ATTR(dlb_domain_config_, start);

/*
 * force_stop: "1" (a trailing newline allowed) stops a started domain
 * even with port files open, revoking them. Write-only: it is an action,
 * and what it did shows in start, open_ports and forced_drops.
 */
static ssize_t dlb_domain_config_force_stop_store(struct config_item *item,
						  const char *page,
						  size_t count)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	int ret;

	if (strcmp(page, "1") && strcmp(page, "1\n"))
		return -EINVAL;

	mutex_lock(&domain->dlb->lock);
	ret = dlb_domain_force_stop(domain);
	if (!ret)
		dlb_cfs_domain_unpin(domain);
	mutex_unlock(&domain->dlb->lock);

	return ret ?: count;
}

CONFIGFS_ATTR_WO(dlb_domain_config_, force_stop);

static ssize_t dlb_domain_config_open_ports_show(struct config_item *item,
						 char *page)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	unsigned int n;

	mutex_lock(&domain->dlb->lock);
	n = domain->nr_open_files;
	mutex_unlock(&domain->dlb->lock);

	return sysfs_emit(page, "%u\n", n);
}

CONFIGFS_ATTR_RO(dlb_domain_config_, open_ports);

static ssize_t dlb_domain_config_forced_drops_show(struct config_item *item,
						   char *page)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	u64 n;

	mutex_lock(&domain->dlb->lock);
	n = domain->forced_drops;
	mutex_unlock(&domain->dlb->lock);

	return sysfs_emit(page, "%llu\n", n);
}

CONFIGFS_ATTR_RO(dlb_domain_config_, forced_drops);

static ssize_t dlb_domain_config_generation_show(struct config_item *item,
						 char *page)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	u64 gen;

	mutex_lock(&domain->dlb->lock);
	gen = domain->generation;
	mutex_unlock(&domain->dlb->lock);

	return sysfs_emit(page, "%llu\n", gen);
}

CONFIGFS_ATTR_RO(dlb_domain_config_, generation);

static ssize_t dlb_domain_config_uid_show(struct config_item *item,
					  char *page)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	kuid_t uid;

	mutex_lock(&domain->dlb->lock);
	uid = domain->uid;
	mutex_unlock(&domain->dlb->lock);

	return sysfs_emit(page, "%u\n", from_kuid_munged(current_user_ns(), uid));
}

static ssize_t dlb_domain_config_uid_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	kuid_t uid;
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32(page, &val);
	if (ret)
		return ret;
	/* The number is in the writer's user namespace. */
	uid = make_kuid(current_user_ns(), val);
	if (!uid_valid(uid))
		return -EINVAL;

	mutex_lock(&domain->dlb->lock);
	if (domain->started) {
		ret = -EBUSY;
	} else {
		domain->uid = uid;
		dlb_domain_changed(domain);
	}
	mutex_unlock(&domain->dlb->lock);

	return ret ?: count;
}

CONFIGFS_ATTR(dlb_domain_config_, uid);

static ssize_t dlb_domain_config_gid_show(struct config_item *item,
					  char *page)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	kgid_t gid;

	mutex_lock(&domain->dlb->lock);
	gid = domain->gid;
	mutex_unlock(&domain->dlb->lock);

	return sysfs_emit(page, "%u\n", from_kgid_munged(current_user_ns(), gid));
}

static ssize_t dlb_domain_config_gid_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	kgid_t gid;
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32(page, &val);
	if (ret)
		return ret;
	gid = make_kgid(current_user_ns(), val);
	if (!gid_valid(gid))
		return -EINVAL;

	mutex_lock(&domain->dlb->lock);
	if (domain->started) {
		ret = -EBUSY;
	} else {
		domain->gid = gid;
		dlb_domain_changed(domain);
	}
	mutex_unlock(&domain->dlb->lock);

	return ret ?: count;
}

CONFIGFS_ATTR(dlb_domain_config_, gid);

static ssize_t dlb_domain_config_ldb_credits_show(struct config_item *item,
						  char *page)
{
	struct dlb_domain *domain = to_dlb_domain(item);

	return dlb_cfs_show_u32(domain, &domain->ldb_credits, page);
}

static ssize_t dlb_domain_config_ldb_credits_store(struct config_item *item,
						   const char *page,
						   size_t count)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32_range(item, "ldb_credits", page, 0,
				      DLB_MAX_LDB_CREDITS, &val);
	if (ret)
		return ret;

	return dlb_cfs_store_u32(domain, &domain->ldb_credits, val, count);
}

CONFIGFS_ATTR(dlb_domain_config_, ldb_credits);

static ssize_t dlb_domain_config_dir_credits_show(struct config_item *item,
						  char *page)
{
	struct dlb_domain *domain = to_dlb_domain(item);

	return dlb_cfs_show_u32(domain, &domain->dir_credits, page);
}

static ssize_t dlb_domain_config_dir_credits_store(struct config_item *item,
						   const char *page,
						   size_t count)
{
	struct dlb_domain *domain = to_dlb_domain(item);
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32_range(item, "dir_credits", page, 0,
				      DLB_MAX_DIR_CREDITS, &val);
	if (ret)
		return ret;

	return dlb_cfs_store_u32(domain, &domain->dir_credits, val, count);
}

CONFIGFS_ATTR(dlb_domain_config_, dir_credits);

static struct configfs_attribute *dlb_domain_config_attrs[] = {
	&dlb_domain_config_attr_start,
	&dlb_domain_config_attr_force_stop,
	&dlb_domain_config_attr_generation,
	&dlb_domain_config_attr_open_ports,
	&dlb_domain_config_attr_forced_drops,
	&dlb_domain_config_attr_uid,
	&dlb_domain_config_attr_gid,
	&dlb_domain_config_attr_ldb_credits,
	&dlb_domain_config_attr_dir_credits,
	NULL,
};

static void dlb_domain_config_release(struct config_item *item)
{
	kfree(to_dlb_domain(item));
}

static struct configfs_item_operations dlb_domain_item_ops = {
	.release = dlb_domain_config_release,
};

static const struct config_item_type dlb_domain_type = {
	.ct_item_ops = &dlb_domain_item_ops,
	.ct_attrs = dlb_domain_config_attrs,
	.ct_owner = THIS_MODULE,
};

/**
 * dlb_cfs_domain_make() - make domains/<name>/ of a device
 * @dlb: the device whose domains/ group is being written
 * @name: the directory's name
 *
 * The make_group of every domains/ group: the device's own and a virtual
 * device's (which is its vdev's, see dlb_vdev.c).
 *
 * Context: configfs make_group.
 * Return: the domain's group or an ERR_PTR() from dlb_domain_create().
 */
struct config_group *dlb_cfs_domain_make(struct dlb_device *dlb,
					 const char *name)
{
	struct dlb_domain *domain;

	domain = dlb_domain_create(dlb, name);
	if (IS_ERR(domain))
		return ERR_CAST(domain);

	config_group_init_type_name(&domain->group, name, &dlb_domain_type);
	config_group_init_type_name(&domain->queues_group, "queues",
				    &dlb_queues_group_type);
	configfs_add_default_group(&domain->queues_group, &domain->group);
	config_group_init_type_name(&domain->ports_group, "ports",
				    &dlb_ports_group_type);
	configfs_add_default_group(&domain->ports_group, &domain->group);

	return &domain->group;
}

/**
 * dlb_cfs_domain_drop() - remove a domain's directory
 * @item: the domain's item
 *
 * The drop_item of every domains/ group. Not while started: the domain's
 * directory is pinned then. dlb_cfs_unhash() keeps a racing symlink() away
 * from the item.
 *
 * Context: configfs drop_item.
 */
void dlb_cfs_domain_drop(struct config_item *item)
{
	dlb_domain_remove(to_dlb_domain(item));
	dlb_cfs_unhash(item);
	config_item_put(item);
}

static struct config_group *dlb_domains_make_group(struct config_group *group,
						   const char *name)
{
	return dlb_cfs_domain_make(container_of(group, struct dlb_device,
						cfs_domains), name);
}

static void dlb_domains_drop_item(struct config_group *group,
				  struct config_item *item)
{
	dlb_cfs_domain_drop(item);
}

static struct configfs_group_operations dlb_domains_group_ops = {
	.make_group = dlb_domains_make_group,
	.drop_item = dlb_domains_drop_item,
};

const struct config_item_type dlb_domains_group_type = {
	.ct_group_ops = &dlb_domains_group_ops,
	.ct_owner = THIS_MODULE,
};
