"""The slider helper: frames computed from book_utils, the Jupyter callback,
the static HTML it emits.

Everything is read through the public API: ``frame_data`` for what a frame
shows in data coordinates, and the SVG (``render``, ``frames``) for what is
drawn; ``PanelData.to_data`` maps the SVG's coordinates back to data."""

import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import book_utils as bu
from book_utils.sliders import ParameterSlider, activation_slider, log_values, softmax_temperature_slider

X = np.linspace(-6, 6, 121)
SVG = "{http://www.w3.org/2000/svg}"


def sigmoid_slider():
    return activation_slider(
        bu.sigmoid,
        bu.sigmoid_prime,
        param="a",  # positions and default from the catalogue
        name="σ",
        x=X,
        ylim=(-0.05, 1.05),
        prime_ylim=(0, 2.6),
        marker=lambda a: (0.0, a / 4, f"ピーク a/4 = {a / 4:.3f}"),
    )


def path_points(d: str) -> np.ndarray:
    return np.array([[float(a), float(b)] for a, b in re.findall(r"[ML](-?[\d.]+) (-?[\d.]+)", d)]).reshape(-1, 2)


def series(panels, label=None, kind=None):
    """The one (panel, series) of a frame with this label or kind."""
    found = [
        (p, s)
        for p in panels
        for s in p.series
        if (label is None or s.label == label) and (kind is None or s.kind == kind)
    ]
    assert len(found) == 1, (label, kind, found)
    return found[0]


def px_in_data(panel, px: float = 1.0) -> tuple[float, float]:
    """How far ``px`` SVG units are in data units, along x and along y."""
    (x0, y0), (x1, y1) = (np.array(panel.to_data(0.0, 0.0)), np.array(panel.to_data(px, px)))
    return abs(x1 - x0), abs(y1 - y0)


# Coordinates are written to 0.1 px: a point read back is off by 0.05 px at most.
ROUNDING_PX = 0.06


def read_back(panel, d: str) -> np.ndarray:
    """The points of a path's M/L commands, in data coordinates."""
    points = path_points(d)
    return np.column_stack(panel.to_data(points[:, 0], points[:, 1])) if len(points) else points.reshape(0, 2)


def test_log_values_cover_the_range_and_hit_one():
    v = log_values(0.1, 10)
    assert v[0] == pytest.approx(0.1) and v[-1] == pytest.approx(10) and len(v) == 41
    assert np.any(np.isclose(v, 1.0, rtol=0, atol=1e-12))
    assert np.all(np.diff(v) > 0)


def test_frames_differ_between_values():
    slider = sigmoid_slider()
    frames = slider.frames()
    assert len(frames) == 41
    keys = [series(slider.frame_data(0), label)[1].key for label in ("σ(x; a)", "σ′(x; a)")]
    for a, b in zip(frames, frames[1:]):
        assert all(a[key] != b[key] for key in keys)
    for i in range(40):
        (_, f0), (_, f1) = series(slider.frame_data(i), "σ(x; a)"), series(slider.frame_data(i + 1), "σ(x; a)")
        assert not np.array_equal(f0.y, f1.y)


@pytest.mark.parametrize("index", [0, 20, 40])
def test_frames_are_book_utils_values(index):
    slider = sigmoid_slider()
    a = slider.values[index]
    panels, frame = slider.frame_data(index), slider.frames()[index]
    for label, expected in [("σ(x; a)", bu.sigmoid(X, a=a)), ("σ′(x; a)", bu.sigmoid_prime(X, a=a))]:
        panel, curve = series(panels, label)
        assert curve.dynamic and np.array_equal(curve.x, X) and np.array_equal(curve.y, expected)
        # What the browser is given: the path in this frame, read back to data.
        lo, hi = panel.ylim
        points = read_back(panel, frame[curve.key])
        visible = (expected >= lo) & (expected <= hi)
        assert len(points) == len(X)
        assert np.allclose(points[visible, 1], expected[visible], atol=ROUNDING_PX * px_in_data(panel)[1], rtol=0)
        assert np.allclose(points[:, 0], X, atol=ROUNDING_PX * px_in_data(panel)[0], rtol=0)
    _, marker = series(panels, kind="marker")
    assert (marker.x[0], marker.y[0]) == (0.0, a / 4)
    assert marker.text == frame[marker.key + "t"] == f"ピーク a/4 = {a / 4:.3f}"


def bar_tops(d: str) -> list[float]:
    return [float(v) for v in re.findall(r"V(-?[\d.]+)H", d)]


