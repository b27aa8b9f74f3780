#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dlb_port.py - drive dlb port device files from the VM tests.

A port is used the way applications use it: through read() and write()
of 16-byte QEs, or through its mmap'd rings by libdlbk (ctypes on
tools/build/libdlbk.so, class LibPort), so the ring client the tests
exercise is the one applications link. Only the tests that must break the
ring protocol on purpose (torn index stores, a producer index a ring
ahead, a dying port's unannounced QEs, tokens kept without a wake-up)
write the mmap ABI of module/uapi/linux/dlb.h directly (class RawRing).
Each subcommand prints one result line and exits 0 when the behaviour
holds, 1 when it does not, 2 on usage errors.

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
  badindex PROD CONS        store impossible ring indices (cq_tokens gone
                            backwards, prod more than a ring ahead) as a
                            torn store would, then the right ones; checks
                            that each is counted once and nothing is lost
  threshold PROD CONS N     with CONS's cq_depth_threshold N: N - 1 events
                            leave CONS unreadable for poll(), the Nth makes
                            it readable; a blocking read() waits for N
  send PATH QID N           write N NEW events (atomic, flow 0) to queue QID
  recv PATH N SECONDS       read until N events came or SECONDS passed;
                            prints how many, releases them
  once PROD CONS KIND END MODE
                            exactly once across a port file's end: PROD
                            sends 32 events to CONS (KIND ldb: atomic to
                            queue 0; dir: directed queue 0); a child reads
                            8 through the mapping and finishes 4 without
                            the wake-up call; its file goes by END (close,
                            exit, kill); CONS reopened must get the other
                            28 once each. MODE: the scheduler thread busy
                            or asleep meanwhile
  crashpub PROD CONS N      a child publishes N NEWs in PROD's ring while
                            the thread sleeps and is killed; CONS reads
                            what arrived (prints PROD's discarded)
  readfault PROD CONS       read() into memory it cannot write takes
                            nothing; a buffer only partly writable takes
                            the entries that reached it
  mixed PROD CONS KIND      entries taken through the mapping (tokens in
                            cq_tokens) are not read() again
  wakeonce PROD OTHER CONS  the thread asleep and kept off its CPU: PROD's
                            wake-up call clears OTHER's flag too; OTHER's
                            event, published with no call, still reaches
                            CONS
  schedcall PROD CONS       the thread's passes paused (debugfs
                            sched_paused 1): PROD's event, published with no
                            call, stays out of CONS; CONS's scheduling call
                            (a zero-length write) brings it at once
"""
import ctypes
import errno
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


def words(m):
    """The ring header as 32-bit words, for single-store index updates.

    The ABI wants every index written with one 32-bit store. struct's
    pack_into() does not do that: it zeroes its target before it packs, so
    the device could read 0 in between, take that for a producer index
    gone backwards or a consumer returning tokens it never had, and lose
    events or CQ slots. A memoryview of native 'I' items stores each item
    with one aligned 4-byte move.
    """
    return memoryview(m).cast('I')


class DlbQe(ctypes.Structure):
    """struct dlb_qe and struct dlb_deq: 16 bytes, the layout of QE.

    Every field sits at its natural alignment, so the platform's own
    layout is the ABI's with no packing (asserted below).
    """
    _fields_ = [('data', ctypes.c_uint64), ('opaque', ctypes.c_uint16),
                ('qid', ctypes.c_uint8), ('meta', ctypes.c_uint8),
                ('lock_id', ctypes.c_uint16), ('rsvd', ctypes.c_uint8),
                ('cmd', ctypes.c_uint8)]


assert ctypes.sizeof(DlbQe) == 16


LIBDLBK = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       '../../tools/build/libdlbk.so')
_LIB = []


def libdlbk():
    """libdlbk, loaded once, with the prototypes of the calls used here."""
    if _LIB:
        return _LIB[0]
    lib = ctypes.CDLL(os.environ.get('DLB_LIBDLBK', LIBDLBK), use_errno=True)
    vp, u = ctypes.c_void_p, ctypes.c_uint
    qes = ctypes.POINTER(DlbQe)
    for name, res, args in (
            ('dlbk_port_open', vp, [ctypes.c_char_p]),
            ('dlbk_port_close', None, [vp]),
            ('dlbk_port_fd', ctypes.c_int, [vp]),
            ('dlbk_port_enqueue', u, [vp, qes, u]),
            ('dlbk_port_dequeue', u, [vp, qes, u, u]),
            ('dlbk_port_wait', ctypes.c_int, [vp, ctypes.c_int])):
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    _LIB.append(lib)
    return lib


class LibPort:
    """A port used through its mmap'd rings by libdlbk, as applications do."""

    def __init__(self, path):
        self.lib = libdlbk()
        self.port = self.lib.dlbk_port_open(path.encode())
        if not self.port:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), path)
        self.fd = self.lib.dlbk_port_fd(self.port)
        self.buf = (DlbQe * PP_ENTRIES)()

    def enqueue(self, qes):
        qes = qes[:PP_ENTRIES]
        ctypes.memmove(self.buf, b''.join(qes), 16 * len(qes))
        return self.lib.dlbk_port_enqueue(self.port, self.buf, len(qes))

    def dequeue(self, max_n=32):
        n = self.lib.dlbk_port_dequeue(self.port, self.buf,
                                       min(max_n, PP_ENTRIES), 0)
        return deqs(ctypes.string_at(self.buf, 16 * n))

    def close(self):
        self.lib.dlbk_port_close(self.port)
        self.port = None


