"""A search of every package of the library: each package searched with its own index, the
results merged into one list, each naming its package (the app's list and ``search --all``
alike).

Each package keeps its own order (a clause number asked for, an exact title, a phrase, every
word, then the score): the lists are interleaved, never re-sorted, taking at each step the
best head, those with every word of the query first and then the higher score. Scores of
different packages are comparable enough for that (the same weights; each index's word
rarity is its own document's).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .i18n import Notice
from .search import Hit, Results


@dataclass(frozen=True)
class Found:
    """A result of a search of all packages: the package it is in, and the place."""

    package: str
    hit: Hit

    def to_json(self) -> dict[str, Any]:
        return {"package": self.package, **self.hit.to_json()}


def _rank(found: Found) -> tuple[bool, float]:
    return (found.hit.partial, -found.hit.score)


def merge(searched: Sequence[tuple[str, Results]], limit: int | None = None) -> list[Found]:
    """Every package's results in one list (see the module's docstring); at a tie the package
    listed first comes first."""
    lists = [[Found(name, hit) for hit in results.hits] for name, results in searched]
    merged = list(heapq.merge(*lists, key=_rank))
    return merged if limit is None else merged[:limit]


@dataclass(frozen=True)
class AllResults:
    """What a search of all packages found: each package's results (in the library's order),
    the merged list, and the packages that could not be read (with why)."""

    query: str
    searched: tuple[tuple[str, Results], ...]
    found: tuple[Found, ...]
    unreadable: tuple[tuple[str, Notice], ...] = ()

    @property
    def total(self) -> int:
        return sum(r.total for _, r in self.searched)

    @property
    def full(self) -> int:
        return sum(r.full for _, r in self.searched)

    @property
    def packages_found(self) -> int:
        """How many packages have a result."""
        return sum(r.total > 0 for _, r in self.searched)

    def to_json(self) -> dict[str, Any]:
        """``search --all --json``: each result names its package."""
        return {
            "query": self.query,
            "total": self.total,
            "all_words": self.full,
            "packages": [
                {
                    "name": name,
                    "total": r.total,
                    "all_words": r.full,
                    "not_in_document": list(r.unknown),
                }
                for name, r in self.searched
            ],
            "unreadable": [{"name": name, "problem": str(problem)} for name, problem in self.unreadable],
            "results": [f.to_json() for f in self.found],
        }


def search_all(
    query: str,
    searched: Sequence[tuple[str, Results]],
    unreadable: Sequence[tuple[str, Notice]] = (),
    limit: int | None = None,
) -> AllResults:
    """Gather the packages' results (each searched with its own index) into one."""
    return AllResults(query, tuple(searched), tuple(merge(searched, limit)), tuple(unreadable))
