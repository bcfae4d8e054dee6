"""kit.model: the Scenario contract and simulate() checked against hand computations."""
import numpy as np
import pandas as pd
import pytest

import kit
from kit import model, review

# Task weights are stored to 6 decimals and the model renormalizes them to sum exactly to 1, so
# hand computations from the tasks table agree to about 1e-5 relative.
REL = 1e-4


def family_hours(role_id, family, weekly=40.0):
    """Weekly hours and exposed hours of one role's family, straight from the tasks table."""
    tasks = kit.load_tasks()
    t = tasks[(tasks.role_id == role_id) & (tasks.family == family)]
    return weekly * t.weight.sum(), weekly * (t.weight * t.exposure).sum()


# --------------------------------------------------------------------------- Scenario

def test_defaults_are_the_documented_assumptions():
    s = kit.Scenario()
    assumptions = kit.load_assumptions().set_index("assumption_id").value
    assert s.oversight_ratio == float(assumptions["A04"])
    assert tuple(s.reinvestment.values()) == tuple(float(v) for v in assumptions["A05"].split("/"))
    assert dict(s.automation) == {} and s.org == "us_workforce"


def test_scenario_is_frozen_and_its_mappings_are_read_only():
    s = kit.Scenario(automation={"coding_billing": 0.5})
    with pytest.raises(AttributeError):
        s.oversight_ratio = 0.9
    with pytest.raises(TypeError):
        s.automation["coding_billing"] = 1.0


def test_scenario_copies_its_input():
    rates = {"coding_billing": 0.5}
    s = kit.Scenario(automation=rates)
    rates["coding_billing"] = 0.9
    assert s.automation_rate("coding_billing") == 0.5


@pytest.mark.parametrize("kwargs, words", [
    ({"automation": {"scheduling": 1.4}}, ["automation", "'scheduling'", "scheduling_access"]),
    ({"automation": {"scheduling_access": 1.4}}, ["automation['scheduling_access']", "1.4", "between 0 and 1"]),
    ({"automation": {"coding_billing": float("nan")}}, ["coding_billing", "nan", "between 0 and 1"]),
    ({"automation": {"coding_billing": "half"}}, ["coding_billing", "'half'", "not a number"]),
    ({"automation": {"ai_oversight": 0.5}}, ["ai_oversight", "oversight_ratio"]),
    ({"automation": [0.5]}, ["automation", "mapping"]),
    ({"oversight_ratio": -0.1}, ["oversight_ratio", "-0.1", "between 0 and 1"]),
    ({"oversight_ratio": True}, ["oversight_ratio", "True", "not a number"]),
    ({"reinvestment": {"presence": 0.5, "capacity": 0.5, "released": 0.2}}, ["reinvestment", "1.2", "sum to 1"]),
    ({"reinvestment": {"presence": 0.5, "capacity": 0.5}}, ["reinvestment", "'released'", "missing"]),
    ({"reinvestment": {"presence": 1, "capacity": 0, "release": 0}}, ["reinvestment", "'release'", "released"]),
    ({"reinvestment": {"presence": 1.5, "capacity": -0.5, "released": 0}}, ["presence", "1.5"]),
    ({"org": "us"}, ["org", "'us'", "us_workforce"]),
    ({"org": pd.DataFrame({"role_id": ["nurses"], "headcount": [3], "weekly_hours": [40]})}, ["org", "'nurses'"]),
    ({"org": pd.DataFrame({"role_id": ["registered_nurses"], "headcount": [-3], "weekly_hours": [40]})},
     ["org", "headcount", "-3", "0 or more"]),
    ({"org": pd.DataFrame({"role_id": ["registered_nurses"], "headcount": [3]})}, ["org", "'weekly_hours'"]),
])
def test_bad_scenarios_raise_value_errors_that_say_what_to_fix(kwargs, words):
    with pytest.raises(ValueError) as info:
        kit.Scenario(**kwargs)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_unknown_preset_suggests_the_closest():
    with pytest.raises(ValueError, match="did you mean 'scribes_pilot'"):
        kit.Scenario.from_preset("scribe_pilot")


