"""The tested environment is the one Binder builds: same Python, same pinned versions."""
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environment_pins():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    pins = dict(re.findall(r"^\s*-\s*([A-Za-z0-9_.-]+)==(\S+)", text, flags=re.M))
    python = re.search(r"^\s*-\s*python=(\S+)", text, flags=re.M).group(1)
    return python, pins


def test_environment_yml_pins_the_core_packages():
    _, pins = environment_pins()
    for core in ["jupyterlab", "ipywidgets", "pandas", "altair", "nbval"]:
        assert core in pins, f"environment.yml does not pin {core}"


def test_python_matches_environment_yml():
    python, _ = environment_pins()
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == python


def test_installed_versions_equal_environment_yml_pins():
    _, pins = environment_pins()
    drift = []
    for name, pinned in pins.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            drift.append(f"{name}: environment.yml pins {pinned}, tests run {installed}")
    assert not drift, "\n".join(drift)


def test_dev_requirements_are_pinned_and_installed():
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements-dev.txt").read_text().splitlines()]
    pins = dict(line.split("==") for line in lines if line)
    assert pins, "requirements-dev.txt is empty"
    for name, pinned in pins.items():
        assert version(name) == pinned, f"{name}: requirements-dev.txt pins {pinned}, installed {version(name)}"
