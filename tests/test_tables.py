"""kit.table works on every chart the kit draws: the static builders, the live charts, chapter 04's
oversight chart (kit.lessons.oversight_chart) and chapter 07's charts (kit.premium_charts)."""
import altair as alt
import pandas as pd
import pytest

import kit
from kit import charts, lessons, premium, premium_charts, sensitivity

SCENARIO = kit.Scenario.from_preset("admin_automation")
RESULT = kit.simulate(SCENARIO)


def growth():
    return premium.growth_table()


BUILDERS = {
    "role_shift": lambda: charts.role_shift(RESULT.by_role),
    "org_shift": lambda: charts.org_shift(RESULT.org_by_mode, RESULT.org),
    "moat_map": lambda: charts.moat_map(kit.load_roles(), RESULT.by_role),
    "task_exposure": lambda: charts.task_exposure(kit.load_tasks(), "medical_secretaries"),
    "pajama_time": lambda: charts.pajama_time(RESULT.roles),
    "tornado": lambda: charts.tornado(sensitivity.swings(sensitivity.monte_carlo(300, seed=3), "released_fte")),
    "role_shift_live": lambda: charts.role_shift_live(SCENARIO),
    "org_shift_live": lambda: charts.org_shift_live(SCENARIO),
    "pajama_time_live": lambda: charts.pajama_time_live(SCENARIO),
    "live_panel": lambda: charts.live_panel(SCENARIO),
    "oversight_chart": lambda: lessons.oversight_chart(lessons.oversight_sweep(lessons.coding_scenario())),
    "growth_vs_moat": lambda: premium_charts.growth_vs_moat(growth()),
    "compression": lambda: premium_charts.compression(growth()),
    "employment_change": lambda: premium_charts.employment_change(growth()),
    "wage_paths": lambda: premium_charts.wage_paths(kit.load_wages(), ["registered_nurses", "pharmacists"]),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_kit_table_reads_every_builders_chart(name):
    table = kit.table(BUILDERS[name]())
    assert isinstance(table, pd.DataFrame) and len(table) > 0
    assert all(isinstance(c, str) and c for c in table.columns), table.columns


def test_every_public_builder_is_in_the_list():
    """A new chart builder gets a table view (and a line above) or this test fails."""
    static = {"role_shift", "org_shift", "moat_map", "task_exposure", "pajama_time", "tornado",
              "role_shift_live", "org_shift_live", "pajama_time_live", "live_panel", "oversight_chart"}
    returns_chart = {n for n in charts.__all__ if callable(getattr(charts, n, None))
                     and "alt." in str(getattr(getattr(charts, n), "__annotations__", {}).get("return", ""))}
    assert returns_chart - {"sensitivity"} <= static
    assert set(premium_charts.__all__) - {"table"} - {n for n in premium_charts.__all__ if n.isupper()} <= set(BUILDERS)


def test_the_oversight_table_holds_the_sweep():
    sweep = lessons.oversight_sweep(lessons.coding_scenario())
    table = kit.table(lessons.oversight_chart(sweep))
    assert list(table.columns) == ["Oversight ratio", "Review (hours/week)", "Freed (hours/week)"]
    assert table["Oversight ratio"].tolist() == pytest.approx(sweep.oversight_ratio.tolist())
    assert (table["Review (hours/week)"] + table["Freed (hours/week)"]).tolist() == pytest.approx(
        sweep.automated.tolist())


def test_a_chart_widget_is_read_too():
    widget = alt.JupyterChart(BUILDERS["growth_vs_moat"]())
    pd.testing.assert_frame_equal(kit.table(widget), premium_charts.table(widget))


def test_an_unknown_chart_gets_a_clear_message():
    with pytest.raises(ValueError, match="not a kit chart"):
        kit.table(alt.Chart(pd.DataFrame({"x": [1]})).mark_point())
