"""The build's inputs besides the document (the agency alias list, the rules file), where
it writes without -o, and the one atomic write every file goes through."""

from __future__ import annotations

import json
import os
import pathlib
import stat
from dataclasses import replace

import pytest

from hzpolicy.__main__ import run
from hzpolicy.core import store as store_module
from hzpolicy.core.files import atomic_replace, write_text_atomic
from hzpolicy.core.insights import AliasError, alias_list_for, load_aliases
from hzpolicy.core.paths import default_aliases

from .conftest import SOURCE, STORE

ALIASES = default_aliases().read_text(encoding="utf-8")


def _build(capsys, *argv):
    """``build`` in English (these tests read its English words; see test_error_words.py
    for the same messages in Chinese)."""
    code = run(["--lang", "en", "build", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _aliases(tmp_path, monkeypatch, text):
    path = tmp_path / "aliases.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(store_module, "default_aliases", lambda: path)
    return path


# --- the agency alias list ------------------------------------------------------------------


def test_the_shipped_alias_list_is_written_for_the_shipped_document(doc):
    written_for, aliases = load_aliases(default_aliases())
    assert written_for == doc.source_sha256
    assert alias_list_for(default_aliases(), doc) == aliases == doc.agency_aliases
    assert aliases, "the shipped list is not empty"


def test_a_typo_in_the_alias_list_fails_the_build_naming_it(capsys, tmp_path, monkeypatch):
    path = _aliases(tmp_path, monkeypatch, ALIASES.replace('"國家電網杭州公司"', '"國家電網杭洲公司"'))
    out_store = tmp_path / "out.json"
    code, out, err = _build(capsys, str(SOURCE), "-o", str(out_store))
    assert code == 2 and out == ""
    assert str(path) in err and "國家電網杭洲公司" in err and "does not occur" in err
    assert "no store was written" in err and "Traceback" not in err
    assert not out_store.exists()


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("aliases = [", "alias = [", "unknown keys alias"),
        ('name = "國網杭州供電公司"', "name = 7", "has no name"),
        ('aliases = ["國家電網杭州公司"]', 'aliases = "國家電網杭州公司"', "aliases must be a list"),
        ("[[agency]]", "[[agency]", "not valid TOML"),
        ('document_sha256 = "', 'written_for = "', "document_sha256 is missing"),
    ],
)
def test_a_malformed_alias_list_is_named_not_dropped(tmp_path, monkeypatch, doc, old, new, words):
    assert old in ALIASES
    path = _aliases(tmp_path, monkeypatch, ALIASES.replace(old, new, 1))
    with pytest.raises(AliasError) as err:
        alias_list_for(path, doc)
    assert words in str(err.value) and str(path) in str(err.value)


def test_an_alias_list_for_another_document_is_not_applied(tmp_path, monkeypatch, doc):
    other = replace(doc, source_sha256="0" * 64)
    path = _aliases(tmp_path, monkeypatch, ALIASES.replace('"國家電網杭州公司"', '"不存在的單位"'))
    assert alias_list_for(path, other) == ()  # not checked against, nor applied to, another text


# --- where build writes ------------------------------------------------------------------------


def test_build_without_output_writes_in_the_current_folder_and_says_so(capsys, tmp_path, monkeypatch):
    committed = STORE.read_bytes()
    monkeypatch.chdir(tmp_path)
    code, out, err = _build(capsys)
    assert code == 0, err
    assert out.startswith("wrote hangzhou-2024.json:")
    assert (tmp_path / "hangzhou-2024.json").read_bytes() == committed
    assert STORE.read_bytes() == committed


