"""One row per element-wise activation: the "mini-OpInfo" the tests iterate.

Each row names the book_utils function and its derivative, an independent
high-precision reference for both (mpmath, evaluated at the exact binary
value of the float input), the limits at +-inf, and the kinks where the
derivative is defined by convention rather than by a limit.
"""

from __future__ import annotations

import math
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
    # For derivatives that are sums of terms of opposite sign, the error is
    # bounded relative to the terms, not to their (possibly tiny) sum.
    prime_scale: Callable | None = None
    overflows_at_max: bool = False  # true value beyond the float range at x = max
    # Extra ULPs allowed at x beyond the default few: for a function whose
    # argument is a rounded polynomial (GELU's tanh form), a backward-stable
    # evaluation is off by about |x f'(x) / f(x)| ULP (its condition number).
    extra_ulps: Callable | None = None

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


def _ncdf(x):
    # Beyond |x| = 1e6 the tail is below 1e-10^11: exactly 0 or 1 at 60 digits.
    if abs(x) > 1e6:
        return ONE if x > 0 else ZERO
    return mp.erfc(-x / mp.sqrt(2)) / 2


def _npdf(x):
    return ZERO if abs(x) > 1e6 else mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def _sech2(u):
    return mp.sech(u) ** 2


def _gelu_tanh_parts(x):
    c = mp.sqrt(2 / mp.pi)
    u = c * (x + mp.mpf("0.044715") * x**3)
    du = c * (1 + 3 * mp.mpf("0.044715") * x**2)
    return u, du


def _gelu_tanh_prime_terms(x):
    u, du = _gelu_tanh_parts(x)
    return _sigmoid_ref(2 * u), 2 * x * du * _sigmoid_prime_ref(2 * u)


def _mish_parts(x):
    sp = _softplus_ref(x)
    return mp.tanh(sp), x * _sech2(sp) * _sigmoid_ref(x)


LAMBDA, ALPHA = mp.mpf(bu.SELU_SCALE), mp.mpf(bu.SELU_ALPHA)
SLOPE = mp.mpf(0.01)
ZERO, ONE = mp.mpf(0), mp.mpf(1)

