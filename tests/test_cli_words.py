"""The command line speaks the reader's script and language: every command in Simplified
prints no Traditional-only character, ``--lang en`` is English, ``--help`` and argparse's own
words follow, the setting saved in the app is the default, and ``overview``."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date

import opencc
import pytest

from hzpolicy.__main__ import run
from hzpolicy.core import present
from hzpolicy.core.i18n import Locale
from hzpolicy.core.userdata import DB_NAME, UserData, data_dir

T2S = opencc.OpenCC("t2s")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = run(list(argv))
    except SystemExit as exit_:  # --help and argparse's own errors
        code = exit_.code if isinstance(exit_.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def _simplified_only(text: str) -> bool:
    return T2S.convert(text) == text


# --- Simplified: no Traditional-only character in anything printed ---------------------------------

SIMPLIFIED_COMMANDS = [
    ("list",),
    ("show", "14"),
    ("show", "36"),
    ("search", "研发补助"),
    ("search", "集成电路"),
    ("agencies",),
    ("agencies", "--json"),
    ("overview",),
    ("overview", "--json"),
    ("export", "clause", "14", "--format", "md"),
    ("export", "clause", "14", "--format", "csv"),
    ("export", "clause", "14", "--format", "json"),
    ("export", "search", "研发", "--format", "md"),
    ("export", "bookmarks", "--format", "md"),
    ("export", "bookmarks", "--format", "csv"),
    ("export", "bookmarks", "--format", "json"),
    ("bookmarks",),
    ("notes",),
    ("--help",),
    ("show", "--help"),
]


@pytest.mark.parametrize("argv", SIMPLIFIED_COMMANDS, ids=" ".join)
def test_every_command_in_simplified_prints_no_traditional_character(capsys, argv):
    user = UserData()
    assert user.set_bookmark(14, True) is None and user.set_note(14, "问一下区里的申报时间") is None
    assert user.set_note(36, "软件企业") is None
    code, out, err = _run(capsys, *argv, "--script", "simplified")
    assert code == 0, err
    assert out.strip() and err == ""
    changed = [(a, b) for a, b in zip(out, T2S.convert(out), strict=True) if a != b]
    assert _simplified_only(out), changed[:10]


def test_simplified_figures_and_labels_of_a_clause(capsys):
    code, out, _ = _run(capsys, "show", "14", "--script", "simplified")
    assert code == 0 and "200万元" in out and "200萬元" not in out
    assert "[金额与比例]" in out and "牵头单位: 市科技局" in out
    code, out, _ = _run(capsys, "export", "bookmarks", "--script", "simplified")
    assert code == 0 and out == "# 关于进一步推动经济高质量发展的若干政策: 书签与笔记\n"  # nothing bookmarked yet


def test_exported_clauses_are_the_presentation_layers_fields_and_page(capsys, doc):
    loc = Locale("simplified")
    user = UserData()
    assert user.set_bookmark(14, True) is None and user.set_note(14, "第一行\n第二行") is None
    code, out, _ = _run(capsys, "export", "clause", "14", "--format", "json", "--script", "simplified")
    data = json.loads(out)
    assert data["title"] == doc.title_simplified and data["records"] == [present.clause_fields(doc, 14, loc)]
    code, out, _ = _run(capsys, "export", "clause", "14", "--format", "csv", "--script", "simplified")
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["domain_title"] == "科技创新政策" and row["money"].startswith("200万元、200万元")
    code, out, _ = _run(capsys, "export", "clause", "14", "--script", "simplified")
    page = present.clause_page(doc, 14, loc, date.today())
    assert out == f"# {doc.title_simplified}\n\n{page.markdown()}"
    code, out, _ = _run(capsys, "export", "bookmarks", "--script", "simplified")
    page = present.clause_page(doc, 14, loc, date.today(), note="第一行\n第二行", bookmarked=True)
    assert out == f"# {doc.title_simplified}: 书签与笔记\n\n{page.markdown()}"
    assert "### 我的笔记\n第一行\n第二行" in out
    code, out, _ = _run(capsys, "export", "bookmarks", "--format", "json")
    assert code == 0
    (record,) = json.loads(out)["records"]
    assert record == {**present.clause_fields(doc, 14, Locale()), "bookmarked": True, "note": "第一行\n第二行"}


def test_export_meta_lines_are_labelled_in_the_readers_words(capsys, index):
    query = "研发 补助 xyz 多少"  # xyz is nowhere, 多少 a question word
    n = index.search(query, limit=None).total
    code, out, _ = _run(capsys, "export", "search", query, "--script", "simplified")
    head = (
        f"# 搜索: {query}\n\n- 符合的位置: {n}\n- 含全部词语的位置: 0\n- 文件中没有的词语: xyz\n- 略去的疑问词: 多少\n"
    )
    assert n > 0 and out.startswith(head)
    code, out, _ = _run(capsys, "export", "search", query, "--lang", "en")
    head = f"# Search: {query}\n\n- Places found: {n}\n- With every word: 0\n- Not in the document: xyz\n"
    assert out.startswith(head + "- Left out (question words): 多少\n")
    code, out, _ = _run(capsys, "export", "search", query, "--format", "json", "--lang", "en")
    data = json.loads(out)  # JSON keys stay English
    assert code == 0 and data["not_in_document"] == ["xyz"] and data["left_out"] == ["多少"]


# --- English ----------------------------------------------------------------------------------------


def test_lang_en_prints_english_messages(capsys, tmp_path):
    code, out, _ = _run(capsys, "search", "研发补助", "--lang", "en", "--limit", "2")
    assert out.splitlines()[:2] == ["11 places match; showing 2", "5 of them have every word"]
    assert out.splitlines()[5] == "    clause | has 研发 + 补助"
    code, out, _ = _run(capsys, "search", "集成电路", "--lang", "en")
    assert out.splitlines()[0] == "2 places match"
    code, out, _ = _run(capsys, "search", "集成电路")
    assert out.splitlines()[0] == "2 處符合"
    target = tmp_path / "c.md"
    code, _, err = _run(capsys, "export", "clause", "14", "-o", str(target), "--lang", "en")
    assert code == 0 and err == f"wrote {target} (1 record, md)\n"
    code, _, err = _run(capsys, "export", "clause", "14", "-o", str(target), "--force")
    assert code == 0 and err == f"已寫入 {target} (1 筆, md)\n"
    code, _, err = _run(capsys, "export", "search", "--lang", "en")
    assert code == 2 and err == "hzpolicy-tui: error: export search needs a query, e.g. export search 研发\n"
    code, _, err = _run(capsys, "bookmarks", "add", "--lang", "en")
    assert code == 2 and err == "hzpolicy-tui: error: bookmarks add needs a clause: e.g. bookmarks add 14\n"
    code, _, err = _run(capsys, "search", "x", "--limit", "0", "--script", "simplified")
    assert code == 2 and err == "hzpolicy-tui: 错误: --limit 至少要是 1\n"


def test_english_clause_page_and_overview(capsys):
    code, out, _ = _run(capsys, "show", "14", "--lang", "en")
    assert out.splitlines()[1] == "Clause 14 | 二、科技創新政策" and "[Money and percentages]" in out
    code, out, _ = _run(capsys, "overview", "--lang", "en", "--script", "simplified")
    assert code == 0 and "8 domains, 76 clauses" in out and "Total city funding: 490亿元" in out and "[Targets]" in out


def test_warnings_of_an_export_are_in_the_readers_words(capsys):
    user = UserData()
    assert user.set_bookmark(14, True) is None and user.set_bookmark(99, True) is None
    code, _, err = _run(capsys, "export", "bookmarks", "--script", "simplified")
    assert code == 0 and err == "hzpolicy-tui: 第 99 条有书签或笔记, 但不在这份政策中; 已略过\n"
    assert user.set_note(98, "x") is None
    code, _, err = _run(capsys, "export", "bookmarks", "--lang", "en")
    assert err == "hzpolicy-tui: clauses 98, 99 are bookmarked or noted but not in this package; left out\n"


# --- --help and argparse's own words ---------------------------------------------------------------


def test_help_is_chinese_by_default_and_english_with_lang_en(capsys):
    code, out, _ = _run(capsys, "--help")
    assert code == 0 and out.startswith("用法: hzpolicy-tui ")
    help_line = "-h, --help            顯示這份說明並結束"
    for words in ("位置參數:", "選項:", help_line, "搜尋條文", "不帶命令時打開應用程式"):
        assert words in out
    assert "usage" not in out and "show this help" not in out and "options:" not in out
    for argv in (("--help", "--lang", "en"), ("--lang", "en", "--help"), ("--lang=en", "--help")):
        code, out, _ = _run(capsys, *argv)
        assert code == 0 and out.startswith("usage: hzpolicy-tui ")
        assert "positional arguments:" in out and "options:" in out and "show this help message and exit" in out
        assert "search the clauses" in out and "overview" in out and "用法" not in out
    code, out, _ = _run(capsys, "export", "--help", "--script", "simplified")
    assert out.startswith("用法: hzpolicy-tui export ") and "把一条条文、搜索结果、书签或计算结果导出为" in out


def test_argparse_errors_are_one_line_in_the_readers_words(capsys):
    """A mistake in the arguments is one line on standard error (no usage block), naming the
    command whose --help to read and the argument by its name in the reader's words."""
    cases = [
        (("list", "--bogus"), "hzpolicy-tui list: 錯誤: 無法辨識的參數: --bogus (hzpolicy-tui list --help)"),
        (
            ("export", "nothing", "--script", "simplified"),
            "hzpolicy-tui export: 错误: 参数 类别: 无效的选项: 'nothing' "
            "(可选: 'clause', 'search', 'bookmarks', 'calc') (hzpolicy-tui export --help)",
        ),
        (
            ("export", "clause", "14", "--format", "pdf"),
            "hzpolicy-tui export: 錯誤: 參數 --format: 無效的選項: 'pdf' (可選: 'md', 'csv', 'json', 'html') "
            "(hzpolicy-tui export --help)",
        ),
        (("show",), "hzpolicy-tui show: 錯誤: 缺少必要的參數: 條文 (hzpolicy-tui show --help)"),
        (
            ("show", "--lang", "en"),
            "hzpolicy-tui show: error: the following arguments are required: CLAUSE (hzpolicy-tui show --help)",
        ),
        (
            ("search", "--script", "simplified"),
            "hzpolicy-tui search: 错误: 缺少必要的参数: 搜索词 (hzpolicy-tui search --help)",
        ),
        (
            ("--script", "foo"),
            "hzpolicy-tui: 錯誤: 參數 --script: 無效的選項: 'foo' (可選: 'traditional', 'simplified') "
            "(hzpolicy-tui --help)",
        ),
        (("frobnicate", "--lang", "en"), "hzpolicy-tui: error: argument COMMAND: invalid choice: 'frobnicate' (choose"),
        (("list", "--lang", "fr"), "hzpolicy-tui list: 錯誤: 參數 --lang: 無效的選項: 'fr' (可選: 'zh', 'en')"),
    ]
    for argv, line in cases:
        code, out, err = _run(capsys, *argv)
        assert code == 2 and out == "", argv
        assert len(err.splitlines()) == 1 and err.startswith(line), err  # not a language: the default speaks


