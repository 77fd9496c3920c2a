"""Checks on the HTML that `make book` wrote to _build/html (no browser).

`make test` builds the book first. Run alone without a build, these tests
are skipped with a message, except in CI (CI=true), where that is a failure.
"""

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import jupytext
import pytest

from book_toc import TocPage, read_toc

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
LOG = ROOT / "_build" / "build.log"
PAGES = read_toc()
# The executable chapters; the bibliography is plain MyST.
NOTEBOOKS = [p for p in PAGES if "kernelspec" in jupytext.read(p.source).metadata]


@pytest.fixture(scope="module", autouse=True)
def _needs_build(built_html):
    """Skips (fails in CI) when the book has not been built; see conftest.py."""


class Page(HTMLParser):
    """Collects what the checks need: <html lang>, images, figures, captions."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.images = []  # (src, alt, inside_figure)
        self.figures = 0
        self.captions = 0
        self._figure_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "figure":
            self.figures += 1
            self._figure_depth += 1
        elif tag == "figcaption":
            self.captions += 1
        elif tag == "img" and "logo" not in (attrs.get("class") or ""):
            self.images.append((attrs.get("src"), attrs.get("alt"), self._figure_depth > 0))

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure_depth -= 1


def parse(page: TocPage | str) -> tuple[Page, str]:
    text = (HTML / (page if isinstance(page, str) else page.html)).read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    return page, text


def figure_cells(page: TocPage) -> int:
    """How many figures the page's source asks for (code cells with `mystnb: figure`)."""
    return sum(1 for cell in jupytext.read(page.source).cells if cell.metadata.get("mystnb", {}).get("figure"))


@pytest.mark.parametrize("toc_page", PAGES, ids=str)
def test_page_exists_in_japanese(toc_page):
    page, _ = parse(toc_page)
    assert page.lang == "ja"


@pytest.mark.parametrize("toc_page", PAGES, ids=str)
def test_figures_have_captions_alt_text_and_exist(toc_page):
    page, _ = parse(toc_page)
    name = toc_page.name
    assert page.figures == figure_cells(toc_page), f"{name}: not one figure per figure cell"
    assert len(page.images) >= page.figures, f"{name}: a figure without an image"
    assert page.captions == page.figures
    for src, alt, in_figure in page.images:
        assert in_figure, src
        assert alt and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", alt), (
            f"{name}: image without Japanese alt text: {src}"
        )
        assert (HTML / toc_page.html).parent.joinpath(src).resolve().is_file(), src


def test_chapters_have_figures():
    # The check above passes on a page without figure cells; today every
    # chapter between the introduction and the bibliography has some.
    assert sum(figure_cells(p) > 0 for p in PAGES) >= 7


@pytest.mark.parametrize("toc_page", PAGES, ids=str)
def test_sections_are_numbered(toc_page):
    # The page's own title: the first <h1> of the article (the sidebar and
    # the previous/next links print other pages' numbers).
    _, text = parse(toc_page)
    title = re.search(r"<h1>(.*?)</h1>", text.split('<article class="bd-article">', 1)[1], re.S).group(1)
    if toc_page.number is None:
        assert 'class="section-number"' not in title, title
    else:
        assert re.match(rf'<span class="section-number">{toc_page.number}\.\s*</span>', title), title


@pytest.mark.parametrize("toc_page", PAGES, ids=str)
def test_cross_references_resolve(toc_page):
    _, text = parse(toc_page)
    assert "???" not in text
    assert 'class="xref eq"' not in text or "式 (" in text


def test_build_log_is_clean():
    assert LOG.exists(), "run `make book`: it writes _build/build.log"
    log = LOG.read_text(encoding="utf-8", errors="replace")
    # ipykernel >= 7 logs a notice about TCP transport (the kernel listens on
    # 127.0.0.1 only); it is not a warning about the book, so it is the one
    # line allowed through.
    lines = [line for line in log.splitlines() if "Kernel is running over TCP without encryption" not in line]
    offending = [line for line in lines if re.search(r"WARNING|ERROR|Glyph|RuntimeWarning|Traceback", line)]
    assert not offending, "\n".join(offending[:10])
    assert "build succeeded" in log


