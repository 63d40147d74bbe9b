"""The content policy: what a contribution may carry into the published site.

Entries come from many people and end up as HTML on a public site. ``hub check``
(and every build, through the validator) refuses anything in an entry's body or
front matter that could run script, load something from another site, take over
the page, or reach files outside ``content/``. Each refusal is a ``Problem`` with
the file, the line and one of the rules in ``RULES``.

The checks look at the text several ways, so that a trick that hides from one is
seen by another:

* the raw HTML of the body, tag by tag (with the line of each attribute);
* the text with character references decoded and blanks removed, so that
  ``&#106;avascript:`` or ``java<TAB>script:`` is still ``javascript:``;
* Markdown links, images, reference definitions and attribute lists
  (``{: onclick=... }``), with every local file they point at;
* the HTML that Markdown makes of the body, with the project's extensions, as a
  last net for anything the source-level checks did not recognise.

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

import html
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from knowledgehub.model.content import field_at
from knowledgehub.model.problems import Problem

ENV_SKIP = "HUB_UNSAFE_SKIP_POLICY"
DEFAULT_MAX_MB = 5
IMAGE_KINDS = ("png", "jpg", "jpeg", "gif", "svg", "webp")
FILE_KINDS = IMAGE_KINDS + ("pdf", "csv", "xlsx", "docx")
# Kinds a project may add to file_kinds: documents that browsers do not run.
SAFE_EXTRA_KINDS = ("txt", "odt", "ods", "odp", "pptx")
LINK_SCHEMES = ("http", "https", "mailto", "tel")
FRONT_MATTER_SCHEMES = ("http", "https", "mailto")

# Every rule the policy enforces: id → what it refuses.
RULES = {
    "policy-script": "<script> elements, in the body or in any front-matter value",
    "policy-frame": "<iframe>, <frame>, <frameset> and <portal> elements",
    "policy-object": "<object>, <embed> and <applet> elements",
    "policy-html": "elements that take over the page: <base>, <meta>, <link>, <style>, <form>",
    "policy-event-handler": "on*= event attributes (onclick, onerror, ...) in HTML or in Markdown attribute lists",
    "policy-style-url": "style attributes that load something: url(), image-set(), @import, expression(), behavior",
    "policy-url-scheme": "javascript:, vbscript: and data: addresses, however they are written; body links other than http(s), mailto and tel",
    "policy-front-matter-url": "front-matter values that are addresses other than http(s) or mailto",
    "policy-external-resource": "images and media loaded from another site (pages load nothing from outside the site)",
    "policy-file-outside": "images and attachments outside content/: ../ escapes, absolute paths, symbolic links leading out",
    "policy-file-missing": "images and attachments that do not exist",
    "policy-file-kind": "images and attachments that are not of an allowed kind, or whose content does not match their name",
    "policy-file-size": "images and attachments larger than the size limit",
    "policy-svg": "SVG images that can carry script (scripts, event attributes, foreign objects, outside references, DTDs)",
}

_SCRIPT = {"script"}
_FRAMES = {"iframe", "frame", "frameset", "portal"}
_OBJECTS = {"object", "embed", "applet"}
_TAKEOVER = {
    "base": "it changes where every link on the page goes",
    "meta": "it can redirect the page or change how it is read",
    "link": "it loads a resource into the page",
    "style": "it restyles the whole page",
    "form": "it sends what readers type somewhere else",
}
_REFUSED_TAGS = _SCRIPT | _FRAMES | _OBJECTS | set(_TAKEOVER)
# Attributes holding an address, and what following the address does.
_LINK_ATTRS = {"href", "action", "formaction", "cite", "longdesc"}
_RESOURCE_ATTRS = {
    "src",
    "srcset",
    "poster",
    "background",
    "data",
    "lowsrc",
    "dynsrc",
    "manifest",
    "icon",
    "codebase",
    "archive",
    "ping",
}
_LINK_TAGS = {"a", "area"}  # href on anything else (SVG <use>, <image>, <feImage>) loads a resource
_IMAGE_TAGS = {"img", "picture", "source", "input", "image"}
_CSS_LOADERS = (
    "url(",
    "image-set(",
    "image(",
    "cross-fade(",
    "element(",
    "src(",
    "@import",
    "expression(",
    "behavior:",
    "-moz-binding",
)


# -- settings -------------------------------------------------------------------


@dataclass(frozen=True)
class PolicySettings:
    enabled: bool = True
    max_file_mb: float = DEFAULT_MAX_MB
    max_file_bytes: int = DEFAULT_MAX_MB * 1024 * 1024
    file_kinds: tuple[str, ...] = FILE_KINDS
    config: dict | None = None  # the whole mkdocs.yml, for its Markdown extensions
    config_rel: str = "mkdocs.yml"
    problems: tuple[Problem, ...] = ()  # mistakes in the settings themselves

    @property
    def image_kinds(self) -> tuple[str, ...]:
        return tuple(k for k in self.file_kinds if k in IMAGE_KINDS)


def settings_from(config: dict | None, config_rel: str = "mkdocs.yml") -> PolicySettings:
    """The policy settings of a project, from its mkdocs.yml read as a dict."""
    config = config if isinstance(config, dict) else {}
    extra = config.get("extra")
    hub = extra.get("hub") if isinstance(extra, dict) else None
    raw = hub.get("policy") if isinstance(hub, dict) else None
    problems: list[Problem] = []

    def bad(message: str, hint: str = "") -> None:
        problems.append(Problem(config_rel, 1, f"extra.hub.policy: {message}", hint, "policy-config"))

    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        bad("must be a mapping", "e.g. policy: {max_file_mb: 5}")
        raw = {}
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        bad(f"'enabled' must be true or false, not {enabled!r}")
        enabled = True
    max_mb = raw.get("max_file_mb", DEFAULT_MAX_MB)
    if isinstance(max_mb, bool) or not isinstance(max_mb, (int, float)) or max_mb <= 0:
        bad(f"'max_file_mb' must be a positive number, not {max_mb!r}")
        max_mb = DEFAULT_MAX_MB
    kinds = raw.get("file_kinds", list(FILE_KINDS))
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        bad("'file_kinds' must be a list of file name extensions", f"e.g. [{', '.join(FILE_KINDS)}]")
        kinds = list(FILE_KINDS)
    cleaned = []
    for kind in kinds:
        kind = kind.lower().lstrip(".")
        if kind in FILE_KINDS or kind in SAFE_EXTRA_KINDS:
            cleaned.append(kind)
        else:
            bad(
                f"'{kind}' files cannot be allowed: browsers may run them",
                f"choose from {', '.join(FILE_KINDS + SAFE_EXTRA_KINDS)}",
            )
    for key in raw:
        if key not in ("enabled", "max_file_mb", "file_kinds"):
            bad(f"unknown setting '{key}'", "the settings are enabled, max_file_mb and file_kinds")
    return PolicySettings(
        enabled=enabled,
        max_file_mb=max_mb,
        max_file_bytes=int(max_mb * 1024 * 1024),
        file_kinds=tuple(dict.fromkeys(cleaned)),
        config=config,
        config_rel=config_rel,
        problems=tuple(problems),
    )


_settings_cache: dict[tuple, PolicySettings] = {}


def _config_file(content_dir: Path) -> Path | None:
    """The mkdocs.yml at or above ``content_dir`` (found without reading it)."""
    here = Path(os.path.abspath(content_dir))
    for folder in (here, *here.parents):
        candidate = folder / "mkdocs.yml"
        if candidate.is_file():
            return candidate
    return None


def settings_for(content_dir: Path) -> PolicySettings:
    """The settings of the project whose content folder is ``content_dir`` (defaults
    when it has no mkdocs.yml). Read once, and again whenever mkdocs.yml changes."""
    from knowledgehub.model.project import _read_settings

    config_file = _config_file(content_dir)
    if config_file is None:
        return PolicySettings()
    try:
        stat = config_file.stat()
    except OSError:
        return PolicySettings()
    key = (str(config_file), stat.st_mtime_ns, stat.st_size)
    if key not in _settings_cache:
        try:
            config = _read_settings(config_file)
        except Exception as exc:  # noqa: BLE001 - a broken mkdocs.yml is MkDocs' to report; here it must not pass silently
            settings = PolicySettings(
                problems=(
                    Problem(
                        config_file.name, 1, f"cannot read the policy settings: {exc}", rule="policy-config"
                    ),
                )
            )
        else:
            settings = settings_from(config, config_file.name)
        if len(_settings_cache) > 64:
            _settings_cache.clear()
        _settings_cache[key] = settings
    return _settings_cache[key]


# -- findings -------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    line: int  # relative to the text that was scanned, from 1
    rule: str
    message: str
    hint: str = ""


def _tag_finding(tag: str, line: int) -> Finding | None:
    if tag in _SCRIPT:
        return Finding(
            line,
            "policy-script",
            "a <script> element is not allowed",
            "entries may not run scripts: remove it",
        )
    article = "an" if tag[0] in "aeiou" else "a"
    if tag in _FRAMES:
        return Finding(
            line,
            "policy-frame",
            f"{article} <{tag}> element is not allowed",
            "link to the page instead: [its title](https://...)",
        )
    if tag in _OBJECTS:
        return Finding(
            line, "policy-object", f"{article} <{tag}> element is not allowed", "link to the file instead"
        )
    if tag in _TAKEOVER:
        return Finding(
            line, "policy-html", f"a <{tag}> element is not allowed: {_TAKEOVER[tag]}", "remove it"
        )
    return None


def css_loads(css: str) -> bool:
    """Whether CSS (a style attribute's value) loads something or runs script."""
    text = re.sub(r"/\*.*?(\*/|$)", "", css, flags=re.S)
    text = re.sub(
        r"\\([0-9a-fA-F]{1,6})\s?",
        lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) < 0x110000 else "",
        text,
    )
    text = text.replace("\\", "")
    text = "".join(ch for ch in text if not ch.isspace()).lower()
    return any(marker in text for marker in _CSS_LOADERS)


