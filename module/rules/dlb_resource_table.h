/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * dlb_resource_table.h - the one list of a device's resources, in the
 * order of enum dlb_resource: DLB_RES(ENUM, name, what) for each. ENUM
 * gives DLB_RES_<ENUM> and DLB_MAX_<ENUM>; name is its sysfs file (and
 * module parameter sw_<name>); what says what it counts. No include
 * guard: included wherever a table is derived, with DLB_RES defined for it.
 * Dual-licensed, as the uapi is, so that the DPDK driver (BSD-3-Clause)
 * derives its list of the device's resources from it too.
 */
DLB_RES(SCHED_DOMAINS, num_sched_domains, "Scheduling domains")
DLB_RES(LDB_QUEUES, num_ldb_queues, "Load-balanced queues")
DLB_RES(LDB_PORTS, num_ldb_ports, "Load-balanced ports")
DLB_RES(DIR_PORTS, num_dir_ports, "Directed ports")
DLB_RES(LDB_CREDITS, num_ldb_credits, "Load-balanced credits")
DLB_RES(DIR_CREDITS, num_dir_credits, "Directed credits")
DLB_RES(HIST_LIST_ENTRIES, num_hist_list_entries, "History list entries")
DLB_RES(ATOMIC_INFLIGHTS, num_atomic_inflights, "Atomic inflights")
DLB_RES(SEQUENCE_NUMBERS, num_sequence_numbers, "Sequence numbers")
