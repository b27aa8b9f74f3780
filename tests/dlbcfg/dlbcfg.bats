#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/dlbcfg/dlbcfg.bats - dlbcfg on the host, built with ASan/UBSan
# (out/dlbcfg-asan): usage and exit codes; diff, export, apply and clear (dry
# runs and refusals), show and dot on a fake configfs tree of plain files; the
# same for vdevs, and their CDI spec, on a second one; a bounded libFuzzer run.
# No kernel. The test of each corpus, verdict and example file is in
# out/files.bats (gen-file-tests); make check runs both.
#
# setup_file builds the fixtures once, in $BATS_FILE_TMPDIR:
#   cfs/       the pipeline of examples/pipeline.cfg as applied (fake_tree)
#   before     a snapshot of cfs/, for the test that nothing touches it
#   ports/     DLBCFG_PORT_SYSFS: port w0's counters, for show
#   vcfs/      examples/vdevs.cfg applied by running apply --dry-run's script
#              (vapply.out, .err and .status: that run, which a test checks)
#   dev/       DLBCFG_DEV: the vdev domains' port files (mknod: root only)
# A test points dlbcfg at one tree with pipeline_tree or vdev_tree. The
# trees are shared: dlbcfg only prints or refuses in these tests, and the one
# test that adds to a tree (dlb9/) removes it before it asserts. No test
# needs an earlier one: each passes alone (bats -f 'NAME' dlbcfg.bats).

load ../lib/common
load helpers

PIPELINE=../../examples/pipeline.cfg
VCFG=../../examples/vdevs.cfg

# fake_tree DIR: configfs as the pipeline looks once applied and started
fake_tree() {
	local d=$1/dlb0/domains/pipeline q p name type sched sn ai depth
	mkdir -p "$d/queues" "$d/ports"
	printf '%s\n' 1 >"$d/start"
	echo 26 >"$d/generation"
	echo 0 >"$d/uid"
	echo 0 >"$d/gid"
	echo 512 >"$d/ldb_credits"
	echo 64 >"$d/dir_credits"
	for q in stage1:ldb:atomic:0:128 stage2:ldb:ordered:64:64 egress:dir:directed:0:64; do
		IFS=: read -r name type sched sn ai <<<"$q"
		mkdir "$d/queues/$name"
		echo "$type" >"$d/queues/$name/type"
		echo "$sched" >"$d/queues/$name/sched_type"
		echo 256 >"$d/queues/$name/depth_threshold"
		echo "$sn" >"$d/queues/$name/sequence_numbers"
		echo "$ai" >"$d/queues/$name/atomic_inflights"
		echo 0 >"$d/queues/$name/id"
		echo 0 >"$d/queues/$name/depth"
	done
	for p in rx:ldb:32 w0:ldb:64 w1:ldb:64 tx:dir:32; do
		IFS=: read -r name type depth <<<"$p"
		mkdir "$d/ports/$name"
		echo "$type" >"$d/ports/$name/type"
		echo "$depth" >"$d/ports/$name/cq_depth"
		echo "$depth" >"$d/ports/$name/hist_list_size"
		echo 1 >"$d/ports/$name/cq_depth_threshold"
		echo any >"$d/ports/$name/cos"
		echo 0 >"$d/ports/$name/id"
		: >"$d/ports/$name/link_priorities"
	done
	for p in w0 w1; do
		ln -s ../../queues/stage1 "$d/ports/$p/stage1"
		ln -s ../../queues/stage2 "$d/ports/$p/stage2"
		printf 'stage1 4\nstage2 0\n' >"$d/ports/$p/link_priorities"
	done
	ln -s ../../queues/egress "$d/ports/tx/egress"
	echo "egress 4" >"$d/ports/tx/link_priorities"
}

# snapshot: every path and link target of the tree, and every file's sum
snapshot() {
	(cd "$DLBCFG_ROOT" && find . -printf '%p %l\n' | sort &&
		find . -type f -exec md5sum {} + | sort)
}

