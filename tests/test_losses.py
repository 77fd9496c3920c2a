"""The losses of the output layer (book_utils/losses.py, catalogue.LOSSES).

- values against mpmath (tests/oracles.py, LOSS_ORACLES) within a few ULP,
  at hypothesis-drawn points over the whole float range and at the extremes,
  in float64 and float32;
- gradients against mpmath (accuracy in the tails) and against central
  differences of the loss itself;
- the three reductions, both kinds of target, label smoothing;
- the input contract (dtype, shape, scalars, NaN, pandas, no warnings) and
  the error messages, which name the function and the argument;
- PyTorch (values and autograd gradients), skipped without it locally and
  failing under CI=true (the `torch` fixture of conftest.py).

Accuracy, as for the activations (README, *Accuracy*): binary cross-entropy
is within 4 ULP of the exact value for targets in [0, 1]. Its gradient
sigma(z) - y is a difference of terms of opposite sign: it is within 4 ULP of
the larger of |gradient| and the terms of the form it is computed in
((1 - y) and sigma(-z) for z >= 0, sigma(z) and y otherwise), so the tails
(sigma(40) - 1, which rounds to 0 in the naive form) are accurate to a few
ULP. Cross-entropy inherits log-softmax's error (tests/test_vector_activations.py):
each z_k - max z is rounded before exp, which turns that rounding into up to
|z_k - max z| ULP; the bound is 4 + 2C + max |z_k - max z| ULP over the
classes k that contribute (C classes). The gradient has the same bound, relative
to the larger of |s_j - q_j| and its terms, as for binary cross-entropy.
"""

from __future__ import annotations

import math
import os
import warnings

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import book_utils as bu
from book_utils import catalogue

from numerics import _ulps, finite_floats, ulp_error
from oracles import LOSS_ORACLES, sigmoid_ref, smoothed, softmax_ref

BCE, BCE_GRAD = bu.binary_cross_entropy_with_logits, bu.binary_cross_entropy_with_logits_grad
CE, CE_GRAD = bu.cross_entropy, bu.cross_entropy_grad
bce_ref, bce_grad_ref = LOSS_ORACLES["binary_cross_entropy_with_logits"]
ce_ref, ce_grad_ref = LOSS_ORACLES["cross_entropy"]
ALL = {name: fn for row in catalogue.LOSSES for name, fn in row.exports().items()}
EXAMPLES = int(os.environ.get("BOOK_UTILS_RANDOM_EXAMPLES", "100"))
TOL = 4.0
DTYPES = [np.float64, np.float32]
dtypes = pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
rng = np.random.default_rng(11)


def call(name, logits, target, **kw):
    """Each loss or gradient with a (logits, target) pair of its own kind."""
    return ALL[name](logits, target, **kw)


def mpf(v) -> mp.mpf:
    return mp.mpf(float(v))


# --- hypothesis strategies -----------------------------------------------------------


def logits(dtype):
    """Any finite float of the dtype, mostly where the losses change, and +-1000."""
    return finite_floats(dtype, extremes=[1000.0, -1000.0])


def targets(dtype):
    """Targets in [0, 1]: the labels 0 and 1, any probability, and probabilities near 0 and 1."""
    width = 32 if dtype == np.float32 else 64
    return st.one_of(
        st.sampled_from([0.0, 1.0, 0.5]),
        st.floats(0, 1, width=width),
        st.integers(1, 40).map(lambda k: 2.0**-k),
        st.integers(1, 40).map(lambda k: 1 - 2.0**-k),
    )


def pairs(dtype):
    return st.lists(st.tuples(logits(dtype), targets(dtype)), min_size=1, max_size=24)


def as_arrays(zy, dtype):
    z = np.array([p[0] for p in zy], dtype=np.float64)
    y = np.array([p[1] for p in zy], dtype=np.float64)
    keep = np.abs(z) <= np.finfo(dtype).max
    return z[keep].astype(dtype), y[keep].astype(dtype)


# --- binary cross-entropy: values and gradient against mpmath ---------------------------


def bce_grad_terms(z: mp.mpf, y: mp.mpf) -> mp.mpf:
    """The larger term of sigma(z) - y in the form computed: (1 - y) - sigma(-z) for z >= 0."""
    return max(abs(1 - y), sigmoid_ref(-z)) if z >= 0 else max(sigmoid_ref(z), abs(y))


