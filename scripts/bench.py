#!/usr/bin/env python3
"""Measure hzpolicy-tui: search latency, start-up time, peak memory, and how fast keys show.

    python scripts/bench.py [--quick] [--runs N] [--queries N] [--rounds N] [--repeat N] [--moves N]
    python scripts/bench.py --compare    # comparing two editions and building a package only
    python scripts/bench.py --library    # start-up with 10 packages in the library against 1 only

Start-up and memory are measured *side by side* against a bare Textual app with the same
widgets in the same layout (title bar; search box, hidden result list and tree beside a
scrolling text pane; footer), as much text in the same script, and no policy logic, alternating runs so
machine noise hits both alike; the figures that matter are the ratios. Search latency is
timed over the real 76 clauses and over a synthetic corpus 100 times larger.

Key to screen: in each round a fresh hzpolicy-tui and then a fresh bare app (A, B, A, B ...) are
driven by Textual's Pilot (``run_test``, 80x24) in their own interpreters: the first opening of
the calculator (F2), the overview (Ctrl+G), help (F1) and, if a key is bound to it, the
comparison; then ``--repeat`` more openings of each (open, Escape, open again); then ``--moves``
moves down the tree from one clause to the next. The bare app answers F2 by pushing a screen
holding one Static (Escape pops it), and a move in the same tree by changing a Static's text.
What is timed is the interval from the key being handed to the app to the first frame Textual
composes (its ``App._display`` is called) in which the new screen is the current screen with all
its widgets mounted, or in which the detail pane (``#detail``) shows something else (its
``target`` or ``clause`` attribute, else its rendered text, changed). That covers processing the
key, the action, compose and mount of a screen, CSS, layout, rendering the changed widgets and
Textual's frame pacing (a screen updates on a 1/60 s timer once the app is idle), all in Python;
it leaves out turning the frame into escape sequences and the terminal drawing it (the headless
driver discards the frame). A first opening also covers importing the screen's modules, and is
set against the bare app's first push. The figure that matters is "above bare": per round, the
median of hzpolicy-tui's times minus the median of the bare app's, summarised over the rounds
(median and p90). A move is seen through the pane's attribute when it has one: a pane that
changed the attribute at once but drew the new page only later would look faster than it is.

Targets: search median <= 1 ms (76 clauses), p99 <= 20 ms (7,600); start-up <= 1.1x the bare
app, memory <= 1.3x; re-opening the calculator, overview, help or comparison <= 150 ms above the
bare app's key response, a move in the tree <= 60 ms above it; comparing two editions of about
80 clauses <= 0.5 s (p99), building a package <= 2 s; start-up with 10 packages in the library
within 5% of start-up with one. No timing is asserted in tests:
this script reports, it does not fail.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tui"))

from hzpolicy.core.models import Document  # noqa: E402
from hzpolicy.core.search import SearchIndex  # noqa: E402
from hzpolicy.core.store import load_store  # noqa: E402

QUERIES = [
    "高质量发展",
    "集成电路",
    "產業",
    "首台套",
    "reits",
    "14",
    "第十四條",
    "1000万",
    "市科技局",
    "研发 补助",
    "支持",
    "5%",
    "0.1亿",
    "知识产权",
    "软件 企业",
    "人才",
    "外贸 保险",
    "不存在的词",
    "研发补助",
    "人才补贴",
    "研发投入能补多少",
    "subsidy",
    "一千万",
]

APP_RUN = """
import sys
import hzpolicy.__main__  # what the hzpolicy-tui command imports first
from hzpolicy.app import build_app
from hzpolicy.core.paths import default_store
from hzpolicy.core.store import load_store

async def ready(pilot):
    await pilot.pause()
    pilot.app.exit(return_code=pilot.app.return_code or 0)  # keep the 1 of a crash

app = build_app(load_store(default_store()))
app.run(headless=True, size=(100, 30), auto_pilot=ready)
raise SystemExit(app.return_code or 0)  # an app that crashed did not start
"""

BARE_APP = """
from textual.app import App
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, OptionList, Static, Tree

