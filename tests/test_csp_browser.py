"""The hosted site's second line of defence, in Chromium: every page carries a
Content-Security-Policy that lets the theme's own scripts run and nothing else.

Story: a practitioner opens an entry page of the hosted site. Someone has slipped an inline
script, an event handler and a script from another site into the page after the build (as
if the sanitizer had missed them): none of them runs, and the page and its search still work.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import serve_folder

pytestmark = pytest.mark.browser

ENTRY = "events/mile-water-services-master-class-1/index.html"
INJECTED = (
    "<script>window.__hubInjected = 'inline';</script>"
    '<img src="../../missing.png" onerror="window.__hubInjected = \'handler\'">'
    '<script src="https://evil.example/x.js"></script>'
)


@pytest.fixture(scope="module")
def tampered_url(built_site, tmp_path_factory):
    copy = tmp_path_factory.mktemp("tampered") / "site"
    shutil.copytree(built_site, copy)
    page = copy / ENTRY
    html = page.read_text(encoding="utf-8")
    assert html.count('http-equiv="Content-Security-Policy"') == 1
    page.write_text(html.replace("</article>", INJECTED + "</article>", 1), encoding="utf-8")
    url, server = serve_folder(copy)
    yield url
    server.shutdown()


def test_an_injected_script_does_not_run_and_the_page_still_works(browser, tampered_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.route("https://evil.example/**", lambda route: route.abort())
    page.goto(tampered_url + ENTRY.removesuffix("index.html"))
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__hubInjected || null") is None
    assert any("inline" in v or "event handler" in v for v in violations), violations
    assert any("evil.example" in v for v in violations), violations
    # the theme's own inline and bundled scripts ran: Material marks the page as scripted
    assert page.evaluate("() => document.documentElement.classList.contains('js')") is True
    page.close()


def test_search_works_under_the_policy(browser, site_url):
    page = browser.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(site_url + "search/?q=water+loss")
    page.wait_for_function(
        "() => ['results', 'none', 'empty', 'unknown-filter', 'unavailable']"
        ".includes(document.body.dataset.hubSearchState)",
        timeout=15000,
    )
    assert page.evaluate("() => document.body.dataset.hubSearchState") == "results"
    assert page.locator(".hub-result").count() > 0
    assert violations == []
    page.close()
