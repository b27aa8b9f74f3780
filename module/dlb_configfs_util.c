// SPDX-License-Identifier: GPL-2.0
/*
 * What the configfs glue of every level (dlb_configfs_{domain,queue,port}.c)
 * shares: strict number parsing, showing and storing a u32 setting, making
 * a removed directory unreachable by symlink(), and pinning a started
 * domain's tree. It calls nothing else of the glue, so the subsystem root
 * (dlb_configfs.c) and the levels below it both sit above it.
 */

#include <linux/configfs.h>
#include <linux/ctype.h>
#include <linux/dcache.h>

#include "dlb_configfs_util.h"

/**
 * dlb_cfs_parse_u32() - parse a decimal number the way echo writes it
 * @page: what was written, NUL-terminated
 * @val: the number
 *
 * Accepts digits and at most one trailing newline: no sign, no spaces, no
 * base prefix, which kstrtou32() alone would let through in part.
 *
 * Context: any.
 * Return: 0, -EINVAL if @page is not such a number, -ERANGE if it does not
 * fit 32 bits.
 */
int dlb_cfs_parse_u32(const char *page, u32 *val)
{
	if (!isdigit(page[0]))
		return -EINVAL;
	return kstrtou32(page, 10, val);
}

/**
 * dlb_cfs_parse_u32_range() - parse a number and check its range
 * @item: the item written to, named in the log line
 * @attr: the attribute written to, named in the log line
 * @page: what was written, NUL-terminated
 * @min: smallest allowed value
 * @max: largest allowed value
 * @val: the number
 *
 * Context: any.
 * Return: 0, -EINVAL if @page is not a number, -ERANGE if it is out of
 * @min-@max (logged with the range, rate-limited).
 */
int dlb_cfs_parse_u32_range(struct config_item *item, const char *attr,
			    const char *page, u32 min, u32 max, u32 *val)
{
	int ret;

	ret = dlb_cfs_parse_u32(page, val);
	if (ret == -EINVAL)
		return ret;
	if (ret || *val < min || *val > max) {
		pr_info_ratelimited(DLB_NAME ": %s: %s: out of range %u-%u\n",
				    config_item_name(item), attr, min, max);
		return -ERANGE;
	}
	return 0;
}

/* Unpin the queues before @end (all if NULL), then the domain. */
static void dlb_cfs_unpin_queues(struct dlb_domain *domain,
				 struct dlb_queue *end)
{
	struct dlb_queue *queue;

	list_for_each_entry(queue, &domain->queues, node) {
		if (queue == end)
			break;
		configfs_undepend_item(&queue->group.cg_item);
	}
	configfs_undepend_item(&domain->group.cg_item);
}

/* Unpin the ports before @end (all if NULL), then the rest. */
static void dlb_cfs_unpin_ports(struct dlb_domain *domain,
				struct dlb_port *end)
{
	struct dlb_port *port;

	list_for_each_entry(port, &domain->ports, node) {
		if (port == end)
			break;
		configfs_undepend_item(&port->group.cg_item);
	}
	dlb_cfs_unpin_queues(domain, NULL);
}

/**
 * dlb_cfs_show_u32() - show a u32 setting of a domain or of one of its objects
 * @domain: the domain the setting belongs to
 * @field: the setting
 * @page: configfs's buffer
 *
 * Context: takes the device's lock.
 * Return: the length written.
 */
ssize_t dlb_cfs_show_u32(struct dlb_domain *domain, const u32 *field,
			 char *page)
{
	u32 val;

	mutex_lock(&domain->dlb->lock);
	val = *field;
	mutex_unlock(&domain->dlb->lock);

	return sysfs_emit(page, "%u\n", val);
}

/**
 * dlb_cfs_store_u32() - set a u32 setting unless the domain is started
 * @domain: the domain the setting belongs to
 * @field: the setting
 * @val: the new value, already parsed and range-checked
 * @count: what the store consumed, returned on success
 *
 * Context: takes the device's lock.
 * Return: @count, or -EBUSY while @domain is started (nothing changes).
 */
ssize_t dlb_cfs_store_u32(struct dlb_domain *domain, u32 *field, u32 val,
			  size_t count)
{
	int ret = 0;

	mutex_lock(&domain->dlb->lock);
	if (domain->started) {
		ret = -EBUSY;
	} else {
		*field = val;
		dlb_domain_changed(domain);
	}
	mutex_unlock(&domain->dlb->lock);

	return ret ?: count;
}

