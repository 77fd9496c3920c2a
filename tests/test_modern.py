"""Modern activations: parameters, identities, log-softmax, and the GELU
approximation. (Values, derivatives and the input contract are covered for
every row of the catalogue by the generated tests, see tests/oracles.py.)"""

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_derivatives import assert_matches_central_difference

import book_utils as bu

from numerics import batched_jacobian_by_central_differences, ulp_error

EPS = np.finfo(np.float64).eps
X = np.linspace(-30, 30, 1201)
rng = np.random.default_rng(7)


@pytest.mark.parametrize(
    "f,fprime,param,values,kinks",
    [
        (bu.leaky_relu, bu.leaky_relu_prime, "negative_slope", [0.0, 0.01, 0.2, 1.0, -0.5], (0.0,)),
        (bu.elu, bu.elu_prime, "alpha", [0.5, 1.0, 2.0], (0.0,)),
        (bu.silu, bu.silu_prime, "beta", [0.0, 0.5, 1.0, 4.0, -1.0], ()),
        (bu.hard_tanh, bu.hard_tanh_prime, "max_val", [0.5, 2.0], (-1.0, 0.5, 2.0)),
    ],
)
def test_parameterised_derivatives(f, fprime, param, values, kinks):
    for v in values:
        assert_matches_central_difference(
            lambda x, v=v: f(x, **{param: v}), lambda x, v=v: fprime(x, **{param: v}), np.linspace(-8, 8, 801), kinks
        )


def test_kink_conventions_with_parameters():
    assert bu.leaky_relu_prime(0.0, negative_slope=0.2) == 0.2
    assert bu.elu_prime(0.0, alpha=2.0) == 2.0
    assert bu.hard_tanh_prime([-2.0, 2.0], min_val=-2.0, max_val=2.0).tolist() == [0.0, 0.0]
    assert bu.selu_prime(0.0) == bu.SELU_SCALE * bu.SELU_ALPHA


def test_identities():
    assert np.allclose(bu.silu(X), X * bu.sigmoid(X), rtol=4 * EPS, atol=0)
    assert np.allclose(bu.silu(X, beta=2.0), X * bu.sigmoid(2 * X), rtol=4 * EPS, atol=0)
    assert np.array_equal(bu.swish(X), bu.silu(X))
    assert np.allclose(bu.log_sigmoid(X), -bu.softplus(-X), rtol=2 * EPS, atol=0)
    assert np.allclose(bu.selu(X), bu.SELU_SCALE * bu.elu(X, alpha=bu.SELU_ALPHA), rtol=4 * EPS, atol=0)
    assert np.allclose(bu.hard_swish(X), X * bu.hard_sigmoid(X), rtol=4 * EPS, atol=1e-300)
    assert np.array_equal(bu.leaky_relu(X, negative_slope=0.0), bu.relu(X))
    # scipy's ndtr loses ~x^2 ULP in the far tail (erfc of a rounded x/sqrt 2): hence 1e-12
    assert np.allclose(bu.gelu(X), X * _phi(X), rtol=1e-12, atol=0)
    assert np.allclose(bu.mish(X), X * np.tanh(bu.softplus(X)), rtol=8 * EPS, atol=1e-300)
    assert np.allclose(bu.step(X), np.heaviside(X, 0.5))
    # a -> inf limit of the sigmoid is the step function (with 1/2 at 0)
    assert np.allclose(bu.sigmoid(X[np.abs(X) > 0.5], a=1e4), bu.step(X[np.abs(X) > 0.5]))
    assert bu.sigmoid(0.0, a=1e4) == bu.step(0.0) == 0.5


def _phi(x):
    from scipy.special import ndtr

    return ndtr(x)


