"""Item results by status (what came of a recommendation or commitment), and facet counts
that say what ticking a value gives, on both engines: Pagefind on the hosted site and the
offline engine of the USB edition opened from file://."""

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
