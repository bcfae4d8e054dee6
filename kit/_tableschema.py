"""One translator from pandera's failure cases to sentences a learner can act on. The datasets'
loader (kit.data) and the organization table's validator (kit.organization) each say what a failed
check means; this module runs the schema and hands them each failure, once, in a stable order."""
from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd


def failures(schema, frame: pd.DataFrame) -> pd.DataFrame | None:
    """Validate `frame` against a pandera schema lazily (every failure collected); the failure cases,
    or None when the frame passes."""
    import pandera.pandas as pa  # imported here: validation runs once per table, `import kit` stays fast

    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return errors.failure_cases
    return None


def sentences(cases: pd.DataFrame | None, describe: Callable, *, ordered: bool = False) -> list[str]:
    """One sentence per failure case, duplicates dropped, first seen first.

    `describe(column, index, check, value)` gets None for a column or row the case does not name (a
    missing column; a check of a whole column) and returns the sentence, or, with `ordered=True`, a
    (sort key, sentence) pair: the sentences are then sorted by key (stable)."""
    if cases is None:
        return []
    described = [describe(_named(case.column), _named(case.index), str(case.check), case.failure_case)
                 for case in cases.itertuples()]
    if ordered:
        described = [sentence for _, sentence in sorted(described, key=lambda d: d[0])]
    return list(dict.fromkeys(described))


def _named(value):
    """A failure case's column or row label, or None when pandera leaves it empty (None or NaN)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value
