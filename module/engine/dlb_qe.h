/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * dlb_qe.h - the two 16-byte records that cross between producers, the
 * scheduling engine and consumers: the queue entry (struct dlb_qe) and the
 * dequeue entry (struct dlb_deq). They are ABI, so they are defined once,
 * in the uapi header; this header keeps the engine's include.
 */
#ifndef DLB_QE_H
#define DLB_QE_H

#include "../uapi/linux/dlb.h"

/*
 * Both records are 16 bytes with no padding; dlb_engine.h and dlb_cq.h
 * assert it at build time on both sides of the interface.
 */

#endif /* DLB_QE_H */
