"""Indexing the built site for search with Pagefind (the pagefind-bin package).

What is indexed, and with which filters, metadata and sort keys, is declared in
the HTML by the templates (``data-pagefind-*``); this module only runs Pagefind
over a finished site folder.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

# The body of an entry is indexed up to its first BODY_ELEMENTS blocks (paragraphs, lists,
# tables): the title, summary and items say what an entry is about, and a long body adding
# every word of every page to the index made a broad query's index chunk at 10,000 entries
# several times larger. Facts near the start of the body stay findable.
BODY_ELEMENTS = 4
BODY_LIMIT = f".hub-body > :nth-child(n+{BODY_ELEMENTS + 1})"


class SearchIndexError(Exception):
    pass


def pagefind_executable() -> str:
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise SearchIndexError("pagefind-bin is not installed") from exc
    return str(get_executable())


class Indexing:
    """Pagefind running over a site folder, while the build does other work."""

    def __init__(self, site_dir: Path, folders: list[str] | None = None):
        command = [pagefind_executable(), "--site", str(site_dir), "--output-subdir", "pagefind"]
        command += ["--exclude-selectors", BODY_LIMIT]
        if folders:
            # only the entry pages: the generated listing pages would be left out of
            # the index anyway, and not parsing them halves the time Pagefind takes
            command += ["--glob", "{" + ",".join(sorted(folders)) + "}/**/*.html"]
        self.started = time.perf_counter()
        self.seconds = 0.0
        try:
            self.process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except OSError as exc:
            raise SearchIndexError(str(exc)) from exc

    def wait(self) -> str:
        """Pagefind's summary once it has finished; SearchIndexError if it failed."""
        try:
            out, err = self.process.communicate(timeout=1800)
        except subprocess.TimeoutExpired as exc:
            self.process.kill()
            raise SearchIndexError("Pagefind took more than 30 minutes") from exc
        self.seconds = time.perf_counter() - self.started
        if self.process.returncode != 0:
            raise SearchIndexError((err or out).strip()[-2000:])
        found = {
            label: re.search(rf"Indexed (\d+) {label[:-1]}", out) for label in ("pages", "words", "filters")
        }
        return ", ".join(f"{m.group(1)} {label}" for label, m in found.items() if m) or "done"

    def stop(self) -> None:
        """The build failed elsewhere: end Pagefind and wait for it, so that it writes
        nothing more into a folder about to be thrown away."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


def index_site(site_dir: Path, folders: list[str] | None = None) -> str:
    """Write the Pagefind bundle into ``site_dir/pagefind``; returns Pagefind's summary."""
    return Indexing(site_dir, folders).wait()
