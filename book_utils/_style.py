"""The book's one visual style: palette, line styles and axis labels, read by
both renderers, the matplotlib figures (:mod:`book_utils.plotting`) and the
SVG charts of the sliders (:mod:`book_utils.sliders`).
"""

from __future__ import annotations

from dataclasses import dataclass

# seaborn's "deep" palette, which the book's theme made matplotlib's C0, C1, ...
# before this table existed, so figures keep the colours readers know.
PALETTE = (
    "#4c72b0",
    "#dd8452",
    "#55a868",
    "#c44e52",
    "#8172b3",
    "#937860",
    "#da8bc3",
    "#8c8c8c",
    "#ccb974",
    "#64b5cd",
)

# One colour per role, the same on every page.
FORWARD = PALETTE[0]  # the function f, the forward pass
BACKWARD = PALETTE[1]  # the derivative f′, the backward pass
HIGHLIGHT = PALETTE[3]  # a marked point (the sigmoid's peak), the argmax
NEUTRAL = PALETTE[7]  # data that is neither f nor f′ (the input bars of softmax)
REFERENCE = "#737373"  # matplotlib's "0.45": the axes through 0, reference curves
# Annotation arrows: seaborn's theme makes patch edges white (for bar
# outlines), and an annotate arrow is a patch, so it needs its own colour.
ARROW = "#333333"


@dataclass(frozen=True)
class LineStyle:
    matplotlib: str  # a ``linestyle``
    svg: str | None  # a ``stroke-dasharray``, None for solid


SOLID = LineStyle("-", None)
DASHED = LineStyle("--", "6 4")
# f solid; f′ dashed where it shares axes with f in the small multiples
# (activation_grid); references (the step function, the uniform limit) dashed.
LINES = {"function": SOLID, "derivative": DASHED, "reference": DASHED}


@dataclass(frozen=True)
class Label:
    tex: str  # for matplotlib, with mathtext
    text: str  # for the SVG, plain text


LABELS = {
    "input": Label("入力 $x$", "入力 x"),
    "output": Label("出力", "出力"),
    "derivative": Label("微分係数", "微分係数"),
    "probability": Label("確率", "確率"),
    "component": Label("成分 $i$", "成分 i"),
}