def test_build_of_another_source_without_output_is_named_after_it(capsys, tmp_path, monkeypatch):
    src = tmp_path / "other-edition.txt"
    src.write_bytes(SOURCE.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, err = _build(capsys, str(src))
    assert code == 0, err
    assert out.startswith("wrote other-edition.json:") and (tmp_path / "other-edition.json").is_file()


def test_build_refuses_to_overwrite_its_own_source(capsys, tmp_path):
    src = tmp_path / "policy.json"
    src.write_bytes(SOURCE.read_bytes())
    code, _, err = _build(capsys, str(src), "-o", str(src))
    assert code == 2 and "its own source" in err
    assert src.read_bytes() == SOURCE.read_bytes()


def test_a_missing_rules_file_is_named_as_missing(capsys, tmp_path):
    code, _, err = _build(capsys, str(SOURCE), "-o", str(tmp_path / "x.json"), "--rules", str(tmp_path / "no.toml"))
    assert code == 2 and "rules file not found" in err and "cannot write" not in err


def test_an_unreadable_source_is_named_as_unreadable(capsys, tmp_path, monkeypatch):
    src = tmp_path / "locked.txt"
    src.write_bytes(SOURCE.read_bytes())

    def refuse(path):  # as root every file is readable: refuse the way the OS would
        raise PermissionError(13, "permission denied", str(path))

    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    code, _, err = _build(capsys, str(src), "-o", str(tmp_path / "x.json"))
    assert code == 2 and f"cannot read {src}: permission denied" in err
    assert not (tmp_path / "x.json").exists()


# --- the one atomic write ----------------------------------------------------------------------


def test_atomic_write_replaces_whole_and_keeps_permissions(tmp_path):
    target = tmp_path / "kept.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_text_atomic(target, "new 內容")
    assert target.read_text(encoding="utf-8") == "new 內容"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["kept.txt"]


def test_atomic_write_of_a_new_file_follows_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "data.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(OSError, match="disk full"), atomic_replace(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise OSError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["data.txt"]


def test_a_new_store_is_readable_by_everyone_and_a_replaced_one_keeps_its_permissions(tmp_path, doc):
    new = tmp_path / "new.json"
    store_module.write_store(doc, new, source_name="x.txt")
    assert stat.S_IMODE(new.stat().st_mode) == store_module.STORE_MODE
    out = tmp_path / "s.json"
    out.write_text("{}", encoding="utf-8")
    out.chmod(0o600)  # its owner made it private: replacing it (build -o --force) keeps that
    store_module.write_store(doc, out, source_name="x.txt")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


# --- the model ---------------------------------------------------------------------------------


def test_clause_index_follows_a_replaced_document(doc):
    fewer = replace(doc, clauses=doc.clauses[:10])
    assert fewer.clause(11) is None and fewer.clause(10) is doc.clause(10)
    assert doc.clause(11) is not None
    with pytest.raises(LookupError, match="clause 11"):
        fewer.require(11)


def test_every_text_is_given_in_the_script_asked_for(doc):
    for c in doc.clauses:
        assert (c.title_in("traditional"), c.title_in("simplified")) == (c.title, c.title_simplified)
        assert (c.body_in("traditional"), c.body_in("simplified")) == (c.body, c.body_simplified)
        assert (c.units_in("traditional"), c.units_in("simplified")) == (c.units, c.units_simplified)
    for d in doc.domains:
        assert d.title_in("simplified") == d.title_simplified and d.title_in("traditional") == d.title
        assert d.lead_agencies_in("simplified") == d.lead_agencies_simplified
        assert d.intro_in("simplified") == d.intro_simplified and d.targets_in("simplified") == d.targets_simplified
    assert doc.title_in("simplified") == doc.title_simplified != doc.title
    assert doc.preamble_in("simplified") == doc.preamble_simplified
    assert doc.closing_in("simplified") == doc.closing_simplified


def test_bookmarks_on_clauses_this_package_lacks_are_named_and_left_out(capsys, tmp_path, monkeypatch):
    from hzpolicy.core.userdata import UserData

    monkeypatch.setenv("HZPOLICY_DATA_DIR", str(tmp_path / "u"))
    user = UserData()
    assert user.set_bookmark(14, True) is None and user.set_bookmark(99, True) is None
    assert user.set_note(98, "another package's clause") is None
    code = run(["export", "bookmarks", "--format", "json", "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "clauses 98, 99" in err and "left out" in err
    assert [r["clause"] for r in json.loads(out)["records"]] == [14]


def test_a_killed_writers_temporary_is_cleaned_by_the_next_write(tmp_path):
    from hzpolicy.core.files import STALE_AFTER_S

    target = tmp_path / "out.md"
    stale = tmp_path / ".out.md.abc123.tmp"
    fresh = tmp_path / ".out.md.def456.tmp"  # another process may be writing this one now
    other = tmp_path / ".other.md.abc123.tmp"
    for path in (stale, fresh, other):
        path.write_text("half", encoding="utf-8")
    old = stale.stat().st_mtime - STALE_AFTER_S - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_text_atomic(target, "whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.md.abc123.tmp", ".out.md.def456.tmp", "out.md"]
