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
_NEWLINE = re.compile("\n")


class _Lines:
    """Finds things back in a body, in order: a cursor moves forward as they are found, and
    the whole search reads the body a bounded number of times, so it stays linear however
    many things are looked for (a thing not found after the cursor gets the cursor's line)."""

    def __init__(self, body: str, first: int):
        self.lowered = body.lower()
        self.first = first
        self.newlines = [m.start() for m in _NEWLINE.finditer(body)]
        self.cursor = 0
        self.budget = 32 * len(body) + 100_000  # characters the searches may still read
        self.missed: dict[str, int] = {}  # needle → the cursor it was not found after

    def past_line(self, line: int) -> None:
        """Move the cursor past ``line`` (a thing was found there another way: what is looked
        for next is after it)."""
        index = line - self.first
        if 0 <= index < len(self.newlines):
            self.cursor = max(self.cursor, self.newlines[index] + 1)

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
    blocks = _BlockLines(body, first, settings) if judgement.removed else None
    for j in judgement.removed:
        line = blocks.find(j) if blocks is not None else None
        if line is None:
            line = lines.find(j.needles)
        else:
            lines.past_line(line)  # what is not in a block alone is looked for after it
        findings.append(Finding(line, j.rule, j.message, j.hint))
    files = _Files(base_dir, content_dir, settings)
    lines.cursor = 0  # the addresses, from the start again
    if blocks is not None:
        blocks.restart()
    for role, address, needles in judgement.addresses:
        verdicts = files.check(role, address, 0)
        if verdicts:
            blocks = blocks or _BlockLines(body, first, settings)
            line = blocks.find_address(role, address, needles)
            if line is None:
                line = lines.find(needles)
            else:
                lines.past_line(line)
            findings.extend(Finding(line, f.rule, f.message, f.hint) for f in verdicts)
    return findings


# -- which block a finding is in ------------------------------------------------------------
#
# Markdown's HTML keeps no trace of the source lines, and what it makes is not in the order
# of the source (footnotes come last), so a finding is first looked for in the body's
# blocks judged one by one: the first block, from where the last finding was, whose own
# judgement has the same finding holds it. Only bodies with findings pay for this. A finding
# no block has alone (a reference link and its definition apart) is found by its needles.

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def body_blocks(body: str) -> list[tuple[int, str]]:
    """The body's top-level blocks, as (index of its first line, text): split at blank lines,
    never inside fenced code; an indented block goes with the one before it (a list item's
    or an admonition's continuation)."""
    blocks: list[tuple[int, list[str]]] = []
    fence = ""
    blank = True
    for index, line in enumerate(body.split("\n")):
        opening = _FENCE.match(line)
        if fence:
            blocks[-1][1].append(line)
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if not line.strip():
            blank = True
            if blocks:
                blocks[-1][1].append(line)
            continue
        continues = blocks and (not blank or line[:1] in (" ", "\t"))
        if continues:
            blocks[-1][1].append(line)
        else:
            blocks.append((index, [line]))
        if opening:
            fence = opening.group(1)
        blank = False
    return [(start, "\n".join(text).rstrip("\n")) for start, text in blocks]


class _BlockLines:
    def __init__(self, body: str, first: int, settings: PolicySettings):
        self.first = first
        self.blocks = body_blocks(body)
        self.settings = settings
        # (block, None) or (block, line in it) → its own findings and addresses not used yet
        self.judged: dict[tuple[int, int | None], tuple[list, list]] = {}
        self.lines: dict[int, _Lines] = {}
        self.line_at: dict[int, int] = {}
        self.at = 0

    def restart(self) -> None:
        """Look from the first block again (for the addresses, after the findings)."""
        self.at = 0
        self.line_at.clear()

    def _own(self, index: int, row: int | None = None) -> tuple[list, list]:
        key = (index, row)
        if key not in self.judged:
            text = self.blocks[index][1] if row is None else self.blocks[index][1].split("\n")[row]
            judgement = judged_body(text, self.settings) if text.strip() else None
            self.judged[key] = (
                (list(judgement.removed), [a[:2] for a in judgement.addresses]) if judgement else ([], [])
            )
        return self.judged[key]

    @staticmethod
    def _take(own: tuple[list, list], kind: int, key) -> bool:
        """Use up one of the block's own findings (``kind`` 0) or addresses (1) equal to ``key``."""
        found = own[kind]
        for position, other in enumerate(found):
            if (other if kind else (other.rule, other.message)) == key:
                del found[position]
                return True
        return False

    def find(self, judged) -> int | None:
        """The line of ``judged`` (a finding of the whole body), or None if no block has it."""
        return self._locate(0, (judged.rule, judged.message), judged.needles)

    def find_address(self, role: str, address: str, needles) -> int | None:
        """The line of a local address of the whole body (its file is refused), or None."""
        return self._locate(1, (role, address), needles)

    def _locate(self, kind: int, key, needles) -> int | None:
        for index in range(self.at, len(self.blocks)):  # in the order of the source
            if not self._take(self._own(index), kind, key):
                continue
            self.at = index
            start, text = self.blocks[index]
            rows = text.count("\n") + 1
            if rows > 1:  # which line of it: HTML written line by line, one thing per line
                at = self.line_at.get(index, 0)
                for row in [*range(at, rows), *range(0, at)]:
                    if self._take(self._own(index, row), kind, key):
                        self.line_at[index] = row
                        return self.first + start + row
            if index not in self.lines:
                self.lines[index] = _Lines(text, self.first + start)
            return self.lines[index].find(needles)
        return None
