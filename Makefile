# Two commands do all set-up: `make demo` and `make test`. Each creates .venv if it is missing,
# installs the project into it (torch first, as the CPU build), then runs the job.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.casewatch-installed
TORCH_VERSION ?= 2.13.0
# Set to PyTorch's CPU wheel index on a machine that reaches it (the public index's default build is CUDA's,
# several GB); unset, or unreachable, pip takes torch from its configured index (a local CPU file here).
TORCH_INDEX_URL ?=

.PHONY: demo test lint install install-runtime bench clean

# Development and CI: the `models` extra (torch, detoxify: Detoxify backends, `models pull`, training) and the
# test tools. torch goes first so pip keeps the CPU build (the local file here; PyTorch's CPU index elsewhere).
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check $(if $(TORCH_INDEX_URL),--index-url $(TORCH_INDEX_URL)) \
		torch==$(TORCH_VERSION) || $(PY) -m pip install --quiet --disable-pip-version-check torch==$(TORCH_VERSION)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[models,test]'
	@touch $(STAMP)

install: $(STAMP)

# A server that only scores (learned scorer, or Detoxify weights already exported to ONNX): no torch.
install-runtime:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .

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
