"""The generated store: reproducible, committed, read-only, and clear about damage."""

from __future__ import annotations

import hashlib
import json

import pytest

from hzpolicy.core.store import SCHEMA_VERSION, StoreError, build_store, load_store

from .conftest import SOURCE, STORE


def test_committed_store_is_what_the_build_makes(tmp_path):
    out = tmp_path / "store.json"
    build_store(SOURCE, out)
    assert out.read_bytes() == STORE.read_bytes(), "run `hzpolicy-tui build` and commit data/hangzhou-2024.json"


def test_same_source_same_bytes(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    build_store(SOURCE, a)
    build_store(SOURCE, b)
    assert a.read_bytes() == b.read_bytes()


def test_meta_table(doc):
    meta = json.loads(STORE.read_text(encoding="utf-8"))["meta"]["1"]
    assert meta["schema_version"] == SCHEMA_VERSION
    assert meta["source_sha256"] == hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert meta["counts"]["domains"] == 8 and meta["counts"]["clauses"] == 76
    assert meta["counts"]["money"] == sum(len(c.money) for c in doc.clauses)


def test_store_is_utf8_json_with_readable_chinese():
    raw = STORE.read_text(encoding="utf-8")
    assert "更大力度實施企業研發投入補助政策" in raw  # ensure_ascii=False


def test_search_fields_are_prepared_at_build_time(doc):
    c = doc.clause(24)
    assert "集成电路" in c.body_simplified and "积体电路" not in c.body_simplified
    assert "集成电路" in c.search_key
    assert c.title_simplified == "落实税收优惠政策"


def test_failed_build_writes_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(SOURCE.read_text(encoding="utf-8").replace("(十六)", "(十七)", 1), encoding="utf-8")
    out = tmp_path / "out.json"
    from hzpolicy.core.parser import ParseError

    with pytest.raises(ParseError):
        build_store(bad, out)
    assert list(tmp_path.iterdir()) == [bad]


def test_failed_build_keeps_the_previous_store(tmp_path):
    out = tmp_path / "out.json"
    out.write_text("previous", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    from hzpolicy.core.parser import ParseError

    with pytest.raises(ParseError):
        build_store(bad, out)
    assert out.read_text(encoding="utf-8") == "previous"


@pytest.mark.parametrize(
    "content, words",
    [
        (lambda raw: raw[: len(raw) // 2], "corrupted"),
        (lambda raw: "x" + raw, "corrupted (not valid JSON: Expecting value"),
        (lambda raw: raw.replace(f'"schema_version": {SCHEMA_VERSION}', '"schema_version": 99'), "schema version 99"),
        (lambda raw: raw.replace(f'"schema_version": {SCHEMA_VERSION}', '"schema_version": true'), "expected a number"),
        (lambda raw: raw.replace('"clauses": 76', '"clauses": 75'), "counts"),
        (lambda raw: raw.replace('"body":', '"bodx":', 1), "clauses[1]: has no body"),
    ],
)
def test_damaged_store_says_what_and_how_to_rebuild(tmp_path, content, words):
    path = tmp_path / "store.json"
    path.write_text(content(STORE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(StoreError) as err:
        load_store(path)
    assert words in str(err.value)
    assert str(path) in str(err.value)
    assert "hzpolicy-tui build" in str(err.value)


@pytest.mark.parametrize(
    "content, problem",
    [
        ("", "it has no meta table"),
        ('{"rd_spend": 5}', "it has no meta table"),
        ("[1, 2, 3]", "its JSON is not the tables of a store"),
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ('{"meta": {"1": {"name": "mine"}}}', "meta: has no schema_version, counts"),
    ],
)
def test_a_file_that_is_not_a_store_says_so_with_no_rebuild_hint(tmp_path, content, problem):
    path = tmp_path / "mine.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError) as err:
        load_store(path)
    assert str(err.value) == f"{path} is not an hzpolicy-tui store ({problem}); check the path"
    assert path.read_text(encoding="utf-8") == content


def test_missing_store(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(StoreError) as err:
        load_store(missing)
    assert str(err.value) == f"store not found: {missing}; check the path"


def test_the_shipped_store_missing_is_a_broken_installation(tmp_path, monkeypatch):
    from hzpolicy.core import store

    shipped = tmp_path / "hangzhou-2024.json"
    monkeypatch.setattr(store, "default_store", lambda: shipped)
    with pytest.raises(StoreError) as err:
        load_store(shipped)
    assert str(err.value) == f"the shipped store {shipped} is missing: reinstall hzpolicy-tui"


def test_loading_never_writes_the_store(tmp_path):
    path = tmp_path / "store.json"
    path.write_bytes(STORE.read_bytes())
    path.chmod(0o444)
    load_store(path)
    assert path.read_bytes() == STORE.read_bytes()
