# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# A fresh clone to a running portal on SQLite (unless DATABASE_URL says otherwise),
# with the example plan loaded and an admin whose password is printed once.
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py import_plan examples/example-plan.md
	$(PY) manage.py create_portal_admin
	@echo "The portal is at http://$(HOST):$(PORT)/"
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# The whole test suite against PostgreSQL.
test: $(VENV)/.installed
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The load benchmark: fills the portal_bench database, serves the portal with
# gunicorn and prints the figures (bench/RESULTS.md). BENCH_ARGS=--restart-db
# also restarts PostgreSQL during the run.
bench: $(VENV)/.installed
	$(PY) -c "import locust" 2>/dev/null || $(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/run.py $(BENCH_ARGS)
