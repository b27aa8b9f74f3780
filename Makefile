# SPDX-License-Identifier: GPL-2.0
#
# Top-level entry points. Everything a newcomer needs is `make demo` and
# `make check`; both install missing Debian packages first.
#
# Variables:
#   KDIR       kernel build tree the module is built against; default: the
#              running kernel's (what DKMS and real installs want)
#   TEST_KVER  Debian kernel the test VM boots; default: the one the
#              linux-image-amd64 metapackage installs (Debian 12's 6.1).
#              make check/demo build the module for it.

KDIR ?= /lib/modules/$(shell uname -r)/build
TEST_KVER ?= $(shell scripts/vm-kernel)
TEST_KDIR = /lib/modules/$(TEST_KVER)/build
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

.PHONY: all module module-test tools unit check check-kernels check-debug \
	lint demo bench bench-datapath bench-dpdk fuzz dkms-install dkms-uninstall \
	clean deps install deb check-deb

all: module tools

deps:
	scripts/install-deps

module:
	$(MAKE) -C module KDIR=$(KDIR)

# The module built for the VM's kernel, which is what every test loads.
module-test:
	$(MAKE) -C module KDIR=$(TEST_KDIR)

tools:
	$(MAKE) -C tools

# The userspace (libdlbk, dlb-perf, dlbcfg) under $(DESTDIR)$(PREFIX)
# (default /usr/local; LIBDIR, BINDIR ... as tools/Makefile takes them).
# The module installs with DKMS: make dkms-install, or the dlb-dkms package.
install:
	$(MAKE) -C tools install

# Debian packages in out/deb (packaging/build-deb; DLB_DEB_VERSION and
# DLB_DEB_OUT override the version and the directory).
deb:
	packaging/build-deb

# The packages installed, upgraded and purged in the test VM as a user
# would (tests/packaging/). Not part of check: two DKMS builds under
# emulation take about 20 min.
check-deb:
	scripts/check-deb

# Host-side unit tests; each suite prints TAP.
UNIT_SUITES = tests/engine tests/dlbcfg tests/tools
unit:
	@rc=0; for d in $(UNIT_SUITES); do \
		$(MAKE) -s -C $$d check || rc=1; \
	done; exit $$rc

lint:
	scripts/lint

check:
	scripts/check

# The kernel matrix: Debian 12's kernel, 6.12, 6.12 PREEMPT_RT and sid's,
# each built with W=1 and booted for the whole VM suite. Not part of check:
# it boots four kernels and takes about four times as long.
check-kernels:
	scripts/check-kernels

# The VM suites on a kernel with KASAN, lockdep, kmemleak and UBSAN, built
# once from linux-source-6.1 and cached in ~/.cache/dlb. Not part of check:
# slow (see README), and it leaves module/dlb.ko built for that kernel.
check-debug:
	scripts/check-debug

demo:
	scripts/demo

bench:
	$(MAKE) -C tools/bench bench
	scripts/bench-datapath
	scripts/bench-dpdk

# The kernel data path against the engine alone, in the test VM.
bench-datapath:
	scripts/bench-datapath

# The same DPDK application on event_dlbk, event_sw and event_dsw, in the test VM.
bench-dpdk:
	scripts/bench-dpdk

fuzz:
	$(MAKE) -C tests/engine fuzz

dkms-install:
	scripts/dkms-install

dkms-uninstall:
	scripts/dkms-uninstall

clean:
	$(MAKE) -C module clean KDIR=$(KDIR) 2>/dev/null || true
	$(MAKE) -C tools clean
	$(MAKE) -C tests/engine clean
	$(MAKE) -C tests/tools clean
	rm -rf out
