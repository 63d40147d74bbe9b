"""``hub follow-up ENTRY#ITEM --status S --text T [--evidence E ...] [--date D]``: append a
follow-up record to an item, in its entry's file, by inserting the record's lines at the
end of the item: every other line of the file (comments, order, quoting) is left as it
was. The file is checked afterwards; if it no longer passes, it is put back as it was.
An unknown item changes nothing and lists the nearest ones."""

from __future__ import annotations

import datetime
import difflib
import json
import re
import sys
import urllib.parse

from knowledgehub.commands.common import BROKEN, load_model

HELP = "record what came of an item (a recommendation, a commitment): append a follow-up to it"

_DASH = re.compile(r"^(\s*)-(\s+)")
_URL = re.compile(r"^https?://\S+$")


def add_arguments(parser) -> None:
    parser.add_argument(
        "item",
        metavar="ENTRY#ITEM",
        help="the item, e.g. chennai-declaration-india-wops-2011#water-awards, or its link on the site",
    )
    parser.add_argument(
        "--status",
        required=True,
        help="where it stands now (proposed, under-way, done, dropped, unknown; or the status's label)",
    )
    parser.add_argument("--text", required=True, help="what was done, in a sentence or two")
    parser.add_argument(
        "--evidence",
        action="append",
        default=[],
        metavar="ENTRY|URL|TITLE",
        help="what shows it: an entry's id, a document's web address or its title (repeatable)",
    )
    parser.add_argument(
        "--date", help="when it happened or became known (YYYY-MM-DD, YYYY-MM or YYYY; default: today)"
    )


def item_address(value: str) -> str:
    """ENTRY#ITEM from what a reporter pastes: the address itself, or the item's link on
    the site (``https://…/declarations/ENTRY/#ITEM``, ``…/ENTRY.html#ITEM`` in the USB
    edition, with or without the site's address)."""
    value = value.strip()
    page, hash_, item = value.partition("#")
    if not hash_ or "/" not in page:
        return value
    path = urllib.parse.urlsplit(page).path if "://" in page else page
    segments = [s for s in path.split("/") if s and s != "index.html"]
    if not segments:
        return value
    slug = segments[-1].removesuffix(".html")
    return f"{urllib.parse.unquote(slug)}#{urllib.parse.unquote(item)}"


def status_id(value: str, statuses: dict) -> str:
    """The status's id from its id or its label ("Under way" → under-way)."""
    if value in statuses:
        return value
    by_label = {term.label.casefold(): term_id for term_id, term in statuses.items()}
    return by_label.get(" ".join(value.split()).casefold(), value)


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


def run(project, args) -> int:
    from knowledgehub.library.followup import ITEM_REF, item_fields
    from knowledgehub.library.load import load_library
    from knowledgehub.model.problems import format_problems

    model = load_model(project)
    if model is None:
        return BROKEN
    fu = model.follow_up
    if not fu.records:
        print("hub: the content model has no follow-up records (records_follow_up)", file=sys.stderr)
        return BROKEN
    result = load_library(project, model=model, with_catalog=False)
    items = {}
    for entry in result.entries:
        for name in item_fields(model, model.types[entry.type].fields):
            for index, raw in enumerate(entry.data.get(name) or []):
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    items[f"{entry.slug}#{raw['id']}"] = (entry, name, index, raw)
    args.item = item_address(args.item)
    target = items.get(args.item)
    if target is None:
        near = difflib.get_close_matches(args.item, list(items), n=5, cutoff=0.5)
        if not near and ITEM_REF.match(args.item or ""):
            slug = args.item.split("#", 1)[0]
            near = [key for key in items if key.startswith(slug + "#")][:5]
        print(f"hub: unknown item '{args.item}'; nothing was changed", file=sys.stderr)
        if near:
            print("the nearest items are:\n" + "\n".join(f"  {key}" for key in near), file=sys.stderr)
        else:
            print("items are written entry-id#item-id; see the item's address on its page", file=sys.stderr)
        return 1
    entry, name, index, raw = target
    statuses = model.vocabulary(fu.vocabulary).terms
    args.status = status_id(args.status, statuses)
    if args.status not in statuses:
        near = difflib.get_close_matches(args.status, list(statuses), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        print(f"hub: unknown status '{args.status}' (one of: {', '.join(statuses)}){hint}", file=sys.stderr)
        return 1
    date = args.date or datetime.date.today().isoformat()
    slugs = {e.slug for e in result.entries}
    evidence = []
    for value in args.evidence:
        if value in slugs:
            evidence.append({fu.evidence_entry: value})
        elif _URL.match(value):
            evidence.append({"source": value, "url": value})
        else:
            evidence.append({"source": value})
    path = entry.path
    original = path.read_text(encoding="utf-8")
    if "\r\n" in original:
        print(f"hub: {entry.rel} has Windows line endings; convert it first", file=sys.stderr)
        return 1
    line = entry.line(name, index, "id")
    try:
        updated = insert_record(
            original,
            line,
            fu.records,
            lambda indent: record_lines(indent, date, args.status, args.text, evidence, fu),
            bool(raw.get(fu.records)),
        )
    except ValueError as exc:
        print(f"hub: {entry.rel}:{line}: {exc}; add the record by hand", file=sys.stderr)
        return 1
    path.write_text(updated, encoding="utf-8", newline="")
    check = load_library(project, model=model, only=[path], with_catalog=False)
    if not check.ok:
        path.write_text(original, encoding="utf-8", newline="")
        print(format_problems(check.problems), file=sys.stderr)
        print(f"hub: the record would make {entry.rel} invalid; nothing was changed", file=sys.stderr)
        return 1
    print(f"{entry.rel}: follow-up added to {args.item} ({args.status}, {date})")
    return 0
