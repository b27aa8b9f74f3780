#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/configfs-attributes.bats - every attribute's input handling,
# generated from configfs-schema/dlb.schema by tests/progs/dlb_configfs.py so
# that no attribute is missed: bad input of every class fails with its
# errno and changes nothing; frozen attributes refuse writes while started.

load ../lib/common
load ../lib/configfs

setup() {
	cfs_setup
}

teardown() {
	cfs_teardown
}

@test "configfs: every writable attribute rejects bad input with its errno and keeps its value" {
	run python3 tests/progs/dlb_configfs.py fuzz "$DEV"
	assert_success
	assert_output --regexp "fuzzed 23 attributes with [0-9]+ bad inputs"
	refute_output --partial FAIL
}

@test "configfs: every frozen attribute fails with EBUSY while started" {
	run python3 tests/progs/dlb_configfs.py frozen "$DEV"
	assert_success
	assert_output --regexp "checked 14 frozen attributes"
	refute_output --partial FAIL
}

@test "configfs: writes take echo's newline, printf's none, and read back" {
	cfs_domain d
	cfs_queue d q
	echo 100 >"$DOMS/d/queues/q/depth_threshold"
	assert_equal "$(<"$DOMS/d/queues/q/depth_threshold")" 100
	printf 200 >"$DOMS/d/queues/q/depth_threshold"
	assert_equal "$(<"$DOMS/d/queues/q/depth_threshold")" 200
	printf ordered >"$DOMS/d/queues/q/sched_type"
	assert_equal "$(<"$DOMS/d/queues/q/sched_type")" ordered
	echo 1000 >"$DOMS/d/uid"
	echo 1001 >"$DOMS/d/gid"
	assert_equal "$(<"$DOMS/d/uid") $(<"$DOMS/d/gid")" "1000 1001"
}

@test "configfs: sched_type follows type until written" {
	cfs_domain d
	cfs_queue d q
	assert_equal "$(<"$DOMS/d/queues/q/sched_type")" atomic
	echo dir >"$DOMS/d/queues/q/type"
	assert_equal "$(<"$DOMS/d/queues/q/sched_type")" directed
	echo unordered >"$DOMS/d/queues/q/sched_type"
	echo ldb >"$DOMS/d/queues/q/type"
	assert_equal "$(<"$DOMS/d/queues/q/sched_type")" unordered
}

@test "configfs: a range error logs the allowed range" {
	cfs_domain d
	cfs_fails ERANGE cfs_write "$DOMS/d/ldb_credits" 9000
	run dlb_kmsg
	assert_output --partial "d: ldb_credits: out of range 0-8192"
}
