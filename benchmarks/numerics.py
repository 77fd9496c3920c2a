"""Numerics budgets, measured: every public function of book_utils against the
fastest NumPy/SciPy formulation of the same function, the memory-bandwidth
floor and PyTorch.

    PYTHONPATH=. .venv/bin/python benchmarks/numerics.py [--quick] [--only NAME[,NAME]] [--check]

The functions are read from the catalogue (each activation's f and f', then the
helpers; an alias such as swish is the same function and is not repeated).
Sizes: 1e3 and 1e6 elements for the element-wise functions; the softmax family
on (1000, 1000), (10000, 100) and (100, 10000); the two Jacobians (softmax',
log_softmax', whose output is n times the input) on (100, 100), (1000, 32) and
(10, 316), so that their output has about 1e6 elements. Each in float64 and
float32. Columns:

    ours        min and median time of one call
    best peer   the fastest NumPy/SciPy formulation in this cell (naive formula,
                scipy.special, the known fast forms), its name and min time
    xpeer       ours / best peer (min over repeats; the median ratio after it)
    xfloor      ours / `x * 1.0` on an array of the output's size (bandwidth floor)
    xtorch      ours / the torch.nn.functional op (derivatives: a hand-written
                tensor formula, never autograd); torch.from_numpy outside the timing
    pk/in       tracemalloc peak during one call / input bytes (the peer's after it);
                for the Jacobians / output bytes, since the output alone is n x the input
    fixed us    one call on a 1-element array (Jacobians: 1x2), min over many calls;
                the fastest peer's after it

Targets (reported; exit 0 unless --check, which exits 1 if one is missed):
every function within 1.5x of its best peer at 1e6 in both dtypes; peak memory
<= 3x the input at 1e6 (the Jacobians: 3x their output, which alone is n x the
input); fixed cost <= 5 us for the element-wise functions; `import book_utils`
<= 1.5x `import numpy` (fresh subprocesses, min of several runs). Speed and
memory are judged at 1e6 elements (the softmax family and the Jacobians: every
shape), where they scale with the input; at 1e3 they are printed, not judged:
there a block-sized workspace that does not grow with the input (GELU's
float64 rows, float32 Mish's float64 scratch) is several times an 8 KB input,
and splitting it into smaller blocks would make those calls 2-7x slower.

Fairness: every library runs on one thread (OMP/MKL/OPENBLAS_NUM_THREADS=1 set
before numpy is imported, torch.set_num_threads(1)); within one repeat each
contender runs once, in an order that rotates from repeat to repeat; a cell
reports min and median of 15 repeats (--quick: 3, and only the 1e6 size).
Every peer and torch op is first checked against book_utils at ordinary points
(dtype and values), so a wrong peer cannot make a ratio look good; an
element-wise peer also at NaN, where it must give NaN as the function does (a
peer that turns NaN into 0 computes another, cheaper function: it is listed as
rejected). The torch column is not judged and keeps such formulas.
"""

from __future__ import annotations

import os
import sys

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
if any(os.environ.get(var) != "1" for var in THREAD_VARS):
    os.environ.update(dict.fromkeys(THREAD_VARS, "1"))
    if "numpy" in sys.modules:  # too late for this process (a sitecustomize?): start again pinned
        os.execv(sys.executable, [sys.executable, *sys.argv])

import argparse  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy import special  # noqa: E402

import book_utils as bu  # noqa: E402
from book_utils import catalogue  # noqa: E402

try:
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
except ImportError:  # the torch column then reads "-"
    torch = F = None

SPEED_TARGET = 1.5  # x the best NumPy/SciPy peer, at 1e6
MEMORY_TARGET = 3.0  # x the input's bytes
FIXED_TARGET_US = 5.0  # element-wise functions
IMPORT_TARGET = 1.5  # x import numpy

DTYPES = {"f64": np.float64, "f32": np.float32}
SIZES = {  # kind -> (label, shape, is the size the speed and memory targets are judged at)
    "elementwise": [("1e3", (1_000,), False), ("1e6", (1_000_000,), True)],
    "rowwise": [
        ("1000x1000", (1000, 1000), True),
        ("10000x100", (10000, 100), True),
        ("100x10000", (100, 10000), True),
    ],
    "jacobian": [("100x100", (100, 100), True), ("1000x32", (1000, 32), True), ("10x316", (10, 316), True)],
}
QUICK_SIZES = {
    kind: [s for s in sizes if s[2]][:1] if kind != "elementwise" else sizes[1:] for kind, sizes in SIZES.items()
}

# Parameters at the catalogue's defaults, the ones the timed calls use.
SLOPE = catalogue.get("leaky_relu").parameter("negative_slope").default
ALPHA = catalogue.get("elu").parameter("alpha").default
LO = catalogue.get("hard_tanh").parameter("min_val").default
HI = catalogue.get("hard_tanh").parameter("max_val").default
SCALE, SALPHA = bu.SELU_SCALE, bu.SELU_ALPHA
SQRT1_2 = math.sqrt(0.5)  # Python floats: a NumPy float64 constant would turn float32 into float64
INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


