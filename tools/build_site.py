"""Render every chapter to a static HTML site under _site/ that works with no kernel and no network.

    make html                         (or: python tools/build_site.py [--out DIR] [notebooks...])

Each chapter is executed top to bottom in a fresh kernel, in a scratch copy of the project (so that a
chapter that writes files, such as 06 into notebooks/my_outputs/, never touches a learner's), then converted by nbconvert with the
`kit-site` template (tools/site_template/), which loads nothing from a CDN. Outputs are made static:
- Altair/Vega-Lite charts (mime bundles, Altair's CDN-loading HTML, or JupyterCharts inside widgets)
  become spec blocks drawn by the Vega bundle that vl-convert ships (assets/vega.js), so they show
  without a kernel and without network. Vega-Lite's own bound sliders keep working.
- A widget output that also carries a chart spec in its mime bundle (a dashboard's static twin) is
  drawn from that spec; any other widget shows its starting view, rebuilt from the widget state,
  with a note that its controls need a running kernel and a link to open the chapter on Binder.
- A kit panel's sliders that move chart params in the browser (kit.widgets.BrowserLink: chapter 00's
  slider chart, chapter 02's slider lab) become Vega-Lite's own sliders on the first of those charts
  (the others follow it), so they keep working with no kernel; the kernel-written titles of those
  charts are replaced by neutral ones (kit.charts.BIND_HEADLINES), which cannot go stale.
Links between chapters point to the exported pages; links to other files of the project point to
the repository. The one repository URL comes from pyproject.toml (tools/launch_links.py); while it is
still the placeholder (OWNER/REPO), the site carries no Binder or repository link at all (they would
lead nowhere) and says to run the chapter in JupyterLab instead. The facilitator guide (its answer key)
is never part of the learners' site.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import launch_links  # noqa: E402  (tools/ is not a package)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SITE = ROOT / "_site"
TEMPLATES = Path(__file__).resolve().parent / "site_template"
FACILITATOR_ONLY = {"facilitator_guide.ipynb"}  # answers and run sheets: not for the learners' site
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CHART_MIME = re.compile(r"application/vnd\.(vegalite|vega)\.v\d+(\.\d+)*\+json")
BOXES = {"VBoxModel": "column", "BoxModel": "column", "HBoxModel": "row", "GridBoxModel": "row"}
SLIDERS = {"IntSliderModel", "FloatSliderModel", "FloatLogSliderModel", "IntRangeSliderModel",
           "FloatRangeSliderModel", "SelectionSliderModel", "SelectionRangeSliderModel"}
CHOICES = {"DropdownModel", "RadioButtonsModel", "ToggleButtonsModel", "SelectModel", "SelectMultipleModel",
           "ComboboxModel"}
TEXTS = {"TextModel", "TextareaModel", "IntTextModel", "FloatTextModel", "BoundedIntTextModel",
         "BoundedFloatTextModel", "PasswordModel", "DatePickerModel", "ColorPickerModel"}


# ----------------------------------------------------------------------------- running

def scratch_project(paths: list[Path], work: Path) -> list[Path]:
    """Copies of the notebooks in a scratch project under `work`: chapters in notebooks/ with an empty
    my_outputs/, every other top-level folder of the project linked (relative paths still work)."""
    root = work / "project"
    (root / "notebooks" / "my_outputs").mkdir(parents=True)
    for item in ROOT.iterdir():
        if not item.name.startswith(".") and item.name not in {"notebooks", "_site", "test-artifacts"}:
            (root / item.name).symlink_to(item)
    copies = []
    for number, path in enumerate(paths):
        folder = root / "notebooks" if path.parent.resolve() == NOTEBOOKS.resolve() else root / f"extra-{number}"
        folder.mkdir(exist_ok=True)
        copies.append(Path(shutil.copy2(path, folder / path.name)))
    return copies


def execute(path: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """The notebook run top to bottom in a fresh kernel, with the final state of every widget."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


