#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/datapath-perf.bats - dlb-perf's scenarios through the example
# pipeline (scripts/examples/pipeline.sh), by the mmap rings with libdlbk and
# by read()/write(); every event must arrive once, no check may fail, and the
# ports' counters must agree with what was sent. Then dlb-bench's kernel
# peers (scripts/bench-datapath's instrument), which check the same of their
# own domain. Needs `make tools`.

load ../lib/common
load ../lib/configfs
load ../lib/datapath

PERF=tools/build/dlb-perf
BENCH=tools/bench/build/dlb-bench

setup() {
	pipeline_setup
	[[ -x $PERF ]] || fail "$PERF is not built: run make tools"
}

teardown() {
	pipeline_teardown
}

@test "dlb-perf: perf scenario by mmap rings delivers every event once" {
	run "$PERF" -q -s perf -n 20000 "$PIPE"
	assert_success
	assert_output --partial "perf: PASS events 20000 received 20000 lost 0 duplicates 0"
	assert_equal "$(port_stat pipeline rx enqueued)" 20000
	assert_equal "$(port_stat pipeline tx scheduled)" 20000
	assert_equal "$(port_stat pipeline tx tokens)" 20000
	assert_equal $(($(port_stat pipeline w0 completed) + $(port_stat pipeline w1 completed))) 40000
}

@test "dlb-perf: order scenario finds every flow in order at egress" {
	run "$PERF" -q -s order -n 20000 -f 16 "$PIPE"
	assert_success
	assert_output --partial "order_violations 0"
}

@test "dlb-perf: atomic scenario never finds a flow on two workers at once" {
	run "$PERF" -q -s atomic -n 20000 -f 4 "$PIPE"
	assert_success
	assert_output --partial "atomic_violations 0"
}

@test "dlb-perf: read()/write() path passes the order scenario" {
	run "$PERF" -q -r -s order -n 5000 "$PIPE"
	assert_success
	assert_output --partial "order: PASS events 5000 received 5000"
}

@test "dlb-perf: prints progress lines and exits 1 when events are lost" {
	run "$PERF" -s perf -n 100 -w nosuchport "$PIPE"
	assert_equal "$status" 2
	assert_output --partial "nosuchport: No such file or directory"
	# w1 produces and never dequeues: what is scheduled to it is stuck.
	run "$PERF" -s perf -n 100 -t 2 -W 10 -p w1 -w w0 "$PIPE"
	assert_failure 1
	assert_output --partial "FAIL"
	assert_output --regexp "perf: [0-9]+s produced [0-9]+ received [0-9]+ [0-9]+ events/s"
}

# dlb-bench fails a case whose events come out lost, duplicated, with a
# wrong checksum or (ordered) out of order, and prints FAILED for it. The
# window leaves room for the pipeline the setup made.
bench_dlbk() {
	[[ -x $BENCH ]] || fail "$BENCH is not built: run make tools"
	DLBCFG=tools/dlbcfg/dlbcfg run "$BENCH" --peer "$1" --clock wall \
		--ports 4 --flows 1k --stages 1,2 --window 256 --events 5000 --reps 1
	assert_success
	refute_output --partial FAILED
	refute_output --partial "n/a"
	[[ ! -e $DEV/domains/dlb-bench ]] || fail "dlb-bench left its domain"
}

@test "dlb-bench --peer dlbk: every sched type through mmap rings delivers each event once, and the domain goes" {
	bench_dlbk dlbk
}

@test "dlb-bench --peer dlbk-rw: every sched type through read()/write() delivers each event once, and the domain goes" {
	bench_dlbk dlbk-rw
}
