"""The catalog: every valid entry with its references resolved, back-links,
derived facets (year, countries, regions, organisations) and items."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from knowledgehub.library.followup import ITEM_REF, FollowUp, records_of, status_of
from knowledgehub.library.happenings import first_start
from knowledgehub.library.loader import Entry
from knowledgehub.model.content import ContentModel, ContentType
from knowledgehub.model.walk import walk_values


@dataclass(eq=False)
class Item:
    entry: CatalogEntry
    id: str
    kind: str
    text: str
    themes: list[str]
    challenges: list[str]
    actors: list[str]
    number: int
    follow_ups: list[FollowUp] = field(default_factory=list)  # oldest first
    status: str = ""  # the latest follow-up's status (the model's "nothing known" without one)
    responses: list[CatalogEntry] = field(default_factory=list)  # published entries responding to it

    @property
    def anchor(self) -> str:
        return self.id

    @property
    def address(self) -> str:
        """entry-id#item-id: how ``responds_to`` and ``hub follow-up`` name the item."""
        return f"{self.entry.slug}#{self.id}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.follow_ups or self.responses)


@dataclass(eq=False)
class CatalogEntry:
    source: Entry
    ctype: ContentType
    title: str
    summary: str
    date: str | None
    countries: list[str]
    regions: list[str]
    themes: list[str]
    challenges: list[str]
    organisations: list[str]
    refs: list[tuple[str, str, str]]  # (field, type, id) of every reference
    items: list[Item] = field(default_factory=list)
    backlinks: list[tuple[str, CatalogEntry]] = field(default_factory=list)  # (field, entry that refers here)
    responds_to: list[Item] = field(default_factory=list)  # the items this entry acted on

    @property
    def type(self) -> str:
        return self.ctype.name

    @property
    def slug(self) -> str:
        return self.source.slug

    @property
    def key(self) -> tuple[str, str]:
        return (self.ctype.name, self.source.slug)

    @property
    def data(self) -> dict[str, Any]:
        """The front matter as published: without the fields shown only in the live preview
        (``show: preview``, editors' working notes), so that no page, feed, index or export
        built from the catalog can carry them; ``preview_notes`` has those."""
        data = self.source.data
        hidden = self.ctype.preview_fields
        if hidden and any(name in data for name in hidden):
            return {key: value for key, value in data.items() if key not in hidden}
        return data

    @property
    def preview_notes(self) -> list[tuple[str, Any]]:
        """(field name, value) of each field of the entry shown only in the live preview."""
        data = self.source.data
        return [
            (name, data[name])
            for name in self.ctype.fields
            if name in self.ctype.preview_fields and data.get(name)
        ]

    @property
    def src_uri(self) -> str:
        return self.source.src_uri

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None

    @property
    def draft(self) -> bool:
        return self.source.draft

    def url(self, directory_urls: bool = True) -> str:
        """The entry's URL relative to the site root."""
        stem = self.src_uri[:-3]
        return f"{stem}/" if directory_urls else f"{stem}.html"

    @property
    def short_title(self) -> str:
        """The entry's short name (an organisation's acronym, by the model), else its title."""
        name = self.ctype.short_name_field
        return (self.data.get(name) if name else None) or self.title


def _entry_date(ctype: ContentType, data: dict) -> str | None:
    """The date an entry is about: its type's date field; for a type dated by a list of
    sessions, the earliest start."""
    field_name = ctype.date_field
    f = ctype.fields.get(field_name) if field_name else None
    if f is not None and f.kind == "list" and f.of is not None and f.of.shape_name == "session":
        return first_start(ctype, {field_name: data.get(field_name)}) or data.get("date")
    return data.get(field_name) if field_name else data.get("date")


def _items(ctype: ContentType, data: dict) -> list[dict]:
    """The elements of the entry's lists of the ``item`` shape."""
    return [
        raw
        for name, f in ctype.fields.items()
        if f.kind == "list" and f.of is not None and f.of.shape_name == "item"
        for raw in data.get(name) or []
    ]


def indicators_of(entry: CatalogEntry) -> list[dict]:
    """The elements of the entry's lists of the ``indicator`` shape."""
    return [
        row
        for name, f in entry.ctype.fields.items()
        if f.kind == "list" and f.of is not None and f.of.shape_name == "indicator"
        for row in entry.data.get(name) or []
        if isinstance(row, dict)
    ]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


