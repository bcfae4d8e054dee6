"""Slider-to-chart latency in real JupyterLab (headless Chromium). Prints figures; not a pass/fail test.

In one run, in one notebook, two ways to follow a slider:
- the slider lab: `kit.explore()` — a key press on the documentation slider; time until BOTH charts
  that depend on it (org_shift + role_shift, and pajama_time) have re-drawn their SVG in place;
- the naive way: `ipywidgets.interact` re-displaying a new role_shift Altair chart on each change
  (under the offline `jupyter` renderer: the default renderer needs a CDN and stays blank here).

Latency = from the keydown event (page clock) to the DOM mutation that puts the new marks in
place. Targets (issue 3): dashboard <= 30 ms median and <= 60 ms p95, >= 3x faster than naive.
Also saves screenshots to /work/screenshots/slider-lab/ (or --shots DIR) and reports any
"Error displaying widget", JavaScript error or blank chart it sees.

Run: .venv/bin/python benchmarks/bench_browser.py [--presses 60] [--naive-presses 25]
Starts its own JupyterLab on a free loopback port with a random token in a temporary folder and
stops it at the end. Needs Chromium at /usr/bin/chromium (or $KIT_CHROMIUM); installs nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

CELLS = [
    "import kit\ndashboard = kit.explore()\ndashboard",
    "import altair as alt\nimport ipywidgets\nalt.renderers.enable('jupyter', offline=True)\n\n"
    "def naive(documentation=0):\n"
    "    scenario = kit.Scenario(automation={'clinical_documentation': documentation / 100})\n"
    "    return kit.charts.role_shift(kit.simulate(scenario).by_role)\n\n"
    "ipywidgets.interact(naive, documentation=ipywidgets.IntSlider(value=0, min=0, max=100, "
    "description='Naive: documentation (%)', style={'description_width': '200px'}));",
]

# Resolves when every watched element has changed (mutated) after the key press; returns ms.
WATCH_JS = """
([selectors, mode]) => { window.__kitBench = new Promise((resolve, reject) => {
  const roots = selectors.map(s => document.querySelector(s));
  if (roots.some(r => !r)) { reject(new Error('missing ' + selectors)); return; }
  const start = { t: null };
  const seen = new Array(roots.length).fill(null);
  const before = roots.map(r => r.querySelector('svg.marks'));
  const onKey = () => { start.t = performance.now(); };
  document.addEventListener('keydown', onKey, { capture: true, once: true });
  const observers = roots.map((root, i) => {
    const o = new MutationObserver(() => {
      if (start.t === null || seen[i] !== null) return;
      if (mode === 'replace') {  // a new chart: a different svg.marks with marks drawn in it
        const svg = root.querySelector('svg.marks');
        if (!svg || svg === before[i] || !svg.querySelector('path, rect')) return;
      }
      seen[i] = performance.now();
      if (seen.every(x => x !== null)) {
        observers.forEach(x => x.disconnect());
        resolve([Math.max(...seen) - start.t, start.t]);
      }
    });
    o.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    return o;
  });
  setTimeout(() => { observers.forEach(x => x.disconnect()); reject(new Error('no update within 10 s')); }, 10000);
}); }
"""

# Page clock of every kernel message that carries chart titles: when the kernel's reply (titles,
# summary) arrives, next to when the bars were re-drawn (by BrowserLink, in the browser).
RECV_JS = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__kitRecv = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const now = performance.now();
        let text = event.data;
        if (typeof text !== 'string') {
          if (!(text instanceof ArrayBuffer) || text.byteLength > 50000) return;
          text = decoder.decode(text);
        }
        if (text.includes('"_params"') && text.includes('role_headline')) window.__kitRecv.push(now);
      });
    }
  };
})();
"""

