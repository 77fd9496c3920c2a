"""Kernels of SiLU (beta = 1), Mish and their derivatives.

Private: :mod:`book_utils.modern` checks the input and calls these on a clean
float32 or float64 array (float16 arrives as float32, see ``working``). Each
kernel is a short chain of in-place ufunc calls, written so that

* it costs few passes: one ``exp`` (two for Mish'), one division where the
  formula allows, no ``np.where`` and no boolean mask on the common path (a
  select on random signs costs several passes; so does every full-size
  temporary, in page faults);
* the memory is the output plus block-sized scratch buffers (``_by_blocks``),
  never a full-size float64 copy of a float32 input;
* the rare inputs (the far negative tail, +-inf, NaN) are found by a
  ``min``/``max`` reduction (``_in_range``) and handled apart, with the same
  kernel on clipped blocks for all other elements, so an element gets the
  same bits whatever its neighbours, and no floating-point warning.

Accuracy, as the tests count it (ULP of the output dtype; for the
derivatives relative to ``prime_scale``, the sum of the terms' magnitudes);
the tolerance is 4:

* float32, on every float32 with 2^-24 <= |x| <= 200 against a float64
  reference: silu 3.66, silu' 3.41, mish 2.83, mish' 0.50. NumPy's float32
  ``exp`` is off by up to 2.54 ULP: fine in silu, where it is followed by
  two roundings, but silu', mish and mish' reached 5-7 ULP with it. There
  ``e^x`` comes from float64's exp, rounded once (silu', mish), or the
  whole formula runs in float64 (mish').
* float64, sampled (3e7 to 1e8 random points in the ranges where the tails
  begin and the terms cancel, against a long-double reference): silu 2.3,
  silu' 3.5, mish 3.7, mish' 3.4. The previous kernels reached 4.5-5.2 ULP
  there (silu', mish, mish'); the random tests had not drawn those points.
"""

from __future__ import annotations

import numpy as np

from ._kernels import as_array_like, one_element

_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_MAX = {_F32: float(np.finfo(np.float32).max), _F64: float(np.finfo(np.float64).max)}

# Elements per block in ``_by_blocks``: a float64 scratch block is 512 KiB, and
# the Python overhead of a dozen ufunc calls per block ~2% of the work.
# (Measured, min of many runs: 2^17 was up to 5% faster for float32 silu' and
# mish, 2^14 10-25% slower; Mish' with its six float64 buffers was no faster
# with smaller blocks.)
BLOCK = 1 << 16

# Below these the formulas' intermediates leave the normal range (e^-x
# overflows, or e^x and the result become subnormal): the tail formulas take
# over. Above ``_MISH_HI`` e^x (or n = e^x (e^x + 2)) would overflow.
_SILU_LO = {_F32: -87.0, _F64: -708.0}
_MISH_LO = {_F32: -86.5, _F64: -700.0}
_MISH_HI = {_F32: 44.0, _F64: 300.0}
_MISHP_LO = -700.0  # float64; float32 needs no tail (see mish_prime)

# Past these the float32 results are 0 (to the last subnormal), and the
# float64 tails are 0: e^(-1600/2) = 0.
_F32_FLOOR = -200.0
_F64_FLOOR = -1600.0


def _in_range(w: np.ndarray, lo: float, hi: float | None = None) -> bool:
    """All of ``w`` in [lo, hi] (hi = None: finite), no NaN. One reduction
    each (min, max); tiny arrays are read as Python floats, which is faster."""
    if w.size == 0:
        return True
    if hi is None:
        hi = _MAX[w.dtype]
    if w.size <= 8:
        return all(lo <= v <= hi for v in w.ravel().tolist())  # False for NaN
    return bool(lo <= w.min()) and bool(w.max() <= hi)  # min and max are NaN if any is


