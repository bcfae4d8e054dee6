"""Role-scoped adoption (kit.adoption): a tool acts on the roles that use it, named role groups,
bad input gets a ValueError naming the field, and the exposure-to-time construct (A41)."""
import numpy as np
import pandas as pd
import pytest

import kit
from kit import adoption

DOC = "clinical_documentation"
PRESCRIBERS = ["family_medicine_physicians", "internal_medicine_physicians", "nurse_practitioners",
               "physician_assistants", "orthopedic_surgeons"]


def freed(result):
    return result.roles.set_index("role_id").freed


def test_role_groups_name_real_roles_and_all_is_every_role():
    groups = adoption.role_groups()
    roles = set(kit.load_roles().role_id)
    assert set(groups["all"]) == roles
    for name, members in groups.items():
        assert members and set(members) <= roles, name
    assert set(groups["prescribers"]) == set(PRESCRIBERS)
    assert set(groups["imaging"]) == {"radiologists", "pathologists"}
    assert set(groups["coding"]) == {"medical_records_specialists", "billing_clerks"}


def test_a_scribe_for_prescribers_frees_hours_only_for_prescribers():
    r = kit.simulate(kit.Scenario(automation={DOC: {"prescribers": 0.6}}))
    f = freed(r)
    assert (f[PRESCRIBERS] > 0).all()
    others = f.drop(PRESCRIBERS)
    assert (others == 0).all(), others[others != 0]


def test_a_role_named_directly_wins_over_its_group():
    r = kit.simulate(kit.Scenario(automation={DOC: {"prescribers": 0.6, "nurse_practitioners": 0.0}}))
    f = freed(r)
    assert f["nurse_practitioners"] == 0 and f["family_medicine_physicians"] > 0


