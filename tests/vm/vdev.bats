#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/vdev.bats - virtual devices: /sys/kernel/config/dlb/dlb0/vdevs/,
# each with its domains/ (the virtual device's, once committed),
# quota validation and reservation from the parent, the virtual device as a
# full dlb device (sysfs, domains, port files, its own scheduler thread),
# quotas enforced at start, two tenants' traffic side by side, and the
# lifecycle rules (EBUSY while committed or while the device has domains).

load ../lib/common
load ../lib/configfs
load ../lib/datapath

VDEVS=$DEV/vdevs

setup() {
	cfs_setup
}

teardown() {
	[[ -z ${DLB_HOLDER:-} ]] || release_port
	cfs_teardown
}

# A quota a pipeline (scripts/examples/pipeline.sh) fits in, with room
# for a second, small domain. One sequence-number group of the parent's two.
QUOTA=(num_sched_domains=2 num_ldb_queues=4 num_ldb_ports=8 num_dir_ports=4
	num_ldb_credits=1024 num_dir_credits=128 num_hist_list_entries=512
	num_atomic_inflights=256 num_sequence_numbers=1024)

# vdev_make NAME [res=value...]: mkdir the vdev and write its quotas.
vdev_make() {
	local v=$1
	shift
	mkdir "$VDEVS/$v" && cfs_set "$VDEVS/$v" "$@"
}

# tenants_up: vdevs a and b with QUOTA, committed, each with the example
# pipeline started.
tenants_up() {
	local v
	for v in a b; do
		vdev_make "$v" "${QUOTA[@]}"
		echo 1 >"$VDEVS/$v/commit"
		sh scripts/examples/pipeline.sh up "$(vdev_dev "$v")" pipeline
	done
}

# vdev_dev NAME: the committed vdev's device name.
vdev_dev() {
	local d
	read -r d <"$VDEVS/$1/device"
	echo "$d"
}

# commit_fails ERRNO NAME MSG: committing NAME fails with ERRNO, logs one
# line with MSG and changes nothing.
commit_fails() {
	local before devs
	before=$(cfs_avail; cat "$DLB_SYSFS/dlb0/sn_group_slot_sizes")
	devs=$(ls "$DLB_SYSFS")
	cfs_fails "$1" cfs_write "$VDEVS/$2/commit" 1
	assert_attr "$VDEVS/$2/commit" 0
	assert_equal "$(<"$VDEVS/$2/device")" ""
	assert_equal "$(cfs_avail; cat "$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "$before"
	assert_equal "$(ls "$DLB_SYSFS")" "$devs"
	run dlb_kmsg
	assert_output --partial "vdev $2: $3"
	assert_equal "$(grep -c "vdev $2: " <<<"$output")" 1
	dlb_common_setup	# a new log mark: the next check counts afresh
}

@test "vdev: dlb0 has vdevs/, a new vdev has every quota at 0 and is not committed" {
	assert [ -d "$VDEVS" ]
	mkdir "$VDEVS/t"
	for r in "${DLB_RESOURCES[@]}"; do
		assert_attr "$VDEVS/t/$r" 0
	done
	assert_attr "$VDEVS/t/commit" 0
	assert_equal "$(<"$VDEVS/t/device")" ""
	# Writing 0 to an uncommitted vdev does nothing.
	echo 0 >"$VDEVS/t/commit"
	rmdir "$VDEVS/t"
}

@test "vdev: domains/ is there from mkdir; mkdir in it fails with ENODEV, one line, until commit and again after uncommit" {
	vdev_make t "${QUOTA[@]}"
	assert [ -d "$VDEVS/t/domains" ]
	cfs_fails ENODEV mkdir "$VDEVS/t/domains/d"
	run dlb_kmsg
	assert_output --partial "vdev t: not committed: no device for domain d"
	echo 1 >"$VDEVS/t/commit"
	mkdir "$VDEVS/t/domains/d"
	rmdir "$VDEVS/t/domains/d"
	echo 0 >"$VDEVS/t/commit"
	cfs_fails ENODEV mkdir "$VDEVS/t/domains/d"
	rmdir "$VDEVS/t"
}

