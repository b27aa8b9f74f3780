// SPDX-License-Identifier: GPL-2.0
/*
 * common.c - what every dlbcfg subcommand shares beyond the tools' common
 * module (tools/common/tool.c, which has die() and attribute reads): the
 * error format (FILE:LINE: PATH: what), allocation that cannot fail,
 * attributes in allocated strings, atomic file replacement and a growable
 * string.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlbcfg.h"

bool dlbcfg_verbose;
bool dlbcfg_quiet;
unsigned int dlbcfg_errors;
struct common_opts dlbcfg_opts;

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
	char *buf = xmalloc(ATTR_MAX + 1);
	int err = attr_read(path, buf, ATTR_MAX + 1);

	if (err) {
		free(buf);
		errno = -err;
		return NULL;
	}
	return buf;
}

/* The value and a newline, as echo writes it. */
int write_attr(const char *path, const char *val)
{
	char *buf = xasprintf("%s\n", val);
	int ret = attr_write(path, buf);

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
