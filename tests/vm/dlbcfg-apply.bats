#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/dlbcfg-apply.bats - dlbcfg against the live configfs tree:
# apply, export, diff, dry-run, clear, rollback after a kernel refusal, and
# a configuration that takes the whole device.

load ../lib/common
load ../lib/configfs
load ../dlbcfg/vm-helpers

setup() {
	cfs_setup
	dlbcfg_need_tool
	D=$DOMS/pipeline
}

teardown() {
	cfs_teardown
}

@test "dlbcfg: apply builds and starts the pipeline, export of it diffs empty" {
	run "$DLBCFG" apply "$PIPELINE"
	assert_success
	assert_output ""
	assert_equal "$(cat "$D/start")" 1
	assert_equal "$(cat "$D/ldb_credits")" 512
	assert_equal "$(cat "$D/queues/stage2/sched_type")" ordered
	assert_equal "$(cat "$D/queues/egress/sched_type")" directed
	assert_equal "$(readlink -f "$D/ports/w1/stage2")" "$D/queues/stage2"
	assert_equal "$(grep stage2 "$D/ports/w0/link_priorities")" "stage2 0"

	run "$DLBCFG" export -o "$BATS_TEST_TMPDIR/out.cfg"
	assert_success
	run "$DLBCFG" diff --exit-code "$BATS_TEST_TMPDIR/out.cfg"
	assert_success
	assert_output ""
	run "$DLBCFG" diff --exit-code "$PIPELINE"
	assert_success
	assert_output ""
}

@test "dlbcfg: applying the same file twice writes nothing the second time" {
	"$DLBCFG" apply "$PIPELINE"
	gen=$(cat "$D/generation")
	run "$DLBCFG" apply --verbose "$PIPELINE"
	assert_success
	assert_output ""
	assert_equal "$(cat "$D/generation")" "$gen"
	assert_equal "$(cat "$D/start")" 1
}

@test "dlbcfg: an exported file rebuilds the same tree on a cleared device" {
	"$DLBCFG" apply "$PIPELINE"
	"$DLBCFG" export -o "$BATS_TEST_TMPDIR/a.cfg"
	run "$DLBCFG" clear
	assert_success
	run "$DLBCFG" apply "$BATS_TEST_TMPDIR/a.cfg"
	assert_success
	"$DLBCFG" export -o "$BATS_TEST_TMPDIR/b.cfg"
	run diff "$BATS_TEST_TMPDIR/a.cfg" "$BATS_TEST_TMPDIR/b.cfg"
	assert_success
}

@test "dlbcfg: apply --dry-run prints the operations and touches nothing" {
	before=$(dlbcfg_snapshot)
	run "$DLBCFG" apply --dry-run "$PIPELINE"
	assert_success
	assert_line --index 0 "mkdir $D"
	assert_line "echo '512' > $D/ldb_credits"
	assert_line "ln -s $D/queues/egress $D/ports/tx/egress"
	assert_equal "$(dlbcfg_snapshot)" "$before"
}

@test "dlbcfg: the dry-run's commands build what apply builds" {
	"$DLBCFG" apply --dry-run "$PIPELINE" >"$BATS_TEST_TMPDIR/up.sh"
	run sh -e "$BATS_TEST_TMPDIR/up.sh"
	assert_success
	run "$DLBCFG" diff --exit-code "$PIPELINE"
	assert_success
	assert_output ""
}

@test "dlbcfg: a start the kernel refuses (resources taken by another domain) rolls back completely" {
	# Another domain holds all but 100 of the load-balanced credits.
	mkdir "$DOMS/hog"
	echo 8092 >"$DOMS/hog/ldb_credits"
	echo 1 >"$DOMS/hog/start"
	before=$(dlbcfg_snapshot)

	run "$DLBCFG" apply "$PIPELINE"
	assert_equal "$status" 3
	assert_output --partial "$PIPELINE:"
	assert_output --partial "pipeline/start: start: No space left on device"
	assert_output --partial "rolled back"
	assert_equal "$(dlbcfg_snapshot)" "$before"
	[[ ! -e $D ]]
}

@test "dlbcfg: a domain another writer changes during apply is not started (ESTALE) and rolled back" {
	command -v strace >/dev/null || skip "no strace to hold dlbcfg"
	before=$(dlbcfg_snapshot)
	# strace holds dlbcfg 3 s after each link it makes; meanwhile another
	# writer edits the domain, after dlbcfg's last link and before its start.
	(
		while [[ ! -L $D/ports/tx/egress ]]; do sleep 0.2; done
		echo 100 >"$D/queues/stage1/depth_threshold"
	) &
	run strace -f -o /dev/null -e trace=symlink \
		-e inject=symlink:delay_exit=3000000 "$DLBCFG" apply "$PIPELINE"
	wait
	assert_equal "$status" 3
	assert_output --partial "pipeline/start: start: Stale file handle: the domain was changed by someone else"
	assert_output --partial "rolled back"
	assert_equal "$(dlbcfg_snapshot)" "$before"
}

