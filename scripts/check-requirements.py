#!/usr/bin/env python3
"""Exit 0 when every pinned `name==version` line of a requirements file is installed at that version, else 1."""
import re
import sys
from importlib import metadata

missing = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?==(\S+)", line)
    if not m:
        sys.exit(f"{sys.argv[1]}: not a pinned requirement: {line}")
    name, version = m.group(1), m.group(3)
    try:
        have = metadata.version(name)
    except metadata.PackageNotFoundError:
        missing.append(f"{name} (missing)")
        continue
    if have != version:
        missing.append(f"{name} {have} != {version}")
for item in missing:
    print(item)
sys.exit(1 if missing else 0)
