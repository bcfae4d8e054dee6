"""Load and validate the kit's curated tables; the one place that knows where datasets/ is.

Every loader returns a fresh copy of a cached, validated pandas DataFrame, so a learner who edits
a table in a notebook cannot change what the model sees. Validation follows the field types and
constraints declared in datasets/datapackage.json (the same file the tests check with
frictionless), so the schema is written once.
"""
from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pandas as pd

from . import _tableschema
from .errors import DataError

TABLES = ("roles", "tasks", "task_families", "presets", "org_profiles", "time_use_benchmarks", "measured_targets",
          "measured_headcounts", "assumptions", "wages", "coding_accuracy", "session_plans", "role_groups",
          "review_by_family", "preset_targets", "predictions")
WEIGHT_TOLERANCE = 1e-4  # task weights are rounded to 6 decimals, so a role's sum can be off by ~1e-5


def datasets_dir() -> Path:
    """Where the curated tables live: $KIT_DATASETS_DIR, else the datasets/ folder of this checkout."""
    folder = Path(os.environ.get("KIT_DATASETS_DIR") or Path(__file__).resolve().parent.parent / "datasets")
    if not (folder / "datapackage.json").is_file():
        raise FileNotFoundError(
            f"The kit's datasets were not found in {folder}. Install the kit from its folder with "
            "`make lab` or `pip install -e .` (the datasets stay in the project's datasets/ folder), "
            "or set KIT_DATASETS_DIR to the folder that holds datapackage.json.")
    return folder


@functools.lru_cache(maxsize=1)
def datapackage() -> dict:
    """The parsed datasets/datapackage.json."""
    return json.loads((datasets_dir() / "datapackage.json").read_text(encoding="utf-8"))


def schema(name: str) -> dict:
    """The Table Schema of one table, from datapackage.json."""
    for resource in datapackage()["resources"]:
        if resource["name"] == name:
            return resource["schema"]
    raise ValueError(f"unknown table {name!r}; the kit's tables are: {', '.join(TABLES)}")


def load_roles() -> pd.DataFrame:
    """Roles (occupations): codes, US employment and wages, moat attributes and AI exposure."""
    return _validated("roles").copy()


def load_tasks() -> pd.DataFrame:
    """O*NET tasks of every role with time weight, exposure, task family and mode."""
    return _validated("tasks").copy()


def load_task_families() -> pd.DataFrame:
    """Task families with their mode, example AI tools and slider label."""
    return _validated("task_families").copy()


def load_presets() -> pd.DataFrame:
    """Named scenarios, one row per parameter with its basis and source."""
    return _validated("presets").copy()


def load_org_profiles() -> pd.DataFrame:
    """Headcount and weekly hours per role for the US workforce and illustrative organizations."""
    return _validated("org_profiles").copy()


def load_time_use_benchmarks() -> pd.DataFrame:
    """Published time-use figures (EHR logs, time-motion studies, surveys) the measured baseline is
    reconciled with or checked against, each with its population, year, method and source."""
    return _validated("time_use_benchmarks").copy()


def load_measured_targets() -> pd.DataFrame:
    """The time-use targets the measured baseline reconciles each role's task-family shares with."""
    return _validated("measured_targets").copy()


def load_measured_headcounts() -> pd.DataFrame:
    """Health-care-sector (NAICS 62) headcounts the measured baseline uses for the US profile and
    the community hospital."""
    return _validated("measured_headcounts").copy()


def load_assumptions() -> pd.DataFrame:
    """Every teaching assumption the kit makes, with its reasoning."""
    return _validated("assumptions").copy()


def load_wages() -> pd.DataFrame:
    """BLS OEWS employment and wages by role, May 2013-2024, one row per role, year and OEWS code,
    with the SOC mapping, BLS's top-code and suppression flags, and each number's source row."""
    return _validated("wages").copy()


def load_coding_accuracy() -> pd.DataFrame:
    """Published accuracy of GPT-4 on medical coding (two studies), with each figure's source."""
    return _validated("coding_accuracy").copy()


