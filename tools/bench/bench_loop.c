// SPDX-License-Identifier: GPL-2.0
/*
 * dlb-bench's closed loop (see dlb-bench.c for its shape): one repetition
 * through a backend, checked for loss and for the scheduling type's
 * promise, and a case's warm-up and timed repetitions on both backends,
 * reduced to medians.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dlb-bench.h"

/*
 * Rounds without any event moving before a case is declared stalled; a
 * hundred times more when another thread schedules (struct bench_backend).
 */
#define STALL_ROUNDS	1000000

const char *bench_peer_absent = "not run (--peer none)";
const char *bench_peer_name = "event_sw";

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void bench_case_name(const struct bench_case *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s/p%u/f%u/s%u", bench_sched_names[c->sched],
		 c->ports, c->flows, c->stages);
}

/* The loop itself, for bench_loop(); @tp says what to check. */
static int bench_loop_run(const struct bench_backend *b,
			  const struct bench_case *c, uint64_t events,
			  int count_instr, const struct bench_tally *tp,
			  struct bench_time *elapsed, char *why, size_t len)
{
	struct bench_gen g = { .flows = c->flows, .ports = c->ports };
	struct bench_tally t = *tp;
	uint64_t inflight = 0, done_before, t0, t1, c0, c1, expect_sum;
	uint64_t rounds = 0, inflight_sum = 0;
	unsigned long idle = 0;
	const unsigned long stall = b->async ? STALL_ROUNDS * 100UL :
					       STALL_ROUNDS;
	unsigned int p, n, want, moved;

	c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	t0 = now_ns(CLOCK_MONOTONIC);
	if (count_instr)
		CALLGRIND_TOGGLE_COLLECT;
	while (t.done < events) {
		moved = 0;
		while (g.seq < events && inflight + BENCH_BURST <= c->window) {
			want = events - g.seq < BENCH_BURST ?
			       (unsigned int)(events - g.seq) : BENCH_BURST;
			n = b->produce(&g, want);
			inflight += n;
			moved += n;
			if (n < want)
				break;
		}
		b->schedule();
		t.step++;
		rounds++;
		inflight_sum += inflight;
		done_before = t.done;
		for (p = 0; p < c->ports; p++)
			moved += b->drain(p, &t);
		inflight -= t.done - done_before;
		if (moved) {
			idle = 0;
		} else if (++idle == stall) {
			if (count_instr)
				CALLGRIND_TOGGLE_COLLECT;
			snprintf(why, len,
				 "stalled: %" PRIu64 " of %" PRIu64
				 " events out, %" PRIu64 " in flight",
				 t.done, events, inflight);
			return -EDEADLK;
		}
	}
	if (count_instr)
		CALLGRIND_TOGGLE_COLLECT;
	t1 = now_ns(CLOCK_MONOTONIC);
	c1 = now_ns(CLOCK_THREAD_CPUTIME_ID);

	expect_sum = events % 2 ? (events - 1) / 2 * events :
				  events / 2 * (events - 1);
	if (t.done != events || t.sum != expect_sum ||
	    (c->stages == 2 && t.forwarded != events)) {
		snprintf(why, len,
			 "lost events: in %" PRIu64 ", out %" PRIu64
			 ", forwarded %" PRIu64 ", checksum %s",
			 events, t.done, t.forwarded,
			 t.sum == expect_sum ? "ok" : "wrong");
		return -EPROTO;
	}
	if (t.split_flows) {
		snprintf(why, len, "atomicity broken: %" PRIu64 " flows on "
			 "two ports at once", t.split_flows);
		return -EPROTO;
	}
	if (t.out_of_order) {
		snprintf(why, len, "order lost: %" PRIu64 " stage-1 events "
			 "came out after later ones", t.out_of_order);
		return -EPROTO;
	}
	if (bench_opt.verbose > 1)
		fprintf(stderr, "  %s: %" PRIu64 " rounds, %.0f events in "
			"flight on average at a scheduling step\n", b->name,
			rounds, (double)inflight_sum / (double)rounds);
	elapsed->wall = t1 - t0;
	elapsed->cpu = c1 - c0;
	return 0;
}

