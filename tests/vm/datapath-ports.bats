#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/datapath-ports.bats - port device files and the software device's data
# path: traffic through the example pipeline by read()/write() and by the
# mmap rings, permissions, mmap protections, crash cleanup, stop with ports
# open, isolation, poll() and the scheduler thread's sleep and wake-up.
# The ports are driven by tests/lib/dlb_port.py: through read()/write(), or
# through the mmap rings by libdlbk as applications use them; the uapi
# header's ring ABI is written by hand only where a test breaks it.

load ../lib/common
load ../lib/configfs
load ../lib/datapath

setup() {
	pipeline_setup
}

teardown() {
	pipeline_teardown
}

# small_domain [PORT...]: start domain "small" (64 credits): queue q, port
# c linked to it, port p and the PORTs (producers).
small_domain() {
	local port

	cfs_domain small ldb_credits=64
	cfs_queue small q
	for port in c p "$@"; do
		cfs_port small "$port"
	done
	cfs_link small c q
	echo 1 >"$DOMS/small/start"
}

@test "datapath: port files exist while started, 0660 owner:group, gone at stop" {
	run stat -c '%a %U %G %F' "$PIPE/rx" "$PIPE/w0" "$PIPE/w1" "$PIPE/tx"
	assert_success
	assert_equal "$(echo "$output" | sort -u)" "660 root root character special file"
	echo 0 >"$DOMS/pipeline/start"
	assert_not_exist /dev/dlb/dlb0/pipeline
	echo 1000 >"$DOMS/pipeline/uid"
	echo 1001 >"$DOMS/pipeline/gid"
	echo 1 >"$DOMS/pipeline/start"
	run stat -c '%a %u %g' "$PIPE/w0"
	assert_output "660 1000 1001"
}

@test "datapath: read/write traffic through the pipeline loses nothing and keeps flow order" {
	run python3 "$PORT" traffic "$PIPE" 2000 rw
	assert_success
	assert_output --partial "sent 2000 received 2000 duplicates 0 order_violations 0"
	assert_equal "$(port_stat pipeline rx enqueued)" 2000
	assert_equal "$(port_stat pipeline tx scheduled)" 2000
	assert_equal "$(port_stat pipeline tx tokens)" 2000
	w0=$(port_stat pipeline w0 completed)
	w1=$(port_stat pipeline w1 completed)
	# Each event is completed twice, once per stage, by w0 or w1.
	assert_equal $((w0 + w1)) 4000
}

@test "datapath: mmap ring traffic through libdlbk loses nothing and keeps flow order" {
	run python3 "$PORT" traffic "$PIPE" 2000 mmap
	assert_success
	assert_output --partial "sent 2000 received 2000 duplicates 0 order_violations 0"
	assert_equal "$(port_stat pipeline tx tokens)" 2000
	# A client that stores an index in pieces shows up here, not as a
	# rare stall: the device counts every impossible value it reads.
	for p in rx w0 w1 tx; do
		assert_equal "$p $(port_stat pipeline $p ring_errors)" "$p 0"
		assert_equal "$p $(port_stat pipeline $p dropped_tokens)" "$p 0"
	done
}

@test "datapath: the ring page names its producer-ring protocol, whatever the last owner wrote there" {
	local prog="
import mmap, os, struct
fd = os.open('$PIPE/w0', os.O_RDWR)
m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
print(struct.unpack_from('<I', m, 204)[0])
struct.pack_into('<I', m, 204, 7)
"
	run python3 -c "$prog"
	assert_output 1
	run python3 -c "$prog"
	assert_output 1
}

@test "datapath: an impossible ring index is ignored and counted once, and loses nothing" {
	small_domain
	run python3 "$PORT" badindex /dev/dlb/dlb0/small/p /dev/dlb/dlb0/small/c
	assert_success
	assert_output "received 12 in order True"
	assert_equal "$(port_stat small c dropped_tokens)" 0
}

