"""What the slider lab writes for a learner to read: the summary line, the message above the charts,
the numbers behind the role chart, and two scenarios side by side."""
from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import adoption, charts, data, model
from ..model import MODES, REINVESTMENT_KEYS, Scenario
from .controls import slider_families


def summary_line(result: model.Result, role_id: str) -> str:
    """The plain-language summary of a result for one role and the organization, e.g.
    'Medical Secretaries: execution −6.1 h/week, curation +1.2, presence +3.0 ...'."""
    ids = result.roles.role_id.to_numpy()
    where = np.flatnonzero(ids == role_id)
    if len(where) == 0:
        return "Pick a role to see its week."
    i = int(where[0])
    change = result.by_role.hours_change.to_numpy()[3 * i: 3 * i + 3]  # by_role: 3 rows per role, MODES order
    title, released = result.roles.title.iloc[i], result.roles.released.iloc[i]
    org = result.org
    parts = [f"{title}: execution {charts.format_change(change[0])} h/week, "
             f"curation {charts.format_change(change[1])}, presence {charts.format_change(change[2])}"]
    if released > 0.05:
        parts[0] += f", released {charts.format_number(released)}"
    parts.append(f"Organization: {charts.format_fte(org['released_fte'])} FTE released, "
                 f"{charts.format_fte(org['oversight_team_fte'])} FTE of new AI-oversight work")
    scoped = [f for f in model.automatable_families() if isinstance(result.scenario.automation.get(f), Mapping)]
    if scoped:  # a tool used by some roles only: name who uses it (kit.adoption)
        labels = data.load_task_families().set_index("family").label
        parts.append("Used only by: " + "; ".join(
            f"{labels[f]}: {adoption.describe_users(result.scenario.automation, f)}" for f in scoped))
    return ". ".join(parts) + "."


def summary_html(result: model.Result, role_id: str) -> str:
    """The summary line as the dashboard shows it (a live region that screen readers announce)."""
    line = html.escape(summary_line(result, role_id))
    return f"<div style='font-size:15px;line-height:1.4' role='status'>{line}</div>"


def message_html(text: str, kind: str = "problem", details=()) -> str:
    """A message above the charts: plain text, escaped; kind is problem, note or done; '' for no text."""
    if not text:
        return ""
    color, icon = {"problem": ("#8a1c00", "Cannot do that:"), "note": ("#204a87", "Note:"),
                   "done": ("#1a5e20", "Done:")}[kind]
    items = "".join(f"<li>{html.escape(d)}</li>" for d in details)
    items = f'<ul style="margin:2px 0">{items}</ul>' if items else ""
    return (f"<div role='alert' style='color:{color};border-left:4px solid {color};"
            f"padding:4px 8px;margin:4px 0'><b>{icon}</b> {html.escape(text)}"
            f"{items}</div>")


def numbers_html(result: model.Result) -> str:
    """The numbers behind the role chart, as the Numbers tab shows them."""
    table = charts.table(charts.role_shift(result.by_role))
    return (
        "<div style='max-height:420px;overflow:auto'><style>.kit-numbers td, .kit-numbers th {padding:2px 10px}"
        " .kit-numbers td:nth-child(n+3) {text-align:right}</style>"
        "<p>The numbers behind the role chart: paid hours per person per week, by mode.</p>"
        + table.to_html(index=False, float_format=lambda x: f"{x:.2f}", border=0, classes="kit-numbers")
        + "</div>")


def comparison(a: Scenario, b: Scenario, role_id: str | None = None) -> pd.DataFrame:
    """Two scenarios side by side: their settings (where either differs from 0) and outcomes."""
    ra, rb = model.simulate(a), model.simulate(b)
    families = slider_families()
    rows = []
    for f in families.index:
        va, vb = a.automation_rate(f), b.automation_rate(f)
        if va or vb:
            rows.append((f"{families.loc[f, 'slider_label']} (%)", 100 * va, 100 * vb))
    rows.append(("Review per AI hour (%)", charts.scenario_params(a)["oversight_ratio"],
                 charts.scenario_params(b)["oversight_ratio"]))
    rows += [(f"Freed hours to {k} (%)", 100 * a.reinvestment[k], 100 * b.reinvestment[k]) for k in REINVESTMENT_KEYS]
    for mode in MODES:
        share_a = ra.org_by_mode.set_index("mode").share_after[mode]
        share_b = rb.org_by_mode.set_index("mode").share_after[mode]
        rows.append((f"{mode.capitalize()} share of paid hours (%)", 100 * share_a, 100 * share_b))
    rows += [("Released (FTE)", ra.org["released_fte"], rb.org["released_fte"]),
             ("New AI-oversight work (FTE)", ra.org["oversight_team_fte"], rb.org["oversight_team_fte"]),
             ("Pajama time, all clinicians (hours/week)", ra.org["pajama_after"], rb.org["pajama_after"])]
    if role_id is not None and role_id in set(ra.roles.role_id) and role_id in set(rb.roles.role_id):
        title = ra.roles.set_index("role_id").title[role_id]
        for mode in MODES:
            rows.append((f"{title}: {mode} hours/week", ra.role(role_id).hours_after[mode],
                         rb.role(role_id).hours_after[mode]))
    table = pd.DataFrame(rows, columns=["", "A (on screen)", "B"])
    table["B \u2212 A"] = table["B"] - table["A (on screen)"]
    for column in ("A (on screen)", "B", "B \u2212 A"):
        table[column] = table[column].map(lambda x: f"{x:,.1f}")
    orgs = {charts._org_label(a.org), charts._org_label(b.org)}
    if len(orgs) > 1:
        table.loc[len(table)] = ["Organization", charts._org_label(a.org), charts._org_label(b.org), "differs"]
    return table
