"""Which slider matters most? A vectorized Monte Carlo over scenarios, built on kit.model.shift_hours.

    runs = kit.sensitivity.monte_carlo(10_000, seed=1)        # one row per random scenario
    kit.charts.sensitivity(kit.sensitivity.swings(runs, "released_fte"))

Each run draws every varied slider at random (automation rates and the oversight ratio uniform on
0..1, the three reinvestment shares uniform over all splits that sum to 1) and computes the same
outcomes as `kit.simulate()` (tests check they agree), for all runs at once.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import data, model
from .model import MODES, REINVESTMENT_KEYS

OUTCOMES = {
    "released_fte": ("Released FTE", "FTE"),
    "oversight_team_fte": ("New AI-oversight work", "FTE"),
    "execution_share": ("Execution share of paid hours", "% of hours"),
    "presence_share": ("Presence share of paid hours", "% of hours"),
    "presence_hours": ("Presence hours, whole organization", "hours/week"),
    "pajama_after": ("Pajama time, all clinicians", "hours/week"),
}
ROLE_OUTCOMES = {f"role_{m}": (f"{m.capitalize()} hours of the role", "hours/week per person") for m in MODES}
CHUNK = 2_000  # runs per batch: keeps memory near 50 MB for any n


def parameters(vary=None) -> list[str]:
    """Names of the sliders a Monte Carlo can vary, as in presets.csv: automation.<family>,
    oversight_ratio, reinvestment (the three shares together)."""
    names = [f"automation.{f}" for f in model.automatable_families()] + ["oversight_ratio", "reinvestment"]
    if vary is None:
        return names
    unknown = [v for v in vary if v not in names]
    if unknown:
        raise ValueError(f"vary: {unknown[0]!r} is not a slider; choose from {', '.join(names)}")
    return list(vary)


def sample(n: int = 10_000, *, base: model.Scenario | None = None, vary=None, seed: int | None = 0) -> pd.DataFrame:
    """n random scenarios as a table (one column per parameter, rates 0..1); sliders not in `vary`
    keep their value in `base` (default: the default Scenario)."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n: {n!r} is not a number of runs; give a whole number of at least 1")
    base = base or model.Scenario()
    varied = parameters(vary)
    rng = np.random.default_rng(seed)
    columns = {}
    for f in model.automatable_families():
        name = f"automation.{f}"
        columns[name] = rng.random(n) if name in varied else np.full(n, base.automation_rate(f))
    columns["oversight_ratio"] = rng.random(n) if "oversight_ratio" in varied else np.full(n, base.oversight_ratio)
    shares = (rng.dirichlet(np.ones(3), n) if "reinvestment" in varied
              else np.tile([base.reinvestment[k] for k in REINVESTMENT_KEYS], (n, 1)))
    for i, k in enumerate(REINVESTMENT_KEYS):
        columns[f"reinvestment.{k}"] = shares[:, i]
    return pd.DataFrame(columns)


def outcomes(samples: pd.DataFrame, org="us_workforce", role: str | None = None) -> pd.DataFrame:
    """The outcomes (OUTCOMES, and ROLE_OUTCOMES if `role` is given) of every sampled scenario."""
    st = model.structure()
    org = model.Scenario(org=org).org  # validates the organization
    setup = model._org_setup(org)
    row = None
    if role is not None:
        ids = list(np.asarray(st.role_ids)[setup.rows])
        if role not in ids:
            raise ValueError(f"role: {role!r} is not in this organization; choose from {', '.join(ids)}")
        row = ids.index(role)
    automation = np.zeros((len(samples), len(st.families)))
    for f in model.automatable_families():
        automation[:, st.index(f)] = samples[f"automation.{f}"].to_numpy(dtype=float)
    rho = samples["oversight_ratio"].to_numpy(dtype=float)
    shares = samples[[f"reinvestment.{k}" for k in REINVESTMENT_KEYS]].to_numpy(dtype=float)
    parts = [_outcomes(setup, st, automation[i:i + CHUNK], rho[i:i + CHUNK], shares[i:i + CHUNK], row)
             for i in range(0, len(samples), CHUNK)]
    return pd.DataFrame({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})


