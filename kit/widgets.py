"""The slider lab: ipywidgets controls wired to the model (kit.model) and the charts (kit.charts).

This layer only wires: controls -> a valid Scenario -> kit.simulate() -> chart params and a summary
line. The scenario-dependent charts are "live" (their arithmetic is in Vega-Lite), so a slider
change sends a handful of numbers to the browser and never re-draws a chart from scratch.

- `explore(scenario=None, ...)` -> `Dashboard`: every control, the charts and a summary line.
- `slider_chart(control, chart=...)` -> `SliderChart`: one slider and one chart, for a chapter.
- `role_tasks(role_id)` -> `RoleTasks`: a role picker and the role's task_exposure chart.
"""
from __future__ import annotations

import functools
import html

import altair as alt
import anywidget
import ipywidgets as w
import numpy as np
import pandas as pd
import traitlets

from . import charts, data, model, scenarios
from .errors import DataError
from .model import MODES, REINVESTMENT_KEYS, Scenario

__all__ = ["explore", "Dashboard", "ScenarioFiles", "comparison", "slider_chart", "SliderChart", "role_tasks",
           "RoleTasks", "summary_line", "enable_offline",
           "BrowserLink", "CONTROL_WIDTH", "DEFAULT_ROLE", "DESCRIPTION_WIDTH", "ECHO_WAIT_MS", "LiveChart", "NO_PRESET", "Reinvestment",
           "matching_preset", "short_label"]

DEFAULT_ROLE = "registered_nurses"
CONTROL_WIDTH = "300px"
DESCRIPTION_WIDTH = "158px"
NO_PRESET = ""
# After this wait (at most: lodash's maxWait equals it) the chart widget reports a changed param back
# to the kernel and re-applies every param in the page, which re-draws the whole chart. Nothing here
# needs that report, so it is pushed out of a session's reach: at 1 s it re-drew the slider lab's
# charts once a second during a drag and delayed the next redraw by up to 370 ms. One day stays
# below the 2**31 - 1 ms where a browser's setTimeout overflows and fires at once.
ECHO_WAIT_MS = 24 * 60 * 60 * 1000
_offline = False


def enable_offline() -> None:
    """Load the chart widget's JavaScript from the installed vl-convert package instead of a CDN,
    so charts render with no network at all. Runs once (about a second), on first use."""
    global _offline
    if not _offline:
        alt.JupyterChart.enable_offline()
        _offline = True


def _push(chart: LiveChart, values: dict, skip=()) -> None:
    """Set a live chart's params in one message. A value equal to what the kernel last saw is sent
    anyway: the browser may hold a newer echo, and the display must end on the last value.
    Params in `skip` are left out: the browser has already set them (see BrowserLink)."""
    chart.intended.update(values)
    new = {k: v for k, v in {**chart._params, **values}.items() if k not in skip}
    if new != chart._params:
        chart._params = new
    else:
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

    _esm = """
    // Models may arrive in any order (Voila loads them all at once): look each one up until it is
    // there, never throw (a failure here must not break the dashboard), never block its display.
    async function find(manager, id) {
      for (let i = 0; i < 200; i++) {
        try { return await manager.get_model(id); } catch (error) { await new Promise(r => setTimeout(r, 50)); }
      }
      return null;
    }
    async function link(model) {
      const manager = model.widget_manager;
      const charts = (await Promise.all(model.get("charts").map((id) => find(manager, id)))).filter(Boolean);
      for (const [id, name] of model.get("links")) {
        const slider = await find(manager, id);
        if (!slider) continue;
        slider.on("change:value", (_, value, options) => {
          if (!options || !options.updated_view) return;  // not a learner's move: the kernel sends it
          for (const chart of charts) {
            if (!chart.get("spec")) continue;
            chart.set("_params", { ...(chart.get("_params") || {}), [name]: value });
          }
        });
      }
    }
    export default {
      initialize({ model }) { link(model).catch((error) => console.warn("kit BrowserLink:", error)); },
      render({ el }) { el.style.display = "none"; },
    };
    """
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


