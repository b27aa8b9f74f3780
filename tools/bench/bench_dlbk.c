// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's data path under test: a domain of a dlb device, made for
 * each case by dlbcfg from a generated dlb.cfg(5) and driven through its
 * port files, by libdlbk's mmap rings (peer "dlbk") or by read() and
 * write() ("dlbk-rw"). The engine backend runs the same case in this
 * process, so the ratio is what the kernel's data path costs over the
 * engine alone.
 *
 * The device's scheduler thread schedules, on another CPU: schedule()
 * does nothing, and the thread's time is not this thread's CPU time, so
 * the figures to compare are the wall clock's (--clock wall). Consumers
 * answer each burst as the engine's do (bench_answer()); tokens go back
 * with each dequeue.
 *
 * The domain is built with the engine backend's numbers: one LDB queue per
 * stage linked to every port (DIR: a queue per port), credits for the
 * window, CQs of 128 entries. Names sort in id order (q00, p00), as the
 * device numbers queues and ports by name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libdlbk.h"
#include "bench.h"
#include "bench_dlb.h"
#include "tool.h"

#define DLBK_DOMAIN	"dlb-bench"
#define DLBK_CQ_DEPTH	128
/* Spins on a full producer ring before the case is declared stalled. */
#define DLBK_SEND_SPINS	100000000UL

struct dlbk_bport {
	struct dlbk_port *port;	/* mmap */
	int fd;			/* read()/write() */
};

static const char *dlbk_dev = "dlb0";
static const char *dlbk_cfg_tool;
static int dlbk_rw;
static struct bench_case dlbk_case;
static struct dlbk_bport dlbk_ports[64];
static unsigned int dlbk_nports;
static int dlbk_dir;
static char dlbk_cfg_path[64];

/* @args: the device, or NULL for dlb0. */
static int dlbk_init_common(const char *args, int rw)
{
	char path[256];
	struct stat st;

	dlbk_rw = rw;
	if (args && *args)
		dlbk_dev = args;
	snprintf(path, sizeof(path), DLB_SYSFS_CLASS "/%s", dlbk_dev);
	if (stat(path, &st)) {
		warning("%s: no dlb device (is the dlb module loaded?)", path);
		return -ENODEV;
	}
	dlbk_cfg_tool = getenv("DLBCFG");
	if (!dlbk_cfg_tool || !*dlbk_cfg_tool)
		dlbk_cfg_tool = "dlbcfg";
	return 0;
}

static int dlbk_init(const char *argv0, const char *args)
{
	(void)argv0;
	return dlbk_init_common(args, 0);
}

static int dlbk_rw_init(const char *argv0, const char *args)
{
	(void)argv0;
	return dlbk_init_common(args, 1);
}

/* The case as a dlb.cfg(5) file. */
static void dlbk_write_cfg(FILE *f, const struct bench_case *c)
{
	unsigned int i, s;

	fprintf(f, "version = 1;\ndevices = ({ name = \"%s\"; domains = ({\n"
		"  name = \"" DLBK_DOMAIN "\";\n", dlbk_dev);
	if (dlbk_dir)
		fprintf(f, "  dir_credits = %u;\n", c->window);
	else
		fprintf(f, "  ldb_credits = %u;\n", c->window);
	fprintf(f, "  queues = (\n");
	for (i = 0; i < (dlbk_dir ? c->ports : c->stages); i++) {
		fprintf(f, "    %s{ name = \"q%02u\"; ", i ? "," : " ", i);
		if (dlbk_dir) {
			fprintf(f, "type = \"dir\"; }\n");
			continue;
		}
		fprintf(f, "sched_type = \"%s\"; ", bench_sched_names[c->sched]);
		if (c->sched == BENCH_ORDERED)
			fprintf(f, "sequence_numbers = %u; ",
				bench_pow2_at_least(c->window));
		if (c->sched == BENCH_ATOMIC)
			fprintf(f, "atomic_inflights = %u; ", c->window);
		fprintf(f, "}\n");
	}
	fprintf(f, "  );\n  ports = (\n");
	for (i = 0; i < c->ports; i++) {
		fprintf(f, "    %s{ name = \"p%02u\"; cq_depth = %u; ",
			i ? "," : " ", i, DLBK_CQ_DEPTH);
		if (dlbk_dir) {
			fprintf(f, "type = \"dir\"; links = ( \"q%02u\" ); }\n", i);
			continue;
		}
		fprintf(f, "hist_list_size = %u; links = (", DLBK_CQ_DEPTH);
		for (s = 0; s < c->stages; s++)
			fprintf(f, "%s\"q%02u\"", s ? ", " : " ", s);
		fprintf(f, " ); }\n");
	}
	fprintf(f, "  );\n}); });\n");
}

