// SPDX-License-Identifier: GPL-2.0
/*
 * dlb-perf - drive traffic through a started dlb domain and check it, in
 * the spirit of dpdk-test-eventdev.
 *
 * A producer port enqueues events into the first stage queue; worker ports
 * forward each event from stage i to stage i + 1, and from the last stage
 * to the directed egress queue, whose consumer port checks what arrives.
 * One thread per port. Scenarios:
 *   perf    count events and measure the rate
 *   order   also check that each flow leaves in the order it entered
 *   atomic  also check that a flow of an atomic stage is never held by two
 *           workers at once
 * Any lost or duplicated event, or a violation, makes the exit status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libdlbk.h"
#include "tool.h"

#define MAX_WORKERS	16
#define MAX_STAGES	8
#define MAX_FLOWS	4096
#define BURST		32

enum scenario { SC_PERF, SC_ORDER, SC_ATOMIC };
static const char *const scenario_names[] = { "perf", "order", "atomic" };

/* A port, through libdlbk's mmap rings or through read()/write(). */
struct port {
	const char *name;
	struct dlbk_port *mm;
	int fd;
};

static bool use_rw;

static void port_open(struct port *p, const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	p->name = name;
	if (use_rw) {
		p->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (p->fd < 0)
			die(2, "%s: %s", path, strerror(errno));
		return;
	}
	p->mm = dlbk_port_open(path);
	if (!p->mm)
		die(2, "%s: %s", path, strerror(errno));
	p->fd = dlbk_port_fd(p->mm);
}

static void port_close(struct port *p)
{
	if (p->mm)
		dlbk_port_close(p->mm);
	else if (p->fd >= 0)
		close(p->fd);
}

/* Put @n QEs with command @cmd; returns how many went. */
static unsigned int port_put(struct port *p, struct dlb_qe *qes,
			     unsigned int n, uint8_t cmd)
{
	unsigned int i;
	ssize_t ret;

	for (i = 0; i < n; i++)
		qes[i].cmd = cmd;
	if (p->mm)
		return dlbk_port_enqueue(p->mm, qes, n);
	ret = write(p->fd, qes, n * sizeof(*qes));
	return ret < 0 ? 0 : (unsigned int)ret / sizeof(*qes);
}

static unsigned int port_get(struct port *p, struct dlb_deq *out,
			     unsigned int max)
{
	ssize_t ret;

	if (p->mm)
		return dlbk_port_dequeue(p->mm, out, max, 0);
	ret = read(p->fd, out, max * sizeof(*out));
	return ret < 0 ? 0 : (unsigned int)ret / sizeof(*out);
}

static void port_wait(struct port *p, int ms)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

	if (p->mm)
		dlbk_port_wait(p->mm, ms);
	else
		poll(&pfd, 1, ms);
}

struct stage {
	const char *name;
	uint8_t qid;
	uint8_t sched;
};

/* Per (atomic stage, flow): who holds events of the flow, and how many. */
struct flow_owner {
	atomic_int owner;	/* worker index + 1, 0 for none */
	atomic_int count;
};

static struct {
	enum scenario scenario;
	uint64_t events;
	uint64_t window;
	unsigned int flows;
	unsigned int timeout_s;
	bool quiet;
	struct stage stages[MAX_STAGES];
	unsigned int nr_stages;
	struct stage egress;
	struct port producer, consumer, workers[MAX_WORKERS];
	unsigned int nr_workers;
} cfg = { .events = 100000, .flows = 64, .timeout_s = 30 };

static atomic_bool stop;
static atomic_uint_fast64_t produced, received, duplicates, order_viol,
	atomic_viol, forwarded;
static uint8_t *seen;
static uint64_t *last_seq;
static struct flow_owner (*owners)[MAX_FLOWS];

static void *producer_main(void *arg)
{
	struct dlb_qe qes[BURST];
	uint64_t seq = 0, inflight;
	unsigned int i, n, put;

	(void)arg;
	while (seq < cfg.events && !atomic_load(&stop)) {
		/*
		 * Keep fewer events in flight than the domain has credits, so
		 * forwards always find one: new events that took every credit
		 * while workers hold full history lists would deadlock.
		 */
		inflight = seq - atomic_load(&received);
		if (inflight >= cfg.window) {
			sched_yield();
			continue;
		}
		n = cfg.events - seq < BURST ? cfg.events - seq : BURST;
		if (n > cfg.window - inflight)
			n = cfg.window - inflight;
		for (i = 0; i < n; i++)
			dlbk_qe_set(&qes[i], cfg.stages[0].sched,
				   cfg.stages[0].qid, 0,
				   (seq + i) % cfg.flows, seq + i);
		put = port_put(&cfg.producer, qes, n, DLB_CMD_NEW);
		seq += put;
		atomic_store(&produced, seq);
		if (put < n)
			sched_yield();
	}
	return NULL;
}