def summary_line(result: model.Result, role_id: str) -> str:
    """The plain-language summary of a result for one role and the organization, e.g.
    'Medical Secretaries: execution −6.1 h/week, curation +1.2, presence +3.0 ...'."""
    ids = result.roles.role_id.to_numpy()
    where = np.flatnonzero(ids == role_id)
    if len(where) == 0:
        return "Pick a role to see its week."
    i = int(where[0])
    change = result.by_role.hours_change.to_numpy()[3 * i: 3 * i + 3]  # by_role: 3 rows per role, MODES order
    title, released = result.roles.title.iloc[i], result.roles.released.iloc[i]
    org = result.org
    parts = [f"{title}: execution {charts.format_change(change[0])} h/week, curation {charts.format_change(change[1])}, "
             f"presence {charts.format_change(change[2])}"]
    if released > 0.05:
        parts[0] += f", released {charts.format_number(released)}"
    parts.append(f"Organization: {charts.format_fte(org['released_fte'])} FTE released, "
                 f"{charts.format_fte(org['oversight_team_fte'])} FTE of new AI-oversight work")
    return ". ".join(parts) + "."


def _families() -> pd.DataFrame:
    fam = data.load_task_families()
    return fam[fam.automatable].set_index("family")


def _org_options(extra=()) -> list[tuple[str, object]]:
    profiles = data.load_org_profiles().drop_duplicates("org_id")
    options = [(name, org_id) for org_id, name in zip(profiles.org_id, profiles.org_name)]
    for org in extra:
        if isinstance(org, model.Organization) and all(o is not org for _, o in options):
            options.append((org.name, org))
    return options


def _percent_slider(description: str, value: float, tooltip: str = "") -> w.IntSlider:
    return w.IntSlider(value=int(round(value * 100)), min=0, max=100, step=1, description=description,
                       tooltip=tooltip, continuous_update=True, readout=True, readout_format="d",
                       style={"description_width": DESCRIPTION_WIDTH}, layout=w.Layout(width=CONTROL_WIDTH))


class Reinvestment(w.VBox):
    """Three sliders (presence, capacity, released) that always sum to 100 %: moving one shares the
    rest between the other two in their current proportion."""

    LABELS = {"presence": "To presence", "capacity": "To capacity", "released": "Released"}
    TIPS = {"presence": "% of freed hours that go to more time with patients: presence work.",
            "capacity": "% of freed hours that go to seeing more patients, with the same mix of work.",
            "released": "% of freed hours that are cut: fewer paid hours (FTE released)."}

    def __init__(self, shares: dict):
        self.sliders = {k: _percent_slider(self.LABELS[k], shares[k], self.TIPS[k]) for k in REINVESTMENT_KEYS}
        self._balancing = False
        self._callbacks = []
        self.set(shares)
        for key, slider in self.sliders.items():
            slider.observe(lambda change, key=key: self._balance(key, change["new"]), "value")
        super().__init__([w.HTML("<b>Where freed hours go</b>, % (always 100 in total)"), *self.sliders.values()])

    def on_change(self, callback) -> None:
        """Call `callback()` after a learner's move, once the three sliders sum to 100 % again."""
        self._callbacks.append(callback)

    def values(self) -> dict[str, float]:
        """The shares as fractions that sum to 1."""
        return {k: s.value / 100 for k, s in self.sliders.items()}

    def set(self, shares: dict) -> None:
        """Set all three from fractions summing to 1 (rounded to whole percents that sum to 100)."""
        percents = _whole_percents([shares[k] for k in REINVESTMENT_KEYS])
        self._balancing = True
        try:
            for slider, value in zip(self.sliders.values(), percents):
                slider.value = value
        finally:
            self._balancing = False

    def _balance(self, moved: str, value: int) -> None:
        if self._balancing:
            return
        others = [k for k in REINVESTMENT_KEYS if k != moved]
        current = [self.sliders[k].value for k in others]
        rest = 100 - value
        if sum(current) > 0:
            first = int(round(rest * current[0] / sum(current)))
        else:
            first = rest - rest // 2
        self._balancing = True
        try:
            self.sliders[others[0]].value = first
            self.sliders[others[1]].value = rest - first
        finally:
            self._balancing = False
        for callback in self._callbacks:
            callback()


def short_label(slider_label: str) -> str:
    """'Documentation automated' -> 'Documentation': the section header already says 'automated'
    (short enough for the dashboard's narrow control column)."""
    return slider_label.removesuffix(" automated").removesuffix(" tasks").removesuffix(" adopted")


def _whole_percents(fractions) -> list[int]:
    """Fractions summing to 1 as whole percents summing to 100 (largest remainders)."""
    raw = np.asarray(fractions, dtype=float) * 100
    floor = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - floor))[: 100 - floor.sum()]:
        floor[i] += 1
    return floor.tolist()


