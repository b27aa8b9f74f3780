/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_resources.h - a device's resources: enum dlb_resource and the names
 * and maxima of its members, all derived from the one table in
 * dlb_resource_table.h, as are the sysfs files (dlb_sysfs.c) and the
 * names dlbcfg reads and prints.
 * Portable C, shared by dlb.ko and dlbcfg (see dlb_rules.h).
 */
#ifndef DLB_RESOURCES_H
#define DLB_RESOURCES_H

#include "dlb_rules_env.h"

/* Sequence numbers come in groups of this many (DLB 2.0 has two groups). */
#define DLB_SN_GROUP_SIZE	1024
#define DLB_MAX_SN_GROUPS	2

/* Load-balanced ports are split evenly among this many classes of service. */
#define DLB_NUM_COS		4

/*
 * The most of each resource a device may have: DLB 2.0's totals (the
 * sequence numbers: %DLB_MAX_SN_GROUPS groups, asserted below).
 */
#define DLB_MAX_SCHED_DOMAINS		32
#define DLB_MAX_LDB_QUEUES		32
#define DLB_MAX_LDB_PORTS		64
#define DLB_MAX_DIR_PORTS		64
#define DLB_MAX_LDB_CREDITS		8192
#define DLB_MAX_DIR_CREDITS		4096
#define DLB_MAX_HIST_LIST_ENTRIES	2048
#define DLB_MAX_ATOMIC_INFLIGHTS	2048
#define DLB_MAX_SEQUENCE_NUMBERS	2048

/*
 * enum dlb_resource, in the order of dlb_resource_table.h, which each user
 * includes with DLB_RES(ENUM, name, what) defined as it needs.
 */
#define DLB_RES(_enum, _name, _what)	\
	DLB_RES_##_enum,

/**
 * enum dlb_resource - the device-wide resources a scheduling domain draws on
 * @DLB_RES_SCHED_DOMAINS: scheduling domains
 * @DLB_RES_LDB_QUEUES: load-balanced queues
 * @DLB_RES_LDB_PORTS: load-balanced ports
 * @DLB_RES_DIR_PORTS: directed ports (each with its directed queue)
 * @DLB_RES_LDB_CREDITS: load-balanced credits
 * @DLB_RES_DIR_CREDITS: directed credits
 * @DLB_RES_HIST_LIST_ENTRIES: history list entries
 * @DLB_RES_ATOMIC_INFLIGHTS: atomic inflight storage
 * @DLB_RES_SEQUENCE_NUMBERS: sequence numbers, in groups of
 *	%DLB_SN_GROUP_SIZE
 * @DLB_NUM_RESOURCES: number of resources
 */
enum dlb_resource {
#include "dlb_resource_table.h"
	DLB_NUM_RESOURCES,
};

#undef DLB_RES

static_assert(DLB_MAX_SEQUENCE_NUMBERS ==
	      DLB_MAX_SN_GROUPS * DLB_SN_GROUP_SIZE);

/* Names of the resources, indexed by enum dlb_resource: "num_ldb_ports". */
extern const char * const dlb_resource_names[DLB_NUM_RESOURCES];

/* DLB 2.0's totals, indexed by enum dlb_resource. */
extern const u32 dlb_resource_dlb2_totals[DLB_NUM_RESOURCES];

/**
 * struct dlb_resources - an amount of each device-wide resource
 * @num: count per resource, indexed by enum dlb_resource
 */
struct dlb_resources {
	u32 num[DLB_NUM_RESOURCES];
};

/**
 * struct dlb_sn_group - one group of %DLB_SN_GROUP_SIZE sequence numbers
 * @slot_size: sequence numbers per ordered queue in this group; 0 while no
 *	slot is in use, then fixed by the first queue that takes a slot
 * @used: bitmap of the slots in use, DLB_SN_GROUP_SIZE / @slot_size of them
 */
struct dlb_sn_group {
	u32 slot_size;
	unsigned long used;
};

#endif /* DLB_RESOURCES_H */
