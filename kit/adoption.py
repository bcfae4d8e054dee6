"""Who uses each tool: role-scoped automation rates, named role groups, and the exposure-to-time
construct (assumption A41). Pure functions over the datasets; kit.model calls them.

`Scenario.automation` maps a task family to either one rate (every role uses the tool, the kit's
original reading) or a mapping from role id or role group to a rate (only those roles use it):

    kit.Scenario(automation={"clinical_documentation": {"prescribers": 0.6}})

A role named directly wins over a group that contains it; a role left out of the mapping does
not use the tool (rate 0). Groups are the rows of datasets/role_groups.csv, plus `all`.
"""
from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from . import data
from .baseline import DEFAULT_BASELINE

ALL_ROLES = "all"
EXPOSED_LABELS = ("E1", "E2")
DEFAULT_TIME_SAVED = 0.5  # assumption A41: an exposed task loses at most half its time


@functools.lru_cache(maxsize=1)
def role_groups() -> MappingProxyType[str, tuple[str, ...]]:
    """Named role groups (datasets/role_groups.csv) -> their role ids, plus `all`."""
    table = data._validated("role_groups")
    roles = tuple(data.load_roles().role_id)
    groups = {g: tuple(rows.role_id) for g, rows in table.groupby("group_id", sort=False)}
    return MappingProxyType({**groups, ALL_ROLES: roles})


def group_labels() -> dict[str, str]:
    """Readable label of each role group."""
    table = data._validated("role_groups").drop_duplicates("group_id")
    return {**dict(zip(table.group_id, table.label)), ALL_ROLES: "All roles"}


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


def checked_users(family: str, users) -> MappingProxyType[str, float]:
    """A {role id or group: rate} mapping, validated: known names, rates in 0..1, no role given two
    different rates by two groups."""
    field = f"automation[{family!r}]"
    if not users:
        raise ValueError(f"{field}: the mapping of who uses the tool is empty; give {{role or group: rate}} "
                         f"or one rate for every role")
    groups, roles = role_groups(), role_groups()[ALL_ROLES]
    checked = {}
    for who, rate in users.items():
        if not isinstance(who, str) or (who not in roles and who not in groups):
            names = list(groups) + list(roles)
            raise ValueError(f"{field}: {who!r} is not a role or role group{_did_you_mean(who, names)}; "
                             f"the groups are: {', '.join(groups)} (or any role id of kit.load_roles())")
        checked[who] = checked_rate(f"{field}[{who!r}]", rate)
    by_group: dict[str, tuple[str, float]] = {}
    for who, rate in checked.items():
        if who in roles:
            continue
        for role in groups[who]:
            if role in checked:
                continue
            if role in by_group and by_group[role][1] != rate:
                other = by_group[role][0]
                raise ValueError(f"{field}: {role!r} is in both {other!r} and {who!r} with different rates; "
                                 f"give {role!r} its own rate")
            by_group[role] = (who, rate)
    return MappingProxyType(checked)


def role_rates(users: Mapping, role_ids) -> np.ndarray:
    """Each role's rate under a {role or group: rate} mapping (0 where the role is not a user)."""
    groups = role_groups()
    rates = {}
    for who, rate in users.items():
        if who in groups:
            for role in groups[who]:
                rates.setdefault(role, rate)
    for who, rate in users.items():
        if who not in groups:
            rates[who] = rate
    return np.array([rates.get(r, 0.0) for r in role_ids], dtype=float)


def is_scoped(automation: Mapping) -> bool:
    """True if any family's rate is given per role or group."""
    return any(isinstance(v, Mapping) for v in automation.values())


def automation_matrix(automation: Mapping, role_ids, families) -> np.ndarray:
    """(R, F) automation rates for these roles: one rate broadcast to every role, or the mapping's."""
    matrix = np.zeros((len(role_ids), len(families)))
    for j, family in enumerate(families):
        value = automation.get(family, 0.0)
        matrix[:, j] = role_rates(value, role_ids) if isinstance(value, Mapping) else value
    return matrix


