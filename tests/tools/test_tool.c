// SPDX-License-Identifier: GPL-2.0
/*
 * test_tool.c - the rules of the tools' common module (tools/common/tool.c),
 * as TAP: each test builds what it reads in a fresh temporary directory
 * (a fake sysfs class and configfs root for dlb_config_dir()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "tool.h"

static char root[64];
static bool failed;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			tap_diag(__FILE__, __LINE__, __VA_ARGS__);	\
			failed = true;					\
			return;						\
		}							\
	} while (0)

/* A file under the test's root, with @text as its whole content. */
static void put(const char *rel, const char *text)
{
	char path[256], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static const char *at(const char *rel)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return path;
}

/* Device @dev whose config_dir holds @value is at @want. */
static void config_dir_is(const char *dev, const char *value, const char *want)
{
	char sysfs[128], attr[128], buf[256];

	snprintf(attr, sizeof(attr), "class/%s/config_dir", dev);
	put(attr, value);
	snprintf(sysfs, sizeof(sysfs), "%s/class", root);
	CHECK(!dlb_config_dir(sysfs, "/cfs", dev, buf, sizeof(buf)),
	      "dlb_config_dir failed: %s", buf);
	CHECK(!strcmp(buf, want), "got '%s', not '%s'", buf, want);
}

static void test_config_dir_loaded(void)
{
	config_dir_is("dlb0", "dlb0\n", "/cfs/dlb0");
}

static void test_config_dir_vdev(void)
{
	config_dir_is("dlb3", "dlb0/vdevs/tenant-a\n", "/cfs/dlb0/vdevs/tenant-a");
}

static void test_config_dir_missing(void)
{
	char sysfs[128], want[256], buf[256];
	int err;

	/* A device of a module without the attribute: no guess at dlb1/. */
	put("class/dlb1/total_resources/num_ldb_queues", "32\n");
	snprintf(sysfs, sizeof(sysfs), "%s/class", root);
	err = dlb_config_dir(sysfs, "/cfs", "dlb1", buf, sizeof(buf));
	CHECK(err == -ENOENT, "returned %d", err);
	snprintf(want, sizeof(want), "%s/dlb1/config_dir", sysfs);
	CHECK(!strcmp(buf, want), "names '%s', not '%s'", buf, want);
}

static void test_config_dir_escape(void)
{
	static const char *const bad[] = {
		"/etc\n", "dlb0/../../etc\n", "..\n", "dlb0//vdevs\n", "\n",
		"dlb0/\n", "./dlb0\n", "dlb0\nx\n",
	};
	char sysfs[128], buf[256];
	unsigned int i;
	int err;

	snprintf(sysfs, sizeof(sysfs), "%s/class", root);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("class/dlb2/config_dir", bad[i]);
		err = dlb_config_dir(sysfs, "/cfs", "dlb2", buf, sizeof(buf));
		CHECK(err == -EINVAL, "'%s' returned %d (%s)", bad[i], err,
		      buf);
	}
}

static void test_read_overflow(void)
{
	char buf[8];
	int err;

	put("a", "1234567\n");
	CHECK(!attr_read(at("a"), buf, sizeof(buf)) && !strcmp(buf, "1234567"),
	      "a value that just fits: '%s'", buf);
	put("b", "12345678\n");
	err = attr_read(at("b"), buf, sizeof(buf));
	CHECK(err == -EOVERFLOW, "returned %d", err);
	err = attr_read(at("none"), buf, sizeof(buf));
	CHECK(err == -ENOENT, "missing file returned %d", err);
}

static void test_read_numbers(void)
{
	static const char *const bad[] = { "-1\n", "12x\n", "\n", " 1\n", "x" };
	uint32_t v32;
	uint64_t v64;
	unsigned int i;
	int err;

	put("n", "4294967295\n");
	CHECK(!attr_read_u32(at("n"), &v32) && v32 == UINT32_MAX, "u32 max");
	put("n", "4294967296\n");
	err = attr_read_u32(at("n"), &v32);
	CHECK(err == -ERANGE, "u32 max + 1 returned %d", err);
	CHECK(!attr_read_u64(at("n"), &v64) && v64 == 4294967296ULL, "u64");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("n", bad[i]);
		err = attr_read_u64(at("n"), &v64);
		CHECK(err == -EINVAL, "'%s' returned %d", bad[i], err);
	}
}

