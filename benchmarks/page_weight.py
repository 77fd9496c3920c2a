"""What each built page costs an offline reader: every byte the browser
loads for it (HTML, scripts, styles, fonts, images), measured in headless
Chromium against _build/html served on 127.0.0.1; and how many results the
search page gives for a few Japanese queries.

    make book && .venv/bin/python benchmarks/page_weight.py

Needs Debian's chromium (CHROMIUM=/path overrides /usr/bin/chromium).
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # book_toc.py, the toc reader the tests use
from book_toc import read_toc  # noqa: E402

HTML = ROOT / "_build" / "html"
PAGES = [page.html for page in read_toc()]
QUERIES = ["活性化関数", "シグモイド", "勾配消失", "ヤコビ行列"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    if not (HTML / "index.html").exists():
        print("run `make book` first", file=sys.stderr)
        return 1
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        print(f"{'page':<26}{'requests':>9}{'total kB':>10}{'html kB':>9}{'images kB':>10}{'blocked':>8}")
        for path in PAGES:
            context = browser.new_context()
            page = context.new_page()
            sizes: dict[str, int] = {}
            kinds: dict[str, str] = {}
            blocked = []

            def route(r, blocked=blocked):
                if r.request.url.startswith(site):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            def on_response(response, sizes=sizes, kinds=kinds):
                try:
                    sizes[response.url] = len(response.body())
                    kinds[response.url] = response.request.resource_type
                except Exception:  # redirects have no body
                    pass

            page.route("**/*", route)
            page.on("response", on_response)
            page.goto(f"{site}/{path}", wait_until="networkidle")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images
            page.wait_for_load_state("networkidle")
            total = sum(sizes.values())
            html = sum(v for u, v in sizes.items() if kinds[u] == "document")
            images = sum(v for u, v in sizes.items() if kinds[u] == "image")
            print(
                f"{path:<26}{len(sizes):>9}{total / 1e3:>10.0f}{html / 1e3:>9.0f}{images / 1e3:>10.0f}{len(blocked):>8}"
            )
            context.close()

        print(f"\n{'search query':<14}{'results':>8}")
        page = browser.new_page()
        for query in QUERIES:
            page.goto(f"{site}/search.html?q={query}")
            page.locator("#search-results li").first.wait_for(timeout=15_000)
            page.wait_for_timeout(500)
            print(f"{query:<14}{page.locator('#search-results li').count():>8}")
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
