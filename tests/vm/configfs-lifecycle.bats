#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/configfs-lifecycle.bats - the configfs tree as a shell user
# drives it: mkdir, echo, ln, rm, rmdir; names; links and their rules;
# freezing while started; rmdir order; unload.

load ../lib/common
load ../lib/configfs

setup() {
	cfs_setup
}

teardown() {
	cfs_teardown
}

@test "configfs: full lifecycle by mkdir, echo, ln, rm and rmdir" {
	mkdir "$DOMS/d"
	mkdir "$DOMS/d/queues/q" "$DOMS/d/ports/p" "$DOMS/d/ports/o"
	echo unordered >"$DOMS/d/queues/q/sched_type"
	echo 64 >"$DOMS/d/ports/p/cq_depth"
	echo 64 >"$DOMS/d/ports/p/hist_list_size"
	(cd "$DOMS/d/ports/p" && ln -s ../../queues/q q)
	(cd "$DOMS/d/ports/o" && ln -s ../../queues/q q)
	# configfs writes the link relative to its own root.
	[[ $(readlink -f "$DOMS/d/ports/p/q") == "$DOMS/d/queues/q" ]]

	echo 1 >"$DOMS/d/start"
	assert_equal "$(<"$DOMS/d/start")" 1
	assert_equal "$(<"$DOMS/d/queues/q/id")" 0
	assert_equal "$(<"$DOMS/d/ports/o/id")" 0
	assert_equal "$(<"$DOMS/d/ports/p/id")" 1

	echo 0 >"$DOMS/d/start"
	assert_equal "$(<"$DOMS/d/start")" 0
	assert_equal "$(<"$DOMS/d/queues/q/id")" -1
	rm "$DOMS/d/ports/p/q" "$DOMS/d/ports/o/q"
	rmdir "$DOMS/d/ports/p" "$DOMS/d/ports/o" "$DOMS/d/queues/q"
	rmdir "$DOMS/d"
	assert_not_exist "$DOMS/d"
	assert_equal "$(cfs_avail)" "$(cfs_total)"
}

@test "configfs: the README pipeline example builds, starts and tears down" {
	run scripts/examples/pipeline.sh up
	assert_success
	assert_equal "$(<"$DOMS/pipeline/start")" 1
	assert_equal "$(<"$DOMS/pipeline/queues/egress/sched_type")" directed
	assert_equal "$(<"$DOMS/pipeline/queues/egress/id")" \
		"$(<"$DOMS/pipeline/ports/tx/id")"
	run cat "$DOMS/pipeline/ports/w0/link_priorities"
	assert_output "stage1 4
stage2 0"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "64 0"
	run scripts/examples/pipeline.sh down
	assert_success
	assert_not_exist "$DOMS/pipeline"
	assert_equal "$(cfs_avail)" "$(cfs_total)"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "0 0"
}

@test "configfs: names must match [a-z0-9][a-z0-9_-]{0,31}" {
	local bad
	for bad in Upper _x -x 'a.b' 'a b' 'a:b' "$(printf 'x%.0s' {1..33})"; do
		cfs_fails EINVAL mkdir "$DOMS/$bad"
	done
	mkdir "$DOMS/d" "$DOMS/0-a_b" "$DOMS/$(printf 'y%.0s' {1..32})"
	cfs_fails EINVAL mkdir "$DOMS/d/queues/Q"
	cfs_fails EINVAL mkdir "$DOMS/d/ports/p.1"
	mkdir "$DOMS/d/queues/9q" "$DOMS/d/ports/p-1_x"
}

@test "configfs: a restarted domain works and reserves the same again" {
	cfs_domain d
	cfs_queue d q
	cfs_port d p
	cfs_link d p q
	echo 1 >"$DOMS/d/start"
	local started
	started=$(cfs_avail)
	echo 0 >"$DOMS/d/start"
	echo 1 >"$DOMS/d/start"
	assert_equal "$(cfs_avail)" "$started"
	echo 0 >"$DOMS/d/start"
	echo 0 >"$DOMS/d/start"		# stopping a stopped domain is a no-op
	assert_equal "$(cfs_avail)" "$(cfs_total)"
}

@test "configfs: starting a started domain fails with EBUSY" {
	cfs_domain d
	echo 1 >"$DOMS/d/start"
	cfs_fails EBUSY cfs_write "$DOMS/d/start" 1
	assert_equal "$(<"$DOMS/d/start")" 1
}

