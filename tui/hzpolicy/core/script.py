"""Scripts and wording: Traditional <-> Simplified, Taiwan -> mainland vocabulary, search keys.

The source is a machine conversion of a mainland text into Traditional characters *with
Taiwan vocabulary substituted* (支持 -> 支援, 高质量 -> 高品質, 集成电路 -> 積體電路 …).
OpenCC's ``tw2sp`` would reverse that, but it also "reverses" IT vocabulary that was never
converted (新增 -> 添加, 核心 -> 内核, 指標 -> 指针 …), so it is not used. Instead we convert
characters only (``t2s``) and then undo the Taiwan substitutions from a reviewed list.

Every conversion here can also report an *alignment*: for each output character, the index
of the input character it came from, so a match found in a search key can be shown in the
text a reader sees. Alignments are stored run-length encoded (see :func:`encode_alignment`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import opencc

from .models import Script

# Taiwan wording found in the source, with what the official mainland text says. Reviewed by
# hand against the document: each pair occurs in it. Applied to Simplified text, longest first.
# Deliberately absent: 智慧商圈 and 智慧商店 (mainland terms too), 使用者付费 (the mainland PPP
# term), and everything tw2sp gets wrong (新增, 核心, 指标, 执行, 建立, 文件, 批次, 整合 …).
MAINLAND_WORDING: dict[str, str] = {
    "智慧财产权": "知识产权",
    "网际网路": "互联网",
    "积体电路": "集成电路",
    "人工智慧": "人工智能",
    "智慧物联": "智能物联",
    "智慧化": "智能化",
    "智慧型": "智能",
    "智慧+": "智能+",
    "+智慧": "+智能",
    # Names and words the 2024 original itself uses, which the Taiwan conversion changed
    # (or which the shorter pairs below would change): kept, or put back, here.
    "高品质步行街": "高品质步行街",  # an official Zhejiang designation: 省级高品质步行街
    "乡村整合改革": "乡村集成改革",
    "共建共用": "共建共享",
    "全省共用": "全省共享",
    "高品质": "高质量",
    "品质": "质量",
    "支援": "支持",
    "软体": "软件",
    "硬体": "硬件",
    "资讯": "信息",
    "网路": "网络",
    "水准": "水平",
    "回圈": "循环",
    "数位": "数字",
}

_PHRASES = sorted(MAINLAND_WORDING, key=len, reverse=True)
_PHRASE_RE = re.compile("|".join(re.escape(p) for p in _PHRASES))

_converters: dict[str, opencc.OpenCC] = {}


def _opencc(config: str) -> opencc.OpenCC:
    conv = _converters.get(config)
    if conv is None:
        conv = _converters[config] = opencc.OpenCC(config)
    return conv


def _t2s_aligned(text: str) -> tuple[str, list[int]]:
    """Characters to Simplified; OpenCC's t2s is phrase-based, so align per phrase."""
    out = _opencc("t2s").convert(text)
    if len(out) == len(text):
        return out, list(range(len(text)))
    # Length changed somewhere: fall back to converting one character at a time.
    chars = [_opencc("t2s").convert(ch) for ch in text]
    result: list[str] = []
    align: list[int] = []
    for i, piece in enumerate(chars):
        result.append(piece)
        align.extend([i] * len(piece))
    return "".join(result), align


def _mainland_aligned(text: str, align: list[int]) -> tuple[str, list[int]]:
    out: list[str] = []
    new_align: list[int] = []
    pos = 0
    for m in _PHRASE_RE.finditer(text):
        out.append(text[pos : m.start()])
        new_align.extend(align[pos : m.start()])
        repl = MAINLAND_WORDING[m.group()]
        src = align[m.start() : m.end()]
        out.append(repl)
        # A shorter replacement ends where the original ends, so spans keep their full width.
        new_align.extend(src[-1] if k == len(repl) - 1 else src[min(k, len(src) - 1)] for k in range(len(repl)))
        pos = m.end()
    out.append(text[pos:])
    new_align.extend(align[pos:])
    return "".join(out), new_align


