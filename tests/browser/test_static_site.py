"""The static HTML export (`make html`): every chapter becomes a page whose charts draw with no kernel
and no network, and whose Python-driven panels show their starting view and say where to run them.

The site is built once for this module from every chapter in notebooks/ plus the harness's good
notebook (which holds every kind of chart and panel the export must handle), then each page is
opened from disk in Chromium with every non-file request blocked. Screenshots:
test-artifacts/screenshots/site-<page>.png.
"""
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import build_site
import fixtures
import harness
import launch_links
import nbformat
import pytest
from accessibility import violations
from harness import CHAPTERS
from hypothesis import given, settings
from test_scenario_codes import scenarios

pytestmark = pytest.mark.slow
PAGES = [f"{p.stem}.html" for p in CHAPTERS if p.name not in build_site.FACILITATOR_ONLY]
# Files a learner's chapter 06 writes, planted before the build: `make html` must leave them as they are.
LEARNER_FILES = ["my_organization.csv", "my_organization_summary.html", "my_scenario.json"]
MY_OUTPUTS = harness.ROOT / "notebooks" / "my_outputs"
HARNESS_PAGES = ["harness_good.html", "harness_live.html", "harness_dashboard.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(site folder, build summary): the real chapters plus the harness notebook, built as `make html` does."""
    work = tmp_path_factory.mktemp("site")
    written = fixtures.write(work / "fixtures")
    out = work / "_site"
    extra = [written[name] for name in ("harness_good", "harness_live", "harness_dashboard")]
    planted = {}
    for name in LEARNER_FILES:  # only where the learner has no such file (theirs are never touched)
        if not (MY_OUTPUTS / name).exists():
            (MY_OUTPUTS / name).write_text(f"sentinel: a learner's own {name}\n", encoding="utf-8")
            planted[name] = (MY_OUTPUTS / name).read_text(encoding="utf-8")
    before = sorted(p.name for p in MY_OUTPUTS.iterdir())
    try:
        summary = build_site.build(out, CHAPTERS + extra, quiet=True)
        after = {name: (MY_OUTPUTS / name).read_text(encoding="utf-8") if (MY_OUTPUTS / name).exists() else None
                 for name in planted}
        summary["my_outputs"] = {"planted": planted, "after": after, "before": before,
                                 "now": sorted(p.name for p in MY_OUTPUTS.iterdir())}
    finally:
        for name in planted:
            (MY_OUTPUTS / name).unlink(missing_ok=True)
    return out, summary


@pytest.fixture(scope="module")
def browser(chromium):
    context = chromium.new_context()
    yield context
    context.close()


class Loads(HTMLParser):
    """Every URL a page would fetch by itself (scripts, styles, images, frames, media, CSS url())."""

    ATTRIBUTES = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src",
                  "embed": "src", "object": "data", "track": "src", "input": "src"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.ATTRIBUTES and attrs.get(self.ATTRIBUTES[tag]):
            self.urls.append(attrs[self.ATTRIBUTES[tag]])
        navigation = {"prev", "next", "canonical", "alternate", "author", "license", "help", "search"}
        if tag == "link" and attrs.get("href") and (attrs.get("rel") or "").lower() not in navigation:
            self.urls.append(attrs["href"])
        if attrs.get("srcset"):
            self.urls += [part.split()[0] for part in attrs["srcset"].split(",")]

    def handle_data(self, data):
        self.urls += re.findall(r"""url\(\s*['"]?(https?:[^'")]+)""", data)
        self.urls += re.findall(r"""import\s*\(?\s*['"](https?:[^'"]+)""", data)
        self.urls += re.findall(r"""@import\s+['"](https?:[^'"]+)""", data)


def outside(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url.strip()))


# ----------------------------------------------------------------------------- building

