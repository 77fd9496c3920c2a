"""The glossary (chapters/glossary.md) and the links to it from the pages.

The glossary is Sphinx's ``{glossary}`` directive, one block per 行 (英字,
あ行, か行, ...). Each entry is one or more term lines (synonyms: ReLU and
ランプ関数) and a one-line definition that opens with its reading (for a
term written with kanji) and English name in brackets:
``（こうばいしょうしつ，*vanishing gradient*）... です．``

On every page of the toc (but the glossary and the bibliography), the first
use of each glossary term in the prose links to it: ``{term}`勾配消失```, or
``{term}`表示 <用語>``` when the text differs, or, where the term is bold
(the place a page introduces it), ``[**勾配消失**](#勾配消失)`` (markdown
cannot open bold before a role after a Japanese letter; MyST resolves a
``#`` link to the glossary term, but only for a term without capitals, so a
bold Latin term, which has spaces around it, is ``**{term}`ReLU`**``). Japanese has no spaces between words, so
a use is an exact occurrence of the term (or of one of ALIASES) in the
prose: headings, math, code, tables, captions and the text of other roles
({doc}, {cite}, ...) are not prose. An occurrence inside a longer
occurrence of another term does not count (ReLU inside Leaky ReLU, ELU
inside GELU, 勾配 inside 勾配消失). A use inside a link to the term counts
as linked (シグモイド関数 inside
``{term}`ロジスティック・シグモイド関数 <シグモイド関数>```).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jupytext
import pytest

from book_toc import read_toc

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "chapters" / "glossary.md"
# The pages that link to the glossary: every page of the toc but the two lists.
PAGES = [p for p in read_toc() if p.name not in {"glossary", "references"}]

# Shorter or inflected forms the prose uses for a term (the key). A form that
# is itself a term line of the glossary needs no row here.
ALIASES = {
    "シグモイド関数": ("シグモイド",),
    "単調性": ("単調",),
    "重みの初期化": ("初期化",),
    "損失関数": ("損失",),
}


# --- the glossary --------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    terms: tuple[str, ...]  # its term lines, the first one the headword
    section: str  # the heading above its block: 英字, あ行, か行, ...
    definition: str  # the one indented line

    @property
    def parts(self) -> re.Match | None:
        """（reading，*English*）body, or None if the definition is not in that form."""
        return DEFINITION.fullmatch(self.definition)

    @property
    def reading(self) -> str | None:
        return self.parts["reading"] if self.parts else None

    @property
    def surfaces(self) -> tuple[str, ...]:
        """Every form whose occurrence in the prose is a use of the entry."""
        return self.terms + tuple(a for t in self.terms for a in ALIASES.get(t, ()))


ENGLISH = r"\*[A-Za-z][A-Za-z .,'-]*\*"
DEFINITION = re.compile(
    rf"（(?:(?P<reading>[ぁ-ゖー]+)，)?(?P<english>{ENGLISH}(?:，{ENGLISH})*)）(?P<body>\S.*(?:です|ます|でした|ました|ません)．)"
)


def read_glossary(text: str) -> list[Entry]:
    """The entries of every ``{glossary}`` block of a MyST page, in order."""
    entries, section, block, terms = [], "", False, []
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith("```{glossary}"):
            block, terms = True, []
        elif block and line.startswith("```"):
            block = False
        elif block and line.strip():
            if line[0].isspace():
                if not terms:  # a second definition line continues the previous entry
                    raise AssertionError(f"{section}: definition without a term, or on two lines: {line.strip()}")
                entries.append(Entry(tuple(terms), section, line.strip()))
                terms = []
            else:
                terms.append(line.strip())
    assert not terms, f"terms without a definition: {terms}"
    return entries


ENTRIES = read_glossary(GLOSSARY.read_text(encoding="utf-8"))
ENTRY_OF = {term.lower(): entry for entry in ENTRIES for term in entry.terms}  # Sphinx matches terms ignoring case


def test_glossary_is_in_the_toc_before_the_bibliography():
    names = [p.name for p in read_toc()]
    assert names.index("glossary") == names.index("references") - 1


def test_glossary_has_at_least_45_terms_each_once():
    assert len(ENTRIES) >= 45, len(ENTRIES)
    terms = [t.lower() for e in ENTRIES for t in e.terms]
    assert len(terms) == len(set(terms)), sorted(t for t in terms if terms.count(t) > 1)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.terms[0])
def test_entry_has_english_name_reading_and_a_polite_one_line_definition(entry):
    assert entry.parts, (
        f"{entry.terms[0]}: the definition must read （よみ，*English*）... です． on one line: {entry.definition}"
    )
    kana_headword = not re.match(r"[A-Za-z]", entry.terms[0])
    if kana_headword and re.search(r"[\u4e00-\u9fff]", entry.terms[0]):
        assert entry.reading, f"{entry.terms[0]}: a term written with kanji needs its reading"
    assert len(entry.parts["body"]) >= 15, f"{entry.terms[0]}: the definition is too short to define anything"


# Gojūon order: katakana read as hiragana, voiced and small kana as their plain
# kana, the long-vowel mark as the vowel before it (オーバー = おおばあ).
SMALL = str.maketrans("ぁぃぅぇぉっゃゅょゎ", "あいうえおつやゆよわ")
VOWEL_ROWS = [
    "あかさたなはまやらわ",
    "いきしちにひみり",
    "うくすつぬふむゆる",
    "えけせてねへめれ",
    "おこそとのほもよろを",
]
ROWS = {"あ行": "あいうえお", "か行": "かきくけこ", "さ行": "さしすせそ", "た行": "たちつてと", "な行": "なにぬねの"}
ROWS |= {"は行": "はひふへほ", "ま行": "まみむめも", "や行": "やゆよ", "ら行": "らりるれろ", "わ行": "わをん"}


def kana_key(reading: str) -> str:
    hiragana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in reading)
    plain = "".join(c for c in unicodedata.normalize("NFD", hiragana) if c not in "\u3099\u309a").translate(SMALL)
    out = ""
    for c in plain:
        if c == "ー" and out:
            c = next((row[0] for row in VOWEL_ROWS if out[-1] in row), "")
        if "ぁ" <= c <= "ゖ":
            out += c
    return out


def sort_key(entry: Entry) -> tuple[int, str]:
    headword = entry.terms[0]
    if re.match(r"[A-Za-z]", headword):
        return (0, headword.lower())
    return (1, kana_key(entry.reading or headword))


def test_kana_key_reads_as_a_dictionary_does():
    assert kana_key("オーバーフロー") == "おおはあふろお"
    assert kana_key("じゅんでんぱ") == "しゆんてんは"
    assert sorted(["しんだ", "じゅんでんぱ", "しゅつりょくそう", "しぐもいど"], key=kana_key) == [
        "しぐもいど",
        "しゅつりょくそう",
        "じゅんでんぱ",
        "しんだ",
    ]


def test_entries_are_in_alphabetical_then_gojuon_order():
    keys = [sort_key(e) for e in ENTRIES]
    out_of_order = [(a.terms[0], b.terms[0]) for a, b, ka, kb in zip(ENTRIES, ENTRIES[1:], keys, keys[1:]) if ka > kb]
    assert not out_of_order, out_of_order
    for entry, (latin, key) in zip(ENTRIES, keys):
        if latin == 0:
            assert entry.section == "英字", f"{entry.terms[0]} belongs under 英字, not {entry.section}"
        else:
            assert key and key[0] in ROWS.get(entry.section, ""), f"{entry.terms[0]} ({key}) is not in {entry.section}"


def test_aliases_name_glossary_terms():
    assert set(ALIASES) <= set(ENTRY_OF), set(ALIASES) - set(ENTRY_OF)


# --- the prose of a page ---------------------------------------------------------

# Inline pieces of a line, in the order they are tried at each position.
INLINE = re.compile(
    r"\{(?P<role>[\w:.-]+)\}`(?P<body>[^`]*)`"  # {term}`...`, {cite:p}`...`, {doc}`...`
    r"|\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]*)\)"  # [text](#term) or [text](url)
    r"|`[^`]*`"  # inline code
    r"|(?<!\\)\$[^$]+\$"  # inline math
)
# Directives whose body is prose the reader reads (the others: code, math, figures, lists).
PROSE_DIRECTIVES = {"admonition", "note", "tip", "hint", "important", "warning", "caution", "attention", "seealso"}
PROSE_DIRECTIVES |= {"exercise", "solution", "dropdown"}
GAP = "\x00"  # stands in for what is not prose, so no term is found across it


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    target: str  # the glossary term it links to


def prose(markdown: str) -> tuple[str, list[Link]]:
    """The prose of MyST markdown as plain text, with the glossary links in it."""
    text, links = [], []
    length = 0
    fences: list[tuple[str, bool]] = []  # open fences: (marker, is its body prose)
    in_math = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if in_math:
            in_math = not stripped.startswith("$$")
            continue
        fence = re.match(r"(`{3,}|~{3,}|:{3,})\s*(\{(?P<name>[\w:-]+)\})?", stripped)
        if fence:
            marker = fence.group(1)
            if fences and marker[0] == fences[-1][0][0] and len(marker) >= len(fences[-1][0]) and not fence["name"]:
                fences.pop()  # the closing fence
            else:
                prose_body = marker[0] == ":" or fence["name"] in PROSE_DIRECTIVES
                fences.append((marker, prose_body and all(p for _, p in fences)))
            continue
        if fences and not fences[-1][1]:
            continue
        if stripped.startswith("$$"):
            in_math = stripped.count("$$") == 1  # "$$ x $$" opens and closes on one line
            continue
        if (
            not stripped
            or stripped.startswith(("#", "|", "%", "<!--"))
            or re.fullmatch(r"\(.+\)=", stripped)  # a MyST target
            or (fences and stripped.startswith(":"))  # a directive option (:class: warning)
        ):
            text.append(GAP)
            length += 1
            continue
        pos = 0
        for m in INLINE.finditer(line):
            plain = line[pos : m.start()].replace("*", "")
            text.append(plain)
            length += len(plain)
            pos = m.end()
            display, target = None, None
            if m["role"] == "term":
                body = m["body"]
                found = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", body)
                display, target = (found[1], found[2]) if found else (body, body)
            elif m["text"] is not None:
                display = m["text"].replace("*", "")
                if m["target"].startswith("#"):
                    target = m["target"][1:]
            if display is None:
                text.append(GAP)
                length += 1
                continue
            if target is not None:
                links.append(Link(length, length + len(display), target))
            text.append(display)
            length += len(display)
        plain = line[pos:].replace("*", "") + "\n"
        text.append(plain)
        length += len(plain)
    return "".join(text), links


def page_markdown(path: Path) -> str:
    """The markdown cells of a page (a MyST notebook or a plain MyST page)."""
    return "\n".join(c.source for c in jupytext.read(path).cells if c.cell_type == "markdown")


def unlinked_first_uses(markdown: str, entries: list[Entry] = ENTRIES) -> list[str]:
    """The entries (headwords) whose first use in the prose is not a link to them."""
    text, links = prose(markdown)
    entry_of = {term.lower(): entry for entry in entries for term in entry.terms}
    found = [
        (m.start(), m.end(), entry)
        for entry in entries
        for surface in entry.surfaces
        for m in re.finditer(re.escape(surface), text)
    ]
    uses = [
        (start, end, entry)
        for start, end, entry in found
        if not any(s <= start and end <= e and e - s > end - start and other is not entry for s, e, other in found)
    ]
    missing = []
    for entry in entries:
        mine = [(start, -end) for start, end, e in uses if e is entry]
        if not mine:
            continue
        start, end = min(mine)
        end = -end
        if not any(
            link.start <= start and end <= link.end and entry_of.get(link.target.lower()) is entry for link in links
        ):
            context = text[max(0, start - 15) : end + 15].replace("\n", " ").replace(GAP, "…")
            missing.append(f"{entry.terms[0]}: 「{context}」")
    return missing


def test_the_check_finds_unlinked_first_uses():
    """The checker fails where it must (and only there), so the test below can fail."""
    page = (
        "# 勾配消失\n\n"  # a heading: not a use
        "$勾配消失$ と `勾配消失` と {doc}`勾配消失`．\n\n"  # math, code, another role: not uses
        "$$\n\\text{勾配消失}\n$$\n\n"
        "| 勾配消失 | 表 |\n\n"
        "Leaky ReLU は {term}`ReLU` の仲間で，勾配消失を防ぎます．{term}`勾配消失` です．\n\n"
        ":::{admonition} 注意\n:class: warning\nGELU と [**ELU**](#elu) を比べます．\n:::\n\n"
        "```{code-block}\n温度\n```\n"
    )

    def headwords(markdown):
        return [line.split(":")[0] for line in unlinked_first_uses(markdown)]

    assert headwords(page) == ["GELU", "Leaky ReLU", "勾配消失"]
    linked = page.replace("Leaky ReLU は", "{term}`Leaky ReLU` は").replace("，勾配消失を", "，{term}`勾配消失`を")
    assert headwords(linked.replace("GELU と", "{term}`GELU` と")) == []
    # A use inside a longer link text counts; a link to another term does not.
    assert headwords("{term}`ロジスティック・シグモイド関数 <シグモイド関数>` と シグモイド．") == []
    assert headwords("{term}`シグモイド <ReLU>` と ReLU．") == ["ReLU", "シグモイド関数"]


def test_prose_skips_what_is_not_prose():
    text, links = prose(
        "見出しの前\n## 勾配\n本文 $x$ と `y` と {eq}`z`．\n\n$$\nw\n$$ (label)\n\n:::{note}\n注 {term}`温度`\n:::\n"
    )
    assert text == "見出しの前\n\x00本文 \x00 と \x00 と \x00．\n\x00\x00注 温度\n"
    assert [(text[link.start : link.end], link.target) for link in links] == [("温度", "温度")]


@pytest.mark.parametrize("toc_page", PAGES, ids=str)
def test_first_use_of_each_term_links_to_the_glossary(toc_page):
    missing = unlinked_first_uses(page_markdown(toc_page.source))
    assert not missing, (
        f"{toc_page.name}: the first use of these terms does not link to the glossary "
        "({term}`用語` or [**用語**](#用語)):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("toc_page", PAGES, ids=str)
def test_page_links_a_term(toc_page):
    _, links = prose(page_markdown(toc_page.source))
    assert links, f"{toc_page.name} links to no glossary term"


@pytest.mark.parametrize("toc_page", read_toc(), ids=str)
def test_every_term_link_names_a_glossary_term(toc_page):
    markdown = page_markdown(toc_page.source) if toc_page.name != "glossary" else GLOSSARY.read_text(encoding="utf-8")
    targets = [m["body"] for m in INLINE.finditer(markdown) if m["role"] == "term"]
    targets = [re.fullmatch(r"(?s)(?:.*?<([^<>]+)>|(.*))", t).group(1) or t for t in targets]
    targets += [m["target"][1:] for m in INLINE.finditer(markdown) if m["target"] and m["target"].startswith("#")]
    unknown = [t for t in targets if t.lower() not in ENTRY_OF]
    assert not unknown, f"{toc_page.name}: links to terms the glossary lacks: {unknown}"


# --- the built glossary -------------------------------------------------------------


def test_built_glossary_defines_the_terms_and_the_pages_link_them(built_html):
    glossary = (built_html / "chapters" / "glossary.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<dt id="term-', glossary)) == sum(len(e.terms) for e in ENTRIES)
    for toc_page in PAGES:
        html = (built_html / toc_page.html).read_text(encoding="utf-8")
        article = html.split('<article class="bd-article">', 1)[1]
        assert re.search(r'href="glossary\.html#term-[^"]+"><span class="xref [^"]*std-term', article), toc_page.name
