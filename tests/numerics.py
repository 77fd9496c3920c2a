"""Helpers to measure errors in units in the last place (ULP)."""

from __future__ import annotations

import mpmath as mp
import numpy as np


def _ulps(computed, reference: mp.mpf, size: mp.mpf, dtype) -> float:
    """|computed - reference| in ULPs of ``dtype`` at the magnitude ``size``.

    A true value beyond max + ulp/2 must round to inf (with its sign); a
    reference of exactly the largest float (relu(max) = max) is finite. The
    spacing is taken at ``size`` rounded to ``dtype`` (below max, where
    np.spacing would be inf), so for subnormal results it is the smallest
    subnormal: an absolute error.
    """
    info = np.finfo(dtype)
    overflow = mp.mpf(float(info.max)) + mp.mpf(2.0) ** (int(info.maxexp) - int(info.nmant) - 2)  # max + ulp/2
    computed = dtype(computed)
    if size >= overflow:
        return 0.0 if np.isinf(computed) and (computed > 0) == (reference > 0) else np.inf
    if np.isinf(computed):
        return np.inf
    if not size:
        return float(abs(mp.mpf(float(computed)) - reference) / float(info.smallest_subnormal))
    v = dtype(float(size))
    spacing = float(np.spacing(v if v < info.max else np.nextafter(v, dtype(0))))
    return float(abs(mp.mpf(float(computed)) - reference) / spacing)


def ulp_error(computed, reference: mp.mpf, dtype) -> float:
    """|computed - reference| in ULPs of ``dtype`` at the reference value."""
    return _ulps(computed, reference, abs(reference), dtype)


def max_ulp_error(f, ref, points, dtype, scale=None, extra=None) -> tuple[float, float]:
    """Largest ULP error of ``f`` over ``points`` and the point where it occurs.

    With ``scale(x)``, errors are counted in ULPs of max(|ref|, scale): for a
    sum of terms of opposite sign the attainable accuracy is relative to the
    terms, not to the sum (which vanishes at the function's extrema).
    With ``extra(x)``, that many ULPs are subtracted first (an allowance for
    ill-conditioned points); the result is what remains beyond it.
    """
    xs = np.asarray(points, dtype=dtype)
    ys = f(xs)
    assert ys.dtype == dtype
    errors = []
    for x, y in zip(xs, ys):
        X = mp.mpf(float(x))
        r = ref(X)
        size = max(abs(r), scale(X)) if scale is not None else abs(r)
        error = _ulps(y, r, size, dtype)
        if extra is not None:
            error = max(0.0, error - float(extra(X)))
        errors.append(error)
    i = int(np.argmax(errors))
    return errors[i], float(xs[i])


def batched_jacobian_by_central_differences(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d f(x)_i / d x_j over the last axis, for a batch x of shape (..., n).

    Truncation error O(h^2) ~ 1e-12, rounding O(eps / h) ~ 2e-10: compare
    with an absolute tolerance around 1e-8 for outputs of size ~1.
    """
    n = x.shape[-1]
    columns = []
    for k in range(n):
        step = np.zeros(n)
        step[k] = h
        columns.append((f(x + step) - f(x - step)) / (2 * h))  # d f / d x_k, shape (..., n)
    return np.stack(columns, axis=-1)


def finite_floats(dtype, extremes=()):
    """A hypothesis strategy: any finite float of the dtype, drawn mostly where
    the book's functions change ([-50, 50], [-1e3, 1e3], log-uniform |x| from
    2^-30 to 2^7), then over the whole range (hypothesis itself favours the
    boundaries: 0, the smallest subnormal, the largest float), plus ``extremes``
    and +-max and the smallest subnormal."""
    from hypothesis import strategies as st

    info = np.finfo(dtype)
    width = 32 if dtype == np.float32 else 64
    return st.one_of(
        st.floats(-50, 50, width=width),
        st.floats(-1e3, 1e3, width=width),
        st.tuples(st.sampled_from([-1.0, 1.0]), st.floats(-30, 7)).map(lambda t: t[0] * 2.0 ** t[1]),
        st.floats(allow_nan=False, allow_infinity=False, width=width),
        st.sampled_from([float(info.max), -float(info.max), float(info.smallest_subnormal), *extremes]),
    )