# --- the NumPy/SciPy peers -------------------------------------------------------
# Each is a correct formulation of the same function at ordinary points, with the
# defaults above, keeping the dtype. The naive ones may overflow on extreme inputs:
# they are only timed, so their warnings are silenced inside them.


def quiet(f: Callable) -> Callable:
    def wrapped(x):
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            return f(x)

    return wrapped


def _sigmoid_inplace(x):
    t = np.negative(x)
    np.exp(t, out=t)
    t += 1
    return np.reciprocal(t, out=t)


def _softmax_naive(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_inplace(x):
    e = x - x.max(axis=-1, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=-1, keepdims=True)
    return e


def _log_softmax_naive(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _log_softmax_inplace(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    shifted -= np.log(e.sum(axis=-1, keepdims=True))
    return shifted


def _jacobian_outer(s):
    jac = -s[..., :, None] * s[..., None, :]
    d = np.arange(s.shape[-1])
    jac[..., d, d] += s
    return jac


def _jacobian_einsum(s):
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    return np.einsum("...i,ij->...ij", s, eye) - s[..., :, None] * s[..., None, :]


def _one_hot_put(x):
    out = np.zeros_like(x)
    np.put_along_axis(out, np.argmax(x, axis=-1)[..., None], 1, axis=-1)
    return out


def _mish_prime(x, sp):
    t = np.tanh(sp(x))
    return t + x * (1 - t * t) * special.expit(x)


def _gelu_prime(x, cdf):
    return cdf(x) + x * np.exp(-0.5 * x * x) * INV_SQRT_2PI


def _silu_prime(x, s):
    s = s(x)
    return s * (1 + x * (1 - s))


def _one(x):
    return x.dtype.type(1)


PEERS: dict[str, list[tuple[str, Callable]]] = {
    "sigmoid": [
        ("1/(1+exp(-x))", quiet(lambda x: 1 / (1 + np.exp(-x)))),
        ("special.expit", special.expit),
        (".5*tanh(.5x)+.5", lambda x: 0.5 * np.tanh(0.5 * x) + 0.5),
        ("1/(1+exp(-x)) in place", quiet(_sigmoid_inplace)),
    ],
    "sigmoid_prime": [
        ("s*(1-s), s=expit", lambda x: (s := special.expit(x)) * (1 - s)),
        ("e/(1+e)**2, e=exp(-x)", quiet(lambda x: (e := np.exp(-x)) / (1 + e) ** 2)),
        (".25*(1-tanh(x/2)**2)", lambda x: 0.25 * (1 - np.tanh(0.5 * x) ** 2)),
    ],
    "tanh": [("np.tanh", np.tanh)],
    "tanh_prime": [
        ("1-tanh(x)**2", lambda x: 1 - np.tanh(x) ** 2),
        ("1/cosh(x)**2", quiet(lambda x: 1 / np.cosh(x) ** 2)),
    ],
    "relu": [
        ("maximum(x,0)", lambda x: np.maximum(x, 0)),
        ("x*(x>0)", lambda x: x * (x > 0)),
        ("clip(x,0,None)", lambda x: np.clip(x, 0, None)),
        ("where(x>0,x,0)", lambda x: np.where(x > 0, x, 0)),
    ],
    "relu_prime": [
        ("(x>0).astype", lambda x: (x > 0).astype(x.dtype)),
        ("heaviside(x,0)", lambda x: np.heaviside(x, 0)),
        ("ceil(clip(x,0,1))", lambda x: np.ceil(np.clip(x, 0, 1))),
        ("where(isnan(x),x,(x>0).astype)", lambda x: np.where(np.isnan(x), x, (x > 0).astype(x.dtype))),
    ],
    "softplus": [
        ("log1p(exp(x))", quiet(lambda x: np.log1p(np.exp(x)))),
        ("logaddexp(0,x)", lambda x: np.logaddexp(0, x)),
        ("max(x,0)+log1p(exp(-|x|))", lambda x: np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))),
    ],
    "softplus_prime": [
        ("special.expit", special.expit),
        ("1/(1+exp(-x))", quiet(lambda x: 1 / (1 + np.exp(-x)))),
    ],
    "softmax": [
        ("exp(x-max)/sum", _softmax_naive),
        ("special.softmax", partial(special.softmax, axis=-1)),
        ("exp(x-max)/sum in place", _softmax_inplace),
    ],
    "softmax_prime": [
        ("diag(s)-s*s^T", lambda x: _jacobian_outer(_softmax_inplace(x))),
        ("einsum(s,eye)-s*s^T", lambda x: _jacobian_einsum(_softmax_inplace(x))),
    ],
    "one_hot_argmax": [
        ("put_along_axis(argmax)", _one_hot_put),
        ("(x==max).astype", lambda x: (x == x.max(axis=-1, keepdims=True)).astype(x.dtype)),
    ],
    "leaky_relu": [
        ("where(x>0,x,a*x)", lambda x: np.where(x > 0, x, SLOPE * x)),
        ("maximum(x,a*x)", lambda x: np.maximum(x, SLOPE * x)),
    ],
    "leaky_relu_prime": [
        ("where(x>0,1,a)", lambda x: np.where(x > 0, _one(x), x.dtype.type(SLOPE))),
        ("(x>0)*(1-a)+a", lambda x: (x > 0).astype(x.dtype) * (1 - SLOPE) + SLOPE),
        ("max(ceil(clip(x,0,1)),a)", lambda x: np.maximum(np.ceil(np.clip(x, 0, 1)), x.dtype.type(SLOPE))),
        (
            "where(isnan(x),x,where(x>0,1,a))",
            lambda x: np.where(np.isnan(x), x, np.where(x > 0, _one(x), x.dtype.type(SLOPE))),
        ),
    ],
    "elu": [
        ("where(x>0,x,exp(x)-1)", quiet(lambda x: np.where(x > 0, x, ALPHA * (np.exp(x) - 1)))),
        ("where(x>0,x,expm1(min(x,0)))", lambda x: np.where(x > 0, x, ALPHA * np.expm1(np.minimum(x, 0)))),
    ],
    "elu_prime": [
        ("where(x>0,1,exp(x))", quiet(lambda x: np.where(x > 0, 1, ALPHA * np.exp(x)))),
        ("where(x>0,1,exp(min(x,0)))", lambda x: np.where(x > 0, 1, ALPHA * np.exp(np.minimum(x, 0)))),
    ],
    "selu": [
        ("l*where(x>0,x,a(exp(x)-1))", quiet(lambda x: SCALE * np.where(x > 0, x, SALPHA * (np.exp(x) - 1)))),
        ("l*where(x>0,x,a*expm1(min))", lambda x: SCALE * np.where(x > 0, x, SALPHA * np.expm1(np.minimum(x, 0)))),
    ],
    "selu_prime": [
        ("l*where(x>0,1,a*exp(x))", quiet(lambda x: SCALE * np.where(x > 0, 1, SALPHA * np.exp(x)))),
        ("where(x>0,l,la*exp(min))", lambda x: np.where(x > 0, SCALE, SCALE * SALPHA * np.exp(np.minimum(x, 0)))),
    ],
    "gelu": [
        (".5x(1+erf(x/sqrt2))", lambda x: 0.5 * x * (1 + special.erf(x * SQRT1_2))),
        ("x*ndtr(x)", lambda x: x * special.ndtr(x)),
        (".5x*erfc(-x/sqrt2)", lambda x: 0.5 * x * special.erfc(-x * SQRT1_2)),
    ],
    "gelu_prime": [
        ("ndtr(x)+x*phi(x)", quiet(partial(_gelu_prime, cdf=special.ndtr))),
        (
            ".5(1+erf(x/sqrt2))+x*phi(x)",
            quiet(partial(_gelu_prime, cdf=lambda x: 0.5 * (1 + special.erf(x * SQRT1_2)))),
        ),
    ],
    "silu": [
        ("x*expit(x)", lambda x: x * special.expit(x)),
        ("x/(1+exp(-x))", quiet(lambda x: x / (1 + np.exp(-x)))),
        (".5x(1+tanh(x/2))", lambda x: 0.5 * x * (1 + np.tanh(0.5 * x))),
    ],
    "silu_prime": [
        ("s(1+x(1-s)), s=expit", partial(_silu_prime, s=special.expit)),
        ("s(1+x(1-s)), s=1/(1+exp(-x))", quiet(partial(_silu_prime, s=lambda x: 1 / (1 + np.exp(-x))))),
    ],
    "mish": [
        ("x*tanh(log1p(exp(x)))", quiet(lambda x: x * np.tanh(np.log1p(np.exp(x))))),
        ("x*tanh(logaddexp(0,x))", lambda x: x * np.tanh(np.logaddexp(0, x))),
        ("x*n/(n+2), n=e(e+2), e=exp(x)", quiet(lambda x: x * (n := (e := np.exp(x)) * (e + 2)) / (n + 2))),
    ],
    "mish_prime": [
        ("t+x(1-t^2)expit, t=tanh(lae)", partial(_mish_prime, sp=lambda x: np.logaddexp(0, x))),
        ("t+x(1-t^2)expit, log1p(exp)", quiet(partial(_mish_prime, sp=lambda x: np.log1p(np.exp(x))))),
    ],
    "softsign": [("x/(1+|x|)", lambda x: x / (1 + np.abs(x)))],
    "softsign_prime": [
        ("1/(1+|x|)**2", lambda x: 1 / (1 + np.abs(x)) ** 2),
        ("1/(d*d), d=1+|x|", lambda x: 1 / ((d := 1 + np.abs(x)) * d)),
    ],
    "hard_sigmoid": [
        ("clip(x/6+.5,0,1)", lambda x: np.clip(x / 6 + 0.5, 0, 1)),
        ("clip(x+3,0,6)/6", lambda x: np.clip(x + 3, 0, 6) / 6),
    ],
    "hard_sigmoid_prime": [
        ("where(|x|<3,1/6,0)", lambda x: np.where(np.abs(x) < 3, x.dtype.type(1 / 6), x.dtype.type(0))),
        ("(|x|<3).astype/6", lambda x: (np.abs(x) < 3).astype(x.dtype) / 6),
        ("ceil(clip(3-|x|,0,1))/6", lambda x: np.ceil(np.clip(3 - np.abs(x), 0, 1)) / 6),
        ("where(isnan(x),x,(|x|<3)/6)", lambda x: np.where(np.isnan(x), x, (np.abs(x) < 3).astype(x.dtype) / 6)),
    ],
    "hard_swish": [
        ("x*clip(x+3,0,6)/6", lambda x: x * np.clip(x + 3, 0, 6) / 6),
        ("x*clip(x/6+.5,0,1)", lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    ],
    "hard_swish_prime": [
        ("where(x<=-3,0,where(x>=3,1,.))", lambda x: np.where(x <= -3, 0, np.where(x >= 3, 1, x / 3 + 0.5))),
        ("select", lambda x: np.select([x <= -3, x >= 3], [0, 1], x / 3 + 0.5)),
    ],
    "hard_tanh": [
        ("clip(x,-1,1)", lambda x: np.clip(x, LO, HI)),
        ("minimum(maximum(x,-1),1)", lambda x: np.minimum(np.maximum(x, LO), HI)),
    ],
    "hard_tanh_prime": [
        ("((x>-1)&(x<1)).astype", lambda x: ((x > LO) & (x < HI)).astype(x.dtype)),
        ("(|x|<1).astype", lambda x: (np.abs(x) < HI).astype(x.dtype)),  # the default bounds are symmetric
        ("ceil(clip(1-|x|,0,1))", lambda x: np.ceil(np.clip(HI - np.abs(x), 0, 1))),  # symmetric bounds
        ("where(isnan(x),x,(|x|<1).astype)", lambda x: np.where(np.isnan(x), x, (np.abs(x) < HI).astype(x.dtype))),
    ],
    "log_sigmoid": [
        ("log(expit(x))", quiet(lambda x: np.log(special.expit(x)))),
        ("special.log_expit", special.log_expit),
        ("-logaddexp(0,-x)", lambda x: -np.logaddexp(0, -x)),
        ("min(x,0)-log1p(exp(-|x|))", lambda x: np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))),
    ],
    "log_sigmoid_prime": [
        ("expit(-x)", lambda x: special.expit(-x)),
        ("1/(1+exp(x))", quiet(lambda x: 1 / (1 + np.exp(x)))),
    ],
    "log_softmax": [
        ("special.log_softmax", partial(special.log_softmax, axis=-1)),
        ("x-max-log(sum(exp))", _log_softmax_naive),
        ("x-max-log(sum(exp)) in place", _log_softmax_inplace),
    ],
    "log_softmax_prime": [
        ("eye(n)-s[...,None,:]", lambda x: np.eye(x.shape[-1], dtype=x.dtype) - _softmax_inplace(x)[..., None, :]),
    ],
    "step": [
        ("heaviside(x,.5)", lambda x: np.heaviside(x, 0.5)),
        ("sign(x)*.5+.5", lambda x: np.sign(x) * 0.5 + 0.5),
    ],
    "step_prime": [
        ("zeros_like(x)", np.zeros_like),  # rejected: 0 at NaN
        ("clip(x,0,0)", lambda x: np.clip(x, 0, 0)),
        ("where(isnan(x),x,0)", lambda x: np.where(np.isnan(x), x, x.dtype.type(0))),
    ],
}


