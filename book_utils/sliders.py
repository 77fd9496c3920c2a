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
import numbers
import warnings
from collections.abc import Callable, Sequence

import numpy as np

from ._style import BACKWARD, FORWARD, HIGHLIGHT, LABELS, REFERENCE
from ._svgchart import Bars, Chart, Curve, Marker, Panel, PanelData, SeriesData
from .pieces import jump_grid

__all__ = [
    "WEIGHT_BUDGET_B",
    "PanelData",
    "ParameterSlider",
    "SeriesData",
    "SliderWeightWarning",
    "activation_slider",
    "log_values",
    "softmax_temperature_slider",
]

# The book's budget for what sliders add to one page, in bytes of HTML: the
# same number as WEIGHT_BUDGET_B in benchmarks/sliders.py (a test checks it).
WEIGHT_BUDGET_B = 1_000_000


class SliderWeightWarning(UserWarning):
    """The static HTML of one slider is over :data:`WEIGHT_BUDGET_B`."""


# Swaps precomputed frames; it evaluates no formula. ES5, no dependencies.
_SCRIPT = """
(function () {
  var root = document.getElementById("%(uid)s");
  var data = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var input = root.querySelector("input[type=range]");
  var output = root.querySelector("output");
  var chart = root.querySelector(".bu-chart");
  // Frame i drawn into a chart (this one, or a copy: the print strip uses it too).
  root.buDrawFrame = function (target, i) {
    var frame = data.frames[i];
    for (var key in frame) {
      var el = target.querySelector("[data-key='" + key + "']");
      if (el.tagName.toLowerCase() === "text") { el.textContent = frame[key]; }
      else { el.setAttribute("d", frame[key]); }
    }
  };
  function show(i) {
    root.buDrawFrame(chart, i);
    var text = data.name + " = " + data.labels[i];
    output.textContent = data.labels[i];
    input.setAttribute("aria-valuetext", text);
    chart.setAttribute("aria-label", data.description + "（" + text + "）");
  }
  input.addEventListener("input", function () { show(+input.value); });
  var controls = root.querySelector(".bu-slider-controls");
  controls.style.display = "flex";
  controls.hidden = false;
  show(+input.value);
})();
"""

