"""Curves with jumps, drawn as separate pieces.

A plotting library joins consecutive samples with a line, so a function that
jumps at ``x = j`` (a derivative at a kink, the step function) gets a
vertical segment there that is not part of its graph. The book draws such a
function as on the ReLU page: the pieces apart, a filled dot at the value at
``j`` (the convention of ``book_utils``) and an open dot at each one-sided
limit that differs from it.

Both drawings use this: matplotlib (:func:`book_utils.plotting.forward_backward`,
:func:`book_utils.plotting.activation_grid`) and the SVG of the sliders
(``book_utils/_svgchart.py``). A NaN in ``y`` lifts the pen in both.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["jump_grid", "break_at_jumps"]


def jump_grid(x, jumps: Sequence[float]) -> np.ndarray:
    """``x`` (sorted) with three samples added at each jump ``j`` inside it:
    the floats just below ``j``, ``j`` itself and just above, so that each
    piece runs up to the jump and the value at ``j`` is known."""
    x = np.asarray(x, dtype=float)
    extra = []
    for j in jumps:
        if x[0] < j < x[-1]:
            extra += [np.nextafter(j, -np.inf), float(j), np.nextafter(j, np.inf)]
    return np.unique(np.concatenate([x, extra])) if extra else x


def break_at_jumps(x: np.ndarray, y: np.ndarray, jumps: Sequence[float], *, rtol: float = 1e-9):
    """Where ``y`` (sampled on ``jump_grid(x, jumps)``) really jumps, put a NaN
    at ``j`` so no segment joins the pieces.

    Returns ``(y_line, filled, hollow)``: the samples to draw as a line, the
    points ``(j, y(j))`` to mark with a filled dot and the one-sided limits
    ``(j, y(j±))`` that differ from ``y(j)``, to mark with an open dot. A
    jump listed where ``y`` is continuous (ELU' with alpha = 1) changes nothing.
    """
    x = np.asarray(x, dtype=float)
    y = np.array(y, dtype=float)  # a copy: the NaNs go into it
    filled: list[tuple[float, float]] = []
    hollow: list[tuple[float, float]] = []
    for j in jumps:
        i = int(np.searchsorted(x, j))
        if not (0 < i < len(x) - 1 and x[i] == j):
            continue  # at an end of x, or not on the grid: nothing to break
        left, at, right = y[i - 1], y[i], y[i + 1]
        if not (np.isfinite(left) and np.isfinite(right)):
            continue
        if abs(left - right) <= rtol * max(1.0, abs(left), abs(right)):
            continue  # continuous here
        y[i] = np.nan
        if np.isfinite(at):
            filled.append((float(j), float(at)))
        for limit in (left, right):
            if not (np.isfinite(at) and abs(limit - at) <= rtol * max(1.0, abs(at))):
                hollow.append((float(j), float(limit)))
    return y, filled, hollow
