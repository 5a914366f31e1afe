#!/usr/bin/env python3
"""Measure hzpolicy-tui: search latency, start-up time and peak memory.

    python scripts/bench.py [--runs N] [--queries N]

Start-up and memory are measured *side by side* against a bare Textual app with the same
widgets in the same layout (title bar; search box, hidden result list and tree beside a
scrolling text pane; footer), as much text in the same script, and no policy logic, alternating runs so
machine noise hits both alike; the figures that matter are the ratios. Search latency is
timed over the real 76 clauses and over a synthetic corpus 100 times larger.
Targets: median <= 1 ms (76 clauses), p99 <= 20 ms (7,600), start-up and memory <= 1.3x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

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
]

APP_RUN = """
import sys
import hzpolicy.__main__  # what the hzpolicy-tui command imports first
from hzpolicy.app import build_app
from hzpolicy.core.paths import default_store
from hzpolicy.core.store import load_store

async def ready(pilot):
    await pilot.pause()
    pilot.app.exit()

build_app(load_store(default_store())).run(headless=True, size=(100, 30), auto_pilot=ready)
"""

BARE_RUN = """
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
    #detail { width: 3fr; height: 1fr; padding-left: 1; scrollbar-size-vertical: 1; }
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
            with VerticalScroll(id="detail"):
                yield Static("發揮省市重大建設項目帶動支撐作用，" * 40)
        yield Footer()

async def ready(pilot):
    await pilot.pause()
    pilot.app.exit()

Bare().run(headless=True, size=(100, 30), auto_pilot=ready)
"""


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


def bench_search(index: SearchIndex, repeat: int) -> list[float]:
    for q in QUERIES:  # warm caches (OpenCC dictionaries load on the first query)
        index.search(q, limit=50)
    times = []
    for _ in range(repeat):
        for q in QUERIES:
            t = time.perf_counter()
            index.search(q, limit=50)
            times.append((time.perf_counter() - t) * 1000)
    return times


def run_child(code: str) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one fresh interpreter running ``code``."""
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "tui"),
        HZPOLICY_DATA_DIR=str(ROOT / ".bench-data"),
        # Both apps run from compiled bytecode, as pip leaves an installed wheel: the
        # warm-up runs write it into the bench's own cache, whatever the environment says.
        PYTHONPYCACHEPREFIX=str(ROOT / ".bench-data" / "pycache"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    if status != 0:
        raise SystemExit(f"child failed: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7, help="start-up runs of each app (default 7)")
    ap.add_argument("--queries", type=int, default=30, help="rounds over the query set (default 30)")
    args = ap.parse_args()

    doc = load_store(ROOT / "data" / "hangzhou-2024.json")
    small = bench_search(SearchIndex(doc), args.queries)
    big_doc = synthetic(doc, 100)
    big = bench_search(SearchIndex(big_doc), max(1, args.queries // 10))
    print(
        f"search, {len(doc.clauses)} clauses: median {statistics.median(small):.3f} ms, "
        f"p99 {percentile(small, 0.99):.3f} ms ({len(small)} searches)"
    )
    print(
        f"search, {len(big_doc.clauses)} clauses: median {statistics.median(big):.3f} ms, "
        f"p99 {percentile(big, 0.99):.3f} ms ({len(big)} searches)"
    )

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
        f"{bt * 1000:.0f} ms, ratio {at / bt:.2f}x ({args.runs} runs each, medians)"
    )
    print(f"peak memory: hzpolicy-tui {am / 1024:.1f} MiB, bare Textual app {bm / 1024:.1f} MiB, ratio {am / bm:.2f}x")


if __name__ == "__main__":
    main()
