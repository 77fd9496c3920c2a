"""The figure helpers draw Japanese text with a font that has the glyphs.

A missing glyph is a UserWarning from matplotlib, which pytest turns into an
error (pyproject.toml), so drawing and saving each figure is the test.
"""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import book_utils as bu
from book_utils import plotting


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
