"""Build the kit's curated tables from the raw sources in datasets/raw/.

Run `python datasets/build.py` (or `make data`). Inputs: the raw files (copied verbatim from
../shared/data/raw, see raw/SOURCES.md) and the hand-curated choices in datasets/curation/
(role list, task-family rules and reviewed overrides, presets, assumptions). Outputs: the CSV
tables next to this file, described by datapackage.json. The build is deterministic: running it
twice gives byte-identical files, and tests/test_datasets.py checks the committed tables equal
a fresh build.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
CURATION = HERE / "curation"

# Human (and GPT-4) exposure labels -> numbers, the "beta" convention of Eloundou et al.
EXPOSURE_VALUE = {"E0": 0.0, "E1": 1.0, "E2": 0.5}
HOURS_PER_WEEKDAY_TO_WEEK = 5 / 60  # minutes per weekday -> hours per 5-day week

# O*NET element id -> column name in roles.csv (O*NET OnLine 0-100 scale).
RELATIONAL_ITEMS = {
    "4.A.4.a.5": "assisting_caring",
    "4.A.4.a.4": "interpersonal_relationships",
}
PHYSICAL_ITEMS = {
    "4.C.2.a.3": "physical_proximity",
    "4.A.3.a.2": "handling_objects",
    "4.C.2.d.1.g": "using_hands",
}
MOAT_ITEMS = {**RELATIONAL_ITEMS, **PHYSICAL_ITEMS}
# Dingel & Neiman (2020) items available in the raw data (assumption A07).
REMOTE_BLOCKERS_GWA = {
    "4.A.3.a.2": "handling_objects",
    "4.A.3.a.3": "controlling_machines",
    "4.A.3.a.4": "operating_vehicles",
    "4.A.4.a.8": "working_with_public",
    "4.A.3.b.4": "repairing_mechanical",
    "4.A.3.b.5": "repairing_electronic",
    "4.A.1.b.2": "inspecting_equipment",
}
DISEASE, EMAIL = "4.C.2.c.1.b", "4.C.1.a.2.h"
VERY_IMPORTANT = 75.0  # importance 4 of 1-5 on the 0-100 scale
WEEKLY_OR_MORE = 75.0  # context 4 of 1-5 ("once a week or more")
MONTHLY = 50.0  # context 3 of 1-5 ("once a month or more")


def read_raw():
    """The raw files the kit uses, as DataFrames."""
    return {
        "labels": pd.read_csv(RAW / "gpts_are_gpts/full_labelset_health.csv"),
        "occ_level": pd.read_csv(RAW / "gpts_are_gpts/occ_level_health.csv"),
        "ratings": pd.read_csv(RAW / "onet/onet_task_ratings_health.csv"),
        "context": pd.read_csv(RAW / "onet/onet_online_2020_wa_wc_selected_health.csv"),
        "oews": pd.read_csv(RAW / "bls_oews/oews_national_may2024_health.csv", dtype=str),
        "onet29_3": pd.read_csv(RAW / "onet/gpts_tasks_vs_onet29_3_health.csv", dtype={"Task ID": str}),
        "sector62": pd.read_csv(RAW / "bls_oews_industry/oews_natsector62_may2024_health.csv", dtype=str),
        "oews2018": pd.read_csv(RAW / "bls_oews_trend/oews_national_may2018_health.csv", dtype=str),
    }


def read_curation():
    """The hand-curated inputs."""
    names = ["roles", "task_families", "family_rules", "family_overrides", "presets",
             "preset_labels", "org_profiles", "assumptions", "pajama_baselines", "time_use_benchmarks",
             "measured_targets"]
    return {n: pd.read_csv(CURATION / f"{n}.csv", dtype=str, keep_default_na=False) for n in names}


# --------------------------------------------------------------------------- roles

def build_roles(raw, cur, tasks):
    roles = cur["roles"].copy()
    oews = raw["oews"].set_index("OCC_CODE")
    missing = sorted(set(roles.bls_code) - set(oews.index))
    if missing:
        sys.exit(f"roles.csv: BLS codes not in the OEWS file: {missing}")
    bls = oews.loc[roles.bls_code]
    roles["bls_title"] = bls.OCC_TITLE.to_numpy()
    roles["employment"] = bls.TOT_EMP.astype(int).to_numpy()
    roles["employment_is_combined"] = roles.bls_code != roles.onet_code.str[:7]
    median = bls.A_MEDIAN.to_numpy()
    roles["median_wage_withheld"] = median == "#"
    roles["median_wage"] = pd.to_numeric(pd.Series(median).where(median != "#"), errors="raise").to_numpy()
    roles["mean_wage"] = bls.A_MEAN.astype(int).to_numpy()

    attrs = role_attributes(raw["context"], roles)
    roles = roles.merge(attrs, on="role_id", how="left", validate="one_to_one")
    # The article's moat is physical dexterity OR deep emotional labour: take the stronger half.
    roles["relational_score"] = (roles[list(RELATIONAL_ITEMS.values())].mean(axis=1) / 100).round(4)
    roles["physical_score"] = (roles[list(PHYSICAL_ITEMS.values())].mean(axis=1) / 100).round(4)
    roles["moat_score"] = roles[["relational_score", "physical_score"]].max(axis=1)

    exposure = tasks.assign(h=tasks.weight * tasks.exposure, g=tasks.weight * tasks.exposure_gpt4)
    per_role = exposure.groupby("role_id")[["h", "g"]].sum().round(4)
    roles["exposure"] = roles.role_id.map(per_role.h)
    roles["exposure_gpt4"] = roles.role_id.map(per_role.g)

    occ = raw["occ_level"].set_index("O*NET-SOC Code")
    roles["published_exposure"] = roles.onet_code.map(occ.human_rating_beta).round(6)
    roles["published_exposure_gpt4"] = roles.onet_code.map(occ.dv_rating_beta).round(6)

    pajama = cur["pajama_baselines"].set_index("role_id")
    minutes = pd.to_numeric(roles.role_id.map(pajama.after_hours_minutes_per_weekday))
    roles["pajama_hours"] = (minutes * HOURS_PER_WEEKDAY_TO_WEEK).fillna(0.0).round(4)
    roles["pajama_source"] = roles.role_id.map(
        pajama.basis + ": " + pajama.source).fillna("not modelled: no cited baseline")
    return roles


def role_attributes(context, roles):
    """Moat items and the remote-capable rule per role, averaging where one 2019 role maps
    to several O*NET-SOC 2010 codes (billing clerks, psychologists)."""
    ctx = context.assign(value=context["Importance (0-100)"].fillna(context["Context (0-100)"]))
    rows = []
    for role in roles.itertuples():
        codes = role.attribute_codes.split(";")
        found = ctx[ctx["O*NET-SOC 2010 Code"].isin(codes)]
        if found["O*NET-SOC 2010 Code"].nunique() != len(codes):
            sys.exit(f"{role.role_id}: attribute codes {codes} not all in the O*NET context file")
        value = found.groupby("Element ID").value.mean()
        row = {"role_id": role.role_id}
        row.update({name: round(float(value[eid]), 1) for eid, name in MOAT_ITEMS.items()})
        row["exposed_to_disease"] = round(float(value[DISEASE]), 1)
        row["email_use"] = round(float(value[EMAIL]), 1)
        blockers = [name for eid, name in REMOTE_BLOCKERS_GWA.items() if value[eid] >= VERY_IMPORTANT]
        if value[DISEASE] >= WEEKLY_OR_MORE:
            blockers.append("exposed_to_disease")
        if value[EMAIL] < MONTHLY:
            blockers.append("rare_email")
        row["remote_capable"] = not blockers
        row["remote_blockers"] = ";".join(blockers)
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- tasks

def build_tasks(raw, cur):
    roles = cur["roles"]
    labels = raw["labels"]
    tasks = labels[labels["O*NET-SOC Code"].isin(roles.onet_code)].copy()
    tasks = tasks.rename(columns={"O*NET-SOC Code": "onet_code", "Task ID": "task_id", "Task": "statement",
                                  "Task Type": "task_type"})
    tasks["task_id"] = tasks.task_id.astype(int)
    tasks["role_id"] = tasks.onet_code.map(roles.set_index("onet_code").role_id)
    tasks["task_type"] = tasks.task_type.fillna("Not given")
    tasks["exposure_label"] = tasks.human_exposure_agg
    tasks["exposure"] = tasks.exposure_label.map(EXPOSURE_VALUE)
    tasks["exposure_gpt4_label"] = tasks.gpt4_exposure
    tasks["exposure_gpt4"] = tasks.exposure_gpt4_label.map(EXPOSURE_VALUE)

    tasks = add_weights(tasks, raw["ratings"])
    tasks = add_clean_weights(tasks, raw["onet29_3"])
    tasks, report = add_families(tasks, cur)
    modes = cur["task_families"].set_index("family")["mode"]
    tasks["mode"] = tasks.family.map(modes)
    tasks = tasks.sort_values(["role_id", "task_id"]).reset_index(drop=True)
    return tasks, report


def add_weights(tasks, ratings):
    """Share of each role's time per task (assumption A08)."""
    r = ratings.rename(columns={"O*NET-SOC Code": "onet_code", "Task ID": "task_id"})
    r = r[["onet_code", "task_id", "freq_mean", "importance", "relevance"]]
    tasks = tasks.merge(r, on=["onet_code", "task_id"], how="left", validate="one_to_one")
    tasks = tasks.rename(columns={"freq_mean": "frequency_per_day"})
    raw_weight = tasks.frequency_per_day * tasks.relevance / 100 * tasks.importance
    core = np.where(tasks.task_type == "Core", 2.0, 1.0)
    tasks["weight_core_supplemental"] = core / pd.Series(core, index=tasks.index).groupby(tasks.role_id).transform("sum")

    role_median = raw_weight.groupby(tasks.role_id).transform("median")
    has_ratings = role_median.notna()
    tasks["weight_method"] = np.select(
        [raw_weight.notna(), has_ratings], ["onet_ratings", "role_median"], "core_supplemental")
    tasks["raw_weight"] = raw_weight
    filled = raw_weight.fillna(role_median)
    share = filled / filled.groupby(tasks.role_id).transform("sum")
    tasks["weight"] = share.where(has_ratings, tasks.weight_core_supplemental)
    tasks["weight"] = tasks.weight.round(6)
    tasks["weight_core_supplemental"] = tasks.weight_core_supplemental.round(6)
    for col, nd in [("frequency_per_day", 4), ("importance", 2), ("relevance", 2)]:
        tasks[col] = tasks[col].round(nd)
    return tasks


