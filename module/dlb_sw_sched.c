// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_sw_sched.c - the software device's scheduler thread, which runs the
 * engines of all its started domains, and its sysfs attributes sched_cpu
 * and sched_stats/.
 *
 * The thread busy-polls while passes find work. After sw_sched_idle_us
 * microseconds of empty passes it sets DLB_PP_NEED_WAKEUP in every producer
 * ring, looks once more (barrier (C) of the ABI in uapi/linux/dlb.h, in
 * dlb_sw_rings_need_wakeup()) and sleeps; a
 * producer or consumer that sees the flag makes a zero-length write() on its
 * port file, which calls dlb_sw_kick(). The first such call clears the
 * flags again, so one call wakes the thread however many producers publish
 * before it runs. This is io_uring's SQPOLL pattern: no system call while
 * the thread is busy, one cheap call to wake it.
 *
 * That zero-length write() is also the scheduling call: before it wakes the
 * thread, it runs one pass over the caller's domain in the caller's
 * context, unless the domain's lock is taken (dlb_sw_sched_call()). So
 * events move whenever any thread of the application runs, not only when
 * the scheduler thread does: a consumer that finds its CQ empty makes the
 * call rather than wait, as io_uring submits in io_uring_enter() without
 * SQPOLL. The thread stays the scheduler of applications that make only
 * the wake-up calls. While the calls schedule every domain that has work,
 * the thread naps rather than polls (dlb_sw_sched_pass()): on shared CPUs
 * its polling would only take time from the threads doing the work.
 */

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched.h>

#include "dlb_sw.h"

/*
 * How long the thread keeps polling without work before it sleeps: long
 * enough to bridge the gaps of a producer working in bursts, short enough
 * not to take a CPU from the application's threads when they share one.
 * (io_uring's SQPOLL idles 1 s, for a dedicated CPU.) Measured in the
 * test VM (docs/performance.md): 50-200 us gave the best mmap rate, 1 ms
 * was 10-20 times slower, 10 us 4 times slower.
 */
static unsigned int sw_sched_idle_us = 100;
module_param(sw_sched_idle_us, uint, 0644);
MODULE_PARM_DESC(sw_sched_idle_us,
		 "Microseconds the scheduler thread polls without work before sleeping, and naps while scheduling calls do its work (default 100)");

/*
 * A nap is as long as the thread would poll idle before sleeping, capped
 * at this (usleep_range() may stretch it to twice that). A domain whose
 * lcores stop calling is looked at again within two naps: the first look
 * after the calls stop may still see their last pass.
 */
#define DLB_SW_NAP_MAX_US	1000U

/*
 * A pass over the running domains. Unless @all, a domain whose scheduling
 * calls ran a pass since the thread last looked is left to them and counted
 * in @tended: its lcores schedule it (the thread stays for the domains
 * whose application does not, and for when the calls stop).
 */
static u32 dlb_sw_sched_pass(struct dlb_sw_device *sw, bool all,
			     unsigned int *tended)
{
	struct dlb_sw_domain *sd;
	u32 work = 0;
	u64 calls;

	/* Only this thread writes it; sched_stats/ reads it unlocked. */
	WRITE_ONCE(sw->passes, sw->passes + 1);
	if (READ_ONCE(sw->sched_paused))
		return 0;
	mutex_lock(&sw->run_lock);
	list_for_each_entry(sd, &sw->running, run_node) {
		calls = READ_ONCE(sd->caller_passes);
		if (calls != sd->thread_seen && !all) {
			sd->thread_seen = calls;
			(*tended)++;
			continue;
		}
		sd->thread_seen = calls;
		work += dlb_sw_rings_poll(sd);
	}
	mutex_unlock(&sw->run_lock);
	return work;
}

/*
 * Set or clear @asleep and the need-wakeup flag in every ring of every
 * running domain; @run_lock held.
 */
