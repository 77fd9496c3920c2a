"""Small fixes to the HTML that Jupyter Book 1 writes, for the book's readers.

- sphinx-thebe (live code on a remote kernel) is always loaded by Jupyter
  Book, and its inline configuration is added twice to every page, which
  throws "Identifier 'THEBE_JS_URL' has already been declared". The book
  does not use thebe (launch_buttons.thebe is false), so its assets are left
  out of every page.
"""

from __future__ import annotations


def _is_thebe(asset) -> bool:
    filename = getattr(asset, "filename", asset) or ""
    body = (getattr(asset, "attributes", None) or {}).get("body", "")
    return "thebe" in str(filename) or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def setup(app):
    app.connect("html-page-context", _drop_thebe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