# ----------------------------------------------------------------------------- static outputs

def chart_block(spec: dict, mode: str = "vega-lite", group: str = "") -> str:
    """A chart the site's script draws with the bundled Vega (no kernel, no network). Charts of one
    `group` follow the bound params of the group's first chart (see assets/kit-charts.js)."""
    # kit.exports.script_safe_json, the one embedding of JSON in HTML: no "</script>" or "<!--<script>"
    # in a chart's text can end the block early.
    from kit.exports import script_safe_json

    text = script_safe_json(spec, compact=True)
    grouped = f' data-kit-group="{html.escape(group)}"' if group else ""
    return f'<div class="kit-chart"><script type="application/json" data-kit-chart="{mode}"{grouped}>{text}</script></div>'


def chart_from_bundle(data: dict) -> str | None:
    for mime, spec in data.items():
        match = CHART_MIME.fullmatch(mime)
        if match:
            spec = json.loads(spec) if isinstance(spec, str) else spec
            return chart_block(spec, "vega-lite" if match.group(1) == "vegalite" else "vega")
    return None


def chart_from_altair_html(text: str) -> str | None:
    """The spec inside Altair's default HTML output (which would load Vega from a CDN)."""
    if "vegaEmbed" not in text or "})(" not in text:
        return None
    decoder = json.JSONDecoder()
    start = text.rindex("})(") + 3
    try:
        spec, end = decoder.raw_decode(text, start)
        options, _ = decoder.raw_decode(text, end + text[end:].index("{"))
    except ValueError:
        return None
    return chart_block(spec, options.get("mode", "vega-lite"))


def with_params_visited(spec: dict, visit) -> dict:
    """A copy of the spec with `visit(param)` called on every named, non-selection param, at any depth."""
    def walk(node):
        if isinstance(node, dict):
            for param in node.get("params", []) if isinstance(node.get("params"), list) else []:
                if isinstance(param, dict) and "select" not in param:
                    visit(param)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)
    spec = json.loads(json.dumps(spec))
    walk(spec)
    return spec


def with_param_values(spec: dict, values: dict) -> dict:
    """The spec with each named param's value set to the widget's current value."""
    def visit(param):
        if param.get("name") in values:
            param["value"] = values[param["name"]]
    return with_params_visited(spec, visit)


def with_bound_sliders(spec: dict, sliders: dict, headlines: dict) -> dict:
    """The spec with Vega-Lite sliders bound to the params that `sliders` ({param: (slider model id,
    its widget state)}) move, each drawn where the Python slider was (the page holds an element
    #kit-bind-<model id> there), and each param named in `headlines` set to its neutral text."""
    def visit(param):
        name = param.get("name")
        if name in sliders:
            slider, state = sliders[name]
            param["bind"] = {"input": "range", "min": state.get("min", 0), "max": state.get("max", 100),
                             "step": state.get("step") or 1, "name": f'{state.get("description", name)} ',
                             "element": f"#{bind_element(slider)}"}
        elif name in headlines:
            param["value"] = headlines[name]
    return with_params_visited(spec, visit)


def bind_element(slider_id: str) -> str:
    return f"kit-bind-{re.sub(r'[^A-Za-z0-9_-]', '', slider_id)}"


def neutral_headlines() -> dict:
    """The live charts' titles for a chart whose own sliders move it (no kernel to write the numbers)."""
    try:
        from kit.charts import BIND_HEADLINES
    except ImportError:
        return {}
    return dict(BIND_HEADLINES)


def shows_something(body: str) -> bool:
    """Whether a piece of static HTML shows anything: text, a control, a chart or a picture."""
    return bool(re.sub(r"<[^>]*>", "", body).strip() or re.search(r"<(input|button|img|svg)\b|data-kit-chart", body))


