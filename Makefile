# Two commands for a new user: `make run` (the demo on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell md5sum requirements.txt | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 4
THREADS ?= 4

.PHONY: setup run test lint bench clean

# Python keeps its compiled modules (__pycache__, ignored by git) even where the environment sets
# PYTHONDONTWRITEBYTECODE, as this CI's does: without them each of the suite's processes, in each leg, compiled the app
# again and pytest rewrote the asserts of ~550 modules again (its plugins' packages too), 15 s of CPU per process.
unexport PYTHONDONTWRITEBYTECODE

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# The set-up both commands share: dependencies, database schema (migrate also makes the shared cache's table, see
# annotator/apps.py), the demo project (loaded once). A team's deployment: docs/deployment.md.
setup: $(STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo --once

# gunicorn and one background worker for jobs (manage.py serve); Ctrl+C stops both.
run: setup
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py serve -- --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--worker-class gthread --threads $(THREADS) --access-logfile -

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) manage.py spectacular --fail-on-warn --validate --file /dev/null

# LINT= skips the lint (CI's PostgreSQL leg: it does not depend on the database, and the SQLite leg ran it).
# PYTEST= adds pytest arguments: CI's PostgreSQL leg passes -m "not no_database", leaving out the tests that reach no
# database (tests/conftest.py marks them), which would run there exactly as they ran in the SQLite leg.
LINT ?= lint
PYTEST ?=
test: setup $(LINT)
	$(VENV)/bin/pytest -n 2 $(PYTEST)

# Every benchmark (about 8 minutes, and W2 about 20 minutes a database; needs PostgreSQL on 127.0.0.1:5432): one
# table, also in bench/RESULTS.md.
bench: $(STAMP)
	bench/run

clean:
	rm -rf $(VENV) data
