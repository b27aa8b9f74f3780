#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh DLBCFG - host tests of dlbcfg, printing TAP. DLBCFG is a
# build with ASan/UBSan: a sanitizer report fails the test it happens in.
# Needs no kernel: configfs is a fake tree of plain files made here.
set -u
cd "$(dirname "$0")" || exit 2
DLBCFG=$(realpath "$1")
REPO=$(realpath ../..)
export DLBCFG_SCHEMA=$REPO/configfs-schema/dlb.schema
export DLBCFG_SYSFS=/nonexistent-dlbcfg-sysfs
export ASAN_OPTIONS=exitcode=86:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:exitcode=87:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$PWD/lsan.supp
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	printf '#   %s\n' "$@"
}

# run NAME CMD...: run, keeping status in $rc and output in $TMP/out, err
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# expect_rc STATUS NAME: the last run exited with STATUS
expect_rc() {
	if [[ $rc == "$1" ]]; then
		ok "$2"
	else
		not_ok "$2" "status $rc, wanted $1"
	fi
}

sanitized() {
	[[ $rc != 86 && $rc != 87 ]] && ! grep -q "Sanitizer" "$TMP/err"
}

# -- every error of the broken corpus, at its FILE:LINE, exit 1 ---------
for f in corpus/*.cfg; do
	expect=$(sed -n '1s/^# expect: //p' "$f")
	[[ $expect == [0-9]* ]] && expect="$f:$expect"
	name="check: $(basename "$f" .cfg) is reported at its FILE:LINE with exit 1"
	run "$DLBCFG" check "$f"
	if [[ $rc == 1 ]] && sanitized && grep -qF -- "$expect" "$TMP/err"; then
		ok "$name"
	else
		not_ok "$name" "status $rc, wanted 1 and: $expect" "$(cat "$TMP/err")"
	fi
done

# -- the start and link verdicts: the kernel's reason and errno ---------
# verdicts/*.cfg are valid to the schema and break one rule of a start or
# a link. Their first line is "# verdict: STEP ERRNO DOMAIN: REASON", what
# the kernel says (tests/vm/dlbcfg-verdicts.bats compares it there).
for f in verdicts/*.cfg; do
	read -r _ _ step err dom why < <(sed -n 1p "$f")
	expect="dlb0/domains/$dom $why ($step: $err)"
	name="check: $(basename "$f" .cfg) gets the kernel's verdict, $step $err"
	run "$DLBCFG" check "$f"
	if [[ $rc == 1 ]] && sanitized && grep -qF -- "$expect" "$TMP/err" &&
	   [[ $(grep -c '^verdicts/' "$TMP/err") == 1 ]]; then
		ok "$name"
	else
		not_ok "$name" "status $rc, wanted 1 and one error: $expect" "$(cat "$TMP/err")"
	fi
done

# -- good files ---------------------------------------------------------
for f in ../../examples/*.cfg; do
	name="check: examples/$(basename "$f") is valid"
	run "$DLBCFG" check "$f"
	if [[ $rc == 0 ]] && sanitized && [[ ! -s $TMP/err ]]; then
		ok "$name"
	else
		not_ok "$name" "status $rc" "$(cat "$TMP/err")"
	fi
done

# -- usage --------------------------------------------------------------
for c in check apply diff export clear show dot cdi; do
	run "$DLBCFG" "$c" --help
	if [[ $rc == 0 ]] && grep -q "^Usage: dlbcfg $c" "$TMP/out"; then
		ok "usage: dlbcfg $c --help prints its usage and exits 0"
	else
		not_ok "usage: dlbcfg $c --help prints its usage and exits 0" "status $rc"
	fi
done
run "$DLBCFG" apply --no-such-option x.cfg
expect_rc 2 "usage: an unknown option exits 2"
run "$DLBCFG" frobnicate
expect_rc 2 "usage: an unknown command exits 2"
run "$DLBCFG" check
expect_rc 2 "usage: check without a file exits 2"

# -- a fake configfs tree: what the pipeline looks like once applied -----
fake_tree() {
	local d=$1/dlb0/domains/pipeline q p
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

export DLBCFG_ROOT=$TMP/cfs
fake_tree "$DLBCFG_ROOT"
snapshot() {
	(cd "$DLBCFG_ROOT" && find . -printf '%p %l\n' | sort &&
		find . -type f -exec md5sum {} + | sort)
}
snapshot >"$TMP/before"

run "$DLBCFG" diff ../../examples/pipeline.cfg
if [[ $rc == 0 ]] && sanitized && [[ ! -s $TMP/out ]]; then
	ok "diff: the pipeline file against its applied tree is empty"
else
	not_ok "diff: the pipeline file against its applied tree is empty" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi

run "$DLBCFG" export -o "$TMP/export.cfg"
run2_rc=$rc
run "$DLBCFG" diff "$TMP/export.cfg"
if [[ $run2_rc == 0 && $rc == 0 ]] && sanitized && [[ ! -s $TMP/out ]] &&
	grep -q 'queue = "stage2"; priority = 0;' "$TMP/export.cfg" &&
	! grep -qE '^ *(id|depth|generation) =' "$TMP/export.cfg"; then
	ok "export: writes writable attributes and links only, and diff of it is empty"
else
	not_ok "export: writes writable attributes and links only, and diff of it is empty" "status $run2_rc/$rc" "$(cat "$TMP/out" "$TMP/err")"
fi

run "$DLBCFG" export dlb0/pipeline
if [[ $rc == 0 ]] && cmp -s "$TMP/out" "$TMP/export.cfg"; then
	ok "export: DEV/DOMAIN exports that domain alone"
else
	not_ok "export: DEV/DOMAIN exports that domain alone" "status $rc"
fi

run "$DLBCFG" export nodev
expect_rc 3 "export: an unknown device exits 3"

sed 's/ldb_credits = 512/ldb_credits = 1024/; s/{ name = "rx"; }/{ name = "rx2"; }/' \
	../../examples/pipeline.cfg >"$TMP/changed.cfg"
run "$DLBCFG" diff --exit-code "$TMP/changed.cfg"
if [[ $rc == 4 ]] && sanitized &&
	grep -qx '~ dlb0/domains/pipeline/ldb_credits: 512 -> 1024' "$TMP/out" &&
	grep -qx -- '- dlb0/domains/pipeline/ports/rx' "$TMP/out" &&
	grep -qx '+ dlb0/domains/pipeline/ports/rx2' "$TMP/out" &&
	grep -qx -- '- start dlb0/domains/pipeline' "$TMP/out"; then
	ok "diff: shows changed, removed and added objects and the restart, --exit-code gives 4"
else
	not_ok "diff: shows changed, removed and added objects and the restart, --exit-code gives 4" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi

run "$DLBCFG" apply "$TMP/changed.cfg"
if [[ $rc == 3 ]] && grep -q "is started and the file changes what is frozen" "$TMP/err" &&
	grep -q "changed.cfg:[0-9]*: dlb0/domains/pipeline" "$TMP/err"; then
	ok "apply: a started domain whose frozen settings differ is refused without --force"
else
	not_ok "apply: a started domain whose frozen settings differ is refused without --force" "status $rc" "$(cat "$TMP/err")"
fi

run "$DLBCFG" apply --dry-run --force "$TMP/changed.cfg"
# shellcheck disable=SC2016 # the $(cat ...) is dlbcfg's output, not ours
if [[ $rc == 0 ]] && sanitized &&
	[[ $(head -1 "$TMP/out") == "echo 0 > $DLBCFG_ROOT/dlb0/domains/pipeline/start" ]] &&
	grep -q "^echo '1024' > .*/ldb_credits$" "$TMP/out" &&
	tail -1 "$TMP/out" | grep -q '^echo "1 $(cat .*/generation)" > .*/start$'; then
	ok "apply: --dry-run --force prints stop, the changes and start as shell commands"
