"""Accessibility, checked with axe-core (axe-playwright-python) in headless Chromium:
no serious or critical violation on the home page, a listing, a theme page, an
entry of each type, the search page with results and the items page; everything
reachable with the keyboard, with a visible focus; charts with text alternatives.

The same pages of the USB edition, opened from the file system, are checked too.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import CHROMIUM_FLAGS, RecordingPage, chromium_path, copy_project, serve_folder

pytestmark = pytest.mark.browser

axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="pip install axe-playwright-python (the test extra)"
)

CASE_STUDY = """---
title: Pressure management at night in a test municipality
summary: A fixture for the accessibility tests - a case study with before and after figures, drawn as charts.
date: "2013-05"
countries: [ZA]
themes: [water-loss]
challenges: [high-water-losses]
organisations: [mile]
place:
  city: Durban
  country: ZA
period: 2010-2013
indicators:
  - name: Non-revenue water
    unit: "%"
    baseline: 42
    baseline_year: 2010
    value: 28
    year: 2013
    better: lower
  - name: Bursts per 100 km of main
    unit: bursts
    baseline: 35
    baseline_year: 2010
    value: 19
    year: 2013
    better: lower
lessons:
  - Measure what flows into each district before changing anything.
sources:
  - title: Fixture of the accessibility tests
---

## Context

The test municipality lost more than two fifths of the water it produced.

## What was done

It lowered pressure at night in three districts and repaired bursts faster.

## Results

Non-revenue water fell from 42% to 28% in three years.

## Lessons

Start with measurement; then act where the figures point.
"""

PAGES = {
    "home": "",
    "listing": "workshops/",
    "theme": "themes/water-loss/",
    "case-study": "case-studies/pressure-management-at-night/",
    "workshop-outcome": "workshops/project-consolidate-group-2/",
    "declaration": "declarations/chennai-declaration-india-wops-2011/",
    "course": "courses/iwsd-community-engagement-customer-care/",
    "event": "events/mile-water-services-master-class-1/",
    "organisation": "organisations/mile/",
    "programme": "programmes/project-consolidate/",
    "search": "search/?q=water",
    "items": "items/",
    "contribute": "contribute/?type=workshop-outcome",
}


@pytest.fixture(scope="module")
def a11y_url(tmp_path_factory):
    """The library plus a case study with indicator charts, built and served."""
    project = copy_project(tmp_path_factory.mktemp("a11y") / "hub")
    (project / "content" / "case-studies" / "pressure-management-at-night.md").write_text(
        CASE_STUDY, encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != "HUB_UNSAFE_SKIP_POLICY"}
    done = subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    url, server = serve_folder(project / "site")
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def own_browser(request):
    """A Playwright of this module's own, stopped when the module ends: some suites
    (the benchmark) start Playwright themselves, which cannot happen while the
    session's browser runs. When the session's is already running, it is used."""
    from playwright.sync_api import Error, sync_playwright

    try:
        playwright = sync_playwright().start()
    except Error:
        yield request.getfixturevalue("browser")
        return
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(own_browser):
    context = own_browser.new_context()
    recording = RecordingPage(context.new_page())
    yield recording
    context.close()


@pytest.fixture(scope="module")
def axe():
    return axe_playwright.Axe()


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    if "search/?" in url:
        page.wait_for_function("() => document.body.dataset.hubSearchState === 'results'", timeout=15000)


def describe(violation: dict) -> str:
    nodes = "; ".join(" ".join(n["target"]) for n in violation["nodes"][:4])
    return (
        f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} nodes: {nodes}): "
        f"{violation['help']}"
    )


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def judge(violations: list[dict]) -> None:
    """No serious or critical violation."""
    assert [describe(v) for v in serious(violations)] == []


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violations(page, a11y_url, axe, name):
    p = page.page
    open_page(p, a11y_url + PAGES[name])
    judge(axe.run(p).response["violations"])


def test_colour_contrast_passes_on_every_page(page, a11y_url, axe):
    p = page.page
    found = []
    for path in PAGES.values():
        open_page(p, a11y_url + path)
        found += axe.run(
            p, options={"runOnly": {"type": "rule", "values": ["color-contrast", "color-contrast-enhanced"]}}
        ).response["violations"]
    judge([v for v in found if v["id"] == "color-contrast"])


FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const box = e.getBoundingClientRect(), style = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(), id: e.id, href: e.getAttribute('href'),
    text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 40),
    nav: !!e.closest('.md-nav--primary'), main: !!e.closest('.md-content'), header: !!e.closest('.md-header'),
    searchForm: e.tagName === 'INPUT' && !!e.closest('.hub-search-page, .hub-filters'),
    visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden',
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
  };
}"""


