"""The toc reader (book_toc.py) on synthetic tocs; tests/test_built_html.py
checks its numbers against the built book."""

import pytest

from book_toc import read_toc

TOC = """\
format: jb-book
root: intro
options:
  numbered: true
chapters:
{}
"""


def toc(tmp_path, *files, numbered="true"):
    path = tmp_path / "_toc.yml"
    chapters = "\n".join(f"  - file: {f}" for f in files)
    path.write_text(TOC.format(chapters).replace("numbered: true", f"numbered: {numbered}"), encoding="utf-8")
    return read_toc(path)


def test_root_is_unnumbered_and_chapters_count_from_one(tmp_path):
    pages = toc(tmp_path, "a/one", "a/two", "b/three")
    assert [(p.docname, p.number) for p in pages] == [("intro", None), ("a/one", 1), ("a/two", 2), ("b/three", 3)]
    assert [p.html for p in pages] == ["intro.html", "a/one.html", "a/two.html", "b/three.html"]
    assert pages[3].name == "three"


def test_insertion_in_the_middle_shifts_the_numbers_after_it(tmp_path):
    before = {p.docname: p.number for p in toc(tmp_path, "one", "two", "last")}
    after = {p.docname: p.number for p in toc(tmp_path, "one", "two", "new", "last")}
    assert after == {**before, "new": 3, "last": 4}


def test_unnumbered_toc_and_suffixes(tmp_path):
    pages = toc(tmp_path, "one.md", "two.ipynb", numbered="false")
    assert [(p.docname, p.number) for p in pages] == [("intro", None), ("one", None), ("two", None)]


def test_source_is_found_with_its_suffix(tmp_path):
    (tmp_path / "one.md").write_text("# one\n", encoding="utf-8")
    one, missing = toc(tmp_path, "one", "missing")[1:]
    assert one.source == tmp_path / "one.md"
    with pytest.raises(FileNotFoundError):
        _ = missing.source


@pytest.mark.parametrize(
    "extra", ["    sections:\n      - file: sub", "  - glob: more/*", "  - url: https://example.org"]
)
def test_other_toc_shapes_are_refused(tmp_path, extra):
    path = tmp_path / "_toc.yml"
    path.write_text(TOC.format("  - file: one\n" + extra), encoding="utf-8")
    with pytest.raises(ValueError, match="unsupported chapter entry"):
        read_toc(path)


def test_parts_are_refused(tmp_path):
    path = tmp_path / "_toc.yml"
    path.write_text("format: jb-book\nroot: intro\nparts:\n  - chapters:\n    - file: one\n", encoding="utf-8")
    with pytest.raises(ValueError, match="only a jb-book toc"):
        read_toc(path)