def check_bce(z, y, dtype, gradient: bool):
    got = (BCE_GRAD if gradient else BCE)(z, y, reduction="none")
    assert got.dtype == dtype
    worst, where = 0.0, None
    for zi, yi, gi in zip(z, y, got):
        Z, Y = mpf(zi), mpf(yi)
        if gradient:
            ref = bce_grad_ref(Z, Y)
            error = _ulps(gi, ref, max(abs(ref), bce_grad_terms(Z, Y)), dtype)
        else:
            error = ulp_error(gi, bce_ref(Z, Y), dtype)
        if error > worst:
            worst, where = error, (float(zi), float(yi))
    name = "BCE'" if gradient else "BCE"
    assert worst <= TOL, f"{name} ({dtype.__name__}): {worst:.2f} ULP at (z, y) = {where}"


EXTREMES = [(1000.0, 1.0), (-1000.0, 1.0), (1000.0, 0.0), (-1000.0, 0.0), (40.0, 1.0), (-40.0, 0.0), (0.0, 0.5)]
EXTREMES += [(37.0, 1 - 2.0**-40), (1e-300, 0.5), (-745.0, 0.0), (710.0, 1.0), (30.0, 1 - 2.0**-20)]


@dtypes
@pytest.mark.parametrize("gradient", [False, True], ids=["loss", "grad"])
def test_bce_random_points_within_few_ulp(dtype, gradient):
    @settings(max_examples=EXAMPLES, deadline=None)
    @example(zy=EXTREMES)
    @given(zy=pairs(dtype))
    def check(zy):
        z, y = as_arrays(zy, dtype)
        if z.size:
            check_bce(z, y, dtype, gradient)

    check()


@dtypes
def test_bce_at_the_extremes_and_infinities(dtype):
    z = np.array([1000, -1000, 1000, -1000, np.inf, np.inf, -np.inf, -np.inf, np.finfo(dtype).max], dtype=dtype)
    y = np.array([1, 1, 0, 0, 1, 0, 0, 1, 0.5], dtype=dtype)
    loss = BCE(z, y, reduction="none")
    expected = [0.0, 1000.0, 1000.0, 0.0, 0.0, np.inf, 0.0, np.inf, float(np.finfo(dtype).max) / 2]
    assert loss.tolist() == [float(dtype(v)) for v in expected]
    grad = BCE_GRAD(z, y, reduction="none")
    assert grad.tolist() == [0.0, -1.0, 1.0, 0.0, 0.0, 1.0, 0.0, -1.0, 0.5]
    # The tiny gradient of a confident, correct prediction is kept (sigma(40) - 1 = 0 in float64).
    assert float(BCE_GRAD(40.0, 1.0)) == pytest.approx(-math.exp(-40), rel=1e-15)
    assert float(BCE_GRAD(-40.0, 0.0)) == pytest.approx(math.exp(-40), rel=1e-15)
    with np.errstate(over="ignore"):
        assert 1 / (1 + np.exp(-40.0)) - 1 == 0.0  # what the naive form gives


def test_bce_nan_propagates_from_either_argument():
    out = BCE([np.nan, 0.0, 1.0], [1.0, np.nan, 0.0], reduction="none")
    assert np.isnan(out[:2]).all() and not np.isnan(out[2])
    grad = BCE_GRAD([np.nan, 0.0, 1.0], [1.0, np.nan, 0.0], reduction="none")
    assert np.isnan(grad[:2]).all() and not np.isnan(grad[2])
    assert np.isnan(BCE([np.nan, 0.0], [1.0, 1.0])) and np.isnan(BCE([np.nan, 0.0], [1.0, 1.0], reduction="sum"))


def test_bce_targets_outside_0_1_are_taken_as_given():
    # PyTorch does not refuse them either; the formula is linear in y.
    z, y = np.array([1.0, -2.0, np.inf, -np.inf]), np.array([2.0, -1.0, 2.0, -1.0])
    assert np.allclose(BCE(z[:2], y[:2], reduction="none"), [float(bce_ref(mpf(a), mpf(b))) for a, b in zip(z, y)][:2])
    assert BCE(z[2:], y[2:], reduction="none").tolist() == [-np.inf, -np.inf]


# --- cross-entropy: values and gradient against mpmath -------------------------------------


def one_hot(index: int, n: int) -> list[mp.mpf]:
    return [mp.mpf(1) if k == index else mp.mpf(0) for k in range(n)]


def ce_tolerance(z: np.ndarray, q) -> float:
    """log-softmax's bound, over the classes whose terms are not 0 in double."""
    with np.errstate(over="ignore"):  # -max - max: -inf, far beyond every contributing class
        spread = z.astype(np.float64) - np.max(z)
    contributing = (spread > -750) | (np.asarray([float(v) for v in q]) != 0)
    # z_k - m is rounded by up to |z_k - m| 2^-53, which exp turns into a relative
    # error of as much, up to |z_k - m| ULP of exp(z_k - m).
    return TOL + 2 * len(z) + float(np.max(np.abs(spread[contributing])))


