"""Numerical kernels shared by the classic (core) and modern activations.

Private: the public functions check their input (``_inputs``) and then call
these on clean float arrays. Each kernel is the stable form of one piece of
arithmetic (the logistic function, sech^2, softplus, x * sigma(z) in the tails,
the limits at +-inf, the shifted exponentials of softmax), so
every activation that needs it uses the same one.
"""

from __future__ import annotations

import numpy as np

# The ufunc behind np.clip: np.clip reaches it through ~2 us of argument
# handling in Python on every call (3-4 us for float32). The same loop, so the
# same bits; NaN stays NaN, and a zero at a bound keeps its sign (-0.0 -> -0.0).
clip = np._core.umath.clip


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


# --- one element ----------------------------------------------------------------------
#
# A call on one element (a scalar, a 1-element array) would cost its dozen
# ufunc calls, ~0.3-0.5 us each even on one element. The longer kernels have a
# scalar twin: the same operations in the same order on one scalar, a Python
# float for float64 (IEEE double arithmetic, ~30 ns an operation; exp and
# expm1 are NumPy's, which give a scalar the bits they give inside an array)
# and np.float32 for float32 (rounded to float32 at every operation, as the
# array loops are). A twin only sees finite inputs in a range where none of
# its operations can overflow; everything else takes the array path.
# tests/test_contract.py holds every twin to its kernel's bits.


def one_element(w: np.ndarray, lo: float, hi: float):
    """w's one element as a twin's scalar, if w has one element in [lo, hi]; else None."""
    if w.size != 1:
        return None
    v = w.item()  # a Python float, exact for float16/32/64
    if not lo <= v <= hi:  # also NaN
        return None
    return v if w.dtype == np.float64 else np.float32(v)


def typed(c: float, w: np.ndarray):
    """The constant c as a twin computes with it for w's dtype (float64 or float32)."""
    return c if w.dtype == np.float64 else np.float32(c)


def as_array_like(value, w: np.ndarray) -> np.ndarray:
    """A twin's scalar result as an array of w's shape and dtype."""
    return np.array(value, w.dtype).reshape(w.shape)  # ~0.4 us; np.full ~0.8


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
        # (NumPy casts a float32 x to float64 buffer by buffer: no full-size copy.)
        return np.multiply(x, a, np.empty_like(x), dtype=np.float64)


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


# --- the logistic family: sigma, sigma', sech^2, softplus, log sigma -------------------
#
# Each kernel evaluates a short formula (three or four ufunc passes) and watches
# for the one thing that can go wrong in it: an exp or cosh that overflows.
# np.errstate(over="raise") turns that into an exception, and only then (an
# array with some |x| beyond ~88 in float32, ~709 in float64) are the elements
# whose exp or cosh overflowed recomputed by a longer form that never
# overflows (``_short_or_tail``); the others keep the short formula's value, so an
# element's value does not depend on its neighbours in the array. NaN and
# +-inf raise nothing (exp(inf) = inf is exact) and the short formulas give
# the limits.
# The error bounds quoted were measured at every float32 with
# 2^-30 <= |x| < 2^10 (each path) and at 2 x 10^7 random float64, against a
# float64 / long double reference; NumPy's float32 exp and cosh (SIMD) are
# off by up to 2.5 ULP themselves.

# From this size on the kernels work in one buffer (a new 1e6-element array
# per step costs its allocation and first touch); below it every step returns
# a new array, because an in-place ufunc call costs ~0.4 us more (NumPy's
# overlap check) and small arrays are allocated for almost nothing. From a few
# hundred elements on the temporaries would count against the memory budget
# (3x the input) more than the 0.4 us does against the time.
IN_PLACE_FROM = 1 << 8

# 0-d constants of each dtype: a Python number is converted on every ufunc call (~0.2 us).
_FLOATS = (np.float16, np.float32, np.float64)
_ONE = {np.dtype(t): np.ones((), t) for t in _FLOATS}
_TWO = {np.dtype(t): np.full((), 2, t) for t in _FLOATS}
_HALF = {np.dtype(t): np.full((), 0.5, t) for t in _FLOATS}