# vdev_fake_tree DIR: a tree where each vdev is already its device.
# configfs would name the device in device at commit; here it is named in
# advance, and each vdev has its domains/ as configfs makes it. The tree is
# built by running apply --dry-run's script, which works on plain files as
# on configfs; the run is kept for the test of it.
vdev_fake_tree() {
	local v f status=0 tmp=$BATS_FILE_TMPDIR

	mkdir -p "$1/dlb0/domains"
	for v in tenant-a:dlb3 tenant-b:dlb4; do
		mkdir -p "$1/dlb0/vdevs/${v%:*}/domains"
		echo "${v#*:}" >"$1/dlb0/vdevs/${v%:*}/device"
		echo 0 >"$1/dlb0/vdevs/${v%:*}/commit"
	done
	DLBCFG_ROOT=$1 "$DLBCFG" apply --dry-run "$VCFG" >"$tmp/vapply.out" \
		2>"$tmp/vapply.err" || status=$?
	echo "$status" >"$tmp/vapply.status"
	# mkdir -p: configfs makes a domain's queues and ports with it
	sed 's/^mkdir /mkdir -p /' "$tmp/vapply.out" >"$tmp/vapply.sh"
	# (no generation file here: the start line's cat complains). Its
	# status is not checked: the vdev tests check the tree it leaves.
	bash -e "$tmp/vapply.sh" 2>/dev/null || true
	# a start takes "1 <generation>" and reads back 1
	for f in "$1"/dlb0/vdevs/*/domains/*/start; do echo 1 >"$f"; done
}

# vapply_run: make the run of apply --dry-run that setup_file built the
# tree with the last run ($status, $OUT, $ERR)
vapply_run() {
	OUT=$BATS_FILE_TMPDIR/vapply.out
	ERR=$BATS_FILE_TMPDIR/vapply.err
	status=$(<"$BATS_FILE_TMPDIR/vapply.status")
}

# the port files of the vdevs' started domains, as the kernel makes them
fake_dev() {
	local p m=0

	mkdir -p "$1/dlb3/flows" "$1/dlb4/flows"
	for p in dlb3/flows/w0 dlb3/flows/w1 dlb3/flows/tx dlb4/flows/w0 dlb4/flows/w1; do
		mknod -m 0660 "$1/$p" c 240 $((m++))
	done
}

setup_file() {
	[[ -x $DLBCFG ]] || fail "no $DLBCFG: make -C tests/dlbcfg out/dlbcfg-asan"
	export DLBCFG_PORT_SYSFS=$BATS_FILE_TMPDIR/ports
	export DLBCFG_DEV=$BATS_FILE_TMPDIR/dev
	mkdir -p "$DLBCFG_PORT_SYSFS/dlb0.pipeline.w0/stats"
	echo 5 >"$DLBCFG_PORT_SYSFS/dlb0.pipeline.w0/stats/enqueued"
	echo 3 >"$DLBCFG_PORT_SYSFS/dlb0.pipeline.w0/stats/scheduled"
	fake_tree "$BATS_FILE_TMPDIR/cfs"
	DLBCFG_ROOT=$BATS_FILE_TMPDIR/cfs snapshot >"$BATS_FILE_TMPDIR/before"
	vdev_fake_tree "$BATS_FILE_TMPDIR/vcfs"
	if [[ $(id -u) == 0 ]]; then
		fake_dev "$DLBCFG_DEV"
	fi
}

pipeline_tree() {
	export DLBCFG_ROOT=$BATS_FILE_TMPDIR/cfs
}

vdev_tree() {
	export DLBCFG_ROOT=$BATS_FILE_TMPDIR/vcfs
}

# $BATS_TEST_TMPDIR/changed.cfg: the pipeline with a frozen setting changed
# and a port renamed
changed_cfg() {
	sed 's/ldb_credits = 512/ldb_credits = 1024/; s/{ name = "rx"; }/{ name = "rx2"; }/' \
		"$PIPELINE" >"$BATS_TEST_TMPDIR/changed.cfg"
}

# -- usage ----------------------------------------------------------------

# check_usage CMD: dlbcfg CMD --help prints CMD's usage on stdout, exit 0
check_usage() {
	run_dlbcfg "$1" --help
	assert_status 0
	assert_grep "^Usage: dlbcfg $1" "$OUT"
}