@test "vdev: config_dir names each device's configfs directory: dlb0's own, a virtual device's its vdev's" {
	assert_attr "$DLB_SYSFS/dlb0/config_dir" dlb0
	vdev_make t "${QUOTA[@]}"
	echo 1 >"$VDEVS/t/commit"
	local d
	d=$(vdev_dev t)
	assert_attr "$DLB_SYSFS/$d/config_dir" dlb0/vdevs/t
	assert_equal "$(dlb_cfs_dir "$d")" "$VDEVS/t"
	assert_not_exist "$DLB_CONFIGFS/$d"
	# A domain made there is the virtual device's: its port files say so.
	sh scripts/examples/pipeline.sh up "$d" p
	assert [ -c "/dev/dlb/$d/p/w0" ]
	assert_attr "$VDEVS/t/domains/p/start" 1
	assert_equal "$(ls /dev/dlb/dlb0 2>/dev/null)" ""
}

@test "vdev: names: a taken name fails with EEXIST, a bad name with EINVAL" {
	mkdir "$VDEVS/t"
	cfs_fails EEXIST mkdir "$VDEVS/t"
	cfs_fails EINVAL mkdir "$VDEVS/bad:name"
	cfs_fails EINVAL mkdir "$VDEVS/.hidden"
}

@test "vdev: a quota above the parent's total fails with ERANGE" {
	mkdir "$VDEVS/t"
	for r in "${DLB_RESOURCES[@]}"; do
		read -r tot <"$DLB_SYSFS/dlb0/total_resources/$r"
		cfs_fails ERANGE cfs_write "$VDEVS/t/$r" $((tot + 1))
		assert_attr "$VDEVS/t/$r" 0
	done
	cfs_fails EINVAL cfs_write "$VDEVS/t/num_ldb_ports" -1
	cfs_fails EINVAL cfs_write "$VDEVS/t/commit" 2
}

@test "vdev: inconsistent quotas fail commit with EINVAL, one line naming the resource, nothing changed" {
	vdev_make t "${QUOTA[@]}"
	echo 0 >"$VDEVS/t/num_sched_domains"
	commit_fails EINVAL t "num_sched_domains: a device needs at least one scheduling domain"
	echo 2 >"$VDEVS/t/num_sched_domains"
	echo 0 >"$VDEVS/t/num_ldb_ports"
	echo 0 >"$VDEVS/t/num_dir_ports"
	commit_fails EINVAL t "num_ldb_ports: a device needs at least one port: num_ldb_ports or num_dir_ports"
	echo 8 >"$VDEVS/t/num_ldb_ports"
	echo 4 >"$VDEVS/t/num_dir_ports"
	echo 0 >"$VDEVS/t/num_ldb_credits"
	commit_fails EINVAL t "num_ldb_ports: load-balanced ports need num_ldb_credits"
	echo 1024 >"$VDEVS/t/num_ldb_credits"
	echo 0 >"$VDEVS/t/num_hist_list_entries"
	commit_fails EINVAL t "num_ldb_ports: load-balanced ports need num_hist_list_entries"
	echo 512 >"$VDEVS/t/num_hist_list_entries"
	echo 0 >"$VDEVS/t/num_dir_credits"
	commit_fails EINVAL t "num_dir_ports: directed ports need num_dir_credits"
	echo 128 >"$VDEVS/t/num_dir_credits"
	echo 0 >"$VDEVS/t/num_ldb_ports"
	commit_fails EINVAL t "num_ldb_queues: load-balanced queues need num_ldb_ports"
	echo 8 >"$VDEVS/t/num_ldb_ports"
	echo 512 >"$VDEVS/t/num_sequence_numbers"
	commit_fails EINVAL t "num_sequence_numbers: not a multiple of the group size 1024"
	echo 1024 >"$VDEVS/t/num_sequence_numbers"
	echo 1 >"$VDEVS/t/commit"
	assert_attr "$VDEVS/t/commit" 1
}

@test "vdev: a quota above what the parent has left fails commit with ENOSPC naming the resource" {
	vdev_make a "${QUOTA[@]}" num_ldb_credits=8000
	echo 1 >"$VDEVS/a/commit"
	vdev_make b "${QUOTA[@]}"
	commit_fails ENOSPC b "num_ldb_credits: 1024 of num_ldb_credits wanted, 192 left"
	# Sequence numbers come in whole groups: the one a domain of dlb0
	# cuts into slots is not free for a vdev, the other one is.
	echo 0 >"$VDEVS/a/commit"
	sh scripts/examples/pipeline.sh up dlb0 p
	vdev_make c "${QUOTA[@]}" num_sequence_numbers=2048
	commit_fails ENOSPC c "num_sequence_numbers: 2048 of num_sequence_numbers wanted, 1984 left"
	echo 1024 >"$VDEVS/c/num_sequence_numbers"
	echo 1 >"$VDEVS/c/commit"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "64 1024"
}

