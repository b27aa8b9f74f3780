#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/kmemleak.bats - scripts/kmemleak's verdict on a report
# (classify, the part that needs no debug kernel): a suspect with a frame
# in dlb, named or left nameless by an unload, is dlb's and fails; one of
# the kernel's own passes; the one known 6.1 leak that dlb's init has on
# its stack is named and passes. The records are excerpts of real reports
# from the debug VM, written here.

load ../lib/common

KMEMLEAK=$DLB_ROOT/scripts/kmemleak

# record SIZE FRAME...: one suspect with the given backtrace lines.
record() {
	local size=$1 f

	shift
	printf 'unreferenced object 0xffff88800545e190 (size %s):\n' "$size"
	printf '  comm "python3", pid 9967, jiffies 4299267755\n'
	printf '  backtrace:\n'
	for f in "$@"; do
		printf '    [<00000000e30e92d0>] %s\n' "$f"
	done
}

# The class's name left behind when kset_register() fails in 6.1.
kset_name_leak() {
	record 8 __kmalloc_node_track_caller+0x49/0xf0 kstrdup_const+0x43/0x80 \
		kobject_set_name_vargs+0x3f/0x110 kobject_set_name+0xaf/0xe0 \
		__class_register+0x10f/0x440 0xffffffffc01d0a67 \
		0xffffffffc0260006 do_one_initcall+0xcc/0x380
}

# A class dlb registered and never unregistered: the class itself leaks.
class_leak() {
	record 512 kmalloc_trace+0x26/0x90 __class_register+0x4e/0x440 \
		0xffffffffc01d0a67 do_one_initcall+0xcc/0x380
}

# classify TEXT-PRODUCING-FUNCTION...: run classify on their output.
classify() {
	local f=$BATS_TEST_TMPDIR/report

	: >"$f"
	for fn in "$@"; do
		"$fn" >>"$f"
	done
	run "$KMEMLEAK" classify "$f"
}

@test "kmemleak: an empty report passes" {
	classify true
	assert_success
	assert_output "kmemleak: 0 suspects allocated by dlb, 0 elsewhere"
}

@test "kmemleak: a frame in dlb, or nameless after its unload, makes the suspect dlb's" {
	named() {
		record 64 __kmalloc+0x1/0x2 dlb_domain_make+0x10/0x90 [dlb]
	}
	classify named
	assert_failure 1
	assert_output --partial "1 suspects allocated by dlb, 0 elsewhere"
	classify class_leak
	assert_failure 1
	assert_output --partial "1 suspects allocated by dlb, 0 elsewhere"
}

@test "kmemleak: the kernel's own leaks are counted but do not fail" {
	kernel() {
		record 32 __kmalloc+0x1/0x2 kstrdup+0x32/0x60 \
			__register_sysctl_table+0x10/0x20 do_one_initcall+0xcc/0x380
	}
	classify kernel
	assert_success
	assert_output --partial "0 suspects allocated by dlb, 1 elsewhere"
}

@test "kmemleak: 6.1's kset_register name leak is named as known, and a real class leak beside it still fails" {
	classify kset_name_leak kset_name_leak
	assert_success
	assert_output --partial "known kernel leak (6.1 kset_register name)"
	assert_output --partial "0 suspects allocated by dlb, 0 elsewhere, 2 known kernel leaks"
	classify kset_name_leak class_leak
	assert_failure 1
	assert_output --partial "1 suspects allocated by dlb, 0 elsewhere, 1 known kernel leaks"
}

@test "kmemleak: classify needs one readable file" {
	run "$KMEMLEAK" classify
	assert_failure 2
	run "$KMEMLEAK" classify /nonexistent
	assert_failure 2
	assert_output --partial "cannot read /nonexistent"
}
