"""Install the kit's Jupyter configuration into the running Python environment.

What it does for a learner: JupyterLab opens on the start chapter and never calls the internet on its
own (no news pop-up, no update check, no extension search on PyPI); saving a chapter keeps its preview
pictures (the `kit_saved_previews` pre-save hook, copied next to the environment's packages); Voila
dashboards load no stylesheet or MathJax from a CDN (the `kit` Voila template; MathJax comes from
JupyterLab's bundle).

Run by `make install` (into .venv) and by Binder's postBuild (into the image's environment).
`--check` only reports whether the environment holds the current configuration. Nothing is written
outside the environment's own folders; settings already in the environment's
jupyter_server_config.json are kept (the kit's keys are merged in).
"""
import argparse
import json
import os
import sys
import sysconfig
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "empathy-premium-kit.json"


def server_config_path() -> Path:
    """The environment's jupyter_server_config.json (traits in jupyter_server_config.d/ only enable extensions)."""
    from jupyter_core.paths import ENV_CONFIG_PATH

    return Path(ENV_CONFIG_PATH[0]) / "jupyter_server_config.json"


def copied_files():
    """(shipped file, where it goes in this environment) for the files installed as they are."""
    from jupyter_core.paths import ENV_JUPYTER_PATH
    from jupyterlab.commands import get_app_dir

    overrides = Path("settings") / "overrides.d" / NAME
    pairs = [(HERE / "lab" / overrides, Path(get_app_dir()) / overrides)]
    template = HERE / "voila" / "templates" / "kit"
    pairs += [(src, Path(ENV_JUPYTER_PATH[0]) / "voila" / "templates" / "kit" / src.name)
              for src in sorted(template.iterdir())]
    # Accessible names for sliders and chart menus, the same script the kit's browser link runs.
    pairs.append((HERE.parent / "kit" / "widgets" / "control_names.js",
                  Path(ENV_JUPYTER_PATH[0]) / "voila" / "templates" / "kit" / "static" / "kit-control-names.js"))
    # The server's pre-save hook, importable by name (jupyter_server_config.json names it).
    pairs.append((HERE / "kit_saved_previews.py", Path(sysconfig.get_paths()["purelib"]) / "kit_saved_previews.py"))
    return pairs


def merged(installed: dict, ours: dict) -> dict:
    """installed with every key of ours set to our value (nested sections merged, not replaced)."""
    result = dict(installed)
    for key, value in ours.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_if_changed(dest: Path, text: str) -> bool:
    """Write text to dest atomically (a running server never reads half a file); False when already current."""
    if dest.exists() and dest.read_text(encoding="utf-8") == text:
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, dest)
    return True


def stale() -> list[str]:
    """What in the environment is missing or differs from the shipped configuration."""
    problems = [str(dest) for src, dest in copied_files()
                if not dest.exists() or dest.read_text(encoding="utf-8") != src.read_text(encoding="utf-8")]
    installed = read_json(server_config_path())
    if merged(installed, read_json(HERE / "jupyter_server_config.json")) != installed:
        problems.append(f"{server_config_path()} (the kit's settings are missing or changed)")
    return problems


def install():
    for src, dest in copied_files():
        if write_if_changed(dest, src.read_text(encoding="utf-8")):
            print(f"installed {dest}")
    target = server_config_path()
    installed = read_json(target)
    config = merged(installed, read_json(HERE / "jupyter_server_config.json"))
    if config != installed and write_if_changed(target, json.dumps(config, indent=2) + "\n"):
        print(f"merged the kit's settings into {target}")
    print("the kit's Jupyter configuration is installed")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the environment is current")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for problem in problems:
            print(f"not current: {problem}")
        return 1 if problems else 0
    install()
    return 0


if __name__ == "__main__":
    sys.exit(main())
