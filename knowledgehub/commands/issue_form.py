"""``hub issue-form``: the GitHub issue forms for suggesting an entry without git (one per
contributed type), the follow-up form and the form chooser, written or checked to be up
to date."""

from __future__ import annotations

import sys
from pathlib import Path

from knowledgehub.commands.common import BROKEN, load_model

HELP = "write the GitHub issue forms for suggesting an entry without git"


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
        "--all",
        action="store_true",
        help="every form: one per contributed type, the follow-up form and the chooser's config.yml",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is not up to date"
    )


def _files(project, model, args) -> list[tuple[Path, str, str]] | None:
    """(path, text, the command that writes it) of each file asked for; None after an error."""
    from knowledgehub.outputs.issue_form import (
        CHOOSER,
        FOLLOW_UP_FORM,
        all_forms,
        form_path,
        render_chooser,
        render_follow_up_form,
        render_issue_form,
    )
    from knowledgehub.outputs.scaffold import ScaffoldError, resolve_type
    from knowledgehub.outputs.submission_form import configured

    if args.all:
        files = [
            (project.root / form_path(name), render_issue_form(model, name), f"hub issue-form {name}")
            for name in all_forms(model)
        ]
        follow_up = render_follow_up_form(model)
        files.append((project.root / FOLLOW_UP_FORM, follow_up, "hub issue-form --follow-up"))
        repo_url = configured(project.config_file, "repo_url")
        if repo_url:
            files.append((project.root / CHOOSER, render_chooser(repo_url), "hub issue-form --all"))
        return files
    if args.follow_up:
        path = Path(args.output) if args.output else project.root / FOLLOW_UP_FORM
        return [(path, render_follow_up_form(model), "hub issue-form --follow-up")]
    try:
        ctype = resolve_type(model, args.type)
    except ScaffoldError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return None
    path = Path(args.output) if args.output else project.root / form_path(ctype.name)
    return [(path, render_issue_form(model, ctype.name), f"hub issue-form {ctype.name}")]


def run(project, args) -> int:
    model = load_model(project)
    if model is None:
        return BROKEN
    if args.all and args.output:
        print("hub: --all writes every form in its place; leave out --output", file=sys.stderr)
        return 2
    files = _files(project, model, args)
    if files is None:
        return 2
    stale = 0
    for path, text, command in files:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if args.check:
            if current != text:
                stale += 1
                print(
                    f"hub: {project.relative(path)} is not up to date with the model; run: {command}",
                    file=sys.stderr,
                )
            else:
                print(f"{project.relative(path)}: up to date", file=sys.stderr)
            continue
        if current != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        print(project.relative(path))
    return 1 if stale else 0
