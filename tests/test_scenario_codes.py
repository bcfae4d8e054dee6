"""Scenario codes: exact round trips over random scenarios, short codes for everything the lab can
make, and a clear kit.DataError (never a crash) for damaged, foreign, newer or hostile codes."""
import base64
import random
import re
import struct
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit import scenario_codes as sc

FAMILIES = kit.automatable_families()
ROLES = kit.load_roles().role_id.tolist()
SHARE_FAMILIES = [f for f in kit.model.structure().families if f != "ai_oversight"]
MAX_LENGTH = 120  # the limit for any scenario without a custom organization

rates = st.floats(0, 1, allow_nan=False)
percents = st.integers(0, 100).map(lambda p: p / 100)  # what the lab's sliders make


@st.composite
def reinvestments(draw, values=rates):
    raw = np.array([draw(values) for _ in range(3)])
    if raw.sum() == 0:
        raw[draw(st.integers(0, 2))] = 1.0
    share = raw / raw.sum()
    share[2] = 1.0 - share[0] - share[1]
    return dict(zip(["presence", "capacity", "released"], np.clip(share, 0, 1).tolist()))


@st.composite
def slider_reinvestments(draw):
    presence = draw(st.integers(0, 100))
    capacity = draw(st.integers(0, 100 - presence))
    return {"presence": presence / 100, "capacity": capacity / 100, "released": (100 - presence - capacity) / 100}


@st.composite
def custom_orgs(draw):
    chosen = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=6, unique=True))
    table = pd.DataFrame({"role_id": chosen, "headcount": [draw(st.integers(0, 5000)) for _ in chosen],
                          "weekly_hours": [draw(st.floats(1, 80)) for _ in chosen]})
    if draw(st.booleans()):
        family = draw(st.sampled_from(SHARE_FAMILIES))
        table[family] = 1.0
    return kit.Organization.from_table(table, name=draw(st.sampled_from(["Clinic", "Ward 7"])))


GROUPS = list(kit.adoption.role_groups())
users = st.one_of(st.dictionaries(st.sampled_from(ROLES), rates, min_size=1, max_size=4),  # a tool some roles use
                  st.dictionaries(st.sampled_from(GROUPS), rates, min_size=1, max_size=1))
reviewers = st.dictionaries(st.sampled_from(FAMILIES), st.sampled_from(["self", *ROLES]), max_size=4)
time_saved = st.one_of(st.none(), rates, st.fixed_dictionaries({"E1": rates, "E2": rates}))


@st.composite
def scenarios(draw):
    """Any valid scenario: arbitrary floats, explicit zeros, rates per role or group and per-family
    review, the optional fields of kit.review and kit.adoption, every profile or a custom organization."""
    org = draw(st.one_of(st.sampled_from(kit.org_names()), custom_orgs()))
    return kit.Scenario(automation=draw(st.dictionaries(st.sampled_from(FAMILIES), st.one_of(rates, users))),
                        oversight_ratio=draw(st.one_of(rates, st.dictionaries(st.sampled_from(FAMILIES), rates))),
                        reinvestment=draw(reinvestments()), org=org,
                        reviewers=draw(st.one_of(st.none(), reviewers)), max_time_saved=draw(time_saved),
                        pajama_pass_through=draw(st.one_of(st.none(), rates)),
                        baseline=draw(st.sampled_from(kit.baseline.BASELINES)))


@st.composite
def lab_scenarios(draw):
    """What the slider lab can make: whole percents, any profile."""
    return kit.Scenario(automation=draw(st.dictionaries(st.sampled_from(FAMILIES), percents)),
                        oversight_ratio=draw(percents), reinvestment=draw(slider_reinvestments()),
                        org=draw(st.sampled_from(kit.org_names())))


def _bits(value):
    """Every float of a setting, bit for bit (so -0.0 and 0.0, say, differ), in a sorted order."""
    if isinstance(value, Mapping):
        return [(k, _bits(value[k])) for k in sorted(value)]
    return struct.pack(">d", value) if isinstance(value, float) else value


def _same(a: kit.Scenario, b: kit.Scenario) -> bool:
    fields = ("automation", "oversight_ratio", "reinvestment", "reviewers", "max_time_saved", "pajama_pass_through")
    return a == b and all(_bits(getattr(a, f)) == _bits(getattr(b, f)) for f in fields)


