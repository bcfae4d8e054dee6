"""The Empathy Premium teaching kit: how AI automation of healthcare's paperwork moves each role's
week from execution to curation and presence, on real occupational data.

Start with `kit.simulate(kit.Scenario(automation={"clinical_documentation": 0.5}))`.
"""
import sys

# jsonschema (imported by altair) loads rfc3987_syntax when it is installed, and that package builds
# a parser for about a second at import. The kit never validates IRIs, so skipping it makes a
# learner's kernel start twice as fast; jsonschema treats the module as optional.
sys.modules.setdefault("rfc3987_syntax", None)

from .checks import check  # noqa: E402  (after the line above, on purpose)
from .data import (load_assumptions, load_org_profiles, load_presets, load_roles, load_task_families,
                   load_tasks, load_wages)
from .errors import DataError
from .model import MODES, Organization, Result, Scenario, automatable_families, org_names, preset_names, simulate
from .scenarios import load_scenario, read_organization, save_scenario
from .exports import save_chart, save_results_csv, save_summary_html
from . import charts, lessons, sensitivity, widgets
from . import premium, premium_charts, premium_checks  # noqa: F401  (premium_checks registers ch07)
from .charts import PALETTE, table
from .widgets import explore
from .display import show
from .scenario_codes import open_code, share_code
from . import progress
from .predictions import predict
from .progress import check, export_progress, note  # noqa: F811  (kit.check also records each attempt)
from .worksheets import worksheet
from .quizzes import quiz

__version__ = "0.1.0"

__all__ = [
    "DataError", "MODES", "check", "Organization", "Result", "Scenario", "automatable_families", "load_assumptions",
    "load_org_profiles", "load_presets", "load_roles", "load_task_families", "load_tasks", "load_wages",
    "org_names", "preset_names", "simulate",
    "load_scenario", "read_organization", "save_scenario", "save_chart", "save_results_csv", "save_summary_html",
    "PALETTE", "charts", "explore", "lessons", "premium", "premium_charts", "sensitivity", "table", "widgets",
    "show",
]
__all__ += ["open_code", "share_code", "predict", "progress", "note", "export_progress", "worksheet", "quiz"]
