#!/usr/bin/env python3
"""Generate the policy store from the source document (same as `hzpolicy-tui build`).

    python scripts/build_db.py [SOURCE] [-o STORE]

Defaults: data/hangzhou-2024-policies.zh-Hant.txt -> data/hangzhou-2024.json, the committed
store, which it replaces (``hzpolicy-tui build`` without ``-o`` writes to the current folder
instead, and replaces a file only with ``--force``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tui"))

from hzpolicy.__main__ import run

DATA = Path(__file__).resolve().parent.parent / "data"

if __name__ == "__main__":
    args = sys.argv[1:]
    if not {"-o", "--output"} & set(args):
        args += ["-o", str(DATA / "hangzhou-2024.json"), "--force"]
    sys.exit(run(["build", *args]))
