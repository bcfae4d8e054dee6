"""kit.charts: specs carry the intended fields, palette and description; tables equal the model;
the live (Vega-Lite) charts compute exactly what kit.simulate() computes."""
import json
import re

import altair as alt
import harness
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
    fills = [{m: c for m, c in zip(s["domain"], s["range"]) if m in kit.MODES} for s in scales]
    for mapping in fills:  # every mode scale is either the palette or the text drawn on it
        assert mapping in ({m: kit.PALETTE[m] for m in kit.MODES}, {m: charts.TEXT_ON_MODE[m] for m in kit.MODES})
    if scales:
        assert {m: kit.PALETTE[m] for m in kit.MODES} in fills
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
    most = RESULT.roles.set_index("role_id").title[RESULT.by_role[RESULT.by_role["mode"] == "execution"]
                                                    .set_index("role_id").hours_change.idxmin()]
    assert most.split(" (")[0] in title(CHARTS["role_shift"]) and "execution \u2212" in title(CHARTS["role_shift"])
    assert title(charts.role_shift(kit.simulate().by_role)).startswith("Today")
    assert "falls" in title(CHARTS["org_shift"])


def test_moat_map_encodes_exposure_moat_and_employment():
    layers = CHARTS["moat_map"].to_dict()["layer"]
    dots = [layer for layer in layers if layer.get("mark", {}).get("type") == "circle"][0]["encoding"]
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
    assert dict(SCENARIO.automation["coding_billing"]) == {"coding": 0.8}, "the preset's coding AI is for coders"
    expected = kit.simulate(SCENARIO.replace(automation={**SCENARIO.automation, "coding_billing": {"coding": 0.1}}))
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
    assert charts.scenario_from_params({n: p["value"] for n, p in params.items()}, base=SCENARIO) == SCENARIO
    assert "bind" not in {k for p in charts.role_shift_live(SCENARIO).to_dict()["params"] for k in p}


def test_bound_reinvestment_weights_are_rescaled_to_100_percent():
    chart = charts.role_shift_live(kit.Scenario(automation={"coding_billing": 1.0}), bind=True)
    halved = chart.copy()
    halved.params = [alt.VariableParameter(name=p.name, bind=p.bind,
                                           value=p.value / 2 if p.name.startswith("reinvestment") else p.value)
                     for p in chart.params]
    a = chart.transformed_data().sum_hours.to_numpy()
    b = halved.transformed_data().sum_hours.to_numpy()
    np.testing.assert_allclose(a, b)


def test_scenario_params_round_trip():
    for name in kit.preset_names():
        scenario = kit.Scenario.from_preset(name)
        assert charts.scenario_from_params(charts.scenario_params(scenario), base=scenario) == scenario
    plain = kit.Scenario(automation={"coding_billing": 0.3}, oversight_ratio=0.35)
    assert charts.scenario_from_params(charts.scenario_params(plain)) == plain, "no base needed without options"


# --------------------------------------------------------------------------- headlines are true

NUMBER = r"[+\u2212]?[\d,]+(?:\.\d+)?"


def number(text: str) -> float:
    return float(text.replace("\u2212", "-").replace(",", ""))


def assert_verbs_agree(text: str):
    """Every 'rises/falls from A to B' and 'stays at A' in a headline agrees with its numbers."""
    for verb, a, b in re.findall(rf"(rises|falls) from \$?({NUMBER})%? to \$?({NUMBER})", text):
        assert (number(b) > number(a)) if verb == "rises" else (number(b) < number(a)), text
    assert not re.search(r"\b(rises|falls) from ([\d.,]+%?) to \2(?![\d])", text), text


def org_phrase(text: str, mode: str):
    """(verb, before, after) of a mode in org_shift_headline."""
    m = re.search(rf"{mode} (?:(rises|falls) from ({NUMBER})% to ({NUMBER})%|(stays) at ({NUMBER})%)", text, re.I)
    assert m, text
    if m.group(4):
        return "stays", number(m.group(5)), number(m.group(5))
    return m.group(1), number(m.group(2)), number(m.group(3))


