"""Where a role's week starts: the job description (O*NET) or the clock (time-use studies).

Two baselines, chosen with `kit.Scenario(baseline=...)`:

- ``"onet"``: each role's task-family shares are its O*NET task weights (assumption A08), and the
  US profile counts BLS's cross-industry employment. This is what the job description says.
- ``"measured"``: the O*NET shares with clean weights (A23) are *raked* to the published time-use
  figures in datasets/time_use_benchmarks.csv (A25): each group of families with a target in
  datasets/measured_targets.csv takes the target's share of the week, split inside the group in
  O*NET's proportions, and the families without a target share what is left in O*NET's proportions.
  New families the job description lacks (the clinicians' inbox, A21; their own prior
  authorization) enter here. The US profile and the community hospital count health-care-sector
  jobs (NAICS 62, A26) with home health aides split from personal care aides (A24). This is what
  the clock says, where a clock has been read; other roles keep the O*NET mix.

Pure functions over the curated tables; results are cached because the tables never change in a session.
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from . import data

BASELINES = ("measured", "onet")
DEFAULT_BASELINE = "measured"
OVERSIGHT_FAMILY = "ai_oversight"
INBOX_FAMILY = "inbox_messages"
INBOX_EXPOSURE = 0.5  # assumption A21: the E2 label (needs an EHR-integrated drafting tool)
MEASURED_ORGS = ("us_workforce", "community_hospital")  # profiles whose headcounts the measured baseline replaces
TARGET_TOLERANCE = 1e-9


def checked_baseline(baseline) -> str:
    """The baseline's name, or a ValueError that names the allowed values."""
    if isinstance(baseline, str) and baseline in BASELINES:
        return baseline
    raise ValueError(f"baseline: {baseline!r} is not a baseline; choose one of: "
                     f"{', '.join(repr(b) for b in BASELINES)} ('measured' reconciles each role's week with "
                     "time-use studies, 'onet' keeps the O*NET job description)")


