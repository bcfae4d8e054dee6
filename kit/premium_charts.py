"""Chart builders for chapter 07 (the empathy premium on trial): a growth table in, an Altair chart out.

Each chart uses the kit's colour-blind-safe palette and style (kit.charts), states the finding it
computes in its title, labels its axes with units, carries a description for screen readers, and
has a table view: `kit.table(chart)` (each kind is registered with kit.charts.tables; `table` here is
the same view, and hands every other kit chart on to kit.charts.table).
The statistics come from kit.premium; nothing here computes a number the chapter states on its own.
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from . import charts, premium
from .charts.style import NEUTRAL, PALETTE, configure, require_columns, title_lines
from .words import format_number

__all__ = ["compression", "employment_change", "growth_vs_moat", "table", "wage_paths",
           "DECLINE", "LABEL_PLACES", "POINT", "RISE", "SHORT", "Y_TITLE"]

POINT = PALETTE["curation"]      # roles
DECLINE = PALETTE["execution"]   # employment falling
RISE = PALETTE["presence"]       # employment rising
WIDTH, HEIGHT = 520, 320
Y_TITLE = "Median-wage growth (log points, about %)"
SHORT = {"Licensed Practical and Licensed Vocational Nurses": "LPNs",
         "Medical and Health Services Managers": "Health services managers",
         "Health Information Technologists and Medical Registrars": "Health information technologists",
         "Medical Secretaries and Administrative Assistants": "Medical secretaries",
         "Receptionists and Information Clerks": "Receptionists",
         "Medical and Clinical Laboratory Technologists": "Lab technologists",
         "Radiologic Technologists and Technicians": "Radiologic technologists",
         "Clinical and Counseling Psychologists": "Psychologists",
         "Medical Records Specialists (incl. coders)": "Medical records specialists",
         "Orthopedic Surgeons, Except Pediatric": "Orthopedic surgeons",
         "General Internal Medicine Physicians": "Internists"}


def _r(x: float) -> str:
    return format_number(x, 2, sign=True)


def _period(table: pd.DataFrame) -> str:
    return f"May {int(table.start.iloc[0])} to May {int(table.end.iloc[0])}"


def _headline(what: str, test: pd.Series) -> str:
    words = premium.strength(test.r, test.fisher_low, test.fisher_high)
    return (f"{what}: {words} (r = {_r(test.r)}, 95% CI {_r(test.fisher_low)} to {_r(test.fisher_high)}, "
            f"n = {int(test.n)})")


def _scatter(points: pd.DataFrame, x: str, x_title: str, headline: str, subtitle: str, name: str,
             x_scale: alt.Scale, description: str, fit_on: str | None = None) -> alt.LayerChart:
    """Dots, labels, the least-squares line and its band. With `fit_on` (a log column of x), the
    line is fitted on that column and drawn back on x's own scale."""
    line = premium.fitted_line(points[fit_on or x], points.median_wage_growth)
    if fit_on:
        line["x"] = np.exp(line.x)
    x_enc = alt.X(f"{x}:Q", title=x_title, scale=x_scale, axis=alt.Axis(tickCount=8))
    y_enc = alt.Y("median_wage_growth:Q", title=Y_TITLE)
    band = alt.Chart(line).mark_area(color=NEUTRAL, opacity=0.18).encode(
        x=alt.X("x:Q", title=x_title, scale=x_scale), y=alt.Y("low:Q", title=Y_TITLE), y2="high:Q")
    fit = alt.Chart(line).mark_line(color=NEUTRAL, strokeDash=[6, 3]).encode(
        x=alt.X("x:Q", scale=x_scale), y="fit:Q")
    dots = alt.Chart(points).mark_circle(size=90, color=POINT, opacity=0.85, stroke="white").encode(
        x=x_enc, y=y_enc,
        tooltip=[alt.Tooltip("title:N", title="Role"),
                 alt.Tooltip(f"{x}:Q", title=x_title, format=",.2f"),
                 alt.Tooltip("median_wage_pct:Q", title="Median-wage change (%)", format="+.1f")])
    points = points.assign(place=_label_places(points, x, log=x_scale.type == "log"))
    labels = [alt.Chart(points[points.place == k]).mark_text(
        align=align, dx=7 if align == "left" else -7, dy=dy, fontSize=10, color="#222").encode(
        x=x_enc, y=y_enc, text="short:N") for k, (align, dy) in enumerate(LABEL_PLACES) if (points.place == k).any()]
    chart = alt.layer(band, fit, dots, *labels).properties(
        width=WIDTH, height=HEIGHT, title=alt.Title(title_lines(headline, 80), subtitle=subtitle))
    return configure(chart, name, description)


