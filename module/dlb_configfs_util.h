/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The helpers of dlb_configfs_util.c, which every level of the configfs
 * glue uses: strict parsers, u32 settings, unhashing a removed directory,
 * pinning a started domain's tree. Nothing outside dlb_configfs*.c
 * includes it.
 */
#ifndef DLB_CONFIGFS_UTIL_H
#define DLB_CONFIGFS_UTIL_H

#include "dlb.h"

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

#endif /* DLB_CONFIGFS_UTIL_H */
