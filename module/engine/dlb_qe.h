/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlb_qe.h - the two 16-byte records that cross between producers, the
 * scheduling engine and consumers: the queue entry (struct dlb_qe) and the
 * dequeue entry (struct dlb_deq). They are ABI, so they are defined once,
 * in the uapi header; this header keeps the engine's include and checks
 * the sizes the engine relies on.
 */
#ifndef DLB_QE_H
#define DLB_QE_H

#include "../uapi/linux/dlb.h"

_Static_assert(sizeof(struct dlb_qe) == 16, "struct dlb_qe is 16 bytes");
_Static_assert(sizeof(struct dlb_deq) == 16, "struct dlb_deq is 16 bytes");

#endif /* DLB_QE_H */
