"""The vanishing-gradient experiment: hand-written backprop is right, the run
is reproducible, and it shows what the chapter says it shows."""

import numpy as np
import pytest

import book_utils as bu
from book_utils import depth


def test_backward_matches_central_differences():
    rng = np.random.default_rng(1)
    weights = [rng.normal(0, 0.7, size=(4, 4)) for _ in range(3)]
    x = rng.normal(size=(2, 4))
    grad_out = rng.normal(size=(2, 4))
    loss = lambda ws: float(np.sum(grad_out * depth.forward(bu.tanh, ws, x)[1][-1]))
    zs, hs = depth.forward(bu.tanh, weights, x)
    grads = depth.backward(bu.tanh_prime, weights, zs, hs, grad_out)
    h = 1e-6
    for layer in range(3):
        for i, j in [(0, 0), (1, 3), (3, 2)]:
            plus = [w.copy() for w in weights]
            minus = [w.copy() for w in weights]
            plus[layer][i, j] += h
            minus[layer][i, j] -= h
            numeric = (loss(plus) - loss(minus)) / (2 * h)
            assert numeric == pytest.approx(grads[layer][i, j], rel=1e-6, abs=1e-9)


def test_reproducible():
    a = depth.gradient_norms(bu.relu, bu.relu_prime, init="he", seed=3)
    b = depth.gradient_norms(bu.relu, bu.relu_prime, init="he", seed=3)
    c = depth.gradient_norms(bu.relu, bu.relu_prime, init="he", seed=4)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert a.shape == (30,)


def ratio(f, fp, init):
    g = depth.gradient_norms(f, fp, init=init)
    return g[0] / g[-1]


def test_what_the_chapter_shows():
    """Each conclusion the comparison page draws from the experiment."""
    # Xavier assumes f'(0) = 1; sigmoid's sigma'(0) = 1/4 is left over in every
    # layer, so the gradient shrinks by about 1/4 per layer: (1/4)^29 over 29 layers.
    g = depth.gradient_norms(bu.sigmoid, bu.sigmoid_prime, init="xavier")
    assert 0.2 < depth.per_layer_factor(g) < 0.3
    assert 1 / 5 < (g[0] / g[-1]) / 0.25**29 < 5
    # tanh (slope 1 at 0) with Xavier, ReLU and GELU with He: it arrives.
    for f, fp, init in [
        (bu.tanh, bu.tanh_prime, "xavier"),
        (bu.relu, bu.relu_prime, "he"),
        (bu.gelu, bu.gelu_prime, "he"),
    ]:
        assert 1 / 3 < ratio(f, fp, init) < 3
    # Unscaled N(0, 1) weights: tanh's gradient explodes toward the input ...
    assert ratio(bu.tanh, bu.tanh_prime, "std1") > 1e6
    # ... ReLU's and GELU's change little from layer to layer but are huge ...
    for f, fp in [(bu.relu, bu.relu_prime), (bu.gelu, bu.gelu_prime)]:
        g = depth.gradient_norms(f, fp, init="std1")
        assert g.min() > 1e20 and 1 / 3 < g[0] / g[-1] < 3
    # ... and sigmoid's does not vanish (the large weights cancel sigma' <= 1/4),
    # but most units saturate.
    assert 1 < ratio(bu.sigmoid, bu.sigmoid_prime, "std1") < 100
    local = depth.local_derivatives(bu.sigmoid, bu.sigmoid_prime, init="std1")
    assert np.mean(local < 0.01) > 0.4
    assert np.mean(depth.local_derivatives(bu.sigmoid, bu.sigmoid_prime, init="xavier") < 0.01) == 0


def test_local_derivatives_match_the_run():
    args = dict(depth=5, width=8, batch=3, init="he", seed=2)
    weights, x, _ = depth._draw(5, 8, 3, "he", 2, "test")
    zs, _ = depth.forward(bu.relu, weights, x)
    assert np.array_equal(
        depth.local_derivatives(bu.relu, bu.relu_prime, **args), np.stack([bu.relu_prime(z) for z in zs])
    )


def test_per_layer_factor():
    assert depth.per_layer_factor([8.0, 4.0, 2.0, 1.0]) == pytest.approx(2.0)


def test_bad_init():
    with pytest.raises(ValueError, match=r"^gradient_norms\(\) expects init"):
        depth.gradient_norms(bu.relu, bu.relu_prime, init="kaiming")
