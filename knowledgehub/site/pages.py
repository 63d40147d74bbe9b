"""The pages the hub generates from the catalog: the home page, a listing per
type, and a page per taxonomy term, country and region. Each is a small
Markdown stub (title and description) whose body the renderer fills in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledgehub.library.catalog import Catalog, CatalogEntry

# Facets that get a page per term: name → (vocabulary or "countries", title of the index page)
FACETS = {
    "themes": "Themes",
    "challenges": "Challenges",
    "regions": "Regions",
    "countries": "Countries",
}


@dataclass
class GeneratedPage:
    src_uri: str
    title: str
    template: str
    description: str = ""
    context: dict[str, Any] = field(default_factory=dict)

    def markdown(self) -> str:
        # A JSON string is valid YAML and escapes anything a title may hold.
        import json

        return f"---\ntitle: {json.dumps(self.title)}\ndescription: {json.dumps(self.description)}\n---\n"


def term_src(facet: str, term: str) -> str:
    return f"{facet}/{term.lower()}.md"


def facet_terms(catalog: Catalog, facet: str) -> list[tuple[str, str, str]]:
    """(id, label, description) of every term of a facet: the taxonomy's terms, or for
    countries every country used in the library."""
    model = catalog.model
    if facet == "countries":
        used = sorted({c for e in catalog.published for c in e.countries}, key=model.country_name)
        return [(code, model.country_name(code), "") for code in used]
    vocab = model.vocabulary(facet)
    return [(t.id, t.label, t.description) for t in vocab.terms.values()]


def entries_with(catalog: Catalog, facet: str, term: str) -> list[CatalogEntry]:
    return [e for e in catalog.published if term in getattr(e, facet)]


FOLLOW_UP = (
    "What came of it: follow-up on every recommendation and commitment",
    "For each recommendation, commitment and finding, what is known of what was done about it, and "
    "the entries that acted on it. Items with nothing known are open questions: if you know what "
    "came of one, add it.",
)

CONTRIBUTE = (
    "Contribute to the library",
    "Add a case study, a workshop outcome, a course or any other entry with a form that works "
    "offline too: download the file, propose it on GitHub or send it to the editors.",
)


def generated_pages(catalog: Catalog) -> list[GeneratedPage]:
    model = catalog.model
    pages = [
        GeneratedPage(
            "index.md",
            "Water Services Knowledge Hub",
            "home.html",
            (
                "Best practice from people who run municipal water services: case studies, workshop "
                "outcomes, declarations, courses and events."
            ),
        )
    ]
    pages.append(
        GeneratedPage(
            "search.md",
            "Search",
            "search.html",
            (
                "Search every entry, recommendation and commitment, with filters by type, theme, "
                "challenge, country, region, organisation and year."
            ),
        )
    )
    pages.append(
        GeneratedPage(
            "opendata.md",
            "Open data",
            "opendata.html",
            (
                "Every entry as JSON and CSV, Atom feeds and a calendar, free to reuse under the "
                "library's licence."
            ),
        )
    )
    pages.append(
        GeneratedPage(
            "about.md",
            "About the library",
            "about.html",
            "Who runs the Water Services Knowledge Hub, how to reach them, how entries are reviewed "
            "and the licence of its content.",
        )
    )
    for ctype in model.types.values():
        pages.append(
            GeneratedPage(
                f"{ctype.folder}/index.md",
                ctype.plural,
                "listing.html",
                ctype.description,
                {"type": ctype.name},
            )
        )
    pages.append(
        GeneratedPage(
            "matchmaking.md",
            "Match-making: problems and the practice that answers them",
            "matchmaking.html",
            (
                "Each challenge municipalities face against each theme of practice: every cell leads to "
                "the entries that address that challenge with that theme."
            ),
        )
    )
    pages.append(
        GeneratedPage(
            "items.md",
            "Every recommendation, commitment and finding",
            "items.html",
            (
                "All the recommendations, opportunities, findings and commitments from every workshop "
                "and declaration, filterable by theme and by who they are addressed to."
            ),
        )
    )
    pages.append(GeneratedPage("follow-up.md", FOLLOW_UP[0], "follow-up.html", FOLLOW_UP[1]))
    pages.append(GeneratedPage("contribute.md", CONTRIBUTE[0], "contribute.html", CONTRIBUTE[1]))
    pages.append(
        GeneratedPage(
            "calendar.md",
            "Events and courses by date",
            "calendar.html",
            (
                "Upcoming and past events and course sessions, and a timeline of the library's events "
                "and courses."
            ),
        )
    )
    for facet, title in FACETS.items():
        pages.append(
            GeneratedPage(
                f"{facet}/index.md",
                title,
                "facet.html",
                (
                    f"Every {title.lower()[:-1] if facet != 'countries' else 'country'} in the library, "
                    "with how many entries each has."
                ),
                {"facet": facet},
            )
        )
        for term, label, description in facet_terms(catalog, facet):
            template = "challenge.html" if facet == "challenges" else "term.html"
            pages.append(
                GeneratedPage(
                    term_src(facet, term),
                    label,
                    template,
                    description or f"Entries about {label}.",
                    {"facet": facet, "term": term},
                )
            )
    return pages