# Scenarios that put every branch to work: any family (execution, curation or presence ones),
# capacity-heavy reinvestment (the throughput trap), releases, tiny and zero rates, every org.
headline_scenarios = st.builds(
    lambda auto, rho, shares, org: kit.Scenario(
        automation=dict(zip(kit.automatable_families(), auto)), oversight_ratio=rho,
        reinvestment=dict(zip(("presence", "capacity", "released"), np.asarray(shares) / sum(shares))), org=org),
    st.lists(st.one_of(st.just(0.0), st.just(0.0), st.just(1.0), st.floats(0, 0.02), rates), min_size=13, max_size=13),
    st.one_of(st.just(0.0), st.just(1.0), rates),
    st.lists(st.one_of(st.just(0.0), st.just(1.0), st.floats(0, 1)), min_size=3, max_size=3).filter(
        lambda s: sum(s) > 0),
    st.sampled_from(kit.org_names()),
)
TRAP = kit.Scenario(automation={"clinical_judgement": 0.5}, reinvestment={"presence": 0, "capacity": 1, "released": 0},
                    baseline="onet")  # the numbers below are the O*NET baseline's


@settings(max_examples=300, deadline=None)
@given(headline_scenarios)
def test_org_headline_verbs_match_the_numbers(scenario):
    result = kit.simulate(scenario)
    text = charts.org_shift_headline(result.org_by_mode)
    share = result.org_by_mode.set_index("mode")
    if text.startswith("Today"):
        assert np.allclose(share.share_before, share.share_after, atol=1e-9)
        return
    for mode in ("execution", "presence"):
        verb, before, after = org_phrase(text, mode)
        assert before == pytest.approx(100 * share.share_before[mode], abs=0.05 + 1e-9)
        assert after == pytest.approx(100 * share.share_after[mode], abs=0.05 + 1e-9)
        true_change = share.share_after[mode] - share.share_before[mode]
        assert verb == ("stays" if before == after else "rises" if true_change > 0 else "falls"), text
        assert verb != "rises" or after > before
        assert verb != "falls" or after < before
    assert_verbs_agree(text)


@settings(max_examples=300, deadline=None)
@given(headline_scenarios, st.sampled_from([None, 1, 2, 5]))
def test_role_headline_names_the_role_that_shifts_most(scenario, n_roles):
    result = kit.simulate(scenario)
    by_role = result.by_role
    if n_roles is not None:
        by_role = by_role[by_role.role_id.isin(result.roles.role_id.iloc[:n_roles])]
    text = charts.role_shift_headline(by_role)
    change = by_role.pivot_table(index="title", columns="mode", values="hours_change", sort=False)[list(kit.MODES)]
    if text.startswith("Today"):
        assert change.abs().to_numpy().max() < 1e-9
        return
    if text.startswith("Small shifts"):
        assert change.abs().to_numpy().max() < 0.05
        return
    m = re.fullmatch(rf"(.+) shift most: execution ({NUMBER}), curation ({NUMBER}), presence ({NUMBER}) h/week", text)
    assert m, text
    named = [t for t in change.index if charts._short(t) == m.group(1)]
    assert len(named) == 1, f"{m.group(1)!r} is not one of the roles shown"
    moved = change.abs().sum(axis=1)
    assert moved[named[0]] == pytest.approx(moved.max(), abs=1e-12), "the role with the largest total change"
    for mode, printed in zip(kit.MODES, m.groups()[1:]):
        true = change.loc[named[0], mode]
        digits = len(printed.split(".")[1])
        assert number(printed) == pytest.approx(true, abs=0.5 * 10 ** -digits + 1e-9)
        if printed.startswith("+"):
            assert true > 0
        elif printed.startswith("\u2212"):
            assert true < 0
        else:
            assert number(printed) == 0, "a number printed without a sign rounds to zero"


@settings(max_examples=200, deadline=None)
@given(headline_scenarios)
def test_pajama_and_live_headlines_are_the_static_ones(scenario):
    result = kit.simulate(scenario)
    live = {k: " ".join(v) for k, v in charts.live_headlines(result).items()}
    assert live["role_headline"] == charts.role_shift_headline(result.by_role)
    assert live["org_headline"] == charts.org_shift_headline(result.org_by_mode)
    clinicians = result.roles[result.roles.pajama_before > 0]
    if not clinicians.empty:
        assert live["pajama_headline"] == charts.pajama_headline(clinicians)
    for text in live.values():
        assert_verbs_agree(text)


