"""The kit's one error type for bad data, so a learner sees every problem at once."""
from __future__ import annotations


class DataError(ValueError):
    """A table (a kit dataset or a learner's file) has problems.

    `problems` lists them in plain language, each naming the file or table, row and column where
    it can ("roles.csv, row 5, employment: -3 is below the minimum 0"). Rows are numbered as in a
    spreadsheet: the header is row 1, the first data row is row 2.
    """

    def __init__(self, problems: list[str], source: str = "data"):
        self.problems = capped_problems(problems)
        self.source = source
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(f"{source}: {count} problem{'s' if count != 1 else ''} to fix:\n{lines}")


MAX_PROBLEMS = 100        # problems a message lists; the rest are counted
MORE = "… and "
MAX_PROBLEM_CHARS = 1_000  # characters of one problem (a value echoed in it is cut well before)


def capped_problems(problems) -> list[str]:
    """At most MAX_PROBLEMS problems of at most MAX_PROBLEM_CHARS characters each, and a count of
    the rest: a file with 50,000 unknown keys gets a message a learner can read, not 7 MB.

    >>> capped_problems(["x" * 2_000])[0][-3:], len(capped_problems(["p"] * 150))
    ('xx…', 101)
    """
    problems = [str(p) if len(str(p)) <= MAX_PROBLEM_CHARS else str(p)[: MAX_PROBLEM_CHARS - 1] + "…"
                for p in problems]
    if len(problems) <= MAX_PROBLEMS or (len(problems) == MAX_PROBLEMS + 1 and problems[-1].startswith(MORE)):
        return problems  # (already capped, with its count)
    rest = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [f"{MORE}{rest:,} more problems like these (fix the ones above first)"]


def quoted(value: object, limit: int = 60) -> str:
    """A value shown safely in a message: its repr, cut to `limit` characters (an object whose
    repr fails is named by its type).

    >>> quoted("nurses")
    "'nurses'"
    >>> quoted("x" * 80, limit=10)
    "'xxxxxxxx…"
    """
    try:
        text = repr(value) if not (isinstance(value, str) and len(value) > 10 * limit) else repr(value[: 2 * limit])
    except Exception:
        text = f"<a {type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
