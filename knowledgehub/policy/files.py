"""The local files an entry points at (``_Files``: kind, size, content, where they lead),
with the magic numbers of each kind, and SVG images checked against the SVG allow-list
(``svg_findings``; the ``svg:`` section of model/allowlist.yml)."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml
from lxml import etree

from knowledgehub.policy.findings import _EXTERNAL_HINT, Finding, _scheme_finding
from knowledgehub.policy.settings import LINK_SCHEMES, PolicySettings, _config_file
from knowledgehub.policy.text import scheme_of

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


SVG_NS = "http://www.w3.org/2000/svg"
# Prefixes an allowed attribute may carry in model/allowlist.yml (xlink:href, xml:space).
_ATTRIBUTE_NAMESPACES = {
    "http://www.w3.org/1999/xlink": "xlink",
    "http://www.w3.org/XML/1998/namespace": "xml",
}
# Never allowed, whatever the allow-list says: the parts of SVG that run or embed.
_NEVER = frozenset({"script", "foreignobject", "handler", "listener"})
_INSIDE_REFERENCE = re.compile(r"#[A-Za-z_][\w.:-]*")
_FUNCTION = re.compile(r"([A-Za-z_-][\w-]*)?\s*\(")
_URL_TO_ID = re.compile(r"url\(\s*(['\"]?)#[A-Za-z_][\w.:-]*\1\s*\)", re.I)
_ENGINE_MODEL = Path(__file__).resolve().parents[2] / "model"


@dataclass(frozen=True)
class SvgAllowlist:
    """What an SVG file may hold (the ``svg:`` section of model/allowlist.yml)."""

    elements: frozenset[str] = frozenset()
    attributes: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()
    problem: str = ""  # why the section could not be read (then every SVG is refused)


_svg_lists: dict[tuple, SvgAllowlist] = {}


def svg_allowlist(model_dir: Path | None = None) -> SvgAllowlist:
    """The SVG allow-list of the project whose model is ``model_dir`` (default: the
    engine's own model); read again when the file changes. Missing or malformed, it
    allows nothing."""
    path = Path(model_dir or _ENGINE_MODEL) / "allowlist.yml"
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return SvgAllowlist(problem=f"{path} is missing, so no SVG can be checked")
    if key not in _svg_lists:
        _svg_lists[key] = _read_svg_allowlist(path)
    return _svg_lists[key]


def _read_svg_allowlist(path: Path) -> SvgAllowlist:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return SvgAllowlist(problem=f"{path} cannot be read: {exc}")
    section = data.get("svg") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        return SvgAllowlist(problem=f"{path} has no 'svg:' section, so no SVG can be checked")
    lists = {}
    for key in ("elements", "attributes", "functions"):
        value = section.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return SvgAllowlist(problem=f"{path}: 'svg: {key}' must be a list of names")
        lists[key] = frozenset(v for v in value if v.lower() not in _NEVER and not v.lower().startswith("on"))
    return SvgAllowlist(
        lists["elements"], lists["attributes"], frozenset(f.lower() for f in lists["functions"])
    )


def svg_findings(data: bytes, allow: SvgAllowlist | None = None) -> list[Finding]:
    """Why an SVG image is not within the SVG allow-list ([] when it is): parsed as XML
    with no DTD, no entities resolved and no network."""
    allow = allow or svg_allowlist()
    if allow.problem:
        return [Finding(1, "policy-svg", allow.problem)]
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [Finding(exc.lineno or 1, "policy-svg", f"it is not well-formed XML: {exc.msg}")]
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return [Finding(1, "policy-svg", "it declares a DTD or entities")]
    findings: list[Finding] = []
    for node in root.itersiblings(preceding=True):
        if not isinstance(node, etree._Comment):
            findings.append(Finding(node.sourceline or 1, "policy-svg", "it has a processing instruction"))
    if root.tag != f"{{{SVG_NS}}}svg":
        findings.append(Finding(root.sourceline or 1, "policy-svg", "its root is not an <svg> element"))
    for node in root.iter():
        findings.extend(_node_findings(node, allow))
    return findings


def _node_findings(node, allow: SvgAllowlist) -> Iterator[Finding]:
    line = node.sourceline or 1
    if isinstance(node, etree._Comment):
        return
    if not isinstance(node.tag, str):  # a processing instruction or an entity reference
        what = "an entity reference" if isinstance(node, etree._Entity) else "a processing instruction"
        yield Finding(line, "policy-svg", f"it has {what}")
        return
    name = etree.QName(node)
    if name.namespace != SVG_NS or name.localname not in allow.elements:
        if name.namespace is None:
            message = f"its <{name.localname}> element is not in the SVG namespace ({SVG_NS})"
        else:
            shown = name.localname if name.namespace == SVG_NS else f"{{{name.namespace}}}{name.localname}"
            message = f"it has a <{shown}> element, which is not in the SVG allow-list"
        yield Finding(line, "policy-svg", message)
        return
    for key, value in node.attrib.items():
        attribute = etree.QName(key)
        prefix = _ATTRIBUTE_NAMESPACES.get(attribute.namespace or "")
        listed = attribute.localname if attribute.namespace is None else f"{prefix}:{attribute.localname}"
        if prefix is None and attribute.namespace is not None or listed not in allow.attributes:
            yield Finding(
                line, "policy-svg", f"it has a '{attribute.localname}' attribute, which is not allowed"
            )
            continue
        if attribute.localname == "href":
            if not _INSIDE_REFERENCE.fullmatch(value.strip()):
                yield Finding(
                    line, "policy-svg", "it refers to something outside the drawing (only #id may be)"
                )
            continue
        reason = _value_reason(value, allow)
        if reason:
            yield Finding(line, "policy-svg", f"its '{attribute.localname}' attribute {reason}")


def _value_reason(value: str, allow: SvgAllowlist) -> str:
    """Why an attribute value (or a style) could load something or escape the checks."""
    if "\\" in value:
        return "holds a CSS escape"
    if "@" in value:
        return "holds a CSS at-rule"
    rest = _URL_TO_ID.sub("", value)
    for match in _FUNCTION.finditer(rest):
        function = (match.group(1) or "").lower()
        if function == "url":
            return "loads something with url() (only url(#id) is allowed)"
        if function not in allow.functions:
            return f"calls '{function or '('}', which is not allowed"
    return ""


class _Files:
    """Checks of the local files an entry points at (each file checked once)."""

    def __init__(self, base_dir: Path, content_dir: Path, settings: PolicySettings):
        self.base_dir = base_dir  # the folder relative addresses start from
        self.content_dir = content_dir
        self._real_content: Path | None = None
        self._svg: SvgAllowlist | None = None
        self.settings = settings
        self._verdicts: dict[tuple[str, str], list[tuple[str, str, str]]] = {}

    @property
    def svg_allowlist(self) -> SvgAllowlist:
        """The project's SVG allow-list (its model/allowlist.yml, else the engine's)."""
        if self._svg is None:
            config = _config_file(self.content_dir)
            model_dir = config.parent / "model" if config is not None else None
            if model_dir is not None and not (model_dir / "allowlist.yml").is_file():
                model_dir = None
            self._svg = svg_allowlist(model_dir)
        return self._svg

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
        if role == "link" and suffix == "svg":
            yield (
                "policy-svg",
                f"a link to the SVG image '{shown}' opens it as a document of this site",
                f"show it as an image instead: ![what it shows]({path})",
            )
            return
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
            reasons = svg_findings(head, self.svg_allowlist)
            if reasons:
                first = reasons[0]
                yield (
                    "policy-svg",
                    f"SVG image '{shown}' is not plain SVG: {first.message} (its line {first.line})",
                    "export the drawing as plain SVG without scripts, links, styles or embedded pages "
                    "(the elements allowed are under svg: in model/allowlist.yml), or use PNG",
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
