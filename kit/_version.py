"""The kit's version, in one place: pyproject.toml reads it from here (tests/test_layout.py checks)."""
__version__ = "0.1.0"
