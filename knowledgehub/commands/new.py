"""``hub new``: a new entry of a content type, written from its template."""

from __future__ import annotations

import sys

from knowledgehub.commands.common import model_broken

HELP = "start a new entry of a content type from its template"


def add_arguments(parser) -> None:
    parser.add_argument(
        "type", metavar="TYPE", help="content type, e.g. case-study (an unknown one lists them all)"
    )
    parser.add_argument("--title", help="the entry's title; its file name is made from it")
    parser.add_argument(
        "--id",
        dest="entry_id",
        metavar="ID",
        help="the file name (without .md), if not the one made from the title",
    )


def run(project, args) -> int:
    from knowledgehub.model.content import ModelError
    from knowledgehub.outputs.scaffold import ScaffoldError, new_entry

    try:
        path = new_entry(project, args.type, title=args.title, slug=args.entry_id)
    except ScaffoldError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    except ModelError as exc:
        return model_broken(exc)
    rel = project.relative(path)
    print(rel)
    if args.title is None and args.entry_id is None:
        print(
            "Next: give it a title and rename the file after it (its name is the entry's id and URL), "
            f"replace every TODO, write the body, then run: hub check {rel}",
            file=sys.stderr,
        )
    else:
        print(
            f"Next: replace every TODO in {rel}, write the body, then run: hub check {rel}", file=sys.stderr
        )
    return 0
