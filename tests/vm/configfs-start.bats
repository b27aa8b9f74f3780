#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/configfs-start.bats - start as the commit: validation (EINVAL),
# reservation (ENOSPC) and the device refusing (EIO) change nothing; a
# successful start moves avail_resources by exactly what the domain
# reserved; stop gives it back; the generation/ESTALE protocol.

load ../lib/common
load ../lib/configfs
load ../lib/datapath

setup() {
	cfs_setup
}

teardown() {
	[[ -z ${DLB_HOLDER:-} ]] || release_port
	cfs_teardown
}

# A valid domain d: atomic queue q linked from ldb port p.
valid_domain() {
	cfs_domain d
	cfs_queue d q
	cfs_port d p
	cfs_link d p q
}

# start must fail with EINVAL, log one line naming domain d and $1, and
# change nothing.
start_invalid() {
	local before
	before=$(cfs_avail)
	cfs_fails EINVAL cfs_write "$DOMS/d/start" 1
	assert_equal "$(<"$DOMS/d/start")" 0
	assert_equal "$(cfs_avail)" "$before"
	run dlb_kmsg
	assert_output --partial "domain d: $1"
	assert_equal "$(grep -c 'domain d: ' <<<"$output")" 1
	dlb_common_setup	# a new log mark: the next check counts afresh
}

@test "configfs: start fails with EINVAL on every broken rule and changes nothing" {
	valid_domain
	echo ordered >"$DOMS/d/queues/q/sched_type"
	start_invalid "queue q: an ordered queue needs sequence_numbers"
	echo 64 >"$DOMS/d/queues/q/sequence_numbers"
	echo atomic >"$DOMS/d/queues/q/sched_type"
	start_invalid "queue q: sequence_numbers needs sched_type ordered or all"
	echo 0 >"$DOMS/d/queues/q/sequence_numbers"
	echo 0 >"$DOMS/d/queues/q/atomic_inflights"
	start_invalid "queue q: an atomic queue needs atomic_inflights"
	echo 1 >"$DOMS/d/queues/q/atomic_inflights"
	echo directed >"$DOMS/d/queues/q/sched_type"
	start_invalid "queue q: sched_type directed needs type dir"
	echo atomic >"$DOMS/d/queues/q/sched_type"
	echo 64 >"$DOMS/d/ports/p/cq_depth"
	start_invalid "port p: hist_list_size is below cq_depth"
	echo 64 >"$DOMS/d/ports/p/hist_list_size"
	echo 128 >"$DOMS/d/ports/p/cq_depth_threshold"
	start_invalid "port p: cq_depth_threshold is above cq_depth"
	echo 64 >"$DOMS/d/ports/p/cq_depth_threshold"
	echo 0 >"$DOMS/d/ldb_credits"
	start_invalid "ldb_credits: load-balanced queues need credits"
	echo 1 >"$DOMS/d/ldb_credits"
	cfs_queue d lonely
	start_invalid "queue lonely: a load-balanced queue needs a linked load-balanced port"
	rmdir "$DOMS/d/queues/lonely"
	cfs_queue d dq type=dir
	start_invalid "queue dq: a directed queue needs exactly one linked directed port"
	cfs_port d dp type=dir
	cfs_link d dp dq
	echo 0 >"$DOMS/d/dir_credits"
	start_invalid "dir_credits: directed queues need credits"
	echo 1 >"$DOMS/d/dir_credits"
	cfs_port d dp2 type=dir
	start_invalid "port dp2: a directed port needs exactly one linked directed queue"
	rmdir "$DOMS/d/ports/dp2"
	# Types changed after linking are caught at start.
	echo dir >"$DOMS/d/ports/p/type"
	start_invalid "port p: a dir port cannot link ldb queue q"
	echo ldb >"$DOMS/d/ports/p/type"
	echo 1 >"$DOMS/d/start"
}

