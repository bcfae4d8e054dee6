"""The pre/post quiz: five predictions scored against the model, answers hidden until the post quiz,
recorded in the progress file, and the class's gain in the facilitator's summary."""
import pytest

import kit
from kit import classroom, predictions, progress, quizzes
from kit.quiz_form import QuizForm


@pytest.fixture(autouse=True)
def outputs(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_OUTPUTS_DIR", str(tmp_path / "my_outputs"))
    return tmp_path / "my_outputs"


def right_answers():
    """The model's own answers (what a learner who learned everything would say)."""
    out = {}
    for q in quizzes.quiz_questions():
        answer = predictions.model_answer(q)
        out[q.id] = answer.direction(q.tolerance) if q.kind == predictions.DIRECTION else answer.after
    return out


def test_five_questions_all_from_the_prediction_bank():
    assert len(quizzes.QUIZ) == 5 and [q.id for q in quizzes.quiz_questions()] == list(quizzes.QUIZ)


def test_the_model_s_answers_score_five_and_wrong_ones_score_less():
    assert quizzes.score_quiz("post", right_answers()).score == 5
    wrong = {qid: ("stay the same" if v in ("rise", "fall") else "rise") if isinstance(v, str) else v * 3
             for qid, v in right_answers().items()}
    assert quizzes.score_quiz("post", wrong).score == 0


def test_the_pre_quiz_shows_no_answer_and_the_post_quiz_does():
    pre = quizzes.score_quiz("pre", right_answers()).text()
    assert "model says" not in pre and "after the post quiz" in pre
    assert "model says" in quizzes.score_quiz("post", right_answers()).text()


def test_missing_and_unreadable_answers_count_as_not_close_with_a_message():
    result = quizzes.score_quiz("pre", {"ch02.throughput_trap": "maybe"})
    assert result.score == 0 and all(a is None for _, a, _, _ in result.rows)
    assert "'maybe' is not a direction" in result.text() and "No prediction yet" in result.text()


def test_a_wrong_stage_is_a_message_not_a_crash():
    assert "is not a stage" in repr(kit.quiz("middle"))
    assert quizzes.submit("pre", "not a dict").score == 0


def test_answers_are_recorded_and_the_gain_is_collected(tmp_path, monkeypatch):
    folder = tmp_path / "class"
    folder.mkdir()
    first = {qid: "rise" if isinstance(v, str) else 0 for qid, v in right_answers().items()}
    for name, pre, post in [("Ada", first, right_answers()), ("Ben", right_answers(), right_answers())]:
        monkeypatch.setenv("KIT_OUTPUTS_DIR", str(tmp_path / name))
        progress.set_learner(name)
        kit.quiz("pre", pre)
        kit.quiz("post", post)
        (folder / f"{name}.json").write_bytes(kit.export_progress()["json"].read_bytes())
    table, problems = classroom.collect(folder)
    assert problems == []
    gain = classroom.quiz_gain(table).set_index("learner")
    pre_ada = quizzes.score_quiz("pre", first).score
    assert gain.loc["Ada"].tolist() == [pre_ada, 5, 5 - pre_ada] and gain.loc["Ben"].tolist() == [5, 5, 0]
    paths, _ = classroom.write_class_files(folder)
    assert "Pre/post quiz: 2 learners took both" in paths["html"].read_text(encoding="utf-8")


def test_the_form_submits_once(outputs):
    form = kit.quiz("post")
    assert isinstance(form, QuizForm) and len(form.boxes) == 5
    for qid, value in right_answers().items():
        form.boxes[qid].value = value if isinstance(value, str) else str(value)
    form.submit_button.click()
    assert form.submit_button.disabled and "5 of 5" in form.status.value
    entries = progress.load_progress()["entries"]
    assert [e["kind"] for e in entries] == ["quiz"] * 5 and all(e["close"] for e in entries)