class _ScenarioControls:
    """The controls that make a Scenario: a slider per family, the oversight ratio, reinvestment."""

    def __init__(self, scenario: Scenario):
        families = _families()
        self.automation = {
            f: _percent_slider(short_label(families.loc[f, "slider_label"]), scenario.automation_rate(f),
                               f"{families.loc[f, 'slider_label']} (% of the family's AI-exposed work). "
                               f"{families.loc[f, 'description']} Tools: {families.loc[f, 'example_ai_tools']}")
            for f in families.index}
        self.oversight = _percent_slider(
            "Review per AI hour", scenario.oversight_ratio,
            "Hours of human review for every 100 hours of work the AI does (%), a new curation task.")
        self.reinvestment = Reinvestment(dict(scenario.reinvestment))

    def all(self) -> list[w.IntSlider]:
        return [*self.automation.values(), self.oversight, *self.reinvestment.sliders.values()]

    def observe(self, callback) -> None:
        """Call `callback()` after any learner's change (reinvestment: once it sums to 100 % again)."""
        for slider in [*self.automation.values(), self.oversight]:
            slider.observe(lambda change: callback(change["owner"]), "value")
        self.reinvestment.on_change(lambda: callback(None))

    def read(self, org) -> Scenario:
        """The scenario the controls show. Sliders are whole percents, so it is always valid."""
        return Scenario(automation={f: s.value / 100 for f, s in self.automation.items() if s.value},
                        oversight_ratio=self.oversight.value / 100,
                        reinvestment=self.reinvestment.values(), org=org)

    def show(self, scenario: Scenario) -> None:
        for f, slider in self.automation.items():
            slider.value = int(round(scenario.automation_rate(f) * 100))
        self.oversight.value = int(round(scenario.oversight_ratio * 100))
        self.reinvestment.set(dict(scenario.reinvestment))


