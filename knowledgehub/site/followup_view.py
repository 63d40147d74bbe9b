"""What came of an item, as entry pages and the follow-up page show it: the item's status,
its thread (follow-up records and the entries responding to it, newest first, linked both
ways), its own citation, and an entry's progress summary."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from knowledgehub.library.catalog import CatalogEntry, Item
from knowledgehub.site.citation import for_entry
from knowledgehub.site.formatting import human_date
from knowledgehub.site.urls import relative_url

if TYPE_CHECKING:
    from knowledgehub.site.render import Renderer


def follow_up_on() -> bool:
    """False when HUB_FOLLOW_UP=0: no threads, summaries or follow-up page, so that a benchmark
    can measure what they cost (benchmarks/run.py)."""
    return os.environ.get("HUB_FOLLOW_UP") != "0"


def status_label(r: Renderer, status: str) -> str:
    return r.model.term_label(r.model.follow_up.vocabulary or "", status)


def kind_label(r: Renderer, kind: str) -> str:
    return r.model.term_label("item_kinds", kind)


def item_url(r: Renderer, item: Item, here: str) -> str:
    return relative_url(r.entry_url(item.entry), here) + "#" + item.anchor


def thread(r: Renderer, item: Item, here: str) -> list[dict]:
    """The item's follow-up records and responding entries, newest first (undated last)."""
    rows = []
    for record in item.follow_ups:
        evidence = []
        for piece in record.evidence:
            if piece.entry is not None:
                evidence.append(
                    {
                        "title": piece.entry.title,
                        "url": relative_url(r.entry_url(piece.entry), here),
                        "document": False,
                    }
                )
            elif piece.source or piece.url:
                evidence.append({"title": piece.source or piece.url, "url": piece.url, "document": True})
        rows.append(
            {
                "kind": "record",
                "date": record.date,
                "when": human_date(record.date),
                "status": record.status,
                "status_label": status_label(r, record.status),
                "text": record.text,
                "evidence": evidence,
            }
        )
    for other in item.responses:
        rows.append(
            {
                "kind": "response",
                "date": other.date or "",
                "when": human_date(other.date) if other.date else "",
                "title": other.title,
                "type": other.ctype.label,
                "url": relative_url(r.entry_url(other), here),
            }
        )
    rows.sort(key=lambda row: row["date"] or "", reverse=True)
    return [row for row in rows if row["date"]] + [row for row in rows if not row["date"]]


def item_citation(r: Renderer, item: Item, entry_url: str | None = None) -> str:
    """One line citing the item itself, at its stable address."""
    if entry_url is None:
        entry_url = for_entry(item.entry, r.site_url, r.directory_urls, r.site_name).url
    text = " ".join(item.text.split())
    title = " ".join(item.entry.title.split())
    site = r.site_name or "Water Services Knowledge Hub"
    return (
        f"{site} ({item.entry.year or 'n.d.'}). {kind_label(r, item.kind)} {item.number}: {text} "
        f"In: {title}. {item.entry.ctype.label}. {entry_url}#{item.anchor}"
    )


def report_links(r: Renderer, item: Item, address: str) -> dict:
    """Where a reader reports what came of ``item`` (at ``address``, its absolute link): the
    progress form with the item filled in, and an e-mail to the editors saying which it is."""
    text = " ".join(item.text.split())
    short = text if len(text) <= 70 else text[:69].rstrip() + "…"
    label = f"{kind_label(r, item.kind)} {item.number} of {' '.join(item.entry.title.split())}"
    links = {"report_url": "", "report_mail": ""}
    if r.report.get("form"):
        links["report_url"] = (
            r.report["form"] + "&" + urlencode({"title": f"Progress: {short}", "item": address})
        )
    if r.report.get("email"):
        body = f"{label}: {short}\n{address}\n\nWhat came of it (when, what was done, what shows it):\n"
        links["report_mail"] = (
            f"mailto:{r.report['email']}?subject={quote('Progress: ' + short)}&body={quote(body)}"
        )
    return links


