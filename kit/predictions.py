"""Predict, then reveal: the learner commits to what a move in the lab will do before seeing it.

    p = kit.predict("ch02.throughput_trap")    # shows the question and a box for the prediction
    p = kit.predict("ch02.throughput_trap", "rise")  # or lock a prediction in from code
    p.reveal()                                  # after the move: the model's answer and the gap

The questions are data (datasets/predictions.csv): a starting scenario, a move (settings changed
on top of it), what to watch (a role's hours in a mode, or a column of result.roles / result.org)
and the kind of prediction (a direction, or a number). The model's answer is computed from
`kit.simulate` when it is revealed, never stored. The logic is pure functions below; `Prediction`
is the thin front (a plain object); kit.prediction_card holds `kit.predict` and its ipywidgets card.
"""
from __future__ import annotations

import functools
import html
import math
import re
from dataclasses import dataclass

import pandas as pd

from . import data
from .errors import DataError
from .model import MODES, REINVESTMENT_KEYS, Result, Scenario, simulate

PREDICTIONS_FILE = "predictions.csv"
DIRECTION, NUMBER = "direction", "number"
DIRECTIONS = ("rise", "fall", "stay the same")
_DIRECTION_WORDS = {
    "rise": "rise", "rises": "rise", "up": "rise", "go up": "rise", "increase": "rise", "increases": "rise",
    "more": "rise", "higher": "rise", "grow": "rise", "grows": "rise", "+": "rise",
    "fall": "fall", "falls": "fall", "down": "fall", "go down": "fall", "decrease": "fall", "decreases": "fall",
    "less": "fall", "fewer": "fall", "lower": "fall", "drop": "fall", "shrink": "fall", "-": "fall",
    "stay the same": "stay the same", "same": "stay the same", "no change": "stay the same",
    "unchanged": "stay the same", "neither": "stay the same", "stay": "stay the same", "0": "stay the same",
}
COLUMNS = ("question_id", "chapter", "question", "org", "start", "move", "role_id", "measure", "kind", "unit",
           "tolerance", "explanation")
RESULT_COLUMNS = ("automated", "oversight", "freed", "to_presence", "to_capacity", "released", "hours_after",
                  "released_fte", "pajama_after")
ORG_ONLY_COLUMNS = ("oversight_team_fte", "oversight_team_cost")


@dataclass(frozen=True)
class PredictionQuestion:
    """One predict-then-reveal question, as read from datasets/predictions.csv."""

    id: str
    chapter: str
    question: str
    org: str
    start: tuple[tuple[str, object], ...]   # settings on top of Scenario(org=org), in order
    move: tuple[tuple[str, object], ...]    # what the learner changes
    role_id: str | None                     # None: the whole organization
    measure: str                            # "hours.<mode>" or a column of result.roles / result.org
    kind: str                               # DIRECTION or NUMBER
    unit: str
    tolerance: float                        # DIRECTION: a change smaller than this is "stay the same"
    explanation: str                        # NUMBER: "close" if within this share of the answer


@dataclass(frozen=True)
class Answer:
    """The model's answer to a question: the watched value before and after the move."""

    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before

    def direction(self, tolerance: float) -> str:
        return "stay the same" if abs(self.change) <= tolerance else ("rise" if self.change > 0 else "fall")


@dataclass(frozen=True)
class Reveal:
    """The model's answer next to the learner's prediction, and how far apart they are."""

    question_id: str
    prediction: object
    answer: object          # the model's direction, or its number after the move
    gap: float | None       # NUMBER: prediction minus answer
    close: bool             # the right direction, or a number within the question's tolerance
    message: str

    def __repr__(self):
        return self.message

    def _repr_html_(self):
        colour = ("#e6f4ea", "#1e7b34") if self.close else ("#fff4e5", "#8a4b00")
        text = html.escape(self.message).replace("\n", "<br>")
        return (f'<div role="status" style="background:{colour[0]};border-left:4px solid {colour[1]};'
                f'padding:0.5em 0.8em;margin:0.3em 0">{text}</div>')


# --------------------------------------------------------------------------- the question bank

def questions() -> dict[str, PredictionQuestion]:
    """Every question of datasets/predictions.csv, checked (a bad row is a kit.DataError)."""
    return dict(_questions())


@functools.lru_cache(maxsize=1)
def _questions() -> tuple[tuple[str, PredictionQuestion], ...]:
    path = data.datasets_dir() / PREDICTIONS_FILE
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return tuple((q.id, q) for q in read_questions(table, source=PREDICTIONS_FILE))


