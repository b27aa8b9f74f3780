// SPDX-License-Identifier: GPL-2.0
/*
 * Configfs glue for queues:
 * domains/<domain>/queues/<queue>/ made by mkdir, and its attributes. The
 * rules that tie them together are checked at start, in dlb_domain.c.
 *
 * Every store parses first, then takes the device lock, refuses with -EBUSY
 * if the domain is started, commits and bumps the generation.
 */

#include <linux/configfs.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "dlb_configfs.h"

static ssize_t dlb_queue_config_type_show(struct config_item *item,
					  char *page)
{
	struct dlb_queue *queue = to_dlb_queue(item);
	enum dlb_type type;

	mutex_lock(&queue->domain->dlb->lock);
	type = queue->type;
	mutex_unlock(&queue->domain->dlb->lock);

	return sysfs_emit(page, "%s\n", dlb_type_names[type]);
}

static ssize_t dlb_queue_config_type_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct dlb_queue *queue = to_dlb_queue(item);
	int ret, type;

	type = sysfs_match_string(dlb_type_names, page);
	if (type < 0)
		return type;

	ret = 0;
	mutex_lock(&queue->domain->dlb->lock);
	if (queue->domain->started) {
		ret = -EBUSY;
	} else {
		queue->type = type;
		dlb_domain_changed(queue->domain);
	}
	mutex_unlock(&queue->domain->dlb->lock);

	return ret ?: count;
}

CONFIGFS_ATTR(dlb_queue_config_, type);

static ssize_t dlb_queue_config_sched_type_show(struct config_item *item,
						char *page)
{
	struct dlb_queue *queue = to_dlb_queue(item);
	unsigned int sched;

	mutex_lock(&queue->domain->dlb->lock);
	sched = dlb_queue_sched_type(queue);
	mutex_unlock(&queue->domain->dlb->lock);

	return sysfs_emit(page, "%s\n", dlb_sched_type_names[sched]);
}

static ssize_t dlb_queue_config_sched_type_store(struct config_item *item,
						 const char *page,
						 size_t count)
{
	struct dlb_queue *queue = to_dlb_queue(item);
	int ret, sched;

	sched = sysfs_match_string(dlb_sched_type_names, page);
	if (sched < 0)
		return sched;

	ret = 0;
	mutex_lock(&queue->domain->dlb->lock);
	if (queue->domain->started) {
		ret = -EBUSY;
	} else {
		queue->sched_type = sched;
		queue->sched_type_set = true;
		dlb_domain_changed(queue->domain);
	}
	mutex_unlock(&queue->domain->dlb->lock);

	return ret ?: count;
}

CONFIGFS_ATTR(dlb_queue_config_, sched_type);

static ssize_t dlb_queue_config_depth_threshold_show(struct config_item *item,
						     char *page)
{
	struct dlb_queue *queue = to_dlb_queue(item);

	return dlb_cfs_show_u32(queue->domain, &queue->depth_threshold, page);
}

static ssize_t dlb_queue_config_depth_threshold_store(struct config_item *item,
						      const char *page,
						      size_t count)
{
	struct dlb_queue *queue = to_dlb_queue(item);
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32_range(item, "depth_threshold", page, 1,
				      DLB_MAX_DEPTH_THRESHOLD, &val);
	if (ret)
		return ret;

	return dlb_cfs_store_u32(queue->domain, &queue->depth_threshold, val, count);
}

CONFIGFS_ATTR(dlb_queue_config_, depth_threshold);

static ssize_t dlb_queue_config_sequence_numbers_show(struct config_item *item,
						      char *page)
{
	struct dlb_queue *queue = to_dlb_queue(item);

	return dlb_cfs_show_u32(queue->domain, &queue->sequence_numbers, page);
}

static ssize_t dlb_queue_config_sequence_numbers_store(struct config_item *item,
						       const char *page,
						       size_t count)
{
	struct dlb_queue *queue = to_dlb_queue(item);
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32_range(item, "sequence_numbers", page, 0,
				      DLB_SN_GROUP_SIZE, &val);
	if (ret)
		return ret;
	/* 0, or a slot size a group can be cut into. */
	if (val && (!is_power_of_2(val) || val < DLB_MIN_SN_SLOT))
		return -EINVAL;

	return dlb_cfs_store_u32(queue->domain, &queue->sequence_numbers, val,
				   count);
}

CONFIGFS_ATTR(dlb_queue_config_, sequence_numbers);