/*
 * One repetition: @events events through the closed loop; with @check, the
 * scheduling type's promise is checked per event too (see struct
 * bench_tally). Returns 0 and the elapsed time, -EDEADLK when nothing moved
 * for STALL_ROUNDS rounds, -EPROTO when the events that came out are not
 * the events that went in or broke the promise, -ENOMEM.
 */
int bench_loop(const struct bench_backend *b, const struct bench_case *c,
	       uint64_t events, int count_instr, int check,
	       struct bench_time *elapsed, char *why, size_t len)
{
	struct bench_tally t = { .step = 1, .flows = c->flows };
	int ret;

	if (check) {
		t.checking = 1;
		if (c->sched == BENCH_ATOMIC && !b->async)
			t.owner = calloc((size_t)c->flows * c->stages,
					 sizeof(*t.owner));
		if (c->sched == BENCH_ORDERED && c->stages == 2)
			t.next = calloc(c->ports, sizeof(*t.next));
		if ((c->sched == BENCH_ATOMIC && !b->async && !t.owner) ||
		    (c->sched == BENCH_ORDERED && c->stages == 2 && !t.next)) {
			snprintf(why, len, "out of memory");
			ret = -ENOMEM;
			goto out;
		}
	}
	ret = bench_loop_run(b, c, events, count_instr, &t, elapsed, why, len);
out:
	free(t.owner);
	free(t.next);
	return ret;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double median_ns_per_event(uint64_t *v, unsigned int n,
				  uint64_t events, double *min)
{
	double m;

	qsort(v, n, sizeof(*v), cmp_u64);
	m = n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + v[n / 2]) / 2;
	*min = (double)v[0] / (double)events;
	return m / (double)events;
}

static uint64_t warmup_events(void)
{
	uint64_t w = bench_opt.events / 4;

	return w < 20000 ? (bench_opt.events < 20000 ? bench_opt.events : 20000) : w;
}

/* Run one case on the enabled backends; fill @r. */
void bench_run_case(struct result *r, const struct bench_backend *peer)
{
	const struct bench_backend *be[2] = { &bench_engine, peer };
	struct side *sd[2] = { &r->eng, &r->peer };
	static uint64_t wall[2][1000], cpu[2][1000];
	struct bench_time el;
	char name[64];
	unsigned int i, k;
	int live[2] = { 0, 0 };
	int ret;

	bench_case_name(&r->c, name, sizeof(name));
	for (k = 0; k < 2; k++) {
		if (!be[k]) {
			sd[k]->status = -ENOTSUP;
			snprintf(sd[k]->why, sizeof(sd[k]->why), "%s",
				 bench_peer_absent);
			continue;
		}
		sd[k]->status = be[k]->setup(&r->c, sd[k]->why,
					     sizeof(sd[k]->why));
		if (sd[k]->status) {
			be[k]->teardown();
			continue;
		}
		live[k] = 1;
		/* The warm-up also checks the promise, outside the timing. */
		sd[k]->status = bench_loop(be[k], &r->c, warmup_events(), 0,
					   1, &el, sd[k]->why,
					   sizeof(sd[k]->why));
	}
	for (i = 0; i < bench_opt.reps; i++) {
		for (k = 0; k < 2; k++) {
			if (sd[k]->status)
				continue;
			ret = bench_loop(be[k], &r->c, bench_opt.events, 0, 0, &el,
					 sd[k]->why, sizeof(sd[k]->why));
			wall[k][i] = el.wall;
			cpu[k][i] = el.cpu;
			if (ret)
				sd[k]->status = ret;
			else if (bench_opt.verbose)
				fprintf(stderr, "  %s %s rep %u: %.1f ns/event "
					"wall, %.1f cpu\n", name, be[k]->name, i,
					(double)el.wall / (double)bench_opt.events,
					(double)el.cpu / (double)bench_opt.events);
		}
	}
	for (k = 0; k < 2; k++) {
		if (live[k])
			be[k]->teardown();
		if (sd[k]->status)
			continue;
		sd[k]->wall = median_ns_per_event(wall[k], bench_opt.reps,
						  bench_opt.events, &sd[k]->wall_min);
		sd[k]->cpu = median_ns_per_event(cpu[k], bench_opt.reps, bench_opt.events,
						 &sd[k]->cpu_min);
		sd[k]->ns = bench_opt.cpu_clock ? sd[k]->cpu : sd[k]->wall;
	}
}
