"""Every page of the book on a phone, 390 × 844 CSS px, in headless Chromium:
nothing scrolls the page sideways, no equation number lies on its formula,
and the text of every figure and slider chart is at least 9 CSS px tall as
the phone shows it (its size in the figure's own pixels, scaled by the width
the browser draws the figure at)."""

import io

import pytest
from PIL import Image
from test_browser_pages import wait_for_mathjax

from book_utils._panels_png import TEXT_KEY

from book_toc import read_toc

pytestmark = pytest.mark.browser

PHONE = (390, 844)
MIN_TEXT_PX = 9
TOC = read_toc()

# The equation number's box and the formula's, for every numbered equation.
EQUATIONS = """() => [...document.querySelectorAll("article div.math")].filter(d => d.querySelector(".eqno")).map(d => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {id: d.id, number: box(d.querySelector(".eqno")), formula: box(d.querySelector("mjx-container"))};
})"""
# Each figure as drawn: the file the browser chose (<picture>), its width in
# its own pixels and on the screen.
IMAGES = """() => [...document.querySelectorAll("article figure img")].map(i => ({
  src: i.currentSrc, natural: i.naturalWidth, shown: i.getBoundingClientRect().width,
}))"""
# Each panel of a slider chart: the smallest font size in its own units, the
# width of its viewBox and on the screen.
CHARTS = """() => [...document.querySelectorAll(".bu-slider .bu-chart svg")].map(s => ({
  smallest: Math.min(...[...s.querySelectorAll("text")].map(t => +t.getAttribute("font-size"))),
  view: s.viewBox.baseVal.width, shown: s.getBoundingClientRect().width,
}))"""


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("toc_page", TOC, ids=str)
def test_page_fits_a_phone(open_page, built_html, toc_page):
    page, log = open_page(toc_page.html, viewport=PHONE)
    page.wait_for_load_state("networkidle")
    wait_for_mathjax(page)
    width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= PHONE[0], f"{toc_page.html} scrolls sideways: {width} px wide at {PHONE[0]} px"

    for eq in page.evaluate(EQUATIONS):
        assert not overlap(eq["number"], eq["formula"]), f"{toc_page.html}: the number of {eq['id']} is on its formula"

    for img in page.evaluate(IMAGES):
        if not img["shown"]:
            continue  # inside a closed solution: not drawn
        name = img["src"].rsplit("/", 1)[-1]
        info = Image.open(io.BytesIO((built_html / "_images" / name).read_bytes())).info
        assert TEXT_KEY in info, f"{name}: no {TEXT_KEY} in the PNG (figures drawn by book_utils carry it)"
        shown = float(info[TEXT_KEY]) * img["shown"] / img["natural"]
        assert shown >= MIN_TEXT_PX, f"{toc_page.html}: text of {name} is {shown:.1f} px on a phone"

    for chart in page.evaluate(CHARTS):
        shown = chart["smallest"] * chart["shown"] / chart["view"]
        assert shown >= MIN_TEXT_PX, f"{toc_page.html}: slider text {shown:.1f} px on a phone"
    assert not log.console_errors and not log.page_errors


def test_a_wide_figure_is_stacked_on_a_phone_only(open_page):
    # The first figure of the sigmoid page has two panels side by side: the
    # phone gets the stacked image (taller than wide), a wide screen the original.
    sources = {}
    for viewport in (PHONE, (1280, 900)):
        page, _ = open_page("chapters/sigmoid.html", viewport=viewport)
        sources[viewport] = page.locator("article figure img").first.evaluate(
            "i => [i.currentSrc, i.naturalWidth, i.naturalHeight]"
        )
    (phone, w, h), (desk, W, H) = sources[PHONE], sources[(1280, 900)]
    assert phone.endswith("-narrow.png") and h > w
    assert not desk.endswith("-narrow.png") and W > H
