"""The chapters in JupyterLab, as a reader meets them: driven in headless Chromium.

Lab is started the way `make lab` starts it (JUPYTER_CONFIG_PATH=lab/), on a
copy of the chapters, with its own empty user settings, on a free port with
a token; it is stopped when the module ends. No network is needed.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
READY_S = 90  # a cold Lab on a busy 2-core machine takes 10-20 s
RUN_S = 180  # Run All of the sigmoid page takes a few seconds once the kernel is up


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(browser, built_html, tmp_path_factory):
    """A running JupyterLab: ``(url, token, folder)``; the folder holds a copy
    of chapters/ and the sigmoid page's .ipynb as the book offers it."""
    home = tmp_path_factory.mktemp("lab")
    folder = home / "chapters"
    shutil.copytree(ROOT / "chapters", folder)
    shutil.copy(built_html / "_sources" / "chapters" / "sigmoid.ipynb", folder / "sigmoid-download.ipynb")
    token, port = secrets.token_hex(16), _free_port()
    env = dict(
        os.environ,
        JUPYTER_CONFIG_PATH=str(ROOT / "lab"),  # what `make lab` reads
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),  # not the user's own
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
    )
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1"]
    command += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}"]
    # Nothing is trusted: a downloaded notebook opens as a reader's would.
    command += ["--NotebookNotary.db_file=:memory:"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_S
        while True:
            assert server.poll() is None, (home / "lab.log").read_text()[-3000:]
            assert time.monotonic() < deadline, (
                f"Lab not ready in {READY_S} s: " + (home / "lab.log").read_text()[-3000:]
            )
            try:
                request = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
                urllib.request.urlopen(request, timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        yield url, token, folder
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # Lab shuts its kernels down
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
        log.close()


@pytest.fixture
def lab_page(browser, lab):
    url, token, folder = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []

    def record(error):
        # Lab 4.6's cell toolbar reads a cell in an idle callback after it
        # may have gone (jlab_core, _updateCellForToolbarOverlap): its bug,
        # harmless, and not the book's.
        if not (str(error).endswith("(reading 'node')") and "jlab_core" in (error.stack or "")):
            errors.append(f"{error}\n{error.stack}")

    page.on("pageerror", record)
    page.goto(f"{url}/lab?token={token}")
    page.locator(".jp-DirListing-item").first.wait_for(timeout=READY_S * 1000)
    yield page, folder, errors
    context.close()


def _open(page, name: str):
    """Double-click ``name`` in the file browser; the document's tab."""
    page.locator(f".jp-DirListing-item[title^='Name: {name}']").dblclick()
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=name)
    tab.wait_for(timeout=30_000)
    return tab


def _run_all(page):
    """Run > Run All Cells, once the kernel is idle (a menu opened while Lab
    is still restoring the notebook's widgets can close under the pointer)."""
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
        timeout=RUN_S * 1000
    )
    for _ in range(3):
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        item = page.locator(
            ".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")
        )
        try:
            item.click(timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        return
    page.screenshot(path=str(ROOT / "_build" / "lab-run-all.png"))
    raise AssertionError("Run > Run All Cells could not be clicked (see _build/lab-run-all.png)")


def _settle(page, tab):
    """Wait until the notebook's kernel is idle again and every code cell has run."""
    page.wait_for_function(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
            return prompts.length && prompts.every(p => /\\[\\d+\\]/.test(p));
        }""",
        timeout=RUN_S * 1000,
    )


def test_a_chapter_opens_as_a_notebook_runs_and_its_slider_redraws(lab_page):
    page, folder, errors = lab_page
    start = time.monotonic()
    tab = _open(page, "sigmoid.md")
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    # MyST is rendered: numbered equations, {eq} references as links, no raw roles.
    equation = notebook.locator(".jp-MarkdownCell").filter(has_text="(1)").first
    equation.wait_for(timeout=30_000)
    text = "".join(notebook.locator(".jp-MarkdownCell .myst").all_text_contents())
    assert "勾配消失" in text and "ゲイン" in text  # the whole page, not only what is on screen
    for raw in ("{eq}", "(eq-sigmoid", "{cite:p}", "{doc}", "{term}", "{numref}", "```{"):
        assert raw not in text, raw

    _run_all(page)
    notebook.locator(".jp-OutputArea-output").first.wait_for(timeout=RUN_S * 1000)
    first_output_s = time.monotonic() - start
    _settle(page, tab)
    assert notebook.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert notebook.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").count() == 0
    print(f"sigmoid.md: first output {first_output_s:.1f} s after the double-click")

    # The gain slider (the page's one widget): the keyboard moves it, the chart is redrawn.
    widget = notebook.locator(".jupyter-widgets.widget-vbox").first
    widget.scroll_into_view_if_needed()
    handle = widget.locator(".noUi-handle")
    readout = widget.locator(".widget-readout")
    assert readout.text_content().strip() == "1.00"
    page.evaluate(
        """(box) => {
            window.__steps = [];
            const picture = box.querySelector('.widget-html-content');
            new MutationObserver(() => {
                const step = window.__steps[window.__steps.length - 1];
                if (step && step.drawn === undefined) step.drawn = performance.now();
            }).observe(picture, {childList: true, subtree: true, characterData: true});
            document.addEventListener('keydown', () => window.__steps.push({pressed: performance.now()}), true);
        }""",
        widget.element_handle(),
    )
    before = widget.locator(".bu-chart").inner_html()  # every panel's SVG
    handle.focus()
    for i in range(10):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => window.__steps[{i}] && window.__steps[{i}].drawn !== undefined", timeout=10_000)
    assert readout.text_content().strip() == "3.16"
    assert widget.locator(".bu-chart").inner_html() != before
    steps = page.evaluate("() => window.__steps.map(s => s.drawn - s.pressed)")
    print("slider step, key press to redrawn chart (ms):", " ".join(f"{ms:.0f}" for ms in steps))
    assert max(steps) < 1000, steps
    assert not errors, errors

    # Running leaves the source as it is: saving writes the same bytes back.
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current.jp-mod-dirty')",
        timeout=30_000,
    )
    assert (folder / "sigmoid.md").read_bytes() == (ROOT / "chapters" / "sigmoid.md").read_bytes()


@pytest.mark.parametrize("name", ["tanh.md", "references.md"])
def test_opening_a_page_leaves_it_unmodified(lab_page, name):
    """The kernel starts (no "Select Kernel" dialog, even for the bibliography,
    which has no kernelspec), and the tab is not marked modified."""
    page, folder, errors = lab_page
    tab = _open(page, name)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell").first.wait_for(timeout=30_000)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
        timeout=RUN_S * 1000
    )
    page.wait_for_timeout(2000)  # Lab writes the kernel's metadata once it has started
    assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").inner_text()
    assert "jp-mod-dirty" not in (tab.get_attribute("class") or "")
    assert (folder / name).read_bytes() == (ROOT / "chapters" / name).read_bytes()
    assert not errors, errors


def test_the_downloaded_notebook_shows_a_picture_before_it_runs(lab_page):
    """Untrusted and not run: each slider is its chart as an image and a note, no control, no loose text."""
    page, folder, errors = lab_page
    _open(page, "sigmoid-download.ipynb")
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    notebook.locator(".jp-OutputArea-output").first.wait_for(timeout=30_000)
    # Lab draws only the cells near the view: scroll through the notebook,
    # reading every output as it is drawn.
    scroller = notebook.locator(".jp-WindowedPanel-outer")
    texts, inputs, pictures, position = set(), 0, [], -1
    while position != (position := scroller.evaluate("e => e.scrollTop")):
        outputs = notebook.locator(".jp-OutputArea-output")
        texts.update(outputs.all_inner_texts())
        inputs += outputs.locator("input").count()
        picture = notebook.locator(".jp-OutputArea-output:has(img[src^='data:image/svg+xml'])")
        if picture.count() and not pictures:
            picture.scroll_into_view_if_needed()
            image = picture.locator("img")
            page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.element_handle(), timeout=10_000)
            pictures.append((image.get_attribute("alt"), picture.inner_text().strip()))
            picture.screenshot(path=str(ROOT / "_build" / "lab-download-slider.png"))
        scroller.evaluate("e => e.scrollBy(0, e.clientHeight * 0.8)")
        page.wait_for_timeout(300)
    assert pictures == [("σ(x; a) とその導関数のグラフ（a = 1.00）", "セルを実行するとスライダーが動きます．")]
    assert inputs == 0
    # Tick labels or titles of a stripped SVG would run together as text.
    assert not [t for t in texts if re.search(r"\d−\d|順伝播", t)]
    assert len(texts) > 5  # the page's printed outputs were read
    assert not errors, errors
