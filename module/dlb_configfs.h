/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the configfs glue files share among themselves:
 * the item types of each level, the strict parsers every store uses, and
 * pinning a started domain's tree. Nothing outside dlb_configfs*.c
 * includes it.
 */
#ifndef DLB_CONFIGFS_H
#define DLB_CONFIGFS_H

#include "dlb.h"

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

/* dlb_configfs.c */
int dlb_cfs_parse_u32(const char *page, u32 *val);
int dlb_cfs_parse_u32_range(struct config_item *item, const char *attr,
			    const char *page, u32 min, u32 max, u32 *val);
ssize_t dlb_cfs_show_u32(struct dlb_domain *domain, const u32 *field,
			 char *page);
ssize_t dlb_cfs_store_u32(struct dlb_domain *domain, u32 *field, u32 val,
			  size_t count);
void dlb_cfs_unhash(struct config_item *item);
int dlb_cfs_pin(struct config_item *item);
int dlb_cfs_domain_pin(struct dlb_domain *domain);
void dlb_cfs_domain_unpin(struct dlb_domain *domain);

/* dlb_configfs_domain.c */
extern const struct config_item_type dlb_domains_group_type;

/* dlb_configfs_queue.c */
extern const struct config_item_type dlb_queues_group_type;
extern const struct config_item_type dlb_queue_type;

/* dlb_configfs_port.c */
extern const struct config_item_type dlb_ports_group_type;

#endif /* DLB_CONFIGFS_H */
