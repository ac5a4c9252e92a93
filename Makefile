# Xieshang: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both do all the set-up they need, idempotently: the virtualenv is reused while setup.cfg is
# unchanged, and Debian packages are installed only when missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000

RUN_DEBS := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
TEST_DEBS := $(RUN_DEBS) chromium chromium-driver poppler-utils postgresql redis-server

PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

# axe-core for the accessibility browser test, from npm into a cache folder (never served).
AXE_DIR ?= $(HOME)/.cache/xieshang-axe

.PHONY: run test bench system-run system-test axe

system-run:
	@scripts/system-packages.sh $(RUN_DEBS)

system-test:
	@scripts/system-packages.sh $(TEST_DEBS)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-run: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	@touch $(VENV)/.installed-run $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed-run
	$(PY) scripts/i18n.py compile

run: system-run $(VENV)/.installed-run $(MO_FILES)
	@XIESHANG_DEMO=1 $(PY) -m flask --app app.web db-upgrade
	@XIESHANG_DEMO=1 $(PY) -m flask --app app.web demo load
	@echo
	@echo "  Xieshang 协商 is running at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password xieshang-demo): union, platform, mediator, admin"
	@echo "  Stop with Ctrl+C (stops the task consumer too)."
	@echo
	@# The task consumer (e-mail notifications) runs beside the server and stops with it.
	@XIESHANG_DEMO=1 $(VENV)/bin/huey_consumer app.jobs.queue.huey -w 1 -k thread -q & \
	consumer=$$!; trap 'kill $$consumer 2>/dev/null; wait $$consumer 2>/dev/null' EXIT; \
	XIESHANG_DEMO=1 $(PY) -m flask --app app.web run --host $(HOST) --port $(PORT)

axe: $(AXE_DIR)/node_modules/axe-core/axe.min.js

$(AXE_DIR)/node_modules/axe-core/axe.min.js:
	@command -v npm >/dev/null || scripts/system-packages.sh npm
	npm install --prefix $(AXE_DIR) --no-audit --no-fund --silent axe-core@4

test: system-test $(VENV)/.installed-test $(MO_FILES) axe
	@# One throwaway PostgreSQL and one Redis for the whole run (tests/test_multi_host.py uses both).
	XIESHANG_AXE_DIR=$(AXE_DIR) scripts/with-postgres.sh scripts/with-redis.sh \
	  $(PY) -m pytest $(PYTEST_ARGS)

$(VENV)/.installed-bench: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test,bench]'
	@touch $(VENV)/.installed-run $(VENV)/.installed-test $@

bench: system-test $(VENV)/.installed-bench $(MO_FILES)
	@for script in bench/*.py; do echo "# $$script"; $(PY) $$script || exit 1; done
