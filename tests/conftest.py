"""Shared test set-up."""
import os
import tempfile

from hypothesis import HealthCheck, settings

# kit.check records every attempt in the learner's progress file: tests and chapters run by nbval
# write to a scratch folder, never to a learner's notebooks/my_outputs/progress.json.
os.environ.setdefault("KIT_OUTPUTS_DIR", tempfile.mkdtemp(prefix="kit-test-outputs-"))

# The DESIGN.md invariants are checked on at least 1,000 random scenarios everywhere, CI included.
settings.register_profile("kit", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "kit"))
