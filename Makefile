# Two commands on a fresh machine: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# A Matrix homeserver for the Matrix channel tests (tests/support/synapse.py), in a venv of its own: its pins
# (Twisted, pydantic) must not meet ours. Binary wheels, about a minute; `make test` builds it once, `make run`
# never needs it. The stamp names the version, so changing SYNAPSE_VERSION reinstalls.
SYNAPSE_VENV := .venv-synapse
SYNAPSE_VERSION := 1.163
SYNAPSE_STAMP := $(SYNAPSE_VENV)/.installed-$(SYNAPSE_VERSION)

.PHONY: install run test lint bench clean $(SYNAPSE_VENV)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(SYNAPSE_STAMP):
	test -x $(SYNAPSE_VENV)/bin/python || $(PYTHON) -m venv $(SYNAPSE_VENV)
	$(SYNAPSE_VENV)/bin/pip install --quiet --disable-pip-version-check --only-binary matrix-synapse \
		'matrix-synapse==$(SYNAPSE_VERSION).*'
	rm -f $(SYNAPSE_VENV)/.installed-*
	touch $@

$(SYNAPSE_VENV): $(SYNAPSE_STAMP)

run: $(STAMP)
	$(BIN)/samverkan run --dev

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint $(SYNAPSE_STAMP)
	$(BIN)/pytest -q

bench: $(STAMP) $(SYNAPSE_STAMP)
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/webhook.py
	$(BIN)/python bench/situation.py
	$(BIN)/python bench/actions.py
	$(BIN)/python bench/scheduler.py
	$(BIN)/python bench/matrix.py

clean:
	rm -rf $(VENV) $(SYNAPSE_VENV) .pytest_cache .ruff_cache *.egg-info
