"""kit.premium: statistics checked against independent computations (numpy's corrcoef, closed-form
formulas, exact permutation enumeration), and the chapter's headline figures recomputed straight from
the raw BLS files without the kit's wage table."""
import csv
import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kit import premium

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "datasets" / "raw"
rng = np.random.default_rng(7)
X, Y = rng.normal(size=20), rng.normal(size=20)
Y = Y + 0.5 * X
Z = rng.normal(size=20) + 0.3 * X


def test_docstring_examples_hold():
    import doctest

    assert doctest.testmod(premium).failed == 0


def test_pearson_and_spearman_agree_with_numpy():
    assert premium.pearson(X, Y) == pytest.approx(np.corrcoef(X, Y)[0, 1], abs=1e-12)
    def ranks(v):
        return np.argsort(np.argsort(v)) + 1
    assert premium.spearman(X, Y) == pytest.approx(np.corrcoef(ranks(X), ranks(Y))[0, 1], abs=1e-12)


def test_spearman_gives_ties_their_mean_rank():
    # x ranks 1, 2.5, 2.5, 4; y ranks 1, 2, 3, 4 -> Pearson of those ranks, by hand
    rx, ry = np.array([1, 2.5, 2.5, 4]), np.array([1, 2, 3, 4])
    assert premium.spearman([1, 5, 5, 9], [1, 2, 3, 4]) == pytest.approx(np.corrcoef(rx, ry)[0, 1])


