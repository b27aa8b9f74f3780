#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/configfs-limits.bats - the device's limits as a domain meets
# them: domains, ports, links, credits, sequence-number groups, history
# list ranges, classes of service. Suites lower the software device's
# totals with module parameters where that makes a limit quick to reach.

load ../lib/common
load ../lib/configfs

setup() {
	dlb_common_setup
}

teardown() {
	cfs_teardown
}

# A startable domain D with N load-balanced ports linked to one queue.
ldb_domain() {
	local d=$1 n=$2 i
	shift 2
	cfs_domain "$d"
	cfs_queue "$d" q
	for ((i = 0; i < n; i++)); do
		cfs_port "$d" "p$i" "$@"
		cfs_link "$d" "p$i" q
	done
}

@test "configfs: the 33rd domain cannot be made" {
	dlb_load
	local i
	for ((i = 0; i < 32; i++)); do
		mkdir "$DOMS/d$i"
	done
	cfs_fails ENOSPC mkdir "$DOMS/d32"
	rmdir "$DOMS/d0"
	mkdir "$DOMS/d32"
}

@test "configfs: a domain with more LDB ports than the device has cannot start" {
	dlb_load sw_num_ldb_ports=4
	ldb_domain a 5
	local before
	before=$(cfs_avail)
	cfs_fails ENOSPC cfs_write "$DOMS/a/start" 1
	assert_equal "$(cfs_avail)" "$before"
	run dlb_kmsg
	assert_output --partial "domain a: port p4: 1 of num_ldb_ports wanted, 0 left"
	rm "$DOMS/a/ports/p4/q"
	rmdir "$DOMS/a/ports/p4"
	echo 1 >"$DOMS/a/start"
	ldb_domain b 1
	cfs_fails ENOSPC cfs_write "$DOMS/b/start" 1
}

@test "configfs: a domain cannot hold more objects than the device could give it" {
	dlb_load sw_num_ldb_queues=1 sw_num_dir_ports=1 sw_num_ldb_ports=1
	cfs_domain d
	mkdir "$DOMS/d/queues/q0" "$DOMS/d/queues/q1"
	cfs_fails ENOSPC mkdir "$DOMS/d/queues/q2"
	mkdir "$DOMS/d/ports/p0" "$DOMS/d/ports/p1"
	cfs_fails ENOSPC mkdir "$DOMS/d/ports/p2"
}

@test "configfs: a 9th link fails with ENOSPC" {
	dlb_load
	local i
	cfs_domain d
	cfs_port d p
	for ((i = 0; i < 9; i++)); do
		cfs_queue d "q$i"
	done
	for ((i = 0; i < 8; i++)); do
		cfs_link d p "q$i"
	done
	cfs_fails ENOSPC cfs_link d p q8
	assert_not_exist "$DOMS/d/ports/p/q8"
	assert_equal "$(wc -l <"$DOMS/d/ports/p/link_priorities")" 8
}

@test "configfs: credits beyond the pool fail: ERANGE past the maximum, ENOSPC past what is left" {
	dlb_load
	cfs_domain a
	cfs_fails ERANGE cfs_write "$DOMS/a/ldb_credits" 8193
	cfs_fails ERANGE cfs_write "$DOMS/a/dir_credits" 4097
	echo 5000 >"$DOMS/a/ldb_credits"
	cfs_domain b ldb_credits=5000
	echo 1 >"$DOMS/a/start"
	local before
	before=$(cfs_avail)
	cfs_fails ENOSPC cfs_write "$DOMS/b/start" 1
	assert_equal "$(cfs_avail)" "$before"
	run dlb_kmsg
	assert_output --partial "domain b: ldb_credits: 5000 of num_ldb_credits wanted, 3192 left"
	echo 3192 >"$DOMS/b/ldb_credits"
	echo 1 >"$DOMS/b/start"
	assert_equal "$(<"$DLB_SYSFS/dlb0/avail_resources/num_ldb_credits")" 0
}

