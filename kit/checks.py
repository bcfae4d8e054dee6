"""Self-check questions for learners.

A chapter asks a question and the learner answers in code:

    my_answer = None   # replace None with your answer
    kit.check("ch00.execution_share", my_answer)

The right answer is *computed* from the kit's data and model when the check runs, so it is never
written in a notebook, cannot be read off by scrolling, and never drifts from the numbers the
learner sees. A check says right or wrong, and gives a hint (wrong) or the reasoning (right).

Questions are registered with `@question(...)` on a function that returns the right answer; the
chapters' questions are grouped below by chapter.
"""
from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import data, model

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
             options: Sequence[str] = (), unit: str = ""):
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
        return (f'<div role="status" style="background:{background};border-left:4px solid {border};'
                f'padding:0.5em 0.8em;margin:0.3em 0"><span aria-hidden="true">{icon}</span> {text}</div>')


def check(question_id: str, answer) -> Feedback:
    """Check a learner's answer to a registered question; never raises for a bad answer."""
    q = QUESTIONS.get(question_id)
    if q is None:
        known = ", ".join(sorted(QUESTIONS))
        return Feedback(question_id, "invalid", f"There is no question {question_id!r}. Check the spelling; "
                                                f"the questions are: {known}.")
    if answer is None or (isinstance(answer, str) and not answer.strip()) or answer is Ellipsis:
        return Feedback(q.id, "unanswered", f"No answer yet: replace None with your answer and run the cell "
                                            f"again.\nHint: {q.hint}")
    try:
        right = _matches(q, answer, q.answer())
    except _Unreadable as problem:
        return Feedback(q.id, "invalid", f"{problem}\nHint: {q.hint}")
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
            raise _Unreadable(f"{given!r} is not one of this question's answers; answer with one of: "
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
        raise _Unreadable(f"{given!r} is a yes/no value; this question wants a number{_in(unit)}.")
    if isinstance(given, str):
        text = given.strip().replace(",", "").rstrip("%").strip()
        try:
            given = float(text)
        except ValueError:
            raise _Unreadable(f"{given!r} is not a number; write it like 12.5{_in(unit)}.") from None
    try:
        value = float(given)
    except (TypeError, ValueError):
        raise _Unreadable(f"{given!r} is not a number; write it like 12.5{_in(unit)}.") from None
    if not math.isfinite(value):
        raise _Unreadable(f"{given!r} is not a finite number.")
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


# --------------------------------------------------------------------------- chapter 00

@question("ch00.execution_share", NUMBER, tolerance=1.0, unit="percent",
          hint="With the slider at 0, the chart's title says what share of paid hours is execution work "
               "today; the orange part of the bars shows it too. Answer in percent (0.25 is 25).",
          explanation="Before any automation, execution work (routine information work) takes this share of "
                      "all paid hours of the US roles in the kit.")
def _execution_share_today():
    r = model.simulate(model.Scenario())
    return 100 * r.org_by_mode.set_index("mode").share_before["execution"]


@question("ch00.execution_share_full_scribes", NUMBER, tolerance=1.0, unit="percent",
          hint="Drag the documentation slider all the way to 100 and read the chart's title (or the % label on "
               "the orange part of the After bar). Answer in percent.",
          explanation="Even with every AI-exposed piece of documentation done by AI, most execution work stays: "
                      "documentation is only one of the execution families, and only part of it is exposed.")
def _execution_share_full_scribes():
    r = model.simulate(model.Scenario(automation={"clinical_documentation": 1.0}))
    return 100 * r.org_by_mode.set_index("mode").share_after["execution"]


@question("ch00.oversight_mode", CHOICE, options=model.MODES,
          hint="Reviewing and signing off what an AI tool wrote: is that routine information work, judging and "
               "supervising work, or physical and relational work? Look at the table of key terms.",
          explanation="Checking AI output is curation: a person judges and corrects work someone (or something) "
                      "else produced. Automation creates this work; it does not come for free.")
def _oversight_mode():
    families = data.load_task_families().set_index("family")
    return families.loc[model.OVERSIGHT_FAMILY, "mode"]


# --------------------------------------------------------------------------- chapter 01

@question("ch01.rn_exposed_share", NUMBER, tolerance=1.0, unit="percent",
          hint="The title of the Registered Nurses' task chart says how much of their week is exposed to AI. "
               "Answer in percent.",
          explanation="A role's exposure is the time-weighted average of its tasks' exposure: each task's weight "
                      "times its label (E1 = 1, E2 = 0.5, E0 = 0), added up over the role's tasks.")
def _rn_exposed_share():
    return 100 * data.load_roles().set_index("role_id").exposure["registered_nurses"]


@question("ch01.labels_agree", NUMBER, tolerance=0.0, unit="tasks",
          hint="In the cross-table of human (rows) and GPT-4 (columns) labels, the tasks on which both agree sit "
               "where the row and the column have the same label: add up those three cells.",
          explanation="On the rest, about two tasks in five, the two raters disagree, and most disagreements "
                      "are GPT-4 rating a task as more exposed than the human raters did.")
def _labels_agree():
    tasks = data.load_tasks()
    return int((tasks.exposure_label == tasks.exposure_gpt4_label).sum())


@question("ch01.billing_top_task_human_label", CHOICE, options=("E0", "E1", "E2"),
          hint="In the table of billing clerks' tasks (sorted by weight), read the exposure_label of the first "
               "row: that is the human raters' label.",
          explanation="The human raters saw operating billing machines as work a language model cannot do; GPT-4 "
                      "rated the same task as directly exposed. On the role's heaviest task, that disagreement "
                      "moves the whole role.")
def _billing_top_task_human_label():
    tasks = data.load_tasks()
    return tasks[tasks.role_id == "billing_clerks"].nlargest(1, "weight").exposure_label.iloc[0]


# --------------------------------------------------------------------------- chapter 02

@question("ch02.cost_cutting_released_fte", NUMBER, tolerance=1000.0, unit="FTE",
          hint="In the slider lab, choose the preset Cost-cutting (organization: US healthcare workforce) and read "
               "the line under the organization chart that starts with 'Released:'. Answer in FTE, e.g. 123456.",
          explanation="Cost-cutting releases most freed hours as fewer paid hours; an FTE here is 40 paid hours a "
                      "week (assumption A01), not necessarily one person.")
def _cost_cutting_released_fte():
    return model.simulate(model.Scenario.from_preset("cost_cutting")).org["released_fte"]


@question("ch02.empathy_first_presence_share", NUMBER, tolerance=0.5, unit="percent",
          hint="In the slider lab, choose the preset Empathy-first and read the title of the organization chart: "
               "presence goes from today's share to what? Answer in percent.",
          explanation="Empathy-first automates exactly what Cost-cutting does (assumption A15) but sends most freed "
                      "hours to presence (A16): the same technology, a different decision.")
def _empathy_first_presence_share():
    r = model.simulate(model.Scenario.from_preset("empathy_first"))
    return 100 * r.org_by_mode.set_index("mode").share_after["presence"]


@question("ch02.trap_without_capacity", NUMBER, tolerance=0.05, unit="hours per week",
          hint="In the slider lab press Reset, set 'Decision support' to 50 and move 'To presence' to 100 "
               "(the other two go to 0). Pick Registered Nurses in the Role menu and read the summary line at "
               "the top. Answer in hours per week.",
          explanation="With no freed time going to more patients, automating decisions cannot add execution work: "
                      "the throughput trap needs capacity, that is, more patients who bring their paperwork along.")
def _trap_without_capacity():
    scenario = model.Scenario(automation={"clinical_judgement": 0.5},
                              reinvestment={"presence": 1.0, "capacity": 0.0, "released": 0.0})
    by_role = model.simulate(scenario).by_role
    row = by_role[(by_role.role_id == "registered_nurses") & (by_role["mode"] == "execution")]
    return float(row.hours_change.iloc[0])


# --------------------------------------------------------------------------- chapter 03

@question("ch03.lowest_moat", CHOICE,
          hint="On the moat map, the lowest dot has the thinnest moat; hover over it (after running the cell) or "
               "find the smallest moat_score in the table. Answer with the role's title or id.",
          explanation="Its relational and physical halves are both low: O*NET rates its work as neither caring "
                      "nor hands-on, and most of its week is exposed billing work.")
def _lowest_moat():
    roles = data.load_roles()
    return roles.loc[roles.moat_score.idxmin(), "role_id"]


@question("ch03.surgeon_minus_radiologist_physical", NUMBER, tolerance=0.01, unit="points of the 0-1 score",
          hint="In the table of five roles, subtract the radiologists' physical_score from the orthopedic "
               "surgeons' physical_score.",
          explanation="The physical half separates the two clearly, yet their moat scores are almost equal: the "
                      "score takes the larger half, and the radiologists' relational half is as high as the "
                      "surgeons'.")
def _surgeon_minus_radiologist_physical():
    physical = data.load_roles().set_index("role_id").physical_score
    return physical["orthopedic_surgeons"] - physical["radiologists"]


@question("ch03.counselors_if_averaged", CHOICE, options=("above", "below"),
          hint="Average each role's relational_score and physical_score, (relational + physical) / 2, for Mental "
               "Health Counselors and for Receptionists, and compare. Answer \"above\" or \"below\".",
          explanation="Averaging punishes roles strong in one half only: talk therapy needs no hands, so "
                      "counselors would fall below receptionists. That is why A06 takes the larger half; whether "
                      "that is fair is yours to argue.")
def _counselors_if_averaged():
    roles = data.load_roles().set_index("role_id")
    average = (roles.relational_score + roles.physical_score) / 2
    return "above" if average["mental_health_counselors"] > average["receptionists"] else "below"


# --------------------------------------------------------------------------- chapter 04
# Answers use kit.lessons (imported inside each function: lessons imports this module).

@question("ch04.billing_oversight_hours", NUMBER, tolerance=0.1, unit="hours per week",
          hint="In the family table, change the role to \"billing_clerks\" (keep the preset admin_automation) "
               "and read hours_after on the AI oversight row.",
          explanation="Billing clerks' coding, billing and insurance work is largely automated in this preset, "
                      "and with an oversight ratio of 0.5 half of every automated hour comes back to them as review: "
                      "a growing part of their week is checking what the AI did.")
def _billing_oversight_hours():
    from . import lessons
    week = lessons.family_hours(model.simulate(model.Scenario.from_preset("admin_automation")), "billing_clerks")
    return float(week.set_index("family").hours_after["ai_oversight"])


@question("ch04.hospital_team_fte", NUMBER, tolerance=0.5, unit="FTE",
          hint="Run the preset admin_automation with org=\"community_hospital\" and read oversight_team_fte "
               "in result.org.",
          explanation="In a 1,000-person hospital, pooling every role's review hours into 40-hour jobs gives a team "
                      "of this size (assumption A11). It is work the automation creates, not work it removes.")
def _hospital_team_fte():
    result = model.simulate(model.Scenario.from_preset("admin_automation", org="community_hospital"))
    return float(result.org["oversight_team_fte"])


@question("ch04.admin_not_remote", CHOICE,
          hint="The kit has four administrative roles (see kit.load_roles(), group 'Administrative'); "
               "the remote-capable table lists only some of them. Which one is missing?",
          explanation="Receptionists work with the public in person (an O*NET work activity rated very important), "
                      "so the Dingel & Neiman rule of assumption A07 marks them as not remote-capable: their "
                      "curation work stays at the front desk.")
def _admin_not_remote():
    roles = data.load_roles()
    missing = roles[(roles.group == "Administrative") & ~roles.remote_capable].role_id
    return missing.iloc[0]


@question("ch04.half_fix_ratio", NUMBER, tolerance=0.01, unit="hours of review per automated hour",
          hint="Run lessons.coding_accuracy_whatif(fix_time=0.5) and read oversight_ratio on the ICD-10-CM row "
               "of Soroush et al.; or compute check_time + (1 - accuracy) x fix_time by hand.",
          explanation="Even if fixing a wrong code took only half the time of coding it by hand, a 33.9% exact-match "
                      "rate leaves an oversight ratio above 0.5: review would still take back more than half of "
                      "every automated hour.")
def _half_fix_ratio():
    from . import lessons
    table = lessons.coding_accuracy_whatif(fix_time=0.5)
    row = table[table.study.str.startswith("Soroush") & (table.code_set == "ICD-10-CM")]
    return float(row.oversight_ratio.iloc[0])


# --------------------------------------------------------------------------- chapter 05

@question("ch05.hospital_released_fte", NUMBER, tolerance=0.5, unit="FTE",
          hint="In the ledger cell, change org=\"primary_care_group\" to org=\"community_hospital\" (keep the preset "
               "cost_cutting) and read the fte column on the released row.",
          explanation="Cost-cutting releases most freed hours as fewer paid hours. In the 1,000-person hospital "
                      "that is this many full-time jobs' worth of paid time (40-hour weeks, assumption A01).")
def _hospital_released_fte():
    from . import lessons
    result = model.simulate(model.Scenario.from_preset("cost_cutting", org="community_hospital"))
    return float(lessons.reinvestment_ledger(result).set_index("use").fte["released"])


@question("ch05.pilot_trial_ratio", NUMBER, tolerance=0.1, unit="times",
          hint="In the pilot-versus-trial table, divide the freed hours of the pilot row by those of the trial row.",
          explanation="The pilot reports imply about four times the saving the randomized trial measured. Both presets "
                      "are calibrated to published figures; which one goes into a budget changes the answer by that "
                      "factor.")
def _pilot_trial_ratio():
    freed = [model.simulate(model.Scenario.from_preset(p)).org["freed"] for p in ("scribes_pilot", "scribes_trial")]
    return float(freed[0] / freed[1])


@question("ch05.trial_pajama_cut", NUMBER, tolerance=0.05, unit="hours per week",
          hint="In the pajama-time cell, change the preset to \"scribes_trial\" and read the family physicians' "
               "row: pajama time before minus after.",
          explanation="The trial-calibrated preset trims less than an hour of after-hours charting a week, "
                      "the same order as the 0.90 h/week Olson et al. (2025) measured, and far below what the pilot reports "
                      "suggest.")
def _trial_pajama_cut():
    roles = model.simulate(model.Scenario.from_preset("scribes_trial")).roles.set_index("role_id")
    return float(roles.pajama_before["family_medicine_physicians"] - roles.pajama_after["family_medicine_physicians"])


@question("ch05.unpaid_presence_value", NUMBER, tolerance=500, unit="US dollars per year",
          hint="Run the ledger for the preset empathy_first with org=\"community_hospital\" and read "
               "wage_value_per_year on the presence row.",
          explanation="Under premise P1 (fee-for-service) these paid hours of presence bring in no extra billing: "
                      "the hospital pays for them out of what automation saved. Under value-based care (premise P2) "
                      "they are an investment whose return depends on outcomes the kit cannot measure.")
def _unpaid_presence_value():
    from . import lessons
    result = model.simulate(model.Scenario.from_preset("empathy_first", org="community_hospital"))
    return float(lessons.reinvestment_ledger(result).set_index("use").wage_value_per_year["presence"])


# --------------------------------------------------------------------------- chapter 06

def _example_result(preset: str) -> model.Result:
    from pathlib import Path

    from . import organization, organization_file
    org = organization_file.read_organization(data.datasets_dir() / Path(organization.EXAMPLE).name)
    return model.simulate(model.Scenario.from_preset(preset, org=org))


@question("ch06.most_hours_per_person", CHOICE,
          hint="With the preset cost_cutting, look at the released column of result.roles (hours per person per "
               "week, not FTE): which role's people each give up the most paid hours?",
          explanation="Per person, the role with the most exposed routine office work loses the most paid hours; "
                      "compare it with the role that releases the most FTE in total, where headcount decides.")
def _most_hours_per_person():
    roles = _example_result("cost_cutting").roles
    return roles.loc[roles.released.idxmax(), "role_id"]


@question("ch06.example_released_fte", NUMBER, tolerance=0.1, unit="FTE",
          hint="Set the preset to \"cost_cutting\" in the scenario cell, run the cells below it, and read "
               "released_fte in result.org.",
          explanation="Cost-cutting turns most freed hours into fewer paid hours; in a 46-person practice that is "
                      "a few full-time jobs' worth, spread over many people as shorter weeks or unfilled vacancies.")
def _example_released_fte():
    return float(_example_result("cost_cutting").org["released_fte"])


@question("ch06.example_most_released", CHOICE,
          hint="With the preset cost_cutting, look at the released_fte column of result.roles (or the role chart): "
               "which role gives up the most paid time in total?",
          explanation="The most FTE come from the role with many people and much exposed routine work, not "
                      "necessarily the role whose week shifts most per person.")
def _example_most_released():
    roles = _example_result("cost_cutting").roles
    return roles.loc[roles.released_fte.idxmax(), "role_id"]
