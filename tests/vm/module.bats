#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/module.bats - loading and unloading dlb.ko, its module
# parameters, the software devices' sysfs files and configfs groups.
# Runs in the test VM as root; every test starts and ends with dlb unloaded.

load ../lib/common

# Load/unload cycles per device count: at least 20, so that a leak or a
# stale object of one cycle shows in a later one.
CYCLES=${DLB_TEST_CYCLES:-20}

setup() {
	dlb_common_setup
	dlb_unload
}

teardown() {
	remove_race_domains
	dlb_unload
	dlb_common_teardown
}

# Assert that exactly dlb0..dlb<n-1> exist, in sysfs and in configfs.
# Globs, not find: each fork costs tens of milliseconds under emulation.
assert_devices() {
	local n=$1 i sysfs=("$DLB_SYSFS"/dlb*) configfs=("$DLB_CONFIGFS"/dlb*)

	for ((i = 0; i < n; i++)); do
		[[ -d $DLB_SYSFS/dlb$i ]] || fail "no $DLB_SYSFS/dlb$i"
		[[ -d $DLB_CONFIGFS/dlb$i/domains ]] ||
			fail "no $DLB_CONFIGFS/dlb$i/domains"
	done
	[[ -e ${sysfs[0]} ]] || sysfs=()
	[[ -e ${configfs[0]} ]] || configfs=()
	assert_equal "sysfs devices: ${#sysfs[@]}" "sysfs devices: $n"
	assert_equal "configfs devices: ${#configfs[@]}" "configfs devices: $n"
}

assert_unloaded() {
	! dlb_loaded || fail "dlb is still loaded"
	assert_not_exist "$DLB_SYSFS"
	assert_not_exist "$DLB_CONFIGFS"
}

# load_cycles N: CYCLES times, load with sw_devices=N, check the devices,
# unload, check everything is gone.
load_cycles() {
	local n=$1 i

	for ((i = 0; i < CYCLES; i++)); do
		dlb_load "sw_devices=$n" || fail "load $i with sw_devices=$n failed"
		assert_devices "$n"
		rmmod dlb || fail "unload $i with sw_devices=$n failed"
		assert_unloaded
	done
}

# refuses PARAM=VALUE MESSAGE: insmod fails with EINVAL, the kernel log
# gains MESSAGE as the module's only line, and nothing is left behind.
refuses() {
	local param=$1 msg=$2 before

	before=$(dlb_kmsg | wc -l)
	run dlb_load "$param"
	assert_failure
	assert_output --partial "Invalid parameters"
	assert_unloaded

	run dlb_new_lines "$before"
	assert_output "dlb: $msg"
}

# The module's kernel log lines since line BEFORE of dlb_kmsg, without the
# kernel's timestamps and taint notices.
dlb_new_lines() {
	dlb_kmsg | tail -n +"$(($1 + 1))" | sed 's/^\[[ 0-9.]*\] //' |
		grep -F 'dlb: ' | grep -v -e 'taints kernel' -e 'verification failed'
}

@test "module: loads and unloads $CYCLES times with sw_devices=0" {
	load_cycles 0
}

@test "module: loads and unloads $CYCLES times with sw_devices=1" {
	load_cycles 1
}

@test "module: loads and unloads $CYCLES times with sw_devices=3" {
	load_cycles 3
}

@test "module: the default is one software device, dlb0" {
	dlb_load
	assert_devices 1
	assert_attr /sys/module/dlb/parameters/sw_devices 1
}

@test "module: sw_devices=0 registers the class and configfs but no device" {
	dlb_load sw_devices=0
	assert_dir_exist "$DLB_SYSFS"
	assert_dir_exist "$DLB_CONFIGFS"
	assert_devices 0
}

@test "module: sw_devices=16, the maximum, creates dlb0..dlb15" {
	dlb_load sw_devices=16
	assert_devices 16
}

