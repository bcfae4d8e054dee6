"""Slider -> chart latency in real JupyterLab (headless Chromium), measured in the page, against the naive way.

    .venv/bin/python benchmarks/bench_chapter_latency.py [notebooks/02_....ipynb] [--presses 40] [--naive-presses 20]

In one JupyterLab session and one browser:
- the chapter (default: the main chapter, notebooks/02_*.ipynb, whose dashboard is kit.explore()): run
  all, then for the first slider of each output that shows sliders with charts, press arrow keys and
  time, inside the page, the key press -> the first and the last change inside those charts (the last
  one includes the kernel's new titles);
- the naive way, as a learner would write it: `ipywidgets.interact` that builds and displays a new
  role_shift chart for each value of the documentation slider (Altair's offline `jupyter` renderer:
  the default one needs a CDN and stays blank offline), timed the same way.
Prints median and p95 per slider and the machine's load average. Not a pass/fail test: the numbers
depend on the machine (2 cores shared by JupyterLab, the kernel and Chromium; say if it was busy).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import harness  # noqa: E402

NAIVE = [
    "import altair as alt\nimport ipywidgets\nimport kit\nalt.renderers.enable('jupyter', offline=True)",
    "def naive(documentation=0):\n"
    "    scenario = kit.Scenario(automation={'clinical_documentation': documentation / 100})\n"
    "    return kit.charts.role_shift(kit.simulate(scenario).by_role)\n\n"
    "ipywidgets.interact(naive, documentation=ipywidgets.IntSlider(value=0, min=0, max=100, "
    "description='Documentation automated (%)', style={'description_width': '200px'}));",
]


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def measure(session, path: str, presses: int, label: str) -> list[str]:
    """Run a notebook and time its sliders; lines of the report."""
    lines = []
    run, page = session.run_lab(path, keep_page=True, screenshot_name=f"bench-{Path(path).stem}")
    lines.append(f"{label}: {run.summary()}")
    lines += [f"  problem: {p}" for p in run.problems()]
    try:
        handles = page.locator(harness.SLIDER_HANDLES)
        seen = set()
        for index in range(handles.count()):
            output = handles.nth(index).evaluate("h => { const o = h.closest('.jp-OutputArea-child');"
                                                 " return o && o.querySelector('.vega-embed') ?"
                                                 " [...document.querySelectorAll('.jp-OutputArea-child')].indexOf(o) : -1; }")
            if output < 0 or output in seen:
                continue
            seen.add(output)
            name = handles.nth(index).evaluate("h => (h.closest('.widget-slider').querySelector('.widget-label')"
                                               " || {innerText: '?'}).innerText")
            charts = handles.nth(index).evaluate("h => h.closest('.jp-OutputArea-child').querySelectorAll('.vega-embed').length")
            harness.slider_latency(page, handle_index=index, presses=2)  # warm up
            started, before = time.monotonic(), load()
            times = harness.slider_latency(page, handle_index=index, presses=presses)
            firsts = [f for f, _ in times if f is not None]
            lasts = [last for _, last in times if last is not None]
            lines.append(f"  slider {name!r} with {charts} chart(s), {len(times)} presses in "
                         f"{time.monotonic() - started:.0f} s, load average {before} -> {load()}:")
            if firsts:
                lines.append(f"    key -> first chart change: median {statistics.median(firsts):7.1f} ms, "
                             f"p95 {percentile(firsts, .95):7.1f} ms")
                lines.append(f"    key -> last chart change:  median {statistics.median(lasts):7.1f} ms, "
                             f"p95 {percentile(lasts, .95):7.1f} ms")
            missed = sum(f is None for f, _ in times)
            if missed:
                lines.append(f"    no redraw after {missed} of {len(times)} presses")
    finally:
        session.close(page)
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", help="default: notebooks/02_*.ipynb (the main chapter)")
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--naive-presses", type=int, default=20)
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {load()} at start")
    with harness.Session() as session:
        if args.notebook:
            path = str(Path(args.notebook).resolve().relative_to(ROOT))
            if not path.startswith("notebooks/"):  # the server serves a copy of notebooks/ only
                path = session.add_notebook(ROOT / path)
        else:
            path = f"notebooks/{sorted((ROOT / 'notebooks').glob('02_*.ipynb'))[0].name}"
        naive = session.server.root / "bench" / "naive_interact.ipynb"
        naive.parent.mkdir(exist_ok=True)
        nbformat.write(new_notebook(cells=[new_code_cell(c) for c in NAIVE],
                                    metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                             "language": "python"}}), naive)
        print(f"JupyterLab in headless Chromium; {session.offline_mode}")
        for line in measure(session, path, args.presses, "the chapter") + \
                measure(session, "bench/naive_interact.ipynb", args.naive_presses, "the naive way"):
            print(line)
    print(f"load average at the end: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
