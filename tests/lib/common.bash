# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/lib/common.bash - what every bats suite of dlb shares. Load it with
#
#	load ../lib/common
#
# It loads bats-support, bats-assert and bats-file (Debian's), and gives:
#
#   DLB_ROOT, DLB_KO        the repository and the freshly built module
#   DLB_SYSFS, DLB_CONFIGFS /sys/class/dlb and /sys/kernel/config/dlb
#   DLB_RESOURCES           the nine resource names, in sysfs order
#   DLB_RES_MAX             name -> DLB 2.0 total (the software default)
#   dlb_load [PARAM=V...]   insmod module/dlb.ko (status of insmod)
#   dlb_unload              rmmod dlb if it is loaded (any build of it)
#   dlb_loaded              true if a dlb module is loaded
#   dlb_kmsg                the kernel log since this test started
#   dlb_cfs_dir DEV         DEV's configfs directory, from its config_dir
#   assert_attr FILE VALUE  FILE's first line is VALUE (reads without a fork)
#
# Inside the test VM (DLB_VM=1), every test's kernel log is checked with
# scripts/check-dmesg after the test: a WARN, BUG, lockdep or other report
# fails the test that caused it. The default setup() and teardown() below
# do that; a suite that needs its own calls dlb_common_setup first in its
# setup() and dlb_common_teardown last in its teardown(), e.g.
#
#	setup() { dlb_common_setup; dlb_load; }
#	teardown() { dlb_unload; dlb_common_teardown; }

BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

DLB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DLB_KO=$DLB_ROOT/module/dlb.ko
DLB_SYSFS=/sys/class/dlb
DLB_CONFIGFS=/sys/kernel/config/dlb

# The resources' sysfs names and DLB 2.0's totals, read from the module's
# one table (module/rules/dlb_resource_table.h) and its DLB_MAX_<ENUM>
# (dlb_resources.h). Builtins only: this runs for every test.
DLB_RESOURCES=()
# shellcheck disable=SC2034  # used by the suites
declare -gA DLB_RES_MAX=()
dlb_read_resource_table() {
	local line enum name rest
	local -A max=()

	while read -r line; do
		[[ $line =~ ^#define\ DLB_MAX_([A-Z_]+)[[:space:]]+([0-9]+)$ ]] &&
			max[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
	done <"$DLB_ROOT/module/rules/dlb_resources.h"
	while read -r line; do
		[[ $line == DLB_RES\(* ]] || continue
		rest=${line#DLB_RES(}
		enum=${rest%%,*}
		rest=${rest#*, }
		name=${rest%%,*}
		DLB_RESOURCES+=("$name")
		DLB_RES_MAX[$name]=${max[$enum]}
	done <"$DLB_ROOT/module/rules/dlb_resource_table.h"
}
dlb_read_resource_table

dlb_loaded() {
	[[ -d /sys/module/dlb ]]
}

dlb_load() {
	insmod "$DLB_KO" "$@"
}

dlb_unload() {
	if dlb_loaded; then
		rmmod dlb
	fi
}

# dlb_cfs_dir DEV: where DEV's domains/ is, as the kernel says:
# $DLB_CONFIGFS/dlb0, or $DLB_CONFIGFS/dlb0/vdevs/NAME for a virtual device.
dlb_cfs_dir() {
	local d
	read -r d <"$DLB_SYSFS/$1/config_dir" || return
	echo "$DLB_CONFIGFS/$d"
}

# Under emulation every fork costs tens of milliseconds: read attribute
# files with the read builtin rather than $(cat ...).
assert_attr() {
	local file=$1 want=$2 got

	read -r got <"$file" || fail "cannot read $file"
	assert_equal "$file: $got" "$file: $want"
}

# The directory of the CDI JSON schema (schema.json, defs.json) from
# Debian's Go package of the CDI library, which moved from the project's
# old import path (up to Debian 12) to tags.cncf.io (sid); fails if
# neither has it.
cdi_schema_dir() {
	local d

	for d in /usr/share/gocode/src/{tags.cncf.io,github.com/container-orchestrated-devices}/container-device-interface/schema; do
		[[ -f $d/schema.json ]] && { echo "$d"; return 0; }
	done
	return 1
}

# The kernel log after this test's start marker, its last copy if the log
# has it twice (all of the log outside the VM, where there is no marker).
dlb_kmsg() {
	dmesg | awk -v mark="${DLB_KMSG_MARK:-}" '
		BEGIN { n = -1 }
		mark == "" { print; next }
		index($0, mark) { n = 0; next }
		n >= 0 { line[n++] = $0 }
		END { for (i = 0; i < n; i++) print line[i] }'
}

dlb_common_setup() {
	DLB_KMSG_MARK=
	[[ ${DLB_VM:-0} == 1 ]] || return 0
	# Unique per call (a test may mark several steps; $RANDOM once repeated
	# within one); the description is only for whoever reads the log.
	DLB_KMSG_MARK="dlb-test: begin $$.$BATS_SUITE_TEST_NUMBER.${EPOCHREALTIME/./}:"
	echo "$DLB_KMSG_MARK $BATS_TEST_DESCRIPTION" >/dev/kmsg
}

dlb_common_teardown() {
	local reports

	[[ ${DLB_VM:-0} == 1 && -n ${DLB_KMSG_MARK:-} ]] || return 0
	if ! reports=$(dlb_kmsg | "$DLB_ROOT/scripts/check-dmesg" -); then
		printf '%s\n' "the kernel log has reports from this test:" \
			"$reports" | fail
	fi
}

setup() {
	dlb_common_setup
}

teardown() {
	dlb_common_teardown
}
