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

# The Debian kernel the VM boots by default: the one the linux-image-amd64
# metapackage stands for (Debian 12's 6.1), if its image and build tree are
# installed; else the newest kernel with both, else the newest image.
# Installing other kernels (a 6.12 for the kernel matrix, say) must not
# change what "make check" tests.
dlb_default_kernel() {
	local v best= any= meta

	meta=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
	       sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
	if [[ -n $meta && -f /boot/vmlinuz-$meta &&
	      -f /lib/modules/$meta/build/Makefile ]]; then
		echo "$meta"
		return
	fi
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
