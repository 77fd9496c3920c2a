"""Activations beyond the classic five: the ReLU family, GELU, SiLU/Swish,
Mish, the "hard" piecewise-linear variants, softsign, log-sigmoid,
log-softmax and the step function.

Same contract as :mod:`book_utils.core`. Names, parameters and defaults
follow PyTorch (``torch.nn.functional``); so do the derivatives at kinks,
which are those of PyTorch's autograd and are written in each docstring.
"""

from __future__ import annotations

import math

import numpy as np

from . import _silu_mish
from ._inputs import as_parameter, as_real_array, finish, keep_nan
from ._kernels import (
    blockwise,
    finite,
    log1pexp,
    logistic,
    logistic_plus_slope,
    normalise_axis,
    scaled,
    softmax_weights,
    times,
    two_product,
    wide,
    with_limits,
    working,
    x_times_logistic,
)

__all__ = [
    "leaky_relu",
    "leaky_relu_prime",
    "elu",
    "elu_prime",
    "selu",
    "selu_prime",
    "gelu",
    "gelu_prime",
    "silu",
    "silu_prime",
    "swish",
    "swish_prime",
    "mish",
    "mish_prime",
    "softsign",
    "softsign_prime",
    "hard_sigmoid",
    "hard_sigmoid_prime",
    "hard_swish",
    "hard_swish_prime",
    "hard_tanh",
    "hard_tanh_prime",
    "log_sigmoid",
    "log_sigmoid_prime",
    "log_softmax",
    "log_softmax_prime",
    "step",
    "step_prime",
    "SELU_ALPHA",
    "SELU_SCALE",
]

# Klambauer et al. (2017), to the digits PyTorch and JAX quote; the floats
# are the nearest doubles.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

_SQRT1_2 = 0.7071067811865476  # nearest double to 1/sqrt(2)
_SQRT1_2_LO = -4.833646656726457e-17  # 1/sqrt(2) - _SQRT1_2
_INV_SQRT_2PI = 0.3989422804014327  # 1/sqrt(2 pi)
_TWO_OVER_SQRT_PI = 1.1283791670955126  # 2/sqrt(pi)
_GELU_TANH_C = math.sqrt(2 / math.pi)


# --- the ReLU family --------------------------------------------------------


def leaky_relu(x, negative_slope=0.01):
    r"""Leaky ReLU.

    .. math:: \mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases},
              \quad \alpha = \texttt{negative\_slope}

    Maas et al. (2013). ``negative_slope = 0`` is ReLU.

    >>> leaky_relu([-2.0, 0.0, 3.0]).tolist()
    [-0.02, 0.0, 3.0]
    """
    slope = as_parameter(negative_slope, "leaky_relu", "negative_slope")
    arr = as_real_array(x, "leaky_relu")
    w = working(arr)
    if slope == 0.0:
        return finish(np.maximum(w, 0), arr)
    # x for x > 0 and slope * x for x <= 0 is max(x, slope x) when slope <= 1 and
    # min(x, slope x) when slope > 1: one pass, no branch on the sign of x.
    pick = np.maximum if slope <= 1 else np.minimum
    return finish(pick(w, times(w, slope)), arr)


def leaky_relu_prime(x, negative_slope=0.01):
    r"""Derivative of :func:`leaky_relu`: 1 for ``x > 0``, ``negative_slope`` for ``x <= 0``.

    At the kink ``x = 0`` this is ``negative_slope``, as in PyTorch's autograd
    (JAX's ``where(x >= 0, ...)`` gives 1 there).

    >>> leaky_relu_prime([-2.0, 0.0, 3.0]).tolist()  # 0.01 at the kink, as PyTorch
    [0.01, 0.01, 1.0]
    """
    slope = as_parameter(negative_slope, "leaky_relu_prime", "negative_slope")
    arr = as_real_array(x, "leaky_relu_prime")
    w = working(arr)
    if 0.0 <= slope <= 1.0:  # max(slope, [x > 0]) is 1 or slope: no branch on the sign of x
        with np.errstate(under="ignore"):
            out = np.maximum((w > 0).astype(w.dtype), w.dtype.type(slope))
        return finish(keep_nan(out, w), arr)
    return finish(keep_nan(np.where(w > 0, 1.0, slope), w), arr)


