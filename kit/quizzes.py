"""A five-question pre/post quiz a facilitator runs at the start and the end of a session.

    kit.quiz("pre")                       # a form: five predictions, Submit (no answers shown)
    kit.quiz("post")                      # the same five at the end; the answers are shown after Submit
    kit.quiz("pre", {"ch02.throughput_trap": "rise", ...})   # the same from code

The questions are predict-then-reveal questions (datasets/predictions.csv), so every right answer
is computed by the model when the quiz is scored. Each answer goes to the progress file, and
`python -m kit.classroom collect` reports the class's gain from pre to post.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from . import predictions, progress

QUIZ = ("ch02.rn_curation_documentation", "ch02.throughput_trap", "ch02.review_paid_hours",
        "ch04.heavy_review_freed", "ch05.primary_care_released_fte")
STAGES = ("pre", "post")


@dataclass(frozen=True)
class QuizResult:
    """A scored quiz: per question the read answer (None if unreadable or missing) and whether it
    was close to the model's answer; the model's answers are shown only after the post quiz."""

    stage: str
    rows: tuple[tuple[str, object, bool, str], ...]  # (question id, answer, close, what the kit says)

    @property
    def score(self) -> int:
        return sum(close for _, _, close, _ in self.rows)

    def text(self) -> str:
        lines = [f"{self.stage} quiz: {self.score} of {len(self.rows)} close to the model's answer."]
        if self.stage == "pre":
            lines[0] = (f"Pre quiz saved: {sum(a is not None for _, a, _, _ in self.rows)} of {len(self.rows)} "
                        "answered. The answers come at the end of the session, after the post quiz.")
        lines += [f"- {qid}: {said}" for qid, _, _, said in self.rows]
        return "\n".join(lines)

    def __repr__(self):
        return self.text()

    def _repr_html_(self):
        return f'<div role="status">{html.escape(self.text()).replace(chr(10), "<br>")}</div>'


def quiz_questions() -> list[predictions.PredictionQuestion]:
    """The quiz's five questions, in order."""
    bank = predictions.questions()
    return [bank[qid] for qid in QUIZ]


def score_quiz(stage: str, answers: dict) -> QuizResult:
    """Score answers {question id: prediction} against the model (pure; nothing is recorded)."""
    if stage not in STAGES:
        raise ValueError(f"stage {stage!r} must be 'pre' or 'post'")
    rows = []
    for q in quiz_questions():
        try:
            answer = predictions.read_prediction(q, answers.get(q.id))
        except predictions.Unreadable as problem:
            rows.append((q.id, None, False, str(problem)))
            continue
        result = predictions.reveal(q, answer)
        said = (f"answered {answer}" if stage == "pre"
                else f"you said {answer}; " + result.message.split("\n")[0])
        rows.append((q.id, answer, result.close, said))
    return QuizResult(stage, tuple(rows))


def submit(stage: str, answers: dict) -> QuizResult:
    """Score the answers and record each in the progress file (kind 'quiz', stage pre or post)."""
    if not isinstance(answers, dict):
        answers = {}
    result = score_quiz(stage, answers)
    for qid, answer, close, _ in result.rows:
        progress.record("quiz", qid, stage=stage, prediction=answer, close=close)
    return result
