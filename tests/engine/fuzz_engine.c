// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_engine.c - libFuzzer target: arbitrary command streams into the
 * scheduling engine.
 *
 * The input's first bytes pick a small domain; the rest is a sequence of
 * operations: raw 16-byte QEs (any command, qid, sched, token count) from
 * any port, scheduler steps, consumers reading their CQs, link changes and
 * port resets. After every operation the engine's invariant checker must
 * pass, return values must be in range, and CQ entries must carry the
 * expected generation bit. At the end everything is drained: every queue
 * must empty, every credit come back, every allocation be freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlb_cq.h"
#include "dlb_engine.h"

#define F_NPORTS (DLB_ENG_MAX_LDB_PORTS + DLB_ENG_MAX_DIR_PORTS)

struct fuzz {
	const u8 *p;
	size_t n;
	struct dlb_eng *eng;
	struct dlb_eng_config cfg;
	struct dlb_cq_reader rd[F_NPORTS];
	u64 nread[F_NPORTS];	/* entries read since create or reset */
	u64 base[F_NPORTS];	/* the port's scheduled count at that time */
};

static void f_die(struct fuzz *f, const char *what)
{
	char why[256];

	if (f->eng && dlb_eng_check(f->eng, why, sizeof(why)))
		fprintf(stderr, "invariant: %s\n", why);
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

static u8 f_byte(struct fuzz *f)
{
	u8 b = 0;

	if (f->n) {
		b = *f->p++;
		f->n--;
	}
	return b;
}

static u32 f_port(struct fuzz *f, u8 b)
{
	u32 k = b % (f->cfg.num_ldb_ports + f->cfg.num_dir_ports);

	return k < f->cfg.num_ldb_ports ? k :
	       DLB_ENG_DIR(k - f->cfg.num_ldb_ports);
}

static u32 f_ridx(u32 port)
{
	return DLB_ENG_IS_DIR(port) ? DLB_ENG_MAX_LDB_PORTS + DLB_ENG_INDEX(port) :
				      port;
}

static void f_check(struct fuzz *f)
{
	char why[256];

	if (dlb_eng_check(f->eng, why, sizeof(why))) {
		fprintf(stderr, "invariant: %s\n", why);
		abort();
	}
}

static void f_reader(struct fuzz *f, u32 port)
{
	u32 depth;
	struct dlb_deq *cq = dlb_eng_port_cq(f->eng, port, &depth);
	struct dlb_eng_port_stats st;

	dlb_cq_reader_init(&f->rd[f_ridx(port)], cq, depth);
	dlb_eng_port_stats(f->eng, port, &st);
	f->nread[f_ridx(port)] = 0;
	f->base[f_ridx(port)] = st.scheduled;
}

static void f_config(struct fuzz *f)
{
	struct dlb_eng_config *c = &f->cfg;
	u32 i, l, b;

	memset(c, 0, sizeof(*c));
	c->num_ldb_queues = 1 + f_byte(f) % 4;
	c->num_ldb_ports = f_byte(f) % 5;
	c->num_dir_ports = 1 + f_byte(f) % 2;
	c->ldb_credits = f_byte(f) % 48;
	c->dir_credits = f_byte(f) % 16;
	for (i = 0; i < c->num_ldb_queues; i++) {
		b = f_byte(f);
		c->ldb_queues[i].num_seq = b & 1 ? 64 : 0;
		c->ldb_queues[i].atomic_inflights = b & 2 ? 1 + (b >> 3) % 16 : 0;
		c->ldb_queues[i].depth_threshold = b >> 2;
	}
	for (i = 0; i < c->num_ldb_ports; i++) {
		b = f_byte(f);
		c->ldb_ports[i].cq_depth = 1u << (b % 5);
		c->ldb_ports[i].hist_list_size =
			c->ldb_ports[i].cq_depth + (b >> 5);
		for (l = 0; l < c->num_ldb_queues; l++) {
			if (!(b & (8 << l)))
				continue;
			c->ldb_ports[i].links[c->ldb_ports[i].num_links].queue = (u8)l;
			c->ldb_ports[i].links[c->ldb_ports[i].num_links].prio =
				(u8)(l * 3 % 8);
			c->ldb_ports[i].num_links++;
		}
	}
	for (i = 0; i < c->num_dir_ports; i++)
		c->dir_ports[i].cq_depth = 1u << (f_byte(f) % 4);
}

/* Read a port's CQ as a consumer would; entries must be well formed. */
static void f_read(struct fuzz *f, u32 port, u32 max)
{
	struct dlb_eng_port_stats st;
	struct dlb_deq d[16];
	u32 n, k;

	dlb_eng_port_stats(f->eng, port, &st);
	n = dlb_cq_read(&f->rd[f_ridx(port)], d, max > 16 ? 16 : max);
	/*
	 * Consumers may return tokens before reading (their loss), so the
	 * only bound is what the engine wrote.
	 */
	f->nread[f_ridx(port)] += n;
	if (f->nread[f_ridx(port)] > st.scheduled - f->base[f_ridx(port)])
		f_die(f, "read more CQ entries than were written");
	for (k = 0; k < n; k++) {
		if ((DLB_META_SCHED(d[k].meta) == DLB_SCHED_DIRECTED) !=
		    DLB_ENG_IS_DIR(port))
			f_die(f, "entry of the wrong queue type");
		if (DLB_ENG_IS_DIR(port) && d[k].qid != DLB_ENG_INDEX(port))
			f_die(f, "directed entry of another port's queue");
	}
}

static void f_op(struct fuzz *f)
{
	u8 op = f_byte(f);
	u32 port = f_port(f, f_byte(f));
	struct dlb_qe qe[4];
	u32 k, n;
	int ret;

	switch (op % 8) {
	case 0:
	case 1:
	case 2:
		n = 1 + op / 64;
		if (f->n < 16 * n)
			n = (u32)(f->n / 16);
		if (!n)
			return;
		memcpy(qe, f->p, 16 * n);
		f->p += 16 * n;
		f->n -= 16 * n;
		ret = dlb_eng_enqueue(f->eng, port, qe, n);
		if (ret < 0 || (u32)ret > n)
			f_die(f, "enqueue out of range");
		break;
	case 3:
		n = 1 + op / 8;
		if (dlb_eng_schedule(f->eng, n) > n)
			f_die(f, "schedule above budget");
		break;
	case 4:
		f_read(f, port, 1 + op / 8);
		break;
	case 5:
		if (DLB_ENG_IS_DIR(port) || !f->cfg.num_ldb_queues)
			return;
		k = (op / 8) % f->cfg.num_ldb_queues;
		if (op & 0x80)
			ret = dlb_eng_unlink(f->eng, port, k);
		else
			ret = dlb_eng_link(f->eng, port, k, (op >> 3) & 7);
		if (ret && ret != -ENOENT && ret != -ENOSPC)
			f_die(f, "link error");
		break;
	case 6:
		if (op & 0x40)
			return;
		if (dlb_eng_port_reset(f->eng, port) < 0)
			f_die(f, "reset error");
		f_reader(f, port);
		break;
	default:
		/* A well-formed consumer step: return what was read, release. */
		f_read(f, port, 16);
		break;
	}
}

/* Stop producing; every event must reach a CQ and complete. */
static void f_drain(struct fuzz *f)
{
	struct dlb_eng_port_stats st;
	struct dlb_qe qe;
	u32 i, port, q, round, moved;

	for (q = 0; q < f->cfg.num_ldb_queues && f->cfg.num_ldb_ports; q++)
		for (i = 0; i < f->cfg.num_ldb_ports; i++)
			if (!dlb_eng_link(f->eng, i, q, 0))
				break;
	for (round = 0; round < 10000; round++) {
		moved = dlb_eng_schedule(f->eng, 1000);
		for (i = 0; i < f->cfg.num_ldb_ports + f->cfg.num_dir_ports; i++) {
			port = f_port(f, (u8)i);
			dlb_eng_port_stats(f->eng, port, &st);
			if (st.cq_occupancy) {
				dlb_qe_init_bat_t(&qe, st.cq_occupancy);
				if (dlb_eng_enqueue(f->eng, port, &qe, 1) != 1)
					f_die(f, "drain: tokens refused");
				moved++;
			}
			dlb_qe_init(&qe, DLB_CMD_REL, 0, 0, 0, 0, 0);
			for (; st.held; st.held--, moved++)
				if (dlb_eng_enqueue(f->eng, port, &qe, 1) != 1)
					f_die(f, "drain: release refused");
		}
		if (!moved)
			break;
	}
	f_check(f);
	for (q = 0; q < f->cfg.num_ldb_queues; q++)
		if (f->cfg.num_ldb_ports && dlb_eng_queue_depth(f->eng, q))
			f_die(f, "drain: an ldb queue kept events");
	for (q = 0; q < f->cfg.num_dir_ports; q++)
		if (dlb_eng_queue_depth(f->eng, DLB_ENG_DIR(q)))
			f_die(f, "drain: a dir queue kept events");
	if (f->cfg.num_ldb_ports &&
	    dlb_eng_credits(f->eng, false) != f->cfg.ldb_credits)
		f_die(f, "drain: ldb credits lost");
	if (dlb_eng_credits(f->eng, true) != f->cfg.dir_credits)
		f_die(f, "drain: dir credits lost");
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz *f = calloc(1, sizeof(*f));
	u32 i;

	if (!f)
		abort();
	f->p = data;
	f->n = size;
	dlb_env_allocs = 0;
	f_config(f);
	if (dlb_eng_create(&f->cfg, &f->eng, NULL, 0))
		abort();
	for (i = 0; i < f->cfg.num_ldb_ports + f->cfg.num_dir_ports; i++)
		f_reader(f, f_port(f, (u8)i));
	while (f->n) {
		f_op(f);
		f_check(f);
	}
	f_drain(f);
	dlb_eng_destroy(f->eng);
	f->eng = NULL;
	if (dlb_env_allocs)
		f_die(f, "allocations left after destroy");
	free(f);
	return 0;
}
