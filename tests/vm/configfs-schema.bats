#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/configfs-schema.bats - the live configfs tree against
# configfs-schema/dlb.schema, in both directions: every attribute of the
# tree is in the schema with its mode and default, and every attribute of
# the schema is in the tree. The walk is tests/progs/dlb_configfs.py.

load ../lib/common
load ../lib/configfs

setup() {
	cfs_setup
}

teardown() {
	cfs_teardown
}

@test "configfs: the live tree matches the schema in both directions" {
	run python3 tests/progs/dlb_configfs.py schema "$DEV"
	assert_success
	assert_output --regexp "checked [0-9]+ attributes in 9 groups"
	refute_output --partial FAIL
}

@test "configfs: the schema check notices an attribute missing from the schema" {
	# The checker itself must be able to fail: drop one attribute from a
	# copy of the schema and expect the walk to report it.
	local copy=$BATS_TEST_TMPDIR/dlb.schema
	sed 's/name = "cq_depth"/name = "cq_depthx"/' configfs-schema/dlb.schema \
		>"$copy"
	run python3 - "$DEV" "$copy" <<'PY'
import sys
sys.path.insert(0, "scripts")
sys.path.insert(0, "tests/progs")
import dlb_schema, dlb_configfs
orig = dlb_schema.load
dlb_schema.load = lambda path=sys.argv[2]: orig(path)
dlb_configfs.cmd_schema(sys.argv[1])
sys.exit(1 if dlb_configfs.problems else 0)
PY
	assert_failure
	assert_output --partial "port: cq_depth: in the tree, not in the schema"
}