def _outcomes(setup, st, automation, rho, shares, row) -> dict[str, np.ndarray]:
    out = model.shift_hours(setup.hours, setup.exposure, automation, rho, shares, st)
    headcount, weekly = setup.headcount, setup.weekly
    after = out["after"]  # (n, R, F)
    by_mode = np.stack([after[..., st.family_modes == m].sum(axis=-1) for m in range(len(MODES))], axis=-1)
    org_mode = np.einsum("nrm,r->nm", by_mode, headcount)
    total = org_mode.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total[:, None] > 0, org_mode / total[:, None], 0.0)
    doc = st.index("clinical_documentation")
    hours_doc = setup.hours[:, doc]
    with np.errstate(invalid="ignore", divide="ignore"):
        cut = np.where(hours_doc > 0, out["automated"][..., doc] * (1 - rho[:, None]) / hours_doc, 0.0)
    result = {
        "released_fte": (out["released"] / weekly) @ headcount,
        "oversight_team_fte": out["oversight"] @ headcount / model.OVERSIGHT_TEAM_WEEKLY_HOURS,
        "execution_share": 100 * share[:, MODES.index("execution")],
        "presence_share": 100 * share[:, MODES.index("presence")],
        "presence_hours": org_mode[:, MODES.index("presence")],
        "pajama_after": (setup.pajama * (1 - cut)) @ headcount,
    }
    if row is not None:
        for m, mode in enumerate(MODES):
            result[f"role_{mode}"] = by_mode[:, row, m]
    return result


def monte_carlo(n: int = 10_000, *, base: model.Scenario | None = None, vary=None, seed: int | None = 0,
                role: str | None = None) -> pd.DataFrame:
    """n random scenarios around `base` and their outcomes, one row per run (parameters, then
    outcomes). The organization is base.org."""
    base = base or model.Scenario()
    samples = sample(n, base=base, vary=vary, seed=seed)
    runs = pd.concat([samples, outcomes(samples, base.org, role)], axis=1)
    runs.attrs["role"] = role
    return runs


def swings(runs: pd.DataFrame, outcome: str = "released_fte", *, tail: float = 0.1) -> pd.DataFrame:
    """Per varied parameter, the mean outcome over the runs where that parameter is in its bottom
    `tail` (low) and top `tail` (high): the bars of a tornado chart, largest swing first."""
    known = {**OUTCOMES, **ROLE_OUTCOMES}
    if outcome not in runs.columns or outcome not in known:
        present = [k for k in known if k in runs.columns]
        raise ValueError(f"outcome: {outcome!r} is not an outcome of these runs; choose from {', '.join(present)}")
    if not 0 < tail <= 0.5:
        raise ValueError(f"tail: {tail!r} is out of range; give a share of runs between 0 and 0.5")
    families = data.load_task_families().set_index("family")
    y = runs[outcome].to_numpy()
    rows = []
    for column in runs.columns:
        if column in known or runs[column].nunique() <= 1:
            continue
        x = runs[column].to_numpy()
        low, high = np.quantile(x, [tail, 1 - tail])
        if column.startswith("automation."):
            family = column.split(".", 1)[1]
            label, mode = families.loc[family, "slider_label"], families.loc[family, "mode"]
        elif column == "oversight_ratio":
            label, mode = "Review per AI hour", "curation"
        else:
            key = column.split(".", 1)[1]
            label, mode = f"Freed hours to {key}", None
        rows.append({"parameter": column, "label": label, "mode": mode, "low": y[x <= low].mean(),
                     "high": y[x >= high].mean(), "baseline": y.mean()})
    if not rows:
        raise ValueError("swings: no parameter varies in these runs; run monte_carlo with vary=None or more sliders")
    table = pd.DataFrame(rows)
    table["swing"] = table.high - table.low
    label = known[outcome][0]
    if outcome in ROLE_OUTCOMES and runs.attrs.get("role"):
        title = data.load_roles().set_index("role_id").title.get(runs.attrs["role"], runs.attrs["role"])
        label = f"{outcome.removeprefix('role_').capitalize()} hours of {title}"
    table["outcome"], table["outcome_label"], table["unit"] = outcome, label, known[outcome][1]
    table["runs"] = len(runs)
    return table.reindex(table.swing.abs().sort_values(ascending=False).index).reset_index(drop=True)
