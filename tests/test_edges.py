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
from book_utils import depth
from book_utils import properties as P
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


# --- depth -----------------------------------------------------------------------------


def plain_run(row, init, depth_=30, width=128, batch=64, seed=0):
    """The computation without rescaling, as gradient_norms was first written."""
    weights, x, grad_out = depth._draw(depth_, width, batch, init, seed, "test")
    zs, hs = depth.forward(row.f, weights, x)
    grads = depth.backward(row.fprime, weights, zs, hs, grad_out)
    return np.array([np.linalg.norm(g) for g in grads]), np.stack([row.fprime(z) for z in zs])


@pytest.mark.parametrize("init", sorted(depth.INITIALISATIONS))
def test_identical_to_the_plain_run_at_the_chapters_settings(init):
    for row in bu.catalogue.elementwise():
        norms, local = plain_run(row, init)
        args = dict(depth=30, width=128, init=init, seed=0)
        assert np.array_equal(depth.gradient_norms(row.f, row.fprime, **args), norms), row.name
        assert np.array_equal(depth.local_derivatives(row.f, row.fprime, **args), local), row.name
        logs = depth.log10_gradient_norms(row.f, row.fprime, **args)
        assert np.array_equal(logs[norms > 0], np.log10(norms[norms > 0])), row.name
        assert np.all(logs[norms == 0] == -np.inf), row.name


DEEP = ["relu", "selu", "softplus", "elu"]


@pytest.mark.parametrize("name", DEEP)
def test_deep_unscaled_networks_give_finite_norms(name):
    row = bu.catalogue.get(name)
    g200 = depth.gradient_norms(row.f, row.fprime, depth=200, init="std1")  # 1e180: inf before
    assert np.all(np.isfinite(g200)) and g200.min() > 1e150
    logs200 = depth.log10_gradient_norms(row.f, row.fprime, depth=200, init="std1")
    assert np.allclose(np.log10(g200), logs200, rtol=0, atol=1e-12)
    logs = depth.log10_gradient_norms(row.f, row.fprime, depth=500, init="std1")
    assert np.all(np.isfinite(logs)) and logs.min() > 400  # 1e450: NaN before
    assert 0.9 < depth.per_layer_factor(logs, log10=True) < 1.1  # what the chapter says of std1 ReLU
    with pytest.raises(ValueError, match=r"^gradient_norms\(\): with depth=500.*use log10_gradient_norms\(\)"):
        depth.gradient_norms(row.f, row.fprime, depth=500, init="std1")
    local = depth.local_derivatives(row.f, row.fprime, depth=500, init="std1")
    assert local.shape == (500, 64, 128) and np.all(np.isfinite(local))


def test_deep_relu_agrees_with_a_scaled_down_network(monkeypatch):
    """ReLU is positively homogeneous: with every weight divided by 8 each
    activation shrinks by 8 per layer and every dL/dW_l by 8**(L-1), and that
    network never leaves the float range."""
    monkeypatch.setitem(depth.INITIALISATIONS, "eighth", lambda n: 1 / 8)
    L = 500
    logs = depth.log10_gradient_norms(bu.relu, bu.relu_prime, depth=L, init="std1")
    small = depth.gradient_norms(bu.relu, bu.relu_prime, depth=L, init="eighth")
    assert np.allclose(logs, np.log10(small) + (L - 1) * np.log10(8), rtol=0, atol=1e-10)


def test_rescaling_every_layer_changes_nothing(monkeypatch):
    runs = [
        (bu.sigmoid, bu.sigmoid_prime, "xavier"),
        (bu.relu, bu.relu_prime, "std1"),
        (bu.selu, bu.selu_prime, "std1"),
    ]
    before = [depth.gradient_norms(f, fp, init=init) for f, fp, init in runs]
    monkeypatch.setattr(depth, "_BAND", 1)  # rescale whenever the largest entry leaves [1/2, 2]
    for (f, fp, init), expected in zip(runs, before):
        assert np.allclose(depth.gradient_norms(f, fp, init=init), expected, rtol=1e-12, atol=0)


