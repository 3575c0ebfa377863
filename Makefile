# CEO Directory: `make run` serves the site, `make test` runs the whole suite.
# Both create .venv first: `make run` installs requirements.lock (what production runs: the
# packages of requirements.txt at exact versions, each file checked against its sha256), `make test`
# adds requirements-dev.lock (test tools, the same way). PyPI only, nothing else. `make lock`
# writes both lock files again from requirements.txt and requirements-dev.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app directory
SNAPSHOT := directory/data/snapshot.jsonl.gz
MIRROR ?= ../shared/fixtures/edgar-mirror
WIKIDATA ?= ../shared/fixtures/wikidata
REAL ?= ../shared/fixtures/real
# axe-core for the accessibility journeys (tests/e2e), from the npm registry into build/node.
AXE := build/node/node_modules/axe-core/axe.min.js

.PHONY: run test install install-dev lock db serve snapshot bench clean e2e-deps test-postgres ci audit bench-load bench-load-postgres bench-pages bench-pages-postgres durability durability-postgres

$(BIN)/activate: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $(BIN)/activate

$(VENV)/.dev-installed: requirements-dev.lock requirements.lock | $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(VENV)/.dev-installed

# Pins every package (dependencies included) with the sha256 of each file PyPI has for it; the
# development lock is constrained to the production one, so both install the same versions.
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url
lock: install-dev
	$(BIN)/pip-compile $(LOCK_FLAGS) --output-file requirements.lock requirements.txt
	$(BIN)/pip-compile $(LOCK_FLAGS) --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt

install: $(BIN)/activate

install-dev: $(VENV)/.dev-installed

db: install
	$(FLASK) db upgrade
	$(FLASK) import --if-empty $(SNAPSHOT)
	$(FLASK) index rebuild --if-stale

run: db
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev e2e-deps
	$(BIN)/python -m pytest

# Optional: without npm (or offline) the accessibility tests skip with the reason, nothing fails.
e2e-deps:
	@if [ -f $(AXE) ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
		npm install --prefix build/node --no-audit --no-fund --silent --fetch-retries=1 axe-core@4 \
			|| echo "axe-core not installed (npm failed): accessibility tests will be skipped"; \
	else echo "npm not found: accessibility tests will be skipped"; fi

# The whole suite again on a throwaway PostgreSQL server (needs Debian's postgresql package).
test-postgres: install-dev e2e-deps
	bash .ci/with-postgres.sh $(BIN)/python -m pytest

# What CI runs: apt packages, SQLite and PostgreSQL passes, the fresh-clone `make run` check.
ci:
	bash .ci/run

snapshot: install
	$(BIN)/python -m directory.snapshot.build --mirror $(MIRROR) --real $(REAL) --wikidata $(WIKIDATA) \
		--out $(SNAPSHOT) --docs docs/snapshot.md

bench: install
	$(BIN)/python bench/search.py

# Every public page at 100,000 companies, first request after start-up included (bench/pages.py).
bench-pages: install
	$(BIN)/python bench/pages.py

bench-pages-postgres: install
	bash .ci/with-postgres.sh $(BIN)/python bench/pages.py

# Load test (not in CI): gunicorn (-c gunicorn.conf.py: warmed workers) over 20,000 synthetic companies, 60 s per phase (bench/load.py).
bench-load: install
	$(BIN)/python bench/load.py --serve

bench-load-postgres: install
	bash .ci/with-postgres.sh $(BIN)/python bench/load.py --serve

# Durability (in CI): 2,000 edits through the forms while gunicorn workers, the whole server
# (10 times) and, on PostgreSQL, the database are killed; nothing acknowledged may be lost
# or doubled, and the search index must agree (bench/durability.py).
durability: install
	$(BIN)/python bench/durability.py

durability-postgres: install
	PG_SYNCHRONOUS_COMMIT=on bash .ci/with-postgres.sh $(BIN)/python bench/durability.py

# Security scanners (bandit, wapiti, sqlmap) against the code and a running server: .ci/audit.sh.
# The scanners get a virtualenv of their own (wapiti3 pins older Flask and SQLAlchemy than the app).
AUDIT_VENV := build/audit-venv

$(AUDIT_VENV)/bin/activate: requirements-audit.txt
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet --upgrade pip
	$(AUDIT_VENV)/bin/pip install --quiet -r requirements-audit.txt
	touch $(AUDIT_VENV)/bin/activate

audit: install $(AUDIT_VENV)/bin/activate
	AUDIT_VENV=$(AUDIT_VENV) bash .ci/audit.sh

clean:
	rm -rf $(VENV) instance .pytest_cache
