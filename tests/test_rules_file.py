"""A rules file that is not UTF-8 TOML, or holds a value of the wrong type, fails the build
with one RuleError naming the problem (one line, exit 2, no store), never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hzpolicy.__main__ import run
from hzpolicy.core.rules import RuleError, load_rules

from .conftest import SOURCE

RULES = Path(__file__).resolve().parent.parent / "data" / "calculator-rules.toml"
TEXT = RULES.read_text(encoding="utf-8")


def _edit(old: str, new: str) -> str:
    assert old in TEXT, old
    return TEXT.replace(old, new, 1)


POWER_CONDITIONS = 'conditions = [{ fact = "hitech_investment_project", equals = true }]'
POWER_FORMULA = 'formula = { shape = "reduced_fee", base = "high_reliability_power_fee", pay = "70%" }'

# (file content, words the message holds)
BAD: dict[str, tuple[bytes, str]] = {
    "binary": (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)), "is binary"),
    "gb18030": (TEXT.encode("gb18030"), "is not UTF-8 text (line 1)"),
    "not toml": (b"[[rule]\nid = 1\n", "is not valid TOML"),
    "rule is a number": (b"rule = 5\n", "rule must be an array of tables ([[rule]]"),
    "rule is a table": (b'[rule]\nid = "x"\n', "rule must be an array of tables"),
    "a rule is not a table": (b"rule = [5]\n", "rule number 1 must be a table"),
    "a rule without an id": (b'[[rule]]\ntitle = "x"\n', "rule number 1 has no id"),
    "an id that is not text": (_edit('id = "c05-power-fee"', "id = [5]").encode(), "rule number 1 has no id"),
    "not_calculable is not a table": (b"not_calculable = 3\n", "not_calculable must be a table"),
    "a key that is not a clause number": (_edit("\n1 = ", '\n"abc" = ').encode(), "'abc' is not a clause number"),
    "a clause the document lacks": (_edit("\n1 = ", "\n999 = ").encode(), "clause 999 is not in the document"),
    "a reason that is not text": (_edit("\n1 = ", "\n1 = 5\n100 = ").encode(), "clause 1 must be text"),
    "an unknown top-level key": (TEXT.replace("[[rule]]", "[[rules]]").encode(), "unknown key rules"),
    "document_sha256 is not text": (re.sub(r'document_sha256 = "\w+"', "document_sha256 = 5", TEXT).encode(), "text"),
    "an unquoted date": (
        _edit('default_valid_from = "2024-01-01"', "default_valid_from = 2024-01-01").encode(),
        "in quotes",
    ),
    "a year out of range": (
        _edit('default_valid_to = "2024-12-31"', 'default_valid_to = "2101-12-31"').encode(),
        "1949–2100",
    ),
    "a period that ends first": (
        _edit('default_valid_to = "2024-12-31"', 'default_valid_to = "2023-12-31"').encode(),
        "before",
    ),
    "clause is text": (_edit("clause = 5\n", 'clause = "5"\n').encode(), "clause must be a clause number"),
    "exact is text": (_edit("exact = true\n", 'exact = "yes"\n').encode(), "exact must be true or false"),
    "title is a number": (_edit('title = "高新技術', 'title = 5\nnote = "').encode(), "title must be text"),
    "formula is text": (_edit(POWER_FORMULA, 'formula = "fixed"').encode(), "formula must be a table"),
    "conditions is text": (
        _edit(POWER_CONDITIONS, 'conditions = "x"').encode(),
        "conditions must be an array of tables",
    ),
    "a condition's fact is a list": (
        _edit(POWER_CONDITIONS, 'conditions = [{ fact = ["x"] }]').encode(),
        "unknown fact",
    ),
    "a condition that tests nothing": (
        _edit(POWER_CONDITIONS, 'conditions = [{ fact = "hitech_investment_project" }]').encode(),
        "must have one of equals, one_of or value",
    ),
    "an amount that is a number": (_edit('amount = "1000萬元"', "amount = 1000").encode(), "formula.amount must be"),
    "a misspelt formula field": (_edit('shape = "fixed", amount', 'shape = "fixed", amout').encode(), "holds amout"),
    "a value the calculator cannot read": (
        _edit('value = "1000萬元", words = "達1000萬元"', 'value = "達1000萬元", words = "達1000萬元"').encode(),
        "cannot read the quantity",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_malformed_rules_file_is_one_rule_error(tmp_path, doc, case):
    data, words = BAD[case]
    path = tmp_path / "rules.toml"
    path.write_bytes(data)
    with pytest.raises(RuleError) as err:
        load_rules(path, doc)
    assert words in str(err.value), str(err.value)
    assert "\n" not in str(err.value)


def test_a_byte_that_is_not_utf8_is_named_by_its_line(tmp_path, doc):
    data = TEXT.encode("utf-8").replace(b"# Clause 10:", b"# Clause 10 caf\xe9:")
    path = tmp_path / "rules.toml"
    path.write_bytes(data)
    line = TEXT[: TEXT.index("# Clause 10:")].count("\n") + 1
    with pytest.raises(RuleError) as err:
        load_rules(path, doc)
    assert f"is not UTF-8 text (line {line})" in str(err.value) and err.value.rule is None


CLI_CASES = [
    "binary",
    "gb18030",
    "rule is a number",
    "a rule is not a table",
    "a key that is not a clause number",
    "clause is text",
    "formula is text",
    "an unquoted date",
]


@pytest.mark.parametrize("case", CLI_CASES)
def test_build_with_a_malformed_rules_file_exits_2_in_one_line(tmp_path, capsys, case):
    data, words = BAD[case]
    path = tmp_path / "bad.toml"
    path.write_bytes(data)
    out = tmp_path / "store.json"
    code = run(["--lang", "en", "build", str(SOURCE), "-o", str(out), "--rules", str(path)])
    stdout, stderr = capsys.readouterr()
    assert code == 2 and stdout == "", stderr
    assert words in stderr and "no store was written" in stderr
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    assert not out.exists()


def test_a_rule_may_set_one_end_of_its_validity_and_take_the_other_from_the_default(tmp_path, doc):
    path = tmp_path / "rules.toml"
    path.write_text(
        _edit('id = "c05-power-fee"\n', 'id = "c05-power-fee"\nvalid_to = "2024-06-30"\n'), encoding="utf-8"
    )
    rules = {r["id"]: r for r in load_rules(path, doc)["rules"]}
    assert (rules["c05-power-fee"]["valid_from"], rules["c05-power-fee"]["valid_to"]) == ("2024-01-01", "2024-06-30")


def test_the_shipped_rules_file_loads(doc):
    loaded = load_rules(RULES, doc)
    assert len(loaded["rules"]) == len(doc.rules) and loaded["not_calculable"] == dict(doc.not_calculable)
