# Two commands do all set-up: `make demo` and `make test`. Each creates .venv if it is missing,
# installs the project into it (torch first, as the CPU build), then runs the job.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.casewatch-installed
TORCH_VERSION ?= 2.13.0

.PHONY: demo test lint install bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check torch==$(TORCH_VERSION)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)  # its own database (DATA_DIR/demo.db) and key: never the production queue
	$(PY) -m bot demo

lint: $(STAMP)
	$(VENV)/bin/ruff check bot cogs tests
	$(VENV)/bin/mypy

test: lint
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(VENV)/bin/pytest -q

bench: $(STAMP)
	$(PY) -m bot bench identity
	$(PY) -m bot bench abuse
	$(PY) -m bot bench import

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