def ce_grad_terms(z: np.ndarray, q_ref, j: int) -> mp.mpf:
    """The larger term of s_j Q - q_j in the form computed: (Q - q_j) and (1 - s_j) Q where s_j > 1/2."""
    s = softmax_ref([mpf(v) for v in z])
    total = mp.fsum(q_ref)
    if s[j] > mp.mpf(0.5):
        return max(abs(total - q_ref[j]), (1 - s[j]) * abs(total))
    return max(s[j] * abs(total), abs(q_ref[j]))


def check_ce_row(z, target, dtype, eps=0.0, probabilities=None):
    """One row: the loss and each component of the gradient against mpmath."""
    n = len(z)
    q = [mpf(v) for v in probabilities] if probabilities is not None else one_hot(target, n)
    tgt = probabilities if probabilities is not None else target
    zs = [mpf(v) for v in z]
    scale = 1.0 if dtype == np.float64 else 2.0**-29  # float32: computed in float64 and rounded once
    tol = ce_tolerance(z, q)
    loss = CE(z, tgt, label_smoothing=eps, reduction="none")
    assert loss.dtype == dtype
    ref = ce_ref(zs, q, eps)
    allowed = 0.5 + tol * scale + (0 if dtype == np.float64 else 1)
    err = ulp_error(loss, ref, dtype)
    big = float(np.finfo(dtype).max)
    if np.isinf(loss) and ref < mp.inf and ref >= big * (1 - allowed * float(np.finfo(dtype).eps)):
        err = 0.0  # a value within the allowed ULPs of the largest float may round up to inf
    assert err <= allowed, (z, tgt, eps, err)
    grad = CE_GRAD(z, tgt, label_smoothing=eps, reduction="sum")
    ref = ce_grad_ref(zs, q, eps)
    q_smooth = smoothed(q, eps)
    for j in range(n):
        size = max(abs(ref[j]), ce_grad_terms(z, q_smooth, j))
        err = _ulps(grad[j], ref[j], size, dtype)
        assert err <= 0.5 + tol * scale + (0 if dtype == np.float64 else 1), (z, tgt, eps, j, err)


def rows(dtype):
    return st.lists(logits(dtype), min_size=1, max_size=6)