@test "dlbcfg: a failed --force change of a started domain restores it as it was, started" {
	"$DLBCFG" apply "$PIPELINE"
	mkdir "$DOMS/hog"
	echo 7500 >"$DOMS/hog/ldb_credits"
	echo 1 >"$DOMS/hog/start"
	before=$(dlbcfg_snapshot)
	# More credits than are left, a port fewer, a queue more, a link moved.
	sed 's/ldb_credits = 512/ldb_credits = 1024/; /{ name = "rx"; },/d;
	     s/{ name = "egress"; type = "dir"; }/&, { name = "extra"; }/;
	     s/links = ( "stage1", { queue = "stage2"; priority = 0; } ); },/links = ( "stage1", "extra", { queue = "stage2"; priority = 0; } ); },/' \
		"$PIPELINE" >"$BATS_TEST_TMPDIR/big.cfg"
	run "$DLBCFG" check "$BATS_TEST_TMPDIR/big.cfg"
	assert_success

	run "$DLBCFG" apply "$BATS_TEST_TMPDIR/big.cfg"
	assert_equal "$status" 3
	assert_output --partial "is started and the file changes what is frozen"
	assert_equal "$(dlbcfg_snapshot)" "$before"

	run "$DLBCFG" apply --force "$BATS_TEST_TMPDIR/big.cfg"
	assert_equal "$status" 3
	assert_output --partial "No space left on device"
	assert_equal "$(dlbcfg_snapshot)" "$before"
	assert_equal "$(cat "$D/start")" 1
}

@test "dlbcfg: apply --force stops, changes and restarts a started domain" {
	"$DLBCFG" apply "$PIPELINE"
	sed 's/ldb_credits = 512/ldb_credits = 1024/' "$PIPELINE" >"$BATS_TEST_TMPDIR/c.cfg"
	run "$DLBCFG" apply --force "$BATS_TEST_TMPDIR/c.cfg"
	assert_success
	assert_equal "$(cat "$D/ldb_credits")" 1024
	assert_equal "$(cat "$D/start")" 1
	assert_equal "$(cat "$DLB_SYSFS/dlb0/avail_resources/num_ldb_credits")" $((8192 - 1024))
}

@test "dlbcfg: links and priorities change on a started domain without a restart" {
	"$DLBCFG" apply "$PIPELINE"
	# w0 drops its stage2 link and lowers stage1's priority; w1 keeps both
	sed '/name = "w0"/{n;s/links = .*/links = ( { queue = "stage1"; priority = 2; } ); },/}' \
		"$PIPELINE" >"$BATS_TEST_TMPDIR/l.cfg"
	run "$DLBCFG" diff "$BATS_TEST_TMPDIR/l.cfg"
	assert_success
	refute_line --partial "start"
	run "$DLBCFG" apply "$BATS_TEST_TMPDIR/l.cfg"
	assert_success
	[[ ! -e $D/ports/w0/stage2 ]]
	assert_equal "$(cat "$D/ports/w0/link_priorities")" "stage1 2"
	assert_equal "$(cat "$D/start")" 1
	assert_equal "$(cat "$D/ports/w0/id")" 1
}

@test "dlbcfg: directed links change on a started domain only with --force" {
	for pair in "e1 e2" "e2 e1"; do
		read -r a b <<<"$pair"
		cat >"$BATS_TEST_TMPDIR/$a.cfg" <<-EOT
		devices = ( { name = "dlb0"; domains = ( { name = "pipeline";
		  queues = ( { name = "e1"; type = "dir"; }, { name = "e2"; type = "dir"; } );
		  ports = ( { name = "t1"; type = "dir"; links = ( "$a" ); },
		            { name = "t2"; type = "dir"; links = ( "$b" ); } ); } ); } );
		EOT
	done
	"$DLBCFG" apply "$BATS_TEST_TMPDIR/e1.cfg"
	before=$(dlbcfg_snapshot)
	run "$DLBCFG" apply "$BATS_TEST_TMPDIR/e2.cfg"
	assert_equal "$status" 3
	assert_output --partial "is started and the file changes what is frozen while started (dlb0/domains/pipeline/ports/t1/e1)"
	assert_equal "$(dlbcfg_snapshot)" "$before"
	run "$DLBCFG" apply --force "$BATS_TEST_TMPDIR/e2.cfg"
	assert_success
	assert_equal "$(readlink -f "$D/ports/t1/e2")" "$D/queues/e2"
	assert_equal "$(cat "$D/start")" 1
}

@test "dlbcfg: --domain applies one domain of a file" {
	cat >"$BATS_TEST_TMPDIR/two.cfg" <<-EOT
	devices = ( { name = "dlb0"; domains = (
	  { name = "pipeline";
	    queues = ( { name = "q"; } ); ports = ( { name = "p"; links = ( "q" ); } ); },
	  { name = "other"; start = false; }
	); } );
	EOT
	run "$DLBCFG" check "$BATS_TEST_TMPDIR/two.cfg"
	assert_success
	run "$DLBCFG" apply --domain other "$BATS_TEST_TMPDIR/two.cfg"
	assert_success
	[[ -d $DOMS/other && ! -e $D ]]
	run "$DLBCFG" apply --domain dlb0/pipeline "$BATS_TEST_TMPDIR/two.cfg"
	assert_success
	assert_equal "$(cat "$D/start")" 1
}