def test_the_throughput_trap_headlines_say_execution_rises():
    """Decision support with every freed hour to capacity: more patients bring more routine work."""
    result = kit.simulate(TRAP)
    org = charts.org_shift_headline(result.org_by_mode)
    assert org == "Execution rises from 40.2% to 40.7% of paid hours; presence rises from 41.6% to 42.0%"
    role = charts.role_shift_headline(result.by_role)
    assert role == "Occupational Therapists shift most: execution +0.9, curation \u22121.7, presence +0.8 h/week"
    titles = charts.live_panel(TRAP).to_dict()["params"]
    values = {p["name"]: " ".join(p["value"]) for p in titles if p["name"].endswith("_headline")}
    assert values["org_headline"] == org and values["role_headline"] == role
    static = " ".join(charts.org_shift(result.org_by_mode, result.org).to_dict()["title"]["text"])
    assert static == org


def test_format_change_never_shows_a_sign_on_zero():
    assert [charts.format_change(x) for x in (0.04, -0.04, -0.0, 0.05, -0.06, 1234.5)] == [
        "0.0", "0.0", "0.0", "+0.1", "\u22120.1", "+1,234.5"]
    assert charts.change_phrase(40.21, 40.24, "%") == "stays at 40.2%"
    assert charts.change_phrase(40.2, 40.7, "%") == "rises from 40.2% to 40.7%"
    assert charts.change_phrase(7.2, 6.1) == "falls from 7.2 to 6.1"


# --------------------------------------------------------------------------- live titles name shown roles

def test_live_titles_only_name_the_roles_shown():
    shown = ["registered_nurses", "medical_secretaries"]
    scenario = kit.Scenario(automation={"clinical_documentation": 1.0}, baseline="onet")
    everyone = kit.simulate(scenario)
    assert "Mental Health Counselors" in charts.role_shift_headline(everyone.by_role), \
        "over all roles, another role shifts most: the case the chart must not name"
    spec = charts.role_shift_live(scenario, roles=shown).to_dict()
    title = " ".join(next(p["value"] for p in spec["params"] if p["name"] == "role_headline"))
    assert title == charts.role_shift_headline(everyone.by_role[everyone.by_role.role_id.isin(shown)])
    assert title.startswith(("Registered Nurses", "Medical Secretaries")), title
    assert title in spec["description"]
    # the organization totals of a chart of some roles are those roles' totals
    part = charts.shown_result(everyone, shown)
    assert set(part.roles.role_id) == set(shown)
    hours = everyone.by_role[everyone.by_role.role_id.isin(shown)].merge(everyone.roles[["role_id", "headcount"]])
    assert part.org_by_mode.hours_after.sum() == pytest.approx((hours.hours_after * hours.headcount).sum())
    data = charts.live_panel(scenario, roles=shown, parts=("org_shift",))
    bars, _note = without_format(data).transformed_data()
    assert bars[bars.when == "After"].hours.sum() == pytest.approx(part.org_by_mode.hours_after.sum())


# --------------------------------------------------------------------------- task_exposure headline

@pytest.mark.parametrize("role_id", list(kit.load_roles().role_id))
def test_task_exposure_says_most_only_for_over_half(role_id):
    tasks = kit.load_tasks()
    text = " ".join(charts.task_exposure(tasks, role_id).to_dict()["title"]["text"])
    rows = tasks[tasks.role_id == role_id]
    share = rows.weight / rows.weight.sum()
    exposed = (share * rows.exposure).groupby(rows.family).sum()
    top = exposed.max() / exposed.sum()
    m = re.search(r"(most of it|the largest part|all of it) in (.+?)(?: \((\d+)% of the exposed time\))?$", text)
    assert m, text
    if m.group(1) == "all of it":
        assert (exposed > 0).sum() == 1
    else:
        assert int(m.group(3)) == round(100 * top)
        assert (m.group(1) == "most of it") == (round(100 * top) > 50), text


def test_task_exposure_for_registered_nurses():
    text = " ".join(charts.task_exposure(kit.load_tasks(), "registered_nurses").to_dict()["title"]["text"])
    assert text == ("Registered Nurses: 39% of the week is exposed to AI, the largest part in clinical "
                    "documentation (34% of the exposed time)")


@given(st.dictionaries(st.sampled_from(list("ABCDEFG")), st.floats(0, 1), min_size=1))
def test_exposure_headline_words(parts):
    exposed = pd.Series(parts, dtype=float)
    text = charts.exposure_headline("Role", exposed)
    total = exposed.sum()
    if round(100 * total) < 1:
        assert "almost none" in text
    elif "(" in text:
        part = round(100 * exposed.max() / total)
        assert f"({part}% of the exposed time)" in text
        assert ("most of it" in text) == (part > 50) and ("the largest part" in text) == (part <= 50)
    else:
        assert "all of it" in text and (exposed > 0).sum() == 1