def read_questions(table: pd.DataFrame, source: str = "predictions") -> list[PredictionQuestion]:
    """Questions from a table with the columns of predictions.csv; every problem is listed."""
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise DataError([f"there is no column {c!r}; the columns are: {', '.join(COLUMNS)}" for c in missing],
                        source=source)
    problems, out, seen = [], [], set()
    for i, row in enumerate(table.itertuples(index=False), start=2):
        where = f"row {i}"
        try:
            q = _question(row)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if q.id in seen:
            problems.append(f"{where}: question_id {q.id!r} appears twice; give each question its own id")
        seen.add(q.id)
        out.append(q)
    if problems:
        raise DataError(problems, source=source)
    return out


def _question(row) -> PredictionQuestion:
    if not re.fullmatch(r"ch\d\d\.[a-z0-9_]+", row.question_id):
        raise ValueError(f"question_id {row.question_id!r} must look like 'ch02.short_name'")
    if row.kind not in (DIRECTION, NUMBER):
        raise ValueError(f"kind {row.kind!r} must be {DIRECTION!r} or {NUMBER!r}")
    if not row.question.strip() or not row.explanation.strip():
        raise ValueError("question and explanation must not be empty")
    try:
        tolerance = float(row.tolerance)
    except ValueError:
        raise ValueError(f"tolerance {row.tolerance!r} is not a number") from None
    if not math.isfinite(tolerance) or tolerance < 0:
        raise ValueError(f"tolerance {row.tolerance!r} must be 0 or more")
    q = PredictionQuestion(row.question_id, row.chapter, row.question.strip(), row.org or "us_workforce",
                           _settings(row.start, "start"), _settings(row.move, "move"), row.role_id or None,
                           row.measure, row.kind, row.unit, tolerance, row.explanation.strip())
    if not q.move:
        raise ValueError("move is empty; say what the learner changes, e.g. automation.clinical_documentation=0.8")
    before = starting_scenario(q)  # raises the model's own message for a bad setting, role or org
    result = simulate(moved_scenario(q, before))
    measure_value(result, q.role_id, q.measure)
    return q


def _settings(text: str, column: str) -> tuple[tuple[str, object], ...]:
    """'preset=cost_cutting; oversight_ratio=0.9' as (("preset", "cost_cutting"), ("oversight_ratio", 0.9))."""
    settings = []
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        key, sep, value = (s.strip() for s in part.partition("="))
        if not sep:
            raise ValueError(f"{column}: {part!r} is not key=value (e.g. automation.coding_billing=0.6)")
        if key == "preset":
            settings.append((key, value))
            continue
        if not (key == "oversight_ratio" or key.startswith("automation.")
                or key in (f"reinvestment.{k}" for k in REINVESTMENT_KEYS)):
            raise ValueError(f"{column}: {key!r} is not a setting; use preset, automation.<family>, "
                             "oversight_ratio or reinvestment.<presence|capacity|released>")
        try:
            settings.append((key, float(value)))
        except ValueError:
            raise ValueError(f"{column}: {key} = {value!r} is not a number") from None
    return tuple(settings)


# --------------------------------------------------------------------------- the model's answer

def apply_settings(scenario: Scenario, settings) -> Scenario:
    """The scenario with settings applied in order (a preset replaces automation, review and
    reinvestment; the organization stays)."""
    for key, value in settings:
        if key == "preset":
            scenario = Scenario.from_preset(value, org=scenario.org)
        elif key == "oversight_ratio":
            scenario = scenario.replace(oversight_ratio=value)
        elif key.startswith("automation."):
            scenario = scenario.replace(automation={**scenario.automation, key.split(".", 1)[1]: value})
        else:
            share = key.split(".", 1)[1]
            scenario = scenario.replace(reinvestment=_rebalanced(dict(scenario.reinvestment), share, value))
    return scenario


def _rebalanced(shares: dict, moved: str, value: float) -> dict:
    """Set one reinvestment share and scale the other two so the three still sum to 1."""
    others = [k for k in REINVESTMENT_KEYS if k != moved]
    rest = sum(shares[k] for k in others)
    out = {moved: value}
    for k in others:
        out[k] = (1 - value) * (shares[k] / rest if rest else 1 / len(others))
    out[others[-1]] = 1 - value - out[others[0]]
    return {k: max(0.0, out[k]) for k in REINVESTMENT_KEYS}


def starting_scenario(q: PredictionQuestion) -> Scenario:
    """Where the question starts: the organization with the question's start settings."""
    return apply_settings(Scenario(org=q.org), q.start)


def moved_scenario(q: PredictionQuestion, start: Scenario | None = None) -> Scenario:
    """The starting scenario after the learner's move."""
    return apply_settings(start or starting_scenario(q), q.move)


