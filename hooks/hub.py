"""MkDocs hooks: the thin adapter between MkDocs and the hub engine.

on_config       load and validate the library (abort with every problem on error);
                make `mkdocs build` write to a staging folder
on_files        drop drafts, add the generated pages, put the entries last
on_pre_page     large libraries: fork the workers that render the entry pages
on_page_context hand each entry / generated page its HTML from the renderer
on_post_build   index the entries for search with Pagefind
on_shutdown     swap the staging folder in, only if the build succeeded
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from pathlib import Path

from markupsafe import escape

try:
    import resource
except ImportError:  # not on Windows: the memory figures are left out there
    resource = None
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

from knowledgehub.library.load import load_library
from knowledgehub.model.content import ModelError
from knowledgehub.model.problems import format_problems, summary_line
from knowledgehub.model.project import Project
from knowledgehub.outputs.exports import write_exports
from knowledgehub.outputs.schema_files import write_schemas
from knowledgehub.outputs.search import Indexing, SearchIndexError, index_site
from knowledgehub.outputs.usb import edition_info, write_edition_files
from knowledgehub.site.contribute import contribute_links
from knowledgehub.site.output import discard, staging_dir, swap_in
from knowledgehub.site.parallel import ParallelRender, worker_count
from knowledgehub.site.render import Renderer
from knowledgehub.site.settings import licence_from_extra
from knowledgehub.site.urls import head_links, relative_url, src_to_url

log = logging.getLogger("mkdocs.hooks.hub")

_state: dict = {"command": None, "staged": None, "target": None, "ok": False, "parallel": None}
# Seconds spent per stage of the build; written as JSON to $HUB_TIMINGS when set
# (benchmarks/run.py reads it).
_timings: dict = {}
_marks: dict = {}


def _peak_mb(who) -> float:
    """Peak resident memory (MB) of this process, or of its largest finished child."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1) if resource else 0.0


def _timed(stage: str, started: float) -> None:
    _timings[stage] = _timings.get(stage, 0.0) + time.perf_counter() - started


def on_startup(command, dirty):
    _state["command"] = command


def on_config(config):
    started = time.perf_counter()
    _timings.clear()
    _timings["started"] = started
    project = Project.find(config_file=config.config_file_path)
    # `mkdocs serve` calls on_startup only for its first config; later rebuilds are
    # known by the temporary folder it serves from
    serving = _state["command"] == "serve" or os.path.basename(config.site_dir).startswith("mkdocs_")
    try:
        result = load_library(project, reuse=serving)
    except ModelError as exc:
        raise Abort(f"The content model is broken: {exc}")
    if not result.ok:
        raise Abort(
            f"{format_problems(result.problems)}\n{summary_line(result.problems, result.files)}: the site was not built"
        )
    offline = bool(config.extra.get("hub_offline"))
    licence = licence_from_extra(config.extra)
    _state.update(
        offline=offline,
        edition=edition_info(project, offline),
        project=project,
        catalog=result.catalog,
        serving=serving,
        licence=licence,
        renderer=Renderer(
            result.catalog,
            project.overrides_dir / "hub",
            directory_urls=config.use_directory_urls,
            site_url=config.site_url,
            site_name=config.site_name,
            licence=licence,
        ),
    )
    if not serving and _state["staged"] is None:
        _state["target"] = Path(config.site_dir)
        _state["staged"] = staging_dir(Path(config.site_dir))
        config.site_dir = str(_state["staged"])
    _timed("load_validate", started)
    _marks["loaded"] = time.perf_counter()
    return config


def on_files(files, config):
    catalog = _state["catalog"]
    renderer: Renderer = _state["renderer"]
    for entry in catalog.entries:
        if entry.draft and not _state["serving"]:
            files.remove(files.get_file_from_path(entry.src_uri))
    for src_uri, page in renderer.pages.items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, src_uri, content=page.markdown()))
    _state["parallel"] = None
    if _state["serving"]:
        return files
    # entries last: every other page has been read when the first entry is, which is
    # when the workers that render entries are forked (on_pre_page)
    by_src = catalog.by_src
    others = [f for f in files if f.src_uri not in by_src]
    entries = [f for f in files if f.src_uri in by_src]
    files = Files(others + entries)
    workers = worker_count(len(entries))
    if workers:
        _state["parallel"] = ParallelRender(
            [f.src_uri for f in entries if f.is_documentation_page()], workers
        )
    _state["files"] = files
    return files


