"""A practitioner on a phone (390×844): from the home page to what has worked against their
problem, an entry that gets to the point, honest challenge pages, the matrix as a list, the
calendar, the 404 page under a base path and the About page."""

from __future__ import annotations

import pytest
from conftest import PHONE, no_sideways_scroll


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
    # people without git are sent to the library's own form, which opens on the page
    form = phone.get_by_role("link", name="contribution form")
    form.click()
    phone.wait_for_function("() => document.getElementById('hub-contribute')?.hidden === false")
    assert phone.url.rstrip("/").endswith("/contribute")
    phone.go_back()
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

    from conftest import ROOT

    from knowledgehub.model.project import Project
    from knowledgehub.site.build import build_site

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


ENTRY = "workshops/project-consolidate-group-2/"


def test_an_entry_gets_to_the_point(phone, site_url):
    phone.goto(site_url + ENTRY)
    facts = phone.locator(".hub-entry__head > .hub-facts dt").all_inner_texts()
    assert 0 < len(facts) <= 6
    # no field twice: each label once, and themes/challenges only as the chips under the summary
    every = facts + phone.locator(".hub-facts-more dt").all_inner_texts()
    assert len(every) == len(set(every)), every
    assert "Themes" not in every and "Challenges" not in every
    assert phone.locator(".hub-filed .hub-chip").count() >= 2
    assert phone.get_by_text("Filed under").count() <= 1  # the chips' hidden label only
    # "Jump to recommendations" is on the first screen and leads to them
    jump = phone.locator(".hub-jump a", has_text="recommendations")
    assert jump.bounding_box()["y"] < PHONE["height"]
    jump.click()
    phone.wait_for_function("() => location.hash === '#items-recommendation'")
    top = phone.locator("#items-recommendation").bounding_box()["y"]
    assert 0 <= top < PHONE["height"] / 2
    # the table of contents lists the item groups after the text's own sections
    toc = phone.locator(".md-sidebar--secondary .md-nav__link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert "#items-recommendation" in toc and "#background" in toc
    assert toc.index("#items-recommendation") > toc.index("#background")
    no_sideways_scroll(phone)


def test_facts_repeated_by_another_field_are_shown_once(phone, site_url):
    phone.goto(site_url + "events/mile-water-services-master-class-1/")
    head = phone.locator(".hub-entry__head")
    organisers = head.locator("dt:text-is('Organisers') + dd a").all_inner_texts()
    others = head.locator("dt:text-is('Also involved') + dd a").all_inner_texts()
    assert organisers and not set(organisers) & set(others)
    assert head.locator("dt:text-is('Organisations')").count() == 0
    more = phone.locator(".hub-more-facts")
    assert more.count() == 1 and not more.evaluate("el => el.open")


def test_anchor_links_are_named_for_people_and_large_enough(phone, site_url):
    phone.goto(site_url + ENTRY)
    anchor = phone.locator(".hub-item__anchor").first
    name = anchor.get_attribute("aria-label")
    assert name.startswith("Link to point ") and "-" not in name, name
    for selector in (".hub-filed .hub-chip a", ".hub-jump a", "label.md-header__button"):
        box = phone.locator(selector).first.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, (selector, box)


def test_the_site_title_is_readable_on_a_phone(phone, site_url):
    phone.goto(site_url)
    title = phone.locator(".md-header__topic .md-ellipsis").first
    clipped = title.evaluate("el => el.scrollWidth > el.clientWidth + 1")
    assert not clipped and "Knowledge Hub" in title.inner_text()


def test_a_challenge_page_is_honest_and_invites_what_worked(phone, site_url, library):
    phone.goto(site_url + "challenges/high-water-losses/")
    headings = phone.locator(".hub-generated h3").all_inner_texts()
    assert any(h.startswith("Courses that teach it") for h in headings)
    # a course is under "teach it" only when it names the challenge
    taught = phone.locator("h3:has-text('Courses that teach it') + ul .hub-card__title").all_inner_texts()
    naming = {
        e.title
        for e in library.catalog.published
        if e.ctype.on_challenge_pages == "training" and "high-water-losses" in e.challenges
    }
    assert set(taught) == naming
    assert not any("Customer Care" in t for t in taught)
    # by theme: nothing repeats
    listed = phone.locator("#by-theme ~ ul.hub-compact li a").all_inner_texts()
    assert listed and len(listed) == len(set(listed)), listed
    share = phone.locator("a.hub-share").first
    href = share.get_attribute("href")
    assert "challenges=High+water+losses+%28high-water-losses%29" in href
    assert share.bounding_box()["y"] < PHONE["height"] * 2
    no_sideways_scroll(phone)


def test_the_matrix_is_a_list_on_a_phone(phone, site_url):
    phone.goto(site_url + "matchmaking/")
    assert not phone.locator(".hub-matrix").is_visible()
    rows = phone.locator(".hub-matrix-list__row")
    assert rows.count() >= 3 and rows.first.is_visible()
    first = rows.first.locator("ul a").first
    first.click()
    phone.wait_for_load_state()
    anchor = phone.url.split("#", 1)[1]
    assert anchor.startswith("theme-") and phone.locator(f"#{anchor}").count() == 1
    no_sideways_scroll(phone)


def test_the_matrix_on_a_desktop_pins_its_first_column_and_folds_empty_rows(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "matchmaking/")
    assert page.locator(".hub-matrix tbody th").first.evaluate("el => getComputedStyle(el).position") == (
        "sticky"
    )
    for row in page.locator(".hub-matrix tbody tr").all():
        assert row.locator("td a").count() > 0  # a row with nothing in it is folded into a line
    context.close()


def test_the_calendar_lists_each_happening_once_with_a_subscribe_link(phone, site_url):
    phone.goto(site_url + "calendar/")
    dates = phone.locator(".hub-dates > li > time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime') + ' ' + e.parentElement.textContent.split('—')[1])"
    )
    assert len(dates) == len(set(dates)), dates
    durban = phone.locator(".hub-dates > li", has_text="14–15 February 2012")
    assert durban.count() == 1 and durban.locator("a").count() == 2  # the event and the course
    assert phone.locator("#timeline").count() == 0  # past is not listed twice
    subscribe = phone.get_by_role("link", name="Subscribe to the calendar")
    assert subscribe.get_attribute("href").endswith("calendar.ics")
    no_sideways_scroll(phone)


def test_the_configured_address_is_cited_and_canonical(phone, base_path_site):
    phone.goto(base_path_site + ENTRY)
    assert phone.locator("link[rel=canonical]").get_attribute("href") == "https://example.org/hub/" + ENTRY
    cited = phone.locator(".hub-cite__text").all_text_contents()
    assert any(("https://example.org/hub/" + ENTRY) in " ".join(c.split()) for c in cited), cited
    assert not any("127.0.0.1" in c for c in cited)


def test_publishing_refuses_a_local_address():
    from knowledgehub.site.settings import publishing_problem

    for local in ("http://127.0.0.1:8000/", "http://localhost:8000/hub/", "http://[::1]/", None, ""):
        problem = publishing_problem(local)
        assert problem and "site_url" in problem and "HUB_SITE_URL" in problem, local
    assert publishing_problem("https://hub.example.org/") is None
    assert publishing_problem("https://example.org/water/hub/") is None


# Pages whose <head> names feeds: every page the library feed, a theme's page its own feed too.
NO_SITEMAP_PAGES = ("", ENTRY, "themes/water-loss/")


def _open_recording(context, url: str, requests: list, console: list):
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.goto(url)
    # Material looks for alternate links once the page has loaded: wait until the network is quiet
    page.wait_for_load_state("networkidle")
    return page


def test_a_hosted_page_fetches_no_sitemap_and_still_names_its_feeds(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    requests: list[str] = []
    console: list[str] = []
    try:
        for path in NO_SITEMAP_PAGES:
            page = _open_recording(context, site_url + path, requests, console)
            feeds = page.locator('head link[type="application/atom+xml"]')
            assert feeds.count() >= (2 if path.startswith("themes/") else 1), path
            # the feed is still discoverable: "alternate" is one of the link's rel tokens
            assert "alternate" in feeds.first.evaluate("el => Array.from(el.relList)"), path
            page.close()
        assert requests, "nothing was recorded"
        assert [u for u in requests if u.split("?")[0].endswith("sitemap.xml")] == []
        assert console == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def usb_copy(tmp_path_factory):
    from conftest import ROOT

    from knowledgehub.model.project import Project
    from knowledgehub.outputs.usb import build_usb

    out = tmp_path_factory.mktemp("usb-phone") / "hub-usb"
    assert build_usb(Project.find(config_file=ROOT / "mkdocs.yml"), out, quiet=True) == 0
    return out


def test_the_usb_edition_fetches_no_sitemap_from_file(browser, usb_copy):
    context = browser.new_context(viewport=PHONE)
    requests: list[str] = []
    console: list[str] = []
    try:
        for path in ("index.html", ENTRY.rstrip("/") + ".html", "themes/water-loss.html"):
            assert (usb_copy / path).is_file(), path
            _open_recording(context, (usb_copy / path).as_uri(), requests, console).close()
        assert requests
        assert [u for u in requests if "sitemap" in u] == []
        assert [u for u in requests if not u.startswith("file://")] == []
        assert not [m for m in console if "CORS" in m or "sitemap" in m], console
    finally:
        context.close()
