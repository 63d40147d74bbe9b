"""The hub's part in MkDocs' page pipeline, event by event: which files MkDocs builds and
in what order, the theme's template loader, each entry's source, the workers that render
the entry pages of a large library, and the template context of every page (its hub
HTML, the links every page has, the contribution links).

Each function takes the build's state (site/state.py) and what MkDocs hands the hook.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from markupsafe import escape
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

from knowledgehub.site.contribute import contribute_links
from knowledgehub.site.csp import with_policy
from knowledgehub.site.parallel import ParallelRender, worker_count
from knowledgehub.site.settings import page_settings
from knowledgehub.site.state import BuildState
from knowledgehub.site.urls import head_links, relative_url, src_to_url

log = logging.getLogger("mkdocs.hooks.hub")


def arrange_files(state: BuildState, files: Files, config: Any) -> Files:
    """Drop the drafts (not in the preview), add the generated pages, and put the entries
    last; for a large library, plan the workers that will render the entries."""
    catalog, renderer = state.catalog, state.renderer
    for entry in catalog.entries:
        if entry.draft and not state.serving:
            files.remove(files.get_file_from_path(entry.src_uri))
    for src_uri, page in renderer.pages.items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, src_uri, content=page.markdown()))
    state.parallel = None
    if state.serving:
        return files
    # entries last: every other page has been read when the first entry is, which is
    # when the workers that render entries are forked (before_page)
    by_src = catalog.by_src
    others = [f for f in files if f.src_uri not in by_src]
    entries = [f for f in files if f.src_uri in by_src]
    files = Files(others + entries)
    workers = worker_count(len(entries))
    if workers:
        state.parallel = ParallelRender([f.src_uri for f in entries if f.is_documentation_page()], workers)
    state.files = files
    return files


def theme_env(state: BuildState, env: Environment, config: Any) -> Environment:
    """Material's own templates also under "material/", so that an override can wrap the
    original (overrides/partials/nav.html does); a fresh navigation cache per build."""
    custom = os.path.abspath(config.theme.custom_dir or "")
    theme_dirs = [d for d in config.theme.dirs if os.path.abspath(d) != custom]
    env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(theme_dirs)})])
    state.nav_cache = {}
    return env


def page_source(state: BuildState, page: Any) -> str | None:
    """An entry's Markdown for MkDocs: its body only (the front matter was read and checked
    by load_library, and need not be parsed again). The blank first line keeps MkDocs from
    taking a body's first "Key: value" line for metadata. None: MkDocs reads the file."""
    entry = state.catalog.by_src.get(page.file.src_uri) if state.catalog else None
    return None if entry is None else "\n" + entry.source.body


def before_page(state: BuildState, page: Any, config: Any, files: Files) -> None:
    """At the first entry page a worker owns, fork the workers; MkDocs passes over the
    pages they own."""
    if not state.owned_by_worker(page):
        return
    parallel = state.parallel
    if not parallel.started:
        parallel.start(config, files, state.nav, state.timings.stages)
        log.info(f"Rendering {len(parallel.sources)} entry pages in {parallel.count} processes")
    parallel.skip(page)


def nav_key(page_url: str) -> str:
    """Entry pages are not in the navigation, so every entry page of one folder and depth
    has the same navigation (its links are relative to the page): drawn once per key."""
    return f"{os.path.dirname(page_url.rstrip('/'))}|{page_url.count('/')}"


def page_context(state: BuildState, context: dict, page: Any, config: Any) -> dict:
    """The template context of an entry or generated page: ``hub`` (its HTML from the
    renderer, and online its contribution links) and the links every page has."""
    if state.owned_by_worker(page):
        return context
    renderer = state.renderer
    src = page.file.src_uri
    entry = state.catalog.by_src.get(src)
    context["hub"] = None
    link_context(state, context, config, page.url, src)
    started = time.perf_counter()
    if entry is not None:
        context["hub_nav_key"] = nav_key(page.url)
        context["hub_nav_cache"] = state.nav_cache
        head, foot = renderer.render_entry(entry, page.url)
        context["hub"] = {"kind": "entry", "type": entry.type, "head": head, "foot": foot}
        context["hub"]["outline"] = renderer.entry_outline(entry)  # its items in the table of contents
        # the theme prints these in <head> unescaped: escape them here
        page.meta["title"] = escape(entry.title)
        page.meta["description"] = escape(entry.summary)
    elif src in renderer.pages:
        settings = page_settings(config, state.offline)
        html = renderer.render_page(renderer.pages[src], page.url, settings)
        context["hub"] = {"kind": "generated", "html": html}
    else:
        # a page of content/ outside the type folders: its front matter reaches <head> too
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape(page.meta[key])
    state.timings.add("entry_facts" if entry is not None else "generated_pages", started)
    if context["hub"] is not None and not state.offline:
        # contributing happens online: the USB edition leaves these links out
        links = contribute_links(config, src if entry is not None else None)
        if entry is not None:  # listings and the home page invite from their own templates
            context["hub"]["edit_url"] = links["edit_url"]
    return context


def link_context(state: BuildState, context: dict, config: Any, here: str, src: str = "") -> dict:
    """What every page links to, relative to ``here`` (templates outside pages, such as
    404.html, link from the site root: ``here`` is ""): search, home, the edition, feeds."""
    directory_urls = config.use_directory_urls
    context["hub_search_url"] = relative_url(src_to_url("search.md", directory_urls), here)
    context["hub_edition"] = state.edition
    context["hub_home_url"] = relative_url(src_to_url("index.md", directory_urls), here)
    context["hub_feeds"] = head_links(state.catalog, src, here, config.site_name) if state.catalog else []
    return context


def finish_rendering(state: BuildState, config: Any) -> None:
    """Every page is written: wait for the workers (stop the build if a page failed),
    check the anchor links into and out of their pages, and note the render time."""
    parallel = state.parallel
    if parallel is not None and parallel.started:
        errors = parallel.join(state.files, state.timings.stages)
        if errors:
            raise Abort("Rendering the entry pages failed: " + "; ".join(errors))
        parallel.check_anchors(state.files, config)
        state.timings.workers_done(parallel.seconds, parallel.count)
    state.timings.pages_written()


def page_content(state: BuildState, html: str) -> str:
    """A page's body as Markdown made it, on its way to the page: through the allow-list,
    since it comes from content (entries and the other pages of content/)."""
    return state.allowlist.clean(html) if state.allowlist is not None else html


def page_output(state: BuildState, output: str) -> str:
    """A finished page of the hosted site carries its Content-Security-Policy. Not the USB
    edition (browsers give file:// pages no origin for 'self' to match) nor the live
    preview (its reload script is inline)."""
    if state.offline or state.serving:
        return output
    return with_policy(output)
