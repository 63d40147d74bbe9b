"""Workshop packs: a selection of entries as one printable page (and a PDF).

``hub pack --theme water-loss`` writes one self-contained HTML file with a cover,
a table of contents and every selected entry (its facts, its text, its items and
sources) on pages of its own, styled for paper. Where headless Chromium is
installed it is also printed to PDF beside the HTML, through Playwright.

Selecting entries: --theme, --challenge and --type may each be given several
times. Values of one option are alternatives (theme A or theme B); different
options must all hold (a course about theme A). Entry ids given as arguments are
added to what the options select (or are the whole selection without options).
A selection that matches nothing, or names an unknown theme, challenge, type or
entry, is reported and nothing is written.

Links: a link to another entry of the pack becomes a link within the pack; every
other link of the site becomes an absolute address under the site's site_url, so
that the printed or mailed pack still points readers to the library.
"""

from __future__ import annotations

import difflib
import inspect
import posixpath
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from knowledgehub.outputs.pdf import find_chromium, write_pdf
from knowledgehub.site.output import write_file

DEFAULT_OUTPUT = "workshop-pack.html"


class SelectionError(Exception):
    """The selection is wrong or empty; the message says why."""


@dataclass
class Selection:
    ids: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return bool(self.themes or self.challenges or self.types)

    @property
    def empty(self) -> bool:
        return not (self.ids or self.has_filters)


# -- choosing entries --------------------------------------------------------------------


def _unknown(kind: str, value: str, known) -> SelectionError:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return SelectionError(f"unknown {kind} '{value}'{hint}")


def _type_name(model, value: str) -> str:
    for ctype in model.types.values():
        if value in (ctype.name, ctype.folder) or value.lower() in (
            ctype.label.lower(),
            ctype.plural.lower(),
        ):
            return ctype.name
    raise _unknown("type", value, list(model.types) + [t.folder for t in model.types.values()])


def _entries_for_id(catalog, value: str) -> list:
    """Entries an id names: 'slug', 'type/slug', 'folder/slug' or a path to the entry file."""
    raw = value.strip().replace("\\", "/")
    if raw.endswith(".md"):
        raw = raw[:-3]
    parts = [p for p in raw.split("/") if p]
    if not parts:
        return []
    slug = parts[-1]
    scope = parts[-2] if len(parts) > 1 else None
    found = []
    for entry in catalog.entries:
        if entry.slug != slug:
            continue
        if scope and scope not in (entry.type, entry.ctype.folder):
            continue
        found.append(entry)
    return found


def select_entries(catalog, selection: Selection) -> list:
    """The published entries a selection names, grouped by type (in the model's
    order) and newest first within a type. Raises SelectionError when the selection
    names something unknown or matches nothing."""
    model = catalog.model
    if selection.empty:
        raise SelectionError("say which entries to pack: --theme, --challenge, --type or entry ids")
    themes = model.vocabulary("themes").terms
    challenges = model.vocabulary("challenges").terms
    for theme in selection.themes:
        if theme not in themes:
            raise _unknown("theme", theme, themes)
    for challenge in selection.challenges:
        if challenge not in challenges:
            raise _unknown("challenge", challenge, challenges)
    types = [_type_name(model, t) for t in selection.types]

    chosen: dict[tuple, object] = {}
    if selection.has_filters:
        for entry in catalog.published:
            if selection.themes and not set(selection.themes) & set(entry.themes):
                continue
            if selection.challenges and not set(selection.challenges) & set(entry.challenges):
                continue
            if types and entry.type not in types:
                continue
            chosen[entry.key] = entry
    for value in selection.ids:
        matches = _entries_for_id(catalog, value)
        if not matches:
            raise _unknown("entry", value, [e.slug for e in catalog.entries])
        published = [e for e in matches if not e.draft]
        if not published:
            raise SelectionError(f"entry '{value}' is a draft; drafts are not packed")
        for entry in published:
            chosen[entry.key] = entry
    if not chosen:
        raise SelectionError(f"no published entry matches {describe(selection, model)}")
    order = {name: index for index, name in enumerate(model.types)}
    position = {entry.key: index for index, entry in enumerate(catalog.published)}
    return sorted(chosen.values(), key=lambda e: (order[e.type], position[e.key]))


