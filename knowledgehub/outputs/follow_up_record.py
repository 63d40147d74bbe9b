"""A follow-up record appended to an item (a recommendation, a commitment) in its entry's
file: the record's lines are inserted at the end of the item, and every other line of the
file (comments, order, quoting) is left as it was. The file is then checked as ``hub
check`` checks it; if it no longer passes, it is put back as it was.

``hub follow-up`` and the progress reports of the issue form (``hub from-issue``) both
write records through ``add_record``.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from knowledgehub.library.followup import ITEM_REF, item_fields
from knowledgehub.library.load import load_library
from knowledgehub.library.loader import Entry
from knowledgehub.model.content import ContentModel
from knowledgehub.model.problems import Problem
from knowledgehub.model.project import Project

_DASH = re.compile(r"^(\s*)-(\s+)")
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Item:
    """An item of the library that can take follow-up: its entry, field, place and data."""

    address: str  # entry-id#item-id
    entry: Entry
    field: str
    index: int
    raw: dict

    @property
    def text(self) -> str:
        return " ".join(str(self.raw.get("text", "")).split())


@dataclass
class Added:
    """What ``add_record`` did: the file it changed (None when it changed nothing), the
    problems that stopped it (``hub check``'s, or a sentence in ``refusal``)."""

    path: Path | None
    problems: list[Problem] = field(default_factory=list)
    refusal: str = ""
    text: str = ""  # the file as it would read with the record (also when written elsewhere)


def library_items(
    project: Project, model: ContentModel
) -> tuple[dict[str, Item], dict[str, str], list[Entry]]:
    """Every item that can take follow-up, by address; the folder of every entry, by id;
    and the entries. The library is read, not checked (``only=[]``): the file a record goes
    into is checked once it is written (``add_record``)."""
    result = load_library(project, model=model, only=[])  # whole entries: their titles say which item it is
    items: dict[str, Item] = {}
    for entry in result.entries:
        for name in item_fields(model, model.types[entry.type].fields):
            for index, raw in enumerate(entry.data.get(name) or []):
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    address = f"{entry.slug}#{raw['id']}"
                    items[address] = Item(address, entry, name, index, raw)
    return items, {e.slug: model.types[e.type].folder for e in result.entries}, result.entries


def _page(path: str) -> list[str]:
    """The segments of a page's path, without the ``index.html`` a folder's page may end in."""
    return [urllib.parse.unquote(s) for s in path.split("/") if s and s != "index.html"]


def item_address(value: str) -> str:
    """ENTRY#ITEM from what a reporter pastes: the address itself, or the item's link on
    the site (``https://…/declarations/ENTRY/#ITEM``, ``…/ENTRY.html#ITEM`` in the USB
    edition, with or without the site's address)."""
    value = value.strip().strip("<>")
    page, hash_, item = value.partition("#")
    if not hash_ or "/" not in page:
        return value
    segments = _page(urllib.parse.urlsplit(page).path if "://" in page else page)
    if not segments:
        return value
    return f"{segments[-1].removesuffix('.html')}#{urllib.parse.unquote(item)}"


def entry_of_link(value: str, folders: dict[str, str]) -> str | None:
    """The id of the hub entry a link points to (``…/case-studies/ENTRY/``, or
    ``…/ENTRY.html`` in the USB edition: the entry's folder, then its id), when it names
    one; None for any other address. ``folders``: entry id → its type's folder."""
    segments = _page(urllib.parse.urlsplit(value.strip()).path)
    if len(segments) < 2:
        return None
    slug = segments[-1].removesuffix(".html")
    return slug if folders.get(slug) == segments[-2] else None


def nearest_items(address: str, items: dict[str, Item], n: int = 5) -> list[str]:
    near = difflib.get_close_matches(address, list(items), n=n, cutoff=0.5)
    if not near and ITEM_REF.match(address or ""):
        slug = address.split("#", 1)[0]
        near = [key for key in items if key.startswith(slug + "#")][:n]
    return near


def status_id(value: str, statuses: dict) -> str:
    """The status's id from its id or its label ("Under way" → under-way)."""
    if value in statuses:
        return value
    by_label = {term.label.casefold(): term_id for term_id, term in statuses.items()}
    return by_label.get(" ".join(value.split()).casefold(), value)


def evidence_of(values: list[str], slugs: dict[str, str], entry_key: str) -> list[dict]:
    """Evidence pieces from what a maintainer types: an entry's id (or its link on the
    site), a document's web address, or its title."""
    evidence = []
    for value in values:
        linked = entry_of_link(value, slugs) if _URL.match(value) else None
        if value in slugs or linked:
            evidence.append({entry_key: value if value in slugs else linked})
        elif _URL.match(value):
            evidence.append({"source": value, "url": value})
        else:
            evidence.append({"source": value})
    return evidence


def _quote(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(" ".join(str(value).split()), ensure_ascii=False)


def record_lines(indent: int, date: str, status: str, text: str, evidence: list[dict], fu) -> list[str]:
    """The YAML lines of one follow-up record, as a list element at ``indent`` columns."""
    pad = " " * indent
    lines = [f"{pad}- date: {_quote(date)}", f"{pad}  {fu.status}: {status}", f"{pad}  text: {_quote(text)}"]
    if evidence:
        lines.append(f"{pad}  {fu.evidence}:")
        for piece in evidence:
            first = True
            for key, value in piece.items():
                lines.append(f"{pad}    {'- ' if first else '  '}{key}: {_quote(value)}")
                first = False
    return lines


def insert_record(text: str, item_line: int, records_key: str, new_lines, has_records: bool) -> str:
    """``text`` with the record inserted at the end of the item whose first key is on
    ``item_line`` (1-based); its indentation follows the item's."""
    lines = text.split("\n")
    start = item_line - 1
    while start >= 0 and not _DASH.match(lines[start]):
        start -= 1
    if start < 0:
        raise ValueError("the item is not written as a block list element ('- id: ...')")
    dash = _DASH.match(lines[start])
    dash_col = len(dash.group(1))
    key_col = dash.end()
    last = start
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        if len(line) - len(line.lstrip()) <= dash_col:
            break
        last = index
    if has_records:
        body = new_lines(key_col + 2)
    else:
        body = [" " * key_col + f"{records_key}:"] + new_lines(key_col + 2)
    return "\n".join(lines[: last + 1] + body + lines[last + 1 :])


def add_record(
    project: Project,
    model: ContentModel,
    item: Item,
    status: str,
    text: str,
    evidence: list[dict],
    date: str | None = None,
    out: Path | None = None,
) -> Added:
    """Append a record to ``item``: written to its entry's file when the file still passes
    the hub's checks with it (else put back, and the problems returned). With ``out``, the
    changed file is written to ``out/<folder>/`` instead and the library is left as it was."""
    fu = model.follow_up
    date = date or datetime.date.today().isoformat()
    entry = item.entry
    path = entry.path
    original = path.read_text(encoding="utf-8")
    if "\r\n" in original:
        return Added(None, refusal=f"{entry.rel} has Windows line endings; convert it first")
    line = entry.line(item.field, item.index, "id")
    try:
        updated = insert_record(
            original,
            line,
            fu.records,
            lambda indent: record_lines(indent, date, status, text, evidence, fu),
            bool(item.raw.get(fu.records)),
        )
    except ValueError as exc:
        return Added(None, refusal=f"{entry.rel}:{line}: {exc}; add the record by hand")
    path.write_text(updated, encoding="utf-8", newline="")
    try:
        check = load_library(project, model=model, only=[path], with_catalog=False)
    except BaseException:
        path.write_text(original, encoding="utf-8", newline="")
        raise
    if not check.ok or out is not None:
        path.write_text(original, encoding="utf-8", newline="")
    if not check.ok:
        return Added(None, problems=check.problems, text=updated)
    if out is None:
        return Added(path, text=updated)
    target = Path(out) / path.relative_to(project.content_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(updated, encoding="utf-8", newline="")
    return Added(target, text=updated)