/**
 * dlb_cfs_unhash() - make a directory being removed unreachable by symlink()
 * @item: the domain, queue or port configfs is removing
 *
 * Workaround (configfs core): symlink() racing rmdir of its target, written
 * up for upstream in docs/configfs-symlink-rmdir.patch.txt; remove it once
 * configfs unhashes the directory itself.
 *
 * configfs_symlink() resolves its target with no lock that excludes rmdir,
 * then takes a reference on the target's item if the target's dentry is
 * still hashed. The VFS unhashes a removed directory only after ->rmdir()
 * returns, and by then configfs has dropped the item's last reference: an
 * "ln -s" racing an rmdir of its target took a reference on a freed item
 * (refcount_t: addition on 0) and handed it to allow_link. Unhashing the
 * dentry while the item still holds references closes the window: such a
 * symlink now fails with ENOENT. The VFS's own d_delete() later still
 * does its part (it turns the dentry negative when it is the last user);
 * unhashing an unhashed dentry is harmless. Any item can be named as a
 * symlink's target, so every kind of object does this.
 *
 * Context: configfs_rmdir() or a failed configfs_mkdir(), both holding a
 * reference on the item and on its dentry.
 */
void dlb_cfs_unhash(struct config_item *item)
{
	if (item->ci_dentry)
		d_drop(item->ci_dentry);
}

/**
 * dlb_cfs_pin() - make rmdir of one directory of the dlb tree fail
 * @item: the item
 *
 * rmdir of a pinned item fails with -EBUSY until configfs_undepend_item():
 * the items of a started domain, and a committed virtual device.
 *
 * Workaround (configfs core; see docs/configfs-symlink-rmdir.patch.txt): a
 * queue or port joins its domain's list in make_group, but configfs links
 * it to its parent group (sets ci_group) only after make_group returns,
 * outside our lock, and configfs_depend_item_unlocked() follows ci_group
 * without a check: an item still unlinked is in the middle of mkdir, so
 * refuse as for one that configfs has not attached yet. ci_group goes from
 * NULL to set once; the only way back is rmdir, which takes the item out
 * of the domain under the device's lock first (disconnect_notify). The
 * subsystem is the one of @item's parent group: configfs set its cg_subsys
 * when it linked that group, before @item could be made in it.
 *
 * Context: an attribute store, where configfs holds no subsystem lock.
 * Return: 0, or -ENOENT if @item is in the middle of mkdir or rmdir.
 */
int dlb_cfs_pin(struct config_item *item)
{
	struct config_group *parent = READ_ONCE(item->ci_group);

	if (!parent)
		return -ENOENT;
	return configfs_depend_item_unlocked(parent->cg_subsys, item);
}

/**
 * dlb_cfs_domain_pin() - make rmdir of a domain and its objects fail
 * @domain: the domain, about to start
 *
 * drop_item cannot refuse, so a started domain's directories are pinned
 * (rmdir fails with -EBUSY) the way gpio-sim pins a live chip. Links need
 * no pin: configfs refuses rmdir of a link's target and of a directory
 * holding links.
 *
 * Context: the device's lock held; called from an attribute store, where
 * configfs holds no subsystem lock.
 * Return: 0, or -EBUSY if an object is in the middle of mkdir or rmdir;
 * then nothing is pinned.
 */
int dlb_cfs_domain_pin(struct dlb_domain *domain)
{
	struct dlb_queue *queue;
	struct dlb_port *port;
	int ret;

	lockdep_assert_held(&domain->dlb->lock);

	ret = dlb_cfs_pin(&domain->group.cg_item);
	if (ret)
		goto err;

	list_for_each_entry(queue, &domain->queues, node) {
		ret = dlb_cfs_pin(&queue->group.cg_item);
		if (ret) {
			dlb_cfs_unpin_queues(domain, queue);
			goto err;
		}
	}

	list_for_each_entry(port, &domain->ports, node) {
		ret = dlb_cfs_pin(&port->group.cg_item);
		if (ret) {
			dlb_cfs_unpin_ports(domain, port);
			goto err;
		}
	}
	return 0;

err:
	dev_info(&domain->dlb->dev, "domain %s: an object is being created or removed, try again\n",
		 dlb_domain_name(domain));
	return -EBUSY;
}

/**
 * dlb_cfs_domain_unpin() - undo dlb_cfs_domain_pin()
 * @domain: the domain, just stopped or failed to start
 *
 * Context: the device's lock held.
 */
void dlb_cfs_domain_unpin(struct dlb_domain *domain)
{
	lockdep_assert_held(&domain->dlb->lock);
	dlb_cfs_unpin_ports(domain, NULL);
}