def load_session_plans() -> pd.DataFrame:
    """The facilitator's 60- and 90-minute session plans, one row per segment (editable)."""
    return _validated("session_plans").copy()


def load_role_groups() -> pd.DataFrame:
    """Named groups of roles (all physicians, say) that a tool can be adopted by (kit.adoption)."""
    return _validated("role_groups").copy()


def load_review_by_family() -> pd.DataFrame:
    """Per task family, who reviews AI output and how many hours of review an automated hour needs
    (kit.review)."""
    return _validated("review_by_family").copy()


def load_preset_targets() -> pd.DataFrame:
    """What each calibrated preset names, in its source's unit and population, with comparators
    (kit.adoption.preset_delivery sets them beside what the preset delivers)."""
    return _validated("preset_targets").copy()


def load_predictions() -> pd.DataFrame:
    """The predict-then-reveal questions (kit.predict): a starting scenario, a move and what to watch."""
    return _validated("predictions").copy()


def _document_loaders() -> None:
    """Give each loader's docstring the table's title, description and columns (type and unit) from
    datapackage.json, so `help(kit.load_roles)` says what every column holds and cannot drift."""
    try:
        resources = {r["name"]: r for r in datapackage()["resources"]}
    except (OSError, ValueError):  # no datasets folder (yet): the loaders keep their first line
        return
    for name in TABLES:
        loader, resource = globals()[f"load_{name}"], resources.get(name)
        if resource is None or "Columns:" in (loader.__doc__ or ""):
            continue
        columns = "\n".join(f"- {f['name']} ({f['type']}{', ' + f['unit'] if f.get('unit') else ''}): "
                            f"{f.get('description', '')}" for f in resource["schema"]["fields"])
        loader.__doc__ = (f"{loader.__doc__}\n\n{resource['title']} (datasets/{resource['path']}). "
                          f"{resource['description']}\n\nColumns:\n{columns}\n")


# --------------------------------------------------------------------------- internals

_PANDAS_TYPES = {"string": "str", "integer": "Int64", "number": "float64", "boolean": "boolean"}


@functools.cache
def _validated(name: str) -> pd.DataFrame:
    table = _read(name)
    problems = _schema_problems(table, name)
    problems += _cross_table_problems(table, name) if not problems else []
    if problems:
        raise DataError(problems, source=f"datasets/{name}.csv is damaged")
    return table


def _read(name: str) -> pd.DataFrame:
    path = datasets_dir() / f"{name}.csv"
    fields = schema(name)["fields"]
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataError([f"{path.name} is missing from {path.parent}"], source=f"datasets/{name}.csv") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError([f"{path.name} cannot be read as UTF-8 CSV: {exc}"], source=f"datasets/{name}.csv") from None
    expected = [f["name"] for f in fields]
    if list(table.columns) != expected:
        missing = [c for c in expected if c not in table.columns]
        extra = [c for c in table.columns if c not in expected]
        raise DataError([f"{path.name}: columns differ from datapackage.json "
                         f"(missing: {missing or 'none'}; unexpected: {extra or 'none'})"],
                        source=f"datasets/{name}.csv")
    problems = []
    for field in fields:
        column, kind = field["name"], field["type"]
        raw = table[column]
        if kind == "string":
            table[column] = raw.astype("str").where(raw != "", None) if not _required(field) else raw
            continue
        if kind == "boolean":
            converted = raw.map({"True": True, "False": False, "true": True, "false": False, "": pd.NA})
        else:
            converted = pd.to_numeric(raw.where(raw != "", None), errors="coerce")
        bad = converted.isna() & (raw != "")
        problems += [f"{path.name}, row {i + 2}, {column}: {raw[i]!r} is not a valid {kind}" for i in bad[bad].index]
        if not bad.any():
            dtype = _PANDAS_TYPES[kind]
            if _required(field) and not converted.isna().any():
                dtype = {"Int64": "int64", "boolean": "bool"}.get(dtype, dtype)
            table[column] = converted.astype(dtype)
    if problems:
        raise DataError(problems, source=f"datasets/{name}.csv is damaged")
    return table


