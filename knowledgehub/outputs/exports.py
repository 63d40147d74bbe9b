"""Taking the library away: open data files, Atom feeds and calendars.

``write_exports`` (the entry point, kept here) writes, into a finished site folder, what
outputs/opendata.py (catalog and CSV files), outputs/feeds.py (Atom) and outputs/ical.py
(iCalendar) make, in the context of outputs/export_context.py:

catalog.json           every published entry: front matter as written, resolved
                       references (title and URL of each entry referred to), items
                       and the entry's URL; described by catalog.schema.json
catalog.schema.json    the JSON Schema of catalog.json (draft 2020-12); each entry's
                       front matter is checked by its content type's own schema
catalog.csv            one row per published entry
items.csv              one row per recommendation, commitment, finding... with the
                       URL of its anchor
indicators.csv         one row per value of every case-study indicator (a baseline
                       and a result are two rows)
feed.xml               Atom feed of the newest entries
feeds/<theme>.xml      the same, one per theme of the taxonomy
follow-up.xml          Atom feed of follow-up updates: what came of the items
calendar.ics           every event and course session (iCalendar)
ics/<folder>/<id>.ics        one calendar per dated event or course ("add to calendar")

Dates: entries may be dated to the day, the month or the year. In feeds a partial
date stands for its first day. In calendars a partial date is an all-day event
covering the whole month (or year) it names, marked as free time (TRANSP:
TRANSPARENT) and described as "date given to the month only", so that nobody
takes the first of the month for the real day.

CSV files are UTF-8 with a byte-order mark (so that spreadsheet programs detect
the encoding) and CRLF line ends, written by the csv module (which quotes commas,
quotes and line breaks). Text cells that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) get a leading apostrophe.
Lists inside a cell are joined with "; ".
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from knowledgehub.library.catalog import Catalog
from knowledgehub.library.happenings import happenings
from knowledgehub.outputs.export_context import ExportContext, build_time, date_bounds, write
from knowledgehub.outputs.feeds import FOLLOW_UP_FEED, atom_feed, follow_up_feed, follow_up_updates
from knowledgehub.outputs.ical import icalendar_bytes
from knowledgehub.outputs.opendata import (
    CATALOG_COLUMNS,
    INDICATOR_COLUMNS,
    ITEM_COLUMNS,
    SCHEMA_VERSION,
    catalog_document,
    catalog_rows,
    catalog_schema,
    csv_text,
    indicator_rows,
    item_rows,
    references,
    safe_cell,
)
from knowledgehub.site.settings import DEFAULT_LICENCE, Licence
from knowledgehub.site.urls import (
    CALENDAR,
    CATALOG_CSV,
    CATALOG_JSON,
    CATALOG_SCHEMA,
    DEFAULT_SITE_NAME,
    FEED,
    FEED_LIMIT,
    INDICATORS_CSV,
    ITEMS_CSV,
    entry_calendar_path,
    feed_entries,
    has_calendar,
    theme_feed_path,
)

# The names this module has always offered, now written by the modules above.
__all__ = [
    "CATALOG_COLUMNS",
    "INDICATOR_COLUMNS",
    "ITEM_COLUMNS",
    "SCHEMA_VERSION",
    "ExportContext",
    "atom_feed",
    "build_time",
    "catalog_document",
    "catalog_rows",
    "catalog_schema",
    "csv_text",
    "date_bounds",
    "icalendar_bytes",
    "indicator_rows",
    "item_rows",
    "references",
    "safe_cell",
    "write_exports",
]


def write_exports(
    catalog: Catalog,
    site_dir: Path | str,
    site_url: str | None,
    directory_urls: bool = True,
    licence: Licence | None = None,
    site_name: str = DEFAULT_SITE_NAME,
    now: datetime | None = None,
) -> dict[str, int]:
    """Write every open-data file, feed and calendar into ``site_dir``. Returns a count per file."""
    site_dir = Path(site_dir)
    licence = licence or DEFAULT_LICENCE
    site_name = site_name or DEFAULT_SITE_NAME
    now = now or build_time()
    ctx = ExportContext(catalog, site_url, directory_urls, licence, site_name, now)
    counts: dict[str, int] = {}

    doc = catalog_document(ctx)
    write(site_dir / CATALOG_JSON, json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
    write(
        site_dir / CATALOG_SCHEMA,
        json.dumps(catalog_schema(catalog, site_url), ensure_ascii=False, indent=1) + "\n",
    )
    counts[CATALOG_JSON] = len(doc["entries"])

    for name, columns, rows in (
        (CATALOG_CSV, CATALOG_COLUMNS, catalog_rows(ctx)),
        (ITEMS_CSV, ITEM_COLUMNS, item_rows(ctx)),
        (INDICATORS_CSV, INDICATOR_COLUMNS, indicator_rows(ctx)),
    ):
        write(site_dir / name, csv_text(columns, rows), encoding="utf-8-sig")
        counts[name] = len(rows)

    dated = feed_entries(catalog)
    write(site_dir / FEED, atom_feed(ctx, dated[:FEED_LIMIT], FEED, f"{site_name}: newest entries"))
    counts[FEED] = len(dated[:FEED_LIMIT])
    for term in catalog.model.vocabulary("themes").terms.values():
        chosen = [e for e in dated if term.id in e.themes][:FEED_LIMIT]
        write(
            site_dir / theme_feed_path(term.id),
            atom_feed(ctx, chosen, theme_feed_path(term.id), f"{site_name}: {term.label}"),
        )
    counts["feeds"] = len(catalog.model.vocabulary("themes").terms)
    write(site_dir / FOLLOW_UP_FEED, follow_up_feed(ctx, FEED_LIMIT))
    counts[FOLLOW_UP_FEED] = min(len(follow_up_updates(ctx)), FEED_LIMIT)

    entries = [e for e in catalog.published if has_calendar(e)]
    write(site_dir / CALENDAR, icalendar_bytes(ctx, entries, f"{site_name}: events and courses"))
    counts[CALENDAR] = sum(len(happenings(e)) for e in entries)
    for entry in entries:
        write(site_dir / entry_calendar_path(entry), icalendar_bytes(ctx, [entry], entry.title))
    return counts
