"""Exports: exact CSV round trips with formula injection neutralised (negative numbers untouched),
charts as PNG/SVG/HTML/JSON drawn offline, a self-contained summary page, atomic writes."""
import csv
import json
import os
import re
from pathlib import Path

import altair as alt
import harness
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit import charts, exports

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "datasets" / "example_organization.csv"


@pytest.fixture(scope="module")
def result():
    org = kit.read_organization(EXAMPLE)
    return kit.simulate(kit.Scenario.from_preset("cost_cutting", org=org))


@pytest.fixture(scope="module")
def chart(result):
    return (alt.Chart(result.by_role).mark_bar()
            .encode(x=alt.X("sum(hours_change):Q", title="Change in hours per person per week"),
                    y=alt.Y("title:N", title=None), color="mode:N")
            .properties(title="Execution hours fall in every clerical role",
                        description="Bar chart of the change in weekly hours per person, by role and mode"))


def cells(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


# --------------------------------------------------------------------------- CSV

@pytest.mark.parametrize("table", exports.RESULT_TABLES)
def test_every_result_table_round_trips_exactly(result, table, tmp_path):
    path = kit.save_results_csv(result, tmp_path / f"{table}.csv", table=table)
    pd.testing.assert_frame_equal(exports.read_results_csv(path), exports.results_table(result, table))


def test_csv_bytes_for_a_download_button_equal_the_file(result, tmp_path):
    path = kit.save_results_csv(result, tmp_path / "r.csv", table="roles")
    assert exports.results_csv(result, "roles") == path.read_bytes()


def test_the_org_totals_become_a_measure_value_table(result):
    totals = exports.results_table(result, "org")
    assert list(totals.columns) == ["measure", "value"]
    assert dict(zip(totals.measure, totals.value))["released_fte"] == result.org.released_fte


def test_formula_cells_are_neutralised_and_negative_numbers_are_not(tmp_path):
    frame = pd.DataFrame({
        "name": ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "\tlead", "\rlead", "'quoted", "plain"],
        "change": [-0.25, -1e-05, 3.0, -7.0, 0.0, -0.0, 1.5, -100.0],
    })
    path = kit.save_results_csv(frame, tmp_path / "x.csv")
    header, *rows = cells(path)
    assert [r[0] for r in rows] == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tlead",
                                    "'\rlead", "''quoted", "plain"]
    assert [r[1] for r in rows] == ["-0.25", "-1e-05", "3.0", "-7.0", "0.0", "-0.0", "1.5", "-100.0"]
    assert all(not r[0].startswith(exports.FORMULA_START) for r in rows)
    pd.testing.assert_frame_equal(exports.read_results_csv(path), frame)


def test_formula_headers_are_neutralised_too(tmp_path):
    frame = pd.DataFrame({"=cmd": ["a"], "ok": [1.0]})
    path = kit.save_results_csv(frame, tmp_path / "x.csv")
    assert cells(path)[0] == ["'=cmd", "ok"]
    pd.testing.assert_frame_equal(exports.read_results_csv(path), frame)


def test_csv_has_a_bom_for_excel_and_the_kit_reader_accepts_it(result, tmp_path):
    path = kit.save_results_csv(result, tmp_path / "roles.csv", table="roles")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


TEXT = (st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=12)
        .filter(lambda t: pd.to_numeric(pd.Series([t]), errors="coerce").isna().all())
        .filter(lambda t: t.strip().lower() not in ("true", "false", "nan", "inf", "-inf", "+inf")))


@settings(max_examples=200)
@given(st.lists(st.tuples(TEXT, st.floats(allow_nan=False, allow_infinity=False)), min_size=1, max_size=8))
def test_random_tables_round_trip_exactly(rows):
    import tempfile

    frame = pd.DataFrame(rows, columns=["text", "number"])
    with tempfile.TemporaryDirectory() as folder:
        back = exports.read_results_csv(kit.save_results_csv(frame, Path(folder) / "t.csv"))
    pd.testing.assert_frame_equal(back, frame.astype({"text": back.text.dtype}), check_exact=True)