@test "usage: dlbcfg check --help prints its usage and exits 0" { check_usage check; }
@test "usage: dlbcfg apply --help prints its usage and exits 0" { check_usage apply; }
@test "usage: dlbcfg diff --help prints its usage and exits 0" { check_usage diff; }
@test "usage: dlbcfg export --help prints its usage and exits 0" { check_usage export; }
@test "usage: dlbcfg clear --help prints its usage and exits 0" { check_usage clear; }
@test "usage: dlbcfg show --help prints its usage and exits 0" { check_usage show; }
@test "usage: dlbcfg dot --help prints its usage and exits 0" { check_usage dot; }
@test "usage: dlbcfg cdi --help prints its usage and exits 0" { check_usage cdi; }

@test "usage: an unknown option exits 2" {
	run_dlbcfg apply --no-such-option x.cfg
	assert_status 2
}

@test "usage: an unknown command exits 2" {
	run_dlbcfg frobnicate
	assert_status 2
}

@test "usage: check without a file exits 2" {
	run_dlbcfg check
	assert_status 2
}

# -- the pipeline's fake configfs tree ------------------------------------

@test "diff: the pipeline file against its applied tree is empty" {
	pipeline_tree
	assert_no_diff "$PIPELINE"
}

@test "export: writes writable attributes and links only, and diff of it is empty" {
	pipeline_tree
	local exported=$BATS_TEST_TMPDIR/export.cfg
	run_dlbcfg export -o "$exported"
	assert_status 0
	assert_no_diff "$exported"
	assert_grep 'queue = "stage2"; priority = 0;' "$exported"
	refute_grep -E '^ *(id|depth|generation) =' "$exported"
}

@test "export: DEV/DOMAIN exports that domain alone" {
	pipeline_tree
	local whole=$BATS_TEST_TMPDIR/export.cfg
	# the tree has that one domain: the same as exporting everything
	"$DLBCFG" export -o "$whole"
	run_dlbcfg export dlb0/pipeline
	assert_status 0
	cmp -s "$OUT" "$whole" || dlbcfg_fail "not what export -o wrote"
}

@test "export: an unknown device exits 3" {
	pipeline_tree
	run_dlbcfg export nodev
	assert_status 3
}

@test "diff: shows changed, removed and added objects and the restart, --exit-code gives 4" {
	pipeline_tree
	changed_cfg
	run_dlbcfg diff --exit-code "$BATS_TEST_TMPDIR/changed.cfg"
	assert_status 4
	assert_sanitized
	assert_grep -x '~ dlb0/domains/pipeline/ldb_credits: 512 -> 1024' "$OUT"
	assert_grep -x -- '- dlb0/domains/pipeline/ports/rx' "$OUT"
	assert_grep -x '+ dlb0/domains/pipeline/ports/rx2' "$OUT"
	assert_grep -x -- '- start dlb0/domains/pipeline' "$OUT"
}

@test "apply: a started domain whose frozen settings differ is refused without --force" {
	pipeline_tree
	changed_cfg
	run_dlbcfg apply "$BATS_TEST_TMPDIR/changed.cfg"
	assert_status 3
	assert_grep "is started and the file changes what is frozen" "$ERR"
	assert_grep "changed.cfg:[0-9]*: dlb0/domains/pipeline" "$ERR"
}

@test "apply: --dry-run --force prints stop, the changes and start as shell commands" {
	pipeline_tree
	changed_cfg
	run_dlbcfg apply --dry-run --force "$BATS_TEST_TMPDIR/changed.cfg"
	assert_status 0
	assert_sanitized
	[[ $(head -1 "$OUT") == "echo 0 > $DLBCFG_ROOT/dlb0/domains/pipeline/start" ]] ||
		dlbcfg_fail "the first line is not the stop"
	assert_grep "^echo '1024' > .*/ldb_credits$" "$OUT"
	# shellcheck disable=SC2016 # the $(cat ...) is dlbcfg's output, not ours
	tail -1 "$OUT" | grep -q '^echo "1 $(cat .*/generation)" > .*/start$' ||
		dlbcfg_fail "the last line is not the start"
}

