# The two commands of README.md: `make book` and `make test`.
PYTHON ?= python3
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test pdf lab clean

# (Re)install whenever the pins or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

# Strict build: a warning, a failing cell or a broken reference fails it.
# The log is kept for the tests (tests/test_built_html.py reads it).
book: $(STAMP)
	mkdir -p _build
	$(BIN)/jupyter-book build . -W -n --keep-going 2>&1 | tee _build/build.log

# The whole suite; it checks the HTML that `book` builds. Lint and format first:
# they fail in a second, the suite takes minutes.
test: book
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# The whole chapter as one PDF in _build/pdf/, printed offline from the built
# HTML by the Chromium the browser tests use (tools/book_pdf.py).
pdf: book
	$(BIN)/python tools/book_pdf.py

# Open the chapters as notebooks (jupytext reads the MyST markdown). Lab reads
# lab/ (JUPYTER_CONFIG_PATH): a double-click opens a chapter as a notebook, and
# opening one does not modify it. Lab refuses root without --allow-root (a
# container often runs as root), so it is passed then, with a note.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP)
ifneq ($(LAB_ROOT),)
	@echo "make lab: running as root, so JupyterLab starts with --allow-root (kernels run as root too)."
endif
	JUPYTER_CONFIG_PATH=$(CURDIR)/lab $(BIN)/jupyter lab $(LAB_ROOT) chapters/

clean:
	rm -rf _build
