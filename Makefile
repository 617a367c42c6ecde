# Roer: `make demo` serves the demo, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: demo test lint format install install-dev clean-demo messages

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

## demo: install, migrate, load the instrument and demo data, and serve on http://127.0.0.1:$(PORT)
demo: install var/secret_key
	export SECRET_KEY="$$(cat var/secret_key)" ROER_BASE_URL="http://127.0.0.1:$(PORT)"; \
	$(MANAGE) migrate --noinput && \
	$(MANAGE) collectstatic --noinput --verbosity 0 && \
	$(MANAGE) load_instrument && \
	$(MANAGE) seed_demo && \
	echo "Serving Roer on http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)" && \
	$(MANAGE) runserver "127.0.0.1:$(PORT)" --noreload

## test: install test tools and run the whole suite
test: install-dev
	mkdir -p var
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n 2

## lint: ruff (lint and format check) and mypy
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy roer

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the catalogues after changing user-facing text, then translate the new Dutch entries
messages: install-dev
	cd roer && ../$(MANAGE) makemessages --locale nl --locale en --no-obsolete --add-location file
	$(BIN)/python scripts/sync_english_catalogue.py
	cd roer && ../$(MANAGE) compilemessages --locale nl --locale en

clean-demo:
	rm -f var/roer.sqlite3 var/roer.sqlite3-wal var/roer.sqlite3-shm
