"""The five classic activations (sigmoid, tanh, ReLU, SoftPlus, Softmax) and their derivatives.

Every function follows the package's contract: scalar in, scalar out; the
shape is kept; float32 stays float32 and integers become float64; NaN
propagates; +-inf give the true limits; no overflow and no RuntimeWarning for
any input. The formulas are the numerically stable ones; the naive textbook
forms are shown (and taken apart) in the chapters, not used here.
"""

from __future__ import annotations

import numpy as np

from ._inputs import as_parameter, as_real_array, finish
from ._kernels import (
    blockwise,
    clip,
    log1pexp,
    logistic,
    logistic_prime,
    normalise_axis,
    scaled,
    sech2,
    shifted_by_max,
    softmax_weights,
    working,
)

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


def sigmoid(x, a=1.0):
    r"""Logistic sigmoid with gain ``a``.

    .. math:: \sigma(x; a) = \frac{1}{1 + e^{-ax}}

    ``a = 1`` is the standard sigmoid. Computed as ``1 / (1 + exp(-ax))``
    (``ax`` rounded once to the input's dtype), in the input's dtype: within
    2.5 ULP in float64 and 3.7 ULP in float32. An array in which
    ``exp(-ax)`` overflows (``ax < -709``, ``-88`` in float32) is computed as
    ``1 / (1 + t)`` for ``ax >= 0`` and ``t / (1 + t)`` otherwise, with
    ``t = exp(-|ax|)``.

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
    return finish(logistic(working(arr), a), arr)


def sigmoid_prime(x, a=1.0):
    r"""Derivative of :func:`sigmoid` with respect to ``x``.

    .. math:: \frac{d}{dx}\sigma(x; a) = a\,\sigma(x; a)\,\bigl(1 - \sigma(x; a)\bigr)

    Its maximum is ``a/4`` at ``x = 0``. Since
    ``sigma (1 - sigma) = 1 / (4 cosh^2(z/2)) = 1 / (2 (1 + cosh z))``, it is
    computed as ``(a/2) / (1 + cosh(ax))`` (``ax`` rounded once to the
    input's dtype), accurate for large ``|x|`` where ``sigma(1 - sigma)``
    would round to 0: within 2.5 ULP in float64 and 3.93 ULP in float32 (the
    float32 ``cosh`` is off by up to 2.5 ULP). Where ``cosh`` overflows
    (``|ax| > 710``, ``89`` in float32), ``a t / (1 + t (2 + t))`` with
    ``t = exp(-|ax|)``. float32 with ``a != 1`` is computed in float64, block
    by block, and rounded once (``a`` itself may not be a float32).

    >>> float(sigmoid_prime(0.0, a=2.0))
    0.5
    """
    a = as_parameter(a, "sigmoid_prime", "a")
    arr = as_real_array(x, "sigmoid_prime")
    w = working(arr)
    z = scaled(w, a)  # a*x rounded once to the input's dtype, as in sigmoid
    if a == 1.0 or w.dtype == np.float64:
        return finish(logistic_prime(z, a), arr)
    # float32 with a gain: a sigma'(z) in float64, block by block, rounded once
    # (a itself may not fit in float32, and a rounded a would add its error).
    slope = blockwise(lambda b: logistic_prime(b.astype(np.float64), a), z, w.dtype)
    return finish(slope, arr)


def tanh(x):
    r"""Hyperbolic tangent.

    .. math:: \tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    NumPy's ``tanh`` is already accurate and saturates without overflow; this
    wrapper adds the input contract shared by all activations.

    >>> float(tanh(0.0))
    0.0
    """
    arr = as_real_array(x, "tanh")
    return finish(np.tanh(working(arr)), arr)


def tanh_prime(x):
    r"""Derivative of :func:`tanh`.

    .. math:: (\tanh x)' = \frac{1}{\cosh^2 x} = 1 - \tanh^2 x

    Computed as ``2 / (1 + cosh 2x)`` in the input's dtype: within 2.5 ULP in
    float64 and 3.93 ULP in float32 (``1 - tanh^2`` rounds to 0 from
    ``|x| ~ 19``; ``1/cosh^2`` doubles the error of ``cosh``). Where
    ``cosh 2x`` overflows (``|x| > 355``, ``44.7`` in float32),
    ``4 e / (1 + e (2 + e))`` with ``e = exp(-2|x|)``.

    >>> float(tanh_prime(0.0))
    1.0
    """
    arr = as_real_array(x, "tanh_prime")
    return finish(sech2(working(arr)), arr)


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
    subgradient 0 there (``-0.0`` keeps its sign). NaN gives NaN; the dtype
    is kept. Vectorised as ``ceil(clip(x, 0, 1))``: two branch-free passes
    that carry NaN through (``np.heaviside`` gives the same values but is
    about 8x slower; the comparison ``x > 0`` needs a third pass to put NaN back).

    >>> relu_prime([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    arr = as_real_array(x, "relu_prime")
    out = clip(arr, 0, 1)
    return finish(np.ceil(out, out=out if out.size > 64 else None), arr)


def softplus(x):
    r"""SoftPlus, a smooth ReLU.

    .. math:: \mathrm{softplus}(x) = \log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})

    Computed as ``log1p(exp(x))``: ``log1p`` keeps the tail
    ``softplus(x) ~ e^x`` for very negative ``x``, and the error of ``exp``
    is never magnified (within 1.6 ULP in float64, 3.3 ULP in float32). An
    array in which ``exp(x)`` overflows (``x > 709``, ``88`` in float32) is
    computed by the right-hand form, where ``exp`` only sees ``-|x| <= 0``.

    >>> float(softplus(1000.0))
    1000.0
    """
    arr = as_real_array(x, "softplus")
    return finish(log1pexp(working(arr)), arr)


def softplus_prime(x):
    r"""Derivative of :func:`softplus`: the standard sigmoid.

    .. math:: \mathrm{softplus}'(x) = \frac{e^{x}}{1 + e^{x}} = \sigma(x)

    The same computation as :func:`sigmoid` with ``a = 1``.

    >>> float(softplus_prime(0.0))
    0.5
    """
    arr = as_real_array(x, "softplus_prime")
    return finish(logistic(working(arr)), arr)


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
    w = working(arr)
    if w.ndim == 0:
        return finish(np.where(np.isnan(w), w, 1), arr)
    ax = normalise_axis(axis, w.ndim, "softmax")
    if w.shape[ax] == 1:  # constant 1, also at +-inf
        return finish(np.where(np.isnan(w), w, np.ones_like(w)), arr)
    e = shifted_by_max(w, ax)
    if e is not None:  # every maximum finite: the usual case, no bookkeeping of +-inf
        np.exp(e, out=e)
        e /= np.sum(e, axis=ax, keepdims=True)  # the sum is >= 1
        return finish(e, arr)
    e, valid, _ = softmax_weights(w, ax)
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
    w = working(arr)
    if w.ndim == 0:
        return finish(np.where(np.isnan(w), w, 0), arr)
    if w.shape[-1] == 1:  # softmax is the constant 1: its Jacobian is 0, also at -inf
        return finish(np.where(np.isnan(w), w, np.zeros_like(w))[..., None], arr)
    e = shifted_by_max(w, w.ndim - 1)
    if e is not None:  # every maximum finite: no bookkeeping of +-inf
        np.exp(e, out=e)
        total = np.sum(e, axis=-1, keepdims=True)
        s, others = e / total, _sum_of_others(e) / total
    else:
        e, valid, _ = softmax_weights(w, w.ndim - 1)
        total = np.sum(e, axis=-1, keepdims=True)
        safe_total = np.where(valid, total, 1)
        s = np.where(valid, e / safe_total, np.nan)
        others = np.where(valid, _sum_of_others(e) / safe_total, np.nan)
    jac = np.multiply(np.negative(s)[..., :, None], s[..., None, :])
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
    ax = normalise_axis(axis, arr.ndim, "one_hot_argmax")
    if arr.shape[ax] == 0:
        return finish(arr.copy(), arr)
    index = np.expand_dims(np.argmax(arr, axis=ax), ax)
    out = np.zeros(arr.shape, arr.dtype)  # fresh zeroed pages from the allocator: no pass to write the zeros
    np.put_along_axis(out, index, 1, axis=ax)
    # np.argmax stops at the first NaN, so a row has a NaN exactly where the
    # picked entry is NaN: no second pass over the whole array.
    nan_rows = np.isnan(np.take_along_axis(arr, index, axis=ax))
    if nan_rows.any():
        out[np.broadcast_to(nan_rows, out.shape)] = np.nan
    return finish(out, arr)
