# Two commands on a fresh machine: `make demo` and `make test`. Each creates .venv, installs
# kuva-audit with its pinned dependencies, and finds or installs a Chromium as needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kuva-audit-installed

.PHONY: demo test unit lint browser install clean

demo: browser
	$(BIN)/kuva-audit demo

test: browser lint
	$(BIN)/python -m pytest

# The tests that need no browser (statistics, formats, config, layers...): no Chromium needed.
unit: lint
	$(BIN)/python -m pytest -m "not browser"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

browser: $(STAMP)
	$(BIN)/kuva-audit browser --install

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) kuva-demo .pytest_cache .mypy_cache .ruff_cache
