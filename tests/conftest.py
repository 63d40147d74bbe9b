"""Shared fixtures: the real project, throw-away copies of it, a built site,
a localhost server and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from knowledgehub.outputs.pdf import CHROMIUM_FLAGS  # noqa: E402  (the flags this machine's Chromium needs)


def copy_project(dest: Path, with_content: bool = True) -> Path:
    """A copy of the project (model, hooks, templates, config and optionally content)."""
    for name in ("model", "hooks", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    if with_content:
        shutil.copytree(ROOT / "content", dest / "content")
    else:
        (dest / "content").mkdir()
    return dest


@pytest.fixture
def project_copy(tmp_path) -> Path:
    return copy_project(tmp_path / "hub")


@pytest.fixture(scope="session")
def model():
    from knowledgehub.model.content import ContentModel

    return ContentModel.load(ROOT / "model")


@pytest.fixture(scope="session")
def library():
    from knowledgehub.library.load import load_library
    from knowledgehub.model.project import Project

    result = load_library(Project.find(config_file=ROOT / "mkdocs.yml"))
    assert result.ok, "\n".join(p.text() for p in result.problems)
    return result


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The shipped content built once into a temporary folder."""
    from knowledgehub.model.project import Project
    from knowledgehub.site.build import build_site

    out = tmp_path_factory.mktemp("built") / "site"
    assert build_site(Project.find(config_file=ROOT / "mkdocs.yml"), site_dir=out, quiet=True) == 0
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_folder(folder: Path, prefix: str = "/"):
    """Serve ``folder`` on localhost under ``prefix``; returns (base URL, server)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    if prefix != "/":

        class Prefixed(_QuietHandler):
            def translate_path(self, path):
                if not path.startswith(prefix):
                    return str(folder / "__outside_prefix__")
                return super().translate_path("/" + path[len(prefix) :])

        handler = functools.partial(Prefixed, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}{prefix}", server


@pytest.fixture(scope="session")
def site_url(built_site):
    url, server = serve_folder(built_site)
    yield url
    server.shutdown()


def chromium_path() -> str:
    for candidate in (os.environ.get("HUB_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Debian's chromium is not installed: run scripts/test.sh, which installs it")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class RecordingPage:
    """A browser page that records every request it makes."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def outside(self, allowed_prefix: str) -> list[str]:
        return [
            url
            for url in self.requests
            if not url.startswith(allowed_prefix) and not url.startswith(("data:", "blob:", "about:"))
        ]


# a practitioner's phone: the viewport every phone test reads at
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def page(browser):
    context = browser.new_context()
    recording = RecordingPage(context.new_page())
    yield recording
    context.close()