def on_nav(nav, config, files):
    _state["nav"] = nav
    return nav


def _owned_by_worker(page) -> bool:
    parallel = _state.get("parallel")
    return parallel is not None and not parallel.in_worker and parallel.owns(page.file.src_uri)


def on_env(env, config, files):
    # Material's own templates also under "material/", so that an override can wrap
    # the original (overrides/partials/nav.html does)
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    custom = os.path.abspath(config.theme.custom_dir or "")
    theme_dirs = [d for d in config.theme.dirs if os.path.abspath(d) != custom]
    env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(theme_dirs)})])
    # the navigation of entry pages, rendered once per page depth (see on_page_context)
    _state["nav_cache"] = {}
    return env


def on_page_read_source(page, config):
    # an entry's front matter has been read and checked already (by load_library):
    # MkDocs gets the body only, and need not parse the YAML again. The blank first
    # line keeps MkDocs from taking a body's first "Key: value" line for metadata.
    entry = _state["catalog"].by_src.get(page.file.src_uri) if _state.get("catalog") else None
    return None if entry is None else "\n" + entry.source.body


def on_pre_page(page, config, files):
    if _owned_by_worker(page):
        parallel: ParallelRender = _state["parallel"]
        if not parallel.started:
            parallel.start(config, files, _state["nav"], _timings)
            log.info(f"Rendering {len(parallel.sources)} entry pages in {parallel.count} processes")
        parallel.skip(page)
    return page


def on_page_context(context, page, config, nav):
    if _owned_by_worker(page):
        return context
    renderer: Renderer = _state["renderer"]
    src = page.file.src_uri
    entry = _state["catalog"].by_src.get(src)
    context["hub"] = None
    _links(context, config, page.url, src)
    started = time.perf_counter()
    if entry is not None:
        # entries are not in the navigation: every entry page of one folder has the same
        # (its links are relative to the page)
        context["hub_nav_key"] = f"{os.path.dirname(page.url.rstrip('/'))}|{page.url.count('/')}"
        context["hub_nav_cache"] = _state.setdefault("nav_cache", {})
        head, foot = renderer.render_entry(entry, page.url)
        context["hub"] = {"kind": "entry", "type": entry.type, "head": head, "foot": foot}
        # the theme prints these in <head> unescaped: escape them here
        page.meta["title"] = escape(entry.title)
        page.meta["description"] = escape(entry.summary)
    elif src in renderer.pages:
        context["hub"] = {"kind": "generated", "html": renderer.render_page(renderer.pages[src], page.url)}
    _timed("entry_facts" if entry is not None else "generated_pages", started)
    if context["hub"] is not None and not _state["offline"]:
        # contributing happens online: the USB edition leaves these links out
        links = contribute_links(config, src if entry is not None else None)
        if entry is not None:
            context["hub"]["edit_url"] = links["edit_url"]
        elif renderer.pages[src].template in ("home.html", "listing.html"):
            context["hub"]["suggest_url"] = links["suggest_url"]
            context["hub"]["contributing_url"] = links["contributing_url"]
    return context


def on_template_context(context, template_name, config):
    # templates rendered outside pages (404.html) link from the site root
    _links(context, config, "")
    return context


def _links(context, config, here, src=""):
    context["hub_search_url"] = relative_url(src_to_url("search.md", config.use_directory_urls), here)
    context["hub_edition"] = _state.get("edition")
    context["hub_home_url"] = relative_url(src_to_url("index.md", config.use_directory_urls), here)
    context["hub_feeds"] = (
        head_links(_state["catalog"], src, here, config.site_name) if _state.get("catalog") else []
    )


