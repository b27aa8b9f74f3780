#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/tap-count.bats - scripts/tap-count, which make check trusts to
# count every result: a "not ok" anywhere counts, skips are told apart, and
# results a plan promised but never printed are reported missing.

load ../lib/common

COUNT=$DLB_ROOT/scripts/tap-count

@test "tap-count: counts passed, failed and skipped bats results" {
	run "$COUNT" <<'TAP'
1..4
ok 1 module: loads
not ok 2 sysfs: modes are 0444
# (in test file tests/vm/module.bats, line 3)
ok 3 dkms: installs # skip no dkms
ok 4 configfs: groups vanish
TAP
	assert_success
	assert_output "2 1 1 0"
}

@test "tap-count: a not ok after other output still counts" {
	run "$COUNT" <<'TAP'
vm-run: booting 6.1.0-56-amd64
1..2
ok 1 a
[   12.0] some kernel line
not ok 2 b
vm-run: FAILED: the kernel log has reports:
TAP
	assert_output "1 1 0 0"
}

@test "tap-count: diagnostics that look like results do not count" {
	run "$COUNT" <<'TAP'
1..1
ok 1 a
# ok 7 not a result
#   not ok 8 nor this
TAP
	assert_output "1 0 0 0"
}

@test "tap-count: results a plan promised but never came are missing" {
	run "$COUNT" <<'TAP'
1..5
ok 1 a
not ok 2 b
TAP
	assert_output "1 1 0 3"
}

@test "tap-count: plans of several streams add up" {
	run "$COUNT" <<'TAP'
1..2
ok 1 a
ok 2 b
1..3
ok 1 c
ok 2 d # SKIP later
TAP
	assert_output "3 0 1 1"
}

@test "tap-count: no output counts nothing" {
	run "$COUNT" </dev/null
	assert_success
	assert_output "0 0 0 0"
}
