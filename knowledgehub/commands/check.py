"""``hub check``: validate entries (all, some paths, or those changed against a git ref)
without building the site."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from knowledgehub.commands.common import model_broken
from knowledgehub.model.problems import FORMATS, format_problems, summary_line

HELP = "validate entries without building the site"


def add_arguments(parser) -> None:
    parser.add_argument(
        "paths", nargs="*", help="entry files or folders to check (default: the whole library)"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), github (Actions annotations) or json",
    )
    parser.add_argument(
        "--changed",
        action="store_true",
        help="check only the entries changed against a git ref (new and modified files included)",
    )
    parser.add_argument(
        "--base",
        metavar="REF",
        help="with --changed: the git ref to compare with (default: origin/main if it exists, else HEAD)",
    )


def run(project, args) -> int:
    from knowledgehub.library.load import load_library
    from knowledgehub.model.content import ModelError

    started = time.perf_counter()
    only = None
    if args.base and not args.changed:
        print("hub: --base goes with --changed", file=sys.stderr)
        return 2
    if args.changed:
        from knowledgehub.library.changes import GitError, changed_entries

        if args.paths:
            print("hub: give either paths or --changed, not both", file=sys.stderr)
            return 2
        try:
            changes = changed_entries(project, args.base)
        except GitError as exc:
            print(f"hub: {exc}", file=sys.stderr)
            return 2
        if changes.whole_library:
            print(f"hub: {changes.whole_library}: checking the whole library", file=sys.stderr)
        else:
            only = changes.entries
            print(
                f"hub: {len(only)} changed entr{'y' if len(only) == 1 else 'ies'} against {changes.base}",
                file=sys.stderr,
            )
    if args.paths:
        only = []
        for raw in args.paths:
            path = Path(raw)
            if not path.exists() and not path.is_symlink():
                print(f"hub: no such file or folder: {raw}", file=sys.stderr)
                return 2
            # a folder: every file in it (entries, pages and attachments), as the full check sees them
            only.extend(_files_in(path) if path.is_dir() and not path.is_symlink() else [path])
    try:
        result = load_library(project, only=only, with_catalog=False)
    except ModelError as exc:
        return model_broken(exc)
    if result.problems:
        # flushed before the summary on stderr, so that a log holding both has them in order
        print(format_problems(result.problems, args.format), flush=True)
    if args.format != "json":
        elapsed = time.perf_counter() - started
        print(
            f"{summary_line(result.problems, result.files, result.others)} ({elapsed:.2f} s)", file=sys.stderr
        )
    return 0 if result.ok else 1


def _files_in(folder: Path) -> list[Path]:
    """Every file in ``folder``, and every symbolic link (followed by nobody: the check judges it)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        links = [name for name in dirnames if os.path.islink(os.path.join(dirpath, name))]
        found.extend(Path(dirpath) / name for name in filenames + links)
    return sorted(found)
