"""Scenario files: a scenario as a small versioned JSON file, written atomically and read back with
every problem listed (damaged file, newer format, values out of range); reading changes nothing."""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ._files import atomic_write, file_bytes
from .errors import DataError, quoted
from .model import OVERSIGHT_FAMILY, Organization, Scenario, _plain, structure
from .organization import DEFAULT_NAME, organization_from_frame

SCENARIO_FORMAT = "empathy-premium-scenario"
SCENARIO_VERSION = 2             # bump when the file layout changes; older files stay readable
# Format 2 (issue 12): automation values may be {role or group: rate}, oversight_ratio may be
# {family: ratio}, and the fields below are written. A format-1 file has none of them and is read
# with their defaults, which is exactly what it meant when it was saved (`migrate`).
FORMAT_2_FIELDS = {"reviewers": None, "max_time_saved": None, "pajama_pass_through": None}
# Version 1 files (before the measured baseline, issue 11) were made on the O*NET job description.
BASELINE_OF_VERSION_1 = "onet"
MAX_SCENARIO_BYTES = 1_000_000   # a scenario file is a few kB; anything this big is not one


def scenario_to_dict(scenario: Scenario) -> dict:
    """The scenario as plain JSON-ready data (what `save_scenario` writes)."""
    if not isinstance(scenario, Scenario):
        raise DataError([f"{type(scenario).__name__} is not a kit.Scenario; build one with kit.Scenario(...)"],
                        source="scenario")
    org = scenario.org
    if isinstance(org, Organization):
        roles = []
        for i, role in enumerate(org.role_ids):
            shares = org.shares[i] if org.shares is not None else None
            if shares is not None:
                shares = {f: s for f, s in zip(structure().families, shares) if f != OVERSIGHT_FAMILY}
            roles.append({"role_id": role, "headcount": org.headcount[i], "weekly_hours": org.weekly_hours[i],
                          "shares": shares})
        org = {"name": org.name, "roles": roles}
    return {
        "format": SCENARIO_FORMAT,
        "format_version": SCENARIO_VERSION,
        "automation": _plain(scenario.automation),
        "oversight_ratio": (dict(scenario.oversight_ratio) if isinstance(scenario.oversight_ratio, Mapping)
                            else scenario.oversight_ratio),
        "reinvestment": dict(scenario.reinvestment),
        "org": org,
        **{k: _plain(getattr(scenario, k)) for k in FORMAT_2_FIELDS},
        "baseline": scenario.baseline,
    }


def migrate(content: dict) -> dict:
    """A scenario file's content in the current format: a format-1 file gets the format-2 fields
    at their defaults (role-wide tools, review pooled as before, labels read as beta, pajama time
    in proportion to the documentation cut) and the O*NET baseline it was made on, so it gives the
    numbers it gave when it was saved."""
    if content.get("format_version") == 1:
        added = (*FORMAT_2_FIELDS, "baseline")
        extra = [k for k in added if k in content]
        if extra:
            verb = "is not a field" if len(extra) == 1 else "are not fields"
            raise DataError([f"{', '.join(map(repr, extra))} {verb} of a format-1 scenario file; the file is "
                             f"damaged (format 2 added {', '.join(added)})"], source="scenario")
        content = {**content, **FORMAT_2_FIELDS, "baseline": BASELINE_OF_VERSION_1,
                   "format_version": SCENARIO_VERSION}
    return content


def scenario_to_json(scenario: Scenario) -> str:
    """The scenario as the text of a scenario file (exact: floats are written in full).

    It is read back before it is returned, so the kit never writes a file it would refuse to load
    (an organization named '<b>x</b>', say, gets its message now rather than at load time)."""
    content = scenario_to_dict(scenario)
    scenario_from_dict(content, source="scenario")
    return json.dumps(content, indent=2, allow_nan=False) + "\n"


def save_scenario(scenario: Scenario, path: str | os.PathLike) -> Path:
    """Write the scenario to a JSON file (replaced atomically) and return its path."""
    return atomic_write(path, scenario_to_json(scenario))


