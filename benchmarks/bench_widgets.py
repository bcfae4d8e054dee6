"""Kernel-side cost of a slider change in the slider lab. Prints figures; not a pass/fail test.

From `slider.value = v` to the message that leaves the kernel (the comm's send is recorded), for:
- the dashboard (kit.explore): Scenario + simulate + params for every chart + summary line;
- the one-slider widget (kit.widgets.slider_chart);
- the naive way: simulate, build a new role_shift chart and render its display bundle (what
  `ipywidgets.interact` re-displaying an Altair chart does on every change).
Also: building the dashboard, and the Monte Carlo behind the sensitivity chart (target: 10,000
scenarios in <= 1 s). Browser-side latency is in benchmarks/bench_browser.py.
Run: .venv/bin/python benchmarks/bench_widgets.py
"""
import os
import statistics
import time

import altair as alt

import kit
from kit import charts, sensitivity, widgets


def stats(times):
    times = sorted(times)
    return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000


def time_slider(slider, sent, repeat, from_browser=False):
    times = []
    for _ in range(repeat):
        value = (slider.value + 37) % 101
        sent.clear()
        start = time.perf_counter()
        if from_browser:
            slider.set_state({"value": value})  # what a learner's key press in the browser does
        else:
            slider.value = value
        times.append(time.perf_counter() - start)
        assert sent, "no message left the kernel"
    return times


def recording(*widgets_):
    sent = []
    for widget in widgets_:
        widget.comm.send = lambda data=None, buffers=None, **_: sent.append(data)
    return sent


def main(repeat=300):
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (1 min)")
    start = time.perf_counter()
    widgets.enable_offline()
    took = time.perf_counter() - start
    print(f"enable_offline (vl-convert bundles the chart widget's JavaScript, once): {took:.2f} s")
    start = time.perf_counter()
    dash = kit.explore()
    print(f"kit.explore() (charts, controls, first simulate): {(time.perf_counter() - start) * 1000:.0f} ms")

    sent = recording(dash.chart, dash.pajama_chart, dash.summary, *dash.sliders.values())
    med, p95 = stats(time_slider(dash.sliders["clinical_documentation"], sent, repeat, from_browser=True))
    print(f"dashboard, a learner's move -> titles + summary sent:  median {med:.2f} ms, p95 {p95:.2f} ms "
          "(the bars moved already, in the browser)")
    med, p95 = stats(time_slider(dash.sliders["clinical_documentation"], sent, repeat))
    print(f"dashboard, slider set from Python -> all params sent:   median {med:.2f} ms, p95 {p95:.2f} ms")
    sent = recording(dash.chart, dash.pajama_chart, dash.summary, *dash.reinvestment.sliders.values())
    med, p95 = stats(time_slider(dash.reinvestment.sliders["presence"], sent, repeat))
    print(f"dashboard, reinvestment slider (rebalances the other two): median {med:.2f} ms, p95 {p95:.2f} ms")

    one = widgets.slider_chart("clinical_documentation")
    sent = recording(one.chart)
    med, p95 = stats(time_slider(one.slider, sent, repeat))
    print(f"slider_chart, slider -> params sent:                   median {med:.2f} ms, p95 {p95:.2f} ms")

    base = kit.Scenario()
    naive = []
    for i in range(repeat // 3):
        start = time.perf_counter()
        scenario = base.replace(automation={"clinical_documentation": (i % 101) / 100})
        chart = charts.role_shift(kit.simulate(scenario).by_role)
        with alt.renderers.enable("jupyter", offline=True):
            chart._repr_mimebundle_()
        naive.append(time.perf_counter() - start)
    med_n, p95_n = stats(naive)
    print(f"naive (new role_shift chart rendered per change):     median {med_n:.2f} ms, p95 {p95_n:.2f} ms")

    sensitivity.monte_carlo(1_000)  # warm up
    times = []
    for seed in range(5):
        start = time.perf_counter()
        sensitivity.monte_carlo(10_000, seed=seed)
        times.append(time.perf_counter() - start)
    print(f"sensitivity.monte_carlo(10,000 scenarios): median {statistics.median(times):.3f} s (target <= 1 s)")


if __name__ == "__main__":
    main()
