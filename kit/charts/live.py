"""The live charts (the fast path): the model's arithmetic written as Vega-Lite params and
transforms, so a slider change only sets a param, and `bind=True` gives a chart its own sliders
that work in a static page with no kernel. Also the scenario <-> params codec.
`kit.simulate()` stays the single source of truth: tests/test_charts.py checks the charts'
transformed data against it."""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from .. import data, model
from ..errors import DataError
from ..model import MODES
from ..scenario_codes import share_code
from ..words import org_shift_headline, pajama_headline, role_shift_headline
from .builders import (
    LIVE_SUBTITLE,
    PAJAMA_SUBTITLE,
    _org_layers,
    _org_note,
    _pajama_layers,
    _role_shift_description,
    _role_shift_encode,
)
from .style import ORG_LIVE_WIDTH, configure, only_roles, org_label, title_lines, with_transforms


def _vega_fte(field: str) -> str:
    """format_fte as a Vega expression."""
    return (f"(abs({field}) < 0.05 ? '0' : abs({field}) < 100 ? format({field}, ',.1f') : "
            f"format({field}, ',.0f'))")


def _vega_money(field: str) -> str:
    """format_money as a Vega expression."""
    return (f"(abs({field}) >= 1e9 ? '$' + format({field} / 1e9, ',.1f') + ' billion' : "
            f"abs({field}) >= 1e6 ? '$' + format({field} / 1e6, ',.1f') + ' million' : "
            f"'$' + format({field}, ',.0f'))")


def live_param_names() -> dict[str, str]:
    """Vega-Lite param name -> what it sets in a Scenario (values are percentages, 0..100)."""
    names = {f"automation_{f}": f"automation[{f!r}]" for f in model.automatable_families()}
    names["oversight_ratio"] = "oversight_ratio"
    names.update({f"reinvestment_{k}": f"reinvestment[{k!r}]" for k in model.REINVESTMENT_KEYS})
    return names


def scenario_params(scenario: model.Scenario) -> dict[str, float]:
    """The live chart's param values for a scenario, in percent (what the sliders show)."""
    values = {f"automation_{f}": 100.0 * scenario.automation_rate(f) for f in model.automatable_families()}
    ratio = scenario.oversight_ratio  # per family (kit.review): the chart reads each family's from its data
    values["oversight_ratio"] = 100.0 * (max(ratio.values(), default=0.0) if isinstance(ratio, Mapping) else ratio)
    values.update({f"reinvestment_{k}": 100.0 * v for k, v in scenario.reinvestment.items()})
    return values


def scenario_from_params(params: dict, org="us_workforce", base: model.Scenario | None = None,
                         baseline: str | None = None) -> model.Scenario:
    """The Scenario that a live chart's params describe (inverse of `scenario_params`). With `base`,
    its role-scoped tools keep their users (each user's rate scales with the slider), and its
    per-family review, reviewers, time construct, pass-through and baseline are kept (issue 12);
    without it, the scenario is on `baseline` (the kit's default if None)."""
    automation = {}
    for f in model.automatable_families():
        rate = params.get(f"automation_{f}", 0.0) / 100
        users = base.automation.get(f) if base is not None else None
        if isinstance(users, Mapping):
            top = max(users.values(), default=0.0)
            automation[f] = {who: (r / top * rate if top else rate) for who, r in users.items()}
        elif rate:
            automation[f] = rate
    shares = np.array([params[f"reinvestment_{k}"] for k in model.REINVESTMENT_KEYS], dtype=float)
    shares = shares / shares.sum() if shares.sum() > 0 else np.array(list(model.DEFAULT_REINVESTMENT.values()))
    options = {}
    if base is not None:
        options = {k: getattr(base, k) for k in ("reviewers", "max_time_saved", "pajama_pass_through")}
        before = scenario_params(base)["oversight_ratio"]
        if isinstance(base.oversight_ratio, Mapping) and params["oversight_ratio"] == before:
            options["oversight_ratio"] = base.oversight_ratio
    options.setdefault("oversight_ratio", params["oversight_ratio"] / 100)
    options["baseline"] = base.baseline if base is not None else (model.DEFAULT_BASELINE if baseline is None
                                                                   else baseline)
    return model.Scenario(automation=automation, reinvestment=dict(zip(model.REINVESTMENT_KEYS, shares.tolist())),
                          org=org, **options)


