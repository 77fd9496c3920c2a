"""Every built page, read as an offline reader would, in headless Chromium.

All requests that leave 127.0.0.1 are blocked; the checks: nothing was
blocked or failed, no console error, the math is typeset (no TeX source
visible), every image loaded and has Japanese alt text, toggles and sliders
are keyboard-operable, and the search page finds Japanese words.
"""

import re

import jupytext
import pytest
from test_built_html import figure_cells

from book_toc import read_toc

pytestmark = pytest.mark.browser

TOC = read_toc()
# Sphinx's own pages besides the toc: the redirect to the root, search, index.
PAGES = [p.html for p in TOC] + ["index.html", "search.html", "genindex.html"]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def wait_for_mathjax(page):
    page.wait_for_function(
        "() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise"
        " && (window.__mj_done || (window.MathJax.startup.promise.then(() => window.__mj_done = true), false)))",
        timeout=20_000,
    )


@pytest.mark.parametrize("path", PAGES)
def test_page_works_offline(open_page, path):
    page, log = open_page(path)
    page.wait_for_load_state("networkidle")
    wait_for_mathjax(page)
    assert page.locator("html").get_attribute("lang") == "ja"
    assert not log.blocked, f"requests leaving the site: {log.blocked}"
    assert not log.failed, f"failed requests: {log.failed}"
    assert not log.console_errors, log.console_errors
    assert not log.page_errors, log.page_errors


@pytest.mark.parametrize("toc_page", TOC, ids=str)
def test_math_is_typeset(open_page, toc_page):
    path = toc_page.html
    page, _ = open_page(path)
    wait_for_mathjax(page)
    # Every math element Sphinx wrote was rendered by MathJax.
    math = page.locator("article span.math, article div.math")
    if any("$" in cell.source for cell in jupytext.read(toc_page.source).cells if cell.cell_type == "markdown"):
        assert math.count() > 0, f"{path}: math in the source, none on the page"
    assert page.locator("article mjx-container").count() >= math.count()
    assert math.evaluate_all("els => els.filter(e => !e.querySelector('mjx-container')).length") == 0
    text = page.locator("article").inner_text()
    for raw in [r"\frac", r"\begin{", r"\sigma", "$$", r"\("]:
        assert raw not in text, f"raw TeX {raw!r} visible on {path}"
    # On a desktop-width page no display equation is cut off at the right.
    too_wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('div.math')).filter(d => {
             const m = d.querySelector('mjx-container'); return m && m.scrollWidth > d.clientWidth + 2;
           }).map(d => d.id)"""
    )
    assert not too_wide, f"equations wider than the text column on {path}: {too_wide}"


@pytest.mark.parametrize("toc_page", TOC, ids=str)
def test_images_load_with_alt_text(open_page, toc_page):
    page, _ = open_page(toc_page.html)
    page.wait_for_load_state("networkidle")
    images = page.locator("article img")
    assert images.count() >= figure_cells(toc_page)
    for i in range(images.count()):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        assert img.evaluate("el => el.complete && el.naturalWidth > 0"), img.get_attribute("src")
        alt = img.get_attribute("alt") or ""
        assert JAPANESE.search(alt), f"{img.get_attribute('src')}: alt text {alt!r}"
    # Every figure has a caption.
    assert page.locator("article figure").count() == page.locator("article figure figcaption").count()


def test_code_toggle_is_keyboard_operable(open_page):
    page, _ = open_page("chapters/sigmoid.html")
    toggle = page.locator(".tag_hide-input details summary").first
    code = page.locator(".tag_hide-input .cell_input").first
    toggle.scroll_into_view_if_needed()
    assert not code.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert code.is_visible()
    assert JAPANESE.search(toggle.get_attribute("aria-label") or ""), "the toggle's accessible name is not Japanese"


@pytest.mark.parametrize(
    "query,expected",
    [
        ("活性化関数", "chapters/index.html"),
        ("シグモイド", "chapters/sigmoid.html"),
        ("勾配消失", "chapters/sigmoid.html"),
        ("温度", "chapters/softmax.html"),
        ("勾配消失", "chapters/comparison.html"),
    ],
)
def test_search_finds_japanese_words(open_page, query, expected):
    page, log = open_page(f"search.html?q={query}")
    results = page.locator("#search-results li")
    results.first.wait_for(timeout=15_000)
    links = results.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(expected in (href or "") for href in links), (query, links)
    assert not log.console_errors and not log.page_errors and not log.blocked