def rake(shares: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Reconcile task-family shares (roles x families, rows sum to 1) with targets (role_id,
    families as 'a;b', share): each target group takes its share, split in the rows' proportions
    (equally if the row has none there); the other families share the rest in proportion."""
    out = shares.astype(float).copy()
    for role, rows in targets.groupby("role_id", sort=False):
        if role not in out.index:
            raise ValueError(f"rake: target role {role!r} has no shares")
        before = out.loc[role].copy()
        after = pd.Series(0.0, index=out.columns)
        claimed = set()
        for group, share in zip(rows.families, rows.share):
            families = group.split(";")
            unknown = [f for f in families if f not in out.columns]
            if unknown:
                raise ValueError(f"rake: {role} target names unknown families {unknown}")
            overlap = claimed & set(families)
            if overlap:
                raise ValueError(f"rake: {role} has families in two targets: {sorted(overlap)}")
            claimed |= set(families)
            inside = before[families]
            split = inside / inside.sum() if inside.sum() > 0 else pd.Series(1.0 / len(families), index=families)
            after[families] = share * split
        rest = [f for f in out.columns if f not in claimed and f != OVERSIGHT_FAMILY]
        left = 1.0 - float(rows.share.sum())
        if left < -TARGET_TOLERANCE:
            raise ValueError(f"rake: {role}'s targets add up to {1 - left:.4f}, more than the whole week")
        free = before[rest]
        if free.sum() <= 0 and left > TARGET_TOLERANCE:
            raise ValueError(f"rake: {role} has {left:.4f} of its week left but no untargeted work to give it to")
        if free.sum() > 0:
            after[rest] = max(left, 0.0) * free / free.sum()
        out.loc[role] = after
    return out


@functools.cache
def _tables(baseline: str):
    """(shares, exposure) as roles x families DataFrames for a baseline, and its family list."""
    tasks, roles = data.load_tasks(), data.load_roles()
    all_families = list(task_families(baseline).family)
    weight = "weight" if baseline == "onet" else "weight_clean"
    pivot = functools.partial(pd.pivot_table, index="role_id", columns="family", aggfunc="sum")
    w = pivot(tasks, values=weight).reindex(index=roles.role_id, columns=all_families).fillna(0.0)
    we = pivot(tasks.assign(we=tasks[weight] * tasks.exposure), values="we").reindex(
        index=roles.role_id, columns=all_families).fillna(0.0)
    shares = w.div(w.sum(axis=1), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        exposure = (we / w).where(w > 0, 0.0)
    has = w > 0
    family_mean = (exposure * has).sum() / has.sum().replace(0, np.nan)
    if baseline == "measured":
        shares = rake(shares, data.load_measured_targets())
        new = (shares > 0) & ~has  # families a role gets only from the clock
        exposure = exposure.where(~new, pd.DataFrame([family_mean.fillna(0.0).to_numpy()] * len(shares),
                                                     index=shares.index, columns=shares.columns))
        if INBOX_FAMILY in exposure.columns:
            exposure[INBOX_FAMILY] = np.where(shares[INBOX_FAMILY] > 0, INBOX_EXPOSURE, 0.0)
    used = [f for f in all_families if f == OVERSIGHT_FAMILY or (shares[f] > 0).any()]
    return shares[used], exposure[used], family_mean.reindex(used).fillna(0.0)


def task_families(baseline: str = DEFAULT_BASELINE) -> pd.DataFrame:
    """The task_families table (both baselines share it; the O*NET baseline gives no time to the
    families no O*NET task statement has, such as the inbox)."""
    checked_baseline(baseline)
    return data.load_task_families()


def family_shares(baseline: str = DEFAULT_BASELINE) -> pd.DataFrame:
    """Each role's share of the week per task family (roles x families) in a baseline."""
    return _tables(checked_baseline(baseline))[0].copy()


def family_exposure(baseline: str = DEFAULT_BASELINE) -> pd.DataFrame:
    """Each role's time-weighted AI exposure per task family (roles x families) in a baseline."""
    return _tables(checked_baseline(baseline))[1].copy()


def families(baseline: str = DEFAULT_BASELINE) -> tuple[str, ...]:
    """The task families a baseline gives time to (plus ai_oversight), in task_families order."""
    return tuple(_tables(checked_baseline(baseline))[0].columns)


def mean_family_exposure(baseline: str = DEFAULT_BASELINE) -> pd.Series:
    """Per family, the mean exposure over the roles whose tasks have it (what a role borrows where
    it has no task of its own in the family)."""
    return _tables(checked_baseline(baseline))[2].copy()


def headcounts(org_id: str, baseline: str = DEFAULT_BASELINE) -> pd.Series | None:
    """Headcount per role that the baseline uses for a profile instead of org_profiles' (None if it
    keeps org_profiles'): the measured baseline counts health-care-sector jobs (A26)."""
    if checked_baseline(baseline) != "measured" or org_id not in MEASURED_ORGS:
        return None
    table = data.load_measured_headcounts()
    rows = table[table.org_id == org_id]
    return rows.set_index("role_id").headcount.astype(float)


def comparison() -> pd.DataFrame:
    """Every time-use benchmark that maps to kit families, beside the share the kit gives those
    families on each baseline: what the job description says against what the clock says."""
    bench = data.load_time_use_benchmarks()
    bench = bench[bench.families.notna() & bench.share.notna() & (bench.use != "context")]
    rows = []
    measured, onet = family_shares("measured"), family_shares("onet")
    for b in bench.itertuples():
        families = b.families.split(";")
        published = b.share
        if b.benchmark_id.startswith("rotenstein"):  # a difference to physicians: compare the APP total
            published = _bench_share("sinsky2016_ehr_desk") + b.share
        rows.append({"benchmark_id": b.benchmark_id, "role_id": b.role_id, "activity": b.activity,
                     "use": b.use, "checked": b.checked, "published": round(float(published), 4),
                     "onet": float(onet.reindex(columns=families, fill_value=0.0).loc[b.role_id].sum()),
                     "measured": float(measured.reindex(columns=families, fill_value=0.0).loc[b.role_id].sum())})
    return pd.DataFrame(rows)


def _bench_share(benchmark_id: str) -> float:
    bench = data.load_time_use_benchmarks().set_index("benchmark_id")
    return float(bench.share[benchmark_id])


# --------------------------------------------------------------------------- chapter 01: job description against clock

# Kinds of work the chart and table compare, each a group of task families (with its mode's colour).
KINDS = {
    "EHR & desk work": ("clinical_documentation", "care_coordination", "records_administration", "coding_billing",
                        "scheduling_access"),
    "Inbox & patient messages": ("inbox_messages",),
    "Prior authorization & insurance": ("prior_authorization",),
    "Diagnostic interpretation": ("diagnostic_interpretation",),
    "Technical & bench work": ("technical_procedures",),
    "Judgement, leadership & data": ("clinical_judgement", "leadership_teaching", "data_stewardship"),
    "Presence: care & conversation": ("direct_physical_care", "emotional_support"),
}
KIND_COLOURS = ("#D55E00", "#E69F00", "#F0C987", "#CC79A7", "#8C510A", "#0072B2", "#009E73")
SOURCES = {"onet": "Job description (O*NET)", "measured": "Clock (time-use studies)"}
CLOCK_ROLES = ("family_medicine_physicians", "internal_medicine_physicians", "nurse_practitioners",
               "registered_nurses", "radiologists", "medical_assistants")
EHR_KINDS = ("EHR & desk work", "Inbox & patient messages")


def clock_table(role_ids=CLOCK_ROLES) -> pd.DataFrame:
    """Share of the week per kind of work (KINDS), on the job description and on the clock, one
    row per role and kind: the numbers behind `clock_chart`."""
    roles = data.load_roles().set_index("role_id").title
    unknown = [r for r in role_ids if r not in roles.index]
    if unknown:
        raise ValueError(f"role: {unknown[0]!r} is not one of the kit's roles (see kit.load_roles())")
    shares = {b: family_shares(b) for b in SOURCES}
    rows = []
    for role in role_ids:
        for kind, families in KINDS.items():
            rows.append({"role_id": role, "title": roles[role], "kind": kind,
                         **{b: float(shares[b].reindex(columns=list(families), fill_value=0.0).loc[role].sum())
                            for b in SOURCES}})
    return pd.DataFrame(rows).rename(columns={"onet": "job_description", "measured": "clock"})


def clock_headline(role_id: str = "family_medicine_physicians") -> str:
    """One sentence: the role's EHR-type share (desk work and inbox) on the job description and on the clock."""
    table = clock_table([role_id])
    ehr = table[table.kind.isin(EHR_KINDS)][["job_description", "clock"]].sum()
    title = table.title.iloc[0]
    return (f"The job description gives {title} {ehr.job_description:.0%} of the week for EHR, desk and inbox "
            f"work; the clock says {ehr.clock:.0%}")
