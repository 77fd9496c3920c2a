"""The input/output contract of book_utils, for every public function.

scalar in -> scalar out; shape kept (empty arrays too); float32 -> float32,
integers and booleans -> float64; NaN -> NaN; +-inf -> the true limit; no
overflow or RuntimeWarning anywhere in the float range (pytest turns every
warning into an error, see pyproject.toml); bad input -> TypeError naming the
function.
"""

import numpy as np
import pytest

import book_utils as bu

from oracles import CASES, ELEMENTWISE, OVERFLOW_AT_MAX

# The vector functions (softmax and its kin) and the helpers, from the catalogue.
# The losses (catalogue.LOSSES) take logits and a target, not one x: their
# contract is tested in test_losses.py.
VECTORWISE = [fn for row in bu.catalogue.ACTIVATIONS if not row.elementwise for fn in row.exports().values()]
VECTORWISE += list(bu.catalogue.HELPERS)
ALL = {**ELEMENTWISE, **{fn.__name__: fn for fn in VECTORWISE}}
names = pytest.mark.parametrize("name", sorted(ELEMENTWISE))
all_names = pytest.mark.parametrize("name", sorted(ALL))


def edge_values(dtype):
    info = np.finfo(dtype)
    values = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        1000.0,
        -1000.0,
        float(info.max),
        -float(info.max),
        float(info.tiny),
        float(info.smallest_subnormal),
        -float(info.smallest_subnormal),
        np.inf,
        -np.inf,
    ]
    if dtype == np.float64:
        values += [1e300, -1e300, 709.8, 710.0, -745.2, -746.0]
    else:
        values += [88.7, 89.0, -103.9, -104.0, 3e38, -3e38]
    return np.array(values, dtype=dtype)


@all_names
def test_python_scalar_gives_numpy_float64_scalar(name):
    out = ALL[name](0.5)
    assert np.ndim(out) == 0 and isinstance(out, np.float64)
    assert isinstance(ALL[name](2), np.float64)  # int -> float64


@all_names
def test_float32_scalar_stays_float32(name):
    out = ALL[name](np.float32(0.5))
    assert np.ndim(out) == 0 and out.dtype == np.float32


@pytest.mark.parametrize(
    "dtype,expected",
    [
        (np.float32, np.float32),
        (np.float64, np.float64),
        (np.int64, np.float64),
        (np.int8, np.float64),
        (np.uint16, np.float64),
        (np.bool_, np.float64),
    ],
)
@all_names
def test_dtype_rules(name, dtype, expected):
    x = np.array([[0, 1, 1], [1, 0, 1]], dtype=dtype)
    assert ALL[name](x).dtype == expected


@names
@pytest.mark.parametrize("shape", [(0,), (2, 0), (3,), (2, 3), (2, 3, 4), (1, 1, 1, 5)])
def test_elementwise_keeps_shape(name, shape):
    x = np.linspace(-3, 3, int(np.prod(shape))).reshape(shape)
    assert ALL[name](x).shape == shape
    assert ALL[name](x.tolist()).shape == shape  # nested lists work too


@names
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_nan_propagates_and_nothing_else_is_nan(name, dtype):
    x = edge_values(dtype)
    out = ALL[name](x)
    assert not np.isnan(out).any(), f"{name} gives NaN at {x[np.isnan(out)]}"
    assert np.isnan(ALL[name](dtype(np.nan)))
    assert np.isnan(ALL[name](np.array([1.0, np.nan], dtype=dtype))[1])


