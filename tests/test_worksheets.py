"""The printable worksheet: the chapters' exercises only, read from the chapters, escaped, in my_outputs/."""
import json
import re

import pytest

import kit
from kit import worksheets as ws
from kit.predictions import questions


@pytest.fixture(autouse=True)
def outputs(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_OUTPUTS_DIR", str(tmp_path / "my_outputs"))
    return tmp_path / "my_outputs"


def test_every_self_check_and_prediction_of_the_chapters_is_on_the_worksheet():
    page = ws.worksheet_html()
    for path in ws.chapter_files().values():
        text = path.read_text(encoding="utf-8")
        for qid in re.findall(r'kit\.check\(\\"([^\\"]+)\\"', text):
            assert qid in page, (path.name, qid)
    for qid in questions():
        assert qid in page


def test_only_the_exercise_sections_are_on_it():
    page = ws.worksheet_html("02")
    assert "<h3>Check yourself</h3>" in page and "<h3>Discuss</h3>" in page and "<h3>Try it</h3>" in page
    assert "Key takeaways" not in page and "Limitations" not in page and "A guided tour" not in page
    assert "02 · The automation sliders" in page and "03 · The human moat" not in page


def test_it_is_written_inside_my_outputs(outputs):
    path = kit.worksheet(2)
    assert path.parent == outputs.resolve() and path.name == "worksheet_02.html"
    assert "@media print" in path.read_text(encoding="utf-8")
    assert kit.worksheet().name == "worksheet.html"


def test_an_unknown_chapter_is_a_clear_error():
    with pytest.raises(kit.DataError, match="there is no chapter '42'; the chapters are: 00, 01"):
        ws.worksheet_html("42")


def test_markup_in_a_chapter_is_shown_as_text(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    cells = [{"cell_type": "markdown", "source": ["# 09 · <img src=x onerror=alert(1)>"]},
             {"cell_type": "markdown", "source": ["## Check yourself\n\n**1.** Is <script>alert(1)</script> a "
                                                  "[link](javascript:alert(1))?"]},
             {"cell_type": "code", "source": ["kit.check(\"ch09.x\", None)"]},
             {"cell_type": "markdown", "source": ["## Discuss\n\n1. First `code <b>`\n2. *Second*"]}]
    (folder / "09_hostile.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")
    monkeypatch.setattr(ws, "notebooks_dir", lambda: folder)
    page = ws.worksheet_html("09")
    assert "<script>" not in page and "<img" not in page and "javascript:" not in page
    assert "&lt;script&gt;" in page and "<code>code &lt;b&gt;</code>" in page
    assert "<ol><li>First" in page and "<em>Second</em>" in page and "ch09.x" in page


def test_a_damaged_chapter_names_itself(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "09_broken.ipynb").write_text("{", encoding="utf-8")
    monkeypatch.setattr(ws, "notebooks_dir", lambda: folder)
    with pytest.raises(kit.DataError, match="09_broken.ipynb"):
        ws.worksheet_html()