# --- PyTorch: the torch.nn.functional op the catalogue names; derivatives by hand --------
# Each entry takes the tensor (made by torch.from_numpy outside the timing) and
# returns the zero-argument call that is timed.


def _torch_forward(name: str) -> Callable | None:
    row = catalogue.get(name)
    if row.torch is None:
        return None
    module, _, attr = row.torch.rpartition(".")
    op = getattr(importlib.import_module(module), attr)
    if name == "step":  # torch.heaviside takes the value at 0 as a tensor; step's is 1/2
        return lambda t: partial(op, t, torch.tensor(0.5, dtype=t.dtype))
    if not row.elementwise:
        return lambda t: partial(op, t, dim=-1)
    return lambda t: partial(op, t)


def _t_gelu_prime(t):
    return 0.5 * (1 + torch.erf(t * SQRT1_2)) + t * torch.exp(-0.5 * t * t) * INV_SQRT_2PI


def _t_mish_prime(t):
    th = torch.tanh(F.softplus(t))
    return th + t * (1 - th * th) * torch.sigmoid(t)


def _t_softmax_jacobian(t):
    s = torch.softmax(t, dim=-1)
    return torch.diag_embed(s) - s.unsqueeze(-1) * s.unsqueeze(-2)


TORCH_DERIVATIVES: dict[str, Callable] = {
    "sigmoid_prime": lambda t: (s := torch.sigmoid(t)) * (1 - s),
    "tanh_prime": lambda t: 1 - torch.tanh(t) ** 2,
    "relu_prime": lambda t: (t > 0).to(t.dtype),
    "softplus_prime": lambda t: torch.sigmoid(t),
    "softmax_prime": _t_softmax_jacobian,
    "leaky_relu_prime": lambda t: (t > 0).to(t.dtype) * (1 - SLOPE) + SLOPE,
    "elu_prime": lambda t: torch.where(t > 0, 1.0, ALPHA * torch.exp(t)),
    "selu_prime": lambda t: SCALE * torch.where(t > 0, 1.0, SALPHA * torch.exp(t)),
    "gelu_prime": _t_gelu_prime,
    "silu_prime": lambda t: (s := torch.sigmoid(t)) * (1 + t * (1 - s)),
    "mish_prime": _t_mish_prime,
    "softsign_prime": lambda t: 1 / (1 + t.abs()) ** 2,
    "hard_sigmoid_prime": lambda t: (t.abs() < 3).to(t.dtype) / 6,
    "hard_swish_prime": lambda t: torch.where(t <= -3, 0.0, torch.where(t >= 3, 1.0, t / 3 + 0.5)),
    "hard_tanh_prime": lambda t: ((t > LO) & (t < HI)).to(t.dtype),
    "log_sigmoid_prime": lambda t: torch.sigmoid(-t),
    "log_softmax_prime": lambda t: torch.eye(t.shape[-1], dtype=t.dtype) - torch.softmax(t, dim=-1).unsqueeze(-2),
    "step_prime": lambda t: torch.zeros_like(t),
    "one_hot_argmax": lambda t: F.one_hot(t.argmax(dim=-1), t.shape[-1]).to(t.dtype),
}


