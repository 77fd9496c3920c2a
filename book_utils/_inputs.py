"""Input handling shared by every activation.

One place decides what the functions accept, so the package's contract holds
for all of them alike: scalars, lists and arrays; float16/32/64 are kept,
integers and booleans become float64; anything else is a ``TypeError`` that
names the calling function and what it received. In detail:

* **Unusual real scalars.** Python ints beyond int64 (``2**64``, ``10**400``),
  :class:`fractions.Fraction` and :class:`decimal.Decimal`, alone, in lists
  or in object arrays, become the nearest float64, as ``float()`` rounds them;
  a magnitude beyond float64's range becomes ``+-inf`` (and the function then
  gives its limit there); ``Decimal("NaN")`` is NaN. A signalling
  ``Decimal("sNaN")`` is a ``ValueError``. The result is float64.
* **np.longdouble** (80-bit on x86-64 Linux) is a ``TypeError`` asking for a
  cast to float64: the kernels compute in at most float64, so a long double
  would be rounded silently (and beyond 1.8e308 overflow). Where longdouble
  *is* float64 (Windows, Apple silicon) it is simply float64.
* **pandas.** A ``Series`` or ``DataFrame`` comes back as the same type, with
  its index, columns and name, whenever the result has the input's shape:
  every element-wise function, and softmax, log_softmax and one_hot_argmax
  (along ``axis``, which counts the array's axes: 0 = down the rows,
  -1 = along each row). The Jacobians ``softmax_prime`` and
  ``log_softmax_prime`` have shape ``x.shape + (n,)``, which no pandas type
  holds, so they return a plain ndarray. Other pandas objects (Index,
  Categorical, ...) are read as arrays and give ndarrays. pandas is never
  imported unless the input already is a pandas object.
* **Masked arrays.** An element-wise function keeps the mask (the values
  under it are computed from the data underneath, which may be anything). A
  vector function (softmax and kin, one_hot_argmax) raises ``TypeError``:
  masked entries would still count in the sum along the axis; the message
  suggests ``x.filled(-np.inf)``, which gives them weight 0.
* **The final cast** to the input's dtype (float16/32 inputs are computed in
  a wider type) may overflow: a correct result beyond float16's 65504 rounds
  to inf, as IEEE says, without a warning.

Parameters (:func:`as_parameter`) follow the same rules for a single number
(Python and NumPy scalars, 0-d arrays, Fraction, Decimal, huge ints), must be
finite after conversion (``10**400`` is a ``ValueError``) and are returned as
a Python float.
"""

from __future__ import annotations

import decimal
import math
import numbers
import weakref
from collections.abc import Callable

import numpy as np

_FLOATS = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def _describe(value: object) -> str:
    """A short, readable description of a bad argument for error messages."""
    text = " ".join(repr(value).split())  # a DataFrame's repr spans lines
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _longdouble_message(func: str, what: str) -> str:
    return (
        f"{func}() computes in float16, float32 or float64; got {what} with dtype "
        f"{np.dtype(np.longdouble)} (np.longdouble): cast it first, e.g. x.astype(np.float64) "
        f"(values beyond 1.8e308 become +-inf)"
    )


def _is_long(dtype: np.dtype) -> bool:
    return dtype.kind == "f" and dtype not in _FLOATS


class _NotReal(TypeError):
    """An element that is not a real number (caught and reworded by the callers)."""


class _LongDouble(TypeError):
    """A np.longdouble element (caught and reworded by the callers)."""


def _to_float(v: object) -> float:
    """One real number as the nearest float64 (+-inf beyond its range)."""
    if isinstance(v, np.generic):
        if _is_long(v.dtype):
            raise _LongDouble
        if v.dtype.kind not in "biuf":
            raise _NotReal
        return float(v)
    if isinstance(v, decimal.Decimal):
        if v.is_snan():
            raise ValueError("signalling NaN")
        return float(v)  # via its digits: correctly rounded, +-inf and NaN included
    if isinstance(v, (str, bytes)) or not isinstance(v, numbers.Real):
        raise _NotReal
    try:
        return float(v)  # int and Fraction: correctly rounded
    except OverflowError:  # 10**400, Fraction(10**400, 3)
        return math.inf if v > 0 else -math.inf


