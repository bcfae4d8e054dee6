"""kit.read_organization: the bad-input corpus (tests/bad_inputs), the learner's template and example,
DataFrames, custom task-family shares, and the promise that nothing already loaded changes."""
import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kit
from kit import scenarios

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "bad_inputs"
TEMPLATE = ROOT / "datasets" / "my_organization_template.csv"
EXAMPLE = ROOT / "datasets" / "example_organization.csv"
HEADER = "role,headcount,weekly_hours\n"


def expectations():
    with open(CORPUS / "expectations.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def corpus_source(name, tmp_path):
    if name == "oversize.csv":  # generated rather than committed: 1.15 MB
        path = tmp_path / name
        path.write_bytes(HEADER.encode() + b"Registered Nurses,12,36\n" * 48_000)
        return path
    return CORPUS / name


def problems(source, **kw):
    with pytest.raises(kit.DataError) as info:
        kit.read_organization(source, **kw)
    return info.value.problems


def read_text(text, tmp_path, name="org.csv", **kw):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return kit.read_organization(path, **kw)


# --------------------------------------------------------------------------- the corpus

def test_corpus_has_at_least_30_bad_inputs_each_with_its_message():
    rows = expectations()
    errors = [r for r in rows if r["outcome"] == "error"]
    assert len(errors) >= 30
    assert all(r["expected"].strip() and r["case"].strip() for r in rows)
    on_disk = {p.name for p in CORPUS.glob("*.csv")} - {"expectations.csv"}
    assert on_disk | {"oversize.csv"} == {r["file"] for r in rows}, "every corpus file has exactly one expectation"


@pytest.mark.parametrize("case", expectations(), ids=lambda r: r["file"])
def test_corpus_file_gives_exactly_its_expected_message(case, tmp_path):
    source = corpus_source(case["file"], tmp_path)
    if case["outcome"] == "error":
        assert problems(source) == case["expected"].split("\n")
        assert problems(source.read_bytes()) == case["expected"].split("\n"), "bytes and paths read alike"
    else:
        org = kit.read_organization(source)
        got = [f"{r} {h:g} {w:g}" for r, h, w in zip(org.role_ids, org.headcount, org.weekly_hours)]
        assert got == case["expected"].split("\n")
        kit.simulate(kit.Scenario.from_preset("admin_automation", org=org))


def test_the_issue_example_message_verbatim():
    [message] = problems(CORPUS / "negative_headcount.csv")
    assert message == "row 4, headcount: -3 — must be 0 or more"


def test_the_error_names_the_file_and_counts_problems():
    with pytest.raises(kit.DataError) as info:
        kit.read_organization(CORPUS / "non_numeric_values.csv")
    assert str(info.value).startswith("non_numeric_values.csv: 2 problems to fix:\n  - row 2, headcount: 'twelve'")
    assert isinstance(info.value, ValueError)


def test_nothing_already_loaded_changes_when_bad_files_are_read(tmp_path):
    org = kit.read_organization(EXAMPLE)
    scenario = kit.Scenario.from_preset("scribes_trial", org=org)
    before = kit.simulate(scenario)
    roles, tasks = kit.load_roles(), kit.load_tasks()
    frozen = scenarios.scenario_to_json(scenario)
    for case in expectations():
        if case["outcome"] == "error":
            with pytest.raises(kit.DataError):
                kit.read_organization(corpus_source(case["file"], tmp_path))
    assert scenarios.scenario_to_json(scenario) == frozen
    pd.testing.assert_frame_equal(kit.simulate(scenario).by_family, before.by_family)
    pd.testing.assert_frame_equal(kit.load_roles(), roles)
    pd.testing.assert_frame_equal(kit.load_tasks(), tasks)
    assert kit.read_organization(EXAMPLE) == org


def test_every_problem_is_reported_at_once(tmp_path):
    text = HEADER + "".join(f"Registered Nurses {i},-{i},abc\n" for i in range(1, 6))
    path = tmp_path / "x.csv"
    path.write_text(text)
    found = problems(path)
    assert len(found) == 15  # 5 rows x (unknown role, negative headcount, hours not a number)
    assert found[:3] == [
        "row 2, role: 'Registered Nurses 1' — is not one of the kit's roles; did you mean 'Registered Nurses' "
        "(registered_nurses)?",
        "row 2, headcount: -1 — must be 0 or more",
        "row 2, weekly_hours: 'abc' — is not a number; give the paid hours per person per week (40 for full time)"]


def test_problem_list_is_capped_and_says_how_many_more(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(HEADER + "x,-1,-1\n" * 200)
    found = problems(path)
    assert len(found) == scenarios.MAX_PROBLEMS + 1
    assert found[-1] == "… and 500 more problems like these (fix the ones above first)"


def test_a_stray_delimiter_row_numbering_follows_the_spreadsheet(tmp_path):
    text = HEADER + "\n\nRegistered Nurses,12,36\n\"Medical\nAssistants\",1,40\nPharmacists,-1,40\n"
    # blank rows 2 and 3; a cell spanning two lines (Alt+Enter) is still one spreadsheet row, and its
    # line break is only spacing
    assert problems(read_path(tmp_path, text)) == ["row 6, headcount: -1 — must be 0 or more"]


def read_path(tmp_path, text):
    path = tmp_path / "org.csv"
    path.write_text(text)
    return path


def test_missing_file_folder_and_wrong_type():
    assert problems("no/such/file.csv")[0].startswith("there is no file 'no/such/file.csv'")
    assert problems(ROOT / "datasets")[0].endswith("is a folder, not a CSV file")
    assert "is not a file path, the bytes of a file or a pandas DataFrame" in problems(42)[0]


def test_the_oversize_check_reads_no_more_than_the_limit(tmp_path, monkeypatch):
    path = corpus_source("oversize.csv", tmp_path)
    opened = []
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self))
    assert "the kit reads organization files up to 1,000,000 bytes" in problems(path)[0]
    assert not opened, "a file over the limit is refused from its size, before it is opened"


