"""The vectorised erfc behind exact GELU (book_utils._erfc), on its own.

Phi(x) = erfc(-x / sqrt 2) / 2 against mpmath over z = -x / sqrt 2 in
[0, 27] (x in [-38.2, 0], where Phi decays to the subnormals) and for x > 0;
fdlibm's coefficients as published; the breakpoints and limits; and the
one-element path (Python floats) giving the bits of the array path, which
runs in blocks in one workspace. GELU and GELU' themselves are checked by
tests/test_values.py and tests/test_values_random.py.
"""

import struct

import mpmath as mp
import numpy as np
import pytest

from book_utils import _erfc

from numerics import ulp_error

# The hex words printed next to each coefficient in fdlibm's s_erf.c (as in
# FreeBSD msun and musl src/math/erf.c), in the order of the tuples.
FDLIBM = {
    "ERX": [0x3FEB0AC1_60000000],
    "PP": [0x3FC06EBA_8214DB68, 0xBFD4CD7D_691CB913, 0xBF9D2A51_DBD7194F, 0xBF77A291_236668E4, 0xBEF8EAD6_120016AC],
    "QQ": [0x3FD97779_CDDADC09, 0x3FB0A54C_5536CEBA, 0x3F74D022_C4D36B0F, 0x3F215DC9_221C1A10, 0xBED09C43_42A26120],
    "PA": [
        0xBF6359B8_BEF77538,
        0x3FDA8D00_AD92B34D,
        0xBFD7D240_FBB8C3F1,
        0x3FD45FCA_805120E4,
        0xBFBC6398_3D3E28EC,
        0x3FA22A36_599795EB,
        0xBF61BF38_0A96073F,
    ],
    "QA": [
        0x3FBB3E66_18EEE323,
        0x3FE14AF0_92EB6F33,
        0x3FB2635C_D99FE9A7,
        0x3FC02660_E763351F,
        0x3F8BEDC2_6B51DD1C,
        0x3F888B54_5735151D,
    ],
    "RA": [
        0xBF843412_600D6435,
        0xBFE63416_E4BA7360,
        0xC0251E04_41B0E726,
        0xC04F300A_E4CBA38D,
        0xC0644CB1_84282266,
        0xC067135C_EBCCABB2,
        0xC0545265_57E4D2F2,
        0xC023A0EF_C69AC25C,
    ],
    "SA": [
        0x4033A6B9_BD707687,
        0x4061350C_526AE721,
        0x407B290D_D58A1A71,
        0x40842B19_21EC2868,
        0x407AD021_57700314,
        0x405B28A3_EE48AE2C,
        0x401A47EF_8E484A93,
        0xBFAEEFF2_EE749A62,
    ],
    "RB": [
        0xBF843412_39E86F4A,
        0xBFE993BA_70C285DE,
        0xC031C209_555F995A,
        0xC064145D_43C5ED98,
        0xC083EC88_1375F228,
        0xC0900461_6A2E5992,
        0xC07E384E_9BDC383F,
    ],
    "SB": [
        0x403E568B_261D5190,
        0x40745CAE_221B9F0A,
        0x409802EB_189D5118,
        0x40A8FFB7_688C246A,
        0x40A3F219_CEDF3BE6,
        0x407DA874_E79FE763,
        0xC03670E2_42712D62,
    ],
}

SQRT2 = 2**0.5
BREAKS = [_erfc.T1, _erfc.T2, _erfc.T3, _erfc.T4_PRIME, _erfc.T4, _erfc.POSITIVE_EXACT]
# Where this module's predecessors were worst (tests/test_values_random.py's
# REGRESSIONS) and where the random points below found this one's largest errors.
HARD = [
    -1.828597154252435,
    -0.04972286994352984,
    -7.31844376478354e-06,
    -0.06419550506592714,
    -37.11552847508564,
    -37.51302358128463,
    -37.65909875840693,
    -1.1589342251243602,
    -1.750541560206999,
    -2.8909766005889717,
    -27.936396438002433,
]
TOL = 3.5  # ULP; measured 2.7 at most (x = -27.936...)


