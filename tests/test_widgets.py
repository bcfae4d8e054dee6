"""kit.widgets driven from Python: what the dashboard shows equals kit.simulate() of its scenario,
the reinvestment controls always sum to 100 %, bursts end on the last value, bad input keeps the
last good view."""
import contextlib
import datetime
import html
import io
import random
import re

import altair as alt
import ipywidgets as w
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit import charts, widgets


@pytest.fixture(scope="module")
def dash():
    return kit.explore()


@pytest.fixture
def fresh():
    return kit.explore()


# Where kit.explore() starts: no automation, read as the presets read it (review by family A44,
# time construct A41, pass-through A42), so a slider moved from here acts as in every preset.
TODAY = kit.Scenario.from_preset("today")


def shown_scenario(d: widgets.Dashboard) -> kit.Scenario:
    """The scenario the chart in the browser is told to draw (its params, with the users of each tool
    and the review settings of the dashboard's scenario, which the chart's data carry)."""
    return charts.scenario_from_params(d.chart._params, org=d.scenario.org, base=d.scenario)


def assert_shows(d: widgets.Dashboard, scenario: kit.Scenario):
    """The dashboard's scenario, result, chart params, titles and summary all match `scenario`."""
    assert d.scenario == scenario
    expected = kit.simulate(scenario)
    pd.testing.assert_frame_equal(d.result.by_role, expected.by_role)
    assert shown_scenario(d) == scenario
    for name, value in charts.scenario_params(scenario).items():
        assert d.chart._params[name] == pytest.approx(value)
        assert d.pajama_chart._params[name] == pytest.approx(value)
    for name, text in charts.live_headlines(expected).items():
        assert d.chart._params[name] == text
    assert widgets.summary_line(expected, d.role) in html.unescape(d.summary.value)


def test_explore_returns_a_dashboard_with_every_control(dash):
    assert isinstance(dash, w.VBox)
    assert set(dash.sliders) == set(kit.automatable_families())
    for slider in [*dash.sliders.values(), dash.oversight, *dash.reinvestment.sliders.values()]:
        assert (slider.min, slider.max, slider.step) == (0, 100, 1)
        assert slider.description.strip() and "%" in slider.tooltip  # labelled; the tooltip gives the unit
        assert not slider.disabled
    for control in (dash.preset_picker, dash.org_picker, dash.role_picker):
        assert control.description
    assert dash.reset_button.description == "Reset"
    assert [o for _, o in dash.org_picker.options] == kit.org_names()
    assert [v for _, v in dash.preset_picker.options][1:] == kit.preset_names()
    assert_shows(dash, TODAY)


def test_sliders_drive_the_model(fresh):
    fresh.sliders["clinical_documentation"].value = 55
    fresh.sliders["coding_billing"].value = 80
    fresh.oversight.value = 35
    expected = TODAY.replace(automation={"clinical_documentation": 0.55, "coding_billing": 0.8}, oversight_ratio=0.35)
    assert_shows(fresh, expected)
    assert "Registered Nurses: execution \u2212" in fresh.summary.value


def test_every_slider_lands_in_the_scenario(fresh):
    for i, (family, slider) in enumerate(fresh.sliders.items()):
        slider.value = 5 + 7 * i
        assert fresh.scenario.automation_rate(family) == pytest.approx((5 + 7 * i) / 100)
    assert_shows(fresh, fresh.scenario)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["presence", "capacity", "released"]), st.integers(0, 100)),
                min_size=1, max_size=12))
def test_reinvestment_always_sums_to_100(moves):
    control = widgets.Reinvestment({"presence": 0.5, "capacity": 0.5, "released": 0.0})
    for key, value in moves:
        control.sliders[key].value = value
        values = {k: s.value for k, s in control.sliders.items()}
        assert sum(values.values()) == 100
        assert values[key] == value
        assert all(0 <= v <= 100 for v in values.values())
        kit.Scenario(reinvestment=control.values())  # always a valid Scenario


def test_reinvestment_keeps_the_other_two_in_proportion(fresh):
    fresh.reinvestment.set({"presence": 0.6, "capacity": 0.2, "released": 0.2})
    fresh.reinvestment.sliders["presence"].value = 20
    shown = {k: s.value for k, s in fresh.reinvestment.sliders.items()}
    assert shown == {"presence": 20, "capacity": 40, "released": 40}
    assert fresh.scenario.reinvestment == {"presence": 0.2, "capacity": 0.4, "released": 0.4}
    assert_shows(fresh, fresh.scenario)


