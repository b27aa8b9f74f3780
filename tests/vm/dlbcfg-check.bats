#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/dlbcfg-check.bats - every kind of invalid file is refused
# before configfs is touched, with exit 1 and FILE:LINE, object path and
# what is wrong. The files are tests/dlbcfg/corpus/*.cfg; their first line
# says the error expected.

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

@test "dlbcfg check: a syntax error is reported at its line" {
	dlbcfg_expect_error syntax
}

@test "dlbcfg check: an unknown attribute is reported at its line" {
	dlbcfg_expect_error unknown-attribute
}

@test "dlbcfg check: an unknown top-level setting is reported at its line" {
	dlbcfg_expect_error unknown-setting
}

@test "dlbcfg check: a value of the wrong type is reported at its line" {
	dlbcfg_expect_error wrong-type
}

@test "dlbcfg check: a number out of range is reported at its line" {
	dlbcfg_expect_error out-of-range
}

@test "dlbcfg check: a number in range but not allowed is reported at its line" {
	dlbcfg_expect_error not-allowed
}

@test "dlbcfg check: an enum value not in the schema is reported at its line" {
	dlbcfg_expect_error bad-enum
}

@test "dlbcfg check: a read-only attribute is reported at its line" {
	dlbcfg_expect_error read-only
}

@test "dlbcfg check: a link to a queue that does not exist is reported at its line" {
	dlbcfg_expect_error broken-link
}

@test "dlbcfg check: a link priority out of range is reported at its line" {
	dlbcfg_expect_error bad-priority
}

@test "dlbcfg check: more links than a port has is reported at its line" {
	dlbcfg_expect_error too-many-links
}

@test "dlbcfg check: a link between types is reported at its line" {
	dlbcfg_expect_error link-type
}

@test "dlbcfg check: a duplicate name is reported at its line" {
	dlbcfg_expect_error duplicate-name
}

@test "dlbcfg check: an invalid name is reported at its line" {
	dlbcfg_expect_error bad-name
}

@test "dlbcfg check: an object without a name is reported at its line" {
	dlbcfg_expect_error missing-name
}

@test "dlbcfg check: an unknown user is reported at its line" {
	dlbcfg_expect_error unknown-user
}

@test "dlbcfg check: a domain that breaks a start rule is reported at its line" {
	dlbcfg_expect_error domain-rule
}

@test "dlbcfg check: domains that cannot fit the device together are reported at the first that does not" {
	dlbcfg_expect_error resources-exceeded
}

@test "dlbcfg check: an error in an included file names that file and line" {
	dlbcfg_expect_error include
}

@test "dlbcfg apply: an invalid file exits 1 and changes nothing" {
	run "$DLBCFG" apply "$DLB_ROOT/tests/dlbcfg/corpus/broken-link.cfg"
	assert_equal "$status" 1
	assert_output --partial "1 error"
}
