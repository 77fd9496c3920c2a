"""Edge cases of the sliders, the depth experiment and the property table:
each is a clear error naming the function and the argument, or the right
limit; never a RuntimeWarning (pytest makes warnings errors) and never NaN
where a value exists."""

import ast
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import book_utils as bu
from book_utils.sliders import (
    WEIGHT_BUDGET_B,
    ParameterSlider,
    SliderWeightWarning,
    activation_slider,
    log_values,
    softmax_temperature_slider,
)

ROOT = Path(__file__).resolve().parents[1]
SCORES = np.array([1.0, 2.5, 0.3, 2.0, -1.0])  # the softmax chapter's input


def heights(slider, index):
    return slider.frame_data(index)[0].series[0].y


# --- softmax_temperature_slider --------------------------------------------------------


def test_temperature_zero_is_the_argmax_limit():
    slider = softmax_temperature_slider(SCORES, [0.0, 0.01, 1.0])
    assert heights(slider, 0).tolist() == bu.one_hot_argmax(SCORES).tolist() == [0, 1, 0, 0, 0]
    # The limit is approached: T = 0.01 is already one-hot to float precision.
    assert np.allclose(heights(slider, 1), heights(slider, 0), atol=1e-12)
    assert not re.search("nan", slider.to_html(), re.I)


def test_temperature_zero_splits_ties_as_the_limit_does():
    x = np.array([3.0, 1.0, 3.0])
    slider = softmax_temperature_slider(x, [0.0, 1e-3, 1.0], default=0.0)
    assert heights(slider, 0).tolist() == [0.5, 0.0, 0.5]
    assert np.allclose(heights(slider, 1), [0.5, 0.0, 0.5])  # softmax(x / T) for small T
    outline = slider.frame_data(0)[0].series[1]
    assert outline.label == "argmax（T → 0）" and outline.y.tolist() == [0.5, 0.0, 0.5]


def test_tiny_temperature_does_not_overflow():
    slider = softmax_temperature_slider(SCORES, [1e-300, 1.0])
    assert heights(slider, 0).tolist() == [0, 1, 0, 0, 0]
    assert not re.search("nan", slider.render(0), re.I)


def test_negative_temperature_is_an_error():
    with pytest.raises(ValueError, match=r"^softmax_temperature_slider\(\) needs temperatures >= 0"):
        softmax_temperature_slider(SCORES, [-1.0, 1.0, 2.0])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_scores_are_an_error(bad):
    x = SCORES.copy()
    x[2] = bad
    with pytest.raises(ValueError, match=r"^softmax_temperature_slider\(\) needs finite scores x; got x\[2\]"):
        softmax_temperature_slider(x, [0.5, 1.0])


def test_temperature_arguments():
    with pytest.raises(ValueError, match=r"^softmax_temperature_slider\(\) needs default among the values"):
        softmax_temperature_slider(SCORES, [0.5, 2.0])  # default 1.0
    with pytest.raises(ValueError, match=r"^softmax_temperature_slider\(\) needs strictly increasing values"):
        softmax_temperature_slider(SCORES, [1.0, 0.5])
    with pytest.raises(ValueError, match=r"^softmax_temperature_slider\(\) needs scores x"):
        softmax_temperature_slider([], [0.5, 1.0])


# --- the static HTML -------------------------------------------------------------------


class Elements(HTMLParser):
    """Every element's tag and attributes, and the text of every script."""

    def __init__(self, text):
        super().__init__()
        self.elements, self.scripts, self._in_script = [], [], False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_comment(self, data):
        raise AssertionError(f"the HTML opens a comment: {data[:60]!r}")


def hostile_slider():
    return activation_slider(
        bu.sigmoid,
        bu.sigmoid_prime,
        param="a",
        values=[1.0, 2.0],
        default=1.0,
        name="</script><!--",
        x=np.linspace(-1, 1, 5),
        fmt=lambda v: f"</script><!--{v:.1f}&<b>",
    )


