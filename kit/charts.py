"""Chart builders: a DataFrame in, an Altair chart out. No I/O, no widgets.

Every chart uses one palette (`PALETTE`: one colour-blind-safe Okabe-Ito colour per mode), states
its finding in its title, labels its axes with units, carries a `description` for screen readers,
and has a table view of the same numbers: `table(chart)`.

`role_shift_live` is the signature chart with the model's arithmetic written as Vega-Lite params
and transforms, so a slider change only sets a param (the fast path), and `bind=True` gives the
chart its own sliders that work in a static page with no kernel. `kit.simulate()` stays the single
source of truth: tests/test_charts.py checks the chart's transformed data against it.
"""
from __future__ import annotations

import functools
import math
import textwrap
from decimal import ROUND_HALF_UP, Decimal

import altair as alt
import numpy as np
import pandas as pd

from . import data, model
from .model import MODES

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency and in greyscale.
PALETTE = {"execution": "#D55E00", "curation": "#0072B2", "presence": "#009E73"}
NEUTRAL = "#595959"  # for marks that are not a mode (text, rules, reinvestment shares)
MODE_LABELS = {"execution": "Execution (routine information work)",
               "curation": "Curation (review, supervision, decisions)",
               "presence": "Presence (physical and relational care)"}
WHEN = ("Before", "After")


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with a #rrggbb background (WCAG 2 luminance)."""
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light = luminance(background) + 0.05
    return "#000" if light / 0.05 >= 1.05 / light else "#fff"


# Text drawn on a mode's bar: black on vermillion and green, white on blue (each at least 4.5:1).
TEXT_ON_MODE = {mode: text_colour(colour) for mode, colour in PALETTE.items()}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDTH = 290
ORG_LIVE_WIDTH = WIDTH  # Vega-Lite lines its plot up with role_shift's, below it in the dashboard

__all__ = ["PALETTE", "MODE_LABELS", "role_shift", "role_shift_live", "org_shift", "moat_map",
           "task_exposure", "pajama_time", "sensitivity", "table", "scenario_params",
           "scenario_from_params", "live_param_names",
           "BIND_HEADLINES", "EXPOSURE_LEVELS", "FONT", "LIVE_SUBTITLE", "MOAT_SIZES", "NEUTRAL", "ORG_LIVE_WIDTH", "ORG_STACK",
           "PAJAMA_SUBTITLE", "TENDENCY", "TEXT_ON_MODE", "WHEN", "WIDTH", "change_phrase", "exposure_headline", "format_change",
           "format_fte", "format_money", "format_number", "live_headlines", "live_panel", "moat_headline", "org_shift_headline", "org_shift_live",
           "pajama_headline", "pajama_time_live", "param_values", "rank_correlation", "role_shift_headline", "shown_result", "shown_scenario", "text_colour"]


# --------------------------------------------------------------------------- shared style

def _mode_color(legend: bool = True) -> alt.Color:
    return alt.Color("mode:N", title="Mode of work",
                     scale=alt.Scale(domain=list(MODES), range=[PALETTE[m] for m in MODES]),
                     legend=alt.Legend(orient="top", direction="horizontal", labelLimit=320, columns=1,
                                       labelExpr=_label_expr(MODE_LABELS)) if legend else None)


def _label_expr(labels: dict) -> str:
    cases = " : ".join(f"datum.value === {k!r} ? {v!r}" for k, v in labels.items())
    return f"{cases} : datum.value"


def _when_opacity(legend: bool = True) -> alt.Opacity:
    return alt.Opacity("when:N", title=None, scale=alt.Scale(domain=list(WHEN), range=[0.45, 1.0]),
                       legend=alt.Legend(orient="top", labelExpr="datum.value === 'Before' ? "
                                         "'Before (light bar)' : 'After (solid bar)'") if legend else None)


def _configure(chart, name: str, description: str, **meta):
    """Give a finished chart its description, kit metadata and the kit's one style."""
    return (chart.properties(description=description, usermeta={"kit": {"chart": name, **meta}})
            .configure(font=FONT)
            .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#222", titleColor="#222")
            .configure_legend(labelFontSize=12, titleFontSize=12, symbolType="square")
            .configure_title(fontSize=14, subtitleFontSize=12, anchor="start", subtitleColor="#444", frame="bounds",
                             limit=0)
            .configure_view(stroke=None))


def format_change(x: float, digits: int = 1) -> str:
    """+1.2, −1.2, or 0.0 when the number rounds to zero (no sign a reader could take for a change)."""
    text = format_number(x, digits, sign=True)
    return text if any(c in "123456789" for c in text) else format_number(0.0, digits)


def format_number(x: float, digits: int = 1, sign: bool = False) -> str:
    """x with `digits` decimals and thousands commas, rounded as Vega's format() rounds (half away
    from zero on the exact binary value), so a static chart and its live twin print the same text."""
    value = Decimal(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return format(value, ("+" if sign else "") + f",.{digits}f").replace("-", "\u2212")


def change_phrase(before: float, after: float, unit: str = "", digits: int = 1) -> str:
    """'rises from 40.2% to 40.7%', 'falls from ...' or 'stays at 40.2%': the verb always agrees
    with the numbers as printed (rounding is monotone, so printed order = true order)."""
    b, a = format_number(before, digits) + unit, format_number(after, digits) + unit
    if a == b:
        return f"stays at {b}"
    return f"{'rises' if after > before else 'falls'} from {b} to {a}"


def format_fte(fte: float) -> str:
    """Full-time equivalents as the kit prints them everywhere: one decimal below 100 (a small
    practice releases 3.6 FTE, not 4), whole numbers above, and 0 for nothing."""
    if abs(fte) < 0.05:
        return "0"
    return format_number(fte, 1 if abs(fte) < 100 else 0)


def format_money(dollars: float) -> str:
    """Dollars as the kit prints them everywhere: $75,833, $1.2 million, $3.4 billion."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(dollars) >= size:
            return f"${format_number(dollars / size, 1)} {word}"
    return f"${format_number(dollars, 0)}"


def _vega_fte(field: str) -> str:
    """format_fte as a Vega expression."""
    return (f"(abs({field}) < 0.05 ? '0' : abs({field}) < 100 ? format({field}, ',.1f') : "
            f"format({field}, ',.0f'))")


def _vega_money(field: str) -> str:
    """format_money as a Vega expression."""
    return (f"(abs({field}) >= 1e9 ? '$' + format({field} / 1e9, ',.1f') + ' billion' : "
            f"abs({field}) >= 1e6 ? '$' + format({field} / 1e6, ',.1f') + ' million' : "
            f"'$' + format({field}, ',.0f'))")


def _lines(text: str, width: int = 72) -> list[str]:
    """A title as lines short enough for the chart (Vega does not wrap titles)."""
    return textwrap.wrap(text, width) or [""]


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def _short(title: str) -> str:
    """A role title short enough for a sentence, still a clear name: 'Medical Secretaries and
    Administrative Assistants' -> 'Medical Secretaries'; 'Licensed Practical and Licensed
    Vocational Nurses' -> 'Licensed Practical Nurses' (the head of an 'X and Y Nurses' title
    needs the noun it shares with the rest)."""
    for cut in (" (", ", ", " Except"):
        title = title.split(cut)[0]
    head = title.split(" and ")[0]
    if " " not in head:
        return title  # 'Medical and Health Services Managers': no shorter clear name
    return head if head.endswith("s") else f"{head} {title.split()[-1]}"


# --------------------------------------------------------------------------- role_shift

def _role_shift_long(by_role: pd.DataFrame) -> pd.DataFrame:
    """by_role (role x mode) as one row per role, mode and before/after."""
    need = {"role_id", "title", "mode", "hours_before", "hours_after"}
    _require(by_role, need, "role_shift", "result.by_role")
    long = by_role.melt(id_vars=["role_id", "title", "mode"], value_vars=["hours_before", "hours_after"],
                        var_name="when", value_name="hours")
    long["when"] = long["when"].map({"hours_before": "Before", "hours_after": "After"})
    return long


def role_shift_headline(by_role: pd.DataFrame) -> str:
    """The finding in one line: the role whose week shifts most, and how each mode changes.

    "Shifts most" = the largest total absolute change, summed over the three modes, in hours per
    person per week (hours that move between modes or are released); ties go to the role listed
    first. Only the roles in `by_role` are considered, so a chart of some roles names one of them."""
    titles, change = _per_role(by_role, "hours_change")
    if len(titles) == 0 or np.abs(change).max() < 1e-9:
        return "Today: how each role's week divides between execution, curation and presence"
    if np.abs(change).max() < 0.05:
        return "Small shifts: no role's week changes by as much as 0.05 hours in any mode"
    i = int(np.argmax(np.abs(change).sum(axis=1)))
    digits = 1 if np.abs(change[i]).max() >= 0.05 else 2
    return (f"{_short(titles[i])} shift most: execution {format_change(change[i, 0], digits)}, "
            f"curation {format_change(change[i, 1], digits)}, presence {format_change(change[i, 2], digits)} h/week")


def _per_role(by_role: pd.DataFrame, column: str):
    """Role titles (R,) and a column as an (R, 3) array in MODES order. Fast: runs on every slider move."""
    modes = by_role["mode"].to_numpy()
    if len(modes) % 3 == 0 and (modes.reshape(-1, 3) == np.array(MODES)).all():
        return by_role.title.to_numpy()[::3], by_role[column].to_numpy().reshape(-1, 3)
    table = by_role.pivot_table(index="title", columns="mode", values=column, sort=False).reindex(
        columns=list(MODES), fill_value=0.0)
    return table.index.to_numpy(), table.to_numpy()


def _role_order(titles) -> list[str]:
    """Roles in the dataset's order (grouped: administrative, clinical, ...), so bars never jump."""
    order = list(data.load_roles().title)
    present = set(titles)
    return [t for t in order if t in present] + sorted(present - set(order))


