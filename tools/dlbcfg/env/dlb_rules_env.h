/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_rules_env.h (userspace) - the start rules' environment for dlbcfg:
 * the replacement of module/rules/kernel/dlb_rules_env.h, with the same
 * include guard, selected by include path. Keep both tiny and in step.
 */
#ifndef DLB_RULES_ENV_H
#define DLB_RULES_ENV_H

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef uint32_t u32;

#define __printf(a, b) __attribute__((format(printf, a, b)))

#define dlb_rules_snprintf snprintf
#define dlb_rules_vsnprintf vsnprintf

#endif /* DLB_RULES_ENV_H */
