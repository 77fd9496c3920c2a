"""The text is checked like the code.

Every number a page states as a fact (not glued in from a cell) is a row of
CLAIMS: the page, a quote of the sentence that states it, and a check that
recomputes it. A row fails when the fact stops holding, and also when the
quote no longer appears on the page (the prose changed: re-check the claim).
`test_every_number_in_the_prose_is_checked` finds decimals, powers of ten and
percentages in the prose and captions that are neither glued
(``{glue:...}``) nor inside a quote below, so a new number cannot slip in
unchecked. Statements about PyTorch and JAX are in test_framework_claims.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jupytext
import mpmath as mp
import numpy as np
import pytest

import book_utils as bu

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"


@dataclass(frozen=True)
class Claim:
    page: str
    quote: str  # verbatim from the page source (prose, caption or alt text)
    check: Callable[[], bool]


def argmin_on(f, lo, hi, n=300_001):
    x = np.linspace(lo, hi, n)
    y = f(x)
    return x[np.argmin(y)], y.min()


def first_where(condition, lo, hi, step):
    x = np.arange(lo, hi, step)
    return x[np.argmax(condition(x))]


def chapter_code(page: str) -> str:
    return "\n".join(c.source for c in jupytext.read(CHAPTERS / f"{page}.md").cells if c.cell_type == "code")


def naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


CLAIMS = [
    # --- sigmoid ----------------------------------------------------------
    Claim(
        page="sigmoid",
        quote=r"の最大値は $a/4$ で，標準シグモイドでは $0.25$ です",
        check=lambda: all(
            math.isclose(bu.sigmoid_prime(0.0, a=a), a / 4)
            and np.max(bu.sigmoid_prime(np.linspace(-9, 9, 9001), a=a)) <= a / 4
            for a in [0.5, 1.0, 3.0]
        ),
    ),
    Claim(
        page="sigmoid",
        quote=r"導関数は $x = 0$ で最大値 $0.25$ をとり",
        check=lambda: bu.sigmoid_prime(0.0) == 0.25,
    ),
    Claim(
        page="sigmoid",
        quote="x = 0 で高さ 0.25 の山になる",
        check=lambda: bu.sigmoid_prime(0.0) == 0.25,
    ),
    Claim(
        page="sigmoid",
        quote=r"微分係数は最大でも $a/4$（標準シグモイドで $0.25$）",
        check=lambda: bu.sigmoid_prime(0.0) == 0.25,
    ),
    Claim(
        page="sigmoid",
        quote=r"10 層で $10^{-6}$ 程度まで小さくなります",
        check=lambda: 0.5e-6 < 0.25**10 < 2e-6,
    ),
    Claim(
        page="sigmoid",
        quote=r"（float64 では $x \gtrsim 37$）で $1 - \sigma = 0$ となり",
        check=lambda: (
            naive_sigmoid(36.0) < 1
            and naive_sigmoid(37.0) == 1
            and 36 < first_where(lambda x: naive_sigmoid(x) == 1, 30, 40, 1e-3) < 37
        ),
    ),
    Claim(
        page="sigmoid",
        quote=r"$|x| \gtrsim 5$ ではシグモイドがほぼ平らになり",
        check=lambda: bu.sigmoid_prime(5.0) < 0.01 and bu.sigmoid_prime(-5.0) < 0.01,
    ),
    Claim(
        page="sigmoid",
        quote="左は a = 0.5, 1, 2, 5, 20 のシグモイド曲線",
        check=lambda: "for a in [0.5, 1, 2, 5, 20]:" in chapter_code("sigmoid"),
    ),
    Claim(
        page="sigmoid",
        quote=r"下のスライダーで $a$ を $0.1$ から $10$ まで（対数目盛りで）動かせます",
        check=lambda: _slider_range("sigmoid", "a") == (0.1, 10.0, 41),
    ),
    # --- tanh -------------------------------------------------------------
    Claim(
        page="tanh",
        quote=r"$|x| \gtrsim 355.6$ で途中の $\cosh^2 x$ が{term}`オーバーフロー`して $\infty$ になり",
        check=lambda: (
            _overflows(lambda x: np.cosh(x) ** 2, 355.59)
            and not _overflows(lambda x: np.cosh(x) ** 2, 355.58)
            and not _overflows(np.cosh, 355.59)
        ),
    ),
    Claim(
        page="tanh",
        quote=r"（$\cosh x$ 自身は $|x| \gtrsim 710.5$ でオーバーフローします）",
        check=lambda: _overflows(np.cosh, 710.48) and not _overflows(np.cosh, 710.47),
    ),
    Claim(
        page="tanh",
        # Where cosh^2 x overflows, 1/cosh^2 x is below the smallest normal float64,
        # so the 0 that 1/np.cosh(x)**2 returns is off by less than that.
        quote=r"そこでの本当の値は float64 の正規化数の最小値（約 $2.2 \times 10^{-308}$）より小さく",
        check=lambda: (
            float(1 / mp.cosh(mp.mpf(355.58)) ** 2) < np.finfo(np.float64).tiny
            and f"{np.finfo(np.float64).tiny:.1e}" == "2.2e-308"
            and _first_overflow_of_cosh_squared() < 355.59
        ),
    ),
    Claim(
        page="tanh",
        quote=r"$\tanh x$ が $\pm 1$ に丸まる $|x| \gtrsim 19$ で 0 になってしまいます",
        check=lambda: (
            18.5 < first_where(lambda x: np.tanh(x) == 1, 10, 30, 1e-3) < 19.5 and 1 - np.tanh(19.5) ** 2 == 0
        ),
    ),
    Claim(
        page="tanh",
        quote="tanh の山の高さは 1，シグモイドの山の高さは 0.25",
        check=lambda: bu.tanh_prime(0.0) == 1 and bu.sigmoid_prime(0.0) == 0.25,
    ),
    Claim(
        page="tanh",
        quote=r"シグモイドの $\sigma'(0) = 1/4$ の 4 倍あること",
        check=lambda: bu.tanh_prime(0.0) == 4 * bu.sigmoid_prime(0.0),
    ),
    Claim(
        page="tanh",
        # the 練習問題 on 1 - tanh^2 x: its relative error grows like e^{2x}
        quote=r"$x$ が $1$ 増えるごとに約 $e^2$ 倍で",
        check=lambda: all(
            math.exp(-1) < _tanh_naive_error(x0 + 5) / _tanh_naive_error(x0) / math.exp(10) < math.e
            for x0 in (5.0, 10.0)
        ),
    ),
    # --- relu -------------------------------------------------------------
    Claim(
        page="relu",
        # the 練習問題 on dead units, with the seed its statement gives
        quote="$b = 0$ と $b = -1$ では死んだユニットの割合はどちらも 0% ですが",
        check=lambda: (
            "rng = np.random.default_rng(0)" in chapter_code("relu")
            and _relu_dead_fraction(0.0) == 0
            and _relu_dead_fraction(-1.0) == 0
            and _relu_dead_fraction(-2.0) > 0
        ),
    ),
    # --- softplus ---------------------------------------------------------
    Claim(
        page="softplus",
        quote=r"その値は $\log 2 \approx 0.693$ です",
        check=lambda: (
            math.isclose(bu.softplus(0.0) - bu.relu(0.0), math.log(2))
            and np.all(
                bu.softplus(np.linspace(-20, 20, 4001)) - bu.relu(np.linspace(-20, 20, 4001)) <= math.log(2) + 1e-16
            )
            and round(math.log(2), 3) == 0.693
        ),
    ),
    Claim(
        page="softplus",
        quote=r"（float64 では $x > 709.8$ で $\infty$）",
        check=lambda: not _overflows(np.exp, 709.78) and _overflows(np.exp, 709.79),
    ),
    Claim(
        page="softplus",
        quote=r"\approx e^{-40} \approx 4.25 \times 10^{-18}$",
        check=lambda: f"{float(mp.log1p(mp.exp(-40))):.2e}" == "4.25e-18" and f"{float(mp.exp(-40)):.2e}" == "4.25e-18",
    ),
    Claim(
        page="softplus",
        # the 練習問題 on the naive log(1 + e^x): float32's e^x overflows below 100
        quote=r"float32 では 100 にも届かない $x$ で壊れます",
        check=lambda: (
            _overflows_as(np.float32, 88.8)
            and not _overflows_as(np.float32, 88.7)
            and np.log(np.finfo(np.float32).max) < 100
        ),
    ),
    # --- softmax ----------------------------------------------------------
    Claim(
        page="softmax",
        quote=r"\frac{2}{9} \approx 0.222$，非対角成分は $-\frac{1}{9} \approx -0.111$",
        check=lambda: (
            np.allclose(bu.softmax_prime(np.zeros(3)), np.full((3, 3), -1 / 9) + np.eye(3) / 3, rtol=0, atol=1e-16)
            and round(2 / 9, 3) == 0.222
            and round(-1 / 9, 3) == -0.111
        ),
    ),
    Claim(
        page="softmax",
        quote="温度 T = 0.1, 1, 10 の 3 つ並べた図．T = 0.1 ではほぼ最大の成分だけが 1",
        check=lambda: (
            "[0.1, 1.0, 10.0]" in chapter_code("softmax")
            and bu.softmax(np.array([1.0, 2.5, 0.3, 2.0, -1.0]) / 0.1).max() > 0.99
        ),
    ),
    Claim(
        page="softmax",
        quote="T = 10 ではすべての棒がほぼ 0.2 でそろう",
        check=lambda: np.allclose(bu.softmax(np.array([1.0, 2.5, 0.3, 2.0, -1.0]) / 10), 0.2, atol=0.06),
    ),
    Claim(
        page="softmax",
        quote=r"下のスライダーで温度 $T$ を $0.05$ から $20$ まで動かせます",
        check=lambda: "log_values(0.05, 20, per_decade=10)" in chapter_code("softmax"),
    ),
    # --- modern -----------------------------------------------------------
    Claim(
        page="modern",
        quote=r"（PyTorch の引数名は `negative_slope`，既定値 $0.01$）",
        check=lambda: _default(bu.leaky_relu, "negative_slope") == 0.01,
    ),
    Claim(
        page="modern",
        # PyTorch's side of the row is checked in test_framework_claims.py.
        quote=r"$x = 0$ での微分係数は PyTorch が $0.01$（$\alpha$），JAX が $1$ です",
        check=lambda: bu.leaky_relu_prime(0.0) == 0.01,
    ),
    Claim(
        page="modern",
        quote=r"Leaky ReLU（$\alpha = 0.1$ で描いたもの）",
        check=lambda: "negative_slope=0.1" in chapter_code("modern"),
    ),
    Claim(
        page="modern",
        quote="正の側は傾き 1，負の側は傾き 0.1．右は同じ折れ線と，負の側で 0.1，正の側で 1 の階段状の導関数",
        check=lambda: np.array_equal(bu.leaky_relu_prime(np.array([-2.0, 2.0]), negative_slope=0.1), [0.1, 1.0]),
    ),
    Claim(
        page="modern",
        quote=r"を $0$ から $0.5$ まで動かせます",
        check=lambda: _slider_range("leaky_relu", "negative_slope")[:2] == (0.0, 0.5),
    ),
    Claim(
        page="modern",
        quote=r"\alpha \approx 1.6733,\ \lambda \approx 1.0507",
        check=lambda: (
            round(bu.SELU_ALPHA, 4) == 1.6733 and round(bu.SELU_SCALE, 4) == 1.0507 and _selu_moments_are_0_and_1()
        ),
    ),
    Claim(
        page="modern",
        quote=r"$x \approx -0.75$ で最小値 $\approx -0.17$ をとります",
        check=lambda: _rounds_to(argmin_on(bu.gelu, -3, 0), (-0.75, -0.17)),
    ),
    Claim(
        page="modern",
        quote=r"GELU とその導関数．$x \approx -0.75$ で最小になるので，導関数はそこで 0 を横切り",
        check=lambda: bu.gelu_prime(-0.76) < 0 < bu.gelu_prime(-0.74),
    ),
    Claim(
        page="modern",
        quote=r"\bigl(x + 0.044715\,x^3\bigr)",
        check=lambda: np.allclose(
            bu.gelu(np.linspace(-6, 6, 101), approximate="tanh"),
            [x / 2 * (1 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))) for x in np.linspace(-6, 6, 101)],
            rtol=1e-13,
            atol=1e-15,
        ),
    ),
    Claim(
        page="modern",
        quote=r"$x \approx -1.28$ で最小値 $\approx -0.28$ をとります",
        check=lambda: _rounds_to(argmin_on(bu.silu, -3, 0), (-1.28, -0.28)),
    ),
    Claim(
        page="modern",
        quote="0 から 1.1 程度まで増えてから 1 に戻る導関数",
        check=lambda: (
            round(float(np.max(bu.silu_prime(np.linspace(0, 8, 80001)))), 1) == 1.1
            and bu.silu_prime(30.0) == pytest.approx(1)
        ),
    ),
    Claim(
        page="modern",
        quote="0 から 1.09 程度まで増えてから 1 に戻る導関数",
        check=lambda: (
            round(float(np.max(bu.mish_prime(np.linspace(0, 8, 80001)))), 2) == 1.09
            and bu.mish_prime(30.0) == pytest.approx(1)
        ),
    ),
    Claim(
        page="modern",
        quote=r"スライダーで $\beta$ を $0.1$ から $10$ まで動かすと",
        check=lambda: _slider_range("silu", "beta")[:2] == (0.1, 10.0),
    ),
    Claim(
        page="modern",
        quote=r"$\alpha = 1$ のときに限り導関数も連続になります（2 階導関数は $x = 0$ で $1$ から $0$ へ跳びます）",
        check=lambda: (
            abs(_elu_derivative_jump(1.0)) < 1e-11
            and abs(_elu_derivative_jump(2.0) + 1) < 1e-11
            and _elu_second_derivative_jump() == pytest.approx(-1.0, abs=1e-4)
        ),
    ),
    Claim(
        page="modern",
        quote=r"\frac{d}{dx}\frac{x(x + 3)}{6} = \frac{2x + 3}{6} = \frac{x}{3} + \frac{1}{2}",
        check=lambda: np.allclose(
            bu.hard_swish_prime(np.linspace(-2.9, 2.9, 59)), np.linspace(-2.9, 2.9, 59) / 3 + 0.5
        ),
    ),
    Claim(
        page="modern",
        # The exercise on GELU'' = phi (2 - x^2): the largest slope, at x = sqrt 2.
        quote=r"\mathrm{GELU}'(\sqrt 2) = \Phi(\sqrt 2) + \frac{1}{e\sqrt{\pi}} \approx 1.129",
        check=lambda: (
            round(float(mp.ncdf(mp.sqrt(2)) + 1 / (mp.e * mp.sqrt(mp.pi))), 3) == 1.129
            and math.isclose(bu.gelu_prime(math.sqrt(2)), float(mp.ncdf(mp.sqrt(2)) + 1 / (mp.e * mp.sqrt(mp.pi))))
            and abs(argmin_on(lambda x: -bu.gelu_prime(x), 0, 3)[0] - math.sqrt(2)) < 1e-4
        ),
    ),
    Claim(
        page="modern",
        quote=r"最小値は $1 - \mathrm{GELU}'(\sqrt 2) \approx -0.129$ です",
        check=lambda: (
            round(1 - bu.gelu_prime(math.sqrt(2)), 3) == -0.129
            and math.isclose(argmin_on(bu.gelu_prime, -3, 0)[1], 1 - bu.gelu_prime(math.sqrt(2)), rel_tol=1e-9)
        ),
    ),
    # --- loss -------------------------------------------------------------
    Claim(
        page="loss",
        quote=r"$C = 10$ クラス，$\varepsilon = 0.1$ では $d^{*} \approx$",
        check=lambda: "n_classes, eps = 10, 0.1" in chapter_code("loss") and _smoothing_gap_is_optimal(10, 0.1),
    ),
    Claim(
        page="loss",
        quote=r"$\varepsilon = 0.1$ では $d^{*}$ で損失が最小になり，勾配の符号が変わります",
        check=lambda: (
            "for smoothing, colour in [(0.0, FORWARD), (eps, BACKWARD)]:" in chapter_code("loss")
            and _smoothing_gap_is_optimal(10, 0.1)
            and _unsmoothed_loss_keeps_falling(10)
        ),
    ),
    Claim(
        page="loss",
        quote=r"$\sigma(40)$ は float64 で $1$ に丸まるので",
        check=lambda: naive_sigmoid(40.0) == 1.0 and naive_sigmoid(36.0) < 1.0,
    ),
    Claim(
        page="loss",
        quote=r"本当の値はそれぞれ約 $40$ と約 $e^{-40}$ です",
        check=lambda: (
            math.isclose(bu.binary_cross_entropy_with_logits(40.0, 0.0), 40.0, rel_tol=1e-15)
            and math.isclose(bu.binary_cross_entropy_with_logits(40.0, 1.0), math.exp(-40), rel_tol=1e-15)
        ),
    ),
    Claim(
        page="loss",
        quote=r"$e^{-z}$ が $2^{-24}$（float32 の $1$ の刻みの半分）以下になって $1 + e^{-z}$ が $1$ に丸まり",
        check=lambda: (
            np.spacing(np.float32(1)) / 2 == 2.0**-24
            and np.float32(1) + np.float32(2.0**-24) == 1
            and np.float32(1) + np.nextafter(np.float32(2.0**-24), np.float32(1)) > 1
        ),
    ),
    Claim(
        page="loss",
        # The exercise on d*: its statement and its answer, d* = log 91 for C = 10, eps = 0.1.
        quote=r"さらに，$C = 10$，$\varepsilon = 0.1$ での $d^{*}$ を計算し",
        check=lambda: "d_star = smoothing_gap(10, 0.1)" in chapter_code("loss") and _smoothing_gap_is_optimal(10, 0.1),
    ),
    Claim(
        page="loss",
        quote=r"$C = 10$，$\varepsilon = 0.1$ では $d^{*} = \log 91 \approx$",
        check=lambda: math.isclose(math.log(1 + 10 * (1 - 0.1) / 0.1), math.log(91), rel_tol=1e-15),
    ),
    # --- comparison -------------------------------------------------------
    Claim(
        page="comparison",
        quote=r"表の ReLU の $E[f(Z)]$ は $1/\sqrt{2\pi}$ を小数 3 桁に丸めた値です",
        check=lambda: _property_row("relu")["$E[f(Z)]$"] == f"{1 / math.sqrt(2 * math.pi):.3f}",
    ),
    Claim(
        page="comparison",
        quote=r"$|E[f(Z)]| < 0.05$ のとき「{term}`ゼロ中心`」としています",
        check=lambda: "0.05" in (Path(bu.__file__).parent / "properties.py").read_text(encoding="utf-8"),
    ),
    Claim(
        page="comparison",
        quote=r"{term}`シグモイド <シグモイド関数>`の最大傾きが $0.25$ と小さいこと",
        check=lambda: _property_row("sigmoid")["最大傾き"].startswith("0.25"),
    ),
    Claim(
        page="comparison",
        quote=r"（$\sigma'(z) < 0.01$）",
        check=lambda: "saturation < 0.01" in chapter_code("comparison"),
    ),
]


def _smoothing_gap_is_optimal(n_classes: int, eps: float) -> bool:
    """d* = log(1 + C (1 - eps) / eps) of eq-loss-smoothing-gap minimises the smoothed
    cross-entropy of logits (d, 0, ..., 0) with class 0 correct, where its gradient changes sign."""
    gap = math.log(1 + n_classes * (1 - eps) / eps)
    d = np.linspace(gap - 3, gap + 3, 60_001)
    rows = np.zeros((len(d), n_classes))
    rows[:, 0] = d
    loss = bu.cross_entropy(rows, np.zeros(len(d), dtype=int), reduction="none", label_smoothing=eps)
    slope = bu.cross_entropy_grad(rows, np.zeros(len(d), dtype=int), reduction="none", label_smoothing=eps)[:, 0]
    exact = mp.log(1 + n_classes * (1 - mp.mpf(eps)) / mp.mpf(eps))
    return (
        abs(d[np.argmin(loss)] - gap) < 1e-3
        and slope[0] < 0 < slope[-1]
        and abs(float(exact) - gap) < 1e-15
        and round(gap, 2) == round(float(mp.log(91)), 2) == 4.51
    )


def _unsmoothed_loss_keeps_falling(n_classes: int) -> bool:
    d = np.linspace(-2, 12, 561)
    rows = np.zeros((len(d), n_classes))
    rows[:, 0] = d
    labels = np.zeros(len(d), dtype=int)
    loss = bu.cross_entropy(rows, labels, reduction="none")
    slope = bu.cross_entropy_grad(rows, labels, reduction="none")[:, 0]
    return bool(np.all(np.diff(loss) < 0) and np.all(slope < 0))


def _slider_range(name: str, param: str) -> tuple[float, float, int]:
    positions = bu.catalogue.get(name).parameter(param).slider
    return round(min(positions), 12), round(max(positions), 12), len(positions)


def _overflows(f, x: float) -> bool:
    with np.errstate(over="ignore"):
        return bool(np.isinf(f(np.float64(x))))


def _overflows_as(dtype, x: float) -> bool:
    """Does the naive log(1 + e^x), computed in ``dtype``, give infinity?"""
    with np.errstate(over="ignore"):
        return bool(np.isinf(np.log(1 + np.exp(dtype(x)))))


def _first_overflow_of_cosh_squared() -> float:
    """The smallest x (to 1e-3) where np.cosh(x) ** 2 is infinite in float64."""
    with np.errstate(over="ignore"):
        return float(first_where(lambda x: np.isinf(np.cosh(x) ** 2), 350, 360, 1e-3))


def _relu_dead_fraction(b: float) -> float:
    """The share of units that get no gradient from a batch, as the relu page's exercise builds them."""
    rng = np.random.default_rng(0)
    n_in, n_units, batch = 100, 1000, 256
    inputs = rng.normal(size=(batch, n_in))
    weights = rng.normal(scale=np.sqrt(1 / n_in), size=(n_units, n_in))
    z = inputs @ weights.T + b
    return float(np.all(bu.relu_prime(z) == 0, axis=0).mean())


