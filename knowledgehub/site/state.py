"""What one MkDocs build of the hub knows, from the configuration read to shutdown: the
``BuildState``, and the two ends of its life — starting a build (the library loaded and
checked, the renderer made, the output staged) and finishing one (the staging folder
swapped in if the build succeeded, thrown away if not).

The MkDocs hooks (hooks/hub.py) keep one BuildState for the process. MkDocs loads the
hooks once per process, so the state outlives a build: the live preview rebuilds with
it, and the tests build many sites with it. What a build must not inherit from the one
before is set afresh where that build starts (``start``), or where MkDocs hands over the
files (site/pipeline.py).
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

from knowledgehub.library.catalog import Catalog
from knowledgehub.library.load import load_library
from knowledgehub.model.content import ModelError
from knowledgehub.model.problems import format_problems, summary_line
from knowledgehub.model.project import Project
from knowledgehub.policy.allowlist import Allowlist, AllowlistError
from knowledgehub.site.contribute import report_settings
from knowledgehub.site.output import BuildBusy, BuildLock, discard, staging_dir, swap_in
from knowledgehub.site.parallel import ParallelRender
from knowledgehub.site.render import Renderer
from knowledgehub.site.settings import Licence, licence_from_extra
from knowledgehub.site.timing import Timings

log = logging.getLogger("mkdocs.hooks.hub")


@dataclass
class BuildState:
    """One build of the site, as the hooks see it."""

    # "build" or "serve", from MkDocs' startup event (None when a build started otherwise)
    command: str | None = None
    # the live preview: drafts shown, the library reused, no staging folder, no workers
    serving: bool = False
    # the USB edition: pages that open from the file system, nothing online
    offline: bool = False
    project: Project | None = None
    catalog: Catalog | None = None
    renderer: Renderer | None = None
    licence: Licence | None = None
    # what outputs/usb.py says about this edition (given to ``start``: the site cannot ask)
    edition: dict | None = None
    # the folder MkDocs writes to, and the one it replaces when the build succeeded
    staged: Path | None = None
    target: Path | None = None
    # MkDocs' files and navigation of this build, for the workers
    files: Any = None
    nav: Any = None
    # the navigation of entry pages, rendered once per folder (see pipeline.page_context)
    nav_cache: dict = field(default_factory=dict)
    parallel: ParallelRender | None = None
    timings: Timings | None = None
    # what content may put on a page (model/allowlist.yml)
    allowlist: Allowlist | None = None
    # the lock on the output folder, held from staging to swap (site/output.py)
    lock: BuildLock | None = None
    # live preview: the problems of content that is invalid now (the last good pages are
    # served with them shown), and the pages that showed them (rendered again once fixed)
    problems: str = ""
    bannered: set = field(default_factory=set)
    ok: bool = False

    def start(self, config: Any, edition_of: Callable[[Project, bool], dict]) -> None:
        """MkDocs read its configuration: load and check the library (stop the build, with
        every problem, when it is not valid), make the renderer and, for a build that is
        not a preview, make MkDocs write into a staging folder. ``edition_of(project,
        offline)`` says which edition this is (outputs/usb.py's edition_info)."""
        self.timings = Timings()
        project = Project.find(config_file=config.config_file_path)
        # `mkdocs serve` calls on_startup only for its first config; later rebuilds are
        # known by the temporary folder it serves from
        serving = self.command == "serve" or os.path.basename(config.site_dir).startswith("mkdocs_")
        if not serving and self.staged is None:
            # first the lock, then the leftovers of killed builds (a site a killed swap
            # left aside is put back even if this build fails), then the staging folder
            self.target = Path(config.site_dir)
            try:
                self.lock = BuildLock(self.target)
            except BuildBusy as exc:
                raise Abort(f"hub: {exc}") from None
            self.staged = staging_dir(self.target)
            config.site_dir = str(self.staged)
        try:
            result = load_library(project, reuse=serving)
        except ModelError as exc:
            raise Abort(f"The content model is broken: {exc}") from None
        if not result.ok:
            summary = summary_line(result.problems, result.files, result.others)
            if serving and self.catalog is not None:
                # keep serving the last good library; the pages show what is wrong
                self.problems = f"{format_problems(result.problems)}\n{summary}"
                log.warning(f"{self.problems}: showing the last good pages")
                self.timings.library_loaded()
                return
            raise Abort(f"{format_problems(result.problems)}\n{summary}: the site was not built")
        if self.problems:
            self.problems = ""
            forget_pages(config.site_dir, self.bannered)
        try:
            self.allowlist = Allowlist.load(project.model_dir)
        except AllowlistError as exc:
            raise Abort(f"The allow-list is broken: {exc}") from None
        self.project, self.catalog, self.serving = project, result.catalog, serving
        self.offline = bool(config.extra.get("hub_offline"))
        self.edition = edition_of(project, self.offline)
        self.licence = licence_from_extra(config.extra)
        self.renderer = Renderer(
            result.catalog,
            project.overrides_dir / "hub",
            directory_urls=config.use_directory_urls,
            site_url=config.site_url,
            site_name=config.site_name,
            licence=self.licence,
        )
        if not self.offline:
            # contributing happens online: the USB edition leaves these links out
            self.renderer.report = report_settings(config)
        self.timings.library_loaded()

    def owned_by_worker(self, page: Any) -> bool:
        """Whether a worker process renders this page (and the main process passes over it)."""
        parallel = self.parallel
        return parallel is not None and not parallel.in_worker and parallel.owns(page.file.src_uri)

    def stop_workers(self) -> None:
        parallel = self.parallel
        if parallel is not None and parallel.started and not parallel.joined:
            parallel.stop()

    def failed(self) -> None:
        self.ok = False
        self.stop_workers()

    def finish(self) -> None:
        """MkDocs shuts down: write the timings report when asked for, then put the staged
        site in place of the old one if the build succeeded, or throw it away."""
        self.stop_workers()
        report = os.environ.get("HUB_TIMINGS")
        if report and self.timings is not None:
            self.timings.write_report(report)
        staged, target, lock = self.staged, self.target, self.lock
        self.staged = self.lock = None
        try:
            if staged is None:
                return
            if self.ok:
                try:
                    swap_in(staged, target)
                except BaseException:
                    discard(staged)
                    raise
                log.info(f"Site written to {target}")
            else:
                discard(staged)
                log.error(f"Build failed: {target} was left as it was")
        finally:
            if lock is not None:
                lock.release()

    def with_problems(self, output: str, page_url: str) -> str:
        """Live preview while content is invalid: a banner at the top of the page listing
        every problem (``path:line: message``)."""
        if not (self.serving and self.problems):
            return output
        self.bannered.add(page_url)
        return with_banner(output, self.problems)


BANNER_STYLE = (
    "position:sticky;top:0;z-index:1000;margin:0;padding:.6rem 1rem;background:#b00020;color:#fff;"
    "font:13px/1.4 monospace;white-space:pre-wrap;max-height:40vh;overflow:auto"
)


def with_banner(output: str, problems: str) -> str:
    banner = (
        f'<pre class="hub-preview-problems" role="alert" style="{BANNER_STYLE}">'
        "The content has problems; these are the last good pages.\n"
        f"{html.escape(problems)}</pre>"
    )
    at = output.find(">", output.find("<body")) + 1 if "<body" in output else 0
    return output[:at] + banner + output[at:]


def forget_pages(site_dir: str, urls: set) -> None:
    """The preview's pages that showed the problems: deleted, so that the dirty rebuild
    renders them again without the banner."""
    for url in urls:
        path = Path(site_dir) / url
        if url == "" or url.endswith("/"):
            path = path / "index.html"
        path.unlink(missing_ok=True)
    urls.clear()
