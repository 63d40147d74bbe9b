"""Markdown in an entry's body: the addresses of its links, images and reference
definitions, its attribute lists ``{: ...}``, and the findings in the HTML Markdown makes of it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from knowledgehub.policy.findings import Finding
from knowledgehub.policy.html import Judged, Judgement, judge_html
from knowledgehub.policy.settings import PolicySettings

# The patterns start at "[" (a "!" before it makes an image): a pattern starting with
# an optional "!" cannot be searched for by its first character, and is 15 times slower.
_INLINE_LINK = re.compile(
    r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"  # [text] (or ![text])
    r"\(\s*(<[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))*)"  # (address
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"  # "title")
)
_REFERENCE_DEF = re.compile(r"^[ ]{0,3}\[([^\]\n]+)\]:[ \t]*\n?[ \t]*(<[^<>\n]*>|\S+)", re.M)
_REFERENCE_USE = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\](?:[ ]?\[([^\]\n]*)\])?")
_ATTR_LIST = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)\}")
_ATTR_PAIR = re.compile(r"([^\s=}\"']+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s}]+)")


def _label(text: str) -> str:
    return " ".join(text.split()).lower()


def _after_bang(body: str, match: re.Match) -> bool:
    return match.start() > 0 and body[match.start() - 1] == "!"


def markdown_addresses(body: str) -> Iterator[tuple[int, str, str]]:
    """(offset, role, address) of every Markdown link and image; role: link | image."""
    # every form below has "](" or "]:" in it (or "][" / "] [" of a reference use, which
    # yields nothing without a "]:" definition)
    if "](" not in body and "]:" not in body:
        return
    for match in _INLINE_LINK.finditer(body):
        address = match.group(2)
        if address.startswith("<") and address.endswith(">"):
            address = address[1:-1]
        yield match.start(2), ("image" if _after_bang(body, match) else "link"), address
    if "]:" not in body:
        return
    image_labels = set()
    for match in _REFERENCE_USE.finditer(body):
        if _after_bang(body, match):
            image_labels.add(_label(match.group(2) or match.group(1)))
    for match in _REFERENCE_DEF.finditer(body):
        address = match.group(2)
        if address.startswith("<") and address.endswith(">"):
            address = address[1:-1]
        yield match.start(2), ("image" if _label(match.group(1)) in image_labels else "link"), address


def attribute_lists(body: str) -> Iterator[tuple[int, str, str]]:
    """(offset, name, value) of every key=value in Markdown attribute lists ``{: ...}``."""
    for match in _ATTR_LIST.finditer(body):
        for pair in _ATTR_PAIR.finditer(match.group(1)):
            value = pair.group(2)
            if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1:
                value = value[1:-1]
            yield match.start(1) + pair.start(), pair.group(1).lower(), value


# -- rendering ----------------------------------------------------------------------

_markdown_cache: dict[str, Any] = {}
_DEFAULT_EXTENSIONS = [
    "toc",
    "tables",
    "fenced_code",
    "attr_list",
    "def_list",
    "footnotes",
    "admonition",
    "md_in_html",
]


def _markdown(settings: PolicySettings):
    """A Markdown converter with the project's extensions (as MkDocs uses them)."""
    key = (
        repr((settings.config or {}).get("markdown_extensions"))
        if settings.config is not None
        else "defaults"
    )
    if key in _markdown_cache:
        return _markdown_cache[key]
    import markdown

    names: list[str] = ["toc", "tables", "fenced_code"]
    configs: dict[str, dict] = {}
    if settings.config is None:  # no project: the extensions a hub project uses
        names = list(_DEFAULT_EXTENSIONS)
    for item in (settings.config or {}).get("markdown_extensions") or []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            for name, options in item.items():
                names.append(str(name))
                if isinstance(options, dict):
                    configs[str(name)] = options
    names = list(dict.fromkeys(names))
    try:
        converter = markdown.Markdown(extensions=names, extension_configs=configs)
    except Exception:
        converter = markdown.Markdown(extensions=_DEFAULT_EXTENSIONS)
    if len(_markdown_cache) > 16:
        _markdown_cache.clear()
    _markdown_cache[key] = converter
    return converter


def judged_body(body: str, settings: PolicySettings) -> Judgement:
    """What the sanitizer removes from the HTML Markdown makes of ``body``."""
    from knowledgehub.policy.allowlist import AllowlistError
    from knowledgehub.policy.settings import allowlist_of

    try:
        converter = _markdown(settings)
        converter.reset()
        output = converter.convert(body)
    except Exception:  # noqa: BLE001 - the build reports what Markdown cannot convert
        return Judgement([], [])
    try:
        allowlist = allowlist_of(settings)
    except AllowlistError as exc:
        return Judgement([Judged("policy-config", f"the allow-list cannot be read: {exc}", "", ())], [])
    return judge_html(output, allowlist)


def rendered_findings(body: str, settings: PolicySettings) -> list[Finding]:
    """What the sanitizer removes from the HTML Markdown makes of ``body`` (lines not known: 0)."""
    return [Finding(0, j.rule, j.message, j.hint) for j in judged_body(body, settings).removed]
