#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dlb_schema.py - read configfs-schema/dlb.schema (libconfig syntax).

    dlb_schema.py doc [SCHEMA]    print the reference page (Markdown)
    dlb_schema.py tsv [SCHEMA]    print one line per attribute:
                                  group mode type min max values default frozen
                                  name (tab-separated; values comma-separated)
    dlb_schema.py check [SCHEMA]  parse and check the schema's own rules

A small parser for the subset of libconfig the schema uses (groups, lists,
arrays, strings, integers, booleans, comments), so the tests need nothing
but python3's standard library; tests/host/configfs-schema.bats checks that
libconfig itself reads the file the same way. Exit status: 0, 1 on a bad
schema (with FILE:LINE), 2 on bad usage.
"""

import os
import re
import sys

DEFAULT_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "..", "configfs-schema", "dlb.schema")

TOKEN = re.compile(r"""
    (?P<ws>\s+) |
    (?P<comment>\#[^\n]*|//[^\n]*|/\*.*?\*/) |
    (?P<string>"(?:[^"\\]|\\.)*") |
    (?P<int>[-+]?(?:0[xX][0-9a-fA-F]+|[0-9]+)) |
    (?P<name>[A-Za-z*][-A-Za-z0-9_*]*) |
    (?P<punct>[=:;,(){}\[\]])
