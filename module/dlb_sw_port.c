// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_sw_port.c - the file operations of the software device's port files:
 * mmap of the producer ring and the CQ, read() and write() of whole QEs
 * through the engine, poll(), the scheduling call (a zero-length write),
 * and the cleanup when the last reference to the file goes.
 *
 * The regions of a port exist from domain start to domain stop. A normal
 * stop waits for every port file to close (a mapping holds its file open);
 * a forced stop revokes the open files first (dlb_portdev.c). So every
 * operation that touches the port runs between dlb_portdev_enter(), when it
 * finds the file live, and dlb_portdev_leave(), and pages are mapped at
 * fault time, inside such a section, never at mmap(): a page mapped before
 * the revocation's zap is zapped with the rest, and a fault after it finds
 * the file dead. What a ring or CQ holds is dlb_sw_ring.c's to read and
 * write.
 */

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "dlb_sw.h"

static struct dlb_portdev *dlb_sw_file_pd(struct file *file)
{
	return file->private_data;
}

/*
 * Enter the section of a port file (dlb_portdev_enter()) and lock its
 * domain. Return: the port, or NULL if the file is dead; either way the
 * caller ends with dlb_sw_port_unlock().
 */
static struct dlb_sw_port *dlb_sw_port_lock(struct dlb_portdev *pd, int *idx)
	__acquires(dlb_portdev_srcu)
{
	struct dlb_sw_port *p;

	if (!dlb_portdev_enter(pd, idx))
		return NULL;
	p = pd->priv;
	mutex_lock(&p->sd->lock);
	return p;
}

/*
 * Undo dlb_sw_port_lock(); with @kick, wake the scheduler thread in
 * between: what the caller did may let it schedule into the CQ.
 */
static void dlb_sw_port_unlock(struct dlb_sw_port *p, int idx, bool kick)
	__releases(dlb_portdev_srcu)
{
	if (p) {
		mutex_unlock(&p->sd->lock);
		if (kick)
			dlb_sw_kick(p->sd->sw);
	}
	dlb_portdev_leave(idx);
}

/*
 * The page of a port's regions at file page offset @pgoff, with a
 * reference for the page table, or NULL past the regions.
 */
static struct page *dlb_sw_port_page(struct dlb_sw_port *p, pgoff_t pgoff)
{
	u64 off = (u64)pgoff << PAGE_SHIFT;
	void *addr;

	if (off < PAGE_ALIGN(DLB_PP_REGION_SIZE))
		addr = (u8 *)p->ring + off;
	else if (off >= DLB_OFF_CQ && off - DLB_OFF_CQ < p->cq_size)
		addr = (u8 *)p->cq + (off - DLB_OFF_CQ);
	else
		return NULL;
	return vmalloc_to_page(addr);
}

/* A dead file's mappings fault with SIGBUS: the port's memory is gone. */
static vm_fault_t dlb_sw_port_fault(struct vm_fault *vmf)
{
	struct dlb_portdev *pd = dlb_sw_file_pd(vmf->vma->vm_file);
	struct page *page;
	int idx;

	if (!dlb_portdev_enter(pd, &idx)) {
		dlb_portdev_leave(idx);
		return VM_FAULT_SIGBUS;
	}
	page = dlb_sw_port_page(pd->priv, vmf->pgoff);
	if (page)
		get_page(page);
	dlb_portdev_leave(idx);
	if (!page)
		return VM_FAULT_SIGBUS;
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct dlb_sw_port_vm_ops = {
	.fault = dlb_sw_port_fault,
};

static int dlb_sw_port_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct dlb_portdev *pd = dlb_sw_file_pd(file);
	unsigned long size = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	struct dlb_sw_port *p;
	size_t region_size;
	int idx;

	if (!dlb_portdev_enter(pd, &idx)) {
		dlb_portdev_leave(idx);
		return -ENODEV;
	}
	p = pd->priv;
	region_size = p->cq_size;
	dlb_portdev_leave(idx);

	if (off == DLB_OFF_PP) {
		region_size = PAGE_ALIGN(DLB_PP_REGION_SIZE);
	} else if (off == DLB_OFF_CQ) {
		/* Only the device writes a CQ, now and after mprotect(). */
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		dlb_vm_flags_clear(vma, VM_MAYWRITE);
	} else {
		return -EINVAL;
	}
	if (size > region_size)
		return -EINVAL;

	/*
	 * The regions never grow, a forked copy is still the owner's, and
	 * a core dump has no business reading a port.
	 */
	dlb_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &dlb_sw_port_vm_ops;
	return 0;
}

/* How many CQ entries the consumer has not returned; syncs tokens first. */
static u32 dlb_sw_port_pending(struct dlb_sw_domain *sd, struct dlb_sw_port *p)
{
	lockdep_assert_held(&sd->lock);
	dlb_sw_port_sync_tokens(sd, p);
	return dlb_sw_port_occupancy(sd, p);
}

