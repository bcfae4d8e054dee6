"""Drive real JupyterLab and Voila in headless Chromium, as a learner would, and report what broke.

One `Session` holds one JupyterLab server (its own port, token, settings and copy of the notebooks) and
one Chromium; `session.run_lab(path)` opens a notebook, runs every cell, waits for every prompt and for
every widget and chart to render, then returns a `Run` whose `problems()` lists, in plain words, what a
learner would have seen go wrong. `session.run_voila(path)` does the same for the Voila dashboard view.

Offline by construction: Chromium may only talk to the server (anything else is blocked and reported),
and when the machine allows it (root, `unshare`), the server, its kernels and Chromium all live in an
empty network namespace with nothing but loopback (see `NetworkJail`).

Also a command for developers: `python tests/browser/harness.py notebooks/00_start_here.ipynb ...`
runs chapters, prints what it found and saves screenshots under test-artifacts/screenshots/.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1280, "height": 900}
TALLEST_SCREENSHOT = 16000  # pixels; a full chapter screenshot is cut here


# ----------------------------------------------------------------------------- network

class NetworkJail:
    """An empty network namespace (loopback only) shared by the server, its kernels and Chromium.

    Needs root (or CAP_SYS_ADMIN) and util-linux's `unshare`/`nsenter`. `NetworkJail.why_not()` says why
    it cannot be used here; then the tests fall back to blocking every non-loopback request in Chromium.
    """

    def __init__(self):
        self.holder = None

    @staticmethod
    def why_not() -> str | None:
        """None when a jail can be made here, else the reason it cannot."""
        if os.environ.get("KIT_NO_NETNS"):
            return "turned off by KIT_NO_NETNS"
        for tool in ("unshare", "nsenter", "ip"):
            if not shutil.which(tool):
                return f"`{tool}` is not installed"
        probe = subprocess.run(["unshare", "-n", "--", "ip", "link", "set", "lo", "up"],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            return f"`unshare -n` is not permitted here ({probe.stderr.strip() or probe.returncode})"
        return None

    def start(self) -> NetworkJail:
        self.holder = subprocess.Popen(
            ["unshare", "-n", "--", "sh", "-c", "ip link set lo up && exec sleep infinity"],
            stdin=subprocess.DEVNULL, start_new_session=True)
        own = os.readlink("/proc/self/ns/net")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                entered = os.readlink(f"/proc/{self.holder.pid}/ns/net") != own
                ready = Path(f"/proc/{self.holder.pid}/comm").read_text().strip() == "sleep"
            except OSError:
                entered = ready = False
            if entered and ready:
                return self
            if self.holder.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("could not create a network namespace with `unshare -n`")

    def wrap(self, command: list[str]) -> list[str]:
        """The command, run inside the jail."""
        return ["nsenter", "-t", str(self.holder.pid), "-n", "--", *command]

    def stop(self):
        if self.holder and self.holder.poll() is None:
            self.holder.kill()
            self.holder.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------------------- server

class JupyterServer:
    """A real JupyterLab on a free loopback port with a random token, isolated from the user's settings.

    The notebooks are served from a copy (`root`), so that nothing a test does can ever save over a
    chapter; every other top-level folder of the project is linked in, so relative paths still work.
    Autosave is off, the kit's Jupyter configuration (jupyter-config/) is the one installed in the
    environment, and Voila is served by the same server under /voila/render/.
    """

    def __init__(self, workdir: Path, jail: NetworkJail | None = None, notebooks=("notebooks",)):
        self.workdir = Path(workdir)
        self.root = self.workdir / "root"
        self.jail = jail
        self.notebooks = notebooks
        self.port = free_port()  # free here; inside a fresh jail every port is free
        self.token = uuid.uuid4().hex
        self.process = None
        self.log_path = self.workdir / "jupyterlab.log"
        self.data_dir = self.workdir / "data"  # the user's Jupyter data (notebook trust database) for this server

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _prepare(self):
        self.root.mkdir(parents=True, exist_ok=True)
        for item in ROOT.iterdir():
            if item.name.startswith(".") or item.name in {"test-artifacts", "_site"}:
                continue
            target = self.root / item.name
            if item.name in self.notebooks:
                shutil.copytree(item, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            elif not target.exists():
                target.symlink_to(item)
        settings = self.workdir / "user-settings" / "@jupyterlab" / "docmanager-extension"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))

    def start(self, timeout: float = 60) -> JupyterServer:
        self._prepare()
        command = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
            f"--port={self.port}", "--ip=127.0.0.1", "--port-retries=0",
            f"--ServerApp.token={self.token}", f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={self.workdir / 'user-settings'}",
            f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
            "--LabApp.expose_app_in_browser=True",
            "--VoilaConfiguration.show_tracebacks=True",
        ]
        if self.jail:
            command = self.jail.wrap(command)
        env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(self.workdir / "runtime"), "PYTHONUNBUFFERED": "1",
               "JUPYTER_DATA_DIR": str(self.data_dir)}
        self.process = subprocess.Popen(command, cwd=self.root, env=env, stdin=subprocess.DEVNULL,
                                        stdout=self.log_path.open("w"), stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited at start:\n{self.log()}")
            try:
                self.api("GET", "/api/status")
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log()}")

    def _request(self, method: str, path: str, body=None) -> urllib.request.Request:
        data = None if body is None else json.dumps(body).encode()
        return urllib.request.Request(self.base + path, data=data, method=method,
                                      headers={"Authorization": f"token {self.token}"})

    def api(self, method: str, path: str, body=None):
        """Call the server's REST API (through the jail when there is one); the decoded JSON answer."""
        if self.jail is None:
            with urllib.request.urlopen(self._request(method, path, body), timeout=10) as answer:
                text = answer.read().decode()
        else:  # the server's loopback is only reachable from inside the namespace
            script = ("import sys, urllib.request as u; r = u.Request(sys.argv[1], data=sys.argv[3].encode() or None, "
                      "method=sys.argv[2], headers={'Authorization': 'token ' + sys.argv[4]}); "
                      "print(u.urlopen(r, timeout=10).read().decode())")
            done = subprocess.run(self.jail.wrap([sys.executable, "-c", script, self.base + path, method,
                                                  "" if body is None else json.dumps(body), self.token]),
                                  capture_output=True, text=True)
            if done.returncode:
                raise urllib.error.URLError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
            text = done.stdout
        return json.loads(text) if text.strip() else None

    def url(self, path: str, **query) -> str:
        query = {**query, "token": self.token}
        return f"{self.base}{path}?" + "&".join(k if v is None else f"{k}={v}" for k, v in query.items())

    def trust(self, path: str):
        """Sign a served notebook as trusted, as `jupyter trust` does in Binder's postBuild."""
        import nbformat
        from nbformat.sign import NotebookNotary

        notebook = nbformat.read(self.root / path, as_version=4)
        NotebookNotary(data_dir=str(self.data_dir)).sign(notebook)

    def shut_down_kernels(self):
        for session in self.api("GET", "/api/sessions") or []:
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                self.api("POST", "/api/shutdown")
                self.process.wait(timeout=15)
            except Exception:  # the server is stuck: end its whole process group (kernels included)
                os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()
        self.process = None


