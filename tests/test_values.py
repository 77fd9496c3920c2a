"""Values against mpmath, at ordinary and extreme inputs, in float64 and float32.

Tolerances are in ULPs of the output dtype. The inputs are exact binary
floats, so the reference is the true function value at that input and the
only error measured is the implementation's own.
"""

import mpmath as mp
import numpy as np
import pytest

import book_utils as bu

from numerics import max_ulp_error, ulp_error
from oracles import CASES

ORDINARY = np.concatenate([np.linspace(-30, 30, 241), [-1e-8, 1e-8, 0.5, -0.5, 1e-300, -1e-300]])
EXTREME64 = [
    -1e308,
    -1e300,
    -1000.0,
    -745.2,
    -709.8,
    -40.0,
    -37.0,
    37.0,
    40.0,
    709.0,
    709.8,
    710.0,
    1000.0,
    1e300,
    1.7e308,
]
EXTREME32 = [-3.4e38, -1e30, -104.0, -89.0, -88.7, -40.0, -17.0, 17.0, 40.0, 88.0, 88.7, 89.0, 1000.0, 3.4e38]

# float64: exp and log1p are correctly rounded to < 1 ULP in glibc; each
# further +, /, square adds at most 1/2 ULP. 4 ULP covers the longest chain.
# float32: NumPy's SIMD float32 exp/log are specified to a few ULP.
TOL = {np.float64: 4.0, np.float32: 4.0}


@pytest.mark.parametrize(
    "dtype,points", [(np.float64, list(ORDINARY) + EXTREME64), (np.float32, list(ORDINARY) + EXTREME32)]
)
@pytest.mark.parametrize("act", CASES, ids=str)
def test_function_values_within_few_ulp(act, dtype, points):
    worst, where = max_ulp_error(act.f, act.ref, points, dtype, extra=act.extra_ulps)
    assert worst <= TOL[dtype], f"{act.name}: {worst:.1f} ULP at x = {where!r}"


@pytest.mark.parametrize(
    "dtype,points", [(np.float64, list(ORDINARY) + EXTREME64), (np.float32, list(ORDINARY) + EXTREME32)]
)
@pytest.mark.parametrize("act", CASES, ids=str)
def test_derivative_values_within_few_ulp(act, dtype, points):
    points = [x for x in points if x not in act.kinks]
    worst, where = max_ulp_error(act.fprime, act.ref_prime, points, dtype, scale=act.prime_scale, extra=act.extra_ulps)
    assert worst <= TOL[dtype], f"{act.name}': {worst:.1f} ULP at x = {where!r}"


@pytest.mark.parametrize("a", [0.25, 0.5, 2.0, 8.0, -1.0])
def test_sigmoid_gain_exact_products(a):
    # Powers of two (and -1) make a*x exact, so the reference is exact too.
    points = list(ORDINARY) + [-300.0, 300.0]
    worst, where = max_ulp_error(lambda x: bu.sigmoid(x, a=a), lambda x: 1 / (1 + mp.exp(-a * x)), points, np.float64)
    assert worst <= 4, f"sigma(x; {a}): {worst:.1f} ULP at x = {where}"
    ref_prime = lambda x: a * mp.exp(-a * x) / (1 + mp.exp(-a * x)) ** 2
    worst, where = max_ulp_error(lambda x: bu.sigmoid_prime(x, a=a), ref_prime, points, np.float64)
    assert worst <= 4, f"sigma'(x; {a}): {worst:.1f} ULP at x = {where}"


def test_sigmoid_gain_general_product_is_the_only_rounding():
    # For a = 0.3 the product a*x is rounded once; measured at that product
    # the function is as accurate as with a = 1.
    a = 0.3
    for x in np.linspace(-100, 100, 101):
        z = mp.mpf(float(np.float64(a) * x))
        assert ulp_error(bu.sigmoid(x, a=a), 1 / (1 + mp.exp(-z)), np.float64) <= 4
        assert ulp_error(bu.sigmoid_prime(x, a=a), a * mp.exp(-z) / (1 + mp.exp(-z)) ** 2, np.float64) <= 4


def test_sigmoid_prime_does_not_collapse_for_large_x():
    # sigma(1 - sigma) is exactly 0 from x ~ 37 in float64; the true value is ~ e^-x.
    for x in [37.0, 40.0, 100.0, 700.0]:
        assert bu.sigmoid_prime(x) > 0
        assert ulp_error(bu.sigmoid_prime(x), mp.exp(-x) / (1 + mp.exp(-x)) ** 2, np.float64) <= 4
    assert bu.sigmoid(40.0) * (1 - bu.sigmoid(40.0)) == 0  # what the naive form gives


def test_literal_values():
    # Spot values, produced with mpmath at 50 digits, e.g.
    # mp.mpf(1)/(1+mp.exp(-1)) = 0.73105857863000487925115924182183627436514464016505
    assert bu.sigmoid(1.0) == 0.7310585786300049
    assert bu.sigmoid_prime(0.0) == 0.25
    assert bu.sigmoid_prime(0.0, a=3.0) == 0.75
    # mp.sech(1)**2 = 0.41997434161402604...
    assert abs(bu.tanh_prime(1.0) - 0.41997434161402604) <= 2 * np.spacing(0.42)
    # mp.log(2) = 0.69314718055994530942
    assert bu.softplus(0.0) == np.log(2.0)
    assert bu.softplus(1000.0) == 1000.0
    assert bu.softplus(-1000.0) == 0.0  # e^-1000 underflows float64: 0 is the correctly rounded value
    # mp.exp(-40) = 4.2483542552915889e-18; softplus(-40) = log1p(e^-40) agrees to 1e-35
    assert ulp_error(bu.softplus(-40.0), mp.log1p(mp.exp(-40)), np.float64) <= 1
