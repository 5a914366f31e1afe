"""The reviewed thesaurus: it loads, every group has a word in the document, no group joins
words of different meaning, and a broken file says what is wrong with it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hzpolicy.core.i18n import Locale
from hzpolicy.core.script import search_key
from hzpolicy.core.search import document_keys
from hzpolicy.core.thesaurus import ThesaurusError, load_thesaurus, parse_thesaurus, shipped_thesaurus, unused_groups

EN = Locale("traditional", "en")


def test_the_shipped_thesaurus_loads_and_every_group_has_a_word_in_the_document(doc):
    thesaurus = shipped_thesaurus()
    assert len(thesaurus.groups) >= 40
    assert unused_groups(thesaurus, document_keys(doc)) == []


@pytest.mark.parametrize(
    "word, same",
    [
        ("补贴", {"补助", "资助", "奖补", "奖励", "扶持"}),
        ("芯片", {"集成电路", "半导体"}),
        ("晶片", {"集成电路"}),  # Taiwan wording
        ("大学生", {"高校毕业生", "应届生"}),
        ("高企", {"高新技术企业"}),
        ("科小", {"科技型中小企业"}),
        ("电动汽车", {"新能源汽车", "新能源车"}),
        ("托儿所", {"托育"}),
        ("保障房", {"保障性住房"}),
        ("贴息", {"利息补贴"}),
        ("民营企业", {"民间投资", "民营经济"}),
        ("人才引进", {"引才"}),
        ("上市", {"上市公司"}),
        ("参展", {"展会", "会展"}),
        ("信保", {"信用保险"}),
        ("subsidy", {"补贴", "补助"}),
        ("r&d", {"研发"}),
        ("tax", {"税收"}),
        ("talent", {"人才"}),
        ("loan", {"贷款"}),
        ("export", {"出口"}),
        ("ai", {"人工智能"}),
        ("chip", {"集成电路"}),
        ("startup", {"初创企业"}),
    ],
)
def test_words_a_reader_treats_as_the_same(word, same):
    assert same <= set(shipped_thesaurus().alternatives(search_key(word))), word


@pytest.mark.parametrize(
    "a, b", [("补贴", "保险"), ("研发", "创新"), ("贷款", "贴息"), ("出口", "进口"), ("就业", "创业")]
)
def test_words_of_different_meaning_are_never_joined(a, b):
    assert search_key(b) not in shipped_thesaurus().alternatives(search_key(a))


def test_no_word_is_in_two_groups():
    seen: dict[str, int] = {}
    for n, group in enumerate(shipped_thesaurus().groups):
        for key in {search_key(w) for w in (*group.words, *group.english)}:
            assert seen.setdefault(key, n) == n, key


def test_the_documents_own_aliases_join_as_a_group(index):
    (term,) = index.read("国家电网杭州公司").terms
    assert "国网杭州供电公司" in term.alternatives
    assert {h.number for h in index.search("国家电网杭州公司", limit=None).hits} >= {5, 60}


@pytest.mark.parametrize(
    "text, says",
    [
        (
            '[[group]]\nwords = ["补贴", "补助"]\n[[group]]\nwords = ["补助", "资助"]\n',
            "补助 is in two groups (补贴 and 补助)",
        ),
        (
            '[[group]]\nwords = ["补贴", "保险"]\n[[apart]]\nwords = ["补贴", "保险"]\n',
            "补贴 / 保险 are apart, but one group joins them",
        ),
        ('[[group]]\nwords = ["补", "补助"]\n', "group 1: 补 is a single character: it would match nearly everything"),
        ('[[group]]\nwords = ["补贴"]\nen = ["Sub sidy"]\n', "group 1: Sub sidy must be lower-case English words"),
        ('[[group]]\nwords = ["补贴"]\n', "group 1 (补贴) has nothing to be the same as"),
        ('[[group]]\nwords = "补贴"\n', "group 1: words must be a list of words"),
        ("group = 3\n", "group and apart must be arrays of tables ([[group]], [[apart]])"),
        ('[[group]]\nwords = ["补贴" "补助"]\n', "(at line 2, column"),
    ],
)
def test_a_broken_thesaurus_names_the_problem(text, says):
    with pytest.raises(ThesaurusError) as caught:
        parse_thesaurus(text)
    assert says in str(caught.value.notice)
    assert "Traceback" not in EN.say(caught.value.notice)


def test_a_thesaurus_file_that_cannot_be_read_says_so(tmp_path):
    bad = tmp_path / "t.toml"
    bad.write_bytes(b"\xff\xfe[[group]]")
    with pytest.raises(ThesaurusError, match="is not UTF-8 text"):
        load_thesaurus(bad)
    with pytest.raises(ThesaurusError, match="cannot read"):
        load_thesaurus(tmp_path / "missing.toml")


def test_the_build_reports_groups_a_document_never_uses(doc, capsys, tmp_path):
    from hzpolicy.__main__ import run
    from hzpolicy.cli import _check_thesaurus

    assert run(["build", "-o", str(tmp_path / "s.json")]) == 0
    assert "thesaurus" not in capsys.readouterr().err  # the shipped document uses every group
    few = replace(doc, clauses=doc.clauses[:2], domains=doc.domains[:1], preamble="", closing=())
    unused = unused_groups(shipped_thesaurus(), document_keys(few))
    _check_thesaurus(few, EN)
    err = capsys.readouterr().err
    assert unused and err.startswith(
        f"hzpolicy-tui: search thesaurus: {len(unused)} groups have no word in this document: "
    )
    assert "托育" in err  # clause 71's word, not in the first two clauses
