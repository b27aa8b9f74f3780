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
 * in behind the same operations. docs/backend.md says what a backend
 * provides and may assume.
 */
#ifndef DLB_H
#define DLB_H

#include <linux/bitmap.h>
#include <linux/configfs.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

/* The resources, the start rules and reservation, shared with dlbcfg. */
#include "dlb_rules.h"

#define DLB_NAME		"dlb"

/*
 * Upper bound on devices of all backends, virtual devices included (DLB
 * 2.0 has 16 virtual functions per physical one), and minors each may use.
 */
#define DLB_MAX_DEVICES		32
#define DLB_MINORS_PER_DEVICE	128
#define DLB_MAX_MINORS		(DLB_MAX_DEVICES * DLB_MINORS_PER_DEVICE)

/* "dlb<N>/vdevs/<name>" with the longest names, and its NUL. */
#define DLB_CONFIG_DIR_LEN	48

/* The smallest slot an ordered queue can take, so a group has <= 16 slots. */
#define DLB_MIN_SN_SLOT		64

struct dlb_device;
struct dlb_domain;
struct dlb_port;
struct dlb_queue;
struct dlb_vdev;

/**
 * struct dlb_queue_stats - what a backend reports of a queue of a started
 *	domain
 * @depth: events waiting in the queue, not yet scheduled to a port
 */
struct dlb_queue_stats {
	u32 depth;
};

/**
 * struct dlb_device_ops - what a backend provides to the core
 * @type: short name of the backend, shown in sysfs device_type ("sw")
 * @dev_groups: the backend's sysfs attributes of the device, beside the
 *	core's; added with the device, before it is announced. May be NULL.
 * @release: release what the backend's private state holds (the state
 *	itself is freed with the device); called once, when the last
 *	reference to the device is gone. May be NULL.
 * @domain_start: make a validated domain whose resources are reserved and
 *	whose ids are assigned schedule; called with @dlb->lock held. On
 *	error the core releases the reservation and the domain stays stopped.
 *	May be NULL.
 * @domain_stop: undo @domain_start; called with @dlb->lock held, only for
 *	a started domain with no port file open. May be NULL.
 * @domain_revoke: for a forced stop of a started domain, revoke its open
 *	port files (dlb_portdev_revoke(), dlb_portdev_revoke_sync(),
 *	dlb_portdev_revoke_finish()), stop scheduling it and return the
 *	events it still has; @domain_stop follows and drops them. Called
 *	with @dlb->lock held. NULL: the backend cannot force a stop.
 * @port_link: on a started domain, link a load-balanced port to a queue
 *	or change the link's priority; called with @dlb->lock held before the
 *	core records it. May be NULL.
 * @port_unlink: on a started domain, unlink a load-balanced port from a
 *	queue; called with @dlb->lock held; cannot fail. May be NULL.
 * @queue_stats: read the statistics of a queue of a started domain;
 *	called with @dlb->lock held. NULL: they read as 0.
 * @port_fops: the file operations of the backend's port device files,
 *	installed by the core's open (which then calls their open); their
 *	release must end with dlb_portdev_close(), and every other operation
 *	touches the port only inside dlb_portdev_enter() (a forced stop may
 *	revoke the file at any time). NULL: no port files.
 * @vdev_create: make and register a virtual device on @parent whose
 *	totals are @quota, its struct device's parent @parent's, passing
 *	@config_dir to dlb_device_alloc(); the core has validated the quota
 *	and reserved it from @parent. Called with no lock of @parent held.
 *	Returns the registered device or an ERR_PTR().
 *	NULL (with @vdev_destroy): the backend makes no virtual devices and
 *	its devices have no vdevs/ group. See docs/backend.md.
 * @vdev_destroy: unregister and free a device @vdev_create made, which
 *	has no domain left; the core then gives the quota back to the parent.
 *
 * Operations on ports and the data path are added here as the data path
 * uses them; the core never calls a backend any other way.
 */
struct dlb_device_ops {
	const char *type;
	const struct attribute_group **dev_groups;
	void (*release)(struct dlb_device *dlb);
	int (*domain_start)(struct dlb_device *dlb, struct dlb_domain *domain);
	void (*domain_stop)(struct dlb_device *dlb, struct dlb_domain *domain);
	u64 (*domain_revoke)(struct dlb_device *dlb, struct dlb_domain *domain);
	int (*port_link)(struct dlb_device *dlb, struct dlb_port *port,
			 struct dlb_queue *queue, u8 priority);
	void (*port_unlink)(struct dlb_device *dlb, struct dlb_port *port,
			    struct dlb_queue *queue);
	int (*queue_stats)(struct dlb_device *dlb, struct dlb_queue *queue,
			   struct dlb_queue_stats *st);
	const struct file_operations *port_fops;
	struct dlb_device *(*vdev_create)(struct dlb_device *parent,
					  const struct dlb_resources *quota,
					  const char *config_dir);
	void (*vdev_destroy)(struct dlb_device *vdev);
};

