"""kit.lessons: the chapter 04-06 helpers compute what the chapters claim, from the data and model."""
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kit
from kit import checks, lessons, questions

ADMIN = kit.Scenario.from_preset("admin_automation")


def test_family_hours_accounts_for_every_hour_of_the_role():
    result = kit.simulate(ADMIN.replace(reinvestment={"presence": 0.2, "capacity": 0.3, "released": 0.5}))
    week = lessons.family_hours(result, "medical_records_specialists")
    role = result.roles.set_index("role_id").loc["medical_records_specialists"]
    assert week.hours_before.sum() == pytest.approx(40, abs=0.05)
    assert week.hours_after.sum() == pytest.approx(40 - role.released, abs=0.05)
    assert week.set_index("family").automated.sum() == pytest.approx(role.automated, abs=0.05)
    # the coder's coding work shrinks and the new audit work (AI oversight) appears
    by_family = week.set_index("family")
    assert by_family.hours_after["coding_billing"] < by_family.hours_before["coding_billing"]
    assert by_family.hours_before["ai_oversight"] == 0 and by_family.hours_after["ai_oversight"] > 0


def test_family_hours_leaves_out_families_the_role_never_touches():
    week = lessons.family_hours(kit.simulate(), "medical_records_specialists")
    assert "direct_physical_care" not in set(week.family) and "ai_oversight" not in set(week.family)
    assert set(week.columns) >= {"family", "label", "mode", "hours_before", "automated", "hours_after"}


def test_family_hours_names_the_roles_when_the_role_is_unknown():
    with pytest.raises(ValueError, match="'coders' is not in this organization.*medical_records_specialists"):
        lessons.family_hours(kit.simulate(), "coders")


def test_audit_share_rises_when_coding_is_automated():
    before = lessons.audit_share(kit.simulate(), "medical_records_specialists")
    after = lessons.audit_share(kit.simulate(ADMIN), "medical_records_specialists")
    assert 0 < before < after < 1


def test_oversight_sweep_splits_automated_hours_into_review_and_freed():
    sweep = lessons.oversight_sweep(ADMIN)
    assert list(sweep.oversight_ratio) == pytest.approx([i / 10 for i in range(11)])
    after_hours = sweep.automated - sweep.oversight - sweep.freed  # the share that left pajama time (A42)
    assert (after_hours >= -1e-6).all() and (np.diff(after_hours) <= 1e-6).all() and after_hours.iloc[-1] < 1e-3
    assert sweep.automated.nunique() == 1                      # the ratio never changes what the AI does
    assert (np.diff(sweep.freed) < 0).all() and sweep.freed.iloc[-1] == pytest.approx(0, abs=1e-3)
    original = lessons.oversight_sweep(ADMIN.replace(**{**kit.model.ORIGINAL_READING, "oversight_ratio": 0.5}))
    assert np.allclose(original.oversight + original.freed, original.automated)
    assert np.allclose(original.oversight_team_fte, original.oversight / 40)   # A11: one pooled 40-hour team


def test_oversight_sweep_for_one_role_is_per_person():
    sweep = lessons.oversight_sweep(ADMIN, ratios=[0.5], role_id="billing_clerks")
    role = kit.simulate(ADMIN).roles.set_index("role_id").loc["billing_clerks"]
    assert sweep.freed.iloc[0] == pytest.approx(role.freed) and sweep.oversight.iloc[0] == pytest.approx(role.oversight)
    with pytest.raises(ValueError, match="'nobody'"):
        lessons.oversight_sweep(ADMIN, ratios=[0.5], role_id="nobody")


def test_breakeven_ratio_is_one_for_any_automation_and_zero_without_it():
    assert lessons.breakeven_ratio(ADMIN) == 1.0
    assert lessons.breakeven_ratio(kit.Scenario()) == 0.0


def test_oversight_chart_plots_the_sweep_and_describes_itself():
    sweep = lessons.oversight_sweep(ADMIN, role_id="medical_records_specialists")
    chart = lessons.oversight_chart(sweep, who="one medical records specialist")
    spec = chart.to_dict()
    assert "one medical records specialist" in spec["description"]
    assert len(chart.data) == 2 * len(sweep)
    assert set(chart.data.what) == {"Review of AI output (curation)", "Freed for presence, capacity or release"}


