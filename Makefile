# Consilio — the README's commands. `make dev` runs the platform, `make test` checks it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TOOLS := .tools
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)
export PYTHONPATH := $(CURDIR)

.PHONY: help dev install migrate seed test lint typecheck unit media e2e e2e-meeting web-build loadtest bench-sfu bench-loop system-packages clean

help:
	@echo "make dev       install what is missing and run Consilio at http://localhost:3000"
	@echo "make test      lint, type check, unit + integration tests (PostgreSQL, Redis, SMTP), e2e (Chromium)"
	@echo "make loadtest  Locust benchmark (login + browse) on loopback: USERS=20 DURATION=60s REDIS=1"
	@echo "make bench-sfu media node CPU per forwarded 1 Mbit/s stream vs aiortc MediaRelay"
	@echo "make bench-loop light events' round trip while 20 tabs sign in (APP_ROOT=other checkout)"

# --- installation (stamps make a second run fast) ---------------------------------------
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Reflex needs bun or Node >= 22; both come from the npm registry into a project folder.
$(TOOLS)/.installed:
	command -v npm >/dev/null || { echo "npm is missing: install Node.js (Debian: apt-get install nodejs npm)"; exit 1; }
	mkdir -p $(TOOLS)
	npm install --prefix $(TOOLS) --no-audit --no-fund --silent bun@1 node@22
	touch $@

# axe-core: the accessibility rules the e2e suite checks every visited page with.
AXE := $(TOOLS)/node_modules/axe-core/axe.min.js
$(AXE): $(TOOLS)/.installed
	npm install --prefix $(TOOLS) --no-audit --no-fund --silent axe-core@4
	touch $@

install: $(VENV)/.installed $(TOOLS)/.installed $(AXE)

migrate: $(VENV)/.installed
	$(PY) -m app.manage migrate

seed: migrate
	$(PY) -m app.manage seed

# First run: .env gets CONSILIO_ENVIRONMENT=dev and a random CONSILIO_SECRET_KEY (kept after).
dev: install
	$(PY) -m app.manage dev-env
	$(MAKE) --no-print-directory seed
	@$(PY) -m app.manage logins
	$(VENV)/bin/honcho start -f Procfile

# --- tests ----------------------------------------------------------------------------------
system-packages:
	@bash tools/ensure-system-packages.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy app workers state components loadtests media_nodes

unit: install system-packages
	$(VENV)/bin/pytest -q tests --ignore=tests/media

# WebRTC media tests run in a network namespace with only loopback (tools/private-net.sh).
media: $(VENV)/.installed system-packages
	bash tools/private-net.sh $(VENV)/bin/pytest -q tests/media -p no:cacheprovider

e2e: install system-packages
	$(VENV)/bin/pytest -q e2e --ignore=e2e/meeting -p no:cacheprovider

# The frontend's packages come from the npm registry, which the namespace cannot reach:
# build once outside, then the app serves inside the namespace without downloading.
web-build: install
	$(VENV)/bin/reflex export --frontend-only --no-zip --loglevel warning >/dev/null

# The meeting room end to end (app + media nodes + Chromium), in a loopback-only namespace.
e2e-meeting: install system-packages web-build
	bash tools/private-net.sh $(VENV)/bin/pytest -q e2e/meeting -p no:cacheprovider

test: lint typecheck unit media e2e e2e-meeting

# --- benchmark (not a test gate) ----------------------------------------------------------
USERS ?= 20
SPAWN_RATE ?= 5
DURATION ?= 60s
loadtest: install
	$(PY) -m loadtests.run --users $(USERS) --spawn-rate $(SPAWN_RATE) --duration $(DURATION) $(if $(REDIS),--redis)

# N publishers x M subscribers of 1 Mbit/s VP8 (+ Opus) through a media node and through
# aiortc's MediaRelay as baseline, in a loopback-only network namespace. Prints JSON lines.
bench-sfu: install system-packages
	bash tools/private-net.sh $(PY) -m loadtests.sfu_bench

# Light events of 100 tabs, idle and while 20 other tabs sign in continuously (one backend).
APP_ROOT ?= $(CURDIR)
bench-loop: install
	$(PY) -m loadtests.event_loop_bench --app-root $(APP_ROOT)

clean:
	rm -rf .web .states data/consilio.db artifacts
