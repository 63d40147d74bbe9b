"""Problems found in content: one per mistake, each with its file and line."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    hint: str = ""
    rule: str = "content"
    severity: str = "error"

    def text(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}: {self.severity}: {self.message}{hint}"

    def github(self) -> str:
        """The problem as a GitHub Actions workflow command (an annotation on the line)."""
        hint = f" ({self.hint})" if self.hint else ""
        body = _escape_data(f"{self.message}{hint}")
        return (
            f"::{self.severity} file={_escape_property(self.path)},line={self.line},"
            f"title={_escape_property(self.rule)}::{body}"
        )

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
        }


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


FORMATS = ("text", "github", "json")


def format_problems(problems: list[Problem], fmt: str = "text") -> str:
    ordered = sorted(problems)
    if fmt == "json":
        return json.dumps([p.as_dict() for p in ordered], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(p.github() for p in ordered)
    return "\n".join(p.text() for p in ordered)


def summary_line(problems: list[Problem], entries: int, others: int = 0) -> str:
    """E.g. "36 entries and 2 other files checked: 3 errors in 2 files" (``others``: the files
    of content/ that are not entries, when they were checked too)."""
    errors = sum(1 for p in problems if p.severity == "error")
    bad_files = len({p.path for p in problems if p.severity == "error"})
    checked = _count(entries, "entry", "entries")
    if others:
        checked += f" and {_count(others, 'other file', 'other files')}"
    if not errors:
        return f"{checked} checked: no problems"
    return f"{checked} checked: {_count(errors, 'error', 'errors')} in {_count(bad_files, 'file', 'files')}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


class ContentError(Exception):
    """Raised when content is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))
