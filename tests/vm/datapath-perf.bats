#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/datapath-perf.bats - dlb-perf's scenarios through the example
# pipeline (scripts/examples/pipeline.sh), by the mmap rings with libdlbk and
# by read()/write(); every event must arrive once, no check may fail, and the
# ports' counters must agree with what was sent. Needs `make tools`.

load ../lib/common
load ../lib/configfs
load ../lib/datapath

PERF=tools/build/dlb-perf

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
