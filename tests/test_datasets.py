"""The curated tables: reproducible from raw, valid against datapackage.json, traceable to sources."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kit

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
RAW = DATASETS / "raw"
TABLES = ["roles", "tasks", "task_families", "presets", "org_profiles", "time_use_benchmarks", "measured_targets",
          "measured_headcounts", "assumptions"]


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory):
    """Run the build twice into empty folders."""
    outs = []
    for i in range(2):
        out = tmp_path_factory.mktemp(f"build{i}")
        done = subprocess.run([sys.executable, str(DATASETS / "build.py"), str(out)],
                              capture_output=True, text=True, check=True)
        outs.append((out, done.stdout))
    return outs


def test_build_is_byte_identical_when_run_twice(fresh_build):
    (first, _), (second, _) = fresh_build
    for name in TABLES:
        assert (first / f"{name}.csv").read_bytes() == (second / f"{name}.csv").read_bytes(), name


def test_committed_tables_equal_a_fresh_build(fresh_build):
    out, _ = fresh_build[0]
    files = [f"{n}.csv" for n in TABLES] + ["README.md"]
    stale = [n for n in files if (out / n).read_bytes() != (DATASETS / n).read_bytes()]
    assert not stale, f"run `make data` and commit: these tables differ from a fresh build: {stale}"


def test_build_reports_families_from_rules_and_overrides(fresh_build):
    _, stdout = fresh_build[0]
    match = re.search(r"families from rules: (\d+), from reviewed overrides: (\d+)", stdout)
    assert match, stdout
    rules, overrides = map(int, match.groups())
    tasks = kit.load_tasks()
    assert rules + overrides == len(tasks)
    assert overrides == (tasks.family_source == "override").sum()
    assert overrides == len(pd.read_csv(DATASETS / "curation/family_overrides.csv"))


def test_datapackage_is_valid_frictionless():
    from frictionless import validate

    report = validate(str(DATASETS / "datapackage.json"))
    errors = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors][:10]
    assert report.valid, "\n".join(errors)


def test_datapackage_declares_licences_sources_and_units():
    import json

    package = json.loads((DATASETS / "datapackage.json").read_text())
    assert "USDOL/ETA" in package["description"] and "CC BY 4.0" in package["description"]
    for resource in package["resources"]:
        assert resource["licenses"] and resource["sources"], resource["name"]
        for field in resource["schema"]["fields"]:
            assert field.get("description"), f"{resource['name']}.{field['name']} has no description"
            if field["type"] in ("number", "integer") and field["name"] not in ("task_id",):
                assert field.get("unit"), f"{resource['name']}.{field['name']} has no unit"


def test_raw_sources_are_shipped_with_their_notes():
    assert (RAW / "SOURCES.md").is_file() and (RAW / "README.md").is_file()
    for path in ["gpts_are_gpts/full_labelset_health.csv", "gpts_are_gpts/occ_level_health.csv",
                 "onet/onet_task_ratings_health.csv", "onet/onet_online_2020_wa_wc_selected_health.csv",
                 "bls_oews/oews_national_may2024_health.csv"]:
        assert (RAW / path).is_file(), path


# --------------------------------------------------------------------------- coverage

def test_roles_span_the_groups_the_kit_needs():
    roles = kit.load_roles()
    assert len(roles) >= 18
    needed = {"43-4171", "43-6013", "43-3021", "29-2072", "29-1141", "29-2061", "29-1171", "29-1071",
              "29-1215", "29-1216", "29-1242", "29-1224", "29-1222", "29-1123", "29-1122", "29-1126",
              "29-1051", "29-2011", "21-1018", "19-3033", "31-1121", "31-1131", "11-9111", "29-9021"}
    assert needed <= set(roles.soc_code)
    assert set(roles.group) == {"Administrative", "Clinical", "Therapy & allied", "Behavioral health",
                                "Aides & assistants", "Leadership", "Informatics"}


def test_public_column_names():
    assert {"role_id", "title", "onet_code", "soc_code", "group", "employment", "median_wage",
            "moat_score"} <= set(kit.load_roles().columns)
    assert {"role_id", "task_id", "statement", "family", "weight", "exposure", "mode"} <= set(kit.load_tasks().columns)


def test_every_task_has_a_family_and_mode_and_weights_sum_to_one():
    tasks = kit.load_tasks()
    families = kit.load_task_families().set_index("family")
    assert tasks.family.notna().all() and tasks["mode"].notna().all()
    assert (tasks["mode"] == tasks.family.map(families["mode"])).all()
    sums = tasks.groupby("role_id").weight.sum()
    assert np.allclose(sums, 1, atol=1e-4), sums[(sums - 1).abs() > 1e-4]
    assert set(families["mode"]) == {"execution", "curation", "presence"}


def test_presets_cover_the_named_scenarios():
    names = set(kit.preset_names())
    assert {"today", "scribes_pilot", "scribes_trial", "admin_automation", "cost_cutting", "empathy_first"} <= names
    presets = kit.load_presets()
    assert not presets[presets.preset_id == "today"].parameter.str.startswith("automation.").any()


def test_org_profiles_include_us_and_two_labelled_illustrative_orgs():
    orgs = kit.load_org_profiles()
    names = orgs.drop_duplicates("org_id").set_index("org_id")
    assert not names.illustrative["us_workforce"]
    illustrative = names[names.illustrative]
    assert len(illustrative) >= 2
    assert illustrative.org_name.str.contains("illustrative").all()


# --------------------------------------------------------------------------- provenance

@pytest.fixture(scope="module")
def raw():
    return {
        "labels": pd.read_csv(RAW / "gpts_are_gpts/full_labelset_health.csv"),
        "occ": pd.read_csv(RAW / "gpts_are_gpts/occ_level_health.csv"),
        "ratings": pd.read_csv(RAW / "onet/onet_task_ratings_health.csv"),
        "context": pd.read_csv(RAW / "onet/onet_online_2020_wa_wc_selected_health.csv"),
        "oews": pd.read_csv(RAW / "bls_oews/oews_national_may2024_health.csv", dtype=str).set_index("OCC_CODE"),
    }


def test_roles_employment_and_wages_trace_to_bls_rows(raw):
    for role in kit.load_roles().itertuples():
        row = raw["oews"].loc[role.bls_code]
        assert role.employment == int(row.TOT_EMP), role.role_id
        assert role.mean_wage == int(row.A_MEAN), role.role_id
        assert role.bls_title == row.OCC_TITLE
        if row.A_MEDIAN == "#":
            assert role.median_wage_withheld and pd.isna(role.median_wage), role.role_id
        else:
            assert not role.median_wage_withheld and role.median_wage == float(row.A_MEDIAN), role.role_id
        assert role.employment_is_combined == (role.bls_code != role.onet_code[:7])


def test_roles_moat_items_trace_to_onet_rows(raw):
    ctx = raw["context"]
    value = ctx["Importance (0-100)"].fillna(ctx["Context (0-100)"])
    items = {"assisting_caring": "4.A.4.a.5", "interpersonal_relationships": "4.A.4.a.4",
             "physical_proximity": "4.C.2.a.3", "handling_objects": "4.A.3.a.2", "using_hands": "4.C.2.d.1.g",
             "exposed_to_disease": "4.C.2.c.1.b", "email_use": "4.C.1.a.2.h"}
    for role in kit.load_roles().itertuples():
        codes = role.attribute_codes.split(";")
        for column, element in items.items():
            rows = value[(ctx["Element ID"] == element) & ctx["O*NET-SOC 2010 Code"].isin(codes)]
            assert len(rows) == len(codes), (role.role_id, column)
            assert getattr(role, column) == pytest.approx(rows.mean(), abs=0.05), (role.role_id, column)
        relational = np.mean([role.assisting_caring, role.interpersonal_relationships]) / 100
        physical = np.mean([role.physical_proximity, role.handling_objects, role.using_hands]) / 100
        assert role.moat_score == pytest.approx(max(relational, physical), abs=1e-4)


def test_every_task_of_every_role_is_a_raw_task_statement(raw):
    labels = raw["labels"].rename(columns={"O*NET-SOC Code": "onet_code", "Task ID": "task_id"})
    labels["task_id"] = labels.task_id.astype(int)
    tasks = kit.load_tasks()
    merged = tasks.merge(labels, on=["onet_code", "task_id"], how="left", validate="one_to_one")
    assert merged.Task.notna().all(), "tasks without a raw source row"
    assert (merged.statement == merged.Task).all()
    assert (merged.exposure_label == merged.human_exposure_agg).all()
    assert (merged.exposure_gpt4_label == merged.gpt4_exposure).all()
    value = {"E0": 0.0, "E1": 1.0, "E2": 0.5}
    assert (merged.exposure == merged.exposure_label.map(value)).all()
    assert (merged.exposure_gpt4 == merged.exposure_gpt4_label.map(value)).all()
    # completeness: every raw task of the roles' O*NET codes is in the kit
    raw_count = labels[labels.onet_code.isin(kit.load_roles().onet_code)].shape[0]
    assert raw_count == len(tasks)


def test_task_ratings_trace_to_onet_rows(raw):
    ratings = raw["ratings"].rename(columns={"O*NET-SOC Code": "onet_code", "Task ID": "task_id"})
    tasks = kit.load_tasks()
    rated = tasks[tasks.weight_method == "onet_ratings"].merge(ratings, on=["onet_code", "task_id"], how="left")
    assert rated.freq_mean.notna().all()
    assert np.allclose(rated.frequency_per_day, rated.freq_mean, atol=1e-4)
    assert np.allclose(rated.importance_x, rated.importance_y, atol=1e-2)
    raw_weight = rated.frequency_per_day * rated.relevance_x / 100 * rated.importance_x
    share = raw_weight / raw_weight.groupby(rated.role_id).transform("sum")
    fully_rated = rated.role_id.isin(tasks.groupby("role_id").weight_method.agg(lambda m: (m == "onet_ratings").all())
                                     .loc[lambda s: s].index)
    assert np.allclose(share[fully_rated], rated.weight[fully_rated], atol=1e-5)


def test_assumption_references_exist():
    ids = set(kit.load_assumptions().assumption_id)
    presets = kit.load_presets()
    assumed = presets[presets.basis == "assumption"].source.str.split(", ").explode()
    assert set(assumed) <= ids
    fitted = presets[presets.basis == "fitted"].source.str.findall(r"\bA\d\d\b").explode()
    assert set(fitted) <= ids, "a fitted preset's assumptions exist too"
    cited = presets[presets.basis != "assumption"]
    assert cited.source.str.len().gt(20).all()
    assert cited[cited.basis == "calibrated"].note.notna().all()
    orgs = kit.load_org_profiles()
    illustrative = orgs[orgs.illustrative]
    assert set(illustrative.basis) <= ids
    for role in kit.load_roles().itertuples():
        source = role.pajama_source
        assert source.startswith(("cited:", "not modelled")) or source.split(": ")[1] in ids, source


def test_org_profiles_trace_to_bls_or_assumptions():
    orgs, roles = kit.load_org_profiles(), kit.load_roles().set_index("role_id")
    us = orgs[orgs.org_id == "us_workforce"]
    assert (us.headcount.to_numpy() == roles.employment.loc[us.role_id].to_numpy()).all()
    assert orgs[orgs.org_id == "primary_care_group"].headcount.sum() == 46   # assumption A09
    hospital = orgs[orgs.org_id == "community_hospital"]
    assert hospital.headcount.sum() == 1000                                   # assumption A10
    share = roles.employment.loc[hospital.role_id] / roles.employment.loc[hospital.role_id].sum() * 1000
    assert np.all(np.abs(hospital.headcount.to_numpy() - share.to_numpy()) < 1)


def test_published_exposure_traces_to_occupation_file(raw):
    occ = raw["occ"].set_index("O*NET-SOC Code")
    roles = kit.load_roles()
    assert np.allclose(roles.published_exposure, roles.onet_code.map(occ.human_rating_beta), atol=1e-6)
    assert np.allclose(roles.published_exposure_gpt4, roles.onet_code.map(occ.dv_rating_beta), atol=1e-6)


def test_reproduces_eloundou_occupation_exposure_from_task_labels(raw):
    """Eloundou et al.'s occupation beta = task betas averaged with core tasks weighted twice.

    Tolerance: 1e-9 (float rounding only). The tasks table stores the weights rounded to six
    decimals, so the check recomputes them from task_type, exactly as the paper describes.
    """
    tasks = kit.load_tasks()
    w = np.where(tasks.task_type == "Core", 2.0, 1.0)
    human = (tasks.exposure * w).groupby(tasks.role_id).sum() / pd.Series(w).groupby(tasks.role_id).sum()
    gpt4 = (tasks.exposure_gpt4 * w).groupby(tasks.role_id).sum() / pd.Series(w).groupby(tasks.role_id).sum()
    occ = raw["occ"].set_index("O*NET-SOC Code")
    roles = kit.load_roles().set_index("role_id")
    published_h = roles.onet_code.map(occ.human_rating_beta)
    published_g = roles.onet_code.map(occ.dv_rating_beta)
    assert np.allclose(human.loc[roles.index], published_h, atol=1e-9, rtol=0)
    assert np.allclose(gpt4.loc[roles.index], published_g, atol=1e-9, rtol=0)
    # and the shipped alternative weights give the same result to their rounding (1e-5)
    alt = (tasks.weight_core_supplemental * tasks.exposure).groupby(tasks.role_id).sum()
    assert np.allclose(alt.loc[roles.index], published_h, atol=1e-5)


def test_time_use_benchmarks_load_and_every_row_names_its_source():
    bench = kit.data.load_time_use_benchmarks()
    required = {"Arndt et al., Tethered", "Arndt et al., More Tethered", "Sinsky", "Tai-Seale", "Toscano",
                "Rotenstein", "Hendrich", "Bakhoum", "Dhanoa", "American Medical Association"}
    assert all(bench.source.str.contains(name, regex=False).any() for name in required)
    assert bench.source.str.len().gt(20).all() and bench.url.str.startswith("http").all()
    assert set(bench.checked) <= {"primary", "primary (abstract)", "secondary"}
    assert set(bench.role_id) <= set(kit.load_roles().role_id)
    families = set(kit.load_task_families().family)
    for row in bench[bench.families.notna()].itertuples():
        assert set(row.families.split(";")) <= families, row.benchmark_id
    targets = bench[bench.use == "target"]
    assert targets.families.notna().all(), "a target must say which families it sets"
    # Figures read only in a write-up say so in their citation.
    secondary = bench[bench.checked == "secondary"]
    assert secondary.source.str.contains("reported by|summarized by|as reported", regex=True).all()


def test_time_use_shares_follow_from_the_published_figures():
    bench = kit.data.load_time_use_benchmarks().set_index("benchmark_id")
    assert bench.share["arndt2017_ehr_total"] == round(355 / 684, 4)        # 5.9 of 11.4 hours
    assert bench.share["arndt2017_inbox"] == round(85 / 684, 4)             # 12.4% of the day
    assert bench.share["sinsky2016_ehr_desk"] == 0.492
    assert bench.share["tai_seale2017_desktop"] == round(3.17 / (3.08 + 3.17), 4)
    assert bench.share["casalino2009_physician_plans"] == round(3 * 60 / 5 / 684, 4)
    assert np.isnan(bench.share["ama2020_pa_hours"])                       # practice-level hours, not a share


def test_build_reports_how_many_tasks_each_clean_weight_rule_weighed(fresh_build):
    _, stdout = fresh_build[0]
    match = re.search(r"clean weights \(A23\): (\{.*\})", stdout)
    assert match, stdout
    counts = ast.literal_eval(match.group(1))
    tasks = kit.load_tasks()
    assert counts == tasks.weight_clean_rule.value_counts().to_dict() | {
        r: 0 for r in set(counts) - set(tasks.weight_clean_rule)}
    assert sum(counts.values()) == len(tasks) and counts["not_in_onet_29_3"] >= 8


def test_measured_headcounts_trace_to_sector_62_rows():
    sector = pd.read_csv(RAW / "bls_oews_industry/oews_natsector62_may2024_health.csv", dtype=str).set_index("OCC_CODE")
    roles = kit.load_roles().set_index("role_id")
    heads = kit.data.load_measured_headcounts()
    us = heads[heads.org_id == "us_workforce"].set_index("role_id")
    assert set(us.index) == set(roles.index)
    for role, row in us.iterrows():
        published = int(sector.TOT_EMP[roles.bls_code[role]])
        if roles.bls_code[role] == "31-1120":
            assert row.headcount < published and "A24" in row.basis
        else:
            assert row.headcount == published, role


def test_measured_targets_trace_to_benchmark_rows():
    bench = kit.data.load_time_use_benchmarks().set_index("benchmark_id")
    targets = kit.data.load_measured_targets()
    for row in targets[targets.rule == "sum"].itertuples():
        ids = row.benchmark_ids.split(";")
        total = sum(-bench.share[b[1:]] if b.startswith("-") else bench.share[b] for b in ids)
        assert row.share == pytest.approx(total, abs=1e-4), row.role_id
        assert bench.use[ids[0].lstrip("-")] == "target"
