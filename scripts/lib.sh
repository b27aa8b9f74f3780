# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# scripts/lib.sh - what the dlb shell scripts share: where things live, how
# they report, and how they find the kernel the test VM boots. Sourced, not
# run.

DLB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DLB_CACHE=${DLB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dlb}

# checkpatch.pl and the data files it reads beside it, extracted by
# scripts/install-deps from Debian's linux-source-6.1.
DLB_LINUX_SRC_TAR=/usr/src/linux-source-6.1.tar.xz
DLB_CHECKPATCH=$DLB_CACHE/src/linux-source-6.1/scripts/checkpatch.pl

dlb_prog=$(basename "$0")

dlb_die() {
	echo "$dlb_prog: $*" >&2
	exit 1
}

dlb_say() {
	echo "$dlb_prog: $*" >&2
}

# The Debian kernel the VM boots by default: the newest one with both an
# image in /boot and a build tree to compile the module against, else the
# newest image.
dlb_default_kernel() {
	local v best= any=

	for v in $(ls /boot/vmlinuz-* 2>/dev/null | sed 's|^/boot/vmlinuz-||' |
		   sort -V); do
		any=$v
		[[ -f /lib/modules/$v/build/Makefile ]] && best=$v
	done
	echo "${best:-$any}"
}

dlb_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$DLB_ROOT/dkms.conf"
}
