"""Where the shipped store and source live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

STORE_NAME = "hangzhou-2024.json"
# The shipped package's name in the library: always there, read-only.
SHIPPED_PACKAGE = "hangzhou-2024"
SOURCE_NAME = "hangzhou-2024-policies.zh-Hant.txt"
RULES_NAME = "calculator-rules.toml"
ALIASES_NAME = "agency-aliases.toml"
THESAURUS_NAME = "thesaurus.toml"

_PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"
# tui/hzpolicy/core/paths.py -> the repository's data/ (a source checkout or editable install)
_REPO_DATA = Path(__file__).resolve().parents[3] / "data"


def _find(name: str) -> Path:
    for folder in (_PACKAGE_DATA, _REPO_DATA):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return _PACKAGE_DATA / name


def default_store() -> Path:
    return _find(STORE_NAME)


def default_source() -> Path:
    return _find(SOURCE_NAME)


def default_rules() -> Path:
    return _find(RULES_NAME)


def default_aliases() -> Path:
    return _find(ALIASES_NAME)


def default_thesaurus() -> Path:
    return _find(THESAURUS_NAME)