# --------------------------------------------------------------------------- round trips

@given(scenarios())
def test_code_scenario_code_round_trip_is_exact(scenario):
    code = kit.share_code(scenario)
    org = scenario.org if isinstance(scenario.org, kit.Organization) else None
    back = kit.Scenario.from_code(code, organization=org)
    assert _same(back, scenario)
    assert kit.share_code(back) == code
    assert re.fullmatch(rf"ep{sc.CODE_VERSION}\.[A-Za-z0-9_-]+", code)


@settings(max_examples=300)
@given(lab_scenarios())
def test_every_lab_scenario_fits_in_120_characters(scenario):
    code = kit.share_code(scenario)
    assert len(code) <= MAX_LENGTH, code
    assert kit.Scenario.from_code(code) == scenario


def test_the_longest_grid_scenario_fits_in_120_characters():
    """Every family set to a 4-decimal rate (presets use such rates), a preset and the longest profile id."""
    scenario = kit.Scenario(automation={f: 0.9999 for f in FAMILIES}, oversight_ratio=0.2375,
                            reinvestment={"presence": 0.3333, "capacity": 0.3333, "released": 0.3334},
                            org=max(kit.org_names(), key=len))
    code = kit.share_code(scenario, preset="admin_automation")
    assert len(code) <= MAX_LENGTH
    assert sc.open_code(code).scenario == scenario


@pytest.mark.parametrize("preset", kit.preset_names())
def test_presets_round_trip_and_name_their_preset(preset):
    scenario = kit.Scenario.from_preset(preset, org="community_hospital")
    shared = sc.open_code(kit.share_code(scenario))
    assert shared.scenario == scenario
    assert shared.preset == preset or sc.matching_preset(scenario) == shared.preset
    assert shared.notes == ()


def test_a_scenario_of_no_preset_names_none():
    shared = sc.open_code(kit.share_code(kit.Scenario(automation={"coding_billing": 0.33})))
    assert shared.preset is None


def test_explicit_zero_rates_are_kept():
    """Scenario(automation={'x': 0}) is not equal to Scenario(): the code keeps the difference."""
    scenario = kit.Scenario(automation={"coding_billing": 0.0})
    back = kit.Scenario.from_code(kit.share_code(scenario))
    assert back == scenario and back != kit.Scenario()


def test_codes_are_url_safe_and_survive_wrapping_quotes_and_links():
    code = kit.share_code(kit.Scenario.from_preset("empathy_first"))
    assert code == "".join(c for c in code if c.isalnum() or c in "-_.")
    scenario = kit.Scenario.from_preset("empathy_first")
    wrapped = "  '" + code[:20] + "\n  " + code[20:] + "'  "
    assert kit.Scenario.from_code(wrapped) == scenario
    assert kit.Scenario.from_code("https://example.org/kit/#" + code) == scenario
    assert kit.Scenario.from_code(code.encode("ascii")) == scenario
    assert kit.Scenario.from_code(f"EP{sc.CODE_VERSION}." + code[4:]) == scenario


# --------------------------------------------------------------------------- custom organizations

def _clinic(name="Maple Street Clinic", nurses=12):
    table = pd.DataFrame({"role_id": ["registered_nurses", "receptionists"], "headcount": [nurses, 3],
                          "weekly_hours": [36, 40]})
    return kit.Organization.from_table(table, name=name)


def test_a_custom_organization_needs_its_file_and_the_message_says_so():
    org = _clinic()
    code = kit.share_code(kit.Scenario(automation={"scheduling_access": 0.5}, org=org))
    assert len(code) <= MAX_LENGTH
    with pytest.raises(kit.DataError) as error:
        kit.Scenario.from_code(code)
    message = str(error.value)
    assert sc.organization_fingerprint(org) in message
    assert "organization=kit.read_organization(" in message


def test_a_custom_organization_opens_with_its_file_even_renamed(tmp_path):
    org = _clinic()
    scenario = kit.Scenario(automation={"scheduling_access": 0.5}, org=org)
    code = kit.share_code(scenario)
    path = tmp_path / "renamed_copy.csv"
    org.table().to_csv(path, index=False)
    back = kit.Scenario.from_code(code, organization=path)
    assert back.org.role_ids == org.role_ids and back.org.headcount == org.headcount
    assert sc.organization_fingerprint(back.org) == sc.organization_fingerprint(org)
    assert kit.Scenario.from_code(code, organization=org) == scenario


