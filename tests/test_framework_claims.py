"""What the chapters say about PyTorch and JAX, checked against PyTorch and JAX.

CLAIMS has one row per statement of a page: the page, what it says (in a few
words), `measure` -- a function of the frameworks it needs, named as the
fixtures of conftest.py (`torch`, `jax`: float64, x64 enabled) -- and
`expect`, what the page says the measurement gives. A row fails as soon as a
framework stops behaving as the page says; then the page (or the row) has to
change. Derivatives are autograd's (`torch.autograd`, `jax.grad`) in float64.

Below the claims, book_utils is compared with JAX the way
test_torch_reference.py compares it with PyTorch: values and derivatives on a
grid that includes every kink, where book_utils follows JAX's convention, and
the documented differences asserted where it does not.

PyTorch and JAX are test references (requirements-references.txt), not
dependencies of the book: without them these tests skip locally, and fail
under CI=true, where .ci/run installs them.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import book_utils as bu

from oracles import CASES, FRAMEWORKS, resolve

REQUIRED = "<required>"  # a parameter without a default, in the tables below

# PyTorch parameters about tensors rather than about the function: in-place
# update, output buffer, dtype cast, warning stack level. NumPy functions that
# return new arrays have nothing to match them with, so the comparison of
# signatures leaves them out (the page's claim is about the function's own
# parameters).
TORCH_TENSOR_MECHANICS = {"inplace", "out", "dtype", "_stacklevel"}


# --- helpers -----------------------------------------------------------------


def unresolved(module, names) -> list[str]:
    """The dotted names of `names` that do not exist in `module`."""
    missing = []
    for dotted in names:
        try:
            if not callable(resolve(module, dotted)):
                missing.append(dotted)
        except AttributeError:
            missing.append(dotted)
    return missing


def parameters(f) -> dict[str, Any]:
    """Name -> default (REQUIRED if none) of f's parameters after the input.

    From inspect.signature where f is defined in Python; for PyTorch's C
    functions (gelu, softplus, logsigmoid, heaviside), which have no
    introspectable signature, from the signature their docstring documents on
    its first line, e.g. ``softplus(input, beta=1, threshold=20) -> Tensor``.
    """
    try:
        pairs = [
            (p.name, REQUIRED if p.default is p.empty else p.default) for p in inspect.signature(f).parameters.values()
        ]
    except ValueError:
        first_line = f.__doc__.strip().splitlines()[0]
        match = re.fullmatch(r"\w+\((.*)\)\s*->\s*\w+", first_line)
        assert match, f"no documented signature for {f.__name__}: {first_line!r}"
        args = ast.parse(f"def _({match[1]}): pass").body[0].args
        positional = args.posonlyargs + args.args
        defaults = [REQUIRED] * (len(positional) - len(args.defaults)) + [ast.literal_eval(d) for d in args.defaults]
        pairs = [(a.arg, d) for a, d in zip(positional, defaults)]
        pairs += [
            (a.arg, REQUIRED if d is None else ast.literal_eval(d)) for a, d in zip(args.kwonlyargs, args.kw_defaults)
        ]
    return dict(pairs[1:])


def torch_grad(torch, f, points) -> list[float]:
    """d f / dx at each point, by torch.autograd in float64."""
    t = torch.tensor(np.asarray(points, dtype=np.float64), dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(f(t).sum(), t)
    assert grad.dtype == torch.float64
    return grad.tolist()


def jax_grad(jax, f, points) -> list[float]:
    """d f / dx at each point, by jax.grad in float64."""
    grad = jax.vmap(jax.grad(f))(jax.numpy.asarray(points, dtype=jax.numpy.float64))
    assert grad.dtype == jax.numpy.float64, "jax_enable_x64 is off"
    return np.asarray(grad).tolist()


def torch_values(torch, f, points) -> list[float]:
    return f(torch.tensor(np.asarray(points, dtype=np.float64), dtype=torch.float64)).tolist()


def jax_values(jax, f, points) -> np.ndarray:
    return np.asarray(f(jax.numpy.asarray(points, dtype=jax.numpy.float64)))


def same(a, b) -> bool:
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


# --- book_utils and PyTorch: names and signatures ---------------------------

# Each public book_utils function (not the *_prime ones) and its PyTorch
# counterpart. one_hot_argmax is a helper with none.
PYTORCH_COUNTERPART = {
    name: FRAMEWORKS[row.name].torch
    for row in bu.catalogue.ACTIVATIONS
    if FRAMEWORKS[row.name].torch
    for name in (row.name, *row.aliases)
}
NO_PYTORCH_COUNTERPART = {fn.__name__ for fn in bu.catalogue.HELPERS}

# Where book_utils' name is not PyTorch's name with underscores added.
NAME_EXCEPTIONS = {
    "swish": "torch.nn.functional.silu",  # PyTorch has no `swish` alias
    "step": "torch.heaviside",
    "one_hot_argmax": None,
}

# Every book_utils function whose parameters (names or defaults, after the
# input) differ from PyTorch's, and how. modern.md says book_utils has
# PyTorch's parameter names and defaults: true of all the other functions
# only, so the page has to list these as exceptions.
SIGNATURE_EXCEPTIONS = {
    "sigmoid": {"book_utils only": {"a": 1.0}},  # the gain of sigma(a x)
    "softplus": {"PyTorch only": {"beta": 1, "threshold": 20}},
    "softmax": {"book_utils only": {"axis": -1}, "PyTorch only": {"dim": None}},
    "log_softmax": {"book_utils only": {"axis": -1}, "PyTorch only": {"dim": None}},
    "silu": {"book_utils only": {"beta": 1.0}},
    "swish": {"book_utils only": {"beta": 1.0}},
    "step": {"PyTorch only": {"values": REQUIRED}},  # heaviside's value at 0; step fixes 1/2
}


def public_functions() -> set[str]:
    """The activations and helpers (the claims of modern.md are about them);
    the losses, whose arguments are not PyTorch's (logits, axis), have their
    own rows for loss.md below."""
    losses = {name for row in bu.catalogue.LOSSES for name in row.exports()}
    return {
        name
        for name in bu.__all__
        if callable(getattr(bu, name)) and not name.endswith("_prime") and name not in losses
    }


def signature_differences(torch) -> dict[str, dict[str, dict]]:
    differences = {}
    for name, dotted in PYTORCH_COUNTERPART.items():
        ours = parameters(getattr(bu, name))
        theirs = {k: v for k, v in parameters(resolve(torch, dotted)).items() if k not in TORCH_TENSOR_MECHANICS}
        difference = {
            "book_utils only": {k: v for k, v in ours.items() if k not in theirs},
            "PyTorch only": {k: v for k, v in theirs.items() if k not in ours},
            "other default": {k: (ours[k], theirs[k]) for k in ours.keys() & theirs.keys() if ours[k] != theirs[k]},
        }
        difference = {k: v for k, v in difference.items() if v}
        if difference:
            differences[name] = difference
    return differences


def first_and_left_out_parameters(torch) -> dict[str, set[str]]:
    """The input's name on each side, and the PyTorch parameters that
    signature_differences leaves out."""
    ours, theirs, left_out = set(), set(), set()
    for name, dotted in PYTORCH_COUNTERPART.items():
        ours.add(next(iter(inspect.signature(getattr(bu, name)).parameters)))
        torch_f = resolve(torch, dotted)
        try:
            theirs.add(next(iter(inspect.signature(torch_f).parameters)))
        except ValueError:  # a C function: its documented signature
            theirs.add(re.match(r"\w+\((\w+)", torch_f.__doc__.strip())[1])
        left_out |= set(parameters(torch_f)) & TORCH_TENSOR_MECHANICS
    return {"book_utils input": ours, "PyTorch input": theirs, "PyTorch parameters left out": left_out}


def name_differences(torch) -> dict[str, str | None]:
    def squash(name):
        return name.replace("_", "")

    differences = {name: None for name in NO_PYTORCH_COUNTERPART}
    for name, dotted in PYTORCH_COUNTERPART.items():
        resolve(torch, dotted)
        if squash(dotted.rsplit(".", 1)[1]) != squash(name):
            differences[name] = dotted
    return differences


# --- derivatives at kinks: book_utils against PyTorch -----------------------

KINKS = [
    # name, book_utils f', PyTorch f (F = torch.nn.functional, tensor), kinks
    ("relu", bu.relu_prime, lambda F, t: F.relu(t), [0.0]),
    ("leaky_relu", bu.leaky_relu_prime, lambda F, t: F.leaky_relu(t), [0.0]),
    ("leaky_relu 0.2", lambda x: bu.leaky_relu_prime(x, 0.2), lambda F, t: F.leaky_relu(t, 0.2), [0.0]),
    ("elu", bu.elu_prime, lambda F, t: F.elu(t), [0.0]),
    ("elu 2", lambda x: bu.elu_prime(x, 2.0), lambda F, t: F.elu(t, 2.0), [0.0]),
    ("selu", bu.selu_prime, lambda F, t: F.selu(t), [0.0]),
    ("hard_sigmoid", bu.hard_sigmoid_prime, lambda F, t: F.hardsigmoid(t), [-3.0, 3.0]),
    ("hard_swish", bu.hard_swish_prime, lambda F, t: F.hardswish(t), [-3.0, 3.0]),
    ("hard_tanh", bu.hard_tanh_prime, lambda F, t: F.hardtanh(t), [-1.0, 1.0]),
    (
        "hard_tanh -2..0.5",
        lambda x: bu.hard_tanh_prime(x, -2.0, 0.5),
        lambda F, t: F.hardtanh(t, -2.0, 0.5),
        [-2.0, 0.5],
    ),
]


def kink_mismatches(torch) -> dict[str, tuple[float, float]]:
    """'name at x' -> (book_utils, PyTorch) wherever the two derivatives differ."""
    F = torch.nn.functional
    mismatches = {}
    for name, fprime, torch_f, kinks in KINKS:
        for x, theirs in zip(kinks, torch_grad(torch, lambda t, g=torch_f: g(F, t), kinks)):
            ours = float(fprime(x))
            if ours != theirs:
                mismatches[f"{name} at {x:g}"] = (ours, theirs)
    return mismatches


# --- the claims --------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    page: str
    says: str
    measure: Callable[..., Any]
    expect: Any


CLAIMS = [
    # relu.md ---------------------------------------------------------------
    Claim(
        page="relu.md",
        says="ReLU'(0) = 0, as in PyTorch and JAX (text and summary)",
        measure=lambda torch, jax: {
            "PyTorch": torch_grad(torch, torch.nn.functional.relu, [0.0]),
            "JAX": jax_grad(jax, jax.nn.relu, [0.0]),
            "book_utils": [float(bu.relu_prime(0.0))],
        },
        expect={"PyTorch": [0.0], "JAX": [0.0], "book_utils": [0.0]},
    ),
    # modern.md, introduction and the closing sentence of the 対応表 -----------
    Claim(
        page="modern.md",
        says="book_utils names are PyTorch's, written with underscores",
        measure=name_differences,
        expect=NAME_EXCEPTIONS,
    ),
    Claim(
        page="modern.md",
        says="book_utils parameter names and defaults are PyTorch's (FALSE for these)",
        measure=signature_differences,
        expect=SIGNATURE_EXCEPTIONS,
    ),
    Claim(
        page="modern.md",
        says="book_utils derivatives at kinks are PyTorch autograd's",
        measure=kink_mismatches,
        expect={},
    ),
    # The list of differences after the 対応表 (being written as this is):
    Claim(
        page="modern.md",
        says="book_utils' input is x, PyTorch's input; PyTorch's inplace has no counterpart",
        # The page names inplace only: PyTorch's softmax and log_softmax also
        # take dtype (and _stacklevel), heaviside an out buffer.
        measure=first_and_left_out_parameters,
        expect={
            "book_utils input": {"x"},
            "PyTorch input": {"input"},
            "PyTorch parameters left out": {"inplace", "dtype", "_stacklevel", "out"},
        },
    ),
    Claim(
        page="modern.md",
        says="with a = 1 and beta = 1, book_utils sigmoid and silu are PyTorch's sigmoid and silu",
        measure=lambda torch: [
            np.allclose(bu.sigmoid(X), torch_values(torch, torch.nn.functional.sigmoid, X), rtol=1e-13, atol=0),
            np.allclose(bu.silu(X), torch_values(torch, torch.nn.functional.silu, X), rtol=1e-13, atol=0),
        ],
        expect=[True, True],
    ),
    Claim(
        page="modern.md",
        says="PyTorch softplus returns x itself where beta x > threshold (default 20); book_utils never",
        measure=lambda torch: {
            "PyTorch, x = 19.5, 20, 20.5, 30": [
                a == b
                for a, b in zip(
                    torch_values(torch, torch.nn.functional.softplus, [19.5, 20.0, 20.5, 30.0]),
                    [19.5, 20.0, 20.5, 30.0],
                )
            ],
            "PyTorch beta=2, x = 9.5, 10.5": [
                a == b
                for a, b in zip(
                    torch_values(torch, lambda t: torch.nn.functional.softplus(t, beta=2.0), [9.5, 10.5]), [9.5, 10.5]
                )
            ],
            "PyTorch threshold=40, x = 30": torch_values(
                torch, lambda t: torch.nn.functional.softplus(t, threshold=40), [30.0]
            )
            == [30.0],
            "book_utils, x = 20.5, 30": [float(bu.softplus(v)) == v for v in (20.5, 30.0)],
        },
        expect={
            "PyTorch, x = 19.5, 20, 20.5, 30": [False, False, True, True],
            "PyTorch beta=2, x = 9.5, 10.5": [False, True],
            "PyTorch threshold=40, x = 30": False,
            "book_utils, x = 20.5, 30": [False, False],
        },
    ),
    # modern.md, Leaky ReLU -----------------------------------------------------
    Claim(
        page="modern.md",
        says="PyTorch leaky_relu: parameter negative_slope, default 0.01",
        measure=lambda torch: {
            k: v for k, v in parameters(torch.nn.functional.leaky_relu).items() if k not in TORCH_TENSOR_MECHANICS
        },
        expect={"negative_slope": 0.01},
    ),
    Claim(
        page="modern.md",
        says="Leaky ReLU'(0): PyTorch autograd returns alpha, book_utils too",
        measure=lambda torch: {
            "PyTorch": torch_grad(torch, torch.nn.functional.leaky_relu, [0.0])
            + torch_grad(torch, lambda t: torch.nn.functional.leaky_relu(t, 0.2), [0.0]),
            "book_utils": [float(bu.leaky_relu_prime(0.0)), float(bu.leaky_relu_prime(0.0, 0.2))],
        },
        expect={"PyTorch": [0.01, 0.2], "book_utils": [0.01, 0.2]},
    ),
    Claim(
        page="modern.md",
        says="JAX defines leaky_relu as where(x >= 0, x, alpha x)",
        measure=lambda jax: bool(
            re.search(
                r"where\(\s*\w+\s*>=\s*0\s*,\s*\w+\s*,\s*negative_slope\s*\*\s*\w+\s*\)",
                inspect.getsource(inspect.unwrap(jax.nn.leaky_relu)),
            )
        ),
        expect=True,
    ),
    Claim(
        page="modern.md",
        says="Leaky ReLU'(0): JAX returns 1",
        measure=lambda jax: (
            jax_grad(jax, jax.nn.leaky_relu, [0.0]) + jax_grad(jax, lambda v: jax.nn.leaky_relu(v, 0.2), [0.0])
        ),
        expect=[1.0, 1.0],
    ),
    # modern.md, ELU and SELU --------------------------------------------------
    Claim(
        page="modern.md",
        says="ELU'(0) = alpha and SELU'(0) = lambda alpha (the x <= 0 side) in PyTorch, JAX and book_utils",
        measure=lambda torch, jax: {
            "PyTorch": torch_grad(torch, torch.nn.functional.elu, [0.0])
            + torch_grad(torch, lambda t: torch.nn.functional.elu(t, 2.0), [0.0])
            + torch_grad(torch, lambda t: torch.nn.functional.elu(t, 0.5), [0.0])
            + torch_grad(torch, torch.nn.functional.selu, [0.0]),
            "JAX": jax_grad(jax, jax.nn.elu, [0.0])
            + jax_grad(jax, lambda v: jax.nn.elu(v, 2.0), [0.0])
            + jax_grad(jax, lambda v: jax.nn.elu(v, 0.5), [0.0])
            + jax_grad(jax, jax.nn.selu, [0.0]),
            "book_utils": [
                float(bu.elu_prime(0.0)),
                float(bu.elu_prime(0.0, 2.0)),
                float(bu.elu_prime(0.0, 0.5)),
                float(bu.selu_prime(0.0)),
            ],
        },
        expect={
            key: [1.0, 2.0, 0.5, pytest.approx(bu.SELU_SCALE * bu.SELU_ALPHA, rel=1e-15)]
            for key in ("PyTorch", "JAX", "book_utils")
        },
    ),
    # modern.md, GELU -----------------------------------------------------------
    Claim(
        page="modern.md",
        says="PyTorch gelu uses the exact form by default (approximate='none')",
        measure=lambda torch: {
            "documented default": parameters(torch.nn.functional.gelu)["approximate"],
            "default == 'none'": same(
                torch_values(torch, torch.nn.functional.gelu, [-2.7, 1.0]),
                torch_values(torch, lambda t: torch.nn.functional.gelu(t, approximate="none"), [-2.7, 1.0]),
            ),
            "default == exact x Phi(x)": np.allclose(
                torch_values(torch, torch.nn.functional.gelu, [-2.7, 1.0]),
                bu.gelu(np.array([-2.7, 1.0])),
                rtol=1e-13,
                atol=0,
            ),
        },
        expect={"documented default": "none", "default == 'none'": True, "default == exact x Phi(x)": True},
    ),
    Claim(
        page="modern.md",
        says="JAX jax.nn.gelu uses the tanh form by default (approximate=True)",
        measure=lambda jax: {
            "default": parameters(jax.nn.gelu)["approximate"],
            "default == tanh form": np.allclose(
                jax_values(jax, jax.nn.gelu, [-2.7, 1.0]),
                bu.gelu(np.array([-2.7, 1.0]), approximate="tanh"),
                rtol=1e-13,
                atol=0,
            ),
            "default != exact form": not np.allclose(
                jax_values(jax, jax.nn.gelu, [-2.7, 1.0]), bu.gelu(np.array([-2.7, 1.0])), rtol=1e-6, atol=0
            ),
        },
        expect={"default": True, "default == tanh form": True, "default != exact form": True},
    ),
    # modern.md, SiLU -----------------------------------------------------------
    Claim(
        page="modern.md",
        says="PyTorch silu has only the beta = 1 form (no beta parameter)",
        measure=lambda torch: list(parameters(torch.nn.functional.silu)),
        expect=["inplace"],
    ),
    # modern.md, the table of hard functions ----------------------------------
    Claim(
        page="modern.md",
        says="hard sigmoid'(-3) = hard sigmoid'(3) = 0 (PyTorch, book_utils)",
        measure=lambda torch: {
            "PyTorch": torch_grad(torch, torch.nn.functional.hardsigmoid, [-3.0, 3.0]),
            "book_utils": bu.hard_sigmoid_prime(np.array([-3.0, 3.0])).tolist(),
        },
        expect={"PyTorch": [0.0, 0.0], "book_utils": [0.0, 0.0]},
    ),
    Claim(
        page="modern.md",
        says="hard swish'(-3) = 0, hard swish'(3) = 1 (PyTorch, book_utils)",
        measure=lambda torch: {
            "PyTorch": torch_grad(torch, torch.nn.functional.hardswish, [-3.0, 3.0]),
            "book_utils": bu.hard_swish_prime(np.array([-3.0, 3.0])).tolist(),
        },
        expect={"PyTorch": [0.0, 1.0], "book_utils": [0.0, 1.0]},
    ),
    Claim(
        page="modern.md",
        says="hard tanh'(-1) = hard tanh'(1) = 0 (PyTorch, book_utils); JAX hard_tanh gives 1",
        measure=lambda torch, jax: {
            "PyTorch": torch_grad(torch, torch.nn.functional.hardtanh, [-1.0, 1.0]),
            "book_utils": bu.hard_tanh_prime(np.array([-1.0, 1.0])).tolist(),
            "JAX": jax_grad(jax, jax.nn.hard_tanh, [-1.0, 1.0]),
        },
        expect={"PyTorch": [0.0, 0.0], "book_utils": [0.0, 0.0], "JAX": [1.0, 1.0]},
    ),
    # modern.md, 対応表: parameters, defaults and conventions -----------------
    Claim(
        page="modern.md",
        says="correspondence table: ReLU'(0) = 0 in both",
        measure=lambda torch, jax: (
            torch_grad(torch, torch.nn.functional.relu, [0.0]) + jax_grad(jax, jax.nn.relu, [0.0])
        ),
        expect=[0.0, 0.0],
    ),
    Claim(
        page="modern.md",
        says="correspondence table: softmax(dim=...) in PyTorch, softmax(axis=-1) in JAX",
        measure=lambda torch, jax: {
            "PyTorch": list(parameters(torch.nn.functional.softmax))[0],
            "JAX axis default": parameters(jax.nn.softmax)["axis"],
        },
        expect={"PyTorch": "dim", "JAX axis default": -1},
    ),
    Claim(
        page="modern.md",
        says="correspondence table: softmax of an input with +inf: JAX gives NaN, book_utils the one-hot limit",
        measure=lambda jax: {
            "JAX": np.isnan(jax_values(jax, jax.nn.softmax, [np.inf, 0.0, 1.0])).tolist(),
            "book_utils": bu.softmax(np.array([np.inf, 0.0, 1.0])).tolist(),
        },
        expect={"JAX": [True, True, True], "book_utils": [1.0, 0.0, 0.0]},
    ),
    Claim(
        page="modern.md",
        says="correspondence table: leaky_relu(negative_slope=0.01) in both",
        measure=lambda torch, jax: [
            parameters(torch.nn.functional.leaky_relu)["negative_slope"],
            parameters(jax.nn.leaky_relu)["negative_slope"],
        ],
        expect=[0.01, 0.01],
    ),
    Claim(
        page="modern.md",
        says="correspondence table: Leaky ReLU'(0) is 0.01 in PyTorch, 1 in JAX",
        measure=lambda torch, jax: (
            torch_grad(torch, torch.nn.functional.leaky_relu, [0.0]) + jax_grad(jax, jax.nn.leaky_relu, [0.0])
        ),
        expect=[0.01, 1.0],
    ),
    Claim(
        page="modern.md",
        says="correspondence table: elu(alpha=1.0) in both",
        measure=lambda torch, jax: [parameters(torch.nn.functional.elu)["alpha"], parameters(jax.nn.elu)["alpha"]],
        expect=[1.0, 1.0],
    ),
    Claim(
        page="modern.md",
        says="correspondence table: gelu(approximate='none') in PyTorch, gelu(approximate=True) in JAX",
        measure=lambda torch, jax: [
            parameters(torch.nn.functional.gelu)["approximate"],
            parameters(jax.nn.gelu)["approximate"],
        ],
        expect=["none", True],
    ),
    Claim(
        page="modern.md",
        says="correspondence table: JAX silu = swish; both frameworks only beta = 1",
        measure=lambda torch, jax: {
            "jax.nn.swish is jax.nn.silu": jax.nn.swish is jax.nn.silu,
            "PyTorch silu parameters": list(parameters(torch.nn.functional.silu)),
            "JAX silu parameters": list(parameters(jax.nn.silu)),
        },
        expect={"jax.nn.swish is jax.nn.silu": True, "PyTorch silu parameters": ["inplace"], "JAX silu parameters": []},
    ),
    Claim(
        page="modern.md",
        says="correspondence table: JAX hard_swish = hard_silu",
        measure=lambda jax: jax.nn.hard_swish is jax.nn.hard_silu,
        expect=True,
    ),
    Claim(
        page="modern.md",
        says="correspondence table: hard tanh'(-1), hard tanh'(1) are 0 in PyTorch, 1 in JAX",
        measure=lambda torch, jax: (
            torch_grad(torch, torch.nn.functional.hardtanh, [-1.0, 1.0]) + jax_grad(jax, jax.nn.hard_tanh, [-1.0, 1.0])
        ),
        expect=[0.0, 0.0, 1.0, 1.0],
    ),
    Claim(
        page="modern.md",
        says="correspondence table: log_softmax(dim=...) in PyTorch, log_softmax(axis=-1) in JAX",
        measure=lambda torch, jax: {
            "PyTorch": list(parameters(torch.nn.functional.log_softmax))[0],
            "JAX axis default": parameters(jax.nn.log_softmax)["axis"],
        },
        expect={"PyTorch": "dim", "JAX axis default": -1},
    ),
    Claim(
        page="modern.md",
        says="correspondence table: heaviside's value at x = 0 is an argument (torch.heaviside, jax.numpy.heaviside)",
        measure=lambda torch, jax: {
            "PyTorch": [
                torch.heaviside(
                    torch.tensor([-1.0, 0.0, 1.0], dtype=torch.float64), torch.tensor(v, dtype=torch.float64)
                ).tolist()
                for v in (0.0, 0.5, 1.0)
            ],
            "JAX": [
                np.asarray(jax.numpy.heaviside(jax.numpy.asarray([-1.0, 0.0, 1.0]), v)).tolist()
                for v in (0.0, 0.5, 1.0)
            ],
        },
        expect={
            "PyTorch": [[0.0, 0.0, 1.0], [0.0, 0.5, 1.0], [0.0, 1.0, 1.0]],
            "JAX": [[0.0, 0.0, 1.0], [0.0, 0.5, 1.0], [0.0, 1.0, 1.0]],
        },
    ),
]


CLAIMS += [
    # modern.md, the comparison of PyTorch and JAX under the 対応表 ------------
    Claim(
        page="modern.md",
        says="PyTorch hardtanh has min_val and max_val; JAX hard_tanh has only x",
        measure=lambda torch, jax: {
            "PyTorch": parameters(torch.nn.functional.hardtanh),
            "JAX": list(inspect.signature(jax.nn.hard_tanh).parameters),
        },
        expect={"PyTorch": {"min_val": -1.0, "max_val": 1.0, "inplace": False}, "JAX": ["x"]},
    ),
    Claim(
        page="modern.md",
        says="PyTorch softplus has beta and threshold; JAX softplus has only x",
        measure=lambda torch, jax: {
            "PyTorch": parameters(torch.nn.functional.softplus),
            "JAX": list(inspect.signature(jax.nn.softplus).parameters),
        },
        expect={"PyTorch": {"beta": 1, "threshold": 20}, "JAX": ["x"]},
    ),
    Claim(
        page="modern.md",
        says="PyTorch softmax without dim warns that the implicit choice is deprecated",
        measure=lambda torch: _warning_of(lambda: torch.nn.functional.softmax(torch.zeros(3))),
        expect=(UserWarning, "Implicit dimension choice for softmax has been deprecated"),
    ),
]


# loss.md ----------------------------------------------------------------------

LOGITS = np.array([-1000.0, -40.0, -3.0, -0.5, 0.0, 0.5, 3.0, 40.0, 1000.0])
LABELS = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
ROWS = np.random.default_rng(7).normal(0, 3, size=(6, 4))
ROWS[0] = [1000.0, 0.0, -2.0, 5.0]
CLASSES = np.array([1, 0, 3, 2, 2, 0])


def _torch_losses_take_logits(torch) -> dict:
    """The losses apply the sigmoid / log-softmax themselves: they agree with the
    definitions evaluated from the logits, and with book_utils."""
    F = torch.nn.functional
    z, y = torch.tensor(LOGITS, dtype=torch.float64), torch.tensor(LABELS, dtype=torch.float64)
    bce = F.binary_cross_entropy_with_logits(z, y, reduction="none").numpy()
    by_definition = -(LABELS * np.asarray(F.logsigmoid(z)) + (1 - LABELS) * np.asarray(F.logsigmoid(-z)))
    rows = torch.tensor(ROWS, dtype=torch.float64)
    ce = F.cross_entropy(rows, torch.tensor(CLASSES), reduction="none").numpy()
    log_s = F.log_softmax(rows, dim=1).numpy()
    # Absolute 1e-15: PyTorch 2.13 gives 0 for BCE(-40, y = 0), whose value is e^-40 = 4.2e-18
    # (log(1 + e^-40) without log1p in that branch); book_utils keeps it.
    ours_bce = bu.binary_cross_entropy_with_logits(LOGITS, LABELS, reduction="none")
    return {
        "BCE from logits": bool(np.allclose(bce, by_definition, rtol=1e-14, atol=1e-15)),
        "BCE = book_utils": bool(np.allclose(bce, ours_bce, rtol=1e-14, atol=1e-15)),
        "CE from logits": bool(np.allclose(ce, -log_s[np.arange(6), CLASSES], rtol=1e-14, atol=0)),
        "CE = book_utils": bool(np.allclose(ce, bu.cross_entropy(ROWS, CLASSES, reduction="none"), rtol=1e-14, atol=0)),
    }


def _cross_entropy_is_log_softmax_then_nll(torch) -> bool:
    F = torch.nn.functional
    rows, classes = torch.tensor(ROWS, dtype=torch.float64), torch.tensor(CLASSES)
    return all(
        torch.equal(
            F.cross_entropy(rows, classes, reduction=r), F.nll_loss(F.log_softmax(rows, dim=1), classes, reduction=r)
        )
        for r in ("mean", "sum", "none")
    )


def _binary_cross_entropy_clamps_the_log(torch) -> dict:
    F = torch.nn.functional
    z = torch.tensor([1000.0], dtype=torch.float64)
    y = torch.tensor([0.0], dtype=torch.float64)
    p = torch.sigmoid(z)
    return {
        "p = sigma(1000)": p.item(),
        "binary_cross_entropy(p, 0)": F.binary_cross_entropy(p, y).item(),
        "binary_cross_entropy(1 - 2^-52, 0) = -log(2^-52)": F.binary_cross_entropy(
            torch.tensor([1 - 2.0**-52], dtype=torch.float64), y
        ).item()
        == 52 * np.log(2),
        "binary_cross_entropy_with_logits(1000, 0)": F.binary_cross_entropy_with_logits(z, y).item(),
        "book_utils": float(bu.binary_cross_entropy_with_logits(1000.0, 0.0)),
    }


def _mse_loss_has_no_half(torch) -> dict:
    """mse_loss on N = 4 data with 3 outputs: the mean of (z - y)^2 over all 12 elements, so its
    gradient is 2 (z - y) / (N x outputs)."""
    F = torch.nn.functional
    z = torch.tensor(ROWS[:4, :3], dtype=torch.float64, requires_grad=True)
    y = torch.tensor(ROWS[2:, 1:], dtype=torch.float64)
    loss = F.mse_loss(z, y)
    (grad,) = torch.autograd.grad(loss, z)
    diff = (z - y).detach().numpy()
    return {
        "value = mean((z - y)^2)": bool(np.isclose(loss.item(), np.mean(diff**2), rtol=1e-15)),
        "gradient = 2 (z - y) / (N x outputs)": bool(np.allclose(grad.numpy(), 2 * diff / 12, rtol=1e-15)),
    }


def _what_the_mean_divides_by(torch) -> dict:
    """reduction="mean" (the default): mse_loss and binary_cross_entropy_with_logits divide the sum
    by the number of elements (data x outputs, so a multi-label loss is averaged over the labels
    too); cross_entropy divides by the number of data N, for class indices and probabilities."""
    F = torch.nn.functional
    rows = torch.tensor(ROWS, dtype=torch.float64)  # N = 6 data, 4 outputs
    n, outputs = ROWS.shape
    targets01 = torch.tensor((ROWS[::-1] > 0).astype(float), dtype=torch.float64)  # multi-label 0/1
    probabilities = torch.softmax(torch.tensor(ROWS[::-1].copy(), dtype=torch.float64), dim=1)
    classes = torch.tensor(CLASSES)

    def divisor(f, *args):
        return round(f(*args, reduction="sum").item() / f(*args).item(), 9)

    return {
        "mse_loss": divisor(F.mse_loss, rows, targets01),
        "binary_cross_entropy_with_logits": divisor(F.binary_cross_entropy_with_logits, rows, targets01),
        "cross_entropy, class indices": divisor(F.cross_entropy, rows, classes),
        "cross_entropy, probabilities": divisor(F.cross_entropy, rows, probabilities),
        "data x outputs, data": (n * outputs, n),
        "default reduction": {
            name: parameters(f)["reduction"]
            for name, f in [
                ("mse_loss", F.mse_loss),
                ("binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits),
                ("cross_entropy", F.cross_entropy),
            ]
        },
    }


def _probabilities_passed_as_logits(torch) -> dict:
    """Applying sigmoid / softmax before the losses that take logits: no error, no warning, and the
    loss can no longer approach 0 -- it stays above log(1 + 1/e) (binary) and log(1 + (C - 1)/e)
    (C classes), however large the correct logit, while the gradient with respect to the logits
    vanishes."""
    import warnings

    F = torch.nn.functional
    n_classes = 10
    margins = [5.0, 20.0, 40.0]
    rows = torch.zeros(len(margins), n_classes, dtype=torch.float64)
    rows[:, 0] = torch.tensor(margins, dtype=torch.float64)
    rows.requires_grad_(True)
    z = torch.tensor(margins, dtype=torch.float64, requires_grad=True)
    ones = torch.ones(len(margins), dtype=torch.float64)
    zeros = torch.zeros(len(margins), dtype=torch.long)  # class 0 is correct
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        twice_ce = F.cross_entropy(torch.softmax(rows, dim=1), zeros, reduction="none")
        twice_bce = F.binary_cross_entropy_with_logits(torch.sigmoid(z), ones, reduction="none")
    (grad_rows,) = torch.autograd.grad(twice_ce.sum(), rows)
    (grad_z,) = torch.autograd.grad(twice_bce.sum(), z)
    ce_floor, bce_floor = np.log(1 + (n_classes - 1) / np.e), np.log(1 + 1 / np.e)
    right = F.cross_entropy(rows.detach(), zeros, reduction="none")
    ce, bce = twice_ce.detach().numpy(), twice_bce.detach().numpy()
    return {
        "warnings": len(caught),
        "CE above log(1 + 9/e), approaching it": bool(
            np.all(ce >= ce_floor - 1e-12) and np.isclose(ce[-1], ce_floor, rtol=1e-12)
        ),
        "BCE above log(1 + 1/e), approaching it": bool(
            np.all(bce >= bce_floor - 1e-12) and np.isclose(bce[-1], bce_floor, rtol=1e-12)
        ),
        "correct use approaches 0": bool(right[-1].item() < 1e-15),
        "gradient vanishes": bool(grad_rows[-1].abs().max().item() < 1e-15 and abs(grad_z[-1].item()) < 1e-15),
        "equals book_utils on the probabilities": bool(
            np.allclose(
                ce,
                bu.cross_entropy(bu.softmax(rows.detach().numpy()), zeros.numpy(), reduction="none"),
                rtol=1e-14,
                atol=0,
            )
        ),
    }


def _label_smoothing_for_both_target_kinds(torch) -> dict:
    """PyTorch's label_smoothing eps replaces the target q by (1 - eps) q + eps / C, for class
    indices and for class probabilities alike."""
    F = torch.nn.functional
    rows, classes = torch.tensor(ROWS, dtype=torch.float64), torch.tensor(CLASSES)
    eps, n = 0.1, ROWS.shape[1]
    one_hot = torch.tensor(np.eye(n)[CLASSES], dtype=torch.float64)
    probabilities = torch.softmax(torch.tensor(ROWS[::-1].copy(), dtype=torch.float64), dim=1)
    out = {}
    for name, target, q in [("indices", classes, one_hot), ("probabilities", probabilities, probabilities)]:
        smoothed = F.cross_entropy(rows, target, label_smoothing=eps, reduction="none")
        by_hand = F.cross_entropy(rows, (1 - eps) * q + eps / n, reduction="none")
        out[name] = bool(torch.allclose(smoothed, by_hand, rtol=1e-14, atol=0))
    return out


CLAIMS += [
    Claim(
        page="loss.md",
        says="binary_cross_entropy_with_logits and cross_entropy take logits, not probabilities",
        measure=_torch_losses_take_logits,
        expect={"BCE from logits": True, "BCE = book_utils": True, "CE from logits": True, "CE = book_utils": True},
    ),
    Claim(
        page="loss.md",
        says="cross_entropy gives the values of log_softmax followed by nll_loss",
        measure=_cross_entropy_is_log_softmax_then_nll,
        expect=True,
    ),
    Claim(
        page="loss.md",
        says="binary_cross_entropy (probabilities) clamps the log at -100: 100, not 1000, at p = sigma(1000), y = 0",
        measure=_binary_cross_entropy_clamps_the_log,
        expect={
            "p = sigma(1000)": 1.0,
            "binary_cross_entropy(p, 0)": 100.0,
            "binary_cross_entropy(1 - 2^-52, 0) = -log(2^-52)": True,
            "binary_cross_entropy_with_logits(1000, 0)": 1000.0,
            "book_utils": 1000.0,
        },
    ),
    Claim(
        page="loss.md",
        says="the table's PyTorch functions: mse_loss, binary_cross_entropy_with_logits, cross_entropy",
        measure=lambda torch: unresolved(
            torch,
            [
                "torch.nn.functional.mse_loss",
                "torch.nn.functional.binary_cross_entropy_with_logits",
                "torch.nn.functional.cross_entropy",
            ],
        ),
        expect=[],
    ),
    Claim(
        page="loss.md",
        says="mse_loss is the mean of (z - y)^2 without 1/2: its gradient is 2 (z - y) / (number of elements)",
        measure=_mse_loss_has_no_half,
        expect={"value = mean((z - y)^2)": True, "gradient = 2 (z - y) / (N x outputs)": True},
    ),
    Claim(
        page="loss.md",
        says='reduction="mean" (default): mse_loss, BCE with logits divide by data x outputs; cross_entropy by N',
        measure=_what_the_mean_divides_by,
        expect={
            "mse_loss": 24.0,
            "binary_cross_entropy_with_logits": 24.0,
            "cross_entropy, class indices": 6.0,
            "cross_entropy, probabilities": 6.0,
            "data x outputs, data": (24, 6),
            "default reduction": {
                "mse_loss": "mean",
                "binary_cross_entropy_with_logits": "mean",
                "cross_entropy": "mean",
            },
        },
    ),
    Claim(
        page="loss.md",
        says="よくある誤り: sigmoid/softmax before the logit losses runs silently; the loss cannot reach 0",
        measure=_probabilities_passed_as_logits,
        expect={
            "warnings": 0,
            "CE above log(1 + 9/e), approaching it": True,
            "BCE above log(1 + 1/e), approaching it": True,
            "correct use approaches 0": True,
            "gradient vanishes": True,
            "equals book_utils on the probabilities": True,
        },
    ),
    Claim(
        page="loss.md",
        says="the exercise on choosing: torch.sigmoid and torch.softmax give the probabilities at inference",
        measure=lambda torch: unresolved(torch, ["torch.sigmoid", "torch.softmax"]),
        expect=[],
    ),
    Claim(
        page="loss.md",
        says="cross_entropy's label_smoothing applies (1 - eps) q + eps / C to class indices and to probabilities",
        measure=_label_smoothing_for_both_target_kinds,
        expect={"indices": True, "probabilities": True},
    ),
]


CLAIMS += [
    Claim(
        page="loss.md",
        says="book_utils' two losses have PyTorch's names (catalogue.LOSSES), which PyTorch has",
        measure=lambda torch: {
            row.name: (row.torch == f"torch.nn.functional.{row.name}", unresolved(torch, [row.torch]))
            for row in bu.catalogue.LOSSES
        },
        expect={
            "binary_cross_entropy_with_logits": (True, []),
            "cross_entropy": (True, []),
        },
    ),
]


def _warning_of(call):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return (caught[0].category, str(caught[0].message).split(".")[0]) if caught else None


@pytest.mark.parametrize("row", CLAIMS, ids=[f"{row.page}: {row.says}" for row in CLAIMS])
def test_claim(row, request):
    frameworks = {
        name: request.getfixturevalue(name)
        for name in inspect.signature(row.measure).parameters
        if name in ("torch", "jax")
    }
    assert row.measure(**frameworks) == row.expect, f"{row.page} says: {row.says}"


def test_the_name_and_signature_tables_cover_every_book_utils_function():
    assert set(PYTORCH_COUNTERPART) | NO_PYTORCH_COUNTERPART == public_functions()
    assert set(SIGNATURE_EXCEPTIONS) <= set(PYTORCH_COUNTERPART)


def test_the_catalogue_names_the_frameworks_functions():
    """The catalogue (and so the correspondence table) against the answers above."""
    rows = {row.name: row for row in bu.catalogue.ACTIVATIONS}
    assert set(rows) == set(FRAMEWORKS), "tests/oracles.py FRAMEWORKS must have a line per catalogue row"
    for name, row in rows.items():
        assert row.torch == FRAMEWORKS[name].torch, name
        assert row.jax == FRAMEWORKS[name].jax, name


def test_the_framework_names_exist(torch, jax):
    names = [n for row in bu.catalogue.ACTIVATIONS for n in (row.torch, *row.jax)]
    assert unresolved(torch, [n for n in names if n.startswith("torch.")]) == []
    assert unresolved(jax, [n for n in names if n.startswith("jax.")]) == []
    # Aliases are the same function, as the table's "=" says.
    for row in bu.catalogue.ACTIVATIONS:
        first, *aliases = (resolve(jax, n) for n in row.jax)
        assert all(alias is first for alias in aliases), row.name


# --- book_utils against JAX ----------------------------------------------------

X = np.concatenate([np.linspace(-12, 12, 961), [-3.0, -1.0, 0.0, 1.0, 3.0, -40.0, 40.0]])

PIECEWISE = {row.name for row in bu.catalogue.elementwise() if row.kinks}


def jax_call(name: str, kw: dict):
    """JAX's counterpart (tests/oracles.py, FRAMEWORKS) as (jax, array) -> array."""
    fw = FRAMEWORKS[name]
    return lambda jax, x: resolve(jax, fw.jax[0])(x, *fw.jax_args, **fw.jax_kwargs(kw))