CLEAN_RULES = ("onet_ratings", "not_in_onet_29_3", "unrated_role_minimum", "analyst_list_equal")


def add_clean_weights(tasks, onet29_3):
    """The measured baseline's task weights (assumption A23): drop what O*NET 29.3 no longer lists,
    give an unrated task in a rated role the role's smallest rated weight, and weigh the tasks of an
    analyst-written list (a role with no ratings at all) equally."""
    listed = onet29_3.assign(task_id=onet29_3["Task ID"].astype(float).astype(int))
    gone = set(zip(listed["O*NET-SOC Code"][listed.in_onet_29_3 == "N"], listed.task_id[listed.in_onet_29_3 == "N"]))
    dropped = pd.Series([k in gone for k in zip(tasks.onet_code, tasks.task_id)], index=tasks.index)
    rated = tasks.raw_weight.notna() & ~dropped
    role_min = tasks.raw_weight.where(rated).groupby(tasks.role_id).transform("min")
    rule = np.select([dropped, rated, role_min.notna()],
                     ["not_in_onet_29_3", "onet_ratings", "unrated_role_minimum"], "analyst_list_equal")
    weight = np.select([dropped, rated, role_min.notna()], [0.0, tasks.raw_weight, role_min], 1.0)
    weight = pd.Series(weight, index=tasks.index)
    tasks["weight_clean"] = (weight / weight.groupby(tasks.role_id).transform("sum")).round(6)
    tasks["weight_clean_rule"] = rule
    return tasks.drop(columns="raw_weight")


