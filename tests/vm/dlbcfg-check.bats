#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/dlbcfg-check.bats - an invalid file is refused before configfs
# is touched. What check reports for each kind of invalid file (FILE:LINE,
# object path, what is wrong) is tested on the host, where no kernel is
# needed: tests/dlbcfg (make -C tests/dlbcfg check) over its corpus/ and
# verdicts/. Here only what needs a live device: that nothing reaches it.

load ../lib/common
load ../lib/configfs
load ../dlbcfg/vm-helpers

setup() {
	cfs_setup
	dlbcfg_need_tool
	before=$(dlbcfg_snapshot)
}

teardown() {
	# nothing an invalid file says may reach configfs
	assert_equal "$(dlbcfg_snapshot)" "$before"
	cfs_teardown
}

@test "dlbcfg check: no invalid file changes configfs or the device's resources" {
	local f bad=()

	for f in "$DLB_ROOT"/tests/dlbcfg/corpus/*.cfg \
		 "$DLB_ROOT"/tests/dlbcfg/verdicts/*.cfg; do
		run "$DLBCFG" check "$f"
		[[ $status == 1 ]] || bad+=("${f##*/}: status $status")
	done
	((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${bad[@]}")"
}

@test "dlbcfg apply: an invalid file exits 1 and changes nothing" {
	run "$DLBCFG" apply "$DLB_ROOT/tests/dlbcfg/corpus/broken-link.cfg"
	assert_equal "$status" 1
	assert_output --partial "1 error"
}
