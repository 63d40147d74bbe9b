"""Taking the library away: open data files, Atom feeds and calendars.

``write_exports`` writes, into a finished site folder:

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

import calendar as _calendar
import csv
import io
import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from knowledgehub.library.catalog import Catalog, CatalogEntry
from knowledgehub.library.happenings import happenings
from knowledgehub.site.formatting import date_range, human_date
from knowledgehub.site.output import write_file
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
    absolute_url,
    entry_calendar_path,
    entry_path,
    feed_entries,
    has_calendar,
    theme_feed_path,
)

SCHEMA_VERSION = 1

CATALOG_COLUMNS = [
    "id",
    "type",
    "type_label",
    "title",
    "summary",
    "date",
    "year",
    "countries",
    "regions",
    "themes",
    "challenges",
    "organisations",
    "references",
    "items",
    "sources",
    "url",
]
ITEM_COLUMNS = [
    "entry_id",
    "entry_type",
    "entry_title",
    "entry_date",
    "number",
    "item_id",
    "kind",
    "kind_label",
    "text",
    "themes",
    "challenges",
    "actors",
    "url",
]
INDICATOR_COLUMNS = [
    "entry_id",
    "entry_title",
    "entry_date",
    "place",
    "countries",
    "indicator",
    "unit",
    "better",
    "measure",
    "year",
    "value",
    "url",
]

# Cells starting with these are run as formulas by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# -- settings ---------------------------------------------------------------------------


# -- paths ------------------------------------------------------------------------------


# -- writing ----------------------------------------------------------------------------


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
    ctx = _Context(catalog, site_url, directory_urls, licence, site_name, now)
    counts: dict[str, int] = {}

    doc = catalog_document(ctx)
    _write(site_dir / CATALOG_JSON, json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
    _write(
        site_dir / CATALOG_SCHEMA,
        json.dumps(catalog_schema(catalog, site_url), ensure_ascii=False, indent=1) + "\n",
    )
    counts[CATALOG_JSON] = len(doc["entries"])

    for name, columns, rows in (
        (CATALOG_CSV, CATALOG_COLUMNS, catalog_rows(ctx)),
        (ITEMS_CSV, ITEM_COLUMNS, item_rows(ctx)),
        (INDICATORS_CSV, INDICATOR_COLUMNS, indicator_rows(ctx)),
    ):
        _write(site_dir / name, csv_text(columns, rows), encoding="utf-8-sig")
        counts[name] = len(rows)

    dated = feed_entries(catalog)
    _write(site_dir / FEED, atom_feed(ctx, dated[:FEED_LIMIT], FEED, f"{site_name}: newest entries"))
    counts[FEED] = len(dated[:FEED_LIMIT])
    for term in catalog.model.vocabulary("themes").terms.values():
        chosen = [e for e in dated if term.id in e.themes][:FEED_LIMIT]
        _write(
            site_dir / theme_feed_path(term.id),
            atom_feed(ctx, chosen, theme_feed_path(term.id), f"{site_name}: {term.label}"),
        )
    counts["feeds"] = len(catalog.model.vocabulary("themes").terms)

    entries = [e for e in catalog.published if has_calendar(e)]
    _write(site_dir / CALENDAR, icalendar_bytes(ctx, entries, f"{site_name}: events and courses"))
    counts[CALENDAR] = sum(len(happenings(e)) for e in entries)
    for entry in entries:
        _write(site_dir / entry_calendar_path(entry), icalendar_bytes(ctx, [entry], entry.title))
    return counts


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _write(path: Path, content: str | bytes, encoding: str = "utf-8") -> None:
    write_file(path, content, encoding)


@dataclass
class _Context:
    catalog: Catalog
    site_url: str | None
    directory_urls: bool
    licence: Licence
    site_name: str
    now: datetime

    def url(self, entry: CatalogEntry, anchor: str = "") -> str:
        return absolute_url(self.site_url, entry_path(entry, self.directory_urls)) + (
            f"#{anchor}" if anchor else ""
        )

    def published(self, type_name: str, slug: str) -> CatalogEntry | None:
        target = self.catalog.get(type_name, slug)
        return target if target is not None and not target.draft else None


# -- catalog.json -----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Front-matter values as JSON can hold them (dates are already text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def references(ctx: _Context, entry: CatalogEntry) -> list[dict]:
    """Every entry this one refers to, once per (field, type, id), with its title and URL."""
    out, seen = [], set()
    for fname, rtype, rid in entry.refs:
        if (fname, rtype, rid) in seen:
            continue
        seen.add((fname, rtype, rid))
        target = ctx.published(rtype, rid)
        out.append(
            {
                "field": fname,
                "type": target.type if target else rtype,
                "id": rid,
                "title": target.title if target else None,
                "url": ctx.url(target) if target else None,
            }
        )
    return out


def _basics(entry) -> dict:
    """The fields every export starts an entry with."""
    return {
        "id": entry.slug,
        "type": entry.type,
        "type_label": entry.ctype.label,
        "title": entry.title,
        "summary": entry.summary,
        "date": entry.date,
    }


def catalog_document(ctx: _Context) -> dict:
    model = ctx.catalog.model
    entries = []
    for entry in ctx.catalog.published:
        entries.append(
            {
                **_basics(entry),
                "url": ctx.url(entry),
                "countries": entry.countries,
                "regions": entry.regions,
                "themes": entry.themes,
                "challenges": entry.challenges,
                "organisations": entry.organisations,
                "front_matter": _plain(entry.data),
                "references": references(ctx, entry),
                "items": [
                    {
                        "id": item.id,
                        "number": item.number,
                        "kind": item.kind,
                        "text": item.text,
                        "url": ctx.url(entry, item.anchor),
                    }
                    for item in entry.items
                ],
            }
        )
    return {
        "version": SCHEMA_VERSION,
        "title": ctx.site_name,
        "site_url": ctx.site_url,
        "licence": ctx.licence.as_dict(),
        "generated": ctx.now.isoformat(),
        "vocabularies": {
            name: {tid: term.label for tid, term in vocab.terms.items()}
            for name, vocab in model.vocabularies.items()
        },
        "count": len(entries),
        "entries": entries,
    }


def catalog_schema(catalog: Catalog, site_url: str | None = None) -> dict:
    """JSON Schema of catalog.json. The front matter of each entry is checked against
    its own type's schema, generated from the content model like ``hub check``'s."""
    from knowledgehub.model.schema import DIALECT, type_schema

    model = catalog.model
    defs: dict[str, Any] = {}
    type_rules = []
    for name, ctype in model.types.items():
        schema = type_schema(ctype, model)
        schema.pop("$schema", None)
        defs[f"front-matter-{name}"] = schema
        type_rules.append(
            {
                "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                "then": {"properties": {"front_matter": {"$ref": f"#/$defs/front-matter-{name}"}}},
            }
        )
    strings = {"type": "array", "items": {"type": "string"}}
    nullable_url = {"type": ["string", "null"]}
    defs["reference"] = {
        "type": "object",
        "description": "An entry this one refers to; title and url are null when it is not published.",
        "required": ["field", "type", "id", "title", "url"],
        "additionalProperties": False,
        "properties": {
            "field": {"type": "string", "description": "Front-matter field holding the reference"},
            "type": {"type": "string"},
            "id": {"type": "string"},
            "title": {"type": ["string", "null"]},
            "url": nullable_url,
        },
    }
    defs["item"] = {
        "type": "object",
        "required": ["id", "number", "kind", "text", "url"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "number": {"type": "integer", "minimum": 1},
            "kind": {"type": "string", "enum": list(model.vocabulary("item_kinds").terms)},
            "text": {"type": "string"},
            "url": {"type": "string", "description": "The entry's URL with the item's anchor"},
        },
    }
    defs["entry"] = {
        "type": "object",
        "required": [
            "id",
            "type",
            "type_label",
            "title",
            "summary",
            "date",
            "url",
            "countries",
            "regions",
            "themes",
            "challenges",
            "organisations",
            "front_matter",
            "references",
            "items",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "description": "The entry's file name: unique within its type"},
            "type": {"type": "string", "enum": list(model.types)},
            "type_label": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "date": {
                "type": ["string", "null"],
                "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                "description": "The date the entry is about (YYYY-MM-DD, YYYY-MM or YYYY)",
            },
            "url": {"type": "string"},
            "countries": strings,
            "regions": strings,
            "themes": strings,
            "challenges": strings,
            "organisations": {**strings, "description": "Ids of the organisations involved"},
            "front_matter": {"type": "object", "description": "The entry's front matter as written"},
            "references": {"type": "array", "items": {"$ref": "#/$defs/reference"}},
            "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        },
        "allOf": type_rules,
    }
    schema = {
        "$schema": DIALECT,
        "title": "Catalog of the Water Services Knowledge Hub",
        "description": "Every published entry of the library, as written in catalog.json.",
        "type": "object",
        "required": ["version", "title", "licence", "generated", "count", "entries"],
        "additionalProperties": False,
        "properties": {
            "version": {"const": SCHEMA_VERSION},
            "title": {"type": "string"},
            "site_url": {"type": ["string", "null"]},
            "licence": {
                "type": "object",
                "required": ["name", "url"],
                "additionalProperties": False,
                "properties": {"name": {"type": "string", "minLength": 1}, "url": {"type": "string"}},
            },
            "generated": {"type": "string", "format": "date-time"},
            "vocabularies": {
                "type": "object",
                "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "count": {"type": "integer", "minimum": 0},
            "entries": {"type": "array", "items": {"$ref": "#/$defs/entry"}},
        },
        "$defs": defs,
    }
    if site_url:
        schema["$id"] = absolute_url(site_url, CATALOG_SCHEMA)
    return schema


# -- CSV --------------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet will show and not execute. Text starting like a
    formula gets a leading apostrophe; numbers are left as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_text(columns: list[str], rows: Iterable[dict]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: safe_cell(row.get(name)) for name in columns})
    return buffer.getvalue()


def _join(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def catalog_rows(ctx: _Context) -> list[dict]:
    rows = []
    for entry in ctx.catalog.published:
        refs = references(ctx, entry)
        rows.append(
            {
                **_basics(entry),
                "year": entry.year,
                "countries": _join(entry.countries),
                "regions": _join(entry.regions),
                "themes": _join(entry.themes),
                "challenges": _join(entry.challenges),
                "organisations": _join(entry.organisations),
                "references": _join(dict.fromkeys(f"{r['type']}:{r['id']}" for r in refs)),
                "items": len(entry.items),
                "sources": _join(
                    s.get("title") for s in entry.data.get("sources") or [] if isinstance(s, dict)
                ),
                "url": ctx.url(entry),
            }
        )
    return rows


def item_rows(ctx: _Context) -> list[dict]:
    kinds = ctx.catalog.model.vocabulary("item_kinds")
    rows = []
    for entry in ctx.catalog.published:
        for item in entry.items:
            rows.append(
                {
                    "entry_id": entry.slug,
                    "entry_type": entry.type,
                    "entry_title": entry.title,
                    "entry_date": entry.date,
                    "number": item.number,
                    "item_id": item.id,
                    "kind": item.kind,
                    "kind_label": kinds.label(item.kind),
                    "text": item.text,
                    "themes": _join(item.themes),
                    "challenges": _join(item.challenges),
                    "actors": _join(item.actors),
                    "url": ctx.url(entry, item.anchor),
                }
            )
    return rows


def indicator_rows(ctx: _Context) -> list[dict]:
    model = ctx.catalog.model
    rows = []
    for entry in ctx.catalog.published:
        place = entry.data.get("place") if isinstance(entry.data.get("place"), dict) else {}
        where = _join(
            [
                place.get("utility"),
                place.get("city"),
                place.get("province"),
                model.country_name(place["country"]) if place.get("country") else None,
            ]
        )
        for indicator in entry.data.get("indicators") or []:
            if not isinstance(indicator, dict):
                continue
            common = {
                "entry_id": entry.slug,
                "entry_title": entry.title,
                "entry_date": entry.date,
                "place": where,
                "countries": _join(entry.countries),
                "indicator": indicator.get("name"),
                "unit": indicator.get("unit"),
                "better": indicator.get("better"),
                "url": ctx.url(entry),
            }
            rows.append(
                {
                    **common,
                    "measure": "baseline",
                    "year": indicator.get("baseline_year"),
                    "value": indicator.get("baseline"),
                }
            )
            rows.append(
                {
                    **common,
                    "measure": "result",
                    "year": indicator.get("year"),
                    "value": indicator.get("value"),
                }
            )
    return rows


# -- Atom -------------------------------------------------------------------------------


def date_bounds(value: str) -> tuple[date, date, str]:
    """A YYYY-MM-DD / YYYY-MM / YYYY date → (first day, day after the last day, precision)."""
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day + timedelta(days=1), "day"
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        last = _calendar.monthrange(parts[0], parts[1])[1]
        return first, first + timedelta(days=last), "month"
    return date(parts[0], 1, 1), date(parts[0] + 1, 1, 1), "year"


def _timestamp(value: str) -> datetime:
    first, _, _ = date_bounds(value)
    return datetime(first.year, first.month, first.day, tzinfo=UTC)


def atom_feed(ctx: _Context, entries: list[CatalogEntry], path: str, title: str) -> bytes:
    from feedgen.feed import FeedGenerator

    model = ctx.catalog.model
    feed_url = absolute_url(ctx.site_url, path)
    home = absolute_url(ctx.site_url, "") or "./"
    fg = FeedGenerator()
    fg.id(feed_url if ctx.site_url else f"tag:water-services-knowledge-hub,2024:{path}")
    fg.title(title)
    fg.subtitle(
        f"New entries in the {ctx.site_name}: case studies, workshop outcomes, declarations, courses and events."
    )
    fg.author({"name": ctx.site_name})
    fg.link(href=feed_url, rel="self", type="application/atom+xml")
    fg.link(href=home, rel="alternate", type="text/html")
    fg.language("en")
    fg.rights(f"{ctx.licence.name} {ctx.licence.url}".strip())
    fg.generator(ctx.site_name)
    fg.updated(max((_timestamp(e.date) for e in entries), default=_timestamp("2000")))
    for entry in entries:
        fe = fg.add_entry(order="append")
        url = ctx.url(entry)
        fe.id(url if ctx.site_url else f"tag:water-services-knowledge-hub,2024:{entry.type}/{entry.slug}")
        fe.title(entry.title)
        fe.link(href=url, rel="alternate", type="text/html")
        when = _timestamp(entry.date)
        fe.published(when)
        fe.updated(when)
        fe.summary(f"{entry.ctype.label}, {human_date(entry.date)}. {entry.summary}")
        for theme in entry.themes:
            fe.category(
                term=theme,
                label=model.term_label("themes", theme),
                scheme=absolute_url(ctx.site_url, "themes/"),
            )
    return fg.atom_str(pretty=True)


# -- iCalendar --------------------------------------------------------------------------


def icalendar_bytes(ctx: _Context, entries: list[CatalogEntry], name: str) -> bytes:
    """One VCALENDAR with a VEVENT per happening of ``entries``; dates are all-day
    (DTEND is the day after the last day, as iCalendar wants)."""
    from icalendar import Calendar, Event

    model = ctx.catalog.model
    domain = (urlsplit(ctx.site_url).hostname if ctx.site_url else None) or "water-services-knowledge-hub"
    cal = Calendar()
    cal.add("prodid", f"-//{ctx.site_name}//hub//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for entry in entries:
        url = ctx.url(entry)
        runs = happenings(entry)
        for happening in runs:
            start, _, precision = date_bounds(happening.start)
            _, end, end_precision = date_bounds(happening.end or happening.start)
            end = max(end, start + timedelta(days=1))
            event = Event()
            event.add("uid", f"{happening.uid}@{domain}")
            event.add("dtstamp", ctx.now)
            event.add("dtstart", start)
            event.add("dtend", end)
            # several runs of one entry are told apart by their town
            title = happening.title
            if len(runs) > 1 and happening.city:
                title += f" ({happening.city})"
            event.add("summary", title)
            location = happening.location(model)
            if location:
                event.add("location", location)
            event.add("url", url)
            lines = [entry.summary]
            if happening.note:
                lines.append(happening.note)
            coarse = precision if precision != "day" else end_precision
            if coarse != "day":
                lines.append(
                    f"Date given to the {coarse} only: {date_range(happening.start, happening.end)}."
                )
                event.add("transp", "TRANSPARENT")
            else:
                event.add("transp", "OPAQUE")
            lines.append(url)
            event.add("description", "\n\n".join(lines))
            event.add("categories", [entry.ctype.label])
            cal.add_component(event)
    return cal.to_ical()


# -- the Open data page ------------------------------------------------------------------
