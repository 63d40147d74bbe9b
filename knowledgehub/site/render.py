"""HTML for entry pages and generated pages, rendered from the templates in
``overrides/hub/`` with autoescaping on, so every front-matter value is escaped."""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from knowledgehub.library.catalog import Catalog, CatalogEntry
from knowledgehub.site.citation import for_entry
from knowledgehub.site.opendata import opendata_context
from knowledgehub.site.charts import indicator_chart
from knowledgehub.site.formatting import date_range, human_date
from knowledgehub.site.urls import DEFAULT_SITE_NAME, entry_calendar_path, relative_url, src_to_url
from knowledgehub.model.content import Field
from knowledgehub.site.pages import FACETS, GeneratedPage, entries_with, facet_terms, generated_pages, term_src

# Fields shown elsewhere than in the facts panel.
_NOT_FACTS = {"title", "summary", "status", "language", "items", "sources", "date", "start", "end"}
_LABELS = {"organisations": "Organisations", "countries": "Countries", "target_group": "Target group", "participant_count": "Number of participants", "sessions_format": "Formats"}


_environments: dict[str, jinja2.Environment] = {}


def template_environment(templates_dir: str) -> jinja2.Environment:
    """One Jinja environment per template folder and process, so templates are
    compiled once (and again only when a template file changes)."""
    env = _environments.get(templates_dir)
    if env is None:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,
        )
        env.filters["human_date"] = human_date
        _environments[templates_dir] = env
    return env


def label_of(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " ").capitalize())


