"""A learner's own data in and out: scenario files (small versioned JSON) and organization tables.

Nothing here changes what is already loaded: readers build new objects or raise `kit.DataError`
listing every problem in plain language; writers replace a file atomically (a temporary file in
the same folder, then a rename), so a crash never leaves half a file behind.
"""
from __future__ import annotations

import csv
import difflib
import functools
import io
import json
import math
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from . import data
from .errors import DataError
from .model import OVERSIGHT_FAMILY, SHARE_TOLERANCE, Organization, Scenario, structure

SCENARIO_FORMAT = "empathy-premium-scenario"
SCENARIO_VERSION = 1             # bump when the file layout changes; older files stay readable
MAX_SCENARIO_BYTES = 1_000_000   # a scenario file is a few kB; anything this big is not one

# Limits of an organization file: the kit knows 27 roles, so real files are tiny.
MAX_FILE_BYTES = 1_000_000       # bigger files are refused before they are read
MAX_ROWS = 1_000                 # data rows
MAX_COLUMNS = 50
MAX_NAME_LENGTH = 100            # characters in a role cell or an organization name
MAX_PROBLEMS = 100               # problems listed; the rest are counted
MAX_HEADCOUNT = 10_000_000       # more than any US occupation (home health aides: about 4 million)
HOURS_IN_A_WEEK = 168
SHARE_ROUNDING = 0.01            # task-family shares may sum to 0.99..1.01; they are then rescaled to 1
TEMPLATE = "datasets/my_organization_template.csv"
EXAMPLE = "datasets/example_organization.csv"
DEFAULT_NAME = "custom organization"


# --------------------------------------------------------------------------- scenario files

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
        "automation": dict(scenario.automation),
        "oversight_ratio": scenario.oversight_ratio,
        "reinvestment": dict(scenario.reinvestment),
        "org": org,
    }


def scenario_to_json(scenario: Scenario) -> str:
    """The scenario as the text of a scenario file (exact: floats are written in full).

    It is read back before it is returned, so the kit never writes a file it would refuse to load
    (an organization named '<b>x</b>', say, gets its message now rather than at load time)."""
    content = scenario_to_dict(scenario)
    scenario_from_dict(content, source="scenario")
    return json.dumps(content, indent=2, allow_nan=False) + "\n"


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
    except RecursionError:
        raise DataError(["the file is damaged: its JSON is nested thousands of levels deep, which no scenario "
                         "file is"], source=source) from None
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
    unknown = [k for k in org if k not in ("name", "roles")]
    if unknown:
        return None, [f"org: {_short(unknown[0])} is not a field of an organization (the fields are name and roles)"]
    rows = org["roles"]
    bad = [i for i, r in enumerate(rows)
           if not isinstance(r, dict) or not isinstance(r.get("shares"), (dict, type(None)))]
    if bad:
        return None, [f"org: roles[{bad[0]}] is not {{'role_id': ..., 'headcount': ..., 'weekly_hours': ..., "
                      "'shares': null or {family: share}}"]
    table = pd.DataFrame([{k: v for k, v in r.items() if k != "shares"} | (r.get("shares") or {}) for r in rows],
                         index=[f"roles[{i}]" for i in range(len(rows))], dtype=object)
    try:
        return read_organization(table, name=org.get("name", DEFAULT_NAME)), []
    except DataError as exc:
        return None, [f"org: {p}" for p in exc.problems]


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


# --------------------------------------------------------------------------- a learner's organization

