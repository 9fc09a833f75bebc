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

# Browser tests drive Debian's Chromium. Install it when missing and we may (CI runs as root).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Chromium をインストールします（ブラウザテスト用）"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "注意: /usr/bin/chromium がないためブラウザテストは省略されます（sudo apt-get install chromium）"; \
	  fi; \
	fi

clean:
	rm -rf build site .pytest_cache
