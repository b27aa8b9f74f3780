#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dlb_stress.py - bounded stress of a started example pipeline.

  dlb_stress.py PORTDIR CFSDIR SECONDS [KILL_PERIOD [rw|mmap]]

PORTDIR is the pipeline's /dev/dlb/<dev>/<domain>, CFSDIR its configfs
directory. For SECONDS, this process feeds rx and drains tx; the workers
w0 and w1 run in child processes that forward stage1 to stage2 and stage2
to egress. Every port is used through read() and write() (rw, the
default) or through its mmap'd producer ring and CQ by libdlbk (mmap), so a killed
worker dies with its rings mapped and events in its CQ; another child removes and remakes the
workers' links on the running domain, one at a time; and every
KILL_PERIOD seconds (default 1.5) one worker is killed with SIGKILL and
restarted. Then the links are restored, killing stops and the events in
flight drain. Prints one line of figures and exits 0 when every event sent
came out exactly once, 1 otherwise.
"""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import dlb_port as dp  # noqa: E402

LINKS = (('w0', 'stage1'), ('w1', 'stage1'), ('w0', 'stage2'),
         ('w1', 'stage2'))


def worker(portdir, name, use_mmap):
    """A worker process: forward forever; it dies by a signal."""
    while True:
        try:
            w = dp.port(f'{portdir}/{name}', use_mmap)
            break
        except OSError:
            # The killed predecessor's file may still be closing.
            time.sleep(0.01)
    pending = []
    while True:
        dp.worker_step(w, pending)
        if not pending:
            time.sleep(0.0005)


def spawn(fn, *args):
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            fn(*args)
        finally:
            os._exit(0)
    return pid


def link_path(cfs, p, q):
    return f'{cfs}/ports/{p}/{q}', f'{cfs}/queues/{q}'


def linker(cfs, stats_fd):
    """Unlink and relink one worker link at a time until SIGTERM."""
    done = {'stop': False}

    def stop(*_):
        done['stop'] = True
    signal.signal(signal.SIGTERM, stop)
    changes = errors = i = 0
    while not done['stop']:
        p, q = LINKS[i % len(LINKS)]
        i += 1
        link, target = link_path(cfs, p, q)
        try:
            os.unlink(link)
            changes += 1
        except OSError:
            errors += 1
        time.sleep(0.02)
        # Whatever happened above, the link must be back before the next.
        for _ in range(500):
            try:
                os.symlink(target, link)
                changes += 1
                break
            except FileExistsError:
                break
            except OSError:
                errors += 1
                time.sleep(0.01)
        time.sleep(0.02)
    os.write(stats_fd, b'%d %d\n' % (changes, errors))


def main(argv):
    if len(argv) not in (4, 5, 6) or argv[5:] not in ([], ['rw'], ['mmap']):
        print(__doc__, file=sys.stderr)
        return 2
    portdir, cfs, seconds = argv[1], argv[2], float(argv[3])
    period = float(argv[4]) if len(argv) >= 5 else 1.5
    use_mmap = argv[5:] == ['mmap']
    workers = {n: spawn(worker, portdir, n, use_mmap) for n in ('w0', 'w1')}
    r, w = os.pipe()
    link_pid = spawn(linker, cfs, w)
    os.close(w)
    rx = dp.port(portdir + '/rx', use_mmap)
    tx = dp.port(portdir + '/tx', use_mmap)
    sent = kills = dups = 0
    seen = set()
    t0 = time.time()
    next_kill = t0 + period
    draining = False
    while True:
        now = time.time()
        if not draining and now - t0 >= seconds:
            draining = True
            os.kill(link_pid, signal.SIGTERM)
            os.waitpid(link_pid, 0)
            drain_start = now
        if draining and (len(seen) == sent or now - drain_start > 30):
            break
        if not draining and sent - len(seen) < dp.WINDOW:
            k = min(32, dp.WINDOW - (sent - len(seen)))
            sent += rx.enqueue([dp.qe(dp.NEW, dp.ATOMIC, 0, i % 16, i)
                                for i in range(sent, sent + k)])
        for e in tx.dequeue():
            if e[0] in seen:
                dups += 1
            seen.add(e[0])
        if not draining and now >= next_kill:
            victim = 'w0' if kills % 2 == 0 else 'w1'
            os.kill(workers[victim], signal.SIGKILL)
            os.waitpid(workers[victim], 0)
            workers[victim] = spawn(worker, portdir, victim, use_mmap)
            kills += 1
            next_kill = now + period
        time.sleep(0.0002)
    links, link_errors = os.read(r, 64).split()
    for pid in workers.values():
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    lost = sent - len(seen)
    print(f'sent {sent} received {len(seen)} lost {lost} duplicates {dups} '
          f'kills {kills} link_changes {int(links)} '
          f'link_errors {int(link_errors)} seconds {time.time() - t0:.1f}')
    if lost or dups or not kills or not int(links):
        dp.dump_state()
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
