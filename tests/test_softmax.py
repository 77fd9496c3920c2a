"""Softmax and its batched Jacobian: mpmath values, central differences,
shapes, axes and the limits at infinity."""

import mpmath as mp
import numpy as np
import pytest

import book_utils as bu

from numerics import batched_jacobian_by_central_differences, ulp_error

EPS = np.finfo(np.float64).eps
rng = np.random.default_rng(12)
VECTORS = [
    np.array([1.0, 2.0, 3.0]),
    np.array([1000.0, 1001.0, 1002.0]),  # overflows the naive form
    np.array([-1000.0, -1001.0, -1002.0]),  # underflows the naive form to 0/0
    np.array([0.0, -40.0]),  # s_0 rounds to 1: the Jacobian diagonal needs care
    np.array([0.0, -800.0, 5.0, -3.5]),
    rng.normal(0, 5, size=7).round(3),
]


def softmax_ref(x):
    e = [mp.exp(mp.mpf(float(v))) for v in x]
    total = mp.fsum(e)
    return [v / total for v in e]


@pytest.mark.parametrize("x", VECTORS, ids=lambda v: str(v[:3]))
def test_values_against_mpmath(x):
    s = bu.softmax(x)
    # x - max(x) is rounded once (exactly, for these inputs up to |x - m| < 2^-52 |m| scale); then exp, sum, divide.
    for got, ref in zip(s, softmax_ref(x)):
        assert ulp_error(got, ref, np.float64) <= 4 + len(x)


@pytest.mark.parametrize("x", VECTORS, ids=lambda v: str(v[:3]))
def test_jacobian_against_mpmath(x):
    jac = bu.softmax_prime(x)
    s = softmax_ref(x)
    for i in range(len(x)):
        for j in range(len(x)):
            ref = s[i] * ((1 if i == j else 0) - s[j])
            assert ulp_error(jac[i, j], ref, np.float64) <= 6 + 2 * len(x), (i, j, jac[i, j], ref)


def test_jacobian_diagonal_keeps_tiny_values():
    # s = (1 - e^-40, e^-40): the diagonal is s_0 s_1 ~ 4.2e-18, not 0.
    jac = bu.softmax_prime([0.0, -40.0])
    assert jac[0, 0] == jac[1, 1] == -jac[0, 1] > 4e-18


def test_jacobian_matches_central_differences_for_a_batch():
    x = rng.normal(0, 3, size=(4, 5))
    jac = bu.softmax_prime(x)
    assert np.allclose(jac, batched_jacobian_by_central_differences(bu.softmax, x), atol=1e-8, rtol=0)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (4, 2, 3), (1, 1), (5, 1)])
def test_jacobian_shapes_and_batch_consistency(shape):
    x = rng.normal(size=shape)
    jac = bu.softmax_prime(x)
    assert jac.shape == shape + (shape[-1],)
    flat_x = x.reshape(-1, shape[-1])
    flat_jac = jac.reshape(-1, shape[-1], shape[-1])
    for v, j in zip(flat_x, flat_jac):
        s = bu.softmax(v)
        assert np.allclose(j, np.diag(s) - np.outer(s, s), atol=4 * EPS, rtol=0)


def test_softmax_axis():
    x = rng.normal(size=(3, 4, 5))
    for axis in range(-3, 3):
        s = bu.softmax(x, axis=axis)
        assert np.allclose(s.sum(axis=axis), 1, atol=8 * EPS)
        assert np.allclose(s, np.moveaxis(bu.softmax(np.moveaxis(x, axis, -1)), -1, axis), atol=0, rtol=0)


@pytest.mark.parametrize("axis", [3, -4])
def test_softmax_bad_axis(axis):
    with pytest.raises(ValueError, match=r"^softmax\(\) got axis"):
        bu.softmax(np.zeros((2, 3, 4)), axis=axis)


def test_softmax_axis_must_be_int():
    with pytest.raises(TypeError, match=r"^softmax\(\) expects axis"):
        bu.softmax([1.0, 2.0], axis=1.5)