def test_whole_percents_sum_to_100():
    assert widgets._whole_percents([1 / 3, 1 / 3, 1 / 3]) == [34, 33, 33]
    assert sum(widgets._whole_percents([0.955, 0.0449, 0.0001])) == 100


def test_a_burst_of_changes_ends_on_the_last_value(fresh):
    rng = random.Random(7)
    sliders = [*fresh.sliders.values(), fresh.oversight, *fresh.reinvestment.sliders.values()]
    for _ in range(600):
        rng.choice(sliders).value = rng.randint(0, 100)
    last = fresh.sliders["diagnostic_interpretation"]
    for value in range(100, 40, -1):  # a drag: hundreds of tiny steps on one slider
        last.value = value
    expected = TODAY.replace(
        automation={f: s.value / 100 for f, s in fresh.sliders.items() if s.value},
        oversight_ratio=fresh.oversight.value / 100,
        reinvestment={k: s.value / 100 for k, s in fresh.reinvestment.sliders.items()})
    assert expected.automation_rate("diagnostic_interpretation") == 0.41
    assert_shows(fresh, expected)


class Recorder:
    """Stands in for a widget's comm and records the state it sends to the browser."""

    def __init__(self, widget):
        self.sent = []
        self.widget = widget
        widget.comm.send = lambda data=None, buffers=None, **_: self.sent.append(data)

    def params_sent(self):
        return [m["state"]["_params"] for m in self.sent
                if m and m.get("method") == "update" and "_params" in m.get("state", {})]


def test_last_value_reaches_the_browser_even_after_a_stale_echo(fresh):
    """The chart widget echoes param changes back from the browser after a short debounce. An echo
    of an older value must not stop the last value from being sent."""
    slider = fresh.sliders["care_coordination"]
    recorder = Recorder(fresh.chart)
    slider.value = 30
    slider.value = 60
    stale = {**fresh.chart._params, "automation_care_coordination": 30.0}
    fresh.chart.set_state({"_params": stale})  # the browser's late echo of 30
    slider.value = 30  # the learner goes back to 30: the kernel already "has" 30 from the echo
    sent = recorder.params_sent()
    assert sent[-1]["automation_care_coordination"] == 30.0
    # the stale echo of 30 is answered with the kernel's 60 (what the screen must show then), then 30
    assert [p["automation_care_coordination"] for p in sent] == [30.0, 60.0, 60.0, 30.0]


def test_a_learners_move_is_drawn_in_the_browser_and_the_kernel_sends_the_rest(fresh):
    """BrowserLink moves the param in the browser; the kernel must then send titles and summary but
    not the slider's (possibly already older) value, or a fast drag could step back."""
    recorder = Recorder(fresh.chart)
    slider = fresh.sliders["clinical_documentation"]
    slider.set_state({"value": 45})  # what a key press in the browser does
    assert fresh.scenario.automation_rate("clinical_documentation") == 0.45
    sent = recorder.params_sent()[-1]
    assert "automation_clinical_documentation" not in sent and "oversight_ratio" not in sent
    assert sent["role_headline"] == charts.live_headlines(kit.simulate(fresh.scenario))["role_headline"]
    assert [fresh.link.links[i][1] for i in range(len(fresh.link.links))] == [
        *(f"automation_{f}" for f in fresh.sliders), "oversight_ratio"]
    assert fresh.link.charts == [fresh.chart.model_id, fresh.pajama_chart.model_id]
    slider.value = 46  # from Python: the kernel sends every param
    assert recorder.params_sent()[-1]["automation_clinical_documentation"] == 46.0
    fresh.reinvestment.sliders["released"].set_state({"value": 20})  # not linked: always sent
    assert recorder.params_sent()[-1]["reinvestment_released"] == 20.0


def test_the_browsers_param_report_is_not_echoed_back(fresh):
    """An echo of an old report could arrive after the kernel's newest params and show old titles."""
    recorder = Recorder(fresh.chart)
    old = dict(fresh.chart._params)
    fresh.sliders["coding_billing"].value = 50
    fresh.chart.set_state({"_params": old})  # the browser's late report of what it showed before
    assert not [m for m in recorder.sent if m and m.get("method") == "echo_update"]
    fresh.sliders["coding_billing"].value = 50  # no change: nothing to send
    fresh.sliders["coding_billing"].value = 51
    assert recorder.params_sent()[-1]["automation_coding_billing"] == 51.0