else
	not_ok "apply: --dry-run --force prints stop, the changes and start as shell commands" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi

run "$DLBCFG" clear --dry-run
if [[ $rc == 0 ]] && [[ $(tail -1 "$TMP/out") == "rmdir $DLBCFG_ROOT/dlb0/domains/pipeline" ]]; then
	ok "clear: --dry-run prints stop, unlinks and rmdirs, the domain last"
else
	not_ok "clear: --dry-run prints stop, unlinks and rmdirs, the domain last" "status $rc" "$(cat "$TMP/out")"
fi

snapshot >"$TMP/after"
if cmp -s "$TMP/before" "$TMP/after"; then
	ok "dry-run, diff, export and a refused apply touch nothing in the tree"
else
	not_ok "dry-run, diff, export and a refused apply touch nothing in the tree" "$(diff "$TMP/before" "$TMP/after")"
fi

export DLBCFG_PORT_SYSFS=$TMP/ports
mkdir -p "$DLBCFG_PORT_SYSFS/dlb0.pipeline.w0/stats"
echo 5 >"$DLBCFG_PORT_SYSFS/dlb0.pipeline.w0/stats/enqueued"
echo 3 >"$DLBCFG_PORT_SYSFS/dlb0.pipeline.w0/stats/scheduled"
run "$DLBCFG" show
if [[ $rc == 0 ]] && grep -q "domain pipeline start=1 generation=26" "$TMP/out" &&
	grep -q -- "-> queue stage2 priority=0" "$TMP/out" &&
	grep -qx "       stats: enqueued 5; scheduled 3;" "$TMP/out" &&
	grep -q "^     uses: sched_domains 1; ldb_queues 2; ldb_ports 3; dir_ports 1; ldb_credits 512; dir_credits 64; hist_list_entries 160; atomic_inflights 128; sequence_numbers 64;$" "$TMP/out"; then
	ok "show: prints state, generation, links with priorities, port counters and a domain's resources"
