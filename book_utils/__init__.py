"""Activation functions for the 活性化関数 chapter, and the helpers that draw them.

The exports are read from the catalogue (:mod:`book_utils.catalogue`): each
activation's function, its derivative ``*_prime`` and their aliases, the
helpers the catalogue lists, the losses of the output layer with their
gradients ``*_grad`` (``catalogue.LOSSES``), and SELU's two constants. Chapters and tests only
ever ``import book_utils``.
"""

from . import catalogue
from .modern import SELU_ALPHA as SELU_ALPHA
from .modern import SELU_SCALE as SELU_SCALE


def _exports() -> dict:
    names = {}
    for row in catalogue.ACTIVATIONS:
        names.update(row.exports())
    names.update({helper.__name__: helper for helper in catalogue.HELPERS})
    for loss in catalogue.LOSSES:
        names.update(loss.exports())
    return names


_EXPORTS = _exports()
globals().update(_EXPORTS)

__all__ = sorted([*_EXPORTS, "SELU_ALPHA", "SELU_SCALE"])
