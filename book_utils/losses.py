r"""The losses of the output layer, on logits, and their gradients with respect to the logits.

* :func:`binary_cross_entropy_with_logits`: a sigmoid output scored against a
  target in [0, 1] (two classes);
* :func:`cross_entropy`: a softmax output scored against a class index or a
  distribution over the classes (several classes), with label smoothing.

Names, arguments, defaults and the meaning of ``reduction`` and
``label_smoothing`` are PyTorch's (``torch.nn.functional``), except that the
class axis is ``axis`` (default ``-1``, as for :func:`~book_utils.softmax`)
where PyTorch uses dimension 1, and there are no ``weight``,
``pos_weight`` or ``ignore_index``. The ``*_grad`` functions take the same
arguments and return d(loss)/d(logits), the array autograd gives PyTorch for
the reduced loss (for ``reduction="none"``: for the sum of the losses, i.e.
each sample's own derivative).

The contract is the activations' (:mod:`book_utils._inputs`): scalars, lists
and arrays; the result has the logits' dtype (float16/32 kept, integers
become float64; float16 and float32 are computed in float64 and rounded
once); NaN propagates; the limits at +-inf are the true ones; no overflow and
no RuntimeWarning for any input; bad input is a ``TypeError`` or
``ValueError`` naming the function and the argument.
"""

from __future__ import annotations

import numpy as np

from ._inputs import _describe, as_parameter, as_real_array, finish
from ._kernels import log1pexp, logistic, normalise_axis
from .core import softmax
from .modern import log_softmax

__all__ = [
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_grad",
]

REDUCTIONS = ("mean", "sum", "none")


# --- checking the arguments -------------------------------------------------------


def _reduction(reduction, func: str) -> str:
    if not isinstance(reduction, str):
        raise TypeError(f"{func}() expects reduction to be 'mean', 'sum' or 'none'; got {_describe(reduction)}")
    if reduction not in REDUCTIONS:
        raise ValueError(f"{func}() expects reduction to be 'mean', 'sum' or 'none'; got {reduction!r}")
    return reduction


def _label_smoothing(value, func: str) -> float:
    eps = as_parameter(value, func, "label_smoothing")
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"{func}() expects label_smoothing in [0, 1]; got {eps!r}")
    return eps


def _refuse_masked(value, func: str, name: str) -> None:
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"{func}() does not take a masked array as {name}: a masked entry would still count in the loss; "
            f"select the samples to keep instead (e.g. logits[keep], target[keep]); got {_describe(value)}"
        )


def _real(value, func: str, name: str) -> np.ndarray:
    """``value`` through the activations' input rules, with ``name`` in the error message."""
    _refuse_masked(value, func, name)
    try:
        return as_real_array(value, func)
    except TypeError as exc:
        raise TypeError(_naming(str(exc), func, name)) from None
    except ValueError as exc:
        raise ValueError(_naming(str(exc), func, name)) from None


def _naming(message: str, func: str, name: str) -> str:
    expects = f"{func}() expects real numbers"
    if message.startswith(expects):
        return f"{func}() expects {name} to be real numbers" + message[len(expects) :]
    return f"{func}() ({name}) " + message.removeprefix(f"{func}() ")


def _wide(arr: np.ndarray) -> np.ndarray:
    # Every loss is computed in float64 and rounded once to the logits' dtype by finish().
    return arr if arr.dtype == np.float64 else arr.astype(np.float64)


def _reduce(per_sample: np.ndarray, reduction: str) -> np.ndarray:
    """The per-sample losses, or their sum, or their mean (NaN for no samples, as in PyTorch)."""
    if reduction == "none":
        return per_sample
    with np.errstate(over="ignore", invalid="ignore"):  # inf + -inf = NaN: the right answer, no warning
        total = np.sum(per_sample)
        if reduction == "sum":
            return total
        n = per_sample.size
        if n == 0:
            return np.float64(np.nan)
        mean = total / n
        if np.isinf(mean) and np.isfinite(per_sample).all():  # the sum overflowed, the mean need not
            mean = np.sum(per_sample / n)
        return mean