def test_every_chapter_becomes_a_page_and_the_index_lists_them(site):
    out, summary = site
    index = (out / "index.html").read_text(encoding="utf-8")
    for page in PAGES:
        assert (out / page).is_file(), f"{page} was not built"
        assert f'href="{page}"' in index, f"the index does not link {page}"
    assert (out / "assets" / "vega.js").stat().st_size > 100_000


def test_the_facilitator_guide_and_its_answers_stay_out_of_the_learners_site(site):
    out, _ = site
    assert not (out / "facilitator_guide.html").exists()
    for page in PAGES + ["index.html"]:
        text = (out / page).read_text(encoding="utf-8")
        assert "facilitator_guide.html" not in text and "Answer key" not in text, page


def test_make_html_leaves_a_learners_files_in_my_outputs_alone(site):
    """Chapter 06 writes into notebooks/my_outputs/; the site is built from a scratch copy."""
    _, summary = site
    files = summary["my_outputs"]
    assert files["after"] == files["planted"], "make html overwrote a learner's file in notebooks/my_outputs/"
    assert files["now"] == files["before"], "make html added files to notebooks/my_outputs/"


def test_no_link_on_the_site_leads_to_a_placeholder_repository(site):
    out, _ = site
    for page in PAGES + HARNESS_PAGES + ["index.html"]:
        text = (out / page).read_text(encoding="utf-8")
        assert "OWNER/REPO" not in text and "OWNER%2FREPO" not in text, page
    if build_site.published_repository() is None:
        assert "make lab" in (out / "index.html").read_text(encoding="utf-8")


def test_with_a_published_repository_the_site_links_binder(monkeypatch):
    monkeypatch.setattr(launch_links, "repository", lambda: "https://github.com/someone/a-fork")
    url = build_site.published_repository()
    assert url == "https://github.com/someone/a-fork"
    assert "mybinder.org/v2/gh/someone/a-fork/HEAD" in build_site.index_page([], url)
    static = build_site.StaticOutputs(nbformat.v4.new_notebook(), launch_links.binder_url(repo_url=url))
    assert "mybinder.org/v2/gh/someone/a-fork" in static.note()
    assert 'href="https://github.com/someone/a-fork/blob/HEAD/datasets/README.md"' in \
        build_site.relink('<a href="../datasets/README.md">x</a>', set(), url)
    assert build_site.relink('<a href="../datasets/README.md">x</a>', set(), None) == \
        '<a data-kit-file="datasets/README.md">x</a>'


@pytest.mark.parametrize("page", PAGES + HARNESS_PAGES + ["index.html"])
def test_no_page_loads_anything_from_outside(site, page):
    out, _ = site
    parser = Loads()
    parser.feed((out / page).read_text(encoding="utf-8"))
    assert [u for u in parser.urls if outside(u)] == []
    for url in parser.urls:
        if not url.startswith(("data:", "#")):
            assert (out / url.split("?")[0]).exists(), f"{page} loads {url}, which is not in the site"


def test_the_site_scripts_fetch_nothing(site):
    out, _ = site
    for script in (out / "assets").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"""\bimport\s*\(\s*['"]https?:""", text), script.name
        assert not re.search(r"""importScripts\(|fetch\(\s*['"]https?:""", text), script.name


# ----------------------------------------------------------------------------- in the browser

@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES + HARNESS_PAGES)
def test_charts_draw_with_no_kernel_and_no_network(site, browser, page):
    out, summary = site
    run = harness.Run(notebook=page, where="static site")
    view = harness.open_static_page(browser, out / page, run)
    try:
        state = view.evaluate("() => ({charts: window.kitCharts.map(c => c.error), "
                              "drawn: document.querySelectorAll('.kit-chart-view svg.marks, .kit-chart-view canvas.marks').length})")
        view.screenshot(path=harness.SCREENSHOTS / f"site-{Path(page).stem}.png", full_page=True)
    finally:
        view.close()
    assert run.blocked == [] and run.console_errors == [], (run.blocked, run.console_errors)
    assert [e for e in state["charts"] if e] == []
    assert state["drawn"] == len(state["charts"]) == summary[page]["charts"]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page", PAGES + ["index.html"])