def test_softmax_frames_are_book_utils_values():
    x = np.array([1.0, 2.5, 0.3, 2.0, -1.0])
    slider = softmax_temperature_slider(x, log_values(0.05, 20, per_decade=10))
    for index in [0, 13, len(slider.values) - 1]:
        t = slider.values[index]
        panel, bars = series(slider.frame_data(index), "softmax(x / T)")
        assert bars.kind == "bars" and np.array_equal(bars.x, np.arange(5))
        assert np.array_equal(bars.y, bu.softmax(x / t))
        _, heights = panel.to_data(0.0, np.array(bar_tops(slider.frames()[index][bars.key])))
        assert np.allclose(heights, bu.softmax(x / t), atol=0.002)
    key = series(slider.frame_data(0), "softmax(x / T)")[1].key
    low, high = slider.frames()[0][key], slider.frames()[-1][key]
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
    assert 'aria-valuetext="a = 1.00"' in html
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
    with pytest.raises(ValueError, match=r"^ParameterSlider\(\) needs at least two values"):
        ParameterSlider([], name="a", values=[1.0], default=1.0, description="")
    with pytest.raises(ValueError, match=r"^ParameterSlider\(\) needs strictly increasing values"):
        ParameterSlider([], name="a", values=[2.0, 1.0], default=1.0, description="")


def test_unique_ids_per_slider():
    a = sigmoid_slider()
    b = softmax_temperature_slider([1.0, 2.0], [0.5, 1.0, 2.0])
    assert a.uid != b.uid and a.uid == sigmoid_slider().uid  # stable across builds


# --- the sliders of the chapters: the SVG is the frame data, legends outside the plot, ---
# --- no segment across a jump --------------------------------------------------------


def chapter_sliders():
    """The sliders as the chapters build them (sigmoid, softmax, modern)."""
    x = np.linspace(-6, 6, 201)
    wide = np.linspace(-5, 5, 161)
    return {
        "sigmoid a": activation_slider(
            bu.sigmoid,
            bu.sigmoid_prime,
            param="a",  # positions and default from the catalogue
            name="σ",
            x=x,
            ylim=(-0.05, 1.05),
            prime_ylim=(0.0, 2.6),
            reference=("階段関数", bu.step),
            marker=lambda a: (0.0, a / 4, f"ピーク a/4 = {a / 4:.3f}"),
            jumps=(0.0,),
        ),
        "softmax T": softmax_temperature_slider(
            np.array([1.0, 2.5, 0.3, 2.0, -1.0]), log_values(0.05, 20, per_decade=10)
        ),
        "leaky relu": activation_slider(
            bu.leaky_relu,
            bu.leaky_relu_prime,
            param="negative_slope",
            x=wide,
            ylim=(-2.7, 5.2),
            prime_ylim=(-0.1, 1.1),
        ),
        "elu": activation_slider(
            bu.elu,
            bu.elu_prime,
            param="alpha",
            x=wide,
            ylim=(-3.2, 5.2),
            prime_ylim=(-0.1, 3.1),
        ),
        "silu": activation_slider(
            bu.silu,
            bu.silu_prime,
            param="beta",
            x=wide,
            ylim=(-1.0, 5.2),
            prime_ylim=(-0.3, 1.3),
        ),
    }


def keyed(svg_text: str) -> dict[str, ET.Element]:
    """The SVG's elements that have a data-key, by key."""
    return {el.get("data-key"): el for el in ET.fromstring(svg_text).iter() if el.get("data-key")}


def dot_centres(d: str) -> list[tuple[float, float]]:
    """Centres of the dots of a path: each is M(cx - r) cy a r r ..."""
    return [(float(x) + float(r), float(y)) for x, y, r in re.findall(r"M(-?[\d.]+) (-?[\d.]+)a([\d.]+)", d)]