def test_one_message_per_change(fresh):
    recorder = Recorder(fresh.chart)
    fresh.sliders["scheduling_access"].value = 70
    assert len(recorder.params_sent()) == 1


def test_presets_reset_and_the_preset_menu(fresh):
    fresh.preset_picker.value = "empathy_first"
    assert_shows(fresh, kit.Scenario.from_preset("empathy_first"))
    assert fresh.reinvestment.sliders["presence"].value == 80
    fresh.sliders["coding_billing"].value = 10
    assert fresh.preset_picker.value == widgets.NO_PRESET, "after a slider moves, the menu says 'your own settings'"
    fresh.reset_button.click()
    assert_shows(fresh, TODAY)


def test_a_bad_preset_shows_a_message_and_keeps_the_view(fresh):
    fresh.sliders["coding_billing"].value = 40
    before = fresh.scenario
    fresh.apply_preset("scribes_pilott")
    assert "did you mean" in fresh.message.value and "scribes_pilot" in fresh.message.value
    assert_shows(fresh, before)
    fresh.sliders["coding_billing"].value = 41
    assert fresh.message.value == "", "the message clears at the next good change"


def test_explore_with_a_bad_preset_starts_from_the_default_and_says_why():
    d = kit.explore(preset="nope")
    assert "preset" in d.message.value and "does not exist" in d.message.value
    assert_shows(d, TODAY)


def test_an_organization_with_no_matching_staff_keeps_the_last_good_view(fresh):
    fresh.sliders["clinical_documentation"].value = 50
    before, spec = fresh.scenario, fresh.chart.spec
    empty = kit.Organization.from_table(
        pd.DataFrame({"role_id": ["pharmacists"], "headcount": [0], "weekly_hours": [40]}), name="empty clinic")
    fresh.set_org(empty)
    assert "has no staff" in fresh.message.value
    assert fresh.org_picker.value == before.org
    assert fresh.chart.spec == spec
    assert_shows(fresh, before)
    fresh.set_org("nowhere")
    assert "not an organization profile" in fresh.message.value
    assert_shows(fresh, before)


def test_switching_organization_swaps_the_chart_and_keeps_the_sliders(fresh):
    fresh.set_role("radiologists")
    fresh.sliders["diagnostic_interpretation"].value = 50
    fresh.org_picker.value = "primary_care_group"
    assert fresh.scenario.org == "primary_care_group"
    assert fresh.scenario.automation_rate("diagnostic_interpretation") == 0.5
    roles = set(kit.simulate(fresh.scenario).roles.role_id)
    assert {v for _, v in fresh.role_picker.options} == roles
    assert "radiologists" not in roles and fresh.role in roles
    assert "not in this organization" in fresh.message.value
    assert fresh.chart.chart.usermeta["kit"]["org"] == "primary_care_group"
    assert_shows(fresh, fresh.scenario)


def test_a_custom_organization(fresh):
    ward = kit.Organization.from_table(pd.DataFrame({"role_id": ["registered_nurses", "nursing_assistants"],
                                                     "headcount": [30, 12], "weekly_hours": [36, 40]}), name="Ward 7")
    fresh.set_org(ward)
    assert fresh.org_picker.value is ward and ("Ward 7", ward) in fresh.org_picker.options
    assert fresh.pajama_chart.chart is None, "no clinician with a pajama baseline: no pajama chart"
    fresh.sliders["clinical_documentation"].value = 70
    assert fresh.scenario == TODAY.replace(automation={"clinical_documentation": 0.7}, org=ward)
    assert shown_scenario(fresh) == fresh.scenario


def test_role_picker_sets_the_focus_and_the_task_chart(fresh):
    fresh.role_picker.value = "medical_secretaries"
    assert fresh.chart._params["focus_title"] == "Medical Secretaries and Administrative Assistants"
    assert fresh.tasks_chart.chart.usermeta["kit"]["role_id"] == "medical_secretaries"
    assert fresh.summary.value.count("Medical Secretaries") == 1
    fresh.set_role("astronauts")
    assert "not in this organization" in fresh.message.value and fresh.role == "medical_secretaries"


