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