@test "vdev: commit reserves exactly the quota from the parent and uncommit returns it exactly" {
	local before after r q
	before=$(cfs_avail)
	vdev_make t "${QUOTA[@]}"
	echo 1 >"$VDEVS/t/commit"
	assert_attr "$VDEVS/t/commit" 1
	after=$(cfs_avail)
	for kv in "${QUOTA[@]}"; do
		r=${kv%%=*} q=${kv#*=}
		b=$(grep "^$r=" <<<"$before") a=$(grep "^$r=" <<<"$after")
		assert_equal "$r $((${b#*=} - q))" "$r ${a#*=}"
	done
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "1024 0"
	echo 0 >"$VDEVS/t/commit"
	assert_attr "$VDEVS/t/commit" 0
	assert_equal "$(<"$VDEVS/t/device")" ""
	assert_equal "$(cfs_avail)" "$before"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "0 0"
	# Everything back: dlb0 can take its whole totals again in one domain's
	# worth of history list, and a vdev can take them all.
	rmdir "$VDEVS/t"
	vdev_make all $(cfs_total)
	echo 1 >"$VDEVS/all/commit"
	for r in "${DLB_RESOURCES[@]}"; do
		assert_attr "$DLB_SYSFS/dlb0/avail_resources/$r" 0
	done
	echo 0 >"$VDEVS/all/commit"
	assert_equal "$(cfs_avail)" "$before"
}

@test "vdev: commit twice and quota writes while committed fail with EBUSY" {
	vdev_make t "${QUOTA[@]}"
	echo 1 >"$VDEVS/t/commit"
	local before
	before=$(cfs_avail)
	cfs_fails EBUSY cfs_write "$VDEVS/t/commit" 1
	cfs_fails EBUSY cfs_write "$VDEVS/t/num_ldb_ports" 4
	assert_attr "$VDEVS/t/num_ldb_ports" 8
	cfs_fails EBUSY rmdir "$VDEVS/t"
	assert_equal "$(cfs_avail)" "$before"
	assert_attr "$VDEVS/t/commit" 1
}

@test "vdev: uncommit and rmdir fail with EBUSY while the device has domains; after force_stop and rmdir they work" {
	vdev_make t "${QUOTA[@]}"
	echo 1 >"$VDEVS/t/commit"
	local d
	d=$(vdev_dev t)
	mkdir "$VDEVS/t/domains/idle"
	cfs_fails EBUSY cfs_write "$VDEVS/t/commit" 0
	rmdir "$VDEVS/t/domains/idle"
	sh scripts/examples/pipeline.sh up "$d" p
	hold_port "/dev/dlb/$d/p/w0"
	cfs_fails EBUSY cfs_write "$VDEVS/t/commit" 0
	cfs_fails EBUSY rmdir "$VDEVS/t"
	assert_attr "$VDEVS/t/commit" 1
	assert [ -d "$DLB_SYSFS/$d" ]
	echo 1 >"$VDEVS/t/domains/p/force_stop"
	release_port
	cfs_cleanup	# rm links, ports, queues, the domain; then the vdev
	assert_not_exist "$DLB_SYSFS/$d"
	assert_not_exist "$VDEVS/t"
	assert_equal "$(cfs_avail)" "$(cfs_total)"
}

@test "vdev: the device is a full dlb device: device_type, parent link, totals equal the quota, its own scheduler thread" {
	vdev_make t "${QUOTA[@]}"
	echo 1 >"$VDEVS/t/commit"
	local d
	d=$(vdev_dev t)
	assert [ "$d" != dlb0 ]
	assert_attr "$DLB_SYSFS/$d/device_type" sw
	assert_equal "$(readlink -f "$DLB_SYSFS/$d/device")" \
		"$(readlink -f "$DLB_SYSFS/dlb0")"
	assert_equal "$(cfs_res total "$d")" "$(printf '%s\n' "${QUOTA[@]}" | sort)"
	assert_equal "$(cfs_res avail "$d")" "$(cfs_res total "$d")"
	assert [ -d "$VDEVS/t/domains" ]
	assert_not_exist "$VDEVS/t/vdevs"
	assert_attr "$DLB_SYSFS/$d/sched_cpu" -1
	assert [ -d "$DLB_SYSFS/$d/sched_stats" ]
	run pgrep -x "$d-sched"
	assert_success
	echo 0 >"$DLB_SYSFS/$d/sched_cpu"
	assert_attr "$DLB_SYSFS/$d/sched_cpu" 0
	assert_attr "$DLB_SYSFS/dlb0/sched_cpu" -1
}

@test "vdev: a domain that fits the parent but not the quota fails start with ENOSPC" {
	vdev_make t "${QUOTA[@]}"
	echo 1 >"$VDEVS/t/commit"
	local d
	d=$(vdev_dev t)
	sh scripts/examples/pipeline.sh up "$d" p
	D=$VDEVS/t/domains/big
	mkdir "$D" "$D/queues/q" "$D/ports/c"
	echo 600 >"$D/ldb_credits"
	ln -s "$D/queues/q" "$D/ports/c/q"
	# 512 + 600 > the quota's 1024; dlb0 has 8192 - 1024.
	cfs_fails ENOSPC cfs_write "$D/start" 1
	run dlb_kmsg
	assert_output --partial "domain big: ldb_credits: 600 of num_ldb_credits wanted, 512 left"
	# The same domain starts on dlb0.
	sh scripts/examples/pipeline.sh up dlb0 p
	D=$DOMS/big
	mkdir "$D" "$D/queues/q" "$D/ports/c"
	echo 600 >"$D/ldb_credits"
	ln -s "$D/queues/q" "$D/ports/c/q"
	echo 1 >"$D/start"
}

@test "vdev: two tenants' traffic at once on two vdevs, 0 lost and none crossing" {
	local a b
	tenants_up
	a=$(vdev_dev a) b=$(vdev_dev b)
	python3 "$PORT" traffic "/dev/dlb/$a/pipeline" 2000 mmap \
		>"$BATS_TEST_TMPDIR/a" 2>&1 &
	local pa=$!
	run python3 "$PORT" traffic "/dev/dlb/$b/pipeline" 3000 mmap
	wait "$pa" || { cat "$BATS_TEST_TMPDIR/a"; fail "tenant a failed"; }
	assert_success
	assert_output --partial "sent 3000 received 3000 duplicates 0 order_violations 0"
	run cat "$BATS_TEST_TMPDIR/a"
	assert_output --partial "sent 2000 received 2000 duplicates 0 order_violations 0"
	# Each tenant's ports saw exactly its own events.
	for t in "$a rx enqueued 2000" "$a tx scheduled 2000" \
		 "$b rx enqueued 3000" "$b tx scheduled 3000"; do
		set -- $t
		read -r n <"/sys/class/dlb_port/$1.pipeline.$2/stats/$3"
		assert_equal "$1 $2 $3 $n" "$t"
	done
	assert_equal "$(ls /dev/dlb/dlb0 2>/dev/null)" ""
}

@test "vdev: a tenant's unprivileged user opens its port files and not the other tenant's" {
	local a b
	tenants_up
	a=$(vdev_dev a) b=$(vdev_dev b)
	for v in a b; do
		echo 0 >"$VDEVS/$v/domains/pipeline/start"
	done
	echo 1000 >"$VDEVS/a/domains/pipeline/uid"
	echo 1000 >"$VDEVS/a/domains/pipeline/gid"
	echo 1001 >"$VDEVS/b/domains/pipeline/uid"
	echo 1001 >"$VDEVS/b/domains/pipeline/gid"
	for v in a b; do
		echo 1 >"$VDEVS/$v/domains/pipeline/start"
	done
	run python3 "$PORT" open "/dev/dlb/$a/pipeline/w0" 1000 1000
	assert_output "open: ok"
	run python3 "$PORT" open "/dev/dlb/$b/pipeline/w0" 1000 1000
	assert_output "open: Permission denied"
	run python3 "$PORT" open "/dev/dlb/$b/pipeline/w0" 1001 1001
	assert_output "open: ok"
	run python3 "$PORT" open "/dev/dlb/$a/pipeline/w0" 1001 1001
	assert_output "open: Permission denied"
}

@test "vdev: the module does not unload while a vdev directory exists; after uncommit and rmdir it unloads with dlb0's resources all back" {
	vdev_make t "${QUOTA[@]}"
	echo 1 >"$VDEVS/t/commit"
	run rmmod dlb
	assert_failure
	assert_attr "$VDEVS/t/commit" 1
	echo 0 >"$VDEVS/t/commit"
	run rmmod dlb
	assert_failure
	assert [ -d "$VDEVS/t" ]
	rmdir "$VDEVS/t"
	assert_equal "$(cfs_res avail)" "$(cfs_res total)"
	assert_equal "$(<"$DLB_SYSFS/dlb0/sn_group_slot_sizes")" "0 0"
	rmmod dlb
	assert_not_exist /sys/module/dlb
}