/**
 * struct dlb_device - one load balancer, software or hardware
 * @dev: the class device, /sys/class/dlb/dlb<N>; its refcount owns this
 *	structure
 * @id: N in dlb<N>
 * @ops: the backend's operations
 * @priv: the backend's private state, allocated with the device
 * @total: what the device has; constant once registered
 * @lock: protects @avail, @hist_map, @sn_groups, @avail_ldb_ports_cos,
 *	@domains, @nr_domains, @closing, @vdevs and every field of every domain, queue and
 *	port of the device (see struct dlb_domain)
 * @avail: what is not reserved by a started domain
 * @hist_map: history list entries reserved by started domains; each
 *	domain holds one contiguous range
 * @sn_groups: the sequence-number groups, total / %DLB_SN_GROUP_SIZE of them
 * @avail_ldb_ports_cos: load-balanced ports not reserved, per class of
 *	service; they add up to @avail's %DLB_RES_LDB_PORTS
 * @domains: the configured domains, started or not
 * @nr_domains: how many entries @domains has
 * @closing: set when the device is about to be removed (a virtual device
 *	being uncommitted, or a device whose vdevs are being removed): mkdir
 *	of a domain fails with -ENODEV, and so does commit of one of its vdevs
 * @vdevs: the virtual devices made in @cfs_vdevs, struct dlb_vdev.node
 * @node: entry in the list of all devices
 * @config_dir: its configfs directory, relative to /sys/kernel/config/dlb/:
 *	dlb<N>, or <parent>/vdevs/<vdev> for a virtual device, whose
 *	domains/ group is its vdev's (made with the vdev, so that commit
 *	registers no configfs group); sysfs shows it as config_dir
 * @cfs_group: /sys/kernel/config/dlb/dlb<N>/, registered only if @dlb is
 *	not a virtual device
 * @cfs_domains: /sys/kernel/config/dlb/dlb<N>/domains/, as @cfs_group
 * @cfs_vdevs: /sys/kernel/config/dlb/dlb<N>/vdevs/, registered only if the
 *	backend makes virtual devices and @dlb is not one
 * @debugfs: /sys/kernel/debug/dlb/dlb<N>/, for the backend's test knobs;
 *	exists from dlb_device_alloc() to the release
 *
 * Why one lock and not configfs's: configfs serialises operations on one
 * directory (its inode lock) and mkdir/rmdir of one subsystem (su_mutex),
 * but an attribute store holds neither, a symlink holds only its own
 * directory, and sysfs readers take no configfs lock at all. Starting a
 * domain reads every attribute of every object below it and the device's
 * availability at once, so all of them sit under @lock. It is taken inside
 * su_mutex (make_group, drop_item) and never the other way round.
 */
struct dlb_device {
	struct device dev;
	int id;
	const struct dlb_device_ops *ops;
	void *priv;
	struct dlb_resources total;

	struct mutex lock; /* protects: see @lock above */
	struct dlb_resources avail;
	DECLARE_BITMAP(hist_map, DLB_MAX_HIST_LIST_ENTRIES);
	struct dlb_sn_group sn_groups[DLB_MAX_SN_GROUPS];
	u32 avail_ldb_ports_cos[DLB_NUM_COS];
	struct list_head domains;
	unsigned int nr_domains;
	bool closing;
	struct list_head vdevs;

	struct list_head node;
	char config_dir[DLB_CONFIG_DIR_LEN];
	struct config_group cfs_group;
	struct config_group cfs_domains;
	struct config_group cfs_vdevs;
	struct dentry *debugfs;
};

static inline struct dlb_device *to_dlb_device(struct device *dev)
{
	return container_of(dev, struct dlb_device, dev);
}

/* dlb_device.c */
struct dlb_device *dlb_device_alloc(struct device *parent,
				    const struct dlb_device_ops *ops,
				    const struct dlb_resources *total,
				    size_t priv_size, const char *config_dir);
int dlb_device_register(struct dlb_device *dlb);
void dlb_device_unregister(struct dlb_device *dlb);
void dlb_device_put(struct dlb_device *dlb);
u32 dlb_cos_total(const struct dlb_device *dlb, int cos);
bool dlb_device_is_virtual(const struct dlb_device *dlb);
bool dlb_device_has_vdevs(const struct dlb_device *dlb);
int dlb_device_init(void);
void dlb_device_exit(void);

extern dev_t dlb_devt;

/* dlb_sysfs.c */
extern const struct attribute_group *dlb_device_groups[];

/* dlb_vdev.c */
extern const struct config_item_type dlb_vdevs_group_type;
void dlb_vdevs_remove(struct dlb_device *parent);

/* dlb_domain_rsrc.c: what a domain or a virtual device reserves */
void dlb_rsrc_avail_get(struct dlb_device *dlb, struct dlb_rules_avail *a);
void dlb_rsrc_avail_set(struct dlb_device *dlb,
			const struct dlb_rules_avail *a);
int dlb_rsrc_hist_find(struct dlb_device *dlb, u32 n, u32 *start);

/* dlb_configfs.c */
int dlb_configfs_init(void);
void dlb_configfs_exit(void);
int dlb_configfs_device_add(struct dlb_device *dlb,
			    const struct config_item_type *vdevs_type);
void dlb_configfs_device_remove(struct dlb_device *dlb);

/* The backends, brought up and down by dlb_main.c only: dlb_sw.c */
int dlb_sw_init(void);
void dlb_sw_exit(void);

#include "dlb_domain.h"
#include "dlb_portdev.h"

#endif /* DLB_H */
