/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * dlb_engine_env.h (userspace) - the scheduling engine's environment mapped
 * to libc and the compiler's builtins, for tests, fuzzers and benchmarks.
 * Same include guard as module/engine/kernel/dlb_engine_env.h; the build
 * selects one by include path.
 *
 * Allocation is counted (dlb_env_allocs, which every test checks returns to
 * zero) and can be made to fail: dlb_env_fail_at = N makes the Nth
 * allocation from now fail (1 = the next one), 0 disables.
 */
#ifndef DLB_ENGINE_ENV_H
#define DLB_ENGINE_ENV_H

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif

#ifndef noinline
#define noinline	__attribute__((__noinline__))
#endif

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)

#ifndef min_t
#define min_t(type, a, b)						\
	({								\
		type __a = (a);						\
		type __b = (b);						\
		__a < __b ? __a : __b;					\
	})
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

extern long dlb_env_allocs;	/* live allocations */
extern long dlb_env_fail_at;	/* fail the Nth allocation from now; 0: never */

static inline void *dlb_env_zalloc(size_t size)
{
	void *p;

	if (dlb_env_fail_at > 0 && --dlb_env_fail_at == 0)
		return NULL;
	p = calloc(1, size);
	if (p)
		dlb_env_allocs++;
	return p;
}

static inline void dlb_env_free(void *p)
{
	if (p) {
		dlb_env_allocs--;
		free(p);
	}
}

static inline unsigned int dlb_env_ctz32(u32 x)
{
	return (unsigned int)__builtin_ctz(x);
}

static inline unsigned int dlb_env_ctz64(u64 x)
{
	return (unsigned int)__builtin_ctzll(x);
}

static inline unsigned int dlb_env_popcount64(u64 x)
{
	return (unsigned int)__builtin_popcountll(x);
}

#define dlb_env_snprintf snprintf
#define dlb_env_vsnprintf vsnprintf
#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

/* An engine bug: loud and fatal in tests and fuzzers. */
#define WARN_ON_ONCE(cond)						\
	({								\
		bool __c = !!(cond);					\
		if (__c) {						\
			fprintf(stderr, "%s:%d: WARN_ON_ONCE(%s)\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
		__c;							\
	})

#endif /* DLB_ENGINE_ENV_H */
