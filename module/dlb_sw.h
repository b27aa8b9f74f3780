/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_sw.h - the software device's private interfaces: the device with its
 * scheduler thread (dlb_sw_sched.c), a started domain with its engine and
 * port memory (dlb_sw_domain.c), the device side of the ports' ring
 * protocol (dlb_sw_ring.c), the port files' operations (dlb_sw_port.c)
 * and their counters in sysfs (dlb_sw_stats.c).
 *
 * Calls go one way, down this order: the device (dlb_sw.c), the port
 * files, the domain, the thread, the ring protocol, the engine; each file
 * calls only files after it (scripts/lint checks there is no cycle).
 *
 * Locks, outermost first: the device's lock (control plane), then
 * @run_lock (the set of running domains), then a domain's @lock (its
 * engine). The scheduler thread takes only the last two, so control-plane
 * work never waits for a scheduling pass longer than one pass.
 */
#ifndef DLB_SW_H
#define DLB_SW_H

#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/wait.h>

#include "dlb.h"
#include "dlb_cq.h"
#include "dlb_engine.h"

struct dlb_sw_domain;

/**
 * struct dlb_sw_device - a software device's private state
 * @dlb: the device it backs
 * @nr_started: domains started on it; protected by @dlb->lock
 * @thread: the scheduler thread, "dlb<N>-sched"
 * @run_lock: protects @running; the thread holds it over each pass, so a
 *	domain off the list is no longer touched by the thread
 * @running: started domains, struct dlb_sw_domain.run_node
 * @kicked: a wake-up was requested since the thread last looked
 * @asleep: the thread has set the need-wakeup flags and may sleep
 * @sched_cpu: the CPU the thread is pinned to, or -1; protected by
 *	@dlb->lock
 * @passes: passes of the thread over the running domains
 * @sleeps: times the thread went to sleep
 * @naps: times the thread napped, every running domain's lcores scheduling
 * @caller_passes: passes over one domain run by a scheduling call
 *	(dlb_sw_sched_call()) in the caller's context
 * @sched_paused: test knob: the thread's passes do nothing while set
 * @sched_paused_file: its debugfs file
 * @fail_domain_start: test knob: domain starts still to fail with -EIO
 *
 * @passes, @sleeps and @naps are written by the thread only.
 */
struct dlb_sw_device {
	struct dlb_device *dlb;
	unsigned int nr_started;
	struct task_struct *thread;
	struct mutex run_lock; /* protects: see @run_lock above */
	struct list_head running;
	atomic_t kicked;
	bool asleep;
	int sched_cpu;
	u64 passes;
	u64 sleeps;
	u64 naps;
	atomic64_t caller_passes;
	bool sched_paused;
	struct dentry *sched_paused_file;
	atomic_t fail_domain_start;
};

/**
 * struct dlb_sw_port - a port of a started domain, as the data path sees it
 * @sd: its domain
 * @port: the control plane's port (its links)
 * @pd: its device file
 * @handle: its engine handle
 * @ring: the producer region (vmalloc'd, zeroed, mapped by the owner a
 *	page at a time at fault)
 * @cq: the CQ region (vmalloc'd, zeroed, given to the engine as cq_mem)
 * @cq_size: bytes of @cq, page aligned
 * @cq_depth: entries of the CQ
 * @cq_threshold: entries the CQ holds before the file reads as readable
 * @cons: QEs of @ring consumed; the kernel's copy of @ring->cons
 * @tokens_seen: the consumer's @ring->cq_tokens last turned into tokens
 * @cq_base: the engine's count of events scheduled to the port when its
 *	CQ was last reset; the CQ's position is counted from there (see
 *	dlb_sw_port_cq_pos())
 * @read_head: where read() last found the CQ's position, modulo the depth;
 *	a lockless hint for a blocked read(), written under the lock
 * @read_gen: the generation bit expected at @read_head
 * @ring_errors: impossible indices the port's owner stored (prod or
 *	cq_tokens), each counted once however many passes see it
 * @prod_bad: @ring->prod holds an impossible index, counted already
 * @tokens_bad: @ring->cq_tokens holds one, counted already
 * @discarded: published QEs discarded at close for lack of credit
 * @closes: times a file on the port was released
 * @enabled: its links are in the engine: its file is open
 *
 * Everything but the constant fields is protected by the domain's @lock.
 * poll() and read() waiters wait on @pd's wq, which outlives the port.
 */
struct dlb_sw_port {
	struct dlb_sw_domain *sd;
	struct dlb_port *port;
	struct dlb_portdev *pd;
	u32 handle;
	struct dlb_pp_ring *ring;
	struct dlb_deq *cq;
	size_t cq_size;
	u32 cq_depth;
	u32 cq_threshold;
	u32 cons;
	u32 tokens_seen;
	u64 cq_base;
	u32 read_head;
	u8 read_gen;
	u64 ring_errors;
	bool prod_bad;
	bool tokens_bad;
	u64 discarded;
	u64 closes;
	bool enabled;
};

