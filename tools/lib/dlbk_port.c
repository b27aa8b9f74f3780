// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * dlbk_port.c - libdlbk's port object: open and map a port device file, and
 * the application's side of the ring protocol of <linux/dlb.h>, whose
 * barrier labels (A)-(G) the comments below cite.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libdlbk.h"
#include "dlb_cq.h"

#define DLBK_API __attribute__((visibility("default")))

_Static_assert(sizeof(struct dlb_pp_ring) <= DLB_PP_RING_OFFSET,
	       "the ring header fits its page");

struct dlbk_port {
	int fd;
	struct dlb_pp_ring *ring;	/* producer region */
	struct dlb_qe *qes;		/* its ring of DLB_PP_ENTRIES */
	const struct dlb_deq *cq;	/* CQ region */
	size_t cq_size;
	unsigned int cq_depth;
	uint32_t prod;			/* our copy of ring->prod */
	uint32_t tokens;		/* our copy of ring->cq_tokens */
	struct dlb_cq_reader rd;	/* our position in the CQ */
};

DLBK_API struct dlbk_port *dlbk_port_open(const char *path)
{
	struct dlbk_port *port;
	long page = sysconf(_SC_PAGESIZE);
	int err;

	port = calloc(1, sizeof(*port));
	if (!port)
		return NULL;
	port->fd = open(path, O_RDWR | O_CLOEXEC);
	if (port->fd < 0)
		goto err_free;

	port->ring = mmap(NULL, DLB_PP_REGION_SIZE, PROT_READ | PROT_WRITE,
			  MAP_SHARED, port->fd, DLB_OFF_PP);
	if (port->ring == MAP_FAILED)
		goto err_close;
	/* A ring protocol this library does not speak: leave the port alone. */
	if (port->ring->protocol != DLB_PP_PROTO_SW_V1) {
		errno = EPROTONOSUPPORT;
		goto err_unmap_ring;
	}
	port->qes = (struct dlb_qe *)((char *)port->ring +
				      port->ring->ring_offset);
	port->cq_depth = port->ring->cq_depth;
	port->cq_size = ((port->cq_depth * sizeof(struct dlb_deq) + page - 1) /
			 page) * page;
	port->cq = mmap(NULL, port->cq_size, PROT_READ, MAP_SHARED, port->fd,
			DLB_OFF_CQ);
	if (port->cq == MAP_FAILED)
		goto err_unmap_ring;

	/* A port opens with zeroed indices and generation 1 (crash rule). */
	port->prod = port->ring->prod;
	port->tokens = port->ring->cq_tokens;
	dlb_cq_reader_init(&port->rd, port->cq, port->cq_depth);
	return port;

err_unmap_ring:
	err = errno;
	munmap(port->ring, DLB_PP_REGION_SIZE);
	errno = err;
err_close:
	err = errno;
	close(port->fd);
	errno = err;
err_free:
	err = errno;
	free(port);
	errno = err;
	return NULL;
}

DLBK_API void dlbk_port_close(struct dlbk_port *port)
{
	if (!port)
		return;
	munmap((void *)port->cq, port->cq_size);
	munmap(port->ring, DLB_PP_REGION_SIZE);
	close(port->fd);
	free(port);
}

DLBK_API int dlbk_port_fd(const struct dlbk_port *port)
{
	assert(port);
	return port->fd;
}

DLBK_API unsigned int dlbk_port_cq_depth(const struct dlbk_port *port)
{
	assert(port);
	return port->cq_depth;
}

DLBK_API int dlbk_port_schedule(struct dlbk_port *port)
{
	assert(port);
	/* The ABI's scheduling call, which is also its wake-up call. */
	return write(port->fd, NULL, 0) < 0 ? -1 : 0;
}

/* (D): after publishing, wake the scheduler thread if it sleeps. */
static void dlbk_port_wake(struct dlbk_port *port)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&port->ring->flags, __ATOMIC_RELAXED) &
	    DLB_PP_NEED_WAKEUP) {
		/* It cannot fail on an open port; a revoked one faulted. */
		(void)dlbk_port_schedule(port);
	}
}

DLBK_API unsigned int dlbk_port_space(const struct dlbk_port *port)
{
	assert(port);
	/* (B): slots below cons are ours again. */
	return DLB_PP_ENTRIES - (port->prod -
		__atomic_load_n(&port->ring->cons, __ATOMIC_ACQUIRE));
}

