# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test test-unit test-e2e test-scaleout install install-test lint format bench load screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Set up and serve the portal on the embedded default (SQLite), with the demo data and users.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## A worker for the background jobs (signing), with CELERY_BROKER_URL or REDIS_URL set (without
## a broker, jobs run in the web process and no worker is needed). Start one or more per machine.
WORKER_CONCURRENCY ?= 2
worker: install
	$(BIN)/celery -A scrutiny worker --loglevel=INFO --concurrency=$(WORKER_CONCURRENCY)

## Install the test dependencies and run the whole suite (unit tests, then browser tests).
test: install-test test-unit test-e2e

test-unit: install-test
	$(BIN)/pytest

# Browser tests run on their own: Playwright's event loop needs DJANGO_ALLOW_ASYNC_UNSAFE,
# which must not hide real async bugs in the unit tests, and the unit run blocks the Playwright
# plugin (-p no:playwright). A failing test leaves a full-page screenshot under test-results/.
# For a step-by-step trace as well (it slows every test): make test-e2e
# E2E_EXTRA=--tracing=retain-on-failure, then .venv/bin/playwright show-trace test-results/…/trace.zip.
# Exit code 5 means none collected.
E2E_OPTIONS ?= --screenshot only-on-failure --full-page-screenshot --output test-results
E2E_EXTRA ?=
test-e2e: install-test
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -p playwright -m e2e $(E2E_OPTIONS) $(E2E_EXTRA) \
		tests/e2e || [ $$? -eq 5 ]

# The tests marked scaleout, against the services of several servers: the Redis of REDIS_URL
# (cache and job broker; default SCALEOUT_REDIS_URL), an S3 server (moto's server mode, started
# by the tests unless SCALEOUT_S3_ENDPOINT_URL names one) and Celery workers the tests start.
SCALEOUT_REDIS_URL ?= redis://127.0.0.1:6379/0
test-scaleout: install-test
	REDIS_URL=$${REDIS_URL:-$(SCALEOUT_REDIS_URL)} $(BIN)/pytest -m scaleout

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Benchmarks (docs/performance.md): ratios against baselines measured in the same run, on a
## temporary SQLite database; DATABASE_URL=postgres://…/scrutiny_bench runs them on PostgreSQL
## instead, in that database (dropped and re-created: its name must start with scrutiny_bench).
## BENCH_ARGS=--profile profiles the pages that miss their budget. Exits 0 when a budget is
## missed (the summary says so), non-zero only if something failed.
BENCH_ARGS ?=
bench: install-test
	$(BIN)/python -m bench $(BENCH_ARGS)

## The load-and-fault test (bench/load.py): two gunicorn instances, a Celery worker, moto's S3
## server, PostgreSQL (its own scrutiny_bench_load database) and Redis DB 5 (emptied), 100 clients
## for 60 s; midway one instance and the worker are killed and restarted. Niced.
LOAD_ARGS ?=
$(VENV)/.installed-load: pyproject.toml $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[test,production]'
	touch $@

load: install-test $(VENV)/.installed-load
	nice $(BIN)/python bench/load.py $(LOAD_ARGS)

## Screenshots of the main pages at 1366 and 390 px into docs/screenshots/ (a throw-away demo
## installation served on loopback, the system Chromium through Playwright).
screenshots: install-test
	$(BIN)/python docs/screenshots/take.py

clean:
	rm -rf $(VENV) var .pytest_cache test-results
