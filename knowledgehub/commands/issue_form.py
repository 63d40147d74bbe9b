"""``hub issue-form``: the GitHub issue form for submitting an entry without git,
written or checked to be up to date."""

from __future__ import annotations

import sys
from pathlib import Path

from knowledgehub.commands.common import BROKEN, load_model

HELP = "write the GitHub issue form for submitting an entry without git"


def add_arguments(parser) -> None:
    parser.add_argument(
        "type", metavar="TYPE", nargs="?", default="case-study", help="content type (default: case-study)"
    )
    parser.add_argument(
        "-o", "--output", help="file to write (default: .github/ISSUE_TEMPLATE/<type>.yml in the project)"
    )
    parser.add_argument(
        "--follow-up",
        action="store_true",
        help="the 'Report progress on a recommendation' form instead (.github/ISSUE_TEMPLATE/follow-up.yml)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the file is not up to date"
    )


def run(project, args) -> int:
    from knowledgehub.outputs.issue_form import (
        FOLLOW_UP_FORM,
        form_path,
        render_follow_up_form,
        render_issue_form,
    )
    from knowledgehub.outputs.scaffold import ScaffoldError, resolve_type

    model = load_model(project)
    if model is None:
        return BROKEN
    if args.follow_up:
        path = Path(args.output) if args.output else project.root / FOLLOW_UP_FORM
        text, command = render_follow_up_form(model), "hub issue-form --follow-up"
    else:
        try:
            ctype = resolve_type(model, args.type)
        except ScaffoldError as exc:
            print(f"hub: {exc}", file=sys.stderr)
            return 2
        path = Path(args.output) if args.output else project.root / form_path(ctype.name)
        text, command = render_issue_form(model, ctype.name), f"hub issue-form {ctype.name}"
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if args.check:
        if current != text:
            print(
                f"hub: {project.relative(path)} is not up to date with the model; run: {command}",
                file=sys.stderr,
            )
            return 1
        print(f"{project.relative(path)}: up to date", file=sys.stderr)
        return 0
    if current != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    print(project.relative(path))
    return 0
