"""Search, as practitioners use it, in headless Chromium against the built site."""

from urllib.parse import quote_plus

import pytest
from conftest import serve_folder

pytestmark = pytest.mark.browser

# A fact from each source document, and the entry it must find in the top three.
FACT_QUERIES = [
    ("Botanical Gardens Durban", "events/mile-water-services-master-class-1/"),
    ("Service Delivery Facilitators", "workshops/project-consolidate-group-2/"),
    ("Water Citizenship Charter", "declarations/chennai-declaration-india-wops-2011/"),
    ("Muttram", "workshops/leading-organisational-transformation-round-tables-2012/"),
    ("customer feedback mechanisms", "courses/iwsd-community-engagement-customer-care/"),
]


def header_results(p, query):
    p.locator("#hub-search-input").fill(query)
    p.wait_for_function(
        "q => document.querySelector('#hub-search-results').dataset.hubQuery === q",
        arg=query,
        timeout=10000,
    )
    return [a.get_attribute("href") for a in p.locator("#hub-search-results .hub-result__title").all()]


def page_results(p):
    p.wait_for_function(
        "() => ['results', 'none', 'empty', 'unknown-filter', 'unavailable']"
        ".includes(document.body.dataset.hubSearchState)",
        timeout=10000,
    )
    return [a.get_attribute("href") for a in p.locator(".hub-search-list .hub-result__title").all()]


@pytest.mark.parametrize("query, expected", FACT_QUERIES, ids=[q for q, _ in FACT_QUERIES])
def test_fact_from_each_source_finds_its_entry(page, site_url, query, expected):
    p = page.page
    p.goto(site_url)
    hrefs = header_results(p, query)
    assert any(h.endswith(expected) for h in hrefs[:3]), hrefs
    assert page.errors == [] and page.outside(site_url) == []


def test_slash_focuses_and_keyboard_opens_a_result(page, site_url):
    p = page.page
    p.goto(site_url + "themes/")
    p.locator("body").click()
    p.keyboard.press("/")
    assert p.evaluate("document.activeElement.id") == "hub-search-input"
    p.keyboard.type("IWSD customer care")
    p.wait_for_selector("#hub-search-results .hub-result")
    p.keyboard.press("ArrowDown")
    assert p.locator(".hub-result--active").count() == 1
    assert p.locator("#hub-search-input").get_attribute("aria-activedescendant") == "hub-option-0"
    target = p.locator(".hub-result--active .hub-result__title").get_attribute("href")
    with p.expect_navigation():
        p.keyboard.press("Enter")
    assert p.url.endswith(target)
    p.keyboard.press("Escape")


def test_synonyms_find_tagged_entries(page, site_url):
    p = page.page
    p.goto(site_url)
    nrw = header_results(p, "NRW")
    assert any("mile-water-services-master-class-1" in h for h in nrw), nrw
    p.goto(site_url + "search/?q=WOPs")
    hrefs = page_results(p)
    assert any("chennai-declaration-india-wops-2011" in h for h in hrefs), hrefs


def test_filters_narrow_and_the_url_reopens_the_same_search(page, site_url):
    p = page.page
    p.goto(site_url + "search/?q=water")
    everything = page_results(p)
    assert len(everything) > 3
    # the URL carries the same filter values as the items page (country code, type id)
    p.locator("input[name=country][value=India]").check()
    p.wait_for_function("() => location.search.includes('country=in')")
    p.locator("input[name=type][value=Declaration]").check()
    p.wait_for_function("() => location.search.includes('type=declaration')")
    p.wait_for_function("() => document.querySelectorAll('.hub-search-list .hub-result').length === 1")
    narrowed = page_results(p)
    assert len(narrowed) == 1 and narrowed[0].endswith("declarations/chennai-declaration-india-wops-2011/")
    shared = p.url
    # the back button undoes the last filter
    p.go_back()
    p.wait_for_function("() => !location.search.includes('type=declaration')")
    p.wait_for_function("() => document.querySelectorAll('.hub-search-list .hub-result').length > 1")
    assert not p.locator("input[name=type][value=Declaration]").is_checked()
    # a shared link reopens the same search in a fresh page
    fresh = p.context.new_page()
    fresh.goto(shared)
    assert page_results(fresh) == narrowed
    assert fresh.locator("#hub-search-page-input").input_value() == "water"
    assert fresh.locator("input[name=country][value=India]").is_checked()
    assert page.errors == []