@dtypes
@pytest.mark.parametrize("eps", [0.0, 0.1, 1.0])
def test_ce_random_rows_with_class_indices(dtype, eps):
    @settings(max_examples=EXAMPLES // 2, deadline=None)
    @example(zs=[1000.0, 0.0], t=0)
    @example(zs=[0.0, 1000.0, -1000.0], t=0)
    @example(zs=[40.0, 0.0, -3.0], t=0)
    @given(zs=rows(dtype), t=st.integers(0, 5))
    def check(zs, t):
        z = np.array([v for v in zs if abs(v) <= np.finfo(dtype).max], dtype=dtype)
        if z.size:
            check_ce_row(z, t % len(z), dtype, eps)

    check()


@dtypes
@pytest.mark.parametrize("eps", [0.0, 0.25])
def test_ce_random_rows_with_class_probabilities(dtype, eps):
    @settings(max_examples=EXAMPLES // 2, deadline=None)
    @example(zp=[(0.0, 1.0), (-np.finfo(dtype).max, 0.0)])
    @example(zp=[(40.0, 1.0), (0.0, 0.0)])
    @given(zp=st.lists(st.tuples(logits(dtype), st.floats(0, 1, width=32)), min_size=1, max_size=6))
    def check(zp):
        zp = [(a, b) for a, b in zp if abs(a) <= np.finfo(dtype).max]
        if not zp:
            return
        z = np.array([a for a, _ in zp], dtype=dtype)
        raw = np.array([b for _, b in zp])
        p = (raw / raw.sum() if raw.sum() > 0 else np.full(len(raw), 1 / len(raw))).astype(dtype)
        check_ce_row(z, None, dtype, eps, probabilities=p)

    check()


def test_ce_at_the_extremes_and_infinities():
    inf = np.inf
    z = np.array([[1000.0, 0.0], [0.0, 1000.0], [inf, 0.0], [inf, 0.0], [-inf, 0.0], [inf, inf], [-inf, -inf]])
    t = np.array([0, 0, 0, 1, 1, 0, 0])
    assert CE(z, t, reduction="none").tolist()[:5] == [0.0, 1000.0, 0.0, inf, 0.0]
    assert np.isnan(CE(z, t, reduction="none")[5:]).all()  # two +inf, or no finite logit: no limit
    grad = CE_GRAD(z, t, reduction="none")
    assert grad[:5].tolist() == [[0.0, 0.0], [-1.0, 1.0], [0.0, 0.0], [1.0, -1.0], [0.0, 0.0]]
    assert np.isnan(grad[5:]).all()
    # A class of target weight 0 adds nothing, even at logit -inf (0 log 0 = 0) ...
    assert CE(np.array([0.0, -inf, 1.0]), np.array([0.5, 0.0, 0.5])) == pytest.approx(float(CE([0.0, 1.0], [0.5, 0.5])))
    # ... but with label smoothing every class has weight, so -inf costs inf.
    assert CE(np.array([0.0, -inf, 1.0]), 0, label_smoothing=0.1) == inf
    # The tiny gradient of a confident, correct prediction is kept.
    assert float(CE_GRAD([40.0, 0.0], 0)[0]) == pytest.approx(-math.exp(-40), rel=1e-14)


def test_ce_nan_propagates_row_by_row():
    z = np.array([[np.nan, 0.0], [1.0, 0.0]])
    out = CE(z, [0, 0], reduction="none")
    assert np.isnan(out[0]) and not np.isnan(out[1])
    grad = CE_GRAD(z, [0, 0], reduction="none")
    assert np.isnan(grad[0]).all() and not np.isnan(grad[1]).any()
    p = np.array([[np.nan, 1.0], [1.0, 0.0]])
    assert np.isnan(CE(np.zeros((2, 2)), p, reduction="none")[0])
    assert np.isnan(CE_GRAD(np.zeros((2, 2)), p, reduction="none")[0]).all()


# --- gradients against central differences ----------------------------------------------


def test_bce_gradient_matches_central_differences():
    z = rng.uniform(-30, 30, 400)
    y = np.concatenate([rng.uniform(0, 1, 200), rng.integers(0, 2, 200).astype(float)])
    h = 1e-6
    numeric = (BCE(z + h, y, reduction="none") - BCE(z - h, y, reduction="none")) / (2 * h)
    assert np.allclose(BCE_GRAD(z, y, reduction="none"), numeric, atol=1e-8, rtol=0)
    z, y, h = z[::10], y[::10], 1e-4  # the sum of 40 losses: a larger step loses fewer digits
    for reduction in ("mean", "sum"):
        grad = BCE_GRAD(z, y, reduction=reduction)
        for i in range(len(z)):
            step = np.zeros_like(z)
            step[i] = h
            diff = (BCE(z + step, y, reduction=reduction) - BCE(z - step, y, reduction=reduction)) / (2 * h)
            assert grad[i] == pytest.approx(diff, abs=1e-8), (reduction, i)


@pytest.mark.parametrize("kind", ["index", "probabilities"])
@pytest.mark.parametrize("eps", [0.0, 0.2])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_ce_gradient_matches_central_differences(kind, eps, reduction):
    z = rng.normal(0, 4, size=(6, 5))
    target = rng.integers(0, 5, 6) if kind == "index" else bu.softmax(rng.normal(0, 2, size=(6, 5)))
    grad = CE_GRAD(z, target, reduction=reduction, label_smoothing=eps)
    h = 1e-6
    numeric = np.empty_like(z)
    for idx in np.ndindex(z.shape):
        step = np.zeros_like(z)
        step[idx] = h
        plus = CE(z + step, target, reduction=reduction, label_smoothing=eps)
        minus = CE(z - step, target, reduction=reduction, label_smoothing=eps)
        numeric[idx] = (plus - minus) / (2 * h)
    assert np.allclose(grad, numeric, atol=1e-8, rtol=0)


def test_ce_gradient_along_another_axis_matches_central_differences():
    z = rng.normal(0, 3, size=(3, 4, 2))  # classes along axis 1, as in PyTorch's (N, C, d)
    t = rng.integers(0, 4, size=(3, 2))
    grad = CE_GRAD(z, t, axis=1)
    h = 1e-6
    for idx in np.ndindex(z.shape):
        step = np.zeros_like(z)
        step[idx] = h
        numeric = (CE(z + step, t, axis=1) - CE(z - step, t, axis=1)) / (2 * h)
        assert grad[idx] == pytest.approx(numeric, abs=1e-8), idx


@pytest.mark.parametrize("eps", [0.0, 0.3, 1.0])
def test_ce_gradient_of_each_sample_sums_to_zero(eps):
    z = rng.normal(0, 5, size=(50, 7))
    for target in (rng.integers(0, 7, 50), bu.softmax(rng.normal(size=(50, 7)))):
        g = CE_GRAD(z, target, reduction="none", label_smoothing=eps)
        assert np.allclose(g.sum(axis=1), 0, atol=1e-15)


# --- reductions, target kinds, label smoothing ------------------------------------------------


@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4)])
def test_bce_reductions(shape):
    z, y = rng.normal(0, 5, shape), rng.uniform(0, 1, shape)
    each = BCE(z, y, reduction="none")
    assert each.shape == shape
    assert BCE(z, y, reduction="sum") == pytest.approx(math.fsum(each.ravel()), rel=1e-15)
    assert BCE(z, y) == pytest.approx(math.fsum(each.ravel()) / each.size, rel=1e-15)
    g = BCE_GRAD(z, y, reduction="none")
    assert np.array_equal(BCE_GRAD(z, y, reduction="sum"), g)
    assert np.allclose(BCE_GRAD(z, y), g / each.size, rtol=1e-15, atol=0)