def _from_objects(arr: np.ndarray, x: object, func: str) -> np.ndarray:
    """An object array of real numbers (2**64, Fraction, Decimal, ...) as float64."""
    out = np.empty(arr.shape, dtype=np.float64)
    flat = out.reshape(-1)
    for i, v in enumerate(arr.flat):
        try:
            flat[i] = _to_float(v)
        except _LongDouble:
            raise TypeError(_longdouble_message(func, _describe(x))) from None
        except _NotReal:
            raise TypeError(
                f"{func}() expects real numbers (a scalar, list or array); got {_describe(x)} "
                f"with dtype object, containing {_describe(v)}"
            ) from None
        except ValueError as exc:
            raise ValueError(f"{func}() cannot convert {_describe(v)} to a float ({exc}); got {_describe(x)}") from None
    return out


# --- giving pandas objects and masked arrays back ------------------------------
#
# The functions call ``as_real_array(x)`` and ``finish(out, arr)``; only ``arr``
# reaches finish. For a Series, DataFrame or masked array, as_real_array hands
# out a fresh view and remembers, under its id, how to rebuild the input's
# type; finish looks it up (checking it is still the same object) and forgets
# it. A weak reference drops the entry if the function raises in between.

_RESTORE: dict[int, tuple[weakref.ref, Callable]] = {}


def _remember(arr: np.ndarray, restore: Callable) -> np.ndarray:
    arr = arr.view()
    key = id(arr)

    def forget(ref, key=key):
        if _RESTORE.get(key, (None,))[0] is ref:
            del _RESTORE[key]

    _RESTORE[key] = (weakref.ref(arr, forget), restore)
    return arr


def _recall(like: np.ndarray) -> Callable | None:
    entry = _RESTORE.get(id(like))
    if entry is None or entry[0]() is not like:
        return None
    del _RESTORE[id(like)]
    return entry[1]


def _is_remembered(arr: np.ndarray) -> bool:
    entry = _RESTORE.get(id(arr))
    return entry is not None and entry[0]() is arr


def _pandas_restore(x: object) -> Callable | None:
    """How to rebuild a Series or DataFrame around a result of its shape."""
    import pandas as pd  # only reached for an object pandas made

    if isinstance(x, pd.Series):
        index, name, shape = x.index, x.name, x.shape
        return lambda out: pd.Series(out, index=index, name=name) if out.shape == shape else out
    if isinstance(x, pd.DataFrame):
        index, columns, shape = x.index, x.columns, x.shape
        return lambda out: pd.DataFrame(out, index=index, columns=columns) if out.shape == shape else out
    return None


def _elementwise_names() -> set[str]:
    from . import catalogue  # at call time: the catalogue imports the activations, which import this

    return {name for row in catalogue.ACTIVATIONS if row.elementwise for name in row.exports()}


def _masked_restore(x: np.ma.MaskedArray, func: str) -> Callable:
    if func not in _elementwise_names():
        raise TypeError(
            f"{func}() does not take masked arrays: a masked entry would still count along the axis; "
            f"use x.filled(-np.inf) to give masked entries weight 0, or np.asarray(x); got {_describe(x)}"
        )
    mask = np.ma.getmask(x)
    mask = mask if mask is np.ma.nomask else mask.copy()
    return lambda out: np.ma.MaskedArray(out, mask=mask)


