"""Self-check questions for learners.

A chapter asks a question and the learner answers in code:

    my_answer = None   # replace None with your answer
    kit.check("ch00.execution_share", my_answer)

The right answer is *computed* from the kit's data and model when the check runs, so it is never
written in a notebook, cannot be read off by scrolling, and never drifts from the numbers the
learner sees. A check says right or wrong, and gives a hint (wrong) or the reasoning (right).

Questions are registered with `@question(...)` on a function that returns the right answer. This
module is the engine only (it reads nothing above kit.data and kit.model); the chapters' questions
are the bank in kit.questions (chapters 00-06) and kit.premium_checks (chapter 07).
"""
from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import data
from .errors import quoted

NUMBER, CHOICE, CHOICES = "number", "choice", "choices"


@dataclass(frozen=True)
class Question:
    """One self-check: how to compute the right answer, how close is close enough, what to say."""

    id: str
    kind: str                      # NUMBER, CHOICE (one of several) or CHOICES (a set, order ignored)
    answer: Callable[[], object]   # computes the right answer from the kit's data and model
    hint: str                      # shown when the answer is wrong: where to look, not the answer
    explanation: str               # shown when the answer is right: why it is right
    tolerance: float = 0.0         # NUMBER: absolute tolerance
    options: Sequence[str] = field(default_factory=tuple)  # CHOICE/CHOICES: what a learner may say
    unit: str = ""


QUESTIONS: dict[str, Question] = {}


def question(id: str, kind: str, *, hint: str, explanation: str, tolerance: float = 0.0,
             options: Sequence[str] = (), unit: str = "") -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register the decorated function as the computation of a question's right answer."""
    def register(answer: Callable[[], object]):
        if id in QUESTIONS:
            raise ValueError(f"question {id!r} is registered twice")
        QUESTIONS[id] = Question(id, kind, answer, hint, explanation, tolerance, tuple(options), unit)
        return answer
    return register


@dataclass(frozen=True)
class Feedback:
    """What `check` returns; it shows itself as a short, coloured message in a notebook."""

    question_id: str
    status: str   # "right", "wrong", "unanswered" or "invalid"
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "right"

    def __repr__(self):
        return self.message

    def _repr_html_(self):
        colours = {"right": ("#e6f4ea", "#1e7b34", "✔"), "wrong": ("#fdecea", "#a61b1b", "✘"),
                   "unanswered": ("#eef3fb", "#1d4e89", "✎"), "invalid": ("#fff4e5", "#8a4b00", "!")}
        background, border, icon = colours[self.status]
        text = html.escape(self.message).replace("\n", "<br>")
        # The text colour is set with the background: a dark theme's light text on this light box fails
        # contrast. #1f1f1f is 14:1 or more on every one of these backgrounds.
        return (f'<div role="status" style="background:{background};color:#1f1f1f;border-left:4px solid {border};'
                f'padding:0.5em 0.8em;margin:0.3em 0"><span aria-hidden="true">{icon}</span> {text}</div>')


def check(question_id: str, answer: object) -> Feedback:
    """Check a learner's answer to a registered question; never raises for a bad answer."""
    q = QUESTIONS.get(question_id) if isinstance(question_id, str) else None
    if q is None:
        known = ", ".join(sorted(QUESTIONS))
        shown = quoted(question_id)
        return Feedback(shown, "invalid", f"There is no question {shown}. Check the spelling; "
                                          f"the questions are: {known}.")
    if answer is None or (isinstance(answer, str) and not answer.strip()) or answer is Ellipsis:
        return Feedback(q.id, "unanswered", f"No answer yet: replace None with your answer and run the cell "
                                            f"again.\nHint: {q.hint}")
    try:
        right = _matches(q, answer, q.answer())
    except _Unreadable as problem:
        return Feedback(q.id, "invalid", f"{problem}\nHint: {q.hint}")
    except Exception:  # an object that cannot even be shown or compared: still an answer, never a crash
        return Feedback(q.id, "invalid", f"This answer (a {type(answer).__name__}) cannot be read; answer with "
                                         f"a number or a word in quotes.\nHint: {q.hint}")
    if right:
        return Feedback(q.id, "right", f"Right. {q.explanation}")
    return Feedback(q.id, "wrong", f"Not yet. {q.hint}")


class _Unreadable(ValueError):
    pass


def _matches(q: Question, given, right) -> bool:
    if q.kind == NUMBER:
        value = _number(given, q.unit)
        return abs(value - float(right)) <= q.tolerance + 1e-12
    if q.kind == CHOICE:
        said = _normal(_one(given))
        if q.options and said not in {_normal(o) for o in q.options}:
            raise _Unreadable(f"{quoted(given)} is not one of this question's answers; answer with one of: "
                              f"{', '.join(map(repr, q.options))}.")
        return said in {_normal(a) for a in _aliases(right)}
    if q.kind == CHOICES:
        names = [{_normal(a) for a in _aliases(r)} for r in right]
        given_set = {_normal(g) for g in _many(given)}
        return (len(given_set) == len(names) and all(names_of & given_set for names_of in names)
                and all(any(g in names_of for names_of in names) for g in given_set))
    raise ValueError(f"unknown question kind {q.kind!r}")


def _number(given, unit: str) -> float:
    if isinstance(given, bool):
        raise _Unreadable(f"{quoted(given)} is a yes/no value; this question wants a number{_in(unit)}.")
    if isinstance(given, str):
        text = given.strip().replace(",", "").rstrip("%").strip()
        try:
            given = float(text)
        except ValueError:
            raise _Unreadable(f"{quoted(given)} is not a number; write it like 12.5{_in(unit)}.") from None
    try:
        value = float(given)
    except (TypeError, ValueError, OverflowError):
        raise _Unreadable(f"{quoted(given)} is not a number; write it like 12.5{_in(unit)}.") from None
    if not math.isfinite(value):
        raise _Unreadable(f"{quoted(given)} is not a finite number.")
    return value


def _in(unit: str) -> str:
    return f" (in {unit})" if unit else ""


def _one(given) -> str:
    if isinstance(given, (list, tuple, set)):
        raise _Unreadable("This question wants one answer, not a list; pick one.")
    return str(given)


def _many(given) -> list[str]:
    if isinstance(given, str):
        return [p for p in re.split(r"[,;\n]", given) if p.strip()]
    if isinstance(given, (list, tuple, set)):
        return [str(g) for g in given]
    raise _Unreadable("This question wants a list of answers, like [\"a\", \"b\"].")


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def _aliases(right) -> list[str]:
    """A role may be named by its id or its title; anything else only by itself."""
    roles = data.load_roles().set_index("role_id").title
    if right in roles.index:
        return [right, roles[right]]
    return [str(right)]
