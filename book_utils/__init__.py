"""Activation functions for the 活性化関数 chapter, and the helpers that draw them.

Every function of the public API is exported here by
name so that chapters and tests only ever ``import book_utils``.
"""

from .modern import (
    SELU_ALPHA,
    SELU_SCALE,
    elu,
    elu_prime,
    gelu,
    gelu_prime,
    hard_sigmoid,
    hard_sigmoid_prime,
    hard_swish,
    hard_swish_prime,
    hard_tanh,
    hard_tanh_prime,
    leaky_relu,
    leaky_relu_prime,
    log_sigmoid,
    log_sigmoid_prime,
    log_softmax,
    log_softmax_prime,
    mish,
    mish_prime,
    selu,
    selu_prime,
    silu,
    silu_prime,
    softsign,
    softsign_prime,
    step,
    step_prime,
    swish,
    swish_prime,
)
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
    "SELU_ALPHA", "SELU_SCALE", "elu", "elu_prime", "gelu", "gelu_prime", "hard_sigmoid", "hard_sigmoid_prime",
    "hard_swish", "hard_swish_prime", "hard_tanh", "hard_tanh_prime", "leaky_relu", "leaky_relu_prime",
    "log_sigmoid", "log_sigmoid_prime", "log_softmax", "log_softmax_prime", "mish", "mish_prime", "selu",
    "selu_prime", "silu", "silu_prime", "softsign", "softsign_prime", "step", "step_prime", "swish", "swish_prime",
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
