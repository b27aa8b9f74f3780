#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/vm-run.bats - the test VM harness end to end: it runs the
# command as root in the guest with the module loaded, passes its output
# and exit status back, and fails a run whose guest kernel log has a report
# or that outlives its timeout. Each test boots a VM (seconds).

load ../lib/common

VM_RUN=$DLB_ROOT/scripts/vm-run

@test "vm-run: runs the command as root with dlb loaded and returns its status and output" {
	[[ -f $DLB_KO ]] || skip "module/dlb.ko is not built"
	run "$VM_RUN" -q -- bash -c \
		'echo "uid $(id -u) in $PWD"; cat /sys/class/dlb/dlb0/device_type; echo oops-not-really >&2; exit 7'
	assert_failure 7
	assert_line "uid 0 in $PWD"
	assert_line sw
	assert_line oops-not-really
}

@test "vm-run: --no-load leaves dlb unloaded, and the guest's writes stay in the guest" {
	local marker=$DLB_ROOT/out/vm-run-test-$$

	# The guest writes into out/, which only make check creates; a bare
	# `bats tests/host` in a fresh clone must find it too.
	mkdir -p "$DLB_ROOT/out"
	run "$VM_RUN" -q --no-load -- bash -c \
		"test ! -d /sys/module/dlb && touch '$marker' && test -f '$marker'"
	assert_success
	assert_file_not_exist "$marker"
}

@test "vm-run: fails a run whose guest kernel log has a WARNING, and prints it" {
	run "$VM_RUN" -q --no-load --out "$BATS_TEST_TMPDIR/out" -- bash -c \
		'echo "WARNING: CPU: 0 PID: 1 at fake.c:1 injected+0x0/0x0" >/dev/kmsg'
	assert_failure 3
	assert_line --partial "FAILED: the kernel log has reports"
	assert_line --partial "WARNING: CPU: 0 PID: 1 at fake.c:1 injected"
	assert_file_exist "$BATS_TEST_TMPDIR/out/dmesg"
}

@test "vm-run: a run that outlives --timeout fails with 124 and shows the console" {
	run "$VM_RUN" -q --no-load --timeout 3 -- sleep 60
	assert_failure 124
	assert_line --partial "TIMEOUT"
	assert_line --partial "---- console"
}

@test "vm-run: --root refuses a directory that holds no root file system" {
	run "$VM_RUN" -q --no-load --root "$BATS_TEST_TMPDIR" -- true
	assert_failure 1
	assert_output --partial "not a root file system (no bin/bash)"
}

@test "vm-run: --root wants to run from inside the repository, which it shares on its own" {
	local fake=$BATS_TEST_TMPDIR/root
	mkdir -p "$fake/bin" "$fake/boot"
	touch "$fake/bin/bash"
	chmod +x "$fake/bin/bash"
	run bash -c 'cd / && exec "$@"' sh "$VM_RUN" -q --no-load --root "$fake" -- true
	assert_failure 1
	assert_output --partial "with --root, run from inside the repository"
	cd "$DLB_ROOT"
	run "$VM_RUN" -q --no-load --root "$fake" -- true
	assert_failure 1
	assert_output --partial "no kernel in $fake/boot"
}

@test "vm-run: with --root the guest runs DIR's userland and kernel and sees the repository at its path" {
	local root=${DLB_CACHE:-$HOME/.cache/dlb}/sid-root
	[[ -f $root/.dlb-sid-root ]] || skip "no sid root (scripts/sid-root makes one)"
	local kver
	kver=$(ls "$root"/boot/vmlinuz-* | sed 's|.*/boot/vmlinuz-||' | sort -V | tail -n 1)
	run "$VM_RUN" -q --no-load --root "$root" -- bash -c \
		'uname -r; echo "debian $(cat /etc/debian_version)"; test -f scripts/vm-guest && echo "repo in $PWD"; touch scripts/guest-write && echo writable'
	assert_success
	assert_line "$kver"
	# sid calls itself "<next release>/sid" there.
	assert_line --regexp '^debian [a-z]+/sid$'
	assert_line "repo in $PWD"
	assert_line writable
	assert_file_not_exist "$DLB_ROOT/scripts/guest-write"
}

@test "vm-run: --share takes 9p or virtiofs only" {
	run "$VM_RUN" -q --no-load --share nfs -- true
	assert_failure 1
	assert_output "vm-run: --share takes 9p or virtiofs, not nfs"
}

@test "vm-run: a kernel without 9p gets virtiofs shares; a virtiofsd that cannot start means 125" {
	local kver
	kver=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sed 's|^/boot/vmlinuz-||' | tail -n 1)
	[[ -n $kver ]] || skip "no Debian cloud kernel here (check-kernels installs one)"
	DLB_VIRTIOFSD=/bin/false run "$VM_RUN" --no-load --kernel "$kver" -- true
	assert_failure 125
	assert_output --partial "virtiofsd for / failed"
	refute_output --partial "guest done"
}
