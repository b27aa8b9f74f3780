#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/security.bats - who may change a device and reach its ports: the
# configfs tree and the sysfs knobs are root's to write; a port's group may
# open it, nobody else, also through a copy of its node made with mknod; a
# mapping cannot grow past its region; a port of one domain reaches no queue
# of another.
#
# What datapath-ports.bats already checks is not repeated here: the 0660
# owner:group mode of port files, EACCES for another uid, the read-only CQ
# (mmap and mprotect) and offsets/sizes outside the regions, and a QE naming
# a queue outside the domain being dropped and counted.

load ../lib/common
load ../lib/configfs
load ../lib/datapath

setup() {
	pipeline_setup
}

teardown() {
	pipeline_teardown
}

# Run a shell command as nobody, with no supplementary groups.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- sh -c "$1" 2>&1
}

@test "security: a non-root user can read configfs but not mkdir, write, link or rmdir" {
	local before after
	before=$(cfs_avail)
	run as_nobody "cat $DOMS/pipeline/ldb_credits"
	assert_success
	assert_output 512
	run as_nobody "mkdir $DOMS/evil"
	assert_failure
	assert_output --partial "Permission denied"
	assert_not_exist "$DOMS/evil"
	run as_nobody "mkdir $DOMS/pipeline/queues/evil"
	assert_failure
	assert_not_exist "$DOMS/pipeline/queues/evil"
	run as_nobody "echo 0 >$DOMS/pipeline/start"
	assert_failure
	assert_output --partial "Permission denied"
	assert_attr "$DOMS/pipeline/start" 1
	echo 0 >"$DOMS/pipeline/start"
	run as_nobody "echo 7 >$DOMS/pipeline/ldb_credits"
	assert_failure
	assert_attr "$DOMS/pipeline/ldb_credits" 512
	run as_nobody "echo 4 >$DOMS/pipeline/ports/w0/cq_depth"
	assert_failure
	assert_attr "$DOMS/pipeline/ports/w0/cq_depth" 64
	run as_nobody "echo 65534 >$DOMS/pipeline/uid"
	assert_failure
	assert_attr "$DOMS/pipeline/uid" 0
	run as_nobody "rm $DOMS/pipeline/ports/w0/stage1"
	assert_failure
	assert [ -L "$DOMS/pipeline/ports/w0/stage1" ]
	run as_nobody "cd $DOMS/pipeline/ports/tx && ln -s ../../queues/stage1 stage1"
	assert_failure
	assert [ ! -e "$DOMS/pipeline/ports/tx/stage1" ]
	run as_nobody "rmdir $DOMS/pipeline/ports/rx"
	assert_failure
	assert [ -d "$DOMS/pipeline/ports/rx" ]
	# Nothing nobody tried took or gave back resources: restarted, the
	# domain holds what it held.
	echo 1 >"$DOMS/pipeline/start"
	after=$(cfs_avail)
	assert_equal "$after" "$before"
}

@test "security: a non-root user cannot write the device's sysfs knobs" {
	local f n=0
	for f in "$DLB_SYSFS"/dlb0/* "$DLB_SYSFS"/dlb0/*/*; do
		[[ -f $f && -w $f ]] || continue
		# Root may write it: nobody may not, whatever the value.
		run as_nobody "echo 1 >$f"
		assert_failure
		n=$((n + 1))
	done
	echo "writable sysfs files tried: $n"
	assert [ "$n" -ge 1 ]
	run stat -c %a "$DLB_SYSFS/dlb0/sched_cpu"
	assert_output --regexp '^6[0-4][0-4]$'
}

@test "security: the domain's group may open a port, another group may not, even with the uid's name" {
	echo 0 >"$DOMS/pipeline/start"
	echo 1000 >"$DOMS/pipeline/uid"
	echo 1000 >"$DOMS/pipeline/gid"
	echo 1 >"$DOMS/pipeline/start"
	# 0660: the group reads and writes, the rest of the world nothing.
	run python3 "$PORT" open "$PIPE/w0" 1001 1000
	assert_success
	run python3 "$PORT" open "$PIPE/w0" 1001 1001
	assert_failure
	assert_output "open: Permission denied"
	# A port that cannot be opened cannot be read or mapped either, and
	# the failed opens left it closable and unopened.
	assert_equal "$(port_stat pipeline w0 closes)" 1
	assert_equal "$(port_stat pipeline w0 scheduled)" 0
}

@test "security: a copy of a port node made with mknod opens only for the domain's uid and gid" {
	local dir major minor
	echo 0 >"$DOMS/pipeline/start"
	echo 1000 >"$DOMS/pipeline/uid"
	echo 1000 >"$DOMS/pipeline/gid"
	echo 1 >"$DOMS/pipeline/start"
	read -r major minor < <(stat -c '%t %T' "$PIPE/w0")
	dir=$(mktemp -d /tmp/dlb-mknod.XXXXXX)
	chmod 0755 "$dir"
	mknod -m 0666 "$dir/w0" c $((16#$major)) $((16#$minor))
	# The copy's mode lets anyone in; the port still knows its owner.
	run python3 "$PORT" open "$dir/w0" 1001 1001
	assert_failure
	assert_output "open: Permission denied"
	run python3 "$PORT" open "$dir/w0" 1000 1000
	assert_success
	run python3 "$PORT" open "$dir/w0" 1001 1000
	assert_success
	rm -r "$dir"
	assert_equal "$(port_stat pipeline w0 closes)" 2
}

@test "security: a mapping cannot be grown past its region with mremap()" {
	run python3 -c "
import ctypes, mmap, os
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                      ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mremap.restype = ctypes.c_void_p
libc.mremap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t,
                        ctypes.c_int]
fd = os.open('$PIPE/w0', os.O_RDWR)
MREMAP_MAYMOVE = 1
for off, prot in ((0, mmap.PROT_READ | mmap.PROT_WRITE),
                  (0x10000000, mmap.PROT_READ)):
    a = libc.mmap(None, 4096, prot, mmap.MAP_SHARED, fd, off)
    assert a != ctypes.c_void_p(-1).value, os.strerror(ctypes.get_errno())
    b = libc.mremap(a, 4096, 1 << 20, MREMAP_MAYMOVE)
    if b == ctypes.c_void_p(-1).value:
        print(hex(off), os.strerror(ctypes.get_errno()))
    else:
        print(hex(off), 'grew')
"
	assert_success
	assert_output "0x0 Bad address
0x10000000 Bad address"
}

@test "security: a producer of one domain fills no queue of another, whatever the queue id" {
	local q
	cfs_domain other ldb_credits=64
	cfs_queue other q0
	cfs_queue other q1
	cfs_queue other q2
	cfs_queue other q3
	cfs_port other c
	for q in q0 q1 q2 q3; do
		cfs_link other c $q
	done
	echo 1 >"$DOMS/other/start"
	# Ids 0 and 1 are the pipeline's own; 2..31 name queues it has not.
	run python3 -c "
import os, struct
fd = os.open('$PIPE/rx', os.O_RDWR)
n = 0
for qid in range(2, 256):
    n += os.write(fd, struct.pack('<QHBBHBB', qid, 0, qid, 0, 0, 0, 0x08))
print(n // 16)
"
	assert_success
	assert_output 254
	assert_equal "$(port_stat pipeline rx dropped_bad_qid)" 254
	assert_equal "$(port_stat pipeline rx enqueued)" 0
	hold_port /dev/dlb/dlb0/other/c
	sleep 1
	release_port
	assert_equal "$(port_stat other c scheduled)" 0
	assert_equal "$(port_stat other c enqueued)" 0
}
