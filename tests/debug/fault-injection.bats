#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/debug/fault-injection.bats - every allocation of the control plane's
# operations, of opening and mapping a port file, and of loading the module
# fails in turn (failslab and fail_page_alloc, aimed at one
# thread with /proc/thread-self/fail-nth; see tests/progs/fault_sweep.py):
# each such failure fails the operation with ENOMEM and changes nothing (a
# mkdir or link that configfs fails after dlb made it, configfs undoes:
# that moves the domain's generation by two and nothing else).
# Needs a kernel with fault injection (make check-debug boots one); the
# kmemleak scan of tests/debug/kmemleak.bats, run after this file, then
# shows that the failed paths leaked nothing.

load ../lib/common
load ../lib/configfs

FI=/sys/kernel/debug

# fi_set FILE VALUE: write a fault-injection setting under debugfs.
fi_set() {
	echo "$2" >"$FI/$1"
}

setup() {
	[[ -e /proc/self/fail-nth && -d $FI/failslab && -d $FI/fail_page_alloc ]] ||
		skip "kernel without failslab and fail_page_alloc (make check-debug boots one)"
	cfs_setup
	# Only fail-nth injects (probability 0), it reaches sleeping
	# allocations of every order, and it stays silent: a stack dump in the
	# kernel log would count as a report.
	for f in failslab fail_page_alloc; do
		fi_set "$f/probability" 0
		fi_set "$f/ignore-gfp-wait" N
		fi_set "$f/verbose" 0
	done
	fi_set fail_page_alloc/ignore-gfp-highmem N
	fi_set fail_page_alloc/min-order 0
	SWEEP=("$DLB_ROOT/tests/progs/fault_sweep.py" dlb0)
}

teardown() {
	cfs_teardown
}

# sweep OP ARG...: run the sweep, show its lines, expect it to pass.
sweep() {
	run "${SWEEP[@]}" "$@"
	echo "$output"
	assert_success
	assert_output --partial "no fault injected"
}

@test "fault injection: mkdir of a domain fails cleanly with ENOMEM at every allocation" {
	sweep mkdir "$DOMS/d"
}

@test "fault injection: mkdir of a queue and of a port fail cleanly with ENOMEM at every allocation" {
	cfs_domain d
	sweep mkdir "$DOMS/d/queues/q"
	sweep mkdir "$DOMS/d/ports/p"
	# Names longer than an item's inline buffer (20 bytes) take one more
	# allocation; dlb takes names up to 32 bytes.
	sweep mkdir "$DOMS/d/queues/queue_name_over_twenty_bytes"
}

@test "fault injection: linking a queue into a port fails cleanly with ENOMEM at every allocation" {
	cfs_domain d
	cfs_queue d q
	cfs_port d p
	sweep symlink "$DOMS/d/queues/q" "$DOMS/d/ports/p/q"
}

@test "fault injection: starting a domain fails cleanly with ENOMEM at every allocation" {
	cfs_domain d ldb_credits=64
	cfs_queue d q
	cfs_port d p
	cfs_link d p q
	sweep write "$DOMS/d/start" 1 0
}

@test "fault injection: mkdir of a vdev fails cleanly with ENOMEM at every allocation" {
	sweep mkdir "$DEV/vdevs/t"
}

@test "fault injection: committing a vdev fails cleanly with ENOMEM at every allocation, leaving no device and the quota unreserved" {
	mkdir "$DEV/vdevs/t"
	cfs_set "$DEV/vdevs/t" num_sched_domains=1 num_ldb_queues=1 \
		num_ldb_ports=1 num_ldb_credits=64 num_hist_list_entries=64
	sweep write "$DEV/vdevs/t/commit" 1 0
	# No failed commit left the quota reserved: the whole of dlb0 can go
	# to one vdev.
	echo 0 >"$DEV/vdevs/t/commit"
	cfs_set "$DEV/vdevs/t" $(cfs_total)
	echo 1 >"$DEV/vdevs/t/commit"
	echo 0 >"$DEV/vdevs/t/commit"
	assert_equal "$(cfs_avail)" "$(cfs_total)"
}

# started_port: domain d of dlb0 started, with queue q linked to port p,
# whose file is PORTDEV.
started_port() {
	cfs_domain d ldb_credits=64
	cfs_queue d q
	cfs_port d p
	cfs_link d p q
	echo 1 >"$DOMS/d/start"
	PORTDEV=/dev/dlb/dlb0/d/p
	assert_exist "$PORTDEV"
}

@test "fault injection: opening a port file fails cleanly with ENOMEM at every allocation" {
	started_port
	sweep open "$PORTDEV"
	# No failed open left the port marked open: it opens once more, and
	# the domain, which refuses to stop while a port file is open, stops.
	run python3 tests/lib/dlb_port.py open "$PORTDEV"
	assert_success
	echo 0 >"$DOMS/d/start"
	assert_attr "$DOMS/d/start" 0
}

@test "fault injection: mapping a port's producer ring and CQ fails cleanly with ENOMEM at every allocation" {
	started_port
	sweep mmap "$PORTDEV" pp 8192 rw
	sweep mmap "$PORTDEV" cq 4096 r
	# No failed mmap left a mapping (which would hold the file open).
	echo 0 >"$DOMS/d/start"
	assert_attr "$DOMS/d/start" 0
}

@test "fault injection: loading dlb with sw_devices=2 fails cleanly at every allocation of its init, and it loads after" {
	dlb_unload
	# Loading makes hundreds of calls, most of them the module loader's
	# own: fail every 25th of those, and each of the last 600, which hold
	# dlb_init's (class, char region, debugfs and configfs subsystem,
	# then per device its allocation and debugfs knobs, its scheduler
	# thread, its class device with its attribute groups, its configfs
	# group and its add event, in that order) and their unwinding. The
	# sampling starts at call 26: call 1 is the loader's vmalloc() of the
	# file's contents, whose failure the kernel itself reports with a
	# stack dump (warn_alloc).
	run "$DLB_ROOT/tests/progs/fault_sweep.py" --tail 600 --stride 25 \
		dlb1 load "$DLB_KO" sw_devices=2
	echo "$output"
	assert_success
	assert_output --partial "no fault injected"
	refute_output --partial "still injecting"
	assert_not_exist /sys/module/dlb
	# Nothing of the failed loads stays in the way of a good one.
	dlb_load sw_devices=2
	local f
	for f in "$DLB_SYSFS"/dlb[01]/total_resources/*; do
		assert_attr "${f/total_resources/avail_resources}" "$(<"$f")"
	done
	dlb_unload
	assert_not_exist /sys/module/dlb
}
