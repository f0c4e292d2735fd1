# Haven — developer commands. `make run` and `make test` are the two-command quick start.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Starts embedded PostgreSQL/Redis when DATABASE_URL/REDIS_URL are not set.
WITH_SERVICES := $(BIN)/python -m config.devservices --
# What needs the database's owner (migrations, creating test and benchmark databases) runs
# with MIGRATION_DATABASE_URL; everything else with DATABASE_URL, the application role.
AS_OWNER := DATABASE_URL="$${MIGRATION_DATABASE_URL:-$$DATABASE_URL}"
BOOTSTRAP_VERSION ?= 5.3.9
AXE_VERSION ?= 4.14.1
# Haven's packages, lowest layer first (docs/layout.md).
APPS := config core notices accounts referrals sessions_booking partners home reports dataprotection

.PHONY: run test test-clocks audit bench profile lint format chromium gettext translations clean vendor-bootstrap vendor-axe lock

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

## run: migrate, load demo data, serve web + Celery worker + beat on http://127.0.0.1:8000
run: $(STAMP)
	$(WITH_SERVICES) sh -c '$(AS_OWNER) $(BIN)/python manage.py migrate --noinput && \
		$(BIN)/python manage.py seed_demo && \
		PATH="$(CURDIR)/$(BIN):$$PATH" exec $(BIN)/honcho start --procfile Procfile.dev'

## test: lint, migration check and the whole suite on PostgreSQL and Redis
test: $(STAMP) chromium gettext
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit -q -c pyproject.toml -r $(APPS) bench
	$(WITH_SERVICES) sh -c '$(BIN)/python manage.py makemigrations --check --dry-run && \
		$(AS_OWNER) $(BIN)/python -m pytest $(PYTEST_ARGS)'

## test-clocks: the suite again with every test's clock moved (tests/support/clock.py): a year
## ahead, then half an hour before the UK clocks go forward and go back; CLOCKS to choose.
## Tests marked any_day (what they prove cannot depend on the date) are not repeated.
CLOCKS ?= year-ahead spring-forward fall-back
test-clocks: $(STAMP) chromium gettext
	$(WITH_SERVICES) sh -c 'failed=""; for clock in $(CLOCKS); do \
		echo "=== clock: $$clock"; \
		$(AS_OWNER) $(BIN)/python -m pytest --clock=$$clock -m "not any_day" $(PYTEST_ARGS) || failed="$$failed $$clock"; \
	done; if [ -n "$$failed" ]; then echo "failed on:$$failed" >&2; exit 1; fi'

## audit: known vulnerabilities in the pinned dependencies (pip-audit; needs the network)
audit: $(STAMP)
	$(BIN)/pip-audit --strict --progress-spinner off --no-deps --disable-pip \
		-r requirements/constraints.txt

## bench: benchmarks on a PostgreSQL database and Redis database of their own (bench/README.md)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[bench]'
	$(WITH_SERVICES) sh -c '$(AS_OWNER) $(BIN)/python -m bench.run $(BENCH_ARGS)'

## profile: server CPU per page, in-process (bench/README.md); PROFILE_ARGS="--reuse-db" etc.
profile: $(STAMP)
	$(WITH_SERVICES) sh -c '$(AS_OWNER) $(BIN)/python -m bench.profile_pages $(PROFILE_ARGS)'

# The browser tests use the system's Chromium; install it (as root, Debian/Ubuntu) if missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Chromium first: sudo apt-get install chromium" >&2; exit 1; fi; }
	@# Fonts for Urdu, Gurmukhi and Bengali, so screenshots show words, not boxes.
	@fc-list 2>/dev/null | grep -q "Noto Sans Gurmukhi" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq fonts-noto-core >/dev/null; \
	  else echo "For readable screenshots: sudo apt-get install fonts-noto-core" >&2; fi; }

# The translation tests run makemessages and msgfmt (GNU gettext); install it if missing.
gettext:
	@command -v msgfmt >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq gettext >/dev/null; \
	  else echo "Install gettext first: sudo apt-get install gettext" >&2; exit 1; fi; }

## translations: update locale/*/django.po from the code and compile them (docs/languages.md)
translations: $(STAMP) gettext
	$(BIN)/python manage.py update_translations

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## vendor-bootstrap: replace static/vendor/bootstrap with the given npm release
vendor-bootstrap:
	rm -rf /tmp/haven-bootstrap && mkdir -p /tmp/haven-bootstrap
	cd /tmp/haven-bootstrap && npm pack --silent bootstrap@$(BOOTSTRAP_VERSION) && tar xzf bootstrap-$(BOOTSTRAP_VERSION).tgz
	rm -rf static/vendor/bootstrap && mkdir -p static/vendor/bootstrap
	cp /tmp/haven-bootstrap/package/dist/css/bootstrap.min.css /tmp/haven-bootstrap/package/dist/css/bootstrap.min.css.map \
	   /tmp/haven-bootstrap/package/dist/css/bootstrap.rtl.min.css /tmp/haven-bootstrap/package/dist/css/bootstrap.rtl.min.css.map \
	   /tmp/haven-bootstrap/package/dist/js/bootstrap.bundle.min.js /tmp/haven-bootstrap/package/dist/js/bootstrap.bundle.min.js.map \
	   /tmp/haven-bootstrap/package/LICENSE static/vendor/bootstrap/
	echo "bootstrap $(BOOTSTRAP_VERSION) from the npm registry (npm pack bootstrap@$(BOOTSTRAP_VERSION))" > static/vendor/bootstrap/VERSION

## vendor-axe: replace tests/browser/vendor (axe-core, for the browser tests only) with the given npm release
vendor-axe:
	rm -rf /tmp/haven-axe && mkdir -p /tmp/haven-axe
	cd /tmp/haven-axe && npm pack --silent axe-core@$(AXE_VERSION) && tar xzf axe-core-$(AXE_VERSION).tgz
	rm -rf tests/browser/vendor && mkdir -p tests/browser/vendor
	cp /tmp/haven-axe/package/axe.min.js /tmp/haven-axe/package/LICENSE /tmp/haven-axe/package/LICENSE-3RD-PARTY.txt \
	   tests/browser/vendor/
	echo "axe-core $(AXE_VERSION) from the npm registry (npm pack axe-core@$(AXE_VERSION)); injected into pages by the browser tests, never served by Haven" > tests/browser/vendor/VERSION

## lock: refresh requirements/constraints.txt from a clean install of pyproject.toml
lock:
	rm -rf /tmp/haven-lock && $(PYTHON) -m venv /tmp/haven-lock
	/tmp/haven-lock/bin/pip install --quiet --upgrade pip
	/tmp/haven-lock/bin/pip install --quiet -e '.[dev,bench]'
	/tmp/haven-lock/bin/pip freeze --exclude-editable | grep -v '^-e ' > requirements/constraints.txt

clean:
	rm -rf $(VENV) .data staticfiles .coverage htmlcov
