"""The five classic activations (sigmoid, tanh, ReLU, SoftPlus, Softmax) and their derivatives.

Every function follows the package's contract: scalar in, scalar out; the
shape is kept; float32 stays float32 and integers become float64; NaN
propagates; +-inf give the true limits; no overflow and no RuntimeWarning for
any input. The formulas are the numerically stable ones; the naive textbook
forms are shown (and taken apart) in the chapters, not used here.
"""

from __future__ import annotations

import numpy as np

from ._inputs import as_parameter, as_real_array, finish, keep_nan

__all__ = [
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
    "relu",
    "relu_prime",
    "softplus",
    "softplus_prime",
    "softmax",
    "softmax_prime",
    "one_hot_argmax",
]


def _working(arr: np.ndarray) -> np.ndarray:
    """float16 is computed in float32 (its exponent range is too small for
    intermediate sums); the result is cast back by ``finish``."""
    return arr.astype(np.float32) if arr.dtype == np.float16 else arr


def _scaled(x: np.ndarray, a: float) -> np.ndarray:
    """Return a*x. An overflow to +-inf is the right input for a saturating
    function, so it is not a warning here; a = 0 must not turn 0*inf into NaN."""
    if a == 0.0:
        return np.where(np.isnan(x), x, np.zeros_like(x))
    with np.errstate(over="ignore"):
        # Multiply in float64 and round once: a itself may not fit in float32.
        return (x.astype(np.float64, copy=False) * a).astype(x.dtype, copy=False)


def _logistic(z: np.ndarray) -> np.ndarray:
    # exp(-|z|) is in (0, 1]: it cannot overflow, and both branches are
    # quotients of positive numbers, so neither loses accuracy by cancellation.
    t = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + t), t / (1 + t))


def _softplus(w: np.ndarray) -> np.ndarray:
    # max(x, 0) + log(1 + e^{-|x|}): exp never sees a positive argument and
    # log1p keeps the tail softplus(x) ~ e^x for very negative x.
    return np.maximum(w, 0) + np.log1p(np.exp(-np.abs(w)))


def _sech2(w: np.ndarray) -> np.ndarray:
    # 1/cosh^2 x = 4 t / (1 + t)^2 with t = exp(-2|x|): cosh would overflow
    # for |x| > 710 and 1 - tanh^2 rounds to 0 from |x| ~ 19.
    with np.errstate(over="ignore"):  # 2|x| -> inf for |x| > max/2: exp gives the right 0
        t = np.exp(-2 * np.abs(w))
    return 4 * t / (1 + t) ** 2


def _logistic_prime(z: np.ndarray) -> np.ndarray:
    # sigma(z) (1 - sigma(z)) = sigma(|z|) sigma(-|z|) = t / (1 + t)^2 with
    # t = exp(-|z|). Unlike the product form it never rounds to 0 while the
    # true value is a normal float (the product does so from z ~ 37).
    t = np.exp(-np.abs(z))
    return t / (1 + t) ** 2


def sigmoid(x, a=1.0):
    r"""Logistic sigmoid with gain ``a``.

    .. math:: \sigma(x; a) = \frac{1}{1 + e^{-ax}}

    ``a = 1`` is the standard sigmoid. Computed as ``1 / (1 + t)`` for
    ``ax >= 0`` and ``t / (1 + t)`` otherwise, with ``t = exp(-|ax|)``.

    Args:
        x: a real scalar, list or array.
        a: the gain, a finite real number (default 1.0).

    Returns:
        sigma(x; a), same shape as ``x``; float32 for float32 input, float64
        otherwise. ``sigmoid(inf) = 1``, ``sigmoid(-inf) = 0``.

    >>> float(sigmoid(0.0))
    0.5
    """
    a = as_parameter(a, "sigmoid", "a")
    arr = as_real_array(x, "sigmoid")
    return finish(_logistic(_scaled(_working(arr), a)), arr)


