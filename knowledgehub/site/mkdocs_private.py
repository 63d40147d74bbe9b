"""The parts of MkDocs that are not its public API, in one place, with the check that the
installed MkDocs is one they were written for.

Rendering entry pages in forked workers (site/parallel.py) runs MkDocs' own page
pipeline for one page at a time: ``mkdocs.commands.build._populate_page`` (read the
source, convert the Markdown) and ``_build_page`` (the theme template, the file written),
and it relies on ``Page.validate_anchor_links`` to check anchor links once the workers'
anchors are known. These are private or undocumented and may change in any MkDocs
release, so they are used only for the MkDocs versions in ``SUPPORTED`` (1.6.x); on any
other version, or when a name is missing, the build stops with a one-line message
instead of a traceback from deep inside MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import mkdocs
from mkdocs.exceptions import Abort

# the MkDocs versions this module was written for: at least the first, below the second
SUPPORTED = ((1, 6), (1, 7))
BUILD_FUNCTIONS = ("_populate_page", "_build_page")
PAGE_METHODS = ("validate_anchor_links",)
_INSTEAD = "set HUB_RENDER_WORKERS=0 to render the pages in one process"


def _release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version: "1.6.1" -> (1, 6, 1), "1.7.0rc1" -> (1, 7, 0)."""
    found = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(n) for n in found.group().split(".")) if found else ()


def supported_range() -> str:
    low, high = SUPPORTED
    return f">={'.'.join(map(str, low))},<{'.'.join(map(str, high))}"


def problem() -> str | None:
    """Why the private MkDocs parts cannot be used here (one line), or None when they can."""
    version = getattr(mkdocs, "__version__", "unknown")
    low, high = SUPPORTED
    if not low <= _release(version) < high:
        return (
            f"MkDocs {version} is installed, but rendering pages in parallel uses MkDocs internals "
            f"written for mkdocs{supported_range()}: install a MkDocs in that range, or {_INSTEAD}"
        )
    from mkdocs.commands import build
    from mkdocs.structure.pages import Page

    missing = [f"mkdocs.commands.build.{name}" for name in BUILD_FUNCTIONS if not hasattr(build, name)]
    missing += [f"mkdocs.structure.pages.Page.{name}" for name in PAGE_METHODS if not hasattr(Page, name)]
    if missing:
        return (
            f"MkDocs {version} has no {', '.join(missing)}, which rendering pages in parallel uses: "
            f"install another MkDocs 1.6 release, or {_INSTEAD}"
        )
    return None


def require() -> None:
    """Stop the build (MkDocs' Abort: a message, no traceback) unless the installed MkDocs
    has the private parts this module hands out."""
    why = problem()
    if why is not None:
        raise Abort(why)


def page_builders() -> tuple[Callable, Callable]:
    """MkDocs' ``_populate_page(page, config, files)`` and
    ``_build_page(page, config, doc_files, nav, env)``."""
    require()
    from mkdocs.commands import build

    return build._populate_page, build._build_page
