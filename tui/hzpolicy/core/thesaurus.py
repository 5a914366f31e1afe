"""The reviewed thesaurus: words a reader treats as the same when looking (``data/thesaurus.toml``).

A *group* is words one reader may type for what the document calls another (补贴, 补助, 资助 …;
芯片 for 集成电路), with English words for the same thing. Every word is matched in search-key
form (:func:`.script.search_key`: Simplified, mainland wording, lower case), so a group
written in Simplified serves a Traditional or Taiwan-worded query too.

The file is checked when it is read, and fails with one :class:`ThesaurusError` naming the
problem: a word in two groups (groups would silently merge), a group joining two words the
file itself says are *apart* (补贴 is never 保险), a single character (it would match
everywhere), English that is not one lower-case word. Against a document, :func:`unused_groups`
names the groups none of whose words it contains: ``build`` reports them.

The agencies a document names in several ways (its reviewed alias list) join as groups of
their own for that document (:meth:`Thesaurus.with_groups`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .badinput import as_notice, toml_problem
from .files import os_reason
from .i18n import Notice
from .script import search_key

_ENGLISH = re.compile(r"[a-z][a-z0-9&+\-]*(?: [a-z][a-z0-9&+\-]*)*")


class ThesaurusError(ValueError):
    """A thesaurus file that cannot be used; ``notice`` names the problem."""

    def __init__(self, message: str) -> None:
        self.notice: Notice = as_notice(message)
        super().__init__(self.notice)


@dataclass(frozen=True)
class Group:
    words: tuple[str, ...]  # as written in the file (Simplified first, Taiwan wording after)
    english: tuple[str, ...] = ()
    note: str = ""

    @property
    def name(self) -> str:
        return self.words[0]


@dataclass(frozen=True)
class Thesaurus:
    groups: tuple[Group, ...] = ()
    # search key of every word (Chinese and English) -> the index of its group
    _group_of: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    # group index -> the search keys of its Chinese words, the typed word's own first
    _keys: tuple[tuple[str, ...], ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(cls, groups: Sequence[Group]) -> Thesaurus:
        group_of: dict[str, int] = {}
        keys: list[tuple[str, ...]] = []
        for i, g in enumerate(groups):
            chinese = tuple(dict.fromkeys(k for k in (search_key(w) for w in g.words) if k))
            keys.append(chinese)
            for k in (*chinese, *(search_key(e) for e in g.english)):
                group_of.setdefault(k, i)
        return cls(tuple(groups), group_of, tuple(keys))

    def with_groups(self, extra: Iterable[Sequence[str]]) -> Thesaurus:
        """This thesaurus and more groups (a document's agency aliases); a word already in a
        group keeps its group."""
        added = [Group(tuple(words)) for words in extra if len(words) > 1]
        return Thesaurus.of((*self.groups, *added)) if added else self

    def alternatives(self, key: str) -> tuple[str, ...]:
        """The search keys that count as ``key``: the other words of its group (only its
        Chinese words: the document is Chinese). ``()`` for a word in no group."""
        i = self._group_of.get(key)
        if i is None:
            return ()
        return tuple(k for k in self._keys[i] if k != key)

    def __contains__(self, key: str) -> bool:
        return key in self._group_of

    def group(self, key: str) -> Group | None:
        i = self._group_of.get(key)
        return None if i is None else self.groups[i]

    @property
    def keys(self) -> frozenset[str]:
        """Every word's search key (for finding the words inside a run-together query)."""
        return frozenset(self._group_of)


def _text_list(value: object, where: Notice, name: str) -> tuple[str, ...]:
    """The list of words in field ``name`` (a TOML key, as the file spells it)."""
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ThesaurusError(Notice("{where}: {name} must be a list of words", where=where, name=name))
    return tuple(w.strip() for w in value)


def _group(raw: object, n: int) -> Group:
    """Group ``n`` of the file, its words checked one by one."""
    where = Notice("group {n}", n=n)
    if not isinstance(raw, dict):
        raise ThesaurusError(Notice("{where} is not a table", where=where))
    words = _text_list(raw.get("words"), where, "words")
    english = _text_list(raw.get("en", []), where, "en")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ThesaurusError(Notice("{where}: note must be text", where=where))
    if len(words) + len(english) < 2:
        raise ThesaurusError(Notice("{where} ({word}) has nothing to be the same as", where=where, word=words[0]))
    for w in words:
        if len(search_key(w)) < 2:
            single = Notice(
                "{where}: {word} is a single character: it would match nearly everything", where=where, word=w
            )
            raise ThesaurusError(single)
    for e in english:
        if not _ENGLISH.fullmatch(e):
            raise ThesaurusError(Notice("{where}: {word} must be lower-case English words", where=where, word=e))
    return Group(words, english, note)


def _check_apart(thesaurus: Thesaurus, raw_apart: list[object]) -> None:
    """No group may join two words the file says are apart."""
    for n, raw in enumerate(raw_apart, 1):
        where = Notice("apart {n}", n=n)
        if not isinstance(raw, dict):
            raise ThesaurusError(Notice("{where} is not a table", where=where))
        pair = _text_list(raw.get("words"), where, "words")
        groups_of = {thesaurus._group_of.get(search_key(w)) for w in pair}
        if len(groups_of) == 1 and None not in groups_of:
            raise ThesaurusError(Notice("{words} are apart, but one group joins them", words=" / ".join(pair)))


def parse_thesaurus(text: str) -> Thesaurus:
    """The thesaurus in ``text`` (TOML), checked (see the module's docstring)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ThesaurusError(toml_problem(exc)) from None
    raw_groups = data.get("group", [])
    raw_apart = data.get("apart", [])
    if not isinstance(raw_groups, list) or not isinstance(raw_apart, list):
        raise ThesaurusError(Notice("group and apart must be arrays of tables ([[group]], [[apart]])"))
    groups = [_group(raw, n) for n, raw in enumerate(raw_groups, 1)]
    seen: dict[str, str] = {}  # key -> the group (its first word) it is in
    for g in groups:
        for key in {search_key(w) for w in (*g.words, *g.english)}:
            if seen.setdefault(key, g.name) != g.name:
                raise ThesaurusError(
                    Notice("{word} is in two groups ({first} and {second})", word=key, first=seen[key], second=g.name)
                )
    thesaurus = Thesaurus.of(groups)
    _check_apart(thesaurus, raw_apart)
    return thesaurus


def load_thesaurus(path: Path) -> Thesaurus:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ThesaurusError(Notice("{path} is not UTF-8 text", path=path)) from None
    except OSError as exc:
        raise ThesaurusError(Notice("cannot read {path}: {problem}", path=path, problem=os_reason(exc))) from None
    try:
        return parse_thesaurus(text)
    except ThesaurusError as exc:
        raise ThesaurusError(Notice("{path}: {problem}", path=path, problem=exc.notice)) from None


@cache
def shipped_thesaurus() -> Thesaurus:
    """The thesaurus that comes with the program (read once)."""
    from .paths import default_thesaurus

    return load_thesaurus(default_thesaurus())


def unused_groups(thesaurus: Thesaurus, keys: Iterable[str]) -> list[Group]:
    """The groups none of whose words occur in the texts ``keys`` (search keys)."""
    text = "\n".join(keys)
    return [g for g, words in zip(thesaurus.groups, thesaurus._keys, strict=True) if not any(w in text for w in words)]


__all__ = [
    "Group",
    "Thesaurus",
    "ThesaurusError",
    "load_thesaurus",
    "parse_thesaurus",
    "shipped_thesaurus",
    "unused_groups",
]
