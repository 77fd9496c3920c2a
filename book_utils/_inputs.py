"""Input handling shared by every activation.

One place decides what the functions accept, so the package's contract holds
for all of them alike: scalars, lists and arrays; float dtypes are kept,
integers and booleans become float64; anything non-numeric is a ``TypeError``
that names the calling function and what it received.
"""

from __future__ import annotations

import numbers

import numpy as np


def _describe(value: object) -> str:
    """A short, readable description of a bad argument for error messages."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def as_real_array(x: object, func: str) -> np.ndarray:
    """Return ``x`` as a floating-point ndarray, or raise a clear error.

    float16/32/64 keep their dtype; bool and integer inputs become float64.
    Strings, None, complex numbers and object arrays raise ``TypeError``.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{func}() expects real numbers (a scalar, list or array); got {_describe(x)}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists, odd objects
        raise TypeError(f"{func}() expects real numbers in a rectangular array; got {_describe(x)}") from exc
    kind = arr.dtype.kind
    if kind in "biu":
        return arr.astype(np.float64)
    if kind == "f":
        return arr
    raise TypeError(
        f"{func}() expects real numbers (a scalar, list or array); got {_describe(x)} with dtype {arr.dtype}"
    )


def as_parameter(value: object, func: str, name: str) -> float:
    """Validate a real, finite scalar parameter such as the gain ``a``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{func}() expects {name} to be a real number; got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{func}() expects {name} to be finite; got {value!r}")
    return value


def keep_nan(out, x: np.ndarray) -> np.ndarray:
    """``out`` as x's dtype, with NaN wherever x is NaN (comparisons such as
    ``x > 0`` send NaN to one branch; the result must stay NaN)."""
    out = np.array(out, dtype=x.dtype)
    np.copyto(out, x, where=np.isnan(x))
    return out


def finish(out: np.ndarray, like: np.ndarray):
    """Cast to the input's dtype and turn a 0-d result back into a scalar."""
    out = np.asarray(out, dtype=like.dtype)
    return out[()] if out.ndim == 0 else out
