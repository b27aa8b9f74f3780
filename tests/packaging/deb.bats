#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/packaging/deb.bats - the Debian packages, installed as a user would: apt-get
# install of the .debs that make deb built on the host (out/deb), DKMS
# building and signing the module for the guest's kernel, modprobe, dlbcfg
# applying the example with the installed schema, dlb-perf through it; an
# upgrade to the next version's packages (out/deb-next, made by
# scripts/check-deb with DLB_DEB_VERSION=<version>.1); and a purge that leaves
# no file, module or DKMS entry behind. The tests run in order on one guest:
# each starts from where the one before left it. One install and one
# upgrade: each DKMS build takes minutes under emulation, which is why this
# suite runs in make check-deb and not in make check (tests/vm/dkms.bats
# runs the DKMS cycle there). Without packages the suite skips.
#
#   DLB_DEB_DIR       the packages to install (default out/deb)
#   DLB_DEB_NEXT_DIR  the next version's (default out/deb-next)

load ../lib/common

PACKAGES=(dlb-dkms dlb-tools libdlbk0 libdlbk-dev)

# What the packages or DKMS could leave behind: the places they write,
# listed without file contents (depmod and ldconfig rewrite their indexes).
deb_snapshot() {
	local multiarch
	multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null ||
		    echo x86_64-linux-gnu)
	{
		find /usr/src /var/lib/dkms "/lib/modules/$KVER" /etc \
			/usr/share/dlb /lib/systemd/system \
			/usr/share/bash-completion/completions \
			/var/lib/systemd/deb-systemd-helper-enabled
		find /usr/share/doc /usr/bin /usr/sbin -maxdepth 1
		find /usr/include "/usr/lib/$multiarch" /usr/share/man -maxdepth 2
	} 2>/dev/null | sort
}

deb_apt() {
	DEBIAN_FRONTEND=noninteractive apt-get -y -q \
		-o Dpkg::Use-Pty=0 --no-install-recommends "$@"
}

setup_file() {
	KVER=$(uname -r)
	export KVER
	export DEB_DIR=${DLB_DEB_DIR:-$DLB_ROOT/out/deb}
	export NEXT_DIR=${DLB_DEB_NEXT_DIR:-$DLB_ROOT/out/deb-next}
	# A machine with the one kernel it runs: the host may have others
	# (the kernel matrix's), and DKMS's postinst would build for the
	# newest of /boot too, doubling the minutes each install takes.
	mkdir -p /run/deb-boot
	cp "/boot/config-$KVER" "/boot/System.map-$KVER" /run/deb-boot/ 2>/dev/null || true
	mount --bind /run/deb-boot /boot
	# man-db's trigger re-indexes every page: minutes under emulation.
	rm -f /var/lib/man-db/auto-update
	deb_snapshot >"$BATS_FILE_TMPDIR/before"
}

