/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tool.h - what the dlb tools share (tools/common/tool.c): where the
 * kernel's files are, die() and warning() with the program's name,
 * attribute reads and writes that return -errno, the configfs directory
 * of a device, and parsing a bounded number option.
 *
 * The attribute functions and dlb_config_dir() never print and never
 * exit, so a library (the DPDK driver event_dlbk) can use them and report
 * through its own log; die() and warning() are for programs.
 */
#ifndef DLB_TOOL_H
#define DLB_TOOL_H

#include <stddef.h>
#include <stdint.h>

/* The kernel's files, in one place; a tool's option may point elsewhere. */
#define DLB_CONFIGFS_ROOT	"/sys/kernel/config/dlb"
#define DLB_SYSFS_CLASS		"/sys/class/dlb"
#define DLB_PORT_SYSFS_CLASS	"/sys/class/dlb_port"
#define DLB_DEVFS		"/dev/dlb"

/*
 * The program's name in messages ("dlbcfg apply"); set by main(), or the
 * name it was run by if not.
 */
extern const char *tool_prog;

/* "PROG: message" on stderr, then exit(@status). */
void die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* "PROG: message" on stderr. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Read the attribute @path into @buf (@size bytes, NUL-terminated) and
 * strip one trailing newline: 0, or -errno (-EOVERFLOW if it does not fit).
 */
int attr_read(const char *path, char *buf, size_t size);
/* Read a decimal number attribute: 0, or -errno (-EINVAL: not a number). */
int attr_read_u32(const char *path, uint32_t *v);
int attr_read_u64(const char *path, uint64_t *v);
/* Write @val to the attribute @path in one write(): 0, or -errno. */
int attr_write(const char *path, const char *val);

/*
 * The configfs directory of the dlb device @dev (dlb0, or a vdev's dlb3):
 * @cfsroot joined with the device's sysfs attribute config_dir (relative
 * to the configfs root: "dlb0", or "dlb0/vdevs/tenant-a" for a vdev).
 * NULL roots mean DLB_SYSFS_CLASS and DLB_CONFIGFS_ROOT. Returns 0, or
 * -errno with the path of the attribute it read in @buf to name in the
 * error: -ENOENT when the attribute is missing (no such device, or a
 * module without it), -EINVAL when its value is not a relative path.
 */
int dlb_config_dir(const char *sysfs, const char *cfsroot, const char *dev,
		   char *buf, size_t size);

/*
 * A decimal number in [@min, @max], with an optional k or M suffix
 * (x1024, x1048576): 0, or -EINVAL.
 */
int parse_uint(const char *s, unsigned long long min, unsigned long long max,
	       unsigned long long *out);
/*
 * The value of option @opt (as the user typed it, "--events") or die
 * with status 2: "PROG: --events: 'x' is not a number in 1-100".
 */
unsigned long long opt_uint(const char *opt, const char *arg,
			    unsigned long long min, unsigned long long max);

#endif /* DLB_TOOL_H */