static __poll_t dlb_sw_port_poll(struct file *file, poll_table *wait)
{
	struct dlb_portdev *pd = dlb_sw_file_pd(file);
	struct dlb_sw_port *p;
	__poll_t mask = 0;
	int idx;

	/* Before the check: a revocation after it wakes this waiter. */
	poll_wait(file, &pd->wq, wait);
	p = dlb_sw_port_lock(pd, &idx);
	if (!p) {
		dlb_sw_port_unlock(p, idx, false);
		return EPOLLERR | EPOLLHUP;
	}
	/* The port's cq_depth_threshold, like DLB's CQ interrupt. */
	if (dlb_sw_port_pending(p->sd, p) >= p->cq_threshold)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (dlb_sw_port_ring_room(p))
		mask |= EPOLLOUT | EPOLLWRNORM;
	/* Returned tokens may let the thread schedule into this CQ. */
	dlb_sw_port_unlock(p, idx, true);
	return mask;
}

/*
 * The wait condition of a blocking read(): entries to read, or the file
 * died. Evaluated while the reader is marked sleeping; entering the
 * section does not sleep.
 */
static bool dlb_sw_port_read_woken(struct dlb_portdev *pd)
{
	bool ready;
	int idx;

	if (!dlb_portdev_enter(pd, &idx)) {
		dlb_portdev_leave(idx);
		return true;
	}
	ready = dlb_sw_port_cq_ready(pd->priv);
	dlb_portdev_leave(idx);
	return ready;
}

/*
 * The first step of read(): copy up to @max entries from the CQ's position
 * into @out, taking nothing (dlb_sw_port_cq_peek()). @pos is set to that
 * position. Return: entries copied, or -ENODEV if dead.
 */
static int dlb_sw_port_read_peek(struct dlb_portdev *pd, struct dlb_deq *out,
				 u32 max, u64 *pos)
{
	struct dlb_sw_port *p;
	int idx, n = -ENODEV;

	p = dlb_sw_port_lock(pd, &idx);
	if (p)
		n = dlb_sw_port_cq_peek(p->sd, p, out, max, pos);
	dlb_sw_port_unlock(p, idx, false);
	return n;
}

/*
 * The last step of read(), once @n entries from position @pos reached the
 * caller: return their tokens, unless the position moved meanwhile (a
 * concurrent read(), or tokens stored in the ring page), in which case
 * the caller reads again (dlb_sw_port_cq_return()). Return: 1 if taken, 0
 * if the position moved, -ENODEV if the file died (the forced stop counted
 * the entries dropped).
 */
static int dlb_sw_port_read_commit(struct dlb_portdev *pd, u64 pos, u32 n)
{
	struct dlb_sw_port *p;
	int idx, ret = -ENODEV;

	p = dlb_sw_port_lock(pd, &idx);
	if (p)
		ret = dlb_sw_port_cq_return(p->sd, p, pos, n);
	dlb_sw_port_unlock(p, idx, ret > 0);
	return ret;
}

/*
 * Block until the CQ holds the port's cq_depth_threshold entries or the
 * file dies. The wait is outside any section: a forced stop does not wait
 * for a blocked reader, it wakes it. Return: 0 or -ERESTARTSYS.
 */
static int dlb_sw_port_wait(struct dlb_portdev *pd)
{
	struct dlb_sw_port *p;
	bool ready;
	int idx;

	if (!dlb_portdev_enter(pd, &idx)) {
		dlb_portdev_leave(idx);
		return 0;
	}
	p = pd->priv;
	ready = dlb_sw_port_cq_ready(p);
	if (!ready)
		dlb_sw_kick(p->sd->sw);
	dlb_portdev_leave(idx);
	if (ready)
		return 0;
	return wait_event_interruptible(pd->wq, dlb_sw_port_read_woken(pd));
}

/*
 * read(): whole dequeue entries from the CQ, their tokens returned at once.
 * Unless O_NONBLOCK, first blocks until the CQ holds the port's
 * cq_depth_threshold entries (1 by default), as poll() does. An entry is
 * taken only once it reached the caller: entries copied to @buf in part or
 * not at all stay in the CQ (-EFAULT if none was). A dead file fails with
 * -ENODEV, also when it dies while the reader waits.
 */
