"""The PDF of `make pdf`, printed once by this module (tools/book_pdf.py) and
read back with poppler: every section title as text, only embedded fonts
with a Japanese one among them, no TeX left untypeset, no text past the right
margin (a cut-off code line or formula), a bookmark and a contents line per
section pointing at the page where it starts."""

import re
import shutil
import subprocess
import sys
import unicodedata

import jupytext
import pytest

from book_toc import read_toc
from conftest import CHROMIUM, ROOT, _missing

pytestmark = pytest.mark.browser

TOC = read_toc()
A4_WIDTH_PT = 595.28
RIGHT_MARGIN_PT = 15 / 25.4 * 72  # tools/book_pdf.py's 15 mm
CJK_FONT = re.compile(r"IPAex|CJK|Gothic|Mincho|Noto Sans JP|Noto Serif JP", re.IGNORECASE)


def poppler(tool: str, *args) -> str:
    return subprocess.run([tool, *map(str, args)], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdf(built_html, tmp_path_factory):
    for tool in ("pdftotext", "pdffonts"):
        if shutil.which(tool) is None:
            _missing(f"{tool} is missing: install Debian's poppler-utils (apt-get install poppler-utils)")
    if not shutil.which(CHROMIUM) and not (ROOT / CHROMIUM).exists():
        _missing(f"no Chromium at {CHROMIUM}: install Debian's `chromium`")
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    run = subprocess.run([sys.executable, ROOT / "tools" / "book_pdf.py", out], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    print(run.stdout)
    return out


def squeeze(text: str) -> str:
    """Without spaces or line breaks, and ligatures (ﬁ) as their letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def first_heading(toc_page) -> str:
    for cell in jupytext.read(toc_page.source).cells:
        for line in cell.source.splitlines():
            if cell.cell_type == "markdown" and line.startswith("# "):
                return line[2:].strip()
    raise AssertionError(f"{toc_page.source}: no title")


def test_every_section_title_is_text(pdf):
    text = squeeze(poppler("pdftotext", pdf, "-"))
    for toc_page in TOC:
        assert squeeze(first_heading(toc_page)) in text, toc_page


def test_fonts_are_embedded_and_one_is_japanese(pdf):
    rows = poppler("pdffonts", pdf).splitlines()[2:]
    assert rows
    for row in rows:
        # name, type (one or more words), encoding, emb, sub, uni, object, generation
        emb = row.split()[-5]
        assert emb == "yes", f"font not embedded: {row}"
    assert any(CJK_FONT.search(row.split()[0]) for row in rows), rows


def test_japanese_text_is_searchable(pdf):
    # The text layer names each character by the ideograph (目, 言), never by
    # the radical that shares its glyph (⽬, ⾔): search and copy find the words.
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    radicals = sorted({c for c in text if 0x2E80 <= ord(c) <= 0x2FDF})
    assert not radicals, radicals
    assert "目次" in text and "学習目標" in text


def test_no_raw_tex(pdf):
    text = poppler("pdftotext", pdf, "-")
    for raw in (r"\frac", r"\begin{", "$$", r"\sigma"):
        assert raw not in text, raw


def test_nothing_runs_past_the_right_margin(pdf):
    # A code line or formula cut at the margin keeps its text beyond it.
    words = re.findall(
        r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        poppler("pdftotext", "-bbox", pdf, "-"),
    )
    assert words
    limit = A4_WIDTH_PT - RIGHT_MARGIN_PT + 1
    past = [(word, float(x)) for x, word in words if float(x) > limit]
    assert not past, past[:10]


def footer_number(pdf, index: int) -> int | None:
    """The page number printed at the foot of page ``index`` (0-based), if any."""
    words = re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(\d+)</word>',
        poppler("pdftotext", "-f", index + 1, "-l", index + 1, "-bbox", pdf, "-"),
    )
    feet = [int(n) for y, n in words if float(y) > 790]  # A4 is 842 pt tall; the number sits 8 mm up
    return feet[-1] if feet else None


def test_contents_and_bookmarks_point_at_each_section(pdf):
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    print(f"{len(reader.pages)} pages")
    outline = reader.outline
    assert len(outline) == len(TOC)
    contents = poppler("pdftotext", "-f", 2, "-l", 2, "-layout", pdf, "-")
    for item, toc_page in zip(outline, TOC):
        title = squeeze(first_heading(toc_page))
        index = reader.get_destination_page_number(item)
        assert title in squeeze(item.title)
        assert title in squeeze(reader.pages[index].extract_text()), (item.title, index)
        # The contents give the number printed at the foot of that page.
        printed = footer_number(pdf, index)
        line = next(ln for ln in contents.splitlines() if title[:8] in squeeze(ln))
        assert printed is not None and line.split()[-1] == str(printed), (line, printed)


def _table_texts(html: str) -> list[str]:
    """What of every table on a built page must be on paper: each header cell,
    and the start of each row's last cell (a wrapped cell's lines are
    interleaved with its neighbours' in the PDF's text, so only its first
    8 characters are looked for). Cells holding mathematics are left out:
    their TeX is not in the PDF."""
    texts = []
    for table in re.findall(r"<table\b.*?</table>", html, re.S):
        heads = re.findall(r"<th\b[^>]*>(.*?)</th>", table, re.S)
        rows = [re.findall(r"<td\b[^>]*>(.*?)</td>", r, re.S) for r in re.findall(r"<tr\b.*?</tr>", table, re.S)]
        cells = [(h, None) for h in heads] + [(row[-1], 8) for row in rows if row]
        for cell, keep in cells:
            if "math" in cell or "\\(" in cell:
                continue
            text = squeeze(re.sub(r"<[^>]+>", "", cell))[:keep]
            if text:
                texts.append(text)
    return texts


def test_tables_keep_every_column_on_paper(pdf, built_html):
    # A table wider than the page must wrap on paper, not lose its last columns
    # behind the scroll box it has on screen.
    text = squeeze(poppler("pdftotext", pdf, "-"))
    missing = []
    for toc_page in TOC:
        html = (built_html / f"{toc_page.docname}.html").read_text(encoding="utf-8")
        missing += [(toc_page.docname, t) for t in _table_texts(html) if squeeze(t) not in text]
    assert not missing, missing[:10]


def test_a_viewer_shows_the_printed_page_numbers(pdf):
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    labels = reader.page_labels
    assert labels[:2] == ["i", "ii"]  # the title and contents pages
    for item in reader.outline:
        index = reader.get_destination_page_number(item)
        assert labels[index] == str(footer_number(pdf, index)), item.title
