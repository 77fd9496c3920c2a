"""The standard normal CDF Phi(x) = erfc(-x / sqrt 2) / 2, and GELU = x Phi
and GELU' = Phi + x phi from it, vectorised in NumPy (computed in float64).

The algorithm is fdlibm's erf/erfc (Sun Microsystems, 1993; the same code is
s_erf.c in FreeBSD's msun and src/math/erf.c in musl), with its rational
approximations and their coefficients unchanged. Only the variable changes:
fdlibm approximates erfc(z), and GELU needs it at z = |x| / sqrt 2, which is
not a float. Rounding z would cost ~2 z^2 half-ULPs (erfc's condition
number), so every formula below is written in x itself:

* |x| < T1 = 0.84375 sqrt 2 (fdlibm: erf(z) = z + z P(z^2)/Q(z^2)): z is
  carried as hi + lo, hi an exact product of x and 1/sqrt 2 cut short, and
  1/2 + hi/2 is split exactly (Fast2Sum).
* T1 <= |x| < T2 = 1.25 sqrt 2 (erfc(z) = (1 - erx) - P(s)/Q(s), s = z - 1):
  s = (hi - 1) + lo, where hi - 1 is exact (Sterbenz).
* T2 <= |x| < T4 = 28 sqrt 2 (erfc(z) = exp(-z^2 - 0.5625 + R/S) / z, R and
  S polynomials in 1/z^2 = 2/x^2, with two coefficient sets split at
  T3 = sqrt 2 / 0.35): fdlibm splits z = h + (z - h) so that exp(-h^2) has an
  exact argument; here t = |x| is split instead (h = t on the grid 2^-15, so
  h^2/2 + 0.5625 is exact) and -t^2/2 = -h^2/2 + (h - t)(h + t)/2. So
  GELU(-t) = -exp(-h^2/2 - 0.5625) exp((h - t)(h + t)/2 + R/S - ln sqrt 2):
  two exps and a product, no division. phi(x) is split the same way.

Positive x use Phi(x) = 1 - Phi(-x), GELU(x) = x + GELU(-x) and
GELU'(x) = 1 - GELU'(-x) (the first region takes both signs directly). For
x >= 10, GELU(x) = x and GELU'(x) = 1 to the last bit (GELU(-10) ~ -8e-23);
below -T4 (GELU': -38.67) both round to -0; NaN stays NaN.

Accuracy, measured against mpmath on random points: Phi within 2.7 ULP of
float64 (tests/test_erfc.py checks 3.5), GELU within 2.5 and GELU' within
2.7 ULP of |Phi| + |x phi| (the tests of GELU check 4).

Speed: each region's formula runs only on its own elements (gathered by
index), block by block, every operation writing into one preallocated
workspace. (Fresh NumPy temporaries of ~100 KiB, allocated and freed at every
operation, made the C library give the memory back to the system and fault
it in again: that cost more than the arithmetic.) One element is computed
with the same operations on Python floats, which gives the same bits.
"""

from __future__ import annotations

import math

import numpy as np