@test "configfs: a queue of sched_type all needs sequence_numbers and atomic_inflights, and reserves both" {
	valid_domain
	echo all >"$DOMS/d/queues/q/sched_type"
	assert_equal "$(<"$DOMS/d/queues/q/sched_type")" all
	start_invalid "queue q: a queue of sched_type all needs sequence_numbers"
	echo 64 >"$DOMS/d/queues/q/sequence_numbers"
	echo 0 >"$DOMS/d/queues/q/atomic_inflights"
	start_invalid "queue q: a queue of sched_type all needs atomic_inflights"
	echo 100 >"$DOMS/d/queues/q/atomic_inflights"
	local -A before after
	local kv
	for kv in $(cfs_avail); do before[${kv%=*}]=${kv#*=}; done
	echo 1 >"$DOMS/d/start"
	for kv in $(cfs_avail); do after[${kv%=*}]=${kv#*=}; done
	for kv in num_atomic_inflights=100 num_sequence_numbers=64; do
		assert_equal "${kv%=*} $((before[${kv%=*}] - after[${kv%=*}]))" \
			"${kv%=*} ${kv#*=}"
	done
	echo 0 >"$DOMS/d/start"
	assert_equal "$(cfs_avail)" "$(cfs_total)"
}

@test "configfs: a start the device refuses changes nothing and leaves the tree unpinned" {
	valid_domain
	local before
	before=$(cfs_avail)
	echo 1 >/sys/kernel/debug/dlb/dlb0/fail_domain_start
	cfs_fails EIO cfs_write "$DOMS/d/start" 1
	assert_attr /sys/kernel/debug/dlb/dlb0/fail_domain_start 0
	assert_equal "$(<"$DOMS/d/start")" 0
	assert_equal "$(<"$DOMS/d/queues/q/id")" -1
	assert_equal "$(cfs_avail)" "$before"
	# A started domain's objects cannot go (EBUSY); these can.
	rm "$DOMS/d/ports/p/q"
	rmdir "$DOMS/d/ports/p"
	rmdir "$DOMS/d/queues/q"
	assert_not_exist "$DOMS/d/queues/q"
	# And the domain still starts once the device accepts.
	cfs_queue d q
	cfs_port d p
	cfs_link d p q
	echo 1 >"$DOMS/d/start"
	assert_attr "$DOMS/d/start" 1
}

@test "configfs: fail_domain_start takes only a count" {
	local knob=/sys/kernel/debug/dlb/dlb0/fail_domain_start
	cfs_fails EINVAL cfs_write "$knob" -1
	cfs_fails EINVAL cfs_write "$knob" 4294967296
	assert_attr "$knob" 0
	# A test knob, not a module parameter of every build.
	assert_not_exist /sys/module/dlb/parameters/sw_fail_domain_start
	valid_domain
	echo 1 >"$DOMS/d/start"
}

@test "configfs: a successful start moves avail_resources by exactly what the domain reserved" {
	cfs_domain d ldb_credits=300 dir_credits=20
	cfs_queue d at atomic_inflights=100
	cfs_queue d or sched_type=ordered sequence_numbers=128
	cfs_queue d un sched_type=unordered atomic_inflights=7
	cfs_queue d eg type=dir
	cfs_port d p0 cq_depth=16 hist_list_size=32
	cfs_port d p1 cq_depth=64 hist_list_size=64
	cfs_port d p2 cq_depth=128 hist_list_size=128
	cfs_port d tx type=dir hist_list_size=999
	local q p
	for p in p0 p1 p2; do
		for q in at or un; do
			cfs_link d $p $q
		done
	done
	cfs_link d tx eg
	local -A before after
	local kv
	for kv in $(cfs_avail); do before[${kv%=*}]=${kv#*=}; done
	echo 1 >"$DOMS/d/start"
	for kv in $(cfs_avail); do after[${kv%=*}]=${kv#*=}; done
	local -A want=(
		[num_sched_domains]=1 [num_ldb_queues]=3 [num_ldb_ports]=3
		[num_dir_ports]=1 [num_ldb_credits]=300 [num_dir_credits]=20
		[num_hist_list_entries]=224 [num_atomic_inflights]=100
		[num_sequence_numbers]=128
	)
	for kv in "${!want[@]}"; do
		assert_equal "$kv $((before[$kv] - after[$kv]))" "$kv ${want[$kv]}"
	done
	assert_equal "$(<"$DOMS/d/queues/eg/id")" "$(<"$DOMS/d/ports/tx/id")"
	assert_equal "$(<"$DOMS/d/queues/or/id")" 1	# at, or, un by name
	echo 0 >"$DOMS/d/start"
	assert_equal "$(cfs_avail)" "$(cfs_total)"
}

@test "configfs: start with a stale generation fails with ESTALE and starts nothing" {
	valid_domain
	local gen before
	gen=$(<"$DOMS/d/generation")
	echo 100 >"$DOMS/d/ldb_credits"		# another editor
	before=$(cfs_avail)
	cfs_fails ESTALE cfs_write "$DOMS/d/start" "1 $gen"
	assert_equal "$(<"$DOMS/d/start")" 0
	assert_equal "$(cfs_avail)" "$before"
	echo "1 $(<"$DOMS/d/generation")" >"$DOMS/d/start"
	assert_equal "$(<"$DOMS/d/start")" 1
}

@test "configfs: every successful change bumps the generation, failures and other domains do not" {
	valid_domain
	cfs_domain e
	local g
	g=$(<"$DOMS/d/generation")
	echo 9 >"$DOMS/d/queues/q/depth_threshold"
	assert_equal "$(<"$DOMS/d/generation")" $((g + 1))
	echo 8 >"$DOMS/d/ports/p/cq_depth"
	echo 1 >"$DOMS/d/uid"
	echo "q 3" >"$DOMS/d/ports/p/link_priorities"
	assert_equal "$(<"$DOMS/d/generation")" $((g + 4))
	cfs_fails ERANGE cfs_write "$DOMS/d/ports/p/cq_depth" 2048
	cfs_fails EINVAL cfs_write "$DOMS/d/queues/q/type" bogus
	echo 5 >"$DOMS/e/ldb_credits"
	mkdir "$DOMS/e/queues/x"
	assert_equal "$(<"$DOMS/d/generation")" $((g + 4))
	# Starting and stopping change no configuration.
	echo 1 >"$DOMS/d/start"
	echo 0 >"$DOMS/d/start"
	assert_equal "$(<"$DOMS/d/generation")" $((g + 4))
}

@test "configfs: stop fails with EBUSY while a port file is open" {
	valid_domain
	echo 1 >"$DOMS/d/start"
	local avail
	avail=$(cfs_avail)
	hold_port /dev/dlb/dlb0/d/p
	cfs_fails EBUSY cfs_write "$DOMS/d/start" 0
	assert_equal "$(<"$DOMS/d/start")" 1
	assert_equal "$(cfs_avail)" "$avail"
	assert_exist /dev/dlb/dlb0/d/p
	release_port
	echo 0 >"$DOMS/d/start"
	assert_not_exist /dev/dlb/dlb0/d/p
}
