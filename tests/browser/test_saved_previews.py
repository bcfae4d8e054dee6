"""The pre-save hook that keeps a chapter's preview pictures when JupyterLab saves it
(jupyter-config/kit_saved_previews.py); the browser test that saves, shuts down and reopens a chapter
is test_jupyterlab.py::test_a_chapter_saved_after_running_reopens_with_its_previews."""
import copy
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from kit import display

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "jupyter-config"))
import kit_saved_previews as hook  # noqa: E402

sys.path.pop(0)

VIEW = hook.WIDGET_VIEW
SIZE = {"width": 400, "height": 300}


def page(picture="PNG-A", text="A bar chart"):
    """The text/html view kit.show stores beside the picture: the same PNG, with the text as its alt."""
    return display.preview_html(picture, text, SIZE)


def stored(picture="PNG-A", text="A bar chart", html=True):
    """A cell as tools/execute_notebooks.py commits it: picture, its HTML with alt text (unless `html` is
    False: a chapter stored before the kit wrote it) and text, no widget view."""
    data = {"image/png": picture, "text/plain": text} | ({"text/html": page(picture, text)} if html else {})
    return {"id": "c1", "cell_type": "code", "source": "kit.show(x)", "metadata": {}, "execution_count": 1,
            "outputs": [{"output_type": "display_data", "metadata": {"image/png": dict(SIZE)}, "data": data}]}


def live(model="m1", text="A bar chart"):
    """The same cell as JupyterLab saves it after running: a widget view, the text and the description-only
    HTML (kit.show in a live session draws no picture), no picture."""
    cell = stored(text=text)
    view = {"version_major": 2, "version_minor": 0, "model_id": model}
    cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                        "data": {VIEW: view, "text/plain": text, "text/html": display.preview_html(None, text)}}]
    return cell


def notebook(*cells, state=None):
    meta = {"widgets": {hook.WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}} if state else {}
    return {"cells": list(cells), "metadata": meta, "nbformat": 4, "nbformat_minor": 5}


def test_a_saved_widget_output_gets_back_the_picture_the_file_held():
    saving = notebook(live())
    assert hook.keep_previews(saving, notebook(stored())) == 1
    output = saving["cells"][0]["outputs"][0]
    assert VIEW not in output["data"]
    assert output["data"] == {"text/plain": "A bar chart", "image/png": "PNG-A", "text/html": page()}
    assert output["metadata"]["image/png"] == {"width": 400, "height": 300}


def test_the_restored_picture_keeps_its_alt_text():
    """JupyterLab shows text/html before image/png: the picture it shows again has the chart's description."""
    saving = notebook(live(text='Roles by "moat" & <growth>'))
    hook.keep_previews(saving, notebook(stored(text='Roles by "moat" & <growth>')))
    shown = saving["cells"][0]["outputs"][0]["data"]["text/html"]
    assert shown.startswith('<img class="kit-preview" src="data:image/png;base64,PNG-A"')
    assert 'alt="Roles by &quot;moat&quot; &amp; &lt;growth&gt;"' in shown


def test_a_chapter_stored_before_the_alt_text_gets_its_picture_not_the_description():
    """A file on disk with only image/png: the live output's description-only HTML would rank above the
    picture, so it goes and the picture shows as it did."""
    saving = notebook(live())
    hook.keep_previews(saving, notebook(stored(html=False)))
    assert saving["cells"][0]["outputs"][0]["data"] == {"text/plain": "A bar chart", "image/png": "PNG-A"}


def test_html_that_is_not_the_kits_preview_is_kept():
    saving = notebook(live())
    saving["cells"][0]["outputs"][0]["data"]["text/html"] = "<b>someone else's view</b>"
    hook.keep_previews(saving, notebook(stored()))
    assert saving["cells"][0]["outputs"][0]["data"]["text/html"] == "<b>someone else's view</b>"


def test_without_a_stored_picture_the_text_stays_instead_of_a_broken_widget():
    saving = notebook(live())
    assert hook.keep_previews(saving, None) == 1
    assert saving["cells"][0]["outputs"][0]["data"] == {"text/plain": "A bar chart",
                                                        "text/html": display.preview_html(None, "A bar chart")}


def test_widgets_whose_state_is_saved_and_other_outputs_are_left_alone():
    cell = live("m1")
    cell["outputs"].append({"output_type": "stream", "name": "stdout", "text": "hello\n"})
    saving = notebook(cell, state={"m1": {"model_name": "VBoxModel"}})
    untouched = copy.deepcopy(saving)
    assert hook.keep_previews(saving, notebook(stored())) == 0
    assert saving == untouched


def test_saving_twice_keeps_the_picture():
    before = notebook(stored())
    once = notebook(live())
    hook.keep_previews(once, before)
    twice = notebook(live("m2"))
    hook.keep_previews(twice, once)
    assert twice["cells"][0]["outputs"][0]["data"]["image/png"] == "PNG-A"
    assert twice["cells"][0]["outputs"][0]["data"]["text/html"] == page()


def test_pictures_pair_with_outputs_in_order_within_their_own_cell():
    first, second = stored("PNG-1"), stored("PNG-2")
    second["id"] = "c2"
    first["outputs"].append({"output_type": "display_data", "metadata": {}, "data": {"image/png": "PNG-1b",
                                                                                     "text/plain": "b"}})
    a, b = live("m1"), live("m3")
    b["id"] = "c2"
    a["outputs"].append({"output_type": "display_data", "metadata": {},
                         "data": {VIEW: {"model_id": "m2"}, "text/plain": "b"}})
    saving = notebook(a, b)
    assert hook.keep_previews(saving, notebook(first, second)) == 3
    pictures = [o["data"]["image/png"] for c in saving["cells"] for o in c["outputs"]]
    assert pictures == ["PNG-1", "PNG-1b", "PNG-2"]
    alts = [o["data"].get("text/html", "") for c in saving["cells"] for o in c["outputs"]]
    assert [a[a.index("base64,") + 7:a.index('" alt')] if "base64," in a else None for a in alts] \
        == ["PNG-1", None, "PNG-2"]  # the second output of c1 was stored with no HTML


def test_the_hook_reads_the_file_on_disk_and_ignores_other_files(tmp_path):
    (tmp_path / "ch.ipynb").write_text(json.dumps(notebook(stored())))
    manager = SimpleNamespace(_get_os_path=lambda path: str(tmp_path / path), log=SimpleNamespace(info=print))
    model = {"type": "notebook", "content": notebook(live())}
    hook.pre_save(model=model, path="ch.ipynb", contents_manager=manager)
    assert model["content"]["cells"][0]["outputs"][0]["data"]["image/png"] == "PNG-A"
    text = {"type": "file", "content": "x"}
    hook.pre_save(model=text, path="a.txt", contents_manager=manager)
    assert text == {"type": "file", "content": "x"}


@pytest.mark.parametrize("chapter", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_stored_chapter_preview_can_be_found_by_its_cell(chapter):
    """The hook pairs outputs by cell id: every chapter cell holding a picture has one; and every stored
    picture has its HTML view with alt text, which the hook finds as the kit's."""
    cells = json.loads(chapter.read_text(encoding="utf-8"))["cells"]
    with_pictures = [c for c in cells if any("image/png" in o.get("data", {}) for o in c.get("outputs", []))]
    assert all(c.get("id") for c in with_pictures)
    found = hook.pictures_by_cell({"cells": with_pictures})
    pages = ["".join(page) if isinstance(page, list) else page for entries in found.values() for _, _, page in entries]
    assert all(page is not None and ' alt="' in page for page in pages)