def test_limits_at_infinity():
    assert bu.softmax([np.inf, 3.0, -np.inf]).tolist() == [1.0, 0.0, 0.0]
    assert bu.softmax([-np.inf, 0.0]).tolist() == [0.0, 1.0]
    assert np.isnan(bu.softmax([np.inf, np.inf])).all()  # no limit
    assert np.isnan(bu.softmax([-np.inf, -np.inf])).all()  # no limit
    assert np.isnan(bu.softmax([np.inf, np.nan])).all()  # NaN wins
    assert bu.softmax([-np.inf]).tolist() == [1.0]  # length one: constant 1
    assert bu.softmax_prime([-np.inf]).tolist() == [[0.0]]
    assert bu.softmax_prime([np.inf, 0.0]).tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_nan_spoils_only_its_own_row():
    x = np.array([[1.0, np.nan], [1.0, 1.0]])
    s = bu.softmax(x)
    assert np.isnan(s[0]).all() and s[1].tolist() == [0.5, 0.5]
    jac = bu.softmax_prime(x)
    assert np.isnan(jac[0]).all() and not np.isnan(jac[1]).any()


def test_scalar_and_empty():
    assert bu.softmax(7.0) == 1.0 and bu.softmax_prime(7.0) == 0.0
    assert bu.softmax(np.zeros((0, 3))).shape == (0, 3)
    assert bu.softmax(np.zeros((3, 0))).shape == (3, 0)
    assert bu.softmax_prime(np.zeros((2, 0))).shape == (2, 0, 0)


def test_float32_huge_inputs():
    x = np.array([3e38, -3e38, 0.0], dtype=np.float32)
    assert bu.softmax(x).tolist() == [1.0, 0.0, 0.0]
    assert bu.softmax(x).dtype == np.float32


def test_one_hot_argmax_reads_only_its_argument():
    a = np.array([0.2, 3.0, 1.0])
    b = np.array([5.0, 1.0, 2.0])
    assert bu.one_hot_argmax(a).tolist() == [0.0, 1.0, 0.0]
    assert bu.one_hot_argmax(b).tolist() == [1.0, 0.0, 0.0]
    assert bu.one_hot_argmax([1.0, 1.0]).tolist() == [1.0, 0.0]  # first of a tie
    assert bu.one_hot_argmax(np.stack([a, b]), axis=0).tolist() == [[0, 1, 0], [1, 0, 1]]
    assert np.isnan(bu.one_hot_argmax([1.0, np.nan])).all()


@pytest.mark.parametrize("temperature", [0.01, 0.1])
def test_low_temperature_approaches_argmax(temperature):
    x = np.array([1.0, 2.5, 0.3, 2.0])
    assert np.allclose(bu.softmax(x / temperature), bu.one_hot_argmax(x), atol=0.01)


def test_high_temperature_approaches_uniform():
    x = np.array([1.0, 2.5, 0.3, 2.0])
    assert np.allclose(bu.softmax(x / 1e4), 0.25, atol=1e-3)


def log_softmax_ref(x):
    total = mp.fsum(mp.exp(mp.mpf(float(v))) for v in x)
    return [mp.mpf(float(v)) - mp.log(total) for v in x]


# Rows where one entry dominates (the sum of the others is < 1, so log(sum) would
# cancel: log_softmax sums the others without the maximum), with ties at the
# maximum, and ordinary rows; in both dtypes.
LOG_ROWS = [
    [0.0, -40.0, -45.0],
    [0.0, -0.7, -1.5],  # the others sum to 0.72: still the dominant-entry path
    [3.0, 3.0, -50.0],  # a tie at the maximum counts once among the others
    [7.0, 7.0, 7.0, 7.0],
    [1e-3, 0.0, -1e-3],
    [20.0, -3.0, 1.5, 0.25, -30.0],
    [-1000.0, -1001.0, -1060.0],
]


@pytest.mark.parametrize("row", LOG_ROWS, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_softmax_accurate_when_one_entry_dominates(row, dtype):
    x = np.array(row, dtype=dtype)
    got = bu.log_softmax(x)
    assert got.dtype == dtype
    for g, ref in zip(got, log_softmax_ref(x)):
        assert ulp_error(g, ref, dtype) <= 4 + len(x), (row, g, ref)


def test_log_softmax_batch_mixes_dominant_and_ordinary_rows():
    x = np.array([[0.0, -40.0, -45.0], [1.0, 2.0, 3.0], [5.0, 5.0, -60.0]])
    got = bu.log_softmax(x)
    for row, values in zip(x, got):
        for g, ref in zip(values, log_softmax_ref(row)):
            assert ulp_error(g, ref, np.float64) <= 7
    np.testing.assert_array_equal(got, np.vstack([bu.log_softmax(row) for row in x]))
