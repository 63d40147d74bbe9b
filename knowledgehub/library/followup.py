"""Follow-up: what came of an item (a recommendation, a commitment). Its records (date,
status, text, evidence) and the entries that respond to it, checked with file and line,
and derived for the catalog: the item's status is its latest record's."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from knowledgehub.library.loader import Entry
from knowledgehub.model.content import ContentModel, Field
from knowledgehub.model.problems import Problem
from knowledgehub.model.schema import SLUG_PATTERN

if TYPE_CHECKING:
    from knowledgehub.library.catalog import CatalogEntry

ITEM_REF = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)#([a-z0-9]+(?:-[a-z0-9]+)*)$")


@dataclass
class Evidence:
    entry_id: str | None
    source: str | None
    url: str | None
    entry: CatalogEntry | None = None


@dataclass
class FollowUp:
    date: str
    status: str
    text: str
    evidence: list[Evidence] = field(default_factory=list)
    position: int = 0  # its place in the file, to break ties of date


def item_fields(model: ContentModel, fields: dict[str, Field]) -> list[str]:
    """The entry's fields holding lists of items with follow-up records."""
    records = model.follow_up.records
    return [
        name
        for name, f in fields.items()
        if records and f.kind == "list" and f.of is not None and records in (f.of.shape or {})
    ]


def records_of(model: ContentModel, raw_item: dict) -> list[FollowUp]:
    """The item's follow-up records, oldest first."""
    fu = model.follow_up
    out = []
    raw = raw_item.get(fu.records) if fu.records else None
    for position, rec in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(rec, dict):
            continue
        evidence = [
            Evidence(e.get(fu.evidence_entry), e.get("source"), e.get("url"))
            for e in rec.get(fu.evidence) or []
            if isinstance(e, dict)
        ]
        out.append(
            FollowUp(
                str(rec.get("date", "")),
                str(rec.get(fu.status, "")),
                str(rec.get("text", "")),
                evidence,
                position,
            )
        )
    out.sort(key=lambda r: (r.date, r.position))
    return out


def status_of(model: ContentModel, records: list[FollowUp]) -> str:
    """The latest record's status; with none, the model's status of an item with no record."""
    return records[-1].status if records else model.follow_up.when_none


def before(date: str, other: str) -> bool:
    """Whether partial date ``date`` is before ``other`` (a month is not before its own days)."""
    return date < other[: len(date)]


# -- checks -------------------------------------------------------------------------------
def check_records(entry: Entry, model: ContentModel, today: str | None = None) -> Iterator[Problem]:
    """An entry's follow-up records on their own: not after today, not before the entry's own
    date, every piece of evidence naming an entry or a document."""
    fu = model.follow_up
    ctype = model.types[entry.type]
    today = today or datetime.date.today().isoformat()
    own_date = entry.data.get(ctype.date_field) if ctype.date_field else None
    for name in item_fields(model, ctype.fields):
        items = entry.data.get(name)
        for i, item in enumerate(items if isinstance(items, list) else []):
            records = item.get(fu.records) if isinstance(item, dict) else None
            for j, rec in enumerate(records if isinstance(records, list) else []):
                if not isinstance(rec, dict):
                    continue
                path = (name, i, fu.records, j)
                where = f"{name}[{i + 1}].{fu.records}[{j + 1}]"
                date = rec.get("date")
                if isinstance(date, str) and before(today, date):
                    yield Problem(
                        entry.rel,
                        entry.line(*path, "date"),
                        f"follow-up '{where}' is dated {date}, after today ({today})",
                        "a follow-up records what has happened: write the date it happened or became known",
                        "date",
                    )
                elif isinstance(date, str) and isinstance(own_date, str) and before(date, own_date):
                    yield Problem(
                        entry.rel,
                        entry.line(*path, "date"),
                        f"follow-up '{where}' is dated {date}, before the entry itself ({own_date})",
                        "a follow-up comes after the recommendation or commitment: check the date",
                        "date",
                    )
                evidence = rec.get(fu.evidence)
                for k, piece in enumerate(evidence if isinstance(evidence, list) else []):
                    if (
                        isinstance(piece, dict)
                        and not piece.get(fu.evidence_entry)
                        and not piece.get("source")
                    ):
                        yield Problem(
                            entry.rel,
                            entry.line(*path, fu.evidence, k),
                            f"'{where}.{fu.evidence}[{k + 1}]' names neither an entry nor a source",
                            f"write '{fu.evidence_entry}: <entry id>' or 'source: <title of the document>'",
                            "required",
                        )


