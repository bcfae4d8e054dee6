"""Old home of scenario files and organization tables, kept so that old import paths work for one
release (see CHANGELOG.md). The code now lives in kit.scenario_file (scenario files),
kit.organization (the organization table's validator), kit.organization_file (reading a CSV file)
and kit._files (capped reads, encodings, CSV dialects, atomic writes)."""
from ._files import atomic_write
from .organization import (
    DEFAULT_NAME,
    EXAMPLE,
    HOURS_IN_A_WEEK,
    MAX_COLUMNS,
    MAX_HEADCOUNT,
    MAX_NAME_LENGTH,
    MAX_PROBLEMS,
    MAX_ROWS,
    ROLE_COLUMNS,
    SHARE_ROUNDING,
    TEMPLATE,
    template_table,
)
from .organization_file import MAX_FILE_BYTES, read_organization
from .scenario_file import (
    MAX_SCENARIO_BYTES,
    SCENARIO_FORMAT,
    SCENARIO_VERSION,
    load_scenario,
    save_scenario,
    scenario_from_dict,
    scenario_from_json,
    scenario_to_dict,
    scenario_to_json,
)

__all__ = [
    "DEFAULT_NAME", "EXAMPLE", "HOURS_IN_A_WEEK", "MAX_COLUMNS", "MAX_FILE_BYTES", "MAX_HEADCOUNT", "MAX_NAME_LENGTH",
    "MAX_PROBLEMS", "MAX_ROWS", "MAX_SCENARIO_BYTES", "ROLE_COLUMNS", "SCENARIO_FORMAT", "SCENARIO_VERSION",
    "SHARE_ROUNDING", "TEMPLATE", "atomic_write", "load_scenario", "read_organization", "save_scenario",
    "scenario_from_dict", "scenario_from_json", "scenario_to_dict", "scenario_to_json", "template_table",
]
