"""The lesson parts of a page: its learning goals and its exercises.

A page listed in PAGES_WITH_LESSON has, in its source,

- a ``## 学習目標`` section of 3-5 bullets, the first section of the page
  (right after the opening paragraphs, before any content section);
- a ``## 練習問題`` section after ``## まとめ`` with at least 4 exercises
  (``{exercise}`` with a label), each with a solution (``{solution}`` or the
  gated ``{solution-start}`` ... ``{solution-end}``) marked ``:class: dropdown``;

and, in the built HTML (skipped without a build, failed in CI: see
conftest.py), as many exercises as the source, each solution rendered as a
dropdown admonition that sphinx-togglebutton closes, and, in Chromium, every
solution closed on load and opened from the keyboard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from book_toc import read_toc

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

# The pages with learning goals and exercises (chapters/<name>.md).
PAGES_WITH_LESSON = [
    "softmax",
    "modern",
    "comparison",
]

GOALS = "学習目標"
EXERCISES = "練習問題"
SUMMARY = "まとめ"
FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.S | re.M)  # code blocks and code cells
DIRECTIVE = re.compile(
    r"^:::\{(exercise|solution|solution-start|solution-end)\}[ \t]*(.*?)\n(.*?)^:::[ \t]*$", re.S | re.M
)


@dataclass(frozen=True)
class Section:
    title: str
    body: str


@dataclass(frozen=True)
class Directive:
    kind: str  # exercise, solution, solution-start, solution-end
    argument: str  # the exercise's title, or the label a solution answers
    options: dict[str, str]


def source(page: str) -> str:
    """The page's MyST source without its code (so `## ` in a cell is not a heading)."""
    return FENCE.sub("", (CHAPTERS / f"{page}.md").read_text(encoding="utf-8"))


def sections(page: str) -> list[Section]:
    """The `## ` sections of the page, in order."""
    parts = re.split(r"^## +(.+?)[ \t]*$", source(page), flags=re.M)
    return [Section(title, body) for title, body in zip(parts[1::2], parts[2::2])]


def section(page: str, title: str) -> Section:
    found = [s for s in sections(page) if s.title == title]
    assert len(found) == 1, f"{page}: expected one `## {title}` section, found {len(found)}"
    return found[0]


def directives(text: str) -> list[Directive]:
    found = []
    for kind, argument, body in DIRECTIVE.findall(text):
        options = dict(re.findall(r"^:(\w[\w-]*):[ \t]*(.*?)[ \t]*$", body, re.M))
        found.append(Directive(kind, argument.strip(), options))
    return found


def exercises(page: str) -> list[Directive]:
    return [d for d in directives(source(page)) if d.kind == "exercise"]


@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_learning_goals_come_first_with_3_to_5_bullets(page):
    titles = [s.title for s in sections(page)]
    assert titles and titles[0] == GOALS, f"{page}: the first section is {titles[:1]}, not `## {GOALS}`"
    bullets = re.findall(r"^- +\S", section(page, GOALS).body, re.M)
    assert 3 <= len(bullets) <= 5, f"{page}: {len(bullets)} learning goals; 3-5 expected"


@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_exercises_follow_the_summary(page):
    titles = [s.title for s in sections(page)]
    assert SUMMARY in titles and EXERCISES in titles, f"{page}: sections {titles}"
    assert titles.index(EXERCISES) > titles.index(SUMMARY), f"{page}: `## {EXERCISES}` before `## {SUMMARY}`"


@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_at_least_4_labelled_exercises_each_with_a_closed_solution(page):
    in_section = directives(section(page, EXERCISES).body)
    everywhere = exercises(page)
    exercises_here = [d for d in in_section if d.kind == "exercise"]
    assert len(exercises_here) >= 4, f"{page}: {len(exercises_here)} exercises in `## {EXERCISES}`"
    assert len(exercises_here) == len(everywhere), f"{page}: exercises outside `## {EXERCISES}`"
    labels = [d.options.get("label", "") for d in exercises_here]
    assert all(re.fullmatch(rf"ex-{page}-[a-z0-9-]+", label) for label in labels), f"{page}: labels {labels}"
    assert len(set(labels)) == len(labels), f"{page}: duplicate labels {labels}"
    assert all(d.argument for d in exercises_here), f"{page}: an exercise without a title"

    solutions = [d for d in in_section if d.kind in {"solution", "solution-start"}]
    answered = [d.argument for d in solutions]
    assert sorted(answered) == sorted(labels), f"{page}: exercises {labels}, solutions for {answered}"
    for solution in solutions:
        assert solution.options.get("class", "").split() == ["dropdown"], (
            f"{page}: the solution of {solution.argument} is not `:class: dropdown` (open on the page)"
        )
    starts = sum(d.kind == "solution-start" for d in in_section)
    ends = sum(d.kind == "solution-end" for d in in_section)
    assert starts == ends, f"{page}: {starts} solution-start, {ends} solution-end"


