"""A small SVG chart whose curves depend on one parameter (private: the
sliders of :mod:`book_utils.sliders` are its only users, and
``ParameterSlider.frame_data`` is the public view of what it draws).

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

from ._style import BACKWARD, DASHED, FORWARD, LABELS, REFERENCE
from .pieces import break_at_jumps

# A panel: the title, a strip with the legend (rows as needed), the plotting
# rectangle of fixed size, the x tick labels and the x label. Legends and the
# marker's text sit in the strip, outside the plotting rectangle, so they
# never cover a curve; the panel grows by the strip's height.
PANEL_WIDTH = 380
PLOT_HEIGHT = 206
MARGIN = {"left": 52, "right": 14, "bottom": 44}
TITLE_HEIGHT = 26  # the title's baseline is at 18
LEGEND_FONT = 12
LEGEND_ROW = 18
LEGEND_GAP = 8  # between the strip and the plotting rectangle
LEGEND_PAD = 4  # the strip keeps this far from the panel's sides
SWATCH = 22  # a legend's line sample, then 6 px, then the label
ENTRY_GAP = 16  # between two legend entries on a row
DOT_RADIUS = 4.5

Static = np.ndarray | Sequence[float]
Dynamic = Callable[[float], np.ndarray]


def text_width(text: str, font_size: float = LEGEND_FONT) -> float:
    """A generous estimate of the drawn width of ``text`` in px: 0.6 em for
    ASCII, 1 em for anything else (CJK, Greek, primes, arrows, full-width
    brackets), so a label laid out by it is not clipped in any sans-serif font."""
    return font_size * sum(0.6 if " " <= c <= "~" else 1.0 for c in text)


@dataclass
class Curve:
    """A line y(x). ``y`` is an array (static) or a function of the parameter.

    ``x`` defaults to the panel's; ``jumps`` are the x where the curve may
    jump: it is drawn in pieces there, with a filled dot at its value and
    open dots at the other one-sided limits (see :mod:`book_utils.pieces`,
    whose ``jump_grid`` makes the ``x`` such a curve needs).
    """

    label: str
    y: Static | Dynamic
    colour: str = FORWARD
    dashed: bool = False
    x: np.ndarray | None = None
    jumps: Sequence[float] = ()


@dataclass
class Bars:
    """Bars at x = 0, 1, ..., n-1 with heights that may depend on the parameter."""

    label: str
    heights: Static | Dynamic
    colour: str = FORWARD
    outline: bool = False  # an outline only, to show a reference behind bars


@dataclass
class Marker:
    """A dot at (x, y) and an optional text beside it, both may depend on the parameter.

    The dot is drawn in the plot; the text goes into the legend strip, after
    a dot of the same colour."""

    xy: Callable[[float], tuple[float, float]]
    text: Callable[[float], str] | None = None
    colour: str = BACKWARD


@dataclass
class Panel:
    title: str
    x: np.ndarray
    ylim: tuple[float, float]
    series: list = field(default_factory=list)
    xlabel: str = LABELS["input"].text
    ylabel: str = LABELS["output"].text
    xlim: tuple[float, float] | None = None
    categorical: bool = False  # x axis labels 0..n-1 under bars


def _is_dynamic(value) -> bool:
    return callable(value)


class _Frame:
    """Maps data to pixels for one panel placed at horizontal offset ``left``,
    its plotting rectangle starting ``top`` px below the top of the SVG."""

    def __init__(self, panel: Panel, left: float, top: float):
        self.panel = panel
        self.left = left
        self.x0 = left + MARGIN["left"]
        self.x1 = left + PANEL_WIDTH - MARGIN["right"]
        self.y1 = top
        self.y0 = top + PLOT_HEIGHT
        if panel.categorical:
            self.xlim = (-0.6, len(panel.x) - 0.4)
        else:
            self.xlim = panel.xlim or (float(np.min(panel.x)), float(np.max(panel.x)))
        lo, hi = (float(v) for v in panel.ylim)
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"panel {panel.title!r}: ylim must be finite with lo < hi; got {panel.ylim!r}")
        xlo, xhi = self.xlim
        if not (np.isfinite(xlo) and np.isfinite(xhi) and xlo < xhi):
            raise ValueError(f"panel {panel.title!r}: the x range must be finite with lo < hi; got {self.xlim!r}")
        self.ylim = panel.ylim

    def px(self, x):
        lo, hi = self.xlim
        return self.x0 + (np.asarray(x, dtype=float) - lo) / (hi - lo) * (self.x1 - self.x0)

    def py(self, y):
        lo, hi = self.ylim
        # Clamp far outside the box (clipped anyway) so paths stay short and finite.
        y = np.clip(np.asarray(y, dtype=float), lo - (hi - lo), hi + (hi - lo))
        return self.y0 - (y - lo) / (hi - lo) * (self.y0 - self.y1)

    def data(self, px, py):
        """The inverse of :meth:`px`, :meth:`py` (without the clamp)."""
        (xlo, xhi), (ylo, yhi) = self.xlim, self.ylim
        x = xlo + (np.asarray(px, dtype=float) - self.x0) / (self.x1 - self.x0) * (xhi - xlo)
        y = ylo + (self.y0 - np.asarray(py, dtype=float)) / (self.y0 - self.y1) * (yhi - ylo)
        return x, y


@dataclass(frozen=True, eq=False)
class SeriesData:
    """One series of a panel as drawn at one slider value, in data coordinates.

    ``kind`` is ``"curve"``, ``"bars"`` or ``"marker"``:

    - a curve: the line through ``(x, y)``, with NaN in ``y`` where the pen
      lifts (at a jump of ``jumps``, or a value that is not finite), and the
      dots at its jumps, ``filled`` at the value and ``hollow`` at the other
      one-sided limits, as ``(x, y)`` pairs;
    - bars: heights ``y`` at ``x = 0, 1, ..., n-1`` (``dashed``: a dashed outline only);
    - a marker: the dot at ``(x[0], y[0])`` and its legend ``text``.

    ``key`` is the ``data-key`` of its element in the SVG; the frames of
    :meth:`ParameterSlider.frames` use it (and ``key + "f"``, ``+ "h"`` for
    the dots at jumps, ``+ "t"`` for a marker's text) when ``dynamic``.
    Points outside the panel's limits are clipped in the picture.
    """

    key: str
    kind: str
    label: str
    x: np.ndarray
    y: np.ndarray
    colour: str
    dashed: bool
    dynamic: bool
    jumps: tuple[float, ...] = ()
    filled: tuple[tuple[float, float], ...] = ()
    hollow: tuple[tuple[float, float], ...] = ()
    text: str | None = None


@dataclass(frozen=True, eq=False)
class PanelData:
    """One panel as drawn at one slider value: its texts, its data limits,
    its plotting rectangle ``rect = (left, top, right, bottom)`` in the SVG's
    units (the ``viewBox``), and its series from first drawn to last."""

    title: str
    xlabel: str
    ylabel: str
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    rect: tuple[float, float, float, float]
    series: tuple[SeriesData, ...]
    _frame: _Frame = field(repr=False)

    def to_pixels(self, x, y):
        """Data to SVG coordinates, as the chart maps them (y far outside ``ylim`` is clamped)."""
        return self._frame.px(x), self._frame.py(y)

    def to_data(self, px, py):
        """SVG coordinates (e.g. read from a path) back to data coordinates."""
        return self._frame.data(px, py)


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def line_path(frame: _Frame, x, y) -> str:
    px, py = frame.px(x), frame.py(y)
    ok = np.isfinite(px) & np.isfinite(py)
    parts, pen_down = [], False
    for a, b, good in zip(px, py, ok):
        if not good:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{_fmt(a)} {_fmt(b)}")
        pen_down = True
    return "".join(parts)


def bars_path(frame: _Frame, heights) -> str:
    """One rectangle per bar; a bar whose height is NaN is left out (never "nan" in the path)."""
    width = 0.7 * (frame.px(1) - frame.px(0))
    base = frame.py(0.0)
    parts = []
    for i, h in enumerate(np.asarray(heights, dtype=float)):
        if np.isnan(h):
            continue
        left = frame.px(i) - width / 2
        top = frame.py(h)
        parts.append(f"M{_fmt(left)} {_fmt(base)}V{_fmt(top)}H{_fmt(left + width)}V{_fmt(base)}Z")
    return "".join(parts)


def dot_path(frame: _Frame, x: float, y: float, r: float = DOT_RADIUS) -> str:
    """A dot at (x, y); none (an empty path) where x or y is not finite."""
    if not (np.isfinite(x) and np.isfinite(y)):
        return ""
    cx, cy = float(frame.px(x)), float(frame.py(y))
    return _circle(cx, cy, r)


def _circle(cx: float, cy: float, r: float) -> str:
    return f"M{_fmt(cx - r)} {_fmt(cy)}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0"


def dots_path(frame: _Frame, points: Sequence[tuple[float, float]]) -> str:
    return "".join(dot_path(frame, x, y) for x, y in points)


def _ticks(lo: float, hi: float) -> np.ndarray:
    ticks = MaxNLocator(nbins=5).tick_values(lo, hi)
    return ticks[(ticks >= lo - 1e-9) & (ticks <= hi + 1e-9)]


def _tick_label(t: float) -> str:
    text = f"{t:.6g}"
    return text.replace("-", "\u2212")


@dataclass
class _LegendItem:
    """One legend entry, placed: its swatch starts at ``x``; ``rows`` are
    the text baselines' row indices (a long label wraps onto more rows)."""

    series: object
    key: str  # the data-key of its text if the text changes with the parameter
    lines: list[str]  # the label, or [] for a marker's text (it changes)
    width: float
    x: float = 0.0
    row: int = 0


def _wrap(label: str, width: float) -> list[str]:
    """``label`` in lines no wider than ``width`` (by :func:`text_width`), broken at spaces."""
    lines: list[str] = []
    for word in label.split(" "):
        if lines and text_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    too_wide = [line for line in lines if text_width(line) > width]
    if too_wide:
        raise ValueError(f"legend label {label!r} does not fit a {PANEL_WIDTH} px panel: {too_wide[0]!r}")
    return lines


def row_baseline(row: int) -> float:
    """The y of the text baseline on legend row ``row`` (the swatch is 4 px above)."""
    return TITLE_HEIGHT + row * LEGEND_ROW + LEGEND_ROW / 2 + 4


class Chart:
    """Panels side by side (one SVG each, see :meth:`svg`); ``uid`` makes element ids unique on a page.

    ``values`` are the parameter values the chart will be drawn at: the
    legend strip is laid out once for all of them, wide enough for the
    longest marker text (the frames change only path data and text).
    """

    def __init__(self, panels: Sequence[Panel], uid: str, values: Sequence[float] | None = None):
        self.panels = list(panels)
        self.uid = uid
        self.values = None if values is None else [float(v) for v in values]
        self.legends = [self._layout(p, i) for i, p in enumerate(self.panels)]
        rows = max((item.row + max(1, len(item.lines)) for legend in self.legends for item in legend), default=0)
        self.top = TITLE_HEIGHT + rows * LEGEND_ROW + LEGEND_GAP if rows else TITLE_HEIGHT + 4
        self.frames = [_Frame(p, i * PANEL_WIDTH, self.top) for i, p in enumerate(self.panels)]

    @property
    def width(self) -> int:
        return PANEL_WIDTH * len(self.panels)

    @property
    def height(self) -> float:
        return self.top + PLOT_HEIGHT + MARGIN["bottom"]

    def plot_rects(self) -> list[tuple[float, float, float, float]]:
        """The plotting rectangles ``(x0, y0, x1, y1)``, top-left to bottom-right, in SVG units."""
        return [(f.x0, f.y1, f.x1, f.y0) for f in self.frames]

    # --- layout ------------------------------------------------------------
    def _layout(self, panel: Panel, p_index: int) -> list[_LegendItem]:
        left = p_index * PANEL_WIDTH
        available = PANEL_WIDTH - 2 * LEGEND_PAD
        items = []
        for s_index, series in enumerate(panel.series):
            key = f"{p_index}-{s_index}"
            if isinstance(series, (Curve, Bars)) and series.label:
                lines = _wrap(series.label, available - SWATCH - 6)
                items.append(_LegendItem(series, key, lines, SWATCH + 6 + max(map(text_width, lines))))
            elif isinstance(series, Marker) and series.text is not None:
                if self.values is None:
                    text_room = available - 2 * DOT_RADIUS - 6  # unknown texts: a row of their own
                else:
                    longest = max((series.text(v) for v in self.values), key=text_width)
                    text_room = text_width(longest)
                    if 2 * DOT_RADIUS + 6 + text_room > available:
                        raise ValueError(f"marker text {longest!r} does not fit a {PANEL_WIDTH} px panel")
                items.append(_LegendItem(series, key + "t", [], 2 * DOT_RADIUS + 6 + text_room))
        # Entries flow left to right; one that does not fit starts a new row,
        # and a wrapped label takes rows of its own.
        rows: list[list[_LegendItem]] = []
        row_index = 0
        for item in items:
            span = max(1, len(item.lines))
            current = rows[-1] if rows else None
            used = sum(i.width for i in current) + ENTRY_GAP * len(current) if current else 0.0
            if current and span == 1 and len(current[0].lines) <= 1 and used + item.width <= available:
                current.append(item)
            else:
                if current:
                    row_index += max(1, len(current[0].lines))
                rows.append([item])
            item.row = row_index
        centre = left + MARGIN["left"] + (PANEL_WIDTH - MARGIN["left"] - MARGIN["right"]) / 2
        for row in rows:
            width = sum(i.width for i in row) + ENTRY_GAP * (len(row) - 1)
            x = min(max(centre - width / 2, left + LEGEND_PAD), left + PANEL_WIDTH - LEGEND_PAD - width)
            for item in row:
                item.x = x
                x += item.width + ENTRY_GAP
        return items

    # --- frames --------------------------------------------------------------
    def panel_data(self, value: float) -> list[PanelData]:
        """What each panel shows at ``value``, in data coordinates; the paths are drawn from it."""
        return [
            PanelData(
                panel.title,
                panel.xlabel,
                panel.ylabel,
                frame.xlim,
                frame.ylim,
                (frame.x0, frame.y1, frame.x1, frame.y0),
                tuple(
                    _series_data(series, panel, f"{p_index}-{s_index}", value)
                    for s_index, series in enumerate(panel.series)
                ),
                frame,
            )
            for p_index, (panel, frame) in enumerate(zip(self.panels, self.frames))
        ]

    def dynamic_parts(self, value: float) -> dict[str, str]:
        """The changing parts for one parameter value: key -> path data or text."""
        return self._parts(value, dynamic_only=True)

    def _parts(self, value: float, dynamic_only: bool) -> dict[str, str]:
        parts: dict[str, str] = {}
        for panel in self.panel_data(value):
            for data in panel.series:
                if data.dynamic or not dynamic_only:
                    parts.update(_paths(panel._frame, data))
        return parts

    def svg(self, value: float, description: str) -> str:
        """The whole picture at ``value``; ``description`` is its accessible name.

        One ``<svg>`` per panel, in a wrapper that lets them wrap: side by
        side where two fit (each at most its own width), one above the other
        on a narrow screen, where side by side they would shrink to unreadable
        text. Each panel's ``viewBox`` is its own region of the one coordinate
        system (the second starts at x = ``PANEL_WIDTH``), so every coordinate
        is the same as in a single SVG of :attr:`width`.
        """
        parts = self._parts(value, dynamic_only=False)
        # flex-basis: two panels share a row only if each gets 300 px (0.79 of
        # its width; the 11 px ticks stay above 8.5 px).
        out = [
            f'<div class="bu-chart" role="img" aria-label="{html.escape(description)}" '
            f'style="display:flex;flex-wrap:wrap;max-width:{self.width}px;font-family:sans-serif">'
        ]
        for p_index, (panel, frame) in enumerate(zip(self.panels, self.frames)):
            left = p_index * PANEL_WIDTH
            out.append(
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left} 0 {PANEL_WIDTH} {_fmt(self.height)}" '
                f'aria-hidden="true" style="flex:1 1 300px;max-width:{PANEL_WIDTH}px;height:auto">'
            )
            out.append(self._axes(panel, frame, p_index))
            clip = f"{self.uid}-clip{p_index}"
            out.append(f'<g clip-path="url(#{clip})">')
            for s_index, series in enumerate(panel.series):
                key = f"{p_index}-{s_index}"
                out.append(self._series(series, frame, panel, key, parts))
            out.append("</g>")
            out.append(self._legend(self.legends[p_index], parts))
            out.append("</svg>")
        out.append("</div>")
        return "".join(out)

    def _axes(self, panel: Panel, frame: _Frame, index: int) -> str:
        clip = f"{self.uid}-clip{index}"
        w, h = frame.x1 - frame.x0, frame.y0 - frame.y1
        out = [
            f'<defs><clipPath id="{clip}"><rect x="{_fmt(frame.x0)}" y="{_fmt(frame.y1)}" '
            f'width="{_fmt(w)}" height="{_fmt(h)}"/></clipPath></defs>',
            f'<rect class="bu-plot" x="{_fmt(frame.x0)}" y="{_fmt(frame.y1)}" width="{_fmt(w)}" height="{_fmt(h)}" '
            'fill="white" stroke="#cccccc"/>',
        ]
        xticks = np.arange(len(panel.x)) if panel.categorical else _ticks(*frame.xlim)
        for t in xticks:
            x = _fmt(float(frame.px(t)))
            out.append(f'<line x1="{x}" x2="{x}" y1="{_fmt(frame.y1)}" y2="{_fmt(frame.y0)}" stroke="#eeeeee"/>')
            out.append(
                f'<text x="{x}" y="{_fmt(frame.y0 + 16)}" '
                f'font-size="11" text-anchor="middle" fill="#333">{_tick_label(t)}</text>'
            )
        for t in _ticks(*frame.ylim):
            y = _fmt(float(frame.py(t)))
            out.append(f'<line x1="{_fmt(frame.x0)}" x2="{_fmt(frame.x1)}" y1="{y}" y2="{y}" stroke="#eeeeee"/>')
            out.append(
                f'<text x="{_fmt(frame.x0 - 6)}" y="{y}" '
                f'dy="4" font-size="11" text-anchor="end" fill="#333">{_tick_label(t)}</text>'
            )
        lo, hi = frame.ylim
        if lo < 0 < hi:
            y = _fmt(float(frame.py(0)))
            out.append(
                f'<line x1="{_fmt(frame.x0)}" x2="{_fmt(frame.x1)}" '
                f'y1="{y}" y2="{y}" stroke="{REFERENCE}" stroke-width="0.8"/>'
            )
        if not panel.categorical and frame.xlim[0] < 0 < frame.xlim[1]:
            x = _fmt(float(frame.px(0)))
            out.append(
                f'<line x1="{x}" x2="{x}" y1="{_fmt(frame.y1)}" '
                f'y2="{_fmt(frame.y0)}" stroke="{REFERENCE}" stroke-width="0.8"/>'
            )
        cx = _fmt((frame.x0 + frame.x1) / 2)
        out.append(
            f'<text x="{cx}" y="18" font-size="13" text-anchor="middle" fill="#222">{html.escape(panel.title)}</text>'
        )
        out.append(
            f'<text x="{cx}" y="{_fmt(self.height - 8)}" font-size="12" '
            f'text-anchor="middle" fill="#333">{html.escape(panel.xlabel)}</text>'
        )
        ly = _fmt((frame.y0 + frame.y1) / 2)
        lx = _fmt(frame.x0 - 40)
        out.append(
            f'<text x="{lx}" y="{ly}" font-size="12" text-anchor="middle" fill="#333" '
            f'transform="rotate(-90 {lx} {ly})">{html.escape(panel.ylabel)}</text>'
        )
        return "".join(out)

    def _series(self, series, frame: _Frame, panel: Panel, key: str, parts: dict[str, str]) -> str:
        if isinstance(series, Curve):
            dash = f' stroke-dasharray="{DASHED.svg}"' if series.dashed else ""
            out = (
                f'<path data-key="{key}" d="{parts[key]}" '
                f'fill="none" stroke="{series.colour}" stroke-width="2.2"{dash}/>'
            )
            if series.jumps:
                out += (
                    f'<path data-key="{key}f" d="{parts[key + "f"]}" fill="{series.colour}"/>'
                    f'<path data-key="{key}h" d="{parts[key + "h"]}" '
                    f'fill="white" stroke="{series.colour}" stroke-width="1.6"/>'
                )
            return out
        if isinstance(series, Bars):
            d = parts[key]
            if series.outline:  # dashed like a reference, shorter for the thinner stroke
                return (
                    f'<path data-key="{key}" d="{d}" fill="none" '
                    f'stroke="{series.colour}" stroke-width="1.5" stroke-dasharray="4 3"/>'
                )
            return f'<path data-key="{key}" d="{d}" fill="{series.colour}" fill-opacity="0.85"/>'
        if isinstance(series, Marker):
            return f'<path data-key="{key}" d="{parts[key]}" fill="{series.colour}"/>'
        raise TypeError(f"unknown series {series!r}")

    def _legend(self, items: list[_LegendItem], parts: dict[str, str]) -> str:
        if not items:
            return ""
        out = ['<g class="bu-legend">']
        for item in items:
            s, x = item.series, item.x
            mid = row_baseline(item.row) - 4
            text_x = _fmt(x + (2 * DOT_RADIUS if isinstance(s, Marker) else SWATCH) + 6)
            if isinstance(s, Marker):
                out.append(f'<path d="{_circle(x + DOT_RADIUS, mid, DOT_RADIUS)}" fill="{s.colour}"/>')
                out.append(
                    f'<text data-key="{item.key}" x="{text_x}" y="{_fmt(row_baseline(item.row))}" '
                    f'font-size="{LEGEND_FONT}" fill="#222">{html.escape(parts[item.key])}</text>'
                )
                continue
            if isinstance(s, Bars) and not s.outline:  # a filled swatch for filled bars
                out.append(
                    f'<rect x="{_fmt(x + 4)}" y="{_fmt(mid - 6)}" '
                    f'width="14" height="12" fill="{s.colour}" fill-opacity="0.85"/>'
                )
            else:
                dash = (
                    f' stroke-dasharray="{DASHED.svg}"'
                    if getattr(s, "dashed", False) or getattr(s, "outline", False)
                    else ""
                )
                out.append(
                    f'<line x1="{_fmt(x)}" x2="{_fmt(x + SWATCH)}" y1="{_fmt(mid)}" y2="{_fmt(mid)}" '
                    f'stroke="{s.colour}" stroke-width="2.2"{dash}/>'
                )
            for n, line in enumerate(item.lines):
                out.append(
                    f'<text x="{text_x}" y="{_fmt(row_baseline(item.row + n))}" font-size="{LEGEND_FONT}" '
                    f'fill="#222">{html.escape(line)}</text>'
                )
        out.append("</g>")
        return "".join(out)


