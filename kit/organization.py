"""The organization table, checked: one home for what a learner's organization table may hold and one
validator that lists every problem in plain language, rows numbered as in a spreadsheet.

A table comes as a header and rows of text cells (from a CSV file, see kit.organization_file, or from
a DataFrame); `organization_from_cells` checks it and builds a `kit.Organization` or raises
`kit.DataError`. Nothing here changes what is already loaded.
"""
from __future__ import annotations

import difflib
import functools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import _tableschema, data
from ._files import BIDI_CONTROLS
from .errors import MAX_PROBLEMS, DataError, capped_problems, quoted  # noqa: F401 (MAX_PROBLEMS: its old home)
from .model import (
    _MARKUP,
    HOURS_IN_A_WEEK,
    MAX_HEADCOUNT,
    MAX_NAME_LENGTH,
    MIN_WEEKLY_HOURS,
    OVERSIGHT_FAMILY,
    SHARE_TOLERANCE,
    Organization,
    name_problem,
    structure,
)

# Limits of an organization table: the kit knows 27 roles, so real tables are tiny.
MAX_ROWS = 1_000                 # data rows
MAX_COLUMNS = 50
SHARE_ROUNDING = 0.01            # task-family shares may sum to 0.99..1.01; they are then rescaled to 1
TEMPLATE = "datasets/my_organization_template.csv"
EXAMPLE = "datasets/example_organization.csv"
DEFAULT_NAME = "custom organization"


def organization_from_cells(header: list[str], rows: list, european: bool, label: str,
                            name: str | None = None, file_name: str | None = None) -> Organization:
    """Check an organization table given as header and rows of text cells ((row label, cells) each)
    and build the Organization; `kit.DataError` lists every problem. `european`: numbers may use
    decimal commas. `file_name` names the organization when `name` is not given."""
    org_name, problems = _org_name(name, file_name)
    try:
        table, header_problems = _named_columns(header, rows)
    except DataError as exc:
        raise DataError(problems + exc.problems, source=label) from None
    problems += header_problems + _validate(table, european)
    if not rows:
        problems.append(("the table has no rows" if label == "table" else "there are no roles below the header")
                        + f": add one row per role (see {TEMPLATE})")
    if problems:
        raise DataError(capped(problems), source=label)
    return _organization(table, org_name, european)


def without_empty_roles(organization: Organization) -> Organization:
    """The organization without the roles at 0 people: the template lists every role at 0 and says to
    delete the roles you do not have or leave them at 0, and a role nobody holds must not fill a chart's
    rows or lead its headline ("Radiologists shift most"). The blank template itself (all at 0) stays whole."""
    keep = [i for i, people in enumerate(organization.headcount) if people > 0]
    if not keep or len(keep) == len(organization.headcount):
        return organization

    def kept(values):
        return tuple(values[i] for i in keep)

    shares = None if organization.shares is None else kept(organization.shares)
    return Organization(kept(organization.role_ids), kept(organization.headcount), kept(organization.weekly_hours),
                        organization.name, shares)


def organization_from_frame(frame: pd.DataFrame, name: str | None = None) -> Organization:
    """Check an organization table given as a pandas DataFrame and build the Organization."""
    header, rows = _frame_cells(frame)
    return organization_from_cells(header, rows, False, "table", name)