def test_a_label_cannot_end_the_script():
    slider = hostile_slider()
    text = slider.to_html()
    assert text.count("</script") == 2  # the two closing tags, nothing else
    assert "<!--" not in text
    parsed = Elements(text)
    assert [attrs.get("type") for attrs, _ in parsed.scripts] == ["application/json", None]
    data = json.loads(parsed.scripts[0][1])
    assert data["labels"] == ["</script><!--1.0&<b>", "</script><!--2.0&<b>"]
    assert data["name"] == "a" and "</script><!--(x; a)" in data["description"]
    assert len(data["frames"]) == 2 and data["frames"] == slider.frames()
    assert "<" not in parsed.scripts[0][1]  # every "<" escaped, \u003c
    assert "show(+input.value)" in parsed.scripts[1][1]  # the script arrived whole
    # The control's texts are escaped as HTML.
    (output,) = [a for t, a in parsed.elements if t == "input"]
    assert output["aria-valuetext"] == "a = </script><!--1.0&<b>"


def test_the_controls_stay_hidden_without_javascript():
    text = hostile_slider().to_html()
    (controls,) = [a for t, a in Elements(text).elements if "bu-slider-controls" in a.get("class", "")]
    assert "hidden" in controls
    assert "display" not in controls["style"]
    script = Elements(text).scripts[1][1]
    assert script.index('style.display = "flex"') < script.index("hidden = false")


def test_weight_budget_is_the_benchmarks():
    tree = ast.parse((ROOT / "benchmarks" / "sliders.py").read_text(encoding="utf-8"))
    (value,) = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["WEIGHT_BUDGET_B"]
    ]
    assert WEIGHT_BUDGET_B == value == 1_000_000


def test_a_heavy_slider_says_so():
    slider = activation_slider(
        bu.sigmoid,
        bu.sigmoid_prime,
        param="a",
        values=np.linspace(1.0, 3.0, 30),
        default=1.0,
        x=np.linspace(-6, 6, 2001),
    )
    with pytest.warns(SliderWeightWarning, match=r"weighs [\d,]+ bytes of HTML, over the budget of 1,000,000 bytes"):
        text = slider.to_html()
    assert len(text.encode()) > WEIGHT_BUDGET_B


def test_nan_from_a_function_draws_no_nan():
    slider = activation_slider(
        lambda x, a: np.where(x > 0, np.nan, a * x),
        lambda x, a: np.full_like(x, a),
        param="a",
        values=[1.0, 2.0],
        default=1.0,
        x=np.linspace(-1, 1, 11),
        marker=lambda a: (0.0, np.nan, "no value"),
    )
    paths = re.findall(r' d="([^"]*)"', slider.to_html()) + [
        d for frame in slider.frames() for key, d in frame.items() if not key.endswith("t")
    ]
    assert paths and not any(re.search("nan|inf", d, re.I) for d in paths)


# --- slider arguments ------------------------------------------------------------------


def sigmoid_with(**kwargs):
    args = dict(param="a", values=[1.0, 2.0], default=1.0, x=np.linspace(-1, 1, 5))
    args.update(kwargs)
    return activation_slider(bu.sigmoid, bu.sigmoid_prime, **args)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(values=[]), r"needs at least two values"),
        (dict(values=[1.0]), r"needs at least two values"),
        (dict(values=[1.0, np.nan]), r"needs finite values; got values\[1\] = nan"),
        (dict(values=[1.0, 1.0]), r"needs strictly increasing values"),
        (dict(values=[2.0, 1.0]), r"needs strictly increasing values"),
        (dict(default=1.5), r"needs default among the values; got default=1.5"),
        (dict(default=np.nan), r"needs default among the values"),
        (dict(ylim=(1.0, 1.0)), r"needs ylim = \(lo, hi\) finite with lo < hi"),
        (dict(ylim=(0.0, np.inf)), r"needs ylim = \(lo, hi\) finite"),
        (dict(ylim=(1.0, 0.0)), r"needs ylim"),
        (dict(prime_ylim=(np.nan, 1.0)), r"needs prime_ylim"),
        (dict(x=[0.0, np.nan, 1.0]), r"needs x finite"),
        (dict(x=[1.0, 0.0]), r"needs x finite and strictly increasing"),
        (dict(reference=("r", lambda x: x[:-1])), r"reference gives shape \(4,\)"),
        (dict(reference=("r", [0.0, 1.0])), r"reference gives shape \(2,\)"),
    ],
)
def test_activation_slider_arguments(kwargs, message):
    with pytest.raises(ValueError, match=r"^activation_slider\(\) ?:? ?" + message):
        sigmoid_with(**kwargs)


