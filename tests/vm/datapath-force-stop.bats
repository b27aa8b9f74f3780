#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/datapath-force-stop.bats - a domain's force_stop: an
# administrator stops a domain whose port files are still open. The open
# files are revoked (blocked calls wake, mappings fault with SIGBUS, every
# later call fails with ENODEV), the events still in the domain are dropped
# and counted, the domain stops as usual and can start again, and the dead
# files close safely, even after the domain is gone. The ports are driven by
# tests/progs/dlb_revoke.py and tests/lib/dlb_port.py.

load ../lib/common
load ../lib/configfs
load ../lib/datapath

PIPE=/dev/dlb/dlb0/pipeline
REVOKE=tests/progs/dlb_revoke.py

setup() {
	cfs_setup
}

teardown() {
	[[ -z ${DLB_HOLDER:-} ]] || release_port
	cfs_teardown
}

@test "force_stop: a stopped domain refuses it with EINVAL and nothing changes" {
	sh scripts/examples/pipeline.sh up
	echo 0 >"$DOMS/pipeline/start"
	avail=$(cfs_avail)
	gen=$(cat "$DOMS/pipeline/generation")
	cfs_fails EINVAL cfs_write "$DOMS/pipeline/force_stop" 1
	assert_attr "$DOMS/pipeline/start" 0
	assert_attr "$DOMS/pipeline/generation" "$gen"
	assert_attr "$DOMS/pipeline/forced_drops" 0
	assert_equal "$(cfs_avail)" "$avail"
	run dlb_kmsg
	assert_output --partial "domain pipeline: force_stop: not started"
}

@test "force_stop: only 1 is accepted, anything else is EINVAL and the domain runs on" {
	sh scripts/examples/pipeline.sh up
	for v in 0 2 "1 1" "" yes 01 " 1"; do
		cfs_fails EINVAL cfs_write "$DOMS/pipeline/force_stop" "$v"
	done
	assert_attr "$DOMS/pipeline/start" 1
	assert_exist "$PIPE/w0"
	run cat "$DOMS/pipeline/force_stop"
	assert_failure
}

@test "force_stop: libdlbk's dlbk_port_wait() reports a revoked port as ENODEV, never touching its CQ" {
	sh scripts/examples/pipeline.sh up
	run python3 tests/progs/dlbk_wait.py "$PIPE/w0" "$DOMS/pipeline/force_stop"
	echo "$output"
	assert_success
	refute_output --partial FAIL
	assert_line "ok dlbk_port_wait(-1) on the revoked port: -1 ENODEV"
}

@test "force_stop: blocked read() and poll() wake with ENODEV and POLLHUP, mappings fault with SIGBUS" {
	sh scripts/examples/pipeline.sh up
	total=$(cfs_total)
	run python3 "$REVOKE" revoke "$PIPE/w0" "$DOMS/pipeline/force_stop"
	echo "$output"
	assert_success
	refute_output --partial FAIL
	assert_output --partial "ok blocked read() woke with ENODEV"
	assert_output --partial "ok child closed-fd: access after the stop: signal 7"
	assert_attr "$DOMS/pipeline/start" 0
	assert_attr "$DOMS/pipeline/open_ports" 0
	assert_not_exist /dev/dlb/dlb0/pipeline
	assert_not_exist /sys/class/dlb_port/dlb0.pipeline.w0
	assert_equal "$(cfs_avail)" "$total"
	run dlb_kmsg
	assert_output --partial "domain pipeline: forced stop: 1 port file(s) revoked, 0 event(s) dropped"
}

@test "force_stop: events in flight are counted as dropped and in + dropped = sent" {
	cfs_domain fs ldb_credits=32 dir_credits=16
	cfs_queue fs lq
	cfs_queue fs dq type=dir
	cfs_port fs lc cq_depth=8 hist_list_size=8
	cfs_port fs p
	cfs_port fs dc type=dir cq_depth=8
	cfs_link fs lc lq
	cfs_link fs dc dq
	echo 1 >"$DOMS/fs/start"
	run python3 "$REVOKE" drops /dev/dlb/dlb0/fs/p /dev/dlb/dlb0/fs/dc \
		/dev/dlb/dlb0/fs/lc 0 0 100 20 8 "$DOMS/fs/force_stop" \
		"$DOMS/fs/forced_drops"
	echo "$output"
	assert_success
	refute_output --partial FAIL
	# 100 + 20 sent, then 23 to use up the load-balanced credits (lc
	# holds 8 of the 20, 9 are stored: 32 - 9) and one NEW in lc's ring;
	# 5 directed read, 3 load-balanced completed and one REL in the ring.
	# The FWD stuck in lc's ring carries an event lc holds: counting it
	# again, or the event the REL behind it finishes, would show 137.
	assert_output --partial "sent 144 in 9 dropped 135"
	assert_attr "$DOMS/fs/forced_drops" 135
	run dlb_kmsg
	assert_output --partial "domain fs: forced stop: 3 port file(s) revoked, 135 event(s) dropped"
}

@test "force_stop: takes the tokens a consumer stored and the QEs a producer published while the thread slept" {
	cfs_domain ft dir_credits=16
	cfs_queue ft dq type=dir
	cfs_port ft p
	cfs_port ft dc type=dir cq_depth=8
	cfs_link ft dc dq
	echo 1 >"$DOMS/ft/start"
	run python3 "$REVOKE" tokens /dev/dlb/dlb0/ft/p /dev/dlb/dlb0/ft/dc 8 3 \
		"$DOMS/ft/force_stop" "$DOMS/ft/forced_drops"
	echo "$output"
	assert_success
	refute_output --partial FAIL
	# 8 in the CQ, 4 of them finished by cq_tokens; 3 in the ring.
	assert_output --partial "sent 11 in 4 dropped 7"
	assert_attr "$DOMS/ft/forced_drops" 7
}

@test "force_stop: the domain starts again and its ports carry traffic" {
	sh scripts/examples/pipeline.sh up
	hold_port "$PIPE/tx"
	assert_attr "$DOMS/pipeline/open_ports" 1
	cfs_fails EBUSY cfs_write "$DOMS/pipeline/start" 0
	echo 1 >"$DOMS/pipeline/force_stop"
	assert_attr "$DOMS/pipeline/start" 0
	assert_attr "$DOMS/pipeline/open_ports" 0
	# The holder still has its dead file; the port opens anew regardless.
	echo 1 >"$DOMS/pipeline/start"
	run python3 "$PORT" traffic "$PIPE" 300
	assert_success
	assert_output --partial "sent 300 received 300 duplicates 0"
	release_port
	echo 0 >"$DOMS/pipeline/start"
}

@test "force_stop: removing the domain while a dead file is open and mapped, then closing it, is safe" {
	sh scripts/examples/pipeline.sh up
	run python3 "$REVOKE" revoke "$PIPE/tx" "$DOMS/pipeline/force_stop" \
		"sh scripts/examples/pipeline.sh down"
	echo "$output"
	assert_success
	refute_output --partial FAIL
	assert_output --partial "ok after the command: read: ENODEV"
	assert_output --partial "ok closed the dead file"
	assert_not_exist "$DOMS/pipeline"
}
