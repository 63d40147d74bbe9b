"""``hub pack``: a printable workshop pack (HTML, and PDF when Chromium is installed)
of the entries a selection of themes, challenges, types and ids picks."""

from __future__ import annotations

import sys
from pathlib import Path

from knowledgehub.outputs.pack import DEFAULT_OUTPUT, Selection, SelectionError, make_pack

HELP = "write a printable workshop pack (HTML, and PDF when Chromium is installed) of selected entries"


def add_arguments(parser) -> None:
    parser.add_argument(
        "ids",
        nargs="*",
        metavar="ID",
        help="entry ids to include (file names, or type/id); added to what the options select",
    )
    parser.add_argument(
        "--theme",
        action="append",
        default=[],
        metavar="THEME",
        help="entries with this theme (repeat for several: any of them)",
    )
    parser.add_argument(
        "--challenge",
        action="append",
        default=[],
        metavar="CHALLENGE",
        help="entries about this challenge (repeat for several: any of them)",
    )
    parser.add_argument(
        "--type",
        action="append",
        default=[],
        dest="types",
        metavar="TYPE",
        help="entries of this type, e.g. case-study or courses (repeat for several)",
    )
    parser.add_argument(
        "-o",
        "--output",
        default=DEFAULT_OUTPUT,
        help=f"the HTML file to write (default: {DEFAULT_OUTPUT}); the PDF goes beside it",
    )
    parser.add_argument("--title", help="title on the cover (default: from the selection)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--pdf", dest="pdf", action="store_true", default=None, help="fail unless a PDF can be made too"
    )
    group.add_argument("--no-pdf", dest="pdf", action="store_false", help="write the HTML only")


def run(project, args) -> int:
    selection = Selection(
        ids=list(args.ids), themes=list(args.theme), challenges=list(args.challenge), types=list(args.types)
    )
    try:
        done = make_pack(project, selection, Path(args.output), title=args.title, pdf=args.pdf)
    except SelectionError as exc:
        print(f"hub pack: {exc}; nothing was written", file=sys.stderr)
        return 1
    except RuntimeError as exc:
        print(f"hub pack: {exc}", file=sys.stderr)
        return 1
    count = len(done["entries"])
    print(
        f"hub pack: {count} {'entry' if count == 1 else 'entries'} written to {done['html']}", file=sys.stderr
    )
    if done["pdf"]:
        print(f"hub pack: PDF written to {done['pdf']}", file=sys.stderr)
    elif done["pdf_note"]:
        print(f"hub pack: {done['pdf_note']}", file=sys.stderr)
    return 0
