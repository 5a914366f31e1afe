"""``hzpolicy-tui compare OLD NEW``: what changed from one edition of a package to another.

OLD and NEW are packages of the library (the shipped one included) or store files. The text
output says how many clauses of each kind there are, then each row that is not the same
(old and new clause, how alike, where it moved, each money or rate change), then the
domains' budgets and leads, and the document's total and validity. ``--json`` prints the
comparison as data (:meth:`.core.compare.Comparison.to_json`)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .cli import dump_json
from .core.compare import (
    KINDS,
    LEGEND,
    Comparison,
    change_text,
    compare,
    counts_line,
    document_lines,
    domain_lines,
    edition_name,
    passage_lines,
    relation_note,
    row_heading,
    row_meta,
)
from .core.i18n import N_
from .core.present import domain_heading
from .errors import UsageError

if TYPE_CHECKING:
    from .core.i18n import Locale
    from .core.models import Document

INDENT = "  "


def open_side(ref: str) -> tuple[str, Document]:
    """A side of the comparison by its library name or store path: (its name, the document)."""
    if "\x00" in ref:
        raise UsageError(N_("{raw} cannot be a file name: it holds a NUL character"), raw=repr(ref))
    from .core.library import open_document

    package, doc = open_document(ref)
    return (package.name if package is not None else ref), doc


def cmd_compare(old_ref: str, new_ref: str, as_json: bool, kind: str | None, loc: Locale) -> int:
    old_name, old = open_side(old_ref)
    new_name, new = open_side(new_ref)
    cmp = compare(old, new)
    if as_json:
        dump_json(cmp.to_json(loc.script, old_name, new_name, kinds=[kind] if kind else None))
        return 0
    sys.stdout.write("\n".join(comparison_text(cmp, loc, old_name, new_name, kind)) + "\n")
    return 0


def comparison_text(
    cmp: Comparison, loc: Locale, old_name: str | None = None, new_name: str | None = None, kind: str | None = None
) -> list[str]:
    """The comparison as lines: what is compared, the counts, each row of ``kind`` (default:
    all but the unchanged, and those that moved to another domain), the domains and the
    document."""
    old_label, new_label = edition_name(cmp.old, old_name, loc), edition_name(cmp.new, new_name, loc)
    lines = [loc.tr("What changed: {old} -> {new}").format(old=old_label, new=new_label), counts_line(cmp, loc)]
    note = relation_note(cmp, loc)
    if note:
        lines.append(note)
    kinds = (kind,) if kind else tuple(k for k in KINDS if k != "same")
    for row in (r for r in cmp.rows if r.kind in kinds or (r.moved and not kind)):  # a move is news
        lines += ["", row_heading(cmp, row, loc)]
        lines += [INDENT + x for x in row_meta(cmp, row, loc)]
        lines += [INDENT + change_text(c, loc) for c in row.changes]
    domains = [(dc, domain_lines(dc, loc)) for dc in cmp.domains if dc.changed]
    domains = [(dc, said) for dc, said in domains if said]
    if domains:
        lines += ["", "[" + loc.tr("Domains") + "]"]
        for dc, said in domains:
            if dc.old and dc.new:  # under its heading
                lines.append(INDENT + domain_heading(dc.new, loc))
                lines += [INDENT * 2 + x for x in said]
            else:  # a domain new or gone: its line names it
                lines += [INDENT + x for x in said]
    document = document_lines(cmp, loc)
    if document or cmp.closing:
        lines += ["", "[" + loc.tr("Document") + "]", *[INDENT + x for x in document]]
    if cmp.closing:
        lines.append(INDENT + loc.tr("Closing") + " (" + loc.tr(LEGEND) + ")")
        for p in cmp.closing:
            head, *rest = passage_lines(p, loc)
            lines += [INDENT * 2 + head, *[INDENT * 3 + x for x in rest]]
    return lines
