"""What JupyterLab reads when it opens a chapter: jupytext's notebook, with
the metadata the running kernel would write into it already filled in.

Lab marks a notebook modified, and autosave then rewrites the ``.md``, as
soon as the kernel's ``kernelspec`` or ``language_info`` differ from the
notebook's (a page without a kernelspec, such as the bibliography, even
asks for a kernel). The MyST files keep neither ``language_info`` (jupytext
writes only ``kernelspec`` and ``jupytext`` into the header) nor, for the
pages without code, a kernelspec, so they are supplied here, from the
installed ``python3`` kernel. Saving writes the same header back.
"""

from __future__ import annotations

import copy
import sys

from jupyter_client.kernelspec import KernelSpecManager
from jupytext.async_contentsmanager import AsyncTextFileContentsManager

KERNEL = "python3"


def kernel_metadata() -> dict:
    """``kernelspec`` and ``language_info`` as the ``python3`` kernel reports them.

    The kernelspec's ``python`` runs this interpreter (jupyter_client
    substitutes ``sys.executable``), so its language_info is ipykernel's
    for this very Python.
    """
    from ipykernel.ipkernel import IPythonKernel

    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    assert spec.argv[0] in ("python", sys.executable), spec.argv
    return {
        "kernelspec": {"name": KERNEL, "display_name": spec.display_name, "language": spec.language},
        "language_info": dict(IPythonKernel.language_info),
    }


def with_kernel_metadata(notebook: dict, metadata: dict) -> dict:
    """``notebook`` (nbformat JSON) with ``metadata``'s kernel fields, unless it names another kernel."""
    own = notebook.setdefault("metadata", {})
    if own.get("kernelspec", {}).get("name", KERNEL) != KERNEL:
        return notebook
    for key, value in copy.deepcopy(metadata).items():
        # Filled in place: keys keep their order in the file, which jupytext
        # writes back as it finds it.
        own.setdefault(key, {}).update(value)
    return notebook


class BookContentsManager(AsyncTextFileContentsManager):
    """jupytext's contents manager; a notebook read from a text file arrives
    with the kernel's metadata, so opening it does not modify it."""

    _kernel_metadata: dict | None = None  # read once, when the first notebook opens

    async def get(self, path, content=True, type=None, format=None, *args, **kwargs):
        model = await super().get(path, content, type, format, *args, **kwargs)
        if model.get("type") == "notebook" and model.get("content") and not path.endswith(".ipynb"):
            if self._kernel_metadata is None:
                self._kernel_metadata = kernel_metadata()
            with_kernel_metadata(model["content"], self._kernel_metadata)
        return model
