"""`kit.quiz` and its ipywidgets form: five boxes and Submit (the logic is in kit.quizzes)."""
from __future__ import annotations

import html

import ipywidgets as w

from . import progress
from . import quizzes as quiz_
from .predictions import DIRECTION, DIRECTIONS


def quiz(stage: str = "pre", answers: dict | None = None):
    """The quiz form (or, with `answers`, the scored quiz, recorded in the progress file)."""
    if stage not in quiz_.STAGES:
        return progress._Said(f"kit.quiz: {stage!r} is not a stage; use kit.quiz(\"pre\") at the start and "
                              "kit.quiz(\"post\") at the end")
    if answers is not None:
        return quiz_.submit(stage, answers)
    return QuizForm(stage)


class QuizForm(w.VBox):
    """One box per question, Submit once; the result replaces the Submit button."""

    def __init__(self, stage: str):
        self.stage = stage
        self.boxes = {}
        rows = [w.HTML(f"<b>{html.escape(stage.capitalize())} quiz.</b> Five predictions; answer each before "
                       "you look anything up.")]
        for number, q in enumerate(quiz_.quiz_questions(), start=1):
            if q.kind == DIRECTION:
                box = w.ToggleButtons(options=list(DIRECTIONS), value=None)
            else:
                box = w.Text(placeholder=f"a number ({q.unit})")
            self.boxes[q.id] = box
            rows += [w.HTML(f"<b>{number}.</b> {html.escape(q.question)}"), box]
        self.submit_button = w.Button(description="Submit", button_style="primary")
        self.status = w.HTML()
        self.submit_button.on_click(lambda _: self.submit())
        super().__init__(rows + [self.submit_button, self.status])

    def submit(self) -> quiz_.QuizResult:
        """Score and record the answers in the boxes (what the Submit button does)."""
        result = quiz_.submit(self.stage, {qid: box.value for qid, box in self.boxes.items()})
        for box in self.boxes.values():
            box.disabled = True
        self.submit_button.disabled = True
        self.status.value = result._repr_html_()
        return result
