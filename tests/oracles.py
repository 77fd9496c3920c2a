"""Independent answers for every activation, keyed by the catalogue's names.

The catalogue (book_utils.catalogue) says what the book has; this file says
what each function must compute, derived without book_utils:

- ORACLES: for each element-wise activation, high-precision references for f
  and f' (mpmath, evaluated at the exact binary value of the float input),
  the limits at +-inf, and the value of f' at its kinks by the published
  convention. An activation may have several cases (other parameters).
- VECTOR_ORACLES: mpmath references for the vector functions (softmax).
- LOSS_ORACLES: mpmath references for the losses and their gradients
  (catalogue.LOSSES), from the definitions -sum q log p.
- known_properties(): the comparison table's answers, derived by hand or
  with mpmath.

`CASES` joins each catalogue row with its oracle; the value, derivative and
contract tests are parametrised over it. tests/test_catalogue.py checks that
the key sets here equal the catalogue's, so a new activation without an
oracle fails the suite with its name.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import mpmath as mp

import book_utils as bu
from book_utils import catalogue

ZERO, ONE = mp.mpf(0), mp.mpf(1)
INF = math.inf
LAMBDA, ALPHA = mp.mpf(bu.SELU_SCALE), mp.mpf(bu.SELU_ALPHA)


@dataclass(frozen=True)
class Oracle:
    """What one activation (with ``kwargs``) must compute."""

    ref: Callable  # mpf -> mpf
    ref_prime: Callable  # mpf -> mpf, away from kinks
    limits: tuple[float, float]  # f(-inf), f(+inf)
    prime_limits: tuple[float, float]  # f'(-inf), f'(+inf)
    prime_at_kinks: dict = field(default_factory=dict)  # the convention where f' has no limit
    kwargs: dict = field(default_factory=dict)  # parameters of this case
    # Points where f' is continuous but central differences are not accurate
    # (f'' jumps), so the derivative check steps around them.
    rough: tuple[float, ...] = ()
    # For derivatives that are sums of terms of opposite sign, the error is
    # bounded relative to the terms, not to their (possibly tiny) sum.
    prime_scale: Callable | None = None
    overflows_at_max: bool = False  # the true value is beyond the float range at x = max
    # Extra ULPs allowed at x: for a function whose argument is a rounded
    # polynomial (GELU's tanh form) a backward-stable evaluation is off by
    # about |x f'(x) / f(x)| ULP (its condition number).
    extra_ulps: Callable | None = None


# --- mpmath building blocks ----------------------------------------------------


def sigmoid_ref(x, a=1):
    return 1 / (1 + mp.exp(-a * x))


def sigmoid_prime_ref(x, a=1):
    t = mp.exp(-a * x)
    return a * t / (1 + t) ** 2


def softplus_ref(x):
    # log(1 + e^x); for x > 0 the exact identity x + log(1 + e^-x) keeps
    # mpmath from building e^(1e300) only to take its logarithm.
    return mp.log1p(mp.exp(x)) if x <= 0 else x + mp.log1p(mp.exp(-x))


def ncdf(x):
    # Beyond |x| = 1e6 the tail is below 1e-10^11: exactly 0 or 1 at 60 digits.
    if abs(x) > 1e6:
        return ONE if x > 0 else ZERO
    return mp.erfc(-x / mp.sqrt(2)) / 2


def npdf(x):
    return ZERO if abs(x) > 1e6 else mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def gelu_tanh_parts(x):
    c = mp.sqrt(2 / mp.pi)
    u = c * (x + mp.mpf("0.044715") * x**3)
    du = c * (1 + 3 * mp.mpf("0.044715") * x**2)
    return u, du


def gelu_tanh_prime_terms(x):
    u, du = gelu_tanh_parts(x)
    return sigmoid_ref(2 * u), 2 * x * du * sigmoid_prime_ref(2 * u)


def mish_parts(x):
    sp = softplus_ref(x)
    return mp.tanh(sp), x * mp.sech(sp) ** 2 * sigmoid_ref(x)


# --- the element-wise activations ------------------------------------------------

ORACLES: dict[str, tuple[Oracle, ...]] = {
    "sigmoid": (
        Oracle(
            ref=sigmoid_ref,
            ref_prime=sigmoid_prime_ref,
            limits=(0.0, 1.0),
            prime_limits=(0.0, 0.0),
        ),
    ),
    "tanh": (
        Oracle(
            ref=mp.tanh,
            ref_prime=lambda x: mp.sech(x) ** 2,
            limits=(-1.0, 1.0),
            prime_limits=(0.0, 0.0),
        ),
    ),
    "relu": (
        Oracle(
            ref=lambda x: max(x, ZERO),
            ref_prime=lambda x: ONE if x > 0 else ZERO,
            limits=(0.0, INF),
            prime_limits=(0.0, 1.0),
            prime_at_kinks={0.0: 0.0},  # PyTorch and JAX: the left derivative
        ),
    ),
    "softplus": (
        Oracle(
            ref=softplus_ref,
            ref_prime=sigmoid_ref,
            limits=(0.0, INF),
            prime_limits=(0.0, 1.0),
        ),
    ),
    "leaky_relu": (
        Oracle(
            ref=lambda x: x if x > 0 else mp.mpf(0.01) * x,
            ref_prime=lambda x: ONE if x > 0 else mp.mpf(0.01),
            limits=(-INF, INF),
            prime_limits=(0.01, 1.0),
            prime_at_kinks={0.0: 0.01},  # PyTorch's autograd: the negative side's slope
        ),
    ),
    "elu": (
        Oracle(
            ref=lambda x: x if x > 0 else mp.expm1(x),
            ref_prime=lambda x: ONE if x > 0 else mp.exp(x),
            limits=(-1.0, INF),
            prime_limits=(0.0, 1.0),
            prime_at_kinks={0.0: 1.0},  # alpha e^0 = alpha = 1: both sides agree
        ),
    ),
    "selu": (
        Oracle(
            ref=lambda x: LAMBDA * (x if x > 0 else ALPHA * mp.expm1(x)),
            ref_prime=lambda x: LAMBDA if x > 0 else LAMBDA * ALPHA * mp.exp(x),
            limits=(float(-LAMBDA * ALPHA), INF),
            prime_limits=(0.0, bu.SELU_SCALE),
            prime_at_kinks={0.0: bu.SELU_SCALE * bu.SELU_ALPHA},  # PyTorch: the negative side's
            overflows_at_max=True,
        ),
    ),
    "gelu": (
        Oracle(
            ref=lambda x: x * ncdf(x),
            ref_prime=lambda x: ncdf(x) + x * npdf(x),
            limits=(0.0, INF),
            prime_limits=(0.0, 1.0),
            prime_scale=lambda x: abs(ncdf(x)) + abs(x * npdf(x)),
        ),
        # (1 + tanh u) / 2 = sigma(2u): the same function, without the
        # cancellation that leaves even 60-digit arithmetic with 0 for u ~ -70.
        Oracle(
            kwargs={"approximate": "tanh"},
            ref=lambda x: x * sigmoid_ref(2 * gelu_tanh_parts(x)[0]),
            ref_prime=lambda x: sum(gelu_tanh_prime_terms(x)),
            limits=(0.0, INF),
            prime_limits=(0.0, 1.0),
            prime_scale=lambda x: sum(abs(t) for t in gelu_tanh_prime_terms(x)),
            extra_ulps=lambda x: 2 * abs(x) * abs(2 * gelu_tanh_parts(x)[1]),
        ),
    ),
    "silu": (
        Oracle(
            ref=lambda x: x * sigmoid_ref(x),
            ref_prime=lambda x: sigmoid_ref(x) + x * sigmoid_prime_ref(x),
            limits=(0.0, INF),
            prime_limits=(0.0, 1.0),
            prime_scale=lambda x: abs(sigmoid_ref(x)) + abs(x * sigmoid_prime_ref(x)),
        ),
    ),
    "mish": (
        Oracle(
            ref=lambda x: x * mish_parts(x)[0],
            ref_prime=lambda x: sum(mish_parts(x)),
            limits=(0.0, INF),
            prime_limits=(0.0, 1.0),
            prime_scale=lambda x: sum(abs(t) for t in mish_parts(x)),
        ),
    ),
    "softsign": (
        Oracle(
            ref=lambda x: x / (1 + abs(x)),
            ref_prime=lambda x: 1 / (1 + abs(x)) ** 2,
            limits=(-1.0, 1.0),
            prime_limits=(0.0, 0.0),
            rough=(0.0,),  # softsign' is continuous at 0, softsign'' jumps there
        ),
    ),
    "hard_sigmoid": (
        Oracle(
            ref=lambda x: min(max((x + 3) / 6, ZERO), ONE),
            ref_prime=lambda x: ONE / 6 if -3 < x < 3 else ZERO,
            limits=(0.0, 1.0),
            prime_limits=(0.0, 0.0),
            prime_at_kinks={-3.0: 0.0, 3.0: 0.0},  # PyTorch: the outer pieces' slope
        ),
    ),
    "hard_swish": (
        Oracle(
            ref=lambda x: x * min(max(x + 3, ZERO), mp.mpf(6)) / 6,
            ref_prime=lambda x: ZERO if x <= -3 else (x / 3 + ONE / 2 if x < 3 else ONE),
            limits=(0.0, INF),
            prime_limits=(0.0, 1.0),
            prime_at_kinks={-3.0: 0.0, 3.0: 1.0},  # PyTorch: the outer pieces' slope
            prime_scale=lambda x: abs(x / 3) + ONE / 2 if -3 < x < 3 else ONE,
        ),
    ),
    "hard_tanh": (
        Oracle(
            ref=lambda x: min(max(x, -ONE), ONE),
            ref_prime=lambda x: ONE if -1 < x < 1 else ZERO,
            limits=(-1.0, 1.0),
            prime_limits=(0.0, 0.0),
            prime_at_kinks={-1.0: 0.0, 1.0: 0.0},  # PyTorch: the flat pieces' slope
        ),
    ),
    "log_sigmoid": (
        Oracle(
            ref=lambda x: -softplus_ref(-x),
            ref_prime=lambda x: sigmoid_ref(-x),
            limits=(-INF, 0.0),
            prime_limits=(1.0, 0.0),
        ),
    ),
    "step": (
        Oracle(
            ref=lambda x: ONE if x > 0 else (ZERO if x < 0 else ONE / 2),
            ref_prime=lambda x: ZERO,
            limits=(0.0, 1.0),
            prime_limits=(0.0, 0.0),
            prime_at_kinks={0.0: 0.0},
        ),
    ),
}


# --- the vector functions ----------------------------------------------------------


def softmax_ref(xs):
    m = max(xs)
    weights = [mp.exp(x - m) for x in xs]
    total = mp.fsum(weights)
    return [w / total for w in weights]


def log_softmax_ref(xs):
    m = max(xs)
    log_total = m + mp.log(mp.fsum(mp.exp(x - m) for x in xs))
    return [x - log_total for x in xs]


VECTOR_ORACLES: dict[str, Callable] = {
    "softmax": softmax_ref,
    "log_softmax": log_softmax_ref,
}


# --- the losses of the output layer (catalogue.LOSSES) ------------------------------------


def bce_ref(z, y):
    """-(y log sigma(z) + (1 - y) log(1 - sigma(z))), by its definition:
    -log sigma(z) = softplus(-z) and -log(1 - sigma(z)) = softplus(z)."""
    return y * softplus_ref(-z) + (1 - y) * softplus_ref(z)


def bce_grad_ref(z, y):
    """sigma(z) - y; for z > 0 as (1 - y) - sigma(-z), the same number, whose
    digits 60-digit arithmetic keeps (1 - e^-710 would round to 1)."""
    return (1 - y) - sigmoid_ref(-z) if z > 0 else sigmoid_ref(z) - y


def smoothed(q, eps):
    """The target after label smoothing: (1 - eps) q + eps / C."""
    eps = mp.mpf(eps)
    return [(1 - eps) * qc + eps / len(q) for qc in q]


def log_softmax_exact(zs):
    """log softmax(z)_c = (z_c - m) - log1p(sum of exp(z_k - m) over k other than one maximum):
    log_softmax_ref's m + log(1 + tiny) would keep only 60 digits of m."""
    m = max(zs)
    top = zs.index(m)
    log_total = mp.log1p(mp.fsum(mp.exp(x - m) for k, x in enumerate(zs) if k != top))
    return [(x - m) - log_total for x in zs]