static void test_write_exact(void)
{
	char buf[32];

	put("w", "old value that is long\n");
	CHECK(!attr_write(at("w"), "q01 4"), "write failed");
	/* A regular file is truncated by open() only with O_TRUNC: check len. */
	CHECK(!attr_read(at("w"), buf, sizeof(buf)) &&
	      !strncmp(buf, "q01 4", 5), "read back '%s'", buf);
	CHECK(attr_write(at("nodir/w"), "1") == -ENOENT, "missing attribute");
}

static void test_parse_uint(void)
{
	unsigned long long v;

	CHECK(!parse_uint("4k", 1, 1 << 20, &v) && v == 4096, "4k");
	CHECK(!parse_uint("1M", 1, 1 << 20, &v) && v == 1 << 20, "1M");
	CHECK(parse_uint("2M", 1, 1 << 20, &v) == -EINVAL, "2M above max");
	CHECK(parse_uint("0", 1, 10, &v) == -EINVAL, "0 below min");
	CHECK(parse_uint("31", 32, 100, &v) == -EINVAL, "31 below min 32");
	CHECK(parse_uint("-1", 0, ~0ULL, &v) == -EINVAL, "-1");
	CHECK(parse_uint("", 0, 10, &v) == -EINVAL, "empty");
	CHECK(parse_uint("5x", 0, 10, &v) == -EINVAL, "5x");
	CHECK(parse_uint("18014398509481984k", 0, ~0ULL, &v) == -EINVAL,
	      "k overflowing 64 bits");
}

static void test_opt_uint_dies(void)
{
	char msg[128] = "";
	size_t len = 0;
	int fds[2], st;
	ssize_t n;
	pid_t pid;

	if (pipe(fds))
		exit(1);
	fflush(stdout);
	pid = fork();
	if (!pid) {
		dup2(fds[1], 2);
		tool_prog = "prog";
		opt_uint("--events", "0", 1, 5);
		_exit(0);
	}
	close(fds[1]);
	/* stderr is unbuffered: the message may come in several writes. */
	while (len < sizeof(msg) - 1 &&
	       (n = read(fds[0], msg + len, sizeof(msg) - 1 - len)) > 0)
		len += n;
	close(fds[0]);
	waitpid(pid, &st, 0);
	msg[len] = '\0';
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2, "status %d", st);
	CHECK(!strcmp(msg, "prog: --events: '0' is not a number in 1-5\n"),
	      "said '%s'", msg);
}

static const struct {
	void (*fn)(void);
	const char *rule;
} tests[] = {
	{ test_config_dir_loaded,
	  "config_dir: a device made at load has its own directory under the configfs root" },
	{ test_config_dir_vdev,
	  "config_dir: a virtual device's directory is its vdev's in the parent's tree" },
	{ test_config_dir_missing,
	  "config_dir: no attribute is ENOENT naming the attribute file, with no guessed path" },
	{ test_config_dir_escape,
	  "config_dir: an absolute, empty, '.' or '..' value is EINVAL: nothing outside the root" },
	{ test_read_overflow,
	  "attr_read: a value longer than the buffer is EOVERFLOW, not cut short" },
	{ test_read_numbers,
	  "attr_read_u32/u64: out of range is ERANGE; a sign, junk or nothing is EINVAL" },
	{ test_write_exact,
	  "attr_write: writes the value as given; a missing attribute is ENOENT" },
	{ test_parse_uint,
	  "parse_uint: k and M suffixes; below min, above max or overflowing is EINVAL" },
	{ test_opt_uint_dies,
	  "opt_uint: a bad value exits 2 with 'PROG: OPT: 'VALUE' is not a number in MIN-MAX'" },
};

int main(void)
{
	char cmd[128];
	unsigned int i;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		snprintf(root, sizeof(root), "/tmp/dlb-tool-test.XXXXXX");
		if (!mkdtemp(root)) {
			perror("mkdtemp");
			return 1;
		}
		failed = false;
		tests[i].fn();
		tap_result(!failed, tests[i].rule);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd))
			return 1;
	}
	return tap_done();
}