# Stop and remove the domain "race" of every device that has one.
remove_race_domains() {
	local d

	for d in "$DLB_CONFIGFS"/dlb*/domains/race; do
		[[ -d $d ]] || continue
		echo 0 >"$d/start"
		rmdir "$d"
	done
}

@test "module: a device is complete when announced: its add event finds configfs and sysfs ready and a start succeeds" {
	local race=$BATS_TEST_TMPDIR/race rounds=${DLB_TEST_RACE_ROUNDS:-3} r i pid st

	for ((r = 0; r < rounds; r++)); do
		python3 "$DLB_ROOT/tests/progs/dlb_load_race.py" 16 120 >"$race" &
		pid=$!
		for i in $(seq 300); do
			grep -q ready "$race" && break
			sleep 0.1
		done
		dlb_load sw_devices=16 || fail "load failed"
		st=0
		wait "$pid" || st=$?
		for ((i = 0; i < 16; i++)); do
			assert_attr "$DLB_CONFIGFS/dlb$i/domains/race/start" 1
		done
		remove_race_domains
		[[ $st == 0 ]] || { cat "$race"; fail "round $r: a device was announced before it was ready"; }
		rmmod dlb
	done
}

@test "module: cannot be loaded twice" {
	dlb_load
	run dlb_load
	assert_failure
	assert_devices 1
}

@test "module: sw_devices=17 is refused with a message" {
	refuses sw_devices=17 "sw_devices=17 is out of range 0-16"
}

@test "module: a resource parameter above the DLB 2.0 total is refused with a message" {
	local r

	for r in "${DLB_RESOURCES[@]}"; do
		local over=$((DLB_RES_MAX[$r] + 1))
		local min=0
		[[ $r != num_sched_domains ]] || min=1
		refuses "sw_$r=$over" \
			"sw_$r=$over is out of range $min-${DLB_RES_MAX[$r]}"
	done
}

@test "module: sw_num_sched_domains=0 is refused with a message" {
	refuses sw_num_sched_domains=0 "sw_num_sched_domains=0 is out of range 1-32"
}

@test "module: sw_num_sequence_numbers must be a multiple of 1024" {
	refuses sw_num_sequence_numbers=1000 \
		"sw_num_sequence_numbers=1000 is not a multiple of the group size 1024"
	refuses sw_num_sequence_numbers=1025 \
		"sw_num_sequence_numbers=1025 is not a multiple of the group size 1024"
}

@test "module: a parameter that is not a number is refused" {
	run dlb_load sw_devices=many
	assert_failure
	assert_unloaded
	run dlb_kmsg
	assert_output --partial "dlb: \`many' invalid for parameter \`sw_devices'"
}

@test "module: resource parameters set the software devices' totals" {
	dlb_load sw_devices=2 sw_num_sched_domains=1 sw_num_ldb_ports=8 \
		sw_num_ldb_credits=0 sw_num_sequence_numbers=1024
	local d

	for d in dlb0 dlb1; do
		assert_attr "$DLB_SYSFS/$d/total_resources/num_sched_domains" 1
		assert_attr "$DLB_SYSFS/$d/total_resources/num_ldb_ports" 8
		assert_attr "$DLB_SYSFS/$d/total_resources/num_ldb_credits" 0
		assert_attr "$DLB_SYSFS/$d/total_resources/num_sequence_numbers" 1024
		# Untouched resources keep their defaults.
		assert_attr "$DLB_SYSFS/$d/total_resources/num_dir_ports" 64
		assert_attr "$DLB_SYSFS/$d/avail_resources/num_ldb_ports" 8
	done
}

@test "sysfs: device_type of the software device is sw" {
	dlb_load sw_devices=3
	local d

	for d in dlb0 dlb1 dlb2; do
		assert_attr "$DLB_SYSFS/$d/device_type" sw
	done
}

@test "sysfs: total_resources and avail_resources hold exactly the nine resource files" {
	dlb_load
	local set expected

	expected=$(printf '%s\n' "${DLB_RESOURCES[@]}" | sort)
	for set in total_resources avail_resources; do
		assert_equal "$(ls "$DLB_SYSFS/dlb0/$set" | sort)" "$expected"
	done
}