def test_every_page_passes_axe_wcag_21_aa(site, browser, page, scheme):
    """Zero axe-core violations (WCAG 2.0/2.1 A and AA) once the page's charts are drawn, in the light
    page and in the dark variant a reader's system can ask for. Before the fixes: 10-34 contrast
    failures a page (faded prompts 2.16:1, code comments 4.17:1), links told apart by colour only,
    vega-embed's unnamed menu button."""
    out, _ = site
    if page == "index.html":  # no charts: nothing to wait for
        view = browser.new_page()
        view.goto((out / page).resolve().as_uri())
    else:
        view = harness.open_static_page(browser, out / page, harness.Run(notebook=page, where="static site"))
    try:
        view.emulate_media(color_scheme=scheme)
        if scheme == "dark":
            assert view.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(17, 17, 17)"
        found = violations(view)
    finally:
        view.close()
    assert found == []


@pytest.mark.browser
def test_exported_charts_keep_their_own_sliders(site, browser):
    """The harness page's panel carries a static twin whose Vega-Lite slider works with no kernel:
    moving it changes the chart's numbers exactly as the Python arithmetic says."""
    out, _ = site
    run = harness.Run(notebook="harness_good.html", where="static site")
    page = harness.open_static_page(browser, out / "harness_good.html", run)
    try:
        twin = 3  # charts in page order: param-driven, swapped, self-bound, the panel's twin
        slider = page.locator(".kit-chart-view").nth(twin).locator(".vega-bindings input[type=range]")
        assert slider.count() == 1
        before = {r["mode"]: r["after"] for r in harness.static_chart_data(page, twin)}
        slider.fill("0.8")
        page.wait_for_timeout(200)
        moved = {r["mode"]: r["after"] for r in harness.static_chart_data(page, twin)}
        pinned = {r["mode"]: r["after"] for r in harness.static_chart_data(page, twin, {"twin_share": 0.3})}
    finally:
        page.close()
    hours = {"execution": 20.0, "curation": 8.0, "presence": 12.0}
    assert before == {"execution": 20.0 * 0.5, "curation": 8.0, "presence": 12.0}
    assert moved == pytest.approx({**hours, "execution": 20.0 * (1 - 0.8)})
    assert pinned == pytest.approx({**hours, "execution": 20.0 * (1 - 0.3)})


@pytest.mark.browser
def test_signature_chart_sliders_in_the_static_page_equal_kit_simulate(site, browser):
    """kit.charts.role_shift_live(bind=True), exported: its Vega-Lite sliders move the chart with no kernel,
    and every role's hours by mode, before and after, equal kit.simulate() for the same scenario."""
    import numpy as np
    import pandas as pd

    import kit

    out, _ = site
    run = harness.Run(notebook="harness_live.html", where="static site")
    page = harness.open_static_page(browser, out / "harness_live.html", run)
    rng = np.random.default_rng(5)
    names = list(kit.charts.live_param_names())
    defaults = kit.charts.scenario_params(kit.Scenario())
    # The starting view, then random slider positions (whole percents, as the sliders step).
    scenarios = [defaults] + [dict(zip(names, rng.integers(0, 101, len(names)).astype(float))) for _ in range(4)]
    try:
        sliders = page.locator(".vega-bindings input[type=range]")
        assert sliders.count() == len(names)
        sliders.nth(1).fill("80")  # a learner drags "Documentation automated (%)" to 80
        page.wait_for_timeout(200)
        by_hand = harness.static_chart_data(page, 0)
        seen = [harness.static_chart_data(page, 0, params) for params in scenarios]
    finally:
        page.close()
    assert run.blocked == [] and run.console_errors == []
    checks = [({**defaults, "automation_clinical_documentation": 80.0}, by_hand)] + list(zip(scenarios, seen))
    for params, rows in checks:
        chart = pd.DataFrame(rows).pivot_table(index=["role_id", "mode"], columns="when", values="hours")
        model = kit.simulate(kit.charts.scenario_from_params(params)).by_role.set_index(["role_id", "mode"])
        assert len(chart) == len(model) == 27 * 3
        assert np.allclose(chart["Before"], model.hours_before.reindex(chart.index), rtol=1e-9, atol=1e-9)
        assert np.allclose(chart["After"], model.hours_after.reindex(chart.index), rtol=1e-9, atol=1e-9), params
    assert not np.allclose(pd.DataFrame(seen[0]).hours, pd.DataFrame(by_hand).hours)  # the slider did move it


