"""The interface's catalogs: every message translated in both scripts, compiled, and safe
to format; the Simplified one holds no Traditional-only character; English is the code's."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import opencc
import pytest
from babel.messages.pofile import read_po
from textual.binding import Binding

from hzpolicy.app import HzPolicyApp
from hzpolicy.core.i18n import Locale, Notice
from hzpolicy.screens.main import MainScreen

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "tui" / "hzpolicy" / "locale"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _catalog(name: str):
    with (LOCALE / name / "LC_MESSAGES" / "hzpolicy.po").open("rb") as fh:
        return read_po(fh, locale=name)


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_every_message_in_the_code_is_translated_and_compiled():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", ["zh_Hant", "zh_Hans"])
def test_a_translation_keeps_every_placeholder_of_its_message(name):
    """A translation that drops or renames {name} would fail when formatted, at run time."""
    for message in _catalog(name):
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        wanted = set(PLACEHOLDER.findall(msgid))
        for text in _strings(message):
            if text:  # an untranslated one is the first test's to report
                assert set(PLACEHOLDER.findall(text)) == wanted, (name, msgid, text)


def test_the_simplified_catalog_holds_no_traditional_only_character():
    t2s = opencc.OpenCC("t2s")
    for message in _catalog("zh_Hans"):
        for text in _strings(message):
            converted = t2s.convert(text)
            odd = {a for a, b in zip(text, converted, strict=False) if a != b}
            assert converted == text, (message.id, sorted(odd))


def test_each_script_has_its_own_software_words():
    hant, hans = Locale("traditional"), Locale("simplified")
    assert (hant.tr("Search"), hans.tr("Search")) == ("搜尋", "搜索")
    assert (hant.tr("Export"), hans.tr("Export")) == ("匯出", "导出")
    assert Locale("simplified", "en").tr("Search") == "Search"  # English is the code's own


def test_a_notice_is_english_as_text_and_the_readers_words_when_said():
    notice = Notice("could not save {what} to {path}: {why}", what=Notice("the note"), path="/x", why="disk full")
    assert str(notice) == "could not save the note to /x: disk full"
    assert Locale("simplified").say(notice) == "无法把笔记保存到 /x: disk full"
    assert Locale("traditional", "en").say(notice) == str(notice)
    assert Locale("traditional").say("plain text") == "plain text"


def test_every_binding_is_named_in_both_scripts():
    """Footer, help and palette show a binding's words through the catalogs: none is left
    in English in Chinese."""
    from hzpolicy.screens.calculator import CalculatorScreen
    from hzpolicy.screens.dialogs import ExportScreen, NoteConflictScreen, NoteScreen
    from hzpolicy.screens.help import HelpScreen
    from hzpolicy.screens.insights import InsightsScreen

    screens = [HzPolicyApp, MainScreen, CalculatorScreen, InsightsScreen, HelpScreen]
    screens += [NoteScreen, NoteConflictScreen, ExportScreen]
    for loc in (Locale("traditional"), Locale("simplified")):
        for owner in screens:
            for entry in owner.BINDINGS:
                binding = entry if isinstance(entry, Binding) else Binding(*entry)
                for words in (binding.description, binding.tooltip):
                    if words:
                        assert loc.tr(words) != words, (owner.__name__, words)