# ----------------------------------------------------------------------------- what a run found

@dataclass
class Output:
    """One output of a code cell as JupyterLab shows it."""
    cell: int                 # index of the cell in the notebook (0-based, markdown cells included)
    kind: str                 # execute_result, display_data, stream, error
    mimes: list
    text: str                 # the visible text, cut short
    painted: int              # visible elements drawn inside the output (0: the learner sees a blank)
    widget: bool              # a widget view
    widget_error: str         # "Error displaying widget..." when the view failed
    raw_repr: str             # the object's plain-text description, shown when it could not be drawn
    charts: int               # Vega charts inside (.vega-embed)
    drawn: int                # of which drawn (svg.marks or canvas.marks present)
    expected_charts: int      # charts this output should hold (mime types; for a widget, asked of the kernel)
    stderr: bool = False
    expected_error: bool = False  # an error in a cell tagged raises-exception
    model_id: str = ""        # the widget's model, for a widget view


@dataclass
class Run:
    """What a learner saw when a notebook was run (in JupyterLab or in Voila)."""
    notebook: str
    where: str                       # "lab" or "voila"
    outputs: list = field(default_factory=list)
    unexecuted: list = field(default_factory=list)   # code cells without an execution count
    console_errors: list = field(default_factory=list)
    blocked: list = field(default_factory=list)      # requests to anywhere but the server
    screenshots: list = field(default_factory=list)
    seconds: float = 0.0
    timed_out: str = ""
    before: list = field(default_factory=list)       # outputs shown on opening, before running (if checked)
    expected: dict = field(default_factory=dict)     # charts each displayed widget holds, by model id (the kernel's word)

    @property
    def widgets(self) -> int:
        return sum(o.widget for o in self.outputs)

    @property
    def charts(self) -> int:
        return sum(o.drawn for o in self.outputs)

    def problems(self) -> list[str]:
        """Everything a learner would see go wrong, one plain sentence each; empty when all is well."""
        found = []
        for o, opening in [(o, True) for o in self.before] + [(o, False) for o in self.outputs]:
            where = f"cell {o.cell}" + (" (on opening, before running)" if opening else "")
            if o.kind == "error" and not o.expected_error:
                found.append(f"{where}: error output: {o.text}")
            if o.stderr:
                found.append(f"{where}: text on stderr (a pink box for the learner): {o.text}")
            if o.raw_repr:
                found.append(f"{where}: shows a raw object description instead of a widget or chart: {o.raw_repr!r}")
            elif o.widget_error:
                found.append(f"{where}: {o.widget_error}")
            elif o.widget and o.painted == 0:
                found.append(f"{where}: a widget rendered nothing (blank output)")
            if o.drawn < o.charts:
                found.append(f"{where}: {o.charts - o.drawn} of {o.charts} charts not drawn")
            if o.charts < o.expected_charts:
                found.append(f"{where}: expected {o.expected_charts} charts, found {o.charts}")
        if self.unexecuted:
            found.append(f"cells never ran: {self.unexecuted}")
        found += [f"browser console: {text}" for text in self.console_errors]
        found += [f"request outside the server (blocked): {url}" for url in self.blocked]
        if self.timed_out:
            found.append(f"timed out: {self.timed_out}")
        return found

    def summary(self) -> str:
        status = "OK" if not self.problems() else f"{len(self.problems())} problem(s)"
        return (f"{self.notebook} [{self.where}]: {status}; {self.widgets} widgets, {self.charts} charts, "
                f"{self.seconds:.1f} s")


# ----------------------------------------------------------------------------- in the page

# Reads every code cell's outputs from JupyterLab's own model and the DOM it rendered.
LAB_OUTPUTS_JS = r"""
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.widgets;
  const found = [], unexecuted = [];
  cells.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const tags = cell.model.getMetadata('tags') || [];
    if (cell.model.executionCount === null) unexecuted.push(index);
    const nodes = cell.node.querySelectorAll('.jp-OutputArea-child');
    for (let i = 0; i < cell.model.outputs.length; i++) {
      const json = cell.model.outputs.get(i).toJSON();
      const node = nodes[i];
      found.push(window.__kitDescribe(index, json, node, tags.includes('raises-exception')));
    }
  });
  return {outputs: found, unexecuted};
}
"""