class Bare(App):
    # The same layout as hzpolicy-tui's main screen (title bar; a sidebar with the search box,
    # a hidden result list and the tree, beside the clause pane; footer), with text of the
    # same script and length, and no policy logic.
    CSS = '''
    #title { dock: top; height: 1; }
    #panes { height: 1fr; }
    #sidebar { width: 2fr; max-width: 60; height: 1fr; }
    #search { height: 1; border: none; padding: 0 1; margin: 0 0 1 0; }
    #results { height: 1fr; border: none; display: none; }
    #tree { height: 1fr; scrollbar-size-vertical: 1; }
    #detail-scroll { width: 3fr; height: 1fr; padding-left: 1; scrollbar-size-vertical: 1; }
    '''
    # The same footer: the keys hzpolicy-tui shows, one action each (the footer shows one key
    # per action, so shared actions would show fewer). The tree has the focus from the start.
    AUTO_FOCUS = "#tree"
    BINDINGS = [
        Binding("slash", "search", "Search"), Binding("f4", "script", "Script"), Binding("f5", "copy", "Copy"),
        Binding("ctrl+q", "quit", "Quit"), Binding("f1", "help", "Help"), Binding("f2", "calc", "Calculator"),
        Binding("ctrl+g", "overview", "Overview"),
    ]

    def action_search(self): pass
    def action_script(self): pass
    def action_copy(self): pass
    def action_help(self): pass
    def action_calc(self): pass
    def action_overview(self): pass

    def compose(self):
        yield Static("關於進一步推動經濟高品質發展的若干政策", id="title")
        with Horizontal(id="panes"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="search", id="search")
                yield OptionList(id="results")
                tree = Tree("root", id="tree")
                tree.show_root = False
                for d in range(8):
                    node = tree.root.add(f"{d}、擴大有效投資政策 (10)", expand=True)
                    for c in range(10):
                        node.add_leaf(f" ({d * 10 + c}) 發揮省市重大建設項目帶動支撐作用")
                yield tree
            with VerticalScroll(id="detail-scroll"):
                yield Static("發揮省市重大建設項目帶動支撐作用，" * 40, id="detail")
        yield Footer()
"""

BARE_RUN = (
    BARE_APP
    + """
async def ready(pilot):
    await pilot.pause()
    pilot.app.exit(return_code=pilot.app.return_code or 0)  # keep the 1 of a crash

app = Bare()
app.run(headless=True, size=(100, 30), auto_pilot=ready)
raise SystemExit(app.return_code or 0)
"""
)

# The Pilot harness both apps run: it needs APP (an App not yet running), ACTIONS ([label, key]
# pairs of keys that open a screen) and discover(app, notes) (more such pairs, found once the
# app runs; what it could not find goes in notes).
# It prints one line, "BENCH-JSON {...}": times in ms (None: nothing showed in TIMEOUT s).
LATENCY_HARNESS = """
import asyncio, json, sys, time
from textual.css.query import QueryError
from textual.widgets import Tree

REPEAT, MOVES = int(sys.argv[1]), int(sys.argv[2])
TIMEOUT = 10.0  # s: a key whose screen has not shown by then did not open one


class Frames:
    '''Wraps the app's App._display (called with each frame Textual composes): once armed with a
    test, the time of the first frame whose screen passes it sets ``shown``.'''

    def __init__(self, app):
        self.test = None
        self.shown = asyncio.Event()
        self.at = 0.0
        original = app._display

        def display(screen, renderable):
            original(screen, renderable)
            if self.test is not None and renderable is not None and self.test(screen):
                self.at = time.perf_counter()
                self.test = None
                self.shown.set()

        app._display = display

    async def time_key(self, pilot, key, test):
        '''ms from handing ``key`` to the app to the first frame passing ``test``, or None.'''
        self.shown.clear()
        self.test = test
        start = time.perf_counter()
        await pilot.press(key)
        try:
            await asyncio.wait_for(self.shown.wait(), max(0.0, start + TIMEOUT - time.perf_counter()))
        except asyncio.TimeoutError:
            self.test = None
            return None
        finally:
            await pilot.pause()  # the app settles before the next key
        return (self.at - start) * 1000


def all_mounted(screen):
    return screen.is_mounted and all(w.is_mounted for w in screen.walk_children())