# --------------------------------------------------------------------------- moat map

def test_moat_map_title_states_the_tendency_the_data_show():
    roles = kit.load_roles()
    text = " ".join(CHARTS["moat_map"].to_dict()["title"]["text"])
    rho = charts.rank_correlation(roles.exposure, roles.moat_score)
    assert rho == pytest.approx(-0.3696, abs=1e-3)
    assert text.startswith("More AI-exposed roles tend to have a thinner human moat (a moderate tendency: "
                           "rank correlation \u22120.37)")
    assert "Radiologists are an exception (exposure 0.52, moat 0.87)" in text
    assert "thinnest" not in text


def test_rank_correlation_is_spearmans():
    assert charts.rank_correlation([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1)
    assert charts.rank_correlation([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1)
    assert charts.rank_correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) == pytest.approx(0.8)  # 1 - 6*4/(5*24)
    assert np.isnan(charts.rank_correlation([1, 1, 1], [1, 2, 3]))


@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=2, max_size=30))
def test_moat_headline_agrees_with_its_numbers(pairs):
    points = pd.DataFrame({"title": [f"Role {i} Workers" for i in range(len(pairs))],
                           "exposure": [p[0] for p in pairs], "moat_score": [p[1] for p in pairs]})
    text = charts.moat_headline(points)
    rho = charts.rank_correlation(points.exposure, points.moat_score)
    if np.isnan(rho):
        assert text.startswith("Too few")
        return
    printed = number(re.search(rf"rank correlation ({NUMBER})", text).group(1))
    assert printed == pytest.approx(rho, abs=0.005 + 1e-12)
    if abs(printed) < 0.1:
        assert text.startswith("AI exposure says little") and "exception" not in text
        return
    assert ("thinner" in text) == (rho < 0) and ("thicker" in text) == (rho > 0)
    word = re.search(r"\(a (weak|moderate|strong|very strong) tendency", text).group(1)
    assert word == ("weak" if abs(printed) < 0.3 else "moderate" if abs(printed) < 0.5
                    else "strong" if abs(printed) < 0.7 else "very strong")
    exposed = points[points.exposure >= points.exposure.quantile(0.75)]
    median = points.moat_score.median()
    against = exposed[exposed.moat_score > median] if rho < 0 else exposed[exposed.moat_score < median]
    m = re.search(r"; (.+) are an exception", text)
    assert bool(m) == (not against.empty)
    if m:
        odd = points[points.title == m.group(1)].iloc[0]
        assert odd.exposure == against.exposure.max()


def test_short_role_names_are_clear_names():
    for title in kit.load_roles().title:
        short = charts._short(title)
        words = title.replace("(", "").replace(")", "").replace(",", "").split()
        assert short.split()[-1].endswith("s") and short.split()[-1] in words, (title, short)
        assert set(short.split()) <= set(words)
    assert charts._short("Licensed Practical and Licensed Vocational Nurses") == "Licensed Practical Nurses"
    assert charts._short("Medical Secretaries and Administrative Assistants") == "Medical Secretaries"


def scenegraph_items(spec, marktype):
    found = []

    def walk_sg(node):
        if isinstance(node, dict):
            if node.get("marktype") == marktype:
                found.extend((node.get("name"), item) for item in node.get("items", []))
            for value in node.values():
                walk_sg(value)
        elif isinstance(node, list):
            for value in node:
                walk_sg(value)
    walk_sg(vlc.vegalite_to_scenegraph(spec))
    return found


def test_moat_map_size_legend_says_real_numbers():
    spec = CHARTS["moat_map"].to_dict()
    texts = [item.get("text") for _, item in scenegraph_items(spec, "text") if isinstance(item.get("text"), str)]
    assert {"100,000", "1 million", "3 million"} <= set(texts)
    assert not [t for t in texts if re.fullmatch(r"0(\.0+)?[kMG]", t)], "no '0M'"


