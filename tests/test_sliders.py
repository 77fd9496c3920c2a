"""The slider helper: frames computed from book_utils, the Jupyter callback,
the static HTML it emits."""

import json
import re

import numpy as np
import pytest

import book_utils as bu
from book_utils.sliders import ParameterSlider, activation_slider, log_values, softmax_temperature_slider

X = np.linspace(-6, 6, 121)


def sigmoid_slider():
    return activation_slider(
        bu.sigmoid, bu.sigmoid_prime, param="a", values=log_values(0.1, 10), default=1.0, name="σ", x=X,
        ylim=(-0.05, 1.05), prime_ylim=(0, 2.6), marker=lambda a: (0.0, a / 4, f"ピーク a/4 = {a / 4:.3f}"),
    )


def path_points(d: str) -> np.ndarray:
    return np.array([[float(a), float(b)] for a, b in re.findall(r"[ML](-?[\d.]+) (-?[\d.]+)", d)])


def test_log_values_cover_the_range_and_hit_one():
    v = log_values(0.1, 10)
    assert v[0] == pytest.approx(0.1) and v[-1] == pytest.approx(10) and len(v) == 41
    assert np.any(np.isclose(v, 1.0, rtol=0, atol=1e-12))
    assert np.all(np.diff(v) > 0)


def test_frames_differ_between_values():
    frames = sigmoid_slider().frames()
    assert len(frames) == 41
    for a, b in zip(frames, frames[1:]):
        assert a["0-0"] != b["0-0"] and a["1-0"] != b["1-0"]


@pytest.mark.parametrize("index", [0, 20, 40])
def test_frames_are_book_utils_values(index):
    slider = sigmoid_slider()
    a = slider.values[index]
    frame = slider.frames()[index]
    for panel_index, key, expected in [(0, "0-0", bu.sigmoid(X, a=a)), (1, "1-0", bu.sigmoid_prime(X, a=a))]:
        mapping = slider.chart.frames[panel_index]
        points = path_points(frame[key])
        lo, hi = mapping.ylim
        y_back = lo + (mapping.y0 - points[:, 1]) / (mapping.y0 - mapping.y1) * (hi - lo)
        visible = (expected >= lo) & (expected <= hi)
        # Coordinates are written to 0.1 px, which is (hi - lo) / 206 px * 0.05 in data units.
        tolerance = 0.06 * (hi - lo) / (mapping.y0 - mapping.y1)
        assert np.allclose(y_back[visible], expected[visible], atol=tolerance, rtol=0)
    assert frame["1-1t"] == f"ピーク a/4 = {a / 4:.3f}"


def test_softmax_frames_are_book_utils_values():
    x = np.array([1.0, 2.5, 0.3, 2.0, -1.0])
    slider = softmax_temperature_slider(x, log_values(0.05, 20, per_decade=10))
    mapping = slider.chart.frames[0]
    for index in [0, 13, len(slider.values) - 1]:
        t = slider.values[index]
        tops = [float(v) for v in re.findall(r"V(-?[\d.]+)H", slider.frames()[index]["0-0"])]
        heights = (mapping.y0 - np.array(tops)) / (mapping.y0 - mapping.y1) * 1.05
        assert np.allclose(heights, bu.softmax(x / t), atol=0.002)
    low, high = slider.frames()[0]["0-0"], slider.frames()[-1]["0-0"]
    assert low != high


def test_jupyter_callback_redraws_the_chart():
    slider = sigmoid_slider()
    box = slider.widget()
    control, picture = box.children
    before = picture.value
    control.value = 30  # what dragging the slider does
    assert picture.value != before
    assert slider.value == slider.values[30]
    assert f"ピーク a/4 = {slider.values[30] / 4:.3f}" in picture.value
    assert picture.value == slider.render(30)


