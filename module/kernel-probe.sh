#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kernel-probe.sh SRCTREE - print the -DDLB_HAVE_* flags compat.h needs for
# the kernel whose headers are in SRCTREE, by grepping those headers. Run by
# Kbuild; distributions backport, so version numbers would lie.
h=$1/include/linux

# 6.2: struct device_type's devnode() takes a const struct device.
grep -qs 'devnode)(const struct device' "$h/device.h" &&
	printf ' %s' -DDLB_HAVE_CONST_DEVNODE
# 6.3: vm_flags_set() and vm_flags_clear().
grep -qs 'void vm_flags_set(' "$h/mm.h" &&
	printf ' %s' -DDLB_HAVE_VM_FLAGS_SET
# 5.15: <linux/stdarg.h> replaces the compiler's <stdarg.h>.
[ -f "$h/stdarg.h" ] &&
	printf ' %s' -DDLB_HAVE_LINUX_STDARG_H
echo