def check_references(model: ContentModel, entries: list[Entry], suggest) -> list[Problem]:
    """Across the library: every ``responds_to`` names an existing, published item
    (entry-id#item-id), and every piece of evidence an existing entry."""
    fu = model.follow_up
    by_slug: dict[str, Entry] = {}
    for e in entries:
        by_slug.setdefault(e.slug, e)
    items_of: dict[str, list[str]] = {}
    for e in entries:
        for name in item_fields(model, model.types[e.type].fields):
            raw = e.data.get(name)
            ids = [i.get("id") for i in raw if isinstance(i, dict)] if isinstance(raw, list) else []
            items_of.setdefault(e.slug, []).extend(str(x) for x in ids if isinstance(x, str))
    problems: list[Problem] = []
    for e in entries:
        refs = e.data.get(fu.responds_to) if fu.responds_to else None
        for k, value in enumerate(refs if isinstance(refs, list) else []):
            problem = _check_item_ref(e, (fu.responds_to, k), value, by_slug, items_of, suggest)
            if problem:
                problems.append(problem)
        for path, value in _evidence_entries(model, e):
            if not isinstance(value, str) or not re.match(SLUG_PATTERN, value):
                continue
            if value not in by_slug:
                hint = suggest(value, by_slug) or "use the file name (without .md) of an entry of the hub"
                problems.append(
                    Problem(
                        e.rel,
                        e.line(*path),
                        f"evidence names entry '{value}', which does not exist",
                        hint,
                        "reference",
                    )
                )
    return problems


def _check_item_ref(e: Entry, path: tuple, value: Any, by_slug, items_of, suggest) -> Problem | None:
    where = f"{path[0]}[{path[1] + 1}]"
    line = e.line(*path)
    match = ITEM_REF.match(value) if isinstance(value, str) else None
    if match is None:
        return Problem(
            e.rel,
            line,
            f"'{where}' must name an item as entry-id#item-id, not '{value}'",
            "e.g. chennai-declaration-india-wops-2011#water-awards (the item's address without the page)",
            "reference",
        )
    entry_id, item_id = match.groups()
    target = by_slug.get(entry_id)
    if target is None or entry_id not in items_of:
        hint = suggest(entry_id, items_of) or "name a workshop outcome or declaration by its file name"
        return Problem(
            e.rel, line, f"'{where}' refers to '{entry_id}', which has no items", hint, "reference"
        )
    if item_id not in items_of[entry_id]:
        near = suggest(item_id, items_of[entry_id])
        hint = near or "its items are: " + ", ".join(items_of[entry_id][:12])
        return Problem(e.rel, line, f"'{where}': '{entry_id}' has no item '{item_id}'", hint, "reference")
    if not e.draft and target.draft:
        return Problem(
            e.rel,
            line,
            f"'{where}' refers to '{entry_id}', which is a draft",
            "publish it, or remove the reference",
            "reference",
        )
    return None


def _evidence_entries(model: ContentModel, e: Entry) -> Iterator[tuple[tuple, Any]]:
    fu = model.follow_up
    for name in item_fields(model, model.types[e.type].fields):
        items = e.data.get(name)
        for i, item in enumerate(items if isinstance(items, list) else []):
            records = item.get(fu.records) if isinstance(item, dict) else None
            for j, rec in enumerate(records if isinstance(records, list) else []):
                evidence = rec.get(fu.evidence) if isinstance(rec, dict) else None
                for k, piece in enumerate(evidence if isinstance(evidence, list) else []):
                    if isinstance(piece, dict) and fu.evidence_entry in piece:
                        yield (
                            (name, i, fu.records, j, fu.evidence, k, fu.evidence_entry),
                            piece[fu.evidence_entry],
                        )
