"""The workforce model: a Scenario in, hours by role and mode out. Pure functions, no I/O.

For role r with weekly hours H_r, time share s_rf of task family f (sum 1) and exposure e_rf
(the time-weighted mean exposure of the role's tasks in f), a scenario sets an automation rate
a_f per family, an oversight ratio rho and reinvestment shares (presence, capacity, released):

    hours     h_rf = H_r * s_rf
    automated A_rf = h_rf * e_rf * a_f,              A_r = sum_f A_rf
    oversight O_r  = rho * A_r                       (new curation work, family `ai_oversight`)
    freed     F_r  = A_r - O_r
    remaining w_rf = h_rf - A_rf  (+ O_r on ai_oversight),  W_r = H_r - F_r
    presence  P_r  = presence * F_r, added to the role's presence families in proportion to
                     their remaining hours (to emotional_support if the role has none)
    capacity  C_r  = capacity * F_r, spread over all remaining work in proportion: the role
                     sees more patients, and each extra patient brings the same mix of work
    released  R_r  = released * F_r, fewer paid hours; released FTE = R_r / H_r * headcount

so hours before = hours after + released, and every hour is accounted for in one mode.

A custom organization (`Organization`, e.g. from `kit.read_organization`) may replace a role's
task-family shares s_rf with its own (they sum to 1; `ai_oversight` stays 0, it is new work). Where
the role has no O*NET tasks in a family it is given, e_rf is that family's mean exposure over all
roles (each role's time-weighted exposure, averaged over the roles that have the family): the kit
has no task-level evidence for that role there, so it borrows the family's.

Where this improves on DESIGN.md section 4, and why:
- Capacity is modelled as throughput (more patients, each with the role's remaining work mix),
  not as extra hours parked in one place. It is the honest reading of "more capacity", and it
  shows the throughput trap: automating a curation or presence family with capacity > 0 frees
  time that fills with more patients, who bring unautomated execution work with them. So the
  invariant "automating more never increases execution hours" holds for every scenario when
  the automated family is an execution family (tested), and for any family when capacity is 0;
  for curation and presence families with capacity > 0 it fails by design (a test shows it).
- If a role has no work left to scale (everything automated, no review), its capacity share is
  released: there is nothing for extra patients to need.
- Pajama time (after-hours documentation) shrinks in proportion to the net cut in the role's
  documentation work, e_doc * a_doc * (1 - rho) (assumption A12).
- The central oversight team is every role's oversight hours pooled, in 40-hour FTEs, paid the
  BLS median wage of health information technologists (assumption A11).

The model is a teaching model, not a forecast: its weights, labels and reinvestment rules are
assumptions that the chapters invite learners to attack.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from . import adoption, data, review
from . import baseline as baselines
from ._files import BIDI_CONTROLS
from .baseline import BASELINES, DEFAULT_BASELINE
from .errors import DataError, quoted

MODES = ("execution", "curation", "presence")
REINVESTMENT_KEYS = ("presence", "capacity", "released")
OVERSIGHT_FAMILY = "ai_oversight"
PRESENCE_FALLBACK_FAMILY = "emotional_support"
DEFAULT_ORG = "us_workforce"
NO_AUTOMATION_PRESET = "today"  # where the slider lab starts
DEFAULT_OVERSIGHT_RATIO = 0.2  # assumption A04: one ratio for every family (the original reading)
DEFAULT_PASS_THROUGH = 0.25  # assumption A42: a quarter of a documentation cut comes off pajama time
# The kit's first reading (before issue 12): one review ratio, review pooled in a central team,
# exposure read as time saved, and every documentation hour saved also taken off after-hours time.
ORIGINAL_READING = {"oversight_ratio": DEFAULT_OVERSIGHT_RATIO, "reviewers": None, "max_time_saved": None,
                    "pajama_pass_through": None}
DEFAULT_REINVESTMENT = {"presence": 0.5, "capacity": 0.5, "released": 0.0}  # assumption A05
OVERSIGHT_TEAM_WEEKLY_HOURS = 40.0  # assumption A11
OVERSIGHT_TEAM_WAGE_ROLE = "health_information_technologists"  # assumption A11
SHARE_TOLERANCE = 1e-6
MAX_NAME_LENGTH = 100            # characters in a role cell or an organization name
MAX_HEADCOUNT = 10_000_000       # more than any US occupation (home health aides: about 4 million)
HOURS_IN_A_WEEK = 168
MIN_WEEKLY_HOURS = 0.1           # six minutes a week: less is a typing slip, not a job
ORG_COLUMNS = ("role_id", "headcount", "weekly_hours")


# --------------------------------------------------------------------------- scenario

@dataclass(frozen=True, eq=False)
class Scenario:
    """What an organization does with AI: automation rate per task family (0..1, families left
    out are 0), review hours per automated hour, what happens to freed hours, and which
    organization (an id from org_profiles, or a table with role_id, headcount, weekly_hours), and
    which baseline the week starts from: "measured" (time-use studies) or "onet" (the O*NET job
    description; see kit.baseline)."""

    automation: Mapping[str, float] = field(default_factory=dict)
    oversight_ratio: "float | Mapping[str, float]" = DEFAULT_OVERSIGHT_RATIO
    reinvestment: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_REINVESTMENT))
    org: "str | Organization" = DEFAULT_ORG
    # Who reviews each family (A44), the exposure-to-time construct (A41) and the after-hours
    # pass-through (A42). None keeps the kit's original reading (ORIGINAL_READING); the presets
    # set all of them.
    reviewers: "Mapping[str, str] | None" = None
    max_time_saved: "float | Mapping[str, float] | None" = None
    pajama_pass_through: "float | None" = None

    baseline: str = DEFAULT_BASELINE

    def __post_init__(self):
        object.__setattr__(self, "baseline", baselines.checked_baseline(self.baseline))
        object.__setattr__(self, "automation", MappingProxyType(_checked_automation(self.automation, self.baseline)))
        object.__setattr__(self, "oversight_ratio", review.checked_ratio(self.oversight_ratio))
        object.__setattr__(self, "reviewers", review.checked_reviewers(self.reviewers))
        object.__setattr__(self, "max_time_saved", adoption.checked_time_saved(self.max_time_saved))
        if self.pajama_pass_through is not None:
            object.__setattr__(self, "pajama_pass_through", _checked_rate(
                "pajama_pass_through", self.pajama_pass_through,
                "the share of a documentation cut that comes off after-hours time (assumption A42)"))
        object.__setattr__(self, "reinvestment", MappingProxyType(_checked_reinvestment(self.reinvestment)))
        object.__setattr__(self, "org", _checked_org(self.org))

    @classmethod
    def from_preset(cls, name: str, org: "str | Organization | pd.DataFrame" = DEFAULT_ORG,
                    baseline: str = DEFAULT_BASELINE) -> "Scenario":
        """The named scenario from datasets/presets.csv (see `preset_names()`)."""
        presets = data.load_presets()
        names = list(dict.fromkeys(presets.preset_id))
        if name not in names:
            raise ValueError(f"preset: {name!r} does not exist{_did_you_mean(name, names)}; "
                             f"choose one of: {', '.join(names)}")
        rows = presets[presets.preset_id == name]
        values = dict(zip(rows.parameter, rows.value))
        return cls(
            automation=_preset_automation(values),
            oversight_ratio=_preset_oversight(values),
            reinvestment={k: values.get(f"reinvestment.{k}", DEFAULT_REINVESTMENT[k]) for k in REINVESTMENT_KEYS},
            org=org,
            baseline=baseline,
            **_preset_options(values),
        )

    def replace(self, **changes) -> "Scenario":
        """A copy with some fields changed (and validated again)."""
        return dataclasses.replace(self, **changes)

    def automation_rate(self, family: str) -> float:
        """The automation rate of one family (0 if the scenario leaves it out; for a tool used by
        some roles only, the highest rate among its users)."""
        value = self.automation.get(family, 0.0)
        return max(value.values(), default=0.0) if isinstance(value, Mapping) else value

    def users(self, family: str) -> list[str]:
        """Role ids that use the family's tool (kit.adoption)."""
        return adoption.users_of(self.automation, family)

    def _key(self):
        return (tuple(sorted((f, _frozen(v)) for f, v in self.automation.items())), _frozen(self.oversight_ratio),
                tuple(self.reinvestment.values()), self.org, _frozen(self.reviewers), _frozen(self.max_time_saved),
                self.pajama_pass_through, self.baseline)

    def __eq__(self, other):
        return self._key() == other._key() if isinstance(other, Scenario) else NotImplemented

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        """Short and stable (strict nbval compares it): review by family at the table's defaults
        (datasets/review_by_family.csv, A44) shows as BY_FAMILY rather than 14 entries."""
        extra = "".join(f", {k}={_shown(getattr(self, k), defaults)}" for k, defaults in (
            ("reviewers", review.default_reviewers()), ("max_time_saved", None), ("pajama_pass_through", None))
            if getattr(self, k) is not None)
        if self.baseline != DEFAULT_BASELINE:
            extra += f", baseline={self.baseline!r}"
        return (f"Scenario(automation={_plain(self.automation)}, "
                f"oversight_ratio={_shown(self.oversight_ratio, review.default_ratios())}, "
                f"reinvestment={dict(self.reinvestment)}, org={self.org!r}{extra})")


