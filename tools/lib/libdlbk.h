/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libdlbk.h - use a dlb port from an application.
 *
 * A port is a device file /dev/dlb/<device>/<domain>/<port>, present while
 * its domain is started. dlbk_port_open() opens and maps it; the calls below
 * then move 16-byte queue entries (struct dlb_qe, see <linux/dlb.h>) through
 * its memory-mapped rings without system calls while the device's
 * scheduler thread is busy, and with one cheap call to wake it when it
 * sleeps. dlbk_port_close() (or the process's death) gives everything the
 * port held back to the device: events it was delivered and did not
 * complete go to the other ports of their queue.
 *
 * Threads: a struct dlbk_port is used by one thread at a time; different
 * ports are independent. Errors: functions returning int return -1 and set
 * errno; pointers are NULL with errno set. Passing NULL where a port is
 * required is a programming error (assert).
 *
 * Forced stop: an administrator's force_stop revokes the port file and
 * unmaps its rings. dlbk_port_wait() and dlbk_port_schedule() then fail
 * with ENODEV; the calls that only touch the mapped rings
 * (dlbk_port_space(), _enqueue(), _new(), _forward(), _release(),
 * _dequeue(), _return_tokens()) raise SIGBUS, as
 * any access through a revoked mapping does, so an application that may be
 * force-stopped waits with dlbk_port_wait() (or polls dlbk_port_fd() for
 * POLLERR|POLLHUP) before touching the rings, which narrows the window but
 * cannot close it (it also handles SIGBUS, or accepts dying of it);
 * dlbk_port_close() works as ever and frees the port.
 */
#ifndef LIBDLBK_H
#define LIBDLBK_H

#include <stdint.h>
#include <linux/dlb.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An open, mapped port. Opaque; made by dlbk_port_open(). */
struct dlbk_port;

/**
 * dlbk_port_open() - open a port device file and map its rings
 * @path: e.g. "/dev/dlb/dlb0/pipeline/w0"
 *
 * Return: the port, to be freed with dlbk_port_close(); NULL with errno:
 * ENOENT (no such port, or its domain is stopped), EACCES (not the
 * domain's owner or group), EBUSY (already open elsewhere), or what
 * open() or mmap() set.
 */
struct dlbk_port *dlbk_port_open(const char *path);

/**
 * dlbk_port_close() - unmap and close a port; NULL does nothing
 * @port: the port
 *
 * Events the port holds (delivered, not completed) are rescheduled to the
 * other ports linked to their queues; QEs already enqueued are processed.
 */
void dlbk_port_close(struct dlbk_port *port);

/** dlbk_port_fd() - the port's file descriptor, for poll()/epoll. */
int dlbk_port_fd(const struct dlbk_port *port);

/** dlbk_port_cq_depth() - entries of the port's consumer queue. */
unsigned int dlbk_port_cq_depth(const struct dlbk_port *port);

/**
 * dlbk_port_space() - free slots of the producer ring
 * @port: the port
 *
 * Never blocks. The next dlbk_port_enqueue() (or _new, _forward, _release)
 * on @port takes at least this many QEs; QEs the device holds back for
 * lack of credit keep their slots, so the space can stay 0 for a while.
 *
 * Return: 0 to %DLB_PP_ENTRIES.
 */
unsigned int dlbk_port_space(const struct dlbk_port *port);

/**
 * dlbk_port_enqueue() - enqueue a burst of QEs as they are
 * @port: the port
 * @qes: QEs with their command bytes set (DLB_CMD_*)
 * @n: how many
 *
 * Never blocks. QEs go into the producer ring in order; the device takes
 * them from there, holding back (not losing) those it lacks credit for.
 *
 * Return: how many were put in the ring, 0 to @n; fewer when it is full.
 */
unsigned int dlbk_port_enqueue(struct dlbk_port *port, const struct dlb_qe *qes,
			      unsigned int n);

/**
 * dlbk_port_new() - enqueue new events: dlbk_port_enqueue() with DLB_CMD_NEW
 * @port: the port
 * @qes: the events; their cmd bytes are overwritten
 * @n: how many
 *
 * Return: how many were put in the ring.
 */
unsigned int dlbk_port_new(struct dlbk_port *port, struct dlb_qe *qes,
			  unsigned int n);

/**
 * dlbk_port_forward() - complete held events and enqueue their successors
 * @port: the port
 * @qes: the successors, one per held event, oldest first; their cmd bytes
 *	are overwritten with DLB_CMD_FWD
 * @n: how many
 *
 * Return: how many were put in the ring.
 */
unsigned int dlbk_port_forward(struct dlbk_port *port, struct dlb_qe *qes,
			      unsigned int n);

/**
 * dlbk_port_release() - complete the @n oldest held events without successor
 * @port: the port
 * @n: how many
 *
 * Return: how many releases were put in the ring.
 */
unsigned int dlbk_port_release(struct dlbk_port *port, unsigned int n);

/* Flags of dlbk_port_dequeue(). */
#define DLBK_DEQUEUE_KEEP_TOKENS	0x1	/* return them with dlbk_port_return_tokens() */

/**
 * dlbk_port_dequeue() - take the events waiting in the consumer queue
 * @port: the port
 * @out: where to copy them
 * @max: at most this many
 * @flags: 0 or DLBK_DEQUEUE_KEEP_TOKENS
 *
 * Never blocks (see dlbk_port_wait()). Unless told otherwise, the CQ slots
 * of the events copied out are returned at once. Load-balanced events
 * stay held by the port until completed by dlbk_port_forward() or
 * dlbk_port_release(), oldest first.
 *
 * Return: how many were copied, 0 to @max.
 */
unsigned int dlbk_port_dequeue(struct dlbk_port *port, struct dlb_deq *out,
			      unsigned int max, unsigned int flags);

/**
 * dlbk_port_return_tokens() - return CQ slots kept by a dequeue
 * @port: the port
 * @n: how many
 */
void dlbk_port_return_tokens(struct dlbk_port *port, unsigned int n);

/**
 * dlbk_port_wait() - sleep until the consumer queue has events
 * @port: the port
 * @timeout_ms: at most this long; -1 waits forever, 0 only looks
 *
 * Return: 1 if events are waiting, 0 on timeout, -1 with errno: EINTR, or
 * ENODEV once a forced stop revoked the port (it never touches the CQ of a
 * port it finds revoked).
 */
int dlbk_port_wait(struct dlbk_port *port, int timeout_ms);

/**
 * dlbk_port_schedule() - run a scheduling pass on the calling thread
 * @port: the port
 *
 * The port file's scheduling call (a zero-length write()): the kernel runs
 * one scheduling pass over the port's domain on this thread unless the
 * domain is busy, then wakes the scheduler thread if it sleeps, leaving it
 * the rest. It never blocks. A consumer that finds its CQ empty, or a producer that finds its
 * ring full, can call it rather than wait for the scheduler thread; it
 * costs one system call.
 *
 * Return: 0, or -1 with errno ENODEV once a forced stop revoked the port.
 */
int dlbk_port_schedule(struct dlbk_port *port);

/**
 * dlbk_qe_set() - fill a QE
 * @qe: the QE
 * @sched: DLB_SCHED_*, also selecting the queue namespace of @qid
 * @qid: destination queue id within the domain
 * @prio: 0 (highest) to 7
 * @flow: the flow id of an atomic event
 * @data: payload
 */
static inline void dlbk_qe_set(struct dlb_qe *qe, uint8_t sched, uint8_t qid,
			      uint8_t prio, uint16_t flow, uint64_t data)
{
	qe->data = data;
	qe->opaque = 0;
	qe->qid = qid;
	qe->meta = DLB_META(sched, prio, 0);
	qe->lock_id = flow;
	qe->rsvd = 0;
	qe->cmd = DLB_CMD_NOOP;
}

#ifdef __cplusplus
}
#endif

#endif /* LIBDLBK_H */
