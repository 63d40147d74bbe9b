"""The take-away files in the built site, and the pages that lead to them: the feed
in every page's <head>, "add to calendar" on events and courses, a citation on
every entry, the Open data page. (These need the exports wired into the build.)"""

from __future__ import annotations

import html
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import feedparser
import pytest
from icalendar import Calendar

from knowledgehub.site.urls import src_to_url

DATA_FILES = [
    "catalog.json",
    "catalog.schema.json",
    "catalog.csv",
    "items.csv",
    "indicators.csv",
    "feed.xml",
    "calendar.ics",
]


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: (v or "") for k, v in attrs}))


def tags(page: Path) -> list[tuple[str, dict]]:
    return tags_of(page.read_text(encoding="utf-8"))


def tags_of(text: str) -> list[tuple[str, dict]]:
    reader = Tags()
    reader.feed(text)
    return reader.tags


def head_of(page: Path) -> str:
    raw = page.read_text(encoding="utf-8")
    return raw[: raw.index("</head>")]


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file a relative link on ``page`` leads to."""
    here = page.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(here, href.split("#")[0]))
    path = site / target
    return path / "index.html" if path.is_dir() else path


def entry_page(site: Path, entry) -> Path:
    return site / src_to_url(entry.src_uri) / "index.html"


def test_the_build_writes_every_data_file(built_site, library):
    for name in DATA_FILES:
        assert (built_site / name).is_file(), name
    doc = json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))
    assert doc["count"] == len(library.catalog.published)
    assert all(e["url"].startswith(("http://", "https://")) for e in doc["entries"])
    for theme in library.catalog.model.vocabulary("themes").terms:
        assert (built_site / f"feeds/{theme}.xml").is_file(), theme


def test_every_page_advertises_the_feed_in_its_head(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        if page.name == "404.html" or "pagefind" in page.parts:
            continue
        head = head_of(page)
        links = [a for t, a in tags(page) if t == "link" and a.get("type") == "application/atom+xml"]
        assert links, f"{page.relative_to(built_site)} has no feed link"
        # "alternate" among the rel tokens makes it a feed (what readers look for); never
        # rel="alternate" alone, which Material takes for a language version and fetches a
        # sitemap.xml beside on every page load
        assert all(a["rel"].split() == ["alternate", "feed"] for a in links), links
        assert links[0]["href"] in head
        assert resolve(built_site, page, links[0]["href"]) == built_site / "feed.xml", page
    feed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries


def test_theme_pages_advertise_their_own_feed(built_site):
    page = built_site / "themes/water-loss/index.html"
    hrefs = [a["href"] for t, a in tags(page) if t == "link" and a.get("type") == "application/atom+xml"]
    assert any(resolve(built_site, page, h) == built_site / "feeds/water-loss.xml" for h in hrefs), hrefs


def test_events_and_courses_offer_add_to_calendar(built_site, library):
    checked = 0
    for entry in library.catalog.published:
        page = entry_page(built_site, entry)
        links = [a["href"] for t, a in tags(page) if t == "a" and "hub-add-to-calendar" in a.get("class", "")]
        dated = entry.type in ("event", "course") and (entry.data.get("start") or entry.data.get("sessions"))
        if not dated:
            assert not links, entry.slug
            continue
        assert len(links) == 1, entry.slug
        ics = resolve(built_site, page, links[0])
        assert ics.suffix == ".ics" and ics.is_file(), links[0]
        events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
        assert events and all(str(ev["URL"]).endswith(src_to_url(entry.src_uri)) for ev in events)
        checked += 1
    assert checked >= 4


def test_every_entry_offers_a_citation(built_site, library):
    for entry in library.catalog.published:
        raw = entry_page(built_site, entry).read_text(encoding="utf-8")
        section = re.search(r'<section[^>]*class="[^"]*hub-cite[^"]*"[^>]*>(.*?)</section>', raw, re.S)
        assert section, entry.slug
        bib = re.search(
            r'<pre[^>]*class="[^"]*hub-cite__bibtex[^"]*"[^>]*>(?:<code>)?(.*?)(?:</code>)?</pre>',
            section.group(1),
            re.S,
        )
        assert bib, entry.slug
        parsed = bibtexparser.parse_string(html.unescape(bib.group(1)))
        assert len(parsed.entries) == 1 and not parsed.failed_blocks, entry.slug
        url = parsed.entries[0].fields_dict["url"].value
        assert url.startswith(("http://", "https://")) and url.endswith(src_to_url(entry.src_uri))
        text = re.sub(
            r"<[^>]+>",
            "",
            re.search(r'class="[^"]*hub-cite__text[^"]*"[^>]*>(.*?)</p>', section.group(1), re.S).group(1),
        )
        assert url in html.unescape(text)


def test_open_data_page_links_every_file_and_states_the_licence(built_site):
    page = built_site / "opendata/index.html"
    assert page.is_file()
    raw = page.read_text(encoding="utf-8")
    assert "CC BY 4.0" in raw and "https://creativecommons.org/licenses/by/4.0/" in raw
    hrefs = [a["href"] for t, a in tags(page) if t == "a" and a.get("href")]
    linked = {
        resolve(built_site, page, h).relative_to(built_site).as_posix()
        for h in hrefs
        if not h.startswith(("http", "#"))
    }
    for name in DATA_FILES + ["feeds/water-loss.xml", "follow-up.xml"]:
        assert name in linked, name


def test_the_follow_up_feed_is_offered_where_feeds_are_and_parses(built_site, library):
    updates = feedparser.parse((built_site / "follow-up.xml").read_bytes())
    assert not updates.bozo and updates.entries
    # every update is filed under the status of its item, and links to the item's address
    statuses = {(i.entry.slug, i.anchor): i.status for i in library.catalog.items}
    vocabulary = set(library.catalog.model.vocabulary(library.catalog.model.follow_up.vocabulary).terms)
    for update in updates.entries:
        page, _, anchor = update.link.partition("#")
        slug = page.rstrip("/").rsplit("/", 1)[-1]
        assert [t.term for t in update.tags] == [statuses[(slug, anchor)]], update.link
        assert update.tags[0].term in vocabulary
    assert {t.term for u in updates.entries for t in u.tags} >= {"under-way"}
    # the Open data page lists it with the other feeds, with the number of updates it holds
    opendata = built_site / "opendata/index.html"
    feeds = re.search(
        r'<section[^>]*class="[^"]*hub-feeds[^"]*".*?</section>', opendata.read_text("utf-8"), re.S
    )
    listed = [a["href"] for t, a in tags_of(feeds.group(0)) if t == "a"]
    assert any(resolve(built_site, opendata, h) == built_site / "follow-up.xml" for h in listed), listed
    count = re.search(r'follow-up\.xml"[^>]*>[^<]*</a> <span class="hub-count">(\d+)</span>', feeds.group(0))
    assert count and int(count.group(1)) == len(updates.entries)
    # the follow-up page names it in its head, as every page names the library's feed, and links it
    page = built_site / "follow-up/index.html"
    head = [a for t, a in tags_of(head_of(page)) if t == "link" and a.get("type") == "application/atom+xml"]
    assert [resolve(built_site, page, a["href"]) for a in head] == [
        built_site / "feed.xml",
        built_site / "follow-up.xml",
    ]
    assert "alternate" in head[1]["rel"].split() and "what came of it" in head[1]["title"]
    body = [a["href"] for t, a in tags(page) if t == "a" and a.get("type") == "application/atom+xml"]
    assert [resolve(built_site, page, h) for h in body] == [built_site / "follow-up.xml"]
    # other pages do not
    other = built_site / "items/index.html"
    assert "follow-up.xml" not in head_of(other)


@pytest.mark.browser
def test_newer_and_older_links_are_not_printed(page, site_url, tmp_path):
    from pypdf import PdfReader

    p = page.page
    p.goto(site_url + "events/mile-water-services-master-class-1/")
    if p.locator(".hub-neighbours").count() == 0:
        pytest.skip("entry pages have no newer/older links")
    out = tmp_path / "entry.pdf"
    p.pdf(path=str(out), format="A4")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(out)).pages).split()).lower()
    labels = [" ".join(t.split()).lower() for t in p.locator(".hub-neighbours span").all_inner_texts()]
    assert labels
    assert not [label for label in labels if label in text], "newer/older links are printed"
