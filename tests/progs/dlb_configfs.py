#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dlb_configfs.py - schema-driven checks of the live configfs tree.

    dlb_configfs.py schema DEV   walk a fresh domain, queue and port of DEV
                                 and compare them with the schema both ways
    dlb_configfs.py fuzz DEV     write every bad input class to every
                                 writable attribute; each must fail with its
                                 errno and change neither value nor generation
    dlb_configfs.py frozen DEV   on a started domain, every frozen attribute
                                 refuses a valid value with EBUSY

DEV is a device's configfs directory, e.g. /sys/kernel/config/dlb/dlb0. Each
command makes domain "schemachk" (queue q, port p, linked), removes it at the
end, and prints one line per problem. Exit status: 0 if none, 1 otherwise.
Runs inside the test VM as root, from the repository.
"""

import errno
import os
import stat
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "scripts"))
import dlb_schema  # noqa: E402

DOMAIN = "schemachk"
problems = []


def problem(msg):
    problems.append(msg)
    print(f"FAIL {msg}")


def read(path):
    with open(path, encoding="ascii") as f:
        return f.read()


def write(path, data):
    """Write bytes in one write(); return 0 or the errno."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as e:
        return e.errno
    try:
        os.write(fd, data)
        return 0
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)


class Tree:
    """A domain with one queue and one port linking it, removed on exit."""

    def __init__(self, dev):
        self.dev = dev
        self.domain = os.path.join(dev, "domains", DOMAIN)
        self.queue = os.path.join(self.domain, "queues", "q")
        self.port = os.path.join(self.domain, "ports", "p")
        self.link = os.path.join(self.port, "q")

    def make(self, children=True):
        os.mkdir(self.domain)
        if children:
            os.mkdir(self.queue)
            os.mkdir(self.port)
            os.symlink(self.queue, self.link)
        return self

    def path(self, group):
        return {"domain": self.domain, "queue": self.queue,
                "port": self.port}[group]

    def remove(self):
        if not os.path.isdir(self.domain):
            return
        write(os.path.join(self.domain, "start"), b"0\n")
        if os.path.islink(self.link):
            os.unlink(self.link)
        for d in (self.port, self.queue, self.domain):
            if os.path.isdir(d):
                os.rmdir(d)


def schema_groups():
    return {g["name"]: g for g in dlb_schema.load()["groups"]}


def live_entries(path):
    files, dirs = {}, set()
    for name in os.listdir(path):
        full = os.path.join(path, name)
        st = os.lstat(full)
        if stat.S_ISLNK(st.st_mode):
            continue
        if stat.S_ISDIR(st.st_mode):
            dirs.add(name)
        else:
            files[name] = "0%o" % stat.S_IMODE(st.st_mode)
    return files, dirs


def compare(kind, path, group, user_dirs=()):
    files, dirs = live_entries(path)
    want = {a["name"]: a for a in group["attributes"]}
    for name in sorted(set(files) - set(want)):
        problem(f"{kind}: {name}: in the tree, not in the schema")
    for name in sorted(set(want) - set(files)):
        problem(f"{kind}: {name}: in the schema, not in the tree")
    for name in sorted(set(files) & set(want)):
        a = want[name]
        if files[name] != a["mode"]:
            problem(f"{kind}: {name}: mode {files[name]}, schema {a['mode']}")
        if a["mode"] == "0200":
            continue  # write-only: nothing to read
        val = read(os.path.join(path, name)).rstrip("\n")
        if val != a["default"]:
            problem(f"{kind}: {name}: reads {val!r}, default {a['default']!r}")
    subdirs = dirs - set(user_dirs)
    if subdirs != set(group["subdirs"]):
        problem(f"{kind}: subdirectories {sorted(subdirs)}, "
                f"schema {sorted(group['subdirs'])}")


