"""A toy activation for tests/test_catalogue.py: f(x) = x / 2.

It is registered (conftest.py) only in a subprocess that the catalogue tests
start with BOOK_UTILS_TOY=1, to show that one catalogue row and one oracle
are all the generated tests need: every generated test then runs for it.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

# A new activation in book_utils handles its input with these helpers, as
# every activation does; the toy lives in tests/, so it imports them.
from book_utils._inputs import as_real_array, finish


def toy(x):
    """Half the input.

    >>> toy([-2.0, 1.0]).tolist()
    [-1.0, 0.5]
    """
    arr = as_real_array(x, "toy")
    return finish(arr / 2, arr)


def toy_prime(x):
    """The derivative of :func:`toy`: 1/2 everywhere (NaN stays NaN).

    >>> toy_prime([-2.0, 1.0]).tolist()
    [0.5, 0.5]
    """
    arr = as_real_array(x, "toy_prime")
    return finish(np.where(np.isnan(arr), arr, np.full_like(arr, 0.5)), arr)


def register() -> None:
    """Add the toy to the catalogue, the package's exports and the oracles."""
    import book_utils as bu
    from book_utils import catalogue

    import oracles

    row = catalogue.Activation(
        name="toy",
        ja="トイ",
        en="toy",
        f=toy,
        fprime=toy_prime,
        page="chapters/modern",
    )
    catalogue.ACTIVATIONS = (*catalogue.ACTIVATIONS, row)
    for name, fn in row.exports().items():
        setattr(bu, name, fn)
        bu.__all__.append(name)
    oracles.ORACLES["toy"] = (
        oracles.Oracle(
            ref=lambda v: v / 2,
            ref_prime=lambda v: mp.mpf(1) / 2,
            limits=(-oracles.INF, oracles.INF),
            prime_limits=(0.5, 0.5),
        ),
    )
    oracles.EXTRA_PROPERTIES["toy"] = oracles.Known(
        low=-oracles.INF,
        high=oracles.INF,
        closed=(False, False),
        monotonic=True,
        smoothness=2,
        mean=0.0,
        max_slope=0.5,
        saturates=(False, False),
    )
    oracles.FRAMEWORKS["toy"] = oracles.Frameworks(torch=None, jax=())  # neither has it
    oracles.CASES[:] = oracles.cases()
    oracles.ELEMENTWISE.update({fn.__name__: fn for fn in row.exports().values()})
