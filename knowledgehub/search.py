"""Indexing the built site for search with Pagefind (the pagefind-bin package).

What is indexed, and with which filters, metadata and sort keys, is declared in
the HTML by the templates (``data-pagefind-*``); this module only runs Pagefind
over a finished site folder.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


class SearchIndexError(Exception):
    pass


def pagefind_executable() -> str:
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise SearchIndexError("pagefind-bin is not installed") from exc
    return str(get_executable())


def index_site(site_dir: Path, folders: list[str] | None = None) -> str:
    """Write the Pagefind bundle into ``site_dir/pagefind``; returns Pagefind's summary.

    With ``folders`` (the entry types' folders), Pagefind reads only the entry
    pages there: the generated listing pages would be left out of the index
    anyway, and not parsing them halves the time it takes.
    """
    command = [pagefind_executable(), "--site", str(site_dir), "--output-subdir", "pagefind"]
    if folders:
        command += ["--glob", "{" + ",".join(sorted(folders)) + "}/**/*.html"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(str(exc)) from exc
    if done.returncode != 0:
        raise SearchIndexError((done.stderr or done.stdout).strip()[-2000:])
    pages = re.search(r"Indexed (\d+) pages?", done.stdout)
    words = re.search(r"Indexed (\d+) words?", done.stdout)
    filters = re.search(r"Indexed (\d+) filters?", done.stdout)
    return ", ".join(
        f"{m.group(1)} {label}" for m, label in ((pages, "pages"), (words, "words"), (filters, "filters")) if m
    ) or "done"
