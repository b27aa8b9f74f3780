#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/vm-run.bats - the test VM harness end to end: it runs the
# command as root in the guest with the module loaded, passes its output
# and exit status back, and fails a run whose guest kernel log has a report
# or that outlives its timeout. Each test boots a VM (seconds).

load ../lib/common

VM_RUN=$DLB_ROOT/scripts/vm-run

@test "vm-run: runs the command as root with dlb loaded and returns its status and output" {
	[[ -f $DLB_KO ]] || skip "module/dlb.ko is not built"
	run "$VM_RUN" -q -- bash -c \
		'echo "uid $(id -u) in $PWD"; cat /sys/class/dlb/dlb0/device_type; echo oops-not-really >&2; exit 7'
	assert_failure 7
	assert_line "uid 0 in $PWD"
	assert_line sw
	assert_line oops-not-really
}

@test "vm-run: --no-load leaves dlb unloaded, and the guest's writes stay in the guest" {
	local marker=$DLB_ROOT/out/vm-run-test-$$

	run "$VM_RUN" -q --no-load -- bash -c \
		"test ! -d /sys/module/dlb && touch '$marker' && test -f '$marker'"
	assert_success
	assert_file_not_exist "$marker"
}

@test "vm-run: fails a run whose guest kernel log has a WARNING, and prints it" {
	run "$VM_RUN" -q --no-load --out "$BATS_TEST_TMPDIR/out" -- bash -c \
		'echo "WARNING: CPU: 0 PID: 1 at fake.c:1 injected+0x0/0x0" >/dev/kmsg'
	assert_failure 3
	assert_line --partial "FAILED: the kernel log has reports"
	assert_line --partial "WARNING: CPU: 0 PID: 1 at fake.c:1 injected"
	assert_file_exist "$BATS_TEST_TMPDIR/out/dmesg"
}

@test "vm-run: a run that outlives --timeout fails with 124 and shows the console" {
	run "$VM_RUN" -q --no-load --timeout 3 -- sleep 60
	assert_failure 124
	assert_line --partial "TIMEOUT"
	assert_line --partial "---- console"
}