def test_python_panels_show_their_starting_view_and_where_to_run_them(site):
    out, _ = site
    page = (out / "harness_good.html").read_text(encoding="utf-8")
    repo_url = build_site.published_repository()
    where = launch_links.binder_url("notebooks/harness_good.ipynb").replace("&", "&amp;") if repo_url else "make lab"
    notes = re.findall(r'<p class="kit-static-note">.*?</p>', page, flags=re.S)
    # Three panels have Python sliders (two VBoxes and the panel); the self-bound chart needs no note.
    assert len(notes) == 3 and all(where in n for n in notes)
    assert re.search(r'kit-w-label">Automation</span><input[^>]*disabled[^>]*type="range" value="0.5"', page)
    assert 'kit-w-value">0.50<' in page and 'kit-w-value">1.00<' in page  # readout formats kept
    assert "application/vnd.jupyter.widget" not in page  # no widget manager, no state dump


def test_links_between_chapters_point_to_pages(site):
    out, _ = site
    for page in PAGES:
        text = (out / page).read_text(encoding="utf-8")
        body = text.split("<footer")[0]  # the footer links the notebook's source on purpose
        assert not re.search(r'href="(?!https?:)[^"]*\.ipynb', body), page


def test_altair_html_output_is_made_offline():
    """Altair's default HTML output loads Vega from a CDN; the export keeps only its spec."""
    import altair as alt
    import pandas as pd

    chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    block = build_site.chart_from_altair_html(chart._repr_mimebundle_()["text/html"])
    spec = json.loads(re.search(r">(\{.*\})</script>", block).group(1))
    assert spec["mark"] == {"type": "point"} and "cdn.jsdelivr" not in block


def test_the_kits_dashboard_exports_its_starting_view(site):
    """kit.explore(), exported: its controls read-only with their values, its charts, and the note."""
    import kit

    out, summary = site
    page = (out / "harness_dashboard.html").read_text(encoding="utf-8")
    assert summary["harness_dashboard.html"]["charts"] >= 2
    assert page.count('class="kit-static-note"') == 1
    # Its sliders that move chart params in the browser become the chart's own (Vega-Lite) sliders.
    # the lab starts on the 'today' preset: review by family (A44), the slider showing the highest ratio
    highest = round(100 * max(kit.Scenario.from_preset("today").oversight_ratio.values()))
    assert re.search(rf'"value":{highest}(\.0)?,"bind":\{{"input":"range"[^}}]*"name":"Review per AI hour ","element":"#kit-bind-',
                     page)
    assert page.count('class="kit-w kit-w-slider kit-bound"') >= 3
    assert 'kit-w-value">Registered Nurses<' in page  # the role picker's choice
    assert "an interactive element that needs a running kernel" not in page  # every control was understood