def live_structure(scenario: model.Scenario):
    """What the live charts' data depend on besides the slider params: who uses each role-scoped
    tool (and their relative rates), per-family review, reviewers, the time construct and the
    pass-through. A change here needs new chart data, not just new params."""
    if not model._uses_issue12(scenario):
        return None
    users = tuple(sorted((f, tuple(sorted((w, r / max(v.values()) if max(v.values()) else 1.0) for w, r in v.items())))
                         for f, v in scenario.automation.items() if isinstance(v, Mapping)))
    ratio = scenario.oversight_ratio
    return (users, model._frozen(ratio) if isinstance(ratio, Mapping) else None, model._frozen(scenario.reviewers),
            model._frozen(scenario.max_time_saved), scenario.pajama_pass_through, scenario.baseline)


def _live_frame(by_family: pd.DataFrame, roles_table: pd.DataFrame, scenario: model.Scenario | None = None
                ) -> pd.DataFrame:
    """The per role x family inputs of the live chart: hours before, exposure, mode, headcount.
    For a scenario with issue-12 options (kit.adoption, kit.review), also each row's user weight
    `u` (the role's rate over the family's slider rate), exposure after the time construct, review
    ratio `rr`, central-review flag `c`, the central team's wage `w` and the pass-through `p`.

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
    if scenario is not None and model._uses_issue12(scenario):
        frame = _issue12_columns(frame, scenario)
    return frame.reset_index(drop=True)


def _issue12_columns(frame: pd.DataFrame, scenario: model.Scenario) -> pd.DataFrame:
    from .. import review

    st = model.structure(scenario.baseline)
    setup = model._org_setup(scenario.org, scenario.baseline)
    matrix, rho_f, central, exposure = model._issue12_setup(scenario)
    row_of = {st.role_ids[i]: k for k, i in enumerate(setup.rows)}
    r = frame.role_id.map(row_of).to_numpy()
    f = frame.family.map(st.families.index).to_numpy()
    from .. import adoption

    top = np.array([scenario.automation_rate(fam) for fam in st.families])
    rate = matrix[r, f]
    role_ids = [st.role_ids[i] for i in setup.rows]
    users = np.ones_like(matrix)  # who uses each family's tool, whatever its rate (every role for one rate)
    for j, fam in enumerate(st.families):
        value = scenario.automation.get(fam)
        if isinstance(value, Mapping):
            users[:, j] = adoption.role_rates({who: 1.0 for who in value}, role_ids)
    frame = frame.assign(
        u=np.where(top[f] > 0, rate / np.where(top[f] > 0, top[f], 1.0), users[r, f]),
        e=exposure[r, f],
        rr=rho_f[f] if isinstance(scenario.oversight_ratio, Mapping) else -1.0,
        c=(central[f].astype(float) if central is not None else 0.0),
        w=[review.wages().get(who, 0.0) if who != review.SELF else 0.0
           for who in review.reviewer_vector(scenario.reviewers, st.families)[f]],
        tm=1.0 if scenario.reviewers is not None else 0.0,
        p=-1.0 if scenario.pajama_pass_through is None else scenario.pajama_pass_through)
    return frame


def _model_transforms(families, issue12: bool = False) -> list[dict]:
    """kit.model.shift_hours written as Vega-Lite transforms over role x family rows.

    Mirrors shift_hours line by line; tests/test_charts.py keeps the two equal. With issue12, the
    data's u, rr, c and p columns scope tools to their users, review per family, send central
    review out of the role's week and move evening documentation into the day (A42)."""
    if issue12:
        return _issue12_transforms(families)
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


