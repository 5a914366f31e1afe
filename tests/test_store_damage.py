"""A damaged store is found and named, never shown: every kind of damage a tester made by
hand, bit flips anywhere in the file, and things that are not files at all."""

from __future__ import annotations

import copy
import json
import os
import random
import threading

import pytest

from hzpolicy.core.store import SCHEMA_VERSION, StoreError, _with_checksum, load_store

from .conftest import STORE

RAW = STORE.read_bytes()
TABLES = json.loads(RAW)


def _write(tmp_path, tables, *, checksum=True) -> os.PathLike:
    """The tables as the build writes them; with ``checksum`` the damage is checksummed as
    if a faulty builder had made it, so the schema check alone must find it."""
    meta = tables["meta"]["1"]
    meta["content_sha256"] = "0" * 64
    data = json.dumps(tables, ensure_ascii=False, indent=1).encode() + b"\n"
    path = tmp_path / "store.json"
    path.write_bytes(_with_checksum(data) if checksum else data)
    return path


def _set(path: str, value):
    """A change to the tables at a dotted path such as 'clauses.14.money.0.yuan'."""

    def change(tables):
        *parents, last = path.split(".")
        node = tables
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        elif value is KeyError:
            del node[last]
        else:
            node[last] = value

    return change


DAMAGE = [
    ("counts as a list", _set("meta.1.counts", [8, 76]), "meta.counts"),
    ("schema version true", _set("meta.1.schema_version", True), "expected a number"),
    ("a clause number as text", _set("clauses.14.number", "14"), "clauses[14].number"),
    ("a duplicate clause number", _set("clauses.15.number", 14), "appears twice"),
    ("a gap in the numbering", _set("clauses.15.number", 16), "expected 15"),
    ("money as text", _set("clauses.14.money", "200萬元"), "clauses[14].money"),
    ("a money value in words", _set("clauses.14.money.0.yuan", "兩百萬"), "exact decimal"),
    ("a money figure off its place", _set("clauses.14.money.0.start", 3), "is not at"),
    ("an unknown role", _set("clauses.14.money.0.role", "bonus"), "role"),
    ("an unknown currency", _set("clauses.14.money.0.currency", "EUR"), "currency"),
    ("a rate with no kind", _set("clauses.45.percentages.0.kind", KeyError), "has no kind"),
    ("an unknown rate kind", _set("clauses.45.percentages.0.kind", "fraction"), "percentages[0].kind"),
    ("a discount written in %", _set("clauses.45.percentages.0.unit", "%"), "percentages[0].unit"),
    ("domain 99", _set("clauses.14.domain", 99), "clauses[14].domain"),
    ("a clause in the wrong domain", _set("clauses.14.domain", 3), "expected 2"),
    ("a bad valid_from", _set("document.1.valid_from", "2024-13-01"), "valid_from"),
    ("the year 0000", _set("document.1.valid_from", "0000-01-01"), "valid_from"),
    ("an end before the start", _set("document.1.valid_to", "2023-01-01"), "ends before it starts"),
    ("no title", _set("document.1.title", ""), "document.title"),
    ("a body not in its text", _set("clauses.3.body", "別的文字"), "not part of the clause"),
    ("units as text", _set("clauses.3.units", "市發改委"), "clauses[3].units"),
    ("a domain range past the end", _set("domains.8.last_clause", 99), "domains[8].last_clause"),
    ("a budget on another domain's clause", _set("domains.2.budget.clause", 70), "budget.clause"),
    ("a rule on no clause", _set("rules.1.clause", 500), "rules[1].clause"),
    ("a rule whose exact is text", _set("rules.1.exact", "yes"), "rules[1].exact"),
    ("a rule with no formula", _set("rules.1.formula", KeyError), "has no formula"),
    ("a rule with a bad date", _set("rules.1.valid_to", "2024/12/31"), "rules[1].valid_to"),
    ("a duplicate rule id", _set("rules.2.id", "c05-power-fee"), "appears twice"),
    ("an alias list of numbers", _set("agency_aliases.1.aliases", [1, 2]), "aliases"),
    ("a not_calculable clause as text", _set("not_calculable.1.clause", "1"), "not_calculable[1].clause"),
    ("an alignment of pairs", _set("clauses.3.key_to_simp.0", [0, 0]), "key_to_simp"),
]


@pytest.mark.parametrize(("what", "change", "words"), DAMAGE, ids=[d[0] for d in DAMAGE])
def test_each_kind_of_damage_is_named(tmp_path, what, change, words):
    tables = copy.deepcopy(TABLES)
    change(tables)
    path = _write(tmp_path, tables)
    with pytest.raises(StoreError) as err:
        load_store(path)
    message = str(err.value)
    assert words in message, what
    assert str(path) in message and "hzpolicy-tui build" in message


def test_the_store_as_built_passes_every_check(tmp_path):
    load_store(_write(tmp_path, copy.deepcopy(TABLES)))  # the helper itself damages nothing


def test_a_changed_character_is_found_by_the_checksum(tmp_path):
    tables = copy.deepcopy(TABLES)
    clause = tables["clauses"]["14"]
    assert clause["body"].count("經認定的") == 1
    clause["body"] = clause["body"].replace("經認定的", "未認定的")  # same length: every offset holds
    clause["text"] = clause["text"].replace("經認定的", "未認定的")
    path = _write(tmp_path, tables, checksum=False)
    with pytest.raises(StoreError, match="does not match its checksum"):
        load_store(path)


def test_every_sampled_bit_flip_is_refused(tmp_path):
    """A flipped bit anywhere (200 places spread over the file) never loads as a store."""
    rng = random.Random(20241128)
    path = tmp_path / "flipped.json"
    for offset in sorted(rng.sample(range(len(RAW)), 200)):
        data = bytearray(RAW)
        data[offset] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        with pytest.raises(StoreError):
            load_store(path)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "store.json"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def load():
        try:
            load_store(fifo)
        except StoreError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock it, then fail: the load waited for a writer
        with open(fifo, "wb"):
            pass
        pytest.fail("load_store blocked on a FIFO")
    assert outcome and "not a regular file" in str(outcome[0])


def test_an_old_store_says_to_rebuild(tmp_path):
    tables = copy.deepcopy(TABLES)
    tables["meta"]["1"]["schema_version"] = 1
    path = _write(tmp_path, tables)
    with pytest.raises(StoreError, match=f"schema version 1, this hzpolicy-tui reads version {SCHEMA_VERSION}"):
        load_store(path)
