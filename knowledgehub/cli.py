"""The ``hub`` command line: its options and its verbs (check, build, usb, serve, new,
schemas, issue-form, pack, links, follow-up, from-issue), each handed to its module in
``knowledgehub.commands``."""

from __future__ import annotations

import argparse
import os
import sys

from knowledgehub.commands import (
    build,
    check,
    follow_up,
    from_issue,
    issue_form,
    links,
    new,
    pack,
    schemas,
    serve,
)
from knowledgehub.model.project import Project, ProjectNotFound

# verb → (its help, what adds its arguments, what runs it); in the order `hub --help` lists them
VERBS = {
    "check": (check.HELP, check.add_arguments, check.run),
    "build": (build.HELP, build.add_arguments, build.run),
    "usb": (build.USB_HELP, build.add_usb_arguments, build.run_usb),
    "serve": (serve.HELP, serve.add_arguments, serve.run),
    "new": (new.HELP, new.add_arguments, new.run),
    "schemas": (schemas.HELP, schemas.add_arguments, schemas.run),
    "issue-form": (issue_form.HELP, issue_form.add_arguments, issue_form.run),
    "pack": (pack.HELP, pack.add_arguments, pack.run),
    "links": (links.HELP, links.add_arguments, links.run),
    "follow-up": (follow_up.HELP, follow_up.add_arguments, follow_up.run),
    "from-issue": (from_issue.HELP, from_issue.add_arguments, from_issue.run),
}


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``hub`` and of every verb."""
    top = argparse.ArgumentParser(
        prog="hub", description="Water Services Knowledge Hub: check, build and preview the library."
    )
    top.add_argument(
        "-f", "--config-file", help="the project's mkdocs.yml (default: found from the working directory)"
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for verb, (help_text, add_arguments, _run) in VERBS.items():
        add_arguments(sub.add_parser(verb, help=help_text))
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    run = VERBS[args.command][2]
    if args.command == "links":  # works on any built site, inside a project or not
        return run(args)
    try:
        project = Project.find(config_file=args.config_file)
    except (ProjectNotFound, OSError) as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    try:
        return run(project, args)
    except KeyboardInterrupt:
        print("hub: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
