# Everything runs inside a project-local virtual environment, created on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run demo test lint lint-openapi browser clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: the main job — the transfer service on SQLite with bundled synthetic sample data
run: $(STAMP)
	WPB_PSEUDONIEM_SLEUTEL="$${WPB_PSEUDONIEM_SLEUTEL:-demo-sleutel-alleen-voor-de-demo}" $(VENV)/bin/wpb serve

## demo: decide every bundled sample case (Jeugdwet and Wmo) and print the answers
demo: $(STAMP)
	$(VENV)/bin/wpb voorbeelden

## test: lint code and OpenAPI document, run the whole test suite
##       (PostgreSQL tests need 127.0.0.1:5432 or WPB_TEST_POSTGRES_URL; Spectral comes from npm)
test: $(STAMP) browser
	$(PY) -m ruff check .
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" scripts/lint-openapi.sh
	$(PY) -m pytest

## browser: Debian's chromium for the Playwright tests (installed when missing and we are root)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "note: /usr/bin/chromium is missing; browser tests will skip (install Debian's chromium)"; \
	  fi; \
	fi

lint: $(STAMP)
	$(PY) -m ruff check .

## lint-openapi: the service's OpenAPI document against Spectral and the NL GOV API Design Rules
lint-openapi: $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" scripts/lint-openapi.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