else
	not_ok "show: prints state, generation, links with priorities, port counters and a domain's resources" "status $rc" "$(cat "$TMP/out")"
fi

run "$DLBCFG" dot
if [[ $rc == 0 ]] && grep -q '"dlb0/domains/pipeline/queues/stage2" -> "dlb0/domains/pipeline/ports/w0" \[label="0"\]' "$TMP/out"; then
	ok "dot: draws a queue-to-port edge per link, labelled with its priority"
else
	not_ok "dot: draws a queue-to-port edge per link, labelled with its priority" "status $rc" "$(cat "$TMP/out")"
fi

# export -o is atomic: the old file stays whole if it cannot be written
echo keep >"$TMP/old.cfg"
chmod 0555 "$TMP" 2>/dev/null
run "$DLBCFG" export -o "$TMP/old.cfg"
chmod 0755 "$TMP"
if [[ $(id -u) == 0 ]]; then
	echo "ok $((n += 1)) - export: -o replaces the file atomically # SKIP root ignores directory permissions"
elif [[ $rc == 3 ]] && [[ $(cat "$TMP/old.cfg") == keep ]]; then
	ok "export: -o replaces the file atomically"
else
	not_ok "export: -o replaces the file atomically" "status $rc"
fi

# -- vdevs: a fake tree where each vdev is already its device ----------
# configfs would name the device in device at commit; here it is named in
# advance, and each vdev has its domains/ as configfs makes it. The tree is
# built by running apply --dry-run's script, which works on plain files as
# on configfs.
export DLBCFG_ROOT=$TMP/vcfs
mkdir -p "$DLBCFG_ROOT/dlb0/domains"
for v in tenant-a:dlb3 tenant-b:dlb4; do
	mkdir -p "$DLBCFG_ROOT/dlb0/vdevs/${v%:*}/domains"
	echo "${v#*:}" >"$DLBCFG_ROOT/dlb0/vdevs/${v%:*}/device"
	echo 0 >"$DLBCFG_ROOT/dlb0/vdevs/${v%:*}/commit"
