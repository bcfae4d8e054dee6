"""A learner's own data in and out: scenario files (small versioned JSON) and organization tables.

Nothing here changes what is already loaded: readers build new objects or raise `kit.DataError`
listing every problem in plain language; writers replace a file atomically (a temporary file in
the same folder, then a rename), so a crash never leaves half a file behind.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .errors import DataError
from .model import OVERSIGHT_FAMILY, Organization, Scenario, structure

SCENARIO_FORMAT = "empathy-premium-scenario"
SCENARIO_VERSION = 1             # bump when the file layout changes; older files stay readable
MAX_SCENARIO_BYTES = 1_000_000   # a scenario file is a few kB; anything this big is not one


# --------------------------------------------------------------------------- scenario files

def scenario_to_dict(scenario: Scenario) -> dict:
    """The scenario as plain JSON-ready data (what `save_scenario` writes)."""
    if not isinstance(scenario, Scenario):
        raise DataError([f"{type(scenario).__name__} is not a kit.Scenario; build one with kit.Scenario(...)"],
                        source="scenario")
    org = scenario.org
    if isinstance(org, Organization):
        families = [f for f in structure().families if f != OVERSIGHT_FAMILY]
        roles = []
        for i, role in enumerate(org.role_ids):
            row = {"role_id": role, "headcount": org.headcount[i], "weekly_hours": org.weekly_hours[i]}
            shares = org.shares[i] if org.shares is not None else None
            row["shares"] = None if shares is None else dict(zip(structure().families, shares))
            if row["shares"] is not None:
                row["shares"] = {f: row["shares"][f] for f in families}
            roles.append(row)
        org = {"name": org.name, "roles": roles}
    return {
        "format": SCENARIO_FORMAT,
        "format_version": SCENARIO_VERSION,
        "automation": dict(scenario.automation),
        "oversight_ratio": scenario.oversight_ratio,
        "reinvestment": dict(scenario.reinvestment),
        "org": org,
    }


def scenario_to_json(scenario: Scenario) -> str:
    """The scenario as the text of a scenario file (exact: floats are written in full)."""
    return json.dumps(scenario_to_dict(scenario), indent=2, allow_nan=False) + "\n"


def save_scenario(scenario: Scenario, path) -> Path:
    """Write the scenario to a JSON file (replaced atomically) and return its path."""
    return atomic_write(path, scenario_to_json(scenario))


def load_scenario(source) -> Scenario:
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
    except ValueError as exc:
        where = (f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "")
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise DataError([f"the file is damaged: it is not valid JSON ({reason}{where}); "
                         "save the scenario again or fix the file"], source=source) from None
    return scenario_from_dict(content, source=source)


def scenario_from_dict(content, source: str = "scenario") -> Scenario:
    """Build a Scenario from `scenario_to_dict` data, checking every field and listing every problem."""
    if not isinstance(content, dict):
        raise DataError([f"the file holds a JSON {_json_type(content)}, not a scenario "
                         "(a scenario file is a JSON object with format, format_version, automation, ...)"],
                        source=source)
    if content.get("format") != SCENARIO_FORMAT:
        raise DataError([f"this is not a scenario file saved by the kit: its 'format' is "
                         f"{_short(content.get('format'))}, expected {SCENARIO_FORMAT!r}"], source=source)
    version = content.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DataError([f"format_version: {_short(version)} is not a version number; the file is damaged "
                         f"(this kit writes format_version {SCENARIO_VERSION})"], source=source)
    if version > SCENARIO_VERSION:
        raise DataError([f"this file was saved by a newer version of the kit (scenario format {version}); "
                         f"this kit reads format {SCENARIO_VERSION} and older. Update the kit to open it"],
                        source=source)
    problems = []
    known = {"format", "format_version", "automation", "oversight_ratio", "reinvestment", "org"}
    problems += [f"{_short(k)} is not a field of a scenario file; remove it (the fields are: "
                 f"{', '.join(sorted(known))})" for k in content if k not in known]
    missing = [k for k in ("automation", "oversight_ratio", "reinvestment", "org") if k not in content]
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
    for name in ("oversight_ratio", "reinvestment"):
        if name in content:
            problems += _field_problems(**{name: content[name]})
            fields[name] = content[name]
    if "org" in content:
        org, org_problems = _org_from_json(content["org"])
        problems += org_problems
        fields["org"] = org
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
        return None, [f"org: {_short(org)} is neither an organization profile id (such as 'us_workforce') "
                      "nor an organization {'name': ..., 'roles': [...]}"]
    name = org.get("name", "custom organization")
    if not isinstance(name, str):
        return None, [f"org.name: {_short(name)} is not text"]
    try:
        return _organization_from_rows(org["roles"], name), []
    except DataError as exc:
        return None, [f"org: {p}" for p in exc.problems]


def _organization_from_rows(rows: list, name: str) -> Organization:
    import pandas as pd

    from .model import Organization

    problems = []
    if not all(isinstance(r, dict) for r in rows):
        raise DataError(["roles: every role must be an object {'role_id': ..., 'headcount': ..., 'weekly_hours': ...}"])
    table = pd.DataFrame([{k: v for k, v in r.items() if k != "shares"} for r in rows])
    for i, r in enumerate(rows):
        shares = r.get("shares")
        if isinstance(shares, dict):
            for family, share in shares.items():
                table.loc[i, family] = share
        elif shares is not None:
            problems.append(f"roles[{i}].shares: {_short(shares)} is not a mapping of task family to share")
    if problems:
        raise DataError(problems)
    try:
        return Organization.from_table(table, name=name)
    except ValueError as exc:
        raise DataError([str(exc).removeprefix("org: ")]) from None


def _scenario_bytes(source) -> tuple[str, bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        label = "scenario file"
    else:
        try:
            path = Path(os.fspath(source))
        except TypeError:
            raise DataError([f"{type(source).__name__} is not a file path or the bytes of a file"],
                            source="scenario file") from None
        label = path.name or str(path)
        try:
            if path.stat().st_size > MAX_SCENARIO_BYTES:
                raise DataError([f"the file is {path.stat().st_size:,} bytes; a scenario file is at most "
                                 f"{MAX_SCENARIO_BYTES:,} bytes, so this is not one"], source=label)
            raw = path.read_bytes()
        except DataError:
            raise
        except FileNotFoundError:
            raise DataError([f"there is no file {str(path)!r} (looked from the folder {os.getcwd()!r})"],
                            source=label) from None
        except IsADirectoryError:
            raise DataError([f"{str(path)!r} is a folder, not a scenario file"], source=label) from None
        except OSError as exc:
            raise DataError([f"the file cannot be read: {exc.strerror or exc}"], source=label) from None
    if len(raw) > MAX_SCENARIO_BYTES:
        raise DataError([f"the file is {len(raw):,} bytes; a scenario file is at most {MAX_SCENARIO_BYTES:,} "
                         "bytes, so this is not one"], source=label)
    if not raw.strip():
        raise DataError(["the file is empty; save a scenario with kit.save_scenario(scenario, path)"], source=label)
    return label, raw


def _json_type(value) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "true/false"}.get(type(value), "null")


def _short(value, limit: int = 60) -> str:
    """A value shown safely in a message: repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- atomic writes

def atomic_write(path, content: "str | bytes") -> Path:
    """Write a whole file or nothing: a temporary file in the same folder, then a rename.

    Text is written as UTF-8. An existing file keeps its permissions; a new one gets 0644.
    Problems (no such folder, no permission, disk full) raise `kit.DataError` with the reason.
    """
    path = Path(os.fspath(path))
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        if path.is_dir():
            raise IsADirectoryError(21, "it is a folder", str(path))
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, FileNotFoundError) and not folder.is_dir():
            reason = f"the folder {str(folder)!r} does not exist"
        raise DataError([f"cannot save {str(path)!r}: {reason}; nothing was written"], source="save") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return path
