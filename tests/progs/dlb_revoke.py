#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dlb_revoke.py - what a forced stop (a domain's force_stop) does to the
port files that are still open, from the VM tests.

Each subcommand writes 1 to FORCE_STOP itself, at the moment it needs, and
prints one line per check ("ok ..." or "FAIL ..."), then exits 0 when every
check held, 1 when one did not, 2 on usage errors.

  revoke PORT FORCE_STOP [CMD]
        open PORT and map its ring and CQ; block one thread in read(), one
        in poll() and one in epoll_wait(); fork children that keep the
        mapping (one with its fd closed); force the stop. Checks: the
        blocked calls return (read ENODEV, poll and epoll ERR|HUP), every
        child's next access to the mapping is killed by SIGBUS, and read,
        write, a zero-length write, mmap and poll on the dead file fail the
        same way. CMD, if given, runs through the shell while the dead file
        is still open and mapped (e.g. remove the domain); the checks on the
        file are then repeated before it is closed.
  drops PROD DCONS LCONS DQID LQID NDIR NLDB LHIST FORCE_STOP FORCED_DROPS
        write NLDB atomic events to LQID on PROD, then publish NDIR directed
        events to DQID in PROD's ring (more than the credits and the CQ
        hold, so some stay in the ring); read 5 events at DCONS (directed:
        read() returns their tokens, so they are in) and 5 at LCONS,
        completing 3 of them (the 2 left are held: dropped). When LCONS
        holds LHIST events (its hist_list_size), take the load-balanced
        credits left with writes on PROD, and publish FWD, REL, NEW in
        LCONS's ring: the FWD is refused for credit, so all three stay
        there. Force the stop. Checks that in + dropped = sent, with
        dropped read from FORCED_DROPS.
  tokens PROD DCONS NDIR NPUB FORCE_STOP FORCED_DROPS
        write NDIR directed events to DCONS's queue 0 (its CQ holds them);
        with the scheduler thread asleep, DCONS takes 4 through its mapping
        and stores their tokens in cq_tokens, and PROD publishes NPUB more
        in its ring, both without the wake-up call. Force the stop. Checks
        that the thread slept throughout and that in + dropped = sent: the
        forced stop takes the tokens the consumer stored.
