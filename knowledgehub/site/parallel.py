"""Rendering the entry pages on every core.

MkDocs renders one page after another in one process. In a large library the
entry pages are nearly all of that work, and they do not depend on each other:
each needs its own Markdown, the catalog and the navigation. So once MkDocs has
collected the files, built the navigation and read the pages that are not
entries (the hooks put the entries last), the build forks worker processes.
Each worker runs MkDocs' own pipeline for its share of the entries — read,
Markdown, theme template, write into the staging folder — and the main process
passes over those pages quickly (``skip``) and goes on with the generated pages.

What the main process needs back from a worker is small: the log records (so
warnings are printed once and still count in strict mode), the anchors each
page has and links to (MkDocs checks anchor links once every page is rendered),
the time spent in the hub's stages, and the error, if a page failed.

The MkDocs internals a worker calls come from site/mkdocs_private.py, which checks that
the installed MkDocs is one they were written for before any worker is forked.

Serial rendering stays the rule for small libraries and for the live preview.
``HUB_RENDER_WORKERS`` sets the number of workers (``0`` or ``1``: serial).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import struct
import sys
import time
import traceback
from dataclasses import dataclass, field

from knowledgehub.site.mkdocs_private import page_builders, require

# below this many entries forking costs more than it saves
PARALLEL_FROM = 300
# the template that makes MkDocs write nothing for a page a worker renders
SKIP_TEMPLATE = "hub/rendered-by-worker.html"

log = logging.getLogger("mkdocs.hooks.hub")


def worker_count(entries: int) -> int:
    """How many processes should render ``entries`` entry pages (0: render serially)."""
    if not hasattr(os, "fork"):
        return 0
    setting = os.environ.get("HUB_RENDER_WORKERS", "").strip()
    if setting:
        try:
            wanted = int(setting)
        except ValueError:
            wanted = 0
        return wanted if wanted >= 2 else 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores < 2 or entries < PARALLEL_FROM:
        return 0
    return min(cores, 8)


class _Capture(logging.Handler):
    """In a worker: keep MkDocs' log records to hand them to the main process."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        # a record that cannot be formatted is not worth a failed build
        with contextlib.suppress(Exception):
            self.records.append((record.name, record.levelno, record.getMessage()))


class _QuietSkips(logging.Filter):
    """MkDocs says "Page skipped" for every page it wrote nothing for: not for these."""

    def __init__(self, owned: set[str]):
        super().__init__()
        self.owned = owned

    def filter(self, record):
        message = record.getMessage()
        if message.startswith("Page skipped: '"):
            return message[len("Page skipped: '") :].split("'", 1)[0] not in self.owned
        return True


@dataclass
class _Worker:
    pid: int
    read_fd: int
    sources: list[str]


@dataclass
class WorkerReport:
    records: list = field(default_factory=list)
    anchors: dict = field(default_factory=dict)  # src -> (present ids, {target src: {anchor: link}})
    timings: dict = field(default_factory=dict)
    pages: int = 0
    error: str | None = None


