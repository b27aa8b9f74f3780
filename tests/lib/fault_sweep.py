#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""fault_sweep.py - fail each allocation of one operation in turn.

Usage: fault_sweep.py DEVICE OP ARG...

  DEVICE                  the device whose state must not change, e.g. dlb0
  mkdir DIR               undone with rmdir
  symlink TARGET LINK     undone by removing LINK
  write FILE VALUE UNDO   undone by writing UNDO to FILE

For N = 1, 2, ...: arm /proc/thread-self/fail-nth with N (the kernel fails
the Nth fault-injectable call this thread makes: slab and page allocations
when failslab and fail_page_alloc are set up to include sleeping ones), run
the operation once, disarm. An injected fault must make the operation fail
with ENOMEM and change nothing: the configfs tree of DEVICE (names, links
and attribute values) and its sysfs avail_resources stay as they were. An
operation may also survive the fault (the allocation was optional); it is
then undone and must leave the same state but for the generation, which
the change and its undo each bump. The sweep ends at the first N no
fault was injected at (the operation makes fewer calls), where it must
succeed. Prints one line per N and a summary; exit 1 on any violation.
"""

import errno
import os
import sys

CONFIGFS = "/sys/kernel/config/dlb"
SYSFS = "/sys/class/dlb"
MAX_CALLS = 2000


def snapshot(dev):
    """The state an injected fault must not change, as a sorted list."""
    state = []
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


def operation(argv):
    """(do, undo) callables for the operation named by argv."""
    op = argv[0]
    if op == "mkdir" and len(argv) == 2:
        return (lambda: os.mkdir(argv[1]), lambda: os.rmdir(argv[1]))
    if op == "symlink" and len(argv) == 3:
        return (lambda: os.symlink(argv[1], argv[2]),
                lambda: os.unlink(argv[2]))
    if op == "write" and len(argv) == 4:
        def write(value):
            fd = os.open(argv[1], os.O_WRONLY)
            try:
                os.write(fd, value.encode())
            finally:
                os.close(fd)
        return (lambda: write(argv[2]), lambda: write(argv[3]))
    sys.exit(__doc__)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    dev = argv[1]
    do, undo = operation(argv[2:])
    ctl = "/proc/thread-self/fail-nth"
    fd = os.open(ctl, os.O_WRONLY)
    bad = failed = survived = 0

    for n in range(1, MAX_CALLS + 1):
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
                  "cleanly, %d survived the fault" % (n, n - 1, failed,
                                                      survived))
            break
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
        if what == "survived":
            # A change and its undo are two changes: the generation moves.
            before, after = ([x for x in st if "/generation = " not in x]
                             for st in (before, after))
        if after != before:
            bad += 1
            print("%d: %s, and the state changed:" % (n, what))
            for line in sorted(set(before) ^ set(after)):
                print("    %s %s" % ("-" if line in before else "+", line))
        else:
            print("%d: %s" % (n, what))
    else:
        print("still injecting after %d calls" % MAX_CALLS)
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
