# Two commands matter: `make run` and `make test`. Every target sets up what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := run

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
HOST ?= 127.0.0.1
PORT ?= 8000
# uv from PATH if present, else the copy `make` installs with pip.
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
MANAGE := $(UV) run --frozen python manage.py
CHROMIUM ?= /usr/bin/chromium
OG_FONT ?= /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf
VNU_VERSION := 26.9.27
LIGHTHOUSE_VERSION := 13.5.0
VNU := .tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run test test-fast test-browser serve lint bench profile screenshots setup deps messages fonts migrate criteria chromium vnu clean messages-update deploy-check

## run: install, migrate, load the article criteria, serve http://127.0.0.1:8000/ with DEBUG on
run: setup
	DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

## test: every test (unit, view, property, browser), with branch coverage of quiz/ and config/,
## spread over the machine's cores (pytest-xdist: each worker has its own test database)
test: setup chromium vnu
	$(UV) run --frozen pytest -n auto --cov --cov-report=term

## test-fast: every test except the browser ones
test-fast: setup vnu
	$(UV) run --frozen pytest -n auto -m "not browser"

## test-browser: only the browser tests
test-browser: setup chromium
	$(UV) run --frozen pytest -n auto -m browser

## serve: production-like: collected static files, gunicorn with several workers, DEBUG off
serve: setup
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-0} \
	DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-0} \
	bash -c '$(MANAGE) collectstatic --noinput -v0 && \
	  exec $(UV) run --frozen gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3}'

## deploy-check: the production shape on this machine, from deploy/: PostgreSQL, two gunicorn app
## servers, nginx with TLS; 16 people over HTTPS while one server is killed, delete, backup and
## restore, logs without tokens; then everything is torn down (needs root; installs what is missing)
deploy-check: deps
	@missing=""; command -v nginx >/dev/null 2>&1 || missing="$$missing nginx"; \
	  command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	  command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  test -f $(OG_FONT) || missing="$$missing fonts-ipaexfont-gothic"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else echo "make deploy-check needs root (and these packages:$$missing)" >&2; exit 1; fi; fi
	$(UV) run --frozen python deploy/check.py

## lint: ruff check, ruff format --check, mypy
lint: deps
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	DJANGO_DEBUG=1 $(UV) run --frozen mypy .

## bench: engine micro-benchmarks, then the load benchmark (report in bench/results/latest.md)
# bench.load runs bench.engine first, so that a missed engine budget still leaves a whole report;
# it exits non-zero once everything is reported if any budget was missed.
bench: deps fonts chromium
	$(UV) sync --frozen --group bench
	@test -f .tools/lighthouse/node_modules/lighthouse/cli/index.js || npm install --no-save --no-audit --no-fund \
	  --ignore-scripts --loglevel=error --prefix .tools/lighthouse lighthouse@$(LIGHTHOUSE_VERSION)
	$(UV) run --frozen --group bench python -m bench.load

## profile: each benchmarked endpoint requested many times in one process under pyinstrument
profile: deps fonts
	$(UV) sync --frozen --group bench
	$(UV) run --frozen --group bench python -m bench.profile

## screenshots: phone screenshots (390x844) of the pages, in Japanese and English, in docs/screens/
screenshots: deps messages fonts chromium
	$(UV) run --frozen python -m bench.screens

setup: deps .env messages fonts migrate criteria

# uv is put on PATH (linked into /usr/local/bin as root), so the README's `uv run ...` lines work
# as printed on a fresh machine.
deps:
	@command -v uv >/dev/null 2>&1 || { \
	  python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
	    || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet --user --break-system-packages uv; \
	  if [ "$$(id -u)" = 0 ]; then ln -sf "$$(python3 -c 'import uv; print(uv.find_uv_bin())')" /usr/local/bin/uv; \
	  else echo "uv is installed but not on PATH: add $$(dirname "$$(python3 -c 'import uv; print(uv.find_uv_bin())')") to PATH." >&2; fi; }
	$(UV) sync --frozen

# Local development settings, read by config/settings.py: debug on and a key of this checkout's
# own. Written once, readable by you alone, ignored by git; production sets its environment instead.
.env:
	@umask 077 && printf '%s\n' '# Local development only: written by make setup, ignored by git.' 'DJANGO_DEBUG=1' \
	  "DJANGO_SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env (DJANGO_DEBUG=1 and a generated secret key) for local development."

messages:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext >/dev/null; \
	  else echo "msgfmt is missing: install gettext (sudo apt-get install gettext) and run make again." >&2; exit 1; fi; }
	DJANGO_DEBUG=1 $(MANAGE) compilemessages -v0 --ignore=.venv

# Result images are drawn with a Japanese font from Debian's fonts-ipaexfont-gothic.
fonts:
	@test -f $(OG_FONT) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fonts-ipaexfont-gothic >/dev/null; \
	  else echo "The Japanese font for result images is missing: sudo apt-get install fonts-ipaexfont-gothic" >&2; exit 1; fi; }

migrate:
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput -v0

# Seeds an empty database; later, a changed file becomes a proposal for editors, never an
# overwrite of what they published (see setup_criteria).
criteria:
	DJANGO_DEBUG=1 $(MANAGE) setup_criteria

chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium" >&2; exit 1; fi; }

# The Nu Html Checker (npm vnu-jar, run with Java) validates every page type in the tests.
vnu:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "The HTML validity tests need Java: sudo apt-get install default-jre-headless" >&2; exit 1; fi; }
	@test -f $(VNU) || npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error --prefix .tools/vnu vnu-jar@$(VNU_VERSION)

## messages-update: re-extract UI strings into locale/en (needs gettext)
messages-update:
	DJANGO_DEBUG=1 $(MANAGE) makemessages -l en --ignore=.venv --ignore=staticfiles

clean:
	rm -rf staticfiles .pytest_cache .mypy_cache .ruff_cache