# Describes one output (shared by JupyterLab and Voila).
DESCRIBE_JS = r"""
window.__kitDescribe = (cell, json, node, expectedError) => {
  const data = json.data || {};
  const mimes = Object.keys(data);
  const text = json.output_type === 'error' ? `${json.ename}: ${json.evalue}`
             : json.output_type === 'stream' ? String(json.text)
             : (node ? node.innerText : '');
  const widget = mimes.includes('application/vnd.jupyter.widget-view+json');
  const visible = node ? node.innerText : '';
  const widgetError = (visible.match(/Error displaying widget[^\n]*|model not found[^\n]*/) || [''])[0];
  // What JupyterLab shows when a widget or chart cannot be drawn: the object's plain-text description.
  const shown = node ? (node.querySelector('.jp-OutputArea-output') || node).innerText.trim() : '';
  const rawRepr = (shown.match(/^(\w*Box|Tab|Accordion|Stack)\(children=.{0,60}|^<[\w.]*JupyterChart object at 0x\w+>|^<VegaLite \d+ object>|^alt\.\w*Chart\(.{0,60}/s) || [''])[0];
  const embeds = node ? node.querySelectorAll('.vega-embed') : [];
  let drawn = 0;
  embeds.forEach(e => { if (e.querySelector('svg.marks, canvas.marks')) drawn += 1; });
  const plain = String(data['text/plain'] || '');
  // A widget view hides the other mime types of its bundle (e.g. a static twin for the HTML export).
  const expected = widget ? (plain.match(/JupyterChart( object|\()/g) || []).length
                 : mimes.filter(m => m.startsWith('application/vnd.vegalite') || m.startsWith('application/vnd.vega.')).length
                   + ((String(data['text/html'] || '').match(/vegaEmbed\(/g) || []).length);
  // Something visible inside the output itself (the prompt beside it does not count).
  const body = node ? (node.querySelector('.jp-OutputArea-output') || node) : null;
  const painted = body ? [...body.querySelectorAll('*')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && (e.children.length === 0 || e.tagName === 'svg' || e.tagName === 'CANVAS');
  }).length : 0;
  const view = data['application/vnd.jupyter.widget-view+json'];
  return {cell, kind: json.output_type, mimes, text: text.slice(0, 300),
          painted, model_id: (view && view.model_id) || (node && node.dataset.kitModelId) || '',
          widget, widget_error: widgetError, raw_repr: rawRepr, charts: embeds.length, drawn, expected_charts: expected,
          stderr: json.output_type === 'stream' && json.name === 'stderr',
          expected_error: json.output_type === 'error' && expectedError};
};
"""

# True once every code cell has run (or run-all stopped at an error) and the kernel is idle.
LAB_DONE_JS = r"""
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.sessionContext.session) return false;
  const kernel = panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const code = panel.content.widgets.filter(c => c.model.type === 'code');
  if (code.some(c => c.model.executionState === 'running')) return false;
  const prompts = [...panel.content.node.querySelectorAll('.jp-InputArea-prompt')].map(p => p.innerText);
  if (prompts.some(p => p.includes('*'))) return false;
  const stopped = code.some(c => { for (let i = 0; i < c.model.outputs.length; i++)
      if (c.model.outputs.get(i).type === 'error' && !(c.model.getMetadata('tags') || []).includes('raises-exception')) return true;
    return false; });
  return stopped || code.every(c => c.model.executionCount !== null);
}
"""

# True once the page has drawn what the run must show (`expected` charts drawn, `views` outputs rendered,
# no chart left half-drawn) and nothing changed for quietMs; or, when it never gets there (a
# broken notebook), once nothing changed for giveUpMs. A count, not a fixed quiet window: on a busy
# machine widget views can take seconds between one appearing and the next.
RENDERED_JS = r"""
([root, expected, views, quietMs, giveUpMs]) => {
  const scope = root ? document.querySelector(root) : document.body;
  if (!scope) return false;
  const embeds = [...scope.querySelectorAll('.vega-embed')];
  const drawn = embeds.filter(e => e.querySelector('svg.marks, canvas.marks')).length;
  const shown = [...scope.querySelectorAll('.jp-OutputArea-child')].filter(n => n.querySelector('.jp-OutputArea-output *')
                || /Error displaying widget|model not found/.test(n.innerText)).length;
  const state = [embeds.length, drawn, shown, scope.querySelectorAll('.jupyter-widgets, .widget-slider').length,
                 scope.innerText.length].join(' ');
  const now = performance.now();
  if (window.__kitState !== state) { window.__kitState = state; window.__kitChanged = now; return false; }
  const quiet = now - window.__kitChanged;
  const complete = drawn >= expected && shown >= views && drawn === embeds.length;
  return (complete && quiet > quietMs) || quiet > giveUpMs ? {complete, drawn, shown} : false;
}
"""

# Counts, in the running kernel, the charts (altair.JupyterChart views) each displayed widget holds,
# through boxes, tabs and Output widgets, leaving out what its layout hides. Evaluated as a user
# expression in a fresh namespace: the notebook's variables, history and execution count stay as they were.
CHART_PROBE = r"""
import sys
from ipywidgets import Output, Widget
from ipywidgets.widgets.widget import _instances

altair = sys.modules.get("altair")

def hidden(widget):
    layout = getattr(widget, "layout", None)
    return layout is not None and (layout.display == "none" or layout.visibility == "hidden")

def charts(widget, inside=frozenset()):
    if id(widget) in inside or hidden(widget):
        return 0
    if altair is not None and isinstance(widget, altair.JupyterChart):
        return 1
    inside = inside | {id(widget)}
    found = 0
    if isinstance(widget, Output):
        for output in widget.outputs:
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json", {})
            if view.get("model_id") in _instances:
                found += charts(_instances[view["model_id"]], inside)
    for name in widget.keys:
        if name in ("layout", "style"):
            continue
        value = getattr(widget, name, None)
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, Widget):
                found += charts(item, inside)
    return found

def count(ids):
    return [charts(_instances[i]) if i in _instances else 0 for i in ids]
"""