@test "sysfs: total_resources are the DLB 2.0 totals by default" {
	dlb_load
	local r

	for r in "${DLB_RESOURCES[@]}"; do
		assert_attr "$DLB_SYSFS/dlb0/total_resources/$r" \
			"${DLB_RES_MAX[$r]}"
	done
}

@test "sysfs: avail_resources equal total_resources after load" {
	dlb_load sw_devices=3
	local d r total

	for d in dlb0 dlb1 dlb2; do
		for r in "${DLB_RESOURCES[@]}"; do
			read -r total <"$DLB_SYSFS/$d/total_resources/$r"
			assert_attr "$DLB_SYSFS/$d/avail_resources/$r" "$total"
		done
	done
}

@test "sysfs: device_type and every resource file have mode 0444" {
	dlb_load
	local files=("$DLB_SYSFS"/dlb0/device_type
		     "$DLB_SYSFS"/dlb0/{total,avail}_resources/*)

	assert_equal "${#files[@]}" 19
	run stat -L -c '%a %n' "${files[@]}"
	assert_success
	assert_equal "${#lines[@]}" 19
	for line in "${lines[@]}"; do
		assert_equal "${line%% *} ${line#* }" "444 ${line#* }"
	done
}

@test "sysfs: writing a resource file fails, even as root, and changes nothing" {
	dlb_load
	local f

	# One forked write shows the errno; the rest use a builtin.
	run bash -c "echo 1 >'$DLB_SYSFS/dlb0/avail_resources/num_ldb_ports'"
	assert_failure
	assert_output --partial "Permission denied"
	for f in "$DLB_SYSFS"/dlb0/device_type \
		 "$DLB_SYSFS"/dlb0/{total,avail}_resources/*; do
		if echo 1 2>/dev/null >"$f"; then
			fail "writing 1 to $f succeeded"
		fi
	done
	assert_attr "$DLB_SYSFS/dlb0/device_type" sw
	for f in "${DLB_RESOURCES[@]}"; do
		assert_attr "$DLB_SYSFS/dlb0/total_resources/$f" "${DLB_RES_MAX[$f]}"
		assert_attr "$DLB_SYSFS/dlb0/avail_resources/$f" "${DLB_RES_MAX[$f]}"
	done
}

@test "configfs: each device has an empty domains group" {
	dlb_load sw_devices=3
	local d

	for d in dlb0 dlb1 dlb2; do
		assert_dir_exist "$DLB_CONFIGFS/$d/domains"
		local entries=("$DLB_CONFIGFS/$d/domains"/*)
		assert_equal "${entries[*]}" "$DLB_CONFIGFS/$d/domains/*"
	done
}

@test "configfs: device groups cannot be made or removed by hand" {
	dlb_load
	run mkdir "$DLB_CONFIGFS/dlb5"
	assert_failure
	run rmdir "$DLB_CONFIGFS/dlb0"
	assert_failure
	assert_devices 1
}

@test "configfs: the dlb groups vanish on unload and come back on load" {
	dlb_load sw_devices=3
	assert_dir_exist "$DLB_CONFIGFS/dlb2/domains"
	rmmod dlb
	assert_not_exist "$DLB_CONFIGFS"
	dlb_load sw_devices=1
	assert_dir_exist "$DLB_CONFIGFS/dlb0/domains"
	assert_not_exist "$DLB_CONFIGFS/dlb1"
}

@test "module: unloading removes /sys/class/dlb and the char device region" {
	dlb_load sw_devices=3
	grep -qw dlb /proc/devices || fail "no dlb in /proc/devices"
	rmmod dlb
	assert_unloaded
	run grep -w dlb /proc/devices
	assert_failure
}

@test "module: the engine's invariant checker, a test tool, is not in dlb.ko" {
	run nm "$DLB_KO"
	assert_success
	assert_output --partial dlb_eng_create
	refute_line --regexp " [Tt] dlb_eng_check$"
}
