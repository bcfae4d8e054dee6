"""kit.checks: answers are computed, feedback is right/wrong with a hint, bad answers never raise."""
import re
from pathlib import Path

import nbformat
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


@pytest.mark.parametrize("status", ["right", "wrong", "unanswered", "invalid"])
def test_feedback_sets_its_text_colour_with_its_background(status):
    """In a dark theme the inherited text is light: on a light box it would fail contrast (axe)."""
    style = re.search(r'style="([^"]*)"', checks.Feedback("q", status, "m")._repr_html_())[1]
    rules = dict(rule.split(":", 1) for rule in style.split(";"))
    assert "background" in rules and rules["color"] == "#1f1f1f"


def test_every_registered_question_computes_an_answer_and_accepts_it():
    for q in checks.QUESTIONS.values():
        right = q.answer()
        assert kit.check(q.id, right).correct, q.id
        assert q.hint and q.explanation


def test_chapter_zero_execution_share_is_the_models_number():
    share = kit.simulate().org_by_mode.set_index("mode").share_before["execution"] * 100
    assert kit.check("ch00.execution_share", round(share)).correct
    assert not kit.check("ch00.execution_share", share + 5).correct


def _dashboard_control_names():
    """Every labelled control of the slider lab and every menu entry, as a learner sees them on screen."""
    names, todo = set(), [kit.explore()]
    while todo:
        widget = todo.pop()
        if getattr(widget, "description", ""):
            names.add(widget.description)
        names.update(getattr(widget, "_options_labels", ()))
        todo.extend(getattr(widget, "children", ()) or ())
    return names


def test_hints_name_controls_exactly_as_the_dashboard_labels_them():
    """A hint that says "set 'X' to 50" must name a control the learner can find."""
    controls = _dashboard_control_names()
    quoted = {name for q in checks.QUESTIONS.values()
              for name in re.findall(r"(?:set|move|choose|press) '([^']+)'", q.hint)}
    assert quoted, "no hint names a control: the pattern no longer matches the hints' wording"
    assert quoted <= controls, f"hints name controls the dashboard does not have: {quoted - controls}"


def test_chapters_name_controls_exactly_as_the_dashboard_labels_them():
    """ "set *X*", "move *X*" or "push *X*" in a chapter's text must name a control or menu entry of the lab."""
    controls = _dashboard_control_names()
    named = {}
    for path in sorted(Path(kit.__file__).parents[1].joinpath("notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                for name in re.findall(r"(?:[Ss]et|[Mm]ove|[Pp]ush) \*([^*]+)\*", cell.source):
                    named.setdefault(name, path.name)
    assert len(named) >= 5, named
    assert set(named) <= controls, {name: where for name, where in named.items() if name not in controls}


def test_a_choice_outside_the_questions_options_says_which_answers_it_takes():
    feedback = kit.check("ch01.billing_top_task_human_label", "E 3")
    assert feedback.status == "invalid"
    assert "answer with one of: 'E0', 'E1', 'E2'" in feedback.message and "Hint:" in feedback.message
    assert kit.check("ch03.counselors_if_averaged", "ABOVE").status in ("right", "wrong")
    assert kit.check("ch00.oversight_mode", "Curation").status == "right"