@test "datapath: another uid cannot open a port; the domain's uid and root can" {
	echo 0 >"$DOMS/pipeline/start"
	echo 1000 >"$DOMS/pipeline/uid"
	echo 1000 >"$DOMS/pipeline/gid"
	echo 1 >"$DOMS/pipeline/start"
	run python3 "$PORT" open "$PIPE/w0" 1001 1001
	assert_failure
	assert_output "open: Permission denied"
	run python3 "$PORT" open "$PIPE/w0" 1000 1000
	assert_success
	run python3 "$PORT" open "$PIPE/w0"
	assert_success
}

@test "datapath: the CQ cannot be mapped or mprotect()ed writable; mappings stay in their regions" {
	run python3 "$PORT" mprotect "$PIPE/w0"
	assert_success
	assert_output "mprotect: Permission denied"
	run python3 -c "
import mmap, os
fd = os.open('$PIPE/w0', os.O_RDWR)
for size, off, prot in ((4096, 0x10000000, mmap.PROT_WRITE),
                        (16384, 0, mmap.PROT_READ),
                        (4096, 0x20000000, mmap.PROT_READ)):
    try:
        mmap.mmap(fd, size, mmap.MAP_SHARED, prot, offset=off)
        print('mapped', size, hex(off))
    except OSError as e:
        print(os.strerror(e.errno))
"
	assert_output "Permission denied
Invalid argument
Invalid argument"
}

@test "datapath: a port is open by one file at a time" {
	hold_port "$PIPE/w0"
	run python3 "$PORT" open "$PIPE/w0"
	assert_failure
	assert_output "open: Device or resource busy"
	release_port
	run python3 "$PORT" open "$PIPE/w0"
	assert_success
}

@test "datapath: stop fails while a port is open and succeeds after close" {
	hold_port "$PIPE/tx"
	cfs_fails EBUSY cfs_write "$DOMS/pipeline/start" 0
	assert_equal "$(cat "$DOMS/pipeline/start")" 1
	release_port
	echo 0 >"$DOMS/pipeline/start"
	assert_not_exist "$PIPE/tx"
}

@test "datapath: SIGKILL of a consumer holding events loses none and its port reopens" {
	run python3 "$PORT" kill "$PIPE" 1000
	assert_success
	assert_output --partial "sent 1000 received 1000 duplicates 0"
	assert_output --partial "killed True reopened True"
	assert [ "$(port_stat pipeline w0 rescheduled)" -gt 0 ]
	assert_equal "$(port_stat pipeline w0 held)" 0
	assert_equal "$(port_stat pipeline w0 closes)" 2
}

@test "datapath: a QE naming a queue outside the domain or of the wrong type is dropped and counted" {
	cfs_domain other ldb_credits=64
	cfs_queue other q0
	cfs_queue other q1
	cfs_queue other q2
	cfs_port other c
	cfs_link other c q0
	cfs_link other c q1
	cfs_link other c q2
	echo 1 >"$DOMS/other/start"
	# The pipeline has load-balanced queues 0 and 1; the other domain a 2.
	run python3 "$PORT" isolate "$PIPE/rx" 2 0
	assert_success
	# stage1 is atomic: it has no sequence numbers for an ordered event.
	run python3 "$PORT" isolate "$PIPE/rx" 0 2
	assert_success
	assert_equal "$(port_stat pipeline rx dropped_bad_qid)" 1
	assert_equal "$(port_stat pipeline rx dropped_bad_sched)" 1
	assert_equal "$(port_stat pipeline rx enqueued)" 0
	# Opened so that it would take events, were any sent its way.
	hold_port /dev/dlb/dlb0/other/c
	sleep 1
	release_port
	assert_equal "$(port_stat other c scheduled)" 0
}

@test "datapath: poll() wakes a blocked consumer and the sleeping scheduler thread wakes on enqueue" {
	small_domain
	run python3 "$PORT" poll /dev/dlb/dlb0/small/p /dev/dlb/dlb0/small/c
	assert_success
	assert_output --partial "thread_asleep True woke True"
}

