"""The vector activations of the catalogue (softmax, log-softmax), generated
from it: values against their mpmath oracle (tests/oracles.py), the Jacobian
against the oracle differentiated in mpmath and against central differences
for a batch. Softmax-specific behaviour (limits at infinity, axes, the
one-hot helper) is in test_softmax.py."""

import mpmath as mp
import numpy as np
import pytest

from book_utils import catalogue

from numerics import batched_jacobian_by_central_differences, ulp_error
from oracles import VECTOR_ORACLES

ROWS = [row for row in catalogue.ACTIVATIONS if not row.elementwise]
rng = np.random.default_rng(21)
VECTORS = [
    np.array([1.0, 2.0, 3.0]),
    np.array([1000.0, 1001.0, 1002.0]),  # overflows the naive form
    np.array([-1000.0, -1001.0, -1002.0]),  # underflows the naive form to 0/0
    np.array([0.0, -40.0]),  # one probability rounds to 1
    np.array([0.0, -800.0, 5.0, -3.5]),
    rng.normal(0, 5, size=6).round(3),
]


def reference(row, x):
    return VECTOR_ORACLES[row.name]([mp.mpf(float(v)) for v in x])


@pytest.mark.parametrize("x", VECTORS, ids=lambda v: str(v[:3]))
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_values_against_the_oracle(row, x):
    # x - max(x) is rounded once (half an ULP, which exp magnifies by its
    # condition number |x_i - max|), then exp, a sum of n terms, a division or log.
    for got, ref, xi in zip(row.f(x), reference(row, x), x):
        assert ulp_error(got, ref, np.float64) <= 4 + len(x) + abs(xi - x.max()) / 2, (row.name, got, ref)


@pytest.mark.parametrize("x", VECTORS[:4], ids=lambda v: str(v[:3]))
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_jacobian_against_the_differentiated_oracle(row, x):
    n = len(x)
    point = [mp.mpf(float(v)) for v in x]
    jac = row.fprime(x)
    for j in range(n):

        def along_j(t, j=j):
            moved = list(point)
            moved[j] += t
            return VECTOR_ORACLES[row.name](moved)

        column = [mp.diff(lambda t, i=i: along_j(t)[i], 0) for i in range(n)]
        for i in range(n):
            scale = max(abs(column[i]), mp.mpf(1e-300))
            assert abs(mp.mpf(float(jac[i, j])) - column[i]) <= 1e-13 * max(scale, 1e-3), (row.name, i, j)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_jacobian_matches_central_differences_for_a_batch(row):
    x = rng.normal(0, 3, size=(4, 5))
    assert np.allclose(row.fprime(x), batched_jacobian_by_central_differences(row.f, x), atol=1e-8, rtol=0)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_jacobian_shape_is_the_input_shape_plus_n(row):
    x = rng.normal(size=(2, 3, 4))
    assert row.f(x).shape == (2, 3, 4)
    assert row.fprime(x).shape == (2, 3, 4, 4)
