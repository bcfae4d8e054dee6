"""The kit's one chart style: the colour-blind-safe palette (one Okabe-Ito colour per mode), fonts
and sizes, the shared encodings, and `configure`, which gives a finished chart its description,
kit metadata (what `kit.table` reads) and the style. Every chart builder, chapter 07's too, uses these."""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from .. import data
from ..model import MODES

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


def mode_color(legend: bool = True) -> alt.Color:
    """Colour by mode, in the palette, with the modes' plain-language legend."""
    return alt.Color("mode:N", title="Mode of work",
                     scale=alt.Scale(domain=list(MODES), range=[PALETTE[m] for m in MODES]),
                     legend=alt.Legend(orient="top", direction="horizontal", labelLimit=320, columns=1,
                                       labelExpr=label_expr(MODE_LABELS)) if legend else None)


def label_expr(labels: dict) -> str:
    """A Vega label expression that shows `labels[value]` for each key."""
    cases = " : ".join(f"datum.value === {k!r} ? {v!r}" for k, v in labels.items())
    return f"{cases} : datum.value"


def when_opacity(legend: bool = True) -> alt.Opacity:
    """Light bars before, solid bars after."""
    return alt.Opacity("when:N", title=None, scale=alt.Scale(domain=list(WHEN), range=[0.45, 1.0]),
                       legend=alt.Legend(orient="top", labelExpr="datum.value === 'Before' ? "
                                         "'Before (light bar)' : 'After (solid bar)'") if legend else None)


def configure(chart, name: str, description: str, **meta):
    """Give a finished chart its description, kit metadata and the kit's one style."""
    return (chart.properties(description=description, usermeta={"kit": {"chart": name, **meta}})
            .configure(font=FONT)
            .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#222", titleColor="#222")
            .configure_legend(labelFontSize=12, titleFontSize=12, symbolType="square")
            .configure_title(fontSize=14, subtitleFontSize=12, anchor="start", subtitleColor="#444", frame="bounds",
                             limit=0)
            .configure_view(stroke=None))


def title_lines(text: str, width: int = 72) -> list[str]:
    """A title as lines short enough for the chart (Vega does not wrap titles)."""
    return textwrap.wrap(text, width) or [""]


def role_order(titles) -> list[str]:
    """Roles in the dataset's order (grouped: administrative, clinical, ...), so bars never jump."""
    order = list(data.load_roles().title)
    present = set(titles)
    return [t for t in order if t in present] + sorted(present - set(order))


def with_transforms(chart, transforms: list[dict]):
    """A copy of `chart` with these Vega-Lite transforms."""
    chart = chart.copy()
    chart.transform = transforms
    return chart


def org_label(org) -> str:
    """An organization's name: a profile id as it is, a kit.Organization by its name."""
    return org if isinstance(org, str) else getattr(org, "name", "custom organization")


def require_columns(frame, columns: set, chart: str, hint: str) -> None:
    """A clear message when a builder gets something other than the table it draws."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{chart}: expected a DataFrame such as {hint}, got {type(frame).__name__}")
    missing = sorted(set(columns) - set(frame.columns))
    if missing:
        raise ValueError(f"{chart}: the table has no column {missing[0]!r}; pass {hint}")


def only_roles(frame: pd.DataFrame, roles) -> pd.DataFrame:
    """The rows of these role ids (all rows if roles is None); an unknown role gets a message."""
    if roles is None:
        return frame
    unknown = [r for r in roles if r not in set(frame.role_id)]
    if unknown:
        raise ValueError(f"roles: {unknown[0]!r} is not in this organization; choose from "
                         f"{', '.join(dict.fromkeys(frame.role_id))}")
    return frame[frame.role_id.isin(roles)]