def test_the_parser_sees_a_missing_dropdown():
    """Guard for the checks above: a solution left open is found."""
    text = (
        ":::{exercise} t\n:label: ex-x-a\n\n本文．\n:::\n\n"
        ":::{solution} ex-x-a\n\n解答．\n:::\n\n"
        ":::{solution-start} ex-x-b\n:class: dropdown\n:::\n\n説明．\n\n:::{solution-end}\n:::\n"
    )
    found = directives(text)
    assert [(d.kind, d.argument) for d in found] == [
        ("exercise", "t"),
        ("solution", "ex-x-a"),
        ("solution-start", "ex-x-b"),
        ("solution-end", ""),
    ]
    assert found[0].options == {"label": "ex-x-a"}
    assert "class" not in found[1].options and found[2].options["class"] == "dropdown"


# --- the built HTML ------------------------------------------------------------

TOC = {page.name: page for page in read_toc()}


class Admonitions(HTMLParser):
    """The ids and class lists of the exercise and solution admonitions."""

    def __init__(self):
        super().__init__()
        self.exercises: list[tuple[str, list[str]]] = []  # (id, classes)
        self.solutions: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "admonition" in classes:
            if "exercise" in classes:
                self.exercises.append((attrs.get("id", ""), classes))
            elif "solution" in classes:
                self.solutions.append((attrs.get("id", ""), classes))


def built(page: str, html_root: Path) -> tuple[Admonitions, list[str], str]:
    """The admonitions of the page's article, the exercises' numbers, the whole page."""
    text = (html_root / TOC[page].html).read_text(encoding="utf-8")
    article = text.split('<article class="bd-article">', 1)[1].split("</article>", 1)[0]
    parsed = Admonitions()
    parsed.feed(article)
    numbers = re.findall(
        r'<div class="exercise[^"]*"[^>]*>\s*<p class="admonition-title"><span class="caption-number">([^<]*)</span>',
        article,
    )
    return parsed, [n.strip() for n in numbers], text


@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_built_page_has_every_exercise_with_a_closed_solution(page, built_html):
    parsed, numbers, text = built(page, built_html)
    labels = [d.options["label"] for d in exercises(page)]
    assert [id_ for id_, _ in parsed.exercises] == labels, f"{page}: exercises in the HTML differ from the source"
    number = TOC[page].number
    assert numbers == [f"練習 {number}.{i}" for i in range(1, len(labels) + 1)], f"{page}: exercise numbers {numbers}"
    assert len(parsed.solutions) == len(labels), f"{page}: {len(parsed.solutions)} solutions for {len(labels)}"
    for id_, classes in parsed.solutions:
        assert "dropdown" in classes, f"{page}: solution {id_} is not a dropdown: {classes}"
    # sphinx-togglebutton hides `.admonition.dropdown` on load behind a button.
    selector = re.search(r"togglebuttonSelector = '([^']*)'", text)
    assert selector and ".admonition.dropdown" in [s.strip() for s in selector.group(1).split(",")], (
        f"{page}: the dropdowns are not toggled ({selector and selector.group(0)})"
    )
    assert re.search(r'<script src="[^"]*togglebutton\.js', text), f"{page}: togglebutton.js is not loaded"


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_solutions_are_closed_and_open_from_the_keyboard(open_page, page):
    view, log = open_page(TOC[page].html)
    solutions = view.locator("article div.solution")
    count = solutions.count()
    assert count == len(exercises(page))
    view.wait_for_function(f"() => document.querySelectorAll('article div.solution .toggle-button').length == {count}")
    for i in range(count):
        solution = solutions.nth(i)
        body = solution.locator("section").first
        button = solution.locator("button.toggle-button")
        solution.scroll_into_view_if_needed()
        assert not body.is_visible(), f"{page}: solution {i + 1} is open on load"
        assert button.get_attribute("aria-expanded") == "false"
        in_tab_order = button.evaluate("b => b.tabIndex >= 0")
        assert in_tab_order, f"{page}: the toggle of solution {i + 1} cannot be reached with Tab"
        button.focus()
        view.keyboard.press("Enter")
        body.wait_for(state="visible", timeout=5_000)
        assert button.get_attribute("aria-expanded") == "true"
    assert not log.page_errors, log.page_errors
