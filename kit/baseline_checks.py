"""Chapter 01's self-check on the two baselines (registered on import, like kit.premium_checks)."""
from __future__ import annotations

from . import baseline
from .checks import NUMBER, question


@question("ch01.clock_ehr_gap", NUMBER, tolerance=1.0, unit="percentage points",
          hint="In the table under the job-description-against-clock chart, add the family physicians' "
               "'EHR & desk work' and 'Inbox & patient messages' rows for each column, then subtract the job "
               "description's total from the clock's. Answer in percentage points.",
          explanation="O*NET lists what a job involves, not how long each part takes, and it has no task for "
                      "the inbox at all: the EHR logs and time-motion studies find about twice the EHR and desk "
                      "work the task weights imply. Every automation figure in the later chapters starts from "
                      "the clock's week.")
def _clock_ehr_gap():
    table = baseline.clock_table(["family_medicine_physicians"])
    ehr = table[table.kind.isin(baseline.EHR_KINDS)][["job_description", "clock"]].sum()
    return 100 * (ehr.clock - ehr.job_description)
