"""The pages of the book in reading order, read from _toc.yml.

Tests and benchmarks iterate these instead of lists of their own, so a page
added to the toc is checked everywhere without editing them. Only the toc
shape this book uses is understood (jb-book: a root, then a flat list of
`chapters`); anything else raises rather than guess the numbering.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = (".md", ".ipynb", ".rst")


@dataclass(frozen=True)
class TocPage:
    docname: str  # "chapters/sigmoid", as Sphinx names it
    number: int | None  # the section number the build prints; None: unnumbered
    book: Path  # the folder of _toc.yml

    def __str__(self) -> str:  # pytest ids
        return self.docname

    @property
    def name(self) -> str:
        return PurePosixPath(self.docname).name

    @property
    def html(self) -> str:
        """The built page, relative to _build/html (also its URL path)."""
        return f"{self.docname}.html"

    @property
    def source(self) -> Path:
        for suffix in SUFFIXES:
            path = self.book / f"{self.docname}{suffix}"
            if path.is_file():
                return path
        raise FileNotFoundError(f"{self.docname}: no {'/'.join(SUFFIXES)} file under {self.book}")


def _docname(file: str) -> str:
    # The toc may name a file with or without its suffix; Sphinx drops it.
    path = PurePosixPath(file)
    return str(path.with_suffix("")) if path.suffix in SUFFIXES else file


def read_toc(path: Path = ROOT / "_toc.yml") -> list[TocPage]:
    """The root page, unnumbered, then the chapters, numbered 1, 2, ... when
    `options: numbered` is set (the bibliography too: the build numbers it)."""
    toc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if toc.get("format") != "jb-book" or set(toc) - {"format", "root", "options", "chapters"}:
        # Parts or defaults would change what is numbered how.
        raise ValueError(f"{path}: only a jb-book toc of a root and `chapters` is supported")
    numbered = bool(toc.get("options", {}).get("numbered"))
    pages = [TocPage(_docname(toc["root"]), None, Path(path).parent)]
    for i, entry in enumerate(toc.get("chapters", []), start=1):
        if set(entry) - {"file", "title"} or "file" not in entry:
            # Sections, globs and URLs would change what is numbered how.
            raise ValueError(f"{path}: unsupported chapter entry {entry}")
        pages.append(TocPage(_docname(entry["file"]), i if numbered else None, Path(path).parent))
    return pages
