"""The comparison table is computed (book_utils.properties); here are the
known answers, derived independently (by hand or with mpmath), that every
computed cell must match. Changing the code so that any property comes out
wrong fails a test."""

import dataclasses

import pytest

import book_utils as bu
from book_utils import properties as P

from oracles import known_properties

TRUTH = known_properties()  # keyed by the catalogue's names


@pytest.fixture(scope="module")
def measured():
    return {entry.name: P.measure(entry) for entry in P.catalogue()}


def test_every_catalogue_row_has_its_known_answers(measured):
    missing, extra = set(measured) - set(TRUTH), set(TRUTH) - set(measured)
    assert not missing, f"element-wise activations without known properties in TRUTH: {sorted(missing)}"
    assert not extra, f"TRUTH has rows the catalogue does not: {sorted(extra)}"


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_properties_match_the_known_answers(measured, name):
    known, p = TRUTH[name], measured[name]
    assert p.range_low == pytest.approx(known.low, abs=1e-4), "range, lower end"
    assert p.range_high == pytest.approx(known.high, abs=1e-4), "range, upper end"
    assert (p.low_attained, p.high_attained) == known.closed, "open or closed ends"
    assert p.values == known.values
    assert p.monotonic == known.monotonic, "monotonic"
    assert p.smoothness == known.smoothness, "smoothness"
    assert p.mean_normal == pytest.approx(known.mean, abs=1e-6), "E[f(Z)]"
    assert p.max_slope == pytest.approx(known.max_slope, abs=1e-4), "max |f'|"
    assert (p.saturates_left, p.saturates_right) == known.saturates, "saturation"


def test_table_cells(measured):
    df = P.table()
    row = df.set_index("関数")
    assert row.loc["ロジスティック・シグモイド", "値域"] == "$(0, 1)$"
    assert row.loc["ReLU", "値域"] == r"$[0, \infty)$"
    assert row.loc["階段関数", "値域"] == r"$\{0, 0.5, 1\}$"
    assert row.loc["GELU", "値域"] == r"$[-0.1700, \infty)$"
    assert row.loc["hard swish", "値域"] == r"$[-0.375, \infty)$"
    assert row.loc["GELU", "単調増加"] == "いいえ"
    assert row.loc["ELU", "滑らかさ"] == "$C^1$"
    assert row.loc["SELU", "ゼロ中心"] == "はい" and row.loc["ReLU", "ゼロ中心"] == "いいえ"
    assert row.loc["ロジスティック・シグモイド", "最大傾き"] == "0.250"
    assert row.loc["log-sigmoid", "飽和"] == "正の側"


def test_a_wrong_property_is_caught():
    # Guard for the guard: a ReLU that is secretly smooth must not pass as ReLU.
    relu = bu.catalogue.get("relu")
    fake = dataclasses.replace(relu, f=bu.softplus, fprime=bu.softplus_prime)
    assert P.measure(fake).smoothness != TRUTH["relu"].smoothness
    assert P.smoothness(relu) == 0
