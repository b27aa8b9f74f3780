#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/deb.bats - the Debian packages of make deb (packaging/): what
# each holds, libdlbk's exported ABI, the version override, and lintian,
# whose errors fail the suite. The install, upgrade and purge run in the VM
# (tests/packaging/deb.bats, make check-deb).
#
#   DLB_DEB_DIR       packages already built (scripts/check-deb);
#   DLB_DEB_NEXT_DIR  the same at DLB_DEB_VERSION=<version>.1. Unset, the
#                     suite builds both into its temporary directory.
#
# lintian's warnings that remain (none as of this writing) are printed by
# the lintian test; its notes (I:) are not counted. The two notes are
# hardening-no-fortify-functions on libdlbk.so (it calls no function glibc
# fortifies) and package-supports-alternative-init-but-no-init.d-script
# for dlbcfg.service (no sysvinit script: the unit is the only way).

load ../lib/common

setup_file() {
	VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$DLB_ROOT/dkms.conf")
	export VER NEXT=$VER.1
	if [[ -z ${DLB_DEB_DIR:-} ]]; then
		export DLB_DEB_DIR=$BATS_FILE_TMPDIR/deb
		DLB_DEB_OUT=$DLB_DEB_DIR "$DLB_ROOT/packaging/build-deb" >&3 2>&1
	fi
	if [[ -z ${DLB_DEB_NEXT_DIR:-} ]]; then
		export DLB_DEB_NEXT_DIR=$BATS_FILE_TMPDIR/deb-next
		DLB_DEB_VERSION=$NEXT DLB_DEB_OUT=$DLB_DEB_NEXT_DIR \
			"$DLB_ROOT/packaging/build-deb" >&3 2>&1
	fi
}

# deb_unpack PACKAGE [DIR]: PACKAGE's files under $BATS_TEST_TMPDIR/PACKAGE.
deb_unpack() {
	local deb
	deb=$(compgen -G "${2:-$DLB_DEB_DIR}/${1}_*.deb") || fail "no $1 package"
	dpkg-deb -x "$deb" "$BATS_TEST_TMPDIR/$1"
}

@test "deb: make deb builds the four packages and the .changes at dkms.conf's version" {
	local p
	for p in dlb-dkms_${VER}_all libdlbk0_${VER}_amd64 libdlbk-dev_${VER}_amd64 \
		 dlb-tools_${VER}_amd64; do
		assert_file_exist "$DLB_DEB_DIR/$p.deb"
	done
	assert_file_exist "$DLB_DEB_DIR/dlb_${VER}_amd64.changes"
	# Nothing else, so that apt-get install ./out/deb/*.deb takes these.
	run compgen -G "$DLB_DEB_DIR/*.deb"
	assert_equal "${#lines[@]}" 4
}

@test "deb: lintian finds no error in the source, the packages or the .changes" {
	run lintian --fail-on error \
		"$DLB_DEB_DIR/dlb_${VER}_amd64.changes"
	# Tags at E: fail; W: are listed for the record.
	grep '^[EW]:' <<<"$output" >&3 || true
	assert_success
	refute_line --regexp '^E:'
}

@test "deb: dlb-dkms holds the source dkms-install copies, at the package's version, without build outputs" {
	deb_unpack dlb-dkms
	local src=$BATS_TEST_TMPDIR/dlb-dkms/usr/src/dlb-$VER
	run bash -c "cd '$src' && find . -type f | sed 's|^\./||' | LC_ALL=C sort"
	assert_output "$("$DLB_ROOT/scripts/dkms-install" --list-source |
		grep -v '^LICENSE$' | LC_ALL=C sort)"
	run grep '^PACKAGE_VERSION=' "$src/dkms.conf"
	assert_output "PACKAGE_VERSION=\"$VER\""
}

@test "deb: DLB_DEB_VERSION builds that version, and DKMS's source says it too" {
	deb_unpack dlb-dkms "$DLB_DEB_NEXT_DIR"
	run dpkg-deb -f "$DLB_DEB_NEXT_DIR/dlb-dkms_${NEXT}_all.deb" Version
	assert_output "$NEXT"
	run grep '^PACKAGE_VERSION=' \
		"$BATS_TEST_TMPDIR/dlb-dkms/usr/src/dlb-$NEXT/dkms.conf"
	assert_output "PACKAGE_VERSION=\"$NEXT\""
}

@test "deb: libdlbk0 exports only the dlbk_* functions, each versioned DLBK_0" {
	deb_unpack libdlbk0
	local so syms
	so=$(compgen -G "$BATS_TEST_TMPDIR/libdlbk0/usr/lib/*/libdlbk.so.0")
	# Defined dynamic symbols as "VERSION NAME".
	syms=$(objdump -T "$so" | awk '/^[0-9a-f]/ && !/\*UND\*/ { print $(NF-1), $NF }')
	run grep -c . <<<"$syms"
	assert_output "$(grep -c '@DLBK_0 ' "$DLB_ROOT/packaging/debian/libdlbk0.symbols")"
	run grep -Ev '^DLBK_0 (dlbk_[a-z_]+|DLBK_0)$' <<<"$syms"
	assert_output ""
	run grep -x 'DLBK_0 dlbk_port_open' <<<"$syms"
	assert_success
}

@test "deb: dlb-tools and libdlbk-dev hold the tools, pages, schema, unit, completion and development files" {
	deb_unpack dlb-tools
	deb_unpack libdlbk-dev
	local t=$BATS_TEST_TMPDIR/dlb-tools d=$BATS_TEST_TMPDIR/libdlbk-dev f
	for f in usr/sbin/dlbcfg usr/bin/dlb-perf usr/share/dlb/dlb.schema \
		 lib/systemd/system/dlbcfg.service \
		 usr/share/bash-completion/completions/dlbcfg \
		 usr/share/man/man8/dlbcfg.8.gz usr/share/man/man5/dlb.cfg.5.gz \
		 usr/share/man/man1/dlb-perf.1.gz \
		 usr/share/doc/dlb-tools/examples/pipeline.cfg; do
		assert_file_exist "$t/$f"
	done
	# The unit runs the packaged dlbcfg.
	run grep '^ExecStart=' "$t/lib/systemd/system/dlbcfg.service"
	assert_output "ExecStart=/usr/sbin/dlbcfg apply /etc/dlb/dlb.cfg"
	for f in usr/include/dlbk/libdlbk.h usr/include/dlbk/linux/dlb.h \
		 usr/share/man/man3/libdlbk.3.gz; do
		assert_file_exist "$d/$f"
	done
	run bash -c "cd '$d' && ls usr/lib/*/libdlbk.so usr/lib/*/libdlbk.a usr/lib/*/pkgconfig/libdlbk.pc"
	assert_success
	run grep '^Version: ' "$d"/usr/lib/*/pkgconfig/libdlbk.pc
	assert_output "Version: $VER"
}