# Sends one silent execute request with a user expression to a kernel over its own websocket (as any
# Jupyter client does) and resolves with the reply's content.
KERNEL_ASK_JS = r"""
([kernelId, token, expression]) => new Promise((resolve, reject) => {
  const session = 'kit-harness-' + Math.random().toString(16).slice(2);
  const msgId = session + '-probe';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/api/kernels/${kernelId}/channels?token=${token}&session_id=${session}`);
  const timer = setTimeout(() => { socket.close(); reject(new Error('the kernel did not answer within 60 s')); }, 60000);
  socket.onopen = () => socket.send(JSON.stringify({
    channel: 'shell', buffers: [], metadata: {}, parent_header: {},
    header: {msg_id: msgId, msg_type: 'execute_request', session, username: 'kit-harness', version: '5.3',
             date: new Date().toISOString()},
    content: {code: '', silent: true, store_history: false, allow_stdin: false, stop_on_error: false,
              user_expressions: {answer: expression}}}));
  socket.onmessage = (event) => {
    if (typeof event.data !== 'string') return;
    const message = JSON.parse(event.data);
    if (message.channel === 'shell' && message.parent_header.msg_id === msgId) {
      clearTimeout(timer); socket.close(); resolve(message.content);
    }
  };
  socket.onerror = () => { clearTimeout(timer); reject(new Error('could not connect to the kernel')); };
})
"""

# The outputs a notebook shows, as (cell, mime types, widget model id or ''), from JupyterLab's model.
LAB_SHOWN_JS = r"""
() => {
  const shown = [];
  window.jupyterapp.shell.currentWidget.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    for (let i = 0; i < cell.model.outputs.length; i++) {
      const data = cell.model.outputs.get(i).toJSON().data || {};
      const view = data['application/vnd.jupyter.widget-view+json'];
      shown.push([index, Object.keys(data), view ? view.model_id : '']);
    }
  });
  return shown;
}
"""

