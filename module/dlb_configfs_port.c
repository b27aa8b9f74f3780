// SPDX-License-Identifier: GPL-2.0
/*
 * Configfs glue for ports:
 * domains/<domain>/ports/<port>/ made by mkdir, its attributes, and its
 * links: a symlink <queue> -> ../../queues/<queue> in the port's directory
 * links the port to the queue, with a priority set in link_priorities.
 *
 * Every store parses first, then takes the device lock, refuses with -EBUSY
 * if the domain is started (except for links and their priorities, which
 * may change on a started domain), commits and bumps the generation.
 */

#include <linux/configfs.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dlb_configfs.h"

static ssize_t dlb_port_config_type_show(struct config_item *item,
					 char *page)
{
	struct dlb_port *port = to_dlb_port(item);
	enum dlb_type type;

	mutex_lock(&port->domain->dlb->lock);
	type = port->type;
	mutex_unlock(&port->domain->dlb->lock);

	return sysfs_emit(page, "%s\n", dlb_type_names[type]);
}

static ssize_t dlb_port_config_type_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct dlb_port *port = to_dlb_port(item);
	int ret, type;

	type = sysfs_match_string(dlb_type_names, page);
	if (type < 0)
		return type;

	ret = 0;
	mutex_lock(&port->domain->dlb->lock);
	if (port->domain->started) {
		ret = -EBUSY;
	} else {
		port->type = type;
		dlb_domain_changed(port->domain);
	}
	mutex_unlock(&port->domain->dlb->lock);

	return ret ?: count;
}

CONFIGFS_ATTR(dlb_port_config_, type);

static ssize_t dlb_port_config_cq_depth_show(struct config_item *item,
					     char *page)
{
	struct dlb_port *port = to_dlb_port(item);

	return dlb_cfs_show_u32(port->domain, &port->cq_depth, page);
}

static ssize_t dlb_port_config_cq_depth_store(struct config_item *item,
					      const char *page, size_t count)
{
	struct dlb_port *port = to_dlb_port(item);
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32_range(item, "cq_depth", page, 1,
				      DLB_MAX_CQ_DEPTH, &val);
	if (ret)
		return ret;
	if (!is_power_of_2(val))
		return -EINVAL;

	return dlb_cfs_store_u32(port->domain, &port->cq_depth, val, count);
}

CONFIGFS_ATTR(dlb_port_config_, cq_depth);

static ssize_t dlb_port_config_cq_depth_threshold_show(struct config_item *item,
						       char *page)
{
	struct dlb_port *port = to_dlb_port(item);

	return dlb_cfs_show_u32(port->domain, &port->cq_depth_threshold, page);
}

static ssize_t dlb_port_config_cq_depth_threshold_store(struct config_item *item,
							const char *page,
							size_t count)
{
	struct dlb_port *port = to_dlb_port(item);
	u32 val;
	int ret;

	/* Checked against cq_depth at start: they may be set in any order. */
	ret = dlb_cfs_parse_u32_range(item, "cq_depth_threshold", page, 1,
				      DLB_MAX_CQ_DEPTH, &val);
	if (ret)
		return ret;

	return dlb_cfs_store_u32(port->domain, &port->cq_depth_threshold, val,
				 count);
}

CONFIGFS_ATTR(dlb_port_config_, cq_depth_threshold);

static ssize_t dlb_port_config_hist_list_size_show(struct config_item *item,
						   char *page)
{
	struct dlb_port *port = to_dlb_port(item);

	return dlb_cfs_show_u32(port->domain, &port->hist_list_size, page);
}

static ssize_t dlb_port_config_hist_list_size_store(struct config_item *item,
						    const char *page,
						    size_t count)
{
	struct dlb_port *port = to_dlb_port(item);
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32_range(item, "hist_list_size", page, 1,
				      DLB_MAX_HIST_LIST_ENTRIES, &val);
	if (ret)
		return ret;

	return dlb_cfs_store_u32(port->domain, &port->hist_list_size, val, count);
}

CONFIGFS_ATTR(dlb_port_config_, hist_list_size);

static ssize_t dlb_port_config_cos_show(struct config_item *item, char *page)
{
	struct dlb_port *port = to_dlb_port(item);
	int cos;

	mutex_lock(&port->domain->dlb->lock);
	cos = port->cos;
	mutex_unlock(&port->domain->dlb->lock);

	return sysfs_emit(page, "%s\n", dlb_cos_names[cos + 1]);
}

static ssize_t dlb_port_config_cos_store(struct config_item *item,
					 const char *page, size_t count)
{
	struct dlb_port *port = to_dlb_port(item);
	int ret, idx;

	idx = sysfs_match_string(dlb_cos_names, page);
	if (idx < 0)
		return idx;

	ret = 0;
	mutex_lock(&port->domain->dlb->lock);
	if (port->domain->started) {
		ret = -EBUSY;
	} else {
		port->cos = idx - 1;
		dlb_domain_changed(port->domain);
	}
	mutex_unlock(&port->domain->dlb->lock);

	return ret ?: count;
}

CONFIGFS_ATTR(dlb_port_config_, cos);

static ssize_t dlb_port_config_link_priorities_show(struct config_item *item,
						    char *page)
{
	struct dlb_port *port = to_dlb_port(item);
	unsigned int i;
	ssize_t len = 0;

	/* At most 8 lines of at most 34 bytes: fits a page. */
	mutex_lock(&port->domain->dlb->lock);
	for (i = 0; i < port->nr_links; i++)
		len += sysfs_emit_at(page, len, "%s %u\n",
				     dlb_queue_name(port->links[i].queue),
				     port->links[i].priority);
	mutex_unlock(&port->domain->dlb->lock);

	return len;
}

