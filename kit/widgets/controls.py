"""The controls that make a Scenario: percent sliders, the reinvestment trio that always sums to
100 %, and the preset and organization menus' options."""
from __future__ import annotations

import ipywidgets as w
import numpy as np
import pandas as pd

from .. import adoption, charts, data, model, scenario_codes
from ..model import REINVESTMENT_KEYS, Scenario

DEFAULT_ROLE = "registered_nurses"
CONTROL_WIDTH = "300px"
DESCRIPTION_WIDTH = "158px"
NO_PRESET = ""


def slider_families() -> pd.DataFrame:
    """The task families a slider automates, indexed by family."""
    fam = data.load_task_families()
    return fam[fam.automatable].set_index("family")


def org_options(extra=()) -> list[tuple[str, object]]:
    """The Organization menu: every profile, then any kit.Organization in `extra`."""
    profiles = data.load_org_profiles().drop_duplicates("org_id")
    options = [(name, org_id) for org_id, name in zip(profiles.org_id, profiles.org_name)]
    for org in extra:
        if isinstance(org, model.Organization) and all(o is not org for _, o in options):
            options.append((org.name, org))
    return options


def users_options() -> list[tuple[str, str]]:
    """The Used-by menu: every role, then each role group of datasets/role_groups.csv."""
    labels = adoption.group_labels()
    return [("Every role", adoption.ALL_ROLES)] + [(label, g) for g, label in labels.items() if g != adoption.ALL_ROLES]


def percent_slider(description: str, value: float, tooltip: str = "") -> w.IntSlider:
    """A 0-100 % slider showing a fraction `value`."""
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
        self.sliders = {k: percent_slider(self.LABELS[k], shares[k], self.TIPS[k]) for k in REINVESTMENT_KEYS}
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
        percents = whole_percents([shares[k] for k in REINVESTMENT_KEYS])
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


def whole_percents(fractions) -> list[int]:
    """Fractions summing to 1 as whole percents summing to 100 (largest remainders)."""
    raw = np.asarray(fractions, dtype=float) * 100
    floor = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - floor))[: 100 - floor.sum()]:
        floor[i] += 1
    return floor.tolist()


class ScenarioControls:
    """The controls that make a Scenario: a slider per family, the oversight ratio, reinvestment."""

    def __init__(self, scenario: Scenario):
        self._base = scenario  # its users per tool and issue-12 options survive slider moves
        families = slider_families()
        self.automation = {
            f: percent_slider(short_label(families.loc[f, "slider_label"]), scenario.automation_rate(f),
                               f"{families.loc[f, 'slider_label']} (% of the family's AI-exposed work). "
                               f"{families.loc[f, 'description']} Tools: {families.loc[f, 'example_ai_tools']}")
            for f in families.index}
        self.oversight = percent_slider(
            "Review per AI hour", charts.scenario_params(scenario)["oversight_ratio"] / 100,
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
        """The scenario the controls show. Sliders are whole percents, so it is always valid. A tool
        the shown scenario gives to some roles only keeps its users (kit.adoption), and its review
        by family, reviewers, time construct and pass-through are kept (kit.review)."""
        params = {f"automation_{f}": float(s.value) for f, s in self.automation.items()}
        params["oversight_ratio"] = float(self.oversight.value)
        params.update({f"reinvestment_{k}": 100 * v for k, v in self.reinvestment.values().items()})
        base = self._base
        if not model._uses_issue12(base) and base.baseline == model.DEFAULT_BASELINE:
            return Scenario(automation={f: s.value / 100 for f, s in self.automation.items() if s.value},
                            oversight_ratio=self.oversight.value / 100,
                            reinvestment=self.reinvestment.values(), org=org)
        shown = charts.scenario_params(base)["oversight_ratio"]
        if self.oversight.value == round(shown):  # the review slider was not moved: keep review by family
            params["oversight_ratio"] = shown
        scenario = charts.scenario_from_params(params, org, base=base)
        return scenario.replace(reinvestment=self.reinvestment.values(), baseline=base.baseline)

    def show(self, scenario: Scenario) -> None:
        self._base = scenario
        for f, slider in self.automation.items():
            slider.value = int(round(scenario.automation_rate(f) * 100))
        self.oversight.value = int(round(charts.scenario_params(scenario)["oversight_ratio"]))
        self.reinvestment.set(dict(scenario.reinvestment))


def matching_preset(scenario: Scenario) -> str:
    """The id of the preset whose settings `scenario` has (any organization), else NO_PRESET
    ("your own settings"): what the dashboard's Preset menu shows (kit.scenario_codes compares)."""
    return scenario_codes.matching_preset(scenario) or NO_PRESET


def preset_labels() -> list[tuple[str, str]]:
    """(preset id, label) for the Preset menu, in the order of presets.csv."""
    presets = data.load_presets().drop_duplicates("preset_id")
    return list(zip(presets.preset_id, presets.label))