# --------------------------------------------------------------------------- template and example

def test_template_lists_every_role_with_title_and_code_and_reads():
    template = pd.read_csv(TEMPLATE, dtype=str, keep_default_na=False)
    roles = kit.load_roles()
    assert list(template.columns) == ["role", "onet_code", "headcount", "weekly_hours", "notes"]
    assert template.role.tolist() == roles.title.tolist()
    assert template.onet_code.tolist() == roles.onet_code.tolist()
    assert set(template.headcount) == {"0"} and set(template.weekly_hours) == {"40"}  # blank; A01's 40 hours
    org = kit.read_organization(TEMPLATE)
    assert org.role_ids == tuple(roles.role_id) and sum(org.headcount) == 0
    assert org.name == "My organization template"


def test_example_reads_and_every_number_is_documented():
    org = kit.read_organization(EXAMPLE)
    example = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    a09 = kit.load_org_profiles().query("org_id == 'primary_care_group'").set_index("role_id")
    assert sorted(org.role_ids) == sorted(a09.index)
    assert dict(zip(org.role_ids, org.headcount)) == a09.headcount.astype(float).to_dict()
    for row in example.itertuples():
        assert row.notes.startswith("Illustrative:") and "assumption A09" in row.notes, row.role
        if row.weekly_hours == "40":
            assert "40 hours per week (assumption A01)" in row.notes, row.role
        else:
            assert f"{row.weekly_hours} hours per week is an invented" in row.notes, row.role
        has_shares = any(getattr(row, f) for f in example.columns if f in kit.model.structure().families)
        assert has_shares == ("task-family shares are invented" in row.notes), row.role
    assert org.name == "Example organization"
    a09_text = kit.load_assumptions().set_index("assumption_id").statement["A09"]
    assert "46-person practice" in a09_text and "46-person practice of assumption A09" in example.notes[0]


