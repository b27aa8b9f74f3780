/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_engine_env.h (kernel) - the scheduling engine's one window on its
 * environment, mapped to the kernel. tools/engine/dlb_engine_env.h is
 * the userspace replacement with the same include guard; the build selects
 * one by include path. Keep both tiny and in step.
 */
#ifndef DLB_ENGINE_ENV_H
#define DLB_ENGINE_ENV_H

#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/barrier.h>

/* Zeroed memory; may sleep. Large tables come from vmalloc. */
static inline void *dlb_env_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static inline void dlb_env_free(void *p)
{
	kvfree(p);
}

/* Index of the lowest set bit; undefined for 0. */
static inline unsigned int dlb_env_ctz32(u32 x)
{
	return __ffs(x);
}

static inline unsigned int dlb_env_ctz64(u64 x)
{
	return __ffs64(x);
}

static inline unsigned int dlb_env_popcount64(u64 x)
{
	return hweight64(x);
}

#define dlb_env_snprintf snprintf
#define dlb_env_vsnprintf vsnprintf

#endif /* DLB_ENGINE_ENV_H */
