#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dlb_fuzz.py - seeded random operations on a live dlb device.

  dlb_fuzz.py [--seed N] [--seconds S] [--ops N] [--dev dlb0] [--log FILE]

Draws operations from a random.Random(N): mkdir and rmdir of domains,
queues and ports; writes of random and boundary values to every writable
attribute found in the live configfs tree; links and unlinks (inside and
across domains); start and stop; open, mmap (good and bad offsets, sizes
and protections), munmap and close of port files; random 16-byte QE streams
and odd-sized writes to them, and reads; mkdir, quota writes (a sane
quota or a random value), commit, uncommit and rmdir of the device's
virtual devices (vdevs/), and mkdir or rmdir of a domain in a vdev's
domains/ (ENODEV until committed; a committed one with a domain refuses to
uncommit). Failures of the operations are
expected and ignored: the kernel's log is the judge (the tests check it).

Stops after S seconds (default 30) or N operations, whichever comes first,
then closes every port file it opened. Prints "seed N ops M" and writes
the last operations to FILE (default: stdout at the end). The same seed and
--ops M replays the same sequence on a device in the same state.
Exit status: 0, 1 on an unexpected error in this program, 2 on usage.
"""
import argparse
import collections
import errno
import mmap
import os
import random
import struct
import sys
import time

CFS = '/sys/kernel/config/dlb'
NAMES = ('a', 'b', 'c')
OFF_CQ = 0x10000000
BOUNDARY = ('0', '1', '2', '-1', '3', '4', '7', '8', '15', '16', '31', '32',
            '63', '64', '65', '127', '128', '255', '256', '511', '512',
            '1023', '1024', '2047', '2048', '2049', '4095', '4096', '4097',
            '8191', '8192', '8193', '65535', '65536', '2147483647',
            '2147483648', '4294967295', '4294967296',
            '18446744073709551615', '18446744073709551616', '-2147483648',
            'atomic', 'ordered', 'unordered', 'dir', 'ldb', 'directed',
            '', ' ', '1 ', ' 1', '+1', '0x10', '010', '1\n\n', 'garbage',
            'stage 0', 'q 7', 'a 0', 'b 8', 'c -1', 'x' * 300)

# A vdev quota that commits while the parent has room.
VDEV_QUOTA = (('num_sched_domains', '1'), ('num_ldb_queues', '2'),
              ('num_ldb_ports', '2'), ('num_dir_ports', '1'),
              ('num_ldb_credits', '256'), ('num_dir_credits', '64'),
              ('num_hist_list_entries', '64'),
              ('num_atomic_inflights', '64'))


class Fuzzer:
    def __init__(self, seed, dev, keep=60):
        self.rng = random.Random(seed)
        self.dev = dev
        self.doms = f'{CFS}/{dev}/domains'
        self.files = {}     # path -> fd
        self.maps = []      # (path, mmap)
        self.last = collections.deque(maxlen=keep)
        self.ops = 0
        self.errors = collections.Counter()

    # What exists now, read from the tree: the tree is the truth.
    def ls(self, path):
        try:
            return sorted(os.listdir(path))
        except OSError:
            return []

    def domains(self):
        return [f'{self.doms}/{d}' for d in self.ls(self.doms)]

    def children(self, kind):
        return [f'{d}/{kind}/{c}' for d in self.domains()
                for c in self.ls(f'{d}/{kind}')]

    def attrs(self):
        out = []
        dirs = ([f'{CFS}/{self.dev}'] + self.domains() +
                self.children('queues') + self.children('ports'))
        for d in dirs:
            for f in self.ls(d):
                p = f'{d}/{f}'
                try:
                    st = os.lstat(p)
                except OSError:
                    continue
                if (st.st_mode & 0o200) and not os.path.isdir(p) \
                        and not os.path.islink(p):
                    out.append(p)
        return out

    def vdevs(self):
        base = f'{CFS}/{self.dev}/vdevs'
        return [f'{base}/{v}' for v in self.ls(base)]

    def port_files(self):
        base = f'/dev/dlb/{self.dev}'
        return [f'{base}/{d}/{p}' for d in self.ls(base)
                for p in self.ls(f'{base}/{d}')]

    def pick(self, seq):
        return self.rng.choice(seq) if seq else None

    def log(self, what):
        self.ops += 1
        self.last.append(f'{self.ops}: {what}')

    def attempt(self, what, fn, *args):
        self.log(what)
        try:
            fn(*args)
            self.last[-1] += ' -> ok'
        except OSError as e:
            self.errors[errno.errorcode.get(e.errno, str(e.errno))] += 1
            self.last[-1] += f' -> {errno.errorcode.get(e.errno, e.errno)}'

    # Operations: each draws what it needs from self.rng.
    def op_mkdir(self):
        kind = self.rng.choice(('domain', 'domain', 'queue', 'port'))
        name = self.rng.choice(NAMES)
        if kind == 'domain':
            path = f'{self.doms}/{name}'
        else:
            d = self.pick(self.domains())
            if not d:
                return
            path = f'{d}/{kind}s/{name}'
        self.attempt(f'mkdir {path}', os.mkdir, path)

    def op_rmdir(self):
        kind = self.rng.choice(('queues', 'ports', 'domain'))
        seq = self.domains() if kind == 'domain' else self.children(kind)
        path = self.pick(seq)
        if path:
            self.attempt(f'rmdir {path}', os.rmdir, path)

    def write(self, path, value):
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, value.encode())
        finally:
            os.close(fd)

    def op_attr(self):
        path = self.pick(self.attrs())
        if not path:
            return
        r = self.rng.random()
        if r < 0.6:
            v = self.rng.choice(BOUNDARY)
        elif r < 0.9:
            v = str(self.rng.randrange(-10, 1 << self.rng.choice((4, 8, 13,
                                                                 16, 33))))
        else:
            v = bytes(self.rng.randrange(1, 256) for _ in
                      range(self.rng.randrange(1, 40))).decode('latin-1')
        if self.rng.random() < 0.7:
            v += '\n'
        self.attempt(f'write {path} {v!r}', self.write, path, v)

    def op_start(self):
        d = self.pick(self.domains())
        if d:
            v = self.rng.choice(('1\n', '1\n', '0\n'))
            self.attempt(f'write {d}/start {v!r}', self.write,
                         f'{d}/start', v)

    def op_link(self):
        port = self.pick(self.children('ports'))
        queue = self.pick(self.children('queues'))
        if port and queue:
            # Mostly inside the port's domain; now and then across.
            if self.rng.random() < 0.8:
                dom = port.rsplit('/ports/', 1)[0]
                queue = self.pick([f'{dom}/queues/{q}' for q in
                                   self.ls(f'{dom}/queues')]) or queue
            link = f'{port}/{os.path.basename(queue)}'
            self.attempt(f'link {link} -> {queue}', os.symlink, queue, link)

    def op_unlink(self):
        links = [f'{p}/{f}' for p in self.children('ports')
                 for f in self.ls(p) if os.path.islink(f'{p}/{f}')]
        link = self.pick(links)
        if link:
            self.attempt(f'unlink {link}', os.unlink, link)

    def op_open(self):
        path = self.pick(self.port_files())
        if path and path not in self.files:
            def do():
                self.files[path] = os.open(path,
                                           os.O_RDWR | os.O_NONBLOCK)
            self.attempt(f'open {path}', do)

    def op_close(self):
        path = self.pick(sorted(self.files))
        if path:
            self.attempt(f'close {path}', os.close, self.files.pop(path))

    def op_mmap(self):
        path = self.pick(sorted(self.files))
        if not path:
            return
        off = self.rng.choice((0, 0, OFF_CQ, OFF_CQ, 4096, OFF_CQ + 4096,
                               1 << 40))
        size = self.rng.choice((4096, 8192, 12288, 16384, 1 << 20))
        prot = self.rng.choice((mmap.PROT_READ,
                                mmap.PROT_READ | mmap.PROT_WRITE))
        flags = self.rng.choice((mmap.MAP_SHARED, mmap.MAP_SHARED,
                                 mmap.MAP_PRIVATE))
        touch = self.rng.randrange(size)
        data = self.rng.randrange(1 << 32)

        def do():
            m = mmap.mmap(self.files[path], size, flags, prot, offset=off)
            self.maps.append((path, m))
            # Touch it: reads anywhere, a write where it was allowed.
            if touch < len(m):
                m[touch]
                if prot & mmap.PROT_WRITE and touch + 4 <= len(m):
                    m[touch:touch + 4] = struct.pack('<I', data)
        self.attempt(f'mmap {path} off {off:#x} size {size} prot {prot} '
                     f'flags {flags} touch {touch} data {data:#x}', do)

    def op_munmap(self):
        if self.maps:
            i = self.rng.randrange(len(self.maps))
            path, m = self.maps.pop(i)
            self.log(f'munmap {path} #{i}')
            m.close()

    def op_qes(self):
        path = self.pick(sorted(self.files))
        if not path:
            return
        n = self.rng.randrange(1, 40)
        buf = bytearray()
        for _ in range(n):
            if self.rng.random() < 0.5:
                buf += self.rng.randbytes(16)
            else:
                # Plausible QEs: small queue ids, real commands.
                buf += struct.pack('<QHBBHBB', self.rng.randrange(1 << 64),
                                   0, self.rng.randrange(4),
                                   self.rng.randrange(4),
                                   self.rng.randrange(1 << 16), 0,
                                   self.rng.choice((0x08, 0x0A, 0x02, 0x00,
                                                    0x01, 0x09, 0xff)))
        if self.rng.random() < 0.1:
            buf = buf[:self.rng.randrange(len(buf) + 1)]
        self.attempt(f'write {path} {len(buf)} bytes {bytes(buf[:32]).hex()}',
                     os.write, self.files[path], bytes(buf))

    def op_read(self):
        path = self.pick(sorted(self.files))
        if path:
            size = self.rng.choice((0, 1, 15, 16, 64, 512, 4096))
            self.attempt(f'read {path} {size}', os.read, self.files[path],
                         size)

    def op_poll_stats(self):
        # Read every port's counters: the show path races the others.
        for d in self.ls('/sys/class/dlb_port'):
            for k in self.ls(f'/sys/class/dlb_port/{d}/stats'):
                try:
                    with open(f'/sys/class/dlb_port/{d}/stats/{k}') as f:
                        f.read()
                except OSError:
                    pass
        self.log('read port stats')

    def op_vdev(self):
        what = self.rng.choice(('mkdir', 'mkdir', 'quota', 'quota', 'commit',
                                'commit', 'uncommit', 'rmdir', 'domain'))
        if what == 'mkdir':
            path = f'{CFS}/{self.dev}/vdevs/v{self.rng.choice(NAMES)}'
            self.attempt(f'mkdir {path}', os.mkdir, path)
            return
        v = self.pick(self.vdevs())
        if not v:
            return
        if what == 'quota' and self.rng.random() < 0.5:
            for name, val in VDEV_QUOTA:
                self.attempt(f'write {v}/{name} {val!r}', self.write,
                             f'{v}/{name}', val + '\n')
        elif what == 'quota':
            name = self.pick([f for f in self.ls(v) if f.startswith('num_')])
            if name:
                val = self.rng.choice(BOUNDARY) + '\n'
                self.attempt(f'write {v}/{name} {val!r}', self.write,
                             f'{v}/{name}', val)
        elif what in ('commit', 'uncommit'):
            val = '1\n' if what == 'commit' else '0\n'
            self.attempt(f'write {v}/commit {val!r}', self.write,
                         f'{v}/commit', val)
        elif what == 'rmdir':
            self.attempt(f'rmdir {v}', os.rmdir, v)
        else:
            # committed or not: mkdir fails with ENODEV until commit
            path = f'{v}/domains/{self.rng.choice(NAMES)}'
            if os.path.isdir(path):
                self.attempt(f'rmdir {path}', os.rmdir, path)
            else:
                self.attempt(f'mkdir {path}', os.mkdir, path)

    OPS = ((op_mkdir, 12), (op_rmdir, 5), (op_attr, 25), (op_start, 8),
           (op_link, 10), (op_unlink, 5), (op_open, 8), (op_close, 4),
           (op_mmap, 6), (op_munmap, 3), (op_qes, 10), (op_read, 5),
           (op_poll_stats, 1), (op_vdev, 6))

    def step(self):
        fns, weights = zip(*self.OPS)
        self.rng.choices(fns, weights)[0](self)

    def close_all(self):
        for path, m in self.maps:
            m.close()
        self.maps = []
        for fd in self.files.values():
            os.close(fd)
        self.files = {}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seed', type=int, default=None)
    ap.add_argument('--seconds', type=float, default=30)
    ap.add_argument('--ops', type=int, default=None)
    ap.add_argument('--dev', default='dlb0')
    ap.add_argument('--log', default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int(time.time())
    print(f'seed {seed}', flush=True)
    fz = Fuzzer(seed, a.dev)
    t0 = time.time()
    status = 0
    try:
        while time.time() - t0 < a.seconds and \
                (a.ops is None or fz.ops < a.ops):
            fz.step()
    except Exception as e:  # pylint: disable=broad-except
        print(f'unexpected {type(e).__name__}: {e}')
        status = 1
    finally:
        fz.close_all()
    last = '\n'.join(fz.last)
    if a.log:
        with open(a.log, 'w') as f:
            f.write(last + '\n')
    else:
        print(last)
    errs = ' '.join(f'{k}={v}' for k, v in fz.errors.most_common())
    print(f'seed {seed} ops {fz.ops} seconds {time.time() - t0:.1f} '
          f'errors {errs}')
    print(f'replay: {sys.argv[0]} --seed {seed} --ops {fz.ops}')
    return status


if __name__ == '__main__':
    sys.exit(main())
