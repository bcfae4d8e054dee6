"""A learner's organization file: a CSV table read (any of the encodings and separators spreadsheets
save, capped in size), then checked by kit.organization. `read_organization` also takes a DataFrame."""
from __future__ import annotations

import os

import pandas as pd

from ._files import csv_records, decode_text, delimiter_of, file_bytes
from .errors import DataError
from .model import Organization, structure
from .organization import (
    MAX_ROWS,
    TEMPLATE,
    capped,
    organization_from_cells,
    organization_from_frame,
    show_cell,
    without_empty_roles,
)

MAX_FILE_BYTES = 1_000_000       # bigger files are refused before they are read


def read_organization(source: str | os.PathLike | bytes | pd.DataFrame, name: str | None = None) -> Organization:
    """Read a learner's organization: a CSV file (path or bytes) or a pandas DataFrame.

    One row per role: the role (its title, O*NET-SOC code or role_id, in a column named role,
    role_id, title, onet_code or soc_code), headcount (people, 0 or more), weekly_hours (paid hours
    per person, more than 0, at most 168), an optional notes column (ignored), and optionally one
    column per task family with the role's share of time in it (a row left empty keeps the role's
    baseline task mix). Commas, semicolons or tabs; UTF-8, UTF-16 or Windows/Latin-1 text; decimal
    commas in semicolon- or tab-separated files. Raises `kit.DataError` listing every problem, with
    rows numbered as in a spreadsheet (header = row 1); it changes nothing already loaded.
    Roles left at 0 people are left out (see `kit.organization.without_empty_roles`).
    """
    if isinstance(source, pd.DataFrame):
        return without_empty_roles(organization_from_frame(source, name))
    label, raw = _file_bytes(source)
    text = decode_text(raw, label, TEMPLATE)
    header, rows, european = _csv_cells(text, label)
    return without_empty_roles(organization_from_cells(header, rows, european, label, name, file_name=label))


def _file_bytes(source) -> tuple[str, bytes]:
    return file_bytes(source, limit=MAX_FILE_BYTES, kind="a CSV file", upload_label="uploaded file",
                      too_big=_too_big, not_found=f"; start from {TEMPLATE}",
                      accepts="a file path, the bytes of a file or a pandas DataFrame", type_label="organization")


def _too_big(size: int) -> str:
    return (f"the file is {size:,} bytes; the kit reads organization files up to {MAX_FILE_BYTES:,} bytes "
            f"(one row per role, and the kit knows {len(structure().role_ids)} roles)")


def _csv_cells(text: str, label: str):
    """Header and rows of CSV text, each row as (spreadsheet row number, cells); and whether numbers
    may use decimal commas (files separated by semicolons or tabs, as European spreadsheets save)."""
    delimiter = delimiter_of(next(line for line in text.splitlines() if line.strip()))
    records = csv_records(text, delimiter, label)
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
                            f"{width} columns; the extra value {show_cell(extra[0])} has no column. Is a comma "
                            "inside a number or a name? Put such cells in double quotes")
    if problems:
        raise DataError(capped(problems), source=label)
    rows = [(number, cells[:width] + [""] * (width - len(cells))) for number, cells in rows]
    return header, rows, delimiter != ","