def ansi_free(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


class StaticOutputs:
    """Turns one executed notebook's outputs into static HTML."""

    def __init__(self, notebook: nbformat.NotebookNode, binder: str):
        self.state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
        self.binder = binder
        self.dashboards = 0
        self._controls = 0  # Python controls met while rendering the current widget
        self.links, self.bound, self.groups = self._browser_links()
        self.headlines = neutral_headlines() if self.links else {}

    def _browser_links(self):
        """From the kit's BrowserLink widgets: {lead chart: {param: slider state}}, the linked sliders'
        ids, and {chart: group name} (the lead chart carries the sliders, the others follow it)."""
        links, bound, groups = {}, set(), {}
        for number, model in enumerate(self.state.values()):
            state = model.get("state", {})
            charts, pairs = state.get("charts"), state.get("links")
            if not (isinstance(charts, list) and isinstance(pairs, list) and charts and pairs):
                continue
            shown = [c for c in charts if c in self.state and not self._hidden(self.state[c].get("state", {}))]
            if not shown:
                continue
            sliders = {name: (slider, self.state[slider]["state"]) for slider, name in pairs
                       if slider in self.state and self.state[slider].get("model_name") in SLIDERS}
            if not sliders:
                continue
            links[shown[0]] = sliders
            bound |= {slider for slider, _ in sliders.values()}
            groups.update({chart: f"link-{number}" for chart in shown})
        return links, bound, groups

    def note(self) -> str:
        where = (f'<a href="{html.escape(self.binder)}">open this chapter on Binder</a> (or in JupyterLab)'
                 if self.binder else "open this chapter in JupyterLab (<code>make lab</code>, see the kit's README)")
        return (f'<p class="kit-static-note">This is the starting view of an interactive panel. Its controls need '
                f'Python: {where} to move them.</p>')

    def output(self, output: dict) -> dict:
        """The output itself, or a display_data holding its static HTML."""
        if output.get("output_type") not in ("display_data", "execute_result"):
            return output
        data = output.get("data", {})
        static = None
        if WIDGET_VIEW in data:
            self.dashboards += 1
            twin = chart_from_bundle(data)
            model = data[WIDGET_VIEW].get("model_id")
            self._controls = 0
            if twin:
                static = twin + self.note()
            elif model in self.state:
                view = self.widget(model)
                static = f'<div class="kit-widget">{view}</div>' + (self.note() if self._controls else "")
            else:
                static = self.note()
        else:
            static = chart_from_bundle(data) or chart_from_altair_html(str(data.get("text/html", "")))
        if static is None:
            return output
        replaced = {"output_type": output["output_type"], "data": {"text/html": static}, "metadata": {}}
        if output["output_type"] == "execute_result":
            replaced["execution_count"] = output.get("execution_count")
        return nbformat.from_dict(replaced)

    def bundle(self, output: dict) -> str:
        """HTML for an output inside an Output widget."""
        output = self.output(output)
        kind = output.get("output_type")
        if kind == "stream":
            return f"<pre>{html.escape(output.get('text', ''))}</pre>"
        if kind == "error":
            return f"<pre class=\"kit-error\">{html.escape(ansi_free(chr(10).join(output.get('traceback', []))))}</pre>"
        data = output.get("data", {})
        if "text/html" in data:
            return "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
        if "image/svg+xml" in data:
            return "".join(data["image/svg+xml"])
        if "image/png" in data:
            return f'<img alt="" src="data:image/png;base64,{data["image/png"]}">'
        if "text/markdown" in data:
            from nbconvert.filters import markdown2html

            return markdown2html("".join(data["text/markdown"]))
        if "text/plain" in data:
            return f"<pre>{html.escape(''.join(data['text/plain']))}</pre>"
        return ""

    def _model(self, ref):
        model_id = ref[len("IPY_MODEL_"):] if isinstance(ref, str) and ref.startswith("IPY_MODEL_") else ref
        return self.state.get(model_id, {})

    def _hidden(self, state: dict) -> bool:
        layout = self._model(state.get("layout")).get("state", {})
        return layout.get("display") == "none" or layout.get("visibility") == "hidden"

    def widget(self, model_id: str) -> str:
        """A widget's starting view as plain HTML, from its saved state."""
        model = self.state.get(model_id, {})
        name, state = model.get("model_name", ""), model.get("state", {})
        if self._hidden(state):
            return ""
        label = html.escape(str(state.get("description", "")))
        if name in BOXES:
            children = "".join(self.widget(ref[len("IPY_MODEL_"):]) for ref in state.get("children", []))
            return f'<div class="kit-box kit-box-{BOXES[name]}">{children}</div>'
        if name in {"TabModel", "AccordionModel", "StackModel"}:
            titles = list(state.get("titles", [])) + [""] * len(state.get("children", []))
            pages = [(title, self.widget(ref[len("IPY_MODEL_"):])) for title, ref in zip(titles, state.get("children", []))]
            # A page the kernel fills only when it is opened (the dashboard's Numbers tab) has nothing to show.
            parts = [f'<section><h4>{html.escape(str(title))}</h4>{body}</section>' for title, body in pages
                     if shows_something(body)]
            return f'<div class="kit-box kit-box-column">{"".join(parts)}</div>'
        if name == "AnyModel" and isinstance(state.get("spec"), dict):
            spec = with_param_values(state["spec"], state.get("_params") or {})
            if model_id in self.groups:
                spec = with_bound_sliders(spec, self.links.get(model_id, {}), self.headlines)
            return chart_block(spec, group=self.groups.get(model_id, ""))
        if name == "AnyModel" and isinstance(state.get("code"), str):  # the lab's scenario code (kit.code_box)
            return (f'<div class="kit-w"><span class="kit-w-label">Scenario code</span> '
                    f'<code class="kit-w-value">{html.escape(state["code"])}</code></div>')
        if name in {"HTMLModel", "HTMLMathModel"}:  # flowing text: a flex row would split "<b>x</b>: y" apart
            return f'<div class="kit-w kit-w-text">{state.get("value", "")}</div>'
        if name == "LabelModel":
            return f'<div class="kit-w kit-w-text">{html.escape(str(state.get("value", "")))}</div>'
        if name == "OutputModel":
            return "".join(self.bundle(o) for o in state.get("outputs", []))
        if name in {"LayoutModel", "StyleModel"} or name.endswith("StyleModel"):
            return ""
        if model_id in self.bound:  # its chart draws it here, as a Vega-Lite slider that needs no kernel
            return f'<div class="kit-w kit-w-slider kit-bound" id="{bind_element(model_id)}"></div>'
        self._controls += 1  # everything below is a control that needs Python
        if name in SLIDERS:
            return self._slider(name, state, label)
        if name in CHOICES:
            labels = state.get("_options_labels", [])
            index = state.get("index")
            chosen = [labels[i] for i in (index if isinstance(index, (list, tuple)) else [index])
                      if isinstance(i, int) and i < len(labels)]
            return (f'<div class="kit-w"><span class="kit-w-label">{label}</span> '
                    f'<span class="kit-w-value">{html.escape(", ".join(map(str, chosen)) or "(none)")}</span></div>')
        if name in {"CheckboxModel", "ToggleButtonModel", "ValidModel"}:
            mark = "&#9745;" if state.get("value") else "&#9744;"
            return f'<div class="kit-w"><span class="kit-w-value">{mark}</span> {label}</div>'
        if name in {"ButtonModel", "FileUploadModel"}:
            return f'<div class="kit-w"><button disabled>{label}</button></div>'
        if name in TEXTS:
            return (f'<div class="kit-w"><span class="kit-w-label">{label}</span> '
                    f'<span class="kit-w-value">{html.escape(str(state.get("value", "")))}</span></div>')
        return '<div class="kit-w kit-w-unknown">(an interactive element that needs a running kernel)</div>'

    @staticmethod
    def _slider(name: str, state: dict, label: str) -> str:
        value = state.get("value")
        if name.startswith("Selection"):
            labels, index = state.get("_options_labels", []), state.get("index")
            shown = " – ".join(str(labels[i]) for i in (index if isinstance(index, (list, tuple)) else [index])
                               if isinstance(i, int) and i < len(labels))
        else:
            fmt = state.get("readout_format") or ""
            def one(v):
                try:
                    return format(v, fmt)
                except (ValueError, TypeError):
                    return str(v)
            shown = " – ".join(one(v) for v in value) if isinstance(value, (list, tuple)) else one(value)
        track = ""
        if isinstance(value, (int, float)) and "min" in state and "max" in state:
            track = (f'<input type="range" disabled aria-label="{label}" min="{state["min"]}" max="{state["max"]}" '
                     f'step="{state.get("step") or "any"}" value="{value}">')
        return (f'<div class="kit-w kit-w-slider"><span class="kit-w-label">{label}</span>{track}'
                f'<span class="kit-w-value">{html.escape(shown)}</span></div>')


# ----------------------------------------------------------------------------- pages

def title_of(notebook: nbformat.NotebookNode, fallback: str) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback


def relink(page: str, chapters: set[str], repo_url: str | None) -> str:
    """Chapter links point to the exported pages, other project files to the repository (or, with no
    published repository, to nothing: the link's text stays)."""
    def fix(match):
        target, anchor = match.group(2), match.group(3) or ""
        site_pages = {"index.html"} | {f"{Path(c).stem}.html" for c in chapters}
        if not target or target in site_pages or re.match(r"^[a-z][a-z0-9+.-]*:", target) \
                or target.startswith(("/", "assets/")):
            return match.group(0)
        resolved = (NOTEBOOKS / target).resolve()
        if resolved.suffix == ".ipynb" and resolved.name in chapters:
            return f'{match.group(1)}"{resolved.stem}.html{anchor}"'
        try:
            inside = resolved.relative_to(ROOT).as_posix()
        except ValueError:
            return match.group(0)
        if not repo_url:
            return f'{match.group(1)[:-len("href=")]}data-kit-file="{html.escape(inside)}"'
        return f'{match.group(1)}"{repo_url}/blob/HEAD/{inside}{anchor}"'
    return re.sub(r'(<a\b[^>]*?\bhref=)"([^"#]*)(#[^"]*)?"', fix, page)


def exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="kit-site", extra_template_basedirs=[str(TEMPLATES)],
                        exclude_input_prompt=False, embed_images=True)


