// SPDX-License-Identifier: GPL-2.0
/*
 * common.c - what every dlbcfg subcommand shares: die() and the error
 * format (FILE:LINE: PATH: what), allocation that cannot fail, attribute
 * reads and writes, atomic file replacement and a growable string.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlbcfg.h"

const char *dlbcfg_prog = "dlbcfg";
bool dlbcfg_verbose;
bool dlbcfg_quiet;
unsigned int dlbcfg_errors;
struct common_opts dlbcfg_opts;

static void vmessage(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", dlbcfg_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(status);
}

void warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

/*
 * The one format of every complaint about a file, so editors and CI can
 * jump to it: "FILE:LINE: PATH: message".
 */
void cfg_error(const char *file, int line, const char *path,
	       const char *fmt, ...)
{
	va_list ap;

	dlbcfg_errors++;
	if (dlbcfg_quiet)
		return;
	fprintf(stderr, "%s:%d: ", file ? file : "-", line);
	if (path && *path)
		fprintf(stderr, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die(EXIT_REFUSED, "out of memory");
	return p;
}

void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p)
		die(EXIT_REFUSED, "out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die(EXIT_REFUSED, "out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die(EXIT_REFUSED, "out of memory");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		die(EXIT_REFUSED, "out of memory");
	return p;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = sb->cap - sb->len;

		va_start(ap, fmt);
		n = vsnprintf(sb->buf ? sb->buf + sb->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			die(EXIT_REFUSED, "bad format");
		if ((size_t)n < room) {
			sb->len += n;
			return;
		}
		sb->cap = (sb->cap + n + 1) * 2;
		sb->buf = xrealloc(sb->buf, sb->cap);
	}
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/* configfs and sysfs attributes hold at most a page. */
#define ATTR_MAX 4096

char *read_attr(const char *path)
{
	char *buf;
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = xmalloc(ATTR_MAX + 1);
	n = read(fd, buf, ATTR_MAX);
	err = errno;
	close(fd);
	if (n < 0) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

/*
 * One write() of the value and a newline, as echo does: configfs takes an
 * attribute in one write, and a short write would be a partial value.
 */
int write_attr(const char *path, const char *val)
{
	char *buf = xasprintf("%s\n", val);
	size_t len = strlen(buf);
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		free(buf);
		return ret;
	}
	n = write(fd, buf, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	free(buf);
	return ret;
}

int write_file_atomic(const char *path, const char *text, size_t len)
{
	char *tmp = xasprintf("%s.tmpXXXXXX", path);
	size_t done = 0;
	int fd, err;

	fd = mkstemp(tmp);
	if (fd < 0)
		goto fail;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail_fd;
		}
		done += n;
	}
	/* The file a reader finds is either the old one or all of the new. */
	if (fchmod(fd, 0644) || fsync(fd))
		goto fail_fd;
	if (close(fd))
		goto fail_unlink;
	if (rename(tmp, path))
		goto fail_unlink;
	free(tmp);
	return 0;

fail_fd:
	err = errno;
	close(fd);
	errno = err;
fail_unlink:
	err = errno;
	unlink(tmp);
	errno = err;
fail:
	free(tmp);
	return -1;
}

/*
 * File names the trees point at: libconfig's copies die with its config,
 * these live as long as the program (a handful per run).
 */
const char *intern(const char *s)
{
	static char **tab;
	static unsigned int nr;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!strcmp(tab[i], s))
			return tab[i];
	}
	tab = xrealloc(tab, (nr + 1) * sizeof(*tab));
	tab[nr] = xstrdup(s);
	return tab[nr++];
}