def _elu(w: np.ndarray, alpha: float) -> np.ndarray:
    # minimum: no exp of a large x; expm1 keeps the digits exp(x) - 1 loses near 0
    return np.where(w > 0, w, times(np.expm1(np.minimum(w, 0)), alpha))


def _elu_prime(w: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(w > 0, 1.0, times(np.exp(np.minimum(w, 0)), alpha))


def elu(x, alpha=1.0):
    r"""Exponential linear unit (Clevert et al., 2016).

    .. math:: \mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}

    ``expm1`` keeps full accuracy for small negative ``x``.

    >>> [round(v, 6) for v in elu([-1.0, 0.0, 2.0]).tolist()]
    [-0.632121, 0.0, 2.0]
    """
    a = as_parameter(alpha, "elu", "alpha")
    arr = as_real_array(x, "elu")
    return finish(_elu(working(arr), a), arr)


def elu_prime(x, alpha=1.0):
    r"""Derivative of :func:`elu`: 1 for ``x > 0``, ``alpha * exp(x)`` for ``x <= 0``.

    At ``x = 0`` this is ``alpha`` (PyTorch's autograd and JAX agree).

    >>> elu_prime([-1e9, 0.0, 2.0]).tolist()
    [0.0, 1.0, 1.0]
    >>> float(elu_prime(0.0, alpha=2.0))  # the negative side's value at the kink
    2.0
    """
    a = as_parameter(alpha, "elu_prime", "alpha")
    arr = as_real_array(x, "elu_prime")
    return finish(_elu_prime(working(arr), a), arr)


def selu(x):
    r"""Scaled ELU (Klambauer et al., 2017): ``SELU_SCALE * elu(x, SELU_ALPHA)``.

    .. math:: \mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}

    with :math:`\alpha \approx 1.6733` and :math:`\lambda \approx 1.0507`
    (``SELU_ALPHA``, ``SELU_SCALE``), chosen so that activations keep zero
    mean and unit variance through a deep network.

    >>> float(selu(1.0)) == SELU_SCALE
    True
    >>> round(float(selu(-1000.0)), 6)  # -SELU_SCALE * SELU_ALPHA
    -1.758099
    """
    arr = as_real_array(x, "selu")
    w = working(arr)
    with np.errstate(over="ignore"):  # SCALE * x beyond the float range is inf, as IEEE rounds it
        out = SELU_SCALE * _elu(w, SELU_ALPHA)
        return finish(out.astype(arr.dtype), arr)


def selu_prime(x):
    r"""Derivative of :func:`selu`: ``SELU_SCALE`` for ``x > 0``,
    ``SELU_SCALE * SELU_ALPHA * exp(x)`` for ``x <= 0`` (also at ``x = 0``, as PyTorch).

    >>> round(float(selu_prime(0.0)), 6)  # SELU_SCALE * SELU_ALPHA at the kink
    1.758099
    """
    arr = as_real_array(x, "selu_prime")
    w = working(arr)
    return finish(SELU_SCALE * _elu_prime(w, SELU_ALPHA), arr)


# --- GELU -----------------------------------------------------------------


def _gauss(w64: np.ndarray) -> np.ndarray:
    """exp(-x^2 / 2), with x^2 carried as hi + lo so its rounding costs nothing.

    One exp and one correction (exp(-lo/2) = 1 - lo/2 to the last bit): two
    roundings, where squaring exp(-x^2/4) would double exp's error.
    """
    sq_hi, sq_lo = two_product(w64, w64)
    with np.errstate(under="ignore"):
        g = np.exp(-0.5 * sq_hi)
        return g - g * (0.5 * sq_lo)


def _special():
    """scipy.special, imported on first use: it is only needed by exact GELU,
    and importing it costs several times as long as importing NumPy."""
    from scipy import special

    return special


_libm_erfc = np.frompyfunc(math.erfc, 1, 1)


def _ncdf_negative(w64: np.ndarray) -> np.ndarray:
    """Phi(x) = erfc(z) / 2, z = -x / sqrt 2, for -37.625 <= x <= 0.

    z is carried as hi + lo (Dekker's product, and the rounding of the
    constant 1/sqrt 2), and erfc(hi + lo) = erfc(hi) - 2/sqrt(pi) e^{-hi^2} lo
    to the last bit: erfc's condition number ~2z^2 would otherwise turn the
    half-ULP rounding of z into ~2z^2 ULP.

    Near 0 (x > -0.7) SciPy's erfc (1 - erf there) is accurate to < 1 ULP.
    Below, SciPy's erfc rounds e^{-z^2} inside and its erfcx is off by up
    to 8 ULP (measured), so the libm erfc (math.erfc, about 2.7 ULP
    measured with glibc) is called there, element by element: slower, but
    the only accurate erfc at hand.
    """
    z_hi, z_lo = two_product(-w64, _SQRT1_2)
    z_lo = z_lo - w64 * _SQRT1_2_LO
    out = np.array(_special().erfc(z_hi), dtype=np.float64)  # writable, also for 0-d input
    far = w64 < -0.7
    if far.any():
        out[far] = _libm_erfc(z_hi[far]).astype(np.float64)
    with np.errstate(under="ignore"):
        return 0.5 * (out - _TWO_OVER_SQRT_PI * np.exp(-z_hi * z_hi) * z_lo)


_EXP_M64 = 1.603810890548638e-28  # e^-64
# Where the tail formulas take over. GELU = x Phi: while Phi(x) is normal
# (x > -37.55). GELU' = Phi + x phi: while phi is (x > -37.64); it is
# dominated by x phi there, so a subnormal Phi adds < 1e-3 ULP.
_GELU_TAIL = {False: 37.5, True: 37.625}


def _gelu_negative(w64: np.ndarray, derivative: bool) -> np.ndarray:
    """GELU (or GELU') for x <= 0.

    Down to the edge (_GELU_TAIL): x Phi(x) and Phi(x) + x phi(x) from an
    accurate Phi and phi = e^{-x^2/2} / sqrt(2 pi) (no cancellation beyond
    what the prime_scale tolerance allows for).

    Beyond, where the results approach the subnormal range: Phi(x) =
    erfcx(z) e^{-z^2} / 2, with erfcx(z) = e^{z^2} erfc(z) smooth and
    well-conditioned (SciPy's is within ~2 ULP there), and e^{-x^2/2}
    exact up to its rounding. (1 + erf would be 0 in floating point long
    before Phi is.) A factor larger than 1 (GELU' = B e^{-x^2/2}, |B| ~ |x| / sqrt(2 pi))
    must not multiply a rounded subnormal, so that one is computed at
    e^{64 - x^2/2} and scaled down once, at the end.
    """
    edge = _GELU_TAIL[derivative]
    w = np.clip(w64, -edge, 0.0)
    cdf = _ncdf_negative(w)
    near = w * cdf if not derivative else cdf + (w * _INV_SQRT_2PI) * _gauss(w)
    t = np.clip(w64, -60.0, -edge)  # Phi(-60) ~ 1e-784: 0 in float64, and so is e^{-x^2/2}
    cdf_scaled = 0.5 * _special().erfcx(-t * _SQRT1_2)  # Phi(x) e^{x^2/2}
    with np.errstate(under="ignore"):
        if not derivative:  # |A| < 0.4 does not magnify the rounding of a subnormal e^{-x^2/2}
            tail = (t * cdf_scaled) * _gauss(t)
        else:  # |B| ~ |x| / sqrt(2 pi) would
            sq_hi, sq_lo = two_product(t, t)
            shifted = np.exp(64.0 - 0.5 * sq_hi)  # exact argument: 64 and x^2/2 > 703 share the binade's grid
            tail = (((cdf_scaled + t * _INV_SQRT_2PI) * shifted) * (1 - 0.5 * sq_lo)) * _EXP_M64
    return np.where(w64 >= -edge, near, tail)


def _check_approximate(approximate, func: str) -> None:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"{func}() expects approximate to be 'none' or 'tanh'; got {approximate!r}")


