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


def max_ulp_error(f, ref, points, dtype) -> tuple[float, float]:
    """Largest ULP error of ``f`` over ``points`` and the point where it occurs."""
    xs = np.asarray(points, dtype=dtype)
    ys = f(xs)
    assert ys.dtype == dtype
    errors = [ulp_error(y, ref(mp.mpf(float(x))), dtype) for x, y in zip(xs, ys)]
    i = int(np.argmax(errors))
    return errors[i], float(xs[i])
