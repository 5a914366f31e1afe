"""The interface's catalogs: find the messages in the code, keep the catalogs in step, compile.

    python scripts/i18n.py update              # new messages in, removed ones out, compile
    python scripts/i18n.py set MSGID TEXT      # translate (Traditional; Simplified follows)
    python scripts/i18n.py set MSGID TEXT --hans TEXT   # when the mainland words differ
    python scripts/i18n.py load FILE.tsv       # many at once: MSGID<TAB>TEXT[<TAB>HANS[<TAB>PLURAL]]
    python scripts/i18n.py check               # every message translated, .mo up to date
    python scripts/i18n.py missing             # messages still without a translation

Messages are English in the code: ``loc.tr("...")``, ``loc.trn("one", "many", n)`` and
``N_("...")`` where a message is defined away from where it is shown, ``Notice("...", k=v)``
for core's messages to the reader (English as a str, translated by ``Locale.say``). The Simplified catalog
is filled from the Traditional one by the same conversion the document gets (characters, then
mainland wording); ``--hans`` sets it by hand where that is not what a mainland reader says.
Catalogs are edited under a lock, so several people (or processes) can add at once.
"""

from __future__ import annotations

import argparse
import fcntl
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tui" / "hzpolicy"
LOCALE = PACKAGE / "locale"
DOMAIN = "hzpolicy"
CATALOGS = ("zh_Hant", "zh_Hans")
KEYWORDS = {"tr": None, "trn": (1, 2), "N_": None, "Notice": None}

sys.path.insert(0, str(ROOT / "tui"))
from hzpolicy.core.script import say  # noqa: E402 - after the path is set


def po_path(name: str) -> Path:
    return LOCALE / name / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(name: str) -> Path:
    return po_path(name).with_suffix(".mo")


@contextmanager
def locked() -> Iterator[None]:
    LOCALE.mkdir(parents=True, exist_ok=True)
    with (LOCALE / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def extract() -> Catalog:
    """Every message the code asks to translate."""
    template = Catalog(project="hzpolicy-tui", fuzzy=False)
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(PACKAGE), method_map=method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        template.add(message, locations=[(f"hzpolicy/{filename}", lineno)], auto_comments=comments)
    return template


def read(name: str) -> Catalog:
    path = po_path(name)
    if not path.exists():
        return Catalog(locale=name, project="hzpolicy-tui", fuzzy=False)
    with path.open("rb") as fh:
        return read_po(fh, locale=name)


def write(name: str, catalog: Catalog) -> None:
    path = po_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=0, omit_header=False, sort_output=True, include_lineno=False)
    path.write_bytes(buf.getvalue())
    out = io.BytesIO()
    write_mo(out, catalog)
    mo_path(name).write_bytes(out.getvalue())


def simplified(text: str | tuple[str, ...]) -> str | tuple[str, ...]:
    if isinstance(text, tuple):
        return tuple(say(t, "simplified") for t in text)
    return say(text, "simplified")


def _is_blank(string: object) -> bool:
    if isinstance(string, (tuple, list)):
        return not any(string)
    return not string


def update() -> None:
    template = extract()
    with locked():
        hant = read("zh_Hant")
        hans = read("zh_Hans")
        for catalog in (hant, hans):
            catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
            catalog.obsolete.clear()
        for message in hans:
            if message.id and _is_blank(message.string):
                source = hant.get(message.id)
                if source is not None and not _is_blank(source.string):
                    message.string = simplified(source.string)
        write("zh_Hant", hant)
        write("zh_Hans", hans)


Entry = tuple[str, str, str | None, str | None]  # msgid, Traditional, Simplified (or None), plural


def set_messages(entries: list[Entry]) -> None:
    template = extract()
    for msgid, _text, _hans, _plural in entries:
        if template.get(msgid) is None:
            print(f"note: {msgid!r} is not (yet) in the code; kept until the next update", file=sys.stderr)
    with locked():
        for name in CATALOGS:
            catalog = read(name)
            for msgid, text, hans, plural in entries:
                string = text if name == "zh_Hant" else (hans or say(text, "simplified"))
                value = (string,) if plural else string
                existing = catalog.get(msgid)
                if existing is None:
                    catalog.add((msgid, plural) if plural else msgid, value)
                else:  # Catalog.add keeps an existing translation: set it instead
                    existing.string = value
            write(name, catalog)


def read_tsv(path: str) -> list[Entry]:
    entries: list[Entry] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = [*line.split("\t"), "", "", ""]
        entries.append((cols[0], cols[1], cols[2] or None, cols[3] or None))
    return entries


def missing() -> list[str]:
    template = extract()
    out = []
    for name in CATALOGS:
        catalog = read(name)
        for message in template:
            if not message.id:
                continue
            mid = message.id[0] if isinstance(message.id, tuple) else message.id
            have = catalog.get(mid)
            if have is None or _is_blank(have.string):
                out.append(f"{name}: {mid!r}")
    return out


def check() -> list[str]:
    problems = missing()
    for name in CATALOGS:
        buf = io.BytesIO()
        write_mo(buf, read(name))
        if not mo_path(name).exists() or mo_path(name).read_bytes() != buf.getvalue():
            problems.append(f"{mo_path(name).relative_to(ROOT)} is not compiled from its .po: run update")
    return problems


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("update")
    s = sub.add_parser("set")
    s.add_argument("msgid")
    s.add_argument("text")
    s.add_argument("--plural", help="the English plural msgid (for trn)")
    s.add_argument("--hans", help="the Simplified text, where the conversion is not what mainland readers say")
    lo = sub.add_parser("load")
    lo.add_argument("file")
    sub.add_parser("check")
    sub.add_parser("missing")
    args = p.parse_args()
    if args.command == "update":
        update()
    elif args.command == "set":
        set_messages([(args.msgid, args.text, args.hans, args.plural)])
    elif args.command == "load":
        set_messages(read_tsv(args.file))
    else:
        problems = check() if args.command == "check" else missing()
        for line in problems:
            print(line)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