@pytest.mark.parametrize("name", list(chapter_sliders()))
def test_the_svg_draws_the_frame_data(name):
    """Every path of the picture, read back to data, is the frame data: the
    one test that ties frame_data to the pixels (the others use either)."""
    slider = chapter_sliders()[name]
    for index in sorted({0, slider.index, len(slider.values) - 1}):
        svg, frame = slider.render(index), slider.frames()[index]
        drawn = keyed(svg)
        # The frames the browser swaps in are the parts of this picture.
        assert {k: (drawn[k].text if drawn[k].tag == f"{SVG}text" else drawn[k].get("d")) for k in frame} == frame
        for panel in slider.frame_data(index):
            dx, dy = (ROUNDING_PX * d for d in px_in_data(panel))
            lo, hi = panel.ylim
            for s in panel.series:
                assert s.colour in (drawn[s.key].get("stroke"), drawn[s.key].get("fill"))
                assert (drawn[s.key].get("stroke-dasharray") is not None) == s.dashed
                if s.dynamic:
                    assert s.key in frame
                d = drawn[s.key].get("d")
                if s.kind == "curve":
                    points = read_back(panel, d)
                    finite = np.isfinite(s.y)
                    assert len(points) == finite.sum()
                    assert np.allclose(points[:, 0], s.x[finite], atol=dx, rtol=0)
                    visible = (s.y[finite] >= lo) & (s.y[finite] <= hi)
                    assert np.allclose(points[visible, 1], s.y[finite][visible], atol=dy, rtol=0)
                    for suffix, dots in (("f", s.filled), ("h", s.hollow)):
                        centres = dot_centres(drawn[s.key + suffix].get("d")) if s.jumps else []
                        back = [panel.to_data(*c) for c in centres]
                        assert back == [pytest.approx(p, abs=max(dx, dy)) for p in dots]
                elif s.kind == "bars":
                    _, heights = panel.to_data(0.0, np.array(bar_tops(d)))
                    assert np.allclose(heights, s.y, atol=dy, rtol=0)
                else:
                    centre = pytest.approx((s.x[0], s.y[0]), abs=max(dx, dy))
                    assert [panel.to_data(*c) for c in dot_centres(d)] == [centre]
                    if s.text is not None:
                        assert drawn[s.key + "t"].text == s.text


def legend_boxes(svg_text: str):
    """The view (x0, y0, x1, y1) of each panel's SVG, the plotting rectangles,
    and for every element of the legends a box (x0, y0, x1, y1) and the index
    of the SVG it is drawn in, texts measured with the chart's width estimate."""
    # Private, and no public stand-in: the check is that the layout's own
    # width estimate keeps every label off the plot.
    from book_utils._svgchart import text_width

    root = ET.fromstring(svg_text)
    views, plots, boxes = [], [], []
    for svg in root.iter(f"{SVG}svg"):
        x, y, w, h = (float(v) for v in svg.get("viewBox").split())
        views.append((x, y, x + w, y + h))
        for r in svg.iter(f"{SVG}rect"):
            if r.get("class") == "bu-plot":
                x, y, w, h = (float(r.get(k)) for k in ("x", "y", "width", "height"))
                plots.append((x, y, x + w, y + h))
        for group in svg.iter(f"{SVG}g"):
            if group.get("class") != "bu-legend":
                continue
            for el in group:
                boxes.append((*_legend_box(el, text_width), len(views) - 1))
    return views, plots, boxes


def _legend_box(el, text_width):
    tag = el.tag.removeprefix(SVG)
    if tag == "text":
        x, y, size = float(el.get("x")), float(el.get("y")), float(el.get("font-size"))
        assert el.get("text-anchor") in (None, "start") and el.get("dy") is None
        return el.text, (x, y - 0.9 * size, x + text_width(el.text, size), y + 0.3 * size)
    if tag == "line":
        x1, x2, y1, y2 = (float(el.get(k)) for k in ("x1", "x2", "y1", "y2"))
        return "line", (min(x1, x2), min(y1, y2) - 1.1, max(x1, x2), max(y1, y2) + 1.1)
    if tag == "rect":
        x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
        return "rect", (x, y, x + w, y + h)
    if tag == "path":  # a dot: M(cx - r) cy a r r ...
        left, cy, r = (float(v) for v in re.match(r"M(-?[\d.]+) (-?[\d.]+)a([\d.]+)", el.get("d")).groups())
        return "dot", (left, cy - r, left + 2 * r, cy + r)
    raise AssertionError(f"unexpected legend element {tag}")


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("name", list(chapter_sliders()))
def test_legends_lie_outside_the_plots_and_inside_the_svg(name):
    slider = chapter_sliders()[name]
    for index in range(len(slider.values)):  # the marker's text changes with the value
        views, plots, boxes = legend_boxes(slider.render(index))
        panels = slider.frame_data(index)
        assert plots == [pytest.approx(p.rect, abs=0.05) for p in panels]
        assert len(views) == len(panels)
        assert boxes, "no legend drawn"
        for what, box, svg in boxes:
            # Inside its own panel's SVG: a legend reaching into the next panel would be cut off.
            x0, y0, x1, y1 = views[svg]
            assert x0 <= box[0] and box[2] <= x1 and y0 <= box[1] and box[3] <= y1, (index, what, box, views[svg])
            assert not any(overlaps(box, plot) for plot in plots), (index, what, box, plots)
    texts = {what for what, _, _ in boxes}
    assert all(s.label in texts for p in panels for s in p.series if s.label)


