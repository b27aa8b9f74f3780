// SPDX-License-Identifier: GPL-2.0
/*
 * dlbcfg.c - the command line: one function per subcommand, each with its
 * own --help, sharing the options every subcommand takes (--schema,
 * --root, --sysfs, --verbose) and the exit statuses of dlbcfg.h.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlbcfg.h"

#define COMMON_USAGE							\
	"  -s, --schema FILE  configfs schema (default $DLBCFG_SCHEMA, the\n" \
	"                     tree's when run from it, or "		\
	DLBCFG_SCHEMA_DEFAULT ")\n"					\
	"  -r, --root DIR     configfs tree (default $DLBCFG_ROOT or "	\
	DLB_CONFIGFS_ROOT ")\n"					\
	"      --sysfs DIR    device class in sysfs (default $DLBCFG_SYSFS or " \
	DLB_SYSFS_CLASS ")\n"					\
	"  -v, --verbose      say what is done\n"			\
	"  -h, --help         this help\n"

enum { OPT_SYSFS = 0x100, OPT_DRY_RUN, OPT_KEEP_GOING, OPT_EXIT_CODE };

#define COMMON_LONGOPTS							\
	{ "schema", required_argument, NULL, 's' },			\
	{ "root", required_argument, NULL, 'r' },			\
	{ "sysfs", required_argument, NULL, OPT_SYSFS },		\
	{ "verbose", no_argument, NULL, 'v' },				\
	{ "help", no_argument, NULL, 'h' }
#define COMMON_SHORTOPTS "s:r:vh"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *what;
	const char *opts;	/* the subcommand's own options, for --help */
};

static const struct cmd *cur_cmd;

static void __attribute__((noreturn)) usage(int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f, "Usage: dlbcfg %s [OPTION]... %s\n%s\n\nOptions:\n%s" COMMON_USAGE,
		cur_cmd->name, cur_cmd->args, cur_cmd->what, cur_cmd->opts);
	if (!status)
		fprintf(f, "\nExit status: 0 done, 1 invalid file, 2 usage, 3 refused by the kernel.\nSee dlbcfg(8) and dlb.cfg(5).\n");
	exit(status);
}

/* Handle an option every subcommand takes; false if @c is not one. */
static bool common_opt(int c)
{
	switch (c) {
	case 's':
		dlbcfg_opts.schema = optarg;
		return true;
	case 'r':
		dlbcfg_opts.root = optarg;
		return true;
	case OPT_SYSFS:
		dlbcfg_opts.sysfs = optarg;
		return true;
	case 'v':
		dlbcfg_verbose = true;
		return true;
	case 'h':
		usage(EXIT_OK);
	}
	usage(EXIT_USAGE);
}

static struct schema *load_schema(void)
{
	return schema_load(dlbcfg_opts.schema);
}

/*
 * "DEV", "DEV/DOMAIN", "DEV/vdevs/VDEV" or "DEV/vdevs/VDEV/DOMAIN" into
 * @t (all NULL without @arg); with @domain, a domain must be named and a
 * bare "DOMAIN" is one (--domain).
 */
static void parse_target(char *arg, bool domain, struct target *t)
{
	char *part[5];
	unsigned int n = 0;

	memset(t, 0, sizeof(*t));
	if (!arg)
		return;
	while (n < 5 && (part[n] = strsep(&arg, "/")))
		if (!*part[n++])
			usage(EXIT_USAGE);
	switch (n) {
	case 1:
		if (domain)
			t->dom = part[0];
		else
			t->dev = part[0];
		break;
	case 2:
		t->dev = part[0];
		t->dom = part[1];
		break;
	case 4:
		t->dom = part[3];
		/* fall through */
	case 3:
		if (strcmp(part[1], "vdevs"))
			usage(EXIT_USAGE);
		t->dev = part[0];
		t->vdev = part[2];
		break;
	default:
		usage(EXIT_USAGE);
	}
	if (domain && !t->dom)
		usage(EXIT_USAGE);
}

/* The optional target operand, after the options. */
static void target_arg(int argc, char **argv, struct target *t)
{
	if (argc - optind > 1)
		usage(EXIT_USAGE);
	parse_target(optind < argc ? argv[optind] : NULL, false, t);
}

/* The live tree that @t names (all of it without an operand). */
static struct tree *live_target(const struct schema *s,
				const struct target *t)
{
	struct tree *tr = live_read(s, t);

	int vc;

	if (t->dev && !tr->nr_devs) {
		tree_free(tr);
		die(EXIT_REFUSED, "%s: no such device in %s", t->dev,
		    dlbcfg_opts.root);
	}
	vc = tr->nr_devs ? sch_find_subdir(tr->devs[0]->g, "vdevs") : -1;
	if (t->vdev && (vc < 0 || !obj_child(tr->devs[0], vc, t->vdev))) {
		tree_free(tr);
		die(EXIT_REFUSED, "%s/vdevs/%s%s%s: no such vdev%s", t->dev,
		    t->vdev, t->dom ? "/" : "", t->dom ?: "",
		    t->dom ? " domain" : "");
	}
	return tr;
}