static void dlb_sw_need_wakeup_locked(struct dlb_sw_device *sw, bool on)
{
	struct dlb_sw_domain *sd;

	lockdep_assert_held(&sw->run_lock);
	WRITE_ONCE(sw->asleep, on);
	/* Whoever sees a flag set also sees @asleep set, so kicks work. */
	smp_wmb();
	list_for_each_entry(sd, &sw->running, run_node)
		dlb_sw_rings_need_wakeup(sd, on);
}

static void dlb_sw_set_need_wakeup(struct dlb_sw_device *sw, bool on)
{
	mutex_lock(&sw->run_lock);
	dlb_sw_need_wakeup_locked(sw, on);
	mutex_unlock(&sw->run_lock);
}

static int dlb_sw_sched_thread(void *arg)
{
	struct dlb_sw_device *sw = arg;
	u64 last_work = ktime_get_ns();
	unsigned int tended;
	u32 idle_us, nap_us;

	while (!kthread_should_stop()) {
		tended = 0;
		if (dlb_sw_sched_pass(sw, false, &tended)) {
			last_work = ktime_get_ns();
			cond_resched();
			continue;
		}
		idle_us = READ_ONCE(sw_sched_idle_us);
		if (tended) {
			/*
			 * The lcores schedule every domain that had work: give
			 * their CPUs the time, look again after a nap. Not a
			 * sleep: no flag is set, no wake-up call is needed.
			 */
			nap_us = clamp(idle_us, 1U, DLB_SW_NAP_MAX_US);
			WRITE_ONCE(sw->naps, sw->naps + 1);
			/* TASK_IDLE: a nap does not count as load. */
			usleep_range_state(nap_us, nap_us * 2, TASK_IDLE);
			last_work = ktime_get_ns();
			continue;
		}
		if (ktime_get_ns() - last_work < (u64)idle_us * NSEC_PER_USEC) {
			cond_resched();
			continue;
		}

		/* With barrier (C) of the ABI before the last look. */
		dlb_sw_set_need_wakeup(sw, true);
		if (!dlb_sw_sched_pass(sw, true, &tended)) {
			set_current_state(TASK_INTERRUPTIBLE);
			/* A kick after the pass above is not lost: see kick. */
			if (!atomic_xchg(&sw->kicked, 0) &&
			    !kthread_should_stop()) {
				WRITE_ONCE(sw->sleeps, sw->sleeps + 1);
				schedule();
			}
			__set_current_state(TASK_RUNNING);
		}
		atomic_set(&sw->kicked, 0);
		dlb_sw_set_need_wakeup(sw, false);
		last_work = ktime_get_ns();
	}
	return 0;
}

/**
 * dlb_sw_kick() - wake the scheduler thread if it may be asleep
 * @sw: the device
 *
 * Cheap when the thread is awake: one load. The first kick of a sleep
 * clears the need-wakeup flags, so the producers and consumers that look
 * at them after it make no system call of their own: one wake-up call
 * per sleep, not one per publish until the thread runs again.
 *
 * Context: process context; tries @sw->run_lock, so not with a domain's
 * lock held.
 */
void dlb_sw_kick(struct dlb_sw_device *sw)
{
	/*
	 * A producer that saw DLB_PP_NEED_WAKEUP must see @asleep set too:
	 * pairs with the smp_wmb() in dlb_sw_set_need_wakeup(). (The system
	 * call between its load of the flags and ours orders nothing.)
	 */
	smp_rmb();
	if (!READ_ONCE(sw->asleep))
		return;

	/*
	 * Only the thread sets the flags, under @run_lock: holding it, we
	 * clear the flags of the sleep we saw or of a later one, and set
	 * @kicked where the thread cannot reset it before it decides to
	 * sleep, so it is woken below or does not sleep. A producer that then
	 * finds the flags clear is seen by the thread's next pass, or at the
	 * latest by its last look before the next sleep: barriers (C) and
	 * (D). The lock is only tried: a caller must not wait out the thread's
	 * last pass. Without it the flags stay set, which costs further calls,
	 * never an event: @kicked alone is seen by the thread before it
	 * sleeps or by its wake-up.
	 */
	if (mutex_trylock(&sw->run_lock)) {
		if (sw->asleep) {
			atomic_set(&sw->kicked, 1);
			dlb_sw_need_wakeup_locked(sw, false);
		}
		mutex_unlock(&sw->run_lock);
	} else {
		atomic_set(&sw->kicked, 1);
	}
	wake_up_process(sw->thread);
}

