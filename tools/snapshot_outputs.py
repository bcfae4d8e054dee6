"""Dump the kit's key outputs (kit.simulate on each preset, each chart builder's spec) to JSON, so that a
restructure of kit/ can be checked to change no number and no spec: run it before and after, compare.

    python tools/snapshot_outputs.py before.json
    python tools/snapshot_outputs.py after.json && cmp before.json after.json
"""
import hashlib
import json
import sys

import kit
from kit import charts, lessons, premium, premium_charts, sensitivity


def result_tables(result):
    tables = {name: getattr(result, name).to_json(orient="split", double_precision=15)
              for name in ("by_role", "by_family", "roles", "org_by_mode")}
    return tables | {"org": result.org.to_json(double_precision=15)}


def chart_specs():
    scenario = kit.Scenario.from_preset("admin_automation")
    result = kit.simulate(scenario)
    wages = premium.growth_table()
    builders = {
        "role_shift": lambda: charts.role_shift(result.by_role),
        "org_shift": lambda: charts.org_shift(result.org_by_mode, result.org),
        "moat_map": lambda: charts.moat_map(kit.load_roles(), result.by_role),
        "task_exposure": lambda: charts.task_exposure(kit.load_tasks(), "medical_secretaries"),
        "pajama_time": lambda: charts.pajama_time(result.roles),
        "sensitivity": lambda: charts.sensitivity(sensitivity.swings(sensitivity.monte_carlo(500, seed=3),
                                                                      "released_fte")),
        "role_shift_live": lambda: charts.role_shift_live(scenario),
        "org_shift_live": lambda: charts.org_shift_live(scenario),
        "pajama_time_live": lambda: charts.pajama_time_live(scenario),
        "live_panel_bound": lambda: charts.live_panel(scenario, bind=True,
                                                      parts=("org_shift", "role_shift", "pajama_time")),
        "oversight_chart": lambda: lessons.oversight_chart(lessons.oversight_sweep(lessons.coding_scenario())),
        "growth_vs_moat": lambda: premium_charts.growth_vs_moat(wages),
        "compression": lambda: premium_charts.compression(wages),
        "employment_change": lambda: premium_charts.employment_change(wages),
        "wage_paths": lambda: premium_charts.wage_paths(kit.load_wages(),
                                                        ["registered_nurses", "family_medicine_physicians"]),
    }
    return {name: json.dumps(build().to_dict(), sort_keys=True) for name, build in builders.items()}


def snapshot():
    out = {"simulate": {p: result_tables(kit.simulate(kit.Scenario.from_preset(p))) for p in kit.preset_names()},
           "charts": chart_specs()}
    out["digests"] = {k: hashlib.sha256(json.dumps(v, sort_keys=True).encode()).hexdigest() for k, v in
                      [*(("simulate." + p, t) for p, t in out["simulate"].items()),
                       *(("chart." + c, s) for c, s in out["charts"].items())]}
    return out


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(snapshot(), f, sort_keys=True, indent=1)
