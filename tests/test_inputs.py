"""The input contract beyond plain lists and arrays (book_utils/_inputs.py):
pandas objects, masked arrays, np.longdouble, huge and exact scalars (int,
Fraction, Decimal) and parameters, also near the float limits.

Every test is generated from ``book_utils.__all__`` and the catalogue. Each
case ends in a correct result or an error naming the function (and the
parameter); pytest turns any warning into an error (pyproject.toml). The
losses (``catalogue.LOSSES``: logits and a target) follow the same rules and
are checked in tests/test_losses.py.
"""

import decimal
import math
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import book_utils as bu

LOSSES = {name for row in bu.catalogue.LOSSES for name in row.exports()}
PUBLIC = {name: getattr(bu, name) for name in bu.__all__ if callable(getattr(bu, name)) and name not in LOSSES}
ELEMENTWISE = {name for row in bu.catalogue.ACTIVATIONS if row.elementwise for name in row.exports()}
# The vector activations' derivatives are Jacobians, of shape x.shape + (n,).
JACOBIANS = {
    name for row in bu.catalogue.ACTIVATIONS if not row.elementwise for name in row.exports() if name.endswith("_prime")
}
# softmax, log_softmax and the helpers: a vector function whose result has x's shape.
SAME_SHAPE_VECTOR = set(PUBLIC) - ELEMENTWISE - JACOBIANS
# The real-valued keyword parameters (not axis or approximate), for each function that takes them.
PARAMS = [
    (name, p.name)
    for row in bu.catalogue.ACTIVATIONS
    for p in row.params
    if isinstance(p.default, float)
    for name in row.exports()
]


def own(name: str) -> str:
    """The name error messages use: the function's own (swish is silu)."""
    return PUBLIC[name].__name__


def test_the_groups_cover_every_function():
    assert ELEMENTWISE and JACOBIANS and SAME_SHAPE_VECTOR and PARAMS
    assert ELEMENTWISE | JACOBIANS | SAME_SHAPE_VECTOR == set(PUBLIC)


def edge_values(dtype) -> np.ndarray:
    """Zeros, ones, a few moderate values, the largest, tiniest and subnormal floats, +-inf."""
    info = np.finfo(dtype)
    values = [0.0, -0.0, 1.0, -1.0, 11.0, -17.0, 1000.0, -1000.0, info.max, -info.max, info.tiny]
    return np.array([*values, info.smallest_subnormal, -info.smallest_subnormal, np.inf, -np.inf], dtype=dtype)


def same(a, b) -> bool:
    return np.shape(a) == np.shape(b) and np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


# --- pandas -------------------------------------------------------------------------

SERIES = pd.Series([-2.0, 0.0, 0.5, 3.0], index=list("wxyz"), name="logits")
FRAME = pd.DataFrame([[-2.0, 0.0, 0.5], [3.0, 1.0, -1.0]], index=["a", "b"], columns=["p", "q", "r"])


@pytest.mark.parametrize("name", sorted(ELEMENTWISE | SAME_SHAPE_VECTOR))
def test_series_in_series_out(name):
    out = PUBLIC[name](SERIES)
    assert isinstance(out, pd.Series)
    assert out.index.equals(SERIES.index) and out.name == SERIES.name
    assert same(out.to_numpy(), PUBLIC[name](SERIES.to_numpy()))


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_dataframe_in_dataframe_out(name):
    out = PUBLIC[name](FRAME)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(FRAME.index) and out.columns.equals(FRAME.columns)
    assert same(out.to_numpy(), PUBLIC[name](FRAME.to_numpy()))


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("name", sorted(SAME_SHAPE_VECTOR))
def test_dataframe_along_an_axis_is_a_dataframe(name, axis):
    out = PUBLIC[name](FRAME, axis=axis)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(FRAME.index) and out.columns.equals(FRAME.columns)
    assert same(out.to_numpy(), PUBLIC[name](FRAME.to_numpy(), axis=axis))


@pytest.mark.parametrize("x", [SERIES, FRAME], ids=["Series", "DataFrame"])
@pytest.mark.parametrize("name", sorted(JACOBIANS))
def test_jacobian_of_pandas_is_a_plain_array(name, x):
    out = PUBLIC[name](x)
    assert type(out) is np.ndarray
    assert same(out, PUBLIC[name](x.to_numpy()))


