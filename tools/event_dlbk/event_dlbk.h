/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * event_dlbk.h - what the files of the event_dlbk DPDK eventdev driver
 * share: the device and port objects, limits, and the configfs helpers of
 * dlbk_cfs.c. The driver reaches the kernel's dlb module only through its
 * documented interfaces: configfs and sysfs for control, the port files'
 * rings (through libdlbk) for data.
 */
#ifndef EVENT_DLBK_H
#define EVENT_DLBK_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <eventdev_pmd.h>
#include <rte_eventdev.h>
#include <rte_log.h>

#include "libdlbk.h"
#include "tool.h"	/* DLB_SYSFS_CLASS, attr_read*(), dlb_config_dir() */

extern int dlbk_logtype;
#define DLBK_LOG(level, fmt, ...)					\
	rte_log(RTE_LOG_ ## level, dlbk_logtype, "event_dlbk: " fmt "\n",	\
		##__VA_ARGS__)

/*
 * Every port must be able to link every queue (rte_event_port_link() with
 * no list links them all), and a dlb port links at most 8 queues.
 */
#define DLBK_MAX_QUEUES		8
#define DLBK_MAX_PORTS		64
#define DLBK_MAX_CQ_DEPTH	128	/* rte_event_dev_info has 8 bits for it */
#define DLBK_DEF_CQ_DEPTH	32
#define DLBK_MAX_ENQ_DEPTH	DLB_PP_ENTRIES
#define DLBK_DEF_ENQ_DEPTH	32
#define DLBK_MAX_FLOWS		(1u << 20)	/* flow_id's width; see the man page */
#define DLBK_MIN_DEQ_TMO_NS	1000u
#define DLBK_MAX_DEQ_TMO_NS	4000000000u	/* 4 s; max + 1 must not wrap */

/* xstats per device, per port, per queue (dlbk_xstats.c) */
#define DLBK_XS_DEV		5
#define DLBK_XS_PORT		25
#define DLBK_XS_QUEUE		1
#define DLBK_XS_TOTAL		(DLBK_XS_DEV + DLBK_MAX_PORTS * DLBK_XS_PORT + \
				 DLBK_MAX_QUEUES * DLBK_XS_QUEUE)

/*
 * What the device has (sysfs total_resources), read at probe: a field for
 * each resource of the module's table, named as its sysfs file.
 */
struct dlbk_rsrc {
#define DLB_RES(_enum, _name, _what) uint32_t _name;
#include "dlb_resource_table.h"
#undef DLB_RES
};

/*
 * A queue's configfs sched_type beyond enum dlb_sched_type: "all", a
 * RTE_EVENT_QUEUE_CFG_ALL_TYPES queue, whose events each carry their type.
 */
#define DLBK_SCHED_ALL		4
#define DLBK_NUM_SCHED		5
extern const char *const dlbk_sched_names[DLBK_NUM_SCHED];

/* qe_sched[] of an all-types queue for a sched_type DPDK does not define */
#define DLBK_SCHED_BAD		0xff

struct dlbk_queue {
	bool set_up;
	bool dir;		/* RTE_EVENT_QUEUE_CFG_SINGLE_LINK */
	uint8_t sched;		/* DLB_SCHED_* or DLBK_SCHED_ALL: its sched_type */
	uint8_t rte_sched;	/* RTE_SCHED_TYPE_* of a one-type queue */
	/* the QE's DLB_SCHED_* by the event's RTE_SCHED_TYPE_*, and back */
	uint8_t qe_sched[4];
	uint8_t rte_of[4];
	uint32_t nb_seq;	/* ordered, all: nb_atomic_order_sequences */
	int kid;		/* the kernel's queue id while started, else -1 */
};

struct dlbk_dev;

/* An event port: dev->data->ports[id]. Used by one lcore at a time. */
struct dlbk_evport {
	struct dlbk_dev *dev;
	struct dlbk_port *port;	/* the port file, open while started */
	uint8_t id;
	bool dir;		/* linked to a single-link queue: a dir port */
	bool implicit_release;
	bool sched_call;	/* the devarg: schedule when starved */
	uint16_t deq_depth, enq_depth;
	uint32_t cq_depth;
	int32_t new_threshold;
	uint32_t held;		/* dequeued, not yet forwarded or released */
	uint8_t linked[DLBK_MAX_QUEUES];	/* 1 if linked */
	uint8_t link_prio[DLBK_MAX_QUEUES];	/* dlb priority 0-7 */
	int kid;		/* the kernel's port id while started */
	/* events this port enqueued as NEW, FORWARD, RELEASE (explicit or
	 * implicit), and dequeued, since start; summed into the log at stop
	 */
	uint64_t n_new, n_fwd, n_rel, n_deq;
};