def _buffer(z: np.ndarray) -> np.ndarray | None:
    """The ``out`` of every step of a kernel on z: one new buffer, or None (a new array each step)."""
    return np.empty_like(z) if z.size >= IN_PLACE_FROM else None


def logistic(z: np.ndarray, gain: float = 1.0) -> np.ndarray:
    """sigma(gain * z), with gain * z rounded once to z's dtype (gain = -1 gives sigma(-z)).

    1 / (1 + exp(-gain z)): exp's error reaches the result damped by
    exp / (1 + exp) <= 1, then two roundings: within 2.5 ULP in float64 and
    3.7 ULP in float32. Where exp(-gain z) overflows (gain z < -709.78,
    -88.72 in float32) ``_logistic_tails``.
    """
    negate = gain == -1.0
    own = gain not in (1.0, -1.0)
    if own:  # a new array (for gain = 0: 0, and NaN where z is NaN; 0 * inf would be NaN)
        z = scaled(z, gain)
    # 1 / (1 + exp) is 0 exactly where exp overflowed (or z = -inf: the tail gives 0 too)
    tail = lambda v: _logistic_tails(v, negate=negate)  # noqa: E731
    return _short_or_tail(_logistic_short, z, (negate,), lambda r: r == 0, tail)


def _logistic_tails(z: np.ndarray, out=None, negate: bool = False, scratch=None) -> np.ndarray:
    """sigma(z), or sigma(-z) if ``negate``, for any z, in ``out`` and ``scratch``
    (arrays of z's shape that may be overwritten) if given.

    t = exp(-|z|) is in (0, 1] and cannot overflow; the result is 1 / (1 + t)
    where it is >= 1/2 and t / (1 + t) elsewhere, both free of cancellation:
    within 2.4 ULP in float64 and 3.7 ULP in float32.
    """
    t = np.exp(np.negative(np.abs(z, out), out), out)
    numerator = np.maximum(t, (z <= 0) if negate else (z >= 0), out=scratch)  # 1 or t (NaN stays NaN)
    return np.divide(numerator, np.add(t, _ONE[t.dtype], out), out)


