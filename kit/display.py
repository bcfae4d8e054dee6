"""Show a kit chart or panel in a notebook so that it looks right before *and* after running.

`kit.show(chart)` displays one output that carries three views of the same thing:

- the live chart widget (`alt.JupyterChart`, offline): what JupyterLab shows while a kernel runs;
- a PNG drawn by vl-convert: what a reader sees in a saved notebook that has not been run yet (a
  saved notebook keeps no widget models), on GitHub and in static exports. It is added only when
  the environment variable KIT_STATIC_IMAGES is "1" (tools/execute_notebooks.py sets it): in a
  live session the widget covers it, so drawing it would only cost the learner time;
- `text/html`: the same PNG as an `<img>` whose `alt` is the chart's description, so that a screen
  reader meets the same words as the live chart (JupyterLab ranks text/html above image/png, and
  draws image/png with no alt). Without the PNG it is that description as a paragraph (JupyterLab
  shows the widget view instead; strict nbval compares the two, see tests/nbval_sanitize.cfg);
- `text/plain`: the chart's description, deterministic, so strict nbval compares it.

`kit.show(panel)` does the same for a kit.widgets panel (`kit.explore()`, `slider_chart`,
`role_tasks`): the PNG is a preview of the panel's first chart, titled so that nobody takes it
for the live panel, and the text names the panel's findings.
"""
from __future__ import annotations

import base64
import copy
import html
import os
import struct
import zlib

import altair as alt
import ipywidgets as w
from IPython.display import display

from . import charts
from .widgets import enable_offline

__all__ = ["show", "bundle", "STATIC_IMAGES_ENV", "HTML", "PREVIEW_CLASS", "preview_html",
           "PANEL_NOTE", "PNG", "PNG_SCALE", "PREVIEW_TITLE", "TOP_LEVEL_ONLY", "WIDGET_VIEW", "png_bytes", "png_size",
           "smaller_png"]

STATIC_IMAGES_ENV = "KIT_STATIC_IMAGES"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PNG = "image/png"
HTML = "text/html"
PREVIEW_CLASS = "kit-preview"  # marks the kit's preview HTML (jupyter-config/kit_saved_previews.py finds it)
PNG_SCALE = 1.5  # sharp on high-density screens, shown at the chart's own size
PREVIEW_TITLE = "Preview: run this cell (Shift + Enter) to make it interactive"
PANEL_NOTE = "Interactive panel: run this cell to use its controls."
# Vega-Lite keys that may only sit at the top of a spec (kept there when a preview wraps a chart).
TOP_LEVEL_ONLY = ("$schema", "config", "datasets", "autosize", "background", "padding")


def show(item, *, image: bool | None = None) -> None:
    """Display a kit chart (from kit.charts) or panel (from kit.widgets): live when the kernel
    runs, a picture and a text description in a saved notebook. `image` forces the PNG on or off
    (default: on only when KIT_STATIC_IMAGES=1)."""
    data, metadata = bundle(item, image=image)
    display(data, metadata=metadata, raw=True)


def bundle(item, *, image: bool | None = None) -> tuple[dict, dict]:
    """The mime bundle and metadata that `show` displays: widget view, optional PNG, HTML, text."""
    if image is None:
        image = os.environ.get(STATIC_IMAGES_ENV) == "1"
    if isinstance(item, alt.JupyterChart):
        widget, chart, text = item, item.chart, _description(item.chart)
        spec = _current_spec(item)
    elif isinstance(item, alt.TopLevelMixin):
        enable_offline()
        widget, chart, text = alt.JupyterChart(item), item, _description(item)
        spec = item.to_dict()
    elif isinstance(item, w.Widget):
        widget, chart = item, _first_chart(item)
        spec = _preview_spec(_current_spec(chart)) if chart is not None else None
        text = f"{PANEL_NOTE} {_findings(chart)}".strip()
    else:
        raise TypeError(f"kit.show: a {type(item).__name__} is not a chart or panel of the kit; pass a chart "
                        "from kit.charts or a panel from kit.widgets (to see a table, end a cell with it)")
    data = {WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": widget.model_id},
            "text/plain": text}
    metadata = {}
    if image and spec is not None:
        png = png_bytes(spec)
        width, height = png_size(png)
        data[PNG] = base64.b64encode(png).decode("ascii")
        metadata[PNG] = {"width": round(width / PNG_SCALE), "height": round(height / PNG_SCALE)}
        data[HTML] = preview_html(data[PNG], text, metadata[PNG])
    else:
        data[HTML] = preview_html(None, text)
    return data, metadata


