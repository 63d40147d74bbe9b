"""Links that invite readers to contribute: "Edit this page" on an entry, the site's
own contribute page (``contribute/?type=<type>``) from the home and listing pages, with
the repository's issue form beside it, and where the contribute page sends an entry.

Everything comes from mkdocs.yml: ``repo_url`` and ``edit_uri`` (or
``edit_url_template``) as MkDocs reads them, and ``extra.hub.suggest_url``;
without a suggest_url, a GitHub repository's case-study issue form is used.
Links only: nothing is fetched from the repository host.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

SUGGEST_FORM = "case-study.yml"
PROGRESS_FORM = "follow-up.yml"  # "Report progress on a recommendation" (hub issue-form --follow-up)
# The site's own contribute page (knowledgehub/site/contribute_form.py).
CONTRIBUTE_PAGE = "contribute.md"
DEFAULT_CONTENT_FOLDER = "content"


def _get(config: Any, key: str, default: Any = None) -> Any:
    """A setting from a MkDocs config (or a plain mapping); None counts as unset."""
    getter = getattr(config, "get", None)
    value = getter(key, default) if callable(getter) else getattr(config, key, default)
    return default if value is None else value


def _is_github(repo_url: str) -> bool:
    return urlsplit(repo_url).hostname in ("github.com", "www.github.com")


def _branch(edit_uri: str) -> str:
    """The branch named in an edit_uri like 'edit/main/content/' (default: main)."""
    parts = [p for p in edit_uri.split("/") if p]
    if len(parts) >= 2 and parts[0] in ("edit", "blob", "tree"):
        return parts[1]
    return "main"


def edit_url(config: Any, src_uri: str) -> str | None:
    """Where the source file ``src_uri`` (relative to the content folder) is
    edited, by MkDocs' own rule for ``page.edit_url``: ``edit_url_template`` or
    ``edit_uri`` joined to ``repo_url``. None when neither is set."""
    repo_url = str(_get(config, "repo_url", "") or "")
    template = _get(config, "edit_url_template", None)
    edit_uri = _get(config, "edit_uri", None)
    if template:
        file_edit_uri = str(template).format(path=src_uri, path_noext=posixpath.splitext(src_uri)[0])
    elif edit_uri:
        file_edit_uri = str(edit_uri).rstrip("/") + "/" + src_uri
    else:
        return None
    if repo_url and not file_edit_uri.startswith(("?", "#")) and not repo_url.endswith("/"):
        repo_url += "/"
    return urljoin(repo_url, file_edit_uri)


def suggest_url(config: Any) -> str | None:
    """Where a reader suggests a case study: ``extra.hub.suggest_url``, else the
    repository's issue form (GitHub), else the repository's issues."""
    extra = _get(config, "extra", {}) or {}
    hub = extra.get("hub", {}) if isinstance(extra, Mapping) else {}
    configured = hub.get("suggest_url") if isinstance(hub, Mapping) else None
    if configured:
        return str(configured)
    repo_url = str(_get(config, "repo_url", "") or "").rstrip("/")
    if not repo_url:
        return None
    if _is_github(repo_url):
        return f"{repo_url}/issues/new?template={SUGGEST_FORM}"
    return f"{repo_url}/issues"


def contributing_url(config: Any) -> str | None:
    """The contributor guide (CONTRIBUTING.md) on a GitHub repository."""
    repo_url = str(_get(config, "repo_url", "") or "").rstrip("/")
    if not repo_url or not _is_github(repo_url):
        return None
    return f"{repo_url}/blob/{_branch(str(_get(config, 'edit_uri', '') or ''))}/CONTRIBUTING.md"


def contribute_links(config: Any, src_uri: str | None) -> dict:
    """The contribution links for the page built from ``src_uri``:

    ``edit_url``         edit the page's source file (None when there is no
                         repository, or for a page the hub generates: pass None)
    ``suggest_url``      suggest a case study (issue form or extra.hub.suggest_url)
    ``contributing_url`` the contributor guide
    ``repo_url``         the repository
    """
    return {
        "edit_url": edit_url(config, src_uri) if src_uri else None,
        "suggest_url": suggest_url(config),
        "contributing_url": contributing_url(config),
        "repo_url": (str(_get(config, "repo_url", "") or "") or None),
    }


def _content_folder(edit_uri: str) -> str:
    """The repository's content folder named in an edit_uri like 'edit/main/content/'."""
    parts = [p for p in edit_uri.split("/") if p]
    if len(parts) >= 3 and parts[0] in ("edit", "blob", "tree"):
        return "/".join(parts[2:])
    return DEFAULT_CONTENT_FOLDER


def form_settings(config: Any) -> dict:
    """Where the contribute page sends a finished entry, from mkdocs.yml:

    ``repo_url``       a GitHub repository ("Propose on GitHub" opens its new-file editor);
                       "" for another host or none (the way is not offered)
    ``branch``         the branch named in ``edit_uri`` (default main)
    ``content_folder`` the repository's content folder, from ``edit_uri`` (default content)
    ``editors_email``  ``extra.hub.editors_email`` ("Send to the editors"; "" hides it)
    ``issue_forms``    the start of a type's issue-form address on GitHub ("" elsewhere)

    The USB edition keeps them: a draft written at a workshop can go out once online."""
    repo_url = str(_get(config, "repo_url", "") or "").rstrip("/")
    edit_uri = str(_get(config, "edit_uri", "") or "")
    extra = _get(config, "extra", {}) or {}
    hub = extra.get("hub", {}) if isinstance(extra, Mapping) else {}
    email = hub.get("editors_email") if isinstance(hub, Mapping) else None
    configured = hub.get("suggest_url") if isinstance(hub, Mapping) else None  # one form for all
    github = bool(repo_url) and _is_github(repo_url)
    return {
        "repo_url": repo_url if github else "",
        # a type's issue form is this followed by "<type>.yml" (`hub issue-form` writes them)
        "issue_forms": f"{repo_url}/issues/new?template=" if github and not configured else "",
        "branch": _branch(edit_uri),
        "content_folder": _content_folder(edit_uri),
        "editors_email": str(email or "").strip(),
    }


def report_settings(config: Any) -> dict:
    """Where a reader reports what came of a recommendation or commitment, from mkdocs.yml:

    ``form``   the progress issue form of a GitHub repository ("" elsewhere); an item's
               link is this followed by ``&item=`` and its address, which fills in the
               form's first question (GitHub fills a form's fields from the query)
    ``email``  ``extra.hub.editors_email``, for readers without a GitHub account ("" hides it)
    """
    repo_url = str(_get(config, "repo_url", "") or "").rstrip("/")
    settings = form_settings(config)
    return {
        "form": f"{repo_url}/issues/new?template={PROGRESS_FORM}"
        if repo_url and _is_github(repo_url)
        else "",
        "email": settings["editors_email"],
    }
