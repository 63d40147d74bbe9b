"""Printing a page to PDF in headless Chromium (through Playwright), and finding that
Chromium: its path, and the flags it needs on this machine."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from knowledgehub.site.output import replace_atomically

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str | None:
    for candidate in (os.environ.get("HUB_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def allowed(url: str, own: str) -> bool:
    """Whether printing the pack may load ``url``: the pack itself, or data: URLs."""
    return url.split("#", 1)[0] == own or url.startswith("data:")


def write_pdf(html_path: Path, pdf_path: Path, chromium: str, refused: list | None = None) -> None:
    """Print the pack to PDF (A4, page numbers in the footer) in headless Chromium, with
    JavaScript off and nothing fetched but the pack's own file and data: URLs: no network,
    no other local file (``requests`` collects what was refused, for the tests)."""
    from playwright.sync_api import sync_playwright

    own = Path(html_path).resolve().as_uri()

    def write(temp: Path) -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            try:
                page = browser.new_page(java_script_enabled=False, service_workers="block")

                def gate(route) -> None:
                    url = route.request.url
                    if allowed(url, own):
                        route.continue_()
                    else:
                        if refused is not None:
                            refused.append(url)
                        route.abort()

                page.route("**/*", gate)
                page.goto(own, wait_until="load")
                page.pdf(
                    path=str(temp),
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=(
                        '<div style="width:100%;font-size:8px;text-align:center;color:#555">'
                        '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
                    ),
                    margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                )
            finally:
                browser.close()

    def in_own_thread(temp: Path) -> None:
        # Playwright's sync API refuses to run in a thread that already has an event
        # loop (a caller that drives a browser itself): print from a fresh thread.
        failure: list[BaseException] = []

        def work():
            try:
                write(temp)
            except BaseException as exc:  # handed back to the caller below
                failure.append(exc)

        worker = threading.Thread(target=work, name="hub-pack-pdf")
        worker.start()
        worker.join()
        if failure:
            raise failure[0]

    replace_atomically(Path(pdf_path), in_own_thread)