def _tanh_naive_error(x: float) -> float:
    """Relative error of 1 - tanh(x)^2 in float64 against mpmath's 1/cosh^2 x."""
    exact = 1 / mp.cosh(mp.mpf(x)) ** 2
    return float(abs((mp.mpf(1 - np.tanh(x) ** 2) - exact) / exact))


def _default(f, name):
    import inspect

    return inspect.signature(f).parameters[name].default


def _rounds_to(found, expected) -> bool:
    digits = [len(f"{e}".split(".")[1]) for e in expected]
    return all(round(float(v), d) == e for v, e, d in zip(found, expected, digits))


def _selu_moments_are_0_and_1() -> bool:
    z = mp.mpf
    pdf = lambda t: mp.exp(-t * t / 2) / mp.sqrt(2 * mp.pi)
    selu = lambda t: z(bu.SELU_SCALE) * (t if t > 0 else z(bu.SELU_ALPHA) * mp.expm1(t))
    mean = mp.quad(lambda t: selu(t) * pdf(t), [-mp.inf, 0, mp.inf])
    second = mp.quad(lambda t: selu(t) ** 2 * pdf(t), [-mp.inf, 0, mp.inf])
    return abs(mean) < 1e-6 and abs(second - 1) < 1e-6


def _elu_derivative_jump(alpha: float) -> float:
    return float(bu.elu_prime(1e-12, alpha=alpha) - bu.elu_prime(-1e-12, alpha=alpha))


