#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""fault_sweep.py - fail each allocation of one operation in turn.

Usage: fault_sweep.py [--tail T --stride S] DEVICE OP ARG...

  DEVICE                  the device whose state must not change, e.g. dlb0
  mkdir DIR               undone with rmdir
  symlink TARGET LINK     undone by removing LINK
  write FILE VALUE UNDO   undone by writing UNDO to FILE
  open PORT               open a port file read-write; undone by close
  mmap PORT OFFSET LENGTH PROT
                          map LENGTH bytes at OFFSET (pp or cq, or a
                          number) of a port file opened beforehand, with
                          PROT r or rw; undone by munmap
  load KO [PARAM...]      finit_module() of KO with PARAMs (the module is
                          not loaded before); undone by delete_module()

  --tail T --stride S     a bounded sweep, for operations that make
                          thousands of calls (load): count the calls once,
                          then fail each of the last T, and before them
                          every Sth from S + 1 on (S + 1, 2S + 1, ...),
                          and after them each a run makes past the count

For N = 1, 2, ...: arm /proc/thread-self/fail-nth with N (the kernel fails
the Nth fault-injectable call this thread makes: slab and page allocations
when failslab and fail_page_alloc are set up to include sleeping ones), run
the operation once, disarm. An injected fault must make the operation fail
with ENOMEM and change nothing: the configfs tree of DEVICE (names, links
and attribute values) and its sysfs avail_resources stay as they were. An
operation may also survive the fault (the allocation was optional); it is
then undone and must leave the same state but for the generation, which
the change and its undo each bump. A mkdir or symlink that fails after
dlb made the change (configfs out of memory making the new directory's
files or the link) is undone by configfs the same way: ENOMEM with every
generation either unchanged or 2 ahead, and nothing else changed, is
clean too ("ENOMEM, undone by configfs"). The sweep ends at the first N no
fault was injected at (the operation makes fewer calls), where it must
succeed. Prints one line per N and a summary; exit 1 on any violation.