@test "datapath: the first wake-up call clears every ring's need-wakeup flag, so the next producer needs no call" {
	small_domain p2
	run python3 "$PORT" wakeonce /dev/dlb/dlb0/small/p /dev/dlb/dlb0/small/p2 /dev/dlb/dlb0/small/c
	assert_success
	assert_output "slept True flags before (1, 1) after one call (0, 0) received [1, 2]"
	assert_equal "$(cat "$DLB_SYSFS/dlb0/sched_cpu")" -1
}

@test "datapath: a zero-length write is a scheduling call: it moves a published event into the CQ while the scheduler thread does nothing" {
	small_domain
	run python3 "$PORT" schedcall /dev/dlb/dlb0/small/p /dev/dlb/dlb0/small/c
	assert_success
	assert_output "before the call [] after it [7] caller passes +1"
	assert_equal "$(cat /sys/kernel/debug/dlb/dlb0/sched_paused)" 0
}

@test "datapath: the scheduler thread naps while scheduling calls run its domain's passes, and schedules it again when they stop" {
	small_domain
	run python3 "$PORT" naps /dev/dlb/dlb0/small/p /dev/dlb/dlb0/small/c
	assert_success
	assert_output "napped yes then received [9]"
}

@test "datapath: poll() and a blocking read() wait for the port's cq_depth_threshold entries" {
	cfs_domain small ldb_credits=64
	cfs_queue small q
	cfs_port small c cq_depth=8 hist_list_size=8 cq_depth_threshold=4
	cfs_port small p
	cfs_link small c q
	echo 1 >"$DOMS/small/start"
	run python3 "$PORT" threshold /dev/dlb/dlb0/small/p /dev/dlb/dlb0/small/c 4
	assert_success
	assert_output --regexp "^readable below False at True after [0-9.]+s; read 4 after "
}

@test "datapath: sched_cpu pins the scheduler thread and refuses a CPU that does not exist" {
	pid=$(pgrep -x dlb0-sched)
	echo 1 >"$DLB_SYSFS/dlb0/sched_cpu"
	assert_equal "$(cat "$DLB_SYSFS/dlb0/sched_cpu")" 1
	run awk '/Cpus_allowed_list/ { print $2 }' "/proc/$pid/status"
	assert_output 1
	cfs_fails EINVAL cfs_write "$DLB_SYSFS/dlb0/sched_cpu" 4096
	assert_equal "$(cat "$DLB_SYSFS/dlb0/sched_cpu")" 1
	echo -1 >"$DLB_SYSFS/dlb0/sched_cpu"
	run python3 "$PORT" traffic "$PIPE" 200 rw
	assert_success
}

@test "datapath: links made and removed while started steer events at once" {
	cfs_domain live ldb_credits=64
	cfs_queue live q
	cfs_port live a
	cfs_port live b
	cfs_port live p
	cfs_link live a q
	echo 1 >"$DOMS/live/start"
	run python3 "$PORT" send /dev/dlb/dlb0/live/p 0 10
	assert_success
	run python3 "$PORT" recv /dev/dlb/dlb0/live/a 10 10
	assert_output "received 10"
	cfs_link live b q
	rm "$DOMS/live/ports/a/q"
	run python3 "$PORT" send /dev/dlb/dlb0/live/p 0 10
	run python3 "$PORT" recv /dev/dlb/dlb0/live/b 10 10
	assert_output "received 10"
	assert_equal "$(port_stat live a scheduled)" 10
}

# The crash rule's domain: producer p; load-balanced consumer c on queue q
# (atomic, id 0); directed consumer dc on its queue dq (id 0).
once_domain() {
	cfs_domain once "$@"
	cfs_queue once q
	cfs_queue once dq type=dir
	cfs_port once p
	cfs_port once c
	cfs_port once dc type=dir
	cfs_link once c q
	cfs_link once dc dq
	echo 1 >"$DOMS/once/start"
}