def test_a_changed_organization_file_is_refused():
    code = kit.share_code(kit.Scenario(org=_clinic()))
    with pytest.raises(kit.DataError, match="not the one the code was made with"):
        kit.Scenario.from_code(code, organization=_clinic(nurses=13))


def test_an_unreadable_organization_is_reported_as_such():
    code = kit.share_code(kit.Scenario(org=_clinic()))
    with pytest.raises(kit.DataError, match="organization: "):
        kit.Scenario.from_code(code, organization=pd.DataFrame({"role_id": ["nobody"]}))


def test_fingerprints_ignore_the_name_but_not_the_numbers():
    assert sc.organization_fingerprint(_clinic("A")) == sc.organization_fingerprint(_clinic("B"))
    assert sc.organization_fingerprint(_clinic(nurses=12)) != sc.organization_fingerprint(_clinic(nurses=12.5))


def test_a_profile_code_given_an_organization_says_it_was_not_used():
    shared = sc.open_code(kit.share_code(kit.Scenario()), organization=_clinic())
    assert shared.scenario.org == "us_workforce"
    assert any("was not used" in note for note in shared.notes)


# --------------------------------------------------------------------------- older codes, other kits

def _forge(payload: bytes, version: int = sc.CODE_VERSION) -> str:
    """A code with a valid check, as another (older or newer) kit would write it."""
    raw = payload + sc._check(version, payload)
    return f"ep{version}." + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _payload(code: str) -> bytes:
    body = code.split(".", 1)[1]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))[:-sc.CHECK_BYTES]


def test_the_forge_helper_matches_share_code():
    code = kit.share_code(kit.Scenario.from_preset("cost_cutting"))
    assert _forge(_payload(code)) == code


def test_a_family_the_kit_no_longer_has_is_named_with_the_families_it_has():
    name = b"inbox_triage"
    payload = bytes([0, 1, sc.SPELT, len(name)]) + name + struct.pack(">HHHH", 5000, 2000, 5000, 5000)
    payload += struct.pack(">H", 0) + bytes([0])  # released 0; organization: us_workforce
    with pytest.raises(kit.DataError) as error:
        kit.Scenario.from_code(_forge(payload))
    assert "'inbox_triage' to 50%" in str(error.value) and "clinical_documentation" in str(error.value)


def test_a_preset_that_changed_since_opens_the_old_settings_with_a_note():
    old = kit.Scenario.from_preset("scribes_pilot").replace(automation={"clinical_documentation": 0.9})
    code = kit.share_code(old, preset="scribes_pilot")
    shared = sc.open_code(code)
    assert shared.scenario == old and shared.preset == "scribes_pilot"
    assert any("has changed since" in note for note in shared.notes)
    with pytest.warns(sc.CodeNote, match="scribes_pilot"):
        assert kit.Scenario.from_code(code) == old


def test_a_preset_the_kit_no_longer_has_is_a_note_not_an_error():
    scenario = kit.Scenario()
    payload = _payload(kit.share_code(scenario, preset="today"))[:-1] + bytes([sc.SPELT, 3]) + b"old"
    shared = sc.open_code(_forge(payload))
    assert shared.scenario == scenario and shared.preset is None
    assert "'old'" in shared.notes[0]


def test_a_setting_of_a_newer_scenario_is_reported():
    payload = bytearray(_payload(kit.share_code(kit.Scenario())))
    payload[0] |= 4
    payload += bytes([1, sc.SPELT, 5]) + b"tempo" + bytes([4, sc.SPELT, 4]) + b"fast"
    with pytest.raises(kit.DataError, match="tempo = 'fast'"):
        kit.Scenario.from_code(_forge(bytes(payload)))


def test_a_newer_code_version_asks_for_a_newer_kit():
    newer = sc.CODE_VERSION + 1
    with pytest.raises(kit.DataError, match=f"newer version of the kit .code version {newer}.*Update the kit"):
        kit.Scenario.from_code(_forge(b"\x00\x00", version=newer))


def test_a_version_1_code_still_opens_as_it_was_made():
    """Version 2 only added short markers for review by family (A44); a version-1 code has none."""
    scenario = kit.Scenario(automation={"coding_billing": 0.5}, oversight_ratio=0.3)
    old = _forge(_payload(kit.share_code(scenario)), version=1)
    assert old.startswith("ep1.") and kit.Scenario.from_code(old) == scenario
    today = kit.Scenario.from_preset("today")
    assert len(kit.share_code(today)) < 60 and kit.Scenario.from_code(kit.share_code(today)) == today


