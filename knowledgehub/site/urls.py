"""Where things are on the site: the URL of a source file, links relative to the page (so
the site works under any base path and from the file system), absolute addresses under
site_url, and the paths of the open-data files, feeds and calendars."""

from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import urljoin

from knowledgehub.library.catalog import Catalog, CatalogEntry
from knowledgehub.library.happenings import happenings

DEFAULT_SITE_NAME = "Water Services Knowledge Hub"


def src_to_url(src_uri: str, directory_urls: bool = True) -> str:
    stem = src_uri[:-3]
    if stem == "index":
        return "" if directory_urls else "index.html"
    if stem.endswith("/index"):
        return stem[:-5] if directory_urls else f"{stem}.html"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def relative_url(target: str, page_url: str) -> str:
    """The link from the page at ``page_url`` to ``target`` (both relative to the site root).

    Directory URLs end in '/', file URLs in '.html'. The link climbs to the site
    root and back down ('../../themes/water-loss/'), so it works on a server under
    any base path and from the file system; it is cheap enough for every link of
    every page.
    """
    if target.startswith("#"):
        return target
    return (_to_root(page_url) + target) or "./"


@lru_cache(maxsize=4096)
def _to_root(page_url: str) -> str:
    page_dir = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
    return "../" * page_dir.strip("/").count("/") + ("../" if page_dir.strip("/") else "")


def absolute_url(site_url: str | None, path: str) -> str:
    """``path`` (relative to the site root) as an address under ``site_url``;
    left relative when the site has no site_url."""
    if not site_url:
        return path
    base = site_url if site_url.endswith("/") else site_url + "/"
    return urljoin(base, path)


def entry_path(entry: CatalogEntry, directory_urls: bool = True) -> str:
    """The entry's page, relative to the site root (as MkDocs writes it)."""
    return src_to_url(entry.src_uri, directory_urls)


CATALOG_JSON = "catalog.json"


CATALOG_SCHEMA = "catalog.schema.json"


CATALOG_CSV = "catalog.csv"


ITEMS_CSV = "items.csv"


INDICATORS_CSV = "indicators.csv"


FEED = "feed.xml"


# The feed of follow-up updates (what came of the recommendations and commitments), and the
# page that lists every item by status, which advertises it.
FOLLOW_UP_FEED = "follow-up.xml"


FOLLOW_UP_PAGE = "follow-up.md"


FOLLOW_UP_FEED_TITLE = "what came of it"


CALENDAR = "calendar.ics"


FEED_LIMIT = 30


def theme_feed_path(theme: str) -> str:
    return f"feeds/{theme}.xml"


def has_calendar(entry: CatalogEntry) -> bool:
    return bool(happenings(entry))


def entry_calendar_path(entry: CatalogEntry) -> str | None:
    """The entry's own .ics (relative to the site root), or None when it has no dated event."""
    if not has_calendar(entry):
        return None
    return f"ics/{entry.ctype.folder}/{entry.slug}.ics"


def head_links(catalog: Catalog, src_uri: str, here: str, site_name: str = DEFAULT_SITE_NAME) -> list[dict]:
    """Feeds a page advertises in its <head>: the library's feed on every page, on a theme's
    page that theme's feed, and on the follow-up page the feed of follow-up updates. Each:
    {title, type, href} (href relative to ``here``)."""
    links = [
        {
            "title": f"{site_name}: newest entries",
            "type": "application/atom+xml",
            "href": relative_url(FEED, here),
        }
    ]
    if src_uri.startswith("themes/") and src_uri != "themes/index.md":
        term = src_uri[len("themes/") : -3]
        terms = catalog.model.vocabulary("themes").terms
        if term in terms:
            links.append(
                {
                    "title": f"{site_name}: {terms[term].label}",
                    "type": "application/atom+xml",
                    "href": relative_url(theme_feed_path(term), here),
                }
            )
    if src_uri == FOLLOW_UP_PAGE:
        links.append(
            {
                "title": f"{site_name}: {FOLLOW_UP_FEED_TITLE}",
                "type": "application/atom+xml",
                "href": relative_url(FOLLOW_UP_FEED, here),
            }
        )
    return links


def feed_entries(catalog: Catalog) -> list[CatalogEntry]:
    """The entries feeds list: published, dated, of the types the model puts in feeds, newest first."""
    return [e for e in catalog.published if e.date and e.ctype.in_feeds]