# Exactly once across the end of a consumer's file, for KIND and MODE.
once_each_end() {
	local end d=/dev/dlb/dlb0/once cons=$([[ $1 == dir ]] && echo dc || echo c)

	for end in close exit kill; do
		run python3 "$PORT" once $d/p $d/$cons "$1" $end "$2"
		echo "$output"
		assert_success
		assert_output --partial "received 28 again 0 duplicates 0 lost 0"
	done
}

@test "datapath: crash rule: tokens a directed consumer stored are taken at close, exit and kill -9 (thread asleep)" {
	once_domain
	once_each_end dir asleep
	assert_equal "$(port_stat once dc closes)" 6
}

@test "datapath: crash rule: tokens a directed consumer stored are taken at close, exit and kill -9 (thread busy)" {
	once_domain
	once_each_end dir busy
}

@test "datapath: crash rule: completions come in, held events go back, at close, exit and kill -9 (thread asleep)" {
	once_domain
	once_each_end ldb asleep
	assert [ "$(port_stat once c rescheduled)" -ge 84 ]
}

@test "datapath: crash rule: completions come in, held events go back, at close, exit and kill -9 (thread busy)" {
	once_domain
	once_each_end ldb busy
}

@test "datapath: crash rule: the NEWs a killed producer had published are processed" {
	once_domain
	run python3 "$PORT" crashpub /dev/dlb/dlb0/once/p /dev/dlb/dlb0/once/c 16
	assert_success
	assert_output "published 16 asleep 1 received 16 in flow order True discarded 0"
	assert_equal "$(port_stat once p enqueued)" 16
}

@test "datapath: crash rule: what credit refuses at close is discarded and counted" {
	once_domain ldb_credits=8
	run python3 "$PORT" crashpub /dev/dlb/dlb0/once/p /dev/dlb/dlb0/once/c 12
	assert_success
	assert_output "published 12 asleep 1 received 8 in flow order True discarded 4"
}

@test "datapath: read() takes no entry that did not reach the caller's buffer" {
	once_domain
	run python3 "$PORT" readfault /dev/dlb/dlb0/once/p /dev/dlb/dlb0/once/c
	echo "$output"
	assert_success
	assert_output --regexp "^unwritable: Bad address; partly writable: (16|32) bytes; received 8 in order True$"
	assert_equal "$(port_stat once c tokens)" 8
}

@test "datapath: read() starts where the mapping's returned tokens left the CQ" {
	once_domain
	run python3 "$PORT" mixed /dev/dlb/dlb0/once/p /dev/dlb/dlb0/once/dc dir
	assert_success
	assert_output "dir: mapping took [0, 1, 2, 3] then read() got [4, 5, 6, 7]"
	run python3 "$PORT" mixed /dev/dlb/dlb0/once/p /dev/dlb/dlb0/once/c ldb
	assert_success
	assert_output "ldb: mapping took [0, 1, 2, 3] then read() got [4, 5, 6, 7]"
}

@test "datapath: a queue's depth is the number of events waiting in it" {
	local q=$DOMS/pipeline/queues/stage1
	assert_attr "$q/depth" 0
	# No stage1 port file is open, so no port takes from it.
	run python3 "$PORT" send "$PIPE/rx" "$(<"$q/id")" 5
	assert_success
	assert_attr "$q/depth" 5
	assert_attr "$DOMS/pipeline/queues/stage2/depth" 0
	run python3 "$PORT" recv "$PIPE/w0" 5 30
	assert_output "received 5"
	assert_attr "$q/depth" 0
}

@test "sysfs: a port's stats/ and the device's sched_stats/ hold one number per file" {
	local f v n=0
	for f in /sys/class/dlb_port/dlb0.pipeline.rx/stats/* \
		 "$DLB_SYSFS"/dlb0/sched_stats/*; do
		v=$(<"$f")
		[[ $v =~ ^[0-9]+$ ]] || fail "$f holds '$v', not one number"
		n=$((n + 1))
	done
	assert_equal "$n" 25
	run python3 "$PORT" send "$PIPE/rx" "$(<"$DOMS/pipeline/queues/stage1/id")" 3
	assert_success
	assert_equal "$(port_stat pipeline rx enqueued)" 3
}
