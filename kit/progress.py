"""A learner's progress, written as they go: self-check attempts, predictions, saved scenario codes
and discussion notes, in one JSON file inside notebooks/my_outputs/ (a Binder session vanishes; the
file, or its export, leaves with the learner).

    kit.check(...)                     # every attempt is recorded (kit.check is progress.check)
    kit.predict(...)                   # locked-in predictions and reveals are recorded
    kit.note("Ward 7 would lose the night clerk first")
    kit.progress.save_code(lab.scenario, "our ward, heavy review")
    kit.export_progress()              # progress.csv + progress.json + progress.html to hand in

Every write replaces the file atomically (a temporary file, then a rename) after each step, so a
kernel restart loses nothing. The file carries a SHA-256 checksum of its entries: it shows that
the file was edited by hand or damaged, not who edited it (anyone can recompute it). Nothing is
sent anywhere. Files are written only inside the outputs folder ($KIT_OUTPUTS_DIR, else the
checkout's notebooks/my_outputs/); a damaged progress file is kept aside, never overwritten.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import html
import io
import json
import math
import os
import re
import warnings
from pathlib import Path

from . import checks
from ._files import default_outputs, file_bytes, learner_file, outputs_dir  # noqa: F401 (used as progress.*)
from .errors import DataError, quoted

PROGRESS_FORMAT = "empathy-premium-progress"
PROGRESS_VERSION = 1
FILE_NAME = "progress.json"
LOCK_NAME = "progress.lock"
EXPORT_STEM = "progress_export"
MAX_PROGRESS_BYTES = 5_000_000   # a year of daily lessons is well under 1 MB
MAX_ENTRIES = 20_000
MAX_TEXT = 2_000                 # characters in a note, an answer or a label
KINDS = ("check", "prediction", "note", "code", "quiz")
CSV_COLUMNS = ("learner", "at", "kind", "question_id", "chapter", "stage", "answer", "result", "close", "gap",
               "text")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ProgressNotSaved(UserWarning):
    """The progress file could not be written (the lesson goes on; the reason says what to fix)."""


# --------------------------------------------------------------------------- where

def progress_path() -> Path:
    """The learner's progress file."""
    return outputs_dir() / FILE_NAME


def inside_outputs(name: str) -> Path:
    """A path for `name` inside the outputs folder (kit._files.learner_file: the one path policy)."""
    return learner_file(name, source="progress")


# --------------------------------------------------------------------------- recording

def enabled() -> bool:
    """Progress is recorded unless KIT_PROGRESS=off (e.g. while a facilitator re-runs the chapters)."""
    return os.environ.get("KIT_PROGRESS", "").lower() not in ("off", "0", "no", "false")


def record(kind: str, question_id: str | None = None, **fields) -> dict | None:
    """Add one entry to the progress file and write it at once. Returns the entry, or None if
    recording is off or the file could not be written (a ProgressNotSaved warning says why)."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if not enabled():
        return None
    entry = {"kind": kind, "at": _now(), "question_id": question_id, "chapter": _chapter(question_id)}
    entry |= {k: _json_safe(v) for k, v in fields.items()}
    try:
        with _locked():
            content = _current()
            if len(content["entries"]) >= MAX_ENTRIES:
                raise DataError([f"it holds {MAX_ENTRIES:,} entries, the most it can; export it and start a new one "
                                 "by renaming the file"], source=FILE_NAME)
            content["entries"].append(entry)
            _write(content)
    except DataError as exc:
        warnings.warn(f"progress not saved: {exc}", ProgressNotSaved, stacklevel=3)
        return None
    return entry


def check(question_id: str, answer):
    """Check a learner's answer (kit.checks.check) and record the attempt in the progress file."""
    feedback = checks.check(question_id, answer)
    known = not (feedback.status == "invalid" and feedback.message.startswith("There is no question"))
    if known and feedback.status != "unanswered":
        record("check", question_id, answer=answer, status=feedback.status, close=feedback.correct)
    return feedback


