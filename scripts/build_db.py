#!/usr/bin/env python3
"""Generate the policy store from the source document (same as `hzpolicy-tui build`).

    python scripts/build_db.py [SOURCE] [-o STORE]

Defaults: data/hangzhou-2024-policies.zh-Hant.txt -> data/hangzhou-2024.json
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tui"))

from hzpolicy.__main__ import run

if __name__ == "__main__":
    sys.exit(run(["build", *sys.argv[1:]]))