def test_a_preset_name_where_a_scenario_belongs_says_how_to_build_it():
    with pytest.raises(ValueError, match=r"scenario: 'cost_cutting' is not a kit.Scenario; for the preset, "
                                         r"pass kit.Scenario.from_preset\('cost_cutting'\)"):
        kit.simulate("cost_cutting")
    with pytest.raises(ValueError, match="scenario: 3 is not a kit.Scenario; build one with kit.Scenario"):
        kit.simulate(3)


def test_every_preset_builds_with_the_values_of_presets_csv():
    presets = kit.load_presets()
    for name in kit.preset_names():
        s = kit.Scenario.from_preset(name)
        rows = presets[presets.preset_id == name]
        for row in rows.itertuples():
            kind, _, key = row.parameter.partition(".")
            family, _, users = key.partition(".")
            if kind == "automation":
                assert (s.automation[family][users] if users else s.automation[family]) == row.value
            elif kind == "reinvestment":
                assert s.reinvestment[key] == row.value
            elif kind == "reviewers":
                assert dict(s.reviewers) == dict(review.default_reviewers()), "review by family (A44)"
            elif kind == "oversight_ratio":
                assert s.oversight_ratio == row.value
            else:
                assert getattr(s, row.parameter) == row.value
        if "oversight_ratio" not in set(rows.parameter):
            assert dict(s.oversight_ratio) == dict(review.default_ratios()), "each family's ratio (A44)"


def test_equality_and_replace():
    a = kit.Scenario(automation={"coding_billing": 0.5})
    assert a == kit.Scenario(automation={"coding_billing": 0.5})
    b = a.replace(oversight_ratio=0.4)
    assert b != a and b.oversight_ratio == 0.4 and b.automation == a.automation
    with pytest.raises(ValueError):
        a.replace(oversight_ratio=2)


# --------------------------------------------------------------------------- simulate

def test_result_tables_have_the_public_columns():
    r = kit.simulate()
    assert {"role_id", "mode", "hours_before", "hours_after"} <= set(r.by_role.columns)
    assert len(r.by_role) == 3 * len(kit.load_roles())
    assert set(r.by_role["mode"]) == set(kit.MODES)
    assert {"released_fte", "pajama_before", "pajama_after"} <= set(r.roles.columns)
    for key in ["hours_before", "hours_after", "automated", "oversight", "freed", "released_fte",
                "oversight_team_fte", "pajama_before", "pajama_after"]:
        assert key in r.org.index


def test_by_role_hours_match_the_tasks_table():
    """The O*NET baseline's week is the task weights; the measured one is kit.baseline's shares."""
    r = kit.simulate(kit.Scenario(baseline="onet"))
    tasks = kit.load_tasks()
    expected = tasks.groupby(["role_id", "mode"]).weight.sum().mul(40).unstack(fill_value=0)
    got = r.by_role.pivot(index="role_id", columns="mode", values="hours_before").fillna(0)
    pd.testing.assert_frame_equal(got.loc[expected.index, expected.columns], expected,
                                  check_names=False, atol=1e-9)
    measured = kit.simulate(kit.Scenario(baseline="measured")).by_family
    shares = kit.baseline.family_shares("measured")
    got = measured.pivot(index="role_id", columns="family", values="hours_before")
    pd.testing.assert_frame_equal(got.loc[shares.index, shares.columns], 40 * shares, check_names=False, atol=1e-9)


def test_one_family_fully_released_by_hand():
    """Medical secretaries, scheduling automated fully, no review, all freed time released."""
    s = kit.Scenario(automation={"scheduling_access": 1.0}, oversight_ratio=0.0,
                     reinvestment={"presence": 0, "capacity": 0, "released": 1}, baseline="onet")
    hours, exposed = family_hours("medical_secretaries", "scheduling_access")
    role = kit.simulate(s).roles.set_index("role_id").loc["medical_secretaries"]
    assert role.automated == pytest.approx(exposed, rel=REL)
    assert role.released == pytest.approx(exposed, rel=REL)
    assert role.hours_after == pytest.approx(40 - exposed, rel=REL)
    employment = kit.load_roles().set_index("role_id").employment["medical_secretaries"]
    assert role.released_fte == pytest.approx(exposed / 40 * employment, rel=REL)


