"""The facilitator's tools: the answer key of every self-check (computed when it runs), each
chapter's minutes (read from the chapters) and a run of show whose clock times always add up (from
datasets/session_plans.csv, which a facilitator may edit). On top of the question bank.

From a terminal, `python -m kit.facilitator collect FOLDER` merges a class's handed-in progress files
(the same command as `python -m kit.classroom collect`)."""
from __future__ import annotations

import inspect
import json
import os
import re
import textwrap
from pathlib import Path

import pandas as pd

from . import checks, data


def answer_key(chapter: str | None = None) -> pd.DataFrame:
    """Every registered self-check with its right answer, computed now from the kit's data and model
    (so the key never drifts from what learners see), where to look, and the code that computes it.
    `chapter` like "04" keeps one chapter."""
    rows = []
    titles = data.load_roles().set_index("role_id").title
    for q in checks.QUESTIONS.values():
        if chapter is not None and not q.id.startswith(f"ch{chapter}."):
            continue
        answer = q.answer()
        if q.kind == checks.NUMBER:
            shown = f"{float(answer):,.2f}" + (f" {q.unit}" if q.unit else "")
            accepted = f"± {q.tolerance:g}"
        else:
            names = answer if q.kind == checks.CHOICES else [answer]
            shown = ", ".join(f"{titles[a]} ({a})" if a in titles.index else str(a) for a in names)
            accepted = "id or title, any case" if any(a in titles.index for a in names) else "as written, any case"
        rows.append({"question": q.id, "answer": shown, "accepted": accepted, "where to look": q.hint,
                     "computed by": _body(q.answer)})
    return pd.DataFrame(rows)


def _body(function) -> str:
    """The statements of a question's answer function (what a facilitator would type to get it),
    without its decorator, signature and imports; `model.`/`data.` are kit's modules of those names."""
    source = textwrap.dedent(inspect.getsource(function))
    body = source.split("):\n", 1)[1] if "):\n" in source else source
    lines = [line.strip() for line in textwrap.dedent(body).splitlines()]
    return " ; ".join(line for line in lines if line and not line.startswith(("from ", "import ", '"""')))


_TIME = re.compile(r"\*\*Time:\*\* about (\d+) minutes \((\d+) reading, (\d+) exercises\)")


def chapter_times(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Each chapter's title and minutes (total, reading, exercises), read from the chapters' first
    cells in `folder` (default: the kit's notebooks/ folder), so a run of show adds up to the truth."""
    folder = Path(folder) if folder is not None else data.datasets_dir().parent / "notebooks"
    rows = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        first = "".join(cells[0]["source"]) if cells else ""
        title = first.splitlines()[0].lstrip("# ").strip() if first else path.stem
        time = _TIME.search(first)
        total, reading, exercises = (int(x) for x in time.groups()) if time else (None, None, None)
        rows.append({"chapter": title, "file": path.name, "minutes": total, "reading": reading,
                     "exercises": exercises})
    table = pd.DataFrame(rows, columns=["chapter", "file", "minutes", "reading", "exercises"])
    return table.astype({"minutes": "Int64", "reading": "Int64", "exercises": "Int64"})


def run_of_show(minutes: int = 60) -> pd.DataFrame:
    """A session plan for 60 or 90 minutes (datasets/session_plans.csv, which a facilitator may edit),
    with clock times from 0:00 (they always add up)."""
    plans = data.load_session_plans()
    lengths = sorted(set(plans.session_minutes))
    if minutes not in lengths:
        raise ValueError(f"minutes: {minutes!r}; the guide has plans for {' and '.join(map(str, lengths))} minutes")
    plan = (plans[plans.session_minutes == minutes].sort_values("step")
            [["minutes", "segment", "chapter", "facilitator", "learners"]].reset_index(drop=True))
    plan["minutes"] = plan.minutes.astype("int64")
    plan["chapter"] = plan.chapter.fillna("").astype(str)
    ends = plan.minutes.cumsum()

    def clock(m):
        return f"{m // 60}:{m % 60:02d}"

    plan.insert(0, "time", [f"{clock(e - m)}-{clock(e)}" for m, e in zip(plan.minutes, ends)])
    return plan


def main(argv=None) -> int:
    """`python -m kit.facilitator collect FOLDER [--out DIR]`: kit.classroom's command, by this name too."""
    from . import classroom

    return classroom.main(argv, prog="python -m kit.facilitator")


if __name__ == "__main__":
    import sys

    sys.exit(main())
