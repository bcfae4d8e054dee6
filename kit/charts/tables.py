"""The table view of every kit chart (`kit.table`): the numbers behind a chart as a table with
readable column names. Builders outside this package (chapter 07's, the oversight chart) register
their own table function with `register`, so one `kit.table` works on every chart the kit draws."""
from __future__ import annotations

from collections.abc import Callable, Iterable

import altair as alt
import pandas as pd

from .. import model
from ..model import MODES
from .builders import org_shift, pajama_time, role_shift
from .live import scenario_from_params
from .style import role_order

# chart kind (usermeta kit.chart) -> function(chart) -> table; and charts without kit metadata,
# recognised by the columns of their data: (columns, function)
_REGISTERED: dict[str, Callable] = {}
_BY_COLUMNS: list[tuple[frozenset, Callable]] = []


def register(kind: str | None, table_of: Callable, columns: Iterable[str] | None = None) -> None:
    """Give a chart kind built outside kit.charts its table view: `table_of(chart)` returns the table.
    A chart made before the kit marked its charts is recognised by its data's `columns` instead."""
    if kind is not None:
        _REGISTERED[kind] = table_of
    if columns is not None:
        _BY_COLUMNS.append((frozenset(columns), table_of))


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


def table(chart: alt.TopLevelMixin | alt.JupyterChart) -> pd.DataFrame:
    """The numbers behind any kit chart (an Altair chart or an alt.JupyterChart), as a table with
    readable column names: the accessible view of the chart."""
    params = None
    if isinstance(chart, alt.JupyterChart):
        params = param_values(chart)
        chart = chart.chart
    meta = chart.usermeta.get("kit", {}) if isinstance(chart.usermeta, dict) else {}
    kind = meta.get("chart")
    if kind in _REGISTERED:
        return _REGISTERED[kind](chart)
    if kind not in _TABLES and not meta.get("live"):
        columns = set(chart.data.columns) if isinstance(chart.data, pd.DataFrame) else None
        for known, table_of in _BY_COLUMNS:
            if columns == known:
                return table_of(chart)
        raise ValueError("table: this is not a kit chart; build it with a kit.charts function")
    frame = _chart_frame(chart)
    if meta.get("live"):
        result = _live_result(frame, params or {p.name: p.value for p in chart.params}, meta.get("base"))
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
        order = {t: i for i, t in enumerate(role_order(out["Role"].unique()))}
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


def _live_result(frame: pd.DataFrame, params: dict, base: dict | None = None) -> model.Result:
    """A live chart's numbers: its org (from its data) and scenario (from its params and the
    settings it was built on, `base`: who uses each tool, review, time construct), simulated."""
    roles = frame.drop_duplicates("role_id")
    baseline = (base or {}).get("baseline") or model.DEFAULT_BASELINE
    families = model.structure(baseline).families
    hours = frame.pivot_table(index="role_id", columns="family", values="h", aggfunc="sum", sort=False)
    hours = hours.reindex(index=roles.role_id, columns=list(families), fill_value=0.0).fillna(0.0)
    shares = hours.to_numpy() / roles.weekly_hours.to_numpy()[:, None]  # the chart's own task mix
    org = model.Organization(tuple(roles.role_id), tuple(roles.headcount.astype(float)),
                             tuple(roles.weekly_hours.astype(float)), "chart", tuple(map(tuple, shares)))
    scenario = model.Scenario(org=org, **base) if base else None
    return model.simulate(scenario_from_params(params, org=org, base=scenario))
