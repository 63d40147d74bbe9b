"""Reading a submitted issue form back: the answers under their ``### <label>`` headings,
turned into front-matter values by the kind of their question.

Nothing here runs or evaluates an answer: answers are text, matched against the choices,
the countries and the library's entries, or parsed as dates and numbers. Every problem
names the question it is about, in the form's words.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pycountry

from knowledgehub.model.content import ContentModel
from knowledgehub.model.questions import Choice, Question
from knowledgehub.outputs.submission_form import (
    ATTACHMENTS_LABEL,
    CONSENT_LABEL,
    NO,
    YES,
    Asked,
    item_parts,
    line_parts,
    plain,
)

NO_RESPONSE = "_No response_"
MAX_ANSWER = 20_000  # characters of one answer
MAX_BODY = 200_000  # characters of a whole issue body
_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june", "july"),
    *("august", "september", "october", "november", "december"),
)
MONTHS = {
    **{n: i for i, n in enumerate(_MONTH_NAMES, 1)},
    **{n[:3]: i for i, n in enumerate(_MONTH_NAMES, 1)},
}
MONTHS["sept"] = 9
_LINK = re.compile(r"!?\[([^\]\n]*)\]\((https?://[^\s)]+)\)")
_URL = re.compile(r"^(https?://[^\s<>\"']+)$")


@dataclass
class Answers:
    """What a submitted form said: the front matter, the body sections and the problems."""

    data: dict[str, Any] = field(default_factory=dict)
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, Markdown)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (question, what is wrong)
    missing_entries: list[tuple[str, str]] = field(default_factory=list)  # (question, name)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (name, link)

    def problem(self, question: str, message: str) -> None:
        self.problems.append((question, message))


def quote(text: str, limit: int = 80) -> str:
    """An answer quoted in a comment: one line, cut, with Markdown's marks escaped."""
    one_line = " ".join(str(text).split())
    if len(one_line) > limit:
        one_line = one_line[: limit - 1] + "…"
    return "“" + re.sub(r"([\\`*_{}\[\]()<>#@!|~])", r"\\\1", one_line) + "”"


# -- sections ---------------------------------------------------------------------------------
def split_sections(body: str, labels: list[str]) -> tuple[dict[str, str], list[str]]:
    """The text under each known ``### <label>`` heading, and the labels found twice (an answer
    holding a line that looks like a question's heading)."""
    known = set(labels) | {ATTACHMENTS_LABEL, CONSENT_LABEL}
    found: dict[str, list[str]] = {}
    twice: list[str] = []
    current: list[str] | None = None
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading = re.match(r"^###\s+(.+?)\s*$", line)
        if heading and heading.group(1) in known:
            label = heading.group(1)
            if label in found:
                twice.append(label)
                current = None
                continue
            current = found.setdefault(label, [])
            continue
        if current is not None:
            current.append(line)
    return {label: "\n".join(lines).strip() for label, lines in found.items()}, twice


def is_empty(text: str) -> bool:
    return not text.strip() or text.strip() in (NO_RESPONSE, "None")


def links_in(text: str) -> list[tuple[str, str]]:
    """(name, address) of every Markdown link and image in ``text`` (attachments are links)."""
    return [(m.group(1).strip() or m.group(2).rsplit("/", 1)[-1], m.group(2)) for m in _LINK.finditer(text)]


# -- single values ------------------------------------------------------------------------------
def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", kept.lower()).split())


def parse_date(text: str) -> str | None:
    """A date as the hub writes it (YYYY, YYYY-MM or YYYY-MM-DD), from the ways people write one."""
    t = " ".join(text.replace(",", " ").split())
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", t):
        return t if _valid(t) else None
    words = t.lower().split()
    day = month = year = None
    for word in words:
        word = re.sub(r"(st|nd|rd|th)$", "", word) if re.match(r"^\d+(st|nd|rd|th)$", word) else word
        if word in MONTHS and month is None:
            month = MONTHS[word]
        elif re.fullmatch(r"\d{4}", word) and year is None:
            year = int(word)
        elif re.fullmatch(r"\d{1,2}", word) and day is None:
            day = int(word)
        else:
            return None
    if year is None or (day is not None and month is None):
        return None
    out = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    return out if _valid(out) else None


def _valid(date: str) -> bool:
    import datetime

    parts = [int(p) for p in date.split("-")]
    try:
        datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def parse_number(text: str, whole: bool) -> int | float | None:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    if whole:
        return int(t) if re.fullmatch(r"[-+]?\d+", t) else None
    if re.fullmatch(r"[-+]?\d+", t):
        return int(t)
    if re.fullmatch(r"[-+]?(\d+\.\d*|\.\d+)", t):
        return float(t)
    return None


def parse_url(text: str) -> str | None:
    link = _LINK.search(text)
    t = link.group(2) if link else text.strip().strip("<>")
    return t if _URL.match(t) else None


