"""The moat map: roles by AI exposure and human-moat score, sized by employment, each role's name
placed where it covers the fewest circles and labels (a greedy label placer)."""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from ..words import moat_headline, short_title
from .style import NEUTRAL, PALETTE, WIDTH, configure, mode_color, require_columns, title_lines

MOAT_WIDTH, MOAT_HEIGHT = WIDTH + 160, 380
MOAT_SIZES = (40, 1600)  # circle area in px², from no one to the largest role


def moat_map(roles: pd.DataFrame, by_role: pd.DataFrame | None = None) -> alt.LayerChart:
    """Roles by AI exposure (x) and human-moat score (y), sized by US employment, with quadrant
    labels; the title states the tendency the roles show (moat_headline). With `by_role`
    (result.by_role), each role is coloured by the mode that takes most of its week."""
    require_columns(roles, {"role_id", "title", "exposure", "moat_score", "employment"}, "moat_map", "kit.load_roles()")
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
        color=mode_color() if by_role is not None else alt.value(PALETTE["curation"]),
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
                   | points.title.map(short_title).map(lambda t: f"{t} are an exception" in headline)].copy()
    named["short"] = named.title.map(short_title)
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
        width=MOAT_WIDTH, height=MOAT_HEIGHT, title=alt.Title(title_lines(headline), subtitle=(
            f"Dashed lines: the median role (exposure {x_mid:.2f}, moat {y_mid:.2f}). "
            "Circle area: US employment (BLS May 2024).")))
    description = (f"Scatter plot of {len(points)} roles: AI exposure on x, human-moat score on y, circle size "
                   f"US employment. {headline}. Quadrants split at the median role.")
    return configure(chart, "moat_map", description)


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