def _issue12_transforms(families) -> list[dict]:
    legacy = _model_transforms(families)
    doc, oversight = "'clinical_documentation'", repr(model.OVERSIGHT_FAMILY)
    head = [
        legacy[0],
        {"calculate": "datum.h * datum.e * datum.u * datum.a", "as": "automated"},
        {"calculate": "(datum.rr < 0 ? oversight_ratio / 100 : datum.rr) * datum.automated", "as": "R"},
        {"calculate": "datum.R * (1 - datum.c)", "as": "Rs"},
        {"calculate": "datum.R * datum.c", "as": "Rc"},
        {"calculate": f"datum.family === {doc} ? datum.automated - datum.Rs : 0", "as": "nd"},
        {"joinaggregate": [{"op": "sum", "field": "automated", "as": "A"}, {"op": "sum", "field": "Rs", "as": "O"},
                           {"op": "sum", "field": "Rc", "as": "CR"}, {"op": "sum", "field": "nd", "as": "ND"}],
         "groupby": ["role_id"]},
        {"calculate": "datum.p < 0 ? 0 : (datum.p * datum.ND < datum.pajama_before ? datum.p * datum.ND"
                      " : datum.pajama_before)", "as": "pc"},
        {"calculate": "datum.A - datum.O - datum.pc", "as": "F"},
        {"calculate": f"datum.h - datum.automated + (datum.family === {oversight} ? datum.O : 0)"
                      f" + (datum.family === {doc} ? datum.pc : 0)", "as": "remaining"},
    ]
    return head + legacy[6:]


def _live_role_rows() -> list[dict]:
    """After _model_transforms: one row per role, mode and before/after with `hours`."""
    return [
        {"aggregate": [{"op": "sum", "field": "h", "as": "Before"}, {"op": "sum", "field": "after", "as": "After"}],
         "groupby": ["role_id", "title", "mode", "mode_order"]},
        {"fold": ["Before", "After"], "as": ["when", "hours"]},
    ]


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
    return {name: title_lines(text, 44 if name == "org_headline" else 66) for name, text in headlines.items()}


def shown_result(result: model.Result, roles: list[str] | None = None) -> model.Result:
    """The result for only some roles of its organization: what a live chart with `roles` draws
    (its role bars, and its organization totals over those roles). The result itself if roles is None."""
    if roles is None:
        return result
    only_roles(result.by_role, roles)  # a clear message for a role that is not there
    return model.simulate(shown_scenario(result.scenario, roles))


def shown_scenario(scenario: model.Scenario, roles: list[str] | None = None) -> model.Scenario:
    """The scenario on only some roles of its organization (itself if roles is None)."""
    if roles is None:
        return scenario
    return scenario.replace(org=_part_of(scenario.org, tuple(dict.fromkeys(roles)), scenario.baseline))


@functools.lru_cache(maxsize=32)
def _part_of(org, roles: tuple[str, ...], baseline: str | None = None) -> model.Organization:
    table = model.org_table(org, baseline)
    table = table[table.role_id.isin(roles)].reset_index(drop=True)
    return model.Organization.from_table(table, name=f"{org_label(org)} ({len(table)} roles)")


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
               focus: str | None = None, parts: Sequence[str] = ("org_shift", "role_shift")) -> alt.VConcatChart:
    """Several live charts stacked in one view sharing one set of params: one slider change is one
    param update for all of them. With bind=True it is a self-contained interactive page."""
    return _live(scenario, bind, roles, focus, parts=parts)