def test_the_exporter_knows_the_dashboards_controls_and_skips_what_it_hides():
    """What made the dashboard's export report "needs a running kernel": a file-upload control and an
    invisible helper widget (kit.widgets.BrowserLink, an anywidget with no view, hidden by its layout).
    The upload shows as a disabled button, the hidden helper is left out, and only a widget the
    exporter truly does not know is reported as needing a kernel."""
    ref = "IPY_MODEL_{}".format
    state = {
        "panel": {"model_name": "VBoxModel", "state": {"children": [ref("upload"), ref("link"), ref("play")]}},
        "upload": {"model_name": "FileUploadModel", "state": {"description": "Upload a scenario file"}},
        "link": {"model_name": "AnyModel", "state": {"layout": ref("none"), "charts": [], "links": []}},
        "none": {"model_name": "LayoutModel", "state": {"display": "none"}},
        "play": {"model_name": "PlayModel", "state": {"value": 0}},
        "tabs": {"model_name": "TabModel", "state": {"titles": ["Numbers (table)", "Scenario file"],
                                                      "children": [ref("numbers"), ref("upload")]}},
        "numbers": {"model_name": "HTMLModel", "state": {"value": ""}},  # filled when its tab is opened
        "heading": {"model_name": "HTMLModel", "state": {"value": "<b>Oversight</b>: review hours"}},
    }
    notebook = nbformat.from_dict({"metadata": {"widgets": {build_site.WIDGET_STATE: {"state": state}}}})
    static = build_site.StaticOutputs(notebook, "https://mybinder.org/v2/gh/a/b/HEAD")
    view = static.widget("panel")
    assert '<button disabled>Upload a scenario file</button>' in view
    assert view.count("kit-w-unknown") == 1  # the Play control; nothing for the hidden helper
    assert static.widget("link") == ""
    tabs = static.widget("tabs")  # an empty tab page is left out rather than shown as a bare heading
    assert "Scenario file" in tabs and "Numbers (table)" not in tabs
    assert 'class="kit-w kit-w-text"><b>Oversight</b>: review hours<' in static.widget("heading")


def test_a_chart_block_keeps_hostile_text_inside_its_script():
    spec = {"title": "<!--<script> </script><script>alert(1)</script>", "mark": "bar"}
    block = build_site.chart_block(spec)
    inner = re.fullmatch(r'<div class="kit-chart"><script type="application/json" data-kit-chart="vega-lite">'
                         r'(.*)</script></div>', block, re.S).group(1)
    assert "<" not in inner and json.loads(inner) == spec


def bound_slider(page, label: str):
    """The Vega-Lite slider a kit panel's Python slider became on the static page, found by its label."""
    row = page.locator(".kit-bound .vega-bind").filter(has_text=label).first
    return row.locator("input[type=range]")


@pytest.mark.browser
def test_the_start_chapters_slider_moves_its_chart_as_kit_simulate_says(site, browser):
    """Chapter 00's page says "Drag it… The chart follows": on the static page it does, with no kernel,
    and the organization's hours by mode equal kit.simulate() for the slider's value."""
    import kit

    out, _ = site
    run = harness.Run(notebook="00_start_here.html", where="static site")
    page = harness.open_static_page(browser, out / "00_start_here.html", run)
    try:
        assert page.locator(".kit-bound input[type=range]").count() == 1
        assert page.locator("input[type=range][disabled]").count() == 0
        slider = bound_slider(page, "Documentation")
        slider.scroll_into_view_if_needed()
        before = page.evaluate("() => document.querySelector('.kit-chart-view svg.marks').innerHTML")
        slider.fill("80")
        page.wait_for_timeout(300)
        after = page.evaluate("() => document.querySelector('.kit-chart-view svg.marks').innerHTML")
        rows = harness.static_chart_data(page, 0, dataset="data_1")
        page.screenshot(path=harness.SCREENSHOTS / "site-00-slider-moved.png")
    finally:
        page.close()
    assert run.blocked == [] and run.console_errors == []
    assert after != before, "moving the slider did not change the chart"
    model = kit.simulate(kit.Scenario(automation={"clinical_documentation": 0.8})).org_by_mode.set_index("mode")
    shown = {(r["when"], r["mode"]): r["hours"] for r in rows}
    for mode in model.index:
        assert shown[("Before", mode)] == pytest.approx(model.hours_before[mode], rel=1e-9)
        assert shown[("After", mode)] == pytest.approx(model.hours_after[mode], rel=1e-9)


