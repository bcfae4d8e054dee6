"""Take work out of the kit: results as CSV, charts as PNG/SVG/HTML, a one-page HTML summary.

Every file is written atomically (a temporary file in the same folder, then a rename), so a crash
or a full disk never leaves half a file; problems raise `kit.DataError` saying what to fix.
Nothing here uses the network: charts are drawn by vl-convert, and HTML files carry their own
JavaScript and styles, so they open offline.

Spreadsheet formula injection: a text cell that starts with =, +, -, @, a tab or a carriage
return is run as a formula by Excel and LibreOffice. `save_results_csv` puts an apostrophe in
front of such text cells (OWASP's advice), and of text cells that already start with one, so
`read_results_csv` can take exactly one apostrophe off and give back the original table. Numeric
columns are written as plain numbers and never touched: a cell such as -0.25 in a number column
is a number to a spreadsheet, not a formula, and it must stay negative.
"""
from __future__ import annotations

import html
import io
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from . import adoption, charts, data, fonts
from ._files import atomic_write
from .errors import DataError
from .model import MODES, Organization, Result, Scenario, simulate

RESULT_TABLES = ("by_role", "by_family", "roles", "org_by_mode", "org")
CHART_FORMATS = ("png", "svg", "html", "json")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
CSV_ENCODING = "utf-8-sig"  # with a BOM, so Excel shows accents in names correctly

# SVG text is placed by vl-convert with the widths of a font it has, then drawn by a browser with
# whatever fonts the machine has (DejaVu Sans is about 20% wider than Liberation Sans), which clipped
# titles on some machines. Exported SVG is measured with the kit's bundled Kit Sans and carries it.
SVG_FONT = f"'{fonts.FAMILY}', sans-serif"


# --------------------------------------------------------------------------- CSV

def neutralize_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (see the module docstring)."""
    out = frame.copy()
    for column in out.columns:
        if not _is_text(out[column]):
            continue
        out[column] = out[column].map(
            lambda v: ESCAPE + v if isinstance(v, str) and v.startswith(FORMULA_START + (ESCAPE,)) else v)
    out.columns = [ESCAPE + c if isinstance(c, str) and c.startswith(FORMULA_START + (ESCAPE,)) else c
                   for c in out.columns]
    return out


def restore_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo `neutralize_formulas`: take one leading apostrophe off text cells and headers."""
    out = frame.copy()
    for column in out.columns:
        if _is_text(out[column]):
            out[column] = out[column].map(lambda v: v[1:] if isinstance(v, str) and v.startswith(ESCAPE) else v)
    out.columns = [c[1:] if isinstance(c, str) and c.startswith(ESCAPE) else c for c in out.columns]
    return out