# No display here: an inline display would override the hidden attribute, and
# the controls would show (dead) where the script does not run. The script sets
# display:flex when it unhides them.
_STYLE = "align-items:center;gap:0.8em;margin:0.3em 0 0.6em;font-size:0.95em"


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
        values, self.index = _slider_values(values, default, "ParameterSlider")
        self.name = name
        self.values = values
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
        # Every "<" (and ">", "&") as a JSON escape: no label can close the
        # script ("</script>") or open a comment ("<!--") that swallows it.
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        label = html.escape(self.name)
        current = html.escape(self.fmt(self.value))
        out = (
            f'<div class="bu-slider" id="{self.uid}">'
            # Hidden until the script runs (which also sets display:flex):
            # without JavaScript the chart stays a static picture at the
            # default value, and no dead control shows.
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
        size = len(out.encode())
        if size > WEIGHT_BUDGET_B:
            warnings.warn(
                f"ParameterSlider.to_html(): the slider {self.uid} ({self.name}, {len(self.values)} values) "
                f"weighs {size:,} bytes of HTML, over the budget of {WEIGHT_BUDGET_B:,} bytes per page "
                "(WEIGHT_BUDGET_B, as in benchmarks/sliders.py); use fewer values or fewer x points",
                SliderWeightWarning,
                stacklevel=2,
            )
        return out

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
    """Log-spaced slider positions from ``lo`` to ``hi``, both included
    exactly, about ``per_decade`` per factor of ten and never fewer than two.

    >>> log_values(0.1, 10, per_decade=2).tolist()
    [0.1, 0.31622776601683794, 1.0, 3.1622776601683795, 10.0]
    """
    for name, v in (("lo", lo), ("hi", hi)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"log_values() expects a number for {name}; got {v!r}")
        if not (np.isfinite(v) and v > 0):
            raise ValueError(f"log_values() needs a finite {name} > 0 (a log scale); got {name}={v!r}")
    if not lo < hi:
        raise ValueError(f"log_values() needs lo < hi; got lo={lo!r}, hi={hi!r}")
    if isinstance(per_decade, bool) or not isinstance(per_decade, numbers.Integral):
        raise TypeError(f"log_values() expects an integer per_decade; got {per_decade!r}")
    if per_decade < 1:
        raise ValueError(f"log_values() needs per_decade >= 1; got per_decade={per_decade!r}")
    lo, hi = float(lo), float(hi)
    n = max(2, int(round(np.log10(hi / lo) * per_decade)) + 1)
    out = np.geomspace(lo, hi, n)
    out[0], out[-1] = lo, hi
    return out


def _slider_values(values, default, caller: str) -> tuple[list[float], int]:
    """``values`` as floats and the index of ``default`` among them, or a
    ValueError naming ``caller`` and the argument."""
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{caller}() expects values, a sequence of numbers; got {values!r}")
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{caller}() expects values, a sequence of numbers; got {values!r}") from None
    if array.ndim != 1:
        raise ValueError(f"{caller}() expects values, a flat sequence of numbers; got shape {array.shape}")
    if len(array) < 2:
        raise ValueError(f"{caller}() needs at least two values (slider positions); got values={array.tolist()!r}")
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise ValueError(f"{caller}() needs finite values; got values[{bad[0]}] = {float(array[bad[0]])!r}")
    steps = np.flatnonzero(np.diff(array) <= 0)
    if steps.size:
        i = int(steps[0])
        raise ValueError(
            f"{caller}() needs strictly increasing values; got values[{i}] = {float(array[i])!r}, "
            f"values[{i + 1}] = {float(array[i + 1])!r}"
        )
    if isinstance(default, bool) or not isinstance(default, numbers.Real):
        raise TypeError(f"{caller}() expects a number for default; got {default!r}")
    close = np.flatnonzero(np.isclose(array, float(default), rtol=1e-9, atol=0.0))
    if not close.size:
        nearest = int(np.argmin(np.abs(array - float(default)))) if np.isfinite(default) else 0
        raise ValueError(
            f"{caller}() needs default among the values; got default={default!r}, "
            f"nearest values[{nearest}] = {float(array[nearest])!r}"
        )
    index = int(close[np.argmin(np.abs(array[close] - float(default)))])
    return [float(v) for v in array], index


def _check_x(x, caller: str) -> np.ndarray:
    try:
        x = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{caller}() expects x, an array of numbers; got {x!r}") from None
    if x.ndim != 1 or len(x) < 2:
        raise ValueError(f"{caller}() needs x with at least two points in one dimension; got shape {x.shape}")
    if not np.all(np.isfinite(x)) or np.any(np.diff(x) <= 0):
        raise ValueError(f"{caller}() needs x finite and strictly increasing")
    return x


def _check_ylim(ylim, name: str, caller: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in ylim)
    except (TypeError, ValueError):
        raise TypeError(f"{caller}() expects {name} = (lo, hi), two numbers; got {ylim!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi)) or not lo < hi:
        raise ValueError(f"{caller}() needs {name} = (lo, hi) finite with lo < hi; got {name}={ylim!r}")
    return lo, hi


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

    Every argument is checked before anything is drawn, and a bad one is a
    ValueError (TypeError for a wrong type) naming it: ``values`` must be
    at least two finite, strictly increasing numbers and ``default`` one of
    them (to a relative 1e-9, the rounding of :func:`log_values`); ``x``
    finite and strictly increasing; ``f`` and ``fprime`` must give one value
    per x at every slider value; ``ylim`` and ``prime_ylim``, when given,
    finite with ``lo < hi`` (by default they cover the finite values of
    every frame).
    """
    from .catalogue import row_of

    caller = "activation_slider"
    if not callable(f) or not callable(fprime):
        raise TypeError(f"{caller}() expects functions f and fprime; got {f!r} and {fprime!r}")
    if not isinstance(param, str):
        raise TypeError(f"{caller}() expects param, a parameter name; got {param!r}")
    row = row_of(f)
    symbol = param
    if row is not None:
        try:
            spec = row.parameter(param)
        except KeyError:
            known = [p.name for p in row.params]
            raise ValueError(f"{caller}(): {row.name} has no parameter param={param!r}; it has {known}") from None
        symbol = spec.symbol or param
        if values is None and not spec.slider:
            raise ValueError(f"{caller}(): the catalogue has no slider values for {row.name}'s {param}; pass values")
        values = spec.slider if values is None else values
        default = spec.default if default is None else default
        name = row.ja if name is None else name
        jumps = row.jumps if jumps is None else jumps
    if values is None or default is None:
        raise ValueError(
            f"{caller}() needs values and default for {getattr(f, '__name__', f)!r}, which is not in the catalogue"
        )
    values, _ = _slider_values(values, default, caller)
    name = "f" if name is None else name
    jumps = () if jumps is None else jumps
    x = np.linspace(-6, 6, 241) if x is None else _check_x(x, caller)
    jumps = tuple(float(j) for j in jumps)
    ylim = None if ylim is None else _check_ylim(ylim, "ylim", caller)
    prime_ylim = None if prime_ylim is None else _check_ylim(prime_ylim, "prime_ylim", caller)
    grid = jump_grid(x, jumps)  # x with the samples either side of each jump
    forward = lambda v: f(grid, **{param: v})
    backward = lambda v: fprime(grid, **{param: v})
    # Every frame once, to check its length (and to size the y ranges).
    forward_frames = [_one_per_x(forward(v), grid, f"f(x, {param}={v!r})", caller) for v in values]
    backward_frames = [_one_per_x(backward(v), grid, f"fprime(x, {param}={v!r})", caller) for v in values]
    ylim = ylim or _covering(forward_frames, "ylim", caller)
    prime_ylim = prime_ylim or _covering(backward_frames, "prime_ylim", caller)

    left = Panel(f"順伝播: {name}(x; {symbol})", x, ylim)
    if reference is not None:
        label, ref = reference
        if callable(ref):
            ref_y = _one_per_x(ref(grid), grid, "reference", caller)
            left.series.append(Curve(label, ref_y, colour=REFERENCE, dashed=True, x=grid, jumps=jumps))
        else:
            ref_y = _one_per_x(ref, x, "reference", caller)
            left.series.append(Curve(label, ref_y, colour=REFERENCE, dashed=True))
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
    and the uniform distribution drawn behind as the two limits.

    ``temperatures`` are at least two finite, strictly increasing numbers
    >= 0, ``default`` one of them. At T = 0 the bars are the limit of
    softmax(x / T) as T -> 0+: the one-hot argmax, or with tied maxima an
    equal share 1/k for each of the k (the limit; :func:`book_utils.one_hot_argmax`
    instead gives all to the first maximum, as ``np.argmax`` does). The
    dashed argmax outline is the same limit. A temperature so small that
    x / T overflows is drawn from the shifted scores (x - max x) / T, which
    softmax is invariant to. The scores ``x`` must be finite: NaN or ±inf
    is a ValueError.

    >>> slider = softmax_temperature_slider([1.0, 3.0, 3.0], [0.0, 1.0])
    >>> slider.frame_data(0)[0].series[0].y.tolist()
    [0.0, 0.5, 0.5]
    """
    from .core import softmax

    caller = "softmax_temperature_slider"
    try:
        x = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{caller}() expects scores x, a sequence of numbers; got {x!r}") from None
    if x.ndim != 1 or len(x) < 1:
        raise ValueError(f"{caller}() needs scores x, one or more numbers in one dimension; got shape {x.shape}")
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        raise ValueError(f"{caller}() needs finite scores x; got x[{bad[0]}] = {float(x[bad[0]])!r}")
    temperatures, _ = _slider_values(temperatures, default, caller)
    if temperatures[0] < 0:
        raise ValueError(
            f"{caller}() needs temperatures >= 0 (T = 0 is the argmax limit); got temperatures[0] = {temperatures[0]!r}"
        )
    n = len(x)
    top = x == x.max()
    limit = top / np.count_nonzero(top)  # softmax(x / T) as T -> 0+

    def bars(t: float) -> np.ndarray:
        if t == 0:
            return limit
        with np.errstate(over="ignore"):
            scaled = x / t
        if np.all(np.isfinite(scaled)):
            return softmax(scaled)
        with np.errstate(over="ignore"):
            return softmax((x - x.max()) / t)  # the maxima at 0, the rest finite or -inf

    panel = Panel(
        "softmax(x / T)",
        np.arange(n, dtype=float),
        (0.0, 1.05),
        xlabel=LABELS["component"].text,
        ylabel=LABELS["probability"].text,
        categorical=True,
    )
    panel.series.append(Bars("softmax(x / T)", bars, colour=FORWARD))
    panel.series.append(Bars("argmax（T → 0）", limit, colour=HIGHLIGHT, outline=True))
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


def _one_per_x(y, x: np.ndarray, what: str, caller: str) -> np.ndarray:
    """``y`` as floats, or a ValueError if it is not one value per point of ``x``."""
    y = np.asarray(y, dtype=float)
    if y.shape != x.shape:
        raise ValueError(f"{caller}(): {what} gives shape {y.shape}; it must give one value per x, shape {x.shape}")
    return y


def _covering(curves: Sequence[np.ndarray], name: str, caller: str) -> tuple[float, float]:
    """A y range that holds the finite values of every frame, with a little room."""
    finite = [c[np.isfinite(c)] for c in curves]
    finite = [c for c in finite if c.size]
    if not finite:
        raise ValueError(f"{caller}(): no frame has a finite value to size the y range; pass {name}")
    lo = min(float(c.min()) for c in finite)
    hi = max(float(c.max()) for c in finite)
    pad = 0.06 * (hi - lo or max(1.0, abs(hi)))
    lo, hi = lo - pad, hi + pad
    if not (np.isfinite(lo) and np.isfinite(hi)) or not lo < hi:
        raise ValueError(f"{caller}(): the frames' values are too large to size the y range; pass {name}")
    return lo, hi
