// SPDX-License-Identifier: GPL-2.0
/*
 * The engine under test: module/engine built in userspace, driven as a
 * consumer of the software device would drive it.
 *
 * Load-balanced cases are one domain with one LDB queue per stage and
 * every LDB port linked to all of them; directed cases use one DIR port
 * and queue per port. Port 0 (LDB or DIR) produces. Consumers read their
 * CQ ring with dlb_cq.h's reader, as a consumer of the mmapped ring will,
 * and give back each entry with one QE that completes it and returns its
 * token: REL_T, or FWD_T to the next stage. DIR ports hold no history, so
 * they pass events on with NEW and return a burst's tokens with one BAT_T.
 * A one-stage consumer reads its entries in place (eng_drain_release());
 * a two-stage one copies them out (dlb_cq_read()), which measured faster
 * for it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlb_cq.h"
#include "dlb_engine.h"
#include "bench.h"
#include "bench_dlb.h"

/*
 * The drains of eng_drain() stay inside it: called per port and round,
 * a call of its own costs up to 2 Ir per event at 64 ports.
 */
#define ENG_DRAIN_INLINE	__attribute__((always_inline)) inline

/* CQ depth of every port: event_sw's largest dequeue depth, for parity. */
#define ENG_CQ_DEPTH	128

struct eng_port {
	u32 handle;
	struct dlb_cq_reader cq;
};

static struct dlb_eng *eng;
static struct eng_port eng_ports[DLB_ENG_MAX_LDB_PORTS];
static struct bench_case eng_case;
static u8 eng_meta;
static int eng_dir;
static int eng_mixed;

/* The sched types of a mixed case's events, in turn. */
static const u8 eng_mixed_sched[3] = {
	DLB_SCHED_ATOMIC, DLB_SCHED_ORDERED, DLB_SCHED_UNORDERED,
};

static int eng_init(const char *argv0, const char *args)
{
	(void)argv0;
	(void)args;
	return 0;
}

static int eng_setup(const struct bench_case *c, char *why, size_t len)
{
	struct dlb_eng_config *cfg;
	struct dlb_eng_port_config *pc;
	unsigned int i, s;
	int ret;

	if (c->ports > (c->sched == BENCH_DIRECTED ? DLB_ENG_MAX_DIR_PORTS :
						    DLB_ENG_MAX_LDB_PORTS)) {
		snprintf(why, len, "engine max %u ports",
			 DLB_ENG_MAX_LDB_PORTS);
		return -ENOTSUP;
	}
	eng_mixed = c->sched == BENCH_MIXED;
	if ((c->sched == BENCH_ORDERED || eng_mixed) &&
	    c->window > DLB_ENG_MAX_SEQ) {
		snprintf(why, len, "engine max %u sequence numbers",
			 DLB_ENG_MAX_SEQ);
		return -ENOTSUP;
	}
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	eng_dir = c->sched == BENCH_DIRECTED;
	if (eng_dir) {
		cfg->num_dir_ports = c->ports;
		/* Every event in flight may sit in a queue at once. */
		cfg->dir_credits = c->window;
	} else {
		cfg->num_ldb_queues = c->stages;
		cfg->num_ldb_ports = c->ports;
		cfg->ldb_credits = c->window;
	}
	for (s = 0; s < cfg->num_ldb_queues; s++) {
		if (c->sched == BENCH_ORDERED || eng_mixed) {
			u32 seq = bench_pow2_at_least(c->window);

			cfg->ldb_queues[s].num_seq = seq < DLB_ENG_MIN_SEQ ?
						     DLB_ENG_MIN_SEQ : seq;
		}
		if (c->sched == BENCH_ATOMIC || eng_mixed)
			cfg->ldb_queues[s].atomic_inflights =
				c->window < DLB_ENG_MAX_ATOMIC ?
				c->window : DLB_ENG_MAX_ATOMIC;
	}
	for (i = 0; i < c->ports; i++) {
		pc = eng_dir ? &cfg->dir_ports[i] : &cfg->ldb_ports[i];
		pc->cq_depth = ENG_CQ_DEPTH;
		if (eng_dir)
			continue;
		pc->num_links = c->stages;
		for (s = 0; s < c->stages; s++)
			pc->links[s].queue = (u8)s;
	}
	ret = dlb_eng_create(cfg, &eng, why, len);
	free(cfg);
	if (ret) {
		if (ret != -EINVAL)
			snprintf(why, len, "dlb_eng_create: %s",
				 strerror(-ret));
		eng = NULL;
		return ret;
	}
	for (i = 0; i < c->ports; i++) {
		struct eng_port *p = &eng_ports[i];
		const struct dlb_deq *ring;
		u32 depth;

		p->handle = eng_dir ? DLB_ENG_DIR(i) : i;
		ring = dlb_eng_port_cq(eng, p->handle, &depth);
		dlb_cq_reader_init(&p->cq, ring, depth);
	}
	eng_case = *c;
	eng_meta = DLB_META(bench_dlb_sched[c->sched], 0, 0);
	return 0;
}

static void eng_teardown(void)
{
	dlb_eng_destroy(eng);
	eng = NULL;
}

