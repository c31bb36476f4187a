# The two commands a new user needs: `make run` (dashboard) and `make test` (lint, types, tests).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: install run test lint typecheck pytest system-deps bench bench-national loadtest screenshots clean

$(STAMP): pyproject.toml package.json
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@if command -v npm >/dev/null && [ ! -d node_modules/axe-core ]; then npm install --no-audit --no-fund --silent || true; fi
	@touch $(STAMP)

install: $(STAMP)

# A random session key made once per checkout (data/.secret_key, mode 600, never committed);
# in production set TARGETS_SECRET_KEY yourself, the same for every worker.
data/.secret_key:
	@umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32))' > $@

run: install data/.secret_key
	TARGETS_SECRET_KEY="$${TARGETS_SECRET_KEY:-$$(cat data/.secret_key)}" \
	  $(VENV)/bin/targets serve --host $(HOST) --port $(PORT)

# Chromium (browser tests), Noto CJK (Chinese in PDFs), poppler (PDF checks), LibreOffice Calc
# and Writer (open the Excel report and render the Word document) and cairo (the Word document's
# charts, through CairoSVG) come from Debian.
# Installed here when missing and we are root; otherwise the tests say what is missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null || missing="$$missing chromium-driver"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	[ -e /usr/lib/libreoffice/program/libswlo.so ] || missing="$$missing libreoffice-writer-nogui"; \
	ldconfig -p 2>/dev/null | grep -q "libcairo.so.2 " || missing="$$missing libcairo2"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing system packages:$$missing (browser/PDF tests will skip, or fail under CI=true)"; fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check targets dashboard tests bench

typecheck: install
	$(VENV)/bin/mypy

pytest: install system-deps
	$(PY) -m pytest -q -p no:cacheprovider

test: lint typecheck pytest

bench: install
	$(PY) bench/run.py --scale today

# about 30 minutes: 10 million synthetic observations through both stores and the dashboard
bench-national: install
	$(PY) bench/run.py --scale national

loadtest: install
	$(PY) bench/loadtest.py

screenshots: install system-deps
	$(PY) -m pytest -q tests/browser --screenshots docs/screenshots

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