def _frozen(value):
    """A hashable form of a scenario field (mappings become sorted tuples)."""
    return tuple(sorted((k, _frozen(v)) for k, v in value.items())) if isinstance(value, Mapping) else value


BY_FAMILY = "<by family (A44)>"


def _shown(value, defaults) -> str:
    return BY_FAMILY if defaults is not None and value == defaults else repr(_plain(value))


def _plain(value):
    """Mappings (read-only proxies) as plain dicts, for repr and saving."""
    return {k: _plain(v) for k, v in value.items()} if isinstance(value, Mapping) else value


def _preset_automation(values: dict) -> dict:
    """automation.<family> = one rate; automation.<family>.<role or group> = a rate for those users."""
    automation: dict = {}
    for key, value in values.items():
        if not key.startswith("automation."):
            continue
        parts = key.split(".", 2)
        if len(parts) == 3:
            automation.setdefault(parts[1], {})[parts[2]] = value
        else:
            automation[parts[1]] = value
    return automation


def _preset_oversight(values: dict):
    """oversight_ratio = one ratio; oversight_ratio.<family> = a ratio per family (others: the table's)."""
    per_family = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("oversight_ratio.")}
    if per_family:
        return per_family
    if "oversight_ratio" in values:
        return values["oversight_ratio"]
    return review.default_ratios() if values.get("reviewers.by_family") else DEFAULT_OVERSIGHT_RATIO


def _preset_options(values: dict) -> dict:
    """The issue-12 options a preset may set: max_time_saved, pajama_pass_through, reviewers."""
    options = {k: values[k] for k in ("max_time_saved", "pajama_pass_through") if k in values}
    if values.get("reviewers.by_family"):
        options["reviewers"] = review.default_reviewers()
    return options