def _is_text(column: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(column) or column.dtype == object


def results_table(result: Result, table: str = "by_role") -> pd.DataFrame:
    """One of a Result's tables as a DataFrame; `org` (a Series) becomes columns measure, value."""
    if not isinstance(result, Result):
        raise DataError([f"{type(result).__name__} is not a result; run kit.simulate(scenario) first"],
                        source="export")
    if table not in RESULT_TABLES:
        raise DataError([f"table: {table!r} is not a table of a result; choose one of: {', '.join(RESULT_TABLES)}"],
                        source="export")
    if table == "org":
        return pd.DataFrame({"measure": pd.array(result.org.index, dtype="str"), "value": result.org.to_numpy()})
    return getattr(result, table)


def results_csv(result: Result | pd.DataFrame, table: str = "by_role") -> bytes:
    """A result table (or any DataFrame) as the bytes of a CSV file, formulas neutralised."""
    frame = result if isinstance(result, pd.DataFrame) else results_table(result, table)
    buffer = io.StringIO()
    # CRLF (as RFC 4180 says) also makes the csv writer quote cells holding a bare carriage return
    neutralize_formulas(frame).to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode(CSV_ENCODING)


def save_results_csv(result: Result | pd.DataFrame, path, table: str = "by_role") -> Path:
    """Write a result table (or any DataFrame) as CSV, atomically, formulas neutralised."""
    return atomic_write(path, results_csv(result, table))


def read_results_csv(path) -> pd.DataFrame:
    """Read back a CSV written by `save_results_csv`: the same columns, types and values."""
    try:
        frame = pd.read_csv(path, encoding=CSV_ENCODING, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as exc:
        raise DataError([f"cannot read {str(path)!r}: {exc}"], source="results") from None
    return restore_formulas(frame)


# --------------------------------------------------------------------------- charts

def chart_spec(chart) -> dict:
    """The Vega-Lite spec of an Altair chart (or a spec dict), refusing data that lives on the web."""
    if isinstance(chart, dict):
        spec = chart
    elif hasattr(chart, "to_dict"):
        try:
            spec = chart.to_dict()
        except Exception as exc:  # Altair raises its own schema errors for a broken chart
            raise DataError([f"the chart is not valid: {str(exc).splitlines()[0]}"], source="chart") from None
    else:
        raise DataError([f"{type(chart).__name__} is not a chart; give an Altair chart"], source="chart")
    if _draws_images(spec):
        raise DataError(["the chart draws pictures from web addresses (an image mark or a url channel); the kit "
                         "only exports charts that open offline and fetch nothing"], source="chart")
    urls = _data_urls(spec)
    if urls:
        raise DataError([f"the chart loads its data from {urls[0]!r}; the kit only exports charts whose data is "
                         "inside them, so that they work offline"], source="chart")
    return spec


def _draws_images(node) -> bool:
    """True when a (nested) chart has an image mark or a url encoding, which load from the network."""
    if isinstance(node, dict):
        mark = node.get("mark")
        mark = mark.get("type") if isinstance(mark, dict) else mark
        encoding = node.get("encoding")
        if mark == "image" or (isinstance(encoding, dict) and "url" in encoding):
            return True
        return any(_draws_images(v) for v in node.values())
    if isinstance(node, list):
        return any(_draws_images(v) for v in node)
    return False


def _data_urls(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["url"]] if isinstance(node.get("url"), str) and ("values" not in node) else []
        return found + [u for v in node.values() for u in _data_urls(v)]
    if isinstance(node, list):
        return [u for v in node for u in _data_urls(v)]
    return []


def chart_bytes(chart, format: str = "png", scale: float = 2.0) -> bytes:
    """A chart rendered offline by vl-convert: png, svg, html (scripts bundled) or json (the spec)."""
    import vl_convert as vlc

    if format not in CHART_FORMATS:
        raise DataError([f"format: {format!r} is not one the kit saves charts in; choose one of: "
                         f"{', '.join(CHART_FORMATS)}"], source="chart")
    spec = chart_spec(chart)
    version = _vl_version(spec)
    try:
        if format == "png":
            return vlc.vegalite_to_png(spec, vl_version=version, scale=scale, allowed_base_urls=[])
        if format == "svg":
            fonts.register()
            svg = vlc.vegalite_to_svg(_svg_fonts(spec), vl_version=version, allowed_base_urls=[])
            return _with_font(svg).encode("utf-8")
        if format == "json":
            return (json.dumps(spec, indent=2, allow_nan=False) + "\n").encode("utf-8")
        page = _chart_page(spec, version)
    except ValueError as exc:
        raise DataError([f"the chart cannot be drawn: {_reason(exc)}"], source="chart") from None
    return _labelled_page(page, spec).encode("utf-8")


def _reason(exc: Exception) -> str:
    """vl-convert's reason in one line: its first line ("... conversion failed:") and the error under it.

    >>> _reason(ValueError("Vega-Lite to PNG conversion failed:\\nError: Unexpected end of input\\n    at Au (x)"))
    'Vega-Lite to PNG conversion failed: Error: Unexpected end of input'
    """
    lines = [line.strip() for line in str(exc).splitlines() if line.strip() and not line.strip().startswith("at ")]
    text = " ".join(lines[:2]) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


def _svg_fonts(spec: dict) -> dict:
    """The spec with the kit's font (or none) replaced by SVG_FONT, so that a browser draws the SVG's
    text as wide as vl-convert measured it. A font the chart's author chose is kept."""
    config = spec.get("config", {})
    if config.get("font", charts.FONT) != charts.FONT:
        return spec
    return {**spec, "config": {**config, "font": SVG_FONT}}


def _with_font(svg: str) -> str:
    """The SVG with Kit Sans embedded (as @font-face), so that it is drawn with the font it was measured with."""
    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + _font_defs(), svg, count=1)


def _font_defs() -> str:
    return f"<defs><style>{fonts.font_face_css()}</style></defs>"


def _vl_version(spec: dict) -> str | None:
    """The Vega-Lite version the spec was written for, if vl-convert has it (else its latest)."""
    import vl_convert as vlc

    match = re.search(r"/v(\d+\.\d+)", str(spec.get("$schema", "")))
    return match.group(1) if match and match.group(1) in vlc.get_vegalite_versions() else None


_PLACEHOLDER = {"description": "kit-spec-placeholder"}


def _chart_page(spec: dict, version: str | None) -> str:
    """vl-convert's offline page around the spec, embedded as script-safe JSON: a `</script>` or
    `<!--` in a title, a data value or an organization's name stays text and never ends the script."""
    import vl_convert as vlc

    page = vlc.vegalite_to_html(_PLACEHOLDER, vl_version=version, bundle=True)
    marker = json.dumps(_PLACEHOLDER, separators=(",", ":"))
    if page.count(marker) != 1:  # vl-convert changed its page: refuse rather than embed unsafely
        raise ValueError("vl-convert's HTML page has an unexpected layout")
    return page.replace(marker, script_safe_json(spec), 1)


def script_safe_json(value, compact: bool = False) -> str:
    """JSON that can sit inside an HTML <script>: <, > and & (and the JavaScript line separators)
    written as \\u escapes, which parse to the same characters.

    >>> script_safe_json({"title": "</script>"})
    '{"title": "\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, allow_nan=False, ensure_ascii=False, separators=(",", ":") if compact else None)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _labelled_page(page: str, spec: dict) -> str:
    """vl-convert's page with the chart's title as the page title and its description as text."""
    title = spec.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    title = " ".join(title) if isinstance(title, list) else str(title or "Chart")
    page = page.replace("<title>Chart</title>", f"<title>{html.escape(title)}</title>", 1)
    description = spec.get("description")
    if description:
        page = page.replace('<div id="vega-chart"></div>',
                            f'<p>{html.escape(str(description))}</p>\n    <div id="vega-chart" role="img" '
                            f'aria-label="{html.escape(str(description))}"></div>', 1)
    return page


def save_chart(chart, path, format: str | None = None, scale: float = 2.0) -> Path:
    """Save a chart as PNG, SVG, HTML (opens offline) or JSON, chosen by `format` or the file suffix."""
    path = Path(path)
    format = (format or path.suffix.lstrip(".")).lower()
    if format not in CHART_FORMATS:
        raise DataError([f"{path.name}: the kit saves charts as {', '.join('.' + f for f in CHART_FORMATS)}; "
                         "give the file one of these endings"], source="chart")
    return atomic_write(path, chart_bytes(chart, format, scale))


# --------------------------------------------------------------------------- one-page summary

def summary_html(what: Result | Scenario | Organization | str, charts=()) -> str:
    """A self-contained one-page HTML summary of a result (or of an organization before any AI):
    the scenario, the organization's totals, hours by mode and a table per role. `charts` (Altair
    charts, e.g. from kit.charts) are embedded as inline SVG. No scripts, nothing from the network."""
    result = _as_result(what)
    scenario, org = result.scenario, result.org
    name = scenario.org.name if isinstance(scenario.org, Organization) else _profile_name(scenario.org)
    families = data.load_task_families().set_index("family").label
    automated = {f: scenario.automation_rate(f) for f in scenario.automation if scenario.automation_rate(f) > 0}
    before_any_ai = not automated

    parts = [f"<h1>{_e(name)}</h1>",
             f"<p class='lead'>{_e(_headline(result))}</p>"]
    if automated:
        rows = [(families.get(f, f), f"{r:.0%} of exposed work" + _users(scenario, f)) for f, r in automated.items()]
        ratio = scenario.oversight_ratio
        review = (", ".join(f"{families.get(f, f)} {v:.2f}" for f, v in ratio.items()) + " hours per automated hour"
                  " (other families as datasets/review_by_family.csv)" if isinstance(ratio, Mapping)
                  else f"{ratio:.2f} hours per automated hour")
        rows += [("Human review", review),
                 ("Freed hours go to", ", ".join(f"{k} {v:.0%}" for k, v in scenario.reinvestment.items()))]
        parts += ["<h2>The scenario</h2>", _table(["Setting", "Value"], rows)]
    else:
        parts += ["<p>No task is automated in this scenario: the tables show the organization's week as it is.</p>"]

    parts += ["<h2>The organization's week</h2>", _table(["Measure", "Value"], _totals(org, before_any_ai))]
    parts += ["<h2>Hours by mode</h2>", _mode_bars(result.org_by_mode, before_any_ai)]
    parts += ["<h2>Role by role</h2>", _role_table(result, before_any_ai)]
    for chart in charts:
        parts.append(_figure(chart))
    if isinstance(scenario.org, Organization) and scenario.org.shares is not None:
        titles = result.roles.set_index("role_id").title
        custom = [titles[r] for r, s in zip(scenario.org.role_ids, scenario.org.shares) if s is not None]
        parts.append(f"<p class='note'>The organization gave its own task-family shares for: {_e(', '.join(custom))}"
                     " (the other roles keep the kit's baseline mix).</p>")
    parts.append("<p class='note'>A teaching model, not a forecast. Data: BLS OEWS May 2024 (employment, wages), "
                 "O*NET 29.3 tasks, Eloundou et al. (2024) AI-exposure labels; every assumption is listed in "
                 "datasets/assumptions.csv. Made with the Empathy Premium teaching kit.</p>")
    body = "\n".join(parts)
    css = _CSS + (fonts.font_face_css() if charts else "")
    return (f"<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
            f"<title>{_e(name)} — summary</title>\n<style>{css}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def save_summary_html(what: Result | Scenario | Organization | str, path, charts=()) -> Path:
    """Write `summary_html(what, charts)` to a file, atomically."""
    return atomic_write(path, summary_html(what, charts))


def _as_result(what) -> Result:
    if isinstance(what, Result):
        return what
    if isinstance(what, Scenario):
        return simulate(what)
    if isinstance(what, (Organization, str)):
        try:
            return simulate(Scenario(org=what))
        except ValueError as exc:
            raise DataError([str(exc)], source="summary") from None
    raise DataError([f"{type(what).__name__} cannot be summarised; give a result, a scenario or an organization"],
                    source="summary")


def _profile_name(org_id: str) -> str:
    profiles = data.load_org_profiles()
    return str(profiles.loc[profiles.org_id == org_id, "org_name"].iloc[0])


def _headline(result: Result) -> str:
    modes = result.org_by_mode.set_index("mode")
    if result.org.headcount == 0:
        return "This organization has no people yet: fill in the headcounts."
    before, after = modes.share_before, modes.share_after
    if not result.scenario.automation or result.org.automated == 0:
        return (f"{result.org.headcount:,.0f} people; {before['execution']:.0%} of their paid hours are execution "
                f"work, {before['curation']:.0%} curation and {before['presence']:.0%} presence.")
    def change(mode):  # in whole percents, worded as the charts word a change
        return charts.change_phrase(100 * before[mode], 100 * after[mode], "%", digits=0)

    return (f"Execution work {change('execution')} of the week; presence {change('presence')} "
            f"({result.org.headcount:,.0f} people).")


def _users(scenario, family: str) -> str:
    """', used by …' for a tool only some roles use (kit.adoption), else nothing."""
    if not isinstance(scenario.automation.get(family), Mapping):
        return ""
    return ", used by " + adoption.describe_users(scenario.automation, family)


def _totals(org: pd.Series, before_any_ai: bool) -> list[tuple[str, str]]:
    rows = [("People (headcount)", f"{org.headcount:,.1f}".removesuffix(".0")),
            ("Paid hours a week", f"{org.hours_before:,.0f}")]
    if not before_any_ai:
        rows += [("Hours a week done by AI", f"{org.automated:,.0f}"),
                 ("New review (oversight) hours a week", f"{org.oversight:,.0f}"),
                 ("Hours freed a week", f"{org.freed:,.0f}"),
                 ("… to presence", f"{org.to_presence:,.0f}"),
                 ("… to capacity (more patients)", f"{org.to_capacity:,.0f}"),
                 ("… released (fewer paid hours)", f"{org.released:,.0f} ({charts.format_fte(org.released_fte)} FTE)"),
                 ("Central oversight team",
                  f"{charts.format_fte(org.oversight_team_fte)} FTE, "
                  f"{charts.format_money(org.oversight_team_cost)} a year")]
    if org.pajama_clinicians > 0:
        rows.append(("After-hours documentation (pajama time), hours a week",
                     f"{org.pajama_before:,.0f}" + ("" if before_any_ai else f" → {org.pajama_after:,.0f}")))
    return rows


def _mode_bars(by_mode: pd.DataFrame, before_any_ai: bool) -> str:
    """Stacked bars drawn with HTML and CSS (no script), each segment labelled in text."""
    lines = []
    for when in (("before",) if before_any_ai else ("before", "after")):
        segments = []
        for mode, share, hours in zip(by_mode["mode"], by_mode[f"share_{when}"], by_mode[f"hours_{when}"]):
            label = f"{mode} {share:.0%}"
            segments.append(f"<span class='seg' style='width:{max(share, 0) * 100:.2f}%;"
                            f"background:{charts.PALETTE[mode]};color:{charts.TEXT_ON_MODE[mode]}' "
                            f"title='{_e(label)}, {hours:,.0f} hours'>"
                            f"{_e(label) if share >= 0.12 else ''}</span>")
        caption = "Before AI" if when == "before" else "With this scenario"
        lines.append(f"<div class='bar-row'><span class='bar-label'>{caption}</span>"
                     f"<span class='bar'>{''.join(segments)}</span></div>")
    after = [] if before_any_ai else ["after", "share before", "share after"]
    table = _table(["Mode", "Hours a week before"] + after,
                   [(m, f"{b:,.0f}") + (() if before_any_ai else (f"{a:,.0f}", f"{sb:.1%}", f"{sa:.1%}"))
                    for m, b, a, sb, sa in zip(by_mode["mode"], by_mode.hours_before, by_mode.hours_after,
                                               by_mode.share_before, by_mode.share_after)])
    return "<div class='bars'>" + "".join(lines) + "</div>" + table


def _role_table(result: Result, before_any_ai: bool) -> str:
    by_role = result.by_role.pivot_table(index="role_id", columns="mode", values=["hours_before", "hours_after"],
                                         sort=False)
    roles = result.roles.set_index("role_id")
    header = ["Role", "People", "Paid hours a week (before)"] + [f"{m} hours" for m in MODES]
    if not before_any_ai:
        header += ["released FTE"]
    rows = []
    for role in roles.index:
        cells = [roles.title[role], f"{roles.headcount[role]:,.1f}".removesuffix(".0"), f"{roles.weekly_hours[role]:g}"]
        for mode in MODES:
            b, a = by_role.loc[role, ("hours_before", mode)], by_role.loc[role, ("hours_after", mode)]
            cells.append(f"{b:.1f}" if before_any_ai or math.isclose(a, b, abs_tol=0.05) else f"{b:.1f} → {a:.1f}")
        if not before_any_ai:
            cells.append(f"{roles.released_fte[role]:,.2f}")
        rows.append(cells)
    return _table(header, rows) + "<p class='note'>Hours are per person per week.</p>"


def _figure(chart) -> str:
    spec = chart_spec(chart)
    svg = chart_bytes(spec, "svg").decode("utf-8")
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg).replace(_font_defs(), "", 1)  # the page carries the font once
    description = spec.get("description") or ""
    return (f"<figure role='img' aria-label='{_e(description)}'>{svg}"
            + (f"<figcaption>{_e(description)}</figcaption>" if description else "") + "</figure>")


def _table(header, rows) -> str:
    head = "".join(f"<th scope='col'>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _e(value) -> str:
    return html.escape(str(value), quote=True)


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0; }
main { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
.lead { font-size: 1.1rem; } .note { color: #555; font-size: .9rem; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .92rem; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; vertical-align: top; }
td:not(:first-child) { font-variant-numeric: tabular-nums; }
.bars { margin: .5rem 0 1rem; } .bar-row { display: flex; align-items: center; margin: .25rem 0; }
.bar-label { width: 10rem; font-size: .9rem; } .bar { display: flex; flex: 1; height: 1.6rem; }
.seg { font-size: .8rem; display: flex; align-items: center; justify-content: center;
       overflow: hidden; white-space: nowrap; border-right: 2px solid #fff; }
figure { margin: 1rem 0; } figcaption { color: #555; font-size: .9rem; }
figure svg { overflow: visible; }  /* text a browser draws wider than measured still shows */
@media print { main { margin: 0; } }
"""
