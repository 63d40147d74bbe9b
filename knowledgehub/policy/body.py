"""The checks of a Markdown body: the HTML Markdown makes of it (with the project's
extensions) judged by the allow-list sanitizer, each thing it removes found back on its
line of the source, and the local files the links and images that stay point at."""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

from knowledgehub.policy.files import _Files
from knowledgehub.policy.findings import Finding
from knowledgehub.policy.html import kept_addresses
from knowledgehub.policy.markdown import judged_body
from knowledgehub.policy.settings import PolicySettings


class _Lines:
    """Finds things back in a body, in order: a cursor moves forward as they are found, and
    the whole search reads the body a bounded number of times, so it stays linear however
    many things are looked for (a thing not found after the cursor gets the cursor's line)."""

    def __init__(self, body: str, first: int):
        self.lowered = body.lower()
        self.first = first
        self.newlines = [i for i, ch in enumerate(body) if ch == "\n"]
        self.cursor = 0
        self.budget = 8 * len(body) + 100_000  # characters the searches may still read
        self.missed: dict[str, int] = {}  # needle → the cursor it was not found after

    def line(self, offset: int) -> int:
        return self.first + bisect_right(self.newlines, offset - 1) if offset > 0 else self.first

    def find(self, needles) -> int:
        size = len(self.lowered)
        for needle in needles:
            needle = needle.lower()
            if not needle or self.budget <= 0:
                continue
            if self.missed.get(needle, size + 1) <= self.cursor:
                continue  # not after an earlier cursor: not after this one either
            index = self.lowered.find(needle, self.cursor)
            self.budget -= (index if index >= 0 else size) - self.cursor + len(needle)
            if index >= 0:
                self.cursor = index + 1
                return self.line(index)
            self.missed[needle] = self.cursor
        for needle in needles:  # before the cursor (footnotes and references come last)
            needle = needle.lower()
            if needle and self.budget > 0:
                index = self.lowered.find(needle, 0, self.cursor)
                self.budget -= self.cursor
                if index >= 0:
                    return self.line(index)
        return self.line(self.cursor)


def _body_findings(
    body: str, first: int, base_dir: Path, content_dir: Path, settings: PolicySettings
) -> list[Finding]:
    """Everything refused in a Markdown body whose first line is line ``first`` of its
    file; relative addresses start from ``base_dir``."""
    if not body.strip():
        return []
    judged, cleaned = judged_body(body, settings)
    lines = _Lines(body, first)
    findings = [Finding(lines.find(j.needles), j.rule, j.message, j.hint) for j in judged]
    files = _Files(base_dir, content_dir, settings)
    lines.cursor = 0
    for role, address in kept_addresses(cleaned) if cleaned else ():
        verdicts = files.check(role, address, 0)
        if verdicts:
            line = lines.find((address[:200],))
            findings.extend(Finding(line, f.rule, f.message, f.hint) for f in verdicts)
    return findings