def _role_shift_encode(base: alt.Chart, titles, focus: bool = False) -> alt.Chart:
    """The role_shift encoding; the live form (focus=True) leaves the before/after legend to its
    subtitle, to stay narrow enough for the dashboard."""
    label_weight = alt.value("normal")
    if focus:
        label_weight = {"condition": {"test": "datum.value === focus_title", "value": "bold"}, "value": "normal"}
    y_axis = alt.Axis(title=None, labelLimit=200, labelFontSize=11, labelFontWeight=label_weight) if focus \
        else alt.Axis(title=None, labelLimit=230, labelFontSize=11)
    return base.mark_bar(stroke="white", strokeWidth=0.5).encode(
        y=alt.Y("title:N", sort=_role_order(titles), axis=y_axis),
        yOffset=alt.YOffset("when:N", sort=list(WHEN), scale=alt.Scale(paddingInner=0.05)),
        x=alt.X("sum(hours):Q", title="Paid hours per person per week",
                scale=alt.Scale(domain=[0, 40], nice=False, clamp=False), axis=alt.Axis(tickCount=8)),
        color=_mode_color(),
        opacity=_when_opacity(legend=not focus),
        order=alt.Order("mode_order:Q"),
        tooltip=[alt.Tooltip("title:N", title="Role"), alt.Tooltip("when:N", title="When"),
                 alt.Tooltip("mode:N", title="Mode"), alt.Tooltip("sum(hours):Q", title="Hours/week", format=".1f")],
    ).properties(width=WIDTH, height=alt.Step(11))


def role_shift(by_role: pd.DataFrame, *, roles: list[str] | None = None, title: str | None = None) -> alt.Chart:
    """The signature chart: each role's paid week (hours per person) by mode, before and after.

    `by_role` is `kit.simulate(scenario).by_role`; `roles` keeps only those role ids.
    """
    by_role = _only_roles(by_role, roles)
    long = _role_shift_long(by_role)
    long["mode_order"] = long["mode"].map(MODES.index)
    headline = title or role_shift_headline(by_role)
    chart = _role_shift_encode(alt.Chart(long), long.title.unique()).properties(
        title=alt.Title(_lines(headline), subtitle=_lines(LIVE_SUBTITLE, 90)))
    return _configure(chart, "role_shift", _role_shift_description(by_role, headline))


def _role_shift_description(by_role: pd.DataFrame, headline: str) -> str:
    totals = by_role.groupby("mode")[["hours_before", "hours_after"]].mean()
    parts = [f"{m} {totals.loc[m, 'hours_before']:.1f} to {totals.loc[m, 'hours_after']:.1f}"
             for m in MODES if m in totals.index]
    return (f"Horizontal stacked bar chart, two bars per role (before and after), {by_role.role_id.nunique()} "
            f"roles; each bar splits a 40-hour week into execution, curation and presence. {headline}. "
            f"Average hours per role, before to after: {', '.join(parts)}.")


# --------------------------------------------------------------------------- the live chart (fast path)

def live_param_names() -> dict[str, str]:
    """Vega-Lite param name -> what it sets in a Scenario (values are percentages, 0..100)."""
    names = {f"automation_{f}": f"automation[{f!r}]" for f in model.automatable_families()}
    names["oversight_ratio"] = "oversight_ratio"
    names.update({f"reinvestment_{k}": f"reinvestment[{k!r}]" for k in model.REINVESTMENT_KEYS})
    return names


def scenario_params(scenario: model.Scenario) -> dict[str, float]:
    """The live chart's param values for a scenario, in percent (what the sliders show)."""
    values = {f"automation_{f}": 100.0 * scenario.automation_rate(f) for f in model.automatable_families()}
    values["oversight_ratio"] = 100.0 * scenario.oversight_ratio
    values.update({f"reinvestment_{k}": 100.0 * v for k, v in scenario.reinvestment.items()})
    return values


def scenario_from_params(params: dict, org="us_workforce") -> model.Scenario:
    """The Scenario that a live chart's params describe (inverse of `scenario_params`)."""
    automation = {f: params[f"automation_{f}"] / 100 for f in model.automatable_families()
                  if params.get(f"automation_{f}")}
    shares = np.array([params[f"reinvestment_{k}"] for k in model.REINVESTMENT_KEYS], dtype=float)
    shares = shares / shares.sum() if shares.sum() > 0 else np.array(list(model.DEFAULT_REINVESTMENT.values()))
    return model.Scenario(automation=automation, oversight_ratio=params["oversight_ratio"] / 100,
                          reinvestment=dict(zip(model.REINVESTMENT_KEYS, shares.tolist())), org=org)


