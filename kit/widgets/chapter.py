"""Small widgets a chapter embeds: one slider with one live chart (`slider_chart`), and a role picker
with the role's task-exposure chart (`role_tasks`)."""
from __future__ import annotations

import altair as alt
import ipywidgets as w

from .. import charts, data, model
from ..model import Scenario
from .controls import DEFAULT_ROLE, percent_slider, slider_families
from .sync import ECHO_WAIT_MS, BrowserLink, LiveChart, enable_offline, push_params


class SliderChart(w.VBox):
    """One slider and one live chart, for a chapter: `slider_chart("clinical_documentation")`."""

    def __init__(self, control: str, chart: str, scenario: Scenario | None, roles, focus):
        enable_offline()
        self._scenario = model.as_scenario(scenario)
        if chart not in ("role_shift", "org_shift", "pajama_time"):
            raise ValueError(f"chart: {chart!r} is not a live chart; choose role_shift, org_shift or pajama_time")
        families = slider_families()
        if control == "oversight_ratio":
            self.slider = percent_slider("Review per AI hour (%)", self._scenario.oversight_ratio,
                                          "Hours of human review for every 100 hours of AI work (%)")
        elif control in families.index:
            self.slider = percent_slider(f"{families.loc[control, 'slider_label']} (%)",
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
        push_params(self.chart, {**charts.scenario_params(scenario), **charts.live_headlines(shown)}, skip)


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