CHECK_JS = """
() => {
  const text = document.body.innerText;
  const embeds = [...document.querySelectorAll('.jp-Notebook .vega-embed')];
  return {
    widget_errors: (text.match(/Error displaying widget[^\\n]*|Model not found[^\\n]*/gi) || []),
    embeds: embeds.length,
    blank: embeds.filter(e => !e.querySelector('svg.marks path, svg.marks rect, svg.marks text')).length,
    js_errors: [...document.querySelectorAll('.vega-embed')].filter(e => e.innerText.includes('JavaScript Error')).length,
  };
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A throwaway JupyterLab: its own folder, port, token, settings and workspace."""

    def __init__(self, workdir: Path):
        self.workdir, self.port, self.token = workdir, free_port(), uuid.uuid4().hex
        self.process = None

    def start(self):
        settings = self.workdir / "settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True)
        (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false",
                                                                               "checkForUpdates": False}))
        docs = self.workdir / "settings" / "@jupyterlab" / "docmanager-extension"
        docs.mkdir(parents=True)
        (docs / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, self.workdir / "bench.ipynb")
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                   f"--port={self.port}", "--port-retries=0", f"--ServerApp.token={self.token}",
                   "--ServerApp.open_browser=False", f"--ServerApp.root_dir={self.workdir}",
                   f"--LabApp.user_settings_dir={self.workdir / 'settings'}",
                   f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}", "--LabApp.expose_app_in_browser=True"]
        env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(self.workdir / "runtime"),
               "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.process = subprocess.Popen(command, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
                                        stdout=(self.workdir / "lab.log").open("w"), stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/status?token={self.token}", timeout=2)
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        raise RuntimeError("JupyterLab did not start:\n" + (self.workdir / "lab.log").read_text()[-3000:])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/lab/workspaces/{uuid.uuid4().hex[:8]}/tree/{path}?reset&token={self.token}"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def shoot(page, element, path):
    """A screenshot of a whole element: JupyterLab only paints what is in the viewport, so the
    viewport grows to the element's height for the picture."""
    size = page.viewport_size
    height = int(element.bounding_box()["height"]) + 200
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.wait_for_timeout(500)
    element.scroll_into_view_if_needed()
    element.screenshot(path=str(path))
    page.set_viewport_size(size)
    page.wait_for_timeout(300)


