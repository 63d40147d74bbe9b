"""Ready-made citations of entries: one line of plain text and a BibTeX record,
both pointing at the entry's stable, absolute address.

Who is cited: the entries are written for the hub by its contributors, in their
own words, from the documents listed under "Sources"; so the author and publisher
of the page is the hub itself (a corporate author), not the organisations the
entry is about. The year is the year of the entry's date (the date the entry is
about: an event's first day, a declaration's date, a course's first session);
entries without a date are cited "n.d." in text and have no ``year`` in BibTeX.
No access date is added, so the citation is the same in every build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledgehub.library.catalog import CatalogEntry
from knowledgehub.site.urls import DEFAULT_SITE_NAME, absolute_url, entry_path

# Characters that mean something to TeX, and how to write them in a BibTeX value.
_TEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_RE = re.compile("|".join(re.escape(c) for c in _TEX_ESCAPES))


@dataclass(frozen=True)
class Citation:
    key: str  # BibTeX key, e.g. "event:mile-water-services-master-class-1"
    url: str  # absolute when the site has a site_url
    text: str  # one line of plain text
    bibtex: str  # a complete @misc record


def tex_escape(value: str) -> str:
    """Text made safe for a BibTeX field value (braces balanced, TeX specials escaped)."""
    text = _TEX_RE.sub(lambda m: _TEX_ESCAPES[m.group(0)], str(value))
    return " ".join(text.split())  # no line breaks inside a field


def bibtex_key(entry: CatalogEntry) -> str:
    return f"{entry.type}:{entry.slug}"


def for_entry(
    entry: CatalogEntry, site_url: str | None, directory_urls: bool = True, site_name: str = DEFAULT_SITE_NAME
) -> Citation:
    """The citation of one entry."""
    site_name = site_name or DEFAULT_SITE_NAME
    url = absolute_url(site_url, entry_path(entry, directory_urls))
    year = entry.year
    kind = entry.ctype.label
    title = " ".join(entry.title.split())
    end = "" if title.endswith((".", "?", "!")) else "."
    text = f"{site_name} ({year or 'n.d.'}). {title}{end} {kind}. {url}"

    fields = [
        (
            "author",
            "{" + tex_escape(site_name) + "}",
        ),  # double braces: a corporate author, not "Hub, W. S. K."
        ("title", "{" + tex_escape(title) + "}"),  # double braces: keep the title's capitals
        ("howpublished", tex_escape(f"{kind}, {site_name}")),
        ("publisher", tex_escape(site_name)),
    ]
    if year:
        fields.append(("year", year))
    # URLs are verbatim in biblatex's url field; an entry URL holds no braces or spaces.
    fields.append(("url", url))
    fields.append(("note", tex_escape(f"{kind} in the {site_name}")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    bibtex = f"@misc{{{bibtex_key(entry)},\n{body}\n}}\n"
    return Citation(key=bibtex_key(entry), url=url, text=text, bibtex=bibtex)