def _live(scenario, bind, roles, focus, parts):
    scenario = model.as_scenario(scenario)
    result = model.simulate(scenario)
    shown = shown_result(result, roles)  # the roles drawn, and their totals
    frame = _live_frame(shown.by_family, shown.roles, scenario)
    issue12 = model._uses_issue12(scenario)
    role_titles = result.roles.set_index("role_id").title
    focus_title = role_titles.get(focus, "") if focus else ""
    headlines = {k: title_lines(v) for k, v in BIND_HEADLINES.items()} if bind else live_headlines(shown)
    builders = {"role_shift": _role_shift_live_part, "org_shift": _org_shift_live_part,
                "pajama_time": _pajama_live_part}
    unknown = [p for p in parts if p not in builders]
    if unknown or not parts:
        raise ValueError(f"parts: {(unknown or [None])[0]!r} is not a live chart; choose from {', '.join(builders)}")
    # The model's transforms run once, at the top: parts that share one view share its result.
    transforms = _model_transforms(model.automatable_families(), issue12) if set(parts) - {"pajama_time"} else []
    build = {**builders, "org_shift": lambda d, fr, t: _org_shift_live_part(d, fr, t, issue12),
             "pajama_time": lambda d, fr, t: _pajama_live_part(d, fr, t, issue12)}
    if len(parts) == 1:
        chart = build[parts[0]](frame, frame, transforms).copy()
    else:
        chart = alt.vconcat(*[build[p](alt.Undefined, frame, []) for p in parts], data=frame, spacing=28)
        chart.transform = transforms
    chart.params = _live_params(scenario, bind, focus_title, headlines)
    chart.autosize = alt.AutoSizeParams(type="pad", resize=True)  # a title may gain a line: re-measure
    description = " ".join(
        {"role_shift": _role_shift_description(shown.by_role, " ".join(headlines["role_headline"])),
         "org_shift": f"Stacked bar chart of the organization's paid hours per week by mode, before and after. "
                      f"{' '.join(headlines['org_headline'])}. {_org_note(shown.org)}.",
         "pajama_time": f"Dot plot of clinicians' after-hours documentation before and after. "
                        f"{' '.join(headlines['pajama_headline'])}."}[p] for p in parts)
    return configure(chart, parts[0] if len(parts) == 1 else "live_panel", description, live=True,
                      parts=list(parts), org=org_label(scenario.org), roles=list(roles) if roles else None,
                      base=base_settings(scenario), code=_starting_code(scenario))


def _starting_code(scenario: model.Scenario) -> str | None:
    """The scenario code of the chart's starting view: the static site reads the page's structure
    from it and writes codes for where its sliders go (assets/kit-codes.js)."""
    try:
        return share_code(scenario)
    except DataError:  # a setting a code cannot hold: the chart still draws, without a code
        return None


def base_settings(scenario: model.Scenario) -> dict:
    """What a live chart's numbers depend on besides its params and its data, as plain JSON: who uses
    each tool, review by family and by whom, the time construct, the pass-through and the baseline.
    kit.table reads it back, so a chart's table is the model's result for the scenario it shows."""
    return {"automation": model._plain(scenario.automation), "oversight_ratio": model._plain(scenario.oversight_ratio),
            "reviewers": model._plain(scenario.reviewers), "max_time_saved": model._plain(scenario.max_time_saved),
            "pajama_pass_through": scenario.pajama_pass_through, "baseline": scenario.baseline}


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
    chart = with_transforms(chart, transforms + _live_role_rows())
    return chart.properties(title=alt.Title(text={"expr": "role_headline"}, subtitle=title_lines(LIVE_SUBTITLE, 80)))


