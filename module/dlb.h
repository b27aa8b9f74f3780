/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dlb module's private interfaces: the device object, its
 * resources, and the device-operations interface that backends implement.
 *
 * A dlb device is a class device, /sys/class/dlb/dlb<N>, with a configfs
 * group /sys/kernel/config/dlb/dlb<N>/. The core (this header's users) owns
 * both and the resource accounting; it reaches the device that does the
 * scheduling only through struct dlb_device_ops. The software device
 * (dlb_sw.c) is the first backend; a PCI backend for real DLB hardware plugs
 * in behind the same operations.
 */
#ifndef DLB_H
#define DLB_H

#include <linux/configfs.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#define DLB_NAME		"dlb"

/* Upper bound on devices of all backends, and minors each may use. */
#define DLB_MAX_DEVICES		16
#define DLB_MINORS_PER_DEVICE	128
#define DLB_MAX_MINORS		(DLB_MAX_DEVICES * DLB_MINORS_PER_DEVICE)

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
 *
 * The order is the order of dlb_resource_names[], which names both the sysfs
 * files and the software device's module parameters.
 */
enum dlb_resource {
	DLB_RES_SCHED_DOMAINS,
	DLB_RES_LDB_QUEUES,
	DLB_RES_LDB_PORTS,
	DLB_RES_DIR_PORTS,
	DLB_RES_LDB_CREDITS,
	DLB_RES_DIR_CREDITS,
	DLB_RES_HIST_LIST_ENTRIES,
	DLB_RES_ATOMIC_INFLIGHTS,
	DLB_RES_SEQUENCE_NUMBERS,
	DLB_NUM_RESOURCES,
};

/* Sequence numbers come in groups of this many (DLB 2.0 has two groups). */
#define DLB_SN_GROUP_SIZE	1024

extern const char * const dlb_resource_names[DLB_NUM_RESOURCES];

/**
 * struct dlb_resources - an amount of each device-wide resource
 * @num: count per resource, indexed by enum dlb_resource
 */
struct dlb_resources {
	u32 num[DLB_NUM_RESOURCES];
};

struct dlb_device;

/**
 * struct dlb_device_ops - what a backend provides to the core
 * @type: short name of the backend, shown in sysfs device_type ("sw")
 * @release: free the backend's private state; called once, when the last
 *	reference to a successfully created device is gone. May be NULL.
 *
 * Operations on domains, ports and the data path are added here as the
 * control plane and data path use them; the core never calls a backend
 * any other way.
 */
struct dlb_device_ops {
	const char *type;
	void (*release)(struct dlb_device *dlb);
};

/**
 * struct dlb_device - one load balancer, software or hardware
 * @dev: the class device, /sys/class/dlb/dlb<N>; its refcount owns this
 *	structure
 * @id: N in dlb<N>
 * @ops: the backend's operations
 * @priv: the backend's private state
 * @total: what the device has; constant once registered
 * @lock: protects @avail and every domain of the device
 * @avail: what is not reserved by a started domain
 * @node: entry in the list of all devices
 * @cfs_group: /sys/kernel/config/dlb/dlb<N>/
 * @cfs_domains: /sys/kernel/config/dlb/dlb<N>/domains/
 *
 * configfs serialises operations on one directory but not across
 * directories, and sysfs readers take no configfs lock at all: @lock is
 * what keeps the accounting consistent between them.
 */
struct dlb_device {
	struct device dev;
	int id;
	const struct dlb_device_ops *ops;
	void *priv;
	struct dlb_resources total;

	struct mutex lock; /* protects @avail and the device's domains */
	struct dlb_resources avail;

	struct list_head node;
	struct config_group cfs_group;
	struct config_group cfs_domains;
};

static inline struct dlb_device *to_dlb_device(struct device *dev)
{
	return container_of(dev, struct dlb_device, dev);
}

/* dlb_device.c */
struct dlb_device *dlb_device_create(const struct dlb_device_ops *ops,
				     const struct dlb_resources *total,
				     void *priv);
void dlb_device_destroy(struct dlb_device *dlb);
int dlb_resources_reserve(struct dlb_device *dlb,
			  const struct dlb_resources *req);
void dlb_resources_release(struct dlb_device *dlb,
			   const struct dlb_resources *req);
int dlb_device_init(void);
void dlb_device_exit(void);

/* dlb_sysfs.c */
extern const struct attribute_group *dlb_device_groups[];

/* dlb_configfs.c */
int dlb_configfs_init(void);
void dlb_configfs_exit(void);
int dlb_configfs_device_add(struct dlb_device *dlb);
void dlb_configfs_device_remove(struct dlb_device *dlb);

/* dlb_sw.c */
int dlb_sw_init(void);
void dlb_sw_exit(void);

#endif /* DLB_H */
