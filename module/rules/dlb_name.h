/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * dlb_name.h - the rule for the names of domains, queues, ports and
 * virtual devices: one implementation for dlb.ko (configfs mkdir, vdev
 * creation) and for the userspace that names them before the kernel sees
 * the name (dlbcfg, event_dlbk, whose licence this header's allows).
 * Names become parts of device file names, so they are kept to
 * [a-z0-9][a-z0-9_-]{0,31}. Plain C: needs bool and nothing else.
 */
#ifndef DLB_NAME_H
#define DLB_NAME_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#endif

/* The longest name, without its NUL. */
#define DLB_OBJ_NAME_MAX	32

/**
 * dlb_obj_name_valid() - whether a name may name a domain, queue or port
 * @name: the name, NUL-terminated
 *
 * Context: any.
 * Return: true if @name is 1 to %DLB_OBJ_NAME_MAX characters of a-z, 0-9,
 * '_' and '-', the first a letter or digit.
 */
static inline bool dlb_obj_name_valid(const char *name)
{
	unsigned int i;
	char c;

	for (i = 0; name[i]; i++) {
		c = name[i];
		if (i == DLB_OBJ_NAME_MAX)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      (i && (c == '_' || c == '-'))))
			return false;
	}
	return i > 0;
}

#endif /* DLB_NAME_H */