static int stage_of(const struct dlb_deq *d)
{
	unsigned int s;

	for (s = 0; s < cfg.nr_stages; s++) {
		if (cfg.stages[s].qid == d->qid &&
		    cfg.stages[s].sched == DLB_META_SCHED(d->meta))
			return s;
	}
	return -1;
}

static void *worker_main(void *arg)
{
	unsigned int me = (unsigned int)(uintptr_t)arg;
	struct port *p = &cfg.workers[me];
	struct dlb_deq in[BURST];
	struct dlb_qe out[BURST];
	unsigned int i, n, sent;
	const struct stage *next;
	struct flow_owner *fo;
	int s;

	while (!atomic_load(&stop)) {
		n = port_get(p, in, BURST);
		if (!n) {
			port_wait(p, 10);
			continue;
		}
		for (i = 0; i < n; i++) {
			s = stage_of(&in[i]);
			if (s < 0) {
				/* Not ours: count it as a violation. */
				atomic_fetch_add(&order_viol, 1);
				s = cfg.nr_stages - 1;
			}
			fo = NULL;
			if (cfg.stages[s].sched == DLB_SCHED_ATOMIC)
				fo = &owners[s][in[i].lock_id % MAX_FLOWS];
			if (fo) {
				int c = atomic_fetch_add(&fo->count, 1);
				int o = atomic_load(&fo->owner);

				if (c > 0 && o != (int)me + 1)
					atomic_fetch_add(&atomic_viol, 1);
				atomic_store(&fo->owner, me + 1);
			}
			next = (unsigned int)s + 1 < cfg.nr_stages ?
			       &cfg.stages[s + 1] : &cfg.egress;
			dlbk_qe_set(&out[i], next->sched, next->qid, 0,
				   in[i].lock_id, in[i].data);
			/* Let go of the flow before its completion is sent. */
			if (fo && atomic_fetch_sub(&fo->count, 1) == 1)
				atomic_store(&fo->owner, 0);
		}
		sent = 0;
		while (sent < n && !atomic_load(&stop))
			sent += port_put(p, out + sent, n - sent, DLB_CMD_FWD);
		atomic_fetch_add(&forwarded, sent);
	}
	return NULL;
}

static void *consumer_main(void *arg)
{
	struct dlb_deq in[BURST];
	unsigned int i, n, flow;
	uint64_t seq;

	(void)arg;
	while (!atomic_load(&stop)) {
		n = port_get(&cfg.consumer, in, BURST);
		if (!n) {
			port_wait(&cfg.consumer, 10);
			continue;
		}
		for (i = 0; i < n; i++) {
			seq = in[i].data;
			flow = in[i].lock_id % cfg.flows;
			if (seq >= cfg.events || seen[seq]) {
				atomic_fetch_add(&duplicates, 1);
				continue;
			}
			seen[seq] = 1;
			if (last_seq[flow] != UINT64_MAX && last_seq[flow] > seq)
				atomic_fetch_add(&order_viol, 1);
			last_seq[flow] = seq;
		}
		atomic_fetch_add(&received, n);
	}
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The attribute @attr of the domain's queue @queue (or the domain's). */
static void domain_attr(const char *cfs, const char *queue, const char *attr,
			char *buf, size_t size)
{
	char path[PATH_MAX];
	int n, err;

	if (queue)
		n = snprintf(path, sizeof(path), "%s/queues/%s/%s", cfs, queue,
			     attr);
	else
		n = snprintf(path, sizeof(path), "%s/%s", cfs, attr);
	err = n < 0 || (size_t)n >= sizeof(path) ? -ENAMETOOLONG :
	      attr_read(path, buf, size);
	if (err)
		die(2, "%s: %s", path, strerror(-err));
}

/* A queue's id and scheduling type, from the domain's configfs directory. */
static void stage_lookup(struct stage *st, const char *cfs, const char *name)
{
	char buf[32];

	st->name = name;
	domain_attr(cfs, name, "id", buf, sizeof(buf));
	st->qid = (uint8_t)atoi(buf);
	domain_attr(cfs, name, "sched_type", buf, sizeof(buf));
	/* An all-types queue's stage sends atomic events: it keeps flows. */
	if (!strncmp(buf, "atomic", 6) || !strncmp(buf, "all", 3))
		st->sched = DLB_SCHED_ATOMIC;
	else if (!strncmp(buf, "unordered", 9))
		st->sched = DLB_SCHED_UNORDERED;
	else if (!strncmp(buf, "ordered", 7))
		st->sched = DLB_SCHED_ORDERED;
	else
		st->sched = DLB_SCHED_DIRECTED;
}

