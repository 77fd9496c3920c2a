"""The figure helpers draw Japanese text with a font that has the glyphs.

A missing glyph is a UserWarning from matplotlib, which pytest turns into an
error (pyproject.toml), so drawing and saving each figure is the test.
"""

import io
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import book_utils as bu
from book_utils import plotting

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"


@pytest.fixture(autouse=True)
def book_style():
    plotting.use_book_style()
    yield
    plt.close("all")


def render(fig) -> None:
    fig.savefig(io.BytesIO(), format="png")


def test_font_is_applied_after_the_seaborn_theme():
    assert plt.rcParams["font.family"][0] == plotting.JAPANESE_FONT
    from matplotlib import font_manager

    path = font_manager.findfont(plotting.JAPANESE_FONT, fallback_to_default=False)
    assert path.endswith("ipaexg.ttf")


def test_forward_backward_figure_renders_japanese():
    fig = plotting.forward_backward(bu.sigmoid, bu.sigmoid_prime, np.linspace(-5, 5, 51), r"\sigma(x)")
    left, right = fig.axes
    assert left.get_title() == r"順伝播: $\sigma(x)$"
    assert [line.get_label() for line in right.get_lines()][:2] == [r"$\sigma(x)$", r"$\sigma'(x)$"]
    assert np.allclose(right.get_lines()[1].get_ydata(), bu.sigmoid_prime(np.linspace(-5, 5, 51)))
    render(fig)


def test_softmax_bars_render_japanese():
    x = np.array([0.5, -1.0, 2.0])
    fig, axes = plotting.panels(3)
    plotting.softmax_bars(axes, x, bu.softmax(x), bu.one_hot_argmax(x), "x")
    heights = [p.get_height() for p in axes[2].patches]
    assert heights == [0.0, 0.0, 1.0]
    assert np.allclose([p.get_height() for p in axes[1].patches], bu.softmax(x))
    render(fig)


def test_a_glyph_the_font_lacks_is_caught():
    # Guard that the checks above can fail: U+2264 (≤) is not in IPAexGothic.
    fig, ax = plt.subplots()
    ax.set_title("x ≤ 0")
    with pytest.warns(UserWarning, match="Glyph"):
        render(fig)


def test_primed_names():
    assert plotting._primed(r"\sigma(x)") == r"\sigma'(x)"


def contrast(a, b) -> float:
    """WCAG contrast ratio of two matplotlib colours (1 = identical, 21 = black on white)."""
    from matplotlib.colors import to_rgb

    def luminance(colour):
        channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_annotate_arrow_stands_out_from_the_axes():
    fig, ax = plt.subplots()
    note = plotting.annotate(ax, "最大値 0.25", xy=(0, 0.25), xytext=(2, 0.4))
    render(fig)
    assert note.arrow_patch is not None
    assert contrast(note.arrow_patch.get_edgecolor(), ax.get_facecolor()) >= 4.5
    assert note.arrow_patch.get_linewidth() >= 1


def test_the_theme_alone_draws_white_arrows():
    # Why the helper exists: under seaborn's theme a plain annotate arrow is
    # white on the white axes. If this ever fails, the theme changed.
    fig, ax = plt.subplots()
    note = ax.annotate("x", xy=(0, 0), xytext=(1, 1), arrowprops={"arrowstyle": "->"})
    render(fig)
    assert contrast(note.arrow_patch.get_edgecolor(), ax.get_facecolor()) < 1.5


def test_chapters_annotate_through_the_helper():
    raw = [(path.name, line.strip()) for path in sorted(CHAPTERS.glob("*.md"))
           for line in path.read_text(encoding="utf-8").splitlines() if re.search(r"\.annotate\(", line)]
    assert not raw, f"use book_utils.plotting.annotate (a plain annotate arrow is white): {raw}"
