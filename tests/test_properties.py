"""DESIGN.md section 4 invariants, checked with hypothesis on 1,000+ random valid scenarios each,
including custom organizations with their own task-family shares."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kit

FAMILIES = kit.automatable_families()
EXECUTION = kit.load_task_families().query("mode == 'execution'").family.tolist()
ROLES = kit.load_roles().role_id.tolist()
TOL = 1e-9

rates = st.floats(0, 1, allow_nan=False)
automations = st.dictionaries(st.sampled_from(FAMILIES), rates)


@st.composite
def reinvestments(draw):
    raw = np.array([draw(rates) for _ in range(3)])
    if raw.sum() == 0:
        raw[draw(st.integers(0, 2))] = 1.0
    share = raw / raw.sum()
    share[2] = 1.0 - share[0] - share[1]  # exact sum
    share = np.clip(share, 0, 1)
    return dict(zip(["presence", "capacity", "released"], share.tolist()))


SHARE_FAMILIES = [f for f in kit.model.structure().families if f != "ai_oversight"]


@st.composite
def custom_shares(draw):
    """A role's own task-family shares: a few families (often ones its O*NET tasks lack), summing to 1."""
    chosen = draw(st.lists(st.sampled_from(SHARE_FAMILIES), min_size=1, max_size=5, unique=True))
    weights = np.array([draw(st.floats(0, 1)) for _ in chosen])
    if weights.sum() == 0:
        weights[0] = 1.0
    return dict(zip(chosen, (weights / weights.sum()).tolist()))


@st.composite
def orgs(draw):
    """An organization profile id, or a custom table (a third of them with custom task-family shares)."""
    kind = draw(st.sampled_from(["profile", "table", "custom shares"]))
    if kind == "profile":
        return draw(st.sampled_from(kit.org_names()))
    chosen = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=8, unique=True))
    table = pd.DataFrame({
        "role_id": chosen,
        "headcount": [draw(st.integers(0, 5000)) for _ in chosen],
        "weekly_hours": [draw(st.floats(1, 80)) for _ in chosen],
    })
    if kind == "custom shares":
        rows = [draw(st.one_of(st.none(), custom_shares())) for _ in chosen]
        shares = pd.DataFrame([row or {} for row in rows], columns=SHARE_FAMILIES, dtype=float)
        table = pd.concat([table, shares], axis=1)
    return table


@st.composite
def scenarios(draw):
    return kit.Scenario(automation=draw(automations), oversight_ratio=draw(rates),
                        reinvestment=draw(reinvestments()), org=draw(orgs()))


def execution_hours(result):
    by_role = result.by_role[result.by_role["mode"] == "execution"]
    return by_role.hours_after.to_numpy(), result.org_by_mode.set_index("mode").hours_after["execution"]


@given(scenarios())
def test_hours_before_equal_hours_after_plus_released(s):
    r = kit.simulate(s)
    per_role = r.by_role.groupby("role_id", sort=False)[["hours_before", "hours_after"]].sum()
    roles = r.roles.set_index("role_id")
    np.testing.assert_allclose(per_role.hours_before, per_role.hours_after + roles.released.loc[per_role.index],
                               atol=1e-9)
    np.testing.assert_allclose(roles.hours_before, roles.hours_after + roles.released, atol=1e-9)
    assert r.org.hours_before == pytest.approx(r.org.hours_after + r.org.released, rel=1e-12, abs=1e-6)
    assert r.org_by_mode.hours_before.sum() == pytest.approx(r.org.hours_before, rel=1e-12)
    assert r.org_by_mode.hours_after.sum() == pytest.approx(r.org.hours_after, rel=1e-12, abs=1e-6)


@given(scenarios())
def test_shares_are_in_unit_interval_and_sum_to_one(s):
    r = kit.simulate(s)
    for table in (r.by_role, r.org_by_mode):
        for column in ("share_before", "share_after"):
            assert table[column].between(-TOL, 1 + TOL).all()
    sums = r.by_role.groupby("role_id")[["share_before", "share_after"]].sum()
    np.testing.assert_allclose(sums.share_before, 1, atol=1e-9)
    hours_left = r.roles.set_index("role_id").hours_after.loc[sums.index] > 0
    np.testing.assert_allclose(sums.share_after[hours_left], 1, atol=1e-9)
    if r.org.headcount > 0:
        assert r.org_by_mode.share_before.sum() == pytest.approx(1)


