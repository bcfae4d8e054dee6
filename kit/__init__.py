"""The Empathy Premium teaching kit: how AI automation of healthcare's paperwork moves each role's
week from execution to curation and presence, on real occupational data.

Start with `kit.simulate(kit.Scenario(automation={"clinical_documentation": 0.5}))`.
"""
import sys as _sys

# jsonschema (imported by altair) loads rfc3987_syntax when it is installed, and that package builds
# a parser for about a second at import. The kit never validates IRIs, so skipping it makes a
# learner's kernel start twice as fast; jsonschema treats the module as optional.
_sys.modules.setdefault("rfc3987_syntax", None)

# The imports come after the line above, on purpose (E402 is allowed in this file only).
from . import (  # noqa: F401 (questions and baseline_checks register the self-checks)
    baseline,
    baseline_charts,
    baseline_checks,
    charts,
    lessons,
    premium,
    premium_charts,
    questions,
    sensitivity,
    widgets,
)
from ._version import __version__ as __version__
from .charts import PALETTE, table
from .data import (
    load_assumptions,
    load_org_profiles,
    load_presets,
    load_roles,
    load_task_families,
    load_tasks,
    load_wages,
)
from .display import show
from .errors import DataError
from .exports import save_chart, save_results_csv, save_summary_html
from .model import MODES, Organization, Result, Scenario, automatable_families, org_names, preset_names, simulate
from .organization_file import read_organization
from .prediction_card import predict
from .progress import check, export_progress, note, save_progress  # kit.check records each attempt in the progress file
from .quiz_form import quiz
from .scenario_codes import open_code, share_code
from .scenario_file import load_scenario, save_scenario
from .widgets import explore
from .worksheets import worksheet

__all__ = [
    "DataError", "MODES", "check", "Organization", "Result", "Scenario", "automatable_families", "load_assumptions",
    "load_org_profiles", "load_presets", "load_roles", "load_task_families", "load_tasks", "load_wages",
    "org_names", "preset_names", "simulate",
    "load_scenario", "read_organization", "save_scenario", "save_chart", "save_results_csv", "save_summary_html",
    "PALETTE", "explore", "table", "show",
    # the kit's modules
    "adoption", "baseline", "baseline_charts", "baseline_checks", "charts", "checks", "data", "display", "errors",
    "exports", "facilitator", "fonts", "lessons", "model", "organization", "organization_file", "premium",
    "premium_charts", "premium_checks", "questions", "review", "scenario_file", "scenarios", "sensitivity", "widgets",
    "words",
]
# the course loop (issue 16): scenario codes, predict-then-reveal, progress file, worksheet, quiz
__all__ += ["open_code", "share_code", "predict", "note", "export_progress", "save_progress", "worksheet", "quiz",
            "classroom",
            "code_box", "prediction_card", "predictions", "progress", "quiz_form", "quizzes", "scenario_codes",
            "worksheets"]
