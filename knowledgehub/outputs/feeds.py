"""The Atom feeds: feed.xml (the newest entries) and one feed per theme. A partial date
stands for its first day."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from knowledgehub.library.catalog import CatalogEntry
from knowledgehub.outputs.export_context import ExportContext, date_bounds
from knowledgehub.site.formatting import human_date
from knowledgehub.site.urls import (
    FOLLOW_UP_FEED,
    FOLLOW_UP_FEED_TITLE,
    FOLLOW_UP_PAGE,
    absolute_url,
    src_to_url,
)

# What XML 1.0 cannot carry (lxml refuses it): control characters but tab and line breaks,
# and Unicode non-characters. Checked entries hold none of them.
_NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef"
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
    + "]"
)


def xml_text(text: str) -> str:
    """``text`` with every character XML cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(text))


def _timestamp(value: str) -> datetime:
    first, _, _ = date_bounds(value)
    return datetime(first.year, first.month, first.day, tzinfo=UTC)


def atom_feed(ctx: ExportContext, entries: list[CatalogEntry], path: str, title: str) -> bytes:
    from feedgen.feed import FeedGenerator

    model = ctx.catalog.model
    feed_url = absolute_url(ctx.site_url, path)
    home = absolute_url(ctx.site_url, "") or "./"
    fg = FeedGenerator()
    fg.id(feed_url if ctx.site_url else f"tag:water-services-knowledge-hub,2024:{path}")
    fg.title(xml_text(title))
    fg.subtitle(
        f"New entries in the {ctx.site_name}: case studies, workshop outcomes, declarations, courses "
        "and events."
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
        fe.title(xml_text(entry.title))
        fe.link(href=url, rel="alternate", type="text/html")
        when = _timestamp(entry.date)
        fe.published(when)
        fe.updated(when)
        fe.summary(xml_text(f"{entry.ctype.label}, {human_date(entry.date)}. {entry.summary}"))
        for theme in entry.themes:
            fe.category(
                term=theme,
                label=xml_text(model.term_label("themes", theme)),
                scheme=absolute_url(ctx.site_url, "themes/"),
            )
    return fg.atom_str(pretty=True)


def follow_up_updates(ctx: ExportContext) -> list[tuple[str, str, str, str, object]]:
    """(date, id, title, text, item) of every follow-up record and response, newest first."""
    model = ctx.catalog.model
    vocabulary = model.follow_up.vocabulary or ""
    updates = []
    for item in ctx.catalog.items:
        where = f"{model.term_label('item_kinds', item.kind)} {item.number} of {item.entry.title}"
        for n, record in enumerate(item.follow_ups, start=1):
            label = model.term_label(vocabulary, record.status)
            updates.append(
                (record.date, f"{item.address}/follow-up-{n}", f"{label}: {where}", record.text, item)
            )
        for other in item.responses:
            if other.date:
                text = f"The {other.ctype.label.lower()} {other.title} responds to it."
                updates.append(
                    (
                        other.date,
                        f"{item.address}/response/{other.type}/{other.slug}",
                        f"Response: {where}",
                        text,
                        item,
                    )
                )
    updates.sort(key=lambda u: (_timestamp(u[0]), u[1]), reverse=True)
    return updates


def follow_up_feed(ctx: ExportContext, limit: int = 100) -> bytes:
    """Atom: the newest follow-up updates, each linking to its item's address."""
    from feedgen.feed import FeedGenerator

    feed_url = absolute_url(ctx.site_url, FOLLOW_UP_FEED)
    updates = follow_up_updates(ctx)[:limit]
    fg = FeedGenerator()
    fg.id(feed_url if ctx.site_url else f"tag:water-services-knowledge-hub,2024:{FOLLOW_UP_FEED}")
    fg.title(xml_text(f"{ctx.site_name}: {FOLLOW_UP_FEED_TITLE}"))
    fg.subtitle(
        "Follow-up on recommendations and commitments: what was done, and the entries that acted on them."
    )
    fg.author({"name": ctx.site_name})
    fg.link(href=feed_url, rel="self", type="application/atom+xml")
    page = absolute_url(ctx.site_url, src_to_url(FOLLOW_UP_PAGE)) or "./"
    fg.link(href=page, rel="alternate", type="text/html")
    fg.language("en")
    fg.rights(f"{ctx.licence.name} {ctx.licence.url}".strip())
    fg.generator(ctx.site_name)
    fg.updated(max((_timestamp(u[0]) for u in updates), default=_timestamp("2000")))
    for date, uid, title, text, item in updates:
        fe = fg.add_entry(order="append")
        url = ctx.url(item.entry, item.anchor)
        fe.id(f"tag:water-services-knowledge-hub,2024:{uid}")
        fe.title(xml_text(title))
        fe.link(href=url, rel="alternate", type="text/html")
        fe.published(_timestamp(date))
        fe.updated(_timestamp(date))
        fe.summary(xml_text(f"{human_date(date)}. {text} ({item.text})"))
        fe.category(
            term=item.status, label=xml_text(ctx.catalog.model.term_label(vocabulary_of(ctx), item.status))
        )
    return fg.atom_str(pretty=True)


def vocabulary_of(ctx: ExportContext) -> str:
    return ctx.catalog.model.follow_up.vocabulary or ""
