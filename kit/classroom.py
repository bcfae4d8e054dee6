"""Collect a class's progress files into one table and a summary of where the class went wrong.

    python -m kit.classroom collect FOLDER [--out OUT]

reads every .json file in FOLDER (each learner's progress_export.json or progress.json, as
handed in), writes OUT/class_progress.csv (one row per learner and question) and
OUT/class_summary.html (a chart and a table: per question, the share of learners who got a
self-check wrong at first or whose prediction was off), and prints a clear message for each
file it cannot read (damaged, hand-edited, foreign). OUT defaults to FOLDER. Nothing is sent
anywhere.
"""
from __future__ import annotations

import argparse
import html
import io
import sys
from pathlib import Path

import altair as alt
import pandas as pd

from . import progress
from .errors import DataError
from .quizzes import QUIZ

CLASS_CSV = "class_progress.csv"
CLASS_HTML = "class_summary.html"
ROW_COLUMNS = ("learner", "file", "kind", "question_id", "chapter", "attempts", "first", "last", "right_first",
               "right_last", "prediction", "model_answer", "close")
MAX_FILES = 2_000


def collect(folder) -> tuple[pd.DataFrame, list[str]]:
    """One row per learner and question from every progress file in `folder`, and one message
    per file that could not be read (the rest are still collected)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError([f"{str(folder)!r} is not a folder; give the folder that holds the class's progress files"],
                        source="collect")
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    problems, rows = [], []
    if len(paths) > MAX_FILES:
        problems.append(f"the folder holds {len(paths):,} JSON files; only the first {MAX_FILES:,} were read")
        paths = paths[:MAX_FILES]
    seen = {}
    for path in paths:
        try:
            content = progress.load_progress(path)
        except DataError as exc:
            problems.append(f"{path.name}: " + "; ".join(exc.problems))
            continue
        learner = content["learner"] or path.stem
        if learner in seen:
            problems.append(f"{path.name}: the learner {learner!r} also handed in {seen[learner]}; both are kept")
            learner = f"{learner} ({path.stem})"
        seen[learner] = path.name
        rows += learner_rows(content["entries"], learner, path.name)
    return pd.DataFrame(rows, columns=list(ROW_COLUMNS)), problems


def learner_rows(entries: list[dict], learner: str, file: str = "") -> list[dict]:
    """A learner's entries summed up: per self-check its attempts, first and last result; per
    prediction the revealed prediction, the model's answer and whether it was close."""
    rows = {}
    for e in entries:
        qid = e.get("question_id")
        if not qid or e.get("kind") not in ("check", "prediction", "quiz"):
            continue
        kind = f"quiz_{e.get('stage')}" if e["kind"] == "quiz" else e["kind"]
        if kind not in ("check", "prediction", "quiz_pre", "quiz_post"):
            continue
        row = rows.setdefault((kind, qid), {
            "learner": learner, "file": file, "kind": kind, "question_id": qid, "chapter": e.get("chapter", ""),
            "attempts": 0, "first": "", "last": "", "right_first": None, "right_last": None, "prediction": "",
            "model_answer": "", "close": None})
        if e["kind"] == "check":
            row["attempts"] += 1
            status = str(e.get("status", ""))
            row["first"] = row["first"] or status
            row["last"] = status
            row["right_first"] = row["first"] == "right"
            row["right_last"] = status == "right"
        elif kind.startswith("quiz") and row["close"] is None:  # the first submission counts
            row["attempts"] += 1
            row["prediction"], row["close"] = e.get("prediction", ""), bool(e.get("close"))
        elif e.get("stage") == "revealed" and row["close"] is None:  # the first reveal counts
            row["attempts"] += 1
            row["prediction"], row["model_answer"] = e.get("prediction", ""), e.get("answer", "")
            row["close"] = bool(e.get("close"))
    return list(rows.values())


