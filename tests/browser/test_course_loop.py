"""The lab's scenario-code box in Chromium: it shows the code, Copy puts it on the clipboard, and a new
code from the kernel replaces the shown one (the anywidget's front end, driven by a stand-in model)."""
import json

import pytest

import kit
from kit.code_box import ScenarioCode

pytestmark = pytest.mark.browser

ORIGIN = "http://localhost:9"  # routed by Playwright, never on the network; localhost may use the clipboard

PAGE = """<!doctype html><html lang="en"><head><title>code box</title></head><body><main id="host"></main>
<script type="module">
const handlers = {};
const model = { data: { code: %s }, get(k) { return this.data[k]; }, on(ev, f) { handlers[ev] = f; },
                set(k, v) { this.data[k] = v; (handlers["change:" + k] || (() => {}))(); } };
const widget = await import("data:text/javascript;charset=utf-8," + encodeURIComponent(%s));
widget.default.render({ model, el: document.getElementById("host") });
window.kitModel = model;
window.ready = true;
</script></body></html>"""


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ORIGIN)
    page = context.new_page()
    yield page
    context.close()


def test_the_code_box_shows_copies_and_follows_the_code(page):
    code = kit.share_code(kit.Scenario.from_preset("cost_cutting"))
    html = PAGE % (json.dumps(code), json.dumps(ScenarioCode._esm))
    page.route(f"{ORIGIN}/**", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(f"{ORIGIN}/box.html")
    page.wait_for_function("window.ready === true")
    assert page.input_value("input") == code
    assert page.get_attribute("input", "aria-label").startswith("Scenario code")
    page.click("button:has-text('Copy')")
    page.wait_for_function("document.querySelector('[role=status]').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == code
    assert kit.Scenario.from_code(page.evaluate("navigator.clipboard.readText()")) == kit.Scenario.from_preset(
        "cost_cutting")
    other = kit.share_code(kit.Scenario())
    page.evaluate(f"window.kitModel.set('code', {json.dumps(other)})")
    assert page.input_value("input") == other