JAX_MORE = {"leaky_relu": [{"negative_slope": 0.2}], "elu": [{"alpha": 2.0}]}


def _label(name: str, kw: dict) -> str:
    return name + "".join(f"[{k}={v}]" for k, v in kw.items())


def jax_cases():
    """(name, book_utils f, f', the same in JAX: (jax, array) -> array)."""
    out = []
    for case in CASES:
        name = case.name.split("[")[0]
        if FRAMEWORKS[name].jax:
            out.append((case.name, case.f, case.fprime, jax_call(name, case.kwargs)))
    for name, settings in JAX_MORE.items():
        row = bu.catalogue.get(name)
        for kw in settings:
            out.append(
                (
                    _label(name, kw),
                    functools.partial(row.f, **kw),
                    functools.partial(row.fprime, **kw),
                    jax_call(name, kw),
                )
            )
    return out


JAX_CASES = jax_cases()


# Where book_utils follows PyTorch and not JAX (modern.md says so): at these
# kinks JAX's derivative is the one given here, book_utils' is PyTorch's
# (checked by the claims above and by test_torch_reference.py).
JAX_KINK_DIFFERENCES = {
    ("leaky_relu", 0.0): 1.0,
    ("leaky_relu[negative_slope=0.2]", 0.0): 1.0,
    ("hard_tanh", -1.0): 1.0,
    ("hard_tanh", 1.0): 1.0,
}