def test_mimebundle_has_live_widget_and_static_html():
    bundle = sigmoid_slider()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert '<input type="range"' in html and "<label" in html and "<output" in html
    assert "aria-valuetext=\"a = 1.00\"" in html
    data = json.loads(re.search(r'<script type="application/json">(.*?)</script>', html).group(1))
    assert len(data["frames"]) == len(data["labels"]) == 41
    assert data["labels"][20] == "1.00"
    # The browser only swaps strings: the script contains no formula.
    script = re.findall(r"<script>(.*?)</script>", html, re.S)[0]
    assert "Math." not in script and "exp" not in script


def test_static_html_weight_is_small():
    html = sigmoid_slider().to_html()
    assert len(html.encode()) < 1_000_000


def test_bad_values_are_rejected():
    with pytest.raises(ValueError, match="ParameterSlider needs at least two increasing values"):
        ParameterSlider([], name="a", values=[1.0], default=1.0, description="")
    with pytest.raises(ValueError, match="increasing"):
        ParameterSlider([], name="a", values=[2.0, 1.0], default=1.0, description="")


def test_unique_ids_per_slider():
    a = sigmoid_slider()
    b = softmax_temperature_slider([1.0, 2.0], [0.5, 1.0, 2.0])
    assert a.uid != b.uid and a.uid == sigmoid_slider().uid  # stable across builds


# --- the sliders of the chapters: legends outside the plot, no segment across a jump -------

def chapter_sliders():
    """The sliders as the chapters build them (sigmoid, softmax, modern)."""
    x = np.linspace(-6, 6, 201)
    wide = np.linspace(-5, 5, 161)
    return {
        "sigmoid a": activation_slider(
            bu.sigmoid, bu.sigmoid_prime, param="a", values=log_values(0.1, 10), default=1.0, name="σ", x=x,
            ylim=(-0.05, 1.05), prime_ylim=(0.0, 2.6), reference=("階段関数", bu.step),
            marker=lambda a: (0.0, a / 4, f"ピーク a/4 = {a / 4:.3f}"), jumps=(0.0,),
        ),
        "softmax T": softmax_temperature_slider(np.array([1.0, 2.5, 0.3, 2.0, -1.0]), log_values(0.05, 20, per_decade=10)),
        "leaky relu": activation_slider(
            bu.leaky_relu, bu.leaky_relu_prime, param="negative_slope",
            values=[0.0, 0.01, 0.02, 0.05, *np.round(np.linspace(0.1, 0.5, 9), 2)], default=0.01,
            name="LeakyReLU", x=wide, ylim=(-2.7, 5.2), prime_ylim=(-0.1, 1.1), jumps=(0.0,),
        ),
        "elu": activation_slider(
            bu.elu, bu.elu_prime, param="alpha", values=np.round(np.arange(0.1, 3.01, 0.1), 2), default=1.0,
            name="ELU", x=wide, ylim=(-3.2, 5.2), prime_ylim=(-0.1, 3.1), jumps=(0.0,),
        ),
        "silu": activation_slider(
            bu.silu, bu.silu_prime, param="beta", values=log_values(0.1, 10, per_decade=10), default=1.0,
            name="SiLU", x=wide, ylim=(-1.0, 5.2), prime_ylim=(-0.3, 1.3),
        ),
    }


SVG = "{http://www.w3.org/2000/svg}"