def test_remote_roles_are_the_remote_capable_roles_by_wage():
    table = lessons.remote_roles()
    roles = kit.load_roles()
    assert set(table.role_id) == set(roles.role_id[roles.remote_capable])
    assert "health_information_technologists" in set(table.role_id) and "receptionists" not in set(table.role_id)
    assert list(table.median_wage) == sorted(table.median_wage, reverse=True)


def test_oversight_wages_cite_bls_and_keep_listings_apart_from_medians():
    result = kit.simulate(ADMIN)
    table = lessons.oversight_wages(result).set_index("who")
    hit = kit.load_roles().set_index("role_id").loc["health_information_technologists"]
    assert table.annual_wage[hit.title] == hit.median_wage
    assert table.annual_wage["The model's oversight team, per FTE"] == pytest.approx(hit.median_wage)  # A11
    listing = table[table.source.str.contains("not a median")]
    assert len(listing) == 1 and listing.annual_wage.iloc[0] == 130_000
    assert "The model's oversight team, per FTE" not in set(lessons.oversight_wages().who)


@pytest.mark.parametrize("accuracy, check, fix, ratio", [(1.0, 0.2, 1.0, 0.2), (0.0, 0.2, 1.0, 1.2),
                                                         (0.339, 0.2, 1.0, 0.861), (0.5, 0.0, 0.5, 0.25)])
def test_oversight_ratio_from_accuracy(accuracy, check, fix, ratio):
    assert lessons.oversight_ratio_from_accuracy(accuracy, check, fix) == pytest.approx(ratio)


@pytest.mark.parametrize("kwargs, field", [({"accuracy": 1.2}, "accuracy"), ({"accuracy": -0.1}, "accuracy"),
                                          ({"accuracy": "high"}, "accuracy"),
                                          ({"accuracy": 0.5, "fix_time": -1}, "fix_time"),
                                          ({"accuracy": 0.5, "check_time": float("nan")}, "check_time"),
                                          ({"accuracy": True}, "accuracy")])
def test_oversight_ratio_from_accuracy_refuses_bad_input_by_name(kwargs, field):
    with pytest.raises(ValueError, match=field):
        lessons.oversight_ratio_from_accuracy(**kwargs)


def test_coding_accuracy_whatif_uses_the_published_figures_and_the_model():
    table = lessons.coding_accuracy_whatif()
    assert list(table.accuracy) == list(lessons.PUBLISHED_CODING_ACCURACY.accuracy)
    assert np.allclose(table.oversight_ratio, (0.2 + (1 - table.accuracy) * 1.0).round(3))
    for row in table.itertuples():
        scenario = lessons.coding_scenario().replace(oversight_ratio=min(row.oversight_ratio, 1.0))
        freed = kit.simulate(scenario).roles.set_index("role_id").freed["medical_records_specialists"]
        assert row.role_hours_freed == pytest.approx(freed, abs=0.006)
    worst = table.loc[table.accuracy.idxmin()]
    assert worst.oversight_ratio > 1 and worst.role_hours_freed == 0
    assert worst.verdict == "costs more time than it saves"
    best = lessons.coding_accuracy_whatif(check_time=0.1, fix_time=0.2)
    assert (best.verdict == "saves time").all()


def test_reinvestment_ledger_accounts_for_freed_hours_and_values_them_at_bls_medians():
    result = kit.simulate(kit.Scenario.from_preset("cost_cutting", org="primary_care_group"))
    ledger = lessons.reinvestment_ledger(result).set_index("use")
    assert ledger.hours_per_week.sum() == pytest.approx(result.org["freed"], abs=0.2)
    assert ledger.fte["released"] == pytest.approx(result.org["released_fte"], abs=0.01)
    assert ledger.hours_per_week["presence"] == 0                      # cost-cutting buys no presence
    roles = result.roles.set_index("role_id")
    wages = kit.load_roles().set_index("role_id").median_wage
    expected = sum(roles.released[r] * roles.headcount[r] * wages[r] / 2080 * 52 for r in roles.index)
    assert ledger.wage_value_per_year["released"] == pytest.approx(expected, abs=1)


def test_reinvestment_ledger_counts_but_does_not_value_hours_of_roles_with_withheld_wages():
    result = kit.simulate(kit.Scenario.from_preset("imaging_ai"))   # radiologists' and pathologists' wages are withheld
    ledger = lessons.reinvestment_ledger(result).set_index("use")
    assert ledger.hours_not_valued["presence"] > 0
    assert math.isfinite(ledger.wage_value_per_year["presence"])