def simplified_aligned(text: str) -> tuple[str, list[int]]:
    """Traditional (Taiwan wording) -> Simplified (mainland wording), with alignment."""
    simp, align = _t2s_aligned(text)
    return _mainland_aligned(simp, align)


def to_simplified(text: str) -> str:
    """Traditional (Taiwan wording) -> Simplified as the official mainland text reads."""
    return _mainland(_opencc("t2s").convert(text))


def _mainland(simp: str) -> str:
    return _PHRASE_RE.sub(lambda m: MAINLAND_WORDING[m.group()], simp)


# --- A Simplified original ----------------------------------------------------------------


# 并 before a verb is "and" (並): 并购买 is 並購買 (and buy), not 併購 (a merger) + 買.
_AND_BEFORE_VERB = re.compile(r"并(?=购[买置房车]|发[放布挥出起送])")


def to_traditional(text: str) -> str:
    """Simplified -> Traditional characters only (OpenCC ``s2tw``: the standard forms Taiwan
    and Hong Kong readers write, 為 臨床 考核, but no Taiwan vocabulary), the plain fields of
    a document whose original is Simplified. Always the same length as ``text``, character
    for character, so offsets into the original (a money figure's start and end) hold in the
    conversion too: where the phrase conversion changes the length, each character is
    converted on its own. 并 before a verb (并购买, 并发放) is 並, never 併."""
    out = str(_opencc("s2tw").convert(text))
    if len(out) != len(text):
        chars = [str(_opencc("s2tw").convert(ch)) for ch in text]
        out = "".join(c if len(c) == 1 else ch for c, ch in zip(chars, text, strict=True))
    for m in _AND_BEFORE_VERB.finditer(text):
        out = out[: m.start()] + "並" + out[m.start() + 1 :]
    for m in _MAKE.finditer(text):  # 整机制造: s2tw reads 機制 (a mechanism) + 造
        out = out[: m.start()] + "製" + out[m.start() + 1 :]
    return out


# 制造 (to manufacture) is 製造, also where OpenCC's phrases take 机制, 体制 or 编制 first
# (整机制造 -> 整機制造); not where 造 starts a word of its own (机制造成, 体制造就).
_MAKE = re.compile(r"制(?=造(?!成(?!本|品|型|套|功)|價|价|林|福|就))")


def detect_script(text: str) -> Script:
    """The script ``text`` is written in: "simplified" when more of its characters are
    Simplified-only (s2t changes them) than Traditional-only (t2s changes them), else
    "traditional" (also for text with neither: the two readings are then the same)."""
    trad = _opencc("t2s").convert(text)
    simp = _opencc("s2t").convert(text)
    traditional_only = sum(a != b for a, b in zip(text, trad, strict=False))
    simplified_only = sum(a != b for a, b in zip(text, simp, strict=False))
    return "simplified" if simplified_only > traditional_only else "traditional"


# Interface words (not the document's) that differ between Taiwan and mainland software.
UI_MAINLAND = {"搜寻": "搜索", "汇出": "导出", "档案": "文件", "储存": "保存", "剪贴簿": "剪贴板", "视窗": "窗口"}


@lru_cache(maxsize=1024)
def _ui_simplified(text: str) -> str:
    out = to_simplified(text)
    for taiwan, mainland in UI_MAINLAND.items():
        out = out.replace(taiwan, mainland)
    return out


def say(text: str, script: Script) -> str:
    """Interface text written in Traditional, in the reader's script with mainland software
    words (搜尋 -> 搜索): how ``scripts/i18n.py`` fills the Simplified catalog from the
    Traditional one. The app itself speaks through :class:`.i18n.Locale`."""
    return _ui_simplified(text) if script == "simplified" else text


# --- Search keys --------------------------------------------------------------------------