# Voila streams each output as a JSON script tag, then replaces it with the rendered output: keep a
# hold of every one as it arrives (an init script, so none is missed however fast Voila renders).
VOILA_CAPTURE_JS = r"""
(() => {
  const captured = window.__kitVoilaScripts = [];
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType === 1 && node.matches('script[type="application/vnd.voila.cell-output+json"]'))
        captured.push([node, node.closest('.jp-OutputArea-child')]);
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""

# The outputs Voila was sent, as LAB_SHOWN_JS gives them; each output node is tagged with its widget's model id.
VOILA_SHOWN_JS = r"""
() => (window.__kitVoilaScripts || []).map(([script, holder]) => {
  let data = {};
  try { data = JSON.parse(script.textContent).data || {}; } catch (error) { return [-1, [], '']; }
  const view = data['application/vnd.jupyter.widget-view+json'];
  if (view && holder) holder.dataset.kitModelId = view.model_id;
  const cell = holder && holder.closest('[cell-index]');
  return [cell ? Number(cell.getAttribute('cell-index')) : -1, Object.keys(data), view ? view.model_id : ''];
})
"""

CHART_MIMES = ("application/vnd.vegalite", "application/vnd.vega.")
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on screen in JupyterLab


def _is_chart(mimes) -> bool:
    return any(m.startswith(CHART_MIMES) for m in mimes)


def kernel_charts(page, kernel_id: str, token: str, ids: list[str]) -> dict:
    """{model id: charts the widget holds}, asked of the running kernel (see CHART_PROBE)."""
    expression = f"(lambda ns: (exec({CHART_PROBE!r}, ns), ns['count']({ids!r}))[1])({{}})"
    reply = page.evaluate(KERNEL_ASK_JS, [kernel_id, token, expression])
    answer = reply.get("user_expressions", {}).get("answer", {})
    if answer.get("status") != "ok":
        raise RuntimeError(f"the kernel could not count its charts: {answer.get('ename')}: {answer.get('evalue')}")
    return dict(zip(ids, json.loads(answer["data"]["text/plain"])))


SLIDER_HANDLES = ".widget-slider .noUi-handle"


class Chromium:
    """Playwright's driver and one headless Chromium; inside the jail when given one.

    One per process: Playwright's sync API does not nest, so the JupyterLab session and the static-site
    tests share it (see tests/browser/conftest.py).
    """

    def __init__(self, jail: NetworkJail | None = None):
        self.jail = jail
        self.playwright = self.browser = None
        self._wrapper_dir = None

    def start(self) -> Chromium:
        from playwright._impl._driver import compute_driver_executable
        from playwright.sync_api import sync_playwright

        saved = os.environ.get("PLAYWRIGHT_NODEJS_PATH")
        if self.jail:  # Playwright's driver, and so Chromium, starts inside the namespace
            node, _ = compute_driver_executable()
            self._wrapper_dir = tempfile.TemporaryDirectory(prefix="kit-node-")
            wrapper = Path(self._wrapper_dir.name) / "node-in-jail"
            wrapper.write_text(f'#!/bin/sh\nexec {" ".join(self.jail.wrap([node]))} "$@"\n')
            wrapper.chmod(0o755)
            os.environ["PLAYWRIGHT_NODEJS_PATH"] = str(wrapper)
        try:
            self.playwright = sync_playwright().start()
        finally:
            if self.jail:
                if saved is None:
                    os.environ.pop("PLAYWRIGHT_NODEJS_PATH", None)
                else:
                    os.environ["PLAYWRIGHT_NODEJS_PATH"] = saved
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self

    def new_context(self):
        return self.browser.new_context(viewport=VIEWPORT)

    def stop(self):
        _stop_all(self.browser and self.browser.close, self.playwright and self.playwright.stop,
                  self._wrapper_dir and self._wrapper_dir.cleanup)


def _stop_all(*closers):
    for closer in closers:
        if closer:
            try:
                closer()
            except Exception as exc:  # keep stopping the rest
                print(f"while stopping: {exc!r}", file=sys.stderr)


def offline_mode(jail: NetworkJail | None) -> str:
    """How the network is kept away, in words (for reports)."""
    if jail:
        return "network namespace (unshare -n): the server, its kernels and Chromium have loopback only"
    return f"Chromium blocks every request outside the server (no network namespace: {NetworkJail.why_not()})"


class Session:
    """One JupyterLab server and one browser context, used for many notebooks in turn.

    Pass the jail and Chromium to share them (the tests do); by default the session makes its own:
    a jail when the machine allows one, and a Chromium inside it.
    """

    def __init__(self, workdir: Path | None = None, jail: NetworkJail | None | bool = None,
                 chromium: Chromium | None = None, screenshots: Path = SCREENSHOTS):
        self._tmp = None if workdir else tempfile.TemporaryDirectory(prefix="kit-browser-")
        self.workdir = Path(workdir or self._tmp.name)
        self._own_jail = isinstance(jail, bool) or jail is None
        if self._own_jail:
            wanted = NetworkJail.why_not() is None if jail is None else jail
            jail = NetworkJail() if wanted else None
        self.jail = jail
        self._own_chromium = chromium is None
        self.chromium = chromium
        self.screenshots = Path(screenshots)
        self.server = JupyterServer(self.workdir, self.jail)
        self.context = None

    @property
    def offline_mode(self) -> str:
        return offline_mode(self.jail)

    def start(self) -> Session:
        if self._own_jail and self.jail:
            self.jail.start()
        self.server.start()
        if self._own_chromium:
            self.chromium = Chromium(self.jail).start()
        self.context = self.chromium.new_context()
        self.context.add_init_script(DESCRIBE_JS)
        return self

    def stop(self):
        _stop_all(self.context and self.context.close,
                  self._own_chromium and self.chromium and self.chromium.stop,
                  self.server.stop,
                  self._own_jail and self.jail and self.jail.stop,
                  self._tmp and self._tmp.cleanup)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- pages

    def new_page(self, run: Run):
        """A fresh tab that records console errors and blocks (and records) requests off the server."""
        page = self.context.new_page()
        base = self.server.base

        def guard(route):
            url = route.request.url
            if url.startswith(base + "/") or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                run.blocked.append(url)
                route.abort()

        page.route("**/*", guard)

        def on_console(message):
            if message.type == "error":
                run.console_errors.append(message.text[:300])

        page.on("console", on_console)
        page.on("pageerror", lambda error: run.console_errors.append(f"uncaught: {str(error)[:300]}"))
        return page

    def add_notebook(self, source: Path, folder: str = "extra") -> str:
        """Copy a notebook into the served root; its path as the server sees it."""
        target = self.server.root / folder / Path(source).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return f"{folder}/{Path(source).name}"

    def open_lab(self, path: str, run: Run):
        """Open a notebook in JupyterLab (fresh workspace) and wait until its kernel is idle."""
        page = self.new_page(run)
        page.goto(self.server.url(f"/lab/workspaces/{uuid.uuid4().hex}/tree/{path}", reset=None))
        page.wait_for_function(
            "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
            " && w.sessionContext.session.kernel.status === 'idle' && w.content && w.content.widgets.length > 0; }",
            timeout=60_000)
        return page

    def run_lab(self, path: str, timeout: float = 180, screenshot_name: str | None = None, keep_page=False,
                before_running: bool = False):
        """Open a notebook in JupyterLab, run all cells, wait for everything to render; a Run (and the page).

        With before_running, the notebook is first trusted (as postBuild does on Binder) and what it shows
        on opening, before anything runs, is collected too (Run.before, screenshot <name>-opened.png)."""
        run = Run(notebook=path, where="lab")
        name = screenshot_name or _shot_name(path, "lab")
        self.screenshots.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        if before_running:
            self.server.trust(path)
        page = self.open_lab(path, run)
        if before_running:
            run.before = self._stored_outputs(page, run, self.screenshots / f"{name}-opened.png")
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        try:
            page.wait_for_function(LAB_DONE_JS, timeout=timeout * 1000, polling=200)
            kernel = page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.id")
            charts, views = self.expect(page, run, page.evaluate(LAB_SHOWN_JS), kernel)
            self.wait_rendered(page, run, NOTEBOOK, charts, views)
        except Exception as exc:  # report what rendered so far, and say what did not finish
            run.timed_out = run.timed_out or str(exc).splitlines()[0][:200]
        run.seconds = time.monotonic() - started
        first = self.screenshots / f"{name}.png"
        page.screenshot(path=first)
        run.screenshots.insert(0, first)
        # Measure with the whole notebook on screen (off-screen cells may be skipped by the browser).
        height = page.evaluate(
            "() => { const s = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');"
            " return s ? s.scrollHeight : 0; }")
        if height > VIEWPORT["height"]:
            page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height + 200, TALLEST_SCREENSHOT)})
            page.evaluate("() => { const s = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)"
                          " .jp-WindowedPanel-outer'); if (s) s.scrollTop = 0; }")  # run-all left it at the end
            page.wait_for_timeout(600)
            run.screenshots.append(self.screenshots / f"{name}-full.png")
            page.screenshot(path=run.screenshots[-1])
        found = page.evaluate(LAB_OUTPUTS_JS)
        page.set_viewport_size(VIEWPORT)
        run.outputs = self._as_expected(run, found["outputs"])
        run.unexecuted = found["unexecuted"]
        if keep_page:
            return run, page
        self.close(page)
        return run

    def expect(self, page, run: Run, shown: list, kernel_id: str) -> tuple[int, int]:
        """(charts, outputs) the page must end up drawing, from the outputs the notebook produced: one
        chart per chart output, and for each widget output the charts its widget holds (asked of the kernel)."""
        ids = [model for _, _, model in shown if model]
        run.expected = kernel_charts(page, kernel_id, self.server.token, ids) if ids else {}
        charts = sum(run.expected.get(model, 0) if model else _is_chart(mimes) for _, mimes, model in shown)
        return charts, len(shown)

    def wait_rendered(self, page, run: Run, root: str | None, charts: int, views: int, quiet_ms: int = 500,
                      give_up_ms: int = 10_000, timeout_s: float = 180):
        """Wait until `charts` charts are drawn and `views` outputs rendered under root, and the page
        has been quiet for quiet_ms; or until nothing changed for give_up_ms (then the checks say what is missing)."""
        page.evaluate("() => { window.__kitState = undefined; }")
        try:
            page.wait_for_function(RENDERED_JS, arg=[root, charts, views, quiet_ms, give_up_ms],
                                   timeout=timeout_s * 1000, polling=100)
        except Exception as exc:
            run.timed_out = f"waiting for {charts} charts and {views} outputs: " + str(exc).splitlines()[0][:200]

    @staticmethod
    def _as_expected(run: Run, found: list) -> list:
        """Outputs, a widget's expected charts taken from what the kernel said its widget holds."""
        outputs = [Output(**o) for o in found]
        for output in outputs:
            if output.widget and output.model_id in run.expected:
                output.expected_charts = run.expected[output.model_id]
        return outputs

    def _stored_outputs(self, page, run: Run, shot: Path) -> list:
        """The outputs a just-opened notebook shows before anything runs (and a screenshot of them)."""
        # Stored charts draw with no kernel; stored widget outputs settle once the widget manager has
        # asked the kernel for their models (and found none), hence the longer quiet window.
        stored = page.evaluate(LAB_SHOWN_JS)
        self.wait_rendered(page, run, NOTEBOOK, sum(_is_chart(mimes) for _, mimes, _ in stored), 0, quiet_ms=2000)
        page.screenshot(path=shot)
        run.screenshots.append(shot)
        return [Output(**o) for o in page.evaluate(LAB_OUTPUTS_JS)["outputs"]]

    def open_stored(self, path: str, trusted: bool = True, screenshot_name: str | None = None) -> Run:
        """What a learner sees when a notebook opens, before running anything (trusted, as on Binder)."""
        run = Run(notebook=path, where="lab, as stored")
        if trusted:
            self.server.trust(path)
        started = time.monotonic()
        page = self.open_lab(path, run)
        self.screenshots.mkdir(parents=True, exist_ok=True)
        run.outputs = self._stored_outputs(
            page, run, self.screenshots / f"{screenshot_name or _shot_name(path, 'lab-opened')}.png")
        run.seconds = time.monotonic() - started
        self.close(page)
        return run

    def close(self, page):
        page.close()
        self.server.shut_down_kernels()

    def run_voila(self, path: str, timeout: float = 180, screenshot_name: str | None = None, keep_page=False):
        """Render a notebook as a Voila dashboard (served by the same server) and collect what it shows."""
        run = Run(notebook=path, where="voila")
        started = time.monotonic()
        page = self.new_page(run)
        page.add_init_script(VOILA_CAPTURE_JS)
        page.goto(self.server.url(f"/voila/render/{path}"), timeout=timeout * 1000)
        try:
            page.wait_for_function(
                "() => !document.querySelector('#loading') || getComputedStyle(document.querySelector('#loading')).display === 'none'"
                " || document.body.dataset.voilaStatus === 'ready'", timeout=timeout * 1000, polling=200)
            kernel = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
            charts, views = self.expect(page, run, page.evaluate(VOILA_SHOWN_JS), kernel)
            self.wait_rendered(page, run, None, charts, views)
        except Exception as exc:
            run.timed_out = run.timed_out or str(exc).splitlines()[0][:200]
        page.evaluate(VOILA_SHOWN_JS)  # (re)tag each output with its widget's model id
        run.outputs = self._as_expected(run, page.evaluate(VOILA_OUTPUTS_JS, expected_error_cells(self.server.root / path)))
        run.seconds = time.monotonic() - started
        run.screenshots = self.screenshot_page(page, screenshot_name or _shot_name(path, "voila"))
        if keep_page:
            return run, page
        self.close(page)
        return run

    # --- screenshots

    def screenshot_page(self, page, name: str) -> list[Path]:
        """The whole page in one image (Voila scrolls inside its own container, so the window is enlarged)."""
        self.screenshots.mkdir(parents=True, exist_ok=True)
        shot = self.screenshots / f"{name}.png"
        height = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
        page.set_viewport_size({"width": VIEWPORT["width"], "height": min(max(height, VIEWPORT["height"]), TALLEST_SCREENSHOT)})
        page.wait_for_timeout(300)
        page.screenshot(path=shot)
        page.set_viewport_size(VIEWPORT)
        return [shot]