class Catalog:
    def __init__(self, model: ContentModel, entries: list[Entry]):
        self.model = model
        self.entries: list[CatalogEntry] = []
        for source in entries:
            self.entries.append(self._make(source))
        self.by_key = {e.key: e for e in self.entries}
        self.by_src = {e.src_uri: e for e in self.entries}
        for entry in self.entries:
            for fname, rtype, rid in entry.refs:
                target = self.by_key.get((rtype, rid))
                if target is not None and target is not entry:
                    target.backlinks.append((fname, entry))
        self._link_follow_up()
        # newest first; undated last, then by title
        self.entries.sort(key=lambda e: (e.date is None, _neg(e.date), e.title.lower()))
        self.published = [e for e in self.entries if not e.draft]

    def _link_follow_up(self) -> None:
        """Evidence to its entries, and each published entry's ``responds_to`` both ways."""
        fu = self.model.follow_up
        by_slug: dict[str, CatalogEntry] = {}
        for entry in self.entries:
            by_slug.setdefault(entry.slug, entry)
        for entry in self.entries:
            for item in entry.items:
                for record in item.follow_ups:
                    for piece in record.evidence:
                        target = by_slug.get(piece.entry_id) if piece.entry_id else None
                        piece.entry = target if target is not None and not target.draft else None
            if entry.draft or not fu.responds_to:
                continue
            for value in entry.data.get(fu.responds_to) or []:
                match = ITEM_REF.match(value) if isinstance(value, str) else None
                target = by_slug.get(match.group(1)) if match else None
                item = next((i for i in target.items if i.id == match.group(2)), None) if target else None
                if item is not None and not target.draft and item not in entry.responds_to:
                    entry.responds_to.append(item)
                    item.responses.append(entry)

    def _make(self, source: Entry) -> CatalogEntry:
        model = self.model
        ctype = model.types[source.type]
        data = source.data
        refs: list[tuple[str, str, str]] = []
        countries: list[str] = list(data.get("countries") or [])
        for path, f, value in walk_values(ctype.fields, data):
            if f.kind == "ref":
                refs.append((str(path[0]), f.target, value))
            elif f.kind == "country":
                countries.append(value)
        countries = _unique(countries)
        regions = _unique(
            list(data.get("regions") or [])
            + [r for c in countries for r in model.region_of_country.get(c, [])]
        )
        organisations = _unique(
            rid
            for fname, rtype, rid in refs
            if rtype == model.organisation_type and fname in model.organisation_fields
        )
        entry = CatalogEntry(
            source=source,
            ctype=ctype,
            title=str(data.get("title", source.slug)),
            summary=str(data.get("summary", "")),
            date=_entry_date(ctype, data),
            countries=countries,
            regions=regions,
            themes=_unique(data.get("themes") or []),
            challenges=_unique(data.get("challenges") or []),
            organisations=organisations,
            refs=refs,
        )
        for number, raw in enumerate(_items(ctype, data), start=1):
            records = records_of(model, raw)
            entry.items.append(
                Item(
                    entry,
                    raw["id"],
                    raw["kind"],
                    raw["text"],
                    list(raw.get("themes") or []),
                    list(raw.get("challenges") or []),
                    list(raw.get("actors") or []),
                    number,
                    records,
                    status_of(model, records),
                )
            )
        return entry

    # -- relations between entries ---------------------------------------------
    def _postings(self) -> dict[tuple[str, str], list[CatalogEntry]]:
        """(facet, term) → published entries carrying it, newest first (built once)."""
        if not hasattr(self, "_posting_cache"):
            postings: dict[tuple[str, str], list[CatalogEntry]] = {}
            for entry in self.published:
                for facet in self.RELATED_WEIGHTS:
                    for term in getattr(entry, facet):
                        postings.setdefault((facet, term), []).append(entry)
            self._posting_cache = postings
        return self._posting_cache

    # What two entries may share (attributes of CatalogEntry), and what each is worth.
    RELATED_WEIGHTS = {"organisations": 3, "challenges": 2, "themes": 1}

    def related(
        self, entry: CatalogEntry, limit: int = 5, per_term: int = 12
    ) -> list[tuple[CatalogEntry, list[str]]]:
        """Entries sharing organisations, challenges and themes with ``entry``, best first.

        Candidates come from each of the entry's terms, rarest term first and at most
        ``per_term`` (the newest) from each, so the cost per entry stays flat however
        large the library grows; each candidate is then scored on everything it shares.
        """
        postings = self._postings()
        own = {(facet, term) for facet in self.RELATED_WEIGHTS for term in getattr(entry, facet)}
        linked = {(t, s) for _, t, s in entry.refs} | {other.key for _, other in entry.backlinks}
        candidates: dict[tuple[str, str], CatalogEntry] = {}
        for key in sorted(own, key=lambda k: len(postings.get(k, ()))):
            taken = 0
            for other in postings.get(key, ()):
                if other is entry or other.key in linked or not other.ctype.in_related:
                    continue
                candidates.setdefault(other.key, other)
                taken += 1
                if taken >= per_term:
                    break
        scored = []
        for other in candidates.values():
            shared = [k for k in own if entry is not other and k[1] in getattr(other, k[0])]
            score = sum(self.RELATED_WEIGHTS[k[0]] for k in shared)
            scored.append((score, other.date or "", other, sorted(shared)))
        scored.sort(key=lambda row: (-row[0], _neg(row[1] or None), row[2].title))
        return [
            (other, [f"{facet}:{term}" for facet, term in shared]) for _, _, other, shared in scored[:limit]
        ]

    def neighbours(self, entry: CatalogEntry) -> tuple[CatalogEntry | None, CatalogEntry | None]:
        """(newer, older) entry of the same type, in the listing's order."""
        if not hasattr(self, "_position"):
            self._position = {}
            for type_name in self.model.types:
                entries = self.of_type(type_name)
                for index, other in enumerate(entries):
                    self._position[other.key] = (entries, index)
        entries, index = self._position.get(entry.key, ([], -1))
        if index < 0:
            return None, None
        return (
            entries[index - 1] if index > 0 else None,
            entries[index + 1] if index + 1 < len(entries) else None,
        )

    def of_type(self, type_name: str, include_drafts: bool = False) -> list[CatalogEntry]:
        pool = self.entries if include_drafts else self.published
        return [e for e in pool if e.type == type_name]

    def get(self, type_name: str, slug: str) -> CatalogEntry | None:
        return self.by_key.get((type_name, slug))

    @cached_property
    def items(self) -> list[Item]:
        return [item for entry in self.published for item in entry.items]


def _neg(date: str | None) -> tuple:
    """Sort key that puts later dates first."""
    if not date:
        return ()
    return tuple(-int(part) for part in date.split("-"))
