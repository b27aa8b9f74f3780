// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tool.c - the common module of the dlb tools (see tool.h): messages
 * with the program's name, attribute reads and writes, the configfs
 * directory of a device, bounded number options.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

const char *tool_prog;

/* One fprintf(), so threads' messages do not interleave. */
static void vmessage(const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	fprintf(stderr, "%s: %s\n", tool_prog ? tool_prog :
		program_invocation_short_name, msg ? msg : fmt);
	free(msg);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(status);
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

int attr_read(const char *path, char *buf, size_t size)
{
	ssize_t n, more;
	char extra[2];
	int fd, err = 0;

	if (!size)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		err = -errno;
	} else if ((size_t)n == size - 1) {
		/*
		 * Full: only the newline that is stripped may be left over
		 * (sysfs and configfs hand the whole value to one read).
		 */
		more = read(fd, extra, sizeof(extra));
		if (more > 1 || (more == 1 && extra[0] != '\n'))
			err = -EOVERFLOW;
	}
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static int attr_read_ull(const char *path, unsigned long long max,
			 unsigned long long *v)
{
	char buf[32], *end;
	int err;

	err = attr_read(path, buf, sizeof(buf));
	if (err)
		return err;
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (errno || *end || *v > max)
		return errno == ERANGE || *v > max ? -ERANGE : -EINVAL;
	return 0;
}

int attr_read_u32(const char *path, uint32_t *v)
{
	unsigned long long x;
	int err = attr_read_ull(path, UINT32_MAX, &x);

	if (!err)
		*v = (uint32_t)x;
	return err;
}

int attr_read_u64(const char *path, uint64_t *v)
{
	unsigned long long x;
	int err = attr_read_ull(path, UINT64_MAX, &x);

	if (!err)
		*v = x;
	return err;
}

int attr_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* configfs takes a value in one write: a short one is a partial value. */
	n = write(fd, val, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* A relative path of plain names: no "", ".", ".." component. */
static int config_dir_valid(const char *rel)
{
	const char *p = rel;
	size_t len;

	if (!*rel || *rel == '/')
		return 0;
	for (;;) {
		len = strcspn(p, "/");
		if (!len || (len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!p[len])
			return !strchr(rel, '\n');
		p += len + 1;
	}
}

int dlb_config_dir(const char *sysfs, const char *cfsroot, const char *dev,
		   char *buf, size_t size)
{
	char attr[4096], rel[4096];
	int n, err;

	n = snprintf(attr, sizeof(attr), "%s/%s/config_dir",
		     sysfs ? sysfs : DLB_SYSFS_CLASS, dev);
	if (n < 0 || (size_t)n >= sizeof(attr))
		return -ENAMETOOLONG;
	err = attr_read(attr, rel, sizeof(rel));
	if (!err && !config_dir_valid(rel))
		err = -EINVAL;
	if (!err) {
		n = snprintf(buf, size, "%s/%s",
			     cfsroot ? cfsroot : DLB_CONFIGFS_ROOT, rel);
		if (n >= 0 && (size_t)n < size)
			return 0;
		err = -ENAMETOOLONG;
	}
	snprintf(buf, size, "%s", attr);
	return err;
}

int parse_uint(const char *s, unsigned long long min, unsigned long long max,
	       unsigned long long *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end == 'k' || *end == 'K')
		mul = 1024;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024;
	if (mul != 1) {
		if (v > max / mul)
			return -EINVAL;
		v *= mul;
		end++;
	}
	if (*end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

unsigned long long opt_uint(const char *opt, const char *arg,
			    unsigned long long min, unsigned long long max)
{
	unsigned long long v;

	if (parse_uint(arg, min, max, &v))
		die(2, "%s: '%s' is not a number in %llu-%llu", opt, arg, min,
		    max);
	return v;
}