# fdlibm / musl s_erf.c, as printed there (each decimal string is the double
# whose hex words the source gives next to it; tests/test_erfc.py checks a few).
ERX = 8.45062911510467529297e-01  # erf(1) rounded to 24 bits
PP = (
    1.28379167095512558561e-01,
    -3.25042107247001499370e-01,
    -2.84817495755985104766e-02,
    -5.77027029648944159157e-03,
    -2.37630166566501626084e-05,
)
QQ = (
    3.97917223959155352819e-01,
    6.50222499887672944485e-02,
    5.08130628187576562776e-03,
    1.32494738004321644526e-04,
    -3.96022827877536812320e-06,
)
PA = (
    -2.36211856075265944077e-03,
    4.14856118683748331666e-01,
    -3.72207876035701323847e-01,
    3.18346619901161753674e-01,
    -1.10894694282396677476e-01,
    3.54783043256182359371e-02,
    -2.16637559486879084300e-03,
)
QA = (
    1.06420880400844228286e-01,
    5.40397917702171048937e-01,
    7.18286544141962662868e-02,
    1.26171219808761642112e-01,
    1.36370839120290507362e-02,
    1.19844998467991074170e-02,
)
RA = (
    -9.86494403484714822705e-03,
    -6.93858572707181764372e-01,
    -1.05586262253232909814e01,
    -6.23753324503260060396e01,
    -1.62396669462573470355e02,
    -1.84605092906711035994e02,
    -8.12874355063065934246e01,
    -9.81432934416914548592e00,
)
SA = (
    1.96512716674392571292e01,
    1.37657754143519042600e02,
    4.34565877475229228821e02,
    6.45387271733267880336e02,
    4.29008140027567833386e02,
    1.08635005541779435134e02,
    6.57024977031928170135e00,
    -6.04244152148580987438e-02,
)
RB = (
    -9.86494292470009928597e-03,
    -7.99283237680523006574e-01,
    -1.77579549177547519889e01,
    -1.60636384855821916062e02,
    -6.37566443368389627722e02,
    -1.02509513161107724954e03,
    -4.83519191608651397019e02,
)
SB = (
    3.03380607434824582924e01,
    3.25792512996573918826e02,
    1.53672958608443695994e03,
    3.19985821950859553908e03,
    2.55305040643316442583e03,
    4.74528541206955367215e02,
    -2.24409524465858183362e01,
)

# fdlibm's breakpoints in z, times sqrt 2 (an element within an ULP of one may
# fall on either side: both approximations hold there).
T1 = 0.84375 * math.sqrt(2)  # ~1.193
T2 = 1.25 * math.sqrt(2)  # ~1.768
T3 = math.sqrt(2) / 0.35  # ~4.041: R/S switches from (RA, SA) to (RB, SB)
T4 = 28 * math.sqrt(2)  # ~39.6
# GELU'(-t) is -0 to the last bit beyond t = 38.67477 (|GELU'| < 2^-1075, mpmath):
# its last region stops there, so that it never gives a zero to reflect.
T4_PRIME = 38.6747
POSITIVE_EXACT = 10.0

SQRT1_2 = 0.7071067811865476  # 1/sqrt 2, rounded
SQRT1_2_LO = -4.833646656726457e-17  # 1/sqrt 2 - SQRT1_2
INV_SQRT_2PI = 0.3989422804014327  # 1/sqrt(2 pi)
HALF_1M_ERX = 0.5 * (1.0 - ERX)  # exact: erx has 24 bits
# The constants added in the exponents, as hi + lo (mpmath): -ln sqrt 2 for
# GELU and Phi. GELU' reaches the subnormals while t ~ 38, and its factor t
# must not multiply a rounded subnormal: there exp(-h^2/2 - 0.5625) is taken
# 2^92 larger, as exp(-h^2/2 - 0.5625 + K) with K = 92 ln2_hi (fdlibm's ln2_hi,
# so the argument stays exact), K_lo = 92 ln 2 - K goes into the other
# exponents, and the result is scaled back by 2^-92 (exact, or the one
# rounding into the subnormals).
_LN_SQRT2_HI, _LN_SQRT2_LO = -0.34657359027997264, -1.1595234069231498e-17
_K_MINUS_0_5625 = 63.20704059395939  # 92 * 0x1.62e42feep-1 - 0.5625, exact
_C1_HI, _C1_LO = -0.3465735727243953, 1.2504087881566722e-17  # -ln sqrt 2 + K_lo
_C2_HI, _C2_LO = -0.3564385156490954, 7.371112300212808e-18  # 0.5625 - ln sqrt(2 pi) + K_lo
_TWO_M92 = 2.0**-92