def cross_entropy_ref(zs, q, eps=0.0):
    """-sum_c q_c log softmax(z)_c for the target distribution q (a one-hot
    list for a class index), smoothed by eps; a class with q_c = 0 adds 0."""
    log_s = log_softmax_exact(zs)
    return -mp.fsum(qc * ls for qc, ls in zip(smoothed(q, eps), log_s) if qc != 0)


def cross_entropy_grad_ref(zs, q, eps=0.0):
    """d/dz_j of cross_entropy_ref: s_j sum_c q_c - q_j (s_j - q_j for a distribution).

    s_j Q - q_j = (Q - q_j) - (1 - s_j) Q, with 1 - s_j = sum_{k != j} s_k:
    the same number, without forming s_j = 1 - tiny at 60 digits."""
    s, q = softmax_ref(zs), smoothed(q, eps)
    total = mp.fsum(q)
    out = []
    for j, (sj, qj) in enumerate(zip(s, q)):
        rest_s = mp.fsum(sk for k, sk in enumerate(s) if k != j)
        rest_q = mp.fsum(qk for k, qk in enumerate(q) if k != j)
        out.append(rest_q - rest_s * total if sj > mp.mpf(0.5) else sj * total - qj)
    return out


# Keyed by the catalogue's names: (loss, gradient), both of mpf arguments.
LOSS_ORACLES: dict[str, tuple[Callable, Callable]] = {
    "binary_cross_entropy_with_logits": (bce_ref, bce_grad_ref),
    "cross_entropy": (cross_entropy_ref, cross_entropy_grad_ref),
}


