"""A printable worksheet: the exercises of the chapters only (Try it, Check yourself, Discuss and the
predict-then-reveal questions), read from the chapters themselves so it never drifts from them,
as one HTML page with print styles in notebooks/my_outputs/. The lab stays on screen; the
questions sit beside it on paper. Every text is escaped; the page has no scripts.

    kit.worksheet()          # every chapter
    kit.worksheet("02")      # one chapter
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from . import progress
from .errors import DataError

EXERCISE_SECTIONS = ("Try it", "Make a prediction", "Check yourself", "Discuss")
_CHECK_CALL = re.compile(r"""kit\.check\(\s*["']([^"']+)["']""")


def notebooks_dir() -> Path:
    """The chapters' folder (next to kit/ in a checkout)."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def chapter_files() -> dict[str, Path]:
    """The chapters by number, e.g. {'00': .../00_start_here.ipynb, ...}."""
    return {p.name[:2]: p for p in sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))}


def chapter_exercises(path: Path) -> dict:
    """A chapter's title and its exercise sections: [(heading, [("text", markdown) | ("code", source) |
    ("answer", question id)])], in the chapter's order."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as exc:
        raise DataError([f"the chapter cannot be read ({exc})"], source=Path(path).name) from None
    title, sections, current = Path(path).stem, [], None
    for cell in cells:
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            heading = re.match(r"#\s+(.+)", source)
            if heading and title == Path(path).stem:
                title = heading.group(1).strip()
            match = re.match(r"##\s+(.+)", source)
            if match:
                name = match.group(1).strip()
                current = (name, []) if name in EXERCISE_SECTIONS else None
                if current:
                    sections.append(current)
                source = source[match.end():].strip()
            if current and source:
                current[1].append(("text", source))
        elif current:
            called = _CHECK_CALL.search(source)
            current[1].append(("answer", called.group(1)) if called else ("code", source.strip()))
    return {"title": title, "sections": sections}


def worksheet_html(chapters=None) -> str:
    """The worksheet page for some chapters ('02', or a list; default every chapter)."""
    from .predictions import describe_move, questions
    files = chapter_files()
    wanted = _wanted(chapters, files)
    predictions = questions()
    parts = []
    for number in wanted:
        chapter = chapter_exercises(files[number])
        parts.append(f"<section class='chapter'>\n<h2>{_e(chapter['title'])}</h2>")
        asked = [q for q in predictions.values() if q.chapter == number]
        if asked:
            parts.append("<h3>Predict, then reveal</h3>\n<p class='how'>Write your prediction before you make the "
                         "move; then run <code>kit.predict(\"id\")</code> in the chapter to reveal the model's "
                         "answer.</p>")
            for q in asked:
                parts.append(f"<div class='q'><p>{_e(q.question)}</p><p class='move'>The move: "
                             f"{_e(describe_move(q))}. <span class='id'>{_e(q.id)}</span></p>"
                             "<p class='line'>My prediction:</p></div>")
        for heading, items in chapter["sections"]:
            parts.append(f"<h3>{_e(heading)}</h3>")
            for kind, content in items:
                if kind == "text":
                    parts.append(markdown_html(content))
                elif kind == "code":
                    parts.append(f"<pre>{_e(content)}</pre>")
                else:
                    parts.append(f"<p class='line'>My answer: <span class='id'>{_e(content)}</span></p>")
            if heading == "Discuss":
                parts.append("<div class='notes'></div>")
        parts.append("</section>")
    body = "\n".join(parts)
    scope = "every chapter" if chapters is None else "chapter " + ", ".join(wanted)
    return ("<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
            f"<title>Worksheet — {_e(scope)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>The Empathy Premium: worksheet ({_e(scope)})</h1>\n<p class='how'>Name: ____________________ "
            "Keep the chapter open beside this page; the numbers come from the kit when you run its cells.</p>\n"
            f"{body}\n</main>\n</body>\n</html>\n")


def worksheet(chapters=None) -> Path:
    """Write the worksheet to notebooks/my_outputs/ (worksheet.html, or worksheet_02.html for one
    chapter) and return its path; print it from the browser."""
    from ._files import atomic_write
    wanted = _wanted(chapters, chapter_files())
    name = "worksheet.html" if chapters is None else f"worksheet_{'_'.join(wanted)}.html"
    folder = progress.outputs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return atomic_write(progress.inside_outputs(name), worksheet_html(chapters))


def _wanted(chapters, files: dict) -> list[str]:
    if chapters is None:
        return list(files)
    given = [chapters] if isinstance(chapters, str | int) else list(chapters)
    wanted = []
    for chapter in given:
        number = f"{int(chapter):02d}" if str(chapter).isdigit() else str(chapter)
        if number not in files:
            raise DataError([f"there is no chapter {chapter!r}; the chapters are: {', '.join(files)}"],
                            source="worksheet")
        wanted.append(number)
    return wanted


def markdown_html(text: str) -> str:
    """The little markdown the chapters use (paragraphs, lists, **bold**, *italic*, `code`, links
    shown as their text), escaped first so no markup of the source survives."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if all(re.match(r"\s*(?:[-*]|\d+\.)\s+", line) or line.startswith("   ") for line in lines):
            ordered = bool(re.match(r"\s*\d+\.", lines[0]))
            items, current = [], ""
            for line in lines:
                if re.match(r"\s*(?:[-*]|\d+\.)\s+", line):
                    if current:
                        items.append(current)
                    current = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line)
                else:
                    current += " " + line.strip()
            items.append(current)
            tag = "ol" if ordered else "ul"
            blocks.append(f"<{tag}>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + f"</{tag}>")
        else:
            blocks.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(blocks)


def _inline(text: str) -> str:
    text = _e(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])", r"<em>\1</em>", text)
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)


def _e(text) -> str:
    return html.escape(str(text), quote=True)


_CSS = """
body { font-family: system-ui, sans-serif; color: #1a1a1a; margin: 0; line-height: 1.45; }
main { max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
h2 { border-bottom: 2px solid #1d4e89; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { color: #1d4e89; margin-bottom: 0.3rem; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.9em; background: #f3f5f8; }
pre { padding: 0.4rem; white-space: pre-wrap; }
.line { border-bottom: 1px solid #888; min-height: 1.8rem; margin: 0.6rem 0 1rem; }
.notes { border: 1px solid #888; min-height: 7rem; margin: 0.5rem 0; }
.id { float: right; color: #666; font-size: 0.8em; }
.how, .move { color: #444; font-size: 0.92rem; }
@media print {
  main { margin: 0; max-width: none; }
  section.chapter { break-before: page; }
  section.chapter:first-of-type { break-before: auto; }
  .line, .notes, pre { break-inside: avoid; }
}
"""