def describe(selection: Selection, model) -> str:
    """The selection in words: "theme 'Water loss' and type 'Course'"."""
    parts = []
    if selection.themes:
        parts.append(" or ".join(f"theme '{model.term_label('themes', t)}'" for t in selection.themes))
    if selection.challenges:
        parts.append(
            " or ".join(f"challenge '{model.term_label('challenges', c)}'" for c in selection.challenges)
        )
    if selection.types:
        labels = []
        for t in selection.types:
            try:
                labels.append(model.types[_type_name(model, t)].label)
            except SelectionError:
                labels.append(t)
        parts.append(" or ".join(f"type '{label}'" for label in labels))
    text = " and ".join(parts)
    if selection.ids:
        ids = ", ".join(selection.ids)
        text = f"{text}, plus the entries {ids}" if text else f"the entries {ids}"
    return text


def default_title(selection: Selection, model) -> str:
    if selection.themes and not (selection.challenges or selection.ids) and len(selection.themes) == 1:
        return f"Workshop pack: {model.term_label('themes', selection.themes[0])}"
    if selection.challenges and not (selection.themes or selection.ids) and len(selection.challenges) == 1:
        return f"Workshop pack: {model.term_label('challenges', selection.challenges[0])}"
    return "Workshop pack"


# -- the page ----------------------------------------------------------------------------


def entry_anchor(entry) -> str:
    # slugs never hold "--", so this cannot clash with another entry's anchor
    return f"{entry.type}--{entry.slug}"


