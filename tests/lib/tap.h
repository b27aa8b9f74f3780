/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tap.h - the TAP output of the C test programs under tests/ (the engine's
 * tests, the tools' common module); bats is the harness of the shell
 * tests. One "ok N - RULE" or "not ok N - RULE" line per test, named as the
 * rule it checks; a failure's diagnostics ("# FILE:LINE: ...") come before
 * its line; the plan comes last, from tap_done(), so a program that dies
 * halfway has none and fails in its harness.
 */
#ifndef DLB_TAP_H
#define DLB_TAP_H

#include <stdarg.h>
#include <stdbool.h>

/* A diagnostic line about a failure at @file:@line. */
void tap_diag(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tap_vdiag(const char *file, int line, const char *fmt, va_list ap);

/* A comment line: what a test ran with (a seed, counts). */
void tap_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The next test's result line; returns its number. */
unsigned int tap_result(bool ok, const char *rule);

/* The plan; returns the exit status: 1 if a test failed, else 0. */
int tap_done(void);

#endif /* DLB_TAP_H */