def test_item_result_lands_on_the_item_anchor(page, site_url):
    p = page.page
    p.goto(site_url + "search/?q=" + quote_plus("Water Awards"))
    page_results(p)
    item = p.locator(".hub-result__item").first
    href = item.get_attribute("href")
    assert "#" in href
    item.click()
    p.wait_for_load_state()
    anchor = href.split("#", 1)[1]
    assert p.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == anchor
    assert "Water Awards" in p.locator(":target").inner_text()


def test_unknown_filter_and_stop_words_show_clear_states(page, site_url):
    p = page.page
    p.goto(site_url + "search/?q=water&country=Atlantis&colour=blue")
    assert page_results(p) == []
    status = p.locator(".hub-search-status").inner_text()
    assert "No such filter" in status and "Atlantis" in status and "colour" in status
    p.goto(site_url + "search/?q=" + quote_plus("the of and ?!"))
    page_results(p)
    assert p.evaluate("document.body.dataset.hubSearchState") == "empty"
    assert "no words to search for" in p.locator(".hub-search-status").inner_text()
    p.goto(site_url)
    p.locator("#hub-search-input").fill("... ,,,")
    p.wait_for_selector(".hub-search__empty")
    assert page.errors == []


def test_search_works_under_a_sub_path(page, built_site):
    base, server = serve_folder(built_site, prefix="/water-hub/")
    try:
        p = page.page
        p.goto(base + "courses/")
        hrefs = header_results(p, "Muttram")
        assert hrefs and hrefs[0].startswith("/water-hub/"), hrefs
        p.locator("#hub-search-results .hub-result__title").first.click()
        p.wait_for_load_state()
        assert p.url.startswith(base) and "round-tables-2012" in p.url
        assert p.locator("h1").first.is_visible()
        p.goto(base + "search/?q=Durban&type=Event")
        assert any(h.startswith("/water-hub/events/") for h in page_results(p))
        assert page.outside(base.split("/water-hub/")[0]) == []
        assert page.errors == []
    finally:
        server.shutdown()


def test_listing_and_generated_pages_are_not_indexed(page, site_url):
    p = page.page
    p.goto(site_url + "search/?q=" + quote_plus("Workshop outcomes"))
    hrefs = page_results(p)
    assert hrefs and all(h.count("/") >= 3 for h in hrefs), hrefs  # entries only, no listing pages
    assert not any(h.rstrip("/").endswith(("workshops", "themes", "search")) or h == "/" for h in hrefs)


def header_titles(p, query):
    """(href, is a best bet) of the header box's results for ``query``."""
    header_results(p, query)
    return [
        (
            li.locator(".hub-result__title").get_attribute("href"),
            "hub-result--bestbet" in li.get_attribute("class"),
        )
        for li in p.locator("#hub-search-results li.hub-result").all()
    ]


def test_a_question_about_blue_drop_finds_the_master_class_first(page, site_url):
    p = page.page
    p.goto(site_url)
    results = header_titles(p, "how do we pass Blue Drop")
    entries = [h for h, bet in results if not bet]
    assert entries and "mile-water-services-master-class" in entries[0], results
    # best bets come first and are marked as such
    assert results[0][1] and "challenges/water-quality-compliance" in results[0][0], results
    assert "Best bet" in p.locator(".hub-result--bestbet .hub-result__badge").first.text_content()
    assert page.errors == []


def test_a_complaint_about_unpaid_bills_finds_the_course_before_any_organisation(page, site_url):
    p = page.page
    p.goto(site_url + "search/?q=" + quote_plus("residents dont pay water bills"))
    hrefs = page_results(p)
    course = next(i for i, h in enumerate(hrefs) if "courses/iwsd-community-engagement-customer-care" in h)
    organisations = [i for i, h in enumerate(hrefs) if "/organisations/" in h]
    assert all(course < i for i in organisations), hrefs
    p.goto(site_url + "search/?q=" + quote_plus("non-payment of bills"))
    hrefs = page_results(p)
    first_entry = next(h for h in hrefs if "/challenges/" not in h and "/themes/" not in h)
    assert "courses/iwsd" in first_entry, hrefs


def test_non_payment_offers_the_challenge_page_first(page, site_url):
    p = page.page
    p.goto(site_url)
    results = header_titles(p, "non-payment")
    assert results[0] == (results[0][0], True) and results[0][0].endswith("challenges/non-payment/"), results
    # the best bet is not also listed as an entry, and the entries are still there
    assert sum(1 for h, _ in results if h.endswith("challenges/non-payment/")) == 1
    assert any("courses/iwsd" in h for h, bet in results if not bet)


