# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
TODAY ?=
TODAY_ARG := $(if $(TODAY),--today $(TODAY),)

.PHONY: site test serve check bench browser clean

site: $(STAMP)
	$(PY) -m generator build $(TODAY_ARG)

check: $(STAMP)
	$(PY) -m generator check $(TODAY_ARG)

serve: $(STAMP)
	$(PY) -m generator serve $(TODAY_ARG)

test: $(STAMP) browser
	$(PY) -m pytest

# Creates the venv and installs the exact pins (never a pre-release).
$(STAMP): requirements.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	touch $@

# Browser tests drive Debian's Chromium (with a Japanese font, so print layout is real).
# Install them when missing and we may (CI runs as root).
BROWSER_PACKAGES := chromium fonts-noto-cjk
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "ブラウザテスト用に $(BROWSER_PACKAGES) をインストールします"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	  else \
	    echo "注意: Chromium か日本語フォントがないため、ブラウザテストの一部が省略されます（sudo apt-get install $(BROWSER_PACKAGES)）"; \
	  fi; \
	fi

clean:
	rm -rf build site .pytest_cache
