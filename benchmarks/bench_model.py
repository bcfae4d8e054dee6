"""Benchmark of the model and of `import kit`. Prints figures; it is not a pass/fail test.

Targets (issue 2): simulate() <= 1 ms median on the full dataset for the US profile;
`import kit` costs <= 10 % more than importing pandas, altair and ipywidgets alone.
Run with `make bench` or `.venv/bin/python benchmarks/bench_model.py`.
"""
import statistics
import subprocess
import sys
import time

import kit


def median_ms(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, sorted(times)[int(0.95 * repeat)] * 1000


def import_seconds(statement, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(repeat=2000, import_repeat=15):
    kit.simulate()  # load and validate the datasets once, as a notebook does on its first call
    roles, tasks = len(kit.load_roles()), len(kit.load_tasks())
    print(f"dataset: {roles} roles, {tasks} tasks, {len(kit.automatable_families())} sliders")
    for preset in ["today", "admin_automation"]:
        s = kit.Scenario.from_preset(preset)
        med, p95 = median_ms(lambda s=s: kit.simulate(s), repeat)
        print(f"simulate(), US profile, preset {preset:17s}: median {med:.3f} ms, p95 {p95:.3f} ms (target <= 1 ms)")
    rates = {f: 0.5 for f in kit.automatable_families()}
    med, p95 = median_ms(lambda: kit.simulate(kit.Scenario(automation=rates, oversight_ratio=0.3)), repeat)
    print(f"Scenario(...) + simulate(), all sliders at 50%: median {med:.3f} ms, p95 {p95:.3f} ms")

    base = import_seconds("import pandas, altair, ipywidgets", import_repeat)
    alone = import_seconds("import kit", import_repeat)
    both = import_seconds("import pandas, altair, ipywidgets, kit", import_repeat)
    print(f"import pandas, altair, ipywidgets: median {base:.3f} s over {import_repeat} fresh interpreters")
    print(f"import kit:                        median {alone:.3f} s ({(alone / base - 1) * 100:+.1f} % vs the three)")
    print(f"import the three, then kit:        median {both:.3f} s ({(both / base - 1) * 100:+.1f} %; target <= +10 %)")


if __name__ == "__main__":
    main()