def test_numbers_tab_is_the_table_view(fresh):
    fresh.sliders["coding_billing"].value = 90
    assert fresh.numbers.value == "", "built only when the tab is open"
    fresh.tabs.selected_index = 2
    table = kit.table(charts.role_shift(fresh.result.by_role))
    first = table.iloc[0]
    assert first["Role"] in fresh.numbers.value and f"{first['Hours/week after']:.2f}" in fresh.numbers.value
    fresh.sliders["coding_billing"].value = 20
    after = kit.table(charts.role_shift(fresh.result.by_role)).iloc[0]["Hours/week after"]
    assert f"{after:.2f}" in fresh.numbers.value


def test_text_output_is_short_and_stable():
    """Strict nbval compares a widget's text/plain output: it must not carry random model ids."""
    a, b = kit.explore(preset="scribes_trial"), kit.explore(preset="scribes_trial")
    assert a._repr_mimebundle_()["text/plain"] == b._repr_mimebundle_()["text/plain"]
    assert repr(a).startswith("<kit slider lab: Scenario(") and len(repr(a)) < 400
    for widget in (widgets.slider_chart(), widgets.role_tasks()):
        assert widget.model_id not in repr(widget) and len(repr(widget)) < 400


def test_changes_print_nothing_and_the_layout_does_not_grow(fresh):
    children = len(fresh.children)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        for value in range(0, 101, 10):
            fresh.sliders["records_administration"].value = value
        fresh.apply_preset("nope")
        fresh.org_picker.value = "community_hospital"
    assert out.getvalue() == ""
    assert len(fresh.children) == children


def test_set_scenario_moves_every_control_once(fresh):
    recorder = Recorder(fresh.chart)
    scenario = kit.Scenario.from_preset("admin_automation")
    fresh.set_scenario(scenario)
    assert_shows(fresh, scenario)
    assert len(recorder.params_sent()) == 1
    assert fresh.sliders["coding_billing"].value == 80 and fresh.oversight.value == 50
    fresh.set_scenario("admin_automation")
    assert "not a kit.Scenario" in fresh.message.value


# --------------------------------------------------------------------------- scenario files (tab)

@pytest.fixture
def outputs(tmp_path, monkeypatch):
    folder = tmp_path / "my_outputs"
    monkeypatch.setenv("KIT_OUTPUTS_DIR", str(folder))
    return folder


def test_save_open_and_compare_scenario_files(fresh, outputs):
    fresh.apply_preset("empathy_first")
    fresh.sliders["care_coordination"].value = 33
    saved = fresh.scenario
    path = outputs / "mine.json"
    fresh.files.save_file("mine")  # the .json ending is added
    assert "saved" in fresh.message.value and path.exists()
    assert kit.load_scenario(path) == saved
    fresh.reset_button.click()
    fresh.files.open_file("mine.json")
    assert_shows(fresh, saved)
    assert "opened" in fresh.message.value

    fresh.files.set_b(kit.Scenario.from_preset("cost_cutting"))
    fresh.tabs.selected_index = 3
    table = widgets.comparison(fresh.scenario, fresh.files.b, fresh.role)
    released = table.set_index("").loc["Released (FTE)"]
    want = kit.simulate(kit.Scenario.from_preset("cost_cutting")).org["released_fte"]
    assert released["B"] == f"{want:,.1f}" and released["A (on screen)"] == "0.0"
    assert "Released (FTE)" in fresh.files.compare.value
    fresh.sliders["coding_billing"].value = 5  # the comparison follows A while the tab is open
    assert "Coding &amp; billing automated (%)" in fresh.files.compare.value

    fresh.files.swap()
    assert_shows(fresh, kit.Scenario.from_preset("cost_cutting"))
    assert fresh.files.b.automation_rate("care_coordination") == 0.33


def test_a_bad_scenario_file_keeps_the_scenario_on_screen(fresh, outputs):
    fresh.sliders["coding_billing"].value = 70
    before = fresh.scenario
    outputs.mkdir()
    bad = outputs / "bad.json"
    bad.write_text('{"format": "empathy-premium-scenario", "format_version": 1, "automation": {"coding_billing": 7}}')
    fresh.files.open_file("bad.json")
    assert "was not opened" in fresh.message.value and "<li>" in fresh.message.value
    assert_shows(fresh, before)
    fresh.files.open_file(b"\x00\x01 not json")  # an upload's bytes
    assert "not opened" in fresh.message.value
    fresh.files.open_file("missing.json")
    assert "there is no missing.json in my_outputs/" in fresh.message.value
    assert "the scenario files in my_outputs/ are: bad.json" in fresh.message.value
    (outputs / "locked.json").write_text("{}")
    (outputs / "locked.json").chmod(0o444)
    fresh.files.save_file("locked.json")  # taken: saved beside it, never over it
    assert (outputs / "locked-2.json").exists() and "was kept" in fresh.message.value
    fresh.files.swap()
    assert "no B yet" in fresh.message.value
    assert_shows(fresh, before)