def _org_shift_live_part(data, frame, transforms, issue12: bool = False):
    per_role = [{"aggregate": [{"op": "sum", "field": "h", "as": "b"}, {"op": "sum", "field": "after", "as": "a"}],
                 "groupby": ["role_id", "mode", "mode_order", "headcount"]},
                {"calculate": "datum.b * datum.headcount", "as": "Before"},
                {"calculate": "datum.a * datum.headcount", "as": "After"},
                {"fold": ["Before", "After"], "as": ["when", "hours"]}]
    wage = model._oversight_wage()
    team = model.OVERSIGHT_TEAM_WEEKLY_HOURS
    if issue12:  # the team is the central review only when reviewers are set (kit.review)
        totals = [{"calculate": "datum.Rc * datum.w * datum.headcount", "as": "rc_cost"},
                  {"joinaggregate": [{"op": "sum", "field": "rc_cost", "as": "RCW"}], "groupby": ["role_id"]},
                  {"aggregate": [{"op": "max", "field": f, "as": f}
                                 for f in ("released", "O", "CR", "RCW", "tm", "headcount", "weekly_hours")],
                   "groupby": ["role_id"]},
                  {"calculate": "datum.released / datum.weekly_hours * datum.headcount", "as": "released_fte"},
                  {"calculate": "(datum.tm > 0 ? datum.CR : datum.O) * datum.headcount", "as": "oversight_hours"},
                  {"calculate": f"datum.tm > 0 ? datum.RCW / {team} : datum.O * datum.headcount / {team} * {wage}",
                   "as": "role_cost"},
                  {"aggregate": [{"op": "sum", "field": "released_fte", "as": "released_fte"},
                                 {"op": "sum", "field": "oversight_hours", "as": "oversight_hours"},
                                 {"op": "sum", "field": "role_cost", "as": "cost"}]},
                  {"calculate": f"datum.oversight_hours / {team}", "as": "fte"}]
    else:
        totals = [{"aggregate": [{"op": "max", "field": f, "as": f}
                                 for f in ("released", "O", "headcount", "weekly_hours")],
                   "groupby": ["role_id"]},
                  {"calculate": "datum.released / datum.weekly_hours * datum.headcount", "as": "released_fte"},
                  {"calculate": "datum.O * datum.headcount", "as": "oversight_hours"},
                  {"aggregate": [{"op": "sum", "field": "released_fte", "as": "released_fte"},
                                 {"op": "sum", "field": "oversight_hours", "as": "oversight_hours"}]},
                  {"calculate": f"datum.oversight_hours / {team}", "as": "fte"},
                  {"calculate": f"datum.fte * {wage}", "as": "cost"}]
    totals += [
              # _org_note's sentence, in three lines, with the same number formats
              {"calculate": "'Released: ' + " + _vega_fte("datum.released_fte") + " + ' FTE of paid hours.\\n"
                            "New AI-oversight work: ' + " + _vega_fte("datum.fte") + " + ' FTE\\n(' + "
                            + _vega_money("datum.cost") + " + ' a year, wage as assumption A11)'", "as": "note"}]
    note = with_transforms(alt.Chart(data), transforms + totals).mark_text(
        align="left", baseline="top", fontSize=12, color="#333", lineBreak="\n").encode(
        x=alt.value(0), y=alt.value(0), text="note:N").properties(width=ORG_LIVE_WIDTH, height=44)
    total = float((frame.drop_duplicates("role_id").set_index("role_id").headcount
                   * frame.groupby("role_id").h.sum()).sum())
    top = _org_layers(alt.Chart(data), transforms + per_role, total).properties(
        width=ORG_LIVE_WIDTH, title=alt.Title(text={"expr": "org_headline"},
                                              subtitle="Paid hours of everyone in the organization, by mode"))
    return alt.vconcat(top, note, spacing=6)


def _pajama_live_part(data, frame, transforms, issue12: bool = False):
    """Pajama time needs only each clinician's documentation row: filter first, then two lines of
    the model (automated hours, and the net cut in documentation, assumption A12; or A42's
    pass-through of the net cut, for a scenario that sets it)."""
    if issue12:
        model_rows = [
            {"calculate": "datum.h * datum.e * datum.u * automation_clinical_documentation / 100",
             "as": "automated"},
            {"calculate": "datum.automated * (1 - (1 - datum.c)"
                          " * (datum.rr < 0 ? oversight_ratio / 100 : datum.rr))", "as": "nd"},
            {"calculate": "datum.p < 0 ? datum.pajama_before * (1 - (datum.h > 0 ? datum.nd / datum.h : 0))"
                          " : datum.pajama_before - (datum.p * datum.nd < datum.pajama_before ? datum.p * datum.nd"
                          " : datum.pajama_before)",
             "as": "pajama_after"}]
    else:
        model_rows = [
            {"calculate": "datum.h * datum.e * automation_clinical_documentation / 100", "as": "automated"},
            {"calculate": "datum.pajama_before * (1 - (datum.h > 0 ? datum.automated * (1 - oversight_ratio / 100)"
                          " / datum.h : 0))", "as": "pajama_after"}]
    rows = [{"filter": "datum.family === 'clinical_documentation' && datum.pajama_before > 0"}, *model_rows,
            {"calculate": "datum.pajama_before", "as": "Before"},
            {"calculate": "datum.pajama_after", "as": "After"},
            {"fold": ["Before", "After"], "as": ["when", "hours"]}]
    base = with_transforms(alt.Chart(data), rows)
    titles = frame.loc[frame.pajama_before > 0, "title"].unique()
    return _pajama_layers(base, titles).properties(title=alt.Title(
        text={"expr": "pajama_headline"}, subtitle=title_lines(PAJAMA_SUBTITLE, 90)))