# At -inf/+inf book_utils gives the limit; there JAX computes inf * 0 or
# inf / inf and gives NaN. modern.md states this list in its differences.
JAX_NAN_AT_INFINITY = {
    ("gelu", -np.inf),
    ("gelu[approximate=tanh]", -np.inf),
    ("silu", -np.inf),
    ("mish", -np.inf),
    ("hard_swish", -np.inf),
    ("softsign", -np.inf),
    ("softsign", np.inf),
}


@pytest.mark.parametrize("name,f,fprime,jax_f", JAX_CASES, ids=[c[0] for c in JAX_CASES])
def test_matches_jax(name, f, fprime, jax_f, jax):
    xs = jax.numpy.asarray(X)
    values = np.asarray(jax_f(jax, xs))
    grad = np.asarray(jax.vmap(jax.grad(lambda v: jax_f(jax, v)))(xs))
    assert values.dtype == grad.dtype == np.float64
    # As against PyTorch: 1e-13 relative or 1e-14 absolute. JAX's tanh form
    # of GELU computes 1 + tanh(u), which cancels for x < -5: its derivative
    # is off by up to ~4e-14 absolute there (book_utils is checked against
    # mpmath in test_values.py).
    atol_prime = 1e-13 if name == "gelu[approximate=tanh]" else 1e-14
    assert np.allclose(f(X), values, rtol=1e-13, atol=1e-14), name

    documented = np.zeros(X.shape, dtype=bool)
    for (case, x), jax_value in JAX_KINK_DIFFERENCES.items():
        if case == name:
            at = X == x
            assert at.any()
            assert np.all(grad[at] == jax_value), f"{name}'({x:g}): JAX gives {grad[at]}, the page says {jax_value}"
            assert np.all(fprime(X[at]) != jax_value), f"{name}'({x:g}): book_utils now follows JAX"
            documented |= at
    assert np.allclose(fprime(X)[~documented], grad[~documented], rtol=1e-13, atol=atol_prime), name

    # The conventions at kinks, with no absolute tolerance to hide them behind.
    if name.split("[")[0] in PIECEWISE:
        kinks = np.isin(X, [-3.0, -1.0, 0.0, 1.0, 3.0]) & ~documented
        assert np.allclose(fprime(X)[kinks], grad[kinks], rtol=1e-13, atol=0), (
            f"{name}: convention at a kink differs from JAX"
        )


