"""The slider lab (`kit.explore()`): every control, the live charts, a summary line and tabs."""
from __future__ import annotations

import altair as alt
import ipywidgets as w

from .. import adoption, charts, data, model, scenario_codes
from ..code_box import ScenarioCode
from ..errors import DataError, quoted
from ..model import Scenario
from .controls import (
    CONTROL_WIDTH,
    DEFAULT_ROLE,
    NO_PRESET,
    ScenarioControls,
    matching_preset,
    org_options,
    preset_labels,
    short_label,
    slider_families,
    users_options,
)
from .panels import message_html, numbers_html, summary_html
from .scenario_tab import ScenarioFiles
from .sync import ECHO_WAIT_MS, BrowserLink, LiveChart, enable_offline, push_params


class Dashboard(w.VBox):
    """The slider lab (what `kit.explore()` returns): controls on the left, live charts on the right,
    a summary line that follows every change, and tabs with more views.

    Read `dashboard.scenario` and `dashboard.result` at any time; drive it from code with
    `set_scenario`, `apply_preset`, `set_org` and `set_role`, or through its controls.
    """

    PAJAMA_TAB, TASKS_TAB, NUMBERS_TAB, FILES_TAB = TABS = (
        "Pajama time", "Tasks of the role", "Numbers (table)", "Scenario file")

    def __init__(self, scenario: Scenario | None = None, *, preset: str | None = None,
                 role: str | None = DEFAULT_ROLE):
        enable_offline()
        problems = []
        if scenario_codes.looks_like_code(scenario) and preset is None:  # kit.explore("ep1.…"), a shared code
            try:
                scenario = scenario_codes.open_code(scenario).scenario
            except DataError as error:
                scenario = None
                problems.append(str(error))
        if isinstance(scenario, str) and preset is None:  # kit.explore("empathy_first")
            scenario, preset = None, scenario
        if scenario is None and preset is None:  # no automation, read as the presets read it (A41, A42, A44)
            preset = model.NO_AUTOMATION_PRESET
        scenario = model.as_scenario(scenario)
        if preset is not None:
            try:
                scenario = Scenario.from_preset(preset, org=scenario.org)
            except ValueError as error:
                problems.append(str(error))
                scenario = Scenario.from_preset(model.NO_AUTOMATION_PRESET, org=scenario.org)
        self._start = scenario
        self._scenario = self._start
        self._result = model.simulate(self._start)
        self._busy = False
        self._role = role if role in set(self._result.roles.role_id) else self._result.roles.role_id.iloc[0]
        if role not in (None, DEFAULT_ROLE) and role != self._role:  # the default is quietly replaced
            problems.append(f"role {quoted(role)} is not one of this organization's roles, so the lab names "
                            f"{self._role!r} first; pick a role in the Role menu (role ids: kit.load_roles())")

        self.controls = ScenarioControls(self._start)
        self.sliders = self.controls.automation
        self.oversight = self.controls.oversight
        self.reinvestment = self.controls.reinvestment
        self.preset_picker = w.Dropdown(
            options=[("(your own settings)", NO_PRESET)] + [(label, pid) for pid, label in preset_labels()],
            value=matching_preset(self._start), description="Preset", style={"description_width": "86px"},
            layout=w.Layout(width=CONTROL_WIDTH), tooltip="Load a named scenario (datasets/presets.csv)")
        self.org_picker = w.Dropdown(options=org_options([self._start.org]), value=self._start.org,
                                     description="Organization", style={"description_width": "86px"},
                                     layout=w.Layout(width=CONTROL_WIDTH))
        self.role_picker = w.Dropdown(options=self._role_options(self._result), value=self._role,
                                      description="Role", style={"description_width": "86px"},
                                      layout=w.Layout(width=CONTROL_WIDTH),
                                      tooltip="The role named in the summary, in bold in the chart and in the "
                                              "Tasks tab")
        families_table = slider_families()
        self.tool_picker = w.Dropdown(
            options=[(short_label(families_table.loc[f, "slider_label"]), f) for f in families_table.index],
            value="clinical_documentation", description="Tool for", style={"description_width": "86px"},
            layout=w.Layout(width=CONTROL_WIDTH), tooltip="The task family whose AI tool the Used-by menu sets")
        self._users_options = users_options()
        self.users_picker = w.Dropdown(
            options=self._users_options, description="Used by", style={"description_width": "86px"},
            layout=w.Layout(width=CONTROL_WIDTH),
            tooltip="Which roles use that tool (datasets/role_groups.csv); roles outside it keep their week")
        self._show_users(self._start)
        self.reset_button = w.Button(description="Reset", icon="undo", tooltip="Back to the starting scenario",
                                     layout=w.Layout(width="110px"))
        self.summary = w.HTML(layout=w.Layout(min_height="44px", width="100%"))
        self.message = w.HTML(layout=w.Layout(min_height="0px", width="100%"))
        self.code = ScenarioCode(code=self._code(self._start))  # the scenario as a code to share, with Copy

        self.chart = LiveChart(charts.live_panel(self._start, focus=self._role), debounce_wait=ECHO_WAIT_MS)
        self.pajama_chart = LiveChart(self._pajama_spec(self._result), debounce_wait=ECHO_WAIT_MS)
        self.tasks_chart = alt.JupyterChart(charts.task_exposure(data.load_tasks(), self._role))
        linked = {f"automation_{f}": slider for f, slider in self.sliders.items()}
        linked["oversight_ratio"] = self.oversight
        self.link = BrowserLink(linked, [self.chart, self.pajama_chart])
        self.numbers = w.HTML()
        self.files = ScenarioFiles(self)
        self.tabs = w.Tab(children=[w.Box([self.pajama_chart]), w.Box([self.tasks_chart]), self.numbers, self.files])
        for i, title in enumerate(self.TABS):
            self.tabs.set_title(i, title)

        families = w.VBox([w.HTML("<b>Automated by AI</b>, % of each task family's AI-exposed work"),
                           *self.sliders.values()])
        controls = w.VBox([
            self.preset_picker, self.org_picker, self.role_picker,
            families, w.HTML("<b>Who uses each tool</b>"), self.tool_picker, self.users_picker,
            w.HTML("<b>Oversight</b>: review hours per 100 hours of AI work"), self.oversight,
            self.reinvestment, self.reset_button,
        ], layout=w.Layout(width="306px", flex="0 0 auto", margin="0 10px 0 0"))
        views = w.VBox([self.chart], layout=w.Layout(flex="1 1 520px", min_width="0"))
        super().__init__([
            self.summary, self.message, self.code,
            w.HBox([controls, views], layout=w.Layout(flex_flow="row wrap", align_items="flex-start")),
            self.tabs, self.link,
        ])
        self.add_class("kit-dashboard")

        self.controls.observe(self._on_control)
        self.preset_picker.observe(self._on_preset, "value")
        self.org_picker.observe(self._on_org, "value")
        self.role_picker.observe(self._on_role, "value")
        self.tool_picker.observe(lambda _: self._show_users(self._scenario), "value")
        self.users_picker.observe(self._on_users, "value")
        self.tabs.observe(lambda _: self._refresh_tabs(), "selected_index")
        self.reset_button.on_click(lambda _: self.set_scenario(self._start))
        self._render(self._result)
        self.show_message(problems[0] if problems else "")

    # ----------------------------------------------------------------- state

    def close(self) -> None:
        """Close the lab and every widget in it (controls, charts, their layouts and styles), so that
        the kernel and the browser free them; a closed lab shows nothing."""
        for widget in widgets_within(self):
            if widget is not self:
                widget.close()
        super().close()

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
    def selected_tab(self) -> str | None:
        """The title of the tab open below the charts (one of Dashboard.TABS), or None."""
        index = self.tabs.selected_index
        return None if index is None else self.TABS[index]

    def select_tab(self, title: str) -> None:
        """Open a tab below the charts by its title (one of Dashboard.TABS)."""
        if title not in self.TABS:
            raise ValueError(f"tab: {title!r} is not a tab of the slider lab; choose one of {', '.join(self.TABS)}")
        self.tabs.selected_index = self.TABS.index(title)

    @property
    def role(self) -> str:
        return self._role

    def set_scenario(self, scenario: Scenario) -> None:
        """Show a scenario: move every control to it and update the charts once."""
        if not isinstance(scenario, Scenario):
            self.show_message(f"set_scenario: {type(scenario).__name__} is not a kit.Scenario; nothing changed")
            return
        self._busy = True
        try:
            self.controls.show(scenario)
            if scenario.org not in [o for _, o in self.org_picker.options]:
                self.org_picker.options = org_options([o for _, o in self.org_picker.options] + [scenario.org])
            self.org_picker.value = scenario.org
        finally:
            self._busy = False
        self._update(scenario)

    def apply_preset(self, name: str) -> None:
        """Load a named scenario (kit.preset_names()) for the current organization."""
        try:
            scenario = Scenario.from_preset(name, org=self._scenario.org)
        except ValueError as error:
            self.show_message(str(error))
            return
        self.set_scenario(scenario)

    def set_org(self, org) -> None:
        """Switch organization (a profile id or a kit.Organization); the sliders stay as they are."""
        try:
            scenario = self._scenario.replace(org=org)
        except ValueError as error:
            self.show_message(str(error))
            return
        self.set_scenario(scenario)

    def set_role(self, role_id: str) -> None:
        """Pick the role that the summary names and the chart sets in bold."""
        if role_id not in set(self._result.roles.role_id):
            self.show_message(f"role: {role_id!r} is not in this organization; choose one of the roles in the "
                              "Role menu")
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

    def _on_users(self, change) -> None:
        if self._busy or not change["new"]:
            return
        family = self.tool_picker.value
        self.set_scenario(self._scenario.replace(
            automation=adoption.with_users(self._scenario.automation, family, change["new"])))

    def _show_users(self, scenario: Scenario) -> None:
        """The Used-by menu shows who uses the chosen family's tool ('several' for a custom mix).
        Called on every render, so it sends the browser nothing when the menu already shows it."""
        family = self.tool_picker.value
        choice = adoption.users_choice(scenario.automation, family)
        options = self._users_options
        if choice not in [v for _, v in options]:
            label = adoption.describe_users(scenario.automation, family)[:40] if choice else "(several groups or roles)"
            options = [*options, (label, choice)]
        if options != list(self.users_picker.options):
            self._quietly(self.users_picker, choice, options=options)
        elif self.users_picker.value != choice:
            self._quietly(self.users_picker, choice)

    def _on_org(self, change) -> None:
        if self._busy:
            return
        self._update(self.controls.read(change["new"]))

    def _on_role(self, change) -> None:
        if self._busy or change["new"] is None:
            return
        self._role = change["new"]
        title = self._result.roles.set_index("role_id").title[self._role]
        push_params(self.chart, {"focus_title": title})
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
            self.show_message(str(error))
            self._show_controls(self._scenario)
            return
        org_changed = scenario.org != self._scenario.org
        # who uses each tool and how review works live in the live charts' data (kit.adoption, kit.review)
        rebuilt = org_changed or charts.live.live_structure(scenario) != charts.live.live_structure(self._scenario)
        self._scenario, self._result = scenario, result
        note = self._new_org(result) if rebuilt else ""
        self._render(result, skip=self.link.params if drawn and not rebuilt else (), rebuilt=rebuilt)
        self.show_message(note, kind="note")

    def _render(self, result: model.Result, skip=(), rebuilt: bool = False) -> None:
        self._quietly(self.preset_picker, matching_preset(result.scenario))
        self._show_users(result.scenario)
        values = {**charts.scenario_params(result.scenario), **charts.live_headlines(result)}
        push_params(self.chart, values, skip, resend=not rebuilt)
        if self.pajama_chart.chart is not None:
            push_params(self.pajama_chart, values, skip, resend=not rebuilt)
        self.summary.value = self._summary_html(result)
        self.code.code = self._code(result.scenario)
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
        if self.selected_tab == self.NUMBERS_TAB:
            self._refresh_numbers()
        elif self.selected_tab == self.FILES_TAB:
            self.files.refresh()

    def _refresh_numbers(self) -> None:
        self.numbers.value = numbers_html(self._result)

    def _summary_html(self, result: model.Result) -> str:
        return summary_html(result, self._role)

    def show_message(self, text: str, kind: str = "problem", details: list[str] = ()) -> None:
        """Show a message above the charts (plain text, escaped): kind "problem", "note" or "done";
        an empty text clears it."""
        self.message.value = message_html(text, kind, details)

    _say = show_message  # its old, private name

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
    def _code(scenario: Scenario) -> str:
        """The scenario's share code (kit.share_code), or nothing if it cannot be put in one."""
        try:
            return scenario_codes.share_code(scenario)
        except DataError:
            return ""

    @staticmethod
    def _role_options(result: model.Result) -> list[tuple[str, str]]:
        return list(zip(result.roles.title, result.roles.role_id))