static void usage(FILE *out)
{
	fprintf(out,
"Usage: %s [OPTION]... PORTDIR\n"
"Drive events through a started dlb domain whose port files are in PORTDIR\n"
"(/dev/dlb/<device>/<domain>) and check them.\n\n"
"  -s, --scenario NAME   perf, order or atomic (default perf)\n"
"  -n, --events N        events to send (default 100000)\n"
"  -f, --flows N         flows (atomic lock ids), 1-%d (default 64)\n"
"  -p, --producer PORT   producer port (default rx)\n"
"  -w, --workers A,B..   worker ports (default w0,w1)\n"
"  -c, --consumer PORT   egress consumer port (default tx)\n"
"  -S, --stages Q1,Q2..  stage queues, in order (default stage1,stage2)\n"
"  -e, --egress QUEUE    the directed egress queue (default egress)\n"
"  -r, --rw              use read()/write() instead of the mmap rings\n"
"  -t, --timeout SEC     give up after SEC s without progress (default 30)\n"
"  -W, --window N        events in flight at most (default: half the\n"
"                        domain's ldb_credits, so forwards find credit)\n"
"  -q, --quiet           no progress lines, only the summary\n"
"  -h, --help            this text\n\n"
"Exit status: 0 if every event arrived once and no check failed, 1 if not,\n"
"2 on usage or setup errors.\n", tool_prog, MAX_FLOWS);
}

