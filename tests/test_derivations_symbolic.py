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


# --- the exercises (練習問題) of the sigmoid, tanh, ReLU and SoftPlus pages ---


def test_exercise_sigmoid_logit_is_the_inverse_and_its_derivative():
    p = sp.symbols("p", positive=True)
    logit = sp.log(p / (1 - p))
    s = 1 / (1 + sp.exp(-x))
    # sigma(logit p) = p for 0 < p < 1, and logit(sigma x) = x
    assert sp.simplify(s.subs(x, logit) - p) == 0
    assert sp.simplify(sp.expand_log(logit.subs(p, s), force=True) - x) == 0
    # the steps: 1/sigma - 1 = e^{-x}, then d logit / dp = 1/p + 1/(1 - p) = 1/(p (1 - p))
    assert is_zero(1 / s - 1 - sp.exp(-x))
    assert sp.simplify(sp.diff(logit, p) - 1 / (p * (1 - p))) == 0
    assert sp.simplify(1 / p + 1 / (1 - p) - 1 / (p * (1 - p))) == 0


def test_exercise_sigmoid_second_derivative_and_inflection():
    # sigma'' = a^2 sigma (1 - sigma)(1 - 2 sigma): zero only where sigma = 1/2, i.e. x = 0
    assert is_zero(sp.diff(sigma, x, 2) - a**2 * sigma * (1 - sigma) * (1 - 2 * sigma))
    p = sp.symbols("p", real=True)
    assert sp.expand(sp.diff(p * (1 - p), p) - (1 - 2 * p)) == 0  # d/dp of p(1-p), the chain-rule step
    assert sp.solve(sp.Eq(1 / (1 + sp.exp(-x)), sp.Rational(1, 2)), x) == [0]


def test_exercise_sigmoid_gain_limit_and_uniform_gap():
    ap, xp, delta = sp.symbols("a xp delta", positive=True)
    s = lambda u: 1 / (1 + sp.exp(-u))  # noqa: E731
    # a -> oo: 1 for x > 0, 1/2 at 0, 0 for x < 0 (the step function)
    assert sp.limit(s(ap * xp), ap, sp.oo) == 1
    assert sp.limit(s(-ap * xp), ap, sp.oo) == 0
    assert s(0) == sp.Rational(1, 2)
    # the gap is sigma(-a|x|) on both sides: 1 - sigma(a x) for x > 0, sigma(a x) for x < 0
    assert is_zero(1 - s(ap * xp) - s(-ap * xp))
    # it falls as |x| grows, so on |x| >= delta its largest value is sigma(-a delta), which -> 0
    assert sp.simplify(sp.diff(s(-ap * xp), xp) + ap * s(ap * xp) * s(-ap * xp)) == 0
    assert sp.limit(s(-ap * delta), ap, sp.oo) == 0
    assert sp.limit(s(-ap * xp), xp, 0) == sp.Rational(1, 2)  # so not uniform on all x != 0


def test_exercise_tanh_from_its_definition():
    # multiply by e^{-x}: (1 - e^{-2x}) / (1 + e^{-2x}) = 2 / (1 + e^{-2x}) - 1 = 2 sigma(2x) - 1
    t = (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))
    e = sp.exp(-2 * x)
    assert is_zero(t - (1 - e) / (1 + e))
    assert sp.simplify((1 - e) / (1 + e) - (2 / (1 + e) - 1)) == 0
    assert is_zero(2 / (1 + e) - 1 - (2 * (1 / (1 + sp.exp(-2 * x))) - 1))
    # x -> x/2: sigma(x) = (1 + tanh(x/2)) / 2
    assert is_zero(1 / (1 + sp.exp(-x)) - (1 + sp.tanh(x / 2)) / 2)


def test_exercise_tanh_prime_via_the_sigmoid():
    s = sp.symbols("s", real=True)
    s2 = (1 / (1 + sp.exp(-x))).subs(x, 2 * x)
    # d/dx [2 sigma(2x) - 1] = 2 * 2 * sigma'(2x) = 4 sigma(2x)(1 - sigma(2x))
    assert is_zero(sp.diff(2 * s2 - 1, x) - 4 * s2 * (1 - s2))
    # 1 - (2s - 1)^2 = 4 s (1 - s)
    assert sp.expand(1 - (2 * s - 1) ** 2 - 4 * s * (1 - s)) == 0
    assert is_zero(sp.diff(sp.tanh(x), x) - 4 * s2 * (1 - s2))


