"""Properties of the activations, computed from book_utils itself.

The comparison page's table is generated here, so no cell of it is typed by
hand: range, monotonicity, smoothness, mean output for a standard normal
input, the largest slope and where the function saturates are all measured
on the functions and their derivatives. tests/test_properties.py holds the
mathematically known answers and fails if a computed value disagrees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import catalogue as _catalogue
from .catalogue import Activation


def catalogue() -> list[Activation]:
    """Every element-wise activation of the book, in the order of the chapter
    (the rows of :mod:`book_utils.catalogue`)."""
    return _catalogue.elementwise()


# Grid for the measurements: fine enough (step 1/16000) to find every
# extremum to 4 digits, containing every kink of the catalogue (-3, -1, 0, 1,
# 3), and narrow enough that no saturating function rounds to its limit on
# it (tanh(8) < 1 in float64, tanh(20) = 1 is not).
GRID = np.linspace(-8, 8, 256_001)
INF = np.array([-np.inf, np.inf])


@dataclass(frozen=True)
class Properties:
    range_low: float
    range_high: float
    low_attained: bool  # the bound is a value of f (closed end), not only a limit
    high_attained: bool
    values: tuple[float, ...] | None  # for a function with a few values only (step)
    monotonic: bool  # non-decreasing over the real line
    smoothness: int  # -1: discontinuous, 0: C^0, 1: C^1, 2: C^2 or smoother
    mean_normal: float  # E[f(Z)], Z ~ N(0, 1)
    max_slope: float  # sup |f'|
    saturates_left: bool  # f'(x) -> 0 as x -> -inf
    saturates_right: bool


def _jumps(g: Callable, points: np.ndarray, tol: float = 1e-3) -> bool:
    """True if g jumps at one of ``points``: the gap g(x+d) - g(x-d) stays
    large as d shrinks (for a continuous g it shrinks with d)."""
    wide = np.abs(g(points + 1e-4) - g(points - 1e-4))
    narrow = np.abs(g(points + 1e-5) - g(points - 1e-5))
    return bool(np.any((wide > tol) & (narrow > 0.5 * wide)))


def _second_derivative(fprime: Callable) -> Callable:
    h = 1e-6
    return lambda x: (fprime(x + h) - fprime(x - h)) / (2 * h)


def smoothness(entry: Activation, points: np.ndarray | None = None) -> int:
    """-1 if f jumps, 0 if f' jumps, 1 if f'' jumps, else 2 (C^2 or smoother)."""
    points = np.linspace(-10, 10, 1281) if points is None else points  # step 1/64: hits every kink
    if _jumps(entry.f, points):
        return -1
    if _jumps(entry.fprime, points):
        return 0
    if _jumps(_second_derivative(entry.fprime), points, tol=1e-2):
        return 1
    return 2


def mean_under_standard_normal(f: Callable) -> float:
    """E[f(Z)] for Z ~ N(0, 1), by the trapezoid rule on [-12, 12]."""
    x = np.linspace(-12, 12, 240_001)
    density = np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
    return float(np.trapezoid(f(x) * density, x))


def measure(entry: Activation) -> Properties:
    y = entry.f(GRID)
    limits = entry.f(INF)
    low, high = float(min(y.min(), limits.min())), float(max(y.max(), limits.max()))
    distinct = np.unique(np.concatenate([y, limits]))
    slopes = np.abs(entry.fprime(GRID))
    prime_limits = entry.fprime(INF)
    return Properties(
        range_low=low,
        range_high=high,
        low_attained=bool(y.min() <= low),
        high_attained=bool(y.max() >= high),
        values=tuple(float(v) for v in distinct) if len(distinct) <= 3 else None,
        monotonic=bool(np.all(np.diff(y) >= 0)),
        smoothness=smoothness(entry),
        mean_normal=mean_under_standard_normal(entry.f),
        max_slope=float(max(slopes.max(), np.abs(prime_limits).max())),
        saturates_left=bool(prime_limits[0] == 0),
        saturates_right=bool(prime_limits[1] == 0),
    )


# --- formatting for the table ----------------------------------------------------------


def _number(v: float) -> str:
    if np.isinf(v):
        return r"\infty" if v > 0 else r"-\infty"
    if v == round(v):
        return str(int(round(v)))
    text = f"{v:.4f}"
    # Exact short decimals (0.5, -0.375) lose their trailing zeros; rounded
    # values (-0.16997 -> -0.1700) keep all four digits.
    return text.rstrip("0") if abs(v - round(v, 4)) < 1e-12 else text


def format_range(p: Properties) -> str:
    if p.values is not None:
        return r"\{" + ", ".join(_number(v) for v in p.values) + r"\}"
    left = "[" if p.low_attained and np.isfinite(p.range_low) else "("
    right = "]" if p.high_attained and np.isfinite(p.range_high) else ")"
    return f"{left}{_number(p.range_low)}, {_number(p.range_high)}{right}"


SMOOTHNESS_LABELS = {-1: "不連続", 0: "$C^0$", 1: "$C^1$", 2: "$C^2$ 以上"}


def format_saturation(p: Properties) -> str:
    return {(True, True): "両側", (True, False): "負の側", (False, True): "正の側", (False, False): "なし"}[
        (p.saturates_left, p.saturates_right)
    ]


COLUMNS = ("関数", "値域", "単調増加", "滑らかさ", "$E[f(Z)]$", "ゼロ中心", "最大傾き", "飽和")


def table(entries: list[Activation] | None = None):
    """The comparison table as a pandas DataFrame (Japanese column names).

    ``entries=None`` (the default) means every row of :func:`catalogue`; an
    empty list gives an empty table with the same columns.
    Cells are strings as printed ("0.250", "$(0, 1)$"); the column names
    contain no "|" so the frame can be written as a Markdown table.

    >>> list(table([]).columns) == list(COLUMNS) and len(table([])) == 0
    True
    """
    import pandas as pd

    rows = []
    for entry in catalogue() if entries is None else entries:
        p = measure(entry)
        rows.append(
            {
                "関数": entry.ja,
                "値域": f"${format_range(p)}$",
                "単調増加": "はい" if p.monotonic else "いいえ",
                "滑らかさ": SMOOTHNESS_LABELS[p.smoothness],
                "$E[f(Z)]$": f"{p.mean_normal + 0.0:.3f}".replace("-0.000", "0.000"),
                "ゼロ中心": "はい" if abs(p.mean_normal) < 0.05 else "いいえ",
                "最大傾き": f"{p.max_slope:.3f}",
                "飽和": format_saturation(p),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))
