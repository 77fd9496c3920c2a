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

from . import _erfc, _silu_mish
from ._inputs import as_parameter, as_real_array, finish, keep_nan
from ._kernels import (
    as_array_like,
    blockwise,
    clip,
    finite,
    fits,
    log_logistic,
    log_sum_shifted,
    logistic,
    logistic_plus_slope,
    normalise_axis,
    one_element,
    scaled,
    shifted_by_argmax,
    softmax_weights,
    times,
    typed,
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
_SELU_SCALE_ALPHA = SELU_SCALE * SELU_ALPHA  # the float product, as PyTorch forms it: SELU'(0)

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
    v = one_element(w, -np.inf, np.inf)
    if v is not None:  # one element, not NaN: [x > 0] or the slope in w's dtype
        return finish(as_array_like(1.0 if v > 0 else times(np.ones((), w.dtype), slope), w), arr)
    if 0.0 <= slope <= 1.0:
        # [x > 0] as 0/1, clipped from below at the slope: 1 or slope, no branch on
        # the sign of x (np.where and np.sign branch per element: ~10x slower on random signs).
        floor = times(np.ones((), w.dtype), slope)
        # ceil(clip(x, 0, 1)) is [x > 0] with NaN carried through: no NaN pass
        if w.size <= 64:  # new arrays (a 0-d input gives NumPy scalars, which take no out=)
            return finish(clip(np.ceil(clip(w, 0, 1)), floor, np.inf), arr)
        out = clip(w, 0, 1)
        np.ceil(out, out=out)
        return finish(clip(out, floor, np.inf, out=out), arr)
    return finish(keep_nan(np.where(w > 0, 1.0, slope), w), arr)


# Up to this size a kernel returns new arrays at each step (a ufunc call with
# out= costs ~0.5 us more); beyond, it works in place in one or two buffers.
_SMALL = 1 << 8


# min(x, c) and max(x, c) into a new array. For large arrays np.clip: NumPy's
# minimum/maximum against a scalar are several times slower per element; for
# small ones the ufuncs: np.clip's Python wrapper costs ~2 us a call.
def _below(w: np.ndarray, c: float) -> np.ndarray:
    return np.clip(w, None, c) if w.size > 64 else np.minimum(w, c)


def _above(w: np.ndarray, c: float) -> np.ndarray:
    return np.clip(w, c, None) if w.size > 64 else np.maximum(w, c)


def _exp_pieces(w: np.ndarray, left: float, right: float) -> np.ndarray:
    """left (e^x - 1) for x <= 0 plus right x for x > 0: ELU and SELU.

    The two pieces are added, not selected: each is 0 on the other side, so the
    sum is exact there, and a select (np.where, copyto with where=) branches per
    element, ~10x slower on random signs. expm1 keeps the digits e^x - 1 loses near 0.
    """
    if not (fits(left, w.dtype) and fits(right, w.dtype)):  # a float16/32 input, a parameter beyond its range:
        with np.errstate(over="ignore"):  # in float64, rounded once to +-inf or a float
            return _exp_pieces(w.astype(np.float64), left, right).astype(w.dtype)
    v = one_element(w, -700.0, 700.0)  # |right x| stays finite: right < 2^24 (fits float32)
    if v is not None:  # the scalar twin of kernel (np.minimum/np.maximum give c on a tie, so +0 at -0)
        negative = np.expm1(v if v < 0 else typed(0.0, w))
        if left != 1:
            negative = negative * typed(left, w)
        positive = v if v > 0 else typed(0.0, w)
        if right != 1:
            positive = positive * typed(right, w)
        return as_array_like(negative + positive, w)
    lo, hi = w.dtype.type(left), w.dtype.type(right)

    def kernel(b):
        # From _SMALL elements on in two buffers (peak memory: twice the block);
        # below, new arrays (a ufunc call with out= costs ~0.5 us more).
        in_place = b.size > _SMALL
        negative = _below(b, 0)
        negative = np.expm1(negative, out=negative if in_place else None)
        if left != 1:
            negative = np.multiply(negative, lo, out=negative if in_place else None)  # |expm1| <= 1: no overflow
        positive = _above(b, 0)
        if right != 1:
            with np.errstate(over="ignore"):  # right x beyond the float range is inf, as IEEE rounds it
                positive = np.multiply(positive, hi, out=positive if in_place else None)
        return np.add(negative, positive, out=negative if in_place else None)

    return blockwise(kernel, w, w.dtype)


def _exp_pieces_prime(w: np.ndarray, left: float, right: float) -> np.ndarray:
    """left e^x for x <= 0 and right for x > 0: the derivative of ``_exp_pieces``,
    with ``left`` at the kink (PyTorch's autograd).

    e^min(x, 0) is exactly 1 for x >= 0, so the result is e^min(x, 0) times the
    factor [x <= 0] left + [x > 0] right, which is exactly one of the two; a NaN
    gets the factor 0 and e^NaN = NaN, so it stays NaN.
    """
    if not (fits(left, w.dtype) and fits(right, w.dtype)):  # a float16/32 input, a parameter beyond its range:
        with np.errstate(over="ignore"):  # in float64, each product rounded once to +-inf or a float
            return _exp_pieces_prime(w.astype(np.float64), left, right).astype(w.dtype)
    v = one_element(w, -700.0, 700.0)
    if v is not None:  # the scalar twin of kernel: the factor is exactly left or right
        e = np.exp(v if v < 0 else typed(0.0, w))
        return as_array_like(e * typed(left if v <= 0 else right, w), w)
    lo, hi = w.dtype.type(left), w.dtype.type(right)

    def kernel(b):
        in_place = b.size > _SMALL  # as in _exp_pieces: two buffers, or new arrays below _SMALL
        factor = (b <= 0) * lo
        factor = np.add(factor, (b > 0) * hi if right != 1 else (b > 0), out=factor if in_place else None)
        e = _below(b, 0)
        e = np.exp(e, out=e if in_place else None)
        return np.multiply(e, factor, out=e if in_place else None)

    return blockwise(kernel, w, w.dtype)


def elu(x, alpha=1.0):
    r"""Exponential linear unit (Clevert et al., 2016).

    .. math:: \mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}

    ``expm1`` keeps full accuracy for small negative ``x``.

    >>> [round(v, 6) for v in elu([-1.0, 0.0, 2.0]).tolist()]
    [-0.632121, 0.0, 2.0]
    """
    a = as_parameter(alpha, "elu", "alpha")
    arr = as_real_array(x, "elu")
    return finish(_exp_pieces(working(arr), a, 1.0), arr)


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
    return finish(_exp_pieces_prime(working(arr), a, 1.0), arr)


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
    return finish(_exp_pieces(working(arr), _SELU_SCALE_ALPHA, SELU_SCALE), arr)


def selu_prime(x):
    r"""Derivative of :func:`selu`: ``SELU_SCALE`` for ``x > 0``,
    ``SELU_SCALE * SELU_ALPHA * exp(x)`` for ``x <= 0`` (also at ``x = 0``, as PyTorch).

    >>> round(float(selu_prime(0.0)), 6)  # SELU_SCALE * SELU_ALPHA at the kink
    1.758099
    """
    arr = as_real_array(x, "selu_prime")
    return finish(_exp_pieces_prime(working(arr), _SELU_SCALE_ALPHA, SELU_SCALE), arr)


# --- GELU -----------------------------------------------------------------


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

    The exact form is fdlibm's ``erfc`` (Sun Microsystems, 1993; also in
    FreeBSD and musl) vectorised, with its formulas rewritten in ``x`` so
    that ``x / sqrt 2`` is never rounded (erfc's condition number ~x^2 would
    magnify that rounding; SciPy's ``erfc`` and ``ndtr`` lose up to ~x^2 ULP
    so): see ``book_utils._erfc``. Measured within 2.5 ULP of float64 on
    random points. float16 and float32 inputs are computed in float64, one
    block of the array at a time, and rounded once.

    >>> float(gelu(0.0))
    0.0
    >>> round(float(gelu(1.0)), 6)
    0.841345
    >>> round(float(gelu(1.0, approximate="tanh")), 6)
    0.841192
    """
    _check_approximate(approximate, "gelu")
    arr = as_real_array(x, "gelu")
    if approximate == "none":
        return finish(_erfc.apply(arr, "gelu"), arr)
    w = finite(working(arr))
    w64 = w.astype(np.float64)
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
    :math:`\varphi`, computed as :func:`gelu` is (``book_utils._erfc``; with
    :math:`\varphi(x) = e^{-h^2/2} e^{-(x - h)(x + h)/2}` for a short ``h``,
    so that ``x^2`` is never rounded either); measured within 2.7 ULP of
    :math:`|\Phi| + |x\varphi|` in float64. Tanh approximation:
    :math:`\sigma(2u) + 2x\,u'\,\sigma'(2u)` with
    :math:`u' = \sqrt{2/\pi}\,(1 + 3 \cdot 0.044715\,x^2)`.

    >>> float(gelu_prime(0.0))
    0.5
    >>> round(float(gelu_prime(-0.7517916243)), 6)  # the minimum of GELU
    -0.0
    """
    _check_approximate(approximate, "gelu_prime")
    arr = as_real_array(x, "gelu_prime")
    if approximate == "none":
        return finish(_erfc.apply(arr, "gelu_prime"), arr)
    w = finite(working(arr))
    w64 = np.clip(w.astype(np.float64), -1e3, 1e3)  # beyond, the derivative is 0 or 1 to the last bit
    u = _gelu_tanh_arg(w64)
    du = _GELU_TANH_C * (1 + 3 * 0.044715 * w64 * w64)
    return finish(logistic_plus_slope(2 * u, 2 * w64 * du), arr)


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

    For a float32 input, :math:`e^{-x}` is computed in float64 (block by block,
    never a full-size copy) and rounded once: with NumPy's float32 ``exp``
    (up to 2.5 ULP) the result drifts past 4 ULP. That costs about 1.7x the
    time of the naive float32 formula.

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
    :math:`\tanh(\log(1 + e^x)) = n / (n + 2)`. For a float32 input, :math:`n`
    is computed in float64 (block by block, never a full-size copy) and rounded
    once: with NumPy's float32 ``exp`` (up to 2.5 ULP) the result drifts past
    4 ULP. That costs about 1.7x the time of the naive float32 formula.

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
    # +-inf clipped to +-max first: max / (1 + max) = max / max = 1 (1 + max rounds to max),
    # where inf / inf would be NaN; NaN stays NaN.
    top = np.finfo(w.dtype).max

    if w.size <= _SMALL:  # new arrays: a ufunc call with out= costs ~0.5 us more
        c = _clipped(w, -top, top)
        return finish(c / (1 + np.abs(c)), arr)
    # Large: one buffer, three passes, unclipped; only +-inf (inf / inf) raises, and
    # such an array takes the clipped steps (the same bits everywhere else: c = x).
    try:
        with np.errstate(invalid="raise"):
            d = np.abs(w)
            d += 1
            return finish(np.divide(w, d, out=d), arr)
    except FloatingPointError:
        c = clip(w, -top, top)
        d = np.abs(c)
        d += 1
        return finish(np.divide(c, d, out=d), arr)


