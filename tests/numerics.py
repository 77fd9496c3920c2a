"""Helpers to measure errors in units in the last place (ULP)."""

from __future__ import annotations

import mpmath as mp
import numpy as np


def ulp_error(computed, reference: mp.mpf, dtype) -> float:
    """|computed - reference| in ULPs of ``dtype`` at the reference value.

    The spacing is taken at the reference rounded to ``dtype``, so for
    subnormal results it is the smallest subnormal (an absolute error).
    """
    computed = dtype(computed)
    ref_rounded = dtype(float(reference)) if abs(reference) < float(np.finfo(dtype).max) else dtype(np.inf)
    if np.isinf(ref_rounded) or np.isinf(computed):
        return 0.0 if computed == ref_rounded else np.inf
    spacing = float(np.spacing(np.abs(ref_rounded)))
    return float(abs(mp.mpf(float(computed)) - reference) / spacing)


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
        r = ref(mp.mpf(float(x)))
        if scale is not None:
            s = max(abs(r), scale(mp.mpf(float(x))))
            spacing = float(np.spacing(np.abs(dtype(float(s))))) if s else float(np.finfo(dtype).smallest_subnormal)
            errors.append(float(abs(mp.mpf(float(y)) - r) / spacing))
        else:
            errors.append(ulp_error(y, r, dtype))
        if extra is not None:
            errors[-1] = max(0.0, errors[-1] - float(extra(mp.mpf(float(x)))))
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