@test "clear: --dry-run prints stop, unlinks and rmdirs, the domain last" {
	pipeline_tree
	run_dlbcfg clear --dry-run
	assert_status 0
	[[ $(tail -1 "$OUT") == "rmdir $DLBCFG_ROOT/dlb0/domains/pipeline" ]] ||
		dlbcfg_fail "the last line is not the domain's rmdir"
}

@test "dry-run, diff, export and a refused apply touch nothing in the tree" {
	pipeline_tree
	# What the tests above run, again, so that this holds alone too; in
	# a whole run the tree is also the one they ran on.
	changed_cfg
	local c=$BATS_TEST_TMPDIR/changed.cfg
	{
		"$DLBCFG" diff "$PIPELINE"
		"$DLBCFG" export -o "$BATS_TEST_TMPDIR/export.cfg"
		"$DLBCFG" export dlb0/pipeline
		"$DLBCFG" export nodev
		"$DLBCFG" diff --exit-code "$c"
		"$DLBCFG" apply "$c"
		"$DLBCFG" apply --dry-run --force "$c"
		"$DLBCFG" clear --dry-run
	} >/dev/null 2>&1 || true
	snapshot >"$BATS_TEST_TMPDIR/after"
	run diff "$BATS_FILE_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	assert_success
}

@test "show: prints state, generation, links with priorities, port counters and a domain's resources" {
	pipeline_tree
	run_dlbcfg show
	assert_status 0
	assert_grep "domain pipeline start=1 generation=26" "$OUT"
	assert_grep -- "-> queue stage2 priority=0" "$OUT"
	assert_grep -x "       stats: enqueued 5; scheduled 3;" "$OUT"
	assert_grep "^     uses: sched_domains 1; ldb_queues 2; ldb_ports 3; dir_ports 1; ldb_credits 512; dir_credits 64; hist_list_entries 160; atomic_inflights 128; sequence_numbers 64;$" "$OUT"
}

@test "dot: draws a queue-to-port edge per link, labelled with its priority" {
	pipeline_tree
	run_dlbcfg dot
	assert_status 0
	assert_grep '"dlb0/domains/pipeline/queues/stage2" -> "dlb0/domains/pipeline/ports/w0" \[label="0"\]' "$OUT"
}

@test "export: -o replaces the file atomically" {
	[[ $(id -u) != 0 ]] || skip "root ignores directory permissions"
	pipeline_tree
	# the old file stays whole if the new one cannot be written beside it
	local d=$BATS_TEST_TMPDIR/ro
	mkdir "$d"
	echo keep >"$d/old.cfg"
	chmod 0555 "$d"
	run_dlbcfg export -o "$d/old.cfg"
	chmod 0755 "$d"
	assert_status 3
	[[ $(cat "$d/old.cfg") == keep ]] || dlbcfg_fail "old.cfg changed"
}

# -- vdevs: the second fake tree ------------------------------------------

@test "vdev: apply writes the quotas and commits the vdev before making its domains in the vdev's domains/" {
	vdev_tree
	vapply_run
	local commit_at mkdir_at
	commit_at=$(grep -n "^echo 1 > $DLBCFG_ROOT/dlb0/vdevs/tenant-a/commit" "$OUT" | cut -d: -f1)
	mkdir_at=$(grep -nF "mkdir $DLBCFG_ROOT/dlb0/vdevs/tenant-a/domains/flows" "$OUT" | head -1 | cut -d: -f1)
	assert_status 0
	assert_sanitized
	[[ $(cat "$DLBCFG_ROOT/dlb0/vdevs/tenant-a/num_ldb_queues") == 2 ]] ||
		dlbcfg_fail "tenant-a's num_ldb_queues is not 2"
	[[ -n $commit_at && -n $mkdir_at && $commit_at -lt $mkdir_at ]] ||
		dlbcfg_fail "the commit (line $commit_at) is not before the domain's mkdir (line $mkdir_at)"
	[[ -L $DLBCFG_ROOT/dlb0/vdevs/tenant-a/domains/flows/ports/w0/work ]] ||
		dlbcfg_fail "no link tenant-a/domains/flows/ports/w0/work"
}

@test "vdev: diff of the applied file is empty" {
	vdev_tree
	assert_no_diff "$VCFG"
}