@pytest.mark.browser
def test_the_main_chapters_slider_lab_moves_its_charts_with_no_kernel(site, browser):
    """Chapter 02's slider lab on the static page: its automation sliders are Vega-Lite's own, drawn where
    the Python ones were; moving one moves the lab's charts, and each role's week equals kit.simulate()."""
    import numpy as np
    import pandas as pd

    import kit

    out, _ = site
    run = harness.Run(notebook="02_the_automation_sliders.html", where="static site")
    page = harness.open_static_page(browser, out / "02_the_automation_sliders.html", run)
    try:
        assert page.locator(".kit-bound input[type=range]").count() >= 3
        slider = bound_slider(page, "Documentation")
        slider.scroll_into_view_if_needed()
        charts = "() => [...document.querySelectorAll('.kit-chart-view svg.marks')].map(s => s.innerHTML)"
        before = page.evaluate(charts)
        slider.fill("80")
        page.wait_for_timeout(500)
        after = page.evaluate(charts)
        roles = harness.static_chart_data(page, 0, dataset="data_7")
        page.screenshot(path=harness.SCREENSHOTS / "site-02-slider-moved.png")
    finally:
        page.close()
    assert run.blocked == [] and run.console_errors == []
    assert after[0] != before[0] and after[1] != before[1], "the lab's charts did not follow the slider"
    chart = pd.DataFrame(roles).pivot_table(index=["role_id", "mode"], columns="when", values="hours")
    today = kit.Scenario.from_preset("today")  # where the lab starts (A41, A42, A44)
    model = kit.simulate(today.replace(automation={"clinical_documentation": 0.8})).by_role.set_index(["role_id", "mode"])
    assert len(chart) == len(model) == 27 * 3
    assert np.allclose(chart["After"], model.hours_after.reindex(chart.index), rtol=1e-9, atol=1e-9)


LABELS_ON_BARS_JS = r"""
(index) => {
  // Every text mark drawn over a bar: its fill, the fill of the bar beneath its centre, and its text.
  const svg = document.querySelectorAll('.kit-chart-view svg.marks')[index];
  const bars = [...svg.querySelectorAll('g.mark-rect path')].map(p => [p.getBoundingClientRect(), p.getAttribute('fill')]);
  return [...svg.querySelectorAll('g.mark-text text')].map(t => {
    const r = t.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    const under = bars.filter(([b]) => b.left <= x && x <= b.right && b.top <= y && y <= b.bottom);
    return [t.textContent, t.getAttribute('fill'), under.length ? under[under.length - 1][1] : null];
  }).filter(([, , bar]) => bar !== null);
}
"""


def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    value = "".join(c * 2 for c in value) if len(value) == 3 else value
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.browser
def test_the_organization_charts_percent_labels_stand_out_from_their_bars(site, browser):
    """Chapter 00's hint asks learners to read the % labels on the organization chart: read, in the drawn
    SVG, each label's colour against the bar beneath it (WCAG AA for large bold text: 3:1 or more)."""
    out, _ = site
    run = harness.Run(notebook="00_start_here.html", where="static site")
    page = harness.open_static_page(browser, out / "00_start_here.html", run)
    try:
        labels = page.evaluate(LABELS_ON_BARS_JS, 0)
        page.locator(".kit-chart-view").first.screenshot(path=harness.SCREENSHOTS / "site-00-org-labels.png")
    finally:
        page.close()
    assert len(labels) >= 4, labels  # before and after, at least two modes each above 6 %
    faint = [(text, fill, bar, round(contrast(fill, bar), 2)) for text, fill, bar in labels if contrast(fill, bar) < 3]
    assert faint == [], f"labels drawn (nearly) in their bar's colour: {faint}"


# ----------------------------------------------------------------------------- scenario codes in the address

LAB_PAGE = "02_the_automation_sliders.html"
SHARE_READY_JS = "() => 'kitShare' in window"


