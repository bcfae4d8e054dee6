"""Keep a chapter's preview pictures when JupyterLab saves it (Ctrl+S or the 2-minute autosave).

A chapter is committed with a picture and a text in place of each live chart or panel (see
tools/execute_notebooks.py), so that it reads well before anything runs. Once a learner runs it,
JupyterLab saves each of those outputs as a reference to a widget, and (by default) no widget
state: reopened later, the chapter shows "Error displaying widget: model not found" where the
picture was. This server pre-save hook rewrites such outputs in the file being written: the widget
reference goes, and the picture the file on disk held for the same output comes back (its text
stays): the `image/png` and the `text/html` view of it that kit.show stores (an `<img>` whose alt
text is the chart's description, marked class="kit-preview"), which replaces the description-only
`text/html` a live kit.show output carries. Widgets whose state is saved in the notebook, and
everything else, are left as they are.

Installed by jupyter-config/install.py: this module is copied next to the environment's packages and
named as `ContentsManager.pre_save_hook` in the server's configuration.
"""
from __future__ import annotations

import json
from pathlib import Path

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
PICTURE = "image/png"
PAGE = "text/html"
PREVIEW_MARK = 'class="kit-preview"'  # kit.display.PREVIEW_CLASS: the kit's own preview HTML


def saved_models(notebook: dict) -> set[str]:
    """The widget models whose state the notebook itself holds (those views do display on reopening)."""
    state = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return set(state) if isinstance(state, dict) else set()


def is_preview_page(value) -> bool:
    """Whether a text/html value is the kit's own preview HTML (a picture with alt text, or its text)."""
    text = "".join(value) if isinstance(value, list) else value
    return isinstance(text, str) and PREVIEW_MARK in text


def pictures_by_cell(notebook: dict) -> dict:
    """{cell id: [(picture, its display metadata, its preview HTML or None), ...]} for every stored
    preview, in output order."""
    found = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code" or not cell.get("id"):
            continue
        pictures = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PICTURE in data:
                page = data.get(PAGE)
                pictures.append((data[PICTURE], output.get("metadata", {}).get(PICTURE),
                                 page if is_preview_page(page) else None))
        if pictures:
            found[cell["id"]] = pictures
    return found


def keep_previews(notebook: dict, before: dict | None) -> int:
    """Rewrite, in place, every widget output the notebook cannot show again by itself (no saved
    state for its model): drop the widget reference and put back the picture `before` (the file as it
    was on disk) held for that output: its PNG and, when the file held one, its HTML with alt text.
    Returns how many outputs were rewritten."""
    kept = saved_models(notebook)
    pictures = pictures_by_cell(before or {})
    rewritten = 0
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        stored = list(pictures.get(cell.get("id"), []))
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view = data.get(WIDGET_VIEW)
            if view is None or (isinstance(view, dict) and view.get("model_id") in kept):
                if PICTURE in data and stored:
                    stored.pop(0)  # this output already carries its own picture
                outputs.append(output)
                continue
            data = {mime: value for mime, value in data.items() if mime != WIDGET_VIEW}
            metadata = dict(output.get("metadata", {}))
            if stored:
                picture, size, page = stored.pop(0)
                if PICTURE not in data:
                    data[PICTURE] = picture
                    if size:
                        metadata[PICTURE] = size
                if PAGE not in data or is_preview_page(data[PAGE]):
                    if page is not None:
                        data[PAGE] = page  # the picture with its alt text
                    else:  # a file stored before the kit wrote one: its description would hide the picture
                        data.pop(PAGE, None)
            rewritten += 1
            if data:
                outputs.append({**output, "data": data, "metadata": metadata})
        cell["outputs"] = outputs
    return rewritten


def read_notebook(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def pre_save(model, path, contents_manager, **kwargs):
    """The server's pre-save hook: for a notebook, keep the preview pictures (see keep_previews)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    before = None
    try:
        before = read_notebook(Path(contents_manager._get_os_path(path)))
    except Exception:  # another contents manager (no files on disk): previews cannot be restored
        pass
    rewritten = keep_previews(model["content"], before)
    if rewritten:
        contents_manager.log.info("kit: kept the preview pictures of %d widget output(s) in %s", rewritten, path)