def _live_frame(by_family: pd.DataFrame, roles_table: pd.DataFrame) -> pd.DataFrame:
    """The per role x family inputs of the live chart: hours before, exposure, mode, headcount.

    Families a role spends no time on are dropped, except the two the model writes to
    (ai_oversight gets review hours; emotional_support takes presence if a role has none) and
    one per mode (so the chart's data has a row for every role and mode, as by_role has)."""
    frame = by_family[["role_id", "family", "mode", "exposure", "hours_before"]].copy()
    keep = ((frame.hours_before > 0) | frame.family.isin([model.OVERSIGHT_FAMILY, model.PRESENCE_FALLBACK_FAMILY])
            | ~frame.duplicated(["role_id", "mode"]))  # and one row per mode, so every role has all three
    frame = frame[keep].rename(columns={"hours_before": "h", "exposure": "e"})
    info = roles_table.set_index("role_id")[["title", "headcount", "weekly_hours", "pajama_before"]]
    frame = frame.join(info, on="role_id")
    frame["mode_order"] = frame["mode"].map(MODES.index)
    return frame.reset_index(drop=True)


def _model_transforms(families) -> list[dict]:
    """kit.model.shift_hours written as Vega-Lite transforms over role x family rows.

    Mirrors shift_hours line by line; tests/test_charts.py keeps the two equal."""
    rate = " : ".join(f"datum.family === {f!r} ? automation_{f}" for f in families) + " : 0"
    share_sum = "(reinvestment_presence + reinvestment_capacity + reinvestment_released)"
    share = {k: f"({share_sum} > 0 ? reinvestment_{k} / {share_sum} : {model.DEFAULT_REINVESTMENT[k]})"
             for k in model.REINVESTMENT_KEYS}
    oversight, fallback = model.OVERSIGHT_FAMILY, model.PRESENCE_FALLBACK_FAMILY
    return [
        {"calculate": f"({rate}) / 100", "as": "a"},
        {"calculate": "datum.h * datum.e * datum.a", "as": "automated"},
        {"joinaggregate": [{"op": "sum", "field": "automated", "as": "A"}], "groupby": ["role_id"]},
        {"calculate": "oversight_ratio / 100 * datum.A", "as": "O"},
        {"calculate": "datum.A - datum.O", "as": "F"},
        {"calculate": f"datum.h - datum.automated + (datum.family === {oversight!r} ? datum.O : 0)",
         "as": "remaining"},
        {"calculate": "datum.mode === 'presence' ? datum.remaining : 0", "as": "presence_left"},
        {"joinaggregate": [{"op": "sum", "field": "remaining", "as": "W"},
                           {"op": "sum", "field": "presence_left", "as": "P"}], "groupby": ["role_id"]},
        {"calculate": f"{share['presence']} * datum.F", "as": "to_presence"},
        {"calculate": f"datum.W <= 0 ? 0 : {share['capacity']} * datum.F", "as": "to_capacity"},
        {"calculate": f"{share['released']} * datum.F + (datum.W <= 0 ? {share['capacity']} * datum.F : 0)",
         "as": "released"},
        {"calculate": f"datum.P > 0 ? datum.presence_left / datum.P : (datum.family === {fallback!r} ? 1 : 0)",
         "as": "presence_split"},
        {"calculate": "datum.W > 0 ? datum.remaining / datum.W : 0", "as": "capacity_split"},
        {"calculate": "datum.remaining + datum.to_presence * datum.presence_split"
                      " + datum.to_capacity * datum.capacity_split", "as": "after"},
    ]


def _live_role_rows() -> list[dict]:
    """After _model_transforms: one row per role, mode and before/after with `hours`."""
    return [
        {"aggregate": [{"op": "sum", "field": "h", "as": "Before"}, {"op": "sum", "field": "after", "as": "After"}],
         "groupby": ["role_id", "title", "mode", "mode_order"]},
        {"fold": ["Before", "After"], "as": ["when", "hours"]},
    ]


LIVE_SUBTITLE = "Light bar: the week today. Solid bar: after automation. A shorter solid bar means hours released."
BIND_HEADLINES = {
    "role_headline": "Move a slider: each role's week shifts between execution, curation and presence",
    "org_headline": "The organization's paid hours by mode, before and after",
    "pajama_headline": "Clinicians' after-hours documentation, before and after",
}


def live_headlines(result: model.Result, roles: list[str] | None = None) -> dict[str, list[str]]:
    """The live charts' titles for a result (as lines): the kernel sets these params with every change.
    `roles` (role ids) = the roles a live chart shows: its titles speak of those roles only."""
    result = shown_result(result, roles)
    clinicians = result.roles[result.roles.pajama_before > 0]
    headlines = {"role_headline": role_shift_headline(result.by_role),
                 "org_headline": org_shift_headline(result.org_by_mode),
                 "pajama_headline": (pajama_headline(clinicians) if not clinicians.empty
                                     else "No role here has a pajama-time baseline")}
    return {name: _lines(text, 44 if name == "org_headline" else 66) for name, text in headlines.items()}


def shown_result(result: model.Result, roles: list[str] | None = None) -> model.Result:
    """The result for only some roles of its organization: what a live chart with `roles` draws
    (its role bars, and its organization totals over those roles). The result itself if roles is None."""
    if roles is None:
        return result
    _only_roles(result.by_role, roles)  # a clear message for a role that is not there
    return model.simulate(shown_scenario(result.scenario, roles))


def shown_scenario(scenario: model.Scenario, roles: list[str] | None = None) -> model.Scenario:
    """The scenario on only some roles of its organization (itself if roles is None)."""
    if roles is None:
        return scenario
    return scenario.replace(org=_part_of(scenario.org, tuple(dict.fromkeys(roles))))


@functools.lru_cache(maxsize=32)
def _part_of(org, roles: tuple[str, ...]) -> model.Organization:
    table = model.org_table(org)
    table = table[table.role_id.isin(roles)].reset_index(drop=True)
    return model.Organization.from_table(table, name=f"{_org_label(org)} ({len(table)} roles)")


def role_shift_live(scenario: model.Scenario | None = None, *, roles: list[str] | None = None,
                    bind: bool = False, focus: str | None = None) -> alt.Chart:
    """The role_shift chart with the model's arithmetic in Vega-Lite: a slider only sets a param.

    Params are named as in `live_param_names()` (percent, 0..100); `scenario_params(s)` and
    `live_headlines(result)` give their values. `bind=True` adds Vega-Lite's own sliders, so the
    chart stays interactive in a static HTML page with no kernel (there the three reinvestment
    sliders are weights, rescaled to sum to 100 %). `focus` (a role_id) sets the role in bold.
    """
    return _live(scenario, bind, roles, focus, parts=("role_shift",))


def org_shift_live(scenario: model.Scenario | None = None, *, bind: bool = False) -> alt.VConcatChart:
    """The org_shift chart computed by Vega-Lite transforms from live params (see role_shift_live)."""
    return _live(scenario, bind, None, None, parts=("org_shift",))


def pajama_time_live(scenario: model.Scenario | None = None, *, bind: bool = False) -> alt.LayerChart:
    """The pajama_time chart computed by Vega-Lite transforms from live params (see role_shift_live)."""
    return _live(scenario, bind, None, None, parts=("pajama_time",))


def live_panel(scenario: model.Scenario | None = None, *, bind: bool = False, roles: list[str] | None = None,
               focus: str | None = None, parts=("org_shift", "role_shift")) -> alt.VConcatChart:
    """Several live charts stacked in one view sharing one set of params: one slider change is one
    param update for all of them. With bind=True it is a self-contained interactive page."""
    return _live(scenario, bind, roles, focus, parts=parts)


