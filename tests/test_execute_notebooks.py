"""tools/execute_notebooks.py: stores notebooks that look right unrun, and refuses unfit ones."""
import base64
from pathlib import Path

import execute_notebooks as tool
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

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
    assert set(shown[0]["data"]) == {"image/png", "text/plain"}
    assert base64.b64decode(shown[0]["data"]["image/png"]).startswith(b"\x89PNG")
    assert cwd[0]["data"]["text/plain"] == "True"
    assert [c.execution_count for c in nb.cells] == [1, 2] and "execution" not in nb.cells[0].metadata


@pytest.mark.slow
def test_a_notebook_that_raises_is_left_unchanged(tmp_path):
    path = tmp_path / "broken.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1 / 0")]), path)
    before = path.read_bytes()
    assert tool.main([str(path)]) == 1
    assert path.read_bytes() == before
