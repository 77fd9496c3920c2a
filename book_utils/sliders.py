"""Sliders for a parameter of an activation, live in Jupyter and working in
the static HTML without a kernel or a network.

One object serves both. Displayed in a notebook it offers two MIME types:
- ``application/vnd.jupyter.widget-view+json``: an ipywidgets slider whose
  Python callback redraws the chart (JupyterLab shows this one);
- ``text/html``: a native ``<input type="range">`` and the chart, with one
  precomputed frame per slider position; a few lines of JavaScript swap
  frames (the book's HTML builder is told to prefer this one, see
  ``nb_mime_priority_overrides`` in ``_config.yml``).
All numbers in both come from ``book_utils``; the chart is drawn by the
private ``_svgchart`` module in the book's one style (``_style``), and
:meth:`ParameterSlider.frame_data` gives what a frame shows, in data coordinates.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable, Sequence

import numpy as np

from ._style import BACKWARD, FORWARD, HIGHLIGHT, LABELS, REFERENCE
from ._svgchart import Bars, Chart, Curve, Marker, Panel, PanelData, SeriesData
from .pieces import jump_grid

__all__ = ["PanelData", "ParameterSlider", "SeriesData", "activation_slider", "softmax_temperature_slider"]

# Swaps precomputed frames; it evaluates no formula. ES5, no dependencies.
_SCRIPT = """
(function () {
  var root = document.getElementById("%(uid)s");
  var data = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var input = root.querySelector("input[type=range]");
  var output = root.querySelector("output");
  var svg = root.querySelector("svg");
  function show(i) {
    var frame = data.frames[i];
    for (var key in frame) {
      var el = root.querySelector("[data-key='" + key + "']");
      if (el.tagName.toLowerCase() === "text") { el.textContent = frame[key]; }
      else { el.setAttribute("d", frame[key]); }
    }
    var text = data.name + " = " + data.labels[i];
    output.textContent = data.labels[i];
    input.setAttribute("aria-valuetext", text);
    svg.setAttribute("aria-label", data.description + "（" + text + "）");
  }
  input.addEventListener("input", function () { show(+input.value); });
  root.querySelector(".bu-slider-controls").hidden = false;
  show(+input.value);
})();
"""

_STYLE = "display:flex;align-items:center;gap:0.8em;margin:0.3em 0 0.6em;font-size:0.95em"


class ParameterSlider:
    """A chart that depends on one parameter, with a slider over ``values``.

    Build one with :func:`activation_slider` or
    :func:`softmax_temperature_slider`; display it in a notebook cell.
    """

    def __init__(
        self,
        panels: Sequence[Panel],
        *,
        name: str,
        values: Sequence[float],
        default: float,
        description: str,
        fmt: Callable[[float], str] = "{:.2f}".format,
    ):
        values = [float(v) for v in values]
        if len(values) < 2 or any(b <= a for a, b in zip(values, values[1:])):
            raise ValueError(f"ParameterSlider needs at least two increasing values; got {values!r}")
        self.name = name
        self.values = values
        self.index = int(np.argmin(np.abs(np.asarray(values) - default)))
        self.description = description
        self.fmt = fmt
        digest = hashlib.sha1(repr((name, values, description, [p.title for p in panels])).encode()).hexdigest()
        self.uid = f"bu-slider-{digest[:10]}"
        self._chart = Chart(panels, self.uid, values)
        self._widget = None

    @property
    def value(self) -> float:
        return self.values[self.index]

    # --- the static HTML version -------------------------------------------
    def frames(self) -> list[dict[str, str]]:
        """The changing parts of the chart at every slider position."""
        return [self._chart.dynamic_parts(v) for v in self.values]

    def frame_data(self, index: int) -> list[PanelData]:
        """What the chart shows at slider position ``index``, in data
        coordinates: one :class:`PanelData` per panel, left to right, with
        its title, axis labels, limits and plotting rectangle, and one
        :class:`SeriesData` per series: the x and y a curve is drawn
        through (NaN where the pen lifts at a jump) and its dots at jumps,
        bar heights, a marker's point and text, each with its colour and
        the ``data-key`` of its element in the SVG and in :meth:`frames`.
        The paths of the SVG are drawn from exactly these numbers;
        ``PanelData.to_data`` maps the SVG's coordinates back to data.

        >>> import book_utils as bu
        >>> slider = activation_slider(bu.sigmoid, bu.sigmoid_prime, param="a", values=[1.0, 2.0], default=1.0,
        ...                            name="σ")
        >>> left, right = slider.frame_data(1)
        >>> curve = left.series[0]
        >>> curve.key, curve.label, right.ylabel
        ('0-0', 'σ(x; a)', '微分係数')
        >>> bool(np.array_equal(curve.y, bu.sigmoid(curve.x, a=2.0)))
        True
        """
        return self._chart.panel_data(self.values[index])

    def to_html(self) -> str:
        data = {
            "name": self.name,
            "description": self.description,
            "labels": [self.fmt(v) for v in self.values],
            "frames": self.frames(),
        }
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        label = html.escape(self.name)
        current = html.escape(self.fmt(self.value))
        return (
            f'<div class="bu-slider" id="{self.uid}">'
            # Hidden until the script runs: without JavaScript the chart stays
            # a static picture at the default value, and no dead control shows.
            f'<div class="bu-slider-controls" style="{_STYLE}" hidden>'
            f'<label for="{self.uid}-range" style="min-width:8em">{label} = '
            f'<output for="{self.uid}-range">{current}</output></label>'
            f'<input type="range" id="{self.uid}-range" min="0" max="{len(self.values) - 1}" step="1" '
            f'value="{self.index}" aria-valuetext="{label} = {current}" style="flex:1;max-width:28em">'
            "</div>"
            f"{self._chart.svg(self.value, f'{self.description}（{self.name} = {self.fmt(self.value)}）')}"
            f'<script type="application/json">{payload}</script>'
            f"<script>{_SCRIPT % {'uid': self.uid}}</script>"
            "</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    # --- the live Jupyter version --------------------------------------------
    def widget(self):
        """An ipywidgets box: a slider and the chart, redrawn by a Python callback."""
        if self._widget is None:
            import ipywidgets as widgets

            slider = widgets.SelectionSlider(
                options=[(self.fmt(v), i) for i, v in enumerate(self.values)],
                value=self.index,
                description=f"{self.name} =",
                continuous_update=True,
                layout=widgets.Layout(width="32em"),
                style={"description_width": "initial"},
            )
            picture = widgets.HTML(self.render(self.index))
            slider.observe(lambda change: self._on_change(picture, change["new"]), names="value")
            self._widget = widgets.VBox([slider, picture])
        return self._widget

    def render(self, index: int) -> str:
        """The chart at slider position ``index`` (what the callback draws)."""
        value = self.values[index]
        return self._chart.svg(value, f"{self.description}（{self.name} = {self.fmt(value)}）")

    def _on_change(self, picture, index: int) -> None:
        self.index = index
        picture.value = self.render(index)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.to_html()
        bundle["text/plain"] = f"<{type(self).__name__} {self.name} = {self.fmt(self.value)}>"
        return bundle


def log_values(lo: float, hi: float, per_decade: int = 20) -> np.ndarray:
    """Log-spaced slider positions from ``lo`` to ``hi`` (both included)."""
    n = int(round(np.log10(hi / lo) * per_decade)) + 1
    return np.geomspace(lo, hi, n)


def activation_slider(
    f: Callable,
    fprime: Callable,
    *,
    param: str,
    values: Sequence[float] | None = None,
    default: float | None = None,
    x: np.ndarray | None = None,
    name: str | None = None,
    ylim: tuple[float, float] | None = None,
    prime_ylim: tuple[float, float] | None = None,
    reference: tuple[str, np.ndarray | Callable[[np.ndarray], np.ndarray]] | None = None,
    marker: Callable[[float], tuple[float, float, str]] | None = None,
    fmt: Callable[[float], str] = "{:.2f}".format,
    jumps: Sequence[float] | None = None,
) -> ParameterSlider:
    """A slider over ``param`` for ``f(x, **{param: v})`` and its derivative.

    Left panel: the function (and an optional static ``reference`` curve,
    values on ``x`` or a function of ``x``, e.g. the step function); right
    panel: the derivative (and an optional ``marker(v) -> (x, y, text)``,
    e.g. the peak). The y ranges stay fixed while the slider moves, so the
    reader sees the shape change; by default they cover every frame.
    ``jumps`` are the x where a curve may jump (the derivative at a kink):
    at each slider value, a curve that jumps there is drawn in pieces, with a
    filled dot at its value and open dots at the other one-sided limits.

    For an activation of the catalogue, ``values`` and ``default`` (the
    parameter's slider positions and default), ``name`` (its display name;
    a page may pass the function's symbol instead, e.g. ``"σ"``) and
    ``jumps`` come from its row unless given, and the parameter is shown by
    its symbol in the text (``α`` for ``negative_slope``).
    """
    from .catalogue import row_of

    row = row_of(f)
    symbol = param
    if row is not None:
        spec = row.parameter(param)
        symbol = spec.symbol or param
        values = spec.slider if values is None else values
        default = spec.default if default is None else default
        name = row.ja if name is None else name
        jumps = row.jumps if jumps is None else jumps
    if values is None or default is None:
        raise ValueError(
            f"activation_slider() needs values and default for {getattr(f, '__name__', f)!r}, "
            "which is not in the catalogue"
        )
    name = "f" if name is None else name
    jumps = () if jumps is None else jumps
    x = np.linspace(-6, 6, 241) if x is None else np.asarray(x, dtype=float)
    values = [float(v) for v in values]
    jumps = tuple(float(j) for j in jumps)
    grid = jump_grid(x, jumps)  # x with the samples either side of each jump
    forward = lambda v: f(grid, **{param: v})
    backward = lambda v: fprime(grid, **{param: v})
    ylim = ylim or _covering([forward(v) for v in values])
    prime_ylim = prime_ylim or _covering([backward(v) for v in values])

    left = Panel(f"順伝播: {name}(x; {symbol})", x, ylim)
    if reference is not None:
        label, ref = reference
        if callable(ref):
            left.series.append(Curve(label, ref(grid), colour=REFERENCE, dashed=True, x=grid, jumps=jumps))
        else:
            left.series.append(Curve(label, ref, colour=REFERENCE, dashed=True))
    left.series.append(Curve(f"{name}(x; {symbol})", forward, colour=FORWARD, x=grid, jumps=jumps))

    right = Panel(f"導関数: {name}′(x; {symbol})", x, prime_ylim, ylabel=LABELS["derivative"].text)
    right.series.append(Curve(f"{name}′(x; {symbol})", backward, colour=BACKWARD, x=grid, jumps=jumps))
    if marker is not None:
        right.series.append(Marker(lambda v: marker(v)[:2], text=lambda v: marker(v)[2], colour=HIGHLIGHT))

    return ParameterSlider(
        [left, right],
        name=symbol,
        values=values,
        default=default,
        description=f"{name}(x; {symbol}) とその導関数のグラフ",
        fmt=fmt,
    )


def softmax_temperature_slider(
    x: Sequence[float],
    temperatures: Sequence[float],
    *,
    default: float = 1.0,
    fmt: Callable[[float], str] = "{:.2f}".format,
) -> ParameterSlider:
    """Bars of softmax(x / T) for one fixed input, with the argmax (one-hot)
    and the uniform distribution drawn behind as the two limits."""
    from .core import one_hot_argmax, softmax

    x = np.asarray(x, dtype=float)
    n = len(x)
    panel = Panel(
        "softmax(x / T)",
        np.arange(n, dtype=float),
        (0.0, 1.05),
        xlabel=LABELS["component"].text,
        ylabel=LABELS["probability"].text,
        categorical=True,
    )
    panel.series.append(Bars("softmax(x / T)", lambda t: softmax(x / t), colour=FORWARD))
    panel.series.append(Bars("argmax（T → 0）", one_hot_argmax(x), colour=HIGHLIGHT, outline=True))
    panel.series.append(Curve("一様（T → ∞）", np.full(n, 1 / n), colour=REFERENCE, dashed=True))
    panel.xlim = (-0.6, n - 0.4)
    return ParameterSlider(
        [panel],
        name="T",
        values=temperatures,
        default=default,
        description="温度 T を変えた softmax(x / T) の棒グラフ",
        fmt=fmt,
    )


def _covering(curves: Sequence[np.ndarray]) -> tuple[float, float]:
    """A y range that holds every frame, with a little room."""
    lo = min(float(np.nanmin(c)) for c in curves)
    hi = max(float(np.nanmax(c)) for c in curves)
    pad = 0.06 * (hi - lo or 1.0)
    return lo - pad, hi + pad