# --- the same functions in PyTorch and JAX ----------------------------------------------


@dataclass(frozen=True)
class Frameworks:
    """Where PyTorch and JAX have the activation (dotted names), and how to call
    them for a case with keyword arguments ``kw`` (PyTorch's names)."""

    torch: str | None
    jax: tuple[str, ...]  # the name, then its aliases
    torch_kwargs: dict = field(default_factory=dict)  # fixed extras for the comparison
    jax_kwargs: Callable[[dict], dict] = lambda kw: kw  # book_utils/PyTorch kwargs -> JAX's
    jax_args: tuple = ()  # extra positional arguments after the input
    torch_differentiable: bool = True  # False: torch.heaviside has no derivative to compare


def _nn(name: str) -> str:
    return "torch.nn.functional." + name


FRAMEWORKS: dict[str, Frameworks] = {
    "sigmoid": Frameworks(torch=_nn("sigmoid"), jax=("jax.nn.sigmoid",)),
    "tanh": Frameworks(torch=_nn("tanh"), jax=("jax.numpy.tanh",)),
    "relu": Frameworks(torch=_nn("relu"), jax=("jax.nn.relu",)),
    # threshold: PyTorch returns x itself above 20; the comparison wants the formula.
    "softplus": Frameworks(torch=_nn("softplus"), jax=("jax.nn.softplus",), torch_kwargs={"threshold": 1e9}),
    "softmax": Frameworks(torch=_nn("softmax"), jax=("jax.nn.softmax",)),
    "leaky_relu": Frameworks(torch=_nn("leaky_relu"), jax=("jax.nn.leaky_relu",)),
    "elu": Frameworks(torch=_nn("elu"), jax=("jax.nn.elu",)),
    "selu": Frameworks(torch=_nn("selu"), jax=("jax.nn.selu",)),
    "gelu": Frameworks(
        torch=_nn("gelu"),
        jax=("jax.nn.gelu",),
        jax_kwargs=lambda kw: {"approximate": kw.get("approximate", "none") == "tanh"},
    ),
    "silu": Frameworks(torch=_nn("silu"), jax=("jax.nn.silu", "jax.nn.swish")),
    "mish": Frameworks(torch=_nn("mish"), jax=("jax.nn.mish",)),
    "softsign": Frameworks(torch=_nn("softsign"), jax=("jax.nn.soft_sign",)),
    "hard_sigmoid": Frameworks(torch=_nn("hardsigmoid"), jax=("jax.nn.hard_sigmoid",)),
    "hard_swish": Frameworks(torch=_nn("hardswish"), jax=("jax.nn.hard_swish", "jax.nn.hard_silu")),
    "hard_tanh": Frameworks(torch=_nn("hardtanh"), jax=("jax.nn.hard_tanh",)),
    "log_sigmoid": Frameworks(torch=_nn("logsigmoid"), jax=("jax.nn.log_sigmoid",)),
    "log_softmax": Frameworks(torch=_nn("log_softmax"), jax=("jax.nn.log_softmax",)),
    # heaviside takes the value at 0 as an argument; step fixes 1/2.
    "step": Frameworks(
        torch="torch.heaviside",
        jax=("jax.numpy.heaviside",),
        jax_args=(0.5,),
        torch_differentiable=False,
    ),
}


