"""Scenario files: exact round trips, clear messages for damaged, newer or out-of-range files, and
nothing changed when a load fails."""
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit import _files, scenarios

FAMILIES = kit.automatable_families()
ROLES = kit.load_roles().role_id.tolist()
SHARE_FAMILIES = [f for f in kit.model.structure().families if f != "ai_oversight"]


def custom_org(name="Test clinic"):
    table = pd.DataFrame({"role_id": ["registered_nurses", "receptionists", "medical_assistants"],
                          "headcount": [12, 3.5, 0], "weekly_hours": [36, 40, 32.25]})
    table["clinical_documentation"] = [0.25, np.nan, 0.1]
    table["direct_physical_care"] = [0.75, np.nan, 0.2]
    table["scheduling_access"] = [np.nan, np.nan, 0.7]
    return kit.Organization.from_table(table, name=name)


def write(tmp_path, content, name="s.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def valid_dict(**changes):
    content = scenarios.scenario_to_dict(kit.Scenario.from_preset("scribes_trial"))
    content.update(changes)
    return content


def problems(path_or_bytes):
    with pytest.raises(kit.DataError) as info:
        kit.load_scenario(path_or_bytes)
    return info.value.problems


# --------------------------------------------------------------------------- round trips

@pytest.mark.parametrize("name", kit.preset_names())
def test_every_preset_round_trips_exactly(tmp_path, name):
    scenario = kit.Scenario.from_preset(name)
    path = kit.save_scenario(scenario, tmp_path / f"{name}.json")
    assert kit.load_scenario(path) == scenario
    assert kit.load_scenario(path.read_bytes()) == scenario


def test_custom_organization_round_trips_exactly(tmp_path):
    scenario = kit.Scenario(automation={"clinical_documentation": 0.1 + 0.2}, oversight_ratio=1 / 3,
                            reinvestment={"presence": 0.1, "capacity": 0.2, "released": 0.7}, org=custom_org())
    loaded = kit.load_scenario(kit.save_scenario(scenario, tmp_path / "custom.json"))
    assert loaded == scenario
    assert loaded.org == scenario.org and loaded.org.name == "Test clinic"
    assert loaded.org.shares == scenario.org.shares
    pd.testing.assert_frame_equal(kit.simulate(loaded).by_family, kit.simulate(scenario).by_family)


def test_file_is_small_readable_versioned_json(tmp_path):
    path = kit.save_scenario(kit.Scenario.from_preset("scribes_trial"), tmp_path / "s.json")
    content = json.loads(path.read_text(encoding="utf-8"))
    assert content["format"] == "empathy-premium-scenario"
    assert content["format_version"] == scenarios.SCENARIO_VERSION == 2
    assert set(content) == {"format", "format_version", "automation", "oversight_ratio", "reinvestment", "org",
                            "reviewers", "max_time_saved", "pajama_pass_through", "baseline"}
    assert content["baseline"] == "measured"
    assert path.stat().st_size < 2000, "review by family (A44) names 14 families twice; still one screen"


rates = st.floats(0, 1, allow_nan=False)
names = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"], exclude_characters="<>&"),
                min_size=1, max_size=30).filter(str.strip)


@st.composite
def any_scenario(draw):
    raw = np.array([draw(rates) for _ in range(3)]) + 1e-3
    share = raw / raw.sum()
    share[2] = max(0.0, 1.0 - share[0] - share[1])
    org = draw(st.one_of(st.sampled_from(kit.org_names()), st.builds(lambda: None)))
    if org is None:
        chosen = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=6, unique=True))
        table = pd.DataFrame({"role_id": chosen,
                              "headcount": [draw(st.floats(0, 1e6)) for _ in chosen],
                              "weekly_hours": [draw(st.floats(0.5, 168)) for _ in chosen]})
        if draw(st.booleans()):
            weights = np.array([[draw(st.floats(0, 1)) for _ in SHARE_FAMILIES] for _ in chosen]) + 1e-3
            table[SHARE_FAMILIES] = weights / weights.sum(axis=1, keepdims=True)
        org = kit.Organization.from_table(table, name=draw(names))
    return kit.Scenario(automation=draw(st.dictionaries(st.sampled_from(FAMILIES), rates)),
                        oversight_ratio=draw(rates), reinvestment=dict(zip(["presence", "capacity", "released"],
                                                                           share.tolist())), org=org,
                        baseline=draw(st.sampled_from(["measured", "onet"])))


@settings(max_examples=200)
@given(any_scenario())
def test_random_scenarios_round_trip_exactly_through_json(scenario):
    assert scenarios.scenario_from_json(scenarios.scenario_to_json(scenario)) == scenario


# --------------------------------------------------------------------------- bad files