@pytest.mark.parametrize("name", sorted(ELEMENTWISE | SAME_SHAPE_VECTOR))
def test_pandas_dtypes_follow_the_array_rules(name):
    assert PUBLIC[name](FRAME.astype(np.float32)).dtypes.eq(np.float32).all()
    assert PUBLIC[name](pd.Series([1, 2, 3])).dtype == np.float64
    empty = PUBLIC[name](pd.Series([], dtype=np.float64, name="e"))
    assert isinstance(empty, pd.Series) and len(empty) == 0 and empty.name == "e"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_pandas_with_text_is_a_type_error(name):
    with pytest.raises(TypeError, match=rf"^{own(name)}\(\) expects real numbers"):
        PUBLIC[name](pd.DataFrame({"p": [1.0, 2.0], "label": ["a", "b"]}))


def test_pandas_input_is_not_modified():
    frame = FRAME.copy()
    for fn in PUBLIC.values():
        fn(frame)
    pd.testing.assert_frame_equal(frame, FRAME)


def test_book_utils_works_without_pandas():
    code = (
        "import sys; sys.modules['pandas'] = None\n"  # import pandas now fails
        "import numpy as np, book_utils as bu\n"
        "losses = {n for row in bu.catalogue.LOSSES for n in row.exports()}\n"
        "for name in bu.__all__:\n"
        "    fn = getattr(bu, name)\n"
        "    if callable(fn) and name not in losses:\n"
        "        fn(np.ones((2, 3))); fn([1, 2]); fn(0.5)\n"
        "bu.cross_entropy(np.ones((2, 3)), [0, 2]); bu.binary_cross_entropy_with_logits_grad([1, 2], [0, 1])\n"
        "bu.tanh(np.ma.masked_array([1.0, 2.0], mask=[True, False]))\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


# --- masked arrays --------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise_keeps_the_mask(name, dtype):
    x = np.ma.masked_array([[-2, 0, 1], [3, -1, 2]], mask=[[0, 1, 0], [1, 0, 0]], dtype=dtype)
    out = PUBLIC[name](x)
    assert isinstance(out, np.ma.MaskedArray)
    assert np.array_equal(np.ma.getmaskarray(out), np.ma.getmaskarray(x))
    assert out.dtype == (np.float64 if dtype == np.int64 else dtype)
    plain = PUBLIC[name](x.data)
    assert same(out.data[~x.mask], plain[~x.mask])


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_masked_edge_cases(name):
    fn = PUBLIC[name]
    unmasked = fn(np.ma.masked_array([0.5, -1.0]))  # nomask stays nomask
    assert isinstance(unmasked, np.ma.MaskedArray) and not np.ma.is_masked(unmasked)
    assert same(unmasked.data, fn(np.array([0.5, -1.0])))
    assert fn(np.ma.masked) is np.ma.masked  # a masked scalar stays masked
    assert same(fn(np.ma.masked_array(0.5)), fn(0.5))
    x = np.ma.masked_array([np.nan, 1.0, -np.inf], mask=[1, 0, 0])
    before, mask = x.data.copy(), x.mask.copy()
    fn(x)
    assert same(x.data, before) and np.array_equal(x.mask, mask)


@pytest.mark.parametrize("name", sorted(JACOBIANS | SAME_SHAPE_VECTOR))
def test_vector_functions_refuse_masked_arrays(name):
    for x in [np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0]), np.ma.masked_array([1.0, 2.0])]:
        with pytest.raises(TypeError, match=rf"^{own(name)}\(\) does not take masked arrays.*filled\(-np.inf\)"):
            PUBLIC[name](x)


# --- np.longdouble --------------------------------------------------------------------

needs_long = pytest.mark.skipif(
    np.dtype(np.longdouble) == np.float64, reason="long double is float64 on this platform (accepted as float64)"
)


@needs_long
@pytest.mark.parametrize(
    "x",
    [
        np.array([0.5, -1.0], dtype=np.longdouble),
        np.longdouble(0.5),
        [np.longdouble(1), 2.0],
        [Fraction(1, 2), np.longdouble(1)],
    ],
    ids=["array", "scalar", "list", "object-list"],
)
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_longdouble_is_a_type_error_asking_for_float64(name, x):
    with pytest.raises(
        TypeError, match=rf"^{own(name)}\(\) computes in float16, float32 or float64.*astype\(np.float64\)"
    ):
        PUBLIC[name](x)