/**
 * dlb_sw_sched_call() - the scheduling call of a port file
 * @sd: the caller's domain, started
 *
 * Runs one pass over @sd in the caller's context unless @sd->lock is taken
 * (the caller does not wait for it), and wakes the thread if it may be
 * asleep: what the pass left or could not do, and the other domains, are
 * the thread's.
 *
 * Context: process context, in a live port file's section (so @sd stays
 * started); takes @sd->lock only if free, and tries @sd->sw->run_lock.
 */
void dlb_sw_sched_call(struct dlb_sw_domain *sd)
{
	struct dlb_sw_device *sw = sd->sw;

	if (dlb_sw_rings_try_poll(sd))
		atomic64_inc(&sw->caller_passes);
	dlb_sw_kick(sw);
}

static ssize_t sched_cpu_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct dlb_device *dlb = to_dlb_device(dev);
	struct dlb_sw_device *sw = dlb->priv;
	int cpu;

	mutex_lock(&dlb->lock);
	cpu = sw->sched_cpu;
	mutex_unlock(&dlb->lock);
	return sysfs_emit(buf, "%d\n", cpu);
}

static ssize_t sched_cpu_store(struct device *dev,
			       struct device_attribute *attr, const char *buf,
			       size_t count)
{
	struct dlb_device *dlb = to_dlb_device(dev);
	struct dlb_sw_device *sw = dlb->priv;
	const struct cpumask *mask;
	int cpu, ret;

	ret = kstrtoint(buf, 0, &cpu);
	if (ret)
		return ret;
	if (cpu < -1 || cpu >= (int)nr_cpu_ids) {
		dev_info(dev, "sched_cpu: %d is not -1 (any) or a CPU 0-%u\n",
			 cpu, nr_cpu_ids - 1);
		return -EINVAL;
	}

	mutex_lock(&dlb->lock);
	mask = cpu < 0 ? cpu_possible_mask : cpumask_of(cpu);
	ret = set_cpus_allowed_ptr(sw->thread, mask);
	if (!ret)
		sw->sched_cpu = cpu;
	mutex_unlock(&dlb->lock);
	if (ret)
		dev_info(dev, "sched_cpu: cannot run on CPU %d: %d\n", cpu, ret);
	return ret ?: count;
}
static DEVICE_ATTR_RW(sched_cpu);

/*
 * sched_stats/: whether the thread has set the need-wakeup flags (asleep),
 * its passes over the running domains (passes), the times it went to
 * sleep (sleeps) and napped while scheduling calls did its work (naps),
 * and the passes over one domain that scheduling calls ran
 * (caller_passes), one file each. A thread that stays asleep while a ring
 * holds work means a lost wake-up; passes that do not move mean it is stuck.
 */
static ssize_t asleep_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct dlb_sw_device *sw = to_dlb_device(dev)->priv;

	return sysfs_emit(buf, "%u\n", READ_ONCE(sw->asleep));
}
static DEVICE_ATTR_RO(asleep);

static ssize_t passes_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct dlb_sw_device *sw = to_dlb_device(dev)->priv;

	return sysfs_emit(buf, "%llu\n", READ_ONCE(sw->passes));
}
static DEVICE_ATTR_RO(passes);

