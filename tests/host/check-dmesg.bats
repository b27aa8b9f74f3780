#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/check-dmesg.bats - scripts/check-dmesg, the one judge of
# whether a kernel log holds a report: clean logs pass, every kind of report
# fails with its lines printed. The samples are small excerpts written here.

load ../lib/common

CHECK=$DLB_ROOT/scripts/check-dmesg

# A clean log from a test VM boot and a dlb load, with the lines that look
# alarming but are not reports.
clean_log() {
	cat <<'LOG'
[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)
[    0.212079] 	RCU CPU stall warnings timeout set to 60 (rcu_cpu_stall_timeout).
[    0.932939] acpi PNP0A03:00: fail to add MMCONFIG information
[    3.518032] dlb: loading out-of-tree module taints kernel.
[    3.518508] dlb: module verification failed: signature and/or required key missing - tainting kernel
[    4.100000] dlb: sw_devices=17 is out of range 0-16
[    5.000000] dlb-test: begin 1.2.3: sysfs: writing WARNING: into a file fails
LOG
}

# flags LINE...: a clean log with LINE(s) added fails, and what it prints
# is exactly the LINEs that match a report pattern (all but context lines,
# which start with "[   16.1] ===").
flags() {
	run "$CHECK" <(clean_log; printf '%s\n' "$@")
	assert_failure 1
	local l
	for l in "$@"; do
		[[ $l == *'] ==='* ]] || assert_line "$l"
	done
	refute_line --partial "taints kernel"
}

@test "check-dmesg: a clean log passes, from a file and from stdin" {
	clean_log >"$BATS_TEST_TMPDIR/clean"
	run "$CHECK" "$BATS_TEST_TMPDIR/clean"
	assert_success
	assert_output ""
	run "$CHECK" - <"$BATS_TEST_TMPDIR/clean"
	assert_success
	run "$CHECK" </dev/null
	assert_success
}

@test "check-dmesg: an unreadable file is a usage error, not a clean log" {
	run "$CHECK" "$BATS_TEST_TMPDIR/none"
	assert_failure 2
}

@test "check-dmesg: flags a WARN_ON" {
	flags '[   12.1] WARNING: CPU: 1 PID: 230 at module/dlb_device.c:160 dlb_resources_release+0x5e/0x80 [dlb]' \
		'[   12.2] Call Trace:'
}

@test "check-dmesg: flags a BUG and an Oops" {
	flags '[   13.0] kernel BUG at module/dlb_sw.c:42!'
	flags '[   13.2] Oops: 0000 [#2] PREEMPT SMP NOPTI'
}

@test "check-dmesg: flags a NULL dereference" {
	flags '[   14.0] BUG: kernel NULL pointer dereference, address: 0000000000000008'
}

@test "check-dmesg: flags a general protection fault" {
	flags '[   15.0] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP'
}

@test "check-dmesg: flags a lockdep circular locking report" {
	flags '[   16.0] WARNING: possible circular locking dependency detected'
	flags '[   16.1] ======================================================' \
		'[   16.2] possible circular locking dependency detected'
}

@test "check-dmesg: flags lockdep's inconsistent lock state and bad unlock" {
	flags '[   17.2] inconsistent lock state'
	flags '[   17.3] DEBUG_LOCKS_WARN_ON(1)'
}

@test "check-dmesg: flags suspicious RCU usage" {
	flags '[   18.0] suspicious RCU usage.'
}

@test "check-dmesg: flags a KASAN report" {
	flags '[   19.0] BUG: KASAN: slab-use-after-free in dlb_domain_release+0x20/0x40 [dlb]'
}

@test "check-dmesg: flags a UBSAN report" {
	flags '[   20.0] UBSAN: shift-out-of-bounds in module/dlb_sw.c:88:12'
}

@test "check-dmesg: flags kmemleak's report and its summary" {
	flags 'unreferenced object 0xffff888003a1c000 (size 64):'
	flags '[   21.0] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'
}

@test "check-dmesg: passes the summary of a scan scripts/kmemleak ran and judges, and only that" {
	local summary='[   21.0] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'

	run "$CHECK" <(clean_log
		echo '[   20.0] dlb-test: kmemleak scan begins'
		echo "$summary"
		echo '[   22.0] dlb-test: kmemleak scan ends')
	assert_success
	assert_output ""
	# After the bracket closes, the same line is a report again.
	run "$CHECK" <(clean_log
		echo '[   20.0] dlb-test: kmemleak scan begins'
		echo '[   22.0] dlb-test: kmemleak scan ends'
		echo "$summary")
	assert_failure 1
	assert_output "$summary"
}

@test "check-dmesg: flags a hung task" {
	flags '[  242.0] INFO: task rmmod:301 blocked for more than 120 seconds.'
}

@test "check-dmesg: flags a refcount_t warning" {
	flags '[   22.0] refcount_t: underflow; use-after-free.'
}

@test "check-dmesg: flags an RCU stall and a soft lockup" {
	flags '[   80.0] rcu: INFO: rcu_preempt self-detected stall on CPU'
	flags '[   81.0] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:200]'
}

@test "check-dmesg: flags a bare stack dump" {
	flags '[   23.0] Call Trace:'
}

@test "check-dmesg: prints a report's stack dump up to its end, and nothing after" {
	run "$CHECK" <(clean_log; cat <<'LOG'
[   42.066566] ------------[ cut here ]------------
[   42.066902] refcount_t: addition on 0; use-after-free.
[   42.071375] Call Trace:
[   42.071852]  <TASK>
[   42.072228]  configfs_symlink+0x11c/0x590 [configfs]
[   42.075922] ---[ end trace 0000000000000000 ]---
[   42.078036] dlb dlb0: domain a: queue q0: an ordinary line after the report
LOG
	)
	assert_failure 1
	assert_line --index 0 --partial "cut here"
	assert_line --partial "configfs_symlink+0x11c/0x590"
	assert_line --partial "end trace"
	refute_line --partial "an ordinary line after the report"
	refute_line --partial "taints kernel"
}
