# Dateline: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DATELINE_HOME ?= $(CURDIR)/var

.PHONY: run superuser test test-fast lint format install migrate demo serve clean bench bench-ingest bench-memory bench-live bench-newsletters bench-distribution \
	bench-discovery bench-lighthouse bench-search bench-speed bench-surge bench-ingest-load bench-parse bench-desk fuzz fresh-machine-check busy-core-check

$(STAMP): pyproject.toml requirements.lock
	PYTHON=$(PYTHON) bash scripts/tools.sh venv
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test,lint]'
	touch $(STAMP)

install: $(STAMP)

# make run's settings: production on this machine (a generated secret key in $(DATELINE_HOME)/secret-key,
# plain HTTP on $(HOST):$(PORT)), or the development settings with DATELINE_DEBUG=true.
RUN_ENV = DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-$(if $(filter true 1 yes on,$(DATELINE_DEBUG)),dateline.settings.dev,dateline.settings.local)} \
	DATELINE_SITE_URL=$${DATELINE_SITE_URL:-http://$(HOST):$(PORT)}

migrate: install
	$(RUN_ENV) $(BIN)/dateline migrate --noinput

demo: migrate
	$(RUN_ENV) $(BIN)/dateline load-demo

## make run: install, migrate, load the demo stories and serve on http://$(HOST):$(PORT)
run: demo
	@echo ""
	@echo "  Dateline is starting on  http://$(HOST):$(PORT)/"
	@echo "  Editors' admin:          http://$(HOST):$(PORT)/admin/"
	@echo "  Create an editor account: make superuser   (in another terminal)"
	@echo "  (scheduled stories are published every 60 s, and a worker sends newsletters, while this runs;"
	@echo "   DATELINE_DEBUG=true make run shows Django's debug pages)"
	@echo ""
	$(RUN_ENV) $(BIN)/dateline serve --host $(HOST) --port $(PORT) --scheduler 60 --worker

## make superuser: create an editor account on the site make run serves (its settings and data folder)
superuser: migrate
	$(RUN_ENV) $(BIN)/dateline createsuperuser

## make test: install what the tests need and run the whole suite
test: install
	bash scripts/test.sh

## make test-fast: the tests that start no browser, server or subprocess (markers `browser` and `slow`),
## on SQLite with file caches, in two processes (pytest-xdist; each has a data folder of its own)
test-fast: install
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python -m pytest -m "not browser and not slow" -n 2 -q -p no:cacheprovider

## make lint: ruff (lint and format), mypy on src/, import-linter's layer contracts
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make fresh-machine-check: the README's two commands as a new user on a fresh clone (needs root)
fresh-machine-check:
	bash scripts/fresh-machine-check.sh

## make busy-core-check: the SQLite pass three times while stress-ng keeps one core busy
busy-core-check: install
	bash scripts/busy-core-check.sh

bench: install
	bash bench/run.sh

## make fuzz: the property-based parser tests and the route walker with 5,000 examples each (the suite runs 150 and 200)
fuzz: install
	DATELINE_FUZZ_EXAMPLES=$${DATELINE_FUZZ_EXAMPLES:-5000} bash scripts/test.sh tests/wire/test_fuzz.py tests/test_route_walker.py

## make bench-parse: items a second for every agency format (parse only, no database)
bench-parse: install
	$(BIN)/python bench/parse.py $(SECONDS)

## make bench-desk: the wire desk's listing, filters and search with 100,000 items (SQLite, or DATABASE_URL)
bench-desk: install
	$(BIN)/python bench/desk.py $(ITEMS)

bench-ingest: install
	$(BIN)/python bench/ingest.py $(ITEMS)

bench-distribution: install
	bash scripts/tools.sh wrk
	$(BIN)/python bench/distribution.py $(SIZES)

## make bench-speed: the article page against nginx's ceiling, page cache, static publishing, uncached (SIZES: generated stories on the demo, default 2000 100000)
bench-speed: install
	bash scripts/tools.sh wrk nginx
	$(BIN)/python bench/speed.py $(SIZES)

## make bench-surge: the readers' mix (home, a section, an article, RSS) while stories are published 1 and 5 a second
bench-surge: install
	bash scripts/tools.sh wrk
	$(BIN)/python bench/surge.py $(RATES)

## make bench-ingest-load: readers (wrk) during a 10,000-item ingest: no 5xx, no logged error
bench-ingest-load: install
	bash scripts/tools.sh wrk
	$(BIN)/python bench/ingest_load.py $(ITEMS)

## make bench-search: the search page with 100,000 stories, on SQLite (and PostgreSQL with BENCH_DATABASE_URL)
bench-search: install
	$(BIN)/python bench/search.py $(STORIES)

## make bench-lighthouse: Lighthouse 12.2.3 scores of five page types, mobile and desktop, on the demo site
bench-lighthouse: install
	bash scripts/tools.sh browser
	$(BIN)/python bench/lighthouse.py

bench-discovery: install
	$(BIN)/python bench/discovery.py $(SIZES)

## make bench-memory: the app server's memory at 100,000 stories, by malloc arenas and SQLite page cache
bench-memory: install
	bash scripts/tools.sh wrk
	$(BIN)/python bench/memory.py $(STORIES)

## make bench-live: a live story's poll address from the page cache (200 and 304) against nginx, and post-to-poll time
bench-live: install
	bash scripts/tools.sh wrk nginx
	$(BIN)/python bench/live.py

## make bench-newsletters: messages a second to a local SMTP server (1 and 2 workers, 10,000 subscribers)
## and the time to assemble a briefing with 2,000 and 100,000 stories
bench-newsletters: install
	$(BIN)/python bench/newsletters.py $(SUBSCRIBERS) $(SIZES)

clean:
	rm -rf $(VENV) var .pytest_cache