def _live(scenario, bind, roles, focus, parts):
    scenario = model.as_scenario(scenario)
    result = model.simulate(scenario)
    shown = shown_result(result, roles)  # the roles drawn, and their totals
    frame = _live_frame(shown.by_family, shown.roles)
    role_titles = result.roles.set_index("role_id").title
    focus_title = role_titles.get(focus, "") if focus else ""
    headlines = {k: _lines(v) for k, v in BIND_HEADLINES.items()} if bind else live_headlines(shown)
    builders = {"role_shift": _role_shift_live_part, "org_shift": _org_shift_live_part,
                "pajama_time": _pajama_live_part}
    unknown = [p for p in parts if p not in builders]
    if unknown or not parts:
        raise ValueError(f"parts: {(unknown or [None])[0]!r} is not a live chart; choose from {', '.join(builders)}")
    # The model's transforms run once, at the top: parts that share one view share its result.
    transforms = _model_transforms(model.automatable_families()) if set(parts) - {"pajama_time"} else []
    if len(parts) == 1:
        chart = builders[parts[0]](frame, frame, transforms).copy()
    else:
        chart = alt.vconcat(*[builders[p](alt.Undefined, frame, []) for p in parts], data=frame, spacing=28)
        chart.transform = transforms
    chart.params = _live_params(scenario, bind, focus_title, headlines)
    chart.autosize = alt.AutoSizeParams(type="pad", resize=True)  # a title may gain a line: re-measure
    description = " ".join(
        {"role_shift": _role_shift_description(shown.by_role, " ".join(headlines["role_headline"])),
         "org_shift": f"Stacked bar chart of the organization's paid hours per week by mode, before and after. "
                      f"{' '.join(headlines['org_headline'])}. {_org_note(shown.org)}.",
         "pajama_time": f"Dot plot of clinicians' after-hours documentation before and after. "
                        f"{' '.join(headlines['pajama_headline'])}."}[p] for p in parts)
    return _configure(chart, parts[0] if len(parts) == 1 else "live_panel", description, live=True,
                      parts=list(parts), org=_org_label(scenario.org), roles=list(roles) if roles else None)


def _live_params(scenario: model.Scenario, bind: bool, focus_title: str, headlines: dict) -> list:
    families = data.load_task_families().set_index("family")
    params = []
    for name, value in scenario_params(scenario).items():
        if name.startswith("automation_"):
            label = families.loc[name.removeprefix("automation_"), "slider_label"] + " (%)"
        elif name == "oversight_ratio":
            label = "Review hours per 100 hours of AI work"
        else:
            label = f"Freed hours to {name.removeprefix('reinvestment_')} (weight)"
        binding = alt.binding_range(min=0, max=100, step=1, name=label + " ") if bind else alt.Undefined
        params.append(alt.VariableParameter(name=name, value=round(value, 9), bind=binding))
    params.append(alt.VariableParameter(name="focus_title", value=focus_title))
    params += [alt.VariableParameter(name=k, value=v) for k, v in headlines.items()]
    return params


def _role_shift_live_part(data, frame, transforms):
    chart = _role_shift_encode(alt.Chart(data), frame.title.unique(), focus=True)
    chart = _with_transforms(chart, transforms + _live_role_rows())
    return chart.properties(title=alt.Title(text={"expr": "role_headline"}, subtitle=_lines(LIVE_SUBTITLE, 80)))


def _org_shift_live_part(data, frame, transforms):
    per_role = [{"aggregate": [{"op": "sum", "field": "h", "as": "b"}, {"op": "sum", "field": "after", "as": "a"}],
                 "groupby": ["role_id", "mode", "mode_order", "headcount"]},
                {"calculate": "datum.b * datum.headcount", "as": "Before"},
                {"calculate": "datum.a * datum.headcount", "as": "After"},
                {"fold": ["Before", "After"], "as": ["when", "hours"]}]
    wage = model._oversight_wage()
    totals = [{"aggregate": [{"op": "max", "field": f, "as": f} for f in ("released", "O", "headcount", "weekly_hours")],
               "groupby": ["role_id"]},
              {"calculate": "datum.released / datum.weekly_hours * datum.headcount", "as": "released_fte"},
              {"calculate": "datum.O * datum.headcount", "as": "oversight_hours"},
              {"aggregate": [{"op": "sum", "field": "released_fte", "as": "released_fte"},
                             {"op": "sum", "field": "oversight_hours", "as": "oversight_hours"}]},
              {"calculate": f"datum.oversight_hours / {model.OVERSIGHT_TEAM_WEEKLY_HOURS}", "as": "fte"},
              {"calculate": f"datum.fte * {wage}", "as": "cost"},
              # _org_note's sentence, in three lines, with the same number formats
              {"calculate": "'Released: ' + " + _vega_fte("datum.released_fte") + " + ' FTE of paid hours.\\n"
                            "New AI-oversight work: ' + " + _vega_fte("datum.fte") + " + ' FTE\\n(' + "
                            + _vega_money("datum.cost") + " + ' a year, wage as assumption A11)'", "as": "note"}]
    note = _with_transforms(alt.Chart(data), transforms + totals).mark_text(
        align="left", baseline="top", fontSize=12, color="#333", lineBreak="\n").encode(
        x=alt.value(0), y=alt.value(0), text="note:N").properties(width=ORG_LIVE_WIDTH, height=44)
    total = float((frame.drop_duplicates("role_id").set_index("role_id").headcount
                   * frame.groupby("role_id").h.sum()).sum())
    top = _org_layers(alt.Chart(data), transforms + per_role, total).properties(
        width=ORG_LIVE_WIDTH, title=alt.Title(text={"expr": "org_headline"},
                                              subtitle="Paid hours of everyone in the organization, by mode"))
    return alt.vconcat(top, note, spacing=6)


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
    base = _with_transforms(rows, transforms + ORG_STACK)
    y = alt.Y("when:N", sort=list(WHEN), title=None, axis=alt.Axis(labelFontWeight="bold"))
    bars = base.mark_bar(stroke="white", strokeWidth=0.5).encode(
        y=y, x=alt.X("x0:Q", title="Paid hours per week, whole organization", axis=_hours_axis(total_hours)),
        x2="x1:Q", color=_mode_color(),
        tooltip=[alt.Tooltip("when:N", title="When"), alt.Tooltip("mode:N", title="Mode"),
                 alt.Tooltip("hours:Q", title="Hours/week", format=",.0f"),
                 alt.Tooltip("share:Q", title="Share of paid hours", format=".1%")])
    labels = base.transform_filter("datum.share >= 0.06").mark_text(fontWeight="bold", fontSize=12).encode(
        y=y, x="middle:Q", text=alt.Text("share:Q", format=".0%"),
        color=alt.Color("mode:N", scale=alt.Scale(domain=list(MODES), range=[TEXT_ON_MODE[m] for m in MODES]),
                        legend=None))
    return alt.layer(bars, labels).properties(width=WIDTH, height=alt.Step(28))