teardown_file() {
	local p installed=()
	for p in "${PACKAGES[@]}"; do
		dpkg -s "$p" >/dev/null 2>&1 && installed+=("$p")
	done
	[[ ${#installed[@]} == 0 ]] || deb_apt purge "${installed[@]}" >/dev/null 2>&1
	umount /boot 2>/dev/null || true
}

setup() {
	dlb_common_setup
	VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$DLB_ROOT/dkms.conf")
	[[ -f /lib/modules/$KVER/build/Makefile ]] ||
		fail "no headers for $KVER on the host"
}

teardown() {
	dlb_unload
	dlb_common_teardown
}

# deb_need DIR: DIR holds the four packages of one version. Without
# packages and without DLB_DEB_DIR, the test is skipped.
deb_need() {
	local p
	[[ -n ${DLB_DEB_DIR:-} ]] || compgen -G "$1/*.deb" >/dev/null ||
		skip "no packages in $1: make deb (make check-deb builds them)"
	for p in "${PACKAGES[@]}"; do
		compgen -G "$1/${p}_*.deb" >/dev/null ||
			fail "no $p in $1: run make deb on the host (scripts/check-deb does)"
	done
}

# The DKMS build of dlb for the running kernel is installed, loads, and
# gives the device its sysfs and configfs trees.
deb_module_works() {
	run modinfo -n dlb
	assert_success
	local kver_re
	kver_re=$(sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$KVER")
	assert_output --regexp "^/lib/modules/$kver_re/updates/dkms/dlb\.ko(\.[a-z]+)?$"
	modprobe dlb
	assert_attr "$DLB_SYSFS/dlb0/total_resources/num_ldb_ports" 64
	assert_dir_exist "$DLB_CONFIGFS/dlb0/domains"
}

@test "deb: installing the packages builds the module with DKMS for the running kernel, and modprobe loads it" {
	deb_need "$DEB_DIR"
	run deb_apt install "$DEB_DIR"/*.deb
	# DKMS keeps the compiler's words in make.log: show them on failure.
	[[ $status == 0 ]] || cat "/var/lib/dkms/dlb/$VER/build/make.log" || true
	assert_success
	for p in "${PACKAGES[@]}"; do
		assert_equal "$(dpkg-query -W -f='${Version} ${db:Status-Status}' "$p")" \
			"$VER installed"
	done
	run dkms status -m dlb
	assert_output "dlb/$VER, $KVER, x86_64: installed"
	# The source DKMS builds from: sources only, as the package put them.
	assert_file_exist "/usr/src/dlb-$VER/module/kernel-probe.sh"
	assert_file_not_exist "/usr/src/dlb-$VER/module/dlb.ko"
	deb_module_works
}

@test "deb: DKMS signs the module with its machine owner key, the one a Secure Boot user enrols" {
	deb_need "$DEB_DIR"
	dpkg -s dlb-dkms >/dev/null 2>&1 || skip "the install test failed"
	# Debian 12's DKMS makes the key on its first build if there is none.
	assert_file_exist /var/lib/dkms/mok.key
	assert_file_exist /var/lib/dkms/mok.pub
	run modinfo -F signer dlb
	assert_output "DKMS module signing key"
	# The module's signature names the certificate's serial number; both
	# in upper case, without the leading zeros DER may add.
	local serial key
	serial=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -serial |
		 sed 's/^serial=0*//')
	key=$(modinfo -F sig_key dlb | tr -d ':' | sed 's/^0*//')
	assert_equal "${key^^}" "${serial^^}"
}

@test "deb: the installed dlbcfg applies the example with the packaged schema, and dlb-perf runs through it" {
	dpkg -s dlb-tools >/dev/null 2>&1 || skip "the install test failed"
	modprobe dlb
	unset DLBCFG_SCHEMA
	local cfg=/usr/share/doc/dlb-tools/examples/pipeline.cfg
	run dlbcfg apply "$cfg"
	assert_success
	assert_attr "$DLB_CONFIGFS/dlb0/domains/pipeline/start" 1
	run dlbcfg diff --exit-code "$cfg"
	assert_success
	run dlb-perf -q -n 2000 -t 60 /dev/dlb/dlb0/pipeline
	assert_success
	run dlbcfg clear
	assert_success
	assert_not_exist "$DLB_CONFIGFS/dlb0/domains/pipeline"
	run pkg-config --modversion libdlbk
	assert_output "$VER"
}

@test "deb: upgrading to the next version's packages replaces the DKMS module and its source" {
	dpkg -s dlb-dkms >/dev/null 2>&1 || skip "the install test failed"
	deb_need "$NEXT_DIR"
	local next
	next=$(dpkg-deb -f "$(compgen -G "$NEXT_DIR/dlb-dkms_*.deb")" Version)
	dpkg --compare-versions "$next" gt "$VER" ||
		fail "$NEXT_DIR holds $next, not a version after $VER"
	run deb_apt install "$NEXT_DIR"/*.deb
	[[ $status == 0 ]] || cat "/var/lib/dkms/dlb/$next/build/make.log" || true
	assert_success
	assert_equal "$(dpkg-query -W -f='${Version}' dlb-dkms)" "$next"
	run dkms status -m dlb
	assert_output "dlb/$next, $KVER, x86_64: installed"
	assert_not_exist "/usr/src/dlb-$VER"
	assert_not_exist "/var/lib/dkms/dlb/$VER"
	assert_file_exist "/usr/src/dlb-$next/dkms.conf"
	deb_module_works
}

@test "deb: purge leaves no module, file or DKMS entry behind but DKMS's own key" {
	dpkg -s dlb-dkms >/dev/null 2>&1 || skip "the install test failed"
	run deb_apt purge "${PACKAGES[@]}"
	assert_success
	run modinfo dlb
	assert_failure
	assert_not_exist /var/lib/dkms/dlb
	deb_snapshot >"$BATS_FILE_TMPDIR/after"
	# The key is DKMS's, for every module it builds, and may be enrolled:
	# purging one module's package must not take it.
	run diff "$BATS_FILE_TMPDIR/before" "$BATS_FILE_TMPDIR/after"
	refute_line --regexp '^<'
	run grep '^>' <<<"$output"
	local extra=$output
	[[ -z $extra ]] || assert_equal "$extra" \
		"$(printf '> %s\n' /var/lib/dkms/mok.key /var/lib/dkms/mok.pub)"
}
