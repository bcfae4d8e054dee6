"""kit.charts: specs carry the intended fields, palette and description; tables equal the model;
the live (Vega-Lite) charts compute exactly what kit.simulate() computes."""
import json

import altair as alt
import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import kit
from kit import charts, sensitivity

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
SCENARIO = kit.Scenario.from_preset("admin_automation")
RESULT = kit.simulate(SCENARIO)


def all_charts():
    runs = sensitivity.monte_carlo(2_000, seed=3)
    return {
        "role_shift": charts.role_shift(RESULT.by_role),
        "org_shift": charts.org_shift(RESULT.org_by_mode, RESULT.org),
        "moat_map": charts.moat_map(kit.load_roles(), RESULT.by_role),
        "task_exposure": charts.task_exposure(kit.load_tasks(), "medical_secretaries"),
        "pajama_time": charts.pajama_time(RESULT.roles),
        "sensitivity": charts.sensitivity(sensitivity.swings(runs, "released_fte")),
        "role_shift_live": charts.role_shift_live(SCENARIO),
        "org_shift_live": charts.org_shift_live(SCENARIO),
        "pajama_time_live": charts.pajama_time_live(SCENARIO),
        "live_panel_bound": charts.live_panel(SCENARIO, bind=True, parts=("org_shift", "role_shift", "pajama_time")),
    }


CHARTS = all_charts()