def test_damaged_json_names_line_and_column(tmp_path):
    text = kit.scenarios.scenario_to_json(kit.Scenario())
    [message] = problems(write(tmp_path, text[: len(text) // 2]))
    assert message.startswith("the file is damaged: it is not valid JSON") and "line" in message


def test_newer_format_version_asks_to_update_the_kit(tmp_path):
    [message] = problems(write(tmp_path, valid_dict(format_version=3)))
    assert message == ("this file was saved by a newer version of the kit (scenario format 3); this kit reads "
                       "format 2 and older. Update the kit to open it")


def test_baseline_round_trips_and_version_1_files_open_on_the_job_description(tmp_path):
    onet = kit.Scenario.from_preset("scribes_trial", baseline="onet")
    assert kit.load_scenario(kit.save_scenario(onet, tmp_path / "o.json")) == onet
    old = valid_dict(format_version=1)
    for field in ("baseline", "reviewers", "max_time_saved", "pajama_pass_through"):
        del old[field]
    loaded = kit.load_scenario(write(tmp_path, old))
    assert loaded.baseline == "onet"  # saved before the measured baseline existed
    [message] = problems(write(tmp_path, valid_dict(format_version=1)))
    assert "'baseline' are not fields of a format-1 scenario file" in message
    missing = valid_dict()
    del missing["baseline"]
    [message] = problems(write(tmp_path, missing))
    assert message.startswith("baseline is missing")
    [message] = problems(write(tmp_path, valid_dict(baseline="O*NET")))
    assert message.startswith("baseline: 'O*NET' is not a baseline") and "'measured', 'onet'" in message


@pytest.mark.parametrize("version", [0, -1, "1", 1.5, None, True])
def test_a_version_that_is_not_a_version_number_is_damage(tmp_path, version):
    [message] = problems(write(tmp_path, valid_dict(format_version=version)))
    assert message.startswith("format_version:") and "damaged" in message


def test_not_a_scenario_file(tmp_path):
    [message] = problems(write(tmp_path, {"hello": 1}))
    assert "not a scenario file saved by the kit" in message
    [message] = problems(write(tmp_path, [1, 2]))
    assert "JSON list, not a scenario" in message


def test_out_of_range_values_are_all_listed(tmp_path):
    content = valid_dict(automation={"coding_billing": 1.5, "scheduling_acces": 0.2}, oversight_ratio=-0.1,
                         reinvestment={"presence": 0.5, "capacity": 0.6, "released": 0.0}, org="big_hospital")
    found = problems(write(tmp_path, content))
    assert len(found) == 5, found
    assert "automation['coding_billing']: 1.5 is out of range" in found[0]
    assert "did you mean 'scheduling_access'?" in found[1]
    assert found[2].startswith("oversight_ratio: -0.1 is out of range")
    assert "sum to 1.1; they must sum to 1" in found[3]
    assert found[4].startswith("org: 'big_hospital' is not an organization profile")


def test_nan_and_unknown_and_missing_fields(tmp_path):
    content = valid_dict(oversight_ratio=float("nan"), colour="red")
    del content["reinvestment"]
    found = problems(write(tmp_path, json.dumps(content)))  # json.dumps writes NaN
    assert any(p.startswith("'colour' is not a field") for p in found)
    assert any(p.startswith("reinvestment is missing") for p in found)
    assert any(p.startswith("oversight_ratio: nan is out of range") for p in found)


@pytest.mark.parametrize("field, value", [("oversight_ratio", 10**400), ("automation", {"coding_billing": -10**400}),
                                          ("reinvestment", {"presence": 10**400, "capacity": 0, "released": 0})])
def test_integers_too_large_for_a_float_are_out_of_range(tmp_path, field, value):
    [message] = problems(write(tmp_path, valid_dict(**{field: value})))
    assert "is out of range" in message and "inf" in message


def test_deeply_nested_json_is_damage_not_a_crash(tmp_path):
    [message] = problems(write(tmp_path, "[" * 100_000 + "]" * 100_000))
    assert message.startswith("the file is damaged: its JSON is nested thousands of levels deep")


def test_missing_empty_huge_and_binary_files(tmp_path):
    assert "there is no file" in problems(tmp_path / "nope.json")[0]
    assert "is a folder" in problems(tmp_path)[0]
    assert "the file is empty" in problems(write(tmp_path, "  \n"))[0]
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (scenarios.MAX_SCENARIO_BYTES + 1))
    assert "a scenario file is at most 1,000,000 bytes" in problems(big)[0]
    assert "not UTF-8 text" in problems(bytes(range(256)))[0]
    assert "not a file path" in problems(3.5)[0]


def test_custom_org_problems_are_prefixed_with_org(tmp_path):
    content = valid_dict(org={"name": "x", "roles": [{"role_id": "registered_nurses", "headcount": -3,
                                                      "weekly_hours": 40}]})
    [message] = problems(write(tmp_path, content))
    assert message.startswith("org: ") and "-3" in message


def test_a_failed_load_changes_nothing(tmp_path):
    current = kit.Scenario(automation={"coding_billing": 0.4}, org=custom_org())
    before = scenarios.scenario_to_json(current)
    path = write(tmp_path, valid_dict(oversight_ratio=7))
    on_disk = path.read_bytes()
    with pytest.raises(kit.DataError):
        kit.load_scenario(path)
    assert scenarios.scenario_to_json(current) == before
    assert path.read_bytes() == on_disk


# --------------------------------------------------------------------------- saving

def test_save_replaces_atomically_and_keeps_permissions(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("old")
    os.chmod(path, 0o600)
    kit.save_scenario(kit.Scenario(), path)
    assert kit.load_scenario(path) == kit.Scenario()
    assert (path.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]  # no temporary file left


def test_a_failed_save_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    kit.save_scenario(kit.Scenario(), path)
    old = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_files.os, "replace", broken_replace)
    with pytest.raises(kit.DataError) as info:
        kit.save_scenario(kit.Scenario.from_preset("scribes_trial"), path)
    assert "No space left on device; nothing was written" in info.value.problems[0]
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


def test_save_to_a_missing_folder_says_so(tmp_path):
    with pytest.raises(kit.DataError) as info:
        kit.save_scenario(kit.Scenario(), tmp_path / "no" / "s.json")
    assert "does not exist" in info.value.problems[0]


@pytest.mark.parametrize("name, problem", [("", "is empty"), ("<b>Clinic</b>", "HTML or script markup"),
                                           ("x" * 101, "at most 100"), ("tab\there", "control characters")])
def test_an_organization_the_kit_could_not_load_back_is_refused_when_made(tmp_path, name, problem):
    """One validator, whatever door: the name is checked when the organization is made, so it can
    never reach a chart, an export or a scenario file."""
    with pytest.raises(kit.DataError) as info:
        kit.save_scenario(kit.Scenario(org=custom_org(name=name)), tmp_path / "s.json")
    assert info.value.problems[0].startswith("org: name: ") and problem in info.value.problems[0]
    assert not (tmp_path / "s.json").exists()


def test_save_refuses_what_is_not_a_scenario(tmp_path):
    with pytest.raises(kit.DataError, match="is not a kit.Scenario"):
        kit.save_scenario({"automation": {}}, tmp_path / "s.json")


# --------------------------------------------------------------------------- format 1 -> 2 (issue 12)

SAVED = Path(__file__).with_name("scenario_files")


def test_a_format_1_file_saved_by_the_old_kit_still_loads_with_the_same_numbers():
    """tests/scenario_files/format1_*.json were written by the kit before issue 12 (format 1)."""
    loaded = kit.load_scenario(SAVED / "format1_cost_cutting_primary_care.json")
    assert json.loads((SAVED / "format1_cost_cutting_primary_care.json").read_text())["format_version"] == 1
    assert loaded == kit.Scenario(automation={"scheduling_access": 0.6, "records_administration": 0.6,
                                              "coding_billing": 0.6, "prior_authorization": 0.6,
                                              "clinical_documentation": 0.4}, oversight_ratio=0.2,
                                  reinvestment={"presence": 0.0, "capacity": 0.2, "released": 0.8},
                                  org="primary_care_group", baseline="onet")  # made on the job description
    assert loaded.reviewers is None and loaded.max_time_saved is None and loaded.pajama_pass_through is None
    custom = kit.load_scenario(SAVED / "format1_custom_org.json")
    assert custom.org.role_ids == ("family_medicine_physicians", "billing_clerks")
    assert kit.simulate(custom).org.automated > 0


def test_a_format_1_file_with_a_format_2_field_is_damaged(tmp_path):
    content = json.loads((SAVED / "format1_cost_cutting_primary_care.json").read_text())
    content["reviewers"] = {}
    [message] = problems(write(tmp_path, content))
    assert "'reviewers' is not a field of a format-1 scenario file" in message


def test_a_role_scoped_per_family_scenario_round_trips_exactly(tmp_path):
    scenario = kit.Scenario(automation={"clinical_documentation": {"prescribers": 0.6, "nurse_practitioners": 0.3},
                                        "coding_billing": 0.4},
                            oversight_ratio={"coding_billing": 0.5, "clinical_documentation": 0.1},
                            reviewers={"coding_billing": "medical_records_specialists"},
                            max_time_saved={"E1": 0.6, "E2": 0.5}, pajama_pass_through=0.25)
    loaded = kit.load_scenario(kit.save_scenario(scenario, tmp_path / "scoped.json"))
    assert loaded == scenario
    pd.testing.assert_frame_equal(kit.simulate(loaded).roles, kit.simulate(scenario).roles)


def test_bad_role_scoped_values_in_a_file_name_the_field(tmp_path):
    content = valid_dict(automation={"clinical_documentation": {"prescriber": 0.5}},
                         reviewers={"coding_billing": "robots"}, pajama_pass_through=3)
    found = problems(write(tmp_path, content))
    assert any("'prescriber' is not a role or role group" in p for p in found), found
    assert any("reviewers['coding_billing']: 'robots' is not a reviewer" in p for p in found), found
    assert any(p.startswith("pajama_pass_through: 3") for p in found), found