def resolve(module, dotted: str):
    """``resolve(torch, "torch.nn.functional.relu")`` -> the function."""
    root, *path = dotted.split(".")
    assert root == module.__name__, (dotted, module.__name__)
    obj = module
    for name in path:
        obj = getattr(obj, name)
    return obj


# --- the comparison table ----------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """The comparison table's answers for one activation, derived by hand
    (or with mpmath)."""

    low: float
    high: float
    closed: tuple[bool, bool]  # is each end of the range attained?
    monotonic: bool
    smoothness: int  # -1 discontinuous, 0 C^0, 1 C^1, 2 C^2 or smoother
    mean: float  # E[f(Z)], Z ~ N(0, 1)
    max_slope: float
    saturates: tuple[bool, bool]  # f' -> 0 at -inf, at +inf
    values: tuple[float, ...] | None = None  # for a function with a few values only


def mean_normal(f):
    """E[f(Z)], Z ~ N(0, 1), by mpmath quadrature split at the kinks."""
    return float(mp.quad(lambda z: f(z) * mp.npdf(z), [-mp.inf, -3, -1, 0, 1, 3, mp.inf]))


def value_at_root(fprime_mp, guess, f_mp):
    return float(f_mp(mp.findroot(fprime_mp, guess)))


@functools.cache
def known_properties() -> dict[str, Known]:
    """Keyed by the catalogue's names; computed once (mpmath quadratures)."""
    sp = lambda z: mp.log1p(mp.exp(z))
    gelu_mp = lambda z: z * mp.ncdf(z)
    silu_mp = lambda z: z * sigmoid_ref(z)
    mish_mp = lambda z: z * mp.tanh(sp(z))
    la = bu.SELU_SCALE * bu.SELU_ALPHA
    return {
        "sigmoid": Known(
            low=0,
            high=1,
            closed=(False, False),
            monotonic=True,
            smoothness=2,
            mean=0.5,
            max_slope=0.25,
            saturates=(True, True),
        ),
        "tanh": Known(
            low=-1,
            high=1,
            closed=(False, False),
            monotonic=True,
            smoothness=2,
            mean=0.0,
            max_slope=1.0,
            saturates=(True, True),
        ),
        "relu": Known(
            low=0,
            high=INF,
            closed=(True, False),
            monotonic=True,
            smoothness=0,
            mean=1 / math.sqrt(2 * math.pi),
            max_slope=1.0,
            saturates=(True, False),
        ),
        "softplus": Known(
            low=0,
            high=INF,
            closed=(False, False),
            monotonic=True,
            smoothness=2,
            mean=mean_normal(sp),
            max_slope=1.0,
            saturates=(True, False),
        ),
        "leaky_relu": Known(
            low=-INF,
            high=INF,
            closed=(False, False),
            monotonic=True,
            smoothness=0,
            mean=0.99 / math.sqrt(2 * math.pi),
            max_slope=1.0,
            saturates=(False, False),
        ),
        "elu": Known(
            low=-1,
            high=INF,
            closed=(False, False),
            monotonic=True,
            smoothness=1,
            mean=mean_normal(lambda z: z if z > 0 else mp.expm1(z)),
            max_slope=1.0,
            saturates=(True, False),
        ),
        "selu": Known(
            low=-la,
            high=INF,
            closed=(False, False),
            monotonic=True,
            smoothness=0,
            mean=0.0,
            max_slope=la,
            saturates=(True, False),
        ),
        # E[Z Phi(Z)] = E[phi(Z)] = 1/(2 sqrt(pi)); the slope peaks at x = sqrt(2)
        "gelu": Known(
            low=value_at_root(lambda z: mp.ncdf(z) + z * mp.npdf(z), -0.75, gelu_mp),
            high=INF,
            closed=(True, False),
            monotonic=False,
            smoothness=2,
            mean=1 / (2 * math.sqrt(math.pi)),
            max_slope=float(mp.ncdf(mp.sqrt(2)) + mp.sqrt(2) * mp.npdf(mp.sqrt(2))),
            saturates=(True, False),
        ),
        "silu": Known(
            low=value_at_root(lambda z: mp.diff(silu_mp, z), -1.28, silu_mp),
            high=INF,
            closed=(True, False),
            monotonic=False,
            smoothness=2,
            mean=mean_normal(silu_mp),
            max_slope=float(mp.diff(silu_mp, mp.findroot(lambda z: mp.diff(silu_mp, z, 2), 2.4))),
            saturates=(True, False),
        ),
        "mish": Known(
            low=value_at_root(lambda z: mp.diff(mish_mp, z), -1.19, mish_mp),
            high=INF,
            closed=(True, False),
            monotonic=False,
            smoothness=2,
            mean=mean_normal(mish_mp),
            max_slope=float(mp.diff(mish_mp, mp.findroot(lambda z: mp.diff(mish_mp, z, 2), 1.5))),
            saturates=(True, False),
        ),
        "softsign": Known(
            low=-1,
            high=1,
            closed=(False, False),
            monotonic=True,
            smoothness=1,
            mean=0.0,
            max_slope=1.0,
            saturates=(True, True),
        ),
        "hard_sigmoid": Known(
            low=0,
            high=1,
            closed=(True, True),
            monotonic=True,
            smoothness=0,
            mean=0.5,
            max_slope=1 / 6,
            saturates=(True, True),
        ),
        "hard_swish": Known(
            low=-0.375,
            high=INF,
            closed=(True, False),
            monotonic=False,
            smoothness=0,
            mean=mean_normal(lambda z: 0 if z <= -3 else (z if z >= 3 else z * (z + 3) / 6)),
            max_slope=1.5,
            saturates=(True, False),
        ),
        "hard_tanh": Known(
            low=-1,
            high=1,
            closed=(True, True),
            monotonic=True,
            smoothness=0,
            mean=0.0,
            max_slope=1.0,
            saturates=(True, True),
        ),
        "log_sigmoid": Known(
            low=-INF,
            high=0,
            closed=(False, False),
            monotonic=True,
            smoothness=2,
            mean=-mean_normal(sp),
            max_slope=1.0,
            saturates=(False, True),
        ),
        "step": Known(
            low=0,
            high=1,
            closed=(True, True),
            monotonic=True,
            smoothness=-1,
            mean=0.5,
            max_slope=0.0,
            saturates=(True, True),
            values=(0.0, 0.5, 1.0),
        ),
        **EXTRA_PROPERTIES,
    }


