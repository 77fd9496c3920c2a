"""The catalogue is the one list of activations: everything public is in it,
every row has its oracles, and its facts agree with the functions and pages.
The losses of the output layer are its second, separate group (LOSSES): they
are exported and checked here too, but they are not activations.

The last two tests run the suite in a subprocess twice: once with a toy
activation registered (one row, one oracle: every generated test picks it
up), and once with a public function added to book_utils without a row (the
suite fails and names it).
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

import book_utils as bu
from book_utils import catalogue, core, losses, modern

from book_toc import read_toc
from oracles import LOSS_ORACLES, ORACLES, VECTOR_ORACLES, known_properties

ROOT = Path(__file__).resolve().parents[1]
ROWS = catalogue.ACTIVATIONS
EXPORTED = {name: fn for row in ROWS for name, fn in row.exports().items()}
HELPERS = {fn.__name__: fn for fn in catalogue.HELPERS}
LOSSES = {name: fn for row in catalogue.LOSSES for name, fn in row.exports().items()}


def test_names_are_unique():
    names = [n for row in ROWS for n in (row.name, *row.aliases)]
    assert len(names) == len(set(names))
    for attr in ("ja", "en"):
        spellings = [getattr(row, attr) for row in ROWS]
        assert len(spellings) == len(set(spellings)), attr


def test_every_row_has_its_oracles():
    elementwise = {row.name for row in catalogue.elementwise()}
    vector = {row.name for row in ROWS if not row.elementwise}
    assert not elementwise - set(ORACLES), f"no oracle in tests/oracles.py for {sorted(elementwise - set(ORACLES))}"
    assert not set(ORACLES) - elementwise, f"oracles for no catalogue row: {sorted(set(ORACLES) - elementwise)}"
    assert set(VECTOR_ORACLES) == vector, f"vector rows {sorted(vector)}, oracles {sorted(VECTOR_ORACLES)}"
    assert set(known_properties()) == elementwise, "known_properties() must answer for every element-wise row"
    assert set(LOSS_ORACLES) == {row.name for row in catalogue.LOSSES}, "LOSS_ORACLES must have a line per loss"


def test_every_public_function_is_in_the_catalogue():
    public = {name for name in bu.__all__ if callable(getattr(bu, name))}
    stray = public - set(EXPORTED) - set(HELPERS) - set(LOSSES)
    assert not stray, f"public functions without a catalogue row: {sorted(stray)}"
    assert set(EXPORTED) | set(HELPERS) | set(LOSSES) <= public
    assert not set(LOSSES) & (set(EXPORTED) | set(HELPERS)), "a loss is not an activation or a helper"


@pytest.mark.parametrize("module", [core, modern, losses], ids=lambda m: m.__name__)
def test_every_function_the_modules_define_is_in_the_catalogue(module):
    """A public function written into core.py, modern.py or losses.py without
    a row would be neither exported nor tested: it fails here, by name."""
    defined = {
        name
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and not name.startswith("_") and obj.__module__ == module.__name__
    }
    known = set(EXPORTED) | set(HELPERS) | set(LOSSES)
    stray = defined - known
    assert not stray, f"{module.__name__} defines {sorted(stray)}: add a row to book_utils/catalogue.py"


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_row_agrees_with_its_functions(row):
    # f' takes f's parameters (the vector functions' Jacobians: the last axis only).
    for fn in (row.f, row.fprime) if row.elementwise else (row.f,):
        signature = inspect.signature(fn).parameters
        for p in row.params:
            assert p.name in signature, f"{fn.__name__} has no parameter {p.name}"
            assert signature[p.name].default == p.default, f"{fn.__name__}: default of {p.name}"
            if p.slider:
                assert list(p.slider) == sorted(set(p.slider)), f"{row.name}: slider positions must increase"
                assert min(p.slider) <= p.default <= max(p.slider)
    assert set(row.kinks) <= set(row.jumps), f"{row.name}: a kink is a jump of f'"
    for x, value in row.kinks.items():
        assert row.fprime(x) == value, f"{row.name}'({x}) = {row.fprime(x)}, the catalogue says {value}"


@pytest.mark.parametrize("row", catalogue.elementwise(), ids=str)
def test_catalogue_conventions_are_the_oracles(row):
    default_case = next(o for o in ORACLES[row.name] if not o.kwargs)
    assert row.kinks == default_case.prime_at_kinks


def toc_docnames() -> list[str]:
    return [page.docname for page in read_toc()]


def page_prose(docname: str) -> str:
    nb = jupytext.read(ROOT / f"{docname}.md")
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_row_has_its_section_and_citation(row):
    assert row.page in toc_docnames(), f"{row.name}: page {row.page} is not in _toc.yml"
    prose = page_prose(row.page)
    assert row.ja in prose, f"{row.name}: {row.page} never names it {row.ja!r} (its section is missing)"
    if row.cite:
        bib = (ROOT / "references.bib").read_text(encoding="utf-8")
        assert re.search(rf"@\w+\{{{re.escape(row.cite)},", bib), f"{row.cite} is not in references.bib"
        assert f"`{row.cite}`" in prose, f"{row.page} does not cite {row.cite}"


@pytest.mark.parametrize("row", catalogue.LOSSES, ids=str)
def test_loss_row_agrees_with_its_functions_and_page(row):
    assert row.f.__name__ == row.name and row.grad.__name__ == f"{row.name}_grad"
    assert inspect.signature(row.f) == inspect.signature(row.grad), (
        f"{row.name}: the gradient takes the loss's arguments"
    )
    assert row.output in {a.name for a in ROWS}, f"{row.name}: output {row.output!r} is not an activation row"
    assert row.torch.rsplit(".", 1)[1] == row.name, f"{row.name}: book_utils uses PyTorch's name"
    assert catalogue.loss_of(row.f) is row and catalogue.loss_of(row.grad) is row
    assert row.page in toc_docnames(), f"{row.name}: page {row.page} is not in _toc.yml"
    prose = page_prose(row.page)
    assert row.ja in prose, f"{row.name}: {row.page} never names it {row.ja!r}"
    assert f"`{row.name}`" in prose or f"bu.{row.name}" in prose, f"{row.page} never shows {row.name}"
    if row.cite:
        bib = (ROOT / "references.bib").read_text(encoding="utf-8")
        assert re.search(rf"@\w+\{{{re.escape(row.cite)},", bib), f"{row.cite} is not in references.bib"
        assert f"`{row.cite}`" in prose, f"{row.page} does not cite {row.cite}"


def test_losses_are_kept_out_of_the_activation_rows():
    """No activation-generated test (values, derivatives, the one-argument
    contract, properties, framework counterparts) iterates the losses."""
    assert not {row.name for row in catalogue.LOSSES} & {n for row in ROWS for n in (row.name, *row.aliases)}
    assert all(catalogue.row_of(fn) is None for fn in LOSSES.values())
    assert not set(LOSSES) & set(ORACLES) and not set(LOSSES) & set(VECTOR_ORACLES)


def test_correspondence_table_has_a_line_per_row():
    labels = catalogue.correspondence_table()["関数"].tolist()
    assert len(labels) == len(ROWS)
    for label, row in zip(labels, ROWS):
        assert label == row.ja or label == f"{row.ja}（{row.en}）", label


# --- the two experiments ------------------------------------------------------------

GENERATED = ["test_values.py", "test_derivatives.py", "test_contract.py", "test_properties.py", "test_catalogue.py"]
# With the frameworks installed, their generated tests must accept a row that neither has.
FRAMEWORK_TESTS = ["test_framework_claims.py", "test_torch_reference.py"]


def run_pytest(env_var: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, env_var: "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *args]
    return subprocess.run(command, cwd=ROOT / "tests", env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(os.environ.get("BOOK_UTILS_TOY") is not None, reason="already inside the experiment")
def test_a_toy_activation_is_picked_up_by_every_generated_test():
    result = run_pytest("BOOK_UTILS_TOY", *GENERATED, *FRAMEWORK_TESTS, "-k", "toy or catalogue or counterpart", "-rA")
    passed = re.findall(r"^PASSED (\S+)", result.stdout, re.M)
    failed = re.findall(r"^FAILED (\S+)", result.stdout, re.M)
    for module in GENERATED:
        assert any(p.startswith(module) and "toy" in p for p in passed), (
            f"no test in {module} ran for the toy:\n{result.stdout[-3000:]}"
        )
    # It has no section on a page yet: that is the one generated check it fails.
    assert failed == ["test_catalogue.py::test_row_has_its_section_and_citation[toy]"], result.stdout[-3000:]
    assert len(passed) >= 40, len(passed)


@pytest.mark.skipif(os.environ.get("BOOK_UTILS_STRAY") is not None, reason="already inside the experiment")
def test_a_public_function_without_a_row_fails_the_suite_by_name():
    result = run_pytest("BOOK_UTILS_STRAY", "test_catalogue.py", "-k", "modules_define")
    assert result.returncode == 1, result.stdout[-2000:]
    assert "book_utils.modern defines ['stray']: add a row to book_utils/catalogue.py" in result.stdout


@pytest.mark.parametrize("name", sorted(set(EXPORTED) | set(HELPERS) | set(LOSSES)))
def test_every_public_function_has_a_docstring_example(name):
    """The examples run as doctests (pytest --doctest-modules, pyproject.toml)."""
    assert ">>>" in (inspect.getdoc(getattr(bu, name)) or ""), f"{name} has no docstring example"