def test_the_name_tables_hold_every_name_the_data_has():
    """A family, profile or preset added to the data must be added at the end of its table (not
    required for codes to work: unknown names are spelt out; but codes stay short)."""
    assert set(FAMILIES) <= set(sc.FAMILY_TABLE)
    assert all(set(kit.automatable_families(b)) <= set(sc.FAMILY_TABLE) for b in kit.baseline.BASELINES)
    assert set(kit.org_names()) <= set(sc.ORG_TABLE)
    assert set(kit.preset_names()) <= set(sc.PRESET_TABLE)


# --------------------------------------------------------------------------- hostile codes

GOOD = None


def good_code():
    global GOOD
    GOOD = GOOD or kit.share_code(kit.Scenario.from_preset("admin_automation", org="community_hospital"))
    return GOOD


def _refused(code, match):
    with pytest.raises(kit.DataError) as error:
        sc.open_code(code)
    assert error.value.source == "scenario code"
    assert re.search(match, str(error.value)), str(error.value)
    return str(error.value)


@pytest.mark.parametrize("code, match", [
    (None, "NoneType is not a code; give the code as text"),
    (42, "int is not a code"),
    ("", "empty"),
    ("   \n ", "empty"),
    ("x" * 100_000, "100,000 characters long"),
    ("ep1." + "A" * 3_000, "3,004 characters long"),
    ("ep1.Ab€cd", r"character 7 \('€'\)"),
    ("ep1.Ab\x00cd", "character 7 .U\\+0000"),
    ("ep1.Abcd\u200b", "U\\+200B"),
    ("hello world", "not a scenario code from the kit"),
    ("ep.AAAA", "not a scenario code from the kit"),
    ("ep1AAAA", "not a scenario code from the kit"),
    ("ep1.AA.AA", "not a scenario code from the kit"),
    ("ep0.AAAA", "version 0 does not exist"),
    ("ep9999.AAAA", "newer version of the kit"),
    ("ep1.", "cut short"),
    ("ep1.A", "length is impossible"),
    ("ep1.AAAAAAAA", "check characters do not match"),
    ('{"format": "empathy-premium-scenario"}', "scenario file .JSON.*kit.load_scenario"),
    (b"\xff\xfe", "not a code: a code is plain text"),
])
def test_hostile_codes_get_a_clear_message(code, match):
    _refused(code, match)


def test_a_truncated_code_is_damaged_at_every_length():
    code = good_code()
    for cut in range(5, len(code)):
        _refused(code[:cut], "damaged")


def test_every_single_character_change_is_caught():
    code = good_code()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    rng = random.Random(16)
    for i in range(4, len(code)):
        for char in rng.sample([c for c in alphabet if c != code[i]], 8):
            _refused(code[:i] + char + code[i + 1:], "damaged")


def test_two_swapped_characters_are_caught():
    code = good_code()
    for i in range(4, len(code) - 1):
        if code[i] != code[i + 1]:
            _refused(code[:i] + code[i + 1] + code[i] + code[i + 2:], "damaged")


@settings(max_examples=500)
@given(st.binary(max_size=300))
def test_random_bytes_with_a_valid_check_never_crash(payload):
    """Forged or corrupted codes whose check passes: refused with a DataError, or a valid scenario."""
    try:
        shared = sc.open_code(_forge(payload))
    except kit.DataError as error:
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)
    else:
        assert isinstance(shared.scenario, kit.Scenario)


@settings(max_examples=500)
@given(st.text(max_size=200))
def test_random_text_never_crashes(text):
    try:
        sc.open_code(text)
    except kit.DataError as error:
        assert error.problems


def test_out_of_range_values_in_a_forged_code_say_what_is_wrong():
    payload = bytes([0, 0]) + struct.pack(">Hd", sc.RAW, 7.5) + struct.pack(">HHH", 5000, 5000, 0) + bytes([0])
    _refused(_forge(payload), "oversight_ratio: 7.5 is out of range")
    payload = bytes([0, 0]) + struct.pack(">H", 12000)
    _refused(_forge(payload), "more than 100%")


