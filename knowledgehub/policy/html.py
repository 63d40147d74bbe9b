"""HTML judged as browsers read it: ``judge_html`` parses a fragment with html5lib and
compares it with what the allow-list sanitizer keeps of it (every element, attribute and
address removed is a ``Judged``, with its rule); ``css_loads`` (whether CSS loads
something); and the scanner of SVG image files (``scan_html``, for files.py)."""

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
    """Every start tag of an SVG image file (for files.py): what in it can run script or
    reach outside the drawing. Bodies are judged by ``judge_html`` instead."""

    def __init__(self, svg: bool = True):
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._tag(tag, attrs)

    def handle_decl(self, decl: str) -> None:
        self.findings.append(Finding(self.getpos()[0], "policy-svg", "it declares a DTD (<!DOCTYPE ...>)"))

    def unknown_decl(self, data: str) -> None:
        if not data.upper().startswith("CDATA["):
            self.findings.append(
                Finding(self.getpos()[0], "policy-svg", "it has a markup declaration (<!...>)")
            )

    def handle_pi(self, data: str) -> None:
        if "stylesheet" in data.lower():
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
        if tag in _REFUSED_TAGS or tag == "foreignobject":
            self.findings.append(Finding(self.getpos()[0], "policy-svg", f"it has a <{tag}> element"))
        for name, value in attrs:
            name = (name or "").lower()
            self.findings.extend(attribute_findings(tag, name, value or "", self._attr_line(name)))


def attribute_findings(
    tag: str | None, name: str, value: str, line: int, svg: bool = True
) -> Iterator[Finding]:
    """What is wrong with one attribute of an element of an SVG image file."""
    if name.startswith("on"):
        yield Finding(line, "policy-svg", f"it has an event attribute '{name}'", "remove it")
        return
    if name.startswith("xmlns"):
        return
    if name == "style" and css_loads(re.sub(r"url\(\s*['\"]?#[^)]*\)", "", value, flags=re.I)):
        # url(#gradient) points inside the drawing, which is harmless
        yield Finding(line, "policy-svg", "a style in it loads something from outside the drawing")
    if name == "attributename" and value.strip().lower() in ("href", "xlink:href"):
        yield Finding(line, "policy-svg", "it animates a link address")
    normalised = squeeze(html.unescape(value))
    if name in ("href", "xlink:href", "src") and value.strip() and not value.strip().startswith("#"):
        if not re.match(r"data:image/(png|jpeg|gif|webp);", normalised):
            yield Finding(
                line, "policy-svg", f'it refers to something outside the drawing ({name}="{value[:60]}")'
            )
    elif re.search(r"(javascript|vbscript):", normalised):
        yield Finding(line, "policy-svg", "it holds a script address")


def scan_html(text: str, svg: bool = True) -> _Scanner:
    """The findings in an SVG image file (``svg`` is kept for the callers)."""
    scanner = _Scanner()
    try:
        scanner.feed(text)
        scanner.close()
    except (AssertionError, ValueError, IndexError, RecursionError):
        scanner.findings.append(
            Finding(max(scanner.getpos()[0], 1), "policy-svg", "it cannot be read safely", "remove it")
        )
    return scanner


# -- judging HTML by the allow-list -------------------------------------------------
#
# The HTML is parsed as browsers parse it (html5lib, scripting on, in a <div>, as the
# sanitizer parses it too), and so is what the sanitizer makes of it; everything the
# sanitizer removed or changed is one ``Judged``. Its line is found by the caller.

_HTML_NS = "http://www.w3.org/1999/xhtml"
# Attributes whose value is an address (the rest of a tag's attributes are not).
_ADDRESS_ATTRS = _LINK_ATTRS | _RESOURCE_ATTRS | {"href", "xlink:href"}
# Elements whose content browsers read as text; what it would be as HTML is judged too,
# since a contribution that hides markup there hides it from a reader of the source only.
_RAW_TEXT = {"iframe", "noembed", "noframes", "noscript", "xmp", "textarea", "title", "plaintext"}
_CATCH_ALL_HINT = (
    "only what model/allowlist.yml lists reaches a page: write it as plain Markdown, "
    "or ask for it to be added there"
)
_THEME_PREFIXES = ("md-", "__")  # of the theme's classes (model/allowlist.yml: reserved_id_prefixes)
_TAKEOVER_EXTRA = {
    "plaintext": "it turns the rest of the page into text",
    "input": "it asks readers to type something",
    "button": "it asks readers to act on a form",
    "select": "it asks readers to choose for a form",
    "textarea": "it asks readers to type something",
    "dialog": "it can cover the page",
}