def tab_through(p, limit: int = 150) -> list[dict | None]:
    stops = []
    for _ in range(limit):
        p.keyboard.press("Tab")
        stops.append(p.evaluate(FOCUSED))
        if len(stops) > 3 and stops[-1] is not None and stops[-1] == stops[0]:
            break  # round the page and back: no trap
    return stops


def test_keyboard_reaches_search_nav_and_content(page, a11y_url):
    p = page.page
    p.set_viewport_size({"width": 1280, "height": 900})
    open_page(p, a11y_url)
    stops = [s for s in tab_through(p) if s]
    assert any(s["id"] == "hub-search-input" for s in stops), "the search box"
    nav = [s for s in stops if s["nav"] and s["tag"] == "a"]
    assert {"Home", "Search"} <= {s["text"] for s in nav}, nav
    content = [s for s in stops if s["main"] and s["tag"] == "a"]
    assert (
        len(content) >= 20
        and any(s["href"].startswith("themes/") for s in content)
        and any(s["href"].startswith("courses/") for s in content)
    )
    assert stops[-1] == stops[0], "tabbing must come round to the start (no keyboard trap)"
    order = [
        ("header" if s["header"] else "nav" if s["nav"] else "main" if s["main"] else "other")
        for s in stops[: stops.index(content[0]) + 1]
    ]
    assert order.index("header") < order.index("nav") < order.index("main"), order


def test_keyboard_opens_nav_sections(page, a11y_url):
    p = page.page
    p.set_viewport_size({"width": 1280, "height": 900})
    open_page(p, a11y_url)
    stops = tab_through(p, 12)
    library = next(i for i, s in enumerate(stops) if s and s["nav"] and s["text"] == "Library")
    open_page(p, a11y_url)
    for _ in range(library + 1):
        p.keyboard.press("Tab")
    assert p.evaluate(FOCUSED)["text"] == "Library"
    p.keyboard.press("Enter")
    p.keyboard.press("Tab")
    focused = p.evaluate(FOCUSED)
    assert focused["nav"] and focused["tag"] == "a" and focused["href"].endswith("case-studies/"), focused


@pytest.mark.parametrize("name", ["home", "workshop-outcome", "search"])
def test_focus_is_visible_wherever_it_goes(page, a11y_url, name):
    p = page.page
    p.set_viewport_size({"width": 1280, "height": 900})
    open_page(p, a11y_url + PAGES[name])
    stops = [s for s in tab_through(p, 400) if s]
    hidden = [s for s in stops if not (s["visible"] and s["ring"])]
    assert hidden == [], hidden[:5]


def test_charts_have_text_alternatives(page, a11y_url):
    p = page.page
    open_page(p, a11y_url + PAGES["case-study"])
    charts = p.locator("figure.hub-chart svg[role=img]")
    assert charts.count() == 2
    for i in range(charts.count()):
        chart = charts.nth(i)
        ids = (chart.get_attribute("aria-labelledby") or "").split()
        assert len(ids) == 2, "a title and a description"
        texts = [
            p.evaluate("id => document.getElementById(id) && document.getElementById(id).textContent", ident)
            for ident in ids
        ]
        assert all(texts), texts
        assert chart.locator("xpath=ancestor::figure").locator("figcaption").inner_text().strip()
    first = p.evaluate(
        "document.getElementById(document.querySelector('figure.hub-chart svg')"
        ".getAttribute('aria-labelledby').split(' ')[1]).textContent"
    )
    assert "42" in first and "28" in first and "improvement" in first, first
    # the same figures as a table, for those who do not see the chart at all
    table = p.locator("table.hub-indicators")
    assert table.locator("th[scope=col]").count() == 4 and table.locator("tbody th[scope=row]").count() == 2
    assert "Non-revenue water" in table.inner_text() and "42" in table.inner_text()


