"""kit.checks: answers are computed, feedback is right/wrong with a hint, bad answers never raise."""
import pytest

import kit
from kit import checks


@pytest.fixture
def demo_questions():
    """Two throwaway questions registered for the test and removed after."""
    checks.question("test.number", checks.NUMBER, tolerance=0.5, unit="hours",
                    hint="look at the table", explanation="it is 12")(lambda: 12.0)
    checks.question("test.role", checks.CHOICE, hint="the biggest bar", explanation="secretaries")(
        lambda: "medical_secretaries")
    checks.question("test.roles", checks.CHOICES, hint="two of them", explanation="both")(
        lambda: ["registered_nurses", "radiologists"])
    yield
    for q in ("test.number", "test.role", "test.roles"):
        checks.QUESTIONS.pop(q)


def test_numbers_within_tolerance(demo_questions):
    assert kit.check("test.number", 12.4).correct
    assert kit.check("test.number", "12.4 ").correct
    assert not kit.check("test.number", 13).correct
    assert kit.check("test.number", 13).status == "wrong"
    assert "look at the table" in kit.check("test.number", 13).message


def test_choice_accepts_id_or_title_in_any_case(demo_questions):
    assert kit.check("test.role", "medical_secretaries").correct
    assert kit.check("test.role", "Medical Secretaries and Administrative Assistants").correct
    assert kit.check("test.role", "  medical secretaries AND administrative assistants ").correct
    assert not kit.check("test.role", "receptionists").correct


def test_choices_need_the_whole_set(demo_questions):
    assert kit.check("test.roles", ["Radiologists", "registered_nurses"]).correct
    assert kit.check("test.roles", "radiologists, Registered Nurses").correct
    assert not kit.check("test.roles", ["radiologists"]).correct
    assert not kit.check("test.roles", ["radiologists", "registered_nurses", "pathologists"]).correct


@pytest.mark.parametrize("answer", [None, "", "   ", ...])
def test_unanswered_asks_for_an_answer_with_the_hint(demo_questions, answer):
    feedback = kit.check("test.number", answer)
    assert feedback.status == "unanswered" and "look at the table" in feedback.message


@pytest.mark.parametrize("answer", ["twelve", float("nan"), True, [1, 2], {"a": 1}])
def test_unreadable_answers_explain_without_raising(demo_questions, answer):
    feedback = kit.check("test.number", answer)
    assert feedback.status == "invalid" and "number" in feedback.message


def test_unknown_question_lists_the_known_ones():
    feedback = kit.check("ch99.nope", 1)
    assert feedback.status == "invalid" and "ch00.execution_share" in feedback.message


def test_feedback_renders_as_accessible_html(demo_questions):
    page = kit.check("test.number", "<b>x</b>")._repr_html_()
    assert 'role="status"' in page and "<b>x</b>" not in page


def test_every_registered_question_computes_an_answer_and_accepts_it():
    for q in checks.QUESTIONS.values():
        right = q.answer()
        assert kit.check(q.id, right).correct, q.id
        assert q.hint and q.explanation


def test_chapter_zero_execution_share_is_the_models_number():
    share = kit.simulate().org_by_mode.set_index("mode").share_before["execution"] * 100
    assert kit.check("ch00.execution_share", round(share)).correct
    assert not kit.check("ch00.execution_share", share + 5).correct