static unsigned int dlbk_port_put(struct dlbk_port *port,
				 const struct dlb_qe *qes, unsigned int n,
				 int cmd)
{
	/* (B): slots below cons are ours again. */
	uint32_t cons = __atomic_load_n(&port->ring->cons, __ATOMIC_ACQUIRE);
	uint32_t room = DLB_PP_ENTRIES - (port->prod - cons);
	unsigned int i;

	if (n > room)
		n = room;
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		struct dlb_qe *slot =
			&port->qes[(port->prod + i) & (DLB_PP_ENTRIES - 1)];

		*slot = qes[i];
		if (cmd >= 0)
			slot->cmd = (uint8_t)cmd;
	}
	port->prod += n;
	/* (A): the QEs are written before the device sees prod. */
	__atomic_store_n(&port->ring->prod, port->prod, __ATOMIC_RELEASE);
	dlbk_port_wake(port);
	return n;
}

DLBK_API unsigned int dlbk_port_enqueue(struct dlbk_port *port,
				      const struct dlb_qe *qes, unsigned int n)
{
	assert(port);
	return dlbk_port_put(port, qes, n, -1);
}

DLBK_API unsigned int dlbk_port_new(struct dlbk_port *port, struct dlb_qe *qes,
				  unsigned int n)
{
	assert(port);
	return dlbk_port_put(port, qes, n, DLB_CMD_NEW);
}

DLBK_API unsigned int dlbk_port_forward(struct dlbk_port *port,
				      struct dlb_qe *qes, unsigned int n)
{
	assert(port);
	return dlbk_port_put(port, qes, n, DLB_CMD_FWD);
}

DLBK_API unsigned int dlbk_port_release(struct dlbk_port *port, unsigned int n)
{
	struct dlb_qe rel[32];
	unsigned int done = 0, chunk, put;

	assert(port);
	memset(rel, 0, sizeof(rel));
	while (done < n) {
		chunk = n - done < 32 ? n - done : 32;
		put = dlbk_port_put(port, rel, chunk, DLB_CMD_REL);
		done += put;
		if (put < chunk)
			break;
	}
	return done;
}

DLBK_API void dlbk_port_return_tokens(struct dlbk_port *port, unsigned int n)
{
	assert(port);
	if (!n)
		return;
	port->tokens += n;
	/* (E): the entries were copied out before their slots go back. */
	__atomic_store_n(&port->ring->cq_tokens, port->tokens,
			 __ATOMIC_RELEASE);
	dlbk_port_wake(port);
}

DLBK_API unsigned int dlbk_port_dequeue(struct dlbk_port *port,
				      struct dlb_deq *out, unsigned int max,
				      unsigned int flags)
{
	unsigned int n;

	assert(port);
	/* (G) in the reader: pairs with (F), the device's status byte. */
	n = dlb_cq_read(&port->rd, out, max);
	if (!(flags & DLBK_DEQUEUE_KEEP_TOKENS))
		dlbk_port_return_tokens(port, n);
	return n;
}

/*
 * poll() the port file: 1 if it is readable, 0 on timeout, -1 with errno
 * (ENODEV once a forced stop revoked the file).
 */
static int dlbk_port_poll(struct pollfd *pfd, int timeout_ms)
{
	int ret = poll(pfd, 1, timeout_ms);

	if (ret <= 0)
		return ret;
	if (pfd->revents & (POLLERR | POLLHUP | POLLNVAL)) {
		errno = ENODEV;
		return -1;
	}
	return 1;
}

DLBK_API int dlbk_port_wait(struct dlbk_port *port, int timeout_ms)
{
	struct pollfd pfd = { .events = POLLIN };
	unsigned int ready;
	int ret;

	assert(port);
	pfd.fd = port->fd;
	/*
	 * A forced stop unmaps the CQ: ask the file first, so that a revoked
	 * port is reported rather than touched.
	 */
	ret = dlbk_port_poll(&pfd, 0);
	if (ret)
		return ret;
	dlb_cq_peek(&port->rd, 1, &ready);
	if (ready)
		return 1;
	return timeout_ms ? dlbk_port_poll(&pfd, timeout_ms) : 0;
}
