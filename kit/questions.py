"""The question bank: every chapter's self-check questions (chapters 00-06; chapter 07's are in
kit.premium_checks), registered with kit.checks.question. Each right answer is computed from the
kit's data, model and lessons when the check runs, never written in a notebook."""
from __future__ import annotations

from pathlib import Path

from . import data, lessons, model, organization, organization_file
from .checks import CHOICE, NUMBER, question

# --------------------------------------------------------------------------- chapter 00

@question("ch00.execution_share", NUMBER, tolerance=1.0, unit="percent",
          hint="With the slider at 0, the chart's title says what share of paid hours is execution work "
               "today; the orange part of the bars shows it too. Answer in percent (0.25 is 25).",
          explanation="Before any automation, execution work (routine information work) takes this share of "
                      "all paid hours of the US roles in the kit.")
def _execution_share_today():
    r = model.simulate(model.Scenario())
    return 100 * r.org_by_mode.set_index("mode").share_before["execution"]


@question("ch00.execution_share_full_scribes", NUMBER, tolerance=1.0, unit="percent",
          hint="Drag the documentation slider all the way to 100 and read the chart's title (or the % label on "
               "the orange part of the After bar). Answer in percent.",
          explanation="Even with every AI-exposed piece of documentation done by AI, most execution work stays: "
                      "documentation is only one of the execution families, and only part of it is exposed.")
def _execution_share_full_scribes():
    r = model.simulate(model.Scenario(automation={"clinical_documentation": 1.0}))
    return 100 * r.org_by_mode.set_index("mode").share_after["execution"]


@question("ch00.oversight_mode", CHOICE, options=model.MODES,
          hint="Reviewing and signing off what an AI tool wrote: is that routine information work, judging and "
               "supervising work, or physical and relational work? Look at the table of key terms.",
          explanation="Checking AI output is curation: a person judges and corrects work someone (or something) "
                      "else produced. Automation creates this work; it does not come for free.")
def _oversight_mode():
    families = data.load_task_families().set_index("family")
    return families.loc[model.OVERSIGHT_FAMILY, "mode"]


# --------------------------------------------------------------------------- chapter 01

@question("ch01.rn_exposed_share", NUMBER, tolerance=1.0, unit="percent",
          hint="The title of the Registered Nurses' task chart says how much of their week is exposed to AI. "
               "Answer in percent.",
          explanation="A role's exposure is the time-weighted average of its tasks' exposure: each task's weight "
                      "times its label (E1 = 1, E2 = 0.5, E0 = 0), added up over the role's tasks.")
def _rn_exposed_share():
    return 100 * data.load_roles().set_index("role_id").exposure["registered_nurses"]


@question("ch01.labels_agree", NUMBER, tolerance=0.0, unit="tasks",
          hint="In the cross-table of human (rows) and GPT-4 (columns) labels, the tasks on which both agree sit "
               "where the row and the column have the same label: add up those three cells.",
          explanation="On the rest, about two tasks in five, the two raters disagree, and most disagreements "
                      "are GPT-4 rating a task as more exposed than the human raters did.")
def _labels_agree():
    tasks = data.load_tasks()
    return int((tasks.exposure_label == tasks.exposure_gpt4_label).sum())


@question("ch01.billing_top_task_human_label", CHOICE, options=("E0", "E1", "E2"),
          hint="In the table of billing clerks' tasks (sorted by weight), read the exposure_label of the first "
               "row: that is the human raters' label.",
          explanation="The human raters saw operating billing machines as work a language model cannot do; GPT-4 "
                      "rated the same task as directly exposed. On the role's heaviest task, that disagreement "
                      "moves the whole role.")
def _billing_top_task_human_label():
    tasks = data.load_tasks()
    return tasks[tasks.role_id == "billing_clerks"].nlargest(1, "weight").exposure_label.iloc[0]


# --------------------------------------------------------------------------- chapter 02

@question("ch02.cost_cutting_released_fte", NUMBER, tolerance=1000.0, unit="FTE",
          hint="In the slider lab, choose the preset Cost-cutting (organization: US healthcare workforce) and read "
               "the line under the organization chart that starts with 'Released:'. Answer in FTE, e.g. 123456.",
          explanation="Cost-cutting releases most freed hours as fewer paid hours; an FTE here is 40 paid hours a "
                      "week (assumption A01), not necessarily one person.")
def _cost_cutting_released_fte():
    return model.simulate(model.Scenario.from_preset("cost_cutting")).org["released_fte"]


@question("ch02.empathy_first_presence_share", NUMBER, tolerance=0.5, unit="percent",
          hint="In the slider lab, choose the preset Empathy-first and read the title of the organization chart: "
               "presence goes from today's share to what? Answer in percent.",
          explanation="Empathy-first automates exactly what Cost-cutting does (assumption A15) but sends most freed "
                      "hours to presence (A16): the same technology, a different decision.")
def _empathy_first_presence_share():
    r = model.simulate(model.Scenario.from_preset("empathy_first"))
    return 100 * r.org_by_mode.set_index("mode").share_after["presence"]


