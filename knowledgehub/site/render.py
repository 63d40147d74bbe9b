"""HTML for entry pages and generated pages, rendered from the templates in
``overrides/hub/`` with autoescaping on, so every front-matter value is escaped."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from knowledgehub.library.catalog import Catalog, CatalogEntry
from knowledgehub.library.happenings import Run, own_run, place_text
from knowledgehub.model.content import PREVIEW, Field
from knowledgehub.site import browse
from knowledgehub.site.charts import indicator_chart
from knowledgehub.site.citation import for_entry
from knowledgehub.site.followup_view import entry_follow_up
from knowledgehub.site.formatting import date_range, human_date
from knowledgehub.site.pages import FACETS, GeneratedPage, generated_pages, term_src
from knowledgehub.site.preview import notes_box, preview_on
from knowledgehub.site.urls import DEFAULT_SITE_NAME, entry_calendar_path, relative_url, src_to_url

_environments: dict[str, jinja2.Environment] = {}

# How many facts an entry page shows at the top; the rest are folded under "More details".
KEY_FACTS = 6


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


class Renderer:
    def __init__(
        self,
        catalog: Catalog,
        templates_dir: Path,
        directory_urls: bool = True,
        repo_url: str = "",
        edit_uri: str = "",
        site_url: str | None = None,
        site_name: str = DEFAULT_SITE_NAME,
        licence=None,
    ):
        self.catalog = catalog
        self.site_url = site_url
        self.site_name = site_name or DEFAULT_SITE_NAME
        self.licence = licence
        self.model = catalog.model
        self.directory_urls = directory_urls
        self.env = template_environment(str(templates_dir))
        self.pages = {page.src_uri: page for page in generated_pages(catalog)}
        self.preview = preview_on()  # the live preview: editors' notes shown (site/preview.py)
        # where readers report what came of an item (site/contribute.py report_settings);
        # empty in the USB edition and the workshop packs, which link to no repository
        self.report: dict = {"form": "", "email": ""}

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
            run = Run.read(value)
            parts = [date_range(run.start, run.end), place_text(value, self.model.country_name), run.note]
            return escape(" · ".join(p for p in parts if p))
        if f.shape_name == "place":
            return escape(place_text(value, self.model.country_name))
        if f.shape_name == "source":
            text = escape(value.get("title", ""))
            if value.get("url"):
                text = Markup('<a href="{}" rel="nofollow noopener">{}</a>').format(
                    value["url"], value.get("title", "")
                )
            extra = ", ".join(str(p) for p in (value.get("publisher"), value.get("year")) if p)
            return Markup("{}{}").format(text, f" — {extra}" if extra else "")
        if f.shape_name == "milestone":
            text = Markup("<strong>{}</strong>: {}").format(
                human_date(value.get("date")), value.get("text", "")
            )
            for name, sub in shape.items():  # the entries it refers to, in brackets
                if sub.kind == "ref" and value.get(name):
                    text += Markup(" (") + self.value_html(sub, value[name], here) + Markup(")")
            return text
        return Markup("; ").join(
            Markup("{}: {}").format(shape[name].label, self.value_html(shape[name], v, here))
            for name, v in value.items()
            if name in shape
        )

    # -- entry pages ---------------------------------------------------------
    def entry_context(self, entry: CatalogEntry, here: str) -> dict:
        fields = entry.ctype.fields
        facts, sections = [], []
        named = self._named_elsewhere(entry)
        for name, f in fields.items():
            value = entry.data.get(name)
            if f.names_organisations and isinstance(value, list) and name in named:
                value = [v for v in value if v not in named[name]]  # each organisation named once
            if value in (None, [], "") or f.show in ("hidden", PREVIEW):
                continue
            if f.show == "fact" or f.kind != "list":
                label = f.label_for(value) if value == entry.data.get(name) else "Also involved"
                facts.append({"label": label, "html": self.value_html(f, value, here)})
            elif f.of.shape_name == "indicator":
                charts = [indicator_chart(row, f"chart-{entry.slug}-{i}") for i, row in enumerate(value, 1)]
                sections.append({"kind": "indicators", "label": f.label, "rows": value, "charts": charts})
            elif f.of.kind == "object":
                sections.append(
                    {
                        "kind": "list",
                        "label": f.label,
                        "values": [self.value_html(f.of, v, here) for v in value],
                    }
                )
            else:
                sections.append({"kind": "list", "label": f.label, "values": [escape(v) for v in value]})
        when = None
        own = own_run(entry.ctype, entry.data)
        if own.start:
            when = date_range(own.start, own.end)
        elif entry.date:
            when = human_date(entry.date)
        groups: OrderedDict[str, list] = OrderedDict()
        for item in entry.items:
            groups.setdefault(item.kind, []).append(item)
        item_kinds = self.model.vocabulary("item_kinds").terms
        item_groups = [
            {
                "kind": kind,
                "label": (item_kinds[kind].plural or item_kinds[kind].label) if kind in item_kinds else kind,
                "one": item_kinds[kind].label if kind in item_kinds else kind,
                "items": items,
            }
            for kind, items in groups.items()
        ]
        sources_field = fields["sources"]
        facts = self._countries_first(entry, facts, here)
        return {
            "key_facts": facts[:KEY_FACTS],
            "more_facts": facts[KEY_FACTS:],
            "outline": self.entry_outline(entry, item_groups),
            "index": self.index_data(entry),
            "e": entry,
            "when": when,
            "facts": facts,
            "sections": sections,
            "item_groups": item_groups,
            "sources": [self.object_html(sources_field.of, s, here) for s in entry.data.get("sources") or []],
            "type_url": relative_url(self.url(f"{entry.ctype.folder}/index.md"), here),
            "term": self._term_html(here),
            "backlinks": self._backlinks(entry, here),
            "citation": for_entry(entry, self.site_url, self.directory_urls, self.site_name),
            "follow_up": entry_follow_up(self, entry, here),
            "calendar_url": relative_url(ics, here) if (ics := entry_calendar_path(entry)) else None,
            "related": [
                {
                    "title": o.title,
                    "url": relative_url(self.entry_url(o), here),
                    "type": o.ctype.label,
                    "date": human_date(o.date),
                    "why": ", ".join(self._why(k) for k in why),
                }
                for o, why in self.catalog.related(entry)
            ],
            "neighbours": [
                {"rel": rel, "label": label, "title": o.title, "url": relative_url(self.entry_url(o), here)}
                for rel, label, o in zip(
                    ("prev", "next"),
                    (f"Newer {entry.ctype.label.lower()}", f"Older {entry.ctype.label.lower()}"),
                    self.catalog.neighbours(entry),
                )
                if o is not None
            ],
        }

    def _named_elsewhere(self, entry: CatalogEntry) -> dict[str, set]:
        """For each field naming organisations, the organisations a more specific such field
        (one with a back-link heading: organisers, provider, ...) already shows."""
        fields = entry.ctype.fields
        naming = [n for n, f in fields.items() if f.names_organisations and f.show != "hidden"]
        specific = {
            n: set(v if isinstance(v, list) else [v])
            for n in naming
            if fields[n].backlink and (v := entry.data.get(n))
        }
        return {
            n: set().union(*(s for o, s in specific.items() if o != n)) for n in naming if n not in specific
        }

    def _countries_first(self, entry: CatalogEntry, facts: list[dict], here: str) -> list[dict]:
        """Where an entry is comes first: its countries (those the entry names and those its
        places name) and regions, then the type's facts in the model's order."""
        term = self._term_html(here)
        where = []
        if entry.countries:
            label = "Country" if len(entry.countries) == 1 else "Countries"
            html = Markup(", ").join(term("countries", c) for c in entry.countries)
            where.append({"label": label, "html": html})
        if entry.regions and not entry.countries:
            html = Markup(", ").join(term("regions", r) for r in entry.regions)
            where.append({"label": "Region" if len(entry.regions) == 1 else "Regions", "html": html})
        shown = {"Countries", "Country"} | ({"Regions", "Region"} if where and not entry.countries else set())
        return where + [f for f in facts if f["label"] not in shown]

    def _term_html(self, here: str):
        return lambda facet, term: self.value_html(
            Field("x", "term", target=facet) if facet != "countries" else Field("x", "country"), term, here
        )

    def entry_outline(self, entry: CatalogEntry, item_groups: list[dict] | None = None) -> list[dict]:
        """The entry's own sections for the table of contents and the "Jump to" line: its item
        groups (recommendations, commitments, ...), each with its anchor."""
        if item_groups is None:
            kinds = self.model.vocabulary("item_kinds").terms
            seen = list(dict.fromkeys(i.kind for i in entry.items))
            item_groups = [
                {"kind": k, "label": (kinds[k].plural or kinds[k].label) if k in kinds else k} for k in seen
            ]
        return [{"title": g["label"], "url": f"#items-{g['kind']}"} for g in item_groups]

    def _why(self, key: str) -> str:
        facet, term = key.split(":", 1)
        if facet == "organisations":
            org = self.catalog.get(self.model.organisation_type, term)
            return org.short_title if org else term
        return self.model.term_label(facet, term)

    def place(self, entry: CatalogEntry) -> str:
        """Where an entry is, for search results: its town (its own run's, or that of an object
        field such as its place), its countries."""
        data = entry.data
        places = [
            Run.read(data[name])
            for name, f in entry.ctype.fields.items()
            if f.kind == "object" and isinstance(data.get(name), dict)
        ]
        city = next((run.city for run in [own_run(entry.ctype, data), *places] if run.city), None)
        countries = ", ".join(self.model.country_name(c) for c in entry.countries)
        return ", ".join(p for p in (city, countries) if p)

    def index_data(self, entry: CatalogEntry) -> dict:
        """What search indexes about an entry besides its text: filters (with the URL value of
        each, the same as the items page uses), metadata, sort keys, and the synonyms of its
        terms (hidden search data, never shown)."""
        model = self.model
        params = [("type", entry.ctype.name, entry.ctype.label)]
        params += [("theme", t, model.term_label("themes", t)) for t in entry.themes]
        params += [("challenge", c, model.term_label("challenges", c)) for c in entry.challenges]
        params += [("country", c.lower(), model.country_name(c)) for c in entry.countries]
        params += [("region", r, model.term_label("regions", r)) for r in entry.regions]
        for slug in entry.organisations:
            org = self.catalog.get(model.organisation_type, slug)
            if org is not None and not org.draft:
                params.append((model.organisation_type, slug, org.short_title))
        if entry.year:
            params.append(("year", str(entry.year), entry.year))
        # the statuses of the entry's items (what came of them): a search filter of item results
        fu = model.follow_up
        statuses = list(dict.fromkeys(i.status for i in entry.items)) if fu.status else []
        params += [(fu.status, s, model.term_label(fu.vocabulary or "", s)) for s in statuses]
        filters = [(key, label) for key, _, label in params]
        # practice (case studies, outcomes, courses...) ranks above profiles of organisations
        filters.append(("kind", "profile" if entry.ctype.name in model.organisation_types else "practice"))
        meta = [("type", entry.ctype.label), ("summary", entry.summary)]
        if entry.date:
            meta.append(("date", human_date(entry.date)))
        if place := self.place(entry):
            meta.append(("place", place))
        if statuses:  # each item's status, so that a result lists only the items of the chosen ones
            meta.append(("item_status", " ".join(f"{i.anchor}={i.status}" for i in entry.items)))
        synonyms = []
        for vocab, terms in (("themes", entry.themes), ("challenges", entry.challenges)):
            for term in terms:
                synonyms += (
                    model.vocabulary(vocab).terms[term].synonyms
                    if term in model.vocabulary(vocab).terms
                    else []
                )
        return {
            "filters": filters,
            "params": params,
            "meta": meta,
            "sort": entry.date or "",
            "synonyms": list(dict.fromkeys(synonyms)),
        }

    def _backlinks(self, entry: CatalogEntry, here: str) -> list[dict]:
        """Entries naming this one, each listed once, under the most specific heading."""
        fields_by_entry: OrderedDict[tuple, tuple[CatalogEntry, set]] = OrderedDict()
        for fname, other in entry.backlinks:
            if not other.draft:
                fields_by_entry.setdefault(other.key, (other, set()))[1].add(fname)
        groups: OrderedDict[str, list] = OrderedDict((h, []) for h in self.model.backlink_headings.values())
        for other, fields in fields_by_entry.values():
            specific = [f for f in self.model.backlink_headings if f in fields]
            heading = (
                self.model.backlink_headings[specific[0]]
                if specific
                else f"{other.ctype.plural} that name it"
            )
            groups.setdefault(heading, []).append(other)
        newest_first = lambda o: (o.date is None, tuple(-int(p) for p in (o.date or "0").split("-")), o.title)  # noqa: E731
        return [
            {
                "label": label,
                "entries": [
                    {
                        "title": o.title,
                        "url": relative_url(self.entry_url(o), here),
                        "date": human_date(o.date),
                        "type": o.ctype.label,
                    }
                    for o in sorted(entries, key=newest_first)
                ],
            }
            for label, entries in groups.items()
            if entries
        ]

    def render_entry(self, entry: CatalogEntry, here: str) -> tuple[Markup, Markup]:
        ctx = self.entry_context(entry, here)
        head = Markup(self.env.get_template("entry-head.html").render(ctx))
        if self.preview:
            head = notes_box(entry) + head
        return head, Markup(self.env.get_template("entry-foot.html").render(ctx))

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

    def render_page(self, page: GeneratedPage, here: str, settings: dict | None = None) -> Markup:
        """A generated page: its kind's context builder (browse.PAGE_KINDS), then its template.
        ``settings`` (site/settings.py ``page_settings``): contribution links and the About
        page's settings from mkdocs.yml."""
        kind = browse.PAGE_KINDS.get(page.template)
        if kind is not None and kind.browse and not browse.browsing_on():
            return Markup("<h1>{}</h1>").format(page.title)
        link = lambda src: relative_url(self.url(src), here)  # noqa: E731
        no_links = dict.fromkeys(("edit_url", "suggest_url", "contributing_url", "repo_url"))
        ctx: dict[str, Any] = {
            "page": page,
            "link": link,
            "links": no_links,
            "about": None,
            "report": self.report,
        }
        ctx.update(settings or {})
        if kind is not None:
            ctx.update(kind.build(self, page, here, link))
        return Markup(self.env.get_template(page.template).render(ctx))
