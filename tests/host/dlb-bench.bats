#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/dlb-bench.bats - dlb-bench's DPDK peers on the host: each case
# checks that every event came out once (count, sum, forwards) and, in its
# warm-up, atomicity and order, and prints FAILED otherwise; a case a peer
# cannot express is n/a with the reason. Needs `make tools` with libdpdk.

load ../lib/common

BENCH=$DLB_ROOT/tools/bench/build/dlb-bench

setup() {
	[[ -x $BENCH ]] || fail "$BENCH is not built: run make tools"
}

# bench PEER ARGS...: a small matrix against PEER; skips where dlb-bench
# was built without libdpdk.
bench() {
	local peer=$1

	shift
	run "$BENCH" --peer "$peer" --ports 4,16 --stages 1,2 --events 5000 \
		--reps 1 "$@"
	if [[ $output == *"not built: no libdpdk"* ]]; then
		skip "dlb-bench was built without libdpdk"
	fi
}

@test "dlb-bench --peer event_dsw: atomic (4 flows), unordered and directed deliver each event once; ordered is n/a for want of ordered queues" {
	bench event_dsw --sched atomic,ordered,unordered,directed --flows 4
	assert_success
	refute_output --partial FAILED
	assert_output --partial "event_dsw ordered/p4/f4/s1: n/a: event_dsw has no ordered queues"
	# The three types it has were measured on its side: a figure, not n/a.
	assert_output --regexp "atomic +16 +4 +2 \| +[0-9.]+ +[0-9.]+ "
	assert_output --regexp "unordered +4 +4 +1 \| +[0-9.]+ +[0-9.]+ "
	assert_output --regexp "directed +16 +4 +2 \| +[0-9.]+ +[0-9.]+ "
}

@test "dlb-bench --peer event_sw: every sched type delivers each event once" {
	bench event_sw --sched atomic,ordered,unordered,directed --flows 4
	assert_success
	refute_output --partial FAILED
	refute_output --partial "n/a"
}

@test "dlb-bench --peer: an unknown peer is bad usage, exit status 2, naming the choices" {
	run "$BENCH" --peer event_foo
	assert_failure 2
	assert_output --partial "event_sw, event_dsw, dlbk, dlbk-rw or none"
}