def add_families(tasks, cur):
    """Family by the first matching rule, then the reviewed overrides (which win)."""
    rules = cur["family_rules"].assign(order=lambda d: d.order.astype(int)).sort_values("order")
    compiled = [(row.family, re.compile(row.pattern, re.IGNORECASE)) for row in rules.itertuples()]

    def first_rule(statement):
        return next(family for family, pattern in compiled if pattern.search(statement))

    by_rule = tasks.statement.map(first_rule)
    ov = cur["family_overrides"].assign(task_id=lambda d: d.task_id.astype(int))
    key = list(zip(tasks.onet_code, tasks.task_id))
    ov_map = dict(zip(zip(ov.onet_code, ov.task_id), ov.family))
    unknown = set(ov_map) - set(key)
    if unknown:
        sys.exit(f"family_overrides.csv names tasks that do not exist: {sorted(unknown)}")
    redundant = [k for k, fam in zip(key, by_rule) if ov_map.get(k) == fam]
    if redundant:
        sys.exit(f"family_overrides.csv repeats what the rules already give: {redundant}")
    families = set(cur["task_families"].family)
    bad = (set(by_rule) | set(ov_map.values())) - families
    if bad:
        sys.exit(f"unknown task families in rules or overrides: {sorted(bad)}")
    tasks["family"] = [ov_map.get(k, fam) for k, fam in zip(key, by_rule)]
    tasks["family_source"] = ["override" if k in ov_map else "rule" for k in key]
    report = tasks.family_source.value_counts().to_dict()
    return tasks, report