def cmd_schema(dev):
    groups = schema_groups()
    tree = Tree(dev)
    try:
        compare("device", dev, groups["device"])
        compare("domains", os.path.join(dev, "domains"), groups["domains"],
                os.listdir(os.path.join(dev, "domains")))
        tree.make(children=False)
        # Before any child: a new domain's generation is its default too.
        compare("domain", tree.domain, groups["domain"])
        os.mkdir(tree.queue)
        os.mkdir(tree.port)
        compare("queues", os.path.dirname(tree.queue), groups["queues"],
                ["q"])
        compare("ports", os.path.dirname(tree.port), groups["ports"], ["p"])
        compare("queue", tree.queue, groups["queue"])
        compare("port", tree.port, groups["port"])
        vdevs = os.path.join(dev, "vdevs")
        compare("vdevs", vdevs, groups["vdevs"], os.listdir(vdevs))
        vdev = os.path.join(vdevs, "schema-vdev")
        os.mkdir(vdev)
        try:
            compare("vdev", vdev, groups["vdev"])
        finally:
            os.rmdir(vdev)
        seen = sum(len(g["attributes"]) for g in groups.values())
        print(f"checked {seen} attributes in {len(groups)} groups")
    finally:
        tree.remove()


U32_OVER = [b"4294967296\n", b"18446744073709551616\n"]
WS = [b" %s\n", b"%s \n", b"\t%s\n", b"%s\n\n", b"%s\r\n", b"%s\t",
      b"%s\n "]


def bad_inputs(a, good):
    """(input, expected errno) pairs for attribute @a; @good is valid."""
    t = a["type"]
    g = good.encode()
    cases = [(b"\n", errno.EINVAL), (b"garbage\n", errno.EINVAL),
             (b"-1\n", errno.EINVAL), (b"x" * 5000, errno.EINVAL)]
    cases += [(w % g, errno.EINVAL) for w in WS]
    if t in ("u32", "uid", "gid"):
        cases += [(v, errno.ERANGE) for v in U32_OVER]
        cases += [(b"1" * 5000, errno.ERANGE), (b"+1\n", errno.EINVAL),
                  (b"0x10\n", errno.EINVAL), (b"1.0\n", errno.EINVAL)]
    if t == "u32":
        cases.append((b"%d\n" % (a["max"] + 1), errno.ERANGE))
        if a["min"] > 0:
            cases.append((b"%d\n" % (a["min"] - 1), errno.ERANGE))
        vals = a.get("values")
        if vals:
            for n in range(a["min"], a["max"] + 1):
                if n not in vals:
                    cases.append((b"%d\n" % n, errno.EINVAL))
                    break
    if t in ("uid", "gid"):
        cases.append((b"4294967295\n", errno.EINVAL))  # (uid_t)-1
    if t == "enum":
        cases += [(v.upper().encode() + b"\n", errno.EINVAL)
                  for v in a["values"] if v.upper() != v]
        cases += [(a["values"][0].encode() + b"x\n", errno.EINVAL),
                  (U32_OVER[0], errno.EINVAL)]
    if t == "start":
        cases += [(b"2\n", errno.EINVAL), (b"10\n", errno.EINVAL),
                  (b"1 \n", errno.EINVAL), (b"1 abc\n", errno.EINVAL),
                  (b"1 -1\n", errno.EINVAL), (b"0 0\n", errno.EINVAL),
                  (b"1  0\n", errno.EINVAL), (b"1 0 \n", errno.EINVAL),
                  (b"1 18446744073709551616\n", errno.ERANGE),
                  (U32_OVER[0], errno.EINVAL)]
    if t == "action":
        cases += [(b"0\n", errno.EINVAL), (b"2\n", errno.EINVAL),
                  (b"11\n", errno.EINVAL), (b"1 1\n", errno.EINVAL),
                  (b"1\n\n", errno.EINVAL)]
    if t == "links":
        cases = [(b"\n", errno.EINVAL), (b"garbage\n", errno.EINVAL),
                 (b"x" * 5000, errno.EINVAL), (b"q\n", errno.EINVAL),
                 (b"q 8\n", errno.ERANGE), (b"q -1\n", errno.EINVAL),
                 (b"q 4294967296\n", errno.ERANGE),
                 (b"q 18446744073709551616\n", errno.ERANGE),
                 (b"nosuch 1\n", errno.ENOENT), (b"Q 1\n", errno.EINVAL),
                 (b" q 1\n", errno.EINVAL), (b"q  1\n", errno.EINVAL),
                 (b"q 1 \n", errno.EINVAL), (b"q 1\n\n", errno.EINVAL),
                 (b"q\t1\n", errno.EINVAL), (b"q 1" + b" " * 5000,
                                             errno.EINVAL)]
    return cases