def class_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per question: learners who tried it, and the share who missed (a self-check wrong at the
    first attempt, a revealed prediction or a quiz answer not close), most missed first."""
    decided = table[(table.kind == "check") | table.close.notna()] if not table.empty else table
    if decided.empty:
        return pd.DataFrame(columns=["question_id", "kind", "learners", "missed", "missed_share"])
    table = decided
    missed = table.apply(lambda r: (r.right_first is False) if r.kind == "check" else (r.close is False), axis=1)
    missed = missed.astype(bool)
    summary = (table.assign(missed=missed.astype(int))
               .groupby(["question_id", "kind"], as_index=False)
               .agg(learners=("learner", "nunique"), missed=("missed", "sum")))
    summary["missed_share"] = summary.missed / summary.learners
    return summary.sort_values(["missed_share", "question_id"], ascending=[False, True]).reset_index(drop=True)


def quiz_gain(table: pd.DataFrame) -> pd.DataFrame:
    """Per learner who took both quizzes: the pre and post scores (questions close to the model's
    answer) and the gain."""
    quiz = table[table.kind.isin(["quiz_pre", "quiz_post"])]
    if quiz.empty:
        return pd.DataFrame(columns=["learner", "pre", "post", "gain"])
    scores = quiz.assign(close=quiz.close.astype(bool)).pivot_table(index="learner", columns="kind", values="close",
                                                                    aggfunc="sum")
    scores = scores.reindex(columns=["quiz_pre", "quiz_post"]).dropna()
    out = pd.DataFrame({"learner": scores.index, "pre": scores.quiz_pre.astype(int).to_numpy(),
                        "post": scores.quiz_post.astype(int).to_numpy()})
    out["gain"] = out.post - out.pre
    return out.reset_index(drop=True)


def summary_chart(summary: pd.DataFrame) -> alt.Chart:
    """Where the class went wrong: the share of learners who missed each question."""
    return alt.Chart(summary, title="Where the class went wrong: share of learners who missed each question").mark_bar(
    ).encode(
        x=alt.X("missed_share:Q", title="share of learners who missed it", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("question_id:N", sort="-x", title=None),
        color=alt.Color("kind:N", title="question", scale=alt.Scale(
            domain=["check", "prediction", "quiz_pre", "quiz_post"],
            range=["#1d4e89", "#c05a00", "#7a7a7a", "#2e7d32"])),
        tooltip=["question_id", "kind", "learners", "missed", alt.Tooltip("missed_share:Q", format=".0%")],
    ).properties(width=420, height=alt.Step(18))


def summary_html(summary: pd.DataFrame, problems: list[str], learners: int, gain: pd.DataFrame | None = None) -> str:
    """The class summary page: the chart (inline SVG), the quiz gain, the table and the files that
    were not read."""
    from .exports import chart_bytes
    e = html.escape
    gain = gain if gain is not None else pd.DataFrame(columns=["learner", "pre", "post", "gain"])
    quiz_line = (f"<p>Pre/post quiz: {len(gain)} learner{'s' if len(gain) != 1 else ''} took both; mean score "
                 f"{gain.pre.mean():.1f} before, {gain.post.mean():.1f} after (gain {gain.gain.mean():+.1f} of "
                 f"{len(QUIZ)}).</p>\n" if len(gain) else "")
    chart = chart_bytes(summary_chart(summary), "svg").decode("utf-8") if not summary.empty else ""
    rows = "\n".join(f"<tr><td>{e(str(r.question_id))}</td><td>{e(str(r.kind))}</td><td>{r.learners}</td>"
                     f"<td>{r.missed}</td><td>{r.missed_share:.0%}</td></tr>" for r in summary.itertuples())
    unread = "".join(f"<li>{e(p)}</li>" for p in problems)
    return ("<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n<title>Class summary</title>\n"
            f"<style>{progress._CSS}</style>\n</head>\n<body>\n<main>\n<h1>Class summary</h1>\n"
            f"<p>{learners} learner{'s' if learners != 1 else ''}; {len(summary)} questions tried.</p>\n"
            + quiz_line +
            f"<figure role='img' aria-label='Share of learners who missed each question'>{chart}</figure>\n"
            "<table>\n<thead><tr><th>Question</th><th>Kind</th><th>Learners</th><th>Missed</th><th>Share</th></tr>"
            f"</thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n"
            + (f"<h2>Files not read</h2>\n<ul>{unread}</ul>\n" if problems else "")
            + "</main>\n</body>\n</html>\n")


def write_class_files(folder, out=None) -> tuple[dict[str, Path], list[str]]:
    """Collect `folder` and write class_progress.csv and class_summary.html to `out` (default: folder)."""
    from ._files import atomic_write
    table, problems = collect(folder)
    out = Path(out) if out is not None else Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    table.assign(**{c: table[c].map(progress._formula_safe) for c in ("learner", "file", "prediction",
                                                                       "model_answer")}).to_csv(
        buffer, index=False, lineterminator="\n")
    summary = class_summary(table)
    paths = {"csv": atomic_write(out / CLASS_CSV, "\ufeff" + buffer.getvalue()),
             "html": atomic_write(out / CLASS_HTML, summary_html(summary, problems, table.learner.nunique(),
                                                                 quiz_gain(table)))}
    return paths, problems


def main(argv=None, prog: str = "python -m kit.classroom") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    collect_ = commands.add_parser("collect", help="merge a folder of progress files into one CSV and a summary")
    collect_.add_argument("folder", help="the folder with the class's progress files (.json)")
    collect_.add_argument("--out", help="where to write class_progress.csv and class_summary.html (default: folder)")
    args = parser.parse_args(argv)
    try:
        paths, problems = write_class_files(args.folder, args.out)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 2
    for problem in problems:
        print(f"not read: {problem}", file=sys.stderr)
    print(f"wrote {paths['csv']} and {paths['html']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
