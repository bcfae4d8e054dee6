"""Small helpers for chapters 04-06 and the facilitator guide: pure functions over the kit's data and
model, so that the notebooks stay one-line calls and every number they show is computed here.

- Chapter 04: `family_hours` (a role's week by task family), `oversight_sweep` and `oversight_chart`
  (what the oversight ratio does to freed time), `remote_roles` and `oversight_wages` (who could
  staff a remote oversight team and what BLS says they earn), `coding_accuracy_whatif` (published
  coding accuracy turned into an oversight ratio: reasoning, not measurement).
- Chapter 05: `reinvestment_ledger` (where freed hours go, valued at BLS median wages: premise P3
  of the chapter's fee-for-service vs value-based-care argument).
- Chapter 05 also: `compare` (organization totals of several scenarios side by side).
- Chapter 06: `check_organization` (a learner's table read, with every problem listed kindly),
  `organization_table` (what the kit read), `copy_template` (a copy of the blank template to fill
  in) and `role_summary` (per-role totals).
- Facilitator guide: `answer_key` (every self-check's right answer, computed when it runs, with the
  code that computes it), `chapter_times` (each chapter's minutes, read from the chapters) and
  `run_of_show` (a 60- or 90-minute session plan with clock times that always add up).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from . import checks, data, model, organization, organization_file
from .charts.oversight import oversight_chart  # noqa: F401  (moved to kit.charts; chapter 04 calls it from here)
from .errors import DataError

HOURS_PER_YEAR = 2080  # 40 h x 52 weeks: how BLS OEWS turns hourly into annual wages (assumption A01)

# --------------------------------------------------------------------------- chapter 04

CODER_ROLES = ["medical_records_specialists", "billing_clerks", "medical_secretaries", "receptionists"]
AUDIT_FAMILIES = ("data_stewardship", "ai_oversight")

# Assumptions A19 and A20 (datasets/assumptions.csv): the two costs of reviewing AI-proposed codes.
CHECK_TIME = 0.2   # hours to check an AI-proposed code that is right, per hour of coding it by hand (A19)
FIX_TIME = 1.0     # hours to correct a wrong code, per hour of coding it by hand (A20)

ACCURACY_COLUMNS = ["study", "task", "code_set", "accuracy"]


def published_coding_accuracy() -> pd.DataFrame:
    """Published accuracy of GPT-4 on medical coding, as shares of codes (datasets/coding_accuracy.csv,
    where each figure's source is): exact matches when asked for the code of a code description
    (Soroush et al., NEJM AI 2024), and agreement with a human coder on 50 inpatient notes (Simmons
    et al., Appl Clin Inform 2025; the category-level figure is from the study's 2024 preprint)."""
    return data.load_coding_accuracy()[ACCURACY_COLUMNS]


def __getattr__(name: str):
    if name == "PUBLISHED_CODING_ACCURACY":  # its old name: a table in code until it became a dataset
        return published_coding_accuracy()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def family_hours(result: model.Result, role_id: str) -> pd.DataFrame:
    """One role's week by task family, before and after (hours per person per week), with the
    family's label and mode; families the role never touches are left out."""
    rows = result.by_family[result.by_family.role_id == role_id]
    if rows.empty:
        raise ValueError(f"role: {role_id!r} is not in this organization; choose one of "
                         f"{', '.join(dict.fromkeys(result.by_family.role_id))}")
    labels = data.load_task_families().set_index("family").label
    rows = rows[(rows.hours_before > 1e-9) | (rows.hours_after > 1e-9)]
    out = pd.DataFrame({
        "family": rows.family.to_numpy(), "label": labels.reindex(rows.family).to_numpy(),
        "mode": rows["mode"].to_numpy(), "hours_before": rows.hours_before.to_numpy(),
        "automated": rows.automated.to_numpy(), "hours_after": rows.hours_after.to_numpy()})
    out["hours_change"] = out.hours_after - out.hours_before
    return out.round(2)


def audit_share(result: model.Result, role_id: str) -> float:
    """Share of a role's paid week (after) spent auditing: data stewardship plus AI oversight."""
    week = family_hours(result, role_id)
    return float(week.loc[week.family.isin(AUDIT_FAMILIES), "hours_after"].sum() / week.hours_after.sum())


CODING_AUTOMATION = {"coding_billing": 0.8}  # A13's rate for coding & billing


def coding_scenario() -> model.Scenario:
    """Coding & billing automated at A13's rate (built on call: `import kit` loads no data)."""
    return model.Scenario(automation=CODING_AUTOMATION)

DEFAULT_RATIOS = tuple(np.round(np.linspace(0, 1, 11), 2))


def oversight_sweep(scenario: model.Scenario, ratios=DEFAULT_RATIOS, role_id: str | None = None) -> pd.DataFrame:
    """The scenario simulated at each oversight ratio: hours automated, reviewed (oversight) and
    freed per week, with the central oversight team's FTE and yearly cost (assumption A11).
    With `role_id`, the hours are that role's, per person; otherwise the organization's."""
    rows = []
    for ratio in ratios:
        result = model.simulate(scenario.replace(oversight_ratio=float(ratio)))
        if role_id is None:
            hours = organization_review(result.org)
        else:
            match = result.roles[result.roles.role_id == role_id]
            if match.empty:
                raise ValueError(f"role: {role_id!r} is not in this organization")
            hours = match.iloc[0]
        rows.append({"oversight_ratio": float(ratio), "automated": hours["automated"],
                     "oversight": hours["oversight"], "freed": hours["freed"],
                     "oversight_team_fte": result.org["oversight_team_fte"],
                     "oversight_team_cost": result.org["oversight_team_cost"]})
    return pd.DataFrame(rows)


def organization_review(org: pd.Series) -> pd.Series:
    """The organization's hours with a central team's review counted as review: the roles' own
    review plus the central team's (kit.review), and the freed hours net of the team's. Only the
    share of the documentation cut that came off after-hours time (A42) is neither."""
    central = org.get("central_review_hours", 0.0)
    return pd.Series({"automated": org["automated"], "oversight": org["oversight"] + central,
                      "freed": org["freed"] - central})


def breakeven_ratio(scenario: model.Scenario) -> float:
    """The smallest oversight ratio (to 0.01) at which the scenario frees no time at all (net of a
    central review team's hours)."""
    for ratio in np.round(np.arange(0, 1.0001, 0.01), 2):
        org = organization_review(model.simulate(scenario.replace(oversight_ratio=float(ratio))).org)
        if org["freed"] <= 1e-9 * max(1.0, org["automated"]):
            return float(ratio)
    return float("nan")


def remote_roles() -> pd.DataFrame:
    """The kit's roles that could be done remotely (assumption A07), with BLS May 2024 median wage
    and US employment, highest wage first."""
    roles = data.load_roles()
    out = roles.loc[roles.remote_capable, ["role_id", "title", "group", "median_wage", "employment"]]
    return out.sort_values("median_wage", ascending=False).reset_index(drop=True)


def oversight_wages(result: model.Result | None = None) -> pd.DataFrame:
    """What an AI-oversight job pays: BLS May 2024 medians of the roles that might do it, next to
    the article's Indeed listings (a listing threshold, not a median) and, with a result, the
    central oversight team's cost per FTE in the model (assumption A11)."""
    roles = data.load_roles().set_index("role_id")
    rows = [(roles.title[r], roles.median_wage[r], "BLS OEWS May 2024 median")
            for r in ("medical_records_specialists", "health_information_technologists", "health_services_managers")]
    rows.append(("'Healthcare AI' listings on Indeed", 130_000.0, "The article: listings above this, not a median"))
    if result is not None and result.org["oversight_team_fte"] > 0:
        rows.append(("The model's oversight team, per FTE",
                     result.org["oversight_team_cost"] / result.org["oversight_team_fte"],
                     "Kit model, assumption A11"))
    return pd.DataFrame(rows, columns=["who", "annual_wage", "source"]).round({"annual_wage": 0})


def oversight_ratio_from_accuracy(accuracy: float, check_time: float = CHECK_TIME, fix_time: float = FIX_TIME) -> float:
    """Hours of review per automated hour if every AI output is checked (check_time) and the wrong
    share (1 - accuracy) is also redone (fix_time): check_time + (1 - accuracy) * fix_time.
    Reasoning, not measurement: the two times are assumptions A19 and A20."""
    for name, value in (("accuracy", accuracy), ("check_time", check_time), ("fix_time", fix_time)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not np.isfinite(value) or value < 0:
            raise ValueError(f"{name}: {value!r} must be a number of 0 or more")
    if accuracy > 1:
        raise ValueError(f"accuracy: {accuracy!r} is a share of codes, between 0 and 1 (0.339 for 33.9%)")
    return float(check_time + (1 - accuracy) * fix_time)


def coding_accuracy_whatif(check_time: float = CHECK_TIME, fix_time: float = FIX_TIME,
                           scenario: model.Scenario | None = None,
                           role_id: str = "medical_records_specialists") -> pd.DataFrame:
    """Each published coding-accuracy figure turned into the oversight ratio it implies, and what
    the scenario (default: coding & billing automated at 80%, the rate of assumption A13) then frees
    for one person in the role per week.
    A ratio above 1 means checking and fixing take longer than coding by hand: the model refuses
    such a ratio, so the role's hours are shown at 1 (nothing freed) and flagged."""
    scenario = scenario or coding_scenario()
    out = published_coding_accuracy()
    out["oversight_ratio"] = [oversight_ratio_from_accuracy(a, check_time, fix_time) for a in out.accuracy]
    out["net_hours_per_100_automated"] = 100 * (1 - out.oversight_ratio)
    freed = []
    for ratio in out.oversight_ratio:
        roles = model.simulate(scenario.replace(oversight_ratio=min(ratio, 1.0))).roles.set_index("role_id")
        if role_id not in roles.index:
            raise ValueError(f"role: {role_id!r} is not in this organization")
        freed.append(roles.freed[role_id])
    out["role_hours_freed"] = freed
    out["verdict"] = np.where(out.oversight_ratio > 1, "costs more time than it saves",
                              np.where(out.oversight_ratio > 0.5, "review eats most of the saving",
                                       "saves time"))
    return out.round({"oversight_ratio": 3, "net_hours_per_100_automated": 1, "role_hours_freed": 2})


# --------------------------------------------------------------------------- chapter 05

def reinvestment_ledger(result: model.Result) -> pd.DataFrame:
    """Where the freed hours go (presence, capacity, released), per week and as FTE, and what those
    paid hours are worth a year at each role's BLS median wage (premise P3). Hours of roles whose
    median wage BLS withholds (surgeons, radiologists, pathologists) are counted but not valued."""
    roles = result.roles
    wage = data.load_roles().set_index("role_id").median_wage.reindex(roles.role_id).to_numpy()
    hourly = wage / HOURS_PER_YEAR
    known = np.isfinite(hourly)
    rows = []
    for use in model.REINVESTMENT_KEYS:
        column = {"presence": "to_presence", "capacity": "to_capacity", "released": "released"}[use]
        hours = roles[column].to_numpy() * roles.headcount.to_numpy()
        fte = hours / roles.weekly_hours.to_numpy()
        rows.append({"use": use, "hours_per_week": hours.sum(), "fte": fte.sum(),
                     "wage_value_per_year": float((hours[known] * hourly[known]).sum() * 52),
                     "hours_not_valued": float(hours[~known].sum())})
    return pd.DataFrame(rows).round({"hours_per_week": 1, "fte": 2, "wage_value_per_year": 0,
                                     "hours_not_valued": 1})


COMPARE_COLUMNS = ("automated", "oversight", "freed", "to_presence", "to_capacity", "released", "released_fte",
                   "oversight_team_fte")


def compare(scenarios_by_label: dict) -> pd.DataFrame:
    """Organization totals (hours per week, FTE) of several scenarios, one row per label."""
    rows = {label: model.simulate(s).org[list(COMPARE_COLUMNS)] for label, s in scenarios_by_label.items()}
    return pd.DataFrame(rows).T.rename_axis("scenario").round(1)


# --------------------------------------------------------------------------- chapter 06

def check_organization(source: str | os.PathLike | bytes | pd.DataFrame, name: str | None = None) -> checks.Feedback:
    """Read a learner's organization (a CSV path, bytes or a DataFrame) and say, in one message,
    either what it holds or every problem to fix (the reader's own messages, by row and column)."""
    try:
        org = organization_file.read_organization(source, name)
    except DataError as exc:
        problems = "\n".join(f"- {p}" for p in exc.problems)
        return checks.Feedback("organization", "invalid", f"{len(exc.problems)} to fix before the kit can "
                                                          f"use this table:\n{problems}")
    hours = sum(h * w for h, w in zip(org.headcount, org.weekly_hours))
    return checks.Feedback("organization", "right", f"Ready: {org.name}, {len(org.role_ids)} roles, "
                                                    f"{sum(org.headcount):,.4g} people, {hours:,.6g} paid hours a "
                                                    "week.")


def organization_table(org: model.Organization) -> pd.DataFrame:
    """What the kit read from an organization: each role's title, people, paid hours a week (per
    person and in all) and whether it keeps the kit's baseline mix or has its own."""
    titles = data.load_roles().set_index("role_id").title
    own = [False] * len(org.role_ids) if org.shares is None else [row is not None for row in org.shares]
    table = pd.DataFrame({"role": titles.reindex(org.role_ids).to_numpy(), "role_id": list(org.role_ids),
                          "headcount": list(org.headcount), "weekly_hours": list(org.weekly_hours)})
    table["paid_hours_per_week"] = table.headcount * table.weekly_hours
    table["task_mix"] = np.where(own, "own shares", "kit baseline")
    return table


def copy_template(path: str | os.PathLike = "my_outputs/my_organization.csv") -> Path:
    """Copy the blank organization template to `path` (relative to the notebook's folder), unless a
    file is already there: a learner's filled-in copy is never overwritten."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data.datasets_dir() / Path(organization.TEMPLATE).name, path)
    return path


ROLE_SUMMARY_COLUMNS = ("title", "headcount", "weekly_hours", "automated", "oversight", "freed", "to_presence",
                        "to_capacity", "released", "released_fte")


def role_summary(result: model.Result) -> pd.DataFrame:
    """Per role: people, paid hours, and where each person's automated hours went (hours per person
    per week), with the FTE released across the role."""
    return result.roles[list(ROLE_SUMMARY_COLUMNS)].round(2).reset_index(drop=True)


# The facilitator guide's helpers moved to kit.facilitator; they stay importable from here.
from .facilitator import answer_key, chapter_times, run_of_show  # noqa: E402, F401