def test_positional_arguments_are_named_in_the_readers_words_in_help_too(capsys):
    code, out, _ = _run(capsys, "show", "--help")
    assert code == 0 and out.splitlines()[2].strip() == "條文" and "\n  條文 " in out
    code, out, _ = _run(capsys, "export", "--help", "--lang", "en")
    assert "KIND [ITEM]" in " ".join(out.split()) and "what to export: clause, search, bookmarks, calc" in out
    code, out, _ = _run(capsys, "bookmarks", "--help", "--script", "simplified")
    assert "[操作] [条文]" in out and "add, remove (省略则列出全部)" in out


def test_argparse_is_left_as_it_was(capsys):
    before = dict(vars(argparse))
    _run(capsys, "--help")
    _run(capsys, "list", "--bogus", "--lang", "en")
    assert {k: v for k, v in vars(argparse).items() if k in ("_", "ngettext")} == {
        k: before[k] for k in ("_", "ngettext")
    }


# --- the setting saved in the app is the default -----------------------------------------------------


def test_the_saved_setting_is_the_default(capsys, doc):
    user = UserData()
    assert user.set("script", "simplified") is None and user.set("lang", "en") is None
    code, out, _ = _run(capsys, "list")
    assert code == 0 and out.splitlines()[0] == doc.title_simplified and _simplified_only(out)
    code, _, err = _run(capsys, "show", "99")
    assert code == 2 and err.startswith("hzpolicy-tui: error: no clause '99'")
    code, out, _ = _run(capsys, "--help")
    assert out.startswith("usage: ") and "关于进一步推动经济高质量发展的若干政策" in "".join(out.split())
    # given on the command line, the option wins over the setting
    code, out, _ = _run(capsys, "list", "--script", "traditional", "--lang", "zh")
    assert out.splitlines()[0] == doc.title
    code, _, err = _run(capsys, "show", "99", "--lang", "zh")
    assert err.startswith("hzpolicy-tui: 错误: 没有条文「99」")  # Simplified as saved, Chinese as asked
    code, out, _ = _run(capsys, "export", "clause", "14", "--format", "json")
    assert json.loads(out)["records"][0]["title"] == doc.clause(14).title_simplified


