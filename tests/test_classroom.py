"""The facilitator's collect tool: a class's progress files into one CSV and a summary, with a clear
message for each file it cannot read."""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kit
from kit import classroom, progress

ROOT = Path(__file__).resolve().parent.parent


def learner_file(tmp_path, monkeypatch, name, answers, prediction=None):
    """A learner's exported progress file, made through the kit as a learner would."""
    folder = tmp_path / f"session_{name}"
    monkeypatch.setenv("KIT_OUTPUTS_DIR", str(folder))
    progress.set_learner(name)
    for answer in answers:
        kit.check("ch00.oversight_mode", answer)
    if prediction is not None:
        kit.predict("ch02.throughput_trap", prediction).reveal()
    return kit.export_progress()["json"]


@pytest.fixture
def handed_in(tmp_path, monkeypatch):
    folder = tmp_path / "handed_in"
    folder.mkdir()
    for name, answers, prediction in [("Ada", ["curation"], "rise"), ("Ben", ["execution", "curation"], "fall"),
                                      ("Cy", ["presence"], None)]:
        path = learner_file(tmp_path, monkeypatch, name, answers, prediction)
        (folder / f"{name.lower()}.json").write_bytes(path.read_bytes())
    (folder / "damaged.json").write_text("{half", encoding="utf-8")
    edited = json.loads((folder / "ada.json").read_text())
    edited["entries"][0]["status"] = "wrong"
    (folder / "edited.json").write_text(json.dumps(edited), encoding="utf-8")
    (folder / "notes.txt").write_text("not a progress file")
    return folder


def test_one_row_per_learner_and_question_and_a_message_per_unreadable_file(handed_in):
    table, problems = classroom.collect(handed_in)
    checks = table[table.kind == "check"].set_index("learner")
    assert checks.loc["Ada", "attempts"] == 1 and checks.loc["Ada", "right_first"]
    assert checks.loc["Ben", "attempts"] == 2 and not checks.loc["Ben", "right_first"]
    assert checks.loc["Ben", "right_last"]
    assert not checks.loc["Cy", "right_last"]
    predictions = table[table.kind == "prediction"].set_index("learner")
    right = kit.predictions.model_answer(kit.predictions.questions()["ch02.throughput_trap"]).direction(0.01)
    assert predictions.loc["Ada", "close"] == (right == "rise") and predictions.loc["Ben", "close"] == (right == "fall")
    assert len(problems) == 2
    assert any(p.startswith("damaged.json: the file is damaged") for p in problems)
    assert any(p.startswith("edited.json: ") and "edited by hand" in p for p in problems)


def test_the_summary_counts_who_missed_each_question(handed_in):
    summary = classroom.class_summary(classroom.collect(handed_in)[0]).set_index(["question_id", "kind"])
    row = summary.loc[("ch00.oversight_mode", "check")]
    assert row.learners == 3 and row.missed == 2 and row.missed_share == pytest.approx(2 / 3)


def test_the_command_writes_csv_and_html_and_lists_unread_files(handed_in, tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "kit.classroom", "collect", str(handed_in), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "not read: damaged.json" in done.stderr and "not read: edited.json" in done.stderr
    table = pd.read_csv(out / classroom.CLASS_CSV, encoding="utf-8-sig")
    assert list(table.columns) == list(classroom.ROW_COLUMNS) and set(table.learner) == {"Ada", "Ben", "Cy"}
    page = (out / classroom.CLASS_HTML).read_text(encoding="utf-8")
    assert "<svg" in page and "Files not read" in page and "ch00.oversight_mode" in page


def test_a_missing_folder_is_a_clear_error(tmp_path):
    assert classroom.main(["collect", str(tmp_path / "nope")]) == 2
    with pytest.raises(kit.DataError, match="is not a folder"):
        classroom.collect(tmp_path / "nope")


def test_an_empty_folder_gives_an_empty_table(tmp_path):
    paths, problems = classroom.write_class_files(tmp_path)
    assert problems == [] and pd.read_csv(paths["csv"], encoding="utf-8-sig").empty


def test_learner_names_are_escaped_and_formula_safe(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    path = learner_file(tmp_path, monkeypatch, "=cmd|'/c calc'!A1 <script>", ["curation"])
    (folder / "x.json").write_bytes(path.read_bytes())
    paths, _ = classroom.write_class_files(folder)
    assert "'=cmd" in paths["csv"].read_text(encoding="utf-8-sig")
    assert "<script>" not in paths["html"].read_text(encoding="utf-8")


def test_two_files_of_one_learner_are_both_kept_and_flagged(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    path = learner_file(tmp_path, monkeypatch, "Ada", ["curation"])
    (folder / "a1.json").write_bytes(path.read_bytes())
    (folder / "a2.json").write_bytes(path.read_bytes())
    table, problems = classroom.collect(folder)
    assert len(table) == 2 and "also handed in a1.json" in problems[0]


def test_the_facilitator_command_is_the_classroom_command(handed_in, tmp_path):
    """Issue 16 names it `python -m kit.facilitator collect FOLDER`: the same files and messages."""
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "kit.facilitator", "collect", str(handed_in), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "not read: damaged.json" in done.stderr
    assert set(pd.read_csv(out / classroom.CLASS_CSV, encoding="utf-8-sig").learner) == {"Ada", "Ben", "Cy"}
    usage = subprocess.run([sys.executable, "-m", "kit.facilitator"], capture_output=True, text=True, cwd=ROOT)
    assert usage.returncode == 2 and "usage: python -m kit.facilitator" in usage.stderr
    assert kit.save_progress is kit.export_progress
