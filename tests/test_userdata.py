"""The user's own data: what a change promises (one transaction, durable when it returns),
several processes at once, a damaged or foreign file, a full disk, the old JSON file, and
the command line for scripts."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from hzpolicy.__main__ import run
from hzpolicy.core.userdata import DB_NAME, Note, NoteConflict, UserData

ROOT = Path(__file__).resolve().parent.parent


def _db(tmp_path) -> Path:
    return tmp_path / DB_NAME


# --- one change, one transaction ------------------------------------------------------------------


def test_every_kind_of_record_round_trips(tmp_path):
    user = UserData(_db(tmp_path))
    assert user.warning is None
    assert user.set("script", "simplified") is None and user.set("theme", "nord") is None
    assert user.set_bookmark(14, True) is None and user.set_bookmark(3, True) is None
    assert user.set_note(14, "第一行\n第二行") is None
    assert user.save_profile("甲公司", {"rd_spend": Decimal("1234.56"), "manufacturer": True}) is None
    again = UserData(_db(tmp_path))
    assert again.script == "simplified" and again.get("theme") == "nord"
    assert again.bookmarks() == [3, 14]
    assert again.notes() == {14: "第一行\n第二行"}
    assert again.load_profile("甲公司") == {"rd_spend": "1234.56", "manufacturer": True}
    assert again.profile_names() == ["甲公司"]


def test_an_empty_note_deletes_it_and_its_version_goes_on(tmp_path):
    user = UserData(_db(tmp_path))
    assert user.note(5) == Note(5, "", 0)
    user.set_note(5, "a")
    user.set_note(5, "  ")
    assert user.notes() == {} and user.note(5) == Note(5, "", 2)
    user.set_note(5, "b")
    assert user.note(5) == Note(5, "b", 3)  # a deleted note's version is never reused


def test_a_note_changed_elsewhere_is_not_overwritten(tmp_path):
    mine, theirs = UserData(_db(tmp_path)), UserData(_db(tmp_path))
    opened = mine.note(7)  # the editor opens on an empty note
    assert theirs.set_note(7, "theirs") is None
    with pytest.raises(NoteConflict) as conflict:
        mine.set_note(7, "mine", based_on=opened.version)
    assert conflict.value.current == Note(7, "theirs", 1)
    assert mine.notes() == {7: "theirs"}
    assert mine.set_note(7, "mine", based_on=conflict.value.current.version) is None  # the reader chose
    assert theirs.notes() == {7: "mine"}


def test_profiles_rename_and_delete(tmp_path):
    user = UserData(_db(tmp_path))
    user.save_profile("a", {"revenue": 1})
    user.save_profile("b", {"revenue": 2})
    assert user.rename_profile("a", "b") == "a profile named 'b' exists already"
    assert user.rename_profile("x", "y") == "no profile named 'x'"
    assert user.rename_profile("a", "c") is None
    assert user.profile_names() == ["b", "c"] and user.load_profile("c") == {"revenue": 1}
    assert user.delete_profile("c") and not user.delete_profile("c")


# --- damage, foreign files, a full disk -------------------------------------------------------------


def test_a_damaged_database_is_moved_aside_and_named(tmp_path):
    path = _db(tmp_path)
    path.write_bytes(b"this is not a database at all" * 100)
    user = UserData(path)
    assert user.warning and "damaged" in user.warning and str(path) in user.warning
    aside = tmp_path / f"{DB_NAME}.damaged-1"
    assert aside.read_bytes() == b"this is not a database at all" * 100  # kept, never emptied
    assert user.set_bookmark(1, True) is None and UserData(path).bookmarks() == [1]


def test_a_database_from_a_newer_version_is_left_alone(tmp_path):
    path = _db(tmp_path)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    user = UserData(path)
    assert user.warning and "newer hzpolicy-tui" in user.warning
    assert user.set_bookmark(1, True) is not None  # refused, with a message, not written
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 99


def test_a_folder_or_a_fifo_in_place_of_the_database_is_refused(tmp_path):
    folder = tmp_path / "dir"
    folder.mkdir()
    assert "not a regular file" in (UserData(folder).warning or "")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert "not a regular file" in (UserData(fifo).warning or "")


def test_a_full_disk_keeps_the_old_value(tmp_path):
    """SQLite's page limit is how a full disk looks to it: the write fails, the old note stays."""
    path = _db(tmp_path)
    user = UserData(path)
    assert user.set_note(3, "the old note") is None
    assert user._db is not None
    pages = user._db.execute("PRAGMA page_count").fetchone()[0]
    user._db.execute(f"PRAGMA max_page_count = {pages}")
    problem = user.set_note(3, "a new note " * 5000)
    assert problem and "could not save the note" in problem and "full" in problem
    assert UserData(path).notes() == {3: "the old note"}