@test "configfs: two ordered queues cannot share a group beyond its 1024 sequence numbers" {
	dlb_load sw_num_sequence_numbers=1024
	cfs_domain d
	cfs_queue d a sched_type=ordered sequence_numbers=1024
	cfs_queue d b sched_type=ordered sequence_numbers=64
	cfs_port d p
	cfs_link d p a
	cfs_link d p b
	local before
	before=$(cfs_avail)
	cfs_fails ENOSPC cfs_write "$DOMS/d/start" 1
	assert_equal "$(cfs_avail)" "$before"
	echo 512 >"$DOMS/d/queues/a/sequence_numbers"
	cfs_fails ENOSPC cfs_write "$DOMS/d/start" 1	# 512 and 64: two sizes
	echo 512 >"$DOMS/d/queues/b/sequence_numbers"
	echo 1 >"$DOMS/d/start"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" 512
	assert_equal "$(<"$DLB_SYSFS/dlb0/avail_resources/num_sequence_numbers")" 0
}

@test "configfs: a sequence-number group's slot size is set by its first user and freed with its last" {
	dlb_load
	cfs_domain a
	cfs_queue a q sched_type=ordered sequence_numbers=64
	cfs_port a p
	cfs_link a p q
	cfs_domain b
	cfs_queue b q sched_type=ordered sequence_numbers=128
	cfs_port b p
	cfs_link b p q
	cfs_domain c
	cfs_queue c q sched_type=ordered sequence_numbers=256
	cfs_port c p
	cfs_link c p q
	echo 1 >"$DOMS/a/start"
	echo 1 >"$DOMS/b/start"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "64 128"
	assert_equal "$(<"$DLB_SYSFS/dlb0/avail_resources/num_sequence_numbers")" $((2048 - 192))
	# 1856 sequence numbers are free, but no group takes a 256 slot.
	cfs_fails ENOSPC cfs_write "$DOMS/c/start" 1
	run dlb_kmsg
	assert_output --partial "domain c: queue q: no sequence-number group has a free slot of 256"
	echo 0 >"$DOMS/a/start"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "0 128"
	echo 1 >"$DOMS/c/start"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "256 128"
}

@test "configfs: a domain's history list is one contiguous range, so fragmentation can refuse it" {
	dlb_load
	ldb_domain a 1 cq_depth=1024 hist_list_size=1024
	ldb_domain b 1 cq_depth=512 hist_list_size=512
	ldb_domain c 1 cq_depth=1024 hist_list_size=1536
	echo 1 >"$DOMS/a/start"		# entries 0-1023
	echo 1 >"$DOMS/b/start"		# entries 1024-1535
	echo 0 >"$DOMS/a/start"		# 1536 free, in two pieces
	assert_equal "$(<"$DLB_SYSFS/dlb0/avail_resources/num_hist_list_entries")" 1536
	local before
	before=$(cfs_avail)
	cfs_fails ENOSPC cfs_write "$DOMS/c/start" 1
	assert_equal "$(cfs_avail)" "$before"
	run dlb_kmsg
	assert_output --partial "domain c: ports: no contiguous range of 1536 num_hist_list_entries (1536 left, fragmented)"
	echo 1024 >"$DOMS/c/ports/p0/hist_list_size"
	echo 1 >"$DOMS/c/start"
}

@test "configfs: ports of one class of service are a quarter of the device's" {
	dlb_load sw_num_ldb_ports=8
	ldb_domain a 3 cos=1
	local before
	before=$(cfs_avail)
	cfs_fails ENOSPC cfs_write "$DOMS/a/start" 1
	assert_equal "$(cfs_avail)" "$before"
	run dlb_kmsg
	assert_output --partial "domain a: port p2: no load-balanced port of class of service 1 left"
	echo any >"$DOMS/a/ports/p2/cos"
	echo 1 >"$DOMS/a/start"
	assert_equal "$(<"$DLB_SYSFS/dlb0/avail_resources/num_ldb_ports")" 5
}
