"""Agencies, money, budget and targets against the document; bookmarks and notes that
survive a killed writer and a second instance; exports that round-trip."""

from __future__ import annotations

import csv
import io
import json
import os
import selectors
import signal
import subprocess
import sys
import time

import pytest

from hzpolicy.__main__ import run
from hzpolicy.core import export
from hzpolicy.core.insights import agency_index, budget, figure_rows, targets, yi
from hzpolicy.core.userdata import UserData

from .conftest import ROOT


def test_agency_index_counts_and_merges_aliases(doc):
    index = {a.name: a for a in agency_index(doc, doc.agency_aliases)}
    assert index["市財政局"].count == sum(1 for c in doc.clauses if "市財政局" in c.units)
    grid = index["國網杭州供電公司"]
    assert grid.aliases == ("國家電網杭州公司",) and grid.clauses == (5, 60)
    assert "國家電網杭州公司" not in index
    assert index["市投資促進局"].leads == (6,)
    assert index["杭州海關"].clauses != index["錢江海關"].clauses  # not merged: different bodies
    everyone = {u for c in doc.clauses for u in c.units} | {a for d in doc.domains for a in d.lead_agencies}
    assert everyone == {a.name for a in index.values()} | {"國家電網杭州公司"}


def test_money_table_has_every_figure(doc):
    rows = figure_rows(doc)
    assert len(rows) == sum(len(c.money) + len(c.percentages) for c in doc.clauses)
    for r in rows:
        assert doc.clause(r.clause).text[r.start : r.end] == r.text
    usd = [r for r in rows if r.currency == "USD"]
    assert usd and all(r.text.endswith("美元") for r in usd)


def test_budget_sum_and_the_documents_explanation(doc):
    b = budget(doc)
    assert len(b.domains) == 8
    assert [d.yuan for d in b.domains] == sorted((d.yuan for d in b.domains), reverse=True)
    assert yi(b.lines_sum) == "569億元" and yi(b.stated_total) == "490億元" and yi(b.difference) == "79億元"
    assert "除交叉重疊部分外" in b.explanation
    first = b.domains[0]
    assert first.title == "擴大有效投資政策" and sum(line.yuan for line in first.lines) == first.yuan


def test_targets(doc):
    t = targets(doc)
    assert (2, "科技創新政策", "新增高新技術企業2000家") in t
    assert {d for d, _, _ in t} == set(range(1, 9))


def test_bookmarks_and_notes_persist(tmp_path):
    user = UserData(tmp_path / "u.json")
    assert user.set_bookmark(14, True) is None and user.set_note(14, "申報截止前核對研發台賬") is None
    again = UserData(tmp_path / "u.json")
    assert again.bookmarks() == [14] and again.notes() == {14: "申報截止前核對研發台賬"}
    again.set_bookmark(14, False)
    again.set_note(14, "")
    assert UserData(tmp_path / "u.json").bookmarks() == [] and UserData(tmp_path / "u.json").notes() == {}


# One save of a writer: the writer runs it on the real UserData, the test on a model of what
# the file must then hold. Settings and profiles get a new record each; notes overwrite.
SAVE = """
def save(user, round_, n):
    key = f"r{round_}-{n}"
    if n % 3 == 0:
        return user.set(key, n)
    if n % 3 == 1:
        return user.save_profile(key, {"rd_spend": n})
    return user.set_note(n % 70 + 1, key)  # clauses 1..70; the test's own note is on 76
"""

WRITER = (
    """
import sys
tui, path, round_ = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, tui)
from pathlib import Path
from hzpolicy.core.userdata import UserData
"""
    + SAVE
    + """
user = UserData(Path(path))
assert user.warning is None, user.warning
for n in range(1, 1_000_000):
    error = save(user, round_, n)
    assert error is None, error
    print(n, flush=True)  # only once the save has returned
"""
)


class _Model:
    """What UserData must hold: the saves applied to plain dicts."""

    def __init__(self) -> None:
        self.settings: dict[str, object] = {}
        self.profiles: dict[str, dict] = {}
        self.notes: dict[int, str] = {76: "kept"}

    def set(self, key, value):
        self.settings[key] = value

    def save_profile(self, name, facts):
        self.profiles[name] = dict(facts)

    def set_note(self, clause, text):
        self.notes[clause] = text

    def copy(self) -> _Model:
        other = _Model()
        other.settings, other.profiles, other.notes = dict(self.settings), dict(self.profiles), dict(self.notes)
        return other

    def holds(self, user: UserData, keys) -> bool:
        return (
            {k: user.get(k) for k in keys} == {k: self.settings.get(k) for k in keys}
            and {name: user.load_profile(name) for name in user.profile_names()} == self.profiles
            and user.notes() == self.notes
        )


_save_ns: dict = {}
exec(SAVE, _save_ns)
_apply = _save_ns["save"]


def _confirmations(proc, wanted: int, deadline: float) -> list[int]:
    """Read the writer's output until it has confirmed ``wanted`` saves (or fail at the deadline)."""
    out = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while out.count(b"\n") < wanted:
            left = deadline - time.monotonic()
            assert left > 0, f"the writer confirmed {len(out.splitlines())} saves in time, not {wanted}"
            if sel.select(left):
                chunk = os.read(proc.stdout.fileno(), 1 << 16)
                assert chunk, f"the writer stopped: {proc.wait()} {proc.stderr.read().decode()}"
                out += chunk
    return [int(line) for line in out.splitlines()]


def _temporary(folder, path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.startswith(f".{path.name}.") and p.name.endswith(".tmp")}