/* Parse and check a file; exits 1 naming every problem. */
static struct tree *load_file(const struct schema *s, const char *file)
{
	const char *kernel_rules = getenv("DLBCFG_KERNEL_RULES");
	struct tree *t = parse_config(s, file, NULL);

	/* DLBCFG_KERNEL_RULES=1: let the kernel judge, to compare (dlbcfg(8)) */
	if (t && !dlbcfg_errors && !(kernel_rules && !strcmp(kernel_rules, "1")))
		rules_check(t);
	if (dlbcfg_errors || !t) {
		fprintf(stderr, "%s: %s: %u error%s\n", tool_prog, file,
			dlbcfg_errors, dlbcfg_errors == 1 ? "" : "s");
		exit(EXIT_INVALID);
	}
	return t;
}

int cmd_check(int argc, char **argv)
{
	static const struct option lo[] = { COMMON_LONGOPTS, { 0 } };
	struct schema *s;
	struct tree *t;
	int c;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS, lo, NULL)) != -1)
		common_opt(c);
	if (optind + 1 != argc)
		usage(EXIT_USAGE);
	s = load_schema();
	t = load_file(s, argv[optind]);
	if (dlbcfg_verbose)
		printf("%s: valid\n", argv[optind]);
	tree_free(t);
	schema_free(s);
	return EXIT_OK;
}

/* What apply and diff share: the file, the live tree and the plan. */
static int plan_file(const char *file, struct plan_opts *po, struct plan *p,
		     struct schema **sp)
{
	struct schema *s = load_schema();
	struct tree *want = load_file(s, file), *live;

	live = live_read(s, NULL);
	plan_build(p, want, live, po);
	tree_free(want);
	tree_free(live);
	*sp = s;
	return p->nr_refused ? EXIT_REFUSED : EXIT_OK;
}

int cmd_apply(int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "dry-run", no_argument, NULL, 'n' },
		{ "domain", required_argument, NULL, 'd' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "force", no_argument, NULL, 'f' },
		{ 0 }
	};
	struct plan_opts po = { 0 };
	bool dry_run = false, keep_going = false;
	struct target only;
	struct schema *s;
	struct plan p;
	unsigned int i;
	int c, status;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "nd:kf", lo,
				NULL)) != -1) {
		switch (c) {
		case 'n':
			dry_run = true;
			break;
		case 'd':
			parse_target(optarg, true, &only);
			po.only = &only;
			break;
		case 'k':
			keep_going = true;
			break;
		case 'f':
			po.force = true;
			break;
		default:
			common_opt(c);
		}
	}
	if (optind + 1 != argc)
		usage(EXIT_USAGE);
	status = plan_file(argv[optind], &po, &p, &s);
	if (status && !keep_going) {
		warning("nothing was changed");
	} else if (dry_run) {
		for (i = 0; i < p.nr_ops; i++)
			op_print(stdout, &p.ops[i], true);
	} else {
		/* --keep-going: the refused domains are not in the plan */
		status = apply_plan(&p, keep_going) ?: status;
	}
	plan_free(&p);
	schema_free(s);
	return status;
}

int cmd_diff(int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "domain", required_argument, NULL, 'd' },
		{ "exit-code", no_argument, NULL, OPT_EXIT_CODE },
		{ 0 }
	};
	/* show everything apply --force would do */
	struct plan_opts po = { .force = true };
	bool exit_code = false;
	struct target only;
	struct schema *s;
	struct plan p;
	unsigned int i;
	int c, status;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "d:", lo,
				NULL)) != -1) {
		if (c == 'd') {
			parse_target(optarg, true, &only);
			po.only = &only;
		} else if (c == OPT_EXIT_CODE) {
			exit_code = true;
		} else {
			common_opt(c);
		}
	}
	if (optind + 1 != argc)
		usage(EXIT_USAGE);
	status = plan_file(argv[optind], &po, &p, &s);
	for (i = 0; i < p.nr_ops; i++)
		op_print(stdout, &p.ops[i], false);
	if (!status && exit_code && p.nr_ops)
		status = EXIT_DIFFERS;
	plan_free(&p);
	schema_free(s);
	return status;
}

