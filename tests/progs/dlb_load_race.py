#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dlb_load_race.py - act on each device the moment its add event comes.

    dlb_load_race.py DEVICES SECONDS

Run before the module is loaded with sw_devices=DEVICES; prints "ready"
once it listens. It listens to the kernel's uevents as udev does, and for
each "add" of a dlb device, at once, as a udev rule or dlbcfg.service would
at boot: checks that the device's configfs group
(/sys/kernel/config/dlb/dlbN/domains) and the backend's sysfs attribute
(sched_cpu) are there, then makes domain "race" and starts it. A device
must be complete when it is announced: everything present, and the start
succeeds.

Prints one line per device; exit status 0 if all DEVICES came within
SECONDS and passed, 1 otherwise.
"""

import os
import select
import socket
import sys
import time

from dlb_race import write

CONFIGFS = "/sys/kernel/config/dlb"
SYSFS = "/sys/class/dlb"
NETLINK_KOBJECT_UEVENT = 15


def check(name):
    """Look at device NAME and start a domain on it; (ok, line)."""
    doms = f"{CONFIGFS}/{name}/domains"
    # Looked at first, before anything below takes time.
    configfs = os.path.isdir(doms)
    attrs = os.path.exists(f"{SYSFS}/{name}/sched_cpu")
    try:
        os.mkdir(f"{doms}/race")
        write(f"{doms}/race/start", b"1")
        started = "started"
    except OSError as e:
        started = f"start failed: {os.strerror(e.errno)}"
    ok = configfs and attrs and started == "started"
    return ok, (f"{name}: {'ok' if ok else 'FAIL'}: at its add event "
                f"configfs group {'present' if configfs else 'missing'}, "
                f"sched_cpu {'present' if attrs else 'missing'}; {started}")


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    devices, seconds = int(argv[1]), float(argv[2])
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM,
                         NETLINK_KOBJECT_UEVENT)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    sock.bind((0, 1))
    print("ready", flush=True)
    end = time.monotonic() + seconds
    seen = set()
    bad = 0
    while len(seen) < devices:
        left = end - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            print(f"only {len(seen)} of {devices} devices came in "
                  f"{seconds} s")
            return 1
        msg = sock.recv(65536).split(b"\0")
        action, _, path = msg[0].decode().partition("@")
        subsystem = [f for f in msg if f.startswith(b"SUBSYSTEM=")]
        if action != "add" or subsystem != [b"SUBSYSTEM=dlb"]:
            continue
        name = os.path.basename(path)
        ok, line = check(name)
        seen.add(name)
        bad += not ok
        print(line, flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