def _per_sample_grad(grad: np.ndarray, n_samples: int, reduction: str) -> np.ndarray:
    """d(reduced loss)/d(logits) from each sample's own derivative."""
    return grad / n_samples if reduction == "mean" and n_samples else grad


# --- binary cross-entropy on logits ---------------------------------------------------


def _bce_inputs(logits, target, reduction, func: str):
    reduction = _reduction(reduction, func)
    z = _real(logits, func, "logits")
    y = _real(target, func, "target")
    if y.shape != z.shape:
        raise ValueError(f"{func}() expects target of the logits' shape {z.shape}; got target of shape {y.shape}")
    return z, y, reduction


def binary_cross_entropy_with_logits(logits, target, reduction="mean"):
    r"""Binary cross-entropy of :math:`p = \sigma(z)` against a target :math:`y \in [0, 1]`,
    from the logit :math:`z`.

    .. math:: \ell(z, y) = -\bigl(y \log\sigma(z) + (1 - y)\log(1 - \sigma(z))\bigr)
              = \max(z, 0) - z y + \log\bigl(1 + e^{-|z|}\bigr)

    The right-hand form never takes the log of a rounded probability (which
    is 0 or 1 for large ``|z|``) and never overflows. ``max(z, 0) - z y`` is
    evaluated as ``(1 - y) z`` for ``z >= 0`` and ``y (-z)`` otherwise, so for
    ``y`` in [0, 1] nothing cancels. The limits at ``z = +-inf`` are the true
    ones: 0 where the target agrees (``y = 1`` at ``+inf``, ``y = 0`` at
    ``-inf``; PyTorch gives NaN there), ``+inf`` otherwise.

    Args:
        logits: real scalar, list or array ``z``.
        target: ``y``, the same shape (PyTorch does not broadcast either);
            like PyTorch, values outside [0, 1] are not refused.
        reduction: ``"mean"`` (over all elements), ``"sum"`` or ``"none"``
            (the element-wise losses, the logits' shape).

    >>> round(float(binary_cross_entropy_with_logits(0.0, 1.0)), 6)  # log 2
    0.693147
    >>> binary_cross_entropy_with_logits([1000.0, -1000.0], [1.0, 1.0], reduction="none").tolist()
    [0.0, 1000.0]
    """
    func = "binary_cross_entropy_with_logits"
    z, y, reduction = _bce_inputs(logits, target, reduction, func)
    w, t = _wide(z), _wide(y)
    with np.errstate(over="ignore", invalid="ignore"):  # z = max, y < 0: inf is the correct rounding
        linear = np.where(w >= 0, (1 - t) * w, t * -w)  # max(z, 0) - z y, without cancellation
        # At z = +inf (y = 1) and z = -inf (y = 0) the product is 0 * inf = NaN; the limit is 0.
        linear[((w == np.inf) & (t == 1)) | ((w == -np.inf) & (t == 0))] = 0.0
        loss = linear + log1pexp(-np.abs(w))  # log(1 + e^{-|z|}) in [0, log 2]
    return finish(_reduce(loss, reduction), z)


def binary_cross_entropy_with_logits_grad(logits, target, reduction="mean"):
    r"""Gradient of :func:`binary_cross_entropy_with_logits` with respect to the logits.

    .. math:: \frac{\partial \ell}{\partial z} = \sigma(z) - y

    divided by the number of elements for ``reduction="mean"``. Computed as
    ``(1 - y) - sigma(-z)`` for ``z >= 0`` and ``sigma(z) - y`` otherwise, with
    ``sigma(-|z|)`` from ``exp(-|z|)``, so the tiny gradient of a confident,
    correct prediction is not rounded to 0 (``sigma(40) - 1`` is in float64).
    At ``z = +inf`` it is ``1 - y``, at ``-inf`` it is ``-y``.

    >>> binary_cross_entropy_with_logits_grad([0.0, 0.0], [1.0, 0.0], reduction="sum").tolist()
    [-0.5, 0.5]
    >>> float(binary_cross_entropy_with_logits_grad(40.0, 1.0)) < 0
    True
    """
    func = "binary_cross_entropy_with_logits_grad"
    z, y, reduction = _bce_inputs(logits, target, reduction, func)
    w, t = _wide(z), _wide(y)
    p = logistic(-np.abs(w))  # sigma(-|z|) <= 1/2, accurate in the tails
    with np.errstate(invalid="ignore"):  # y = +-inf
        grad = np.where(w >= 0, (1 - t) - p, p - t)
    return finish(_per_sample_grad(grad, z.size, reduction), z)


