"""Predict, then reveal: questions read from datasets/predictions.csv, answers computed by the model,
nothing revealed before a prediction is locked in (and, with a lab, before the move is made)."""
import pandas as pd
import pytest

import kit
from kit import predictions as pr
from kit.prediction_card import PredictionCard


@pytest.fixture(autouse=True)
def outputs(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_OUTPUTS_DIR", str(tmp_path))
    return tmp_path


def question(qid="ch02.throughput_trap"):
    return pr.questions()[qid]


class FakeLab:
    """What a reveal reads from the slider lab: its current scenario."""

    def __init__(self, scenario):
        self.scenario = scenario


def test_the_bank_loads_and_chapters_02_04_05_each_have_a_question():
    bank = pr.questions()
    assert {q.chapter for q in bank.values()} >= {"02", "04", "05"}
    assert all(q.kind in (pr.DIRECTION, pr.NUMBER) for q in bank.values())


def test_answers_are_computed_by_the_model_at_run_time():
    q = question("ch02.throughput_trap")
    by_role = kit.simulate(kit.Scenario(automation={"clinical_judgement": 0.5})).by_role
    after = by_role[(by_role.role_id == "registered_nurses") & (by_role["mode"] == "execution")].hours_after.iloc[0]
    assert pr.model_answer(q).after == pytest.approx(after)
    assert pr.model_answer(q).before == pytest.approx(
        kit.simulate(kit.Scenario()).role("registered_nurses").hours_after["execution"])


def test_the_issue_s_example_question_is_in_the_bank():
    q = question("ch02.rn_curation_documentation")
    assert "curation hours rise or fall when Documentation goes to 80 %" in q.question
    assert pr.moved_scenario(q).automation_rate("clinical_documentation") == 0.8


def test_a_preset_move_and_an_org_are_applied():
    q = question("ch05.primary_care_released_fte")
    assert pr.moved_scenario(q) == kit.Scenario.from_preset("cost_cutting", org="primary_care_group")
    assert pr.model_answer(q).after == pytest.approx(
        kit.simulate(kit.Scenario.from_preset("cost_cutting", org="primary_care_group")).org["released_fte"])


def test_nothing_of_the_answer_shows_before_the_prediction():
    for q in pr.questions().values():
        answer = pr.model_answer(q)
        card = pr.Prediction(q)
        text = card.text() + card._repr_html_()
        assert "model says" not in text and pr._number(answer.after) not in text.replace(q.question, "")
        card.reveal()
        assert card.result is None and "Lock in a prediction first" in card.text()


def test_lock_then_reveal_gives_the_answer_and_records_both_steps(outputs):
    card = kit.predict("ch02.throughput_trap", "up")
    assert card.prediction == "rise"
    result = card.reveal()
    assert result.answer == pr.model_answer(card.question).direction(card.question.tolerance)
    assert result.close == (result.answer == "rise")
    stages = [e["stage"] for e in kit.progress.load_progress()["entries"]]
    assert stages == ["locked", "revealed"]


def test_a_prediction_cannot_be_changed_once_locked():
    card = kit.predict("ch02.throughput_trap", "fall")
    card.lock("rise")
    assert card.prediction == "fall" and "locked in" in card.problem


def test_with_a_lab_the_reveal_waits_for_the_move():
    q = question("ch02.rn_curation_documentation")
    card = pr.Prediction(q, lab=FakeLab(kit.Scenario()))
    card.lock("fall")
    card.reveal()
    assert card.result is None and "set Documentation automated to 80 %" in card.problem
    card.lab = FakeLab(kit.Scenario(automation={"clinical_documentation": 0.8, "coding_billing": 0.3}))
    assert card.reveal().answer in pr.DIRECTIONS


def test_a_preset_move_is_made_when_the_lab_shows_the_preset():
    q = question("ch05.primary_care_released_fte")
    assert not pr.move_made(q, kit.Scenario(org="primary_care_group"))
    assert pr.move_made(q, kit.Scenario.from_preset("cost_cutting", org="us_workforce"))


def test_number_reveals_say_how_far_and_which_side():
    q = question("ch04.heavy_review_freed")
    answer = pr.model_answer(q)
    high = pr.reveal(q, answer.after * 2, answer)
    assert high.gap == pytest.approx(answer.after) and not high.close and "above it" in high.message
    near = pr.reveal(q, answer.after * (1 - q.tolerance / 2), answer)
    assert near.close and "below it" in near.message and "within" in near.message
    assert "exactly it" in pr.reveal(q, answer.after, answer).message


def test_direction_words_and_numbers_are_read_kindly():
    d, n = question("ch02.throughput_trap"), question("ch04.heavy_review_freed")
    assert [pr.read_prediction(d, w) for w in ("Rise", " up ", "DECREASE.", "no change")] == [
        "rise", "rise", "fall", "stay the same"]
    assert pr.read_prediction(n, "1,200") == 1200.0 and pr.read_prediction(n, 7) == 7.0


@pytest.mark.parametrize("kind, given, match", [
    ("direction", None, "No prediction yet"), ("direction", "", "No prediction yet"),
    ("direction", "maybe", "'maybe' is not a direction; predict one of 'rise', 'fall', 'stay the same'"),
    ("direction", 3, "3 is not a direction"), ("number", True, "yes/no value"),
    ("number", "lots", "'lots' is not a number; predict a number"), ("number", float("inf"), "not a finite number"),
    ("number", [1, 2], "is not a number"), ("number", "1e999", "not a finite number"),
])
def test_unreadable_predictions_say_how_to_write_them(kind, given, match):
    q = question("ch02.throughput_trap" if kind == "direction" else "ch04.heavy_review_freed")
    with pytest.raises(pr.Unreadable, match=match):
        pr.read_prediction(q, given)
    card = pr.Prediction(q).lock(given)
    assert card.prediction is None and card.problem


def test_an_unknown_question_lists_the_questions_and_does_not_raise():
    shown = repr(kit.predict("ch02.nope"))
    assert "There is no prediction question 'ch02.nope'" in shown and "ch02.throughput_trap" in shown


def test_the_widget_card_locks_then_reveals(outputs):
    card = kit.predict("ch02.review_paid_hours")
    assert isinstance(card, PredictionCard) and card.reveal_button.disabled
    card.reveal_button.click()
    assert "model says" not in card.status.value
    card.lock_button.click()  # nothing chosen yet
    assert "No prediction yet" in card.status.value and not card.lock_button.disabled
    card.answer_box.value = "rise"
    card.lock_button.click()
    assert card.answer_box.disabled and card.lock_button.disabled and not card.reveal_button.disabled
    card.reveal_button.click()
    assert "the model says it will" in card.status.value and card.reveal_button.disabled


def test_the_number_card_reads_text():
    card = kit.predict("ch04.heavy_review_freed")
    card.answer_box.value = "about 500"
    card.lock_button.click()
    assert "is not a number" in card.status.value
    card.answer_box.value = "500"
    card.lock_button.click()
    card.reveal_button.click()
    assert "hours per week" in card.status.value


def test_question_text_is_escaped_in_html():
    q = pr.PredictionQuestion("ch09.x", "09", "<script>alert(1)</script>?", "us_workforce", (),
                              (("oversight_ratio", 0.5),), None, "freed", "number", "hours", 0.1, "<b>why</b>")
    assert "<script>" not in pr.Prediction(q)._repr_html_()
    card = PredictionCard(pr.Prediction(q))
    assert "<script>" not in card.children[0].value
    card.lock(3)
    card.reveal()
    assert "<b>why</b>" not in card.status.value and "&lt;b&gt;why" in card.status.value


def _table(**changes):
    row = pd.read_csv(kit.data.datasets_dir() / pr.PREDICTIONS_FILE, dtype=str, keep_default_na=False).iloc[[0]]
    for k, v in changes.items():
        row[k] = v
    return row


@pytest.mark.parametrize("changes, match", [
    ({"question_id": "throughput"}, "must look like 'ch02.short_name'"),
    ({"kind": "guess"}, "kind 'guess' must be"),
    ({"move": ""}, "move is empty"),
    ({"move": "automation.paperwork=0.5"}, "'paperwork' is not a task family"),
    ({"move": "speed=2"}, "'speed' is not a setting"),
    ({"move": "oversight_ratio=lots"}, "is not a number"),
    ({"move": "oversight_ratio=1.5"}, "out of range"),
    ({"move": "preset=nope"}, "preset: 'nope' does not exist"),
    ({"role_id": "astronauts"}, "astronauts"),
    ({"measure": "happiness"}, "measure 'happiness' is not one a question can watch"),
    ({"measure": "hours.leisure"}, "'leisure' is not a mode"),
    ({"tolerance": "-1"}, "must be 0 or more"),
    ({"org": "mars_base"}, "mars_base"),
])
def test_a_bad_question_row_gets_a_message_naming_the_row(changes, match):
    with pytest.raises(kit.DataError, match=match) as error:
        pr.read_questions(_table(**changes))
    assert error.value.problems[0].startswith("row 2: ")


def test_a_repeated_id_and_a_missing_column_are_reported():
    with pytest.raises(kit.DataError, match="appears twice"):
        pr.read_questions(pd.concat([_table(), _table()]))
    with pytest.raises(kit.DataError, match="no column 'measure'"):
        pr.read_questions(_table().drop(columns="measure"))


def test_a_reinvestment_move_keeps_the_shares_summing_to_one():
    moved = pr.apply_settings(kit.Scenario(), [("reinvestment.presence", 0.8)])
    assert moved.reinvestment["presence"] == 0.8 and sum(moved.reinvestment.values()) == pytest.approx(1)