def test_wrong_table_or_result(result, tmp_path):
    with pytest.raises(kit.DataError, match="'by_mode' is not a table of a result; choose one of: by_role"):
        kit.save_results_csv(result, tmp_path / "x.csv", table="by_mode")
    with pytest.raises(kit.DataError, match="run kit.simulate"):
        kit.save_results_csv("results", tmp_path / "x.csv")


def test_a_failed_write_keeps_the_old_file(result, tmp_path, monkeypatch):
    path = kit.save_results_csv(result, tmp_path / "roles.csv", table="roles")
    old = path.read_bytes()

    def disk_full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports.atomic_write.__globals__["os"], "fdopen",
                        lambda fd, mode: type("F", (), {"__enter__": lambda s: s, "__exit__": lambda s, *a: False,
                                                        "write": lambda s, d: disk_full(fd, d)})())
    with pytest.raises(kit.DataError, match="No space left on device; nothing was written"):
        kit.save_results_csv(result, path, table="by_role")
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["roles.csv"]


# --------------------------------------------------------------------------- charts

def test_png_svg_json_and_html_exports(chart, tmp_path):
    png = kit.save_chart(chart, tmp_path / "c.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    assert width > 600  # scale 2 by default: sharp on slides
    svg = kit.save_chart(chart, tmp_path / "c.svg").read_text()
    assert svg.lstrip().startswith("<svg") and "Execution hours fall in every clerical role" in svg
    spec = json.loads(kit.save_chart(chart, tmp_path / "c.json").read_text())
    assert spec == chart.to_dict()
    page = kit.save_chart(chart, tmp_path / "c.html").read_text()
    assert "<title>Execution hours fall in every clerical role</title>" in page
    assert "<p>Bar chart of the change in weekly hours per person, by role and mode</p>" in page


def test_html_export_loads_nothing_from_the_network(chart, tmp_path):
    page = kit.save_chart(chart, tmp_path / "c.html").read_text()
    assert len(page) > 500_000  # vega, vega-lite and vega-embed are inside the page
    assert not re.search(r"<script[^>]*\bsrc=", page, flags=re.I)
    outside_scripts = re.sub(r"<script\b.*?</script>", "", page, flags=re.S | re.I)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", outside_scripts, flags=re.I)
    assert not re.search(r"""\bimport\s*(\(|[^;]*from\s*)["']https?:""", page)
    assert not re.search(r"https?://[^\"'\s]*(cdn|jsdelivr|unpkg|esm\.sh)", page)


@pytest.mark.browser
def test_html_export_renders_offline_in_chromium(chart, tmp_path, chromium):
    path = kit.save_chart(chart, tmp_path / "c.html")
    summary = kit.save_summary_html(kit.read_organization(EXAMPLE), tmp_path / "s.html", charts=[chart])
    browser = chromium.playwright.chromium.launch(executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS)
    try:
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_selector(".vega-embed svg.marks", timeout=15000)
        assert page.locator(".vega-embed svg.marks .mark-rect path").count() > 10
        page.goto(summary.as_uri())
        assert page.locator("figure svg").count() == 1 and page.locator("table").count() == 3
    finally:
        browser.close()
    assert [u for u in requests if not u.startswith("file://")] == []


def test_chart_problems_are_data_errors(tmp_path):
    online = alt.Chart("https://example.org/data.csv").mark_point().encode(x="a:Q")
    with pytest.raises(kit.DataError, match="loads its data from 'https://example.org/data.csv'"):
        kit.save_chart(online, tmp_path / "c.png")
    assert not (tmp_path / "c.png").exists()
    with pytest.raises(kit.DataError, match="c.jpg: the kit saves charts as .png, .svg, .html, .json"):
        kit.save_chart(alt.Chart(pd.DataFrame({"a": [1]})).mark_point(), tmp_path / "c.jpg")
    with pytest.raises(kit.DataError, match="str is not a chart"):
        kit.save_chart("chart", tmp_path / "c.png")


# --------------------------------------------------------------------------- summary page

def test_summary_is_self_contained_and_states_the_numbers(result, chart, tmp_path):
    page = kit.save_summary_html(result, tmp_path / "s.html", charts=[chart]).read_text()
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert not re.search(r"https?://", re.sub(r'xmlns(:\w+)?="[^"]*"', "", page))  # namespaces are never fetched
    assert "<h1>Example organization</h1>" in page
    for title in result.roles.title:
        assert title in page
    assert f"{result.org.released_fte:,.1f} FTE" in page  # cost-cutting releases hours
    modes = result.org_by_mode.set_index("mode")
    assert (f"Execution work falls from {modes.share_before['execution']:.0%} to "
            f"{modes.share_after['execution']:.0%} of the week") in page
    assert page.count("<svg") == 1 and "<figcaption>Bar chart of the change" in page
    assert "gave its own task-family shares for: Medical Assistants" in page


def test_summary_of_an_organization_before_any_ai():
    org = kit.read_organization(EXAMPLE)
    page = exports.summary_html(org)
    assert "No task is automated in this scenario" in page
    execution = kit.simulate(kit.Scenario(org=org)).org_by_mode.set_index("mode").share_before["execution"]
    assert f"46 people; {execution:.0%} of their paid hours are execution work" in page
    assert "released FTE" not in page and "→" not in page


def test_summary_escapes_what_a_learner_typed():
    org = kit.read_organization(pd.DataFrame({"role": ["Registered Nurses"], "headcount": [3], "weekly_hours": [36]}),
                                name='Ward "A" & B\'s')
    page = exports.summary_html(kit.Scenario(org=org))
    assert "<h1>Ward &quot;A&quot; &amp; B&#x27;s</h1>" in page


@pytest.mark.parametrize("what", ["us_workforce", "primary_care_group"])
def test_summary_of_profiles(what):
    page = exports.summary_html(what)
    assert "<h1>" in page and "Role by role" in page


def test_summary_of_an_empty_organization_says_so():
    page = exports.summary_html(kit.read_organization(ROOT / "datasets" / "my_organization_template.csv"))
    assert "This organization has no people yet: fill in the headcounts." in page


def test_summary_refuses_what_it_cannot_summarise():
    with pytest.raises(kit.DataError, match="'nowhere' is not an organization profile"):
        exports.summary_html("nowhere")
    with pytest.raises(kit.DataError, match="int cannot be summarised"):
        exports.summary_html(3)


# --------------------------------------------------------------------------- one colour, one format, no clipping

def contrast(a: str, b: str) -> float:
    def luminance(hex_colour):
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_summary_bars_use_the_charts_palette_with_readable_text(result):
    page = exports.summary_html(result)
    for mode, colour in kit.PALETTE.items():
        assert f"background:{colour};color:{charts.TEXT_ON_MODE[mode]}' title='{mode} " in page
        long_text = charts.TEXT_ON_MODE[mode].replace("#000", "#000000").replace("#fff", "#ffffff")
        assert contrast(colour, long_text) >= 4.5
    assert "#E69F00" not in page.upper()


def test_summary_prints_fte_and_money_as_the_charts_do(result):
    page = exports.summary_html(result)
    org = result.org
    assert (f"{kit.charts.format_fte(org.oversight_team_fte)} FTE, "
            f"{kit.charts.format_money(org.oversight_team_cost)} a year") in page
    assert f"({kit.charts.format_fte(org.released_fte)} FTE)" in page
    us = exports.summary_html(kit.Scenario.from_preset("cost_cutting"))
    assert "billion a year" in us and not re.search(r"\$\d{1,3}(,\d{3}){3} a year", us)


def test_exported_svg_asks_for_the_font_it_was_measured_with(result, tmp_path):
    chart = kit.charts.org_shift(result.org_by_mode, result.org)
    svg = kit.save_chart(chart, tmp_path / "c.svg").read_text()
    assert exports.SVG_FONT.replace("'", "&apos;") in svg or exports.SVG_FONT in svg
    assert "system-ui" not in svg
    page = exports.summary_html(result, charts=[chart])
    assert "system-ui" not in page.split("<figure")[1]
    own = chart.configure(font="Georgia")
    assert "Georgia" in exports.chart_bytes(own, "svg").decode(), "a font the author chose is kept"


FONT_SETUPS = {
    "this machine's fonts": None,
    # A machine whose only fonts are Debian's DejaVu (where CI first failed: text 11-39 px outside).
    "DejaVu only": ("<fontconfig><include ignore_missing=\"yes\">/etc/fonts/conf.d</include>"
                    "<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>"),
}


@pytest.mark.browser
@pytest.mark.parametrize("fonts", FONT_SETUPS)
def test_summary_chart_text_fits_inside_its_svg_in_chromium(result, tmp_path, fonts, chromium):
    """vl-convert lays SVG text out with one font's widths and a browser draws it with the machine's:
    on a DejaVu-only machine the summary's chart text ran 11-39 px outside its picture. The page now
    carries the font it was measured with, so the text fits whatever fonts the machine has."""
    env = dict(os.environ)
    if FONT_SETUPS[fonts]:
        config = tmp_path / "fonts.conf"
        config.write_text(FONT_SETUPS[fonts].format(cache=tmp_path / "cache"))
        env["FONTCONFIG_FILE"] = str(config)
    charts = [kit.charts.org_shift(result.org_by_mode, result.org), kit.charts.moat_map(kit.load_roles())]
    path = kit.save_summary_html(result, tmp_path / "s.html", charts=charts)
    browser = chromium.playwright.chromium.launch(executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS, env=env)
    try:
        page = browser.new_page()
        page.goto(path.as_uri())
        drawn_in_kit_sans = page.evaluate("""async () => { await document.fonts.ready;
            return [...document.fonts].filter(f => f.family.includes('Kit Sans') && f.status == 'loaded').length }""")
        texts = page.evaluate("[...document.querySelectorAll('figure > svg text')].length")
        overflow = page.evaluate("""() => [...document.querySelectorAll('figure > svg')].flatMap(svg => {
            const box = svg.getBoundingClientRect();
            return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()])
              .filter(([_, r]) => r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1))
              .map(([text, r]) => text + ' ends ' + Math.round(r.right - box.right) + ' px outside');
        })""")
    finally:
        browser.close()
    assert drawn_in_kit_sans >= 2 and texts > 20, (drawn_in_kit_sans, texts)
    assert overflow == []


def test_an_exported_svg_carries_the_font_it_was_measured_with(result):
    svg = exports.chart_bytes(kit.charts.org_shift(result.org_by_mode, result.org), "svg").decode()
    assert "Kit Sans" in svg.split("</defs>", 1)[1], "the text asks for the font"
    assert svg.count("@font-face") == 3 and "url(data:font/ttf;base64," in svg


def test_summary_headline_of_the_throughput_trap_says_rises():
    trap = kit.Scenario(automation={"clinical_judgement": 0.5},
                        reinvestment={"presence": 0, "capacity": 1, "released": 0},
                        baseline="onet")  # the numbers below are the O*NET baseline's
    page = exports.summary_html(trap)
    assert "Execution work rises from 40% to 41% of the week; presence stays at 42%" in page


HOSTILE_TEXT = ["</script><script>window.pwned = 1</script>", "<!--<script>", '"quoted" & <b>bold</b>',
                "</SCRIPT ><img src=x onerror=window.pwned=2>", "line\u2028separator"]


def test_script_safe_json_parses_back_to_the_same_value_and_never_closes_a_script():
    value = {"title": HOSTILE_TEXT, "n": 1.5}
    text = exports.script_safe_json(value)
    assert json.loads(text) == value
    assert "<" not in text and ">" not in text and "&" not in text


@pytest.mark.browser
def test_an_exported_chart_page_runs_no_script_from_its_text(tmp_path, chromium):
    """Security review: a `</script>` in a data value or a title ended the embedded spec and all 8
    payloads ran; a `"` left the chart blank. The spec is now embedded as script-safe JSON."""
    frame = pd.DataFrame({"name": HOSTILE_TEXT, "hours": [1, 2, 3, 4, 5]})
    chart = alt.Chart(frame).mark_bar().encode(x="hours:Q", y="name:N").properties(title=HOSTILE_TEXT[0])
    path = kit.save_chart(chart, tmp_path / "c.html")
    browser = chromium.playwright.chromium.launch(executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS)
    try:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_selector("#vega-chart svg text", timeout=15_000)
        pwned = page.evaluate("window.pwned")
        texts = page.evaluate("[...document.querySelectorAll('#vega-chart svg text')].map(t => t.textContent)")
    finally:
        browser.close()
    assert pwned is None and errors == []
    assert HOSTILE_TEXT[0] in texts, "the title is drawn as text"