def squeeze(text: str) -> str:
    """``text`` without what a browser ignores inside a URL scheme, or what hides one from a
    search: blanks, backslashes, control and format characters; ASCII in lower case."""
    # the ASCII ones (spaces and newlines: most of them) go in one bytes.translate; UTF-8
    # never uses ASCII bytes inside a longer character, so this cannot split one
    data = text.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER_BYTES, _ASCII_IGNORABLE_BYTES)
    text = data.decode("utf-8", "surrogatepass")
    return text if text.isascii() else _ignorable_patterns()[0].sub("", text)


def scheme_of(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it (blanks and controls ignored), or None."""
    cleaned = squeeze(html.unescape(url))
    match = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else None


def _scheme_finding(scheme: str, line: int) -> Finding:
    if scheme in ("javascript", "vbscript", "livescript"):
        return Finding(
            line,
            "policy-url-scheme",
            f"a '{scheme}:' address is not allowed: it runs script",
            "link to an http:// or https:// address",
        )
    if scheme == "data":
        return Finding(
            line,
            "policy-url-scheme",
            "a 'data:' address is not allowed",
            "put the file in content/ and refer to it by a relative path",
        )
    return Finding(
        line,
        "policy-url-scheme",
        f"'{scheme}:' addresses are not allowed",
        f"use {', '.join(s + ':' for s in LINK_SCHEMES)} addresses, or a relative path to a file in content/",
    )


class _Scanner(HTMLParser):
    """Every start tag of a text: refused elements and attributes, and the
    addresses the allowed ones hold (for the file checks)."""

    def __init__(self, svg: bool = False):
        super().__init__(convert_charrefs=True)
        self.svg = svg
        self.findings: list[Finding] = []
        self.addresses: list[
            tuple[int, str, str, str]
        ] = []  # (line, role, tag, value); role: link | image | resource

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._tag(tag, attrs)

    def handle_decl(self, decl: str) -> None:
        if self.svg:
            self.findings.append(
                Finding(self.getpos()[0], "policy-svg", "it declares a DTD (<!DOCTYPE ...>)")
            )

    def unknown_decl(self, data: str) -> None:
        if self.svg and not data.upper().startswith("CDATA["):
            self.findings.append(
                Finding(self.getpos()[0], "policy-svg", "it has a markup declaration (<!...>)")
            )

    def handle_pi(self, data: str) -> None:
        if self.svg and "stylesheet" in data.lower():
            self.findings.append(
                Finding(self.getpos()[0], "policy-svg", "it loads a style sheet (<?xml-stylesheet ...?>)")
            )

    def _attr_line(self, name: str) -> int:
        line = self.getpos()[0]
        raw = self.get_starttag_text() or ""
        found = re.search(r"[\s/\"']" + re.escape(name) + r"\s*(=|[\s/>]|$)", raw, re.I)
        return line + raw.count("\n", 0, found.start() + 1) if found else line

    def _tag(self, tag: str, attrs: list) -> None:
        tag = tag.lower()
        line = self.getpos()[0]
        if self.svg:
            if tag in _REFUSED_TAGS or tag == "foreignobject":
                self.findings.append(Finding(line, "policy-svg", f"it has a <{tag}> element"))
        else:
            finding = _tag_finding(tag, line)
            if finding:
                self.findings.append(finding)
        for name, value in attrs:
            name = (name or "").lower()
            value = value or ""
            aline = self._attr_line(name)
            for finding in attribute_findings(tag, name, value, aline, svg=self.svg):
                self.findings.append(finding)
            if not self.svg:
                role = _role(tag, name)
                if role:
                    values = (
                        [part.strip().split()[0] for part in value.split(",") if part.strip()]
                        if name == "srcset"
                        else [value]
                    )
                    self.addresses.extend((aline, role, tag, v) for v in values)


def _role(tag: str, attr: str) -> str | None:
    """What following the address in ``attr`` of ``tag`` does: link, image or resource."""
    if attr in ("href", "xlink:href"):
        if tag == "image":
            return "image"
        if tag in ("use", "feimage", "link", "script"):
            return "resource"
        return "link"
    if attr in _LINK_ATTRS:
        return "link"
    if attr in _RESOURCE_ATTRS:
        return "image" if tag in _IMAGE_TAGS or attr in ("poster", "lowsrc", "dynsrc") else "resource"
    return None


def attribute_findings(
    tag: str | None, name: str, value: str, line: int, svg: bool = False
) -> Iterator[Finding]:
    """What is wrong with one attribute (of an HTML tag, or of a Markdown attribute list)."""
    if name.startswith("on"):
        what = "in the SVG image" if svg else "is not allowed"
        yield Finding(
            line,
            "policy-svg" if svg else "policy-event-handler",
            f"event attribute '{name}' {what}: it runs script"
            if not svg
            else f"it has an event attribute '{name}'",
            "remove it",
        )
        return
    if name.startswith("xmlns"):
        return
    if name == "style" and css_loads(value):
        if not svg:
            yield Finding(
                line,
                "policy-style-url",
                "a style that loads something (url(), @import, ...) is not allowed",
                "use a Markdown image, ![description](picture.png), for pictures",
            )
        elif css_loads(re.sub(r"url\(\s*['\"]?#[^)]*\)", "", value, flags=re.I)):
            # url(#gradient) points inside the drawing, which is harmless
            yield Finding(line, "policy-svg", "a style in it loads something from outside the drawing")
    if svg and name == "attributename" and value.strip().lower() in ("href", "xlink:href"):
        yield Finding(line, "policy-svg", "it animates a link address")
    scheme = scheme_of(value)
    normalised = squeeze(html.unescape(value))
    if svg:
        if name in ("href", "xlink:href", "src") and value.strip() and not value.strip().startswith("#"):
            if not re.match(r"data:image/(png|jpeg|gif|webp);", normalised):
                yield Finding(
                    line, "policy-svg", f'it refers to something outside the drawing ({name}="{value[:60]}")'
                )
        elif re.search(r"(javascript|vbscript):", normalised):
            yield Finding(line, "policy-svg", "it holds a script address")
        return
    if re.search(r"(javascript|vbscript|livescript):", normalised):
        yield _scheme_finding(re.search(r"(javascript|vbscript|livescript):", normalised).group(1), line)
    elif scheme == "data" and (
        name in _LINK_ATTRS or name in _RESOURCE_ATTRS or name in ("href", "xlink:href")
    ):
        yield _scheme_finding("data", line)


def scan_html(text: str, svg: bool = False) -> _Scanner:
    scanner = _Scanner(svg=svg)
    try:
        scanner.feed(text)
        scanner.close()
    except (AssertionError, ValueError, IndexError, RecursionError):
        # html.parser gave up on malformed markup; the text-level checks still run
        scanner.findings.append(
            Finding(
                max(scanner.getpos()[0], 1),
                "policy-svg" if svg else "policy-html",
                "HTML here cannot be read safely",
                "write it as plain Markdown",
            )
        )
    return scanner


# Decoded text: character references resolved (twice, for &amp;#106; and the like),
# each character keeping where it came from, so that findings keep their line.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,7};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ignorable: dict[str, re.Pattern] = {}


def _is_ignorable(ch: str) -> bool:
    return ch.isspace() or ch == "\\" or unicodedata.category(ch) in ("Cc", "Cf")


_ASCII_LOWER_BYTES = bytes(range(65)) + bytes(range(97, 123)) + bytes(range(91, 256))
_ASCII_IGNORABLE_BYTES = bytes(c for c in range(128) if _is_ignorable(chr(c)))


def _ignorable_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(ignorable, kept): blanks, the backslash and every control or format character
    (zero-width spaces, bidi marks, soft hyphens, ...), and the rest."""
    if not _ignorable:
        ranges: list[tuple[int, int]] = []
        for cp in list(range(0x20000)) + list(range(0xE0000, 0xE0100)):
            ch = chr(cp)
            if _is_ignorable(ch):
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1] = (ranges[-1][0], cp)
                else:
                    ranges.append((cp, cp))
        members = "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
        )
        _ignorable["drop"] = re.compile(f"[{members}]+")
        _ignorable["keep"] = re.compile(f"[^{members}]")
    return _ignorable["drop"], _ignorable["keep"]


