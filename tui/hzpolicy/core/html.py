"""An export as one self-contained HTML page: to open in a browser, mail, or print.

Everything is in the file: the styles inline, no script, no font, image or stylesheet from
elsewhere, ``<meta charset="utf-8">``, the page's ``lang`` from the reader's
:class:`~.i18n.Locale` (zh-Hant, zh-Hans, en) so a browser picks the right Chinese glyphs.
It prints well: no backgrounds but the chart's bars, an item never split across pages, A4
margins, a font stack that has the reader's Chinese.

A page of :mod:`.present` is drawn from its blocks (:func:`page_html`): each kind of line
its element, each mark a class (``figure``, ``good``, ``bad``, ``strong``, ``dim``).
Every piece of text goes through :func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from itertools import pairwise

from .i18n import Locale
from .present import Block, Page

# The fonts a reader's Chinese is drawn with, best first (Traditional and Simplified glyphs
# differ: each script its own families), then what every system has.
FONTS = {
    "zh-Hant": '"PingFang TC", "Noto Sans CJK TC", "Source Han Sans TC", "Microsoft JhengHei", '
    '"Heiti TC", "Noto Sans TC"',
    "zh-Hans": '"PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "Heiti SC", "Noto Sans SC"',
}
LATIN = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial'

STYLE = """
:root { color-scheme: light; }
body { font-family: %(fonts)s, sans-serif; line-height: 1.7; color: #1b1b1b; background: #fff;
       max-width: 50rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; line-height: 1.35; margin: 0 0 0.75rem; }
