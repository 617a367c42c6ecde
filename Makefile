# Roer: `make demo` serves the demo, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: demo bench load scale security test test-sqlite test-postgres test-browser test-translations lint format install install-dev \
	system-packages clean-demo messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,lint]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var/secret_key:
	mkdir -p var
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

## demo: install, migrate, load the instrument and demo data, and serve on http://127.0.0.1:$(PORT) with a
## background worker beside the server (both stop with Ctrl+C)
demo: install var/secret_key
	export SECRET_KEY="$$(cat var/secret_key)" ROER_BASE_URL="http://127.0.0.1:$(PORT)"; \
	$(MANAGE) migrate --noinput && \
	$(MANAGE) collectstatic --noinput --verbosity 0 && \
	$(MANAGE) load_instrument && \
	$(MANAGE) seed_demo && \
	{ $(MANAGE) roer_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "Serving Roer on http://127.0.0.1:$(PORT)/ with a background worker (Ctrl+C stops both)"; \
	  $(MANAGE) runserver "127.0.0.1:$(PORT)" --noreload; }

system-packages:
	bin/ensure-system-packages

## security: bandit (no high-severity finding) and Django's deployment check on production settings
security: install-dev
	$(BIN)/bandit --quiet --recursive roer --exclude "*/migrations/*" --severity-level high
	mkdir -p var/security-check
	DEBUG=false HTTPS=true ALLOWED_HOSTS=roer.example ROER_VAR_DIR=var/security-check \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	$(MANAGE) check --deploy --fail-level WARNING

## test: every gate: lint, security, migrations, and the whole suite on SQLite and on PostgreSQL
test: install-dev system-packages lint security
	mkdir -p var
	$(MANAGE) makemigrations --check --dry-run
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

## test-sqlite: the whole suite (browser tests included) on SQLite
test-sqlite: install-dev system-packages
	mkdir -p var
	HYPOTHESIS_PROFILE=ci ROER_DB_LABEL=sqlite $(BIN)/pytest -n 2

## test-postgres: the whole suite on PostgreSQL (installed and started when needed, see bin/with-postgres)
test-postgres: install-dev system-packages
	HYPOTHESIS_PROFILE=ci ROER_DB_LABEL=postgresql bin/with-postgres $(BIN)/pytest -n 2

## test-browser: only the browser journey and accessibility checks (screenshots in test-artifacts/)
test-browser: install-dev system-packages
	mkdir -p var
	$(BIN)/pytest -n 2 -m browser

## test-translations: only the translation checks
test-translations: install-dev system-packages
	$(BIN)/pytest tests/test_translations.py

## bench: the benchmarks in bench/, each printing its figures (SQLite, throw-away databases)
bench: install-dev
	$(BIN)/python -m bench.run

## load: the load test in bench/load.py: Roer under gunicorn against a bare WSGI app, a Django hello and
## django-survey-and-report, on SQLite and PostgreSQL; prints one table (about five minutes)
load: install-dev
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[load]'
	$(BIN)/python -m bench.load

## scale: the scale-out run in bench/scale.py: two application servers behind nginx, PostgreSQL, Redis, two
## task workers; one server and one worker killed under 50 walking respondents; prints one table (about four minutes)
scale: install-dev system-packages
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[load]'
	bin/ensure-system-packages redis-server
	bin/with-postgres $(BIN)/python -m bench.scale

## lint: ruff (lint and format check), mypy (strict) and the layering contract (import-linter); `make test` runs it too
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy roer
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the catalogues after changing user-facing text, then translate the new Dutch entries
messages: install-dev
	cd roer && ../$(BIN)/python ../manage.py makemessages --locale nl --locale en --no-obsolete --add-location file
	$(BIN)/python scripts/sync_english_catalogue.py
	cd roer && ../$(BIN)/python ../manage.py compilemessages --locale nl --locale en

clean-demo:
	rm -f var/roer.sqlite3 var/roer.sqlite3-wal var/roer.sqlite3-shm