def progress(r: Renderer, entry: CatalogEntry) -> dict | None:
    """How many of the entry's items have something recorded, and how many stand at each status."""
    if not entry.items:
        return None
    vocabulary = r.model.vocabulary(r.model.follow_up.vocabulary or "")
    groups = []
    for status in vocabulary.terms:
        items = [i for i in entry.items if i.status == status]
        if items:
            groups.append(
                {
                    "status": status,
                    "label": vocabulary.label(status),
                    "items": [
                        {"anchor": i.anchor, "number": i.number, "kind": kind_label(r, i.kind)} for i in items
                    ],
                }
            )
    return {
        "total": len(entry.items),
        "with_evidence": sum(1 for i in entry.items if i.has_evidence),
        "groups": groups,
        "report": bool(r.report.get("form") or r.report.get("email")),  # items link to a report
    }


def entry_follow_up(r: Renderer, entry: CatalogEntry, here: str) -> dict:
    """What an entry page shows of follow-up: each item's status, thread and citation; the
    progress summary; the items the entry responds to."""
    if not follow_up_on():
        return {"items": {}, "progress": None, "responds_to": []}
    entry_url = for_entry(entry, r.site_url, r.directory_urls, r.site_name).url if entry.items else ""
    return {
        "items": {
            item.id: {
                "status": item.status,
                "status_label": status_label(r, item.status),
                "thread": thread(r, item, here),
                "citation": item_citation(r, item, entry_url),
                "address": item.address,
                **report_links(r, item, f"{entry_url}#{item.anchor}"),
            }
            for item in entry.items
        },
        "progress": progress(r, entry),
        "responds_to": [
            {
                "kind": kind_label(r, item.kind),
                "number": item.number,
                "text": item.text,
                "status_label": status_label(r, item.status),
                "entry_title": item.entry.title,
                "url": item_url(r, item, here),
            }
            for item in entry.responds_to
        ],
    }


def follow_up_page(r: Renderer, here: str) -> dict:
    """The follow-up page: every published item by status, with the facets it can be
    filtered by (status, theme, actor, workshop or declaration, country) and their terms."""
    model = r.model
    fu = model.follow_up
    statuses = model.vocabulary(fu.vocabulary or "")
    items = r.catalog.items if follow_up_on() else []
    by_status: dict[str, dict[str, dict]] = {s: {} for s in statuses.terms}
    used: dict[str, dict[str, str]] = {name: {} for name in ("status", "theme", "actor", "source", "country")}
    for item in items:
        themes = item.themes or item.entry.themes
        latest = item.follow_ups[-1] if item.follow_ups else None
        entry = item.entry
        sources = by_status.setdefault(item.status, {})
        source = sources.get(entry.slug)
        if source is None:
            source = sources[entry.slug] = {
                "slug": entry.slug,
                "title": entry.title,
                "url": relative_url(r.entry_url(entry), here),
                "countries": " ".join(entry.countries),
                "rows": [],
            }
            used["source"][entry.slug] = entry.short_title
            for c in entry.countries:
                used["country"][c] = model.country_name(c)
        source["rows"].append(
            {
                "text": item.text,
                "anchor": item.anchor,
                "latest": latest.text if latest else "",
                "latest_when": human_date(latest.date) if latest else "",
                "responses": len(item.responses),
                "theme": " ".join(themes),
                "actor": " ".join(item.actors),
            }
        )
        used["status"][item.status] = statuses.label(item.status)
        for t in themes:
            used["theme"][t] = model.term_label("themes", t)
        for a in item.actors:
            used["actor"][a] = model.term_label("actors", a)
    order = {
        "status": list(statuses.terms),
        "theme": list(model.vocabulary("themes").terms),
        "actor": list(model.vocabulary("actors").terms),
    }
    labels = {
        "status": "Status",
        "theme": "Theme",
        "actor": "Addressed to",
        "source": "Workshop or declaration",
        "country": "Country",
    }
    facets = []
    for name, terms in used.items():
        known = order.get(name)
        ids = [t for t in known if t in terms] if known else sorted(terms, key=lambda t: terms[t].lower())
        facets.append({"name": name, "label": labels[name], "options": [(t, terms[t]) for t in ids]})
    groups = [
        {
            "status": status,
            "label": statuses.label(status),
            "description": statuses.terms[status].description if status in statuses.terms else "",
            "open": status == fu.when_none,
            "sources": list(sources.values()),
            "count": sum(len(src["rows"]) for src in sources.values()),
        }
        for status, sources in by_status.items()
        if sources
    ]
    groups.sort(key=lambda g: g["open"])  # the open questions last
    return {
        "facets": facets,
        "groups": groups,
        "total": len(items),
        "with_evidence": sum(1 for i in items if i.has_evidence),
    }
