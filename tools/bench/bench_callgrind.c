// SPDX-License-Identifier: GPL-2.0
/*
 * dlb-bench's instruction counts: the parent reruns the cases in a child
 * under valgrind --tool=callgrind (once counting the whole measured loop
 * of both backends, once only inside the engine's entry points), then
 * reads the child's dumps into the results.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dlb-bench.h"

/*
 * Under valgrind: for each case and backend, warm up, then count only the
 * measured loop and dump the counts as "<backend>:<case>" for the parent.
 * With --cg-core, valgrind's --toggle-collect counts only inside the
 * engine's entry points, and the dump is "core:<case>".
 */
int bench_cg_child_main(struct result *res, unsigned int nres,
			const struct bench_backend *peer)
{
	const struct bench_backend *be[2] = { &bench_engine, peer };
	char name[64], tag[96], why[96];
	struct bench_time el;
	unsigned int i, k;
	int ret, status = 0;

	for (i = 0; i < nres; i++) {
		bench_case_name(&res[i].c, name, sizeof(name));
		for (k = 0; k < 2; k++) {
			if (!be[k])
				continue;
			ret = be[k]->setup(&res[i].c, why, sizeof(why));
			if (ret == -ENOTSUP) {
				be[k]->teardown();
				continue;
			}
			if (!ret)
				ret = bench_loop(be[k], &res[i].c,
						 bench_opt.cg_events / 4 + BENCH_BURST,
						 0, 0, &el, why, sizeof(why));
			if (!ret) {
				snprintf(tag, sizeof(tag), "%s:%s",
					 bench_opt.cg_child == 2 ? "core" :
					 be[k]->name, name);
				CALLGRIND_ZERO_STATS;
				ret = bench_loop(be[k], &res[i].c,
						 bench_opt.cg_events,
						 bench_opt.cg_child == 1, 0, &el,
						 why, sizeof(why));
				CALLGRIND_DUMP_STATS_AT(tag);
			}
			be[k]->teardown();
			if (ret) {
				warning("callgrind: %s %s: "
					"%s", be[k]->name, name, why);
				status = 1;
			}
		}
	}
	return status;
}

/*
 * With --cg-keep, name a case's dump after it ("engine_atomic_p4_f1024_s1"
 * .callgrind); remove the rest.
 */
static void cg_keep_or_remove(const char *dir, const char *path,
			      const char *trig)
{
	char name[PATH_MAX];
	const char *c;
	size_t o;

	if (!bench_opt.cg_keep || !strchr(trig, ':')) {
		unlink(path);
		return;
	}
	o = (size_t)snprintf(name, sizeof(name), "%s/", dir);
	for (c = trig; *c && o < sizeof(name) - 16; c++)
		name[o++] = (*c == '/' || *c == ':') ? '_' : *c;
	snprintf(name + o, sizeof(name) - o, ".callgrind");
	if (rename(path, name))
		unlink(path);
}

/* Read the callgrind dumps in @dir into the results; return cases found. */
static unsigned int cg_collect(const char *dir, struct result *res,
			       unsigned int nres)
{
	char path[PATH_MAX], line[512], trig[128], name[64], tag[96];
	unsigned long long ir;
	unsigned int i, found = 0;
	struct dirent *de;
	DIR *d;
	FILE *f;

	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		/* Only this run's dumps: --cg-keep may hold older ones. */
		if (strncmp(de->d_name, "cg.out", 6))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		trig[0] = '\0';
		ir = 0;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "desc: Trigger: Client Request: %127s",
				   trig) == 1)
				continue;
			if (sscanf(line, "totals: %llu", &ir) == 1 ||
			    sscanf(line, "summary: %llu", &ir) == 1)
				continue;
		}
		fclose(f);
		cg_keep_or_remove(dir, path, trig);
		for (i = 0; trig[0] && i < nres; i++) {
			bench_case_name(&res[i].c, name, sizeof(name));
			snprintf(tag, sizeof(tag), "%s:%s", bench_engine.name,
				 name);
			if (!strcmp(tag, trig)) {
				res[i].eng.ir = (double)ir /
						(double)bench_opt.cg_events;
				found++;
			}
			snprintf(tag, sizeof(tag), "%s:%s",
				 bench_peer_name, name);
			if (!strcmp(tag, trig))
				res[i].peer.ir = (double)ir /
						 (double)bench_opt.cg_events;
			snprintf(tag, sizeof(tag), "core:%s", name);
			if (!strcmp(tag, trig))
				res[i].eng.core_ir = (double)ir /
						     (double)bench_opt.cg_events;
		}
	}
	closedir(d);
	if (!bench_opt.cg_keep)
		rmdir(dir);
	return found;
}

