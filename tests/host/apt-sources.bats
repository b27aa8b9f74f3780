#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/apt-sources.bats - the apt entries scripts/lib.sh derives for
# dpdk-sdk (deb-src), install-deps --kernels (backports) and sid-root (the
# mirror): taken from the Debian entries apt already has, so no script names
# a mirror of its own. Runs on a fake apt directory, never the machine's.

load ../lib/common

setup() {
	export DLB_APT_ETC=$BATS_TEST_TMPDIR/apt
	mkdir -p "$DLB_APT_ETC/sources.list.d"
	cat >"$DLB_APT_ETC/sources.list.d/debian.sources" <<-EOF
	Types: deb
	URIs: http://mirror.test/debian
	Suites: bookworm bookworm-updates
	Components: main contrib
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

	Types: deb
	URIs: http://mirror.test/debian-security
	Suites: bookworm-security
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	cat >"$DLB_APT_ETC/sources.list.d/vendor.sources" <<-EOF
	Types: deb
	URIs: http://vendor.test/apt
	Suites: stable
	Components: main
	Signed-By: /usr/share/keyrings/vendor.gpg
	EOF
	cat >"$DLB_APT_ETC/sources.list.d/dlb-deb-src.sources" <<-EOF
	Types: deb-src
	URIs: http://mirror.test/debian
	Suites: bookworm
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
}

derive() {
	bash -c '. "$1/scripts/lib.sh"; shift; "$@"' _ "$DLB_ROOT" "$@"
}

@test "apt sources: deb-src entries copy every Debian entry, and only those" {
	run derive dlb_apt_derive deb-src
	assert_success
	assert_equal "$(grep -c '^Types: deb-src$' <<<"$output")" 2
	assert_line "URIs: http://mirror.test/debian"
	assert_line "URIs: http://mirror.test/debian-security"
	assert_line "Suites: bookworm bookworm-updates"
	assert_line "Components: main contrib"
	refute_output --partial vendor.test
}

@test "apt sources: a backports entry is the main archive's, moved to that suite" {
	run derive dlb_apt_derive deb bookworm-backports
	assert_success
	assert_output "$(printf '%s\n' 'Types: deb' 'URIs: http://mirror.test/debian' \
		'Suites: bookworm-backports' 'Components: main contrib' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg')"
}

@test "apt sources: one-line sources.list entries count as Debian's" {
	rm "$DLB_APT_ETC"/sources.list.d/debian.sources
	echo "deb http://old.test/debian bookworm main non-free" >"$DLB_APT_ETC/sources.list"
	echo "deb [arch=amd64] http://other.test/x stable main" >>"$DLB_APT_ETC/sources.list"
	run derive dlb_apt_derive deb bookworm-backports
	assert_success
	assert_line "URIs: http://old.test/debian"
	assert_line "Suites: bookworm-backports"
	assert_line "Components: main non-free"
	refute_output --partial other.test
}

@test "apt sources: sid-root's default mirror is the main archive apt uses" {
	run derive dlb_debian_mirror
	assert_success
	assert_output "http://mirror.test/debian"
}

@test "apt sources: an existing list is left alone and apt is not updated" {
	echo keep >"$DLB_APT_ETC/sources.list.d/dlb-backports.sources"
	run derive dlb_apt_add_list backports deb bookworm-backports
	assert_success
	assert_equal "$(cat "$DLB_APT_ETC/sources.list.d/dlb-backports.sources")" keep
}