def test_exercise_tanh_taylor_x_minus_x_cubed_over_3():
    # from f' = 1 - f^2 (f = tanh): f'' = -2 f f' and f''' = -2 (f'^2 + f f'')
    f = sp.tanh(x)
    d1, d2, d3 = (sp.diff(f, x, k) for k in (1, 2, 3))
    assert is_zero(d1 - (1 - f**2))
    assert is_zero(d2 - (-2 * f * d1))
    assert is_zero(d3 - (-2 * (d1**2 + f * d2)))
    assert is_zero(d3 - (-2 * d1**2 + 4 * f**2 * d1))  # f''' in f and f' alone
    # at 0: f = 0, f' = 1, f'' = 0, f''' = -2, so tanh x = x - (2/3!) x^3 + O(x^5) = x - x^3/3 + ...
    assert [sp.diff(f, x, k).subs(x, 0) for k in range(5)] == [0, 1, 0, -2, 0]
    assert sp.series(f, x, 0, 5).removeO() == x - x**3 / 3


def test_exercise_artanh_inverse_and_derivative():
    y = sp.symbols("y", real=True)
    artanh = sp.log((1 + y) / (1 - y)) / 2
    # e^{2x} = (1 + y)/(1 - y) solves y = tanh x
    assert is_zero(((sp.exp(2 * x) - 1) / (sp.exp(2 * x) + 1)) - sp.tanh(x))
    # tanh x = (e^{2x} - 1)/(e^{2x} + 1) at e^{2x} = (1 + y)/(1 - y) gives y back
    e2x = (1 + y) / (1 - y)
    assert sp.simplify((e2x - 1) / (e2x + 1) - y) == 0
    assert sp.simplify(sp.exp(2 * artanh) - e2x) == 0
    assert sp.simplify(sp.diff(artanh, y) - 1 / (1 - y**2)) == 0
    for value in (sp.Rational(-9, 10), 0, sp.Rational(1, 2)):  # sympy's atanh on (-1, 1)
        assert abs(sp.N((artanh - sp.atanh(y)).subs(y, value), 30)) < 1e-25


def test_exercise_relu_forms_and_identities():
    relu = sp.Max(x, 0)
    for value in (-2, sp.Rational(-1, 3), 0, sp.Rational(1, 3), 5):
        assert ((x + sp.Abs(x)) / 2 - relu).subs(x, value) == 0
        assert (relu - relu.subs(x, -x) - x).subs(x, value) == 0
        assert (relu + relu.subs(x, -x) - sp.Abs(x)).subs(x, value) == 0
    xp = sp.symbols("xp", positive=True)
    # away from 0 the derivative of (x + |x|)/2 is (1 + sign x)/2: 1 for x > 0, 0 for x < 0
    assert sp.diff((xp + sp.Abs(xp)) / 2, xp) == 1
    assert sp.diff((-xp + sp.Abs(-xp)) / 2, xp) == 0
    # positive homogeneity: max(c x, 0) = c max(x, 0) for c >= 0
    c = sp.symbols("c", nonnegative=True)
    for value in (-2, 0, 3):
        assert sp.simplify(sp.Max(c * value, 0) - c * sp.Max(value, 0)) == 0


def test_exercise_relu_hat_function():
    relu = lambda t: sp.Max(t, 0)  # noqa: E731
    hat = relu(x + 1) - 2 * relu(x) + relu(x - 1)
    for value in [sp.Rational(k, 4) for k in range(-12, 13)]:
        assert hat.subs(x, value) == sp.Max(0, 1 - sp.Abs(value))


def test_exercise_softplus_is_convex():
    sp2 = sp.diff(sp.log(1 + sp.exp(x)), x, 2)
    s = 1 / (1 + sp.exp(-x))
    assert is_zero(sp2 - s * (1 - s))


def test_exercise_softplus_beta_minus_relu():
    beta = sp.symbols("beta", positive=True)
    xp = sp.symbols("xp", positive=True)
    f = lambda t: sp.log(1 + sp.exp(beta * t)) / beta  # noqa: E731
    gap = sp.log(1 + sp.exp(-beta * xp)) / beta  # the gap at +xp and at -xp
    assert sp.simplify(sp.expand_log(f(xp) - xp - gap, force=True)) == 0
    assert sp.simplify(f(-xp) - 0 - gap) == 0
    assert sp.simplify(f(0) - sp.log(2) / beta) == 0
    assert is_zero(sp.diff(f(x), x) - 1 / (1 + sp.exp(-beta * x)))  # sigma(beta x)
    # as beta -> oo the slope tends to 1 for x > 0, 0 for x < 0, and stays 1/2 at x = 0
    slope = 1 / (1 + sp.exp(-beta * x))
    assert sp.limit(slope.subs(x, xp), beta, sp.oo) == 1
    assert sp.limit(slope.subs(x, -xp), beta, sp.oo) == 0
    assert slope.subs(x, 0) == sp.Rational(1, 2)


