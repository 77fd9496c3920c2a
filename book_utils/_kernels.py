"""Numerical kernels shared by the classic (core) and modern activations.

Private: the public functions check their input (``_inputs``) and then call
these on clean float arrays. Each kernel is the stable form of one piece of
arithmetic (the logistic function, sech^2, x * sigma(z) in the tails, Dekker's
exact product, the limits at +-inf, the shifted exponentials of softmax), so
every activation that needs it uses the same one.
"""

from __future__ import annotations

import numpy as np


def working(arr: np.ndarray) -> np.ndarray:
    """float16 is computed in float32 (its exponent range is too small for
    intermediate sums); the result is cast back by ``finish``."""
    return arr.astype(np.float32) if arr.dtype == np.float16 else arr


def wide(arr: np.ndarray) -> np.ndarray:
    """float16/float32 computed in float64, for chains of several exp and
    products: NumPy's float32 exp is off by up to 2 ULP, and with the
    roundings after it the result drifted past 4 ULP (silu, mish and their
    derivatives; sigmoid'). In float64 every step is ~2^-29 float32 ULP, and
    ``finish`` rounds once, at the end."""
    return arr if arr.dtype == np.float64 else arr.astype(np.float64)


# Elements per block in ``blockwise``: a float64 block is 256 KiB, so the
# dozen temporaries of a long formula stay in the 1-2 MiB L2 cache instead of
# each being a full-size array streamed through memory.
BLOCK = 1 << 15


