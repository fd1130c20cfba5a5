# Two commands on a fresh machine: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/samverkan run --dev

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/webhook.py
	$(BIN)/python bench/situation.py
	$(BIN)/python bench/actions.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
