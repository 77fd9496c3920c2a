"""Figure helpers: every page of the chapter draws through these, so the
figures share one look, one palette and a Japanese font that renders.
The palette, line styles and axis labels are the book's one style
(``book_utils/_style.py``), which the sliders' SVG charts read too.

The Japanese font is IPAexGothic, shipped by the PyPI package
``matplotlib-fontja`` (nothing has to be installed on the system). The
theme resets the font family, so :func:`use_book_style` applies the font
*after* the theme.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from ._style import ARROW, BACKWARD, FORWARD, HIGHLIGHT, LABELS, LINES, NEUTRAL, PALETTE, REFERENCE
from .pieces import break_at_jumps, jump_grid

JAPANESE_FONT = "IPAexGothic"


# What seaborn 0.13's ``set_theme(style="whitegrid", context="notebook")`` sets,
# written out so that a page need not import seaborn (~3 s) to get the look;
# tests/test_plotting.py checks it against seaborn itself. Left out: seaborn's
# palette (the book's own cycle is set below) and its default colormap (unused).
SEABORN_WHITEGRID = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".8",
    "axes.grid": True,
    "axes.labelcolor": ".15",
    "axes.labelsize": 12.0,
    "axes.linewidth": 1.25,
    "axes.titlesize": 12.0,
    "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "font.size": 12.0,
    "grid.color": ".8",
    "grid.linewidth": 1.0,
    "legend.fontsize": 11.0,
    "legend.title_fontsize": 12.0,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.labelsize": 11.0,
    "xtick.major.size": 6.0,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4.0,
    "xtick.minor.width": 1.0,
    "ytick.color": ".15",
    "ytick.labelsize": 11.0,
    "ytick.left": False,
    "ytick.major.size": 6.0,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
}


def use_book_style() -> None:
    """Apply the book's theme (seaborn's whitegrid, written out), then the
    Japanese font and the book's palette as the colour cycle (``C0``, ``C1``,
    ... are then its colours). In a notebook, figures are then shown as the
    PNGs of :mod:`book_utils._panels_png`."""
    import matplotlib_fontja  # registers IPAexGothic with matplotlib

    matplotlib.rcParams.update(SEABORN_WHITEGRID)
    matplotlib_fontja.japanize()  # after the theme, which resets the family
    matplotlib.rcParams.update(
        {
            "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
            "font.family": JAPANESE_FONT,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.fontsize": 10,
            "legend.framealpha": 0.9,
        }
    )
    # Inline figures carry where their panels are, for the phone version of the HTML.
    from ._panels_png import install

    install()


def panels(ncols: int = 2, nrows: int = 1, width: float = 4.2, height: float = 3.2):
    """A figure with ``nrows x ncols`` axes of a size that reads on a phone.

    Returns ``(fig, axes)`` with ``axes`` always a flat array.
    """
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False)
    return fig, axes.ravel()


def style_axes(ax, title: str, xlabel: str = LABELS["input"].tex, ylabel: str = LABELS["output"].tex) -> None:
    """Title, axis labels, the axes through the origin, and a legend if any."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.axhline(0, color=REFERENCE, linewidth=0.8, zorder=0)
    ax.axvline(0, color=REFERENCE, linewidth=0.8, zorder=0)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best")


def annotate(ax, text: str, xy: tuple[float, float], xytext: tuple[float, float], **kwargs):
    """``ax.annotate`` with an arrow from ``xytext`` to ``xy`` that shows:
    dark, whatever the theme sets for patch edges. Extra ``arrowprops`` are
    merged in; other keywords go to ``ax.annotate``."""
    arrowprops = {"arrowstyle": "->", "color": ARROW, "linewidth": 1.2, "shrinkA": 2, "shrinkB": 4}
    arrowprops.update(kwargs.pop("arrowprops", {}))
    return ax.annotate(text, xy=xy, xytext=xytext, arrowprops=arrowprops, **kwargs)


def plot_curves(ax, x: np.ndarray, curves: Sequence[tuple[np.ndarray, str]], title: str, **labels) -> None:
    """Draw several labelled curves ``(y, label)`` over the same ``x``."""
    for y, label in curves:
        ax.plot(x, y, label=label, linewidth=2)
    style_axes(ax, title, **labels)