def gelu(x, approximate="none"):
    r"""Gaussian error linear unit (Hendrycks and Gimpel, 2016).

    .. math:: \mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\,\mathrm{erfc}\!\left(-\frac{x}{\sqrt 2}\right)

    ``approximate="tanh"`` gives the tanh approximation
    :math:`\frac{x}{2}\bigl(1 + \tanh(\sqrt{2/\pi}\,(x + 0.044715 x^3))\bigr)`,
    computed as :math:`x\,\sigma(2u)` with :math:`u = \sqrt{2/\pi}\,(x + 0.044715 x^3)`
    (the argument of tanh), so it never overflows. PyTorch's default
    is ``"none"`` (exact); JAX's ``gelu`` defaults to the approximation.

    For ``-37.5 < x < -0.7`` the exact form calls the C library's ``erfc``
    element by element (``math.erfc``): SciPy's ``erfc`` and ``erfcx`` are
    off by up to 8 ULP there, which put GELU at up to 8 ULP. This is the
    accurate path, several times slower than a ufunc on those elements.

    >>> float(gelu(0.0))
    0.0
    >>> round(float(gelu(1.0)), 6)
    0.841345
    >>> round(float(gelu(1.0, approximate="tanh")), 6)
    0.841192
    """
    _check_approximate(approximate, "gelu")
    arr = as_real_array(x, "gelu")
    w = finite(working(arr))
    w64 = w.astype(np.float64)
    if approximate == "none":
        upper = w64 * (0.5 * _special().erfc(-np.clip(w64, 0.0, 60.0) * _SQRT1_2))  # Phi in [1/2, 1]: benign
        out = np.where(w64 < 0, _gelu_negative(w64, derivative=False), upper)
    else:
        with np.errstate(over="ignore"):  # 2u beyond the float range is +-inf: sigma is exact there
            z = 2 * _gelu_tanh_arg(w64)
        out = x_times_logistic(w64, z)
    return finish(with_limits(out, arr, -0.0, np.inf), arr)