# --- the JSON file of earlier versions ------------------------------------------------------------


def test_the_old_json_file_is_imported_once_and_kept(tmp_path):
    legacy = tmp_path / "user.json"
    legacy.write_text(
        json.dumps(
            {
                "settings": {"1": {"key": "script", "value": "simplified"}},
                "bookmarks": {"1": {"clause": 14}, "2": {"clause": "x"}},
                "notes": {"1": {"clause": 5, "text": "舊筆記"}},
                "profiles": {"1": {"name": "甲", "facts": {"revenue": "100"}}},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    user = UserData(_db(tmp_path))
    assert user.script == "simplified" and user.bookmarks() == [14] and user.notes() == {5: "舊筆記"}
    assert user.load_profile("甲") == {"revenue": "100"}
    assert "1 damaged record(s)" in (user.warning or "")
    assert not legacy.exists() and (tmp_path / "user.json.imported-1").is_file()
    user.set_bookmark(14, False)
    assert UserData(_db(tmp_path)).bookmarks() == []  # not imported a second time


@pytest.mark.parametrize("content", ['{"bookmarks": [14]}', "[1, 2]", "{not json", '{"notes": {"1": 5}}'])
def test_a_damaged_old_json_file_crashes_nothing(tmp_path, content):
    (tmp_path / "user.json").write_text(content, encoding="utf-8")
    user = UserData(_db(tmp_path))
    assert user.warning and "user.json" in user.warning
    assert user.bookmarks() == [] and user.set_bookmark(2, True) is None
    kept = [p.name for p in tmp_path.iterdir() if p.name.startswith("user.json.")]
    assert len(kept) == 1  # moved aside, never deleted


# --- several processes ----------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {tui!r})
    from hzpolicy.core.userdata import UserData
    user = UserData(Path({path!r}))
    worker, count = int(sys.argv[1]), int(sys.argv[2])
    for n in range(count):
        problem = user.set_note(worker * 100000 + n + 1, f"{{worker}}:{{n}}")
        assert problem is None, problem
        print(n, flush=True)
    """
)


def _writer_script(tmp_path, path) -> Path:
    """Written once, before any writer starts: rewriting it while another interpreter is
    reading it would start that one on an empty file."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(tui=str(ROOT / "tui"), path=str(path)), encoding="utf-8")
    return script


def _writer(script: Path, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(script), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_four_processes_writing_1000_changes_each_lose_nothing(tmp_path):
    path = _db(tmp_path)
    UserData(path)
    script = _writer_script(tmp_path, path)
    writers = [_writer(script, w, 1000) for w in range(4)]
    for w in writers:
        out, err = w.communicate(timeout=240)
        assert w.returncode == 0, err
        assert out.split()[-1] == "999"
    notes = UserData(path).notes()
    assert len(notes) == 4000
    assert all(notes[w * 100000 + n + 1] == f"{w}:{n}" for w in range(4) for n in range(1000))


def test_a_reader_never_sees_a_saved_note_missing_while_others_write(tmp_path):
    """Readers in other processes see each change whole: a note that always exists (it is
    only ever replaced) is never missing from a read, however the writes interleave."""
    path = _db(tmp_path)
    user = UserData(path)
    assert user.set_note(1, "always here") is None
    pid, confirmations = _forked_writer(path, 0, 3000)  # writes notes 1..3000: note 1 is replaced
    with confirmations:
        confirmations.readline()  # the writer is under way
        for reads in range(2000):
            assert 1 in user.notes(), f"note 1 missing after {reads} reads"
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _forked_writer(path: Path, worker: int, count: int):
    """A writer in a forked child (no interpreter start-up: 100 of them take a second or two)
    that prints a line after each save returns. The child opens its own connection."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 0
        try:
            os.close(read_end)
            user = UserData(path)
            for n in range(count):
                if user.set_note(worker * 100000 + n + 1, f"{worker}:{n}") is not None:
                    status = 3
                    break
                os.write(write_end, f"{n}\n".encode())
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, os.fdopen(read_end, "r")


def test_a_writer_killed_at_any_moment_loses_no_confirmed_change(tmp_path):
    """kill -9 a writer 100 times, each after a different number of confirmed saves: every
    save that returned is there, and the database always opens."""
    path = _db(tmp_path)
    UserData(path)
    confirmed: set[int] = set()
    for attempt in range(100):
        pid, confirmations = _forked_writer(path, attempt, 1000)
        wanted = 1 + attempt % 7  # a varying moment: after 1 to 7 confirmations
        seen = -1
        with confirmations:
            while seen + 1 < wanted:
                line = confirmations.readline()
                assert line, "the writer stopped before it was killed"
                seen = int(line)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        confirmed.update(attempt * 100000 + n + 1 for n in range(seen + 1))
        if attempt % 20 == 19:  # the database opens, whole, between kills
            assert confirmed <= set(UserData(path).notes())
    user = UserData(path)
    assert user.warning is None
    assert confirmed <= set(user.notes())


# --- the command line ------------------------------------------------------------------------------


def _cli(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_bookmarks_from_the_command_line(capsys):
    assert _cli(capsys, "bookmarks", "add", "十四")[0] == 0
    assert _cli(capsys, "bookmarks", "add", "(三)")[0] == 0
    code, out, _ = _cli(capsys, "bookmarks", "--json")
    assert code == 0 and [r["clause"] for r in json.loads(out)["bookmarks"]] == [3, 14]
    assert _cli(capsys, "bookmarks", "remove", "3")[0] == 0
    code, out, _ = _cli(capsys, "bookmarks", "--script", "simplified")
    assert out.split() == ["14", "(十四)", "更大力度实施企业研发投入补助政策"]
    code, _, err = _cli(capsys, "bookmarks", "add", "999")
    assert code == 2 and "沒有條文「999」" in err
    code, _, err = _cli(capsys, "bookmarks", "add")
    assert code == 2 and "bookmarks add 需要條號" in err


def test_notes_from_the_command_line(capsys):
    assert _cli(capsys, "notes", "set", "14", "問一下區裡") == (0, "", "")
    code, out, _ = _cli(capsys, "notes", "--json")
    assert json.loads(out)["notes"] == [
        {"clause": 14, "numeral": "十四", "title": "更大力度實施企業研發投入補助政策", "note": "問一下區裡"}
    ]
    assert _cli(capsys, "notes", "remove", "14")[0] == 0
    assert json.loads(_cli(capsys, "notes", "--json")[1]) == {"notes": []}
    code, _, err = _cli(capsys, "notes", "set", "14")
    assert code == 2 and "notes set 需要筆記內容" in err


def test_profiles_from_the_command_line(capsys):
    UserData().save_profile("乙公司", {"revenue": Decimal(20000)})
    code, out, _ = _cli(capsys, "profiles", "--json")
    assert json.loads(out) == {"profiles": [{"name": "乙公司", "facts": {"revenue": "20000"}}]}
    assert _cli(capsys, "profiles", "show", "乙公司")[1].strip().startswith("{")
    assert _cli(capsys, "profiles", "remove", "乙公司")[0] == 0
    code, _, err = _cli(capsys, "profiles", "remove", "乙公司")
    assert code == 2 and "沒有名為「乙公司」的方案" in err


@pytest.mark.parametrize(
    "content",
    [
        '{"notes": {"1": {"clause": 100000000000000000000000000000, "text": "x"}}}',
        '{"notes": {"1": {"clause": 5, "text": "\\ud800"}}}',
        "[" * 100_000 + "]" * 100_000,
        '{"settings": {"1": {"key": "script", "value": "\\udfff"}}}',
    ],
)
def test_an_old_json_file_no_database_can_hold_never_stops_a_start(tmp_path, content):
    (tmp_path / "user.json").write_text(content, encoding="utf-8")
    user = UserData(_db(tmp_path))
    assert user.warning and "user.json" in user.warning
    assert user.set_bookmark(1, True) is None
    assert UserData(_db(tmp_path)).bookmarks() == [1]  # and the next start is clean


def test_an_old_json_file_that_reappears_never_replaces_newer_notes(tmp_path):
    user = UserData(_db(tmp_path))
    user.set_note(5, "newer text")
    user.set_note(5, "newest text")
    (tmp_path / "user.json").write_text('{"notes": {"1": {"clause": 5, "text": "stale"}}}', encoding="utf-8")
    again = UserData(_db(tmp_path))
    assert again.note(5) == Note(5, "newest text", 2)


def test_a_damaged_header_is_moved_aside_with_its_wal(tmp_path):
    """Damage found before SQLite opens the file: its WAL (changes not yet in the file) goes
    aside with it instead of being deleted when a failed connection closes."""
    path = _db(tmp_path)
    pid, confirmations = _forked_writer(path, 0, 1000)
    with confirmations:
        for _ in range(30):
            confirmations.readline()
        os.kill(pid, signal.SIGKILL)  # killed: its WAL is never checkpointed into the file
        os.waitpid(pid, 0)
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0
    with open(path, "r+b") as fh:
        fh.write(b"\0" * 16)
    user = UserData(path)
    assert user.warning and "not an SQLite database" in user.warning
    assert (tmp_path / f"{DB_NAME}.damaged-1-wal").stat().st_size > 0


@pytest.mark.parametrize("value", ["1_000", " 1e3x", "Infinity", "1,0,0,0", "--5"])
def test_a_figure_typed_oddly_is_refused(value):
    from hzpolicy.core.facts import ProfileError, validate_value

    with pytest.raises(ProfileError):
        validate_value("rd_spend", value)


def test_exports_never_replace_the_users_data_or_what_is_not_a_file(capsys, tmp_path):
    user = UserData()
    assert user.set_bookmark(3, True) is None
    db = user.path
    for target, words in [
        (db, "你自己的 hzpolicy-tui 資料"),  # the reader's words (Chinese by default)
        (Path("/dev/null"), "不是一般檔案"),
        (tmp_path, "不是一般檔案"),
    ]:
        code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(target))
        assert code == 2 and words in err, err
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(link))
    assert code == 2 and "符號連結" in err and link.is_symlink()
    assert Path("/dev/null").is_char_device() and UserData().bookmarks() == [3]


# --- version 1 -> 2: bookmarks and notes belong to a package ------------------------------------------

# The schema of version 1, as it was written (copied here: the code no longer has it).
_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL                      -- JSON
) STRICT;
CREATE TABLE IF NOT EXISTS bookmarks (
    clause INTEGER PRIMARY KEY CHECK (clause > 0)
) STRICT;
CREATE TABLE IF NOT EXISTS notes (
    clause INTEGER PRIMARY KEY CHECK (clause > 0),
    text TEXT NOT NULL,                      -- '' once deleted: the row keeps its version
    version INTEGER NOT NULL CHECK (version > 0)
) STRICT;
CREATE TABLE IF NOT EXISTS profiles (
    name TEXT PRIMARY KEY CHECK (length(name) > 0),
    facts TEXT NOT NULL                      -- JSON object, money as exact decimal strings
) STRICT;
"""


def _version_1_file(path: Path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(f"BEGIN IMMEDIATE;{_SCHEMA_V1}PRAGMA user_version=1;COMMIT;")
    db.execute("INSERT INTO settings VALUES ('script', '\"simplified\"')")
    db.executemany("INSERT INTO bookmarks VALUES (?)", [(14,), (3,)])
    db.executemany("INSERT INTO notes VALUES (?, ?, ?)", [(14, "研發補助", 3), (5, "", 2)])
    db.execute("INSERT INTO profiles VALUES ('甲', '{\"revenue\": \"100\"}')")
    db.close()


def test_a_version_1_file_is_migrated_and_its_records_are_the_shipped_packages(tmp_path):
    from hzpolicy.core.paths import SHIPPED_PACKAGE

    path = _db(tmp_path)
    _version_1_file(path)
    user = UserData(path)
    assert user.warning is None
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        assert [r[1] for r in db.execute("PRAGMA table_info(bookmarks)")] == ["package", "clause"]
        assert db.execute("SELECT package, clause, text, version FROM notes ORDER BY clause").fetchall() == [
            (SHIPPED_PACKAGE, 5, "", 2),
            (SHIPPED_PACKAGE, 14, "研發補助", 3),
        ]
        assert not db.execute("SELECT name FROM sqlite_master WHERE name LIKE '%_v1'").fetchall()
    assert user.bookmarks() == [3, 14] == user.bookmarks(package=SHIPPED_PACKAGE)
    assert user.notes() == {14: "研發補助"} and user.note(5) == Note(5, "", 2)  # versions go on
    assert user.script == "simplified" and user.load_profile("甲") == {"revenue": "100"}
    assert user.bookmarks(package="hangzhou-2025") == [] and user.notes(package="hangzhou-2025") == {}
    assert UserData(path).bookmarks() == [3, 14]  # opened again: migrated once


def test_each_package_has_its_own_bookmarks_and_notes(tmp_path):
    user = UserData(_db(tmp_path))
    assert user.set_bookmark(14, True) is None and user.set_bookmark(14, True, package="ed-2025") is None
    assert user.set_bookmark(14, False, package="ed-2025") is None
    assert (
        user.set_note(7, "2024", package="hangzhou-2024") is None
        and user.set_note(7, "2025", package="ed-2025") is None
    )
    assert user.bookmarks() == [14] and user.bookmarks(package="ed-2025") == []
    assert user.notes() == {7: "2024"} and user.notes(package="ed-2025") == {7: "2025"}
    user.package = "ed-2025"  # what the command line does for --store
    assert user.notes() == {7: "2025"} and user.note(7) == Note(7, "2025", 1)
    with pytest.raises(NoteConflict):
        user.set_note(7, "again", based_on=0)


def test_a_migration_that_fails_leaves_the_version_1_file_as_it_was(tmp_path):
    path = _db(tmp_path)
    _version_1_file(path)
    with sqlite3.connect(path) as db:  # a leftover that makes the migration's rename fail half-way
        db.execute("CREATE TABLE notes_v1 (x INTEGER)")
    before = path.read_bytes()
    user = UserData(path)
    assert user.warning and str(path) in user.warning and user.bookmarks() == []
    user.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert db.execute("SELECT clause FROM bookmarks ORDER BY clause").fetchall() == [(3,), (14,)]
        assert [r[1] for r in db.execute("PRAGMA table_info(bookmarks)")] == ["clause"]
    assert len(path.read_bytes()) == len(before)


def test_two_instances_opening_a_version_1_file_at_once_migrate_it_once(tmp_path):
    import threading

    path = _db(tmp_path)
    _version_1_file(path)
    opened: list[UserData] = []
    threads = [threading.Thread(target=lambda: opened.append(UserData(path))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [u.warning for u in opened] == [None] * 4
    assert all(u.bookmarks() == [3, 14] for u in opened)


# --- data that can be read but not written ----------------------------------------------------------------


def _sqlite_failure(code: int, text: str) -> sqlite3.Error:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


def test_data_that_cannot_be_written_is_read_and_each_write_says_why(tmp_path, monkeypatch):
    """A read-only folder or a full disk: what is there is read (read-only), nothing is
    warned about a run that only reads, and a write names the file and the reason."""
    path = tmp_path / DB_NAME
    user = UserData(path)
    assert user.set_bookmark(3, True) is None and user.set_note(3, "筆記") is None
    user.close()

    def cannot_write(self):
        raise _sqlite_failure(sqlite3.SQLITE_READONLY, "attempt to write a readonly database")

    monkeypatch.setattr(UserData, "_connect", cannot_write)
    user = UserData(path)
    assert user.warnings == [] and user.unreadable is None
    assert user.bookmarks() == [3] and user.notes() == {3: "筆記"}
    problem = user.set_bookmark(4, True)
    assert problem is not None and str(path) in problem and "cannot be written" in problem
    assert "readonly" not in problem


def test_a_list_that_could_not_be_read_is_an_error_not_an_empty_list(tmp_path, monkeypatch, capsys):
    assert run(["bookmarks", "add", "3"]) == 0
    from hzpolicy.core import userdata

    def broken(self):
        raise _sqlite_failure(sqlite3.SQLITE_IOERR, "disk I/O error")

    monkeypatch.setattr(UserData, "_connect", broken)
    monkeypatch.setattr(userdata, "read_only_connection", lambda path, check=None: None)
    monkeypatch.setattr(userdata, "disk_full", lambda path: True)
    capsys.readouterr()
    assert run(["bookmarks", "--lang", "en"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "the disk is full" in err and "I/O" not in err