class _Located:
    """A text with character references decoded, and the line of each of its characters."""

    def __init__(self, text: str, first_line: int = 1):
        self.source = text
        self.first_line = first_line
        self.plain = text
        self.origin: list[int] | None = None  # index in plain → index in source
        for _ in range(2):
            if "&" not in self.plain:
                break
            self._decode()
        self._squeezed: str | None = None
        self._kept: list[int] | None = None

    def _decode(self) -> None:
        text, origin = self.plain, self.origin
        parts: list[str] = []
        new_origin: list[int] = []
        last = 0
        for match in _REFERENCE.finditer(text):
            parts.append(text[last : match.start()])
            new_origin.extend(
                origin[last : match.start()] if origin is not None else range(last, match.start())
            )
            value = html.unescape(match.group())
            parts.append(value)
            new_origin.extend([origin[match.start()] if origin is not None else match.start()] * len(value))
            last = match.end()
        parts.append(text[last:])
        new_origin.extend(origin[last:] if origin is not None else range(last, len(text)))
        self.plain, self.origin = "".join(parts), new_origin

    def line(self, index: int) -> int:
        """The line of the character at ``index`` of ``plain``."""
        if self.origin is not None:
            index = self.origin[min(index, len(self.origin) - 1)] if self.origin else 0
        return self.first_line + self.source.count("\n", 0, index)

    @property
    def squeezed(self) -> str:
        """``plain`` without blanks, backslashes and control or format characters, ASCII in lower case."""
        if self._squeezed is None:
            self._squeezed = squeeze(self.plain)
        return self._squeezed

    def squeezed_line(self, index: int) -> int:
        if self._kept is None:
            self._kept = [m.start() for m in _ignorable_patterns()[1].finditer(self.plain)]
        return self.line(self._kept[min(index, len(self._kept) - 1)] if self._kept else 0)