def test_organization_table_shows_what_the_kit_read():
    org = kit.read_organization(kit.data.datasets_dir() / "example_organization.csv")
    table = lessons.organization_table(org).set_index("role_id")
    assert table.headcount.sum() == 46 and table.paid_hours_per_week.sum() == pytest.approx(
        sum(h * w for h, w in zip(org.headcount, org.weekly_hours)))
    assert table.task_mix["medical_assistants"] == "own shares"
    assert table.task_mix["registered_nurses"] == "kit baseline"
    plain = kit.Organization.from_table(
        pd.DataFrame({"role_id": ["receptionists"], "headcount": [2], "weekly_hours": [30]}))
    assert lessons.organization_table(plain).task_mix.tolist() == ["kit baseline"]


def test_answer_key_has_every_question_and_its_answers_pass_the_checks():
    key = lessons.answer_key()
    assert list(key.question) == list(checks.QUESTIONS)
    assert set(lessons.answer_key("05").question) == {q for q in checks.QUESTIONS if q.startswith("ch05.")}
    for q in checks.QUESTIONS.values():
        assert kit.check(q.id, q.answer()).correct


# ---- the chapter 04-06 self-checks mean what the chapters say

def test_chapter_checks_reject_the_number_a_learner_sees_before_changing_the_setting():
    # the stored cell shows medical records specialists; the question asks about billing clerks
    shown = lessons.family_hours(kit.simulate(ADMIN), "medical_records_specialists").set_index("family")
    assert not kit.check("ch04.billing_oversight_hours", shown.hours_after["ai_oversight"]).correct
    # the stored cell shows the primary-care group; the question asks about the hospital
    small = lessons.reinvestment_ledger(
        kit.simulate(kit.Scenario.from_preset("cost_cutting", org="primary_care_group")))
    assert not kit.check("ch05.hospital_released_fte", small.set_index("use").fte["released"]).correct
    # the stored cell shows the pilot; the question asks about the trial
    pilot = kit.simulate(kit.Scenario.from_preset("scribes_pilot")).roles.set_index("role_id")
    cut = pilot.pajama_before["family_medicine_physicians"] - pilot.pajama_after["family_medicine_physicians"]
    assert not kit.check("ch05.trial_pajama_cut", cut).correct


def test_chapter_choice_checks_accept_titles_and_refuse_the_other_roles():
    assert kit.check("ch04.admin_not_remote", "Receptionists and Information Clerks").correct
    assert not kit.check("ch04.admin_not_remote", "billing_clerks").correct
    most = questions._example_most_released()
    title = kit.load_roles().set_index("role_id").title[most]
    assert kit.check("ch06.example_most_released", title.lower()).correct
    assert kit.check("ch06.example_most_released", most).correct
    assert not kit.check("ch06.most_hours_per_person", "medical_assistants").correct


def test_pilot_trial_ratio_is_about_the_ratio_of_the_calibrated_rates():
    presets = kit.load_presets().set_index(["preset_id", "parameter"]).value
    rates = (presets["scribes_pilot", "automation.clinical_documentation.prescribers"]
             / presets["scribes_trial", "automation.clinical_documentation.prescribers"])
    assert kit.check("ch05.pilot_trial_ratio", rates).correct      # only documentation is automated in both
    small = lessons.reinvestment_ledger(
        kit.simulate(kit.Scenario.from_preset("empathy_first", org="primary_care_group")))
    assert not kit.check("ch05.unpaid_presence_value", small.set_index("use").wage_value_per_year["presence"]).correct


def test_half_fix_ratio_is_the_formula_on_soroush_icd10():
    assert kit.check("ch04.half_fix_ratio", 0.2 + (1 - 0.339) * 0.5).correct
    assert not kit.check("ch04.half_fix_ratio", 0.861).correct


def test_example_organization_questions_read_the_example_file():
    org = kit.read_organization(kit.data.datasets_dir() / "example_organization.csv")
    result = kit.simulate(kit.Scenario.from_preset("cost_cutting", org=org))
    assert kit.check("ch06.example_released_fte", result.org["released_fte"]).correct
    assert isinstance(org, kit.Organization) and pd.Series(org.headcount).sum() == 46   # assumption A09


