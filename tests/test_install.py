"""The wheel, installed into a fresh virtual environment, works on its own."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .conftest import STORE


def _cli(installed, *args, cwd):
    return subprocess.run([str(installed / "hzpolicy-tui"), *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_installed_command_runs_offline_from_anywhere(installed, tmp_path):
    version = _cli(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("hzpolicy-tui 0.")
    listed = _cli(installed, "list", "--json", cwd=tmp_path)
    assert listed.returncode == 0
    assert sum(len(d["clauses"]) for d in json.loads(listed.stdout)["domains"]) == 76
    shown = _cli(installed, "show", "十四", cwd=tmp_path)
    assert shown.returncode == 0 and "更大力度實施企業研發投入補助政策" in shown.stdout
    found = _cli(installed, "search", "高质量发展", "--json", cwd=tmp_path)
    assert found.returncode == 0 and json.loads(found.stdout)["total"] > 10
    # the thesaurus ships in the package: 补贴 finds the clause that pays talent 补助
    found = _cli(installed, "search", "人才补贴", "--json", cwd=tmp_path)
    first = json.loads(found.stdout)["results"][0]
    assert found.returncode == 0 and first["clause"] == 19 and first["via"] == [{"typed": "补贴", "found": "補助"}]


def test_installed_package_ships_its_store(installed, tmp_path):
    where = subprocess.run(
        [str(installed / "python"), "-c", "from hzpolicy.core.paths import default_store as d; print(d())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout.strip()
    assert "site-packages" in where
    assert Path(where).read_bytes() == STORE.read_bytes()


def test_python_dash_m_and_bad_store(installed, tmp_path):
    proc = subprocess.run(
        [str(installed / "python"), "-m", "hzpolicy", "show", "1"], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 0 and "(一)" in proc.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"meta": ', encoding="utf-8")
    proc = _cli(installed, "--store", str(bad), cwd=tmp_path)
    # Not a store at all: the path is questioned, no rebuild over it is suggested.
    assert proc.returncode == 2 and "不是 hzpolicy-tui 的資料庫" in proc.stderr and "Traceback" not in proc.stderr


def test_installed_build_uses_the_shipped_source(installed, tmp_path):
    proc = _cli(installed, "build", "-o", str(tmp_path / "s.json"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "s.json").read_bytes() == STORE.read_bytes()
    assert "thesaurus" not in proc.stderr and "詞庫" not in proc.stderr  # every group has a word in it