def test_upload_opens_into_b_without_touching_the_screen(fresh):
    before = fresh.scenario
    content = kit.scenario_file.scenario_to_json(kit.Scenario.from_preset("imaging_ai")).encode()
    fresh.files.target.value = "b"
    fresh.files.upload.value = ({"name": "imaging.json", "type": "application/json", "size": len(content),
                                 "content": memoryview(content),
                                 "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},)
    assert fresh.files.b == kit.Scenario.from_preset("imaging_ai")
    assert_shows(fresh, before)


# --------------------------------------------------------------------------- small widgets

def test_slider_chart_one_slider_one_chart():
    sc = widgets.slider_chart("clinical_documentation", "pajama_time",
                              scenario=kit.Scenario(oversight_ratio=0.5))
    assert isinstance(sc.slider, w.IntSlider) and isinstance(sc.chart, alt.JupyterChart)
    sc.slider.value = 60
    expected = kit.Scenario(automation={"clinical_documentation": 0.6}, oversight_ratio=0.5)
    assert sc.scenario == expected
    assert charts.scenario_from_params(sc.chart._params) == expected
    assert sc.chart._params["pajama_headline"] == charts.live_headlines(kit.simulate(expected))["pajama_headline"]
    ov = widgets.slider_chart("oversight_ratio", "org_shift")
    ov.slider.value = 70
    assert ov.scenario.oversight_ratio == 0.7
    with pytest.raises(ValueError, match="not a slider"):
        widgets.slider_chart("paperwork")
    with pytest.raises(ValueError, match="not a live chart"):
        widgets.slider_chart("coding_billing", "moat_map")


def test_role_tasks_follows_the_picker():
    rt = widgets.role_tasks("pharmacists")
    rt.picker.value = "radiologists"
    assert rt.chart.chart.usermeta["kit"]["role_id"] == "radiologists"
    with pytest.raises(ValueError, match="not one of the kit's roles"):
        widgets.role_tasks("wizard")


def test_summary_line_reads_like_the_issue_example():
    result = kit.simulate(kit.Scenario.from_preset("admin_automation"))
    line = widgets.summary_line(result, "medical_secretaries")
    change = result.role("medical_secretaries").hours_change
    assert line.startswith(f"Medical Secretaries and Administrative Assistants: execution "
                           f"\u2212{-change['execution']:.1f} h/week, curation +{change['curation']:.1f}, "
                           f"presence +{change['presence']:.1f}")
    assert f"{result.org['oversight_team_fte']:,.0f} FTE of new AI-oversight work" in line


# --------------------------------------------------------------------------- findings of the authors' review

def test_the_preset_menu_names_the_preset_a_scenario_equals():
    assert kit.explore(kit.Scenario.from_preset("scribes_trial")).preset_picker.value == "scribes_trial"
    assert kit.explore().preset_picker.value == "today", "no automation is the 'today' preset"
    d = kit.explore(kit.Scenario.from_preset("cost_cutting", org="primary_care_group"))
    assert d.preset_picker.value == "cost_cutting", "a preset on another organization is still that preset"
    d.sliders["coding_billing"].value = 61
    assert d.preset_picker.value == widgets.NO_PRESET
    d.sliders["coding_billing"].value = 60
    assert d.preset_picker.value == "cost_cutting", "back on the preset's settings: the menu says so again"
    d.preset_picker.value = widgets.NO_PRESET  # a learner picks "(your own settings)" on a preset
    assert d.preset_picker.value == "cost_cutting" and d.scenario == kit.Scenario.from_preset(
        "cost_cutting", org="primary_care_group")
    d.set_scenario(kit.Scenario.from_preset("imaging_ai"))
    assert d.preset_picker.value == "imaging_ai"
    d.org_picker.value = "community_hospital"
    assert d.preset_picker.value == "imaging_ai"
    d.files.open_file(kit.scenario_file.scenario_to_json(kit.Scenario.from_preset("empathy_first")).encode())
    assert d.preset_picker.value == "empathy_first"
    for name in kit.preset_names():
        assert widgets.matching_preset(kit.Scenario.from_preset(name)) == name
    assert widgets.matching_preset(kit.Scenario(oversight_ratio=0.21)) == widgets.NO_PRESET


def test_the_dashboard_tells_the_truth_about_the_throughput_trap(fresh):
    fresh.sliders["clinical_judgement"].value = 50
    fresh.reinvestment.sliders["capacity"].value = 100
    assert fresh.scenario.reinvestment == {"presence": 0.0, "capacity": 1.0, "released": 0.0}
    titles = {k: " ".join(v) for k, v in fresh.chart._params.items() if k.endswith("_headline")}
    assert titles["org_headline"] == charts.org_shift_headline(fresh.result.org_by_mode)
    assert titles["org_headline"].startswith("Execution rises from")
    assert titles["role_headline"] == charts.role_shift_headline(fresh.result.by_role)
    change = fresh.result.role("registered_nurses").hours_change
    assert change["execution"] > 0 and change["curation"] < 0
    assert (f"Registered Nurses: execution +{change['execution']:.1f} h/week, "
            f"curation \u2212{-change['curation']:.1f}, presence +{change['presence']:.1f}") in fresh.summary.value


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.just(0.0), st.floats(0, 0.01), st.floats(0, 1)), min_size=13, max_size=13),
       st.floats(0, 1), st.sampled_from([{"presence": 0, "capacity": 1, "released": 0},
                                          {"presence": 0.5, "capacity": 0.5, "released": 0},
                                          {"presence": 0, "capacity": 0.2, "released": 0.8}]),
       st.sampled_from(list(kit.load_roles().role_id)))