def test_a_function_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"^activation_slider\(\): f\(x, a=1.0\) gives shape \(240,\)"):
        activation_slider(lambda x, a: x[1:], bu.sigmoid_prime, param="a", values=[1.0, 2.0], default=1.0)
    with pytest.raises(ValueError, match=r"^activation_slider\(\): fprime\(x, a=2.0\) gives shape \(1,\)"):
        activation_slider(
            bu.sigmoid,
            lambda x, a: np.ones(1) if a == 2.0 else np.ones_like(x),
            param="a",
            values=[1.0, 2.0],
            default=1.0,
        )


def test_parameter_slider_arguments():
    for values, message in [
        ([], "needs at least two values"),
        ([0.0, np.inf], "needs finite values"),
        ([0.0, 1.0], "needs default among the values"),
    ]:
        with pytest.raises(ValueError, match=r"^ParameterSlider\(\) " + message):
            ParameterSlider([], name="a", values=values, default=0.5, description="")
    with pytest.raises(TypeError, match=r"^ParameterSlider\(\) expects values"):
        ParameterSlider([], name="a", values=["a", "b"], default=0.5, description="")


def test_the_catalogue_still_gives_values_and_default():
    slider = activation_slider(bu.elu, bu.elu_prime, param="alpha")
    assert slider.values == list(bu.catalogue.get("elu").parameter("alpha").slider) and slider.value == 1.0
    with pytest.raises(ValueError, match=r"^activation_slider\(\): elu has no parameter param='beta'"):
        activation_slider(bu.elu, bu.elu_prime, param="beta")
    with pytest.raises(ValueError, match=r"^activation_slider\(\) needs values and default"):
        activation_slider(lambda x, a: x, lambda x, a: x, param="a")


def test_default_matches_a_value_to_rounding():
    # 1.0 is the middle of log_values(0.05, 20, per_decade=10), up to geomspace's rounding.
    values = log_values(0.05, 20, per_decade=10)
    slider = softmax_temperature_slider(SCORES, values, default=1.0)
    assert slider.value == pytest.approx(1.0, rel=1e-12) and slider.index == 13


# --- log_values ------------------------------------------------------------------------


@pytest.mark.parametrize("lo, hi, per_decade", [(0.05, 20, 10), (0.1, 10, 20), (0.3, 0.31, 20), (1e-3, 7.0, 3)])
def test_log_values_include_both_ends_exactly(lo, hi, per_decade):
    v = log_values(lo, hi, per_decade)
    assert v[0] == lo and v[-1] == hi and len(v) >= 2 and np.all(np.diff(v) > 0)


@pytest.mark.parametrize(
    "lo, hi, per_decade, error, message",
    [
        (0.0, 1.0, 20, ValueError, r"needs a finite lo > 0"),
        (-1.0, 1.0, 20, ValueError, r"needs a finite lo > 0"),
        (0.1, -1.0, 20, ValueError, r"needs a finite hi > 0"),
        (0.1, np.inf, 20, ValueError, r"needs a finite hi > 0"),
        (np.nan, 1.0, 20, ValueError, r"needs a finite lo > 0"),
        (10.0, 0.1, 20, ValueError, r"needs lo < hi"),
        (1.0, 1.0, 20, ValueError, r"needs lo < hi"),
        (0.1, 10.0, 0, ValueError, r"needs per_decade >= 1"),
        (0.1, 10.0, 2.5, TypeError, r"expects an integer per_decade"),
        ("0.1", 10.0, 20, TypeError, r"expects a number for lo"),
    ],
)
def test_log_values_rejects_bad_bounds(lo, hi, per_decade, error, message):
    with pytest.raises(error, match=r"^log_values\(\) " + message):
        log_values(lo, hi, per_decade)