def walk(node):
    """Every dict in a spec."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def mode_scales(spec):
    return [d["scale"] for d in walk(spec) if d.get("field") == "mode" and "scale" in d]


# --------------------------------------------------------------------------- palette and style

def test_palette_is_one_okabe_ito_colour_per_mode():
    assert set(kit.PALETTE) == set(kit.MODES)
    assert {c.upper() for c in kit.PALETTE.values()} <= OKABE_ITO
    assert len(set(kit.PALETTE.values())) == 3


@pytest.mark.parametrize("name", [n for n in CHARTS if n not in ("task_exposure_none",)])
def test_every_chart_uses_the_palette_for_modes(name):
    spec = CHARTS[name].to_dict()
    scales = mode_scales(spec)
    if name == "moat_map" or scales:
        assert scales, f"{name} has no mode colour scale"
    for scale in scales:
        mapping = dict(zip(scale["domain"], scale["range"]))
        for mode in kit.MODES:
            assert mapping[mode] == kit.PALETTE[mode]
    colours = {d["color"] for d in walk(spec) if isinstance(d.get("color"), str) and d["color"].startswith("#")}
    assert colours <= set(kit.PALETTE.values()) | {charts.NEUTRAL, "#222", "#333", "white"}, colours


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_has_a_description_a_title_and_compiles(name):
    spec = CHARTS[name].to_dict()
    assert len(spec["description"]) > 60
    titles = [d["title"] for d in walk(spec) if isinstance(d.get("title"), dict) and "text" in d["title"]]
    assert titles, f"{name} has no title"
    assert spec["usermeta"]["kit"]["chart"]
    vega = vlc.vegalite_to_vega(spec)  # Vega-Lite compiles and every expression parses
    assert vega["marks"] or vega.get("signals")


@pytest.mark.parametrize("name", ["role_shift", "org_shift", "moat_map", "task_exposure", "pajama_time", "sensitivity"])
def test_axis_titles_name_their_units(name):
    spec = CHARTS[name].to_dict()
    titles = [d["title"] for d in walk(spec) if d.get("type") == "quantitative" and isinstance(d.get("title"), str)]
    assert titles
    assert any(unit in " ".join(titles) for unit in ("hours", "week", "0..1", "FTE", "share", "Share", "%"))


def test_role_shift_spec_encodes_role_when_hours_and_mode():
    spec = CHARTS["role_shift"].to_dict()
    enc = spec["encoding"]
    assert enc["y"]["field"] == "title" and enc["yOffset"]["field"] == "when"
    assert enc["x"]["field"] == "hours" and enc["x"]["aggregate"] == "sum"
    assert enc["color"]["field"] == "mode" and enc["opacity"]["field"] == "when"
    assert "hours" in enc["x"]["title"].lower() and "week" in enc["x"]["title"].lower()
    roles = kit.load_roles()
    assert enc["y"]["sort"] == list(roles.title), "roles keep the dataset's order, so bars never jump"


def test_titles_state_the_finding():
    def title(chart):
        return " ".join(chart.to_dict()["title"]["text"])
    assert "Medical Secretaries" in title(CHARTS["role_shift"]) and "execution \u2212" in title(CHARTS["role_shift"])
    assert title(charts.role_shift(kit.simulate().by_role)).startswith("Today")
    assert "falls" in title(CHARTS["org_shift"])


def test_moat_map_encodes_exposure_moat_and_employment():
    layers = CHARTS["moat_map"].to_dict()["layer"]
    dots = [l for l in layers if l.get("mark", {}).get("type") == "circle"][0]["encoding"]
    assert (dots["x"]["field"], dots["y"]["field"], dots["size"]["field"]) == ("exposure", "moat_score", "employment")
    assert {t["field"] for t in dots["tooltip"]} >= {"title", "exposure", "moat_score", "employment"}
    texts = json.dumps(CHARTS["moat_map"].to_dict())
    for label in ("Sheltered and human", "Exposed, thin moat: most at risk"):
        assert label in texts


# --------------------------------------------------------------------------- table view

def test_role_shift_table_equals_simulate():
    table = kit.table(CHARTS["role_shift"])
    assert list(table.columns) == ["Role", "Mode", "Hours/week before", "Hours/week after", "Change (hours/week)"]
    expected = RESULT.by_role.set_index(["title", "mode"])
    got = table.set_index(["Role", "Mode"])
    assert len(got) == len(expected)
    np.testing.assert_allclose(got["Hours/week after"], expected.hours_after.reindex(got.index), atol=1e-12)
    np.testing.assert_allclose(got["Change (hours/week)"], expected.hours_change.reindex(got.index), atol=1e-12)


def test_org_and_pajama_tables_equal_simulate():
    org = kit.table(CHARTS["org_shift"]).set_index("Mode")
    np.testing.assert_allclose(org["Hours/week after"], RESULT.org_by_mode.set_index("mode").hours_after[org.index])
    paj = kit.table(CHARTS["pajama_time"]).set_index("Role")
    clin = RESULT.roles[RESULT.roles.pajama_before > 0].set_index("title")
    np.testing.assert_allclose(paj["Pajama time after (h/week)"], clin.pajama_after[paj.index])


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_has_a_table_view(name):
    table = kit.table(CHARTS[name])
    assert isinstance(table, pd.DataFrame) and len(table) > 0
    assert all(" " in c or c[0].isupper() for c in table.columns), "readable headers"


def test_live_chart_table_uses_its_params():
    jc = alt.JupyterChart(charts.role_shift_live(SCENARIO))
    jc.params.automation_coding_billing = 10.0
    expected = kit.simulate(SCENARIO.replace(automation={**SCENARIO.automation, "coding_billing": 0.1}))
    got = kit.table(jc).set_index(["Role", "Mode"])["Hours/week after"]
    want = expected.by_role.set_index(["title", "mode"]).hours_after.reindex(got.index)
    np.testing.assert_allclose(got, want, atol=1e-9)


def test_table_refuses_a_chart_it_did_not_build():
    with pytest.raises(ValueError, match="not a kit chart"):
        kit.table(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"))


# --------------------------------------------------------------------------- bad input

def test_builders_name_the_table_they_need():
    with pytest.raises(ValueError, match="result.by_role"):
        charts.role_shift(RESULT.roles)
    with pytest.raises(ValueError, match="expected a DataFrame"):
        charts.org_shift([1, 2], RESULT.org)
    with pytest.raises(ValueError, match="'nurse' has no tasks"):
        charts.task_exposure(kit.load_tasks(), "nurse")
    with pytest.raises(ValueError, match="not in this organization"):
        charts.role_shift(RESULT.by_role, roles=["astronaut"])
    primary = kit.simulate(kit.Scenario(org=kit.Organization.from_table(pd.DataFrame(
        {"role_id": ["receptionists"], "headcount": [3], "weekly_hours": [40]}))))
    with pytest.raises(ValueError, match="no role in this organization has a pajama-time baseline"):
        charts.pajama_time(primary.roles)


# --------------------------------------------------------------------------- live charts == simulate

rates = st.floats(0, 1, allow_nan=False)
scenarios = st.builds(
    lambda auto, rho, shares, org: kit.Scenario(
        automation=dict(zip(kit.automatable_families(), auto)), oversight_ratio=rho,
        reinvestment=dict(zip(("presence", "capacity", "released"), np.asarray(shares) / sum(shares))), org=org),
    st.lists(st.one_of(st.just(0.0), st.just(1.0), rates), min_size=13, max_size=13),
    st.one_of(st.just(0.0), st.just(1.0), rates),
    st.lists(st.floats(0.01, 1), min_size=3, max_size=3),
    st.sampled_from(kit.org_names()),
)
# VegaFusion takes 0.3-3 s per chart, so a few examples each (the extremes 0 and 1 are likely),
# and no shrinking: a failure prints its scenario as it is.
few = settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck),
               phases=[Phase.explicit, Phase.reuse, Phase.generate])


def by_title(result):
    return result.by_role.set_index(["title", "mode"])


@few
@given(scenarios)
def test_role_shift_live_transformed_data_equals_simulate(scenario):
    data = charts.role_shift_live(scenario).transformed_data()
    got = data.pivot_table(index=["title", "mode"], columns="when", values="sum_hours")
    want = by_title(kit.simulate(scenario)).reindex(got.index)
    assert len(got) == len(want) == 3 * len(kit.simulate(scenario).roles)
    np.testing.assert_allclose(got["Before"], want.hours_before, atol=1e-9)
    np.testing.assert_allclose(got["After"], want.hours_after, atol=1e-9)


def without_format(chart):
    """VegaFusion cannot evaluate Vega's format() in expressions: drop the calculate that turns the
    org note's numbers into a sentence, and check the numbers themselves."""
    spec = chart.to_dict()
    for node in walk(spec):
        if "transform" in node:
            node["transform"] = [t for t in node["transform"] if "format(" not in t.get("calculate", "")]
    return type(chart).from_dict(spec)


