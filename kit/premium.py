"""The empathy premium on trial: wage and employment growth by role, and honest statistics on it.

Pure functions over pandas DataFrames and arrays (no I/O except the default tables from kit.data):

- `growth_table(start, end)`: each role's employment and wages in two Mays of BLS OEWS, with growth,
  using only rows whose code is comparable (same code or a one-to-one SOC 2010 equivalent) and
  leaving a wage empty, with its reason, where BLS withholds it (top-code) instead of guessing it.
- `log_growth`, `percent_change`: growth between two values. Statistics use log growth (in log
  points, 100 x ln(end / start)): close to the percent change for small changes, symmetric, and
  comparable per year across periods of different length.
- `pearson`, `spearman`, `fisher_ci`, `bootstrap_ci`, `permutation_p`, `partial_correlation` and
  `correlation_test`, which puts them together: how strongly two things go together across roles,
  and how sure a sample of about twenty roles lets anyone be. Random draws are seeded, so every run
  (and every chapter a learner re-runs) prints the same numbers.
"""
from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

from . import data

MEASURES = ("median_wage", "mean_wage", "employment")
METHODS = ("pearson", "spearman")
SEED = 2024        # the chapter's random seed: any fixed number gives reproducible intervals
N_RESAMPLES = 4000  # bootstrap resamples and permutations; the third decimal of a p-value still moves


def log_growth(start, end):
    """Growth in log points, 100 x ln(end / start); NaN where either value is missing or not positive.

    >>> round(log_growth(100, 110), 2)
    9.53
    >>> log_growth(100, 100)
    0.0
    """
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where((start > 0) & (end > 0), 100 * np.log(end / start), np.nan)
    return float(out) if out.ndim == 0 else out


def percent_change(start, end):
    """Percent change, 100 x (end / start - 1).

    >>> percent_change(55830, 43070).round(1)
    np.float64(-22.9)
    """
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    return 100 * (end / start - 1)


def pearson(x, y) -> float:
    """Pearson's correlation of two equally long sequences; NaN if either is constant or n < 3.

    >>> pearson([1, 2, 3, 4], [2, 4, 6, 8])
    1.0
    >>> round(pearson([1, 2, 3, 4], [1, 3, 2, 4]), 3)
    0.8
    """
    x, y = _pair(x, y)
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return math.nan
    dx, dy = x - x.mean(), y - y.mean()
    return float(np.clip((dx * dy).sum() / math.sqrt((dx * dx).sum() * (dy * dy).sum()), -1.0, 1.0))


def spearman(x, y) -> float:
    """Spearman's rank correlation: Pearson's on ranks (ties share their mean rank).

    >>> spearman([1, 2, 3, 4], [1, 4, 9, 16])
    1.0
    """
    x, y = _pair(x, y)
    return pearson(pd.Series(x).rank().to_numpy(), pd.Series(y).rank().to_numpy())


