"""The slider lab: ipywidgets controls wired to the model (kit.model) and the charts (kit.charts).

This layer only wires: controls -> a valid Scenario -> kit.simulate() -> chart params and a summary
line. The scenario-dependent charts are "live" (their arithmetic is in Vega-Lite), so a slider
change sends a handful of numbers to the browser and never re-draws a chart from scratch.

- `explore(scenario=None, ...)` -> `Dashboard`: every control, the charts and a summary line.
- `slider_chart(control, chart=...)` -> `SliderChart`: one slider and one chart, for a chapter.
- `role_tasks(role_id)` -> `RoleTasks`: a role picker and the role's task_exposure chart.

Modules: sync (live charts and the browser link), controls, panels (text and tables), dashboard,
scenario_tab (the "Scenario file" tab), chapter (the small widgets).
"""
from . import chapter, controls, dashboard, panels, scenario_tab, sync
from .chapter import RoleTasks, SliderChart, role_tasks, slider_chart
from .controls import (
    CONTROL_WIDTH,
    DEFAULT_ROLE,
    DESCRIPTION_WIDTH,
    NO_PRESET,
    Reinvestment,
    ScenarioControls,
    matching_preset,
    short_label,
)
from .controls import whole_percents as _whole_percents  # noqa: F401  (its old, private name)
from .dashboard import Dashboard, explore
from .panels import comparison, summary_line
from .scenario_tab import ScenarioFiles
from .sync import ECHO_WAIT_MS, BrowserLink, LiveChart, enable_offline
from .sync import push_params as _push  # noqa: F401  (its old, private name)

__all__ = [
    "explore", "Dashboard", "ScenarioFiles", "comparison", "slider_chart", "SliderChart", "role_tasks", "RoleTasks",
    "summary_line", "enable_offline", "BrowserLink", "CONTROL_WIDTH", "DEFAULT_ROLE", "DESCRIPTION_WIDTH",
    "ECHO_WAIT_MS", "LiveChart", "NO_PRESET", "Reinvestment", "ScenarioControls", "matching_preset", "short_label",
    # the package's modules
    "chapter", "controls", "dashboard", "panels", "scenario_tab", "sync",
]