def stats(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return float("nan"), float("nan")
    return statistics.median(values), values[round(0.95 * (len(values) - 1))]


def measure(page, handle, watch, mode, presses, pause_ms=120, kernel_reply=False):
    """Press an arrow key on a slider handle `presses` times; latency of each (ms)."""
    handle.focus()
    times, key = [], "ArrowRight"
    for i in range(presses):
        if i and i % 20 == 0:
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
        page.evaluate(WATCH_JS, [watch, mode])
        page.keyboard.press(key)
        drawn, start = page.evaluate("() => window.__kitBench")
        reply = None
        if kernel_reply:  # when did the kernel's reply (titles, summary) arrive?
            page.wait_for_function("s => (window.__kitRecv || []).some(t => t >= s)", arg=start, timeout=10_000)
            reply = page.evaluate("s => window.__kitRecv.find(t => t >= s) - s", start)
        times.append((drawn, reply))
        page.wait_for_timeout(pause_ms)  # let the chart's echo settle, as between a learner's presses
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--naive-presses", type=int, default=25)
    parser.add_argument("--shots", default="/work/screenshots/slider-lab")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args()
    shots = Path(args.shots)
    shots.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="kit-bench-browser-"))
    lab = Lab(workdir).start()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (1 min) at start")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            console_errors = []
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.route(lambda url: not url.startswith(f"http://127.0.0.1:{lab.port}")
                       and not url.startswith("data:") and not url.startswith("blob:"),
                       lambda route: (console_errors.append("blocked network request: " + route.request.url),
                                      route.abort()))
            page.add_init_script(RECV_JS)
            page.goto(lab.url("bench.ipynb"))
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.serviceManager.kernels", timeout=60_000)
            page.wait_for_timeout(1500)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(
                "() => { const p = [...document.querySelectorAll('.jp-Notebook .jp-InputArea-prompt')].map(x => x.innerText);"
                " return p.length && p.every(x => /\\[\\d+\\]/.test(x)); }", timeout=180_000)
            page.wait_for_function("() => document.querySelectorAll('.jp-Notebook .vega-embed svg.marks').length >= 4",
                                   timeout=120_000)
            page.wait_for_timeout(1500)
            check = page.evaluate(CHECK_JS)
            print(f"rendered: {check['embeds']} charts, {check['blank']} blank, widget errors {check['widget_errors']}, "
                  f"chart JS errors {check['js_errors']}")

            dash = page.locator(".kit-dashboard").first
            page.screenshot(path=str(shots / "lab-viewport-start.png"))
            shoot(page, dash, shots / "dashboard-start.png")

            # The two live chart views of the dashboard: main (org + roles) and pajama time.
            page.evaluate("""() => {
              const d = document.querySelector('.kit-dashboard');
              const embeds = [...d.querySelectorAll('.vega-embed')];
              embeds[0].parentElement.setAttribute('data-bench', 'main');
              embeds[1].parentElement.setAttribute('data-bench', 'pajama');
              const naive = [...document.querySelectorAll('.jp-Cell')][1].querySelector('.jp-OutputArea');
              naive.setAttribute('data-bench', 'naive');
            }""")
            doc_handle = dash.locator(".widget-slider").filter(has_text="Documentation").locator(".noUi-handle")
            doc_handle.scroll_into_view_if_needed()
            measure(page, doc_handle, ["[data-bench=main]", "[data-bench=pajama]"], "update", 5)  # warm up
            load = os.getloadavg()[0]
            live = measure(page, doc_handle, ["[data-bench=main]", "[data-bench=pajama]"], "update", args.presses,
                           kernel_reply=True)
            shoot(page, dash, shots / "dashboard-after-presses.png")

            naive_handle = page.locator("[data-bench=naive]").locator(".noUi-handle").first
            naive_handle.scroll_into_view_if_needed()
            measure(page, naive_handle, ["[data-bench=naive]"], "replace", 2, pause_ms=400)
            naive = measure(page, naive_handle, ["[data-bench=naive]"], "replace", args.naive_presses, pause_ms=400)
            page.locator("[data-bench=naive]").screenshot(path=str(shots / "naive-interact.png"))
            load_end = os.getloadavg()[0]

            # A burst: hold the key (30 quick presses) and check the chart ends on the last value.
            doc_handle.scroll_into_view_if_needed()
            doc_handle.focus()
            for _ in range(30):
                page.keyboard.press("ArrowRight", delay=5)
            page.wait_for_timeout(2500)
            readout = dash.locator(".widget-slider").filter(has_text="Documentation") \
                .locator(".widget-readout").inner_text()
            shown_summary = dash.locator(".widget-html").first.inner_text().strip()
            shown_titles = page.evaluate(
                "() => [...document.querySelectorAll('.kit-dashboard .vega-embed svg.marks')]"
                ".map(svg => [...svg.querySelectorAll('.role-title-text text, .role-title text')].map(t => t.textContent))")
            shoot(page, dash, shots / "dashboard-after-burst.png")
            dash.locator(".widget-tab .lm-TabBar-tab, .widget-tab .p-TabBar-tab").nth(2).click()
            page.wait_for_timeout(800)
            shoot(page, dash, shots / "dashboard-numbers-tab.png")
            dash.locator(".widget-tab .lm-TabBar-tab, .widget-tab .p-TabBar-tab").nth(1).click()
            page.wait_for_timeout(800)
            shoot(page, dash, shots / "dashboard-tasks-tab.png")
            check_end = page.evaluate(CHECK_JS)
            browser.close()
    finally:
        lab.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    import kit  # what the screen must show for the slider's final value
    final = kit.simulate(kit.Scenario(automation={"clinical_documentation": int(readout) / 100}))
    expected_summary = kit.widgets.summary_line(final, "registered_nurses")
    expected_titles = kit.charts.live_headlines(final)
    seen = "".join("".join(t) for t in shown_titles).replace(" ", "")
    titles_ok = all("".join(expected_titles[k]).replace(" ", "") in seen for k in ("role_headline", "pajama_headline"))
    med, p95 = stats([t for t, _ in live])
    rmed, rp95 = stats([r for _, r in live])
    nmed, np95 = stats([t for t, _ in naive])
    print(f"load average during the run: {load:.2f} -> {load_end:.2f} (2 cores; JupyterLab, kernel and Chromium share them)")
    print(f"slider lab (kit.explore, both live charts updated): n={len(live)}, median {med:.1f} ms, p95 {p95:.1f} ms "
          f"(targets <= 30 ms, <= 60 ms)")
    print(f"  (the kernel's reply with the new titles arrives after: median {rmed:.1f} ms, p95 {rp95:.1f} ms)")
    print(f"naive (interact re-displaying a new chart):          n={len(naive)}, median {nmed:.1f} ms, p95 {np95:.1f} ms")
    print(f"speed-up (naive median / slider lab median): {nmed / med:.1f}x (target >= 3x); "
          f"p95 ratio {np95 / p95:.1f}x")
    print(f"after a 30-press burst the documentation slider reads {readout}; summary line matches that value: "
          f"{shown_summary == expected_summary}; chart titles match it: {titles_ok}; charts: {check_end['embeds']}, "
          f"blank {check_end['blank']}, widget errors {check_end['widget_errors']}")
    if shown_summary != expected_summary:
        print(f"  shown:    {shown_summary}\n  expected: {expected_summary}")
    if console_errors:
        print(f"browser console errors ({len(console_errors)}): " + " | ".join(sorted(set(console_errors)))[:1500])
    print(f"screenshots: {shots}")


if __name__ == "__main__":
    main()
