"""The Content-Security-Policy every hosted page carries, as a meta element: scripts only
from the site itself and the theme's own inline scripts (by hash), no requests outside the
site, no frames, plugins or form posts elsewhere. A second line of defence behind the
allow-list sanitizer: even markup that got past it could neither run nor call out."""

from __future__ import annotations

import base64
import hashlib
import re

# An inline script of the theme: no src, and either no type or a JavaScript one (data blocks
# such as Material's JSON configuration are not run, so need no hash).
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s+[^>]*)?)>(?P<text>.*?)</script>", re.S | re.I)
_RUNNABLE_TYPES = ("", "text/javascript", "module", "application/javascript")
_TYPE = re.compile(r'\btype="([^"]*)"', re.I)

DIRECTIVES = (
    ("default-src", "'none'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),  # Pagefind's search runs as WebAssembly
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),  # the theme's icons are data: SVGs in its stylesheet
    ("font-src", "'self'"),
    ("connect-src", "'self'"),  # search index and fragments, the sitemap for prefetching
    ("manifest-src", "'self'"),
    ("media-src", "'self'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("object-src", "'none'"),
    ("frame-src", "'none'"),
)


def script_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def theme_scripts(page_html: str) -> list[str]:
    """The text of every inline script of the page outside its content (the <article>),
    which is where the theme writes them; content reaches the page inside the article only,
    after the sanitizer, so no script of content's is ever given a hash."""
    start = page_html.find("<article")
    end = page_html.find("</article>", start) if start >= 0 else -1
    found = []
    for match in _INLINE_SCRIPT.finditer(page_html):
        if start >= 0 and start <= match.start() < (end if end >= 0 else len(page_html)):
            continue
        attrs = match.group("attrs") or ""
        if " src=" in attrs:
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).strip().lower() if kind else "") in _RUNNABLE_TYPES:
            found.append(match.group("text"))
    return found


def policy(page_html: str) -> str:
    hashes = " ".join(dict.fromkeys(script_hash(text) for text in theme_scripts(page_html)))
    parts = []
    for name, value in DIRECTIVES:
        if name == "script-src" and hashes:
            value = f"{value} {hashes}"
        parts.append(f"{name} {value}")
    return "; ".join(parts)


def with_policy(page_html: str) -> str:
    """The page with its policy as the first element of <head>, before any script."""
    head = re.search(r"<head(\s[^>]*)?>", page_html, re.I)
    if head is None:
        return page_html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(page_html)}">'
    return page_html[: head.end()] + meta + page_html[head.end() :]
