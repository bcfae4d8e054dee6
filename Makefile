# Two commands do all set-up on a fresh machine with Python 3.11 and make:
#   make lab    install everything into .venv and open JupyterLab on the start chapter
#   make test   install everything and run every test (what CI runs through .ci/run)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kit-installed
PINS   := $(VENV)/pins.txt
START  := notebooks/00_start_here.ipynb

.PHONY: lab test install data bench clean

install: $(STAMP)

$(STAMP): environment.yml requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "The kit needs Python 3.11 (found " + sys.version.split()[0] + "). Install python3.11 or run: make PYTHON=/path/to/python3.11 ...")'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "Python's venv module is missing. On Debian/Ubuntu: sudo apt-get install python3.11-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	sed -n 's/^[[:space:]]*-[[:space:]]*\([A-Za-z0-9_.-]*==[^[:space:]#]*\).*/\1/p' environment.yml > $(PINS)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r $(PINS) -r requirements-dev.txt
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps -e .
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(START)

test: $(STAMP)
	$(BIN)/python -m pytest

data: $(STAMP)
	$(BIN)/python datasets/build.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# Run every notebook top to bottom in a fresh kernel and store it with its outputs (before a commit).
.PHONY: notebooks
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py