@dataclass(frozen=True)
class Organization:
    """A custom organization: headcount and weekly hours per role, and optionally the role's own
    task-family shares. Immutable and hashable, so a scenario that reuses it is not validated or
    set up again (sliders stay fast).

    `shares` is None (every role keeps its baseline task mix) or one entry per role: None, or a tuple
    of shares over `structure().families` (in that order) that sums to 1 with ai_oversight at 0.
    """

    role_ids: tuple[str, ...]
    headcount: tuple[float, ...]
    weekly_hours: tuple[float, ...]
    name: str = "custom organization"
    shares: "tuple[tuple[float, ...] | None, ...] | None" = None

    def __post_init__(self):
        """Check every field, whatever door the organization came in by (a table, a file, a scenario
        file, Python): a kit.DataError lists every problem; lists are taken as tuples."""
        for name in ("role_ids", "headcount", "weekly_hours", "shares"):
            value = getattr(self, name)
            if isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
        problems = organization_problems(self)
        if problems:
            raise DataError(problems, source="org")
        if self.shares is not None:
            object.__setattr__(self, "shares", None if all(r is None for r in self.shares) else tuple(
                None if row is None else tuple(float(v) for v in row) for row in self.shares))

    @classmethod
    def from_table(cls, table: pd.DataFrame, name: str = "custom organization") -> "Organization":
        """Validate a table with columns role_id, headcount, weekly_hours, and optionally one column
        of shares per task family (a row left empty keeps the role's baseline task mix). For a
        learner's file, `kit.read_organization` gives friendlier messages and lists every problem."""
        if not isinstance(table, pd.DataFrame):
            raise ValueError(f"org: {type(table).__name__} is not an organization; give a profile id such as "
                             f"{DEFAULT_ORG!r} or a table with columns {', '.join(ORG_COLUMNS)}")
        missing = [c for c in ORG_COLUMNS if c not in table.columns]
        if missing:
            raise ValueError(f"org: the table has no column {missing[0]!r}; it needs {', '.join(ORG_COLUMNS)}")
        if table.empty:
            raise ValueError("org: the table has no roles; add at least one row")
        role_ids = [str(r) for r in table.role_id]
        known = structure().role_ids
        unknown = [r for r in role_ids if r not in known]
        if unknown:
            raise ValueError(f"org: role {unknown[0]!r} is not one of the kit's roles"
                             f"{_did_you_mean(unknown[0], known)} (see kit.load_roles())")
        repeated = [r for i, r in enumerate(role_ids) if r in role_ids[:i]]
        if repeated:
            raise ValueError(f"org: role {repeated[0]!r} appears twice; give each role one row")
        columns = {}
        for column, low, rule in (("headcount", 0.0, "0 or more"), ("weekly_hours", 1e-9, "more than 0")):
            values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            bad = ~np.isfinite(values) | (values < low)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise ValueError(f"org: {column} of {role_ids[i]!r} is {table[column].iloc[i]!r}; it must be {rule}")
            columns[column] = tuple(values.tolist())
        return cls(tuple(role_ids), columns["headcount"], columns["weekly_hours"], name, _table_shares(table))

    def table(self) -> pd.DataFrame:
        """The organization as a table with columns role_id, headcount, weekly_hours, and one column
        per task family if it has custom shares (empty for roles that keep their O*NET mix)."""
        table = pd.DataFrame({"role_id": list(self.role_ids), "headcount": list(self.headcount),
                              "weekly_hours": list(self.weekly_hours)})
        if self.shares is not None:
            nan = [math.nan] * len(structure().families)
            custom = pd.DataFrame([nan if row is None else list(row) for row in self.shares],
                                  columns=list(structure().families))
            table = pd.concat([table, custom.drop(columns=OVERSIGHT_FAMILY)], axis=1)
        return table

    def __repr__(self):
        return f"<Organization {self.name!r}: {len(self.role_ids)} roles, {sum(self.headcount):g} people>"



def organization_problems(org: Organization) -> list[str]:
    """Every problem with an organization's fields, in words (an empty list when it is sound).

    >>> from types import SimpleNamespace as Fields
    >>> organization_problems(Fields(name="Clinic", role_ids=("registered_nurses",), headcount=(-2.0,),
    ...                              weekly_hours=(40.0,), shares=None))
    ["org: headcount of 'registered_nurses' is -2.0; it must be 0 to 10,000,000 people"]
    """
    problem = name_problem(org.name) if isinstance(org.name, str) else "is not text"
    problems = [f"org: name: {quoted(org.name)} {problem}"] if problem else []
    roles = org.role_ids
    if not isinstance(roles, tuple) or not roles:
        return problems + [f"org: role_ids is {quoted(roles)}; give a tuple of one or more role ids "
                           "(see kit.load_roles())"]
    known = structure().role_ids
    for role in roles:
        if not isinstance(role, str) or role not in known:
            hint = _did_you_mean(role, known) if isinstance(role, str) else ""
            problems.append(f"org: role {quoted(role)} is not one of the kit's roles{hint} (see kit.load_roles())")
    repeated = sorted({r for i, r in enumerate(roles) if isinstance(r, str) and r in roles[:i]})
    problems += [f"org: role {r!r} appears twice; give each role one entry" for r in repeated]
    for column, low, high, rule in (("headcount", 0.0, MAX_HEADCOUNT, f"0 to {MAX_HEADCOUNT:,} people"),
                                    ("weekly_hours", MIN_WEEKLY_HOURS, HOURS_IN_A_WEEK,
                                     f"{MIN_WEEKLY_HOURS:g} to {HOURS_IN_A_WEEK} hours a week")):
        values = getattr(org, column)
        if not isinstance(values, tuple) or len(values) != len(roles):
            problems.append(f"org: {column} must be a tuple of {len(roles)} numbers, one per role")
            continue
        for role, value in zip(roles, values):
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not (
                    math.isfinite(value) and low <= value <= high):
                problems.append(f"org: {column} of {quoted(role)} is {quoted(value)}; it must be {rule}")
    return problems + _shares_problems(org.shares, roles)


