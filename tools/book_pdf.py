"""`make pdf`: the whole chapter as one PDF, printed from the built HTML.

Each page of _toc.yml, in its order, is opened in headless Chromium from
_build/html served on 127.0.0.1; a request that would leave it is refused
and fails the build, so nothing is fetched from the network. Once MathJax has
typeset the page and its fonts are loaded, Chromium prints it with the book's
print stylesheet (_static/book.css: wrapped code, sliders as strips of small
multiples, no navigation). pypdf (pinned in requirements.txt) then joins a
title page, a table of contents with page numbers and the pages, stamps the
page numbers and adds a bookmark per section.

    make book && make pdf        # writes _build/pdf/activation-functions.pdf
"""

from __future__ import annotations

import functools
import html
import http.server
import io
import os
import re
import sys
import threading
import time
import unicodedata
from pathlib import Path

import yaml
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # book_toc.py, the toc reader the tests use
from book_toc import read_toc  # noqa: E402

HTML = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "pdf" / "activation-functions.pdf"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# A4, with room at the bottom for the page number stamped into the margin.
PAPER = {"format": "A4", "margin": {"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}}
MATHJAX_DONE = (
    "() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise"
    " && (window.__mj_done || (window.MathJax.startup.promise.then(() => window.__mj_done = true), false)))"
)
RAW_TEX = ("\\frac", "\\begin{", "$$")
# Radicals of the CJK Radicals Supplement that are whole Japanese characters
# (Unicode's EquivalentUnifiedIdeograph.txt); NFKC leaves these unchanged.
SUPPLEMENT = {
    "⺠": "民", "⻄": "西", "⻆": "角", "⻑": "長", "⻘": "青", "⻝": "食",
    "⻤": "鬼", "⻩": "黄", "⻫": "斉", "⻭": "歯", "⻯": "竜", "⻲": "亀",
}  # fmt: skip
# A ToUnicode entry (glyph -> UTF-16) whose character is a CJK or Kangxi radical (U+2E80-U+2FDF).
RADICAL = re.compile(rb"^(<[0-9A-Fa-f]+>\s+)<(2E[89A-Fa-f][0-9A-Fa-f]|2F[0-9A-Da-d][0-9A-Fa-f])>", re.MULTILINE)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _front_page(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><style>'
        "@page { size: A4; margin: 30mm 25mm; } body { font-family: sans-serif; color: #222; }"
        "h1 { font-size: 26pt; margin: 60mm 0 10mm; } .by { font-size: 13pt; }"
        "ol { list-style: none; padding: 0; font-size: 12pt; } li { display: flex; margin: 0.5em 0; }"
        "li .t { flex: 1; border-bottom: 1px dotted #999; margin-right: 0.5em; }"
        f"</style></head><body>{body}</body></html>"
    )


def title_page(config: dict) -> str:
    return _front_page(
        f"<h1>{html.escape(config['title'])}</h1>"
        f'<p class="by">{html.escape(config.get("author", ""))}</p>'
        f'<p class="by">© {html.escape(str(config.get("copyright", "")))}</p>'
    )


def contents_page(entries: list[tuple[str, int]]) -> str:
    items = "".join(f'<li><span class="t">{html.escape(t)}</span><span>{n}</span></li>' for t, n in entries)
    return _front_page(f'<h2 style="font-size:18pt">目次</h2><ol>{items}</ol>')


def numbers_page(count: int) -> str:
    """``count`` blank A4 pages, each with its number at the foot (stamped onto the book's pages)."""
    pages = "".join(f'<div class="p"><span>{n}</span></div>' for n in range(1, count + 1))
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><style>'
        "@page { size: A4; margin: 0; } body { margin: 0; font-family: sans-serif; }"
        ".p { height: 297mm; position: relative; break-after: page; overflow: hidden; }"
        ".p:last-child { break-after: auto; }"
        ".p span { position: absolute; bottom: 8mm; width: 100%; text-align: center; font-size: 9pt; color: #555; }"
        f"</style></head><body>{pages}</body></html>"
    )


def print_page(page, url: str, blocked: list[str]) -> tuple[str, bytes]:
    """The page's title and its PDF, once math and fonts are ready."""
    page.goto(url, wait_until="networkidle")
    page.wait_for_function(MATHJAX_DONE, timeout=30_000)
    page.evaluate("document.fonts.ready.then(() => true)")
    if blocked:
        raise SystemExit(f"{url}: requests leaving the site were refused: {blocked}")
    text = page.locator("article").inner_text()
    raw = [t for t in RAW_TEX if t in text]
    if raw:
        raise SystemExit(f"{url}: TeX not typeset by MathJax: {raw}")
    title = page.locator("article h1").first.inner_text().replace("#", "").strip()
    return title, page.pdf(print_background=True, **PAPER)


def render(page, source: str) -> bytes:
    page.set_content(source, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.pdf(print_background=True, prefer_css_page_size=True)


def unify_radicals(writer: PdfWriter) -> int:
    """Map glyphs that Chromium labels as radicals back to the ideographs.

    A Japanese font draws 目 (U+76EE) and the Kangxi radical ⽬ (U+2F6C) with
    one glyph; Chromium's text layer names the glyph by the radical, so
    searching or copying 目次 from the PDF fails. The text layer (ToUnicode)
    gets the ideograph (the radical's NFKC form); the drawing is unchanged.
    Returns how many entries changed."""

    def ideograph(m: re.Match) -> bytes:
        radical = chr(int(m[2], 16))
        char = SUPPLEMENT.get(radical) or unicodedata.normalize("NFKC", radical)
        return m[1] + f"<{ord(char):04X}>".encode() if len(char) == 1 else m[0]

    changed, seen = 0, set()
    for page in writer.pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            cmap = font.get_object().get("/ToUnicode")
            if cmap is None or cmap.idnum in seen:
                continue
            seen.add(cmap.idnum)
            stream = cmap.get_object()
            data, n = RADICAL.subn(ideograph, stream.get_data())
            if n:
                stream.set_data(data)
                changed += n
    return changed


def build(out: Path = OUT) -> dict:
    """Print the book to ``out``; returns the page count, size in bytes and seconds taken."""
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    if not (HTML / "chapters" / "index.html").exists():
        raise SystemExit("_build/html is missing: run `make book` first")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(site) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    sections: list[tuple[str, PdfReader]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.route("**/*", route)
        for entry in read_toc():
            title, pdf = print_page(page, f"{site}/{entry.html}", blocked)
            sections.append((title, PdfReader(io.BytesIO(pdf))))
        starts, n = [], 1
        for _, reader in sections:
            starts.append(n)
            n += len(reader.pages)
        numbered = n - 1
        front = [
            PdfReader(io.BytesIO(render(page, title_page(config)))),
            PdfReader(io.BytesIO(render(page, contents_page([(t, s) for (t, _), s in zip(sections, starts)])))),
        ]
        numbers = PdfReader(io.BytesIO(render(page, numbers_page(numbered))))
        browser.close()
    server.shutdown()
    if len(numbers.pages) != numbered:
        raise SystemExit(f"page numbers: {len(numbers.pages)} pages printed for {numbered}")

    writer = PdfWriter()
    for reader in front:
        writer.append(reader)
    offset = len(writer.pages)
    for (title, reader), first in zip(sections, starts):
        writer.append(reader, import_outline=False)
        writer.add_outline_item(title=title, page_number=offset + first - 1)
    for i in range(numbered):
        writer.pages[offset + i].merge_page(numbers.pages[i])
    # Page labels: a viewer shows the number printed at the foot (i, ii for the title
    # and contents pages), so "go to page 46" lands on page 46.
    writer.set_page_label(0, offset - 1, style="/r")
    writer.set_page_label(offset, len(writer.pages) - 1, style="/D", start=1)
    unify_radicals(writer)
    writer.add_metadata({"/Title": config["title"], "/Author": config.get("author", "")})
    writer.page_mode = "/UseOutlines"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        writer.write(f)
    return {"pages": len(writer.pages), "bytes": out.stat().st_size, "seconds": time.perf_counter() - start}


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    result = build(out)
    print(
        f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {result['pages']} pages, "
        f"{result['bytes'] / 1e6:.1f} MB, {result['seconds']:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
