"""What the calculator says of a package without calculator rules, in the app and on the
command line alike.

Calculator rules are written for one document (they quote its clauses, and the build
attaches them only to the document whose SHA-256 they name): another package, even a later
edition of the same policy, has none, and the calculator says so plainly rather than show an
empty result.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .i18n import Notice

if TYPE_CHECKING:
    from .library import Package
    from .models import Document


def with_rules(packages: Iterable[Package]) -> list[str]:
    """The names of the packages the calculator works on."""
    return [p.name for p in packages if p.rules and p.problem is None]


def no_rules_notice(name: str, packages: Iterable[Package]) -> Notice:
    """The package ``name`` has no rules: say so, and which packages have some."""
    names = with_rules(packages)
    if names:
        return Notice(
            "The package {name} has no calculator rules, so the calculator has nothing to work out for it: "
            "its rules are written for one document at a time. Packages with rules: {names}",
            name=name,
            names=", ".join(names),
        )
    return Notice("The package {name} has no calculator rules, and no package in the library has any", name=name)


def package_name_of(doc: Document, packages: Iterable[Package]) -> str:
    """The library's name for ``doc`` (found by its source's SHA-256); else its title."""
    for package in packages:
        if package.source_sha256 and package.source_sha256 == doc.source_sha256:
            return package.name
    return doc.title