def test_template_and_example_as_editable_tables():
    table = scenarios.template_table()
    assert len(table) == 27 and list(table.columns) == ["role", "onet_code", "headcount", "weekly_hours", "notes"]
    table.loc[table.role == "Registered Nurses", "headcount"] = "12"
    org = kit.read_organization(table, name="Ward 4")
    assert dict(zip(org.role_ids, org.headcount))["registered_nurses"] == 12
    from_file = kit.read_organization(EXAMPLE)
    from_table = kit.read_organization(scenarios.template_table(example=True), name=from_file.name)
    assert from_table == from_file


def test_example_custom_shares_reach_the_model():
    org = kit.read_organization(EXAMPLE)
    st = kit.model.structure()
    i = org.role_ids.index("medical_assistants")
    shares = dict(zip(st.families, org.shares[i]))
    assert shares["prior_authorization"] == 0.10 and shares["ai_oversight"] == 0.0
    assert sum(shares.values()) == pytest.approx(1, abs=1e-12)
    r = kit.simulate(kit.Scenario(automation={"prior_authorization": 1.0}, org=org))
    ma = r.by_family.query("role_id == 'medical_assistants'").set_index("family")
    assert ma.hours_before["prior_authorization"] == pytest.approx(40 * 0.10)
    # medical assistants have no O*NET prior-authorization task: the family's mean exposure is borrowed
    assert ma.exposure["prior_authorization"] == pytest.approx(st.family_exposure[st.index("prior_authorization")])
    assert ma.automated["prior_authorization"] == pytest.approx(4.0 * ma.exposure["prior_authorization"])
    plain = kit.simulate(kit.Scenario(automation={"prior_authorization": 1.0}, org="primary_care_group",
                                      baseline="onet"))  # the job description: no prior authorization for MAs
    assert plain.by_family.query("role_id == 'medical_assistants'").automated.sum() == 0


# --------------------------------------------------------------------------- DataFrames

def test_a_dataframe_reads_like_a_file_and_is_not_changed():
    frame = pd.DataFrame({"Role": ["Registered Nurses", "receptionists"], "Head count": [12, 2.5],
                          "weekly hours": [36.0, 40.0]})
    before = frame.copy()
    org = kit.read_organization(frame, name="Ward 4")
    pd.testing.assert_frame_equal(frame, before)
    assert org == kit.Organization(("registered_nurses", "receptionists"), (12.0, 2.5), (36.0, 40.0), "Ward 4")


def test_a_dataframe_problem_names_the_index_label():
    frame = pd.DataFrame({"role": ["Registered Nurses", None], "headcount": [np.nan, -1], "weekly_hours": [np.inf, 40]},
                         index=["ward A", "ward B"])
    assert problems(frame) == [
        "ward A, headcount: is empty — give the number of people in the role (0 if none)",
        "ward A, weekly_hours: 'inf' — must be a finite number",
        "ward B: no role given — fill in the role (its title, O*NET-SOC code or role_id)",
        "ward B, headcount: -1 — must be 0 or more"]
    assert problems(frame.reset_index(drop=True))[0].startswith("row 0, headcount")


def test_organization_table_round_trips_through_the_reader():
    org = kit.read_organization(EXAMPLE)
    assert kit.read_organization(org.table(), name=org.name) == org


def test_dataframe_size_limits():
    rows = pd.DataFrame({"role": ["x"] * (scenarios.MAX_ROWS + 1), "headcount": 1, "weekly_hours": 40})
    assert problems(rows) == ["the table has 1,001 rows; the kit reads at most 1,000 (one row per role, and it "
                              "knows 27 roles)"]
    wide = pd.DataFrame([range(scenarios.MAX_COLUMNS + 1)])
    assert problems(wide) == ["the table has 51 columns; the kit reads at most 50"]
    assert problems(pd.DataFrame())[-1].startswith("the table has no rows")


