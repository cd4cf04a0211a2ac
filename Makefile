# Two commands on a fresh machine: `make site` (fresh benchmark run + site) and `make test`.
# Both create .venv and install from constraints.txt when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PRESET ?= quick
STAMP := $(VENV)/.installed

.PHONY: site build test test-fast serve clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[torch,tensorflow,ecosystem,test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/fwbench run --preset $(PRESET)
	$(BIN)/fwbench build

build: $(STAMP)
	$(BIN)/fwbench build

serve: $(STAMP)
	$(BIN)/fwbench serve

test: $(STAMP)
	$(BIN)/python -m pytest -m "e2e or not e2e" --durations=25

test-fast: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf site $(VENV)