def test_moat_map_labels_sit_clear_of_circles_and_of_each_other():
    """Vega's own layout (scenegraph): each label's box (CHAR_WIDTH per character, a safe upper
    bound for 11-px sans-serif, checked in Chromium by the test below) is outside its own circle,
    off every other label, and covers at most a sliver of any other circle."""
    spec = CHARTS["moat_map"].to_dict()
    circles = {re.search(r"Role: ([^;]+)", item["description"]).group(1): item
               for _, item in scenegraph_items(spec, "symbol") if "Role: " in item.get("description", "")}
    labels = [item for name, item in scenegraph_items(spec, "text")
              if name and "short: " in item.get("description", "") and "stroke" not in item]
    assert len(labels) >= 12
    boxes = []
    for item in labels:
        box = charts._text_box(item["align"], item["x"], item["y"], charts.CHAR_WIDTH * len(item["text"]),
                               charts.LINE_HEIGHT)
        boxes.append(box)
        gaps = {}
        for title, circle in circles.items():
            r = np.sqrt(circle["size"] / np.pi)
            square = (circle["x"] - r, circle["y"] - r, circle["x"] + r, circle["y"] + r)
            covered = charts._overlap(box, square) / (2 * r) ** 2
            gaps[charts._short(title)] = charts._gap(box, square)
            if charts._short(title) == item["text"]:
                assert covered == 0, f"{item['text']} covers its own circle"
            else:
                assert covered < 0.25, f"{item['text']} covers {covered:.0%} of {title}"
        own = gaps.pop(item["text"])  # a label clearly nearer another circle names the wrong role
        assert own <= min(gaps.values()) + 3, \
            f"{item['text']} sits nearer {min(gaps, key=gaps.get)} than its own circle"
        assert -2 <= box[0] and box[2] <= charts.MOAT_WIDTH + 2, item["text"]
    for i, a in enumerate(boxes):
        for b in boxes[:i]:
            assert charts._overlap(a, b) == 0, "two labels overlap"


@pytest.mark.browser
def test_label_width_estimate_is_an_upper_bound_in_chromium(chromium):
    names = sorted({charts._short(t) for t in kit.load_roles().title})
    browser = chromium.playwright.chromium.launch(executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS)
    try:
        page = browser.new_page()
        page.set_content("<canvas id=c></canvas>")
        widths = page.evaluate("""([names, font]) => { const c = document.getElementById('c').getContext('2d');
            c.font = '11px ' + font; return names.map(n => c.measureText(n).width); }""", [names, charts.FONT])
    finally:
        browser.close()
    for name, width in zip(names, widths):
        assert width <= charts.CHAR_WIDTH * len(name), (name, width)


# --------------------------------------------------------------------------- one number format

def test_fte_and_money_formats():
    assert [charts.format_fte(x) for x in (0, 0.04, 3.61, 99.94, 100.4, 25_000.4)] == [
        "0", "0", "3.6", "99.9", "100", "25,000"]
    assert [charts.format_money(x) for x in (75_833.4, 999_999, 1.24e6, 3.456e9)] == [
        "$75,833", "$999,999", "$1.2 million", "$3.5 billion"]
    assert charts.format_number(0.25) == "0.3" and charts.format_number(-0.25) == "\u22120.3"  # as Vega's format()


def note_lines(chart) -> str:
    """The org note as Vega draws it (vl-convert evaluates format() as a browser does)."""
    texts = [item["text"] for _, item in scenegraph_items(chart.to_dict(), "text")
             if str(item.get("text")).startswith("Released")]
    assert len(texts) == 1
    return texts[0].replace("\n", " ")


@pytest.mark.parametrize("scenario", [
    kit.Scenario.from_preset("cost_cutting", org="primary_care_group"),  # 3.6 FTE, $80,447
    kit.Scenario.from_preset("admin_automation", org="community_hospital"),
    kit.Scenario.from_preset("cost_cutting"),  # thousands of FTE, billions
    kit.Scenario(org="primary_care_group"),  # nothing
])
def test_live_and_static_org_notes_print_the_same_numbers(scenario):
    result = kit.simulate(scenario)
    static = charts._org_note(result.org)
    assert note_lines(charts.org_shift_live(scenario)) == static
    assert " ".join(charts.org_shift(result.org_by_mode, result.org).to_dict()["title"]["subtitle"]) == static


def test_small_organizations_get_one_decimal():
    result = kit.simulate(kit.Scenario.from_preset("cost_cutting", org="primary_care_group", baseline="onet"))
    assert 2.3 < result.org.released_fte < 2.6
    note = charts._org_note(result.org)
    assert f"Released: {result.org.released_fte:.1f} FTE" in note and "$34,185 a year" in note
    assert "million" not in note