def softsign_prime(x):
    r"""Derivative of :func:`softsign`: :math:`1 / (1 + |x|)^2`, computed as a
    square of a quotient so that ``(1 + |x|)^2`` never overflows.

    >>> softsign_prime([-1.0, 0.0, 1.0]).tolist()
    [0.25, 1.0, 0.25]
    """
    arr = as_real_array(x, "softsign_prime")
    w = working(arr)
    d = np.abs(w)
    out = d if w.size > _SMALL else None  # one buffer from _SMALL on; new arrays below (out= costs ~0.5 us)
    d = np.add(d, 1, out=out)
    d = np.divide(1, d, out=out)
    return finish(np.square(d, out=out), arr)


def hard_sigmoid(x):
    r"""PyTorch's ``hardsigmoid``: :math:`\mathrm{ReLU6}(x + 3) / 6`.

    .. math:: \begin{cases} 0 & x \le -3 \\ (x + 3)/6 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}

    >>> hard_sigmoid([-4.0, 0.0, 3.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    arr = as_real_array(x, "hard_sigmoid")
    w = working(arr)
    # (x + 3) / 6: x + 3 is exact where it cancels (Sterbenz), so the result near
    # x = -3 is correctly rounded (x/6 + 1/2 would lose every digit there); +-inf
    # stay +-inf and are clipped to 1 and 0.
    if w.size <= _SMALL:  # new arrays: a ufunc call with out= costs ~0.5 us more
        return finish(_clipped((w + 3) / 6, 0, 1), arr)
    out = np.add(w, 3)  # large: one buffer, each step in place
    out /= 6
    return finish(np.clip(out, 0, 1, out=out), arr)


def _clipped(w: np.ndarray, lo, hi) -> np.ndarray:
    """A clipped copy of w, in one branch-free pass (NumPy's clip ufunc, without np.clip's ~2 us wrapper)."""
    return clip(w, lo, hi)


def hard_sigmoid_prime(x):
    r"""Derivative of :func:`hard_sigmoid`: ``1/6`` for ``-3 < x < 3``, else 0
    (0 at ``x = +-3``, as PyTorch's autograd).

    >>> [round(v, 6) for v in hard_sigmoid_prime([-3.0, 0.0, 3.0]).tolist()]
    [0.0, 0.166667, 0.0]
    """
    arr = as_real_array(x, "hard_sigmoid_prime")
    w = working(arr)
    inside = np.less(np.abs(w), 3).astype(w.dtype)
    inside *= w.dtype.type(1 / 6)  # 1 * c and 0 * c are exact
    return finish(keep_nan(inside, w), arr)


def hard_swish(x):
    r"""PyTorch's ``hardswish`` (Howard et al., 2019): :math:`x\,\mathrm{ReLU6}(x + 3) / 6`.

    Below -3 the result is -0.0 (``-3 * 0``), as PyTorch's ``x * relu6(x + 3) / 6``.

    >>> hard_swish([-4.0, 1.5, 3.0]).tolist()
    [-0.0, 1.125, 3.0]
    """
    arr = as_real_array(x, "hard_swish")
    w = working(arr)
    v = one_element(w, -np.inf, np.inf)
    if v is not None:  # the scalar twin of the formula below
        shifted = v + 3
        relu6 = (shifted if shifted < 6 else typed(6.0, w)) if shifted > 0 else typed(0.0, w)
        return finish(as_array_like((v if v > -3 else typed(-3.0, w)) * (relu6 / 6), w), arr)
    # max(x, -3) * (ReLU6(x + 3) / 6): the second factor is 0 below -3 and exactly
    # 1 above 3, so no branch, no inf * 0 (x = -inf gives -3 * 0) and no overflow
    # (x * 6 is never formed). x + 3 is exact where it cancels (Sterbenz).
    # The factor is <= 1 before the product: no overflow.
    if w.size <= _SMALL:  # new arrays: a ufunc call with out= costs ~0.5 us more
        return finish(_above(w, -3) * (_clipped(w + 3, 0, 6) / 6), arr)

    # Large: one buffer, four passes. clip(x, -3, 3) + 3 is ReLU6(x + 3) to the bit
    # (x + 3 rounds once either way), and x itself can stand for max(x, -3): where
    # they differ the factor is 0, and x * 0 is -0.0 as -3 * 0 is, except at x = -inf
    # (-inf * 0 = NaN): that raises, and such an array takes the guarded steps.
    def relu6_over_6():
        out = clip(w, -3, 3)
        out += 3
        out /= 6
        return out

    try:
        with np.errstate(invalid="raise"):
            factor = relu6_over_6()
            return finish(np.multiply(factor, w, out=factor), arr)
    except FloatingPointError:  # the raise left a product half done: start again
        out = relu6_over_6()
        return finish(np.multiply(out, clip(w, -3, np.inf), out=out), arr)


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
    v = one_element(w, -np.inf, np.inf)
    if v is not None:  # the scalar twin of kernel: -0.5 * 0 + 0 is +0 below -3
        return finish(as_array_like(v / 3 + 0.5 if -3 < v < 3 else typed(float(v >= 3), w), w), arr)

    # The pieces are added, not selected (a select branches per element): the middle
    # x/3 + 1/2 (of x clipped to [-3, 3], so never inf * 0) times [-3 < x < 3], plus [x >= 3].
    # Each term is exact where the other is 0; NaN stays NaN through the clip.
    def kernel(b):
        middle = _clipped(b, -3, 3)
        out = middle if b.size > _SMALL else None  # one buffer from _SMALL on; new arrays below
        middle = np.divide(middle, 3, out=out)
        middle = np.add(middle, 0.5, out=out)
        middle = np.multiply(middle, (b > -3) & (b < 3), out=out)
        return np.add(middle, b >= 3, out=out)

    return finish(blockwise(kernel, w, w.dtype), arr)


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
    if not (fits(lo, w.dtype) and fits(hi, w.dtype)):
        with np.errstate(over="ignore"):  # a bound beyond the dtype's range rounds to +-inf, as the result would
            lo, hi = w.dtype.type(lo), w.dtype.type(hi)
    return finish(_clipped(w, lo, hi), arr)


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
    v = one_element(w, -np.inf, np.inf)
    if v is not None:  # one element, not NaN: compared exactly, as a Python float
        return finish(as_array_like(float(lo < float(v) < hi), w), arr)
    lo, hi = _exact_bound(lo, w.dtype), _exact_bound(hi, w.dtype)
    if -lo == hi:  # the usual symmetric case: |x| < hi, one comparison
        inside = np.less(np.abs(w), hi)
    else:
        inside = np.greater(w, lo)
        inside &= w < hi
    return finish(keep_nan(inside.astype(w.dtype), w), arr)


# --- logarithms of sigmoid and softmax --------------------------------------------


def log_sigmoid(x):
    r"""Logarithm of the sigmoid: :math:`\log\sigma(x) = -\mathrm{softplus}(-x)`.

    Never ``log`` of a rounded sigmoid: ``log_sigmoid(-1000) = -1000``.
    Computed as ``-log1p(exp(-x))`` (within 1.6 ULP in float64, 3.3 ULP in
    float32); an array in which ``exp(-x)`` overflows (``x < -709``, ``-88``
    in float32) as ``min(x, 0) - log1p(exp(-|x|))``.

    >>> round(float(log_sigmoid(0.0)), 6)
    -0.693147
    >>> float(log_sigmoid(-1000.0))  # where log(sigmoid(x)) gives -inf
    -1000.0
    """
    arr = as_real_array(x, "log_sigmoid")
    return finish(log_logistic(working(arr)), arr)


def log_sigmoid_prime(x):
    r"""Derivative of :func:`log_sigmoid`: :math:`1 - \sigma(x) = \sigma(-x)`.

    Computed as ``1 / (1 + exp(x))``, as :func:`~book_utils.sigmoid` is.

    >>> float(log_sigmoid_prime(0.0))
    0.5
    """
    arr = as_real_array(x, "log_sigmoid_prime")
    return finish(logistic(working(arr), -1.0), arr)  # sigma(-x), without the copy -x


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
    found = shifted_by_argmax(w, ax)
    if found is not None:  # every maximum finite: the usual case, no bookkeeping of +-inf
        shifted, top = found
        shifted -= log_sum_shifted(shifted, ax, top)  # x - m <= 0 minus log(...) >= 0: no cancellation
        return finish(shifted, arr)
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
    s = softmax(w, axis=-1).astype(w.dtype, copy=False)
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
    w = working(arr)
    v = one_element(w, -np.inf, np.inf)
    if v is not None:  # one element, not NaN: the same three values
        return finish(as_array_like(0.0 if v < 0 else 1.0 if v > 0 else 0.5, w), arr)
    # sign(x) / 2 + 1/2 is 0, 1/2 or 1 exactly, NaN for NaN (np.heaviside is several times slower).
    out = np.sign(w)
    out *= 0.5
    out += 0.5
    return finish(out, arr)


def step_prime(x):
    r"""Derivative of :func:`step`: 0 everywhere (at 0 it does not exist; 0 is
    what automatic differentiation of a piecewise-constant function gives).
    NaN gives NaN, and ``-0.0`` keeps its sign.

    >>> step_prime([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, 0.0]
    """
    arr = as_real_array(x, "step_prime")
    w = working(arr)
    return finish(clip(w, 0, 0), arr)  # 0 (-0.0 keeps its sign), and NaN stays NaN: one pass