static ssize_t dlb_sw_port_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	struct dlb_portdev *pd = dlb_sw_file_pd(file);
	struct dlb_deq out[DLB_SW_BURST];
	size_t max = count / sizeof(out[0]);
	unsigned long left;
	int n, err;
	u64 pos;

	if (count % sizeof(out[0]))
		return -EINVAL;
	if (!max)
		return 0;
	max = min_t(size_t, max, DLB_SW_BURST);

	for (;;) {
		if (!(file->f_flags & O_NONBLOCK)) {
			err = dlb_sw_port_wait(pd);
			if (err)
				return err;
		}
		n = dlb_sw_port_read_peek(pd, out, max, &pos);
		if (n < 0)
			return n;
		if (!n) {
			if (file->f_flags & O_NONBLOCK)
				return -EAGAIN;
			continue;
		}
		/* Outside any section: user memory may take long. */
		left = copy_to_user(buf, out, n * sizeof(out[0]));
		n -= DIV_ROUND_UP(left, sizeof(out[0]));
		if (!n)
			return -EFAULT;
		err = dlb_sw_port_read_commit(pd, pos, n);
		if (err < 0)
			return err;
		if (err)
			return n * sizeof(out[0]);
		/* Someone else took entries meanwhile: read what is left. */
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
}

/*
 * write(): whole QEs, processed in order as if enqueued through the ring.
 * Returns the bytes of the QEs consumed (accepted or dropped as invalid);
 * -EAGAIN if the first was refused for lack of credit, -ENODEV if the file
 * is dead. A zero-length write is the ring protocol's scheduling call: a
 * pass over the domain in our context if its lock is free, and the wake-up
 * of the scheduler thread.
 */
static ssize_t dlb_sw_port_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct dlb_portdev *pd = dlb_sw_file_pd(file);
	size_t total = count / sizeof(struct dlb_qe), done = 0;
	struct dlb_qe qes[DLB_SW_BURST];
	struct dlb_sw_domain *sd;
	struct dlb_sw_port *p;
	bool dead = false;
	int n, idx;
	u32 chunk;

	if (count % sizeof(qes[0]))
		return -EINVAL;

	do {
		chunk = min_t(size_t, total - done, DLB_SW_BURST);
		/* Copied outside the section: user memory may take long. */
		if (copy_from_user(qes, buf + done * sizeof(qes[0]),
				   chunk * sizeof(qes[0]))) {
			if (!done)
				return -EFAULT;
			break;
		}
		if (!dlb_portdev_enter(pd, &idx)) {
			dlb_portdev_leave(idx);
			dead = true;
			break;
		}
		p = pd->priv;
		sd = p->sd;
		n = 0;
		if (chunk) {
			mutex_lock(&sd->lock);
			n = dlb_eng_enqueue(sd->eng, p->handle, qes, chunk);
			mutex_unlock(&sd->lock);
			if (n > 0)
				done += n;
			dlb_sw_kick(sd->sw);
		} else {
			dlb_sw_sched_call(sd);
		}
		dlb_portdev_leave(idx);
		if (n < (int)chunk)
			break;
	} while (done < total);

	if (!done && dead)
		return -ENODEV;
	if (!done && total)
		return -EAGAIN;
	return done * sizeof(qes[0]);
}

/* A port takes events from its queues only while its file is open. */
static int dlb_sw_port_open(struct inode *inode, struct file *file)
{
	struct dlb_portdev *pd = dlb_sw_file_pd(file);
	struct dlb_sw_port *p;
	int ret;

	mutex_lock(&pd->dlb->lock);
	/* A forced stop may have come between the core's open and here. */
	if (pd->dead) {
		ret = -ENODEV;
	} else {
		p = pd->priv;
		ret = dlb_sw_port_enable(p->sd, p);
	}
	mutex_unlock(&pd->dlb->lock);
	return ret;
}

/*
 * The last reference to the file is gone (close, exit, kill -9): apply the
 * crash rule of the ABI header (dlb_sw_port_close()). A revoked file has
 * no port left to clean.
 */
static int dlb_sw_port_release(struct inode *inode, struct file *file)
{
	struct dlb_portdev *pd = dlb_sw_file_pd(file);
	struct dlb_sw_device *sw = NULL;
	struct dlb_sw_domain *sd;
	struct dlb_sw_port *p;

	/*
	 * The device's lock keeps the port's links still while they go,
	 * and the domain from being force-stopped meanwhile.
	 */
	mutex_lock(&pd->dlb->lock);
	if (!pd->dead) {
		p = pd->priv;
		sd = p->sd;
		sw = sd->sw;
		mutex_lock(&sd->lock);
		dlb_sw_port_close(sd, p);
		mutex_unlock(&sd->lock);
	}
	mutex_unlock(&pd->dlb->lock);

	/* The events taken back wait for the thread (the device outlives us). */
	if (sw)
		dlb_sw_kick(sw);
	dlb_portdev_close(pd);
	return 0;
}

const struct file_operations dlb_sw_port_fops = {
	.owner = THIS_MODULE,
	.open = dlb_sw_port_open,
	.mmap = dlb_sw_port_mmap,
	.poll = dlb_sw_port_poll,
	.read = dlb_sw_port_read,
	.write = dlb_sw_port_write,
	.release = dlb_sw_port_release,
	.llseek = noop_llseek,
};