def _send(fd: int, payload: bytes) -> None:
    view = memoryview(struct.pack("!Q", len(payload)) + payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _receive(fd: int) -> bytes:
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    data = b"".join(chunks)
    if len(data) < 8:
        return b""
    (size,) = struct.unpack("!Q", data[:8])
    return data[8 : 8 + size] if len(data) >= 8 + size else b""


class ParallelRender:
    """The workers of one build and the entry pages they own."""

    def __init__(self, sources: list[str], workers: int):
        # before any page is rendered: stop here if this MkDocs lacks what the workers call
        require()
        self.sources = sources
        self.owned = set(sources)
        self.count = workers
        self.workers: list[_Worker] = []
        self.started = False
        self.joined = False
        self.in_worker = False
        self.seconds = 0.0
        self._quiet = _QuietSkips(self.owned)

    def owns(self, src: str) -> bool:
        return src in self.owned

    # -- the main process ------------------------------------------------------------

    def start(self, config, files, nav, timings: dict) -> None:
        """Fork the workers: call once every page that is not an entry has been read."""
        self.started = True
        self._started_at = time.perf_counter()
        logging.getLogger("mkdocs.commands.build").addFilter(self._quiet)
        sys.stdout.flush()
        sys.stderr.flush()
        for index in range(self.count):
            share = self.sources[index :: self.count]
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child, measured by the tests' output
                os.close(read_fd)
                code = 0
                try:
                    self.in_worker = True
                    signal.signal(signal.SIGINT, signal.SIG_DFL)
                    report = _render_share(share, config, files, nav, timings)
                    _send(write_fd, pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
                except BaseException:
                    code = 1
                    with contextlib.suppress(BaseException):
                        _send(write_fd, pickle.dumps(WorkerReport(error=traceback.format_exc(limit=5))))
                finally:
                    try:
                        sys.stdout.flush()
                        sys.stderr.flush()
                    finally:
                        os._exit(code)
            os.close(write_fd)
            self.workers.append(_Worker(pid, read_fd, share))

    def skip(self, page) -> None:
        """Make MkDocs pass over an entry page a worker renders: no Markdown, no output."""

        def read_source(config, page=page):
            page.markdown = ""
            page.meta = {"template": SKIP_TEMPLATE}

        def render(config, files, page=page):
            page.content = ""

        page.read_source = read_source
        page.render = render

    def join(self, files, timings: dict) -> list[str]:
        """Wait for every worker; replay their log records and hand their anchors to the
        pages. Returns the errors (empty when every page was written)."""
        if self.joined or not self.started:
            return []
        self.joined = True
        logging.getLogger("mkdocs.commands.build").removeFilter(self._quiet)
        errors: list[str] = []
        for worker in self.workers:
            payload = _receive(worker.read_fd)
            os.close(worker.read_fd)
            _, status = os.waitpid(worker.pid, 0)
            report = None
            if payload:
                try:
                    report = pickle.loads(payload)
                except Exception:
                    report = None
            if report is None:
                if os.WIFSIGNALED(status):
                    why = f"it was stopped by signal {os.WTERMSIG(status)}"
                else:
                    why = f"it exited with status {os.WEXITSTATUS(status)}"
                errors.append(f"a process rendering {len(worker.sources)} entry pages did not finish: {why}")
                continue
            for name, level, message in report.records:
                logging.getLogger(name).log(level, message)
            for stage, seconds in report.timings.items():
                timings[stage] = timings.get(stage, 0.0) + seconds
            for src, (present, links) in report.anchors.items():
                file = files.get_file_from_path(src)
                if file is None or file.page is None:
                    continue
                file.page.present_anchor_ids = present
                file.page.links_to_anchors = {
                    target: anchors
                    for target_src, anchors in links.items()
                    if (target := files.get_file_from_path(target_src)) is not None
                } or None
            if report.error:
                errors.append(report.error.strip().splitlines()[-1])
            elif report.pages != len(worker.sources):
                errors.append(f"a process wrote {report.pages} of its {len(worker.sources)} entry pages")
        self.seconds = time.perf_counter() - self._started_at
        return errors

    def check_anchors(self, files, config) -> None:
        """MkDocs checked anchor links before the workers' anchors were known: check the
        links from and to the pages the workers rendered now."""
        level = config.validation.links.anchors
        for file in files.documentation_pages():
            page = file.page
            if page is None or not page.links_to_anchors:
                continue
            if self.owns(file.src_uri):
                page.validate_anchor_links(files=files, log_level=level)
                continue
            into_owned = {
                target: links for target, links in page.links_to_anchors.items() if self.owns(target.src_uri)
            }
            if into_owned:
                every = page.links_to_anchors
                page.links_to_anchors = into_owned
                try:
                    page.validate_anchor_links(files=files, log_level=level)
                finally:
                    page.links_to_anchors = every

    def stop(self) -> None:
        """The build failed elsewhere: end the workers and forget them."""
        for worker in self.workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(worker.pid, 0)
            with contextlib.suppress(OSError):
                os.close(worker.read_fd)
        self.workers = []
        self.joined = True
        logging.getLogger("mkdocs.commands.build").removeFilter(self._quiet)


# runs in a child process: measured by the tests' output, not by coverage
def _render_share(sources, config, files, nav, timings: dict) -> WorkerReport:  # pragma: no cover
    from mkdocs.structure.files import InclusionLevel
    from mkdocs.structure.pages import Page

    populate_page, build_page = page_builders()
    capture = _Capture()
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.addHandler(capture)
    logger.propagate = False
    before = dict(timings)
    report = WorkerReport()
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    try:
        for src in sources:
            file = files.get_file_from_path(src)
            if file.page is None:
                Page(None, file, config)
            page = file.page
            populate_page(page, config, files)
            build_page(page, config, doc_files, nav, env)
            links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
            report.anchors[src] = (page.present_anchor_ids, links)
            # the page is written: let its text go
            page.markdown = page.content = None
            page.toc = []
            report.pages += 1
    except Exception as exc:
        report.error = f"{type(exc).__name__}: {exc}"
    report.records = capture.records
    report.timings = {
        stage: seconds - before.get(stage, 0.0)
        for stage, seconds in timings.items()
        if stage != "started" and seconds != before.get(stage, 0.0)
    }
    return report