def as_real_array(x: object, func: str) -> np.ndarray:
    """Return ``x`` as a floating-point ndarray, or raise a clear error.

    float16/32/64 keep their dtype; bool and integer inputs become float64, so
    do lists and object arrays of real numbers (huge ints, Fraction, Decimal).
    Strings, None, complex numbers, np.longdouble and other objects raise
    ``TypeError``. A pandas Series/DataFrame or a masked array is remembered
    so that :func:`finish` gives the same type back (see the module docstring).
    """
    if type(x) is np.ndarray and x.dtype.char in "efd":  # the common case, in ~0.1 us
        return x.view() if _RESTORE and _is_remembered(x) else x
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{func}() expects real numbers (a scalar, list or array); got {_describe(x)}")
    restore = None
    if type(x).__module__.startswith("pandas"):
        restore = _pandas_restore(x)
    elif isinstance(x, np.ma.MaskedArray):
        restore = _masked_restore(x, func)
    data = np.ma.getdata(x) if isinstance(x, np.ma.MaskedArray) else x
    try:
        try:
            arr = np.asarray(data)
        except OverflowError:  # a NumPy that refuses 2**64 in a list: convert element by element
            arr = np.array(data, dtype=object)
    except (ValueError, TypeError) as exc:  # ragged nested lists, odd objects
        raise TypeError(f"{func}() expects real numbers in a rectangular array; got {_describe(x)}") from exc
    kind = arr.dtype.kind
    if kind in "biu":
        arr = arr.astype(np.float64)
    elif kind == "f":
        if _is_long(arr.dtype):
            raise TypeError(_longdouble_message(func, _describe(x)))
    elif kind == "O":
        arr = _from_objects(arr, x, func)
    else:
        raise TypeError(
            f"{func}() expects real numbers (a scalar, list or array); got {_describe(x)} with dtype {arr.dtype}"
        )
    if restore is not None:
        return _remember(arr, restore)
    if _RESTORE and _is_remembered(arr):  # one public function calling another on its own input
        return arr.view()
    return arr


def as_parameter(value: object, func: str, name: str) -> float:
    """Validate a real, finite scalar parameter such as the gain ``a``.

    Python and NumPy reals, 0-d arrays of them, Fraction, Decimal and huge
    ints become the nearest float (as for ``x``); bool, arrays with elements,
    np.longdouble and non-numbers raise ``TypeError``; a value that is not
    finite after conversion (NaN, inf, ``10**400``) raises ``ValueError``.
    """
    if type(value) is float and math.isfinite(value):  # the common case
        return value
    scalar = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value
    if isinstance(scalar, (bool, np.bool_)) or isinstance(scalar, np.ndarray):
        raise TypeError(f"{func}() expects {name} to be a real number; got {_describe(value)}")
    try:
        converted = _to_float(scalar)
    except _LongDouble:
        raise TypeError(_longdouble_message(func, f"{name} = {_describe(value)}")) from None
    except _NotReal:
        raise TypeError(f"{func}() expects {name} to be a real number; got {_describe(value)}") from None
    except ValueError:
        raise ValueError(f"{func}() expects {name} to be finite; got {_describe(value)}") from None
    if not math.isfinite(converted):
        raise ValueError(f"{func}() expects {name} to be finite; got {_describe(value)} (as a float: {converted!r})")
    return converted


def _narrows(out: object, dtype: np.dtype) -> bool:
    """Whether casting ``out`` to ``dtype`` may overflow (a wider float, or not an array)."""
    src = getattr(out, "dtype", None)
    return src is None or (src.kind == "f" and src.itemsize > dtype.itemsize)


def keep_nan(out, x: np.ndarray) -> np.ndarray:
    """``out`` as x's dtype, with NaN wherever x is NaN (comparisons such as
    ``x > 0`` send NaN to one branch; the result must stay NaN)."""
    fresh = isinstance(out, np.ndarray) and out is not x and out.base is None
    if fresh and out.dtype == x.dtype:
        pass  # the caller's own new array: no copy
    elif _narrows(out, x.dtype):
        with np.errstate(over="ignore"):  # a parameter beyond x's range rounds to +-inf
            out = np.array(out, dtype=x.dtype)
    else:
        out = np.array(out, dtype=x.dtype)
    # x.min() is NaN exactly when some entry is: one cheap pass, and the mask
    # is only built when there is a NaN to copy.
    if x.size == 1:  # a scalar: item() is ~10x cheaper than a reduction
        if math.isnan(x.item()):
            out[...] = x
    elif x.size and np.isnan(x.min()):
        np.copyto(out, x, where=np.isnan(x))
    return out


def finish(out: np.ndarray, like: np.ndarray):
    """Cast to the input's dtype and turn a 0-d result back into a scalar;
    a Series, DataFrame or masked array input gets its type back.

    The cast rounds a result computed in a wider type; beyond the dtype's
    range that is +-inf (IEEE rounding), not a warning.
    """
    if _narrows(out, like.dtype):
        with np.errstate(over="ignore"):
            out = np.asarray(out, dtype=like.dtype)
    else:
        out = np.asarray(out, dtype=like.dtype)
    restore = _recall(like) if _RESTORE else None
    if restore is not None:
        out = restore(out)
    return out[()] if out.ndim == 0 else out
