"""Presets deliver what they name (datasets/preset_targets.csv): each target within 10% for its
calibration role, or at the label cap where the labels stop it; and each tool acts on its users."""
import numpy as np
import pytest

import kit
from kit import adoption

TARGETS = adoption.preset_targets()
GROUPS = adoption.role_groups()


def test_target_rows_name_real_presets_roles_families_and_measures():
    assert set(TARGETS.preset_id) <= set(kit.preset_names())
    assert set(TARGETS.role_id) <= set(kit.load_roles().role_id)
    assert set(TARGETS.family) <= set(kit.automatable_families())
    targets = TARGETS[TARGETS.kind == "target"]
    assert set(targets.measure) <= set(adoption.MEASURES)
    assert {"scribes_pilot", "scribes_trial", "imaging_ai"} <= set(targets.preset_id)
    fitted = kit.load_presets().query("basis == 'fitted'").preset_id
    assert set(fitted) <= set(targets.preset_id)  # every fitted rate has its target


def test_each_preset_delivers_its_target_or_sits_at_the_label_cap():
    table = adoption.preset_delivery()
    print("\n" + table.round(4).to_string())
    assert table.ok.all(), table[~table.ok].to_string()
    capped = table[table.capped_by_label]
    assert (capped.cap < capped.target).all() and (capped.rate == 1).all()
    free = table[~table.capped_by_label]
    assert (abs(free.delivered / free.target - 1) <= adoption.TARGET_TOLERANCE).all()


def test_fitted_rates_are_the_target_over_the_cap():
    table = adoption.preset_delivery()
    np.testing.assert_allclose(table.rate, table.fitted_rate, atol=5e-4)


@pytest.mark.parametrize("preset, family, group", [
    ("scribes_pilot", "clinical_documentation", "prescribers"),
    ("scribes_trial", "clinical_documentation", "prescribers"),
    ("imaging_ai", "diagnostic_interpretation", "imaging"),
    ("cost_cutting", "coding_billing", "coding"),
])
def test_presets_say_who_uses_each_tool(preset, family, group):
    s = kit.Scenario.from_preset(preset)
    assert set(s.users(family)) == set(GROUPS[group])


@pytest.mark.parametrize("preset, group", [("scribes_pilot", "prescribers"), ("scribes_trial", "prescribers"),
                                           ("imaging_ai", "imaging")])
def test_a_single_tool_preset_frees_hours_only_for_its_users(preset, group):
    roles = kit.simulate(kit.Scenario.from_preset(preset)).roles.set_index("role_id")
    weighted = roles.freed * roles.headcount + (roles.pajama_before - roles.pajama_after) * roles.headcount
    assert weighted.sum() > 0
    assert weighted.drop(list(GROUPS[group])).abs().max() == 0


def test_presets_use_the_new_construct():
    for name in kit.preset_names():
        s = kit.Scenario.from_preset(name)
        assert s.max_time_saved == 0.5 and s.pajama_pass_through == 0.25 and s.reviewers is not None, name


def test_the_pilot_preset_stops_at_the_label_cap_short_of_the_hour_a_day():
    """The pilot preset is set as high as the documentation label allows (A41) and still falls short
    of the self-reported hour a day: 67 % of it on the measured week, 41 % on the job description's.
    The kit shows the gap instead of hiding it."""
    for baseline, share in (("measured", 0.668), ("onet", 0.405)):
        row = adoption.preset_delivery(baseline=baseline).set_index("preset_id").loc["scribes_pilot"]
        assert row.capped_by_label and row.delivered == pytest.approx(row.cap)
        assert row.rate == 1.0 and row.ratio == pytest.approx(share, abs=0.005)


def test_the_trial_preset_delivers_its_target():
    row = adoption.preset_delivery().set_index("preset_id").loc["scribes_trial"]
    assert row.delivered == pytest.approx(row.target, rel=adoption.TARGET_TOLERANCE)
