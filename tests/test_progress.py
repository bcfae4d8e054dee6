"""The learner's progress file: written after every step (a kernel restart loses nothing), only inside
the outputs folder, with a checksum that shows hand edits; exports a learner can hand in."""
import json
import os
import warnings
from pathlib import Path

import pytest

import kit
from kit import progress


@pytest.fixture(autouse=True)
def outputs(tmp_path, monkeypatch):
    folder = tmp_path / "my_outputs"
    folder.mkdir()
    monkeypatch.setenv("KIT_OUTPUTS_DIR", str(folder))
    monkeypatch.delenv("KIT_PROGRESS", raising=False)
    return folder


def on_disk(outputs):
    return json.loads((outputs / "progress.json").read_text(encoding="utf-8"))


def test_every_attempt_is_on_disk_at_once(outputs):
    kit.check("ch00.oversight_mode", "execution")
    assert [e["status"] for e in on_disk(outputs)["entries"]] == ["wrong"]
    kit.check("ch00.oversight_mode", "curation")
    entries = on_disk(outputs)["entries"]  # what a new kernel reads after a restart
    assert [(e["question_id"], e["answer"], e["status"], e["chapter"]) for e in entries] == [
        ("ch00.oversight_mode", "execution", "wrong", "00"), ("ch00.oversight_mode", "curation", "right", "00")]
    assert progress.load_progress()["entries"] == entries


def test_kit_check_still_returns_the_feedback():
    feedback = kit.check("ch00.oversight_mode", "curation")
    assert feedback.correct and "Right." in repr(feedback)


def test_unanswered_and_unknown_questions_are_not_recorded(outputs):
    kit.check("ch00.oversight_mode", None)
    kit.check("ch99.nothing", 3)
    assert not (outputs / "progress.json").exists()
    kit.check("ch00.oversight_mode", "sideways")  # a real attempt the kit could not read
    assert on_disk(outputs)["entries"][0]["status"] == "invalid"


def test_notes_codes_and_the_learner_name(outputs):
    assert "saved" in kit.note("The front desk changes most")
    scenario = kit.Scenario.from_preset("empathy_first")
    assert kit.share_code(scenario) in progress.save_code(scenario, "ward plan")
    progress.set_learner("Ada L.")
    content = progress.load_progress()
    assert content["learner"] == "Ada L."
    assert [(e["kind"], e.get("text")) for e in content["entries"]] == [
        ("note", "The front desk changes most"), ("code", "ward plan")]
    assert kit.Scenario.from_code(content["entries"][1]["code"]) == scenario


def test_bad_notes_and_codes_are_refused_with_a_message(outputs):
    assert "text in quotes" in kit.note(42)
    assert "keep it to 2,000" in kit.note("x" * 2001)
    assert "Not saved" in progress.save_code("ep1.garbage")
    assert not (outputs / "progress.json").exists()


def test_a_custom_organization_code_is_kept_even_without_its_file(outputs):
    import pandas as pd
    org = kit.Organization.from_table(pd.DataFrame({"role_id": ["receptionists"], "headcount": [2],
                                                    "weekly_hours": [40]}))
    code = kit.share_code(kit.Scenario(org=org))
    assert code in progress.save_code(code)


def test_a_hand_edited_file_is_caught_by_its_checksum(outputs):
    kit.check("ch00.oversight_mode", "execution")
    content = on_disk(outputs)
    content["entries"][0]["status"] = "right"
    (outputs / "progress.json").write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(kit.DataError, match="edited by hand or damaged"):
        progress.load_progress()


@pytest.mark.parametrize("raw, match", [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b'{"format": "empathy-premium-scenario", "format_version": 1}', "not a progress file"),
    (b"[1, 2]", "not a progress file"),
    (b'{"format": "empathy-premium-progress", "format_version": 9, "entries": []}', "newer version of the kit"),
    (b'{"format": "empathy-premium-progress", "format_version": "1", "entries": []}', "not a version number"),
    (b'{"format": "empathy-premium-progress", "format_version": 1, "entries": {}}', "must be a list"),
    (b'{"format": "empathy-premium-progress", "format_version": 1, "entries": [{"kind": "hack"}]}',
     "kind 'hack' is not one of"),
    (b"[" * 100_000 + b"]" * 100_000, "not a progress file|nested too deep"),
])
def test_damaged_or_foreign_files_get_a_data_error(outputs, raw, match):
    path = outputs / "other.json"
    path.write_bytes(raw)
    with pytest.raises(kit.DataError, match=match):
        progress.load_progress(path)


def test_a_huge_file_is_refused_before_it_is_read(outputs):
    path = outputs / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(progress.MAX_PROGRESS_BYTES + 1)
    with pytest.raises(kit.DataError, match="at most 5,000,000"):
        progress.load_progress(path)