def note(text: str):
    """Keep a discussion note in the progress file (plain text, at most 2,000 characters)."""
    if not isinstance(text, str) or not text.strip():
        return _Said("A note is text in quotes, e.g. kit.note(\"Our front desk would change most\").")
    if len(text) > MAX_TEXT:
        return _Said(f"The note is {len(text):,} characters; keep it to {MAX_TEXT:,} (split it in two).")
    entry = record("note", None, text=_plain(text))
    return _Said("Note saved in your progress file." if entry else "Note not saved (see the warning above).")


def save_code(scenario, label: str = ""):
    """Keep a scenario's code (kit.share_code) in the progress file, with a short label."""
    from .model import Scenario
    from .scenario_codes import open_code, share_code
    try:
        code = share_code(scenario) if isinstance(scenario, Scenario) else str(scenario)
        if not isinstance(scenario, Scenario):
            try:
                open_code(code)
            except DataError as exc:  # a custom organization's code needs its file, and is still kept
                if not any("custom organization" in p for p in exc.problems):
                    raise
    except DataError as exc:
        return _Said(f"Not saved: {exc}")
    entry = record("code", None, code=code, text=_plain(str(label))[:MAX_TEXT])
    return _Said(f"Code saved in your progress file: {code}" if entry else "Code not saved (see the warning above).")


def set_learner(name: str):
    """The name (or student id) written on the exports; kept in the progress file."""
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        return _Said("Give your name or student id as text of at most 100 characters.")
    try:
        with _locked():
            content = _current()
            content["learner"] = _plain(name.strip())
            _write(content)
    except DataError as exc:
        return _Said(f"Not saved: {exc}")
    return _Said(f"Your progress file is now labelled {content['learner']!r}.")


# --------------------------------------------------------------------------- reading

def load_progress(source=None) -> dict:
    """Read a progress file (default: this learner's): {'learner': ..., 'entries': [...]}.
    A damaged, hand-edited, foreign or newer file is a kit.DataError saying what is wrong."""
    label, raw = file_bytes(source if source is not None else progress_path(), limit=MAX_PROGRESS_BYTES,
                            kind="a progress file", upload_label="progress file",
                            too_big=lambda size: (f"the file is {size:,} bytes; a progress file is at most "
                                                  f"{MAX_PROGRESS_BYTES:,}, so this is not one"))
    return progress_from_bytes(raw, label)


def progress_from_bytes(raw: bytes, source: str = "progress file") -> dict:
    """Check a progress file's bytes and return its content (see load_progress)."""
    try:
        content = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DataError(["the file is not UTF-8 text, so it is not a progress file"], source=source) from None
    except RecursionError:
        raise DataError(["the file is damaged: its JSON is nested too deep"], source=source) from None
    except ValueError as exc:
        raise DataError([f"the file is damaged: it is not valid JSON ({exc})"], source=source) from None
    if not isinstance(content, dict) or content.get("format") != PROGRESS_FORMAT:
        raise DataError([f"this is not a progress file saved by the kit (its format should be {PROGRESS_FORMAT!r})"],
                        source=source)
    version = content.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DataError([f"format_version: {_short(version)} is not a version number; the file is damaged"],
                        source=source)
    if version > PROGRESS_VERSION:
        raise DataError([f"this file was saved by a newer version of the kit (progress format {version}); "
                         f"this kit reads format {PROGRESS_VERSION}. Update the kit to open it"], source=source)
    problems = []
    entries, learner = content.get("entries"), content.get("learner", "")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append("entries: must be a list of entries; the file is damaged")
    elif len(entries) > MAX_ENTRIES:
        problems.append(f"entries: {len(entries):,} entries; a progress file holds at most {MAX_ENTRIES:,}")
    else:
        for i, e in enumerate(entries):
            if e.get("kind") not in KINDS:
                problems.append(f"entry {i + 1}: kind {_short(e.get('kind'))} is not one of {', '.join(KINDS)}")
    if not isinstance(learner, str):
        problems.append("learner: must be text")
    if not problems and content.get("checksum") != _checksum(content):
        problems.append("the checksum does not match the entries: the file was edited by hand or damaged after "
                        "the kit wrote it. Hand in the file the kit wrote (kit.export_progress())")
    if problems:
        raise DataError(problems, source=source)
    return {"learner": learner, "entries": entries}