def read_organization(source, name: str | None = None) -> Organization:
    """Read a learner's organization: a CSV file (path or bytes) or a pandas DataFrame.

    One row per role: the role (its title, O*NET-SOC code or role_id, in a column named role,
    role_id, title, onet_code or soc_code), headcount (people, 0 or more), weekly_hours (paid hours
    per person, more than 0, at most 168), an optional notes column (ignored), and optionally one
    column per task family with the role's share of time in it (a row left empty keeps the role's
    O*NET task mix). Commas, semicolons or tabs; UTF-8, UTF-16 or Windows/Latin-1 text; decimal
    commas in semicolon- or tab-separated files. Raises `kit.DataError` listing every problem, with
    rows numbered as in a spreadsheet (header = row 1); it changes nothing already loaded.
    """
    if isinstance(source, pd.DataFrame):
        label = "table"
        header, rows = _frame_cells(source)
        european = False
    else:
        label, raw = _file_bytes(source)
        text = _decode(raw, label)
        header, rows, european = _csv_cells(text, label)
    org_name, problems = _org_name(name, None if isinstance(source, pd.DataFrame) else label)
    try:
        table, header_problems = _named_columns(header, rows)
    except DataError as exc:
        raise DataError(problems + exc.problems, source=label) from None
    problems += header_problems + _validate(table, european)
    if not rows:
        problems.append(("the table has no rows" if label == "table" else "there are no roles below the header")
                        + f": add one row per role (see {TEMPLATE})")
    if problems:
        raise DataError(_capped(problems), source=label)
    return _organization(table, org_name, european)


def template_table(example: bool = False) -> pd.DataFrame:
    """The blank template (or, with example=True, the filled example) as a DataFrame of text
    cells, ready to edit in a notebook and pass to `read_organization`."""
    path = data.datasets_dir() / Path(EXAMPLE if example else TEMPLATE).name
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


# ---- bytes and text

_SIGNATURES = [  # (start of file, what it is, what to do)
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel workbook (.xls)", "In Excel choose File > Save As > CSV UTF-8"),
    (b"%PDF", "a PDF document", "Export the table from its spreadsheet as CSV instead"),
    (b"\x89PNG", "a PNG image", "Type the numbers into the template instead"),
    (b"\xff\xd8\xff", "a JPEG image", "Type the numbers into the template instead"),
    (b"GIF8", "a GIF image", "Type the numbers into the template instead"),
    (b"\x1f\x8b", "a gzip archive", "Unpack it first"),
]


