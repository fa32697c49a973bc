# Two entry points: `make run` (install and run on seeds/) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,ray]'
	touch $@ $(VENV)/.installed

# no --overwrite: run again, it resumes an interrupted run, and does nothing once the run is finished
run: $(VENV)/.installed
	$(BIN)/prep run --config configs/default.toml

test: $(VENV)/.installed-test
	$(BIN)/ruff check prep tests
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# everything prep writes into out/ (out/.gitkeep stays)
clean:
	rm -rf $(VENV) out/* out/.prep out/.prep.lock
