#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/stress.bats - bounded stress of the live module: traffic through
# the example two-stage pipeline while its links change, its workers are
# killed with SIGKILL and restarted, and another domain is made, started,
# stopped and removed over and over, as is a virtual device of dlb0 (made,
# committed, uncommitted, removed). At the end every event sent came out
# once, the ports' counters agree, nothing was dropped, and the device's
# resources are back to their totals. It runs twice: with every port used
# through read() and write(), and through the mmap'd rings by libdlbk
# (workers then die with their rings mapped).
#
# DLB_STRESS_SECONDS (default 20) bounds each run's traffic; the drain
# after it takes at most 30 s more. DLB_STRESS_KILL_PERIOD (default 1.5) is the time
# between two kills.

load ../lib/common
load ../lib/configfs
load ../lib/datapath

STRESS=tests/progs/dlb_stress.py

setup() {
	pipeline_setup
}

teardown() {
	[[ -z ${CHURN:-} ]] || { touch "$BATS_TEST_TMPDIR/stop"; wait "$CHURN" || true; }
	[[ -z ${VCHURN:-} ]] || { touch "$BATS_TEST_TMPDIR/stop"; wait "$VCHURN" || true; }
	pipeline_teardown
}

# rounds NAME ROUND: run the function ROUND, each call a whole round, until
# $BATS_TEST_TMPDIR/stop appears; the count of rounds goes to
# $BATS_TEST_TMPDIR/NAME. Stops and fails, naming the round, if one fails.
rounds() {
	local name=$1 round=$2 n=0
	while [[ ! -e $BATS_TEST_TMPDIR/stop ]]; do
		if ! "$round"; then
			echo "$name failed at round $n" >&2
			return 1
		fi
		n=$((n + 1))
	done
	echo "$n" >"$BATS_TEST_TMPDIR/$name"
}

# A domain made, started, stopped and removed.
domain_round() {
	local d=$DOMS/churn
	mkdir "$d" && echo 64 >"$d/ldb_credits" &&
		mkdir "$d/queues/q" "$d/ports/p" &&
		ln -s "$d/queues/q" "$d/ports/p/q" &&
		echo 1 >"$d/start" && echo 0 >"$d/start" &&
		rm "$d/ports/p/q" && rmdir "$d/ports/p" "$d/queues/q" &&
		rmdir "$d"
}

# A virtual device of dlb0 made, committed, uncommitted and removed.
vdev_round() {
	local v=$DEV/vdevs/churn
	mkdir "$v" && cfs_set "$v" num_sched_domains=1 num_ldb_queues=1 \
		num_ldb_ports=1 num_ldb_credits=64 num_hist_list_entries=64 &&
		echo 1 >"$v/commit" && echo 0 >"$v/commit" && rmdir "$v"
}

# stress MODE: the stress run with every port used by MODE (rw or mmap),
# then the checks of the counters and resources.
stress() {
	local secs=${DLB_STRESS_SECONDS:-20} sent got p k
	rounds churn domain_round 2>"$BATS_TEST_TMPDIR/churn.err" &
	CHURN=$!
	rounds vdev_churn vdev_round 2>"$BATS_TEST_TMPDIR/vdev_churn.err" &
	VCHURN=$!
	run timeout $((secs + 60)) python3 "$STRESS" "$PIPE" "$DOMS/pipeline" \
		"$secs" "${DLB_STRESS_KILL_PERIOD:-1.5}" "$1"
	echo "$output"
	assert_success
	assert_output --regexp "lost 0 duplicates 0 kills [1-9]"
	echo "# $output" >&3
	touch "$BATS_TEST_TMPDIR/stop"
	wait "$CHURN" || fail "$(cat "$BATS_TEST_TMPDIR/churn.err")"
	CHURN=
	run cat "$BATS_TEST_TMPDIR/churn" "$BATS_TEST_TMPDIR/churn.err"
	echo "# churn rounds: $output" >&3
	assert_output --regexp '^[1-9][0-9]*$'
	assert_not_exist "$DOMS/churn"
	wait "$VCHURN" || fail "$(cat "$BATS_TEST_TMPDIR/vdev_churn.err")"
	VCHURN=
	run cat "$BATS_TEST_TMPDIR/vdev_churn" "$BATS_TEST_TMPDIR/vdev_churn.err"
	echo "# vdev churn rounds: $output" >&3
	assert_output --regexp '^[1-9][0-9]*$'
	assert_not_exist "$DEV/vdevs/churn"
	assert_equal "$(ls "$DLB_SYSFS")" dlb0

	# The ports' own counters: what went in at rx came out at tx, once.
	sent=$(port_stat pipeline rx enqueued)
	got=$(port_stat pipeline tx scheduled)
	echo "# rx enqueued $sent, tx scheduled $got" >&3
	assert [ "$sent" -gt 0 ]
	assert_equal "$got" "$sent"
	for p in rx w0 w1 tx; do
		# refused is back-pressure (credits), not loss: not checked.
		for k in dropped_bad_cmd dropped_bad_qid \
			dropped_bad_sched dropped_tokens dropped_no_held \
			ring_errors; do
			assert_equal "$p $k $(port_stat pipeline $p $k)" "$p $k 0"
		done
		assert_equal "$p held $(port_stat pipeline $p held)" "$p held 0"
	done
	# A killed worker's ring may hold forwards that find no credit at its
	# close: the ABI's crash rule discards them, and the events they
	# forwarded go back to their queue (the count above saw each once).
	# Through write() nothing waits in a ring, and rx and tx never die.
	for p in rx tx $([[ $1 == mmap ]] || echo w0 w1); do
		assert_equal "$p discarded $(port_stat pipeline $p discarded)" \
			"$p discarded 0"
	done
	echo "# discarded at a worker's close: w0 $(port_stat pipeline w0 \
		discarded), w1 $(port_stat pipeline w1 discarded)" >&3
	# Killed workers' events were handed to the other worker.
	assert [ $(($(port_stat pipeline w0 closes) + $(port_stat pipeline w1 closes))) -ge 2 ]

	echo 0 >"$DOMS/pipeline/start"
	cfs_cleanup
	assert_equal "$(cfs_avail)" "$(cfs_total)"
}

@test "stress: traffic under link changes, SIGKILLed workers and domain churn loses nothing" {
	stress rw
}

@test "stress: the same over mmap rings, workers killed with their rings mapped, loses nothing" {
	stress mmap
}
