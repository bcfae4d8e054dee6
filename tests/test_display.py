"""kit.show: one output that is live with a kernel, a picture and a text in a saved notebook."""
import base64
import html
import re
import struct
import zlib
from pathlib import Path

import altair as alt
import pytest

import kit
from kit import display

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def moat_map():
    return kit.charts.moat_map(kit.load_roles())


def pixels(png: bytes) -> bytes:
    """The decompressed image data of a PNG (all IDAT chunks)."""
    data, pos = b"", 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        if png[pos + 4:pos + 8] == b"IDAT":
            data += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    return zlib.decompress(data)


def test_a_chart_is_a_live_widget_with_its_description_as_text(moat_map, monkeypatch):
    monkeypatch.delenv(display.STATIC_IMAGES_ENV, raising=False)
    data, metadata = display.bundle(moat_map)
    assert set(data) == {WIDGET_VIEW, "text/html", "text/plain"} and metadata == {}
    assert data["text/plain"] == moat_map.description
    assert data["text/html"] == f'<p class="kit-preview">{html.escape(moat_map.description)}</p>'
    assert data[WIDGET_VIEW]["model_id"]


def test_the_stored_picture_is_also_html_with_the_description_as_alt_text(moat_map, monkeypatch):
    """JupyterLab draws image/png as an <img> with no alt, and ranks text/html above it."""
    monkeypatch.setenv(display.STATIC_IMAGES_ENV, "1")
    data, metadata = display.bundle(moat_map)
    page = data["text/html"]
    assert page == (f'<img class="kit-preview" src="data:image/png;base64,{data["image/png"]}" '
                    f'alt="{html.escape(moat_map.description)}" width="{metadata["image/png"]["width"]}" '
                    f'height="{metadata["image/png"]["height"]}">')
    assert "\n" not in page


def test_alt_text_is_escaped_and_compares_as_the_live_text_under_nbval():
    """tests/nbval_sanitize.cfg turns the stored picture into the paragraph a fresh run shows."""
    from nbval.plugin import get_sanitize_patterns

    text = 'Roles by "moat" & <growth>, 27 roles'
    picture = display.preview_html("iVBORw0K+/Gg==", text, {"width": 640, "height": 400})
    assert 'alt="Roles by &quot;moat&quot; &amp; &lt;growth&gt;, 27 roles"' in picture
    rules = get_sanitize_patterns((Path(__file__).parent / "nbval_sanitize.cfg").read_text(encoding="utf-8"))
    for regex, replace in rules:
        picture = re.sub(regex, replace, picture)
    assert picture == display.preview_html(None, text)
    assert display.preview_html(None, "other words") != picture  # the words are still compared


def test_static_images_add_a_png_shown_at_the_charts_own_size(moat_map, monkeypatch):
    monkeypatch.setenv(display.STATIC_IMAGES_ENV, "1")
    data, metadata = display.bundle(moat_map)
    png = base64.b64decode(data["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = display.png_size(png)
    assert metadata["image/png"] == {"width": round(width / display.PNG_SCALE),
                                     "height": round(height / display.PNG_SCALE)}
    assert 400 < metadata["image/png"]["width"] < 1200  # the chart's width in CSS pixels, not 1.5x
    assert not display.bundle(moat_map, image=False)[1]


def test_smaller_png_keeps_every_pixel_and_saves_space(moat_map):
    import vl_convert as vlc

    original = vlc.vegalite_to_png(moat_map.to_dict(), scale=1)
    smaller = display.smaller_png(original)
    assert pixels(smaller) == pixels(original)
    assert display.png_size(smaller) == display.png_size(original)
    assert len(smaller) < 0.6 * len(original)


def test_a_panel_shows_its_current_findings_and_a_titled_preview():
    panel = kit.widgets.slider_chart("clinical_documentation", "org_shift")
    before = display.bundle(panel)[0]["text/plain"]
    assert before.startswith(display.PANEL_NOTE)
    assert "Today" in before  # no automation yet: the org headline describes today
    panel.slider.value = 80
    data, metadata = display.bundle(panel, image=True)
    assert data["text/plain"] != before and "Execution falls" in data["text/plain"]
    assert data[WIDGET_VIEW]["model_id"] == panel.model_id
    spec = display._preview_spec(display._current_spec(panel.chart))
    assert spec["title"]["text"] == display.PREVIEW_TITLE
    assert {p["name"]: p["value"] for p in spec["params"]}["automation_clinical_documentation"] == 80
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")


def test_a_jupyter_chart_is_shown_as_itself(moat_map):
    kit.widgets.enable_offline()
    widget = alt.JupyterChart(moat_map)
    data, _ = display.bundle(widget)
    assert data[WIDGET_VIEW]["model_id"] == widget.model_id and data["text/plain"] == moat_map.description


def test_show_publishes_one_raw_output(moat_map, monkeypatch):
    calls = []
    monkeypatch.setattr(display, "display", lambda *args, **kwargs: calls.append((args, kwargs)))
    assert kit.show(moat_map) is None
    assert len(calls) == 1 and calls[0][1]["raw"] is True and "text/plain" in calls[0][0][0]


@pytest.mark.parametrize("thing", [kit.load_roles(), "moat_map", 3, None])
def test_anything_else_gets_a_message_that_says_what_to_pass(thing):
    with pytest.raises(TypeError, match="pass a chart from kit.charts or a panel from kit.widgets"):
        kit.show(thing)
