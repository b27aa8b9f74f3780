#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""cdi_validate.py SCHEMA_DIR SPEC - check a CDI spec against the CDI JSON
schema (schema.json, which refers to defs.json beside it) and the names
the CDI parser accepts; exit 1 naming each problem, 0 if valid."""
import json
import pathlib
import re
import sys

import jsonschema

# container-device-interface pkg/cdi/qualified-device.go, as documented
KIND = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]/[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]$")
NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9_.:-]*[A-Za-z0-9])?$")
VERSIONS = {"0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.5.0"}


def main():
    sdir = pathlib.Path(sys.argv[1]).resolve()
    schema = json.loads((sdir / "schema.json").read_text())
    spec = json.loads(pathlib.Path(sys.argv[2]).read_text())
    resolver = jsonschema.RefResolver(base_uri=sdir.as_uri() + "/",
                                      referrer=schema)
    errors = [e.message for e in
              jsonschema.Draft7Validator(schema, resolver=resolver)
              .iter_errors(spec)]
    if spec.get("cdiVersion") not in VERSIONS:
        errors.append("cdiVersion %r is not one podman 4.3 knows"
                      % spec.get("cdiVersion"))
    if not KIND.match(spec.get("kind", "")):
        errors.append("kind %r is not vendor/class" % spec.get("kind"))
    for d in spec.get("devices", []):
        if not NAME.match(d.get("name", "")):
            errors.append("device name %r is invalid" % d.get("name"))
        for n in d.get("containerEdits", {}).get("deviceNodes", []):
            if n.get("type") != "c" or "major" not in n:
                errors.append("%s: not a character device node" % n["path"])
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