def test_killing_a_writer_mid_save_loses_nothing_saved_before(tmp_path):
    """Writers are killed (SIGKILL: no clean-up runs) after a different number of confirmed
    saves each. Every save confirmed before the kill is there, the one in flight is there
    whole or not at all, and the file is always whole JSON."""
    path = tmp_path / "u.json"
    user = UserData(path)
    assert user.set_bookmark(7, True) is None and user.set_note(76, "kept") is None
    model = _Model()
    keys: list[str] = []  # every setting key any writer may have written
    deadline = time.monotonic() + 60  # generous; the test takes a few seconds
    for round_, kill_after in enumerate((1, 4, 11, 29)):
        temporary_before = _temporary(tmp_path, path)
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(ROOT / "tui"), str(path), str(round_)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            confirmed = _confirmations(proc, kill_after, deadline)
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=10) == -signal.SIGKILL
            # What it confirmed between our last read and its death is still in the pipe.
            confirmed += [int(line) for line in proc.stdout.read().splitlines()]
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        last = confirmed[-1]
        assert confirmed == list(range(1, last + 1)) and last >= kill_after

        for n in range(1, last + 1):
            _apply(model, round_, n)
        in_flight = model.copy()  # the save it was killed in (or after, before printing)
        _apply(in_flight, round_, last + 1)
        keys += [f"r{round_}-{n}" for n in range(1, last + 2)]

        json.loads(path.read_text(encoding="utf-8"))  # whole JSON, never half a write
        fresh = UserData(path)
        assert fresh.warning is None and fresh.bookmarks() == [7]
        landed = in_flight.holds(fresh, keys)
        assert landed or model.holds(fresh, keys), f"round {round_}: not the state after save {last} or {last + 1}"
        if landed:
            model = in_flight
        # A kill interrupts at most the one save in flight, which writes one temporary file
        # and renames it into place: so at most that one file is left, and only if the save
        # did not land. Nothing else beside the data file and its lock, ever.
        left = _temporary(tmp_path, path) - temporary_before
        assert len(left) <= 1 and not (landed and left), (landed, left)
        others = {p.name for p in tmp_path.iterdir()} - _temporary(tmp_path, path)
        assert others == {path.name, path.name + ".lock"}, others


def test_two_instances_do_not_corrupt_or_lose_each_others_writes(tmp_path):
    path = tmp_path / "u.json"
    script = """
import sys
sys.path.insert(0, {tui!r})
from pathlib import Path
from hzpolicy.core.userdata import UserData
user = UserData(Path({path!r}))
for n in range({start}, {start} + 30):
    assert user.set_bookmark(n, True) is None
"""
    procs = [
        subprocess.Popen([sys.executable, "-c", script.format(tui=str(ROOT / "tui"), path=str(path), start=s)])
        for s in (1, 31)
    ]
    assert [p.wait() for p in procs] == [0, 0]
    assert UserData(path).bookmarks() == list(range(1, 61))


def test_corrupted_user_store_is_moved_aside(tmp_path):
    path = tmp_path / "u.json"
    path.write_text('{"bookmarks": {"1": {"clause"', encoding="utf-8")
    user = UserData(path)
    assert user.warning and "moved to" in user.warning
    assert (tmp_path / "u.json.corrupt-1").read_text(encoding="utf-8").startswith('{"bookmarks"')
    assert user.set_bookmark(2, True) is None and user.bookmarks() == [2]


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_export_clause_round_trip(doc, tmp_path, fmt):
    records = export.clause_records(doc, [14, 48], notes={14: "筆記"}, bookmarks={14})
    text = export.render(records, fmt, doc.title)
    path = export.write(text, fmt, tmp_path / f"out.{fmt}")
    raw = path.read_bytes()
    if fmt == "json":
        assert json.loads(raw.decode("utf-8"))["records"] == records
    elif fmt == "csv":
        assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets open it as UTF-8
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert [int(r["clause"]) for r in rows] == [14, 48]
        assert rows[0]["text"] == records[0]["text"] and rows[0]["note"] == "筆記"
        assert rows[0]["units"] == "、".join(records[0]["units"])
    else:
        md = raw.decode("utf-8")
        assert "## (十四) 更大力度實施企業研發投入補助政策" in md and "筆記" in md and records[1]["text"] in md


def test_cli_agencies_json(capsys):
    assert run(["agencies", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = [a["name"] for a in data["agencies"]]
    assert names[0] == "市財政局" and "國網杭州供電公司" in names and "國家電網杭州公司" not in names


def test_cli_exports(capsys, tmp_path):
    assert run(["export", "clause", "十四", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["records"][0]["clause"] == 14
    out = tmp_path / "s.csv"
    assert run(["export", "search", "集成电路", "--format", "csv", "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    assert [r["clause"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))] == ["24", "33"]
    assert run(["export", "search", "研发补助", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["matched_pieces"] == ["研发", "补助"] and data["records"][0]["clause"] == 14
    assert run(["export", "search", "研发补助", "--format", "md"]) == 0
    assert "- matched_pieces: 研发、补助" in capsys.readouterr().out
    user = UserData()
    user.set_bookmark(36, True)
    user.set_note(36, "軟體企業")
    assert run(["export", "bookmarks", "--format", "json"]) == 0
    recs = json.loads(capsys.readouterr().out)["records"]
    assert recs == [r for r in recs if r["clause"] == 36] and recs[0]["note"] == "軟體企業"
    profile = tmp_path / "p.json"
    profile.write_text('{"key_software_first": true}', encoding="utf-8")
    assert run(["export", "calc", str(profile), "--format", "md"]) == 0
    assert "對首次入選的軟體企業給予200萬元一次性獎勵" in capsys.readouterr().out
    assert run(["export", "search"]) == 2
    assert run(["export", "clause", "99"]) == 2
    assert run(["export", "clause", "1", "-o", str(tmp_path)]) == 2  # a directory
