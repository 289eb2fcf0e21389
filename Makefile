# The two commands: `make run` (serve the demo) and `make test` (the whole suite).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PYTEST_ARGS ?= -n 2

.PHONY: run test bench mutate lint translations i18n-update i18n-check clean

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
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C stops), with the outbox worker beside it:"
	@echo "  emails go to instance/mail/*.eml unless FORUM_SMTP_HOST is set, SMS to instance/sms.log unless Kannel is."
	@# The worker runs in the background and is stopped with the server (Ctrl+C, or the server exiting).
	@$(FLASK) forum outbox send --loop --interval 2 & worker=$$!; \
	 trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	 $(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev translations
	@command -v wrk >/dev/null || (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m bench $(BENCH)

# Mutation testing of the critical modules (slow; not in CI): the score per module, at least 90%.
mutate: $(VENV)/.dev translations
	$(BIN)/python tools/mutate.py

# Style (ruff) and types (mypy over forum/, configured in pyproject.toml): both must pass, in CI too.
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/mypy

i18n-update: $(VENV)/.dev
	$(BIN)/python tools/i18n.py update

i18n-check: $(VENV)/.dev
	$(BIN)/python tools/i18n.py check

clean:
	rm -rf $(VENV) .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
