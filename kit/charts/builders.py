"""The static chart builders: a DataFrame in, an Altair chart out. No I/O, no widgets. Each states
its finding in its title (kit.words), labels its axes with units and carries a description."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .. import data
from ..model import MODES
from ..words import (
    exposure_headline,
    format_amount,
    format_fte,
    format_money,
    org_shift_headline,
    pajama_headline,
    role_shift_headline,
    short_title,
)
from .style import (
    MODE_LABELS,
    NEUTRAL,
    PALETTE,
    TEXT_ON_MODE,
    WHEN,
    WIDTH,
    configure,
    label_expr,
    mode_color,
    only_roles,
    require_columns,
    role_order,
    title_lines,
    when_opacity,
    with_transforms,
)

LIVE_SUBTITLE = "Light bar: the week today. Solid bar: after automation. A shorter solid bar means hours released."


def _role_shift_long(by_role: pd.DataFrame) -> pd.DataFrame:
    """by_role (role x mode) as one row per role, mode and before/after."""
    need = {"role_id", "title", "mode", "hours_before", "hours_after"}
    require_columns(by_role, need, "role_shift", "result.by_role")
    long = by_role.melt(id_vars=["role_id", "title", "mode"], value_vars=["hours_before", "hours_after"],
                        var_name="when", value_name="hours")
    long["when"] = long["when"].map({"hours_before": "Before", "hours_after": "After"})
    return long


def _role_shift_encode(base: alt.Chart, titles, focus: bool = False) -> alt.Chart:
    """The role_shift encoding; the live form (focus=True) leaves the before/after legend to its
    subtitle, to stay narrow enough for the dashboard."""
    label_weight = alt.value("normal")
    if focus:
        label_weight = {"condition": {"test": "datum.value === focus_title", "value": "bold"}, "value": "normal"}
    y_axis = alt.Axis(title=None, labelLimit=200, labelFontSize=11, labelFontWeight=label_weight) if focus \
        else alt.Axis(title=None, labelLimit=230, labelFontSize=11)
    return base.mark_bar(stroke="white", strokeWidth=0.5).encode(
        y=alt.Y("title:N", sort=role_order(titles), axis=y_axis),
        yOffset=alt.YOffset("when:N", sort=list(WHEN), scale=alt.Scale(paddingInner=0.05)),
        x=alt.X("sum(hours):Q", title="Paid hours per person per week",
                scale=alt.Scale(domain=[0, 40], nice=False, clamp=False), axis=alt.Axis(tickCount=8)),
        color=mode_color(),
        opacity=when_opacity(legend=not focus),
        order=alt.Order("mode_order:Q"),
        tooltip=[alt.Tooltip("title:N", title="Role"), alt.Tooltip("when:N", title="When"),
                 alt.Tooltip("mode:N", title="Mode"), alt.Tooltip("sum(hours):Q", title="Hours/week", format=".1f")],
    ).properties(width=WIDTH, height=alt.Step(11))


def role_shift(by_role: pd.DataFrame, *, roles: list[str] | None = None, title: str | None = None) -> alt.Chart:
    """The signature chart: each role's paid week (hours per person) by mode, before and after.

    `by_role` is `kit.simulate(scenario).by_role`; `roles` keeps only those role ids.
    """
    by_role = only_roles(by_role, roles)
    long = _role_shift_long(by_role)
    long["mode_order"] = long["mode"].map(MODES.index)
    headline = title or role_shift_headline(by_role)
    chart = _role_shift_encode(alt.Chart(long), long.title.unique()).properties(
        title=alt.Title(title_lines(headline), subtitle=title_lines(LIVE_SUBTITLE, 90)))
    return configure(chart, "role_shift", _role_shift_description(by_role, headline))


def _role_shift_description(by_role: pd.DataFrame, headline: str) -> str:
    totals = by_role.groupby("mode")[["hours_before", "hours_after"]].mean()
    parts = [f"{m} {totals.loc[m, 'hours_before']:.1f} to {totals.loc[m, 'hours_after']:.1f}"
             for m in MODES if m in totals.index]
    return (f"Horizontal stacked bar chart, two bars per role (before and after), {by_role.role_id.nunique()} "
            f"roles; each bar splits a 40-hour week into execution, curation and presence. {headline}. "
            f"Average hours per role, before to after: {', '.join(parts)}.")


def _hours_axis(total_hours: float) -> alt.Axis:
    """An axis of organization hours whose labels never crowd a 290-px chart: at most about five,
    written in full below 10,000 hours (1,500) and with an SI prefix above (600M), 0 as '0'."""
    if total_hours < 10_000:
        return alt.Axis(format=",.0f", tickCount=5, labelOverlap=True, labelFlush=True)
    return alt.Axis(format="~s", tickCount=5, labelOverlap=True, labelFlush=True,
                    labelExpr="datum.value === 0 ? '0' : datum.label")


ORG_STACK = [
    {"aggregate": [{"op": "sum", "field": "hours", "as": "hours"}], "groupby": ["when", "mode", "mode_order"]},
    {"joinaggregate": [{"op": "sum", "field": "hours", "as": "total"}], "groupby": ["when"]},
    {"calculate": "datum.total > 0 ? datum.hours / datum.total : 0", "as": "share"},
    {"stack": "hours", "groupby": ["when"], "sort": [{"field": "mode_order"}], "as": ["x0", "x1"]},
    {"calculate": "(datum.x0 + datum.x1) / 2", "as": "middle"},
]


def _org_layers(rows: alt.Chart, transforms: list[dict], total_hours: float) -> alt.LayerChart:
    """Two stacked bars (before, after) of the organization's hours by mode, with % labels.
    `rows` has when, mode, mode_order, hours after `transforms`; `total_hours` (before) sets the axis."""
    base = with_transforms(rows, transforms + ORG_STACK)
    y = alt.Y("when:N", sort=list(WHEN), title=None, axis=alt.Axis(labelFontWeight="bold"))
    bars = base.mark_bar(stroke="white", strokeWidth=0.5).encode(
        y=y, x=alt.X("x0:Q", title="Paid hours per week, whole organization", axis=_hours_axis(total_hours)),
        x2="x1:Q", color=mode_color(),
        tooltip=[alt.Tooltip("when:N", title="When"), alt.Tooltip("mode:N", title="Mode"),
                 alt.Tooltip("hours:Q", title="Hours/week", format=",.0f"),
                 alt.Tooltip("share:Q", title="Share of paid hours", format=".1%")])
    labels = base.transform_filter("datum.share >= 0.06").mark_text(fontWeight="bold", fontSize=12).encode(
        y=y, x="middle:Q", text=alt.Text("share:Q", format=".0%"),
        color=alt.Color("mode:N", scale=alt.Scale(domain=list(MODES), range=[TEXT_ON_MODE[m] for m in MODES]),
                        legend=None))
    return alt.layer(bars, labels).properties(width=WIDTH, height=alt.Step(28))


def org_shift(org_by_mode: pd.DataFrame, totals: pd.Series) -> alt.LayerChart:
    """The organization's paid hours per week by mode, before and after, with the released FTEs and
    the FTEs of new AI-oversight work. `org_by_mode` and `totals` are `result.org_by_mode`, `result.org`."""
    require_columns(org_by_mode, {"mode", "hours_before", "hours_after", "share_before", "share_after"},
             "org_shift", "result.org_by_mode")
    long = org_by_mode.melt(id_vars=["mode"], value_vars=["hours_before", "hours_after"],
                            var_name="when", value_name="hours")
    long["when"] = long["when"].map({"hours_before": "Before", "hours_after": "After"})
    long["mode_order"] = long["mode"].map(MODES.index)
    long["share"] = (long.hours / long.groupby("when").hours.transform("sum").replace(0, np.nan)).fillna(0.0)
    headline, note = org_shift_headline(org_by_mode), _org_note(totals)
    chart = _org_layers(alt.Chart(long), [], float(org_by_mode.hours_before.sum())).properties(
        title=alt.Title(title_lines(headline, 56), subtitle=title_lines(note, 72)))
    description = (f"Stacked bar chart of the organization's paid hours per week by mode, before and after. "
                   f"{headline}. {note}.")
    return configure(chart, "org_shift", description)


def _org_note(totals: pd.Series) -> str:
    return (f"Released: {format_fte(totals['released_fte'])} FTE of paid hours. "
            f"New AI-oversight work: {format_fte(totals['oversight_team_fte'])} FTE "
            f"({format_money(totals['oversight_team_cost'])} a year, wage as assumption A11)")


EXPOSURE_LEVELS = {0.0: "not exposed", 0.5: "partly exposed", 1.0: "exposed"}


def task_exposure(tasks: pd.DataFrame, role_id: str, families: pd.DataFrame | None = None) -> alt.Chart:
    """The tasks of one role: share of the week per task family, each task a segment shaded by its
    AI exposure. `tasks` is kit.load_tasks()."""
    require_columns(tasks, {"role_id", "statement", "family", "mode", "weight", "exposure"}, "task_exposure",
             "kit.load_tasks()")
    rows = tasks[tasks.role_id == role_id].copy()
    if rows.empty:
        raise ValueError(f"task_exposure: role {role_id!r} has no tasks; choose a role_id from kit.load_roles()")
    families = families if families is not None else data.load_task_families()
    labels = families.set_index("family").label
    rows["family_label"] = rows.family.map(labels).fillna(rows.family)
    rows["share"] = rows.weight / rows.weight.sum()
    rows["exposure_level"] = rows.exposure.map(lambda e: EXPOSURE_LEVELS.get(round(e * 2) / 2, f"{e:.2f}"))
    rows["exposed_share"] = rows.share * rows.exposure
    rows["mode_order"] = rows["mode"].map(MODES.index)
    title = data.load_roles().set_index("role_id").title.get(role_id, role_id)
    by_family = rows.groupby("family_label").agg(share=("share", "sum"), exposed=("exposed_share", "sum"))
    headline = exposure_headline(short_title(title), by_family.exposed)
    order = by_family.sort_values("share", ascending=False).index.tolist()
    chart = alt.Chart(rows).mark_bar(stroke="white", strokeWidth=1).encode(
        y=alt.Y("family_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=250)),
        x=alt.X("share:Q", stack="zero", title="Share of the role's week (O*NET task weights)",
                axis=alt.Axis(format=".0%")),
        color=mode_color(),
        opacity=alt.Opacity("exposure:Q", title="AI exposure of the task",
                            scale=alt.Scale(domain=[0, 1], range=[0.25, 1.0]),
                            legend=alt.Legend(orient="top", values=[0, 0.5, 1],
                                              labelExpr="datum.value == 0 ? 'none' : datum.value == 1 ? 'full' : "
                                                        "'partial'")),
        order=alt.Order("exposure:Q", sort="descending"),
        tooltip=[alt.Tooltip("statement:N", title="Task"), alt.Tooltip("family_label:N", title="Family"),
                 alt.Tooltip("share:Q", title="Share of week", format=".1%"),
                 alt.Tooltip("exposure_level:N", title="AI exposure")],
    ).properties(width=WIDTH, height=alt.Step(24), title=alt.Title(
        title_lines(headline), subtitle="Each segment is one O*NET task; darker = more exposed to current AI "
                           "(Eloundou et al. 2024)."))
    description = (f"Stacked bar chart of the {len(rows)} tasks of {title} by task family; bar length is the "
                   f"share of the week, shade the task's AI exposure. {headline}.")
    return configure(chart, "task_exposure", description, role_id=role_id)


PAJAMA_SUBTITLE = ("Shrinks with the net cut in documentation work (assumption A12). "
                   "Baselines: Arndt et al. 2017; A02, A03.")


def pajama_time(roles_result: pd.DataFrame) -> alt.LayerChart:
    """Clinicians' after-hours documentation ("pajama time") before and after, in hours per week.
    `roles_result` is `result.roles`; roles with no cited baseline are left out."""
    require_columns(roles_result, {"title", "pajama_before", "pajama_after"}, "pajama_time", "result.roles")
    rows = roles_result[roles_result.pajama_before > 0][["role_id", "title", "pajama_before", "pajama_after"]].copy()
    if rows.empty:
        raise ValueError("pajama_time: no role in this organization has a pajama-time baseline "
                         "(only physicians, nurse practitioners and physician assistants do)")
    rows["change"] = rows.pajama_after - rows.pajama_before
    long = rows.melt(id_vars=["role_id", "title", "change"], value_vars=["pajama_before", "pajama_after"],
                     var_name="when", value_name="hours")
    long["when"] = long["when"].map({"pajama_before": "Before", "pajama_after": "After"})
    headline = pajama_headline(rows)
    chart = _pajama_layers(alt.Chart(long), rows.title).properties(
        title=alt.Title(title_lines(headline), subtitle=title_lines(PAJAMA_SUBTITLE, 90)))
    description = (f"Dot plot of after-hours documentation for {len(rows)} clinician roles, before and after. "
                   f"{headline}.")
    return configure(chart, "pajama_time", description)


def _pajama_layers(base, titles):
    y = alt.Y("title:N", title=None, sort=role_order(titles), axis=alt.Axis(labelLimit=250))
    x = alt.X("hours:Q", title="After-hours documentation, hours per week", scale=alt.Scale(domain=[0, 8]))
    line = base.mark_line(color=NEUTRAL, strokeWidth=2).encode(y=y, x=x, detail="title:N")
    dots = base.mark_point(size=120, filled=True, color=PALETTE["execution"]).encode(
        y=y, x=x, opacity=when_opacity(),
        shape=alt.Shape("when:N", sort=list(WHEN), title=None,
                        scale=alt.Scale(domain=list(WHEN), range=["circle", "diamond"]), legend=None),
        tooltip=[alt.Tooltip("title:N", title="Role"), alt.Tooltip("when:N", title="When"),
                 alt.Tooltip("hours:Q", title="Hours/week", format=".2f")])
    return alt.layer(line, dots).properties(width=WIDTH, height=alt.Step(28))


def tornado(swings: pd.DataFrame) -> alt.LayerChart:
    """A tornado chart: which slider moves an outcome most. `swings` is `kit.sensitivity.swings(...)`
    (one row per parameter: label, mode, low, high, baseline, outcome_label, unit)."""
    require_columns(swings, {"parameter", "label", "mode", "low", "high", "baseline", "outcome_label", "unit", "runs"},
             "sensitivity", "kit.sensitivity.swings(...)")
    rows = swings.copy()
    rows["swing"] = rows.high - rows.low
    rows = rows.reindex(rows.swing.abs().sort_values(ascending=False).index)
    outcome, unit, baseline = rows.outcome_label.iloc[0], rows.unit.iloc[0], float(rows.baseline.iloc[0])
    long = pd.concat([rows.assign(end=rows.low, when="Slider low (bottom 10%)"),
                      rows.assign(end=rows.high, when="Slider high (top 10%)")])
    long["start"] = baseline
    long["mode"] = long["mode"].fillna("none")
    top = rows.iloc[0]
    headline = (f"{outcome} depends most on \u201c{top.label}\u201d: from {format_amount(top.low)} to "
                f"{format_amount(top.high)} {unit} between its lowest and highest runs")
    color_scale = alt.Scale(domain=list(MODES) + ["none"], range=[PALETTE[m] for m in MODES] + [NEUTRAL])
    y = alt.Y("label:N", sort=rows.label.tolist(), title=None, axis=alt.Axis(labelLimit=260))
    bars = alt.Chart(long).mark_bar(height=14).encode(
        y=y, x=alt.X("start:Q", title=f"{outcome} ({unit}), mean over the runs"), x2="end:Q",
        color=alt.Color("mode:N", scale=color_scale, title="Mode of the slider's task family",
                        legend=alt.Legend(orient="top",
                                          labelExpr=label_expr({**MODE_LABELS, "none": "Where freed time goes"}),
                                          columns=1, labelLimit=320)),
        opacity=alt.Opacity("when:N", title=None, scale=alt.Scale(range=[0.45, 1.0]),
                            sort=["Slider low (bottom 10%)", "Slider high (top 10%)"],
                            legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("label:N", title="Slider"), alt.Tooltip("when:N", title="Runs"),
                 alt.Tooltip("end:Q", title=outcome, format=",.3~f")])
    rule = alt.Chart(pd.DataFrame({"x": [baseline]})).mark_rule(color="#222").encode(x="x:Q")
    chart = alt.layer(bars, rule).properties(width=WIDTH, height=alt.Step(22), title=alt.Title(
        title_lines(headline), subtitle=f"Black line: mean over all {int(rows.runs.iloc[0]):,} random scenarios. "
                           "Bars: the mean over the runs where that slider was low or high."))
    description = (f"Tornado chart of {len(rows)} sliders ranked by how far they move {outcome.lower()} "
                   f"in a Monte Carlo over random scenarios. {headline}.")
    return configure(chart, "sensitivity", description, outcome=outcome)


sensitivity = tornado  # its old name, which kit.sensitivity (the module) shadowed