def test_the_marker_text_is_in_the_legend_strip():
    slider = chapter_sliders()["sigmoid a"]
    index = len(slider.values) - 1
    assert slider.values[index] == pytest.approx(10.0)
    svg = slider.render(index)
    _, _, boxes = legend_boxes(svg)
    assert "ピーク a/4 = 2.500" in {what for what, _, _ in boxes}
    key = series(slider.frame_data(index), kind="marker")[1].key + "t"
    assert re.search(rf'<text data-key="{key}"[^>]*>ピーク a/4 = 2.500</text>', svg)


def test_the_legend_check_can_fail():
    # Guard: pull the plotting rectangle 28 px up under the legend strip, and the check sees it.
    slider = chapter_sliders()["leaky relu"]

    def pulled_up(m):
        return f'class="bu-plot" x="{m[1]}" y="{float(m[2]) - 28:g}" width="{m[3]}" height="{float(m[4]) + 28:g}"'

    svg = re.sub(
        r'class="bu-plot" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"',
        pulled_up,
        slider.render(slider.index),
    )
    _, plots, boxes = legend_boxes(svg)
    assert any(overlaps(box, plot) for _, box, _ in boxes for plot in plots)


def test_text_width_is_generous():
    # Private, and no public stand-in: this is the unit test of the layout's width estimate.
    from book_utils._svgchart import text_width

    assert text_width("ab", 10) == pytest.approx(12.0)  # 0.6 em each
    assert text_width("階段", 10) == pytest.approx(20.0)  # 1 em each
    assert text_width("σ′", 10) == pytest.approx(20.0)  # non-ASCII: 1 em


def named_slider(name: str):
    """A sigmoid slider whose legend labels are ``name(x; a)`` and ``name′(x; a)``."""
    return activation_slider(
        bu.sigmoid, bu.sigmoid_prime, param="a", values=[1.0, 2.0], default=1.0, name=name, x=np.linspace(0, 1, 5)
    )


def test_a_long_label_wraps_and_the_panel_grows():
    short = named_slider("short")
    long_name = ("a legend label far too long for one row of a panel " * 2).strip()
    long = named_slider(long_name)
    views, plots, boxes = legend_boxes(long.render(0))
    texts = [(what, box) for what, box, _ in boxes if what not in ("line", "rect", "dot")]
    # The left panel's label comes first, in lines broken at spaces.
    n = next(n for n in range(1, len(texts) + 1) if " ".join(t for t, _ in texts[:n]) == f"{long_name}(x; a)")
    assert n >= 2
    row = texts[1][1][1] - texts[0][1][1]  # the distance between two wrapped lines
    assert row > 0
    assert long.frame_data(0)[0].rect[1] >= short.frame_data(0)[0].rect[1] + row
    for _, box, svg in boxes:
        assert box[2] <= views[svg][2] and not any(overlaps(box, plot) for plot in plots)
    with pytest.raises(ValueError, match="does not fit"):
        named_slider("x" * 80)


def subpaths(d: str) -> list[np.ndarray]:
    """The pieces of a path: each M starts one."""
    return [path_points("M" + piece) for piece in d.split("M")[1:]]


def crossings(d: str, panel, j: float, jump: float) -> list:
    """Segments of a path that touch x = j and rise by half the jump or more
    (a piece of the curve next to j rises far less over one grid step)."""
    dx, _ = px_in_data(panel, 0.05)
    found = []
    for piece in subpaths(d):
        x, y = panel.to_data(piece[:, 0], piece[:, 1])
        for x0, y0, x1, y1 in zip(x, y, x[1:], y[1:]):
            if x0 <= j + dx and x1 >= j - dx and abs(y1 - y0) >= 0.5 * abs(jump):
                found.append(((x0, y0), (x1, y1)))
    return found


