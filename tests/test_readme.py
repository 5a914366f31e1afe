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


def _key_names(key: str) -> str:
    names = {"slash": "/", "question_mark": "?", "escape": "Esc"}
    if key in names:
        return names[key]
    return "+".join(p.capitalize() if len(p) > 1 else (p.upper() if "+" in key else p) for p in key.split("+"))


def test_every_key_is_in_the_readme_table():
    from hzpolicy.app import HzPolicyApp
    from hzpolicy.screens.calculator import CalculatorScreen
    from hzpolicy.screens.dialogs import NoteScreen
    from hzpolicy.screens.insights import InsightsScreen
    from hzpolicy.screens.main import MainScreen

    table = README[README.index("## Keys") : README.index("## Command line")]
    bindings = [
        *MainScreen.BINDINGS,
        *HzPolicyApp.BINDINGS,
        *CalculatorScreen.BINDINGS,
        *InsightsScreen.BINDINGS,
        *NoteScreen.BINDINGS,
    ]
    for binding in [b for b in bindings if "," not in b.key] + [
        type(b)(k.strip(), b.action) for b in bindings if "," in b.key for k in b.key.split(",")
    ]:
        shown = _key_names(binding.key)
        assert f"`{shown}`" in table, f"{binding.key} ({binding.action}) is missing as `{shown}`"
