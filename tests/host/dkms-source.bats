#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/dkms-source.bats - what scripts/dkms-install copies to
# /usr/src for DKMS: the tracked module source, from a git checkout or from
# a tree without git (a tarball, the kernel matrix's copies), and never a
# build output. The install itself runs in the VM: tests/vm/dkms.bats
# (the kernel matrix) and through the dlb-dkms package, tests/vm/deb.bats.

load ../lib/common

@test "dkms-install: from a git checkout it copies exactly the tracked module source" {
	run "$DLB_ROOT/scripts/dkms-install" --list-source
	assert_success
	assert_equal "$(sort <<<"$output")" \
		"$(git -C "$DLB_ROOT" ls-files dkms.conf LICENSE module | sort)"
}

@test "dkms-install: a tree without git copies the same files, whatever a build left in it" {
	local tree=$BATS_TEST_TMPDIR/tree
	mkdir "$tree"
	git -C "$DLB_ROOT" ls-files -z | (cd "$DLB_ROOT" && xargs -0 cp --parents -t "$tree")
	# What Kbuild leaves behind, by every name it uses.
	touch "$tree"/module/{dlb.o,dlb.ko,dlb.mod,dlb.mod.c,dlb.mod.o,modules.order} \
		"$tree"/module/{Module.symvers,.dlb.o.cmd,.dlb.ko.cmd,.cache.mk} \
		"$tree"/module/engine/{dlb_eng_core.o,.dlb_eng_core.o.cmd,dlb_eng_core.d} \
		"$tree"/module/{lib.a,built-in.a}
	mkdir "$tree/module/.tmp_versions"
	touch "$tree/module/.tmp_versions/dlb.mod"
	run "$tree/scripts/dkms-install" --list-source
	assert_success
	# Sorted by the same rules on both sides.
	assert_equal "$(LC_ALL=C sort <<<"$output")" \
		"$(git -C "$DLB_ROOT" ls-files dkms.conf LICENSE module | LC_ALL=C sort)"
	assert_line module/kernel-probe.sh
}