/* QEs copied out of a producer ring at a time. */
#define DLB_SW_BURST	32

/**
 * struct dlb_sw_domain - a started domain of a software device
 * @sw: the device
 * @domain: the control plane's domain
 * @lock: protects @eng (the engine is single-threaded), @buf and the
 *	ports' engine-side state
 * @eng: the scheduling engine instance
 * @run_node: entry in @sw->running, under @sw->run_lock
 * @caller_passes: passes scheduling calls ran over the domain; written
 *	under @lock, read by the thread without it
 * @thread_seen: @caller_passes when the thread last looked; the thread's
 *	only, under @sw->run_lock
 * @buf: where QEs are copied out of a producer ring: the producer may
 *	rewrite a slot at any time and the engine must see one version
 * @nr_ports: entries of @ports: load-balanced ports by id, then directed
 * @ports: the ports
 */
struct dlb_sw_domain {
	struct dlb_sw_device *sw;
	struct dlb_domain *domain;
	struct mutex lock; /* protects: see @lock above */
	struct dlb_eng *eng;
	struct list_head run_node;
	u64 caller_passes;
	u64 thread_seen;
	struct dlb_qe buf[DLB_SW_BURST];
	unsigned int nr_ports;
	struct dlb_sw_port ports[];
};

/* dlb_sw_domain.c */
int dlb_sw_domain_create(struct dlb_sw_device *sw, struct dlb_domain *domain);
void dlb_sw_domain_destroy(struct dlb_sw_device *sw,
			   struct dlb_domain *domain);
u64 dlb_sw_domain_revoke(struct dlb_sw_device *sw, struct dlb_domain *domain);
void dlb_sw_port_close(struct dlb_sw_domain *sd, struct dlb_sw_port *p);
int dlb_sw_domain_link(struct dlb_sw_domain *sd, struct dlb_port *port,
		       struct dlb_queue *queue, u8 priority);
void dlb_sw_domain_unlink(struct dlb_sw_domain *sd, struct dlb_port *port,
			  struct dlb_queue *queue);
int dlb_sw_port_enable(struct dlb_sw_domain *sd, struct dlb_sw_port *p);
void dlb_sw_port_disable(struct dlb_sw_domain *sd, struct dlb_sw_port *p);

/* dlb_sw_ring.c */

/* A ring page's indices and flags, for the port's counters. */
struct dlb_sw_ring_state {
	u32 prod;
	u32 cons;
	u32 cq_tokens;
	bool need_wakeup;
};

void dlb_sw_port_ring_reset(struct dlb_sw_port *p);
u32 dlb_sw_port_sync_tokens(struct dlb_sw_domain *sd, struct dlb_sw_port *p);
u32 dlb_sw_port_take(struct dlb_sw_domain *sd, struct dlb_sw_port *p);
void dlb_sw_port_discard(struct dlb_sw_domain *sd, struct dlb_sw_port *p);
s64 dlb_sw_port_ring_events(struct dlb_sw_port *p, u32 held);
bool dlb_sw_port_ring_room(struct dlb_sw_port *p);
void dlb_sw_port_ring_state(struct dlb_sw_port *p,
			    struct dlb_sw_ring_state *st);
u64 dlb_sw_port_cq_pos(struct dlb_sw_domain *sd, struct dlb_sw_port *p,
		       u32 *occupancy);
u32 dlb_sw_port_occupancy(struct dlb_sw_domain *sd, struct dlb_sw_port *p);
bool dlb_sw_port_cq_ready(struct dlb_sw_port *p);
u32 dlb_sw_port_cq_peek(struct dlb_sw_domain *sd, struct dlb_sw_port *p,
			struct dlb_deq *out, u32 max, u64 *pos);
bool dlb_sw_port_cq_return(struct dlb_sw_domain *sd, struct dlb_sw_port *p,
			   u64 pos, u32 n);
u32 dlb_sw_rings_poll(struct dlb_sw_domain *sd);
bool dlb_sw_rings_try_poll(struct dlb_sw_domain *sd);
void dlb_sw_rings_need_wakeup(struct dlb_sw_domain *sd, bool on);

/* dlb_sw_port.c */
extern const struct file_operations dlb_sw_port_fops;

/* dlb_sw_stats.c */
extern const struct attribute_group *dlb_sw_port_groups[];

/* dlb_sw_sched.c */
extern const struct attribute_group *dlb_sw_dev_groups[];
int dlb_sw_sched_init(struct dlb_sw_device *sw);
void dlb_sw_sched_exit(struct dlb_sw_device *sw);
void dlb_sw_kick(struct dlb_sw_device *sw);
void dlb_sw_sched_call(struct dlb_sw_domain *sd);

#endif /* DLB_SW_H */
