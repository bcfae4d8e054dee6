"""Browser test set-up: one JupyterLab server and one Chromium per test session, never one per notebook.

All tests that use the server live in test_jupyterlab.py, so that pytest-xdist (`--dist loadscope`)
gives them to a single worker and only that worker starts a server.
"""
import fixtures
import harness
import pytest

# `jail` and `chromium` (one per test process) are in tests/conftest.py, shared with tests/ outside browser/.


@pytest.fixture(scope="session")
def lab(tmp_path_factory, jail, chromium):
    """A running JupyterLab (with Voila) in a browser context, plus the harness's check notebooks in harness/."""
    session = harness.Session(workdir=tmp_path_factory.mktemp("jupyterlab"), jail=jail, chromium=chromium)
    session.start()
    fixtures.write(session.server.root / "harness")
    yield session
    session.stop()


def pytest_report_header(config):
    reason = harness.NetworkJail.why_not()
    mode = "network namespace (unshare -n)" if reason is None else f"Chromium request blocking only ({reason})"
    return f"browser tests: Chromium {harness.CHROMIUM}; offline by {mode}"
