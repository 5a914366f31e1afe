"""The command line, in-process: output, JSON, exit statuses, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from hzpolicy.__main__ import run

from .conftest import SOURCE, STORE
from .test_parser import MINI


def _run(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json(capsys):
    code, out, _ = _run(capsys, "list", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["domains"]) == 8
    assert sum(len(d["clauses"]) for d in data["domains"]) == 76
    assert data["domains"][1]["clauses"][5] == {
        "number": 14,
        "numeral": "十四",
        "title": "更大力度實施企業研發投入補助政策",
    }


@pytest.mark.parametrize("ref", ["14", "十四", "(十四)", "（十四）", "第十四條"])
def test_show_accepts_every_way_of_naming_a_clause(capsys, ref):
    code, out, _ = _run(capsys, "show", ref, "--json")
    rec = json.loads(out)
    assert code == 0 and rec["number"] == 14 and rec["numeral"] == "十四"
    assert rec["units"][0] == "市科技局" and rec["domain"] == 2
    assert rec["lead_agencies"] == ["市科技局"]
    assert any(m["yuan"] == "2000000" and m["role"] == "ceiling" for m in rec["money"])


def test_show_simplified_reads_like_the_mainland_text(capsys):
    code, out, _ = _run(capsys, "show", "24", "--script", "simplified")
    assert code == 0
    assert "集成电路" in out and "积体电路" not in out and "積體電路" not in out
    assert "落实税收优惠政策" in out


@pytest.mark.parametrize("ref", ["0", "77", "abc", "十十", ""])
def test_show_unknown_clause(capsys, ref):
    code, _, err = _run(capsys, "show", ref)
    assert code == 2 and err == f"hzpolicy-tui: 錯誤: 沒有條文「{ref}」: 請給 1 到 76 的條號, 例如 14、十四 或 (十四)\n"
    code, _, err = _run(capsys, "show", ref, "--lang", "en")
    assert code == 2 and f"error: no clause '{ref}'" in err and "1 to 76" in err and "Traceback" not in err


def test_a_control_character_typed_is_quoted_not_sent_to_the_terminal(capsys):
    code, _, err = _run(capsys, "show", "\x1b[31m", "--lang", "en")
    assert code == 2 and "\x1b" not in err and "no clause '\\x1b[31m'" in err


def test_search_json(capsys):
    code, out, _ = _run(capsys, "search", "集成电路", "--json")
    data = json.loads(out)
    assert code == 0
    assert [r["clause"] for r in data["results"]] == [24, 33]
    first = data["results"][0]
    assert {"clause", "title", "score", "snippet"} <= set(first)
    assert first["score"] >= data["results"][1]["score"]


def test_search_no_match_says_so(capsys):
    code, out, _ = _run(capsys, "search", "量子糾纏電腦")
    # 量子 is in the document once (clause 28): too rare to be a word cut out of another
    assert code == 0 and out == "沒有符合的結果\n文件中沒有: 量子糾纏電腦\n"
    code, out, _ = _run(capsys, "search", "量子糾纏電腦", "--lang", "en", "--script", "simplified")
    assert code == 0 and out == "Nothing matches\nNot in the document: 量子糾纏電腦\n"
    code, out, _ = _run(capsys, "search", "火星 殖民")
    assert code == 0 and out == "沒有符合的結果\n文件中沒有: 火星、殖民\n"


@pytest.mark.parametrize("query", ["(((", ".*", "\\", "。。。", "\x00\x07", "x" * 100_000, "[a-z]+$"])
def test_search_any_string(capsys, query):
    code, out, err = _run(capsys, "search", query, "--json")
    assert code == 0 and json.loads(out)["results"] == [] and err == ""


def test_search_limit(capsys):
    code, out, _ = _run(capsys, "search", "支持", "--json", "--limit", "3")
    data = json.loads(out)
    assert len(data["results"]) == 3 and data["total"] > 3
    code, _, err = _run(capsys, "search", "支持", "--limit", "0")
    assert code == 2 and "--limit" in err


def test_bad_store_message(capsys, tmp_path):
    damaged = tmp_path / "s.json"
    raw = STORE.read_text(encoding="utf-8")
    damaged.write_text(raw[: len(raw) // 2], encoding="utf-8")
    code, out, err = _run(capsys, "--store", str(damaged), "list")
    assert out == ""
    assert code == 2 and str(damaged) in err and "已損壞" in err and f"hzpolicy-tui build 政策文件 -o {damaged}" in err
    code, _, err = _run(capsys, "list", "--store", str(tmp_path / "missing.json"))
    assert code == 2 and "找不到資料庫" in err


@pytest.mark.parametrize("content", ["{not json", '{"rd_spend": 5}', "", '{"meta": {"1": {"name": "mine"}}}'])
def test_a_file_that_is_not_a_store_is_never_offered_to_be_overwritten(capsys, tmp_path, content):
    mine = tmp_path / "bad2.json"
    mine.write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, "list", "--store", str(mine))
    assert code == 2 and out == ""
    assert err.startswith(f"hzpolicy-tui: 錯誤: {mine} 不是 hzpolicy-tui 的資料庫 (") and err.endswith("; 請檢查路徑\n")
    assert "build" not in err and mine.read_text(encoding="utf-8") == content


def test_a_missing_store_is_a_path_to_check_not_a_store_to_build(capsys, tmp_path, monkeypatch):
    from hzpolicy.core import store

    code, _, err = _run(capsys, "list", "--store", "/nonexist.json")
    assert code == 2 and err == "hzpolicy-tui: 錯誤: 找不到資料庫: /nonexist.json; 請檢查路徑\n"
    shipped = tmp_path / "hangzhou-2024.json"  # the installed store, gone: a broken installation
    monkeypatch.setattr(store, "default_store", lambda: shipped)
    code, _, err = _run(capsys, "list", "--store", str(shipped), "--lang", "en")
    assert code == 2 and err == f"hzpolicy-tui: error: the shipped store {shipped} is missing: reinstall hzpolicy-tui\n"


def test_build_and_open_another_package(capsys, tmp_path):
    src = tmp_path / "other.txt"
    src.write_text(MINI, encoding="utf-8")
    out_store = tmp_path / "other.json"
    code, out, _ = _run(capsys, "build", str(src), "-o", str(out_store))
    assert code == 0 and out == f"已寫入 {out_store}: 2 個領域, 3 條, 2 個金額, 0 條計算規則\n"
    code, out, _ = _run(capsys, "build", str(src), "-o", str(out_store), "--lang", "en", "--force")
    assert code == 0 and out == f"wrote {out_store}: 2 domains, 3 clauses, 2 money figures, 0 calculator rules\n"
    code, out, _ = _run(capsys, "--store", str(out_store), "list", "--json")
    assert [c["number"] for d in json.loads(out)["domains"] for c in d["clauses"]] == [1, 2, 3]
    code, out, _ = _run(capsys, "show", "2", "--store", str(out_store))
    assert code == 0 and "市人社局" in out


def test_build_bad_document_exit_2_and_no_store(capsys, tmp_path):
    src = tmp_path / "bad.txt"
    src.write_text(SOURCE.read_text(encoding="utf-8").replace("(十六)", "(十五)", 1), encoding="utf-8")
    out_store = tmp_path / "bad.json"
    code, _, err = _run(capsys, "build", str(src), "-o", str(out_store))
    assert code == 2 and "第 54 行" in err and "出現了兩次" in err and "未寫入資料庫" in err
    assert not out_store.exists()


def test_build_missing_source(capsys, tmp_path):
    code, _, err = _run(capsys, "build", str(tmp_path / "none.txt"), "-o", str(tmp_path / "x.json"))
    assert code == 2 and err == f"hzpolicy-tui: 錯誤: 找不到政策文件: {tmp_path / 'none.txt'}\n"
    code, _, err = _run(capsys, "build", str(tmp_path / "none.txt"), "--lang", "en", "--script", "simplified")
    assert code == 2 and err == f"hzpolicy-tui: error: source document not found: {tmp_path / 'none.txt'}\n"


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as e:
        run(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.startswith("hzpolicy-tui ")
    with pytest.raises(SystemExit) as e:
        run(["--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0 and "search" in out and "build" in out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        run(["frobnicate"])
    assert e.value.code == 2


def test_store_path_default_is_shipped():
    from hzpolicy.core.paths import default_store

    assert default_store().read_bytes() == STORE.read_bytes()


def test_show_simplified_prints_the_stores_simplified_fields(capsys, doc):
    from hzpolicy.core.script import typeset

    clause = doc.clause(14)
    domain = doc.domain_of(clause)
    assert clause.title_simplified != clause.title and clause.body_simplified != clause.body  # else nothing is shown
    code, out, err = _run(capsys, "show", "14", "--script", "simplified")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"({clause.numeral}) {clause.title_simplified}"
    assert lines[1] == f"第14条 | {domain.numeral}、{domain.title_simplified}"
    assert lines[2].startswith("有效期: 2024-01-01 ~ 2024-12-31  [")
    assert typeset(clause.body_simplified) in lines  # the pane's punctuation, the same characters
    agencies = "牵头单位: " + "、".join(domain.lead_agencies_simplified)
    assert f"{agencies} | 责任单位: " + "、".join(clause.units_simplified) in lines
    assert "[金额与比例]" in lines and "- 200万元 [上限] = 2,000,000元" in lines
    for traditional in ("領域", "牽頭單位", "責任單位", "萬元", "金額", clause.title, "研發"):
        assert traditional not in out


def test_show_prints_the_clause_page_of_the_presentation_layer(capsys, doc):
    from datetime import date

    from hzpolicy.core import present
    from hzpolicy.core.i18n import Locale

    for argv, loc in [((), Locale()), (("--lang", "en", "--script", "simplified"), Locale("simplified", "en"))]:
        code, out, _ = _run(capsys, "show", "十四", *argv)
        assert code == 0 and out == present.clause_page(doc, 14, loc, date.today()).text()
    assert "Money and percentages" in out and "- 200万元 [ceiling] = 2,000,000 yuan" in out


def test_show_json_keeps_its_fields_and_adds_the_clause_as_shown(capsys, doc):
    from hzpolicy.core import present
    from hzpolicy.core.i18n import Locale

    code, out, _ = _run(capsys, "show", "14", "--json", "--script", "simplified")
    assert code == 0
    rec = json.loads(out)
    assert rec["title"] == doc.clause(14).title_simplified == rec["title_simplified"]  # the chosen script
    assert rec["domain_title_simplified"] == "科技创新政策" and rec["valid_to"] == "2024-12-31"
    assert rec["shown"] == present.clause_fields(doc, 14, Locale("simplified"))
    assert "200万元" in rec["shown"]["money"] and rec["shown"]["units"][0] == "市科技局"


# --- a reader that stops reading: `hzpolicy-tui list | head -1` ----------------------------------
# The command line promises (hzpolicy/__main__.py): a closed pipe ends it quietly with status
# 0, never a traceback. Run for real in a subprocess, on a pipe this test controls, with
# standard output buffered (Python's default for a pipe) and unbuffered (PYTHONUNBUFFERED, as
# some shells and CI runners set it): the user of a pipe chooses neither.

STDOUT = [pytest.param(True, id="buffered"), pytest.param(False, id="unbuffered")]


def _cli_into_pipe(write_fd: int, buffered: bool, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen([sys.executable, "-m", "hzpolicy", *args], stdout=write_fd, stderr=subprocess.PIPE, env=env)
    os.close(write_fd)  # the child holds the only writing end
    return proc


@pytest.mark.parametrize("buffered", STDOUT)
def test_a_reader_gone_before_any_output(buffered):
    read_fd, write_fd = os.pipe()
    os.close(read_fd)  # like `hzpolicy-tui list | true`: every write fails
    proc = _cli_into_pipe(write_fd, buffered, "list")
    err = proc.communicate(timeout=60)[1].decode()
    assert (proc.returncode, err) == (0, "")


@pytest.mark.skipif(fcntl is None or not hasattr(fcntl, "F_SETPIPE_SZ"), reason="sets a pipe's size (Linux)")
@pytest.mark.parametrize("buffered", STDOUT)
def test_a_reader_that_stops_after_the_first_line(capsys, buffered):
    # The pipe holds one page, so the command blocks once it is full: the rest of its output
    # can only meet a closed pipe, whatever the timing.
    pipe_size = 4096
    assert run(["list", "--json"]) == 0
    full = capsys.readouterr().out.encode()
    first = full[: full.index(b"\n") + 1]
    assert len(full) > pipe_size + len(first)  # so the command cannot finish before the reader goes
    read_fd, write_fd = os.pipe()
    fcntl.fcntl(read_fd, fcntl.F_SETPIPE_SZ, pipe_size)
    assert fcntl.fcntl(read_fd, fcntl.F_GETPIPE_SZ) == pipe_size
    proc = _cli_into_pipe(write_fd, buffered, "list", "--json")
    line = b""
    try:
        while not line.endswith(b"\n"):  # byte by byte, like `head -1`: no more than the line
            byte = os.read(read_fd, 1)
            assert byte, "the command wrote no line"
            line += byte
    finally:
        os.close(read_fd)
    err = proc.communicate(timeout=60)[1].decode()
    assert line == first
    assert (proc.returncode, err) == (0, "")
