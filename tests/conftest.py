"""Shared test set-up: mpmath precision, the built book, headless Chromium,
the reference frameworks (PyTorch, JAX)."""

from __future__ import annotations

import functools
import http.server
import importlib
import os
import shutil
import threading
from pathlib import Path

import mpmath as mp
import pytest
from hypothesis import settings

# References in mpmath carry far more digits than float64 needs (~16), so
# they are exact to the last bit of every result compared against them.
mp.mp.dps = 60

# In CI the property-based tests replay the same examples on every run
# (a failure there is then reproducible); locally they explore anew.
IN_CI = os.environ.get("CI") == "true"
settings.register_profile("ci", derandomize=True, deadline=None)
if IN_CI:
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"

# Experiments of tests/test_catalogue.py, run in a subprocess only: a toy
# activation added as one catalogue row and one oracle (every generated test
# must pick it up), or a public function added to book_utils without a row
# (the suite must fail and name it).
if os.environ.get("BOOK_UTILS_TOY"):
    import toy_activation

    toy_activation.register()
if os.environ.get("BOOK_UTILS_STRAY"):
    import book_utils.modern

    def stray(x):
        return x

    stray.__module__ = "book_utils.modern"
    book_utils.modern.stray = stray
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _missing(message: str):
    """Outside CI a missing prerequisite skips, with the reason; in CI it fails."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _reference(module: str):
    """Import a reference framework of requirements-references.txt, or report it missing.

    The book does not need PyTorch or JAX, so locally the tests that compare
    against them skip without them; CI installs them (.ci/run), so there a
    missing or broken one fails those tests.
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        _missing(
            f"{module} is not importable ({error}): it is a test reference, not a dependency of "
            "the book; install it with `.venv/bin/pip install -r requirements-references.txt`"
        )


@pytest.fixture(scope="session")
def torch():
    return _reference("torch")


@pytest.fixture(scope="session")
def jax():
    """JAX in float64 (x64 enabled), so it is compared at the precision of book_utils."""
    jax = _reference("jax")
    jax.config.update("jax_enable_x64", True)
    return jax


@pytest.fixture(scope="session")
def built_html() -> Path:
    if not (HTML / "chapters" / "index.html").exists():
        _missing("_build/html is missing: run `make book` (`make test` builds it first)")
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@pytest.fixture(scope="session")
def site(built_html):
    """Serve _build/html on 127.0.0.1 (an ephemeral port) for the session."""
    handler = functools.partial(_QuietHandler, directory=str(built_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(
            f"no Chromium at {CHROMIUM}: install Debian's `chromium` (apt-get install chromium) "
            "or set CHROMIUM; Playwright cannot download browsers here"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class PageLog:
    """What a page did that a test may assert on."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.blocked: list[str] = []
        self.failed: list[str] = []


@pytest.fixture
def open_page(browser, site):
    """Open a page of the built book with every non-loopback request blocked.

    Returns ``(page, log)``; the page is closed after the test.
    """
    contexts = []

    def _open(path: str, viewport=(1200, 900)):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        page = context.new_page()
        log = PageLog()

        def route(r):
            if r.request.url.startswith(site) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                log.blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: log.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: log.failed.append(r.url) if r.url.startswith(site) else None)
        page.goto(f"{site}/{path}", wait_until="load")
        return page, log

    yield _open
    for context in contexts:
        context.close()
