/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_rules_env.h (kernel) - the start rules' one window on their
 * environment (module/rules/dlb_rules.h), mapped to the kernel.
 * tools/dlbcfg/env/dlb_rules_env.h is the userspace replacement with the
 * same include guard; the build selects one by include path. Keep both
 * tiny and in step.
 */
#ifndef DLB_RULES_ENV_H
#define DLB_RULES_ENV_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/types.h>

#include "../../compat.h"	/* va_list */

#define dlb_rules_snprintf snprintf
#define dlb_rules_vsnprintf vsnprintf

#endif /* DLB_RULES_ENV_H */