def test_leaky_relu_slider_draws_no_segment_across_the_jump():
    slider = chapter_sliders()["leaky relu"]
    for index, (alpha, parts) in enumerate(zip(slider.values, slider.frames())):
        panels = slider.frame_data(index)
        right, derivative = series(panels, "Leaky ReLU′(x; α)")
        key = derivative.key
        assert crossings(parts[key], right, 0.0, 1 - alpha) == [], alpha
        # Filled at the value at 0 (PyTorch: alpha), open at the right limit 1.
        assert derivative.filled == ((0.0, alpha),) and derivative.hollow == ((0.0, 1.0),)
        tolerance = ROUNDING_PX * max(px_in_data(right))
        for suffix, point in (("f", (0.0, alpha)), ("h", (0.0, 1.0))):
            centres = [right.to_data(*c) for c in dot_centres(parts[key + suffix])]
            assert centres == [pytest.approx(point, abs=tolerance)], (alpha, suffix)
        assert key + "f" in parts and f'data-key="{key}h"' in slider.render(index)
        # The function itself is continuous: one piece, no dots.
        _, function = series(panels, "Leaky ReLU(x; α)")
        assert function.filled == function.hollow == ()
        assert len(subpaths(parts[function.key])) == 1 and parts[function.key + "f"] == parts[function.key + "h"] == ""


def test_without_jumps_the_slider_would_draw_the_segment():
    slider = activation_slider(
        bu.leaky_relu,
        bu.leaky_relu_prime,
        param="negative_slope",
        values=[0.01, 0.1],
        default=0.01,
        x=np.linspace(-5, 5, 161),
        prime_ylim=(-0.1, 1.1),
        jumps=(),
    )
    right = slider.frame_data(0)[1]
    _, derivative = series([right], kind="curve")
    assert len(crossings(slider.frames()[0][derivative.key], right, 0.0, 1 - 0.01)) == 1


def test_elu_slider_breaks_only_where_the_derivative_jumps():
    slider = chapter_sliders()["elu"]
    frames = dict(zip(slider.values, slider.frames()))
    right, derivative = series(slider.frame_data(slider.index), "ELU′(x; α)")
    assert slider.value == 1.0 and derivative.filled == derivative.hollow == ()
    key = derivative.key
    assert frames[1.0][key + "f"] == frames[1.0][key + "h"] == ""  # alpha = 1: continuous
    assert len(subpaths(frames[1.0][key])) == 1
    for alpha in (0.1, 0.5, 2.0, 3.0):
        assert crossings(frames[alpha][key], right, 0.0, 1 - alpha) == [], alpha
        assert len(subpaths(frames[alpha][key])) == 2
        assert len(dot_centres(frames[alpha][key + "f"])) == len(dot_centres(frames[alpha][key + "h"])) == 1


def test_step_reference_is_drawn_in_pieces():
    slider = chapter_sliders()["sigmoid a"]
    assert slider.value == 1.0
    _, step = series(slider.frame_data(slider.index), "階段関数")
    assert not step.dynamic and step.filled == ((0.0, 0.5),) and set(step.hollow) == {(0.0, 0.0), (0.0, 1.0)}
    drawn = keyed(slider.render(slider.index))
    assert len(subpaths(drawn[step.key].get("d"))) == 2
    assert len(dot_centres(drawn[step.key + "f"].get("d"))) == 1  # (0, 1/2)
    assert len(dot_centres(drawn[step.key + "h"].get("d"))) == 2  # (0, 0), (0, 1)


# --- one style with the matplotlib figures ---------------------------------------------


def test_sliders_use_the_figures_palette_dashes_and_labels():
    import inspect

    from book_utils import plotting

    sliders = chapter_sliders()
    left, right = sliders["sigmoid a"].frame_data(0)
    assert series([left], "σ(x; a)")[1].colour == plotting.FORWARD
    assert series([right], "σ′(x; a)")[1].colour == plotting.BACKWARD
    assert series([right], kind="marker")[1].colour == plotting.HIGHLIGHT
    step = series([left], "階段関数")[1]
    assert step.colour == plotting.REFERENCE and step.dashed
    assert not series([left], "σ(x; a)")[1].dashed
    (bars,) = sliders["softmax T"].frame_data(0)
    assert [s.colour for s in bars.series] == [plotting.FORWARD, plotting.HIGHLIGHT, plotting.REFERENCE]
    assert [s.dashed for s in bars.series] == [False, True, True]
    # The figures' axis labels (style_axes' defaults), in plain text instead of TeX.
    figure = {k: v.default for k, v in inspect.signature(plotting.style_axes).parameters.items()}
    assert left.xlabel == right.xlabel == figure["xlabel"].replace("$", "") == "入力 x"
    assert left.ylabel == figure["ylabel"] == "出力"
    assert right.ylabel == "微分係数" and (bars.xlabel, bars.ylabel) == ("成分 i", "確率")