@pytest.mark.parametrize("axis", [-1, 0, 1, 2])
def test_ce_reductions_and_axes(axis):
    z = rng.normal(0, 3, size=(2, 3, 4))
    moved = np.moveaxis(z, axis, -1)
    n_classes = moved.shape[-1]
    t = rng.integers(0, n_classes, size=moved.shape[:-1])
    each = CE(z, t, axis=axis, reduction="none")
    assert each.shape == moved.shape[:-1]
    expected = -np.take_along_axis(bu.log_softmax(moved), t[..., None], axis=-1)[..., 0]
    assert np.allclose(each, expected, rtol=1e-15, atol=0)
    assert CE(z, t, axis=axis, reduction="sum") == pytest.approx(math.fsum(each.ravel()), rel=1e-15)
    assert CE(z, t, axis=axis) == pytest.approx(math.fsum(each.ravel()) / each.size, rel=1e-15)
    g = CE_GRAD(z, t, axis=axis, reduction="sum")
    assert g.shape == z.shape
    assert np.allclose(CE_GRAD(z, t, axis=axis), g / each.size, rtol=1e-15, atol=0)
    assert np.array_equal(CE_GRAD(z, t, axis=axis, reduction="none"), g)


def test_mean_of_no_samples_is_nan_and_sum_is_zero():
    # PyTorch: mean over nothing is NaN, the sum is 0.
    for f, target in [(BCE, np.zeros(0)), (CE, np.zeros(0, dtype=int)), (CE, np.zeros((0, 3)))]:
        logits = np.zeros(0) if f is BCE else np.zeros((0, 3))
        assert np.isnan(f(logits, target))
        assert f(logits, target, reduction="sum") == 0.0
        assert f(logits, target, reduction="none").shape == (0,)
    assert CE_GRAD(np.zeros((0, 3)), np.zeros(0, dtype=int)).shape == (0, 3)
    assert BCE_GRAD(np.zeros(0), np.zeros(0)).shape == (0,)


def test_ce_index_and_one_hot_probabilities_agree():
    z = rng.normal(0, 3, size=(8, 5))
    t = rng.integers(0, 5, 8)
    p = np.eye(5)[t]
    for eps in (0.0, 0.1, 0.5, 1.0):
        for reduction in ("none", "sum", "mean"):
            kw = {"reduction": reduction, "label_smoothing": eps}
            assert np.allclose(CE(z, t, **kw), CE(z, p, **kw), rtol=1e-14, atol=0)
            assert np.allclose(CE_GRAD(z, t, **kw), CE_GRAD(z, p, **kw), rtol=1e-14, atol=1e-17)


@pytest.mark.parametrize("eps", [0.1, 0.4, 1.0])
def test_label_smoothing_is_the_smoothed_target(eps):
    """Smoothing eps on either kind of target = the probability target (1 - eps) q + eps / C, unsmoothed."""
    z = rng.normal(0, 3, size=(6, 4))
    t = rng.integers(0, 4, 6)
    p = bu.softmax(rng.normal(size=(6, 4)))
    for target, q in [(t, np.eye(4)[t]), (p, p)]:
        smooth = (1 - eps) * q + eps / 4
        assert np.allclose(CE(z, target, label_smoothing=eps, reduction="none"), CE(z, smooth, reduction="none"))
        assert np.allclose(CE_GRAD(z, target, label_smoothing=eps), CE_GRAD(z, smooth), rtol=1e-13, atol=1e-17)
        assert np.allclose(CE_GRAD(z, target, label_smoothing=eps, reduction="none"), bu.softmax(z) - smooth)
    # eps = 1: the uniform target, whatever the labels.
    assert np.allclose(CE(z, t, label_smoothing=1.0, reduction="none"), -bu.log_softmax(z).mean(axis=1))


def test_ce_probabilities_that_do_not_sum_to_one():
    # PyTorch does not normalise them; autograd gives s * sum(q) - q.
    z, q = np.array([0.3, -1.0, 2.0]), np.array([0.5, 0.9, 0.3])
    assert CE(z, q) == pytest.approx(-np.dot(q, bu.log_softmax(z)), rel=1e-15)
    assert np.allclose(CE_GRAD(z, q), bu.softmax(z) * q.sum() - q, rtol=1e-15, atol=0)


# --- the input contract ----------------------------------------------------------------------


