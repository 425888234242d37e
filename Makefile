# Two commands: `make run` (set up and open the app) and `make test` (set up and run every test).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# One BLAS thread: the network's matrices are tiny, and threads only add overhead and
# contention between the sessions of one server.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: run test lint format bench clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "This project needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "Install Python 3.11 and run again, or name it: make run PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.run-deps: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	@echo "Serving the playground: open http://localhost:8501 in a browser (Ctrl+C stops it)."
	$(PY) -m streamlit run app.py --server.port 8501

test: $(VENV)/.test-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(VENV)/.test-deps
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(VENV)/.test-deps
	$(PY) -m benchmarks.engine

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