def users_of(automation: Mapping, family: str) -> list[str]:
    """Role ids that use a family's tool (every role for one rate; none if the family is off)."""
    value = automation.get(family, 0.0)
    roles = role_groups()[ALL_ROLES]
    if not isinstance(value, Mapping):
        return list(roles) if value > 0 else []
    rates = role_rates(value, roles)
    return [r for r, a in zip(roles, rates) if a > 0]


def describe_users(automation: Mapping, family: str) -> str:
    """Who uses the tool, in words: 'every role', 'nobody', or group labels and role titles."""
    value = automation.get(family, 0.0)
    if not isinstance(value, Mapping):
        return "every role" if value > 0 else "nobody"
    labels, titles = group_labels(), data.load_roles().set_index("role_id").title
    names = [labels[w] if w in labels else titles[w] for w, a in value.items() if a > 0]
    return ", ".join(names) if names else "nobody"


# --------------------------------------------------------------------------- exposure to time

@functools.lru_cache(maxsize=2)
def label_shares(baseline: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(R, F) share of each role-family's time in tasks labelled E1 and in tasks labelled E2
    (human labels), in the order of kit.model.structure(baseline) and with that baseline's task
    weights (kit.baseline: clean weights for "measured")."""
    from .model import structure

    st = structure(baseline)
    weight = "weight" if (baseline or DEFAULT_BASELINE) == "onet" else "weight_clean"
    tasks = data.load_tasks().assign(weight=lambda t: t[weight])
    total = (tasks.pivot_table(index="role_id", columns="family", values="weight", aggfunc="sum")
             .reindex(index=st.role_ids, columns=st.families).fillna(0.0).to_numpy())
    shares = []
    for label in EXPOSED_LABELS:
        part = (tasks[tasks.exposure_label == label]
                .pivot_table(index="role_id", columns="family", values="weight", aggfunc="sum")
                .reindex(index=st.role_ids, columns=st.families).fillna(0.0).to_numpy())
        with np.errstate(invalid="ignore", divide="ignore"):
            shares.append(np.where(total > 0, part / total, 0.0))
    return shares[0], shares[1]


def time_exposure(exposure: np.ndarray, rows: np.ndarray, time_saved, baseline: str | None = None) -> np.ndarray:
    """(R, F) largest share of each role-family's time a tool can save under assumption A41:
    time_saved (one number, or {"E1": x, "E2": y}) of every exposed task's time. `exposure` is
    the org's beta-convention exposure; cells the O*NET labels do not cover (a borrowed family
    mean, or a family without task statements) keep beta scaled by the E1 share."""
    e1_time, e2_time = ((time_saved["E1"], time_saved["E2"]) if isinstance(time_saved, Mapping)
                        else (time_saved, time_saved))
    e1, e2 = label_shares(baseline)
    e1, e2 = e1[rows], e2[rows]
    beta = e1 + 0.5 * e2
    covered = np.isclose(beta, exposure, atol=1e-9)
    return np.where(covered, e1_time * e1 + e2_time * e2, e1_time * exposure)


def checked_time_saved(value):
    """None (the labels' beta values, E1 = 1, E2 = 0.5), one share in 0..1, or {"E1": x, "E2": y}."""
    if value is None:
        return None
    meaning = "the largest share of an exposed task's time a tool can save (assumption A41)"
    if isinstance(value, Mapping):
        unknown = [k for k in value if k not in EXPOSED_LABELS]
        if unknown or set(value) != set(EXPOSED_LABELS):
            raise ValueError(f"max_time_saved: give one share or both of {{'E1': x, 'E2': y}}; "
                             f"got keys {sorted(map(str, value))}")
        return MappingProxyType({k: checked_rate(f"max_time_saved[{k!r}]", value[k], meaning)
                                 for k in EXPOSED_LABELS})
    return checked_rate("max_time_saved", value, meaning)
