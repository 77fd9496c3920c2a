"""A small SVG chart whose curves depend on one parameter.

The sliders draw with this instead of matplotlib because the same drawing
must work in two places: in Jupyter, Python redraws it for each slider value
(in about a millisecond); in the static HTML, the browser swaps between
frames that Python computed at build time. A frame is only the changing
parts of the picture — path data and text — keyed by element, so the browser
never evaluates a formula: every number comes from ``book_utils``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.ticker import MaxNLocator

# The palette of matplotlib's default cycle, as used by the figures.
COLOURS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]
GREY = "#777777"

PANEL_WIDTH, PANEL_HEIGHT = 380, 280
MARGIN = {"left": 52, "right": 14, "top": 30, "bottom": 44}

Static = np.ndarray | Sequence[float]
Dynamic = Callable[[float], np.ndarray]


@dataclass
class Curve:
    """A line y(x). ``y`` is an array (static) or a function of the parameter."""

    label: str
    y: Static | Dynamic
    colour: str = COLOURS[0]
    dashed: bool = False


@dataclass
class Bars:
    """Bars at x = 0, 1, ..., n-1 with heights that may depend on the parameter."""

    label: str
    heights: Static | Dynamic
    colour: str = COLOURS[0]
    outline: bool = False  # an outline only, to show a reference behind bars


@dataclass
class Marker:
    """A dot at (x, y) and an optional text beside it, both may depend on the parameter."""

    xy: Callable[[float], tuple[float, float]]
    text: Callable[[float], str] | None = None
    colour: str = COLOURS[1]


@dataclass
class Panel:
    title: str
    x: np.ndarray
    ylim: tuple[float, float]
    series: list = field(default_factory=list)
    xlabel: str = "入力 x"
    ylabel: str = "出力"
    xlim: tuple[float, float] | None = None
    categorical: bool = False  # x axis labels 0..n-1 under bars
    legend: str = "lower right"  # or "upper left", "upper right", "lower left"


def _is_dynamic(value) -> bool:
    return callable(value)


class _Frame:
    """Maps data to pixels for one panel placed at horizontal offset ``left``."""

    def __init__(self, panel: Panel, left: float):
        self.panel = panel
        self.x0 = left + MARGIN["left"]
        self.x1 = left + PANEL_WIDTH - MARGIN["right"]
        self.y0 = PANEL_HEIGHT - MARGIN["bottom"]
        self.y1 = MARGIN["top"]
        if panel.categorical:
            self.xlim = (-0.6, len(panel.x) - 0.4)
        else:
            self.xlim = panel.xlim or (float(np.min(panel.x)), float(np.max(panel.x)))
        self.ylim = panel.ylim

    def px(self, x):
        lo, hi = self.xlim
        return self.x0 + (np.asarray(x, dtype=float) - lo) / (hi - lo) * (self.x1 - self.x0)

    def py(self, y):
        lo, hi = self.ylim
        # Clamp far outside the box (clipped anyway) so paths stay short and finite.
        y = np.clip(np.asarray(y, dtype=float), lo - (hi - lo), hi + (hi - lo))
        return self.y0 - (y - lo) / (hi - lo) * (self.y0 - self.y1)


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def line_path(frame: _Frame, x, y) -> str:
    px, py = frame.px(x), frame.py(y)
    ok = np.isfinite(py)
    parts, pen_down = [], False
    for a, b, good in zip(px, py, ok):
        if not good:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{_fmt(a)} {_fmt(b)}")
        pen_down = True
    return "".join(parts)


def bars_path(frame: _Frame, heights) -> str:
    width = 0.7 * (frame.px(1) - frame.px(0))
    base = frame.py(0.0)
    parts = []
    for i, h in enumerate(np.asarray(heights, dtype=float)):
        left = frame.px(i) - width / 2
        top = frame.py(h)
        parts.append(f"M{_fmt(left)} {_fmt(base)}V{_fmt(top)}H{_fmt(left + width)}V{_fmt(base)}Z")
    return "".join(parts)


def dot_path(frame: _Frame, x: float, y: float, r: float = 4.5) -> str:
    cx, cy = float(frame.px(x)), float(frame.py(y))
    return f"M{_fmt(cx - r)} {_fmt(cy)}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0"


def _ticks(lo: float, hi: float) -> np.ndarray:
    ticks = MaxNLocator(nbins=5).tick_values(lo, hi)
    return ticks[(ticks >= lo - 1e-9) & (ticks <= hi + 1e-9)]


def _tick_label(t: float) -> str:
    text = f"{t:.6g}"
    return text.replace("-", "\u2212")


class Chart:
    """Panels side by side in one SVG; ``uid`` makes element ids unique on a page."""

    def __init__(self, panels: Sequence[Panel], uid: str):
        self.panels = list(panels)
        self.uid = uid
        self.frames = [_Frame(p, i * PANEL_WIDTH) for i, p in enumerate(self.panels)]

    @property
    def width(self) -> int:
        return PANEL_WIDTH * len(self.panels)

    def dynamic_parts(self, value: float) -> dict[str, str]:
        """The changing parts for one parameter value: key -> path data or text."""
        parts: dict[str, str] = {}
        for p_index, (panel, frame) in enumerate(zip(self.panels, self.frames)):
            for s_index, series in enumerate(panel.series):
                key = f"{p_index}-{s_index}"
                if isinstance(series, Curve) and _is_dynamic(series.y):
                    parts[key] = line_path(frame, panel.x, series.y(value))
                elif isinstance(series, Bars) and _is_dynamic(series.heights):
                    parts[key] = bars_path(frame, series.heights(value))
                elif isinstance(series, Marker):
                    x, y = series.xy(value)
                    parts[key] = dot_path(frame, x, y)
                    if series.text is not None:
                        parts[key + "t"] = series.text(value)
        return parts

    def svg(self, value: float, description: str) -> str:
        """The whole picture at ``value``; ``description`` is its accessible name."""
        parts = self.dynamic_parts(value)
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {PANEL_HEIGHT}" '
            f'role="img" aria-label="{html.escape(description)}" '
            f'style="width:100%;height:auto;max-width:{self.width}px;font-family:sans-serif">'
        ]
        for p_index, (panel, frame) in enumerate(zip(self.panels, self.frames)):
            out.append(self._axes(panel, frame, p_index))
            clip = f"{self.uid}-clip{p_index}"
            out.append(f'<g clip-path="url(#{clip})">')
            for s_index, series in enumerate(panel.series):
                key = f"{p_index}-{s_index}"
                out.append(self._series(series, frame, panel, key, parts))
            out.append("</g>")
            out.append(self._legend(panel, frame))
            for s_index, series in enumerate(panel.series):
                key = f"{p_index}-{s_index}t"
                if key in parts:
                    x = frame.x0 + 8
                    out.append(
                        f'<text data-key="{key}" x="{_fmt(x)}" y="{_fmt(frame.y1 + 16)}" font-size="12" '
                        f'fill="{series.colour}">{html.escape(parts[key])}</text>'
                    )
        out.append("</svg>")
        return "".join(out)

    def _axes(self, panel: Panel, frame: _Frame, index: int) -> str:
        clip = f"{self.uid}-clip{index}"
        w, h = frame.x1 - frame.x0, frame.y0 - frame.y1
        out = [
            f'<defs><clipPath id="{clip}"><rect x="{_fmt(frame.x0)}" y="{_fmt(frame.y1)}" '
            f'width="{_fmt(w)}" height="{_fmt(h)}"/></clipPath></defs>',
            f'<rect x="{_fmt(frame.x0)}" y="{_fmt(frame.y1)}" width="{_fmt(w)}" height="{_fmt(h)}" '
            'fill="white" stroke="#cccccc"/>',
        ]
        xticks = np.arange(len(panel.x)) if panel.categorical else _ticks(*frame.xlim)
        for t in xticks:
            x = _fmt(float(frame.px(t)))
            out.append(f'<line x1="{x}" x2="{x}" y1="{_fmt(frame.y1)}" y2="{_fmt(frame.y0)}" stroke="#eeeeee"/>')
            out.append(f'<text x="{x}" y="{_fmt(frame.y0 + 16)}" font-size="11" text-anchor="middle" fill="#333">{_tick_label(t)}</text>')
        for t in _ticks(*frame.ylim):
            y = _fmt(float(frame.py(t)))
            out.append(f'<line x1="{_fmt(frame.x0)}" x2="{_fmt(frame.x1)}" y1="{y}" y2="{y}" stroke="#eeeeee"/>')
            out.append(f'<text x="{_fmt(frame.x0 - 6)}" y="{y}" dy="4" font-size="11" text-anchor="end" fill="#333">{_tick_label(t)}</text>')
        lo, hi = frame.ylim
        if lo < 0 < hi:
            y = _fmt(float(frame.py(0)))
            out.append(f'<line x1="{_fmt(frame.x0)}" x2="{_fmt(frame.x1)}" y1="{y}" y2="{y}" stroke="{GREY}" stroke-width="0.8"/>')
        if not panel.categorical and frame.xlim[0] < 0 < frame.xlim[1]:
            x = _fmt(float(frame.px(0)))
            out.append(f'<line x1="{x}" x2="{x}" y1="{_fmt(frame.y1)}" y2="{_fmt(frame.y0)}" stroke="{GREY}" stroke-width="0.8"/>')
        cx = _fmt((frame.x0 + frame.x1) / 2)
        out.append(f'<text x="{cx}" y="18" font-size="13" text-anchor="middle" fill="#222">{html.escape(panel.title)}</text>')
        out.append(f'<text x="{cx}" y="{PANEL_HEIGHT - 8}" font-size="12" text-anchor="middle" fill="#333">{html.escape(panel.xlabel)}</text>')
        ly = _fmt((frame.y0 + frame.y1) / 2)
        lx = _fmt(frame.x0 - 40)
        out.append(
            f'<text x="{lx}" y="{ly}" font-size="12" text-anchor="middle" fill="#333" '
            f'transform="rotate(-90 {lx} {ly})">{html.escape(panel.ylabel)}</text>'
        )
        return "".join(out)

    def _series(self, series, frame: _Frame, panel: Panel, key: str, parts: dict[str, str]) -> str:
        if isinstance(series, Curve):
            d = parts[key] if key in parts else line_path(frame, panel.x, series.y)
            dash = ' stroke-dasharray="6 4"' if series.dashed else ""
            return f'<path data-key="{key}" d="{d}" fill="none" stroke="{series.colour}" stroke-width="2.2"{dash}/>'
        if isinstance(series, Bars):
            d = parts[key] if key in parts else bars_path(frame, series.heights)
            if series.outline:
                return f'<path data-key="{key}" d="{d}" fill="none" stroke="{series.colour}" stroke-width="1.5" stroke-dasharray="4 3"/>'
            return f'<path data-key="{key}" d="{d}" fill="{series.colour}" fill-opacity="0.85"/>'
        if isinstance(series, Marker):
            return f'<path data-key="{key}" d="{parts[key]}" fill="{series.colour}"/>'
        raise TypeError(f"unknown series {series!r}")

    def _legend(self, panel: Panel, frame: _Frame) -> str:
        entries = [s for s in panel.series if isinstance(s, (Curve, Bars)) and s.label]
        if not entries:
            return ""
        out = []
        vertical, horizontal = panel.legend.split()
        x = frame.x0 + 12 if horizontal == "left" else frame.x1 - 156
        top = frame.y1 + 8 if vertical == "upper" else frame.y0 - 8 - 17 * len(entries) - 6
        for i, s in enumerate(entries):
            y = top + 14 + 17 * i
            if isinstance(s, Bars) and not s.outline:  # a filled swatch for filled bars
                out.append(f'<rect x="{x + 4}" y="{y - 6}" width="14" height="12" fill="{s.colour}" fill-opacity="0.85"/>')
            else:
                dash = ' stroke-dasharray="6 4"' if getattr(s, "dashed", False) or getattr(s, "outline", False) else ""
                out.append(f'<line x1="{x}" x2="{x + 22}" y1="{y}" y2="{y}" stroke="{s.colour}" stroke-width="2.2"{dash}/>')
            out.append(f'<text x="{x + 28}" y="{y}" dy="4" font-size="12" fill="#222">{html.escape(s.label)}</text>')
        box = (
            f'<rect x="{x - 6}" y="{top}" width="150" height="{17 * len(entries) + 8}" '
            'fill="white" fill-opacity="0.85" stroke="#dddddd"/>'
        )
        return box + "".join(out)
