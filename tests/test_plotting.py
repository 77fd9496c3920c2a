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


def test_colour_cycle_is_the_shared_palette():
    from matplotlib.colors import to_hex

    cycle = [to_hex(c) for c in plt.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle == list(plotting.PALETTE)
    assert (to_hex("C0"), to_hex("C1"), to_hex("C3")) == (plotting.FORWARD, plotting.BACKWARD, plotting.HIGHLIGHT)


def test_palette_is_the_colours_the_theme_gave_before():
    # The figures drew "C0", "C1" under seaborn's theme, i.e. its "deep" palette:
    # the shared palette must not change a colour a reader has seen.
    import seaborn as sns

    assert sns.color_palette("deep").as_hex() == list(plotting.PALETTE)


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
    raw = [
        (path.name, line.strip())
        for path in sorted(CHAPTERS.glob("*.md"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"\.annotate\(", line)
    ]
    assert not raw, f"use book_utils.plotting.annotate (a plain annotate arrow is white): {raw}"


def segments_across(line, j: float, min_step: float) -> list:
    """Segments of a drawn line that join x < j... to x >= j with a rise of at least ``min_step``."""
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    found = []
    for (x0, y0), (x1, y1) in zip(zip(x, y), zip(x[1:], y[1:])):
        if np.isfinite(y0) and np.isfinite(y1) and x0 <= j <= x1 and abs(y1 - y0) >= min_step:
            found.append(((x0, y0), (x1, y1)))
    return found


def leaky_figure(**kwargs):
    return plotting.forward_backward(
        lambda t: bu.leaky_relu(t, negative_slope=0.1),
        lambda t: bu.leaky_relu_prime(t, negative_slope=0.1),
        np.linspace(-5, 5, 101),
        r"\mathrm{LeakyReLU}(x)",
        **kwargs,
    )


def test_forward_backward_draws_no_segment_across_a_jump():
    fig = leaky_figure(jumps=(0.0,))
    right = fig.axes[1]
    derivative = right.get_lines()[1]
    assert derivative.get_label() == r"$\mathrm{LeakyReLU}'(x)$"
    assert segments_across(derivative, 0.0, 0.5) == []
    x, y = derivative.get_data()
    assert np.isnan(y[x == 0.0]).all() and (x == 0.0).sum() == 1
    # The pieces reach the jump: the last point left of 0 and the first right of it.
    assert y[x < 0][-1] == pytest.approx(0.1) and x[x < 0][-1] > -1e-300
    assert y[x > 0][0] == pytest.approx(1.0) and x[x > 0][0] < 1e-300
    # As on the ReLU page: filled at the value at 0 (PyTorch's alpha), open at the other limit.
    dots = {
        (float(line.get_xdata()[0]), float(line.get_ydata()[0])): line.get_markerfacecolor()
        for line in right.get_lines()
        if line.get_marker() == "o"
    }
    assert set(dots) == {(0.0, 0.1), (0.0, 1.0)}
    assert dots[0.0, 1.0] == "white" and dots[0.0, 0.1] != "white"
    # The function itself is continuous at 0: one unbroken line, no dots.
    assert not np.isnan(right.get_lines()[0].get_ydata()).any()
    render(fig)


def test_without_jumps_the_derivative_has_a_vertical_segment():
    # Guard: the check above finds the segment when the figure has it.
    derivative = leaky_figure().axes[1].get_lines()[1]
    assert len(segments_across(derivative, 0.0, 0.5)) == 1


def test_jumps_where_the_curve_is_continuous_change_nothing():
    fig = plotting.forward_backward(bu.elu, bu.elu_prime, np.linspace(-3, 3, 61), r"\mathrm{ELU}(x)", jumps=(0.0,))
    lines = fig.axes[1].get_lines()
    assert all(not np.isnan(line.get_ydata()).any() for line in lines)
    assert not [line for line in lines if line.get_marker() == "o"]


def test_activation_grid_draws_no_segment_across_a_jump():
    from book_utils import properties

    x = np.linspace(-4, 4, 801)  # as on the comparison page
    fig = plotting.activation_grid(properties.catalogue(), x)
    steps = []
    for ax in fig.axes:
        for line in ax.get_lines():
            lx, ly = (np.asarray(v, dtype=float) for v in line.get_data())
            if len(lx) > 2:
                rise = np.abs(np.diff(ly))
                # Grid step 0.01, slopes below 2: a smooth piece rises < 0.05 per step.
                steps += [(ax.get_title(), float(lx[i])) for i in np.flatnonzero(rise >= 0.05)]
    assert not steps, steps
    render(fig)


def test_activation_grid_without_jumps_would_draw_vertical_segments():
    import dataclasses

    no_jumps = dataclasses.replace(bu.catalogue.get("hard_swish"), jumps=())
    fig = plotting.activation_grid([no_jumps], np.linspace(-4, 4, 801))
    derivative = fig.axes[0].get_lines()[3]
    assert len(segments_across(derivative, -3.0, 0.4)) == 1 and len(segments_across(derivative, 3.0, 0.4)) == 1


def test_the_written_out_theme_is_seaborns():
    # use_book_style no longer imports seaborn (~3 s on a page's first cell); the
    # theme it writes out must still be exactly what seaborn's set_theme sets.
    import seaborn as sns

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        defaults = dict(matplotlib.rcParams)
        sns.set_theme(style="whitegrid", context="notebook")
        themed = dict(matplotlib.rcParams)
    changed = {key for key in themed if themed[key] != defaults[key]} | {"font.family"}
    assert changed - {"axes.prop_cycle", "image.cmap"} == set(plotting.SEABORN_WHITEGRID)
    for key, value in plotting.SEABORN_WHITEGRID.items():
        with matplotlib.rc_context({key: value}):
            assert matplotlib.rcParams[key] == themed[key], key


def test_the_book_style_does_not_import_seaborn():
    import subprocess
    import sys

    code = "from book_utils import plotting; import sys; plotting.use_book_style(); print('seaborn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
