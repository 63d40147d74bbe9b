"""What a build writes once MkDocs has written the pages: ``after_build``.

In order: the workers that rendered entry pages are waited for; Pagefind starts indexing
the entry pages (hosted site only) while the open data is written beside it; the USB
edition gets its offline search index and its edition files, the hosted site the
front-matter schemas and, when one was built, the USB edition's zip in downloads/. The
live preview writes the open data once and indexes for search in the background, so
that the page reloads at once.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

from knowledgehub.library.catalog import Catalog
from knowledgehub.outputs.exports import write_exports
from knowledgehub.outputs.offline_index import write_offline_index, write_search_aids
from knowledgehub.outputs.schema_files import write_schemas
from knowledgehub.outputs.search import Indexing, SearchIndexError, index_site
from knowledgehub.outputs.usb import write_edition_files
from knowledgehub.site.pipeline import finish_rendering
from knowledgehub.site.state import BuildState

log = logging.getLogger("mkdocs.hooks.hub")


def _entry_folders(catalog: Catalog) -> list[str]:
    return [t.folder for t in catalog.model.types.values()]


def after_build(state: BuildState, config: Any) -> None:
    """MkDocs wrote every page into ``config.site_dir``: write the rest of the site, and
    mark the build as succeeded (stop it with MkDocs' Abort when something failed)."""
    site_dir = Path(config.site_dir)
    if state.serving and (site_dir / "catalog.json").exists():
        # live preview: the open data files were written by the first build
        state.ok = True
        index_in_background(state.catalog, site_dir)
        return
    finish_rendering(state, config)
    timings = state.timings
    # from here on: search index and open data
    post_started = time.perf_counter()
    indexing = None
    if not state.offline and not state.serving:
        # Pagefind runs beside the exports below: it reads only the entry pages
        try:
            indexing = Indexing(site_dir, _entry_folders(state.catalog))
        except SearchIndexError as exc:
            raise Abort(f"Search indexing failed: {exc}") from None
    try:
        started = time.perf_counter()
        counts = write_exports(
            state.catalog,
            site_dir,
            config.site_url,
            config.use_directory_urls,
            licence=state.licence,
            site_name=config.site_name,
        )
        log.info(
            f"Open data: {counts['catalog.json']} entries, {counts['items.csv']} items, "
            f"{counts['calendar.ics']} calendar events"
        )
        write_search_aids(state.catalog, state.renderer, site_dir)
        if state.offline:
            stats = write_offline_index(state.catalog, state.renderer, site_dir)
            write_edition_files(site_dir, state.edition)
            log.info(f"Offline search index: {stats['documents']} entries in {stats['shards']} shards")
        else:
            # the front-matter schemas, for editors and for anyone checking entries elsewhere
            write_schemas(state.catalog.model, site_dir / "schemas", config.site_url or "")
            copy_usb_zip(config.extra.get("hub_usb_zip"), site_dir)
    except BaseException:
        if indexing is not None:
            indexing.stop()
        raise
    timings.add("exports", started)
    if state.serving:
        index_in_background(state.catalog, site_dir)
    if indexing is not None:
        try:
            stats = indexing.wait()
        except SearchIndexError as exc:
            raise Abort(f"Search indexing failed: {exc}") from None
        log.info(f"Search index: {stats}")
        timings.stages["pagefind"] = indexing.seconds
    timings.add("post_build", post_started)
    state.ok = True


def copy_usb_zip(usb_zip: str | None, site_dir: Path) -> None:
    """The USB edition's zip, built before the hosted site, offered in downloads/."""
    if usb_zip:
        downloads = site_dir / "downloads"
        downloads.mkdir(exist_ok=True)
        shutil.copy2(usb_zip, downloads / Path(usb_zip).name)


def index_in_background(catalog: Catalog, site_dir: Path) -> None:
    """Live preview: index for search in a background thread, so the page reloads at once."""

    def index_quietly() -> None:
        try:
            index_site(site_dir, _entry_folders(catalog))
        except SearchIndexError as exc:
            log.warning(f"Search index not updated: {exc}")

    threading.Thread(target=index_quietly, daemon=True).start()
