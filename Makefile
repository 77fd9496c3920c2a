# The two commands of README.md: `make book` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test lab clean

# (Re)install whenever the pins or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

# Strict build: a warning, a failing cell or a broken reference fails it.
book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

# The whole suite; it checks the HTML that `book` builds.
test: book
	$(BIN)/python -m pytest

# Open the chapters as notebooks (jupytext reads the MyST markdown).
lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

clean:
	rm -rf _build