LABEL_PLACES = (("left", 0), ("right", 0), ("left", -11), ("left", 11))  # (align, dy in px): beside, then above/below


def _label_places(points: pd.DataFrame, x: str, log: bool = False) -> list[int]:
    """For each role, which of LABEL_PLACES its label takes: the first that runs into the fewest
    labels already placed and dots, never over the y axis. Greedy, top to bottom, in the plot's
    pixels (6.5 px a character, 13 px a line)."""
    xs = np.log(points[x].to_numpy(float)) if log else points[x].to_numpy(float)
    ys = points.median_wage_growth.to_numpy(float)
    px = 12 + (xs - xs.min()) / ((xs.max() - xs.min()) or 1) * (WIDTH - 24)  # the x scale pads 12 px
    top, bottom = ys.max(), min(0.0, ys.min())  # the y axis starts at zero
    py = (top - ys) / ((top - bottom) or 1) * HEIGHT
    widths = points.short.str.len().to_numpy() * 6.5 + 8
    boxes, chosen = [], {}
    for i in np.argsort(py):
        options = []
        for k, (align, dy) in enumerate(LABEL_PLACES):
            lo, hi = (px[i] + 4, px[i] + widths[i]) if align == "left" else (px[i] - widths[i], px[i] - 4)
            y = py[i] + dy
            clashes = sum(abs(y - by) < 13 and lo < bhi and blo < hi for blo, bhi, by in boxes) + sum(
                j != i and abs(y - py[j]) < 8 and lo - 4 < px[j] < hi + 4 for j in range(len(px)))
            options.append((clashes + 10 * (lo < 0), k, lo, hi, y))
        _, k, lo, hi, y = min(options)
        boxes.append((lo, hi, y))
        chosen[i] = k
    return [chosen[i] for i in range(len(px))]


def _points(table: pd.DataFrame, x: str) -> pd.DataFrame:
    points = table[table.kit_role].dropna(subset=[x, "median_wage_growth"]).copy()
    points["short"] = points.title.map(lambda t: SHORT.get(t, t))
    return points


def growth_vs_moat(table: pd.DataFrame, test: pd.Series | None = None) -> alt.LayerChart:
    """Median-wage growth against the human-moat score, one dot per kit role with a published median
    in both years, the least-squares line and its 95% bootstrap band; the title states the
    correlation and its Fisher interval (kit.premium.correlation_test)."""
    require_columns(table, {"moat_score", "median_wage_growth", "title", "kit_role"}, "growth_vs_moat",
                    "kit.premium.growth_table()")
    points = _points(table, "moat_score")
    test = premium.correlation_test(points.moat_score, points.median_wage_growth) if test is None else test
    headline = _headline(f"Wage growth and the human moat, {_period(table)}", test)
    left_out = int(table.kit_role.sum() - len(points))
    subtitle = ["Dashed line: least-squares fit; grey band: 95% bootstrap band. Nominal dollars, BLS OEWS.",
                f"{left_out} roles left out: BLS top-codes their median wage (physicians) in one of the years."]
    description = (f"Scatter plot of {len(points)} roles: human-moat score (0 to 1) on x, median-wage growth "
                   f"{_period(table)} in log points on y, with a fitted line. {headline}. "
                   f"Permutation p-value {test.p_permutation:.2f}.")
    return _scatter(points, "moat_score", "Human-moat score (0..1)", headline, subtitle, "growth_vs_moat",
                    alt.Scale(zero=False, nice=False, padding=12), description)


