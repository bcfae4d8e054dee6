"""`kit.predict` and its ipywidgets card: a thin front over `kit.predictions` (all logic is there)."""
from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as w

from .predictions import DIRECTION, DIRECTIONS, Prediction, describe_move, questions


def predict(question_id: str, prediction=None, *, lab=None):
    """Show a predict-then-reveal question. With `prediction` (e.g. "rise" or 120), it is locked in
    at once and a `Prediction` is returned; without, an interactive card to type it into. Pass the
    slider lab as `lab` to reveal only once the lab shows the move."""
    bank = questions()
    if question_id not in bank:
        return _Unknown(question_id, sorted(bank))
    card = Prediction(bank[question_id], lab)
    if prediction is not None:
        return card.lock(prediction)
    return PredictionCard(card)


@dataclass(frozen=True)
class _Unknown:
    question_id: str
    known: list

    def __repr__(self):
        return (f"There is no prediction question {self.question_id!r}. Check the spelling; the questions are: "
                f"{', '.join(self.known)}.")

    def _repr_html_(self):
        return f'<div role="status">{html.escape(repr(self))}</div>'


class PredictionCard(w.VBox):
    """The question, a box for the prediction, Lock in, then Reveal (enabled only once locked in)."""

    def __init__(self, card: Prediction):
        self.card = card
        q = card.question
        heading = w.HTML(f"<b>Predict, then reveal.</b> {html.escape(q.question)}<br>"
                         f"<i>The move:</i> {html.escape(describe_move(q))}.")
        if q.kind == DIRECTION:
            self.answer_box = w.ToggleButtons(options=list(DIRECTIONS), value=None,
                                              description="I predict", style={"description_width": "70px"})
        else:
            self.answer_box = w.Text(placeholder=f"a number ({q.unit})", description="I predict",
                                     style={"description_width": "70px"})
        self.lock_button = w.Button(description="Lock in my prediction", button_style="primary",
                                    tooltip="Commit before you look: it cannot be changed afterwards")
        self.reveal_button = w.Button(description="Reveal the model's answer", disabled=True,
                                      tooltip="After you have made the move in the lab")
        self.status = w.HTML()
        self.lock_button.on_click(lambda _: self.lock(self.answer_box.value))
        self.reveal_button.on_click(lambda _: self.reveal())
        super().__init__([heading, self.answer_box, w.HBox([self.lock_button, self.reveal_button]), self.status])

    def lock(self, given) -> None:
        """Lock a prediction in (what the button does)."""
        self.card.lock(given)
        if self.card.problem and self.card.prediction is None:
            self._say(self.card.problem, "#8a4b00")
            return
        self.answer_box.disabled = self.lock_button.disabled = True
        self.reveal_button.disabled = False
        self._say(f"Locked in: {self.card.prediction}. Now make the move — "
                  f"{describe_move(self.card.question)} — and press Reveal.", "#1d4e89")

    def reveal(self) -> None:
        """Show the model's answer and the gap (what the Reveal button does)."""
        result = self.card.reveal()
        if self.card.result is None:
            self._say(self.card.problem or "", "#8a4b00")
            return
        self.reveal_button.disabled = True
        self.status.value = result._repr_html_()

    def _say(self, text: str, colour: str) -> None:
        self.status.value = (f'<div role="status" style="border-left:4px solid {colour};padding:0.3em 0.6em">'
                             f"{html.escape(text)}</div>")

    def __repr__(self):
        return self.card.text()
