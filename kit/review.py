"""Who reviews AI output, how long it takes and what it costs: review by task family and by
reviewer (datasets/review_by_family.csv). Pure functions; kit.model calls them.

`Scenario.oversight_ratio` is one number (every family) or {family: hours of review per
automated hour} (families left out take the table's ratio). `Scenario.reviewers` is None (the
kit's original reading: every role reviews its own automated work and the "oversight team" line
pools all of it) or {family: "self" or a role id}: "self" keeps review hours inside the role's
own week, costed at the role's own wage; a role id sends them to a central team of that role,
costed at its BLS median wage (and, beside it, at the article's $130k listing price, A43).
"""
from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from . import data

SELF = "self"
HOURS_PER_YEAR = 2080.0  # BLS: annual wage = hourly wage x 2,080 (assumption A01)
LISTING_WAGE_ASSUMPTION = "A43"


def _did_you_mean(word, options) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def checked_rate(name: str, value, meaning: str = "an automation rate") -> float:
    """A number in 0..1, or a ValueError naming the field and what is allowed."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name}: {value!r} is not a number; give {meaning} between 0 and 1")
    try:
        value = float(value)
    except OverflowError:
        value = math.inf if value > 0 else -math.inf
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: {value!r} is out of range; {meaning} must be between 0 and 1 (0% to 100%)")
    return value



@functools.lru_cache(maxsize=1)
def _table():
    return data._validated("review_by_family").set_index("family")


def review_table():
    """datasets/review_by_family.csv: per task family, who reviews, the ratio and why."""
    return _table().reset_index()


@functools.lru_cache(maxsize=1)
def default_ratios() -> MappingProxyType[str, float]:
    """Hours of review per automated hour, per family, as the table gives them."""
    return MappingProxyType({f: float(v) for f, v in _table().oversight_ratio.items()})


@functools.lru_cache(maxsize=1)
def default_reviewers() -> MappingProxyType[str, str]:
    """Who reviews each family by default: 'self' or the role id of a central team."""
    table = _table()
    return MappingProxyType({f: (SELF if r == SELF else table.team_role[f]) for f, r in table.reviewer.items()})


def checked_ratio(value):
    """One review ratio in 0..1, or {family: ratio} over automatable families."""
    meaning = "hours of review per automated hour"
    if not isinstance(value, Mapping):
        return checked_rate("oversight_ratio", value, meaning)
    families = list(_table().index)
    checked = {}
    for family, ratio in value.items():
        if family not in families:
            raise ValueError(f"oversight_ratio: {family!r} is not a task family with review"
                             f"{_did_you_mean(family, families)}; the families are: {', '.join(families)}")
        checked[family] = checked_rate(f"oversight_ratio[{family!r}]", ratio, meaning)
    return MappingProxyType(checked)


def checked_reviewers(value):
    """None, or {family: 'self' or a role id}; families left out keep the table's reviewer."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f"reviewers: {value!r} is not a mapping; give {{task family: 'self' or a role id}}, "
                         "e.g. {'coding_billing': 'medical_records_specialists'}, or None")
    families = list(_table().index)
    roles = list(data.load_roles().role_id)
    checked = {}
    for family, who in value.items():
        if family not in families:
            raise ValueError(f"reviewers: {family!r} is not a task family with review"
                             f"{_did_you_mean(family, families)}; the families are: {', '.join(families)}")
        if who != SELF and who not in roles:
            raise ValueError(f"reviewers[{family!r}]: {who!r} is not a reviewer{_did_you_mean(who, roles + [SELF])}; "
                             f"give 'self' (the role reviews its own output) or a role id of kit.load_roles()")
        checked[family] = who
    return MappingProxyType(checked)


def ratio_vector(oversight_ratio, families) -> np.ndarray:
    """(F,) review ratio per family (0 for families without review, such as ai_oversight)."""
    if not isinstance(oversight_ratio, Mapping):
        return oversight_ratio * _reviewed(tuple(families))
    defaults = default_ratios()
    return np.array([oversight_ratio.get(f, defaults.get(f, 0.0)) for f in families])


@functools.lru_cache(maxsize=4)
def _reviewed(families: tuple) -> np.ndarray:
    table = _table().index
    return np.array([1.0 if f in table else 0.0 for f in families])


def reviewer_vector(reviewers, families) -> np.ndarray:
    """(F,) reviewer per family: 'self' or a role id (None reads as every family 'self')."""
    if reviewers is None:
        return np.array([SELF] * len(families), dtype=object)
    defaults = default_reviewers()
    return np.array([reviewers.get(f, defaults.get(f, SELF)) for f in families], dtype=object)


@functools.lru_cache(maxsize=1)
def wages() -> MappingProxyType[str, float]:
    """Annual wage per role used to cost review: the BLS median, or the mean where BLS withholds
    the median above its top-code."""
    roles = data.load_roles().set_index("role_id")
    wage = roles.median_wage.where(roles.median_wage.notna(), roles.mean_wage)
    return MappingProxyType({r: float(w) for r, w in wage.items()})


@functools.lru_cache(maxsize=32)
def _hourly(role_ids: tuple) -> np.ndarray:
    wage = wages()
    return np.array([wage[r] for r in role_ids]) / HOURS_PER_YEAR


@functools.lru_cache(maxsize=1)
def listing_wage() -> float:
    """The article's Indeed listing price for remote 'healthcare AI' roles (A43), not a median."""
    table = data.load_assumptions().set_index("assumption_id")
    return float(table.value[LISTING_WAGE_ASSUMPTION])


def costs(role_ids, headcount, self_hours, central_hours_by_family, reviewers_f, team_weekly_hours):
    """Organization review totals: self-review hours and cost (each role at its own wage), and
    the central team's hours, FTE and cost at each reviewer role's wage and at the listing price.

    self_hours (R,) per person per week; central_hours_by_family (R, F) per person per week."""
    wage = wages()
    own = _hourly(tuple(role_ids))
    self_total = float(headcount @ self_hours)
    self_cost = float(headcount @ (self_hours * own)) * 52.0
    central_f = headcount @ central_hours_by_family  # (F,) org hours per week
    central_total = float(central_f.sum())
    team_fte = central_total / team_weekly_hours
    team_cost = 0.0
    for j, who in enumerate(reviewers_f):
        if who != SELF and central_f[j] > 0:
            team_cost += central_f[j] / team_weekly_hours * wage[who]
    return {"self_review_hours": self_total, "self_review_cost": self_cost,
            "central_review_hours": central_total, "central_team_fte": team_fte,
            "central_team_cost": team_cost, "central_team_cost_listing": team_fte * listing_wage()}