@question("ch02.trap_without_capacity", NUMBER, tolerance=0.05, unit="hours per week",
          hint="In the slider lab press Reset, set 'Decision support' to 50 and move 'To presence' to 100 "
               "(the other two go to 0). Pick Registered Nurses in the Role menu and read the summary line at "
               "the top. Answer in hours per week.",
          explanation="With no freed time going to more patients, automating decisions cannot add execution work: "
                      "the throughput trap needs capacity, that is, more patients who bring their paperwork along.")
def _trap_without_capacity():
    scenario = model.Scenario(automation={"clinical_judgement": 0.5},
                              reinvestment={"presence": 1.0, "capacity": 0.0, "released": 0.0})
    by_role = model.simulate(scenario).by_role
    row = by_role[(by_role.role_id == "registered_nurses") & (by_role["mode"] == "execution")]
    return float(row.hours_change.iloc[0])


# --------------------------------------------------------------------------- chapter 03

@question("ch03.lowest_moat", CHOICE,
          hint="On the moat map, the lowest dot has the thinnest moat; hover over it (after running the cell) or "
               "find the smallest moat_score in the table. Answer with the role's title or id.",
          explanation="Its relational and physical halves are both low: O*NET rates its work as neither caring "
                      "nor hands-on, and most of its week is exposed billing work.")
def _lowest_moat():
    roles = data.load_roles()
    return roles.loc[roles.moat_score.idxmin(), "role_id"]


@question("ch03.surgeon_minus_radiologist_physical", NUMBER, tolerance=0.01, unit="points of the 0-1 score",
          hint="In the table of five roles, subtract the radiologists' physical_score from the orthopedic "
               "surgeons' physical_score.",
          explanation="The physical half separates the two clearly, yet their moat scores are almost equal: the "
                      "score takes the larger half, and the radiologists' relational half is as high as the "
                      "surgeons'.")
def _surgeon_minus_radiologist_physical():
    physical = data.load_roles().set_index("role_id").physical_score
    return physical["orthopedic_surgeons"] - physical["radiologists"]


@question("ch03.counselors_if_averaged", CHOICE, options=("above", "below"),
          hint="Average each role's relational_score and physical_score, (relational + physical) / 2, for Mental "
               "Health Counselors and for Receptionists, and compare. Answer \"above\" or \"below\".",
          explanation="Averaging punishes roles strong in one half only: talk therapy needs no hands, so "
                      "counselors would fall below receptionists. That is why A06 takes the larger half; whether "
                      "that is fair is yours to argue.")
def _counselors_if_averaged():
    roles = data.load_roles().set_index("role_id")
    average = (roles.relational_score + roles.physical_score) / 2
    return "above" if average["mental_health_counselors"] > average["receptionists"] else "below"


# --------------------------------------------------------------------------- chapter 04

@question("ch04.billing_oversight_hours", NUMBER, tolerance=0.1, unit="hours per week",
          hint="In the family table, change the role to \"billing_clerks\" (keep the preset admin_automation) "
               "and read hours_after on the AI oversight row.",
          explanation="Billing clerks' coding, billing and insurance work is largely automated in this preset, "
                      "and with an oversight ratio of 0.5 half of every automated hour comes back to them as review: "
                      "a growing part of their week is checking what the AI did.")
def _billing_oversight_hours():
    week = lessons.family_hours(model.simulate(model.Scenario.from_preset("admin_automation")), "billing_clerks")
    return float(week.set_index("family").hours_after["ai_oversight"])


@question("ch04.hospital_team_fte", NUMBER, tolerance=0.5, unit="FTE",
          hint="Run the preset admin_automation with org=\"community_hospital\" and read oversight_team_fte "
               "in result.org.",
          explanation="In a 1,000-person hospital, pooling every role's review hours into 40-hour jobs gives a team "
                      "of this size (assumption A11). It is work the automation creates, not work it removes.")
def _hospital_team_fte():
    result = model.simulate(model.Scenario.from_preset("admin_automation", org="community_hospital"))
    return float(result.org["oversight_team_fte"])


@question("ch04.admin_not_remote", CHOICE,
          hint="The kit has four administrative roles (see kit.load_roles(), group 'Administrative'); "
               "the remote-capable table lists only some of them. Which one is missing?",
          explanation="Receptionists work with the public in person (an O*NET work activity rated very important), "
                      "so the Dingel & Neiman rule of assumption A07 marks them as not remote-capable: their "
                      "curation work stays at the front desk.")
def _admin_not_remote():
    roles = data.load_roles()
    missing = roles[(roles.group == "Administrative") & ~roles.remote_capable].role_id
    return missing.iloc[0]


@question("ch04.half_fix_ratio", NUMBER, tolerance=0.01, unit="hours of review per automated hour",
          hint="Run lessons.coding_accuracy_whatif(fix_time=0.5) and read oversight_ratio on the ICD-10-CM row "
               "of Soroush et al.; or compute check_time + (1 - accuracy) x fix_time by hand.",
          explanation="Even if fixing a wrong code took only half the time of coding it by hand, a 33.9% exact-match "
                      "rate leaves an oversight ratio above 0.5: review would still take back more than half of "
                      "every automated hour.")
