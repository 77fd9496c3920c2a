"""Each chapter is a notebook a reader can open and run in Jupyter.

The book build executes the chapters too; this runs them the way a reader
does (jupytext reads the MyST file, a fresh kernel runs it from the top),
from a different working directory, to prove they need nothing but the
installed packages.
"""

from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from book_toc import read_toc

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "chapters").glob("*.md"))
# Pages with a kernelspec are notebooks; the others (the bibliography) are plain MyST.
CHAPTERS = [p for p in PAGES if "kernelspec:" in p.read_text(encoding="utf-8").split("\n---", 1)[0]]
# A slider of these pages, by its variable: moved in the kernel below.
KERNEL_SLIDERS = [("sigmoid", "gain_slider"), ("softmax", "temperature_slider"), ("modern", "beta_slider")]


def test_every_page_is_in_the_toc():
    toc = {page.docname for page in read_toc()}
    assert len(CHAPTERS) >= 8
    for path in PAGES:
        assert f"chapters/{path.stem}" in toc, path.name


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_front_matter_makes_it_a_notebook(path):
    nb = jupytext.read(path)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["jupytext"]["text_representation"]["format_name"] == "myst"
    assert any(cell.cell_type == "code" for cell in nb.cells)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_page_is_stored_as_jupytext_writes_it(path):
    # JupyterLab saves a page opened as a notebook through jupytext: a page in
    # any other form would be rewritten (a noisy diff) by merely reading it.
    text = path.read_text(encoding="utf-8")
    assert jupytext.writes(jupytext.read(path), "md:myst") == text, (
        f"{path.name} is not in jupytext's form: run `.venv/bin/jupytext --to md:myst {path.relative_to(ROOT)}`"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_names_the_kernel_as_it_calls_itself(path):
    # Lab writes the running kernel's spec into the notebook when it starts;
    # the committed one is the same, so starting it changes nothing.
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    kernelspec = jupytext.read(path).metadata["kernelspec"]
    assert kernelspec == {"name": "python3", "display_name": spec.display_name, "language": spec.language}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_executes_cleanly(path, tmp_path):
    nb = jupytext.read(path)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", (path.name, output)
            assert output.get("name") != "stderr", (path.name, cell.source[:80], output.get("text"))
    nbformat.validate(nb)
    # A slider's output carries the live widget view besides its HTML.
    bundles = [o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])]
    sliders = [b for b in bundles if "bu-slider" in b.get("text/html", "")]
    if path.stem in {page for page, _ in KERNEL_SLIDERS}:
        assert sliders, f"{path.name}: no slider output"
    assert all("application/vnd.jupyter.widget-view+json" in b for b in sliders)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_plot_cells_are_hidden_and_captioned(path):
    nb = jupytext.read(path)
    for cell in nb.cells:
        if cell.cell_type == "code" and "plt.show()" in cell.source:
            assert "hide-input" in cell.metadata.get("tags", []), cell.source[:60]
            figure = cell.metadata.get("mystnb", {}).get("figure", {})
            image = cell.metadata.get("mystnb", {}).get("image", {})
            assert figure.get("caption") and figure.get("name"), cell.source[:60]
            assert image.get("alt"), cell.source[:60]


def test_seed_errors_are_not_repeated():
    text = "\n".join(p.read_text(encoding="utf-8") for p in CHAPTERS)
    assert "短調増加" not in text
    assert "単調増加" in text
    assert "vectorize" not in (ROOT / "book_utils" / "core.py").read_text(encoding="utf-8")
    tanh = (ROOT / "chapters" / "tanh.md").read_text(encoding="utf-8")
    assert r"\frac{1}{\cosh^2 x}" in tanh
    relu = (ROOT / "chapters" / "relu.md").read_text(encoding="utf-8")
    assert r"\mathrm{ReLU}'(0) = 0" in relu


@pytest.mark.parametrize("page,name", KERNEL_SLIDERS)
def test_slider_redraws_in_the_kernel(page, name, tmp_path):
    """Run the chapter in a kernel, then move its slider as a reader would
    (setting the ipywidgets value runs the Python callback) and check that
    the chart the widget shows was redrawn."""
    nb = jupytext.read(ROOT / "chapters" / f"{page}.md")
    probe = (
        f"control, picture = {name}.widget().children\n"
        "before = picture.value\n"
        "control.value = len(control.options) - 1\n"
        "print(picture.value != before, control.label)"
    )
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    changed, label = nb.cells[-1].outputs[0]["text"].split()
    assert changed == "True"
    assert label in {"10.00", "20.00"}
