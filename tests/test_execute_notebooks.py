"""tools/execute_notebooks.py: stores notebooks that look right unrun, and refuses unfit ones."""
import base64
import os
from pathlib import Path

import execute_notebooks as tool
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kit import display

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def view(model_id="abc"):
    return {"version_major": 2, "version_minor": 0, "model_id": model_id}


def test_widget_views_are_dropped_and_their_picture_and_text_kept():
    nb = new_notebook(cells=[new_code_cell("kit.show(chart)", outputs=[
        new_output("display_data", data={WIDGET_VIEW: view(), "image/png": "iVBOR", "text/plain": "A chart"}),
        new_output("display_data", data={WIDGET_VIEW: view("def")}),
    ])], metadata={"widgets": {"state": {}}})
    assert tool.strip_widget_views(nb) == 2
    assert [o["data"] for o in nb.cells[0].outputs] == [{"image/png": "iVBOR", "text/plain": "A chart"}]
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("output, says", [
    (new_output("error", ename="ValueError", evalue="rate 1.4", traceback=[]), "error ValueError"),
    (new_output("stream", name="stderr", text="warning in /home/ann/kit/data.py"), "/home/ann/"),
    (new_output("execute_result", data={"text/plain": f"{ROOT}/datasets/roles.csv"}), str(ROOT)),
    (new_output("execute_result", data={"text/plain": "VBox(children=(IntSlider(value=3),))"}), "kit.show"),
    (new_output("execute_result", data={"text/plain": "<kit role_tasks: 'registered_nurses'>"}), "kit.show"),
])
def test_unfit_outputs_are_named_with_their_cell(output, says):
    nb = new_notebook(cells=[new_markdown_cell("# 00 · Title"), new_code_cell("x", outputs=[output])])
    found = tool.problems(nb)
    assert len(found) == 1 and found[0].startswith("cell 2:") and says in found[0]


def test_a_picture_inlined_in_html_is_not_read_as_text():
    """kit.show's preview HTML holds the PNG's base64 bytes, which may spell '/tmp/' or '/root/' by chance."""
    picture = "iVBOR+/tmp/abc+/root/xyz"
    nb = new_notebook(cells=[new_code_cell("x", outputs=[new_output("display_data", data={
        "image/png": picture, "text/plain": "A chart",
        "text/html": display.preview_html(picture, "A chart", {"width": 10, "height": 10})})])])
    assert tool.problems(nb) == []
    nb.cells[0].outputs[0]["data"]["text/html"] = display.preview_html(picture, "A chart from /home/ann/kit")
    assert "/home/ann/" in tool.problems(nb)[0]  # the alt text is text a reader meets


def test_the_environment_is_put_back_after_a_run(monkeypatch, tmp_path):
    monkeypatch.delenv("KIT_STATIC_IMAGES", raising=False)
    monkeypatch.setenv("KIT_PROGRESS", "on")
    monkeypatch.setattr(tool, "NotebookClient", lambda *a, **k: type("C", (), {"execute": lambda self: None})())
    path = tmp_path / "empty.ipynb"
    nbformat.write(new_notebook(), path)
    tool.execute(path)
    assert "KIT_STATIC_IMAGES" not in os.environ
    assert os.environ["KIT_PROGRESS"] == "on"


def test_clean_outputs_pass():
    nb = new_notebook(cells=[new_code_cell("x", outputs=[
        new_output("display_data", data={"image/png": "iVBOR", "text/plain": "Scatter plot of 27 roles"}),
        new_output("stream", name="stdout", text="see https://example.org/tmp/page and datasets/README.md"),
    ])])
    assert tool.problems(nb) == []


@pytest.mark.slow
def test_a_notebook_is_run_in_a_fresh_kernel_and_stored_with_a_picture(tmp_path):
    path = tmp_path / "demo.ipynb"
    nbformat.write(new_notebook(cells=[
        new_code_cell("import kit\nkit.show(kit.charts.moat_map(kit.load_roles()))"),
        new_code_cell("import os\nos.getcwd().endswith('notebooks')"),
    ]), path)
    assert tool.run(path)
    nb = nbformat.read(path, as_version=4)
    shown, cwd = (c.outputs for c in nb.cells)
    assert set(shown[0]["data"]) == {"image/png", "text/html", "text/plain"}
    assert base64.b64decode(shown[0]["data"]["image/png"]).startswith(b"\x89PNG")
    # The same picture as HTML, its alt text the chart's description (JupyterLab shows this one).
    description = shown[0]["data"]["text/plain"]
    assert shown[0]["data"]["text/html"] == display.preview_html(shown[0]["data"]["image/png"], description,
                                                                 shown[0]["metadata"]["image/png"])
    assert cwd[0]["data"]["text/plain"] == "True"
    assert [c.execution_count for c in nb.cells] == [1, 2] and "execution" not in nb.cells[0].metadata


@pytest.mark.slow
def test_a_notebook_that_raises_is_left_unchanged(tmp_path):
    path = tmp_path / "broken.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1 / 0")]), path)
    before = path.read_bytes()
    assert tool.main([str(path)]) == 1
    assert path.read_bytes() == before