def legend_boxes(svg_text: str):
    """(viewBox width, height), the plotting rectangles, and a box (x0, y0, x1, y1)
    for every element of the legends, texts measured with the chart's width estimate."""
    import xml.etree.ElementTree as ET

    from book_utils._svgchart import text_width

    root = ET.fromstring(svg_text)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    plots = [tuple(float(r.get(k)) for k in ("x", "y", "width", "height")) for r in root.iter(f"{SVG}rect")
             if r.get("class") == "bu-plot"]
    plots = [(x, y, x + w, y + h) for x, y, w, h in plots]
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "bu-legend":
            continue
        for el in group:
            tag = el.tag.removeprefix(SVG)
            if tag == "text":
                x, y, size = float(el.get("x")), float(el.get("y")), float(el.get("font-size"))
                assert el.get("text-anchor") in (None, "start") and el.get("dy") is None
                boxes.append((el.text, (x, y - 0.9 * size, x + text_width(el.text, size), y + 0.3 * size)))
            elif tag == "line":
                x1, x2, y1, y2 = (float(el.get(k)) for k in ("x1", "x2", "y1", "y2"))
                boxes.append(("line", (min(x1, x2), min(y1, y2) - 1.1, max(x1, x2), max(y1, y2) + 1.1)))
            elif tag == "rect":
                x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
                boxes.append(("rect", (x, y, x + w, y + h)))
            elif tag == "path":  # a dot: M(cx - r) cy a r r ...
                left, cy, r = (float(v) for v in re.match(r"M(-?[\d.]+) (-?[\d.]+)a([\d.]+)", el.get("d")).groups())
                boxes.append(("dot", (left, cy - r, left + 2 * r, cy + r)))
            else:
                raise AssertionError(f"unexpected legend element {tag}")
    return (width, height), plots, boxes


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("name", list(chapter_sliders()))
def test_legends_lie_outside_the_plots_and_inside_the_svg(name):
    slider = chapter_sliders()[name]
    for value in slider.values:  # the marker's text changes with the value
        (width, height), plots, boxes = legend_boxes(slider.chart.svg(value, "test"))
        assert len(plots) == len(slider.chart.panels)
        assert boxes, "no legend drawn"
        for what, box in boxes:
            assert 0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height, (value, what, box)
            assert not any(overlaps(box, plot) for plot in plots), (value, what, box, plots)
    texts = {what for what, _ in boxes}
    assert all(s.label in texts for p in slider.chart.panels for s in p.series if getattr(s, "label", ""))


def test_the_marker_text_is_in_the_legend_strip():
    slider = chapter_sliders()["sigmoid a"]
    svg = slider.chart.svg(10.0, "test")
    _, _, boxes = legend_boxes(svg)
    assert "ピーク a/4 = 2.500" in {what for what, _ in boxes}
    assert re.search(r'<text data-key="1-1t"[^>]*>ピーク a/4 = 2.500</text>', svg)


def test_the_legend_check_can_fail(monkeypatch):
    # Guard: pull the plotting rectangle up under the legend strip, and the check sees it.
    from book_utils import _svgchart as svgchart

    monkeypatch.setattr(svgchart, "LEGEND_GAP", -20)
    slider = chapter_sliders()["leaky relu"]
    _, plots, boxes = legend_boxes(slider.chart.svg(0.01, "test"))
    assert any(overlaps(box, plot) for _, box in boxes for plot in plots)


def test_text_width_is_generous():
    from book_utils._svgchart import text_width

    assert text_width("ab", 10) == pytest.approx(12.0)  # 0.6 em each
    assert text_width("階段", 10) == pytest.approx(20.0)  # 1 em each
    assert text_width("σ′", 10) == pytest.approx(20.0)  # non-ASCII: 1 em


def test_a_long_label_wraps_and_the_panel_grows():
    from book_utils._svgchart import LEGEND_ROW, Chart, Curve, Panel

    x = np.linspace(0, 1, 5)
    short = Chart([Panel("t", x, (0, 1), [Curve("short", x)])], "u")
    long_label = "a legend label far too long for one row of a panel " * 2
    long = Chart([Panel("t", x, (0, 1), [Curve(long_label.strip(), x)])], "u")
    assert len(long.legends[0][0].lines) >= 2
    assert long.top >= short.top + LEGEND_ROW
    (width, height), plots, boxes = legend_boxes(long.svg(0.0, "test"))
    for _, box in boxes:
        assert box[2] <= width and not overlaps(box, plots[0])
    with pytest.raises(ValueError, match="does not fit"):
        Chart([Panel("t", x, (0, 1), [Curve("x" * 80, x)])], "u")