static unsigned int eng_produce(struct bench_gen *g, unsigned int n)
{
	struct dlb_qe qe[BENCH_BURST];
	struct bench_gen next = *g;
	unsigned int i;
	int sent;

	if (n > BENCH_BURST)
		n = BENCH_BURST;
	for (i = 0; i < n; i++) {
		qe[i].data = next.seq;
		qe[i].opaque = 0;	/* stage */
		qe[i].qid = eng_dir ? (u8)next.dir_port : 0;
		qe[i].meta = eng_meta;
		qe[i].lock_id = (u16)next.flow;
		qe[i].rsvd = 0;
		qe[i].cmd = DLB_CMD_NEW;
		bench_gen_advance(&next);
	}
	/* Once per burst, so that the other cases pay nothing for it. */
	if (eng_mixed)
		for (i = 0; i < n; i++)
			qe[i].meta = DLB_META(eng_mixed_sched[(g->seq + i) % 3],
					      0, 0);
	sent = dlb_eng_enqueue(eng, eng_ports[0].handle, qe, n);
	if (sent < 0)
		abort();
	if ((unsigned int)sent == n)
		*g = next;
	else
		for (i = 0; i < (unsigned int)sent; i++)
			bench_gen_advance(g);
	return (unsigned int)sent;
}

static void eng_schedule(void)
{
	dlb_eng_schedule(eng, eng_case.window);
}

/* Hand QEs to the engine; a refusal (no credit) waits for a schedule. */
static void eng_send(u32 port, const struct dlb_qe *qe, unsigned int n,
		     struct bench_tally *t)
{
	unsigned long tries = 0;
	int sent;

	while (n) {
		sent = dlb_eng_enqueue(eng, port, qe, n);
		if (sent < 0 || ++tries > 1000000) {
			warning("engine refuses QEs");
			abort();
		}
		qe += sent;
		n -= (unsigned int)sent;
		if (n) {
			dlb_eng_schedule(eng, eng_case.window);
			t->step++;
		}
	}
}

/*
 * eng_drain() for one-stage cases: a consumer that completes everything
 * it gets reads the entries in place, as from the mmapped ring, and
 * sends the same constant REL_T for each (LDB), or one BAT_T (DIR).
 */
static ENG_DRAIN_INLINE unsigned int
eng_drain_release(unsigned int port, struct bench_tally *t)
{
	static const struct dlb_qe rel[BENCH_BURST] = {
		[0 ... BENCH_BURST - 1] = { .cmd = DLB_CMD_REL_T },
	};
	struct eng_port *p = &eng_ports[port];
	unsigned int i, n, total = 0;
	const struct dlb_deq *ev;
	struct dlb_qe bat;

	for (;;) {
		ev = dlb_cq_peek(&p->cq, BENCH_BURST, &n);
		if (!n)
			break;
		if (t->checking)
			for (i = 0; i < n; i++)
				bench_tally_check(t, port, ev[i].opaque,
						  ev[i].lock_id, ev[i].data);
		for (i = 0; i < n; i++) {
			t->done++;
			t->sum += ev[i].data;
		}
		dlb_cq_consume(&p->cq, n);
		total += n;
		if (eng_dir) {
			/* DIR ports hold no history: one QE returns tokens. */
			dlb_qe_init_bat_t(&bat, n);
			eng_send(p->handle, &bat, 1, t);
		} else {
			eng_send(p->handle, rel, n, t);
		}
	}
	return total;
}

/*
 * eng_drain() for two-stage load-balanced cases, reading in place: each
 * stage-0 event is forwarded to stage 1 (FWD_T), each stage-1 event
 * released (REL_T).
 */
static ENG_DRAIN_INLINE unsigned int
eng_drain_forward(unsigned int port, struct bench_tally *t)
{
	struct eng_port *p = &eng_ports[port];
	struct dlb_qe qe[BENCH_BURST];
	unsigned int i, n, total = 0;
	const struct dlb_deq *ev, *d;

	for (;;) {
		ev = dlb_cq_peek(&p->cq, BENCH_BURST, &n);
		if (!n)
			break;
		if (t->checking)
			for (i = 0; i < n; i++)
				bench_tally_check(t, port, ev[i].opaque,
						  ev[i].lock_id, ev[i].data);
		for (i = 0; i < n; i++) {
			d = &ev[i];
			if (d->opaque == 0) {
				qe[i] = (struct dlb_qe) {
					.data = d->data,
					.opaque = 1,
					.qid = 1,
					.meta = d->meta,
					.lock_id = d->lock_id,
					.cmd = DLB_CMD_FWD_T,
				};
				t->forwarded++;
			} else {
				qe[i] = (struct dlb_qe) { .cmd = DLB_CMD_REL_T };
				t->done++;
				t->sum += d->data;
			}
		}
		dlb_cq_consume(&p->cq, n);
		total += n;
		eng_send(p->handle, qe, n, t);
	}
	return total;
}

/*
 * eng_drain() for two-stage directed cases: the entries copied out and
 * answered in turn (bench_answer()); one BAT_T returns their tokens, as
 * DIR ports hold no history.
 */
static ENG_DRAIN_INLINE unsigned int
eng_drain_dir(unsigned int port, struct bench_tally *t)
{
	struct eng_port *p = &eng_ports[port];
	struct dlb_qe qe[BENCH_BURST + 1];
	struct dlb_deq ev[BENCH_BURST];
	unsigned int n, k, total = 0;

	for (;;) {
		n = dlb_cq_read(&p->cq, ev, BENCH_BURST);
		if (!n)
			break;
		k = bench_answer(t, &eng_case, port, 1, ev, n, DLB_CMD_FWD_T,
				 DLB_CMD_REL_T, qe);
		total += n;
		dlb_qe_init_bat_t(&qe[k], n);
		eng_send(p->handle, qe, k + 1, t);
	}
	return total;
}

static unsigned int eng_drain(unsigned int port, struct bench_tally *t)
{
	if (eng_case.stages == 1)
		return eng_drain_release(port, t);
	if (!eng_dir)
		return eng_drain_forward(port, t);
	return eng_drain_dir(port, t);
}

const struct bench_backend bench_engine = {
	.name = "engine",
	.init = eng_init,
	.setup = eng_setup,
	.teardown = eng_teardown,
	.produce = eng_produce,
	.schedule = eng_schedule,
	.drain = eng_drain,
};
