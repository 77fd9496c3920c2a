"""The lesson around a page's content: learning goals first, exercises last.

Every section page (PAGES_WITH_LESSON, read from the toc) opens, before its first content section, with a
``## 学習目標`` section of 3-5 bullets, and has a ``## 練習問題`` section
(after its まとめ, when it has one) with at least 4 ``{exercise}`` directives,
each labelled ``ex-<page>-...`` and answered by exactly one ``{solution}`` or
gated ``{solution-start}``/``{solution-end}`` with ``:class: dropdown``, so the
answer stays closed until the reader opens it. The built HTML must show the
same exercises, and every solution as a dropdown (sphinx-togglebutton closes
it on load); in Chromium a solution is hidden until its toggle is pressed
with the keyboard.

The HTML and browser checks skip (fail in CI) without `_build/html` or
Chromium, like test_built_html.py and test_browser_pages.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import jupytext
import pytest

from book_toc import read_toc

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

# Every section page of the toc carries learning goals and exercises; the
# index and the two lists (glossary, bibliography) are not lessons.
PAGES_WITH_LESSON = [p.name for p in read_toc() if p.name not in {"index", "glossary", "references"}]

GOALS = "学習目標"
EXERCISES = "練習問題"
SUMMARY = "まとめ"

OPTION = r"(?::[\w-]+:[^\n]*\n)*"  # a directive's :option: lines
EXERCISE = re.compile(r"^:::\{exercise\}[^\n]*\n(" + OPTION + ")", re.M)
SOLUTION = re.compile(r"^:::\{(solution|solution-start)\}[ \t]+(\S+)[ \t]*\n(" + OPTION + ")", re.M)
SOLUTION_END = re.compile(r"^:::\{solution-end\}", re.M)


def source(page: str) -> str:
    return (CHAPTERS / f"{page}.md").read_text(encoding="utf-8")


def headings(page: str) -> list[tuple[str, str]]:
    """The page's ``## `` sections in order: (title, body up to the next ``## ``).

    Read from the markdown cells only, so a ``#`` comment in a code cell is
    not taken for a heading; a section's body is all its markdown cells."""
    sections: list[tuple[str, list[str]]] = []
    for cell in jupytext.read(CHAPTERS / f"{page}.md").cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("## "):
                sections.append((line[3:].strip(), []))
            elif sections:
                sections[-1][1].append(line)
    return [(title, "\n".join(body)) for title, body in sections]