def torch_call(name: str, t) -> Callable | None:
    """The timed torch call on tensor t, or None where torch is missing or has no counterpart."""
    if torch is None:
        return None
    if name in TORCH_DERIVATIVES:
        return partial(TORCH_DERIVATIVES[name], t)
    make = _torch_forward(name)
    return make(t) if make else None


# --- what is measured -----------------------------------------------------------


@dataclass
class Bench:
    name: str
    func: Callable
    kind: str  # "elementwise", "rowwise" (softmax family) or "jacobian" (output n times the input)


def benches() -> list[Bench]:
    out = []
    for row in catalogue.ACTIVATIONS:
        for fn in (row.f, row.fprime):
            out.append(Bench(fn.__name__, fn, "elementwise" if row.elementwise else _kind(fn)))
    for helper in catalogue.HELPERS:
        out.append(Bench(helper.__name__, helper, _kind(helper)))
    missing = [b.name for b in out if b.name not in PEERS]
    if missing:
        raise SystemExit(f"no NumPy/SciPy peer for {missing}: add them to PEERS in {__file__}")
    return out


def _kind(fn: Callable) -> str:
    probe = np.zeros((2, 3))
    return "jacobian" if np.ndim(fn(probe)) == probe.ndim + 1 else "rowwise"


_DATA: dict = {}


