"""The private kernels that several activations share, tested on their own."""

from __future__ import annotations

import numpy as np
import pytest

from book_utils import _kernels


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
