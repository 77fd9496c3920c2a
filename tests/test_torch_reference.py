"""book_utils against PyTorch (CPU, requirements-references.txt).

PyTorch is a test reference, not a dependency of the book: without it these
tests skip locally, but under CI=true (where .ci/run installs it) they fail
(the `torch` fixture of conftest.py).

Values and autograd derivatives in float64 on a grid that includes every
kink, so the conventions at kinks are compared too.
"""

import numpy as np
import pytest

import book_utils as bu

X = np.concatenate([np.linspace(-12, 12, 961), [-3.0, -1.0, 0.0, 1.0, 3.0, -40.0, 40.0]])

PIECEWISE = {"relu", "leaky_relu", "elu", "selu", "hard_sigmoid", "hard_swish", "hard_tanh"}

CASES = [
    # name, book_utils f, f', the same in PyTorch: (F = torch.nn.functional, tensor) -> tensor
    ("relu", bu.relu, bu.relu_prime, lambda F, t: F.relu(t)),
    ("sigmoid", bu.sigmoid, bu.sigmoid_prime, lambda F, t: F.sigmoid(t)),
    ("tanh", bu.tanh, bu.tanh_prime, lambda F, t: F.tanh(t)),
    ("softplus", bu.softplus, bu.softplus_prime, lambda F, t: F.softplus(t, threshold=1e9)),
    ("leaky_relu", bu.leaky_relu, bu.leaky_relu_prime, lambda F, t: F.leaky_relu(t)),
    ("leaky_relu 0.2", lambda x: bu.leaky_relu(x, 0.2), lambda x: bu.leaky_relu_prime(x, 0.2), lambda F, t: F.leaky_relu(t, 0.2)),
    ("elu", bu.elu, bu.elu_prime, lambda F, t: F.elu(t)),
    ("elu 2", lambda x: bu.elu(x, 2.0), lambda x: bu.elu_prime(x, 2.0), lambda F, t: F.elu(t, 2.0)),
    ("selu", bu.selu, bu.selu_prime, lambda F, t: F.selu(t)),
    ("gelu", bu.gelu, bu.gelu_prime, lambda F, t: F.gelu(t)),
    ("gelu tanh", lambda x: bu.gelu(x, "tanh"), lambda x: bu.gelu_prime(x, "tanh"), lambda F, t: F.gelu(t, approximate="tanh")),
    ("silu", bu.silu, bu.silu_prime, lambda F, t: F.silu(t)),
    ("mish", bu.mish, bu.mish_prime, lambda F, t: F.mish(t)),
    ("softsign", bu.softsign, bu.softsign_prime, lambda F, t: F.softsign(t)),
    ("hard_sigmoid", bu.hard_sigmoid, bu.hard_sigmoid_prime, lambda F, t: F.hardsigmoid(t)),
    ("hard_swish", bu.hard_swish, bu.hard_swish_prime, lambda F, t: F.hardswish(t)),
    ("hard_tanh", bu.hard_tanh, bu.hard_tanh_prime, lambda F, t: F.hardtanh(t)),
    ("log_sigmoid", bu.log_sigmoid, bu.log_sigmoid_prime, lambda F, t: F.logsigmoid(t)),
]


@pytest.mark.parametrize("name,f,fprime,torch_f", CASES, ids=[c[0] for c in CASES])
def test_matches_pytorch(name, f, fprime, torch_f, torch):
    t = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    y = torch_f(torch.nn.functional, t)
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
    if name.split()[0] not in PIECEWISE:
        return
    at_kinks = np.isin(X, [-3.0, -1.0, 0.0, 1.0, 3.0])
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
        assert np.allclose(bu.softmax_prime(x)[i], jac.numpy(), rtol=1e-12, atol=1e-15)  # torch loses digits of s(1 - s) near s = 1
        jac = torch.autograd.functional.jacobian(lambda v: F.log_softmax(v, dim=-1), t[i])
        assert np.allclose(bu.log_softmax_prime(x)[i], jac.numpy(), rtol=1e-12, atol=1e-15)  # torch loses digits of s(1 - s) near s = 1