def open_lab_page(site, browser, fragment=""):
    out, _ = site
    run = harness.Run(notebook=LAB_PAGE, where="static site")
    page = harness.open_static_page(browser, out / LAB_PAGE, run, fragment)
    page.wait_for_function(SHARE_READY_JS, timeout=30_000)
    return page, run


def lab_families():
    import kit

    return [n.removeprefix("automation_") for n in kit.charts.live_param_names() if n.startswith("automation_")]


def moved_from_today(**changes):
    """The scenario the lab's sliders describe when moved from where it starts (the today preset)."""
    import kit

    today = kit.Scenario.from_preset("today")
    return kit.charts.scenario_from_params({**kit.charts.scenario_params(today), **changes}, base=today)


@pytest.mark.browser
def test_a_code_in_the_address_sets_the_static_labs_sliders_and_charts(site, browser):
    """Issue 16: a browser test pastes a code into the static page's fragment and sees the sliders and
    the chart change; the chart's numbers are kit.simulate()'s for the scenario the code holds."""
    import numpy as np
    import pandas as pd

    import kit

    shared = moved_from_today(automation_clinical_documentation=80.0, automation_scheduling_access=35.0,
                              oversight_ratio=20.0, reinvestment_presence=10.0, reinvestment_capacity=30.0,
                              reinvestment_released=60.0)
    code = kit.share_code(shared)
    page, run = open_lab_page(site, browser, code)
    try:
        documentation = bound_slider(page, "Documentation").input_value()
        values = page.evaluate("() => window.kitShare.current()")
        roles = harness.static_chart_data(page, 0, dataset="data_7")
        note, address = page.inner_text(".kit-share-note"), page.evaluate("location.hash")
        page.locator(".kit-share").scroll_into_view_if_needed()
        page.screenshot(path=harness.SCREENSHOTS / "site-02-opened-from-code.png")
        # A second code pasted into the address bar of the open page (no reload: a hashchange).
        again = moved_from_today(automation_clinical_documentation=30.0)
        page.evaluate("(code) => { location.hash = code; }", kit.share_code(again))
        page.wait_for_function("() => window.kitShare.current().automation_clinical_documentation === 30")
        moved_again = bound_slider(page, "Documentation").input_value()
        errors = list(run.console_errors)  # before axe, whose stylesheet reads file:// refuses
        found = violations(page)
    finally:
        page.close()
    assert run.blocked == [] and errors == []
    assert documentation == "80" and moved_again == "30"
    assert values == kit.charts.scenario_params(shared)
    assert note == "Opened the scenario code from this page's address." and address == f"#{code}"
    chart = pd.DataFrame(roles).pivot_table(index=["role_id", "mode"], columns="when", values="hours")
    model = kit.simulate(shared).by_role.set_index(["role_id", "mode"])
    assert np.allclose(chart["After"], model.hours_after.reindex(chart.index), rtol=1e-9, atol=1e-9)
    assert found == []


@pytest.mark.browser
def test_moving_a_static_slider_writes_a_code_that_opens_the_same_scenario(site, browser):
    """The page writes the code of where its sliders are into its address (and its code box), and the kit
    opens that code as exactly the scenario the page drew: by hand once, then 40 random slider settings."""
    import numpy as np

    import kit

    page, run = open_lab_page(site, browser)
    names = list(kit.charts.live_param_names())
    rng = np.random.default_rng(16)
    positions = [dict(zip(names, rng.integers(0, 101, len(names)).astype(float))) for _ in range(40)]
    try:
        start_code, start_hash = page.inner_text(".kit-share-code"), page.evaluate("location.hash")
        bound_slider(page, "Documentation").fill("80")
        page.wait_for_function("() => location.hash.length > 1")
        by_hand, shown = page.evaluate("location.hash").removeprefix("#"), page.inner_text(".kit-share-code")
        values = page.evaluate("() => window.kitShare.current()")
        bound_slider(page, "Documentation").fill("0")  # back where it started: a clean address again
        page.wait_for_function("() => location.hash === ''")
        written = page.evaluate("""([positions, families]) => {
            const codes = window.kitCodes, base = codes.decode(window.kitShare.lead.spec.usermeta.kit.code);
            return positions.map(p => codes.encode(codes.fromParams(p, base, families))); }""",
                                [positions, lab_families()])
    finally:
        page.close()
    assert run.blocked == [] and run.console_errors == []
    today = kit.Scenario.from_preset("today")
    assert start_hash == "" and kit.Scenario.from_code(start_code) == today
    assert shown == by_hand and values["automation_clinical_documentation"] == 80
    assert kit.Scenario.from_code(by_hand) == kit.charts.scenario_from_params(values, base=today)
    for params, code in zip(positions, written):
        assert kit.Scenario.from_code(code) == kit.charts.scenario_from_params(params, base=today), params
        # "About 120" (issue 16): every family set and three reinvestment weights that normalise off the
        # 0.0001 grid (8 bytes each, to stay exact) make the longest the page can write, 126 characters.
        assert len(code) <= 126, code


