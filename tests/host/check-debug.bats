#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/check-debug.bats - the debug kernel run's choice of suites. The
# run itself builds a kernel and boots it for over an hour; --dry-run stops
# after the command line is checked, before anything is built.

load ../lib/common

CHECK_DEBUG=$DLB_ROOT/scripts/check-debug

@test "check-debug: with no suite named, every suite of tests/vm runs, then tests/debug, kmemleak last" {
	run "$CHECK_DEBUG" --dry-run
	assert_success
	local expected
	expected=$(cd "$DLB_ROOT" && { ls tests/vm/*.bats; ls tests/debug/*.bats; } |
		   grep -vx tests/debug/kmemleak.bats; echo tests/debug/kmemleak.bats)
	assert_equal "$output" "$expected"
}

@test "check-debug: named suites run in the order given, once each, found in tests/vm or tests/debug" {
	run "$CHECK_DEBUG" -n datapath-force-stop fault-injection.bats \
		tests/vm/datapath-ports.bats datapath-force-stop
	assert_success
	assert_equal "$output" "tests/vm/datapath-force-stop.bats
tests/debug/fault-injection.bats
tests/vm/datapath-ports.bats
tests/debug/kmemleak.bats"
}

@test "check-debug: the kmemleak scan runs last even when named first" {
	run "$CHECK_DEBUG" -n kmemleak module
	assert_success
	assert_equal "$output" "tests/vm/module.bats
tests/debug/kmemleak.bats"
}

@test "check-debug: a name that is no suite is a usage error naming it" {
	run "$CHECK_DEBUG" -n module no-such-suite
	assert_failure 2
	assert_output --partial "no suite 'no-such-suite'"
	run "$CHECK_DEBUG" -n ../host/vm-run
	assert_failure 2
	assert_output --partial "no suite '../host/vm-run'"
}

@test "check-debug: an unknown option is a usage error, --help documents SUITE" {
	run "$CHECK_DEBUG" --frobnicate
	assert_failure 2
	assert_output --partial "unknown option --frobnicate"
	run "$CHECK_DEBUG" --help
	assert_success
	assert_line --index 0 "check-debug [-n|--dry-run] [SUITE...]"
	assert_output --partial "datapath-ports"
}
