"""Every derivative against central differences, in float64.

Central difference with step h = eps^(1/3) * max(1, |x|): the truncation
error is O(h^2 |f'''|) and the rounding error O(eps |f| / h), both about
eps^(2/3) ~ 4e-11 relative to the scale max(1, |f|, |f'|). A tolerance of
1e-7 on that scale leaves more than three orders of magnitude of margin
while still catching any wrong formula (1/cosh instead of 1/cosh^2 is off
by 0.2 at x = 1). Points closer than 4h to a kink are excluded; the value
at the kink is a convention, tested separately.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import book_utils as bu

from oracles import CASES

EPS = np.finfo(np.float64).eps
GRID = np.linspace(-25, 25, 2001)  # includes x = 0


def central_difference(f, x):
    h = np.cbrt(EPS) * np.maximum(1.0, np.abs(x))
    return (f(x + h) - f(x - h)) / (2 * h), h


def assert_matches_central_difference(f, fprime, x, kinks=()):
    numeric, h = central_difference(f, x)
    keep = np.ones_like(x, dtype=bool)
    for k in kinks:
        keep &= np.abs(x - k) > 4 * h
    scale = np.maximum.reduce([np.ones_like(x), np.abs(f(x)), np.abs(fprime(x))])
    err = np.abs(numeric - fprime(x)) / scale
    assert keep.sum() > 0.9 * x.size
    bad = keep & (err > 1e-7)
    assert not bad.any(), f"derivative off at x = {x[bad][:5]}, relative error {err[bad][:5]}"


@pytest.mark.parametrize("act", CASES, ids=str)
def test_derivative_matches_central_difference_on_grid(act):
    assert_matches_central_difference(act.f, act.fprime, GRID, act.kinks)


@pytest.mark.parametrize("act", CASES, ids=str)
@settings(max_examples=300, deadline=None)
@given(x=st.floats(min_value=-60, max_value=60, allow_nan=False))
def test_derivative_matches_central_difference_anywhere(act, x):
    assume(all(abs(x - k) > 1e-4 for k in act.kinks))
    assert_matches_central_difference(act.f, act.fprime, np.array([x]), act.kinks)


@pytest.mark.parametrize("a", [0.1, 0.5, 1.0, 3.0, 10.0])
def test_sigmoid_gain_derivative(a):
    f = lambda x: bu.sigmoid(x, a=a)
    fprime = lambda x: bu.sigmoid_prime(x, a=a)
    assert_matches_central_difference(f, fprime, GRID / max(a, 1.0))


@pytest.mark.parametrize("act", [a for a in CASES if a.prime_at_kinks], ids=str)
def test_convention_at_kinks(act):
    for kink, value in act.prime_at_kinks.items():
        assert act.fprime(kink) == value
        assert act.fprime(-0.0 if kink == 0 else kink) == value


def test_relu_one_sided_derivatives_at_zero():
    # The convention ReLU'(0) = 0 is the left derivative; the right one is 1.
    h = 1e-8
    assert (bu.relu(0.0) - bu.relu(-h)) / h == 0.0
    assert (bu.relu(h) - bu.relu(0.0)) / h == 1.0


def test_seed_tanh_derivative_error_is_caught():
    # The seed wrote (tanh x)' = 1/cosh x; the check above must reject it.
    wrong = lambda x: 1 / np.cosh(x)
    with pytest.raises(AssertionError):
        assert_matches_central_difference(bu.tanh, wrong, np.linspace(-5, 5, 101))
