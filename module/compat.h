/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the one place that absorbs kernel API differences between the
 * kernels dlb supports (Debian 12's 6.1 up to current mainline). Code
 * elsewhere uses the names defined here and never tests versions itself.
 */
#ifndef DLB_COMPAT_H
#define DLB_COMPAT_H

#include <linux/version.h>

/* 6.2 made struct class's devnode() take a const struct device. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define DLB_DEVNODE_CONST const
#else
#define DLB_DEVNODE_CONST
#endif

#endif /* DLB_COMPAT_H */