def assert_no_negative_hours(r):
    """No hour in any role, family or result column falls below zero."""
    numeric = ["hours_before", "hours_after", "automated", "oversight", "to_presence", "to_capacity"]
    assert (r.by_role[numeric] >= -TOL).all().all()
    assert (r.by_family[["hours_before", "hours_after", "automated"]] >= -TOL).all().all()
    role_cols = ["automated", "oversight", "freed", "released", "hours_after", "released_fte", "pajama_after"]
    assert (r.roles[role_cols] >= -TOL).all().all()


@given(scenarios())
def test_no_negative_hours(s):
    r = kit.simulate(s)
    assert_no_negative_hours(r)
    assert (r.roles.oversight <= r.roles.automated + TOL).all()
    assert (r.roles.released_fte <= r.roles.headcount * (1 + 1e-12) + TOL).all()
    assert (r.roles.pajama_after <= r.roles.pajama_before + TOL).all()


@given(scenarios(), st.sampled_from(EXECUTION), rates)
def test_automating_an_execution_family_more_never_increases_execution_hours(s, family, more):
    higher = min(1.0, s.automation_rate(family) + more)
    before_roles, before_org = execution_hours(kit.simulate(s))
    after_roles, after_org = execution_hours(kit.simulate(s.replace(automation={**s.automation, family: higher})))
    assert np.all(after_roles <= before_roles + 1e-9)
    assert after_org <= before_org * (1 + 1e-12) + 1e-9


@given(scenarios(), st.sampled_from(FAMILIES), rates)
def test_without_capacity_automating_any_family_never_increases_execution_hours(s, family, more):
    s = s.replace(reinvestment={"presence": s.reinvestment["presence"], "capacity": 0.0,
                                "released": 1.0 - s.reinvestment["presence"]})
    higher = min(1.0, s.automation_rate(family) + more)
    before_roles, before_org = execution_hours(kit.simulate(s))
    after_roles, after_org = execution_hours(kit.simulate(s.replace(automation={**s.automation, family: higher})))
    assert np.all(after_roles <= before_roles + 1e-9)
    assert after_org <= before_org * (1 + 1e-12) + 1e-9


@given(orgs(), rates, reinvestments())
def test_a_zero_scenario_changes_nothing(org, oversight, reinvestment):
    r = kit.simulate(kit.Scenario(automation={f: 0.0 for f in FAMILIES}, oversight_ratio=oversight,
                                  reinvestment=reinvestment, org=org))
    np.testing.assert_array_equal(r.by_role.hours_after, r.by_role.hours_before)
    np.testing.assert_array_equal(r.by_family.hours_after, r.by_family.hours_before)
    assert (r.roles[["automated", "oversight", "freed", "released", "released_fte"]] == 0).all().all()
    np.testing.assert_array_equal(r.roles.pajama_after, r.roles.pajama_before)


def test_the_strategy_really_draws_custom_shares():
    """Guard against the invariants silently skipping custom shares."""
    from hypothesis import find

    org = find(orgs(), lambda o: isinstance(o, pd.DataFrame) and "clinical_documentation" in o.columns
               and o.clinical_documentation.notna().any())
    assert kit.Organization.from_table(org).shares is not None


def test_the_throughput_trap_is_real_and_documented():
    """Automating judgement work with all freed time going to capacity adds execution hours:
    the extra patients bring paperwork. The model docstring explains why this is kept."""
    base = kit.Scenario(reinvestment={"presence": 0, "capacity": 1, "released": 0})
    more = base.replace(automation={"clinical_judgement": 1.0})
    before, _ = execution_hours(kit.simulate(base))
    after, _ = execution_hours(kit.simulate(more))
    assert (after > before + 1e-6).any()
    assert "throughput trap" in kit.model.__doc__


# --------------------------------------------------------------------------- issue 12: role-scoped, per family

GROUPS = [g for g in kit.adoption.role_groups() if g != "all"]
REVIEW_FAMILIES = list(kit.review.default_ratios())


@st.composite
def users(draw):
    """{role or group: rate}: at most one group (two groups may overlap), plus some roles."""
    chosen = {}
    if draw(st.booleans()):
        chosen[draw(st.sampled_from(GROUPS))] = draw(rates)
    for role in draw(st.lists(st.sampled_from(ROLES), max_size=4, unique=True)):
        chosen[role] = draw(rates)
    if not chosen:
        chosen[draw(st.sampled_from(ROLES))] = draw(rates)
    return chosen


scoped_automations = st.dictionaries(st.sampled_from(FAMILIES), st.one_of(rates, users()), max_size=5)
ratios = st.one_of(rates, st.dictionaries(st.sampled_from(REVIEW_FAMILIES), rates, max_size=5))
reviewer_maps = st.one_of(st.none(), st.dictionaries(
    st.sampled_from(REVIEW_FAMILIES), st.sampled_from(["self", "health_information_technologists",
                                                       "medical_records_specialists"]), max_size=5))


