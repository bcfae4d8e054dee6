"""Time to the first moving chart: a newcomer opens chapter 00 in a cold JupyterLab, presses Shift+Enter on
its first code cell and moves the slider. How long until the chart moves?

    .venv/bin/python benchmarks/bench_first_chart.py [--runs 3] [--no-jail]

Each run starts a fresh JupyterLab server (its own settings, no kernel running) and a fresh browser
context, then times, with the wall clock around the browser:
- open: from loading the chapter's address to the notebook drawn and its kernel idle;
- first cell: from Shift+Enter on the first code cell to its slider and chart drawn (the kernel imports
  the kit, loads the chart widget's JavaScript and draws);
- move: from an arrow key on the slider to the chart changing;
- total: open + first cell + move (what the learner waits through).
Also the kernel side of the first cell, timed inside the kernel (`import kit` and the rest).
Prints each run, the medians and the machine's load average. Not a pass/fail test: the numbers depend
on the machine (2 cores shared by JupyterLab, the kernel and Chromium; say if it was busy).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import harness  # noqa: E402

CHAPTER = "notebooks/00_start_here.ipynb"
FIRST_OUTPUT = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell:first-of-type"
# The first code cell's output: its slider handle and a drawn chart, once both are there.
FIRST_CELL_READY_JS = r"""
() => {
  const cell = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')][0];
  if (!cell) return false;
  const handle = cell.querySelector('.jp-OutputArea .widget-slider .noUi-handle');
  const drawn = cell.querySelector('.jp-OutputArea .vega-embed svg.marks path, '
                                  + '.jp-OutputArea .vega-embed canvas.marks');
  return !!(handle && drawn);
}
"""
CHART_JS = r"""
() => { const cell = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')][0];
        const m = cell && cell.querySelector('.jp-OutputArea .vega-embed svg.marks');
        return m ? m.innerHTML : ''; }
"""
KERNEL_TIMING = ("import time as _t, sys as _s; _a = _t.perf_counter(); import kit as _k; "
                 "_b = _t.perf_counter(); print(round(_b - _a, 2))")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def one_run(jail: bool) -> dict:
    with harness.Session(jail=jail) as session:
        run = harness.Run(notebook=CHAPTER, where="bench")
        page = session.new_page(run)
        started = time.perf_counter()
        page.goto(session.server.url(f"/lab/workspaces/{uuid.uuid4().hex}/tree/{CHAPTER}", reset=None))
        page.wait_for_function(
            "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
            " && w.sessionContext.session.kernel.status === 'idle' && w.content && w.content.widgets.length > 0; }",
            timeout=120_000, polling=50)
        opened = time.perf_counter()
        # Click into the first code cell's prompt area (command mode), as a learner clicks the grey cell.
        page.evaluate("() => { const p = window.jupyterapp.shell.currentWidget; const i = p.content.widgets"
                      ".findIndex(c => c.model.type === 'code'); p.content.activeCellIndex = i;"
                      " p.content.mode = 'command';"
                      " p.content.node.focus(); }")
        pressed = time.perf_counter()
        page.keyboard.press("Shift+Enter")
        page.wait_for_function(FIRST_CELL_READY_JS, timeout=120_000, polling=50)
        drawn = time.perf_counter()
        before = page.evaluate(CHART_JS)
        handle = page.locator(FIRST_OUTPUT.replace(":first-of-type", "") + " .widget-slider .noUi-handle").first
        handle.focus()
        key = time.perf_counter()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"(before) => ({CHART_JS})() !== before", arg=before, timeout=60_000, polling=20)
        moved = time.perf_counter()
        problems = run.problems()
        session.close(page)
    return {"open": opened - started, "first cell": drawn - pressed, "move": moved - key,
            "total": (opened - started) + (drawn - pressed) + (moved - key), "problems": problems}


def kernel_import_seconds() -> float:
    """`import kit` in a fresh Python, as the first cell's kernel does it (wall clock, seconds)."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", KERNEL_TIMING], capture_output=True, text=True, cwd=ROOT / "notebooks")
    return float(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-jail", action="store_true", help="do not use a network namespace")
    parser.add_argument("--json", type=Path, help="also write the runs here")
    args = parser.parse_args(argv)
    jail = False if args.no_jail else harness.NetworkJail.why_not() is None
    print(f"load average before: {load()}")
    runs = []
    for number in range(args.runs):
        result = one_run(jail)
        runs.append(result)
        print(f"run {number + 1}: open {result['open']:.1f} s, first cell {result['first cell']:.1f} s, "
              f"move {result['move'] * 1000:.0f} ms, total {result['total']:.1f} s"
              + (f"  PROBLEMS: {result['problems']}" if result["problems"] else ""))
    imports = [kernel_import_seconds() for _ in range(3)]
    medians = {k: statistics.median(r[k] for r in runs) for k in ("open", "first cell", "move", "total")}
    print(f"median of {len(runs)}: open {medians['open']:.1f} s, first cell {medians['first cell']:.1f} s, "
          f"move {medians['move'] * 1000:.0f} ms, total {medians['total']:.1f} s; "
          f"`import kit` in a fresh Python {statistics.median(imports):.2f} s")
    print(f"load average after: {load()}")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "medians": medians, "import_kit": imports}, indent=1))
    return 0 if not any(r["problems"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
