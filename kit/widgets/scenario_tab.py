"""The slider lab's "Scenario file" tab: save the scenario on screen, open a saved one, compare A and B."""
from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from .. import scenario_file
from ..errors import DataError
from ..model import Scenario
from .panels import comparison

if TYPE_CHECKING:
    from .dashboard import Dashboard

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
            self.dashboard.show_message("give a file name, e.g. my_scenario.json")
            return
        try:
            saved = scenario_file.save_scenario(self.dashboard.scenario, path)
        except DataError as error:
            self.dashboard.show_message(f"could not save {path}", details=error.problems)
            return
        self.dashboard.show_message(f"saved the scenario on screen to {saved}", kind="done")

    def open_file(self, source, target: str | None = None) -> None:
        """Open a scenario file (a path or its bytes) onto the screen (target "a") or into B."""
        label = source if isinstance(source, str) else "the uploaded file"
        if isinstance(source, str) and not source.strip():
            self.dashboard.show_message("give the name of a scenario file to open")
            return
        try:
            scenario = scenario_file.load_scenario(source)
        except DataError as error:
            self.dashboard.show_message(f"{label} was not opened; the scenario on screen is unchanged",
                                        details=error.problems)
            return
        if (target or self.target.value) == "b":
            self.set_b(scenario)
            self.dashboard.show_message(f"opened {label} as B", kind="done")
        else:
            self.dashboard.set_scenario(scenario)
            if self.dashboard.scenario == scenario:
                self.dashboard.show_message(f"opened {label}", kind="done")

    def set_b(self, scenario: Scenario) -> None:
        self.b = scenario
        self.refresh(force=True)

    def swap(self) -> None:
        if self.b is None:
            self.dashboard.show_message("there is no B yet: copy A into B or open a file into B first")
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
        if force or self.dashboard.selected_tab == self.dashboard.FILES_TAB:
            table = comparison(self.dashboard.scenario, self.b, self.dashboard.role)
            self.compare.value = ("<style>.kit-compare td, .kit-compare th {padding:2px 10px}"
                                  " .kit-compare td:nth-child(n+2) {text-align:right}</style>"
                                  + table.to_html(index=False, border=0, na_rep="", classes="kit-compare"))
