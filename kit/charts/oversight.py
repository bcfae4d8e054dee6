"""Review vs freed hours as the oversight ratio rises (chapter 04): every hour of review is an hour
the automation does not free. Built from `kit.lessons.oversight_sweep`; its table view is registered
with kit.charts.tables, so `kit.table` works on it."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .style import FONT, PALETTE, WIDTH
from .tables import register

REVIEW, FREED = "Review of AI output (curation)", "Freed for presence, capacity or release"


def oversight_chart(sweep: pd.DataFrame, who: str = "the organization") -> alt.LayerChart:
    """Hours of review vs hours freed as the oversight ratio rises (from `oversight_sweep`): every
    hour of review is an hour the automation does not free."""
    long = sweep.melt(id_vars=["oversight_ratio"], value_vars=["oversight", "freed"],
                      var_name="what", value_name="hours")
    long["what"] = long["what"].map({"oversight": REVIEW, "freed": FREED})
    automated = float(sweep.automated.iloc[0])
    headline = "Review eats the saving: every hour of review is an hour that automation does not free"
    line = alt.Chart(long).mark_line(point=True, strokeWidth=3).encode(
        x=alt.X("oversight_ratio:Q", title="Oversight ratio (hours of review per automated hour)",
                scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("hours:Q", title="Hours per week", axis=alt.Axis(format="~s")),
        color=alt.Color("what:N", title=None, sort=[REVIEW],
                        scale=alt.Scale(range=[PALETTE["curation"], PALETTE["presence"]]),
                        legend=alt.Legend(orient="top", labelLimit=320)),
        strokeDash=alt.StrokeDash("what:N", legend=None, sort=[REVIEW]),
        tooltip=[alt.Tooltip("oversight_ratio:Q", title="Oversight ratio", format=".2f"),
                 alt.Tooltip("what:N", title="Hours"), alt.Tooltip("hours:Q", title="Hours/week", format=",.1f")])
    chart = line.properties(width=WIDTH, height=220, title=alt.Title(
        headline, subtitle=[f"Hours per week of {who}. The hours the AI does stay fixed at {automated:,.0f};",
                            "the ratio only decides how many of them come back as review."]))
    description = (f"Line chart: as the oversight ratio rises from 0 to 1, weekly hours of review rise from 0 to "
                   f"{automated:,.0f} and hours freed fall from {automated:,.0f} to 0 ({who}). {headline}.")
    return chart.properties(description=description).configure(font=FONT).configure_title(
        fontSize=15, subtitleFontSize=12, anchor="start", subtitleColor="#444", limit=0).configure_view(stroke=None)


def oversight_table(chart) -> pd.DataFrame:
    """The numbers behind an oversight chart: review and freed hours per week at each ratio."""
    frame = chart.data.pivot_table(index="oversight_ratio", columns="what", values="hours", sort=False)
    out = frame.reset_index()[["oversight_ratio", REVIEW, FREED]]
    out.columns = ["Oversight ratio", "Review (hours/week)", "Freed (hours/week)"]
    return out


# The chart carries no kit metadata (its spec is as chapter 04 stores it): recognised by its data.
register(None, oversight_table, columns=("oversight_ratio", "what", "hours"))