@dataclass(frozen=True)
class Judged:
    """One thing the sanitizer removes: what it is (rule, message, hint), and the texts that
    most likely find it in the source (its attribute's value, its text, its name; its start tag)."""

    rule: str
    message: str
    hint: str
    needles: tuple[str, ...]


@dataclass
class Judgement:
    """What the sanitizer removes from a fragment, and the local addresses in it (role,
    address, needles) for the file checks."""

    removed: list[Judged]
    addresses: list[tuple[str, str, tuple[str, ...]]]


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name in lower case) of an etree tag or attribute key."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local.lower()
    return "", name.lower()


def _parse(text: str):
    """(``text`` parsed as browsers parse a fragment of a page, the parse errors)."""
    import html5lib

    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=True)
    return parser.parseFragment(text, container="div", scripting=True), parser.errors


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
        return Judged(finding.rule, finding.message, finding.hint or "remove it", (f"<{tag}",))
    if specific:
        return None
    where = "" if namespace in ("", _HTML_NS) else " (SVG or MathML inside the page)"
    return Judged(
        "policy-not-allowed",
        f"a <{tag}> element{where} is not in the allow-list: it is removed from the page",
        _CATCH_ALL_HINT,
        (f"<{tag}",),
    )


def _external(value: str) -> bool:
    return scheme_of(value) in ("http", "https") or squeeze(value).replace("\\", "/").startswith("//")


def _media(tag: str, name: str) -> bool:
    """Whether following ``name`` of ``tag`` loads something into the page."""
    return name in _RESOURCE_ATTRS or (
        name in ("href", "xlink:href") and tag in ("link", "use", "image", "feimage", "script")
    )


def _address_judged(tag: str, name: str, value: str) -> Judged | None:
    scheme = scheme_of(value)
    if scheme in ("javascript", "vbscript", "livescript", "data"):
        f = _scheme_finding(scheme, 0)
        return Judged(f.rule, f.message, f.hint, (value[:200], name))
    if _media(tag, name) and _external(value):
        return Judged(
            "policy-external-resource",
            f"image or resource loaded from another site: {value[:80]}",
            _EXTERNAL_HINT,
            (value[:200], name),
        )
    if scheme and scheme not in LINK_SCHEMES:
        f = _scheme_finding(scheme, 0)
        return Judged(f.rule, f.message, f.hint, (value[:200], name))
    return None


def _srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _attribute_judged(tag: str, name: str, value: str, specific: bool) -> list[Judged]:
    if name.startswith("on"):
        return [
            Judged(
                "policy-event-handler",
                f"event attribute '{name}' is not allowed: it runs script",
                "remove it",
                (value[:200], name),
            )
        ]
    if name == "srcdoc":
        return [Judged(j.rule, j.message, j.hint, (name,)) for j in judge_html(value, None).removed]
    if name in _ADDRESS_ATTRS:
        values = _srcset(value) if name == "srcset" else [value]
        found = [j for j in (_address_judged(tag, name, v) for v in values) if j is not None]
        if found:
            return found[:1]
    elif css_loads(value) and (
        name == "style" or css_loads(re.sub(r"url\(\s*['\"]?#[^)]*\)", "", value, flags=re.I))
    ):
        return [
            Judged(
                "policy-style-url",
                f"'{name}' loads something (url(), @import, ...): it is not allowed",
                "use a Markdown image, ![description](picture.png), for pictures",
                (value[:200], name),
            )
        ]
    if name == "style" and re.search(r"(^|;)\s*(position|z-index|inset)\s*:", value, re.I):
        return [
            Judged(
                "policy-style",
                "a style that places the element over the page (position, z-index) is not allowed",
                "remove the style: content may only use the style_properties model/allowlist.yml lists",
                (value[:200], name),
            )
        ]
    if specific:
        return []
    if name == "style":  # colours and the like: they only change how the text looks
        return []
    if name == "class":  # classes the theme styles its own furniture with are not content's
        return [
            Judged(
                "policy-not-allowed",
                f"class '{c}' on <{tag}> belongs to the theme: it is removed from the page",
                _CATCH_ALL_HINT,
                (c, name),
            )
            for c in dict.fromkeys(value.split())
            if c.startswith(_THEME_PREFIXES)
        ]
    return [
        Judged(
            "policy-not-allowed",
            f"attribute '{name}' on <{tag}> is not in the allow-list: it is removed from the page",
            _CATCH_ALL_HINT,
            (value[:200], name),
        )
    ]