def test_reading_the_settings_creates_no_user_data(capsys):
    code, out, err = _run(capsys, "list")
    assert code == 0 and out and err == ""
    assert not data_dir().exists()


def test_a_damaged_user_store_does_not_stop_list_or_show(capsys, doc):
    store = data_dir() / DB_NAME
    data_dir().mkdir(parents=True)
    for argv in (("list", "--lang", "en"), ("show", "14")):
        store.write_bytes(b"not a database at all" * 100)
        code, out, err = _run(capsys, *argv)
        assert code == 0 and out.startswith((doc.title, "(十四) "))  # the defaults
        assert err.startswith("hzpolicy-tui: ") and str(store) in err and len(err.splitlines()) == 1
        assert "damaged" in err or argv[-1] != "en"
        code, out, err = _run(capsys, *argv)
        assert code == 0 and err == ""  # moved aside once, a new one since


def test_an_unusable_user_store_does_not_stop_list_or_show(capsys, tmp_path, monkeypatch, doc):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("HZPOLICY_DATA_DIR", str(blocker))  # the data folder cannot be made
    for argv in (("list",), ("show", "14"), ("overview", "--json")):
        code, out, err = _run(capsys, *argv)
        assert code == 0 and out and err == ""
    code, _, err = _run(capsys, "bookmarks", "add", "14", "--lang", "en")
    assert code == 2 and "cannot use" in err


