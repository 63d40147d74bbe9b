"""Search on a phone (390×844): the header box's results fit the screen, and on the search
page the results come first, the filter groups behind a "Filters (n)" button; hosted and,
for the search page, the USB edition opened from file://."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from conftest import PHONE, no_sideways_scroll
from test_usb import usb_edition  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

STATES = "['results', 'none', 'empty', 'unknown-filter', 'unavailable']"


def on_screen(box) -> bool:
    return box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize("query", ["water loss", "Chennai Declaration forming the India Water"])
def test_header_results_fit_the_phone_screen(phone, site_url, query):
    phone.goto(site_url + "courses/")
    phone.locator("#hub-search-input").click()
    phone.locator("#hub-search-input").fill(query)
    phone.wait_for_function(
        "q => document.querySelector('#hub-search-results').dataset.hubQuery === q", arg=query, timeout=10000
    )
    panel = phone.locator("#hub-search-results").bounding_box()
    # full width of the screen, never wider
    assert panel["x"] <= 1 and panel["width"] >= PHONE["width"] - 2 and on_screen(panel), panel
    results = phone.locator("#hub-search-results .hub-result").all()
    assert results
    for result in results:
        assert on_screen(result.bounding_box()), result.bounding_box()
    no_sideways_scroll(phone)
    assert phone.errors == []


def check_search_page(phone, url: str) -> None:
    phone.goto(url)
    phone.wait_for_function(f"() => {STATES}.includes(document.body.dataset.hubSearchState)", timeout=10000)
    assert phone.evaluate("document.body.dataset.hubSearchState") == "results"
    button = phone.locator(".hub-filters-button")
    assert button.is_visible()
    assert button.inner_text() == "Filters (1)"  # the one filter of the address
    assert button.get_attribute("aria-expanded") == "false"
    assert not phone.locator(".hub-filters").is_visible()
    first = phone.locator(".hub-search-list .hub-result").first.bounding_box()
    assert first["y"] < PHONE["height"], "the first result is above the fold"
    no_sideways_scroll(phone)
    # the button opens the filters from the keyboard, and the chosen filter is ticked there
    button.focus()
    phone.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert phone.locator(".hub-filters").is_visible()
    assert phone.locator(".hub-filters input[name=type]:checked").count() == 1
    phone.keyboard.press("Space")
    assert not phone.locator(".hub-filters").is_visible()
    no_sideways_scroll(phone)
    assert phone.errors == []


def test_search_page_results_first_filters_behind_a_button(phone, site_url):
    check_search_page(phone, site_url + "search/?q=" + quote_plus("water") + "&type=event")


def test_search_page_results_first_on_the_usb_edition(phone, usb_edition):  # noqa: F811
    check_search_page(phone, (usb_edition / "search.html").as_uri() + "?q=water&type=event")


def test_filters_stay_beside_the_results_on_a_wide_screen(page, site_url):
    p = page.page
    p.goto(site_url + "search/?q=water")
    p.wait_for_function("() => document.body.dataset.hubSearchState === 'results'")
    assert not p.locator(".hub-filters-button").is_visible()
    assert p.locator(".hub-filters").is_visible()


PLACEHOLDER_FITS = """() => {
  const box = document.getElementById('hub-search-input'), style = getComputedStyle(box);
  const ruler = document.createElement('canvas').getContext('2d');
  ruler.font = style.font;
  const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {text: box.placeholder, fits: ruler.measureText(box.placeholder).width <= room};
}"""


def test_the_header_box_says_what_fits(phone, page, site_url):
    """On a phone the header box's placeholder is one word rather than examples cut after
    their first letter ("Search: w"); on a wide screen it gives the examples."""
    phone.goto(site_url)
    narrow = phone.evaluate(PLACEHOLDER_FITS)
    assert narrow == {"text": "Search", "fits": True}
    page.page.set_viewport_size({"width": 1280, "height": 800})
    page.page.goto(site_url)
    wide = page.page.evaluate(PLACEHOLDER_FITS)
    assert wide["fits"] and wide["text"].startswith("Search: water loss")
    assert phone.errors == [] and page.errors == []