def pane_probe(pane):
    '''What the pane shows, cheaply: its target or clause, else its rendered text.'''
    for name in ("target", "clause"):
        if hasattr(pane, name):
            return (lambda: getattr(pane, name)), f"its {name!r} attribute"

    def rendered():
        return "\\n".join(str(w.render()) for w in pane.walk_children(with_self=True) if w.display)

    return rendered, "its rendered text (it has no 'target' or 'clause' attribute)"


async def open_close(pilot, frames, key, out, label, first):
    app = pilot.app
    before = app.screen
    opened = await frames.time_key(
        pilot, key, lambda s: s is app.screen and s is not before and all_mounted(s)
    )
    if opened is None:
        out["notes"].append(f"{label}: no new screen showed within {TIMEOUT:.0f} s of the key")
        return False
    if first:
        out["first"][label] = opened
    else:
        out["repeat"].setdefault(label, []).append(opened)
    back = await frames.time_key(pilot, "escape", lambda s: s is before and s is app.screen)
    if back is None:
        raise SystemExit(f"{label}: Escape did not return to the screen before it")
    out["back"].append(back)
    return True


async def tree_moves(pilot, frames, out):
    app = pilot.app
    screen = app.screen
    try:
        tree = screen.query_one("#tree", Tree)
    except QueryError as exc:  # none, or not a Tree: say so, and measure the rest
        out["notes"].append(f"tree move not measured: no Tree #tree on the main screen ({exc})")
        return
    try:
        pane = screen.query_one("#detail")
    except QueryError as exc:
        out["notes"].append(f"tree move not measured: no #detail pane on the main screen ({exc})")
        return
    probe, how = pane_probe(pane)
    out["probe"] = how
    tree.focus()
    await pilot.pause()

    def leaf(node):
        return node is not None and not node.allow_expand

    moves = []
    for _ in range(MOVES + 200):  # room to step over the domains' nodes
        if len(moves) >= MOVES:
            break
        here, after = tree.cursor_node, tree.get_node_at_line(tree.cursor_line + 1)
        if after is None:  # the end: start again from the top
            tree.cursor_line = 0
            await pilot.pause()
            continue
        if not (leaf(here) and leaf(after)):  # only clause -> next clause moves are timed
            await pilot.press("down")
            await pilot.pause()
            continue
        shown = probe()
        ms = await frames.time_key(pilot, "down", lambda s: s is screen and probe() != shown)
        if ms is None:
            out["notes"].append(
                f"tree move: the pane (watched by {how}) did not change within {TIMEOUT:.0f} s; stopped"
            )
            return
        moves.append(ms)
    out["move"] = moves


async def main():
    out = {"first": {}, "repeat": {}, "back": [], "move": [], "probe": "", "notes": []}
    async with APP.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        frames = Frames(APP)
        actions = [tuple(a) for a in ACTIONS] + [tuple(a) for a in discover(APP, out["notes"])]
        opens = [(label, key) for label, key in actions if await open_close(pilot, frames, key, out, label, True)]
        for _ in range(REPEAT):
            for label, key in opens:
                await open_close(pilot, frames, key, out, label, False)
        await tree_moves(pilot, frames, out)
    out["actions"] = [label for label, _ in actions]
    print("BENCH-JSON " + json.dumps(out))


asyncio.run(main())
"""

APP_LATENCY = (
    """
import hzpolicy.__main__  # what the hzpolicy-tui command imports first
from hzpolicy.app import build_app
from hzpolicy.core.paths import default_store
from hzpolicy.core.store import load_store
from textual.binding import Binding

APP = build_app(load_store(default_store()))
ACTIONS = [["calculator (F2)", "f2"], ["overview (Ctrl+G)", "ctrl+g"], ["help (F1)", "f1"]]


def discover(app, notes):
    '''The comparison's key, if this build binds one (an action named "compar...").'''
    for node in (app, app.screen):
        for b in node.BINDINGS:
            b = b if isinstance(b, Binding) else Binding(*b)
            if "compar" in b.action:
                key = b.key.split(",")[0].strip()
                return [[f"comparison ({app.get_key_display(Binding(key, b.action))})", key]]
    notes.append("comparison not measured: no key in this build runs an action named compar...")
    return []