def explore(scenario: Scenario | None = None, *, preset: str | None = None,
            role: str | None = DEFAULT_ROLE) -> Dashboard:
    """The slider lab: one dashboard with every control and live chart.

    `scenario` is where it starts (default: no automation), or a scenario code (kit.share_code); `preset`
    (or a preset's name given as `scenario`) starts from a named scenario instead (a wrong name or a
    damaged code is reported inside the dashboard);
    `role` is the role it names first.
    """
    lab = Dashboard(scenario, preset=preset, role=role)
    cell = _running_cell()
    if cell is not None:  # re-running the lab's cell replaces the lab it made before
        previous = _LABS.pop(cell, None)
        if previous is not None:
            previous.close()
        _LABS[cell] = lab
    return lab


_LABS: dict[str, Dashboard] = {}  # the lab each notebook cell made last, by the cell's id


def _running_cell() -> str | None:
    """The id of the notebook cell being run (JupyterLab and Voila send it), else None."""
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        parent = kernel.get_parent() if kernel is not None else {}
        cell = (parent or {}).get("metadata", {}).get("cellId")
    except Exception:  # no kernel (plain Python, tests) or an older front end
        return None
    return cell if isinstance(cell, str) and cell else None


def widgets_within(root: w.Widget) -> list[w.Widget]:
    """Every widget a widget holds: its children, layouts and styles (any widget among its synced
    values) and the widgets kept as attributes of the kit's own containers."""
    found, stack = {}, [root]
    while stack:
        widget = stack.pop()
        if id(widget) in found:
            continue
        found[id(widget)] = widget
        values = [getattr(widget, name, None) for name in widget.keys]
        values += [v for k, v in vars(widget).items() if not k.startswith("_trait")]
        for value in values:
            items = value if isinstance(value, (list, tuple)) else (value,)
            stack += [v for v in items if isinstance(v, w.Widget)]
            if isinstance(value, dict):
                stack += [v for v in value.values() if isinstance(v, w.Widget)]
    return list(found.values())