# --- cross-entropy on logits ------------------------------------------------------------


class _CrossEntropyInputs:
    """The checked arguments of cross_entropy, with the class axis last, as
    ``(n_samples, n_classes)`` arrays in float64."""

    def __init__(self, logits, target, axis, reduction, label_smoothing, func: str):
        self.reduction = _reduction(reduction, func)
        self.eps = _label_smoothing(label_smoothing, func)
        z = _real(logits, func, "logits")
        if z.ndim == 0:
            raise ValueError(
                f"{func}() expects logits with a class axis (at least 1 dimension); got the scalar {_describe(logits)}"
            )
        ax = normalise_axis(axis, z.ndim, func)
        n_classes = z.shape[ax]
        if n_classes == 0:
            raise ValueError(f"{func}() expects at least one class along axis {axis}; logits have shape {z.shape}")
        self.z, self.ax, self.n_classes = z, ax, n_classes
        moved = np.moveaxis(z, ax, -1)
        self.sample_shape = moved.shape[:-1]
        self.logits = _wide(moved).reshape(-1, n_classes)
        self.n_samples = len(self.logits)
        self.index, self.probabilities = self._target(target, axis, func)

    def _target(self, target, axis, func):
        _refuse_masked(target, func, "target")
        if isinstance(target, (str, bytes)) or target is None:
            raise TypeError(
                f"{func}() expects target to be class indices or class probabilities; got {_describe(target)}"
            )
        try:
            try:
                raw = np.asarray(target)
            except OverflowError:  # a NumPy that refuses 2**64 in a list
                raw = np.array(target, dtype=object)
        except (ValueError, TypeError) as exc:
            raise TypeError(f"{func}() expects target in a rectangular array; got {_describe(target)}") from exc
        if raw.shape == self.z.shape:
            y = _real(target, func, "target")
            return None, _wide(np.moveaxis(y, self.ax, -1)).reshape(-1, self.n_classes)
        if raw.shape == self.sample_shape:
            return _class_indices(raw, target, self.n_classes, axis, func).reshape(-1), None
        raise ValueError(
            f"{func}() expects target of shape {self.sample_shape} (class indices) or {self.z.shape} "
            f"(class probabilities) for logits of shape {self.z.shape} with the classes along axis {axis}; "
            f"got target of shape {raw.shape}"
        )


def _class_indices(raw: np.ndarray, target, n_classes: int, axis, func: str) -> np.ndarray:
    kind = raw.dtype.kind
    if kind == "b" or kind not in "iufO":
        raise TypeError(f"{func}() expects class indices as integers; got {_describe(target)} with dtype {raw.dtype}")
    values = raw if kind in "iu" else _real(raw, func, "target")
    if kind not in "iu":
        finite = np.isfinite(values)
        integral = np.zeros(values.shape, dtype=bool)
        integral[finite] = values[finite] == np.floor(values[finite])
        if not integral.all():
            bad = float(values[~integral].flat[0])
            raise ValueError(
                f"{func}() expects integral class indices; got {bad!r} in target (for class probabilities, "
                f"target has the logits' shape)"
            )
    out_of_range = (values < 0) | (values >= n_classes)
    if out_of_range.any():
        bad = values[out_of_range].flat[0]
        bad = int(bad) if kind in "iu" else float(bad)
        raise ValueError(
            f"{func}() expects class indices in [0, {n_classes}) (the length of axis {axis}); got {bad!r} in target"
        )
    return values.astype(np.intp)


def _output_shape(per_sample: np.ndarray, inputs: _CrossEntropyInputs) -> np.ndarray:
    return per_sample.reshape(inputs.sample_shape)


