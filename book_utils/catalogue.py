"""The catalogue: one record per activation, the single list of them, and
the losses of the output layer, a separate group (:data:`LOSSES`).

Everything that enumerates activations reads it: the package's exports
(``book_utils.__all__``), the comparison page's property table and grid
(:mod:`book_utils.properties`, :func:`book_utils.plotting.activation_grid`),
the slider defaults (:func:`book_utils.sliders.activation_slider`), the
correspondence table on the modern page (:func:`correspondence_table`), and
the tests, which are generated from it and keyed by :attr:`Activation.name`.

Adding an activation: write ``name`` and ``name_prime`` (core.py or
modern.py), add one row here, its oracle in ``tests/oracles.py``, its section
on a page, and its paper in ``references.bib`` (see CONTRIBUTING.md).

The losses (:mod:`book_utils.losses`) are not activations: they take logits
*and* a target and reduce over samples, so none of the activations'
generated tests apply to them. :data:`LOSSES` lists them with their
gradients; the package exports them from there and ``tests/test_losses.py``
tests them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import core, losses, modern


@dataclass(frozen=True)
class Parameter:
    """A keyword parameter of an activation (its name and default are PyTorch's
    where PyTorch has it), with the positions a slider offers, if any."""

    name: str
    default: float | str
    slider: tuple[float, ...] = ()
    symbol: str | None = None  # how the text writes it (α for negative_slope); sliders show it


@dataclass(frozen=True)
class Activation:
    """One activation: its functions, names, conventions and references."""

    name: str  # the Python name in book_utils (PyTorch's; hard_ and log_ split off as in JAX)
    ja: str  # the one spelling in tables, legends and slider titles (the prose may shorten it)
    en: str  # the English name, beside ja in the correspondence table where they differ
    f: Callable
    fprime: Callable
    page: str  # the chapter (docname in _toc.yml) whose section defines it
    params: tuple[Parameter, ...] = ()
    torch: str | None = None  # dotted PyTorch name
    jax: tuple[str, ...] = ()  # dotted JAX names, the first one and its aliases
    related_only: bool = False  # the framework functions are relatives, not the same function
    aliases: tuple[str, ...] = ()  # other book_utils names of the same function (swish)
    kinks: dict[float, float] = field(default_factory=dict)  # x -> f'(x) by convention (defaults)
    jumps: tuple[float, ...] = ()  # where f or f' jumps: figures draw no segment across
    cite: str | None = None  # the key in references.bib of its origin
    elementwise: bool = True  # False for the vector functions (softmax, log-softmax)

    def __str__(self) -> str:
        return self.name

    def parameter(self, name: str) -> Parameter:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no parameter {name!r}; it has {[p.name for p in self.params]}")

    def exports(self) -> dict[str, Callable]:
        """The public names this row gives book_utils: f, f', and their aliases."""
        module = sys.modules[self.f.__module__]
        names = [self.name, *self.aliases]
        out = {}
        for n in names:
            out[n] = getattr(module, n)
            out[f"{n}_prime"] = getattr(module, f"{n}_prime")
        return out


def _log_positions(lo: float, hi: float, per_decade: int) -> tuple[float, ...]:
    """Log-spaced slider positions from lo to hi, both included."""
    n = int(round(np.log10(hi / lo) * per_decade)) + 1
    return tuple(float(v) for v in np.geomspace(lo, hi, n))


F, JNN = "torch.nn.functional.", "jax.nn."

