# The two commands: `make run` (serve the demo) and `make test` (the whole suite).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PYTEST_ARGS ?= -n 2

.PHONY: run test bench lint translations i18n-update i18n-check clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

translations: $(VENV)/.runtime
	$(BIN)/python tools/i18n.py compile

run: $(VENV)/.runtime translations
	$(FLASK) db upgrade
	$(FLASK) forum demo --if-empty
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C stops)"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev translations
	$(BIN)/python -m bench

lint: $(VENV)/.dev
	$(BIN)/ruff check .

i18n-update: $(VENV)/.dev
	$(BIN)/python tools/i18n.py update

i18n-check: $(VENV)/.dev
	$(BIN)/python tools/i18n.py check

clean:
	rm -rf $(VENV) .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