def test_oversight_and_presence_by_hand():
    """Billing clerks: coding automated at 50%, review 0.3 h per hour, all freed time to presence."""
    s = kit.Scenario(automation={"coding_billing": 0.5}, oversight_ratio=0.3,
                     reinvestment={"presence": 1, "capacity": 0, "released": 0}, baseline="onet")
    _, exposed = family_hours("billing_clerks", "coding_billing")
    automated = 0.5 * exposed
    rows = kit.simulate(s).role("billing_clerks")
    assert rows.automated.sum() == pytest.approx(automated, rel=REL)
    assert rows.oversight["curation"] == pytest.approx(0.3 * automated, rel=REL)
    assert rows.to_presence["presence"] == pytest.approx(0.7 * automated, rel=REL)
    assert rows.hours_after.sum() == pytest.approx(40)


def test_capacity_scales_the_remaining_mix():
    """With all freed time to capacity, a role's after-mix equals its remaining-work mix."""
    s = kit.Scenario(automation={"clinical_documentation": 0.8}, oversight_ratio=0.25,
                     reinvestment={"presence": 0, "capacity": 1, "released": 0})
    fam = kit.simulate(s).by_family
    nurse = fam[fam.role_id == "registered_nurses"].set_index("family")
    remaining = nurse.hours_before - nurse.automated
    remaining["ai_oversight"] += kit.simulate(s).roles.set_index("role_id").oversight["registered_nurses"]
    np.testing.assert_allclose(nurse.hours_after, remaining / remaining.sum() * 40, atol=1e-9)


def test_presence_goes_to_emotional_support_when_a_role_has_no_presence_work():
    s = kit.Scenario(automation={"coding_billing": 1.0}, oversight_ratio=0.0,
                     reinvestment={"presence": 1, "capacity": 0, "released": 0})
    fam = kit.simulate(s).by_family.set_index(["role_id", "family"])
    assert fam.hours_before["medical_records_specialists", "emotional_support"] == 0
    assert fam.hours_after["medical_records_specialists", "emotional_support"] > 0


def test_pajama_time_follows_net_documentation_cut():
    """A42: a quarter of the net documentation cut comes off after-hours time, and those hours are
    not also freed in the day (no hour counted twice)."""
    s = kit.Scenario.from_preset("scribes_trial")
    r = kit.simulate(s)
    fm = r.roles.set_index("role_id").loc["family_medicine_physicians"]
    doc = r.by_family.set_index(["role_id", "family"]).loc[("family_medicine_physicians", "clinical_documentation")]
    net_doc = doc.automated * (1 - s.oversight_ratio["clinical_documentation"])
    assert s.pajama_pass_through == 0.25 and s.reviewers["clinical_documentation"] == "self"
    assert fm.pajama_before == pytest.approx(86 * 5 / 60, abs=1e-4)  # stored to 4 decimals
    assert fm.pajama_after == pytest.approx(fm.pajama_before - 0.25 * net_doc, rel=1e-9)
    legacy = kit.simulate(s.replace(pajama_pass_through=None)).roles.set_index("role_id")
    assert fm.freed == pytest.approx(legacy.freed["family_medicine_physicians"] - 0.25 * net_doc, rel=1e-9)


