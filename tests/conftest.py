"""Shared test set-up."""
import os

from hypothesis import HealthCheck, settings

# The DESIGN.md invariants are checked on at least 1,000 random scenarios everywhere, CI included.
settings.register_profile("kit", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "kit"))
