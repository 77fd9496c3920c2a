"""A figure's PNG that says where its panels are, and the phone version cut from it.

Side by side, two or three panels shrink on a 390 px phone until their text
is about 5 px tall. The book's HTML therefore offers phones a second image,
the same panels one above the other, cut from the same PNG at build time
(``_ext/narrow_figures.py``). To cut it, the PNG carries, as text chunks:

- ``PANELS_KEY``: each panel's box (the axes with its title, labels, ticks
  and legend) in the image's pixels, ``[[left, top, right, bottom], ...]``,
  only when panels sit side by side;
- ``TEXT_KEY``: the height in px of the smallest text drawn, which the tests
  scale by the width the browser shows the image at.

:func:`install` makes the notebook's inline figures such PNGs; the pixels
are what the inline backend draws (``bbox_inches="tight"``, ``fig.dpi``).
"""

from __future__ import annotations

import io
import json

import matplotlib
from matplotlib.figure import Figure
from matplotlib.text import Text

PANELS_KEY = "book-utils:panels"
TEXT_KEY = "book-utils:min-text-px"
GAP = 12  # px of white between two panels stacked


def png_with_panels(fig: Figure) -> bytes | None:
    """``fig`` as the inline backend's PNG, with the two text chunks above."""
    if not fig.axes and not fig.images:
        return None  # what the inline backend does: nothing to show
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    dpi = fig.dpi
    box = fig.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])  # inches
    left, top = box.x0 * dpi, box.y1 * dpi  # display px -> image px: x - left, top - y
    metadata = {TEXT_KEY: f"{min_text_px(fig):.2f}"}
    visible = [ax for ax in fig.axes if ax.get_visible()]
    boxes = [ax.get_tightbbox(renderer) for ax in visible]
    if _side_by_side(boxes):
        panels = [[round(b.x0 - left), round(top - b.y1), round(b.x1 - left), round(top - b.y0)] for b in boxes]
        metadata[PANELS_KEY] = json.dumps(panels)
    out = io.BytesIO()
    fig.savefig(
        out,
        format="png",
        dpi=dpi,
        bbox_inches=box,
        facecolor=fig.get_facecolor(),
        edgecolor=fig.get_edgecolor(),
        metadata=metadata,
    )
    return out.getvalue()


def min_text_px(fig: Figure) -> float:
    """The font size, in px at ``fig.dpi``, of the smallest visible text of ``fig``."""
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_text().strip() and t.get_visible() and (t.axes is None or t.axes.get_visible())
    ]
    return min(sizes, default=float("inf")) * fig.dpi / 72


def _side_by_side(boxes) -> bool:
    """Two of the boxes share a row (they overlap vertically, not horizontally)."""
    return any(
        a.y0 < b.y1 and b.y0 < a.y1 and (a.x1 <= b.x0 or b.x1 <= a.x0)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def stacked(png: bytes) -> bytes | None:
    """The panels of a PNG from :func:`png_with_panels`, one above the other in
    reading order (rows top to bottom, left to right), at the same scale; None
    when the PNG has no panels side by side."""
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    panels = image.info.get(PANELS_KEY)
    if panels is None:
        return None
    width, height = image.size
    boxes = [(max(0, a), max(0, b), min(width, c), min(height, d)) for a, b, c, d in json.loads(panels)]
    rows = _rows(boxes)
    order = sorted(range(len(boxes)), key=lambda i: (rows[i], boxes[i][0]))
    crops = [image.crop(boxes[i]) for i in order]
    # One row of two or three panels: the captions and the text call them 左, 中央 and
    # 右; stacked, each panel carries that name above it, so the words still point.
    names = POSITIONS.get(len(boxes)) if max(rows) == 0 else None
    label_px = round(float(image.info.get(TEXT_KEY, 12)) * 1.2)
    band = round(label_px * 1.5) if names else 0
    size = (max(c.width for c in crops), sum(c.height + band for c in crops) + GAP * (len(crops) - 1))
    out = Image.new(image.mode, size)
    out.paste("white" if image.mode in ("RGB", "RGBA") else 255, (0, 0, *out.size))
    y = 0
    for k, crop in enumerate(crops):
        if names:
            _label(out, names[k], (4, y + (band - label_px) // 2), label_px)
        out.paste(crop, ((out.width - crop.width) // 2, y + band))
        y += band + crop.height + GAP
    buffer = io.BytesIO()
    info = _png_info({TEXT_KEY: image.info[TEXT_KEY]} if TEXT_KEY in image.info else {})
    out.save(buffer, format="PNG", pnginfo=info, optimize=True)
    return buffer.getvalue()


# The names the captions give to the panels of one row, left to right.
POSITIONS = {2: ("（左）", "（右）"), 3: ("（左）", "（中央）", "（右）")}


def _rows(boxes) -> list[int]:
    """The row of each box: boxes that overlap vertically share one (the
    boxes of one row differ in height, with their titles and tick labels)."""
    rows, bottom, row = [0] * len(boxes), None, -1
    for i in sorted(range(len(boxes)), key=lambda i: boxes[i][1]):
        top = boxes[i][1]
        if bottom is None or top >= bottom - 2:  # below the whole row so far: a new row
            row += 1
            bottom = boxes[i][3]
        else:
            bottom = max(bottom, boxes[i][3])
        rows[i] = row
    return rows


def _label(image, text: str, at: tuple[int, int], px: int) -> None:
    """``text`` drawn at ``at`` in the figures' Japanese font (IPAexGothic), ``px`` tall."""
    from pathlib import Path

    import matplotlib_fontja
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype(str(Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"), px)
    ImageDraw.Draw(image).text(at, text, fill=(60, 60, 60) if image.mode in ("RGB", "RGBA") else 60, font=font)


def _png_info(chunks: dict[str, str]):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in chunks.items():
        info.add_text(key, value)
    return info


def install() -> None:
    """In an IPython kernel with the inline backend: show every figure as
    :func:`png_with_panels`. Elsewhere (a script, another backend) nothing changes."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or "inline" not in str(matplotlib.rcParams._get("backend")):
        return
    # Importing the backend configures its own PNG formatter once; ours replaces it after.
    import matplotlib_inline.backend_inline  # noqa: F401

    shell.display_formatter.formatters["image/png"].for_type(Figure, png_with_panels)