# --------------------------------------------------------------------------- families, presets, orgs

def build_task_families(cur):
    fam = cur["task_families"].copy()
    fam["automatable"] = fam.automatable.map({"true": True, "false": False})
    return fam


def build_presets(cur, tasks):
    spec = cur["presets"].copy()
    labels = cur["preset_labels"].set_index("preset_id")
    doc = tasks[(tasks.role_id == "family_medicine_physicians") & (tasks.family == "clinical_documentation")]
    doc_exposure = float((doc.weight * doc.exposure).sum() / doc.weight.sum())
    values = []
    for row in spec.itertuples():
        if row.basis != "calibrated":
            values.append(float(row.value))
            continue
        # Net documentation change for family physicians = exposure x rate x (1 - oversight).
        oversight = float(spec[(spec.preset_id == row.preset_id) & (spec.parameter == "oversight_ratio")].value.iloc[0])
        rate = float(row.calibration_target) / (doc_exposure * (1 - oversight))
        if not 0 <= rate <= 1:
            sys.exit(f"preset {row.preset_id}: calibrated rate {rate:.3f} is outside 0..1")
        values.append(round(rate, 4))
    spec["value"] = values
    spec["note"] = [
        (f"rate that cuts family physicians' documentation hours by {float(t):.1%} net of review "
         f"(their documentation exposure is {doc_exposure:.3f})") if b == "calibrated" else ""
        for b, t in zip(spec.basis, spec.calibration_target)]
    spec.insert(1, "label", spec.preset_id.map(labels.label))
    spec.insert(2, "description", spec.preset_id.map(labels.description))
    return spec.drop(columns="calibration_target")


def build_org_profiles(cur, roles):
    spec = cur["org_profiles"]
    employment = roles.set_index("role_id").employment
    us = pd.DataFrame({
        "org_id": "us_workforce", "org_name": "US health-care workforce (BLS May 2024)",
        "illustrative": False, "role_id": roles.role_id, "headcount": roles.employment,
        "basis": "BLS OEWS May 2024 TOT_EMP for " + roles.bls_code,
    })
    frames = [us]
    for org_id, rows in spec.groupby("org_id", sort=False):
        rows = rows.copy()
        if (rows.headcount == "").all():
            target = int(cur["assumptions"].set_index("assumption_id").loc[rows.basis.iloc[0], "value"])
            rows["headcount"] = largest_remainder(employment.loc[rows.role_id].to_numpy(), target)
        rows["headcount"] = rows.headcount.astype(int)
        rows["illustrative"] = True
        frames.append(rows)
    orgs = pd.concat(frames, ignore_index=True)
    orgs["weekly_hours"] = 40.0
    return orgs[["org_id", "org_name", "illustrative", "role_id", "headcount", "weekly_hours", "basis"]]


def largest_remainder(weights, total):
    """Integers proportional to weights that sum exactly to total (Hamilton's method)."""
    exact = np.asarray(weights, dtype=float) / np.sum(weights) * total
    floor = np.floor(exact).astype(int)
    order = np.argsort(-(exact - floor), kind="stable")
    floor[order[: total - floor.sum()]] += 1
    return floor


# --------------------------------------------------------------------------- time-use benchmarks

# Minutes of a working day per unit of a published time figure (hours per week: a 5-day week).
MINUTES_PER_UNIT = {"minutes per weekday": 1.0, "minutes per day": 1.0, "hours per day": 60.0,
                    "hours per week": 60.0 / 5}