def _by_blocks(w: np.ndarray, body, scratch=(), clip=None) -> np.ndarray:
    """``body(x, out, *buffers)`` over blocks of ``w`` (flattened in its
    memory order), writing one output of w's shape and dtype. ``scratch``
    lists the dtypes of the block-sized buffers ``body`` may use; they are
    allocated once per call. ``clip = (lo, hi)`` gives ``body`` the block
    clipped to [lo, hi] (NaN stays NaN), without a full-size copy.

    ``x`` is always contiguous (a strided block is copied first): NumPy's
    SIMD loops, whose exp the accuracy was measured with, run on contiguous
    data only, so an element gets the same bits whatever the layout.
    """
    if clip is None and w.size <= BLOCK and (w.flags.c_contiguous or w.flags.f_contiguous):
        # One block, as it is (0-d included): the fixed cost is the ufunc calls.
        out = np.empty_like(w)
        body(w, out, *(np.empty_like(w, dtype) for dtype in scratch))
        return out
    order = "F" if w.flags.f_contiguous and not w.flags.c_contiguous else "C"
    flat = w.reshape(-1, order=order)  # a view for a contiguous array, else one copy
    out = np.empty(flat.size, w.dtype)
    size = min(flat.size, BLOCK)
    buffers = [np.empty(size, dtype) for dtype in scratch]
    staging = None if flat.flags.c_contiguous and clip is None else np.empty(size, w.dtype)  # e.g. x[::-1]
    for start in range(0, flat.size, BLOCK):
        stop = min(start + BLOCK, flat.size)
        n = stop - start
        x = flat[start:stop]
        if clip is not None:
            x = np.clip(x, *clip, out=staging[:n])
        elif staging is not None:
            x = staging[:n]
            np.copyto(x, flat[start:stop])
        body(x, out[start:stop], *(b[:n] for b in buffers))
    return out.reshape(w.shape, order=order)


# --- SiLU: x sigma(x) = x / (1 + e^-x) ----------------------------------------------


