"""Dates as readers write them, and the date a calculation is made for.

A reader types 2024-6-30, 2024/6/30, 2024.6.30 or 2024年6月30日, with ASCII or full-width
digits (an input method gives ２０２４); :func:`parse_date` reads them all and refuses, by
name, a day that does not exist. :func:`calculation_date` is the date the calculator uses
when the reader names none: today while the package is in force, else the last (or first)
day it is in force, with the reason said."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .i18n import Notice

_DATE = re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?")


class DateError(ValueError):
    """A date that cannot be read; ``notice`` says why, in the reader's words by ``Locale.say``."""

    def __init__(self, notice: Notice) -> None:
        super().__init__(notice)
        self.notice = notice


def parse_date(text: str) -> date:
    """2024-06-30, 2024-6-30, 2024/6/30, 2024.6.30, 2024年6月30日, with full-width digits too."""
    raw = unicodedata.normalize("NFKC", text).strip()
    m = _DATE.fullmatch(raw)
    if m is None:
        raise DateError(
            Notice("{text} is not a date: write it as 2024-06-30, 2024/6/30 or 2024年6月30日", text=repr(text))
        )
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        raise DateError(Notice("{text} is no day of the calendar", text=repr(text))) from None


@dataclass(frozen=True)
class ChosenDate:
    """The date a calculation is for, and why (``because`` is None when it is simply today
    within the package's period, or a date the reader named)."""

    day: date
    because: Notice | None = None


def calculation_date(valid_from: str | None, valid_to: str | None, today: date) -> ChosenDate:
    """Today while the package is in force (or when its period is unknown); after it, its
    last valid day; before it, its first: a result on a day the package is not in force
    would only say that nothing applies."""
    if valid_to and today > date.fromisoformat(valid_to):
        return ChosenDate(
            date.fromisoformat(valid_to),
            Notice(
                "This package expired on {end}: results are for its last valid day, {end}. "
                "Change the date to see another.",
                end=valid_to,
            ),
        )
    if valid_from and today < date.fromisoformat(valid_from):
        return ChosenDate(
            date.fromisoformat(valid_from),
            Notice(
                "This package takes effect on {start}: results are for its first day, {start}. "
                "Change the date to see another.",
                start=valid_from,
            ),
        )
    return ChosenDate(today)
