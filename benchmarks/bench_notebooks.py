"""Time the whole notebook suite under strict nbval, as `make test` runs it. Prints figures; it is
not a pass/fail test.

Target (issue 4): every notebook in notebooks/ in <= 60 s on a 2-core machine. The CPU seconds
used by the run and its kernels, and the load average before and after, say how busy the machine
was (a wall time measured while other work runs is an upper bound).

    .venv/bin/python benchmarks/bench_notebooks.py [--runs N]
"""
import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60


def run_once() -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (children) and exit code of one strict nbval run of notebooks/."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "notebooks/"],
                          cwd=ROOT, capture_output=True, text=True).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, code


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Time strict nbval over every notebook.")
    parser.add_argument("--runs", type=int, default=3, help="consecutive runs (default 3)")
    args = parser.parse_args(argv)
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"{len(notebooks)} notebooks, strict nbval with tests/nbval_sanitize.cfg, pytest -n 2; "
          f"target <= {TARGET_SECONDS} s per run")
    failed = 0
    for number in range(1, args.runs + 1):
        load = os.getloadavg()[0]
        wall, cpu, code = run_once()
        failed += code != 0
        print(f"run {number}: {wall:5.1f} s wall, {cpu:5.1f} s CPU, load average {load:.1f} -> "
              f"{os.getloadavg()[0]:.1f}, {'passed' if code == 0 else 'FAILED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
