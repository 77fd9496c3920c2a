"""The derivations written in the chapters, checked symbolically with sympy."""

import sympy as sp

x, a = sp.symbols("x a", real=True)
sigma = 1 / (1 + sp.exp(-a * x))


def is_zero(expr) -> bool:
    return sp.simplify(sp.expand(sp.simplify(expr.rewrite(sp.exp)))) == 0


def test_sigmoid_prime_is_a_sigma_one_minus_sigma():
    assert is_zero(sp.diff(sigma, x) - a * sigma * (1 - sigma))


def test_sigmoid_prime_stable_form():
    # a sigma (1 - sigma) = a t / (1 + t)^2 with t = exp(-a x) (the x >= 0 case) ...
    t = sp.exp(-a * x)
    assert is_zero(a * sigma * (1 - sigma) - a * t / (1 + t) ** 2)
    # ... and sigma (1 - sigma) takes the same value at -x, which is the other case.
    assert is_zero((sigma * (1 - sigma)).subs(x, -x) - sigma * (1 - sigma))


def test_sigmoid_prime_maximum_is_a_over_4():
    p = sp.symbols("p", real=True)
    assert sp.expand(p * (1 - p) - (sp.Rational(1, 4) - (p - sp.Rational(1, 2)) ** 2)) == 0
    assert sp.simplify(sp.diff(sigma, x).subs(x, 0)) == a / 4


def test_tanh_prime():
    t = (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))
    d = sp.diff(t, x)
    assert is_zero(d - 1 / sp.cosh(x) ** 2)
    assert is_zero(d - (1 - t**2))
    assert not is_zero(d - 1 / sp.cosh(x))  # the common mistake 1/cosh x is wrong


def test_tanh_from_sigmoid():
    s2 = (1 / (1 + sp.exp(-x))).subs(x, 2 * x)
    assert is_zero(2 * s2 - 1 - sp.tanh(x))


def test_tanh_prime_derivation_steps():
    u, v = sp.exp(x) - sp.exp(-x), sp.exp(x) + sp.exp(-x)
    assert is_zero(sp.diff(u, x) - v) and is_zero(sp.diff(v, x) - u)
    assert is_zero(v**2 - u**2 - 4)  # the numerator of (v^2 - u^2) / v^2
    assert is_zero(v - 2 * sp.cosh(x))


def test_cosh_squared_stable_form():
    # 1/cosh^2 x = 4 t / (1 + t)^2 with t = exp(-2|x|), from cosh x = e^{|x|} (1 + t) / 2
    xp = sp.symbols("xp", positive=True)  # |x|; cosh is even
    t = sp.exp(-2 * xp)
    assert is_zero(sp.cosh(xp) - sp.exp(xp) * (1 + t) / 2)
    assert is_zero(1 / sp.cosh(xp) ** 2 - 4 * t / (1 + t) ** 2)


def test_gelu_forms_satisfy_g_x_minus_g_minus_x_equals_x():
    # Both the exact GELU and its tanh form; so their difference is even in x.
    exact = x / 2 * (1 + sp.erf(x / sp.sqrt(2)))
    approx = x / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 1000000) * x**3)))
    for g in (exact, approx):
        assert sp.simplify(g - g.subs(x, -x) - x) == 0


def test_log_softmax_gradient():
    xs = sp.symbols("x1:4", real=True)
    total = sum(sp.exp(v) for v in xs)
    for i in range(3):
        log_s = xs[i] - sp.log(total)
        for j in range(3):
            assert sp.simplify(sp.diff(log_s, xs[j]) - ((1 if i == j else 0) - sp.exp(xs[j]) / total)) == 0


def test_softplus_prime_is_sigmoid():
    assert is_zero(sp.diff(sp.log(1 + sp.exp(x)), x) - 1 / (1 + sp.exp(-x)))


def test_softplus_stable_form_for_positive_x():
    xp = sp.symbols("xp", positive=True)
    assert sp.simplify(sp.expand_log(sp.log(1 + sp.exp(xp)) - (xp + sp.log(1 + sp.exp(-xp))), force=True)) == 0


def test_softmax_jacobian():
    xs = sp.symbols("x1:4", real=True)
    total = sum(sp.exp(v) for v in xs)
    s = [sp.exp(v) / total for v in xs]
    for i in range(3):
        for j in range(3):
            expected = s[i] * ((1 if i == j else 0) - s[j])
            assert sp.simplify(sp.diff(s[i], xs[j]) - expected) == 0


# --- chapters/loss.md -------------------------------------------------------------

z, y = sp.symbols("z y", real=True)
s_z = 1 / (1 + sp.exp(-z))  # sigma(z)
bce = -(y * sp.log(s_z) + (1 - y) * sp.log(1 - s_z))  # eq-loss-bce


def softplus(v):
    return sp.log(1 + sp.exp(v))


