"""The HTML scanner: every start tag of a text, the elements and attributes it refuses
(``attribute_findings``, ``css_loads``) and the addresses the allowed ones hold."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from knowledgehub.policy.findings import _REFUSED_TAGS, Finding, _scheme_finding, _tag_finding
from knowledgehub.policy.text import scheme_of, squeeze

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
