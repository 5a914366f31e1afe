"""The logic layer stays free of the UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "tui" / "hzpolicy" / "core"


def test_core_imports_neither_textual_nor_rich():
    modules = sorted(p.stem for p in CORE.glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import hzpolicy.core.{m}\n" for m in modules)
        + "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        + "print(','.join(bad))\n"
        + "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, f"core imported: {proc.stdout} {proc.stderr}"
    assert len(modules) >= 8


def test_only_the_document_store_imports_tinydb():
    """The document's store is TinyDB (store.py); the user's own data is SQLite (userdata.py)."""
    users = {
        p.name
        for p in CORE.glob("*.py")
        if "import tinydb" in p.read_text(encoding="utf-8") or "from tinydb" in p.read_text(encoding="utf-8")
    }
    assert users == {"store.py"}