def test_far_tails_do_not_collapse():
    # GELU(-30) = -30 Phi(-30) ~ -1.5e-196: 1 + erf(-30/sqrt 2) would give 0.
    ref = -30 * mp.ncdf(-30)
    assert bu.gelu(-30.0) != 0 and ulp_error(bu.gelu(-30.0), ref, np.float64) <= 4
    assert bu.log_sigmoid(-1000.0) == -1000.0
    assert bu.log_sigmoid(1000.0) == 0.0
    assert bu.silu(-700.0) < 0
    assert bu.elu(-1e-20) == -1e-20  # expm1 keeps the digits that exp(x) - 1 loses


def test_gelu_tanh_approximation_error():
    # Measured on a dense grid; the chapter quotes this number.
    x = np.linspace(-10, 10, 200_001)
    diff = np.abs(bu.gelu(x) - bu.gelu(x, approximate="tanh"))
    assert 4.5e-4 < diff.max() < 5e-4  # mpmath at x = 2.699: 4.732e-4
    assert 2.6 < np.abs(x[np.argmax(diff)]) < 2.8


def test_bad_parameters():
    with pytest.raises(ValueError, match=r"^gelu\(\) expects approximate"):
        bu.gelu(1.0, approximate="erf")
    with pytest.raises(ValueError, match=r"^gelu_prime\(\) expects approximate"):
        bu.gelu_prime(1.0, approximate=True)
    with pytest.raises(TypeError, match=r"^leaky_relu\(\) expects negative_slope"):
        bu.leaky_relu(1.0, negative_slope="0.1")
    with pytest.raises(ValueError, match=r"^elu\(\) expects alpha to be finite"):
        bu.elu(1.0, alpha=float("inf"))
    with pytest.raises(ValueError, match=r"^hard_tanh\(\) expects min_val < max_val"):
        bu.hard_tanh(1.0, min_val=1.0, max_val=-1.0)
    with pytest.raises(TypeError, match=r"^silu\(\) expects beta"):
        bu.silu(1.0, beta=None)


# --- log_softmax -----------------------------------------------------------------

VECTORS = [
    np.array([1.0, 2.0, 3.0]),
    np.array([0.0, -1000.0]),
    np.array([1000.0, 1001.0, 1002.0]),
    np.array([0.0, -40.0, -3.0]),
    rng.normal(0, 5, size=6).round(3),
]


@pytest.mark.parametrize("x", VECTORS, ids=lambda v: str(v[:3]))
def test_log_softmax_against_mpmath(x):
    out = bu.log_softmax(x)
    e = [mp.exp(mp.mpf(float(v))) for v in x]
    log_total = mp.log(mp.fsum(e))
    for got, v in zip(out, x):
        ref = mp.mpf(float(v)) - log_total
        assert ulp_error(got, ref, np.float64) <= 4 + len(x), (got, ref)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=1, max_size=8))
def test_log_softmax_is_log_of_softmax(x):
    x = np.array(x)
    assert np.allclose(bu.log_softmax(x), np.log(bu.softmax(x)), rtol=1e-12, atol=1e-12)


def test_log_softmax_limits_and_shapes():
    assert bu.log_softmax([0.0, -1000.0]).tolist() == [0.0, -1000.0]  # where log(softmax) gives -inf
    assert bu.log_softmax([np.inf, 1.0, -np.inf]).tolist() == [0.0, -np.inf, -np.inf]
    assert np.isnan(bu.log_softmax([np.inf, np.inf])).all()
    assert bu.log_softmax(3.0) == 0.0 and bu.log_softmax_prime(3.0) == 0.0
    x = rng.normal(size=(2, 3, 4))
    assert bu.log_softmax(x, axis=1).shape == (2, 3, 4)
    assert bu.log_softmax_prime(x).shape == (2, 3, 4, 4)
    assert bu.log_softmax(np.zeros((2, 0))).shape == (2, 0)


def test_log_softmax_jacobian_matches_central_differences():
    x = rng.normal(0, 3, size=(3, 5))
    jac = bu.log_softmax_prime(x)
    assert np.allclose(jac, batched_jacobian_by_central_differences(bu.log_softmax, x), atol=1e-8, rtol=0)
    assert np.allclose(jac, np.eye(5) - bu.softmax(x)[..., None, :])