def build_benchmarks(cur):
    """Published time-use figures with each one's share of working time where it has one."""
    bench = cur["time_use_benchmarks"].copy()
    value = pd.to_numeric(bench.value, errors="raise")
    day = pd.to_numeric(bench.basis_minutes_per_day.replace("", None))
    given = pd.to_numeric(bench.share.replace("", None))
    per_unit = bench.unit.map(MINUTES_PER_UNIT)
    from_time = value * per_unit / day
    if given.notna().any():
        percent = bench.unit.str.startswith("percent of")
        mismatch = given.notna() & percent & ((given - value / 100).abs() > 1e-9)
        # Bakhoum et al.'s 27% is re-based on non-personal time; every other percentage must be value/100.
        mismatch &= ~bench.activity.str.contains("personal time", regex=False)
        if mismatch.any():
            sys.exit(f"time_use_benchmarks.csv: share differs from value/100 in {list(bench.benchmark_id[mismatch])}")
    bench["share"] = given.fillna(from_time).round(4)
    return bench


# --------------------------------------------------------------------------- measured baseline

PRACTICE = "primary_care_group"  # the illustrative practice A22 calibrates staff prior authorization to
PRACTICE_PHYSICIANS = ("family_medicine_physicians", "internal_medicine_physicians")
KIT_WEEK = 40.0  # assumption A01
HOME_HEALTH_AIDES, PERSONAL_CARE_AIDES = "31-1011", "39-9021"  # SOC 2010, published apart until May 2018


def build_measured_targets(cur, bench, tasks, orgs):
    """Each role's task-family targets of the measured baseline (assumptions A22, A25), from the
    time-use benchmarks: a signed sum of benchmark shares, or the practice-calibrated staff share."""
    spec = cur["measured_targets"].copy()
    share = bench.set_index("benchmark_id").share
    unknown = {b.lstrip("-") for ids in spec.benchmark_ids for b in ids.split(";")} - set(share.index)
    if unknown:
        sys.exit(f"measured_targets.csv names benchmarks that do not exist: {sorted(unknown)}")
    values = []
    for row in spec.itertuples():
        if row.rule == "sum":
            values.append(sum(-share[b[1:]] if b.startswith("-") else share[b] for b in row.benchmark_ids.split(";")))
        elif row.rule != "practice_staff":
            sys.exit(f"measured_targets.csv: unknown rule {row.rule!r} for {row.role_id}")
        else:
            values.append(np.nan)
    spec["share"] = values
    staff = spec.rule == "practice_staff"
    if staff.any():
        spec.loc[staff, "share"] = practice_staff_share(spec, bench, tasks, orgs, set(spec.role_id[staff]))
    spec["share"] = spec.share.round(4)
    return spec[["role_id", "target_id", "families", "share", "basis", "benchmark_ids", "rule", "note"]]


def practice_staff_share(spec, bench, tasks, orgs, staff_roles):
    """Share of a staff member's week on prior authorization such that the practice's total equals
    AMA's physician-and-staff hours per physician (A22); other roles keep their own share."""
    per_physician = float(bench.set_index("benchmark_id").value["ama2020_pa_hours"])
    practice = orgs[orgs.org_id == PRACTICE].set_index("role_id").headcount.astype(float)
    total = per_physician * practice.reindex(PRACTICE_PHYSICIANS).sum()
    targeted = spec[(spec.families == "prior_authorization") & (spec.rule == "sum")].set_index("role_id").share
    onet = tasks[tasks.family == "prior_authorization"].groupby("role_id").weight_clean.sum()
    others = [r for r in practice.index if r not in staff_roles]
    own = sum(practice[r] * KIT_WEEK * (targeted[r] if r in targeted.index else onet.get(r, 0.0)) for r in others)
    staff_hours = KIT_WEEK * practice.reindex(sorted(staff_roles)).sum()
    result = (total - own) / staff_hours
    if not 0 <= result <= 1:
        sys.exit(f"practice_staff: staff prior-authorization share {result:.3f} is outside 0..1")
    return result