def measure_value(result: Result, role_id: str | None, measure: str) -> float:
    """What a question watches in a result: 'hours.<mode>' (a role's hours per person per week in a
    mode, or the organization's), or a column of result.roles (per person) or result.org."""
    if measure.startswith("hours."):
        mode = measure.split(".", 1)[1]
        if mode not in MODES:
            raise ValueError(f"measure {measure!r}: {mode!r} is not a mode ({', '.join(MODES)})")
        if role_id is None:
            return float(result.org_by_mode.set_index("mode").hours_after[mode])
        return float(result.role(role_id).hours_after[mode])
    if role_id is None and measure in RESULT_COLUMNS + ORG_ONLY_COLUMNS:
        return float(result.org[measure])
    if role_id is not None and measure in RESULT_COLUMNS:
        rows = result.roles[result.roles.role_id == role_id]
        if rows.empty:
            raise ValueError(f"role {role_id!r} is not in this organization")
        return float(rows[measure].iloc[0])
    known = ", ".join(("hours.<mode>",) + RESULT_COLUMNS + (() if role_id else ORG_ONLY_COLUMNS))
    raise ValueError(f"measure {measure!r} is not one a question can watch; use one of: {known}")


def model_answer(q: PredictionQuestion) -> Answer:
    """The watched value before and after the move, computed by the model now."""
    start = starting_scenario(q)
    before = measure_value(simulate(start), q.role_id, q.measure)
    after = measure_value(simulate(moved_scenario(q, start)), q.role_id, q.measure)
    return Answer(before, after)


def move_made(q: PredictionQuestion, scenario: Scenario) -> bool:
    """Whether a scenario (e.g. the lab's) has the question's move: every setting the move names is
    at its moved value (a preset: all of the preset's settings)."""
    target = moved_scenario(q)
    for key, _ in q.move:
        if key == "preset":
            if _settings_of(scenario) != _settings_of(target):
                return False
        elif key == "oversight_ratio":
            if not math.isclose(scenario.oversight_ratio, target.oversight_ratio, abs_tol=1e-9):
                return False
        elif key.startswith("automation."):
            family = key.split(".", 1)[1]
            if not math.isclose(scenario.automation_rate(family), target.automation_rate(family), abs_tol=1e-9):
                return False
        elif not math.isclose(scenario.reinvestment[key.split(".", 1)[1]],
                              target.reinvestment[key.split(".", 1)[1]], abs_tol=1e-9):
            return False
    return True


def _settings_of(scenario: Scenario) -> tuple:
    return ({f: r for f, r in scenario.automation.items() if r}, scenario.oversight_ratio, dict(scenario.reinvestment))


# --------------------------------------------------------------------------- the learner's prediction

class Unreadable(ValueError):
    """A prediction the kit cannot read; the message says how to write it."""


def read_prediction(q: PredictionQuestion, given) -> object:
    """The learner's prediction in the question's terms: one of DIRECTIONS, or a finite number."""
    if given is None or given is Ellipsis or (isinstance(given, str) and not given.strip()):
        raise Unreadable("No prediction yet: " + _how(q))
    if q.kind == DIRECTION:
        if isinstance(given, bool) or not isinstance(given, str):
            raise Unreadable(f"{_short(given)} is not a direction; " + _how(q))
        word = _DIRECTION_WORDS.get(re.sub(r"\s+", " ", given.strip().lower().strip(".!")))
        if word is None:
            raise Unreadable(f"{_short(given)} is not a direction; " + _how(q))
        return word
    if isinstance(given, bool):
        raise Unreadable(f"{given!r} is a yes/no value; " + _how(q))
    if isinstance(given, str):
        text = given.strip().replace(",", "").removesuffix("%").strip()
        try:
            given = float(text)
        except ValueError:
            raise Unreadable(f"{_short(given)} is not a number; " + _how(q)) from None
    try:
        value = float(given)
    except (TypeError, ValueError, OverflowError):
        raise Unreadable(f"{_short(given)} is not a number; " + _how(q)) from None
    if not math.isfinite(value):
        raise Unreadable(f"{_short(given)} is not a finite number; " + _how(q))
    return value


def _how(q: PredictionQuestion) -> str:
    if q.kind == DIRECTION:
        return "predict one of " + ", ".join(repr(d) for d in DIRECTIONS) + "."
    return f"predict a number, like 12.5 ({q.unit})."


