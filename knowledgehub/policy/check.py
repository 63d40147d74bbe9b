"""The content policy: what a contribution may carry into the published site.

Entries come from many people and end up as HTML on a public site. ``hub check``
(and every build, through the validator) refuses anything in an entry's body or
front matter that could run script, load something from another site, take over
the page, or reach files outside ``content/``. Each refusal is a ``Problem`` with
the file, the line and one of the rules in ``RULES``.

The checks look at the text several ways, so that a trick that hides from one is
seen by another:

* a body is judged by the allow-list (model/allowlist.yml): the HTML Markdown makes
  of it, with the project's extensions, is parsed as browsers parse it (html5lib)
  and compared with what the sanitizer keeps of it; everything removed is reported
  on its line, with a rule of its own or ``policy-not-allowed``; the local files the
  links and images that stay point at are checked;
* a front-matter value reaches pages escaped, so markup in it is text; still, one
  that carries script, handlers or takeover elements (read as browsers read HTML,
  character references decoded) or an address with a refused scheme is refused.

* text, in the body and in every front-matter value, may hold only the invisible
  characters text needs (joiners of Indic scripts and emoji, soft hyphens, direction
  marks: ``policy/text.py``); one that reorders what is shown (U+202E shows "LATOT" as
  "TOTAL") is refused, so that a reader sees what a reviewer read.

Harmless HTML (tables, ``<details>``, ``<abbr>``, ``<sup>``, ...) stays allowed.

Settings come from ``extra.hub.policy`` in mkdocs.yml::

    extra:
      hub:
        policy:
          enabled: true          # false only for tests that build hostile content
          max_file_mb: 5         # size limit of each image or attachment
          file_kinds: [png, jpg, jpeg, gif, svg, webp, pdf, csv, xlsx, docx]

The environment variable ``HUB_UNSAFE_SKIP_POLICY=1`` switches the policy off too;
either way ``hub check`` prints a warning saying so.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from knowledgehub.model.content import field_at
from knowledgehub.model.problems import Problem
from knowledgehub.policy.body import _MAYBE_ACTIVE, _body_findings, front_matter_findings
from knowledgehub.policy.files import svg_findings
from knowledgehub.policy.findings import Finding, _unique
from knowledgehub.policy.html import attribute_findings, css_loads, scan_html
from knowledgehub.policy.markdown import attribute_lists, markdown_addresses, rendered_findings
from knowledgehub.policy.settings import (
    ENV_SKIP,
    RULES,
    PolicySettings,
    settings_for,
    settings_from,
)
from knowledgehub.policy.sweep import content_problems
from knowledgehub.policy.text import (
    FORMAT_CHARACTER,
    decoded,
    hidden_text_findings,
    scheme_of,
    squeeze,
    text_findings,
)

__all__ = [
    "ENV_SKIP",
    "RULES",
    "Finding",
    "PolicySettings",
    "attribute_findings",
    "attribute_lists",
    "body_first_line",
    "check_policy",
    "content_problems",
    "css_loads",
    "decoded",
    "describe_rules",
    "front_matter_findings",
    "markdown_addresses",
    "rendered_findings",
    "scan_html",
    "scheme_of",
    "settings_for",
    "settings_from",
    "squeeze",
    "string_values",
    "svg_findings",
    "text_findings",
]

# -- entry --------------------------------------------------------------------------


def _content_dir(entry) -> Path:
    """The content folder of ``entry``: its path less its ``src_uri``."""
    path = Path(os.path.abspath(entry.path))
    depth = entry.src_uri.count("/")
    return path.parents[depth] if depth < len(path.parents) else path.parent


def string_values(data: Any) -> list[tuple[tuple, str]]:
    """Every (path, text) in front-matter ``data``, in document order."""
    out: list[tuple[tuple, str]] = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            out.append((path, value))
        elif isinstance(value, dict):
            stack.extend((path + (key,), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in reversed(list(enumerate(value))))
    return out


def _field_kind(model, entry, path: tuple) -> str | None:
    if model is None or entry.type not in getattr(model, "types", {}):
        return None
    f = field_at(model.types[entry.type].fields, path)
    return f.kind if f is not None else None


def _where(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def check_policy(
    entry,
    model=None,
    settings: PolicySettings | None = None,
    shared: dict | None = None,
    strings: list | None = None,
) -> list[Problem]:
    """Every policy problem of ``entry`` (an ``loader.Entry``), with file and line.

    ``model`` (a ContentModel), when given, tells which front-matter fields are web
    addresses: those that are not http(s)/mailto are already refused by the schema,
    so they are not reported twice. ``shared``: a dict kept for one run over many
    entries, so the settings and the sweep of content/ are looked up once.
    ``strings``: the entry's (path, text) values, when the caller has them already.
    """
    rel_prefix = entry.rel[: -len(entry.src_uri)] if entry.rel.endswith(entry.src_uri) else ""
    memo_key = (os.path.dirname(entry.path), entry.src_uri.count("/"), rel_prefix, id(model))
    memo = shared.get(memo_key) if shared is not None and settings is None else None
    if memo is None:
        content_dir = _content_dir(entry)
        if settings is None:
            settings = settings_for(content_dir)
        memo = (content_dir, settings, None)
    content_dir, settings, swept = memo
    problems: list[Problem] = list(settings.problems)
    if os.environ.get(ENV_SKIP, "").strip() not in ("", "0"):
        return problems + [
            Problem(
                settings.config_rel,
                1,
                f"the content policy is switched off ({ENV_SKIP} is set): "
                "hostile content is published as it is",
                "unset it for every real build",
                "policy-off",
                "warning",
            )
        ]
    if not settings.enabled:
        return problems + [
            Problem(
                settings.config_rel,
                1,
                "the content policy is switched off (extra.hub.policy.enabled: false): "
                "hostile content is published as it is",
                "remove the setting for every real build",
                "policy-off",
                "warning",
            )
        ]
    found: list[Problem] = []
    from knowledgehub.model.schema import URL_PATTERN

    # front matter: every text value, at the line of its key
    for path, value in strings if strings is not None else string_values(entry.data):
        if FORMAT_CHARACTER.search(value):
            line = entry.line(*path)
            found.extend(
                Problem(entry.rel, line, f"{f.message} (in '{_where(path)}')", f.hint, f.rule)
                for f in hidden_text_findings(value, line, value=True)
            )
        if not _MAYBE_ACTIVE.search(value):
            continue  # plain text: nothing to find (front_matter_findings says why)
        url_field = _field_kind(model, entry, path) == "url"
        if url_field and not re.match(URL_PATTERN, value):
            continue  # the schema refuses it already
        line = entry.line(*path)
        for finding in front_matter_findings(value, line, url_field):
            found.append(
                Problem(
                    entry.rel, line, f"{finding.message} (in '{_where(path)}')", finding.hint, finding.rule
                )
            )

    # body, and the files it points at
    base_dir = Path(os.path.abspath(entry.path)).parent
    found.extend(
        Problem(entry.rel, f.line, f.message, f.hint, f.rule)
        for f in _body_findings(entry.body or "", body_first_line(entry), base_dir, content_dir, settings)
    )
    if entry.body and FORMAT_CHARACTER.search(entry.body):
        found.extend(
            Problem(entry.rel, f.line, f.message, f.hint, f.rule)
            for f in hidden_text_findings(entry.body, body_first_line(entry))
        )
    problems += sorted(_unique(found), key=lambda p: (p.line, p.rule))

    # the files of content/ that are not entries (reported on their own paths)
    if swept is None:
        swept = content_problems(content_dir, model, settings, rel_prefix)
        if shared is not None:
            shared[memo_key] = (content_dir, settings, swept)
    problems += swept
    return problems


def body_first_line(entry) -> int:
    """The file line of the first line of ``entry.body`` (the loader counts it)."""
    return entry.body_line


def describe_rules() -> str:
    """The rules, one a line (for documentation and the closing note)."""
    return "\n".join(f"{rule}: {text}" for rule, text in RULES.items())