def pair_for(name, shape=(2, 3), dtype=np.float64):
    z = np.arange(np.prod(shape), dtype=dtype).reshape(shape) / 3 - 1
    if "binary" in name:
        return z, np.full(shape, 0.25, dtype=dtype)
    return z, np.zeros(shape[:-1], dtype=int)


@pytest.mark.parametrize("name", sorted(ALL))
@dtypes
def test_dtypes_follow_the_logits(name, dtype):
    z, t = pair_for(name, dtype=dtype)
    for reduction in ("none", "sum", "mean"):
        assert np.asarray(call(name, z, t, reduction=reduction)).dtype == dtype
    assert call(name, z.astype(np.float16), t).dtype == np.float16
    assert call(name, z.round().astype(np.int64), t).dtype == np.float64
    assert call(name, z.astype(bool), t).dtype == np.float64


@pytest.mark.parametrize("name", sorted(ALL))
def test_scalars_give_scalars(name):
    if "binary" in name:
        out = call(name, 0.5, 1.0)
        assert isinstance(out, np.float64) and np.ndim(out) == 0
        assert isinstance(call(name, np.float32(0.5), np.float32(1.0)), np.float32)
        assert isinstance(call(name, 1, 0), np.float64)
    else:  # one sample: a vector of logits and a class index
        out = call(name, [0.5, 1.0, -1.0], 2, reduction="none")
        assert np.ndim(out) == (1 if name.endswith("_grad") else 0)
        assert isinstance(CE([0.5, 1.0], 1), np.float64) and isinstance(CE([0.5, 1.0], 1, reduction="none"), np.float64)


@pytest.mark.parametrize("name", sorted(ALL))
def test_inputs_are_not_modified(name):
    z, t = pair_for(name)
    z[0, 0] = np.nan
    z_before, t_before = z.copy(), t.copy()
    call(name, z, t, label_smoothing=0.1) if "binary" not in name else call(name, z, t)
    assert np.array_equal(z, z_before, equal_nan=True) and np.array_equal(t, t_before)


def test_pandas_in_pandas_out_where_the_shape_is_the_logits():
    s = pd.Series([-1.0, 0.0, 2.0], index=list("abc"), name="logit")
    y = pd.Series([0.0, 1.0, 1.0], index=list("abc"))
    out = BCE(s, y, reduction="none")
    assert isinstance(out, pd.Series) and out.index.equals(s.index) and out.name == "logit"
    assert isinstance(BCE_GRAD(s, y), pd.Series)
    assert isinstance(BCE(s, y), np.float64)
    frame = pd.DataFrame([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], index=["p", "q"], columns=list("xyz"))
    grad = CE_GRAD(frame, pd.Series([0, 2]))
    assert isinstance(grad, pd.DataFrame) and grad.columns.equals(frame.columns)
    assert np.array_equal(grad.to_numpy(), CE_GRAD(frame.to_numpy(), [0, 2]))
    assert type(CE(frame, [0, 2], reduction="none")) is np.ndarray  # one loss per row: not the frame's shape


def test_python_numbers_of_any_kind():
    from decimal import Decimal
    from fractions import Fraction

    assert BCE(Fraction(1, 2), Decimal("1")) == BCE(0.5, 1.0)
    assert BCE(10**400, 1) == 0.0 and BCE(10**400, 0) == np.inf  # beyond float64: +inf, its limit
    assert CE([1.0, 2.0, 3.0], np.int8(2)) == CE([1.0, 2.0, 3.0], 2) == CE([1.0, 2.0, 3.0], 2.0)
    assert CE([[1.0, 2.0, 3.0]], [np.uint64(1)]) == CE([[1.0, 2.0, 3.0]], [1])


def test_no_warning_for_any_input():
    """pytest turns every warning into an error (pyproject.toml); here also outside pytest's filter."""
    info = np.finfo(np.float64)
    edges = np.array([0.0, -0.0, 1e-300, 1000.0, -1000.0, info.max, -info.max, np.inf, -np.inf, np.nan])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for y in (0.0, 1.0, 0.5, -1.0, 2.0, np.inf, np.nan):
            for reduction in ("none", "sum", "mean"):
                BCE(edges, np.full(edges.shape, y), reduction=reduction)
                BCE_GRAD(edges, np.full(edges.shape, y), reduction=reduction)
        rows = np.array(np.meshgrid(edges, edges, [0.0])).reshape(3, -1).T
        for eps in (0.0, 0.5, 1.0):
            for reduction in ("none", "sum", "mean"):
                for target in (
                    np.zeros(len(rows), dtype=int),
                    np.full(rows.shape, 1 / 3),
                    np.eye(3)[np.zeros(len(rows), int)],
                ):
                    CE(rows, target, reduction=reduction, label_smoothing=eps)
                    CE_GRAD(rows, target, reduction=reduction, label_smoothing=eps)
        for f in (BCE, BCE_GRAD):
            f(np.full(3, info.max), np.full(3, -1.0))  # the loss overflows: inf is its correct rounding
    big = np.full(4, info.max / 2)
    assert BCE(big, np.zeros(4)) == pytest.approx(info.max / 2)  # the sum overflows, the mean does not