def _pajama_live_part(data, frame, transforms):
    """Pajama time needs only each clinician's documentation row: filter first, then two lines of
    the model (automated hours, and the net cut in documentation, assumption A12)."""
    rows = [{"filter": "datum.family === 'clinical_documentation' && datum.pajama_before > 0"},
            {"calculate": "datum.h * datum.e * automation_clinical_documentation / 100", "as": "automated"},
            {"calculate": "datum.pajama_before * (1 - (datum.h > 0 ? datum.automated * (1 - oversight_ratio / 100)"
                          " / datum.h : 0))", "as": "pajama_after"},
            {"calculate": "datum.pajama_before", "as": "Before"},
            {"calculate": "datum.pajama_after", "as": "After"},
            {"fold": ["Before", "After"], "as": ["when", "hours"]}]
    base = _with_transforms(alt.Chart(data), rows)
    titles = frame.loc[frame.pajama_before > 0, "title"].unique()
    return _pajama_layers(base, titles).properties(title=alt.Title(
        text={"expr": "pajama_headline"}, subtitle=_lines(PAJAMA_SUBTITLE, 90)))


# --------------------------------------------------------------------------- org_shift

def org_shift_headline(org_by_mode: pd.DataFrame) -> str:
    """The finding in one line: how the shares of execution and presence move. Each verb (rises,
    falls, stays at) agrees with the two numbers it joins: automating curation with freed time
    going to capacity can raise execution's share (the throughput trap, see kit.model)."""
    share = 100 * org_by_mode.set_index("mode")[["share_before", "share_after"]]
    if (share.share_before - share.share_after).abs().max() < 1e-9:
        return (f"Today {format_number(share.share_before['execution'])}% of paid hours are execution work "
                f"and {format_number(share.share_before['presence'])}% presence")
    ex, pr = share.loc["execution"], share.loc["presence"]
    return (f"Execution {change_phrase(ex.share_before, ex.share_after, '%')} of paid hours; "
            f"presence {change_phrase(pr.share_before, pr.share_after, '%')}")


def org_shift(org_by_mode: pd.DataFrame, totals: pd.Series) -> alt.LayerChart:
    """The organization's paid hours per week by mode, before and after, with the released FTEs and
    the FTEs of new AI-oversight work. `org_by_mode` and `totals` are `result.org_by_mode`, `result.org`."""
    _require(org_by_mode, {"mode", "hours_before", "hours_after", "share_before", "share_after"},
             "org_shift", "result.org_by_mode")
    long = org_by_mode.melt(id_vars=["mode"], value_vars=["hours_before", "hours_after"],
                            var_name="when", value_name="hours")
    long["when"] = long["when"].map({"hours_before": "Before", "hours_after": "After"})
    long["mode_order"] = long["mode"].map(MODES.index)
    long["share"] = (long.hours / long.groupby("when").hours.transform("sum").replace(0, np.nan)).fillna(0.0)
    headline, note = org_shift_headline(org_by_mode), _org_note(totals)
    chart = _org_layers(alt.Chart(long), [], float(org_by_mode.hours_before.sum())).properties(title=alt.Title(_lines(headline, 56), subtitle=_lines(note, 72)))
    description = (f"Stacked bar chart of the organization's paid hours per week by mode, before and after. "
                   f"{headline}. {note}.")
    return _configure(chart, "org_shift", description)


def _org_note(totals: pd.Series) -> str:
    return (f"Released: {format_fte(totals['released_fte'])} FTE of paid hours. "
            f"New AI-oversight work: {format_fte(totals['oversight_team_fte'])} FTE "
            f"({format_money(totals['oversight_team_cost'])} a year, wage as assumption A11)")


# --------------------------------------------------------------------------- moat_map

MOAT_WIDTH, MOAT_HEIGHT = WIDTH + 160, 380
MOAT_SIZES = (40, 1600)  # circle area in px², from no one to the largest role
TENDENCY = ((0.1, None), (0.3, "a weak"), (0.5, "a moderate"), (0.7, "a strong"), (2.0, "a very strong"))


def rank_correlation(x, y) -> float:
    """Spearman's rank correlation (ties share their mean rank): how far a higher x goes with a
    higher y (+1), a lower y (−1), or neither (0). NaN if either is constant."""
    rx, ry = pd.Series(x).rank().to_numpy(float), pd.Series(y).rank().to_numpy(float)
    if len(rx) < 2 or rx.std() == 0 or ry.std() == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


def moat_headline(points: pd.DataFrame) -> str:
    """What the roles show about exposure and the human moat, computed: the direction and strength
    of the rank correlation (|rho| < 0.1 none, < 0.3 weak, < 0.5 moderate, < 0.7 strong, else very
    strong, judged on rho as printed), and the clearest exception to the tendency: the most exposed
    role among the top quarter by exposure whose moat is on the 'wrong' side of the median."""
    rho = rank_correlation(points.exposure, points.moat_score)
    if math.isnan(rho):
        return "Too few different roles to say how AI exposure and the human moat go together"
    printed = format_number(rho, 2, sign=True)
    strength = next(word for limit, word in TENDENCY if abs(float(printed.replace("\u2212", "-"))) < limit)
    if strength is None:
        return f"AI exposure says little about a role's human moat (rank correlation {printed})"
    thinner = rho < 0
    headline = (f"More AI-exposed roles tend to have a {'thinner' if thinner else 'thicker'} human moat "
                f"({strength} tendency: rank correlation {printed})")
    exposed = points[points.exposure >= points.exposure.quantile(0.75)]
    against = exposed[(exposed.moat_score > points.moat_score.median()) if thinner
                      else (exposed.moat_score < points.moat_score.median())]
    if against.empty:
        return headline
    odd = against.loc[against.exposure.idxmax()]
    return (f"{headline}; {_short(odd.title)} are an exception (exposure {odd.exposure:.2f}, "
            f"moat {odd.moat_score:.2f})")