@test "configfs: nothing but links can change while started" {
	cfs_domain d
	cfs_queue d q
	cfs_port d p
	cfs_link d p q
	echo 1 >"$DOMS/d/start"
	cfs_fails EBUSY mkdir "$DOMS/d/queues/q2"
	cfs_fails EBUSY mkdir "$DOMS/d/ports/p2"
	cfs_fails EBUSY cfs_write "$DOMS/d/ldb_credits" 1
	cfs_fails EBUSY cfs_write "$DOMS/d/queues/q/depth_threshold" 1
	cfs_fails EBUSY cfs_write "$DOMS/d/ports/p/cq_depth" 8
	assert_equal "$(<"$DOMS/d/ports/p/cq_depth")" 32
	# The tree is pinned: rmdir cannot pull objects out.
	cfs_fails EBUSY rmdir "$DOMS/d"
	cfs_fails EBUSY rmdir "$DOMS/d/ports/p"
	echo 0 >"$DOMS/d/start"
	echo 8 >"$DOMS/d/ports/p/cq_depth"
}

@test "configfs: an empty started domain cannot be removed" {
	cfs_domain d
	echo 1 >"$DOMS/d/start"
	cfs_fails EBUSY rmdir "$DOMS/d"
	echo 0 >"$DOMS/d/start"
	rmdir "$DOMS/d"
}

@test "configfs: links can be added and removed while started" {
	cfs_domain d
	cfs_queue d q
	cfs_queue d r sched_type=unordered
	cfs_port d p
	cfs_port d o
	cfs_link d p q
	cfs_link d o r
	echo 1 >"$DOMS/d/start"
	local gen
	gen=$(<"$DOMS/d/generation")
	cfs_link d p r
	echo "r 1" >"$DOMS/d/ports/p/link_priorities"
	rm "$DOMS/d/ports/o/r"
	assert_equal "$(<"$DOMS/d/generation")" $((gen + 3))
	run cat "$DOMS/d/ports/p/link_priorities"
	assert_output "q 4
r 1"
	assert_equal "$(<"$DOMS/d/start")" 1
}

@test "configfs: a link must point at a queue of the same domain" {
	cfs_domain d
	cfs_domain e
	cfs_queue d q
	cfs_queue e q
	cfs_port d p
	cfs_port d o
	cfs_fails EINVAL ln -s "$DOMS/e/queues/q" "$DOMS/d/ports/p/q"
	cfs_fails EINVAL ln -s "$DOMS/d/ports/o" "$DOMS/d/ports/p/o"
	cfs_fails EINVAL ln -s "$DOMS/d" "$DOMS/d/ports/p/d"
	cfs_link d p q
	# The same queue under another name is still a duplicate.
	cfs_fails EEXIST ln -s "$DOMS/d/queues/q" "$DOMS/d/ports/p/again"
	cfs_fails EEXIST ln -s "$DOMS/d/queues/q" "$DOMS/d/ports/p/q"
}

@test "configfs: link types must match and a directed queue feeds one port" {
	cfs_domain d
	cfs_queue d lq
	cfs_queue d dq type=dir
	cfs_queue d dq2 type=dir
	cfs_port d lp
	cfs_port d dp type=dir
	cfs_port d dp2 type=dir
	cfs_fails EINVAL cfs_link d lp dq
	cfs_fails EINVAL cfs_link d dp lq
	cfs_link d dp dq
	cfs_fails ENOSPC cfs_link d dp dq2
	cfs_fails EBUSY cfs_link d dp2 dq
	cfs_link d dp2 dq2
}

@test "configfs: rmdir order is enforced: ENOTEMPTY and EBUSY" {
	cfs_domain d
	cfs_queue d q
	cfs_port d p
	cfs_link d p q
	cfs_fails ENOTEMPTY rmdir "$DOMS/d"
	cfs_fails EBUSY rmdir "$DOMS/d/queues/q"	# linked
	cfs_fails ENOTEMPTY rmdir "$DOMS/d/ports/p"	# holds a link
	cfs_fails EPERM rmdir "$DOMS/d/queues"	# a default group
	rm "$DOMS/d/ports/p/q"
	rmdir "$DOMS/d/queues/q" "$DOMS/d/ports/p" "$DOMS/d"
}

@test "configfs: the module cannot be unloaded while the tree is not empty" {
	cfs_domain d
	run rmmod dlb
	assert_failure
	assert_output --partial "in use"
	assert dlb_loaded
	rmdir "$DOMS/d"
	rmmod dlb
}

@test "configfs: mkdir and rmdir of children bump the generation" {
	cfs_domain d
	assert_equal "$(<"$DOMS/d/generation")" 0
	mkdir "$DOMS/d/queues/q"
	mkdir "$DOMS/d/ports/p"
	cfs_link d p q
	rm "$DOMS/d/ports/p/q"
	rmdir "$DOMS/d/ports/p"
	assert_equal "$(<"$DOMS/d/generation")" 5
	echo 7 >"$DOMS/d/ldb_credits"
	assert_equal "$(<"$DOMS/d/generation")" 6
}
