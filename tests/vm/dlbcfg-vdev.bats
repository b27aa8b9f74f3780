#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/dlbcfg-vdev.bats - dlbcfg with virtual devices on the live
# tree: a file with vdevs and their domains applied in order, exported
# back, changed, cleared (the parent's resources come back exactly), and
# the CDI spec of their port files.

load ../lib/common
load ../lib/configfs
load ../dlbcfg/vm-helpers

VDEVS=$DLB_ROOT/examples/vdevs.cfg

setup() {
	cfs_setup
	dlbcfg_need_tool
	A=$DEV/vdevs/tenant-a
}

teardown() {
	local v
	cfs_cleanup
	for v in "$DEV"/vdevs/*/; do
		[[ -d $v ]] || continue
		echo 0 >"$v/commit" 2>/dev/null
		rmdir "$v"
	done
	cfs_teardown
}

@test "vdev: apply commits each vdev with its quota before starting its domain, and export of it diffs empty" {
	run "$DLBCFG" apply "$VDEVS"
	assert_success
	assert_output ""
	assert_equal "$(cat "$A/commit")" 1
	dev=$(cat "$A/device")
	[[ $dev == dlb* ]]
	assert_equal "$(cat "$DLB_SYSFS/$dev/total_resources/num_ldb_queues")" 2
	assert_equal "$(cat "$DLB_SYSFS/$dev/total_resources/num_ldb_credits")" 512
	assert_equal "$(cat "$A/domains/flows/start")" 1
	assert_equal "$(readlink -f "$A/domains/flows/ports/w0/work")" \
		"$A/domains/flows/queues/work"
	assert [ -c "/dev/dlb/$dev/flows/w0" ]

	run "$DLBCFG" diff --exit-code "$VDEVS"
	assert_success
	assert_output ""
	run "$DLBCFG" export -o "$BATS_TEST_TMPDIR/out.cfg"
	assert_success
	# the file names the vdev by parent and name, never by its dlbN
	run grep -c "name = \"$dev\"" "$BATS_TEST_TMPDIR/out.cfg"
	assert_output 0
	run "$DLBCFG" diff --exit-code "$BATS_TEST_TMPDIR/out.cfg"
	assert_success
	assert_output ""
}

@test "vdev: clear removes the domains, then the vdevs, and the parent's avail_resources return exactly" {
	before=$(cfs_avail)
	run "$DLBCFG" apply "$VDEVS"
	assert_success
	[[ $(cfs_avail) != "$before" ]]
	run "$DLBCFG" clear
	assert_success
	run ls "$DEV/vdevs"
	assert_output ""
	assert_equal "$(cfs_avail)" "$before"
	# and the exported file rebuilds it all
	run "$DLBCFG" apply "$VDEVS"
	assert_success
	assert_equal "$(cat "$A/commit")" 1
}

@test "vdev: a quota change is refused at FILE:LINE while the vdev has domains, and --force remakes them" {
	"$DLBCFG" apply "$VDEVS"
	sed 's/num_ldb_queues = 2;/num_ldb_queues = 3;/' "$VDEVS" >"$BATS_TEST_TMPDIR/q.cfg"
	line=$(grep -n 'num_ldb_queues = 3' "$BATS_TEST_TMPDIR/q.cfg" | cut -d: -f1)
	run "$DLBCFG" apply "$BATS_TEST_TMPDIR/q.cfg"
	assert_failure 3
	assert_output --partial "q.cfg:$line: dlb0/vdevs/tenant-a: num_ldb_queues: 2 -> 3"
	assert_equal "$(cat "$A/num_ldb_queues")" 2

	run "$DLBCFG" apply --force "$BATS_TEST_TMPDIR/q.cfg"
	assert_success
	dev=$(cat "$A/device")
	assert_equal "$(cat "$DLB_SYSFS/$dev/total_resources/num_ldb_queues")" 3
	assert_equal "$(cat "$A/domains/flows/start")" 1
	run "$DLBCFG" diff --exit-code "$BATS_TEST_TMPDIR/q.cfg"
	assert_success
}

@test "vdev: export, clear and --domain name a vdev's domain by parent and vdev name; its dlbN is refused" {
	"$DLBCFG" apply "$VDEVS"
	dev=$(cat "$A/device")
	run "$DLBCFG" export "$dev"
	assert_failure 2
	assert_output --partial "$dev is the vdev dlb0/vdevs/tenant-a while it is committed"
	run "$DLBCFG" export dlb0/vdevs/tenant-a/flows
	assert_success
	assert_output --partial 'name = "tenant-a";'
	refute_output --partial tenant-b
	refute_output --partial "\"$dev\""

	# a changed domain of tenant-b: --domain rebuilds it alone
	awk '/^            ldb_credits = 256;/ { sub("256", "128") } 1' "$VDEVS" >"$BATS_TEST_TMPDIR/dom.cfg"
	B=$DEV/vdevs/tenant-b
	run "$DLBCFG" apply --force --domain dlb0/vdevs/tenant-b/flows "$BATS_TEST_TMPDIR/dom.cfg"
	assert_success
	assert_equal "$(cat "$B/domains/flows/ldb_credits")" 128
	assert_equal "$(cat "$B/domains/flows/start")" 1
	assert_equal "$(cat "$A/domains/flows/ldb_credits")" 256

	# clear of the vdev's domain leaves the vdev committed; of the vdev removes it
	run "$DLBCFG" clear dlb0/vdevs/tenant-a/flows
	assert_success
	assert_equal "$(cat "$A/commit")" 1
	[[ ! -e $A/domains/flows ]]
	run "$DLBCFG" clear dlb0/vdevs/tenant-a
	assert_success
	[[ ! -e $A ]]
	assert_equal "$(cat "$B/domains/flows/start")" 1
}

@test "vdev: a commit the parent cannot hold is rolled back, leaving nothing" {
	before=$(dlbcfg_snapshot)
	# tenant-a and its domain fit, then tenant-b's 256 credits do not
	sed 's/num_ldb_credits = 512;/num_ldb_credits = 8000;/' "$VDEVS" >"$BATS_TEST_TMPDIR/big.cfg"
	# let the kernel judge: dlbcfg check would refuse the file first
	run env DLBCFG_KERNEL_RULES=1 "$DLBCFG" apply "$BATS_TEST_TMPDIR/big.cfg"
	assert_failure 3
	assert_output --partial "dlb0/vdevs/tenant-b/commit: commit: No space left on device"
	assert_equal "$(dlbcfg_snapshot)" "$before"
}

@test "cdi: the spec names exactly each domain's port files with their major:minor" {
	"$DLBCFG" apply "$VDEVS"
	dev=$(cat "$A/device")
	run "$DLBCFG" cdi -o "$BATS_TEST_TMPDIR/dlb.json"
	assert_success
	# (stat's %Hr:%Lr is coreutils 8.32's "?r:?r" in the bullseye root)
	want=$(python3 -c '
import os, sys
for n in os.listdir(sys.argv[1]):
    st = os.stat(os.path.join(sys.argv[1], n))
    print("%s/%s %d:%d" % (sys.argv[1], n, os.major(st.st_rdev), os.minor(st.st_rdev)))
' "/dev/dlb/$dev/flows" | sort)
	got=$(python3 -c '
import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    if d["name"] == sys.argv[2]:
        for n in d["containerEdits"]["deviceNodes"]:
            print("%s %d:%d" % (n["path"], n["major"], n["minor"]))
' "$BATS_TEST_TMPDIR/dlb.json" dlb0.vdevs.tenant-a.flows | sort)
	[[ -n $want ]]
	assert_equal "$got" "$want"
	# three ports: w0, w1, tx
	assert_equal "$(wc -l <<<"$got")" 3
}

# What stands in for podman where it cannot run: the spec is what the CDI
# schema says a spec is (scripts/install-deps installs both).
@test "cdi: the spec of a tree with vdevs validates against the CDI JSON schema" {
	python3 -c 'import jsonschema' 2>/dev/null || skip "no python3-jsonschema"
	local schema

	schema=$(cdi_schema_dir) || skip "no CDI schema (scripts/install-deps)"
	"$DLBCFG" apply "$VDEVS"
	run "$DLBCFG" cdi -o "$BATS_TEST_TMPDIR/dlb.json"
	assert_success
	run python3 "$DLB_ROOT/tests/dlbcfg/cdi_validate.py" "$schema" "$BATS_TEST_TMPDIR/dlb.json"
	assert_success
}

# Podman in the test VM: the guest's root is the host's, read-only with a
# tmpfs overlay, so --rootfs / needs no image. If podman cannot run a
# container here at all, the spec is still checked above against the CDI
# schema and the device nodes; the skip says why. Measured with Debian 12's
# podman 4.3.1 and crun: with no cgroup fs mounted, "crun: invalid file
# system type on '/sys/fs/cgroup'"; with cgroup2 mounted there, "crun:
# pivot_root: Device or resource busy" (the guest's / sits on the
# initramfs, which cannot be pivoted away from); runc is not installed.
@test "cdi: podman run --device dlb.dev/domain=NAME gives the container exactly that domain's port files" {
	command -v podman >/dev/null || skip "no podman (scripts/install-deps installs it)"
	# vfs: the guest's root is an overlay, which podman's overlay driver
	# cannot sit on. A fresh store on the guest's tmpfs: the host's own
	# /var/lib/containers database (shared read-only) may name another
	# driver.
	pod=(podman --root "$BATS_TEST_TMPDIR/storage" --runroot "$BATS_TEST_TMPDIR/run"
	     --storage-driver vfs --events-backend file --cgroup-manager cgroupfs
	     run --rm --network none --cgroups disabled --ulimit host
	     --security-opt label=disable --rootfs /)
	run timeout 120 "${pod[@]}" true
	[[ $status == 0 ]] || skip "podman cannot run a container in the test VM: ${lines[-1]}"
	"$DLBCFG" apply "$VDEVS"
	dev=$(cat "$A/device")
	mkdir -p /etc/cdi
	"$DLBCFG" cdi -o /etc/cdi/dlb-test.json
	want=$(cd /dev/dlb && find "$dev/flows" -type c | sort)
	run timeout 120 "${pod[@]}" --device dlb.dev/domain=dlb0.vdevs.tenant-a.flows \
		sh -c 'cd /dev/dlb && find . -type c | sed s,^./,, | sort'
	rm -f /etc/cdi/dlb-test.json
	assert_success
	assert_output "$want"
}