done
VCFG=../../examples/vdevs.cfg
run "$DLBCFG" apply --dry-run "$VCFG"
# mkdir -p: configfs makes a domain's queues and ports with it
sed 's/^mkdir /mkdir -p /' "$TMP/out" >"$TMP/vapply.sh"
# (no generation file here: the start line's cat complains)
bash -e "$TMP/vapply.sh" 2>/dev/null
# a start takes "1 <generation>" and reads back 1
for f in "$DLBCFG_ROOT"/dlb0/vdevs/*/domains/*/start; do echo 1 >"$f"; done
qline=$(grep -n 'num_ldb_queues = 2' "$VCFG" | cut -d: -f1)
commit_at=$(grep -n "^echo 1 > $DLBCFG_ROOT/dlb0/vdevs/tenant-a/commit" "$TMP/out" | cut -d: -f1)
mkdir_at=$(grep -nF "mkdir $DLBCFG_ROOT/dlb0/vdevs/tenant-a/domains/flows" "$TMP/out" | head -1 | cut -d: -f1)
if [[ $rc == 0 ]] && sanitized && [[ $(cat "$DLBCFG_ROOT/dlb0/vdevs/tenant-a/num_ldb_queues") == 2 ]] &&
	[[ -n $commit_at && -n $mkdir_at && $commit_at -lt $mkdir_at ]] &&
	[[ -L $DLBCFG_ROOT/dlb0/vdevs/tenant-a/domains/flows/ports/w0/work ]]; then
	ok "vdev: apply writes the quotas and commits the vdev before making its domains in the vdev's domains/"
else
	not_ok "vdev: apply writes the quotas and commits the vdev before making its domains in the vdev's domains/" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi

run "$DLBCFG" diff "$VCFG"
if [[ $rc == 0 ]] && sanitized && [[ ! -s $TMP/out ]]; then
	ok "vdev: diff of the applied file is empty"
else
	not_ok "vdev: diff of the applied file is empty" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi

run "$DLBCFG" export -o "$TMP/vexport.cfg"
run2_rc=$rc
run "$DLBCFG" diff "$TMP/vexport.cfg"
if [[ $run2_rc == 0 && $rc == 0 ]] && sanitized && [[ ! -s $TMP/out ]] &&
	grep -q 'vdevs = (' "$TMP/vexport.cfg" && grep -q 'num_ldb_queues = 2;' "$TMP/vexport.cfg" &&
	! grep -qE 'dlb3|dlb4|commit|device =' "$TMP/vexport.cfg"; then
	ok "vdev: export writes vdevs by parent and name with quotas and domains (no dlbN, no commit), and diff of it is empty"
else
	not_ok "vdev: export writes vdevs by parent and name with quotas and domains (no dlbN, no commit), and diff of it is empty" "status $run2_rc/$rc" "$(cat "$TMP/out" "$TMP/err" "$TMP/vexport.cfg")"
fi

# a device of its own beside the vdevs: exported, and no vdev's dlbN with it
mkdir -p "$DLBCFG_ROOT/dlb9/domains"
run "$DLBCFG" export
if [[ $rc == 0 ]] && sanitized && grep -q 'name = "dlb9";' "$TMP/out" &&
	! grep -qE 'name = "dlb[34]";' "$TMP/out"; then
	ok "vdev: export writes each device directory configfs has and never a vdev's dlbN"
else
	not_ok "vdev: export writes each device directory configfs has and never a vdev's dlbN" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi
rmdir "$DLBCFG_ROOT/dlb9/domains" "$DLBCFG_ROOT/dlb9"

sed 's/num_ldb_queues = 2;/num_ldb_queues = 3;/' "$VCFG" >"$TMP/vquota.cfg"
run "$DLBCFG" apply "$TMP/vquota.cfg"
if [[ $rc == 3 ]] && sanitized &&
	grep -q "^$TMP/vquota.cfg:$qline: dlb0/vdevs/tenant-a: num_ldb_queues: 2 -> 3: the vdev is committed and has domains" "$TMP/err" &&
	[[ $(cat "$DLBCFG_ROOT/dlb0/vdevs/tenant-a/num_ldb_queues") == 2 ]]; then
	ok "vdev: a quota change of a committed vdev with domains is refused at FILE:LINE: attribute without --force"