def test_a_damaged_progress_file_is_kept_aside_not_overwritten(outputs):
    (outputs / "progress.json").write_text("{half a file", encoding="utf-8")
    with pytest.warns(progress.ProgressNotSaved, match="kept as progress.damaged-"):
        kit.check("ch00.oversight_mode", "curation")
    kept = list(outputs.glob("progress.damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == "{half a file"
    assert len(on_disk(outputs)["entries"]) == 1


def test_a_folder_that_cannot_be_written_warns_and_the_lesson_goes_on(tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    monkeypatch.setenv("KIT_OUTPUTS_DIR", str(blocker / "my_outputs"))
    with pytest.warns(progress.ProgressNotSaved, match="cannot make the folder"):
        feedback = kit.check("ch00.oversight_mode", "curation")
    assert feedback.correct


def test_recording_can_be_switched_off(outputs, monkeypatch):
    monkeypatch.setenv("KIT_PROGRESS", "off")
    kit.check("ch00.oversight_mode", "curation")
    kit.note("hello")
    assert list(outputs.iterdir()) == []


@pytest.mark.parametrize("name", ["../escape.json", "/etc/passwd", "sub/file.json", "..", ".hidden", "", None,
                                  "a" * 200, "con\x00.json"])
def test_files_are_written_only_inside_the_outputs_folder(name):
    with pytest.raises(kit.DataError):
        progress.inside_outputs(name)


def test_a_link_out_of_the_folder_is_refused(outputs, tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    os.symlink(outside, outputs / "progress_export.json")
    with pytest.raises(kit.DataError, match="leads outside"):
        progress.inside_outputs("progress_export.json")


def test_the_export_is_csv_json_and_html_and_safe(outputs):
    progress.set_learner("<b>Ada</b>")
    kit.check("ch00.oversight_mode", "=HYPERLINK(\"http://x\")")
    kit.note("<script>alert(1)</script>")
    kit.predict("ch02.throughput_trap", "rise").reveal()
    paths = kit.export_progress()
    assert {p.parent for p in paths.values()} == {outputs.resolve()}
    csv_text = paths["csv"].read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "\n,=" not in csv_text
    assert csv_text.splitlines()[0] == ",".join(progress.CSV_COLUMNS)
    assert len(csv_text.strip().splitlines()) == 1 + 4  # check, note, prediction locked + revealed
    assert progress.load_progress(paths["json"])["learner"] == "<b>Ada</b>"
    page = paths["html"].read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>Ada</b>" not in page
    assert "@media print" in page and "Predictions revealed: 1" in page


def test_export_with_no_progress_yet_is_an_empty_table(outputs):
    paths = kit.export_progress()
    assert paths["csv"].read_text(encoding="utf-8-sig").strip() == ",".join(progress.CSV_COLUMNS)


def test_answers_of_any_type_are_stored_as_json(outputs):
    import numpy as np
    for answer in (np.float64(12.5), [1, "a"], {"a": 1}, float("nan"), 10**30, b"bytes", object()):
        progress.record("check", "ch00.execution_share", answer=answer, status="wrong")
    stored = [e["answer"] for e in progress.load_progress()["entries"]]
    assert stored[:2] == [12.5, [1, "a"]] and stored[3] == "nan"
    assert all(isinstance(s, (str, float, int, list)) for s in stored)


def test_no_warning_for_ordinary_use(outputs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kit.check("ch00.oversight_mode", "curation")
        kit.note("fine")


def test_two_kernels_writing_at_once_lose_nothing(outputs):
    """Two chapters open at once: each process adds its entries; the lock keeps every one."""
    import subprocess
    import sys
    code = ("import kit\n"
            "for i in range(40):\n"
            "    kit.progress.record('note', None, text=f'{WHO} {i}')\n")
    env = {**os.environ, "KIT_OUTPUTS_DIR": str(outputs)}
    runs = [subprocess.Popen([sys.executable, "-c", code.replace("{WHO}", who)], env=env,
                             stderr=subprocess.PIPE, text=True) for who in ("a", "b")]
    for run in runs:
        assert run.wait(timeout=300) == 0, run.stderr.read()
    texts = [e["text"] for e in progress.load_progress()["entries"]]
    assert sorted(texts) == sorted([f"a {i}" for i in range(40)] + [f"b {i}" for i in range(40)])


def test_the_default_folder_is_the_checkout_s_my_outputs_or_beside_the_notebook(tmp_path, monkeypatch):
    (tmp_path / "kit_checkout" / "notebooks").mkdir(parents=True)
    checkout = tmp_path / "kit_checkout"
    assert progress.default_outputs(checkout, tmp_path) == checkout / "notebooks" / "my_outputs"
    course = tmp_path / "course"
    assert progress.default_outputs(tmp_path / "site-packages", course) == course / "my_outputs"
    monkeypatch.delenv("KIT_OUTPUTS_DIR")
    assert progress.outputs_dir() == Path(kit.__file__).resolve().parent.parent / "notebooks" / "my_outputs"
