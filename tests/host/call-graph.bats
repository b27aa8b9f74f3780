#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/call-graph.bats - scripts/call-graph, which scripts/lint trusts
# to keep module/'s files free of call cycles: it derives the graph from the
# objects' defined and undefined symbols, fails on a cycle and names it.

load ../lib/common

GRAPH=$DLB_ROOT/scripts/call-graph

setup() {
	work=$(mktemp -d)
}

teardown() {
	rm -rf "$work"
}

# obj NAME CODE: compile CODE into $work/NAME.o.
obj() {
	printf '%s\n' "$2" >"$work/$1.c"
	gcc -c -o "$work/$1.o" "$work/$1.c"
}

@test "call-graph: files that call only files below them pass" {
	obj top 'int mid(void); int top(void) { return mid(); }'
	obj mid 'int low(void); int mid(void) { return low(); }'
	obj low 'int low(void) { return 0; }'
	run "$GRAPH" -p "$work"/*.o
	assert_success
	assert_line "mid.o -> low.o"
	assert_line "top.o -> mid.o"
}

@test "call-graph: two files calling each other fail, the cycle named" {
	obj sched 'int poll(void); void kick(void) { } int run(void) { return poll(); }'
	obj domain 'void kick(void); int poll(void) { kick(); return 0; }'
	run "$GRAPH" "$work"/*.o
	assert_failure 1
	assert_output --regexp 'cycle: (sched.o -> domain.o -> sched.o|domain.o -> sched.o -> domain.o)'
}

@test "call-graph: a cycle through a variable of another file fails too" {
	obj a 'extern const int b_table[]; int a_fn(void) { return b_table[0]; }'
	obj b 'int a_fn(void); const int b_table[] = { 1 }; int b_fn(void) { return a_fn(); }'
	obj c 'int c(void) { return 0; }'
	run "$GRAPH" "$work"/*.o
	assert_failure 1
	assert_output --partial 'cycle:'
}

@test "call-graph: a three-file cycle fails" {
	obj x 'int y(void); int x(void) { return y(); }'
	obj y 'int z(void); int y(void) { return z(); }'
	obj z 'int x(void); int z(void) { return x(); }'
	run "$GRAPH" "$work"/*.o
	assert_failure 1
	assert_output --regexp 'cycle: ([xyz]\.o -> ){3}[xyz]\.o'
}

@test "call-graph: an excepted edge breaks a cycle, and only that one" {
	obj p 'int q(void); int p(void) { return q(); }'
	obj q 'int p(void); int q(void) { return p(); }'
	run "$GRAPH" -x p.o:q.o "$work"/*.o
	assert_success
	run "$GRAPH" -x p.o:r.o "$work"/*.o
	assert_failure 1
}

@test "call-graph: no object is a usage error" {
	run "$GRAPH"
	assert_failure 2
}