# --- errors: the function and the argument are named ------------------------------------------


BAD_ARRAYS = ["1.0", b"1", None, [1.0, "a"], 1 + 2j, object(), [[1.0], [1.0, 2.0]]]


@pytest.mark.parametrize("bad", BAD_ARRAYS, ids=repr)
@pytest.mark.parametrize("name", sorted(ALL))
def test_bad_logits_are_a_type_error_naming_function_and_argument(name, bad):
    _, t = pair_for(name)
    with pytest.raises(TypeError, match=rf"^{name}\(\) expects logits to be real numbers.*got"):
        call(name, bad, t)


@pytest.mark.parametrize("bad", ["1.0", None, [1.0, "a"], object()], ids=repr)
@pytest.mark.parametrize("name", sorted(ALL))
def test_bad_target_is_a_type_error_naming_function_and_argument(name, bad):
    z, _ = pair_for(name, shape=(2,))
    with pytest.raises(TypeError, match=rf"^{name}\(\) expects (target to be real numbers|target to be class)"):
        call(name, z, bad)


@pytest.mark.parametrize("name", sorted(ALL))
def test_masked_arrays_are_refused(name):
    z, t = pair_for(name)
    with pytest.raises(TypeError, match=rf"^{name}\(\) does not take a masked array as logits"):
        call(name, np.ma.masked_array(z, mask=np.zeros_like(z, dtype=bool)), t)
    with pytest.raises(TypeError, match=rf"^{name}\(\) does not take a masked array as target"):
        call(name, z, np.ma.masked_array(t))


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("bad", ["avg", "", "Mean", None, 1])
def test_bad_reduction(name, bad):
    z, t = pair_for(name)
    error = ValueError if isinstance(bad, str) else TypeError
    with pytest.raises(error, match=rf"^{name}\(\) expects reduction to be 'mean', 'sum' or 'none'; got"):
        call(name, z, t, reduction=bad)


@pytest.mark.parametrize("name", ["binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad"])
def test_bce_target_of_another_shape(name):
    with pytest.raises(
        ValueError, match=rf"^{name}\(\) expects target of the logits' shape \(2, 3\); got target of shape \(3,\)"
    ):
        call(name, np.zeros((2, 3)), np.zeros(3))


@pytest.mark.parametrize("name", ["cross_entropy", "cross_entropy_grad"])
def test_ce_errors(name):
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match=rf"^{name}\(\) expects target of shape \(2,\) \(class indices\) or \(2, 3\)"):
        call(name, z, np.zeros((2, 2)))
    with pytest.raises(ValueError, match=rf"^{name}\(\) expects class indices in \[0, 3\) .*got 3 in target"):
        call(name, z, [0, 3])
    with pytest.raises(ValueError, match=rf"^{name}\(\) expects class indices in \[0, 3\) .*got -1 in target"):
        call(name, z, [-1, 0])
    with pytest.raises(ValueError, match=rf"^{name}\(\) expects integral class indices; got 1.5 in target"):
        call(name, z, [0, 1.5])
    with pytest.raises(ValueError, match=rf"^{name}\(\) expects integral class indices; got nan"):
        call(name, z, [np.nan, 1])
    with pytest.raises(TypeError, match=rf"^{name}\(\) expects class indices as integers; got .* dtype bool"):
        call(name, z, [True, False])
    with pytest.raises(ValueError, match=rf"^{name}\(\) expects label_smoothing in \[0, 1\]; got 1.5"):
        call(name, z, [0, 1], label_smoothing=1.5)
    with pytest.raises(ValueError, match=rf"^{name}\(\) expects label_smoothing in \[0, 1\]; got -0.1"):
        call(name, z, [0, 1], label_smoothing=-0.1)
    with pytest.raises(ValueError, match=rf"^{name}\(\) expects label_smoothing to be finite"):
        call(name, z, [0, 1], label_smoothing=np.nan)
    with pytest.raises(TypeError, match=rf"^{name}\(\) expects label_smoothing to be a real number"):
        call(name, z, [0, 1], label_smoothing="0.1")
    with pytest.raises(ValueError, match=rf"^{name}\(\) expects logits with a class axis"):
        call(name, 1.0, 0)
    with pytest.raises(ValueError, match=rf"^{name}\(\) expects at least one class"):
        call(name, np.zeros((2, 0)), [0, 0])
    with pytest.raises(ValueError, match=rf"^{name}\(\) got axis=2 for an input with 2 dimension"):
        call(name, z, [0, 1], axis=2)
    with pytest.raises(TypeError, match=rf"^{name}\(\) expects axis to be an int"):
        call(name, z, [0, 1], axis=1.0)
    with pytest.raises(TypeError, match=rf"^{name}\(\) \(target\) computes in float16, float32 or float64"):
        call(name, z, np.zeros((2, 3), dtype=np.longdouble))


