"""The site's settings the engine needs from mkdocs.yml: its address and name, URL style,
the content licence and the Markdown extensions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from knowledgehub.site.urls import DEFAULT_SITE_NAME

_LICENCES = {
    "cc by 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc by-sa 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc by-nc 4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "cc by-nc-sa 4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "cc0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "odc-by 1.0": "https://opendatacommons.org/licenses/by/1-0/",
}


@dataclass(frozen=True)
class Licence:
    name: str
    url: str

    def as_dict(self) -> dict:
        return {"name": self.name, "url": self.url}


DEFAULT_LICENCE = Licence("CC BY 4.0", _LICENCES["cc by 4.0"])


def licence_from_extra(extra: Any) -> Licence:
    """The content licence from mkdocs.yml ``extra.hub.licence``: either a name
    ("CC BY-SA 4.0": well-known Creative Commons names get their URL) or a mapping
    ``{name: ..., url: ...}``. Default: CC BY 4.0."""
    hub = (extra or {}).get("hub") if hasattr(extra, "get") else None
    raw = hub.get("licence") if hasattr(hub, "get") else None
    if isinstance(raw, str) and raw.strip():
        name = raw.strip()
        return Licence(name, _LICENCES.get(name.lower(), ""))
    if hasattr(raw, "get") and raw.get("name"):
        name = str(raw["name"]).strip()
        return Licence(name, str(raw.get("url") or _LICENCES.get(name.lower(), "")))
    return DEFAULT_LICENCE


@dataclass(frozen=True)
class SiteSettings:
    site_url: str | None
    site_name: str
    directory_urls: bool
    licence: Licence
    markdown_extensions: tuple = ()
    mdx_configs: dict | None = None


def site_settings(project) -> SiteSettings:
    """site_url, site_name, use_directory_urls and the licence, read through MkDocs
    (so that ``!ENV`` values resolve as they do in a build)."""
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(project.config_file))
    return SiteSettings(
        site_url=config.site_url or None,
        site_name=config.site_name or DEFAULT_SITE_NAME,
        directory_urls=bool(config.use_directory_urls),
        licence=licence_from_extra(config.extra),
        markdown_extensions=tuple(config.markdown_extensions or ()),
        mdx_configs=dict(config.mdx_configs or {}),
    )


@dataclass(frozen=True)
class About:
    """What the About page says, from mkdocs.yml ``extra.hub.about``: who runs the library,
    how to reach them, how entries are reviewed (a list of steps) and the licence."""

    runs: str = ""
    reach: str = ""
    contact_url: str = ""
    review: tuple = ()


def about_from_extra(extra: Any) -> About:
    hub = (extra or {}).get("hub") if hasattr(extra, "get") else None
    raw = hub.get("about") if hasattr(hub, "get") else None
    if not hasattr(raw, "get"):
        return About()
    review = raw.get("review") or ()
    return About(
        runs=str(raw.get("runs") or ""),
        reach=str(raw.get("reach") or ""),
        contact_url=str(raw.get("contact_url") or ""),
        review=tuple(str(step) for step in (review if isinstance(review, list) else [review])),
    )


def page_settings(config: Any, offline: bool) -> dict:
    """What a generated page may show from mkdocs.yml: the contribution links (online
    only: the USB edition has none), the About page's settings and where the contribute
    page sends an entry (both editions)."""
    from knowledgehub.site.contribute import contribute_links, form_settings

    links = contribute_links(config, None)
    if offline:
        links = dict.fromkeys(links)  # the same keys, no links
    return {"links": links, "about": about_from_extra(config.extra), "contribute": form_settings(config)}


LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]")


def publishing_problem(site_url: str | None) -> str | None:
    """Why a site with this ``site_url`` must not be published, or None. Citations, canonical
    links, feeds and the sitemap are written from site_url, so a published site with a
    localhost (or missing) address would cite addresses nobody else can open. The preview
    and the tests may keep the localhost default; ``hub build`` for publishing calls this."""
    from urllib.parse import urlsplit

    if not site_url:
        return (
            "site_url is not set: citations, feeds and the sitemap need the published address. "
            "Set site_url in mkdocs.yml or HUB_SITE_URL (e.g. HUB_SITE_URL=https://hub.example.org/)."
        )
    host = (urlsplit(site_url).hostname or "").lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return (
            f"site_url is {site_url}, a local address: every citation, canonical link, feed and the "
            "sitemap would point there. Set the published address in mkdocs.yml or HUB_SITE_URL "
            "(e.g. HUB_SITE_URL=https://hub.example.org/ hub build), or use `hub serve` to preview."
        )
    return None
