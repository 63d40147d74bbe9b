"""A reader opens the hub, picks a type, opens an entry — and nothing is fetched
from outside the site."""

import pytest

pytestmark = pytest.mark.browser


def test_home_to_listing_to_entry_stays_on_the_site(page, site_url):
    p = page.page
    p.goto(site_url)
    assert p.locator("h1").first.inner_text() == "Water Services Knowledge Hub"
    # styled: Material's stylesheet and the hub's own are applied
    assert p.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
        "sticky",
        "fixed",
    )
    p.get_by_role("link", name="Workshop outcomes").first.click()
    p.wait_for_load_state()
    assert p.locator("h1").first.inner_text() == "Workshop outcomes"
    p.get_by_role("link", name="Project Consolidate workshop, Group 2", exact=False).first.click()
    p.wait_for_load_state()
    assert "project-consolidate-group-2" in p.url
    assert p.locator(".hub-facts").is_visible()
    assert p.locator(".hub-item").count() == 26
    # an item is addressable: its anchor scrolls to it
    first = p.locator(".hub-item").first.get_attribute("id")
    p.goto(p.url.split("#")[0] + "#" + first)
    assert p.evaluate("document.querySelector(':target').id") == first
    assert page.outside(site_url) == [], page.outside(site_url)
    assert page.errors == []


def test_every_generated_page_renders_without_script_errors(page, site_url):
    p = page.page
    for path in ("", "themes/", "themes/water-loss/", "countries/za/", "courses/", "organisations/mile/"):
        p.goto(site_url + path)
        assert p.locator("h1").count() >= 1, path
    assert page.errors == []
    assert page.outside(site_url) == []
