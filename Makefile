# The two commands of the README: `make demo` (the main job) and `make test`.
# Both set up .venv on first use (Python >= 3.11 with venv; nothing else to install).

VENV ?= .venv
BIN := $(VENV)/bin
DEMO_ARGS ?=

.PHONY: demo test lint bench

$(BIN)/scrapy: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

## Crawl the bundled demo snapshot (seeds/demo, replayed: no network) into archive/.
demo: $(BIN)/scrapy
	$(BIN)/scrapy crawl finews -a start_url=https://demo.finews.invalid/ \
		-s REPLAY_SOURCE=seeds/demo -s ARCHIVE_DIR=archive \
		-s LOG_LEVEL=WARNING -s RUN_REPORT_STDOUT=True $(DEMO_ARGS)

## Lint and run every test (Jekyll tests skip without Debian's jekyll, except on CI).
test: $(BIN)/scrapy
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(BIN)/scrapy
	$(BIN)/ruff check .

## Benchmarks print figures; they are not tests.
bench: $(BIN)/scrapy
	$(BIN)/python bench/bench_dates.py
	$(BIN)/python bench/bench_dedupe.py
	$(BIN)/python bench/bench_generic.py
	$(BIN)/python bench/bench_crawl.py
