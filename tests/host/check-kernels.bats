#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/check-kernels.bats - the kernel matrix's choice of kernels and
# its command line. The matrix itself boots every kernel and runs for much
# longer than make check; `make check-kernels` runs it.

load ../lib/common

CHECK_KERNELS=$DLB_ROOT/scripts/check-kernels

@test "check-kernels: the default matrix starts with the VM's default kernel and has no duplicate" {
	run "$CHECK_KERNELS" --list
	assert_success
	assert_line --index 0 "$("$DLB_ROOT/scripts/vm-kernel")"
	assert_equal "$(sort <<<"$output" | uniq -d)" ""
}

@test "check-kernels: the default matrix holds a 6.12 kernel and its PREEMPT_RT flavour when Debian has them" {
	apt-cache pkgnames linux-image-6.12. 2>/dev/null | grep -q -- '-rt-amd64-unsigned$' ||
		skip "this machine's package lists have no 6.12 kernel"
	run "$CHECK_KERNELS" --list
	assert_success
	assert_line --regexp '^6\.12\.[0-9]+\+deb12-amd64$'
	assert_line --regexp '^6\.12\.[0-9]+\+deb12-rt-amd64$'
}

@test "check-kernels: the default matrix holds the default kernel's cloud flavour when Debian has it" {
	local cloud
	cloud=$("$DLB_ROOT/scripts/vm-kernel")
	cloud=${cloud%-amd64}-cloud-amd64
	[[ -f /boot/vmlinuz-$cloud ]] || apt-cache show "linux-image-$cloud" >/dev/null 2>&1 ||
		skip "this machine's package lists have no $cloud"
	run "$CHECK_KERNELS" --list
	assert_success
	assert_line --index 1 "$cloud"
}

@test "check-kernels: the default matrix holds bullseye (Debian 11's 5.10), before sid" {
	run "$CHECK_KERNELS" --list
	assert_success
	assert_equal "${lines[-2]}" bullseye
	run "$CHECK_KERNELS" --no-sid --list
	assert_success
	assert_equal "${lines[-1]}" bullseye
}

@test "check-kernels: the default matrix ends with sid, which --no-sid leaves out" {
	run "$CHECK_KERNELS" --list
	assert_success
	assert_equal "${lines[-1]}" sid
	local with=("${lines[@]}")

	run "$CHECK_KERNELS" --no-sid --list
	assert_success
	refute_line sid
	# Nothing else changes.
	assert_output "$(printf '%s\n' "${with[@]:0:${#with[@]}-1}")"
}

@test "check-kernels: sid can be named on the command line like a kernel version" {
	run "$CHECK_KERNELS" --list 6.1.0-56-amd64 sid
	assert_success
	assert_output "$(printf '%s\n' 6.1.0-56-amd64 sid)"
	# --no-sid only trims the default list.
	run "$CHECK_KERNELS" --no-sid --list sid
	assert_success
	assert_output sid
}

@test "check-kernels: kernels named on the command line replace the default list" {
	run "$CHECK_KERNELS" --list 9.9.9-test-amd64 6.1.0-56-amd64
	assert_success
	assert_output "$(printf '%s\n' 9.9.9-test-amd64 6.1.0-56-amd64)"
}

@test "check-kernels: an unknown option is a usage error" {
	run "$CHECK_KERNELS" --bogus
	assert_failure 2
	assert_output --partial "check-kernels [-s SUITE]"
}
