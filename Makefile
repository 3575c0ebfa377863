# CEO Directory: `make run` serves the site, `make test` runs the whole suite.
# Both create .venv and install requirements.txt first (PyPI only, nothing else).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app directory
SNAPSHOT := directory/data/snapshot.jsonl.gz
MIRROR ?= ../shared/fixtures/edgar-mirror

.PHONY: run test install db serve snapshot bench clean

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

install: $(BIN)/activate

db: install
	$(FLASK) db upgrade
	$(FLASK) import --if-empty $(SNAPSHOT)
	$(FLASK) index rebuild --if-stale

run: db
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

snapshot: install
	$(BIN)/python -m scrapers.snapshot --mirror $(MIRROR) --out $(SNAPSHOT)

bench: install
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) instance .pytest_cache