_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript:|&#?\w+;", flags=re.I)


def name_problem(name: str) -> str | None:
    """What is wrong with an organization's name, if anything (it is shown in charts and exports).

    >>> name_problem("Maple Street Clinic") is None
    True
    >>> name_problem("<b>Clinic</b>")
    'contains HTML or script markup; a name must be plain text'
    """
    if not name.strip():
        return "is empty; give the organization's name"
    if len(name) > MAX_NAME_LENGTH:
        return f"is {len(name):,} characters long; a name has at most {MAX_NAME_LENGTH}"
    if _MARKUP.search(name):
        return "contains HTML or script markup; a name must be plain text"
    if re.search(r"[\x00-\x1f\x7f]", name) or BIDI_CONTROLS.intersection(name):
        return "contains control characters; a name must be plain text"
    return None


def _shares_problems(shares, roles) -> list[str]:
    if shares is None:
        return []
    families = structure().families
    if not isinstance(shares, tuple) or len(shares) != len(roles):
        count = len(shares) if isinstance(shares, tuple) else quoted(shares)
        return [f"org: shares has {count} entries for {len(roles)} roles; give one per role (None keeps the "
                "role's baseline task mix)"]
    problems = []
    for role, row in zip(roles, shares):
        if row is None:
            continue
        try:
            values = np.array([float(v) for v in row])
        except (TypeError, ValueError, OverflowError):
            values = np.array([math.nan])
        if (len(values) != len(families) or not np.isfinite(values).all() or (values < 0).any()
                or abs(values.sum() - 1.0) > SHARE_TOLERANCE or values[families.index(OVERSIGHT_FAMILY)]):
            problems.append(f"org: the task-family shares of {quoted(role)} must be {len(families)} numbers "
                            f"(one per family of kit.model.structure().families), each 0 or more, "
                            f"summing to 1, with {OVERSIGHT_FAMILY} at 0")
    return problems


def _table_shares(table: pd.DataFrame):
    """Custom shares from a table's task-family columns: None per row left empty, else a tuple."""
    families = structure().families
    if not any(f in table.columns for f in families):
        return None
    given = table.reindex(columns=list(families))
    values = given.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    unreadable = np.isnan(values) & given.notna().to_numpy()
    if unreadable.any():
        i, j = (int(k[0]) for k in np.nonzero(unreadable))
        raise ValueError(f"org: the {families[j]} share of row {i} is {given.iat[i, j]!r}; it must be a number "
                         "(leave a role's share cells empty to keep its baseline task mix)")
    rows = []
    for row in values:
        if np.isnan(row).all():
            rows.append(None)
        else:
            row = np.nan_to_num(row, nan=0.0)
            rows.append(tuple(row.tolist()))
    return tuple(rows)


def preset_names() -> list[str]:
    """Ids of the named scenarios, in the order of presets.csv."""
    return list(dict.fromkeys(data.load_presets().preset_id))


def automatable_families(baseline: str | None = None) -> list[str]:
    """Task families that have an automation slider (every family but ai_oversight) in a baseline
    (the default one if None)."""
    return list(_automatable_families(DEFAULT_BASELINE if baseline is None else baselines.checked_baseline(baseline)))


@functools.lru_cache(maxsize=len(BASELINES))
def _automatable_families(baseline: str = DEFAULT_BASELINE) -> tuple[str, ...]:
    families = baselines.task_families(baseline)
    return tuple(families.family[families.automatable])


def _checked_rate(name: str, value, meaning: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name}: {value!r} is not a number; give {meaning} between 0 and 1")
    try:
        value = float(value)
    except OverflowError:  # an integer too large for a float is out of range too
        value = math.inf if value > 0 else -math.inf
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: {value!r} is out of range; {meaning} must be between 0 and 1 "
                         f"(0% to 100%)")
    return value


def _checked_automation(automation, baseline: str = DEFAULT_BASELINE) -> dict[str, float]:
    if not isinstance(automation, Mapping):
        raise ValueError(f"automation: {automation!r} is not a mapping; give {{task family: rate}}, "
                         f"e.g. {{'scheduling_access': 0.5}}")
    allowed = _automatable_families(baseline)
    checked = {}
    for family, rate in automation.items():
        if family == OVERSIGHT_FAMILY:
            raise ValueError(f"automation[{family!r}]: AI oversight is the human review of automated work "
                             "and cannot itself be automated; set oversight_ratio instead")
        if family not in allowed:
            raise ValueError(f"automation: {family!r} is not a task family{_did_you_mean(family, allowed)}; "
                             f"the families are: {', '.join(allowed)}")
        if isinstance(rate, Mapping):
            checked[family] = adoption.checked_users(family, rate)
        else:
            checked[family] = _checked_rate(f"automation[{family!r}]", rate, "an automation rate")
    return checked