def compression(table: pd.DataFrame, test: pd.Series | None = None) -> alt.LayerChart:
    """Median-wage growth against the starting median wage (log scale): pay compression, the
    confounder the moat score must be tested against; the title states the correlation."""
    require_columns(table, {"median_wage_start", "median_wage_growth", "log_start_median_wage"}, "compression",
                    "kit.premium.growth_table()")
    points = _points(table, "median_wage_start")
    test = (premium.correlation_test(points.log_start_median_wage, points.median_wage_growth)
            if test is None else test)
    start = int(table.start.iloc[0])
    headline = _headline(f"Lower-paid roles got the larger raises, {_period(table)}", test)
    if test.r > 0:
        headline = _headline(f"Higher-paid roles got the larger raises, {_period(table)}", test)
    subtitle = ["r is computed on the logarithm of the starting wage (the x axis is on a log scale).",
                "Dashed line: least-squares fit on that log scale; grey band: 95% bootstrap band."]
    description = (f"Scatter plot of {len(points)} roles: median wage in May {start} (US dollars per year, "
                   f"log scale) on x, median-wage growth in log points on y. {headline}.")
    return _scatter(points, "median_wage_start", f"Median wage, May {start} (US dollars per year, log scale)",
                    headline, subtitle, "compression", alt.Scale(type="log", nice=False, padding=12), description,
                    fit_on="log_start_median_wage")