def data(shape: tuple[int, ...], dtype) -> np.ndarray:
    """Ordinary points: N(0, 3^2), the same for every contender (seeded)."""
    key = (shape, np.dtype(dtype).str)
    if key not in _DATA:
        rng = np.random.default_rng(sum(shape) * 7 + np.dtype(dtype).itemsize)
        _DATA[key] = (3 * rng.standard_normal(shape)).astype(dtype)
    return _DATA[key]


def check(name: str, f: Callable, x: np.ndarray, want: np.ndarray, to_numpy=np.asarray) -> str | None:
    """None if f(x) matches book_utils loosely (same dtype and shape, close values), else why not."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():  # NaN in a probe: quiet
            warnings.simplefilter("ignore")
            got = to_numpy(f(x))
    except Exception as exc:  # a peer that cannot run is reported, not fatal
        return f"raises {type(exc).__name__}: {exc}"
    if got.dtype != want.dtype or got.shape != want.shape:
        return f"gives {got.dtype}{got.shape}, book_utils {want.dtype}{want.shape}"
    nan = np.isnan(want)
    if not np.array_equal(np.isnan(got), nan):
        return f"gives {got[nan & ~np.isnan(got)][:1].tolist() or 'NaN'} where book_utils gives NaN (or the reverse)"
    rtol, atol = (1e-6, 1e-9) if want.dtype == np.float64 else (1e-3, 1e-5)
    if not np.allclose(got[~nan], want[~nan], rtol=rtol, atol=atol):
        worst = float(np.max(np.abs(got[~nan] - want[~nan])))
        return f"differs from book_utils by up to {worst:.3g}"
    return None


def measure(contenders: dict[str, Callable], repeats: int, batch_s: float) -> dict[str, tuple[float, float]]:
    """Min and median seconds per call. Each contender is calibrated to a batch of
    about batch_s; then, per repeat, each runs one batch, in rotating order."""
    names = list(contenders)
    number = {}
    for name in names:
        f = contenders[name]
        f()  # warm: lazy imports, first-touch pages
        start = time.perf_counter()
        f()
        elapsed = time.perf_counter() - start
        number[name] = max(1, min(100_000, int(batch_s / max(elapsed, 1e-8))))
    samples: dict[str, list[float]] = {name: [] for name in names}
    enabled = gc.isenabled()
    gc.disable()
    try:
        for r in range(repeats):
            k = r % len(names)
            for name in names[k:] + names[:k]:
                f, n = contenders[name], number[name]
                start = time.perf_counter()
                for _ in range(n):
                    f()
                samples[name].append((time.perf_counter() - start) / n)
    finally:
        if enabled:
            gc.enable()
    return {name: (min(s), statistics.median(s)) for name, s in samples.items()}


def peak_bytes(f: Callable) -> int:
    """tracemalloc peak over one call alone (NumPy reports its buffers to tracemalloc)."""
    f()  # warm, so that nothing but the call's own allocations is counted
    gc.collect()
    tracemalloc.start()
    try:
        result = f()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


@dataclass
class Cell:
    name: str
    kind: str
    dtype: str
    size: str
    judged: bool  # the 1e6 size (softmax family: every shape): the speed and memory targets apply
    ours: tuple[float, float]
    peer: str
    peer_t: tuple[float, float]
    floor: float
    torch_t: float | None
    peak: float
    peer_peak: float
    fixed_us: float
    peer_fixed_us: float
    misses: list[str] = field(default_factory=list)


def repeats(opts) -> int:
    return opts.repeats or (3 if opts.quick else 15)


def run(opts) -> tuple[list[Cell], list[str]]:
    n_repeats = repeats(opts)
    sizes = QUICK_SIZES if opts.quick else SIZES
    selected = benches()
    if opts.only:
        wanted = opts.only.split(",")
        unknown = sorted(set(wanted) - {b.name for b in selected})
        if unknown:
            raise SystemExit(f"--only: unknown {unknown}; known: {', '.join(b.name for b in selected)}")
        selected = [b for b in selected if b.name in wanted]

    cells, notes = [], []
    for bench in selected:
        started = time.perf_counter()
        for dlabel, dtype in DTYPES.items():
            # Check every peer and the torch call against book_utils at ordinary points;
            # an element-wise peer also at NaN, which must give NaN there (a formulation
            # that turns NaN into 0 or 1 computes another function: the one-pass
            # (x > 0).astype for relu', zeros_like for step'). The torch column is
            # not judged: its derivatives by comparison are kept.
            probe = data((7, 13) if bench.kind != "elementwise" else (4099,), dtype)
            want = np.asarray(bench.func(probe))
            with_nan = probe.copy()
            if bench.kind == "elementwise":
                with_nan[::97] = np.nan
            want_nan = np.asarray(bench.func(with_nan))
            peers = []
            for label, f in PEERS[bench.name]:
                why = check(bench.name, f, probe, want) or check(bench.name, f, with_nan, want_nan)
                if why:
                    notes.append(f"peer {bench.name} [{label}] {dlabel} rejected: {why}")
                else:
                    peers.append((label, f))
            if not peers:
                raise SystemExit(f"every peer of {bench.name} ({dlabel}) is wrong; see above: {notes[-1]}")
            torch_ok = torch is not None and torch_call(bench.name, torch.from_numpy(probe)) is not None
            if torch_ok:
                why = check(bench.name, partial(_torch_once, bench.name), probe, want, _to_np)
                if why:
                    notes.append(f"torch {bench.name} {dlabel} left out: {why}")
                    torch_ok = False

            # Fixed cost: a 1-element array (the Jacobians and the softmax family: 1x2, the
            # smallest input that is not a special case), min over many calls.
            one = np.array([0.5], dtype) if bench.kind == "elementwise" else np.array([[0.5, -0.5]], dtype)
            small = {"ours": partial(bench.func, one)} | {label: partial(f, one) for label, f in peers}
            fixed = measure(small, repeats=max(n_repeats, 7), batch_s=0.002 if opts.quick else 0.004)
            fixed_us = fixed.pop("ours")[0] * 1e6
            peer_fixed_us = min(t for t, _ in fixed.values()) * 1e6

            for slabel, shape, judged in sizes[bench.kind]:
                x = data(shape, dtype)
                out_shape = np.shape(bench.func(x))
                # Memory is judged against what a call must hold anyway: the input, or
                # for a Jacobian the output, which alone is n times the input.
                held = x.nbytes if bench.kind != "jacobian" else max(x.nbytes, x.itemsize * math.prod(out_shape))
                floor_x = x if out_shape == x.shape else data(out_shape, dtype)
                contenders = {"ours": partial(bench.func, x), "floor": partial(np.multiply, floor_x, 1.0)}
                contenders |= {f"peer:{label}": partial(f, x) for label, f in peers}
                if torch_ok:
                    contenders["torch"] = torch_call(bench.name, torch.from_numpy(x))
                big = x.nbytes >= 1_000_000
                times = measure(contenders, repeats=n_repeats, batch_s=0.001 if big else 0.003)
                best = min((k for k in times if k.startswith("peer:")), key=lambda k: times[k][0])
                peer_f = dict(peers)[best.removeprefix("peer:")]
                cells.append(
                    Cell(
                        name=bench.name,
                        kind=bench.kind,
                        dtype=dlabel,
                        size=slabel,
                        judged=judged,
                        ours=times["ours"],
                        peer=best.removeprefix("peer:"),
                        peer_t=times[best],
                        floor=times["floor"][0],
                        torch_t=times["torch"][0] if "torch" in times else None,
                        peak=peak_bytes(partial(bench.func, x)) / held,
                        peer_peak=peak_bytes(partial(peer_f, x)) / held,
                        fixed_us=fixed_us,
                        peer_fixed_us=peer_fixed_us,
                    )
                )
        print(f"  {bench.name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return cells, notes


def _to_np(t) -> np.ndarray:
    return t.numpy()


def _torch_once(name: str, x: np.ndarray):
    return torch_call(name, torch.from_numpy(x))()


def judge(cell: Cell) -> None:
    if cell.judged and cell.ours[0] / cell.peer_t[0] > SPEED_TARGET:
        cell.misses.append("speed")
    if cell.judged and cell.peak > MEMORY_TARGET:
        cell.misses.append("memory")
    if cell.kind == "elementwise" and cell.fixed_us > FIXED_TARGET_US:
        cell.misses.append("fixed")


# --- import time ------------------------------------------------------------------


def import_times(runs: int) -> tuple[float, float, str]:
    """Min over fresh subprocesses (interleaved) of the time `import numpy` and
    `import book_utils` take, and what book_utils's modules import that costs most."""
    env = dict(os.environ)
    root = str(Path(bu.__file__).resolve().parents[1])  # the book_utils measured here
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    code = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"
    best = {"numpy": math.inf, "book_utils": math.inf}
    for _ in range(runs):
        for module in best:
            out = subprocess.run(
                [sys.executable, "-c", code.format(module)], env=env, capture_output=True, text=True, check=True
            )
            best[module] = min(best[module], float(out.stdout))
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import book_utils"], env=env, capture_output=True, text=True
    ).stderr
    # Lines "import time: self | cumulative | name", children before their parent, the
    # depth in the name's indent. Shown: what book_utils's own modules import from
    # elsewhere (their direct non-book_utils children), largest cumulative first.
    pending: list[tuple[int, str, int]] = []  # (depth, name, cumulative us) not yet given a parent
    outside: dict[str, int] = {}
    for line in trace.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].strip()
        depth = len(parts[2]) - len(parts[2].lstrip())
        children = [c for c in pending if c[0] > depth]
        pending = [c for c in pending if c[0] <= depth] + [(depth, name, int(parts[1]))]
        if name.startswith("book_utils"):
            for _, child, us in children:
                if not child.startswith("book_utils"):
                    outside[child] = outside.get(child, 0) + us
    top = sorted(outside.items(), key=lambda item: -item[1])[:4]
    breakdown = "book_utils imports " + ", ".join(f"{name} {us / 1e3:.0f} ms" for name, us in top)
    return best["numpy"], best["book_utils"], breakdown