class Dashboard(w.VBox):
    """The slider lab (what `kit.explore()` returns): controls on the left, live charts on the right,
    a summary line that follows every change, and tabs with more views.

    Read `dashboard.scenario` and `dashboard.result` at any time; drive it from code with
    `set_scenario`, `apply_preset`, `set_org` and `set_role`, or through its controls.
    """

    def __init__(self, scenario: Scenario | None = None, *, preset: str | None = None,
                 role: str | None = DEFAULT_ROLE):
        enable_offline()
        problems = []
        if isinstance(scenario, str) and preset is None:  # kit.explore("empathy_first")
            scenario, preset = None, scenario
        scenario = model.as_scenario(scenario)
        if preset is not None:
            try:
                scenario = Scenario.from_preset(preset, org=scenario.org)
            except ValueError as error:
                problems.append(str(error))
        self._start = scenario
        self._scenario = self._start
        self._result = model.simulate(self._start)
        self._busy = False
        self._role = role if role in set(self._result.roles.role_id) else self._result.roles.role_id.iloc[0]

        self.controls = _ScenarioControls(self._start)
        self.sliders = self.controls.automation
        self.oversight = self.controls.oversight
        self.reinvestment = self.controls.reinvestment
        self.preset_picker = w.Dropdown(
            options=[("(your own settings)", NO_PRESET)] + [(label, pid) for pid, label in _preset_labels()],
            value=matching_preset(self._start), description="Preset", style={"description_width": "86px"},
            layout=w.Layout(width=CONTROL_WIDTH), tooltip="Load a named scenario (datasets/presets.csv)")
        self.org_picker = w.Dropdown(options=_org_options([self._start.org]), value=self._start.org,
                                     description="Organization", style={"description_width": "86px"},
                                     layout=w.Layout(width=CONTROL_WIDTH))
        self.role_picker = w.Dropdown(options=self._role_options(self._result), value=self._role,
                                      description="Role", style={"description_width": "86px"},
                                      layout=w.Layout(width=CONTROL_WIDTH),
                                      tooltip="The role named in the summary, in bold in the chart and in the Tasks tab")
        self.reset_button = w.Button(description="Reset", icon="undo", tooltip="Back to the starting scenario",
                                     layout=w.Layout(width="110px"))
        self.summary = w.HTML(layout=w.Layout(min_height="44px", width="100%"))
        self.message = w.HTML(layout=w.Layout(min_height="0px", width="100%"))

        self.chart = LiveChart(charts.live_panel(self._start, focus=self._role), debounce_wait=ECHO_WAIT_MS)
        self.pajama_chart = LiveChart(self._pajama_spec(self._result), debounce_wait=ECHO_WAIT_MS)
        self.tasks_chart = alt.JupyterChart(charts.task_exposure(data.load_tasks(), self._role))
        linked = {f"automation_{f}": slider for f, slider in self.sliders.items()}
        linked["oversight_ratio"] = self.oversight
        self.link = BrowserLink(linked, [self.chart, self.pajama_chart])
        self.numbers = w.HTML()
        self.files = ScenarioFiles(self)
        self.tabs = w.Tab(children=[w.Box([self.pajama_chart]), w.Box([self.tasks_chart]), self.numbers, self.files])
        for i, title in enumerate(["Pajama time", "Tasks of the role", "Numbers (table)", "Scenario file"]):
            self.tabs.set_title(i, title)

        families = w.VBox([w.HTML("<b>Automated by AI</b>, % of each task family's AI-exposed work"),
                           *self.sliders.values()])
        controls = w.VBox([
            self.preset_picker, self.org_picker, self.role_picker,
            families, w.HTML("<b>Oversight</b>: review hours per 100 hours of AI work"), self.oversight, self.reinvestment, self.reset_button,
        ], layout=w.Layout(width="306px", flex="0 0 auto", margin="0 10px 0 0"))
        views = w.VBox([self.chart], layout=w.Layout(flex="1 1 520px", min_width="0"))
        super().__init__([
            self.summary, self.message,
            w.HBox([controls, views], layout=w.Layout(flex_flow="row wrap", align_items="flex-start")),
            self.tabs, self.link,
        ])
        self.add_class("kit-dashboard")

        self.controls.observe(self._on_control)
        self.preset_picker.observe(self._on_preset, "value")
        self.org_picker.observe(self._on_org, "value")
        self.role_picker.observe(self._on_role, "value")
        self.tabs.observe(lambda _: self._refresh_tabs(), "selected_index")
        self.reset_button.on_click(lambda _: self.set_scenario(self._start))
        self._render(self._result)
        self._say(problems[0] if problems else "")

    # ----------------------------------------------------------------- state

    def __repr__(self):
        # What a text-only front end shows, and what strict nbval compares: short and stable.
        return f"<kit slider lab: {self._scenario!r}; role {self._role!r}>"

    @property
    def scenario(self) -> Scenario:
        """The scenario on screen (always a valid Scenario)."""
        return self._scenario

    @property
    def result(self) -> model.Result:
        """kit.simulate(dashboard.scenario): the numbers the charts show."""
        return self._result

    @property
    def role(self) -> str:
        return self._role

    def set_scenario(self, scenario: Scenario) -> None:
        """Show a scenario: move every control to it and update the charts once."""
        if not isinstance(scenario, Scenario):
            self._say(f"set_scenario: {type(scenario).__name__} is not a kit.Scenario; nothing changed")
            return
        self._busy = True
        try:
            self.controls.show(scenario)
            if scenario.org not in [o for _, o in self.org_picker.options]:
                self.org_picker.options = _org_options([o for _, o in self.org_picker.options] + [scenario.org])
            self.org_picker.value = scenario.org
        finally:
            self._busy = False
        self._update(scenario)

    def apply_preset(self, name: str) -> None:
        """Load a named scenario (kit.preset_names()) for the current organization."""
        try:
            scenario = Scenario.from_preset(name, org=self._scenario.org)
        except ValueError as error:
            self._say(str(error))
            return
        self.set_scenario(scenario)

    def set_org(self, org) -> None:
        """Switch organization (a profile id or a kit.Organization); the sliders stay as they are."""
        try:
            scenario = self._scenario.replace(org=org)
        except ValueError as error:
            self._say(str(error))
            return
        self.set_scenario(scenario)

    def set_role(self, role_id: str) -> None:
        """Pick the role that the summary names and the chart sets in bold."""
        if role_id not in set(self._result.roles.role_id):
            self._say(f"role: {role_id!r} is not in this organization; choose one of the roles in the Role menu")
            return
        self.role_picker.value = role_id

    # ----------------------------------------------------------------- events

    def _on_control(self, slider=None) -> None:
        if self._busy:
            return
        self._update(self.controls.read(self._scenario.org), drawn=self.link.moved_in_browser(slider))

    def _on_preset(self, change) -> None:
        if self._busy:
            return
        if change["new"] == NO_PRESET:  # the menu names the preset the sliders still match
            self._quietly(self.preset_picker, matching_preset(self._scenario))
            return
        self.apply_preset(change["new"])

    def _on_org(self, change) -> None:
        if self._busy:
            return
        self._update(self.controls.read(change["new"]))

    def _on_role(self, change) -> None:
        if self._busy or change["new"] is None:
            return
        self._role = change["new"]
        title = self._result.roles.set_index("role_id").title[self._role]
        _push(self.chart, {"focus_title": title})
        self.tasks_chart.chart = charts.task_exposure(data.load_tasks(), self._role)
        self.summary.value = self._summary_html(self._result)

    # ----------------------------------------------------------------- drawing

    def _update(self, scenario: Scenario, drawn: bool = False) -> None:
        """Simulate and show a scenario; on any problem, say so and keep the last good view.
        `drawn`: the browser already moved the linked params (a learner's slider move)."""
        try:
            result = model.simulate(scenario)
            if result.org["headcount"] <= 0:
                raise ValueError(f"org: {charts._org_label(scenario.org)!r} has no staff in any of the kit's "
                                 "roles; give at least one role a headcount above 0")
        except ValueError as error:
            self._say(str(error))
            self._show_controls(self._scenario)
            return
        org_changed = scenario.org != self._scenario.org
        self._scenario, self._result = scenario, result
        note = self._new_org(result) if org_changed else ""
        self._render(result, skip=self.link.params if drawn and not org_changed else ())
        self._say(note, kind="note")

    def _render(self, result: model.Result, skip=()) -> None:
        self._quietly(self.preset_picker, matching_preset(result.scenario))
        values = {**charts.scenario_params(result.scenario), **charts.live_headlines(result)}
        _push(self.chart, values, skip)
        if self.pajama_chart.chart is not None:
            _push(self.pajama_chart, values, skip)
        self.summary.value = self._summary_html(result)
        self._refresh_tabs()

    def _new_org(self, result: model.Result) -> str:
        """Another organization has other roles: rebuild the live charts' data (a chart swap).
        Returns a note for the learner if the picked role is not in the new organization."""
        roles = set(result.roles.role_id)
        note = ""
        if self._role not in roles:
            old = data.load_roles().set_index("role_id").title.get(self._role, self._role)
            self._role = DEFAULT_ROLE if DEFAULT_ROLE in roles else result.roles.role_id.iloc[0]
            new = result.roles.set_index("role_id").title[self._role]
            note = f"{old} are not in this organization; the summary now follows {new}."
        self._quietly(self.role_picker, None, options=self._role_options(result))
        self._quietly(self.role_picker, self._role)
        self.chart.chart = charts.live_panel(result.scenario, focus=self._role)
        self.pajama_chart.chart = self._pajama_spec(result)
        self.pajama_chart.layout.display = None if self.pajama_chart.chart is not None else "none"
        self.tasks_chart.chart = charts.task_exposure(data.load_tasks(), self._role)
        return note

    @staticmethod
    def _pajama_spec(result: model.Result):
        """The live pajama-time chart, or None for an organization with no clinician who has a baseline."""
        has_baseline = (result.roles.pajama_before > 0).any()
        return charts.pajama_time_live(result.scenario) if has_baseline else None

    def _refresh_tabs(self) -> None:
        """Tables are only built while someone looks at them."""
        if self.tabs.selected_index == 2:
            self._refresh_numbers()
        elif self.tabs.selected_index == 3:
            self.files.refresh()

    def _refresh_numbers(self) -> None:
        table = charts.table(charts.role_shift(self._result.by_role))
        self.numbers.value = (
            "<div style='max-height:420px;overflow:auto'><style>.kit-numbers td, .kit-numbers th {padding:2px 10px}"
            " .kit-numbers td:nth-child(n+3) {text-align:right}</style>"
            "<p>The numbers behind the role chart: paid hours per person per week, by mode.</p>"
            + table.to_html(index=False, float_format=lambda x: f"{x:.2f}", border=0, classes="kit-numbers")
            + "</div>")

    def _summary_html(self, result: model.Result) -> str:
        return f"<div style='font-size:15px;line-height:1.4' role='status'>{html.escape(summary_line(result, self._role))}</div>"

    def _say(self, text: str, kind: str = "problem", details: list[str] = ()) -> None:
        """Show a message above the charts (plain text, escaped); an empty text clears it."""
        if not text:
            self.message.value = ""
            return
        color, icon = {"problem": ("#8a1c00", "Cannot do that:"), "note": ("#204a87", "Note:"),
                       "done": ("#1a5e20", "Done:")}[kind]
        items = "".join(f"<li>{html.escape(d)}</li>" for d in details)
        items = f'<ul style="margin:2px 0">{items}</ul>' if items else ""
        self.message.value = (f"<div role='alert' style='color:{color};border-left:4px solid {color};"
                              f"padding:4px 8px;margin:4px 0'><b>{icon}</b> {html.escape(text)}"
                              f"{items}</div>")

    def _show_controls(self, scenario: Scenario) -> None:
        self._busy = True
        try:
            self.controls.show(scenario)
            self.org_picker.value = scenario.org
        finally:
            self._busy = False

    def _quietly(self, widget, value, **traits) -> None:
        self._busy = True
        try:
            for name, v in traits.items():
                setattr(widget, name, v)
            widget.value = value
        finally:
            self._busy = False

    @staticmethod
    def _role_options(result: model.Result) -> list[tuple[str, str]]:
        return list(zip(result.roles.title, result.roles.role_id))