else
	not_ok "vdev: a quota change of a committed vdev with domains is refused at FILE:LINE: attribute without --force" "status $rc" "$(cat "$TMP/err")"
fi

run "$DLBCFG" apply --force --dry-run "$TMP/vquota.cfg"
c="$DLBCFG_ROOT/dlb0/vdevs/tenant-a"
d="$c/domains/flows"
order=$(grep -nxF -e "echo 0 > $d/start" -e "rmdir $d" -e "echo 0 > $c/commit" \
	-e "echo '3' > $c/num_ldb_queues" -e "echo 1 > $c/commit" -e "mkdir $d" "$TMP/out" | cut -d: -f2- | tr '\n' '|')
want="echo 0 > $d/start|rmdir $d|echo 0 > $c/commit|echo '3' > $c/num_ldb_queues|echo 1 > $c/commit|mkdir $d|"
if [[ $rc == 0 ]] && sanitized && [[ $order == "$want" ]] && ! grep -q tenant-b "$TMP/out"; then
	ok "vdev: --force changes a quota by removing the domains, uncommit, write, commit, remaking them"
else
	not_ok "vdev: --force changes a quota by removing the domains, uncommit, write, commit, remaking them" "status $rc" "got  $order" "want $want" "$(cat "$TMP/out" "$TMP/err")"
fi

# --domain, export and clear name a vdev's domain by parent and vdev name
awk '/^            ldb_credits = 256;/ { sub("256", "128") } 1' "$VCFG" >"$TMP/vdom.cfg"
run "$DLBCFG" diff --domain dlb0/vdevs/tenant-b/flows "$TMP/vdom.cfg"
if [[ $rc == 0 ]] && sanitized &&
	grep -qx '~ dlb0/vdevs/tenant-b/domains/flows/ldb_credits: 256 -> 128' "$TMP/out" &&
	! grep -q 'tenant-a\|commit' "$TMP/out"; then
	ok "vdev: --domain DEV/vdevs/VDEV/DOMAIN selects that vdev's domain, not the vdev or another's"
else
	not_ok "vdev: --domain DEV/vdevs/VDEV/DOMAIN selects that vdev's domain, not the vdev or another's" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi
run "$DLBCFG" diff --domain flows "$TMP/vdom.cfg"
bare=$(grep -c '^~ .*/ldb_credits: 256 -> 128$' "$TMP/out")
run "$DLBCFG" diff --domain dlb0/flows "$TMP/vdom.cfg"
if [[ $rc == 0 ]] && sanitized && [[ $bare == 2 && ! -s $TMP/out ]]; then
	ok "vdev: --domain NAME selects every vdev's domain of that name, DEV/NAME only the device's own"
else
	not_ok "vdev: --domain NAME selects every vdev's domain of that name, DEV/NAME only the device's own" "status $rc, $bare changes" "$(cat "$TMP/out" "$TMP/err")"
fi
sed 's/tenant-b/tenant-c/' "$VCFG" >"$TMP/vnew.cfg"
run "$DLBCFG" apply --domain dlb0/vdevs/tenant-c/flows "$TMP/vnew.cfg"
if [[ $rc == 3 ]] && sanitized &&
	grep -q "^$TMP/vnew.cfg:[0-9]*: dlb0/vdevs/tenant-c/domains/flows: vdev tenant-c is not committed" "$TMP/err" &&
	[[ ! -e $DLBCFG_ROOT/dlb0/vdevs/tenant-c ]]; then
	ok "vdev: --domain of a vdev that is not committed is refused at the domain's FILE:LINE, changing nothing"
else
	not_ok "vdev: --domain of a vdev that is not committed is refused at the domain's FILE:LINE, changing nothing" "status $rc" "$(cat "$TMP/err")"
fi
run "$DLBCFG" export dlb0/vdevs/tenant-a/flows
if [[ $rc == 0 ]] && sanitized && grep -q 'name = "tenant-a";' "$TMP/out" &&
	grep -q 'name = "flows";' "$TMP/out" && ! grep -qE 'tenant-b|dlb3|dlb4' "$TMP/out"; then
	ok "vdev: export DEV/vdevs/VDEV/DOMAIN writes that domain inside its vdev, by name"
