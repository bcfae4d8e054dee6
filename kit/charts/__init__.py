"""Chart builders: a DataFrame in, an Altair chart out. No I/O, no widgets.

Every chart uses one palette (`PALETTE`: one colour-blind-safe Okabe-Ito colour per mode), states
its finding in its title, labels its axes with units, carries a `description` for screen readers,
and has a table view of the same numbers: `table(chart)`.

`role_shift_live` is the signature chart with the model's arithmetic written as Vega-Lite params
and transforms, so a slider change only sets a param (the fast path), and `bind=True` gives the
chart its own sliders that work in a static page with no kernel. `kit.simulate()` stays the single
source of truth: tests/test_charts.py checks the chart's transformed data against it.

Modules: style (palette, fonts, shared encodings, `configure`), builders (the static charts), moat
(the moat map and its label placer), live (the live charts and the scenario <-> params codec),
oversight (review vs freed hours), tables (`table`, and `register` for builders elsewhere). The
findings in words (format_*, *_headline) live in kit.words and are re-exported here.
"""
from ..words import (
    TENDENCY,
    _per_role,  # noqa: F401
    change_phrase,
    exposure_headline,
    format_change,
    format_fte,
    format_money,
    format_number,
    moat_headline,
    org_shift_headline,
    pajama_headline,
    rank_correlation,
    role_shift_headline,
)
from ..words import format_amount as _num  # noqa: F401  (old private names, kept for one release)
from ..words import short_title as _short  # noqa: F401
from . import builders, live, moat, oversight, style, tables
from .builders import (
    EXPOSURE_LEVELS,
    LIVE_SUBTITLE,
    ORG_STACK,
    PAJAMA_SUBTITLE,
    _org_note,  # noqa: F401
    org_shift,
    pajama_time,
    role_shift,
    sensitivity,
    task_exposure,
    tornado,
)
from .live import (
    BIND_HEADLINES,
    live_headlines,
    live_panel,
    live_param_names,
    org_shift_live,
    pajama_time_live,
    role_shift_live,
    scenario_from_params,
    scenario_params,
    shown_result,
    shown_scenario,
)
from .moat import CHAR_WIDTH, LINE_HEIGHT, MOAT_HEIGHT, MOAT_SIZES, MOAT_WIDTH, _gap, _overlap, _text_box, moat_map  # noqa: F401
from .oversight import oversight_chart
from .style import FONT, MODE_LABELS, NEUTRAL, ORG_LIVE_WIDTH, PALETTE, TEXT_ON_MODE, WHEN, WIDTH, text_colour
from .style import configure as _configure  # noqa: F401
from .style import label_expr as _label_expr  # noqa: F401
from .style import mode_color as _mode_color  # noqa: F401
from .style import only_roles as _only_roles  # noqa: F401
from .style import org_label as _org_label  # noqa: F401
from .style import require_columns as _require  # noqa: F401
from .style import role_order as _role_order  # noqa: F401
from .style import title_lines as _lines  # noqa: F401
from .style import when_opacity as _when_opacity  # noqa: F401
from .style import with_transforms as _with_transforms  # noqa: F401
from .tables import param_values, table
from .tables import register as register_table

__all__ = ["PALETTE", "MODE_LABELS", "role_shift", "role_shift_live", "org_shift", "moat_map",
           "task_exposure", "pajama_time", "sensitivity", "tornado", "oversight_chart", "table", "register_table",
           "scenario_params", "scenario_from_params", "live_param_names",
           "BIND_HEADLINES", "CHAR_WIDTH", "EXPOSURE_LEVELS", "FONT", "LINE_HEIGHT", "LIVE_SUBTITLE", "MOAT_HEIGHT",
           "MOAT_SIZES", "MOAT_WIDTH", "NEUTRAL", "ORG_LIVE_WIDTH", "ORG_STACK", "PAJAMA_SUBTITLE", "TENDENCY",
           "TEXT_ON_MODE", "WHEN", "WIDTH", "change_phrase", "exposure_headline", "format_change", "format_fte",
           "format_money", "format_number", "live_headlines", "live_panel", "moat_headline", "org_shift_headline",
           "org_shift_live", "pajama_headline", "pajama_time_live", "param_values", "rank_correlation",
           "role_shift_headline", "shown_result", "shown_scenario", "text_colour",
           # the package's modules
           "builders", "live", "moat", "oversight", "style", "tables"]