def on_post_build(config):
    site_dir = Path(config.site_dir)
    if _state["serving"] and (site_dir / "catalog.json").exists():
        # live preview: the open data files were written by the first build
        _state["ok"] = True
        return _serve_post_build(site_dir)
    parallel: ParallelRender | None = _state.get("parallel")
    if parallel is not None and parallel.started:
        errors = parallel.join(_state["files"], _timings)
        if errors:
            raise Abort("Rendering the entry pages failed: " + "; ".join(errors))
        parallel.check_anchors(_state["files"], config)
        _timings["entry_pages_wall"] = parallel.seconds
        _timings["render_workers"] = parallel.count
        _timings["python_workers_peak_mb"] = _peak_mb(getattr(resource, "RUSAGE_CHILDREN", None))
    if "loaded" in _marks:
        # every page is written: Markdown, theme, entry facts and generated pages
        _timings["render"] = time.perf_counter() - _marks["loaded"]
    # from here on: search index and open data
    post_started = time.perf_counter()
    indexing = None
    if not _state["offline"] and not _state["serving"]:
        # Pagefind runs beside the exports below: it reads only the entry pages
        try:
            indexing = Indexing(site_dir, [t.folder for t in _state["catalog"].model.types.values()])
        except SearchIndexError as exc:
            raise Abort(f"Search indexing failed: {exc}")
    started = time.perf_counter()
    counts = write_exports(
        _state["catalog"],
        site_dir,
        config.site_url,
        config.use_directory_urls,
        licence=_state["licence"],
        site_name=config.site_name,
    )
    log.info(
        f"Open data: {counts['catalog.json']} entries, {counts['items.csv']} items, {counts['calendar.ics']} calendar events"
    )
    if _state["offline"]:
        from knowledgehub.outputs.offline_index import write_offline_index

        stats = write_offline_index(_state["catalog"], _state["renderer"], site_dir)
        write_edition_files(site_dir, _state["edition"])
        log.info(f"Offline search index: {stats['documents']} entries in {stats['shards']} shards")
    else:
        # the front-matter schemas, for editors and for anyone checking entries elsewhere
        write_schemas(_state["catalog"].model, site_dir / "schemas", config.site_url or "")
        usb_zip = config.extra.get("hub_usb_zip")
        if usb_zip:
            downloads = site_dir / "downloads"
            downloads.mkdir(exist_ok=True)
            shutil.copy2(usb_zip, downloads / Path(usb_zip).name)
    _timed("exports", started)
    if _state["serving"]:
        _serve_post_build(site_dir)
    if indexing is not None:
        try:
            stats = indexing.wait()
        except SearchIndexError as exc:
            raise Abort(f"Search indexing failed: {exc}")
        log.info(f"Search index: {stats}")
        _timings["pagefind"] = indexing.seconds
    _timed("post_build", post_started)
    _state["ok"] = True


def _serve_post_build(site_dir):
    """Live preview: index for search in the background, so the page reloads at once."""
    threading.Thread(target=_index_quietly, args=(site_dir,), daemon=True).start()


def _index_quietly(site_dir):
    try:
        index_site(site_dir, [t.folder for t in _state["catalog"].model.types.values()])
    except SearchIndexError as exc:
        log.warning(f"Search index not updated: {exc}")


def on_build_error(error):
    _state["ok"] = False
    _stop_workers()


def _stop_workers():
    parallel = _state.get("parallel")
    if parallel is not None and parallel.started and not parallel.joined:
        parallel.stop()


def on_shutdown():
    _stop_workers()
    if os.environ.get("HUB_TIMINGS") and "started" in _timings:
        import json

        report = {k: round(v, 3) for k, v in _timings.items() if k != "started"}
        report["python_peak_mb"] = _peak_mb(getattr(resource, "RUSAGE_SELF", None))
        report["largest_child_peak_mb"] = _peak_mb(getattr(resource, "RUSAGE_CHILDREN", None))
        report["hooks_total"] = round(time.perf_counter() - _timings["started"], 3)
        Path(os.environ["HUB_TIMINGS"]).write_text(json.dumps(report, indent=2))
    staged, target = _state.get("staged"), _state.get("target")
    _state["staged"] = None
    if staged is None:
        return
    if _state.get("ok"):
        swap_in(staged, target)
        log.info(f"Site written to {target}")
    else:
        discard(staged)
        log.error(f"Build failed: {target} was left as it was")