def test_summary_line_signs_agree_with_the_numbers(rates, rho, reinvestment, role):
    result = kit.simulate(kit.Scenario(automation=dict(zip(kit.automatable_families(), rates)),
                                       oversight_ratio=rho, reinvestment=reinvestment))
    line = widgets.summary_line(result, role)
    change = result.role(role).hours_change
    for mode in kit.MODES:
        printed = re.search(rf"{mode} ([+\u2212]?\d+\.\d)", line).group(1)
        value = float(printed.replace("\u2212", "-"))
        assert value == pytest.approx(change[mode], abs=0.05 + 1e-9)
        assert printed[0] != "+" or change[mode] > 0
        assert printed[0] != "\u2212" or change[mode] < 0
        assert printed[0] in "+\u2212" or value == 0
    assert f"Organization: {charts.format_fte(result.org['released_fte'])} FTE released" in line


def test_slider_chart_titles_only_name_the_roles_it_shows():
    top = "Registered Nurses"  # over all roles, they shift most when documentation is fully automated
    shown = ["medical_secretaries", "pharmacists"]
    sc = widgets.slider_chart("clinical_documentation", "role_shift", roles=shown)
    sc.slider.value = 100
    title = " ".join(sc.chart._params["role_headline"])
    assert title.startswith(("Pharmacists", "Medical Secretaries")), title
    assert top not in title
    assert sc.chart._params == {**sc.chart._params, **charts.live_headlines(sc.result, shown)}
    everyone = charts.live_headlines(sc.result)
    assert top in " ".join(everyone["role_headline"])


def test_small_organizations_get_one_decimal_of_fte():
    d = kit.explore(kit.Scenario.from_preset("cost_cutting", org="primary_care_group"))
    released = d.result.org["released_fte"]
    assert f"Organization: {released:.1f} FTE released" in d.summary.value


def test_a_dashboard_changed_before_it_is_shown_draws_its_current_scenario():
    """A chart view starts from its spec's params and reports them on render (altair's JupyterChart):
    the kernel must answer with the params of the scenario on screen, not leave the spec's old ones."""
    d = kit.explore()
    spec_params = {p["name"]: p["value"] for p in d.chart.spec["params"]}
    d.sliders["clinical_judgement"].value = 50
    d.reinvestment.sliders["capacity"].value = 100
    recorder = Recorder(d.chart)
    d.chart.set_state({"_params": spec_params})  # what the browser reports when the view renders
    sent = recorder.params_sent()
    assert len(sent) == 1
    assert sent[-1]["automation_clinical_judgement"] == 50 and sent[-1]["reinvestment_capacity"] == 100
    assert sent[-1]["org_headline"] == charts.live_headlines(d.result)["org_headline"]
    d.chart.set_state({"_params": dict(d.chart.intended)})  # the browser now shows the kernel's values
    assert len(recorder.params_sent()) == 1, "nothing more to send"