def test_constant_or_too_short_input_gives_nan_not_an_error():
    assert math.isnan(premium.pearson([1, 1, 1], [1, 2, 3]))
    assert math.isnan(premium.pearson([1, 2], [1, 2]))
    with pytest.raises(ValueError, match="same length"):
        premium.pearson([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="spearman"):
        premium.correlation_test(X, Y, method="kendall")


def test_fisher_interval_by_hand():
    r, n = 0.3, 25
    z, se = 0.5 * math.log((1 + r) / (1 - r)), 1 / math.sqrt(n - 3)
    low, high = premium.fisher_ci(r, n)
    assert (low, high) == pytest.approx((math.tanh(z - 1.959964 * se), math.tanh(z + 1.959964 * se)), abs=1e-6)
    low1, high1 = premium.fisher_ci(r, n, controls=1)
    assert low1 < low and high1 > high  # one fewer degree of freedom: wider


def test_partial_correlation_equals_the_closed_form():
    rxy, rxz, ryz = (np.corrcoef(a, b)[0, 1] for a, b in ((X, Y), (X, Z), (Y, Z)))
    expected = (rxy - rxz * ryz) / math.sqrt((1 - rxz ** 2) * (1 - ryz ** 2))
    assert premium.partial_correlation(X, Y, Z) == pytest.approx(expected, abs=1e-12)


def test_permutation_p_approximates_the_exact_enumeration():
    x, y = np.array([1.0, 2, 3, 4, 5, 6, 7]), np.array([2.0, 1, 4, 3, 7, 5, 6])
    observed = abs(np.corrcoef(x, y)[0, 1])
    exact = np.mean([abs(np.corrcoef(x, np.array(p))[0, 1]) >= observed - 1e-12
                     for p in itertools.permutations(y)])
    estimate = premium.permutation_p(x, y, n_resamples=20000)
    assert estimate == pytest.approx(exact, abs=0.01)
    assert premium.permutation_p(x, y) == premium.permutation_p(x, y)  # seeded: reproducible
    assert premium.permutation_p(x, y, seed=1) != premium.permutation_p(x, y, seed=2)


def test_bootstrap_interval_is_seeded_and_brackets_the_estimate():
    first, again = premium.bootstrap_ci(X, Y), premium.bootstrap_ci(X, Y)
    assert first == again
    assert first[0] < premium.pearson(X, Y) < first[1]
    low, high = premium.bootstrap_ci(X, Y, control=Z)
    assert low < premium.partial_correlation(X, Y, Z) < high
    assert premium.bootstrap_ci(X, 2 * X + 1) == pytest.approx((1.0, 1.0))


def test_correlation_test_drops_missing_rows():
    y = Y.copy()
    y[:3] = np.nan
    test = premium.correlation_test(X, y)
    assert test.n == 17 and test.r == pytest.approx(np.corrcoef(X[3:], Y[3:])[0, 1])


# --------------------------------------------------------------------------- headline figures from raw

def _raw(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["OCC_CODE"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def raw_growth():
    """Log growth of medians May 2021 -> May 2024 per kit role, from the raw files only."""
    may21 = _raw(RAW / "bls_oews_trend/oews_national_may2021_health.csv")
    may24 = _raw(RAW / "bls_oews/oews_national_may2024_health.csv")
    with open(ROOT / "datasets/roles.csv", newline="", encoding="utf-8") as handle:
        roles = list(csv.DictReader(handle))
    rows = []
    for role in roles:
        a, b = may21[role["bls_code"]], may24[role["bls_code"]]
        rows.append({"role_id": role["role_id"], "moat": float(role["moat_score"]),
                     "exposure": float(role["exposure"]),
                     "m21": float(a["A_MEDIAN"]) if a["A_MEDIAN"] != "#" else np.nan,
                     "m24": float(b["A_MEDIAN"]) if b["A_MEDIAN"] != "#" else np.nan,
                     "e21": float(a["TOT_EMP"]), "e24": float(b["TOT_EMP"]),
                     "physician": role["bls_code"][:5] == "29-12"})
    frame = pd.DataFrame(rows)
    frame["g"] = 100 * np.log(frame.m24 / frame.m21)
    return frame


def test_headline_statistics_match_an_independent_computation_from_raw(raw_growth):
    tests = premium.premium_tests().set_index("question")
    ok = raw_growth.dropna()
    moat = tests.loc["median wage growth vs moat score"]
    assert moat.n == len(ok) == 22
    assert moat.r == pytest.approx(np.corrcoef(ok.moat, ok.g)[0, 1], abs=1e-9)
    compression = tests.loc["median wage growth vs starting median wage (log)"]
    assert compression.r == pytest.approx(np.corrcoef(np.log(ok.m21), ok.g)[0, 1], abs=1e-9)
    exposure = tests.loc["median wage growth vs AI exposure"]
    assert exposure.r == pytest.approx(np.corrcoef(ok.exposure, ok.g)[0, 1], abs=1e-9)
    # partial r by residuals on log starting wage, with numpy's polyfit
    lw = np.log(ok.m21)
    def res(v):
        return v - np.polyval(np.polyfit(lw, v, 1), lw)
    partial = tests.loc["median wage growth vs moat score, starting wage held fixed"]
    assert partial.r == pytest.approx(np.corrcoef(res(ok.moat), res(ok.g))[0, 1], abs=1e-9)
    jobs = raw_growth[~raw_growth.physician]
    spearman = pd.Series(jobs.moat.to_numpy()).rank().corr(pd.Series(np.log(jobs.e24 / jobs.e21).to_numpy()).rank())
    assert tests.loc["employment growth vs moat score (ranks, physicians out)"].r == pytest.approx(spearman, abs=1e-9)


def test_headline_figures_are_what_issue_13_reported(raw_growth):
    """The issue's figures (two decimals) are reproduced; only the partial r's Fisher interval differs,
    because the kit uses n - 3 - 1 degrees of freedom for one control (the issue used n - 3)."""
    t = premium.premium_tests().set_index("question").round(2)
    assert (t.loc["median wage growth vs moat score", ["r", "fisher_low", "fisher_high"]].tolist()
            == [0.01, -0.41, 0.43])
    assert t.loc["median wage growth vs starting median wage (log)", "r"] == -0.59
    assert t.loc["median wage growth vs moat score, starting wage held fixed", "r"] == 0.22
    assert t.loc["mean wage growth vs moat score", ["r", "n"]].tolist() == [0.12, 27]


def test_transcriptionists_lost_jobs_and_physician_wages_are_left_empty_not_guessed():
    table = premium.growth_table().set_index("role_id")
    assert table.employment_pct["medical_transcriptionists"] == pytest.approx(100 * (43070 / 55830 - 1))
    assert math.isnan(table.moat_score["medical_transcriptionists"])
    assert table.median_wage_missing["family_medicine_physicians"] == "top_coded"
    assert math.isnan(table.median_wage_growth["family_medicine_physicians"])


def test_older_periods_use_comparable_codes_only():
    table = premium.growth_table(2013, 2024).set_index("role_id")
    assert table.median_wage_missing["radiologists"] == "code not comparable (aggregate_code)"
    assert table.median_wage_missing["mental_health_counselors"] == "code split in parts (part_code)"
    assert not math.isnan(table.median_wage_growth["nursing_assistants"])  # 31-1014 -> 31-1131, one to one
    with pytest.raises(ValueError, match="not in the wage table"):
        premium.growth_table(2010, 2024)
    with pytest.raises(ValueError, match="earlier"):
        premium.growth_table(2024, 2021)


def test_chapter_sevens_words_still_match_its_numbers():
    """Chapter 07's prose says, without numbers: no clear moat link since 2021, a clear compression
    link, a partial r not clearly different from zero, the starting wage as the stronger signal, and
    transcriptionists as the largest job loss. If a data update changes that, this fails."""
    t = premium.premium_tests().set_index("question")
    words = {q: premium.strength(r.r, r.fisher_low, r.fisher_high) for q, r in t.iterrows()}
    assert words["median wage growth vs moat score"] == "no clear link"
    assert words["median wage growth vs starting median wage (log)"] == "a clear negative link"
    partial = t.loc["median wage growth vs moat score, starting wage held fixed"]
    assert partial.fisher_low < 0 < partial.fisher_high
    table = premium.growth_table()
    assert table.loc[table.employment_pct.idxmin(), "role_id"] == "medical_transcriptionists"
    kit_roles = table[table.kit_role]
    assert kit_roles.employment_pct.min() > table.employment_pct.min()
