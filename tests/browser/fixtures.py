"""Small notebooks that prove the browser harness itself: one that must come out clean, one that must not.

They are written at test time (never committed as .ipynb) so that strict nbval, which collects every
notebook under tests/, never runs the deliberately broken one.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

# One slider drives a Vega-Lite param of an offline JupyterChart (the fast path), a second one swaps
# the chart's data from Python; a third chart has its own bound Vega-Lite slider (works with no kernel).
GOOD = [
    new_markdown_cell("# Harness check: widgets and offline charts\n\nEverything here must render."),
    new_code_cell(
        "import altair as alt\n"
        "import ipywidgets as widgets\n"
        "import pandas as pd\n"
        "alt.JupyterChart.enable_offline()\n"
        "hours = pd.DataFrame({'mode': ['execution', 'curation', 'presence'], 'hours': [20.0, 8.0, 12.0]})"
    ),
    new_code_cell(
        "share = alt.param(name='share', value=0.5)\n"
        "base = (alt.Chart(hours).transform_calculate(after=\"datum.mode == 'execution' ? datum.hours * (1 - share) : datum.hours\")\n"
        "        .mark_bar().encode(x=alt.X('after:Q', title='hours per week', scale=alt.Scale(domain=[0, 25])), y='mode:N')\n"
        "        .add_params(share).properties(width=300, title='Execution hours fall as automation rises'))\n"
        "chart = alt.JupyterChart(base)\n"
        "rate = widgets.FloatSlider(value=0.5, min=0, max=1, step=0.05, description='Automation')\n"
        "rate.observe(lambda change: setattr(chart.params, 'share', change['new']), 'value')\n"
        "widgets.VBox([rate, chart])"
    ),
    new_code_cell(
        "def bars(factor):\n"
        "    data = hours.assign(hours=hours.hours * factor)\n"
        "    return alt.Chart(data).mark_bar().encode(x='hours:Q', y='mode:N').properties(width=300)\n"
        "swapped = alt.JupyterChart(bars(1.0))\n"
        "scale = widgets.FloatSlider(value=1.0, min=0.5, max=1.5, step=0.1, description='Scale')\n"
        "scale.observe(lambda change: setattr(swapped, 'chart', bars(change['new'])), 'value')\n"
        "widgets.VBox([scale, swapped])"
    ),
    new_code_cell(
        "bound = alt.param(name='bound_share', value=0.5, bind=alt.binding_range(min=0, max=1, step=0.1, name='Automation '))\n"
        "alt.JupyterChart(base.transform_calculate(after=\"datum.mode == 'execution' ? datum.hours * (1 - bound_share) : datum.hours\")\n"
        "                 .add_params(bound))"
    ),
    new_code_cell(
        "class Panel(widgets.VBox):\n"
        "    \"\"\"A dashboard with a static twin for the HTML export: Vega-Lite's own bound slider.\"\"\"\n"
        "    def _repr_mimebundle_(self, **kwargs):\n"
        "        bundle = super()._repr_mimebundle_(**kwargs)\n"
        "        twin = base.transform_calculate(after=\"datum.mode == 'execution' ? datum.hours * (1 - twin_share) : datum.hours\")\n"
        "        twin = twin.add_params(alt.param(name='twin_share', value=0.5,\n"
        "                                         bind=alt.binding_range(min=0, max=1, step=0.1, name='Automation ')))\n"
        "        bundle['application/vnd.vegalite.v6+json'] = twin.to_dict()\n"
        "        return bundle\n"
        "panel_rate = widgets.FloatSlider(value=0.5, min=0, max=1, step=0.05, description='Automation')\n"
        "panel_chart = alt.JupyterChart(base)\n"
        "panel_rate.observe(lambda change: setattr(panel_chart.params, 'share', change['new']), 'value')\n"
        "Panel([panel_rate, panel_chart])"
    ),
    new_code_cell("hours"),
    new_code_cell(
        "raise ValueError('a deliberate error, expected by the raises-exception tag')",
        metadata={"tags": ["raises-exception"]},
    ),
    new_code_cell("print('done')"),
]

# Each cell below breaks in a way a learner would see; the harness must report every one of them.
BROKEN = [
    new_markdown_cell("# Harness check: what broken looks like"),
    new_code_cell(
        "display({'application/vnd.jupyter.widget-view+json': "
        "{'model_id': '0123456789abcdef0123456789abcdef', 'version_major': 2, 'version_minor': 0}, "
        "'text/plain': 'a widget whose model is gone'}, raw=True)"
    ),
    new_code_cell("import warnings\nwarnings.warn('a warning a learner would see')"),
    new_code_cell(
        "import altair as alt, pandas as pd\n"
        "alt.JupyterChart.enable_offline(False)  # loads its JavaScript from a CDN: blank when offline\n"
        "alt.JupyterChart(alt.Chart(pd.DataFrame({'x': [1, 2]})).mark_point().encode(x='x:Q'))"
    ),
    new_code_cell("1 / 0  # an error output; run-all stops here"),
    new_code_cell("print('never runs')"),
]


# A notebook as it is stored on disk (outputs saved, widget state not): what a learner sees on opening it.
VEGALITE_V5 = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": "bar",
               "data": {"values": [{"mode": "execution", "hours": 20}, {"mode": "presence", "hours": 12}]},
               "encoding": {"x": {"field": "hours", "type": "quantitative"}, "y": {"field": "mode", "type": "nominal"}}}
STORED = [
    new_markdown_cell("# Harness check: a notebook as it opens, before anything runs"),
    new_code_cell("chart", execution_count=1, outputs=[new_output(
        "execute_result", execution_count=1,
        data={"application/vnd.vegalite.v5+json": VEGALITE_V5, "text/plain": "alt.Chart(...)"})]),
    new_code_cell("dashboard", execution_count=2, outputs=[new_output(
        "execute_result", execution_count=2,
        data={"application/vnd.jupyter.widget-view+json": {"model_id": "0" * 32, "version_major": 2, "version_minor": 0},
              "text/plain": "VBox(children=(FloatSlider(value=0.5, description='Automation'),))"})]),
    new_code_cell("1 / 0", execution_count=3, outputs=[new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=["ZeroDivisionError: division by zero"])]),
]


# The kit's signature chart with Vega-Lite's own sliders (kit.charts, slider-lab): what the static
# export keeps interactive with no kernel.
LIVE = [
    new_markdown_cell("# Harness check: the signature chart with its own sliders"),
    new_code_cell("import kit\nkit.charts.role_shift_live(bind=True)"),
]

# The kit's dashboard (kit.explore()) shown bare, not through kit.show: the static export must render it.
DASHBOARD = [
    new_markdown_cell("# Harness check: the kit's dashboard"),
    new_code_cell("import kit\nkit.explore()"),
]


def write(folder: Path) -> dict:
    """Write the fixture notebooks into folder; return {name: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, cells in {"harness_good": GOOD, "harness_broken": BROKEN, "harness_stored": STORED,
                        "harness_live": LIVE, "harness_dashboard": DASHBOARD}.items():
        notebook = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC})
        path = folder / f"{name}.ipynb"
        nbformat.write(notebook, path)
        paths[name] = path
    return paths