def build(out: Path = SITE, paths: list[Path] | None = None, quiet: bool = False) -> dict:
    """Build the site into `out`; a summary {page: {"title", "charts", "dashboards", "seconds"}}."""
    import vl_convert

    paths = sorted((p for p in paths or NOTEBOOKS.glob("*.ipynb") if p.name not in FACILITATOR_ONLY),
                   key=lambda p: p.name)  # chapter order
    repo_url = published_repository()
    out.mkdir(parents=True, exist_ok=True)
    assets = out / "assets"
    if assets.exists():
        shutil.rmtree(assets)
    shutil.copytree(TEMPLATES / "assets", assets)
    shutil.copyfile(lab_theme("theme-dark.css"), assets / "theme-dark.css")  # for prefers-color-scheme: dark
    (assets / "vega.js").write_text(
        f"// Vega {vl_convert.get_vega_version()}, Vega-Lite and vega-embed {vl_convert.get_vega_embed_version()}, "
        "bundled by vl-convert (no network needed)\n" + vl_convert.javascript_bundle(), encoding="utf-8")
    from kit.exports import script_safe_json
    from kit.scenario_codes import codec_tables

    (assets / "kit-code-tables.js").write_text(  # what assets/kit-codes.js reads scenario codes with
        "// Written by tools/build_site.py from kit.scenario_codes.codec_tables(): do not edit.\n"
        f"window.kitCodeTables = {script_safe_json(codec_tables(), compact=True)};\n", encoding="utf-8")
    chapters = {p.name for p in paths}
    summary, pages = {}, []
    scratch = tempfile.TemporaryDirectory(prefix="kit-site-")
    try:
        for path, copy in zip(paths, scratch_project(paths, Path(scratch.name))):
            started = time.monotonic()
            notebook = execute(copy)
            binder = launch_links.binder_url(f"notebooks/{path.name}", repo_url=repo_url) if repo_url else ""
            static = StaticOutputs(notebook, binder)
            for cell in notebook.cells:
                if cell.cell_type == "code":
                    cell.outputs = [static.output(o) for o in cell.outputs]
            notebook.metadata.pop("widgets", None)
            title = title_of(notebook, path.stem)
            pages.append((path, title, binder, notebook, static))
            summary[f"{path.stem}.html"] = {"title": title, "dashboards": static.dashboards,
                                             "seconds": round(time.monotonic() - started, 2)}
    finally:
        scratch.cleanup()
    html_exporter = exporter()
    nav = [{"href": f"{p.stem}.html", "title": t} for p, t, *_ in pages]
    for index, (path, title, binder, notebook, static) in enumerate(pages):
        resources = {"metadata": {"name": title, "path": str(path.parent)},
                     "kit": {"nav": nav, "index": index, "binder": binder, "repository": repo_url,
                             "source": f"notebooks/{path.name}",
                             "previous": nav[index - 1] if index else None,
                             "next": nav[index + 1] if index + 1 < len(nav) else None}}
        body, _ = html_exporter.from_notebook_node(notebook, resources=resources)
        (out / f"{path.stem}.html").write_text(relink(body, chapters, repo_url), encoding="utf-8")
        page = summary[f"{path.stem}.html"]
        page["charts"] = body.count("data-kit-chart=")
        if not quiet:
            print(f"{path.name}: {page['charts']} charts, {page['dashboards']} widget outputs, {page['seconds']:.1f} s")
    (out / "index.html").write_text(index_page(nav, repo_url), encoding="utf-8")
    return summary


