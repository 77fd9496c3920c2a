"""Phone figures cut from the wide PNG (book_utils._panels_png): panels in
reading order, and the names the captions use (左, 中央, 右) above them."""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from book_utils._panels_png import PANELS_KEY, png_with_panels, stacked  # noqa: E402


def _figure(rows, cols, colours):
    fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 2.2 * rows), squeeze=False)
    for ax, colour in zip(axes.flat, colours):
        ax.set_facecolor(colour)
        ax.set_xticks([])
        ax.set_yticks([])
    # Uneven titles make the boxes of one row differ in height, as in the book's grids.
    axes.flat[0].set_title("a\nlonger title")
    png = png_with_panels(fig)
    plt.close(fig)
    return png


def _colours_top_to_bottom(png, colours):
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    centre = image[:, image.shape[1] // 2]
    rgb = {c: np.array(matplotlib.colors.to_rgb(c)) * 255 for c in colours}
    seen = []
    for pixel in centre:
        for name, value in rgb.items():
            if np.abs(pixel - value).max() < 3 and (not seen or seen[-1] != name):
                seen.append(name)
    return seen


def test_a_grid_is_stacked_row_by_row():
    colours = ["red", "green", "blue", "orange", "purple", "cyan"]
    png = stacked(_figure(2, 3, colours))
    assert _colours_top_to_bottom(png, colours) == colours


@pytest.mark.parametrize("cols", [2, 3])
def test_one_row_is_stacked_under_the_names_the_captions_use(cols):
    colours = ["red", "green", "blue"][:cols]
    wide = _figure(1, cols, colours)
    plain = Image.open(io.BytesIO(wide))
    narrow = Image.open(io.BytesIO(stacked(wide)))
    assert _colours_top_to_bottom(stacked(wide), colours) == colours
    # A band for the name above each panel: taller than the panels alone.
    boxes = __import__("json").loads(plain.info[PANELS_KEY])
    panels_only = sum(b[3] - b[1] for b in boxes) + 12 * (cols - 1)
    assert narrow.height > panels_only + cols * 10
    # The band above the first panel has dark (text) pixels.
    band = np.asarray(narrow.convert("L"))[: (narrow.height - panels_only) // cols]
    assert (band < 128).any()


def test_a_grid_gets_no_names():
    colours = ["red", "green", "blue", "orange"]
    wide = _figure(2, 2, colours)
    boxes = __import__("json").loads(Image.open(io.BytesIO(wide)).info[PANELS_KEY])
    narrow = Image.open(io.BytesIO(stacked(wide)))
    assert narrow.height == sum(b[3] - b[1] for b in boxes) + 12 * 3