MODERN = [
    Activation("leaky_relu", bu.leaky_relu, bu.leaky_relu_prime, lambda x: x if x > 0 else SLOPE * x,
               lambda x: ONE if x > 0 else SLOPE, (-math.inf, math.inf), (0.01, 1.0), kinks=(0.0,), prime_at_kinks={0.0: 0.01}),
    Activation("elu", bu.elu, bu.elu_prime, lambda x: x if x > 0 else mp.expm1(x), lambda x: ONE if x > 0 else mp.exp(x),
               (-1.0, math.inf), (0.0, 1.0), kinks=(0.0,), prime_at_kinks={0.0: 1.0}),
    Activation("selu", bu.selu, bu.selu_prime, lambda x: LAMBDA * (x if x > 0 else ALPHA * mp.expm1(x)),
               lambda x: LAMBDA if x > 0 else LAMBDA * ALPHA * mp.exp(x), (float(-LAMBDA * ALPHA), math.inf), (0.0, bu.SELU_SCALE),
               kinks=(0.0,), prime_at_kinks={0.0: bu.SELU_SCALE * bu.SELU_ALPHA}, overflows_at_max=True),
    Activation("gelu", bu.gelu, bu.gelu_prime, lambda x: x * _ncdf(x), lambda x: _ncdf(x) + x * _npdf(x),
               (0.0, math.inf), (0.0, 1.0), prime_scale=lambda x: abs(_ncdf(x)) + abs(x * _npdf(x))),
    # (1 + tanh u) / 2 = sigma(2u): the same function, without the cancellation
    # that leaves even 60-digit arithmetic with 0 for u ~ -70.
    Activation("gelu_tanh", lambda x: bu.gelu(x, approximate="tanh"), lambda x: bu.gelu_prime(x, approximate="tanh"),
               lambda x: x * _sigmoid_ref(2 * _gelu_tanh_parts(x)[0]),
               lambda x: sum(_gelu_tanh_prime_terms(x)), (0.0, math.inf), (0.0, 1.0),
               prime_scale=lambda x: sum(abs(t) for t in _gelu_tanh_prime_terms(x)),
               extra_ulps=lambda x: 2 * abs(x) * abs(2 * _gelu_tanh_parts(x)[1])),
    Activation("silu", bu.silu, bu.silu_prime, lambda x: x * _sigmoid_ref(x), lambda x: _sigmoid_ref(x) + x * _sigmoid_prime_ref(x),
               (0.0, math.inf), (0.0, 1.0), prime_scale=lambda x: abs(_sigmoid_ref(x)) + abs(x * _sigmoid_prime_ref(x))),
    Activation("mish", bu.mish, bu.mish_prime, lambda x: x * _mish_parts(x)[0], lambda x: sum(_mish_parts(x)),
               (0.0, math.inf), (0.0, 1.0), prime_scale=lambda x: sum(abs(t) for t in _mish_parts(x))),
    # softsign' is continuous at 0 but softsign'' jumps there, which central
    # differences see: 0 is a kink for that check, with the true value 1.
    Activation("softsign", bu.softsign, bu.softsign_prime, lambda x: x / (1 + abs(x)), lambda x: 1 / (1 + abs(x)) ** 2,
               (-1.0, 1.0), (0.0, 0.0), kinks=(0.0,), prime_at_kinks={0.0: 1.0}),
    Activation("hard_sigmoid", bu.hard_sigmoid, bu.hard_sigmoid_prime, lambda x: min(max((x + 3) / 6, ZERO), ONE),
               lambda x: mp.mpf(1) / 6 if -3 < x < 3 else ZERO, (0.0, 1.0), (0.0, 0.0), kinks=(-3.0, 3.0),
               prime_at_kinks={-3.0: 0.0, 3.0: 0.0}),
    Activation("hard_swish", bu.hard_swish, bu.hard_swish_prime, lambda x: x * min(max(x + 3, ZERO), mp.mpf(6)) / 6,
               lambda x: ZERO if x <= -3 else (x / 3 + mp.mpf(1) / 2 if x < 3 else ONE), (0.0, math.inf), (0.0, 1.0),
               kinks=(-3.0, 3.0), prime_at_kinks={-3.0: 0.0, 3.0: 1.0},
               prime_scale=lambda x: abs(x / 3) + mp.mpf(1) / 2 if -3 < x < 3 else ONE),
    Activation("hard_tanh", bu.hard_tanh, bu.hard_tanh_prime, lambda x: min(max(x, -ONE), ONE),
               lambda x: ONE if -1 < x < 1 else ZERO, (-1.0, 1.0), (0.0, 0.0), kinks=(-1.0, 1.0),
               prime_at_kinks={-1.0: 0.0, 1.0: 0.0}),
    Activation("log_sigmoid", bu.log_sigmoid, bu.log_sigmoid_prime, lambda x: -_softplus_ref(-x), lambda x: _sigmoid_ref(-x),
               (-math.inf, 0.0), (1.0, 0.0)),
    Activation("step", bu.step, bu.step_prime, lambda x: ONE if x > 0 else (ZERO if x < 0 else mp.mpf(0.5)), lambda x: ZERO,
               (0.0, 1.0), (0.0, 0.0), kinks=(0.0,), prime_at_kinks={0.0: 0.0}),
]
ACTIVATIONS = ACTIVATIONS + MODERN

BY_NAME = {act.name: act for act in ACTIVATIONS}

# Every public function that maps a scalar to a scalar, for the contract tests.
OVERFLOW_AT_MAX = {act.f.__name__ for act in ACTIVATIONS if act.overflows_at_max}
ELEMENTWISE = {fn.__name__: fn for act in ACTIVATIONS for fn in (act.f, act.fprime) if fn.__name__ != "<lambda>"}
