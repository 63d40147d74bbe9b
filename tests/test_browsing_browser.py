"""Browsing from a problem to the practice that answers it, in headless Chromium."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_water_loss_to_the_mile_master_class_in_two_clicks(page, site_url):
    p = page.page
    p.goto(site_url)
    p.get_by_role("link", name="Water loss and non-revenue water").first.click()
    p.wait_for_load_state()
    assert p.locator("h1").first.inner_text() == "Water loss and non-revenue water"
    p.get_by_role("link", name=re.compile("Water Services Master Class #1")).first.click()
    p.wait_for_load_state()
    assert p.url.endswith("events/mile-water-services-master-class-1/")
    assert page.outside(site_url) == []


def test_non_payment_page_lists_the_iwsd_course_and_related_recommendations(page, site_url):
    p = page.page
    p.goto(site_url + "matchmaking/")
    p.get_by_role("link", name=re.compile("^Non-payment and poor revenue collection")).click()
    p.wait_for_load_state()
    courses = p.locator("h3:has-text('Courses that teach it') + ul .hub-card__title").all_inner_texts()
    assert any("Community Engagement and Customer Care" in c for c in courses), courses
    related = p.locator(".hub-itemrow")
    assert related.count() >= 3
    kinds = related.locator(".hub-badge").all_inner_texts()
    assert any(k.lower() == "recommendation" for k in kinds), kinds
    # every item leads to its anchor in its source entry
    href = related.first.locator("a").get_attribute("href")
    assert "#" in href


def test_matrix_cell_leads_to_the_entries(page, site_url):
    p = page.page
    p.goto(site_url + "matchmaking/")
    cell = p.locator("td a").first
    count = int(cell.inner_text())
    cell.click()
    p.wait_for_load_state()
    anchor = p.url.split("#", 1)[1]
    # themes with the same entries share one heading (each keeps its anchor), so that an
    # entry is listed once, not once per theme: the list follows that heading
    section = p.locator(f"h3:has(#{anchor}) + ul li")
    assert section.count() == count


def test_organisation_page_lists_everything_that_names_it(page, site_url, library):
    p = page.page
    p.goto(site_url + "organisations/mile/")
    listed = set(p.locator(".hub-backlinks a").all_inner_texts())
    naming = {
        e.title
        for e in library.catalog.published
        if "mile" in {rid for _, t, rid in e.refs if t == "organisation"} and e.slug != "mile"
    }
    assert naming and naming <= listed, naming - listed
    assert "Events it organised" in p.locator(".hub-backlinks").inner_text()
    assert "Courses it runs" in p.locator(".hub-backlinks").inner_text()


def test_items_page_filtered_by_actor_shows_only_items_for_it(page, site_url, library):
    p = page.page
    p.goto(site_url + "items/")
    total = p.locator(".hub-itemrow").count()
    assert total == len(library.catalog.items)
    p.select_option("#hub-items-actor", "provincial-departments")
    visible = p.locator(".hub-itemrow:visible")
    expected = [i for i in library.catalog.items if "provincial-departments" in i.actors]
    assert visible.count() == len(expected) > 0
    for meta in visible.locator(".hub-itemrow__meta").all_inner_texts():
        assert "Provincial departments" in meta
    assert "actor=provincial-departments" in p.url
    p.reload()
    assert p.locator(".hub-itemrow:visible").count() == len(expected)


def test_entry_pages_have_related_entries_and_neighbours(page, site_url):
    p = page.page
    p.goto(site_url + "courses/iwsd-community-engagement-customer-care/")
    assert p.locator(".hub-related li").count() >= 1
    p.locator(".hub-neighbours a").first.click()
    p.wait_for_load_state()
    assert "/courses/" in p.url


def test_calendar_and_country_grid(page, site_url):
    p = page.page
    p.goto(site_url + "calendar/")
    text = p.locator(".hub-generated").inner_text()
    for when in (
        "14–15 February 2012",
        "11–12 April 2012",
        "17–18 April 2012",
        "6–7 January 2011",
        "10–11 February 2012",
        "June 2022",
    ):
        assert when in text, when
    p.goto(site_url + "countries/")
    tiles = p.locator(".hub-tile").all_inner_texts()
    assert (
        any("South Africa" in t for t in tiles)
        and any("India" in t for t in tiles)
        and any("Zimbabwe" in t for t in tiles)
    )