def test_exercise_softplus_inverse():
    y = sp.symbols("y", positive=True)
    inverse = sp.log(sp.exp(y) - 1)
    assert sp.simplify(sp.log(1 + sp.exp(inverse)) - y) == 0
    assert sp.simplify(sp.expand_log(inverse - (y + sp.log(1 - sp.exp(-y))), force=True)) == 0
    assert sp.simplify(sp.diff(inverse, y) - 1 / (1 - sp.exp(-y))) == 0


# --- the exercises of the softmax, modern and comparison pages ----------------


def test_softmax_of_two_inputs_is_the_sigmoid_of_their_difference():
    x1, x2 = sp.symbols("x1 x2", real=True)
    s1 = sp.exp(x1) / (sp.exp(x1) + sp.exp(x2))
    s2 = sp.exp(x2) / (sp.exp(x1) + sp.exp(x2))
    logistic = lambda t: 1 / (1 + sp.exp(-t))
    assert sp.simplify(s1 - logistic(x1 - x2)) == 0
    # its derivatives are the Jacobian's entries s1 (1 - s1) = s1 s2 and -s1 s2
    assert sp.simplify(sp.diff(s1, x1) - s1 * s2) == 0
    assert sp.simplify(sp.diff(s1, x1) - s1 * (1 - s1)) == 0
    assert sp.simplify(sp.diff(s1, x2) + s1 * s2) == 0


def test_softmax_jacobian_rows_sum_to_zero_and_its_vector_product():
    xs = sp.symbols("x1:4", real=True)
    gs = sp.symbols("g1:4", real=True)
    total = sum(sp.exp(v) for v in xs)
    s = [sp.exp(v) / total for v in xs]
    jacobian = sp.Matrix(3, 3, lambda i, j: sp.diff(s[i], xs[j]))
    for i in range(3):
        assert sp.simplify(sum(jacobian[i, j] for j in range(3))) == 0
    s_dot_g = sum(si * gi for si, gi in zip(s, gs))
    product = jacobian.T * sp.Matrix(gs)
    for j in range(3):
        assert sp.simplify(product[j] - s[j] * (gs[j] - s_dot_g)) == 0
    assert sp.simplify(sum(product)) == 0  # the gradient is orthogonal to the shift direction


def test_elu_prime_is_elu_plus_alpha_on_the_negative_side():
    alpha = sp.symbols("alpha", positive=True)
    negative = alpha * (sp.exp(x) - 1)
    assert sp.simplify(sp.diff(negative, x) - (negative + alpha)) == 0
    # continuous at 0, and the one-sided slopes alpha and 1 agree only for alpha = 1
    assert negative.subs(x, 0) == 0
    assert sp.solve(sp.Eq(sp.diff(negative, x).subs(x, 0), 1), alpha) == [1]


def test_silu_prime_and_its_symmetry():
    logistic = 1 / (1 + sp.exp(-x))
    silu = x * logistic
    assert is_zero(sp.diff(silu, x) - logistic * (1 + x * (1 - logistic)))
    assert is_zero(silu - silu.subs(x, -x) - x)
    prime = sp.diff(silu, x)
    assert is_zero(prime + prime.subs(x, -x) - 1)
    assert prime.subs(x, 0) == sp.Rational(1, 2)


def test_gelu_second_derivative_and_largest_slope():
    phi = sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)
    Phi = (1 + sp.erf(x / sp.sqrt(2))) / 2
    gelu = x * Phi
    assert sp.simplify(sp.diff(phi, x) + x * phi) == 0
    assert sp.simplify(sp.diff(gelu, x, 2) - phi * (2 - x**2)) == 0
    assert set(sp.solve(2 - x**2, x)) == {sp.sqrt(2), -sp.sqrt(2)}
    # sqrt 2 phi(sqrt 2) = 1 / (e sqrt pi), so GELU'(sqrt 2) = Phi(sqrt 2) + 1 / (e sqrt pi)
    assert sp.simplify(sp.sqrt(2) * phi.subs(x, sp.sqrt(2)) - 1 / (sp.E * sp.sqrt(sp.pi))) == 0
    prime = sp.diff(gelu, x)
    assert sp.simplify(prime + prime.subs(x, -x) - 1) == 0  # so the smallest slope is 1 - the largest


