"""Open data, feeds, calendars and citations, each read back with a parser that
knows nothing of the hub: jsonschema, csv, feedparser, icalendar, bibtexparser."""

from __future__ import annotations

import calendar
import csv
import json
from datetime import date, timedelta
from pathlib import Path

import bibtexparser
import feedparser
import jinja2
import pytest
from icalendar import Calendar
from jsonschema import Draft202012Validator, FormatChecker

from knowledgehub.library.load import load_library
from knowledgehub.model.project import Project
from knowledgehub.outputs import exports
from knowledgehub.site import citation, opendata, settings, urls
from knowledgehub.site.urls import src_to_url

SITE = "https://hub.example.org/water/"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def exported(library, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    exports.write_exports(library.catalog, out, SITE, directory_urls=True)
    return out


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def url_of(entry, anchor=""):
    return SITE + src_to_url(entry.src_uri) + (f"#{anchor}" if anchor else "")


def unformula(cell: str) -> str:
    """A cell as the entry wrote it (the apostrophe that disarms formulas removed)."""
    return cell[1:] if cell[:2] in ("'=", "'+", "'-", "'@", "'\t", "'\r") else cell


# -- catalog.json ------------------------------------------------------------------------


def test_catalog_json_validates_against_its_schema(exported, library):
    schema = json.loads((exported / "catalog.schema.json").read_text(encoding="utf-8"))
    doc = json.loads((exported / "catalog.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(doc)
    published = library.catalog.published
    assert doc["count"] == len(published) == len(doc["entries"])
    assert [(e["type"], e["id"]) for e in doc["entries"]] == [(e.type, e.slug) for e in published]
    assert doc["licence"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    for row, entry in zip(doc["entries"], published):
        assert row["url"] == url_of(entry)
        assert row["title"] == entry.title
        assert row["front_matter"] == entry.data


def test_catalog_json_resolves_references_to_titles_and_urls(exported, library):
    doc = json.loads((exported / "catalog.json").read_text(encoding="utf-8"))
    course = next(e for e in doc["entries"] if e["id"] == "mile-water-services-master-classes")
    by_field = {(r["field"], r["id"]): r for r in course["references"]}
    provider = by_field[("provider", "mile")]
    mile = library.catalog.get("organisation", "mile")
    assert provider["title"] == mile.title and provider["url"] == url_of(mile)
    event = by_field[("event", "mile-water-services-master-class-1")]
    assert (
        event["type"] == "event"
        and event["url"].startswith(SITE)
        and event["title"].startswith("Water Services Master Class #1")
    )
    # every reference of every entry resolves (the shipped library has no dangling ones)
    for entry in doc["entries"]:
        for ref in entry["references"]:
            target = library.catalog.get(ref["type"], ref["id"])
            assert target is not None and ref["title"] == target.title and ref["url"] == url_of(target), ref


def test_catalog_json_items_point_at_their_anchors(exported, library):
    doc = json.loads((exported / "catalog.json").read_text(encoding="utf-8"))
    items = [(i["id"], i["url"]) for e in doc["entries"] for i in e["items"]]
    assert items == [(item.id, url_of(item.entry, item.anchor)) for item in library.catalog.items]


def test_schema_rejects_what_the_model_forbids(exported):
    schema = json.loads((exported / "catalog.schema.json").read_text(encoding="utf-8"))
    doc = json.loads((exported / "catalog.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    event = next(e for e in doc["entries"] if e["type"] == "event")
    event["front_matter"]["themes"] = ["not-a-theme"]
    event["front_matter"]["colour"] = "blue"
    del doc["entries"][0]["url"]
    messages = " | ".join(e.message for e in validator.iter_errors(doc))
    assert "'not-a-theme' is not one of" in messages
    assert "'colour' was unexpected" in messages
    assert "'url' is a required property" in messages


# -- CSV ---------------------------------------------------------------------------------


def test_catalog_csv_matches_the_catalog_row_for_row(exported, library):
    rows = read_csv(exported / "catalog.csv")
    published = library.catalog.published
    assert len(rows) == len(published)
    for row, entry in zip(rows, published):
        assert (row["id"], row["type"], row["url"]) == (entry.slug, entry.type, url_of(entry))
        assert unformula(row["title"]) == entry.title
        assert unformula(row["summary"]) == entry.summary
        assert row["date"] == (entry.date or "")
        assert row["themes"].split("; ") == entry.themes
        assert int(row["items"]) == len(entry.items)


def test_items_csv_lists_every_item_with_its_anchor(exported, library):
    rows = read_csv(exported / "items.csv")
    items = library.catalog.items
    assert len(rows) == len(items) > 0
    for row, item in zip(rows, items):
        assert (row["entry_id"], row["item_id"], row["kind"]) == (item.entry.slug, item.id, item.kind)
        assert unformula(row["text"]) == item.text
        assert row["url"] == url_of(item.entry, item.anchor)


def test_indicators_csv_has_a_header_even_without_case_studies(exported):
    with open(exported / "indicators.csv", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == exports.INDICATOR_COLUMNS


HOSTILE_CASE = """---
title: "=HYPERLINK(\\"http://evil.example\\",\\"Click\\"), a title with, commas"
summary: |
  +SUM(A1:A9) starts this summary, which has "quotes", commas
  and a line break.
date: "2013-05"
place:
  city: "@Durban"
  country: ZA
countries: [ZA]
themes: [water-loss]
indicators:
  - name: "-Non-revenue water, all zones"
    unit: "%"
    baseline: 42.5
    baseline_year: 2010
    value: 28
    year: 2013
    better: lower
  - name: Burst pipes per month
    unit: bursts
    baseline: 120
    value: 75
    year: 2013
sources:
  - title: A report
---

## Context

Text.
"""

HOSTILE_WORKSHOP = """---
title: A workshop with awkward items
summary: Items whose text would run in a spreadsheet.
date: "2013-06-01"
themes: [water-loss]
items:
  - id: formula
    kind: recommendation
    text: "@cmd|' /C calc'!A0 is not a formula here"
  - id: tabbed
    kind: finding
    text: "\\tstarts with a tab, then \\"quotes\\", commas, and\\nline breaks"
sources:
  - title: Notes
---

## Background

Text.
"""


@pytest.fixture
def hostile(project_copy):
    (project_copy / "content/case-studies/hostile-case.md").write_text(HOSTILE_CASE, encoding="utf-8")
    (project_copy / "content/workshops/hostile-workshop.md").write_text(HOSTILE_WORKSHOP, encoding="utf-8")
    result = load_library(Project.find(config_file=project_copy / "mkdocs.yml"))
    assert result.ok, "\n".join(p.text() for p in result.problems)
    return result.catalog


def test_csv_quotes_awkward_text_and_disarms_formulas(hostile, tmp_path):
    exports.write_exports(hostile, tmp_path, SITE)
    raw = (tmp_path / "catalog.csv").read_text(encoding="utf-8-sig")
    rows = read_csv(tmp_path / "catalog.csv")
    entries = hostile.published
    assert len(rows) == len(entries)
    row = next(r for r in rows if r["id"] == "hostile-case")
    assert row["title"] == "'" + hostile.get("case-study", "hostile-case").title
    assert (
        row["summary"].startswith("'+SUM(A1:A9)") and "\n" in row["summary"] and '"quotes"' in row["summary"]
    )
    # no cell of any file starts like a formula
    for name in ("catalog.csv", "items.csv", "indicators.csv"):
        for record in read_csv(tmp_path / name):
            for value in record.values():
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, value)
    assert '"\'=HYPERLINK(""http://evil.example"",""Click""), a title with, commas"' in raw

    items = {r["item_id"]: r for r in read_csv(tmp_path / "items.csv")}
    assert items["formula"]["text"] == "'@cmd|' /C calc'!A0 is not a formula here"
    assert items["tabbed"]["text"] == '\'\tstarts with a tab, then "quotes", commas, and\nline breaks'

    indicators = read_csv(tmp_path / "indicators.csv")
    assert [(r["indicator"], r["measure"], r["year"], r["value"]) for r in indicators] == [
        ("'-Non-revenue water, all zones", "baseline", "2010", "42.5"),
        ("'-Non-revenue water, all zones", "result", "2013", "28"),
        ("Burst pipes per month", "baseline", "", "120"),
        ("Burst pipes per month", "result", "2013", "75"),
    ]
    assert {r["entry_id"] for r in indicators} == {"hostile-case"}
    assert indicators[0]["place"] == "'@Durban; South Africa"
    assert indicators[0]["url"] == SITE + "case-studies/hostile-case/"


def test_safe_cell():
    assert exports.safe_cell("=1+1") == "'=1+1"
    assert exports.safe_cell("-x") == "'-x"
    assert exports.safe_cell("\rx") == "'\rx"
    assert exports.safe_cell("a=b") == "a=b"
    assert exports.safe_cell(-5) == -5  # numbers are numbers, not formulas
    assert exports.safe_cell(None) == ""


# -- feeds -------------------------------------------------------------------------------


def newest(catalog, theme=None):
    """Dated, published entries other than organisations, newest first (as the home page lists them)."""
    chosen = [
        e
        for e in catalog.published
        if e.date and e.type != "organisation" and (theme is None or theme in e.themes)
    ]
    return chosen[: urls.FEED_LIMIT]


def test_feed_lists_the_newest_entries(exported, library):
    feed = feedparser.parse((exported / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    expected = newest(library.catalog)
    assert [e.link for e in feed.entries] == [url_of(e) for e in expected]
    assert [e.title for e in feed.entries] == [e.title for e in expected]
    first = feed.entries[0]
    assert first.id == url_of(expected[0])
    assert first.published_parsed[:3] == tuple(int(p) for p in (expected[0].date + "-01-01").split("-")[:3])
    assert {t.term for t in first.tags} == set(expected[0].themes)
    assert feed.feed.link == SITE
    assert any(link.rel == "self" and link.href == SITE + "feed.xml" for link in feed.feed.links)


def test_theme_feeds_list_only_their_theme(exported, library):
    for theme in library.catalog.model.vocabulary("themes").terms:
        feed = feedparser.parse((exported / f"feeds/{theme}.xml").read_bytes())
        assert not feed.bozo, theme
        assert [e.link for e in feed.entries] == [url_of(e) for e in newest(library.catalog, theme)], theme
    assert feedparser.parse((exported / "feeds/water-loss.xml").read_bytes()).entries


def test_head_links_advertise_the_feeds(library):
    links = urls.head_links(
        library.catalog,
        "events/mile-water-services-master-class-1.md",
        "events/mile-water-services-master-class-1/",
    )
    assert [link["href"] for link in links] == ["../../feed.xml"]
    links = urls.head_links(library.catalog, "themes/water-loss.md", "themes/water-loss/")
    assert [link["href"] for link in links] == ["../../feed.xml", "../../feeds/water-loss.xml"]
    assert all(link["type"] == "application/atom+xml" for link in links)


# -- calendar ----------------------------------------------------------------------------


def day_span(start: str, end: str | None) -> tuple[date, date]:
    """All-day span of a front-matter date range: (first day, day after the last).
    A month-only date covers the month, a year-only date the year."""

    def bounds(value):
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            d = date(*parts)
            return d, d + timedelta(days=1)
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            return first, first + timedelta(days=calendar.monthrange(*parts)[1])
        return date(parts[0], 1, 1), date(parts[0] + 1, 1, 1)

    return bounds(start)[0], bounds(end or start)[1]


def expected_happenings(catalog, entries=None) -> set:
    found = set()
    for entry in entries or catalog.published:
        data = entry.data
        if entry.type == "event":
            found.add((url_of(entry), *day_span(data["start"], data.get("end"))))
        if entry.type in ("event", "course"):
            for session in data.get("sessions") or []:
                found.add((url_of(entry), *day_span(session["start"], session.get("end"))))
    return found


def happenings(ics: bytes) -> list[tuple]:
    cal = Calendar.from_ical(ics)
    return [(str(ev["URL"]), ev.decoded("DTSTART"), ev.decoded("DTEND")) for ev in cal.walk("VEVENT")]


def test_calendar_holds_every_event_and_course_session(exported, library):
    got = happenings((exported / "calendar.ics").read_bytes())
    assert len(got) == len(set(got)), "no happening is listed twice"
    assert set(got) == expected_happenings(library.catalog)
    durban = (SITE + "events/mile-water-services-master-class-1/", date(2012, 2, 14), date(2012, 2, 16))
    assert durban in got
    # a session dated "2022-06" is an all-day event for the whole of June 2022
    iwsd = SITE + "courses/iwsd-community-engagement-customer-care/"
    assert (iwsd, date(2022, 6, 1), date(2022, 7, 1)) in got


def test_calendar_events_have_places_links_and_stable_ids(exported):
    cal = Calendar.from_ical((exported / "calendar.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    uids = [str(ev["UID"]) for ev in events]
    assert len(uids) == len(set(uids))
    by_place = {
        str(ev.get("LOCATION")): ev
        for ev in events
        if ev["URL"].endswith("events/mile-water-services-master-class-1/")
    }
    assert set(by_place) == {
        "Botanical Gardens, Durban, South Africa",
        "Johannesburg, South Africa",
        "Cape Town, South Africa",
    }
    assert "Johannesburg" in str(by_place["Johannesburg, South Africa"]["SUMMARY"])
    june = next(ev for ev in events if "iwsd" in ev["URL"])
    assert str(june["TRANSP"]) == "TRANSPARENT" and "month only" in str(june["DESCRIPTION"])
    assert str(june["LOCATION"]) == "Zimbabwe"


def test_each_event_and_course_has_its_own_calendar(exported, library):
    for entry in library.catalog.published:
        path = urls.entry_calendar_path(entry)
        if entry.type not in ("event", "course") or not expected_happenings(library.catalog, [entry]):
            assert path is None, entry.slug
            continue
        assert path == f"ics/{entry.ctype.folder}/{entry.slug}.ics"
        assert set(happenings((exported / path).read_bytes())) == expected_happenings(
            library.catalog, [entry]
        )


# -- citations ---------------------------------------------------------------------------


def test_every_entry_has_a_bibtex_record_that_parses(library):
    for entry in library.catalog.published:
        cite = citation.for_entry(entry, SITE)
        parsed = bibtexparser.parse_string(cite.bibtex)
        assert not parsed.failed_blocks, (entry.slug, cite.bibtex)
        assert len(parsed.entries) == 1
        record = parsed.entries[0]
        assert record.entry_type == "misc" and record.key == f"{entry.type}:{entry.slug}"
        assert record.fields_dict["url"].value == url_of(entry) == cite.url
        assert (
            record.fields_dict["year"].value == entry.year if entry.year else "year" not in record.fields_dict
        )
        assert cite.url in cite.text and " ".join(entry.title.split()) in cite.text


def test_bibtex_escapes_tex_specials():
    event_title = "Water Services Master Class #1: Blue Drop, Green Drop and Water Loss Management"
    assert citation.tex_escape(event_title) == event_title.replace("#", r"\#")
    assert citation.tex_escape("50% & {braces}_x") == r"50\% \& \{braces\}\_x"


def test_citation_of_an_event(library):
    entry = library.catalog.get("event", "mile-water-services-master-class-1")
    cite = citation.for_entry(entry, "https://hub.example.org/water", directory_urls=False)
    assert cite.url == "https://hub.example.org/water/events/mile-water-services-master-class-1.html"
    assert cite.text == (
        "Water Services Knowledge Hub (2012). "
        "Water Services Master Class #1: Blue Drop, Green Drop and Water Loss Management. "
        "Event. https://hub.example.org/water/events/mile-water-services-master-class-1.html"
    )
    record = bibtexparser.parse_string(cite.bibtex).entries[0]
    assert (
        record.fields_dict["title"].value
        == r"{Water Services Master Class \#1: Blue Drop, Green Drop and Water Loss Management}"
    )
    undated = library.catalog.get("programme", "project-consolidate")
    assert "(n.d.)" in citation.for_entry(undated, SITE).text


# -- licence and the Open data page -----------------------------------------------------------


def test_licence_from_mkdocs_extra():
    assert settings.licence_from_extra({}) == settings.DEFAULT_LICENCE
    assert settings.licence_from_extra(None).name == "CC BY 4.0"
    assert (
        settings.licence_from_extra({"hub": {"licence": "CC BY-SA 4.0"}}).url
        == "https://creativecommons.org/licenses/by-sa/4.0/"
    )
    custom = settings.licence_from_extra(
        {"hub": {"licence": {"name": "Our own", "url": "https://example.org/l"}}}
    )
    assert (custom.name, custom.url) == ("Our own", "https://example.org/l")


def test_opendata_page_links_every_file_and_states_the_licence(exported, library):
    here = "opendata/"
    ctx = opendata.opendata_context(
        library.catalog,
        here,
        settings.Licence("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(ROOT / "overrides/hub")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    html = env.get_template("opendata.html").render(page={"title": "Open data"}, **ctx)
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license">CC BY-SA 4.0</a>' in html
    for name in (
        "catalog.json",
        "catalog.schema.json",
        "catalog.csv",
        "items.csv",
        "indicators.csv",
        "calendar.ics",
        "feed.xml",
        "feeds/water-loss.xml",
    ):
        assert f'href="../{name}"' in html, name
        assert (exported / name).is_file(), name
    rows = {d["name"]: d["rows"] for d in ctx["datasets"]}
    assert rows["catalog.csv"] == len(library.catalog.published)
    assert rows["items.csv"] == len(library.catalog.items)


@pytest.mark.parametrize(
    "text", [" =1+1", "\n=cmd|' /C calc'!A0", "  \t@SUM(A1)", "\r\n+1", "   -2+3", "\t=x", "=x", "@x"]
)
def test_a_formula_after_leading_blanks_is_disarmed(text):
    from knowledgehub.outputs.opendata import safe_cell

    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [" plain text", "\nline", "a = b", 42, -3.5])
def test_cells_that_are_no_formula_stay_as_written(value):
    from knowledgehub.outputs.opendata import safe_cell

    assert safe_cell(value) == value
