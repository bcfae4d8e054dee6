"""A learner's organization with roles left at 0 people (the template lists all 27 at 0 and says "delete
the roles you do not have, or leave them at 0"): those roles are left out of every result, chart row and
headline. The case from issue 10: a 30-person clinic, the imaging preset, no radiologists."""
import kit
from kit.organization import template_table

CLINIC = {"Registered Nurses": 12, "Medical Assistants": 10, "Receptionists and Information Clerks": 8}


def clinic_table():
    table = template_table()
    for role, people in CLINIC.items():
        table.loc[table.role == role, "headcount"] = str(people)
    return table


def test_a_template_clinic_keeps_only_the_roles_it_has():
    org = kit.read_organization(clinic_table(), name="Small clinic")
    roles = kit.load_roles().set_index("role_id")
    assert sorted(roles.title[list(org.role_ids)]) == sorted(CLINIC)
    assert sum(org.headcount) == 30


def test_its_results_and_headlines_speak_only_of_its_roles():
    org = kit.read_organization(clinic_table(), name="Small clinic")
    result = kit.simulate(kit.Scenario.from_preset("imaging_ai", org=org))
    assert result.by_role.role_id.nunique() == 3
    chart = kit.charts.role_shift(result.by_role)
    rows = {r["title"] for r in chart.to_dict()["datasets"][next(iter(chart.to_dict()["datasets"]))] if "title" in r}
    assert rows == set(CLINIC), rows
    headline = " ".join(kit.charts.live_headlines(result).get("role_headline", []))
    assert "Radiolog" not in headline and "Radiolog" not in str(chart.to_dict().get("title")), headline


def test_the_blank_template_still_reads_whole():
    """Nothing typed yet: the template reads as it is (27 roles at 0), so a learner can start from it."""
    org = kit.read_organization(template_table())
    assert len(org.role_ids) == 27 and sum(org.headcount) == 0


def test_a_file_with_roles_at_0_is_read_the_same(tmp_path):
    path = tmp_path / "my_organization.csv"
    clinic_table().to_csv(path, index=False)
    assert len(kit.read_organization(path).role_ids) == 3