def test_a_name_outside_the_tables_is_damaged_not_an_index_error():
    payload = bytes([0, 1, 200]) + struct.pack(">HHHHH", 1, 1, 5000, 5000, 0) + bytes([0])
    _refused(_forge(payload), "task family number 200")


def test_share_code_refuses_what_is_not_a_scenario_and_unknown_presets():
    with pytest.raises(kit.DataError, match="str is not a kit.Scenario"):
        kit.share_code("empathy_first")
    with pytest.raises(kit.DataError, match="'nope' is not a preset"):
        kit.share_code(kit.Scenario(), preset="nope")


def test_from_code_raises_only_data_errors_and_no_warnings_for_clean_codes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kit.Scenario.from_code(good_code())


def test_codes_are_told_apart_from_preset_names():
    code = kit.share_code(kit.Scenario.from_preset("imaging_ai"))
    assert sc.looks_like_code(code) and sc.looks_like_code(" 'https://x.org/site/#" + code + "'")
    assert not any(sc.looks_like_code(name) for name in kit.preset_names())
    assert not sc.looks_like_code(None) and sc.looks_like_code("ep1.broken")


def test_the_code_box_shows_the_code_and_has_a_copy_button():
    from kit.code_box import ScenarioCode
    code = kit.share_code(kit.Scenario.from_preset("cost_cutting"))
    box = ScenarioCode(code=code)
    assert repr(box) == f"Scenario code: {code}"
    assert "navigator.clipboard.writeText" in box._esm and 'change:code' in box._esm
    box.code = kit.share_code(kit.Scenario())
    assert box.code.startswith(f"ep{sc.CODE_VERSION}.")


def test_a_renamed_family_opens_under_its_new_name_with_a_note(monkeypatch):
    name = b"clinical_notes"
    payload = bytes([0, 1, sc.SPELT, len(name)]) + name + struct.pack(">HHHHH", 5000, 2000, 5000, 5000, 0)
    payload += bytes([0])
    monkeypatch.setattr(sc, "RENAMED_FAMILIES", {"clinical_notes": "clinical_documentation"})
    shared = sc.open_code(_forge(payload))
    assert shared.scenario == kit.Scenario(automation={"clinical_documentation": 0.5})
    assert "is called 'clinical_documentation'" in shared.notes[0]


def test_rates_per_role_and_per_family_review_round_trip_and_stay_short():
    scenario = kit.Scenario(automation={"clinical_documentation": {"prescribers": 0.8, "registered_nurses": 0.4},
                                        "coding_billing": 0.6},
                            oversight_ratio={"clinical_documentation": 0.3, "coding_billing": 0.5},
                            reviewers={"coding_billing": "medical_records_specialists"}, max_time_saved=0.5,
                            pajama_pass_through=0.25, org="primary_care_group")
    code = kit.share_code(scenario)
    assert len(code) <= MAX_LENGTH and _same(kit.Scenario.from_code(code), scenario)


# --------------------------------------------------------------------------- the slider lab

def test_the_lab_shows_the_code_of_what_is_on_screen():
    lab = kit.explore()
    assert lab.code in lab.children and lab.code.code == kit.share_code(kit.Scenario.from_preset("today"))
    lab.sliders["clinical_documentation"].value = 55
    assert lab.code.code == kit.share_code(lab.scenario)
    assert kit.Scenario.from_code(lab.code.code).automation_rate("clinical_documentation") == 0.55


def test_explore_opens_a_code_and_reports_a_damaged_one_inside_the_lab():
    scenario = kit.Scenario.from_preset("cost_cutting", org="community_hospital")
    lab = kit.explore(kit.share_code(scenario))
    assert lab.scenario == scenario and lab.code.code == kit.share_code(scenario)
    broken = kit.explore(kit.share_code(scenario)[:-3] + "AAA")
    assert broken.scenario == kit.Scenario.from_preset("today") and "damaged" in broken.message.value
    assert kit.explore("empathy_first").scenario == kit.Scenario.from_preset("empathy_first")


def test_a_measured_baseline_scenario_with_its_own_family_round_trips():
    scenario = kit.Scenario(automation={"inbox_messages": 0.5, "clinical_documentation": 0.3}, baseline="measured")
    code = kit.share_code(scenario)
    assert len(code) <= MAX_LENGTH and _same(kit.Scenario.from_code(code), scenario)
    assert kit.Scenario.from_code(code).baseline == "measured"