def _required(field: dict) -> bool:
    return field.get("constraints", {}).get("required", False)


def _schema_problems(table: pd.DataFrame, name: str) -> list[str]:
    """Check the datapackage constraints with pandera and describe each failure by row and column."""
    import pandera.pandas as pa  # imported here: validation runs once per session, `import kit` stays fast

    columns = {}
    for field in schema(name)["fields"]:
        c = field.get("constraints", {})
        checks = []
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"], error=f"is below the minimum {c['minimum']}"))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"], error=f"is above the maximum {c['maximum']}"))
        if "enum" in c:
            checks.append(pa.Check.isin(c["enum"], error=f"is not one of {', '.join(map(str, c['enum']))}"))
        if "pattern" in c:
            checks.append(pa.Check.str_matches(c["pattern"], error=f"does not match the pattern {c['pattern']}"))
        columns[field["name"]] = pa.Column(nullable=not c.get("required", False), unique=c.get("unique", False),
                                           checks=checks, coerce=False)
    primary = schema(name).get("primaryKey")
    pa_schema = pa.DataFrameSchema(columns, unique=primary if primary and len(primary) > 1 else None)
    filename = f"{name}.csv"

    def describe(column, index, check, value):
        row = f"row {int(index) + 2}, " if index is not None else ""
        if check == "not_nullable":
            what = "is empty but is required"
        elif check in ("field_uniqueness", "multiple_fields_uniqueness"):
            what = "is repeated but must be unique"
        else:
            what = check
        column = column if isinstance(column, str) else "row"
        return f"{filename}, {row}{column}: {value!r} {what}"

    return _tableschema.sentences(_tableschema.failures(pa_schema, table), describe)


def _cross_table_problems(table: pd.DataFrame, name: str) -> list[str]:
    """Links between tables and sums the schema cannot express."""
    problems = []
    if name == "tasks":
        roles = set(_validated("roles").role_id)
        families = set(_validated("task_families").family)
        for i in table.index[~table.role_id.isin(roles)]:
            problems.append(f"tasks.csv, row {i + 2}, role_id: {table.role_id[i]!r} is not a role in roles.csv")
        for i in table.index[~table.family.isin(families)]:
            problems.append(f"tasks.csv, row {i + 2}, family: {table.family[i]!r} is not in task_families.csv")
        sums = table.groupby("role_id").weight.sum()
        for role, total in sums[(sums - 1).abs() > WEIGHT_TOLERANCE].items():
            problems.append(f"tasks.csv, role {role}: task weights sum to {total:.6f}, not 1")
        missing = roles - set(sums.index)
        problems += [f"tasks.csv: role {r} has no tasks" for r in sorted(missing)]
    if name in ("measured_targets", "measured_headcounts"):
        roles = set(_validated("roles").role_id)
        for i in table.index[~table.role_id.isin(roles)]:
            problems.append(f"{name}.csv, row {i + 2}, role_id: {table.role_id[i]!r} is not a role in roles.csv")
    if name == "measured_targets":
        families = set(_validated("task_families").family)
        for i, group in zip(table.index, table.families):
            unknown = sorted(set(group.split(";")) - families)
            if unknown:
                problems.append(f"measured_targets.csv, row {i + 2}, families: {unknown} not in task_families.csv")
        totals = table.groupby("role_id").share.sum()
        for role, total in totals[totals > 1 + WEIGHT_TOLERANCE].items():
            problems.append(f"measured_targets.csv, role {role}: targets add up to {total:.4f}, more than the week")
    if name == "tasks" and "weight_clean" in table:
        sums = table.groupby("role_id").weight_clean.sum()
        for role, total in sums[(sums - 1).abs() > WEIGHT_TOLERANCE].items():
            problems.append(f"tasks.csv, role {role}: clean task weights sum to {total:.6f}, not 1")
    if name == "org_profiles":
        roles = set(_validated("roles").role_id)
        for i in table.index[~table.role_id.isin(roles)]:
            problems.append(f"org_profiles.csv, row {i + 2}, role_id: {table.role_id[i]!r} is not a role in roles.csv")
    return problems


_document_loaders()
