"""The cell tags that make a chapter fit a room (the kit's Voila template hides tagged cells) and the
rule that keeps stored answers out of committed chapters (tools/execute_notebooks.py refuses them).
The browser side, an answered chapter shown in Voila, is test_jupyterlab.py::
test_voila_shows_no_code_only_prompt_and_no_stored_answer."""
import re
from pathlib import Path

import execute_notebooks as tool
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
HIDDEN = {"kit-answer", "kit-check-intro", "kit-lab-only"}
# What only makes sense with a cell in front of you: JupyterLab's keys and menus, editing code.
CODE_ONLY = re.compile(r"Replace `None`|Shift \+ Enter|Kernel → Restart|Run the cell\.")


def verdict(icon):
    return new_output("display_data", data={"text/plain": "Right.", "text/html":
                      f'<div role="status"><span aria-hidden="true">{icon}</span> Right. Well done.</div>'})


@pytest.mark.parametrize("icon", ["✔", "✘"])
def test_a_stored_answer_is_refused(icon):
    nb = new_notebook(cells=[new_code_cell('my_answer = 40\nkit.check("ch00.x", my_answer)',
                                           metadata={"tags": ["kit-answer"]}, outputs=[verdict(icon)])])
    found = tool.problems(nb)
    assert len(found) == 1 and "stored answer" in found[0] and "my_answer = None" in found[0]


def test_an_unanswered_check_passes_and_an_untagged_one_is_refused():
    unanswered = new_output("display_data", data={"text/plain": "No answer yet", "text/html":
                            '<div role="status"><span aria-hidden="true">✎</span> No answer yet</div>'})
    tagged = new_code_cell('kit.check("ch00.x", None)', metadata={"tags": ["kit-answer"]}, outputs=[unanswered])
    assert tool.problems(new_notebook(cells=[tagged])) == []
    untagged = new_code_cell('kit.check("ch00.x", None)', outputs=[unanswered])
    found = tool.problems(new_notebook(cells=[untagged]))
    assert len(found) == 1 and "'kit-answer' tag" in found[0]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_committed_chapters_hold_no_answer_and_tag_what_voila_must_hide(chapter):
    notebook = nbformat.read(chapter, as_version=4)
    assert tool.problems(notebook, paths=[]) == []
    checks = [c for c in notebook.cells if c.cell_type == "code" and "kit.check(" in c.source]
    assert checks, "every chapter has self-checks"
    for cell in notebook.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "code" and "kit.check(" in cell.source:
            assert "my_answer = None" in cell.source, cell.source
        if cell.cell_type == "markdown" and CODE_ONLY.search(cell.source):
            assert tags & HIDDEN, f"shown in Voila, where there is no cell to run:\n{cell.source[:200]}"