def moat_map(roles: pd.DataFrame, by_role: pd.DataFrame | None = None) -> alt.LayerChart:
    """Roles by AI exposure (x) and human-moat score (y), sized by US employment, with quadrant
    labels; the title states the tendency the roles show (moat_headline). With `by_role`
    (result.by_role), each role is coloured by the mode that takes most of its week."""
    _require(roles, {"role_id", "title", "exposure", "moat_score", "employment"}, "moat_map", "kit.load_roles()")
    points = roles[["role_id", "title", "group", "exposure", "moat_score", "employment", "median_wage"]].copy()
    if by_role is not None:
        main = by_role.loc[by_role.groupby("role_id").hours_after.idxmax(), ["role_id", "mode"]]
        points = points.merge(main, on="role_id", how="left")
    else:
        points["mode"] = "presence"
    x_mid, y_mid = float(points.exposure.median()), float(points.moat_score.median())
    x_max, y_lo, y_hi = max(0.7, points.exposure.max() + 0.02), min(0.55, points.moat_score.min() - 0.02), 1.0
    headline = moat_headline(points)
    x_axis = {"title": "AI exposure of the role's tasks (0 = none, 1 = all)",
              "scale": alt.Scale(domain=[0, x_max], nice=False)}
    y_axis = {"title": "Human-moat score (presence, empathy, hands-on; 0..1)",
              "scale": alt.Scale(domain=[y_lo, y_hi], nice=False)}
    x, y = alt.X("exposure:Q", **x_axis), alt.Y("moat_score:Q", **y_axis)
    biggest = float(points.employment.max())
    legend_values = [v for v in (10_000, 100_000, 1_000_000, 3_000_000) if points.employment.min() <= v <= biggest]
    dots = alt.Chart(points).mark_circle(opacity=0.8, stroke="white", strokeWidth=1).encode(
        x=x, y=y,
        size=alt.Size("employment:Q", title="US employment",
                      scale=alt.Scale(domain=[0, biggest], range=list(MOAT_SIZES), zero=True, nice=False),
                      legend=alt.Legend(orient="right", values=legend_values or [biggest],
                                        labelExpr="datum.value >= 1e6 ? format(datum.value / 1e6, '~r') + ' million'"
                                                  " : format(datum.value, ',')")),
        color=_mode_color() if by_role is not None else alt.value(PALETTE["curation"]),
        tooltip=[alt.Tooltip("title:N", title="Role"), alt.Tooltip("group:N", title="Group"),
                 alt.Tooltip("exposure:Q", title="AI exposure", format=".2f"),
                 alt.Tooltip("moat_score:Q", title="Human moat", format=".2f"),
                 alt.Tooltip("employment:Q", title="US employment", format=","),
                 alt.Tooltip("median_wage:Q", title="Median wage ($/year)", format="$,.0f")])
    quadrants = pd.DataFrame({
        "exposure": [0.01, x_max - 0.01, 0.01, x_max - 0.01],
        "moat_score": [y_hi - 0.005, y_hi - 0.005, y_lo + 0.005, y_lo + 0.005],
        "align": ["left", "right", "left", "right"], "baseline": ["top", "top", "bottom", "bottom"],
        "label": ["Sheltered and human", "Exposed but protected by presence",
                  "Low exposure, thin moat", "Exposed, thin moat: most at risk"]})
    # Name the roles a reader looks for first: the big ones, the exposed, thin-moat corner and the
    # exception the title names; each label goes where it covers the fewest circles and labels.
    named = points[(points.employment >= 500_000) | (points.exposure >= 0.5) | (points.moat_score <= 0.6)
                   | points.title.map(_short).map(lambda t: f"{t} are an exception" in headline)].copy()
    named["short"] = named.title.map(_short)
    named = _place_labels(named, points, quadrants, (x_max, y_lo, y_hi))
    names = alt.layer(*[alt.Chart(named[named["align"] == align]).mark_text(
        align=align, baseline="middle", fontSize=11, color="#222", **halo).encode(
        x=alt.X("label_x:Q", **x_axis), y=alt.Y("label_y:Q", **y_axis), text="short:N")
        for align in sorted(set(named["align"]))
        for halo in ({"stroke": "white", "strokeWidth": 3, "strokeOpacity": 0.85}, {})])  # halo, then text
    rules = alt.Chart(pd.DataFrame({"exposure": [x_mid], "moat_score": [y_mid]}))
    v_rule = rules.mark_rule(color=NEUTRAL, strokeDash=[4, 4]).encode(x=x)
    h_rule = rules.mark_rule(color=NEUTRAL, strokeDash=[4, 4]).encode(y=y)
    quad = [alt.Chart(quadrants.iloc[[i]]).mark_text(
        fontSize=11, fontStyle="italic", color=NEUTRAL, align=row["align"], baseline=row["baseline"]).encode(
        x=x, y=y, text="label:N") for i, row in quadrants.iterrows()]
    chart = alt.layer(v_rule, h_rule, *quad, dots, names).properties(
        width=MOAT_WIDTH, height=MOAT_HEIGHT, title=alt.Title(_lines(headline), subtitle=(
            f"Dashed lines: the median role (exposure {x_mid:.2f}, moat {y_mid:.2f}). "
            "Circle area: US employment (BLS May 2024).")))
    description = (f"Scatter plot of {len(points)} roles: AI exposure on x, human-moat score on y, circle size "
                   f"US employment. {headline}. Quadrants split at the median role.")
    return _configure(chart, "moat_map", description)


CHAR_WIDTH, LINE_HEIGHT = 6.3, 13.0  # px: 11-px sans-serif text, a little wide to be safe


def _place_labels(named: pd.DataFrame, points: pd.DataFrame, quadrants: pd.DataFrame, frame) -> pd.DataFrame:
    """Put each role's label just outside its circle (beside, above or below it), wherever it
    overlaps the fewest circles, labels already placed, quadrant labels and the plot's edges.
    Adds label_x, label_y (data units) and align. Greedy, largest roles first."""
    x_max, y_lo, y_hi = frame

    def px(e, m):
        return np.asarray(e) / x_max * MOAT_WIDTH, (y_hi - np.asarray(m)) / (y_hi - y_lo) * MOAT_HEIGHT

    cx, cy = px(points.exposure, points.moat_score)
    lo, hi = MOAT_SIZES  # the size scale: area from lo (no one) to hi (the largest role)
    radius = np.sqrt((lo + (hi - lo) * points.employment.to_numpy(float) / points.employment.max()) / math.pi)
    circles = np.column_stack([cx - radius, cy - radius, cx + radius, cy + radius])
    taken = list(_quadrant_boxes(quadrants, px))
    placed = {}
    for i in named.sort_values("employment", ascending=False).index:
        k = int(np.flatnonzero(points.role_id.to_numpy() == named.role_id[i])[0])
        x0, y0, r = cx[k], cy[k], radius[k]
        w, h = CHAR_WIDTH * len(named.short[i]), LINE_HEIGHT
        up, down = y0 - r - 2 - h / 2, y0 + r + 2 + h / 2
        options = [("left", x0 + r + 3, y0), ("right", x0 - r - 3, y0),  # beside the circle (preferred)
                   ("center", x0, up), ("center", x0, down),  # above or below it
                   ("left", x0 - r, up), ("right", x0 + r, up), ("left", x0 - r, down), ("right", x0 + r, down)]
        others = np.delete(circles, k, axis=0)

        def cost(n, k=k, w=w, h=h, options=options, others=others):
            box = _text_box(*options[n], w, h)
            outside = ((max(0, -box[0]) + max(0, box[2] - MOAT_WIDTH)) * h
                       + (max(0, -box[1]) + max(0, box[3] - MOAT_HEIGHT)) * w)
            hidden = sum(_overlap(box, c) / (c[2] - c[0]) ** 2 for c in others)  # circles covered, as fractions
            # A label nearer another circle than its own reads as that circle's name.
            nearest_other = min((_gap(box, c) for c in others), default=np.inf)
            ambiguous = max(0.0, _gap(box, circles[k]) + 4 - nearest_other)
            return 5 * outside + 3 * sum(_overlap(box, t) for t in taken) + 300 * hidden + 20 * ambiguous + 4 * n

        best = min(range(len(options)), key=cost)
        align, lx, ly = options[best]
        taken.append(_text_box(align, lx, ly, w, h))
        placed[i] = (lx / MOAT_WIDTH * x_max, y_hi - ly / MOAT_HEIGHT * (y_hi - y_lo), align)
    named[["label_x", "label_y", "align"]] = pd.DataFrame.from_dict(placed, orient="index").reindex(named.index)
    return named


def _gap(box: tuple, circle) -> float:
    """Pixels between a label's box and a circle's edge (0 when they touch or overlap)."""
    cx, cy, r = (circle[0] + circle[2]) / 2, (circle[1] + circle[3]) / 2, (circle[2] - circle[0]) / 2
    dx, dy = max(box[0] - cx, 0, cx - box[2]), max(box[1] - cy, 0, cy - box[3])
    return max(0.0, math.hypot(dx, dy) - r)


def _text_box(align: str, x: float, y: float, w: float, h: float) -> tuple:
    """The box (x0, y0, x1, y1) of a one-line label of width w anchored at (x, y), baseline middle."""
    left = {"left": x, "center": x - w / 2, "right": x - w}[align]
    return (left, y - h / 2, left + w, y + h / 2)