@pytest.mark.parametrize("name,f,fprime,jax_f", JAX_CASES, ids=[c[0] for c in JAX_CASES])
def test_infinities_and_nan_against_jax(name, f, fprime, jax_f, jax):
    special = np.array([-np.inf, np.inf, np.nan])
    ours, theirs = f(special), np.asarray(jax_f(jax, jax.numpy.asarray(special)))
    assert np.isnan(ours[2]) and np.isnan(theirs[2]), f"{name}: NaN is not propagated"
    for x, o, t in zip(special[:2], ours[:2], theirs[:2]):
        if (name, x) in JAX_NAN_AT_INFINITY:
            assert np.isnan(t) and not np.isnan(o), f"{name}({x}): JAX {t}, book_utils {o}"
        else:
            assert o == t, f"{name}({x}): JAX {t}, book_utils {o}"


def test_softmax_family_matches_jax(jax):
    x = np.random.default_rng(3).normal(0, 4, size=(5, 7))
    xs = jax.numpy.asarray(x)
    assert np.allclose(bu.softmax(x), np.asarray(jax.nn.softmax(xs)), rtol=1e-14, atol=0)
    assert np.allclose(bu.log_softmax(x), np.asarray(jax.nn.log_softmax(xs)), rtol=1e-14, atol=1e-14)
    for i in range(5):
        jac = np.asarray(jax.jacobian(jax.nn.softmax)(xs[i]))
        assert np.allclose(bu.softmax_prime(x)[i], jac, rtol=1e-12, atol=1e-15)
        jac = np.asarray(jax.jacobian(jax.nn.log_softmax)(xs[i]))
        assert np.allclose(bu.log_softmax_prime(x)[i], jac, rtol=1e-12, atol=1e-15)
    # -inf entries: both give them probability 0 (log-probability -inf).
    with_minus_inf = np.array([-np.inf, 0.0, 1.0])
    assert np.array_equal(bu.softmax(with_minus_inf), np.asarray(jax.nn.softmax(jax.numpy.asarray(with_minus_inf))))
    assert np.array_equal(
        bu.log_softmax(with_minus_inf), np.asarray(jax.nn.log_softmax(jax.numpy.asarray(with_minus_inf)))
    )