def fisher_ci(r: float, n: int, controls: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Confidence interval for a correlation from Fisher's z: atanh(r) +/- z / sqrt(n - 3 - controls),
    where `controls` is the number of variables partialled out (0 for a plain correlation).

    >>> [round(v, 2) for v in fisher_ci(0.5, 28)]
    [0.16, 0.74]
    """
    if not -1 < r < 1 or n - 3 - controls < 1:
        return (math.nan, math.nan)
    half = NormalDist().inv_cdf(0.5 + level / 2) / math.sqrt(n - 3 - controls)
    z = math.atanh(r)
    return (math.tanh(z - half), math.tanh(z + half))


def partial_correlation(x, y, control, method: str = "pearson") -> float:
    """Correlation of x and y once a control variable's straight-line effect is taken out of both
    (the correlation of their least-squares residuals on the control). With method="spearman" the
    three are ranked first.

    Two series that both rise with a third can correlate only through it:

    >>> c, x, y = [1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], [1, 3, 2, 5, 4, 6]
    >>> round(pearson(x, y), 2), round(partial_correlation(x, y, c), 2)
    (0.49, -0.95)
    """
    x, y, control = _triple(x, y, control)
    if method == "spearman":
        x, y, control = (pd.Series(v).rank().to_numpy() for v in (x, y, control))
    design = np.column_stack([np.ones(len(control)), control])
    def residual(v):
        return v - design @ np.linalg.lstsq(design, v, rcond=None)[0]
    return pearson(residual(x), residual(y))


def bootstrap_ci(x, y, control=None, method: str = "pearson", n_resamples: int = N_RESAMPLES,
                 seed: int = SEED, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the (partial) correlation: resample roles with replacement,
    recompute, keep the middle `level` of the results. Seeded, so the same inputs give the same
    interval; resamples whose correlation is undefined (all one value) are skipped."""
    _check_method(method)
    arrays = _triple(x, y, control) if control is not None else _pair(x, y)
    n = len(arrays[0])
    picks = np.random.default_rng(seed).integers(0, n, (n_resamples, n))
    samples = [a[picks] for a in arrays]
    if method == "spearman":
        samples = [pd.DataFrame(a).rank(axis=1).to_numpy() for a in samples]
    stats = _batch_pearson(samples[0], samples[1])
    if control is not None:
        xz, yz = _batch_pearson(samples[0], samples[2]), _batch_pearson(samples[1], samples[2])
        with np.errstate(divide="ignore", invalid="ignore"):
            stats = (stats - xz * yz) / np.sqrt((1 - xz ** 2) * (1 - yz ** 2))
    stats = stats[np.isfinite(stats)]
    if len(stats) == 0:
        return (math.nan, math.nan)
    tail = (1 - level) / 2
    low, high = np.quantile(stats, [tail, 1 - tail])
    return (float(low), float(high))


def permutation_p(x, y, control=None, method: str = "pearson", n_resamples: int = N_RESAMPLES,
                  seed: int = SEED) -> float:
    """Two-sided permutation p-value: the share of random re-pairings of y with x (y's residuals,
    if there is a control) whose correlation is at least as far from zero as the observed one,
    counting the observed pairing itself, (hits + 1) / (n_resamples + 1). Seeded.

    >>> permutation_p([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]) < 0.01
    True
    """
    _check_method(method)
    if control is not None:
        x, y, control = _triple(x, y, control)
    else:
        x, y = _pair(x, y)
    if method == "spearman":
        x, y = (pd.Series(v).rank().to_numpy() for v in (x, y))
        control = None if control is None else pd.Series(control).rank().to_numpy()
    if control is not None:
        design = np.column_stack([np.ones(len(control)), control])
        x, y = (v - design @ np.linalg.lstsq(design, v, rcond=None)[0] for v in (x, y))
    observed = abs(pearson(x, y))
    if math.isnan(observed):
        return math.nan
    rng = np.random.default_rng(seed)
    shuffled = np.stack([rng.permutation(y) for _ in range(n_resamples)])
    r = _batch_pearson(np.broadcast_to(x, shuffled.shape), shuffled)
    hits = int((np.abs(r) >= observed - 1e-12).sum())
    return (hits + 1) / (n_resamples + 1)


def correlation_test(x, y, control=None, method: str = "pearson", n_resamples: int = N_RESAMPLES,
                     seed: int = SEED) -> pd.Series:
    """Everything a reader needs to judge one correlation across roles: n, r, its Fisher and
    bootstrap 95% intervals, and the permutation p-value. With `control`, r is the partial
    correlation holding the control fixed. Rows with a missing value in any input are dropped."""
    _check_method(method)
    frame = pd.DataFrame({"x": np.asarray(x, dtype=float), "y": np.asarray(y, dtype=float)})
    if control is not None:
        frame["c"] = np.asarray(control, dtype=float)
    frame = frame.dropna()
    args = [frame.x.to_numpy(), frame.y.to_numpy()]
    c = frame.c.to_numpy() if control is not None else None
    r = _statistic(*args, c, method=method) if c is not None else _statistic(*args, method=method)
    fisher = fisher_ci(r, len(frame), controls=0 if c is None else 1) if not math.isnan(r) else (math.nan,) * 2
    boot = bootstrap_ci(*args, control=c, method=method, n_resamples=n_resamples, seed=seed)
    return pd.Series({"n": len(frame), "r": r, "fisher_low": fisher[0], "fisher_high": fisher[1],
                      "bootstrap_low": boot[0], "bootstrap_high": boot[1],
                      "p_permutation": permutation_p(*args, control=c, method=method,
                                                     n_resamples=n_resamples, seed=seed),
                      "method": method, "partial": c is not None})


def fitted_line(x, y, points: int = 25, n_resamples: int = N_RESAMPLES, seed: int = SEED,
                 level: float = 0.95) -> pd.DataFrame:
    """The least-squares line of y on x at `points` evenly spaced x values, with a seeded percentile
    bootstrap band (resampling roles): where the line could lie, given this handful of roles.

    >>> fitted_line([1, 2, 3], [2, 4, 6], points=3).fit.round(6).tolist()
    [2.0, 4.0, 6.0]
    """
    x, y = _pair(x, y)
    grid = np.linspace(x.min(), x.max(), points)
    slope, intercept = np.polyfit(x, y, 1)
    picks = np.random.default_rng(seed).integers(0, len(x), (n_resamples, len(x)))
    xs, ys = x[picks], y[picks]
    dx = xs - xs.mean(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = (dx * (ys - ys.mean(axis=1, keepdims=True))).sum(axis=1) / (dx * dx).sum(axis=1)
    intercepts = ys.mean(axis=1) - slopes * xs.mean(axis=1)
    keep = np.isfinite(slopes)
    lines = intercepts[keep, None] + slopes[keep, None] * grid[None, :]
    tail = (1 - level) / 2
    low, high = np.quantile(lines, [tail, 1 - tail], axis=0)
    return pd.DataFrame({"x": grid, "fit": intercept + slope * grid, "low": low, "high": high})


def strength(r: float, low: float, high: float) -> str:
    """Words for a correlation and its interval, judged on r and on whether the interval holds zero.

    >>> strength(0.01, -0.41, 0.43)
    'no clear link'
    >>> strength(-0.59, -0.81, -0.22)
    'a clear negative link'
    >>> strength(0.39, -0.04, 0.70)
    'a positive lean, not clearly different from none'
    """
    if math.isnan(r):
        return "too few roles to say"
    if low > 0 or high < 0:
        return f"a clear {'positive' if r > 0 else 'negative'} link"
    if abs(r) < 0.2:
        return "no clear link"
    return f"a {'positive' if r > 0 else 'negative'} lean, not clearly different from none"


# --------------------------------------------------------------------------- the wage table

def growth_table(start: int = 2021, end: int = 2024, wages: pd.DataFrame | None = None,
                 roles: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per occupation: employment, median and mean wage in May `start` and May `end`, their
    growth (log points and percent), why a growth is missing (`*_missing`: a wage BLS top-coded or
    withheld, or an older code that is not comparable), and the role's moat score and AI exposure
    (empty for occupations that are not kit roles). Nominal dollars: no inflation adjustment."""
    wages = data.load_wages() if wages is None else wages
    roles = data.load_roles() if roles is None else roles
    if start >= end:
        raise ValueError(f"start ({start}) must be an earlier May than end ({end})")
    years = sorted(wages.year.unique())
    for year in (start, end):
        if year not in years:
            raise ValueError(f"year {year} is not in the wage table; it has May {years[0]} to May {years[-1]}")
    base = wages.drop_duplicates("role_id")[["role_id", "title", "kit_role", "bls_code"]].set_index("role_id")
    out = base.copy()
    for label, year in (("start", start), ("end", end)):
        rows = wages[wages.year == year]
        split = rows.role_id.duplicated(keep=False)
        one = rows[~split].set_index("role_id")
        for measure in MEASURES:
            flag = one[measure.replace("_wage", "_wage_flag") if "wage" in measure else "employment_flag"]
            ok = one.comparable & (flag == "published")
            out[f"{measure}_{label}"] = one[measure].astype(float).where(ok)
            reason = np.where(~one.comparable, "code not comparable (" + one.mapping + ")",
                              np.where(flag != "published", flag, ""))
            out[f"{measure}_{label}_missing"] = pd.Series(reason, index=one.index)
        for role in rows[split].role_id.unique():
            for measure in MEASURES:
                out.loc[role, f"{measure}_{label}"] = np.nan
                out.loc[role, f"{measure}_{label}_missing"] = "code split in parts (part_code)"
    for measure in MEASURES:
        a, b = out[f"{measure}_start"], out[f"{measure}_end"]
        out[f"{measure}_growth"] = log_growth(a, b)
        out[f"{measure}_pct"] = percent_change(a, b)
        out[f"{measure}_missing"] = [next((m for m in (s, e) if m), "") for s, e in
                                     zip(out[f"{measure}_start_missing"], out[f"{measure}_end_missing"])]
        out = out.drop(columns=[f"{measure}_start_missing", f"{measure}_end_missing"])
    out["log_start_median_wage"] = np.log(out.median_wage_start)
    traits = roles.set_index("role_id")[["group", "moat_score", "relational_score", "physical_score", "exposure"]]
    out = out.join(traits, how="left")
    out.insert(0, "years", end - start)
    out.insert(0, "end", end)
    out.insert(0, "start", start)
    return out.reset_index()


def premium_tests(start: int = 2021, end: int = 2024, table: pd.DataFrame | None = None,
                  seed: int = SEED) -> pd.DataFrame:
    """The chapter's questions to the data, each with n, r, intervals and a permutation p-value:
    does median-wage growth follow the moat score? AI exposure? the starting wage (compression)?
    does the moat still matter once the starting wage is held fixed? do mean wages agree? does
    employment growth follow the moat (ranks, physicians out: their counts are small and were
    reorganised)? Kit roles only."""
    t = growth_table(start, end) if table is None else table
    t = t[t.kit_role]
    non_physician = t[~is_physician(t)]
    questions = [
        ("median wage growth vs moat score", t.moat_score, t.median_wage_growth, None, "pearson"),
        ("median wage growth vs AI exposure", t.exposure, t.median_wage_growth, None, "pearson"),
        ("median wage growth vs starting median wage (log)", t.log_start_median_wage, t.median_wage_growth, None,
         "pearson"),
        ("median wage growth vs moat score, starting wage held fixed", t.moat_score, t.median_wage_growth,
         t.log_start_median_wage, "pearson"),
        ("mean wage growth vs moat score", t.moat_score, t.mean_wage_growth, None, "pearson"),
        ("employment growth vs moat score (ranks, physicians out)", non_physician.moat_score,
         non_physician.employment_growth, None, "spearman"),
    ]
    rows = []
    for name, x, y, control, method in questions:
        test = correlation_test(x, y, control=control, method=method, seed=seed)
        rows.append({"question": name, **test.to_dict()})
    out = pd.DataFrame(rows)
    out.insert(1, "period", f"May {start} to May {end}")
    return out


def is_physician(table: pd.DataFrame) -> pd.Series:
    """Physicians and surgeons: SOC 2018 codes 29-1210 to 29-1249 (not physician assistants, 29-1071).

    >>> is_physician(pd.DataFrame({"bls_code": ["29-1215", "29-1071", "29-1242"]})).tolist()
    [True, False, True]
    """
    return table.bls_code.str.match(r"29-12[1-4]\d")


def compare_periods(periods=((2013, 2021), (2021, 2024)), seed: int = SEED) -> pd.DataFrame:
    """premium_tests for several periods, one block per period, with growth per year (log points
    divided by years) so that a long baseline and a short recent window can be read side by side.
    Each period uses only the roles comparable at both of its ends, so n differs by period."""
    frames = []
    for start, end in periods:
        table = growth_table(start, end)
        tests = premium_tests(start, end, table=table, seed=seed)
        kit = table[table.kit_role]
        tests.insert(2, "median growth per year (log points)",
                     float(kit.median_wage_growth.median()) / (end - start))
        frames.append(tests)
    return pd.concat(frames, ignore_index=True)


def top_code_periods(wages: pd.DataFrame | None = None) -> pd.DataFrame:
    """BLS's top-code by period, from the wage table: wages at or above it are printed as #, so the
    kit leaves them empty. Also how many kit roles' medians were top-coded each period."""
    wages = data.load_wages() if wages is None else wages
    rows = []
    for top_code, part in wages.groupby("top_code", sort=False):
        kit_rows = part[part.kit_role]
        rows.append({"first May": int(part.year.min()), "last May": int(part.year.max()),
                     "top-code (US dollars per year)": int(top_code),
                     "kit roles with a top-coded median, per year (most)":
                         int(kit_rows[kit_rows.median_wage_flag == "top_coded"].groupby("year").size().max()
                             if (kit_rows.median_wage_flag == "top_coded").any() else 0)})
    return pd.DataFrame(rows).sort_values("first May").reset_index(drop=True)


def findings(start: int = 2021, end: int = 2024, seed: int = SEED) -> str:
    """The chapter's findings for one period as plain sentences, every number computed here."""
    table = growth_table(start, end)
    tests = premium_tests(start, end, table=table, seed=seed).set_index("question")

    def said(name):
        t = tests.loc[name]
        return (f"r = {t.r:+.2f} (95% CI {t.fisher_low:+.2f} to {t.fisher_high:+.2f}; "
                f"permutation p = {t.p_permutation:.2f}; n = {int(t.n)})")

    kit = table[table.kit_role].dropna(subset=["median_wage_pct"]).sort_values("median_wage_pct")
    fast, slow = kit.iloc[-1], kit.iloc[0]
    mt = table.set_index("role_id").loc["medical_transcriptionists"]
    lines = [
        f"May {start} to May {end}, nominal dollars:",
        f"- Median-wage growth and the moat score: {said('median wage growth vs moat score')}.",
        f"- Median-wage growth and AI exposure: {said('median wage growth vs AI exposure')}.",
        f"- Pay compression, growth and the starting wage: {said('median wage growth vs starting median wage (log)')}.",
        "- The moat with the starting wage held fixed: "
        f"{said('median wage growth vs moat score, starting wage held fixed')}.",
        (f"- Fastest median-wage growth: {fast.title} ({fast.median_wage_pct:+.1f}%); slowest: {slow.title} "
        f"({slow.median_wage_pct:+.1f}%)."),
        (f"- Employment growth and the moat (ranks, physicians out): "
        f"{said('employment growth vs moat score (ranks, physicians out)')}."),
        (f"- Medical transcriptionists: employment {mt.employment_start:,.0f} to {mt.employment_end:,.0f} "
        f"({mt.employment_pct:+.1f}%)."),
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- internals

def _batch_pearson(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson's r of each row of x with the same row of y (NaN for a constant row)."""
    dx, dy = x - x.mean(axis=1, keepdims=True), y - y.mean(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (dx * dy).sum(axis=1) / np.sqrt((dx * dx).sum(axis=1) * (dy * dy).sum(axis=1))


def _statistic(x, y, control=None, method: str = "pearson") -> float:
    if control is not None:
        return partial_correlation(x, y, control, method=method)
    return spearman(x, y) if method == "spearman" else pearson(x, y)


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"method: {method!r}; choose 'pearson' or 'spearman'")


def _pair(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be two lists of the same length (got {x.shape} and {y.shape})")
    if np.isnan(x).any() or np.isnan(y).any():
        raise ValueError("x or y has missing values; drop those roles first (correlation_test does)")
    return x, y


def _triple(x, y, control):
    x, y = _pair(x, y)
    c, _ = _pair(control, x)
    return x, y, c