class _Links:
    """Rewrites the links and ids of one entry's HTML for the pack."""

    def __init__(self, catalog, packed, settings):
        from knowledgehub.site.urls import absolute_url, src_to_url

        self._absolute = absolute_url
        self._src_to_url = src_to_url
        self.catalog = catalog
        self.settings = settings
        self.packed = {e.key for e in packed}
        self.by_url = {src_to_url(e.src_uri, settings.directory_urls): e for e in catalog.published}

    def site(self, path: str, fragment: str) -> str:
        return self._absolute(self.settings.site_url, path) + (f"#{fragment}" if fragment else "")

    def to_entry(self, entry, fragment: str) -> str | None:
        if entry is None or entry.key not in self.packed:
            return None
        anchor = entry_anchor(entry)
        return f"#{anchor}--{fragment}" if fragment and fragment != entry.slug else f"#{anchor}"

    def rewrite(self, href: str, here_src: str | None, own: str) -> str:
        """``here_src``: the entry's source file for links written in its Markdown body;
        None for links the site's templates wrote (relative to the site root)."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return href
        if not parts.path:
            return f"#{own}--{parts.fragment}" if parts.fragment else href
        if here_src is not None:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(here_src), parts.path))
            if path.endswith(".md"):
                target = self.catalog.by_src.get(path)
                return self.to_entry(target, parts.fragment) or self.site(
                    self._src_to_url(path, self.settings.directory_urls), parts.fragment
                )
            return self.site(path, parts.fragment)
        path = parts.path.lstrip("/")
        return self.to_entry(self.by_url.get(path), parts.fragment) or self.site(path, parts.fragment)


_ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls", "for")
_DROPPED = ("hub-index-data", "hub-neighbours")


def _fragment(html: str, links: _Links, here_src: str | None, own: str) -> str:
    """One part of an entry with its links rewritten and its ids made unique in the pack."""
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    # the search index data and the site's "newer / older" links mean nothing on paper
    for name in _DROPPED:
        for hidden in root.xpath(f'.//*[contains(concat(" ", normalize-space(@class), " "), " {name} ")]'):
            hidden.drop_tree()  # keeps the text that follows it
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("id"):
            element.set("id", f"{own}--{element.get('id')}")
        for name in _ID_REFERENCES:
            if element.get(name):
                element.set(name, " ".join(f"{own}--{ref}" for ref in element.get(name).split()))
        if element.tag == "a" and element.get("href") is not None:
            element.set("href", links.rewrite(element.get("href"), here_src, own))
        if element.tag == "details":
            element.set("open", "open")  # on paper, folded text would be lost
        if element.tag == "img" and element.get("src"):
            element.set("src", links.rewrite(element.get("src"), here_src, own))
    return "".join(
        ([root.text] if root.text else []) + [lxml.html.tostring(child, encoding="unicode") for child in root]
    )


def render_pack(
    project, catalog, entries: list, settings, title: str, description: str, today: date | None = None
) -> str:
    """The pack as one HTML document."""
    import markdown
    from markupsafe import Markup

    from knowledgehub.site.formatting import human_date
    from knowledgehub.site.render import Renderer

    # the site's address, name and licence go to a Renderer that takes them (for citations)
    offered = {"site_url": settings.site_url, "site_name": settings.site_name, "licence": settings.licence}
    accepted = inspect.signature(Renderer).parameters
    renderer = Renderer(
        catalog,
        project.overrides_dir / "hub",
        directory_urls=settings.directory_urls,
        **{name: value for name, value in offered.items() if name in accepted},
    )
    md = markdown.Markdown(
        extensions=list(settings.markdown_extensions), extension_configs=settings.mdx_configs or {}
    )
    links = _Links(catalog, entries, settings)
    model = catalog.model
    groups = []
    for ctype in model.types.values():
        members = [e for e in entries if e.type == ctype.name]
        if not members:
            continue
        rendered = []
        for entry in members:
            own = entry_anchor(entry)
            head, foot = renderer.render_entry(entry, "")
            body = md.reset().convert(entry.source.body)
            rendered.append(
                {
                    "anchor": own,
                    "key": f"{entry.type}/{entry.slug}",
                    "title": entry.title,
                    "date": human_date(entry.date),
                    "summary": entry.summary,
                    "head": Markup(_fragment(str(head), links, None, own)),
                    "body": Markup(_fragment(body, links, entry.src_uri, own)),
                    "foot": Markup(_fragment(str(foot), links, None, own)),
                    "url": links.site(renderer.entry_url(entry), ""),
                }
            )
        groups.append({"label": ctype.plural if len(members) > 1 else ctype.label, "entries": rendered})
    template = renderer.env.get_template("pack.html")
    return template.render(
        title=title,
        description=description,
        groups=groups,
        count=len(entries),
        prepared=human_date((today or date.today()).isoformat()),
        site_name=settings.site_name,
        site_url=settings.site_url or "",
        licence=settings.licence.as_dict(),
    )


# -- files -------------------------------------------------------------------------------


def make_pack(
    project,
    selection: Selection,
    output: Path,
    title: str | None = None,
    pdf: bool | None = None,
    settings=None,
    today: date | None = None,
) -> dict:
    """Select, render and write a pack. Returns {"entries", "html", "pdf", "pdf_note"}.
    Raises SelectionError (nothing written) when the selection is wrong or empty.
    ``pdf``: True to require a PDF, False for none, None for one when Chromium is found."""
    from knowledgehub.library.load import load_library
    from knowledgehub.site.settings import site_settings

    result = load_library(project)
    if not result.ok:
        from knowledgehub.model.problems import format_problems

        raise SelectionError(
            f"the library has errors; fix them first (hub check):\n{format_problems(result.problems)}"
        )
    catalog = result.catalog
    entries = select_entries(catalog, selection)
    settings = settings or site_settings(project)
    chromium, pdf_note = None, ""
    if pdf is not False:
        chromium = find_chromium()
        if chromium is None:
            pdf_note = (
                "no PDF: headless Chromium was not found (install Debian's chromium, or set HUB_CHROMIUM)"
            )
        else:
            try:
                import playwright  # noqa: F401
            except ImportError:
                chromium, pdf_note = None, "no PDF: Playwright is not installed (pip install playwright)"
        if pdf and chromium is None:
            raise SelectionError(pdf_note)  # asked for a PDF that cannot be made: write nothing
    html = render_pack(
        project,
        catalog,
        entries,
        settings,
        title or default_title(selection, catalog.model),
        describe(selection, catalog.model),
        today,
    )
    output = Path(output)
    write_file(output, html)
    done = {"entries": entries, "html": output, "pdf": None, "pdf_note": pdf_note}
    if chromium is None:
        return done
    pdf_path = output.with_suffix(".pdf")
    try:
        write_pdf(output, pdf_path, chromium)
    except Exception as exc:  # the browser failed: the HTML stands on its own
        if pdf:
            raise RuntimeError(f"the PDF could not be made: {exc}") from exc
        done["pdf_note"] = (
            f"no PDF: Chromium failed ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
        )
        return done
    done["pdf"] = pdf_path
    return done