@pytest.fixture(scope="module")
def codes_page(site, browser):
    page, run = open_lab_page(site, browser)
    yield page
    page.close()
    assert run.console_errors == []


@pytest.mark.browser
@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_the_static_page_reads_every_code_the_kit_writes(codes_page, scenario):
    """Any scenario the kit can code (per-role tools, review per family, custom organizations, numbers
    off the slider grid, every other setting): the page's reader re-writes its code byte for byte and
    puts the sliders where kit.charts.scenario_params says."""
    import kit

    code = kit.share_code(scenario)
    again, values = codes_page.evaluate("""([code, families]) => { const read = window.kitCodes.decode(code);
        return [window.kitCodes.encode(read), window.kitCodes.sliderValues(read, families)]; }""",
                                        [code, lab_families()])
    assert again == code
    assert values == pytest.approx(kit.charts.scenario_params(scenario), rel=1e-15, abs=0)


@pytest.mark.browser
@pytest.mark.parametrize("fragment, says", [
    ("ep2.AAAA", "cannot be opened: the code is damaged: it is cut short"),
    ("CHANGED", "cannot be opened: the code is damaged: its check characters do not match the rest"),
    ("ep9.AAAAAAAA", "cannot be opened: this code was made by a newer version of the kit (code version 9)"),
    ("ep2.ab%C3%A9", "cannot be opened: the character \"é\" cannot be in a code"),
    ("ep2.AB%E0%A4%A", "cannot be opened: the character \"%\" cannot be in a code"),  # a broken %-escape
    ("FOREIGN", "It also sets who uses the clinical documentation tool; the organization profile community_hospital,"
                " which this page's chart cannot change: to see the code exactly, open it in the kit with "
                "kit.explore('"),
    ("objectives", None),  # an ordinary anchor: no note, the address is left alone
])
def test_a_damaged_or_foreign_code_in_the_address_gets_a_message_not_a_crash(site, browser, fragment, says):
    import kit

    good = kit.share_code(moved_from_today(automation_clinical_documentation=80.0))
    fragment = {"CHANGED": good[:-3] + ("A" if good[-3] != "A" else "B") + good[-2:],
                "FOREIGN": kit.share_code(kit.Scenario.from_preset("scribes_pilot").replace(org="community_hospital"))
                }.get(fragment, fragment)
    page, run = open_lab_page(site, browser, fragment)
    try:
        note, address = page.inner_text(".kit-share-note"), page.evaluate("location.hash")
        documentation = bound_slider(page, "Documentation").input_value()
        errors = list(run.console_errors)  # before axe, whose stylesheet reads file:// refuses
        found = violations(page, {"include": [".kit-share"]})
    finally:
        page.close()
    assert errors == []
    if says is None:
        assert note == "" and address == f"#{fragment}" and documentation == "0"
    else:
        assert says in note, note
        assert address == f"#{fragment}", "the learner's link stays in the address"
    assert found == []
