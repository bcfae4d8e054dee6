"""Chapter 07's charts: findings in the title computed from kit.premium, palette, units, table view."""
import json

import pytest

import kit
from kit import premium
from kit import premium_charts as pc


@pytest.fixture(scope="module")
def table():
    return premium.growth_table()


def test_growth_vs_moat_title_states_the_computed_correlation(table):
    chart = pc.growth_vs_moat(table)
    test = premium.correlation_test(*table[table.kit_role].dropna(subset=["median_wage_growth"])[
        ["moat_score", "median_wage_growth"]].T.to_numpy())
    title = " ".join(chart.title.text)
    assert f"r = {kit.charts.format_number(test.r, 2, sign=True)}" in title and f"n = {test.n}" in title
    assert "no clear link" in title and chart.description.startswith("Scatter plot of 22 roles")
    rows = pc.table(chart)
    assert len(rows) == 22 and "Human-moat score" in rows.columns


def test_compression_is_negative_and_says_so(table):
    chart = pc.compression(table)
    assert "Lower-paid roles got the larger raises" in " ".join(chart.title.text)
    assert "a clear negative link" in chart.description


def test_employment_change_names_the_extremes_and_uses_the_palette(table):
    chart = pc.employment_change(table)
    title = " ".join(chart.title.text)
    assert "Mental Health Counselors grew most (+41.7%)" in title
    assert "Medical Transcriptionists shrank most (−22.9%)" in title
    spec = json.dumps(chart.to_dict())
    assert kit.PALETTE["presence"] in spec and kit.PALETTE["execution"] in spec
    assert "Change in US employment (%)" in spec
    assert len(pc.table(chart)) == 28


def test_wage_paths_leave_top_coded_years_blank(table):
    chart = pc.wage_paths(kit.load_wages(), ["family_medicine_physicians", "registered_nurses"])
    rows = pc.table(chart)
    fm = rows[rows.Role == "Family Medicine Physicians"].set_index("May of year")
    assert fm.loc[2021, "BLS flag"] == "top_coded" and str(fm.loc[2021, "Median wage ($/year)"]) == "nan"
    with pytest.raises(ValueError, match="not in the wage table"):
        pc.wage_paths(kit.load_wages(), ["nobody"])


def test_table_hands_other_kit_charts_to_kit_table():
    chart = kit.charts.moat_map(kit.load_roles())
    assert pc.table(chart).equals(kit.table(chart))


def test_a_table_without_the_columns_gets_a_clear_message():
    with pytest.raises(ValueError, match="kit.premium.growth_table"):
        pc.growth_vs_moat(kit.load_roles())
