"""The README's promises: its two commands, and a key table that matches the bindings."""

from __future__ import annotations

import re

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert block and README.index(block.group(0)) < 40, "the README opens with its commands"
    return [ln for ln in block.group(1).splitlines() if ln.strip()]


def test_readme_opens_with_exactly_two_commands():
    commands = _commands()
    assert len(commands) == 2
    assert "hzpolicy-tui" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()


# How the README writes a key that Textual shows another way. Textual's own display
# (App.get_key_display, what the footer and the F1 table show) writes Ctrl as a caret and
# key names in lower case: ^f, esc, f3, shift+f3. The README writes Ctrl+F, Esc, F3, Shift+F3.
# Single characters (/ ? n N 1) are written the same.
def _readme_spelling(shown: str) -> str:
    def part(p: str) -> str:
        if p.startswith("^") and len(p) > 1:
            return "Ctrl+" + part(p[1:]).upper()
        return p.capitalize() if len(p) > 1 else p

    return "+".join(part(p) for p in shown.split("+"))


def test_readme_spelling_of_textuals_key_display():
    assert [_readme_spelling(s) for s in ("^f", "esc", "f3", "shift+f3", "/", "?", "N", "n")] == [
        "Ctrl+F",
        "Esc",
        "F3",
        "Shift+F3",
        "/",
        "?",
        "N",
        "n",
    ]


def _key_table() -> tuple[str, list[str]]:
    """The README's key table, and the keys written in its Key column."""
    table = README[README.index("## Keys") : README.index("## Command line")]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert rows, "the README's key table has no rows"
    return table, [key for row in rows for key in re.findall(r"`([^`]+)`", row.split("|")[1])]


def _bindings(cls):
    from textual.binding import Binding

    return list(Binding.make_bindings(cls.BINDINGS))  # "a,b" comes out as two bindings


def test_every_key_is_in_the_readme_table(doc, tmp_path):
    from hzpolicy.app import HzPolicyApp
    from hzpolicy.screens.calculator import CalculatorScreen
    from hzpolicy.screens.compare import CompareScreen
    from hzpolicy.screens.dialogs import NoteScreen
    from hzpolicy.screens.insights import InsightsScreen
    from hzpolicy.screens.main import MainScreen
    from hzpolicy.screens.packages import PackagePickerScreen

    from .conftest import make_app

    app = make_app(doc, tmp_path)
    table, key_column = _key_table()
    missing = []
    # The explorer's and the app's keys have their own rows; a screen's own keys are told in
    # the row of the key that opens it.
    for classes, where, is_written in (
        ((MainScreen, HzPolicyApp), "the Key column", lambda key: key in key_column),
        (
            (CalculatorScreen, InsightsScreen, NoteScreen, CompareScreen, PackagePickerScreen),
            "the table",
            lambda key: f"`{key}`" in table,
        ),
    ):
        for cls in classes:
            for binding in _bindings(cls):
                shown = app.get_key_display(binding)
                spelled = _readme_spelling(shown)
                if not is_written(spelled):
                    missing.append(
                        f"{cls.__name__} binds {binding.key!r} ({binding.action}): `{spelled}` is not in {where} "
                        f"(Textual shows it as {shown!r})"
                    )
    assert not missing, "README key table is missing:\n" + "\n".join(missing)


def test_every_key_in_the_readme_table_is_bound(doc, tmp_path):
    from textual.binding import Binding

    from hzpolicy.app import HzPolicyApp
    from hzpolicy.screens.main import MainScreen

    from .conftest import make_app

    app = make_app(doc, tmp_path)
    bound = {
        _readme_spelling(app.get_key_display(b))
        for b in [*_bindings(MainScreen), *_bindings(HzPolicyApp), Binding(app.COMMAND_PALETTE_BINDING, "palette")]
    }
    _, key_column = _key_table()
    assert [key for key in key_column if key not in bound] == []


def test_the_search_examples_are_what_search_prints(capsys):
    """Each example of "How search reads a query": its results' why lines, as printed."""
    from hzpolicy.__main__ import run

    section = README[README.index("## How search reads a query") :]
    block = section[section.index("```\n$ ") + 4 : section.index("\n```", section.index("```\n$ ") + 4)]
    examples = re.split(r"\n\n(?=\$ )", block)
    assert len(examples) >= 3
    for example in examples:
        query = re.match(r"\$ hzpolicy-tui search (\S+)", example).group(1)
        assert run(["search", query, "--script", "simplified"]) == 0
        out = capsys.readouterr().out
        for line in example.splitlines()[1:]:
            if re.match(r"\s+(条文|领域|前言|结语|笔记) \|", line) or re.match(r"\s*\d+ 处符合|其中", line.strip()):
                assert line.strip() in [ln.strip() for ln in out.splitlines()], (query, line)
