"""No input crashes it: hostile profiles, arguments and stores, a full disk, a closed pipe,
and the program's own failures (a crash report, a non-zero exit), fuzzed where it helps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hzpolicy.__main__ import run
from hzpolicy.core.crash import EXIT_INTERNAL
from hzpolicy.core.facts import FACTS, ProfileError, ProfileFileError, read_profile, validate_profile
from hzpolicy.core.store import StoreError, load_store

from .conftest import ROOT, STORE

FUZZ = settings(
    max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = run(list(argv))
    except SystemExit as exit_:  # argparse's own usage errors and --help
        code = exit_.code if isinstance(exit_.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


# --- profiles ---------------------------------------------------------------------------------------

HOSTILE = [
    ('{"rd_spend": 1e-999999999}', "not a figure"),
    ('{"hq_star_rating": 1e999999999}', "whole number"),
    ('{"rd_spend": 1e-1000000}', "not a figure"),
    ('{"rd_spend": ' + "9" * 5000 + "}", "not a figure"),
    ('{"rd_spend": NaN}', "NaN"),
    ('{"rd_spend": -Infinity}', "Infinity"),
    ('{"rd_spend": "1,0,0,0"}', "commas may only group thousands"),
    ("[" * 100_000 + "]" * 100_000, "nested far too deeply"),
    ('{"rd_spend": 1}' + " " * 300_000, "bytes"),
    ("{" + ",".join(f'"k{i}": 1' for i in range(500)) + "}", "500 keys"),
]


@pytest.mark.parametrize(("text", "words"), HOSTILE, ids=[w for _, w in HOSTILE])
def test_a_hostile_profile_is_one_line_and_exit_2(capsys, tmp_path, text, words):
    path = tmp_path / "profile.json"
    path.write_bytes(text.encode())
    code, out, err = _cli(capsys, "--lang", "en", "calc", str(path), "--date", "2024-06-30")
    assert code == 2 and out == ""
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) <= 2


def test_a_profile_that_is_not_utf8_is_named(capsys, tmp_path):
    path = tmp_path / "profile.json"
    path.write_bytes(b'\xff{"rd_spend": 1}')
    code, _, err = _cli(capsys, "--lang", "en", "calc", str(path))
    assert code == 2 and "not UTF-8" in err


def test_figures_read_as_written_and_minus_zero_is_zero():
    facts = validate_profile(read_profile(b'{"rd_spend": -0.0, "revenue": "1,234,567.5", "rd_spend_prev": 1e3}'))
    assert str(facts["rd_spend"]) == "0" and str(facts["revenue"]) == "1234567.5"
    assert facts["rd_spend_prev"] == 1000


@FUZZ
@given(
    st.dictionaries(
        st.one_of(st.sampled_from(sorted(FACTS)), st.text(max_size=8)),
        st.recursive(
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.floats(allow_nan=False, allow_infinity=False),
                st.decimals(allow_nan=False, allow_infinity=False),
                st.text(max_size=12),
            ),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
            max_leaves=6,
        ),
        max_size=6,
    )
)
def test_any_profile_is_accepted_or_refused_by_name(profile):
    try:
        facts = validate_profile(profile)
    except ProfileError as err:
        assert err.problems and all(isinstance(p.fact, str) and str(p) for p in err.problems)
    else:
        assert set(facts) <= set(FACTS)


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_as_a_profile_file_are_read_or_refused(data):
    try:
        read_profile(data)
    except ProfileFileError as err:
        assert str(err)


# --- arguments --------------------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["14", "十四", "(十四)", "999", "0", "-1", "研发", "補助", "--json", "--script", "simplified", "traditional",
     "--limit", "5", "--format", "csv", "md", "json", "--date", "2024-06-30", "2024-13-45", "clause", "search",
     "bookmarks", "calc", "add", "remove", "set", "show", "--", "-o", "", " ", "\t", "%", "＊"]
)  # fmt: skip
COMMANDS = st.sampled_from(["list", "show", "search", "agencies", "export", "bookmarks", "notes", "profiles", "calc"])


@FUZZ
@given(COMMANDS, st.lists(WORDS | st.text(max_size=10), max_size=5))
def test_any_arguments_give_exit_0_or_2_and_no_traceback(capsys, tmp_path, command, rest):
    rest = [r for r in rest if r != "-o"]  # never write a file into the working folder
    code, _, err = _cli(capsys, command, *rest)
    assert code in (0, 2), err
    assert "Traceback" not in err


def test_an_argument_that_is_not_utf8_is_named(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "hzpolicy", "search", b"\xff\xfe".decode("utf-8", "surrogateescape")],
        capture_output=True,
        cwd=ROOT / "tui",
    )
    assert proc.returncode == 2
    assert "不是有效的 UTF-8 文字" in proc.stderr.decode() and b"Traceback" not in proc.stderr


def test_a_full_disk_on_standard_output_is_one_line(tmp_path):
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "hzpolicy", "list"], stdout=full, stderr=subprocess.PIPE, cwd=ROOT / "tui"
        )
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == "hzpolicy-tui: 錯誤: 無法輸出: 磁碟空間已滿"


def test_a_nul_character_in_an_argument_is_named_not_a_crash(capsys):
    for argv in (["calc", "\x00"], ["list", "--store", "a\x00b"], ["export", "clause", "14", "-o", "\x00"]):
        code, _, err = _cli(capsys, *argv)
        assert code == 2 and "NUL" in err and "Traceback" not in err and "內部錯誤" not in err, err


# --- damaged stores ---------------------------------------------------------------------------------

RAW = STORE.read_bytes()


@FUZZ
@given(st.integers(0, len(RAW) - 1), st.integers(1, 255), st.integers(0, 3))
def test_any_damage_to_a_store_is_refused(tmp_path, offset, xor, cut):
    data = bytearray(RAW)
    data[offset] ^= xor
    damaged = bytes(data)[: len(data) - cut * 997] if cut else bytes(data)
    path = tmp_path / "damaged.json"
    path.write_bytes(damaged)
    with pytest.raises(StoreError) as err:
        load_store(path)
    assert str(path) in str(err.value)


# --- the program's own failures ----------------------------------------------------------------------


def test_an_internal_error_writes_a_report_and_exits_70(capsys, monkeypatch, tmp_path):
    from hzpolicy import cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug, not the user's mistake")

    monkeypatch.setattr(cli, "cmd_list", broken)
    code, _, err = _cli(capsys, "--lang", "en", "list")
    assert code == EXIT_INTERNAL
    assert "internal error (ZeroDivisionError: a bug, not the user's mistake)" in err
    report = Path(err.split("a report is in ")[1].strip())
    text = report.read_text(encoding="utf-8")
    assert "command: --lang en list" in text and "ZeroDivisionError" in text and "Traceback" in text
    assert report.is_relative_to(Path(os.environ["HZPOLICY_DATA_DIR"]))


async def test_the_app_keeps_a_report_when_it_fails(doc, tmp_path, monkeypatch):
    from hzpolicy.screens.main import MainScreen

    from .conftest import make_app

    def broken(self):
        raise RuntimeError("the copy action failed")

    monkeypatch.setattr(MainScreen, "action_copy", broken)
    app = make_app(doc, tmp_path)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f5")
            await pilot.pause()
    assert app.return_code == 1
    assert app.crashed is not None
    error, report = app.crashed
    assert isinstance(error, RuntimeError) and report is not None
    assert "the copy action failed" in report.read_text(encoding="utf-8")


def test_json_outputs_stay_json_under_fuzzing_of_search(capsys):
    for query in ["\x00", "研发补助" * 60, "(", "[" * 300, "1e999万", "%" * 10, "多少", "🙂"]:
        code, out, err = _cli(capsys, "search", query, "--json")
        assert code == 0, err
        assert json.loads(out)["query"] == query
    for query in ["", " ", "\t"]:  # nothing to look for: the reader's mistake, said in one line
        code, out, err = _cli(capsys, "search", query, "--json")
        assert code == 2 and out == "" and err == "hzpolicy-tui: 錯誤: search 需要搜尋字詞, 例如 search 研发\n"