def test_the_asymptotes_agree_with_the_function(monkeypatch):
    """Move the threshold beyond which f comes from its asymptotes from 2**900
    down to where the plain run can check it."""
    exact_relu = depth.gradient_norms(bu.relu, bu.relu_prime, init="std1")
    exact_selu = depth.log10_gradient_norms(bu.selu, bu.selu_prime, depth=60, init="std1")
    monkeypatch.setattr(depth, "_FAR", 3)  # relu: |z| > 8 and |z| < 1/8 from the asymptotes
    assert np.allclose(depth.gradient_norms(bu.relu, bu.relu_prime, init="std1"), exact_relu, rtol=1e-12)
    monkeypatch.setattr(depth, "_FAR", 60)  # selu: beyond 2**60 (z reaches 2**180 at depth 60)
    logs = depth.log10_gradient_norms(bu.selu, bu.selu_prime, depth=60, init="std1")
    assert np.allclose(logs, exact_selu, rtol=0, atol=1e-12)


def test_a_deep_vanishing_gradient_is_measured_not_lost():
    # sigmoid with Xavier loses about 1/4 per layer: 10^-150 over 250 layers, still a number.
    logs = depth.log10_gradient_norms(bu.sigmoid, bu.sigmoid_prime, depth=250, init="xavier")
    assert np.all(np.isfinite(logs))
    assert 0.2 < depth.per_layer_factor(logs, log10=True) < 0.3


def test_a_dead_network_has_zero_norms():
    dead = lambda z: np.zeros_like(z)
    assert depth.gradient_norms(dead, dead, depth=3, width=4, batch=2).tolist() == [0.0] * 3
    assert depth.log10_gradient_norms(dead, dead, depth=3, width=4, batch=2).tolist() == [-np.inf] * 3


def test_a_superlinear_function_is_a_clear_error():
    square = lambda z: z * z
    with pytest.raises(ValueError, match=r"^log10_gradient_norms\(\): f or fprime is not finite at layer"):
        depth.log10_gradient_norms(square, lambda z: 2 * z, depth=20, width=8, batch=2, init="std1")


@pytest.mark.parametrize("function", [depth.gradient_norms, depth.log10_gradient_norms, depth.local_derivatives])
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(depth=0), ValueError, r"expects depth to be a positive integer; got depth=0"),
        (dict(depth=-3), ValueError, r"expects depth to be a positive integer"),
        (dict(depth=2.5), TypeError, r"expects depth to be a positive integer; got 2.5 \(float\)"),
        (dict(depth=True), TypeError, r"expects depth"),
        (dict(width=0), ValueError, r"expects width"),
        (dict(width=8.0), TypeError, r"expects width"),
        (dict(batch=-1), ValueError, r"expects batch"),
        (dict(batch="64"), TypeError, r"expects batch"),
        (dict(init="kaiming"), ValueError, r"expects init in"),
        (dict(init=None), ValueError, r"expects init in"),
        (dict(init=["he"]), ValueError, r"expects init in"),
    ],
)
def test_bad_arguments(function, kwargs, error, message):
    with pytest.raises(error, match=rf"^{function.__name__}\(\) {message}"):
        function(bu.relu, bu.relu_prime, **kwargs)


def test_numpy_integers_are_integers():
    g = depth.gradient_norms(bu.relu, bu.relu_prime, depth=np.int64(3), width=np.int32(4), batch=2)
    assert g.shape == (3,)


def test_per_layer_factor_arguments():
    assert depth.per_layer_factor([3.0, 2.0, 1.0], log10=True) == pytest.approx(10.0)
    for norms in ([1.0], [], [0.0, 1.0], [1.0, np.inf]):
        with pytest.raises(ValueError, match=r"^per_layer_factor\(\) needs"):
            depth.per_layer_factor(norms)


# --- properties.table ------------------------------------------------------------------


def test_an_empty_table_has_the_columns():
    empty = P.table(entries=[])
    assert len(empty) == 0
    one = P.table([bu.catalogue.get("relu")])
    assert list(empty.columns) == list(one.columns) == list(P.COLUMNS)
    assert one["関数"].tolist() == ["ReLU"]


@pytest.mark.parametrize("size", [1, 3, 1000])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_negative_zero_keeps_its_sign_where_the_docstrings_say(size, dtype):
    # relu' and step' are clip-based (NaN carried through without a separate
    # pass), and clip keeps the sign of a zero at its bound, at every size.
    x = np.full(size, -0.0, dtype)
    for f in (bu.relu_prime, bu.step_prime):
        assert np.signbit(f(x)).all(), f.__name__
        assert not np.signbit(f(-x)).any(), f.__name__