@test "vdev: export writes vdevs by parent and name with quotas and domains (no dlbN, no commit), and diff of it is empty" {
	vdev_tree
	local exported=$BATS_TEST_TMPDIR/vexport.cfg
	run_dlbcfg export -o "$exported"
	assert_status 0
	assert_no_diff "$exported"
	assert_grep 'vdevs = (' "$exported"
	assert_grep 'num_ldb_queues = 2;' "$exported"
	refute_grep -E 'dlb3|dlb4|commit|device =' "$exported"
}

@test "vdev: export writes each device directory configfs has and never a vdev's dlbN" {
	vdev_tree
	# a device of its own beside the vdevs, for this test only
	mkdir -p "$DLBCFG_ROOT/dlb9/domains"
	run_dlbcfg export
	rmdir "$DLBCFG_ROOT/dlb9/domains" "$DLBCFG_ROOT/dlb9"
	assert_status 0
	assert_sanitized
	assert_grep 'name = "dlb9";' "$OUT"
	refute_grep -E 'name = "dlb[34]";' "$OUT"
}

@test "vdev: a quota change of a committed vdev with domains is refused at FILE:LINE: attribute without --force" {
	vdev_tree
	local qline cfg=$BATS_TEST_TMPDIR/vquota.cfg
	qline=$(grep -n 'num_ldb_queues = 2' "$VCFG" | cut -d: -f1)
	sed 's/num_ldb_queues = 2;/num_ldb_queues = 3;/' "$VCFG" >"$cfg"
	run_dlbcfg apply "$cfg"
	assert_status 3
	assert_sanitized
	assert_grep "^$cfg:$qline: dlb0/vdevs/tenant-a: num_ldb_queues: 2 -> 3: the vdev is committed and has domains" "$ERR"
	[[ $(cat "$DLBCFG_ROOT/dlb0/vdevs/tenant-a/num_ldb_queues") == 2 ]] ||
		dlbcfg_fail "tenant-a's num_ldb_queues changed"
}

@test "vdev: --force changes a quota by removing the domains, uncommit, write, commit, remaking them" {
	vdev_tree
	local cfg=$BATS_TEST_TMPDIR/vquota.cfg
	sed 's/num_ldb_queues = 2;/num_ldb_queues = 3;/' "$VCFG" >"$cfg"
	run_dlbcfg apply --force --dry-run "$cfg"
	local c="$DLBCFG_ROOT/dlb0/vdevs/tenant-a"
	local d="$c/domains/flows"
	local order want
	order=$(grep -nxF -e "echo 0 > $d/start" -e "rmdir $d" -e "echo 0 > $c/commit" \
		-e "echo '3' > $c/num_ldb_queues" -e "echo 1 > $c/commit" -e "mkdir $d" "$OUT" | cut -d: -f2- | tr '\n' '|')
	want="echo 0 > $d/start|rmdir $d|echo 0 > $c/commit|echo '3' > $c/num_ldb_queues|echo 1 > $c/commit|mkdir $d|"
	assert_status 0
	assert_sanitized
	[[ $order == "$want" ]] || dlbcfg_fail "got  $order" "want $want"
	refute_grep tenant-b "$OUT"
}

# --domain, export and clear name a vdev's domain by parent and vdev name

# $BATS_TEST_TMPDIR/vdom.cfg: vdevs.cfg with the domains' ldb_credits halved
vdom_cfg() {
	awk '/^            ldb_credits = 256;/ { sub("256", "128") } 1' "$VCFG" \
		>"$BATS_TEST_TMPDIR/vdom.cfg"
}

@test "vdev: --domain DEV/vdevs/VDEV/DOMAIN selects that vdev's domain, not the vdev or another's" {
	vdev_tree
	vdom_cfg
	run_dlbcfg diff --domain dlb0/vdevs/tenant-b/flows "$BATS_TEST_TMPDIR/vdom.cfg"
	assert_status 0
	assert_sanitized
	assert_grep -x '~ dlb0/vdevs/tenant-b/domains/flows/ldb_credits: 256 -> 128' "$OUT"
	refute_grep 'tenant-a\|commit' "$OUT"
}

