/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb-bench's driver, shared by its files: the options, a case's results,
 * and what each file offers the others. dlb-bench.c owns the command line
 * and the case matrix, bench_loop.c the closed loop and its timing,
 * bench_callgrind.c the instruction counts, bench_report.c the table and
 * the CSV. The backends see only bench.h.
 */
#ifndef DLB_BENCH_DRIVER_H
#define DLB_BENCH_DRIVER_H

#include <stdint.h>
#include <stdio.h>

#include "bench.h"

/* valgrind's client requests, from Debian's valgrind package if present. */
#if defined __has_include
#if __has_include(<valgrind/callgrind.h>)
#define HAVE_CALLGRIND	1
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef HAVE_CALLGRIND
/* Built without valgrind's headers: --callgrind is refused, nothing counts. */
#define CALLGRIND_TOGGLE_COLLECT	do { } while (0)
#define CALLGRIND_ZERO_STATS		do { } while (0)
#define CALLGRIND_DUMP_STATS_AT(tag)	((void)(tag))
#endif

#define MAX_LIST	8

struct list {
	unsigned int n;
	unsigned int v[MAX_LIST];
};

/* --peer: what the engine is measured against. */
enum bench_peer { PEER_NONE, PEER_EVSW, PEER_EVDSW, PEER_DLBK, PEER_DLBK_RW };

/* The command line (dlb-bench.c sets the defaults, see usage()). */
struct bench_opts {
	struct list sched, ports, flows, stages;
	unsigned int window;
	uint64_t events;
	unsigned int reps;
	uint64_t cg_events;
	const char *cg_keep;	/* keep the callgrind dumps in this folder */
	const char *evsw_args;	/* event_sw vdev arguments */
	int peer;		/* enum bench_peer */
	const char *dev;	/* dlbk's device, or NULL: dlb0 */
	int cpu_clock;		/* report thread CPU time, not wall time */
	int callgrind;
	int cg_child;		/* under valgrind: 1 whole loop, 2 core */
	int csv;
	const char *csv_file;
	int verbose;
};

extern struct bench_opts bench_opt;

/* Elapsed time of one repetition, by both clocks. */
struct bench_time {
	uint64_t wall;		/* CLOCK_MONOTONIC */
	uint64_t cpu;		/* CLOCK_THREAD_CPUTIME_ID */
};

/* Result of one backend on one case. */
struct side {
	int status;		/* 0, -ENOTSUP (limit) or -errno */
	char why[96];
	double wall, wall_min;	/* median and best ns per event, wall clock */
	double cpu, cpu_min;	/* the same by thread CPU time */
	double ns;		/* the one reported: wall or cpu (--clock) */
	double ir;		/* callgrind instructions per event, or < 0 */
	double core_ir;		/* the same in the scheduler's calls only */
};

struct result {
	struct bench_case c;
	struct side eng, peer;
};

/* Why the peer has no figures; set by main() when it is not run. */
extern const char *bench_peer_absent;
/* The peer's column name. */
extern const char *bench_peer_name;

/* bench_loop.c */
void bench_case_name(const struct bench_case *c, char *buf, size_t len);
int bench_loop(const struct bench_backend *b, const struct bench_case *c,
	       uint64_t events, int count_instr, int check,
	       struct bench_time *elapsed, char *why, size_t len);
void bench_run_case(struct result *r, const struct bench_backend *peer);

/* bench_callgrind.c */
int bench_cg_child_main(struct result *res, unsigned int nres,
			const struct bench_backend *peer);
int bench_run_callgrind(struct result *res, unsigned int nres, int peer);

/* bench_report.c */
void bench_print_csv(FILE *f, const struct result *res, unsigned int nres);
void bench_print_table(const struct result *res, unsigned int nres);

#endif /* DLB_BENCH_DRIVER_H */