VOILA_OUTPUTS_JS = r"""
(expectedErrorCells) => {
  // Voila renders one .jp-Cell per notebook cell, in order, and no notebook model: read what it drew.
  const found = [];
  document.querySelectorAll('#rendered_cells .jp-Cell').forEach((cell, index) => {
    cell.querySelectorAll('.jp-OutputArea-child').forEach(node => {
      const error = !!node.querySelector('[data-mime-type="application/vnd.jupyter.error"]')
                 || /Traceback|There was an error when executing cell/.test(node.innerText);
      const stderr = !error && !!node.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]');
      const widget = !!node.dataset.kitModelId || !!node.querySelector('.jupyter-widgets');
      const json = {output_type: error ? 'error' : stderr ? 'stream' : 'display_data', name: stderr ? 'stderr' : undefined,
                    data: widget ? {'application/vnd.jupyter.widget-view+json': {}} : {},
                    ename: 'error shown', evalue: node.innerText.slice(0, 200), text: node.innerText};
      found.push(window.__kitDescribe(index, json, node, expectedErrorCells.includes(index)));
    });
  });
  return found;
}
"""


def expected_error_cells(notebook: Path) -> list[int]:
    """Indices of the cells tagged raises-exception (their error is part of the lesson)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return [i for i, cell in enumerate(cells) if "raises-exception" in cell.get("metadata", {}).get("tags", [])]


def _shot_name(path: str, where: str) -> str:
    return f"{Path(path).stem}-{where}"


# ----------------------------------------------------------------------------- sliders and charts

def press_slider(page, handle, key: str = "ArrowRight", times: int = 1):
    """Move a slider from the keyboard, as a learner tabbing through the controls would."""
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)


def drag_slider(page, handle, dx: float):
    """Drag a slider's handle with the mouse by dx pixels, in small steps."""
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=8)
    page.mouse.up()