def blockwise(kernel, w: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``kernel(w)`` cast to ``dtype``, computed block by block for large ``w``.

    ``kernel`` maps a 1-d float array to the values of the function there
    (in any float type; e.g. float64 for a float32 block, see ``wide``). The
    output is allocated once; the temporaries are those of one block, so the
    peak memory is the output plus a constant, and a float32 input never gets
    a full-size float64 copy. A result beyond ``dtype``'s range rounds to
    +-inf (IEEE), without a warning.
    """
    if w.size <= BLOCK:
        out = kernel(w.reshape(-1)).reshape(w.shape)
        if out.dtype != dtype:
            with np.errstate(over="ignore"):
                out = out.astype(dtype)
        return out
    order = "F" if w.flags.f_contiguous and not w.flags.c_contiguous else "C"
    flat = w.reshape(-1, order=order)  # a view for a contiguous array, else one copy
    out = np.empty(flat.size, dtype)
    with np.errstate(over="ignore"):
        for start in range(0, flat.size, BLOCK):
            out[start : start + BLOCK] = kernel(flat[start : start + BLOCK])
    return out.reshape(w.shape, order=order)


def scaled(x: np.ndarray, a: float) -> np.ndarray:
    """Return a*x. An overflow to +-inf is the right input for a saturating
    function, so it is not a warning here; a = 0 must not turn 0*inf into NaN."""
    if a == 1.0:
        return x  # the standard sigmoid: nothing to scale, nothing to copy
    if a == 0.0:
        return np.where(np.isnan(x), x, np.zeros_like(x))
    with np.errstate(over="ignore"):
        # Multiply in float64 and round once: a itself may not fit in float32.
        return (x.astype(np.float64, copy=False) * a).astype(x.dtype, copy=False)


def times(w: np.ndarray, c: float) -> np.ndarray:
    """c * w in w's dtype, without a warning, for a finite parameter c.

    A Python float meets a float32 array as float32 (NumPy's promotion
    rules), so a c beyond float32's range would overflow in that cast, and a
    c below its smallest subnormal would become 0 (then -inf * 0 is NaN).
    Such a c is applied in float64 and the product rounded once; any other c
    is rounded to the dtype first (at most one ULP more than rounding once).
    A product beyond the range is +-inf, its correct rounding.
    """
    big, smallest = _RANGE[w.dtype.char]
    if (c == 0 or smallest <= abs(c) <= big) and abs(c) <= 1:
        return w * w.dtype.type(c)  # c fits the dtype and |w c| <= |w|: nothing to guard (~0.5 us)
    with np.errstate(over="ignore", under="ignore"):
        t = w.dtype.type(c)
        if np.isfinite(t) and (t != 0 or c == 0):
            return w * t
        return (w.astype(np.float64) * c).astype(w.dtype)


def fits(c: float, dtype: np.dtype) -> bool:
    """Whether the finite parameter c becomes a finite, nonzero-if-c-is float of ``dtype``."""
    big, smallest = _RANGE[dtype.char]
    return c == 0 or smallest <= abs(c) <= big


# Largest finite and smallest positive (subnormal) value of each float dtype.
_RANGE = {
    np.dtype(t).char: (float(np.finfo(t).max), float(np.finfo(t).smallest_subnormal))
    for t in (np.float16, np.float32, np.float64)
}


def logistic(z: np.ndarray, negate: bool = False) -> np.ndarray:
    # exp(-|z|) is in (0, 1]: it cannot overflow, and both branches are
    # quotients of positive numbers, so neither loses accuracy by cancellation.
    # One division: the numerator is 1 for z >= 0 and t otherwise (NaN stays NaN).
    # negate=True gives sigma(-z): the same t, the other side.
    t = np.exp(-np.abs(z))
    numerator = np.maximum(t, (z <= 0) if negate else (z >= 0))
    t += 1
    numerator /= t
    return numerator


def log1pexp(w: np.ndarray) -> np.ndarray:
    # max(x, 0) + log(1 + e^{-|x|}): exp never sees a positive argument and
    # log1p keeps the tail softplus(x) ~ e^x for very negative x.
    return np.maximum(w, 0) + np.log1p(np.exp(-np.abs(w)))


def sech2(w: np.ndarray) -> np.ndarray:
    # 1/cosh^2 x = 4 t / (1 + t)^2 with t = exp(-2|x|): cosh would overflow
    # for |x| > 710 and 1 - tanh^2 rounds to 0 from |x| ~ 19.
    with np.errstate(over="ignore"):  # 2|x| -> inf for |x| > max/2: exp gives the right 0
        t = np.exp(-2 * np.abs(w))
    return 4 * t / (1 + t) ** 2


def logistic_prime(z: np.ndarray) -> np.ndarray:
    # sigma(z) (1 - sigma(z)) = sigma(|z|) sigma(-|z|) = t / (1 + t)^2 with
    # t = exp(-|z|). Unlike the product form it never rounds to 0 while the
    # true value is a normal float (the product does so from z ~ 37).
    t = np.exp(-np.abs(z))
    return t / (1 + t) ** 2


def softmax_weights(x: np.ndarray, axis: int):
    """Unnormalised weights ``e`` (max entry 1), a validity mask, and the maximum ``m``.

    Finite maximum: ``e = exp(x - max)``, so every exponent is <= 0.
    Exactly one ``+inf``: the limit is one-hot at that entry.
    Several ``+inf``, or all ``-inf`` (length >= 2): there is no limit, NaN.
    """
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    is_pos_inf = np.isposinf(x)
    n_pos_inf = np.sum(is_pos_inf, axis=axis, keepdims=True)
    finite_max = np.isfinite(m)
    shift = np.where(finite_max, m, 0)
    with np.errstate(over="ignore"):  # e.g. -1e308 - 1e308 = -inf: its exp is the right 0
        exponent = np.where(finite_max, x - shift, -np.inf)
    e = np.where(n_pos_inf == 1, is_pos_inf.astype(x.dtype), np.exp(exponent))
    valid = finite_max | ((n_pos_inf == 1) & (m == np.inf))  # m is NaN if any NaN
    return e, valid, m


def shifted_by_max(w: np.ndarray, axis: int) -> np.ndarray | None:
    """``x - m`` with m the maximum along ``axis``, when every maximum is finite
    (no NaN, no +inf, not all -inf); otherwise None, and the caller takes the
    general path of ``softmax_weights``. Every entry is <= 0 and each maximum's
    is exactly 0, so a sum of the exponentials is >= 1. One new array: a second
    full-size one costs as much in page faults as the arithmetic."""
    if w.shape[axis] == 0:
        return None
    m = np.max(w, axis=axis, keepdims=True)
    if not np.isfinite(m).all():
        return None
    with np.errstate(over="ignore"):  # e.g. -1e308 - 1e308 = -inf: its exp is the right 0
        return np.subtract(w, m)


def _log_sum_rows(shifted: np.ndarray, e: np.ndarray) -> np.ndarray:
    """log(sum e) = log1p(S) along the last axis of 2-d ``e = exp(shifted)``, with S
    summed exactly without one maximum (its e is exactly 1: it is set to 0; further
    ties stay in S with their 1). sum - 1 would cancel when one entry dominates."""
    e[np.arange(len(e)), np.argmax(shifted, axis=1)] = 0
    return np.log1p(np.sum(e, axis=1))


def log_sum_shifted(shifted: np.ndarray, axis: int) -> np.ndarray:
    """log(sum exp(shifted)) along ``axis`` (keepdims), for max(shifted) = 0 on every row.

    With S the sum of the terms other than one maximum, log(sum e) = log1p(S),
    accurate also when one entry dominates (S << 1), where log(sum) would lose S.

    Along the last axis of a C-contiguous array, exp goes into a reused buffer of
    a few rows at a time (no full-size temporary: fewer page faults, less memory).
    """
    moved = np.moveaxis(shifted, axis, -1)
    n = moved.shape[-1]
    rows = moved.reshape(-1, n)  # a view for the last axis of a C-contiguous array, else a copy
    if moved.size <= BLOCK or not (axis == shifted.ndim - 1 and shifted.flags.c_contiguous):
        out = _log_sum_rows(rows, np.exp(rows))
    else:
        step = max(1, BLOCK // n)
        buf = np.empty((min(step, len(rows)), n), shifted.dtype)
        out = np.empty(len(rows), shifted.dtype)
        for start in range(0, len(rows), step):
            block = rows[start : start + step]
            out[start : start + step] = _log_sum_rows(block, np.exp(block, out=buf[: len(block)]))
    return np.expand_dims(out.reshape(moved.shape[:-1]), axis)


def normalise_axis(axis, ndim: int, func: str) -> int:
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{func}() expects axis to be an int; got {type(axis).__name__} {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{func}() got axis={axis} for an input with {ndim} dimension(s)")
    return int(axis) % ndim


def finite(w: np.ndarray) -> np.ndarray:
    """+-inf replaced by the largest finite floats (NaN kept): products like
    x * sigma(x) then give their limits without inf * 0 = NaN."""
    info = np.finfo(w.dtype)
    return np.clip(w, info.min, info.max)


def with_limits(out: np.ndarray, w: np.ndarray, at_neg_inf: float, at_pos_inf: float) -> np.ndarray:
    out = np.where(w == -np.inf, at_neg_inf, out)
    return np.where(w == np.inf, at_pos_inf, out)


def two_product(a: np.ndarray, b: float):
    """a*b as an unevaluated sum hi + lo (Dekker), for |a| < 1e290."""
    split = 134217729.0  # 2^27 + 1
    p = a * b
    t = split * a
    a_hi = t - (t - a)
    a_lo = a - a_hi
    t = split * b
    b_hi = t - (t - b)
    b_lo = b - b_hi
    err = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, err


def x_times_logistic(x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """x * sigma(z) without rounding a subnormal sigma first.

    For z < 0, sigma(z) = h^2 / (1 + h^2) with h = exp(z/2), and
    x sigma(z) = ((x h) h) / (1 + h^2): x h is a normal number, so the result
    rounds once. (x * sigma(z) would magnify sigma's rounding by |x|.)
    """
    with np.errstate(under="ignore", over="ignore"):  # overflow only in the branch not taken
        h = np.exp(0.5 * np.minimum(z, 0))
        negative = ((x * h) * h) / (1 + h * h)
    return np.where(z < 0, negative, x * logistic(z))


def logistic_plus_slope(z: np.ndarray, c: np.ndarray) -> np.ndarray:
    """sigma(z) + c sigma'(z) (SiLU': c = z; GELU-tanh': c = 2 x u'), for any z.

    sigma(z) + c sigma(z)(1 - sigma(z)) = sigma(z) (1 + c (1 - sigma(z))); for
    z < 0, with h = exp(z/2): ((1 + c / (1 + h^2)) h) h / (1 + h^2).
    """
    with np.errstate(under="ignore", over="ignore"):  # overflow only in the branch not taken
        h = np.exp(0.5 * np.minimum(z, 0))
        d = 1 + h * h
        negative = ((1 + c / d) * h) * h / d
    return np.where(z < 0, negative, logistic(z) + c * logistic_prime(z))
