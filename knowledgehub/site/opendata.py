"""What the Open data page shows: the licence, every file with what it holds, the feeds
(the newest entries, each theme's, and the follow-up updates)."""

from __future__ import annotations

from knowledgehub.library.catalog import Catalog, indicators_of
from knowledgehub.library.happenings import happenings
from knowledgehub.site.settings import DEFAULT_LICENCE, Licence
from knowledgehub.site.urls import (
    CALENDAR,
    CATALOG_CSV,
    CATALOG_JSON,
    CATALOG_SCHEMA,
    DEFAULT_SITE_NAME,
    FEED,
    FEED_LIMIT,
    FOLLOW_UP_FEED,
    INDICATORS_CSV,
    ITEMS_CSV,
    feed_entries,
    relative_url,
    theme_feed_path,
)


def follow_up_updates(catalog: Catalog) -> int:
    """How many updates the follow-up feed has to list: every follow-up record and every
    dated entry responding to an item."""
    return sum(len(i.follow_ups) + sum(1 for other in i.responses if other.date) for i in catalog.items)


def opendata_context(
    catalog: Catalog, here: str, licence: Licence | None = None, site_name: str = DEFAULT_SITE_NAME
) -> dict:
    """What overrides/hub/opendata.html shows: the licence, every file (linked
    relative to ``here``) with what it holds, and the feeds."""
    licence = licence or DEFAULT_LICENCE
    link = lambda path: relative_url(path, here)  # noqa: E731
    published = catalog.published
    items = sum(len(e.items) for e in published)
    indicators = sum(len(indicators_of(e)) for e in published)
    sessions = sum(len(happenings(e)) for e in published)
    themes = catalog.model.vocabulary("themes").terms.values()
    dated = feed_entries(catalog)
    return {
        "licence": licence.as_dict(),
        "site_name": site_name,
        "datasets": [
            {
                "name": CATALOG_JSON,
                "url": link(CATALOG_JSON),
                "format": "JSON",
                "rows": len(published),
                "description": (
                    "Every published entry: its front matter as written, the titles and addresses of the "
                    "entries it refers to, its items and its address."
                ),
            },
            {
                "name": CATALOG_SCHEMA,
                "url": link(CATALOG_SCHEMA),
                "format": "JSON Schema",
                "rows": None,
                "description": "The structure of catalog.json, for checking it or generating code from it.",
            },
            {
                "name": CATALOG_CSV,
                "url": link(CATALOG_CSV),
                "format": "CSV",
                "rows": len(published),
                "description": (
                    "One row per entry, for spreadsheets: id, type, title, summary, date, countries, "
                    "regions, themes, challenges, organisations, references, number of items, sources "
                    "and address."
                ),
            },
            {
                "name": ITEMS_CSV,
                "url": link(ITEMS_CSV),
                "format": "CSV",
                "rows": items,
                "description": (
                    "Every recommendation, commitment, finding and other item, with its entry and the "
                    "address of its anchor."
                ),
            },
            {
                "name": INDICATORS_CSV,
                "url": link(INDICATORS_CSV),
                "format": "CSV",
                "rows": indicators * 2,
                "description": (
                    "Every case-study indicator, one row per value: the baseline and the result are two rows."
                ),
            },
            {
                "name": CALENDAR,
                "url": link(CALENDAR),
                "format": "iCalendar",
                "rows": sessions,
                "description": (
                    "Every event and course session, with places and links; subscribe to it or import it "
                    "into a calendar."
                ),
            },
        ],
        "feeds": [{"label": "Newest entries", "url": link(FEED), "count": min(len(dated), FEED_LIMIT)}]
        + [
            {
                "label": term.label,
                "url": link(theme_feed_path(term.id)),
                "count": min(len([e for e in dated if term.id in e.themes]), FEED_LIMIT),
            }
            for term in themes
        ]
        + [
            {
                "label": "What came of it: follow-up on recommendations and commitments",
                "url": link(FOLLOW_UP_FEED),
                "count": min(follow_up_updates(catalog), FEED_LIMIT),
                "description": (
                    "Each record of what was done about an item, and each entry that acted on one, "
                    "newest first, linking to the item; its status is the item's category."
                ),
            }
        ],
        "csv_note": (
            "CSV files are UTF-8 (with a byte-order mark, so that spreadsheet programs read accented "
            'letters correctly) with CRLF line ends; lists within a cell are separated by "; "; a text '
            "cell that would start with = + - or @ begins with an apostrophe so that spreadsheets do not "
            "run it as a formula."
        ),
        "dates_note": (
            "Dates are YYYY-MM-DD, or YYYY-MM / YYYY when the source gives no day. In the calendar such "
            "an event covers the whole month (or year) and is marked as free time."
        ),
    }