def test_preset_tools_act_only_on_the_roles_that_use_them():
    """The referee's finding: pathologists gained hours from 'ambient scribes'. Now they do not."""
    groups = kit.data.load_role_groups().groupby("group_id").role_id.apply(set)
    for name, family, group in (("scribes_pilot", "clinical_documentation", "prescribers"),
                                ("scribes_trial", "clinical_documentation", "prescribers"),
                                ("imaging_ai", "diagnostic_interpretation", "imaging")):
        scenario = kit.Scenario.from_preset(name)
        assert set(scenario.users(family)) == groups[group]
        automated = kit.simulate(scenario).roles.set_index("role_id").automated
        assert automated[~automated.index.isin(groups[group])].abs().max() == 0, name
        assert automated[automated.index.isin(groups[group])].gt(0).all(), name
    pathologists = kit.simulate(kit.Scenario.from_preset("scribes_pilot")).role("pathologists")
    assert pathologists.hours_change.abs().max() == 0


def test_oversight_team_is_pooled_oversight_hours_at_the_bls_wage():
    """The original reading pools all review in a central team at the health-information median."""
    r = kit.simulate(kit.Scenario.from_preset("admin_automation").replace(**{**model.ORIGINAL_READING,
                                                                         "oversight_ratio": 0.5}))
    assert r.org.oversight_team_fte == pytest.approx(r.org.oversight / 40)
    wage = kit.load_roles().set_index("role_id").median_wage["health_information_technologists"]
    assert r.org.oversight_team_cost == pytest.approx(r.org.oversight_team_fte * wage)
    assert r.org.oversight_team_fte > 0

def test_cost_cutting_releases_and_empathy_first_adds_presence():
    cut = kit.simulate(kit.Scenario.from_preset("cost_cutting"))
    care = kit.simulate(kit.Scenario.from_preset("empathy_first"))
    assert cut.org.released_fte > 0 and care.org.released_fte == 0
    def presence(r):
        return r.org_by_mode.set_index("mode").hours_after["presence"]
    assert presence(care) > presence(cut)


def test_custom_organization_table():
    org = pd.DataFrame({"role_id": ["registered_nurses", "medical_secretaries"], "headcount": [10, 4],
                        "weekly_hours": [36, 40]})
    r = kit.simulate(kit.Scenario(automation={"scheduling_access": 0.5}, org=org))
    assert list(r.roles.role_id) == ["registered_nurses", "medical_secretaries"]
    assert r.org.headcount == 14 and r.org.hours_before == 10 * 36 + 4 * 40
    assert r.role("registered_nurses").hours_before.sum() == pytest.approx(36)


def test_illustrative_orgs_simulate():
    for org in kit.org_names():
        r = kit.simulate(kit.Scenario(automation={"clinical_documentation": 0.5}, org=org))
        assert r.org.headcount == kit.model.org_table(org).headcount.sum()
        onet = kit.simulate(kit.Scenario(org=org, baseline="onet"))
        assert onet.org.headcount == kit.load_org_profiles().query("org_id == @org").headcount.sum()


def test_role_lookup_suggests_on_typos():
    with pytest.raises(ValueError, match="did you mean 'registered_nurses'"):
        kit.simulate().role("registered_nurse")


def test_batched_arithmetic_equals_simulate():
    """shift_hours over a batch of scenarios (used by the sensitivity chart) equals simulate()."""
    rng = np.random.default_rng(7)
    st = model.structure()
    org = model._org_setup("us_workforce")
    k = 5
    automation = rng.random((k, len(st.families)))
    automation[:, st.index("ai_oversight")] = 0
    rho = rng.random(k)
    reinvest = rng.dirichlet([1, 1, 1], size=k)
    out = model.shift_hours(np.broadcast_to(org.hours, (k,) + org.hours.shape), org.exposure, automation, rho,
                            reinvest, st)
    for i in range(k):
        s = kit.Scenario(automation={f: automation[i, j] for j, f in enumerate(st.families) if f != "ai_oversight"},
                         oversight_ratio=rho[i], reinvestment=dict(zip(model.REINVESTMENT_KEYS, reinvest[i])))
        r = kit.simulate(s)
        np.testing.assert_allclose(out["released"][i], r.roles.released, atol=1e-12)
        np.testing.assert_allclose(out["after"][i].ravel(), r.by_family.hours_after, atol=1e-12)
