# Two commands matter: `make demo` (the app on its embedded demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint screenshots bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres,sqlcipher]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/firstresponse demo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

screenshots: $(STAMP)
	$(BIN)/firstresponse screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
