"""The checks of a Markdown body: the HTML Markdown makes of it (with the project's
extensions) judged by the allow-list sanitizer, each thing it removes found back on its
line of the source, and the local files the links and images that stay point at."""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from pathlib import Path

import yaml

from knowledgehub.policy.files import _Files
from knowledgehub.policy.findings import Finding, _scheme_finding
from knowledgehub.policy.html import css_loads, judge_html
from knowledgehub.policy.markdown import judged_body
from knowledgehub.policy.settings import FRONT_MATTER_SCHEMES, PolicySettings
from knowledgehub.policy.text import text_findings

_WINDOW = 16_384  # how far ahead of the cursor a thing is looked for


class _Lines:
    """Finds things back in a body, in order: a cursor moves forward as they are found, and
    the whole search reads the body a bounded number of times, so it stays linear however
    many things are looked for (a thing not found after the cursor gets the cursor's line)."""

    def __init__(self, body: str, first: int):
        self.lowered = body.lower()
        self.first = first
        self.newlines = [i for i, ch in enumerate(body) if ch == "\n"]
        self.cursor = 0
        self.budget = 32 * len(body) + 100_000  # characters the searches may still read
        self.missed: dict[str, int] = {}  # needle → the cursor it was not found after

    def line(self, offset: int) -> int:
        return self.first + bisect_right(self.newlines, offset - 1) if offset > 0 else self.first

    def _earliest(self, needles: list[str]) -> tuple[int, int]:
        """(start, end) of the earliest of ``needles`` after the cursor, or (-1, -1)."""
        size = len(self.lowered)
        best, best_end = -1, -1
        for needle in needles:
            if self.budget <= 0 or self.missed.get(needle, size + 1) <= self.cursor:
                continue  # not after an earlier cursor: not after this one either
            end = best + len(needle) if best >= 0 else min(size, self.cursor + _WINDOW)
            index = self.lowered.find(needle, self.cursor, end)
            self.budget -= (index if index >= 0 else end) - self.cursor + len(needle)
            if index >= 0:
                best, best_end = index, index + len(needle)
            elif end == size:
                self.missed[needle] = self.cursor
        return best, best_end

    def find(self, needles) -> int:
        """The line of the earliest of ``needles`` after the cursor (which moves past it);
        the last of several needles (an attribute's name) counts only when the others fail."""
        wanted = [n.lower() for n in needles if n and (len(n) > 3 or n[0] in "<[")]
        strong, weak = (wanted[:-1], wanted[-1:]) if len(wanted) > 1 else (wanted, [])
        for group in (strong, weak):
            best, best_end = self._earliest(group)
            if best >= 0 and len(group) > 1 and self.lowered.startswith(group[0], best) is False:
                # the text of the element came first: its value (an attribute list after the
                # text, in the same paragraph) is where the attribute is written
                # the text of a reference link ([text][label]): its definition holds the address
                reference = self.lowered.startswith(("][", "] [", "]\n["), best_end - 1) or (
                    self.lowered.startswith(("][", "] [", "]\n["), best_end)
                )
                value = self.lowered.find(group[0], best_end, None if reference else best_end + 2000)
                if value >= 0 and (reference or "\n\n" not in self.lowered[best_end:value]):
                    self.budget -= value - best_end
                    best, best_end = value, value + len(group[0])
            if best >= 0:
                self.cursor = best_end
                return self.line(best)
        for needle in wanted:  # before the cursor (footnotes and references come last)
            if self.budget > 0:
                index = self.lowered.find(needle, 0, self.cursor)
                self.budget -= self.cursor
                if index >= 0:
                    return self.line(index)
        return self.line(self.cursor)


# -- front matter -------------------------------------------------------------------

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
        if "<" in text:  # judged as the sanitizer would judge it, read as browsers read it
            findings.extend(
                Finding(line, j.rule, j.message, j.hint)
                for j in judge_html(text, None).removed
                if j.rule != "policy-external-resource"  # text on the page: it loads nothing
            )
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


def _page_front_matter(text: str) -> tuple[list[Finding], str, int]:
    """(findings in the front matter of a page outside the type folders, its body, the
    line the body starts on): MkDocs reads the front matter of such pages, and shows its
    title in the page's head and the navigation."""
    match = re.match(r"---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(\n|$)", text, re.S)
    if match is None:
        return [], text, 1
    findings: list[Finding] = []
    try:
        root = yaml.compose(match.group(1))
    except yaml.YAMLError:
        root = None  # MkDocs reports it
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
            findings.extend(front_matter_findings(node.value, node.start_mark.line + 2))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)
    return findings, text[match.end() :], 1 + text.count("\n", 0, match.end())


def _body_findings(
    body: str, first: int, base_dir: Path, content_dir: Path, settings: PolicySettings
) -> list[Finding]:
    """Everything refused in a Markdown body whose first line is line ``first`` of its
    file; relative addresses start from ``base_dir``."""
    findings: list[Finding] = []
    if first == 1 and body.startswith("---"):  # a whole page, front matter and all
        findings, body, first = _page_front_matter(body)
    if not body.strip():
        return findings
    judgement = judged_body(body, settings)
    lines = _Lines(body, first)
    findings += [Finding(lines.find(j.needles), j.rule, j.message, j.hint) for j in judgement.removed]
    files = _Files(base_dir, content_dir, settings)
    lines.cursor = 0
    for role, address, needles in judgement.addresses:
        verdicts = files.check(role, address, 0)
        if verdicts:
            line = lines.find(needles)
            findings.extend(Finding(line, f.rule, f.message, f.hint) for f in verdicts)
    return findings
