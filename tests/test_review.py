"""Review by family and by reviewer (kit.review): per-family ratios, self-review in the role's
week at its own wage, central teams outside it at the team's wage and the listing price."""
import numpy as np
import pytest

import kit
from kit import review

DOC = "clinical_documentation"


def test_the_table_covers_every_automatable_family_and_names_real_team_roles():
    table = review.review_table()
    assert set(table.family) == set(kit.automatable_families())
    roles = set(kit.load_roles().role_id)
    central = table[table.reviewer == "central"]
    assert central.team_role.isin(roles).all()
    assert table[table.reviewer == "self"].team_role.isna().all()
    assert set(table.source) <= set(kit.load_assumptions().assumption_id)
    ratios = review.default_ratios()
    assert ratios["coding_billing"] == 0.5 and ratios["diagnostic_interpretation"] == 0.5 and ratios[DOC] == 0.2


def test_a_per_family_ratio_reviews_each_family_at_its_own_ratio():
    s = kit.Scenario(automation={DOC: 0.5, "coding_billing": 0.5},
                     oversight_ratio={DOC: 0.1, "coding_billing": 0.6})
    r = kit.simulate(s)
    fam = r.by_family.set_index(["role_id", "family"]).automated
    roles = r.roles.set_index("role_id")
    want = 0.1 * fam.xs(DOC, level="family") + 0.6 * fam.xs("coding_billing", level="family")
    np.testing.assert_allclose(roles.oversight, want.loc[roles.index], rtol=1e-12)


def test_families_left_out_of_a_ratio_mapping_take_the_tables_ratio():
    s = kit.Scenario(automation={"coding_billing": 0.5}, oversight_ratio={DOC: 0.1})
    r = kit.simulate(s).roles.set_index("role_id")
    assert r.oversight["billing_clerks"] == pytest.approx(0.5 * r.automated["billing_clerks"])


def test_central_review_leaves_the_roles_week_and_is_costed_at_the_team_wage():
    s = kit.Scenario(automation={"scheduling_access": 0.6, DOC: {"prescribers": 0.5}}, reviewers={})
    r = kit.simulate(s)
    roles = r.roles.set_index("role_id")
    fam = r.by_family.set_index(["role_id", "family"]).automated
    # receptionists' scheduling work is reviewed centrally: none of it sits in their week
    assert roles.oversight["receptionists"] == pytest.approx(0.0, abs=1e-12)
    assert roles.freed["receptionists"] == pytest.approx(roles.automated["receptionists"])
    # physicians review their own notes in their own week
    fm = fam["family_medicine_physicians", DOC]
    assert roles.oversight["family_medicine_physicians"] == pytest.approx(0.2 * fm)
    central = float(r.roles.headcount.to_numpy() @ (0.2 * fam.xs("scheduling_access", level="family")
                                                     .loc[r.roles.role_id]).to_numpy())
    assert r.org.central_review_hours == pytest.approx(central, rel=1e-9)
    assert r.org.central_team_fte == pytest.approx(central / 40)
    assert r.org.oversight_team_fte == r.org.central_team_fte  # the team is the central review only
    wage = kit.load_roles().set_index("role_id").median_wage["health_information_technologists"]
    assert r.org.central_team_cost == pytest.approx(central / 40 * wage)
    assert r.org.central_team_cost_listing == pytest.approx(central / 40 * 130000)
    self_hours = float(r.roles.headcount @ r.roles.oversight)
    assert r.org.self_review_hours == pytest.approx(self_hours)


def test_self_review_is_costed_at_each_roles_own_wage():
    s = kit.Scenario(automation={DOC: {"family_medicine_physicians": 0.5}}, reviewers={})
    r = kit.simulate(s)
    fm = r.roles.set_index("role_id").loc["family_medicine_physicians"]
    wage = kit.load_roles().set_index("role_id").median_wage["family_medicine_physicians"]
    assert wage / 2080 == pytest.approx(114.6, abs=0.1)  # about $115 an hour, not the HIT median's $32
    assert r.org.self_review_cost == pytest.approx(fm.headcount * fm.oversight * 52 * wage / 2080, rel=1e-9)


def test_a_named_reviewer_role_prices_the_team():
    s = kit.Scenario(automation={"coding_billing": 0.5},
                     reviewers={"coding_billing": "medical_records_specialists"})
    r = kit.simulate(s)
    wage = kit.load_roles().set_index("role_id").median_wage["medical_records_specialists"]
    assert r.org.central_team_cost == pytest.approx(r.org.central_team_fte * wage)
    assert r.org.self_review_hours == pytest.approx(0.0, abs=1e-9)


def test_withheld_medians_fall_back_to_the_mean_wage():
    roles = kit.load_roles().set_index("role_id")
    withheld = roles.index[roles.median_wage_withheld]
    assert len(withheld)
    for role in withheld:
        assert review.wages()[role] == roles.mean_wage[role]


@pytest.mark.parametrize("kwargs, words", [
    ({"reviewers": {"coding_billing": "robots"}}, ["reviewers['coding_billing']", "'robots'", "'self'"]),
    ({"reviewers": {"codng_billing": "self"}}, ["reviewers", "'codng_billing'", "did you mean 'coding_billing'"]),
    ({"reviewers": "self"}, ["reviewers", "not a mapping"]),
    ({"oversight_ratio": {DOC: 1.5}}, ["oversight_ratio['clinical_documentation']", "between 0 and 1"]),
    ({"oversight_ratio": {"ai_oversight": 0.2}}, ["oversight_ratio", "'ai_oversight'"]),
])
def test_bad_review_input_is_a_value_error_naming_the_field(kwargs, words):
    with pytest.raises(ValueError) as error:
        kit.Scenario(**kwargs)
    for word in words:
        assert word in str(error.value), str(error.value)


def test_compare_sets_pooled_and_by_family_review_side_by_side():
    admin = kit.Scenario.from_preset("admin_automation")
    pooled, split = kit.simulate(admin.replace(reviewers=None)), kit.simulate(admin)
    table = review.compare({"pooled": pooled, "by family": split})
    assert list(table.columns) == ["pooled", "by family"]
    assert table.loc["Oversight team (FTE)", "pooled"] == f"{pooled.org.oversight_team_fte:,.0f}"
    # the pooled team counts hours inside the roles' weeks; by family, only the central review
    assert split.org.oversight_team_fte < pooled.org.oversight_team_fte
    with pytest.raises(ValueError, match="results"):
        review.compare({})
