"""Shared test set-up, and the one Chromium per test process that every browser test shares."""
import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent / "browser"))  # the browser harness, for every test that draws
import harness  # noqa: E402

# kit.check records every attempt in the learner's progress file: tests and chapters run by nbval
# write to a scratch folder, never to a learner's notebooks/my_outputs/progress.json.
os.environ.setdefault("KIT_OUTPUTS_DIR", tempfile.mkdtemp(prefix="kit-test-outputs-"))

# The DESIGN.md invariants are checked on at least 1,000 random scenarios everywhere, CI included.
settings.register_profile("kit", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "kit"))


# Playwright's sync API does not nest: a second sync_playwright() in a process that already runs one fails
# ("using Playwright Sync API inside the asyncio loop"), so the tests in tests/ that draw in a browser
# (exports, label widths) share the browser tests' Playwright through these fixtures.
@pytest.fixture(scope="session")
def jail():
    """An empty network namespace for the server, its kernels and Chromium, when the machine allows one."""
    if harness.NetworkJail.why_not() is not None:
        yield None
        return
    jail = harness.NetworkJail().start()
    yield jail
    jail.stop()


@pytest.fixture(scope="session")
def chromium(jail):
    """Playwright and headless Chromium, started once per test process (skipped, loudly, without Chromium;
    under CI=true a missing Chromium fails)."""
    harness.require_chromium()
    browser = harness.Chromium(jail).start()
    yield browser
    browser.stop()
