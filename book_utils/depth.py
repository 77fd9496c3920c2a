"""Gradients through a deep network: the vanishing-gradient experiment.

A plain fully connected network h_l = f(W_l h_{l-1}) (no biases) with random
weights, in NumPy. A random loss gradient is fed into the last layer and
propagated back by hand; the Frobenius norm of dL/dW_l for every layer shows
whether the gradient survives the trip to the first layers. Seeded, so the
numbers are the same on every run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

INITIALISATIONS = {
    # name: standard deviation of W's entries for fan-in n
    "std1": lambda n: 1.0,  # a fixed N(0, 1), no scaling with the width
    "xavier": lambda n: np.sqrt(1.0 / n),  # Glorot and Bengio (2010), square layers
    "he": lambda n: np.sqrt(2.0 / n),  # He et al. (2015)
}


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


def _draw(depth: int, width: int, batch: int, init: str, seed: int, caller: str):
    """One seeded draw of the weights, the inputs x ~ N(0, I) and the output gradient."""
    if init not in INITIALISATIONS:
        raise ValueError(f"{caller}() expects init in {sorted(INITIALISATIONS)}; got {init!r}")
    rng = np.random.default_rng(seed)
    std = INITIALISATIONS[init](width)
    weights = [rng.normal(0.0, std, size=(width, width)) for _ in range(depth)]
    x = rng.normal(size=(batch, width))
    grad_out = rng.normal(size=(batch, width)) / np.sqrt(batch * width)
    return weights, x, grad_out


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
    of weights, inputs x ~ N(0, I) and the output gradient ~ N(0, I)."""
    weights, x, grad_out = _draw(depth, width, batch, init, seed, "gradient_norms")
    zs, hs = forward(f, weights, x)
    grads = backward(fprime, weights, zs, hs, grad_out)
    return np.array([np.linalg.norm(g) for g in grads])


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
    weights, x, _ = _draw(depth, width, batch, init, seed, "local_derivatives")
    zs, _ = forward(f, weights, x)
    return np.stack([fprime(z) for z in zs])


def per_layer_factor(norms: np.ndarray) -> float:
    """The geometric mean of the factor by which the gradient norm changes
    per layer on its way from the last layer to the first:
    (||dL/dW_1|| / ||dL/dW_L||) ** (1 / (L - 1))."""
    norms = np.asarray(norms, dtype=float)
    return float((norms[0] / norms[-1]) ** (1.0 / (len(norms) - 1)))