def _texts(node):
    """The text in ``node``, piece by piece, in document order (not that of comments)."""
    yield node.text or ""
    for child in node:
        if isinstance(child.tag, str):
            yield from _texts(child)
        yield child.tail or ""


def _first_text(node) -> str:
    for text in _texts(node):
        text = text.strip().split("\n")[0].strip()
        if text:
            return text[:40]
    return node.get("alt", "")[:40]


def _text_needles(tag: str, words: str) -> tuple[str, ...]:
    """How an element's text is written: ``[text]`` too, for a link or image Markdown made."""
    return (f"[{words}]", words) if tag in ("a", "img") else (words,)


def _address_needles(name: str, address: str) -> tuple[str, ...]:
    """How an address is most likely written in the source, most telling first: as the
    attribute it is (quoted or not), as a Markdown link's target, then alone (a short
    address alone, such as "x", is found in any word: the forms before it are not)."""
    short = address[:200]
    return (f'{name}="{short}', f"{name}='{short}", f"{name}={short}", f"]({short}", f"]: {short}", short)


def _role(tag: str, name: str) -> str | None:
    if name in ("href", "xlink:href") and tag in ("a", "area"):
        return "link"
    if name in _LINK_ATTRS:
        return "link"
    if name in _ADDRESS_ATTRS:
        return "image" if tag in _IMAGE_TAGS or name in ("poster", "lowsrc", "dynsrc") else "resource"
    return None


def judge_html(text: str, allowlist) -> Judgement:
    """What the allow-list sanitizer removes from ``text`` (HTML), in document order.

    ``allowlist`` None: only the things that a rule of its own names (scripts, frames,
    handlers, addresses, ...), not everything an allow-list lacks."""
    original, errors = _parse(text)
    cleaned = _elements(_parse(allowlist.clean(text))[0]) if allowlist is not None else []
    out: list[Judged | None] = []
    addresses: list[tuple[str, str, tuple[str, ...]]] = []
    at = 0
    stack: list = [(child, allowlist is None) for child in reversed(list(original))]
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
        words = _first_text(node)
        match = None
        if not quiet and at < len(cleaned) and cleaned[at].tag == node.tag:
            match, at = cleaned[at], at + 1
        kept = {_attr_name(k): v for k, v in match.attrib.items()} if match is not None else {}
        if match is None:
            judged = _element_judged(tag, namespace, quiet)
            if judged is not None:
                if judged.rule == "policy-not-allowed":
                    stack.append((len(out), quiet))
                out.append(judged)
        for name, value in attrs.items():
            if match is None:
                found = _attribute_judged(tag, name, value, specific=True)
            elif name not in kept or kept[name] != value:
                found = _attribute_judged(tag, name, value, specific=False)
            else:
                found = []
            # an element Markdown made is found back by its text
            out.extend(
                Judged(j.rule, j.message, j.hint, (j.needles[0], *_text_needles(tag, words), *j.needles[1:]))
                if words and j.needles
                else j
                for j in found
            )
            role = _role(tag, name)
            if role and not found and match is not None:
                # kept, and harmless as browsers read it; but read once more with character
                # references decoded and backslashes dropped, it spells a script address
                # (``javascript\:``, ``&#106;avascript:``): refused, as it means no good
                scheme = scheme_of(value)
                if scheme in ("javascript", "vbscript", "livescript", "data"):
                    f = _scheme_finding(scheme, 0)
                    out.append(
                        Judged(f.rule, f.message, f.hint, (value[:200], *_text_needles(tag, words), name))
                    )
                    continue
            if role and not found:
                for address in _srcset(value) if name == "srcset" else [value]:
                    addresses.append((role, address, (*_address_needles(name, address), words)))
        if match is None and tag in _RAW_TEXT and node.text:
            inner = judge_html(node.text, None)
            out.extend(inner.removed)
            addresses.extend(inner.addresses)
        if (
            allowlist is not None
            and match is None
            and (tag in allowlist.removed_with_content or namespace != _HTML_NS)
        ):
            quiet = True  # gone with everything in it: only say what a rule names
        stack.extend((child, quiet) for child in reversed(list(node)))
    for _position, code, data in errors:  # start tags the parser drops (<frameset> in a page)
        if code.startswith("unexpected-start-tag") and isinstance(data, dict) and data.get("name"):
            judged = _element_judged(str(data["name"]).lower(), _HTML_NS, True)
            if judged is not None:
                out.append(judged)
    return Judgement([judged for judged in out if judged is not None], addresses)
