"""The sliders in the built HTML, driven with the keyboard in headless Chromium.

No kernel and no network: every request that leaves 127.0.0.1 is blocked.
"""

import re
from pathlib import Path

import pytest

from book_toc import read_toc

pytestmark = pytest.mark.browser

HTML = Path(__file__).resolve().parents[1] / "_build" / "html"
# What each slider of these pages shows, in page order: the key pressed,
# how often, the value before and after.
SLIDERS = {
    "chapters/sigmoid.html": [("ArrowRight", 10, "1.00", "3.16")],
    "chapters/softmax.html": [("ArrowLeft", 8, "1.00", "0.16")],
    # Leaky ReLU's slope, ELU's alpha, SiLU's beta.
    "chapters/modern.html": [
        ("ArrowRight", 3, "0.01", "0.10"),
        ("ArrowLeft", 5, "1.00", "0.50"),
        ("ArrowRight", 10, "1.00", "10.00"),
    ],
}
CASES = [(path, i, *case) for path, cases in SLIDERS.items() for i, case in enumerate(cases)]
SLIDER = re.compile(r'class="(?:[^"]*\s)?bu-slider(?:\s[^"]*)?"')


def slider_pages() -> dict[str, int]:
    """Each toc page whose built HTML has sliders -> how many (elements of class bu-slider)."""
    found = {}
    for page in read_toc():
        path = HTML / page.html
        count = len(SLIDER.findall(path.read_text(encoding="utf-8"))) if path.exists() else 0
        if count:
            found[page.html] = count
    return found


def test_slider_pages_are_found(built_html):
    # The legend test's pages come from the build (none without one): the
    # pages with known sliders must be among them, with as many.
    assert {path: n for path, n in slider_pages().items() if path in SLIDERS} == {p: len(c) for p, c in SLIDERS.items()}


@pytest.mark.parametrize("path,index,key,presses,before,after", CASES)
def test_slider_moves_the_plot_with_the_keyboard(open_page, path, index, key, presses, before, after):
    page, log = open_page(path)
    slider = page.locator(".bu-slider").nth(index)
    slider.scroll_into_view_if_needed()
    control = slider.locator("input[type=range]")
    assert control.is_visible(), "the script did not reveal the slider"
    assert slider.locator("output").inner_text() == before
    label = slider.locator("label")
    assert label.inner_text().strip() == f"{label.inner_text().split('=')[0].strip()} = {before}"

    drawn = slider.locator("path[data-key]")
    read = "els => els.map(e => e.getAttribute('d'))"
    d_before = drawn.evaluate_all(read)
    shot_before = slider.screenshot()

    control.focus()
    for _ in range(presses):
        page.keyboard.press(key)

    assert slider.locator("output").inner_text() == after
    assert control.get_attribute("aria-valuetext").endswith(f"= {after}")
    d_after = drawn.evaluate_all(read)
    changed = sum(a != b for a, b in zip(d_before, d_after))
    assert changed >= 1, "no curve or bar changed"
    assert slider.screenshot() != shot_before
    assert not log.console_errors, log.console_errors
    assert not log.page_errors, log.page_errors
    assert not log.blocked, log.blocked


def test_slider_works_from_disk_without_a_server(browser, built_html):
    """A downloaded copy opened as file://, with the network cut entirely."""
    context = browser.new_context(offline=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((built_html / "chapters" / "sigmoid.html").as_uri())
    slider = page.locator(".bu-slider").first
    control = slider.locator("input[type=range]")
    control.focus()
    before = slider.locator("path[data-key]").evaluate_all("els => els.map(e => e.getAttribute('d'))")
    page.keyboard.press("End")
    after = slider.locator("path[data-key]").evaluate_all("els => els.map(e => e.getAttribute('d'))")
    assert slider.locator("output").inner_text() == "10.00"
    assert before != after
    assert not errors, errors
    context.close()


# Where the browser draws each legend element, in the SVG's own units (nothing is transformed).
GEOMETRY = """svg => {
  const box = b => [b.x, b.y, b.x + b.width, b.y + b.height];
  const vb = svg.viewBox.baseVal;
  return {
    view: [vb.x, vb.y, vb.x + vb.width, vb.y + vb.height],
    plots: [...svg.querySelectorAll("rect.bu-plot")].map(r => box(r.getBBox())),
    items: [...svg.querySelectorAll("g.bu-legend > *")].map(e => ({
      tag: e.tagName, text: e.textContent, box: box(e.getBBox()),
      size: +(e.getAttribute("font-size") || 0),
    })),
  };
}"""


@pytest.mark.parametrize("path,count", slider_pages().items())
def test_legends_are_drawn_outside_the_plot(open_page, path, count):
    """At both ends of every slider: each legend element (the marker's text
    included) is inside the picture and off every plotting rectangle, and no
    label is wider than the width the layout reserved for it."""
    # Private, and no public stand-in: the check is that the browser's glyphs
    # fit the widths the layout's own estimate reserved.
    from book_utils._svgchart import text_width

    page, log = open_page(path)
    sliders = page.locator(".bu-slider")
    assert sliders.count() == count
    for i in range(count):
        slider = sliders.nth(i)
        slider.scroll_into_view_if_needed()
        slider.locator("input[type=range]").focus()
        for key in ("Home", "End"):
            page.keyboard.press(key)
            for drawn in slider.locator("svg").evaluate_all(f"svgs => svgs.map({GEOMETRY})"):
                check_legend(drawn, (path, i, key), text_width)
    assert not log.console_errors and not log.page_errors


def check_legend(drawn, where, text_width):
    """One panel's SVG: each legend element inside its view and off the plotting rectangle."""
    view, plots = drawn["view"], drawn["plots"]
    assert plots and drawn["items"]
    for item in drawn["items"]:
        x0, y0, x1, y1 = item["box"]
        at = (*where, item["tag"], item["text"], item["box"])
        assert view[0] <= x0 and x1 <= view[2] and view[1] <= y0 and y1 <= view[3], at
        assert not any(x0 < p[2] and p[0] < x1 and y0 < p[3] and p[1] < y1 for p in plots), at
        if item["tag"] == "text":
            # 1 px for rounding: a CJK glyph's box is a hair over its 1 em advance.
            assert x1 - x0 <= text_width(item["text"], item["size"]) + 1, at
