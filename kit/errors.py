"""The kit's one error type for bad data, so a learner sees every problem at once."""
from __future__ import annotations


class DataError(ValueError):
    """A table (a kit dataset or a learner's file) has problems.

    `problems` lists them in plain language, each naming the file or table, row and column where
    it can ("roles.csv, row 5, employment: -3 is below the minimum 0"). Rows are numbered as in a
    spreadsheet: the header is row 1, the first data row is row 2.
    """

    def __init__(self, problems: list[str], source: str = "data"):
        self.problems = list(problems)
        self.source = source
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(f"{source}: {count} problem{'s' if count != 1 else ''} to fix:\n{lines}")


def quoted(value, limit: int = 60) -> str:
    """A value shown safely in a message: its repr, cut to `limit` characters.

    >>> quoted("nurses")
    "'nurses'"
    >>> quoted("x" * 80, limit=10)
    "'xxxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
