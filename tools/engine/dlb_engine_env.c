// SPDX-License-Identifier: GPL-2.0
/*
 * dlb_engine_env.c - the userspace environment's state: the allocation
 * counter and the allocation-failure knob declared in dlb_engine_env.h.
 */
#include "dlb_engine_env.h"

long dlb_env_allocs;
long dlb_env_fail_at;