@pytest.mark.parametrize("org", kit.org_names())
def test_org_axis_labels_are_few_and_readable(org):
    """The dashboard's org chart is 290 px wide: at most six hours labels, none like '0.2k' or '0M'."""
    spec = charts.org_shift_live(kit.Scenario.from_preset("cost_cutting", org=org)).to_dict()
    ticks = [item["text"] for _, item in scenegraph_items(spec, "text")
             if isinstance(item.get("text"), str) and re.fullmatch(r"[\d.,]+[kMG]?", item["text"])
             and item.get("baseline") == "top" and item.get("align") in ("left", "center", "right")]
    assert 2 <= len(ticks) <= 8 and ticks[0] == "0", ticks
    assert not [t for t in ticks if re.fullmatch(r"0\.\d+[kMG]", t)], ticks
    # 7.2 px per character: an upper bound for 12-px sans-serif (DejaVu Sans is the widest here)
    edges = sorted((item["x"] - 3.6 * len(item["text"]), item["x"] + 3.6 * len(item["text"]))
                   for _, item in scenegraph_items(spec, "text") if item.get("text") in ticks)
    assert all(a[1] + 2 <= b[0] for a, b in zip(edges, edges[1:])), "axis labels overlap"


def test_labels_on_mode_bars_have_at_least_4_5_to_1_contrast():
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    for mode, colour in kit.PALETTE.items():
        text = kit.charts.TEXT_ON_MODE[mode].ljust(7, kit.charts.TEXT_ON_MODE[mode][-1])  # #000 -> #000000
        lighter, darker = sorted([luminance(colour), luminance(text)], reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, mode
    spec = kit.charts.org_shift(kit.simulate().org_by_mode, kit.simulate().org).to_dict()
    assert "#fff" in json.dumps(spec) and "#000" in json.dumps(spec)


# --------------------------------------------------------------------------- issue 12: role-scoped, per family

SCOPED = [
    kit.Scenario(automation={"clinical_documentation": {"prescribers": 0.7, "nurse_practitioners": 0.35},
                             "coding_billing": 0.4, "scheduling_access": {"front_office": 0.5}},
                 oversight_ratio={"coding_billing": 0.5, "clinical_documentation": 0.15}, reviewers={},
                 max_time_saved=0.5, pajama_pass_through=0.25, org="primary_care_group"),
    kit.Scenario(automation={"clinical_documentation": {"prescribers": 1.0}, "records_administration": 0.6},
                 max_time_saved={"E1": 0.7, "E2": 0.5}, pajama_pass_through=0.6, oversight_ratio=0.3,
                 reviewers={"records_administration": "medical_records_specialists"}),
]


@pytest.mark.parametrize("scenario", SCOPED)
def test_live_charts_equal_simulate_for_role_scoped_per_family_scenarios(scenario):
    result = kit.simulate(scenario)
    data = charts.role_shift_live(scenario).transformed_data()
    got = data.pivot_table(index=["title", "mode"], columns="when", values="sum_hours")
    np.testing.assert_allclose(got["After"], by_title(result).reindex(got.index).hours_after, atol=1e-9)
    bars, note = without_format(charts.org_shift_live(scenario)).transformed_data()
    org = result.org_by_mode.set_index("mode")
    for mode in kit.MODES:
        assert bars.set_index(["when", "mode"]).hours[("After", mode)] == pytest.approx(
            org.hours_after[mode], rel=1e-9, abs=1e-6)
    assert note.fte.iloc[0] == pytest.approx(result.org["oversight_team_fte"], rel=1e-9, abs=1e-6)
    assert note.cost.iloc[0] == pytest.approx(result.org["oversight_team_cost"], rel=1e-9, abs=1e-3)
    line, _dots = charts.pajama_time_live(scenario).transformed_data()
    after = line[line.when == "After"].set_index("title").hours
    np.testing.assert_allclose(after, result.roles.set_index("title").pajama_after[after.index], atol=1e-9)


@pytest.mark.parametrize("scenario", SCOPED)
def test_params_of_a_scoped_scenario_come_back_with_its_users_and_options(scenario):
    params = charts.scenario_params(scenario)
    assert charts.scenario_from_params(params, scenario.org, base=scenario) == scenario
    moved = {**params, "automation_clinical_documentation": 50.0}
    again = charts.scenario_from_params(moved, scenario.org, base=scenario)
    assert set(again.users("clinical_documentation")) == set(scenario.users("clinical_documentation"))
    assert again.automation_rate("clinical_documentation") == pytest.approx(0.5)
    assert again.reviewers == scenario.reviewers and again.pajama_pass_through == scenario.pajama_pass_through