def test_one_rate_for_all_roles_equals_the_scalar_rate():
    scalar = kit.simulate(kit.Scenario(automation={DOC: 0.4, "coding_billing": 0.3}))
    scoped = kit.simulate(kit.Scenario(automation={DOC: {"all": 0.4}, "coding_billing": 0.3}))
    np.testing.assert_allclose(scoped.by_family.hours_after, scalar.by_family.hours_after, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(scoped.roles.pajama_after, scalar.roles.pajama_after, rtol=1e-12)


def test_the_original_reading_gives_the_original_numbers_exactly():
    """ORIGINAL_READING (one ratio, pooled review, exposure as time, pajama one for one) runs the
    original arithmetic: a documentation cut comes off pajama time in the same proportion."""
    s = kit.Scenario.from_preset("scribes_pilot").replace(**kit.model.ORIGINAL_READING)
    r = kit.simulate(s)
    fm = r.roles.set_index("role_id").loc["family_medicine_physicians"]
    doc_hours = r.by_family.query("role_id == 'family_medicine_physicians' and family == @DOC").hours_before.iloc[0]
    net = fm.automated * (1 - s.oversight_ratio)
    assert fm.pajama_after == pytest.approx(fm.pajama_before * (1 - net / doc_hours), rel=1e-12)


def test_users_and_their_description():
    s = kit.Scenario(automation={DOC: {"prescribers": 0.5}, "coding_billing": 0.2})
    assert set(s.users(DOC)) == set(PRESCRIBERS)
    assert len(s.users("coding_billing")) == len(kit.load_roles())
    assert s.users("scheduling_access") == []
    assert "Physicians and advanced practice" in adoption.describe_users(s.automation, DOC)
    assert s.automation_rate(DOC) == 0.5


@pytest.mark.parametrize("automation, words", [
    ({DOC: {"prescriber": 0.5}}, ["automation['clinical_documentation']", "'prescriber'", "prescribers"]),
    ({DOC: {"prescribers": 1.5}}, ["automation['clinical_documentation']['prescribers']", "between 0 and 1"]),
    ({DOC: {"prescribers": "high"}}, ["not a number"]),
    ({DOC: {}}, ["empty"]),
    ({DOC: {"admin": 0.5, "coding": 0.2}}, ["'medical_records_specialists'", "both", "own rate"]),
])
def test_bad_users_get_a_value_error_naming_the_field(automation, words):
    with pytest.raises(ValueError) as error:
        kit.Scenario(automation=automation)
    for word in words:
        assert word in str(error.value), str(error.value)


def test_scoped_scenarios_are_hashable_and_equal_by_value():
    a = kit.Scenario(automation={DOC: {"prescribers": 0.5}})
    b = kit.Scenario(automation={DOC: {"prescribers": 0.5}})
    assert a == b and hash(a) == hash(b)
    assert a != kit.Scenario(automation={DOC: {"prescribers": 0.4}})
    assert "prescribers" in repr(a)


# --------------------------------------------------------------------------- A41

def test_time_construct_saves_at_most_half_of_an_exposed_tasks_time():
    """With max_time_saved=0.5, full adoption of documentation with no review saves half the
    time of the role's exposed documentation tasks (every family-physician task there is E2)."""
    s = kit.Scenario(automation={DOC: 1.0}, oversight_ratio=0.0, max_time_saved=0.5)
    r = kit.simulate(s)
    fam = r.by_family.query("role_id == 'family_medicine_physicians' and family == @DOC").iloc[0]
    tasks = kit.load_tasks().query("role_id == 'family_medicine_physicians' and family == @DOC")
    exposed = tasks[tasks.exposure_label != "E0"].weight.sum() / tasks.weight.sum()
    assert fam.automated == pytest.approx(0.5 * exposed * fam.hours_before, rel=1e-9)


def test_time_construct_of_one_for_e1_and_half_for_e2_is_the_beta_convention():
    beta = kit.simulate(kit.Scenario(automation={DOC: 0.7, "diagnostic_interpretation": 0.4}))
    same = kit.simulate(kit.Scenario(automation={DOC: 0.7, "diagnostic_interpretation": 0.4},
                                     max_time_saved={"E1": 1.0, "E2": 0.5}))
    np.testing.assert_allclose(same.by_family.automated, beta.by_family.automated, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("value, words", [(1.2, ["max_time_saved", "between 0 and 1"]),
                                          ({"E1": 0.5}, ["max_time_saved", "'E2'"]),
                                          ({"E1": 0.5, "E2": -1}, ["max_time_saved['E2']"])])
def test_bad_time_construct_is_a_value_error(value, words):
    with pytest.raises(ValueError) as error:
        kit.Scenario(max_time_saved=value)
    for word in words:
        assert word in str(error.value)


# --------------------------------------------------------------------------- A42

def test_pajama_pass_through_moves_evening_work_into_the_day_and_counts_no_hour_twice():
    base = dict(automation={DOC: {"prescribers": 0.8}}, oversight_ratio=0.2, max_time_saved=0.5)
    none = kit.simulate(kit.Scenario(**base, pajama_pass_through=0.0))
    some = kit.simulate(kit.Scenario(**base, pajama_pass_through=0.25))
    a, b = none.roles.set_index("role_id"), some.roles.set_index("role_id")
    fm = "family_medicine_physicians"
    net = a.automated[fm] - a.oversight[fm]
    assert a.pajama_after[fm] == a.pajama_before[fm]  # logs' null: nothing comes off the evening
    cut = b.pajama_before[fm] - b.pajama_after[fm]
    assert cut == pytest.approx(0.25 * net, rel=1e-9)
    assert b.freed[fm] == pytest.approx(a.freed[fm] - cut, rel=1e-9)  # not freed twice
    def doc(r):
        rows = r.by_family[(r.by_family.role_id == fm) & (r.by_family.family == DOC)]
        return rows.hours_after.iloc[0]

    assert doc(some) > doc(none)  # the evening work now fits in the day
    assert b.hours_after[fm] == pytest.approx(b.hours_before[fm])  # still a full paid week


def test_bad_pass_through_is_a_value_error():
    with pytest.raises(ValueError, match="pajama_pass_through"):
        kit.Scenario(pajama_pass_through=2)


# --------------------------------------------------------------------------- in the slider lab and exports

SCOPED = kit.Scenario(automation={DOC: {"prescribers": 0.6}, "coding_billing": {"coding": 0.5}},
                      oversight_ratio={"coding_billing": 0.5}, reviewers={}, max_time_saved=0.5,
                      pajama_pass_through=0.25, org="primary_care_group")


def test_the_slider_lab_keeps_a_tools_users_and_options_when_a_slider_moves():
    lab = kit.explore(SCOPED)
    assert lab.scenario == SCOPED or set(lab.scenario.users(DOC)) == set(SCOPED.users(DOC))
    lab.controls.automation[DOC].value = 30
    moved = lab.scenario
    assert set(moved.users(DOC)) == set(SCOPED.users(DOC))
    assert moved.automation_rate(DOC) == pytest.approx(0.3)
    assert moved.reviewers == SCOPED.reviewers and moved.max_time_saved == 0.5
    assert moved.oversight_ratio == SCOPED.oversight_ratio  # the review slider was not touched
    assert "Used only by" in lab.summary.value and "Physicians and advanced practice" in lab.summary.value
    lab.controls.oversight.value = 40
    assert lab.scenario.oversight_ratio == pytest.approx(0.4)


def test_the_slider_labs_live_chart_data_follow_the_scoped_scenario():
    lab = kit.explore(SCOPED)
    frame = pd.DataFrame(lab.chart.chart.data.to_dict("records") if hasattr(lab.chart.chart.data, "to_dict")
                         else lab.chart.chart.to_dict()["datasets"][next(iter(lab.chart.chart.to_dict()["datasets"]))])
    assert {"u", "rr", "c", "p"} <= set(frame.columns)
    nurses = frame[(frame.role_id == "registered_nurses") & (frame.family == DOC)]
    assert (nurses.u == 0).all()


def test_a_scoped_scenario_exports_its_users_and_review_by_family(tmp_path):
    path = kit.save_summary_html(kit.simulate(SCOPED), tmp_path / "summary.html")
    page = path.read_text(encoding="utf-8")
    assert "used by Physicians and advanced practice" in page
    assert "other families as datasets/review_by_family.csv" in page
