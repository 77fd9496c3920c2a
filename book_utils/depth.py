"""Gradients through a deep network: the vanishing-gradient experiment.

A plain fully connected network h_l = f(W_l h_{l-1}) (no biases) with random
weights, in NumPy. A random loss gradient is fed into the last layer and
propagated back by hand; the Frobenius norm of dL/dW_l for every layer shows
whether the gradient survives the trip to the first layers. Seeded, so the
numbers are the same on every run.

The run carries every layer's activations and back-propagated gradient as an
array times a power of two, ``a * 2**e``: when the largest entry of an array
leaves ``[2**-200, 2**200]`` it is divided by a power of two (exact in
floating point) and ``e`` is kept aside. So the experiment works at any depth
(with unscaled N(0, 1) weights the activations of ReLU grow about 8-fold per
layer and leave the float64 range after some 340 layers), and where nothing
needed rescaling the numbers are exactly those of the plain computation
(:func:`forward`, :func:`backward`). Norms beyond the float64 range come from
:func:`log10_gradient_norms`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import numpy as np

INITIALISATIONS = {
    # name: standard deviation of W's entries for fan-in n
    "std1": lambda n: 1.0,  # a fixed N(0, 1), no scaling with the width
    "xavier": lambda n: np.sqrt(1.0 / n),  # Glorot and Bengio (2010), square layers
    "he": lambda n: np.sqrt(2.0 / n),  # He et al. (2015)
}

# Rescale an array when its largest entry leaves [2**-_BAND, 2**_BAND].
_BAND = 200
# Where |z| > 2**_FAR (or 0 < |z| < 2**-_FAR) the pre-activation is not
# formed; f and f' come from their asymptotes there (see _activate).
_FAR = 900
_LOG10_2 = float(np.log10(2.0))


def forward(f: Callable, weights: list[np.ndarray], x: np.ndarray):
    """Pre-activations z_l and activations h_l of every layer (h_0 = x)."""
    hs, zs = [x], []
    for w in weights:
        zs.append(hs[-1] @ w.T)
        hs.append(f(zs[-1]))
    return zs, hs


def backward(fprime: Callable, weights: list[np.ndarray], zs, hs, grad_out: np.ndarray) -> list[np.ndarray]:
    """dL/dW_l for every layer, given dL/dh_L = ``grad_out`` (chain rule by hand)."""
    grads = [None] * len(weights)
    delta = grad_out
    for layer in reversed(range(len(weights))):
        delta = delta * fprime(zs[layer])  # through the activation: dL/dz_l
        grads[layer] = delta.T @ hs[layer]  # dL/dW_l
        delta = delta @ weights[layer]  # dL/dh_{l-1}
    return grads


def _positive_int(value, name: str, caller: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{caller}() expects {name} to be a positive integer; got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{caller}() expects {name} to be a positive integer; got {name}={value!r}")
    return operator.index(value)


def _draw(depth: int, width: int, batch: int, init: str, seed: int, caller: str):
    """One seeded draw of the weights, the inputs x ~ N(0, I) and the output gradient."""
    depth = _positive_int(depth, "depth", caller)
    width = _positive_int(width, "width", caller)
    batch = _positive_int(batch, "batch", caller)
    if not isinstance(init, str) or init not in INITIALISATIONS:
        raise ValueError(f"{caller}() expects init in {sorted(INITIALISATIONS)}; got {init!r}")
    rng = np.random.default_rng(seed)
    std = INITIALISATIONS[init](width)
    weights = [rng.normal(0.0, std, size=(width, width)) for _ in range(depth)]
    x = rng.normal(size=(batch, width))
    grad_out = rng.normal(size=(batch, width)) / np.sqrt(batch * width)
    return weights, x, grad_out


def _rescale(a: np.ndarray, e: int) -> tuple[np.ndarray, int]:
    """The value ``a * 2**e`` as ``(a', e')``: unchanged while the largest
    entry of ``a`` lies in [2**-_BAND, 2**_BAND] (or ``a`` is 0), otherwise
    divided by the power of two that brings it into [1/2, 1)."""
    m = float(np.max(np.abs(a))) if a.size else 0.0
    if m == 0.0 or 2.0**-_BAND <= m <= 2.0**_BAND:
        return a, e
    k = int(np.frexp(m)[1])
    with np.errstate(under="ignore"):  # entries 2**-1074 below the largest are negligible
        return np.ldexp(a, -k), e + k


def _activate(f: Callable, fprime: Callable, zhat: np.ndarray, e: int, caller: str, layer: int):
    """h = f(z) and f'(z) for z = ``zhat * 2**e``, h as ``(hhat, e_h)``.

    z is formed and f, f' evaluated on it wherever 2**-_FAR <= |z| <= 2**_FAR
    or z = 0, which is every entry whenever the plain computation does not
    overflow. Beyond, the asymptotes are exact to float precision for every
    activation of the book: for |z| > 2**_FAR, f(z) = f(A) + f'(A)(z - A)
    with A = ±2**_FAR (linear or constant tails), f'(z) = f'(A); for
    0 < |z| < 2**-_FAR, f(z) = f(0) if f(0) != 0, else f'(a) z with
    a = ±2**-_FAR, and f'(z) = f'(a).
    """
    nonzero = zhat != 0
    total = np.where(nonzero, np.frexp(zhat)[1] + e, 0)  # |z| < 2**total
    big = total > _FAR
    small = nonzero & (total < -_FAR)
    if e == 0 and not big.any() and not small.any():
        z = zhat
    else:
        with np.errstate(over="ignore", under="ignore"):
            z = np.where(big | small, 0.0, np.ldexp(zhat, e))
    with np.errstate(all="ignore"):  # a value that is not finite is an error below
        h, fp = np.asarray(f(z), dtype=float), np.asarray(fprime(z), dtype=float)
    if h.shape != z.shape or fp.shape != z.shape:
        raise ValueError(f"{caller}(): f and fprime must keep the shape {z.shape}; got {h.shape} and {fp.shape}")
    if big.any() or small.any():
        positive = zhat > 0
        side = lambda values: np.where(positive, values[0], values[1])
        ends = np.array([2.0**_FAR, -(2.0**_FAR)])
        near = np.array([2.0**-_FAR, -(2.0**-_FAR)])
        # Not finite (f growing faster than linearly) is an error below, not a warning here.
        with np.errstate(all="ignore"):
            f_end, fp_end = f(ends), fprime(ends)
            f0, fp_near = float(f(np.zeros(1))[0]), fprime(near)
            offset = f_end - fp_end * ends  # f(z) = offset + f'(A) z on the tails
            c = np.where(big, side(offset), h)  # value = c + s * zhat * 2**e
            s = np.where(big, side(fp_end), 0.0)
            fp = np.where(big, side(fp_end), fp)
            if f0 != 0.0:
                c = np.where(small, f0, c)
            else:
                c = np.where(small, 0.0, c)
                s = np.where(small, side(fp_near), s)
            fp = np.where(small, side(fp_near), fp)
            linear = s * zhat
            exponents = [np.frexp(c[c != 0])[1], np.frexp(linear[linear != 0])[1] + e]
            exponents = [x for x in exponents if x.size]
            top = int(max(x.max() for x in exponents)) if exponents else 0
            hhat, e_h = np.ldexp(c, -top) + np.ldexp(linear, e - top), top
    else:
        hhat, e_h = _rescale(h, 0)
    if not (np.all(np.isfinite(hhat)) and np.all(np.isfinite(fp))):
        raise ValueError(
            f"{caller}(): f or fprime is not finite at layer {layer + 1} (|z| up to about 2**{int(total.max())}); "
            "the rescaled run needs f to grow at most linearly"
        )
    return hhat, e_h, fp


def _run(f: Callable, fprime: Callable, depth, width, batch, init, seed, caller: str, backprop: bool = True):
    """The rescaled run: f'(z_l) of every layer and, if ``backprop``, the
    norms ||dL/dW_l||_F as mantissas and powers of two."""
    if not callable(f) or not callable(fprime):
        raise TypeError(f"{caller}() expects functions f and fprime; got {f!r} and {fprime!r}")
    weights, x, grad_out = _draw(depth, width, batch, init, seed, caller)
    inputs, slopes = [], []  # (hhat, e) entering each layer; f'(z_l)
    h, e = _rescale(x, 0)
    for layer, w in enumerate(weights):
        inputs.append((h, e))
        h, e, fp = _activate(f, fprime, h @ w.T, e, caller, layer)
        slopes.append(fp)
    if not backprop:
        return slopes, None, None
    mantissas, exponents = np.zeros(len(weights)), np.zeros(len(weights), dtype=int)
    delta, d = _rescale(grad_out, 0)
    for layer in reversed(range(len(weights))):
        delta = delta * slopes[layer]  # dL/dz_l
        h, e = inputs[layer]
        g, ge = _rescale(delta.T @ h, d + e)  # dL/dW_l
        mantissas[layer], exponents[layer] = np.linalg.norm(g), ge
        delta, d = _rescale(delta @ weights[layer], d)  # dL/dh_{l-1}
    return slopes, mantissas, exponents


def gradient_norms(
    f: Callable,
    fprime: Callable,
    *,
    depth: int = 30,
    width: int = 128,
    batch: int = 64,
    init: str = "xavier",
    seed: int = 0,
) -> np.ndarray:
    """||dL/dW_l||_F for l = 1..depth, averaged over nothing: one seeded draw
    of weights, inputs x ~ N(0, I) and the output gradient ~ N(0, I).

    Wherever the plain computation (:func:`forward`, :func:`backward`) stays
    in the float64 range, these are its numbers exactly. A norm beyond that
    range (above 1.8e308 or below 2.2e-308, e.g. ReLU with ``init="std1"`` at
    depth 200) is a ValueError: :func:`log10_gradient_norms` gives such norms.
    """
    _, mantissas, exponents = _run(f, fprime, depth, width, batch, init, seed, "gradient_norms")
    binary = np.where(mantissas > 0, np.frexp(mantissas)[1], 0) + exponents
    outside = (mantissas > 0) & ((binary > 1024) | (binary < -1021))
    if outside.any():
        logs = _log10(mantissas, exponents)
        raise ValueError(
            f"gradient_norms(): with depth={depth}, init={init!r} the norms reach 10^{logs.max():.1f} "
            f"(smallest 10^{logs.min():.1f}), outside the float64 range; "
            "use log10_gradient_norms() with the same arguments"
        )
    return np.ldexp(mantissas, exponents)


def log10_gradient_norms(
    f: Callable,
    fprime: Callable,
    *,
    depth: int = 30,
    width: int = 128,
    batch: int = 64,
    init: str = "xavier",
    seed: int = 0,
) -> np.ndarray:
    """log10 ||dL/dW_l||_F for l = 1..depth: the same run as
    :func:`gradient_norms`, at any depth (-inf for a norm that is exactly 0,
    e.g. every unit of a ReLU layer dead).

    >>> import book_utils as bu
    >>> logs = log10_gradient_norms(bu.relu, bu.relu_prime, depth=500, init="std1")
    >>> bool(logs.min() > 308)  # beyond float64: gradient_norms() refuses these
    True
    >>> round(per_layer_factor(logs, log10=True), 2)
    1.0
    """
    _, mantissas, exponents = _run(f, fprime, depth, width, batch, init, seed, "log10_gradient_norms")
    return _log10(mantissas, exponents)


def _log10(mantissas: np.ndarray, exponents: np.ndarray) -> np.ndarray:
    positive = mantissas > 0
    return np.where(positive, np.log10(np.where(positive, mantissas, 1.0)) + exponents * _LOG10_2, -np.inf)


def local_derivatives(
    f: Callable,
    fprime: Callable,
    *,
    depth: int = 30,
    width: int = 128,
    batch: int = 64,
    init: str = "xavier",
    seed: int = 0,
) -> np.ndarray:
    """f'(z_l) of every unit in every layer, shape (depth, batch, width), for
    the same draw as :func:`gradient_norms` with the same arguments: how far
    into the flat tails (saturation) the units sit."""
    slopes, _, _ = _run(f, fprime, depth, width, batch, init, seed, "local_derivatives", backprop=False)
    return np.stack(slopes)


def per_layer_factor(norms: np.ndarray, *, log10: bool = False) -> float:
    """The geometric mean of the factor by which the gradient norm changes
    per layer on its way from the last layer to the first:
    (||dL/dW_1|| / ||dL/dW_L||) ** (1 / (L - 1)).

    ``log10=True``: ``norms`` are log10 norms, as :func:`log10_gradient_norms` gives.
    """
    norms = np.asarray(norms, dtype=float)
    if norms.ndim != 1 or len(norms) < 2:
        raise ValueError(f"per_layer_factor() needs the norms of at least two layers; got norms of shape {norms.shape}")
    ends = norms[[0, -1]]
    if log10:
        if not np.all(np.isfinite(ends)):
            raise ValueError(f"per_layer_factor() needs finite log10 norms at both ends; got {ends.tolist()}")
        return float(10.0 ** ((ends[0] - ends[-1]) / (len(norms) - 1)))
    if not (np.all(np.isfinite(ends)) and np.all(ends > 0)):
        raise ValueError(f"per_layer_factor() needs positive finite norms at both ends; got {ends.tolist()}")
    return float((norms[0] / norms[-1]) ** (1.0 / (len(norms) - 1)))