def test_questions_fall_back_to_partial_matches_and_say_so(page, site_url):
    p = page.page
    p.goto(site_url + "search/?q=" + quote_plus("we lose a lot of water from leaks"))
    hrefs = page_results(p)
    assert any("mile-water-services-master-class" in h for h in hrefs[:3]), hrefs
    assert "Showing results for" in p.locator(".hub-search-status").inner_text()
    # a one-letter typo is corrected from the library's own words
    p.goto(site_url + "search/?q=" + quote_plus("custmer care"))
    hrefs = page_results(p)
    assert "courses/iwsd-community-engagement-customer-care" in hrefs[0], hrefs
    assert "Showing results for “customer care”" in p.locator(".hub-search-status").inner_text()


def test_nothing_found_offers_did_you_mean_from_the_index(page, site_url):
    p = page.page
    p.goto(site_url + "search/?q=" + quote_plus("zzqxv"))
    assert page_results(p) == []
    assert p.evaluate("document.body.dataset.hubSearchState") == "none"
    p.goto(site_url)
    p.locator("#hub-search-input").fill("wtaerx")
    p.wait_for_selector(".hub-search__empty")
    suggest = p.locator("#hub-search-results .hub-search__suggest a")
    if suggest.count():  # a suggestion is a word of the library, linked to its search
        assert "search/?q=" in suggest.first.get_attribute("href")


def test_no_snippet_or_page_shows_a_synonym_list(page, site_url, built_site):
    harare = (built_site / "organisations" / "city-of-harare" / "index.html").read_text(encoding="utf-8")
    assert "Also known as" not in harare and "hub-synonyms" not in harare
    p = page.page
    p.goto(site_url + "organisations/city-of-harare/")
    assert "bad debt, arrears" not in p.locator("body").inner_text()
    for query in ("NRW", "arrears", "Blue Drop"):
        p.goto(site_url + "search/?q=" + quote_plus(query))
        assert page_results(p), query
        snippets = " ".join(p.locator(".hub-search-list .hub-result__excerpt").all_inner_texts())
        for listed in ("unaccounted-for water", "bad debt, arrears", "sewage, effluent", "Countries"):
            assert listed not in snippets, (query, listed, snippets)


def test_items_page_filter_values_work_on_the_search_page(page, site_url):
    p = page.page
    p.goto(site_url + "search/?theme=coordination")
    hrefs = page_results(p)
    assert p.evaluate("document.body.dataset.hubSearchState") == "results"
    assert any("project-consolidate" in h for h in hrefs), hrefs
    assert p.locator("input[name=theme][value='Intergovernmental coordination']").is_checked()
    p.goto(site_url + "search/?theme=no-such-theme")
    assert page_results(p) == []
    assert "No such filter" in p.locator(".hub-search-status").inner_text()


@pytest.mark.parametrize(
    "query",
    ["<img src=x onerror=alert(1)>", "x" * 600, "?!…,;", "水 water вода", '"><script>alert(1)</script>'],
    ids=["html", "long", "punctuation", "mixed-script", "script"],
)
def test_bad_input_gets_a_clear_state_and_stays_text(page, site_url, query):
    p = page.page
    p.goto(site_url + "search/?q=" + quote_plus(query))
    page_results(p)
    state = p.evaluate("document.body.dataset.hubSearchState")
    assert state in ("results", "none", "empty"), state
    assert p.locator("#hub-search-page-input").input_value() == query
    assert (
        p.evaluate("document.querySelectorAll('.hub-search-main img, .hub-search-main script').length") == 0
    )
    if len(query) > 500:
        assert "characters" in p.locator(".hub-search-status").inner_text()
    p.goto(site_url)
    p.locator("#hub-search-input").fill(query)
    p.wait_for_selector("#hub-search-results:not([hidden])")
    assert (
        p.evaluate("document.querySelectorAll('#hub-search-results img, #hub-search-results script').length")
        == 0
    )
    assert page.errors == []


def test_search_loads_when_the_box_gets_focus_not_with_the_page(page, site_url):
    p = page.page
    p.goto(site_url + "courses/")
    p.wait_for_load_state("networkidle")
    search_files = ("/pagefind/", "/search-aids/")
    assert not [u for u in page.requests if any(s in u for s in search_files)]
    p.locator("#hub-search-input").focus()
    p.wait_for_function(
        "() => performance.getEntriesByType('resource').some(r => r.name.includes('/pagefind/'))"
    )
    p.wait_for_load_state("networkidle")
    loaded = [u for u in page.requests if any(s in u for s in search_files)]
    assert any("pagefind/pagefind.js" in u for u in loaded) and any(
        "search-aids/aids.js" in u for u in loaded
    )
    # the vocabulary of corrections waits for a query that finds nothing
    assert not any("vocabulary.js" in u for u in loaded)
    header_results(p, "custmer care")
    assert any("vocabulary.js" in u for u in page.requests)
    assert page.errors == []