def template_table(example: bool = False) -> pd.DataFrame:
    """The blank template (or, with example=True, the filled example) as a DataFrame of text
    cells, ready to edit in a notebook and pass to `read_organization`."""
    path = data.datasets_dir() / Path(EXAMPLE if example else TEMPLATE).name
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


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
            problems.append(f"the columns {show_cell(taken[name])} and {show_cell(text)} both mean {name}; keep one")
            continue
        taken[name] = text
        names.append(name)
        keep.append(position)
    table = pd.DataFrame([[cells[p] for p in keep] for _, cells in rows], columns=names,
                         index=[label for label, _ in rows], dtype=object)
    if len(names) == 1 and names[0] not in _known_columns().values():
        raise DataError([f"the header has only one column, {show_cell(names[0])}: separate the columns with commas, "
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


def _cell_number(text: str, european: bool = False, column: str = "share") -> tuple[float, str]:
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
    if re.search(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]", text) or BIDI_CONTROLS.intersection(text):
        return "control"  # a line break (Alt+Enter) is only spacing; a right-to-left override hides text
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
        return lambda series: series.map(lambda text: _cell_number(text, european, column))

    def number_checks(column, low, high, low_inclusive=True, required=True):
        read = numbers(column)
        kinds = (["empty"] if required else []) + ["formula", "infinite", "separator", "not_number"]
        checks = [pa.Check(lambda s, k=k: read(s).str[1] != k, error=k) for k in kinds]
        value = lambda s: read(s).str[0].astype(float)  # noqa: E731
        above = (lambda s: ~(value(s) < low)) if low_inclusive else (lambda s: ~(value(s) <= low))
        tiny = [pa.Check(lambda s: ~((value(s) > 0) & (value(s) < MIN_WEEKLY_HOURS)), error="tiny")
                ] if column == "weekly_hours" else []
        return checks + [pa.Check(above, error="low"), *tiny, pa.Check(lambda s: ~(value(s) > high), error="high")]

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
    return _problems(_tableschema.failures(schema, frame), frame)


def _shares_total(cells: list[str], european: bool) -> float:
    """Sum of a row's task-family shares; NaN if the row gives none or one is unreadable."""
    if not any(cells):
        return math.nan
    values = [_cell_number(c, european) for c in cells if c]
    return math.fsum(v for v, _ in values) if all(k == "ok" for _, k in values) else math.nan


_NUMBER_RULES = {  # column: (what the number is, rule for "low", rule for "high")
    "headcount": ("the number of people in the role (0 if none)", "must be 0 or more",
                  f"must be at most {MAX_HEADCOUNT:,}"),
    "weekly_hours": ("the paid hours per person per week (40 for full time)", "must be more than 0",
                     f"must be at most {HOURS_IN_A_WEEK} (the hours in a week)"),
}
_SHARE_RULE = ("the share of the role's time in this task family, 0 to 1 (25% = 0.25)",
               "must be between 0 and 1", "must be between 0 and 1 (25% is 0.25, or write 25%)")


def _problems(failures: pd.DataFrame | None, frame: pd.DataFrame) -> list[str]:
    """Plain-language messages, header problems first, then by row in column order."""
    order = {c: i for i, c in enumerate(frame.columns)}
    order["_role"] = min([order[c] for c in ROLE_COLUMNS if c in order], default=0)
    positions = {label: i for i, label in enumerate(frame.index)}
    roles = frame["_role"] if "_role" in frame else pd.Series(dtype=object)
    first_rows = dict(zip(roles[~roles.duplicated()], roles.index[~roles.duplicated()]))  # for "already on row"

    def describe(column, label, check, value):
        if column is None:
            return (0, -1, order.get(value, 99)), _column_problem(check, str(value), frame)
        column = str(column)
        if label is None:
            raise RuntimeError(f"a check of column {column!r} could not run ({check[:300]}); please report this "
                               "as a bug of the kit")
        where = f"row {label}" if isinstance(label, (int, np.integer)) else str(label)
        message = _cell_problem(where, column, check, value, frame, label, first_rows)
        return (1, positions.get(label, 0), order.get(column, 99)), message

    return _tableschema.sentences(failures, describe, ordered=True)


def _column_problem(check: str, column: str, frame: pd.DataFrame) -> str:
    if check == "column_in_dataframe":
        if column == "role":
            return ("there is no column naming the roles: add a column 'role' with each role's title, "
                    f"O*NET-SOC code or role_id (see {TEMPLATE})")
        what = _NUMBER_RULES[column][0]
        return f"there is no {column} column: add one with {what}"
    if check == "column_in_schema":
        if _column_key(column) == OVERSIGHT_FAMILY:
            return (f"column {show_cell(column)}: AI oversight is the review work the model adds when AI takes over "
                    "tasks, so no role has a share of it before AI; delete the column")
        key = _column_key(column)
        close = difflib.get_close_matches(key, sorted(_known_columns()), n=1, cutoff=0.6)
        meant = _COLUMN_HINTS.get(key) or (_known_columns()[close[0]] if close else None)
        hint = f" (did you mean {meant!r}?)" if meant else ""
        return (f"column {show_cell(column)} is not one the kit reads{hint}; rename or delete it. The columns are: "
                "role (or role_id, title, onet_code, soc_code), headcount, weekly_hours, notes, and one share "
                "column per task family (see kit.load_task_families())")
    return f"column {show_cell(column)}: {check}"


def _cell_problem(where: str, column: str, check: str, value, frame: pd.DataFrame, label,
                  first_rows: dict) -> str:
    shown = show_cell(value)
    if check in ("no_role", "conflict", "duplicate"):
        given = [(c, frame.at[label, c]) for c in ROLE_COLUMNS if c in frame.columns and frame.at[label, c]]
        if check == "no_role":
            return f"{where}: no role given — fill in the role (its title, O*NET-SOC code or role_id)"
        if check == "conflict":
            named = " and ".join(f"{c} {show_cell(v)}" for c, v in given)
            roles = ", ".join(dict.fromkeys(_role_lookup()[_role_key(v)] for _, v in given))
            return f"{where}: {named} name different roles ({roles}); correct one of them"
        first = first_rows[value]
        first = f"row {first}" if isinstance(first, (int, np.integer)) else str(first)
        title = _titles()[value]
        return (f"{where}, {given[0][0]}: {show_cell(given[0][1])} — {title} is already on {first}; give each role "
                "one row (add the headcounts together)")
    if check == "shares_total":
        total = float(value)
        if abs(total - 100) <= 100 * SHARE_ROUNDING:
            rule = "they look like percentages: write 0.25 or 25% for a quarter, so that they sum to 1"
        else:
            rule = (f"they must sum to 1 ({1 - SHARE_ROUNDING:g} to {1 + SHARE_ROUNDING:g} is accepted as "
                    "rounding), or leave all of the row's share cells empty to keep the role's baseline task mix")
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
        "tiny": f"{shown} — must be at least {MIN_WEEKLY_HOURS:g} (six minutes a week); give the paid hours per "
                "person per week",
        "high": f"{shown} — {high}",
    }[check]
    return f"{where}, {column}: {rule}"


def show_cell(value: object, limit: int = 40) -> str:
    """A cell shown safely in a message: numbers as written, text quoted and cut to `limit`."""
    text = str(value)
    if _NUMBER.fullmatch(text.strip()) and len(text.strip()) <= limit:
        return text.strip().removesuffix(".0")  # a DataFrame's 12.0 is shown as a learner typed it: 12
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def capped(problems: list[str]) -> list[str]:
    """At most MAX_PROBLEMS problems, and a count of the rest (kit.errors.capped_problems)."""
    return capped_problems(problems)


# ---- the organization

def _org_name(name, label: str | None) -> tuple[str, list[str]]:
    """The organization's name (given, or made from the file name) and any problem with it."""
    if name is None:
        if not label or label == "uploaded file":
            return DEFAULT_NAME, []
        stem = re.sub(r"[^\w .,()&'-]+", "", Path(label).stem.replace("_", " ")).strip()[:MAX_NAME_LENGTH]
        return (stem[:1].upper() + stem[1:]) or DEFAULT_NAME, []
    if not isinstance(name, str):
        return DEFAULT_NAME, [f"name: {quoted(name)} is not text; give the organization's name, e.g. "
                              "'Maple Street Clinic'"]
    problem = name_problem(name)
    return name, [f"name: {show_cell(name)} {problem}"] if problem else []


def _organization(table: pd.DataFrame, name: str, european: bool) -> Organization:
    role_columns = [c for c in ROLE_COLUMNS if c in table.columns]
    role_ids = tuple(_resolved_role(list(cells)) for cells in table[role_columns].itertuples(index=False))
    headcount = tuple(_cell_number(t, european, column="headcount")[0] for t in table.headcount)
    weekly = tuple(_cell_number(t, european, column="weekly_hours")[0] for t in table.weekly_hours)
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
            values.update({f: _cell_number(row[f], european)[0] for f in given if row[f]})
            total = math.fsum(values.values())
            if abs(total - 1.0) > SHARE_TOLERANCE:
                values = {f: v / total for f, v in values.items()}
            shares.append(tuple(values[f] for f in families))
    return Organization(role_ids, headcount, weekly, name, None if shares is None else tuple(shares))