def _series_data(series, panel: Panel, key: str, value: float) -> SeriesData:
    """A series at ``value``: its functions evaluated, a curve broken at its jumps."""
    if isinstance(series, Curve):
        dynamic = _is_dynamic(series.y)
        x = np.asarray(panel.x if series.x is None else series.x, dtype=float)
        y = np.asarray(series.y(value) if dynamic else series.y, dtype=float)
        if y.shape != x.shape:
            raise ValueError(f"curve {series.label!r}: y has shape {y.shape}, x has shape {x.shape}")
        jumps = tuple(float(j) for j in series.jumps)
        filled, hollow = [], []
        if jumps:
            y, filled, hollow = break_at_jumps(x, y, jumps)
        return SeriesData(
            key,
            "curve",
            series.label,
            _read_only(x),
            _read_only(y),
            series.colour,
            series.dashed,
            dynamic,
            jumps,
            tuple(filled),
            tuple(hollow),
        )
    if isinstance(series, Bars):
        dynamic = _is_dynamic(series.heights)
        heights = np.asarray(series.heights(value) if dynamic else series.heights, dtype=float)
        return SeriesData(
            key,
            "bars",
            series.label,
            np.arange(len(heights), dtype=float),
            _read_only(heights),
            series.colour,
            series.outline,
            dynamic,
        )
    if isinstance(series, Marker):
        x, y = series.xy(value)
        text = None if series.text is None else series.text(value)
        return SeriesData(
            key, "marker", "", np.array([float(x)]), np.array([float(y)]), series.colour, False, True, text=text
        )
    raise TypeError(f"unknown series {series!r}")


def _read_only(a: np.ndarray) -> np.ndarray:
    """A read-only copy: a static series' arrays are the chart's own, and the data must not change them."""
    a = np.array(a, dtype=float)
    a.flags.writeable = False
    return a


def _paths(frame: _Frame, data: SeriesData) -> dict[str, str]:
    """The path data (and text) of one series: ``key``, and ``+"f"``, ``+"h"``
    for a curve with jumps, ``+"t"`` for a marker with a text."""
    key = data.key
    if data.kind == "curve":
        parts = {key: line_path(frame, data.x, data.y)}
        if data.jumps:
            parts.update({key + "f": dots_path(frame, data.filled), key + "h": dots_path(frame, data.hollow)})
        return parts
    if data.kind == "bars":
        return {key: bars_path(frame, data.y)}
    parts = {key: dot_path(frame, data.x[0], data.y[0])}
    if data.text is not None:
        parts[key + "t"] = data.text
    return parts
