// SPDX-License-Identifier: GPL-2.0
/*
 * dlb-bench's report: the table for people and the CSV for bench-targets,
 * scripts and the documents.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dlb-bench.h"

static const char *fmt_ns(const struct side *s, char *buf, size_t len)
{
	if (s->status == -ENOTSUP)
		snprintf(buf, len, "n/a");
	else if (s->status)
		snprintf(buf, len, "FAILED");
	else
		snprintf(buf, len, "%.1f", s->ns);
	return buf;
}

static const char *fmt_ir(double ir, char *buf, size_t len)
{
	if (ir < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f", ir);
	return buf;
}

void bench_print_csv(FILE *f, const struct result *res, unsigned int nres)
{
	const struct result *r;
	unsigned int i;

	fprintf(f, "sched,ports,flows,stages,window,events,reps,"
		   "engine_wall_ns,engine_wall_ns_min,engine_cpu_ns,"
		   "engine_cpu_ns_min,peer_wall_ns,peer_wall_ns_min,peer_cpu_ns,"
		   "peer_cpu_ns_min,ratio_wall,ratio_cpu,engine_ir,engine_core_ir,"
		   "peer_ir,ratio_ir,"
		   "engine_note,peer_note\n");
	for (i = 0; i < nres; i++) {
		r = &res[i];
		fprintf(f, "%s,%u,%u,%u,%u,%" PRIu64 ",%u,",
			   bench_sched_names[r->c.sched], r->c.ports, r->c.flows,
			   r->c.stages, r->c.window, bench_opt.events, bench_opt.reps);
		if (r->eng.status)
			fprintf(f, ",,,,");
		else
			fprintf(f, "%.2f,%.2f,%.2f,%.2f,", r->eng.wall,
				   r->eng.wall_min, r->eng.cpu, r->eng.cpu_min);
		if (r->peer.status)
			fprintf(f, ",,,,");
		else
			fprintf(f, "%.2f,%.2f,%.2f,%.2f,", r->peer.wall,
				   r->peer.wall_min, r->peer.cpu, r->peer.cpu_min);
		if (!r->eng.status && !r->peer.status)
			fprintf(f, "%.2f,%.2f", r->peer.wall / r->eng.wall,
				   r->peer.cpu / r->eng.cpu);
		else
			fprintf(f, ",");
		fprintf(f, ",");
		if (r->eng.ir >= 0)
			fprintf(f, "%.1f", r->eng.ir);
		fprintf(f, ",");
		if (r->eng.core_ir >= 0)
			fprintf(f, "%.1f", r->eng.core_ir);
		fprintf(f, ",");
		if (r->peer.ir >= 0)
			fprintf(f, "%.1f", r->peer.ir);
		fprintf(f, ",");
		if (r->eng.ir > 0 && r->peer.ir >= 0)
			fprintf(f, "%.2f", r->peer.ir / r->eng.ir);
		fprintf(f, ",\"%s\",\"%s\"\n", r->eng.status ? r->eng.why : "",
			   r->peer.status ? r->peer.why : "");
	}
}

static void flows_str(unsigned int f, char *buf, size_t len)
{
	if (f % 1024 == 0)
		snprintf(buf, len, "%uk", f / 1024);
	else
		snprintf(buf, len, "%u", f);
}

void bench_print_table(const struct result *res, unsigned int nres)
{
	char e[32], p[32], fl[16], ratio[16], ei[16], ci[16], pi[16];
	char iratio[16];
	const struct result *r;
	const struct side *sd;
	unsigned int i, k;

	printf("%-9s %5s %5s %6s | %9s %9s %6s | %7s %6s %9s %6s\n", "", "",
	       "", "", "ns/event", "", "", "Ir/event", "", "", "");
	printf("%-9s %5s %5s %6s | %9s %9s %6s | %7s %6s %9s %6s\n", "sched",
	       "ports", "flows", "stages", "engine", bench_peer_name, "ratio",
	       "engine", "(core)", bench_peer_name, "ratio");
	for (i = 0; i < nres; i++) {
		r = &res[i];
		flows_str(r->c.flows, fl, sizeof(fl));
		if (!r->eng.status && !r->peer.status)
			snprintf(ratio, sizeof(ratio), "%.1fx",
				 r->peer.ns / r->eng.ns);
		else
			snprintf(ratio, sizeof(ratio), "-");
		if (r->eng.ir > 0 && r->peer.ir >= 0)
			snprintf(iratio, sizeof(iratio), "%.1fx",
				 r->peer.ir / r->eng.ir);
		else
			snprintf(iratio, sizeof(iratio), "-");
		printf("%-9s %5u %5s %6u | %9s %9s %6s | %7s %6s %9s %6s\n",
		       bench_sched_names[r->c.sched], r->c.ports, fl,
		       r->c.stages, fmt_ns(&r->eng, e, sizeof(e)),
		       fmt_ns(&r->peer, p, sizeof(p)), ratio,
		       fmt_ir(r->eng.ir, ei, sizeof(ei)),
		       fmt_ir(r->eng.core_ir, ci, sizeof(ci)),
		       fmt_ir(r->peer.ir, pi, sizeof(pi)), iratio);
	}
	/* Why a cell is n/a or FAILED, once per distinct reason. */
	for (i = 0; i < nres; i++) {
		for (k = 0; k < 2; k++) {
			sd = k ? &res[i].peer : &res[i].eng;
			if (!sd->status || (i && sd->status == -ENOTSUP &&
			    !strcmp(sd->why, (k ? &res[i - 1].peer :
						  &res[i - 1].eng)->why)))
				continue;
			printf("  %s %s/p%u/f%u/s%u: %s%s\n",
			       k ? bench_peer_name : "engine",
			       bench_sched_names[res[i].c.sched],
			       res[i].c.ports, res[i].c.flows,
			       res[i].c.stages,
			       sd->status == -ENOTSUP ? "n/a: " : "FAILED: ",
			       sd->why);
		}
	}
}