else
	not_ok "vdev: export DEV/vdevs/VDEV/DOMAIN writes that domain inside its vdev, by name" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi
run "$DLBCFG" export dlb3
if [[ $rc == 2 ]] && sanitized &&
	grep -q 'dlb3 is the vdev dlb0/vdevs/tenant-a while it is committed' "$TMP/err"; then
	ok "vdev: naming a committed vdev's device by its dlbN is refused with exit 2 and the vdev's name"
else
	not_ok "vdev: naming a committed vdev's device by its dlbN is refused with exit 2 and the vdev's name" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi
run "$DLBCFG" export dlb0/vdevs/nope
expect_rc 3 "vdev: export of an unknown vdev exits 3"
run "$DLBCFG" clear --dry-run dlb0/vdevs/tenant-a/flows
if [[ $rc == 0 ]] && sanitized &&
	[[ $(tail -1 "$TMP/out") == "rmdir $DLBCFG_ROOT/dlb0/vdevs/tenant-a/domains/flows" ]] &&
	! grep -q 'commit\|tenant-b' "$TMP/out"; then
	ok "vdev: clear DEV/vdevs/VDEV/DOMAIN removes that domain only, leaving the vdev committed"
else
	not_ok "vdev: clear DEV/vdevs/VDEV/DOMAIN removes that domain only, leaving the vdev committed" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi
run "$DLBCFG" clear --dry-run dlb0/vdevs/tenant-b
if [[ $rc == 0 ]] && sanitized &&
	[[ $(tail -2 "$TMP/out" | tr '\n' '|') == "echo 0 > $DLBCFG_ROOT/dlb0/vdevs/tenant-b/commit|rmdir $DLBCFG_ROOT/dlb0/vdevs/tenant-b|" ]] &&
	grep -q '/domains/flows$' "$TMP/out" && ! grep -q 'tenant-a' "$TMP/out"; then
	ok "vdev: clear DEV/vdevs/VDEV removes its domains, then uncommits and removes it, and nothing else"
else
	not_ok "vdev: clear DEV/vdevs/VDEV removes its domains, then uncommits and removes it, and nothing else" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi

run "$DLBCFG" clear --dry-run
last=$(tail -4 "$TMP/out" | tr '\n' '|')
if [[ $rc == 0 ]] && sanitized &&
	[[ $last == "rmdir $DLBCFG_ROOT/dlb0/vdevs/tenant-b/domains/flows|echo 0 > $DLBCFG_ROOT/dlb0/vdevs/tenant-b/commit|rmdir $DLBCFG_ROOT/dlb0/vdevs/tenant-b|"* ]] ||
	[[ $last == *"/domains/flows|echo 0 > $DLBCFG_ROOT/dlb0/vdevs/tenant-b/commit|rmdir $DLBCFG_ROOT/dlb0/vdevs/tenant-b|" ]]; then
	ok "vdev: clear removes a vdev's domains, then uncommits and removes the vdev"
else
	not_ok "vdev: clear removes a vdev's domains, then uncommits and removes the vdev" "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi

# port files of the started domains, as the kernel makes them
export DLBCFG_DEV=$TMP/dev
if [[ $(id -u) == 0 ]]; then
	mkdir -p "$DLBCFG_DEV/dlb3/flows" "$DLBCFG_DEV/dlb4/flows"
	m=0
	for p in dlb3/flows/w0 dlb3/flows/w1 dlb3/flows/tx dlb4/flows/w0 dlb4/flows/w1; do
		mknod -m 0660 "$DLBCFG_DEV/$p" c 240 $((m++))
	done
	run "$DLBCFG" cdi -o "$TMP/cdi.json"
	got=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["cdiVersion"], s["kind"])
for d in s["devices"]:
    print(d["name"], " ".join("%s=%d:%d" % (n["path"].split("/dev/", 1)[1], n["major"], n["minor"]) for n in d["containerEdits"]["deviceNodes"]))