def progress_table(content: dict | None = None):
    """The progress as a table, one row per entry (the columns of the CSV export)."""
    import pandas as pd
    content = content if content is not None else _current_or_empty()
    rows = []
    for e in content["entries"]:
        answer = e.get("prediction") if e["kind"] == "prediction" else e.get("answer", e.get("code"))
        result = e.get("status") if e["kind"] == "check" else e.get("answer") if e["kind"] == "prediction" else ""
        rows.append({"learner": content.get("learner", ""), "at": e.get("at", ""), "kind": e["kind"],
                     "question_id": e.get("question_id") or "", "chapter": e.get("chapter") or "",
                     "stage": e.get("stage", ""), "answer": _cell(answer), "result": _cell(result),
                     "close": _cell(e.get("close")), "gap": _cell(e.get("gap")), "text": _cell(e.get("text"))})
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


# --------------------------------------------------------------------------- exports

def export_progress() -> dict[str, Path]:
    """Write the progress as files to hand in (Canvas, Moodle, Gradescope): progress_export.csv (one
    row per entry, safe to open in a spreadsheet), progress_export.json (the checked file) and
    progress_export.html (one printable page). Returns their paths; nothing is uploaded."""
    from ._files import atomic_write
    content = _current_or_empty()
    table = progress_table(content)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in table.itertuples(index=False):
        writer.writerow([_formula_safe(v) for v in row])
    paths = {
        "csv": atomic_write(inside_outputs(f"{EXPORT_STEM}.csv"), "\ufeff" + out.getvalue()),
        "json": atomic_write(inside_outputs(f"{EXPORT_STEM}.json"), _dump(_signed(content))),
        "html": atomic_write(inside_outputs(f"{EXPORT_STEM}.html"), progress_html(content)),
    }
    return paths


save_progress = export_progress  # the name the course loop uses (kit.save_progress()); export_progress stays


def progress_html(content: dict | None = None) -> str:
    """One printable page of the progress (every text escaped, no scripts, nothing from the network)."""
    content = content if content is not None else _current_or_empty()
    table = progress_table(content)
    checks_ = table[table.kind == "check"]
    right = checks_[checks_.result == "right"].question_id.nunique()
    tried = checks_.question_id.nunique()
    revealed = table[(table.kind == "prediction") & (table.stage == "revealed")]
    e = html.escape
    cells = [(r.at.replace("T", " ")[:16], r.kind, r.question_id, r.stage, r.answer, r.result, r.text)
             for r in table.itertuples(index=False)]
    rows = "\n".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>" for row in cells)
    learner = content.get("learner") or "(no name: kit.progress.set_learner('your name'))"
    return ("<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
            f"<title>Progress — {e(learner)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>Progress: {e(learner)}</h1>\n"
            f"<p>Self-checks answered right: {right} of {tried} tried. Predictions revealed: {len(revealed)}. "
            f"Notes: {int((table.kind == 'note').sum())}. Scenario codes: {int((table.kind == 'code').sum())}.</p>\n"
            "<table>\n<thead><tr><th>When (UTC)</th><th>What</th><th>Question</th><th>Stage</th><th>Answer</th>"
            f"<th>Result</th><th>Note</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n"
            "<p class='note'>Written by the Empathy Premium teaching kit from progress.json; checksum "
            f"{e(_checksum(content)[:19])}…</p>\n</main>\n</body>\n</html>\n")


