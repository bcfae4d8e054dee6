"""Who uses each tool: role-scoped automation rates, named role groups, and the exposure-to-time
construct (assumption A41). Pure functions over the datasets; kit.model calls them.

`Scenario.automation` maps a task family to either one rate (every role uses the tool, the kit's
original reading) or a mapping from role id or role group to a rate (only those roles use it):

    kit.Scenario(automation={"clinical_documentation": {"prescribers": 0.6}})

A role named directly wins over a group that contains it; a role left out of the mapping does
not use the tool (rate 0). Groups are the rows of datasets/role_groups.csv, plus `all`.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from . import data, review
from .baseline import DEFAULT_BASELINE
from .review import _did_you_mean, checked_rate

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


def users_choice(automation: Mapping, family: str) -> str:
    """Who uses a family's tool as one menu choice: 'all' for one rate, the group or role id when
    one names them all, '' when several do (the lab's Used-by menu then shows 'several').

    >>> users_choice({"clinical_documentation": {"prescribers": 0.4}}, "clinical_documentation")
    'prescribers'
    >>> users_choice({"coding_billing": 0.3}, "coding_billing"), users_choice({}, "coding_billing")
    ('all', 'all')
    """
    value = automation.get(family, 0.0)
    if not isinstance(value, Mapping):
        return ALL_ROLES
    return next(iter(value)) if len(value) == 1 else ""


def with_users(automation: Mapping, family: str, users: str) -> dict:
    """The automation with the family's tool used by `users` (a role group, a role id or 'all') at
    the family's current rate: what the lab's Used-by menu does.

    >>> with_users({"clinical_documentation": 0.4}, "clinical_documentation", "prescribers")
    {'clinical_documentation': {'prescribers': 0.4}}
    >>> with_users({"clinical_documentation": {"prescribers": 0.4}}, "clinical_documentation", "all")
    {'clinical_documentation': 0.4}
    """
    value = automation.get(family, 0.0)
    rate = max(value.values(), default=0.0) if isinstance(value, Mapping) else float(value)
    return {**automation, family: rate if users == ALL_ROLES else {users: rate}}


def describe_users(automation: Mapping, family: str) -> str:
    """Who uses the tool, in words: 'every role', 'nobody', or group labels and role titles."""
    value = automation.get(family, 0.0)
    if not isinstance(value, Mapping):
        return "every role" if value > 0 else "nobody"
    labels, titles = group_labels(), data.load_roles().set_index("role_id").title
    names = [labels[w] if w in labels else titles[w] for w, a in value.items() if a > 0]
    return ", ".join(names) if names else "nobody"


# --------------------------------------------------------------------------- exposure to time

@functools.lru_cache(maxsize=4)
def label_shares(role_ids: tuple, families: tuple, baseline: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(R, F) share of each role-family's time in tasks labelled E1 and in tasks labelled E2
    (human labels), for these roles and families (a structure's order), with that baseline's task
    weights (kit.baseline: clean weights for "measured")."""
    weight = "weight" if (baseline or DEFAULT_BASELINE) == "onet" else "weight_clean"
    tasks = data.load_tasks().assign(weight=lambda t: t[weight])
    total = (tasks.pivot_table(index="role_id", columns="family", values="weight", aggfunc="sum")
             .reindex(index=list(role_ids), columns=list(families)).fillna(0.0).to_numpy())
    shares = []
    for label in EXPOSED_LABELS:
        part = (tasks[tasks.exposure_label == label]
                .pivot_table(index="role_id", columns="family", values="weight", aggfunc="sum")
                .reindex(index=list(role_ids), columns=list(families)).fillna(0.0).to_numpy())
        with np.errstate(invalid="ignore", divide="ignore"):
            shares.append(np.where(total > 0, part / total, 0.0))
    return shares[0], shares[1]


def time_exposure(exposure: np.ndarray, rows: np.ndarray, time_saved, st, baseline: str | None = None) -> np.ndarray:
    """(R, F) largest share of each role-family's time a tool can save under assumption A41:
    time_saved (one number, or {"E1": x, "E2": y}) of every exposed task's time. `exposure` is
    the org's beta-convention exposure; cells the O*NET labels do not cover (a borrowed family
    mean, or a family without task statements) keep beta scaled by the E1 share."""
    e1_time, e2_time = ((time_saved["E1"], time_saved["E2"]) if isinstance(time_saved, Mapping)
                        else (time_saved, time_saved))
    e1, e2 = label_shares(tuple(st.role_ids), tuple(st.families), baseline)
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


# --------------------------------------------------------------------------- preset targets

TARGET_TOLERANCE = 0.10  # a preset delivers its target within +-10% for its calibration role
MEASURES = ("net_cut_hours", "net_cut_share")


def preset_targets():
    """datasets/preset_targets.csv: each calibrated preset's target and comparators, as published."""
    return data._validated("preset_targets").copy()


def net_cut(result, role: str, family: str) -> tuple[float, float]:
    """A role's net weekly cut of one family's time (hours the tool does minus the role's own
    review of them; evening hours that move into the day count, since the total still falls),
    and that cut as a share of the family's hours before."""
    from .model import structure

    scenario = result.scenario
    fam = result.by_family
    row = fam[(fam.role_id == role) & (fam.family == family)]
    if row.empty:
        raise ValueError(f"role: {role!r} is not in this organization")
    automated, before = float(row.automated.iloc[0]), float(row.hours_before.iloc[0])
    families = structure().families
    rho = review.ratio_vector(scenario.oversight_ratio, families)[families.index(family)]
    reviewer = review.reviewer_vector(scenario.reviewers, families)[families.index(family)]
    cut = automated * (1.0 if reviewer != review.SELF else 1.0 - rho)
    return cut, (cut / before if before else 0.0)


def measured(result, role: str, family: str, measure: str) -> float:
    """The preset-target measure of a result (see MEASURES)."""
    hours, share = net_cut(result, role, family)
    if measure not in MEASURES:
        raise ValueError(f"measure: {measure!r} is not a measure the kit can deliver; "
                         f"choose one of {', '.join(MEASURES)}")
    return hours if measure == "net_cut_hours" else share


def _with_rate(scenario, family: str, rate: float):
    value = scenario.automation.get(family, 0.0)
    new = {who: rate for who in value} if isinstance(value, Mapping) else rate
    return scenario.replace(automation={**scenario.automation, family: new})


def preset_delivery(org: str | None = None, baseline: str | None = None):
    """Every target row of preset_targets.csv beside what its preset delivers for the calibration
    role, the most any rate of that family could deliver (the label cap) and whether the preset is
    within TARGET_TOLERANCE of the target, or at the cap where the cap is below it. `baseline`
    chooses the starting week (the kit's default if None)."""
    import pandas as pd

    from .model import Scenario, simulate

    rows = []
    targets = preset_targets()
    for t in targets[targets.kind == "target"].itertuples():
        options = {**({"org": org} if org else {}), **({"baseline": baseline} if baseline else {})}
        scenario = Scenario.from_preset(t.preset_id, **options)
        delivered = measured(simulate(scenario), t.role_id, t.family, t.measure)
        cap = measured(simulate(_with_rate(scenario, t.family, 1.0)), t.role_id, t.family, t.measure)
        capped = cap < t.target * (1 - TARGET_TOLERANCE)
        ok = (abs(delivered - cap) <= 1e-9 * max(1.0, cap)) if capped else (
            abs(delivered - t.target) <= TARGET_TOLERANCE * t.target)
        rows.append({"preset_id": t.preset_id, "role_id": t.role_id, "family": t.family, "measure": t.measure,
                     "target": t.target, "delivered": delivered, "cap": cap, "capped_by_label": capped,
                     "ratio": delivered / t.target if t.target else float("nan"),
                     "rate": scenario.automation_rate(t.family),
                     "fitted_rate": min(1.0, t.target / cap) if cap else 0.0,
                     "ok": ok})
    return pd.DataFrame(rows)
