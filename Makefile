# Two commands on a fresh machine: `make site` (fresh benchmark run + site) and `make test`.
# Both create .venv and install from constraints.txt when needed, and the site's vendored scripts
# (plotly.js, tablesort) from their npm lock files.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PRESET ?= site
STAMP := $(VENV)/.installed
# `npm ci` writes node_modules/.package-lock.json: a stamp that is newer than the lock file once installed.
NPM_TOOLS := tools/plotly-bundle/node_modules/.package-lock.json tools/tablesort/node_modules/.package-lock.json

.PHONY: site build test test-fast serve clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[torch,tensorflow,ecosystem,test]'
	touch $(STAMP)

tools/%/node_modules/.package-lock.json: tools/%/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make: npm not found: the site serves plotly.js and tablesort from tools/$*, installed with npm (apt-get install npm)" >&2; exit 1; }
	npm ci --prefix tools/$* --no-audit --no-fund --loglevel=error

# A fresh run on this machine, then the site showing that run by default on every page (the committed
# runs stay in each page's selector). `fwbench run` prints the new run's id on stdout, its progress on stderr.
site: $(STAMP) $(NPM_TOOLS)
	run_id=$$($(BIN)/fwbench run --preset $(PRESET)) && $(BIN)/fwbench build --default-run "$$run_id"

# The published site: each page shows the reference rule's run (what the docs workflow deploys).
build: $(STAMP) $(NPM_TOOLS)
	$(BIN)/fwbench build

serve: $(STAMP)
	$(BIN)/fwbench serve

# The browser tests drive chromium: the system's, else Playwright's own, else Debian's through apt (tools/browser.sh).
test: $(STAMP) $(NPM_TOOLS)
	chromium=$$(bash tools/browser.sh $(BIN)/python) && FWBENCH_CHROMIUM="$$chromium" $(BIN)/python -m pytest -m "e2e or not e2e" --durations=25

test-fast: $(STAMP) $(NPM_TOOLS)
	$(BIN)/python -m pytest

clean:
	rm -rf site $(VENV) tools/*/node_modules