# -- the USB edition, opened from the file system ------------------------------------------

# The same pages by their file names (the USB edition links to files, not folders).
USB_PAGES = {
    **{
        name: path.rstrip("/") + ".html"
        for name, path in PAGES.items()
        if path.count("/") > 1 or path in ("items/",)
    },
    "home": "index.html",
    "listing": "workshops/index.html",
    "theme": "themes/water-loss.html",
    "search": "search.html?q=water",
    "contribute": "contribute.html?type=workshop-outcome",
}


@pytest.fixture(scope="module")
def usb_root(tmp_path_factory):
    """The same library as a USB edition (the accessibility case study included)."""
    project = copy_project(tmp_path_factory.mktemp("a11y-usb") / "hub")
    (project / "content" / "case-studies" / "pressure-management-at-night.md").write_text(
        CASE_STUDY, encoding="utf-8"
    )
    out = project / "usb" / "edition"
    done = subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "usb", "-o", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.mark.parametrize("name", list(PAGES))
def test_usb_edition_has_no_serious_or_critical_violations(page, usb_root, axe, name):
    p = page.page
    p.goto(usb_root.as_uri() + "/" + USB_PAGES[name])
    p.wait_for_load_state("load")
    if name == "search":
        p.wait_for_function("() => document.body.dataset.hubSearchState === 'results'", timeout=15000)
    judge(axe.run(p).response["violations"])


def test_headings_do_not_skip_levels(page, a11y_url, axe):
    p = page.page
    found = []
    for name, path in PAGES.items():
        open_page(p, a11y_url + path)
        found += [
            f"{name}: {describe(v)}"
            for v in axe.run(p, options={"runOnly": {"type": "rule", "values": ["heading-order"]}}).response[
                "violations"
            ]
        ]
    assert found == []


# -- WCAG 2.2 AA, target size included, every page kind, phone and desktop ------------------

WCAG22 = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
EVERY_KIND = {
    **PAGES,
    "challenge": "challenges/high-water-losses/",
    "challenges": "challenges/",
    "country": "countries/za/",
    "countries": "countries/",
    "matchmaking": "matchmaking/",
    "calendar": "calendar/",
    "about": "about/",
    "opendata": "opendata/",
    "follow-up": "follow-up/",
    "not-found": "no/such/page/",
}
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=list(SIZES))
def sized_page(own_browser, request):
    context = own_browser.new_context(viewport=SIZES[request.param])
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", list(EVERY_KIND))
def test_wcag22_aa_has_no_violations(sized_page, a11y_url, axe, name):
    path = EVERY_KIND[name]
    url = a11y_url + ("404.html" if name == "not-found" else path)
    open_page(sized_page, url)
    assert [describe(v) for v in axe.run(sized_page, options=WCAG22).response["violations"]] == []


@pytest.mark.parametrize("name", [n for n in EVERY_KIND if n != "not-found"])
def test_usb_edition_meets_wcag22_aa(sized_page, usb_root, axe, name):
    folders = ("challenges/", "countries/")  # a facet's index is its folder's index.html
    path = EVERY_KIND[name]
    file = USB_PAGES.get(name) or (path + "index.html" if path in folders else path.rstrip("/") + ".html")
    sized_page.goto(usb_root.as_uri() + "/" + file)
    sized_page.wait_for_load_state("load")
    assert [describe(v) for v in axe.run(sized_page, options=WCAG22).response["violations"]] == []