ACTIVATIONS: tuple[Activation, ...] = (
    Activation(
        name="sigmoid",
        ja="ロジスティック・シグモイド",
        en="logistic sigmoid",
        f=core.sigmoid,
        fprime=core.sigmoid_prime,
        page="chapters/sigmoid",
        params=(Parameter("a", 1.0, _log_positions(0.1, 10.0, 20), symbol="a"),),
        torch=F + "sigmoid",
        jax=(JNN + "sigmoid",),
    ),
    Activation(
        name="tanh",
        ja="tanh",
        en="hyperbolic tangent",
        f=core.tanh,
        fprime=core.tanh_prime,
        page="chapters/tanh",
        torch=F + "tanh",
        jax=("jax.numpy.tanh",),
    ),
    Activation(
        name="relu",
        ja="ReLU",
        en="rectified linear unit",
        f=core.relu,
        fprime=core.relu_prime,
        page="chapters/relu",
        torch=F + "relu",
        jax=(JNN + "relu",),
        kinks={0.0: 0.0},
        jumps=(0.0,),
        cite="nair2010relu",
    ),
    Activation(
        name="softplus",
        ja="SoftPlus",
        en="SoftPlus",
        f=core.softplus,
        fprime=core.softplus_prime,
        page="chapters/softplus",
        torch=F + "softplus",
        jax=(JNN + "softplus",),
        cite="dugas2001softplus",
    ),
    Activation(
        name="softmax",
        ja="Softmax",
        en="softmax",
        f=core.softmax,
        fprime=core.softmax_prime,
        page="chapters/softmax",
        params=(Parameter("axis", -1),),
        torch=F + "softmax",
        jax=(JNN + "softmax",),
        cite="bridle1990probabilistic",
        elementwise=False,
    ),
    Activation(
        name="leaky_relu",
        ja="Leaky ReLU",
        en="leaky ReLU",
        f=modern.leaky_relu,
        fprime=modern.leaky_relu_prime,
        page="chapters/modern",
        params=(
            Parameter(
                "negative_slope",
                0.01,
                (0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5),
                symbol="α",
            ),
        ),
        torch=F + "leaky_relu",
        jax=(JNN + "leaky_relu",),
        kinks={0.0: 0.01},
        jumps=(0.0,),
        cite="maas2013leaky",
    ),
    Activation(
        name="elu",
        ja="ELU",
        en="exponential linear unit",
        f=modern.elu,
        fprime=modern.elu_prime,
        page="chapters/modern",
        params=(Parameter("alpha", 1.0, tuple(round(0.1 * k, 2) for k in range(1, 31)), symbol="α"),),
        torch=F + "elu",
        jax=(JNN + "elu",),
        kinks={0.0: 1.0},
        jumps=(0.0,),  # f' jumps there unless alpha = 1
        cite="clevert2016elu",
    ),
    Activation(
        name="selu",
        ja="SELU",
        en="scaled exponential linear unit",
        f=modern.selu,
        fprime=modern.selu_prime,
        page="chapters/modern",
        torch=F + "selu",
        jax=(JNN + "selu",),
        kinks={0.0: modern.SELU_SCALE * modern.SELU_ALPHA},
        jumps=(0.0,),
        cite="klambauer2017selu",
    ),
    Activation(
        name="gelu",
        ja="GELU",
        en="Gaussian error linear unit",
        f=modern.gelu,
        fprime=modern.gelu_prime,
        page="chapters/modern",
        params=(Parameter("approximate", "none"),),
        torch=F + "gelu",
        jax=(JNN + "gelu",),
        cite="hendrycks2016gelu",
    ),
    Activation(
        name="silu",
        ja="SiLU",
        en="sigmoid-weighted linear unit",
        f=modern.silu,
        fprime=modern.silu_prime,
        page="chapters/modern",
        params=(Parameter("beta", 1.0, _log_positions(0.1, 10.0, 10), symbol="β"),),
        torch=F + "silu",
        jax=(JNN + "silu", JNN + "swish"),
        aliases=("swish",),
        cite="elfwing2018silu",
    ),
    Activation(
        name="mish",
        ja="Mish",
        en="Mish",
        f=modern.mish,
        fprime=modern.mish_prime,
        page="chapters/modern",
        torch=F + "mish",
        jax=(JNN + "mish",),
        cite="misra2020mish",
    ),
    Activation(
        name="softsign",
        ja="softsign",
        en="softsign",
        f=modern.softsign,
        fprime=modern.softsign_prime,
        page="chapters/modern",
        torch=F + "softsign",
        jax=(JNN + "soft_sign",),
    ),
    Activation(
        name="hard_sigmoid",
        ja="hard sigmoid",
        en="hard sigmoid",
        f=modern.hard_sigmoid,
        fprime=modern.hard_sigmoid_prime,
        page="chapters/modern",
        torch=F + "hardsigmoid",
        jax=(JNN + "hard_sigmoid",),
        kinks={-3.0: 0.0, 3.0: 0.0},
        jumps=(-3.0, 3.0),
        cite="howard2019mobilenetv3",
    ),
    Activation(
        name="hard_swish",
        ja="hard swish",
        en="hard swish",
        f=modern.hard_swish,
        fprime=modern.hard_swish_prime,
        page="chapters/modern",
        torch=F + "hardswish",
        jax=(JNN + "hard_swish", JNN + "hard_silu"),
        kinks={-3.0: 0.0, 3.0: 1.0},
        jumps=(-3.0, 3.0),
        cite="howard2019mobilenetv3",
    ),
    Activation(
        name="hard_tanh",
        ja="hard tanh",
        en="hard tanh",
        f=modern.hard_tanh,
        fprime=modern.hard_tanh_prime,
        page="chapters/modern",
        params=(Parameter("min_val", -1.0), Parameter("max_val", 1.0)),
        torch=F + "hardtanh",
        jax=(JNN + "hard_tanh",),
        kinks={-1.0: 0.0, 1.0: 0.0},
        jumps=(-1.0, 1.0),
    ),
    Activation(
        name="log_sigmoid",
        ja="log-sigmoid",
        en="log-sigmoid",
        f=modern.log_sigmoid,
        fprime=modern.log_sigmoid_prime,
        page="chapters/modern",
        torch=F + "logsigmoid",
        jax=(JNN + "log_sigmoid",),
    ),
    Activation(
        name="log_softmax",
        ja="log-softmax",
        en="log-softmax",
        f=modern.log_softmax,
        fprime=modern.log_softmax_prime,
        page="chapters/modern",
        params=(Parameter("axis", -1),),
        torch=F + "log_softmax",
        jax=(JNN + "log_softmax",),
        elementwise=False,
    ),
    Activation(
        name="step",
        ja="階段関数",
        en="Heaviside step",
        f=modern.step,
        fprime=modern.step_prime,
        page="chapters/modern",
        torch="torch.heaviside",
        jax=("jax.numpy.heaviside",),
        related_only=True,  # they take the value at 0 as an argument; step fixes 1/2
        kinks={0.0: 0.0},
        jumps=(0.0,),
    ),
)

