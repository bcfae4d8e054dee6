"""Slider -> chart latency in real JupyterLab (headless Chromium), measured in the page.

    .venv/bin/python benchmarks/bench_chapter_latency.py [notebooks/02_....ipynb] [--presses 40]

Runs the notebook, then for the first slider of each output that shows sliders with charts (a
dashboard), presses arrow keys and times, inside the page, the key press -> the first and the last
redraw of the charts shown with that slider. Prints median and p95 per slider. Without an argument it
measures the dashboard chapter (notebooks/02_*.ipynb) or, until that exists, the browser harness's own
check notebook. Not a pass/fail test: the numbers depend on the machine (say if it was busy).
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import fixtures  # noqa: E402
import harness  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", help="default: notebooks/02_*.ipynb, else the harness notebook")
    parser.add_argument("--presses", type=int, default=40)
    args = parser.parse_args(argv)
    main_chapter = sorted((ROOT / "notebooks").glob("02_*.ipynb"))
    with harness.Session() as session:
        if args.notebook:
            path = str(Path(args.notebook).resolve().relative_to(ROOT))
            if not path.startswith("notebooks/"):  # the server serves a copy of notebooks/ only
                path = session.add_notebook(ROOT / path)
        elif main_chapter:
            path = f"notebooks/{main_chapter[0].name}"
        else:
            fixtures.write(session.server.root / "harness")
            path = "harness/harness_good.ipynb"
            print("no notebooks/02_*.ipynb yet: measuring the harness's check notebook instead")
        print(f"{path} in JupyterLab, headless Chromium; {session.offline_mode}")
        run, page = session.run_lab(path, keep_page=True, screenshot_name=f"bench-{Path(path).stem}")
        print(run.summary())
        handles = page.locator(harness.SLIDER_HANDLES)
        seen = set()
        for index in range(handles.count()):
            output = handles.nth(index).evaluate("h => { const o = h.closest('.jp-OutputArea-child');"
                                                 " return o && o.querySelector('.vega-embed') ?"
                                                 " [...document.querySelectorAll('.jp-OutputArea-child')].indexOf(o) : -1; }")
            if output < 0 or output in seen:
                continue
            seen.add(output)
            label = handles.nth(index).evaluate("h => (h.closest('.widget-slider').querySelector('.widget-label')"
                                                " || {innerText: '?'}).innerText")
            started = time.monotonic()
            times = harness.slider_latency(page, handle_index=index, presses=args.presses)
            firsts = [f for f, _ in times if f is not None]
            lasts = [l for _, l in times if l is not None]
            missed = sum(f is None for f, _ in times)
            charts = handles.nth(index).evaluate("h => h.closest('.jp-OutputArea-child').querySelectorAll('.vega-embed').length")
            print(f"slider {label!r} with {charts} chart(s), {len(times)} presses ({time.monotonic() - started:.0f} s):")
            if firsts:
                print(f"  key -> first chart redrawn: median {statistics.median(firsts):.1f} ms, p95 {percentile(firsts, .95):.1f} ms")
                print(f"  key -> last chart redrawn:  median {statistics.median(lasts):.1f} ms, p95 {percentile(lasts, .95):.1f} ms")
            if missed:
                print(f"  no redraw after {missed} press(es)")
        session.close(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
