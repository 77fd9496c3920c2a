"""The sliders in the built HTML, driven with the keyboard in headless Chromium.

No kernel and no network: every request that leaves 127.0.0.1 is blocked.
"""

import pytest

pytestmark = pytest.mark.browser

CASES = [
    # page, what the slider changes, presses, label before, label after
    ("chapters/sigmoid.html", "ArrowRight", 10, "1.00", "3.16"),
    ("chapters/softmax.html", "ArrowLeft", 8, "1.00", "0.16"),
]
# The modern page has three: Leaky ReLU's slope, ELU's alpha, SiLU's beta.
MODERN = [(0, "ArrowRight", 3, "0.01", "0.10"), (1, "ArrowLeft", 5, "1.00", "0.50"), (2, "ArrowRight", 10, "1.00", "10.00")]


@pytest.mark.parametrize("path,key,presses,before,after", CASES)
def test_slider_moves_the_plot_with_the_keyboard(open_page, path, key, presses, before, after):
    page, log = open_page(path)
    slider = page.locator(".bu-slider").first
    slider.scroll_into_view_if_needed()
    control = slider.locator("input[type=range]")
    assert control.is_visible(), "the script did not reveal the slider"
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


@pytest.mark.parametrize("index,key,presses,before,after", MODERN)
def test_modern_page_sliders(open_page, index, key, presses, before, after):
    page, log = open_page("chapters/modern.html")
    slider = page.locator(".bu-slider").nth(index)
    slider.scroll_into_view_if_needed()
    assert slider.locator("output").inner_text() == before
    read = "els => els.map(e => e.getAttribute('d'))"
    d_before = slider.locator("path[data-key]").evaluate_all(read)
    slider.locator("input[type=range]").focus()
    for _ in range(presses):
        page.keyboard.press(key)
    assert slider.locator("output").inner_text() == after
    assert slider.locator("path[data-key]").evaluate_all(read) != d_before
    assert not log.console_errors and not log.page_errors and not log.blocked


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
SLIDER_PAGES = [("chapters/sigmoid.html", 1), ("chapters/softmax.html", 1), ("chapters/modern.html", 3)]


@pytest.mark.parametrize("path,count", SLIDER_PAGES)
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
            drawn = slider.locator("svg").evaluate(GEOMETRY)
            view, plots = drawn["view"], drawn["plots"]
            assert plots and drawn["items"]
            for item in drawn["items"]:
                x0, y0, x1, y1 = item["box"]
                where = (path, i, key, item["tag"], item["text"], item["box"])
                assert view[0] <= x0 and x1 <= view[2] and view[1] <= y0 and y1 <= view[3], where
                assert not any(x0 < p[2] and p[0] < x1 and y0 < p[3] and p[1] < y1 for p in plots), where
                if item["tag"] == "text":
                    # 1 px for rounding: a CJK glyph's box is a hair over its 1 em advance.
                    assert x1 - x0 <= text_width(item["text"], item["size"]) + 1, where
    assert not log.console_errors and not log.page_errors