# --- the table -------------------------------------------------------------------


def fmt_t(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def header_lines(opts) -> list[str]:
    root = Path(bu.__file__).resolve().parents[1]
    rev = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    git = ["git", "-C", str(root)]
    dirty = subprocess.run([*git, "status", "--porcelain", "book_utils"], capture_output=True, text=True)
    commit = rev.stdout.strip() + (" (book_utils modified)" if dirty.stdout.strip() else "")
    threads = ", ".join(f"{v}={os.environ.get(v)}" for v in THREAD_VARS)
    tv = f"torch {torch.__version__} ({torch.get_num_threads()} thread)" if torch else "torch not installed"
    return [
        f"book_utils numerics benchmark ({'quick' if opts.quick else 'full'}), {time.strftime('%Y-%m-%d %H:%M')}",
        f"book_utils {bu.__file__} at {commit}",
        f"Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}, {tv}; {threads}",
        f"{platform.machine()}, {os.cpu_count()} CPUs; {repeats(opts)} repeats per cell, in rotating order",
    ]


COLUMNS = (
    f"{'':<4}{'dtype':<6}{'size':<11}{'ours min':>10}{'ours med':>10}  {'best peer':<31}{'peer min':>10}"
    f"{'xpeer':>7}{'(med)':>7}{'xfloor':>8}{'xtorch':>8}{'pk/in':>7}{'(peer)':>7}{'fixed us':>10}{'(peer)':>7}  verdict"
)


def row_line(c: Cell) -> str:
    ratio = c.ours[0] / c.peer_t[0]
    ratio_med = c.ours[1] / c.peer_t[1]
    xtorch = f"{c.ours[0] / c.torch_t:8.2f}" if c.torch_t else f"{'-':>8}"
    verdict = "MISS " + ",".join(c.misses) if c.misses else "ok"
    return (
        f"{'':<4}{c.dtype:<6}{c.size:<11}{fmt_t(c.ours[0]):>10}{fmt_t(c.ours[1]):>10}  {c.peer:<31.31}"
        f"{fmt_t(c.peer_t[0]):>10}{ratio:7.2f}{ratio_med:7.2f}{c.ours[0] / c.floor:8.1f}{xtorch}"
        f"{c.peak:7.1f}{c.peer_peak:7.1f}{c.fixed_us:10.1f}{c.peer_fixed_us:7.1f}  {verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats, only the 1e6 size")
    parser.add_argument("--only", metavar="NAME[,NAME]", help="these public functions only (exact names)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--repeats", type=int, help="repeats per cell (default 15, --quick 3)")
    opts = parser.parse_args()

    started = time.perf_counter()
    cells, notes = run(opts)
    np_s, bu_s, breakdown = import_times(3 if opts.quick else 9)
    import_ratio = bu_s / np_s

    print("\n".join(header_lines(opts)))
    print()
    print(COLUMNS)
    name = None
    for c in cells:
        judge(c)
        if c.name != name:
            name = c.name
            note = "  (Jacobian: size is the input, the output is n times larger; pk/in is pk/out)"
            print(f"{name}{note * (c.kind == 'jacobian')}")
        print(row_line(c))

    print()
    print(
        f"import: book_utils {bu_s * 1e3:.0f} ms / numpy {np_s * 1e3:.0f} ms = {import_ratio:.2f}x "
        f"(target <= {IMPORT_TARGET}x; min of fresh subprocesses). -X importtime: {breakdown}"
    )
    print(
        "xpeer: ours / best peer, min (median); xfloor: ours / x*1.0 on an output-sized array; "
        "pk/in: tracemalloc peak / input bytes (Jacobians: / output bytes), ours (best peer's); "
        "fixed us: 1-element call, ours (fastest peer's)"
    )
    for note in notes:
        print(note)
    if torch is not None:
        print("torch: derivatives and one_hot_argmax are hand-written tensor formulas (no autograd)")

    targets = [
        ("speed", f"<= {SPEED_TARGET}x the best NumPy/SciPy peer at 1e6", lambda c: f"{c.ours[0] / c.peer_t[0]:.2f}x"),
        ("memory", f"peak <= {MEMORY_TARGET:.0f}x the input (Jacobians: the output)", lambda c: f"{c.peak:.1f}x"),
        ("fixed", f"fixed cost <= {FIXED_TARGET_US:.0f} us (element-wise)", lambda c: f"{c.fixed_us:.1f} us"),
    ]
    print("\nSummary of misses:")
    missed = 0
    for key, text, value in targets:
        seen, items = set(), []
        for c in cells:
            if key in c.misses:
                tag = (c.name, c.dtype) if key == "fixed" else (c.name, c.dtype, c.size)
                if tag not in seen:
                    seen.add(tag)
                    items.append(" ".join(tag) + " " + value(c))
        missed += len(items)
        print(f"  {key} ({text}): {len(items)} missed" + (": " + "; ".join(items) if items else ""))
    import_ok = import_ratio <= IMPORT_TARGET
    missed += not import_ok
    print(f"  import (<= {IMPORT_TARGET}x import numpy): {'met' if import_ok else 'missed'}, {import_ratio:.2f}x")
    print(f"{'All targets met' if not missed else f'{missed} target(s) missed'}; {time.perf_counter() - started:.0f} s")
    return 1 if (opts.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