class ScenarioFiles(w.VBox):
    """The dashboard's "Scenario file" tab: save the scenario on screen, open a saved one, and
    compare the scenario on screen (A) with another one (B) side by side."""

    def __init__(self, dashboard: Dashboard):
        self.dashboard = dashboard
        self.b: Scenario | None = None
        self.name = w.Text(value="my_scenario.json", description="File name", style={"description_width": "90px"},
                           layout=w.Layout(width="340px"),
                           tooltip="Saved next to this notebook unless you give a folder")
        self.save_button = w.Button(description="Save", icon="save", tooltip="Save the scenario on screen to this file")
        self.open_button = w.Button(description="Open", icon="folder-open",
                                    tooltip="Open this file: its scenario goes on screen (or into B)")
        self.upload = w.FileUpload(accept=".json", multiple=False, description="Upload a scenario file",
                                   layout=w.Layout(width="220px"))
        self.target = w.ToggleButtons(options=[("Onto the screen (A)", "a"), ("Into comparison (B)", "b")],
                                      value="a", description="Open into",
                                      style={"description_width": "70px", "button_width": "auto"},
                                      tooltips=["Replace the scenario on screen", "Keep the screen; compare with it"])
        self.keep_button = w.Button(description="Copy A into B", icon="copy", layout=w.Layout(width="auto"),
                                    tooltip="Remember the scenario on screen as B, then move the sliders")
        self.swap_button = w.Button(description="Show B on screen", icon="exchange", layout=w.Layout(width="auto"),
                                    tooltip="Put B on screen (A becomes B)")
        self.compare = w.HTML()
        self.save_button.on_click(lambda _: self.save_file())
        self.open_button.on_click(lambda _: self.open_file(self.name.value))
        self.upload.observe(self._on_upload, "value")
        self.keep_button.on_click(lambda _: self.set_b(self.dashboard.scenario))
        self.swap_button.on_click(lambda _: self.swap())
        super().__init__([
            w.HBox([self.name, self.save_button, self.open_button]),
            w.HBox([self.upload, self.target]),
            w.HBox([self.keep_button, self.swap_button]),
            self.compare,
        ])

    def save_file(self, path=None) -> None:
        """Save the scenario on screen (kit.save_scenario)."""
        path = path if path is not None else self.name.value.strip()
        if not path:
            self.dashboard._say("give a file name, e.g. my_scenario.json")
            return
        try:
            saved = scenarios.save_scenario(self.dashboard.scenario, path)
        except DataError as error:
            self.dashboard._say(f"could not save {path}", details=error.problems)
            return
        self.dashboard._say(f"saved the scenario on screen to {saved}", kind="done")

    def open_file(self, source, target: str | None = None) -> None:
        """Open a scenario file (a path or its bytes) onto the screen (target "a") or into B."""
        label = source if isinstance(source, str) else "the uploaded file"
        if isinstance(source, str) and not source.strip():
            self.dashboard._say("give the name of a scenario file to open")
            return
        try:
            scenario = scenarios.load_scenario(source)
        except DataError as error:
            self.dashboard._say(f"{label} was not opened; the scenario on screen is unchanged", details=error.problems)
            return
        if (target or self.target.value) == "b":
            self.set_b(scenario)
            self.dashboard._say(f"opened {label} as B", kind="done")
        else:
            self.dashboard.set_scenario(scenario)
            if self.dashboard.scenario == scenario:
                self.dashboard._say(f"opened {label}", kind="done")

    def set_b(self, scenario: Scenario) -> None:
        self.b = scenario
        self.refresh(force=True)

    def swap(self) -> None:
        if self.b is None:
            self.dashboard._say("there is no B yet: copy A into B or open a file into B first")
            return
        a, b = self.dashboard.scenario, self.b
        self.dashboard.set_scenario(b)
        if self.dashboard.scenario == b:
            self.set_b(a)

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        self.open_file(bytes(files[0]["content"]))

    def refresh(self, force: bool = False) -> None:
        if self.b is None:
            self.compare.value = ("<p>To compare two scenarios: <b>Copy A into B</b>, then move the sliders; "
                                  "or open a saved file into B.</p>")
            return
        if force or self.dashboard.tabs.selected_index == 3:
            table = comparison(self.dashboard.scenario, self.b, self.dashboard.role)
            self.compare.value = ("<style>.kit-compare td, .kit-compare th {padding:2px 10px}"
                                  " .kit-compare td:nth-child(n+2) {text-align:right}</style>"
                                  + table.to_html(index=False, border=0, na_rep="", classes="kit-compare"))


