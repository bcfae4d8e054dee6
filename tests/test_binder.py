"""Binder builds what the tests run: postBuild does what it says, and the Jupyter configuration the
tests run with is exactly the one the kit ships (jupyter-config/)."""
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.sign import NotebookNotary

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_repo2docker_reads_the_root_configuration():
    # A binder/ or .binder/ folder would make repo2docker ignore environment.yml and postBuild here.
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    assert (ROOT / "environment.yml").is_file()
    assert os.stat(ROOT / "postBuild").st_mode & stat.S_IXUSR, "postBuild must be executable"


def test_postbuild_installs_the_kit_applies_the_config_and_trusts_the_chapters(tmp_path):
    """Run postBuild for real, except that `pip` only records its arguments (the kit is installed already)."""
    shims = tmp_path / "bin"
    shims.mkdir()
    record = tmp_path / "pip-args"
    (shims / "pip").write_text(f'#!/bin/sh\necho "$@" >> {record}\n')
    (shims / "pip").chmod(0o755)
    data_dir = tmp_path / "jupyter-data"
    env = {**os.environ, "PATH": f"{shims}:{BIN}:{os.environ['PATH']}", "JUPYTER_DATA_DIR": str(data_dir)}
    done = subprocess.run(["bash", "postBuild"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert record.read_text().split() == ["install", "--no-cache-dir", "--no-deps", "-e", "."]
    notary = NotebookNotary(data_dir=str(data_dir))
    chapters = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert chapters
    for chapter in chapters:
        assert notary.check_signature(nbformat.read(chapter, as_version=4)), f"{chapter.name} is not trusted"
    installed = subprocess.run([sys.executable, "jupyter-config/install.py", "--check"], cwd=ROOT,
                               capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout


def test_the_tested_environment_runs_the_shipped_jupyter_configuration():
    done = subprocess.run([sys.executable, "jupyter-config/install.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"run `make install` (or python jupyter-config/install.py):\n{done.stdout}"


def test_the_jupyter_configuration_turns_off_every_outbound_call():
    server = json.loads((ROOT / "jupyter-config" / "jupyter_server_config.json").read_text())
    assert server["LabApp"]["news_url"] is None
    assert server["LabApp"]["check_for_updates_class"] == "jupyterlab.NeverCheckForUpdate"
    assert server["LabApp"]["extension_manager"] == "readonly"
    assert server["VoilaConfiguration"]["template"] == "kit"
    assert server["LabApp"]["default_url"].endswith("/notebooks/00_start_here.ipynb")
    assert (ROOT / server["LabApp"]["default_url"].split("/tree/", 1)[1]).is_file()
    lab = json.loads((ROOT / "jupyter-config/lab/settings/overrides.d/empathy-premium-kit.json").read_text())
    assert lab["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    template = (ROOT / "jupyter-config/voila/templates/kit/index.html.j2").read_text()
    assert "http" not in template.split("-#}", 1)[1], "the kit's Voila template must not link anything outside"


def test_install_merges_into_existing_settings(tmp_path):
    sys.path.insert(0, str(ROOT / "jupyter-config"))
    try:
        import install
    finally:
        sys.path.pop(0)
    existing = {"ServerApp": {"ip": "0.0.0.0", "tornado_settings": {"headers": {"X": "1"}}}, "Other": {"a": 1}}
    ours = json.loads((ROOT / "jupyter-config" / "jupyter_server_config.json").read_text())
    result = install.merged(existing, ours)
    assert result["ServerApp"]["ip"] == "0.0.0.0" and result["Other"] == {"a": 1}
    assert result["ServerApp"]["tornado_settings"]["headers"] == {"X": "1"}
    assert result["ServerApp"]["tornado_settings"]["mathjax_url"] == "null"
    assert result["LabApp"] == ours["LabApp"]
