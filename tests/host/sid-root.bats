#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/sid-root.bats - the command line of scripts/sid-root, which
# makes the kernel matrix's sid root. Making one takes minutes and the
# network: these tests never do (they point DLB_CACHE at an empty folder).

load ../lib/common

SID_ROOT=$DLB_ROOT/scripts/sid-root

@test "sid-root: an unknown option or a stray argument is a usage error" {
	run "$SID_ROOT" --bogus
	assert_failure 2
	assert_output --partial "sid-root [--suite SUITE] --in DIR -- CMD"
	run "$SID_ROOT" stray
	assert_failure 2
}

@test "sid-root: --in wants a command" {
	run "$SID_ROOT" --in "$BATS_TEST_TMPDIR"
	assert_failure 2
	assert_output --partial "sid-root [--suite SUITE] --in DIR -- CMD"
}

@test "sid-root: --in does not make a root, it wants one" {
	DLB_CACHE=$BATS_TEST_TMPDIR/cache run "$SID_ROOT" --in "$BATS_TEST_TMPDIR" -- true
	assert_failure 1
	assert_output "sid-root: no complete sid root yet: run sid-root first"
	assert_not_exist "$BATS_TEST_TMPDIR/cache/sid-root"
}

@test "sid-root: --in runs the command in the root from the folder given, bound at its own path" {
	local root=${DLB_CACHE:-$HOME/.cache/dlb}/sid-root
	[[ -f $root/.dlb-sid-root ]] || skip "no sid root (scripts/sid-root makes one)"
	echo marker >"$BATS_TEST_TMPDIR/here"
	run "$SID_ROOT" --in "$BATS_TEST_TMPDIR" -- sh -c \
		'cat /etc/debian_version; pwd; cat here; touch made-inside'
	assert_success
	assert_line --regexp '^[a-z]+/sid$'
	assert_line "$BATS_TEST_TMPDIR"
	assert_line marker
	assert_file_exist "$BATS_TEST_TMPDIR/made-inside"
	# Nothing stays mounted once it is done.
	refute grep -q "$root" /proc/mounts
}

@test "sid-root: --suite takes sid or bullseye only" {
	DLB_CACHE=$BATS_TEST_TMPDIR/cache run "$SID_ROOT" --suite buster --kernel
	assert_failure 1
	assert_output "sid-root: unknown suite buster: sid or bullseye"
	assert_not_exist "$BATS_TEST_TMPDIR/cache"
}

@test "sid-root: --suite bullseye --in wants the bullseye root and says how to make it" {
	DLB_CACHE=$BATS_TEST_TMPDIR/cache run "$SID_ROOT" --suite bullseye --in "$BATS_TEST_TMPDIR" -- true
	assert_failure 1
	assert_output "sid-root: no complete bullseye root yet: run sid-root --suite bullseye first"
	assert_not_exist "$BATS_TEST_TMPDIR/cache/bullseye-root"
}

@test "sid-root: the bullseye root has Debian 11's kernel with headers and bookworm's bats" {
	local root=${DLB_CACHE:-$HOME/.cache/dlb}/bullseye-root
	[[ -f $root/.dlb-bullseye-root ]] || skip "no bullseye root (scripts/sid-root --suite bullseye makes one)"
	run "$SID_ROOT" --suite bullseye --kernel
	assert_success
	assert_output --regexp '^5\.10\.[0-9]+-[0-9]+-amd64$'
	run "$SID_ROOT" --suite bullseye --in "$BATS_TEST_TMPDIR" -- sh -c \
		'cat /etc/debian_version; bats --version'
	assert_success
	assert_line --regexp '^11\.'
	# bats_load_library, which the suites use, came with 1.7.
	assert_line --regexp '^Bats 1\.([7-9]|[1-9][0-9])'
}