def comparison(a: Scenario, b: Scenario, role_id: str | None = None) -> pd.DataFrame:
    """Two scenarios side by side: their settings (where either differs from 0) and outcomes."""
    ra, rb = model.simulate(a), model.simulate(b)
    families = _families()
    rows = []
    for f in families.index:
        va, vb = a.automation_rate(f), b.automation_rate(f)
        if va or vb:
            rows.append((f"{families.loc[f, 'slider_label']} (%)", 100 * va, 100 * vb))
    rows.append(("Review per AI hour (%)", 100 * a.oversight_ratio, 100 * b.oversight_ratio))
    rows += [(f"Freed hours to {k} (%)", 100 * a.reinvestment[k], 100 * b.reinvestment[k]) for k in REINVESTMENT_KEYS]
    for mode in MODES:
        share_a = ra.org_by_mode.set_index("mode").share_after[mode]
        share_b = rb.org_by_mode.set_index("mode").share_after[mode]
        rows.append((f"{mode.capitalize()} share of paid hours (%)", 100 * share_a, 100 * share_b))
    rows += [("Released (FTE)", ra.org["released_fte"], rb.org["released_fte"]),
             ("New AI-oversight work (FTE)", ra.org["oversight_team_fte"], rb.org["oversight_team_fte"]),
             ("Pajama time, all clinicians (hours/week)", ra.org["pajama_after"], rb.org["pajama_after"])]
    if role_id is not None and role_id in set(ra.roles.role_id) and role_id in set(rb.roles.role_id):
        title = ra.roles.set_index("role_id").title[role_id]
        for mode in MODES:
            rows.append((f"{title}: {mode} hours/week", ra.role(role_id).hours_after[mode],
                         rb.role(role_id).hours_after[mode]))
    table = pd.DataFrame(rows, columns=["", "A (on screen)", "B"])
    table["B \u2212 A"] = table["B"] - table["A (on screen)"]
    for column in ("A (on screen)", "B", "B \u2212 A"):
        table[column] = table[column].map(lambda x: f"{x:,.1f}")
    orgs = {charts._org_label(a.org), charts._org_label(b.org)}
    if len(orgs) > 1:
        table.loc[len(table)] = ["Organization", charts._org_label(a.org), charts._org_label(b.org), "differs"]
    return table


