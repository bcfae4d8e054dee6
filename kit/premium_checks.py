"""Chapter 07's self-checks (the empathy premium on trial), registered with kit.checks.question.

Kept beside kit.premium rather than in kit/checks.py so the chapter's questions live with the
statistics they ask about; `import kit` registers them. Every right answer is computed from the
wage table when the check runs.
"""
from __future__ import annotations

from . import premium
from .checks import CHOICE, NUMBER, question


def _test(question_text: str, start: int, end: int):
    return premium.premium_tests(start, end).set_index("question").loc[question_text]


@question("ch07.partial_r_decade", NUMBER, tolerance=0.01,
          hint="Run kit.premium.premium_tests(2013, 2024) and read r on the row 'median wage growth vs moat "
               "score, starting wage held fixed'.",
          explanation="Over the longer period the partial correlation is larger, but read its interval too: "
                      "with this few comparable roles it still reaches from about zero to strong, and the "
                      "period mixes the SOC 2010 and SOC 2018 codes.")
def _partial_r_decade():
    return float(_test("median wage growth vs moat score, starting wage held fixed", 2013, 2024).r)


@question("ch07.transcriptionist_jobs_lost", NUMBER, tolerance=10, unit="jobs",
          hint="In kit.premium.growth_table(), take the medical_transcriptionists row: employment_start minus "
               "employment_end.",
          explanation="The one occupation in the table whose work is typing up dictation lost more jobs than "
                      "many kit roles employ; the kit's roles themselves show no such drop yet.")
def _transcriptionist_jobs_lost():
    row = premium.growth_table().set_index("role_id").loc["medical_transcriptionists"]
    return float(row.employment_start - row.employment_end)


@question("ch07.stronger_signal", CHOICE, options=("moat score", "starting wage"),
          hint="Compare the size of r (ignore its sign) on the moat row and the starting-wage row of "
               "kit.premium.premium_tests().",
          explanation="The starting wage: lower-paid roles got larger raises, whatever their moat. Any "
                      "premium for presence has to show up after that pay compression is held fixed.")
def _stronger_signal():
    tests = premium.premium_tests().set_index("question").r.abs()
    moat = tests["median wage growth vs moat score"]
    start = tests["median wage growth vs starting median wage (log)"]
    return "starting wage" if start > moat else "moat score"


@question("ch07.roles_left_out", NUMBER, tolerance=0, unit="roles",
          hint="Count the kit roles whose median_wage_missing is not empty in kit.premium.growth_table() "
               "(kit_role is True).",
          explanation="They are all physicians and surgeons: BLS prints # for a wage at or above its top-code, "
                      "so their growth cannot be computed, and the kit does not guess it.")
def _roles_left_out():
    table = premium.growth_table()
    return int((table.kit_role & (table.median_wage_missing != "")).sum())