static void list_arg(char *buf, size_t len, const struct list *l, int sched)
{
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < l->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "",
				      sched ? bench_sched_names[l->v[i]] : "");
	if (sched)
		return;
	o = 0;
	for (i = 0; i < l->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? "," : "",
				      l->v[i]);
}

/*
 * Run the cases under valgrind --tool=callgrind in a child writing its
 * dumps to @dir. @core: count the engine's entry points only (inclusive),
 * leaving out the loop's own work; otherwise the whole measured loop of
 * both sides. Return the child's exit status, or 127 if it did not run.
 */
static int cg_spawn(const char *dir, const char *self, int core, int peer)
{
	char out[PATH_MAX + 32], ev[32], win[16];
	char sched[128], ports[64], flows[64], stages[16];
	const char *argv[40];
	unsigned int a = 0;
	pid_t pid;
	int st;

	snprintf(out, sizeof(out), "--callgrind-out-file=%s/cg.out.%s", dir,
		 core ? "core" : "loop");
	snprintf(ev, sizeof(ev), "%" PRIu64, bench_opt.cg_events);
	snprintf(win, sizeof(win), "%u", bench_opt.window);
	list_arg(sched, sizeof(sched), &bench_opt.sched, 1);
	list_arg(ports, sizeof(ports), &bench_opt.ports, 0);
	list_arg(flows, sizeof(flows), &bench_opt.flows, 0);
	list_arg(stages, sizeof(stages), &bench_opt.stages, 0);

	argv[a++] = "valgrind";
	argv[a++] = "--tool=callgrind";
	argv[a++] = "-q";
	argv[a++] = "--collect-atstart=no";
	argv[a++] = "--dump-instr=yes";
	argv[a++] = out;
	if (core) {
		argv[a++] = "--toggle-collect=dlb_eng_enqueue";
		argv[a++] = "--toggle-collect=dlb_eng_schedule";
	}
	argv[a++] = self;
	argv[a++] = core ? "--cg-core" : "--cg-child";
	argv[a++] = "--peer";
	argv[a++] = peer && !core ? (char *)bench_peer_name : "none";
	argv[a++] = "--cg-events";
	argv[a++] = ev;
	argv[a++] = "--window";
	argv[a++] = win;
	argv[a++] = "--sched";
	argv[a++] = sched;
	argv[a++] = "--ports";
	argv[a++] = ports;
	argv[a++] = "--flows";
	argv[a++] = flows;
	argv[a++] = "--stages";
	argv[a++] = stages;
	if (bench_opt.evsw_args && peer && !core) {
		argv[a++] = "--evsw-args";
		argv[a++] = bench_opt.evsw_args;
	}
	argv[a] = NULL;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		warning("fork: %s", strerror(errno));
		return 127;
	}
	if (!pid) {
		execvp("valgrind", (char *const *)argv);
		warning("cannot run valgrind: %s", strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return 127;
	return WEXITSTATUS(st);
}

/* Count instructions of every case, see cg_spawn(); fill res[].*ir. */
int bench_run_callgrind(struct result *res, unsigned int nres, int peer)
{
	char tmpl[] = "/tmp/dlb-bench-cg.XXXXXX";
	char self[PATH_MAX];
	const char *dir = tmpl;
	ssize_t len;
	int st, core, ret = 0;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (bench_opt.cg_keep) {
		dir = bench_opt.cg_keep;
		if (mkdir(dir, 0755) && errno != EEXIST) {
			warning("%s: %s", dir,
				strerror(errno));
			return -1;
		}
	} else if (!mkdtemp(tmpl)) {
		len = -1;
	}
	if (len < 0) {
		warning("callgrind: %s", strerror(errno));
		return -1;
	}
	self[len] = '\0';

	warning("counting instructions under callgrind "
		"(%" PRIu64 " events per case)...", bench_opt.cg_events);
	for (core = 0; core < 2; core++) {
		st = cg_spawn(dir, self, core, peer);
		if (st) {
			warning("callgrind run failed%s",
				st == 127 ? " (is valgrind installed? "
				"apt-get install valgrind)" : "");
			ret = -1;
		}
		if (st == 127)
			break;
	}
	if (cg_collect(dir, res, nres) != nres) {
		warning("callgrind: engine cases missing");
		ret = -1;
	}
	return ret;
}
