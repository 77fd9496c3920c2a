"""One row per element-wise activation: the "mini-OpInfo" the tests iterate.

Each row names the book_utils function and its derivative, an independent
high-precision reference for both (mpmath, evaluated at the exact binary
value of the float input), the limits at +-inf, and the kinks where the
derivative is defined by convention rather than by a limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import mpmath as mp

import book_utils as bu



@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable
    fprime: Callable
    ref: Callable  # mpf -> mpf
    ref_prime: Callable  # mpf -> mpf (away from kinks)
    limits: tuple[float, float]  # f(-inf), f(+inf)
    prime_limits: tuple[float, float]
    kinks: tuple[float, ...] = ()
    prime_at_kinks: dict = field(default_factory=dict)  # the documented convention

    def __str__(self) -> str:
        return self.name


def _sigmoid_ref(x, a=1):
    return 1 / (1 + mp.exp(-a * x))


def _sigmoid_prime_ref(x, a=1):
    e = mp.exp(-a * x)
    return a * e / (1 + e) ** 2


def _softplus_ref(x):
    # log(1 + e^x); for x > 0 the exact identity x + log(1 + e^-x) keeps
    # mpmath from building e^(1e300) only to take its logarithm.
    return mp.log1p(mp.exp(x)) if x <= 0 else x + mp.log1p(mp.exp(-x))


ACTIVATIONS = [
    Activation("sigmoid", bu.sigmoid, bu.sigmoid_prime, _sigmoid_ref, _sigmoid_prime_ref, (0.0, 1.0), (0.0, 0.0)),
    Activation("tanh", bu.tanh, bu.tanh_prime, mp.tanh, lambda x: mp.sech(x) ** 2, (-1.0, 1.0), (0.0, 0.0)),
    Activation(
        "relu",
        bu.relu,
        bu.relu_prime,
        lambda x: max(x, mp.mpf(0)),
        lambda x: mp.mpf(1) if x > 0 else mp.mpf(0),
        (0.0, float("inf")),
        (0.0, 1.0),
        kinks=(0.0,),
        prime_at_kinks={0.0: 0.0},
    ),
    Activation("softplus", bu.softplus, bu.softplus_prime, _softplus_ref, _sigmoid_ref, (0.0, float("inf")), (0.0, 1.0)),
]

BY_NAME = {act.name: act for act in ACTIVATIONS}

# Every public function that maps a scalar to a scalar, for the contract tests.
ELEMENTWISE = {fn.__name__: fn for act in ACTIVATIONS for fn in (act.f, act.fprime)}