# --- overview ---------------------------------------------------------------------------------------


def test_overview_text(capsys, doc):
    code, out, err = _run(capsys, "overview", "--script", "simplified")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == doc.title_simplified and "8 个领域, 76 条政策" in lines
    assert "市级财政支持总额: 490亿元" in lines
    for d in doc.domains:  # in the list of domains, and each in brief
        assert out.count(f"{d.numeral}、{d.title_simplified}") == 2
    assert "牵头单位: 市科技局" in lines and "市财政2024年预算安排 112.1亿元 (第9条)" in lines
    assert "- 全市研发投入强度争取达到3.95%" in lines
    assert out.count("[目标]") == sum(1 for d in doc.domains if d.targets)
    assert "[导语]" not in out and "[条文]" not in out  # in brief: no introductions, no clause lists
    code, out, _ = _run(capsys, "overview")
    assert "市級財政支持總額: 490億元" in out.splitlines()


def test_overview_json(capsys, doc):
    code, out, _ = _run(capsys, "overview", "--json", "--script", "simplified")
    data = json.loads(out)
    assert data == present.document_fields(doc, Locale("simplified"))
    assert data["title"] == doc.title_simplified and data["total"]["text"] == "490亿元"
    assert len(data["domains"]) == 8 and data["domains"][1]["title"] == "科技创新政策"
    assert "全市研发投入强度争取达到3.95%" in data["domains"][1]["targets"]
    assert data["domains"][1]["budget"]["text"] == "112.1亿元"
    code, out, _ = _run(capsys, "overview", "--json")
    assert code == 0 and json.loads(out)["total"]["text"] == "490億元"