int cmd_export(int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ 0 }
	};
	const char *out = NULL;
	struct strbuf sb = { 0 };
	struct target tg;
	struct schema *s;
	struct tree *t;
	int c;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "o:", lo,
				NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else
			common_opt(c);
	}
	target_arg(argc, argv, &tg);
	s = load_schema();
	t = live_target(s, &tg);
	export_tree(&sb, t);
	if (!out || !strcmp(out, "-")) {
		fwrite(sb.buf, 1, sb.len, stdout);
	} else if (write_file_atomic(out, sb.buf, sb.len)) {
		die(EXIT_REFUSED, "%s: %m", out);
	}
	sb_free(&sb);
	tree_free(t);
	schema_free(s);
	return EXIT_OK;
}

int cmd_clear(int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "force", no_argument, NULL, 'f' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ 0 }
	};
	bool force = false, keep_going = false, dry_run = false;
	struct target tg;
	struct schema *s;
	struct tree *t;
	struct plan p;
	unsigned int i;
	int c, status = EXIT_OK;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "fkn", lo,
				NULL)) != -1) {
		if (c == 'f')
			force = true;
		else if (c == 'k')
			keep_going = true;
		else if (c == 'n')
			dry_run = true;
		else
			common_opt(c);
	}
	target_arg(argc, argv, &tg);
	s = load_schema();
	t = live_target(s, &tg);
	/* domains with open port files are refused here unless --force */
	plan_clear(&p, t, &tg, force);
	if (p.nr_refused)
		status = EXIT_REFUSED;
	if (status && !keep_going) {
		warning("nothing was changed");
	} else if (dry_run) {
		for (i = 0; i < p.nr_ops; i++)
			op_print(stdout, &p.ops[i], true);
	} else {
		/*
		 * All or nothing, like apply; --keep-going undoes only the
		 * domains the kernel refused and clears the others. The
		 * refused domains are not in the plan.
		 */
		status = apply_plan(&p, keep_going) ?: status;
	}
	plan_free(&p);
	tree_free(t);
	schema_free(s);
	return status;
}

/* show and dot: the live tree, or with --file, a file's. */
static int cmd_view(int argc, char **argv, bool dot)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "file", required_argument, NULL, 'F' },
		{ 0 }
	};
	const char *file = NULL;
	struct target tg;
	struct schema *s;
	struct tree *t;
	int c;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "F:", lo,
				NULL)) != -1) {
		if (c == 'F')
			file = optarg;
		else
			common_opt(c);
	}
	if (file && optind < argc)
		usage(EXIT_USAGE);
	target_arg(argc, argv, &tg);
	s = load_schema();
	t = file ? load_file(s, file) : live_target(s, &tg);
	if (dot)
		dot_tree(stdout, t);
	else
		show_tree(stdout, t);
	tree_free(t);
	schema_free(s);
	return EXIT_OK;
}

int cmd_show(int argc, char **argv)
{
	return cmd_view(argc, argv, false);
}

int cmd_dot(int argc, char **argv)
{
	return cmd_view(argc, argv, true);
}

int cmd_cdi(int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "dev", required_argument, NULL, 'D' },
		{ 0 }
	};
	const char *out = NULL;
	struct target tg;
	struct tree *t;
	const char *dev_dir = getenv("DLBCFG_DEV") ?: DLB_DEVFS;
	struct schema *s;
	int c, status;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "o:", lo,
				NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'D')
			dev_dir = optarg;
		else
			common_opt(c);
	}
	target_arg(argc, argv, &tg);
	s = load_schema();
	t = live_target(s, &tg);
	status = cdi_spec(t, &tg, dev_dir, out);
	tree_free(t);
	schema_free(s);
	return status;
}