# --------------------------------------------------------------------------- the file

def _current() -> dict:
    """The progress file's content, or a new one; a damaged file is moved aside (kept), not overwritten."""
    path = progress_path()
    if not path.exists():
        return {"learner": "", "entries": []}
    try:
        return load_progress(path)
    except DataError as exc:
        aside = path.with_name(f"progress.damaged-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}.json")
        try:
            os.replace(path, aside)
        except OSError as move_error:
            raise DataError([f"{FILE_NAME} cannot be read ({'; '.join(exc.problems)}) and cannot be moved aside "
                             f"({move_error.strerror}); fix or rename it"], source=FILE_NAME) from None
        warnings.warn(f"{FILE_NAME} could not be read ({'; '.join(exc.problems)}); it was kept as {aside.name} "
                      "and a new progress file was started", ProgressNotSaved, stacklevel=4)
        return {"learner": "", "entries": []}


def _current_or_empty() -> dict:
    path = progress_path()
    return load_progress(path) if path.exists() else {"learner": "", "entries": []}


def _write(content: dict) -> Path:
    from ._files import atomic_write
    _folder()
    return atomic_write(inside_outputs(FILE_NAME), _dump(_signed(content)))


def _folder() -> Path:
    folder = outputs_dir()
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataError([f"cannot make the folder {str(folder)!r}: {exc.strerror}"], source=FILE_NAME) from None
    return folder


@contextlib.contextmanager
def _locked():
    """One writer at a time: two kernels (two chapters open) each add their entry, none is lost.
    Where the system has no file locks (Windows), writes are still atomic, just not queued."""
    _folder()
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        handle = open(inside_outputs(LOCK_NAME), "a")  # noqa: SIM115  (held for the block below)
    except OSError as exc:
        raise DataError([f"cannot open the lock file: {exc.strerror}"], source=FILE_NAME) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _signed(content: dict) -> dict:
    signed = {"format": PROGRESS_FORMAT, "format_version": PROGRESS_VERSION, "learner": content.get("learner", ""),
              "entries": content["entries"]}
    signed["checksum"] = _checksum(signed)
    return signed


def _checksum(content: dict) -> str:
    canonical = json.dumps({k: content.get(k) for k in ("format", "format_version", "learner", "entries")},
                           sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _dump(content: dict) -> str:
    return json.dumps(content, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def _json_safe(value):
    """Numbers, text, yes/no and lists of them as they are; anything else as short text."""
    if value is None or isinstance(value, bool | str):
        return _plain(value)[:MAX_TEXT] if isinstance(value, str) else value
    if isinstance(value, int) and abs(value) < 2**53:
        return value
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is not None and not isinstance(value, str | bytes):
        return number if math.isfinite(number) else str(number)
    if isinstance(value, list | tuple | set) and len(value) <= 100:
        return [_json_safe(v) for v in value]
    return _plain(quoted(value, MAX_TEXT))


def _plain(text: str) -> str:
    """Text without control characters (kept: line breaks and tabs)."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value) if not isinstance(value, list) else "; ".join(map(str, value))


def _formula_safe(value: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (OWASP: a leading apostrophe)."""
    text = str(value)
    try:
        float(text)
        return text
    except ValueError:
        return "'" + text if text.startswith(FORMULA_START) else text


@functools.cache
def _chapter(question_id: str | None) -> str:
    match = re.match(r"ch(\d\d)\.", question_id or "")
    return match.group(1) if match else ""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Said(str):
    """A short message that shows as itself in a notebook (no quotes)."""

    def __repr__(self):
        return str(self)


_CSS = """
body { font-family: system-ui, sans-serif; color: #1a1a1a; margin: 0; }
main { max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #c8d1dc; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #eef3fb; }
.note { color: #444; font-size: 0.85rem; }
@media print { main { margin: 0; max-width: none; } th { background: none; } }
"""