Besides DEVICE's trees, the state holds the dlb lines of /proc/devices,
whether /sys/module/dlb exists (a failed load must take its char device
region and its module away again) and the names of the dlb devices (a
failed commit of a virtual device must leave none).
"""

import ctypes
import errno
import mmap
import os
import sys

CONFIGFS = "/sys/kernel/config/dlb"
SYSFS = "/sys/class/dlb"
MAX_CALLS = 2000
CALLS_SLACK = 64
# How snapshot() shows a domain's generation attribute.
GENERATION = "/generation = "


def snapshot(dev):
    """The state an injected fault must not change, as a sorted list."""
    state = []
    with open("/proc/devices") as f:
        state += ["chrdev " + line.strip() for line in f if "dlb" in line]
    state.append("module loaded: %s" % os.path.isdir("/sys/module/dlb"))
    # A failed commit of a vdev must leave no device behind.
    if os.path.isdir(SYSFS):
        state.append("devices: %s" % " ".join(sorted(os.listdir(SYSFS))))
    for top in (os.path.join(CONFIGFS, dev),
                os.path.join(SYSFS, dev, "avail_resources")):
        for root, dirs, files in os.walk(top):
            dirs.sort()
            state.append("dir " + root)
            for name in sorted(files) + [d for d in dirs
                                         if os.path.islink(
                                             os.path.join(root, d))]:
                path = os.path.join(root, name)
                if os.path.islink(path):
                    state.append("link %s -> %s" % (path,
                                                    os.readlink(path)))
                    continue
                try:
                    with open(path) as f:
                        state.append("file %s = %s" % (path, f.read()))
                except OSError as e:
                    state.append("file %s: %s" % (path,
                                                  errno.errorcode[e.errno]))
    return state


LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.mmap.restype = ctypes.c_void_p
LIBC.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                      ctypes.c_int, ctypes.c_int, ctypes.c_long)
LIBC.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
LIBC.syscall.restype = ctypes.c_long
MAP_FAILED = ctypes.c_void_p(-1).value
PROT = {"r": mmap.PROT_READ, "rw": mmap.PROT_READ | mmap.PROT_WRITE}
# The regions of module/uapi/linux/dlb.h.
OFFSETS = {"pp": 0x0, "cq": 0x10000000}
SYS_FINIT_MODULE, SYS_DELETE_MODULE = 313, 176


def generations_moved(before, after):
    """How far each generation present in both states moved (nonzero only)."""
    def gens(state):
        out = {}
        for line in state:
            path, sep, value = line.partition(GENERATION)
            if sep and value.strip().isdigit():
                out[path] = int(value)
        return out
    b, a = gens(before), gens(after)
    return [a[k] - b[k] for k in b if k in a and a[k] != b[k]]


def libc_check(ret, bad):
    """Raise OSError with errno if a libc call returned bad."""
    if ret == bad:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return ret


def port_open(argv):
    """open PORT: the fd is closed at once by the undo."""
    fds = []

    def do():
        fds.append(os.open(argv[1], os.O_RDWR))

    def undo():
        os.close(fds.pop())
    return do, undo, lambda: None


def port_mmap(argv):
    """mmap PORT OFFSET LENGTH PROT, the file opened before the sweep."""
    fd = os.open(argv[1], os.O_RDWR)
    off = OFFSETS.get(argv[2])
    off = int(argv[2], 0) if off is None else off
    length = int(argv[3], 0)
    prot = PROT[argv[4]]
    maps = []

    def do():
        maps.append(libc_check(LIBC.mmap(None, length, prot, mmap.MAP_SHARED,
                                         fd, off), MAP_FAILED))

    def undo():
        libc_check(LIBC.munmap(maps.pop(), length), -1)
    return do, undo, lambda: os.close(fd)


def module_load(argv):
    """load KO [PARAM...]: finit_module() and delete_module() directly, so
    that no child process (insmod) makes the calls fail-nth counts."""
    fd = os.open(argv[1], os.O_RDONLY)
    params = " ".join(argv[2:]).encode()
    name = os.path.basename(argv[1]).split(".")[0].encode()

    def do():
        libc_check(LIBC.syscall(SYS_FINIT_MODULE, fd, params, 0), -1)

    def undo():
        libc_check(LIBC.syscall(SYS_DELETE_MODULE, name, os.O_NONBLOCK), -1)
    return do, undo, lambda: os.close(fd)


def operation(argv):
    """(do, undo, cleanup) callables for the operation named by argv."""
    op = argv[0]
    if op == "open" and len(argv) == 2:
        return port_open(argv)
    if op == "mmap" and len(argv) == 5 and argv[4] in PROT:
        return port_mmap(argv)
    if op == "load" and len(argv) >= 2:
        return module_load(argv)
    if op == "mkdir" and len(argv) == 2:
        return (lambda: os.mkdir(argv[1]), lambda: os.rmdir(argv[1]),
                lambda: None)
    if op == "symlink" and len(argv) == 3:
        return (lambda: os.symlink(argv[1], argv[2]),
                lambda: os.unlink(argv[2]), lambda: None)
    if op == "write" and len(argv) == 4:
        def write(value):
            fd = os.open(argv[1], os.O_WRONLY)
            try:
                os.write(fd, value.encode())
            finally:
                os.close(fd)
        return (lambda: write(argv[2]), lambda: write(argv[3]),
                lambda: None)
    sys.exit(__doc__)


def count_calls(fd, ctl, do, undo):
    """How many fault-injectable calls one fault-free do() makes."""
    big = 1 << 30
    rfd = os.open(ctl, os.O_RDONLY)
    os.write(fd, str(big).encode())
    do()
    left = int(os.read(rfd, 32))
    os.write(fd, b"0")
    os.close(rfd)
    undo()
    return big - left


def which_calls(calls, tail, stride):
    """The N to fail: every Sth from S + 1, then each of the last T, then
    on past the count: a later run may make a few more calls than the
    counted one (a cache filled, a lazily made object), and those are
    failed in turn too until one N injects nothing."""
    first = max(1, calls - tail + 1)
    return list(range(stride + 1, first, stride)) + \
        list(range(first, calls + 1 + CALLS_SLACK))


def main(argv):
    tail = stride = None
    if argv[1:2] == ["--tail"] and len(argv) > 5 and argv[3] == "--stride":
        tail, stride = int(argv[2]), int(argv[4])
        argv = argv[:1] + argv[5:]
    if len(argv) < 3:
        sys.exit(__doc__)
    dev = argv[1]
    do, undo, cleanup = operation(argv[2:])
    ctl = "/proc/thread-self/fail-nth"
    fd = os.open(ctl, os.O_WRONLY)
    bad = failed = survived = undone = 0

    sweep = range(1, MAX_CALLS + 1)
    if tail is not None:
        calls = count_calls(fd, ctl, do, undo)
        sweep = which_calls(calls, tail, stride)
        print("%d calls: failing %d of them, and any a run makes past them"
              % (calls, sum(1 for n in sweep if n <= calls)))
    swept = 0
    for n in sweep:
        err = None
        before = snapshot(dev)
        # fail-nth cannot seek: a fresh descriptor reads it, opened before
        # arming so that the open's own allocations are not counted.
        rfd = os.open(ctl, os.O_RDONLY)
        os.write(fd, str(n).encode())
        try:
            do()
        except OSError as e:
            err = e.errno
        # Still counting down: the operation made fewer than n calls.
        injected = int(os.read(rfd, 32)) == 0
        os.write(fd, b"0")
        os.close(rfd)

        if not injected:
            if err is not None:
                print("%d: no fault injected, yet it failed: %s"
                      % (n, os.strerror(err)))
                bad += 1
            else:
                undo()
            print("%d: no fault injected: %d calls swept, %d failed "
                  "cleanly (%d of them undone by configfs), %d survived "
                  "the fault" % (n, swept, failed, undone, survived))
            break
        swept += 1
        if err is None:
            survived += 1
            undo()
            what = "survived"
        elif err == errno.ENOMEM:
            failed += 1
            what = "ENOMEM"
        else:
            what = "failed with %s, not ENOMEM" % errno.errorcode[err]
            bad += 1
        after = snapshot(dev)
        # A change and its undo, ours or configfs's, are two changes: the
        # generation moves.
        undo_done = what == "survived"
        moved = generations_moved(before, after)
        if what == "ENOMEM" and moved and all(m == 2 for m in moved):
            undone += 1
            what = "ENOMEM, undone by configfs"
            undo_done = True
        if undo_done:
            before, after = ([x for x in st if GENERATION not in x]
                             for st in (before, after))
        if after != before:
            bad += 1
            print("%d: %s, and the state changed:" % (n, what))
            for line in sorted(set(before) ^ set(after)):
                print("    %s %s" % ("-" if line in before else "+", line))
        else:
            print("%d: %s" % (n, what))
    else:
        print("still injecting after %d calls" % sweep[-1])
        bad += 1
    cleanup()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