def cross_entropy(logits, target, axis=-1, reduction="mean", label_smoothing=0.0):
    r"""Cross-entropy of :math:`\mathbf{s} = \mathrm{softmax}(\mathbf{z})` against a
    target distribution :math:`\mathbf{q}`, from the logits :math:`\mathbf{z}`.

    .. math:: \ell(\mathbf{z}, \mathbf{q}) = -\sum_c q_c \log s_c
              = -\sum_c q_c \Bigl(z_c - \log\sum_k e^{z_k}\Bigr)

    ``log s`` is :func:`~book_utils.log_softmax` (log-sum-exp with the maximum
    taken out), never the log of a rounded probability. The target is either

    * class indices, the logits' shape without ``axis`` (one class per
      sample: :math:`\mathbf{q}` is one-hot and the loss is :math:`-\log s_y`), or
    * class probabilities, the logits' shape.

    With ``label_smoothing`` ε the target becomes
    :math:`(1 - ε)\,\mathbf{q} + ε/C` for ``C`` classes, for both kinds (as in
    PyTorch). ``reduction="mean"`` divides the sum by the number of samples
    (the size of the logits divided by ``C``), ``"none"`` returns one loss per
    sample. A class whose target weight is 0 adds nothing, even where its
    logit is ``-inf`` (PyTorch gives NaN for such probability targets).

    >>> round(float(cross_entropy([2.0, 1.0, 0.1], 0)), 4)  # -log softmax(z)_0
    0.417
    >>> cross_entropy([[1000.0, 0.0], [0.0, 1000.0]], [0, 0], reduction="none").tolist()
    [0.0, 1000.0]
    """
    func = "cross_entropy"
    inputs = _CrossEntropyInputs(logits, target, axis, reduction, label_smoothing, func)
    log_s, factor = _scaled_log_softmax(inputs.logits)
    eps = inputs.eps
    with np.errstate(invalid="ignore", over="ignore"):
        if inputs.index is not None:
            rows = np.arange(inputs.n_samples)
            fitted = 0.0 - log_s[rows, inputs.index]  # -log s_y (0.0 - : a loss of 0 is +0.0)
        else:
            y = inputs.probabilities
            fitted = 0.0 - np.sum(np.where(y == 0, 0.0, y * log_s), axis=-1)  # 0 log 0 = 0, also at log s = -inf
        if eps == 0:
            loss = fitted
        else:
            uniform = _minus_mean_of_rows(log_s)  # -mean_c log s_c
            loss = eps * uniform if eps == 1 else (1 - eps) * fitted + eps * uniform
        loss *= factor  # beyond the float range: inf, its correct rounding
    per_sample = _output_shape(loss, inputs)
    return finish(_reduce(per_sample, inputs.reduction), inputs.z)


def _scaled_log_softmax(w: np.ndarray):
    """``log softmax`` of each row of ``w``, divided by ``factor`` (per row).

    factor is 1, except in a row where some ``z_c - max z`` is below ``-max``:
    there ``log s_c`` rounds to ``-inf``, although a loss that weights it by
    less than 1 can be finite. Such a row is returned in quarters: ``z / 4``
    is exact (a power of two), so ``(z - m) / 4`` rounds as ``z - m`` would,
    and cannot overflow; the loss is multiplied back by 4 at the end.
    """
    log_s = log_softmax(w, axis=-1)
    factor = np.ones(len(w))
    with np.errstate(over="ignore"):
        finite_max = np.isfinite(np.max(w, axis=1, initial=-np.inf))
    overflowed = (np.isneginf(log_s) & np.isfinite(w)).any(axis=1) & finite_max
    if overflowed.any():
        rows = w[overflowed]
        top = np.argmax(rows, axis=1)
        k = np.arange(len(rows))
        log_total = -log_s[overflowed][k, top]  # log s at the maximum is -log(sum of e^(z - m))
        log_s[overflowed] = (rows / 4 - rows[k, top][:, None] / 4) - log_total[:, None] / 4
        factor[overflowed] = 4.0
    return log_s, factor


def _minus_mean_of_rows(a: np.ndarray) -> np.ndarray:
    """-mean along the last axis; where the sum overflows but the mean need not, the mean of a / n."""
    n = a.shape[-1]
    out = (0.0 - np.sum(a, axis=-1)) / n
    redo = np.isinf(out) & np.isfinite(a).all(axis=-1)
    if redo.any():
        out[redo] = 0.0 - np.sum(a[redo] / n, axis=-1)
    return out