def _silu_body(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    # One exp, one division, in the output's buffer. For x < 0, e^-x > 1
    # enters almost undamped, so this needs exp within ~2.5 ULP: float32's
    # measured worst is 3.7 ULP over all float32 in [-87, 89] (2.1 for x > 0).
    np.negative(x, out=out)
    np.exp(out, out=out)
    out += 1
    return np.divide(x, out, out=out)


def _silu_tail(t: np.ndarray) -> np.ndarray:
    """x sigma(x) for x below _SILU_LO (and -inf): x e^x to the last bit."""
    if t.dtype == _F32:  # in float64 the plain formula is exact enough; round once
        t64 = np.maximum(t.astype(np.float64), _F32_FLOOR)
        return _by_blocks(t64, _silu_body).astype(np.float32)
    # (x h) h with h = e^{x/2}: x e^x may be subnormal while e^{x/2} is not,
    # so the result rounds once instead of after a rounded subnormal e^x.
    t = np.maximum(t, _F64_FLOOR)
    h = np.exp(0.5 * t)
    return (t * h) * h


def silu(w: np.ndarray) -> np.ndarray:
    """x sigma(x) for a float32/float64 array."""
    lo = _SILU_LO[w.dtype]
    v = one_element(w, lo, np.inf)
    if v is not None:  # the scalar twin of _silu_body
        return as_array_like(v / (np.exp(-v) + 1), w)
    if _in_range(w, lo, np.inf):
        return _by_blocks(w, _silu_body)
    out = _by_blocks(w, _silu_body, clip=(lo, np.inf))  # the tail is replaced below
    tail = w < lo  # -inf included; NaN stays NaN
    if tail.any():
        out[tail] = _silu_tail(w[tail])
    return out


# --- SiLU': sigma(x) (1 + x (1 - sigma(x))) ---------------------------------------


def _silu_prime_steps(x, out, d) -> None:
    # out holds E = e^-x. With d = 1 + E: sigma = 1/d and 1 - sigma = E/d, both
    # without cancellation; then s (1 + x c). Float32 with E rounded once from
    # float64: 3.4 ULP (all float32 in [-87, 2]; float32 exp: 5.4).
    np.add(out, 1, out=d)
    np.divide(out, d, out=out)  # c = 1 - sigma
    np.divide(1, d, out=d)  # s = sigma
    out *= x
    out += 1
    out *= d


def _silu_prime64(x, out, d) -> None:
    np.negative(x, out=out)
    np.exp(out, out=out)
    _silu_prime_steps(x, out, d)


def _silu_prime32(x, out, d, e64) -> None:
    np.negative(x, out=e64)  # exact, in float64
    np.exp(e64, out=e64)
    np.copyto(out, e64, casting="same_kind")  # E rounded once (e^87 < float32 max)
    _silu_prime_steps(x, out, d)


def _silu_prime_fast(w: np.ndarray, clip=None) -> np.ndarray:
    if w.dtype == _F32:
        return _by_blocks(w, _silu_prime32, (_F32, _F64), clip)
    return _by_blocks(w, _silu_prime64, (_F64,), clip)


def _silu_prime_tail(t: np.ndarray) -> np.ndarray:
    """silu'(x) for x below _SILU_LO (and -inf): e^x (1 + x) to the last bit."""
    if t.dtype == _F32:
        t64 = np.maximum(t.astype(np.float64), _F32_FLOOR)
        return _by_blocks(t64, _silu_prime64, (_F64,)).astype(np.float32)
    t = np.maximum(t, _F64_FLOOR)
    h = np.exp(0.5 * t)
    return ((1 + t) * h) * h  # 1 + x is exact for x <= -1


def silu_prime(w: np.ndarray) -> np.ndarray:
    """d/dx x sigma(x) for a float32/float64 array."""
    lo = _SILU_LO[w.dtype]
    v = one_element(w, lo, _MAX[w.dtype])  # finite: at +inf, x (1 - sigma) would be inf * 0
    if v is not None:  # the scalar twin of _silu_prime64/32 and _silu_prime_steps
        e = np.exp(-v) if w.dtype == _F64 else np.float32(np.exp(-float(v)))
        d = e + 1
        return as_array_like((e / d * v + 1) * (1 / d), w)
    if _in_range(w, lo):
        return _silu_prime_fast(w)
    out = _silu_prime_fast(w, clip=(lo, 1e4))  # silu'(1e4) = 1 to the last bit; NaN stays NaN
    tail = w < lo
    if tail.any():
        out[tail] = _silu_prime_tail(w[tail])
    return out


# --- Mish: x tanh(softplus(x)) = x / (1 + 2/n), n = e^x (e^x + 2) ------------------------


def _mish64(x, out, d) -> None:
    # tanh(log(1 + E)) = n / (n + 2) with n = (1 + E)^2 - 1 = 2E + E^2; as
    # x / (1 + 2/n) the division is the last rounding. 2E + E^2 rounds once
    # where E is small (E (E + 2) rounds twice): 3.7 ULP sampled, 4.4 before.
    np.exp(x, out=out)
    np.multiply(out, out, out=d)
    out += out  # 2E, exact
    out += d
    np.divide(2, out, out=out)
    out += 1
    np.divide(x, out, out=out)


def _mish32(x, out, e64, d64) -> None:
    # n in float64 from the float64 exp, rounded once; the rest in float32:
    # 2.8 ULP (all float32 in [-86.5, 45]; with float32's exp: 4.9).
    np.copyto(e64, x)
    np.exp(e64, out=e64)
    np.add(e64, 2, out=d64)
    d64 *= e64
    np.copyto(out, d64, casting="same_kind")  # n < float32 max for x <= 44
    np.divide(2, out, out=out)
    out += 1
    np.divide(x, out, out=out)


def _mish_tail(t: np.ndarray) -> np.ndarray:
    """mish(x) for x below _MISH_LO (and -inf): x e^x to the last bit."""
    if t.dtype == _F32:  # _mish64 in float64 (e^-200 is normal there), rounded once
        t64 = np.maximum(t.astype(np.float64), _F32_FLOOR)
        return _by_blocks(t64, _mish64, (_F64,)).astype(np.float32)
    t = np.maximum(t, _F64_FLOOR)
    h = np.exp(0.5 * t)
    return (t * h) * h


def mish(w: np.ndarray) -> np.ndarray:
    """x tanh(softplus(x)) for a float32/float64 array."""
    lo, hi = _MISH_LO[w.dtype], _MISH_HI[w.dtype]
    v = one_element(w, lo, hi)
    if v is not None:  # the scalar twin of _mish64/_mish32
        if w.dtype == _F64:
            e = np.exp(v)
            n = (e + e) + e * e
        else:
            e = np.exp(float(v))
            n = np.float32((e + 2) * e)
        return as_array_like(v / (2 / n + 1), w)
    body, scratch = (_mish32, (_F64, _F64)) if w.dtype == _F32 else (_mish64, (_F64,))
    if _in_range(w, lo, hi):
        return _by_blocks(w, body, scratch)
    # The same kernel on clipped values (so every other element gets the
    # same bits as on the fast path), then the two ends: mish(x) = x above
    # hi (n / (n + 2) = 1 to the last bit; inf too), and the tail.
    out = _by_blocks(w, body, scratch, clip=(lo, hi))
    big = w > hi
    if big.any():
        out[big] = w[big]
    tail = w < lo
    if tail.any():
        out[tail] = _mish_tail(w[tail])
    return out


# --- Mish': tanh(sp) + x sech^2(sp) sigma(x), sp = softplus(x) -----------------------------


def _mish_prime_negative(x, y, e, b, t, d, f) -> None:
    """mish'(y) for y = min(x, 0), into ``b``; the other buffers are scratch.

    With E = e^y, v = 1 + E + E^2/2 (so n + 2 = 2v):
    mish' = E C / v^2, C = (1 + y) + E ((1.5 + y) + E (1 + E/4)).
    v = 1 + eps rounds away the low bits of a small eps (the error that put
    the previous kernel at 5.2 ULP near x = -18); v's rounding error
    vl = eps - (v - 1) is exact and is moved into C instead:
    1/(vh + vl)^2 = (1 - 2 vl/vh) / vh^2. 1 + y is exact for y <= -1/2.
    """
    np.clip(x, _MISHP_LO, 0.0, out=y)
    np.exp(y, out=e)
    np.add(y, 1.5, out=t)
    np.multiply(e, 0.25, out=b)
    b += 1
    b *= e
    b += t  # P = (1.5 + y) + E (1 + E/4)
    np.multiply(e, 0.5, out=d)
    d += 1
    d *= e  # eps = E (1 + E/2)
    np.add(d, 1, out=f)  # vh
    np.subtract(f, 1, out=t)
    d -= t  # vl = eps - (vh - 1), exact
    y += 1  # 1 + y
    b *= e  # E P
    d *= y
    d /= f
    d += d  # 2 (1 + y) vl / vh
    b -= d
    b += y  # C
    b *= e
    f *= f
    b /= f


# mish'(0) as both halves compute it: 3.75 / 6.25 and 1 - 2/5, each one
# rounding of 0.6 (checked by the tests).
_MISH_PRIME_0 = 0.6


def _mish_prime_positive(x, z, t, d, f, s) -> None:
    """mish'(z) for z = min(max(x, 0), 1e4), into ``s``.

    With t = e^-z, W = 1 + 2t (1 + t) (so n + 2 = 2W/t^2):
    mish' = 1 + (2t^2 / W) (2z (1 + t)/W - 1), a correction to 1 of at most 0.4.
    """
    np.clip(x, 0.0, 1e4, out=z)  # e^-1e4 = 0: mish' = 1 (also at +inf)
    np.negative(z, out=t)
    np.exp(t, out=t)
    np.add(t, 1, out=d)  # 1 + t
    np.multiply(t, d, out=f)
    f += f
    f += 1  # W
    np.multiply(t, t, out=s)
    s += s
    s /= f  # 2t^2 / W
    d *= z
    d += d
    d /= f
    d -= 1
    s *= d
    s += 1


def _mish_prime64(x, out, a, e, b, t, d, f) -> None:
    # Each half is exactly mish'(0) at the other's inputs, so
    # negative + (positive - mish'(0)) selects without a branch and without
    # rounding: for x < 0 the bracket is 0; for x >= 0, 0.6 + (p - 0.6) = p
    # (p - 0.6 is exact for p in [0.6, 1.1]).
    _mish_prime_negative(x, a, e, b, t, d, f)
    _mish_prime_positive(x, a, e, t, d, out)
    out -= _MISH_PRIME_0
    out += b


def _mish_prime32(x, out, u, e, s, w) -> None:
    # In float64 and rounded once: n/w + 4x E (1 + E)/w^2 with w = n + 2. Its
    # float64 error (a few float64 ULP where the terms cancel) is far below
    # float32's half ULP. Clipped to [-200, 40], where mish' is 0 and 1 to
    # the last float32 bit: no tail, no limits, NaN stays NaN.
    np.copyto(u, x)
    np.clip(u, _F32_FLOOR, 40.0, out=u)
    np.exp(u, out=e)
    np.multiply(e, e, out=s)
    np.add(e, e, out=w)
    w += s  # n
    s += e  # E (1 + E)
    u *= 4
    np.add(w, 2, out=e)  # n + 2
    s /= e
    s *= u
    s += w
    s /= e
    np.copyto(out, s, casting="same_kind")


def _mish_prime_one(v: float) -> float:
    """The scalar twin of _mish_prime64 (v >= _MISHP_LO, not NaN)."""
    y = v if v < 0 else 0.0  # np.clip(x, lo, 0) gives +0 at -0 (not that it matters here)
    e = float(np.exp(y))
    t = y + 1.5
    b = (e * 0.25 + 1) * e + t
    d = (e * 0.5 + 1) * e
    f = d + 1
    d = d - (f - 1)
    y1 = y + 1
    b = b * e
    d = d * y1 / f
    b = (b - (d + d)) + y1
    negative = b * e / (f * f)
    z = min(v, 1e4) if v > 0 else 0.0
    t = float(np.exp(-z))
    d = t + 1
    f = t * d
    f = (f + f) + 1
    s = t * t
    s = (s + s) / f
    d = d * z
    d = (d + d) / f - 1
    positive = s * d + 1
    return (positive - _MISH_PRIME_0) + negative


def _mish_prime32_one(v: float) -> np.float32:
    """The scalar twin of _mish_prime32 (not NaN): float64 throughout, rounded once."""
    u = min(max(v, _F32_FLOOR), 40.0)
    e = float(np.exp(u))
    s = e * e
    n = (e + e) + s
    s = s + e
    m = n + 2
    return np.float32((s / m * (u * 4) + n) / m)


def _mish_prime_tail64(t: np.ndarray) -> np.ndarray:
    """mish'(x) for x below _MISHP_LO (and -inf): e^x (1 + x) to the last bit."""
    t = np.maximum(t, _F64_FLOOR)
    h = np.exp(0.5 * t)
    return ((1 + t) * h) * h


def mish_prime(w: np.ndarray) -> np.ndarray:
    """d/dx mish(x) for a float32/float64 array."""
    v = one_element(w, -np.inf if w.dtype == _F32 else _MISHP_LO, np.inf)
    if v is not None:
        return as_array_like(_mish_prime_one(v) if w.dtype == _F64 else _mish_prime32_one(float(v)), w)
    if w.dtype == _F32:
        return _by_blocks(w, _mish_prime32, (_F64,) * 4)
    out = _by_blocks(w, _mish_prime64, (_F64,) * 6)  # clipped inside: no warning for any x
    if not _in_range(w, _MISHP_LO, np.inf):
        tail = w < _MISHP_LO
        if tail.any():
            out[tail] = _mish_prime_tail64(w[tail])
    return out