def test_relu_moments_under_a_gaussian():
    z = sp.symbols("z", real=True)
    q = sp.symbols("q", positive=True)
    density = sp.exp(-(z**2) / (2 * q)) / sp.sqrt(2 * sp.pi * q)
    assert sp.simplify(sp.integrate(z * density, (z, 0, sp.oo)) - sp.sqrt(q / (2 * sp.pi))) == 0
    assert sp.simplify(sp.integrate(z**2 * density, (z, 0, sp.oo)) - q / 2) == 0
    # He: n v E[h^2] = q with E[h^2] = q / 2 gives v = 2 / n
    n, v = sp.symbols("n v", positive=True)
    assert sp.solve(sp.Eq(n * v * q / 2, q), v) == [2 / n]


def test_expected_squared_norm_through_random_weights():
    from sympy import stats

    v = sp.symbols("v", positive=True)
    us = sp.symbols("u1:4", real=True)
    weights = [stats.Normal(f"W{i}", 0, sp.sqrt(v)) for i in range(3)]
    column = sum(w * u for w, u in zip(weights, us))  # one entry of W^T u
    assert sp.simplify(stats.E(column**2) - v * sum(u**2 for u in us)) == 0


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


def test_cross_entropy_gradient_for_any_target():
    # The solution of the exercise on the sum: d l / d z_j = s_j sum_c y_c - y_j for any y (no
    # sum-to-one), whose components sum to 0; it is s - y only when sum_c y_c = 1.
    zs = sp.symbols("z1:4", real=True)
    ys = sp.symbols("y1:4", real=True)
    total = sum(sp.exp(v) for v in zs)
    s = [sp.exp(v) / total for v in zs]
    loss = -sum(yc * (zc - sp.log(total)) for yc, zc in zip(ys, zs))
    grads = [sp.diff(loss, v) for v in zs]
    for j in range(3):
        assert sp.simplify(grads[j] - (s[j] * sum(ys) - ys[j])) == 0
    assert sp.simplify(sum(grads)) == 0


def test_exercise_logit_derivative_and_logistic_regression_gradient():
    # The first exercise: d/dp logit(p) = 1 / (p (1 - p)) = 1 / sigma'(z) at p = sigma(z), and the
    # gradient of the binary cross-entropy of sigma(w^T x + b) is (sigma - y) x and sigma - y.
    p = sp.symbols("p", positive=True)
    assert sp.simplify(sp.diff(sp.log(p / (1 - p)), p) - 1 / (p * (1 - p))) == 0
    assert is_zero((1 / sp.diff(s_z, z)) - 1 / (s_z * (1 - s_z)))
    ws, xs = sp.symbols("w1:3", real=True), sp.symbols("x1:3", real=True)
    b = sp.symbols("b", real=True)
    pre = ws[0] * xs[0] + ws[1] * xs[1] + b
    loss = bce.subs(z, pre)
    residual = s_z.subs(z, pre) - y
    for w_i, x_i in zip(ws, xs):
        assert is_zero(sp.diff(loss, w_i) - residual * x_i)
    assert is_zero(sp.diff(loss, b) - residual)


def test_exercise_smoothing_gap_minimises_the_loss_of_d():
    # The exercise on d*: with logits (d, 0, ..., 0), l(d) = -q_k d + log(e^d + C - 1), l' = s_k - q_k,
    # l'' = s_k (1 - s_k) > 0, and s_k = q_k at d = d*; q_k / q_c = 1 + C (1 - eps) / eps.
    d = sp.symbols("d", real=True)
    n = sp.symbols("C", positive=True, integer=True)
    e = sp.symbols("e", positive=True)
    q_k, q_c = 1 - e + e / n, e / n
    total = sp.exp(d) + n - 1
    s_k = sp.exp(d) / total
    full = -(q_k * (d - sp.log(total)) + (n - 1) * q_c * (-sp.log(total)))  # -sum_c q_c log s_c
    short = -q_k * d + sp.log(total)
    assert sp.simplify(full - short) == 0
    assert sp.simplify(sp.diff(short, d) - (s_k - q_k)) == 0
    assert sp.simplify(sp.diff(short, d, 2) - s_k * (1 - s_k)) == 0
    assert sp.simplify(1 - q_k - (n - 1) * q_c) == 0
    assert sp.simplify(q_k / q_c - (1 + n * (1 - e) / e)) == 0
    gap = sp.log(1 + n * (1 - e) / e)
    assert sp.simplify(s_k.subs(d, gap) - q_k) == 0
    assert sp.simplify(gap.subs(e, 1)) == 0
