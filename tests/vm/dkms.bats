#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/dkms.bats - the DKMS packaging, through the same scripts a user
# runs (make dkms-install / dkms-uninstall): dkms add, build and install
# for the guest's kernel from a copy of the tracked source, modprobe, and a
# removal that leaves nothing behind. One cycle: under emulation it takes
# minutes (dkms builds the module and runs depmod over the whole kernel).
# make check runs the same cycle through the dlb-dkms package instead
# (tests/vm/deb.bats, with DLB_DEB_DIR set), so this one skips there; the
# kernel matrix (make check-kernels), which builds no packages, runs it on
# every kernel.

load ../lib/common

setup() {
	dlb_common_setup
	dlb_unload
	KVER=$(uname -r)
	VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$DLB_ROOT/dkms.conf")
}

teardown() {
	dlb_unload
	# Leave the guest as found even when the test failed half-way.
	"$DLB_ROOT/scripts/dkms-uninstall" >/dev/null 2>&1 || true
	dlb_common_teardown
}

@test "dkms: installs for the guest's kernel, modprobe loads it, and removal leaves nothing behind" {
	[[ -z ${DLB_DEB_DIR:-} ]] ||
		skip "the dlb-dkms package's suite (deb.bats) runs this cycle here"
	[[ -f /lib/modules/$KVER/build/Makefile ]] ||
		skip "no headers for $KVER on the host"

	run "$DLB_ROOT/scripts/dkms-install" "$KVER"
	# DKMS keeps the compiler's words in make.log: show them on failure.
	[[ $status == 0 ]] || cat "/var/lib/dkms/dlb/$VER/build/make.log" || true
	assert_success
	# DKMS builds from its own copy, which holds sources and no outputs.
	assert_file_exist "/usr/src/dlb-$VER/dkms.conf"
	assert_file_exist "/usr/src/dlb-$VER/module/dlb_main.c"
	# Kbuild runs it to probe the kernel's API (compat.h).
	assert_file_exist "/usr/src/dlb-$VER/module/kernel-probe.sh"
	assert_file_not_exist "/usr/src/dlb-$VER/module/dlb.ko"
	run dkms status -m dlb -v "$VER" -k "$KVER"
	assert_output --partial "installed"

	run modinfo -n dlb
	assert_success
	# Kernel versions hold regex characters (6.12.117+deb12): quote them.
	local kver_re
	kver_re=$(sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$KVER")
	assert_output --regexp "^/lib/modules/$kver_re/updates/dkms/dlb\.ko(\.[a-z]+)?$"
	local ko=$output

	# What modprobe loads is the DKMS build, not module/dlb.ko.
	run modprobe --show-depends dlb
	assert_line --partial "insmod $ko"
	modprobe dlb sw_devices=2
	assert_attr "$DLB_SYSFS/dlb1/device_type" sw
	assert_attr "$DLB_SYSFS/dlb0/total_resources/num_ldb_ports" 64
	assert_attr "$DLB_SYSFS/dlb0/avail_resources/num_ldb_ports" 64
	assert_dir_exist "$DLB_CONFIGFS/dlb1/domains"
	modprobe -r dlb
	assert_not_exist "$DLB_SYSFS"

	run "$DLB_ROOT/scripts/dkms-uninstall"
	assert_success
	assert_not_exist /var/lib/dkms/dlb
	assert_not_exist "/usr/src/dlb-$VER"
	assert_not_exist "$ko"
	run find "/lib/modules/$KVER" -name 'dlb.ko*'
	assert_output ""
	run modinfo dlb
	assert_failure
}