/* Split a comma-separated list in place. */
static unsigned int split(char *s, const char **out, unsigned int max)
{
	unsigned int n = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == max)
			die(2, "too many items in a list (at most %u)", max);
		out[n++] = tok;
	}
	return n;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "events", required_argument, NULL, 'n' },
		{ "flows", required_argument, NULL, 'f' },
		{ "producer", required_argument, NULL, 'p' },
		{ "workers", required_argument, NULL, 'w' },
		{ "consumer", required_argument, NULL, 'c' },
		{ "stages", required_argument, NULL, 'S' },
		{ "egress", required_argument, NULL, 'e' },
		{ "rw", no_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' },
		{ "window", required_argument, NULL, 'W' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char workers_def[] = "w0,w1", stages_def[] = "stage1,stage2";
	char *workers = workers_def, *stages = stages_def;
	const char *producer = "rx", *consumer = "tx", *egress = "egress";
	const char *names[MAX_WORKERS > MAX_STAGES ? MAX_WORKERS : MAX_STAGES];
	pthread_t tp, tc, tw[MAX_WORKERS];
	char cfs[PATH_MAX], dir[PATH_MAX], buf[32], *dom, *dev;
	uint64_t last_rx = 0, rx;
	double t0, tlast, tprog, t;
	unsigned int i, s;
	bool ok;
	int c, err;

	tool_prog = "dlb-perf";
	while ((c = getopt_long(argc, argv, "s:n:f:p:w:c:S:e:rt:W:qh", opts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			for (s = 0; s < 3 && strcmp(optarg, scenario_names[s]); s++)
				;
			if (s == 3)
				die(2, "unknown scenario '%s' (perf, order, atomic)", optarg);
			cfg.scenario = s;
			break;
		case 'n':
			cfg.events = opt_uint("--events", optarg, 1, 1ULL << 32);
			break;
		case 'f':
			cfg.flows = opt_uint("--flows", optarg, 1, MAX_FLOWS);
			break;
		case 'p': producer = optarg; break;
		case 'w': workers = optarg; break;
		case 'c': consumer = optarg; break;
		case 'S': stages = optarg; break;
		case 'e': egress = optarg; break;
		case 'r': use_rw = true; break;
		case 't':
			cfg.timeout_s = opt_uint("--timeout", optarg, 1, UINT_MAX);
			break;
		case 'W':
			cfg.window = opt_uint("--window", optarg, 1, UINT64_MAX);
			break;
		case 'q': cfg.quiet = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}

	/* PORTDIR is /dev/dlb/<device>/<domain>: find its configfs twin. */
	snprintf(dir, sizeof(dir), "%s", argv[optind]);
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = 0;
	dom = strrchr(dir, '/');
	if (!dom || dom == dir)
		die(2, "%s: not " DLB_DEVFS "/<device>/<domain>", argv[optind]);
	*dom++ = 0;
	dev = strrchr(dir, '/');
	dev = dev ? dev + 1 : dir;
	/* A vdev's domains are in its parent's tree: ask sysfs where. */
	err = dlb_config_dir(NULL, NULL, dev, cfs, sizeof(cfs));
	if (err)
		die(2, "%s: %s", cfs, strerror(-err));
	if (strlen(cfs) + strlen("/domains/") + strlen(dom) >= sizeof(cfs))
		die(2, "%s: name too long", dom);
	strcat(strcat(cfs, "/domains/"), dom);

	cfg.nr_stages = split(stages, names, MAX_STAGES);
	if (!cfg.nr_stages)
		die(2, "--stages: no stage");
	for (s = 0; s < cfg.nr_stages; s++)
		stage_lookup(&cfg.stages[s], cfs, names[s]);
	stage_lookup(&cfg.egress, cfs, egress);
	if (!cfg.window) {
		domain_attr(cfs, NULL, "ldb_credits", buf, sizeof(buf));
		cfg.window = strtoull(buf, NULL, 10) / 2;
	}
	if (!cfg.window)
		cfg.window = 1;
	if (cfg.egress.sched != DLB_SCHED_DIRECTED)
		die(2, "--egress: %s is not a directed queue", egress);

	snprintf(dir, sizeof(dir), "%s", argv[optind]);
	port_open(&cfg.producer, dir, producer);
	port_open(&cfg.consumer, dir, consumer);
	cfg.nr_workers = split(workers, names, MAX_WORKERS);
	for (i = 0; i < cfg.nr_workers; i++)
		port_open(&cfg.workers[i], dir, names[i]);

	seen = calloc(cfg.events, 1);
	last_seq = malloc(cfg.flows * sizeof(*last_seq));
	owners = calloc(cfg.nr_stages, sizeof(*owners));
	if (!seen || !last_seq || !owners)
		die(2, "out of memory");
	memset(last_seq, 0xff, cfg.flows * sizeof(*last_seq));

	t0 = tlast = tprog = now();
	pthread_create(&tc, NULL, consumer_main, NULL);
	for (i = 0; i < cfg.nr_workers; i++)
		pthread_create(&tw[i], NULL, worker_main, (void *)(uintptr_t)i);
	pthread_create(&tp, NULL, producer_main, NULL);

	for (;;) {
		usleep(100000);
		t = now();
		rx = atomic_load(&received) + atomic_load(&duplicates);
		if (rx != last_rx)
			tlast = t;
		if (!cfg.quiet && t - tprog >= 1.0) {
			printf("%s: %.0fs produced %llu received %llu %.0f events/s\n",
			       scenario_names[cfg.scenario], t - t0,
			       (unsigned long long)atomic_load(&produced),
			       (unsigned long long)rx, (rx - last_rx) / (t - tprog));
			fflush(stdout);
			tprog = t;
			last_rx = rx;
		} else if (cfg.quiet) {
			last_rx = rx;
		}
		if (atomic_load(&received) >= cfg.events)
			break;
		if (t - tlast > cfg.timeout_s)
			break;
	}
	t = now() - t0;
	atomic_store(&stop, true);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	for (i = 0; i < cfg.nr_workers; i++)
		pthread_join(tw[i], NULL);

	rx = atomic_load(&received);
	ok = rx == cfg.events && !atomic_load(&duplicates);
	if (cfg.scenario == SC_ORDER && atomic_load(&order_viol))
		ok = false;
	if (cfg.scenario == SC_ATOMIC && atomic_load(&atomic_viol))
		ok = false;
	printf("%s: %s events %llu received %llu lost %llu duplicates %llu "
	       "order_violations %llu atomic_violations %llu seconds %.2f "
	       "rate %.0f events/s\n",
	       scenario_names[cfg.scenario], ok ? "PASS" : "FAIL",
	       (unsigned long long)cfg.events, (unsigned long long)rx,
	       (unsigned long long)(cfg.events - (rx < cfg.events ? rx : cfg.events)),
	       (unsigned long long)atomic_load(&duplicates),
	       (unsigned long long)atomic_load(&order_viol),
	       (unsigned long long)atomic_load(&atomic_viol), t, rx / t);

	port_close(&cfg.producer);
	port_close(&cfg.consumer);
	for (i = 0; i < cfg.nr_workers; i++)
		port_close(&cfg.workers[i]);
	free(seen);
	free(last_seq);
	free(owners);
	return ok ? 0 : 1;
}