@test "dlbcfg: --keep-going applies the domains that fit and rolls back the one refused" {
	mkdir "$DOMS/hog"
	echo 8000 >"$DOMS/hog/ldb_credits"
	echo 1 >"$DOMS/hog/start"
	cat >"$BATS_TEST_TMPDIR/k.cfg" <<-EOT
	devices = ( { name = "dlb0"; domains = (
	  { name = "big"; ldb_credits = 512;
	    queues = ( { name = "q"; } ); ports = ( { name = "p"; links = ( "q" ); } ); },
	  { name = "small"; ldb_credits = 128;
	    queues = ( { name = "q"; } ); ports = ( { name = "p"; links = ( "q" ); } ); }
	); } );
	EOT
	run "$DLBCFG" apply --keep-going "$BATS_TEST_TMPDIR/k.cfg"
	assert_equal "$status" 3
	assert_output --partial "big: rolled back, going on"
	[[ ! -e $DOMS/big ]]
	assert_equal "$(cat "$DOMS/small/start")" 1
}

@test "dlbcfg: clear stops and removes every domain and gives all resources back" {
	total=$(cfs_total)
	"$DLBCFG" apply "$PIPELINE"
	mkdir "$DOMS/by-hand"
	run "$DLBCFG" clear
	assert_success
	run ls "$DOMS"
	assert_output ""
	assert_equal "$(cfs_avail)" "$total"
}

@test "dlbcfg: clear DEV/DOMAIN removes that domain only" {
	"$DLBCFG" apply "$PIPELINE"
	mkdir "$DOMS/keep"
	run "$DLBCFG" clear dlb0/pipeline
	assert_success
	[[ ! -e $D && -d $DOMS/keep ]]
}

@test "dlbcfg: a configuration that takes the whole device applies, and clears" {
	dlbcfg_whole_device "$BATS_TEST_TMPDIR/all.cfg"
	total=$(cfs_total)
	run "$DLBCFG" check "$BATS_TEST_TMPDIR/all.cfg"
	assert_success
	run "$DLBCFG" apply "$BATS_TEST_TMPDIR/all.cfg"
	assert_success
	for r in "${DLB_RESOURCES[@]}"; do
		assert_equal "$r=$(cat "$DLB_SYSFS/dlb0/avail_resources/$r")" "$r=0"
	done
	run "$DLBCFG" diff --exit-code "$BATS_TEST_TMPDIR/all.cfg"
	assert_success
	run "$DLBCFG" clear
	assert_success
	assert_equal "$(cfs_avail)" "$total"
}

@test "dlbcfg: show and dot describe the live tree" {
	"$DLBCFG" apply "$PIPELINE"
	run "$DLBCFG" show
	assert_success
	assert_line --partial "domain pipeline start=1"
	assert_line --partial "resources in use (of total): sched_domains 1/32"
	run "$DLBCFG" dot dlb0/pipeline
	assert_success
	assert_line '    "dlb0/domains/pipeline/queues/egress" -> "dlb0/domains/pipeline/ports/tx" [label="4"];'
}

@test "dlbcfg: apply names a missing device and exits 3" {
	sed 's/"dlb0"/"dlb7"/' "$PIPELINE" >"$BATS_TEST_TMPDIR/d7.cfg"
	run "$DLBCFG" apply "$BATS_TEST_TMPDIR/d7.cfg"
	assert_equal "$status" 3
	assert_output --partial "dlb7: no such device"
}

@test "dlbcfg: apply, rollback, force and clear are clean under ASan and UBSan" {
	asan=$DLB_ROOT/tests/dlbcfg/out/dlbcfg-asan
	[[ -x $asan ]] || skip "no $asan: make -C tests/dlbcfg out/dlbcfg-asan"
	export ASAN_OPTIONS=exitcode=86 UBSAN_OPTIONS=halt_on_error=1:exitcode=87
	export LSAN_OPTIONS=suppressions=$DLB_ROOT/tests/dlbcfg/lsan.supp
	run "$asan" apply "$PIPELINE"
	assert_success
	sed 's/ldb_credits = 512/ldb_credits = 8000/; /{ name = "rx"; },/d' \
		"$PIPELINE" >"$BATS_TEST_TMPDIR/big.cfg"
	mkdir "$DOMS/hog"
	echo 1000 >"$DOMS/hog/ldb_credits"
	echo 1 >"$DOMS/hog/start"
	run "$asan" apply --force "$BATS_TEST_TMPDIR/big.cfg"
	assert_equal "$status" 3
	refute_output --partial Sanitizer
	run "$asan" show
	assert_success
	run "$asan" export
	assert_success
	run "$asan" clear
	assert_success
	run ls "$DOMS"
	assert_output ""
}