def matching_preset(scenario: Scenario) -> str:
    """The id of the preset whose settings `scenario` has (any organization), else NO_PRESET
    ("your own settings"): what the dashboard's Preset menu shows."""
    settings = _settings(scenario)
    return next((name for name, preset in _preset_settings().items() if preset == settings), NO_PRESET)


def _settings(scenario: Scenario) -> tuple:
    return ({f: r for f, r in scenario.automation.items() if r}, scenario.oversight_ratio, dict(scenario.reinvestment))


@functools.lru_cache(maxsize=1)
def _preset_settings() -> dict[str, tuple]:
    return {name: _settings(Scenario.from_preset(name)) for name in model.preset_names()}


def _preset_labels() -> list[tuple[str, str]]:
    presets = data.load_presets().drop_duplicates("preset_id")
    return list(zip(presets.preset_id, presets.label))


def explore(scenario: Scenario | None = None, *, preset: str | None = None,
            role: str | None = DEFAULT_ROLE) -> Dashboard:
    """The slider lab: one dashboard with every control and live chart.

    `scenario` is where it starts (default: no automation); `preset` (or a preset's name given as
    `scenario`) starts from a named scenario instead (a wrong name is reported inside the dashboard);
    `role` is the role it names first.
    """
    return Dashboard(scenario, preset=preset, role=role)


