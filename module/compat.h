/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the one place where kernel API differences between the
 * kernels dlb builds on (5.10 to 7.x) are bridged. Each DLB_HAVE_* symbol is
 * set by a probe of the target kernel's headers in Kbuild, not by version
 * numbers: distributions backport.
 */
#ifndef DLB_COMPAT_H
#define DLB_COMPAT_H

#include <linux/device.h>
#include <linux/mm.h>

/* 5.15 moved the kernel's va_list from the compiler's <stdarg.h>. */
#ifdef DLB_HAVE_LINUX_STDARG_H
#include <linux/stdarg.h>
#else
#include <stdarg.h>
#endif

/*
 * 6.2 made the device pointer of struct device_type's devnode() const.
 * Declare the device of a devnode callback DLB_DEVNODE_CONST.
 */
#ifdef DLB_HAVE_CONST_DEVNODE
#define DLB_DEVNODE_CONST const
#else
#define DLB_DEVNODE_CONST
#endif

/* 6.3 made vm_flags read-only; it is changed through vm_flags_*(). */
static inline void dlb_vm_flags_set(struct vm_area_struct *vma,
				    unsigned long flags)
{
#ifdef DLB_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

static inline void dlb_vm_flags_clear(struct vm_area_struct *vma,
				      unsigned long flags)
{
#ifdef DLB_HAVE_VM_FLAGS_SET
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

#endif /* DLB_COMPAT_H */