def build_measured_headcounts(raw, roles, cur):
    """Health-care-sector (NAICS 62) headcounts for the US profile and the community hospital (A26),
    with home health aides split from personal care aides by their May 2018 share (A24)."""
    sector = raw["sector62"].set_index("OCC_CODE")
    missing = sorted(set(roles.bls_code) - set(sector.index))
    if missing:
        sys.exit(f"sector-62 file lacks the roles' BLS codes: {missing}")
    y2018 = raw["oews2018"].set_index("OCC_CODE").TOT_EMP.astype(int)
    hha_share = y2018[HOME_HEALTH_AIDES] / (y2018[HOME_HEALTH_AIDES] + y2018[PERSONAL_CARE_AIDES])
    employment = sector.TOT_EMP.loc[roles.bls_code].astype(int).to_numpy().astype(float)
    basis = ("BLS OEWS May 2024 NAICS 62 TOT_EMP for " + roles.bls_code + " (A26)").tolist()
    for i, role in enumerate(roles.itertuples()):
        if role.bls_code == "31-1120":
            employment[i] = round(employment[i] * hha_share)
            basis[i] = (f"BLS OEWS May 2024 NAICS 62 TOT_EMP for 31-1120 x {hha_share:.4f}, home health aides' "
                        "share of 31-1011 + 39-9021 in May 2018 (A24, A26)")
    us = pd.DataFrame({"org_id": "us_workforce", "role_id": roles.role_id, "headcount": employment.astype(int),
                       "basis": basis})
    spec = cur["org_profiles"]
    hospital = spec[spec.org_id == "community_hospital"]
    target = int(cur["assumptions"].set_index("assumption_id").loc[hospital.basis.iloc[0], "value"])
    by_role = us.set_index("role_id").headcount
    scaled = pd.DataFrame({"org_id": "community_hospital", "role_id": hospital.role_id.to_numpy(),
                           "headcount": largest_remainder(by_role.loc[hospital.role_id].to_numpy(), target),
                           "basis": "A10 scaled from NAICS 62 employment (A26)"})
    return pd.concat([us, scaled], ignore_index=True), hha_share


# --------------------------------------------------------------------------- write

def write(table: pd.DataFrame, name: str, schema: dict, out_dir: Path):
    """Write a table in the column order the datapackage declares."""
    fields = [f["name"] for f in schema["fields"]]
    missing = set(fields) - set(table.columns)
    if missing:
        sys.exit(f"{name}: datapackage.json declares columns the build does not make: {sorted(missing)}")
    table[fields].to_csv(out_dir / f"{name}.csv", index=False, lineterminator="\n")