def _checked_reinvestment(reinvestment) -> dict[str, float]:
    if not isinstance(reinvestment, Mapping):
        raise ValueError(f"reinvestment: {reinvestment!r} is not a mapping; give the shares "
                         "{'presence': ..., 'capacity': ..., 'released': ...} that sum to 1")
    unknown = [k for k in reinvestment if k not in REINVESTMENT_KEYS]
    if unknown:
        raise ValueError(f"reinvestment: {unknown[0]!r} is not a share{_did_you_mean(str(unknown[0]), REINVESTMENT_KEYS)}; "
                         f"the shares are presence, capacity and released")
    missing = [k for k in REINVESTMENT_KEYS if k not in reinvestment]
    if missing:
        raise ValueError(f"reinvestment: the share {missing[0]!r} is missing; give presence, capacity "
                         "and released, summing to 1")
    checked = {k: _checked_rate(f"reinvestment[{k!r}]", reinvestment[k], "a share") for k in REINVESTMENT_KEYS}
    total = sum(checked.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        given = ", ".join(f"{k}={v:g}" for k, v in checked.items())
        raise ValueError(f"reinvestment: the shares {given} sum to {total:g}; they must sum to 1 (100%)")
    return checked


def _checked_org(org):
    if isinstance(org, Organization):
        return org
    if isinstance(org, str):
        names = _org_names()
        if org not in names:
            raise ValueError(f"org: {org!r} is not an organization profile{_did_you_mean(org, names)}; "
                             f"choose one of: {', '.join(names)}, or pass a table with columns "
                             f"{', '.join(ORG_COLUMNS)}")
        return org
    return Organization.from_table(org)


def org_names() -> list[str]:
    """Ids of the organization profiles, in the order of org_profiles.csv."""
    return list(_org_names())


@functools.lru_cache(maxsize=1)
def _org_names() -> tuple[str, ...]:
    return tuple(dict.fromkeys(data.load_org_profiles().org_id))


def _did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --------------------------------------------------------------------------- arrays

@dataclass(frozen=True)
class Structure:
    """The model's fixed inputs as arrays: roles x families."""

    role_ids: tuple[str, ...]
    families: tuple[str, ...]
    family_modes: np.ndarray    # (F,) index into MODES
    shares: np.ndarray          # (R, F) share of each role's time per family
    exposure: np.ndarray        # (R, F) time-weighted exposure of the role's tasks in the family
    pajama_hours: np.ndarray    # (R,) after-hours documentation at baseline
    family_exposure: np.ndarray  # (F,) mean of exposure over the roles with tasks in the family

    def index(self, family: str) -> int:
        return self.families.index(family)


def structure(baseline: str | None = None) -> Structure:
    """Roles x families arrays of a baseline (the default one if None), built once from the datasets."""
    return _structure(DEFAULT_BASELINE if baseline is None else baselines.checked_baseline(baseline))


@functools.lru_cache(maxsize=len(BASELINES))
def _structure(baseline: str) -> Structure:
    if baseline != "onet":
        return _measured_structure(baseline)
    tasks, roles = data.load_tasks(), data.load_roles()
    fam = data.load_task_families()
    fam = fam[fam.family.isin(set(tasks.family) | {OVERSIGHT_FAMILY})]  # the job description's families
    families = tuple(fam.family)
    role_ids = tuple(roles.role_id)
    weight = tasks.pivot_table(index="role_id", columns="family", values="weight", aggfunc="sum")
    weight = weight.reindex(index=role_ids, columns=families, fill_value=0.0).fillna(0.0)
    exposed = (tasks.assign(we=tasks.weight * tasks.exposure)
               .pivot_table(index="role_id", columns="family", values="we", aggfunc="sum")
               .reindex(index=role_ids, columns=families, fill_value=0.0).fillna(0.0))
    shares = weight.to_numpy() / weight.to_numpy().sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        exposure = np.where(weight.to_numpy() > 0, exposed.to_numpy() / weight.to_numpy(), 0.0)
    modes = np.array([MODES.index(m) for m in fam["mode"]])
    pajama = roles.set_index("role_id").pajama_hours.reindex(role_ids).to_numpy(dtype=float)
    has = weight.to_numpy() > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        family_exposure = np.nan_to_num((exposure * has).sum(axis=0) / has.sum(axis=0))
    return Structure(role_ids, families, modes, shares, exposure, pajama, family_exposure)


def _measured_structure(baseline: str) -> Structure:
    """The measured baseline's arrays: kit.baseline's raked shares and their exposures."""
    roles = data.load_roles()
    shares, exposure = baselines.family_shares(baseline), baselines.family_exposure(baseline)
    role_ids, families = tuple(roles.role_id), tuple(shares.columns)
    modes_by_family = baselines.task_families(baseline).set_index("family")["mode"]
    modes = np.array([MODES.index(modes_by_family[f]) for f in families])
    pajama = roles.set_index("role_id").pajama_hours.reindex(role_ids).to_numpy(dtype=float)
    family_exposure = baselines.mean_family_exposure(baseline).reindex(families).to_numpy(dtype=float)
    return Structure(role_ids, families, modes, shares.reindex(role_ids).to_numpy(dtype=float),
                     exposure.reindex(role_ids).to_numpy(dtype=float), pajama, family_exposure)


def shift_hours(hours, exposure, automation, oversight_ratio, reinvestment, st: Structure | None = None,
                *, by_role: bool = False, by_family: bool = False, central=None, pajama=None, pass_through=None):
    """The model's arithmetic on arrays, batched over leading dimensions.

    hours (..., R, F) weekly hours per family before; exposure (R, F); automation (..., F), or
    (..., R, F) with by_role (a tool used by some roles only, kit.adoption); oversight_ratio (...,),
    or (..., F) with by_family (kit.review); reinvestment (..., 3) as (presence, capacity, released).
    central (F,) True where a central team, not the role, reviews the family (its hours leave the
    role's week). pajama (R,) after-hours documentation and pass_through (...,) the share of the net
    documentation cut that comes off it (A42): those hours stay in the day's documentation.
    Returns a dict of arrays: automated (..., R, F), after (..., R, F), and per role (..., R):
    automated_total, oversight, freed, to_presence, to_capacity, released (and central_review,
    pajama_cut).
    """
    st = st or structure()
    hours = np.asarray(hours, dtype=float)
    automation = np.asarray(automation, dtype=float)
    automation = automation if by_role else automation[..., None, :]
    rho = np.asarray(oversight_ratio, dtype=float)

    automated = hours * exposure * automation
    automated_total = automated.sum(axis=-1)
    doc = st.index("clinical_documentation")
    if by_family or central is not None:
        rho_f = (rho if by_family else rho[..., None] * np.ones(len(st.families)))[..., None, :]
        review_rf = rho_f * automated
        if central is not None:
            central_rf = np.where(central, review_rf, 0.0)
            review_rf = review_rf - central_rf
            central_review = central_rf.sum(axis=-1)
        else:
            central_review = np.zeros_like(automated_total)
        oversight = review_rf.sum(axis=-1)
        net_doc = automated[..., doc] - review_rf[..., doc]
    else:
        oversight = rho[..., None] * automated_total
        central_review = None
        net_doc = automated[..., doc] * (1 - rho[..., None])
    freed = automated_total - oversight
    remaining = hours - automated
    remaining[..., st.index(OVERSIGHT_FAMILY)] += oversight
    pajama_cut = None
    if pass_through is not None:
        pajama_cut = np.minimum(np.asarray(pajama, dtype=float), np.asarray(pass_through)[..., None] * net_doc)
        freed = freed - pajama_cut
        remaining[..., doc] += pajama_cut
    reinvestment = np.asarray(reinvestment, dtype=float)
    presence_share, capacity_share, released_share = (reinvestment[..., i, None] for i in range(3))
    remaining_total = remaining.sum(axis=-1)

    presence_mask = st.family_modes == MODES.index("presence")
    presence_left = np.where(presence_mask, remaining, 0.0)
    presence_total = presence_left.sum(axis=-1, keepdims=True)
    fallback = np.zeros(len(st.families))
    fallback[st.index(PRESENCE_FALLBACK_FAMILY)] = 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        presence_split = np.where(presence_total > 0, presence_left / presence_total, fallback)
        capacity_split = np.where(remaining_total[..., None] > 0, remaining / remaining_total[..., None], 0.0)
    to_presence = presence_share * freed
    nothing_to_scale = remaining_total <= 0
    to_capacity = np.where(nothing_to_scale, 0.0, capacity_share * freed)
    released = released_share * freed + np.where(nothing_to_scale, capacity_share * freed, 0.0)
    after = remaining + to_presence[..., None] * presence_split + to_capacity[..., None] * capacity_split
    return {"automated": automated, "after": after, "automated_total": automated_total,
            "oversight": oversight, "freed": freed, "to_presence": to_presence,
            "to_capacity": to_capacity, "released": released, "central_review": central_review,
            "pajama_cut": pajama_cut, "net_doc": net_doc}


def scenario_arrays(scenario: Scenario, st: Structure | None = None):
    """A scenario's automation vector (F,), oversight ratio and reinvestment vector (3,)."""
    st = st or structure()
    automation = np.array([scenario.automation.get(f, 0.0) for f in st.families])
    reinvestment = np.array([scenario.reinvestment[k] for k in REINVESTMENT_KEYS])
    return automation, scenario.oversight_ratio, reinvestment


def org_table(org: "str | Organization", baseline: str | None = None) -> pd.DataFrame:
    """role_id, headcount, weekly_hours (and custom task-family shares, if any) of an organization
    profile id or a custom organization; the measured baseline counts health-care-sector jobs for
    the US profile and the community hospital (kit.baseline.headcounts)."""
    if isinstance(org, Organization):
        return org.table()
    profiles = data.load_org_profiles()
    table = profiles.loc[profiles.org_id == org, list(ORG_COLUMNS)].reset_index(drop=True)
    measured = baselines.headcounts(org, DEFAULT_BASELINE if baseline is None else baseline)
    if measured is not None:
        table["headcount"] = table.role_id.map(measured).to_numpy(dtype=float)
    return table


# --------------------------------------------------------------------------- simulate

@dataclass(frozen=True, eq=False)
class Result:
    """What `simulate` returns. Hours in by_role, by_family and roles are per person per week;
    org_by_mode and org add them up over the organization's headcount."""

    scenario: Scenario
    by_role: pd.DataFrame      # one row per role and mode
    by_family: pd.DataFrame    # one row per role and task family
    roles: pd.DataFrame        # one row per role: the role's totals, FTEs and pajama time
    org_by_mode: pd.DataFrame  # one row per mode: the organization's weekly hours
    org: pd.Series             # organization totals

    def role(self, role_id: str) -> pd.DataFrame:
        """The by_role rows of one role, indexed by mode."""
        rows = self.by_role[self.by_role.role_id == role_id]
        if rows.empty:
            raise ValueError(f"role: {role_id!r} is not in this organization{_did_you_mean(role_id, self.roles.role_id)}")
        return rows.set_index("mode")


def as_scenario(scenario) -> Scenario:
    """The scenario to run: None means the default Scenario; anything but a Scenario is a mistake
    worth a message (a preset's name passed where its Scenario belongs is the common one)."""
    if scenario is None:
        return Scenario()
    if isinstance(scenario, Scenario):
        return scenario
    hint = (f"for the preset, pass kit.Scenario.from_preset({scenario!r})" if isinstance(scenario, str)
            else "build one with kit.Scenario(...) or kit.Scenario.from_preset(name)")
    raise ValueError(f"scenario: {repr(scenario)[:60]} is not a kit.Scenario; {hint}")


def simulate(scenario: Scenario | None = None) -> Result:
    """Run the model for one scenario (the default Scenario if none is given)."""
    scenario = as_scenario(scenario)
    st = structure(scenario.baseline)
    org = _org_setup(scenario.org, scenario.baseline)
    automation, rho, reinvestment = scenario_arrays(scenario, st)
    if _uses_issue12(scenario):  # kit.adoption / kit.review: role-scoped tools, review by family
        matrix, rho_f, central, exposure = _issue12_setup(scenario)
        out = shift_hours(org.hours, exposure, matrix, rho_f, reinvestment, st, by_role=True, by_family=True,
                          central=central, pajama=org.pajama, pass_through=scenario.pajama_pass_through)
    else:
        out = shift_hours(org.hours, org.exposure, automation, rho, reinvestment, st)
    return _result(scenario, st, org, out)


def _uses_issue12(scenario: Scenario) -> bool:
    return (adoption.is_scoped(scenario.automation) or isinstance(scenario.oversight_ratio, Mapping)
            or scenario.reviewers is not None or scenario.max_time_saved is not None
            or scenario.pajama_pass_through is not None)


@functools.lru_cache(maxsize=64)
def _issue12_setup(scenario: Scenario):
    """A scenario's (R, F) automation rates for its organization's roles, (F,) review ratios, (F,)
    central-review mask (or None) and (R, F) exposure after the time construct (A41). Cached:
    the same scenario is often run again (presets, exports)."""
    st, org = structure(scenario.baseline), _org_setup(scenario.org, scenario.baseline)
    role_ids = [st.role_ids[i] for i in org.rows]
    matrix = adoption.automation_matrix(scenario.automation, role_ids, st.families)
    rho_f, central = _review_setup(_frozen(scenario.oversight_ratio), _frozen(scenario.reviewers), scenario.baseline)
    return matrix, rho_f, central, _time_setup(scenario.org, _frozen(scenario.max_time_saved), scenario.baseline)


@functools.lru_cache(maxsize=64)
def _review_setup(oversight_ratio, reviewers, baseline):
    st = structure(baseline)
    ratio = dict(oversight_ratio) if isinstance(oversight_ratio, tuple) else oversight_ratio
    rho_f = review.ratio_vector(ratio, st.families)
    central = (None if reviewers is None
               else review.reviewer_vector(dict(reviewers), st.families) != review.SELF)
    return rho_f, central


@functools.lru_cache(maxsize=64)
def _time_setup(org, max_time_saved, baseline):
    setup = _org_setup(org, baseline)
    if max_time_saved is None:
        return setup.exposure
    time_saved = dict(max_time_saved) if isinstance(max_time_saved, tuple) else max_time_saved
    return adoption.time_exposure(setup.exposure, setup.rows, time_saved, structure(baseline), baseline)


@dataclass(frozen=True)
class _Org:
    """An organization's fixed arrays and the id columns of the result tables, built once."""

    rows: np.ndarray
    headcount: np.ndarray
    weekly: np.ndarray
    hours: np.ndarray
    exposure: np.ndarray
    pajama: np.ndarray
    ids: dict  # pre-built string columns of each result table (pandas' str arrays are slow to build)


@functools.lru_cache(maxsize=32)
def _org_setup(org: "str | Organization", baseline: str = DEFAULT_BASELINE) -> _Org:
    return _setup(org_table(org, baseline), structure(baseline))


def _setup(org: pd.DataFrame, st: Structure) -> _Org:
    roles = data.load_roles().set_index("role_id")
    role_ids = org.role_id.to_numpy(dtype=object)
    rows = np.array([st.role_ids.index(r) for r in role_ids])
    weekly = org.weekly_hours.to_numpy(dtype=float)
    shares, exposure = st.shares[rows], st.exposure[rows]
    custom = _in_families(_table_shares(org), st)
    if custom is not None:
        given = np.array([row is not None for row in custom])
        shares = shares.copy()
        shares[given] = [row for row in custom if row is not None]
        borrowed = given[:, None] & (st.shares[rows] == 0) & (shares > 0)
        exposure = np.where(borrowed, st.family_exposure, exposure)
    n_modes, n_fam = len(MODES), len(st.families)
    titles = roles.title.reindex(role_ids).to_numpy(dtype=object)
    groups = roles.group.reindex(role_ids).to_numpy(dtype=object)

    def text(values):
        return pd.array(values, dtype="str")

    ids = {
        "by_role": {"role_id": text(np.repeat(role_ids, n_modes)), "title": text(np.repeat(titles, n_modes)),
                    "group": text(np.repeat(groups, n_modes)), "mode": text(np.tile(MODES, len(rows)))},
        "by_family": {"role_id": text(np.repeat(role_ids, n_fam)), "family": text(np.tile(st.families, len(rows))),
                      "mode": text(np.tile(np.array(MODES)[st.family_modes], len(rows)))},
        "roles": {"role_id": text(role_ids), "title": text(titles), "group": text(groups)},
        "org_by_mode": {"mode": text(MODES)},
    }
    return _Org(rows, org.headcount.to_numpy(dtype=float), weekly, weekly[:, None] * shares,
                exposure, st.pajama_hours[rows], ids)


def _in_families(custom, st: Structure):
    """Custom shares (over the default baseline's families) re-ordered to another baseline's."""
    default = structure().families
    if custom is None or st.families == default:
        return custom
    rows = []
    for row in custom:
        if row is None:
            rows.append(None)
            continue
        given = dict(zip(default, row))
        lost = [f for f, v in given.items() if v > 0 and f not in st.families]
        if lost:
            raise ValueError(f"org: the custom shares give time to {', '.join(lost)}, a family this baseline "
                             "does not have; use the default baseline or move that time to another family")
        rows.append(tuple(given.get(f, 0.0) for f in st.families))
    return rows


def _by_mode(values: np.ndarray, modes: np.ndarray) -> np.ndarray:
    """Sum (R, F) family columns into (R, 3) mode columns."""
    return np.stack([values[:, modes == m].sum(axis=1) for m in range(len(MODES))], axis=1)


def _frame(ids: dict, **columns) -> pd.DataFrame:
    return pd.DataFrame({**ids, **columns}, copy=False)


def _result(scenario: Scenario, st: Structure, org: _Org, out: dict) -> Result:
    hours, headcount, weekly = org.hours, org.headcount, org.weekly
    n_roles, n_modes = len(org.rows), len(MODES)
    modes = st.family_modes
    before_m, after_m = _by_mode(hours, modes), _by_mode(out["after"], modes)
    automated_m = _by_mode(out["automated"], modes)
    oversight_m = np.zeros((n_roles, n_modes))
    oversight_m[:, MODES.index("curation")] = out["oversight"]
    presence_m = np.zeros((n_roles, n_modes))
    presence_m[:, MODES.index("presence")] = out["to_presence"]
    capacity_m = after_m - before_m + automated_m - oversight_m - presence_m
    if out.get("pajama_cut") is not None:  # evening documentation moved into the day (A42)
        capacity_m[:, MODES.index("execution")] -= out["pajama_cut"]
    with np.errstate(invalid="ignore", divide="ignore"):
        share_before = np.nan_to_num(before_m / before_m.sum(axis=1, keepdims=True))
        share_after = np.nan_to_num(after_m / after_m.sum(axis=1, keepdims=True))
    by_role = _frame(
        org.ids["by_role"], hours_before=before_m.ravel(), hours_after=after_m.ravel(),
        hours_change=(after_m - before_m).ravel(), automated=automated_m.ravel(), oversight=oversight_m.ravel(),
        to_presence=presence_m.ravel(), to_capacity=capacity_m.ravel(), share_before=share_before.ravel(),
        share_after=share_after.ravel())
    by_family = _frame(
        org.ids["by_family"], exposure=org.exposure.ravel(), hours_before=hours.ravel(),
        automated=out["automated"].ravel(), hours_after=out["after"].ravel())

    doc = st.index("clinical_documentation")
    if out.get("pajama_cut") is not None:
        pajama_after = org.pajama - out["pajama_cut"]
    else:  # assumption A12: pajama time falls in proportion to the net documentation cut
        with np.errstate(invalid="ignore", divide="ignore"):
            doc_cut = np.where(hours[:, doc] > 0, out["net_doc"] / hours[:, doc], 0.0)
        pajama_after = org.pajama * (1 - doc_cut)
    released_fte = out["released"] / weekly * headcount
    roles = _frame(
        org.ids["roles"], headcount=headcount, weekly_hours=weekly, hours_before=weekly,
        automated=out["automated_total"], oversight=out["oversight"], freed=out["freed"],
        to_presence=out["to_presence"], to_capacity=out["to_capacity"], released=out["released"],
        hours_after=weekly - out["released"], released_fte=released_fte, pajama_before=org.pajama,
        pajama_after=pajama_after)

    org_before, org_after = headcount @ before_m, headcount @ after_m
    total_before, total_after = org_before.sum(), org_after.sum()
    org_by_mode = _frame(
        org.ids["org_by_mode"], hours_before=org_before, hours_after=org_after,
        share_before=org_before / total_before if total_before else np.zeros(n_modes),
        share_after=org_after / total_after if total_after else np.zeros(n_modes))

    oversight_hours = float(headcount @ out["oversight"])
    team_fte = oversight_hours / OVERSIGHT_TEAM_WEEKLY_HOURS
    reviews = _review_totals(scenario, st, org, out)
    if scenario.reviewers is not None:  # the team is only the central review, not hours in roles' weeks
        team_fte, team_cost = reviews["central_team_fte"], reviews["central_team_cost"]
    else:
        team_cost = team_fte * _oversight_wage()
    totals = {
        "headcount": headcount.sum(), "hours_before": headcount @ weekly,
        "automated": headcount @ out["automated_total"], "oversight": oversight_hours,
        "freed": headcount @ out["freed"], "to_presence": headcount @ out["to_presence"],
        "to_capacity": headcount @ out["to_capacity"], "released": headcount @ out["released"],
        "hours_after": headcount @ (weekly - out["released"]), "released_fte": released_fte.sum(),
        "oversight_team_fte": team_fte, "oversight_team_cost": team_cost,
        "pajama_clinicians": headcount[org.pajama > 0].sum(),
        "pajama_before": headcount @ org.pajama, "pajama_after": headcount @ pajama_after,
        **reviews,
    }
    org_series = pd.Series(np.fromiter(totals.values(), dtype=float), index=ORG_TOTALS, copy=False)
    return Result(scenario, by_role, by_family, roles, org_by_mode, org_series)


ORG_TOTALS = pd.Index(["headcount", "hours_before", "automated", "oversight", "freed", "to_presence",
                       "to_capacity", "released", "hours_after", "released_fte", "oversight_team_fte",
                       "oversight_team_cost", "pajama_clinicians", "pajama_before", "pajama_after",
                       "self_review_hours", "self_review_cost", "central_review_hours", "central_team_fte",
                       "central_team_cost", "central_team_cost_listing"])


def _review_totals(scenario: Scenario, st: Structure, org: "_Org", out: dict) -> dict:
    """Self-review and central-team hours and costs (kit.review), each at the reviewer's wage."""
    role_ids = [st.role_ids[i] for i in org.rows]
    reviewers = review.reviewer_vector(scenario.reviewers, st.families)
    central = out.get("central_review")
    if central is None or not central.any():
        central_rf = np.zeros_like(out["automated"])
    else:
        _, rho_f, mask, _ = _issue12_setup(scenario)
        central_rf = np.where(mask, rho_f * out["automated"], 0.0)
    return review.costs(role_ids, org.headcount, out["oversight"], central_rf, reviewers,
                        OVERSIGHT_TEAM_WEEKLY_HOURS)


@functools.lru_cache(maxsize=1)
def _oversight_wage() -> float:
    """BLS median annual wage of the role that staffs a central oversight team (assumption A11)."""
    return float(data.load_roles().set_index("role_id").median_wage[OVERSIGHT_TEAM_WAGE_ROLE])