def employment_change(table: pd.DataFrame) -> alt.LayerChart:
    """Employment change by role between the two Mays (percent), rising in green and falling in
    vermillion, largest first; the title names the fastest-growing and the fastest-shrinking."""
    require_columns(table, {"employment_pct", "title"}, "employment_change", "kit.premium.growth_table()")
    bars = table.dropna(subset=["employment_pct"]).copy()
    bars["short"] = bars.title.map(lambda t: SHORT.get(t, t))
    bars["direction"] = np.where(bars.employment_pct >= 0, "Rising", "Falling")
    bars["label"] = bars.employment_pct.map(lambda v: format_number(v, 1, sign=True) + "%")
    bars = bars.sort_values("employment_pct", ascending=False)
    top, bottom = bars.iloc[0], bars.iloc[-1]
    headline = (f"Employment, {_period(table)}: {top.short} grew most ({top.label}); "
                f"{bottom.short} {'shrank' if bottom.employment_pct < 0 else 'grew least'} most "
                f"({bottom.label})").replace("grew least most", "grew least")
    order = bars.short.tolist()
    y = alt.Y("short:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(bars)
    chart = alt.layer(
        base.mark_bar().encode(
            x=alt.X("employment_pct:Q", title="Change in US employment (%)"), y=y,
            color=alt.Color("direction:N", title="Employment",
                            scale=alt.Scale(domain=["Rising", "Falling"], range=[RISE, DECLINE]),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("title:N", title="Role"),
                     alt.Tooltip("employment_start:Q", title=f"May {int(table.start.iloc[0])}", format=","),
                     alt.Tooltip("employment_end:Q", title=f"May {int(table.end.iloc[0])}", format=","),
                     alt.Tooltip("label:N", title="Change")]),
        base.mark_text(align="left", dx=3, fontSize=10, color="#222").encode(
            x=alt.X("employment_pct:Q"), y=y, text="label:N"),
    ).properties(width=WIDTH - 80, height=15 * len(bars),
                 title=alt.Title(title_lines(headline, 80),
                                 subtitle="BLS OEWS national estimates; sampling error is a few percent for small "
                                          "roles."))
    description = (f"Bar chart of the change in US employment of {len(bars)} occupations, {_period(table)}. "
                   f"{headline}.")
    return configure(chart, "employment_change", description)


def wage_paths(wages: pd.DataFrame, roles: list[str]) -> alt.Chart:
    """Median wage by year for a few roles (small multiples), drawn only where BLS published it and
    the code is comparable; a gap is a top-coded, withheld or not-comparable year, never a guess."""
    require_columns(wages, {"role_id", "year", "median_wage", "comparable"}, "wage_paths", "kit.load_wages()")
    unknown = [r for r in roles if r not in set(wages.role_id)]
    if unknown:
        raise ValueError(f"roles: {unknown[0]!r} is not in the wage table; choose from "
                         f"{', '.join(sorted(wages.role_id.unique()))}")
    rows = wages[wages.role_id.isin(roles)].copy()
    rows["shown"] = rows.median_wage.where(rows.comparable & (rows.median_wage_flag == "published"))
    split = rows.duplicated(["role_id", "year"], keep=False)  # a year split into parts is a gap
    rows.loc[split, "shown"] = np.nan
    rows = rows.drop_duplicates(["role_id", "year"])
    rows["short"] = rows.title.map(lambda t: SHORT.get(t, t))
    gaps = int(rows.shown.isna().sum())
    headline = (f"Median wages by year, {len(roles)} roles: {gaps} role-year{'s' if gaps != 1 else ''} "
                "left blank (top-coded, withheld, split or not comparable)")
    chart = alt.Chart(rows).mark_line(point=True, color=POINT).encode(
        x=alt.X("year:O", title="May of year"),
        y=alt.Y("shown:Q", title="Median wage (US dollars per year, nominal)", axis=alt.Axis(format="$,.0f")),
        tooltip=[alt.Tooltip("title:N", title="Role"), alt.Tooltip("year:O", title="May"),
                 alt.Tooltip("shown:Q", title="Median wage", format="$,.0f"),
                 alt.Tooltip("median_wage_flag:N", title="BLS flag"), alt.Tooltip("mapping:N", title="Code")],
    ).properties(width=180, height=120).facet(facet=alt.Facet("short:N", title=None), columns=3).resolve_scale(
        y="independent").properties(title=alt.Title(title_lines(headline, 80)))
    description = f"Small multiples of median wage by year for {len(roles)} roles. {headline}."
    return configure(chart, "wage_paths", description)


# --------------------------------------------------------------------------- table view

_TABLES = {
    "growth_vs_moat": {"title": "Role", "moat_score": "Human-moat score",
                       "median_wage_start": "Median wage, start ($/year)",
                       "median_wage_end": "Median wage, end ($/year)", "median_wage_pct": "Change (%)",
                       "median_wage_growth": "Growth (log points)"},
    "compression": {"title": "Role", "median_wage_start": "Median wage, start ($/year)",
                    "median_wage_end": "Median wage, end ($/year)", "median_wage_pct": "Change (%)",
                    "median_wage_growth": "Growth (log points)"},
    "employment_change": {"title": "Role", "employment_start": "Employment, start",
                          "employment_end": "Employment, end", "employment_pct": "Change (%)"},
    "wage_paths": {"title": "Role", "year": "May of year", "shown": "Median wage ($/year)",
                   "median_wage_flag": "BLS flag", "mapping": "Code mapping", "source_code": "OEWS code"},
}


def table(chart) -> pd.DataFrame:
    """The numbers behind a chapter-07 chart as a table with readable columns (any other kit chart
    goes to kit.charts.table)."""
    inner = chart.chart if isinstance(chart, alt.JupyterChart) else chart
    meta = inner.usermeta.get("kit", {}) if isinstance(inner.usermeta, dict) else {}
    columns = _TABLES.get(meta.get("chart"))
    if columns is None:
        return charts.table(chart)
    frame = inner.data if isinstance(inner.data, pd.DataFrame) else max(
        (layer.data for layer in inner.layer if isinstance(layer.data, pd.DataFrame) and "title" in layer.data),
        key=len)
    return frame[list(columns)].rename(columns=columns).reset_index(drop=True)


for _kind in _TABLES:  # kit.table(chart) works on chapter 07's charts too
    charts.register_table(_kind, table)