def match_choice(text: str, choices: tuple[Choice, ...]) -> Choice | None:
    wanted = fold(text)
    for c in choices:
        if wanted in (fold(c.label), fold(c.value)):
            return c
    return None


def country_code(model: ContentModel, text: str) -> str | None:
    """The two-letter code of the country named ``text`` (its name, official name or code)."""
    wanted = fold(text)
    for code, name in model.countries.items():
        if wanted in (fold(name), code.lower()):
            return code
    try:
        found = pycountry.countries.lookup(text.strip())
    except LookupError:
        return None
    return found.alpha_2 if found.alpha_2 in model.countries else None


def _suggest(text: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(text.strip(), candidates, n=1, cutoff=0.75)
    return f" Did you mean “{close[0]}”?" if close else ""


def split_choices(text: str, options: list[str], known=None) -> list[str]:
    """The options GitHub joined with ", " (an option may hold a comma itself, as may a name
    ``known`` accepts)."""
    pieces = [p.strip() for p in text.split(", ")]
    found, i = [], 0
    folded = {fold(o) for o in options}
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            candidate = ", ".join(pieces[i:j])
            if fold(candidate) in folded or (known and j > i + 1 and known(candidate)) or j == i + 1:
                found.append(candidate)
                i = j
                break
    return [f for f in found if f]


def lines_of(text: str) -> list[str]:
    """The lines of an answer, without list marks and blank lines."""
    out = []
    for line in text.split("\n"):
        line = re.sub(r"^\s*(?:[-*+•]|\d+[.)])\s+", "", line).strip()
        if line and line != NO_RESPONSE:
            out.append(line)
    return out


# -- answers by kind ------------------------------------------------------------------------------
class Reader:
    """Turns the answers of one form into front-matter values."""

    def __init__(self, model: ContentModel, entries: dict[str, list[tuple[str, list[str]]]]):
        self.model = model
        # type → [(id, [title, short name, ...])]: what an entry of the library is called
        self.entries = entries

    def value(self, a: Asked, text: str, answers: Answers) -> Any:
        q = a.question
        if len(text) > MAX_ANSWER:
            answers.problem(a.label, f"the answer is too long ({len(text):,} characters); please shorten it.")
            return None
        kind = q.kind
        if kind in ("choices", "countries"):
            values = []
            known = (lambda t: country_code(self.model, t) is not None) if kind == "countries" else None
            for piece in split_choices(text, [c.label for c in q.choices], known):
                got = self.single(a, q, kind[:-1] if kind == "choices" else "country", piece, answers)
                if got is not None and got not in values:
                    values.append(got)
            return values or None
        if kind == "entries":
            ids = [self.entry(a, q, name, answers) for name in lines_of(text.replace(";", "\n"))]
            return list(dict.fromkeys(i for i in ids if i)) or None
        if kind == "lines":
            return lines_of(text) or None
        if kind == "records":
            records = [self.record(a, q, line, n, answers) for n, line in enumerate(lines_of(text), 1)]
            return [r for r in records if r] or None
        if kind == "items":
            items = [self.item(a, q, line, n, answers) for n, line in enumerate(lines_of(text), 1)]
            return [i for i in items if i] or None
        return self.single(a, q, kind, text, answers)

    def single(self, a: Asked, q: Question, kind: str, text: str, answers: Answers, where: str = "") -> Any:
        t = text.strip()
        label = a.label + where
        if kind == "text":
            return t
        if kind in ("line", "email"):
            if "\n" in t:
                answers.problem(label, "please give one line only.")
                return None
            if kind == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", t):
                answers.problem(label, f"{quote(t)} is not an e-mail address.")
                return None
            return t
        if kind == "date":
            date = parse_date(t)
            if date is None:
                answers.problem(
                    label,
                    f"{quote(t)} is not a date we can read; write for example 2012, March 2012 "
                    "or 14 March 2012.",
                )
            return date
        if kind in ("integer", "number"):
            number = parse_number(t, kind == "integer")
            if number is None:
                wanted = "a whole number" if kind == "integer" else "a number"
                answers.problem(label, f"{quote(t)} is not {wanted}.")
            return number
        if kind == "url":
            url = parse_url(t)
            if url is None:
                answers.problem(label, f"{quote(t)} is not a web address starting with https://.")
            return url
        if kind == "boolean":
            if fold(t) in (fold(YES), "true"):
                return True
            if fold(t) in (fold(NO), "false"):
                return False
            answers.problem(label, f"please answer {YES} or {NO}, not {quote(t)}.")
            return None
        if kind == "choice":
            choice = match_choice(t, q.choices)
            if choice is None:
                names = [c.label for c in q.choices]
                answers.problem(label, f"{quote(t)} is not one of the choices.{_suggest(t, names)}")
                return None
            return choice.value
        if kind == "country":
            code = country_code(self.model, t)
            if code is None:
                names = list(self.model.countries.values())
                answers.problem(label, f"{quote(t)} is not a country we know.{_suggest(t, names)}")
            return code
        if kind == "entry":
            return self.entry(a, q, t, answers)
        return t

    def entry(self, a: Asked, q: Question, name: str, answers: Answers) -> str | None:
        """The id of the entry of ``q.ref_type`` called ``name``; None (and a note) when the
        library has none yet."""
        wanted = fold(name)
        for entry_id, names in self.entries.get(q.ref_type or "", []):
            if wanted in {fold(entry_id), *(fold(n) for n in names if n)}:
                return entry_id
        if name.strip():
            answers.missing_entries.append((a.label, name.strip()))
        return None

    def record(self, a: Asked, q: Question, line: str, number: int, answers: Answers) -> dict | None:
        parts = line_parts(q)
        pieces = _pieces(line, parts)
        record: dict[str, Any] = {}
        where = f", line {number}"
        for part, piece in zip(parts, pieces, strict=True):
            if piece is None or not piece.strip():
                continue
            value = self.single(a, part, part.kind, piece, answers, f"{where} ({plain(part.label)})")
            if value is not None:
                record[part.field] = value
        missing = [plain(p.label) for p in parts if p.required and p.field not in record]
        if missing and record:
            answers.problem(a.label + where, f"{quote(line)} gives no {' or '.join(missing)}.")
            return None
        return record or None

    def item(self, a: Asked, q: Question, line: str, number: int, answers: Answers) -> dict | None:
        sort, text = item_parts(q)
        head, colon, rest = line.partition(":")
        choice = match_choice(head, sort.choices) if colon else None
        if choice is None:
            for c in sort.choices:  # "Recommendations: ..." and "Recommendation - ..."
                for name in (c.label, c.value):
                    m = re.match(rf"^{re.escape(name)}s?\s*[:\-–—]\s*(.+)$", line, re.I)
                    if m:
                        choice, rest = c, m.group(1)
                        break
                if choice:
                    break
        if choice is None:
            names = ", ".join(c.label for c in sort.choices)
            answers.problem(
                f"{a.label}, line {number}",
                f"{quote(line)} does not start with what sort it is ({names}) and a colon.",
            )
            return None
        if not rest.strip():
            answers.problem(f"{a.label}, line {number}", "gives no text after the colon.")
            return None
        return {sort.field: choice.value, text.field: rest.strip()}


def _fit(part: Question, piece: str) -> int:
    """How well ``piece`` suits ``part`` (for lining the pieces of a record up with its parts)."""
    p = piece.strip()
    if not p:
        return 0
    looks_url = parse_url(p) is not None
    if part.kind == "url":
        return 3 if looks_url else -9
    if looks_url:
        return -9
    if part.kind in ("integer", "number"):
        return 3 if parse_number(p, part.kind == "integer") is not None else -9
    if part.kind == "date":
        return 3 if parse_date(p) else -9
    if part.kind in ("choice", "country", "boolean"):
        return 3 if (match_choice(p, part.choices) or part.kind == "boolean") else -3
    return 1


def _pieces(line: str, parts: tuple[Question, ...]) -> list[str | None]:
    """The pieces of a record's line, one per part (None where a part is left out): the
    pieces (separated by commas, or in double quotes) in order, each on the part it suits
    best; when there are more pieces than parts, a text part takes the extra ones (the
    commas were its own)."""
    try:
        pieces = [p.strip() for p in next(csv.reader([line], skipinitialspace=True))]
    except csv.Error:
        pieces = [p.strip() for p in line.split(",")]
    n, m = len(pieces), len(parts)
    best: dict[tuple[int, int], tuple[float, int]] = {}  # (piece, part) → (score, pieces taken)

    def solve(i: int, j: int) -> float:
        if i == n:
            return 0
        if j == m:
            return -10_000
        if (i, j) not in best:
            choice = (solve(i, j + 1), 0)  # the part left out
            longest = n - m + 1 if parts[j].kind in ("line", "text") and n > m else 1
            for taken in range(longest, 0, -1):  # on a tie, the first text part takes the extra
                joined = ", ".join(pieces[i : i + taken])
                score = _fit(parts[j], joined) - 0.5 * (taken - 1) + solve(i + taken, j + 1)
                if score > choice[0] or (score == choice[0] and choice[1] == 0):
                    choice = (score, taken)
            best[(i, j)] = choice
        return best[(i, j)][0]

    solve(0, 0)
    out: list[str | None] = [None] * m
    i = j = 0
    while i < n and j < m:
        taken = best[(i, j)][1]
        if taken:
            out[j] = ", ".join(pieces[i : i + taken])
            i += taken
        j += 1
    return out
