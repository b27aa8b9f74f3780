#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/configfs-races.bats - several shells editing, linking, starting
# and stopping the same domain and different domains at once, for a bounded
# time. Afterwards the tree must be consistent, the accounting must balance,
# and the kernel log must be clean (no WARN, no lockdep report).

load ../lib/common
load ../lib/configfs

# Seconds and iterations each racer runs at most.
RACE_SECONDS=${DLB_RACE_SECONDS:-20}
RACE_ITERATIONS=${DLB_RACE_ITERATIONS:-2000}

RACERS=()

setup() {
	cfs_setup
}

teardown() {
	local p
	# A failed assertion leaves racers behind: end them before cleaning up.
	for p in "${RACERS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	cfs_teardown
}

# One editor of domain $1: random edits, links, mkdir/rmdir, starts (with
# and without a generation) and stops. Every operation may fail (EBUSY,
# ESTALE, ENOENT, ...): racing is the point. Prints its iteration count.
editor() {
	local d=$DOMS/$1 end=$((SECONDS + RACE_SECONDS)) i=0 n
	set +e	# bats' errexit would end the racer at its first refusal
	while ((SECONDS < end && i < RACE_ITERATIONS)); do
		i=$((i + 1))
		n=$((RANDOM % 4))
		case $((RANDOM % 10)) in
		0) mkdir "$d/queues/q$n" ;;
		1) rmdir "$d/queues/q$n" ;;
		2) mkdir "$d/ports/p$n" ;;
		3) rmdir "$d/ports/p$n" ;;
		4) ln -s "$d/queues/q$n" "$d/ports/p$((RANDOM % 4))/q$n" ;;
		5) rm "$d/ports/p$((RANDOM % 4))/q$n" ;;
		6) echo $((RANDOM % 600)) >"$d/ldb_credits" ;;
		7) echo "1 $(<"$d/generation")" >"$d/start" ;;
		8) echo 1 >"$d/start" ;;
		9) echo 0 >"$d/start" ;;
		esac
	done 2>/dev/null
	echo "$i"
}

# Reads avail_resources and generations; fails if a generation goes down.
reader() {
	local end=$((SECONDS + RACE_SECONDS)) g last_a=0 last_b=0
	set +e
	while ((SECONDS < end)); do
		cfs_avail >/dev/null
		g=$(<"$DOMS/a/generation") || return 1
		((g >= last_a)) || { echo "generation of a went down"; return 1; }
		last_a=$g
		g=$(<"$DOMS/b/generation") || return 1
		((g >= last_b)) || { echo "generation of b went down"; return 1; }
		last_b=$g
	done
	echo reader ok
}

# After the race: every started domain shows ids, every stopped one none.
check_domain() {
	local d=$DOMS/$1 started f
	started=$(<"$d/start")
	for f in "$d"/queues/*/id "$d"/ports/*/id; do
		[[ -e $f ]] || continue
		if [[ $started == 1 ]]; then
			[[ $(<"$f") != -1 ]] || fail "$f is -1 in a started domain"
		else
			[[ $(<"$f") == -1 ]] || fail "$f is set in a stopped domain"
		fi
	done
}

@test "configfs: racing editors on the same and different domains keep the tree consistent and the accounting balanced" {
	mkdir "$DOMS/a" "$DOMS/b"
	local out=$BATS_TEST_TMPDIR p
	editor a >"$out/e1" &
	RACERS+=($!)
	editor a >"$out/e2" &
	RACERS+=($!)
	editor b >"$out/e3" &
	RACERS+=($!)
	reader >"$out/r" &
	RACERS+=($!)
	for p in "${RACERS[@]}"; do
		wait "$p" || fail "racer $p failed"
	done
	RACERS=()
	assert_equal "$(<"$out/r")" "reader ok"
	echo "# iterations: $(<"$out/e1") $(<"$out/e2") $(<"$out/e3")" >&3

	check_domain a
	check_domain b
	# Stop and remove everything: avail must be back at the totals.
	cfs_cleanup
	assert_not_exist "$DOMS/a"
	assert_equal "$(cfs_avail)" "$(cfs_total)"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "0 0"
}