@few
@given(scenarios)
def test_org_and_pajama_live_transformed_data_equal_simulate(scenario):
    result = kit.simulate(scenario)
    bars, note = without_format(charts.org_shift_live(scenario)).transformed_data()
    got = bars.set_index(["when", "mode"]).hours
    org = result.org_by_mode.set_index("mode")
    for mode in kit.MODES:
        assert got[("After", mode)] == pytest.approx(org.hours_after[mode], rel=1e-9, abs=1e-6)
        assert got[("Before", mode)] == pytest.approx(org.hours_before[mode], rel=1e-9, abs=1e-6)
    assert note.released_fte.iloc[0] == pytest.approx(result.org["released_fte"], rel=1e-9, abs=1e-6)
    assert note.fte.iloc[0] == pytest.approx(result.org["oversight_team_fte"], rel=1e-9, abs=1e-6)
    if (result.roles.pajama_before > 0).any():
        line, _dots = charts.pajama_time_live(scenario).transformed_data()
        after = line[line.when == "After"].set_index("title").hours
        want = result.roles.set_index("title").pajama_after[after.index]
        np.testing.assert_allclose(after, want, atol=1e-9)


def test_live_chart_with_a_custom_organization():
    org = kit.Organization.from_table(pd.DataFrame({"role_id": ["registered_nurses", "pharmacists"],
                                                    "headcount": [10, 2], "weekly_hours": [36, 40]}), name="ward")
    scenario = kit.Scenario(automation={"clinical_documentation": 0.7}, org=org)
    data = charts.role_shift_live(scenario).transformed_data()
    got = data.pivot_table(index=["title", "mode"], columns="when", values="sum_hours")
    np.testing.assert_allclose(got["After"], by_title(kit.simulate(scenario)).hours_after.reindex(got.index))


def test_live_chart_with_a_learners_own_task_mix():
    org = kit.read_organization("datasets/example_organization.csv")
    assert org.shares is not None, "the example file gives some roles their own task-family shares"
    scenario = kit.Scenario.from_preset("admin_automation", org=org)
    chart = charts.role_shift_live(scenario)
    got = chart.transformed_data().pivot_table(index=["title", "mode"], columns="when", values="sum_hours")
    np.testing.assert_allclose(got["After"], by_title(kit.simulate(scenario)).hours_after.reindex(got.index))
    table = kit.table(chart).set_index(["Role", "Mode"])["Hours/week after"]
    np.testing.assert_allclose(table, by_title(kit.simulate(scenario)).hours_after.reindex(table.index), atol=1e-9)


def test_bound_sliders_cover_every_scenario_parameter():
    spec = charts.live_panel(SCENARIO, bind=True).to_dict()
    params = {p["name"]: p for p in spec["params"]}
    for name in charts.live_param_names():
        assert params[name]["bind"]["input"] == "range"
        assert (params[name]["bind"]["min"], params[name]["bind"]["max"]) == (0, 100)
        assert params[name]["bind"]["name"].strip()
    assert charts.scenario_from_params({n: p["value"] for n, p in params.items()}) == SCENARIO
    assert "bind" not in {k for p in charts.role_shift_live(SCENARIO).to_dict()["params"] for k in p}


def test_bound_reinvestment_weights_are_rescaled_to_100_percent():
    chart = charts.role_shift_live(kit.Scenario(automation={"coding_billing": 1.0}), bind=True)
    halved = chart.copy()
    halved.params = [alt.VariableParameter(name=p.name, value=p.value / 2 if p.name.startswith("reinvestment") else p.value,
                                           bind=p.bind) for p in chart.params]
    a = chart.transformed_data().sum_hours.to_numpy()
    b = halved.transformed_data().sum_hours.to_numpy()
    np.testing.assert_allclose(a, b)


def test_scenario_params_round_trip():
    for name in kit.preset_names():
        scenario = kit.Scenario.from_preset(name)
        assert charts.scenario_from_params(charts.scenario_params(scenario)) == scenario