"""
import errno
import mmap
import os
import select
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
# pylint: disable=wrong-import-position
from dlb_port import (ATOMIC, DIRECTED, FWD, NEW, REL, OFF_CQ, OFF_PROD,  # noqa
                      QE, PP_REGION_SIZE, RawRing, qe, sched_stats, set_sched,
                      subcommand, u32, wait_sched, wait_stats)

FAILED = []
DEAD = select.POLLERR | select.POLLHUP


def check(ok, what):
    print(('ok ' if ok else 'FAIL ') + what, flush=True)
    if not ok:
        FAILED.append(what)


def errname(e):
    return errno.errorcode.get(e, str(e))


def force_stop(path):
    with open(path, 'w', encoding='ascii') as f:
        f.write('1\n')


def wait_sleeping(tids, seconds=60):
    """Until every thread in TIDS sleeps in the kernel (state S)."""
    t0 = time.time()
    while time.time() - t0 < seconds:
        states = []
        for tid in tids:
            with open(f'/proc/self/task/{tid}/stat', encoding='ascii') as f:
                states.append(f.read().rsplit(')', 1)[1].split()[0])
        if all(s == 'S' for s in states):
            return True
        time.sleep(0.05)
    return False


def child_touch(ring, what, go_r, ready_w):
    """In a forked child: touch the mapping now and after the go."""
    if what == 'closed-fd':
        os.close(ring.fd)
    u32(ring.pp, OFF_PROD)
    os.write(ready_w, b'r')
    os.read(go_r, 1)
    if what == 'cq':
        _ = ring.cq[15]
    elif what == 'store':
        ring.words[OFF_PROD // 4] = 1
    else:
        u32(ring.pp, OFF_PROD)
    os._exit(0)  # the access did not fault: the parent reports it


def spawn_children(ring):
    kids = []
    for what in ('pp', 'cq', 'store', 'closed-fd'):
        go_r, go_w = os.pipe()
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                child_touch(ring, what, go_r, ready_w)
            finally:
                os._exit(3)
        os.close(go_r)
        os.close(ready_w)
        check(os.read(ready_r, 1) == b'r', f'child {what} mapped the port')
        os.close(ready_r)
        kids.append((what, pid, go_w))
    return kids


def reap_children(kids):
    for what, pid, go_w in kids:
        os.write(go_w, b'g')
        os.close(go_w)
        _, status = os.waitpid(pid, 0)
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        check(sig == signal.SIGBUS,
              f'child {what}: access after the stop: '
              f'{"signal " + str(sig) if sig else "exit " + str(os.WEXITSTATUS(status))}'
              f', want SIGBUS')


def dead_file_checks(fd, when):
    def fails(what, fn, want=errno.ENODEV):
        try:
            fn()
            check(False, f'{when}: {what} succeeded on the dead file')
        except OSError as e:
            check(e.errno == want, f'{when}: {what}: {errname(e.errno)}')

    fails('read', lambda: os.read(fd, 16))
    fails('write', lambda: os.write(fd, qe(NEW, ATOMIC, 0, 0, 1)))
    fails('zero-length write', lambda: os.write(fd, b''))
    fails('mmap', lambda: mmap.mmap(fd, PP_REGION_SIZE, mmap.MAP_SHARED,
                                    mmap.PROT_READ, offset=0))
    p = select.poll()
    p.register(fd, select.POLLIN | select.POLLOUT)
    ev = p.poll(0)
    mask = ev[0][1] if ev else 0
    check(mask & DEAD == DEAD and not mask & select.POLLIN,
          f'{when}: poll reports {mask:#x} (ERR|HUP, not IN)')


def cmd_revoke(port, stop_path, cmd=None):
    fd = os.open(port, os.O_RDWR)
    ring = RawRing(fd)
    check(ring.depth > 0, f'mapped the ring, cq_depth {ring.depth}')
    results = {}

    def reader():
        results['reader_tid'] = threading.get_native_id()
        try:
            n = len(os.read(fd, 16))
            results['read'] = f'returned {n} bytes'
        except OSError as e:
            results['read'] = errname(e.errno)

    def poller():
        results['poller_tid'] = threading.get_native_id()
        p = select.poll()
        p.register(fd, select.POLLIN)
        ev = p.poll(120 * 1000)
        results['poll'] = ev[0][1] if ev else 0

    def epoller():
        results['epoller_tid'] = threading.get_native_id()
        ep = select.epoll()
        ep.register(fd, select.EPOLLIN)
        ev = ep.poll(120)
        results['epoll'] = ev[0][1] if ev else 0
        ep.close()

    kids = spawn_children(ring)
    threads = [threading.Thread(target=f) for f in (reader, poller, epoller)]
    for t in threads:
        t.start()
    while len([k for k in results if k.endswith('_tid')]) < 3:
        time.sleep(0.01)
    check(wait_sleeping([results[k] for k in results if k.endswith('_tid')]),
          'read(), poll() and epoll_wait() blocked')

    t0 = time.time()
    force_stop(stop_path)
    for t in threads:
        t.join(120)
    took = time.time() - t0
    check(results.get('read') == 'ENODEV',
          f'blocked read() woke with {results.get("read")}')
    check(results.get('poll', 0) & DEAD == DEAD,
          f'blocked poll() woke with {results.get("poll", 0):#x}')
    check(results.get('epoll', 0) & DEAD == DEAD,
          f'blocked epoll_wait() woke with {results.get("epoll", 0):#x}')
    check(took < 60, f'woken in {took:.1f} s')
    reap_children(kids)
    dead_file_checks(fd, 'after the stop')

    if cmd:
        r = subprocess.run(cmd, shell=True, check=False)
        check(r.returncode == 0, f'{cmd!r} exited {r.returncode} '
              'with the dead file open')
        dead_file_checks(fd, 'after the command')

    # The zapped mappings go without a fault; then the file closes.
    ring.words.release()
    ring.pp.close()
    ring.cq.close()
    os.close(fd)
    check(True, 'closed the dead file')
    return 1 if FAILED else 0


def read_some(fd, n, seconds=60):
    """Read N entries from a non-blocking port, within SECONDS."""
    got, t0 = [], time.time()
    while len(got) < n and time.time() - t0 < seconds:
        try:
            buf = os.read(fd, 16 * (n - len(got)))
        except BlockingIOError:
            time.sleep(0.02)
            continue
        got += [QE.unpack_from(buf, i) for i in range(0, len(buf), 16)]
    return got


def cmd_drops(prod, dcons, lcons, dqid, lqid, ndir, nldb, lhist, stop_path,
              drops_path):
    ndir, nldb, lhist = int(ndir), int(nldb), int(lhist)
    dqid, lqid = int(dqid), int(lqid)
    with open(drops_path, encoding='ascii') as f:
        before = int(f.read())
    pfd = os.open(prod, os.O_RDWR)
    ring = RawRing(pfd)
    dfd = os.open(dcons, os.O_RDWR | os.O_NONBLOCK)
    lfd = os.open(lcons, os.O_RDWR | os.O_NONBLOCK)

    # A ring stops at its first QE refused for credit: the load-balanced
    # events go by write(), which takes what credit allows.
    sent = os.write(pfd, b''.join(qe(NEW, ATOMIC, lqid, i % 7, i)
                                  for i in range(nldb))) // 16
    check(sent == nldb, f'wrote {sent} load-balanced events')
    n = ring.enqueue([qe(NEW, DIRECTED, dqid, 0, i)
                      for i in range(ndir)])
    check(n == ndir, f'published {n} directed events in the ring')
    sent += n

    dir_in = len(read_some(dfd, 5))
    check(dir_in == 5, f'directed consumer read {dir_in}')
    ldb_got = len(read_some(lfd, 5))
    check(ldb_got == 5, f'load-balanced consumer read {ldb_got}')
    done = os.write(lfd, qe(REL, 0, 0, 0, 0) * 3) // 16
    check(done == 3, f'load-balanced consumer completed {done}')

    # LCONS's history fills up; then PROD takes the credits that are left,
    # so that LCONS's ring sticks at a FWD: the FWD carries on an event
    # LCONS holds, the REL behind it finishes one, the NEW adds one.
    st = wait_stats(lcons, {'held': lhist})
    check(st['held'] == lhist, f'load-balanced consumer holds {st["held"]}')
    fill = 0
    while True:
        try:
            fill += os.write(pfd, qe(NEW, ATOMIC, lqid, 0, 0) * 8) // 16
        except BlockingIOError:
            break
    sent += fill
    lring = RawRing(lfd)
    n = lring.enqueue([qe(FWD, ATOMIC, lqid, 0, 0), qe(REL, 0, 0, 0, 0),
                       qe(NEW, ATOMIC, lqid, 0, 0)])
    check(n == 3, f'published FWD, REL, NEW in the consumer\'s ring ({n})')
    sent += 1
    done += 1
    # Each pass that finds the ring stuck refuses the FWD again.
    st = wait_stats(lcons, {'refused': lambda n: n >= 1})
    check(st['refused'] >= 1, 'the FWD was refused for credit')

    force_stop(stop_path)
    with open(drops_path, encoding='ascii') as f:
        dropped = int(f.read()) - before
    arrived = dir_in + done
    print(f'sent {sent} in {arrived} dropped {dropped}')
    check(arrived + dropped == sent, 'in + dropped = sent')

    for r in (ring, lring):
        r.words.release()
        r.pp.close()
        r.cq.close()
    for fd in (pfd, dfd, lfd):
        os.close(fd)
    return 1 if FAILED else 0


def cmd_tokens(prod, dcons, ndir, npub, stop_path, drops_path):
    """NDIR directed events into DCONS's CQ; with the scheduler thread
    asleep, DCONS takes 4 through its mapping and stores their tokens, and
    PROD publishes NPUB more in its ring, neither making the wake-up call.
    Force the stop: the 4 are in, everything else is dropped."""
    ndir, npub = int(ndir), int(npub)
    dev = dcons.split('/')[-3]
    with open(drops_path, encoding='ascii') as f:
        before = int(f.read())
    pring = RawRing(os.open(prod, os.O_RDWR))
    dring = RawRing(os.open(dcons, os.O_RDWR))
    set_sched('asleep', pring.fd)
    sent = os.write(pring.fd, b''.join(qe(NEW, DIRECTED, 0, 0, i)
                                       for i in range(ndir))) // 16
    check(sent == ndir, f'wrote {sent} directed events')
    st = wait_stats(dcons, {'cq_occupancy': ndir})
    check(st['cq_occupancy'] == ndir, f'{st["cq_occupancy"]} in the CQ')
    took, t0 = [], time.time()
    while len(took) < 4 and time.time() - t0 < 20:
        took += dring.dequeue_only(4 - len(took))
    check(wait_sched(dev, True), 'the scheduler thread sleeps')
    dring.store_tokens(len(took))
    n = pring.publish([qe(NEW, DIRECTED, 0, 0, ndir + i)
                       for i in range(npub)])
    sent += n
    check(sched_stats(dev)['asleep'] == 1,
          'it still sleeps: nothing took the tokens or the ring')
    force_stop(stop_path)
    with open(drops_path, encoding='ascii') as f:
        dropped = int(f.read()) - before
    print(f'sent {sent} in {len(took)} dropped {dropped}')
    check(len(took) + dropped == sent, 'in + dropped = sent')
    for r in (pring, dring):
        r.close()
    return 1 if FAILED else 0


def main(argv):
    cmds = {'revoke': (cmd_revoke, 2, 3), 'drops': (cmd_drops, 10, 10),
            'tokens': (cmd_tokens, 6, 6)}
    picked = subcommand(cmds, argv, __doc__)
    if not picked:
        return 2
    fn, args = picked
    return fn(*args)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