@test "configfs: fork-free racers (two per domain) keep the tree consistent and the accounting balanced" {
	mkdir "$DOMS/a" "$DOMS/b" "$DOMS/c"
	run python3 tests/progs/dlb_race.py "$DOMS" "$RACE_SECONDS" \
		$((RACE_ITERATIONS * 10)) a b c
	assert_success
	refute_output --partial FAIL
	echo "# $(tr '\n' ';' <<<"$output")" >&3
	check_domain a
	check_domain b
	check_domain c
	cfs_cleanup
	assert_equal "$(cfs_avail)" "$(cfs_total)"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "0 0"
}

@test "configfs: symlink racing rmdir of its target never touches a freed item" {
	# Tests the workarounds for two configfs core races (written up in
	# docs/configfs-symlink-rmdir.patch.txt). configfs_symlink()
	# resolves its target with no lock against rmdir;
	# the VFS unhashes a removed directory only after ->rmdir, when the
	# item is already gone. Regression test for a refcount_t "addition
	# on 0" (then a use-after-free in allow_link). The same racer also
	# opens configfs's mkdir window: a new directory is found by lookup
	# before its item's ci_dentry is set, which create_link() reads (an
	# oops seen once in CI). The teardown's kernel log check fails this
	# test if either window is still open.
	mkdir "$DOMS/a"
	run python3 tests/progs/dlb_race.py --link-vs-rmdir "$DOMS" \
		"$RACE_SECONDS" a
	assert_success
	echo "# $(tr '\n' ';' <<<"$output")" >&3
	assert_output --regexp 'linker: [1-9][0-9]* operations succeeded'
	assert_output --regexp 'remover: [1-9][0-9]* operations succeeded'
	cfs_cleanup
	assert_equal "$(cfs_avail)" "$(cfs_total)"
}

@test "configfs: a start racing mkdir in its domain never pins a half-made object" {
	# Tests the workaround for a configfs core race (see
	# docs/configfs-symlink-rmdir.patch.txt). A new queue or port joins
	# its domain in make_group, but configfs
	# links it to its parent only after make_group returns; a start in
	# between pinned it through configfs_depend_item_unlocked(), which
	# followed its NULL parent (an oops seen on 6.12-rt in the kernel
	# matrix). The teardown's kernel log check fails this test if the
	# window is still open.
	mkdir "$DOMS/a"
	run python3 tests/progs/dlb_race.py --mkdir-vs-start "$DOMS" \
		"$RACE_SECONDS" a
	assert_success
	echo "# $(tr '\n' ';' <<<"$output")" >&3
	assert_output --regexp 'maker: [1-9][0-9]* operations succeeded'
	assert_output --regexp 'starter: [1-9][0-9]* operations succeeded'
	cfs_cleanup
	assert_equal "$(cfs_avail)" "$(cfs_total)"
}

@test "configfs: concurrent starts of domains competing for the last resources never overcommit" {
	local d i pids=()
	# Five domains of 2000 ldb credits each; the device has 8192: at most
	# four can be started at once, whatever the interleaving.
	for d in a b c e f; do
		cfs_domain $d ldb_credits=2000
	done
	for i in 1 2 3; do
		for d in a b c e f; do
			(echo 1 >"$DOMS/$d/start") 2>/dev/null &
			pids+=($!)
		done
		wait "${pids[@]}" || true
		pids=()
		local started=0
		for d in a b c e f; do
			[[ $(<"$DOMS/$d/start") == 1 ]] && started=$((started + 1))
		done
		assert_equal "$started" 4
		assert_equal "$(<"$DLB_SYSFS/dlb0/avail_resources/num_ldb_credits")" 192
		for d in a b c e f; do
			echo 0 >"$DOMS/$d/start"
		done
	done
	assert_equal "$(cfs_avail)" "$(cfs_total)"
}