@needs_long
@pytest.mark.parametrize("name,param", PARAMS)
def test_longdouble_parameter_is_a_type_error(name, param):
    for value in [np.longdouble(0.5), np.array(0.5, dtype=np.longdouble)]:
        with pytest.raises(TypeError, match=rf"^{own(name)}\(\) computes in .* got {param} = .*astype\(np.float64\)"):
            PUBLIC[name](0.5, **{param: value})


# --- huge and exact scalars: the nearest float64 ----------------------------------------

UNUSUAL = [  # (value, the float64 it must act as)
    (2**63, 9.223372036854775808e18),
    (2**64, 1.8446744073709552e19),
    (2**64 + 1, 1.8446744073709552e19),  # rounded to nearest
    (-(2**70), -1.1805916207174113e21),
    (2**1024 - 2**971, 1.7976931348623157e308),  # the largest double, exactly
    (2**1024 - 2**970, math.inf),  # halfway to 2**1024: rounds (to even) out of range
    (10**400, math.inf),
    (-(10**400), -math.inf),
    (Fraction(1, 3), 1 / 3),
    (Fraction(-7, 2), -3.5),
    (Fraction(10**400, 3), math.inf),
    (Fraction(-1, 10**400), -0.0),
    (decimal.Decimal("1.5"), 1.5),
    (decimal.Decimal("-0.1"), -0.1),
    (decimal.Decimal("1e400"), math.inf),
    (decimal.Decimal("-Infinity"), -math.inf),
    (decimal.Decimal("NaN"), math.nan),
]
unusual = pytest.mark.parametrize(
    "value,as_float", UNUSUAL, ids=[f"{type(v).__name__}-{i}" for i, (v, _) in enumerate(UNUSUAL)]
)


@unusual
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_unusual_scalar_acts_as_its_nearest_float(name, value, as_float):
    out = PUBLIC[name](value)
    assert isinstance(out, np.float64)
    assert same(out, PUBLIC[name](as_float))


@unusual
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_lists_and_object_arrays_of_unusual_scalars(name, value, as_float):
    fn = PUBLIC[name]
    assert same(fn([value, 0.5, -1.0]), fn([as_float, 0.5, -1.0]))
    nested = [[value, 0.5], [True, value]]
    expected = fn(np.array([[as_float, 0.5], [1.0, as_float]]))
    assert same(fn(nested), expected) and fn(nested).dtype == np.float64
    assert same(fn(np.array(nested, dtype=object)), expected)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_signalling_nan_and_non_real_elements(name):
    fn = PUBLIC[name]
    with pytest.raises(ValueError, match=rf"^{own(name)}\(\) cannot convert Decimal"):
        fn(decimal.Decimal("sNaN"))
    with pytest.raises(ValueError, match=rf"^{own(name)}\(\) cannot convert Decimal"):
        fn([1.0, decimal.Decimal("sNaN")])
    for bad in [[2**64, None], [Fraction(1, 2), 1j], np.array([1.0, object()], dtype=object), [2**64, [1.0]]]:
        with pytest.raises(TypeError, match=rf"^{own(name)}\(\) expects real numbers.*got"):
            fn(bad)


# --- parameters ------------------------------------------------------------------------

PARAM_EQUIVALENTS = [  # (value, the float it must act as)
    (Fraction(1, 4), 0.25),
    (Fraction(-1, 3), -1 / 3),
    (decimal.Decimal("0.25"), 0.25),
    (decimal.Decimal("-0.1"), -0.1),
    (np.float32(0.25), 0.25),
    (np.float16(-0.5), -0.5),
    (np.int64(0), 0.0),
    (np.uint8(2), 2.0),
    (np.array(0.25), 0.25),
    (np.array(-3, dtype=np.int32), -3.0),
    (np.array(Fraction(1, 4), dtype=object), 0.25),
    (2**64, 1.8446744073709552e19),
    (-(2**64) - 1, -1.8446744073709552e19),
]


MODERATE = np.array([-np.inf, -30.0, -2.0, -0.5, -0.0, 0.0, 0.5, 3.0, 30.0, np.inf, np.nan])


