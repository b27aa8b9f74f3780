#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dlb_port.py - drive dlb port device files from the VM tests.

Speaks the ABI of module/uapi/linux/dlb.h directly (read()/write() of
16-byte QEs, and the mmap'd producer ring and CQ), so the tests check the
kernel independently of libdlb. Each subcommand prints one result line and
exits 0 when the behaviour holds, 1 when it does not, 2 on usage errors.

  traffic DOMAIN N [mmap]   N events through the example pipeline
                            (rx -> stage1 -> w0,w1 -> stage2 -> tx); checks
                            count, duplicates and per-flow order at tx
  kill DOMAIN N             the same with w0 in a child that holds events
                            and is killed with SIGKILL midway
  open PATH [UID GID]       open a port (as UID/GID if given)
  mprotect PATH             map the CQ read-only, then try to make it writable
  hold PATH SECONDS         keep a port open
  isolate PATH QID SCHED    enqueue one NEW QE to QID with SCHED
  poll PROD CONS            block in poll() on CONS while an event is put in
                            PROD's ring after the scheduler thread slept
  send PATH QID N           write N NEW events (atomic, flow 0) to queue QID
  recv PATH N SECONDS       read until N events came or SECONDS passed;
                            prints how many, releases them
"""
import ctypes
import mmap
import os
import select
import signal
import struct
import sys
import threading
import time

QE = struct.Struct('<QHBBHBB')
NEW, FWD, REL = 0x08, 0x0A, 0x02
ATOMIC, UNORDERED, ORDERED, DIRECTED = 0, 1, 2, 3
OFF_PP, OFF_CQ = 0x0, 0x10000000
PP_ENTRIES, PP_RING_OFFSET, PP_REGION_SIZE = 256, 4096, 8192
OFF_PROD, OFF_CONS, OFF_FLAGS, OFF_TOKENS, OFF_CQ_DEPTH = 0, 64, 68, 128, 196
NEED_WAKEUP = 1
_FENCE = threading.Lock()


def qe(cmd, sched, qid, lock, data):
    return QE.pack(data, 0, qid, sched & 3, lock, 0, cmd)


def deqs(buf):
    return [QE.unpack_from(buf, i) for i in range(0, len(buf), 16)]


def u32(m, off):
    return struct.unpack_from('<I', m, off)[0]


class Ring:
    """A port's mmap'd producer ring and CQ."""

    def __init__(self, fd):
        self.fd = fd
        self.pp = mmap.mmap(fd, PP_REGION_SIZE, mmap.MAP_SHARED,
                            mmap.PROT_READ | mmap.PROT_WRITE, offset=OFF_PP)
        self.depth = u32(self.pp, OFF_CQ_DEPTH)
        self.cq = mmap.mmap(fd, max(4096, self.depth * 16), mmap.MAP_SHARED,
                            mmap.PROT_READ, offset=OFF_CQ)
        self.head, self.gen, self.tokens = 0, 1, 0

    def enqueue(self, qes):
        prod = u32(self.pp, OFF_PROD)
        room = PP_ENTRIES - (prod - u32(self.pp, OFF_CONS)) % 2**32
        qes = qes[:room]
        for i, q in enumerate(qes):
            slot = (prod + i) % PP_ENTRIES
            self.pp[PP_RING_OFFSET + slot * 16:PP_RING_OFFSET + slot * 16 + 16] = q
        # x86 keeps stores in order (TSO), which is all (A) needs.
        struct.pack_into('<I', self.pp, OFF_PROD, (prod + len(qes)) % 2**32)
        self.wake()
        return len(qes)

    def wake(self):
        # (D) needs a full barrier between the store above and the load of
        # the flags, which TSO alone does not give (store buffering): a
        # lock's atomic read-modify-write is one.
        _FENCE.acquire()
        _FENCE.release()
        if u32(self.pp, OFF_FLAGS) & NEED_WAKEUP:
            os.write(self.fd, b'')

    def dequeue(self, max_n=32):
        out = []
        while len(out) < max_n:
            # Status first (B of dlb_cq.h; x86 keeps loads in order), then
            # the entry: read the other way round, the payload may be the
            # previous lap's.
            if (self.cq[self.head * 16 + 15] & 1) != self.gen:
                break
            out.append(QE.unpack_from(self.cq, self.head * 16))
            self.head += 1
            if self.head == self.depth:
                self.head, self.gen = 0, self.gen ^ 1
        if out:
            self.tokens = (self.tokens + len(out)) % 2**32
            struct.pack_into('<I', self.pp, OFF_TOKENS, self.tokens)
            self.wake()
        return out


class RwPort:
    """A port used through read() and write()."""

    def __init__(self, fd):
        self.fd = fd

    def enqueue(self, qes):
        try:
            return os.write(self.fd, b''.join(qes)) // 16
        except BlockingIOError:
            return 0

    def dequeue(self, max_n=32):
        try:
            return deqs(os.read(self.fd, 16 * max_n))
        except BlockingIOError:
            return []


def port(path, use_mmap, flags=os.O_RDWR | os.O_NONBLOCK):
    fd = os.open(path, flags)
    return Ring(fd) if use_mmap else RwPort(fd)


def worker_step(w, pending):
    """Forward stage1 events to stage2, stage2 events to egress."""
    for e in w.dequeue():
        data, lock, sched = e[0], e[4], e[3] & 3
        if sched == ATOMIC:
            pending.append(qe(FWD, ORDERED, 1, lock, data))
        else:
            pending.append(qe(FWD, DIRECTED, 0, lock, data))
    if pending:
        n = w.enqueue(pending)
        del pending[:n]


# Events in flight at most: below the pipeline's 512 LDB credits, so a
# forward always finds credit (DPDK's new_event_threshold). Without it NEW
# events can take every credit while the workers hold full history lists
# of events whose forwards wait for credit: a deadlock by design of DLB.
WINDOW = 256


def run_pipeline(d, n, use_mmap, workers, on_progress=None, timeout=60):
    rx = port(d + '/rx', use_mmap)
    tx = port(d + '/tx', use_mmap)
    flows = 16
    sent, got, last = 0, [], {}
    violations = dups = 0
    seen = set()
    pend = {id(w): [] for w in workers}
    t0 = time.time()
    while len(got) < n and time.time() - t0 < timeout:
        if sent < n and sent - len(got) < WINDOW:
            k = min(32, n - sent, WINDOW - (sent - len(got)))
            sent += rx.enqueue([qe(NEW, ATOMIC, 0, i % flows, i)
                                for i in range(sent, sent + k)])
        for w in workers:
            worker_step(w, pend[id(w)])
        for e in tx.dequeue():
            data, lock = e[0], e[4]
            if data in seen:
                dups += 1
            seen.add(data)
            if last.get(lock, -1) > data:
                violations += 1
            last[lock] = data
            got.append(data)
        if on_progress:
            on_progress(len(got))
    return sent, len(got), dups, violations, time.time() - t0


def cmd_traffic(d, n, mode='rw'):
    use_mmap = mode == 'mmap'
    workers = [port(d + '/w0', use_mmap), port(d + '/w1', use_mmap)]
    sent, got, dups, viol, dt = run_pipeline(d, n, use_mmap, workers)
    print(f'sent {sent} received {got} duplicates {dups} '
          f'order_violations {viol} seconds {dt:.2f}')
    return 0 if sent == n == got and not dups and not viol else 1


def cmd_kill(d, n):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        # The victim: takes events from w0 and never completes them.
        os.close(r)
        w0 = port(d + '/w0', False, os.O_RDWR)
        held = w0.dequeue(8)
        os.write(w, b'%d\n' % len(held))
        time.sleep(600)
        os._exit(0)
    os.close(w)
    w1 = port(d + '/w1', False)
    state = {'killed': False}
    rf = os.fdopen(r)

    def progress(_):
        if not state['killed']:
            ready, _, _ = select.select([rf], [], [], 0)
            if ready:
                state['held'] = int(rf.readline() or 0)
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                state['killed'] = True

    sent, got, dups, _, dt = run_pipeline(d, n, False, [w1], progress)
    reopened = True
    try:
        os.close(os.open(d + '/w0', os.O_RDWR))
    except OSError:
        reopened = False
    print(f'sent {sent} received {got} duplicates {dups} '
          f'victim_held {state.get("held", -1)} killed {state["killed"]} '
          f'reopened {reopened} seconds {dt:.2f}')
    return 0 if (sent == n == got and not dups and state['killed'] and
                 state.get('held', 0) > 0 and reopened) else 1


def cmd_open(path, uid=None, gid=None):
    if uid is not None:
        os.setgroups([])
        os.setgid(int(gid))
        os.setuid(int(uid))
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError as e:
        print(f'open: {os.strerror(e.errno)}')
        return 1
    print('open: ok')
    return 0


def cmd_mprotect(path):
    fd = os.open(path, os.O_RDWR)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                          ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    addr = libc.mmap(None, 4096, mmap.PROT_READ, mmap.MAP_SHARED, fd, OFF_CQ)
    if addr in (None, ctypes.c_void_p(-1).value):
        print(f'mmap: {os.strerror(ctypes.get_errno())}')
        return 1
    ret = libc.mprotect(addr, 4096, mmap.PROT_READ | mmap.PROT_WRITE)
    err = ctypes.get_errno()
    print(f'mprotect: {"ok" if ret == 0 else os.strerror(err)}')
    return 1 if ret == 0 else 0


def cmd_hold(path, seconds):
    fd = os.open(path, os.O_RDWR)
    print('holding', flush=True)
    time.sleep(float(seconds))
    os.close(fd)
    return 0


def cmd_isolate(path, qid, sched):
    fd = os.open(path, os.O_RDWR)
    n = os.write(fd, qe(NEW, int(sched), int(qid), 0, 42))
    print(f'consumed {n // 16}')
    return 0 if n == 16 else 1


def cmd_poll(prod_path, cons_path):
    cons = os.open(cons_path, os.O_RDWR)
    prod = Ring(os.open(prod_path, os.O_RDWR))
    time.sleep(1.0)
    asleep = bool(u32(prod.pp, OFF_FLAGS) & NEED_WAKEUP)
    pid = os.fork()
    if pid == 0:
        time.sleep(0.5)
        prod.enqueue([qe(NEW, ATOMIC, 0, 1, 7)])
        os._exit(0)
    p = select.poll()
    p.register(cons, select.POLLIN)
    t0 = time.time()
    ev = p.poll(20000)
    dt = time.time() - t0
    os.waitpid(pid, 0)
    data = deqs(os.read(cons, 16))
    ok = asleep and ev and data and data[0][0] == 7
    print(f'thread_asleep {asleep} woke {bool(ev)} after {dt:.2f}s '
          f'data {data[0][0] if data else None}')
    return 0 if ok else 1


def cmd_send(path, qid, n):
    fd = os.open(path, os.O_RDWR)
    data = b''.join(qe(NEW, ATOMIC, int(qid), 0, i) for i in range(int(n)))
    done = os.write(fd, data) // 16
    print(f'sent {done}')
    return 0 if done == int(n) else 1


def cmd_recv(path, n, seconds):
    fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
    got, t0 = 0, time.time()
    while got < int(n) and time.time() - t0 < float(seconds):
        try:
            k = len(os.read(fd, 16 * 32)) // 16
        except BlockingIOError:
            time.sleep(0.05)
            continue
        got += k
        os.write(fd, qe(REL, 0, 0, 0, 0) * k)
    print(f'received {got}')
    return 0 if got == int(n) else 1


def main(argv):
    cmds = {'traffic': (cmd_traffic, 2, 3), 'kill': (cmd_kill, 2, 2),
            'open': (cmd_open, 1, 3), 'mprotect': (cmd_mprotect, 1, 1),
            'hold': (cmd_hold, 2, 2), 'isolate': (cmd_isolate, 3, 3),
            'poll': (cmd_poll, 2, 2), 'send': (cmd_send, 3, 3),
            'recv': (cmd_recv, 3, 3)}
    if len(argv) < 2 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    fn, lo, hi = cmds[argv[1]]
    args = argv[2:]
    if not lo <= len(args) <= hi:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] in ('traffic', 'kill'):
        args[1] = int(args[1])
    return fn(*args)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
