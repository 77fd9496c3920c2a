"""The slider helper: frames computed from book_utils, the Jupyter callback,
the static HTML it emits."""

import json
import re

import numpy as np
import pytest

import book_utils as bu
from book_utils.sliders import ParameterSlider, activation_slider, log_values, softmax_temperature_slider
from book_utils.svgchart import _Frame

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
        mapping = _Frame(slider.chart.panels[panel_index], 380 * panel_index)
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
    mapping = _Frame(slider.chart.panels[0], 0)
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
