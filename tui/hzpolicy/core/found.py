"""A search result as shown, everywhere (the app's list, the palette, ``search``, exports):
its heading, where it is and why it matched, and what a search says of itself."""

from __future__ import annotations

from .i18n import N_, Locale
from .models import Document
from .present import clause_heading, domain_heading
from .script import search_key
from .search import Hit, Place, Results

PLACE_NAMES: dict[Place, str] = {
    "clause": N_("clause"),
    "domain": N_("domain"),
    "preamble": N_("preamble"),
    "closing": N_("closing"),
    "note": N_("note"),
}


def place_name(place: Place, loc: Locale) -> str:
    """条文, 领域, 前言, 结语, 笔记."""
    return loc.tr(PLACE_NAMES[place])


# Between the parts of a why line, and between a word as typed and as a place says it: both
# full width or ASCII, never an ambiguous-width symbol (· ≈ misalign some terminals).
SEPARATOR = " | "
SAME_AS = "＝"


def hit_heading(doc: Document, hit: Hit, loc: Locale) -> str:
    """What a result is: (十四) 更大力度…, 三、科技创新政策, 前言, 结语."""
    if hit.place in ("clause", "note"):
        return clause_heading(doc.require(hit.number), loc)
    if hit.place == "domain":
        return domain_heading(doc.domains[hit.number - 1], loc)
    if hit.place == "closing" and len(doc.closing) > 1:
        return loc.tr("Closing ({n} of {count})").format(n=hit.number, count=len(doc.closing))
    return loc.tr("Preamble") if hit.place == "preamble" else loc.tr("Closing")


def via_text(typed: str, found: str) -> str:
    """A word as typed and as the place says it: 补贴＝补助."""
    return f"{typed}{SAME_AS}{found}"


def hit_why(hit: Hit, loc: Locale, short: bool = False) -> str:
    """Where a result is and why it matched: 条文 | 含 软件企业 + 奖励 | 按 补贴＝补助 |
    部分符合 (2/3): the words it has as typed, those it has as another word of their group,
    and how many of the query's words it has, where not all. ``short`` (the list beside the
    page, 30 columns at 80): the words, each found as another beside it, then the share:
    条文 | 软件企业 + 补贴＝奖励 | 部分符合 2/3."""
    said = dict(hit.via)
    parts = [place_name(hit.place, loc)]
    if "number" in hit.where:
        parts.append(loc.tr("its number"))
    partly = hit.partial and bool(hit.matched)
    if short:  # the words themselves, then the share (in italics in the list too)
        # only another word of the group is said here: the page marks a word in other wording
        other = {w: f for w, f in said.items() if search_key(w) != search_key(f)}
        if hit.matched:
            parts.append(" + ".join(via_text(w, other[w]) if w in other else w for w in hit.matched))
        if partly:
            parts.append(loc.tr("partly {has}/{words}").format(has=len(hit.matched), words=hit.words))
        return SEPARATOR.join(parts)
    own = [w for w in hit.matched if w not in said]
    if own:
        parts.append(loc.tr("has {words}").format(words=" + ".join(own)))
    if hit.via:
        parts.append(loc.tr("as {words}").format(words=loc.listed(via_text(t, f) for t, f in hit.via)))
    if partly:
        parts.append(loc.tr("partly ({has}/{words})").format(has=len(hit.matched), words=hit.words))
    return SEPARATOR.join(parts)


def count_line(results: Results, loc: Locale) -> str:
    """How many places match: 12 处符合."""
    n = results.total
    return loc.trn("{n} place matches", "{n} places match", n).format(n=n)


def every_word_line(results: Results, loc: Locale) -> str:
    """How many of them have every word, where not all do: 其中 5 处含全部词语."""
    if results.full == results.total or not results.total or not results.words:
        return ""
    if not results.full:
        return loc.tr("None has every word")
    return loc.trn("{n} of them has every word", "{n} of them have every word", results.full).format(n=results.full)


def reading_lines(results: Results, loc: Locale) -> list[str]:
    """What the search made of the query, where it matters: words the document has nowhere
    (and the word one character away it has), question words left out, a query of question
    words only."""
    lines = []
    if results.no_clause:
        n, last = results.no_clause
        lines.append(loc.tr("There is no clause {n}: clauses run 1-{last}").format(n=n, last=last))
    if results.unknown and not results.only_asked:
        lines.append(loc.tr("Not in the document: {words}").format(words=loc.listed(results.unknown)))
    if results.suggestions:
        lines.append(loc.tr("Did you mean: {words}").format(words=loc.listed(w for _, w in results.suggestions)))
    if results.dropped:
        lines.append(loc.tr("Left out: {words}").format(words=loc.listed(results.dropped)))
    if results.only_asked:
        lines.append(loc.tr("Only question words: add what you are looking for"))
    return lines


def summary(results: Results, loc: Locale, hint: str = "") -> tuple[str, list[str]]:
    """What a search says of itself, as the app and ``search`` show it: its first line (how
    many match, or that nothing does) and the lines after it (how many have every word, or
    else ``hint``; what was made of the query)."""
    if not results.total:
        return nothing_line(results, loc), reading_lines(results, loc)
    second = every_word_line(results, loc) or hint
    return count_line(results, loc), [*([second] if second else []), *reading_lines(results, loc)]


def nothing_line(results: Results, loc: Locale) -> str:
    """A search that found nothing (why, the lines of :func:`reading_lines` say)."""
    if results.unknown or results.no_clause or results.only_asked:
        return loc.tr("Nothing matches")
    return loc.tr("Nothing matches {query}").format(query=f"「{results.query.strip()}」")


__all__ = [
    "PLACE_NAMES",
    "SAME_AS",
    "SEPARATOR",
    "count_line",
    "every_word_line",
    "hit_heading",
    "hit_why",
    "nothing_line",
    "place_name",
    "reading_lines",
    "summary",
    "via_text",
]