"""
    + LATENCY_HARNESS
)

BARE_LATENCY = (
    BARE_APP
    + '''
from textual.screen import Screen


class Trivial(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self):
        yield Static("關於進一步推動經濟高品質發展的若干政策")


class BareKeys(Bare):
    """F2 pushes a screen with one Static; a move in the tree changes the pane's Static."""

    def action_calc(self):
        self.push_screen(Trivial())

    def on_tree_node_highlighted(self, event):
        self.query_one("#detail", Static).update(f"{event.node.label}\\n" + "發揮省市重大建設項目帶動支撐作用，" * 40)


APP = BareKeys()
ACTIONS = [["bare", "f2"]]


def discover(app, notes):
    return []
'''
    + LATENCY_HARNESS
)

REOPEN_TARGET = 150.0  # ms above the bare app: calculator, overview, help, comparison
MOVE_TARGET = 60.0  # ms above the bare app: a move in the tree
STARTUP_TARGET = 1.1  # x the bare app
MEMORY_TARGET = 1.3  # x the bare app


def verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def synthetic(doc: Document, times: int) -> Document:
    """The 76 clauses repeated ``times`` times, renumbered, as one larger document."""
    clauses = []
    n = 0
    for _ in range(times):
        for c in doc.clauses:
            n += 1
            clauses.append(replace(c, number=n))
    return replace(doc, clauses=tuple(clauses))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def reader_queries() -> list[str]:
    """The phrasings of the search tests: questions, thesaurus words, English, amounts in
    words, nonsense."""
    import tomllib

    table = tomllib.loads((ROOT / "tests" / "search_queries.toml").read_text(encoding="utf-8"))
    return [q["q"] for q in table["query"]] + table["nothing"]["queries"]


def bench_search(index: SearchIndex, queries: list[str], repeat: int) -> dict[str, list[float]]:
    """Per search, in ms: "again" (the set searched over and over, what each search keeps of
    the words it looked up in place), "cold" (nothing kept: every word looked up anew) and
    "typing" (each query typed a character at a time from cold, a search per keystroke)."""
    for q in queries:  # warm the dictionaries (OpenCC and the thesaurus load on the first query)
        index.search(q, limit=50)
    out: dict[str, list[float]] = {"again": [], "cold": [], "typing": []}
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            index.search(q, limit=50)
            out["again"].append((time.perf_counter() - t) * 1000)
    for q in queries:
        index.forget()
        t = time.perf_counter()
        index.search(q, limit=50)
        out["cold"].append((time.perf_counter() - t) * 1000)
        index.forget()
        for n in range(1, len(q) + 1):
            t = time.perf_counter()
            index.search(q[:n], limit=50)
            out["typing"].append((time.perf_counter() - t) * 1000)
    return out


def report_search(doc: Document, queries: list[str], repeat: int, target: str) -> None:
    t = time.perf_counter()
    index = SearchIndex(doc)
    index.search("研发", limit=50)  # the first search builds the pairs' index and loads the thesaurus
    built = (time.perf_counter() - t) * 1000
    times = bench_search(index, queries, repeat)
    print(f"search, {len(doc.clauses)} clauses (index and first search {built:.0f} ms):")
    for kind, values in times.items():
        median, p99 = statistics.median(values), percentile(values, 0.99)
        met = median <= 1 if target == "median" else p99 <= 20
        print(
            f"  {kind:>6}: median {median:.3f} ms, p99 {p99:.2f} ms, max {max(values):.1f} ms "
            f"({len(values)} searches; target {target} {'<= 1' if target == 'median' else '<= 20'} ms: {verdict(met)})"
        )


COMPARE_TARGET = 0.5  # s, comparing two editions of about 80 clauses
BUILD_TARGET = 2.0  # s, building a package: parse, prepare, write


def report_compare(repeat: int) -> None:
    """compare() of the shipped package with a next year's edition made from it (tests/editions.py:
    the year moved on, domains reordered, clauses merged, split, dropped, written anew: 76 against
    73 clauses), median and p99 over ``repeat`` runs; then with the JSON of every row (each diff
    made); then the build of a package from its text (parse + prepare + write a store, with the
    shipped rules checked for the shipped text) for the shipped text and the edition."""
    sys.path.insert(0, str(ROOT))
    from tests.editions import variant

    from hzpolicy.core.compare import compare
    from hzpolicy.core.parser import parse
    from hzpolicy.core.store import build_store, prepare

    edition = variant("edition_2025")
    old, new = prepare(parse(edition.old_text)), prepare(parse(edition.new_text))
    compare(old, new)  # warm: the first call imports difflib and the script's tables
    plain, with_json = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        cmp = compare(old, new)
        plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        compare(old, new).to_json("simplified")
        with_json.append(time.perf_counter() - t)
    counts = ", ".join(f"{k} {n}" for k, n in cmp.counts().items() if n)
    print(f"compare, {len(old.clauses)} against {len(new.clauses)} clauses ({counts}):")
    for label, values in (("compare", plain), ("+ json", with_json)):
        median, p99 = statistics.median(values), percentile(values, 0.99)
        print(
            f"  {label:>7}: median {median * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max {max(values) * 1000:.1f} ms "
            f"({len(values)} runs; target p99 <= {COMPARE_TARGET * 1000:.0f} ms: {verdict(p99 <= COMPARE_TARGET)})"
        )
    with tempfile.TemporaryDirectory() as folder:
        sources = {"shipped": ROOT / "data" / "hangzhou-2024-policies.zh-Hant.txt", "edition": Path(folder) / "ed.txt"}
        sources["edition"].write_text(edition.new_text, encoding="utf-8")
        for name, source in sources.items():
            times = []
            for i in range(max(3, repeat // 5)):
                t = time.perf_counter()
                build_store(source, Path(folder) / f"{name}-{i}.json")
                times.append(time.perf_counter() - t)
            median = statistics.median(times)
            print(
                f"  build {name}: median {median * 1000:.0f} ms, max {max(times) * 1000:.0f} ms ({len(times)} builds; "
                f"target <= {BUILD_TARGET:.0f} s: {verdict(max(times) <= BUILD_TARGET)})"
            )


LIBRARY_TARGET = 1.05  # start-up with 10 packages in the library, x start-up with one

# The app started as the hzpolicy-tui command starts it (the saved package read from the user
# data, found in the library's index, its store loaded), headless, until its first full screen.
LIBRARY_RUN = """
import hzpolicy.__main__ as main
from hzpolicy.app import HzPolicyApp

async def ready(pilot):
    await pilot.pause()
    pilot.app.exit(return_code=pilot.app.return_code or 0)

run = HzPolicyApp.run
HzPolicyApp.run = lambda self, **_: run(self, headless=True, size=(100, 30), auto_pilot=ready)
raise SystemExit(main.run([]))
"""


def library_of(folder: Path, sources: list[Path]) -> Path:
    """User data whose library holds ``sources`` (the first named hangzhou-2025), with the
    first one saved as the package opened last."""
    from hzpolicy.core.library import Library
    from hzpolicy.core.userdata import UserData

    library = Library(folder / "library")
    for i, source in enumerate(sources):
        library.add(source, name="hangzhou-2025" if i == 0 else None)
    UserData(folder / "user.sqlite3").set("package", "hangzhou-2025")
    return folder


def report_library_startup(runs: int) -> None:
    """Start-up of the app opening the same package (a 2025 edition) from a library of one
    package and from a library of ten (the edition and nine documents of tests/corpus/),
    alternating; the ratio is what the library's size costs."""
    sys.path.insert(0, str(ROOT))
    from tests.editions import variant

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        edition = folder / "hangzhou-2025.txt"
        edition.write_text(variant("edition_2025").new_text, encoding="utf-8")
        corpus = sorted((ROOT / "tests" / "corpus").glob("*.txt"))[:9]
        one = library_of(folder / "one", [edition])
        ten = library_of(folder / "ten", [edition, *corpus])

        def start(data: Path) -> float:
            env = dict(child_env(), HZPOLICY_DATA_DIR=str(data))
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", LIBRARY_RUN], env=env, capture_output=True, check=False)
            if proc.returncode != 0:
                raise failed("library start-up child", proc.stderr.decode(errors="replace"))
            return time.perf_counter() - t

        start(one)  # warm the file cache and the bytecode
        start(ten)
        ones, tens = [], []
        for _ in range(runs):  # alternate, so noise falls on both alike
            ones.append(start(one))
            tens.append(start(ten))
    o, t = statistics.median(ones), statistics.median(tens)
    print(
        f"start-up with 10 packages in the library: {t * 1000:.0f} ms, with 1: {o * 1000:.0f} ms, "
        f"ratio {t / o:.3f}x ({runs} runs each, medians; "
        f"target <= {LIBRARY_TARGET}x: {verdict(t / o <= LIBRARY_TARGET)})"
    )


def child_env() -> dict[str, str]:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "tui"),
        HZPOLICY_DATA_DIR=str(ROOT / ".bench-data"),
        # Both apps run from compiled bytecode, as pip leaves an installed wheel: the
        # warm-up runs write it into the bench's own cache, whatever the environment says.
        PYTHONPYCACHEPREFIX=str(ROOT / ".bench-data" / "pycache"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def failed(what: str, stderr: str, keep: int = 40) -> SystemExit:
    """A child's failure, with the end of what it wrote (Textual's tracebacks, with their
    locals, run to thousands of lines; the plain traceback comes last)."""
    lines = stderr.splitlines()
    cut = f"[... {len(lines) - keep} lines before]\n" if len(lines) > keep else ""
    return SystemExit(f"{what} failed:\n{cut}" + "\n".join(lines[-keep:]))


def run_child(code: str) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one fresh interpreter running ``code``."""
    with tempfile.TemporaryFile() as err:  # not a pipe: a long traceback would fill it and block
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code], env=child_env(), stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t
        if status != 0:
            err.seek(0)
            raise failed("start-up child", err.read().decode(errors="replace"))
    return elapsed, usage.ru_maxrss


def run_latency(code: str, repeat: int, moves: int) -> dict[str, Any]:
    """One fresh interpreter driving an app with the Pilot harness: its timings (ms)."""
    proc = subprocess.run(
        [sys.executable, "-c", code, str(repeat), str(moves)],
        env=child_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("BENCH-JSON ")]
    if proc.returncode != 0 or not lines:
        raise failed("key-to-screen child", proc.stderr or proc.stdout)
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("BENCH-JSON "))
    return result


def above(ours: list[list[float]], bare: list[list[float]]) -> tuple[float, float, float, float] | None:
    """(our median, bare median, median and p90 over rounds of our round's median minus the bare
    app's), from samples per round; None when either side has no samples."""
    pairs = [(o, b) for o, b in zip(ours, bare, strict=True) if o and b]
    if not pairs:
        return None
    diffs = [statistics.median(o) - statistics.median(b) for o, b in pairs]
    return (
        statistics.median([x for o, _ in pairs for x in o]),
        statistics.median([x for _, b in pairs for x in b]),
        statistics.median(diffs),
        percentile(diffs, 0.9),
    )


def bench_latency(rounds: int, repeat: int, moves: int) -> None:
    run_latency(BARE_LATENCY, 1, 1)  # warm the file cache and compile bytecode, as for start-up
    run_latency(APP_LATENCY, 1, 1)
    ours: list[dict[str, Any]] = []
    bare: list[dict[str, Any]] = []
    for _ in range(rounds):  # alternate, so noise falls on both alike
        ours.append(run_latency(APP_LATENCY, repeat, moves))
        bare.append(run_latency(BARE_LATENCY, repeat, moves))

    rows: list[tuple[str, tuple[float, float, float, float] | None, float | None]] = []
    bare_first = [[r["first"]["bare"]] if "bare" in r["first"] else [] for r in bare]
    bare_again = [r["repeat"].get("bare", []) for r in bare]
    for label in ours[0]["actions"]:
        first = [[r["first"][label]] if label in r["first"] else [] for r in ours]
        rows.append((f"{label}, first", above(first, bare_first), None))
        again = [r["repeat"].get(label, []) for r in ours]
        rows.append((f"{label}, again", above(again, bare_again), REOPEN_TARGET))
    rows.append(("back with Escape (all)", above([r["back"] for r in ours], [r["back"] for r in bare]), None))
    rows.append(("tree move (Down)", above([r["move"] for r in ours], [r["move"] for r in bare]), MOVE_TARGET))

    print(
        f"key to screen, 80x24 (ms; {rounds} rounds of each app, alternating; {repeat} re-openings, "
        f"{moves} moves a round):"
    )
    print("  ours, bare: medians of all times; above: the median over rounds of (our median minus the")
    print("  bare app's) in that round, p90 its 90th percentile; a target is judged on the median above")
    print(f"  {'action':<32} {'ours':>7} {'bare':>7} {'above':>7} {'p90':>7}  target (ms above)")
    for label, stats, target in rows:
        if stats is None:
            print(f"  {label:<32} not measured")
            continue
        mine, theirs, diff, p90 = stats
        goal = "" if target is None else f"<= {target:.0f} " + verdict(diff <= target)
        print(f"  {label:<32} {mine:7.1f} {theirs:7.1f} {diff:7.1f} {p90:7.1f}  {goal}")
    if ours[0]["probe"]:
        print(f"  (a move is shown when the pane #detail changes, watched by {ours[0]['probe']})")
    for note in dict.fromkeys(n for r in ours + bare for n in r["notes"]):  # each once, in order
        print(f"  note: {note}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a fast check: few runs and rounds (overrides the rest)")
    ap.add_argument("--runs", type=int, default=7, help="start-up runs of each app (default 7)")
    ap.add_argument("--queries", type=int, default=30, help="rounds over the query set (default 30)")
    ap.add_argument("--rounds", type=int, default=5, help="key-to-screen rounds of each app (default 5)")
    ap.add_argument("--repeat", type=int, default=8, help="re-openings of each screen a round (default 8)")
    ap.add_argument("--moves", type=int, default=15, help="moves in the tree a round (default 15)")
    ap.add_argument("--search-only", action="store_true", help="measure search only")
    ap.add_argument("--library", action="store_true", help="measure only start-up with 10 packages against 1")
    ap.add_argument("--compare", action="store_true", help="measure only comparing two editions and building a package")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.queries, args.rounds, args.repeat, args.moves = 2, 3, 2, 3, 5

    if args.compare:
        report_compare(max(5, args.queries))
        return
    if args.library:
        report_library_startup(args.runs)
        return
    doc = load_store(ROOT / "data" / "hangzhou-2024.json")
    queries = QUERIES + reader_queries()
    report_search(doc, queries, args.queries, "median")
    report_search(synthetic(doc, 100), queries, max(1, args.queries // 10), "p99")
    if args.search_only:
        return
    report_compare(max(5, args.queries))
    report_library_startup(args.runs)

    run_child(BARE_RUN)  # warm the file cache for both, and compile their bytecode
    run_child(APP_RUN)
    app_t, bare_t, app_m, bare_m = [], [], [], []
    for _ in range(args.runs):  # alternate, so noise falls on both alike
        t, m = run_child(BARE_RUN)
        bare_t.append(t)
        bare_m.append(m)
        t, m = run_child(APP_RUN)
        app_t.append(t)
        app_m.append(m)
    at, bt = statistics.median(app_t), statistics.median(bare_t)
    am, bm = statistics.median(app_m), statistics.median(bare_m)
    print(
        f"start-up to first full screen: hzpolicy-tui {at * 1000:.0f} ms, bare Textual app "
        f"{bt * 1000:.0f} ms, ratio {at / bt:.2f}x ({args.runs} runs each, medians; "
        f"target <= {STARTUP_TARGET}x: {verdict(at / bt <= STARTUP_TARGET)})"
    )
    print(
        f"peak memory: hzpolicy-tui {am / 1024:.1f} MiB, bare Textual app {bm / 1024:.1f} MiB, "
        f"ratio {am / bm:.2f}x (target <= {MEMORY_TARGET}x: {verdict(am / bm <= MEMORY_TARGET)})"
    )

    bench_latency(args.rounds, args.repeat, args.moves)


if __name__ == "__main__":
    main()