def test_softmax_family_with_plus_inf_differs_from_jax(jax):
    """The documented difference (modern.md, 対応表): with +inf in the input
    JAX gives NaN everywhere, book_utils the limit (one-hot; log: 0 and -inf).
    The log_softmax half is not on the page."""
    x = np.array([np.inf, 0.0, 1.0])
    xs = jax.numpy.asarray(x)
    assert np.isnan(np.asarray(jax.nn.softmax(xs))).all()
    assert np.isnan(np.asarray(jax.nn.log_softmax(xs))).all()
    assert bu.softmax(x).tolist() == [1.0, 0.0, 0.0]
    assert bu.log_softmax(x).tolist() == [0.0, -np.inf, -np.inf]


# modern.md, after the correspondence table: "PyTorch と JAX はどちらも，GELU，
# SiLU，Mish，hard swish では x = -inf で，softsign では x = ±inf で NaN を
# 返します ... +inf を含む入力の Softmax も，PyTorch と JAX では NaN".
TORCH_AT_INFINITY = [
    ("gelu", lambda F, t: F.gelu(t)),
    ("gelu[approximate=tanh]", lambda F, t: F.gelu(t, approximate="tanh")),
    ("silu", lambda F, t: F.silu(t)),
    ("mish", lambda F, t: F.mish(t)),
    ("hard_swish", lambda F, t: F.hardswish(t)),
    ("softsign", lambda F, t: F.softsign(t)),
]


@pytest.mark.parametrize("name,torch_f", TORCH_AT_INFINITY, ids=[c[0] for c in TORCH_AT_INFINITY])
def test_pytorch_gives_nan_where_the_page_says(name, torch_f, torch):
    f = dict((c[0], c[1]) for c in JAX_CASES)[name]
    special = np.array([-np.inf, np.inf])
    theirs = np.asarray(torch_f(torch.nn.functional, torch.tensor(special, dtype=torch.float64)))
    for x, o, t in zip(special, f(special), theirs):
        if (name, x) in JAX_NAN_AT_INFINITY:
            assert np.isnan(t) and not np.isnan(o), f"{name}({x}): PyTorch {t}, book_utils {o}"
        else:
            assert o == t, f"{name}({x}): PyTorch {t}, book_utils {o}"


def test_pytorch_softmax_with_plus_inf_is_nan(torch):
    x = torch.tensor([np.inf, 0.0, 1.0], dtype=torch.float64)
    assert torch.isnan(torch.nn.functional.softmax(x, dim=-1)).all()
    assert bu.softmax(x.numpy()).tolist() == [1.0, 0.0, 0.0]