def _half_fix_ratio():
    table = lessons.coding_accuracy_whatif(fix_time=0.5)
    row = table[table.study.str.startswith("Soroush") & (table.code_set == "ICD-10-CM")]
    return float(row.oversight_ratio.iloc[0])


# --------------------------------------------------------------------------- chapter 05

@question("ch05.hospital_released_fte", NUMBER, tolerance=0.5, unit="FTE",
          hint="In the ledger cell, change org=\"primary_care_group\" to org=\"community_hospital\" (keep the preset "
               "cost_cutting) and read the fte column on the released row.",
          explanation="Cost-cutting releases most freed hours as fewer paid hours. In the 1,000-person hospital "
                      "that is this many full-time jobs' worth of paid time (40-hour weeks, assumption A01).")
def _hospital_released_fte():
    result = model.simulate(model.Scenario.from_preset("cost_cutting", org="community_hospital"))
    return float(lessons.reinvestment_ledger(result).set_index("use").fte["released"])


@question("ch05.pilot_trial_ratio", NUMBER, tolerance=0.1, unit="times",
          hint="In the pilot-versus-trial table, divide the freed hours of the pilot row by those of the trial row.",
          explanation="The pilot reports imply about four times the saving the randomized trial measured. Both presets "
                      "are calibrated to published figures; which one goes into a budget changes the answer by that "
                      "factor.")
def _pilot_trial_ratio():
    freed = [model.simulate(model.Scenario.from_preset(p)).org["freed"] for p in ("scribes_pilot", "scribes_trial")]
    return float(freed[0] / freed[1])


@question("ch05.trial_pajama_cut", NUMBER, tolerance=0.05, unit="hours per week",
          hint="In the pajama-time cell, change the preset to \"scribes_trial\" and read the family physicians' "
               "row: pajama time before minus after.",
          explanation="The trial-calibrated preset trims less than an hour of after-hours charting a week, "
                      "the same order as the 0.90 h/week Olson et al. (2025) measured, and far below what the pilot "
                      "reports suggest.")
def _trial_pajama_cut():
    roles = model.simulate(model.Scenario.from_preset("scribes_trial")).roles.set_index("role_id")
    return float(roles.pajama_before["family_medicine_physicians"] - roles.pajama_after["family_medicine_physicians"])


@question("ch05.unpaid_presence_value", NUMBER, tolerance=500, unit="US dollars per year",
          hint="Run the ledger for the preset empathy_first with org=\"community_hospital\" and read "
               "wage_value_per_year on the presence row.",
          explanation="Under premise P1 (fee-for-service) these paid hours of presence bring in no extra billing: "
                      "the hospital pays for them out of what automation saved. Under value-based care (premise P2) "
                      "they are an investment whose return depends on outcomes the kit cannot measure.")
def _unpaid_presence_value():
    result = model.simulate(model.Scenario.from_preset("empathy_first", org="community_hospital"))
    return float(lessons.reinvestment_ledger(result).set_index("use").wage_value_per_year["presence"])


# --------------------------------------------------------------------------- chapter 06

def _example_result(preset: str) -> model.Result:
    org = organization_file.read_organization(data.datasets_dir() / Path(organization.EXAMPLE).name)
    return model.simulate(model.Scenario.from_preset(preset, org=org))


@question("ch06.most_hours_per_person", CHOICE,
          hint="With the preset cost_cutting, look at the released column of result.roles (hours per person per "
               "week, not FTE): which role's people each give up the most paid hours?",
          explanation="Per person, the role with the most exposed routine office work loses the most paid hours; "
                      "compare it with the role that releases the most FTE in total, where headcount decides.")
def _most_hours_per_person():
    roles = _example_result("cost_cutting").roles
    return roles.loc[roles.released.idxmax(), "role_id"]


@question("ch06.example_released_fte", NUMBER, tolerance=0.1, unit="FTE",
          hint="Set the preset to \"cost_cutting\" in the scenario cell, run the cells below it, and read "
               "released_fte in result.org.",
          explanation="Cost-cutting turns most freed hours into fewer paid hours; in a 46-person practice that is "
                      "a few full-time jobs' worth, spread over many people as shorter weeks or unfilled vacancies.")
def _example_released_fte():
    return float(_example_result("cost_cutting").org["released_fte"])


@question("ch06.example_most_released", CHOICE,
          hint="With the preset cost_cutting, look at the released_fte column of result.roles (or the role chart): "
               "which role gives up the most paid time in total?",
          explanation="The most FTE come from the role with many people and much exposed routine work, not "
                      "necessarily the role whose week shifts most per person.")
def _example_most_released():
    roles = _example_result("cost_cutting").roles
    return roles.loc[roles.released_fte.idxmax(), "role_id"]


from . import premium_checks  # noqa: E402, F401  (chapter 07's questions, registered after chapters 00-06)