class RawRing:
    """A port's mmap'd producer ring and CQ, written by hand to the ABI.

    For the tests that break the ring protocol on purpose; everything
    else uses LibPort.
    """

    def __init__(self, fd):
        self.fd = fd
        self.pp = mmap.mmap(fd, PP_REGION_SIZE, mmap.MAP_SHARED,
                            mmap.PROT_READ | mmap.PROT_WRITE, offset=OFF_PP)
        self.depth = u32(self.pp, OFF_CQ_DEPTH)
        self.cq = mmap.mmap(fd, max(4096, self.depth * 16), mmap.MAP_SHARED,
                            mmap.PROT_READ, offset=OFF_CQ)
        self.head, self.gen, self.tokens = 0, 1, 0
        self.words = words(self.pp)

    def enqueue(self, qes):
        n = self.publish(qes)
        self.wake()
        return n

    def publish(self, qes):
        """Steps 1 to 3 of the ring protocol: no wake-up call."""
        prod = u32(self.pp, OFF_PROD)
        room = PP_ENTRIES - (prod - u32(self.pp, OFF_CONS)) % 2**32
        qes = qes[:room]
        for i, q in enumerate(qes):
            slot = (prod + i) % PP_ENTRIES
            self.pp[PP_RING_OFFSET + slot * 16:PP_RING_OFFSET + slot * 16 + 16] = q
        # x86 keeps stores in order (TSO), which is all (A) needs.
        self.words[OFF_PROD // 4] = (prod + len(qes)) % 2**32
        return len(qes)

    def store_tokens(self, k):
        """Return K tokens by cq_tokens (E), with no wake-up call."""
        self.tokens = (self.tokens + k) % 2**32
        self.words[OFF_TOKENS // 4] = self.tokens

    def close(self):
        self.words.release()
        self.pp.close()
        self.cq.close()
        os.close(self.fd)

    def flags(self):
        """The ring's flags, loaded after the full barrier (D) needs: TSO
        alone does not order the store before it and this load (store
        buffering); a lock's atomic read-modify-write does."""
        _FENCE.acquire()
        _FENCE.release()
        return u32(self.pp, OFF_FLAGS)

    def wake(self):
        """Step 4 of the ring protocol: the wake-up call, if flagged."""
        if self.flags() & NEED_WAKEUP:
            os.write(self.fd, b'')

    def dequeue_only(self, max_n=32):
        """Read up to MAX_N entries without returning their tokens."""
        out = []
        while len(out) < max_n:
            # Status first ((G) of the ABI; x86 keeps loads in order), then
            # the entry: read the other way round, the payload may be the
            # previous lap's.
            if (self.cq[self.head * 16 + 15] & 1) != self.gen:
                break
            out.append(QE.unpack_from(self.cq, self.head * 16))
            self.head += 1
            if self.head == self.depth:
                self.head, self.gen = 0, self.gen ^ 1
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


# Ports this process opened, by path, for dump_state().
OPENED = {}


def port(path, use_mmap, flags=os.O_RDWR | os.O_NONBLOCK):
    """Open a port for read()/write() (FLAGS) or for libdlbk's rings."""
    OPENED[path] = LibPort(path) if use_mmap else RwPort(os.open(path, flags))
    return OPENED[path]


def dump_state():
    """Print what the device and this process see of each opened port."""
    for path, p in OPENED.items():
        if isinstance(p, RawRing):
            w = p.words
            print(f'{path}: prod {w[OFF_PROD // 4]} cons {w[OFF_CONS // 4]} '
                  f'flags {w[OFF_FLAGS // 4]} cq_tokens {w[OFF_TOKENS // 4]} '
                  f'cq_head {p.head} cq_gen {p.gen}')
        else:
            print(f'{path}: {"libdlbk" if isinstance(p, LibPort) else "read/write"}')
        try:
            stats = [f'{k} {v}' for k, v in port_stats(path).items() if v]
        except OSError as e:
            stats = [os.strerror(e.errno)]
        print('   ', ' '.join(stats))
    for dev in sorted({path.split('/')[-3] for path in OPENED}):
        try:
            st = read_stats(f'/sys/class/dlb/{dev}/sched_stats')
            print(f'{dev} sched:', ' '.join(f'{k} {v}' for k, v in st.items()))
        except OSError:
            pass


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
    if sent == n == got and not dups and not viol:
        return 0
    dump_state()
    return 1


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
    if (sent == n == got and not dups and state['killed'] and
            state.get('held', 0) > 0 and reopened):
        return 0
    dump_state()
    return 1


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
    prod = LibPort(prod_path)
    time.sleep(1.0)
    asleep = bool(sched_stats(prod_path.split('/')[-3])['asleep'])
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


def read_stats(d):
    """The counters of a sysfs stats directory, one file each, by name."""
    st = {}
    for k in sorted(os.listdir(d)):
        with open(os.path.join(d, k)) as f:
            st[k] = int(f.read())
    return st


def port_stats(path):
    """The kernel's counters of the port at /dev/dlb/DEV/DOMAIN/PORT."""
    dev, dom, name = path.split('/')[-3:]
    return read_stats(f'/sys/class/dlb_port/{dev}.{dom}.{name}/stats')


def wait_stats(path, want, seconds=10):
    """Wait until the port's counters include WANT (a value, or a test of
    the value); return them."""
    t0 = time.time()
    while True:
        st = port_stats(path)
        if all(v(st[k]) if callable(v) else st[k] == v
               for k, v in want.items()):
            return st
        if time.time() - t0 > seconds:
            return st
        time.sleep(0.05)


def cmd_badindex(prod_path, cons_path):
    cons = RawRing(os.open(cons_path, os.O_RDWR))
    prod = RawRing(os.open(prod_path, os.O_RDWR))
    bad = []

    def check(what, path, want):
        st = wait_stats(path, want)
        wrong = {k: st[k] for k in want if st[k] != want[k]}
        if wrong:
            bad.append(f'{what}: {wrong} (want {want})')

    def store(ring, off, val):
        ring.words[off // 4] = val % 2**32
        ring.wake()

    def received(k):
        """K events read from the CQ, their tokens kept, then released."""
        got, t0 = [], time.time()
        while len(got) < k and time.time() - t0 < 10:
            got += cons.dequeue_only(k - len(got))
        if got:
            os.write(cons.fd, qe(REL, 0, 0, 0, 0) * len(got))
        return got

    # Four events in: the consumer reads them and returns the tokens.
    if prod.enqueue([qe(NEW, ATOMIC, 0, 1, i) for i in range(4)]) != 4:
        bad.append('enqueue refused')
    got = received(4)
    store(cons, OFF_TOKENS, 4)
    check('tokens', cons_path, {'tokens': 4, 'cq_occupancy': 0,
                                'ring_errors': 0})
    # Four more; a torn store shows cq_tokens gone back to 0 first.
    prod.enqueue([qe(NEW, ATOMIC, 0, 1, i) for i in range(4, 8)])
    got += received(4)
    store(cons, OFF_TOKENS, 0)
    check('tokens backwards', cons_path, {'ring_errors': 1, 'tokens': 4,
                                          'cq_occupancy': 4})
    store(cons, OFF_TOKENS, 0)
    check('the same again', cons_path, {'ring_errors': 1})
    store(cons, OFF_TOKENS, 8)
    check('tokens after', cons_path, {'ring_errors': 1, 'tokens': 8,
                                      'cq_occupancy': 0})
    # The next torn store is another error.
    store(cons, OFF_TOKENS, 0)
    check('tokens backwards again', cons_path, {'ring_errors': 2})
    store(cons, OFF_TOKENS, 8)
    check('tokens still', cons_path, {'ring_errors': 2, 'tokens': 8})
    # A producer index more than a ring ahead, then the right one.
    w = prod.words
    base = w[OFF_PROD // 4]
    for i in range(4):
        slot = PP_RING_OFFSET + (base + i) % PP_ENTRIES * 16
        prod.pp[slot:slot + 16] = qe(NEW, ATOMIC, 0, 1, 8 + i)
    store(prod, OFF_PROD, base + PP_ENTRIES + 1)
    check('prod ahead', prod_path, {'ring_errors': 1, 'ring_cons': base,
                                    'enqueued': 8})
    store(prod, OFF_PROD, base + 4)
    check('prod after', prod_path, {'ring_errors': 1, 'enqueued': 12})
    got += received(4)
    data = [e[0] for e in got]
    if data != list(range(12)):
        bad.append(f'received {data}')
    print(f'received {len(got)} in order {data == list(range(12))}')
    for b in bad:
        print(b)
    return 1 if bad else 0


def cmd_threshold(prod_path, cons_path, n):
    n = int(n)
    cons = os.open(cons_path, os.O_RDWR)
    prod = os.open(prod_path, os.O_RDWR)
    p = select.poll()
    p.register(cons, select.POLLIN)

    def send(first, k):
        os.write(prod, b''.join(qe(NEW, ATOMIC, 0, 1, i)
                                for i in range(first, first + k)))

    def receive():
        got = deqs(os.read(cons, 16 * 64))
        os.write(cons, qe(REL, 0, 0, 0, 0) * len(got))
        return [e[0] for e in got]

    # poll(): below the threshold for long enough to be scheduled, then at.
    send(0, n - 1)
    wait_stats(cons_path, {'cq_occupancy': n - 1}, 5)
    below = bool(p.poll(500))
    send(n - 1, 1)
    t0 = time.time()
    at = bool(p.poll(10000))
    dt_poll = time.time() - t0
    first = receive()
    # A blocking read(): returns once the last of N events arrives.
    pid = os.fork()
    if pid == 0:
        send(n, n - 1)
        time.sleep(1.0)
        send(2 * n - 1, 1)
        os._exit(0)
    t0 = time.time()
    second = receive()
    dt_read = time.time() - t0
    os.waitpid(pid, 0)
    ok = (not below and at and first == list(range(n)) and
          second == list(range(n, 2 * n)) and dt_read >= 0.8)
    print(f'readable below {below} at {at} after {dt_poll:.2f}s; '
          f'read {len(second)} after {dt_read:.2f}s')
    if not ok:
        print(f'first {first} second {second}')
        dump_state()
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


IDLE_US = '/sys/module/dlb/parameters/sw_sched_idle_us'


def sched_stats(dev):
    """The device's sched_stats/ counters, as a dict."""
    return read_stats(f'/sys/class/dlb/{dev}/sched_stats')


def set_sched(mode, fd):
    """busy: the scheduler thread polls for 10 s without work before it
    sleeps; asleep: for 100 us. FD, a port file, wakes it to see that."""
    with open(IDLE_US, 'w', encoding='ascii') as f:
        f.write('10000000' if mode == 'busy' else '100')
    os.write(fd, b'')


def wait_sched(dev, asleep, seconds=20):
    """Wait until the thread is asleep (or awake); False if it never was."""
    t0 = time.time()
    while time.time() - t0 < seconds:
        if sched_stats(dev)['asleep'] == int(asleep):
            return True
        time.sleep(0.02)
    return False


def receive_all(fd, release, want, seconds=20):
    """Read events until WANT came and one more second brought no other,
    or SECONDS passed; complete each if RELEASE. Their data, in order."""
    got, t0, enough = [], time.time(), None
    while time.time() - t0 < seconds:
        try:
            es = deqs(os.read(fd, 16 * 32))
        except BlockingIOError:
            es = []
        if es and release:
            os.write(fd, qe(REL, 0, 0, 0, 0) * len(es))
        got += [e[0] for e in es]
        if len(got) >= want:
            enough = enough or time.time()
            if time.time() - enough > 1.0:
                break
        if not es:
            time.sleep(0.02)
    return got


def cmd_once(prod_path, cons_path, kind, end, mode):
    """32 events to CONS; a child reads 8 through the mapping and finishes
    4 (directed: their tokens in cq_tokens; load-balanced: 4 RELs in its
    ring and the 8 tokens), without the wake-up call, then its port file
    goes by END (close, exit, kill). Reopened, CONS must get every event
    not finished exactly once, and none of the finished ones."""
    n, k_read, k_done = 32, 8, 4
    dev = cons_path.split('/')[-3]
    ldb = kind == 'ldb'
    sched = ATOMIC if ldb else DIRECTED
    prod = os.open(prod_path, os.O_RDWR)
    set_sched(mode, prod)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        ring = RawRing(os.open(cons_path, os.O_RDWR))
        os.write(w, b'open\n')
        got, t0 = [], time.time()
        while len(got) < k_read and time.time() - t0 < 20:
            got += ring.dequeue_only(k_read - len(got))
        wait_sched(dev, mode == 'asleep')
        if ldb:
            ring.publish([qe(REL, 0, 0, 0, 0)] * k_done)
            ring.store_tokens(len(got))
        else:
            ring.store_tokens(k_done)
        asleep = sched_stats(dev)['asleep']
        done = ','.join(str(e[0]) for e in got[:k_done])
        msg = f'{len(got)} {asleep} {done}\n'.encode()
        if end == 'close':
            ring.close()
        os.write(w, msg)
        if end == 'exit':
            os._exit(0)
        time.sleep(600)
        os._exit(0)
    os.close(w)
    rf = os.fdopen(r)
    rf.readline()
    # A load-balanced port takes events only once its file is open.
    sent = os.write(prod, b''.join(qe(NEW, sched, 0, i % 4, i)
                                   for i in range(n))) // 16
    line = rf.readline().split()
    if end == 'kill':
        os.kill(pid, signal.SIGKILL)
    if end != 'close':
        os.waitpid(pid, 0)
    read_n, asleep = int(line[0]), int(line[1])
    done = [int(x) for x in line[2].split(',')] if len(line) > 2 else []
    cons = os.open(cons_path, os.O_RDWR | os.O_NONBLOCK)
    got = receive_all(cons, ldb, n - len(done))
    if end == 'close':
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    every = got + done
    dups = len(every) - len(set(every))
    lost = len(set(range(n)) - set(every))
    again = len(set(got) & set(done))
    print(f'{kind} {end} {mode}: read {read_n} finished {len(done)} '
          f'asleep {asleep} received {len(got)} again {again} '
          f'duplicates {dups} lost {lost}')
    ok = (sent == n and read_n == k_read and len(done) == k_done and
          not dups and not lost and asleep == int(mode == 'asleep'))
    if not ok:
        print(f'received {got} finished {done}')
        dump_state()
    return 0 if ok else 1


def cmd_crashpub(prod_path, cons_path, n):
    """A child publishes N NEWs (atomic, queue 0) in PROD's ring while the
    scheduler thread sleeps, makes no wake-up call and is killed. Then
    CONS is opened and reads what arrived."""
    n = int(n)
    dev = prod_path.split('/')[-3]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        ring = RawRing(os.open(prod_path, os.O_RDWR))
        set_sched('asleep', ring.fd)
        wait_sched(dev, True)
        ring.publish([qe(NEW, ATOMIC, 0, i % 4, i) for i in range(n)])
        os.write(w, b'%d\n' % sched_stats(dev)['asleep'])
        time.sleep(600)
        os._exit(0)
    os.close(w)
    asleep = int(os.fdopen(r).readline() or -1)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    st = port_stats(prod_path)
    cons = os.open(cons_path, os.O_RDWR | os.O_NONBLOCK)
    got = receive_all(cons, True, 1, 5)
    # The first ones published, each once, each flow (i % 4) in order.
    in_order = (sorted(got) == list(range(len(got))) and
                all(got_f == sorted(got_f) for got_f in
                    ([x for x in got if x % 4 == f] for f in range(4))))
    print(f'published {n} asleep {asleep} received {len(got)} '
          f'in flow order {in_order} discarded {st["discarded"]}')
    return 0 if asleep == 1 and in_order else 1


def cmd_wakeonce(prod_path, other_path, cons_path):
    """One wake-up call per sleep. The scheduler thread is pinned to our
    CPU and sleeps; we run there at SCHED_FIFO, so it cannot run until we
    let it. PROD publishes and makes the call: that must clear the flag
    of OTHER's ring too, before the thread has run. OTHER then publishes
    with no call, and CONS must get both events."""
    dev = prod_path.split('/')[-3]
    sched_cpu = f'/sys/class/dlb/{dev}/sched_cpu'
    cpu = max(os.sched_getaffinity(0))
    a = RawRing(os.open(prod_path, os.O_RDWR))
    b = RawRing(os.open(other_path, os.O_RDWR))
    cons = os.open(cons_path, os.O_RDWR | os.O_NONBLOCK)
    with open(sched_cpu, 'w', encoding='ascii') as f:
        f.write(str(cpu))
    try:
        os.sched_setaffinity(0, {cpu})
        set_sched('asleep', a.fd)
        slept = wait_sched(dev, True)
        before = (a.flags(), b.flags())
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(50))
        try:
            a.publish([qe(NEW, ATOMIC, 0, 1, 1)])
            a.wake()
            after = (a.flags(), b.flags())
            b.publish([qe(NEW, ATOMIC, 0, 2, 2)])
            b.wake()
        finally:
            os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
        got = receive_all(cons, True, 2)
    finally:
        with open(sched_cpu, 'w', encoding='ascii') as f:
            f.write('-1')
    print(f'slept {slept} flags before {before} after one call {after} '
          f'received {sorted(got)}')
    ok = (slept and before == (NEED_WAKEUP, NEED_WAKEUP) and after == (0, 0)
          and sorted(got) == [1, 2])
    if not ok:
        dump_state()
    return 0 if ok else 1


def cmd_schedcall(prod_path, cons_path):
    """The scheduling call moves events by itself. With the scheduler
    thread's passes paused, an event PROD publishes without a call does
    not reach CONS; one zero-length write on CONS (a consumer with an
    empty CQ) runs the pass in this process and the event is there when
    the write returns."""
    dev = prod_path.split('/')[-3]
    paused = f'/sys/kernel/debug/dlb/{dev}/sched_paused'
    prod = RawRing(os.open(prod_path, os.O_RDWR))
    cons = os.open(cons_path, os.O_RDWR | os.O_NONBLOCK)
    with open(paused, 'w', encoding='ascii') as f:
        f.write('1')
    try:
        # A pass the thread began before the pause may still be running:
        # wait for two more, which see the knob. set_sched('busy') keeps
        # the thread polling meanwhile.
        set_sched('busy', cons)
        passes = sched_stats(dev)['passes']
        t0 = time.time()
        while (sched_stats(dev)['passes'] < passes + 2
               and time.time() - t0 < 10):
            time.sleep(0.01)
        prod.publish([qe(NEW, ATOMIC, 0, 1, 7)])
        time.sleep(0.5)
        before = deqs_nonblock(cons)
        calls = sched_stats(dev)['caller_passes']
        os.write(cons, b'')
        after = deqs_nonblock(cons)
        calls = sched_stats(dev)['caller_passes'] - calls
    finally:
        with open(paused, 'w', encoding='ascii') as f:
            f.write('0')
        set_sched('asleep', cons)
    if after:
        os.write(cons, qe(REL, 0, 0, 0, 0) * len(after))
    print(f'before the call {before} after it {after} caller passes +{calls}')
    ok = before == [] and after == [7] and calls == 1
    if not ok:
        dump_state()
    return 0 if ok else 1


def cmd_naps(prod_path, cons_path):
    """While scheduling calls run passes over the domain the scheduler
    thread naps instead of polling it; once they stop it schedules the
    domain again: an event PROD then publishes without a call reaches
    CONS."""
    dev = prod_path.split('/')[-3]
    prod = RawRing(os.open(prod_path, os.O_RDWR))
    cons = os.open(cons_path, os.O_RDWR | os.O_NONBLOCK)
    set_sched('busy', cons)
    try:
        naps = sched_stats(dev)['naps']
        t0 = time.time()
        while time.time() - t0 < 1.0:
            os.write(cons, b'')
        naps = sched_stats(dev)['naps'] - naps
        # The calls stopped: within a nap the thread looks again.
        time.sleep(0.1)
        prod.publish([qe(NEW, ATOMIC, 0, 1, 9)])
        got = receive_all(cons, True, 1, seconds=5)
    finally:
        set_sched('asleep', cons)
    print(f'napped {"yes" if naps > 0 else "no"} then received {got}')
    ok = naps > 0 and got == [9]
    if not ok:
        print(f'naps {naps}')
        dump_state()
    return 0 if ok else 1


def deqs_nonblock(fd):
    """The data of the events a non-blocking read() finds in FD's CQ."""
    try:
        return [e[0] for e in deqs(os.read(fd, 16 * 32))]
    except BlockingIOError:
        return []


def cmd_readfault(prod_path, cons_path):
    """8 events to CONS; read() 4 into a read-only page (nothing may be
    taken), then into a buffer whose first 32 bytes are writable (what
    reached it is taken), then the rest normally: all 8, in order."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                          ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    libc.read.restype = ctypes.c_ssize_t
    libc.read.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
    cons = os.open(cons_path, os.O_RDWR | os.O_NONBLOCK)
    prod = os.open(prod_path, os.O_RDWR)
    os.write(prod, b''.join(qe(NEW, ATOMIC, 0, 0, i) for i in range(8)))
    wait_stats(cons_path, {'cq_occupancy': 8})
    page = libc.mmap(None, 8192, mmap.PROT_READ | mmap.PROT_WRITE,
                     mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0)
    libc.mprotect(page + 4096, 4096, mmap.PROT_READ)
    ret = libc.read(cons, page + 4096, 64)
    err = ctypes.get_errno()
    unwritable = os.strerror(err) if ret < 0 else f'{ret} bytes'
    part = libc.read(cons, page + 4096 - 32, 64)
    data = []
    if part > 0:
        data = [e[0] for e in deqs(ctypes.string_at(page + 4096 - 32, part))]
    data += [e[0] for e in deqs(os.read(cons, 16 * 32))]
    os.write(cons, qe(REL, 0, 0, 0, 0) * len(data))
    ok = data == list(range(8))
    print(f'unwritable: {unwritable}; partly writable: {part} bytes; '
          f'received {len(data)} in order {ok}')
    if not ok:
        print(f'received {data}')
    return 0 if ret < 0 and err == errno.EFAULT and ok else 1


def cmd_mixed(prod_path, cons_path, kind):
    """8 events to CONS; 4 taken through the mapping (tokens stored in
    cq_tokens, load-balanced ones completed), then read(): the other 4."""
    ldb = kind == 'ldb'
    ring = RawRing(os.open(cons_path, os.O_RDWR | os.O_NONBLOCK))
    prod = os.open(prod_path, os.O_RDWR)
    os.write(prod, b''.join(qe(NEW, ATOMIC if ldb else DIRECTED, 0, 0, i)
                            for i in range(8)))
    wait_stats(cons_path, {'cq_occupancy': 8})
    took = [e[0] for e in ring.dequeue_only(4)]
    ring.store_tokens(len(took))
    ring.wake()
    if ldb:
        os.write(ring.fd, qe(REL, 0, 0, 0, 0) * len(took))
    try:
        got = [e[0] for e in deqs(os.read(ring.fd, 16 * 32))]
    except BlockingIOError:
        got = []
    if ldb:
        os.write(ring.fd, qe(REL, 0, 0, 0, 0) * len(got))
    print(f'{kind}: mapping took {took} then read() got {got}')
    return 0 if took == [0, 1, 2, 3] and got == [4, 5, 6, 7] else 1


def subcommand(cmds, argv, usage):
    """argv's subcommand in cmds ({name: (fn, min args, max args)}) as
    (fn, args), or None after printing usage when it is no subcommand or
    has the wrong number of arguments."""
    if len(argv) < 2 or argv[1] not in cmds:
        print(usage, file=sys.stderr)
        return None
    fn, lo, hi = cmds[argv[1]]
    args = argv[2:]
    if not lo <= len(args) <= hi:
        print(usage, file=sys.stderr)
        return None
    return fn, args


def main(argv):
    cmds = {'traffic': (cmd_traffic, 2, 3), 'kill': (cmd_kill, 2, 2),
            'open': (cmd_open, 1, 3), 'mprotect': (cmd_mprotect, 1, 1),
            'hold': (cmd_hold, 2, 2), 'isolate': (cmd_isolate, 3, 3),
            'poll': (cmd_poll, 2, 2), 'send': (cmd_send, 3, 3),
            'badindex': (cmd_badindex, 2, 2),
            'threshold': (cmd_threshold, 3, 3),
            'recv': (cmd_recv, 3, 3), 'once': (cmd_once, 5, 5),
            'crashpub': (cmd_crashpub, 3, 3),
            'readfault': (cmd_readfault, 2, 2), 'mixed': (cmd_mixed, 3, 3),
            'wakeonce': (cmd_wakeonce, 3, 3),
            'schedcall': (cmd_schedcall, 2, 2),
            'naps': (cmd_naps, 2, 2)}
    picked = subcommand(cmds, argv, __doc__)
    if not picked:
        return 2
    fn, args = picked
    if argv[1] in ('traffic', 'kill'):
        args[1] = int(args[1])
    return fn(*args)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
