"""book_utils against PyTorch (CPU, requirements-references.txt).

PyTorch is a test reference, not a dependency of the book: without it these
tests skip locally, but under CI=true (where .ci/run installs it) they fail
(the `torch` fixture of conftest.py).

Values and autograd derivatives in float64 on a grid that includes every
kink, so the conventions at kinks are compared too.
"""

import functools

import numpy as np
import pytest

import book_utils as bu
from book_utils import catalogue

from oracles import CASES, FRAMEWORKS, resolve

X = np.concatenate([np.linspace(-12, 12, 961), [-3.0, -2.0, -1.0, 0.0, 0.5, 1.0, 3.0, -40.0, 40.0]])

# Parameters beyond the oracles' cases, to compare the parameterised forms too.
MORE = {
    "leaky_relu": [{"negative_slope": 0.2}],
    "elu": [{"alpha": 2.0}],
    "hard_tanh": [{"min_val": -2.0, "max_val": 0.5}],
}


def torch_call(name: str, kw: dict):
    """PyTorch's counterpart (tests/oracles.py, FRAMEWORKS) as (torch, tensor) -> tensor."""
    fw = FRAMEWORKS[name]
    return lambda torch, t: resolve(torch, fw.torch)(t, **kw, **fw.torch_kwargs)


def cases():
    """(label, book_utils f, f', PyTorch's) for every element-wise case with a
    differentiable PyTorch counterpart, generated from the catalogue."""
    out = []
    for case in CASES:
        name = case.name.split("[")[0]
        if FRAMEWORKS[name].torch and FRAMEWORKS[name].torch_differentiable:
            out.append((case.name, case.f, case.fprime, torch_call(name, case.kwargs)))
    for name, settings in MORE.items():
        row = catalogue.get(name)
        for kw in settings:
            label = name + "".join(f"[{k}={v}]" for k, v in kw.items())
            out.append(
                (label, functools.partial(row.f, **kw), functools.partial(row.fprime, **kw), torch_call(name, kw))
            )
    return out


@pytest.mark.parametrize("name,f,fprime,torch_f", cases(), ids=[c[0] for c in cases()])
def test_matches_pytorch(name, f, fprime, torch_f, torch):
    t = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    y = torch_f(torch, t)
    (grad,) = torch.autograd.grad(y.sum(), t)
    # 1e-13 relative or 1e-14 absolute: far tighter than any difference of
    # formula or convention. The absolute part is for the tails, where
    # PyTorch's formulas cancel or underflow (sigma(1 - sigma) = 0 from
    # x ~ 37, 1 + erf = 0 in GELU from x ~ -8); there book_utils is checked
    # against mpmath (test_values.py) instead.
    # hardsigmoid's backward multiplies by 1/6 rounded to float32, even in
    # float64 (PyTorch 2.13): 3e-8 relative from the true 1/6.
    rtol_prime = 1e-7 if name == "hard_sigmoid" else 1e-13
    assert np.allclose(f(X), y.detach().numpy(), rtol=1e-13, atol=1e-14), name
    assert np.allclose(fprime(X), grad.numpy(), rtol=rtol_prime, atol=1e-14), name
    kinks = [*catalogue.get(name.split("[")[0]).kinks, -2.0, 0.5]  # and the moved ones of hard_tanh's case
    at_kinks = np.isin(X, kinks)
    ours, theirs = fprime(X)[at_kinks], grad.numpy()[at_kinks]
    assert np.allclose(ours, theirs, rtol=rtol_prime, atol=0), f"{name}: convention at a kink differs"


def test_softmax_family_matches_pytorch(torch):
    F = torch.nn.functional
    x = np.random.default_rng(3).normal(0, 4, size=(5, 7))
    t = torch.tensor(x, dtype=torch.float64)
    assert np.allclose(bu.softmax(x), F.softmax(t, dim=-1).numpy(), rtol=1e-14, atol=0)
    assert np.allclose(bu.log_softmax(x), F.log_softmax(t, dim=-1).numpy(), rtol=1e-14, atol=1e-14)
    for i in range(5):
        jac = torch.autograd.functional.jacobian(lambda v: F.softmax(v, dim=-1), t[i])
        assert np.allclose(
            bu.softmax_prime(x)[i], jac.numpy(), rtol=1e-12, atol=1e-15
        )  # torch loses digits of s(1 - s) near s = 1
        jac = torch.autograd.functional.jacobian(lambda v: F.log_softmax(v, dim=-1), t[i])
        assert np.allclose(
            bu.log_softmax_prime(x)[i], jac.numpy(), rtol=1e-12, atol=1e-15
        )  # torch loses digits of s(1 - s) near s = 1