# Filled only by the toy activation of tests/test_catalogue.py (see conftest.py).
EXTRA_PROPERTIES: dict[str, Known] = {}


# --- the test cases: a catalogue row joined with its oracle --------------------------


@dataclass(frozen=True)
class Case:
    """One element-wise activation (with one set of parameters) as the
    generated tests see it."""

    name: str  # the row's name, with the parameters of this case
    f: Callable
    fprime: Callable
    oracle: Oracle
    kinks: tuple[float, ...]  # where f' is a convention, or central differences fail

    def __str__(self) -> str:
        return self.name

    def __getattr__(self, attr):  # ref, ref_prime, limits, ... from the oracle
        return getattr(self.oracle, attr)


def cases() -> list[Case]:
    out = []
    for row in catalogue.elementwise():
        for oracle in ORACLES.get(row.name, ()):
            kw = oracle.kwargs
            label = row.name + "".join(f"[{k}={v}]" for k, v in kw.items())
            out.append(
                Case(
                    name=label,
                    f=functools.partial(row.f, **kw) if kw else row.f,
                    fprime=functools.partial(row.fprime, **kw) if kw else row.fprime,
                    oracle=oracle,
                    kinks=tuple(sorted(set(oracle.prime_at_kinks) | set(oracle.rough))),
                )
            )
    return out


CASES = cases()

# Every public element-wise function (f and f'; an alias is the same object), for the contract tests.
ELEMENTWISE = {fn.__name__: fn for row in catalogue.elementwise() for fn in row.exports().values()}
OVERFLOW_AT_MAX = {
    row.name for row in catalogue.elementwise() if any(o.overflows_at_max for o in ORACLES.get(row.name, ()))
}