/*
 * "<queue> <priority>": set the priority of the link to <queue>. Allowed
 * on a started domain, like making the link.
 */
static ssize_t dlb_port_config_link_priorities_store(struct config_item *item,
						     const char *page,
						     size_t count)
{
	struct dlb_port *port = to_dlb_port(item);
	char name[DLB_OBJ_NAME_MAX + 1];
	const char *space;
	size_t len;
	u32 prio;
	int ret;

	space = strchr(page, ' ');
	if (!space)
		return -EINVAL;
	len = space - page;
	if (len > DLB_OBJ_NAME_MAX)
		return -EINVAL;
	memcpy(name, page, len);
	name[len] = '\0';
	if (!dlb_obj_name_valid(name))
		return -EINVAL;

	ret = dlb_cfs_parse_u32_range(item, "link_priorities", space + 1, 0,
				      DLB_NUM_PRIOS - 1, &prio);
	if (ret)
		return ret;

	ret = dlb_port_set_link_priority(port, name, len, prio);
	return ret ?: count;
}

CONFIGFS_ATTR(dlb_port_config_, link_priorities);

static ssize_t dlb_port_config_id_show(struct config_item *item, char *page)
{
	struct dlb_port *port = to_dlb_port(item);
	int id;

	mutex_lock(&port->domain->dlb->lock);
	id = port->id;
	mutex_unlock(&port->domain->dlb->lock);

	return sysfs_emit(page, "%d\n", id);
}

CONFIGFS_ATTR_RO(dlb_port_config_, id);

static struct configfs_attribute *dlb_port_config_attrs[] = {
	&dlb_port_config_attr_type,
	&dlb_port_config_attr_cq_depth,
	&dlb_port_config_attr_cq_depth_threshold,
	&dlb_port_config_attr_hist_list_size,
	&dlb_port_config_attr_cos,
	&dlb_port_config_attr_link_priorities,
	&dlb_port_config_attr_id,
	NULL,
};

/*
 * A link's target must be a queue of the same domain; the rest of the
 * rules are dlb_port_link()'s. drop_link cannot refuse, so everything is
 * refused here.
 */
static int dlb_port_allow_link(struct config_item *src,
			       struct config_item *target)
{
	if (target->ci_type != &dlb_queue_type)
		return -EINVAL;
	/*
	 * Workaround (configfs core; see docs/configfs-symlink-rmdir.patch.txt):
	 * configfs makes a new directory reachable by lookup (d_instantiate)
	 * before it sets the item's ci_dentry, and create_link() dereferences
	 * ci_dentry once allow_link has said yes: a symlink racing the mkdir
	 * of its target would oops there. A target not attached yet is
	 * refused; ci_dentry only ever goes from NULL to set.
	 */
	if (!READ_ONCE(target->ci_dentry))
		return -ENOENT;
	return dlb_port_link(to_dlb_port(src), to_dlb_queue(target));
}

static void dlb_port_drop_link(struct config_item *src,
			       struct config_item *target)
{
	dlb_port_unlink(to_dlb_port(src), to_dlb_queue(target));
}

static void dlb_port_config_release(struct config_item *item)
{
	kfree(to_dlb_port(item));
}

static struct configfs_item_operations dlb_port_item_ops = {
	.allow_link = dlb_port_allow_link,
	.drop_link = dlb_port_drop_link,
	.release = dlb_port_config_release,
};

static const struct config_item_type dlb_port_type = {
	.ct_item_ops = &dlb_port_item_ops,
	.ct_attrs = dlb_port_config_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group *dlb_ports_make_group(struct config_group *group,
						 const char *name)
{
	struct dlb_domain *domain = container_of(group, struct dlb_domain,
						 ports_group);
	struct dlb_port *port;
	int ret;

	port = dlb_port_create(domain, name);
	if (IS_ERR(port))
		return ERR_CAST(port);

	config_group_init_type_name(&port->group, name, &dlb_port_type);
	ret = dlb_port_add(port);
	if (ret) {
		config_item_put(&port->group.cg_item);
		return ERR_PTR(ret);
	}
	return &port->group;
}

/*
 * configfs unlinks an item from its parent (ci_group becomes NULL) before
 * it calls drop_item; take the port out of its domain before that, here, so
 * a concurrent start, which pins every object on the domain's lists, never
 * sees a half-removed one. rmdir never gets here while the domain is
 * started (the tree is pinned) nor, for a port, while it is linked.
 * dlb_cfs_unhash() keeps a racing symlink() away from the item.
 */
static void dlb_ports_disconnect_notify(struct config_group *group,
					struct config_item *item)
{
	dlb_port_remove(to_dlb_port(item));
	dlb_cfs_unhash(item);
}

static void dlb_ports_drop_item(struct config_group *group,
				struct config_item *item)
{
	config_item_put(item);
}

static struct configfs_group_operations dlb_ports_group_ops = {
	.make_group = dlb_ports_make_group,
	.disconnect_notify = dlb_ports_disconnect_notify,
	.drop_item = dlb_ports_drop_item,
};

const struct config_item_type dlb_ports_group_type = {
	.ct_group_ops = &dlb_ports_group_ops,
	.ct_owner = THIS_MODULE,
};