static const struct cmd cmds[] = {
	{ "check", cmd_check, "FILE",
	  "Check FILE against the schema and the device's rules; touch nothing.", "" },
	{ "apply", cmd_apply, "FILE",
	  "Make the live configuration match FILE: create, set attributes, link,\n"
	  "start; on any failure undo everything this run did.",
	  "  -n, --dry-run      print the operations as shell commands; touch nothing\n"
	  "  -d, --domain NAME  only domain NAME (or DEV/NAME, DEV/vdevs/VDEV/NAME)\n"
	  "  -k, --keep-going   undo only a failing domain and go on with the others\n"
	  "  -f, --force        stop a started domain to change what is frozen, then\n"
	  "                     start it again\n" },
	{ "diff", cmd_diff, "FILE",
	  "Print what apply --force would change: + added, - removed, ~ changed.",
	  "  -d, --domain NAME  only domain NAME (or DEV/NAME, DEV/vdevs/VDEV/NAME)\n"
	  "      --exit-code    exit with 4 if there are changes\n" },
	{ "export", cmd_export, "[DEV[/DOMAIN]|DEV/vdevs/VDEV[/DOMAIN]]",
	  "Write the live configuration (writable attributes and links) as a file.",
	  "  -o, --output FILE  write FILE atomically instead of standard output\n" },
	{ "clear", cmd_clear, "[DEV[/DOMAIN]|DEV/vdevs/VDEV[/DOMAIN]]",
	  "Stop and remove domains (all of them without an argument); all or\n"
	  "nothing: a domain with a port file open is refused (exit 3) before\n"
	  "anything changes.",
	  "  -f, --force        stop domains with port files open anyway (force_stop):\n"
	  "                     the files are revoked and events in flight dropped\n"
	  "  -k, --keep-going   clear every domain that can be, leave the others\n"
	  "  -n, --dry-run      print the operations as shell commands\n" },
	{ "show", cmd_show, "[DEV[/DOMAIN]|DEV/vdevs/VDEV[/DOMAIN]]",
	  "Print the live tree with state, ids, counters and resources in use.",
	  "  -F, --file FILE    show FILE instead of the live tree\n" },
	{ "dot", cmd_dot, "[DEV[/DOMAIN]|DEV/vdevs/VDEV[/DOMAIN]]",
	  "Print queues, ports and links as a Graphviz graph (dot -Tsvg).",
	  "  -F, --file FILE    draw FILE instead of the live tree\n" },
	{ "cdi", cmd_cdi, "[DEV[/DOMAIN]|DEV/vdevs/VDEV[/DOMAIN]]",
	  "Write a Container Device Interface spec (kind dlb.dev/domain) with the\n"
	  "port files of every started domain, of every committed vdev, and of\n"
	  "each vdev's domains; or of what the argument names only.",
	  "  -o, --output FILE  write FILE atomically (e.g. /etc/cdi/dlb.json)\n"
	  "      --dev DIR      port device files (default $DLBCFG_DEV or "
	  DLB_DEVFS ")\n" },
};

#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

/*
 * The schema when neither --schema nor $DLBCFG_SCHEMA names one: the
 * tree's (configfs-schema/, two levels up) when this is the dlbcfg built
 * in tools/dlbcfg of a source tree, else the installed one.
 */
static const char *schema_default(void)
{
	static const char tree_dir[] = "/tools/dlbcfg";
	static char path[PATH_MAX];
	char exe[PATH_MAX], *slash;
	ssize_t n;
	int len;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return DLBCFG_SCHEMA_DEFAULT;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return DLBCFG_SCHEMA_DEFAULT;
	*slash = '\0';
	if ((size_t)(slash - exe) < sizeof(tree_dir) - 1 ||
	    strcmp(slash - (sizeof(tree_dir) - 1), tree_dir))
		return DLBCFG_SCHEMA_DEFAULT;
	len = snprintf(path, sizeof(path), "%s/../../configfs-schema/dlb.schema",
		       exe);
	if (len < 0 || (size_t)len >= sizeof(path) || access(path, R_OK))
		return DLBCFG_SCHEMA_DEFAULT;
	return path;
}

static void __attribute__((noreturn)) main_usage(int status)
{
	FILE *f = status ? stderr : stdout;
	unsigned int i;

	fprintf(f, "Usage: dlbcfg COMMAND [OPTION]... [ARG]\n"
		"Apply, export, compare and check dlb configurations (dlb.cfg(5)).\n\n"
		"Commands:\n");
	for (i = 0; i < NR_CMDS; i++)
		fprintf(f, "  %-7s %s\n", cmds[i].name, cmds[i].args);
	fprintf(f, "\n`dlbcfg COMMAND --help` for each; see dlbcfg(8).\n");
	exit(status);
}

int main(int argc, char **argv)
{
	unsigned int i;

	dlbcfg_opts.schema = getenv("DLBCFG_SCHEMA") ?: schema_default();
	dlbcfg_opts.root = getenv("DLBCFG_ROOT") ?: DLB_CONFIGFS_ROOT;
	dlbcfg_opts.sysfs = getenv("DLBCFG_SYSFS") ?: DLB_SYSFS_CLASS;
	dlbcfg_opts.port_sysfs = getenv("DLBCFG_PORT_SYSFS") ?:
				 DLB_PORT_SYSFS_CLASS;
	if (argc < 2)
		main_usage(EXIT_USAGE);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help"))
		main_usage(EXIT_OK);
	for (i = 0; i < NR_CMDS; i++) {
		if (!strcmp(argv[1], cmds[i].name)) {
			cur_cmd = &cmds[i];
			tool_prog = xasprintf("dlbcfg %s", cmds[i].name);
			return cmds[i].fn(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "dlbcfg: unknown command '%s'\n", argv[1]);
	main_usage(EXIT_USAGE);
}
