"""The local files an entry points at (``_Files``: kind, size, content, where they lead)
and SVG images that could carry script (``svg_findings``), with the magic numbers of each kind."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from knowledgehub.policy.findings import _EXTERNAL_HINT, Finding, _scheme_finding
from knowledgehub.policy.html import scan_html
from knowledgehub.policy.settings import LINK_SCHEMES, PolicySettings
from knowledgehub.policy.text import _HIDDEN_SCHEME, _Located, scheme_of

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
