# Yachi — everything a machine needs, from nothing but Python.
#
#   make demo   install, create the demo chain, serve it on http://127.0.0.1:8000
#   make test   install (with Chromium for browser tests), lint, run the whole suite
#               on SQLite and on PostgreSQL + Redis

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin

# The PostgreSQL + Redis pass of the suite; override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/yachi
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# Test processes per pass (pytest-xdist); each has its own data directory and databases.
TEST_WORKERS ?= auto
# The HTTP and API benches' own database and Redis database (both flushed by a run).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/yachi_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/11

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Python keeps its compiled modules (__pycache__, ignored by git) even where the
# environment says not to: the suite starts dozens of Python processes (test workers,
# servers, start-up checks, lint), and each would otherwise compile Django and the
# project anew, seconds of CPU apiece (a test worker: 15 s of CPU to start instead of 7.5).
export PYTHONDONTWRITEBYTECODE :=

.PHONY: demo serve install install-test browser-packages system-test-packages node-test-packages balancer-packages dicom-packages bench-packages test lint test-sqlite test-postgres messages openapi bench clean

demo: install
	$(BIN)/yachi demo --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/yachi serve --host $(HOST) --port $(PORT)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV) browser-packages
	$(UV) sync --frozen --python $(PYTHON) --quiet

install-test: install system-test-packages node-test-packages balancer-packages dicom-packages

# Debian's Chromium drives the browser tests; WenQuanYi renders Chinese in screenshots.
system-test-packages:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi wenquanyi; then :; else \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "Chromium is missing and this user cannot install it: apt-get install chromium fonts-wqy-microhei" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

# haproxy, the load balancer in front of several `yachi serve` instances (deploy/haproxy.cfg),
# from Debian: the tests of races spread over instances start one.
balancer-packages:
	@if command -v haproxy >/dev/null; then :; else \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "haproxy is missing and this user cannot install it: apt-get install haproxy" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq haproxy >/dev/null; \
	fi

# dcmtk, an independent DICOM sender (storescu, echoscu) from Debian: the DICOM node's tests
# send to `yachi dicom-node` with it as an X-ray unit would. Orthanc with its DICOMweb plugin,
# the PACS that YACHI_PACS_URL points at in a scaled-out clinic (ADR 0063): the tests start one.
dicom-packages:
	@if command -v storescu >/dev/null && [ -x /usr/sbin/Orthanc ] && [ -e /usr/share/orthanc/plugins/libOrthancDicomWeb.so ]; then :; else \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "dcmtk or Orthanc is missing and this user cannot install them: apt-get install dcmtk orthanc orthanc-dicomweb" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq dcmtk orthanc orthanc-dicomweb >/dev/null; \
	fi

# Browser libraries the pages load (ECharts), pinned in package.json + package-lock.json and
# served from node_modules by yachi.web.finders; npm ci runs again only when the lock changes.
browser-packages: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null; then :; else \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "npm is missing and this user cannot install it: apt-get install npm" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# axe-core, pinned in package.json + package-lock.json, which the browser tests load into
# every page they visit to check it against WCAG 2 A and AA.
node-test-packages:
	@if command -v npm >/dev/null; then :; else \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "npm is missing and this user cannot install it: apt-get install npm" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; \
	fi
	npm ci --no-audit --no-fund --loglevel=error

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m yachi.core.i18ncheck

test: install-test lint test-sqlite test-postgres

# The two passes run the same tests, but for those marked `embedded` (they start their
# processes on SQLite without Redis whatever the pass), which the PostgreSQL pass skips.
test-sqlite:
	@echo "== test suite on SQLite (embedded default)"
	$(BIN)/pytest -n $(TEST_WORKERS)

test-postgres:
	@if $(BIN)/python -m yachi.core.reachable "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"; then \
		echo "== test suite on PostgreSQL + Redis"; \
		DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(BIN)/pytest -n $(TEST_WORKERS); \
	elif [ -n "$$YACHI_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL or Redis is not reachable, but YACHI_REQUIRE_POSTGRES is set" >&2; exit 1; \
	else \
		echo "== PostgreSQL + Redis not reachable: their pass is skipped (set YACHI_REQUIRE_POSTGRES=1 to make this fatal)"; \
	fi

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=.tools --ignore=var --ignore=tests --no-obsolete
	$(BIN)/python manage.py compilemessages -l zh_Hans

openapi: install
	$(BIN)/python manage.py export_openapi docs/api/openapi.json

# wrk, the HTTP bench's load generator, from Debian.
bench-packages:
	@if command -v wrk >/dev/null; then :; else \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "wrk is missing and this user cannot install it: apt-get install wrk" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; \
	fi

# The in-process benches on the embedded default, then (where PostgreSQL and Redis are
# reachable) the API's in-process costs and the HTTP bench; see docs/benchmarks.md.
bench: install bench-packages
	$(BIN)/python bench/booking.py
	$(BIN)/python bench/crypto.py
	$(BIN)/python bench/crm_dashboard.py
	@if $(BIN)/python -m yachi.core.reachable "$(BENCH_DATABASE_URL)" "$(BENCH_REDIS_URL)"; then \
		DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(BENCH_REDIS_URL)" $(BIN)/python bench/api_profile.py && \
		DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(BENCH_REDIS_URL)" $(BIN)/python bench/http.py; \
	else \
		echo "== PostgreSQL + Redis not reachable: bench/api_profile.py and bench/http.py are skipped"; \
	fi

clean:
	rm -rf $(VENV) $(TOOLS) var test-results node_modules
