"""Chapter 01's chart of the two baselines: the week by kind of work on the job description (O*NET)
and on the clock (the measured baseline), side by side per role. Built from kit.baseline's tables."""
from __future__ import annotations

import altair as alt

from . import charts, data
from .baseline import CLOCK_ROLES, KIND_COLOURS, KINDS, SOURCES, clock_headline, clock_table

__all__ = ["clock_chart"]


def clock_chart(role_ids=CLOCK_ROLES):
    """Side-by-side bars per role: the week by kind of work on the job description (O*NET) and on the
    clock (the measured baseline), so the gap the time-use studies close is visible."""
    table = clock_table(role_ids)
    long = table.melt(id_vars=["role_id", "title", "kind"], value_vars=["job_description", "clock"],
                      var_name="source", value_name="share")
    long["source"] = long.source.map({"job_description": SOURCES["onet"], "clock": SOURCES["measured"]})
    long["kind_order"] = long.kind.map(list(KINDS).index)
    headline = clock_headline(role_ids[0]) if "family_medicine_physicians" not in role_ids else clock_headline()
    chart = alt.Chart(long).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("share:Q", stack="zero", title="Share of the week", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("source:N", title=None, sort=list(SOURCES.values()), axis=alt.Axis(labelLimit=220)),
        color=alt.Color("kind:N", title="Kind of work", sort=list(KINDS),
                        scale=alt.Scale(domain=list(KINDS), range=list(KIND_COLOURS)),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=260)),
        order=alt.Order("kind_order:Q"),
        tooltip=[alt.Tooltip("title:N", title="Role"), alt.Tooltip("source:N", title="Baseline"),
                 alt.Tooltip("kind:N", title="Kind of work"), alt.Tooltip("share:Q", title="Share", format=".1%")],
    ).properties(width=charts.WIDTH if hasattr(charts, "WIDTH") else 480, height=44).facet(
        row=alt.Row("title:N", title=None, sort=[data.load_roles().set_index("role_id").title[r] for r in role_ids],
                    header=alt.Header(labelAngle=0, labelAnchor="start", labelFontWeight="bold", labelOrient="top")),
        spacing=6).properties(title=alt.Title(headline.replace("; ", ";\n").split("\n"), subtitle=(
            "Each pair of bars is one role's week: what its O*NET tasks imply, and what EHR logs and "
            "time-motion studies measure.")))
    description = (f"Horizontal stacked bar chart, two bars per role for {len(role_ids)} roles: the week split into "
                   f"{len(KINDS)} kinds of work on the O*NET job description and on the time-use clock. {headline}.")
    font = getattr(charts, "FONT", "sans-serif")
    return (chart.properties(description=description, usermeta={"kit": {"chart": "clock_chart"}})
            .configure(font=font).configure_axis(labelFontSize=12, titleFontSize=12)
            .configure_legend(labelFontSize=12, titleFontSize=12, symbolType="square")
            .configure_title(fontSize=14, subtitleFontSize=12, anchor="start", subtitleColor="#444")
            .configure_view(stroke=None))
