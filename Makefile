# Cairn: the commands a newcomer needs. `make help` lists them.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Links in emails (invitations, reminders) point here unless SITE_URL is set. Passed to every
# process: honcho gives the worker and beat ports of their own, so they cannot work it out.
SITE_URL ?= http://$(HOST):$(PORT)

.DEFAULT_GOAL := help
.PHONY: help install run test lint format bench clean lock

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly the versions in the lockfile (requirements/dev.txt); `make lock` updates it.
$(STAMP): requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	@touch $@

install: $(STAMP) ## Create the virtualenv and install Cairn's dependencies

run: $(STAMP) ## Install, migrate, seed demo data, serve with a Celery worker and scheduler
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Cairn is starting on http://$(HOST):$(PORT)/ (Ctrl-C stops the web server, worker and scheduler)"
	HOST=$(HOST) PORT=$(PORT) SITE_URL="$(SITE_URL)" $(BIN)/honcho --procfile Procfile.dev start

# One pytest-xdist worker per core, each with a test database of its own; TEST_WORKERS=0 runs
# the suite in one process.
TEST_WORKERS ?= auto

test: $(STAMP) ## Run the whole test suite (PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set)
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

lint: $(STAMP) ## Check code style (ruff check and ruff format --check)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Fix code style where ruff can
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# On PostgreSQL and Redis (DATABASE_URL, REDIS_URL): seeds the national dataset if the database
# is empty, prints a table and writes docs/performance.md. BENCH_SCHOOLS=2000 for a quicker run.
BENCH_SCHOOLS ?= 24000

bench: $(STAMP) ## Measure pages, load, PDFs, sweeps and the GIAS import (writes docs/performance.md)
	$(BIN)/python benchmarks/bench.py --schools $(BENCH_SCHOOLS)

lock: | $(BIN)/python ## Update the lockfiles from pyproject.toml (requirements/base.txt, dev.txt, s3.txt)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements/base.txt pyproject.toml
	$(BIN)/pip-compile --quiet --upgrade --strip-extras --no-emit-index-url --no-emit-find-links \
		--extra dev --output-file requirements/dev.txt pyproject.toml
	$(BIN)/pip-compile --quiet --upgrade --strip-extras --no-emit-index-url --no-emit-find-links \
		--extra s3 --constraint requirements/base.txt --output-file requirements/s3.txt pyproject.toml

clean: ## Remove the virtualenv and local data under var/
	rm -rf $(VENV) var