def _bits(v: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", v))[0]


def _near(v: float, steps: int = 3) -> list[float]:
    """v and its neighbours, a few ULP to each side."""
    out = [v]
    up = down = v
    for _ in range(steps):
        up, down = np.nextafter(up, np.inf), np.nextafter(down, -np.inf)
        out += [float(up), float(down)]
    return out


def _phi(x: float):
    return mp.erfc(-mp.mpf(x) / mp.sqrt(2)) / 2


def _worst(xs) -> tuple[float, float]:
    xs = np.asarray(xs, dtype=np.float64)
    got = _erfc.apply(xs, "ncdf")
    errors = [ulp_error(g, _phi(float(x)), np.float64) for x, g in zip(xs, got)]
    i = int(np.argmax(errors))
    return errors[i], float(xs[i])


@pytest.mark.parametrize("name", sorted(FDLIBM))
def test_coefficients_are_fdlibms(name):
    values = getattr(_erfc, name)
    values = values if isinstance(values, tuple) else (values,)
    assert [_bits(v) for v in values] == FDLIBM[name]


def test_ncdf_over_z_from_0_to_27():
    rng = np.random.default_rng(20240611)
    z = np.concatenate(
        [
            rng.uniform(0, 27, 2500),  # uniform in z = -x / sqrt 2
            2.0 ** rng.uniform(-30, 1, 300),  # and log-uniform near 0
            np.array([b / SQRT2 for v in BREAKS[:5] for b in _near(v)]),  # both sides of each breakpoint
        ]
    )
    worst, where = _worst(-z * SQRT2)
    assert worst <= TOL, f"Phi: {worst:.2f} ULP at x = {where!r}"


def test_ncdf_for_positive_x():
    rng = np.random.default_rng(11)
    x = np.concatenate([rng.uniform(0, 10, 800), 2.0 ** rng.uniform(-40, 3, 200)])
    worst, where = _worst(x)
    assert worst <= 1.0, f"Phi: {worst:.2f} ULP at x = {where!r}"  # Phi in [1/2, 1): 1 - Phi(-x) rounds once


def test_ncdf_at_hard_points_and_breakpoints():
    points = HARD + [s * b for v in BREAKS[:4] for b in _near(v, 8) for s in (-1, 1)]
    worst, where = _worst(points)
    assert worst <= TOL, f"Phi: {worst:.2f} ULP at x = {where!r}"


def test_limits_and_special_values():
    x = np.array([-np.inf, -1e300, -_erfc.T4, -39.0, np.nan, 0.0, -0.0, 10.0, 1e300, np.inf])
    gelu = _erfc.apply(x, "gelu")
    prime = _erfc.apply(x, "gelu_prime")
    ncdf = _erfc.apply(x, "ncdf")
    assert np.array_equal(gelu, [-0.0, -0.0, -0.0, -0.0, np.nan, 0.0, -0.0, 10.0, 1e300, np.inf], equal_nan=True)
    assert np.signbit(gelu[:4]).all() and np.signbit(gelu[6])  # x Phi(x) < 0 for x < 0, even when it rounds to 0
    assert np.array_equal(prime, [-0.0, -0.0, -0.0, -0.0, np.nan, 0.5, 0.5, 1.0, 1.0, 1.0], equal_nan=True)
    assert np.signbit(prime[:4]).all()
    assert np.array_equal(ncdf, [0.0, 0.0, 0.0, 0.0, np.nan, 0.5, 0.5, 1.0, 1.0, 1.0], equal_nan=True)
    # GELU'(-t) rounds to -0 from t = 38.67477 (|GELU'| < 2^-1075); just before, it does not
    assert _erfc.apply(np.array([-_erfc.T4_PRIME, -38.67]), "gelu_prime").tolist() == [0.0, -5e-324]


def _all_points(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    tiny = np.ldexp(rng.uniform(-1, 1, 500), rng.integers(-1074, 2, 500))
    special = [0.0, -0.0, np.nan, np.inf, -np.inf, 5e-324, -5e-324, 1e308, -1e308]
    near = [s * b for v in BREAKS for b in _near(v) for s in (-1, 1)]
    return np.concatenate([rng.uniform(-45, 12, 3000), 3 * rng.standard_normal(3000), tiny, special, near])


@pytest.mark.parametrize("kind", ["ncdf", "gelu", "gelu_prime"])
def test_one_element_gives_the_bits_of_the_array_path(kind):
    x = _all_points(5)
    arrays = _erfc.apply(x, kind)
    ones = np.array([_erfc.apply(np.array([v]), kind)[0] for v in x])
    same = (arrays == ones) & (np.signbit(arrays) == np.signbit(ones))
    same |= np.isnan(arrays) & np.isnan(ones)
    assert same.all(), x[~same][:5]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_blocks_layouts_and_dtypes(dtype, layout):
    """Several blocks (and a short last one) of any layout: each element as if
    computed alone, in float64 and rounded once to the dtype."""
    rng = np.random.default_rng(3)
    x = (4 * rng.standard_normal((3, _erfc.BLOCK // 2 + 7))).astype(dtype)
    if layout == "F":
        x = np.asfortranarray(x)
    elif layout == "strided":
        x = np.repeat(x, 2, axis=-1)[:, ::2]
    for kind in ["gelu", "gelu_prime"]:
        got = _erfc.apply(x, kind)
        assert got.dtype == dtype and got.shape == x.shape
        want = np.vectorize(lambda v, kind=kind: _erfc.scalar(float(v), kind))(x).astype(dtype)
        np.testing.assert_array_equal(got, want)
