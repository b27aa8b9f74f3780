#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dlbk_wait.py - libdlbk's dlbk_port_wait() on a port a forced stop
revoked, driven through the library itself (dlb_port.libdlbk(): ctypes on
tools/build/libdlbk.so), as an application calls it.

  dlbk_wait.py PORT FORCE_STOP
        open PORT with dlbk_port_open(); dlbk_port_wait(port, 0) must find
        nothing (0); write 1 to FORCE_STOP; dlbk_port_wait() with 100 ms and
        with no limit must both fail at once with ENODEV instead of touching
        the unmapped CQ (SIGBUS); dlbk_port_close() must still work.

Prints one line per check ("ok ..." or "FAIL ..."); exits 0 when every
check held, 1 otherwise, 2 on usage errors.
"""
import ctypes
import errno
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from dlb_port import libdlbk  # noqa: E402 pylint: disable=wrong-import-position


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    port_path, force_stop = argv[1], argv[2]
    lib = libdlbk()

    port = lib.dlbk_port_open(port_path.encode())
    if not port:
        print(f'FAIL dlbk_port_open: {os.strerror(ctypes.get_errno())}')
        return 1
    ok = True

    def check(cond, what):
        nonlocal ok
        print(('ok ' if cond else 'FAIL ') + what)
        ok = ok and cond

    check(lib.dlbk_port_wait(port, 0) == 0, 'an empty CQ waits for nothing')
    with open(force_stop, 'w', encoding='ascii') as f:
        f.write('1')
    # A test that regresses would die of SIGBUS here: say so first.
    signal.signal(signal.SIGBUS, signal.SIG_DFL)
    for timeout in (100, -1):
        ctypes.set_errno(0)
        ret = lib.dlbk_port_wait(port, timeout)
        err = ctypes.get_errno()
        check(ret == -1 and err == errno.ENODEV,
              f'dlbk_port_wait({timeout}) on the revoked port: '
              f'{ret} {errno.errorcode.get(err, err)}')
    lib.dlbk_port_close(port)
    check(True, 'dlbk_port_close() of the revoked port returned')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