# Terminal escape sequences (colours, cursor moves) and other control characters, as a paste
# from a terminal or a web page may carry: never part of what a reader means to type.
_ESCAPES = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def without_controls(text: str) -> str:
    """``text`` without escape sequences and control characters (a tab or a line break
    becomes a space: a query is one line)."""
    text = _ESCAPES.sub("", text)
    return "".join(" " if ch in "\t\n\r" else ch for ch in text if ch in "\t\n\r" or unicodedata.category(ch) != "Cc")


# A query longer than this is cut (the search box takes no more): no clause holds a longer
# phrase worth typing, and every keystroke's search stays bounded.
MAX_QUERY_CHARS = 200

_KEEP_SYMBOLS = frozenset("%+")


def _is_key_char(ch: str) -> bool:
    if ch in _KEEP_SYMBOLS:
        return True
    cat = unicodedata.category(ch)
    return cat[0] in "LN"


def search_key_aligned(text: str) -> tuple[str, list[int]]:
    """The form both documents and queries are matched in, with alignment to ``text``.

    Simplified characters, mainland wording, NFKC (full width -> half width), case-folded,
    punctuation and spaces dropped (a decimal point between digits is kept).
    """
    simp, align = simplified_aligned(text)
    return _key_from(simp, align)


def _key_from(simp: str, align: list[int]) -> tuple[str, list[int]]:
    out: list[str] = []
    key_align: list[int] = []
    n = len(simp)
    for i, ch in enumerate(simp):
        folded = unicodedata.normalize("NFKC", ch).casefold()
        for f in folded:
            if _is_key_char(f) or (f == "." and 0 < i < n - 1 and simp[i - 1].isdigit() and simp[i + 1].isdigit()):
                out.append(f)
                key_align.append(align[i])
    return "".join(out), key_align


@lru_cache(maxsize=4096)
def search_key(text: str) -> str:
    """Search key of a query (no alignment needed). Kept for the last texts asked: a query is
    read again at every keystroke, its words most of them the same."""
    simp = to_simplified(unicodedata.normalize("NFKC", text))
    return _key_from(simp, list(range(len(simp))))[0]


@lru_cache(maxsize=4096)
def same_characters(a: str, b: str) -> bool:
    """Whether two texts are the same words, whatever the script and width (研發, 研发) but
    not whatever the wording (積體電路 is not 集成电路: one was typed, the other is the text's)."""

    def chars(text: str) -> str:
        return str(_opencc("t2s").convert(unicodedata.normalize("NFKC", text).casefold()))

    return chars(a) == chars(b)


# --- Alignment encoding --------------------------------------------------------------------


def encode_alignment(align: list[int]) -> tuple[tuple[int, int, int], ...]:
    """Run-length encode: ((out_start, src_start, length), …) for runs where src advances by 1."""
    runs: list[list[int]] = []
    for i, src in enumerate(align):
        if runs:
            o, s, ln = runs[-1]
            if i == o + ln and src == s + ln:
                runs[-1][2] += 1
                continue
        runs.append([i, src, 1])
    return tuple((o, s, ln) for o, s, ln in runs)


def decode_alignment(runs: Sequence[Sequence[int]]) -> list[int]:
    out: list[int] = []
    for o, s, ln in runs:
        while len(out) < o:  # never happens for encode_alignment output; keeps it total
            out.append(out[-1] if out else 0)
        out.extend(range(s, s + ln))
    return out


# --- Typesetting for display ---------------------------------------------------------------

_ASCII_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}


def _is_cjk(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in "WF"


def typeset(text: str) -> str:
    """ASCII , ; : ( ) ? ! -> full width where they sit in Chinese text. Same length."""
    chars = list(text)
    n = len(chars)
    for i, ch in enumerate(chars):
        full = _ASCII_TO_FULL.get(ch)
        if full is None:
            continue
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if prev.isdigit() and nxt.isdigit():
            continue  # 1:1, 3,000
        if _is_cjk(prev) or _is_cjk(nxt) or ch in "()":
            chars[i] = full
    return "".join(chars)