@pytest.mark.parametrize("act", CASES, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_infinities_give_the_limits(act, dtype):
    assert act.f(np.array([-np.inf, np.inf], dtype=dtype)).tolist() == [float(dtype(v)) for v in act.limits]
    assert act.fprime(np.array([-np.inf, np.inf], dtype=dtype)).tolist() == [float(dtype(v)) for v in act.prime_limits]


@names
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_outputs_are_finite_where_the_function_is(name, dtype):
    x = edge_values(dtype)
    x = x[np.isfinite(x)]
    if name in OVERFLOW_AT_MAX:  # e.g. SELU(max) = 1.0507 max: inf is its correct rounding
        x = x[np.abs(x) < np.finfo(dtype).max / 2]
    out = ALL[name](x)
    assert np.isfinite(out).all(), f"{name}: non-finite output at {x[~np.isfinite(out)]}"


@all_names
@pytest.mark.parametrize(
    "bad", ["1.0", b"1", None, [1.0, "a"], 1 + 2j, np.array([1j]), object(), [[1.0], [1.0, 2.0]], {"x": 1}]
)
def test_bad_input_raises_type_error_naming_the_function(name, bad):
    with pytest.raises(TypeError, match=rf"^{name}\(\)") as info:
        ALL[name](bad)
    assert "got" in str(info.value)


@pytest.mark.parametrize("func", [bu.sigmoid, bu.sigmoid_prime])
def test_bad_gain(func):
    with pytest.raises(TypeError, match=rf"^{func.__name__}\(\) expects a"):
        func(1.0, a="2")
    with pytest.raises(TypeError, match=rf"^{func.__name__}\(\) expects a"):
        func(1.0, a=None)
    with pytest.raises(ValueError, match=rf"^{func.__name__}\(\) expects a to be finite"):
        func(1.0, a=float("nan"))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gain_extremes_do_not_warn(dtype):
    x = edge_values(dtype)
    for a in [0.0, 1e-300, 1e3, 1e300, -5.0]:
        assert not np.isnan(bu.sigmoid(x, a=a)).any()
        assert not np.isnan(bu.sigmoid_prime(x, a=a)).any()
    assert np.all(bu.sigmoid(x, a=0.0) == 0.5)
    assert np.all(bu.sigmoid_prime(x, a=0.0) == 0.0)
    assert bu.sigmoid(x, a=2.0).dtype == dtype


def test_inputs_are_not_modified():
    x = np.array([-1.0, 0.0, np.nan, 2.0])
    before = x.copy()
    for fn in ALL.values():
        fn(x)
    assert np.array_equal(x, before, equal_nan=True)


def test_float16_is_kept():
    x = np.array([-20.0, 0.0, 20.0], dtype=np.float16)
    for name, fn in ALL.items():
        assert fn(x).dtype == np.float16, name


def test_importing_book_utils_does_not_import_scipy():
    """scipy.special is imported on first use (exact GELU): importing it costs
    several times as long as NumPy (benchmarks/numerics.py measures the ratio)."""
    import subprocess
    import sys

    code = "import sys, book_utils; print('scipy' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )


def _mixed_points(dtype, n):
    """n points: ordinary ones, the edge values above, NaN, scattered through."""
    rng = np.random.default_rng(5)
    x = (rng.standard_normal(n) * 10 ** rng.uniform(-3, 2.5, n)).astype(dtype)
    special = np.append(edge_values(dtype), np.nan)
    x[rng.choice(n, 40 * len(special), replace=False)] = np.tile(special, 40)
    return x


@names
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_large_and_small_arrays_give_the_same_values(name, dtype):
    # Large arrays go through block-wise or one-pass code, small ones (and
    # scalars) through cheaper-to-call code: every element must agree, bit for bit.
    f = ELEMENTWISE[name]
    x = _mixed_points(dtype, 70_003)  # more than two 32768-element blocks, and a ragged end
    big = f(x)
    pieces = np.concatenate([f(x[i : i + 5]) for i in range(0, 2000, 5)])
    np.testing.assert_array_equal(big[:2000], pieces)
    sample = np.random.default_rng(6).choice(len(x), 60, replace=False)
    np.testing.assert_array_equal(big[sample], [f(v) for v in x[sample]])
    np.testing.assert_array_equal(big[::-1], f(x[::-1].copy()))  # and block boundaries elsewhere


def _bits(a: np.ndarray) -> np.ndarray:
    # assert_array_equal takes -0.0 == 0.0; the bits tell them apart
    a = np.asarray(a)
    return a.view(np.uint64 if a.dtype == np.float64 else np.uint32)


@names
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_element_calls_give_the_array_bits(name, dtype):
    # A one-element call goes through a scalar twin of the array kernel where
    # there is one (book_utils._kernels.one_element): the same bits, signed zeros included,
    # at random points of every magnitude and at the edges.
    f = ELEMENTWISE[name]
    rng = np.random.default_rng(7)
    x = _mixed_points(dtype, 3000)
    x[:200] = (rng.uniform(-4, 4, 200)).astype(dtype)  # where the pieces of the piecewise ones meet
    x[200:210] = [-0.0, 0.0, -3.0, 3.0, -700.0, 700.0, 1e4, -1e4, 44.0, -86.5]
    whole = f(x)
    for i in range(len(x)):
        one = f(x[i : i + 1])
        same = _bits(one)[0] == _bits(whole)[i] or (np.isnan(one[0]) and np.isnan(whole[i]))  # NaN: any payload
        assert same, f"{name}({x[i]!r}): one element {one[0]!r}, in an array {whole[i]!r}"
