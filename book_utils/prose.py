"""Numbers in the prose come from the cells that compute them.

A chapter computes a value, then ``glue_number("key", value)`` hands it to
myst-nb's ``glue``; the text cites it as ``{glue:text}`key:.2f``` (plain
formatting) or, through :func:`glue_tex`, as ``{glue:md}`key:myst``` (a
power of ten typeset as TeX). When the computation changes, the sentence
changes with it, so it cannot go stale.
"""

from __future__ import annotations

import math

__all__ = ["glue_math", "glue_number", "glue_tex", "tex_scientific"]


def tex_scientific(value: float, digits: int = 2) -> str:
    r"""``value`` as TeX in scientific notation with ``digits`` significant
    digits: ``1.21e-18`` -> ``1.2 \times 10^{-18}``; powers with a mantissa
    of 1 drop it (``1e-6`` -> ``10^{-6}``).

    >>> tex_scientific(1.2148e-18)
    '1.2 \\times 10^{-18}'
    >>> tex_scientific(9.94e26, 2)
    '9.9 \\times 10^{26}'
    >>> tex_scientific(0.25)
    '2.5 \\times 10^{-1}'
    >>> tex_scientific(-2.29e-7, 3)
    '-2.29 \\times 10^{-7}'
    """
    value = float(value)
    if not math.isfinite(value) or value == 0:
        raise ValueError(f"tex_scientific() needs a finite non-zero number; got {value!r}")
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    exponent = int(exponent)
    if mantissa.lstrip("-") in {"1", "1." + "0" * (digits - 1)}:
        sign = "-" if value < 0 else ""
        return f"{sign}10^{{{exponent}}}"
    return f"{mantissa} \\times 10^{{{exponent}}}"


def glue_number(key: str, value) -> None:
    """Glue ``value`` as a plain Python float (myst-nb cannot format NumPy
    scalars, whose repr is ``np.float64(...)``). Returns nothing, so a cell
    that ends with it shows no output."""
    from myst_nb import glue

    glue(key, float(value), display=False)


def glue_tex(key: str, value, digits: int = 2) -> None:
    """Glue ``value`` as inline math in scientific notation, for
    ``{glue:md}`key:myst```."""
    glue_math(key, tex_scientific(value, digits))


def glue_math(key: str, tex: str) -> None:
    """Glue the TeX ``tex`` as inline math, for ``{glue:md}`key:myst```
    (e.g. a computed number together with its sign and symbol)."""
    from IPython.display import Markdown
    from myst_nb import glue

    glue(key, Markdown(f"${tex}$"), display=False)