def decoded(text: str) -> str:
    """``text`` with character references decoded (twice)."""
    return _Located(text).plain


_HIDDEN_SCHEME = re.compile(r"(javascript|vbscript|livescript):")
_DATA_ADDRESS = re.compile(
    r"(\]\(<?|\]:<?|(?:href|src|srcset|poster|action|formaction|data|background|cite|longdesc)=[\"']?|url\([\"']?)data:"
)
_TAG_NAMES = "|".join(sorted(_REFUSED_TAGS, key=len, reverse=True))
_REFUSED_TAG_TEXT = re.compile(rf"</?({_TAG_NAMES})(?![a-zA-Z0-9:\-])", re.I)
_EVENT_IN_TAG = re.compile(r"<[a-zA-Z][^<>]*?[\s/\"'](on[a-zA-Z]+)\s*=", re.S)


def text_findings(text: str, first_line: int = 1, markdown: bool = True) -> list[Finding]:
    """Refused things however they are written: character references, blanks and
    backslashes inside ``javascript:``, tags written as ``&lt;script&gt;``."""
    findings: list[Finding] = []
    located = _Located(text, first_line)
    plain = located.plain
    if "<" in plain:
        for match in _REFUSED_TAG_TEXT.finditer(plain):
            finding = _tag_finding(match.group(1).lower(), located.line(match.start()))
            if finding:
                findings.append(finding)
        for match in _EVENT_IN_TAG.finditer(plain):
            findings.append(
                Finding(
                    located.line(match.start(1)),
                    "policy-event-handler",
                    f"event attribute '{match.group(1).lower()}' is not allowed: it runs script",
                    "remove it",
                )
            )
    squeezed = located.squeezed
    if "script:" in squeezed:
        for match in _HIDDEN_SCHEME.finditer(squeezed):
            findings.append(_scheme_finding(match.group(1), located.squeezed_line(match.start())))
    if markdown and "data:" in squeezed:
        for match in _DATA_ADDRESS.finditer(squeezed):
            findings.append(_scheme_finding("data", located.squeezed_line(match.end() - 5)))
    return findings