def test_odd_python_values_in_cells_are_reported_not_raised():
    class Unprintable:
        def __str__(self):
            raise RuntimeError("no")

    frame = pd.DataFrame({"role": [Unprintable(), True], "headcount": [[1], {"a": 1}],
                          "weekly_hours": [pd.Timestamp("2024-01-01"), b"40"]})
    found = problems(frame)
    assert found[0] == "row 0, role: '(a Unprintable object)' — is not one of the kit's roles; see " \
                       "datasets/my_organization_template.csv or kit.load_roles() for the 27 roles, their titles " \
                       "and O*NET-SOC codes"
    assert len(found) == 6


# --------------------------------------------------------------------------- names and matching

@pytest.mark.parametrize("name, problem", [
    ("", "'' is empty; give the organization's name"),
    ("<img src=x onerror=alert(1)>", "contains HTML or script markup; a name must be plain text"),
    ("a" * 101, "is 101 characters long; a name has at most 100"),
    ("Ward\n4", "contains control characters; a name must be plain text"),
    (7, "name: 7 is not text"),
])
def test_bad_organization_names_join_the_other_problems(name, problem):
    frame = pd.DataFrame({"role": ["Registered Nurses"], "headcount": [-1], "weekly_hours": [40]})
    found = problems(frame, name=name)
    assert problem in found[0] and found[1] == "row 0, headcount: -1 — must be 0 or more"


def test_name_from_the_file_name_is_plain_text(tmp_path):
    path = tmp_path / "<b>North_Clinic<b>.csv"
    path.write_text(HEADER + "Registered Nurses,1,40\n")
    assert kit.read_organization(path).name == "BNorth Clinicb"
    assert kit.read_organization(path.read_bytes()).name == "custom organization"


@pytest.mark.parametrize("cell, role", [
    ("registered_nurses", "registered_nurses"), ("  REGISTERED   NURSES ", "registered_nurses"),
    ("29-1141.00", "registered_nurses"), ("29-1141", "registered_nurses"), ("Registered-Nurses", "registered_nurses"),
    ("Medical Records Specialists", "medical_records_specialists"),  # the BLS title
    ("Medical Records Specialists (incl. coders)", "medical_records_specialists"),  # the kit's title
    ("29-2010", "lab_technologists"),  # the BLS code of a combined occupation
])
def test_roles_match_by_id_code_or_title_in_any_case_and_spacing(cell, role):
    org = kit.read_organization(pd.DataFrame({"role": [cell], "headcount": [1], "weekly_hours": [40]}))
    assert org.role_ids == (role,)


def test_codes_shared_by_two_roles_are_not_used_to_match():
    # 29-2071.00 is the O*NET 24.2 code behind two roles' attributes, so it names neither
    assert "is not one of the kit's roles" in problems(pd.DataFrame({"onet_code": ["29-2071.00"], "headcount": [1],
                                                                     "weekly_hours": [40]}))[0]


# --------------------------------------------------------------------------- numbers and shares

def test_decimal_commas_only_where_the_file_uses_semicolons_or_tabs(tmp_path):
    org = read_text("role;headcount;weekly_hours;clinical_documentation;direct_physical_care\n"
                    "Registered Nurses;2,5;37,5;0,25;0,75\n", tmp_path)
    assert (org.headcount, org.weekly_hours) == ((2.5,), (37.5,))
    assert org.shares[0][kit.model.structure().index("clinical_documentation")] == 0.25


def test_shares_within_rounding_are_rescaled_exactly_to_one_and_exact_ones_are_kept(tmp_path):
    org = read_text("role,headcount,weekly_hours,clinical_documentation,direct_physical_care,emotional_support\n"
                    "Registered Nurses,1,40,0.33,0.33,0.33\nPharmacists,1,40,0.1,0.2,0.7\n", tmp_path)
    rescaled, kept = (np.array(s) for s in org.shares)
    assert rescaled.sum() == pytest.approx(1, abs=1e-15) and rescaled.max() == pytest.approx(1 / 3)
    st = kit.model.structure()
    assert kept[st.index("clinical_documentation")] == 0.1 and kept[st.index("emotional_support")] == 0.7