def reveal(q: PredictionQuestion, prediction, answer: Answer | None = None) -> Reveal:
    """Compare a read prediction with the model's answer (computed now unless given)."""
    answer = answer or model_answer(q)
    if q.kind == DIRECTION:
        right = answer.direction(q.tolerance)
        close = prediction == right
        verdict = "As you predicted" if close else f"Not what you predicted ({prediction})"
        message = (f"{verdict}: the model says it will {right} ({_number(answer.before)} → "
                   f"{_number(answer.after)} {q.unit}, a change of {_signed(answer.change)}).\n{q.explanation}")
        return Reveal(q.id, prediction, right, None, close, message)
    gap = prediction - answer.after
    close = abs(gap) <= q.tolerance * abs(answer.after) + 1e-9
    how_far = ("within" if close else "outside") + f" {100 * q.tolerance:g} % of the model's answer"
    message = (f"The model says {_number(answer.after)} {q.unit} (from {_number(answer.before)} before the move). "
               f"You predicted {_number(prediction)}: "
               + (f"{_number(abs(gap))} {q.unit} {'above' if gap > 0 else 'below'} it" if gap else "exactly it")
               + f", {how_far}.\n{q.explanation}")
    return Reveal(q.id, prediction, answer.after, gap, close, message)


def describe_move(q: PredictionQuestion) -> str:
    """The move in the lab's words, e.g. 'set Documentation automated to 80 %'."""
    families = data.load_task_families().set_index("family")
    labels = {"preset": None, "oversight_ratio": "Review per AI hour",
              **{f"reinvestment.{k}": f"To {k}" for k in REINVESTMENT_KEYS}}
    parts = []
    for key, value in q.move:
        if key == "preset":
            presets = data.load_presets().drop_duplicates("preset_id").set_index("preset_id").label
            parts.append(f"choose the preset {presets.get(value, value)}")
        elif key.startswith("automation."):
            parts.append(f"set {families.slider_label.get(key.split('.', 1)[1], key)} to {100 * value:g} %")
        else:
            parts.append(f"set {labels[key]} to {100 * value:g} %")
    return "; ".join(parts)


def _number(value: float) -> str:
    """A number as the charts show it: whole above 100, else at most two decimals (12.5, 0.42)."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _number(value)


def _short(value, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- the notebook front

class Prediction:
    """A question on screen: lock a prediction in (`lock`), make the move, then `reveal()`.
    What it shows never includes the model's answer before a prediction is locked."""

    def __init__(self, q: PredictionQuestion, lab=None):
        self.question, self.lab = q, lab
        self.prediction = None
        self.result: Reveal | None = None
        self.problem: str | None = None

    def lock(self, given) -> Prediction:
        """Read and keep the learner's prediction (a second lock is refused: no changing your mind)."""
        if self.prediction is not None:
            self.problem = f"Your prediction is locked in ({self.prediction}); make the move and reveal."
            return self
        try:
            self.prediction = read_prediction(self.question, given)
            self.problem = None
        except Unreadable as problem:
            self.problem = str(problem)
            return self
        _record(self.question, "locked", self.prediction)
        return self

    def reveal(self, lab=None):
        """The model's answer and the gap; refused until a prediction is locked (and, with a lab,
        until the lab shows the move)."""
        lab = lab or self.lab
        if self.prediction is None:
            self.problem = "Lock in a prediction first: " + _how(self.question)
            return self
        if lab is not None and not move_made(self.question, lab.scenario):
            self.problem = f"Make the move first: in the lab, {describe_move(self.question)}."
            return self
        self.result = reveal(self.question, self.prediction)
        self.problem = None
        _record(self.question, "revealed", self.prediction, self.result)
        return self.result

    def text(self) -> str:
        q = self.question
        lines = [f"Predict ({q.id}): {q.question}", f"The move: {describe_move(q)}."]
        if self.prediction is None:
            lines.append(f"Your prediction: none yet; {_how(q)}")
        else:
            lines.append(f"Your prediction (locked in): {self.prediction}. Now make the move, then reveal().")
        if self.problem:
            lines.append(self.problem)
        if self.result is not None:
            lines.append(self.result.message)
        return "\n".join(lines)

    def __repr__(self):
        return self.text()

    def _repr_html_(self):
        return ('<div role="group" style="border:1px solid #c8d1dc;border-radius:4px;padding:0.5em 0.8em;'
                'margin:0.3em 0">' + html.escape(self.text()).replace("\n", "<br>") + "</div>")


def _record(q: PredictionQuestion, stage: str, prediction, result: Reveal | None = None) -> None:
    """Write the step to the learner's progress file (kit.progress); a failed save never stops the lesson."""
    from . import progress
    fields = {"stage": stage, "prediction": prediction}
    if result is not None:
        fields |= {"answer": result.answer, "gap": result.gap, "close": result.close}
    progress.record("prediction", q.id, **fields)
