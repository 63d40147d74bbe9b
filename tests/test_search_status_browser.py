"""Item results by status (what came of a recommendation or commitment), and facet counts
that say what ticking a value gives, on both engines: Pagefind on the hosted site and the
offline engine of the USB edition opened from file://."""

import re
from urllib.parse import quote_plus

import pytest
from test_search_browser import page_results
from test_usb import offline_page, usb_edition  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

# In the shipped content, the Chennai declaration's "national-congress" objective is under way
# (it has a follow-up record); its other objectives have none: nothing known, open.
QUERY = "stakeholders"
UNDER_WAY = "national-congress"


def statuses(model):
    fu = model.follow_up
    return fu.status, model.vocabulary(fu.vocabulary)


def item_rows(p):
    """(href, data-hub-status, shown status label) of every item listed under a result."""
    return [
        (
            li.locator("a").get_attribute("href"),
            li.get_attribute("data-hub-status"),
            li.locator(".hub-result__status").inner_text().strip(),
        )
        for li in p.locator(".hub-search-list .hub-result__items > li").all()
    ]


def check_open_items_only(p, model):
    key, vocab = statuses(model)
    open_label = vocab.label(model.follow_up.when_none)
    rows = item_rows(p)
    assert rows, "no item results"
    assert all(status == model.follow_up.when_none for _, status, _ in rows), rows
    assert all(label == open_label for _, _, label in rows), rows
    assert not any(h.endswith("#" + UNDER_WAY) for h, _, _ in rows), rows
    # every result is an entry with items, each result lists items
    assert (
        p.locator(".hub-search-list .hub-result").count()
        == p.locator(".hub-search-list .hub-result:has(.hub-result__items)").count()
    )
    # the filter group is labelled from the model, and the chosen value is ticked
    legends = p.locator(".hub-filter legend").all_text_contents()
    assert "Status" in legends, legends
    box = p.locator(f"input[name={key}][value='{open_label}']")
    assert box.is_checked()
    labels = [
        p.locator(f"input[name={key}]").nth(i).get_attribute("value")
        for i in range(p.locator(f"input[name={key}]").count())
    ]
    assert labels and all(label in [vocab.label(t) for t in vocab.terms] for label in labels), labels
    return rows


def test_status_filter_returns_only_open_items_hosted(page, site_url, model):
    p = page.page
    p.goto(site_url + "search/?q=" + quote_plus(QUERY) + "&status=" + model.follow_up.when_none)
    assert page_results(p)
    rows = check_open_items_only(p, model)
    # an item link lands on an item whose page says it is open
    p.goto(site_url.rstrip("/") + rows[0][0] if rows[0][0].startswith("/") else rows[0][0])
    assert p.locator(":target .hub-status").first.get_attribute("data-status") == model.follow_up.when_none
    # the other way round: under way gives the one item under way
    p.goto(site_url + "search/?q=" + quote_plus(QUERY) + "&status=under-way")
    assert page_results(p)
    rows = item_rows(p)
    assert rows and all(s == "under-way" for _, s, _ in rows), rows
    assert any(h.endswith("#" + UNDER_WAY) for h, _, _ in rows), rows
    # ticking the box writes the model's value into the URL
    p.goto(site_url + "search/?q=" + quote_plus(QUERY))
    page_results(p)
    _, vocab = statuses(model)
    p.locator(f"input[name=status][value='{vocab.label(model.follow_up.when_none)}']").check()
    p.wait_for_function("() => location.search.includes('status=unknown')")
    p.wait_for_function("() => document.querySelector('.hub-search-list .hub-result__items > li') !== null")
    check_open_items_only(p, model)
    assert page.errors == []


def test_status_filter_returns_only_open_items_offline(browser, usb_edition, model):  # noqa: F811
    context, p, requests, errors = offline_page(browser)
    try:
        p.goto(
            (usb_edition / "search.html").as_uri()
            + "?q="
            + quote_plus(QUERY)
            + "&status="
            + model.follow_up.when_none
        )
        assert page_results(p)
        check_open_items_only(p, model)
        p.goto((usb_edition / "search.html").as_uri() + "?q=" + quote_plus(QUERY) + "&status=under-way")
        assert page_results(p)
        rows = item_rows(p)
        assert rows and all(s == "under-way" for _, s, _ in rows), rows
        assert any(h.endswith("#" + UNDER_WAY) for h, _, _ in rows), rows
        assert [u for u in requests if not u.startswith("file://")] == []
        assert errors == []
    finally:
        context.close()


def counts_of(p, key):
    """value → count of the search page's filter group ``key``."""
    return {
        label.locator("input").get_attribute("value"): int(label.locator(".hub-count").inner_text())
        for label in p.locator(f".hub-filter__option:has(input[name={key}])").all()
    }


def entries(p):
    text = p.locator(".hub-search-status").inner_text()
    return len(page_results(p)), text


def honest_counts(p, search_url):
    """Counts say what ticking a value gives, on the engine at ``search_url``."""
    p.goto(search_url + "?q=water&country=in")
    n, _ = entries(p)
    countries = counts_of(p, "country")
    assert countries["India"] == n
    # a country not chosen counts what choosing it instead would give, not zero
    p.goto(search_url + "?q=water&country=za")
    za, _ = entries(p)
    assert za > 0 and countries["South Africa"] == za, countries
    # counts of the other facets are within the choice
    p.goto(search_url + "?q=water&country=in")
    page_results(p)
    types = counts_of(p, "type")
    assert sum(types.values()) == n, types
    # the partial-match fallback shows counts too, those of the results it shows
    p.goto(search_url + "?q=" + quote_plus("we lose a lot of water from leaks"))
    hrefs = page_results(p)
    assert "Showing results for" in p.locator(".hub-search-status").inner_text()
    types = counts_of(p, "type")
    total = int(re.findall(r"(\d+) results?\b", p.locator(".hub-search-status").inner_text())[-1])
    assert total >= len([h for h in hrefs if "/themes/" not in h and "/challenges/" not in h])
    assert sum(types.values()) == total, (types, total)
    # the count of results is worded for one and for many
    p.goto(search_url + "?q=Muttram")
    assert len(page_results(p)) == 1
    assert "1 result." in p.locator(".hub-search-status").inner_text()
    p.goto(search_url + "?q=water&country=in")
    page_results(p)
    assert f"{n} results" in p.locator(".hub-search-status").inner_text()


def test_facet_counts_say_what_ticking_gives_hosted(page, site_url):
    honest_counts(page.page, site_url + "search/")
    assert page.errors == []


def test_facet_counts_say_what_ticking_gives_offline(browser, usb_edition):  # noqa: F811
    context, p, requests, errors = offline_page(browser)
    try:
        honest_counts(p, (usb_edition / "search.html").as_uri())
        assert [u for u in requests if not u.startswith("file://")] == []
        assert errors == []
    finally:
        context.close()
