"""The comparison table is computed (book_utils.properties); here are the
known answers, derived independently (by hand or with mpmath), that every
computed cell must match. Changing the code so that any property comes out
wrong fails a test."""

import math

import mpmath as mp
import numpy as np
import pytest

import book_utils as bu
from book_utils import properties as P

INF = math.inf
LA = bu.SELU_SCALE * bu.SELU_ALPHA


def _mean(f):
    """E[f(Z)], Z ~ N(0, 1), by mpmath quadrature split at the kinks."""
    g = lambda z: f(z) * mp.npdf(z)
    return float(mp.quad(g, [-mp.inf, -3, -1, 0, 1, 3, mp.inf]))


def _min_of(fprime_mp, guess, f_mp):
    x = mp.findroot(fprime_mp, guess)
    return float(f_mp(x))


sig = lambda z: 1 / (1 + mp.exp(-z))
sp = lambda z: mp.log1p(mp.exp(z))
gelu_mp = lambda z: z * mp.ncdf(z)
silu_mp = lambda z: z * sig(z)
mish_mp = lambda z: z * mp.tanh(sp(z))

# name: (range low, high, low closed, high closed, values, monotonic, smoothness, mean, max slope, sat. left, right)
TRUTH = {
    "ロジスティック・シグモイド": (0, 1, False, False, None, True, 2, 0.5, 0.25, True, True),
    "tanh": (-1, 1, False, False, None, True, 2, 0.0, 1.0, True, True),
    "ReLU": (0, INF, True, False, None, True, 0, 1 / math.sqrt(2 * math.pi), 1.0, True, False),
    "SoftPlus": (0, INF, False, False, None, True, 2, _mean(sp), 1.0, True, False),
    "Leaky ReLU": (-INF, INF, False, False, None, True, 0, 0.99 / math.sqrt(2 * math.pi), 1.0, False, False),
    "ELU": (-1, INF, False, False, None, True, 1, _mean(lambda z: z if z > 0 else mp.expm1(z)), 1.0, True, False),
    "SELU": (-LA, INF, False, False, None, True, 0, 0.0, LA, True, False),
    # GELU: E[Z Phi(Z)] = E[phi(Z)] = 1/(2 sqrt(pi)); its slope peaks at x = sqrt(2)
    "GELU": (_min_of(lambda z: mp.ncdf(z) + z * mp.npdf(z), -0.75, gelu_mp), INF, True, False, None, False, 2,
             1 / (2 * math.sqrt(math.pi)), float(mp.ncdf(mp.sqrt(2)) + mp.sqrt(2) * mp.npdf(mp.sqrt(2))), True, False),
    "SiLU (Swish)": (_min_of(lambda z: mp.diff(silu_mp, z), -1.28, silu_mp), INF, True, False, None, False, 2,
                     _mean(silu_mp), float(mp.diff(silu_mp, mp.findroot(lambda z: mp.diff(silu_mp, z, 2), 2.4))), True, False),
    "Mish": (_min_of(lambda z: mp.diff(mish_mp, z), -1.19, mish_mp), INF, True, False, None, False, 2,
             _mean(mish_mp), float(mp.diff(mish_mp, mp.findroot(lambda z: mp.diff(mish_mp, z, 2), 1.5))), True, False),
    "softsign": (-1, 1, False, False, None, True, 1, 0.0, 1.0, True, True),
    "hard sigmoid": (0, 1, True, True, None, True, 0, 0.5, 1 / 6, True, True),
    "hard swish": (-0.375, INF, True, False, None, False, 0,
                   _mean(lambda z: 0 if z <= -3 else (z if z >= 3 else z * (z + 3) / 6)), 1.5, True, False),
    "hard tanh": (-1, 1, True, True, None, True, 0, 0.0, 1.0, True, True),
    "log-sigmoid": (-INF, 0, False, False, None, True, 2, -_mean(sp), 1.0, False, True),
    "階段関数": (0, 1, True, True, (0.0, 0.5, 1.0), True, -1, 0.5, 0.0, True, True),
}


@pytest.fixture(scope="module")
def measured():
    return {entry.name: P.measure(entry) for entry in P.catalogue()}


def test_catalogue_is_complete(measured):
    assert set(measured) == set(TRUTH)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_properties_match_the_known_answers(measured, name):
    lo, hi, lo_closed, hi_closed, values, mono, smooth, mean, slope, sat_l, sat_r = TRUTH[name]
    p = measured[name]
    assert p.range_low == pytest.approx(lo, abs=1e-4), "range, lower end"
    assert p.range_high == pytest.approx(hi, abs=1e-4), "range, upper end"
    assert (p.low_attained, p.high_attained) == (lo_closed, hi_closed), "open or closed ends"
    assert p.values == values
    assert p.monotonic == mono, "monotonic"
    assert p.smoothness == smooth, "smoothness"
    assert p.mean_normal == pytest.approx(mean, abs=1e-6), "E[f(Z)]"
    assert p.max_slope == pytest.approx(slope, abs=1e-4), "max |f'|"
    assert (p.saturates_left, p.saturates_right) == (sat_l, sat_r), "saturation"


def test_table_cells(measured):
    df = P.table()
    row = df.set_index("関数")
    assert row.loc["ロジスティック・シグモイド", "値域"] == "$(0, 1)$"
    assert row.loc["ReLU", "値域"] == r"$[0, \infty)$"
    assert row.loc["階段関数", "値域"] == r"$\{0, 0.5, 1\}$"
    assert row.loc["GELU", "値域"] == r"$[-0.1700, \infty)$"
    assert row.loc["hard swish", "値域"] == r"$[-0.375, \infty)$"
    assert row.loc["GELU", "単調増加"] == "いいえ"
    assert row.loc["ELU", "滑らかさ"] == "$C^1$"
    assert row.loc["SELU", "ゼロ中心"] == "はい" and row.loc["ReLU", "ゼロ中心"] == "いいえ"
    assert row.loc["ロジスティック・シグモイド", "最大傾き"] == "0.250"
    assert row.loc["log-sigmoid", "飽和"] == "正の側"


def test_a_wrong_property_is_caught():
    # Guard for the guard: a ReLU that is secretly smooth must not pass as ReLU.
    fake = P.Entry("ReLU", bu.softplus, bu.softplus_prime)
    assert P.measure(fake).smoothness != TRUTH["ReLU"][6]
    assert P.smoothness(P.Entry("x", bu.relu, bu.relu_prime)) == 0