def _quadrant_boxes(quadrants: pd.DataFrame, px):
    for row in quadrants.itertuples():
        x, y = px(row.exposure, row.moat_score)
        middle = y + LINE_HEIGHT / 2 if row.baseline == "top" else y - LINE_HEIGHT / 2
        yield _text_box(row.align, float(x), float(middle), CHAR_WIDTH * len(row.label), LINE_HEIGHT)


def _overlap(a, b) -> float:
    """Area (px²) shared by two boxes (x0, y0, x1, y1)."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


# --------------------------------------------------------------------------- task_exposure

EXPOSURE_LEVELS = {0.0: "not exposed", 0.5: "partly exposed", 1.0: "exposed"}


def exposure_headline(role: str, exposed: pd.Series) -> str:
    """How much of a role's week is exposed to AI and where: `exposed` = share of the week x
    exposure, per task family. 'most of it in X' only when X holds over half the exposed time
    (as printed); else 'the largest part in X'."""
    total = float(exposed.sum())
    if round(100 * total) < 1:
        return f"{role}: almost none of the week is exposed to AI"
    top = exposed.idxmax()
    part = round(100 * float(exposed[top]) / total)
    if (exposed > 0).sum() == 1:
        return f"{role}: {total:.0%} of the week is exposed to AI, all of it in {top.lower()}"
    where = "most of it" if part > 50 else "the largest part"
    return f"{role}: {total:.0%} of the week is exposed to AI, {where} in {top.lower()} ({part}% of the exposed time)"


def task_exposure(tasks: pd.DataFrame, role_id: str, families: pd.DataFrame | None = None) -> alt.Chart:
    """The tasks of one role: share of the week per task family, each task a segment shaded by its
    AI exposure. `tasks` is kit.load_tasks()."""
    _require(tasks, {"role_id", "statement", "family", "mode", "weight", "exposure"}, "task_exposure",
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
    headline = exposure_headline(_short(title), by_family.exposed)
    order = by_family.sort_values("share", ascending=False).index.tolist()
    chart = alt.Chart(rows).mark_bar(stroke="white", strokeWidth=1).encode(
        y=alt.Y("family_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=250)),
        x=alt.X("share:Q", stack="zero", title="Share of the role's week (O*NET task weights)",
                axis=alt.Axis(format=".0%")),
        color=_mode_color(),
        opacity=alt.Opacity("exposure:Q", title="AI exposure of the task",
                            scale=alt.Scale(domain=[0, 1], range=[0.25, 1.0]),
                            legend=alt.Legend(orient="top", values=[0, 0.5, 1],
                                              labelExpr="datum.value == 0 ? 'none' : datum.value == 1 ? 'full' : 'partial'")),
        order=alt.Order("exposure:Q", sort="descending"),
        tooltip=[alt.Tooltip("statement:N", title="Task"), alt.Tooltip("family_label:N", title="Family"),
                 alt.Tooltip("share:Q", title="Share of week", format=".1%"),
                 alt.Tooltip("exposure_level:N", title="AI exposure")],
    ).properties(width=WIDTH, height=alt.Step(24), title=alt.Title(
        _lines(headline), subtitle="Each segment is one O*NET task; darker = more exposed to current AI "
                           "(Eloundou et al. 2024)."))
    description = (f"Stacked bar chart of the {len(rows)} tasks of {title} by task family; bar length is the "
                   f"share of the week, shade the task's AI exposure. {headline}.")
    return _configure(chart, "task_exposure", description, role_id=role_id)


# --------------------------------------------------------------------------- pajama_time

PAJAMA_SUBTITLE = ("Shrinks with the net cut in documentation work (assumption A12). "
                   "Baselines: Arndt et al. 2017; A02, A03.")


def pajama_headline(clinicians: pd.DataFrame) -> str:
    """The finding in one line, from result.roles rows with a pajama-time baseline: the clinician
    whose after-hours charting falls most."""
    change = clinicians.pajama_after - clinicians.pajama_before
    first = clinicians.loc[change.idxmin()]
    if change.min() < -0.05:
        return (f"{_short(first.title)}: after-hours charting "
                f"{change_phrase(first.pajama_before, first.pajama_after)} h/week")
    return f"Pajama time today: up to {format_number(clinicians.pajama_before.max())} hours a week of after-hours charting"


def pajama_time(roles_result: pd.DataFrame) -> alt.LayerChart:
    """Clinicians' after-hours documentation ("pajama time") before and after, in hours per week.
    `roles_result` is `result.roles`; roles with no cited baseline are left out."""
    _require(roles_result, {"title", "pajama_before", "pajama_after"}, "pajama_time", "result.roles")
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
        title=alt.Title(_lines(headline), subtitle=_lines(PAJAMA_SUBTITLE, 90)))
    description = (f"Dot plot of after-hours documentation for {len(rows)} clinician roles, before and after. "
                   f"{headline}.")
    return _configure(chart, "pajama_time", description)


def _pajama_layers(base, titles):
    y = alt.Y("title:N", title=None, sort=_role_order(titles), axis=alt.Axis(labelLimit=250))
    x = alt.X("hours:Q", title="After-hours documentation, hours per week", scale=alt.Scale(domain=[0, 8]))
    line = base.mark_line(color=NEUTRAL, strokeWidth=2).encode(y=y, x=x, detail="title:N")
    dots = base.mark_point(size=120, filled=True, color=PALETTE["execution"]).encode(
        y=y, x=x, opacity=_when_opacity(),
        shape=alt.Shape("when:N", sort=list(WHEN), title=None,
                        scale=alt.Scale(domain=list(WHEN), range=["circle", "diamond"]), legend=None),
        tooltip=[alt.Tooltip("title:N", title="Role"), alt.Tooltip("when:N", title="When"),
                 alt.Tooltip("hours:Q", title="Hours/week", format=".2f")])
    return alt.layer(line, dots).properties(width=WIDTH, height=alt.Step(28))


# --------------------------------------------------------------------------- sensitivity

def sensitivity(swings: pd.DataFrame) -> alt.LayerChart:
    """A tornado chart: which slider moves an outcome most. `swings` is `kit.sensitivity.swings(...)`
    (one row per parameter: label, mode, low, high, baseline, outcome_label, unit)."""
    _require(swings, {"parameter", "label", "mode", "low", "high", "baseline", "outcome_label", "unit", "runs"},
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
    headline = (f"{outcome} depends most on \u201c{top.label}\u201d: from {_num(top.low)} to {_num(top.high)} {unit} "
                "between its lowest and highest runs")
    color_scale = alt.Scale(domain=list(MODES) + ["none"], range=[PALETTE[m] for m in MODES] + [NEUTRAL])
    y = alt.Y("label:N", sort=rows.label.tolist(), title=None, axis=alt.Axis(labelLimit=260))
    bars = alt.Chart(long).mark_bar(height=14).encode(
        y=y, x=alt.X("start:Q", title=f"{outcome} ({unit}), mean over the runs"), x2="end:Q",
        color=alt.Color("mode:N", scale=color_scale, title="Mode of the slider's task family",
                        legend=alt.Legend(orient="top", labelExpr=_label_expr({**MODE_LABELS, "none": "Where freed time goes"}),
                                          columns=1, labelLimit=320)),
        opacity=alt.Opacity("when:N", title=None, scale=alt.Scale(range=[0.45, 1.0]),
                            sort=["Slider low (bottom 10%)", "Slider high (top 10%)"],
                            legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("label:N", title="Slider"), alt.Tooltip("when:N", title="Runs"),
                 alt.Tooltip("end:Q", title=outcome, format=",.3~f")])
    rule = alt.Chart(pd.DataFrame({"x": [baseline]})).mark_rule(color="#222").encode(x="x:Q")
    chart = alt.layer(bars, rule).properties(width=WIDTH, height=alt.Step(22), title=alt.Title(
        _lines(headline), subtitle=f"Black line: mean over all {int(rows.runs.iloc[0]):,} random scenarios. "
                           "Bars: the mean over the runs where that slider was low or high."))
    description = (f"Tornado chart of {len(rows)} sliders ranked by how far they move {outcome.lower()} "
                   f"in a Monte Carlo over random scenarios. {headline}.")
    return _configure(chart, "sensitivity", description, outcome=outcome)


# --------------------------------------------------------------------------- table view

_TABLES = {
    "role_shift": ("title", "mode", "hours_before", "hours_after", "hours_change"),
    "org_shift": ("mode", "hours_before", "hours_after", "share_before", "share_after"),
    "moat_map": ("title", "group", "exposure", "moat_score", "employment", "median_wage"),
    "task_exposure": ("family_label", "statement", "share", "exposure"),
    "pajama_time": ("title", "pajama_before", "pajama_after", "change"),
    "sensitivity": ("label", "low", "high", "baseline", "swing"),
}
_HEADERS = {
    "title": "Role", "mode": "Mode", "group": "Group", "hours_before": "Hours/week before",
    "hours_after": "Hours/week after", "hours_change": "Change (hours/week)", "share_before": "Share before",
    "share_after": "Share after", "exposure": "AI exposure", "moat_score": "Human-moat score",
    "employment": "US employment", "median_wage": "Median wage ($/year)", "family_label": "Task family",
    "statement": "Task", "share": "Share of the week", "pajama_before": "Pajama time before (h/week)",
    "pajama_after": "Pajama time after (h/week)", "change": "Change (h/week)", "label": "Slider",
    "low": "Outcome, slider low", "high": "Outcome, slider high", "baseline": "Outcome, all runs",
    "swing": "Swing",
}


def param_values(chart: alt.JupyterChart) -> dict:
    """A chart widget's current param values. A slider lab's chart (widgets.LiveChart) keeps the
    values the kernel means the screen to show in `intended`: a param the browser moved by itself
    (widgets.BrowserLink) is not sent back to it, so `chart.params` can hold an older value."""
    values = {k: v for k, v in chart.params.trait_values().items() if v is not None}
    return {**values, **getattr(chart, "intended", {})}


def table(chart) -> pd.DataFrame:
    """The numbers behind any kit chart (an Altair chart or an alt.JupyterChart), as a table with
    readable column names: the accessible view of the chart."""
    params = None
    if isinstance(chart, alt.JupyterChart):
        params = param_values(chart)
        chart = chart.chart
    meta = chart.usermeta.get("kit", {}) if isinstance(chart.usermeta, dict) else {}
    kind = meta.get("chart")
    if kind not in _TABLES and not meta.get("live"):
        raise ValueError("table: this is not a kit chart; build it with a kit.charts function")
    frame = _chart_frame(chart)
    if meta.get("live"):
        result = _live_result(frame, params or {p.name: p.value for p in chart.params})
        static = {"role_shift": lambda: role_shift(result.by_role),
                  "org_shift": lambda: org_shift(result.org_by_mode, result.org),
                  "pajama_time": lambda: pajama_time(result.roles)}
        return table(static[meta.get("parts", ["role_shift"])[0] if kind == "live_panel" else kind]())
    if kind == "role_shift":
        frame = (frame.pivot_table(index=["role_id", "title", "mode"], columns="when", values="hours", sort=False)
                 .reset_index().rename(columns={"Before": "hours_before", "After": "hours_after"}))
        frame["hours_change"] = frame.hours_after - frame.hours_before
    elif kind == "org_shift":
        frame = frame.pivot_table(index="mode", columns="when", values=["hours", "share"], sort=False)
        frame.columns = [f"{v}_{w.lower()}" for v, w in frame.columns]
        frame = frame.reset_index()
    elif kind == "pajama_time":
        frame = frame.pivot_table(index=["title", "change"], columns="when", values="hours", sort=False).reset_index()
        frame = frame.rename(columns={"Before": "pajama_before", "After": "pajama_after"})
    elif kind == "sensitivity":
        frame = frame.drop_duplicates("parameter")
    columns = list(_TABLES[kind])
    out = frame[columns].rename(columns=_HEADERS).reset_index(drop=True)
    out.columns.name = None
    if kind in ("role_shift",):
        out["Mode"] = pd.Categorical(out["Mode"], categories=list(MODES), ordered=True)
        order = {t: i for i, t in enumerate(_role_order(out["Role"].unique()))}
        out = out.sort_values(["Role", "Mode"], key=lambda s: s.map(order) if s.name == "Role" else s)
        out["Mode"] = out["Mode"].astype(str)
        out = out.reset_index(drop=True)
    return out


def _chart_frame(chart) -> pd.DataFrame:
    """The DataFrame a chart was built from (for a layered chart, its largest layer's data)."""
    if isinstance(chart.data, pd.DataFrame):
        return chart.data
    frames = [layer.data for layer in getattr(chart, "layer", []) or [] if isinstance(layer.data, pd.DataFrame)]
    if frames:
        return max(frames, key=len)
    raise ValueError("table: this chart carries no table of numbers")


def _live_result(frame: pd.DataFrame, params: dict) -> model.Result:
    """A live chart's numbers: its org (from its data) and scenario (from its params), simulated."""
    roles = frame.drop_duplicates("role_id")
    families = model.structure().families
    hours = frame.pivot_table(index="role_id", columns="family", values="h", aggfunc="sum", sort=False)
    hours = hours.reindex(index=roles.role_id, columns=list(families), fill_value=0.0).fillna(0.0)
    shares = hours.to_numpy() / roles.weekly_hours.to_numpy()[:, None]  # the chart's own task mix
    org = model.Organization(tuple(roles.role_id), tuple(roles.headcount.astype(float)),
                             tuple(roles.weekly_hours.astype(float)), "chart", tuple(map(tuple, shares)))
    return model.simulate(scenario_from_params(params, org=org))


# --------------------------------------------------------------------------- helpers

def _with_transforms(chart, transforms: list[dict]):
    chart = chart.copy()
    chart.transform = transforms
    return chart


def _org_label(org) -> str:
    return org if isinstance(org, str) else getattr(org, "name", "custom organization")


def _require(frame, columns: set, chart: str, hint: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{chart}: expected a DataFrame such as {hint}, got {type(frame).__name__}")
    missing = sorted(set(columns) - set(frame.columns))
    if missing:
        raise ValueError(f"{chart}: the table has no column {missing[0]!r}; pass {hint}")


def _only_roles(frame: pd.DataFrame, roles) -> pd.DataFrame:
    if roles is None:
        return frame
    unknown = [r for r in roles if r not in set(frame.role_id)]
    if unknown:
        raise ValueError(f"roles: {unknown[0]!r} is not in this organization; choose from "
                         f"{', '.join(dict.fromkeys(frame.role_id))}")
    return frame[frame.role_id.isin(roles)]