def _gelu_tanh_arg(w64: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # x^3 beyond the float range: u = +-inf, sigma is exact there
        return _GELU_TANH_C * (w64 + 0.044715 * w64 * w64 * w64)


def gelu_prime(x, approximate="none"):
    r"""Derivative of :func:`gelu`.

    Exact: :math:`\Phi(x) + x\,\varphi(x)` with the normal density
    :math:`\varphi`. Tanh approximation:
    :math:`\sigma(2u) + 2x\,u'\,\sigma'(2u)` with
    :math:`u' = \sqrt{2/\pi}\,(1 + 3 \cdot 0.044715\,x^2)`.

    >>> float(gelu_prime(0.0))
    0.5
    >>> round(float(gelu_prime(-0.7517916243)), 6)  # the minimum of GELU
    -0.0
    """
    _check_approximate(approximate, "gelu_prime")
    arr = as_real_array(x, "gelu_prime")
    w = finite(working(arr))
    w64 = np.clip(w.astype(np.float64), -1e3, 1e3)  # beyond, the derivative is 0 or 1 to the last bit
    if approximate == "none":
        pos = np.clip(w64, 0.0, 60.0)
        with np.errstate(under="ignore"):
            upper = 0.5 * _special().erfc(-pos * _SQRT1_2) + pos * _INV_SQRT_2PI * np.exp(-0.5 * pos * pos)
        out = np.where(w64 < 0, _gelu_negative(w64, derivative=True), upper)
    else:
        u = _gelu_tanh_arg(w64)
        du = _GELU_TANH_C * (1 + 3 * 0.044715 * w64 * w64)
        out = logistic_plus_slope(2 * u, 2 * w64 * du)
    return finish(out, arr)


# --- SiLU / Swish and Mish ------------------------------------------------------


def _beta(beta, func: str) -> float:
    # The default (a finite Python float) needs no conversion: 1 us of the fixed cost.
    return beta if type(beta) is float and math.isfinite(beta) else as_parameter(beta, func, "beta")


def silu(x, beta=1.0):
    r"""SiLU, also called Swish (Elfwing et al., 2018; Ramachandran et al., 2017).

    .. math:: \mathrm{SiLU}_\beta(x) = x\,\sigma(\beta x)

    ``beta = 1`` is PyTorch's ``silu`` (which has no ``beta``); as
    ``beta -> inf`` it tends to ReLU, and ``beta = 0`` gives ``x / 2``.

    >>> float(silu(0.0))
    0.0
    >>> round(float(silu(1.0)), 6)
    0.731059
    >>> float(silu(2.0, beta=0.0))  # beta = 0: x / 2
    1.0
    """
    b = _beta(beta, "silu")
    arr = as_real_array(x, "silu")
    w = working(arr)
    if b == 1.0:
        return finish(_silu_mish.silu(w), arr)
    # Any other beta: float32 in float64, rounded once (see wide), block by block.
    out = blockwise(lambda v: x_times_logistic(wide(finite(v)), scaled(wide(finite(v)), b)), w, w.dtype)
    # x -> -inf: sigma(beta x) -> 0 if beta > 0 (x sigma -> 0), 1/2 or 1 otherwise (-> -inf)
    limit_neg = -0.0 if b > 0 else -np.inf
    limit_pos = np.inf if b >= 0 else 0.0
    return finish(with_limits(out, w, limit_neg, limit_pos), arr)


def silu_prime(x, beta=1.0):
    r"""Derivative of :func:`silu`.

    .. math::
        \frac{d}{dx}\,x\,\sigma(\beta x)
        = \sigma(\beta x) + \beta x\,\sigma(\beta x)\bigl(1 - \sigma(\beta x)\bigr)

    >>> float(silu_prime(0.0))
    0.5
    """
    b = _beta(beta, "silu_prime")
    arr = as_real_array(x, "silu_prime")
    w = working(arr)
    if b == 1.0:
        return finish(_silu_mish.silu_prime(w), arr)

    def kernel(v):
        z = np.clip(scaled(wide(finite(v)), b), -1e4, 1e4)  # beyond, sigma' underflows to 0 and z * 0 must stay 0
        return logistic_plus_slope(z, z)

    return finish(blockwise(kernel, w, w.dtype), arr)


swish = silu
swish_prime = silu_prime


def mish(x):
    r"""Mish (Misra, 2019).

    .. math:: \mathrm{Mish}(x) = x \tanh\bigl(\mathrm{softplus}(x)\bigr)

    Computed as :math:`x / (1 + 2/n)` with :math:`n = e^x (e^x + 2)`, since
    :math:`\tanh(\log(1 + e^x)) = n / (n + 2)`.

    >>> float(mish(0.0))
    0.0
    >>> round(float(mish(1.0)), 6)
    0.865098
    """
    arr = as_real_array(x, "mish")
    return finish(_silu_mish.mish(working(arr)), arr)


def mish_prime(x):
    r"""Derivative of :func:`mish`.

    .. math:: \mathrm{Mish}'(x) = \tanh(\mathrm{sp}(x)) + x\,\mathrm{sech}^2(\mathrm{sp}(x))\,\sigma(x),
              \quad \mathrm{sp} = \mathrm{softplus}

    >>> round(float(mish_prime(0.0)), 6)
    0.6
    """
    arr = as_real_array(x, "mish_prime")
    return finish(_silu_mish.mish_prime(working(arr)), arr)


# --- bounded and piecewise-linear ones -------------------------------------------


def softsign(x):
    r"""Softsign: :math:`x / (1 + |x|)`, a tanh-like curve with polynomial tails.

    >>> softsign([-3.0, 0.0, 1.0]).tolist()
    [-0.75, 0.0, 0.5]
    """
    arr = as_real_array(x, "softsign")
    w = working(arr)
    out = np.empty_like(w)  # an explicit buffer: 0-d input stays an array
    np.abs(w, out=out)
    np.add(out, 1, out=out)  # 1 + |x| cannot overflow: |x| <= max
    with np.errstate(invalid="ignore"):  # inf / inf, replaced by the limit below
        np.divide(w, out, out=out)
    # +-inf gave inf / inf = NaN; out.min() is NaN exactly then (or for a NaN input),
    # so the limits cost one reduction, not a pass of np.where.
    if out.size and np.isnan(out.min()):
        infinite = np.isinf(w)
        out[infinite] = np.sign(w[infinite])
    return finish(out, arr)


def softsign_prime(x):
    r"""Derivative of :func:`softsign`: :math:`1 / (1 + |x|)^2`, computed as a
    square of a quotient so that ``(1 + |x|)^2`` never overflows.

    >>> softsign_prime([-1.0, 0.0, 1.0]).tolist()
    [0.25, 1.0, 0.25]
    """
    arr = as_real_array(x, "softsign_prime")
    w = working(arr)
    return finish((1 / (1 + np.abs(w))) ** 2, arr)


def hard_sigmoid(x):
    r"""PyTorch's ``hardsigmoid``: :math:`\mathrm{ReLU6}(x + 3) / 6`.

    .. math:: \begin{cases} 0 & x \le -3 \\ (x + 3)/6 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}

    >>> hard_sigmoid([-4.0, 0.0, 3.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    arr = as_real_array(x, "hard_sigmoid")
    w = working(arr)
    return finish(np.clip((finite(w) + 3) / 6, 0, 1), arr)


def hard_sigmoid_prime(x):
    r"""Derivative of :func:`hard_sigmoid`: ``1/6`` for ``-3 < x < 3``, else 0
    (0 at ``x = +-3``, as PyTorch's autograd).

    >>> [round(v, 6) for v in hard_sigmoid_prime([-3.0, 0.0, 3.0]).tolist()]
    [0.0, 0.166667, 0.0]
    """
    arr = as_real_array(x, "hard_sigmoid_prime")
    w = working(arr)
    inside = ((w > -3) & (w < 3)).astype(w.dtype)
    inside *= w.dtype.type(1 / 6)  # 1 * c and 0 * c are exact
    return finish(keep_nan(inside, w), arr)


def hard_swish(x):
    r"""PyTorch's ``hardswish`` (Howard et al., 2019): :math:`x\,\mathrm{ReLU6}(x + 3) / 6`.

    >>> hard_swish([-4.0, 1.5, 3.0]).tolist()
    [0.0, 1.125, 3.0]
    """
    arr = as_real_array(x, "hard_swish")
    w = working(arr)
    # max(x, -3) * (ReLU6(x + 3) / 6): the second factor is 0 below -3 and exactly
    # 1 above 3, so no branch, no inf * 0 (x = -inf gives -3 * 0) and no overflow
    # (x * 6 is never formed). x + 3 is exact where it cancels (Sterbenz).
    factor, out = np.empty_like(w), np.empty_like(w)  # explicit buffers: 0-d input stays an array
    np.add(w, 3, out=factor)
    np.clip(factor, 0, 6, out=factor)
    np.divide(factor, 6, out=factor)
    np.maximum(w, -3, out=out)
    np.multiply(out, factor, out=out)
    np.add(out, 0.0, out=out)  # -3 * 0 is -0.0: the flat piece is +0, as before
    return finish(out, arr)


def hard_swish_prime(x):
    r"""Derivative of :func:`hard_swish`, with PyTorch's autograd at the kinks:

    .. math:: \begin{cases} 0 & x \le -3 \\ x/3 + 1/2 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}

    so ``hard_swish'(-3) = 0`` and ``hard_swish'(3) = 1``: the one-sided
    limits from the outer pieces (from the middle piece they would be -1/2
    and 3/2; the function has a corner at both points).

    >>> hard_swish_prime([-3.0, 0.0, 3.0]).tolist()  # 0 and 1 at the kinks, as PyTorch
    [0.0, 0.5, 1.0]
    """
    arr = as_real_array(x, "hard_swish_prime")
    w = working(arr)
    middle = w / 3 + 0.5
    return finish(keep_nan(np.where(w <= -3, 0.0, np.where(w >= 3, 1.0, middle)), w), arr)


def _clip_bounds(min_val, max_val, func: str) -> tuple[float, float]:
    lo = as_parameter(min_val, func, "min_val")
    hi = as_parameter(max_val, func, "max_val")
    if not lo < hi:
        raise ValueError(f"{func}() expects min_val < max_val; got {lo!r} and {hi!r}")
    return lo, hi


def _exact_bound(bound: float, dtype: np.dtype):
    """The bound as a scalar to compare ``dtype`` values with, exactly: in the
    dtype itself when it holds the bound (fast), else as np.float64, which is
    not demoted (slower, but exact, and no overflow in a cast)."""
    with np.errstate(over="ignore"):
        t = dtype.type(bound)
    return t if float(t) == bound else np.float64(bound)


def hard_tanh(x, min_val=-1.0, max_val=1.0):
    r"""Hard tanh: ``x`` clipped to ``[min_val, max_val]`` (PyTorch's ``hardtanh``).

    >>> hard_tanh([-2.0, 0.5, 2.0]).tolist()
    [-1.0, 0.5, 1.0]
    >>> hard_tanh([-3.0, 3.0], min_val=-2.0, max_val=2.0).tolist()
    [-2.0, 2.0]
    """
    lo, hi = _clip_bounds(min_val, max_val, "hard_tanh")
    arr = as_real_array(x, "hard_tanh")
    w = working(arr)
    with np.errstate(over="ignore"):  # a bound beyond the dtype's range rounds to +-inf, as the result would
        lo_t, hi_t = w.dtype.type(lo), w.dtype.type(hi)
    return finish(np.clip(w, lo_t, hi_t), arr)


def hard_tanh_prime(x, min_val=-1.0, max_val=1.0):
    r"""Derivative of :func:`hard_tanh`: 1 strictly inside ``(min_val, max_val)``,
    0 outside and at both ends (PyTorch's autograd; JAX's ``hard_tanh`` gives 1
    at the ends).

    >>> hard_tanh_prime([-1.0, 0.0, 1.0]).tolist()  # 0 at the kinks, as PyTorch
    [0.0, 1.0, 0.0]
    """
    lo, hi = _clip_bounds(min_val, max_val, "hard_tanh_prime")
    arr = as_real_array(x, "hard_tanh_prime")
    w = working(arr)
    inside = (w > _exact_bound(lo, w.dtype)) & (w < _exact_bound(hi, w.dtype))
    return finish(keep_nan(inside.astype(w.dtype), w), arr)


# --- logarithms of sigmoid and softmax --------------------------------------------


def log_sigmoid(x):
    r"""Logarithm of the sigmoid: :math:`\log\sigma(x) = -\mathrm{softplus}(-x)`.

    Never ``log`` of a rounded sigmoid: ``log_sigmoid(-1000) = -1000``.

    >>> round(float(log_sigmoid(0.0)), 6)
    -0.693147
    >>> float(log_sigmoid(-1000.0))  # where log(sigmoid(x)) gives -inf
    -1000.0
    """
    arr = as_real_array(x, "log_sigmoid")
    w = working(arr)
    return finish(-log1pexp(-w), arr)


def log_sigmoid_prime(x):
    r"""Derivative of :func:`log_sigmoid`: :math:`1 - \sigma(x) = \sigma(-x)`.

    >>> float(log_sigmoid_prime(0.0))
    0.5
    """
    arr = as_real_array(x, "log_sigmoid_prime")
    return finish(logistic(working(arr), negate=True), arr)  # sigma(-x), without the copy -x


def log_softmax(x, axis=-1):
    r"""Logarithm of :func:`~book_utils.softmax` along ``axis``.

    .. math:: \log \mathrm{softmax}(\mathbf{x})_i = (x_i - m) - \log\Bigl(1 + \sum_{k \ne k^*} e^{x_k - m}\Bigr)

    with :math:`m = x_{k^*}` the maximum; ``log1p`` of the sum of the other
    terms keeps the result accurate when one entry dominates. Limits follow
    :func:`~book_utils.softmax` (a single ``+inf`` gives 0 there and ``-inf``
    elsewhere).

    >>> [round(v, 6) for v in log_softmax([0.0, 0.0]).tolist()]
    [-0.693147, -0.693147]
    >>> log_softmax([0.0, -1000.0]).tolist()
    [0.0, -1000.0]
    """
    arr = as_real_array(x, "log_softmax")
    w = working(arr)
    if w.ndim == 0:
        return finish(np.where(np.isnan(w), w, 0), arr)
    ax = normalise_axis(axis, w.ndim, "log_softmax")
    if w.shape[ax] == 0:
        return finish(w.copy(), arr)
    if w.shape[ax] == 1:
        return finish(keep_nan(np.zeros_like(w), w), arr)
    e, valid, m = softmax_weights(w, ax)
    top = np.expand_dims(np.argmax(e, axis=ax), ax)
    others = e.copy()
    np.put_along_axis(others, top, 0, axis=ax)
    log_total = np.log1p(np.sum(others, axis=ax, keepdims=True))
    finite_max = np.isfinite(m)
    with np.errstate(over="ignore"):  # -1e308 - 1e308 = -inf: the right limit
        shifted = np.where(finite_max, w - np.where(finite_max, m, 0), np.where(np.isposinf(w), 0.0, -np.inf))
    out = np.where(valid, shifted - log_total, np.nan)
    return finish(out, arr)


def log_softmax_prime(x):
    r"""Jacobian of :func:`log_softmax` over the last axis:
    :math:`\partial \log s_i / \partial x_j = \delta_{ij} - s_j`; shape ``x.shape + (n,)``.

    >>> log_softmax_prime([0.0, 0.0]).tolist()
    [[0.5, -0.5], [-0.5, 0.5]]
    """
    from .core import softmax

    arr = as_real_array(x, "log_softmax_prime")
    w = working(arr)
    if w.ndim == 0:
        return finish(np.where(np.isnan(w), w, 0), arr)
    s = softmax(w, axis=-1).astype(w.dtype)
    n = w.shape[-1]
    return finish(np.eye(n, dtype=w.dtype) - s[..., None, :], arr)


# --- the step function ---------------------------------------------------------


def step(x):
    r"""Heaviside step: 0 for ``x < 0``, 1 for ``x > 0`` and ``1/2`` at 0.

    The perceptron's activation, and the limit of :math:`\sigma(x; a)` as
    :math:`a \to \infty` (which is :math:`1/2` at 0 for every ``a``).

    >>> step([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    arr = as_real_array(x, "step")
    # sign(x) / 2 + 1/2 is 0, 1/2 or 1 exactly, NaN for NaN (np.heaviside is several times slower).
    out = np.sign(working(arr))
    out *= 0.5
    out += 0.5
    return finish(out, arr)


def step_prime(x):
    r"""Derivative of :func:`step`: 0 everywhere (at 0 it does not exist; 0 is
    what automatic differentiation of a piecewise-constant function gives).

    >>> step_prime([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, 0.0]
    """
    arr = as_real_array(x, "step_prime")
    w = working(arr)
    return finish(keep_nan(np.zeros_like(w), w), arr)