@test "vdev: --domain NAME selects every vdev's domain of that name, DEV/NAME only the device's own" {
	vdev_tree
	vdom_cfg
	local bare
	run_dlbcfg diff --domain flows "$BATS_TEST_TMPDIR/vdom.cfg"
	bare=$(grep -c '^~ .*/ldb_credits: 256 -> 128$' "$OUT") || true
	run_dlbcfg diff --domain dlb0/flows "$BATS_TEST_TMPDIR/vdom.cfg"
	assert_status 0
	assert_sanitized
	[[ $bare == 2 ]] || dlbcfg_fail "--domain flows: $bare changes, wanted 2"
	[[ ! -s $OUT ]] || dlbcfg_fail "--domain dlb0/flows printed changes"
}

@test "vdev: --domain of a vdev that is not committed is refused at the domain's FILE:LINE, changing nothing" {
	vdev_tree
	local cfg=$BATS_TEST_TMPDIR/vnew.cfg
	sed 's/tenant-b/tenant-c/' "$VCFG" >"$cfg"
	run_dlbcfg apply --domain dlb0/vdevs/tenant-c/flows "$cfg"
	assert_status 3
	assert_sanitized
	assert_grep "^$cfg:[0-9]*: dlb0/vdevs/tenant-c/domains/flows: vdev tenant-c is not committed" "$ERR"
	[[ ! -e $DLBCFG_ROOT/dlb0/vdevs/tenant-c ]] || dlbcfg_fail "tenant-c was made"
}

@test "vdev: export DEV/vdevs/VDEV/DOMAIN writes that domain inside its vdev, by name" {
	vdev_tree
	run_dlbcfg export dlb0/vdevs/tenant-a/flows
	assert_status 0
	assert_sanitized
	assert_grep 'name = "tenant-a";' "$OUT"
	assert_grep 'name = "flows";' "$OUT"
	refute_grep -E 'tenant-b|dlb3|dlb4' "$OUT"
}

@test "vdev: naming a committed vdev's device by its dlbN is refused with exit 2 and the vdev's name" {
	vdev_tree
	run_dlbcfg export dlb3
	assert_status 2
	assert_sanitized
	assert_grep 'dlb3 is the vdev dlb0/vdevs/tenant-a while it is committed' "$ERR"
}

@test "vdev: export of an unknown vdev exits 3" {
	vdev_tree
	run_dlbcfg export dlb0/vdevs/nope
	assert_status 3
}

@test "vdev: clear DEV/vdevs/VDEV/DOMAIN removes that domain only, leaving the vdev committed" {
	vdev_tree
	run_dlbcfg clear --dry-run dlb0/vdevs/tenant-a/flows
	assert_status 0
	assert_sanitized
	[[ $(tail -1 "$OUT") == "rmdir $DLBCFG_ROOT/dlb0/vdevs/tenant-a/domains/flows" ]] ||
		dlbcfg_fail "the last line is not the domain's rmdir"
	refute_grep 'commit\|tenant-b' "$OUT"
}

@test "vdev: clear DEV/vdevs/VDEV removes its domains, then uncommits and removes it, and nothing else" {
	vdev_tree
	run_dlbcfg clear --dry-run dlb0/vdevs/tenant-b
	assert_status 0
	assert_sanitized
	[[ $(tail -2 "$OUT" | tr '\n' '|') == "echo 0 > $DLBCFG_ROOT/dlb0/vdevs/tenant-b/commit|rmdir $DLBCFG_ROOT/dlb0/vdevs/tenant-b|" ]] ||
		dlbcfg_fail "the last lines are not the uncommit and the rmdir"
	assert_grep '/domains/flows$' "$OUT"
	refute_grep 'tenant-a' "$OUT"
}

@test "vdev: clear removes a vdev's domains, then uncommits and removes the vdev" {
	vdev_tree
	run_dlbcfg clear --dry-run
	local last
	last=$(tail -4 "$OUT" | tr '\n' '|')
	assert_status 0
	assert_sanitized
	# tenant-b's removal ends the script or comes right before its last line
	local b="/domains/flows|echo 0 > $DLBCFG_ROOT/dlb0/vdevs/tenant-b/commit|rmdir $DLBCFG_ROOT/dlb0/vdevs/tenant-b|"
	[[ $last == "rmdir $DLBCFG_ROOT/dlb0/vdevs/tenant-b$b"* || $last == *"$b" ]] ||
		dlbcfg_fail "the last lines: $last"
}

