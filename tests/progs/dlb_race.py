#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dlb_race.py - hammer configfs domains from several processes at once.

    dlb_race.py DOMAINS_DIR SECONDS ITERATIONS DOMAIN...
    dlb_race.py --link-vs-rmdir DOMAINS_DIR SECONDS DOMAIN
    dlb_race.py --mkdir-vs-start DOMAINS_DIR SECONDS DOMAIN

Starts two editor processes per DOMAIN, each doing random mkdir, rmdir,
link, unlink, attribute writes, link priorities, starts (plain and with the
generation read just before) and stops on that domain, for at most SECONDS
or ITERATIONS operations. Every refusal (EBUSY, ESTALE, ENOENT, ...) is
expected; only an errno outside the documented set is a failure. Fork-free
system calls reach far more interleavings under emulation than shell loops.
Prints one line per editor; exit status 0 if no editor saw an undocumented
errno, 1 otherwise.

--link-vs-rmdir aims at one window: symlink(2) resolving its target while
rmdir(2) removes that target. Two removers create and remove a queue of
DOMAIN and a spare domain; two linkers keep linking a port of DOMAIN to
both. Any refusal is expected; the kernel log is what the caller checks.

--mkdir-vs-start aims at another: a start pinning every object of its
domain while mkdir(2) adds one. Two makers create and remove a queue and a
port of DOMAIN; two starters keep writing 1, then 0, to its start.
"""

import errno
import multiprocessing
import os
import random
import sys
import time

# What any operation may legitimately fail with while others race it.
EXPECTED = {errno.EBUSY, errno.ESTALE, errno.ENOENT, errno.EEXIST,
            errno.EINVAL, errno.ENOSPC, errno.ENOTEMPTY}


def write(path, data):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def editor(doms, name, seconds, iterations, seed, out):
    rnd = random.Random(seed)
    d = os.path.join(doms, name)
    end = time.monotonic() + seconds
    ok = failed = 0
    bad = []
    for _ in range(iterations):
        if time.monotonic() > end:
            break
        q, p = f"q{rnd.randrange(4)}", f"p{rnd.randrange(4)}"
        qdir = os.path.join(d, "queues", q)
        pdir = os.path.join(d, "ports", p)
        op = rnd.randrange(13)
        try:
            if op == 0:
                os.mkdir(qdir)
            elif op == 1:
                os.rmdir(qdir)
            elif op == 2:
                os.mkdir(pdir)
            elif op == 3:
                os.rmdir(pdir)
            elif op in (4, 5):
                os.symlink(qdir, os.path.join(pdir, q))
            elif op == 6:
                os.unlink(os.path.join(pdir, q))
            elif op == 7:
                write(os.path.join(d, "ldb_credits"),
                      b"%d\n" % rnd.randrange(600))
            elif op == 8:
                write(os.path.join(qdir, "sched_type"),
                      rnd.choice([b"atomic\n", b"unordered\n"]))
            elif op == 9:
                write(os.path.join(pdir, "link_priorities"),
                      b"%s %d\n" % (q.encode(), rnd.randrange(8)))
            elif op == 10:
                with open(os.path.join(d, "generation"), "rb") as f:
                    gen = f.read().strip()
                write(os.path.join(d, "start"), b"1 " + gen + b"\n")
            elif op == 11:
                write(os.path.join(d, "start"), b"1\n")
            else:
                write(os.path.join(d, "start"), b"0\n")
            ok += 1
        except OSError as e:
            failed += 1
            if e.errno not in EXPECTED:
                bad.append(f"op {op}: {errno.errorcode.get(e.errno)}")
    out.put((name, ok, failed, bad[:5]))


def mkdir_rmdir(paths, who, seconds, out):
    """Make and remove each of PATHS in turn for SECONDS; count successes."""
    end = time.monotonic() + seconds
    done = 0
    while time.monotonic() < end:
        for path in paths:
            for op in (os.mkdir, os.rmdir):
                try:
                    op(path)
                    done += 1
                except OSError:
                    pass
    out.put((who, done))


def remover(doms, name, seconds, out):
    mkdir_rmdir((os.path.join(doms, name, "queues", "target"),
                 os.path.join(doms, name + "-spare")), "remover", seconds, out)


def linker(doms, name, seconds, out):
    pdir = os.path.join(doms, name, "ports", "linker")
    targets = (os.path.join(doms, name, "queues", "target"),
               os.path.join(doms, name + "-spare"))
    end = time.monotonic() + seconds
    done = 0
    while time.monotonic() < end:
        for target in targets:
            link = os.path.join(pdir, os.path.basename(target))
            try:
                os.symlink(target, link)
                os.unlink(link)
                done += 1
            except OSError:
                pass
    out.put(("linker", done))


def maker(doms, name, seconds, out):
    mkdir_rmdir((os.path.join(doms, name, "queues", "made"),
                 os.path.join(doms, name, "ports", "made")),
                "maker", seconds, out)


def starter(doms, name, seconds, out):
    start = os.path.join(doms, name, "start")
    end = time.monotonic() + seconds
    done = 0
    while time.monotonic() < end:
        for val in (b"1", b"0"):
            try:
                write(start, val)
                done += 1
            except OSError:
                pass
    out.put(("starter", done))


def two_against_two(argv, first, second):
    """Run two of FIRST and two of SECOND against DOMAIN; print counts."""
    if len(argv) != 5:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    doms, seconds, name = argv[2], float(argv[3]), argv[4]
    if first is remover:
        os.mkdir(os.path.join(doms, name, "ports", "linker"))
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=f,
                                     args=(doms, name, seconds, out))
             for f in (first, second, first, second)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    for who, done in results:
        print(f"{who}: {done} operations succeeded")
    return 0


def main(argv):
    if len(argv) > 1 and argv[1] == "--link-vs-rmdir":
        return two_against_two(argv, remover, linker)
    if len(argv) > 1 and argv[1] == "--mkdir-vs-start":
        return two_against_two(argv, maker, starter)
    if len(argv) < 5:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    doms, seconds, iterations = argv[1], float(argv[2]), int(argv[3])
    out = multiprocessing.Queue()
    procs = []
    for i, name in enumerate(argv[4:] * 2):
        procs.append(multiprocessing.Process(
            target=editor, args=(doms, name, seconds, iterations, i, out)))
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    status = 0
    for name, ok, failed, bad in results:
        print(f"editor of {name}: {ok} done, {failed} refused")
        for b in bad:
            print(f"FAIL {name}: {b}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