# --------------------------------------------------------------------------- small widgets

class SliderChart(w.VBox):
    """One slider and one live chart, for a chapter: `slider_chart("clinical_documentation")`."""

    def __init__(self, control: str, chart: str, scenario: Scenario | None, roles, focus):
        enable_offline()
        self._scenario = model.as_scenario(scenario)
        if chart not in ("role_shift", "org_shift", "pajama_time"):
            raise ValueError(f"chart: {chart!r} is not a live chart; choose role_shift, org_shift or pajama_time")
        families = _families()
        if control == "oversight_ratio":
            self.slider = _percent_slider("Review per AI hour (%)", self._scenario.oversight_ratio,
                                          "Hours of human review for every 100 hours of AI work (%)")
        elif control in families.index:
            self.slider = _percent_slider(f"{families.loc[control, 'slider_label']} (%)",
                                          self._scenario.automation_rate(control),
                                          families.loc[control, "description"])
        else:
            raise ValueError(f"control: {control!r} is not a slider; choose oversight_ratio or a task family: "
                             f"{', '.join(families.index)}")
        self.control = control
        self.roles = list(roles) if roles is not None else None
        self.slider.layout.width = "520px"
        self.slider.style.description_width = "240px"
        self.chart = LiveChart(charts.live_panel(self._scenario, roles=roles, focus=focus, parts=(chart,)),
                               debounce_wait=ECHO_WAIT_MS)
        self._result = None  # the whole organization's, worked out when asked for (see result)
        param = "oversight_ratio" if control == "oversight_ratio" else f"automation_{control}"
        self.link = BrowserLink({param: self.slider}, [self.chart])
        self.slider.observe(self._on_slider, "value")
        super().__init__([self.slider, self.chart, self.link])

    @property
    def scenario(self) -> Scenario:
        return self._scenario

    @property
    def result(self) -> model.Result:
        """kit.simulate(self.scenario): the whole organization, also the roles the chart leaves out."""
        if self._result is None:
            self._result = model.simulate(self._scenario)
        return self._result

    def __repr__(self):
        return f"<kit slider_chart {self.control!r}: {self._scenario!r}>"

    def _on_slider(self, change) -> None:
        value = change["new"] / 100
        if self.control == "oversight_ratio":
            scenario = self._scenario.replace(oversight_ratio=value)
        else:
            scenario = self._scenario.replace(automation={**self._scenario.automation, self.control: value})
        self._scenario, self._result = scenario, None
        shown = model.simulate(charts.shown_scenario(scenario, self.roles))  # only what the chart draws
        skip = self.link.params if self.link.moved_in_browser(change["owner"]) else ()
        _push(self.chart, {**charts.scenario_params(scenario), **charts.live_headlines(shown)}, skip)


def slider_chart(control: str = "clinical_documentation", chart: str = "role_shift", *,
                 scenario: Scenario | None = None, roles: list[str] | None = None,
                 focus: str | None = None) -> SliderChart:
    """One slider and one live chart. `control` is a task family (its automation rate) or
    "oversight_ratio"; `chart` is "role_shift", "org_shift" or "pajama_time"; `roles` limits
    role_shift to some role ids; `scenario` sets everything the slider does not."""
    return SliderChart(control, chart, scenario, roles, focus)


class RoleTasks(w.VBox):
    """A role picker and the task_exposure chart of the picked role."""

    def __init__(self, role_id: str):
        enable_offline()
        roles = data.load_roles()
        if role_id not in set(roles.role_id):
            raise ValueError(f"role_id: {role_id!r} is not one of the kit's roles; see kit.load_roles().role_id")
        self.picker = w.Dropdown(options=list(zip(roles.title, roles.role_id)), value=role_id, description="Role",
                                 style={"description_width": "60px"}, layout=w.Layout(width="520px"))
        self.chart = alt.JupyterChart(charts.task_exposure(data.load_tasks(), role_id))
        self.picker.observe(lambda c: setattr(self.chart, "chart", charts.task_exposure(data.load_tasks(), c["new"])),
                            "value")
        super().__init__([self.picker, self.chart])

    def __repr__(self):
        return f"<kit role_tasks: {self.picker.value!r}>"


def role_tasks(role_id: str = DEFAULT_ROLE) -> RoleTasks:
    """A role picker and the chart of that role's O*NET tasks by family and AI exposure."""
    return RoleTasks(role_id)
