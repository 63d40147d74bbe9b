"""The checks of a Markdown body, all of them together: its HTML, its text however written,
its attribute lists and addresses, the files they point at, and the HTML Markdown makes of it."""

from __future__ import annotations

import re
from pathlib import Path

from knowledgehub.policy.files import _Files
from knowledgehub.policy.findings import Finding
from knowledgehub.policy.html import attribute_findings, scan_html
from knowledgehub.policy.markdown import attribute_lists, markdown_addresses, rendered_findings
from knowledgehub.policy.settings import PolicySettings
from knowledgehub.policy.text import squeeze, text_findings


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
