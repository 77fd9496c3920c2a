"""Phones get each multi-panel figure with its panels one above the other.

A figure whose PNG says where its panels are (``book_utils._panels_png``)
gets a second image, ``<name>-narrow.png``, cut from the same pixels, and
its ``<img>`` becomes a ``<picture>`` whose ``<source>`` the browser picks
at 576 px and below. The ``<img>`` (alt text, the figure and its number)
is unchanged, so wide screens and print show exactly what they showed.

Runs when the build has finished, over every written page: images are
copied to ``_images`` only then. A page already rewritten is left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

PHONE = "(max-width: 576px)"
# An image of the build, and the <source> an earlier build may have put before it.
IMG = re.compile(
    r'(?P<done><source media="[^"]*" srcset="[^"]*" />)?'
    r'<img [^>]*?src="(?P<src>(?:\.\./)*_images/(?P<name>[^"/]+)\.png)"[^>]*>'
)


def _rewrite(page: Path, images: Path) -> None:
    text = page.read_text(encoding="utf-8")

    def picture(m: re.Match) -> str:
        from book_utils._panels_png import stacked

        if m["done"]:
            return m[0]  # rewritten by an earlier build
        source, narrow = images / f"{m['name']}.png", images / f"{m['name']}-narrow.png"
        if not source.is_file():
            return m[0]
        if not narrow.is_file() or narrow.stat().st_mtime < source.stat().st_mtime:
            png = stacked(source.read_bytes())
            if png is None:
                return m[0]
            narrow.write_bytes(png)
        src = m["src"][: -len(".png")] + "-narrow.png"
        return f'<picture><source media="{PHONE}" srcset="{src}" />{m[0]}</picture>'

    new = IMG.sub(picture, text)
    if new != text:
        page.write_text(new, encoding="utf-8")


def _finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for page in out.rglob("*.html"):
        _rewrite(page, out / "_images")


def setup(app):
    app.connect("build-finished", _finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