OUTPUT_CHARTS_JS = r"""
(output) => [...output.querySelectorAll('.vega-embed')].map(e => {
  const marks = e.querySelector('svg.marks, canvas.marks');
  return marks ? (marks.tagName === 'svg' ? marks.innerHTML : marks.toDataURL()) : '';
}).join('|')
"""


@dataclass
class SliderCheck:
    """One slider shown with a chart: did the chart redraw when the slider moved?"""
    description: str
    by_keyboard: bool
    by_mouse: bool

    def problem(self) -> str:
        failed = [how for how, ok in (("keyboard", self.by_keyboard), ("mouse drag", self.by_mouse)) if not ok]
        return f"slider {self.description!r}: chart did not change by {' or '.join(failed)}" if failed else ""


def _wait_output_change(output, before: str, timeout_ms: int) -> bool:
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        if output.evaluate(OUTPUT_CHARTS_JS) != before:
            return True
        time.sleep(0.05)
    return False


def check_sliders(page, limit: int = 4, per_output: int = 1, timeout_ms: int = 20_000) -> list[SliderCheck]:
    """In each output that holds a slider and a chart (a dashboard), move its first `per_output` sliders
    from the keyboard, then by dragging with the mouse, and see whether a chart in that output redraws."""
    outputs = page.locator(".jp-OutputArea-child").filter(has=page.locator(SLIDER_HANDLES)) \
                  .filter(has=page.locator(".vega-embed"))
    checks = []
    for i in range(min(outputs.count(), limit)):
        output = outputs.nth(i)
        sliders = output.locator(".widget-slider")
        for j in range(min(sliders.count(), per_output)):
            handle = sliders.nth(j).locator(".noUi-handle").first
            label = sliders.nth(j).locator(".widget-label").first
            description = label.inner_text().strip() if label.count() else f"slider {j}"
            handle.scroll_into_view_if_needed()
            low, now, high = (float(handle.get_attribute(a) or 0) for a in
                              ("aria-valuemin", "aria-valuenow", "aria-valuemax"))
            before = output.evaluate(OUTPUT_CHARTS_JS)
            press_slider(page, handle, "ArrowLeft" if now >= high else "ArrowRight", times=2)
            by_keyboard = _wait_output_change(output, before, timeout_ms)
            now = float(handle.get_attribute("aria-valuenow") or 0)
            before = output.evaluate(OUTPUT_CHARTS_JS)
            drag_slider(page, handle, -40 if now > (low + high) / 2 else 40)
            by_mouse = _wait_output_change(output, before, timeout_ms)
            checks.append(SliderCheck(description, by_keyboard, by_mouse))
    return checks


LATENCY_JS = r"""
async ([handleIndex, key, quietMs]) => {
  // Key press on a slider -> every chart shown with it redrawn, timed inside the page: the first and
  // the last change inside a chart of the same output (the last one once nothing changed for quietMs).
  // The whole output is watched, so a chart that is replaced by a new one (the naive way) counts too.
  const handle = document.querySelectorAll('.widget-slider .noUi-handle')[handleIndex];
  const scope = handle.closest('.jp-OutputArea-child') || document.body;
  const inChart = (record) => {
    const target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
    return target && target.closest('.vega-embed');
  };
  return await new Promise((resolve) => {
    let first = null, last = null, timer = null;
    const start = performance.now();
    const finish = () => { observer.disconnect(); resolve([first, last]); };
    const observer = new MutationObserver((records) => {
      if (!records.some(inChart)) return;
      last = performance.now() - start;
      if (first === null) first = last;
      clearTimeout(timer);
      timer = setTimeout(finish, quietMs);
    });
    observer.observe(scope, {subtree: true, childList: true, attributes: true, characterData: true});
    handle.focus();
    handle.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
    timer = setTimeout(finish, 10000);
  });
}
"""


