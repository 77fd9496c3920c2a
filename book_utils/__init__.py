"""Activation functions for the 活性化関数 chapter, and the helpers that draw them.

The public API is the contract in BOOK.md; every function is exported here by
name so that chapters and tests only ever ``import book_utils``.
"""

from .core import (
    one_hot_argmax,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
    softmax_prime,
    softplus,
    softplus_prime,
    tanh,
    tanh_prime,
)

__all__ = [
    "one_hot_argmax",
    "relu",
    "relu_prime",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "softmax_prime",
    "softplus",
    "softplus_prime",
    "tanh",
    "tanh_prime",
]