def logistic_prime(z: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """scale * sigma'(z), for scale = 1 or a float64 z.

    sigma (1 - sigma) = 1 / (4 cosh^2(z/2)) = 1 / (2 (1 + cosh z)), computed
    as (scale/2) / (1 + cosh z): cosh's error reaches the result damped by
    cosh / (1 + cosh) <= 1, then two roundings; scale/2 is exact. Within
    2.5 ULP in float64 and 3.93 ULP in float32 (scale = 1). It never rounds to 0
    while the true value is a normal float (sigma (1 - sigma) does from
    z ~ 37). Where cosh z overflows (|z| > 710.47, 89.41 in float32),
    scale t / (1 + t (2 + t)) with t = exp(-|z|) (within 2.5 and 3.6 ULP).
    """
    if scale == 1.0:
        half = _HALF[z.dtype]
    else:
        half = 0.5 * scale
        if half * 2 != scale:  # |scale| < 2^-1021: scale/2 would be rounded; multiply at the end
            return logistic_prime(z) * scale
    # half / (1 + cosh) is 0 exactly where cosh overflowed (or z = +-inf: the tail gives 0 too)
    tail = lambda v: _rational_tail(np.exp(-np.abs(v)), scale)  # noqa: E731
    return _short_or_tail(_logistic_prime_short, z, (half,), lambda r: r == 0, tail)


def sech2(w: np.ndarray) -> np.ndarray:
    """1 / cosh^2 w = 2 / (1 + cosh 2w).

    2w is exact; cosh's error reaches the result damped by cosh / (1 + cosh)
    <= 1, then two roundings (1/cosh^2 would double it; 1 - tanh^2 rounds to
    0 from |w| ~ 19): within 2.5 ULP in float64 and 3.93 ULP in float32.
    Where cosh 2w overflows (|w| > 355.2, 44.7 in float32),
    4t / (1 + t (2 + t)) with t = exp(-2|w|) (within 2.5 and 3.9 ULP).
    """
    # 2 / (1 + cosh) is 0 exactly where cosh overflowed (or w = +-inf: the tail gives 0 too);
    # -2|w| = -inf for |w| > max/2 (overflow ignored there): exp gives the right 0
    tail = lambda v: _rational_tail(np.exp(np.abs(v) * -2), 4)  # noqa: E731
    return _short_or_tail(_sech2_short, w, (_TWO[w.dtype],), lambda r: r == 0, tail)


def _rational_tail(t: np.ndarray, c: float) -> np.ndarray:
    """c t / (1 + t (2 + t)) = c t / (1 + t)^2 for 0 <= t <= 1 (in t, if t is an array).

    The rounding of 2 + t and of t (2 + t) reaches the sum damped by
    t (2 + t) / (1 + t)^2; (1 + t)^2 would double the rounding of 1 + t
    (up to 5.1 ULP in float32).
    """
    d = t + 2
    d *= t
    d += 1
    if c != 1:
        t *= c
    t /= d
    return t


def log1pexp(w: np.ndarray) -> np.ndarray:
    """softplus(w) = log(1 + e^w).

    log1p(exp(w)): exp's relative error e becomes an absolute error
    e exp / (1 + exp) <= e log1p(exp), never magnified, and log1p keeps the
    tail softplus(w) ~ e^w: within 1.6 ULP in float64 and 3.3 ULP in float32.
    Where exp overflows (w > 709.78, 88.72 in float32),
    max(w, 0) + log1p(exp(-|w|)), the same bounds.
    """
    # log1p(exp) is inf exactly where exp overflowed (or w = +inf: the tail gives inf too)
    tail = lambda v: _log1p_exp_minus_abs(v, None) + np.maximum(v, 0)  # noqa: E731
    return _short_or_tail(_log1pexp_short, w, (), np.isinf, tail)


def log_logistic(w: np.ndarray) -> np.ndarray:
    """log sigma(w) = -softplus(-w) = -log1p(exp(-w)), as ``log1pexp``
    (within 1.6 ULP in float64 and 3.3 ULP in float32); where exp(-w)
    overflows, min(w, 0) - log1p(exp(-|w|))."""
    # -log1p(exp(-w)) is -inf exactly where exp overflowed (or w = -inf: the tail gives -inf too)
    tail = lambda v: np.minimum(v, 0) - _log1p_exp_minus_abs(v, None)  # noqa: E731
    return _short_or_tail(_log_logistic_short, w, (), np.isinf, tail)


# The short formulas run under np.errstate(over="raise"), applied as a decorator:
# ~0.5 us less per call than a ``with`` block, which builds an errstate object every time.
@np.errstate(over="raise")
def _raising(short, *args):
    return short(*args)


def _short_or_tail(short, z: np.ndarray, args: tuple, overflowed, tail) -> np.ndarray:
    """``short(z, out, *args)``, and if an exp or cosh in it overflows, the same
    formula again (overflow now ignored) with ``tail`` written where the result
    shows the overflow (``overflowed(result)``): every other element keeps
    exactly the value it has in an array without overflow, so an element's
    value never depends on the other elements of the array."""
    try:
        return _raising(short, z, _buffer(z), *args)
    except FloatingPointError:
        return _with_tail(short, z, args, overflowed, tail)


@np.errstate(over="ignore")  # only on this rare path: the common one pays for no second errstate
def _with_tail(short, z: np.ndarray, args: tuple, overflowed, tail) -> np.ndarray:
    flat = z.reshape(-1)  # 1-d: boolean indexing, and ufuncs on 0-d arrays return scalars
    result = np.asarray(short(flat, None, *args))
    bad = overflowed(result)
    if bad.any():
        result[bad] = tail(flat[bad])
    return result.reshape(z.shape)


def _logistic_short(z, out, negate):
    one = _ONE[z.dtype]
    t = np.exp(z if negate else np.negative(z, out), out)
    return np.divide(one, np.add(t, one, out), out)


def _logistic_prime_short(z, out, half):
    t = np.cosh(z, out)
    return np.divide(half, np.add(t, _ONE[z.dtype], out), out)


def _sech2_short(w, out, two):
    t = np.cosh(np.add(w, w, out), out)  # 2w: exact, or an overflow that raises too
    return np.divide(two, np.add(t, _ONE[w.dtype], out), out)


def _log1pexp_short(w, out):
    return np.log1p(np.exp(w, out), out)


def _log_logistic_short(w, out):
    return np.negative(np.log1p(np.exp(np.negative(w, out), out), out), out)


def _log1p_exp_minus_abs(w: np.ndarray, out) -> np.ndarray:
    """log(1 + e^-|w|), in ``out`` if given: exp only sees -|w| <= 0."""
    return np.log1p(np.exp(np.negative(np.abs(w, out), out), out), out)


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
    found = shifted_by_argmax(w, axis)
    return None if found is None else found[0]


def shifted_by_argmax(w: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray] | None:
    """``shifted_by_max`` and the index of (the first) maximum along ``axis``
    (keepdims), for ``log_sum_shifted``: argmax costs what max does, and then
    the maximum is not searched for twice."""
    if w.shape[axis] == 0:
        return None
    top = np.argmax(w, axis=axis, keepdims=True)  # NaN counts as the maximum: then m is NaN
    m = np.take_along_axis(w, top, axis)
    if not np.isfinite(m).all():
        return None
    with np.errstate(over="ignore"):  # e.g. -1e308 - 1e308 = -inf: its exp is the right 0
        return np.subtract(w, m), top


def _log_sum_rows(e: np.ndarray, rows: np.ndarray, top: np.ndarray, out=None) -> np.ndarray:
    """log(sum e) = log1p(S) along the last axis of 2-d ``e = exp(shifted)``, with S
    summed exactly without one maximum (at ``top``, its e is exactly 1: it is set to 0;
    further ties stay in S with their 1). sum - 1 would cancel when one entry dominates.
    ``rows`` is ``arange(len(e))``."""
    e[rows, top] = 0
    return np.log1p(np.sum(e, axis=1), out=out)


def log_sum_shifted(shifted: np.ndarray, axis: int, top: np.ndarray) -> np.ndarray:
    """log(sum exp(shifted)) along ``axis`` (keepdims), for max(shifted) = 0 on every
    row, at ``top`` (``shifted_by_argmax``).

    With S the sum of the terms other than one maximum, log(sum e) = log1p(S),
    accurate also when one entry dominates (S << 1), where log(sum) would lose S.

    Along the last axis of a C-contiguous array, exp goes into a reused buffer of
    a few rows at a time (no full-size temporary: fewer page faults, less memory).
    """
    moved = np.moveaxis(shifted, axis, -1)
    n = moved.shape[-1]
    rows = moved.reshape(-1, n)  # a view for the last axis of a C-contiguous array, else a copy
    top = np.moveaxis(top, axis, -1).reshape(-1)
    block_size = BLOCK * 8 // shifted.itemsize  # the same bytes per block for float32: half the Python calls
    if moved.size <= block_size or not (axis == shifted.ndim - 1 and shifted.flags.c_contiguous):
        out = _log_sum_rows(np.exp(rows), np.arange(len(rows)), top)
    else:
        step = max(1, block_size // n)
        buf = np.empty((min(step, len(rows)), n), shifted.dtype)
        index = np.arange(len(buf))
        out = np.empty(len(rows), shifted.dtype)
        for start in range(0, len(rows), step):
            block = rows[start : start + step]
            k = len(block)
            _log_sum_rows(np.exp(block, out=buf[:k]), index[:k], top[start : start + k], out=out[start : start + k])
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