def slider_latency(page, handle_index: int = 0, presses: int = 30, quiet_ms: int = 300) -> list[tuple]:
    """For each key press on a slider, (ms to the first chart change, ms to the last chart change) among
    the charts shown with that slider; (None, None) when nothing redrew. Alternates right and left so the
    slider stays in range. The hook for benchmarks/bench_chapter_latency.py."""
    times = []
    for i in range(presses):
        key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
        times.append(tuple(page.evaluate(LATENCY_JS, [handle_index, key, quiet_ms])))
    return times



LATE_REDRAWS_JS = r"""
async ([handleIndex, settleMs, watchMs]) => {
  // Once a slider's charts have been still for watchMs (whatever earlier moves set off is over), a key
  // press on it (towards the middle, so the value changes); once its charts have had no change for
  // settleMs (the bars and the kernel's titles are in), count the changes inside them over the next
  // watchMs: a settled chart has none. Returns [changes before settling, changes after].
  const handle = document.querySelectorAll('.widget-slider .noUi-handle')[handleIndex];
  const scope = handle.closest('.jp-OutputArea-child') || document.body;
  const atMax = Number(handle.getAttribute('aria-valuenow')) >= Number(handle.getAttribute('aria-valuemax'));
  const key = atMax ? 'ArrowLeft' : 'ArrowRight';
  let pressed = false, settled = false, early = 0, late = 0, timer = null, lastChange = performance.now();
  const observer = new MutationObserver((records) => {
    const changed = records.filter((r) => {
      const t = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      return t && t.closest('.vega-embed');
    }).length;
    if (!changed) return;
    lastChange = performance.now();
    if (!pressed) return;
    if (settled) { late += changed; return; }
    early += changed;
    clearTimeout(timer);
    timer = setTimeout(() => { settled = true; }, settleMs);
  });
  observer.observe(scope, {subtree: true, childList: true, attributes: true, characterData: true});
  while (performance.now() - lastChange < watchMs) await new Promise((r) => setTimeout(r, 50));
  pressed = true;
  timer = setTimeout(() => { settled = true; }, settleMs);
  handle.focus();
  handle.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
  while (!settled) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, watchMs));
  observer.disconnect();
  return [early, late];
}
"""


def late_redraws(page, handle_index: int = 0, settle_ms: int = 600, watch_ms: int = 1500) -> tuple[int, int]:
    """After one key press on a slider: (changes inside its charts until they settle, changes after that).
    The second is 0 when nothing re-draws them later, such as a chart widget re-applying its params
    after a debounce."""
    return tuple(page.evaluate(LATE_REDRAWS_JS, [handle_index, settle_ms, watch_ms]))

# ----------------------------------------------------------------------------- the static site

STATIC_CHARTS_READY_JS = ("() => window.kitCharts !== undefined && window.kitCharts.length === "
                          "document.querySelectorAll('script[data-kit-chart]').length"
                          " && window.kitCharts.every(c => c.view || c.error)")


def open_static_page(context, path: Path, run: Run, fragment: str = ""):
    """Open an exported page from disk (file://) with every other request blocked and recorded; with
    `fragment`, the address ends in '#fragment' (a scenario code, as a shared link has it)."""
    page = context.new_page()

    def guard(route):
        if route.request.url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            run.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda m: m.type == "error" and run.console_errors.append(m.text[:300]))
    page.on("pageerror", lambda error: run.console_errors.append(f"uncaught: {str(error)[:300]}"))
    page.goto(Path(path).resolve().as_uri() + (f"#{fragment}" if fragment else ""))
    page.wait_for_function(STATIC_CHARTS_READY_JS, timeout=30_000)
    return page


def static_chart_data(page, chart: int, signals: dict | None = None, dataset: str = "data_0") -> list[dict]:
    """The rows of one dataset of an exported chart after setting its params (what its bound sliders set)."""
    return page.evaluate(
        "async ([index, signals, dataset]) => { const view = window.kitCharts[index].view;"
        " for (const [name, value] of Object.entries(signals)) view.signal(name, value);"
        " await view.runAsync(); return view.data(dataset); }", [chart, signals or {}, dataset])


# ----------------------------------------------------------------------------- for the tests

CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))  # every chapter, found when the tests are collected
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_chromium():
    """Skip (loudly) when Chromium is missing on a developer's machine; fail under CI (CI=true)."""
    import pytest

    if Path(CHROMIUM).exists():
        return
    message = (f"!!! BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM}. `make test` installs Debian's chromium "
               "when run as root; otherwise run `sudo apt-get install chromium` (or set KIT_CHROMIUM).")
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def chapter_ids(paths) -> list[str]:
    return [Path(p).name for p in paths]


# ----------------------------------------------------------------------------- command line

def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description="Run notebooks in real JupyterLab (and Voila) in headless Chromium.")
    parser.add_argument("notebooks", nargs="+", help="paths relative to the project, e.g. notebooks/00_start_here.ipynb")
    parser.add_argument("--voila", action="store_true", help="also render each one as a Voila dashboard")
    parser.add_argument("--no-jail", action="store_true", help="do not use a network namespace")
    args = parser.parse_args(argv)
    failed = 0
    with Session(jail=False if args.no_jail else None) as session:
        print(session.offline_mode)
        for path in args.notebooks:
            relative = str(Path(path).resolve().relative_to(ROOT))
            if not relative.startswith("notebooks/"):
                relative = session.add_notebook(ROOT / relative)
            for run in [session.run_lab(relative)] + ([session.run_voila(relative)] if args.voila else []):
                print(run.summary())
                for problem in run.problems():
                    print("   ", problem)
                print("    screenshots:", ", ".join(str(p.relative_to(ROOT)) for p in run.screenshots))
                failed += bool(run.problems())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