/*
 * Attach mode: the administrator's domain as found in configfs. Eventdev
 * queue i is the i-th of its queues (ldb by id, then dir by id), eventdev
 * port i the i-th of its ports (likewise).
 */
struct dlbk_attach {
	uint8_t nb_queues, nb_ports;
	uint32_t ldb_credits;	/* the domain's pool: max_num_events */
	struct {
		char name[64];
		bool dir;
		uint8_t sched;		/* DLB_SCHED_* or DLBK_SCHED_ALL */
		int kid;
	} q[DLBK_MAX_QUEUES];
	struct {
		char name[64];
		bool dir;
		int kid;
		uint32_t cq_depth;
		uint8_t linked[DLBK_MAX_QUEUES];
	} p[DLBK_MAX_PORTS];
};

/* dev->data->dev_private. */
struct dlbk_dev {
	/* dev->dev_ops: this device's own, as rte_event_dev_stop_flush_callback_register()
	 * stores its callback in them
	 */
	struct eventdev_ops ops;
	bool attach;		/* domain= given: use it, change nothing */
	struct dlbk_attach att;
	char dlbdev[32];	/* "dlb0" */
	char domain[64];	/* the domain's configfs name */
	bool sched_call;	/* devarg sched_call: see event_dlbk(7) */
	char path[PATH_MAX];	/* its configfs directory */
	bool built;		/* our domain exists in configfs */
	struct dlbk_rsrc rsrc;
	struct rte_event_dev_config conf;
	struct dlbk_queue queues[DLBK_MAX_QUEUES];
	uint8_t nb_queues, nb_ports;
	uint64_t deq_tmo_ns;	/* when not per dequeue */
	bool per_deq_tmo;
	/* kernel queue id -> eventdev queue id, per namespace */
	uint8_t evq_of_ldb[256];
	uint8_t evq_of_dir[256];
	/* xstats: what a counter read at its last reset (or start) */
	uint64_t xs_base[DLBK_XS_TOTAL];
	/* NEW events minus released ones: the new_event_threshold gauge */
	int32_t inflights __rte_cache_aligned;
};

/* dlbk_cfs.c: configfs and sysfs */
int dlbk_read_rsrc(const char *dlbdev, const char *which,
		   struct dlbk_rsrc *r);
int dlbk_free_credits(const struct dlbk_dev *d, uint32_t *credits);
int dlbk_domain_build(struct rte_eventdev *dev);
int dlbk_domain_open_ports(struct rte_eventdev *dev);
void dlbk_domain_close_ports(struct rte_eventdev *dev);
int dlbk_domain_stop(struct dlbk_dev *d);
int dlbk_domain_remove(struct dlbk_dev *d, const char *path);
int dlbk_link_live(struct dlbk_evport *p, uint8_t q, bool link);
int dlbk_attach_read(struct dlbk_dev *d);
int dlbk_domain_path(struct dlbk_dev *d);
/* Room for a managed object's name, "p07" or "q12". */
#define DLBK_OBJ_NAME_SIZE 8
const char *dlbk_port_name(const struct dlbk_dev *d, unsigned int p,
			   char buf[DLBK_OBJ_NAME_SIZE]);
const char *dlbk_queue_name(const struct dlbk_dev *d, unsigned int q,
			    char buf[DLBK_OBJ_NAME_SIZE]);

/* dlbk_xstats.c: xstats and the counters of rte_event_dev_dump() */
int dlbk_xstats_get_names(const struct rte_eventdev *dev,
			  enum rte_event_dev_xstats_mode mode,
			  uint8_t queue_port_id,
			  struct rte_event_dev_xstats_name *names,
			  uint64_t *ids, unsigned int size);
int dlbk_xstats_get(const struct rte_eventdev *dev,
		    enum rte_event_dev_xstats_mode mode, uint8_t queue_port_id,
		    const uint64_t ids[], uint64_t values[], unsigned int n);
uint64_t dlbk_xstats_get_by_name(const struct rte_eventdev *dev,
				 const char *name, uint64_t *id);
int dlbk_xstats_reset(struct rte_eventdev *dev,
		      enum rte_event_dev_xstats_mode mode, int16_t queue_port_id,
		      const uint64_t ids[], uint32_t nb_ids);
void dlbk_xstats_start(struct rte_eventdev *dev);
void dlbk_xstats_dump(const struct rte_eventdev *dev, FILE *f);

#endif /* EVENT_DLBK_H */
