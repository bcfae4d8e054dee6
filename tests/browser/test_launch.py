"""`make lab`, as a newcomer starts it: the link it prints opens the start chapter, and from that server
the Voila address and datasets/ work too.

The test runs the README's own command, `make lab` (with `--no-browser`, a free port and a handle on the
page's JupyterLab for the checks added through LAB_ARGS), reads the link JupyterLab prints, pastes it
into Chromium and checks what the learner sees.
It also opens the `jpserver-*-open.html` file JupyterLab writes for a browser to open. The user's
Jupyter settings and runtime files go to a temporary folder; the chapters are only opened, never saved
(autosave is off and the test checks the files are unchanged). Screenshots: test-artifacts/screenshots/
launch-printed-link.png, launch-open-file.png, launch-voila.png, launch-datasets.png.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import time

import harness
import pytest
from harness import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
START = "notebooks/00_start_here.ipynb"
VOILA = "notebooks/02_the_automation_sliders.ipynb"
PRINTED = re.compile(r"(http://127\.0\.0\.1:\d+/\S*\?token=[0-9a-f]+)")


def chapter_hashes() -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((ROOT / "notebooks").glob("*.ipynb"))}


@pytest.fixture(scope="module")
def make_lab(tmp_path_factory, jail):
    """`make lab` running on a free port: (printed link, runtime folder, its output so far)."""
    work = tmp_path_factory.mktemp("make-lab")
    settings = work / "config" / "lab" / "user-settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    port = harness.free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(work / "runtime"), "JUPYTER_CONFIG_DIR": str(work / "config"),
           "PYTHONUNBUFFERED": "1"}
    command = ["make", "--no-print-directory", "-C", str(ROOT), "lab",
               f"LAB_ARGS=--no-browser --port={port} --ip=127.0.0.1 --port-retries=0"
               " --LabApp.expose_app_in_browser=True"]
    if jail:
        command = jail.wrap(command)
    log = work / "make-lab.log"
    before = chapter_hashes()
    process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=log.open("w"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    link, deadline = None, time.monotonic() + 120
    while time.monotonic() < deadline and link is None:
        if process.poll() is not None:
            pytest.fail(f"`make lab` stopped at start (exit {process.returncode}):\n{log.read_text()}")
        found = PRINTED.findall(log.read_text(errors="replace"))
        link = found[0] if found else None
        time.sleep(0.25)
    if link is None:
        os.killpg(process.pid, 15)
        pytest.fail(f"`make lab` printed no link within 120 s:\n{log.read_text()}")
    yield link, work / "runtime", log
    os.killpg(process.pid, 15)  # Ctrl+C, as the README says (the whole group: make, JupyterLab, kernels)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()
    assert chapter_hashes() == before, "a chapter changed on disk while the launch test only opened it"


def wait_for_chapter(page) -> str:
    """The path of the document JupyterLab opened, once it is open (or the error dialog's text)."""
    page.wait_for_function(
        "() => (window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.context) || document.querySelector('.jp-Dialog')",
        timeout=90_000)
    page.wait_for_timeout(1000)
    dialog = page.locator(".jp-Dialog")
    if dialog.count():
        return "dialog: " + dialog.first.inner_text()
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")


def new_page(chromium, run):
    context = chromium.new_context()
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and run.console_errors.append(m.text[:300]))
    return context, page


def test_make_lab_adds_allow_root_only_for_root():
    """As root (Docker, many course VMs) JupyterLab refuses to start without --allow-root."""
    dry = subprocess.run(["make", "-n", "--no-print-directory", "-C", str(ROOT), "lab"], capture_output=True,
                         text=True, check=True).stdout
    line = [x for x in dry.splitlines() if "jupyter lab" in x][-1]
    assert "--ServerApp.root_dir=." in line and f"--ServerApp.default_url=/lab/tree/{START}" in line
    assert ("--allow-root" in line) == (os.getuid() == 0), line
    arguments = line.split("jupyter lab", 1)[1].split()
    assert [a for a in arguments if not a.startswith("-")] == [], "a chapter as an argument makes notebooks/ the root"


def test_the_printed_link_opens_the_start_chapter(make_lab, chromium):
    link, _, log = make_lab
    assert f"/lab/tree/{START}?token=" in link, log.read_text()
    run = harness.Run(notebook=START, where="make lab")
    context, page = new_page(chromium, run)
    try:
        page.goto(link)
        opened = wait_for_chapter(page)
        # Trusted by `make install` (as postBuild does on Binder): the stored charts draw before running.
        # The stored chart is a picture with alt text (kit.display's <img class="kit-preview">, issue 14).
        page.wait_for_function("() => [...document.querySelectorAll('.jp-NotebookPanel .vega-embed svg.marks,"
                               " .jp-NotebookPanel img.kit-preview')].some(e => e.tagName === 'svg'"
                               " || (e.complete && e.naturalWidth > 0 && e.alt.length > 20))", timeout=60_000)
        trusted = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets"
                                ".filter(c => c.model.type === 'code').every(c => c.model.trusted)")
        page.screenshot(path=harness.SCREENSHOTS / "launch-printed-link.png")
        text = page.evaluate("() => document.body.innerText")
    finally:
        context.close()
    assert opened == START, opened
    assert "Cannot open" not in text and "Could not find path" not in text
    assert trusted, "the start chapter is not trusted: `make install` must trust the chapters"


def test_the_open_file_jupyterlab_writes_for_a_browser_works(make_lab, chromium):
    _, runtime, _ = make_lab
    opens = sorted(runtime.glob("jpserver-*-open.html"))
    assert opens, f"no jpserver-*-open.html in {runtime}"
    run = harness.Run(notebook=START, where="make lab")
    context, page = new_page(chromium, run)
    try:
        page.goto(opens[0].as_uri())
        opened = wait_for_chapter(page)
        page.screenshot(path=harness.SCREENSHOTS / "launch-open-file.png")
    finally:
        context.close()
    assert opened == START, opened


def test_the_voila_address_and_datasets_are_reachable_from_make_lab(make_lab, chromium):
    link, _, _ = make_lab
    base, token = link.split("/lab/")[0], link.split("token=")[1]
    run = harness.Run(notebook=VOILA, where="make lab")
    context, page = new_page(chromium, run)
    try:
        answer = page.goto(f"{base}/voila/render/{VOILA}?token={token}", timeout=120_000)
        status = answer.status
        page.wait_for_selector("#rendered_cells .jp-Cell", timeout=120_000)
        page.screenshot(path=harness.SCREENSHOTS / "launch-voila.png")
        listing = page.goto(f"{base}/api/contents/datasets?token={token}")
        datasets = json.loads(listing.text()) if listing.ok else {}
        page.goto(f"{base}/lab/tree/datasets?token={token}")
        page.wait_for_selector(".jp-DirListing-item", timeout=60_000)
        page.wait_for_timeout(800)
        shown = page.locator(".jp-DirListing-itemName").all_inner_texts()
        page.screenshot(path=harness.SCREENSHOTS / "launch-datasets.png")
    finally:
        context.close()
    assert status == 200, f"the Voila address answered {status}"
    names = [item["name"] for item in datasets.get("content", [])]
    assert "assumptions.csv" in names, names
    assert "assumptions.csv" in " ".join(shown), shown