def outcome(fn, *args, **kwargs):
    """The result, or the type of the error (hard_tanh refuses min_val >= max_val)."""
    try:
        return fn(*args, **kwargs)
    except ValueError:
        return ValueError


@pytest.mark.parametrize("value,as_float", PARAM_EQUIVALENTS, ids=repr)
@pytest.mark.parametrize("name,param", PARAMS)
def test_parameter_acts_as_its_nearest_float(name, param, value, as_float):
    x = MODERATE  # the edge values would meet leaky_relu's overflow, tested below
    got, expected = outcome(PUBLIC[name], x, **{param: value}), outcome(PUBLIC[name], x, **{param: as_float})
    assert got is expected if expected is ValueError else same(got, expected)


@pytest.mark.parametrize(
    "value",
    [
        10**400,
        -(10**400),
        Fraction(10**400, 3),
        decimal.Decimal("Infinity"),
        decimal.Decimal("NaN"),
        decimal.Decimal("sNaN"),
        np.float32(np.inf),
        np.array(np.nan),
    ],
    ids=repr,
)
@pytest.mark.parametrize("name,param", PARAMS)
def test_parameter_not_finite_is_a_value_error(name, param, value):
    with pytest.raises(ValueError, match=rf"^{own(name)}\(\) expects {param} to be finite; got"):
        PUBLIC[name](0.5, **{param: value})


@pytest.mark.parametrize(
    "value",
    [True, np.bool_(False), np.array(True), np.array([0.5]), np.array([1.0, 2.0]), "0.5", None, 1j, np.complex64(1)],
    ids=repr,
)
@pytest.mark.parametrize("name,param", PARAMS)
def test_parameter_not_real_is_a_type_error(name, param, value):
    with pytest.raises(TypeError, match=rf"^{own(name)}\(\) expects {param} to be a real number; got"):
        PUBLIC[name](0.5, **{param: value})


F32_MAX = float(np.finfo(np.float32).max)
F64_MAX = float(np.finfo(np.float64).max)
LIMIT_VALUES = [1e39, -1e39, 1.7e308, -1.7e308, F64_MAX, -F64_MAX, 3.0, -3.0, 1e-300, 5e-324, -5e-324]


def limit_cases():
    for name, param in PARAMS:
        for dtype in (np.float16, np.float32, np.float64):
            for value in LIMIT_VALUES:
                yield pytest.param(name, param, dtype, value, id=f"{name}-{param}={value!r}-{np.dtype(dtype)}")


@pytest.mark.parametrize("name,param,dtype,value", list(limit_cases()))
def test_parameter_near_the_float_limits_does_not_warn(name, param, dtype, value):
    x = np.concatenate([edge_values(dtype), np.array([np.nan], dtype=dtype)])
    out = outcome(PUBLIC[name], x, **{param: value})
    if out is ValueError:  # only hard_tanh: min_val < max_val fails
        assert name.startswith("hard_tanh")
        return
    assert out.dtype == dtype
    assert np.array_equal(np.isnan(out), np.isnan(x)), f"NaN at {x[np.isnan(out) != np.isnan(x)]}"


def test_elu_float32_with_alpha_beyond_float32():
    assert bu.elu(np.float32(0), alpha=1e39) == 0
    assert bu.elu(np.float32(-1), alpha=1e39) == -np.inf  # -6.3e38 rounds to -inf in float32


def test_leaky_relu_at_the_float64_limits():
    assert bu.leaky_relu(np.array([1.7e308, -1.7e308]), 3.0).tolist() == [1.7e308, -np.inf]


def test_log_softmax_float16_limits_round_to_inf():
    # -131008 (computed in float32) is beyond float16: IEEE rounds it to -inf, without a warning
    out = bu.log_softmax(np.array([65504, -65504], dtype=np.float16))
    assert out.dtype == np.float16 and out.tolist() == [0.0, -np.inf]


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_float16_edge_values_do_not_warn(name):
    x = np.concatenate([edge_values(np.float16), np.array([np.nan], dtype=np.float16)])
    for inp in [x, x.reshape(4, -1), np.array([65504, -65504], dtype=np.float16)]:
        assert PUBLIC[name](inp).dtype == np.float16
