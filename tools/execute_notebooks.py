"""Run the chapters top to bottom in a fresh kernel and store them with their outputs.

    python tools/execute_notebooks.py [notebook ...]      (make notebooks: every notebook)

For each notebook: a fresh kernel started in notebooks/ with KIT_STATIC_IMAGES=1 (so kit.show
adds the PNG a reader sees before running, and the same picture as HTML with the chart's description
as its alt text), no widget state stored and a timeout per cell. Then:
- live widget views are dropped from the outputs: a saved notebook holds no widget models, so
  JupyterLab would show "Error displaying widget: model not found"; kit.show's PNG, HTML and text stay;
- the notebook is refused, and left unchanged on disk, if a cell raised, an output holds a
  path of this machine (a learner's copy must not show where it was made), a self-check shows a
  verdict (a stored answer: every reader would see "✔ Right") or a self-check cell lacks the
  `kit-answer` tag (the kit's Voila template hides tagged cells: a dashboard has no cell to edit).
Prints each notebook's time and the total; exits 1 if any notebook was refused.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TIMEOUT = 300  # seconds per cell
# What a widget prints when it is shown without kit.show: "VBox(children=(..." (ipywidgets) or
# "<kit slider lab: ...>" (kit.widgets' own short text).
# A self-check's verdict as kit.check draws it (✔ right, ✘ not yet); "✎ No answer yet" may be stored.
VERDICT = re.compile(r'<span aria-hidden="true">[✔✘]</span>')
ANSWER_TAG = "kit-answer"
BARE_WIDGET = re.compile(r"^([A-Z]\w*\((children|value|layout)=|<kit )")
# Paths of any machine (user folders, temporary folders, installed packages), wherever it ran.
# Pictures inlined in HTML (kit.show's preview with alt text): bytes, not text a reader sees.
DATA_URI = re.compile(r"data:image/[\w.+-]+;base64,[A-Za-z0-9+/=]*")
ANY_MACHINE_PATH = re.compile(r"(?<![\w.])(/home/[^/\s]+/|/Users/[^/\s]+/|/root/|/tmp/|/var/folders/|"
                              r"[A-Za-z]:\\Users\\|site-packages[/\\])")


def machine_paths() -> list[str]:
    """This checkout's and this Python's folders (ANY_MACHINE_PATH covers home and temp folders)."""
    return sorted({str(ROOT), str(ROOT.resolve()), sys.prefix}, key=len, reverse=True)


def strip_widget_views(notebook) -> int:
    """Drop live widget views from every output (and outputs left empty); return how many."""
    dropped = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                dropped += 1
                if not data:
                    continue
            kept.append(output)
        cell.outputs = kept
    notebook.metadata.pop("widgets", None)
    return dropped


def output_text(output) -> str:
    """Every piece of text in an output (stream text, mime data other than images and the images
    inlined in HTML, tracebacks)."""
    parts = [output.get("text", ""), output.get("ename", ""), output.get("evalue", "")]
    parts += output.get("traceback", [])
    for mime, value in output.get("data", {}).items():
        if not mime.startswith("image/"):
            parts.append(DATA_URI.sub("data:image", value if isinstance(value, str) else repr(value)))
    return "\n".join(parts)


def problems(notebook, paths: list[str] | None = None) -> list[str]:
    """What makes a stored notebook unfit to commit: errors, machine paths, bare widget reprs."""
    paths = machine_paths() if paths is None else paths
    found = []
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type == "code" and "kit.check(" in cell.source \
                and ANSWER_TAG not in cell.get("metadata", {}).get("tags", []):
            found.append(f"cell {number}: a self-check (kit.check) without the {ANSWER_TAG!r} tag; add it "
                         "(Property Inspector → Cell Tags) so that Voila does not show it")
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            if "kit.check(" in cell.get("source", "") and VERDICT.search(html):
                found.append(f"cell {number}: a self-check shows a stored answer's verdict; put "
                             "`my_answer = None` back before storing the chapter")
            if output.get("output_type") == "error":
                found.append(f"cell {number}: error {output.get('ename')}: {output.get('evalue')}")
            text = output_text(output)
            shown = [p for p in paths if p in text] or ANY_MACHINE_PATH.findall(text)
            if shown:
                found.append(f"cell {number}: an output shows the machine path {shown[0]!r}")
            plain = output.get("data", {}).get("text/plain", "")
            if BARE_WIDGET.match(plain) and "image/png" not in output.get("data", {}):
                found.append(f"cell {number}: a widget is shown without kit.show, so the saved notebook "
                             f"would show {plain[:40]!r}...; wrap it: kit.show(...)")
    return found


def execute(path: Path, timeout: int = TIMEOUT):
    """The notebook run top to bottom in a fresh kernel, in notebooks/, with static images on."""
    notebook = nbformat.read(path, as_version=4)
    # For the kernel only, and put back after: a facilitator's re-run is not a learner's attempt, and
    # static images left on would make every later kernel of this process draw pictures nobody sees.
    saved = {name: os.environ.get(name) for name in ("KIT_STATIC_IMAGES", "KIT_PROGRESS")}
    os.environ.update(KIT_STATIC_IMAGES="1", KIT_PROGRESS="off")
    try:
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", store_widget_state=False,
                                record_timing=False, resources={"metadata": {"path": str(NOTEBOOKS)}})
        client.execute()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return notebook


def run(path: Path) -> bool:
    """Execute, clean and store one notebook; print what happened. True if it was stored."""
    start = time.perf_counter()
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    try:
        notebook = execute(path)
    except CellExecutionError as error:
        print(f"REFUSED {name}: a cell raised an error; the file is unchanged.\n{error}", file=sys.stderr)
        return False
    dropped = strip_widget_views(notebook)
    found = problems(notebook)
    if found:
        print(f"REFUSED {name}; the file is unchanged:\n  " + "\n  ".join(found), file=sys.stderr)
        return False
    nbformat.validate(notebook)
    nbformat.write(notebook, path)
    print(f"{time.perf_counter() - start:6.1f} s  {name}  ({len(notebook.cells)} cells, "
          f"{dropped} widget views dropped, {path.stat().st_size / 1e3:,.0f} kB)")
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"No such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    stored = [run(p) for p in paths]
    print(f"{time.perf_counter() - start:6.1f} s  total, {sum(stored)} of {len(paths)} notebooks stored")
    return 0 if all(stored) else 1


if __name__ == "__main__":
    sys.exit(main())
