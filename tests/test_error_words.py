"""What the reader is told about bad input is in the reader's words: a document that does not
parse, a rules file with a mistake, a damaged store, a bad profile, an alias list typo and the
program's own failure each give one line in Chinese, in the reader's script, with Latin letters
only where they are the reader's own (a file's path, a key of their file, the document's
quoted text) or a command to type. The same errors are English as ``str()`` and with ``--lang en``."""

from __future__ import annotations

import json
import re
import string
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path

import opencc
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from hzpolicy.__main__ import run
from hzpolicy.core import store as store_module
from hzpolicy.core.facts import ProfileError, validate_profile
from hzpolicy.core.i18n import Locale, Notice
from hzpolicy.core.parser import ParseError, parse
from hzpolicy.core.paths import default_aliases
from hzpolicy.core.rules import RuleError, load_rules
from hzpolicy.core.store import StoreError, load_store

from .conftest import DATA, ROOT, SOURCE, STORE

T2S = opencc.OpenCC("t2s")
SCRIPTS = ("traditional", "simplified")
ERROR = {"traditional": "hzpolicy-tui: 錯誤: ", "simplified": "hzpolicy-tui: 错误: "}
# Latin words a line may hold besides the reader's own: the program and the commands it tells
# the reader to type. Acronyms (JSON, TOML, UTF, NUL) are in capitals and pass as they are.
COMMAND_WORDS = {"hzpolicy", "build", "iconv"}

SOURCE_TEXT = SOURCE.read_text(encoding="utf-8")
RULES_TEXT = (DATA / "calculator-rules.toml").read_text(encoding="utf-8")
FIRST_RULE = tomllib.loads(RULES_TEXT)["rule"][0]


def _refused(capsys, argv: list[str]) -> str:
    """The one line a refused command prints (exit 2, nothing on standard output)."""
    code = run(argv)
    out, err = capsys.readouterr()
    assert code == 2 and out == "", err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _without(line: str, own: Iterable[str]) -> str:
    for text in sorted(own, key=len, reverse=True):
        line = line.replace(text, " ")
    return line


def _latin_words(line: str) -> list[str]:
    """Words of four or more Latin letters that are neither acronyms nor commands to type."""
    return [w for w in re.findall(r"[A-Za-z]{4,}", line) if not w.isupper() and w not in COMMAND_WORDS]


def _in_readers_words(line: str, script: str, own: Iterable[str]) -> None:
    rest = _without(line, own)
    assert not _latin_words(rest), line
    if script == "simplified":
        changed = [(a, b) for a, b in zip(rest, T2S.convert(rest), strict=True) if a != b]
        assert not changed, (line, changed)


# --- the cases: each writes its bad input and gives (argv, the reader's own text in the line) -------

Case = Callable[[Path, pytest.MonkeyPatch], tuple[list[str], list[str]]]


def _cut_off_document(tmp_path, monkeypatch):
    lines = SOURCE_TEXT.splitlines(keepends=True)
    last = next(i for i, line in enumerate(lines) if line.lstrip().startswith("(三十六)"))
    src = tmp_path / "cut.txt"
    src.write_text("".join(lines[: last + 1]), encoding="utf-8")
    out = tmp_path / "out.json"
    return ["build", str(src), "-o", str(out)], [str(src)]


def _document_in_gb18030(tmp_path, monkeypatch):
    src = tmp_path / "gb.txt"
    src.write_bytes(SOURCE_TEXT.encode("gb18030"))
    return ["build", str(src), "-o", str(tmp_path / "out.json")], [str(src)]


def _rules_not_utf8(tmp_path, monkeypatch):
    rules = tmp_path / "rules.toml"
    rules.write_bytes(RULES_TEXT.encode("gb18030"))
    return ["build", str(SOURCE), "-o", str(tmp_path / "out.json"), "--rules", str(rules)], [str(rules)]


def _rules_not_toml(tmp_path, monkeypatch):
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES_TEXT.replace("[[rule]]", "[[rule]", 1), encoding="utf-8")
    return ["build", str(SOURCE), "-o", str(tmp_path / "out.json"), "--rules", str(rules)], [str(rules)]


