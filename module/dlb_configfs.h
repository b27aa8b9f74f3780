/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the configfs glue files share among themselves: the item types of
 * each level and the container_of() helpers; the helpers every level uses
 * come from dlb_configfs_util.h. Nothing outside dlb_configfs*.c and
 * dlb_vdev.c includes it.
 */
#ifndef DLB_CONFIGFS_H
#define DLB_CONFIGFS_H

#include "dlb_configfs_util.h"

static inline struct dlb_domain *to_dlb_domain(struct config_item *item)
{
	return container_of(to_config_group(item), struct dlb_domain, group);
}

static inline struct dlb_queue *to_dlb_queue(struct config_item *item)
{
	return container_of(to_config_group(item), struct dlb_queue, group);
}

static inline struct dlb_port *to_dlb_port(struct config_item *item)
{
	return container_of(to_config_group(item), struct dlb_port, group);
}

/* dlb_configfs_domain.c */
extern const struct config_item_type dlb_domains_group_type;
struct config_group *dlb_cfs_domain_make(struct dlb_device *dlb,
					 const char *name);
void dlb_cfs_domain_drop(struct config_item *item);

/* dlb_configfs_queue.c */
extern const struct config_item_type dlb_queues_group_type;
extern const struct config_item_type dlb_queue_type;

/* dlb_configfs_port.c */
extern const struct config_item_type dlb_ports_group_type;

#endif /* DLB_CONFIGFS_H */
