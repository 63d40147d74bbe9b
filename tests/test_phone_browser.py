"""A practitioner on a phone (390×844): from the home page to what has worked against their
problem, an entry that gets to the point, honest challenge pages, the matrix as a list, the
calendar, the 404 page under a base path and the About page."""

from __future__ import annotations

import pytest

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


def test_one_tap_from_the_home_page_to_what_has_worked(phone, site_url):
    phone.goto(site_url)
    problems = phone.locator("#your-problem + .hub-problems a")
    assert problems.count() >= 5
    first = problems.first
    box = first.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], "the first problem is on the first screen"
    # the contribution link is near the top, not at the very bottom
    share = phone.locator(".hub-contribute--top a").first
    assert share.bounding_box()["y"] < PHONE["height"] * 1.5
    label = first.locator(".hub-problems__label").inner_text()
    first.click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == label
    assert phone.locator("#what-has-worked").is_visible()
    no_sideways_scroll(phone)
    assert phone.errors == []


def test_the_home_page_lists_problems_with_counts_and_invites_for_empty_types(phone, site_url):
    phone.goto(site_url)
    counts = phone.locator(".hub-problems .hub-count").all_inner_texts()
    assert counts and all(int(c) > 0 for c in counts)
    assert counts == sorted(counts, key=int, reverse=True)
    # no type is shown with a zero: a type without entries is an invitation
    type_counts = phone.locator(".hub-types .hub-count").all_inner_texts()
    assert "0" not in type_counts
    invite = phone.locator(".hub-types__invite", has_text="Case studies")
    assert invite.count() == 1 and "None in the library yet" in invite.inner_text()
    no_sideways_scroll(phone)


def test_the_about_page_says_who_runs_it_and_how_entries_are_reviewed(phone, site_url):
    phone.goto(site_url + "about/")
    assert phone.locator("h1").inner_text() == "About the library"
    text = phone.locator(".md-content").inner_text()
    assert "maintainers" in text and "CC BY 4.0" in text
    assert phone.locator("#review + ol li").count() >= 3
    assert phone.locator("#contact + p a").get_attribute("href").startswith("https://")
    no_sideways_scroll(phone)


@pytest.fixture(scope="module")
def base_path_site(tmp_path_factory):
    """The shipped content built for https://example.org/hub/ and served under /hub/ by a host
    that answers every missing address with 404.html, as static hosts do."""
    import functools
    import http.server
    import os
    import threading
    from pathlib import Path

    from knowledgehub.model.project import Project
    from knowledgehub.site.build import build_site
    from tests.conftest import ROOT

    out = tmp_path_factory.mktemp("basepath") / "site"
    old = os.environ.get("HUB_SITE_URL")
    os.environ["HUB_SITE_URL"] = "https://example.org/hub/"
    try:
        assert build_site(Project.find(config_file=ROOT / "mkdocs.yml"), site_dir=out, quiet=True) == 0
    finally:
        if old is None:
            os.environ.pop("HUB_SITE_URL")
        else:
            os.environ["HUB_SITE_URL"] = old

    class Host(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def translate_path(self, path):
            path = path.split("?", 1)[0]
            if not path.startswith("/hub/"):
                return str(Path(out) / "__outside__")
            return super().translate_path("/" + path[len("/hub/") :])

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (Path(out) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Host, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hub/"
    server.shutdown()


def test_the_404_page_works_at_any_depth_under_a_base_path(phone, base_path_site):
    response = phone.goto(base_path_site + "no/such/deep/page/")
    assert response.status == 404
    assert phone.locator("h1").inner_text() == "Page not found"
    # the theme's styles arrived (the header is laid out), the links lead into the site
    assert phone.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") in (
        "sticky",
        "fixed",
    )
    home = phone.get_by_role("link", name="The home page")
    assert home.get_attribute("href") == "/hub/"
    phone.fill("#hub-notfound-q", "Project Consolidate")
    phone.press("#hub-notfound-q", "Enter")
    phone.wait_for_load_state()
    assert phone.url.startswith(base_path_site + "search/?q=")
    phone.wait_for_function(
        "() => document.querySelectorAll('.md-content a[href*=\"project-consolidate-group-2\"]').length > 0",
        timeout=15000,
    )
    assert phone.errors == []
    no_sideways_scroll(phone)
