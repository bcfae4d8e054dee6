# Two commands do all set-up on a fresh machine with Python 3.11 and make:
#   make lab    install everything into .venv and open JupyterLab on the start chapter, serving the
#               kit's whole folder (chapters, datasets/, Voila at /voila/render/notebooks/...)
#   make test   install everything and run every test (what CI runs through .ci/run)
#   make html   render every chapter to a static site in _site/ (no kernel or network needed to view it)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kit-installed
PINS   := $(VENV)/pins.txt
START  := notebooks/00_start_here.ipynb
JCONF  := $(VENV)/.jupyter-config-installed
TRUSTED := $(VENV)/.chapters-trusted
OFFLINE_JS := $(VENV)/.chart-js-bundled
CHAPTERS := $(wildcard notebooks/*.ipynb)
# JupyterLab serves the kit's folder (not notebooks/), so that the start chapter's address, the Voila
# address and datasets/ all resolve; it refuses to start as root (Docker, course VMs) without --allow-root.
LAB_FLAGS := --ServerApp.root_dir=. --ServerApp.default_url=/lab/tree/$(START) $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_ARGS ?=
CHROMIUM ?= $(or $(KIT_CHROMIUM),/usr/bin/chromium)

.PHONY: lab test install data bench html chromium clean

install: $(STAMP) $(JCONF) $(TRUSTED) $(OFFLINE_JS)

$(STAMP): environment.yml requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "The kit needs Python 3.11 (found " + sys.version.split()[0] + "). Install python3.11 or run: make PYTHON=/path/to/python3.11 ...")'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "Python's venv module is missing. On Debian/Ubuntu: sudo apt-get install python3.11-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	sed -n 's/^[[:space:]]*-[[:space:]]*\([A-Za-z0-9_.-]*==[^[:space:]#]*\).*/\1/p' environment.yml > $(PINS)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r $(PINS) -r requirements-dev.txt
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps -e .
	touch $(STAMP)

# The kit's Jupyter settings (jupyter-config/), installed into .venv as postBuild does on Binder.
$(JCONF): $(STAMP) $(shell find jupyter-config -type f) kit/widgets/control_names.js
	$(BIN)/python jupyter-config/install.py
	touch $(JCONF)

# Trust the chapters, as Binder's postBuild does: their stored charts show before anything runs and
# Voila opens them without an "Untrusted notebook" warning. Re-done when a chapter changes.
$(TRUSTED): $(STAMP) $(CHAPTERS)
	$(BIN)/jupyter trust $(CHAPTERS)
	touch $(TRUSTED)

# The chart widget's offline JavaScript, bundled once by vl-convert and kept in .venv: otherwise every
# new kernel spends seconds on it in its first chart (kit.widgets.enable_offline reads it back).
$(OFFLINE_JS): $(STAMP)
	$(BIN)/python -c "import kit.widgets; kit.widgets.enable_offline()"
	touch $(OFFLINE_JS)

lab: install
	$(BIN)/jupyter lab $(LAB_FLAGS) $(LAB_ARGS)

test: install chromium
	$(BIN)/python -m pytest

html: install
	$(BIN)/python tools/build_site.py

# The browser tests drive Debian's chromium. CI (root, CI=true, fresh machine) installs it here; a
# developer who is not root gets a loud notice and the browser tests are skipped (under CI=true they fail).
chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else \
		echo "!!! Chromium is missing ($(CHROMIUM)) and this is not root: the browser tests will be SKIPPED."; \
		echo "!!! Install it with: sudo apt-get install chromium"; \
	fi

data: $(STAMP)
	$(BIN)/python datasets/build.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis _site test-artifacts

# Run every notebook top to bottom in a fresh kernel and store it with its outputs (before a commit).
.PHONY: notebooks
notebooks: install
	$(BIN)/python tools/execute_notebooks.py