def _softmax_rows(w: np.ndarray):
    """Softmax of each row of ``w``, the argmax ``top`` of each row, and
    ``rest = 1 - s_top`` computed without cancellation (the sum of the other
    exponentials over the total), for rows with a finite maximum; rows with
    NaN, a ``+inf`` or only ``-inf`` take :func:`~book_utils.softmax`'s limits."""
    n, c = w.shape
    rows = np.arange(n)
    top = np.argmax(w, axis=1)
    m = w[rows, top]
    ok = np.isfinite(m)  # np.argmax stops at a NaN, so a NaN row has m = NaN
    s = np.empty_like(w)
    rest = np.empty(n)
    others = np.full(n, np.inf)  # sum of exp(w - m) without the maximum; inf: no accurate 1 - s_top
    if ok.any():
        with np.errstate(over="ignore"):  # -1e308 - 1e308 = -inf: its exp is the right 0
            e = np.exp(w[ok] - m[ok, None])
        k = np.arange(len(e))
        e[k, top[ok]] = 0.0
        others[ok] = np.sum(e, axis=1)
        e[k, top[ok]] = 1.0
        total = 1.0 + others[ok]
        s[ok] = e / total[:, None]
        rest[ok] = others[ok] / total
    if not ok.all():
        s[~ok] = softmax(w[~ok], axis=-1)
        rest[~ok] = 1.0 - s[~ok, top[~ok]]
    return s, top, rest, others


def cross_entropy_grad(logits, target, axis=-1, reduction="mean", label_smoothing=0.0):
    r"""Gradient of :func:`cross_entropy` with respect to the logits.

    .. math:: \frac{\partial \ell}{\partial z_j} = s_j - q_j

    for a target distribution :math:`\mathbf{q}` (after label smoothing),
    divided by the number of samples for ``reduction="mean"``; the logits'
    shape. For probability targets that do not sum to 1 it is
    :math:`s_j \sum_c q_c - q_j`, as autograd gives PyTorch. Where one class
    has :math:`s_j > 1/2`, :math:`s_j - q_j` is computed as
    :math:`(1 - q_j) - (1 - s_j)` with :math:`1 - s_j` from the other
    exponentials, so a confident, correct prediction keeps its tiny gradient
    instead of rounding it to 0.

    >>> cross_entropy_grad([0.0, 0.0], 0).tolist()
    [-0.5, 0.5]
    >>> g = cross_entropy_grad([40.0, 0.0], 0)
    >>> bool(g[0] < 0 < g[1])
    True
    """
    func = "cross_entropy_grad"
    inputs = _CrossEntropyInputs(logits, target, axis, reduction, label_smoothing, func)
    eps, n_classes, n = inputs.eps, inputs.n_classes, inputs.n_samples
    s, top, rest, others = _softmax_rows(inputs.logits)
    rows = np.arange(n)
    spread = eps * (n_classes - 1) / n_classes  # the weight smoothing moves off one class
    with np.errstate(invalid="ignore", over="ignore"):
        if inputs.index is not None:
            q = np.full_like(s, eps / n_classes)
            q[rows, inputs.index] += 1 - eps
            total_q = np.ones(n)
            # sum of q over the classes other than top: (1 - eps) [y != top] + eps (C - 1) / C
            q_off_top = (1 - eps) * (inputs.index != top) + spread
        else:
            y = inputs.probabilities
            q = (1 - eps) * y + eps / n_classes
            y_off = y.copy()
            y_off[rows, top] = 0.0
            y_off_top = np.sum(y_off, axis=1)
            total_q = (1 - eps) * (y_off_top + y[rows, top]) + eps
            q_off_top = (1 - eps) * y_off_top + spread
        grad = s * total_q[:, None] - q
        # s_top > 1/2: s_top Q - q_top = (Q - q_top) - (1 - s_top) Q, both parts accurate.
        confident = others < 1
        grad[rows[confident], top[confident]] = q_off_top[confident] - rest[confident] * total_q[confident]
    grad = grad.reshape(*inputs.sample_shape, n_classes)
    grad = np.moveaxis(grad, -1, inputs.ax)
    return finish(_per_sample_grad(grad, n, inputs.reduction), inputs.z)
