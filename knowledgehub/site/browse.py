"""What each kind of generated page shows: a registry, page kind (its template) →
context builder. The home page, the listings, the facet and term pages, the match-making
matrix, the items page, the calendar, the challenge pages and the open-data page each
have one builder here, registered with ``@page_kind``; the renderer looks the page's
kind up and renders its template with what the builder returns."""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from knowledgehub.library.happenings import happenings
from knowledgehub.site.followup_view import follow_up_page
from knowledgehub.site.formatting import date_range, human_date
from knowledgehub.site.opendata import opendata_context
from knowledgehub.site.pages import FACETS, GeneratedPage, entries_with, facet_terms, term_src
from knowledgehub.site.urls import CALENDAR, FOLLOW_UP_FEED, absolute_url, relative_url

if TYPE_CHECKING:
    from knowledgehub.site.render import Renderer

Builder = Callable[["Renderer", GeneratedPage, str, Callable[[str], str]], dict]


@dataclass
class PageKind:
    template: str
    build: Builder
    browse: bool  # a browsing page: HUB_BROWSE=0 leaves it empty (benchmarks/run.py)


PAGE_KINDS: dict[str, PageKind] = {}

# Long lists on a challenge's page are cut (newest first); the items page has them all.
LIST_LIMIT = 40
# A course on a challenge's related themes is listed when it shares this many of them (one
# shared theme of a course with seven is a weak match).
MIN_SHARED_THEMES = 2
# Facets whose terms the home page lists.
HOME_FACETS = ("themes", "countries")  # the challenges come first, on their own


def page_kind(template: str, browse: bool = False) -> Callable[[Builder], Builder]:
    """Register ``build`` as the context builder of the pages rendered with ``template``."""

    def register(build: Builder) -> Builder:
        PAGE_KINDS[template] = PageKind(template, build, browse)
        return build

    return register


def browsing_on() -> bool:
    """False when HUB_BROWSE=0, so that a benchmark can measure what browsing pages cost."""
    return os.environ.get("HUB_BROWSE") != "0"