def test_table_and_preview_follow_a_move_the_browser_drew_by_itself(fresh):
    """After a learner's move, the kernel does not resend the slider's param (the browser set it), so
    the chart widget's own params lag; the table view and the stored preview must not."""
    fresh.sliders["clinical_documentation"].set_state({"value": 45})  # a key press in the browser
    result = kit.simulate(fresh.scenario)
    before = kit.table(charts.org_shift(kit.simulate(kit.Scenario()).org_by_mode, result.org))
    shown = kit.table(fresh.chart)  # the panel's first part, the organization's hours by mode
    pd.testing.assert_frame_equal(shown, kit.table(charts.org_shift(result.org_by_mode, result.org)))
    assert not shown.equals(before)
    assert charts.param_values(fresh.chart)["automation_clinical_documentation"] == 45
    spec = kit.display._current_spec(fresh.chart)
    assert {p["name"]: p.get("value") for p in spec["params"]}["automation_clinical_documentation"] == 45


def test_explore_takes_a_presets_name_and_refuses_what_is_not_a_scenario():
    assert kit.explore("empathy_first").scenario == kit.Scenario.from_preset("empathy_first")
    assert "does not exist" in kit.explore("no_such_preset").message.value  # shown in the dashboard
    with pytest.raises(ValueError, match="not a kit.Scenario"):
        kit.explore(0.5)
    with pytest.raises(ValueError, match="not a kit.Scenario"):
        kit.widgets.slider_chart("clinical_documentation", "org_shift", scenario="empathy_first")


def test_tabs_are_selected_by_title_and_messages_are_public(fresh):
    assert fresh.selected_tab == fresh.PAJAMA_TAB and list(fresh.TABS)[2] == fresh.NUMBERS_TAB
    fresh.select_tab(fresh.NUMBERS_TAB)
    assert fresh.tabs.selected_index == 2 and "Hours/week after" not in fresh.numbers.value.split("<p>")[0]
    assert "kit-numbers" in fresh.numbers.value
    with pytest.raises(ValueError, match="not a tab of the slider lab"):
        fresh.select_tab("Numbers")
    fresh.show_message("saved it", kind="done")
    assert "Done:" in fresh.message.value and "saved it" in fresh.message.value
    fresh.show_message("")
    assert fresh.message.value == ""


# --------------------------------------------------------------------------- who uses each tool (issue 12)

def test_the_used_by_menu_gives_a_tool_to_its_users_only(fresh):
    assert fresh.tool_picker.value == "clinical_documentation" and fresh.users_picker.value == "all"
    fresh.users_picker.value = "prescribers"
    fresh.sliders["clinical_documentation"].value = 60
    assert_shows(fresh, TODAY.replace(automation={"clinical_documentation": {"prescribers": 0.6}}))
    automated = fresh.result.roles.set_index("role_id").automated
    prescribers = set(kit.adoption.role_groups()["prescribers"])
    assert automated[~automated.index.isin(prescribers)].abs().max() == 0
    assert automated[automated.index.isin(prescribers)].gt(0).all()
    assert "Used only by: Clinical documentation: Physicians" in html.unescape(fresh.summary.value)
    fresh.users_picker.value = "all"
    pathologists = fresh.result.roles.set_index("role_id").automated["pathologists"]
    assert fresh.scenario.automation["clinical_documentation"] == 0.6 and pathologists > 0


def test_the_used_by_menu_follows_the_preset_and_the_tool(fresh):
    fresh.apply_preset("imaging_ai")
    fresh.tool_picker.value = "diagnostic_interpretation"
    assert fresh.users_picker.value == "imaging"
    fresh.tool_picker.value = "scheduling_access"
    assert fresh.users_picker.value == "all"
    mixed = TODAY.replace(automation={"coding_billing": {"coding": 0.5, "registered_nurses": 0.2}})
    fresh.set_scenario(mixed)
    fresh.tool_picker.value = "coding_billing"
    assert fresh.users_picker.value == "" and "several" in fresh.users_picker.label
    assert fresh.scenario == mixed, "showing a mix changes nothing"