# -- the CDI spec of the vdevs' domains, from dev/ -------------------------

@test "cdi: one CDI device per vdev and per domain, naming exactly its port files with their major:minor" {
	[[ $(id -u) == 0 ]] || skip "mknod needs root"
	vdev_tree
	local got want
	run_dlbcfg cdi -o "$BATS_TEST_TMPDIR/cdi.json"
	got=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["cdiVersion"], s["kind"])
for d in s["devices"]:
    print(d["name"], " ".join("%s=%d:%d" % (n["path"].split("/dev/", 1)[1], n["major"], n["minor"]) for n in d["containerEdits"]["deviceNodes"]))
' "$BATS_TEST_TMPDIR/cdi.json" 2>&1) || true
	want="0.3.0 dlb.dev/domain
dlb0.vdevs.tenant-a dlb3/flows/tx=240:2 dlb3/flows/w0=240:0 dlb3/flows/w1=240:1
dlb0.vdevs.tenant-a.flows dlb3/flows/tx=240:2 dlb3/flows/w0=240:0 dlb3/flows/w1=240:1
dlb0.vdevs.tenant-b dlb4/flows/w0=240:3 dlb4/flows/w1=240:4
dlb0.vdevs.tenant-b.flows dlb4/flows/w0=240:3 dlb4/flows/w1=240:4"
	assert_status 0
	assert_sanitized
	[[ $got == "$want" ]] || dlbcfg_fail "got:" "$got" "want:" "$want"
}

@test "cdi: the spec is valid to the CDI JSON schema" {
	[[ $(id -u) == 0 ]] || skip "mknod needs root"
	local schema

	if ! python3 -c 'import jsonschema' 2>/dev/null || ! schema=$(cdi_schema_dir); then
		skip "no python3-jsonschema or CDI schema (scripts/install-deps)"
	fi
	vdev_tree
	# the spec of the test above
	"$DLBCFG" cdi -o "$BATS_TEST_TMPDIR/cdi.json" || true
	capture python3 cdi_validate.py "$schema" "$BATS_TEST_TMPDIR/cdi.json"
	assert_status 0
}

@test "cdi: an unknown domain or vdev exits 3" {
	[[ $(id -u) == 0 ]] || skip "mknod needs root"
	vdev_tree
	run_dlbcfg cdi dlb0/nosuch
	assert_status 3
}

@test "cdi: DEV/vdevs/VDEV/DOMAIN writes that vdev domain's CDI device alone" {
	[[ $(id -u) == 0 ]] || skip "mknod needs root"
	vdev_tree
	local got
	run_dlbcfg cdi dlb0/vdevs/tenant-b/flows
	got=$(python3 -c '
import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    print(d["name"], len(d["containerEdits"]["deviceNodes"]))
' "$OUT" 2>&1) || true
	assert_status 0
	assert_sanitized
	[[ $got == "dlb0.vdevs.tenant-b.flows 2" ]] || dlbcfg_fail "got: $got"
}

# -- the fuzzer, bounded (FUZZ_SECONDS, 15 unless set; 0 skips) ----------

@test "fuzz: config text never crashes the parser" {
	local seconds=${FUZZ_SECONDS:-15}
	[[ $seconds != 0 ]] || skip "FUZZ_SECONDS=0"
	if ! make -s -C ../../tools/dlbcfg fuzz >/dev/null 2>"$BATS_TEST_TMPDIR/build.err"; then
		skip "no clang libFuzzer"
	fi
	mkdir -p out/fuzz-corpus
	cp corpus/*.cfg ../../examples/*.cfg out/fuzz-corpus/
	capture ../../tools/dlbcfg/dlbcfg-fuzz -max_total_time="$seconds" \
		-max_len=4096 -artifact_prefix=out/ out/fuzz-corpus
	[[ $status == 0 ]] || fail "$(tail -20 "$ERR")"
	# how many runs, as a TAP comment (before the result)
	echo "# $(grep -o 'Done [0-9]* runs' "$ERR")" >&3
}