def lab_theme(name: str) -> Path:
    """A stylesheet of nbconvert's lab template (its JupyterLab themes), from the installed templates."""
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("nbconvert", "templates", "lab", "static"):
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    raise FileNotFoundError(f"nbconvert's lab template has no {name}: reinstall nbconvert (make install)")


def published_repository() -> str | None:
    """The kit's public repository URL, or None while pyproject.toml holds the placeholder."""
    url = launch_links.repository()
    return None if url == launch_links.PLACEHOLDER else url


def index_page(nav: list[dict], repo_url: str | None) -> str:
    items = "\n".join(f'    <li><a href="{html.escape(n["href"])}">{html.escape(n["title"])}</a></li>' for n in nav)
    if repo_url:
        binder = launch_links.binder_url(repo_url=repo_url)
        where = (f'<a href="{html.escape(binder)}">open the kit on Binder</a>, or run it on your own machine '
                 f'(<a href="{html.escape(repo_url)}">{html.escape(repo_url)}</a>)')
    else:
        where = "run the kit on your own machine (<code>make lab</code>, see its README)"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The Empathy Premium: the chapters</title>
<link rel="stylesheet" href="assets/kit-site.css">
</head>
<body class="kit-index">
<main>
  <h1>The Empathy Premium: AI, paperwork and the US healthcare workforce</h1>
  <p>A static copy of the kit's chapters: read them and explore their charts here, with no installation.
  The interactive panels need Python: {where}.</p>
  <ol>
{items}
  </ol>
</main>
</body>
</html>
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description="Render every chapter to a static HTML site.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=SITE, help="where to write the site (default _site/)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    summary = build(args.out, [p.resolve() for p in args.notebooks] or None)
    print(f"{len(summary)} pages in {args.out} ({time.monotonic() - started:.1f} s); open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
