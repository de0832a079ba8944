# Two commands matter: `make demo` (the app on its embedded demo, a local hub beside it)
# and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo demo-offline demo-hub test lint screenshots bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres,sqlcipher]"
	touch $(STAMP)

# The demo terminal with a local hub beside it, as a force deploys it: officers sign in
# against the hub and records go from "waiting" to "synced".
demo: $(STAMP)
	$(BIN)/firstresponse demo

# The demo terminal alone on its own store, as a laptop with no signal.
demo-offline: $(STAMP)
	$(BIN)/firstresponse demo --offline

demo-hub: demo  # the name earlier releases used

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile

# Style, types (unused ignores are errors) and the layer contract of shared/DESIGN.md.
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# The README's pictures are the snapshot tests' SVGs (tests/functional/test_snapshots.py):
# update them, then copy each test_screen[NAME].svg to screens/NAME.svg.
SNAPSHOTS = tests/functional/__snapshots__/test_snapshots
screenshots: $(STAMP)
	$(BIN)/python -m pytest tests/functional/test_snapshots.py -q -n 2 --snapshot-update
	rm -f screens/*.svg
	@for svg in $(SNAPSHOTS)/test_screen*.svg; do \
		name=$${svg##*[}; cp "$$svg" "screens/$${name%]*}.svg"; echo "screens/$${name%]*}.svg"; \
	done

# Every bench/ script in turn, each printing its own figures (slow: the lookup bench builds 1M people).
bench: $(STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
