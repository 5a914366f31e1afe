"""The interface's own words, in the reader's language and script.

Messages are written in English in the code (``loc.tr("Search")``) and translated by gettext
catalogs: ``zh_Hant`` (Traditional, Taiwan and Hong Kong software wording) and ``zh_Hans``
(Simplified, mainland wording). English is the catalogs' own text. The catalogs are ``.po``
files under ``hzpolicy/locale``, compiled to ``.mo`` with Babel by ``scripts/i18n.py``.

A :class:`Locale` is the reader's whole choice, script and language, made once and passed
to whatever speaks: the app, the command line, the exports. Its ``doc()`` puts a piece of
the *document's* own text (a money figure such as 200萬元) in the script; the document's
larger texts are prepared at build time (``clause.body_in(script)``).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from .models import DEFAULT_SCRIPT, Script

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
DOMAIN = "hzpolicy"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def as_lang(value: object) -> Lang:
    """A stored or typed language; anything else is the default (Chinese)."""
    return "en" if value == "en" else DEFAULT_LANG


def catalog_name(lang: Lang, script: Script) -> str | None:
    """The catalog for a choice; None for English (the messages' own language)."""
    if lang == "en":
        return None
    return "zh_Hans" if script == "simplified" else "zh_Hant"


@lru_cache(maxsize=4)
def _translations(name: str | None) -> gettext.NullTranslations:
    if name is None:
        return gettext.NullTranslations()
    # fallback=False: a missing catalog is a broken install, not English in disguise.
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[name], fallback=False)


@lru_cache(maxsize=4096)
def _simplified(text: str) -> str:
    from .script import to_simplified  # OpenCC is loaded when first needed

    return to_simplified(text)


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is defined; :meth:`Locale.tr` translates it
    where it is shown."""
    return message


class Notice(str):
    """A message of core's to the reader, made where the reader's language is not known (the
    user's data is opened before its language setting is read). As a ``str`` it is English;
    :meth:`Locale.say` gives it in the reader's words. Parameters that are notices themselves
    are translated too ("could not save {what}": what = the note on clause 14)."""

    message: str
    params: dict[str, object]

    def __new__(cls, message: str, **params: object) -> Notice:
        made = super().__new__(cls, message.format(**params))
        made.message = message
        made.params = params
        return made


# TRANSLATORS: between the items of a list ("a, b, c").
LIST_SEPARATOR = N_(", ")


@dataclass(frozen=True)
class Locale:
    """The reader's script and language."""

    script: Script = DEFAULT_SCRIPT
    lang: Lang = DEFAULT_LANG

    @property
    def catalog(self) -> str | None:
        return catalog_name(self.lang, self.script)

    def tr(self, message: str) -> str:
        """An interface message in this language and script."""
        return _translations(self.catalog).gettext(message)

    def trn(self, singular: str, plural: str, n: int) -> str:
        """A message with a count ("{n} clauses match"); format it with the count after."""
        return _translations(self.catalog).ngettext(singular, plural, n)

    def listed(self, items: Iterable[str]) -> str:
        """Items as a list in the reader's language: 研发、补助 or 研发, 补助."""
        return self.tr(LIST_SEPARATOR).join(items)

    def say(self, text: str) -> str:
        """A :class:`Notice` in the reader's words; any other text as it is."""
        if not isinstance(text, Notice):
            return text
        params = {k: self.say(v) if isinstance(v, Notice) else v for k, v in text.params.items()}
        return self.tr(text.message).format(**params)

    def doc(self, text: str) -> str:
        """A piece of the document's own text (written in the source's Traditional) in this
        script, whatever the language: documents are not translated."""
        return _simplified(text) if self.script == "simplified" else text

    def with_script(self, script: Script) -> Locale:
        return Locale(script, self.lang)

    def with_lang(self, lang: Lang) -> Locale:
        return Locale(self.script, lang)