def _elu_second_derivative_jump() -> float:
    h = 1e-6
    left = (bu.elu_prime(-h) - bu.elu_prime(-3 * h)) / (2 * h)
    right = (bu.elu_prime(3 * h) - bu.elu_prime(h)) / (2 * h)
    return float(right - left)


def _property_row(name: str) -> dict:
    from book_utils import properties

    rows = properties.table().set_index("関数")
    return rows.loc[bu.catalogue.get(name).ja].to_dict()


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: f"{c.page}: {c.quote[:30]}")
def test_claim_is_on_its_page_and_true(claim):
    assert claim.quote in page_text(claim.page), f"{claim.page}: the quoted sentence changed; re-check the claim"
    assert claim.check(), f"{claim.page}: no longer true: {claim.quote}"


# --- every number is either glued or checked ---------------------------------

NUMBER = re.compile(r"(?<![\w.])(?:\d+(?:\.\d+)?(?:\s|\\,)*\\?%|\d+\.\d+|10\^\{?-?\d+\}?)")
GLUED = re.compile(r"\{glue:[a-z]+\}`[^`]*`")
INLINE_CODE = re.compile(r"`[^`\n]*`")  # names and signatures: test_framework_claims.py


def page_text(page: str) -> str:
    """The prose a reader sees: markdown cells, figure captions and alt text."""
    parts = []
    for cell in jupytext.read(CHAPTERS / f"{page}.md").cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        else:
            meta = cell.metadata.get("mystnb", {})
            parts.append(meta.get("figure", {}).get("caption", ""))
            parts.append(meta.get("image", {}).get("alt", ""))
    return "\n".join(parts)


