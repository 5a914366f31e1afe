"""What the reader is told about input that cannot be used, in pieces core's errors share:
what Python's JSON and TOML readers said (their messages are English prose, so the known
ones are catalog messages too), and several problems given as one message.

Each is a :class:`.i18n.Notice`: as a ``str`` exactly the English the reader printed (so an
error's English is what it always was), in the reader's words through ``Locale.say``.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence

from .i18n import N_, Notice

# What json.loads says (Python 3.11's C and Python scanners), the message alone.
JSON_WORDS = frozenset(
    {
        N_("Expecting value"),
        N_("Expecting property name enclosed in double quotes"),
        N_("Expecting ':' delimiter"),
        N_("Expecting ',' delimiter"),
        N_("Unterminated string starting at"),
        N_("Invalid control character at"),
        N_("Invalid \\escape"),
        N_("Invalid \\uXXXX escape"),
        N_("Extra data"),
    }
)

# What tomllib says, before its "(at line 3, column 7)"; those with a value are read by
# the patterns below.
TOML_WORDS = frozenset(
    {
        N_("Cannot overwrite a value"),
        N_("Unescaped '\\' in a string"),
        N_("Unterminated string"),
        N_("Unclosed inline table"),
        N_("Unclosed array"),
        N_("Invalid value"),
        N_("Invalid statement"),
        N_("Invalid initial character for a key part"),
        N_("Invalid hex value"),
        N_("Invalid date or datetime"),
        N_("Expected newline or end of document after a statement"),
        N_("Expected ']]' at the end of an array declaration"),
        N_("Expected ']' at the end of a table declaration"),
        N_("Expected '=' after a key in a key/value pair"),
        N_("Escaped character is not a Unicode scalar value"),
    }
)
_TOML_AT = re.compile(r"(?P<said>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)", re.DOTALL)
_TOML_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Illegal character (?P<value>.+)", re.DOTALL), N_("Illegal character {value}")),
    (re.compile(r"Found invalid character (?P<value>.+)", re.DOTALL), N_("Found invalid character {value}")),
    (re.compile(r"Expected (?P<value>'.*')", re.DOTALL), N_("Expected {value}")),
    (re.compile(r"Duplicate inline table key (?P<value>.+)", re.DOTALL), N_("Duplicate inline table key {value}")),
    (re.compile(r"Cannot redefine namespace (?P<value>.+)", re.DOTALL), N_("Cannot redefine namespace {value}")),
    (
        re.compile(r"Cannot mutate immutable namespace (?P<value>.+)", re.DOTALL),
        N_("Cannot mutate immutable namespace {value}"),
    ),
    (re.compile(r"Cannot declare (?P<value>.+) twice", re.DOTALL), N_("Cannot declare {value} twice")),
)


def as_notice(text: str) -> Notice:
    """A message as a notice: itself if it is one, else its text as it is (never translated)."""
    return text if isinstance(text, Notice) else Notice("{why}", why=str(text))


def _words(said: str, known: frozenset[str]) -> Notice:
    """A parser's own message: translated where it is a known one, else as it is."""
    return Notice(said) if said in known and "{" not in said else as_notice(said)


def json_problem(exc: json.JSONDecodeError) -> Notice:
    """What json.loads said, with where: ``str()`` is ``str(exc)``."""
    return Notice(
        "{problem}: line {line} column {column} (char {char})",
        problem=_words(exc.msg, JSON_WORDS),
        line=exc.lineno,
        column=exc.colno,
        char=exc.pos,
    )


def json_said(exc: json.JSONDecodeError) -> Notice:
    """What json.loads said, without where (the caller says where its own way)."""
    return _words(exc.msg, JSON_WORDS)


def toml_problem(exc: tomllib.TOMLDecodeError) -> Notice:
    """What tomllib said, with where: ``str()`` is ``str(exc)``."""
    text = str(exc)
    at = _TOML_AT.fullmatch(text)
    if at is None:
        return as_notice(text)
    said = _toml_said(at["said"])
    if at["line"] is None:
        return Notice("{problem} (at end of document)", problem=said)
    return Notice("{problem} (at line {line}, column {column})", problem=said, line=at["line"], column=at["column"])


def _toml_said(said: str) -> Notice:
    if said in TOML_WORDS:
        return Notice(said)
    for pattern, message in _TOML_PATTERNS:
        m = pattern.fullmatch(said)
        if m:
            return Notice(message, value=m["value"])
    return as_notice(said)


def joined(notices: Sequence[Notice], between: str) -> Notice:
    """Several messages as one, ``between`` each (a separator, never translated): the
    problems of a profile, one a line. Nested by halves, so hundreds stay shallow."""
    if not notices:
        return as_notice("")
    if len(notices) == 1:
        return notices[0]
    half = len(notices) // 2
    return Notice(
        "{first}{between}{rest}",
        first=joined(notices[:half], between),
        between=between,
        rest=joined(notices[half:], between),
    )


__all__ = ["JSON_WORDS", "TOML_WORDS", "as_notice", "joined", "json_problem", "json_said", "toml_problem"]
