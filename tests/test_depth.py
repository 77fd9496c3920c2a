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
    # sigma' <= 1/4: even with Xavier's scaling the gradient dies on the way down.
    assert ratio(bu.sigmoid, bu.sigmoid_prime, "xavier") < 1e-10
    # tanh (slope 1 at 0) with Xavier, ReLU and GELU with He: it arrives.
    for f, fp, init in [(bu.tanh, bu.tanh_prime, "xavier"), (bu.relu, bu.relu_prime, "he"), (bu.gelu, bu.gelu_prime, "he")]:
        assert 0.1 < ratio(f, fp, init) < 10
    # Unscaled N(0, 1) weights: tanh's gradient explodes toward the input.
    assert ratio(bu.tanh, bu.tanh_prime, "std1") > 1e6


def test_bad_init():
    with pytest.raises(ValueError, match=r"^gradient_norms\(\) expects init"):
        depth.gradient_norms(bu.relu, bu.relu_prime, init="kaiming")
