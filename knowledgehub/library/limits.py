"""The limits of the model (``limits`` in model/types.yml) applied to an entry: how deep
its body nests (checked in one pass before anything parses the body), and whether its
numbers, dates, one-line texts and ids are ones every writer can write."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from knowledgehub.model.content import Field, Limits, field_at
from knowledgehub.model.problems import Problem
from knowledgehub.model.schema import DATE_PATTERN

# Unicode non-characters: U+FDD0..U+FDEF and the last two code points of every plane.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# Control characters (C0 but tab and line feed, DEL, C1) and non-characters.
_BAD_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_NONCHARACTERS}]")
# ... and in a one-line value, tab and line feed too.
_BAD_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_NONCHARACTERS}]")
_MULTI_LINE_KINDS = frozenset(("text",))
_ID_KINDS = frozenset(("slug",))
_DATE = re.compile(DATE_PATTERN)
_QUOTES = re.compile(r"[ \t]*(?:>[ \t]*)+")
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_BRACKETS = re.compile(r"\\.|[\[\]]")
_STARS = re.compile(r"\*{2,}")
_THEMATIC_BREAK = re.compile(r"[ \t]*(?:\*[ \t]*){3,}$")
_TAG_START = re.compile(r"<[A-Za-z!/?]")


def body_nesting(body: str, limit: int) -> tuple[int, str] | None:
    """(line, what) where the body first nests deeper than ``limit`` (lines count from
    the body's first), or None. One pass, so it is quick on any body: unclosed [ within
    a paragraph, > quotes, list levels (two columns of indentation each), runs of *."""
    brackets = 0
    for number, line in enumerate(body.split("\n"), 1):
        if not line.strip():
            brackets = 0  # a link cannot span paragraphs
            continue
        quotes = _QUOTES.match(line)
        depth = quotes.group().count(">") if quotes else 0
        if depth > limit:
            return number, f"{depth} levels of > quotes"
        rest = line[quotes.end() :] if quotes else line
        if _LIST_MARKER.match(rest):
            indent = len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip())
            if indent // 2 > limit:
                return number, f"a list item indented {indent} columns"
        for match in _BRACKETS.finditer(line):
            mark = match.group()
            if mark == "[":
                brackets += 1
                if brackets > limit:
                    return number, f"more than {limit} unclosed ["
            elif mark == "]":
                brackets = max(brackets - 1, 0)
        if not _THEMATIC_BREAK.match(line):
            longest = max((len(run) for run in _STARS.findall(line)), default=0)
            if longest > limit:
                return number, f"a run of {longest} * (emphasis)"
    return None


def long_tag(body: str, limit: int) -> tuple[int, int] | None:
    """(line, length) of the first HTML tag in the body longer than ``limit`` characters
    from its < to its > (or to the end, when it never closes), or None. One pass: an HTML5
    parser compares each attribute of a tag with every one before it, so a tag of 30,000
    attributes takes minutes; no tag a person writes comes near the limit."""
    pos = 0
    while (start := _TAG_START.search(body, pos)) is not None:
        end = body.find(">", start.start())
        stop = end if end >= 0 else len(body)
        if stop - start.start() > limit:
            return body.count("\n", 0, start.start()) + 1, stop - start.start()
        pos = stop + 1
    return None


def body_refusal(body: str, limits: Limits) -> tuple[int, str, str, str] | None:
    """(line in the body, message, hint, rule) when the body is past a limit that must be
    checked before anything parses it, or None."""
    nested = body_nesting(body, limits.nesting)
    if nested is not None:
        at, what = nested
        return (
            at,
            f"the text nests too deeply here ({what}; the limit is {limits.nesting} levels)",
            "flatten it: fewer nested quotes, lists, brackets or emphasis",
            "limit-nesting",
        )
    tag = long_tag(body, limits.tag_length)
    if tag is not None:
        at, length = tag
        return (
            at,
            f"an HTML tag here runs for {length:,} characters (the limit is {limits.tag_length:,})",
            "close the tag with > and keep its attributes few; write the rest as text",
            "limit-markup",
        )
    return None


def number_refusal(value: int | float, limits: Limits) -> str | None:
    """Why a front-matter number is past the limits, or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return "is not a finite number"
    if abs(value) >= limits.number_magnitude:
        return f"is too large: numbers must be smaller than {limits.number_magnitude:,.0f}"
    return None


def too_many_digits(written: str, limits: Limits) -> bool:
    """Whether a whole number as written has more digits than the limit (checked before
    Python reads it: its own limit is 4,300 digits)."""
    digits = sum(c.isdigit() for c in written)
    return digits > limits.integer_digits


def digits_hint(limits: Limits) -> str:
    return f"whole numbers have at most {limits.integer_digits} digits; write a smaller unit"


def check_values(entry: Any, fields: dict[str, Field], limits: Limits) -> Iterator[Problem]:
    """Limit problems of an entry's front matter: its id, dates, one-line texts and ids,
    and characters no feed or calendar can carry."""
    rel = entry.rel
    if len(entry.slug) > limits.id_length:
        yield Problem(
            rel,
            1,
            f"the id (file name) is {len(entry.slug)} characters long; the limit is {limits.id_length}",
            "shorten the file name",
            "limit-id",
        )
    yield from _check_strings(entry, fields, limits, entry.data, ())


def _check_strings(entry, fields, limits: Limits, data: Any, path: tuple) -> Iterator[Problem]:
    stack: list[tuple[tuple, Any]] = [(path, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((path + (key,), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in reversed(list(enumerate(value))))
        elif isinstance(value, str):
            f = field_at(fields, path)
            if f is not None:
                yield from _check_string(entry, f, path, value, limits)


def _check_string(entry, f: Field, path: tuple, value: str, limits: Limits) -> Iterator[Problem]:
    name = field_name(path)
    line = entry.line(*path)
    multi_line = f.kind in _MULTI_LINE_KINDS
    bad = (_BAD_IN_TEXT if multi_line else _BAD_IN_LINE).search(value)
    if bad is not None:
        char = bad.group()
        if char == "\n":
            message, hint = f"'{name}' must be one line", "write it on one line (a line break ends it)"
        else:
            message = (
                f"'{name}' contains the character U+{ord(char):04X}, which no feed or calendar can carry"
            )
            hint = "remove it (control characters and Unicode non-characters are not text)"
        yield Problem(entry.rel, line, message, hint, "limit-text")
    if f.kind in _ID_KINDS and len(value) > limits.id_length:
        yield Problem(
            entry.rel,
            line,
            f"'{name}' is {len(value)} characters long; the limit for an id is {limits.id_length}",
            "shorten it",
            "limit-id",
        )
    if f.kind == "date" and _DATE.match(value) and not year_in_range(value, limits):
        yield Problem(
            entry.rel,
            line,
            f"'{name}' ({value}) is outside the years {limits.first_year}-{limits.last_year}",
            "check the year",
            "limit-date",
        )


def year_in_range(value: str, limits: Limits) -> bool:
    """Whether a YYYY[-MM[-DD]] date's year lies within the limits."""
    return limits.first_year <= int(value[:4]) <= limits.last_year


def field_name(path: tuple) -> str:
    """``('sources', 0, 'year')`` → ``sources[1].year`` (positions count from 1)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "front matter"