def test_logit_is_the_inverse_of_the_sigmoid():
    p = sp.symbols("p", positive=True)
    logit = sp.log(p / (1 - p))  # eq-loss-logit
    assert sp.simplify(s_z.subs(z, logit) - p) == 0
    assert is_zero(sp.exp(-z).subs(z, logit) - (1 - p) / p)  # the middle step


def test_log_sigmoid_derivatives():
    # eq-loss-log-sigmoid-prime
    assert is_zero(sp.diff(sp.log(s_z), z) - (1 - s_z))
    assert is_zero(sp.diff(sp.log(1 - s_z), z) + s_z)


def test_bce_gradient_is_sigma_minus_y():
    # eq-loss-bce-grad, and its middle line
    assert is_zero(sp.diff(bce, z) - (s_z - y))
    assert sp.expand(-(y - y * s_z - s_z + y * s_z)) == sp.expand(s_z - y)


def test_bce_stable_form():
    # eq-loss-bce-stable: y softplus(-z) + (1 - y) softplus(z) = softplus(z) - z y
    assert is_zero(sp.log(s_z) + softplus(-z)) and is_zero(sp.log(1 - s_z) + softplus(z))
    assert is_zero(softplus(-z) - (softplus(z) - z))
    assert is_zero(y * softplus(-z) + (1 - y) * softplus(z) - (softplus(z) - z * y))
    # max(z, 0) - z y + log(1 + e^{-|z|}) for either sign of z
    zp = sp.symbols("zp", positive=True)
    for value, absolute, maximum in [(zp, zp, zp), (-zp, zp, 0)]:
        stable = maximum - value * y + sp.log(1 + sp.exp(-absolute))
        assert sp.simplify(sp.expand_log(bce.subs(z, value) - stable, force=True)) == 0


def test_bce_gradient_from_the_stable_form():
    # The first exercise: d/dz (softplus(z) - z y) = sigma(z) - y
    assert is_zero(sp.diff(softplus(z) - z * y, z) - (s_z - y))


def test_squared_error_keeps_the_sigmoid_derivative():
    # eq-loss-mse-sigmoid-grad
    mse = (s_z - y) ** 2 / 2
    assert is_zero(sp.diff(mse, z) - (s_z - y) * s_z * (1 - s_z))


def test_cross_entropy_gradient_is_s_minus_y():
    # eq-loss-log-softmax-grad and eq-loss-ce-grad for a target distribution (sum 1), 3 classes
    zs = sp.symbols("z1:4", real=True)
    y1, y2 = sp.symbols("y1 y2", real=True)
    ys = [y1, y2, 1 - y1 - y2]
    total = sum(sp.exp(v) for v in zs)
    s = [sp.exp(v) / total for v in zs]
    loss = -sum(yc * (zc - sp.log(total)) for yc, zc in zip(ys, zs))
    for j in range(3):
        for c in range(3):
            assert sp.simplify(sp.diff(zs[c] - sp.log(total), zs[j]) - ((1 if c == j else 0) - s[j])) == 0
        assert sp.simplify(sp.diff(loss, zs[j]) - (s[j] - ys[j])) == 0
    # The gradient's components sum to 0 (the second exercise): the loss is shift invariant.
    t = sp.symbols("t", real=True)
    assert sp.simplify(sum(sp.diff(loss, v) for v in zs)) == 0
    shifted = loss.subs({v: v + t for v in zs}, simultaneous=True)
    assert sp.simplify(sp.diff(shifted, t)) == 0


def test_two_class_cross_entropy_is_binary_cross_entropy():
    # The last exercise: softmax((z, 0)) = (sigma(z), 1 - sigma(z)), target (y, 1 - y)
    total = sp.exp(z) + 1
    ce = -(y * sp.log(sp.exp(z) / total) + (1 - y) * sp.log(1 / total))
    assert is_zero(sp.exp(z) / total - s_z)
    assert sp.simplify(sp.expand_log(ce - bce, force=True)) == 0
    assert is_zero(sp.diff(ce, z) - (s_z - y))


def test_label_smoothing_optimum():
    # eq-loss-label-smoothing and eq-loss-smoothing-gap: with logits (d, 0, ..., 0) and
    # d = log(1 + C (1 - eps) / eps), softmax equals the smoothed target, so s - q = 0.
    n = sp.symbols("C", positive=True, integer=True)
    e = sp.symbols("e", positive=True)  # eps in (0, 1]
    gap = sp.log(1 + n * (1 - e) / e)
    s_correct = sp.exp(gap) / (sp.exp(gap) + n - 1)
    s_other = 1 / (sp.exp(gap) + n - 1)
    assert sp.simplify(s_correct - (1 - e + e / n)) == 0
    assert sp.simplify(s_other - e / n) == 0
    assert sp.simplify(sp.log((1 - e + e / n) / (e / n)) - gap) == 0  # d* = log(q_k / q_c)
    assert sp.simplify((1 - e) + n * (e / n) - 1) == 0  # q is a distribution