def load_scenario(source: str | os.PathLike | bytes) -> Scenario:
    """Read a scenario file: a path, or the file's bytes (e.g. from an upload widget).

    Raises `kit.DataError` listing every problem (damaged file, newer format, values out of range);
    it never changes anything, so the scenario a learner had stays as it was.
    """
    label, raw = _scenario_bytes(source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(["the file is not UTF-8 text, so it is not a scenario file saved by the kit"],
                        source=label) from None
    return scenario_from_json(text, source=label)


def scenario_from_json(text: str, source: str = "scenario file") -> Scenario:
    """Build a Scenario from the text of a scenario file; `kit.DataError` lists every problem."""
    try:
        content = json.loads(text)
    except RecursionError:
        raise DataError(["the file is damaged: its JSON is nested thousands of levels deep, which no scenario "
                         "file is"], source=source) from None
    except ValueError as exc:
        where = (f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "")
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise DataError([f"the file is damaged: it is not valid JSON ({reason}{where}); "
                         "save the scenario again or fix the file"], source=source) from None
    return scenario_from_dict(content, source=source)


def scenario_from_dict(content: object, source: str = "scenario") -> Scenario:
    """Build a Scenario from `scenario_to_dict` data, checking every field and listing every problem."""
    if not isinstance(content, dict):
        raise DataError([f"the file holds a JSON {_json_type(content)}, not a scenario "
                         "(a scenario file is a JSON object with format, format_version, automation, ...)"],
                        source=source)
    if content.get("format") != SCENARIO_FORMAT:
        raise DataError([f"this is not a scenario file saved by the kit: its 'format' is "
                         f"{quoted(content.get('format'))}, expected {SCENARIO_FORMAT!r}"], source=source)
    version = content.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DataError([f"format_version: {quoted(version)} is not a version number; the file is damaged "
                         f"(this kit writes format_version {SCENARIO_VERSION})"], source=source)
    if version > SCENARIO_VERSION:
        raise DataError([f"this file was saved by a newer version of the kit (scenario format {version}); "
                         f"this kit reads format {SCENARIO_VERSION} and older. Update the kit to open it"],
                        source=source)
    try:
        content = migrate(content)
    except DataError as exc:
        raise DataError(exc.problems, source=source) from None
    problems = []
    known = {"format", "format_version", "automation", "oversight_ratio", "reinvestment", "org", "baseline",
             *FORMAT_2_FIELDS}
    problems += [f"{quoted(k)} is not a field of a scenario file; remove it (the fields are: "
                 f"{', '.join(sorted(known))})" for k in content if k not in known]
    required = ("automation", "oversight_ratio", "reinvestment", "org", *FORMAT_2_FIELDS)
    missing = [k for k in required if k not in content]
    problems += [f"{k} is missing; the file is damaged or was not saved by the kit" for k in missing]

    fields = {}
    if "automation" in content:
        automation = content["automation"]
        if isinstance(automation, dict):
            for family, rate in automation.items():
                problems += _field_problems(automation={family: rate})
            fields["automation"] = automation
        else:
            problems += _field_problems(automation=automation)
    for name in ("oversight_ratio", "reinvestment", *FORMAT_2_FIELDS):
        if name in content:
            problems += _field_problems(**{name: content[name]})
            fields[name] = content[name]
    if "org" in content:
        org, org_problems = _org_from_json(content["org"])
        problems += org_problems
        fields["org"] = org
    baseline = content.get("baseline", BASELINE_OF_VERSION_1 if version == 1 else None)
    if version >= 2 and "baseline" not in content:
        problems.append("baseline is missing; the file is damaged or was not saved by the kit")
    elif baseline is not None:
        problems += _field_problems(baseline=baseline)
        fields["baseline"] = baseline
    if problems:
        raise DataError(problems, source=source)
    return Scenario(**fields)


def _field_problems(**field) -> list[str]:
    """The model's own message for one field, so ranges are written once (in kit.model)."""
    try:
        Scenario(**field)
    except ValueError as exc:
        return [str(exc)]
    return []


def _org_from_json(org):
    if isinstance(org, str):
        return org, _field_problems(org=org)
    if not isinstance(org, dict) or not isinstance(org.get("roles"), list):
        return None, [f"org: {quoted(org)} is neither an organization profile id (such as 'us_workforce') "
                      "nor an organization {'name': ..., 'roles': [...]}"]
    unknown = [k for k in org if k not in ("name", "roles")]
    if unknown:
        return None, [f"org: {quoted(unknown[0])} is not a field of an organization (the fields are name and roles)"]
    rows = org["roles"]
    bad = [i for i, r in enumerate(rows)
           if not isinstance(r, dict) or not isinstance(r.get("shares"), (dict, type(None)))]
    if bad:
        return None, [f"org: roles[{bad[0]}] is not {{'role_id': ..., 'headcount': ..., 'weekly_hours': ..., "
                      "'shares': null or {family: share}}"]
    families = set(structure().families)
    foreign = [(i, k) for i, r in enumerate(rows) for k in (r.get("shares") or {}) if k not in families]
    if foreign:
        i, key = foreign[0]
        return None, [f"org: roles[{i}].shares: {quoted(key)} is not a task family (a role's shares are keyed by "
                      "the families of kit.load_task_families(); its role_id, headcount and weekly_hours sit beside "
                      "them)"]
    table = pd.DataFrame([{k: v for k, v in r.items() if k != "shares"} | (r.get("shares") or {}) for r in rows],
                         index=[f"roles[{i}]" for i in range(len(rows))], dtype=object)
    try:
        # exactly the organization that was saved: a scenario file keeps roles at 0 people
        return organization_from_frame(table, org.get("name", DEFAULT_NAME)), []
    except DataError as exc:
        return None, [f"org: {p}" for p in exc.problems]


def _scenario_bytes(source) -> tuple[str, bytes]:
    label, raw = file_bytes(source, limit=MAX_SCENARIO_BYTES, kind="a scenario file", upload_label="scenario file",
                            too_big=_too_big)
    if not raw.strip():
        raise DataError(["the file is empty; save a scenario with kit.save_scenario(scenario, path)"], source=label)
    return label, raw


def _too_big(size: int) -> str:
    return f"the file is {size:,} bytes; a scenario file is at most {MAX_SCENARIO_BYTES:,} bytes, so this is not one"


def _json_type(value) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "true/false"}.get(type(value), "null")
