"""The slider lab's "Scenario file" tab: save the scenario on screen, open a saved one, compare A and B.

Files are read and written only inside the learner's outputs folder (kit._files.learner_file: a bare
name ending .json), an existing file is never replaced, and in a Voila service, where the visitor is
not the owner of the server's files, saving and opening by name are off (uploads still work)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as w

from .. import scenario_file
from .._files import learner_file, outputs_dir, show_name
from ..errors import DataError, quoted
from ..model import Scenario
from .panels import comparison, message_html

if TYPE_CHECKING:
    from .dashboard import Dashboard

SUFFIX = ".json"
DEFAULT_NAME = "my_scenario.json"
VOILA_NOTE = ("Saving and opening files by name is off in this shared view, so that no visitor can change the "
              "server's files. Upload a scenario file from your computer instead, or open the chapter in "
              "JupyterLab to save one.")


def served_by_voila() -> bool:
    """True in a kernel that Voila started for a visitor (Voila sets SERVER_SOFTWARE=voila/...)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila") or "VOILA_KERNEL_ID" in os.environ


def scenario_path(name: object) -> Path:
    """The file a name typed in the tab stands for: inside the outputs folder, ending .json (added
    when the name has no ending at all). Anything else is a kit.DataError saying what to type."""
    if isinstance(name, str):
        name = name.strip()
        if name and "." not in name and "/" not in name and "\\" not in name:
            name += SUFFIX
    return learner_file(name, SUFFIX, source="scenario file")


def free_name(path: Path) -> Path:
    """path, or when a file is already there, the first free "<name>-2", "<name>-3"... beside it."""
    if not path.exists():
        return path
    number = 2
    while (candidate := path.with_name(f"{path.stem}-{number}{path.suffix}")).exists():
        number += 1
    return candidate


class ScenarioFiles(w.VBox):
    """The dashboard's "Scenario file" tab: save the scenario on screen, open a saved one, and
    compare the scenario on screen (A) with another one (B) side by side."""

    def __init__(self, dashboard: Dashboard):
        self.dashboard = dashboard
        self.b: Scenario | None = None
        self.confined = served_by_voila()
        self.name = w.Text(value=DEFAULT_NAME, description="File name",
                           style={"description_width": "90px"}, layout=w.Layout(width="340px"),
                           tooltip=f"A file in {outputs_dir().name}/ next to the chapters; an existing file is never "
                                   "replaced")
        self.status = w.HTML()  # what Save or Open did, beside the buttons (the message above is off screen)
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
        self.save_button.on_click(lambda _: self._safely(self.save_file))
        self.open_button.on_click(lambda _: self._safely(self.open_file, self.name.value))
        self.upload.observe(lambda change: self._safely(self._on_upload, change), "value")
        self.keep_button.on_click(lambda _: self._safely(self.set_b, self.dashboard.scenario))
        self.swap_button.on_click(lambda _: self._safely(self.swap))
        by_name = (w.HTML(f"<p>{VOILA_NOTE}</p>") if self.confined
                   else w.HBox([self.name, self.save_button, self.open_button]))
        super().__init__([
            by_name,
            self.status,
            w.HBox([self.upload, self.target]),
            w.HBox([self.keep_button, self.swap_button]),
            self.compare,
        ])

    def save_file(self, name=None) -> None:
        """Save the scenario on screen (kit.save_scenario) into a new file in the outputs folder: when
        the name is taken, the first free "-2", "-3"... name beside it (a file is never replaced)."""
        name = self.name.value if name is None else name
        if self.confined:
            self._tell(VOILA_NOTE)
            return
        if not str(name).strip():
            self._tell(f"give a file name, e.g. {DEFAULT_NAME}")
            return
        try:
            wanted = scenario_path(name)
            wanted.parent.mkdir(parents=True, exist_ok=True)
            target = free_name(wanted)
            scenario_file.save_scenario(self.dashboard.scenario, target)
        except (DataError, OSError) as error:
            self._tell(f"could not save {quoted(name)}", details=_reasons(error))
            return
        note = f" ({wanted.name} already exists and was kept)" if target != wanted else ""
        self._tell(f"saved the scenario on screen to {outputs_dir().name}/{target.name}{note}", kind="done")

    def _tell(self, text: str, kind: str = "problem", details=()) -> None:
        """A message beside the Save and Open buttons and in the dashboard's message line."""
        self.status.value = message_html(text, kind, details)
        self.dashboard.show_message(text, kind=kind, details=details)

    def _safely(self, action, *args) -> None:
        """Run a button's action; anything it did not foresee becomes a message, never a silent failure
        in the browser's console (a widget callback's exception is not shown to the learner)."""
        try:
            action(*args)
        except Exception as error:  # the learner must see every failure
            self._tell("that did not work; the scenario on screen is unchanged",
                       details=[f"{type(error).__name__}: {quoted(str(error), 300)}"])

    def open_file(self, source, target: str | None = None) -> None:
        """Open a scenario file (a name in the outputs folder, or an upload's bytes) onto the screen
        (target "a") or into B."""
        if isinstance(source, str):
            if self.confined:
                self._tell(VOILA_NOTE)
                return
            if not source.strip():
                self._tell("give the name of a scenario file to open")
                return
            try:
                path = scenario_path(source)
            except DataError as error:
                self._tell(f"{quoted(source)} was not opened; the scenario on screen is unchanged",
                           details=error.problems)
                return
            if not path.exists():
                self._tell(f"there is no {show_name(path.name)} in {outputs_dir().name}/; the scenario on screen is "
                           "unchanged", details=[_listing()])
                return
            label, source = show_name(path.name), path
        else:
            label = "the uploaded file"
        try:
            scenario = scenario_file.load_scenario(source)
        except DataError as error:
            self._tell(f"{label} was not opened; the scenario on screen is unchanged", details=error.problems)
            return
        if (target or self.target.value) == "b":
            self.set_b(scenario)
            self._tell(f"opened {label} as B", kind="done")
        else:
            self.dashboard.set_scenario(scenario)
            if self.dashboard.scenario == scenario:
                self._tell(f"opened {label}", kind="done")

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
        self.open_file(files[0]["content"])  # sized before it is copied (kit._files.file_bytes)

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


def _reasons(error: Exception) -> list[str]:
    return getattr(error, "problems", None) or [quoted(str(error), 300)]


def _listing(limit: int = 12) -> str:
    """The scenario files in the outputs folder, by name, for a learner who mistyped one."""
    folder = outputs_dir()
    names = sorted(p.name for p in folder.glob(f"*{SUFFIX}") if p.is_file()) if folder.is_dir() else []
    if not names:
        return f"{folder.name}/ holds no scenario files yet: save one first"
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    shown = ", ".join(show_name(n) for n in names[:limit]) + more
    return f"the scenario files in {folder.name}/ are: {shown}"