h2 { font-size: 1.25rem; line-height: 1.4; margin: 1.75rem 0 0.5rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.35rem; }
h4, h5, h6 { font-size: 1rem; margin: 1rem 0 0.25rem; }
p { margin: 0.35rem 0; }
ul, ol { margin: 0.35rem 0; padding-left: 1.5rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.5rem 0 1rem; }
dl.meta dt { color: #555; }
dl.meta dd { margin: 0; }
dl.meta ul { margin: 0; padding-left: 1.1rem; }
.meta { color: #444; }
.body { white-space: pre-wrap; }
.figure { font-weight: 600; color: #7a4100; }
.good { color: #1d6b2c; font-weight: 600; }
.bad { color: #a3161a; font-weight: 600; }
.strong { font-weight: 700; }
.dim { color: #666; }
.ref { color: #555; }
figure.chart { margin: 1rem 0 1.5rem; }
figure.chart figcaption { font-weight: 600; margin-bottom: 0.4rem; }
table.chart { border-collapse: collapse; width: 100%%; }
table.chart th { font-weight: normal; text-align: left; padding: 0.15rem 0.75rem 0.15rem 0; width: 40%%; }
table.chart td { padding: 0.15rem 0; }
table.chart td.value { text-align: right; padding-left: 0.75rem; white-space: nowrap; }
table.chart td.track { width: 55%%; }
.bar { display: block; height: 0.9rem; min-width: 1px; background: #3e6ea8;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
article, li, tr { break-inside: avoid; page-break-inside: avoid; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; color: #000; background: none; }
  h2 { border-bottom-color: #999; }
  .figure, .good, .bad, .dim, .meta, .ref, dl.meta dt { color: #000; }
  .dim { font-style: italic; }
}
"""


def html_lang(loc: Locale) -> str:
    """The page's language: en for English, else the Chinese of the reader's script."""
    if loc.lang == "en":
        return "en"
    return "zh-Hans" if loc.script == "simplified" else "zh-Hant"


def _fonts(lang: str) -> str:
    """Latin first (its glyphs for Latin text), then the reader's Chinese, then the other's."""
    chinese = [FONTS["zh-Hans"], FONTS["zh-Hant"]] if lang == "zh-Hans" else [FONTS["zh-Hant"], FONTS["zh-Hans"]]
    return ", ".join([LATIN, *chinese])


def marked_html(block: Block) -> str:
    """A block's text, escaped, each marked span in a ``<span>`` whose classes are its marks'
    tones (marks that overlap give the span both)."""
    text = block.text
    cuts = sorted({0, len(text), *(m.start for m in block.marks), *(m.end for m in block.marks)})
    out = []
    for start, end in pairwise(cuts):
        if start >= end or start < 0 or end > len(text):
            continue
        piece = escape(text[start:end])
        tones = [m.tone for m in block.marks if m.start <= start and end <= m.end]
        out.append(f'<span class="{" ".join(dict.fromkeys(tones))}">{piece}</span>' if tones else piece)
    return "".join(out)


# How each kind of block is written: a heading below the page's title, or a paragraph.
_HEADING_DEPTH = {"title": 0, "section": 1, "subsection": 2}
_PARAGRAPH_CLASS = {"meta": ' class="meta"', "body": ' class="body"', "text": ""}


def page_html(page: Page, loc: Locale, level: int = 2) -> str:
    """A page of :mod:`.present` as an ``<article>``: its title a heading of ``level``, its
    sections one level below, meta lines, the clause's own text (its line breaks kept), text
    paragraphs, and items as one list for each run of them. The article carries its language
    (``loc``), so it reads right wherever it is put."""
    kind, number = page.target
    level = min(max(level, 1), 4)  # h6 at most, for a subsection
    parts = [f'<article class="page {kind}" id="{kind}-{number}" lang="{html_lang(loc)}">']
    items: list[str] = []
    for block in page.blocks:
        if block.kind != "item" and items:
            parts.append("<ul>\n" + "\n".join(items) + "\n</ul>")
            items = []
        text = marked_html(block)
        if block.kind == "item":
            items.append(f"<li>{text}</li>")
        elif block.kind in _HEADING_DEPTH:
            h = level + _HEADING_DEPTH[block.kind]
            parts.append(f"<h{h}>{text}</h{h}>")
        elif block.kind in _PARAGRAPH_CLASS:
            parts.append(f"<p{_PARAGRAPH_CLASS[block.kind]}>{text}</p>")
        # "blank" lines are the space between elements
    if items:
        parts.append("<ul>\n" + "\n".join(items) + "\n</ul>")
    parts.append("</article>")
    return "\n".join(parts)


def _value_html(value: object) -> str:
    if isinstance(value, list):
        return "<ul>" + "".join(f"<li>{escape(str(v))}</li>" for v in value) + "</ul>"
    return escape(str(value))


def meta_html(lines: Sequence[tuple[str, object]]) -> str:
    """Labelled lines (what each is, in the reader's words; its value) as a definition list;
    a value that is a list is a list. Empty: nothing."""
    if not lines:
        return ""
    rows = [f"<dt>{escape(label)}</dt><dd>{_value_html(value)}</dd>" for label, value in lines]
    return '<dl class="meta">\n' + "\n".join(rows) + "\n</dl>"


def chart_html(bars: Sequence[tuple[str, Decimal, str]], caption: str) -> str:
    """A horizontal bar chart in HTML and CSS alone: a row a bar, (label, value, text), each
    bar as wide as its share of the largest value (in %). Values below zero draw no bar."""
    top = max((value for _, value, _ in bars), default=Decimal(0))
    rows = []
    for label, value, text in bars:
        share = value / top * 100 if top > 0 and value > 0 else Decimal(0)
        width = f"{share.quantize(Decimal('0.1'))}%"
        rows.append(
            f'<tr><th scope="row">{escape(label)}</th>'
            f'<td class="track"><span class="bar" style="width: {width}"></span></td>'
            f'<td class="value">{escape(text)}</td></tr>'
        )
    return (
        f'<figure class="chart">\n<figcaption>{escape(caption)}</figcaption>\n<table class="chart">\n'
        + "\n".join(rows)
        + "\n</table>\n</figure>"
    )


def hits_html(records: Sequence[dict[str, object]]) -> str:
    """Search hits as a numbered list: (十四) the clause's title, the matching passage, and
    where it is and why it matched."""
    items = [
        f"<li><strong>{escape(str(r['heading']))}</strong>"
        f"<br>{escape(str(r['snippet']))}<br><small>{escape(str(r['why']))}</small></li>"
        for r in records
    ]
    return '<ol class="hits">\n' + "\n".join(items) + "\n</ol>"


def document_html(title: str, body: str, loc: Locale) -> str:
    """The whole page around ``body`` (already HTML): head, styles, the title as ``<h1>``."""
    lang = html_lang(loc)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="hzpolicy-tui">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE % {'fonts': _fonts(lang)}}</style>\n</head>\n"
        f"<body>\n<h1>{escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )
