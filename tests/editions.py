"""Pairs of editions of the policy package, made from the shipped text, with their true
alignment: what ``compare`` must find.

The old edition is always the shipped text as it is. The new one is made by editing that
text the ways a yearly edition changes it: clauses dropped and inserted (numbers shift),
domains reordered (and renumbered 一、二、…), clauses merged and split, amounts raised and
cut, the edition's year moved on (2024 -> 2025, the closing's 2024年全年有效 too), titles
rewritten, a clause moved to another domain, clauses written here added. Every edit is
recorded, so each variant comes with its truth: a row for each new clause (which old
clauses it comes from, and how: same, changed, merged, split, new), a row for each old
clause that is gone, the clauses that moved domain, and each money or rate change.

The text stays parseable: each clause line ends with its (責任單位:…), clauses run 1..N,
domains 一、二、… in order, the closing keeps its count of domains and its total.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hzpolicy.core.numerals import to_numeral
from hzpolicy.core.script import to_simplified

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "hangzhou-2024-policies.zh-Hant.txt"

_HEADING = re.compile(r"^\s*(?P<num>[一二三四五六七八九十]+)、(?P<title>[^。]{1,80})$")
_LEAD = re.compile(r"^\s*\(由.+牽頭實施\)$")
_CLAUSE = re.compile(r"^\s*\((?P<num>[一二三四五六七八九十]+)\)(?P<rest>.*\(責任單位:[^()]+\))$")
_UNITS = re.compile(r"\(責任單位:(?P<units>[^()]+)\)$")
INDENT = "  "
FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})

# Clauses written for these editions (our own sentences, in the genre's manner).
WRITTEN = (
    "支援低空經濟産業發展。對新落地的低空飛行器整機研製企業,按其實際設備投資額的10%給予補助,"
    "單個企業最高補助1000萬元。建設低空飛行服務保障平臺,開通城市低空航線20條以上。"
    "(責任單位:市發改委、市經信局、市交通運輸局)",
    "推動人工智慧大模型賦能千行百業。實施“模型+場景”示範工程,遴選100個典型應用場景,"
    "對入選場景的牽頭企業給予最高50萬元獎勵。對採購本地算力服務的中小企業,按合同金額的20%發放算力券。"
    "(責任單位:市經信局、市科技局)",
    "促進首發經濟發展。對在杭首次開設的全國首店、旗艦店,按店鋪等級分別給予最高100萬元、50萬元獎勵。"
    "鼓勵重點商圈舉辦新品發佈活動,每場給予不超過20萬元補助。(責任單位:市商務局)",
    "強化銀髮經濟服務供給。新建社區老年食堂150家,培育智慧養老示範企業10家。"
    "對新增認定的康養服務綜合體,一次性給予30萬元建設補助。(責任單位:市民政局、市衛生健康委員會)",
    "支援海外人才回杭創業。對經評審入選的海外高層次人才創業項目,給予最高300萬元的項目資助,"
    "並提供3年內最高200平方米的免租辦公場地。(責任單位:市委人才辦、市人力社保局)",
    "加快綠色低碳轉型。對年節能量達到1000噸標準煤以上的企業節能改造項目,按節能量給予每噸標準煤300元獎勵,"
    "單個項目最高100萬元。(責任單位:市發改委、市生態環境局)",
)


# --- The truth ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrueRow:
    old: tuple[int, ...]
    new: int | None
    kind: str
    moved: tuple[int, int] | None = None


@dataclass(frozen=True)
class TrueMoney:
    new: int  # the new clause the change is in
    before: str | None  # as the texts write it: 500萬元 (None: added)
    after: str | None


@dataclass(frozen=True)
class Truth:
    rows: tuple[TrueRow, ...]
    money: tuple[TrueMoney, ...]
    domains: tuple[tuple[int | None, int | None], ...]  # (old number, new number) of each domain

    @property
    def kinds(self) -> Counter[str]:
        return Counter(r.kind for r in self.rows)


@dataclass(frozen=True)
class Variant:
    name: str
    old_text: str
    new_text: str
    truth: Truth


# --- An edition being written -------------------------------------------------------------------


@dataclass(eq=False)
class Item:
    """A clause of the new edition: the old clauses it comes from and its text (all of the
    clause's line after its numeral)."""

    origin: tuple[int, ...]
    text: str
    edited: bool = False
    home: int | None = None  # the old domain it comes from
    money: list[tuple[str | None, str | None]] = field(default_factory=list)

    @property
    def body(self) -> str:
        return self.text[: _UNITS.search(self.text).start()]  # type: ignore[union-attr]

    @property
    def units(self) -> str:
        return _UNITS.search(self.text)["units"]  # type: ignore[index]


@dataclass(eq=False)
class Block:
    """A domain of the new edition."""

    origin: int | None
    title: str
    lead: str
    intro: list[str]
    items: list[Item]


@dataclass
class Edition:
    head: list[str]
    blocks: list[Block]
    tail: list[str]
    year: tuple[str, str] | None = None  # (old, new): the edition's year moved on
    simplified: bool = False  # written as the government publishes: Simplified, full-width punctuation

    @classmethod
    def read(cls, text: str) -> Edition:
        lines = text.splitlines()
        head: list[str] = []
        blocks: list[Block] = []
        tail: list[str] = []
        number = 0
        for line in lines:
            h = _HEADING.match(line)
            c = _CLAUSE.match(line)
            if h and not tail:
                blocks.append(Block(len(blocks) + 1, h["title"], "", [], []))
            elif c and blocks and not tail:
                number += 1
                blocks[-1].items.append(Item((number,), c["rest"], home=len(blocks)))
            elif not blocks:
                head.append(line)
            elif not line.strip():
                continue
            elif _LEAD.match(line) and not blocks[-1].lead and not blocks[-1].items:
                blocks[-1].lead = line.strip()
            elif not blocks[-1].items:
                blocks[-1].intro.append(line.strip())
            else:
                tail.append(line)
        return cls(head, blocks, tail)

    # Where things are.
    def item(self, origin: int) -> Item:
        return next(i for b in self.blocks for i in b.items if origin in i.origin)

    def block_of(self, item: Item) -> Block:
        return next(b for b in self.blocks if item in b.items)

    def block(self, origin: int) -> Block:
        return next(b for b in self.blocks if b.origin == origin)

    # Edits.
    def drop(self, *origins: int) -> None:
        for o in origins:
            item = self.item(o)
            self.block_of(item).items.remove(item)

    def insert(self, text: str, *, after: int | None = None, domain: int | None = None, first: bool = False) -> None:
        """A clause written here, after an old clause or first/last in a domain."""
        new = Item((), text, edited=True)
        if after is not None:
            at = self.item(after)
            items = self.block_of(at).items
            items.insert(items.index(at) + 1, new)
        else:
            assert domain is not None
            items = self.block(domain).items
            items.insert(0 if first else len(items), new)

    def move(self, origin: int, domain: int, *, first: bool = False) -> None:
        """A clause moved to another domain (its text unchanged)."""
        item = self.item(origin)
        self.block_of(item).items.remove(item)
        items = self.block(domain).items
        items.insert(0 if first else len(items), item)

    def reorder(self, order: list[int]) -> None:
        """The domains in this order (old numbers); renumbered when written."""
        self.blocks = [self.block(o) for o in order]

    def merge(self, first: int, second: int) -> None:
        """Two clauses made one: the first's text, then the second's without its title,
        responsible units joined."""
        a, b = self.item(first), self.item(second)
        rest = b.body.split("。", 1)[1]
        units = a.units.split("、") + [u for u in b.units.split("、") if u not in a.units.split("、")]
        a.text = f"{a.body}{rest}(責任單位:{'、'.join(units)})"
        a.origin = a.origin + b.origin
        a.edited = True
        self.block_of(b).items.remove(b)

    def split(self, origin: int, sentence: int, title: str) -> None:
        """A clause made two: its first ``sentence`` sentences (after the title) stay; the rest
        becomes a clause of its own, under ``title``, with the same responsible units."""
        a = self.item(origin)
        parts = [p for p in re.split(r"(?<=。)", a.body) if p]
        keep, rest = "".join(parts[: sentence + 1]), "".join(parts[sentence + 1 :])
        assert rest, f"clause {origin} has no sentence after {sentence}"
        units = a.units
        a.text = f"{keep}(責任單位:{units})"
        a.edited = True
        b = Item(a.origin, f"{title}。{rest}(責任單位:{units})", edited=True, home=a.home)
        items = self.block_of(a).items
        items.insert(items.index(a) + 1, b)

    def retitle(self, origin: int, title: str) -> None:
        a = self.item(origin)
        a.text = title + "。" + a.text.split("。", 1)[1]
        a.edited = True

    def amount(self, origin: int, before: str, after: str, nth: int = 0) -> None:
        """The ``nth`` figure written ``before`` in a clause is now ``after`` (a real change)."""
        a = self.item(origin)
        found = list(re.finditer(rf"(?<![\d.]){re.escape(before)}", a.text))
        m = found[nth]
        a.text = a.text[: m.start()] + after + a.text[m.end() :]
        a.edited = True
        a.money.append((before, after))

    def money_added(self, origin: int, after: str) -> None:
        """A figure written into a clause by :meth:`reword` (recorded as added)."""
        self.item(origin).money.append((None, after))

    def reword(self, origin: int, old: str, new: str) -> None:
        """Some words of a clause rewritten (no figure touched)."""
        a = self.item(origin)
        assert old in a.text, (origin, old)
        a.text = a.text.replace(old, new, 1)
        a.edited = True

    def rename_domain(self, origin: int, title: str) -> None:
        self.block(origin).title = title

    def lead(self, origin: int, who: str) -> None:
        self.block(origin).lead = f"(由{who}牽頭實施)"

    def intro(self, origin: int, before: str, after: str) -> None:
        """Words of a domain's introduction (its targets) rewritten."""
        block = self.block(origin)
        assert any(before in line for line in block.intro), (origin, before)
        block.intro = [line.replace(before, after, 1) for line in block.intro]

    def partners(self, origin: int, lead: str, partners: str) -> None:
        """A domain led by ``lead`` with ``partners`` (由…牽頭,…配合)."""
        self.block(origin).lead = f"(由{lead}牽頭,{partners}配合)"

    def closing(self, before: str, after: str) -> None:
        """Words of the closing paragraphs rewritten."""
        assert any(before in line for line in self.tail), before
        self.tail = [line.replace(before, after, 1) for line in self.tail]

    def total(self, before: str, after: str) -> None:
        """The package's total, in the page's lead and the closing."""
        self.head = [line.replace(before, after) for line in self.head]
        self.tail = [line.replace(before, after) for line in self.tail]

    def new_year(self, old: str, new: str) -> None:
        self.year = (old, new)

    # Writing.
    def render(self) -> str:
        out = list(self.head)
        n = 0
        for d, block in enumerate(self.blocks, 1):
            out += [f"{INDENT}{to_numeral(d)}、{block.title}", ""]
            if block.lead:
                out += [INDENT + block.lead, ""]
            for line in block.intro:
                out += [INDENT + line, ""]
            for item in block.items:
                n += 1
                out += [f"{INDENT}({to_numeral(n)}){item.text}", ""]
        out += self.tail
        text = "\n".join(out) + "\n"
        if self.year:
            text = re.sub(rf"(?<!\d){self.year[0]}(?!\d)", self.year[1], text)
        if self.simplified:
            text = to_simplified(text).translate(FULL_WIDTH)
        return text

    def truth(self) -> Truth:
        rows: list[TrueRow] = []
        money: list[TrueMoney] = []
        count = Counter(o for b in self.blocks for i in b.items for o in i.origin)
        n = 0
        seen: set[int] = set()
        for d, block in enumerate(self.blocks, 1):
            for item in block.items:
                n += 1
                seen.update(item.origin)
                if not item.origin:
                    kind = "new"
                elif len(item.origin) > 1:
                    kind = "merged"
                elif count[item.origin[0]] > 1:
                    kind = "split"
                else:
                    kind = "changed" if item.edited else "same"
                moved = (item.home, d) if item.home is not None and item.home != block.origin else None
                rows.append(TrueRow(item.origin, n, kind, moved))
                money += [TrueMoney(n, before, after) for before, after in item.money]
        old_count = max(o for b in Edition.read(source_text()).blocks for i in b.items for o in i.origin)
        rows += [TrueRow((o,), None, "removed") for o in range(1, old_count + 1) if o not in seen]
        domains = tuple((b.origin, d) for d, b in enumerate(self.blocks, 1))
        gone = tuple((o, None) for o in range(1, 9) if o not in {b.origin for b in self.blocks})
        return Truth(tuple(rows), tuple(money), domains + gone)


def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


# --- The variants -------------------------------------------------------------------------------


def renumbered(e: Edition) -> None:
    """Clauses dropped and written ones inserted: every number after them shifts."""
    e.drop(3, 17, 41, 66)
    e.insert(WRITTEN[0], after=10)
    e.insert(WRITTEN[5], domain=5, first=True)
    e.insert(WRITTEN[3], domain=8)


def reordered(e: Edition) -> None:
    """Domains in another order, two clauses swapped within a domain, one moved to another
    domain; no text changed."""
    e.reorder([2, 8, 1, 3, 5, 4, 6, 7])
    items = e.block(7).items
    items[2], items[3] = items[3], items[2]
    e.move(41, 2)


def merged(e: Edition) -> None:
    e.merge(60, 61)
    e.merge(74, 75)
    e.merge(17, 18)


def split(e: Edition) -> None:
    e.split(16, 3, "支援概念驗證中心建設")
    e.split(30, 4, "推進專精特新名城建設")
    e.split(5, 3, "推動工商業用戶參與電力市場")


def amounts(e: Edition) -> None:
    """Amounts raised and cut (a threshold, ceilings, fixed awards, rates, a budget), and the
    total restated."""
    e.amount(14, "300萬元", "400萬元")  # a ceiling raised
    e.amount(14, "500萬元", "300萬元")  # a threshold lowered (to what the ceiling was)
    e.amount(16, "500萬元", "800萬元")
    e.amount(30, "20萬元", "30萬元")
    e.amount(15, "5%", "8%")
    e.amount(19, "500萬元", "1000萬元")
    e.amount(76, "5000萬元", "6000萬元")
    e.amount(2, "177.1億元", "180億元")  # the domain's budget
    e.amount(48, "8%", "10%")
    e.total("490億元", "502億元")


def year(e: Edition) -> None:
    """Only the edition's year: every 2024 becomes 2025 (the closing's 2024年全年有效 too)."""
    e.new_year("2024", "2025")


def retitled(e: Edition) -> None:
    e.retitle(1, "強化重大項目牽引帶動作用")
    e.retitle(20, "深化科技金融服務創新")
    e.retitle(45, "持續降低全社會物流成本")
    e.reword(57, "加強高標準農田建設。", "加強高標準農田建設。新建和改造提升高標準農田5萬畝以上。")
    e.rename_domain(3, "現代化産業體系建設政策")
    e.lead(8, "市民政局、市人力社保局")


def edition_2025(e: Edition) -> None:
    """All at once, as a next year's edition: the year, 教育科技 first, clauses merged, split,
    raised, retitled, moved, dropped and written anew, a domain renamed, the total restated."""
    e.new_year("2024", "2025")
    e.reorder([2, 1, 3, 4, 5, 6, 7, 8])
    e.rename_domain(2, "教育科技人才一體化發展政策")
    e.merge(70, 71)
    e.merge(12, 13)
    e.split(27, 4, "盤活存量工業用地")
    e.amount(14, "500萬元", "300萬元")
    e.amount(17, "50萬元", "80萬元")
    e.amount(53, "5.5億元", "6億元")
    e.amount(75, "75%", "80%")
    e.retitle(36, "推動軟體和資訊服務業提質增效")
    e.move(22, 3)
    e.drop(7, 24, 58, 64, 66)
    e.insert(WRITTEN[1], after=28)
    e.insert(WRITTEN[2], domain=6, first=True)
    e.insert(WRITTEN[4], after=19)
    e.total("490億元", "502億元")


def rewritten(e: Edition) -> None:
    """Clauses rewritten in part: sentences replaced, cut, added; figures changed among new
    words. Each is still its old clause, changed."""
    e.reword(
        11,
        "加大對北航國際創新學院辦學支援力度,拓展優質國際合作辦學資源,擴大招生規模。"
        "加快推進國科大杭州高等研究院雙浦校區建設,深化科教融匯。",
        "支援在杭高校建設一批未來技術學院和現代産業學院,推動學科專業設置與産業需求精準對接。",
    )
    e.reword(50, "新增與復評省級公共海外倉6個以上,在杭州市內選樹一批市級公共海外倉、集貨倉。", "")
    e.reword(50, "支援杭州跨境電商營商環境持續優化,打造一批跨境電商示範性産業園區。", "")
    e.reword(
        62,
        "持續擦亮“西湖龍井”金名片。",
        "持續擦亮“西湖龍井”金名片,辦好茶文化博覽會,推動茶産業、茶文化、茶科技統籌發展。"
        "對新認定的市級農業龍頭企業,給予一次性獎勵20萬元。",
    )
    e.money_added(62, "20萬元")
    e.reword(39, "推進文旅消費品牌創建", "培育文旅消費新場景")
    e.reword(39, "建設5A級景區和培育千萬級核心大景區", "支援創建國家5A級旅遊景區")
    e.amount(39, "5%", "8%")
    e.reword(72, "新建成中小學、幼兒園70所,新增學位6萬個;", "新建成中小學、幼兒園80所,新增學位7萬個;")


def simplified_2025(e: Edition) -> None:
    """The next year's edition as the government publishes it: in Simplified, with mainland
    words and full-width punctuation, against the shipped Traditional text."""
    edition_2025(e)
    e.simplified = True


def outside(e: Edition) -> None:
    """What changes outside the clauses' words: a domain's targets (a rate, a count), its
    partners, a closing sentence; and a ceiling now in another currency."""
    e.intro(1, "帶動固定資産投資增長3%", "帶動固定資産投資增長4.5%")
    e.intro(1, "推進市重點項目800個左右", "推進市重點項目900個左右")
    e.partners(2, "市科技局", "市財政局")
    e.closing("儘快制定承接落實方案", "在3個月內制定承接落實方案")
    e.amount(15, "500萬元", "500萬美元")


VARIANTS: dict[str, Callable[[Edition], None]] = {
    "renumbered": renumbered,
    "reordered": reordered,
    "merged": merged,
    "split": split,
    "amounts": amounts,
    "year": year,
    "retitled": retitled,
    "rewritten": rewritten,
    "edition_2025": edition_2025,
    "simplified_2025": simplified_2025,
    "outside": outside,
}


def variant(name: str) -> Variant:
    """An edition pair: (the shipped text, the edited one, the truth)."""
    old = source_text()
    e = Edition.read(old)
    VARIANTS[name](e)
    return Variant(name, old, e.render(), e.truth())


def unchanged() -> Variant:
    """The shipped text written back through the editor, unedited: every clause the same."""
    return variant_of(lambda e: None, "unchanged")


def variant_of(edit: Callable[[Edition], None], name: str) -> Variant:
    old = source_text()
    e = Edition.read(old)
    edit(e)
    return Variant(name, old, e.render(), e.truth())
