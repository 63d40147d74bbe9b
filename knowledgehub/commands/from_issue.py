"""``hub from-issue``: a submitted issue form (its body, as GitHub writes it) turned into an
entry file when it passes the hub's checks, and a comment in plain words. A progress
report (the "Report progress on a recommendation" form) becomes a follow-up record of its
item, in the item's entry file."""

from __future__ import annotations

import sys
from pathlib import Path

from knowledgehub.commands.common import BROKEN, load_model

HELP = "turn a submitted issue form into an entry, or say in plain words what needs a change"


def add_arguments(parser) -> None:
    parser.add_argument("body", metavar="BODY.md", help="the issue's body, saved as a file")
    parser.add_argument("--type", help="the content type (default: told from the form's questions)")
    parser.add_argument(
        "--out", metavar="DIR", help="write the entry under DIR/<folder>/ (default: the content folder)"
    )
    parser.add_argument("--comment", metavar="FILE", help="also write the comment for the issue to FILE")
    parser.add_argument("--author", metavar="LOGIN", help="the issue author's login, thanked in the comment")


def run(project, args) -> int:
    from knowledgehub.outputs.from_issue import from_issue
    from knowledgehub.outputs.progress_report import is_progress_report, progress_from_issue
    from knowledgehub.outputs.scaffold import ScaffoldError, resolve_type

    model = load_model(project)
    if model is None:
        return BROKEN
    type_name = None
    if args.type:
        try:
            type_name = resolve_type(model, args.type).name
        except ScaffoldError as exc:
            print(f"hub: {exc}", file=sys.stderr)
            return 2
    try:
        body = Path(args.body).read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        print(f"hub: cannot read {args.body}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else None
    if type_name is None and is_progress_report(body):
        # the progress form: a follow-up record added to its item's entry
        outcome = progress_from_issue(project, model, body, out, args.author or None)
    else:
        outcome = from_issue(project, model, body, type_name, out, args.author or None)
    if args.comment:
        Path(args.comment).write_text(outcome.comment, encoding="utf-8", newline="\n")
    print(outcome.comment, end="")
    if outcome.written is None:
        return 1
    print(f"hub: wrote {project.relative(outcome.written)}", file=sys.stderr)
    return 0