def subpaths(d: str) -> list[np.ndarray]:
    """The pieces of a path: each M starts one."""
    return [path_points("M" + piece) for piece in d.split("M")[1:]]


def crossings(frame_d: str, frame, j: float, jump: float) -> list:
    """Segments of a path that touch x = j and rise by half the jump or more
    (a piece of the curve next to j rises far less over one grid step)."""
    x_px = float(frame.px(j))
    min_rise_px = 0.5 * abs(jump) * (frame.y0 - frame.y1) / (frame.ylim[1] - frame.ylim[0])
    found = []
    for piece in subpaths(frame_d):
        for (x0, y0), (x1, y1) in zip(piece, piece[1:]):
            if x0 <= x_px + 0.05 and x1 >= x_px - 0.05 and abs(y1 - y0) >= min_rise_px:
                found.append(((x0, y0), (x1, y1)))
    return found


def dot_centres(d: str) -> list[tuple[float, float]]:
    return [(float(x) + 4.5, float(y)) for x, y in re.findall(r"M(-?[\d.]+) (-?[\d.]+)a", d)]


def test_leaky_relu_slider_draws_no_segment_across_the_jump():
    slider = chapter_sliders()["leaky relu"]
    frame = slider.chart.frames[1]
    zero = float(frame.px(0.0))
    for alpha, parts in zip(slider.values, slider.frames()):
        assert crossings(parts["1-0"], frame, 0.0, 1 - alpha) == [], alpha
        # Filled at the value at 0 (PyTorch: alpha), open at the right limit 1.
        assert dot_centres(parts["1-0f"]) == [pytest.approx((zero, float(frame.py(alpha))), abs=0.06)]
        assert dot_centres(parts["1-0h"]) == [pytest.approx((zero, float(frame.py(1.0))), abs=0.06)]
        assert "1-0f" in parts and f'data-key="1-0h"' in slider.chart.svg(alpha, "test")
    # The function itself is continuous: one piece, no dots.
    assert all(len(subpaths(p["0-0"])) == 1 and p["0-0f"] == p["0-0h"] == "" for p in slider.frames())


def test_without_jumps_the_slider_would_draw_the_segment():
    slider = activation_slider(bu.leaky_relu, bu.leaky_relu_prime, param="negative_slope", values=[0.01, 0.1],
                               default=0.01, x=np.linspace(-5, 5, 161), prime_ylim=(-0.1, 1.1))
    frame = slider.chart.frames[1]
    assert len(crossings(slider.frames()[0]["1-0"], frame, 0.0, 1 - 0.01)) == 1


def test_elu_slider_breaks_only_where_the_derivative_jumps():
    slider = chapter_sliders()["elu"]
    frames = dict(zip(slider.values, slider.frames()))
    frame = slider.chart.frames[1]
    assert frames[1.0]["1-0f"] == frames[1.0]["1-0h"] == ""  # alpha = 1: continuous
    assert len(subpaths(frames[1.0]["1-0"])) == 1
    for alpha in (0.1, 0.5, 2.0, 3.0):
        assert crossings(frames[alpha]["1-0"], frame, 0.0, 1 - alpha) == [], alpha
        assert len(subpaths(frames[alpha]["1-0"])) == 2
        assert len(dot_centres(frames[alpha]["1-0f"])) == len(dot_centres(frames[alpha]["1-0h"])) == 1


def test_step_reference_is_drawn_in_pieces():
    svg = chapter_sliders()["sigmoid a"].chart.svg(1.0, "test")
    reference = re.search(r'<path data-key="0-0" d="([^"]*)"', svg).group(1)
    assert len(subpaths(reference)) == 2
    assert len(dot_centres(re.search(r'<path data-key="0-0f" d="([^"]*)"', svg).group(1))) == 1  # (0, 1/2)
    assert len(dot_centres(re.search(r'<path data-key="0-0h" d="([^"]*)"', svg).group(1))) == 2  # (0, 0), (0, 1)