def preview_html(png_base64: str | None, description: str, size: dict | None = None) -> str:
    """The picture as an `<img>` whose alt text is the description (shown at `size`, CSS pixels), or,
    with no picture, the description as a paragraph. One line, attributes in a fixed order: strict
    nbval compares the one with the other as the same words (tests/nbval_sanitize.cfg)."""
    words = html.escape(description, quote=True)
    if png_base64 is None:
        return f'<p class="{PREVIEW_CLASS}">{words}</p>'
    size = size or {}
    shown = "".join(f' {side}="{int(size[side])}"' for side in ("width", "height") if side in size)
    return f'<img class="{PREVIEW_CLASS}" src="data:{PNG};base64,{png_base64}" alt="{words}"{shown}>'


def png_bytes(spec: dict, scale: float = PNG_SCALE) -> bytes:
    """A Vega-Lite spec drawn as a compact PNG by vl-convert (offline, no URLs allowed)."""
    import vl_convert as vlc

    version = "_".join(alt.SCHEMA_VERSION.split(".")[:2])  # 'v6.4.1' -> 'v6_4'
    return smaller_png(vlc.vegalite_to_png(spec, vl_version=version, scale=scale, allowed_base_urls=[]))


def smaller_png(png: bytes) -> bytes:
    """The same image with its pixel data deflated at zlib's best level: vl-convert favours
    speed, and its PNGs of charts come out three to four times larger than they need to be."""
    chunks, pixels, pos = [], b"", 8
    while pos < len(png):
        (length,), kind = struct.unpack(">I", png[pos:pos + 4]), png[pos + 4:pos + 8]
        body = png[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IDAT":
            pixels += body
        else:
            chunks.append((kind, body))
    out = [png[:8]]
    for kind, body in chunks:
        if kind == b"IEND":
            out.append(_chunk(b"IDAT", zlib.compress(zlib.decompress(pixels), 9)))
        out.append(_chunk(kind, body))
    return b"".join(out)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's header."""
    return struct.unpack(">II", png[16:24])


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _description(chart) -> str:
    """The chart's screen-reader description (every kit chart has one), else its title."""
    text = getattr(chart, "description", alt.Undefined)
    if isinstance(text, str) and text:
        return text
    title = getattr(chart, "title", alt.Undefined)
    title = _text(getattr(title, "text", title))
    return f"Chart: {title}" if title else "Chart (no description)"


def _text(value) -> str:
    """A title or headline as one line of text (kit charts wrap long ones into a list of lines)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return " ".join(value)
    return ""


def _first_chart(widget) -> alt.JupyterChart | None:
    """The first chart widget in a panel, depth first (the one a reader looks at first)."""
    if isinstance(widget, alt.JupyterChart):
        return widget
    for child in getattr(widget, "children", ()):
        found = _first_chart(child)
        if found is not None:
            return found
    return None


def _current_spec(chart: alt.JupyterChart) -> dict:
    """The chart widget's spec with each param at its current value (a slider may have moved)."""
    spec = copy.deepcopy(chart.chart.to_dict())
    values = charts.param_values(chart)
    for param in spec.get("params", []):
        if param.get("name") in values and "select" not in param:
            param["value"] = values[param["name"]]
    return spec


def _preview_spec(spec: dict) -> dict:
    """The chart under a title that says it is a preview of a live panel."""
    inner = {k: v for k, v in spec.items() if k not in TOP_LEVEL_ONLY}
    outer = {k: spec[k] for k in TOP_LEVEL_ONLY if k in spec}
    # Variable params (the live charts' sliders and titles) must stay visible to every view.
    variables = [p for p in inner.pop("params", []) if "select" not in p]
    selections = [p for p in spec.get("params", []) if "select" in p]
    if variables:
        outer["params"] = variables
    if selections:
        inner["params"] = selections
    title = {"text": PREVIEW_TITLE, "color": "#8a4b00", "fontSize": 14, "fontStyle": "italic",
             "anchor": "start", "offset": 14}
    return {**outer, "title": title, "vconcat": [inner]}


def _findings(chart: alt.JupyterChart | None) -> str:
    """What a panel's chart currently says: its live headlines, else its description."""
    if chart is None:
        return ""
    meta = chart.chart.usermeta.get("kit", {}) if isinstance(chart.chart.usermeta, dict) else {}
    values = charts.param_values(chart)
    names = [part.split("_")[0] + "_headline" for part in meta.get("parts", [])]
    headlines = [_text(values.get(n)) for n in names if _text(values.get(n))]
    if headlines:
        return " ".join(h.rstrip(".") + "." for h in headlines)
    return _description(chart.chart)