static ssize_t sleeps_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct dlb_sw_device *sw = to_dlb_device(dev)->priv;

	return sysfs_emit(buf, "%llu\n", READ_ONCE(sw->sleeps));
}
static DEVICE_ATTR_RO(sleeps);

static ssize_t naps_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct dlb_sw_device *sw = to_dlb_device(dev)->priv;

	return sysfs_emit(buf, "%llu\n", READ_ONCE(sw->naps));
}
static DEVICE_ATTR_RO(naps);

static ssize_t caller_passes_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct dlb_sw_device *sw = to_dlb_device(dev)->priv;

	return sysfs_emit(buf, "%lld\n", atomic64_read(&sw->caller_passes));
}
static DEVICE_ATTR_RO(caller_passes);

static struct attribute *dlb_sw_sched_stats_attrs[] = {
	&dev_attr_asleep.attr,
	&dev_attr_passes.attr,
	&dev_attr_sleeps.attr,
	&dev_attr_naps.attr,
	&dev_attr_caller_passes.attr,
	NULL,
};

static const struct attribute_group dlb_sw_sched_stats_group = {
	.name = "sched_stats",
	.attrs = dlb_sw_sched_stats_attrs,
};

static struct attribute *dlb_sw_attrs[] = {
	&dev_attr_sched_cpu.attr,
	NULL,
};

static const struct attribute_group dlb_sw_group = {
	.attrs = dlb_sw_attrs,
};

/* The software device's own attributes, added with the device. */
const struct attribute_group *dlb_sw_dev_groups[] = {
	&dlb_sw_group,
	&dlb_sw_sched_stats_group,
	NULL,
};

/*
 * A test knob, /sys/kernel/debug/dlb/dlb<N>/sched_paused: while 1 the
 * thread's passes find no work (it sleeps as it does when idle), so tests
 * can check that scheduling calls alone move every event. Writing 0 wakes
 * the thread.
 */
static int dlb_sw_sched_paused_get(void *data, u64 *val)
{
	struct dlb_sw_device *sw = data;

	*val = READ_ONCE(sw->sched_paused);
	return 0;
}

static int dlb_sw_sched_paused_set(void *data, u64 val)
{
	struct dlb_sw_device *sw = data;

	if (val > 1)
		return -EINVAL;
	WRITE_ONCE(sw->sched_paused, val);
	if (!val)
		dlb_sw_kick(sw);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(dlb_sw_sched_paused_fops, dlb_sw_sched_paused_get,
			 dlb_sw_sched_paused_set, "%llu\n");

/**
 * dlb_sw_sched_init() - start a software device's scheduler thread
 * @sw: the device, allocated and not yet registered
 *
 * Context: process context.
 * Return: 0 or a negative errno; on error nothing is left behind.
 */
int dlb_sw_sched_init(struct dlb_sw_device *sw)
{
	struct task_struct *t;

	mutex_init(&sw->run_lock);
	INIT_LIST_HEAD(&sw->running);
	sw->sched_cpu = -1;
	t = kthread_create(dlb_sw_sched_thread, sw, "%s-sched",
			   dev_name(&sw->dlb->dev));
	if (IS_ERR(t)) {
		mutex_destroy(&sw->run_lock);
		return PTR_ERR(t);
	}
	sw->thread = t;
	wake_up_process(t);
	sw->sched_paused_file =
		debugfs_create_file_unsafe("sched_paused", 0600,
					   sw->dlb->debugfs, sw,
					   &dlb_sw_sched_paused_fops);
	return 0;
}

/**
 * dlb_sw_sched_exit() - undo dlb_sw_sched_init()
 * @sw: the device, unregistered; no domain of it is started
 *
 * Context: process context.
 */
void dlb_sw_sched_exit(struct dlb_sw_device *sw)
{
	/* Its writes wake the thread: it goes first. */
	debugfs_remove(sw->sched_paused_file);
	kthread_stop(sw->thread);
	sw->thread = NULL;
	mutex_destroy(&sw->run_lock);
}
