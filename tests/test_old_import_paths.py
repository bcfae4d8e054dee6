"""Names moved or renamed by the restructure of kit/ (issue 9) stay importable from their old homes
for one release, and are the very same objects as in their new homes (CHANGELOG.md lists each)."""
import importlib

import pytest

# old module: {old name: "new.module:new name"}
MOVED = {
    "kit.scenarios": {
        **{name: f"kit.organization:{name}" for name in (
            "DEFAULT_NAME", "EXAMPLE", "HOURS_IN_A_WEEK", "MAX_COLUMNS", "MAX_HEADCOUNT", "MAX_NAME_LENGTH",
            "MAX_PROBLEMS", "MAX_ROWS", "ROLE_COLUMNS", "SHARE_ROUNDING", "TEMPLATE", "template_table")},
        **{name: f"kit.scenario_file:{name}" for name in (
            "MAX_SCENARIO_BYTES", "SCENARIO_FORMAT", "SCENARIO_VERSION", "load_scenario", "save_scenario",
            "scenario_from_dict", "scenario_from_json", "scenario_to_dict", "scenario_to_json")},
        "MAX_FILE_BYTES": "kit.organization_file:MAX_FILE_BYTES",
        "read_organization": "kit.organization_file:read_organization",
        "atomic_write": "kit._files:atomic_write",
    },
    "kit.widgets": {
        "_whole_percents": "kit.widgets.controls:whole_percents",
        "_push": "kit.widgets.sync:push_params",
        "enable_offline": "kit.widgets.sync:enable_offline",
        "LiveChart": "kit.widgets.sync:LiveChart",
        "BrowserLink": "kit.widgets.sync:BrowserLink",
        "ECHO_WAIT_MS": "kit.widgets.sync:ECHO_WAIT_MS",
        **{name: f"kit.widgets.controls:{name}" for name in (
            "CONTROL_WIDTH", "DEFAULT_ROLE", "DESCRIPTION_WIDTH", "NO_PRESET", "Reinvestment", "matching_preset",
            "short_label")},
        "summary_line": "kit.widgets.panels:summary_line",
        "comparison": "kit.widgets.panels:comparison",
        "Dashboard": "kit.widgets.dashboard:Dashboard",
        "explore": "kit.widgets.dashboard:explore",
        "ScenarioFiles": "kit.widgets.scenario_tab:ScenarioFiles",
        **{name: f"kit.widgets.chapter:{name}" for name in ("SliderChart", "slider_chart", "RoleTasks", "role_tasks")},
    },
    "kit.charts": {
        **{name: f"kit.words:{name}" for name in (
            "change_phrase", "exposure_headline", "format_change", "format_fte", "format_money", "format_number",
            "moat_headline", "org_shift_headline", "pajama_headline", "rank_correlation", "role_shift_headline",
            "TENDENCY")},
        "_short": "kit.words:short_title",
        "_num": "kit.words:format_amount",
        "sensitivity": "kit.charts.builders:tornado",
        "_configure": "kit.charts.style:configure",
        "_lines": "kit.charts.style:title_lines",
        "_require": "kit.charts.style:require_columns",
        "_org_label": "kit.charts.style:org_label",
        "_mode_color": "kit.charts.style:mode_color",
        "_overlap": "kit.charts.moat:_overlap",
        "_gap": "kit.charts.moat:_gap",
        "_text_box": "kit.charts.moat:_text_box",
        "_org_note": "kit.charts.builders:_org_note",
        "table": "kit.charts.tables:table",
        "param_values": "kit.charts.tables:param_values",
    },
    "kit.lessons": {"oversight_chart": "kit.charts.oversight:oversight_chart",
                    **{name: f"kit.facilitator:{name}" for name in ("answer_key", "chapter_times", "run_of_show")}},
}


@pytest.mark.parametrize("old, name, new", [(old, name, new) for old, names in MOVED.items()
                                            for name, new in names.items()])
def test_moved_name_is_importable_from_its_old_home(old, name, new):
    module, _, new_name = new.partition(":")
    assert getattr(importlib.import_module(old), name) is getattr(importlib.import_module(module), new_name)


def test_the_public_api_stays():
    import kit
    from kit import lessons  # noqa: F401
    for name in ("Scenario", "simulate", "explore", "load_roles", "load_tasks", "check", "table", "show",
                 "read_organization", "load_scenario", "save_scenario"):
        assert callable(getattr(kit, name)), name
    assert callable(kit.widgets.slider_chart) and callable(kit.widgets.role_tasks)


def test_the_dashboards_old_private_message_method_still_works():
    from kit.widgets import Dashboard
    assert Dashboard._say is Dashboard.show_message


def test_the_coding_accuracy_table_moved_from_code_to_a_dataset():
    import pandas as pd

    import kit
    from kit import lessons
    pd.testing.assert_frame_equal(lessons.PUBLISHED_CODING_ACCURACY, lessons.published_coding_accuracy())
    table = kit.data.load_coding_accuracy()
    assert table.source.str.len().gt(10).all(), "every figure names its source"
    assert list(lessons.PUBLISHED_CODING_ACCURACY.columns) == ["study", "task", "code_set", "accuracy"]


def test_the_session_plans_are_a_csv_the_facilitator_can_edit(tmp_path, monkeypatch):
    import shutil

    from kit import data, facilitator
    copy = tmp_path / "datasets"
    shutil.copytree(data.datasets_dir(), copy, ignore=shutil.ignore_patterns("raw", "curation"))
    plans = copy / "session_plans.csv"
    plans.write_text(plans.read_text(encoding="utf-8").replace("60,1,5,Welcome", "60,1,7,Welcome"), encoding="utf-8")
    monkeypatch.setenv("KIT_DATASETS_DIR", str(copy))
    data.datapackage.cache_clear()
    data._validated.cache_clear()
    try:
        plan = facilitator.run_of_show(60)
        assert plan.time.iloc[0] == "0:00-0:07" and plan.time.iloc[-1].endswith("1:02")
    finally:
        monkeypatch.delenv("KIT_DATASETS_DIR")
        data.datapackage.cache_clear()
        data._validated.cache_clear()