static ssize_t dlb_queue_config_atomic_inflights_show(struct config_item *item,
						      char *page)
{
	struct dlb_queue *queue = to_dlb_queue(item);

	return dlb_cfs_show_u32(queue->domain, &queue->atomic_inflights, page);
}

static ssize_t dlb_queue_config_atomic_inflights_store(struct config_item *item,
						       const char *page,
						       size_t count)
{
	struct dlb_queue *queue = to_dlb_queue(item);
	u32 val;
	int ret;

	ret = dlb_cfs_parse_u32_range(item, "atomic_inflights", page, 0,
				      DLB_MAX_ATOMIC_INFLIGHTS, &val);
	if (ret)
		return ret;

	return dlb_cfs_store_u32(queue->domain, &queue->atomic_inflights, val,
				   count);
}

CONFIGFS_ATTR(dlb_queue_config_, atomic_inflights);

static ssize_t dlb_queue_config_id_show(struct config_item *item, char *page)
{
	struct dlb_queue *queue = to_dlb_queue(item);
	int id;

	mutex_lock(&queue->domain->dlb->lock);
	id = queue->id;
	mutex_unlock(&queue->domain->dlb->lock);

	return sysfs_emit(page, "%d\n", id);
}

CONFIGFS_ATTR_RO(dlb_queue_config_, id);

/* Events waiting in the queue, as the device counts them; 0 while stopped. */
static ssize_t dlb_queue_config_depth_show(struct config_item *item,
					   char *page)
{
	struct dlb_queue_stats st;
	int ret;

	ret = dlb_queue_stats(to_dlb_queue(item), &st);
	if (ret)
		return ret;
	return sysfs_emit(page, "%u\n", st.depth);
}

CONFIGFS_ATTR_RO(dlb_queue_config_, depth);

static struct configfs_attribute *dlb_queue_config_attrs[] = {
	&dlb_queue_config_attr_type,
	&dlb_queue_config_attr_sched_type,
	&dlb_queue_config_attr_depth_threshold,
	&dlb_queue_config_attr_sequence_numbers,
	&dlb_queue_config_attr_atomic_inflights,
	&dlb_queue_config_attr_id,
	&dlb_queue_config_attr_depth,
	NULL,
};

static void dlb_queue_config_release(struct config_item *item)
{
	kfree(to_dlb_queue(item));
}

static struct configfs_item_operations dlb_queue_item_ops = {
	.release = dlb_queue_config_release,
};

/* Also what allow_link checks a link's target against. */
const struct config_item_type dlb_queue_type = {
	.ct_item_ops = &dlb_queue_item_ops,
	.ct_attrs = dlb_queue_config_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group *dlb_queues_make_group(struct config_group *group,
						  const char *name)
{
	struct dlb_domain *domain = container_of(group, struct dlb_domain,
						 queues_group);
	struct dlb_queue *queue;
	int ret;

	queue = dlb_queue_create(domain, name);
	if (IS_ERR(queue))
		return ERR_CAST(queue);

	config_group_init_type_name(&queue->group, name, &dlb_queue_type);
	ret = dlb_queue_add(queue);
	if (ret) {
		config_item_put(&queue->group.cg_item);
		return ERR_PTR(ret);
	}
	return &queue->group;
}

/*
 * configfs unlinks an item from its parent (ci_group becomes NULL) before
 * it calls drop_item; take the queue out of its domain before that, here, so
 * a concurrent start, which pins every object on the domain's lists, never
 * sees a half-removed one. rmdir never gets here while the domain is
 * started (the tree is pinned) nor, for a queue, while it is linked.
 * dlb_cfs_unhash() keeps a racing symlink() away from the item.
 */
static void dlb_queues_disconnect_notify(struct config_group *group,
					 struct config_item *item)
{
	dlb_queue_remove(to_dlb_queue(item));
	dlb_cfs_unhash(item);
}

static void dlb_queues_drop_item(struct config_group *group,
				 struct config_item *item)
{
	config_item_put(item);
}

static struct configfs_group_operations dlb_queues_group_ops = {
	.make_group = dlb_queues_make_group,
	.disconnect_notify = dlb_queues_disconnect_notify,
	.drop_item = dlb_queues_drop_item,
};

const struct config_item_type dlb_queues_group_type = {
	.ct_group_ops = &dlb_queues_group_ops,
	.ct_owner = THIS_MODULE,
};
