"""The HTML scanner: every start tag of a text, the elements and attributes it refuses
(``attribute_findings``, ``css_loads``) and the addresses the allowed ones hold."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from knowledgehub.policy.findings import _EXTERNAL_HINT, _REFUSED_TAGS, Finding, _scheme_finding, _tag_finding
from knowledgehub.policy.settings import LINK_SCHEMES
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


# -- judging HTML by the allow-list -------------------------------------------------
#
# The HTML is parsed as browsers parse it (html5lib, scripting on, in a <div>, as the
# sanitizer parses it too), and so is what the sanitizer makes of it; everything the
# sanitizer removed or changed is one ``Judged``. Its line is found by the caller.

_HTML_NS = "http://www.w3.org/1999/xhtml"
# Attributes whose value is an address (the rest of a tag's attributes are not).
_ADDRESS_ATTRS = _LINK_ATTRS | _RESOURCE_ATTRS | {"href", "xlink:href", "srcdoc"}
_CATCH_ALL_HINT = (
    "only what model/allowlist.yml lists reaches a page: write it as plain Markdown, "
    "or ask for it to be added there"
)


@dataclass(frozen=True)
class Judged:
    """One thing the sanitizer removes: what it is (rule, message, hint) and the texts that
    most likely find it in the source (its attribute's value, its name, its start tag)."""

    rule: str
    message: str
    hint: str
    needles: tuple[str, ...]


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name in lower case) of an etree tag or attribute key."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local.lower()
    return "", name.lower()


def parse_fragment(text: str):
    """``text`` parsed as browsers parse a fragment of a page (an etree element)."""
    import html5lib

    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=True)
    return parser.parseFragment(text, container="div", scripting=True)


def _elements(root) -> list:
    return [node for node in root.iter() if isinstance(node.tag, str)][1:]


def _attr_name(key: str) -> str:
    namespace, local = _local(key)
    return f"xlink:{local}" if namespace.endswith("/xlink") else local


def _element_judged(tag: str, namespace: str, specific: bool) -> Judged | None:
    short = tag.rpartition(":")[2]  # <s:script> is a script to anything that reads XML
    finding = _tag_finding("script" if short == "script" else tag, 0)
    if finding is None and tag in _TAKEOVER_EXTRA:
        finding = Finding(0, "policy-html", f"a <{tag}> element is not allowed: {_TAKEOVER_EXTRA[tag]}")
    if finding is not None:
        return Judged(finding.rule, finding.message, finding.hint or "remove it", (f"<{tag}", tag))
    if specific:
        return None
    where = "" if namespace in ("", _HTML_NS) else " (inside SVG or MathML)"
    return Judged(
        "policy-not-allowed",
        f"a <{tag}> element{where} is not in the allow-list: it is removed from the page",
        _CATCH_ALL_HINT,
        (f"<{tag}", tag),
    )


_TAKEOVER_EXTRA = {
    "plaintext": "it turns the rest of the page into text",
    "input": "it asks readers to type something",
    "button": "it asks readers to act on a form",
    "select": "it asks readers to choose for a form",
    "textarea": "it asks readers to type something",
    "dialog": "it can cover the page",
}


def _external(value: str) -> bool:
    return scheme_of(value) in ("http", "https") or squeeze(value).replace("\\", "/").startswith("//")


