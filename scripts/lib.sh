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

# QEMU's virtiofsd (qemu-system-x86's), for a guest kernel without 9p.
DLB_VIRTIOFSD=${DLB_VIRTIOFSD:-/usr/lib/qemu/virtiofsd}

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

# Where apt's sources are (a test points it elsewhere).
DLB_APT_ETC=${DLB_APT_ETC:-/etc/apt}

# dlb_debian_stanzas: the deb822 stanzas of the Debian archive that apt here
# already uses (signed with Debian's archive keyring), one-line entries of
# sources.list converted, separated by blank lines. The scripts derive new
# apt entries from them, so they never name a mirror of their own.
dlb_debian_stanzas() {
	local f

	for f in "$DLB_APT_ETC"/sources.list.d/*.sources; do
		[[ -f $f ]] || continue
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /debian-archive-keyring/ && /(^|\n)Types:[^\n]*deb( |\n|$)/' "$f"
	done
	[[ -f $DLB_APT_ETC/sources.list ]] &&
		awk '$1 == "deb" && $2 !~ /^\[/ {
			printf "Types: deb\nURIs: %s\nSuites: %s\nComponents:", $2, $3
			for (i = 4; i <= NF; i++)
				printf " %s", $i
			printf "\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
		     }' "$DLB_APT_ETC/sources.list"
	return 0
}

# dlb_debian_mirror: the first URI of the Debian archive apt uses here.
dlb_debian_mirror() {
	dlb_debian_stanzas | sed -n 's/^URIs: *\([^ ]*\).*/\1/p' |
		grep -v -- '-security' | head -n 1
}

# dlb_apt_derive TYPES [SUITE]: the Debian archive's stanzas with Types set
# to TYPES (e.g. "deb-src"); with SUITE, only the main archive's stanzas
# (not the security archive's), moved to that suite (e.g.
# "bookworm-backports").
dlb_apt_derive() {
	dlb_debian_stanzas | awk -v t="$1" -v s="${2:-}" '
		BEGIN { RS = ""; ORS = "\n"; FS = "\n" }
		s != "" && /-security/ { next }
		{
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^Types:/)
					$i = "Types: " t
				else if (s != "" && $i ~ /^Suites:/)
					$i = "Suites: " s
				print $i
			}
			print ""
		}'
}

# dlb_apt_add_list NAME TYPES [SUITE]: write
# $DLB_APT_ETC/sources.list.d/dlb-NAME.sources with dlb_apt_derive TYPES
# SUITE, then apt-get update. Nothing happens if the file is there already.
dlb_apt_add_list() {
	local list=$DLB_APT_ETC/sources.list.d/dlb-$1.sources sudo= stanzas

	[[ -f $list ]] && return 0
	[[ $(id -u) == 0 ]] || sudo=sudo
	stanzas=$(dlb_apt_derive "$2" "${3:-}")
	[[ -n $stanzas ]] ||
		dlb_die "apt has no entry of Debian's archive to derive $list from"
	dlb_say "adding $list"
	printf '# Added by dlb'\''s %s, derived from the Debian entries apt had.\n%s\n' \
		"$dlb_prog" "$stanzas" | $sudo tee "$list" >/dev/null
	$sudo apt-get update -q >&2
}