def good_value(a, other=False):
    """A valid value: the default, or with @other one that differs."""
    t, d = a["type"], a["default"]
    if t == "enum":
        return next(v for v in a["values"] if v != d) if other else d
    if t in ("uid", "gid"):
        return "1000" if other else d
    if t == "u32":
        if not other:
            return d
        vals = a.get("values") or [a["min"], a["max"]]
        return str(next(v for v in vals if str(v) != d))
    if t == "links":
        return "q 1" if other else "q 4"
    return d


def writable(groups):
    for kind in ("domain", "queue", "port"):
        for a in groups[kind]["attributes"]:
            yield kind, a


def name(path):
    return path.split("/domains/", 1)[1]


def cmd_fuzz(dev):
    groups = schema_groups()
    tree = Tree(dev).make()
    gen_path = os.path.join(tree.domain, "generation")
    n_attrs = n_cases = 0
    try:
        for kind, a in writable(groups):
            path = os.path.join(tree.path(kind), a["name"])
            if a["mode"] == "0444":
                n_attrs += 1
                err = write(path, b"1\n")
                if err != errno.EACCES:
                    problem(f"{name(path)}: write to read-only gave "
                            f"{errno.errorcode.get(err, err)}")
                continue
            n_attrs += 1
            wo = a["mode"] == "0200"
            for data, want in bad_inputs(a, "1" if wo else good_value(a)):
                n_cases += 1
                before = "" if wo else read(path)
                gen = read(gen_path)
                err = write(path, data)
                after = "" if wo else read(path)
                gen2 = read(gen_path)
                shown = data if len(data) < 40 else data[:20] + b"..."
                if err != want:
                    problem(f"{name(path)}: {shown!r}: "
                            f"{errno.errorcode.get(err, err)}, want "
                            f"{errno.errorcode[want]}")
                if after != before or gen2 != gen:
                    problem(f"{name(path)}: {shown!r} changed the value "
                            f"or the generation")
        print(f"fuzzed {n_attrs} attributes with {n_cases} bad inputs")
    finally:
        tree.remove()


def cmd_frozen(dev):
    groups = schema_groups()
    tree = Tree(dev).make()
    n = 0
    try:
        err = write(os.path.join(tree.domain, "start"), b"1\n")
        if err:
            problem(f"cannot start the domain: {errno.errorcode[err]}")
            return
        for kind, a in writable(groups):
            if not a["frozen"]:
                continue
            n += 1
            path = os.path.join(tree.path(kind), a["name"])
            before = read(path)
            val = good_value(a, other=True)
            err = write(path, val.encode() + b"\n")
            if err != errno.EBUSY:
                problem(f"{name(path)}: {val} while started: "
                        f"{errno.errorcode.get(err, err)}, want EBUSY")
            if read(path) != before:
                problem(f"{name(path)}: changed while started")
        print(f"checked {n} frozen attributes")
    finally:
        tree.remove()


def main(argv):
    cmds = {"schema": cmd_schema, "fuzz": cmd_fuzz, "frozen": cmd_frozen}
    if len(argv) != 3 or argv[1] not in cmds:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    cmds[argv[1]](argv[2])
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
