"""Keeping charts in step with sliders: the kernel owns every live chart's params (LiveChart), a
slider moved in the browser moves its charts there at once (BrowserLink, whose JavaScript is
browser_link.js next to this file), and the chart widget's JavaScript loads with no network."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import altair as alt
import anywidget
import ipywidgets as w
import traitlets

# After this wait (at most: lodash's maxWait equals it) the chart widget reports a changed param back
# to the kernel and re-applies every param in the page, which re-draws the whole chart. Nothing here
# needs that report, so it is pushed out of a session's reach: at 1 s it re-drew the slider lab's
# charts once a second during a drag and delayed the next redraw by up to 370 ms. One day stays
# below the 2**31 - 1 ms where a browser's setTimeout overflows and fires at once.
ECHO_WAIT_MS = 24 * 60 * 60 * 1000
_offline = False


OFFLINE_JS_DIR_ENV = "KIT_CACHE_DIR"  # where the bundle below is kept (default: inside the environment)


def offline_js_path() -> Path:
    """The chart widget's offline JavaScript on disk: one file per altair and vl-convert version."""
    import vl_convert

    folder = Path(os.environ.get(OFFLINE_JS_DIR_ENV) or Path(sys.prefix) / "share" / "empathy-premium-kit")
    return folder / f"jupyterchart-offline-altair-{alt.__version__}-vl-convert-{vl_convert.__version__}.js"


def enable_offline() -> None:
    """Load the chart widget's JavaScript from the installed vl-convert package instead of a CDN,
    so charts render with no network at all. vl-convert takes seconds to bundle it (the largest part
    of a chapter's first cell), so the bundle is kept on disk (`make install` makes it; else the first
    kernel that needs it) and read back in milliseconds. Runs once per kernel."""
    global _offline
    if _offline:
        return
    path = offline_js_path()
    try:
        bundled = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        bundled = ""
    if len(bundled) > 10_000:  # a whole bundle (about 0.9 MB), not an empty or cut file
        alt.JupyterChart._esm = bundled
        alt.JupyterChart._is_offline = True
    else:
        alt.JupyterChart.enable_offline()
        try:  # kept for the next kernel; a read-only environment just bundles again next time
            path.parent.mkdir(parents=True, exist_ok=True)
            scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            scratch.write_text(alt.JupyterChart._esm, encoding="utf-8")
            os.replace(scratch, path)
        except OSError:
            pass
    _offline = True


def push_params(chart: LiveChart, values: dict, skip=(), resend: bool = True) -> None:
    """Set a live chart's params in one message. A value equal to what the kernel last saw is sent
    anyway (unless `resend` is False: a chart whose spec was just rebuilt already carries them): the
    browser may hold a newer echo, and the display must end on the last value.
    Params in `skip` are left out: the browser has already set them (see BrowserLink)."""
    chart.intended.update(values)
    new = {k: v for k, v in {**chart._params, **values}.items() if k not in skip}
    if new != chart._params:
        chart._params = new
    elif resend:
        chart.send_state("_params")


class LiveChart(alt.JupyterChart):
    """A JupyterChart whose params the kernel owns. The browser reports param changes back (after
    ECHO_WAIT_MS); ipywidgets would then echo that report to the browser again, and an echo of an
    older report could land after the kernel's newest params and put old titles back on screen.
    So the report is not echoed: the browser only ever shows what the kernel (or BrowserLink) set.

    A view that renders starts from the param values in its spec and reports them at once. When the
    kernel has moved on since the spec was built (a dashboard changed from code before it is shown,
    or shown a second time), it answers that report with the values it set (`intended`)."""

    _params = traitlets.Dict().tag(sync=True, echo_update=False)

    def __init__(self, *args, **kwargs):
        self.intended = {}
        super().__init__(*args, **kwargs)
        self.intended = dict(self._params)
        self.observe(self._on_params, "_params")

    def _on_params(self, change) -> None:
        if "_params" not in self._property_lock:  # the kernel's own change (a push, a new spec)
            self.intended.update(change["new"])
            return
        reported = change["new"]  # from the browser: the kernel's messages came first, so this is older
        if any(reported.get(k, v) != v for k, v in self.intended.items()):
            self._params = {**reported, **self.intended}


class BrowserLink(anywidget.AnyWidget):
    """Moves chart params in the browser itself when a learner moves a linked slider, with no round
    trip through the kernel: the chart re-draws at once, and the kernel's reply (titles, summary)
    follows. Changes made from Python (presets, Reset, code) still go through the kernel."""

    # control_names.js (accessible names for the sliders and chart menus) runs once per page, with it.
    _esm = "\n".join((Path(__file__).parent / name).read_text(encoding="utf-8")
                      for name in ("control_names.js", "browser_link.js"))
    charts = traitlets.List(traitlets.Unicode()).tag(sync=True)
    links = traitlets.List(traitlets.List()).tag(sync=True)

    def __init__(self, sliders: dict, charts_: list):
        super().__init__(charts=[c.model_id for c in charts_],
                         links=[[slider.model_id, name] for name, slider in sliders.items()],
                         layout=w.Layout(display="none"))  # it shows nothing (and a static export skips it)
        self.sliders = sliders

    def moved_in_browser(self, slider) -> bool:
        """True while the kernel handles a linked slider's value that came from the browser."""
        return slider is not None and slider in self.sliders.values() and "value" in slider._property_lock

    @property
    def params(self) -> set[str]:
        return set(self.sliders)