def _file_bytes(source) -> tuple[str, bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw, label = bytes(source), "uploaded file"
    else:
        try:
            path = Path(os.fspath(source))
        except TypeError:
            raise DataError([f"{type(source).__name__} is not a file path, the bytes of a file or a pandas "
                             "DataFrame"], source="organization") from None
        label = path.name or str(path)
        try:
            size = path.stat().st_size
            if path.is_dir():
                raise DataError([f"{str(path)!r} is a folder, not a CSV file"], source=label)
            if size > MAX_FILE_BYTES:
                raise DataError([_too_big(size)], source=label)
            with path.open("rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except DataError:
            raise
        except FileNotFoundError:
            raise DataError([f"there is no file {str(path)!r} (looked from the folder {os.getcwd()!r}); "
                             f"start from {TEMPLATE}"], source=label) from None
        except OSError as exc:
            raise DataError([f"the file cannot be read: {exc.strerror or exc}"], source=label) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DataError([_too_big(len(raw))], source=label)
    return label, raw


def _too_big(size: int) -> str:
    return (f"the file is {size:,} bytes; the kit reads organization files up to {MAX_FILE_BYTES:,} bytes "
            f"(one row per role, and the kit knows {len(structure().role_ids)} roles)")


def _decode(raw: bytes, label: str) -> str:
    """Text of a CSV file in UTF-8 (with or without BOM), UTF-16 (with BOM, or detected) or
    Windows-1252/Latin-1; anything that is not text gets a message saying what it looks like."""
    for magic, what, fix in _SIGNATURES:
        if raw.startswith(magic):
            raise DataError([f"this is {what} renamed .csv, not a CSV text file. {fix}"], source=label)
    if raw.startswith(b"PK\x03\x04"):
        head = raw[:4000]
        if b"opendocument.spreadsheet" in head:
            what, fix = "a LibreOffice/OpenOffice spreadsheet (.ods)", "choose File > Save As > Text CSV"
        elif b"xl/" in raw or b"[Content_Types].xml" in head:
            what, fix = "an Excel workbook (.xlsx)", "In Excel choose File > Save As > CSV UTF-8"
        else:
            what, fix = "a ZIP archive", "Unpack it and read the CSV file inside"
        raise DataError([f"this is {what} renamed .csv, not a CSV text file. {fix[0].upper() + fix[1:]}"],
                        source=label)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif raw.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = _utf16_without_bom(raw)
    if encoding is None and b"\x00" in raw:
        raise DataError([_not_text()], source=label)
    if encoding:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise DataError([_not_text()], source=label) from None
    else:
        for encoding in ("utf-8", "cp1252", "latin-1"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    text = text.lstrip("\ufeff").rstrip("\x1a")  # a BOM left by a double save; DOS end-of-file mark
    controls = len(re.findall(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text))
    if "\x00" in text or controls > max(2, len(text) // 100):  # a stray one is reported on its cell
        raise DataError([_not_text()], source=label)
    if re.match(r"\s*<(!doctype html|html|\?xml)", text, flags=re.I):
        raise DataError(["this is a web page or XML file, not a CSV file. Save the table from its spreadsheet "
                         "as CSV"], source=label)
    if not text.strip():
        raise DataError([f"the file is empty. Start from {TEMPLATE}, which lists every role the kit knows"],
                        source=label)
    return text


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is zero, as in UTF-16 text without a BOM."""
    sample = raw[:2000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _not_text() -> str:
    return ("this is not a text file (it holds binary data), so it is not a CSV file. Save the table from "
            f"its spreadsheet as CSV, or start from {TEMPLATE}")


def _csv_cells(text: str, label: str):
    """Header and rows of CSV text, each row as (spreadsheet row number, cells); and whether numbers
    may use decimal commas (files separated by semicolons or tabs, as European spreadsheets save)."""
    first_line = next(line for line in text.splitlines() if line.strip())
    counts = {d: len(re.findall(re.escape(d) + r'(?=(?:[^"]*"[^"]*")*[^"]*$)', first_line)) for d in ",;\t"}
    delimiter = max(",;\t", key=lambda d: counts[d])  # ties go to the comma
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = []
    try:
        for record in reader:
            records.append([cell.strip() for cell in record])
    except csv.Error as exc:
        row = len(records) + 1
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = f"a cell is longer than {csv.field_size_limit():,} characters"
        elif "expected after" in reason or "end of data" in reason:
            reason = ('its quotes do not pair up: a cell that starts with " must end with " (write "" for a '
                      "quote inside a cell)")
        raise DataError([f"row {row}: {reason}"], source=label) from None
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(r)]
    if not numbered:
        raise DataError([f"the file has no values, only separators. Start from {TEMPLATE}, which lists every "
                         "role the kit knows"], source=label)
    (_, header), rows = numbered[0], numbered[1:]
    if len(rows) > MAX_ROWS:
        raise DataError([f"the file has {len(rows):,} rows of data; the kit reads at most {MAX_ROWS:,} (one row per "
                         f"role, and it knows {len(structure().role_ids)} roles)"], source=label)
    width = len(header)
    problems = []
    for number, cells in rows:
        extra = [c for c in cells[width:] if c]
        if extra:
            problems.append(f"row {number}: has {len(cells)} cells but the header (row {numbered[0][0]}) names "
                            f"{width} columns; the extra value {_show(extra[0])} has no column. Is a comma "
                            "inside a number or a name? Put such cells in double quotes")
    if problems:
        raise DataError(_capped(problems), source=label)
    rows = [(number, cells[:width] + [""] * (width - len(cells))) for number, cells in rows]
    return header, rows, delimiter != ","


def _frame_cells(frame: pd.DataFrame):
    """Header and rows of a DataFrame as text cells, so a table and a file are checked the same way."""
    if len(frame) > MAX_ROWS:
        raise DataError([f"the table has {len(frame):,} rows; the kit reads at most {MAX_ROWS:,} "
                         f"(one row per role, and it knows {len(structure().role_ids)} roles)"], source="table")
    if frame.shape[1] > MAX_COLUMNS:
        raise DataError([f"the table has {frame.shape[1]:,} columns; the kit reads at most {MAX_COLUMNS}"],
                        source="table")
    labels = [int(label) if isinstance(label, (int, np.integer)) and not isinstance(label, (bool, np.bool_))
              else _cell_text(label) for label in frame.index]
    if len(set(labels)) < len(labels) or "" in labels:  # rows must be named unambiguously in messages
        labels = list(range(len(frame)))
    header = [_cell_text(c) for c in frame.columns]
    rows = [(label, [_cell_text(v) for v in values]) for label, values in zip(labels, frame.itertuples(index=False))]
    return header, rows


def _cell_text(value) -> str:
    if isinstance(value, str):
        return value.strip()
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return "" if math.isnan(value) else repr(float(value))
    try:
        return str(value).strip()
    except Exception:  # an object whose str() fails is not a value a table should hold
        return f"(a {type(value).__name__} object)"


# ---- columns

ROLE_COLUMNS = ("role", "role_id", "title", "onet_code", "soc_code")
_COLUMN_ALIASES = {"occupation": "role", "job_title": "title", "o_net_code": "onet_code",
                   "onet_soc_code": "onet_code", "o_net_soc_code": "onet_code", "head_count": "headcount",
                   "hours_per_week": "weekly_hours", "note": "notes", "comment": "notes", "comments": "notes"}

_COLUMN_HINTS = {"hours": "weekly_hours", "weekly": "weekly_hours", "hours_week": "weekly_hours", "staff": "headcount",
                 "people": "headcount", "employees": "headcount", "fte": "headcount", "ftes": "headcount",
                 "count": "headcount", "number": "headcount", "job": "role", "position": "role", "name": "role",
                 "code": "onet_code", "soc": "soc_code", "onet": "onet_code"}  # suggested, never assumed


def _column_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@functools.lru_cache(maxsize=1)
def _known_columns() -> dict[str, str]:
    """Every accepted (normalised) header and the column it means; families by id or label."""
    known = {c: c for c in ROLE_COLUMNS + ("headcount", "weekly_hours", "notes")} | _COLUMN_ALIASES
    families = data.load_task_families()
    for family, label in zip(families.family, families.label):
        known[family] = family
        known[_column_key(label)] = family
    return known


def _share_families() -> list[str]:
    return [f for f in structure().families if f != OVERSIGHT_FAMILY]


def _named_columns(header: list[str], rows: list) -> tuple[pd.DataFrame, list[str]]:
    """The table with canonical column names; problems with the header itself."""
    problems, names, keep, taken = [], [], [], {}
    for position, text in enumerate(header):
        values = [cells[position] for _, cells in rows]
        key = _column_key(text)
        if not key:
            if any(values):
                problems.append(f"column {_column_letter(position)} has values but no name in the header row; "
                                "name it or delete it")
            continue
        name = _known_columns().get(key, text)
        if name in taken:
            problems.append(f"the columns {_show(taken[name])} and {_show(text)} both mean {name}; keep one")
            continue
        taken[name] = text
        names.append(name)
        keep.append(position)
    table = pd.DataFrame([[cells[p] for p in keep] for _, cells in rows], columns=names,
                         index=[label for label, _ in rows], dtype=object)
    if len(names) == 1 and names[0] not in _known_columns().values():
        raise DataError([f"the header has only one column, {_show(names[0])}: separate the columns with commas, "
                         f"semicolons or tabs (see {TEMPLATE})"])
    return table, problems


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# ---- cells

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS_POINT = re.compile(r"[1-9]\d{0,2}(\.\d{3})+")
_FORMULA_START = ("=", "+", "-", "@")
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript:|&#?\w+;", flags=re.I)


def _number(text: str, european: bool = False, column: str = "share") -> tuple[float, str]:
    """A cell's number and what kind of cell it is: ok, empty, formula, infinite, separator or
    not_number. Shares may be written as percentages (25%); headcount and weekly_hours may not."""
    t = text.strip()
    if not t:
        return math.nan, "empty"
    scale = 1.0
    if column not in ("headcount", "weekly_hours") and t.endswith("%"):
        t, scale = t[:-1].strip(), 0.01
    if european:
        if column in ("headcount", "weekly_hours") and _THOUSANDS_POINT.fullmatch(t):
            return math.nan, "separator"
        if re.fullmatch(r"[+-]?\d*,\d+", t):
            t = t.replace(",", ".")
    if _NUMBER.fullmatch(t):
        value = float(t) * scale
        return (value, "ok") if math.isfinite(value) else (math.nan, "infinite")
    if t.lower().lstrip("+-") in ("inf", "infinity", "∞"):
        return math.nan, "infinite"
    if t.startswith(_FORMULA_START):
        return math.nan, "formula"
    if re.fullmatch(r"[+-]?[\d.,' \u00a0]+", t) and re.search(r"\d", t):
        return math.nan, "separator"
    return math.nan, "not_number"


@functools.lru_cache(maxsize=1)
def _role_lookup() -> dict[str, str]:
    """Normalised role_id, title, BLS title, O*NET and SOC codes -> role_id (ambiguous keys left out)."""
    roles = data.load_roles()
    seen: dict[str, set] = {}
    for column in ("role_id", "title", "bls_title", "onet_code", "soc_code", "bls_code"):
        for key, role in zip(roles[column], roles.role_id):
            seen.setdefault(_role_key(key), set()).add(role)
    return {key: next(iter(found)) for key, found in seen.items() if len(found) == 1}


@functools.lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    roles = data.load_roles()
    return dict(zip(roles.role_id, roles.title))


def _role_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text).strip().lower())


def _suggest(text: str) -> str:
    """'did you mean ...?' with up to two roles whose name or code is close to `text`."""
    lookup = _role_lookup()
    key = _role_key(text)
    if re.match(r"\d\d \d{4}", key):  # a code: only a near-identical code is a useful suggestion
        close = difflib.get_close_matches(key, [k for k in lookup if k[:1].isdigit()], n=2, cutoff=0.85)
    else:
        close = difflib.get_close_matches(key, [k for k in lookup if not k[:1].isdigit()], n=6, cutoff=0.6)
    roles = list(dict.fromkeys(lookup[c] for c in close))[:2]
    if not roles:
        return (f"see {TEMPLATE} or kit.load_roles() for the {len(structure().role_ids)} roles, their titles and "
                "O*NET-SOC codes")
    titles = _titles()
    return "did you mean " + " or ".join(f"{titles[r]!r} ({r})" for r in roles) + "?"


def _text_kind(text: str) -> str:
    """What is wrong with a role cell, if anything: formula, markup, control, too_long, unknown, ok."""
    if not text:
        return "ok"
    if len(text) > MAX_NAME_LENGTH:
        return "too_long"
    if text.startswith(_FORMULA_START):
        return "formula"
    if _MARKUP.search(text):
        return "markup"
    if re.search(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]", text):  # a line break (Alt+Enter) is only spacing
        return "control"
    return "ok" if _role_key(text) in _role_lookup() else "unknown"


def _resolved_role(cells: list[str]) -> str:
    """The role a row names: its role_id, '' if none, '<conflict>' if the role columns disagree,
    '<unknown>' if one of them names no role (reported on that cell)."""
    given = [c for c in cells if c]
    if not given:
        return ""
    found = [_role_lookup().get(_role_key(c)) for c in given]
    if None in found:
        return "<unknown>"
    return found[0] if len(set(found)) == 1 else "<conflict>"


# ---- validation (pandera)

def _validate(table: pd.DataFrame, european: bool) -> list[str]:
    """Check the table with a pandera schema (lazy, so every failure is collected) and describe
    each failure in plain language."""
    import pandera.pandas as pa  # imported here: `import kit` stays fast

    role_columns = [c for c in ROLE_COLUMNS if c in table.columns]
    frame = table.copy()
    if role_columns:  # derived columns: the role a row names, and the sum of its task-family shares
        frame["_role"] = pd.Series([_resolved_role(list(cells)) for cells in
                                    frame[role_columns].itertuples(index=False)], index=frame.index, dtype=object)
    shares = [f for f in _share_families() if f in frame.columns]
    frame["_shares_total"] = pd.Series([_shares_total(list(cells), european) if shares else math.nan
                                        for cells in frame[shares].itertuples(index=False)],
                                       index=frame.index, dtype=float)

    def numbers(column):
        """Each cell of a number column read as (value, kind)."""
        return lambda series: series.map(lambda text: _number(text, european, column))

    def number_checks(column, low, high, low_inclusive=True, required=True):
        read = numbers(column)
        kinds = (["empty"] if required else []) + ["formula", "infinite", "separator", "not_number"]
        checks = [pa.Check(lambda s, k=k: read(s).str[1] != k, error=k) for k in kinds]
        value = lambda s: read(s).str[0].astype(float)  # noqa: E731
        above = (lambda s: ~(value(s) < low)) if low_inclusive else (lambda s: ~(value(s) <= low))
        return checks + [pa.Check(above, error="low"), pa.Check(lambda s: ~(value(s) > high), error="high")]

    def role_checks():
        return [pa.Check(lambda s, k=k: s.map(_text_kind) != k, error=k)
                for k in ("too_long", "formula", "markup", "control", "unknown")]

    columns = {c: pa.Column(checks=role_checks(), required=c == "role" and not role_columns)
               for c in ROLE_COLUMNS}
    columns |= {
        "headcount": pa.Column(checks=number_checks("headcount", 0, MAX_HEADCOUNT)),
        "weekly_hours": pa.Column(checks=number_checks("weekly_hours", 0, HOURS_IN_A_WEEK, low_inclusive=False)),
        "notes": pa.Column(required=False),
        "_role": pa.Column(checks=[
            pa.Check(lambda s: s != "", error="no_role"),
            pa.Check(lambda s: s != "<conflict>", error="conflict"),
            pa.Check(lambda s: ~(s.map(lambda r: r[:1].isalpha()) & s.duplicated(keep="first")), error="duplicate")],
            required=bool(role_columns)),
        "_shares_total": pa.Column(float, nullable=True, checks=[
            pa.Check(lambda s: s.isna() | ((s - 1).abs() <= SHARE_ROUNDING + 1e-9), error="shares_total")]),
    }
    columns |= {f: pa.Column(required=False, checks=number_checks(f, 0, 1, required=False))
                for f in _share_families()}
    schema = pa.DataFrameSchema(columns, strict=True)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _describe(errors.failure_cases, frame)
    return []


def _shares_total(cells: list[str], european: bool) -> float:
    """Sum of a row's task-family shares; NaN if the row gives none or one is unreadable."""
    if not any(cells):
        return math.nan
    values = [_number(c, european) for c in cells if c]
    return math.fsum(v for v, _ in values) if all(k == "ok" for _, k in values) else math.nan


_NUMBER_RULES = {  # column: (what the number is, rule for "low", rule for "high")
    "headcount": ("the number of people in the role (0 if none)", "must be 0 or more",
                  f"must be at most {MAX_HEADCOUNT:,}"),
    "weekly_hours": ("the paid hours per person per week (40 for full time)", "must be more than 0",
                     f"must be at most {HOURS_IN_A_WEEK} (the hours in a week)"),
}
_SHARE_RULE = ("the share of the role's time in this task family, 0 to 1 (25% = 0.25)",
               "must be between 0 and 1", "must be between 0 and 1 (25% is 0.25, or write 25%)")


def _describe(failures: pd.DataFrame, frame: pd.DataFrame) -> list[str]:
    """Plain-language messages, header problems first, then by row in column order."""
    order = {c: i for i, c in enumerate(frame.columns)}
    order["_role"] = min([order[c] for c in ROLE_COLUMNS if c in order], default=0)
    positions = {label: i for i, label in enumerate(frame.index)}
    roles = frame["_role"] if "_role" in frame else pd.Series(dtype=object)
    first_rows = dict(zip(roles[~roles.duplicated()], roles.index[~roles.duplicated()]))  # for "already on row"
    described = []
    for case in failures.itertuples():
        check, value = str(case.check), case.failure_case
        if case.column is None or (isinstance(case.column, float) and math.isnan(case.column)):
            described.append(((0, -1, order.get(value, 99)), _column_problem(check, str(value), frame)))
            continue
        column, label = str(case.column), case.index
        if label is None or (isinstance(label, float) and math.isnan(label)):
            raise RuntimeError(f"a check of column {column!r} could not run ({check[:300]}); please report this "
                               "as a bug of the kit")
        where = f"row {label}" if isinstance(label, (int, np.integer)) else str(label)
        message = _cell_problem(where, column, check, value, frame, label, first_rows)
        described.append(((1, positions.get(label, 0), order.get(column, 99)), message))
    problems = [message for _, message in sorted(described, key=lambda d: d[0])]
    return list(dict.fromkeys(problems))


def _column_problem(check: str, column: str, frame: pd.DataFrame) -> str:
    if check == "column_in_dataframe":
        if column == "role":
            return ("there is no column naming the roles: add a column 'role' with each role's title, "
                    f"O*NET-SOC code or role_id (see {TEMPLATE})")
        what = _NUMBER_RULES[column][0]
        return f"there is no {column} column: add one with {what}"
    if check == "column_in_schema":
        if _column_key(column) == OVERSIGHT_FAMILY:
            return (f"column {_show(column)}: AI oversight is the review work the model adds when AI takes over "
                    "tasks, so no role has a share of it before AI; delete the column")
        key = _column_key(column)
        close = difflib.get_close_matches(key, sorted(_known_columns()), n=1, cutoff=0.6)
        meant = _COLUMN_HINTS.get(key) or (_known_columns()[close[0]] if close else None)
        hint = f" (did you mean {meant!r}?)" if meant else ""
        return (f"column {_show(column)} is not one the kit reads{hint}; rename or delete it. The columns are: "
                "role (or role_id, title, onet_code, soc_code), headcount, weekly_hours, notes, and one share "
                "column per task family (see kit.load_task_families())")
    return f"column {_show(column)}: {check}"


def _cell_problem(where: str, column: str, check: str, value, frame: pd.DataFrame, label,
                  first_rows: dict) -> str:
    shown = _show(value)
    if check in ("no_role", "conflict", "duplicate"):
        given = [(c, frame.at[label, c]) for c in ROLE_COLUMNS if c in frame.columns and frame.at[label, c]]
        if check == "no_role":
            return f"{where}: no role given — fill in the role (its title, O*NET-SOC code or role_id)"
        if check == "conflict":
            named = " and ".join(f"{c} {_show(v)}" for c, v in given)
            roles = ", ".join(dict.fromkeys(_role_lookup()[_role_key(v)] for _, v in given))
            return f"{where}: {named} name different roles ({roles}); correct one of them"
        first = first_rows[value]
        first = f"row {first}" if isinstance(first, (int, np.integer)) else str(first)
        title = _titles()[value]
        return (f"{where}, {given[0][0]}: {_show(given[0][1])} — {title} is already on {first}; give each role "
                "one row (add the headcounts together)")
    if check == "shares_total":
        total = float(value)
        if abs(total - 100) <= 100 * SHARE_ROUNDING:
            rule = "they look like percentages: write 0.25 or 25% for a quarter, so that they sum to 1"
        else:
            rule = (f"they must sum to 1 ({1 - SHARE_ROUNDING:g} to {1 + SHARE_ROUNDING:g} is accepted as "
                    "rounding), or leave all of the row's share cells empty to keep the role's O*NET task mix")
        return f"{where}, task-family shares: they sum to {total:.4g} — {rule}"
    if column in ROLE_COLUMNS:
        rule = {
            "too_long": f"is {len(str(value)):,} characters long; a role name has at most {MAX_NAME_LENGTH}",
            "formula": "looks like a spreadsheet formula; type the role's name or code as plain text",
            "markup": "contains HTML or script markup; a role name must be plain text",
            "control": "contains control characters; type the role's name or code as plain text",
            "unknown": "is not one of the kit's roles; " + _suggest(str(value)),
        }[check]
        return f"{where}, {column}: {shown} — {rule}"
    what, low, high = _NUMBER_RULES.get(column, _SHARE_RULE)
    rule = {
        "empty": f"is empty — give {what}",
        "formula": f"{shown} — starts with {str(value)[:1]!r}: a spreadsheet formula, not a number; paste "
                   "values only (Paste Special > Values)",
        "infinite": f"{shown} — must be a finite number",
        "separator": f"{shown} — is that a thousands separator? Write numbers without one (1234), with a point "
                     "for decimals (40.5), or a comma in a file separated by semicolons (40,5)",
        "not_number": f"{shown} — is not a number; give {what}",
        "low": f"{shown} — {low}",
        "high": f"{shown} — {high}",
    }[check]
    return f"{where}, {column}: {rule}"


def _show(value, limit: int = 40) -> str:
    """A cell shown safely in a message: numbers as written, text quoted and cut to `limit`."""
    text = str(value)
    if _NUMBER.fullmatch(text.strip()) and len(text.strip()) <= limit:
        return text.strip().removesuffix(".0")  # a DataFrame's 12.0 is shown as a learner typed it: 12
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [f"… and {rest:,} more problems like these (fix the ones above first)"]


# ---- the organization

def _org_name(name, label: str | None) -> tuple[str, list[str]]:
    """The organization's name (given, or made from the file name) and any problem with it."""
    if name is None:
        if not label or label == "uploaded file":
            return DEFAULT_NAME, []
        stem = re.sub(r"[^\w .,()&'-]+", "", Path(label).stem.replace("_", " ")).strip()[:MAX_NAME_LENGTH]
        return (stem[:1].upper() + stem[1:]) or DEFAULT_NAME, []
    if not isinstance(name, str):
        return DEFAULT_NAME, [f"name: {_short(name)} is not text; give the organization's name, e.g. "
                              "'Maple Street Clinic'"]
    problem = None
    if not name.strip():
        problem = "is empty; give the organization's name"
    elif len(name) > MAX_NAME_LENGTH:
        problem = f"is {len(name):,} characters long; a name has at most {MAX_NAME_LENGTH}"
    elif _MARKUP.search(name):
        problem = "contains HTML or script markup; a name must be plain text"
    elif re.search(r"[\x00-\x1f\x7f]", name):
        problem = "contains control characters; a name must be plain text"
    return name, [f"name: {_show(name)} {problem}"] if problem else []


def _organization(table: pd.DataFrame, name: str, european: bool) -> Organization:
    role_columns = [c for c in ROLE_COLUMNS if c in table.columns]
    role_ids = tuple(_resolved_role(list(cells)) for cells in table[role_columns].itertuples(index=False))
    headcount = tuple(_number(t, european, column="headcount")[0] for t in table.headcount)
    weekly = tuple(_number(t, european, column="weekly_hours")[0] for t in table.weekly_hours)
    shares = None
    given = [f for f in _share_families() if f in table.columns]
    if given:
        families = structure().families
        shares = []
        for _, row in table[given].iterrows():
            if not any(row):
                shares.append(None)
                continue
            values = dict.fromkeys(families, 0.0)
            values.update({f: _number(row[f], european)[0] for f in given if row[f]})
            total = math.fsum(values.values())
            if abs(total - 1.0) > SHARE_TOLERANCE:
                values = {f: v / total for f, v in values.items()}
            shares.append(tuple(values[f] for f in families))
    return Organization(role_ids, headcount, weekly, name, None if shares is None else tuple(shares))


# --------------------------------------------------------------------------- atomic writes

def atomic_write(path, content: str | bytes) -> Path:
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