def _rule_quote_not_in_its_clause(tmp_path, monkeypatch):
    rules = tmp_path / "rules.toml"
    quote = FIRST_RULE["quote"]
    rules.write_text(RULES_TEXT.replace(quote, "並非" + quote, 1), encoding="utf-8")
    argv = ["build", str(SOURCE), "-o", str(tmp_path / "out.json"), "--rules", str(rules)]
    return argv, [str(rules), FIRST_RULE["id"], repr(("並非" + quote)[:40])]


def _store_changed_after_its_build(tmp_path, monkeypatch):
    path = tmp_path / "store.json"
    path.write_text(STORE.read_text(encoding="utf-8").replace("市科技局", "市科技廳", 1), encoding="utf-8")
    return ["list", "--store", str(path)], [str(path)]


def _store_cut_in_half(tmp_path, monkeypatch):
    path = tmp_path / "store.json"
    raw = STORE.read_text(encoding="utf-8")
    path.write_text(raw[: len(raw) // 2], encoding="utf-8")
    return ["list", "--store", str(path)], [str(path)]


def _store_missing_a_field(tmp_path, monkeypatch):
    path = tmp_path / "store.json"
    path.write_text(STORE.read_text(encoding="utf-8").replace('"body":', '"bodx":', 1), encoding="utf-8")
    return ["list", "--store", str(path)], [str(path), "clauses[1]", "body"]  # a place in the file, its key


def _profile_value(tmp_path, monkeypatch):
    path = tmp_path / "profile.json"
    path.write_text('{"rd_spend": "abc"}', encoding="utf-8")
    return ["calc", str(path), "--date", "2024-06-30"], ["rd_spend"]


def _profile_negative(tmp_path, monkeypatch):
    path = tmp_path / "profile.json"
    path.write_text('{"rd_spend": -5}', encoding="utf-8")
    return ["calc", str(path), "--date", "2024-06-30"], ["rd_spend"]


def _profile_not_json(tmp_path, monkeypatch):
    path = tmp_path / "profile.json"
    path.write_text('{"rd_spend": 1,}', encoding="utf-8")
    return ["calc", str(path)], [str(path)]


def _not_a_store(tmp_path, monkeypatch):
    path = tmp_path / "bad2.json"
    path.write_text('{"rd_spend": 5}', encoding="utf-8")
    return ["list", "--store", str(path)], [str(path), "meta"]  # a file of the reader's, a table's name


def _missing_store(tmp_path, monkeypatch):
    path = tmp_path / "nonexist.json"
    return ["list", "--store", str(path)], [str(path)]


def _export_over_a_folder(tmp_path, monkeypatch):
    return ["export", "clause", "14", "-o", str(tmp_path)], [str(tmp_path)]


def _export_below_a_file(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    return ["export", "clause", "14", "-o", str(blocker / "out.md")], [str(blocker / "out.md")]


def _profile_too_large(tmp_path, monkeypatch):
    path = tmp_path / "profile.json"
    path.write_text('{"rd_spend": 1000000000}', encoding="utf-8")
    return ["calc", str(path), "--date", "2024-06-30"], ["rd_spend"]


def _alias_typo(tmp_path, monkeypatch):
    path = tmp_path / "aliases.toml"
    path.write_text(default_aliases().read_text(encoding="utf-8").replace("國家電網杭州公司", "國家電網杭洲公司", 1))
    monkeypatch.setattr(store_module, "default_aliases", lambda: path)
    return ["build", str(SOURCE), "-o", str(tmp_path / "out.json")], [str(path), "'國家電網杭洲公司'"]


# (case, what the line says in Traditional, in Simplified)
CASES: dict[str, tuple[Case, str, str]] = {
    "a document cut off": (_cut_off_document, "在條文 (三十六) 之後就結束了", "在条文 (三十六) 之后就结束了"),
    "a document in GB18030": (_document_in_gb18030, "不是有效的 UTF-8 文字", "不是有效的 UTF-8 文本"),
    "a rules file not in UTF-8": (_rules_not_utf8, "規則檔", "规则文件"),
    "a rules file not TOML": (_rules_not_toml, "陣列表格宣告的結尾應為 ']]'", "数组表声明的结尾应为 ']]'"),
    "a quote not in its clause": (_rule_quote_not_in_its_clause, "引文與第 5 條的原文不符", "引文与第 5 条的原文不符"),
    "a store changed after its build": (_store_changed_after_its_build, "內容與檢查碼不符", "内容与校验和不符"),
    "a store cut in half": (_store_cut_in_half, "不是有效的 JSON", "不是有效的 JSON"),
    "a store missing a field": (
        _store_missing_a_field,
        "已損壞 (clauses[1]: 缺少 body)",
        "已损坏 (clauses[1]: 缺少 body)",
    ),
    "a profile value": (
        _profile_value,
        "方案有誤: rd_spend: 應為以萬元計的數字",
        "方案有误: rd_spend: 应为以万元计的数字",
    ),
    "a negative profile value": (_profile_negative, "不能是負數 (-5)", "不能是负数 (-5)"),
    "a profile that is not JSON": (_profile_not_json, "此處應有以雙引號括住的鍵名", "此处应有用双引号括起的键名"),
    "an alias list typo": (_alias_typo, "機構別名清單: 政策文件中沒有", "机构别名列表: 政策文件中没有"),
    "a file that is not a store": (
        _not_a_store,
        "不是 hzpolicy-tui 的資料庫 (它沒有 meta 資料表); 請檢查路徑",
        "不是 hzpolicy-tui 的数据库 (它没有 meta 数据表); 请检查路径",
    ),
    "a store that is not there": (_missing_store, "找不到資料庫: ", "找不到数据库: "),
    "an export over a folder": (
        _export_over_a_folder,
        ": 它不是一般檔案 (而是資料夾、裝置或管道): 不會取代它",
        ": 它不是普通文件 (而是文件夹、设备或管道): 不会替换它",
    ),
    "an export below a file": (_export_below_a_file, ": 路徑中有一段不是資料夾", ": 路径中有一段不是文件夹"),
    "a profile value too large": (_profile_too_large, "萬元大得不合理 (超過1萬億元)", "万元大得不合理 (超过1万亿元)"),
}
# Cases whose files are the reader's own, not a store of ours: never the advice to build over them.
NOT_OURS = ("a file that is not a store", "a store that is not there")


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_in_the_readers_words(capsys, tmp_path, monkeypatch, case, script):
    make, traditional, simplified = CASES[case]
    argv, own = make(tmp_path, monkeypatch)
    line = _refused(capsys, [*argv, "--script", script])
    assert line.startswith(ERROR[script]), line
    assert (traditional if script == "traditional" else simplified) in line, line
    _in_readers_words(line, script, own)
    assert not (tmp_path / "out.json").exists()  # a refused build writes no store
    if case in NOT_OURS:
        assert "build" not in line and line.endswith(("請檢查路徑", "请检查路径")), line


@pytest.mark.parametrize("case", ["a document cut off", "a store missing a field", "an alias list typo"])
def test_the_same_lines_in_english(capsys, tmp_path, monkeypatch, case):
    argv, _ = CASES[case][0](tmp_path, monkeypatch)
    line = _refused(capsys, [*argv, "--lang", "en"])
    assert line.startswith("hzpolicy-tui: error: ") and not re.search(
        r"[\u4e00-\u9fff]{4}", _without(line, ["國家電網杭洲公司"])
    )


@pytest.mark.parametrize(
    "case", ["a profile value", "a profile value too large", "an export over a folder", "an export below a file"]
)
@pytest.mark.parametrize("script", SCRIPTS)
def test_english_lines_hold_no_chinese_of_the_programs_own(capsys, tmp_path, monkeypatch, case, script):
    """In English, the words of a problem are English: no 萬元 for a unit, no Traditional even
    when Simplified is set, no Chinese in the reason the system gives."""
    argv, _ = CASES[case][0](tmp_path, monkeypatch)
    line = _refused(capsys, [*argv, "--lang", "en", "--script", script])
    assert line.startswith("hzpolicy-tui: error: ") and not re.search(r"[\u3400-\u9fff]", line), line


def test_a_profile_with_several_problems_is_one_line_each_in_the_readers_words(capsys, tmp_path):
    path = tmp_path / "profile.json"
    path.write_text('{"rd_spend": "abc", "rd_spnd": 1, "hq_star_rating": 9}', encoding="utf-8")
    code = run(["calc", str(path), "--script", "simplified"])
    _, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2 and lines[0] == "hzpolicy-tui: 错误: 方案有误, 有 3 项要修改:"
    assert lines[1:] == [
        "  rd_spend: 应为以万元计的数字, 却是 'abc'",
        "  未知的项目 'rd_spnd'; 是不是要写 'rd_spend'?",
        "  hq_star_rating: 应在 0 到 5 之间, 却是 9",
    ]


def test_the_programs_own_failure_is_said_in_the_readers_words(capsys, monkeypatch):
    from hzpolicy import cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli, "cmd_list", broken)
    code = run(["list", "--script", "simplified"])
    err = capsys.readouterr().err.strip()
    assert code == 70 and err.startswith("hzpolicy-tui: 程序内部错误 (ZeroDivisionError: boom); 错误报告已保存到 ")
    report = Path(err.rsplit(" ", 1)[1])
    assert report.is_file() and "ZeroDivisionError" in report.read_text(encoding="utf-8")


# --- core's errors: English as str(), the reader's words through Locale.say --------------------------


def _raised(make: Callable[[], object], kind: type[Exception]) -> Exception:
    with pytest.raises(kind) as err:
        make()
    return err.value


def test_core_errors_are_english_as_str_and_translated_by_say(tmp_path):
    bad_rules = tmp_path / "rules.toml"
    bad_rules.write_text("rule = 5\n", encoding="utf-8")
    none = tmp_path / "none.json"
    errors = [
        _raised(lambda: parse(b""), ParseError),
        _raised(lambda: load_rules(bad_rules, None), RuleError),
        _raised(lambda: load_store(none), StoreError),
        _raised(lambda: validate_profile({"hq_star_rating": 9}), ProfileError),
    ]
    assert [str(e) for e in errors] == [
        "the document is empty: expected the text of a policy package",
        "rule must be an array of tables ([[rule]] … ), found the number 5",
        f"store not found: {none}; check the path",
        "hq_star_rating: expected 0 to 5, got 9",
    ]
    hant = Locale("traditional", "zh")
    said = [hant.say(e.notice) for e in errors]  # type: ignore[attr-defined]
    assert said == [
        "政策文件 是空的: 應為政策文件的文字",
        "rule 應是由表格組成的陣列 ([[rule]] … ), 卻是數字 5",
        f"找不到資料庫: {none}; 請檢查路徑",
        "hq_star_rating: 應在 0 到 5 之間, 卻是 9",
    ]
    assert [Locale("traditional", "en").say(e.notice) for e in errors] == [str(e) for e in errors]  # type: ignore[attr-defined]


def test_a_parse_error_keeps_its_line_and_its_message():
    text = SOURCE_TEXT.replace("(二)", "(二十)", 1)
    err = _raised(lambda: parse(text.encode("utf-8")), ParseError)
    assert isinstance(err, ParseError) and err.line is not None
    assert str(err) == f"line {err.line}: {err.message}"
    assert Locale("simplified", "zh").say(err.notice).startswith(f"第 {err.line} 行: 下一条应为 (二) (第 2 条)")


# --- the catalogs: every message of these errors is translated, with the placeholders it is given ----

MODULES = ["parser", "rules", "storecheck", "store", "insights", "crash", "facts", "quantity", "badinput"]


def _messages() -> list[str]:
    found: set[str] = set()
    for name in MODULES:
        path = ROOT / "tui" / "hzpolicy" / "core" / f"{name}.py"
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"Notice": None, "N_": None}
        ):
            found.add(message)
    return sorted(found)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("catalog", ["zh_Hant", "zh_Hans"])
def test_every_message_is_translated_and_formats_with_its_values(catalog):
    po = ROOT / "tui" / "hzpolicy" / "locale" / catalog / "LC_MESSAGES" / "hzpolicy.po"
    with po.open("rb") as fh:
        translations = read_po(fh)
    messages = _messages()
    assert len(messages) > 150
    for message in messages:
        entry = translations.get(message)
        assert entry is not None and entry.string, message
        values = dict.fromkeys(_placeholders(message), "x")
        assert _placeholders(entry.string) == set(values), (message, entry.string)
        entry.string.format(**values)  # no stray brace
        if catalog == "zh_Hans":
            assert T2S.convert(entry.string) == entry.string, entry.string


def test_a_notice_is_its_english_wherever_a_str_is_read():
    notice = Notice("line {line}: {problem}", line=3, problem=Notice("unexpected text"))
    assert notice == "line 3: unexpected text" and json.dumps(notice) == '"line 3: unexpected text"'
    assert Locale("traditional", "zh").say(notice) == "第 3 行: 出現了不該有的文字"