class Renderer:
    def __init__(self, catalog: Catalog, templates_dir: Path, directory_urls: bool = True, repo_url: str = "", edit_uri: str = "",
                 site_url: str | None = None, site_name: str = DEFAULT_SITE_NAME, licence=None):
        self.catalog = catalog
        self.site_url = site_url
        self.site_name = site_name or DEFAULT_SITE_NAME
        self.licence = licence
        self.model = catalog.model
        self.directory_urls = directory_urls
        self.env = template_environment(str(templates_dir))
        self.pages = {page.src_uri: page for page in generated_pages(catalog)}

    # -- URLs ---------------------------------------------------------------
    def url(self, src_uri: str) -> str:
        return src_to_url(src_uri, self.directory_urls)

    def entry_url(self, entry: CatalogEntry) -> str:
        return self.url(entry.src_uri)

    def term_url(self, facet: str, term: str) -> str | None:
        src = term_src(facet, term)
        return self.url(src) if src in self.pages else None

    # -- values -------------------------------------------------------------
    def value_html(self, f: Field, value: Any, here: str) -> Markup:
        link = lambda target: relative_url(target, here)  # noqa: E731
        kind = f.kind
        if value is None:
            return Markup("")
        if kind == "list":
            return Markup(", ").join(self.value_html(f.of, v, here) for v in value)
        if kind == "ref":
            target = self.catalog.get(f.target, value)
            if target is None or target.draft:
                return escape(value)
            return Markup('<a href="{}">{}</a>').format(link(self.entry_url(target)), target.title)
        if kind == "term":
            label = self.model.term_label(f.target, value)
            url = self.term_url(f.target, value) if f.target in FACETS else None
            return Markup('<a href="{}">{}</a>').format(link(url), label) if url else escape(label)
        if kind == "country":
            url = self.term_url("countries", value)
            name = self.model.country_name(value)
            return Markup('<a href="{}">{}</a>').format(link(url), name) if url else escape(name)
        if kind == "date":
            return escape(human_date(value))
        if kind == "url":
            shown = value[7:] if value.startswith("mailto:") else (urlsplit(value).netloc or value)
            return Markup('<a href="{}" rel="nofollow noopener">{}</a>').format(value, shown)
        if kind == "boolean":
            return escape("Yes" if value else "No")
        if kind == "object":
            return self.object_html(f, value, here)
        if kind in ("integer", "number"):
            return escape(f"{value:,}" if isinstance(value, int) else f"{value:g}")
        return escape(value)

    def object_html(self, f: Field, value: dict, here: str) -> Markup:
        shape = f.shape or {}
        if f.shape_name == "session":
            where = [value.get("venue"), value.get("city"), self.model.country_name(value["country"]) if value.get("country") else None]
            parts = [date_range(value.get("start"), value.get("end")), ", ".join(p for p in where if p), value.get("note")]
            return escape(" · ".join(p for p in parts if p))
        if f.shape_name == "place":
            parts = [value.get("utility"), value.get("city"), value.get("province"), self.model.country_name(value["country"]) if value.get("country") else None]
            return escape(", ".join(p for p in parts if p))
        if f.shape_name == "source":
            text = escape(value.get("title", ""))
            if value.get("url"):
                text = Markup('<a href="{}" rel="nofollow noopener">{}</a>').format(value["url"], value.get("title", ""))
            extra = ", ".join(str(p) for p in (value.get("publisher"), value.get("year")) if p)
            return Markup("{}{}").format(text, f" — {extra}" if extra else "")
        if f.shape_name == "milestone":
            text = Markup("<strong>{}</strong>: {}").format(human_date(value.get("date")), value.get("text", ""))
            if value.get("event"):
                text += Markup(" (") + self.value_html(shape["event"], value["event"], here) + Markup(")")
            return text
        return Markup("; ").join(
            Markup("{}: {}").format(label_of(name), self.value_html(shape[name], v, here)) for name, v in value.items() if name in shape
        )

    # -- entry pages ---------------------------------------------------------
    def entry_context(self, entry: CatalogEntry, here: str) -> dict:
        fields = entry.ctype.fields
        facts, sections = [], []
        for name, f in fields.items():
            value = entry.data.get(name)
            if value in (None, [], "") or name in _NOT_FACTS:
                continue
            if f.kind == "list" and f.of.kind == "object":
                if f.of.shape_name == "indicator":
                    charts = [indicator_chart(row, f"chart-{entry.slug}-{i}") for i, row in enumerate(value, 1)]
                    sections.append({"kind": "indicators", "label": label_of(name), "rows": value, "charts": charts})
                else:
                    sections.append({"kind": "list", "label": label_of(name), "values": [self.value_html(f.of, v, here) for v in value]})
            elif f.kind == "list" and f.of.kind in ("text", "string") and name != "questions":
                sections.append({"kind": "list", "label": label_of(name), "values": [escape(v) for v in value]})
            else:
                facts.append({"label": label_of(name) if not (name == "questions" and len(value) == 1) else "Question", "html": self.value_html(f, value, here)})
        when = None
        if entry.data.get("start"):
            when = date_range(entry.data.get("start"), entry.data.get("end"))
        elif entry.date:
            when = human_date(entry.date)
        groups: "OrderedDict[str, list]" = OrderedDict()
        for item in entry.items:
            groups.setdefault(item.kind, []).append(item)
        item_kinds = self.model.vocabulary("item_kinds").terms
        item_groups = [
            {"kind": kind, "label": (item_kinds[kind].plural or item_kinds[kind].label) if kind in item_kinds else kind, "items": items}
            for kind, items in groups.items()
        ]
        sources_field = fields["sources"]
        return {
            "index": self.index_data(entry),
            "e": entry,
            "when": when,
            "facts": facts,
            "sections": sections,
            "item_groups": item_groups,
            "sources": [self.object_html(sources_field.of, s, here) for s in entry.data.get("sources") or []],
            "type_url": relative_url(self.url(f"{entry.ctype.folder}/index.md"), here),
            "term": lambda facet, term: self.value_html(Field("x", "term", target=facet) if facet != "countries" else Field("x", "country"), term, here),
            "backlinks": self._backlinks(entry, here),
            "citation": for_entry(entry, self.site_url, self.directory_urls, self.site_name),
            "calendar_url": relative_url(ics, here) if (ics := entry_calendar_path(entry)) else None,
            "related": [
                {"title": o.title, "url": relative_url(self.entry_url(o), here), "type": o.ctype.label, "date": human_date(o.date),
                 "why": ", ".join(self._why(k) for k in why)}
                for o, why in self.catalog.related(entry)
            ],
            "neighbours": [
                {"rel": rel, "label": label, "title": o.title, "url": relative_url(self.entry_url(o), here)}
                for rel, label, o in zip(("prev", "next"), (f"Newer {entry.ctype.label.lower()}", f"Older {entry.ctype.label.lower()}"), self.catalog.neighbours(entry))
                if o is not None
            ],
        }

    def _why(self, key: str) -> str:
        facet, term = key.split(":", 1)
        if facet == "organisation":
            org = self.catalog.get("organisation", term)
            return (org.data.get("acronym") or org.title) if org else term
        return self.model.term_label("themes" if facet == "theme" else "challenges", term)

    def place(self, entry: CatalogEntry) -> str:
        data = entry.data
        place = data.get("place") if isinstance(data.get("place"), dict) else {}
        city = data.get("city") or place.get("city")
        countries = ", ".join(self.model.country_name(c) for c in entry.countries)
        return ", ".join(p for p in (city, countries) if p)

    def index_data(self, entry: CatalogEntry) -> dict:
        """What search indexes about an entry besides its text: filters, metadata, sort keys."""
        model = self.model
        filters = [("type", entry.ctype.label)]
        filters += [("theme", model.term_label("themes", t)) for t in entry.themes]
        filters += [("challenge", model.term_label("challenges", c)) for c in entry.challenges]
        filters += [("country", model.country_name(c)) for c in entry.countries]
        filters += [("region", model.term_label("regions", r)) for r in entry.regions]
        for slug in entry.organisations:
            org = self.catalog.get("organisation", slug)
            if org is not None and not org.draft:
                filters.append(("organisation", org.data.get("acronym") or org.title))
        if entry.year:
            filters.append(("year", entry.year))
        meta = [("type", entry.ctype.label), ("summary", entry.summary)]
        if entry.date:
            meta.append(("date", human_date(entry.date)))
        if place := self.place(entry):
            meta.append(("place", place))
        synonyms = []
        for vocab, terms in (("themes", entry.themes), ("challenges", entry.challenges)):
            for term in terms:
                synonyms += model.vocabulary(vocab).terms[term].synonyms if term in model.vocabulary(vocab).terms else []
        return {
            "filters": filters,
            "meta": meta,
            "sort": entry.date or "",
            "synonyms": list(dict.fromkeys(synonyms)),
        }

    # How an entry that names this one is listed on this one's page: (referring field) → heading.
    BACKLINK_HEADINGS = {
        "organisers": "Events it organised",
        "provider": "Courses it runs",
        "signatories": "Declarations it signed",
        "lead": "Programmes it leads",
        "partners": "Named as a partner by",
        "parent": "Organisations that belong to it",
        "event": "What came out of this event",
        "programme": "Events in this programme",
    }

    def _backlinks(self, entry: CatalogEntry, here: str) -> list[dict]:
        """Entries naming this one, each listed once, under the most specific heading."""
        fields_by_entry: "OrderedDict[tuple, tuple[CatalogEntry, set]]" = OrderedDict()
        for fname, other in entry.backlinks:
            if not other.draft:
                fields_by_entry.setdefault(other.key, (other, set()))[1].add(fname)
        groups: "OrderedDict[str, list]" = OrderedDict((h, []) for h in self.BACKLINK_HEADINGS.values())
        for other, fields in fields_by_entry.values():
            specific = [f for f in self.BACKLINK_HEADINGS if f in fields]
            heading = self.BACKLINK_HEADINGS[specific[0]] if specific else f"{other.ctype.plural} that name it"
            groups.setdefault(heading, []).append(other)
        newest_first = lambda o: (o.date is None, tuple(-int(p) for p in (o.date or "0").split("-")), o.title)  # noqa: E731
        return [
            {"label": label, "entries": [{"title": o.title, "url": relative_url(self.entry_url(o), here), "date": human_date(o.date), "type": o.ctype.label} for o in sorted(entries, key=newest_first)]}
            for label, entries in groups.items() if entries
        ]

    def render_entry(self, entry: CatalogEntry, here: str) -> tuple[Markup, Markup]:
        ctx = self.entry_context(entry, here)
        return Markup(self.env.get_template("entry-head.html").render(ctx)), Markup(self.env.get_template("entry-foot.html").render(ctx))

    # -- generated pages -----------------------------------------------------------
    def card(self, entry: CatalogEntry, here: str) -> dict:
        return {
            "title": entry.title,
            "url": relative_url(self.entry_url(entry), here),
            "type": entry.ctype.label,
            "date": human_date(entry.date),
            "datetime": entry.date or "",
            "summary": entry.summary,
            "countries": ", ".join(self.model.country_name(c) for c in entry.countries),
        }

    # The browsing pages; HUB_BROWSE=0 leaves them empty, so that a benchmark can
    # measure what they cost (benchmarks/run.py).
    BROWSE_TEMPLATES = ("facet.html", "term.html", "challenge.html", "matchmaking.html", "items.html", "calendar.html")

    def render_page(self, page: GeneratedPage, here: str) -> Markup:
        if page.template in self.BROWSE_TEMPLATES and os.environ.get("HUB_BROWSE") == "0":
            return Markup("<h1>{}</h1>").format(page.title)
        catalog, model = self.catalog, self.model
        link = lambda src: relative_url(self.url(src), here)  # noqa: E731
        ctx: dict[str, Any] = {"page": page, "link": link}
        types = [
            {"label": t.plural, "description": t.description, "url": link(f"{t.folder}/index.md"), "count": len(catalog.of_type(t.name))}
            for t in model.types.values()
        ]
        if page.template == "home.html":
            ctx.update(
                types=types,
                newest=[self.card(e, here) for e in catalog.published if e.type != "organisation"][:8],
                facets=[
                    {"label": title, "url": link(f"{facet}/index.md"), "terms": [
                        {"label": label, "url": link(term_src(facet, term)), "count": len(entries_with(catalog, facet, term))}
                        for term, label, _ in facet_terms(catalog, facet)
                        if entries_with(catalog, facet, term)
                    ]}
                    for facet, title in FACETS.items() if facet in ("themes", "countries")
                ],
                total=len(catalog.published),
            )
        elif page.template == "listing.html":
            ctype = model.types[page.context["type"]]
            ctx.update(ctype=ctype, cards=[self.card(e, here) for e in catalog.of_type(ctype.name)])
        elif page.template == "facet.html":
            facet = page.context["facet"]
            ctx.update(terms=[
                {"label": label, "description": description, "url": link(term_src(facet, term)), "count": len(entries_with(catalog, facet, term))}
                for term, label, description in facet_terms(catalog, facet)
            ])
        elif page.template == "matchmaking.html":
            ctx.update(self._matchmaking(link))
        elif page.template == "items.html":
            ctx.update(self._items_page(here))
        elif page.template == "opendata.html":
            ctx.update(opendata_context(catalog, here, self.licence, self.site_name))
        elif page.template == "calendar.html":
            ctx.update(self._calendar(here))
        elif page.template == "challenge.html":
            ctx.update(self._challenge(page.context["term"], here, link))
        if page.template == "facet.html":
            ctx["grid"] = self._country_grid(link) if page.context["facet"] == "countries" else None
        if page.template in ("term.html", "challenge.html"):
            facet, term = page.context["facet"], page.context["term"]
            matches = entries_with(catalog, facet, term)
            groups = [
                {"label": t.plural, "cards": [self.card(e, here) for e in matches if e.type == t.name]}
                for t in model.types.values()
            ]
            ctx.update(groups=[g for g in groups if g["cards"]], count=len(matches), facet_title=FACETS[facet], facet_url=link(f"{facet}/index.md"))
        return Markup(self.env.get_template(page.template).render(ctx))

    # -- browsing pages -----------------------------------------------------------
    def _item_row(self, item, here: str) -> dict:
        kinds = self.model.vocabulary("item_kinds")
        return {
            "text": item.text,
            "kind": kinds.label(item.kind),
            "url": relative_url(self.entry_url(item.entry), here) + "#" + item.anchor,
            "source": item.entry.title,
            "date": human_date(item.entry.date),
            "theme_ids": " ".join(item.themes),
            "actor_ids": " ".join(item.actors),
            "themes": ", ".join(self.model.term_label("themes", t) for t in item.themes),
            "actors": ", ".join(self.model.term_label("actors", a) for a in item.actors),
        }

    def _items_page(self, here: str) -> dict:
        items = self.catalog.items
        used_themes = {t for i in items for t in i.themes}
        used_actors = {a for i in items for a in i.actors}
        return {
            "items": [self._item_row(i, here) for i in items],
            "theme_options": [(t.id, t.label) for t in self.model.vocabulary("themes").terms.values() if t.id in used_themes],
            "actor_options": [(t.id, t.label) for t in self.model.vocabulary("actors").terms.values() if t.id in used_actors],
        }

    def _matchmaking(self, link) -> dict:
        themes = list(self.model.vocabulary("themes").terms.values())
        challenges = list(self.model.vocabulary("challenges").terms.values())
        counts: dict[tuple[str, str], int] = {}
        for entry in self.catalog.published:
            for c in entry.challenges:
                for t in entry.themes:
                    counts[(c, t)] = counts.get((c, t), 0) + 1
        rows = []
        for c in challenges:
            page = link(term_src("challenges", c.id))
            cells = [{"count": counts.get((c.id, t.id), 0), "url": f"{page}#theme-{t.id}", "theme": t.label} for t in themes]
            rows.append({"label": c.label, "url": page, "cells": cells, "total": len(entries_with(self.catalog, "challenges", c.id))})
        return {"themes": [{"label": t.label, "url": link(term_src("themes", t.id))} for t in themes], "rows": rows}

    LIST_LIMIT = 40

    def _challenge(self, term: str, here: str, link) -> dict:
        model = self.model
        challenge = model.vocabulary("challenges").terms[term]
        matches = entries_with(self.catalog, "challenges", term)
        related_themes = set(challenge.themes)
        own_items, theme_items = [], []
        for i in self.catalog.items:
            if term in i.challenges or (term in i.entry.challenges and not i.challenges):
                own_items.append(i)
            elif related_themes.intersection(i.themes or i.entry.themes):
                theme_items.append(i)
        by_theme = []
        for t in model.vocabulary("themes").terms.values():
            entries = [e for e in matches if t.id in e.themes]
            by_theme.append({"id": t.id, "label": t.label, "cards": [self.card(e, here) for e in entries]})
        return {
            "case_studies": [self.card(e, here) for e in matches if e.type == "case-study"],
            "courses": [self.card(e, here) for e in self.catalog.of_type("course") if term in e.challenges or related_themes & set(e.themes)],
            "other": [self.card(e, here) for e in matches if e.type not in ("case-study", "course")],
            # long lists are cut (newest first); the items page has them all
            "own_items": [self._item_row(i, here) for i in own_items[:self.LIST_LIMIT]],
            "own_total": len(own_items),
            "theme_items": [self._item_row(i, here) for i in theme_items[:self.LIST_LIMIT]],
            "theme_total": len(theme_items),
            "items_url": link("items.md"),
            "related_themes": [(link(term_src("themes", t)), model.term_label("themes", t)) for t in challenge.themes],
            "by_theme": [row for row in by_theme if row["cards"]],
            "matrix_url": link("matchmaking.md"),
        }

    def _calendar(self, here: str) -> dict:
        from datetime import date as _date

        today = _date.today().isoformat()
        rows = []
        for entry in self.catalog.published:
            if entry.type not in ("event", "course"):
                continue
            sessions = [s for s in entry.data.get("sessions") or [] if isinstance(s, dict)]
            if entry.type == "event":
                main = {"start": entry.data.get("start"), "end": entry.data.get("end"), "city": entry.data.get("city"), "venue": entry.data.get("venue")}
                if not any(s.get("start") == main["start"] for s in sessions):
                    sessions = [main] + sessions
            for s in sessions:
                if not s.get("start"):
                    continue
                place = ", ".join(p for p in (s.get("venue"), s.get("city"), self.model.country_name(s["country"]) if s.get("country") else None) if p)
                rows.append({
                    "start": s["start"], "end": s.get("end") or s["start"], "when": date_range(s["start"], s.get("end")),
                    "title": entry.title, "url": relative_url(self.entry_url(entry), here), "type": entry.ctype.label,
                    "place": place or ", ".join(self.model.country_name(c) for c in entry.countries),
                })
        rows.sort(key=lambda r: r["start"])
        upcoming = [r for r in rows if r["end"] >= today[: len(r["end"])]]
        past = [r for r in rows if r not in upcoming][::-1]
        years: "OrderedDict[str, list]" = OrderedDict()
        for r in rows:
            years.setdefault(r["start"][:4], []).append(r)
        return {"upcoming": upcoming, "past": past, "years": list(years.items()), "today": human_date(today)}

    def _country_grid(self, link) -> list[dict]:
        model = self.model
        counts: dict[str, int] = {}
        for entry in self.catalog.published:
            for c in entry.countries:
                counts[c] = counts.get(c, 0) + 1
        most = max(counts.values(), default=1)
        regions = []
        placed = set()
        for region in model.vocabulary("regions").terms.values():
            tiles = [
                {"code": c, "name": model.country_name(c), "count": counts[c], "url": link(term_src("countries", c)), "level": 1 + round(3 * counts[c] / most)}
                for c in region.countries if c in counts
            ]
            placed.update(t["code"] for t in tiles)
            if tiles:
                regions.append({"label": region.label, "url": link(term_src("regions", region.id)), "tiles": sorted(tiles, key=lambda t: -t["count"])})
        rest = [c for c in counts if c not in placed]
        if rest:
            regions.append({"label": "Elsewhere", "url": None, "tiles": [
                {"code": c, "name": model.country_name(c), "count": counts[c], "url": link(term_src("countries", c)), "level": 1 + round(3 * counts[c] / most)} for c in sorted(rest)
            ]})
        return regions