""", re.VERBOSE | re.DOTALL)


class SchemaError(Exception):
    """A schema problem, with the line it is on."""

    def __init__(self, path, line, msg):
        super().__init__(f"{path}:{line}: {msg}")


class Parser:
    """Recursive descent over libconfig's grammar; settings become dicts."""

    def __init__(self, text, path):
        self.path = path
        self.toks = []
        pos, line = 0, 1
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m:
                raise SchemaError(path, line, f"unexpected {text[pos]!r}")
            kind = m.lastgroup
            if kind not in ("ws", "comment"):
                self.toks.append((kind, m.group(), line))
            line += m.group().count("\n")
            pos = m.end()
        self.toks.append(("eof", "", line))
        self.i = 0

    def peek(self):
        return self.toks[self.i]

    def take(self, value=None, kind=None):
        tok = self.toks[self.i]
        if (value is not None and tok[1] != value) or \
           (kind is not None and tok[0] != kind):
            want = value or kind
            raise SchemaError(self.path, tok[2],
                              f"expected {want}, got {tok[1] or 'end'!r}")
        self.i += 1
        return tok

    def settings(self, end):
        out = {}
        while self.peek()[0] != end and self.peek()[1] != end:
            _, name, line = self.take(kind="name")
            if name in out:
                raise SchemaError(self.path, line, f"duplicate {name}")
            if self.peek()[1] not in ("=", ":"):
                self.take("=")
            self.i += 1
            out[name] = self.value()
            if self.peek()[1] in (";", ","):
                self.i += 1
        return out

    def value(self):
        kind, text, line = self.peek()
        if text == "{":
            self.i += 1
            val = self.settings("}")
            self.take("}")
            return val
        if text in ("(", "["):
            close = ")" if text == "(" else "]"
            self.i += 1
            items = []
            while self.peek()[1] != close:
                items.append(self.value())
                if self.peek()[1] == ",":
                    self.i += 1
                elif self.peek()[1] != close:
                    self.take(close)
            self.i += 1
            return items
        if kind == "string":
            parts = []
            while self.peek()[0] == "string":  # adjacent strings join
                raw = self.take()[1][1:-1]
                parts.append(re.sub(r'\\(.)', lambda m: {
                    "n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), raw))
            return "".join(parts)
        if kind == "int":
            self.i += 1
            return int(text, 0)
        if kind == "name" and text.lower() in ("true", "false"):
            self.i += 1
            return text.lower() == "true"
        raise SchemaError(self.path, line, f"unexpected {text!r}")


def load(path=DEFAULT_SCHEMA):
    """Parse the schema and check its rules; return the top-level dict."""
    with open(path, encoding="utf-8") as f:
        p = Parser(f.read(), path)
    top = p.settings("eof")
    p.take(kind="eof")
    check(top, path)
    return top


def check(top, path):
    """The schema's own rules: fields present and consistent."""
    def bad(msg):
        raise SchemaError(path, 0, msg)

    for n in top.get("notes", []):
        if "title" not in n or "text" not in n:
            bad("a note needs a title and a text")
    names = set()
    for g in top.get("groups", []):
        for key in ("name", "path", "made_by", "subdirs", "doc",
                    "attributes"):
            if key not in g:
                bad(f"group {g.get('name', '?')}: no {key}")
        names.add(g["name"])
        for a in g["attributes"]:
            where = f"{g['name']}/{a.get('name', '?')}"
            for key in ("name", "mode", "type", "default", "frozen", "doc"):
                if key not in a:
                    bad(f"{where}: no {key}")
            if a["mode"] not in ("0644", "0444", "0200"):
                bad(f"{where}: mode {a['mode']}")
            if (a["mode"] == "0200") != (a["type"] == "action"):
                bad(f"{where}: write-only exactly when an action")
            if a["type"] == "u32" and a["mode"] == "0644" and \
               ("min" not in a or "max" not in a):
                bad(f"{where}: writable u32 needs min and max")
            if a["type"] == "enum" and a["default"] not in a["values"]:
                bad(f"{where}: default not among values")
    for g in top["groups"]:
        for sub in g["subdirs"]:
            if sub not in names:
                bad(f"group {g['name']}: unknown subdir {sub}")


def tsv(top):
    for g in top["groups"]:
        for a in g["attributes"]:
            vals = ",".join(str(v) for v in a.get("values", []))
            print("\t".join([g["name"], a["mode"], a["type"],
                             str(a.get("min", "")), str(a.get("max", "")),
                             vals, a["default"],
                             "1" if a["frozen"] else "0", a["name"]]))


def allowed(a):
    if a["type"] == "enum":
        return " \\| ".join(f"`{v}`" for v in a["values"])
    if a["type"] == "u32" and "values" in a:
        return ", ".join(str(v) for v in a["values"])
    if a["type"] == "u32" and "min" in a:
        return f"{a['min']}-{a['max']}"
    return {"uid": "uid", "gid": "gid", "start": "`0`, `1`, `1 <gen>`",
            "links": "`<queue> <0-7>`", "action": "`1`",
            "commit": "`0`, `1`"}.get(a["type"], "")


def doc(top):
    out = ["# dlb configfs reference", "",
           "Generated from `configfs-schema/dlb.schema` by",
           "`scripts/dlb_schema.py doc`; do not edit.", "",
           "Paths are under `/sys/kernel/config/`. Writes take what `echo`",
           "writes (one trailing newline); anything else fails with EINVAL,",
           "a number outside the range with ERANGE, and changes nothing.",
           "*Frozen* attributes fail with EBUSY while the domain is started.",
           ""]
    for n in top.get("notes", []):
        out += [f"## {n['title']}", "", n["text"], ""]
    for g in top["groups"]:
        out += [f"## {g['name']}: `{g['path']}/`", "", g["doc"], ""]
        how = {"device": "Appears with the device.",
               "default": "Appears with its parent.",
               "mkdir": "Made by `mkdir`, removed by `rmdir`."}
        out += [how[g["made_by"]]]
        if g["subdirs"]:
            out[-1] += " Holds " + ", ".join(f"`{s}/`" for s in
                                             g["subdirs"]) + "."
        out.append("")
        if "links" in g:
            ln = g["links"]
            out += [f"Links: up to {ln['max']} symlinks to a "
                    f"{ln['target']}. {ln['doc']}", ""]
        if not g["attributes"]:
            continue
        out += ["| attribute | mode | type | allowed | default | frozen | "
                "description |",
                "|---|---|---|---|---|---|---|"]
        for a in g["attributes"]:
            default = f"`{a['default']}`" if a["default"] else "(empty)"
            if a["type"] == "action":
                default = "(write-only)"
            desc = a["doc"].replace("|", "\\|")
            out.append(f"| `{a['name']}` | {a['mode']} | {a['type']} | "
                       f"{allowed(a)} | {default} | "
                       f"{'yes' if a['frozen'] else 'no'} | {desc} |")
        out.append("")
    print("\n".join(out).rstrip("\n"))


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stdout
              if len(argv) >= 2 else sys.stderr)
        return 0 if len(argv) >= 2 else 2
    cmd = argv[1]
    path = argv[2] if len(argv) > 2 else DEFAULT_SCHEMA
    if cmd not in ("doc", "tsv", "check"):
        print(f"dlb_schema.py: unknown command {cmd}", file=sys.stderr)
        return 2
    try:
        top = load(path)
    except (OSError, SchemaError) as e:
        print(f"dlb_schema.py: {e}", file=sys.stderr)
        return 1
    if cmd == "doc":
        doc(top)
    elif cmd == "tsv":
        tsv(top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