@page_kind("home.html")
def home(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    """The home page starts from the problem: every challenge with how many entries speak
    to it (those with none after, as gaps), then themes, countries and the types (a type
    with no entries is an invitation, not a zero)."""
    catalog, model = r.catalog, r.model
    types = [
        {
            "label": t.plural,
            "singular": t.label,
            "name": t.name,  # the contribute page's ?type=
            "practice": t.on_challenge_pages == "practice",
            "description": t.description,
            "url": link(f"{t.folder}/index.md"),
            "count": len(catalog.of_type(t.name)),
        }
        for t in model.types.values()
    ]
    challenges = [
        {
            "label": term.label,
            "url": link(term_src("challenges", term.id)),
            "count": len(entries_with(catalog, "challenges", term.id)),
        }
        for term in model.vocabulary("challenges").terms.values()
    ]
    facets = [
        {
            "label": title,
            "url": link(f"{facet}/index.md"),
            "terms": [
                {
                    "label": label,
                    "url": link(term_src(facet, term)),
                    "count": len(entries_with(catalog, facet, term)),
                }
                for term, label, _ in facet_terms(catalog, facet)
                if entries_with(catalog, facet, term)
            ],
        }
        for facet, title in FACETS.items()
        if facet in HOME_FACETS
    ]
    newest = [r.card(e, here) for e in catalog.published if e.ctype.on_home_page][:8]
    return {
        "types": [t for t in types if t["count"]],
        "missing_types": [t for t in types if not t["count"]],
        "challenges": sorted((c for c in challenges if c["count"]), key=lambda c: -c["count"]),
        "open_challenges": [c for c in challenges if not c["count"]],
        "challenges_url": link("challenges/index.md"),
        "newest": newest,
        "facets": facets,
        "total": len(catalog.published),
        "about_url": link("about.md"),
    }


@page_kind("about.html")
def about(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    """Who runs the library and how entries are reviewed: mkdocs.yml ``extra.hub.about``
    (handed in with the page's settings), the licence, what the library holds."""
    counts = [(t, len(r.catalog.of_type(t.name))) for t in r.model.types.values()]
    return {
        "licence": r.licence,
        "site_name": r.site_name,
        "counts": [(t.label if n == 1 else t.plural, n) for t, n in counts if n],
        "opendata_url": link("opendata.md"),
    }


@page_kind("listing.html")
def listing(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    ctype = r.model.types[page.context["type"]]
    return {"ctype": ctype, "cards": [r.card(e, here) for e in r.catalog.of_type(ctype.name)]}


@page_kind("facet.html", browse=True)
def facet_index(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    facet = page.context["facet"]
    terms = [
        {
            "label": label,
            "description": description,
            "url": link(term_src(facet, term)),
            "count": len(entries_with(r.catalog, facet, term)),
        }
        for term, label, description in facet_terms(r.catalog, facet)
    ]
    return {"terms": terms, "grid": country_grid(r, link) if facet == "countries" else None}


@page_kind("term.html", browse=True)
def term_page(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    """The entries carrying a term, grouped by type."""
    facet, term = page.context["facet"], page.context["term"]
    matches = entries_with(r.catalog, facet, term)
    groups = [
        {"label": t.plural, "cards": [r.card(e, here) for e in matches if e.type == t.name]}
        for t in r.model.types.values()
    ]
    return {
        "groups": [g for g in groups if g["cards"]],
        "count": len(matches),
        "facet_title": FACETS[facet],
        "facet_url": link(f"{facet}/index.md"),
    }


@page_kind("opendata.html")
def opendata(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    return opendata_context(r.catalog, here, r.licence, r.site_name)


def item_row(r: Renderer, item, here: str) -> dict:
    kinds = r.model.vocabulary("item_kinds")
    return {
        "text": item.text,
        "kind": kinds.label(item.kind),
        "url": relative_url(r.entry_url(item.entry), here) + "#" + item.anchor,
        "source": item.entry.title,
        "date": human_date(item.entry.date),
        "theme_ids": " ".join(item.themes),
        "actor_ids": " ".join(item.actors),
        "themes": ", ".join(r.model.term_label("themes", t) for t in item.themes),
        "actors": ", ".join(r.model.term_label("actors", a) for a in item.actors),
    }


@page_kind("items.html", browse=True)
def items_page(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    items = r.catalog.items
    used_themes = {t for i in items for t in i.themes}
    used_actors = {a for i in items for a in i.actors}
    return {
        "items": [item_row(r, i, here) for i in items],
        "theme_options": [
            (t.id, t.label) for t in r.model.vocabulary("themes").terms.values() if t.id in used_themes
        ],
        "actor_options": [
            (t.id, t.label) for t in r.model.vocabulary("actors").terms.values() if t.id in used_actors
        ],
    }


@page_kind("follow-up.html", browse=True)
def follow_up(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    """Every item by status (what came of it), filterable; nothing known = open questions;
    and the feed of follow-up updates."""
    return {**follow_up_page(r, here), "feed_url": relative_url(FOLLOW_UP_FEED, here)}


@page_kind("matchmaking.html", browse=True)
def matchmaking(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    """Challenges × themes: a cell counts the distinct entries naming both. Challenges and
    themes no entry pairs are folded into a line each (they are gaps, not information), and
    challenges answered by exactly the same entries share one row."""
    themes = list(r.model.vocabulary("themes").terms.values())
    challenges = list(r.model.vocabulary("challenges").terms.values())
    cells: dict[tuple[str, str], set] = {}
    for entry in r.catalog.published:
        for c in set(entry.challenges):
            for t in set(entry.themes):
                cells.setdefault((c, t), set()).add(entry.key)
    used_themes = [t for t in themes if any((c.id, t.id) in cells for c in challenges)]
    rows, empty = [], []
    for c in challenges:
        url = link(term_src("challenges", c.id))
        total = len(entries_with(r.catalog, "challenges", c.id))
        row_cells = [
            {"count": len(cells.get((c.id, t.id), ())), "url": f"{url}#theme-{t.id}", "theme": t.label}
            for t in used_themes
        ]
        if not any(cell["count"] for cell in row_cells):
            empty.append({"label": c.label, "url": url})
            continue
        same = {e.key for e in entries_with(r.catalog, "challenges", c.id)}
        twin = next((row for row in rows if row["entries"] == same), None)
        if twin is not None:  # the same entries as a row above: one row, both names
            twin["also"].append({"label": c.label, "url": url})
            continue
        rows.append(
            {"label": c.label, "url": url, "cells": row_cells, "total": total, "entries": same, "also": []}
        )
    rows.sort(key=lambda row: -row["total"])
    return {
        "themes": [{"label": t.label, "url": link(term_src("themes", t.id))} for t in used_themes],
        "rows": rows,
        "empty_rows": empty,
        "empty_themes": [
            {"label": t.label, "url": link(term_src("themes", t.id))} for t in themes if t not in used_themes
        ],
    }


@page_kind("challenge.html", browse=True)
def challenge(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    """A challenge's page says what each list is: entries naming the challenge (by the role
    their type plays there, ``on_challenge_pages`` in the model), training on a related theme
    only when it shares at least two of the challenge's themes (weaker matches are left out),
    items on a related theme,
    the items that speak to it, and the entries by theme with themes of the same entries
    listed together, so that nothing repeats. The page invites contributions through the
    suggestion form with the challenge filled in, and each gap through the contribute page
    with the practice type and the challenge chosen."""
    model, term = r.model, page.context["term"]
    ctx = term_page(r, page, here, link)
    found = model.vocabulary("challenges").terms[term]
    matches = entries_with(r.catalog, "challenges", term)
    related_themes = set(found.themes)
    role = lambda e: e.ctype.on_challenge_pages  # noqa: E731
    own_items, theme_items = [], []
    for i in r.catalog.items:
        if term in i.challenges or (term in i.entry.challenges and not i.challenges):
            own_items.append(i)
        elif related_themes.intersection(i.themes or i.entry.themes):  # an item has one or two themes
            theme_items.append(i)
    training = [e for e in r.catalog.published if role(e) == "training"]
    teaching = [e for e in training if term in e.challenges]
    on_theme = [
        e for e in training if e not in teaching and len(related_themes & set(e.themes)) >= MIN_SHARED_THEMES
    ]
    ctx.update(
        {
            "case_studies": [r.card(e, here) for e in matches if role(e) == "practice"],
            "courses": [r.card(e, here) for e in teaching],
            "theme_courses": [r.card(e, here) for e in on_theme],
            "other": [r.card(e, here) for e in matches if role(e) == "other"],
            "own_items": [item_row(r, i, here) for i in own_items[:LIST_LIMIT]],
            "own_total": len(own_items),
            "theme_items": [item_row(r, i, here) for i in theme_items[:LIST_LIMIT]],
            "theme_total": len(theme_items),
            "items_url": link("items.md"),
            "related_themes": [
                (link(term_src("themes", t)), model.term_label("themes", t)) for t in found.themes
            ],
            "by_theme": by_theme(r, matches, here),
            "matrix_url": link("matchmaking.md"),
            # the issue form's challenges dropdown, prefilled with its option "Label (id)"
            "share_query": urlencode({"challenges": f"{found.label} ({found.id})"}),
            "gap_share_url": gap_share_url(r, found.id, link),
        }
    )
    return ctx


# The site's own contribute page, which reads the type and the challenges from its address.
CONTRIBUTE_SRC = "contribute.md"


def gap_share_url(r: Renderer, challenge: str, link) -> str:
    """Where a gap on a challenge's page sends a reader who knows what worked: the contribute
    page with the practice type (``on_challenge_pages: practice``) and the challenge chosen;
    "" when the site has no contribute page or the model no practice type."""
    practice = next((t.name for t in r.model.types.values() if t.on_challenge_pages == "practice"), None)
    if practice is None or CONTRIBUTE_SRC not in r.pages:
        return ""
    return f"{link(CONTRIBUTE_SRC)}?{urlencode({'type': practice, 'challenges': challenge})}"


def by_theme(r: Renderer, matches: list, here: str) -> list[dict]:
    """The entries on a challenge by theme: themes whose entries are the same are one group
    (each theme keeps its anchor, which the matrix links to), so an entry is not listed once
    per theme it has."""
    groups: OrderedDict[tuple, dict] = OrderedDict()
    for t in r.model.vocabulary("themes").terms.values():
        entries = tuple(e.key for e in matches if t.id in e.themes)
        if not entries:
            continue
        group = groups.setdefault(
            entries, {"themes": [], "cards": [r.card(e, here) for e in matches if t.id in e.themes]}
        )
        group["themes"].append({"id": t.id, "label": t.label})
    return list(groups.values())


@page_kind("calendar.html", browse=True)
def calendar(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    """Every happening of the calendar types, each once: entries listing the same dates and
    town (a master class as an event and as a course's session) share a row. Upcoming, then
    past by year; the subscribe link is the library's iCalendar file."""
    today = date.today().isoformat()
    by_key: OrderedDict[tuple, dict] = OrderedDict()
    for entry in r.catalog.published:
        for h in happenings(entry):
            key = (h.start, h.end or h.start, (h.city or "").lower())
            row = by_key.get(key)
            if row is None:
                row = by_key[key] = {
                    "start": h.start,
                    "end": h.end or h.start,
                    "when": date_range(h.start, h.end),
                    "entries": [],
                    "place": h.place(r.model, inferred=False)
                    or ", ".join(r.model.country_name(c) for c in entry.countries),
                }
            if all(x["url"] != relative_url(r.entry_url(entry), here) for x in row["entries"]):
                row["entries"].append(
                    {
                        "title": entry.title,
                        "url": relative_url(r.entry_url(entry), here),
                        "type": entry.ctype.label,
                    }
                )
    rows = sorted(by_key.values(), key=lambda row: row["start"])
    upcoming = [row for row in rows if row["end"] >= today[: len(row["end"])]]
    past = [row for row in rows if row not in upcoming][::-1]
    years: OrderedDict[str, list] = OrderedDict()
    for row in past:
        years.setdefault(row["start"][:4], []).append(row)
    return {
        "upcoming": upcoming,
        "past_years": list(years.items()),
        "past_total": len(past),
        "today": human_date(today),
        "ics_url": relative_url(CALENDAR, here),
        "ics_address": absolute_url(r.site_url, CALENDAR) if r.site_url else "",
    }


def country_grid(r: Renderer, link) -> list[dict]:
    model = r.model
    counts: dict[str, int] = {}
    for entry in r.catalog.published:
        for c in entry.countries:
            counts[c] = counts.get(c, 0) + 1
    most = max(counts.values(), default=1)

    def tile(c: str) -> dict[str, Any]:
        level = 1 + round(3 * counts[c] / most)
        return {
            "code": c,
            "name": model.country_name(c),
            "count": counts[c],
            "url": link(term_src("countries", c)),
            "level": level,
        }

    regions = []
    placed = set()
    for region in model.vocabulary("regions").terms.values():
        tiles = [tile(c) for c in region.countries if c in counts]
        placed.update(t["code"] for t in tiles)
        if tiles:
            regions.append(
                {
                    "label": region.label,
                    "url": link(term_src("regions", region.id)),
                    "tiles": sorted(tiles, key=lambda t: -t["count"]),
                }
            )
    rest = [c for c in counts if c not in placed]
    if rest:
        regions.append({"label": "Elsewhere", "url": None, "tiles": [tile(c) for c in sorted(rest)]})
    return regions


# Page kinds with a module of their own register when browse is imported.
from knowledgehub.site import contribute_form  # noqa: E402, F401