def render_readme(package: dict, tables: dict, report: dict) -> str:
    """datasets/README.md, generated from datapackage.json and the tables so it cannot drift."""
    tasks, roles, assumptions = tables["tasks"], tables["roles"], tables["assumptions"]
    methods = tasks.weight_method.value_counts()
    lines = [
        "# The kit's datasets",
        "",
        "<!-- Generated by datasets/build.py from datapackage.json; edit those, not this file. -->",
        "",
        package["description"],
        "",
        "Rebuild with `make data` (or `python datasets/build.py`). The build is deterministic and",
        "`tests/test_datasets.py` checks that the committed tables equal a fresh build, that",
        "`datapackage.json` validates with frictionless, and that every row traces to a raw source",
        "row or to an assumption in `assumptions.csv`.",
        "",
        "## What is in it",
        "",
        f"- **{len(roles)} roles** in {roles.group.nunique()} groups, with BLS May 2024 employment and wages "
        f"({int(roles.median_wage_withheld.sum())} medians withheld by BLS above its top-code; "
        f"{int(roles.employment_is_combined.sum())} roles whose employment BLS only publishes for a combined occupation).",
        f"- **{len(tasks)} O*NET task statements**, each with a time weight, human and GPT-4 exposure labels, "
        f"a task family and a mode. Families: {report.get('rule', 0)} from the rules in "
        f"`curation/family_rules.csv` (first match wins), {report.get('override', 0)} from the reviewed "
        "overrides in `curation/family_overrides.csv` (each with its reason).",
        f"- Task weights: {methods.get('onet_ratings', 0)} from O*NET ratings, {methods.get('role_median', 0)} "
        f"imputed with the role's median (task unrated in O*NET 29.3), {methods.get('core_supplemental', 0)} "
        "from the core/supplemental convention (role unrated). See assumption A08 for the method and its limits.",
        f"- **{tables['presets'].preset_id.nunique()} presets**, **{tables['org_profiles'].org_id.nunique()} "
        f"organization profiles** and **{len(assumptions)} documented assumptions**.",
        "",
        "## Method notes and limits",
        "",
        "- *Exposure* is the share of a task that current language models could speed up by half or more "
        "(Eloundou et al.): E1 = 1, E2 = 0.5, E0 = 0 (their beta convention). Human annotators' labels are the "
        "default; GPT-4's labels are kept in `exposure_gpt4`. A role's exposure is the time-weighted mean over its tasks.",
        "- *Time weights* are a rough guide: O*NET never measures how long a task takes (A08).",
        "- *Moat attributes* come from O*NET 24.2 (2020), an older vintage on O*NET OnLine's 0-100 scale, "
        "mapped from O*NET-SOC 2010 codes (`attribute_codes`); medical records specialists and health "
        "information technologists share the 2010 code 29-2071.00 (A06, A07).",
        "- *Pajama time* has a cited baseline only for family physicians (Arndt et al. 2017); internists, "
        "nurse practitioners and physician assistants borrow it (A02, A03); other roles are not modelled.",
        "- *Measured baseline* (`kit.baseline`, A21-A26): clean task weights "
        + ", ".join(f"{int((tasks.weight_clean_rule == r).sum())} {r}" for r in CLEAN_RULES)
        + f"; {len(tables['measured_targets'])} time-use targets for {tables['measured_targets'].role_id.nunique()} "
        "roles in `measured_targets.csv`, met by raking the O*NET-derived family shares (O*NET's proportions "
        "are kept inside each targeted group and among the untargeted families); health-care-sector (NAICS 62) "
        "headcounts in `measured_headcounts.csv`.",
        f"- *Time-use benchmarks* ({len(tables['time_use_benchmarks'])} published figures in "
        "`time_use_benchmarks.csv`) were transcribed by hand from each row's `url`; `checked` says whether "
        "the figure was read in the study itself (or its abstract) or only in a secondary write-up, which "
        "the citation then names.",
        "",
    ]
    for resource in package["resources"]:
        lines += [f"## `{resource['path']}`: {resource['title']}", "", resource["description"], "",
                  "| column | type | unit | description |", "| --- | --- | --- | --- |"]
        for f in resource["schema"]["fields"]:
            lines.append(f"| `{f['name']}` | {f['type']} | {f.get('unit', '')} | {f['description']} |")
        licences = "; ".join(l.get("title", l["name"]) for l in resource["licenses"])
        sources = "; ".join(s["title"] for s in resource["sources"])
        lines += ["", f"Licences: {licences}. Sources: {sources}.", ""]
    lines += ["## Assumptions", "", "| id | statement | value | unit |", "| --- | --- | --- | --- |"]
    for a in assumptions.itertuples():
        lines.append(f"| {a.assumption_id} | {a.statement} | {a.value} | {a.unit} |")
    lines += ["", "Each assumption's reasoning and evidence are in `assumptions.csv`.", ""]
    return "\n".join(lines)


def main(out_dir: Path = HERE):
    raw, cur = read_raw(), read_curation()
    tasks, report = build_tasks(raw, cur)
    roles = build_roles(raw, cur, tasks)
    orgs = build_org_profiles(cur, roles)
    bench = build_benchmarks(cur)
    headcounts, hha_share = build_measured_headcounts(raw, roles, cur)
    tables = {
        "roles": roles,
        "tasks": tasks,
        "task_families": build_task_families(cur),
        "presets": build_presets(cur, tasks),
        "org_profiles": orgs,
        "time_use_benchmarks": bench,
        "measured_targets": build_measured_targets(cur, bench, tasks, orgs),
        "measured_headcounts": headcounts,
        "assumptions": cur["assumptions"],
    }
    package = json.loads((HERE / "datapackage.json").read_text(encoding="utf-8"))
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    for name, table in tables.items():
        write(table, name, schemas[name], Path(out_dir))
    __import__("build_wages").main(Path(out_dir))  # wages.csv: OEWS May 2013-2024 (datasets/build_wages.py)
    (Path(out_dir) / "README.md").write_text(render_readme(package, tables, report), encoding="utf-8")
    print(f"tasks: {len(tasks)} for {tasks.role_id.nunique()} roles; families from rules: "
          f"{report.get('rule', 0)}, from reviewed overrides: {report.get('override', 0)}")
    print("weights:", tasks.weight_method.value_counts().to_dict())
    print("clean weights (A23):", {r: int((tasks.weight_clean_rule == r).sum()) for r in CLEAN_RULES})
    print(f"measured baseline: {len(tables['measured_targets'])} targets for "
          f"{tables['measured_targets'].role_id.nunique()} roles; home health aides = {hha_share:.4f} of 31-1120")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