PAGES = sorted(p.stem for p in CHAPTERS.glob("*.md"))


@pytest.mark.parametrize("page", PAGES)
def test_every_number_in_the_prose_is_checked(page):
    text = page_text(page)
    covered = np.zeros(len(text), dtype=bool)
    for claim in CLAIMS:
        if claim.page == page:
            for m in re.finditer(re.escape(claim.quote), text):
                covered[m.start() : m.end()] = True
    for pattern in (GLUED, INLINE_CODE):
        for m in pattern.finditer(text):
            covered[m.start() : m.end()] = True
    unchecked = [
        text[max(0, m.start() - 30) : m.end() + 10].replace("\n", " ")
        for m in NUMBER.finditer(text)
        if not covered[m.start() : m.end()].all()
    ]
    assert not unchecked, f"{page}: numbers neither glued nor listed in CLAIMS:\n" + "\n".join(unchecked)


def test_the_lint_sees_numbers():
    """The number pattern finds what it must (so the lint above can fail)."""
    found = [
        m.group(0) for m in NUMBER.finditer(r"約 0.25 と $10^{-6}$ と 5 % と $0.02\,\%$，でも v1.2.3 や x2 は数えない")
    ]
    assert found == ["0.25", "10^{-6}", "5 %", r"0.02\,\%"]