def sigmoid_prime(x, a=1.0):
    r"""Derivative of :func:`sigmoid` with respect to ``x``.

    .. math:: \frac{d}{dx}\sigma(x; a) = a\,\sigma(x; a)\,\bigl(1 - \sigma(x; a)\bigr)

    Its maximum is ``a/4`` at ``x = 0``. Computed as ``a t / (1 + t)^2`` with
    ``t = exp(-|ax|)``, accurate for large ``|x|`` where ``sigma(1 - sigma)``
    would round to 0.

    >>> float(sigmoid_prime(0.0, a=2.0))
    0.5
    """
    a = as_parameter(a, "sigmoid_prime", "a")
    arr = as_real_array(x, "sigmoid_prime")
    w = _working(arr)
    slope = _logistic_prime(_scaled(w, a)).astype(np.float64, copy=False) * a
    with np.errstate(over="ignore"):  # a/4 beyond float32's range rounds to inf, as IEEE says
        return finish(slope.astype(arr.dtype, copy=False), arr)


def tanh(x):
    r"""Hyperbolic tangent.

    .. math:: \tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    NumPy's ``tanh`` is already accurate and saturates without overflow; this
    wrapper adds the input contract shared by all activations.

    >>> float(tanh(0.0))
    0.0
    """
    arr = as_real_array(x, "tanh")
    return finish(np.tanh(_working(arr)), arr)


def tanh_prime(x):
    r"""Derivative of :func:`tanh`.

    .. math:: (\tanh x)' = \frac{1}{\cosh^2 x} = 1 - \tanh^2 x

    Computed as ``4 e / (1 + e)^2`` with ``e = exp(-2|x|)``: ``cosh`` would
    overflow for ``|x| > 710`` and ``1 - tanh^2`` rounds to 0 from ``|x| ~ 19``.

    >>> float(tanh_prime(0.0))
    1.0
    """
    arr = as_real_array(x, "tanh_prime")
    return finish(_sech2(_working(arr)), arr)


def relu(x):
    r"""Rectified linear unit.

    .. math:: \mathrm{ReLU}(x) = \max(x, 0)

    ``np.maximum`` (element-wise), not ``np.max`` (a reduction). NaN
    propagates.

    >>> relu([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 3.0]
    """
    arr = as_real_array(x, "relu")
    return finish(np.maximum(arr, 0), arr)