def test_compare_puts_scenarios_side_by_side():
    table = lessons.compare({"cost": kit.Scenario.from_preset("cost_cutting"),
                             "empathy": kit.Scenario.from_preset("empathy_first")})
    assert list(table.index) == ["cost", "empathy"]
    assert table.automated["cost"] == table.automated["empathy"]            # assumption A15
    assert table.released["empathy"] == 0 and table.to_presence["cost"] == 0  # assumption A16


def test_check_organization_lists_every_problem_without_raising():
    bad = pd.DataFrame({"role": ["Registerd Nurse", "Medical Assistants"], "headcount": [10, -3],
                        "weekly_hours": [36, 40]})
    feedback = lessons.check_organization(bad)
    assert feedback.status == "invalid"
    assert "did you mean 'Registered Nurses'" in feedback.message and "must be 0 or more" in feedback.message
    assert "<script>" not in lessons.check_organization(pd.DataFrame({"role": ["<script>"], "headcount": [1],
                                                                      "weekly_hours": [40]}))._repr_html_()


def test_check_organization_summarises_a_good_table():
    good = pd.DataFrame({"role": ["Registered Nurses", "receptionists"], "headcount": [10, 3],
                         "weekly_hours": [36, 30]})
    feedback = lessons.check_organization(good)
    assert feedback.correct and "2 roles, 13 people, 450 paid hours a week" in feedback.message


def test_copy_template_never_overwrites_a_learners_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = lessons.copy_template()
    assert path == Path("my_outputs/my_organization.csv")
    assert path.read_bytes() == (kit.data.datasets_dir() / "my_organization_template.csv").read_bytes()
    path.write_text("role,headcount,weekly_hours\nRegistered Nurses,3,40\n")
    lessons.copy_template()
    assert "Registered Nurses,3,40" in path.read_text()


def test_role_summary_has_one_row_per_role_and_the_released_fte():
    result = kit.simulate(kit.Scenario.from_preset("cost_cutting", org="primary_care_group"))
    summary = lessons.role_summary(result)
    assert len(summary) == len(result.roles)
    assert summary.released_fte.sum() == pytest.approx(result.org["released_fte"], abs=0.05)


def test_answer_key_shows_where_to_look_and_the_code_that_computes_each_answer():
    key = lessons.answer_key("04").set_index("question")
    assert "community_hospital" in key.loc["ch04.hospital_team_fte", "computed by"]
    assert "def " not in key.loc["ch04.hospital_team_fte", "computed by"]
    assert key.loc["ch04.hospital_team_fte", "where to look"] == checks.QUESTIONS["ch04.hospital_team_fte"].hint


def test_chapter_times_reads_each_chapters_time_line(tmp_path):
    import nbformat
    for name, first in [("01_a.ipynb", "# 01 · A\n\n**Time:** about 15 minutes (10 reading, 5 exercises)"),
                        ("02_b.ipynb", "# 02 · B\n\nno time line yet")]:
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_markdown_cell(first))
        nbformat.write(nb, tmp_path / name)
    (tmp_path / "facilitator_guide.ipynb").write_text("{}")
    table = lessons.chapter_times(tmp_path)
    assert list(table.file) == ["01_a.ipynb", "02_b.ipynb"]
    assert table.iloc[0][["chapter", "minutes", "reading", "exercises"]].tolist() == ["01 · A", 15, 10, 5]
    assert pd.isna(table.minutes.iloc[1])


def test_chapter_times_of_the_kits_own_chapters_add_up():
    table = lessons.chapter_times().dropna()
    assert len(table) >= 1
    assert (table.reading + table.exercises == table.minutes).all()


@pytest.mark.parametrize("minutes", [60, 90])
def test_run_of_show_adds_up_and_names_real_chapters(minutes):
    plan = lessons.run_of_show(minutes)
    assert plan.minutes.sum() == minutes
    assert plan.time.iloc[0].startswith("0:00-") and plan.time.iloc[-1].endswith(f"{minutes // 60}:{minutes % 60:02d}")
    chapters = {p.name for p in (kit.data.datasets_dir().parent / "notebooks").glob("*.ipynb")}
    wanted = set(plan.chapter) - {""}
    mine = {c for c in wanted if c[:2] in ("04", "05", "06")}
    assert mine <= chapters          # chapters 00-03 come from the other curriculum branch
    assert all(c[:2].isdigit() and c.endswith(".ipynb") for c in wanted)


def test_run_of_show_refuses_other_lengths():
    with pytest.raises(ValueError, match="60 and 90"):
        lessons.run_of_show(45)
