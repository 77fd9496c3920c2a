"""The private kernels that several activations share, tested on their own."""

from __future__ import annotations

import numpy as np
import pytest

from book_utils import _kernels

from numerics import max_ulp_error
from oracles import CASES


def _square_plus_one(b: np.ndarray) -> np.ndarray:
    return b.astype(np.float64) ** 2 + 1


SHAPES = [(), (0,), (5,), (_kernels.BLOCK,), (_kernels.BLOCK + 1,), (3, 40_000), (7, 11, 2000)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_blockwise_matches_one_call(shape, layout):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    if layout == "F":
        x = np.asfortranarray(x)
    elif layout == "strided" and x.ndim:
        x = np.repeat(x, 2, axis=-1)[..., ::2]
    got = _kernels.blockwise(_square_plus_one, x, np.dtype(np.float32))
    assert got.dtype == np.float32 and got.shape == x.shape
    np.testing.assert_array_equal(got, (x.astype(np.float64) ** 2 + 1).astype(np.float32))


def test_blockwise_rounds_overflow_to_inf_without_warning():
    x = np.full(_kernels.BLOCK * 2 + 3, 1e20, np.float32)  # (1e20)^2 + 1 overflows float32
    with np.errstate(all="raise"):
        got = _kernels.blockwise(_square_plus_one, x, np.dtype(np.float32))
        small = _kernels.blockwise(_square_plus_one, x[:3], np.dtype(np.float32))
    assert np.all(got == np.inf) and np.all(small == np.inf)


def test_blockwise_calls_the_kernel_on_blocks_only():
    sizes = []

    def kernel(b):
        sizes.append(b.size)
        return b * 2

    x = np.ones(2 * _kernels.BLOCK + 5)
    _kernels.blockwise(kernel, x, x.dtype)
    assert sizes == [_kernels.BLOCK, _kernels.BLOCK, 5]


# --- the sigmoid family: a short formula per array, unless an element overflows it ---------

FAMILY = {case.name: case for case in CASES if case.name in ("sigmoid", "tanh", "softplus", "log_sigmoid")}
# Each side of where exp(+-x), cosh x or cosh 2x overflows.
NEAR_OVERFLOW = {
    np.float32: [44.0, 44.3, 44.4, 44.8, 87.0, 87.3, 88.0, 88.7, 88.72, 88.8, 89.4, 89.5, 104.0],
    np.float64: [354.0, 354.8, 355.0, 356.0, 700.0, 708.4, 709.7, 709.78, 709.8, 710.4, 710.5, 745.0, 746.0],
}
# Where an earlier formula was off by more than 4 ULP, or the present one comes closest to it
# (see REGRESSIONS in test_values_random.py).
WORST = [
    1.7033253908157349,
    3.118694141474208,
    -5.539205422659691,
    -5.666038990020752,
    8.676265716552734,
    17.35253143310547,
]


def _one_call_per_point(f):
    return lambda xs: np.array([f(x) for x in xs])


def _with_overflowing_neighbours(f):
    return lambda xs: f(np.concatenate([xs, [np.finfo(xs.dtype).max, -np.finfo(xs.dtype).max]]))[:-2]


# (name, derivative): tanh itself is np.tanh, one formula.
TWO_FORMULAS = [(name, d) for name in sorted(FAMILY) for d in (False, True) if (name, d) != ("tanh", False)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=lambda d: d.__name__)
@pytest.mark.parametrize("name,derivative", TWO_FORMULAS, ids=[n + "'" * d for n, d in TWO_FORMULAS])
def test_sigmoid_family_both_formulas_within_4_ulp(name, derivative, dtype):
    """sigmoid, tanh', softplus, log_sigmoid and their derivatives compute an
    array with a short formula unless one of its elements overflows an exp or
    cosh, and then the whole array with a longer one that never overflows.
    The grids of test_values.py hold such elements, so they only measure the
    longer formula; here each is measured: every point on its own (the short
    formula, wherever it does not overflow) and all of them next to +-max."""
    case = FAMILY[name]
    f, ref = (case.fprime, case.ref_prime) if derivative else (case.f, case.ref)
    grid = np.linspace(-30, 30, 121)
    near = np.array(NEAR_OVERFLOW[dtype])
    points = np.concatenate([grid, near, -near, WORST, np.negative(WORST)]).astype(np.float64)
    points = points[np.abs(points) <= np.finfo(dtype).max].astype(dtype)
    label = name + "'" * derivative
    for path in (_one_call_per_point(f), _with_overflowing_neighbours(f)):
        worst, where = max_ulp_error(path, ref, points, dtype)
        assert worst <= 4, f"{label} ({dtype.__name__}): {worst:.2f} ULP at x = {where!r}"