def test_plus_signs_and_exponents_are_numbers(tmp_path):
    org = read_text(HEADER + "Registered Nurses,1.2e1,+36\n", tmp_path)
    assert (org.headcount, org.weekly_hours) == ((12.0,), (36.0,))


# --------------------------------------------------------------------------- the Organization itself

N_FAMILIES = len(kit.model.structure().families)
OVERSIGHT_AT = kit.model.structure().index("ai_oversight")


@pytest.mark.parametrize("shares, problem", [
    (((0.5,) * 3,), f"must be {N_FAMILIES} numbers"),
    ((tuple([1.0] + [0.0] * (N_FAMILIES - 1)),), None),
    ((tuple([0.5] + [0.0] * (N_FAMILIES - 1)),), "summing to 1"),
    ((tuple([-0.5, 1.5] + [0.0] * (N_FAMILIES - 2)),), "each 0 or more"),
    ((tuple([0.0] * OVERSIGHT_AT + [1.0] + [0.0] * (N_FAMILIES - OVERSIGHT_AT - 1)),), "ai_oversight at 0"),
    ((tuple([np.nan] + [1.0] + [0.0] * (N_FAMILIES - 2)),), "summing to 1"),
    ((None, None), "shares has 2 entries for 1 roles"),
    ((("a",) * N_FAMILIES,), f"must be {N_FAMILIES} numbers"),
    (((None,) * N_FAMILIES,), f"must be {N_FAMILIES} numbers"),
])
def test_organization_checks_its_shares(shares, problem):
    def make():
        return kit.Organization(("registered_nurses",), (1.0,), (40.0,), "x", shares)
    if problem is None:
        assert make().shares == shares
    else:
        with pytest.raises(ValueError, match=problem):
            make()


def test_organization_with_no_custom_row_has_no_shares():
    assert kit.Organization(("registered_nurses",), (1.0,), (40.0,), "x", (None,)).shares is None


def test_from_table_refuses_unreadable_share_cells():
    table = pd.DataFrame({"role_id": ["registered_nurses"], "headcount": [1], "weekly_hours": [40],
                          "clinical_documentation": ["lots"]})
    with pytest.raises(ValueError, match="clinical_documentation share of row 0 is 'lots'"):
        kit.Organization.from_table(table)


def test_custom_shares_equal_to_the_onet_mix_change_nothing():
    st = kit.model.structure()
    roles = ["registered_nurses", "receptionists"]
    plain = kit.Organization(tuple(roles), (3.0, 2.0), (40.0, 36.0), "x")
    custom = kit.Organization(tuple(roles), (3.0, 2.0), (40.0, 36.0), "x",
                              tuple(tuple(st.shares[st.role_ids.index(r)].tolist()) for r in roles))
    scenario = kit.Scenario.from_preset("admin_automation")
    a, b = kit.simulate(scenario.replace(org=plain)), kit.simulate(scenario.replace(org=custom))
    pd.testing.assert_frame_equal(a.by_family, b.by_family)
    pd.testing.assert_series_equal(a.org, b.org)


def test_the_readme_shows_real_messages(tmp_path):
    """The error block in README's "Bring your own organization" is what the kit really prints."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Bring your own organization", 1)[1].split("\n## ", 1)[0]
    block = section.split("```\nmy_clinic.csv:", 1)[1].split("```", 1)[0]
    path = tmp_path / "my_clinic.csv"
    path.write_text("role,headcount,weekly_hours,clinical_documentation,direct_physical_care\n"
                    "Registerd Nurse,12,36,,\nMedical Assistants,10,40,,\n"
                    "Receptionists and Information Clerks,-3,40,,\nPharmacists,2,40,0.5,0.3\n")
    with pytest.raises(kit.DataError) as info:
        kit.read_organization(path)
    assert str(info.value) == "my_clinic.csv:" + block.rstrip("\n")
    assert "## Bring your own organization" in readme.split("## What is inside")[0]
    assert readme.index("## Using the kit from Python") < readme.index("## Bring your own organization")