# --- PyTorch ------------------------------------------------------------------------------------


def torch_loss_and_grad(torch, f, z, *args, **kw):
    t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    loss = f(t, *args, **kw)
    (grad,) = torch.autograd.grad(loss.sum(), t)
    return loss.detach().numpy(), grad.numpy()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_matches_pytorch(reduction, torch):
    z = np.concatenate([rng.normal(0, 6, 300), [0.0, -40.0, 40.0, 700.0, -700.0]])
    y = np.concatenate([rng.uniform(0, 1, 150), rng.integers(0, 2, 155).astype(float)])
    F = torch.nn.functional
    loss, grad = torch_loss_and_grad(
        torch, F.binary_cross_entropy_with_logits, z, torch.tensor(y, dtype=torch.float64), reduction=reduction
    )
    assert np.allclose(BCE(z, y, reduction=reduction), loss, rtol=1e-13, atol=1e-14)
    assert np.allclose(BCE_GRAD(z, y, reduction=reduction), grad, rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("kind", ["index", "probabilities"])
@pytest.mark.parametrize("eps", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_ce_matches_pytorch(kind, eps, reduction, torch):
    z = rng.normal(0, 4, size=(9, 6))
    z[0] = [40.0, 0.0, -3.0, 1.0, 2.0, -700.0]
    if kind == "index":
        target = rng.integers(0, 6, 9)
        torch_target = torch.tensor(target)
    else:
        target = bu.softmax(rng.normal(0, 2, size=(9, 6)))
        torch_target = torch.tensor(target, dtype=torch.float64)
    F = torch.nn.functional
    loss, grad = torch_loss_and_grad(torch, F.cross_entropy, z, torch_target, reduction=reduction, label_smoothing=eps)
    kw = {"reduction": reduction, "label_smoothing": eps}
    assert np.allclose(CE(z, target, **kw), loss, rtol=1e-13, atol=1e-14)
    assert np.allclose(CE_GRAD(z, target, **kw), grad, rtol=1e-12, atol=1e-14)


def test_ce_with_classes_along_axis_1_matches_pytorch(torch):
    """PyTorch's (N, C, d1, d2) layout: axis=1 here, and "mean" divides by N d1 d2."""
    z = rng.normal(0, 3, size=(2, 4, 3, 5))
    t = rng.integers(0, 4, size=(2, 3, 5))
    F = torch.nn.functional
    for reduction in ("mean", "sum", "none"):
        loss, grad = torch_loss_and_grad(torch, F.cross_entropy, z, torch.tensor(t), reduction=reduction)
        assert np.allclose(CE(z, t, axis=1, reduction=reduction), loss, rtol=1e-13, atol=1e-15)
        assert np.allclose(CE_GRAD(z, t, axis=1, reduction=reduction), grad, rtol=1e-12, atol=1e-15)


def test_float32_agrees_with_pytorch_float32(torch):
    z = rng.normal(0, 5, size=(64, 10)).astype(np.float32)
    t = rng.integers(0, 10, 64)
    F = torch.nn.functional
    ours = CE(z, t, label_smoothing=0.1)
    theirs = F.cross_entropy(torch.tensor(z), torch.tensor(t), label_smoothing=0.1).item()
    assert ours.dtype == np.float32 and ours == pytest.approx(theirs, rel=1e-6)
    y = rng.uniform(0, 1, size=z.shape).astype(np.float32)
    ours = BCE(z, y)
    theirs = F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y)).item()
    assert ours.dtype == np.float32 and ours == pytest.approx(theirs, rel=1e-6)


def test_where_pytorch_gives_nan_book_utils_gives_the_limit(torch):
    F = torch.nn.functional
    z = torch.tensor([np.inf, -np.inf], dtype=torch.float64)
    y = torch.tensor([1.0, 0.0], dtype=torch.float64)
    assert torch.isnan(F.binary_cross_entropy_with_logits(z, y, reduction="none")).all()
    assert BCE(z.numpy(), y.numpy(), reduction="none").tolist() == [0.0, 0.0]
    logits = torch.tensor([[0.0, -np.inf, 1.0]], dtype=torch.float64)
    q = torch.tensor([[0.5, 0.0, 0.5]], dtype=torch.float64)
    assert torch.isnan(F.cross_entropy(logits, q))
    assert np.isfinite(CE(logits.numpy(), q.numpy()))
