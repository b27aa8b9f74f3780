#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/debug/kmemleak.bats - run last by `make check-debug`, in the debug
# VM, after every suite of tests/vm: nothing dlb allocated during them is
# left unreferenced. scripts/check-debug clears the suspects found at boot
# before the suites start, so what is reported here comes from them.

load ../lib/common

setup() {
	dlb_common_setup
	[[ -e /sys/kernel/debug/kmemleak ]] ||
		skip "kernel without kmemleak (make check-debug boots one)"
}

@test "kmemleak: after the suites and a last load and unload, no object dlb allocated is unreferenced" {
	# A last cycle, so a module that leaks only on its way out is caught
	# even when no suite unloaded it.
	dlb_load
	dlb_unload
	run "$DLB_ROOT/scripts/kmemleak" report
	echo "$output"
	assert_success
	assert_output --partial "kmemleak: 0 suspects allocated by dlb"
}