@st.composite
def scoped_scenarios(draw, automation=scoped_automations):
    return kit.Scenario(automation=draw(automation), oversight_ratio=draw(ratios),
                        reinvestment=draw(reinvestments()), org=draw(orgs()), reviewers=draw(reviewer_maps),
                        max_time_saved=draw(st.one_of(st.none(), rates)),
                        pajama_pass_through=draw(st.one_of(st.none(), rates)))


@given(scoped_scenarios())
def test_scoped_hours_are_conserved(s):
    r = kit.simulate(s)
    per_role = r.by_role.groupby("role_id", sort=False)[["hours_before", "hours_after"]].sum()
    roles = r.roles.set_index("role_id")
    np.testing.assert_allclose(per_role.hours_before, per_role.hours_after + roles.released.loc[per_role.index],
                               atol=1e-9)
    fam = r.by_family.groupby("role_id", sort=False)[["hours_before", "hours_after"]].sum()
    np.testing.assert_allclose(fam.hours_before, fam.hours_after + roles.released.loc[fam.index], atol=1e-9)
    assert r.org.hours_before == pytest.approx(r.org.hours_after + r.org.released, rel=1e-12, abs=1e-6)
    # every review hour is in a role's week (self) or in the central team, never both
    assert r.org.self_review_hours == pytest.approx(r.org.oversight, rel=1e-9, abs=1e-6)
    assert r.org.central_review_hours >= -TOL


@given(scoped_scenarios())
def test_scoped_no_negative_hours(s):
    r = kit.simulate(s)
    assert_no_negative_hours(r)
    assert (r.roles.pajama_after <= r.roles.pajama_before + TOL).all()
    assert (r.org[["self_review_cost", "central_team_cost", "central_team_fte"]] >= -TOL).all()


@given(orgs(), ratios, reinvestments(), reviewer_maps, st.one_of(st.none(), rates), st.one_of(st.none(), rates),
       st.dictionaries(st.sampled_from(FAMILIES), users(), max_size=4))
def test_a_scoped_zero_scenario_changes_nothing(org, ratio, reinvestment, reviewers, time_saved, through, scoped):
    zero = {f: {who: 0.0 for who in u} for f, u in scoped.items()}
    r = kit.simulate(kit.Scenario(automation=zero, oversight_ratio=ratio, reinvestment=reinvestment, org=org,
                                  reviewers=reviewers, max_time_saved=time_saved, pajama_pass_through=through))
    np.testing.assert_array_equal(r.by_family.hours_after, r.by_family.hours_before)
    assert (r.roles[["automated", "oversight", "freed", "released", "released_fte"]] == 0).all().all()
    np.testing.assert_array_equal(r.roles.pajama_after, r.roles.pajama_before)
    assert r.org.central_review_hours == 0


@given(scoped_scenarios(automation=st.dictionaries(st.sampled_from(FAMILIES), users(), min_size=1, max_size=4)))
def test_a_role_outside_every_tools_users_is_untouched(s):
    r = kit.simulate(s)
    users_all = set().union(*(s.users(f) for f in s.automation))
    outside = ~r.by_family.role_id.isin(users_all)
    np.testing.assert_array_equal(r.by_family.hours_after[outside], r.by_family.hours_before[outside])
    roles = r.roles[~r.roles.role_id.isin(users_all)]
    assert (roles[["automated", "oversight", "freed", "released"]] == 0).all().all()
    np.testing.assert_array_equal(roles.pajama_after, roles.pajama_before)


@given(scoped_scenarios(), st.sampled_from(FAMILIES), rates)
def test_scoped_without_capacity_more_automation_never_increases_execution_hours(s, family, more):
    s = s.replace(reinvestment={"presence": s.reinvestment["presence"], "capacity": 0.0,
                                "released": 1.0 - s.reinvestment["presence"]})
    value = s.automation.get(family, 0.0)
    if isinstance(value, dict) or hasattr(value, "items"):
        higher = {who: min(1.0, rate + more) for who, rate in value.items()}
    else:
        higher = min(1.0, value + more)
    before_roles, before_org = execution_hours(kit.simulate(s))
    after_roles, after_org = execution_hours(kit.simulate(s.replace(automation={**s.automation, family: higher})))
    assert np.all(after_roles <= before_roles + 1e-9)
    assert after_org <= before_org * (1 + 1e-12) + 1e-9
