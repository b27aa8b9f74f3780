#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/fuzz-live.bats - seeded random operations on the live module
# (tests/progs/dlb_fuzz.py): configfs mkdir/rmdir, random and boundary
# attribute values, links, start/stop, port open/mmap/close, random QE
# streams, and virtual devices made, committed, given domains, uncommitted
# and removed. Any kernel report fails the test (the common teardown reads the
# kernel log); afterwards the tree must come apart and every resource be
# back. make check runs seed 1, so that a run can be repeated exactly;
# DLB_FUZZ_SEED picks another (e.g. DLB_FUZZ_SEED=$(date +%s) to explore).
# The seed is printed; a failure prints it and the last operations, to
# replay with
#
#	tests/progs/dlb_fuzz.py --seed N --ops M
#
# DLB_FUZZ_SECONDS (default 30) bounds the run.

load ../lib/common
load ../lib/configfs

FUZZ=tests/progs/dlb_fuzz.py

setup() {
	cfs_setup
}

teardown() {
	cfs_teardown
}

@test "fuzz: seeded random operations leave no kernel report and a tree that comes apart" {
	local seed=${DLB_FUZZ_SEED:-1}
	echo "# fuzz seed $seed" >&3
	run timeout $((${DLB_FUZZ_SECONDS:-30} + 60)) python3 "$FUZZ" \
		--seed "$seed" --seconds "${DLB_FUZZ_SECONDS:-30}"
	# Shown on failure: the seed, the last operations, the replay line.
	echo "$output"
	assert_success
	assert_output --regexp "seed $seed ops [1-9][0-9]* "
	echo "# $(echo "$output" | grep '^seed .* ops ')" >&3
	run cfs_cleanup
	assert_success
	run ls "$DOMS"
	assert_output ""
	run ls "$DEV/vdevs"
	assert_output ""
	run ls "$DLB_SYSFS"
	assert_output dlb0
	assert_equal "$(cfs_avail)" "$(cfs_total)"
	# And the device still works after it all.
	sh scripts/examples/pipeline.sh up
	run python3 tests/lib/dlb_port.py traffic /dev/dlb/dlb0/pipeline 200 rw
	assert_success
}