# -- Markdown addresses -----------------------------------------------------------

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


# -- files -------------------------------------------------------------------------

_MAGIC = {
    "png": (lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"), "a PNG image"),
    "jpg": (lambda head: head.startswith(b"\xff\xd8\xff"), "a JPEG image"),
    "jpeg": (lambda head: head.startswith(b"\xff\xd8\xff"), "a JPEG image"),
    "gif": (lambda head: head[:6] in (b"GIF87a", b"GIF89a"), "a GIF image"),
    "webp": (lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP", "a WebP image"),
    "pdf": (lambda head: b"%PDF-" in head[:1024], "a PDF document"),
    "xlsx": (lambda head: head.startswith(b"PK\x03\x04"), "an Excel workbook"),
    "docx": (lambda head: head.startswith(b"PK\x03\x04"), "a Word document"),
    "pptx": (lambda head: head.startswith(b"PK\x03\x04"), "a PowerPoint presentation"),
    "odt": (lambda head: head.startswith(b"PK\x03\x04"), "an OpenDocument text"),
    "ods": (lambda head: head.startswith(b"PK\x03\x04"), "an OpenDocument spreadsheet"),
    "odp": (lambda head: head.startswith(b"PK\x03\x04"), "an OpenDocument presentation"),
    "csv": (lambda head: b"\x00" not in head, "a CSV table"),
    "txt": (lambda head: b"\x00" not in head, "a text file"),
}


def svg_findings(data: bytes) -> list[Finding]:
    """Why an SVG image could run script or reach outside itself ([] when it cannot)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [Finding(1, "policy-svg", "it is not UTF-8 text, so it cannot be checked")]
    findings = list(scan_html(text, svg=True).findings)
    located = _Located(text)
    plain = located.plain
    match = re.search(r"<!\s*(doctype|entity)", plain, re.I)
    if match:
        findings.append(Finding(located.line(match.start()), "policy-svg", "it declares a DTD or entities"))
    for match in re.finditer(r"<\s*(script|foreignobject)\b", plain, re.I):
        findings.append(
            Finding(located.line(match.start()), "policy-svg", f"it has a <{match.group(1).lower()}> element")
        )
    for match in _HIDDEN_SCHEME.finditer(located.squeezed):
        findings.append(
            Finding(
                located.squeezed_line(match.start()), "policy-svg", f"it holds a '{match.group(1)}:' address"
            )
        )
    return findings


_EXTERNAL_HINT = (
    "pages load nothing from outside the site: save the file in content/ and refer to it by a relative path"
)


class _Files:
    """Checks of the local files an entry points at (each file checked once)."""

    def __init__(self, base_dir: Path, content_dir: Path, settings: PolicySettings):
        self.base_dir = base_dir  # the folder relative addresses start from
        self.content_dir = content_dir
        self._real_content: Path | None = None
        self.settings = settings
        self._verdicts: dict[tuple[str, str], list[tuple[str, str, str]]] = {}

    @property
    def real_content(self) -> Path:
        if self._real_content is None:
            self._real_content = Path(os.path.realpath(self.content_dir))
        return self._real_content

    def check(self, role: str, address: str, line: int) -> list[Finding]:
        """What is wrong with following ``address`` (role: link, image or resource)."""
        key = (role, address)
        if key not in self._verdicts:
            self._verdicts[key] = list(self._judge_address(role, address))
        return [Finding(line, rule, message, hint) for rule, message, hint in self._verdicts[key]]

    def _judge_address(self, role: str, address: str) -> Iterator[tuple[str, str, str]]:
        raw = html.unescape(address).strip()
        shown = raw if len(raw) <= 80 else raw[:77] + "..."
        scheme = scheme_of(raw)
        media = role in ("image", "resource")
        what = "image" if role == "image" else "resource"
        if scheme is not None:
            if scheme in ("javascript", "vbscript", "livescript", "data"):
                return  # reported by the text checks, wherever it is written
            if media and scheme in ("http", "https"):
                yield (
                    "policy-external-resource",
                    f"{what} loaded from another site: {shown}",
                    _EXTERNAL_HINT,
                )
            elif media:
                yield (
                    "policy-url-scheme",
                    f"'{scheme}:' addresses cannot be used for images or media",
                    "save the file in content/ and refer to it by a relative path",
                )
            elif scheme not in LINK_SCHEMES:
                finding = _scheme_finding(scheme, 0)
                yield (finding.rule, finding.message, finding.hint)
            return
        cleaned = "".join(ch for ch in raw if ch not in "\t\n\r").replace("\\", "/")
        if cleaned.startswith("//"):
            if media:  # a network path: another site
                yield (
                    "policy-external-resource",
                    f"{what} loaded from another site: {shown}",
                    _EXTERNAL_HINT,
                )
            return
        path = unquote(urlsplit(cleaned).path).replace("\\", "/")
        if not path:
            return  # an anchor on the same page, or a query
        if path.startswith("/"):
            yield (
                "policy-file-outside",
                f"absolute path '{shown}' is not allowed",
                "use a path relative to the entry, e.g. files/report.pdf",
            )
            return
        target = Path(os.path.normpath(self.base_dir / path))
        if not _inside(target, self.content_dir):
            yield (
                "policy-file-outside",
                f"'{shown}' points outside content/",
                "put the file in content/ and refer to it by a path that stays inside it",
            )
            return
        suffix = PurePosixPath(path).suffix.lower().lstrip(".")
        if role == "link" and (path.endswith("/") or suffix in ("", "md", "html", "htm")):
            return  # a link to a page: MkDocs checks that it exists
        yield from self.judge_file(target, shown, role)

    def judge_file(
        self, target: Path, shown: str, role: str = "attachment"
    ) -> Iterator[tuple[str, str, str]]:
        """What is wrong with the file ``target`` (inside content/ by its path) as an
        image or an attachment."""
        settings = self.settings
        suffix = target.suffix.lower().lstrip(".")
        kinds = settings.image_kinds if role == "image" else settings.file_kinds
        if suffix not in kinds:
            what = "an image" if role == "image" else "an allowed kind of file"
            yield ("policy-file-kind", f"'{shown}' is not {what}", f"allowed: {', '.join(kinds)}")
            return
        real = Path(os.path.realpath(target))
        if os.path.islink(target) and not _inside(real, self.real_content):
            yield (
                "policy-file-outside",
                f"'{shown}' is a symbolic link leading outside content/",
                "copy the file into content/ instead",
            )
            return
        if not target.exists():
            yield (
                "policy-file-missing",
                f"'{shown}' does not exist",
                "add the file to content/, or fix the path",
            )
            return
        if not _inside(real, self.real_content):
            yield (
                "policy-file-outside",
                f"'{shown}' leads outside content/ through a symbolic link",
                "copy the file into content/ instead",
            )
            return
        if not real.is_file():
            yield (
                "policy-file-kind",
                f"'{shown}' is not a file",
                "link to a file, or to a page without its extension",
            )
            return
        try:
            size = real.stat().st_size
            if size > settings.max_file_bytes:
                yield (
                    "policy-file-size",
                    f"'{shown}' is {_size(size)}; the limit is {settings.max_file_mb:g} MB",
                    "make it smaller, or link to where it is published",
                )
                return
            with open(real, "rb") as handle:
                head = handle.read(settings.max_file_bytes if suffix == "svg" else 65536)
        except OSError as exc:
            yield ("policy-file-missing", f"cannot read '{shown}': {exc.strerror or exc}", "")
            return
        if suffix == "svg":
            reasons = svg_findings(head)
            if reasons:
                first = reasons[0]
                yield (
                    "policy-svg",
                    f"SVG image '{shown}' can carry script: {first.message} (its line {first.line})",
                    "export the drawing as plain SVG without scripts, links or embedded pages, or use PNG",
                )
            return
        check, kind_name = _MAGIC.get(suffix, (lambda head: True, suffix))
        if not check(head):
            yield (
                "policy-file-kind",
                f"'{shown}' is not really {kind_name}: its content does not match its name",
                "save it in the format its name says",
            )


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 104858 else f"{n / 1024:.1f} KB"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


# -- the rest of content/ ------------------------------------------------------------
#
# MkDocs publishes every file under content/ (all but dot-files), linked or not, and
# every Markdown file outside the type folders as a page of its own. Those files are
# not entries, so they are checked here: attachments by kind, size and content, other
# Markdown files with the body checks.

_sweeps: dict[str, tuple[tuple, list[Problem]]] = {}


def _published_files(content_dir: Path) -> tuple[list[Path], list[Path]]:
    """(folders, files) under ``content_dir`` that MkDocs publishes (no dot-paths)."""
    folders, files = [content_dir], []
    for dirpath, dirnames, filenames in os.walk(content_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folders.extend(Path(dirpath) / d for d in dirnames)
        files.extend(Path(dirpath) / name for name in sorted(filenames) if not name.startswith("."))
    return folders, files


def _signature(paths: Iterable[Path]) -> tuple:
    out = []
    for path in paths:
        try:
            stat = os.lstat(path)
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def content_problems(
    content_dir: Path, model=None, settings: PolicySettings | None = None, rel_prefix: str = ""
) -> list[Problem]:
    """Problems with the files under ``content_dir`` that are not entries: attachments
    of a refused kind, too large, not what their name says, SVGs that can carry script,
    symbolic links leading out; Markdown pages outside the type folders that carry
    what entries may not. Paths in problems are ``rel_prefix`` + the path in content/.

    Remembered between calls until a folder or one of the checked files changes."""
    content_dir = Path(os.path.abspath(content_dir))
    if settings is None:
        settings = settings_for(content_dir)
    key = str(content_dir)
    remembered = _sweeps.get(key)
    if (
        remembered is not None
        and remembered[0][0] == (settings.max_file_bytes, settings.file_kinds, rel_prefix, id(model))
        and _signature(p for p, *_ in remembered[0][1]) == remembered[0][1]
    ):
        return remembered[1]
    if not content_dir.is_dir():
        return []
    folders, files = _published_files(content_dir)
    entries: set[Path] = set()
    if model is not None:
        from knowledgehub.model.project import entry_files

        entries = {Path(os.path.abspath(p)) for p in entry_files(content_dir, model)}
    checker = _Files(content_dir, content_dir, settings)
    problems: list[Problem] = []
    watched = list(folders)
    for path in files:
        rel = path.relative_to(content_dir).as_posix()
        shown = rel_prefix + rel
        suffix = path.suffix.lower().lstrip(".")
        if suffix == "md":
            if path in entries or model is None:
                continue  # an entry: checked with its front matter by check_policy
            watched.append(path)
            if rel in ("index.md",) or (
                rel.count("/") == 1
                and rel.endswith("/index.md")
                and model is not None
                and rel.split("/")[0] in model.type_by_folder
            ):
                continue  # replaced by a generated page
            try:
                text = (
                    path.read_text(encoding="utf-8", errors="replace")
                    if path.stat().st_size <= settings.max_file_bytes
                    else ""
                )
            except OSError:
                continue
            for finding in _body_findings(text, 1, path.parent, content_dir, settings):
                problems.append(
                    Problem(
                        shown,
                        finding.line,
                        f"{finding.message} (in a page that is not an entry, published as it is)",
                        finding.hint,
                        finding.rule,
                    )
                )
            continue
        watched.append(path)
        for rule, message, hint in checker.judge_file(path, path.name):
            problems.append(Problem(shown, 1, f"{message} — every file in content/ is published", hint, rule))
    problems = sorted(_unique(problems))
    _sweeps[key] = (
        ((settings.max_file_bytes, settings.file_kinds, rel_prefix, id(model)), _signature(watched)),
        problems,
    )
    return problems


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


def rendered_findings(body: str, settings: PolicySettings) -> list[Finding]:
    """Refused things in the HTML Markdown makes of ``body`` (lines are not known: 0)."""
    try:
        converter = _markdown(settings)
        converter.reset()
        output = converter.convert(body)
    except Exception:
        return []  # the build reports what Markdown cannot convert
    scanner = scan_html(output)
    findings = [Finding(0, f.rule, f.message, f.hint) for f in scanner.findings]
    for _, role, _, value in scanner.addresses:
        scheme = scheme_of(value)
        if role in ("image", "resource") and (scheme in ("http", "https") or value.strip().startswith("//")):
            findings.append(
                Finding(
                    0,
                    "policy-external-resource",
                    f"image or resource loaded from another site: {value[:80]}",
                    "pages load nothing from outside the site: save the file in content/ and refer to it by a relative path",
                )
            )
        elif (
            scheme
            and scheme not in LINK_SCHEMES
            and scheme not in ("javascript", "vbscript", "livescript", "data")
        ):
            findings.append(_scheme_finding(scheme, 0))
    return findings


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


_INJECTED_ATTRIBUTE = re.compile(r"[\s\"'`/](on[a-z]+|style)\s*=", re.I)


# Every refused form needs one of these (a tag, an entity or escape, an attribute,
# a scheme's colon) or an invisible character; values without any are plain text.
_MAYBE_ACTIVE = re.compile(r"[<>&%\\=:\x00-\x1f\x7f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def front_matter_findings(value: str, line: int, url_field: bool = False) -> list[Finding]:
    """What is refused in one front-matter value (all at ``line``)."""
    if not _MAYBE_ACTIVE.search(value):
        return []
    findings: list[Finding] = []
    scanned = {value}
    texts = [value]
    unescaped = html.unescape(value)
    if unescaped not in scanned:
        texts.append(unescaped)
        scanned.add(unescaped)
        twice = html.unescape(unescaped)
        if twice not in scanned:
            texts.append(twice)
    for text in texts:
        if "<" in text or "=" in text:
            findings.extend(Finding(line, f.rule, f.message, f.hint) for f in scan_html(text).findings)
        # a quote that ends an attribute, then new ones: '" autofocus onfocus="...' or '" style="...'
        quote = min((text.find(q) for q in "\"'`" if q in text), default=-1)
        for match in _INJECTED_ATTRIBUTE.finditer(text, quote if quote >= 0 else len(text)):
            name = match.group(1).lower()
            if name.startswith("on"):
                findings.append(
                    Finding(
                        line,
                        "policy-event-handler",
                        f"event attribute '{name}' is not allowed: it runs script",
                        "remove it",
                    )
                )
            elif css_loads(text[match.end() :]):
                findings.append(
                    Finding(
                        line,
                        "policy-style-url",
                        "a style that loads something (url(), @import, ...) is not allowed",
                        "remove it",
                    )
                )
    findings.extend(Finding(line, f.rule, f.message, f.hint) for f in text_findings(value, markdown=False))
    if not url_field:
        if re.match(r"\s*data:\s*([\w.+-]+/[\w.+-]+)?\s*[;,]", unescaped.lower()):
            findings.append(_scheme_finding("data", line))
        else:
            # a value that is an address ("ftp://...", "file:///..."); prose such as
            # "Note: ..." has a blank after the colon and is not one
            address = re.match(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):(\S*)", unescaped)
            if address and not re.search(r"\s", unescaped.strip()):
                scheme, rest = address.group(1).lower(), address.group(2)
                if (
                    scheme not in FRONT_MATTER_SCHEMES
                    and scheme not in ("javascript", "vbscript", "livescript", "data")
                    and (
                        rest.startswith("//")
                        or scheme
                        in (
                            "file",
                            "blob",
                            "filesystem",
                            "ftp",
                            "ws",
                            "wss",
                            "intent",
                            "jar",
                            "view-source",
                            "tel",
                        )
                    )
                ):
                    findings.append(
                        Finding(
                            line,
                            "policy-front-matter-url",
                            f"'{scheme}:' address: addresses in front matter must be http(s) or mailto",
                            "use an http://, https:// or mailto: address",
                        )
                    )
    return findings


def _unique(findings: Iterable[Problem]) -> list[Problem]:
    """Each problem once (the checks overlap on purpose, and say the same thing the same way)."""
    seen: set[tuple[int, str, str]] = set()
    out = []
    for problem in findings:
        key = (problem.line, problem.rule, problem.message)
        if key not in seen:
            seen.add(key)
            out.append(problem)
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
                f"the content policy is switched off ({ENV_SKIP} is set): hostile content is published as it is",
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
                "the content policy is switched off (extra.hub.policy.enabled: false): hostile content is published as it is",
                "remove the setting for every real build",
                "policy-off",
                "warning",
            )
        ]
    found: list[Problem] = []
    from knowledgehub.model.schema import URL_PATTERN

    # front matter: every text value, at the line of its key
    for path, value in strings if strings is not None else string_values(entry.data):
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


def _body_findings(
    body: str, first: int, base_dir: Path, content_dir: Path, settings: PolicySettings
) -> list[Finding]:
    """Everything refused in a Markdown body whose first line is line ``first`` of its
    file; relative addresses start from ``base_dir``."""
    at = lambda offset: first + body.count("\n", 0, offset)  # noqa: E731
    files = _Files(base_dir, content_dir, settings)
    findings: list[Finding] = []
    if "<" in body:  # without it there is no tag for the HTML scanner to find
        scanner = scan_html(body)
        findings.extend(Finding(first + f.line - 1, f.rule, f.message, f.hint) for f in scanner.findings)
        for line, role, _tag, address in scanner.addresses:
            findings.extend(files.check(role, address, first + line - 1))
    findings.extend(text_findings(body, first))
    for offset, name, value in attribute_lists(body):
        findings.extend(attribute_findings(None, name, value, at(offset)))
    for offset, role, address in markdown_addresses(body):
        findings.extend(files.check(role, address, at(offset)))
    rules_found = {f.rule for f in findings}
    for finding in rendered_findings(body, settings) if _worth_rendering(body) else ():
        if finding.rule not in rules_found:
            rules_found.add(finding.rule)
            findings.append(
                Finding(_guess_line(body, first, finding), finding.rule, finding.message, finding.hint)
            )
    return findings


def _worth_rendering(body: str) -> bool:
    """Whether Markdown could make of ``body`` anything the source-level checks do not
    see: HTML, attribute lists, images and data: addresses need markup characters;
    plain paragraphs, headings, lists and links do not."""
    return "<" in body or "{" in body or "![" in body or "data:" in squeeze(body)


def _guess_line(body: str, first: int, finding: Finding) -> int:
    """The body line a finding from the rendered HTML most likely comes from."""
    words = re.findall(r"'([^']+)'|<(\w+)>", finding.message)
    for quoted, tag in words:
        needle = (quoted or tag).rstrip(":").lower()
        if needle:
            index = body.lower().find(needle)
            if index >= 0:
                return first + body.count("\n", 0, index)
    return first


def describe_rules() -> str:
    """The rules, one a line (for documentation and the closing note)."""
    return "\n".join(f"{rule}: {text}" for rule, text in RULES.items())
