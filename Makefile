# Two commands: `make run` (set up and open the app) and `make test` (set up and run every test).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# One BLAS thread: the network's matrices are tiny, and threads only add overhead and
# contention between the sessions of one server.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: run run-hall test lint format bench clean

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

# A lecture hall: one Streamlit process per core (or WORKERS=n) behind HAProxy, sticky by
# cookie, on port 8501 (deploy/hall.py; README, "A lecture hall"). Installs HAProxy with
# apt-get when it is missing, as `make run` installs what it needs.
WORKERS ?=
run-hall: $(VENV)/.run-deps
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || { \
	  echo "Installing HAProxy (Debian's package) for the lecture hall ..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq haproxy >/dev/null; } || { \
	    echo "Could not install HAProxy (it needs apt-get and root or sudo)."; \
	    echo "Install it yourself (apt-get install haproxy) and run 'make run-hall' again, or use 'make run' (one process)."; \
	    exit 1; }; }
	$(PY) -m deploy.hall $(if $(WORKERS),--workers $(WORKERS)) --port 8501

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
