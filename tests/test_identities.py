"""Identities the chapters derive, checked numerically over wide ranges."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import book_utils as bu

EPS = np.finfo(np.float64).eps
X = np.concatenate([np.linspace(-50, 50, 1001), [-1e300, -1000.0, 1000.0, 1e300]])
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def test_sigmoid_point_symmetry():
    # sigma(-x) = 1 - sigma(x): both sides within a few ULP of 1.
    assert np.max(np.abs(bu.sigmoid(-X) - (1 - bu.sigmoid(X)))) <= 2 * EPS


def test_tanh_is_shifted_scaled_sigmoid():
    assert np.max(np.abs(bu.tanh(X) - (2 * bu.sigmoid(2 * X) - 1))) <= 4 * EPS


def test_tanh_prime_two_forms():
    x = np.linspace(-5, 5, 201)  # where 1 - tanh^2 is still accurate
    assert np.allclose(bu.tanh_prime(x), 1 - np.tanh(x) ** 2, rtol=1e-12, atol=1e-15)
    assert np.allclose(bu.tanh_prime(x), 1 / np.cosh(x) ** 2, rtol=1e-14, atol=0)


def test_sigmoid_prime_product_form():
    # sigma' = sigma (1 - sigma) = sigma(x) sigma(-x); the second product has
    # no cancellation, so it agrees to a few ULP everywhere.
    x = np.linspace(-700, 700, 1401)
    assert np.allclose(bu.sigmoid_prime(x), bu.sigmoid(x) * bu.sigmoid(-x), rtol=8 * EPS, atol=0)
    # The first product agrees only while 1 - sigma keeps its digits (|x| < ~5).
    x = np.linspace(-5, 5, 101)
    s = bu.sigmoid(x)
    assert np.allclose(bu.sigmoid_prime(x), s * (1 - s), rtol=1e-13, atol=0)


@settings(max_examples=300, deadline=None)
@given(x=finite)
def test_softplus_difference_is_identity(x):
    # softplus(x) - softplus(-x) = x
    assert abs((bu.softplus(x) - bu.softplus(-x)) - x) <= 4 * EPS * max(1.0, abs(x))


def test_softplus_above_relu_by_at_most_log2():
    gap = bu.softplus(X) - bu.relu(X)
    assert np.all(gap >= 0)
    assert np.max(gap) == bu.softplus(0.0) == np.log(2.0)


def test_softplus_prime_is_sigmoid():
    assert np.array_equal(bu.softplus_prime(X), bu.sigmoid(X))


@settings(max_examples=200, deadline=None)
@given(x=st.lists(finite, min_size=1, max_size=8), c=finite)
def test_softmax_sums_to_one_and_is_shift_invariant(x, c):
    x = np.array(x)
    s = bu.softmax(x)
    assert np.all(s >= 0)
    assert abs(s.sum() - 1) <= len(x) * EPS
    assert np.allclose(bu.softmax(x + c), s, rtol=1e-6, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(x=st.lists(finite, min_size=1, max_size=8))
def test_softmax_jacobian_rows_sum_to_zero(x):
    jac = bu.softmax_prime(np.array(x))
    assert np.all(np.abs(jac.sum(axis=-1)) <= len(x) * EPS)
    assert np.array_equal(jac, np.swapaxes(jac, -1, -2))


@pytest.mark.parametrize("x", [-30.0, -2.0, 0.0, 0.7, 25.0])
def test_two_class_softmax_is_sigmoid(x):
    assert abs(bu.softmax([x, 0.0])[0] - bu.sigmoid(x)) <= 2 * EPS
