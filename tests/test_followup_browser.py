"""What came of it, in a browser: statuses on the Project Consolidate page, the follow-up
page filtered by an actor and "unknown" (hosted and in the USB edition from file://), the
un-conference and the Chennai declaration's item linking to each other, and an item's
address opening on its thread and its citation."""

from __future__ import annotations

import pytest
from conftest import ROOT
from test_usb import offline_page

from knowledgehub.outputs.usb import build_usb

READY = "() => document.querySelector('form[data-hub-followup]')?.getAttribute('data-ready') === 'true'"


def _expected(library, actor: str, status: str) -> list[str]:
    return sorted(i.text for i in library.catalog.items if actor in i.actors and i.status == status)


def _visible_rows(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.hub-followrow'))
            .filter(r => r.offsetParent !== null)
            .map(r => ({text: r.querySelector('a').textContent.trim(),
                        status: r.closest('[data-status]').dataset.status, actor: r.dataset.actor}))"""
    )


def _check_filtered(page, library) -> None:
    page.wait_for_function(READY)
    rows = _visible_rows(page)
    assert rows, "the filter shows nothing"
    assert all(r["status"] == "unknown" and "municipalities" in r["actor"].split() for r in rows)
    assert sorted(r["text"] for r in rows) == _expected(library, "municipalities", "unknown")
    assert page.locator("#hub-followup-actor").input_value() == "municipalities"
    assert page.locator("#hub-followup-status").input_value() == "unknown"
    assert page.locator("[data-followup-count]").inner_text() == f"{len(rows)} items."


def test_every_recommendation_on_project_consolidate_shows_its_status(page, site_url, library):
    page.page.goto(site_url + "workshops/project-consolidate-group-2/")
    entry = library.catalog.get("workshop-outcome", "project-consolidate-group-2")
    recommendations = [i for i in entry.items if i.kind == "recommendation"]
    assert len(recommendations) >= 10
    for item in recommendations:
        status = page.page.locator(f"li#{item.anchor} .hub-followup__status .hub-status")
        assert status.count() == 1
        assert status.get_attribute("data-status") == item.status
        assert status.inner_text().strip()
    summary = page.page.locator(".hub-progress")
    assert f"of {len(entry.items)} items have follow-up recorded" in summary.inner_text()
    assert page.errors == []


def test_the_follow_up_page_filters_by_actor_and_unknown(page, site_url, library):
    p = page.page
    p.goto(site_url + "follow-up/")
    p.wait_for_function(READY)
    total = len(library.catalog.items)
    assert p.locator("[data-followup-count]").inner_text() == f"{total} items."
    p.select_option("#hub-followup-actor", "municipalities")
    p.select_option("#hub-followup-status", "unknown")
    assert "actor=municipalities" in p.url and "status=unknown" in p.url
    _check_filtered(p, library)
    # the choice is in the address: opening it again gives the same list
    address = p.url
    p.goto(site_url)
    p.goto(address)
    _check_filtered(p, library)
    # the counts beside each choice say how many items it would show
    label = p.locator("#hub-followup-status option[value=unknown]").inner_text()
    assert label.endswith(f"({len(_expected(library, 'municipalities', 'unknown'))})")
    assert page.errors == []
    assert page.outside(site_url) == []


def test_the_un_conference_and_the_declaration_item_link_to_each_other(page, site_url):
    p = page.page
    p.goto(site_url + "events/leading-organisational-transformation-unconference-2012/")
    link = p.locator(".hub-responds a").first
    assert "of Chennai Declaration" in link.inner_text()
    link.click()
    p.wait_for_url("**/declarations/chennai-declaration-india-wops-2011/#national-congress")
    item = p.locator("li#national-congress")
    assert item.locator(".hub-status").first.get_attribute("data-status") == "under-way"
    # the item's address opens on its thread and its own citation
    p.wait_for_function("() => document.querySelector('#national-congress .hub-followup__cite').open")
    citation = item.locator(".hub-followup__cite .hub-cite__text").inner_text()
    assert citation.endswith("#national-congress") and "Objective 2:" in citation
    back = item.locator("a.hub-thread__response")
    assert back.count() == 1
    back.click()
    p.wait_for_url("**/events/leading-organisational-transformation-unconference-2012/")
    assert page.errors == []


@pytest.fixture(scope="module")
def usb_edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("usb-followup") / "hub-usb"
    from knowledgehub.model.project import Project

    assert build_usb(Project.find(config_file=ROOT / "mkdocs.yml"), out, quiet=True) == 0
    return out


def test_the_follow_up_page_filters_from_file_in_the_usb_edition(browser, usb_edition, library):
    context, p, requests, errors = offline_page(browser)
    try:
        p.goto((usb_edition / "follow-up.html").as_uri() + "#actor=municipalities&status=unknown")
        _check_filtered(p, library)
        p.select_option("#hub-followup-status", "")
        assert "status=" not in p.url and "actor=municipalities" in p.url
        assert len(_visible_rows(p)) == sum(1 for i in library.catalog.items if "municipalities" in i.actors)
        assert errors == []
        assert [u for u in requests if not u.startswith("file://")] == []
    finally:
        context.close()


def test_the_follow_up_page_offers_its_feed_and_the_feed_holds_the_statuses(page, site_url, library):
    import feedparser

    p = page.page
    p.goto(site_url + "follow-up/")
    link = p.get_by_role("link", name="the follow-up feed")
    assert link.get_attribute("type") == "application/atom+xml"
    href = p.evaluate("(a) => a.href", link.element_handle())
    # the same feed is named in the head, where feed readers look for it
    head = p.locator('head link[type="application/atom+xml"]').evaluate_all(
        "els => els.map(e => ({href: e.href, rel: Array.from(e.relList), title: e.title}))"
    )
    assert [h for h in head if h["href"] == href and "alternate" in h["rel"]], head
    response = p.request.get(href)
    assert response.ok
    feed = feedparser.parse(response.body())
    assert not feed.bozo and feed.feed.title.endswith("what came of it")
    statuses = {i.status for i in library.catalog.items if i.follow_ups or any(o.date for o in i.responses)}
    assert {t.term for e in feed.entries for t in e.tags} == statuses
    # each update leads to its item on the library's pages
    first = feed.entries[0].link
    assert "#" in first
    assert page.errors == []


def test_the_usb_follow_up_page_links_a_feed_it_carries(usb_edition):
    import re

    raw = (usb_edition / "follow-up.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a href="([^"]+)" type="application/atom\+xml"', raw)
    assert hrefs and all((usb_edition / h).is_file() for h in hrefs), hrefs


def test_report_progress_opens_the_progress_form_with_the_item_filled_in(page, site_url, library):
    """A reader who knows what came of an item follows its "Report progress" link: GitHub's
    progress form opens (stood in for here) with the item's link in its first question, and
    that link is the one ``hub from-issue`` reads the item from."""
    import urllib.parse

    import yaml

    from knowledgehub.outputs.follow_up_record import item_address

    p = page.page
    opened = []

    def github(route):
        opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>New issue</title>")

    p.route("https://github.com/**", github)
    p.goto(site_url + "declarations/chennai-declaration-india-wops-2011/")
    # the summary counts in the singular when one item has something recorded
    entry = library.catalog.get("declaration", "chennai-declaration-india-wops-2011")
    known = sum(1 for i in entry.items if i.has_evidence)
    verb = "has" if known == 1 else "have"
    summary = p.locator(".hub-progress__total").inner_text()
    assert summary.startswith(f"{known} of {len(entry.items)} items {verb} follow-up recorded.")
    assert "use “Report progress” under it" in summary
    item = p.locator("li#water-awards")
    report = item.get_by_role("link", name="Report progress")
    assert report.count() == 1 and report.is_visible()
    report.click()
    p.wait_for_url("https://github.com/**")
    assert len(opened) == 1
    address = urllib.parse.urlsplit(opened[0])
    query = urllib.parse.parse_qs(address.query)
    assert address.path == "/water-services-hub/knowledge-hub/issues/new"
    assert query["template"] == ["follow-up.yml"]
    assert query["title"][0].startswith("Progress: Institute")
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/follow-up.yml").read_text(encoding="utf-8"))
    first = next(e for e in form["body"] if e["type"] != "markdown")
    assert set(query) == {"template", "title", first["id"]}
    assert item_address(query[first["id"]][0]) == "chennai-declaration-india-wops-2011#water-awards"
    # for readers without a GitHub account: an e-mail to the editors naming the item
    p.go_back()
    mail = p.locator("li#water-awards").get_by_role("link", name="e-mail the editors").get_attribute("href")
    assert mail.startswith("mailto:editors@water-services-hub.org?subject=Progress%3A%20Institute")
    body = urllib.parse.unquote(mail.split("body=", 1)[1])
    assert "/declarations/chennai-declaration-india-wops-2011/#water-awards" in body
    # on paper the links are left out
    p.emulate_media(media="print")
    assert not p.locator("li#water-awards .hub-followup__report").is_visible()
    assert page.errors == []


def test_the_usb_edition_has_no_report_links(usb_edition):
    raw = (usb_edition / "declarations/chennai-declaration-india-wops-2011.html").read_text(encoding="utf-8")
    assert 'id="water-awards"' in raw and "hub-followup__report" not in raw
    assert "use “Report progress” under it" not in raw  # it points to no link it lacks
    invite = (usb_edition / "follow-up.html").read_text(encoding="utf-8")
    assert "on the hosted site, every item has a “Report progress” link" in invite