def section_source(page: str, title: str) -> str:
    """The raw source of one ``## `` section (code cells included), up to the next ``## ``."""
    text = source(page)
    match = re.search(rf"^## {re.escape(title)}[ \t]*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"{page}: no `## {title}` section"
    return match.group(1)


def options(block: str) -> dict[str, str]:
    return dict(re.findall(r"^:([\w-]+):[ \t]*(.*?)[ \t]*$", block, re.M))


def exercises(page: str) -> list[dict[str, str]]:
    """The options (label, ...) of each ``{exercise}`` in the page's 練習問題 section."""
    return [options(m.group(1)) for m in EXERCISE.finditer(section_source(page, EXERCISES))]


def test_pages_with_lesson_exist():
    for page in PAGES_WITH_LESSON:
        assert (CHAPTERS / f"{page}.md").is_file(), page
    assert len(set(PAGES_WITH_LESSON)) == len(PAGES_WITH_LESSON)


# --- the source ----------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_learning_goals_open_the_page(page):
    titles = [title for title, _ in headings(page)]
    assert titles and titles[0] == GOALS, f"{page}: the first section is {titles[:1]}, not `## {GOALS}`"
    assert titles.count(GOALS) == 1
    body = dict(headings(page))[GOALS]
    bullets = [line for line in body.splitlines() if line.startswith("- ")]
    assert 3 <= len(bullets) <= 5, f"{page}: {len(bullets)} learning goals, want 3-5"
    assert all(len(b) > 10 for b in bullets), bullets  # concrete goals, not stubs


@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_exercises_come_after_the_summary(page):
    titles = [title for title, _ in headings(page)]
    assert titles.count(EXERCISES) == 1, f"{page}: want one `## {EXERCISES}` section"
    if SUMMARY in titles:
        assert titles.index(EXERCISES) > titles.index(SUMMARY), f"{page}: {EXERCISES} before {SUMMARY}"


@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_every_exercise_has_a_closed_solution(page):
    found = exercises(page)
    assert len(found) >= 4, f"{page}: {len(found)} exercises, want at least 4"
    # Every exercise of the page is in the 練習問題 section.
    assert len(EXERCISE.findall(source(page))) == len(found)
    labels = [ex.get("label") for ex in found]
    assert all(labels), f"{page}: an exercise without :label:"
    assert all(re.fullmatch(rf"ex-{page}-[a-z0-9-]+", label) for label in labels), labels
    assert len(set(labels)) == len(labels), f"{page}: duplicate labels {labels}"

    section = section_source(page, EXERCISES)
    solutions = SOLUTION.findall(section)
    answered = [label for _, label, _ in solutions]
    assert sorted(answered) == sorted(labels), f"{page}: exercises {labels}, solutions for {answered}"
    for _, label, block in solutions:
        assert options(block).get("class", "").split() == ["dropdown"], (
            f"{page}: the solution of {label} is not closed (`:class: dropdown`)"
        )
    # A gated solution is closed by its {solution-end}, in the same order.
    starts = [m.start() for m in re.finditer(r"^:::\{solution-start\}", section, re.M)]
    ends = [m.start() for m in SOLUTION_END.finditer(section)]
    assert len(starts) == len(ends), f"{page}: {len(starts)} solution-start, {len(ends)} solution-end"
    assert all(s < e for s, e in zip(starts, ends)), f"{page}: a solution-end before its solution-start"
    assert all(e < s for e, s in zip(ends, starts[1:])), f"{page}: gated solutions overlap"


@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_each_solution_follows_its_exercise(page):
    section = section_source(page, EXERCISES)
    for match in EXERCISE.finditer(section):
        label = options(match.group(1))["label"]
        after = SOLUTION.search(section, match.end())
        assert after and after.group(2) == label, f"{page}: {label} is not followed by its own solution"


# --- the built HTML --------------------------------------------------------------


class LessonHTML(HTMLParser):
    """The exercise and solution <div>s of a built page, and its scripts."""

    def __init__(self):
        super().__init__()
        self.exercises: list[str] = []  # ids
        self.solutions: list[tuple[str, set[str]]] = []  # (id, classes)
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "div" and "admonition" in classes:
            if "exercise" in classes:
                self.exercises.append(attrs.get("id", ""))
            elif "solution" in classes:
                self.solutions.append((attrs.get("id", ""), classes))
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])


def built(page: str, html_root: Path) -> LessonHTML:
    parsed = LessonHTML()
    parsed.feed((html_root / "chapters" / f"{page}.html").read_text(encoding="utf-8"))
    return parsed


@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_built_page_shows_every_exercise(page, built_html):
    labels = [ex["label"] for ex in exercises(page)]
    html = built(page, built_html)
    assert html.exercises == labels, f"{page}: the HTML shows {html.exercises}, the source has {labels}"


@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_built_solutions_are_closed_dropdowns(page, built_html):
    html = built(page, built_html)
    assert len(html.solutions) == len(html.exercises), f"{page}: {len(html.solutions)} solutions"
    open_ones = [sid for sid, classes in html.solutions if "dropdown" not in classes]
    assert not open_ones, f"{page}: solutions rendered open: {open_ones}"
    # sphinx-togglebutton's script turns `.admonition.dropdown` into a closed toggle on load.
    assert any("togglebutton.js" in src for src in html.scripts), f"{page}: no togglebutton.js"


# --- in the browser ----------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES_WITH_LESSON)
def test_solutions_open_from_the_keyboard(open_page, page):
    view, log = open_page(f"chapters/{page}.html")
    view.wait_for_load_state("networkidle")
    solutions = view.locator("article div.solution.admonition")
    assert solutions.count() == len(exercises(page))
    # Closed on load: only the title of each solution is shown.
    for i in range(solutions.count()):
        body = solutions.nth(i).locator("section")
        assert not body.first.is_visible(), f"{page}: solution {i + 1} is open on load"
    # Tab from the last exercise's text reaches the toggle of its solution; Enter opens it.
    last = solutions.count() - 1
    view.locator("article div.exercise.admonition").nth(last).locator("p").last.click()
    button = solutions.nth(last).locator("button.toggle-button")
    for _ in range(20):
        view.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    assert button.evaluate("el => el === document.activeElement"), f"{page}: Tab never reaches the toggle"
    # A screen reader announces what the button does, in the page's language.
    assert button.get_attribute("aria-label") == "解答の表示・非表示を切り替える"
    view.keyboard.press("Enter")
    assert solutions.nth(last).locator("section").first.is_visible(), f"{page}: Enter did not open the solution"
    assert not log.console_errors and not log.page_errors
