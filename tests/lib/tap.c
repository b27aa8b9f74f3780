// SPDX-License-Identifier: GPL-2.0
/*
 * tap.c - the TAP output of the C test programs (see tap.h).
 */
#include <stdio.h>

#include "tap.h"

static unsigned int tap_run, tap_failed;

void tap_vdiag(const char *file, int line, const char *fmt, va_list ap)
{
	printf("# %s:%d: ", file, line);
	vprintf(fmt, ap);
	putchar('\n');
}

void tap_diag(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vdiag(file, line, fmt, ap);
	va_end(ap);
}

void tap_note(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

unsigned int tap_result(bool ok, const char *rule)
{
	tap_run++;
	tap_failed += !ok;
	printf("%sok %u - %s\n", ok ? "" : "not ", tap_run, rule);
	/* A crash after this line must not take the line with it. */
	fflush(stdout);
	return tap_run;
}

int tap_done(void)
{
	printf("1..%u\n", tap_run);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}