# Public functions that are not activations (no row, no oracle of that kind;
# each has its own tests).
HELPERS: tuple[Callable, ...] = (core.one_hot_argmax,)


@dataclass(frozen=True)
class Loss:
    """One loss of the output layer: the loss on logits and its gradient with
    respect to the logits (``name`` and ``name_grad``), the output activation
    whose probabilities it scores, and its PyTorch counterpart."""

    name: str  # PyTorch's name, which is book_utils' name
    ja: str  # the one spelling on the page and in tables
    en: str
    f: Callable
    grad: Callable
    page: str  # the chapter (docname in _toc.yml) that defines it
    output: str  # the catalogue row of the output activation: sigmoid or softmax
    torch: str  # dotted PyTorch name
    cite: str | None = None

    def __str__(self) -> str:
        return self.name

    def exports(self) -> dict[str, Callable]:
        """The public names this loss gives book_utils: the loss and its gradient."""
        return {self.name: self.f, f"{self.name}_grad": self.grad}


LOSSES: tuple[Loss, ...] = (
    Loss(
        name="binary_cross_entropy_with_logits",
        ja="二値交差エントロピー",
        en="binary cross-entropy",
        f=losses.binary_cross_entropy_with_logits,
        grad=losses.binary_cross_entropy_with_logits_grad,
        page="chapters/loss",
        output="sigmoid",
        torch=F + "binary_cross_entropy_with_logits",
    ),
    Loss(
        name="cross_entropy",
        ja="交差エントロピー",
        en="cross-entropy",
        f=losses.cross_entropy,
        grad=losses.cross_entropy_grad,
        page="chapters/loss",
        output="softmax",
        torch=F + "cross_entropy",
        cite="bridle1990probabilistic",
    ),
)


def loss_of(f: Callable) -> Loss | None:
    """The loss whose function or gradient is ``f``, or None."""
    for row in LOSSES:
        if f is row.f or f is row.grad:
            return row
    return None


def get(name: str) -> Activation:
    """The row called ``name`` (an alias such as ``swish`` finds its row too)."""
    for row in ACTIVATIONS:
        if name == row.name or name in row.aliases:
            return row
    raise KeyError(f"no activation called {name!r} in the catalogue; known: {[a.name for a in ACTIVATIONS]}")


def row_of(f: Callable) -> Activation | None:
    """The row whose f or f' is ``f``, or None."""
    for row in ACTIVATIONS:
        if f is row.f or f is row.fprime:
            return row
    return None


def elementwise() -> list[Activation]:
    """The scalar-to-scalar activations, in the order of the chapter."""
    return [row for row in ACTIVATIONS if row.elementwise]


def correspondence_table():
    """The modern page's table of names: the activation (its Japanese name,
    with the English one where it differs), and its name in book_utils, in
    PyTorch and in JAX.

    A pandas DataFrame with Markdown cells (code spans; aliases after "="),
    one row per activation in the chapter's order.
    """
    import pandas as pd

    def code(dotted: str, prefix: str) -> str:
        return f"`{dotted.removeprefix(prefix)}`"

    def wrap(text: str, row: Activation) -> str:
        return f"（{text}）" if row.related_only else text

    rows = []
    for row in ACTIVATIONS:
        torch = wrap(code(row.torch, F), row) if row.torch else "—"
        jax = code(row.jax[0], JNN) + "".join(f"（= {code(alias, JNN)}）" for alias in row.jax[1:]) if row.jax else "—"
        ours = f"`{row.name}`" + "".join(f"（= `{alias}`）" for alias in row.aliases)
        label = row.ja if row.ja.lower() == row.en.lower() else f"{row.ja}（{row.en}）"
        rows.append({"関数": label, "`book_utils`": ours, "PyTorch": torch, "JAX": wrap(jax, row)})
    return pd.DataFrame(rows)
