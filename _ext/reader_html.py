"""Small fixes to the HTML that Jupyter Book 1 writes, for the book's readers.

- sphinx-thebe (live code on a remote kernel) is always loaded by Jupyter
  Book, and its inline configuration is added twice to every page, which
  throws "Identifier 'THEBE_JS_URL' has already been declared". The book
  does not use thebe (launch_buttons.thebe is false), so its assets are left
  out of every page.
- myst-nb labels the code toggles "Toggle hidden content" for screen
  readers; on a Japanese page the label is Japanese.
- Readers can take each chapter away as a notebook: the chapter with this
  build's outputs (from the jupyter-cache) is written next to the page
  sources as .ipynb, and the theme's
  download menu offers it as ".ipynb". (sphinx-book-theme does this only when
  a launch service such as Binder is configured; this book has none.)
  In that notebook a slider's saved output is its chart at the default value,
  as an image, and a note to run the cell: a notebook opened from a download
  is untrusted, and JupyterLab would show the slider's HTML sanitised (SVG
  and script stripped, the tick labels run together, a dead control), or,
  once trusted, a widget drawn from saved state that needs a kernel anyway.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A slider's chart: a wrapper with the accessible name around one <svg> per
# panel, each showing its own region of one coordinate system (viewBox).
SLIDER_CHART = re.compile(r'<div class="bu-slider"[^>]*>.*?<div class="bu-chart"([^>]*)>(.*?)</div>', re.S)
PANEL = re.compile(r'<svg\b[^>]*viewBox="([0-9.]+) 0 ([0-9.]+) ([0-9.]+)"[^>]*>(.*?)</svg>', re.S)
RUN_NOTE = "セルを実行するとスライダーが動きます．"


def _is_thebe(asset) -> bool:
    filename = getattr(asset, "filename", asset) or ""
    body = (getattr(asset, "attributes", None) or {}).get("body", "")
    return "thebe" in str(filename) or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def _localise_labels(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = context["body"].replace(
            'aria-label="Toggle hidden content"', 'aria-label="コードの表示・非表示を切り替える"'
        )


def _offer_notebook(app, pagename, templatename, context, doctree):
    source = Path(app.env.doc2path(pagename)) if doctree is not None else None
    if source is None or source.suffix != ".md" or "kernelspec" not in source.read_text(encoding="utf-8")[:600]:
        return
    import jupytext
    import nbformat

    notebook = jupytext.read(source)
    try:  # the outputs of this build's execution, from the jupyter-cache
        from jupyter_cache import get_cache

        cache = get_cache(Path(app.outdir).parent / ".jupyter_cache")
        _, notebook = cache.merge_match_into_notebook(notebook)
    except (KeyError, OSError):
        pass  # not executed (or cache elsewhere): offer the notebook without outputs
    static_sliders(notebook)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def static_sliders(notebook) -> int:
    """Replace each slider output of ``notebook`` (a widget view with the
    book's slider HTML) by its default frame as an ``<img>`` and a note,
    which sanitised HTML keeps as they are. Returns how many were replaced."""
    replaced = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            page = data.get("text/html", "")
            page = "".join(page) if isinstance(page, list) else page
            found = SLIDER_CHART.search(page) if WIDGET_VIEW in data else None
            if not found:
                continue
            svg, width = _one_svg(found.group(2))
            alt = re.search(r'aria-label="([^"]*)"', found.group(1))
            source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
            label = html.escape(html.unescape(alt.group(1)), quote=True) if alt else ""
            output["data"] = {
                "text/html": (
                    f'<div class="bu-slider-picture"><img src="{source}" alt="{label}" width="{width}" '
                    'style="max-width:100%;height:auto">'
                    f"<p><em>{RUN_NOTE}</em></p></div>"
                ),
                "text/plain": RUN_NOTE,
            }
            replaced += 1
    if replaced and not any(WIDGET_VIEW in o.get("data", {}) for c in notebook.cells for o in c.get("outputs", [])):
        notebook.metadata.pop("widgets", None)  # the saved state of widgets no output shows
    return replaced


def _one_svg(panels_html: str) -> tuple[str, str]:
    """The chart's panels as one SVG (their contents share one coordinate
    system, so they are simply put side by side), and its width in CSS
    pixels (an SVG image without one is drawn 300 px wide)."""
    panels = PANEL.findall(panels_html)
    width = max(float(left) + float(w) for left, w, _, _ in panels)
    height = max(float(h) for _, _, h, _ in panels)
    size = f"{width:g}"
    body = "".join(content for *_, content in panels)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {height:g}" width="{size}" '
        f'height="{height:g}" font-family="sans-serif">{body}</svg>',
        size,
    )


def setup(app):
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _localise_labels)
    # Before sphinx-book-theme builds its header buttons (priority 501).
    app.connect("html-page-context", _offer_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
