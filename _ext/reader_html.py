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
"""

from __future__ import annotations

from pathlib import Path


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
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _localise_labels)
    # Before sphinx-book-theme builds its header buttons (priority 501).
    app.connect("html-page-context", _offer_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