' "$TMP/cdi.json" 2>&1)
	want="0.3.0 dlb.dev/domain
dlb0.vdevs.tenant-a dlb3/flows/tx=240:2 dlb3/flows/w0=240:0 dlb3/flows/w1=240:1
dlb0.vdevs.tenant-a.flows dlb3/flows/tx=240:2 dlb3/flows/w0=240:0 dlb3/flows/w1=240:1
dlb0.vdevs.tenant-b dlb4/flows/w0=240:3 dlb4/flows/w1=240:4
dlb0.vdevs.tenant-b.flows dlb4/flows/w0=240:3 dlb4/flows/w1=240:4"
	if [[ $rc == 0 ]] && sanitized && [[ $got == "$want" ]]; then
		ok "cdi: one CDI device per vdev and per domain, naming exactly its port files with their major:minor"
	else
		not_ok "cdi: one CDI device per vdev and per domain, naming exactly its port files with their major:minor" "status $rc" "$got" "$(cat "$TMP/err")"
	fi
	CDI_SCHEMA=/usr/share/gocode/src/github.com/container-orchestrated-devices/container-device-interface/schema
	if python3 -c 'import jsonschema' 2>/dev/null && [[ -f $CDI_SCHEMA/schema.json ]]; then
		run python3 cdi_validate.py "$CDI_SCHEMA" "$TMP/cdi.json"
		if [[ $rc == 0 ]]; then
			ok "cdi: the spec is valid to the CDI JSON schema"
		else
			not_ok "cdi: the spec is valid to the CDI JSON schema" "$(cat "$TMP/out" "$TMP/err")"
		fi
	else
		echo "ok $((n += 1)) - cdi: the spec is valid to the CDI JSON schema # SKIP no python3-jsonschema or CDI schema (scripts/install-deps)"
	fi
	run "$DLBCFG" cdi dlb0/nosuch
	expect_rc 3 "cdi: an unknown domain or vdev exits 3"
	run "$DLBCFG" cdi dlb0/vdevs/tenant-b/flows
	got=$(python3 -c '
import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    print(d["name"], len(d["containerEdits"]["deviceNodes"]))
' "$TMP/out" 2>&1)
	if [[ $rc == 0 ]] && sanitized && [[ $got == "dlb0.vdevs.tenant-b.flows 2" ]]; then
		ok "cdi: DEV/vdevs/VDEV/DOMAIN writes that vdev domain's CDI device alone"
	else
		not_ok "cdi: DEV/vdevs/VDEV/DOMAIN writes that vdev domain's CDI device alone" "status $rc" "$got" "$(cat "$TMP/err")"
	fi
else
	echo "ok $((n += 1)) - cdi: one CDI device per vdev and per domain # SKIP mknod needs root"
fi

# -- the fuzzer, bounded ------------------------------------------------
FUZZ=../../tools/dlbcfg/dlbcfg-fuzz
if [[ ${FUZZ_SECONDS:-15} == 0 ]]; then
	echo "ok $((n += 1)) - fuzz: config text never crashes the parser # SKIP FUZZ_SECONDS=0"
elif make -s -C ../../tools/dlbcfg fuzz >/dev/null 2>"$TMP/err"; then
	mkdir -p out/fuzz-corpus
	cp corpus/*.cfg ../../examples/*.cfg out/fuzz-corpus/
	run "$FUZZ" -max_total_time="${FUZZ_SECONDS:-15}" -max_len=4096 \
		-artifact_prefix=out/ out/fuzz-corpus
	if [[ $rc == 0 ]]; then
		ok "fuzz: config text never crashes the parser ($(grep -o 'Done [0-9]* runs' "$TMP/err"))"
	else
		not_ok "fuzz: config text never crashes the parser" "$(tail -20 "$TMP/err")"
	fi
else
	echo "ok $((n += 1)) - fuzz: config text never crashes the parser # SKIP no clang libFuzzer"
fi

echo "1..$n"
exit $((failed > 0))
