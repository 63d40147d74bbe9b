"""The USB edition: built into a folder and a zip, opened from the file system
with every network request blocked and recorded."""

import zipfile
from urllib.parse import quote

import pytest
from test_search_browser import FACT_QUERIES

from knowledgehub.model.project import Project
from knowledgehub.outputs.usb import MARKER, build_usb

ROOT = Project.find()


@pytest.fixture(scope="session")
def usb_edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("usb") / "hub-usb"
    assert build_usb(ROOT, out, quiet=True) == 0
    return out


@pytest.fixture(scope="session")
def unzipped_edition(usb_edition, tmp_path_factory):
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(usb_edition.with_suffix(".zip")) as archive:
        archive.extractall(target)
    return target / usb_edition.name


def offline_page(browser):
    context = browser.new_context()
    page = context.new_page()
    requests = []

    def route(route):
        requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, requests, errors


def the_story(browser, edition):
    context, p, requests, errors = offline_page(browser)
    try:
        p.goto((edition / "START-HERE.html").as_uri())
        p.wait_for_url("**/index.html")
        # styled: Material's and the hub's stylesheets are applied
        assert p.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
            "sticky",
            "fixed",
        )
        assert p.evaluate("getComputedStyle(document.querySelector('.hub-types')).display") == "grid"
        assert "USB edition of" in p.locator(".hub-edition").inner_text()
        p.get_by_role("link", name="Courses").first.click()
        p.wait_for_load_state()
        assert p.url.endswith("courses/index.html")
        p.locator(".hub-card__title a").first.click()
        p.wait_for_load_state()
        assert p.url.endswith(".html") and p.locator(".hub-facts").is_visible()
        for query, expected in FACT_QUERIES:
            p.locator("#hub-search-input").fill(query)
            p.wait_for_function(
                "q => document.querySelector('#hub-search-results').dataset.hubQuery === q",
                arg=query,
                timeout=10000,
            )
            hrefs = [
                a.get_attribute("href") for a in p.locator("#hub-search-results .hub-result__title").all()
            ]
            assert any(h.endswith(expected.rstrip("/") + ".html") for h in hrefs[:3]), (query, hrefs)
        # the search page with a type filter works offline too
        p.goto((edition / "search.html").as_uri() + "?q=Durban&type=Event")
        p.wait_for_function("() => document.body.dataset.hubSearchState === 'results'")
        hrefs = [a.get_attribute("href") for a in p.locator(".hub-search-list .hub-result__title").all()]
        assert hrefs and all("/events/" in h for h in hrefs)
        # browse pages: a theme page and the items page filter
        p.goto((edition / "themes" / "water-loss.html").as_uri())
        assert p.locator(".hub-card").count() >= 1
        p.goto((edition / "items.html").as_uri())
        p.select_option("#hub-items-actor", "municipalities")
        assert 0 < p.locator(".hub-itemrow:visible").count() < p.locator(".hub-itemrow").count()
        assert [u for u in requests if not u.startswith("file://")] == []
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_usb_edition_works_from_the_file_system_offline(browser, usb_edition):
    the_story(browser, usb_edition)


@pytest.mark.browser
def test_unzipped_usb_edition_works_too(browser, unzipped_edition):
    the_story(browser, unzipped_edition)


def test_every_page_links_to_files_not_folders(usb_edition):
    import re

    for page in usb_edition.rglob("*.html"):
        for href in re.findall(r'href="([^"#?]*)"', page.read_text(encoding="utf-8")):
            if href and not href.startswith(("http:", "https:", "mailto:", "data:", "file:")):
                assert not href.endswith("/"), f"{page.relative_to(usb_edition)} links to folder {href}"


def test_no_page_refers_to_the_internet_for_assets(usb_edition):
    import re

    for page in usb_edition.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        # things a browser would fetch: scripts, images, frames, stylesheets, icons, preloads
        assert not re.search(r'<(script|img|iframe|source|video|audio)[^>]+src="(https?:)?//', text), page
        for link in re.findall(r"<link[^>]+>", text):
            if re.search(r'rel="(stylesheet|icon|preload|modulepreload|manifest|prefetch)"', link):
                assert not re.search(r'href="(https?:)?//', link), (page, link)


def test_usb_refuses_a_foreign_folder_and_replaces_an_old_edition(tmp_path, capsys, usb_edition):
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"not a library")
    assert build_usb(ROOT, foreign, quiet=True) == 2
    assert "is not a previous USB edition" in capsys.readouterr().err
    assert [p.name for p in foreign.iterdir()] == ["holiday.jpg"]
    edition = tmp_path / "edition"
    assert build_usb(ROOT, edition, quiet=True) == 0
    (edition / "stale.txt").write_text("left from an old edition")
    assert (edition / MARKER).is_file()
    assert build_usb(ROOT, edition, quiet=True) == 0
    assert not (edition / "stale.txt").exists()
    assert (edition / "START-HERE.html").is_file() and edition.with_suffix(".zip").is_file()


@pytest.mark.browser
def test_usb_search_answers_typos_questions_and_best_bets(browser, usb_edition):
    context, p, requests, errors = offline_page(browser)
    try:
        search = (usb_edition / "search.html").as_uri()

        def results(query):
            p.goto(search + "?q=" + quote(query))
            p.wait_for_function(
                "() => ['results', 'none', 'empty'].includes(document.body.dataset.hubSearchState)"
            )
            return [a.get_attribute("href") for a in p.locator(".hub-search-list .hub-result__title").all()]

        # a one-letter typo still finds, and the page says what it searched for
        hrefs = results("custmer care")
        assert "iwsd-community-engagement-customer-care" in hrefs[0], hrefs
        assert "Showing results for “customer care”" in p.locator(".hub-search-status").inner_text()
        # a question finds the master class, after the best bet that names Blue Drop
        hrefs = results("how do we pass Blue Drop")
        assert "challenges/water-quality-compliance" in hrefs[0], hrefs
        assert p.locator(".hub-result--bestbet").count() >= 1
        assert any("mile-water-services-master-class" in h for h in hrefs[:3]), hrefs
        # non-payment: the challenge page first, then the course before any organisation
        hrefs = results("non-payment")
        assert hrefs[0].endswith("challenges/non-payment.html"), hrefs
        entries = [h for h in hrefs if "/challenges/" not in h and "/themes/" not in h]
        assert "courses/iwsd" in entries[0], entries
        # the two engines agree on a complaint: the same entries as online, in the same order,
        # after the best bet ("water", on most entries, is left out of the query on both)
        hrefs = results("residents dont pay water bills")
        assert hrefs[0].endswith("challenges/non-payment.html"), hrefs
        entries = [h.rsplit("/", 2)[-2:] for h in hrefs if "/challenges/" not in h and "/themes/" not in h]
        assert entries == [
            ["courses", "iwsd-community-engagement-customer-care.html"],
            ["organisations", "city-of-harare.html"],
            ["organisations", "iwsd.html"],
        ], hrefs
        # the items page's filter values work here too
        p.goto(search + "?theme=coordination")
        p.wait_for_function("() => document.body.dataset.hubSearchState === 'results'")
        assert "Also known as" not in (usb_edition / "organisations" / "city-of-harare.html").read_text(
            "utf-8"
        )
        assert [u for u in requests if not u.startswith("file://")] == []
        assert errors == []
    finally:
        context.close()
