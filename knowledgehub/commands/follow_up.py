"""``hub follow-up ENTRY#ITEM --status S --text T [--evidence E ...] [--date D]``: append a
follow-up record to an item, in its entry's file, by inserting the record's lines at the
end of the item: every other line of the file (comments, order, quoting) is left as it
was. The file is checked afterwards; if it no longer passes, it is put back as it was.
An unknown item changes nothing and lists the nearest ones."""

from __future__ import annotations

import datetime
import difflib
import sys

from knowledgehub.commands.common import BROKEN, load_model

HELP = "record what came of an item (a recommendation, a commitment): append a follow-up to it"


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


def run(project, args) -> int:
    from knowledgehub.model.problems import format_problems
    from knowledgehub.outputs.follow_up_record import (
        add_record,
        evidence_of,
        item_address,
        library_items,
        nearest_items,
        status_id,
    )

    model = load_model(project)
    if model is None:
        return BROKEN
    fu = model.follow_up
    if not fu.records:
        print("hub: the content model has no follow-up records (records_follow_up)", file=sys.stderr)
        return BROKEN
    items, slugs, _entries = library_items(project, model)
    address = item_address(args.item)
    item = items.get(address)
    if item is None:
        near = nearest_items(address, items)
        print(f"hub: unknown item '{address}'; nothing was changed", file=sys.stderr)
        if near:
            print("the nearest items are:\n" + "\n".join(f"  {key}" for key in near), file=sys.stderr)
        else:
            print("items are written entry-id#item-id; see the item's address on its page", file=sys.stderr)
        return 1
    statuses = model.vocabulary(fu.vocabulary).terms
    status = status_id(args.status, statuses)
    if status not in statuses:
        near = difflib.get_close_matches(status, list(statuses), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        print(f"hub: unknown status '{status}' (one of: {', '.join(statuses)}){hint}", file=sys.stderr)
        return 1
    date = args.date or datetime.date.today().isoformat()
    evidence = evidence_of(args.evidence, slugs, fu.evidence_entry)
    added = add_record(project, model, item, status, args.text, evidence, date)
    if added.refusal:
        print(f"hub: {added.refusal}", file=sys.stderr)
        return 1
    if added.path is None:
        print(format_problems(added.problems), file=sys.stderr)
        print(f"hub: the record would make {item.entry.rel} invalid; nothing was changed", file=sys.stderr)
        return 1
    print(f"{item.entry.rel}: follow-up added to {address} ({status}, {date})")
    return 0