/* What the device has left of @name (sysfs avail_resources), or 0. */
static uint32_t dlbk_avail(const char *name)
{
	char path[256];
	uint32_t v;

	snprintf(path, sizeof(path), DLB_SYSFS_CLASS "/%s/avail_resources/%s",
		 dlbk_dev, name);
	return attr_read_u32(path, &v) ? 0 : v;
}

/* Whether the device has room for @c's domain; if not, why. */
static int dlbk_fits(const struct bench_case *c, char *why, size_t len)
{
	const struct {
		const char *name;
		uint32_t need;
	} need[] = {
		{ "num_sched_domains", 1 },
		{ "num_ldb_queues", dlbk_dir ? 0 : c->stages },
		{ "num_ldb_ports", dlbk_dir ? 0 : c->ports },
		{ "num_dir_ports", dlbk_dir ? c->ports : 0 },
		{ "num_ldb_credits", dlbk_dir ? 0 : c->window },
		{ "num_dir_credits", dlbk_dir ? c->window : 0 },
		{ "num_hist_list_entries", dlbk_dir ? 0 : c->ports * DLBK_CQ_DEPTH },
		{ "num_atomic_inflights",
		  c->sched == BENCH_ATOMIC ? c->stages * c->window : 0 },
		{ "num_sequence_numbers", c->sched == BENCH_ORDERED ?
		  c->stages * bench_pow2_at_least(c->window) : 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (need[i].need > dlbk_avail(need[i].name)) {
			snprintf(why, len, "%s needs %u %s", dlbk_dev,
				 need[i].need, need[i].name);
			return 0;
		}
	}
	return 1;
}

/* Run dlbcfg @cmd @arg (no shell); 0 when it exits 0. */
static int dlbk_cfg_run(const char *cmd, const char *arg, int quiet)
{
	int status, fd;
	pid_t pid;

	/* Our stdout is the results': dlbcfg's words go to stderr. */
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		fd = quiet ? open("/dev/null", O_WRONLY) : STDERR_FILENO;
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
		    dup2(fd, STDERR_FILENO) < 0)
			_exit(127);
		execlp(dlbk_cfg_tool, dlbk_cfg_tool, cmd, arg, (char *)NULL);
		warning("%s: %s (DLBCFG names the dlbcfg to run)",
			dlbk_cfg_tool, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

static void dlbk_teardown(void)
{
	char dom[128];
	unsigned int i;

	for (i = 0; i < dlbk_nports; i++) {
		if (dlbk_ports[i].port)
			dlbk_port_close(dlbk_ports[i].port);
		if (dlbk_ports[i].fd >= 0)
			close(dlbk_ports[i].fd);
	}
	dlbk_nports = 0;
	snprintf(dom, sizeof(dom), "%s/" DLBK_DOMAIN, dlbk_dev);
	dlbk_cfg_run("clear", dom, 1);
	if (dlbk_cfg_path[0])
		unlink(dlbk_cfg_path);
	dlbk_cfg_path[0] = '\0';
}

static int dlbk_setup(const struct bench_case *c, char *why, size_t len)
{
	char path[256];
	unsigned int i;
	FILE *f;
	int fd;

	if (c->sched == BENCH_MIXED) {
		snprintf(why, len, "no all-types queues in dlb.cfg");
		return -ENOTSUP;
	}
	dlbk_dir = c->sched == BENCH_DIRECTED;
	if (!dlbk_fits(c, why, len))
		return -ENOTSUP;
	dlbk_case = *c;

	/* Whatever an earlier run left, then the case's domain. */
	snprintf(path, sizeof(path), "%s/" DLBK_DOMAIN, dlbk_dev);
	dlbk_cfg_run("clear", path, 1);
	snprintf(dlbk_cfg_path, sizeof(dlbk_cfg_path),
		 "/tmp/dlb-bench.XXXXXX.cfg");
	fd = mkstemps(dlbk_cfg_path, 4);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		snprintf(why, len, "%s: %s", dlbk_cfg_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		dlbk_cfg_path[0] = '\0';
		return -EIO;
	}
	dlbk_write_cfg(f, c);
	if (fclose(f) || dlbk_cfg_run("apply", dlbk_cfg_path, 0)) {
		snprintf(why, len, "%s apply %s failed", dlbk_cfg_tool,
			 dlbk_cfg_path);
		return -EIO;
	}

	for (i = 0; i < c->ports; i++) {
		dlbk_ports[i].port = NULL;
		dlbk_ports[i].fd = -1;
		dlbk_nports = i + 1;
		snprintf(path, sizeof(path), DLB_DEVFS "/%s/" DLBK_DOMAIN "/p%02u",
			 dlbk_dev, i);
		if (dlbk_rw)
			dlbk_ports[i].fd = open(path, O_RDWR | O_NONBLOCK);
		else
			dlbk_ports[i].port = dlbk_port_open(path);
		if (dlbk_rw ? dlbk_ports[i].fd < 0 : !dlbk_ports[i].port) {
			snprintf(why, len, "%s: %s", path, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static unsigned int dlbk_put(unsigned int port, const struct dlb_qe *qe,
			     unsigned int n)
{
	ssize_t ret;

	if (!dlbk_rw)
		return dlbk_port_enqueue(dlbk_ports[port].port, qe, n);
	ret = write(dlbk_ports[port].fd, qe, n * sizeof(*qe));
	if (ret < 0 && errno != EAGAIN) {
		warning("write: %s", strerror(errno));
		abort();
	}
	return ret < 0 ? 0 : (unsigned int)ret / sizeof(*qe);
}

/* All of @n, waiting for the device to take them. */
static void dlbk_send(unsigned int port, const struct dlb_qe *qe,
		      unsigned int n)
{
	unsigned long spins = 0;
	unsigned int sent;

	while (n) {
		sent = dlbk_put(port, qe, n);
		qe += sent;
		n -= sent;
		if (!sent && ++spins == DLBK_SEND_SPINS) {
			warning("%s: port p%02u's producer ring stays full",
				dlbk_dev, port);
			abort();
		}
	}
}

static unsigned int dlbk_get(unsigned int port, struct dlb_deq *out,
			     unsigned int max)
{
	ssize_t ret;

	if (!dlbk_rw)
		return dlbk_port_dequeue(dlbk_ports[port].port, out, max, 0);
	ret = read(dlbk_ports[port].fd, out, max * sizeof(*out));
	if (ret < 0 && errno != EAGAIN) {
		warning("read: %s", strerror(errno));
		abort();
	}
	return ret < 0 ? 0 : (unsigned int)ret / sizeof(*out);
}

static unsigned int dlbk_produce(struct bench_gen *g, unsigned int n)
{
	struct dlb_qe qe[BENCH_BURST];
	struct bench_gen next = *g;
	uint8_t meta = DLB_META(bench_dlb_sched[dlbk_case.sched], 0, 0);
	unsigned int i, sent;

	if (n > BENCH_BURST)
		n = BENCH_BURST;
	for (i = 0; i < n; i++) {
		qe[i] = (struct dlb_qe) {
			.data = next.seq,
			.qid = dlbk_dir ? (uint8_t)next.dir_port : 0,
			.meta = meta,
			.lock_id = (uint16_t)next.flow,
			.cmd = DLB_CMD_NEW,
		};
		bench_gen_advance(&next);
	}
	sent = dlbk_put(0, qe, n);
	for (i = 0; i < sent; i++)
		bench_gen_advance(g);
	return sent;
}

static void dlbk_schedule(void)
{
}

static unsigned int dlbk_drain(unsigned int port, struct bench_tally *t)
{
	struct dlb_qe qe[BENCH_BURST];
	struct dlb_deq ev[BENCH_BURST];
	unsigned int n, k, total = 0;

	for (;;) {
		n = dlbk_get(port, ev, BENCH_BURST);
		if (!n)
			break;
		k = bench_answer(t, &dlbk_case, port, dlbk_dir, ev, n,
				 DLB_CMD_FWD, DLB_CMD_REL, qe);
		total += n;
		dlbk_send(port, qe, k);
	}
	return total;
}

const struct bench_backend bench_dlbk = {
	.name = "dlbk",
	.async = 1,
	.init = dlbk_init,
	.setup = dlbk_setup,
	.teardown = dlbk_teardown,
	.produce = dlbk_produce,
	.schedule = dlbk_schedule,
	.drain = dlbk_drain,
};

const struct bench_backend bench_dlbk_rw = {
	.name = "dlbk-rw",
	.async = 1,
	.init = dlbk_rw_init,
	.setup = dlbk_setup,
	.teardown = dlbk_teardown,
	.produce = dlbk_produce,
	.schedule = dlbk_schedule,
	.drain = dlbk_drain,
};