def _attribute_judged(tag: str, name: str, value: str, specific: bool) -> list[Judged]:
    needles = (value[:200], name)
    if name.startswith("on"):
        return [
            Judged(
                "policy-event-handler",
                f"event attribute '{name}' is not allowed: it runs script",
                "remove it",
                (name, value[:200]),
            )
        ]
    if name == "srcdoc":
        return [Judged(j.rule, j.message, j.hint, (name,)) for j in judge_html(value, None, specific=True)]
    if name in _ADDRESS_ATTRS:
        scheme = scheme_of(value)
        if scheme in ("javascript", "vbscript", "livescript", "data"):
            f = _scheme_finding(scheme, 0)
            return [Judged(f.rule, f.message, f.hint, needles)]
        media = name in _RESOURCE_ATTRS or (
            name in ("href", "xlink:href") and tag in ("link", "use", "image", "feimage", "script")
        )
        if media and _external(value):
            return [
                Judged(
                    "policy-external-resource",
                    f"image or resource loaded from another site: {value[:80]}",
                    _EXTERNAL_HINT,
                    needles,
                )
            ]
        if scheme and scheme not in LINK_SCHEMES:
            f = _scheme_finding(scheme, 0)
            return [Judged(f.rule, f.message, f.hint, needles)]
    elif css_loads(value) and (
        name == "style" or css_loads(re.sub(r"url\(\s*['\"]?#[^)]*\)", "", value, flags=re.I))
    ):
        return [
            Judged(
                "policy-style-url",
                f"'{name}' loads something (url(), @import, ...): it is not allowed",
                "use a Markdown image, ![description](picture.png), for pictures",
                (name, value[:200]),
            )
        ]
    if name == "style" and re.search(r"(^|;)\s*(position|z-index|inset|top|left)\s*:", value, re.I):
        return [
            Judged(
                "policy-style",
                "a style that places the element over the page (position, z-index) is not allowed",
                "remove the style: content may only use "
                + "the properties that model/allowlist.yml lists (style_properties)",
                (name, value[:200]),
            )
        ]
    if specific:
        return []
    return [
        Judged(
            "policy-not-allowed",
            f"attribute '{name}' on <{tag}> is not in the allow-list: it is removed from the page",
            _CATCH_ALL_HINT,
            (name, value[:200]),
        )
    ]


def _changed_value(tag: str, name: str, value: str, kept: str) -> list[Judged]:
    """What is wrong with an attribute the sanitizer kept but changed."""
    if name == "class":
        gone = [c for c in value.split() if c not in kept.split()]
        return [
            Judged(
                "policy-not-allowed",
                f"class '{c}' on <{tag}> is not in the allow-list: it is removed from the page",
                _CATCH_ALL_HINT,
                (c, name),
            )
            for c in dict.fromkeys(gone)
        ]
    if name == "style":
        return _attribute_judged(tag, name, value, specific=False)
    return _attribute_judged(tag, name, value, specific=False)


def judge_html(text: str, allowlist, specific: bool = False) -> list[Judged]:
    """What the allow-list sanitizer removes from ``text`` (HTML), in document order.

    ``allowlist`` None or ``specific``: only the things that a rule of its own names
    (scripts, frames, handlers, addresses, ...), not everything the allow-list lacks."""
    original = parse_fragment(text)
    cleaned = _elements(parse_fragment(allowlist.clean(text))) if allowlist is not None else []
    out: list[Judged | None] = []
    at = 0
    stack = [(child, specific or allowlist is None) for child in reversed(list(original))]
    while stack:
        node, quiet = stack.pop()
        if isinstance(node, int):  # the end of an element the allow-list lacks
            if len(out) > node + 1:
                out[node] = None  # what is inside it says more: the rules it breaks
            continue
        if not isinstance(node.tag, str):
            continue
        namespace, tag = _local(node.tag)
        attrs = {_attr_name(k): v for k, v in node.attrib.items()}
        match = None
        if not quiet and at < len(cleaned) and cleaned[at].tag == node.tag:
            match, at = cleaned[at], at + 1
        if match is not None:
            kept = {_attr_name(k): v for k, v in match.attrib.items()}
            words = " ".join("".join(node.itertext()).split())[:60]
            for name, value in attrs.items():
                if name not in kept:
                    found = _attribute_judged(tag, name, value, specific=False)
                elif kept[name] != value:
                    found = _changed_value(tag, name, value, kept[name])
                else:
                    continue
                # an element Markdown made is found back by its text
                out.extend(
                    Judged(j.rule, j.message, j.hint, (*j.needles[:1], words, *j.needles[1:])) for j in found
                )
        else:
            judged = _element_judged(tag, namespace, quiet)
            if judged is not None:
                if judged.rule == "policy-not-allowed":
                    stack.append((len(out), quiet))
                out.append(judged)
            for name, value in attrs.items():
                out.extend(_attribute_judged(tag, name, value, specific=True))
            if allowlist is not None and (tag in allowlist.removed_with_content or namespace != _HTML_NS):
                quiet = True  # gone with everything in it: only say what a rule names
        stack.extend((child, quiet) for child in reversed(list(node)))
    return [judged for judged in out if judged is not None]


def kept_addresses(text: str) -> Iterator[tuple[str, str]]:
    """(role, address) of every link and image in ``text`` (HTML the sanitizer made)."""
    for node in _elements(parse_fragment(text)):
        _, tag = _local(node.tag)
        if tag == "a" and node.get("href") is not None:
            yield "link", node.get("href")
        elif tag == "img" and node.get("src") is not None:
            yield "image", node.get("src")