def forward_backward(
    f: Callable[[np.ndarray], np.ndarray],
    fprime: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    name: str,
    *,
    prime_name: str | None = None,
    jumps: Sequence[float] = (),
):
    """The standard figure of a section: the function alone (left) and the
    function with its derivative (right), the forward and backward passes.

    ``name`` is the TeX of the function, e.g. ``r"\\sigma(x)"``; the
    derivative's TeX defaults to ``name`` with a prime on the symbol.
    ``jumps`` are the x where ``f`` or ``fprime`` may jump (e.g. the
    derivative at a kink): a curve that does jump there is drawn in pieces,
    with a filled dot at its value and open dots at the other limits (see
    :mod:`book_utils.pieces`). Returns the figure.
    """
    prime_name = prime_name or _primed(name)
    fig, (left, right) = panels(2)
    x = jump_grid(x, jumps)
    y, dy = f(x), fprime(x)
    plot_pieces(left, x, y, jumps, color=FORWARD, linewidth=2, label=f"${name}$")
    style_axes(left, f"順伝播: ${name}$")
    plot_pieces(right, x, y, jumps, color=FORWARD, linewidth=2, label=f"${name}$")
    plot_pieces(right, x, dy, jumps, color=BACKWARD, linewidth=2, label=f"${prime_name}$")
    style_axes(right, "順伝播と導関数（逆伝播）")
    fig.tight_layout()
    return fig


def plot_pieces(ax, x: np.ndarray, y: np.ndarray, jumps: Sequence[float], *, markersize: float = 7, **line):
    """``ax.plot(x, y, **line)`` without a segment across the jumps of ``y``,
    and the dots of the ReLU page: filled at the value at a jump, open at the
    other one-sided limits. ``x`` comes from :func:`book_utils.pieces.jump_grid`.
    Returns the line."""
    y_line, filled, hollow = break_at_jumps(x, y, jumps)
    (drawn,) = ax.plot(x, y_line, **line)
    colour = drawn.get_color()
    for points, face in [(filled, colour), (hollow, "white")]:
        if points:
            px, py = zip(*points)
            ax.plot(
                px,
                py,
                "o",
                markersize=markersize,
                markerfacecolor=face,
                markeredgecolor=colour,
                markeredgewidth=1.5,
                zorder=drawn.get_zorder() + 0.1,
            )
    return drawn


def _primed(name: str) -> str:
    """``\\sigma(x)`` -> ``\\sigma'(x)``: put the prime before the argument."""
    head, paren, rest = name.partition("(")
    return f"{head}'{paren}{rest}" if paren else name + "'"


def softmax_bars(axes, x: np.ndarray, probabilities: np.ndarray, one_hot: np.ndarray, label: str) -> None:
    """Three bar charts of one input vector: ``x``, its softmax, its argmax.

    The data go through a pandas DataFrame and seaborn, one row per component.
    """
    import pandas as pd
    import seaborn as sns

    component = LABELS["component"].tex
    frame = pd.DataFrame(
        {
            component: np.arange(len(x)),
            "入力": x,
            "softmax": probabilities,
            "argmax (one-hot)": one_hot,
        }
    )
    columns = [
        ("入力", f"入力 ${label}$"),
        ("softmax", f"softmax$({label})$"),
        ("argmax (one-hot)", f"argmax$({label})$"),
    ]
    for ax, (column, title), colour in zip(axes, columns, [NEUTRAL, FORWARD, HIGHLIGHT]):
        sns.barplot(frame, x=component, y=column, ax=ax, color=colour)
        ax.set_title(title)
        ax.axhline(0, color=REFERENCE, linewidth=0.8)
    for ax in axes[1:]:
        ax.set_ylim(0, 1.05)


def activation_grid(entries, x: np.ndarray, ncols: int = 4, ylim: tuple[float, float] = (-2.0, 3.0)):
    """Small multiples: each activation (solid) and its derivative (dashed)
    on the same axes and scale, so their shapes can be compared at a glance.

    ``entries`` are rows of :mod:`book_utils.catalogue` (``ja``, ``f``,
    ``fprime``, ``jumps``); at the jumps a curve is drawn in pieces as in
    :func:`forward_backward`. Returns the figure.
    """
    nrows = -(-len(entries) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.6 * ncols, 2.1 * nrows), sharex=True, sharey=True)
    for ax, entry in zip(axes.ravel(), entries):
        ax.axhline(0, color=REFERENCE, linewidth=0.6, zorder=0)
        ax.axvline(0, color=REFERENCE, linewidth=0.6, zorder=0)
        jumps = entry.jumps
        grid = jump_grid(x, jumps)
        plot_pieces(
            ax,
            grid,
            entry.f(grid),
            jumps,
            markersize=4.5,
            color=FORWARD,
            linewidth=1.8,
            linestyle=LINES["function"].matplotlib,
            label="$f$",
        )
        plot_pieces(
            ax,
            grid,
            entry.fprime(grid),
            jumps,
            markersize=4.5,
            color=BACKWARD,
            linewidth=1.5,
            linestyle=LINES["derivative"].matplotlib,
            label="$f'$",
        )
        ax.set_title(entry.ja, fontsize=11)
        ax.set_ylim(*ylim)
    for ax in axes.ravel()[len(entries) :]:
        ax.set_visible(False)
    axes.ravel()[0].legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig
