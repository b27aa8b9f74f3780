#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/bench-targets.bats - tools/bench/bench-targets, which judges
# dlb-bench's CSV against the engine's targets: the instrument measures,
# this says "met" or "MISSED", and only --strict turns a miss into a
# failure (make bench-check).

load ../lib/common

TARGETS=$DLB_ROOT/tools/bench/bench-targets

# A dlb-bench CSV with atomic at 4 and 16 ports: engine CPU ns and event_sw
# CPU ns per case, Ir engine and event_sw.
csv() {
	local f=$BATS_TEST_TMPDIR/bench.csv

	echo "sched,ports,flows,stages,window,events,reps,engine_wall_ns,engine_wall_ns_min,engine_cpu_ns,engine_cpu_ns_min,peer_wall_ns,peer_wall_ns_min,peer_cpu_ns,peer_cpu_ns_min,ratio_wall,ratio_cpu,engine_ir,engine_core_ir,peer_ir,ratio_ir,engine_note,peer_note" >"$f"
	echo "atomic,4,1024,1,1024,1000,1,,,$1,,,,$2,,,,200,150,400,,\"\",\"\"" >>"$f"
	echo "atomic,16,1024,1,1024,1000,1,,,$3,,,,$4,,,,210,160,800,,\"\",\"\"" >>"$f"
	echo "$f"
}

@test "bench-targets: 3x fewer ns than event_sw in every case is met" {
	run "$TARGETS" --strict "$(csv 10 31 10 90)"
	assert_success
	assert_output --partial "atomic    >= 3x fewer ns/event than event_sw: worst 3.1x over 2 cases: met"
	refute_output --partial MISSED
}

@test "bench-targets: one case under 3x is MISSED, and only --strict fails" {
	local f

	f=$(csv 10 25 10 90)
	run "$TARGETS" "$f"
	assert_success
	assert_output --partial "worst 2.5x over 2 cases: MISSED"
	run "$TARGETS" --strict "$f"
	assert_failure 1
}

@test "bench-targets: a cost that grows over 1.5x across port counts is MISSED" {
	run "$TARGETS" "$(csv 10 40 16 90)"
	assert_success
	assert_output --partial "ns per event within 1.5x across port counts: worst 1.60x"
	assert_output --partial "MISSED"
}

@test "bench-targets: a missing or foreign file is exit 2, named" {
	run "$TARGETS" "$BATS_TEST_TMPDIR/none.csv"
	assert_failure 2
	assert_output --partial "none.csv"
	echo "a,b" >"$BATS_TEST_TMPDIR/other.csv"
	run "$TARGETS" "$BATS_TEST_TMPDIR/other.csv"
	assert_failure 2
	assert_output --partial "not a dlb-bench CSV"
}