# Splitting a float: (x + C) - C is x rounded to a multiple of ulp(C) (for
# |x| < ulp(C) 2^51). _GRID25 leaves numbers below 2 with <= 26 bits, so that a
# product with another 26-bit number, or a square, is exact; _GRID15 leaves
# t < 64 with <= 21 bits, so that h^2/2 + 0.5625 (and + K) is exact.
_GRID25 = 1.5 * 2.0**27  # multiples of 2^-25
_GRID15 = 1.5 * 2.0**37  # multiples of 2^-15
_SQRT1_2_HI = 0.7071067690849304  # SQRT1_2 to 26 bits
_SQRT1_2_TAIL = SQRT1_2 - _SQRT1_2_HI  # exact

ROWS = 8  # float64 rows: |x| (then the gathered elements), 7 for a region; + 1 to widen float32
# Elements per block: 64 Ki (512 KiB rows) amortises the ~100 NumPy calls of a block
# better than _kernels.BLOCK (32 Ki), measured: -7% time for GELU'.
BLOCK = 1 << 16


# --- array helpers: every result goes to a given buffer ---------------------------


def _round_to(x: np.ndarray, grid: float, out: np.ndarray) -> np.ndarray:
    np.add(x, grid, out=out)
    out -= grid
    return out


def _rational(s: np.ndarray, num, den, p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """p = num(s) / (1 + s den(s)) (Horner, fdlibm's coefficient order)."""
    np.multiply(s, num[-1], out=p)
    for c in num[-2:0:-1]:
        p += c
        p *= s
    p += num[0]
    np.multiply(s, den[-1], out=q)
    for c in den[-2::-1]:
        q += c
        q *= s
    q += 1.0
    p /= q
    return p


def _split_z(x: np.ndarray, hi: np.ndarray, lo: np.ndarray, a: np.ndarray) -> None:
    """hi + lo = x / sqrt 2 to ~2^-78, for |x| < 2: hi = x_h s_h is exact (x
    on the grid 2^-25, 1/sqrt 2 cut to 26 bits), lo = the rest, small
    (|lo| < 2^-24), so its roundings are far below hi's last bit. a is scratch."""
    xh = _round_to(x, _GRID25, a)
    np.multiply(xh, _SQRT1_2_HI, out=hi)
    np.multiply(xh, _SQRT1_2_TAIL, out=lo)
    np.subtract(x, xh, out=a)  # x_lo
    a *= SQRT1_2
    lo += a
    np.multiply(x, SQRT1_2_LO, out=a)
    lo += a


def _x_phi(x: np.ndarray, out: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """out = x phi(x) for |x| < 2, with x^2 split exactly: h = x on the grid
    2^-25, e^{-x^2/2} = e^{-h^2/2} (1 + v + v^2/2), v = -(x - h)(x + h)/2 (|v| < 2^-25)."""
    h = _round_to(x, _GRID25, a)
    v = np.subtract(x, h, out=b)
    np.add(x, h, out=c)
    v *= c
    v *= -0.5
    np.multiply(h, h, out=out)
    out *= -0.5
    np.exp(out, out=out)
    np.multiply(v, 0.5, out=c)
    c += 1.0
    c *= v
    c *= out
    out += c
    np.multiply(x, INV_SQRT_2PI, out=a)
    out *= a
    return out


def _reflect(x: np.ndarray, neg: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out = neg for x < 0 and 1 - neg for x > 0, given neg = GELU'(-|x|) < 0
    (never 0 in the regions): (x > 0) + copysign(neg, x)."""
    np.greater(x, 0.0, out=out)
    np.copysign(neg, x, out=neg)
    out += neg
    return out


# --- the regions: signed x in, the requested value out (in one of the rows) -------


def _near_zero(x, kind, rows):
    """|x| < T1: Phi = 1/2 + erf(z)/2, erf(z) = z + z y, y = P(z^2)/Q(z^2)."""
    hi, lo, a, b, c, d = rows[:6]
    _split_z(x, hi, lo, a)
    z = np.add(hi, lo, out=a)  # z rounded: enough for z^2 and z y
    np.multiply(z, z, out=d)
    y = _rational(d, PP, QQ, c, b)
    y *= z
    y += lo  # erf(z) - hi = lo + z y
    half = np.multiply(hi, 0.5, out=a)
    phi = np.add(half, 0.5, out=b)  # Fast2Sum: 0.5 + half = phi + err exactly
    err = np.subtract(phi, 0.5, out=hi)
    np.subtract(half, err, out=err)
    y *= 0.5
    y += err
    phi += y
    if kind == "ncdf":
        return phi
    if kind == "gelu":
        phi *= x
        return phi
    phi += _x_phi(x, a, hi, lo, c)
    return phi


def _middle(x, kind, rows):
    """T1 <= |x| < T2: Phi(-t) = (1 - erx)/2 - P(s)/Q(s)/2, s = t/sqrt 2 - 1."""
    t, hi, lo, a, b, c = rows[:6]
    np.abs(x, out=t)
    _split_z(t, hi, lo, a)
    hi -= 1.0  # exact: hi is in [0.84, 1.25]
    hi += lo
    q = _rational(hi, PA, QA, a, b)
    q *= -0.5
    q += HALF_1M_ERX  # Phi(-t)
    if kind == "ncdf":
        return _reflect_ncdf(x, q, b)
    if kind == "gelu":
        q *= t  # -GELU(-t)
        np.maximum(x, -0.0, out=b)
        b -= q
        return b
    q -= _x_phi(t, b, hi, lo, c)  # GELU'(-t)
    return _reflect(x, q, b)


def _tail(x, kind, rows, num, den):
    """T2 <= |x| < T4: t Phi(-t) = exp(-h^2/2 - 0.5625) exp(d + R/S - ln sqrt 2),
    d = (h - t)(h + t)/2, R/S = num(s)/(1 + s den(s)) at s = 2/t^2."""
    t, a, b, c, e, s1, s2 = rows[:7]
    np.abs(x, out=t)
    np.multiply(t, t, out=a)
    np.divide(2.0, a, out=a)
    rs = _rational(a, num, den, b, c)
    h = _round_to(t, _GRID15, a)
    tl = np.subtract(t, h, out=s1)  # exact
    np.add(h, t, out=e)
    d = np.multiply(tl, e, out=c)
    d *= -0.5
    rs += d
    np.multiply(h, h, out=e)
    e *= -0.5
    if kind != "gelu_prime":
        e -= 0.5625  # exact
        np.exp(e, out=e)
        rs += _LN_SQRT2_LO
        rs += _LN_SQRT2_HI
        f = np.exp(rs, out=rs)
        f *= e  # t Phi(-t) = -GELU(-t)
        if kind == "gelu":
            np.maximum(x, -0.0, out=a)
            a -= f
            return a
        f /= t
        return _reflect_ncdf(x, f, a)
    # GELU'(-t) = Phi(-t) - t phi(t) = e (f/t - t g), g = exp(d + 0.5625) / sqrt(2 pi):
    # e and the exponents of f and g carry the shift by 2^92 (see _C1_HI).
    e += _K_MINUS_0_5625
    np.exp(e, out=e)
    rs += _C1_LO
    rs += _C1_HI
    f = np.exp(rs, out=rs)
    f /= t
    d += _C2_LO
    d += _C2_HI
    g = np.exp(d, out=d)
    # t g, most of GELU', as h g_h + h (g - g_h) + t_lo g with g_h = g on the
    # grid 2^-25: the first two products are exact and the last is < 2^-16 t g,
    # so only the last subtraction rounds at the result's last bit.
    tl *= g
    f -= tl
    gh = _round_to(g, _GRID25, s2)
    g -= gh
    g *= h
    f -= g
    gh *= h
    f -= gh
    f *= e
    f *= _TWO_M92  # exact, or the one rounding into the subnormals
    return _reflect(x, f, a)


def _reflect_ncdf(x, q, out):
    """Phi(x) from q = Phi(-|x|): q for x < 0, 1 - q for x > 0."""
    np.subtract(1.0, q, out=out)
    np.copyto(out, q, where=x < 0)
    return out


def _tail_a(x, kind, rows):
    return _tail(x, kind, rows, RA, SA)


def _tail_b(x, kind, rows):
    return _tail(x, kind, rows, RB, SB)


def _limits(x, kind, out):
    """Beyond the regions: GELU = max(x, -0) (x itself for x >= 10, -0 for
    x <= -T4), GELU' = +1 or -0 (from x <= -T4_PRIME), Phi = 1 or 0; NaN stays NaN."""
    if kind == "gelu":
        return np.maximum(x, -0.0, out=out)
    np.heaviside(x, 0.5, out=out)
    if kind == "gelu_prime":
        np.copysign(out, x, out=out)
    return out


_REGIONS = (_near_zero, _middle, _tail_a, _tail_b)


def _block(x, kind, work, flags, out):
    """The requested function at one block x (float64, 1-d) into out (any
    float dtype: each value is rounded once into it).

    work: float64 rows (|x| and then the gathered elements, then the regions'
    scratch), flags: 4 bool rows, all at least x.size long."""
    n = x.size
    t = np.abs(x, out=work[0, :n])
    lt1, lt2, lt3, region = (row[:n] for row in flags)
    np.less(t, T1, out=lt1)
    np.less(t, T2, out=lt2)
    np.less(t, T3, out=lt3)
    done = 0
    for f in _REGIONS:
        if f is _near_zero:
            mask = lt1
        elif f is _middle:
            mask = np.greater(lt2, lt1, out=region)  # T1 <= t < T2
        elif f is _tail_a:
            mask = np.greater(lt3, lt2, out=region)
        else:  # t >= T3 and -T4 < x < 10 (GELU': -T4_PRIME)
            mask = np.greater(x, -T4_PRIME if kind == "gelu_prime" else -T4, out=region)
            np.less(x, POSITIVE_EXACT, out=lt1)
            mask &= lt1
            np.greater(mask, lt3, out=mask)
        idx = np.flatnonzero(mask)
        k = idx.size
        if k == n:
            out[...] = f(x, kind, [row[:n] for row in work])
        elif k:
            xs = np.take(x, idx, out=work[0, :k])
            out[idx] = f(xs, kind, [row[:k] for row in work[1:]])
        done += k
    if done < n:  # +-inf, NaN, x >= 10, x <= -T4: the limits
        np.logical_or(lt3, region, out=lt2)
        idx = np.flatnonzero(~lt2)
        out[idx] = _limits(x[idx], kind, np.empty(idx.size))
    return out


def _flat_order(arr: np.ndarray) -> str:
    return "F" if arr.flags.f_contiguous and not arr.flags.c_contiguous else "C"


def apply(arr: np.ndarray, kind: str) -> np.ndarray:
    """Phi ("ncdf"), GELU ("gelu") or GELU' ("gelu_prime") at a float16/32/64
    array of any shape: computed in float64, rounded once to arr's dtype.

    One element goes through :func:`scalar` (the same operations on Python
    floats: the same result, without ~100 NumPy calls). Larger arrays are
    computed in blocks of BLOCK elements, all in one workspace."""
    if arr.size == 1:
        out = np.asarray(scalar(arr.item(), kind), arr.dtype)
        return out if arr.ndim == 0 else out.reshape(arr.shape)
    order = _flat_order(arr)
    flat = arr.reshape(-1, order=order)  # a view for a contiguous array, else one copy
    n = flat.size
    out = np.empty(n, arr.dtype)
    nb = min(n, BLOCK)
    wide = arr.dtype != np.float64
    work = np.empty((ROWS + wide, nb))
    flags = np.empty((4, nb), bool)
    with np.errstate(under="ignore"):
        for start in range(0, n, BLOCK):
            xb = flat[start : start + BLOCK]
            if wide:  # widened one block at a time
                np.copyto(work[-1, : xb.size], xb)
                xb = work[-1, : xb.size]
            _block(xb, kind, work[:ROWS], flags, out[start : start + BLOCK])
    return out.reshape(arr.shape, order=order)


# --- one element: the same operations on Python floats ----------------------------
# (+, -, *, / are IEEE in both, and exp is NumPy's, which gives a Python float
# the result it gives inside an array.)


def _exp_s(v: float) -> float:
    return float(np.exp(v))


def _rational_s(s, num, den):
    p = s * num[-1]
    for c in num[-2:0:-1]:
        p += c
        p *= s
    p += num[0]
    q = s * den[-1]
    for c in den[-2::-1]:
        q += c
        q *= s
    q += 1.0
    return p / q


def _split_z_s(x):
    xh = (x + _GRID25) - _GRID25
    hi = xh * _SQRT1_2_HI
    lo = xh * _SQRT1_2_TAIL
    lo += (x - xh) * SQRT1_2
    lo += x * SQRT1_2_LO
    return hi, lo


def _x_phi_s(x):
    h = (x + _GRID25) - _GRID25
    v = x - h
    v *= x + h
    v *= -0.5
    e = _exp_s((h * h) * -0.5)
    c = v * 0.5
    c += 1.0
    c *= v
    c *= e
    e += c
    return e * (x * INV_SQRT_2PI)


def _reflect_s(x, neg):
    return (1.0 if x > 0 else 0.0) + math.copysign(neg, x)


def _near_zero_s(x, kind):
    hi, lo = _split_z_s(x)
    z = hi + lo
    y = _rational_s(z * z, PP, QQ)
    y *= z
    y += lo
    half = hi * 0.5
    phi = half + 0.5
    err = half - (phi - 0.5)
    y *= 0.5
    y += err
    phi += y
    if kind == "ncdf":
        return phi
    if kind == "gelu":
        return phi * x
    return phi + _x_phi_s(x)


def _middle_s(x, kind):
    t = abs(x)
    hi, lo = _split_z_s(t)
    hi -= 1.0
    hi += lo
    q = _rational_s(hi, PA, QA)
    q *= -0.5
    q += HALF_1M_ERX
    if kind == "ncdf":
        return q if x < 0 else 1.0 - q
    if kind == "gelu":
        return max(x, -0.0) - q * t
    return _reflect_s(x, q - _x_phi_s(t))


def _tail_s(x, kind, num, den):
    t = abs(x)
    rs = _rational_s(2.0 / (t * t), num, den)
    h = (t + _GRID15) - _GRID15
    tl = t - h
    d = tl * (h + t)
    d *= -0.5
    rs += d
    e = (h * h) * -0.5
    if kind != "gelu_prime":
        e = _exp_s(e - 0.5625)
        rs += _LN_SQRT2_LO
        rs += _LN_SQRT2_HI
        f = _exp_s(rs) * e
        if kind == "gelu":
            return max(x, -0.0) - f
        f /= t
        return f if x < 0 else 1.0 - f
    e = _exp_s(e + _K_MINUS_0_5625)
    rs += _C1_LO
    rs += _C1_HI
    f = _exp_s(rs) / t
    d += _C2_LO
    d += _C2_HI
    g = _exp_s(d)
    f -= tl * g
    gh = (g + _GRID25) - _GRID25
    f -= (g - gh) * h
    f -= gh * h
    f *= e
    f *= _TWO_M92
    return _reflect_s(x, f)


def scalar(v: float, kind: str) -> float:
    """The value of :func:`apply` at one float64, computed on Python floats."""
    t = abs(v)
    if t < T1:
        return _near_zero_s(v, kind)
    if t < T2:
        return _middle_s(v, kind)
    if t < T3:
        return _tail_s(v, kind, RA, SA)
    if (-T4_PRIME if kind == "gelu_prime" else -T4) < v < POSITIVE_EXACT:
        if v < -37.0:  # exp underflows there, which must not warn
            with np.errstate(under="ignore"):
                return _tail_s(v, kind, RB, SB)
        return _tail_s(v, kind, RB, SB)
    if kind == "gelu":
        return max(v, -0.0)
    if v != v:
        return v
    return (1.0 if v > 0 else 0.0) if kind == "ncdf" else (1.0 if v > 0 else -0.0)
