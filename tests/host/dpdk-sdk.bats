#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/dpdk-sdk.bats - scripts/dpdk-sdk, which fetches DPDK's
# driver-SDK headers for the event_dlbk build and builds DPDK's eventdev
# samples for the VM tests: they match the installed libdpdk-dev, live in
# the cache (never the repository), and a second run fetches nothing.
# Needs libdpdk-dev (scripts/install-deps runs dpdk-sdk).

load ../lib/common

SDK=$DLB_ROOT/scripts/dpdk-sdk

setup() {
	dpkg-query -W -f='${db:Status-Status}' libdpdk-dev 2>/dev/null | grep -qx installed ||
		skip "libdpdk-dev is not installed"
}

@test "dpdk-sdk: the headers of the installed libdpdk-dev version are in the cache" {
	local version inc h

	version=$(dpkg-query -W -f='${Version}' libdpdk-dev)
	run "$SDK"
	assert_success
	inc=$output
	assert_equal "$inc" "${DLB_CACHE:-$HOME/.cache/dlb}/dpdk-sdk/$version/include"
	for h in eventdev_pmd.h eventdev_pmd_vdev.h eventdev_pmd_pci.h \
		event_timer_adapter_pmd.h dev_driver.h bus_driver.h \
		bus_vdev_driver.h bus_pci_driver.h; do
		assert_file_exists "$inc/$h"
	done
	# They were extracted from that version's source package.
	assert_equal "$(<"${inc%/include}/.complete")" "$version"
}

@test "dpdk-sdk: DPDK's eventdev samples of the same version are built in the cache, linked to the installed DPDK" {
	local version dir e

	version=$(dpkg-query -W -f='${Version}' libdpdk-dev)
	run "$SDK"
	assert_success
	run "$SDK" --examples
	assert_success
	dir=$output
	assert_equal "$dir" "${DLB_CACHE:-$HOME/.cache/dlb}/dpdk-sdk/$version/examples"
	assert_equal "$(<"$dir/.complete")" "$version"
	for e in eventdev_pipeline l2fwd-event; do
		assert_file_executable "$dir/$e"
		run ldd "$dir/$e"
		assert_output --partial librte_eventdev.so
		refute_output --partial "not found"
	done
}

@test "dpdk-sdk: a second run downloads nothing and prints the same directory" {
	local first

	first=$("$SDK")
	run strace -f -e trace=connect -o /dev/stdout "$SDK"
	assert_success
	assert_output --partial "$first"
	# A local socket (nscd's, say) is no download; a network one is.
	refute_output --regexp 'connect\([0-9]+, \{sa_family=AF_INET6?,'
}

@test "dpdk-sdk: nothing of DPDK's is in the repository" {
	run git -C "$DLB_ROOT" ls-files '*eventdev_pmd*.h' '*bus_vdev_driver.h' '*dev_driver.h'
	assert_success
	assert_output ""
}

@test "dpdk-sdk: an unknown option prints the usage and exits 2" {
	run "$SDK" --bogus
	assert_failure 2
	assert_output --partial "dpdk-sdk [--print | --examples]"
}