@pytest.mark.parametrize("toc_page", NOTEBOOKS, ids=str)
def test_page_offers_its_notebook(toc_page):
    import nbformat

    _, text = parse(toc_page)
    up = "../" * toc_page.docname.count("/")
    assert f'href="{up}_sources/{toc_page.docname}.ipynb"' in text
    nb = nbformat.read(HTML / "_sources" / f"{toc_page.docname}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), "executed, with outputs"
    # A slider is saved as its default frame and a note (a reader's Jupyter
    # shows a downloaded notebook untrusted): no widget view, no widget state.
    bundles = [output.get("data", {}) for cell in nb.cells for output in cell.get("outputs", [])]
    assert not [b for b in bundles if "application/vnd.jupyter.widget-view+json" in b]
    assert "widgets" not in nb.metadata
    pictures = [b["text/html"] for b in bundles if "bu-slider-picture" in b.get("text/html", "")]
    assert len(pictures) == text.count('<div class="bu-slider"')
    for picture in pictures:
        assert re.fullmatch(
            r'<div class="bu-slider-picture"><img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" '
            r'alt="[^"<]+（[^"<]+ = [0-9.]+）"'
            r' width="\d+" style="[^"]*"><p><em>セルを実行するとスライダーが動きます．</em></p></div>',
            picture,
        ), picture[-300:]
    # The picture is the whole chart: every panel of the page's slider, side by side.
    charts = re.findall(r'<div class="bu-chart"[^>]*>(.*?)</div>', text, re.S)
    for picture, chart in zip(pictures, charts):
        svg = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", picture).group(1)).decode()
        assert svg.count("<svg") == 1 and svg.count("<clipPath") == chart.count("<svg") >= 1


def test_no_page_loads_anything_from_the_network():
    # The browser tests check the loaded page; this checks every built HTML
    # file for tags that would fetch from elsewhere.
    remote = re.compile(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="(?:https?:)?//', re.I)
    for path in HTML.rglob("*.html"):
        match = remote.search(path.read_text(encoding="utf-8"))
        assert not match, f"{path.relative_to(HTML)}: {match.group(0)}"


def _text(fragment: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def bibliography_labels() -> dict[str, str]:
    """id of each entry on the references page -> its label, without the brackets."""
    _, text = parse("chapters/references.html")
    entries = re.findall(
        r'<div class="citation" id="([^"]+)"[^>]*>\s*<span class="label"><span class="fn-bracket">\[</span>'
        r'(.*?)<span class="fn-bracket">\]</span>',
        text,
        re.S,
    )
    return {anchor: _text(label) for anchor, label in entries}


def citations() -> list[tuple[str, str, str, str]]:
    """(page, the whole citation as read, the linked text, the entry id) for every in-text citation."""
    found = []
    for page in PAGES:
        _, text = parse(page)
        name = page.name
        for span in re.findall(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', text, re.S):
            for anchor, linked in re.findall(
                r'<a class="reference internal" href="references\.html#([^"]+)"[^>]*>(.*?)</a>', span, re.S
            ):
                found.append((name, _text(span), _text(linked), anchor))
    return found


def test_citations_read_as_their_bibliography_labels():
    labels = bibliography_labels()
    cited = citations()
    assert len(cited) >= 15 and len(labels) >= 15, (len(cited), len(labels))
    wrong = []
    for page, whole, linked, anchor in cited:
        label = labels.get(anchor)
        # {cite:p} links "Maas et al., 2013"; {cite:t} reads "Maas et al. [2013]" and links the year.
        textual = re.fullmatch(r"\d{4}[a-z]?", linked) and label and whole.replace(" [", ", ").rstrip("]") == label
        if linked != label and not textual:
            wrong.append((page, whole, label))
    assert not wrong, wrong


def test_bibliography_labels_are_author_year():
    # Guard for the check above: alpha labels such as "MHN13" would not match a citation.
    labels = bibliography_labels().values()
    assert labels and all(re.fullmatch(r".+, \d{4}[a-z]?", label) for label in labels), sorted(labels)