def relu_prime(x):
    r"""Derivative of :func:`relu`, with the convention ``ReLU'(0) = 0``.

    .. math::
        \mathrm{ReLU}'(x) = \begin{cases} 0 & x \le 0 \\ 1 & x > 0 \end{cases}

    ReLU is not differentiable at 0; like PyTorch and JAX we take the
    subgradient 0 there. NaN gives NaN; the dtype is kept. Vectorised as the
    comparison ``x > 0`` cast to the input's dtype (``np.heaviside`` gives the
    same values but is about 8x slower).

    >>> relu_prime([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    arr = as_real_array(x, "relu_prime")
    return finish(keep_nan(np.greater(arr, 0), arr), arr)


def softplus(x):
    r"""SoftPlus, a smooth ReLU.

    .. math:: \mathrm{softplus}(x) = \log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})

    The right-hand form never overflows: ``exp`` only sees ``-|x| <= 0``, and
    ``log1p`` keeps the tail ``softplus(x) ~ e^x`` for very negative ``x``.

    >>> float(softplus(1000.0))
    1000.0
    """
    arr = as_real_array(x, "softplus")
    return finish(_softplus(_working(arr)), arr)


def softplus_prime(x):
    r"""Derivative of :func:`softplus`: the standard sigmoid.

    .. math:: \mathrm{softplus}'(x) = \frac{e^{x}}{1 + e^{x}} = \sigma(x)

    >>> float(softplus_prime(0.0))
    0.5
    """
    arr = as_real_array(x, "softplus_prime")
    return finish(_logistic(_working(arr)), arr)


def _softmax_weights(x: np.ndarray, axis: int):
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


def _normalise_axis(axis, ndim: int, func: str) -> int:
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{func}() expects axis to be an int; got {type(axis).__name__} {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{func}() got axis={axis} for an input with {ndim} dimension(s)")
    return int(axis) % ndim


def softmax(x, axis=-1):
    r"""Softmax along ``axis``: positive entries that sum to 1.

    .. math:: \mathrm{softmax}(\mathbf{x})_i = \frac{e^{x_i}}{\sum_k e^{x_k}}
              = \frac{e^{x_i - m}}{\sum_k e^{x_k - m}}, \quad m = \max_k x_k

    Shifting by the maximum changes nothing mathematically and keeps every
    exponent <= 0, so nothing overflows. A scalar is a vector of length one
    (softmax = 1). Limits: a single ``+inf`` entry gives a one-hot vector;
    several ``+inf`` entries, or all entries ``-inf``, have no limit (NaN).

    >>> softmax([1.0, 1.0]).tolist()
    [0.5, 0.5]
    """
    arr = as_real_array(x, "softmax")
    w = _working(arr)
    if w.ndim == 0:
        return finish(np.where(np.isnan(w), w, 1), arr)
    ax = _normalise_axis(axis, w.ndim, "softmax")
    if w.shape[ax] == 1:  # constant 1, also at +-inf
        return finish(np.where(np.isnan(w), w, np.ones_like(w)), arr)
    e, valid, _ = _softmax_weights(w, ax)
    total = np.sum(e, axis=ax, keepdims=True)
    out = np.where(valid, e / np.where(valid, total, 1), np.nan)
    return finish(out, arr)


def _sum_of_others(e: np.ndarray) -> np.ndarray:
    """For each i, sum_{j != i} e_j along the last axis, without cancellation.

    ``total - e_i`` loses every digit when ``e_i`` dominates; the prefix and
    suffix sums only ever add positive numbers.
    """
    zero = np.zeros_like(e[..., :1])
    before = np.concatenate([zero, np.cumsum(e, axis=-1)[..., :-1]], axis=-1)
    after = np.concatenate([np.cumsum(e[..., ::-1], axis=-1)[..., ::-1][..., 1:], zero], axis=-1)
    return before + after


def softmax_prime(x):
    r"""Jacobian of :func:`softmax` over the last axis.

    .. math:: \frac{\partial s_i}{\partial x_j} = s_i(\delta_{ij} - s_j),
              \qquad J = \mathrm{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top

    For ``x`` of shape ``(..., n)`` the result has shape ``(..., n, n)``, one
    Jacobian per vector of the batch. The diagonal ``s_i (1 - s_i)`` is
    computed as ``s_i * sum_{j != i} s_j``, which stays accurate when ``s_i``
    is close to 1. A scalar (softmax = 1, constant) gives 0.

    >>> softmax_prime([0.0, 0.0]).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    arr = as_real_array(x, "softmax_prime")
    w = _working(arr)
    if w.ndim == 0:
        return finish(np.where(np.isnan(w), w, 0), arr)
    if w.shape[-1] == 1:  # softmax is the constant 1: its Jacobian is 0, also at -inf
        return finish(np.where(np.isnan(w), w, np.zeros_like(w))[..., None], arr)
    e, valid, _ = _softmax_weights(w, w.ndim - 1)
    total = np.sum(e, axis=-1, keepdims=True)
    safe_total = np.where(valid, total, 1)
    s = np.where(valid, e / safe_total, np.nan)
    others = np.where(valid, _sum_of_others(e) / safe_total, np.nan)
    jac = -s[..., :, None] * s[..., None, :]
    n = w.shape[-1]
    diag = np.arange(n)
    jac[..., diag, diag] = s * others
    return finish(jac, arr)


def one_hot_argmax(x, axis=-1):
    """The hard counterpart of :func:`softmax`: 1 at the largest entry, 0 elsewhere.

    It reads only its argument (a common mistake is a helper that reads a global DataFrame).
    Ties go to the first maximum, as in ``np.argmax``; a row containing NaN
    is all NaN.

    >>> one_hot_argmax([0.2, 3.0, 1.0]).tolist()
    [0.0, 1.0, 0.0]
    """
    arr = as_real_array(x, "one_hot_argmax")
    if arr.ndim == 0:
        return finish(np.where(np.isnan(arr), arr, 1), arr)
    ax = _normalise_axis(axis, arr.ndim, "one_hot_argmax")
    if arr.shape[ax] == 0:
        return finish(arr.copy(), arr)
    index = np.expand_dims(np.argmax(arr, axis=ax), ax)
    out = np.zeros_like(arr)
    np.put_along_axis(out, index, 1, axis=ax)
    has_nan = np.isnan(arr).any(axis=ax, keepdims=True)
    return finish(np.where(has_nan, np.nan, out), arr)
